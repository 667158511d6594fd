// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model of the differential test. See model.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static u64 lg2_mask(unsigned int lg2)
{
	return lg2 >= 64 ? ~0ULL : (1ULL << lg2) - 1;
}

static u64 bit(unsigned int lg2)
{
	return lg2 >= 64 ? 0 : 1ULL << lg2;
}

static u64 sizes_below(u64 sizes, unsigned int lg2)
{
	return sizes & lg2_mask(lg2);
}

/*
 * AMD IOMMU v1: 512 items a level over a 4 KiB page; a leaf at any level is
 * its item size or 2 to 256 items with the size encoded (NextLevel 7), so
 * every power of two exists, except 512 GiB, which the Linux driver never
 * uses for an erratum.
 */
static void geometry_amdv1(struct model *m, const struct hcfg *c)
{
	unsigned int top = (c->features & HF_DYNAMIC_TOP) ? 5 : c->level;
	unsigned int span = 12 + 9 * (top + 1);
	unsigned int lim;

	m->granule_lg2 = 12;
	m->oa_bits = c->oasz < 52 ? c->oasz : 52;
	m->va_bits = c->vasz;
	m->dynamic = c->features & HF_DYNAMIC_TOP;
	m->top = c->level;
	if (!(c->features & HF_DYNAMIC_TOP) && span < m->va_bits)
		m->va_bits = span;
	lim = m->va_bits < m->oa_bits ? m->va_bits : m->oa_bits;
	m->sizes = sizes_below(~lg2_mask(12), lim) & ~bit(39);
	m->dirty = true;
}

/* The iommufd mock: AMD v1 items on a 2 KiB page, no sized leaves */
static void geometry_mock(struct model *m, const struct hcfg *c)
{
	unsigned int top = (c->features & HF_DYNAMIC_TOP) ? 5 : c->level;
	unsigned int span = 11 + 9 * (top + 1);
	unsigned int lim, level;

	m->granule_lg2 = 11;
	m->oa_bits = c->oasz < 51 ? c->oasz : 51;
	m->va_bits = c->vasz;
	m->dynamic = c->features & HF_DYNAMIC_TOP;
	m->top = c->level;
	if (!(c->features & HF_DYNAMIC_TOP) && span < m->va_bits)
		m->va_bits = span;
	lim = m->va_bits < m->oa_bits ? m->va_bits : m->oa_bits;
	for (level = 0; level <= top; level++)
		m->sizes |= bit(11 + 9 * level);
	m->sizes = sizes_below(m->sizes, lim);
	m->dirty = true;
}

/*
 * x86-64: 4 KiB pages, 2 MiB and 1 GiB with PS; a 4 or 5 level walk, 48 or
 * 57 bits sign extended, or without sign extension the lower half, as wide
 * as the configuration asks
 */
static void geometry_x86_64(struct model *m, const struct hcfg *c)
{
	unsigned int span = 12 + 9 * (c->level + 1);
	unsigned int lim;

	m->granule_lg2 = 12;
	m->oa_bits = c->oasz < 52 ? c->oasz : 52;
	m->sign_extend = c->features & HF_SIGN_EXTEND;
	m->va_bits = m->sign_extend ? span :
		     c->vasz < span - 1 ? c->vasz : span - 1;
	lim = m->va_bits < m->oa_bits ? m->va_bits : m->oa_bits;
	m->sizes = sizes_below(bit(12) | bit(21) | bit(30), lim);
	/* A writable leaf is written dirty, as 6.12's drivers write it */
	m->dirty = true;
	m->dirty_needs_write = true;
}

/* VT-d second stage: 4 KiB, 2 MiB, 1 GiB; the VA is what the cfg asks */
static void geometry_vtdss(struct model *m, const struct hcfg *c)
{
	unsigned int lim;

	m->granule_lg2 = 12;
	m->oa_bits = c->oasz < 52 ? c->oasz : 52;
	m->va_bits = c->vasz;
	lim = m->va_bits < m->oa_bits ? m->va_bits : m->oa_bits;
	m->sizes = sizes_below(bit(12) | bit(21) | bit(30), lim);
	m->dirty = true;
}

