/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IOMMU level KUnit tests, compiled once per format by fmt/iommu_template.h
 * when GENERIC_PT_KUNIT_IOMMU is defined. They drive the format's own copy
 * of the algorithms in iommu_pt.h through a mock iommu_domain, over every
 * configuration the format tests use plus the IOMMU only ones of its glue
 * (dynamic top, no-gaps flushing). The table memory is real; the output
 * addresses are not, nothing is ever accessed through them.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "iommu_pt.h"

/* ------------------------------------------------------- hooks */

/* Allocations until the injected failure; 0 means no injection */
static atomic_t kpt_alloc_countdown;
static atomic_t kpt_allocs;
static atomic_long_t kpt_pages_live;
static atomic_t kpt_flushes;

#define KPT_FLUSH_LOG 64
static struct {
	const void *va;
	size_t len;
} kpt_flush_log[KPT_FLUSH_LOG];

static bool kpt_iommu_alloc_fails(void)
{
	atomic_inc(&kpt_allocs);
	return atomic_read(&kpt_alloc_countdown) &&
	       atomic_dec_return(&kpt_alloc_countdown) == 0;
}

static void kpt_iommu_account(long pages)
{
	atomic_long_add(pages, &kpt_pages_live);
}

static void kpt_iommu_flushed(const void *va, size_t len)
{
	unsigned int n = atomic_inc_return(&kpt_flushes) - 1;

	kpt_flush_log[n % KPT_FLUSH_LOG].va = va;
	kpt_flush_log[n % KPT_FLUSH_LOG].len = len;
}

/* ------------------------------------------------------- mock domain */

#define KPT_SYNC_LOG 8

/* One iotlb_sync of a gather that held something */
struct kpt_sync {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
	unsigned int tables;
};

struct kpt_domain {
	struct PT_IOMMU_FMT_T table;
	struct kunit *test;
	spinlock_t top_lock; /* the driver's top lock */
	unsigned int change_top_calls;
	unsigned int last_top_level;
	phys_addr_t last_top_pa;
	/* change_top() found the new top already published */
	unsigned int change_top_published;
	/* change_top() was given a top that does not lead to the old one */
	unsigned int change_top_incomplete;
	/* The iotlb_sync calls since kpt_sync_reset() */
	unsigned int num_syncs;
	struct kpt_sync syncs[KPT_SYNC_LOG];
	long pages_at_start;
	bool deinit_done;
	u64 pgsize_bitmap;
	unsigned int granule_lg2;
	pt_vaddr_t max_va;
	pt_oaddr_t max_oa;
};

#define kpt_common(kd) (&(kd)->table.PT_IOMMU_FMT_MEMBER.common)
#define kpt_dom(kd) (&(kd)->table.iommu.domain)

static void kpt_iotlb_sync(struct iommu_domain *domain,
			   struct iommu_iotlb_gather *gather)
{
	struct kpt_domain *kd = container_of(pt_iommu_fmt(pt_domain_iommu(domain)),
					     struct kpt_domain, table);
	unsigned int tables = list_count_nodes(&gather->freelist);

	if (gather->start <= gather->end || tables) {
		if (kd->num_syncs < KPT_SYNC_LOG)
			kd->syncs[kd->num_syncs] = (struct kpt_sync){
				.start = gather->start,
				.end = gather->end,
				.pgsize = gather->pgsize,
				.tables = tables,
			};
		kd->num_syncs++;
	}
	/* A real driver flushes the IOTLB here, then frees the tables */
	kpt_iommu_account(-(long)list_count_nodes(&gather->freelist));
	iommu_put_pages_list(&gather->freelist);
}

static void kpt_flush_iotlb_all(struct iommu_domain *domain)
{
}

static const struct iommu_domain_ops kpt_domain_ops = {
	.map_pages = PT_IOMMU_NS(map_pages),
	.unmap_pages = PT_IOMMU_NS(unmap_pages),
	.iova_to_phys = PT_IOMMU_NS(iova_to_phys),
	.iotlb_sync = kpt_iotlb_sync,
	.flush_iotlb_all = kpt_flush_iotlb_all,
};

static const struct iommu_dirty_ops kpt_dirty_ops = {
	.read_and_clear_dirty = PT_IOMMU_NS(read_and_clear_dirty),
};

static void kpt_change_top(struct pt_iommu *iommu_table, phys_addr_t top_paddr,
			   unsigned int top_level)
{
	struct kpt_domain *kd =
		container_of(pt_iommu_fmt(iommu_table), struct kpt_domain, table);

	struct pt_common *common = kpt_common(kd);
	uintptr_t published = READ_ONCE(common->top_of_table);
	struct pt_range range = pt_make_range(common, 0, 0);
	struct pt_state pts = { .range = &range, .level = top_level,
				.table = pt_table_pa_to_virt(top_paddr) };

	lockdep_assert_held(&kd->top_lock);
	/*
	 * The hardware must know the new top before any map can return for
	 * an IOVA only it reaches: it is not published yet, and it is whole,
	 * its first items leading down to the published top.
	 */
	if (pt_top_unpack_level(published) >= top_level)
		kd->change_top_published++;
	while (pts.level > pt_top_unpack_level(published)) {
		if (pt_load_entry(&pts) != PT_ENTRY_TABLE)
			break;
		pts.table = pt_table_ptr(&pts);
		pts.level--;
	}
	if (pts.level != pt_top_unpack_level(published) ||
	    pts.table != pt_top_unpack_table(published))
		kd->change_top_incomplete++;
	kd->change_top_calls++;
	kd->last_top_level = top_level;
	kd->last_top_pa = top_paddr;
}

static spinlock_t *kpt_get_top_lock(struct pt_iommu *iommu_table)
{
	return &container_of(pt_iommu_fmt(iommu_table), struct kpt_domain,
			     table)->top_lock;
}

static const struct pt_iommu_driver_ops kpt_driver_ops = {
	.change_top = kpt_change_top,
	.get_top_lock = kpt_get_top_lock,
};

/* ------------------------------------------------------- configurations */

static const struct pt_kunit_fmt_cfg *kpt_cfg(unsigned int i)
{
	if (i < ARRAY_SIZE(pt_kunit_fmt_cfgs))
		return &pt_kunit_fmt_cfgs[i];
	i -= ARRAY_SIZE(pt_kunit_fmt_cfgs);
	if (i < ARRAY_SIZE(pt_kunit_iommu_cfgs))
		return &pt_kunit_iommu_cfgs[i];
	return NULL;
}

static void kpt_desc(const struct pt_kunit_fmt_cfg *cfg, char *desc)
{
	if (cfg->name)
		strscpy(desc, cfg->name, KUNIT_PARAM_DESC_SIZE);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE,
			 "granule%u,va%u,oa%u,top%d,features%#x",
			 cfg->granule_lg2, cfg->vasz_lg2, cfg->oasz_lg2,
			 cfg->top_level, cfg->features);
}

static const void *kpt_gen_params(const void *prev, char *desc)
{
	const struct pt_kunit_fmt_cfg *cfg;
	unsigned int i = 0;

	if (prev) {
		for (i = 0; kpt_cfg(i) != prev; i++)
			;
		i++;
	}
	cfg = kpt_cfg(i);
	if (cfg)
		kpt_desc(cfg, desc);
	return cfg;
}

static void kpt_teardown(void *data)
{
	struct kpt_domain *kd = data;

	if (kd->deinit_done)
		return;
	pt_iommu_deinit(&kd->table.iommu);
	KUNIT_EXPECT_NULL(kd->test, kd->table.iommu.ops);
	KUNIT_EXPECT_EQ_MSG(kd->test, atomic_long_read(&kpt_pages_live),
			    kd->pages_at_start,
			    "table pages leaked or freed twice");
	kd->deinit_done = true;
}

static int kpt_init(struct kunit *test, struct kpt_domain *kd,
		    const struct pt_kunit_fmt_cfg *kcfg)
{
	struct PT_IOMMU_CFG_T cfg = {};
	struct pt_range range;
	int ret;

	memset(kd, 0, sizeof(*kd));
	kd->test = test;
	spin_lock_init(&kd->top_lock);
	kd->table.iommu.nid = NUMA_NO_NODE;
	kd->table.iommu.driver_ops = &kpt_driver_ops;
	kd->table.iommu.domain.type = IOMMU_DOMAIN_UNMANAGED;
	kd->table.iommu.domain.ops = &kpt_domain_ops;
	kd->table.iommu.domain.dirty_ops = &kpt_dirty_ops;
	kd->pages_at_start = atomic_long_read(&kpt_pages_live);

	pt_iommu_fmt_kunit_cfg(kcfg, &cfg);
	ret = PT_IOMMU_NS(init)(&kd->table, &cfg, GFP_KERNEL);
	if (ret)
		return ret;

	range = pt_make_range(kpt_common(kd), 0, 0);
	kd->granule_lg2 = pt_iommu_granule_lg2(&range);
	kd->pgsize_bitmap = kpt_dom(kd)->pgsize_bitmap;
	kd->max_va = min_t(u64, pt_max_va(kpt_common(kd)), ULONG_MAX);
	kd->max_oa = oalog2_to_max_int(min_t(unsigned int,
					     kpt_common(kd)->max_oasz_lg2,
					     BITS_PER_TYPE(phys_addr_t)));
	return 0;
}

