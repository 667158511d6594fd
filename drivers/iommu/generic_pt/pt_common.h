/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Format independent helpers built on the format functions: the top of the
 * table, VA ranges, geometry and whole-entry operations. Nothing here
 * allocates, locks or flushes; that belongs to the algorithms.
 */
#ifndef __GENERIC_PT_PT_COMMON_H
#define __GENERIC_PT_PT_COMMON_H

#include <linux/bug.h>
#include <linux/mm.h>

#include "pt_defs.h"
#include "pt_fmt_defaults.h"

#define PT_VADDR_MAX ((pt_vaddr_t)~(pt_vaddr_t)0)

/* Pack a top table and its level into one word for pt_common::top_of_table */
static __always_inline uintptr_t pt_top_pack(struct pt_table_p *table,
					     unsigned int top_level)
{
	return (uintptr_t)table | top_level;
}

static __always_inline struct pt_table_p *
pt_top_unpack_table(uintptr_t top_of_table)
{
	return (struct pt_table_p *)(top_of_table & ~(uintptr_t)PT_TOP_LEVEL_MASK);
}

static __always_inline unsigned int pt_top_unpack_level(uintptr_t top_of_table)
{
	return top_of_table & PT_TOP_LEVEL_MASK;
}

/* Publish a new top; readers see the old or the new pair, never a mix */
static __always_inline void
pt_top_set(struct pt_common *common,
	   struct pt_table_p *table, unsigned int top_level)
{
	WRITE_ONCE(common->top_of_table, pt_top_pack(table, top_level));
}

static __always_inline unsigned int pt_top_level(const struct pt_common *common)
{
	return pt_top_unpack_level(READ_ONCE(common->top_of_table));
}

/* Table memory is in the linear map; items hold its physical address */
static __always_inline pt_oaddr_t pt_table_virt_to_pa(struct pt_table_p *table)
{
	return __pa(table);
}

static __always_inline struct pt_table_p *
pt_table_pa_to_virt(pt_oaddr_t table_pa)
{
	return __va(table_pa);
}

/* lg2 of the VA span of one item at this level */
#define pt_item_lg2sz(pts) pt_table_item_lg2sz(pts)

/*
 * lg2 of the VA span of the whole table at this level. A top table may have
 * more items than the VA space needs (AMD v1 at level 5 reaches bit 66), so
 * this is clamped to the width of pt_vaddr_t.
 */
static __always_inline unsigned int
pt_table_span_lg2(const struct pt_state *pts)
{
	return min_t(unsigned int,
		     pt_table_item_lg2sz(pts) + pt_num_items_lg2(pts),
		     BITS_PER_TYPE(pt_vaddr_t));
}

/* lg2 of the bytes of table memory at this level */
static __always_inline unsigned int
pt_table_memsize_lg2(const struct pt_state *pts)
{
	return pt_num_items_lg2(pts) + PT_ITEM_WORD_LG2SZ;
}

/* lg2 of the size of the loaded leaf entry, contiguous items included */
static __always_inline unsigned int
pt_entry_oa_lg2sz(const struct pt_state *pts)
{
	return pt_table_item_lg2sz(pts) + pt_entry_num_contig_lg2(pts);
}

/* The OA that the current item of a loaded leaf entry translates to */
static __always_inline pt_oaddr_t pt_item_oa(const struct pt_state *pts)
{
	unsigned int contig_lg2 = pt_entry_num_contig_lg2(pts);

	return pt_entry_oa(pts) +
	       oalog2_mul(log2_mod_t(unsigned int, pts->index, contig_lg2),
			  pt_table_item_lg2sz(pts));
}

/* The table a loaded %PT_ENTRY_TABLE points to */
static __always_inline struct pt_table_p *
pt_table_ptr(const struct pt_state *pts)
{
	return pt_table_pa_to_virt(pt_table_pa(pts));
}

/*
 * The leaf sizes this level can hold in this instance: what the format
 * allows, less anything as large as the whole OA or VA space.
 */
static __always_inline u64 pt_leaf_sizes(const struct pt_state *pts)
{
	const struct pt_common *common = pts->range->common;
	unsigned int lim = min(common->max_oasz_lg2, common->max_vasz_lg2);

	return pt_possible_sizes(pts) & log2_to_max_int_t(u64, lim);
}

static __always_inline bool pt_can_have_leaf(const struct pt_state *pts)
{
	return pt_leaf_sizes(pts) != 0;
}

/* True if the VA is inside the VA space of the table */
static __always_inline bool
pt_va_valid(const struct pt_common *common, pt_vaddr_t va)
{
	unsigned int vasz_lg2 = common->max_vasz_lg2;
	pt_vaddr_t prefix;

	if (pt_feature(common, PT_FEAT_SIGN_EXTEND)) {
		/*
		 * Every bit from vasz_lg2 - 1 up is a copy of the sign. That
		 * bit is inside pt_vaddr_t, so a plain shift finds them.
		 */
		prefix = va >> (vasz_lg2 - 1);
		return prefix == 0 || prefix == PT_VADDR_MAX >> (vasz_lg2 - 1);
	}
	return log2_div(va, vasz_lg2) == 0;
}

