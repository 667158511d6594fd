/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Walking a table: a per-level state, load, iterate and descend, and the
 * generator that unrolls the level recursion of a walker at compile time.
 *
 * A walker is written once as a level function that handles one table. The
 * generator instantiates it for every level the format can have, each copy
 * with a constant level and a direct call to the copy below, so that the
 * format's geometry folds to constants and no walk makes an indirect call.
 */
#ifndef __GENERIC_PT_PT_ITER_H
#define __GENERIC_PT_PT_ITER_H

#include "pt_common.h"

/**
 * pt_init() - Start walking one table of a range
 * @range: The range; range->va selects the first item
 * @level: Level of @table
 * @table: The table
 *
 * Return: a state on the item that holds range->va, with end_index one past
 * the item that holds range->last_va, or the end of the table.
 */
static __always_inline struct pt_state pt_init(struct pt_range *range,
					       unsigned int level,
					       struct pt_table_p *table)
{
	struct pt_state pts = {
		.range = range,
		.table = table,
		.level = level,
	};
	unsigned int item_lg2 = pt_table_item_lg2sz(&pts);
	unsigned int items_lg2 = pt_num_items_lg2(&pts);

	pts.index = log2_mod(log2_div(range->va, item_lg2), items_lg2);
	if (log2_div_eq(range->va, range->last_va, pt_table_span_lg2(&pts)))
		pts.end_index =
			log2_mod(log2_div(range->last_va, item_lg2), items_lg2) +
			1;
	else
		pts.end_index = log2_to_int_t(unsigned int, items_lg2);
	return pts;
}

static __always_inline struct pt_state pt_init_top(struct pt_range *range)
{
	return pt_init(range, range->top_level, range->top_table);
}

/* The first VA of the current item */
static __always_inline pt_vaddr_t pt_index_to_va(const struct pt_state *pts)
{
	unsigned int item_lg2 = pt_table_item_lg2sz(pts);

	return log2_set_mod(pts->range->va, log2_mul(pts->index, item_lg2),
			    pt_table_span_lg2(pts));
}

/* Read the current item; sets pts->entry and pts->type */
static __always_inline enum pt_entry_type pt_load_entry(struct pt_state *pts)
{
	pts->type = pt_load_entry_raw(pts);
	return pts->type;
}

/* Move to the item after the current entry, a whole contiguous run at once */
static __always_inline void pt_next_entry(struct pt_state *pts)
{
	if (pts->type == PT_ENTRY_OA) {
		unsigned int contig_lg2 = pt_entry_num_contig_lg2(pts);

		pts->index = log2_set_mod_t(unsigned int, pts->index, 0,
					    contig_lg2) +
			     log2_to_int_t(unsigned int, contig_lg2);
	} else {
		pts->index++;
	}
	if (pts->index < pts->end_index)
		pts->range->va = pt_index_to_va(pts);
}

/**
 * for_each_pt_level_entry() - Visit every entry of a table a range covers
 * @pts: State from pt_init(); loaded on each iteration
 *
 * range->va follows the current item, except for the first item, where it
 * stays at the start of the range.
 */
#define for_each_pt_level_entry(pts)                                     \
	for (struct pt_state *__pts = (pts);                             \
	     __pts->index < __pts->end_index && (pt_load_entry(__pts), 1); \
	     pt_next_entry(__pts))

/**
 * pt_entry_fully_covered() - True if the range covers the whole entry
 * @pts: State on an item
 * @oasz_lg2: lg2 of the entry size
 *
 * range->va must be inside the entry.
 *
 * Return: true if the range covers every VA of the entry
 */
static __always_inline bool pt_entry_fully_covered(const struct pt_state *pts,
						   unsigned int oasz_lg2)
{
	const struct pt_range *range = pts->range;

	if (log2_mod(range->va, oasz_lg2))
		return false;
	return !log2_div_eq(range->va, range->last_va, oasz_lg2) ||
	       log2_mod_eq_max_t(pt_vaddr_t, range->last_va, oasz_lg2);
}

/**
 * typedef pt_level_fn_t - A walker instantiated for one level
 * @range: The range being walked
 * @arg: The walker's private argument
 * @level: The level of @table, a constant in every instance
 * @table: The table to walk
 *
 * Return: 0 to continue or a negative errno to stop the walk
 */
typedef int (*pt_level_fn_t)(struct pt_range *range, void *arg,
			     unsigned int level, struct pt_table_p *table);

/**
 * pt_descend() - Walk the table a loaded %PT_ENTRY_TABLE points to
 * @pts: State on a table entry
 * @arg: Passed to @fn
 * @fn: The instance of the walker for the level below, the descend_fn a
 *     level function is given
 *
 * Return: what @fn returns
 */
static __always_inline int pt_descend(struct pt_state *pts, void *arg,
				      pt_level_fn_t fn)
{
	return fn(pts->range, arg, pts->level - 1, pt_table_ptr(pts));
}

/* Below level 0 there is nothing; a walker that descends from 0 is broken */
static inline int pt_walk_below_zero(struct pt_range *range, void *arg,
				     unsigned int level,
				     struct pt_table_p *table)
{
	WARN_ON(true);
	return -EINVAL;
}

/* The instance for level @lvl of the walker whose names start with @prefix */
#define __PT_LEVEL_INSTANCE(prefix, lvl, lower)                            \
	static int prefix##l##lvl(struct pt_range *range, void *arg,       \
				  unsigned int level,                      \
				  struct pt_table_p *table)                \
	{                                                                  \
		return prefix##body(range, arg, lvl, table, lower);        \
	}

