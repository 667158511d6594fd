/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vocabulary of the generic page table, shared by every format header and
 * every algorithm. See Documentation/driver-api/generic_pt.rst.
 *
 * A compilation unit describes exactly one format: it includes the format's
 * defs_FMT.h, which may choose the address types, then this file, then the
 * format header, then the defaults and the helpers. PT_SUPPORTED_FEATURES
 * must be defined before this file.
 */
#ifndef __GENERIC_PT_PT_DEFS_H
#define __GENERIC_PT_PT_DEFS_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/generic_pt/common.h>
#include <linux/string.h>
#include <linux/types.h>

#include "pt_log2.h"

#ifndef PT_SUPPORTED_FEATURES
#error "The format must define PT_SUPPORTED_FEATURES"
#endif

/*
 * The name of the instance, in the names of its exported functions: the
 * format, unless the unit is one of several compiled from one format, one
 * per geometry (armv8_4k), so that the geometry is a constant in every walk.
 */
#ifndef PT_FMT_NAME
#define PT_FMT_NAME PT_FMT
#endif

/* Features that are always on for this format unless DEBUG_GENERIC_PT */
#ifndef PT_FORCE_ENABLED_FEATURES
#define PT_FORCE_ENABLED_FEATURES 0
#endif

/*
 * Formats whose addresses fit in 32 bits may define PT_VADDR_32BIT and
 * PT_OADDR_32BIT before including this file so the arithmetic is done in
 * the natural width.
 */
#ifdef PT_VADDR_32BIT
typedef u32 pt_vaddr_t;
#else
typedef u64 pt_vaddr_t;
#endif
#ifdef PT_OADDR_32BIT
typedef u32 pt_oaddr_t;
#else
typedef u64 pt_oaddr_t;
#endif

/* Every format stores its items as 64-bit words */
#define PT_ITEM_WORD_SIZE sizeof(u64)
#define PT_ITEM_WORD_LG2SZ 3

/* The deepest top level any format may have, bounded by PT_TOP_LEVEL_BITS */
#define PT_MAX_LEVELS 6

/* An opaque type for table memory so that nothing does arithmetic on it */
struct pt_table_p;

/**
 * enum pt_entry_type - What an entry holds
 * @PT_ENTRY_EMPTY: Nothing is mapped through this item
 * @PT_ENTRY_TABLE: The item points to a table one level lower
 * @PT_ENTRY_OA: The item is a leaf that translates to an output address;
 *     the entry it belongs to may span a run of contiguous items
 */
enum pt_entry_type {
	PT_ENTRY_EMPTY,
	PT_ENTRY_TABLE,
	PT_ENTRY_OA,
};

/**
 * struct pt_write_attrs - Encoded attributes of the entries a map writes
 * @descriptor_bits: The format's leaf attribute bits, computed once per map
 *     by pt_iommu_set_prot() and ORed into every leaf
 * @gfp: Allocation flags for the tables a map creates
 */
struct pt_write_attrs {
	u64 descriptor_bits;
	gfp_t gfp;
};

/**
 * struct pt_range - A span of VA being walked
 * @common: The page table
 * @top_table: The top table, sampled once from @common so that a walk is
 *     consistent even if the top grows while it runs
 * @va: The current VA; starts at the first VA and follows the walk
 * @last_va: The last VA of the span, inclusive, so a span may end at the top
 *     of a 64-bit space
 * @top_level: The level of @top_table
 * @max_vasz_lg2: Copied from @common for the walk
 */
struct pt_range {
	struct pt_common *common;
	struct pt_table_p *top_table;
	pt_vaddr_t va;
	pt_vaddr_t last_va;
	u8 top_level;
	u8 max_vasz_lg2;
};

/**
 * struct pt_state - The walk state of one table level
 * @range: The span being walked
 * @table: The table at @level
 * @entry: The raw value of the item at @index, set by pt_load_entry()
 * @index: The current item
 * @end_index: One past the last item of @table that @range covers
 * @type: The type of the entry at @index, set by pt_load_entry()
 * @level: The level of @table; 0 is the lowest and holds only leaves
 *
 * A walker keeps one of these on the stack per level. All the fields the
 * format functions read are computed from a constant level in an unrolled
 * walk, so the compiler folds the geometry.
 */
struct pt_state {
	struct pt_range *range;
	struct pt_table_p *table;
	u64 entry;
	unsigned int index;
	unsigned int end_index;
	enum pt_entry_type type;
	u8 level;
};

/*
 * Feature tests. A format lists the features it can support; every other
 * feature is constant false and its code compiles away, and features the
 * format always has are constant true. DEBUG_GENERIC_PT keeps every test at
 * run time so KUnit can exercise the whole matrix.
 */
