/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How the iommufd selftest mock table meets the driver API. Included by
 * iommu_pt.h after mock.h.
 */
#ifndef __GENERIC_PT_FMT_IOMMU_GLUE_MOCK_H
#define __GENERIC_PT_FMT_IOMMU_GLUE_MOCK_H

#define PT_IOMMU_FMT_MEMBER amdpt

static inline int pt_iommu_fmt_init(struct pt_iommu_mock *table,
				    const struct pt_iommu_mock_cfg *cfg)
{
	if (cfg->starting_level > PT_MAX_TOP_LEVEL)
		return -EINVAL;
	return pt_fmt_init(&table->amdpt.common, cfg->starting_level);
}

static inline void pt_iommu_fmt_hw_info(struct pt_iommu_mock *table,
					const struct pt_range *top,
					struct pt_iommu_mock_hw_info *info)
{
	info->host_pt_root = pt_table_virt_to_pa(top->top_table);
	info->mode = top->top_level + 1;
}

#ifdef GENERIC_PT_KUNIT
/* The IOMMU configuration of a format test configuration */
static inline void pt_iommu_fmt_kunit_cfg(const struct pt_kunit_fmt_cfg *kcfg,
					  struct pt_iommu_mock_cfg *cfg)
{
	cfg->common.features = kcfg->features;
	cfg->common.hw_max_vasz_lg2 = kcfg->vasz_lg2;
	cfg->common.hw_max_oasz_lg2 = kcfg->oasz_lg2;
	cfg->starting_level = kcfg->top_level;
}

/* Configurations only the IOMMU level tests need */
static const struct pt_kunit_fmt_cfg pt_kunit_iommu_cfgs[] = {
	{ .name = "top0,dynamic", .features = BIT(PT_FEAT_DYNAMIC_TOP),
	  .top_level = 0, .vasz_lg2 = 64, .oasz_lg2 = 51, .granule_lg2 = 11 },
};
#endif

#endif
