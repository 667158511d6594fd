// SPDX-License-Identifier: GPL-2.0
/*
 * The independent walkers, see walk.h. Each is written from its manual:
 *
 *  - AMD I/O Virtualization Technology (IOMMU) Specification (48882),
 *    2.2.3 "I/O Page Tables for Host Translations": DTE Mode, PDE/PTE
 *    layout, NextLevel 0 (default page size of the level) and 7 (page
 *    size in the address field), level skipping, IR/IW of every level.
 *  - Intel 64 and IA-32 SDM vol. 3A, 4.5 "4-Level Paging and 5-Level
 *    Paging", for x86_64: the AMD IOMMU v2 (guest) table and the VT-d
 *    first stage walk it.
 *  - Intel VT-d Architecture Specification, 9.8 "Second-Stage Paging
 *    Entries" (and 3.7 for the walk).
 *  - Arm ARM (DDI 0487) D8 "The AArch64 Virtual Memory System
 *    Architecture": descriptor formats, start levels and concatenation,
 *    the contiguous bit, AP/S2AP, XN/PXN/UXN, AttrIndx/MemAttr, SH, AF, nG,
 *    NS, NSTable, APTable/XNTable, DBM; and SMMUv3 (IHI 0070) for the CD and
 *    STE fields hw_info fills.
 *
 * The mock has no manual: it is the AMD v1 walk on a 2 KiB granule with the
 * OA one bit up in the address field and no NextLevel 7, as
 * Documentation/driver-api/generic_pt.rst defines it.
 */
#include <stdio.h>
#include <string.h>

#include <linux/compiler.h>
#include <linux/mem_encrypt.h>

#include "walk.h"

#define W_FAIL(...)                                     \
	({                                              \
		snprintf(why, len, "walker: " __VA_ARGS__); \
		false;                                  \
	})

/* The walkers' messages too long for their call sites */
#define W_AMD_NL7 \
	"a NextLevel 7 page of 2^%u at level %u (items of 2^%u)"
#define W_AMD_ITEM \
	"item %u of the 2^%u page at level %u is %#llx, the looked up one %#llx"
#define W_ARM_CONT \
	"entry %u of a contiguous run at level %u is %#llx, the looked up one %#llx"
#define W_ARM_CONT_OA \
	"entry %u of a contiguous run at level %u maps %#llx after %#llx"

static __always_inline u64 bits(u64 v, unsigned int hi, unsigned int lo)
{
	return (v >> lo) & (hi - lo == 63 ? ~0ULL : (1ULL << (hi - lo + 1)) - 1);
}

static __always_inline u64 lmask(unsigned int lg2)
{
	return lg2 >= 64 ? ~0ULL : (1ULL << lg2) - 1;
}

/* The address field of x86, VT-d and AMD entries: bits 51:12 */
#define ADDR_51_12 0x000ffffffffff000ULL

void hwalker_init(struct hwalker *wk, const char *fmt_name,
		  unsigned int features)
{
	memset(wk, 0, sizeof(*wk));
	wk->features = features;
	if (!strcmp(fmt_name, "amdv1"))
		wk->kind = HW_AMDV1;
	else if (!strcmp(fmt_name, "mock"))
		wk->kind = HW_MOCK;
	else if (!strcmp(fmt_name, "x86_64"))
		wk->kind = HW_X86_64;
	else if (!strcmp(fmt_name, "vtdss"))
		wk->kind = HW_VTDSS;
	else
		wk->kind = HW_ARMV8;
}

static __always_inline bool rd(const struct hwalker *wk, u64 pa, u64 *v,
			       char *why, size_t len)
{
	if (!hmem_device_read(pa, wk->features & HF_DMA_INCOHERENT, v))
		return W_FAIL("reads %#llx, which is not live table memory",
			      (unsigned long long)pa);
	return true;
}

/* Where a table pointer does or does not carry an attribute */
static void seen(u8 *flags, bool with)
{
	*flags |= with ? HT_WITH : HT_WITHOUT;
}

