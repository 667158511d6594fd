// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Arm VMSAv8-64 format compiled as its format level KUnit test, one
 * unit for every granule: the granule is a feature of each configuration.
 */
#define GENERIC_PT_KUNIT 1
#define PT_FMT armv8
#define PT_SUPPORTED_FEATURES                                      \
	(ARMV8PT_FEATURES | BIT(PT_FEAT_ARMV8_GRANULE_16K) |       \
	 BIT(PT_FEAT_ARMV8_GRANULE_64K))

#include "armv8.h"
#include "iommu_template.h"
