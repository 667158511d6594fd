/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a VT-d second stage table meets the driver API: the AGAW the
 * hardware walks and what the context or PASID entry needs. Included by
 * iommu_pt.h after vtdss.h.
 */
#ifndef __GENERIC_PT_FMT_IOMMU_GLUE_VTDSS_H
#define __GENERIC_PT_FMT_IOMMU_GLUE_VTDSS_H

#define PT_IOMMU_FMT_MEMBER vtdss_pt

static inline int pt_iommu_fmt_init(struct pt_iommu_vtdss *table,
				    const struct pt_iommu_vtdss_cfg *cfg)
{
	if (cfg->top_level > PT_MAX_TOP_LEVEL)
		return -EINVAL;
	return pt_fmt_init(&table->vtdss_pt.common, cfg->top_level);
}

static inline void
pt_iommu_fmt_hw_info(struct pt_iommu_vtdss *table,
		     const struct pt_range *top,
		     struct pt_iommu_vtdss_hw_info *info)
{
	info->ssptptr = pt_table_virt_to_pa(top->top_table);
	/* AW: 1 is a 3 level (39-bit) walk, 2 is 4 levels, 3 is 5 levels */
	info->aw = top->top_level - 1;
}

#ifdef GENERIC_PT_KUNIT
/* The IOMMU configuration of a format test configuration */
static inline void pt_iommu_fmt_kunit_cfg(const struct pt_kunit_fmt_cfg *kcfg,
					  struct pt_iommu_vtdss_cfg *cfg)
{
	cfg->common.features = kcfg->features;
	cfg->common.hw_max_vasz_lg2 = kcfg->vasz_lg2;
	cfg->common.hw_max_oasz_lg2 = kcfg->oasz_lg2;
	cfg->top_level = kcfg->top_level;
}

/* Configurations only the IOMMU level tests need */
static const struct pt_kunit_fmt_cfg pt_kunit_iommu_cfgs[] = {
	{ .name = "4lvl,va48,no_gaps",
	  .features = BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS),
	  .top_level = 3, .vasz_lg2 = 48, .oasz_lg2 = 52, .granule_lg2 = 12 },
};
#endif

#endif
