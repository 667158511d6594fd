/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Format level KUnit tests, compiled once per format by including this after
 * the format header. Every case runs over every configuration the format
 * lists in pt_kunit_fmt_cfgs[] and checks the encodings at every level: the
 * geometry tiles the VA space, tables and leaves of every size read back as
 * written, attributes and dirty state round trip, and a generated walker
 * finds what was installed.
 *
 * Nothing here needs an iommu_domain; the tables are plain memory.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "pt_iter.h"

struct kunit_pt {
	struct kunit *test;
	const struct pt_kunit_fmt_cfg *cfg;
	struct pt_common common;
	struct pt_table_p *top;
	unsigned int top_level;
};

/* The lg2 of the next size at or above from in a bitmap of sizes, or 64 */
static unsigned int kpt_next_size(u64 sizes, unsigned int from)
{
	if (from >= 64 || !(sizes >> from))
		return 64;
	return __ffs64(sizes >> from) + from;
}

static void kpt_cfg_desc(const struct pt_kunit_fmt_cfg *cfg, char *desc)
{
	if (cfg->name)
		strscpy(desc, cfg->name, KUNIT_PARAM_DESC_SIZE);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE,
			 "granule%u,va%u,oa%u,top%d,features%#x",
			 cfg->granule_lg2, cfg->vasz_lg2, cfg->oasz_lg2,
			 cfg->top_level, cfg->features);
}

KUNIT_ARRAY_PARAM(kpt_fmt, pt_kunit_fmt_cfgs, kpt_cfg_desc);

/* Zeroed, naturally aligned table memory freed when the test ends */
static struct pt_table_p *kpt_alloc_table(struct kunit *test,
					  unsigned int memsize_lg2)
{
	size_t size = max_t(size_t, 64, 1UL << memsize_lg2);
	void *mem = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED((uintptr_t)mem, size));
	return mem;
}

static struct pt_state kpt_state(struct pt_range *range, unsigned int level,
				 struct pt_table_p *table, unsigned int index)
{
	struct pt_state pts = pt_init(range, level, table);

	pts.index = index;
	pts.end_index = log2_to_int_t(unsigned int, pt_num_items_lg2(&pts));
	return pts;
}

static struct kunit_pt *kpt_setup(struct kunit *test)
{
	const struct pt_kunit_fmt_cfg *cfg = test->param_value;
	struct kunit_pt *kpt;
	struct pt_range range;
	struct pt_state pts;
	int ret;

