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

/*
 * What only the Arm format refuses or programs, on the KUnit instance so
 * that PT_FEAT_DMA_INCOHERENT is accepted on every arch (the exported units
 * refuse it where the CPU cannot write tables back, UML among them).
 */
#define KARM_CFG(_name, _features, _granule, _va)                          \
	{ .name = _name, .features = _features, .granule_lg2 = _granule,   \
	  .vasz_lg2 = _va, .oasz_lg2 = 48, .top_level = -1 }

static const struct pt_kunit_fmt_cfg karm_stages[] = {
	KARM_CFG("4k,s1", 0, 12, 48),
	KARM_CFG("4k,s2", BIT(PT_FEAT_ARMV8_S2), 12, 40),
	KARM_CFG("16k,s1", BIT(PT_FEAT_ARMV8_GRANULE_16K), 14, 48),
	KARM_CFG("16k,s2", BIT(PT_FEAT_ARMV8_GRANULE_16K) |
		 BIT(PT_FEAT_ARMV8_S2), 14, 48),
	KARM_CFG("64k,s1", BIT(PT_FEAT_ARMV8_GRANULE_64K), 16, 48),
	KARM_CFG("64k,s2", BIT(PT_FEAT_ARMV8_GRANULE_64K) |
		 BIT(PT_FEAT_ARMV8_S2), 16, 42),
};

static void karm_desc(const struct pt_kunit_fmt_cfg *cfg, char *desc)
{
	strscpy(desc, cfg->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(karm, karm_stages, karm_desc);

static int karm_init(struct kunit *test, struct kpt_domain *kd,
		     unsigned int extra_features)
{
	struct pt_kunit_fmt_cfg kcfg = *(const struct pt_kunit_fmt_cfg *)
					       test->param_value;

	kcfg.features |= extra_features;
	return kpt_init(test, kd, &kcfg);
}

/*
 * DBM with a walker that does not snoop: the SMMU's dirty updates would sit
 * in memory the CPU reads through its cache, so read_and_clear_dirty would
 * miss them and clear bits it never saw. 6.12's SMMUv3 driver only asks
 * io-pgtable for DBM (IO_PGTABLE_QUIRK_ARM_HD) when the SMMU is coherent
 * (arm_smmu_dbm_capable()). The table refuses the pair with -EOPNOTSUPP, a
 * feature it cannot provide, and allocates nothing; each alone is fine.
 */
static void test_dbm_incoherent_refused(struct kunit *test)
{
	struct kpt_domain *kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);
	long start = atomic_long_read(&kpt_pages_live);

	KUNIT_ASSERT_NOT_NULL(test, kd);
	KUNIT_EXPECT_EQ(test,
			karm_init(test, kd, BIT(PT_FEAT_ARMV8_DBM) |
						    BIT(PT_FEAT_DMA_INCOHERENT)),
			-EOPNOTSUPP);
	KUNIT_EXPECT_NULL(test, kd->table.iommu.ops);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&kpt_pages_live), start);
	pt_iommu_deinit(&kd->table.iommu);

	KUNIT_EXPECT_EQ(test, karm_init(test, kd, BIT(PT_FEAT_ARMV8_DBM)), 0);
	pt_iommu_deinit(&kd->table.iommu);
	KUNIT_EXPECT_EQ(test,
			karm_init(test, kd, BIT(PT_FEAT_DMA_INCOHERENT)), 0);
	pt_iommu_deinit(&kd->table.iommu);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&kpt_pages_live), start);
}

/*
 * Table walks of an incoherent table: Outer Shareable, inner and outer
 * Non-cacheable, the TCR and VTCR fields 6.12's
 * arm_64_lpae_alloc_pgtable_s1() and _s2() set when !coherent_walk
 * (ARM_LPAE_TCR_SH_OS, ARM_LPAE_TCR_RGN_NC). The differential suite
 * kunit_iommu_armv8_iopgtable.c checks the same against io-pgtable-arm
 * itself where the DMA API and a CPU write-back are both at hand.
 */
static void test_incoherent_walk_attrs(struct kunit *test)
{
	struct kpt_domain *kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);
	struct pt_iommu_armv8_hw_info info;

	KUNIT_ASSERT_NOT_NULL(test, kd);
	KUNIT_ASSERT_EQ(test, karm_init(test, kd, BIT(PT_FEAT_DMA_INCOHERENT)),
			0);
	PT_IOMMU_NS(hw_info)(&kd->table, &info);
	KUNIT_EXPECT_EQ(test, info.sh, 2);
	KUNIT_EXPECT_EQ(test, info.irgn, 0);
	KUNIT_EXPECT_EQ(test, info.orgn, 0);
	pt_iommu_deinit(&kd->table.iommu);
}

static struct kunit_case karm_cases[] = {
	KUNIT_CASE_PARAM(test_dbm_incoherent_refused, karm_gen_params),
	KUNIT_CASE_PARAM(test_incoherent_walk_attrs, karm_gen_params),
	{}
};

static struct kunit_suite karm_suite = {
	.name = "generic_pt_iommu_armv8_features",
	.test_cases = karm_cases,
};

kunit_test_suites(&karm_suite);
