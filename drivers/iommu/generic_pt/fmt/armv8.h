/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Arm VMSAv8-64 long descriptor page table, as the SMMU walks it for stage 1
 * and stage 2 with a 4 KiB, 16 KiB or 64 KiB granule.
 *
 * Each level translates granule_lg2 - 3 bits. Our level 0 is the
 * architecture's level 3, so our level n is Arm level 3 - n. The top table
 * is sized to the VA exactly; at stage 2 a top that would be Arm level 0 is
 * replaced by up to 16 concatenated tables one level down, as the SMMU
 * allows, to save a level of walk.
 *
 * Blocks exist at Arm levels 1 and 2 for the 4K granule, at Arm level 2 for
 * 16K and 64K, and at Arm level 1 for 64K with a 52-bit OA. The contiguous
 * hint makes a run of 16 (4K), 128 or 32 (16K) or 32 (64K) aligned items
 * one TLB entry; each item keeps its own OA.
 */
#ifndef __GENERIC_PT_FMT_ARMV8_H
#define __GENERIC_PT_FMT_ARMV8_H

#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/iommu.h>

#include "defs_armv8.h"
#include "../pt_defs.h"
#include "../pt_fmt_dump.h"

#define PT_MAX_TOP_LEVEL 3
#define ARMV8PT_MAX_CONCAT_LG2 4

static __always_inline unsigned int
armv8pt_granule_lg2(const struct pt_common *common)
{
	if (pt_feature(common, PT_FEAT_ARMV8_GRANULE_64K))
		return 16;
	if (pt_feature(common, PT_FEAT_ARMV8_GRANULE_16K))
		return 14;
	return 12;
}

static __always_inline unsigned int
armv8pt_table_item_lg2sz(const struct pt_state *pts)
{
	unsigned int granule_lg2 = armv8pt_granule_lg2(pts->range->common);

	return granule_lg2 + (granule_lg2 - PT_ITEM_WORD_LG2SZ) * pts->level;
}

#define pt_table_item_lg2sz armv8pt_table_item_lg2sz

/* The top table holds exactly the VA; concatenated tables add up to 4 bits */
static __always_inline unsigned int
armv8pt_num_items_lg2(const struct pt_state *pts)
{
	if (pts->level == pts->range->top_level)
		return pts->range->max_vasz_lg2 - armv8pt_table_item_lg2sz(pts);
	return armv8pt_granule_lg2(pts->range->common) - PT_ITEM_WORD_LG2SZ;
}

#define pt_num_items_lg2 armv8pt_num_items_lg2

/* lg2 of the items in a contiguous run at this level, 0 if there is none */
static __always_inline unsigned int
armv8pt_contig_lg2(const struct pt_state *pts)
{
	switch (armv8pt_granule_lg2(pts->range->common)) {
	case 12:
		return pts->level <= 2 ? 4 : 0;
	case 14:
		return pts->level == 0 ? 7 : pts->level == 1 ? 5 : 0;
	default:
		return pts->level <= 1 ? 5 : 0;
	}
}

static __always_inline bool armv8pt_level_has_leaf(const struct pt_state *pts)
{
	switch (armv8pt_granule_lg2(pts->range->common)) {
	case 12:
		return pts->level <= 2;
	case 14:
		return pts->level <= 1;
	default:
		/* The 4 TiB block needs FEAT_LPA */
		return pts->level <= 1 ||
		       (pts->level == 2 &&
			pts->range->common->max_oasz_lg2 > 48);
	}
}

static __always_inline u64 armv8pt_possible_sizes(const struct pt_state *pts)
{
	unsigned int item_lg2 = armv8pt_table_item_lg2sz(pts);
	unsigned int contig_lg2 = armv8pt_contig_lg2(pts);

	if (!armv8pt_level_has_leaf(pts))
		return 0;
	if (!contig_lg2)
		return BIT_ULL(item_lg2);
	return BIT_ULL(item_lg2) | BIT_ULL(item_lg2 + contig_lg2);
}