	kpt = kunit_kzalloc(test, sizeof(*kpt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kpt);
	kpt->test = test;
	kpt->cfg = cfg;
	kpt->common.features = cfg->features;
	kpt->common.max_vasz_lg2 = cfg->vasz_lg2;
	kpt->common.max_oasz_lg2 = cfg->oasz_lg2;

	ret = pt_fmt_init(&kpt->common, cfg->top_level);
	KUNIT_ASSERT_EQ_MSG(test, ret, (int)cfg->top_level,
			    "pt_fmt_init() chose another top level");
	kpt->top_level = ret;

	pt_top_set(&kpt->common, NULL, kpt->top_level);
	range = pt_make_range(&kpt->common, 0, 0);
	pts = pt_init_top(&range);
	kpt->top = kpt_alloc_table(test, pt_table_memsize_lg2(&pts));
	pt_top_set(&kpt->common, kpt->top, kpt->top_level);
	return kpt;
}

static unsigned int kpt_item_lg2(struct kunit_pt *kpt, unsigned int level)
{
	struct pt_range range = pt_make_range(&kpt->common, 0, 0);
	struct pt_state pts = pt_init(&range, level, NULL);

	return pt_table_item_lg2sz(&pts);
}

/* How many items of the top table the VA space reaches */
static unsigned int kpt_top_items_used(struct kunit_pt *kpt)
{
	return log2_to_int_t(unsigned int,
			     kpt->common.max_vasz_lg2 -
				     kpt_item_lg2(kpt, kpt->top_level));
}

/* Items of a table at this level that a test may use */
static unsigned int kpt_items_used(struct kunit_pt *kpt, struct pt_state *pts)
{
	if (pts->level == kpt->top_level)
		return kpt_top_items_used(kpt);
	return log2_to_int_t(unsigned int, pt_num_items_lg2(pts));
}

/* A table for a level: the real top, or a fresh table below it */
static struct pt_table_p *kpt_table_for(struct kunit_pt *kpt,
					unsigned int level)
{
	struct pt_range range = pt_make_range(&kpt->common, 0, 0);
	struct pt_state pts = pt_init(&range, level, NULL);

	if (level == kpt->top_level)
		return kpt->top;
	return kpt_alloc_table(kpt->test, pt_table_memsize_lg2(&pts));
}

/* Every page size the table can hold */
static u64 kpt_pgsize_bitmap(struct kunit_pt *kpt)
{
	struct pt_range range = pt_make_range(&kpt->common, 0, 0);
	unsigned int level;
	u64 sizes = 0;

	for (level = 0; level <= kpt->top_level; level++) {
		struct pt_state pts = pt_init(&range, level, NULL);

		sizes |= pt_leaf_sizes(&pts);
	}
	return sizes;
}

static void kpt_attrs(struct kunit_pt *kpt, struct pt_write_attrs *attrs,
		      unsigned int prot)
{
	memset(attrs, 0, sizeof(*attrs));
	KUNIT_ASSERT_EQ(kpt->test,
			pt_iommu_set_prot(&kpt->common, attrs, prot), 0);
}

/* The geometry: level 0 is the granule and each level tiles the next */
static void test_geometry(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	struct pt_range range = pt_make_range(&kpt->common, 0, 0);
	unsigned int level;

	KUNIT_EXPECT_EQ(test, kpt_item_lg2(kpt, 0), kpt->cfg->granule_lg2);
	KUNIT_EXPECT_EQ(test, pt_top_level(&kpt->common), kpt->top_level);
	KUNIT_EXPECT_LE(test, kpt->common.max_vasz_lg2, 64);

	for (level = 0; level <= kpt->top_level; level++) {
		struct pt_state pts = pt_init(&range, level, NULL);
		unsigned int span = pt_item_lg2sz(&pts) + pt_num_items_lg2(&pts);

		KUNIT_EXPECT_EQ(test, pt_can_have_table(&pts), level != 0);
		if (level == kpt->top_level) {
			KUNIT_EXPECT_GE_MSG(test, span,
					    kpt->common.max_vasz_lg2,
					    "top table does not reach max VA");
		} else {
			KUNIT_EXPECT_EQ_MSG(test, span,
					    kpt_item_lg2(kpt, level + 1),
					    "level %u does not tile level %u",
					    level, level + 1);
		}
	}
	KUNIT_EXPECT_NE(test, kpt_pgsize_bitmap(kpt) &
				      BIT_ULL(kpt->cfg->granule_lg2), 0);
}

/* Walk every item of a range of one table, checking each VA */
static void kpt_check_tiling(struct kunit_pt *kpt, unsigned int level,
			     struct pt_table_p *table, pt_vaddr_t va,
			     pt_vaddr_t last_va, unsigned int expect_items)
{
	struct kunit *test = kpt->test;
	struct pt_range range = pt_make_range(&kpt->common, va, last_va);
	struct pt_state pts = pt_init(&range, level, table);
	unsigned int item_lg2 = pt_item_lg2sz(&pts);
	pt_vaddr_t expect_va = va;
	unsigned int count = 0;

	for_each_pt_level_entry(&pts) {
		KUNIT_ASSERT_EQ(test, pts.type, PT_ENTRY_EMPTY);
		KUNIT_ASSERT_EQ_MSG(test, range.va, expect_va,
				    "item %u at level %u", count, level);
		KUNIT_ASSERT_EQ(test, pt_index_to_va(&pts), expect_va);
		expect_va += log2_to_int(item_lg2);
		count++;
	}
	KUNIT_EXPECT_EQ(test, count, expect_items);
	/* The last item ends exactly at the end of the range */
	KUNIT_EXPECT_EQ(test, expect_va - 1, last_va);
}

/* Items at every level tile the VA space with no gap or overlap */
static void test_tiling(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	const struct pt_common *common = &kpt->common;
	unsigned int top_items = kpt_top_items_used(kpt);
	unsigned int level;

	if (pt_feature(common, PT_FEAT_SIGN_EXTEND)) {
		kpt_check_tiling(kpt, kpt->top_level, kpt->top, 0,
				 pt_max_va(common), top_items / 2);
		kpt_check_tiling(kpt, kpt->top_level, kpt->top,
				 pt_min_signed_va(common), PT_VADDR_MAX,
				 top_items / 2);
	} else {
		kpt_check_tiling(kpt, kpt->top_level, kpt->top, 0,
				 pt_max_va(common), top_items);
	}

	/* One item of each upper level, at the top of the VA space */
	for (level = 0; level < kpt->top_level; level++) {
		unsigned int span = kpt_item_lg2(kpt, level + 1);
		pt_vaddr_t va = log2_set_mod(pt_max_va(common), 0, span);
		struct pt_table_p *table = kpt_table_for(kpt, level);
		struct pt_range range = pt_make_range(&kpt->common, 0, 0);
		struct pt_state pts = pt_init(&range, level, NULL);

		kpt_check_tiling(kpt, level, table, va, pt_max_va(common),
				 log2_to_int_t(unsigned int,
					       pt_num_items_lg2(&pts)));
	}
}

/* The edges of the VA space, and sign extension */
static void test_max_va(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	struct pt_common *common = &kpt->common;
	unsigned int vasz_lg2 = common->max_vasz_lg2;
	pt_vaddr_t max_va = pt_max_va(common);
	struct pt_range range;
	struct pt_state pts;

	KUNIT_EXPECT_TRUE(test, pt_va_valid(common, 0));
	KUNIT_EXPECT_TRUE(test, pt_va_valid(common, max_va));

	if (pt_feature(common, PT_FEAT_SIGN_EXTEND)) {
		pt_vaddr_t min_va = pt_min_signed_va(common);

		KUNIT_EXPECT_EQ(test, max_va, log2_to_max_int(vasz_lg2 - 1));
		KUNIT_EXPECT_EQ(test, min_va, ~max_va);
		KUNIT_EXPECT_FALSE(test, pt_va_valid(common, max_va + 1));
		KUNIT_EXPECT_FALSE(test, pt_va_valid(common, min_va - 1));
		KUNIT_EXPECT_TRUE(test, pt_va_valid(common, min_va));
		KUNIT_EXPECT_TRUE(test, pt_va_valid(common, PT_VADDR_MAX));

		range = pt_make_range(common, min_va, PT_VADDR_MAX);
		KUNIT_EXPECT_EQ(test, pt_check_range(&range), 0);
		pts = pt_init_top(&range);
		KUNIT_EXPECT_EQ(test, pts.index, kpt_top_items_used(kpt) / 2);
		KUNIT_EXPECT_EQ(test, pts.end_index, kpt_top_items_used(kpt));

		/* A range may not cross the hole */
		range = pt_make_range(common, max_va, min_va);
		KUNIT_EXPECT_EQ(test, pt_check_range(&range), -ERANGE);
		range = pt_make_range(common, 0, min_va);
		KUNIT_EXPECT_EQ(test, pt_check_range(&range), -ERANGE);
	} else {
		KUNIT_EXPECT_EQ(test, max_va, log2_to_max_int(vasz_lg2));
		if (vasz_lg2 < BITS_PER_TYPE(pt_vaddr_t)) {
			KUNIT_EXPECT_FALSE(test,
					   pt_va_valid(common, max_va + 1));
			KUNIT_EXPECT_FALSE(test,
					   pt_va_valid(common, PT_VADDR_MAX));
			range = pt_make_range(common, 0, max_va + 1);
			KUNIT_EXPECT_EQ(test, pt_check_range(&range), -ERANGE);
		}
	}

	range = pt_make_range(common, 0, max_va);
	KUNIT_EXPECT_EQ(test, pt_check_range(&range), 0);
	pts = pt_init_top(&range);
	KUNIT_EXPECT_EQ(test, pts.index, 0);
	range = pt_make_range(common, max_va, max_va);
	pts = pt_init_top(&range);
	KUNIT_EXPECT_EQ(test, pts.end_index, pts.index + 1);
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND))
		KUNIT_EXPECT_EQ(test, pts.index,
				kpt_top_items_used(kpt) / 2 - 1);
	else
		KUNIT_EXPECT_EQ(test, pts.index, kpt_top_items_used(kpt) - 1);

	range = pt_make_range(common, 1, 0);
	KUNIT_EXPECT_EQ(test, pt_check_range(&range), -ERANGE);
}

