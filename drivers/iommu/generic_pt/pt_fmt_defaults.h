/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Default implementations of the optional format functions. A format header
 * that needs something different defines its own function and a macro of the
 * same name before this file is included; everything here is chosen so that
 * a format with the plainest hardware needs nothing more.
 */
#ifndef __GENERIC_PT_PT_FMT_DEFAULTS_H
#define __GENERIC_PT_PT_FMT_DEFAULTS_H

#include "pt_defs.h"

/* Without a contiguous encoding every entry is a single item */
#ifndef pt_entry_num_contig_lg2
static __always_inline unsigned int
pt_entry_num_contig_lg2(const struct pt_state *pts)
{
	return 0;
}
#endif

/* Level 0 only holds leaves; every other level can point to a table */
#ifndef pt_can_have_table
static __always_inline bool pt_can_have_table(const struct pt_state *pts)
{
	return pts->level > 0;
}
#endif

/*
 * An entry is cleared by zeroing every item of it, with one string store
 * for many: an AMD v1 leaf of 1M is 256 items
 */
#ifndef pt_clear_entry
static __always_inline void pt_clear_entry(struct pt_state *pts,
					   unsigned int num_contig_lg2)
{
	unsigned int first = log2_set_mod_t(unsigned int, pts->index, 0,
					    num_contig_lg2);

	pt_clear_items(pts, first,
		       log2_to_int_t(unsigned int, num_contig_lg2));
}
#endif

/*
 * What a leaf item adds to the item before it in a run of leaves of
 * 2^@oasz_lg2 bytes, if every item holds its own output address in a field
 * that adding the item size moves along and nothing else depends on the
 * address. Map then writes such runs with an add per item. 0, the
 * default, means the items must each go through pt_install_leaf_entry().
 */
#ifndef pt_leaf_item_step
static __always_inline u64 pt_leaf_item_step(const struct pt_state *pts,
					     unsigned int oasz_lg2)
{
	return 0;
}
#endif

/*
 * The value that every item of a leaf of 2^@oasz_lg2 bytes holds, for a
 * format whose contiguous leaves repeat one value in all their items. Map
 * then checks and writes the items of a large leaf in one pass. 0, the
 * default, means the leaf is written by pt_install_leaf_entry().
 */
#ifndef pt_leaf_same_entry
static __always_inline u64
pt_leaf_same_entry(const struct pt_state *pts, pt_oaddr_t oa,
		   unsigned int oasz_lg2, const struct pt_write_attrs *attrs)
{
	return 0;
}
#endif

/*
 * The software bit a table entry carries once the table it points to has
 * been flushed for an incoherent walker. 0 means the format has none and
 * cannot support PT_FEAT_DMA_INCOHERENT.
 */
#ifndef pt_sw_flush_bit
static __always_inline u64 pt_sw_flush_bit(const struct pt_state *pts)
{
	return 0;
}
#endif

/* A format without dirty tracking reports every entry as clean */
#ifndef pt_entry_write_is_dirty
#define PT_FMT_NO_DIRTY 1
static inline bool pt_entry_write_is_dirty(const struct pt_state *pts)
{
	return false;
}

static inline void pt_entry_make_write_clean(struct pt_state *pts)
{
}

static inline bool pt_entry_make_write_dirty(struct pt_state *pts)
{
	return false;
}
#endif

#endif
