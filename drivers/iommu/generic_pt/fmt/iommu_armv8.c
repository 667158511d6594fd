// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Arm VMSAv8-64 long descriptor format instance of the generic page
 * table.
 */
#define PT_FMT armv8
#define PT_SUPPORTED_FEATURES                                          \
	(BIT(PT_FEAT_DMA_INCOHERENT) | BIT(PT_FEAT_FLUSH_RANGE) |      \
	 BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS) |                            \
	 BIT(PT_FEAT_ARMV8_GRANULE_16K) |                              \
	 BIT(PT_FEAT_ARMV8_GRANULE_64K) | BIT(PT_FEAT_ARMV8_S2) |      \
	 BIT(PT_FEAT_ARMV8_DBM) | BIT(PT_FEAT_ARMV8_NS))

#include "armv8.h"
#include "iommu_template.h"
