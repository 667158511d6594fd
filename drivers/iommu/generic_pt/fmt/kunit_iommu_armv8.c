// SPDX-License-Identifier: GPL-2.0-only
/*
 * The armv8 format compiled as its IOMMU level KUnit test, one unit for
 * every granule: the granule is a feature of each configuration. The
 * per-granule units that are exported differ only in having it constant.
 */
#define GENERIC_PT_KUNIT 1
#define GENERIC_PT_KUNIT_IOMMU 1
#define PT_FMT armv8
#define PT_SUPPORTED_FEATURES                                      \
	(ARMV8PT_FEATURES | BIT(PT_FEAT_ARMV8_GRANULE_16K) |       \
	 BIT(PT_FEAT_ARMV8_GRANULE_64K))

#include "armv8.h"
#include "iommu_template.h"