static struct kpt_domain *kpt_setup(struct kunit *test)
{
	const struct pt_kunit_fmt_cfg *kcfg = test->param_value;
	struct kpt_domain *kd;

	kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kd);
	KUNIT_ASSERT_EQ_MSG(test, kpt_init(test, kd, kcfg), 0,
			    "init of this configuration failed");
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, kpt_teardown, kd), 0);
	return kd;
}

static bool kpt_dynamic(struct kpt_domain *kd)
{
	return pt_feature(kpt_common(kd), PT_FEAT_DYNAMIC_TOP);
}

/* ------------------------------------------------------- helpers */

static int kpt_map(struct kpt_domain *kd, pt_vaddr_t va, pt_oaddr_t oa,
		   size_t len)
{
	size_t mapped = 0;
	int ret;

	/* As the core would split it: a run of granules, one range to us */
	ret = kpt_dom(kd)->ops->map_pages(kpt_dom(kd), va, oa,
					  log2_to_int(kd->granule_lg2),
					  len >> kd->granule_lg2,
					  IOMMU_READ | IOMMU_WRITE, GFP_KERNEL,
					  &mapped);
	KUNIT_EXPECT_EQ(kd->test, mapped, ret ? 0 : len);
	return ret;
}

static void kpt_sync_reset(struct kpt_domain *kd)
{
	kd->num_syncs = 0;
}

/* True if the iotlb_sync calls since kpt_sync_reset() cover [first, last] */
static bool kpt_synced(struct kpt_domain *kd, pt_vaddr_t first,
		       pt_vaddr_t last)
{
	unsigned int i, n = min(kd->num_syncs, KPT_SYNC_LOG);
	bool progress = true;

	/* Move first past every logged range that holds it */
	while (progress) {
		progress = false;
		for (i = 0; i != n; i++) {
			const struct kpt_sync *s = &kd->syncs[i];

			if (s->start > first || s->end < first)
				continue;
			if (s->end >= last)
				return true;
			first = s->end + 1;
			progress = true;
		}
	}
	return false;
}

static size_t kpt_unmap(struct kpt_domain *kd, pt_vaddr_t va, size_t len)
{
	struct iommu_iotlb_gather gather;
	unsigned int i;
	size_t ret;

	kpt_sync_reset(kd);
	iommu_iotlb_gather_init(&gather);
	ret = kpt_dom(kd)->ops->unmap_pages(kpt_dom(kd), va,
					    log2_to_int(kd->granule_lg2),
					    len >> kd->granule_lg2, &gather);
	iommu_iotlb_sync(kpt_dom(kd), &gather);
	if (ret)
		KUNIT_EXPECT_TRUE_MSG(kd->test,
				      kpt_synced(kd, va, va + ret - 1),
				      "unmap of %zx at %llx: the IOTLB syncs miss some of it",
				      ret, (u64)va);
	for (i = 0; i != min(kd->num_syncs, KPT_SYNC_LOG); i++)
		KUNIT_EXPECT_NE_MSG(kd->test, kd->syncs[i].pgsize, 0,
				    "iotlb_sync %u of an unmap without pgsize",
				    i);
	return ret;
}

static phys_addr_t kpt_phys(struct kpt_domain *kd, pt_vaddr_t va)
{
	return kpt_dom(kd)->ops->iova_to_phys(kpt_dom(kd), va);
}

/* lg2 of the leaf that maps va, or 0 */
static __always_inline int __kpt_leaf_lg2(struct pt_range *range, void *arg,
					  unsigned int level,
					  struct pt_table_p *table,
					  pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	unsigned int *res = arg;
	int ret;

	if (!pt_find_leaf(&pts, arg, descend_fn, &ret))
		return ret;
	*res = pt_entry_oa_lg2sz(&pts);
	return 0;
}

PT_MAKE_WALKER(kpt_walk_leaf_lg2, __kpt_leaf_lg2);

static unsigned int kpt_leaf_lg2(struct kpt_domain *kd, pt_vaddr_t va)
{
	struct pt_range range;
	unsigned int res = 0;

	if (!pt_iommu_one_va(kpt_common(kd), va, &range) ||
	    kpt_walk_leaf_lg2(&range, &res))
		return 0;
	return res;
}

static bool kpt_size_fits(struct kpt_domain *kd, unsigned int size_lg2)
{
	return size_lg2 < BITS_PER_LONG &&
	       log2_to_int(size_lg2) - 1 <= kd->max_va;
}

/* The smallest leaf that needs a table level above level 0 */
static unsigned int kpt_level1_lg2(struct kpt_domain *kd)
{
	struct pt_range range = pt_make_range(kpt_common(kd), 0, 0);
	struct pt_state pts = { .range = &range, .level = 1 };

	return pt_table_item_lg2sz(&pts);
}

/* A digest of the top and of every item of every table */
static u64 kpt_digest_table(struct pt_range *range, unsigned int level,
			    struct pt_table_p *table)
{
	struct pt_state pts = pt_init(range, level, table);
	unsigned int num = log2_to_int_t(unsigned int, pt_num_items_lg2(&pts));
	u64 sum = level;

	for (pts.index = 0; pts.index != num; pts.index++) {
		sum = sum * 1000003 + pt_read_item(&pts, pts.index);
		if (pt_load_entry(&pts) == PT_ENTRY_TABLE)
			sum = sum * 1000003 +
			      kpt_digest_table(range, level - 1,
					       pt_table_ptr(&pts));
	}
	return sum;
}

static u64 kpt_digest(struct kpt_domain *kd)
{
	struct pt_range range = pt_iommu_all_range(kpt_common(kd));

	return kpt_digest_table(&range, range.top_level, range.top_table) *
		       31 +
	       READ_ONCE(kpt_common(kd)->top_of_table);
}

/* ------------------------------------------------------- tests */

/* Init checks the configuration; deinit works before and after */
static void test_init(struct kunit *test)
{
	const struct pt_kunit_fmt_cfg *kcfg = test->param_value;
	struct kpt_domain *kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);
	struct PT_IOMMU_HW_INFO_T info;
	struct pt_iommu_info pinfo;
	struct pt_kunit_fmt_cfg bad;
	long start = atomic_long_read(&kpt_pages_live);

	KUNIT_ASSERT_NOT_NULL(test, kd);
	/* Deinit of a table that was never initialised does nothing */
	pt_iommu_deinit(&kd->table.iommu);

	bad = *kcfg;
	bad.features |= BIT(PT_FEAT_FMT_START + 8);
	KUNIT_EXPECT_EQ(test, kpt_init(test, kd, &bad), -EOPNOTSUPP);
	KUNIT_EXPECT_NULL(test, kd->table.iommu.ops);
	pt_iommu_deinit(&kd->table.iommu);

	bad = *kcfg;
	bad.oasz_lg2 = 65;
	KUNIT_EXPECT_EQ(test, kpt_init(test, kd, &bad), -EINVAL);
	bad = *kcfg;
	bad.oasz_lg2 = 8;
	KUNIT_EXPECT_EQ(test, kpt_init(test, kd, &bad), -EINVAL);
	pt_iommu_deinit(&kd->table.iommu);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&kpt_pages_live), start);

	kd = kpt_setup(test);
	kd->table.iommu.ops->get_info(&kd->table.iommu, &pinfo);
	KUNIT_EXPECT_EQ(test, pinfo.pgsize_bitmap, kd->pgsize_bitmap);
	KUNIT_EXPECT_TRUE(test, pinfo.pgsize_bitmap & BIT_ULL(kd->granule_lg2));
	KUNIT_EXPECT_EQ(test, __ffs64(pinfo.pgsize_bitmap), kd->granule_lg2);
	/* Only sizes the core can ask for, in a size_t and an unsigned long */
	KUNIT_EXPECT_EQ(test, pinfo.pgsize_bitmap & ~(u64)ULONG_MAX, 0);
	KUNIT_EXPECT_EQ(test, kpt_dom(kd)->geometry.aperture_start, 0);
	KUNIT_EXPECT_EQ(test, kpt_dom(kd)->geometry.aperture_end, kd->max_va);
	KUNIT_EXPECT_TRUE(test, kpt_dom(kd)->geometry.force_aperture);
	PT_IOMMU_NS(hw_info)(&kd->table, &info);
	KUNIT_EXPECT_GT(test, atomic_long_read(&kpt_pages_live), start);
}