#define pt_possible_sizes armv8pt_possible_sizes

static __always_inline bool armv8pt_oa52(const struct pt_state *pts)
{
	return armv8pt_granule_lg2(pts->range->common) == 16;
}

static __always_inline u64 armv8pt_oa_to_field(const struct pt_state *pts,
					       pt_oaddr_t oa)
{
	u64 field = oa & ARMV8PT_FMT_OA48;

	if (armv8pt_oa52(pts))
		field = (field & ~ARMV8PT_FMT_OA52_HI) |
			FIELD_PREP(ARMV8PT_FMT_OA52_HI, (u64)oa >> 48);
	return field;
}

static __always_inline pt_oaddr_t
armv8pt_field_to_oa(const struct pt_state *pts,
		    u64 entry)
{
	u64 oa = entry & ARMV8PT_FMT_OA48;

	if (armv8pt_oa52(pts))
		oa = (oa & ~ARMV8PT_FMT_OA52_HI) |
		     (FIELD_GET(ARMV8PT_FMT_OA52_HI, entry) << 48);
	return oa;
}

static __always_inline enum pt_entry_type
armv8pt_load_entry_raw(struct pt_state *pts)
{
	u64 entry = pt_read_item(pts, pts->index);

	pts->entry = entry;
	if (!(entry & ARMV8PT_FMT_VALID))
		return PT_ENTRY_EMPTY;
	if (pts->level != 0 && (entry & ARMV8PT_FMT_TABLE))
		return PT_ENTRY_TABLE;
	return PT_ENTRY_OA;
}

#define pt_load_entry_raw armv8pt_load_entry_raw

static __always_inline unsigned int
armv8pt_entry_num_contig_lg2(const struct pt_state *pts)
{
	if (!(pts->entry & ARMV8PT_FMT_CONT))
		return 0;
	return armv8pt_contig_lg2(pts);
}

#define pt_entry_num_contig_lg2 armv8pt_entry_num_contig_lg2

static __always_inline pt_oaddr_t armv8pt_entry_oa(const struct pt_state *pts)
{
	/* Each item of a run holds its own OA; the run starts aligned */
	return oalog2_set_mod(armv8pt_field_to_oa(pts, pts->entry), 0,
			      armv8pt_table_item_lg2sz(pts) +
				      armv8pt_entry_num_contig_lg2(pts));
}

#define pt_entry_oa armv8pt_entry_oa

static __always_inline pt_oaddr_t armv8pt_table_pa(const struct pt_state *pts)
{
	return armv8pt_field_to_oa(pts, pts->entry);
}

#define pt_table_pa armv8pt_table_pa

static __always_inline void
armv8pt_install_leaf_entry(struct pt_state *pts, pt_oaddr_t oa,
			   unsigned int oasz_lg2,
			   const struct pt_write_attrs *attrs)
{
	unsigned int item_lg2 = armv8pt_table_item_lg2sz(pts);
	unsigned int contig_lg2 = oasz_lg2 - item_lg2;
	u64 entry = ARMV8PT_FMT_VALID | attrs->descriptor_bits;
	unsigned int i;

	if (pts->level == 0)
		entry |= ARMV8PT_FMT_TABLE;
	if (contig_lg2)
		entry |= ARMV8PT_FMT_CONT;
	if (!armv8pt_oa52(pts)) {
		/* The OA is in place: each item is the one before plus its size */
		pt_write_items(pts, pts->index,
			       log2_to_int_t(unsigned int, contig_lg2),
			       entry | armv8pt_oa_to_field(pts, oa),
			       BIT_ULL(item_lg2));
		return;
	}
	for (i = 0; i != log2_to_int_t(unsigned int, contig_lg2); i++) {
		pt_oaddr_t item_oa = oa + oalog2_mul(i, item_lg2);

		pt_write_item(pts, pts->index + i,
			      entry | armv8pt_oa_to_field(pts, item_oa));
	}
}

#define pt_install_leaf_entry armv8pt_install_leaf_entry