/*
 * The same for a descent: prefix_il<lvl> is inlined into the level above,
 * and prefix_l<lvl>, the entry from the top, holds the whole path below.
 */
#define __PT_DESCENT_INSTANCE(prefix, lvl, lower)                          \
	static __always_inline int prefix##il##lvl(struct pt_range *range,  \
						   void *arg,               \
						   unsigned int level,      \
						   struct pt_table_p *table) \
	{                                                                  \
		return prefix##body(range, arg, lvl, table, lower);        \
	}                                                                  \
	static int prefix##l##lvl(struct pt_range *range, void *arg,       \
				  unsigned int level,                      \
				  struct pt_table_p *table)                \
	{                                                                  \
		return prefix##il##lvl(range, arg, level, table);          \
	}

/*
 * int name_at(range, arg, level, table): walk from @table, at @level, which
 * is usually a constant, making it a direct call of name_l<level>.
 * int name(range, arg): walk from the range's top.
 */
#define __PT_WALKER_START(name)                                             \
	static __always_inline int name##_at(struct pt_range *range,        \
					     void *arg, unsigned int level, \
					     struct pt_table_p *table)      \
	{                                                                   \
		static_assert(PT_MAX_TOP_LEVEL < PT_MAX_LEVELS);            \
		switch (level) {                                            \
		case 0:                                                     \
			return name##_l0(range, arg, 0, table);             \
		case 1:                                                     \
			if (PT_MAX_TOP_LEVEL >= 1)                          \
				return name##_l1(range, arg, 1, table);     \
			break;                                              \
		case 2:                                                     \
			if (PT_MAX_TOP_LEVEL >= 2)                          \
				return name##_l2(range, arg, 2, table);     \
			break;                                              \
		case 3:                                                     \
			if (PT_MAX_TOP_LEVEL >= 3)                          \
				return name##_l3(range, arg, 3, table);     \
			break;                                              \
		case 4:                                                     \
			if (PT_MAX_TOP_LEVEL >= 4)                          \
				return name##_l4(range, arg, 4, table);     \
			break;                                              \
		case 5:                                                     \
			if (PT_MAX_TOP_LEVEL >= 5)                          \
				return name##_l5(range, arg, 5, table);     \
			break;                                              \
		}                                                           \
		return -EINVAL;                                             \
	}                                                                   \
	static inline int name(struct pt_range *range, void *arg)           \
	{                                                                   \
		return name##_at(range, arg, range->top_level,              \
				 range->top_table);                         \
	}

/**
 * PT_MAKE_WALKER() - Instantiate a walker for every level
 * @name: Name of the resulting function, int name(range, arg)
 * @level_fn: An __always_inline function
 *     int level_fn(struct pt_range *range, void *arg, unsigned int level,
 *     struct pt_table_p *table, pt_level_fn_t descend_fn)
 *     that walks one table and calls pt_descend(pts, arg, descend_fn) to go
 *     down a level.
 *
 * The instances above the format's PT_MAX_TOP_LEVEL are never called and
 * are discarded by the compiler.
 */
#define PT_MAKE_WALKER(name, level_fn)                                      \
	static __always_inline int                                          \
	name##_body(struct pt_range *range, void *arg, unsigned int level,  \
		    struct pt_table_p *table, pt_level_fn_t descend_fn)     \
	{                                                                   \
		return level_fn(range, arg, level, table, descend_fn);      \
	}                                                                   \
	__PT_LEVEL_INSTANCE(name##_, 0, pt_walk_below_zero)         \
	__PT_LEVEL_INSTANCE(name##_, 1, name##_l0)                  \
	__PT_LEVEL_INSTANCE(name##_, 2, name##_l1)                  \
	__PT_LEVEL_INSTANCE(name##_, 3, name##_l2)                  \
	__PT_LEVEL_INSTANCE(name##_, 4, name##_l3)                  \
	__PT_LEVEL_INSTANCE(name##_, 5, name##_l4)                  \
	__PT_WALKER_START(name)

/**
 * PT_MAKE_DESCENT() - Instantiate a walker that follows one item per level
 * @name: As for PT_MAKE_WALKER()
 * @level_fn: As for PT_MAKE_WALKER(), but it descends at most once
 *
 * The same as PT_MAKE_WALKER(), except that the levels below the top are
 * inlined into it: a single path from the top to a leaf (iova_to_phys, the
 * descent of a map) then makes one call, not one per level, and its state
 * stays in registers. A walker that loops over the items of a table must use
 * PT_MAKE_WALKER(): its code would be copied for every pair of top and
 * current level.
 */
#define PT_MAKE_DESCENT(name, level_fn)                                     \
	static __always_inline int                                          \
	name##_body(struct pt_range *range, void *arg, unsigned int level,  \
		    struct pt_table_p *table, pt_level_fn_t descend_fn)     \
	{                                                                   \
		return level_fn(range, arg, level, table, descend_fn);      \
	}                                                                   \
	__PT_DESCENT_INSTANCE(name##_, 0, pt_walk_below_zero)       \
	__PT_DESCENT_INSTANCE(name##_, 1, name##_il0)               \
	__PT_DESCENT_INSTANCE(name##_, 2, name##_il1)               \
	__PT_DESCENT_INSTANCE(name##_, 3, name##_il2)               \
	__PT_DESCENT_INSTANCE(name##_, 4, name##_il3)               \
	__PT_DESCENT_INSTANCE(name##_, 5, name##_il4)               \
	__PT_WALKER_START(name)

#endif
