/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 page table entry bits, from the Intel SDM and AMD APM paging
 * chapters. The AMD IOMMU v2 and the VT-d first stage walk this format.
 */
#ifndef __GENERIC_PT_FMT_DEFS_X86_64_H
#define __GENERIC_PT_FMT_DEFS_X86_64_H

#include <linux/bits.h>

#define X86_64_FMT_P BIT_ULL(0)
#define X86_64_FMT_RW BIT_ULL(1)
#define X86_64_FMT_U BIT_ULL(2)
#define X86_64_FMT_PWT BIT_ULL(3)
#define X86_64_FMT_PCD BIT_ULL(4)
#define X86_64_FMT_A BIT_ULL(5)
#define X86_64_FMT_D BIT_ULL(6)
#define X86_64_FMT_PS BIT_ULL(7)
/* Bits 11:9 are ignored by the walker and free for software */
#define X86_64_FMT_SW_FLUSHED BIT_ULL(9)
#define X86_64_FMT_OA GENMASK_ULL(51, 12)
#define X86_64_FMT_XD BIT_ULL(63)

/* The leaf attributes that pt_write_attrs carries; D is preset with RW */
#define X86_64_FMT_ATTRS                                               \
	(X86_64_FMT_RW | X86_64_FMT_U | X86_64_FMT_PWT | X86_64_FMT_PCD | \
	 X86_64_FMT_D | X86_64_FMT_XD)

#endif