/*
 * Every item, of a contiguous run too, holds its own OA in place, except
 * that a 52-bit OA keeps bits 51:48 low in the item: crossing 2^48 would
 * not carry into them.
 */
static __always_inline u64
armv8pt_leaf_item_step(const struct pt_state *pts, unsigned int oasz_lg2)
{
	if (armv8pt_oa52(pts))
		return 0;
	return BIT_ULL(armv8pt_table_item_lg2sz(pts));
}

#define pt_leaf_item_step armv8pt_leaf_item_step

static __always_inline bool
armv8pt_install_table(struct pt_state *pts,
		      pt_oaddr_t table_pa,
		      const struct pt_write_attrs *attrs)
{
	u64 entry = ARMV8PT_FMT_VALID | ARMV8PT_FMT_TABLE |
		    armv8pt_oa_to_field(pts, table_pa);

	/*
	 * A secure SMMU would otherwise fetch the next table from the
	 * secure address space, whatever NS the leaves have.
	 */
	if (pts_feature(pts, PT_FEAT_ARMV8_NS))
		entry |= ARMV8PT_FMT_NSTABLE;
	return pt_cmpxchg_item(pts, pts->index, pts->entry, entry);
}

#define pt_install_table armv8pt_install_table

static inline void armv8pt_attr_from_entry(const struct pt_state *pts,
					   struct pt_write_attrs *attrs)
{
	attrs->descriptor_bits = pts->entry & ARMV8PT_FMT_ATTRS;
}

#define pt_attr_from_entry armv8pt_attr_from_entry

/*
 * What the dump calls the leaf bits and the features. Bits 7:6 are AP[2:1]
 * at stage 1 and S2AP at stage 2, bits 5:2 NS and AttrIndx or MemAttr, and
 * bits 54:53 PXN and UXN or XN[1:0].
 */
static inline const struct pt_dump_attr *
armv8pt_dump_attrs(const struct pt_common *common, unsigned int *num)
{
	static const struct pt_dump_attr s1[] = {
		{ GENMASK_ULL(7, 6), "AP" },
		{ GENMASK_ULL(54, 53), "XN" },
		{ ARMV8PT_FMT_AF, "AF" },
		{ ARMV8PT_FMT_SH, "SH" },
		{ ARMV8PT_FMT_ATTRINDX, "ATTR" },
		{ ARMV8PT_FMT_NS, "NS" },
		{ ARMV8PT_FMT_NG, "nG" },
		{ ARMV8PT_FMT_CONT, "CONT" },
		{ ARMV8PT_FMT_DBM, "DBM" },
	};
	static const struct pt_dump_attr s2[] = {
		{ GENMASK_ULL(7, 6), "S2AP" },
		{ ARMV8PT_FMT_S2_XN, "XN" },
		{ ARMV8PT_FMT_AF, "AF" },
		{ ARMV8PT_FMT_SH, "SH" },
		{ ARMV8PT_FMT_S2_MEMATTR, "MEMATTR" },
		{ ARMV8PT_FMT_CONT, "CONT" },
		{ ARMV8PT_FMT_DBM, "DBM" },
	};

	if (pt_feature(common, PT_FEAT_ARMV8_S2)) {
		*num = ARRAY_SIZE(s2);
		return s2;
	}
	*num = ARRAY_SIZE(s1);
	return s1;
}

#define pt_dump_attrs armv8pt_dump_attrs

static inline const struct pt_dump_attr *
armv8pt_dump_features(unsigned int *num)
{
	static const struct pt_dump_attr features[] = {
		{ BIT(PT_FEAT_ARMV8_GRANULE_16K), "granule_16k" },
		{ BIT(PT_FEAT_ARMV8_GRANULE_64K), "granule_64k" },
		{ BIT(PT_FEAT_ARMV8_S2), "s2" },
		{ BIT(PT_FEAT_ARMV8_DBM), "dbm" },
		{ BIT(PT_FEAT_ARMV8_NS), "ns" },
	};

	*num = ARRAY_SIZE(features);
	return features;
}