static void kpt_check_table_at(struct kunit_pt *kpt, unsigned int level,
			       struct pt_table_p *table, unsigned int index)
{
	struct kunit *test = kpt->test;
	struct pt_range range = pt_make_range(&kpt->common, 0, 0);
	struct pt_state pts = kpt_state(&range, level, table, index);
	struct pt_state lower_pts = pt_init(&range, level - 1, NULL);
	struct pt_table_p *lower =
		kpt_alloc_table(test, pt_table_memsize_lg2(&lower_pts));
	struct pt_write_attrs attrs = { .gfp = GFP_KERNEL };
	u64 stale;

	KUNIT_ASSERT_EQ(test, pt_load_entry(&pts), PT_ENTRY_EMPTY);
	stale = pts.entry;
	KUNIT_ASSERT_TRUE(test, pt_install_table(&pts,
						 pt_table_virt_to_pa(lower),
						 &attrs));
	KUNIT_ASSERT_EQ(test, pt_load_entry(&pts), PT_ENTRY_TABLE);
	KUNIT_EXPECT_EQ(test, pt_table_pa(&pts), pt_table_virt_to_pa(lower));
	KUNIT_EXPECT_PTR_EQ(test, pt_table_ptr(&pts), lower);
	KUNIT_EXPECT_FALSE(test, pt_test_sw_flush_bit(&pts));

