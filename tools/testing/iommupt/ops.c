// SPDX-License-Identifier: GPL-2.0
/*
 * The differential test engine: each operation runs on the kernel's page
 * table code through the driver API and on the reference model, and every
 * result and side effect the driver can observe is compared: return values,
 * the bytes mapped, translations, dirty reports, IOTLB invalidations that
 * cover what was unmapped with its page size and every table taken out of
 * the tree before it is freed, the top the driver was told about, table memory
 * written back for walkers that do not snoop, and every table page back to
 * the allocator at the end.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kernel.h>

#include "ops.h"

struct hrecord hrec;
bool hwalk_off;

void hrec_reset(void)
{
	hrec.num_flushed = 0;
	hrec.num_freed = 0;
	hrec.num_spans = 0;
	hrec.num_dirty = 0;
	hrec.overflow = false;
}

void hrec_flushed(u64 start, u64 last, u64 pgsize)
{
	if (hrec.num_flushed == H_MAX_RECORDS) {
		hrec.overflow = true;
		return;
	}
	hrec.flushed_pgsize[hrec.num_flushed] = pgsize;
	hrec.flushed[hrec.num_flushed++] = (struct hrange){ start, last };
}

void hrec_freed(void *page)
{
	if (hrec.num_freed == H_MAX_RECORDS) {
		hrec.overflow = true;
		return;
	}
	hrec.freed_after[hrec.num_freed] = hrec.num_flushed;
	hrec.freed[hrec.num_freed++] = page;
}

void hrec_span(void *table, u64 bytes, u64 start, u64 last)
{
	if (hrec.num_spans == H_MAX_RECORDS) {
		hrec.overflow = true;
		return;
	}
	hrec.spans[hrec.num_spans++] =
		(struct hspan){ table, bytes, start, last };
}

/* The dirty bitmap of read_and_clear_dirty() records here */
struct iova_bitmap;
void iova_bitmap_set(struct iova_bitmap *bitmap, unsigned long iova,
		     size_t length)
{
	if (hrec.num_dirty == H_MAX_RECORDS) {
		hrec.overflow = true;
		return;
	}
	hrec.dirty[hrec.num_dirty++] =
		(struct hrange){ iova, iova + length - 1 };
}