/* Every page size maps as exactly one leaf of that size */
static void test_every_pgsize(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int size_lg2;
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	unsigned int tested = 0;

	for (size_lg2 = 0; size_lg2 != 64; size_lg2++) {
		pt_vaddr_t size = log2_to_int_t(u64, size_lg2 & 63);
		pt_vaddr_t va;
		pt_oaddr_t oa;

		if (!(kd->pgsize_bitmap & BIT_ULL(size_lg2)) ||
		    !kpt_size_fits(kd, size_lg2) ||
		    size_lg2 >= 8 * sizeof(phys_addr_t) ||
		    size - 1 > kd->max_oa)
			continue;
		/* The highest aligned VA and OA the table can hold */
		va = log2_set_mod(kd->max_va, 0, size_lg2);
		oa = oalog2_set_mod(kd->max_oa, 0, size_lg2);

		KUNIT_ASSERT_EQ_MSG(test, kpt_map(kd, va, oa, size), 0,
				    "map of size 2^%u at %llx", size_lg2,
				    (u64)va);
		KUNIT_EXPECT_EQ_MSG(test, kpt_leaf_lg2(kd, va), size_lg2,
				    "size 2^%u made another leaf size",
				    size_lg2);
		/* Every offset inside it translates */
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, va), oa);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + size - 1),
				oa + size - 1);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + size / 2 + 3),
				oa + size / 2 + 3);
		if (size_lg2 > kd->granule_lg2)
			KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + granule),
					oa + granule);
		/* Mapping it again is refused and changes nothing */
		KUNIT_EXPECT_EQ(test, kpt_map(kd, va, oa, size), -EADDRINUSE);
		KUNIT_EXPECT_EQ(test, kpt_leaf_lg2(kd, va), size_lg2);
		/* Unmapping its first half removes it whole */
		KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va, max(size / 2, granule)),
				size);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, va), 0);
		KUNIT_EXPECT_EQ(test, kpt_leaf_lg2(kd, va), 0);
		tested++;
	}
	KUNIT_EXPECT_GT(test, tested, 0);
}

/* A driver that narrows pgsize_bitmap never gets a leaf it did not allow */
static void test_narrowed_pgsize(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int big_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	pt_vaddr_t big, off;

	if (!(kd->pgsize_bitmap & BIT_ULL(big_lg2)) ||
	    !kpt_size_fits(kd, big_lg2 + 1))
		kunit_skip(test, "no leaf at level 1");
	big = log2_to_int(big_lg2);

	kpt_dom(kd)->pgsize_bitmap = BIT(kd->granule_lg2);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	for (off = 0; off < big; off += granule)
		KUNIT_ASSERT_EQ_MSG(test, kpt_leaf_lg2(kd, big + off),
				    kd->granule_lg2,
				    "a leaf the domain does not allow at %llx",
				    (u64)(big + off));
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big + big - 1), big + big - 1);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, big), big);
}

/* iova_to_phys at every granule and some odd offsets of a run of leaves */
static void test_iova_to_phys(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	pt_vaddr_t len = granule * 64;
	/* Start one granule into a large block so sizes ramp up and down */
	pt_vaddr_t va = granule * 1024 - granule;
	pt_oaddr_t oa = granule * 4096 - granule;
	pt_vaddr_t off;

	if (va + len - 1 > kd->max_va)
		va = 0;
	KUNIT_ASSERT_EQ(test, kpt_map(kd, va, oa, len), 0);
	for (off = 0; off < len; off += granule) {
		KUNIT_ASSERT_EQ(test, kpt_phys(kd, va + off), oa + off);
		KUNIT_ASSERT_EQ(test, kpt_phys(kd, va + off + granule - 1),
				oa + off + granule - 1);
		KUNIT_ASSERT_EQ(test, kpt_phys(kd, va + off + 5), oa + off + 5);
	}
	if (va)
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, va - 1), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + len), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va, len), len);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, va), 0);
}

/* OA -> empty -> OA: a leaf over an empty table frees the table */
static void test_overmap(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int big_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	pt_vaddr_t big;
	long before, with_small;

	if (!(kd->pgsize_bitmap & BIT_ULL(big_lg2)) ||
	    !kpt_size_fits(kd, big_lg2 + 1))
		kunit_skip(test, "no leaf at level 1");
	big = log2_to_int(big_lg2);

	before = atomic_long_read(&kpt_pages_live);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big + granule, granule, granule), 0);
	with_small = atomic_long_read(&kpt_pages_live);
	KUNIT_EXPECT_GT(test, with_small, before);
	KUNIT_ASSERT_EQ(test, kpt_unmap(kd, big + granule, granule), granule);

	/* The level 0 table is empty and in the way of a level 1 leaf */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_leaf_lg2(kd, big), big_lg2);
	KUNIT_EXPECT_LT_MSG(test, atomic_long_read(&kpt_pages_live), with_small,
			    "the empty level 0 table was not freed");
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big + granule), big + granule);

	/* And back: the leaf goes, a small page brings a table back */
	KUNIT_ASSERT_EQ(test, kpt_unmap(kd, big, big), big);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big + granule, granule, granule), 0);
	KUNIT_EXPECT_EQ(test, kpt_leaf_lg2(kd, big + granule), kd->granule_lg2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&kpt_pages_live), with_small);

	/* A leaf over a table that still maps something is refused */
	KUNIT_EXPECT_EQ(test, kpt_map(kd, big, big, big), -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big + granule), granule);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big), 0);
}

/* Unmap stops at holes and counts partial requests */
static void test_unmap_edges(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	unsigned int big_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t va = 0;
	unsigned int i;

	/* OA off by one granule: every leaf is one granule */
	for (i = 0; i != 6; i++)
		if (i != 3)
			KUNIT_ASSERT_EQ(test,
					kpt_map(kd, va + i * granule,
						granule * (i + 1), granule),
					0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va, granule * 6), granule * 3);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + 4 * granule), 5 * granule);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va + 3 * granule, granule), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va + 4 * granule, granule * 4),
			granule * 2);

	/* Half of a run of granule leaves */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, va, granule, granule * 4), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va, granule * 2), granule * 2);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + 2 * granule), 3 * granule);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va + 2 * granule, granule * 2),
			granule * 2);

	/* A large leaf the range cuts goes whole, from either end */
	if ((kd->pgsize_bitmap & BIT_ULL(big_lg2)) &&
	    kpt_size_fits(kd, big_lg2 + 2)) {
		pt_vaddr_t big = log2_to_int(big_lg2);

		KUNIT_ASSERT_EQ(test, kpt_map(kd, big - granule, granule,
					      granule), 0);
		KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
		KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big + granule, granule),
				big - granule);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, big), 0);
		KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
		KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, big - granule), big);
		KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
		KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big - granule, granule * 2),
				granule + big);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, big), 0);
		KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, big * 2), 0);
	}
	/* Nothing mapped, nothing unmapped */
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va, granule), 0);
}

/*
 * What 6.12's VFIO type1 vfio_test_domain_fgsp() does to learn whether the
 * domain has pages larger than PAGE_SIZE: map two pages, unmap the first.
 * 6.12's AMD iommu_v1_unmap_pages() removes the 8K leaf whole and returns
 * 8K, and VFIO then unmaps a page at a time, relying on that size coming
 * back; a return of 4K makes it unmap the second page itself.
 */
static void test_unmap_fgsp(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	struct iommu_iotlb_gather gather;
	pt_vaddr_t va = 16 * granule;
	size_t ret;

	if (!(kd->pgsize_bitmap & BIT_ULL(kd->granule_lg2 + 1)))
		kunit_skip(test, "no leaf of two granules");
	KUNIT_ASSERT_EQ(test, kpt_map(kd, va, 4 * granule, 2 * granule), 0);
	KUNIT_ASSERT_EQ(test, kpt_leaf_lg2(kd, va), kd->granule_lg2 + 1);

	kpt_sync_reset(kd);
	iommu_iotlb_gather_init(&gather);
	ret = kpt_dom(kd)->ops->unmap_pages(kpt_dom(kd), va, granule, 1,
					    &gather);
	KUNIT_EXPECT_EQ(test, ret, 2 * granule);
	/* The whole leaf is gathered, not only the page asked for */
	if (!kd->num_syncs) {
		KUNIT_EXPECT_EQ(test, gather.start, (unsigned long)va);
		KUNIT_EXPECT_EQ(test, gather.end,
				(unsigned long)(va + 2 * granule - 1));
	}
	iommu_iotlb_sync(kpt_dom(kd), &gather);
	KUNIT_EXPECT_TRUE(test, kpt_synced(kd, va, va + 2 * granule - 1));
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, va), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + granule), 0);
	/* VFIO's unmap of the second page then finds nothing */
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, va + granule, granule), 0);
}

/*
 * An unmap that cuts a large leaf (2M on most formats) removes all of it,
 * wherever it cuts, and counts from the IOVA asked for to the end of the
 * last leaf removed, as the core adds that to the IOVA for its next call
 * (__iommu_unmap()). The whole leaf is invalidated.
 */
