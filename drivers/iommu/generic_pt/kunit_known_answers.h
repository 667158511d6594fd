/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Known answers: for a (prot, features) pair, the exact item that 6.12's own
 * driver code writes, read off that code, against what the format writes
 * through map_pages(). A format's IOMMU level KUnit unit includes its table,
 * fmt/kunit_known_FMT.h, after the format; that file includes this runner
 * first, then gives the rows and the hooks declared below.
 *
 * The item is found by a walk written from the hardware manuals that shares
 * nothing with the format: from the root hw_info() gives, through 512 items
 * of 9 VA bits a level above a 4 KiB granule, a table pointer being bits
 * 51:12 with the C-bit taken out. A leaf is compared whole, its output
 * address included, in every item of a sized leaf; a table pointer in every
 * bit but its address. A refused map must leave the top table empty.
 */
#include <kunit/test.h>
#include <linux/io.h>

#define KPT_KNOWN_OA GENMASK_ULL(51, 12)
#define KPT_KNOWN_ITEMS 512

/**
 * struct kpt_known - One known answer
 * @name: What is mapped, and where in 6.12 the answer is from
 * @features: The table's features
 * @top_level: The table's top level
 * @vasz_lg2: hw_max_vasz_lg2 of the table, 0 for the format's usual one
 * @size_lg2: The leaf mapped at IOVA = @pa
 * @prot: IOMMU_* protection of the map
 * @pa: Its physical address
 * @table_level: 0 to check the leaf; else the table pointer at this level
 *     on the leaf's path
 * @expect: The item without the C-bit; a table pointer without its address
 * @err: What map_pages() returns, 0 or the errno of a refused map
 * @differs: Where the format differs from 6.12 on purpose: what 6.12
 *     writes and why we do not; NULL for an exact answer
 */
struct kpt_known {
	const char *name;
	unsigned int features;
	u8 top_level;
	u8 vasz_lg2;
	u8 size_lg2;
	unsigned int prot;
	u64 pa;
	u8 table_level;
	u64 expect;
	int err;
	const char *differs;
};

/* Given by the format's table: row @i, or NULL past the last */
static const struct kpt_known *kpt_known_row(unsigned int i);
/* The KUnit configuration of a row */
static struct pt_kunit_fmt_cfg kpt_known_cfg(const struct kpt_known *row);
/* The C-bit the row's items and root must carry, or 0 */
static u64 kpt_known_cbit(const struct kpt_known *row);
/* The root's physical address as hw_info() gives it, and the top level */
static u64 kpt_known_root(struct kpt_domain *kd, unsigned int *top_level);

static const void *kpt_known_gen_params(const void *prev, char *desc)
{
	const struct kpt_known *first = kpt_known_row(0);
	const struct kpt_known *row;

	row = kpt_known_row(prev ? (const struct kpt_known *)prev - first + 1 :
				   0);
	if (row)
		strscpy(desc, row->name, KUNIT_PARAM_DESC_SIZE);
	return row;
}

static u64 *kpt_known_table(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

/* Down to the item of @level on the path of @iova */
static u64 *kpt_known_walk(struct kunit *test, struct kpt_domain *kd,
			   const struct kpt_known *row, u64 iova,
			   unsigned int level)
{
	u64 cbit = kpt_known_cbit(row);
	unsigned int top_level;
	u64 root = kpt_known_root(kd, &top_level);
	u64 *table;
	unsigned int cur;

	KUNIT_EXPECT_EQ(test, top_level, row->top_level);
	KUNIT_EXPECT_EQ_MSG(test, root & cbit, cbit, "root %#llx lacks the C-bit",
			    root);
	table = kpt_known_table((root & ~cbit) & KPT_KNOWN_OA);
	for (cur = top_level;; cur--) {
		u64 *item = &table[(iova >> (12 + 9 * cur)) % KPT_KNOWN_ITEMS];

		if (cur == level)
			return item;
		KUNIT_ASSERT_NE_MSG(test, *item, 0, "no table at level %u", cur);
		table = kpt_known_table((*item & ~cbit) & KPT_KNOWN_OA);
	}
}

static void kpt_known_check_empty(struct kunit *test, struct kpt_domain *kd,
				  const struct kpt_known *row)
{
	u64 cbit = kpt_known_cbit(row);
	unsigned int top_level;
	u64 root = kpt_known_root(kd, &top_level);
	u64 *table = kpt_known_table((root & ~cbit) & KPT_KNOWN_OA);
	unsigned int i;

	for (i = 0; i != KPT_KNOWN_ITEMS; i++)
		KUNIT_EXPECT_EQ_MSG(test, table[i], 0,
				    "a refused map changed top item %u", i);
}

static void test_known_answer(struct kunit *test)
{
	const struct kpt_known *row = test->param_value;
	struct pt_kunit_fmt_cfg kcfg = kpt_known_cfg(row);
	u64 cbit = kpt_known_cbit(row);
	struct kpt_domain *kd;
	size_t mapped = 0;
	int ret;

	kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kd);
	KUNIT_ASSERT_EQ(test, kpt_init(test, kd, &kcfg), 0);
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, kpt_teardown, kd), 0);

	ret = kpt_dom(kd)->ops->map_pages(kpt_dom(kd), row->pa, row->pa,
					  log2_to_int(row->size_lg2), 1,
					  row->prot, GFP_KERNEL, &mapped);
	KUNIT_ASSERT_EQ_MSG(test, ret, row->err, "map_pages() prot %#x",
			    row->prot);
	if (ret) {
		KUNIT_EXPECT_EQ(test, mapped, 0);
		kpt_known_check_empty(test, kd, row);
		return;
	}
	KUNIT_EXPECT_EQ(test, mapped, log2_to_int(row->size_lg2));
	if (row->differs)
		kunit_info(test, "differs from 6.12 on purpose: %s",
			   row->differs);

	if (row->table_level) {
		u64 item = *kpt_known_walk(test, kd, row, row->pa,
					   row->table_level);
		u64 addr = item & KPT_KNOWN_OA & ~cbit;

		KUNIT_EXPECT_EQ_MSG(test, item & ~addr, row->expect | cbit,
				    "table pointer at level %u is %#llx",
				    row->table_level, item);
	} else {
		unsigned int level = (row->size_lg2 - 12) / 9;
		unsigned int num = 1U << ((row->size_lg2 - 12) % 9);
		u64 *first = kpt_known_walk(test, kd, row, row->pa, level);
		unsigned int i;

		/* 6.12 writes the same value into every item of a sized leaf */
		for (i = 0; i != num; i++)
			KUNIT_EXPECT_EQ_MSG(test, first[i], row->expect | cbit,
					    "item %u of %u of the leaf", i,
					    num);
	}
}

static struct kunit_case pt_known_test_cases[] = {
	KUNIT_CASE_PARAM(test_known_answer, kpt_known_gen_params),
	{}
};

static struct kunit_suite pt_known_test_suite = {
	.name = "generic_pt_known_" __stringify(PT_FMT),
	.test_cases = pt_known_test_cases,
};

kunit_test_suites(&pt_known_test_suite);
