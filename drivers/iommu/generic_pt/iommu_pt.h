/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU algorithms of the generic page table: init and deinit, map,
 * unmap, iova_to_phys and dirty tracking, written once against the format
 * vocabulary of pt_iter.h and compiled by fmt/iommu_template.h into every
 * format's unit. Everything that is policy lives here: table memory, the
 * IOTLB gather, cache flushing for incoherent walkers and the lock-free
 * publication rules of Documentation/driver-api/generic_pt.rst.
 *
 * Lock-free rules, for callers whose concurrent operations never overlap in
 * IOVA:
 *  - A table item outside the caller's range is only ever changed from empty
 *    to a table pointer, with a compare-and-exchange; the loser frees its
 *    unpublished copy and uses the winner's table.
 *  - Everything inside the caller's range belongs to the caller alone, so
 *    leaves are written with plain WRITE_ONCE().
 *  - The top grows under the driver's top lock, and the top table and level
 *    are published as one word, so a walk that sampled the old top stays
 *    correct: the old top is the first child of the new one.
 *  - A table that leaves the tree is freed only after the IOTLB is flushed,
 *    through the gather's freelist, and iommu_put_pages_list() frees it only
 *    after an RCU grace period, so a walker under rcu_read_lock() (the
 *    debugfs dump) may read any table it found. Only tables that were never
 *    published are freed at once.
 */
#ifndef __GENERIC_PT_IOMMU_PT_H
#define __GENERIC_PT_IOMMU_PT_H

#include <linux/args.h>
#include <linux/cacheflush.h>
#include <linux/export.h>
#include <linux/generic_pt/iommu.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/spinlock.h>
#include <linux/stringify.h>
#if !IS_ENABLED(CONFIG_X86) && IS_ENABLED(CONFIG_ARCH_HAS_PMEM_API)
#include <linux/libnvdimm.h>
#endif

#include "../iommu-pages.h"
#include "pt_iter.h"

/*
 * The KUnit build compiles this file a second time into the test module,
 * with static functions of their own names, so that the test can reach the
 * internals and inject failures without touching the exported instance.
 */
#ifdef GENERIC_PT_KUNIT
#define PT_IOMMU_NS(fn) \
	CONCATENATE(CONCATENATE(pt_iommu_kunit_, PT_FMT_NAME), CONCATENATE(_, fn))
#define PT_IOMMU_API static
#define PT_IOMMU_EXPORT(fn) __ADDRESSABLE(PT_IOMMU_NS(fn))
#else
#define PT_IOMMU_NS(fn) \
	CONCATENATE(CONCATENATE(pt_iommu_, PT_FMT_NAME), CONCATENATE(_, fn))
#define PT_IOMMU_API
#define PT_IOMMU_EXPORT(fn) \
	EXPORT_SYMBOL_NS_GPL(PT_IOMMU_NS(fn), GENERIC_PT_IOMMU)
#endif

/* struct pt_iommu_FMT, struct pt_iommu_FMT_cfg, struct pt_iommu_FMT_hw_info */
#define PT_IOMMU_FMT_T CONCATENATE(pt_iommu_, PT_FMT)
#define PT_IOMMU_CFG_T CONCATENATE(PT_IOMMU_FMT_T, _cfg)
#define PT_IOMMU_HW_INFO_T CONCATENATE(PT_IOMMU_FMT_T, _hw_info)

/*
 * The format's link to the driver API: its member name in struct
 * pt_iommu_FMT, pt_iommu_fmt_init() and pt_iommu_fmt_hw_info().
 */
#define PT_IOMMU_GLUE_H __stringify(CONCATENATE(fmt/iommu_glue_, PT_FMT).h)
#include PT_IOMMU_GLUE_H

#ifdef GENERIC_PT_KUNIT
/* Provided by kunit_iommu_pt.h */
static bool kpt_iommu_alloc_fails(void);
static void kpt_iommu_account(long pages);
static void kpt_iommu_flushed(const void *va, size_t len);
#endif

/* Internal stop code of a walk: a hole or a leaf the range only cuts */
#define PT_WALK_STOP (-ECANCELED)

/*
 * PT_MAKE_WALKER() for a level function that takes one more argument, a
 * constant that selects a variant of the walk at compile time.
 */
