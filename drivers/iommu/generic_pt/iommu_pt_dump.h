/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Debug readers of a live table, compiled into every format's unit by
 * iommu_pt.h: one leaf walker, and on top of it the walk that
 * IOMMU_DEBUG_PAGEALLOC uses to count and to search a domain, and the
 * debugfs files iommu/domain_<id>/ptdump, stats and info.
 *
 * The walker runs under rcu_read_lock() while other threads map and unmap:
 * a table that unmap removes is freed only after an RCU grace period, so
 * every table it reaches stays readable until it returns. It takes no lock,
 * never sleeps and never allocates, so the sanitizer may call it from the
 * page free path with interrupts off. What it reports while the table
 * changes is each leaf as it was at one moment of the walk.
 */
#ifndef __GENERIC_PT_IOMMU_PT_DUMP_H
#define __GENERIC_PT_IOMMU_PT_DUMP_H

#include <linux/rcupdate.h>
#include <linux/stringify.h>
#if IS_ENABLED(CONFIG_IOMMU_DEBUG_PAGEALLOC)
#include <linux/iommu-debug-pagealloc.h>
#endif
#if IS_ENABLED(CONFIG_IOMMU_PT_DEBUGFS)
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "pt_iommu_debugfs.h"
#endif

/* A format that names nothing prints no attributes and no own features */
#ifndef pt_dump_attrs
static inline const struct pt_dump_attr *
pt_dump_attrs(const struct pt_common *common, unsigned int *num)
{
	*num = 0;
	return NULL;
}
#endif

#ifndef pt_dump_features
static inline const struct pt_dump_attr *pt_dump_features(unsigned int *num)
{
	*num = 0;
	return NULL;
}
#endif

/* ------------------------------------------------------- the leaf walker */

/*
 * Called once per leaf entry, in IOVA order, with @va the first VA of the
 * whole entry (a contiguous run included), even where the walk started
 * inside it. A non-zero return ends the walk with that value.
 */
typedef int (*pt_leaf_fn_t)(void *arg, const struct pt_state *pts,
			    pt_vaddr_t va);
/* Called once for every table the walk enters, before its first item */
typedef void (*pt_table_fn_t)(void *arg, const struct pt_state *pts);