/*
 * Arm VMSAv8-64 (ARM DDI 0487, D8): per granule, the block sizes of each
 * level and the contiguous hint's run (16 at 4K, 128/32 at 16K, 32 at 64K).
 * Level 0 of our numbering is the page level. A 4K or 16K table has no
 * block at Arm level 0 (our 3) and 16K none at Arm level 1 (our 2) without
 * FEAT_LPA2; 64K has the 4 TiB block at Arm level 1 (our 2) only with a
 * 52-bit OA (FEAT_LPA).
 */
static void geometry_armv8(struct model *m, const struct hcfg *c)
{
	static const u8 leaf[3][4][2] = {
		/* 4K */ { { 12, 16 }, { 21, 25 }, { 30, 34 }, { 0, 0 } },
		/* 16K */ { { 14, 21 }, { 25, 30 }, { 0, 0 }, { 0, 0 } },
		/* 64K */ { { 16, 21 }, { 29, 34 }, { 42, 0 }, { 0, 0 } },
	};
	unsigned int g = (c->features & HF_FMT(1)) ? 2 :
			 (c->features & HF_FMT(0)) ? 1 : 0;
	unsigned int glg2 = g == 2 ? 16 : g == 1 ? 14 : 12;
	unsigned int bits = glg2 - 3;
	unsigned int top, level, lim, i;

	m->granule_lg2 = glg2;
	m->oa_bits = c->oasz;
	m->va_bits = c->vasz;
	for (top = 0; glg2 + bits * (top + 1) < c->vasz; top++)
		;
	/* Stage 2 starts at level 1 with up to 16 tables rather than level 0 */
	if ((c->features & HF_FMT(2)) && top == 3 &&
	    glg2 + bits * 3 + 4 >= c->vasz)
		top = 2;
	lim = m->va_bits < m->oa_bits ? m->va_bits : m->oa_bits;
	for (level = 0; level <= top && level < 4; level++)
		for (i = 0; i != 2; i++)
			if (leaf[g][level][i])
				m->sizes |= bit(leaf[g][level][i]);
	if (m->oa_bits <= 48)
		m->sizes &= ~bit(42);
	m->sizes = sizes_below(m->sizes, lim);
	m->dirty = c->features & HF_FMT(3);
	m->dirty_needs_write = true;
}

void model_init(struct model *m, const struct hfmt *fmt,
		const struct hcfg *cfg)
{
	memset(m, 0, sizeof(*m));
	m->fmt = fmt;
	m->cfg = cfg;
	if (!strcmp(fmt->name, "amdv1"))
		geometry_amdv1(m, cfg);
	else if (!strcmp(fmt->name, "mock"))
		geometry_mock(m, cfg);
	else if (!strcmp(fmt->name, "x86_64"))
		geometry_x86_64(m, cfg);
	else if (!strcmp(fmt->name, "vtdss"))
		geometry_vtdss(m, cfg);
	else if (!strncmp(fmt->name, "armv8_", 6))
		/* One unit per granule; the granule is also a feature */
		geometry_armv8(m, cfg);
	else
		abort();
}

void model_free(struct model *m)
{
	free(m->leaves);
	m->leaves = NULL;
	m->num = 0;
	m->cap = 0;
}

unsigned int model_max_size_lg2(const struct model *m)
{
	return 63 - __builtin_clzll(m->sizes);
}

bool model_va_valid(const struct model *m, u64 va)
{
	u64 prefix;

	if (!m->sign_extend)
		return m->va_bits >= 64 || !(va >> m->va_bits);
	prefix = va >> (m->va_bits - 1);
	return !prefix || prefix == (~0ULL >> (m->va_bits - 1));
}