#define pt_dump_features armv8pt_dump_features

static __always_inline u64 armv8pt_sw_flush_bit(const struct pt_state *pts)
{
	return ARMV8PT_FMT_SW_FLUSHED;
}

#define pt_sw_flush_bit armv8pt_sw_flush_bit

/*
 * DBM dirty state. Bit 7 is the write permission the SMMU changes when it
 * writes through a DBM leaf: at stage 1 it is AP[2] (read-only), which the
 * SMMU clears; at stage 2 it is S2AP[1] (write), which the SMMU sets. So a
 * dirty leaf has bit 7 clear at stage 1 and set at stage 2.
 */
static inline bool armv8pt_item_is_dirty(const struct pt_state *pts, u64 item)
{
	if (!(item & ARMV8PT_FMT_DBM))
		return false;
	if (pts_feature(pts, PT_FEAT_ARMV8_S2))
		return item & ARMV8PT_FMT_S2AP_W;
	return !(item & ARMV8PT_FMT_AP_RDONLY);
}

static inline void armv8pt_set_item_dirty(struct pt_state *pts,
					  unsigned int index, bool dirty)
{
	bool set_bit7 = pts_feature(pts, PT_FEAT_ARMV8_S2) == dirty;

	if (set_bit7)
		pt_update_item(pts, index, 0, ARMV8PT_FMT_AP_RDONLY);
	else
		pt_update_item(pts, index, ARMV8PT_FMT_AP_RDONLY, 0);
}

static inline bool armv8pt_entry_write_is_dirty(const struct pt_state *pts)
{
	unsigned int contig_lg2 = armv8pt_entry_num_contig_lg2(pts);
	unsigned int first = log2_set_mod_t(unsigned int, pts->index, 0,
					    contig_lg2);
	unsigned int i;

	/* The SMMU may update any one item of a contiguous run */
	for (i = 0; i != log2_to_int_t(unsigned int, contig_lg2); i++)
		if (armv8pt_item_is_dirty(pts, pt_read_item(pts, first + i)))
			return true;
	return false;
}

#define pt_entry_write_is_dirty armv8pt_entry_write_is_dirty

static inline void armv8pt_entry_make_write_clean(struct pt_state *pts)
{
	unsigned int contig_lg2 = armv8pt_entry_num_contig_lg2(pts);
	unsigned int first = log2_set_mod_t(unsigned int, pts->index, 0,
					    contig_lg2);
	unsigned int i;

	for (i = 0; i != log2_to_int_t(unsigned int, contig_lg2); i++)
		if (pt_read_item(pts, first + i) & ARMV8PT_FMT_DBM)
			armv8pt_set_item_dirty(pts, first + i, false);
}

#define pt_entry_make_write_clean armv8pt_entry_make_write_clean

static inline bool armv8pt_entry_make_write_dirty(struct pt_state *pts)
{
	if (!(pts->entry & ARMV8PT_FMT_DBM))
		return false;
	armv8pt_set_item_dirty(pts, pts->index, true);
	return true;
}

#define pt_entry_make_write_dirty armv8pt_entry_make_write_dirty

