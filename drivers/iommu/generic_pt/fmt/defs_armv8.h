/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Arm VMSAv8-64 long descriptor bits, from the Arm Architecture Reference
 * Manual (translation table descriptor formats) and the SMMUv3
 * specification.
 */
#ifndef __GENERIC_PT_FMT_DEFS_ARMV8_H
#define __GENERIC_PT_FMT_DEFS_ARMV8_H

#include <linux/bits.h>

/*
 * The features of every instance. The granule is not among them: each
 * granule is a unit of its own, iommu_armv8_4k.c, _16k.c and _64k.c, so
 * that the geometry of the walks is a constant.
 */
#define ARMV8PT_FEATURES                                               \
	(BIT(PT_FEAT_DMA_INCOHERENT) | BIT(PT_FEAT_FLUSH_RANGE) |      \
	 BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS) | BIT(PT_FEAT_ARMV8_S2) |    \
	 BIT(PT_FEAT_ARMV8_DBM) | BIT(PT_FEAT_ARMV8_NS))

#define ARMV8PT_FMT_VALID BIT_ULL(0)
/* Table at levels above 0, page at level 0; clear for a block */
#define ARMV8PT_FMT_TABLE BIT_ULL(1)
/* Output address; a 64K granule with a 52-bit OA keeps OA[51:48] in 15:12 */
#define ARMV8PT_FMT_OA48 GENMASK_ULL(47, 12)
#define ARMV8PT_FMT_OA52_HI GENMASK_ULL(15, 12)
#define ARMV8PT_FMT_AF BIT_ULL(10)
#define ARMV8PT_FMT_SH GENMASK_ULL(9, 8)
#define ARMV8PT_FMT_DBM BIT_ULL(51)
#define ARMV8PT_FMT_CONT BIT_ULL(52)
/* Bits 58:55 are for software in both leaves and tables */
#define ARMV8PT_FMT_SW_FLUSHED BIT_ULL(55)
/* Table descriptors: the next level is in the non-secure address space */
#define ARMV8PT_FMT_NSTABLE BIT_ULL(63)

/* Stage 1 leaf attributes */
#define ARMV8PT_FMT_ATTRINDX GENMASK_ULL(4, 2)
#define ARMV8PT_FMT_NS BIT_ULL(5)
#define ARMV8PT_FMT_AP_UNPRIV BIT_ULL(6)
#define ARMV8PT_FMT_AP_RDONLY BIT_ULL(7)
#define ARMV8PT_FMT_NG BIT_ULL(11)
#define ARMV8PT_FMT_PXN BIT_ULL(53)
#define ARMV8PT_FMT_UXN BIT_ULL(54)

/* Stage 2 leaf attributes */
#define ARMV8PT_FMT_S2_MEMATTR GENMASK_ULL(5, 2)
#define ARMV8PT_FMT_S2AP_R BIT_ULL(6)
#define ARMV8PT_FMT_S2AP_W BIT_ULL(7)
#define ARMV8PT_FMT_S2_XN GENMASK_ULL(54, 53)

/* Every leaf attribute bit of either stage */
#define ARMV8PT_FMT_ATTRS                                          \
	(GENMASK_ULL(11, 2) | ARMV8PT_FMT_DBM | GENMASK_ULL(54, 53))

/* Shareability */
#define ARMV8PT_SH_OS 2
#define ARMV8PT_SH_IS 3

/*
 * Stage 1 AttrIndx values; the driver programs MAIR so that each index
 * holds the matching memory type.
 */
#define ARMV8PT_MAIR_IDX_NC 0
#define ARMV8PT_MAIR_IDX_CACHE 1
#define ARMV8PT_MAIR_IDX_DEV 2

/* Stage 2 MemAttr values */
#define ARMV8PT_S2_MEMATTR_DEV 0x1
#define ARMV8PT_S2_MEMATTR_NC 0x5
#define ARMV8PT_S2_MEMATTR_WB 0xf

/* XN[1:0] = 0b10: no execution at any level */
#define ARMV8PT_S2_XN_ALL 2

#endif