static void test_unmap_partial_leaf(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int big_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	unsigned int size_lg2;
	pt_vaddr_t big;

	if (!(kd->pgsize_bitmap & BIT_ULL(big_lg2)) ||
	    !kpt_size_fits(kd, big_lg2 + 2))
		kunit_skip(test, "no leaf at level 1");
	big = log2_to_int(big_lg2);

	/* The range ends inside: from the leaf's start, one granule */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, granule), big);
	KUNIT_EXPECT_TRUE(test, kpt_synced(kd, big, 2 * big - 1));
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, 2 * big - 1), 0);

	/* The range starts inside: the part from the IOVA is counted */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big + granule, granule),
			big - granule);
	KUNIT_EXPECT_TRUE(test, kpt_synced(kd, big, 2 * big - 1));
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big), 0);

	/* Starts inside and goes on into the next leaf */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, 2 * big, granule, granule), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big + granule, big), big);
	KUNIT_EXPECT_TRUE(test, kpt_synced(kd, big, 2 * big + granule - 1));
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, 2 * big), 0);

	/* Small leaves, then one it ends inside */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big - granule, granule, granule), 0);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big - granule, 2 * granule),
			big + granule);
	KUNIT_EXPECT_TRUE(test, kpt_synced(kd, big - granule, 2 * big - 1));
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big - granule), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big + granule), 0);

	/* A leaf of several level 0 items (AMD v1 sized, Arm contiguous) */
	for (size_lg2 = kd->granule_lg2 + 1; size_lg2 < big_lg2; size_lg2++) {
		pt_vaddr_t size = log2_to_int(size_lg2);

		if (!(kd->pgsize_bitmap & BIT_ULL(size_lg2)))
			continue;
		KUNIT_ASSERT_EQ(test, kpt_map(kd, big, 0, size), 0);
		KUNIT_ASSERT_EQ(test, kpt_leaf_lg2(kd, big), size_lg2);
		KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big + size / 2, granule),
				size / 2);
		KUNIT_EXPECT_TRUE(test, kpt_synced(kd, big, big + size - 1));
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, big), 0);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, big + size - 1), 0);
		break;
	}

	/* A hole stops it before anything is cut */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big - granule, 2 * granule), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, big), big);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, big), big);
}

/*
 * The gather says which page size went, as iommu_iotlb_gather_add_page()
 * would: SMMUv3's arm_smmu_iotlb_sync() invalidates nothing with a pgsize
 * of 0 and otherwise steps through the range by it (or gives it as the
 * level hint, TTL, of a range invalidation). A driver that invalidates by
 * page size (no PT_FEAT_FLUSH_RANGE*) gets one size per sync; one that
 * invalidates ranges gets the smallest size, a granule that steps through
 * every leaf. The sync a map makes for the tables it replaced has a page
 * size too.
 */
static void test_gather_pgsize(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int big_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	bool by_range = pt_feature(kpt_common(kd), PT_FEAT_FLUSH_RANGE) ||
			pt_feature(kpt_common(kd), PT_FEAT_FLUSH_RANGE_NO_GAPS);
	pt_vaddr_t big;

	KUNIT_ASSERT_EQ(test, kpt_map(kd, 0, 0, granule), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, 0, granule), granule);
	KUNIT_ASSERT_EQ(test, kd->num_syncs, 1);
	KUNIT_EXPECT_EQ(test, kd->syncs[0].pgsize, granule);

	if (!(kd->pgsize_bitmap & BIT_ULL(big_lg2)) ||
	    !kpt_size_fits(kd, big_lg2 + 2))
		kunit_skip(test, "no leaf at level 1");
	big = log2_to_int(big_lg2);

	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, big), big);
	KUNIT_ASSERT_EQ(test, kd->num_syncs, 1);
	KUNIT_EXPECT_EQ(test, kd->syncs[0].pgsize, big);

	/* A granule leaf, then a large one: two sizes in one unmap */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big - granule, 0, granule), 0);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big - granule, big + granule),
			big + granule);
	if (by_range) {
		KUNIT_ASSERT_EQ(test, kd->num_syncs, 1);
		KUNIT_EXPECT_EQ(test, kd->syncs[0].pgsize, granule);
	} else {
		KUNIT_ASSERT_EQ(test, kd->num_syncs, 2);
		KUNIT_EXPECT_EQ(test, kd->syncs[0].start,
				(unsigned long)(big - granule));
		KUNIT_EXPECT_EQ(test, kd->syncs[0].end,
				(unsigned long)(big - 1));
		KUNIT_EXPECT_EQ(test, kd->syncs[0].pgsize, granule);
		KUNIT_EXPECT_EQ(test, kd->syncs[1].start, (unsigned long)big);
		KUNIT_EXPECT_EQ(test, kd->syncs[1].end,
				(unsigned long)(2 * big - 1));
		KUNIT_EXPECT_EQ(test, kd->syncs[1].pgsize, big);
	}

	/* A large leaf over an empty table: the map's sync */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big + granule, 0, granule), 0);
	KUNIT_ASSERT_EQ(test, kpt_unmap(kd, big + granule, granule), granule);
	kpt_sync_reset(kd);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	KUNIT_ASSERT_EQ(test, kd->num_syncs, 1);
	KUNIT_EXPECT_GT(test, kd->syncs[0].tables, 0);
	KUNIT_EXPECT_TRUE(test, kpt_synced(kd, big, 2 * big - 1));
	KUNIT_EXPECT_NE(test, kd->syncs[0].pgsize, 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, big), big);
}

/*
 * read_and_clear_dirty records a dirty leaf whole from the request's IOVA
 * on, past the end of the request, as 6.12's AMD
 * iommu_v1_read_and_clear_dirty() and Intel
 * intel_iommu_read_and_clear_dirty() do: it clears the whole leaf, and
 * iova_bitmap_set() keeps bits past the window for the next one. A leaf
 * that crosses the start of the request is recorded from that start.
 */
static void test_dirty_whole_leaf(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int big_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	struct iommu_iotlb_gather gather;
	struct iommu_dirty_bitmap dirty;
	pt_vaddr_t big;

	if (!(kd->pgsize_bitmap & BIT_ULL(big_lg2)) ||
	    !kpt_size_fits(kd, big_lg2 + 2))
		kunit_skip(test, "no leaf at level 1");
	big = log2_to_int(big_lg2);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, big, big, big), 0);
	if (PT_IOMMU_NS(set_dirty)(&kd->table, big))
		kunit_skip(test, "no dirty tracking");

	/* A request inside the leaf, one granule */
	iommu_dirty_bitmap_init(&dirty, NULL, &gather);
	KUNIT_ASSERT_EQ(test,
			PT_IOMMU_NS(read_and_clear_dirty)(kpt_dom(kd),
							  big + granule,
							  granule, 0, &dirty),
			0);
	KUNIT_EXPECT_EQ(test, gather.start, (unsigned long)(big + granule));
	KUNIT_EXPECT_EQ(test, gather.end, (unsigned long)(2 * big - 1));
	/* It was cleared whole */
	iommu_dirty_bitmap_init(&dirty, NULL, &gather);
	PT_IOMMU_NS(read_and_clear_dirty)(kpt_dom(kd), big, big, 0, &dirty);
	KUNIT_EXPECT_EQ(test, gather.start, ULONG_MAX);

	/* A request that starts before the leaf and ends inside it */
	KUNIT_ASSERT_EQ(test, PT_IOMMU_NS(set_dirty)(&kd->table, 2 * big - 1),
			0);
	iommu_dirty_bitmap_init(&dirty, NULL, &gather);
	KUNIT_ASSERT_EQ(test,
			PT_IOMMU_NS(read_and_clear_dirty)(kpt_dom(kd),
							  big - granule,
							  2 * granule,
							  IOMMU_DIRTY_NO_CLEAR,
							  &dirty),
			0);
	KUNIT_EXPECT_EQ(test, gather.start, (unsigned long)big);
	KUNIT_EXPECT_EQ(test, gather.end, (unsigned long)(2 * big - 1));
	/* NO_CLEAR left it dirty: the rest of it is recorded from its IOVA */
	iommu_dirty_bitmap_init(&dirty, NULL, &gather);
	PT_IOMMU_NS(read_and_clear_dirty)(kpt_dom(kd), big + big / 2, granule,
					  0, &dirty);
	KUNIT_EXPECT_EQ(test, gather.start, (unsigned long)(big + big / 2));
	KUNIT_EXPECT_EQ(test, gather.end, (unsigned long)(2 * big - 1));
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, big, big), big);
}

/* Bad requests are refused and change nothing */
static void test_bad_input(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	struct iommu_domain *dom = kpt_dom(kd);
	size_t granule = log2_to_int(kd->granule_lg2);
	long before = atomic_long_read(&kpt_pages_live);
	int rw = IOMMU_READ | IOMMU_WRITE;
	size_t mapped = 0;

	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, granule / 2, 0, granule,
						  1, rw, GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, 0, granule / 2, granule,
						  1, rw, GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, 0, 0, granule / 2, 1,
						  rw, GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, 0, 0, granule, 0, rw,
						  GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, 0, 0, 0, 1, rw,
						  GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, 0, 0, granule * 3, 1,
						  rw, GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, 0, 0, granule, 1, 0,
						  GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dom->ops->map_pages(dom, 0, 0, granule, 1,
						  IOMMU_CACHE | IOMMU_NOEXEC,
						  GFP_KERNEL, &mapped),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			dom->ops->map_pages(dom, ULONG_MAX - granule + 1, 0,
					    granule, 2, rw, GFP_KERNEL,
					    &mapped),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test,
			dom->ops->map_pages(dom, 0, 0, SIZE_MAX / 2 + 1, 4, rw,
					    GFP_KERNEL, &mapped),
			-EOVERFLOW);
	if (kd->max_va < ULONG_MAX) {
		KUNIT_EXPECT_EQ(test,
				dom->ops->map_pages(dom, kd->max_va + 1, 0,
						    granule, 1, rw,
						    GFP_KERNEL, &mapped),
				-ERANGE);
		KUNIT_EXPECT_EQ(test,
				dom->ops->map_pages(dom, kd->max_va - granule + 1,
						    0, granule, 2, rw,
						    GFP_KERNEL, &mapped),
				-ERANGE);
	}
	if (kd->max_oa < (phys_addr_t)~(phys_addr_t)0)
		KUNIT_EXPECT_EQ(test,
				dom->ops->map_pages(dom, 0, kd->max_oa + 1,
						    granule, 1, rw, GFP_KERNEL,
						    &mapped),
				-ERANGE);
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&kpt_pages_live), before);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, 0), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, ULONG_MAX - granule + 1,
					granule * 2), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, 0, 0), 0);
	if (kd->max_va < ULONG_MAX)
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, kd->max_va + 1), 0);
}