static __always_inline bool pt_feature(const struct pt_common *common,
				       unsigned int feature_nr)
{
	if (!IS_ENABLED(CONFIG_DEBUG_GENERIC_PT)) {
		if (!(PT_SUPPORTED_FEATURES & BIT(feature_nr)))
			return false;
		if (PT_FORCE_ENABLED_FEATURES & BIT(feature_nr))
			return true;
	}
	return common->features & BIT(feature_nr);
}

/*
 * True if the table has any of the features in @mask: one test where most
 * tables have none of them, in place of one per feature
 */
static __always_inline bool pt_feature_any(const struct pt_common *common,
					   unsigned int mask)
{
	if (!IS_ENABLED(CONFIG_DEBUG_GENERIC_PT)) {
		mask &= PT_SUPPORTED_FEATURES;
		if (!mask)
			return false;
		if (PT_FORCE_ENABLED_FEATURES & mask)
			return true;
	}
	return common->features & mask;
}

static __always_inline bool pts_feature(const struct pt_state *pts,
					unsigned int feature_nr)
{
	return pt_feature(pts->range->common, feature_nr);
}

/* The VA arithmetic, always in the width of pt_vaddr_t */
#define vaffs(a) log2_ffs_t(pt_vaddr_t, a)
#define vafls(a) log2_fls_t(pt_vaddr_t, a)
#define log2_to_int(a_lg2) log2_to_int_t(pt_vaddr_t, a_lg2)
#define log2_to_max_int(a_lg2) log2_to_max_int_t(pt_vaddr_t, a_lg2)
#define log2_div(a, b_lg2) log2_div_t(pt_vaddr_t, a, b_lg2)
#define log2_mul(a, b_lg2) log2_mul_t(pt_vaddr_t, a, b_lg2)
#define log2_mod(a, b_lg2) log2_mod_t(pt_vaddr_t, a, b_lg2)
#define log2_div_eq(a, b, c_lg2) log2_div_eq_t(pt_vaddr_t, a, b, c_lg2)
#define log2_set_mod(a, val, b_lg2) log2_set_mod_t(pt_vaddr_t, a, val, b_lg2)
#define log2_set_mod_max(a, b_lg2) log2_set_mod_max_t(pt_vaddr_t, a, b_lg2)

/* The same for output addresses */
#define oalog2_to_int(a_lg2) log2_to_int_t(pt_oaddr_t, a_lg2)
#define oalog2_to_max_int(a_lg2) log2_to_max_int_t(pt_oaddr_t, a_lg2)
#define oalog2_div(a, b_lg2) log2_div_t(pt_oaddr_t, a, b_lg2)
#define oalog2_mul(a, b_lg2) log2_mul_t(pt_oaddr_t, a, b_lg2)
#define oalog2_mod(a, b_lg2) log2_mod_t(pt_oaddr_t, a, b_lg2)
#define oalog2_set_mod(a, val, b_lg2) log2_set_mod_t(pt_oaddr_t, a, val, b_lg2)

#ifdef GENERIC_PT_KUNIT
/**
 * struct pt_kunit_fmt_cfg - One configuration of a format under test
 * @name: Shown in the KUnit output
 * @features: enum pt_features bits
 * @top_level: The top level pt_fmt_init() is asked for and must return
 * @vasz_lg2: Requested VA width; pt_fmt_init() may narrow it
 * @oasz_lg2: OA width
 * @granule_lg2: The expected size of a level 0 item
 */
struct pt_kunit_fmt_cfg {
	const char *name;
	unsigned int features;
	s8 top_level;
	u8 vasz_lg2;
	u8 oasz_lg2;
	u8 granule_lg2;
};

/**
 * struct pt_kunit_fmt_vector - A known encoding from the hardware manual
 * @features: The configurations (exact features) it applies to
 * @level: Level of the item
 * @oasz_lg2: Leaf size, or 0 for a table pointer
 * @prot: IOMMU_* protection of a leaf
 * @oa: Output address of a leaf
 * @expect: The raw item; for a table, without the table address
 */
struct pt_kunit_fmt_vector {
	unsigned int features;
	u8 level;
	u8 oasz_lg2;
	unsigned int prot;
	u64 oa;
	u64 expect;
};
#endif

/*
 * Raw access to the items of a table. Items are read and written whole with
 * READ_ONCE()/WRITE_ONCE() because the walker may read them at any time;
 * read-modify-write of bits the walker also writes (dirty, access) uses
 * compare-and-exchange.
 */
static __always_inline u64 *pt_items(struct pt_table_p *table)
{
	return (u64 *)table;
}