/*
 * AMD v1 (and the mock). Levels are numbered as the spec does, 1 for the
 * 4 KiB level; the item of level k translates glg2 + 9 * (k - 1) bits.
 * The SME C-bit is bit 51 of the address fields when the driver has
 * memory encryption on (the harness's sme_me_mask).
 */
static bool walk_amd(const struct hwalker *wk, u64 iova, struct hwalk *out,
		     char *why, size_t len)
{
	bool mock = wk->kind == HW_MOCK;
	unsigned int glg2 = mock ? 11 : 12;
	u64 cbit = (!mock && (wk->features & HF_AMDV1_SME)) ?
			   IOMMUPT_SME_MASK : 0;
	unsigned int level = wk->hw.mode;
	u64 table, pte, field;
	bool ir = true, iw = true;

	/* DTE Mode: 1 to 6 levels; 0 is no translation, 7 reserved */
	if (level < 1 || level > 6)
		return W_FAIL("DTE mode %u", level);
	/* Address bits above what the top level translates must be zero */
	if (glg2 + 9 * level < 64 && (iova >> (glg2 + 9 * level)))
		return true;
	seen(&out->a.cbit_tables, wk->hw.root & cbit);
	table = wk->hw.root & ~cbit & ADDR_51_12;
	while (true) {
		unsigned int item = glg2 + 9 * (level - 1), next;

		if (!rd(wk, table + 8 * bits(iova, item + 8, item), &pte, why,
			len))
			return false;
		/* PR, bit 0 */
		if (!(pte & BIT_ULL(0)))
			return true;
		/* IR, IW: bits 61 and 62, ANDed over every level */
		ir &= bits(pte, 61, 61);
		iw &= bits(pte, 62, 62);
		field = pte & ~cbit & ADDR_51_12;
		next = bits(pte, 11, 9);
		if (next == 0 || next == 7) {
			unsigned int size_lg2 = item;

			if (next == 7) {
				if (mock)
					return W_FAIL("NextLevel 7 in the mock at level %u",
						      level);
				/*
				 * The first zero address bit from bit 12 up
				 * is one below the top of the page size.
				 */
				size_lg2 = __builtin_ctzll(~(field >> 12)) + 13;
				if (size_lg2 <= item || size_lg2 >= item + 9)
					return W_FAIL(W_AMD_NL7,
						      size_lg2, level, item);
			}
			out->size = 1ULL << size_lg2;
			/* The mock keeps OA[50:11] in bits 51:12 */
			out->oa = (mock ? field >> 1 : field) & ~lmask(size_lg2);
			out->oa |= iova & lmask(size_lg2);
			out->a.r = ir;
			out->a.w = iw;
			out->a.user = 1;
			out->a.xp = 1;
			out->a.xu = 1;
			out->a.memtype = HMT_NONE;
			out->a.snoop = bits(pte, 60, 60);
			out->a.cbit = !!(pte & cbit);
			/*
			 * D, bit 6. The IOMMU may set it in any item of a
			 * NextLevel 7 page, so a driver reads all of them
			 * (6.12 drivers/iommu/amd/io_pgtable.c,
			 * pte_test_and_clear_dirty()). Every item must hold
			 * the same page.
			 */
			out->a.dirty = bits(pte, 6, 6);
			if (size_lg2 != item) {
				unsigned int n = 1U << (size_lg2 - item), i;
				unsigned int first = bits(iova, item + 8, item) &
						     ~(n - 1);
				u64 same = BIT_ULL(0) | GENMASK_ULL(11, 9) |
					   ADDR_51_12 | GENMASK_ULL(62, 60);
				u64 rep;

				for (i = 0; i != n; i++) {
					if (!rd(wk, table + 8 * (first + i),
						&rep, why, len))
						return false;
					if ((rep ^ pte) & same)
						return W_FAIL(W_AMD_ITEM,
							      first + i, size_lg2,
							      level,
							      (unsigned long long)rep,
							      (unsigned long long)pte);
					out->a.dirty |= bits(rep, 6, 6);
				}
			}
			out->valid = true;
			return true;
		}
		if (level == 1)
			return W_FAIL("NextLevel %u at level 1", next);
		if (next >= level)
			return W_FAIL("NextLevel %u at level %u", next, level);
		/* Skipped levels: their address bits must be zero */
		if (next != level - 1 &&
		    bits(iova, item - 1, glg2 + 9 * next))
			return true;
		seen(&out->a.cbit_tables, pte & cbit);
		table = field;
		level = next;
	}
}

