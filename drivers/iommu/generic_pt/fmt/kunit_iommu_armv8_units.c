// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit test of the exported Arm units, one per granule. The format's own
 * suites run an instance that reads the granule from the features; these
 * check what only the exported units do: each takes its own granule and
 * no other, records it in the table, and maps with it.
 */
#include <kunit/test.h>
#include <linux/generic_pt/iommu.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/sizes.h>

#include "../../iommu-pages.h"

#if IS_REACHABLE(CONFIG_IOMMU_PT_ARMV8)
struct kau_unit {
	const char *name;
	unsigned int granule_lg2;
	unsigned int feature;
	int (*init)(struct pt_iommu_armv8 *table,
		    const struct pt_iommu_armv8_cfg *cfg, gfp_t gfp);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain,
				    dma_addr_t iova);
	int (*map_pages)(struct iommu_domain *domain, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, gfp_t gfp, size_t *mapped);
	size_t (*unmap_pages)(struct iommu_domain *domain, unsigned long iova,
			      size_t pgsize, size_t pgcount,
			      struct iommu_iotlb_gather *gather);
};

#define KAU_UNIT(g, lg2, feat)                                    \
	{                                                         \
		.name = "armv8_" #g, .granule_lg2 = lg2,          \
		.feature = feat,                                  \
		.init = pt_iommu_armv8_##g##_init,                \
		.iova_to_phys = pt_iommu_armv8_##g##_iova_to_phys, \
		.map_pages = pt_iommu_armv8_##g##_map_pages,      \
		.unmap_pages = pt_iommu_armv8_##g##_unmap_pages,  \
	}

static const struct kau_unit kau_units[] = {
	KAU_UNIT(4k, 12, 0),
	KAU_UNIT(16k, 14, BIT(PT_FEAT_ARMV8_GRANULE_16K)),
	KAU_UNIT(64k, 16, BIT(PT_FEAT_ARMV8_GRANULE_64K)),
};

static void kau_desc(const struct kau_unit *unit, char *desc)
{
	strscpy(desc, unit->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kau, kau_units, kau_desc);

/*
 * A unit refuses the feature bit of every granule but its own, with nothing
 * allocated. The 4K granule has no bit: a configuration without one gets
 * the unit's granule (test_own_granule).
 */
static void test_other_granules(struct kunit *test)
{
	const struct kau_unit *unit = test->param_value;
	struct pt_iommu_armv8 table;
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(kau_units); i++) {
		struct pt_iommu_armv8_cfg cfg = {
			.common.features = kau_units[i].feature,
			.common.hw_max_vasz_lg2 = 40,
			.common.hw_max_oasz_lg2 = 40,
		};
		int ret;

		if (!kau_units[i].feature ||
		    kau_units[i].granule_lg2 == unit->granule_lg2)
			continue;
		memset(&table, 0, sizeof(table));
		table.iommu.nid = NUMA_NO_NODE;
		ret = unit->init(&table, &cfg, GFP_KERNEL);
		KUNIT_EXPECT_EQ_MSG(test, ret, -EOPNOTSUPP, "granule of %s",
				    kau_units[i].name);
		KUNIT_EXPECT_NULL(test, table.iommu.ops);
	}
}

/*
 * With or without the granule's feature in the configuration, the unit's
 * table has that granule: the smallest page, the feature bit, and a page
 * that maps, translates and unmaps.
 */
static void test_own_granule(struct kunit *test)
{
	const struct kau_unit *unit = test->param_value;
	size_t granule = 1UL << unit->granule_lg2;
	unsigned long iova = 16 * granule;
	phys_addr_t pa = SZ_1G;
	unsigned int with;

	for (with = 0; with != 2; with++) {
		struct pt_iommu_armv8_cfg cfg = {
			.common.features = with ? unit->feature : 0,
			.common.hw_max_vasz_lg2 = 40,
			.common.hw_max_oasz_lg2 = 40,
		};
		struct iommu_iotlb_gather gather;
		struct pt_iommu_armv8 table = {};
		struct iommu_domain *domain = &table.iommu.domain;
		size_t mapped = 0;

		table.iommu.nid = NUMA_NO_NODE;
		KUNIT_ASSERT_EQ(test, unit->init(&table, &cfg, GFP_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, __ffs(domain->pgsize_bitmap),
				unit->granule_lg2);
		KUNIT_EXPECT_EQ(test, table.armpt.common.features &
					      (BIT(PT_FEAT_ARMV8_GRANULE_16K) |
					       BIT(PT_FEAT_ARMV8_GRANULE_64K)),
				unit->feature);

		KUNIT_EXPECT_EQ(test,
				unit->map_pages(domain, iova, pa, granule, 1,
						IOMMU_READ | IOMMU_WRITE,
						GFP_KERNEL, &mapped),
				0);
		KUNIT_EXPECT_EQ(test, mapped, granule);
		KUNIT_EXPECT_EQ(test, unit->iova_to_phys(domain, iova + 8),
				pa + 8);
		KUNIT_EXPECT_EQ(test, unit->iova_to_phys(domain, iova - 8), 0);
		KUNIT_EXPECT_EQ(test,
				unit->iova_to_phys(domain, iova + granule), 0);

		iommu_iotlb_gather_init(&gather);
		KUNIT_EXPECT_EQ(test,
				unit->unmap_pages(domain, iova, granule, 1,
						  &gather),
				granule);
		iommu_put_pages_list(&gather.freelist);
		KUNIT_EXPECT_EQ(test, unit->iova_to_phys(domain, iova), 0);
		pt_iommu_deinit(&table.iommu);
	}
}

static struct kunit_case kau_cases[] = {
	KUNIT_CASE_PARAM(test_other_granules, kau_gen_params),
	KUNIT_CASE_PARAM(test_own_granule, kau_gen_params),
	{}
};
#else
static void test_not_built(struct kunit *test)
{
	kunit_skip(test, "CONFIG_IOMMU_PT_ARMV8 is not reachable");
}

static struct kunit_case kau_cases[] = {
	KUNIT_CASE(test_not_built),
	{}
};
#endif

static struct kunit_suite kau_suite = {
	.name = "generic_pt_iommu_armv8_units",
	.test_cases = kau_cases,
};

kunit_test_suites(&kau_suite);

MODULE_DESCRIPTION("Generic page table: the exported Arm units");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GENERIC_PT_IOMMU);