static inline u64 armv8pt_s1_prot(const struct pt_common *common,
				  unsigned int iommu_prot)
{
	/*
	 * Not global: the SMMU tags the TLB entry with the ASID, so that
	 * invalidating one ASID cannot leave another domain's entry behind.
	 */
	u64 bits = ARMV8PT_FMT_AF | ARMV8PT_FMT_NG;

	if (!(iommu_prot & IOMMU_PRIV))
		bits |= ARMV8PT_FMT_AP_UNPRIV;
	if (!(iommu_prot & IOMMU_WRITE))
		bits |= ARMV8PT_FMT_AP_RDONLY;
	else if (pt_feature(common, PT_FEAT_ARMV8_DBM))
		bits |= ARMV8PT_FMT_DBM;
	if (iommu_prot & IOMMU_MMIO)
		bits |= FIELD_PREP(ARMV8PT_FMT_ATTRINDX, ARMV8PT_MAIR_IDX_DEV);
	else if (iommu_prot & IOMMU_CACHE)
		bits |= FIELD_PREP(ARMV8PT_FMT_ATTRINDX,
				   ARMV8PT_MAIR_IDX_CACHE);
	else
		bits |= FIELD_PREP(ARMV8PT_FMT_ATTRINDX, ARMV8PT_MAIR_IDX_NC);
	if (iommu_prot & IOMMU_NOEXEC)
		bits |= ARMV8PT_FMT_PXN | ARMV8PT_FMT_UXN;
	if (pt_feature(common, PT_FEAT_ARMV8_NS))
		bits |= ARMV8PT_FMT_NS;
	return bits;
}

static inline u64 armv8pt_s2_prot(const struct pt_common *common,
				  unsigned int iommu_prot)
{
	u64 bits = ARMV8PT_FMT_AF;

	if (iommu_prot & IOMMU_READ)
		bits |= ARMV8PT_FMT_S2AP_R;
	if (iommu_prot & IOMMU_WRITE) {
		bits |= ARMV8PT_FMT_S2AP_W;
		if (pt_feature(common, PT_FEAT_ARMV8_DBM))
			bits |= ARMV8PT_FMT_DBM;
	}
	if (iommu_prot & IOMMU_MMIO)
		bits |= FIELD_PREP(ARMV8PT_FMT_S2_MEMATTR,
				   ARMV8PT_S2_MEMATTR_DEV);
	else if (iommu_prot & IOMMU_CACHE)
		bits |= FIELD_PREP(ARMV8PT_FMT_S2_MEMATTR,
				   ARMV8PT_S2_MEMATTR_WB);
	else
		bits |= FIELD_PREP(ARMV8PT_FMT_S2_MEMATTR,
				   ARMV8PT_S2_MEMATTR_NC);
	if (iommu_prot & IOMMU_NOEXEC)
		bits |= FIELD_PREP(ARMV8PT_FMT_S2_XN, ARMV8PT_S2_XN_ALL);
	return bits;
}

/**
 * armv8pt_iommu_set_prot() - Encode IOMMU_* protection for Arm leaves
 * @common: The table
 * @attrs: Output
 * @iommu_prot: IOMMU_READ, IOMMU_WRITE, ...
 *
 * Stage 1 cannot express write-only, so a writable leaf is also readable,
 * and every stage 1 leaf is not global (nG). Memory types use the MAIR
 * indexes ARMV8PT_MAIR_IDX_* at stage 1 and the MemAttr encodings at stage
 * 2. With %PT_FEAT_ARMV8_DBM a writable leaf starts dirty, as the SMMU
 * would leave it after a write. The bits are those 6.12's io-pgtable-arm
 * writes, but for XN at stage 2 (see generic_pt.rst).
 *
 * Return: 0, or -EINVAL if the leaf would allow no access
 */