/* A dynamic top grows one level at a time and tells the driver */
static void test_dynamic_top(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	unsigned int level = pt_top_level(kpt_common(kd));
	unsigned int start_level = level;
	pt_vaddr_t va;

	if (!kpt_dynamic(kd))
		kunit_skip(test, "no dynamic top");

	KUNIT_ASSERT_EQ(test, kpt_map(kd, 0, 0, granule), 0);
	for (; level < PT_MAX_TOP_LEVEL; level++) {
		struct pt_range range = pt_make_range(kpt_common(kd), 0, 0);
		struct pt_state pts = { .range = &range, .level = level };
		unsigned int span = pt_table_span_lg2(&pts);

		if (span >= BITS_PER_LONG ||
		    log2_to_int(span) > kd->max_va)
			break;
		va = log2_to_int(span);
		KUNIT_ASSERT_EQ(test, kpt_map(kd, va, granule * 7, granule), 0);
		KUNIT_EXPECT_EQ(test, pt_top_level(kpt_common(kd)), level + 1);
		KUNIT_EXPECT_EQ(test, kd->change_top_calls,
				level + 1 - start_level);
		KUNIT_EXPECT_EQ(test, kd->last_top_level, level + 1);
		range = pt_make_range(kpt_common(kd), 0, 0);
		KUNIT_EXPECT_EQ(test, kd->last_top_pa,
				pt_table_virt_to_pa(range.top_table));
		/* Everything mapped before is still there */
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, 0), 0);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, 5), 5);
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + 9), granule * 7 + 9);
	}
	if (level == start_level)
		kunit_skip(test, "the top already spans every unsigned long IOVA");
	KUNIT_EXPECT_GT(test, kd->change_top_calls, 0);
}

/*
 * A new top is given to the driver before it is published: once a map
 * returns, the device must translate its IOVA, and a map that starts after
 * the top is published may use the new levels without taking the top lock.
 * change_top() sees the old top still published and a new top whose first
 * items lead down to it.
 */
static void test_change_top_order(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	struct pt_range range = pt_make_range(kpt_common(kd), 0, 0);
	struct pt_state pts = { .range = &range, .level = range.top_level };
	unsigned int span = pt_table_span_lg2(&pts);

	if (!kpt_dynamic(kd))
		kunit_skip(test, "no dynamic top");
	if (span >= BITS_PER_LONG || log2_to_int(span) > kd->max_va)
		kunit_skip(test, "the top cannot grow");
	KUNIT_ASSERT_EQ(test, kpt_map(kd, 0, 0, granule), 0);
	/* One level up, then as many as the VA allows at once */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, log2_to_int(span), granule, granule),
			0);
	KUNIT_ASSERT_EQ(test,
			kpt_map(kd, kd->max_va - granule + 1, granule, granule),
			0);
	KUNIT_EXPECT_GT(test, kd->change_top_calls, 0);
	KUNIT_EXPECT_EQ_MSG(test, kd->change_top_published, 0,
			    "the new top was published before change_top()");
	KUNIT_EXPECT_EQ_MSG(test, kd->change_top_incomplete, 0,
			    "change_top() got a top that does not lead to the old one");
}

/*
 * A failure at every allocation of a map leaves the table exactly as it
 * was: the same items in every table, the same top and the same number of
 * table pages. The range crosses a level 1 boundary, and with a dynamic top
 * lies high enough to make the top grow.
 */
static void test_alloc_failure(struct kunit *test)
{
	const struct pt_kunit_fmt_cfg *kcfg = test->param_value;
	struct kpt_domain *kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);
	pt_vaddr_t granule;
	pt_vaddr_t va, len;
	unsigned int fail_at;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, kd);
	for (fail_at = 1;; fail_at++) {
		long start = atomic_long_read(&kpt_pages_live);
		unsigned int i, allocs;
		long pages;
		u64 digest;

		KUNIT_ASSERT_EQ(test, kpt_init(test, kd, kcfg), 0);
		granule = log2_to_int(kd->granule_lg2);
		va = log2_to_int(kpt_level1_lg2(kd)) - 2 * granule;
		if (kpt_dynamic(kd) && kd->max_va >> 32)
			va += log2_to_int(32);
		len = 4 * granule;
		if (va + len - 1 > kd->max_va)
			va = 0;
		/* Something mapped before, so upper tables may be shared */
		if (va)
			KUNIT_ASSERT_EQ(test, kpt_map(kd, 0, 0, granule), 0);
		pages = atomic_long_read(&kpt_pages_live);
		digest = kpt_digest(kd);

		allocs = atomic_read(&kpt_allocs);
		atomic_set(&kpt_alloc_countdown, fail_at);
		ret = kpt_map(kd, va, granule, len);
		atomic_set(&kpt_alloc_countdown, 0);
		allocs = atomic_read(&kpt_allocs) - allocs;
		if (!ret) {
			/* Every allocation of this map failed once before */
			KUNIT_EXPECT_EQ(test, fail_at, allocs + 1);
			for (i = 0; i != 4; i++)
				KUNIT_EXPECT_EQ(test,
						kpt_phys(kd, va + i * granule),
						granule * (i + 1));
		} else {
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			KUNIT_EXPECT_EQ_MSG(test,
					    atomic_long_read(&kpt_pages_live),
					    pages,
					    "table pages changed by a failure at alloc %u",
					    fail_at);
			KUNIT_EXPECT_EQ_MSG(test, kpt_digest(kd), digest,
					    "table changed by a failure at alloc %u",
					    fail_at);
			/* The same map then works */
			KUNIT_EXPECT_EQ(test, kpt_map(kd, va, granule, len), 0);
			KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + len - 1),
					granule * 4 + granule - 1);
		}
		pt_iommu_deinit(&kd->table.iommu);
		KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&kpt_pages_live),
				    start, "leak with a failure at alloc %u",
				    fail_at);
		if (!ret)
			break;
		KUNIT_ASSERT_LT(test, fail_at, 32);
	}
}

/*
 * A map that finds part of its range in use changes nothing, not even the
 * tables it would have added before it got there or the empty table a leaf
 * on its way would have replaced.
 */
static void test_map_busy_no_change(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int l1_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	pt_vaddr_t l1, start;
	long pages;
	u64 digest;

	if (!kpt_size_fits(kd, l1_lg2 + 2))
		kunit_skip(test, "no room for three level 0 tables");
	l1 = log2_to_int(l1_lg2);

	/* An empty level 0 table at [l1, 2 * l1) */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, l1 + granule, granule, granule), 0);
	KUNIT_ASSERT_EQ(test, kpt_unmap(kd, l1 + granule, granule), granule);
	/* In use: the second granule of [2 * l1, 3 * l1) */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, 2 * l1 + granule, 0, granule), 0);
	pages = atomic_long_read(&kpt_pages_live);
	digest = kpt_digest(kd);

	/* From the middle of [0, l1), over the empty table, into the busy one */
	start = l1 / 2;
	KUNIT_EXPECT_EQ(test,
			kpt_map(kd, start, start, 2 * l1 + 2 * granule - start),
			-EADDRINUSE);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&kpt_pages_live), pages);
	KUNIT_EXPECT_EQ_MSG(test, kpt_digest(kd), digest,
			    "a failed map changed the table");
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, start), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, l1), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, 2 * l1), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, 2 * l1 + granule), 0);

	/* Past the busy granule the same kind of map works */
	KUNIT_EXPECT_EQ(test, kpt_map(kd, start, start, 2 * l1 - start), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, l1 + granule), l1 + granule);
}

/*
 * A leaf of several level 0 items, with one granule of its range in use,
 * is refused and changes nothing, wherever the granule is, both as the
 * only leaf of the map and as the last of a run of leaves of its size:
 * map checks and writes such leaves a chunk of items at a time, and a
 * chunk written before the busy one must be cleared again.
 */