	/* Publishing is a compare-and-exchange: a stale loser fails */
	pts.entry = stale;
	KUNIT_EXPECT_FALSE(test, pt_install_table(&pts,
						  pt_table_virt_to_pa(lower),
						  &attrs));
	KUNIT_ASSERT_EQ(test, pt_load_entry(&pts), PT_ENTRY_TABLE);

	if (pt_sw_flush_bit(&pts) &&
	    pt_feature(&kpt->common, PT_FEAT_DMA_INCOHERENT)) {
		pt_set_sw_flush_bit(&pts);
		KUNIT_ASSERT_EQ(test, pt_load_entry(&pts), PT_ENTRY_TABLE);
		KUNIT_EXPECT_TRUE(test, pt_test_sw_flush_bit(&pts));
		KUNIT_EXPECT_EQ(test, pt_table_pa(&pts),
				pt_table_virt_to_pa(lower));
	}

	pt_clear_entry(&pts, 0);
	KUNIT_EXPECT_EQ(test, pt_load_entry(&pts), PT_ENTRY_EMPTY);
}

/* A table pointer installed at every level reads back */
static void test_table_install(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	unsigned int level;

	for (level = 1; level <= kpt->top_level; level++) {
		struct pt_table_p *table = kpt_table_for(kpt, level);
		struct pt_range range = pt_make_range(&kpt->common, 0, 0);
		struct pt_state pts = pt_init(&range, level, table);
		unsigned int used = kpt_items_used(kpt, &pts);

		KUNIT_ASSERT_TRUE(test, pt_can_have_table(&pts));
		kpt_check_table_at(kpt, level, table, 0);
		kpt_check_table_at(kpt, level, table, used / 2);
		kpt_check_table_at(kpt, level, table, used - 1);
	}
}