static inline int armv8pt_iommu_set_prot(const struct pt_common *common,
					 struct pt_write_attrs *attrs,
					 unsigned int iommu_prot)
{
	u64 bits;

	if (!(iommu_prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (pt_feature(common, PT_FEAT_ARMV8_S2))
		bits = armv8pt_s2_prot(common, iommu_prot);
	else
		bits = armv8pt_s1_prot(common, iommu_prot);
	if (iommu_prot & IOMMU_CACHE)
		bits |= FIELD_PREP(ARMV8PT_FMT_SH, ARMV8PT_SH_IS);
	else
		bits |= FIELD_PREP(ARMV8PT_FMT_SH, ARMV8PT_SH_OS);
	attrs->descriptor_bits = bits;
	return 0;
}

#define pt_iommu_set_prot armv8pt_iommu_set_prot

/**
 * armv8pt_fmt_init() - Check and complete the geometry of a table
 * @common: max_vasz_lg2 (the input address size), max_oasz_lg2 and
 *     features (granule, stage) set by the caller
 * @top_level: The expected top level, or -1 to accept the computed one
 *
 * The top level follows from the granule and the VA: the fewest levels that
 * translate the VA, less one at stage 2 when the top would be Arm level 0
 * and 16 or fewer concatenated tables can replace it.
 *
 * Return: the top level, -EINVAL for a geometry the format cannot have or
 * NS at stage 2, -EOPNOTSUPP for DBM with an incoherent walker
 */
static inline int armv8pt_fmt_init(struct pt_common *common, int top_level)
{
	unsigned int granule_lg2 = armv8pt_granule_lg2(common);
	unsigned int bits_lg2 = granule_lg2 - PT_ITEM_WORD_LG2SZ;
	unsigned int max_lg2 = granule_lg2 == 16 ? 52 : 48;
	unsigned int vasz_lg2 = common->max_vasz_lg2;
	int top;

	if (pt_feature(common, PT_FEAT_ARMV8_GRANULE_16K) &&
	    pt_feature(common, PT_FEAT_ARMV8_GRANULE_64K))
		return -EINVAL;
	if (vasz_lg2 < 25 || vasz_lg2 > max_lg2 ||
	    common->max_oasz_lg2 < 32 || common->max_oasz_lg2 > max_lg2)
		return -EINVAL;
	if (pt_feature(common, PT_FEAT_ARMV8_S2) &&
	    pt_feature(common, PT_FEAT_ARMV8_NS))
		return -EINVAL;
	/*
	 * The SMMU writes dirty state into table memory the CPU reads
	 * through its cache; without coherent walks it would never see it.
	 */
	if (pt_feature(common, PT_FEAT_ARMV8_DBM) &&
	    pt_feature(common, PT_FEAT_DMA_INCOHERENT))
		return -EOPNOTSUPP;
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND) ||
	    pt_feature(common, PT_FEAT_DYNAMIC_TOP))
		return -EOPNOTSUPP;

	top = DIV_ROUND_UP(vasz_lg2 - granule_lg2, bits_lg2) - 1;
	if (pt_feature(common, PT_FEAT_ARMV8_S2) && top == 3 &&
	    vasz_lg2 - (granule_lg2 + bits_lg2 * 2) <=
		    bits_lg2 + ARMV8PT_MAX_CONCAT_LG2)
		top = 2;
	if (top_level >= 0 && top_level != top)
		return -EINVAL;
	return top;
}

#define pt_fmt_init armv8pt_fmt_init

#ifdef GENERIC_PT_KUNIT
/*
 * Every VA width of every granule at both stages. The top levels are the
 * Arm ARM's starting levels for each input size (T0SZ), and at stage 2 the
 * concatenated start level the SMMU allows instead of level 0.
 */
#define ARMV8PT_K4K_S1 BIT(PT_FEAT_ARMV8_DBM)
#define ARMV8PT_K4K_S2 (BIT(PT_FEAT_ARMV8_S2) | BIT(PT_FEAT_ARMV8_DBM))
#define ARMV8PT_K16K_S1 (BIT(PT_FEAT_ARMV8_GRANULE_16K) | ARMV8PT_K4K_S1)
#define ARMV8PT_K16K_S2 (BIT(PT_FEAT_ARMV8_GRANULE_16K) | ARMV8PT_K4K_S2)
#define ARMV8PT_K64K_S1 (BIT(PT_FEAT_ARMV8_GRANULE_64K) | ARMV8PT_K4K_S1)
#define ARMV8PT_K64K_S2 (BIT(PT_FEAT_ARMV8_GRANULE_64K) | ARMV8PT_K4K_S2)

#define ARMV8PT_KCFG(_features, _granule, _oa, _va, _top)                \
	{                                                                  \
		.features = _features, .granule_lg2 = _granule,            \
		.oasz_lg2 = _oa, .vasz_lg2 = _va, .top_level = _top,       \
	}