#define PT_IOMMU_WALKER_VARIANT(name, level_fn, variant)                   \
	static __always_inline int __##name(struct pt_range *range,        \
					    void *arg, unsigned int level,  \
					    struct pt_table_p *table,       \
					    pt_level_fn_t descend_fn)       \
	{                                                                   \
		return level_fn(range, arg, level, table, descend_fn,       \
				variant);                                   \
	}                                                                   \
	PT_MAKE_WALKER(name, __##name)

static inline struct PT_IOMMU_FMT_T *pt_iommu_fmt(struct pt_iommu *iommu_table)
{
	return container_of(iommu_table, struct PT_IOMMU_FMT_T, iommu);
}

static inline struct pt_common *pt_iommu_common(struct pt_iommu *iommu_table)
{
	return &pt_iommu_fmt(iommu_table)->PT_IOMMU_FMT_MEMBER.common;
}

static inline struct pt_iommu *pt_domain_iommu(struct iommu_domain *domain)
{
	return container_of(domain, struct pt_iommu, domain);
}

static inline struct pt_common *pt_domain_common(struct iommu_domain *domain)
{
	return pt_iommu_common(pt_domain_iommu(domain));
}

/* The granule, the leaf size of level 0 */
static inline unsigned int pt_iommu_granule_lg2(struct pt_range *range)
{
	struct pt_state pts = { .range = range, .level = 0 };

	return pt_table_item_lg2sz(&pts);
}

/* ------------------------------------------------------- table memory */

/*
 * Table memory comes from 6.12's iommu-pages accounting. A table larger than
 * a page (Arm 16K/64K granules, concatenated stage 2 tops) is split into
 * order-0 pages right after allocation, so that every table, whatever its
 * size, can go through the gather's freelist and iommu_put_pages_list(),
 * which only know order-0 pages. A table smaller than a page gets a page.
 */
static inline unsigned int pt_iommu_table_order(struct pt_range *range,
						unsigned int level)
{
	struct pt_state pts = { .range = range, .level = level };
	unsigned int lg2 = pt_table_memsize_lg2(&pts);

	return lg2 > PAGE_SHIFT ? lg2 - PAGE_SHIFT : 0;
}

static struct pt_table_p *pt_iommu_alloc_table(struct pt_iommu *iommu_table,
					       unsigned int order, gfp_t gfp)
{
	struct page *page;

#ifdef GENERIC_PT_KUNIT
	if (kpt_iommu_alloc_fails())
		return NULL;
#endif
	page = alloc_pages_node(iommu_table->nid, gfp | __GFP_ZERO, order);
	if (unlikely(!page))
		return NULL;
	__iommu_alloc_account(page, order);
	if (order)
		split_page(page, order);
#ifdef GENERIC_PT_KUNIT
	kpt_iommu_account(1L << order);
#endif
	return page_address(page);
}

/* Free a table no walker can have seen: unpublished, or at deinit */
static void pt_iommu_free_table(struct pt_table_p *table, unsigned int order)
{
	struct page *page = virt_to_page(table);
	unsigned int i;

	for (i = 0; i != 1U << order; i++)
		__iommu_free_pages(page + i, 0);
#ifdef GENERIC_PT_KUNIT
	kpt_iommu_account(-(1L << order));
#endif
}

/*
 * Queue a table that left the tree. The list is a gather freelist, freed by
 * the driver with iommu_put_pages_list() after its IOTLB flush, which also
 * waits for an RCU grace period before the pages go back.
 */
static void pt_iommu_queue_table(struct pt_table_p *table, unsigned int order,
				 struct list_head *free_list)
{
	struct page *page = virt_to_page(table);
	unsigned int i;

	for (i = 0; i != 1U << order; i++)
		list_add_tail(&page[i].lru, free_list);
}

static void pt_iommu_put_list(struct list_head *free_list)
{
#ifdef GENERIC_PT_KUNIT
	kpt_iommu_account(-(long)list_count_nodes(free_list));
#endif
	iommu_put_pages_list(free_list);
}

/*
 * Flush tables and items this thread wrote from the CPU caches so that a
 * walker that does not snoop sees them. x86 (VT-d, AMD) flushes cache
 * lines; other architectures clean to the point of coherency.
 */
/* Whether this CPU can write table memory back for an incoherent walker */
static inline bool pt_iommu_cpu_can_flush(void)
{
#if IS_ENABLED(CONFIG_X86)
	/* 32-bit x86 CPUs without CLFLUSH exist; clflush would trap there */
	return boot_cpu_has(X86_FEATURE_CLFLUSH);
#else
	return IS_ENABLED(CONFIG_ARCH_HAS_PMEM_API);
#endif
}

static inline bool pt_iommu_can_flush(void)
{
#ifdef GENERIC_PT_KUNIT
	/* The tests check the flushes through kpt_iommu_flushed() */
	return true;
#else
	return pt_iommu_cpu_can_flush();
#endif
}

static void pt_iommu_flush_mem(const void *va, size_t len)
{
#ifdef GENERIC_PT_KUNIT
	kpt_iommu_flushed(va, len);
#endif
#if IS_ENABLED(CONFIG_X86)
	if (pt_iommu_cpu_can_flush())
		clflush_cache_range((void *)va, len);
#elif IS_ENABLED(CONFIG_ARCH_HAS_PMEM_API)
	arch_wb_cache_pmem((void *)va, len);
#endif
}

static inline bool pt_iommu_incoherent(const struct pt_state *pts)
{
	return pts_feature(pts, PT_FEAT_DMA_INCOHERENT);
}

/*
 * The walkers call this for every item they write, so the test stays
 * inline and @pts is never passed out: that keeps the walk state in
 * registers when the table is coherent.
 */
static __always_inline void pt_iommu_flush_items(const struct pt_state *pts,
						 unsigned int first,
						 unsigned int num)
{
	if (pt_iommu_incoherent(pts) && num)
		pt_iommu_flush_mem(&pt_items(pts->table)[first],
				   num * PT_ITEM_WORD_SIZE);
}

static void pt_iommu_flush_table(struct pt_range *range, unsigned int level,
				 struct pt_table_p *table)
{
	struct pt_state pts = { .range = range, .level = level };

	pt_iommu_flush_mem(table, log2_to_int_t(size_t,
						pt_table_memsize_lg2(&pts)));
}

/*
 * A thread that descends through a table item must know the item is in
 * memory before it returns, even if another thread installed it and has
 * not flushed it yet. The installer sets the format's software bit after
 * its flush; whoever finds the bit clear flushes the item itself, which is
 * harmless if the installer is doing the same.
 */
static noinline void pt_iommu_flush_table_item(struct pt_range *range,
					       unsigned int level,
					       struct pt_table_p *table,
					       unsigned int index)
{
	struct pt_state pts = { .range = range, .level = level,
				.table = table, .index = index };

	pt_load_entry(&pts);
	pt_iommu_flush_items(&pts, index, 1);
	pt_set_sw_flush_bit(&pts);
}

/* True if the loaded table item may not have reached memory yet */
static __always_inline bool
pt_iommu_table_item_unflushed(const struct pt_state *pts)
{
	return pt_iommu_incoherent(pts) && !pt_test_sw_flush_bit(pts);
}

static __always_inline void pt_iommu_table_item_flushed(struct pt_state *pts)
{
	if (!pt_iommu_table_item_unflushed(pts))
		return;
	pt_iommu_flush_table_item(pts->range, pts->level, pts->table,
				  pts->index);
	pts->entry |= pt_sw_flush_bit(pts);
}

/*
 * Walk every table of a subtree, without the unrolled walker: this is only
 * used off the fast paths (deinit, replacing an empty table by a leaf).
 * Returns -EADDRINUSE at the first leaf unless @leaves_ok; with @free_list,
 * queues every table, children first.
 */
static int pt_iommu_walk_tables(struct pt_range *range, unsigned int level,
				struct pt_table_p *table, bool leaves_ok,
				struct list_head *free_list)
{
	struct pt_state pts = pt_init(range, level, table);
	unsigned int num = log2_to_int_t(unsigned int, pt_num_items_lg2(&pts));
	int ret;

	for (pts.index = 0; pts.index != num; pts.index++) {
		switch (pt_load_entry(&pts)) {
		case PT_ENTRY_OA:
			if (!leaves_ok)
				return -EADDRINUSE;
			break;
		case PT_ENTRY_TABLE:
			ret = pt_iommu_walk_tables(range, level - 1,
						   pt_table_ptr(&pts), leaves_ok,
						   free_list);
			if (ret)
				return ret;
			break;
		case PT_ENTRY_EMPTY:
			break;
		}
	}
	if (free_list)
		pt_iommu_queue_table(table, pt_iommu_table_order(range, level),
				     free_list);
	return 0;
}

/* A range over the whole top table, for walks that ignore the VA */
static inline struct pt_range pt_iommu_all_range(struct pt_common *common)
{
	return pt_make_range(common, 0, PT_VADDR_MAX);
}

/* True if the sampled top table reaches every VA of the range */
static inline bool pt_range_in_top(const struct pt_range *range)
{
	struct pt_state pts = { .range = (struct pt_range *)range,
				.level = range->top_level };

	if (pt_feature(range->common, PT_FEAT_SIGN_EXTEND))
		return true;
	return log2_div(range->last_va, pt_table_span_lg2(&pts)) == 0;
}

/*
 * Cut a range that goes past the sampled top down to what the top holds:
 * nothing is mapped past it. False if no part of the range is in the top.
 */
static inline bool pt_range_clip_to_top(struct pt_range *range)
{
	struct pt_state pts = { .range = range, .level = range->top_level };

	if (pt_range_in_top(range))
		return true;
	if (log2_div(range->va, pt_table_span_lg2(&pts)))
		return false;
	range->last_va = log2_to_max_int(pt_table_span_lg2(&pts));
	return true;
}

/*
 * Flush the IOTLB for tables a map or a failed map took out of the tree,
 * then free them. Map has no gather of its own, so it builds one and hands
 * it to the driver's iotlb_sync like an unmap would; whatever the driver did
 * not free is freed here once the flush is done.
 */
static void pt_iommu_sync_local_gather(struct pt_iommu *iommu_table,
				       struct iommu_iotlb_gather *gather)
{
	struct iommu_domain *domain = &iommu_table->domain;

	if (list_empty(&gather->freelist))
		return;
	if (domain->ops && domain->ops->iotlb_sync)
		domain->ops->iotlb_sync(domain, gather);
	else if (domain->ops && domain->ops->flush_iotlb_all)
		domain->ops->flush_iotlb_all(domain);
	pt_iommu_put_list(&gather->freelist);
}

/* ------------------------------------------------------- iova_to_phys */

/*
 * The descent of a walk that acts on the one leaf holding range->va, shared
 * by iova_to_phys and set_dirty. Returns true with @pts on the leaf, or
 * false with *@ret set to what the level below returned, or to -ENOENT at
 * a hole.
 */
static __always_inline bool pt_find_leaf(struct pt_state *pts, void *arg,
					 pt_level_fn_t descend_fn, int *ret)
{
	switch (pt_load_entry(pts)) {
	case PT_ENTRY_OA:
		return true;
	case PT_ENTRY_TABLE:
		*ret = pt_descend(pts, arg, descend_fn);
		return false;
	default:
		*ret = -ENOENT;
		return false;
	}
}

/* The range of one VA for pt_find_leaf() walkers; false if never mapped */
static inline bool pt_iommu_one_va(struct pt_common *common, pt_vaddr_t va,
				   struct pt_range *range)
{
	*range = pt_make_range(common, va, va);
	return !pt_check_range(range) && pt_range_in_top(range);
}

static __always_inline int __pt_iova_to_phys(struct pt_range *range,
					     void *arg, unsigned int level,
					     struct pt_table_p *table,
					     pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	pt_oaddr_t *res = arg;
	int ret;

	if (!pt_find_leaf(&pts, arg, descend_fn, &ret))
		return ret;
	*res = pt_entry_oa(&pts) + log2_mod(range->va, pt_entry_oa_lg2sz(&pts));
	return 0;
}

PT_MAKE_DESCENT(pt_walk_iova_to_phys, __pt_iova_to_phys);

/**
 * DOC: pt_iommu_FMT_iova_to_phys()
 *
 * pt_iommu_FMT_iova_to_phys() - The physical address an IOVA maps to
 *
 * - @domain: The domain of the table
 * - @iova: The IOVA
 *
 * A direct walk with no lock; see &struct iommu_domain_ops.
 *
 * Return: the physical address, or 0 if @iova is not mapped
 */
PT_IOMMU_API phys_addr_t PT_IOMMU_NS(iova_to_phys)(struct iommu_domain *domain,
						   dma_addr_t iova)
{
	struct pt_range range;
	pt_oaddr_t res;

	if (!pt_iommu_one_va(pt_domain_common(domain), iova, &range) ||
	    pt_walk_iova_to_phys(&range, &res))
		return 0;
	return res;
}

PT_IOMMU_EXPORT(iova_to_phys);

/* ------------------------------------------------------- map */

/*
 * A map that fails must leave the table exactly as it was. A table it
 * published cannot be taken back, though: a concurrent map of a
 * neighbouring range may already have found it and be writing into it. So
 * a map changes nothing until it cannot fail any more: a read-only walk
 * checks that the range is free and counts the tables the map needs, those
 * are allocated, and only then does a second walk write, taking its new
 * tables from that pool. The common cases, one page or a run of leaves
 * under tables that exist, are a descent to the range's level and a walk
 * from there that write only into empty items and can take back exactly
 * what they wrote.
 */

/* Internal code of the unchecked walks: use the checked one */
#define PT_MAP_NEED_TABLES (-EAGAIN)
/* Internal code of the descent: walk the range from map->walk_table */
#define PT_MAP_WALK_RANGE 1
/* The same, and the range may be one contiguous leaf of that table */
#define PT_MAP_WALK_CONTIG 2

/* Unpublished tables for one map, by the level of the table */
struct pt_iommu_table_pool {
	unsigned int needed[PT_MAX_LEVELS];
	unsigned int num[PT_MAX_LEVELS];
	struct list_head tables[PT_MAX_LEVELS];
};

struct pt_iommu_map_args {
	struct pt_iommu *iommu_table;
	struct pt_write_attrs attrs;
	/* The OA the next leaf maps */
	pt_oaddr_t oa;
	/*
	 * Where the descent stops, pt_iommu_descend_lg2(), set for it and
	 * the optimistic walk after it
	 */
	unsigned int descend_lg2;
	/* The table and level it stopped at for the range walk */
	unsigned int walk_level;
	struct pt_table_p *walk_table;
	/* The new tables of the map, set for the check and checked walks */
	struct pt_iommu_table_pool *pool;
	/*
	 * Empty tables a leaf replaced, freed after an IOTLB flush; not
	 * used by the descent and the optimistic walk
	 */
	struct iommu_iotlb_gather *replaced;
};

static void pt_iommu_pool_init(struct pt_iommu_table_pool *pool)
{
	unsigned int level;

	for (level = 0; level != PT_MAX_LEVELS; level++) {
		pool->needed[level] = 0;
		pool->num[level] = 0;
		INIT_LIST_HEAD(&pool->tables[level]);
	}
}

static void pt_iommu_pool_put(struct pt_iommu_table_pool *pool,
			      unsigned int level, struct pt_table_p *table)
{
	list_add(&virt_to_page(table)->lru, &pool->tables[level]);
	pool->num[level]++;
}

static struct pt_table_p *pt_iommu_pool_get(struct pt_iommu_table_pool *pool,
					    unsigned int level)
{
	struct page *page = list_first_entry_or_null(&pool->tables[level],
						     struct page, lru);

	if (!page)
		return NULL;
	list_del(&page->lru);
	pool->num[level]--;
	return page_address(page);
}

/* Allocate what the check walk counted and the pool does not hold yet */
static int pt_iommu_pool_fill(struct pt_iommu *iommu_table,
			      struct pt_range *range,
			      struct pt_iommu_table_pool *pool, gfp_t gfp)
{
	struct pt_table_p *table;
	unsigned int level;

	for (level = 0; level <= PT_MAX_TOP_LEVEL; level++) {
		unsigned int order = pt_iommu_table_order(range, level);

		while (pool->num[level] < pool->needed[level]) {
			table = pt_iommu_alloc_table(iommu_table, order, gfp);
			if (!table)
				return -ENOMEM;
			if (pt_feature(range->common, PT_FEAT_DMA_INCOHERENT))
				pt_iommu_flush_table(range, level, table);
			pt_iommu_pool_put(pool, level, table);
		}
	}
	return 0;
}

/* Free the tables the map did not use; nobody has seen them */
static void pt_iommu_pool_free(struct pt_range *range,
			       struct pt_iommu_table_pool *pool)
{
	struct pt_table_p *table;
	unsigned int level;

	for (level = 0; level <= PT_MAX_TOP_LEVEL; level++)
		while ((table = pt_iommu_pool_get(pool, level)))
			pt_iommu_free_table(table,
					    pt_iommu_table_order(range, level));
}

/* Give a table item that holds nothing a new, empty table from the pool */
static int pt_iommu_new_table(struct pt_state *pts,
			      struct pt_iommu_map_args *map)
{
	struct pt_table_p *table = pt_iommu_pool_get(map->pool, pts->level - 1);

	/* The check walk counted every table this walk can need */
	if (WARN_ON_ONCE(!table))
		return -ENOMEM;
	if (!pt_install_table(pts, pt_table_virt_to_pa(table), &map->attrs)) {
		/* Another map published a table here first: use theirs */
		pt_iommu_pool_put(map->pool, pts->level - 1, table);
		if (pt_load_entry(pts) != PT_ENTRY_TABLE)
			return -EADDRINUSE;
		pt_iommu_table_item_flushed(pts);
		return 0;
	}
	pt_load_entry(pts);
	pt_iommu_table_item_flushed(pts);
	return 0;
}

/*
 * The items a leaf will cover must hold nothing, or tables with nothing
 * mapped below them.
 */
static int pt_iommu_check_for_leaf(struct pt_state *pts, unsigned int num)
{
	struct pt_state ipts = *pts;
	struct pt_range all = pt_iommu_all_range(pts->range->common);
	unsigned int i;
	int ret;

	for (i = 0; i != num; i++) {
		ipts.index = pts->index + i;
		switch (pt_load_entry(&ipts)) {
		case PT_ENTRY_EMPTY:
			break;
		case PT_ENTRY_OA:
			return -EADDRINUSE;
		case PT_ENTRY_TABLE:
			ret = pt_iommu_walk_tables(&all, ipts.level - 1,
						   pt_table_ptr(&ipts), false,
						   NULL);
			if (ret)
				return ret;
			break;
		}
	}
	return 0;
}

/* Take the empty tables out of the items a leaf will cover */
static void pt_iommu_clear_for_leaf(struct pt_state *pts,
				    struct pt_iommu_map_args *map,
				    unsigned int num)
{
	struct pt_state ipts = *pts;
	struct pt_range all = pt_iommu_all_range(pts->range->common);
	bool tables = false;
	unsigned int i;

	for (i = 0; i != num; i++) {
		ipts.index = pts->index + i;
		if (pt_load_entry(&ipts) != PT_ENTRY_TABLE)
			continue;
		pt_iommu_walk_tables(&all, ipts.level - 1, pt_table_ptr(&ipts),
				     false, &map->replaced->freelist);
		tables = true;
	}
	if (tables) {
		/* Less than a leaf size, which the domain's size_t holds */
		size_t item = log2_to_int(pt_table_item_lg2sz(pts));

		iommu_iotlb_gather_add_range(map->replaced, pts->range->va,
					     item * num);
		/*
		 * A walk cache may hold any table taken out: the driver must
		 * invalidate every item's span, which stepping by the item
		 * size does, as for the smallest leaf of an unmap.
		 */
		if (!map->replaced->pgsize || item < map->replaced->pgsize)
			map->replaced->pgsize = item;
	}
}

static int pt_iommu_map_leaf(struct pt_state *pts,
			     struct pt_iommu_map_args *map,
			     unsigned int leaf_lg2)
{
	unsigned int num = log2_to_int_t(unsigned int,
					 leaf_lg2 - pt_table_item_lg2sz(pts));
	int ret;

	if (num != 1 || pts->type != PT_ENTRY_EMPTY) {
		ret = pt_iommu_check_for_leaf(pts, num);
		if (ret)
			return ret;
		pt_iommu_clear_for_leaf(pts, map, num);
	}
	pt_install_leaf(pts, map->oa, leaf_lg2, &map->attrs);
	pt_iommu_flush_items(pts, pts->index, num);
	map->oa += oalog2_to_int(leaf_lg2);
	return 0;
}

/* The leaf sizes a map may use at this level */
static inline u64 pt_iommu_map_sizes(const struct pt_state *pts,
				     const struct pt_iommu_map_args *map)
{
	/*
	 * Only sizes the domain holds: a driver may narrow them below the
	 * format's, and on 32-bit the domain cannot hold 4 GiB and larger.
	 * The bitmap has no size as large as the VA or OA space, so that
	 * limit of pt_leaf_sizes() need not be applied again here.
	 */
	return pt_possible_sizes(pts) & map->iommu_table->domain.pgsize_bitmap;
}

/* True if the @num items from @index are all zero */
static __always_inline bool pt_iommu_items_zero(const u64 *items,
						unsigned int index,
						unsigned int num)
{
	u64 all = 0;
	unsigned int i;

	/* Usually they are: a branch per chunk, none per item */
	for (i = 0; i + PT_ITEM_CHUNK <= num; i += PT_ITEM_CHUNK)
		if (pt_items_chunk_or(&items[index + i]))
			return false;
	for (; i != num; i++)
		all |= READ_ONCE(items[index + i]);
	return !all;
}

/*
 * True if the @num items from the current one hold nothing. Unmap and new
 * tables leave empty items all zero, so those are only read; an item with
 * stray bits is decoded by the format.
 */
static __always_inline bool pt_iommu_items_empty(const struct pt_state *pts,
						 unsigned int num)
{
	const u64 *items = pt_items(pts->table);
	struct pt_state ipts;
	unsigned int i;

	if (pts->type != PT_ENTRY_EMPTY)
		return false;
	/* A leaf of a chunk or more is whole chunks from the current item */
	if (num >= PT_ITEM_CHUNK ? pt_iommu_items_zero(items, pts->index, num) :
				   pt_iommu_items_zero(items, pts->index + 1,
						       num - 1))
		return true;
	ipts = *pts;
	for (i = 1; i < num; i++) {
		ipts.index = pts->index + i;
		if (pt_load_entry(&ipts) != PT_ENTRY_EMPTY)
			return false;
	}
	return true;
}

/*
 * Clear @num items that a map wrote before it found an item in its way.
 * They may have reached memory already: an incoherent walker must see
 * them cleared there too.
 */
static __always_inline void pt_iommu_clear_written(const struct pt_state *pts,
						   unsigned int index,
						   unsigned int num)
{
	pt_write_items(pts, index, num, 0, 0);
	pt_iommu_flush_items(pts, index, num);
}

/*
 * Write a leaf of 2^@leaf_lg2 bytes, @num items that all hold one value,
 * in one pass: a chunk of items at a time, each once it is seen to be
 * zero. If one is not, the chunks written are cleared again and it returns
 * false, for the caller to decode the items.
 */
static __always_inline bool pt_iommu_write_same_leaf(struct pt_state *pts,
						     struct pt_iommu_map_args *map,
						     unsigned int leaf_lg2,
						     unsigned int num)
{
	u64 value = pt_leaf_same_entry(pts, map->oa, leaf_lg2, &map->attrs);
	u64 *items = &pt_items(pts->table)[pts->index];
	unsigned int i;

	if (!value || num < PT_ITEM_CHUNK)
		return false;
	for (i = 0; i != num; i += PT_ITEM_CHUNK) {
		if (pt_items_chunk_or(&items[i])) {
			pt_iommu_clear_written(pts, pts->index, i);
			return false;
		}
		pt_items_chunk_write(&items[i], value, 0);
	}
	pt_iommu_flush_items(pts, pts->index, num);
	map->oa += oalog2_to_int(leaf_lg2);
	return true;
}

/*
 * Write leaves of 2^@leaf_lg2 bytes, @num items each, from the current item
 * of @run, the first without a check, each later one once its items are
 * seen to be zero, up to item @end.
 */
static __always_inline void
pt_iommu_write_leaves(struct pt_state *run, pt_oaddr_t *oa,
		      const struct pt_write_attrs *attrs, unsigned int leaf_lg2,
		      unsigned int num, unsigned int end)
{
	u64 step = pt_leaf_item_step(run, leaf_lg2);
	u64 *items = pt_items(run->table);

	if (step) {
		/*
		 * The format builds the first leaf; each item after it is
		 * the one before plus the step, so the loop is an add and a
		 * store per item, on a pointer.
		 */
		u64 *first = &items[run->index];
		u64 *item = first + num;
		u64 *stop = &items[end];
		unsigned int part, i;
		u64 value;

		pt_install_leaf(run, *oa, leaf_lg2, attrs);
		value = READ_ONCE(item[-1]);
		/*
		 * A chunk at a time: one test for its items, and stores that
		 * do not wait on each other. A leaf of more items than a
		 * chunk is a whole number of chunks, and a busy chunk may
		 * cut one short: its chunks written are cleared again, so
		 * that only whole leaves stay. The leaves of fewer items left
		 * over go one by one.
		 */
		while (stop - item >= PT_ITEM_CHUNK &&
		       !pt_items_chunk_or(item)) {
			pt_items_chunk_write(item, value + step, step);
			value += PT_ITEM_CHUNK * step;
			item += PT_ITEM_CHUNK;
		}
		part = (item - first) & (num - 1);
		if (part) {
			item -= part;
			value -= part * step;
			pt_iommu_clear_written(run, item - items, part);
		}
		while (item != stop && pt_iommu_items_zero(item, 0, num)) {
			for (i = 0; i != num; i++) {
				value += step;
				WRITE_ONCE(item[i], value);
			}
			item += num;
		}
		*oa += oalog2_mul(item - first, pt_table_item_lg2sz(run));
		run->index = item - items;
		return;
	}
	do {
		pt_install_leaf(run, *oa, leaf_lg2, attrs);
		*oa += oalog2_to_int(leaf_lg2);
		run->index += num;
	} while (run->index != end &&
		 pt_iommu_items_zero(items, run->index, num));
}

/*
 * Write the leaf the optimistic walk chose, whose @num items are empty,
 * and after it as many more of the same size as fit, stopping at the end
 * of the range or the table, at items that are not all zero, or where a
 * larger leaf could start. Once a leaf is the largest this level can
 * have, and VA and OA are aligned to it, every leaf after it in the range
 * is that size too, so there is no size to choose per leaf, and so it is
 * if no larger leaf can have the OA's offset from the VA. Moves @pts past
 * what it wrote.
 *
 * Return: the number of items written
 */
static __always_inline unsigned int
pt_iommu_map_run(struct pt_state *pts, struct pt_iommu_map_args *map,
		 u64 leaf_sizes, unsigned int leaf_lg2, unsigned int num)
{
	struct pt_range *range = pts->range;
	unsigned int item_lg2 = pt_table_item_lg2sz(pts);
	unsigned int max_lg2 = fls64(pt_possible_sizes(pts)) - 1;
	unsigned int first = pts->index;
	/*
	 * The store loops work on copies: a table item written through a
	 * pointer may alias anything reached through one (the kernel does
	 * not assume strict aliasing), so the OA and the attributes must not
	 * live in memory the stores could reach, or every store would wait
	 * for them to be read back.
	 */
	struct pt_write_attrs attrs = map->attrs;
	struct pt_state run = *pts;
	pt_oaddr_t oa = map->oa;
	u64 larger = log2_div_t(u64, leaf_sizes, leaf_lg2 + 1);
	pt_vaddr_t last_va, len_m1, leaves;
	unsigned int end;

	/*
	 * Every leaf of the range is this size if no larger size is allowed
	 * here, a shift rather than fls64(), or if no larger leaf can have
	 * the OA's offset from the VA: VA and OA are aligned to the leaf, a
	 * larger leaf needs them to agree in bit leaf_lg2 too, and VA - OA
	 * stays the same over the range, so if they differ there, as an OA
	 * 4K off the VA's alignment does, no leaf of the range is larger.
	 * Only a level with contiguous leaves has larger ones. Else a larger
	 * leaf can start only where the VA is aligned to the next larger
	 * size: the leaves are this size up to there, where the walk chooses
	 * again (8 leaves of 2M where 32M is a size, for example).
	 */
	if (likely(!larger ||
		   (max_lg2 != item_lg2 &&
		    log2_div_t(u64, (u64)range->va ^ (u64)oa, leaf_lg2) & 1)))
		last_va = range->last_va;
	else
		last_va = min(range->last_va,
			      log2_set_mod_max(range->va,
					       leaf_lg2 + 1 +
					       log2_ffs_t(u64, larger)));

	/* Whole leaves up to there, at most the table's */
	len_m1 = last_va - range->va;
	leaves = log2_div(len_m1, leaf_lg2) +
		 log2_mod_eq_max_t(pt_vaddr_t, len_m1, leaf_lg2);
	leaves = min_t(pt_vaddr_t, leaves,
		       (pts->end_index - first) >> (leaf_lg2 - item_lg2));
	end = first + leaves * num;

	/*
	 * The first leaf's items are known to be empty. The items after it
	 * are ours alone (the range covers them), so each later leaf is
	 * written as soon as its items are seen to be zero, and the run ends
	 * at the first that is not. The loops get the leaf size as a
	 * constant where they can: one item per leaf is the common case, and
	 * the largest size of a level is usually its only contiguous one.
	 */
	run.index = first;
	if (num == 1)
		pt_iommu_write_leaves(&run, &oa, &attrs, item_lg2, 1, end);
	else if (leaf_lg2 == max_lg2)
		pt_iommu_write_leaves(&run, &oa, &attrs, max_lg2,
				      log2_to_int_t(unsigned int,
						    max_lg2 - item_lg2),
				      end);
	else
		pt_iommu_write_leaves(&run, &oa, &attrs, leaf_lg2, num, end);
	map->oa = oa;
	pts->index = run.index;
	pt_iommu_flush_items(pts, first, pts->index - first);
	if (pts->index < pts->end_index)
		range->va = pt_index_to_va(pts);
	return pts->index - first;
}

/* The three walks of a map, one level function */
enum pt_map_mode {
	/*
	 * What the checked walk will do, without writing: -EADDRINUSE, or
	 * the new tables it needs counted by level in the pool's needed[].
	 * A NULL table is one the map will create: all its items are empty.
	 */
	PT_MAP_CHECK,
	/*
	 * Before any check: only writes leaves into empty items under
	 * tables that exist. At a missing table, or a leaf over items that
	 * are not empty, it stops with PT_MAP_NEED_TABLES, and at a leaf in
	 * the way with -EADDRINUSE; either way the caller clears the leaves
	 * it wrote, which leaves the table exactly as it was.
	 */
	PT_MAP_OPTIMISTIC,
	/* After a successful check, with the pool filled: cannot fail */
	PT_MAP_CHECKED,
};

/*
 * Map the range at one level: the largest leaf that the alignment of the VA
 * and the OA, the length left and this level allow, else a table below.
 */
static __always_inline int __pt_map_range(struct pt_range *range, void *arg,
					  unsigned int level,
					  struct pt_table_p *table,
					  pt_level_fn_t descend_fn,
					  enum pt_map_mode mode)
{
	struct pt_state pts = pt_init(range, level, table);
	struct pt_iommu_map_args *map = arg;
	u64 leaf_sizes = pt_iommu_map_sizes(&pts, map);
	unsigned int leaf_lg2;
	unsigned int num;
	int ret;

	while (pts.index < pts.end_index) {
		leaf_lg2 = pt_best_pgsize_lg2(leaf_sizes, range->va,
					      range->last_va, map->oa);
		if (mode != PT_MAP_CHECK || table)
			pt_load_entry(&pts);
		else
			pts.type = PT_ENTRY_EMPTY;
		if (leaf_lg2) {
			num = log2_to_int_t(unsigned int,
					    leaf_lg2 - pt_table_item_lg2sz(&pts));
			if (mode == PT_MAP_CHECK) {
				if (table &&
				    (num != 1 || pts.type != PT_ENTRY_EMPTY)) {
					ret = pt_iommu_check_for_leaf(&pts,
								      num);
					if (ret)
						return ret;
				}
				map->oa += oalog2_to_int(leaf_lg2);
			} else if (mode == PT_MAP_CHECKED) {
				ret = pt_iommu_map_leaf(&pts, map, leaf_lg2);
				if (ret)
					return ret;
			} else if (pts.type == PT_ENTRY_OA) {
				return -EADDRINUSE;
			} else if (pt_iommu_write_same_leaf(&pts, map, leaf_lg2,
							    num)) {
				/* The next leaf may be of another size */
			} else if (pt_iommu_items_empty(&pts, num)) {
				num = pt_iommu_map_run(&pts, map, leaf_sizes,
						       leaf_lg2, num);
				continue;
			} else {
				return PT_MAP_NEED_TABLES;
			}
		} else {
			if (pts.type == PT_ENTRY_OA)
				return -EADDRINUSE;
			if (!level)
				return -EINVAL;
			if (pts.type == PT_ENTRY_TABLE) {
				if (mode != PT_MAP_CHECK)
					pt_iommu_table_item_flushed(&pts);
				ret = pt_descend(&pts, arg, descend_fn);
			} else if (mode == PT_MAP_OPTIMISTIC) {
				return PT_MAP_NEED_TABLES;
			} else if (mode == PT_MAP_CHECK) {
				map->pool->needed[level - 1]++;
				ret = descend_fn(range, arg, level - 1, NULL);
			} else {
				ret = pt_iommu_new_table(&pts, map);
				if (!ret)
					ret = pt_descend(&pts, arg, descend_fn);
			}
			if (ret)
				return ret;
			num = 1;
		}
		pts.index += num;
		if (pts.index < pts.end_index)
			range->va = pt_index_to_va(&pts);
	}
	return 0;
}

PT_IOMMU_WALKER_VARIANT(pt_walk_map_check, __pt_map_range, PT_MAP_CHECK);
PT_IOMMU_WALKER_VARIANT(pt_walk_map, __pt_map_range, PT_MAP_CHECKED);
PT_IOMMU_WALKER_VARIANT(pt_walk_map_optimistic, __pt_map_range,
			PT_MAP_OPTIMISTIC);

/*
 * Where the descent stopped at a table whose items are smaller than the
 * range and which has leaves of the range's size, PT_MAP_WALK_CONTIG, the
 * range may be one contiguous leaf: AMD v1's 8K to 1M over 4K items, an Arm
 * contiguous run. With the domain allowing that size and VA and OA aligned
 * to it, it is written here if its items are all zero, with no size to
 * choose and no run to follow. This is a function of its own because the
 * range walk's level function saves every register it uses before its
 * first test. Anything else goes on to the range walk at the same table.
 */
static __always_inline int __pt_map_one_contig(struct pt_range *range,
					       void *arg, unsigned int level,
					       struct pt_table_p *table,
					       pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	struct pt_iommu_map_args *map = arg;
	unsigned int leaf_lg2 = map->descend_lg2;
	unsigned int num;

	if (leaf_lg2 <= pt_table_item_lg2sz(&pts) ||
	    !(log2_div_t(u64, pt_iommu_map_sizes(&pts, map), leaf_lg2) & 1))
		goto walk;
	if (log2_mod(range->va, leaf_lg2) || oalog2_mod(map->oa, leaf_lg2) ||
	    range->last_va - range->va != log2_to_max_int(leaf_lg2))
		goto walk;
	num = log2_to_int_t(unsigned int, leaf_lg2 - pt_table_item_lg2sz(&pts));
	if (pt_load_entry(&pts) != PT_ENTRY_EMPTY)
		goto walk;
	/* A chunk or more of items of one value: tested as they are written */
	if (pt_iommu_write_same_leaf(&pts, map, leaf_lg2, num))
		return 0;
	if (!pt_iommu_items_zero(pt_items(pts.table), pts.index + 1, num - 1))
		goto walk;
	pt_install_leaf(&pts, map->oa, leaf_lg2, &map->attrs);
	pt_iommu_flush_items(&pts, pts.index, num);
	map->oa += oalog2_to_int(leaf_lg2);
	return 0;
walk:
	/* The level is a constant: a direct call of that level's function */
	return pt_walk_map_optimistic_at(range, arg, level, table);
}

PT_MAKE_WALKER(pt_walk_map_one_contig, __pt_map_one_contig);

/*
 * The item size at which the descent of a map stops: in any larger item the
 * range lies inside one item without covering it whole, so no leaf of that
 * level can map it.
 */
static __always_inline unsigned int pt_iommu_descend_lg2(pt_vaddr_t va,
							 pt_vaddr_t last_va)
{
	/* va and last_va share the bits from span_lg2 up */
	unsigned int span_lg2 = vafls(va ^ last_va);

	/* An aligned block of 2^span_lg2 is one item of that size */
	if (last_va - va == log2_to_max_int_t(pt_vaddr_t, span_lg2))
		return span_lg2;
	return span_lg2 - 1;
}

/*
 * The fast path, before any check: go down the tables that exist to the
 * level of map->descend_lg2, with none of the choices of the range walk,
 * and map there exactly one item with a leaf of the item size. For
 * anything else it returns the table, for the caller to run the optimistic
 * walk from (a call from here would cost every descent a stack frame), and
 * PT_MAP_WALK_CONTIG if the range may be one contiguous leaf there. It
 * writes nothing unless it succeeds.
 */
static __always_inline int __pt_map_descend(struct pt_range *range,
					    void *arg, unsigned int level,
					    struct pt_table_p *table,
					    pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	struct pt_iommu_map_args *map = arg;
	unsigned int item_lg2 = pt_table_item_lg2sz(&pts);

	/*
	 * Where the range walk starts if the descent stops at this table,
	 * stored on the way down: carried to an exit that every level
	 * shares, the tables would be one variable, which the compiler
	 * keeps on the stack, storing and loading it on each level's
	 * critical path.
	 */
	map->walk_level = level;
	map->walk_table = table;
	pt_load_entry(&pts);
	if (pts.type == PT_ENTRY_OA)
		return -EADDRINUSE;
	if (item_lg2 > map->descend_lg2) {
		if (!level || pts.type == PT_ENTRY_EMPTY)
			return PT_MAP_NEED_TABLES;
		/*
		 * A table item not known to be flushed is left to the range
		 * walk: a call here would cost every descent the registers
		 * it clobbers, the next table's address among them.
		 */
		if (pt_iommu_table_item_unflushed(&pts))
			return PT_MAP_WALK_RANGE;
		return pt_descend(&pts, arg, descend_fn);
	}
	/* Inside one item here means all of it: no size to choose */
	if (log2_div_eq(range->va, range->last_va, item_lg2) &&
	    pts.type == PT_ENTRY_EMPTY &&
	    (pt_iommu_map_sizes(&pts, map) & BIT_ULL(item_lg2)) &&
	    !oalog2_mod(map->oa, item_lg2)) {
		pt_install_leaf(&pts, map->oa, item_lg2, &map->attrs);
		pt_iommu_flush_items(&pts, pts.index, 1);
		map->oa += oalog2_to_int(item_lg2);
		return 0;
	}
	/*
	 * Told apart here, where the size is at hand, so that a run of
	 * leaves does not pay for the test of a contiguous leaf
	 */
	if (log2_div_t(u64, pt_possible_sizes(&pts) & ~log2_to_int_t(u64, item_lg2),
		       map->descend_lg2) & 1)
		return PT_MAP_WALK_CONTIG;
	return PT_MAP_WALK_RANGE;
}

PT_MAKE_DESCENT(pt_walk_map_descend, __pt_map_descend);

/* The lowest top level whose table reaches every VA of the range */
static int pt_iommu_top_level_for(const struct pt_range *range,
				  unsigned int *top_level)
{
	struct pt_range grown = *range;

	for (grown.top_level = range->top_level; !pt_range_in_top(&grown);
	     grown.top_level++)
		if (grown.top_level >= PT_MAX_TOP_LEVEL)
			return -ERANGE;
	*top_level = grown.top_level;
	return 0;
}

/*
 * Run the check walk from the top the map will have. If a dynamic top
 * must grow to @top_level, the levels above the sampled top are new tables
 * whose item 0 is the sampled top and whose other items are empty.
 */
static int pt_iommu_map_check(const struct pt_range *range,
			      unsigned int top_level,
			      struct pt_iommu_map_args *map)
{
	struct pt_range part = *range;
	pt_oaddr_t oa = map->oa;
	unsigned int level;
	int ret = 0;

	if (top_level == range->top_level) {
		ret = pt_walk_map_check(&part, map);
		goto out;
	}
	for (level = top_level; level > range->top_level; level--) {
		struct pt_state child = { .range = &part, .level = level - 1 };
		struct pt_state new = { .range = &part, .level = level };
		unsigned int item0_lg2;

		pt_vaddr_t new_last;

		part.top_level = top_level;
		item0_lg2 = pt_table_span_lg2(&child);
		new_last = log2_to_max_int(pt_table_span_lg2(&new));
		map->pool->needed[level]++;
		/* The part of the range in the items after 0 of the new table */
		if (!log2_div(range->last_va, item0_lg2) ||
		    range->va > new_last)
			continue;
		part.va = max(range->va, log2_to_int(item0_lg2));
		part.last_va = min(range->last_va, new_last);
		part.top_table = NULL;
		part.top_level = level;
		map->oa = oa + (part.va - range->va);
		ret = pt_walk_map_check(&part, map);
		if (ret)
			goto out;
	}
	/* The part of the range inside the sampled top */
	part = *range;
	if (!pt_range_clip_to_top(&part))
		goto out;
	map->oa = oa;
	ret = pt_walk_map_check(&part, map);
out:
	map->oa = oa;
	return ret;
}

/*
 * Put the levels between the sampled top and @top_level on top of the
 * table, each new table from the pool holding the one below it at item 0
 * (the VA starts at 0: there is no sign extension with a dynamic top), tell
 * the driver and then publish the new top, under the driver's top lock.
 * Returns false, with the tables back in the pool as they were, if another
 * map grew the top first.
 */
static bool pt_iommu_grow_top(struct pt_iommu *iommu_table,
			      const struct pt_range *sampled,
			      unsigned int top_level,
			      struct pt_iommu_map_args *map)
{
	struct pt_common *common = pt_iommu_common(iommu_table);
	struct pt_table_p *new_tables[PT_MAX_LEVELS];
	struct pt_range range = *sampled;
	struct pt_table_p *child = sampled->top_table;
	unsigned long flags;
	unsigned int level;
	spinlock_t *lock; /* the driver's, serialises top changes */
	bool published;

	range.top_level = top_level;
	for (level = sampled->top_level + 1; level <= top_level; level++) {
		struct pt_state pts = { .range = &range, .level = level };

		pts.table = pt_iommu_pool_get(map->pool, level);
		new_tables[level] = pts.table;
		pt_load_entry(&pts);
		pt_install_table(&pts, pt_table_virt_to_pa(child), &map->attrs);
		if (pt_iommu_incoherent(&pts)) {
			pt_load_entry(&pts);
			pt_set_sw_flush_bit(&pts);
			pt_iommu_flush_items(&pts, 0, 1);
		}
		child = pts.table;
	}

	lock = iommu_table->driver_ops->get_top_lock(iommu_table);
	spin_lock_irqsave(lock, flags);
	published = READ_ONCE(common->top_of_table) ==
		    pt_top_pack(sampled->top_table, sampled->top_level);
	if (published) {
		/*
		 * The hardware first: a map that finds the new top published
		 * returns without the top lock, and the device must then
		 * reach its IOVA. Until then the old top serves every walk.
		 */
		iommu_table->driver_ops->change_top(iommu_table,
						    pt_table_virt_to_pa(child),
						    top_level);
		pt_top_set(common, child, top_level);
	}
	spin_unlock_irqrestore(lock, flags);
	if (published)
		return true;

	for (level = sampled->top_level + 1; level <= top_level; level++) {
		struct pt_state pts = { .range = &range, .level = level,
					.table = new_tables[level] };

		pt_write_item(&pts, 0, 0);
		pt_iommu_flush_items(&pts, 0, 1);
		pt_iommu_pool_put(map->pool, level, new_tables[level]);
	}
	return false;
}

/*
 * Check the map, allocate the tables it needs and grow the top: on success
 * the map walk cannot fail; on failure nothing changed.
 */
static int pt_iommu_map_prepare(struct pt_iommu *iommu_table,
				struct pt_iommu_map_args *map,
				pt_vaddr_t va, pt_vaddr_t last_va)
{
	struct pt_common *common = pt_iommu_common(iommu_table);
	struct pt_range range, grown;
	unsigned int top_level;
	int ret;

	while (true) {
		range = pt_make_range(common, va, last_va);
		top_level = range.top_level;
		if (!pt_range_in_top(&range)) {
			if (!pt_feature(common, PT_FEAT_DYNAMIC_TOP))
				return -ERANGE;
			ret = pt_iommu_top_level_for(&range, &top_level);
			if (ret)
				return ret;
		}
		memset(map->pool->needed, 0, sizeof(map->pool->needed));
		ret = pt_iommu_map_check(&range, top_level, map);
		if (ret)
			return ret;
		grown = range;
		grown.top_level = top_level;
		ret = pt_iommu_pool_fill(iommu_table, &grown, map->pool,
					 map->attrs.gfp);
		if (ret)
			return ret;
		if (top_level == range.top_level ||
		    pt_iommu_grow_top(iommu_table, &range, top_level, map))
			return 0;
		/* Another map grew the top first: check again from it */
	}
}

/* The last IOVA of a (pgsize, pgcount) request, or an errno */
static int pt_iommu_request_last(unsigned long iova, size_t pgsize,
				 size_t pgcount, unsigned long *last)
{
	size_t len;

	if (!pgsize || !pgcount || !is_power_of_2(pgsize))
		return -EINVAL;
	if (check_mul_overflow(pgsize, pgcount, &len) ||
	    check_add_overflow(iova, len - 1, last))
		return -EOVERFLOW;
	return 0;
}

/* Check a map request; on success @range is the range to map */
static int pt_iommu_check_map(struct pt_common *common, unsigned long iova,
			      phys_addr_t paddr, size_t pgsize, size_t pgcount,
			      struct pt_range *range)
{
	unsigned int granule_lg2;
	phys_addr_t last_pa;
	unsigned long last;
	int ret;

	ret = pt_iommu_request_last(iova, pgsize, pgcount, &last);
	if (ret)
		return ret;
	*range = pt_make_range(common, iova, last);
	granule_lg2 = pt_iommu_granule_lg2(range);
	if (log2_mod_t(u64, iova, granule_lg2) ||
	    log2_mod_t(u64, paddr, granule_lg2) ||
	    log2_mod_t(u64, last + 1, granule_lg2))
		return -EINVAL;
	if (check_add_overflow(paddr, (phys_addr_t)(last - iova), &last_pa))
		return -EOVERFLOW;
	if (common->max_oasz_lg2 < 64 &&
	    log2_div_t(u64, last_pa, common->max_oasz_lg2))
		return -ERANGE;
	if (pt_check_range(range))
		return -ERANGE;
	return 0;
}

struct pt_iommu_unmap_args {
	/* Tables taken out, to free after the IOTLB flush */
	struct list_head free_list;
	/* Bytes from the IOVA asked for to the end of the last leaf removed */
	pt_vaddr_t unmapped;
	/*
	 * The first VA removed, before the request if its first leaf started
	 * there: everything from here up to the walk's position is gone, so
	 * a table from here on whose walk finished is empty.
	 */
	pt_vaddr_t removed_va;
	/* The first VA of what the gather gets from this walk */
	pt_vaddr_t gather_va;
	/* lg2 of the page size for the gather; 0 until a leaf is removed */
	unsigned int pgsize_lg2;
	/* Stop at a leaf of another size, for a gather of one page size */
	bool one_size;
};

static int pt_walk_unmap_leaves(struct pt_range *range, void *arg);

/*
 * Clear the leaves a map wrote into empty items before it failed, and
 * nothing else: every table stays, so the table is as it was. The caller
 * never reported these as mapped, so no device may use them and there is
 * no IOTLB entry to invalidate.
 */
static void pt_iommu_map_undo(struct pt_common *common, pt_vaddr_t va,
			      pt_vaddr_t len)
{
	struct pt_range range = pt_make_range(common, va, va + len - 1);
	struct pt_iommu_unmap_args unmap = {
		.free_list = LIST_HEAD_INIT(unmap.free_list),
		.removed_va = va,
		.gather_va = va,
	};

	pt_walk_unmap_leaves(&range, &unmap);
	WARN_ON(unmap.unmapped != len || !list_empty(&unmap.free_list));
}

/*
 * The map the walks under existing tables could not do: checked, with every
 * table it needs allocated before anything is written. A function of its
 * own so that the pool and the gather are not on the stack of the fast
 * paths, where a kernel that initialises stack variables would clear them
 * on every call.
 */
static noinline int pt_iommu_map_checked(struct pt_iommu *iommu_table,
					 struct pt_iommu_map_args *map,
					 pt_vaddr_t va, pt_vaddr_t last_va)
{
	struct pt_common *common = pt_iommu_common(iommu_table);
	struct pt_range range = pt_make_range(common, va, last_va);
	struct iommu_iotlb_gather replaced;
	struct pt_iommu_table_pool pool;
	pt_oaddr_t oa = map->oa;
	int ret;

	pt_iommu_pool_init(&pool);
	map->pool = &pool;
	ret = pt_iommu_map_prepare(iommu_table, map, va, last_va);
	if (!ret) {
		iommu_iotlb_gather_init(&replaced);
		map->replaced = &replaced;
		range = pt_make_range(common, va, last_va);
		ret = pt_walk_map(&range, map);
		/* Only a caller that maps over a concurrent map gets here */
		if (WARN_ON_ONCE(ret) && map->oa != oa)
			pt_iommu_map_undo(common, va, map->oa - oa);
		pt_iommu_sync_local_gather(iommu_table, &replaced);
	}
	pt_iommu_pool_free(&range, &pool);
	return ret;
}

/**
 * DOC: pt_iommu_FMT_map_pages()
 *
 * pt_iommu_FMT_map_pages() - Map a physically contiguous range
 *
 * - @domain: The domain of the table
 * - @iova: First IOVA
 * - @paddr: First physical address
 * - @pgsize: Size of each page
 * - @pgcount: Number of pages
 * - @prot: IOMMU_READ, IOMMU_WRITE, ...
 * - @gfp: Allocation flags for new tables
 * - @mapped: Incremented by the bytes mapped
 *
 * The request is treated as one range of pgsize * pgcount bytes, mapped
 * with the largest leaves that the alignment of the IOVA and the physical
 * address and the format allow, contiguous runs included. It takes no lock
 * and may run concurrently with any operation on other IOVAs. On failure
 * nothing is left mapped: -EADDRINUSE if part of the range was already
 * mapped, -ENOMEM if a table could not be allocated, -EINVAL, -EOVERFLOW or
 * -ERANGE for a request the table cannot hold. A map that fails leaves the
 * table exactly as it was: it writes nothing before it has every table it
 * needs.
 *
 * Return: 0 or a negative errno
 */
PT_IOMMU_API int PT_IOMMU_NS(map_pages)(struct iommu_domain *domain,
					unsigned long iova, phys_addr_t paddr,
					size_t pgsize, size_t pgcount,
					int prot, gfp_t gfp, size_t *mapped)
{
	struct pt_iommu *iommu_table = pt_domain_iommu(domain);
	struct pt_common *common = pt_iommu_common(iommu_table);
	/*
	 * Filled field by field: each walk sets what only it uses, and
	 * clearing them, or the pattern of CONFIG_INIT_STACK_ALL_*, would
	 * cost more stores than a single page map does.
	 */
	struct pt_iommu_map_args map __uninitialized;
	struct pt_range range __uninitialized;
	pt_vaddr_t last_va;
	int ret;

	ret = pt_iommu_check_map(common, iova, paddr, pgsize, pgcount, &range);
	if (ret)
		return ret;
	ret = pt_iommu_set_prot(common, &map.attrs, prot);
	if (ret)
		return ret;
	map.attrs.gfp = gfp;
	map.iommu_table = iommu_table;
	map.oa = paddr;
	last_va = range.last_va;

	/* First without a check, under the tables that exist */
	if (pt_range_in_top(&range)) {
		/* One aligned page is one item of its size, if any level has it */
		if (pgcount == 1 && !(iova & (pgsize - 1)))
			map.descend_lg2 = __ffs(pgsize);
		else
			map.descend_lg2 = pt_iommu_descend_lg2(iova, last_va);
		ret = pt_walk_map_descend(&range, &map);
		if (ret > 0) {
			/*
			 * Read back from memory: see __pt_map_descend(). The
			 * compiler would otherwise carry the table of each
			 * level of the descent to here itself.
			 */
			barrier();
			if (ret == PT_MAP_WALK_CONTIG)
				ret = pt_walk_map_one_contig_at(&range, &map,
								map.walk_level,
								map.walk_table);
			else
				ret = pt_walk_map_optimistic_at(&range, &map,
								map.walk_level,
								map.walk_table);
		}
		if (ret && map.oa != paddr) {
			pt_iommu_map_undo(common, iova, map.oa - paddr);
			map.oa = paddr;
		}
		if (ret != PT_MAP_NEED_TABLES)
			goto out;
	}

	ret = pt_iommu_map_checked(iommu_table, &map, iova, last_va);
out:
	if (ret)
		return ret;
	/* Not from pgsize and pgcount, which the walks need not keep */
	*mapped += last_va - iova + 1;
	return 0;
}

PT_IOMMU_EXPORT(map_pages);

/* ------------------------------------------------------- unmap */

/*
 * After a single item leaf that unmap cleared, clear the single item leaves
 * that follow it in one pass, up to the last item of the range, which goes
 * whole even if the range ends inside it. The walk state stays in
 * registers, with no VA to follow per item. Returns the index of the last
 * item cleared.
 */
static __always_inline unsigned int
pt_iommu_unmap_run(const struct pt_state *pts,
		   struct pt_iommu_unmap_args *unmap)
{
	unsigned int item_lg2 = pt_table_item_lg2sz(pts);
	unsigned int end = pts->end_index;
	struct pt_state ipts = *pts;

	for (ipts.index = pts->index + 1; ipts.index < end; ipts.index++) {
		if (pt_load_entry(&ipts) != PT_ENTRY_OA ||
		    pt_entry_num_contig_lg2(&ipts))
			break;
		pt_clear_entry(&ipts, 0);
	}
	unmap->unmapped += log2_mul(ipts.index - 1 - pts->index, item_lg2);
	return ipts.index - 1;
}

/* Internal stop code of the unmap walk: a leaf of another page size */
#define PT_UNMAP_NEW_SIZE (-EAGAIN)

/*
 * A leaf of another size than the one before it, or the first leaf of the
 * walk, which alone can start before range->va: it is then counted from
 * range->va and gathered whole, and @pts goes to its first item.
 */
static __always_inline int pt_iommu_unmap_size(struct pt_state *pts,
					       struct pt_iommu_unmap_args *unmap,
					       unsigned int oasz_lg2)
{
	pt_vaddr_t off;

	if (unmap->pgsize_lg2) {
		if (unmap->one_size)
			return PT_UNMAP_NEW_SIZE;
		/* A range gather takes the smallest size */
		unmap->pgsize_lg2 = min(unmap->pgsize_lg2, oasz_lg2);
		return 0;
	}
	unmap->pgsize_lg2 = oasz_lg2;
	off = log2_mod(pts->range->va, oasz_lg2);
	if (off) {
		unmap->removed_va = pts->range->va - off;
		unmap->gather_va = unmap->removed_va;
		/* Wraps before the whole leaf is added */
		unmap->unmapped -= off;
		pts->index = log2_set_mod_t(unsigned int, pts->index, 0,
					    pt_entry_num_contig_lg2(pts));
	}
	return 0;
}

/*
 * Clear the leaves of the range in one table, and the tables below it that
 * the unmap emptied whole. A leaf the range only cuts, at either end, goes
 * whole. Stops at a hole, or with PT_UNMAP_NEW_SIZE before a leaf of
 * another size than those before it if the gather takes one size.
 */
static __always_inline int __pt_unmap_range(struct pt_range *range,
					    void *arg, unsigned int level,
					    struct pt_table_p *table,
					    pt_level_fn_t descend_fn,
					    bool keep_tables)
{
	struct pt_state pts = pt_init(range, level, table);
	struct pt_iommu_unmap_args *unmap = arg;
	unsigned int written = pts.index;
	unsigned int first = pts.index;
	unsigned int contig_lg2;
	unsigned int oasz_lg2;
	unsigned int item_lg2;
	pt_vaddr_t item_va;
	int ret = 0;

	for_each_pt_level_entry(&pts) {
		switch (pts.type) {
		case PT_ENTRY_EMPTY:
			ret = PT_WALK_STOP;
			goto out;
		case PT_ENTRY_OA:
			oasz_lg2 = pt_entry_oa_lg2sz(&pts);
			if (unlikely(oasz_lg2 != unmap->pgsize_lg2)) {
				ret = pt_iommu_unmap_size(&pts, unmap,
							  oasz_lg2);
				if (ret)
					goto out;
				first = min(first, pts.index);
			}
			/* pts.index is the first item of the leaf */
			contig_lg2 = pt_entry_num_contig_lg2(&pts);
			pt_clear_entry(&pts, contig_lg2);
			unmap->unmapped += log2_to_int(oasz_lg2);
			/* pt_next_entry() moves on from the last one cleared */
			if (!contig_lg2)
				pts.index = pt_iommu_unmap_run(&pts, unmap);
			written = pts.index +
				  log2_to_int_t(unsigned int, contig_lg2);
			break;
		case PT_ENTRY_TABLE:
			ret = pt_descend(&pts, arg, descend_fn);
			if (ret)
				goto out;
			if (keep_tables)
				break;
			/*
			 * Everything from removed_va to here is gone, so a
			 * table from there up to the end of the range is
			 * empty.
			 */
			item_lg2 = pt_table_item_lg2sz(&pts);
			item_va = log2_set_mod(range->va, 0, item_lg2);
			if (item_va >= unmap->removed_va &&
			    log2_set_mod_max(range->va, item_lg2) <=
				    range->last_va) {
				struct pt_table_p *lower = pt_table_ptr(&pts);

				pt_clear_entry(&pts, 0);
				pt_iommu_queue_table(lower,
						     pt_iommu_table_order(range,
									  level - 1),
						     &unmap->free_list);
				unmap->gather_va = min(unmap->gather_va,
						       item_va);
				written = pts.index + 1;
			}
			break;
		}
	}
out:
	/*
	 * Items are cleared in order from the first, so the written ones are
	 * the run up to the last clear, which a contiguous leaf may start
	 * before.
	 */
	if (written > first)
		pt_iommu_flush_items(&pts, first, written - first);
	return ret;
}

PT_IOMMU_WALKER_VARIANT(pt_walk_unmap, __pt_unmap_range, false);
/* Only the leaves, for a map taking back what it wrote: tables stay */
PT_IOMMU_WALKER_VARIANT(pt_walk_unmap_leaves, __pt_unmap_range, true);

/* True if the driver's IOTLB invalidation takes ranges, not page sizes */
static inline bool pt_iommu_flush_by_range(struct pt_common *common)
{
	return pt_feature(common, PT_FEAT_FLUSH_RANGE) ||
	       pt_feature(common, PT_FEAT_FLUSH_RANGE_NO_GAPS);
}

/*
 * Record what an unmap removed in the gather: the range [@va, @last], whose
 * leaves are 2^@pgsize_lg2 bytes (at least, for a driver that flushes by
 * range), and the tables on @free_list, if any, to free once the flush is
 * done.
 *
 * Without PT_FEAT_FLUSH_RANGE* the driver invalidates by page size, as
 * SMMUv3 does with gather->pgsize: the gather is filled as
 * iommu_iotlb_gather_add_page() would, syncing first when the range is
 * disjoint from what the gather holds or its leaves are of another size.
 * With them, ranges merge (with NO_GAPS only when they touch) and pgsize
 * is the smallest leaf size gathered, a granule that steps through every
 * leaf of the range.
 */
static __always_inline void
pt_iommu_gather(struct pt_iommu *iommu_table, pt_vaddr_t va, pt_vaddr_t last,
		unsigned int pgsize_lg2, struct list_head *free_list,
		struct iommu_iotlb_gather *gather)
{
	struct pt_common *common = pt_iommu_common(iommu_table);
	size_t pgsize = log2_to_int_t(size_t, pgsize_lg2);
	size_t len = last - va + 1;

	if (!gather->end) {
		/* Empty, as for most unmaps: nothing to sync or merge */
		gather->pgsize = pgsize;
	} else if (pt_iommu_flush_by_range(common)) {
		if (pt_feature(common, PT_FEAT_FLUSH_RANGE_NO_GAPS) &&
		    !gather->queued &&
		    iommu_iotlb_gather_is_disjoint(gather, va, len))
			iommu_iotlb_sync(&iommu_table->domain, gather);
		if (!gather->pgsize || pgsize < gather->pgsize)
			gather->pgsize = pgsize;
	} else {
		/* A queued gather waits for a flush of everything */
		if (!gather->queued &&
		    ((gather->pgsize && gather->pgsize != pgsize) ||
		     iommu_iotlb_gather_is_disjoint(gather, va, len)))
			iommu_iotlb_sync(&iommu_table->domain, gather);
		gather->pgsize = pgsize;
	}
	iommu_iotlb_gather_add_range(gather, va, len);
	if (!free_list)
		return;
	list_splice_tail_init(free_list, &gather->freelist);

	/*
	 * A driver without iotlb_sync has no flush to wait for and nothing
	 * that would free the list: flush what it has and free them now.
	 */
	if (!list_empty(&gather->freelist) &&
	    !(iommu_table->domain.ops && iommu_table->domain.ops->iotlb_sync))
		pt_iommu_sync_local_gather(iommu_table, gather);
}

/*
 * The fast path of an unmap that is exactly one leaf entry, the common
 * (pgsize, 1) after a (pgsize, 1) map: descend to the entry that holds the
 * first IOVA and clear it if it is that leaf. Anything else, a table, a
 * hole or an entry of another size, stops the walk with PT_WALK_STOP and
 * goes to the full unmap.
 */
static __always_inline int __pt_unmap_one(struct pt_range *range, void *arg,
					  unsigned int level,
					  struct pt_table_p *table,
					  pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	unsigned int *len_lg2 = arg;
	unsigned int contig_lg2;
	unsigned int oasz_lg2;
	int ret;

	if (!pt_find_leaf(&pts, arg, descend_fn, &ret))
		return ret;
	oasz_lg2 = pt_entry_oa_lg2sz(&pts);
	if (oasz_lg2 != *len_lg2 || log2_mod(range->va, oasz_lg2))
		return PT_WALK_STOP;
	/* Aligned to the entry, so pts.index is its first item */
	contig_lg2 = pt_entry_num_contig_lg2(&pts);
	pt_clear_entry(&pts, contig_lg2);
	pt_iommu_flush_items(&pts, pts.index,
			     log2_to_int_t(unsigned int, contig_lg2));
	return 0;
}

PT_MAKE_DESCENT(pt_walk_unmap_one, __pt_unmap_one);

/*
 * The unmap the single leaf fast path could not do. A function of its own
 * so that its state is not on the stack of the fast path.
 */
static noinline size_t pt_iommu_unmap_walk(struct pt_iommu *iommu_table,
					   struct pt_range *range,
					   struct iommu_iotlb_gather *gather)
{
	struct pt_common *common = pt_iommu_common(iommu_table);
	pt_vaddr_t va = range->va;
	pt_vaddr_t last_va = range->last_va;
	struct pt_iommu_unmap_args unmap = {
		.free_list = LIST_HEAD_INIT(unmap.free_list),
		.removed_va = va,
		.one_size = !pt_iommu_flush_by_range(common),
	};
	pt_vaddr_t done;
	int ret;

	while (true) {
		done = unmap.unmapped;
		unmap.gather_va = range->va;
		unmap.pgsize_lg2 = 0;
		ret = pt_walk_unmap(range, &unmap);
		if (unmap.unmapped != done)
			pt_iommu_gather(iommu_table, unmap.gather_va,
					va + unmap.unmapped - 1,
					unmap.pgsize_lg2, &unmap.free_list,
					gather);
		WARN_ON(!list_empty(&unmap.free_list));
		/* The gather has one page size: go on with the next */
		if (ret != PT_UNMAP_NEW_SIZE)
			return unmap.unmapped;
		*range = pt_make_range(common, va + unmap.unmapped, last_va);
	}
}

static size_t pt_iommu_unmap_range(struct pt_iommu *iommu_table,
				   pt_vaddr_t va, pt_vaddr_t last_va,
				   struct iommu_iotlb_gather *gather)
{
	struct pt_range range = pt_make_range(pt_iommu_common(iommu_table), va,
					      last_va);
	pt_vaddr_t len = last_va - va + 1;
	unsigned int len_lg2;

	if (pt_check_range(&range) || !pt_range_clip_to_top(&range))
		return 0;
	/*
	 * Only a length that is a leaf size can be one leaf: (4K, 256) on a
	 * format without 1M leaves goes to the walk without a descent first.
	 * pgsize_bitmap is what init gave (0 for the whole space's length).
	 */
	if ((len & iommu_table->domain.pgsize_bitmap) && !(len & (len - 1))) {
		len_lg2 = vaffs(len);
		if (!pt_walk_unmap_one(&range, &len_lg2)) {
			pt_iommu_gather(iommu_table, va, last_va, len_lg2,
					NULL, gather);
			return len;
		}
	}
	return pt_iommu_unmap_walk(iommu_table, &range, gather);
}

/**
 * DOC: pt_iommu_FMT_unmap_pages()
 *
 * pt_iommu_FMT_unmap_pages() - Unmap a range
 *
 * - @domain: The domain of the table
 * - @iova: First IOVA
 * - @pgsize: Size of each page
 * - @pgcount: Number of pages
 * - @iotlb_gather: Gathers the range to flush and the tables to free after it
 *
 * Removes every leaf the range meets, from the one holding @iova up to the
 * first IOVA that is not mapped or the end of the range, and the tables
 * that empties. A leaf the range covers only in part is never split: it is
 * removed whole, whether the range starts or ends inside it, as 6.12's AMD
 * and Intel drivers do (VFIO type1 unmaps a page at a time and relies on
 * getting the size of the whole leaf back). A leaf here is what the
 * hardware may cache as one TLB entry: an AMD v1 leaf of several items or
 * an Arm contiguous run counts as one. Unlike 6.12's io-pgtable-arm, which
 * splits a block into a new table, the Arm format removes the whole block
 * too: no 6.12 caller unmaps part of a block, and unmap never allocates.
 *
 * The gather gets every leaf removed whole, the part before @iova
 * included, with gather->pgsize set, see &struct iommu_iotlb_gather and
 * %PT_FEAT_FLUSH_RANGE, and the freed tables on its freelist. An unmap
 * that removes leaves of several sizes from a table whose driver
 * invalidates by page size calls iommu_iotlb_sync() between the sizes.
 * No lock is taken.
 *
 * Return: the bytes from @iova to the end of the last leaf removed, which
 * is more than was asked for if the range ended inside a leaf, and 0 if
 * @iova is not mapped. The core adds it to @iova for its next call.
 */
PT_IOMMU_API size_t
PT_IOMMU_NS(unmap_pages)(struct iommu_domain *domain, unsigned long iova,
			 size_t pgsize, size_t pgcount,
			 struct iommu_iotlb_gather *iotlb_gather)
{
	unsigned long last;

	if (pt_iommu_request_last(iova, pgsize, pgcount, &last))
		return 0;
	return pt_iommu_unmap_range(pt_domain_iommu(domain), iova, last,
				    iotlb_gather);
}

PT_IOMMU_EXPORT(unmap_pages);

/* ------------------------------------------------------- dirty */

struct pt_iommu_dirty_args {
	struct iommu_dirty_bitmap *dirty;
	unsigned long flags;
	pt_vaddr_t va;
};

static __always_inline int __pt_read_and_clear_dirty(struct pt_range *range,
						     void *arg,
						     unsigned int level,
						     struct pt_table_p *table,
						     pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	struct pt_iommu_dirty_args *dirty = arg;
	unsigned int oasz_lg2;
	pt_vaddr_t first;
	int ret;

	for_each_pt_level_entry(&pts) {
		if (pts.type == PT_ENTRY_TABLE) {
			ret = pt_descend(&pts, arg, descend_fn);
			if (ret)
				return ret;
			continue;
		}
		if (pts.type != PT_ENTRY_OA || !pt_entry_write_is_dirty(&pts))
			continue;

		/*
		 * The whole leaf is made clean, so all of it is reported, to
		 * its end even past the request's (the bitmap keeps bits past
		 * its window for the next one); only the part before the
		 * request cannot be recorded.
		 */
		oasz_lg2 = pt_entry_oa_lg2sz(&pts);
		first = max(log2_set_mod(range->va, 0, oasz_lg2), dirty->va);
		iommu_dirty_bitmap_record(dirty->dirty, first,
					  log2_set_mod_max(range->va, oasz_lg2) -
						  first + 1);
		if (!(dirty->flags & IOMMU_DIRTY_NO_CLEAR)) {
			unsigned int contig_lg2 = pt_entry_num_contig_lg2(&pts);

			pt_entry_make_write_clean(&pts);
			pt_iommu_flush_items(&pts,
					     log2_set_mod_t(unsigned int,
							    pts.index, 0,
							    contig_lg2),
					     log2_to_int_t(unsigned int,
							   contig_lg2));
		}
	}
	return 0;
}

PT_MAKE_WALKER(pt_walk_read_and_clear_dirty, __pt_read_and_clear_dirty);

/**
 * DOC: pt_iommu_FMT_read_and_clear_dirty()
 *
 * pt_iommu_FMT_read_and_clear_dirty() - Report and clean dirty leaves
 *
 * - @domain: The domain of the table
 * - @iova: First IOVA
 * - @size: Bytes from @iova
 * - @flags: IOMMU_DIRTY_NO_CLEAR to only report
 * - @dirty: Where to record the dirty IOVA ranges
 *
 * Every leaf the hardware marked dirty that the range meets is recorded
 * and, unless IOMMU_DIRTY_NO_CLEAR, made clean whole. It is recorded from
 * the larger of its start and @iova to its end, past the end of the range
 * if it goes on, as 6.12's AMD and Intel drivers do: iova_bitmap keeps the
 * bits past its window for the next one, so that a large leaf across a
 * window boundary is not lost. The driver flushes the IOTLB for the ranges
 * recorded in the dirty bitmap's gather.
 *
 * Return: 0, or -EINVAL for a range the table cannot hold
 */
PT_IOMMU_API int
PT_IOMMU_NS(read_and_clear_dirty)(struct iommu_domain *domain,
				  unsigned long iova, size_t size,
				  unsigned long flags,
				  struct iommu_dirty_bitmap *dirty)
{
	struct pt_iommu_dirty_args args = {
		.dirty = dirty,
		.flags = flags,
		.va = iova,
	};
	struct pt_range range;
	pt_vaddr_t last_va;

	if (!size || check_add_overflow((pt_vaddr_t)iova, (pt_vaddr_t)size - 1,
					&last_va))
		return -EINVAL;
	range = pt_make_range(pt_domain_common(domain), iova, last_va);
	if (pt_check_range(&range))
		return -EINVAL;
	if (!pt_range_clip_to_top(&range))
		return 0;
	return pt_walk_read_and_clear_dirty(&range, &args);
}

PT_IOMMU_EXPORT(read_and_clear_dirty);

static __always_inline int __pt_set_dirty(struct pt_range *range, void *arg,
					  unsigned int level,
					  struct pt_table_p *table,
					  pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	int ret;

	if (!pt_find_leaf(&pts, arg, descend_fn, &ret))
		return ret;
	return pt_entry_make_write_dirty(&pts) ? 0 : -EOPNOTSUPP;
}

PT_MAKE_DESCENT(pt_walk_set_dirty, __pt_set_dirty);

/**
 * DOC: pt_iommu_FMT_set_dirty()
 *
 * pt_iommu_FMT_set_dirty() - Mark the leaf of an IOVA dirty, as hardware
 *     would on a write through it
 *
 * - @table: The table
 * - @iova: An IOVA inside the leaf
 *
 * For tests and mock drivers (the iommufd selftest) that play the hardware.
 *
 * Return: 0, -ENOENT if @iova is not mapped, -EOPNOTSUPP if the leaf cannot
 * become dirty (read-only, or no dirty tracking in this configuration)
 */
PT_IOMMU_API int PT_IOMMU_NS(set_dirty)(struct PT_IOMMU_FMT_T *table,
					dma_addr_t iova)
{
	struct pt_range range;

	if (!pt_iommu_one_va(&table->PT_IOMMU_FMT_MEMBER.common, iova, &range))
		return -ENOENT;
	return pt_walk_set_dirty(&range, NULL);
}

PT_IOMMU_EXPORT(set_dirty);

/* ------------------------------------------------------- init */

/* Every leaf size of every level this table can ever have */
static u64 pt_iommu_pgsize_bitmap(struct pt_common *common)
{
	struct pt_range range = pt_make_range(common, 0, 0);
	unsigned int max_level = range.top_level;
	unsigned int level;
	u64 sizes = 0;

	if (pt_feature(common, PT_FEAT_DYNAMIC_TOP))
		max_level = PT_MAX_TOP_LEVEL;
	for (level = 0; level <= max_level; level++) {
		struct pt_state pts = { .range = &range, .level = level };

		sizes |= pt_leaf_sizes(&pts);
	}
	/*
	 * The core passes page sizes as size_t and keeps them in an unsigned
	 * long: on 32-bit a 4 GiB leaf cannot be asked for, so it is not one.
	 */
	return sizes & (u64)ULONG_MAX;
}

static void pt_iommu_get_info(struct pt_iommu *iommu_table,
			      struct pt_iommu_info *info)
{
	info->pgsize_bitmap =
		pt_iommu_pgsize_bitmap(pt_iommu_common(iommu_table));
}

#include "iommu_pt_dump.h"

static void pt_iommu_deinit_table(struct pt_iommu *iommu_table)
{
	struct pt_common *common = pt_iommu_common(iommu_table);
	struct pt_range range = pt_iommu_all_range(common);
	LIST_HEAD(free_list);

	pt_iommu_debug_deinit(iommu_table);
	pt_iommu_walk_tables(&range, range.top_level, range.top_table, true,
			     &free_list);
	pt_iommu_put_list(&free_list);
	iommu_table->ops = NULL;
}

static const struct pt_iommu_ops pt_iommu_table_ops = {
	.get_info = pt_iommu_get_info,
	.deinit = pt_iommu_deinit_table,
};

static int pt_iommu_check_cfg(struct pt_iommu *iommu_table,
			      const struct pt_iommu_cfg *cfg)
{
	if (cfg->features & ~(unsigned int)PT_SUPPORTED_FEATURES)
		return -EOPNOTSUPP;
	if ((cfg->features & BIT(PT_FEAT_DMA_INCOHERENT)) &&
	    !pt_iommu_can_flush())
		return -EOPNOTSUPP;
	if ((cfg->features & BIT(PT_FEAT_DYNAMIC_TOP)) &&
	    (!iommu_table->driver_ops || !iommu_table->driver_ops->change_top ||
	     !iommu_table->driver_ops->get_top_lock))
		return -EINVAL;
	if (!cfg->hw_max_vasz_lg2 || cfg->hw_max_vasz_lg2 > 64 ||
	    !cfg->hw_max_oasz_lg2 || cfg->hw_max_oasz_lg2 > 64)
		return -EINVAL;
	return 0;
}

/**
 * DOC: pt_iommu_FMT_init()
 *
 * pt_iommu_FMT_init() - Initialise an empty IOMMU page table
 *
 * - @table: The table, with iommu.nid and, for %PT_FEAT_DYNAMIC_TOP,
 *   iommu.driver_ops set by the driver
 * - @cfg: What the driver and the hardware need
 * - @gfp: Allocation flags for the top table
 *
 * Checks @cfg against the format and the hardware limits it states, then
 * allocates the top table. On success the domain's pgsize_bitmap and
 * aperture describe the table. On failure nothing is allocated and
 * pt_iommu_deinit() does nothing.
 *
 * Return: 0, -EOPNOTSUPP for a feature the format cannot provide, -EINVAL
 * for a geometry it cannot have, or -ENOMEM
 */
PT_IOMMU_API int PT_IOMMU_NS(init)(struct PT_IOMMU_FMT_T *table,
				   const struct PT_IOMMU_CFG_T *cfg, gfp_t gfp)
{
	struct pt_iommu *iommu_table = &table->iommu;
	struct pt_common *common = &table->PT_IOMMU_FMT_MEMBER.common;
	struct pt_table_p *top;
	struct pt_range range;
	int top_level;
	int ret;

	iommu_table->ops = NULL;
	memset(common, 0, sizeof(*common));
	ret = pt_iommu_check_cfg(iommu_table, &cfg->common);
	if (ret)
		return ret;
	/* A unit that always has a feature (a variant's granule) records it */
	common->features = cfg->common.features | PT_FORCE_ENABLED_FEATURES;
	common->max_vasz_lg2 = cfg->common.hw_max_vasz_lg2;
	common->max_oasz_lg2 = min_t(unsigned int, cfg->common.hw_max_oasz_lg2,
				     BITS_PER_TYPE(phys_addr_t));

	top_level = pt_iommu_fmt_init(table, cfg);
	if (top_level < 0)
		return top_level;

	pt_top_set(common, NULL, top_level);
	range = pt_make_range(common, 0, 0);
	top = pt_iommu_alloc_table(iommu_table,
				   pt_iommu_table_order(&range, top_level), gfp);
	if (!top)
		return -ENOMEM;
	if (pt_feature(common, PT_FEAT_DMA_INCOHERENT))
		pt_iommu_flush_table(&range, top_level, top);
	pt_top_set(common, top, top_level);

	iommu_table->domain.pgsize_bitmap = pt_iommu_pgsize_bitmap(common);
	iommu_table->domain.geometry.aperture_start = 0;
	/* map_pages() takes an unsigned long IOVA, even with a wider dma_addr_t */
	iommu_table->domain.geometry.aperture_end =
		min_t(u64, pt_max_va(common), ULONG_MAX);
	iommu_table->domain.geometry.force_aperture = true;
	iommu_table->ops = &pt_iommu_table_ops;
	pt_iommu_debug_init(iommu_table, gfp);
	return 0;
}

PT_IOMMU_EXPORT(init);

/**
 * DOC: pt_iommu_FMT_hw_info()
 *
 * pt_iommu_FMT_hw_info() - What the driver programs into the hardware
 *
 * - @table: An initialised table
 * - @info: Filled with the format's description of the top of the table
 *
 * With %PT_FEAT_DYNAMIC_TOP the answer changes as the table grows; call it
 * under the top lock or use &pt_iommu_driver_ops.change_top.
 */
PT_IOMMU_API void PT_IOMMU_NS(hw_info)(struct PT_IOMMU_FMT_T *table,
				       struct PT_IOMMU_HW_INFO_T *info)
{
	struct pt_range range =
		pt_iommu_all_range(&table->PT_IOMMU_FMT_MEMBER.common);

	pt_iommu_fmt_hw_info(table, &range, info);
}

PT_IOMMU_EXPORT(hw_info);

#endif