/* Install a leaf, check every item of it and its neighbours, clear it */
static void kpt_check_leaf_at(struct kunit_pt *kpt, struct pt_state *pts,
			      unsigned int first, pt_oaddr_t oa,
			      unsigned int oasz_lg2,
			      const struct pt_write_attrs *attrs)
{
	struct kunit *test = kpt->test;
	unsigned int item_lg2 = pt_item_lg2sz(pts);
	unsigned int contig_lg2 = oasz_lg2 - item_lg2;
	unsigned int num = log2_to_int_t(unsigned int, contig_lg2);
	unsigned int used = kpt_items_used(kpt, pts);
	struct pt_write_attrs read_attrs;
	unsigned int i;

	pts->index = first;
	KUNIT_ASSERT_EQ(test, pt_load_entry(pts), PT_ENTRY_EMPTY);
	pt_install_leaf(pts, oa, oasz_lg2, attrs);

	for (i = 0; i != num; i++) {
		pts->index = first + i;
		KUNIT_ASSERT_EQ_MSG(test, pt_load_entry(pts), PT_ENTRY_OA,
				    "level %u size %u item %u", pts->level,
				    oasz_lg2, i);
		KUNIT_ASSERT_EQ(test, pt_entry_num_contig_lg2(pts), contig_lg2);
		KUNIT_ASSERT_EQ(test, pt_entry_oa_lg2sz(pts), oasz_lg2);
		KUNIT_ASSERT_EQ(test, pt_entry_oa(pts), oa);
		KUNIT_ASSERT_EQ(test, pt_item_oa(pts),
				oa + oalog2_mul(i, item_lg2));
		pt_attr_from_entry(pts, &read_attrs);
		KUNIT_ASSERT_EQ(test, read_attrs.descriptor_bits,
				attrs->descriptor_bits);
	}
	if (first) {
		pts->index = first - 1;
		KUNIT_EXPECT_EQ(test, pt_load_entry(pts), PT_ENTRY_EMPTY);
	}
	if (first + num < used) {
		pts->index = first + num;
		KUNIT_EXPECT_EQ(test, pt_load_entry(pts), PT_ENTRY_EMPTY);
	}

	/* Iteration steps over the whole entry at once */
	pts->index = first;
	pt_load_entry(pts);
	pt_next_entry(pts);
	KUNIT_EXPECT_EQ(test, pts->index, first + num);

	pts->index = first + num - 1;
	pt_load_entry(pts);
	pt_clear_entry(pts, contig_lg2);
	for (i = 0; i != num; i++) {
		pts->index = first + i;
		KUNIT_ASSERT_EQ(test, pt_load_entry(pts), PT_ENTRY_EMPTY);
	}
}

/* Every leaf size at every level, at both ends of the table and the OA */
static void test_leaf_install(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	unsigned int oasz_lg2 = kpt->common.max_oasz_lg2;
	struct pt_write_attrs attrs;
	unsigned int level;
	unsigned int tested = 0;

	kpt_attrs(kpt, &attrs, IOMMU_READ | IOMMU_WRITE);
	for (level = 0; level <= kpt->top_level; level++) {
		struct pt_table_p *table = kpt_table_for(kpt, level);
		struct pt_range range = pt_make_range(&kpt->common, 0, 0);
		struct pt_state pts = kpt_state(&range, level, table, 0);
		unsigned int used = kpt_items_used(kpt, &pts);
		u64 sizes = pt_leaf_sizes(&pts);
		unsigned int size_lg2;

		for (size_lg2 = kpt_next_size(sizes, 0); size_lg2 < 64;
		     size_lg2 = kpt_next_size(sizes, size_lg2 + 1)) {
			unsigned int contig_lg2 =
				size_lg2 - pt_item_lg2sz(&pts);
			unsigned int num =
				log2_to_int_t(unsigned int, contig_lg2);
			pt_oaddr_t top_oa =
				oalog2_set_mod(oalog2_to_max_int(oasz_lg2), 0,
					       size_lg2);

			KUNIT_ASSERT_LE(test, num, used);
			kpt_check_leaf_at(kpt, &pts, 0, top_oa, size_lg2,
					  &attrs);
			kpt_check_leaf_at(kpt, &pts, used - num,
					  oalog2_to_int(size_lg2), size_lg2,
					  &attrs);
			kpt_check_leaf_at(kpt, &pts, used - num, 0, size_lg2,
					  &attrs);
			tested++;
		}
	}
	KUNIT_EXPECT_GT(test, tested, 0);
}

/* Protections encode to attributes that read back unchanged */
static void test_attrs(struct kunit *test)
{
	static const unsigned int prots[] = {
		IOMMU_READ,
		IOMMU_WRITE,
		IOMMU_READ | IOMMU_WRITE,
		IOMMU_READ | IOMMU_CACHE,
		IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE | IOMMU_NOEXEC,
		IOMMU_READ | IOMMU_MMIO,
		IOMMU_READ | IOMMU_WRITE | IOMMU_PRIV,
	};
	struct kunit_pt *kpt = kpt_setup(test);
	struct pt_write_attrs attrs = {};
	struct pt_write_attrs read_attrs;
	unsigned int level;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, pt_iommu_set_prot(&kpt->common, &attrs, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			pt_iommu_set_prot(&kpt->common, &attrs, IOMMU_CACHE),
			-EINVAL);

	for (level = 0; level <= kpt->top_level; level++) {
		struct pt_table_p *table = kpt_table_for(kpt, level);
		struct pt_range range = pt_make_range(&kpt->common, 0, 0);
		struct pt_state pts = kpt_state(&range, level, table, 0);
		unsigned int size_lg2 = pt_item_lg2sz(&pts);

		if (!(pt_leaf_sizes(&pts) & BIT_ULL(size_lg2)))
			continue;
		for (i = 0; i != ARRAY_SIZE(prots); i++) {
			kpt_attrs(kpt, &attrs, prots[i]);
			pt_install_leaf(&pts, 0, size_lg2, &attrs);
			KUNIT_ASSERT_EQ(test, pt_load_entry(&pts), PT_ENTRY_OA);
			pt_attr_from_entry(&pts, &read_attrs);
			KUNIT_EXPECT_EQ_MSG(test, read_attrs.descriptor_bits,
					    attrs.descriptor_bits,
					    "prot %x level %u", prots[i],
					    level);
			pt_clear_entry(&pts, 0);
		}
	}
}