int model_map_check(const struct model *m, u64 iova, u64 pa,
		    u64 pgsize, u64 pgcount, int prot,
		    u64 *last)
{
	u64 gmask = lg2_mask(m->granule_lg2);
	u64 len, last_pa;

	if (!pgsize || !pgcount || (pgsize & (pgsize - 1)))
		return -EINVAL;
	if (__builtin_mul_overflow(pgsize, pgcount, &len) ||
	    __builtin_add_overflow(iova, len - 1, last))
		return -EOVERFLOW;
	if ((iova & gmask) || (pa & gmask) || ((*last + 1) & gmask))
		return -EINVAL;
	if (__builtin_add_overflow(pa, *last - iova, &last_pa))
		return -EOVERFLOW;
	if (m->oa_bits < 64 && (last_pa >> m->oa_bits))
		return -ERANGE;
	if (!model_va_valid(m, iova) || !model_va_valid(m, *last))
		return -ERANGE;
	if (m->sign_extend &&
	    (iova >> (m->va_bits - 1)) != (*last >> (m->va_bits - 1)))
		return -ERANGE;
	return model_prot_errno(m, prot);
}

/* Index of the first leaf whose last >= va */
static size_t lower_bound(const struct model *m, u64 va)
{
	size_t lo = 0, hi = m->num;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (m->leaves[mid].last < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct mleaf *model_find(const struct model *m, u64 iova)
{
	size_t i = lower_bound(m, iova);

	if (i < m->num && m->leaves[i].va <= iova)
		return &m->leaves[i];
	return NULL;
}

bool model_overlaps(const struct model *m, u64 iova, u64 last)
{
	size_t i = lower_bound(m, iova);

	return i < m->num && m->leaves[i].va <= last;
}

/* Insert @n leaves that are sorted and overlap nothing mapped */
static void insert_leaves(struct model *m, const struct mleaf *l, size_t n)
{
	size_t i = lower_bound(m, l->va);

	if (m->num + n > m->cap) {
		m->cap = (m->num + n) * 2;
		m->leaves = realloc(m->leaves, m->cap * sizeof(*m->leaves));
		if (!m->leaves)
			abort();
	}
	if (i != m->num)
		memmove(&m->leaves[i + n], &m->leaves[i],
			(m->num - i) * sizeof(*m->leaves));
	memcpy(&m->leaves[i], l, n * sizeof(*l));
	m->num += n;
}

static void remove_leaves(struct model *m, size_t i, size_t n)
{
	if (!n)
		return;
	memmove(&m->leaves[i], &m->leaves[i + n],
		(m->num - i - n) * sizeof(*m->leaves));
	m->num -= n;
}

/*
 * The contract: one range mapped with the largest page size that the
 * alignment of the IOVA and of the physical address and the length left
 * allow, from the lowest IOVA up.
 */
/*
 * A dynamic top (AMD v1 and the mock, 9 bits a level) grows to the lowest
 * level that reaches @last and never shrinks.
 */
unsigned int model_top_for(const struct model *m, u64 last)
{
	unsigned int top = m->top;

	while (top < 5 && m->granule_lg2 + 9 * (top + 1) < 64 &&
	       (last >> (m->granule_lg2 + 9 * (top + 1))))
		top++;
	return top;
}

/* The largest leaf below a top: AMD v1 sized leaves are half a table */
static u64 top_sizes(const struct model *m)
{
	unsigned int item = m->granule_lg2 + 9 * m->top;

	if (!m->dynamic)
		return m->sizes;
	return m->sizes & lg2_mask((m->granule_lg2 == 12 ? item + 8 : item) + 1);
}

void model_map(struct model *m, u64 iova, u64 last, u64 pa,
	       int prot)
{
	static struct mleaf *buf;
	static size_t cap;
	u64 sizes = top_sizes(m);
	size_t n = 0;

	while (true) {
		u64 left = last - iova; /* bytes left minus one */
		unsigned int lg2 = model_max_size_lg2(m);

		for (;; lg2--) {
			u64 sz_m1 = lg2_mask(lg2);

			if (!(sizes & bit(lg2)) || sz_m1 > left ||
			    (iova & sz_m1) || (pa & sz_m1))
				continue;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			buf = realloc(buf, cap * sizeof(*buf));
			if (!buf)
				abort();
		}
		/*
		 * With DBM (Arm) a writable leaf is written with write
		 * permission, which is the dirty state, and x86-64 writes it
		 * with D; other formats start clean.
		 */
		buf[n] = (struct mleaf){ .va = iova,
					 .last = iova + lg2_mask(lg2),
					 .oa = pa, .prot = prot,
					 .dirty = m->dirty && m->dirty_needs_write &&
						  (prot & H_WRITE) };
		if (buf[n++].last == last)
			break;
		iova += lg2_mask(lg2) + 1;
		pa += lg2_mask(lg2) + 1;
	}
	insert_leaves(m, buf, n);
}

/*
 * Unmap removes every leaf the range meets, whole, from the one holding
 * @iova up, and stops at the first IOVA that is not mapped: a leaf the
 * range starts or ends inside goes too (6.12's AMD iommu_v1_unmap_pages()).
 * It returns the bytes from @iova to the end of the last leaf removed, and
 * the leaves it removed in @removed, up to @max of them, *@num in all.
 */
u64 model_unmap(struct model *m, u64 iova, u64 pgsize, u64 pgcount,
		struct mleaf *removed, unsigned int max, unsigned int *num)
{
	u64 len, last, next = iova, done = 0;
	size_t i, j;

	*num = 0;
	if (!pgsize || !pgcount || (pgsize & (pgsize - 1)) ||
	    __builtin_mul_overflow(pgsize, pgcount, &len) ||
	    __builtin_add_overflow(iova, len - 1, &last))
		return 0;
	if (!model_va_valid(m, iova) || !model_va_valid(m, last))
		return 0;
	if (m->sign_extend &&
	    (iova >> (m->va_bits - 1)) != (last >> (m->va_bits - 1)))
		return 0;
	i = lower_bound(m, iova);
	for (j = i; j < m->num; j++) {
		const struct mleaf *l = &m->leaves[j];

		if (l->va > next)
			break;
		if (*num < max)
			removed[*num] = *l;
		(*num)++;
		done = l->last - iova + 1;
		if (l->last >= last)  {
			j++;
			break;
		}
		next = l->last + 1;
	}
	remove_leaves(m, i, j - i);
	return done;
}

u64 model_iova_to_phys(const struct model *m, u64 iova)
{
	const struct mleaf *l = model_find(m, iova);

	return l ? l->oa + (iova - l->va) : 0;
}

int model_set_dirty(struct model *m, u64 iova)
{
	struct mleaf *l = (struct mleaf *)model_find(m, iova);

	if (!l)
		return -ENOENT;
	if (!m->dirty || (m->dirty_needs_write && !(l->prot & H_WRITE)))
		return -EOPNOTSUPP;
	l->dirty = true;
	return 0;
}

/*
 * Every dirty leaf that meets the range is reported from the larger of its
 * first IOVA and @iova to its end, past the end of the range if it goes
 * on (6.12's AMD and Intel read_and_clear_dirty), and made clean whole
 * unless H_DIRTY_NO_CLEAR.
 */
int model_read_and_clear_dirty(struct model *m, u64 iova, u64 size,
			       unsigned long flags, struct hrange *out,
			       unsigned int max, unsigned int *num)
{
	u64 last;
	size_t i;

	*num = 0;
	if (!size || __builtin_add_overflow(iova, size - 1, &last))
		return -EINVAL;
	if (!model_va_valid(m, iova) || !model_va_valid(m, last) ||
	    (m->sign_extend &&
	     (iova >> (m->va_bits - 1)) != (last >> (m->va_bits - 1))))
		return -EINVAL;
	for (i = lower_bound(m, iova); i < m->num && m->leaves[i].va <= last;
	     i++) {
		struct mleaf *l = &m->leaves[i];

		if (!l->dirty)
			continue;
		if (*num < max)
			out[*num] = (struct hrange){
				.start = l->va > iova ? l->va : iova,
				.last = l->last,
			};
		(*num)++;
		if (!(flags & H_DIRTY_NO_CLEAR))
			l->dirty = false;
	}
	return 0;
}