/*
 * x86-64 4-level and 5-level paging. Level L of our numbering (0 for the
 * PTE) translates bits 12 + 9L up; PS is bit 7 of the PDE and PDPTE and
 * reserved above; the PAT bit is bit 7 of a PTE and bit 12 of a large
 * page. R/W and U/S must be set on every level for a write and for a user
 * access; XD on any level forbids execution.
 */
static bool walk_x86_64(const struct hwalker *wk, u64 iova,
			struct hwalk *out, char *why, size_t len)
{
	u64 cbit = (wk->features & HF_X86_64_SME) ? IOMMUPT_SME_MASK : 0;
	unsigned int levels = wk->hw.mode, level, pat;
	bool rw = true, us = true, xd = false;
	u64 table, pte;
	s64 sext;

	if (levels != 4 && levels != 5)
		return W_FAIL("%u levels", levels);
	/* Canonical: the bits above the top level are copies of its top bit */
	sext = (s64)(iova << (64 - (12 + 9 * levels))) >> (64 - (12 + 9 * levels));
	if ((u64)sext != iova)
		return true;
	seen(&out->a.cbit_tables, wk->hw.root & cbit);
	table = wk->hw.root & ~cbit & ADDR_51_12;
	for (level = levels - 1;; level--) {
		unsigned int item = 12 + 9 * level;

		if (!rd(wk, table + 8 * bits(iova, item + 8, item), &pte, why,
			len))
			return false;
		if (!(pte & BIT_ULL(0)))
			return true;
		rw &= bits(pte, 1, 1);
		us &= bits(pte, 2, 2);
		xd |= bits(pte, 63, 63);
		if (level && (pte & BIT_ULL(7)) && level >= 3)
			return W_FAIL("PS set at level %u", level);
		if (level && !(pte & BIT_ULL(7))) {
			seen(&out->a.cbit_tables, pte & cbit);
			table = pte & ~cbit & ADDR_51_12;
			continue;
		}
		/* A leaf: a 4K PTE, a 2M PDE or a 1G PDPTE */
		if (level && bits(pte, item - 1, 13))
			return W_FAIL("reserved bits %u:13 of a level %u page: %#llx",
				      item - 1, level, (unsigned long long)pte);
		out->valid = true;
		out->size = 1ULL << item;
		out->oa = (pte & ~cbit & ADDR_51_12 & ~lmask(item)) |
			  (iova & lmask(item));
		out->a.r = 1;
		out->a.w = rw;
		out->a.user = us;
		out->a.xp = !xd;
		out->a.xu = !xd;
		/* PAT index: PAT, PCD, PWT; the power-on IA32_PAT values */
		pat = bits(pte, level ? 12 : 7, level ? 12 : 7) << 2 |
		      bits(pte, 4, 3);
		out->a.memtype = (pat & 3) == 0 ? HMT_WB :
				 (pat & 3) == 1 ? HMT_WT : HMT_UC;
		out->a.global = bits(pte, 8, 8);
		out->a.cbit = !!(pte & cbit);
		out->a.dirty = bits(pte, 6, 6);
		return true;
	}
}

/*
 * VT-d second stage. The context or PASID entry's AW gives 3, 4 or 5
 * levels; an entry is present if R or W is set; R and W of every level
 * AND; PS (bit 7) makes a 2M or 1G page and is reserved above; SNP is bit
 * 11, D bit 9, EMT bits 5:3 and IPAT bit 6 of a leaf, X bit 2.
 */
