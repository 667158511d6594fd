// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AMD IOMMU v1 format instance of the generic page table.
 */
#define PT_FMT amdv1
#define PT_SUPPORTED_FEATURES                                   \
	(BIT(PT_FEAT_FULL_VA) | BIT(PT_FEAT_DYNAMIC_TOP) |      \
	 BIT(PT_FEAT_FLUSH_RANGE) | BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS) | \
	 BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES) |                    \
	 BIT(PT_FEAT_AMDV1_FORCE_COHERENCE))

#include "amdv1.h"
#include "iommu_template.h"