/* The lowest and highest VA of the table, or of its upper half if signed */
static __always_inline pt_vaddr_t pt_max_va(const struct pt_common *common)
{
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND))
		return log2_to_max_int(common->max_vasz_lg2 - 1);
	return log2_to_max_int(common->max_vasz_lg2);
}

static __always_inline pt_vaddr_t
pt_min_signed_va(const struct pt_common *common)
{
	return ~log2_to_max_int(common->max_vasz_lg2 - 1);
}

/**
 * pt_make_range() - Describe a span of VA of a table for a walk
 * @common: The table
 * @va: First VA
 * @last_va: Last VA, inclusive
 *
 * The top is sampled once, so a walk sees one consistent top even while
 * another thread grows it.
 *
 * Return: the range, to be checked with pt_check_range()
 */
static __always_inline struct pt_range
pt_make_range(struct pt_common *common,
	      pt_vaddr_t va, pt_vaddr_t last_va)
{
	uintptr_t top_of_table = READ_ONCE(common->top_of_table);

	return (struct pt_range){
		.common = common,
		.top_table = pt_top_unpack_table(top_of_table),
		.top_level = pt_top_unpack_level(top_of_table),
		.va = va,
		.last_va = last_va,
		.max_vasz_lg2 = common->max_vasz_lg2,
	};
}

/**
 * pt_check_range() - Check that a range lies inside the VA space
 * @range: The range
 *
 * With %PT_FEAT_SIGN_EXTEND the range must also stay on one side of the hole.
 *
 * Return: 0 or -ERANGE
 */
static __always_inline int pt_check_range(const struct pt_range *range)
{
	const struct pt_common *common = range->common;

	if (range->va > range->last_va || !pt_va_valid(common, range->va) ||
	    !pt_va_valid(common, range->last_va))
		return -ERANGE;
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND) &&
	    !log2_div_eq(range->va, range->last_va, range->max_vasz_lg2 - 1))
		return -ERANGE;
	return 0;
}

/**
 * pt_best_pgsize_lg2() - The largest page that fits a mapping request
 * @pgsz_bitmap: Allowed sizes, bit n for 2^n bytes
 * @va: First VA to map
 * @last_va: Last VA of the request, inclusive
 * @oa: Output address that @va maps to
 *
 * Return: lg2 of the largest allowed size that both @va and @oa are aligned
 * to and that does not go past @last_va, or 0 if none does.
 */
static __always_inline unsigned int
pt_best_pgsize_lg2(u64 pgsz_bitmap, pt_vaddr_t va,
		   pt_vaddr_t last_va,
		   pt_oaddr_t oa)
{
	u64 align = (u64)va | (u64)oa;
	pt_vaddr_t len_m1 = last_va - va;

	/* Keep the sizes n with 2^n - 1 <= len_m1 */
	if (len_m1 != PT_VADDR_MAX)
		pgsz_bitmap &= log2_to_max_int_t(u64, vafls(len_m1 + 1));
	if (align)
		pgsz_bitmap &= log2_to_max_int_t(u64, __ffs64(align) + 1);
	if (!pgsz_bitmap)
		return 0;
	return fls64(pgsz_bitmap) - 1;
}

/**
 * pt_install_leaf() - Write a leaf entry at the current index
 * @pts: State positioned on the first item of the entry
 * @oa: Output address, aligned to the entry size
 * @oasz_lg2: lg2 of the entry size, one of pt_leaf_sizes()
 * @attrs: Encoded attributes from pt_iommu_set_prot()
 *
 * Every item of a contiguous entry is written. The caller owns the items:
 * they are empty or hold an entry it is replacing.
 */
static __always_inline void pt_install_leaf(struct pt_state *pts, pt_oaddr_t oa,
					    unsigned int oasz_lg2,
					    const struct pt_write_attrs *attrs)
{
	if (IS_ENABLED(CONFIG_DEBUG_GENERIC_PT)) {
		WARN_ON(!(pt_leaf_sizes(pts) & BIT_ULL(oasz_lg2)));
		WARN_ON(oalog2_mod(oa, oasz_lg2));
		WARN_ON(log2_mod_t(unsigned int, pts->index,
				   oasz_lg2 - pt_table_item_lg2sz(pts)));
	}
	pt_install_leaf_entry(pts, oa, oasz_lg2, attrs);
}

/* Bits of pts->entry that a format reports as the software flush bit */
static __always_inline bool pt_test_sw_flush_bit(const struct pt_state *pts)
{
	return pts->entry & pt_sw_flush_bit(pts);
}

/* Mark the table pointed to by the current item as flushed */
static __always_inline void pt_set_sw_flush_bit(struct pt_state *pts)
{
	pt_update_item(pts, pts->index, 0, pt_sw_flush_bit(pts));
	pts->entry |= pt_sw_flush_bit(pts);
}

#endif