static const struct pt_kunit_fmt_cfg pt_kunit_fmt_cfgs[] = {
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 25, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 26, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 27, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 28, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 29, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 30, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 31, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 32, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 33, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 34, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 35, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 36, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 37, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 38, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 39, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 40, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 41, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 42, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 43, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 44, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 45, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 46, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 47, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S1, 12, 48, 48, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 25, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 26, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 27, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 28, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 29, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 30, 1),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 31, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 32, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 33, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 34, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 35, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 36, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 37, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 38, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 39, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 40, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 41, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 42, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 43, 2),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 44, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 45, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 46, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 47, 3),
	ARMV8PT_KCFG(ARMV8PT_K4K_S2, 12, 48, 48, 3),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 25, 0),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 26, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 27, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 28, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 29, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 30, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 31, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 32, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 33, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 34, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 35, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 36, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 37, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 38, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 39, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 40, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 41, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 42, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 43, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 44, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 45, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 46, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 47, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S1, 14, 48, 48, 3),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 25, 0),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 26, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 27, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 28, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 29, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 30, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 31, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 32, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 33, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 34, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 35, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 36, 1),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 37, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 38, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 39, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 40, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 41, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 42, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 43, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 44, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 45, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 46, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 47, 2),
	ARMV8PT_KCFG(ARMV8PT_K16K_S2, 14, 48, 48, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 25, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 26, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 27, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 28, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 29, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 30, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 31, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 32, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 33, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 34, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 35, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 36, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 37, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 38, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 39, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 40, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 41, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 42, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 43, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 44, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 45, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 46, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 47, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 48, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 49, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 50, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 51, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S1, 16, 52, 52, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 25, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 26, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 27, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 28, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 29, 0),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 30, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 31, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 32, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 33, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 34, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 35, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 36, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 37, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 38, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 39, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 40, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 41, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 42, 1),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 43, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 44, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 45, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 46, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 47, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 48, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 49, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 50, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 51, 2),
	ARMV8PT_KCFG(ARMV8PT_K64K_S2, 16, 52, 52, 2),
	{
		.name = "64k,s1,va48,oa48",
		.features = BIT(PT_FEAT_ARMV8_GRANULE_64K),
		.top_level = 2, .vasz_lg2 = 48, .oasz_lg2 = 48,
		.granule_lg2 = 16,
	},
	{
		.name = "4k,s1,va39,oa40,ns,incoherent,nodbm",
		.features = BIT(PT_FEAT_ARMV8_NS) |
			    BIT(PT_FEAT_DMA_INCOHERENT),
		.top_level = 2, .vasz_lg2 = 39, .oasz_lg2 = 40,
		.granule_lg2 = 12,
	},
	{
		.name = "16k,s2,va40,oa44,incoherent",
		.features = BIT(PT_FEAT_ARMV8_GRANULE_16K) |
			    BIT(PT_FEAT_ARMV8_S2) | BIT(PT_FEAT_DMA_INCOHERENT),
		.top_level = 2, .vasz_lg2 = 40, .oasz_lg2 = 44,
		.granule_lg2 = 14,
	},
};

#define ARMV8PT_KRW (IOMMU_READ | IOMMU_WRITE)
#define ARMV8PT_KNS (BIT(PT_FEAT_ARMV8_NS) | BIT(PT_FEAT_DMA_INCOHERENT))
/*
 * Every stage 1 leaf has nG (bit 11): the SMMU tags its TLB entries with the
 * ASID only then, and 6.12's arm_lpae_prot_to_pte() sets it on every stage 1
 * leaf. With NS, table descriptors carry NSTable (bit 63) as leaves carry NS,
 * as arm_lpae_install_table() does for IO_PGTABLE_QUIRK_ARM_NS.
 */
