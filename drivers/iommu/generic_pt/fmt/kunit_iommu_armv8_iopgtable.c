// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Arm format against 6.12's io-pgtable-arm, bit for bit.
 *
 * Both tables live in this kernel: the exported genpt units
 * (pt_iommu_armv8_4k_init() and so on) and io-pgtable-arm through
 * alloc_io_pgtable_ops() (ARM_64_LPAE_S1 and ARM_64_LPAE_S2). Each test maps
 * the same (IOVA, PA, size, prot) sequence into both and then reads both
 * tables raw, as an SMMU would: from the TTBR and the TCR or VTCR fields
 * each one hands its driver, with a walker of its own that uses neither
 * implementation's code. Every table descriptor and every leaf descriptor
 * must be equal, table addresses aside, and so must the register fields.
 *
 * The differences that are on purpose are named here, in kdiff_mask(), and
 * in Documentation/driver-api/generic_pt.rst, and only they are masked:
 *
 * - KDIFF_CONT: genpt sets the contiguous hint (bit 52) on an aligned run of
 *   items mapped together; io-pgtable-arm never does. Masked only on the
 *   runs the test maps for it, where genpt must set it.
 * - KDIFF_S2_XN: a stage 2 IOMMU_NOEXEC leaf has XN[1:0] = 0b10 in genpt,
 *   0b11 in io-pgtable-arm. With FEAT_XNX (SMMU_IDR3.XNX) 0b11 lets
 *   privileged transactions execute; 0b10 is "no execution" at every
 *   level, and is the only encoding without FEAT_XNX, where bit 53 is RES0.
 *   Masked: bit 53 of stage 2 leaves, where genpt must have it clear.
 * - KDIFF_MAIR_HI: 6.12 builds MAIR with ARM_LPAE_MAIR_ATTR_INC_OWBRWA
 *   (0xf4) shifted into attribute 3 in int arithmetic, which sign-extends:
 *   attributes 4 to 7 come out 0xff. No leaf of either side uses an index
 *   above 3 and genpt leaves them 0. Attributes 0 to 3 must be equal.
 * - KDIFF_SW_FLUSHED: with a walker that does not snoop, both set bit 55 of
 *   a table descriptor once it is written back (genpt's
 *   ARMV8PT_FMT_SW_FLUSHED, io-pgtable's ARM_LPAE_PTE_SW_SYNC), but only
 *   when they find it unset on their way down, which depends on the order
 *   of the calls. Bit 55 is ignored by the SMMU. Masked in table
 *   descriptors of incoherent configurations only.
 *
 * Not compared because 6.12's io-pgtable-arm has no counterpart: DBM at
 * stage 2 (io-pgtable-arm refuses every quirk at stage 2), and the larger
 * page sizes genpt offers for contiguous runs (checked to be exactly the
 * run sizes). io-pgtable-arm quirks genpt has no feature for, and which are
 * not tested: IO_PGTABLE_QUIRK_ARM_TTBR1 (genpt refuses a sign extended
 * VA) and IO_PGTABLE_QUIRK_ARM_OUTER_WBWA.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/generic_pt/iommu.h>
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/sizes.h>

#include "../../io-pgtable-arm.h"

/* Descriptor bits, from the Arm ARM (VMSAv8-64 descriptor formats) */
#define KDIFF_VALID BIT_ULL(0)
#define KDIFF_TABLE BIT_ULL(1)
#define KDIFF_CONT BIT_ULL(52)
#define KDIFF_S2_XN BIT_ULL(53)
#define KDIFF_SW_FLUSHED BIT_ULL(55)
#define KDIFF_MAIR_HI GENMASK_ULL(63, 32)
#define KDIFF_OA_LO(granule_lg2) GENMASK_ULL(47, granule_lg2)
/* With the 64K granule and a 52-bit OA, OA[51:48] is in bits 15:12 */
#define KDIFF_OA_HI GENMASK_ULL(15, 12)

#define KDIFF_MAX_REPORTS 8

struct kdiff_cfg {
	const char *name;
	u8 granule_lg2;
	u8 ias;
	u8 oas;
	bool s2;
	bool ns;
	bool dbm;
	bool incoherent;
};

#define KDIFF(_name, _g, _s2, _ias, _oas, ...)                             \
	{ .name = _name, .granule_lg2 = _g, .s2 = _s2, .ias = _ias,         \
	  .oas = _oas, __VA_ARGS__ }

/*
 * Stage 2 VA widths are chosen around the concatenation limits: 4K va40
 * starts with 2 concatenated tables, va43 with 16, va44 at Arm level 0;
 * 16K va48 with 2 concatenated tables. oa32 configurations are the only
 * ones a 32-bit phys_addr_t can run.
 */
static const struct kdiff_cfg kdiff_cfgs[] = {
	KDIFF("4k,s1,va48,oa48", 12, false, 48, 48),
	KDIFF("4k,s1,va39,oa40,ns", 12, false, 39, 40, .ns = true),
	KDIFF("4k,s1,va48,oa44,dbm", 12, false, 48, 44, .dbm = true),
	KDIFF("4k,s1,va39,oa40,ns,incoherent", 12, false, 39, 40,
	      .ns = true, .incoherent = true),
	KDIFF("4k,s1,va32,oa32", 12, false, 32, 32),
	KDIFF("4k,s2,va48,oa48", 12, true, 48, 48),
	KDIFF("4k,s2,va40,oa40", 12, true, 40, 40),
	KDIFF("4k,s2,va43,oa44", 12, true, 43, 44),
	KDIFF("4k,s2,va44,oa44", 12, true, 44, 44),
	KDIFF("4k,s2,va32,oa32", 12, true, 32, 32),
	KDIFF("4k,s2,va40,oa40,incoherent", 12, true, 40, 40,
	      .incoherent = true),
	KDIFF("16k,s1,va48,oa48", 14, false, 48, 48),
	KDIFF("16k,s1,va36,oa36,ns,dbm", 14, false, 36, 36, .ns = true,
	      .dbm = true),
	KDIFF("16k,s1,va32,oa32", 14, false, 32, 32),
	KDIFF("16k,s2,va48,oa48", 14, true, 48, 48),
	KDIFF("16k,s2,va40,oa42", 14, true, 40, 42),
	KDIFF("64k,s1,va48,oa48", 16, false, 48, 48),
	KDIFF("64k,s1,va52,oa52", 16, false, 52, 52),
	KDIFF("64k,s1,va52,oa52,ns,dbm", 16, false, 52, 52, .ns = true,
	      .dbm = true),
	KDIFF("64k,s1,va32,oa32", 16, false, 32, 32),
	KDIFF("64k,s2,va52,oa52", 16, true, 52, 52),
	KDIFF("64k,s2,va42,oa44", 16, true, 42, 44),
	KDIFF("64k,s2,va36,oa40,incoherent", 16, true, 36, 40,
	      .incoherent = true),
};

static void kdiff_desc(const struct kdiff_cfg *cfg, char *desc)
{
	strscpy(desc, cfg->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kdiff, kdiff_cfgs, kdiff_desc);

/* The exported genpt unit of each granule */
struct kdiff_unit {
	unsigned int granule_lg2;
	unsigned int feature;
	int (*init)(struct pt_iommu_armv8 *table,
		    const struct pt_iommu_armv8_cfg *cfg, gfp_t gfp);
	void (*hw_info)(struct pt_iommu_armv8 *table,
			struct pt_iommu_armv8_hw_info *info);
	int (*map_pages)(struct iommu_domain *domain, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, gfp_t gfp, size_t *mapped);
	int (*read_and_clear_dirty)(struct iommu_domain *domain,
				    unsigned long iova, size_t size,
				    unsigned long flags,
				    struct iommu_dirty_bitmap *dirty);
};

#define KDIFF_UNIT(g, lg2, feat)                                             \
	{ .granule_lg2 = lg2, .feature = feat,                               \
	  .init = pt_iommu_armv8_##g##_init,                                 \
	  .hw_info = pt_iommu_armv8_##g##_hw_info,                           \
	  .map_pages = pt_iommu_armv8_##g##_map_pages,                       \
	  .read_and_clear_dirty = pt_iommu_armv8_##g##_read_and_clear_dirty }

static const struct kdiff_unit kdiff_units[] = {
	KDIFF_UNIT(4k, 12, 0),
	KDIFF_UNIT(16k, 14, BIT(PT_FEAT_ARMV8_GRANULE_16K)),
	KDIFF_UNIT(64k, 16, BIT(PT_FEAT_ARMV8_GRANULE_64K)),
};

/* A pair of tables with the same configuration */
struct kdiff {
	struct kunit *test;
	const struct kdiff_cfg *cfg;
	const struct kdiff_unit *unit;
	struct device *dev;
	struct pt_iommu_armv8 genpt;
	struct io_pgtable_cfg iop_cfg;
	struct io_pgtable_ops *iop;
	/* The registers as the SMMU gets them: genpt's, io-pgtable-arm's */
	struct pt_iommu_armv8_hw_info regs[2];
	/* Every leaf is an item of a run genpt must give the hint */
	bool cont_run;
	unsigned int leaves;
	unsigned int reports;
};

static const char *const kdiff_side[] = { "genpt", "io-pgtable-arm" };

static void kdiff_tlb_flush_all(void *cookie)
{
}

static void kdiff_tlb_flush_walk(unsigned long iova, size_t size,
				 size_t granule, void *cookie)
{
}

static const struct iommu_flush_ops kdiff_flush_ops = {
	.tlb_flush_all = kdiff_tlb_flush_all,
	.tlb_flush_walk = kdiff_tlb_flush_walk,
};

static void kdiff_free(struct kdiff *kd)
{
	if (kd->genpt.iommu.ops)
		pt_iommu_deinit(&kd->genpt.iommu);
	if (kd->iop)
		free_io_pgtable_ops(kd->iop);
	kd->iop = NULL;
}

static void kdiff_free_action(void *data)
{
	kdiff_free(data);
}

/* Both tables, empty; skips the test if genpt cannot be incoherent here */
static void kdiff_alloc(struct kdiff *kd)
{
	const struct kdiff_cfg *cfg = kd->cfg;
	struct kunit *test = kd->test;
	struct pt_iommu_armv8_cfg gcfg = {};
	int ret;

	kdiff_free(kd);
	memset(&kd->genpt, 0, sizeof(kd->genpt));
	kd->genpt.iommu.nid = NUMA_NO_NODE;
	gcfg.common.hw_max_vasz_lg2 = cfg->ias;
	gcfg.common.hw_max_oasz_lg2 = cfg->oas;
	gcfg.common.features = kd->unit->feature |
			       (cfg->s2 ? BIT(PT_FEAT_ARMV8_S2) : 0) |
			       (cfg->ns ? BIT(PT_FEAT_ARMV8_NS) : 0) |
			       (cfg->dbm ? BIT(PT_FEAT_ARMV8_DBM) : 0) |
			       (cfg->incoherent ?
					BIT(PT_FEAT_DMA_INCOHERENT) : 0);
	ret = kd->unit->init(&kd->genpt, &gcfg, GFP_KERNEL);
	if (ret == -EOPNOTSUPP && cfg->incoherent)
		kunit_skip(test, "this CPU cannot write tables back for the SMMU");
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "genpt init");
	kd->unit->hw_info(&kd->genpt, &kd->regs[0]);
	/* Stage 2 has MemAttr in the leaves and no MAIR */
	if (cfg->s2)
		kd->regs[0].mair = 0;

	/* io-pgtable-arm takes the granule from the smallest page size */
	kd->iop_cfg = (struct io_pgtable_cfg){
		.pgsize_bitmap = ~0UL << cfg->granule_lg2,
		.ias = cfg->ias,
		.oas = cfg->oas,
		.coherent_walk = !cfg->incoherent,
		.tlb = &kdiff_flush_ops,
		.iommu_dev = kd->dev,
	};
	if (cfg->ns)
		kd->iop_cfg.quirks |= IO_PGTABLE_QUIRK_ARM_NS;
	if (cfg->dbm)
		kd->iop_cfg.quirks |= IO_PGTABLE_QUIRK_ARM_HD;
	kd->iop = alloc_io_pgtable_ops(cfg->s2 ? ARM_64_LPAE_S2 :
						 ARM_64_LPAE_S1,
				       &kd->iop_cfg, NULL);
	KUNIT_ASSERT_NOT_NULL_MSG(test, kd->iop, "io-pgtable-arm alloc");
	if (cfg->s2) {
		typeof(kd->iop_cfg.arm_lpae_s2_cfg.vtcr) *vtcr =
			&kd->iop_cfg.arm_lpae_s2_cfg.vtcr;

		kd->regs[1] = (struct pt_iommu_armv8_hw_info){
			.ttbr = kd->iop_cfg.arm_lpae_s2_cfg.vttbr,
			.tsz = vtcr->tsz, .tg = vtcr->tg, .sl = vtcr->sl,
			.ps = vtcr->ps, .sh = vtcr->sh, .irgn = vtcr->irgn,
			.orgn = vtcr->orgn,
		};
	} else {
		typeof(kd->iop_cfg.arm_lpae_s1_cfg.tcr) *tcr =
			&kd->iop_cfg.arm_lpae_s1_cfg.tcr;

		kd->regs[1] = (struct pt_iommu_armv8_hw_info){
			.ttbr = kd->iop_cfg.arm_lpae_s1_cfg.ttbr,
			.tsz = tcr->tsz, .tg = tcr->tg, .ps = tcr->ips,
			.sh = tcr->sh, .irgn = tcr->irgn, .orgn = tcr->orgn,
			.mair = kd->iop_cfg.arm_lpae_s1_cfg.mair,
		};
	}
}

/* ------------------------------------------------------- the walker */

/* What the SMMU derives from the registers: start level and top size */
struct kdiff_walk {
	unsigned int granule_lg2;
	unsigned int start;		/* Arm level, 0 to 3 */
	unsigned int top_entries_lg2;
};

static unsigned int kdiff_tg_to_granule(u8 tg)
{
	/* TG0 and VTCR.TG0: 0b00 4K, 0b01 64K, 0b10 16K */
	switch (tg) {
	case ARM_LPAE_TCR_TG0_4K:
		return 12;
	case ARM_LPAE_TCR_TG0_64K:
		return 16;
	case ARM_LPAE_TCR_TG0_16K:
		return 14;
	}
	return 0;
}

/* Bits an Arm level's items translate: the page offset and the levels below */
static unsigned int kdiff_level_shift(unsigned int granule_lg2,
				      unsigned int arm_level)
{
	return granule_lg2 + (granule_lg2 - 3) * (3 - arm_level);
}

/*
 * The Arm ARM's translation table walk setup: at stage 1 the start level is
 * the fewest levels that resolve 64 - T0SZ bits; at stage 2, VTCR.SL0 gives
 * it (4K: 0 is level 2, 1 level 1, 2 level 0; 16K and 64K: 0 is level 3,
 * 1 level 2, 2 level 1), and the top may be up to 16 concatenated tables.
 */
static bool kdiff_walk_setup(const struct pt_iommu_armv8_hw_info *regs,
			     bool s2, struct kdiff_walk *w)
{
	unsigned int ias = 64 - regs->tsz;
	unsigned int bits;

	w->granule_lg2 = kdiff_tg_to_granule(regs->tg);
	if (!w->granule_lg2)
		return false;
	bits = w->granule_lg2 - 3;
	if (s2) {
		unsigned int first = w->granule_lg2 == 12 ? 2 : 3;

		if (regs->sl > first)
			return false;
		w->start = first - regs->sl;
	} else {
		w->start = 4 - DIV_ROUND_UP(ias - w->granule_lg2, bits);
	}
	if (ias <= kdiff_level_shift(w->granule_lg2, w->start))
		return false;
	w->top_entries_lg2 = ias - kdiff_level_shift(w->granule_lg2, w->start);
	return w->top_entries_lg2 <= bits + (s2 ? 4 : 0);
}

static u64 kdiff_next_table(unsigned int granule_lg2, u64 desc)
{
	u64 pa = desc & KDIFF_OA_LO(granule_lg2);

	if (granule_lg2 == 16)
		pa |= (u64)FIELD_GET(KDIFF_OA_HI, desc) << 48;
	return pa;
}

static const u64 *kdiff_table_va(u64 pa)
{
	return phys_to_virt((phys_addr_t)pa);
}

static void kdiff_report(struct kdiff *kd, const char *what, u64 iova,
			 unsigned int arm_level, u64 g, u64 i)
{
	kd->reports++;
	if (kd->reports > KDIFF_MAX_REPORTS)
		return;
	KUNIT_FAIL(kd->test,
		   "%s: %s at IOVA %#llx, Arm level %u: genpt %#018llx, io-pgtable-arm %#018llx",
		   kd->cfg->name, what, iova, arm_level, g, i);
}

/*
 * Bits of a descriptor that may differ on purpose, see the top of the file,
 * each masked only where genpt's side is what the difference says it is.
 */
static u64 kdiff_mask(struct kdiff *kd, bool table, u64 g, u64 i, u64 va,
		      unsigned int arm_level)
{
	u64 mask = 0;

	if (table)
		return kd->cfg->incoherent ? KDIFF_SW_FLUSHED : 0;
	if (kd->cfg->s2) {
		if (g & KDIFF_S2_XN)
			kdiff_report(kd, "genpt stage 2 leaf has XN[0] set",
				     va, arm_level, g, i);
		mask |= KDIFF_S2_XN;
	}
	if (kd->cont_run) {
		if (!(g & KDIFF_CONT))
			kdiff_report(kd, "genpt run item lacks the contiguous hint",
				     va, arm_level, g, i);
		mask |= KDIFF_CONT;
	}
	return mask;
}

/*
 * Walk both tables side by side: the same item must be empty, a table or a
 * leaf in both, and equal but for the table address and the masked bits.
 */
static void kdiff_walk_pair(struct kdiff *kd, const struct kdiff_walk *w,
			    u64 g_pa, u64 i_pa, unsigned int arm_level,
			    unsigned int entries_lg2, u64 iova)
{
	unsigned int shift = kdiff_level_shift(w->granule_lg2, arm_level);
	const u64 *g_tbl = kdiff_table_va(g_pa);
	const u64 *i_tbl = kdiff_table_va(i_pa);
	u64 n = 1ULL << entries_lg2;
	u64 idx;

	for (idx = 0; idx != n; idx++) {
		u64 va = iova + (idx << shift);
		u64 g = READ_ONCE(g_tbl[idx]);
		u64 i = READ_ONCE(i_tbl[idx]);
		bool g_table = arm_level != 3 && (g & KDIFF_TABLE);
		bool i_table = arm_level != 3 && (i & KDIFF_TABLE);
		u64 addr = KDIFF_OA_LO(w->granule_lg2);
		u64 mask;

		if (!(g & KDIFF_VALID) && !(i & KDIFF_VALID)) {
			if (g != i)
				kdiff_report(kd, "invalid descriptors differ",
					     va, arm_level, g, i);
			continue;
		}
		if (!(g & KDIFF_VALID) || !(i & KDIFF_VALID) ||
		    g_table != i_table) {
			kdiff_report(kd, "one side is empty, a table or a leaf",
				     va, arm_level, g, i);
			continue;
		}
		mask = kdiff_mask(kd, g_table, g, i, va, arm_level);
		if (!g_table) {
			kd->leaves++;
			if ((g | mask) != (i | mask))
				kdiff_report(kd, "leaf descriptors differ", va,
					     arm_level, g, i);
			continue;
		}
		if (w->granule_lg2 == 16)
			addr |= KDIFF_OA_HI;
		if ((g | mask | addr) != (i | mask | addr))
			kdiff_report(kd, "table descriptors differ", va,
				     arm_level, g, i);
		kdiff_walk_pair(kd, w, kdiff_next_table(w->granule_lg2, g),
				kdiff_next_table(w->granule_lg2, i),
				arm_level + 1, w->granule_lg2 - 3, va);
	}
}

/* The registers both sides give, then both tables from their roots */
static void kdiff_compare(struct kdiff *kd, unsigned int expect_leaves)
{
	struct kunit *test = kd->test;
	const struct pt_iommu_armv8_hw_info *g = &kd->regs[0];
	const struct pt_iommu_armv8_hw_info *i = &kd->regs[1];
	struct kdiff_walk w[2];
	unsigned int side;

	KUNIT_EXPECT_EQ_MSG(test, g->tsz, i->tsz, "T0SZ");
	KUNIT_EXPECT_EQ_MSG(test, g->tg, i->tg, "TG0");
	KUNIT_EXPECT_EQ_MSG(test, g->sl, i->sl, "VTCR.SL0");
	KUNIT_EXPECT_EQ_MSG(test, g->ps, i->ps, "IPS or VTCR.PS");
	KUNIT_EXPECT_EQ_MSG(test, g->sh, i->sh, "SH0");
	KUNIT_EXPECT_EQ_MSG(test, g->irgn, i->irgn, "IRGN0");
	KUNIT_EXPECT_EQ_MSG(test, g->orgn, i->orgn, "ORGN0");
	KUNIT_EXPECT_EQ_MSG(test, g->mair & ~KDIFF_MAIR_HI,
			    i->mair & ~KDIFF_MAIR_HI, "MAIR attributes 0 to 3");
	KUNIT_EXPECT_EQ_MSG(test, g->mair & KDIFF_MAIR_HI, 0,
			    "genpt MAIR attributes 4 to 7");

	for (side = 0; side != 2; side++) {
		const struct pt_iommu_armv8_hw_info *regs = &kd->regs[side];

		KUNIT_ASSERT_TRUE_MSG(test,
				      kdiff_walk_setup(regs, kd->cfg->s2,
						       &w[side]),
				      "%s: no walk from TG %u, TSZ %u, SL0 %u",
				      kdiff_side[side], regs->tg, regs->tsz,
				      regs->sl);
		/* A TTBR is aligned to the size of the top table, at least 64 */
		KUNIT_EXPECT_EQ_MSG(test,
				    regs->ttbr &
					    (max(8ULL << w[side].top_entries_lg2,
						 64ULL) - 1),
				    0, "%s: TTBR %#llx misaligned",
				    kdiff_side[side], regs->ttbr);
	}
	KUNIT_ASSERT_EQ_MSG(test, w[0].start, w[1].start, "start level");
	KUNIT_ASSERT_EQ_MSG(test, w[0].top_entries_lg2, w[1].top_entries_lg2,
			    "entries in the top table");

	kd->leaves = 0;
	kd->reports = 0;
	kdiff_walk_pair(kd, &w[0], g->ttbr, i->ttbr, w[0].start,
			w[0].top_entries_lg2, 0);
	KUNIT_EXPECT_EQ_MSG(test, kd->reports, 0,
			    "%s: %u differences, the first %u shown",
			    kd->cfg->name, kd->reports, KDIFF_MAX_REPORTS);
	KUNIT_EXPECT_EQ_MSG(test, kd->leaves, expect_leaves,
			    "leaves found by the walk");
}

/* ------------------------------------------------------- mapping */

static void kdiff_map(struct kdiff *kd, unsigned long iova, phys_addr_t pa,
		      size_t pgsize, size_t pgcount, int prot)
{
	struct kunit *test = kd->test;
	size_t done = 0;
	size_t mapped = 0;

	KUNIT_ASSERT_EQ_MSG(test,
			    kd->unit->map_pages(&kd->genpt.iommu.domain, iova,
						pa, pgsize, pgcount, prot,
						GFP_KERNEL, &mapped),
			    0, "genpt map of %zu x %#zx at %#lx", pgcount,
			    pgsize, iova);
	KUNIT_ASSERT_EQ(test, mapped, pgsize * pgcount);

	/* io-pgtable maps at most to the end of a table per call */
	while (done != pgsize * pgcount) {
		mapped = 0;
		KUNIT_ASSERT_EQ_MSG(test,
				    kd->iop->map_pages(kd->iop, iova + done,
						       pa + done, pgsize,
						       pgcount - done / pgsize,
						       prot, GFP_KERNEL,
						       &mapped),
				    0, "io-pgtable-arm map of %zu x %#zx at %#lx",
				    pgcount, pgsize, iova);
		KUNIT_ASSERT_NE(test, mapped, 0);
		done += mapped;
	}
}

/*
 * Every prot 6.12's drivers pass: IOMMU_READ and IOMMU_WRITE (at least one),
 * with any of IOMMU_CACHE, IOMMU_NOEXEC, IOMMU_MMIO and IOMMU_PRIV.
 */
#define KDIFF_NUM_PROTS 48

static int kdiff_prot(unsigned int n)
{
	static const int rw[] = { IOMMU_READ, IOMMU_WRITE,
				  IOMMU_READ | IOMMU_WRITE };
	static const int extra[] = { IOMMU_CACHE, IOMMU_NOEXEC, IOMMU_MMIO,
				     IOMMU_PRIV };
	int prot = rw[n % 3];
	unsigned int i;

	n /= 3;
	for (i = 0; i != ARRAY_SIZE(extra); i++)
		if (n & BIT(i))
			prot |= extra[i];
	return prot;
}

/* IOVA and PA bits this kernel can pass to both */
static unsigned int kdiff_va_bits(const struct kdiff_cfg *cfg)
{
	return min_t(unsigned int, cfg->ias, BITS_PER_LONG);
}

/* Read and clean every dirty leaf in both, one mapped range at a time */
static void kdiff_clean(struct kdiff *kd, unsigned long iova, size_t size)
{
	struct iommu_dirty_bitmap dirty;

	iommu_dirty_bitmap_init(&dirty, NULL, NULL);
	KUNIT_EXPECT_EQ(kd->test,
			kd->unit->read_and_clear_dirty(&kd->genpt.iommu.domain,
						       iova, size, 0, &dirty),
			0);
	KUNIT_EXPECT_EQ(kd->test,
			kd->iop->read_and_clear_dirty(kd->iop, iova, size, 0,
						      &dirty),
			0);
}

/*
 * Map every prot with one page size, one or two items per slot. Slots of
 * two items are spread over the VA and the OA by odd strides, so that the
 * maps land in many tables and use high OA bits; when the VA has fewer
 * slots than prots, the rest go into a fresh pair of tables.
 */
static void kdiff_one_size(struct kdiff *kd, unsigned int size_lg2)
{
	const struct kdiff_cfg *cfg = kd->cfg;
	unsigned int va_bits = kdiff_va_bits(cfg);
	unsigned int pa_bits = min_t(unsigned int, cfg->oas,
				     BITS_PER_TYPE(phys_addr_t));
	unsigned int slot_lg2 = size_lg2 + 1;
	unsigned int n = 0;

	if (va_bits <= slot_lg2 || pa_bits <= slot_lg2) {
		kunit_info(kd->test, "%s: no room for %#llx pages here\n",
			   cfg->name, 1ULL << size_lg2);
		return;
	}
	while (n != KDIFF_NUM_PROTS) {
		u64 va_slots = 1ULL << min(va_bits - slot_lg2, 16U);
		u64 pa_slots = 1ULL << min(pa_bits - slot_lg2, 16U);
		unsigned int first = n;
		unsigned int leaves = 0;
		unsigned int k;

		if (n)
			kdiff_alloc(kd);
		for (k = 0; n != KDIFF_NUM_PROTS && k != va_slots; k++, n++) {
			u64 va = ((k * 5 + 1) & (va_slots - 1)) << slot_lg2;
			u64 pa = ((n * 3 + 2) & (pa_slots - 1)) << slot_lg2;
			size_t count = 1 + (n & 1);

			/* The top slots of a wide OA */
			if (pa_bits > 16 + slot_lg2)
				pa |= GENMASK_ULL(pa_bits - 1,
						  16 + slot_lg2);
			kdiff_map(kd, va, pa, 1UL << size_lg2, count,
				  kdiff_prot(n));
			leaves += count;
		}
		kdiff_compare(kd, leaves);
		/*
		 * 6.12's arm_lpae_read_and_clear_dirty() bounds the range with
		 * "(iova + size - 1) & ~(BIT(cfg->ias) - 1)": a shift past the
		 * width of unsigned long where the IAS is 32 bits or more on a
		 * 32-bit kernel, so there it WARNs and refuses every range and
		 * the two cannot be cleaned alike.
		 */
		if (!cfg->dbm || kd->iop_cfg.ias >= BITS_PER_LONG)
			continue;
		for (k = 0; first + k != n; k++) {
			u64 va = ((k * 5 + 1) & (va_slots - 1)) << slot_lg2;

			kdiff_clean(kd, va,
				    (size_t)(1 + ((first + k) & 1)) << size_lg2);
		}
		kdiff_compare(kd, leaves);
	}
}

/*
 * A device for io-pgtable-arm's DMA API calls and a pair of empty tables;
 * a configuration too wide for this kernel's phys_addr_t, or incoherent
 * where the CPU cannot write tables back, is skipped.
 */
static struct kdiff *kdiff_setup(struct kunit *test)
{
	struct kdiff *kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, kd);
	kd->test = test;
	kd->cfg = test->param_value;
	/*
	 * arm_lpae_map_pages() checks paddr >> oas, which shifts by the
	 * whole width of a 32-bit phys_addr_t for a 32-bit OA and then
	 * refuses every map: io-pgtable-arm needs a wider phys_addr_t.
	 */
	if (kd->cfg->oas >= BITS_PER_TYPE(phys_addr_t))
		kunit_skip(test, "io-pgtable-arm needs phys_addr_t wider than a %u-bit OA",
			   kd->cfg->oas);
	kd->unit = &kdiff_units[(kd->cfg->granule_lg2 - 12) / 2];
	kd->dev = kunit_device_register(test, "kdiff");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, kd->dev);
	KUNIT_ASSERT_EQ(test, dma_coerce_mask_and_coherent(kd->dev,
							   DMA_BIT_MASK(64)),
			0);
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, kdiff_free_action, kd),
			0);
	kdiff_alloc(kd);
	return kd;
}

