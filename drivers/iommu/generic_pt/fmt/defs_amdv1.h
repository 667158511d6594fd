/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD IOMMU v1 page table entry bits, from the AMD I/O Virtualization
 * Technology (IOMMU) Specification. Shared by the format and the dump.
 */
#ifndef __GENERIC_PT_FMT_DEFS_AMDV1_H
#define __GENERIC_PT_FMT_DEFS_AMDV1_H

#include <linux/bits.h>

#define AMDV1PT_FMT_PR BIT_ULL(0)
#define AMDV1PT_FMT_A BIT_ULL(5)
#define AMDV1PT_FMT_D BIT_ULL(6)
/* Level of the table pointed to; 0 is a leaf, 7 a leaf with encoded size */
#define AMDV1PT_FMT_NEXT_LEVEL GENMASK_ULL(11, 9)
#define AMDV1PT_FMT_OA GENMASK_ULL(51, 12)
#define AMDV1PT_FMT_FC BIT_ULL(60)
#define AMDV1PT_FMT_IR BIT_ULL(61)
#define AMDV1PT_FMT_IW BIT_ULL(62)

#define AMDV1PT_NEXT_LEVEL_SIZED 7

/* The leaf attributes that pt_write_attrs carries */
#define AMDV1PT_FMT_ATTRS (AMDV1PT_FMT_FC | AMDV1PT_FMT_IR | AMDV1PT_FMT_IW)

#endif