/* Clearing one entry leaves its neighbours alone */
static void test_clear(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	struct pt_table_p *table = kpt_table_for(kpt, 0);
	struct pt_range range = pt_make_range(&kpt->common, 0, 0);
	struct pt_state pts = kpt_state(&range, 0, table, 0);
	unsigned int used = kpt_items_used(kpt, &pts);
	unsigned int granule = pt_item_lg2sz(&pts);
	struct pt_write_attrs attrs;
	unsigned int i;

	kpt_attrs(kpt, &attrs, IOMMU_READ);
	for (i = 0; i != used; i++) {
		pts.index = i;
		pt_install_leaf(&pts, oalog2_mul(i, granule), granule, &attrs);
	}
	pts.index = used / 2;
	pt_load_entry(&pts);
	pt_clear_entry(&pts, 0);
	for (i = 0; i != used; i++) {
		pts.index = i;
		if (i == used / 2) {
			KUNIT_EXPECT_EQ(test, pt_load_entry(&pts),
					PT_ENTRY_EMPTY);
			continue;
		}
		KUNIT_ASSERT_EQ(test, pt_load_entry(&pts), PT_ENTRY_OA);
		KUNIT_EXPECT_EQ(test, pt_item_oa(&pts),
				oalog2_mul(i, granule));
	}
}

static void kpt_check_dirty_run(struct kunit_pt *kpt, struct pt_state *pts,
				unsigned int first, unsigned int num,
				bool expect)
{
	unsigned int i;

	for (i = 0; i != num; i++) {
		pts->index = first + i;
		KUNIT_ASSERT_EQ(kpt->test, pt_load_entry(pts), PT_ENTRY_OA);
		KUNIT_EXPECT_EQ_MSG(kpt->test, pt_entry_write_is_dirty(pts),
				    expect, "level %u item %u of %u",
				    pts->level, i, num);
	}
}

/* Dirty set, test and clear on every leaf size */
static void test_dirty(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	struct pt_write_attrs attrs;
	unsigned int level;
	unsigned int tested = 0;

	kpt_attrs(kpt, &attrs, IOMMU_READ | IOMMU_WRITE);
	for (level = 0; level <= kpt->top_level; level++) {
		struct pt_table_p *table = kpt_table_for(kpt, level);
		struct pt_range range = pt_make_range(&kpt->common, 0, 0);
		struct pt_state pts = kpt_state(&range, level, table, 0);
		u64 sizes = pt_leaf_sizes(&pts);
		unsigned int size_lg2;

		for (size_lg2 = kpt_next_size(sizes, 0); size_lg2 < 64;
		     size_lg2 = kpt_next_size(sizes, size_lg2 + 1)) {
			unsigned int contig_lg2 =
				size_lg2 - pt_item_lg2sz(&pts);
			unsigned int num =
				log2_to_int_t(unsigned int, contig_lg2);

			pts.index = 0;
			pt_install_leaf(&pts, 0, size_lg2, &attrs);
			pt_load_entry(&pts);
			pt_entry_make_write_clean(&pts);
			kpt_check_dirty_run(kpt, &pts, 0, num, false);

			/* The walker may dirty any one item of the run */
			pts.index = num - 1;
			pt_load_entry(&pts);
			if (!pt_entry_make_write_dirty(&pts)) {
				pt_clear_entry(&pts, size_lg2 -
							     pt_item_lg2sz(&pts));
				continue;
			}
			kpt_check_dirty_run(kpt, &pts, 0, num, true);

			pts.index = 0;
			pt_load_entry(&pts);
			pt_entry_make_write_clean(&pts);
			kpt_check_dirty_run(kpt, &pts, 0, num, false);
			KUNIT_EXPECT_EQ(test, pt_entry_oa(&pts), 0);
			KUNIT_EXPECT_EQ(test, pt_entry_oa_lg2sz(&pts), size_lg2);
			pt_clear_entry(&pts, size_lg2 - pt_item_lg2sz(&pts));
			tested++;
		}
	}
	if (!tested)
		kunit_skip(test, "no dirty tracking in this configuration");
}