static __always_inline u64
pt_read_item(const struct pt_state *pts, unsigned int index)
{
	return READ_ONCE(pt_items(pts->table)[index]);
}

static __always_inline void pt_write_item(const struct pt_state *pts,
					  unsigned int index, u64 value)
{
	WRITE_ONCE(pt_items(pts->table)[index], value);
}

/*
 * Loops over runs of items test and write them a chunk at a time: a cache
 * line of 8 byte items, one branch for all of them. The compiler does not
 * unroll loops at -O2, and a branch per item costs more than its store.
 */
#define PT_ITEM_CHUNK 8U

/*
 * The OR of the PT_ITEM_CHUNK items from @items: 0 if all are zero. Map
 * tests this way only items of its own range, which no other thread may
 * write while it runs (and the walker writes only present entries), so
 * plain loads do: the compiler folds each into its OR, where READ_ONCE()
 * would cost an instruction more per item.
 */
static __always_inline u64 pt_items_chunk_or(const u64 *items)
{
	/* Items of the caller's own range: see above */
	return data_race(items[0] | items[1] | items[2] | items[3] |
			 items[4] | items[5] | items[6] | items[7]);
}

/* Write @value, @value + @step, ... into the PT_ITEM_CHUNK items */
static __always_inline void pt_items_chunk_write(u64 *items, u64 value,
						 u64 step)
{
	WRITE_ONCE(items[0], value);
	WRITE_ONCE(items[1], value + step);
	WRITE_ONCE(items[2], value + 2 * step);
	WRITE_ONCE(items[3], value + 3 * step);
	WRITE_ONCE(items[4], value + 4 * step);
	WRITE_ONCE(items[5], value + 5 * step);
	WRITE_ONCE(items[6], value + 6 * step);
	WRITE_ONCE(items[7], value + 7 * step);
}

/*
 * Write @value, @value + @step, ... into the @num items from @index, the
 * items of one contiguous leaf: @step 0 for formats whose items all hold
 * the same value, the item size for those whose items hold their own OA.
 */
static __always_inline void pt_write_items(const struct pt_state *pts,
					   unsigned int index,
					   unsigned int num, u64 value,
					   u64 step)
{
	u64 *items = &pt_items(pts->table)[index];
	unsigned int i;

	for (i = 0; i + PT_ITEM_CHUNK <= num; i += PT_ITEM_CHUNK) {
		pt_items_chunk_write(&items[i], value, step);
		value += PT_ITEM_CHUNK * step;
	}
	for (; i != num; i++) {
		WRITE_ONCE(items[i], value);
		value += step;
	}
}

/*
 * Clear the @num items from @index, the items of one leaf that an unmap
 * removes. A leaf of PT_CLEAR_STRING items or more (AMD v1's sizes of 128K
 * and up, 32 to 256 items) goes with memset(), which the compiler turns into
 * a string store where the architecture has one ("rep stosq" on x86), as
 * 6.12's AMD driver clears its leaves: a loop, even of whole chunks, costs a
 * branch and the loop's arithmetic per chunk on top of the stores. It does
 * so only for a size it knows to be bounded, here by PT_CLEAR_STRING_MAX
 * items, the 4 KiB of a table of 512; unbounded, it calls the out of line
 * memset(), which on x86 may store a byte at a time or loop. memset() does
 * not promise to write each item in one store as WRITE_ONCE() does, and need
 * not: every item only goes from the leaf to zero, and the unmap's caller no
 * longer lets a device use the range, so no translation the walker makes of
 * it before the IOTLB flush may be used.
 */
#define PT_CLEAR_STRING (4 * PT_ITEM_CHUNK)
#define PT_CLEAR_STRING_MAX 512U

static __always_inline void pt_clear_items(const struct pt_state *pts,
					   unsigned int index,
					   unsigned int num)
{
	if (num < PT_CLEAR_STRING || num > PT_CLEAR_STRING_MAX)
		pt_write_items(pts, index, num, 0, 0);
	else
		memset(&pt_items(pts->table)[index], 0, num * sizeof(u64));
}

/* Replace the item only if it still holds old; true on success */
static __always_inline bool
pt_cmpxchg_item(const struct pt_state *pts,
		unsigned int index, u64 old, u64 new)
{
	return try_cmpxchg64(&pt_items(pts->table)[index], &old, new);
}

/* Atomically clear then set bits of an item, racing with the walker */
static __always_inline void
pt_update_item(const struct pt_state *pts,
	       unsigned int index, u64 clear, u64 set)
{
	u64 *item = &pt_items(pts->table)[index];
	u64 old = READ_ONCE(*item);

	while (!try_cmpxchg64(item, &old, (old & ~clear) | set))
		;
}

#endif
