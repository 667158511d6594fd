/* SPDX-License-Identifier: GPL-2.0 */
/* Cache maintenance goes through arch_wb_cache_pmem(): see libnvdimm.h */