static bool walk_vtdss(const struct hwalker *wk, u64 iova, struct hwalk *out,
		       char *why, size_t len)
{
	unsigned int levels = wk->hw.mode + 2, level;
	bool r = true, w = true;
	u64 table, pte;

	if (wk->hw.mode < 1 || wk->hw.mode > 3)
		return W_FAIL("AW %u", wk->hw.mode);
	/* Input address bits above the AGAW must be zero */
	if ((iova >> (12 + 9 * levels)))
		return true;
	table = wk->hw.root & ADDR_51_12;
	for (level = levels - 1;; level--) {
		unsigned int item = 12 + 9 * level;

		if (!rd(wk, table + 8 * bits(iova, item + 8, item), &pte, why,
			len))
			return false;
		if (!(pte & 3))
			return true;
		r &= bits(pte, 0, 0);
		w &= bits(pte, 1, 1);
		if (level >= 3 && (pte & BIT_ULL(7)))
			return W_FAIL("PS set at level %u", level);
		if (level && !(pte & BIT_ULL(7))) {
			table = pte & ADDR_51_12;
			continue;
		}
		if (level && bits(pte, item - 1, 12))
			return W_FAIL("reserved bits %u:12 of a level %u page: %#llx",
				      item - 1, level, (unsigned long long)pte);
		out->valid = true;
		out->size = 1ULL << item;
		out->oa = (pte & ADDR_51_12 & ~lmask(item)) |
			  (iova & lmask(item));
		out->a.r = r;
		out->a.w = w;
		out->a.user = 1;
		out->a.xp = bits(pte, 2, 2);
		out->a.xu = bits(pte, 2, 2);
		out->a.memtype = bits(pte, 6, 3) ? HMT_OTHER : HMT_NONE;
		out->a.snoop = bits(pte, 11, 11);
		out->a.dirty = bits(pte, 9, 9);
		return true;
	}
}

/* A MAIR attribute byte, or a stage 2 MemAttr[3:0] */
static u8 arm_memtype(unsigned int attr, bool s2)
{
	static const u8 dev[4] = { HMT_DEV_NGNRNE, HMT_DEV_NGNRE, HMT_DEV_NGRE,
				   HMT_DEV_GRE };
	unsigned int outer, inner;

	if (s2) {
		/* MemAttr[3:2] outer (00 Device), [1:0] inner or Device type */
		if (!(attr >> 2))
			return dev[attr & 3];
		if (attr == 0x5)
			return HMT_NC;
		return attr == 0xf ? HMT_WB : HMT_OTHER;
	}
	outer = attr >> 4;
	inner = attr & 0xf;
	if (!outer)
		return (inner & 3) ? HMT_OTHER : dev[inner >> 2];
	if (attr == 0x44)
		return HMT_NC;
	/* Write-back non-transient, read and write allocate, both levels */
	return attr == 0xff ? HMT_WB : HMT_OTHER;
}

/* Entries in a contiguous run: ARM DDI 0487 D8.6.1, per granule and level */
static unsigned int arm_contig(unsigned int glg2, unsigned int lvl)
{
	if (glg2 == 12)
		return lvl ? 16 : 0;
	if (glg2 == 14)
		return lvl == 3 ? 128 : lvl == 2 ? 32 : 0;
	return lvl >= 2 ? 32 : 0;
}

/*
 * Arm VMSAv8-64, stage 1 (TTB0) or stage 2. Levels are the Arm ones, 3 the
 * page level. The output address is bits 47:glg2, and with a 64K granule
 * and a 52-bit PS bits 15:12 hold OA[51:48].
 */
static bool arm_addr(u64 d, unsigned int glg2, unsigned int pa_bits,
		     unsigned int lg2, u64 *oa)
{
	*oa = d & GENMASK_ULL(47, lg2);
	if (glg2 == 16 && pa_bits == 52)
		*oa |= bits(d, 15, 12) << 48;
	else if (glg2 > 12 && bits(d, glg2 - 1, 12))
		return false;
	/* The address bits below a block's size are RES0 */
	if (lg2 > glg2 && bits(d, lg2 - 1, glg2))
		return false;
	return pa_bits >= 64 || !(*oa >> pa_bits);
}