static void test_map_contig_busy(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int l1_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	unsigned int size_lg2, i, j, tested = 0;
	pt_vaddr_t l1, size, busy, pa, lens[2];
	u64 digest;

	if (!kpt_size_fits(kd, l1_lg2 + 1))
		kunit_skip(test, "no room for two level 0 tables");
	l1 = log2_to_int(l1_lg2);

	for (size_lg2 = kd->granule_lg2 + 1; size_lg2 < l1_lg2; size_lg2++) {
		if (!(kd->pgsize_bitmap & BIT_ULL(size_lg2)))
			continue;
		size = log2_to_int(size_lg2);
		/*
		 * One leaf, and a run of up to four inside [l1, 2 * l1), at
		 * an OA aligned to the size and no more, so that every leaf
		 * of the run is of that size.
		 */
		lens[0] = size;
		lens[1] = min(4 * size, l1);
		pa = l1 - size;
		/* The first, second, middle and last granule of the leaf */
		for (i = 0; i != 4 * ARRAY_SIZE(lens); i++) {
			pt_vaddr_t offs[] = { 0, granule, size / 2,
					      size - granule };
			pt_vaddr_t len = lens[i / 4];

			busy = l1 + len - size + offs[i % 4];
			KUNIT_ASSERT_EQ(test, kpt_map(kd, busy, busy, granule),
					0);
			digest = kpt_digest(kd);
			KUNIT_EXPECT_EQ_MSG(test, kpt_map(kd, l1, pa, len),
					    -EADDRINUSE,
					    "2^%u leaves over busy %llx",
					    size_lg2, (u64)busy);
			KUNIT_EXPECT_EQ_MSG(test, kpt_digest(kd), digest,
					    "a failed 2^%u map changed the table",
					    size_lg2);
			KUNIT_EXPECT_EQ(test, kpt_phys(kd, busy), busy);
			KUNIT_ASSERT_EQ(test, kpt_unmap(kd, busy, granule),
					granule);
		}
		for (j = 0; j != ARRAY_SIZE(lens); j++) {
			KUNIT_ASSERT_EQ(test, kpt_map(kd, l1, pa, lens[j]), 0);
			KUNIT_EXPECT_EQ(test, kpt_leaf_lg2(kd, l1), size_lg2);
			KUNIT_EXPECT_EQ(test,
					kpt_leaf_lg2(kd, l1 + lens[j] - size),
					size_lg2);
			KUNIT_EXPECT_EQ(test, kpt_phys(kd, l1 + lens[j] - 1),
					pa + lens[j] - 1);
			KUNIT_ASSERT_EQ(test, kpt_unmap(kd, l1, lens[j]),
					lens[j]);
		}
		tested++;
	}
	if (!tested)
		kunit_skip(test, "no leaf of several level 0 items");
}

/*
 * A map that crosses from one level 0 table into the next, with both there
 * and with the second missing: every granule is mapped either way, and
 * nothing around the range changes.
 */
static void test_map_across_tables(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int l1_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	pt_vaddr_t l1, mark, start, len, va;
	long pages;

	if (!kpt_size_fits(kd, l1_lg2 + 2))
		kunit_skip(test, "no room for three level 0 tables");
	l1 = log2_to_int(l1_lg2);
	mark = l1 + l1 / 2;
	len = 8 * granule;

	/* The tables of [0, l1) and [l1, 2 * l1) exist, [2 * l1, ...) not */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, 0, granule, granule), 0);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, mark, mark, granule), 0);
	pages = atomic_long_read(&kpt_pages_live);

	/* Both tables there: no new table */
	start = l1 - len / 2;
	KUNIT_ASSERT_EQ(test, kpt_map(kd, start, start, len), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&kpt_pages_live), pages);
	for (va = start; va != start + len; va += granule)
		KUNIT_EXPECT_EQ_MSG(test, kpt_phys(kd, va), va, "va %llx",
				    (u64)va);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, start - granule), 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, start + len), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, start, len), len);

	/* The second missing: it is made, the first is used as it is */
	start = 2 * l1 - len / 2;
	KUNIT_ASSERT_EQ(test, kpt_map(kd, start, start, len), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&kpt_pages_live), pages);
	for (va = start; va != start + len; va += granule)
		KUNIT_EXPECT_EQ_MSG(test, kpt_phys(kd, va), va, "va %llx",
				    (u64)va);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, start + len), 0);
	KUNIT_EXPECT_EQ(test, kpt_unmap(kd, start, len), len);

	KUNIT_EXPECT_EQ(test, kpt_phys(kd, 0), granule);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, mark), mark);
}

/* The level 0 table that holds va, found like a lock-free reader would */
static __always_inline int __kpt_level0_table(struct pt_range *range,
					      void *arg, unsigned int level,
					      struct pt_table_p *table,
					      pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);

	if (level == 0) {
		*(struct pt_table_p **)arg = table;
		return 0;
	}
	if (pt_load_entry(&pts) != PT_ENTRY_TABLE)
		return -ENOENT;
	return pt_descend(&pts, arg, descend_fn);
}

PT_MAKE_WALKER(kpt_walk_level0_table, __kpt_level0_table);

/*
 * A table that unmap takes out stays allocated until the RCU readers that
 * may have found it are done, even after the driver frees the gather.
 */
static void test_rcu_free(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	unsigned int span_lg2 = kpt_level1_lg2(kd);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	struct pt_table_p *table = NULL;
	struct pt_range range;
	pt_vaddr_t len;
	size_t unmapped;
	int refs;
	u64 item;

	if (!kpt_size_fits(kd, span_lg2 + 1))
		kunit_skip(test, "no room for two level 0 tables");
	len = log2_to_int(span_lg2);
	/* An OA one granule off: a whole level 0 table of granule leaves */
	KUNIT_ASSERT_EQ(test, kpt_map(kd, len, len + granule, len), 0);

	rcu_read_lock();
	range = pt_make_range(kpt_common(kd), len, len);
	if (pt_range_in_top(&range))
		kpt_walk_level0_table(&range, &table);
	unmapped = kpt_unmap(kd, len, len);
	/* The table is out and the driver freed the gather: still there? */
	refs = table ? page_ref_count(virt_to_page(table)) : -1;
	item = table ? READ_ONCE(pt_items(table)[0]) : ~0ULL;
	rcu_read_unlock();

	KUNIT_ASSERT_NOT_NULL(test, table);
	KUNIT_EXPECT_EQ(test, unmapped, len);
	KUNIT_EXPECT_EQ_MSG(test, refs, 1,
			    "a table was freed under rcu_read_lock()");
	KUNIT_EXPECT_EQ(test, item, 0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, len), 0);
	/* Let the deferred frees run before the next test counts pages */
	rcu_barrier();
}

/* ------------------------------------------------------- random */

/* The reference: one entry per leaf the table should hold */
struct kpt_ref_leaf {
	u16 first;	/* granule index in the window */
	u16 num;	/* granules */
	bool dirty;
	pt_oaddr_t oa;
};

#define KPT_WINDOW 256

struct kpt_ref {
	struct kpt_domain *kd;
	struct rnd_state rnd;
	pt_vaddr_t base;
	pt_oaddr_t oa_base;
	/* index + 1 into leaves for every granule of the window, 0 if none */
	u16 slot[KPT_WINDOW];
	struct kpt_ref_leaf leaves[KPT_WINDOW + 1];
	bool new_leaf_dirty;
	bool can_dirty;
};

static u32 kpt_rand(struct kpt_ref *ref, u32 n)
{
	return prandom_u32_state(&ref->rnd) % n;
}

static pt_vaddr_t kpt_slot_va(struct kpt_ref *ref, unsigned int slot)
{
	return ref->base + log2_mul(slot, ref->kd->granule_lg2);
}

/* The leaves map_pages chooses: greedy, largest aligned size that fits */
static void kpt_ref_map(struct kpt_ref *ref, unsigned int first,
			unsigned int num, pt_oaddr_t oa)
{
	struct kpt_domain *kd = ref->kd;
	unsigned int g = kd->granule_lg2;

	while (num) {
		pt_vaddr_t va = kpt_slot_va(ref, first);
		pt_vaddr_t last = va + log2_mul(num, g) - 1;
		unsigned int lg2 = pt_best_pgsize_lg2(kd->pgsize_bitmap, va,
						      last, oa);
		unsigned int n = 1U << (lg2 - g);
		unsigned int id, i;

		for (id = 1; ref->leaves[id].num; id++)
			;
		ref->leaves[id] = (struct kpt_ref_leaf){
			.first = first, .num = n, .oa = oa,
			.dirty = ref->new_leaf_dirty,
		};
		for (i = 0; i != n; i++)
			ref->slot[first + i] = id;
		first += n;
		num -= n;
		oa += oalog2_to_int(lg2);
	}
}

