/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How an AMD IOMMU v1 table meets the driver API: its configuration and
 * what the DTE needs. Included by iommu_pt.h after amdv1.h. The iommufd
 * mock format is the same table on another granule, so its glue is this
 * one with its own test configurations: it is written for PT_IOMMU_FMT_T.
 */
#ifndef __GENERIC_PT_FMT_IOMMU_GLUE_AMDV1_H
#define __GENERIC_PT_FMT_IOMMU_GLUE_AMDV1_H

#define PT_IOMMU_FMT_MEMBER amdpt

static inline int pt_iommu_fmt_init(struct PT_IOMMU_FMT_T *table,
				    const struct PT_IOMMU_CFG_T *cfg)
{
	if (cfg->starting_level > PT_MAX_TOP_LEVEL)
		return -EINVAL;
	return pt_fmt_init(&table->amdpt.common, cfg->starting_level);
}

static inline void pt_iommu_fmt_hw_info(struct PT_IOMMU_FMT_T *table,
					const struct pt_range *top,
					struct PT_IOMMU_HW_INFO_T *info)
{
	u64 root = pt_table_virt_to_pa(top->top_table);

	if (pt_feature(&table->amdpt.common, PT_FEAT_AMDV1_ENCRYPT_TABLES))
		root |= pt_sme_mask();
	info->host_pt_root = root;
	info->mode = top->top_level + 1;
}

#ifdef GENERIC_PT_KUNIT
/* The IOMMU configuration of a format test configuration */
static inline void pt_iommu_fmt_kunit_cfg(const struct pt_kunit_fmt_cfg *kcfg,
					  struct PT_IOMMU_CFG_T *cfg)
{
	cfg->common.features = kcfg->features;
	cfg->common.hw_max_vasz_lg2 = kcfg->vasz_lg2;
	cfg->common.hw_max_oasz_lg2 = kcfg->oasz_lg2;
	cfg->starting_level = kcfg->top_level;
}

#ifndef AMDV1PT_NO_KUNIT_CFGS
/* Configurations only the IOMMU level tests need */
static const struct pt_kunit_fmt_cfg pt_kunit_iommu_cfgs[] = {
	{ .name = "top0,dynamic", .features = BIT(PT_FEAT_DYNAMIC_TOP),
	  .top_level = 0, .vasz_lg2 = 64, .oasz_lg2 = 52, .granule_lg2 = 12 },
	{ .name = "top2,dynamic,va48,no_gaps",
	  .features = BIT(PT_FEAT_DYNAMIC_TOP) |
		      BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS),
	  .top_level = 2, .vasz_lg2 = 48, .oasz_lg2 = 52, .granule_lg2 = 12 },
};
#endif
#endif

#endif
