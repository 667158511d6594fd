/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How the iommufd selftest mock table meets the driver API: as AMD IOMMU
 * v1 does, with its own IOMMU test configurations. Included by iommu_pt.h
 * after mock.h, which defines AMDV1PT_NO_KUNIT_CFGS.
 */
#ifndef __GENERIC_PT_FMT_IOMMU_GLUE_MOCK_H
#define __GENERIC_PT_FMT_IOMMU_GLUE_MOCK_H

#include "iommu_glue_amdv1.h"

#ifdef GENERIC_PT_KUNIT
/* Configurations only the IOMMU level tests need */
static const struct pt_kunit_fmt_cfg pt_kunit_iommu_cfgs[] = {
	{ .name = "top0,dynamic", .features = BIT(PT_FEAT_DYNAMIC_TOP),
	  .top_level = 0, .vasz_lg2 = 64, .oasz_lg2 = 51, .granule_lg2 = 11 },
};
#endif

#endif