static void kpt_rand_map(struct kunit *test, struct kpt_ref *ref)
{
	struct kpt_domain *kd = ref->kd;
	unsigned int first = kpt_rand(ref, KPT_WINDOW);
	unsigned int num = 1 + kpt_rand(ref, min(KPT_WINDOW - first, 64U));
	unsigned int i;
	bool busy = false;
	pt_oaddr_t oa;
	int ret;

	/* Mostly OA aligned like the VA so large leaves appear */
	oa = ref->oa_base + log2_mul(first, kd->granule_lg2);
	if (kpt_rand(ref, 4) == 0)
		oa += log2_to_int(kd->granule_lg2) * (1 + kpt_rand(ref, 3));
	for (i = first; i != first + num; i++)
		busy |= ref->slot[i] != 0;

	ret = kpt_map(kd, kpt_slot_va(ref, first), oa,
		      log2_mul(num, kd->granule_lg2));
	KUNIT_ASSERT_EQ_MSG(test, ret, busy ? -EADDRINUSE : 0,
			    "map of %u granules at %u", num, first);
	if (!ret)
		kpt_ref_map(ref, first, num, oa);
}

static void kpt_rand_unmap(struct kunit *test, struct kpt_ref *ref)
{
	struct kpt_domain *kd = ref->kd;
	unsigned int first = kpt_rand(ref, KPT_WINDOW);
	unsigned int num = 1 + kpt_rand(ref, min(KPT_WINDOW - first, 64U));
	unsigned int i = first;
	size_t expect = 0;

	/*
	 * Every leaf the range meets goes whole, up to a hole; the count is
	 * from the first granule asked for to the end of the last leaf.
	 */
	while (i < first + num && ref->slot[i]) {
		struct kpt_ref_leaf *leaf = &ref->leaves[ref->slot[i]];
		unsigned int j;

		for (j = 0; j != leaf->num; j++)
			ref->slot[leaf->first + j] = 0;
		i = leaf->first + leaf->num;
		expect = log2_mul(i - first, kd->granule_lg2);
		leaf->num = 0;
	}
	KUNIT_ASSERT_EQ_MSG(test,
			    kpt_unmap(kd, kpt_slot_va(ref, first),
				      log2_mul(num, kd->granule_lg2)),
			    expect, "unmap of %u granules at %u", num, first);
}

static void kpt_rand_check(struct kunit *test, struct kpt_ref *ref)
{
	struct kpt_domain *kd = ref->kd;
	unsigned int slot = kpt_rand(ref, KPT_WINDOW);
	pt_vaddr_t off = kpt_rand(ref, log2_to_int(kd->granule_lg2));
	pt_oaddr_t expect = 0;

	if (ref->slot[slot]) {
		struct kpt_ref_leaf *leaf = &ref->leaves[ref->slot[slot]];

		expect = leaf->oa +
			 log2_mul(slot - leaf->first, kd->granule_lg2) + off;
	}
	KUNIT_ASSERT_EQ_MSG(test, kpt_phys(kd, kpt_slot_va(ref, slot) + off),
			    expect, "iova_to_phys at granule %u", slot);
}

static void kpt_rand_dirty(struct kunit *test, struct kpt_ref *ref)
{
	struct kpt_domain *kd = ref->kd;
	unsigned int first = kpt_rand(ref, KPT_WINDOW);
	unsigned int num = 1 + kpt_rand(ref, KPT_WINDOW - first);
	bool no_clear = kpt_rand(ref, 2);
	struct iommu_iotlb_gather gather;
	struct iommu_dirty_bitmap dirty;
	pt_vaddr_t expect_first = PT_VADDR_MAX, expect_last = 0;
	unsigned int i;
	int ret;

	if (!ref->can_dirty)
		return;
	/* Play the hardware: dirty some mapped granules */
	for (i = 0; i != 4; i++) {
		unsigned int s = kpt_rand(ref, KPT_WINDOW);

		if (!ref->slot[s])
			continue;
		ret = PT_IOMMU_NS(set_dirty)(&kd->table, kpt_slot_va(ref, s));
		KUNIT_ASSERT_EQ(test, ret, 0);
		ref->leaves[ref->slot[s]].dirty = true;
	}

	for (i = first; i != first + num; i++) {
		struct kpt_ref_leaf *leaf = &ref->leaves[ref->slot[i]];

		if (!ref->slot[i] || !leaf->dirty)
			continue;
		/* Whole, from the start of the request on */
		expect_first = min(expect_first, max(kpt_slot_va(ref, leaf->first),
						     kpt_slot_va(ref, first)));
		expect_last = max(expect_last,
				  kpt_slot_va(ref, leaf->first + leaf->num) - 1);
	}
	for (i = first; i != first + num; i++)
		if (ref->slot[i] && !no_clear)
			ref->leaves[ref->slot[i]].dirty = false;

	iommu_dirty_bitmap_init(&dirty, NULL, &gather);
	ret = PT_IOMMU_NS(read_and_clear_dirty)(kpt_dom(kd),
						kpt_slot_va(ref, first),
						log2_mul(num, kd->granule_lg2),
						no_clear ? IOMMU_DIRTY_NO_CLEAR :
							   0,
						&dirty);
	KUNIT_ASSERT_EQ(test, ret, 0);
	if (expect_first == PT_VADDR_MAX) {
		KUNIT_ASSERT_EQ_MSG(test, gather.start, ULONG_MAX,
				    "dirty reported where nothing is");
		return;
	}
	KUNIT_ASSERT_EQ(test, gather.start, (unsigned long)expect_first);
	KUNIT_ASSERT_EQ(test, gather.end, (unsigned long)expect_last);
}

/* Probe what a new writable leaf looks like to dirty tracking */
static void kpt_probe_dirty(struct kunit *test, struct kpt_ref *ref)
{
	struct kpt_domain *kd = ref->kd;
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	struct iommu_iotlb_gather gather;
	struct iommu_dirty_bitmap dirty;

	KUNIT_ASSERT_EQ(test, kpt_map(kd, ref->base, 0, granule), 0);
	iommu_dirty_bitmap_init(&dirty, NULL, &gather);
	kpt_dom(kd)->dirty_ops->read_and_clear_dirty(kpt_dom(kd), ref->base,
						     granule, 0, &dirty);
	ref->new_leaf_dirty = gather.start != ULONG_MAX;
	ref->can_dirty =
		PT_IOMMU_NS(set_dirty)(&kd->table, ref->base) == 0;
	KUNIT_ASSERT_EQ(test, kpt_unmap(kd, ref->base, granule), granule);
}