static const struct pt_kunit_fmt_vector pt_kunit_fmt_vectors[] __maybe_unused = {
	/* Page: AttrIndx 1, AP unprivileged, SH inner, AF, nG, DBM */
	{ .features = ARMV8PT_K4K_S1, .level = 0, .oasz_lg2 = 12,
	  .prot = ARMV8PT_KRW | IOMMU_CACHE, .oa = 0x12345000,
	  .expect = 0x0008000012345f47ULL },
	/* Block: AP read-only, SH outer */
	{ .features = ARMV8PT_K4K_S1, .level = 1, .oasz_lg2 = 21,
	  .prot = IOMMU_READ, .oa = 0x40000000,
	  .expect = 0x0000000040000ec1ULL },
	/* 16 pages with the contiguous hint */
	{ .features = ARMV8PT_K4K_S1, .level = 0, .oasz_lg2 = 16,
	  .prot = ARMV8PT_KRW, .oa = 0x10000,
	  .expect = 0x0018000000010e43ULL },
	/* Privileged, PXN and UXN */
	{ .features = ARMV8PT_K4K_S1, .level = 2, .oasz_lg2 = 30,
	  .prot = IOMMU_READ | IOMMU_NOEXEC | IOMMU_PRIV, .oa = 0x40000000,
	  .expect = 0x0060000040000e81ULL },
	/* Device memory, AttrIndx 2, contiguous blocks */
	{ .features = ARMV8PT_K4K_S1, .level = 1, .oasz_lg2 = 25,
	  .prot = IOMMU_READ | IOMMU_MMIO, .oa = 0x2000000,
	  .expect = 0x0010000002000ec9ULL },
	{ .features = ARMV8PT_K4K_S1, .level = 1, .expect = 0x3 },
	/* Stage 2: MemAttr 0xf, S2AP RW, SH inner, AF, DBM */
	{ .features = ARMV8PT_K4K_S2, .level = 0, .oasz_lg2 = 12,
	  .prot = ARMV8PT_KRW | IOMMU_CACHE, .oa = 0x12345000,
	  .expect = 0x00080000123457ffULL },
	/* Stage 2: MemAttr 0x5, S2AP R, XN 0b10 */
	{ .features = ARMV8PT_K4K_S2, .level = 1, .oasz_lg2 = 21,
	  .prot = IOMMU_READ | IOMMU_NOEXEC, .oa = 0x40000000,
	  .expect = 0x0040000040000655ULL },
	/* 64K granule, 52-bit OA: OA[51:48] in bits 15:12 */
	{ .features = ARMV8PT_K64K_S1, .level = 0, .oasz_lg2 = 16,
	  .prot = ARMV8PT_KRW, .oa = 0x000f000000010000ULL,
	  .expect = 0x000800000001fe43ULL },
	{ .features = ARMV8PT_K64K_S1, .level = 1, .oasz_lg2 = 29,
	  .prot = IOMMU_READ, .oa = 0x20000000,
	  .expect = 0x0000000020000ec1ULL },
	/* The 4 TiB block of FEAT_LPA */
	{ .features = ARMV8PT_K64K_S1, .level = 2, .oasz_lg2 = 42,
	  .prot = IOMMU_READ, .oa = 0x40000000000ULL,
	  .expect = 0x0000040000000ec1ULL },
	/* 16K granule: page, and 128 contiguous pages */
	{ .features = ARMV8PT_K16K_S1, .level = 0, .oasz_lg2 = 14,
	  .prot = ARMV8PT_KRW, .oa = 0x4000,
	  .expect = 0x0008000000004e43ULL },
	{ .features = ARMV8PT_K16K_S1, .level = 0, .oasz_lg2 = 21,
	  .prot = IOMMU_READ, .oa = 0x200000,
	  .expect = 0x0010000000200ec3ULL },
	/* NS: NSTable in a table, NS and nG in a leaf */
	{ .features = ARMV8PT_KNS, .level = 1,
	  .expect = 0x8000000000000003ULL },
	{ .features = ARMV8PT_KNS, .level = 0, .oasz_lg2 = 12,
	  .prot = ARMV8PT_KRW | IOMMU_CACHE, .oa = 0x12345000,
	  .expect = 0x0000000012345f67ULL },
};
#endif

#endif