/* Each page size of io-pgtable-arm with every prot, after empty tables */
static void test_leaves_and_tables(struct kunit *test)
{
	struct kdiff *kd = kdiff_setup(test);
	unsigned long sizes;
	unsigned int size_lg2;

	/* Empty tables first: registers, and a top with nothing in it */
	kdiff_compare(kd, 0);

	sizes = kd->iop_cfg.pgsize_bitmap;
	KUNIT_EXPECT_EQ_MSG(test, kd->genpt.iommu.domain.pgsize_bitmap & sizes,
			    sizes, "genpt lacks a page size of io-pgtable-arm");
	for_each_set_bit(size_lg2, &sizes, BITS_PER_LONG) {
		kdiff_alloc(kd);
		kdiff_one_size(kd, size_lg2);
	}
}

/*
 * KDIFF_CONT: genpt's larger page sizes are exactly the contiguous runs of
 * io-pgtable-arm's; mapped as one run of items in both, they differ only in
 * the hint, which genpt sets on every item of the run.
 */
static void test_contiguous_runs(struct kunit *test)
{
	struct kdiff *kd = kdiff_setup(test);
	unsigned long extra;
	unsigned int run_lg2;

	extra = kd->genpt.iommu.domain.pgsize_bitmap &
		~kd->iop_cfg.pgsize_bitmap;
	for_each_set_bit(run_lg2, &extra, BITS_PER_LONG) {
		unsigned long below = kd->iop_cfg.pgsize_bitmap &
				      (BIT(run_lg2) - 1);
		unsigned int va_bits = kdiff_va_bits(kd->cfg);
		unsigned int pa_bits = min_t(unsigned int, kd->cfg->oas,
					     BITS_PER_TYPE(phys_addr_t));
		unsigned int item_lg2;
		unsigned int count;

		KUNIT_ASSERT_NE_MSG(test, below, 0,
				    "genpt page size %#llx below io-pgtable-arm's",
				    1ULL << run_lg2);
		item_lg2 = __fls(below);
		count = 1U << (run_lg2 - item_lg2);
		/*
		 * The Arm ARM's contiguous run lengths: 16 items with 4K,
		 * 128 pages or 32 blocks with 16K, 32 items with 64K.
		 */
		KUNIT_EXPECT_EQ_MSG(test, count,
				    kd->cfg->granule_lg2 == 12 ? 16 :
				    kd->cfg->granule_lg2 == 14 &&
						    item_lg2 == 14 ? 128 : 32,
				    "run of %#llx in items of %#llx",
				    1ULL << run_lg2, 1ULL << item_lg2);
		if (va_bits <= run_lg2 || pa_bits <= run_lg2)
			continue;
		kdiff_alloc(kd);
		/* In the top half of the VA and of the OA */
		kdiff_map(kd, 1UL << (va_bits - 1),
			  (phys_addr_t)1 << (pa_bits - 1), 1UL << item_lg2,
			  count, IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE);
		kd->cont_run = true;
		kdiff_compare(kd, count);
		kd->cont_run = false;
	}
}

static struct kunit_case kdiff_cases[] = {
	KUNIT_CASE_PARAM(test_leaves_and_tables, kdiff_gen_params),
	KUNIT_CASE_PARAM(test_contiguous_runs, kdiff_gen_params),
	{}
};

static struct kunit_suite kdiff_suite = {
	.name = "generic_pt_armv8_vs_io_pgtable_arm",
	.test_cases = kdiff_cases,
};

kunit_test_suites(&kdiff_suite);

MODULE_DESCRIPTION("Generic page table: the Arm format against io-pgtable-arm");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GENERIC_PT_IOMMU);