/* The largest page that fits alignment and length is chosen */
static void test_best_pgsize(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	u64 bitmap = kpt_pgsize_bitmap(kpt);
	unsigned int granule = kpt->cfg->granule_lg2;
	unsigned int max_lg2 = fls64(bitmap) - 1;
	unsigned int size_lg2;

	KUNIT_ASSERT_NE(test, bitmap, 0);
	KUNIT_EXPECT_EQ(test, __ffs64(bitmap), granule);

	for (size_lg2 = kpt_next_size(bitmap, 0); size_lg2 < 64;
	     size_lg2 = kpt_next_size(bitmap, size_lg2 + 1)) {
		pt_vaddr_t va = log2_to_int(size_lg2);
		pt_vaddr_t len = log2_to_int(size_lg2);
		u64 below = bitmap & log2_to_max_int_t(u64, size_lg2);

		/* Exactly one aligned page */
		KUNIT_EXPECT_EQ(test,
				pt_best_pgsize_lg2(bitmap, va, va + len - 1,
						   va),
				size_lg2);
		/* A little longer changes nothing */
		KUNIT_EXPECT_EQ(test,
				pt_best_pgsize_lg2(bitmap, va,
						   va + len + log2_to_int(granule) -
							   1,
						   0),
				size_lg2);
		/* OA alignment limits the size */
		KUNIT_EXPECT_EQ(test,
				pt_best_pgsize_lg2(bitmap, va, va + len - 1,
						   log2_to_int(granule)),
				granule);
		/* One granule short falls back to the next smaller size */
		if (below) {
			pt_vaddr_t short_last = len - log2_to_int(granule) - 1;

			KUNIT_EXPECT_EQ(test,
					pt_best_pgsize_lg2(bitmap, 0, short_last,
							   0),
					fls64(below) - 1);
		}
	}
	KUNIT_EXPECT_EQ(test, pt_best_pgsize_lg2(bitmap, 0, PT_VADDR_MAX, 0),
			max_lg2);
	KUNIT_EXPECT_EQ(test,
			pt_best_pgsize_lg2(bitmap, 0,
					   log2_to_int(granule) - 2, 0),
			0);
}

struct kpt_walk {
	unsigned int leaves;
	unsigned int tables;
	pt_oaddr_t last_oa;
};

static __always_inline int kpt_walk_level(struct pt_range *range, void *arg,
					  unsigned int level,
					  struct pt_table_p *table,
					  pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	struct kpt_walk *walk = arg;
	int ret;

	for_each_pt_level_entry(&pts) {
		if (pts.type == PT_ENTRY_TABLE) {
			walk->tables++;
			ret = pt_descend(&pts, arg, descend_fn);
			if (ret)
				return ret;
		} else if (pts.type == PT_ENTRY_OA) {
			walk->leaves++;
			walk->last_oa = pt_item_oa(&pts);
		}
	}
	return 0;
}

PT_MAKE_WALKER(kpt_walk, kpt_walk_level);

