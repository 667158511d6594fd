/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How an x86-64 table meets the driver API: the level count the hardware
 * was asked for, and what the PASID entry (VT-d first stage) or the GCR3
 * table (AMD v2) needs. Included by iommu_pt.h after x86_64.h.
 */
#ifndef __GENERIC_PT_FMT_IOMMU_GLUE_X86_64_H
#define __GENERIC_PT_FMT_IOMMU_GLUE_X86_64_H

#define PT_IOMMU_FMT_MEMBER x86_64_pt

static inline int pt_iommu_fmt_init(struct pt_iommu_x86_64 *table,
				    const struct pt_iommu_x86_64_cfg *cfg)
{
	if (cfg->top_level > PT_MAX_TOP_LEVEL)
		return -EINVAL;
	return pt_fmt_init(&table->x86_64_pt.common, cfg->top_level);
}

static inline void
pt_iommu_fmt_hw_info(struct pt_iommu_x86_64 *table,
		     const struct pt_range *top,
		     struct pt_iommu_x86_64_hw_info *info)
{
	u64 root = pt_table_virt_to_pa(top->top_table);

	if (pt_feature(&table->x86_64_pt.common,
		       PT_FEAT_X86_64_AMD_ENCRYPT_TABLES))
		root |= pt_sme_mask();
	info->gcr3_pt = root;
	info->levels = top->top_level + 1;
}

#ifdef GENERIC_PT_KUNIT
/* The IOMMU configuration of a format test configuration */
static inline void pt_iommu_fmt_kunit_cfg(const struct pt_kunit_fmt_cfg *kcfg,
					  struct pt_iommu_x86_64_cfg *cfg)
{
	cfg->common.features = kcfg->features;
	cfg->common.hw_max_vasz_lg2 = kcfg->vasz_lg2 ? kcfg->vasz_lg2 : 57;
	cfg->common.hw_max_oasz_lg2 = kcfg->oasz_lg2;
	cfg->top_level = kcfg->top_level;
}

/* Configurations only the IOMMU level tests need */
static const struct pt_kunit_fmt_cfg pt_kunit_iommu_cfgs[] = {
	{ .name = "4lvl,no_gaps",
	  .features = BIT(PT_FEAT_SIGN_EXTEND) |
		      BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS),
	  .top_level = 3, .vasz_lg2 = 48, .oasz_lg2 = 52, .granule_lg2 = 12 },
};
#endif

#endif