static __always_inline int pt_walk_leaves_level(struct pt_range *range,
						void *arg, unsigned int level,
						struct pt_table_p *table,
						pt_level_fn_t descend_fn,
						pt_leaf_fn_t leaf_fn,
						pt_table_fn_t table_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	int ret;

	if (table_fn)
		table_fn(arg, &pts);
	for_each_pt_level_entry(&pts) {
		if (pts.type == PT_ENTRY_TABLE)
			ret = pt_descend(&pts, arg, descend_fn);
		else if (pts.type == PT_ENTRY_OA)
			ret = leaf_fn(arg, &pts,
				      log2_set_mod(range->va, 0,
						   pt_entry_oa_lg2sz(&pts)));
		else
			continue;
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Instantiate the leaf walker for one user. The callbacks are constants, so
 * each user gets an unrolled walk with its callbacks inlined.
 */
#define PT_MAKE_LEAF_WALKER(name, leaf_fn, table_fn)                        \
	static __always_inline int name##_level(struct pt_range *range,     \
						void *arg,                  \
						unsigned int level,         \
						struct pt_table_p *table,   \
						pt_level_fn_t descend_fn)   \
	{                                                                   \
		return pt_walk_leaves_level(range, arg, level, table,       \
					    descend_fn, leaf_fn, table_fn); \
	}                                                                   \
	PT_MAKE_WALKER(name, name##_level)

typedef int (*pt_walker_t)(struct pt_range *range, void *arg);

/*
 * The VA of the table in two halves: the whole VA space, or with
 * %PT_FEAT_SIGN_EXTEND its lower and upper half at their real addresses.
 */
static bool __maybe_unused pt_iommu_va_half(const struct pt_common *common,
					    unsigned int half, pt_vaddr_t *first,
					    pt_vaddr_t *last)
{
	if (half == 0) {
		*first = 0;
		*last = pt_max_va(common);
		return true;
	}
	if (half == 1 && pt_feature(common, PT_FEAT_SIGN_EXTEND)) {
		*first = pt_min_signed_va(common);
		*last = PT_VADDR_MAX;
		return true;
	}
	return false;
}

/* Walk [va, last] of one half, no further than the sampled top reaches */
static int __maybe_unused pt_iommu_walk_span(struct pt_common *common,
					     pt_vaddr_t va, pt_vaddr_t last,
					     pt_walker_t walker, void *arg)
{
	struct pt_range range = pt_make_range(common, va, last);

	if (pt_check_range(&range))
		return -ERANGE;
	if (!pt_range_in_top(&range)) {
		struct pt_state pts = { .range = &range,
					.level = range.top_level };

		if (log2_div(va, pt_table_span_lg2(&pts)))
			return 0;
		range.last_va = log2_to_max_int(pt_table_span_lg2(&pts));
	}
	return walker(&range, arg);
}

/* Walk the leaves of [va, last], in both halves of a sign extended table */
static int __maybe_unused pt_iommu_walk_leaves(struct pt_common *common,
					       pt_vaddr_t va, pt_vaddr_t last,
					       pt_walker_t walker, void *arg)
{
	pt_vaddr_t first, end;
	unsigned int half;
	int ret;

	for (half = 0; pt_iommu_va_half(common, half, &first, &end); half++) {
		if (va > end || last < first)
			continue;
		ret = pt_iommu_walk_span(common, max(va, first),
					 min(last, end), walker, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------- IOMMU_DEBUG_PAGEALLOC */

#if IS_ENABLED(CONFIG_IOMMU_DEBUG_PAGEALLOC)
struct pt_iommu_debug_walk {
	iommu_debug_leaf_fn fn;
	void *arg;
};

static int pt_iommu_debug_leaf(void *arg, const struct pt_state *pts,
			       pt_vaddr_t va)
{
	struct pt_iommu_debug_walk *walk = arg;
	unsigned int size_lg2 = pt_entry_oa_lg2sz(pts);

	/* The domain's pgsize_bitmap keeps leaves within size_t */
	if (WARN_ON_ONCE(size_lg2 >= BITS_PER_TYPE(size_t)))
		return PT_WALK_STOP;
	if (walk->fn(walk->arg, va, pt_entry_oa(pts),
		     log2_to_int_t(size_t, size_lg2)))
		return PT_WALK_STOP;
	return 0;
}

PT_MAKE_LEAF_WALKER(pt_walk_debug_leaves, pt_iommu_debug_leaf, NULL);

/*
 * The walk of struct iommu_debug_domain_ops: any context, no allocation. The
 * sanitizer stops it after a few leaves, so one RCU read section is short.
 */
static void pt_iommu_debug_walk(struct iommu_domain *domain,
				unsigned long iova, unsigned long last,
				iommu_debug_leaf_fn fn, void *arg)
{
	struct pt_iommu_debug_walk walk = { .fn = fn, .arg = arg };

	rcu_read_lock();
	pt_iommu_walk_leaves(pt_domain_common(domain), iova, last,
			     pt_walk_debug_leaves, &walk);
	rcu_read_unlock();
}

static const struct iommu_debug_domain_ops pt_iommu_debug_domain_ops = {
	.walk = pt_iommu_debug_walk,
};
#endif

/* ------------------------------------------------------- debugfs */

#if IS_ENABLED(CONFIG_IOMMU_PT_DEBUGFS)
static const char *const pt_dump_common_features[PT_FEAT_FMT_START] = {
	[PT_FEAT_DMA_INCOHERENT] = "dma_incoherent",
	[PT_FEAT_FULL_VA] = "full_va",
	[PT_FEAT_DYNAMIC_TOP] = "dynamic_top",
	[PT_FEAT_SIGN_EXTEND] = "sign_extend",
	[PT_FEAT_FLUSH_RANGE] = "flush_range",
	[PT_FEAT_FLUSH_RANGE_NO_GAPS] = "flush_range_no_gaps",
};

/* A size in the largest of K, M, G, T, P, E that divides it exactly */
static const char *pt_dump_size(char *buf, size_t len, u64 size)
{
	static const char units[] = " KMGTPE";
	unsigned int unit;

	/* Only the whole of a 64-bit VA space wraps to 0 */
	if (!size)
		return "16E";
	unit = min_t(unsigned int, __ffs64(size) / 10, 6);
	if (unit)
		snprintf(buf, len, "%llu%c", size >> (unit * 10), units[unit]);
	else
		snprintf(buf, len, "%llu", size);
	return buf;
}

/* "features" and the name of each feature of the table, or "none" */
static void pt_dump_print_features(struct seq_file *m,
				   const struct pt_common *common)
{
	const struct pt_dump_attr *names;
	unsigned int num, i, bit;

	seq_puts(m, "features");
	names = pt_dump_features(&num);
	for (bit = 0; bit != BITS_PER_TYPE(common->features); bit++) {
		if (!(common->features & BIT(bit)))
			continue;
		if (bit < PT_FEAT_FMT_START) {
			seq_printf(m, " %s", pt_dump_common_features[bit]);
			continue;
		}
		for (i = 0; i != num; i++)
			if (names[i].mask == BIT(bit))
				break;
		if (i != num)
			seq_printf(m, " %s", names[i].name);
		else
			seq_printf(m, " bit%u", bit);
	}
	if (!common->features)
		seq_puts(m, " none");
}

/* The first line of ptdump and stats: what table this is */
static void pt_dump_header(struct seq_file *m, struct pt_common *common)
{
	u64 sizes = pt_iommu_pgsize_bitmap(common);
	unsigned int bit;
	char buf[24];

	seq_printf(m, "format %s, %u levels, va %u bits, oa %u bits, page sizes",
		   __stringify(PT_FMT), pt_top_level(common) + 1,
		   common->max_vasz_lg2, common->max_oasz_lg2);
	for (bit = 0; bit != BITS_PER_TYPE(sizes); bit++)
		if (sizes & BIT_ULL(bit))
			seq_printf(m, " %s",
				   pt_dump_size(buf, sizeof(buf), BIT_ULL(bit)));
	seq_puts(m, ", ");
	pt_dump_print_features(m, common);
	seq_putc(m, '\n');
}

/* Every attribute bit the format names; leaves that differ in them split */
static u64 pt_dump_attr_mask(const struct pt_common *common)
{
	const struct pt_dump_attr *names;
	unsigned int num, i;
	u64 mask = 0;

	names = pt_dump_attrs(common, &num);
	for (i = 0; i != num; i++)
		mask |= names[i].mask;
	return mask;
}

static void pt_dump_print_attrs(struct seq_file *m,
				const struct pt_common *common, u64 attrs)
{
	const struct pt_dump_attr *names;
	unsigned int num, i;

	names = pt_dump_attrs(common, &num);
	for (i = 0; i != num; i++) {
		u64 mask = names[i].mask;

		if (hweight64(mask) == 1) {
			if (attrs & mask)
				seq_printf(m, " %s", names[i].name);
		} else {
			seq_printf(m, " %s=%llx", names[i].name,
				   (attrs & mask) >> __ffs64(mask));
		}
	}
}

/* One line of ptdump: leaves contiguous in VA and OA, alike in the rest */
struct pt_dump_run {
	pt_vaddr_t va;
	pt_vaddr_t last_va;
	pt_oaddr_t oa;
	u64 attrs;
	u8 level;
	u8 entry_lg2;
};

struct pt_dump_walk {
	struct pt_dump_run *run;
	u64 attr_mask;
	/* The leaves this walk visited, at most PT_DEBUGFS_SECTION_LEAVES */
	unsigned int leaves;
	/* The VA the walk started at; a leaf that starts before is cut */
	pt_vaddr_t start;
	/* @run holds a run, begun by this walk or by an earlier one */
	bool have_run;
};

/*
 * A walk of ptdump ended after PT_DEBUGFS_SECTION_LEAVES leaves with its
 * run still open: the next walk continues the run after its last VA.
 */
#define PT_DUMP_SECTION_END 1

static int pt_dump_leaf(void *arg, const struct pt_state *pts, pt_vaddr_t va)
{
	struct pt_dump_walk *walk = arg;
	struct pt_dump_run *run = walk->run;
	unsigned int entry_lg2 = pt_entry_oa_lg2sz(pts);
	pt_vaddr_t last_va = va + log2_to_max_int(entry_lg2);
	pt_oaddr_t oa = pt_entry_oa(pts);
	u64 attrs = pts->entry & walk->attr_mask;

	walk->leaves++;
	if (va < walk->start) {
		oa += walk->start - va;
		va = walk->start;
	}
	if (!walk->have_run) {
		*run = (struct pt_dump_run){
			.va = va,
			.last_va = last_va,
			.oa = oa,
			.attrs = attrs,
			.level = pts->level,
			.entry_lg2 = entry_lg2,
		};
		walk->have_run = true;
	} else {
		if (va != run->last_va + 1 || pts->level != run->level ||
		    entry_lg2 != run->entry_lg2 || attrs != run->attrs ||
		    oa != run->oa + (pt_oaddr_t)(va - run->va))
			return PT_WALK_STOP;
		run->last_va = last_va;
	}
	if (walk->leaves == PT_DEBUGFS_SECTION_LEAVES)
		return PT_DUMP_SECTION_END;
	return 0;
}

PT_MAKE_LEAF_WALKER(pt_walk_dump, pt_dump_leaf, NULL);

/*
 * The state of one open ptdump file. Each line is found by fresh walks
 * from where the previous one ended, so memory stays this struct however
 * large the table, and seq_file can resume at any line. A line takes as
 * many walks as its run needs, each under its own rcu_read_lock() and of at
 * most PT_DEBUGFS_SECTION_LEAVES leaves: 16M leaves contiguous in IOVA and
 * OA are one line, but not one RCU read section.
 */
struct pt_dump_iter {
	/* First: the KUnit test finds it in the seq_file's private data */
	struct pt_dump_sections sections;
	struct pt_common *common;
	u64 attr_mask;
	/* The line number of @run; 0 is the header */
	loff_t pos;
	pt_vaddr_t next_va;
	u8 half;
	bool done;
	struct pt_dump_run run;
};

static void pt_dump_enter_half(struct pt_dump_iter *iter, unsigned int half)
{
	pt_vaddr_t first, last;

	iter->half = half;
	if (pt_iommu_va_half(iter->common, half, &first, &last))
		iter->next_va = first;
	else
		iter->done = true;
}

static void pt_dump_rewind(struct pt_dump_iter *iter)
{
	iter->pos = 0;
	iter->done = false;
	pt_dump_enter_half(iter, 0);
}

/* Find the line after @iter->pos; false at the end of the table */
static bool pt_dump_next_line(struct pt_dump_iter *iter)
{
	struct pt_dump_walk walk = {
		.run = &iter->run,
		.attr_mask = iter->attr_mask,
	};
	pt_vaddr_t first, last;
	int ret;

	while (!iter->done) {
		pt_iommu_va_half(iter->common, iter->half, &first, &last);
		walk.start = iter->next_va;
		walk.leaves = 0;
		rcu_read_lock();
		ret = pt_iommu_walk_span(iter->common, walk.start, last,
					 pt_walk_dump, &walk);
		rcu_read_unlock();
		iter->sections.count++;
		iter->sections.most_leaves = max(iter->sections.most_leaves,
						 walk.leaves);
		/* The run may go on: walk on from its end, in a new section */
		if (ret == PT_DUMP_SECTION_END && iter->run.last_va != last) {
			iter->next_va = iter->run.last_va + 1;
			cond_resched();
			continue;
		}
		if (!walk.have_run) {
			pt_dump_enter_half(iter, iter->half + 1);
			continue;
		}
		/* Stopped at a leaf that did not join the run: more follow */
		if (ret == PT_WALK_STOP && iter->run.last_va != last)
			iter->next_va = iter->run.last_va + 1;
		else
			pt_dump_enter_half(iter, iter->half + 1);
		iter->pos++;
		return true;
	}
	return false;
}

static void *pt_dump_seek(struct pt_dump_iter *iter, loff_t pos)
{
	if (pos == 0)
		return SEQ_START_TOKEN;
	if (pos < iter->pos)
		pt_dump_rewind(iter);
	while (iter->pos < pos)
		if (!pt_dump_next_line(iter))
			return NULL;
	return &iter->run;
}

static void *pt_dump_start(struct seq_file *m, loff_t *pos)
{
	return pt_dump_seek(m->private, *pos);
}

static void *pt_dump_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return pt_dump_seek(m->private, *pos);
}

static void pt_dump_stop(struct seq_file *m, void *v)
{
}

static int pt_dump_show(struct seq_file *m, void *v)
{
	struct pt_dump_iter *iter = m->private;
	const struct pt_common *common = iter->common;
	int oa_digits = DIV_ROUND_UP(common->max_oasz_lg2, 4);
	struct pt_dump_run *run = v;
	int va_digits;
	char buf[24];
	u64 size;

	if (v == SEQ_START_TOKEN) {
		pt_dump_header(m, iter->common);
		return 0;
	}
	/* The upper half of a sign extended table is at 64-bit addresses */
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND))
		va_digits = sizeof(pt_vaddr_t) * 2;
	else
		va_digits = DIV_ROUND_UP(common->max_vasz_lg2, 4);
	seq_printf(m, "0x%0*llx-0x%0*llx", va_digits, (u64)run->va, va_digits,
		   (u64)run->last_va);
	size = (u64)(run->last_va - run->va) + 1;
	seq_printf(m, " %5s l%u", pt_dump_size(buf, sizeof(buf), size),
		   run->level);
	/* Several entries: how many, of what size (a cut one counts) */
	if (size && size != log2_to_int_t(u64, run->entry_lg2))
		seq_printf(m, " %llux%s", ((size - 1) >> run->entry_lg2) + 1,
			   pt_dump_size(buf, sizeof(buf),
					log2_to_int_t(u64, run->entry_lg2)));
	seq_printf(m, " 0x%0*llx", oa_digits, (u64)run->oa);
	pt_dump_print_attrs(m, common, run->attrs);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations pt_dump_seq_ops = {
	.start = pt_dump_start,
	.next = pt_dump_next,
	.stop = pt_dump_stop,
	.show = pt_dump_show,
};

static int pt_dump_open(struct inode *inode, struct file *file)
{
	struct pt_iommu *iommu_table = inode->i_private;
	struct pt_dump_iter *iter;

	iter = __seq_open_private(file, &pt_dump_seq_ops, sizeof(*iter));
	if (!iter)
		return -ENOMEM;
	iter->common = pt_iommu_common(iommu_table);
	iter->attr_mask = pt_dump_attr_mask(iter->common);
	pt_dump_rewind(iter);
	return 0;
}

static const struct file_operations pt_dump_fops = {
	.owner = THIS_MODULE,
	.open = pt_dump_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/*
 * stats: the table pages at each level and the leaves of each size. The
 * walk goes in chunks of PT_DEBUGFS_SECTION_LEAVES leaves, each under its
 * own rcu_read_lock(), so a huge table does not hold up RCU; a table is
 * counted by the chunk that enters it at its first VA, which is exactly
 * once.
 */
struct pt_stats_walk {
	unsigned long tables[PT_MAX_LEVELS];
	unsigned long leaves[BITS_PER_TYPE(u64)];
	unsigned int chunk_leaves;
	pt_vaddr_t resume_va;
	bool resume;
};

static void pt_stats_table(void *arg, const struct pt_state *pts)
{
	struct pt_stats_walk *walk = arg;

	if (!log2_mod(pts->range->va, pt_table_span_lg2(pts)))
		walk->tables[pts->level]++;
}

static int pt_stats_leaf(void *arg, const struct pt_state *pts, pt_vaddr_t va)
{
	struct pt_stats_walk *walk = arg;
	unsigned int entry_lg2 = pt_entry_oa_lg2sz(pts);
	pt_vaddr_t last_va = va + log2_to_max_int(entry_lg2);

	/* A leaf the previous chunk counted: the chunk started inside it */
	if (walk->resume && va < walk->resume_va)
		return 0;
	walk->leaves[min_t(unsigned int, entry_lg2,
			   ARRAY_SIZE(walk->leaves) - 1)]++;
	if (++walk->chunk_leaves < PT_DEBUGFS_SECTION_LEAVES ||
	    last_va == PT_VADDR_MAX)
		return 0;
	walk->resume_va = last_va + 1;
	return PT_WALK_STOP;
}

PT_MAKE_LEAF_WALKER(pt_walk_stats, pt_stats_leaf, pt_stats_table);

static int pt_stats_show(struct seq_file *m, void *unused)
{
	struct pt_common *common = pt_iommu_common(m->private);
	struct pt_stats_walk *walk;
	pt_vaddr_t first, last;
	unsigned int half, i;
	char buf[24];
	int ret;

	walk = kzalloc(sizeof(*walk), GFP_KERNEL);
	if (!walk)
		return -ENOMEM;
	for (half = 0; pt_iommu_va_half(common, half, &first, &last); half++) {
		walk->resume = half != 0;
		walk->resume_va = first;
		do {
			walk->chunk_leaves = 0;
			rcu_read_lock();
			ret = pt_iommu_walk_span(common, walk->resume_va, last,
						 pt_walk_stats, walk);
			rcu_read_unlock();
			walk->resume = true;
			cond_resched();
		} while (ret == PT_WALK_STOP);
	}

	pt_dump_header(m, common);
	for (i = PT_MAX_LEVELS; i--;)
		if (walk->tables[i])
			seq_printf(m, "level %u tables %lu\n", i,
				   walk->tables[i]);
	for (i = 0; i != ARRAY_SIZE(walk->leaves); i++) {
		if (!walk->leaves[i])
			continue;
		seq_printf(m, "leaves %s %lu\n",
			   pt_dump_size(buf, sizeof(buf), BIT_ULL(i)),
			   walk->leaves[i]);
	}
	kfree(walk);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(pt_stats);

/*
 * info: the directory's name, the format and its features, then what the
 * IOMMU core knows of the domain's use (pt_iommu_debugfs_show_use())
 */
static int pt_info_show(struct seq_file *m, void *unused)
{
	struct pt_iommu *iommu_table = m->private;

	seq_printf(m, "name domain_%d\nformat %s\n",
		   pt_iommu_debugfs_id(iommu_table), __stringify(PT_FMT));
	pt_dump_print_features(m, pt_iommu_common(iommu_table));
	seq_putc(m, '\n');
	pt_iommu_debugfs_show_use(m, &iommu_table->domain);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(pt_info);

static const struct pt_iommu_debugfs_files pt_iommu_debugfs_files = {
	.ptdump = &pt_dump_fops,
	.stats = &pt_stats_fops,
	.info = &pt_info_fops,
};
#endif

/* ------------------------------------------------------- hooks */

/*
 * Called by init once the table exists: hand the sanitizer the walk and
 * give the table its debugfs directory. Neither is needed to use the table,
 * so a failure here is not an error of init. debugfs may sleep, so a table
 * made in atomic context gets no directory.
 */
static void pt_iommu_debug_init(struct pt_iommu *iommu_table, gfp_t gfp)
{
	int __maybe_unused id = -1;

#if IS_ENABLED(CONFIG_IOMMU_PT_DEBUGFS)
	if (gfpflags_allow_blocking(gfp))
		id = pt_iommu_debugfs_add(iommu_table, &pt_iommu_debugfs_files);
#endif
#if IS_ENABLED(CONFIG_IOMMU_DEBUG_PAGEALLOC)
	/* Reports name the domain by its directory, domain_<id> */
	iommu_debug_domain_set_ops(&iommu_table->domain,
				   &pt_iommu_debug_domain_ops, id < 0 ? -1 : id);
#endif
}

/*
 * Called first by deinit: after it no reader of the table is left. The
 * sanitizer forgets the domain, uncounting what is still mapped if the
 * IOMMU core did not already do that when the domain was freed; it may
 * name the domain by its directory, so the directory goes after. Its
 * removal waits for the readers of the files, and so may sleep; a table
 * without a directory takes no lock there.
 */
static void pt_iommu_debug_deinit(struct pt_iommu *iommu_table)
{
#if IS_ENABLED(CONFIG_IOMMU_DEBUG_PAGEALLOC)
	iommu_debug_domain_free(&iommu_table->domain);
#endif
#if IS_ENABLED(CONFIG_IOMMU_PT_DEBUGFS)
	pt_iommu_debugfs_remove(iommu_table);
#endif
}

#endif