/* Seeded random operations against the reference, reproducible by name */
static void test_random(struct kunit *test)
{
	const struct pt_kunit_fmt_cfg *kcfg = test->param_value;
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t window = log2_mul(KPT_WINDOW, kd->granule_lg2);
	char desc[KUNIT_PARAM_DESC_SIZE];
	struct kpt_ref *ref;
	unsigned int op;
	u32 seed = 0;

	ref = kunit_kzalloc(test, sizeof(*ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	ref->kd = kd;
	kpt_desc(kcfg, desc);
	for (op = 0; desc[op]; op++)
		seed = seed * 31 + desc[op];
	prandom_seed_state(&ref->rnd, seed);

	/* A window aligned to its size somewhere in the VA */
	ref->base = log2_set_mod(((pt_vaddr_t)prandom_u32_state(&ref->rnd)
				  << 32 |
				  prandom_u32_state(&ref->rnd)) &
					 kd->max_va,
				 0, vafls(window - 1));
	if (ref->base + window - 1 > kd->max_va || ref->base + window < window)
		ref->base = 0;
	ref->oa_base = oalog2_set_mod(((pt_oaddr_t)prandom_u32_state(&ref->rnd)
				       << 20) & kd->max_oa,
				      0, vafls(window - 1));
	if (ref->oa_base > kd->max_oa - 2 * window)
		ref->oa_base = 0;
	kpt_probe_dirty(test, ref);

	for (op = 0; op != 2000; op++) {
		switch (kpt_rand(ref, 8)) {
		case 0 ... 2:
			kpt_rand_map(test, ref);
			break;
		case 3 ... 4:
			kpt_rand_unmap(test, ref);
			break;
		case 5 ... 6:
			kpt_rand_check(test, ref);
			break;
		default:
			kpt_rand_dirty(test, ref);
			break;
		}
	}
	/* Everything left matches, then goes */
	for (op = 0; op != KPT_WINDOW; op++) {
		struct kpt_ref_leaf *leaf = &ref->leaves[ref->slot[op]];

		KUNIT_ASSERT_EQ(test, kpt_phys(kd, kpt_slot_va(ref, op)),
				ref->slot[op] ?
					leaf->oa + log2_mul(op - leaf->first,
							    kd->granule_lg2) :
					0);
	}
}

/* ------------------------------------------------------- threads */

#define KPT_THREADS 4
#define KPT_THREAD_ROUNDS 16

struct kpt_thread {
	struct kpt_domain *kd;
	struct completion done;
	pt_vaddr_t base;
	int error;
};

/*
 * Each thread owns a span that starts in a different top level item, so
 * they share the upper tables, and with a dynamic top the spans reach up to
 * make the top grow while the others map.
 */
static int kpt_thread_fn(void *data)
{
	struct kpt_thread *t = data;
	struct kpt_domain *kd = t->kd;
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	struct iommu_iotlb_gather gather;
	size_t mapped;
	unsigned int i;

	/* Map and unmap each of 16 granules in turn; the last round stays */
	for (i = 0; i != KPT_THREAD_ROUNDS * 16 && !t->error; i++) {
		pt_vaddr_t va = t->base + (i % 16) * granule;

		mapped = 0;
		t->error = kpt_dom(kd)->ops->map_pages(kpt_dom(kd), va, va,
						       granule, 1, IOMMU_READ,
						       GFP_KERNEL, &mapped);
		if (t->error)
			break;
		if (i < (KPT_THREAD_ROUNDS - 1) * 16) {
			iommu_iotlb_gather_init(&gather);
			if (kpt_dom(kd)->ops->unmap_pages(kpt_dom(kd), va,
							  granule, 1,
							  &gather) != granule)
				t->error = -EIO;
			iommu_iotlb_sync(kpt_dom(kd), &gather);
		}
		if (i % 8 == 7)
			cond_resched();
	}
	complete(&t->done);
	return 0;
}

static void test_threads(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	struct kpt_thread *threads;
	unsigned int i, j;

	threads = kunit_kcalloc(test, KPT_THREADS, sizeof(*threads),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	for (i = 0; i != KPT_THREADS; i++) {
		struct pt_range range = pt_make_range(kpt_common(kd), 0, 0);
		struct pt_state pts = { .range = &range, .level = i };
		unsigned int span = min_t(unsigned int, pt_table_span_lg2(&pts),
					vafls(kd->max_va) - 1);

		threads[i].kd = kd;
		init_completion(&threads[i].done);
		/* Thread i starts at the top of a level i table's span */
		threads[i].base = i ? log2_to_int(span) + i * 64 * granule : 0;
		if (threads[i].base + 64 * granule - 1 > kd->max_va)
			threads[i].base = i * 64 * granule;
	}
	for (i = 0; i != KPT_THREADS; i++)
		KUNIT_ASSERT_FALSE(test,
				   IS_ERR(kthread_run(kpt_thread_fn, &threads[i],
						      "kpt_map%u", i)));
	for (i = 0; i != KPT_THREADS; i++)
		wait_for_completion(&threads[i].done);

	for (i = 0; i != KPT_THREADS; i++) {
		KUNIT_EXPECT_EQ(test, threads[i].error, 0);
		for (j = 0; j != 16; j++) {
			pt_vaddr_t va = threads[i].base + j * granule;

			KUNIT_EXPECT_EQ_MSG(test, kpt_phys(kd, va + 1), va + 1,
					    "thread %u granule %u", i, j);
		}
		KUNIT_EXPECT_EQ(test, kpt_phys(kd, threads[i].base + 16 * granule),
				0);
	}
}

/* ------------------------------------------------------- incoherent */

static bool kpt_flushed(const void *va, size_t len)
{
	unsigned int n = atomic_read(&kpt_flushes);
	unsigned int i;

	for (i = 0; i != min_t(unsigned int, n, KPT_FLUSH_LOG); i++) {
		const void *f = kpt_flush_log[i].va;

		if (va >= f && va + len <= f + kpt_flush_log[i].len)
			return true;
	}
	return false;
}

static __always_inline int __kpt_check_flushed(struct pt_range *range,
					       void *arg, unsigned int level,
					       struct pt_table_p *table,
					       pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	struct kunit *test = arg;

	pt_load_entry(&pts);
	KUNIT_EXPECT_TRUE_MSG(test,
			      kpt_flushed(&pt_items(table)[pts.index],
					  PT_ITEM_WORD_SIZE),
			      "item at level %u not flushed", level);
	if (pts.type == PT_ENTRY_TABLE) {
		KUNIT_EXPECT_TRUE(test, pt_test_sw_flush_bit(&pts));
		return pt_descend(&pts, arg, descend_fn);
	}
	return 0;
}

PT_MAKE_WALKER(kpt_check_flushed, __kpt_check_flushed);

/* An incoherent walker sees every item a map wrote */
static void test_incoherent_flush(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	pt_vaddr_t va = kd->max_va & ~(granule - 1);
	struct pt_range range;
	unsigned int before;

	if (!pt_feature(kpt_common(kd), PT_FEAT_DMA_INCOHERENT))
		kunit_skip(test, "coherent");
	if (kpt_dynamic(kd))
		va = 0;
	atomic_set(&kpt_flushes, 0);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, va, granule, granule), 0);
	range = pt_make_range(kpt_common(kd), va, va);
	kpt_check_flushed(&range, test);

	before = atomic_read(&kpt_flushes);
	KUNIT_ASSERT_EQ(test, kpt_unmap(kd, va, granule), granule);
	KUNIT_EXPECT_EQ(test, atomic_read(&kpt_flushes), before + 1);
	KUNIT_EXPECT_TRUE(test, kpt_flush_log[before % KPT_FLUSH_LOG].len ==
					PT_ITEM_WORD_SIZE);
}

/* Clear the software flush bit of every table item on the way to @range */
static __always_inline int __kpt_unflush(struct pt_range *range, void *arg,
					 unsigned int level,
					 struct pt_table_p *table,
					 pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);

	if (pt_load_entry(&pts) != PT_ENTRY_TABLE)
		return 0;
	pt_update_item(&pts, pts.index, pt_sw_flush_bit(&pts), 0);
	(*(unsigned int *)arg)++;
	return pt_descend(&pts, arg, descend_fn);
}

PT_MAKE_WALKER(kpt_unflush, __kpt_unflush);

/*
 * A map that goes through table items whose installer has not flushed them
 * yet (their software bit is clear, as while another thread maps) flushes
 * them itself and sets the bit, on the single page fast path too.
 */
static void test_incoherent_unflushed_table(struct kunit *test)
{
	struct kpt_domain *kd = kpt_setup(test);
	pt_vaddr_t granule = log2_to_int(kd->granule_lg2);
	pt_vaddr_t va = kd->max_va & ~(2 * granule - 1);
	struct pt_range range;
	unsigned int tables = 0;

	if (!pt_feature(kpt_common(kd), PT_FEAT_DMA_INCOHERENT))
		kunit_skip(test, "coherent");
	if (kpt_dynamic(kd))
		va = 0;
	KUNIT_ASSERT_EQ(test, kpt_map(kd, va, granule, granule), 0);
	range = pt_make_range(kpt_common(kd), va + granule, va + granule);
	kpt_unflush(&range, &tables);
	KUNIT_ASSERT_GT(test, tables, 0);

	atomic_set(&kpt_flushes, 0);
	KUNIT_ASSERT_EQ(test, kpt_map(kd, va + granule, 2 * granule, granule),
			0);
	KUNIT_EXPECT_EQ(test, kpt_phys(kd, va + granule), 2 * granule);
	/* Every table item flushed again with its bit set, and the leaf */
	range = pt_make_range(kpt_common(kd), va + granule, va + granule);
	kpt_check_flushed(&range, test);
	KUNIT_EXPECT_EQ(test, atomic_read(&kpt_flushes), tables + 1);
}

static struct kunit_case pt_iommu_test_cases[] = {
	KUNIT_CASE_PARAM(test_init, kpt_gen_params),
	KUNIT_CASE_PARAM(test_every_pgsize, kpt_gen_params),
	KUNIT_CASE_PARAM(test_narrowed_pgsize, kpt_gen_params),
	KUNIT_CASE_PARAM(test_iova_to_phys, kpt_gen_params),
	KUNIT_CASE_PARAM(test_overmap, kpt_gen_params),
	KUNIT_CASE_PARAM(test_unmap_edges, kpt_gen_params),
	KUNIT_CASE_PARAM(test_unmap_fgsp, kpt_gen_params),
	KUNIT_CASE_PARAM(test_unmap_partial_leaf, kpt_gen_params),
	KUNIT_CASE_PARAM(test_gather_pgsize, kpt_gen_params),
	KUNIT_CASE_PARAM(test_dirty_whole_leaf, kpt_gen_params),
	KUNIT_CASE_PARAM(test_bad_input, kpt_gen_params),
	KUNIT_CASE_PARAM(test_dynamic_top, kpt_gen_params),
	KUNIT_CASE_PARAM(test_change_top_order, kpt_gen_params),
	KUNIT_CASE_PARAM(test_alloc_failure, kpt_gen_params),
	KUNIT_CASE_PARAM(test_map_busy_no_change, kpt_gen_params),
	KUNIT_CASE_PARAM(test_map_contig_busy, kpt_gen_params),
	KUNIT_CASE_PARAM(test_map_across_tables, kpt_gen_params),
	KUNIT_CASE_PARAM(test_rcu_free, kpt_gen_params),
	KUNIT_CASE_PARAM(test_random, kpt_gen_params),
	KUNIT_CASE_PARAM(test_threads, kpt_gen_params),
	KUNIT_CASE_PARAM(test_incoherent_flush, kpt_gen_params),
	KUNIT_CASE_PARAM(test_incoherent_unflushed_table, kpt_gen_params),
	{}
};

static struct kunit_suite pt_iommu_test_suite = {
	.name = "generic_pt_iommu_" __stringify(PT_FMT),
	.test_cases = pt_iommu_test_cases,
};

kunit_test_suites(&pt_iommu_test_suite);

MODULE_DESCRIPTION("Generic page table IOMMU tests: " __stringify(PT_FMT));
MODULE_LICENSE("GPL");
