/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How an Arm VMSAv8-64 table meets the driver API: the fields of the SMMU
 * context descriptor (stage 1) or stream table entry (stage 2) that
 * describe the table. Included by iommu_pt.h after armv8.h.
 */
#ifndef __GENERIC_PT_FMT_IOMMU_GLUE_ARMV8_H
#define __GENERIC_PT_FMT_IOMMU_GLUE_ARMV8_H

#define PT_IOMMU_FMT_MEMBER armpt

/* TCR.TG0 and VTCR.TG0 encodings of the granule */
#define ARMV8PT_TG_4K 0
#define ARMV8PT_TG_64K 1
#define ARMV8PT_TG_16K 2

/* Inner/outer write-back read/write-allocate, for table walks */
#define ARMV8PT_RGN_WBWA 1

/* MAIR attributes for ARMV8PT_MAIR_IDX_NC, _CACHE and _DEV */
#define ARMV8PT_MAIR_NC 0x44
#define ARMV8PT_MAIR_WBRWA 0xff
#define ARMV8PT_MAIR_DEV_NGNRE 0x04
/*
 * Index 3, inner non-cacheable and outer write-back: no leaf uses it, but
 * 6.12's SMMU drivers program MAIR with it, and a driver moving to this
 * table should not change a register the SMMU sees.
 */
#define ARMV8PT_MAIR_IDX_INC_OWB 3
#define ARMV8PT_MAIR_INC_OWBRWA 0xf4

static inline int pt_iommu_fmt_init(struct pt_iommu_armv8 *table,
				    const struct pt_iommu_armv8_cfg *cfg)
{
	/* The levels follow from the granule and the input address size */
	return pt_fmt_init(&table->armpt.common, -1);
}

/* IPS / PS: the smallest output size encoding that holds max_oasz_lg2 */
static inline u8 armv8pt_ps(unsigned int oasz_lg2)
{
	static const u8 sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	u8 i;

	for (i = 0; i != ARRAY_SIZE(sizes) - 1; i++)
		if (oasz_lg2 <= sizes[i])
			break;
	return i;
}

static inline void
pt_iommu_fmt_hw_info(struct pt_iommu_armv8 *table,
		     const struct pt_range *top,
		     struct pt_iommu_armv8_hw_info *info)
{
	struct pt_common *common = &table->armpt.common;
	unsigned int granule_lg2 = armv8pt_granule_lg2(common);
	bool coherent = !pt_feature(common, PT_FEAT_DMA_INCOHERENT);

	memset(info, 0, sizeof(*info));
	info->ttbr = pt_table_virt_to_pa(top->top_table);
	info->tsz = 64 - common->max_vasz_lg2;
	info->tg = granule_lg2 == 16 ? ARMV8PT_TG_64K :
		   granule_lg2 == 14 ? ARMV8PT_TG_16K :
				       ARMV8PT_TG_4K;
	/*
	 * SL0 counts down from the last level the granule can start at:
	 * Arm level 2 for 4K, level 3 for 16K and 64K. Our level n is Arm
	 * level 3 - n.
	 */
	if (pt_feature(common, PT_FEAT_ARMV8_S2))
		info->sl = granule_lg2 == 12 ? top->top_level - 1 :
					       top->top_level;
	info->ps = armv8pt_ps(common->max_oasz_lg2);
	/*
	 * Walks of a table the walker does not snoop are non-cacheable; the
	 * Arm ARM treats those as outer shareable whatever SH says, and SH
	 * says so too.
	 */
	if (coherent) {
		info->sh = ARMV8PT_SH_IS;
		info->irgn = ARMV8PT_RGN_WBWA;
		info->orgn = ARMV8PT_RGN_WBWA;
	} else {
		info->sh = ARMV8PT_SH_OS;
	}
	info->mair = ((u64)ARMV8PT_MAIR_NC << (8 * ARMV8PT_MAIR_IDX_NC)) |
		     ((u64)ARMV8PT_MAIR_WBRWA << (8 * ARMV8PT_MAIR_IDX_CACHE)) |
		     ((u64)ARMV8PT_MAIR_DEV_NGNRE << (8 * ARMV8PT_MAIR_IDX_DEV)) |
		     ((u64)ARMV8PT_MAIR_INC_OWBRWA
		      << (8 * ARMV8PT_MAIR_IDX_INC_OWB));
}

#ifdef GENERIC_PT_KUNIT
/* The IOMMU configuration of a format test configuration */
static inline void pt_iommu_fmt_kunit_cfg(const struct pt_kunit_fmt_cfg *kcfg,
					  struct pt_iommu_armv8_cfg *cfg)
{
	cfg->common.features = kcfg->features;
	cfg->common.hw_max_vasz_lg2 = kcfg->vasz_lg2;
	cfg->common.hw_max_oasz_lg2 = kcfg->oasz_lg2;
}

/* Configurations only the IOMMU level tests need */
static const struct pt_kunit_fmt_cfg pt_kunit_iommu_cfgs[] = {
	{ .name = "4k,s1,va48,no_gaps",
	  .features = BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS) | BIT(PT_FEAT_ARMV8_DBM),
	  .top_level = 3, .vasz_lg2 = 48, .oasz_lg2 = 48, .granule_lg2 = 12 },
};
#endif

#endif
