/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iommufd selftest mock format uses the AMD IOMMU v1 entry bits.
 */
#ifndef __GENERIC_PT_FMT_DEFS_MOCK_H
#define __GENERIC_PT_FMT_DEFS_MOCK_H

#include "defs_amdv1.h"

#endif
