// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iommufd selftest mock format instance of the generic page table.
 */
#define PT_FMT mock
#define PT_SUPPORTED_FEATURES                                     \
	(BIT(PT_FEAT_DYNAMIC_TOP) | BIT(PT_FEAT_FLUSH_RANGE) |    \
	 BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS))

#include "mock.h"
#include "iommu_template.h"