u64 hrand(u64 *state)
{
	/* splitmix64: small, fast, and the same everywhere */
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rnd(struct hctx *c, u64 n)
{
	return n ? hrand(&c->rng) % n : 0;
}

static u64 mask(unsigned int lg2)
{
	return lg2 >= 64 ? ~0ULL : (1ULL << lg2) - 1;
}

static const char *const hop_names[HOP_NUM] = {
	[HOP_MAP] = "map",
	[HOP_UNMAP] = "unmap",
	[HOP_IOVA_TO_PHYS] = "iova_to_phys",
	[HOP_SET_DIRTY] = "set_dirty",
	[HOP_READ_AND_CLEAR_DIRTY] = "read_and_clear_dirty",
};

void hop_print(FILE *f, const struct hop *op)
{
	fprintf(f, "%s iova=%#lx pa=%#lx pgsize=%#lx pgcount=%#lx prot=%#x fail_at=%u\n",
		op->kind < HOP_NUM ? hop_names[op->kind] : "?", op->iova,
		op->pa, op->pgsize, op->pgcount, op->prot, op->fail_at);
}

bool hop_parse(const char *line, struct hop *op)
{
	char name[32];
	unsigned int prot, fail_at, k;

	if (sscanf(line, "%31s iova=%lx pa=%lx pgsize=%lx pgcount=%lx prot=%x fail_at=%u",
		   name, &op->iova, &op->pa, &op->pgsize, &op->pgcount, &prot,
		   &fail_at) != 7)
		return false;
	for (k = 0; k != HOP_NUM; k++)
		if (!strcmp(name, hop_names[k]))
			break;
	if (k == HOP_NUM)
		return false;
	op->kind = k;
	op->prot = prot;
	op->fail_at = fail_at;
	return true;
}

/* ------------------------------------------------------- checks */

#define FAIL(c, ...)                                                    \
	({                                                              \
		snprintf((c)->why, sizeof((c)->why), __VA_ARGS__);      \
		false;                                                  \
	})

static bool check_shims(struct hctx *c)
{
	if (hwarns)
		return FAIL(c, "%s", hwarn_msg);
	return true;
}

static bool check_phys(struct hctx *c, u64 iova)
{
	u64 want = model_iova_to_phys(&c->m, iova);
	u64 got = c->fmt->iova_to_phys(c->t, iova);

	if (got != want)
		return FAIL(c, "iova_to_phys(%#lx) = %#lx, the model says %#lx",
			    iova, got, want);
	return true;
}

static int cmp_range(const void *a, const void *b)
{
	const struct hrange *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort and merge touching ranges in place; returns the new count */
static unsigned int merge_ranges(struct hrange *r, unsigned int n)
{
	unsigned int i, out = 0;

	qsort(r, n, sizeof(*r), cmp_range);
	for (i = 0; i != n; i++) {
		if (out && r[out - 1].last != U64_MAX &&
		    r[i].start <= r[out - 1].last + 1) {
			if (r[i].last > r[out - 1].last)
				r[out - 1].last = r[i].last;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

static bool covered(struct hrange *r, unsigned int n, u64 start,
		    u64 last)
{
	unsigned int i;

	n = merge_ranges(r, n);
	for (i = 0; i != n; i++)
		if (r[i].start <= start && r[i].last >= last)
			return true;
	return false;
}

/* True if the first @n syncs of the operation invalidated [start, last] */
static bool synced(unsigned int n, u64 start, u64 last)
{
	static struct hrange r[H_MAX_RECORDS];

	memcpy(r, hrec.flushed, n * sizeof(*r));
	return covered(r, n, start, last);
}

/* The driver invalidates by range: any smaller page size steps through */
static bool flush_by_range(const struct hctx *c)
{
	return c->cfg->features & (HF_FLUSH_RANGE | HF_NO_GAPS);
}

/*
 * Every table the operation took out of the tree (those of hrec.spans no
 * longer allocated) was freed through an iotlb_sync, after syncs that
 * cover its whole VA span, with a page size: a walk cache may hold it
 * until then. A map takes out the empty tables a large leaf replaces.
 */
static bool check_tables_flushed(struct hctx *c, const char *what,
				 unsigned int allocs)
{
	unsigned int i, j;

	if (hrec.overflow)
		return true;
	/* The sync frees through RCU: let it finish */
	hrcu_barrier();
	for (i = 0; i != hrec.num_spans; i++) {
		const struct hspan *s = &hrec.spans[i];
		char *p = s->table;

		for (j = 0; j != hrec.num_freed; j++)
			if ((char *)hrec.freed[j] >= p &&
			    (char *)hrec.freed[j] < p + s->bytes)
				break;
		if (j == hrec.num_freed) {
			if (!hmem_live(s->table))
				return FAIL(c, "%s freed table [%#lx, %#lx] without a sync",
					    what, s->start, s->last);
			continue;
		}
		if (!synced(hrec.freed_after[j], s->start, s->last))
			return FAIL(c, "%s freed table [%#lx, %#lx] unsynced",
				    what, s->start, s->last);
		if (!hrec.flushed_pgsize[hrec.freed_after[j] - 1])
			return FAIL(c, "%s freed table [%#lx, %#lx], pgsize 0",
				    what, s->start, s->last);
	}
	/*
	 * Only tables of the range, or new ones of this operation (a map
	 * that grows a dynamic top and puts a leaf over the new levels)
	 */
	for (j = 0; j != hrec.num_freed; j++) {
		if (hmem_alloc_seq(hrec.freed[j]) > allocs)
			continue;
		for (i = 0; i != hrec.num_spans; i++)
			if ((char *)hrec.freed[j] >= (char *)hrec.spans[i].table &&
			    (char *)hrec.freed[j] < (char *)hrec.spans[i].table +
						    hrec.spans[i].bytes)
				break;
		if (i == hrec.num_spans)
			return FAIL(c, "%s freed a table outside its range",
				    what);
	}
	return true;
}

/*
 * Each leaf an unmap removed is invalidated whole by one sync with a page
 * size that fits it: its own size for a driver that invalidates by page
 * size (as iommu_iotlb_gather_add_page() gathers), at most its size for
 * one that invalidates ranges.
 */
static bool check_leaves_flushed(struct hctx *c, const struct mleaf *l,
				 unsigned int n)
{
	unsigned int i, j;

	if (hrec.overflow)
		return true;
	for (i = 0; i != n; i++) {
		u64 size = l[i].last - l[i].va + 1;

		for (j = 0; j != hrec.num_flushed; j++) {
			u64 pgsize = hrec.flushed_pgsize[j];

			if (hrec.flushed[j].start > l[i].va ||
			    hrec.flushed[j].last < l[i].last)
				continue;
			if (pgsize && !(pgsize & (pgsize - 1)) &&
			    (flush_by_range(c) ? pgsize <= size : pgsize == size))
				break;
		}
		if (j == hrec.num_flushed)
			return FAIL(c, "no sync of leaf [%#lx, %#lx] with its pgsize",
				    l[i].va, l[i].last);
	}
	return true;
}

static bool check_top(struct hctx *c)
{
	unsigned int top = c->fmt->top_level(c->t);

	if (!(c->cfg->features & HF_DYNAMIC_TOP)) {
		if (top != c->top_level || hrec.top_changes)
			return FAIL(c, "the top level went from %u to %u without a dynamic top",
				    c->top_level, top);
		return true;
	}
	if (top < c->top_level)
		return FAIL(c, "the top level went down from %u to %u",
			    c->top_level, top);
	if (top != c->top_level &&
	    (!hrec.top_changes || hrec.last_top_level != top))
		return FAIL(c, "the top grew from %u to %u but change_top() was told %u (%u calls)",
			    c->top_level, top, hrec.last_top_level,
			    hrec.top_changes);
	if (top == c->top_level && hrec.top_changes)
		return FAIL(c, "change_top() called but the top stayed at %u",
			    top);
	c->top_level = top;
	hrec.top_changes = 0;
	if (c->m.num) {
		/* AMD v1 and the mock: 9 bits a level above the granule */
		unsigned int span = c->m.granule_lg2 + 9 * (top + 1);
		u64 highest = c->m.leaves[c->m.num - 1].last;

		if (span < 64 && (highest >> span))
			return FAIL(c, "IOVA %#lx is mapped, top level %u reaches %u bits",
				    highest, top, span);
	}
	return true;
}

/*
 * The device view is compared after every operation: a later write back of
 * the same cache line can hide a missing one, and the walker could have
 * used the stale item in between. It is most of the cost of an incoherent
 * configuration; a larger period trades findings for speed.
 */
#define DEVICE_VIEW_EVERY 1

static bool check_memory(struct hctx *c, bool device_view)
{
	hrcu_barrier();
	if (hmem_pages_in_use() != hmem_iommu_pages())
		return FAIL(c, "%ld table pages allocated but NR_IOMMU_PAGES is %ld",
			    hmem_pages_in_use(), hmem_iommu_pages());
	if (device_view && (c->cfg->features & HF_DMA_INCOHERENT)) {
		void *start, *end;

		c->fmt->top_unused(c->t, &start, &end);
		if (!hmem_device_view_ok(c->sw_bits, start, end, c->why,
					 sizeof(c->why)))
			return false;
	}
	return true;
}

/* ------------------------------------------------------- walkers */

#define HATTR(f, tables) { #f, offsetof(struct hattr, f), tables }
static const struct {
	const char *name;
	size_t off;
	/* HT_WITH / HT_WITHOUT flags: the model says which one may be seen */
	bool tables;
} hattr_fields[] = {
	HATTR(r, false),	   HATTR(w, false),	  HATTR(user, false),
	HATTR(xp, false),	   HATTR(xu, false),	  HATTR(memtype, false),
	HATTR(sh, false),	   HATTR(snoop, false),	  HATTR(global, false),
	HATTR(ns, false),	   HATTR(ns_tables, true), HATTR(cbit, false),
	HATTR(cbit_tables, true), HATTR(af, false),	  HATTR(dirty, false),
};

/*
 * What the device gets at @iova, read from table memory by the walker of
 * walk.c from what hw_info handed the driver, against the model: the
 * translation, the size of the leaf, the access and the attributes.
 */
static bool check_walk(struct hctx *c, u64 iova)
{
	const struct mleaf *l = model_find(&c->m, iova);
	struct hattr want;
	struct hwalk w;
	char why[256];
	unsigned int i;

	if (!hwalk(&c->wk, iova, &w, why, sizeof(why)))
		return FAIL(c, "IOVA %#lx: %s", iova, why);
	if (!l)
		return !w.valid ||
		       FAIL(c, "walker: IOVA %#lx translates to %#lx, the model has nothing there",
			    iova, w.oa);
	if (!w.valid)
		return FAIL(c, "walker: IOVA %#lx does not translate, the model maps it to %#lx",
			    iova, l->oa + (iova - l->va));
	if (w.oa != l->oa + (iova - l->va))
		return FAIL(c, "walker: IOVA %#lx translates to %#lx, the model says %#lx",
			    iova, w.oa, l->oa + (iova - l->va));
	if (w.size != l->last - l->va + 1)
		return FAIL(c,
			    "walker: IOVA %#lx is in a leaf of %#lx bytes, the model's is [%#lx, %#lx]",
			    iova, w.size, l->va, l->last);
	/* What a prot gives depends on nothing else: work it out once */
	if (!(c->expect_done & BIT_ULL(l->prot & 63))) {
		model_expect(&c->m, l, &c->expect[l->prot & 63]);
		c->expect_done |= BIT_ULL(l->prot & 63);
	}
	want = c->expect[l->prot & 63];
	want.dirty = l->dirty;
	/* Seeing none of the table pointers that must have an attribute */
	if (!(w.a.ns_tables & ~want.ns_tables))
		w.a.ns_tables = want.ns_tables;
	if (!(w.a.cbit_tables & ~want.cbit_tables))
		w.a.cbit_tables = want.cbit_tables;
	if (!memcmp(&w.a, &want, sizeof(want)))
		return true;
	for (i = 0; i != ARRAY_SIZE(hattr_fields); i++) {
		u8 got = *((u8 *)&w.a + hattr_fields[i].off);
		u8 exp = *((u8 *)&want + hattr_fields[i].off);

		if (got == exp)
			continue;
		if (hattr_fields[i].tables)
			return FAIL(c, "walker: IOVA %#lx (prot %#x): %s: a table pointer %s it",
				    iova, l->prot, hattr_fields[i].name,
				    exp == HT_WITH ? "lacks" : "has");
		return FAIL(c, "walker: IOVA %#lx (prot %#x): %s is %u, want %u",
			    iova, l->prot, hattr_fields[i].name, got, exp);
	}
	return true;
}

static bool check_hw_info(struct hctx *c)
{
	c->fmt->hw_info(c->t, &c->wk.hw);
	return model_expect_hw(&c->m, &c->wk.hw, c->fmt->top_level(c->t),
			       c->why, sizeof(c->why));
}

/* The ends of a range an operation touched and what is next to them */
static bool check_walk_range(struct hctx *c, u64 iova, u64 last)
{
	if (last < iova)
		last = iova;
	return check_walk(c, iova) && (iova == last || check_walk(c, last)) &&
	       (!iova || check_walk(c, iova - 1)) &&
	       (last == U64_MAX || check_walk(c, last + 1));
}

/*
 * After every operation: the range it touched, a random IOVA of a random
 * leaf, and a random IOVA.
 */
static bool check_walks(struct hctx *c, const struct hop *op)
{
	u64 len, last;

	if (hwalk_off)
		return true;
	if (c->m.dynamic && !check_hw_info(c))
		return false;
	switch (op->kind) {
	case HOP_MAP:
	case HOP_UNMAP:
		if (__builtin_mul_overflow(op->pgsize, op->pgcount, &len) ||
		    !len || __builtin_add_overflow(op->iova, len - 1, &last))
			last = op->iova;
		break;
	case HOP_READ_AND_CLEAR_DIRTY:
		if (!op->pgsize ||
		    __builtin_add_overflow(op->iova, op->pgsize - 1, &last))
			last = op->iova;
		break;
	default:
		last = op->iova;
		break;
	}
	if (!check_walk_range(c, op->iova, last))
		return false;
	if (c->m.num) {
		const struct mleaf *l =
			&c->m.leaves[hrand(&c->walk_rng) % c->m.num];

		if (!check_walk(c, l->va + hrand(&c->walk_rng) %
						   (l->last - l->va + 1)))
			return false;
	}
	return check_walk(c, hrand(&c->walk_rng));
}

bool hctx_check_all(struct hctx *c)
{
	size_t i;

	for (i = 0; i != c->m.num; i++) {
		const struct mleaf *l = &c->m.leaves[i];
		u64 mid = l->va + rnd(c, l->last - l->va);

		if (!check_phys(c, l->va) || !check_phys(c, l->last) ||
		    !check_phys(c, mid))
			return false;
		if (l->last != U64_MAX && model_va_valid(&c->m, l->last + 1) &&
		    !check_phys(c, l->last + 1))
			return false;
		if (l->va && model_va_valid(&c->m, l->va - 1) &&
		    !check_phys(c, l->va - 1))
			return false;
		/* The walk of any IOVA of a leaf reads all of its items */
		if (!hwalk_off && !check_walk(c, l->va))
			return false;
	}
	return check_shims(c);
}

/* ------------------------------------------------------- execution */

static bool run_map(struct hctx *c, const struct hop *op)
{
	u64 last = 0, mapped = 0;
	unsigned int allocs = hmem_allocs();
	bool failed_alloc, overlap = false;
	unsigned int new_top = c->m.top;
	int want, ret;

	want = model_map_check(&c->m, op->iova, op->pa, op->pgsize,
			       op->pgcount, op->prot, &last);
	if (!want) {
		overlap = model_overlaps(&c->m, op->iova, last);
		new_top = model_top_for(&c->m, last);
	}
	/* A map that can work may replace the empty tables of its range */
	if (!want && !overlap)
		c->fmt->table_spans(c->t, op->iova, last);
	hmem_fail_alloc_at(op->fail_at);
	ret = c->fmt->map(c->t, op->iova, op->pa, op->pgsize, op->pgcount,
			  op->prot, &mapped);
	hmem_fail_alloc_at(0);
	if (!check_tables_flushed(c, "map", allocs))
		return false;
	failed_alloc = op->fail_at && hmem_allocs() - allocs >= op->fail_at;

	if (want) {
		if (ret != want)
			return FAIL(c, "map returned %d, the model says %d (bad input)",
				    ret, want);
	} else if (failed_alloc) {
		if (ret != -ENOMEM && !(overlap && ret == -EADDRINUSE))
			return FAIL(c, "map returned %d after allocation %u failed, want -ENOMEM",
				    ret, op->fail_at);
	} else if (overlap) {
		if (ret != -EADDRINUSE)
			return FAIL(c, "map returned %d over a mapped IOVA, want -EADDRINUSE",
				    ret);
	} else if (ret) {
		return FAIL(c, "map returned %d, the model says 0", ret);
	}
	if (ret && mapped)
		return FAIL(c, "a failed map reported %lu bytes mapped",
			    mapped);
	if (c->m.dynamic) {
		unsigned int top = c->fmt->top_level(c->t);

		/* A failed map may or may not take back the growth */
		if (top != new_top && !(ret && top == c->m.top))
			return FAIL(c, "the top level is %u after the map, the model says %u",
				    top, new_top);
		c->m.top = top;
	}
	if (!ret) {
		if (mapped != last - op->iova + 1)
			return FAIL(c, "map reported %#lx bytes mapped of %#lx",
				    mapped, last - op->iova + 1);
		model_map(&c->m, op->iova, last, op->pa, op->prot);
	}
	if (!ret || want != -EINVAL)
		return check_phys(c, op->iova) &&
		       (want || check_phys(c, last));
	return true;
}

static bool run_unmap(struct hctx *c, const struct hop *op)
{
	static struct mleaf removed[H_MAX_RECORDS];
	unsigned int allocs = hmem_allocs();
	unsigned int num_removed;
	u64 want, got;

	want = model_unmap(&c->m, op->iova, op->pgsize, op->pgcount, removed,
			   H_MAX_RECORDS, &num_removed);
	/* The tables it may take out are those of what it removes */
	if (num_removed && num_removed <= H_MAX_RECORDS)
		c->fmt->table_spans(c->t, removed[0].va,
				    removed[num_removed - 1].last);
	got = c->fmt->unmap(c->t, op->iova, op->pgsize, op->pgcount);
	if (got != want)
		return FAIL(c, "unmap returned %#lx, the model says %#lx",
			    got, want);
	if (num_removed > H_MAX_RECORDS)
		hrec.overflow = true;
	if (got && !hrec.overflow &&
	    !synced(hrec.num_flushed, removed[0].va,
		    removed[num_removed - 1].last))
		return FAIL(c, "IOTLB syncs miss some of [%#lx, %#lx] unmapped",
			    removed[0].va, removed[num_removed - 1].last);
	return check_leaves_flushed(c, removed, num_removed) &&
	       check_tables_flushed(c, "unmap", allocs) &&
	       check_phys(c, op->iova);
}

static bool run_dirty(struct hctx *c, const struct hop *op)
{
	struct hrange want[H_MAX_RECORDS];
	unsigned int nwant, ngot, i;
	int ret, exp;

	exp = model_read_and_clear_dirty(&c->m, op->iova, op->pgsize,
					 op->prot, want, H_MAX_RECORDS,
					 &nwant);
	ret = c->fmt->read_and_clear_dirty(c->t, op->iova, op->pgsize,
					   op->prot);
	if (ret != exp)
		return FAIL(c, "read_and_clear_dirty returned %d, the model says %d",
			    ret, exp);
	if (hrec.overflow || nwant > H_MAX_RECORDS)
		return true;
	nwant = merge_ranges(want, nwant);
	ngot = merge_ranges(hrec.dirty, hrec.num_dirty);
	for (i = 0; i != nwant || i != ngot; i++) {
		if (i == nwant || i == ngot ||
		    want[i].start != hrec.dirty[i].start ||
		    want[i].last != hrec.dirty[i].last)
			return FAIL(c, "dirty report %u is [%#lx, %#lx], want [%#lx, %#lx]",
				    i, i < ngot ? hrec.dirty[i].start : 0,
				    i < ngot ? hrec.dirty[i].last : 0,
				    i < nwant ? want[i].start : 0,
				    i < nwant ? want[i].last : 0);
	}
	return true;
}

bool hctx_run(struct hctx *c, const struct hop *op)
{
	bool ok = false;
	int ret, exp;

	hrec_reset();
	c->ops++;
	if (c->refused)
		return true;
	switch (op->kind) {
	case HOP_MAP:
		ok = run_map(c, op);
		break;
	case HOP_UNMAP:
		ok = run_unmap(c, op);
		break;
	case HOP_IOVA_TO_PHYS:
		ok = check_phys(c, op->iova);
		break;
	case HOP_SET_DIRTY:
		exp = model_set_dirty(&c->m, op->iova);
		ret = c->fmt->set_dirty(c->t, op->iova);
		/* The walker wrote the item: it sees its own write */
		hmem_device_view_sync();
		ok = ret == exp ||
		     FAIL(c, "set_dirty returned %d, the model says %d", ret,
			  exp);
		break;
	case HOP_READ_AND_CLEAR_DIRTY:
		ok = run_dirty(c, op);
		break;
	default:
		return FAIL(c, "unknown operation %u", op->kind);
	}
	return ok && check_shims(c) && check_top(c) &&
	       check_memory(c, !(c->ops % DEVICE_VIEW_EVERY)) &&
	       check_walks(c, op) && ((c->ops % 256) || hctx_check_all(c));
}

bool hctx_init(struct hctx *c, const struct hfmt *fmt, const struct hcfg *cfg,
	       u64 seed)
{
	int err = 0, want;

	memset(c, 0, offsetof(struct hctx, why));
	c->why[0] = 0;
	c->fmt = fmt;
	c->cfg = cfg;
	c->rng = seed;
	hmem_init();
	hwarns = 0;
	hrec_reset();
	hrec.top_changes = 0;
	c->walk_rng = seed;
	model_init(&c->m, fmt, cfg);
	want = model_init_errno(fmt, cfg);
	c->t = fmt->create(cfg, &err);
	if (want) {
		if (c->t)
			return FAIL(c, "init accepted a configuration it must refuse with %d",
				    want);
		if (err != want)
			return FAIL(c, "init failed with %d, want %d", err,
				    want);
		c->refused = true;
		return true;
	}
	if (!c->t)
		return FAIL(c, "init failed with %d", err);
	hwalker_init(&c->wk, fmt->name, cfg->features);
	if (!check_hw_info(c))
		return false;
	c->sw_bits = fmt->sw_bits(c->t);
	c->top_level = fmt->top_level(c->t);
	if (fmt->pgsize_bitmap(c->t) != c->m.sizes)
		return FAIL(c, "pgsize_bitmap is %#lx, the hardware allows %#lx",
			    fmt->pgsize_bitmap(c->t), c->m.sizes);
	return check_shims(c) && check_memory(c, true);
}

bool hctx_fini(struct hctx *c)
{
	bool ok = true;

	if (c->t) {
		ok = hctx_check_all(c) && check_memory(c, true);
		c->fmt->destroy(c->t);
		c->t = NULL;
		hrcu_barrier();
		if (ok && hmem_pages_in_use())
			ok = FAIL(c, "%ld table pages not freed after deinit",
				  hmem_pages_in_use());
		if (ok && hmem_iommu_pages())
			ok = FAIL(c, "NR_IOMMU_PAGES is %ld after deinit",
				  hmem_iommu_pages());
		ok = ok && check_shims(c);
	}
	model_free(&c->m);
	/* The next table starts from a clean allocator count */
	hmem_reset();
	return ok;
}

/* ------------------------------------------------------- generation */

static unsigned int pick_size(struct hctx *c)
{
	u64 sizes = c->m.sizes;
	unsigned int n = __builtin_popcountll(sizes), k;

	if (rnd(c, 2))
		return c->m.granule_lg2;
	for (k = rnd(c, n); k; k--)
		sizes &= sizes - 1;
	return __builtin_ctzll(sizes);
}

/* An IOVA aligned to 2^align_lg2 in one of the interesting places */
static u64 pick_iova(struct hctx *c, unsigned int align_lg2, u64 len)
{
	unsigned int scale = pick_size(c) + 6;
	u64 window = mask(scale < 62 ? scale : 62) + 1;
	unsigned int vb = c->m.sign_extend ? c->m.va_bits - 1 : c->m.va_bits;
	u64 top = mask(vb), base, iova;

	switch (rnd(c, 5)) {
	case 0:
	case 1:
		base = 0;
		break;
	case 2: {
		/* Around the edge of an item of some level */
		unsigned int k = c->m.granule_lg2 + rnd(c, vb - c->m.granule_lg2);

		base = (1ULL << k) - window / 2;
		break;
	}
	case 3:
		base = top - window - len + 2;
		break;
	default:
		base = c->m.sign_extend ? ~top : rnd(c, top);
		if (c->m.sign_extend && rnd(c, 2))
			base = -window - len;
		break;
	}
	iova = (base + rnd(c, window)) & ~mask(align_lg2);
	if (!c->m.sign_extend)
		iova &= top;
	return iova;
}

static void gen_map(struct hctx *c, struct hop *op)
{
	unsigned int pg = pick_size(c), align, pa_align, oa_lim;
	u64 len;

	op->kind = HOP_MAP;
	op->pgsize = 1ULL << pg;
	switch (rnd(c, 8)) {
	case 0:
		op->pgcount = 1 + rnd(c, 512);
		break;
	case 1:
		op->pgcount = 1 + rnd(c, 64);
		break;
	default:
		op->pgcount = 1 + rnd(c, 4);
		break;
	}
	align = rnd(c, 3) ? pg : c->m.granule_lg2 + rnd(c, pg - c->m.granule_lg2 + 1);
	pa_align = rnd(c, 3) ? align : c->m.granule_lg2 + rnd(c, align - c->m.granule_lg2 + 1);
	/* Keep the number of leaves a map makes in the thousands */
	while (op->pgcount > 1 && ((op->pgsize * op->pgcount) >> pa_align) > 256)
		op->pgcount /= 2;
	if (((op->pgsize * op->pgcount) >> pa_align) > 256) {
		align = pg;
		pa_align = pg;
	}
	len = op->pgsize * op->pgcount;
	op->iova = pick_iova(c, align, len);
	oa_lim = c->m.oa_bits < 48 ? c->m.oa_bits : 48;
	if (!rnd(c, 20))
		op->pa = mask(c->m.oa_bits) - len + 1;
	else
		op->pa = hrand(&c->rng) & mask(oa_lim);
	op->pa &= ~mask(pa_align);
	op->prot = rnd(c, 2) ? (H_READ | H_WRITE) : rnd(c, 64);
	if (!rnd(c, 10))
		op->fail_at = 1 + rnd(c, 3);
}

static const struct mleaf *pick_leaf(struct hctx *c)
{
	return c->m.num ? &c->m.leaves[rnd(c, c->m.num)] : NULL;
}

static void gen_unmap(struct hctx *c, struct hop *op)
{
	const struct mleaf *l = pick_leaf(c);
	u64 g = 1ULL << c->m.granule_lg2;

	op->kind = HOP_UNMAP;
	op->pgsize = g;
	if (l && rnd(c, 4)) {
		size_t i = l - c->m.leaves;
		size_t j = i + rnd(c, c->m.num > 500 ? 256 : 4);
		u64 last;

		if (j >= c->m.num)
			j = c->m.num - 1;
		last = c->m.leaves[j].last;
		op->iova = l->va;
		switch (rnd(c, 5)) {
		case 0:
			/* Start inside the leaf */
			if (l->last - l->va >= g)
				op->iova += g;
			break;
		case 1:
			/* End inside the last leaf */
			if (last - c->m.leaves[j].va >= g)
				last -= g;
			break;
		case 2:
			/* Past the end, over a hole maybe */
			last += g * (1 + rnd(c, 4));
			break;
		}
		op->pgcount = (last - op->iova) / g + 1;
		if (!rnd(c, 4) && !((op->pgcount * g) & (op->pgcount * g - 1)) &&
		    !(op->iova & (op->pgcount * g - 1))) {
			op->pgsize = op->pgcount * g;
			op->pgcount = 1;
		}
		return;
	}
	op->pgsize = 1ULL << pick_size(c);
	op->pgcount = 1 + rnd(c, 64);
	op->iova = pick_iova(c, c->m.granule_lg2, op->pgsize * op->pgcount);
}

static u64 pick_va(struct hctx *c)
{
	const struct mleaf *l = pick_leaf(c);

	if (!l || !rnd(c, 4))
		return pick_iova(c, rnd(c, 2) ? c->m.granule_lg2 : 0, 1);
	switch (rnd(c, 6)) {
	case 0:
		return l->va;
	case 1:
		return l->last;
	case 2:
		return l->last + 1;
	case 3:
		return l->va - 1;
	default:
		return l->va + rnd(c, l->last - l->va + 1);
	}
}

static void gen_bad(struct hctx *c, struct hop *op)
{
	gen_map(c, op);
	if (rnd(c, 4) == 0)
		op->kind = HOP_UNMAP;
	switch (rnd(c, 9)) {
	case 0:
		op->pgsize = 0;
		break;
	case 1:
		op->pgsize *= 3;
		break;
	case 2:
		op->pgcount = 0;
		break;
	case 3:
		op->pgcount = 1ULL << 62;
		break;
	case 4:
		op->iova |= 1ULL << (c->m.granule_lg2 - 1);
		break;
	case 5:
		op->pa |= 1ULL << (c->m.granule_lg2 - 1);
		break;
	case 6:
		op->iova = ~0ULL << (rnd(c, 2) ? c->m.va_bits - 1 : 63);
		op->iova &= ~mask(c->m.granule_lg2);
		break;
	case 7:
		op->pa = ~0ULL << (c->m.oa_bits < 64 ? c->m.oa_bits - 1 : 63);
		break;
	default:
		op->prot = 0;
		break;
	}
}

void hop_random(struct hctx *c, struct hop *op)
{
	unsigned int r = rnd(c, 100);

	memset(op, 0, sizeof(*op));
	/* Keep the model and the table small enough to check often */
	if (c->m.num > 500 && r < 60)
		r = 40;
	if (r < 34) {
		gen_map(c, op);
	} else if (r < 60) {
		gen_unmap(c, op);
	} else if (r < 78) {
		op->kind = HOP_IOVA_TO_PHYS;
		op->iova = pick_va(c);
	} else if (r < 87) {
		op->kind = HOP_SET_DIRTY;
		op->iova = pick_va(c);
	} else if (r < 95) {
		op->kind = HOP_READ_AND_CLEAR_DIRTY;
		op->iova = pick_va(c);
		op->pgsize = 1 + rnd(c, 1ULL << (c->m.granule_lg2 + rnd(c, 12)));
		if (!rnd(c, 20))
			op->pgsize = rnd(c, 2) ? 0 : ~0ULL;
		op->prot = rnd(c, 3) ? 0 : H_DIRTY_NO_CLEAR;
	} else {
		gen_bad(c, op);
	}
}

/*
 * The fuzzer's bytes choose among the same interesting values the random
 * generator uses, so that most inputs are meaningful operations.
 */
size_t hop_from_bytes(struct hctx *c, const u8 *data, size_t len,
		      struct hop *op)
{
	u64 v = 0;
	size_t n = len < 9 ? len : 9;

	if (!len)
		return 0;
	memcpy(&v, data + 1, n - 1);
	c->rng = v ^ ((u64)data[0] << 56);
	memset(op, 0, sizeof(*op));
	switch (data[0] % 6) {
	case 0:
	case 1:
		gen_map(c, op);
		break;
	case 2:
		gen_unmap(c, op);
		break;
	case 3:
		op->kind = HOP_IOVA_TO_PHYS + rnd(c, 2);
		op->iova = pick_va(c);
		break;
	case 4:
		op->kind = HOP_READ_AND_CLEAR_DIRTY;
		op->iova = pick_va(c);
		op->pgsize = 1 + rnd(c, 1ULL << (c->m.granule_lg2 + rnd(c, 12)));
		op->prot = rnd(c, 3) ? 0 : H_DIRTY_NO_CLEAR;
		break;
	default:
		gen_bad(c, op);
		break;
	}
	return n;
}

/* ------------------------------------------------------- replay */

long hops_replay(const struct hfmt *fmt, const struct hcfg *cfg,
		 const struct hop *ops, size_t n, bool verbose)
{
	struct hctx c;
	size_t i;

	if (!hctx_init(&c, fmt, cfg, 1)) {
		if (verbose)
			fprintf(stderr, "  init: %s\n", c.why);
		hctx_fini(&c);
		return 0;
	}
	for (i = 0; i != n; i++) {
		if (verbose) {
			fprintf(stderr, "  %4zu: ", i);
			hop_print(stderr, &ops[i]);
		}
		if (!hctx_run(&c, &ops[i])) {
			if (verbose)
				fprintf(stderr, "  FAILED: %s\n", c.why);
			hctx_fini(&c);
			return i;
		}
	}
	if (!hctx_fini(&c)) {
		if (verbose)
			fprintf(stderr, "  FAILED at teardown: %s\n", c.why);
		return n;
	}
	return -1;
}

bool hops_fail(const struct hfmt *fmt, const struct hcfg *cfg,
	       const struct hop *ops, size_t n)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (!pid) {
		/* Sanitizer reports of the candidates are noise */
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		_exit(hops_replay(fmt, cfg, ops, n, false) >= 0 ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return true;
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* ddmin over the sequence: drop chunks while it still fails */
size_t hops_minimize(const struct hfmt *fmt, const struct hcfg *cfg,
		     struct hop *ops, size_t n)
{
	struct hop *tmp = malloc(sizeof(*ops) * (n ? n : 1));
	size_t chunks = 2, i;

	while (n >= 2) {
		size_t size = (n + chunks - 1) / chunks;
		bool reduced = false;

		for (i = 0; i < n; i += size) {
			size_t cut = i + size < n ? size : n - i;
			size_t m = n - cut;

			memcpy(tmp, ops, i * sizeof(*ops));
			memcpy(tmp + i, ops + i + cut, (n - i - cut) * sizeof(*ops));
			if (m && hops_fail(fmt, cfg, tmp, m)) {
				memcpy(ops, tmp, m * sizeof(*ops));
				n = m;
				reduced = true;
				if (chunks > 2)
					chunks--;
				break;
			}
		}
		if (!reduced) {
			if (chunks >= n)
				break;
			chunks = chunks * 2 < n ? chunks * 2 : n;
		}
	}
	free(tmp);
	return n;
}
