/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness builds as an architecture with ARCH_HAS_PMEM_API, so table
 * memory written for a walker that does not snoop is written back with
 * arch_wb_cache_pmem(). mem.c keeps a device view of table memory that only
 * this call updates, and checks it against what the CPU wrote.
 */
#ifndef _IOMMUPT_LINUX_LIBNVDIMM_H
#define _IOMMUPT_LINUX_LIBNVDIMM_H

#include <linux/types.h>

void arch_wb_cache_pmem(void *addr, size_t size);

#endif