static bool walk_armv8(const struct hwalker *wk, u64 iova, struct hwalk *out,
		       char *why, size_t len)
{
	static const u8 ps_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	bool s2 = wk->features & HF_ARMV8_S2;
	const struct hhw *hw = &wk->hw;
	unsigned int glg2, per, ia, pa_bits, lvl, start, top_bits, n, i;
	bool ap_ro = false, ap_noel0 = false, uxn_t = false, pxn_t = false;
	u64 table, d, oa, first_oa;

	switch (hw->tg) {
	case 0:
		glg2 = 12;
		break;
	case 2:
		glg2 = 14;
		break;
	case 1:
		glg2 = 16;
		break;
	default:
		return W_FAIL("TG %u", hw->tg);
	}
	per = glg2 - 3;
	ia = 64 - hw->tsz;
	if (hw->ps >= sizeof(ps_bits) || ia > 52 || ia <= glg2)
		return W_FAIL("PS %u, T0SZ %u", hw->ps, hw->tsz);
	pa_bits = ps_bits[hw->ps];
	if (s2) {
		/* S2SL0: 4K counts down from level 2, 16K and 64K from 3 */
		if (hw->sl > 2)
			return W_FAIL("S2SL0 %u", hw->sl);
		start = (glg2 == 12 ? 2 : 3) - hw->sl;
	} else {
		start = 4 - (ia - glg2 + per - 1) / per;
		if (start > 3)
			return W_FAIL("T0SZ %u needs a start level below 0",
				      hw->tsz);
	}
	/* The bits the start level indexes; up to 16 tables concatenated */
	top_bits = ia - (glg2 + per * (3 - start));
	if (top_bits < 1 || top_bits > per + (s2 ? 4 : 0))
		return W_FAIL("start level %u for a %u-bit IA", start, ia);
	if (hw->root & lmask(top_bits + 3 > 6 ? top_bits + 3 : 6))
		return W_FAIL("TTB %#llx not aligned to its table",
			      (unsigned long long)hw->root);
	if (iova >> ia)
		return true;
	table = hw->root;
	for (lvl = start;; lvl++) {
		unsigned int lg2 = glg2 + per * (3 - lvl);
		unsigned int nbits = lvl == start ? top_bits : per;
		u64 idx = bits(iova, lg2 + nbits - 1, lg2);

		if (!rd(wk, table + 8 * idx, &d, why, len))
			return false;
		if (!(d & 1))
			return true;
		if (lvl == 3 && !(d & 2))
			return W_FAIL("reserved descriptor %#llx at level 3",
				      (unsigned long long)d);
		if (lvl != 3 && (d & 2)) {
			/* A table: its attributes apply to everything below */
			if (!arm_addr(d, glg2, pa_bits, glg2, &table))
				return W_FAIL("table descriptor %#llx at level %u: bad address",
					      (unsigned long long)d, lvl);
			seen(&out->a.ns_tables, bits(d, 63, 63));
			if (!s2) {
				ap_ro |= bits(d, 62, 62);
				ap_noel0 |= bits(d, 61, 61);
				uxn_t |= bits(d, 60, 60);
				pxn_t |= bits(d, 59, 59);
			}
			continue;
		}
		/* Blocks: 4K at levels 1-2, 16K at 2, 64K at 2 (1 with LPA) */
		if (lvl != 3 && !((glg2 == 12 && lvl >= 1) || lvl == 2 ||
				  (glg2 == 16 && lvl == 1 && pa_bits == 52)))
			return W_FAIL("block descriptor %#llx at level %u",
				      (unsigned long long)d, lvl);
		if (!arm_addr(d, glg2, pa_bits, lg2, &oa))
			return W_FAIL("leaf %#llx at level %u: bad address for a %u-bit PS",
				      (unsigned long long)d, lvl, pa_bits);
		break;
	}
	out->size = 1ULL << (glg2 + per * (3 - lvl));
	first_oa = oa;
	/* DBM and the dirty state: AP[2] clear at stage 1, S2AP[1] set at 2 */
	out->a.dirty = bits(d, 51, 51) && (s2 ? bits(d, 7, 7) : !bits(d, 7, 7));
	if (bits(d, 52, 52)) {
		/*
		 * Contiguous: the walker may use any entry of the aligned
		 * run for all of it, so every entry must be the same but
		 * for the OA stepping up and the bits the hardware updates
		 * (AF, and AP[2] / S2AP[1] with DBM); the dirty state is the
		 * one of any entry.
		 */
		u64 upd = BIT_ULL(10) | BIT_ULL(7) | GENMASK_ULL(58, 55);
		u64 e, eoa, step = out->size;
		unsigned int lg2 = glg2 + per * (3 - lvl);
		unsigned int nbits = lvl == start ? top_bits : per;
		u64 idx = bits(iova, lg2 + nbits - 1, lg2);

		n = arm_contig(glg2, lvl);
		if (!n)
			return W_FAIL("contiguous bit at level %u", lvl);
		idx &= ~(u64)(n - 1);
		if (!bits(d, 51, 51))
			upd &= ~BIT_ULL(7);
		for (i = 0; i != n; i++) {
			if (!rd(wk, table + 8 * (idx + i), &e, why, len))
				return false;
			if (!arm_addr(e, glg2, pa_bits, lg2, &eoa) ||
			    ((e ^ d) & ~upd & ~GENMASK_ULL(47, 12)))
				return W_FAIL(W_ARM_CONT,
					      i, lvl, (unsigned long long)e,
					      (unsigned long long)d);
			if (!i)
				first_oa = eoa;
			else if (eoa != first_oa + i * step)
				return W_FAIL(W_ARM_CONT_OA,
					      i, lvl, (unsigned long long)eoa,
					      (unsigned long long)first_oa);
			out->a.dirty |= bits(e, 51, 51) &&
					(s2 ? bits(e, 7, 7) : !bits(e, 7, 7));
		}
		out->size *= n;
		if (first_oa & (out->size - 1))
			return W_FAIL("contiguous run at level %u maps unaligned %#llx",
				      lvl, (unsigned long long)first_oa);
	}
	out->valid = true;
	out->oa = (first_oa & ~(out->size - 1)) | (iova & (out->size - 1));
	out->a.sh = bits(d, 9, 8);
	out->a.af = bits(d, 10, 10);
	if (s2) {
		unsigned int xn = bits(d, 54, 53);

		out->a.r = bits(d, 6, 6);
		out->a.w = bits(d, 7, 7) || bits(d, 51, 51);
		out->a.user = 1;
		/* XN[1:0] with FEAT_XNX: 0 all, 1 EL0 only, 2 none, 3 EL1 only */
		out->a.xu = xn == 0 || xn == 1;
		out->a.xp = xn == 0 || xn == 3;
		out->a.memtype = arm_memtype(bits(d, 5, 2), true);
		return true;
	}
	/* AP[2] read-only, AP[1] EL0 access; DBM makes AP[2] writable */
	out->a.r = 1;
	out->a.w = (!bits(d, 7, 7) || bits(d, 51, 51)) && !ap_ro;
	out->a.user = bits(d, 6, 6) && !ap_noel0;
	out->a.xu = !bits(d, 54, 54) && !uxn_t;
	out->a.xp = !bits(d, 53, 53) && !pxn_t;
	out->a.memtype = arm_memtype(bits(hw->mair, 8 * bits(d, 4, 2) + 7,
					  8 * bits(d, 4, 2)), false);
	out->a.global = !bits(d, 11, 11);
	out->a.ns = bits(d, 5, 5);
	return true;
}

bool hwalk(const struct hwalker *wk, u64 iova, struct hwalk *out, char *why,
	   size_t len)
{
	memset(out, 0, sizeof(*out));
	switch (wk->kind) {
	case HW_AMDV1:
	case HW_MOCK:
		return walk_amd(wk, iova, out, why, len);
	case HW_X86_64:
		return walk_x86_64(wk, iova, out, why, len);
	case HW_VTDSS:
		return walk_vtdss(wk, iova, out, why, len);
	default:
		return walk_armv8(wk, iova, out, why, len);
	}
}