/* A generated walker descends through installed tables to a leaf */
static void test_walker(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	struct pt_common *common = &kpt->common;
	unsigned int granule = kpt->cfg->granule_lg2;
	pt_vaddr_t va = log2_set_mod(pt_max_va(common), 0, granule);
	pt_oaddr_t oa = oalog2_to_int(granule) * 3;
	struct pt_write_attrs attrs;
	struct pt_table_p *table = kpt->top;
	struct kpt_walk walk = {};
	struct pt_range range;
	int level;

	kpt_attrs(kpt, &attrs, IOMMU_READ);
	range = pt_make_range(common, va, va);
	for (level = kpt->top_level; level > 0; level--) {
		struct pt_state pts = pt_init(&range, level, table);
		struct pt_state lower_pts = pt_init(&range, level - 1, NULL);
		struct pt_table_p *lower;

		lower = kpt_alloc_table(test,
					pt_table_memsize_lg2(&lower_pts));
		pt_load_entry(&pts);
		KUNIT_ASSERT_TRUE(test,
				  pt_install_table(&pts,
						   pt_table_virt_to_pa(lower),
						   &attrs));
		table = lower;
	}
	{
		struct pt_state pts = pt_init(&range, 0, table);

		pt_install_leaf(&pts, oa, granule, &attrs);
	}

	range = pt_make_range(common, 0, pt_max_va(common));
	KUNIT_ASSERT_EQ(test, kpt_walk(&range, &walk), 0);
	KUNIT_EXPECT_EQ(test, walk.leaves, 1);
	KUNIT_EXPECT_EQ(test, walk.tables, kpt->top_level);
	KUNIT_EXPECT_EQ(test, walk.last_oa, oa);

	/* A range that ends just below the leaf finds the tables only */
	memset(&walk, 0, sizeof(walk));
	range = pt_make_range(common, 0, va - 1);
	KUNIT_ASSERT_EQ(test, kpt_walk(&range, &walk), 0);
	KUNIT_EXPECT_EQ(test, walk.leaves, 0);
}

/* Raw items match encodings worked out by hand from the hardware manuals */
static void test_known_encodings(struct kunit *test)
{
	struct kunit_pt *kpt = kpt_setup(test);
	unsigned int matched = 0;
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(pt_kunit_fmt_vectors); i++) {
		const struct pt_kunit_fmt_vector *vec = &pt_kunit_fmt_vectors[i];
		struct pt_range range = pt_make_range(&kpt->common, 0, 0);
		struct pt_table_p *table;
		struct pt_write_attrs attrs;
		struct pt_state pts;
		u64 expect = vec->expect;

		if (vec->features != kpt->cfg->features ||
		    vec->level > kpt->top_level)
			continue;
		table = kpt_table_for(kpt, vec->level);
		pts = kpt_state(&range, vec->level, table, 0);
		if (vec->oasz_lg2 &&
		    !(pt_leaf_sizes(&pts) & BIT_ULL(vec->oasz_lg2)))
			continue;
		pt_load_entry(&pts);
		if (vec->oasz_lg2) {
			kpt_attrs(kpt, &attrs, vec->prot);
			pt_install_leaf(&pts, vec->oa, vec->oasz_lg2, &attrs);
		} else {
			struct pt_state lower_pts =
				pt_init(&range, vec->level - 1, NULL);
			struct pt_table_p *lower;

			lower = kpt_alloc_table(test,
						pt_table_memsize_lg2(&lower_pts));

			attrs.gfp = GFP_KERNEL;
			KUNIT_ASSERT_TRUE(test,
					  pt_install_table(&pts,
							   pt_table_virt_to_pa(lower),
							   &attrs));
			expect |= pt_table_virt_to_pa(lower);
		}
		KUNIT_EXPECT_EQ_MSG(test, pt_read_item(&pts, 0), expect,
				    "vector %u: level %u size %u", i,
				    vec->level, vec->oasz_lg2);
		pt_load_entry(&pts);
		pt_clear_entry(&pts, pt_entry_num_contig_lg2(&pts));
		matched++;
	}
	if (!matched)
		kunit_skip(test, "no known encodings for this configuration");
}

static struct kunit_case pt_fmt_test_cases[] = {
	KUNIT_CASE_PARAM(test_known_encodings, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_geometry, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_tiling, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_max_va, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_table_install, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_leaf_install, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_attrs, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_clear, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_dirty, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_best_pgsize, kpt_fmt_gen_params),
	KUNIT_CASE_PARAM(test_walker, kpt_fmt_gen_params),
	{}
};

static struct kunit_suite pt_fmt_test_suite = {
	.name = "generic_pt_fmt_" __stringify(PT_FMT),
	.test_cases = pt_fmt_test_cases,
};

kunit_test_suites(&pt_fmt_test_suite);

MODULE_DESCRIPTION("Generic page table format tests: " __stringify(PT_FMT));
MODULE_LICENSE("GPL");
