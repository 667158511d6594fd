/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 page table: 4 or 5 levels of 9 bits over a 4 KiB granule, as many
 * as the hardware walks. With PT_FEAT_SIGN_EXTEND the VA is the whole
 * canonical space of the walk, 48 or 57 bits sign extended, so the top
 * table's lower half maps the low addresses and its upper half the high
 * ones. Without it the VA is the low addresses only, as wide as the driver
 * asks up to 47 or 56 bits: a VT-d first stage whose MGAW is narrower than
 * the walk. Leaves are 4 KiB at level 0 and, with PS, 2 MiB at level 1 and
 * 1 GiB at level 2.
 */
#ifndef __GENERIC_PT_FMT_X86_64_H
#define __GENERIC_PT_FMT_X86_64_H

#include <linux/errno.h>
#include <linux/iommu.h>

#include "defs_x86_64.h"
#include "x86_sme.h"
#include "../pt_defs.h"
#include "../pt_fmt_dump.h"

#define PT_MAX_TOP_LEVEL 4
#define X86_64PT_GRANULE_LG2SZ 12
#define X86_64PT_ITEMS_LG2 9

static __always_inline unsigned int
x86_64pt_table_item_lg2sz(const struct pt_state *pts)
{
	return X86_64PT_GRANULE_LG2SZ + X86_64PT_ITEMS_LG2 * pts->level;
}

#define pt_table_item_lg2sz x86_64pt_table_item_lg2sz

static __always_inline unsigned int
x86_64pt_num_items_lg2(const struct pt_state *pts)
{
	return X86_64PT_ITEMS_LG2;
}

#define pt_num_items_lg2 x86_64pt_num_items_lg2

static __always_inline u64 x86_64pt_possible_sizes(const struct pt_state *pts)
{
	if (pts->level > 2)
		return 0;
	return BIT_ULL(x86_64pt_table_item_lg2sz(pts));
}

#define pt_possible_sizes x86_64pt_possible_sizes

static __always_inline enum pt_entry_type
x86_64pt_load_entry_raw(struct pt_state *pts)
{
	u64 entry = pt_read_item(pts, pts->index);

	pts->entry = entry;
	if (!(entry & X86_64_FMT_P))
		return PT_ENTRY_EMPTY;
	if (pts->level == 0 || (entry & X86_64_FMT_PS))
		return PT_ENTRY_OA;
	return PT_ENTRY_TABLE;
}

#define pt_load_entry_raw x86_64pt_load_entry_raw

/* The OA field without the C-bit, see x86_64pt_fmt_init() */
static __always_inline pt_oaddr_t x86_64pt_entry_oa(const struct pt_state *pts)
{
	/* Bit 12 of a large leaf is PAT, not address */
	return oalog2_set_mod(pts->entry & pts->range->common->entry_oa_mask,
			      0, x86_64pt_table_item_lg2sz(pts));
}

#define pt_entry_oa x86_64pt_entry_oa

static __always_inline pt_oaddr_t x86_64pt_table_pa(const struct pt_state *pts)
{
	return pts->entry & pts->range->common->entry_oa_mask;
}

#define pt_table_pa x86_64pt_table_pa

static __always_inline void
x86_64pt_install_leaf_entry(struct pt_state *pts, pt_oaddr_t oa,
			    unsigned int oasz_lg2,
			    const struct pt_write_attrs *attrs)
{
	/* A is preset so the walker never has to write it */
	u64 entry = X86_64_FMT_P | X86_64_FMT_A | attrs->descriptor_bits |
		    (oa & X86_64_FMT_OA);

	if (pts->level != 0)
		entry |= X86_64_FMT_PS;
	pt_write_item(pts, pts->index, entry);
}

#define pt_install_leaf_entry x86_64pt_install_leaf_entry

/* Leaves are single items with the OA in place: the next is one size on */
static __always_inline u64
x86_64pt_leaf_item_step(const struct pt_state *pts, unsigned int oasz_lg2)
{
	return BIT_ULL(oasz_lg2);
}

#define pt_leaf_item_step x86_64pt_leaf_item_step

static __always_inline bool
x86_64pt_install_table(struct pt_state *pts,
		       pt_oaddr_t table_pa,
		       const struct pt_write_attrs *attrs)
{
	u64 entry = X86_64_FMT_P | X86_64_FMT_RW | X86_64_FMT_U |
		    X86_64_FMT_A | (table_pa & X86_64_FMT_OA);

	if (pts_feature(pts, PT_FEAT_X86_64_AMD_ENCRYPT_TABLES))
		entry |= pt_sme_mask();
	return pt_cmpxchg_item(pts, pts->index, pts->entry, entry);
}

#define pt_install_table x86_64pt_install_table

static inline void x86_64pt_attr_from_entry(const struct pt_state *pts,
					    struct pt_write_attrs *attrs)
{
	u64 mask = X86_64_FMT_ATTRS;

	if (pts_feature(pts, PT_FEAT_X86_64_AMD_ENCRYPT_TABLES))
		mask |= pt_sme_mask();
	attrs->descriptor_bits = pts->entry & mask;
}

#define pt_attr_from_entry x86_64pt_attr_from_entry

/* What the dump calls the leaf bits and the features */
static inline const struct pt_dump_attr *
x86_64pt_dump_attrs(const struct pt_common *common, unsigned int *num)
{
	static const struct pt_dump_attr attrs[] = {
		{ X86_64_FMT_RW, "RW" },
		{ X86_64_FMT_U, "U" },
		{ X86_64_FMT_PWT, "PWT" },
		{ X86_64_FMT_PCD, "PCD" },
		{ X86_64_FMT_A, "A" },
		{ X86_64_FMT_D, "D" },
		{ X86_64_FMT_XD, "XD" },
	};

	*num = ARRAY_SIZE(attrs);
	return attrs;
}

#define pt_dump_attrs x86_64pt_dump_attrs

static inline const struct pt_dump_attr *
x86_64pt_dump_features(unsigned int *num)
{
	static const struct pt_dump_attr features[] = {
		{ BIT(PT_FEAT_X86_64_AMD_ENCRYPT_TABLES), "sme" },
	};

	*num = ARRAY_SIZE(features);
	return features;
}

#define pt_dump_features x86_64pt_dump_features

static __always_inline u64 x86_64pt_sw_flush_bit(const struct pt_state *pts)
{
	return X86_64_FMT_SW_FLUSHED;
}

#define pt_sw_flush_bit x86_64pt_sw_flush_bit

static inline bool x86_64pt_entry_write_is_dirty(const struct pt_state *pts)
{
	return pt_read_item(pts, pts->index) & X86_64_FMT_D;
}

#define pt_entry_write_is_dirty x86_64pt_entry_write_is_dirty

static inline void x86_64pt_entry_make_write_clean(struct pt_state *pts)
{
	pt_update_item(pts, pts->index, X86_64_FMT_D, 0);
}

#define pt_entry_make_write_clean x86_64pt_entry_make_write_clean

/* What the walker does on a write, which it allows only through RW */
static inline bool x86_64pt_entry_make_write_dirty(struct pt_state *pts)
{
	if (!(pts->entry & X86_64_FMT_RW))
		return false;
	pt_update_item(pts, pts->index, 0, X86_64_FMT_D);
	return true;
}

#define pt_entry_make_write_dirty x86_64pt_entry_make_write_dirty

/**
 * x86_64pt_iommu_set_prot() - Encode IOMMU_* protection for x86-64 leaves
 * @common: The table
 * @attrs: Output
 * @iommu_prot: IOMMU_READ, IOMMU_WRITE, ...
 *
 * The leaf is what 6.12's VT-d first stage and AMD v2 code write: only
 * IOMMU_READ and IOMMU_WRITE count. The format cannot express write-only,
 * so any access makes the leaf readable. U is always set, as both drivers
 * set it, so that requests at user privilege can use every leaf; IOMMU_PRIV
 * does not clear it. A writable leaf starts dirty, as both write it, so the
 * walker never has to set D: RW comes with D.
 *
 * Return: 0, or -EINVAL if the leaf would allow no access
 */
static inline int x86_64pt_iommu_set_prot(const struct pt_common *common,
					  struct pt_write_attrs *attrs,
					  unsigned int iommu_prot)
{
	u64 bits = X86_64_FMT_U;

	if (!(iommu_prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (iommu_prot & IOMMU_WRITE)
		bits |= X86_64_FMT_RW | X86_64_FMT_D;
	if (pt_feature(common, PT_FEAT_X86_64_AMD_ENCRYPT_TABLES))
		bits |= pt_sme_mask();
	attrs->descriptor_bits = bits;
	return 0;
}

#define pt_iommu_set_prot x86_64pt_iommu_set_prot

/**
 * x86_64pt_fmt_init() - Check and complete the geometry of a table
 * @common: max_vasz_lg2, max_oasz_lg2 and features set by the caller
 * @top_level: 3 for a 4 level walk, 4 for a 5 level walk
 *
 * With %PT_FEAT_SIGN_EXTEND the VA is the whole walk, 48 or 57 bits, and
 * max_vasz_lg2 must reach it. Without, max_vasz_lg2 is narrowed to the
 * lower half of the walk, where every address is canonical. With
 * %PT_FEAT_X86_64_AMD_ENCRYPT_TABLES the OA stays below the C-bit and
 * entry_oa_mask leaves it out, so that every decode strips it without
 * testing the feature.
 *
 * Return: the top level or a negative errno
 */
static inline int x86_64pt_fmt_init(struct pt_common *common, int top_level)
{
	unsigned int span_lg2;

	common->entry_oa_mask = X86_64_FMT_OA;
	if (pt_feature(common, PT_FEAT_X86_64_AMD_ENCRYPT_TABLES))
		common->entry_oa_mask &= ~pt_sme_mask();
	if (top_level != 3 && top_level != 4)
		return -EINVAL;
	span_lg2 = X86_64PT_GRANULE_LG2SZ + X86_64PT_ITEMS_LG2 * (top_level + 1);
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND)) {
		if (common->max_vasz_lg2 < span_lg2)
			return -EINVAL;
		common->max_vasz_lg2 = span_lg2;
	} else {
		if (common->max_vasz_lg2 <= X86_64PT_GRANULE_LG2SZ)
			return -EINVAL;
		common->max_vasz_lg2 = min_t(unsigned int, common->max_vasz_lg2,
					     span_lg2 - 1);
	}
	if (common->max_oasz_lg2 > 52 ||
	    common->max_oasz_lg2 <= X86_64PT_GRANULE_LG2SZ)
		return -EINVAL;
	/* The C-bit takes its bit of every entry from the OA */
	if (pt_feature(common, PT_FEAT_X86_64_AMD_ENCRYPT_TABLES) &&
	    pt_sme_mask())
		common->max_oasz_lg2 = min_t(unsigned int, common->max_oasz_lg2,
					     __ffs64(pt_sme_mask()));
	return top_level;
}

#define pt_fmt_init x86_64pt_fmt_init

#ifdef GENERIC_PT_KUNIT
#define X86_64PT_KUNIT_CFG(_name, _features, _top, _va)                  \
	{                                                                  \
		.name = _name, .features = _features, .top_level = _top,   \
		.vasz_lg2 = _va, .oasz_lg2 = 52, .granule_lg2 = 12,        \
	}
#define X86_64PT_SIGNED BIT(PT_FEAT_SIGN_EXTEND)
static const struct pt_kunit_fmt_cfg pt_kunit_fmt_cfgs[] = {
	X86_64PT_KUNIT_CFG("4lvl", X86_64PT_SIGNED, 3, 48),
	X86_64PT_KUNIT_CFG("5lvl", X86_64PT_SIGNED, 4, 57),
	/* VT-d first stage under an MGAW narrower than the walk */
	X86_64PT_KUNIT_CFG("4lvl,va39", 0, 3, 39),
	X86_64PT_KUNIT_CFG("4lvl,va47", 0, 3, 47),
	X86_64PT_KUNIT_CFG("5lvl,va48", 0, 4, 48),
	/* The OA ends below the C-bit, bit 47 in the tests */
	{
		.name = "4lvl,sme",
		.features = X86_64PT_SIGNED |
			    BIT(PT_FEAT_X86_64_AMD_ENCRYPT_TABLES),
		.top_level = 3,
		.vasz_lg2 = 48,
		.oasz_lg2 = 47,
		.granule_lg2 = 12,
	},
	X86_64PT_KUNIT_CFG("5lvl,incoherent",
			   X86_64PT_SIGNED | BIT(PT_FEAT_DMA_INCOHERENT), 4, 57),
};

static const struct pt_kunit_fmt_vector pt_kunit_fmt_vectors[] __maybe_unused = {
	/* P RW U A D */
	{ .features = X86_64PT_SIGNED, .level = 0, .oasz_lg2 = 12,
	  .prot = IOMMU_READ | IOMMU_WRITE, .oa = 0x12345000,
	  .expect = 0x0000000012345067ULL },
	/* P U A PS: no XD, the IOMMUs ignore it */
	{ .features = X86_64PT_SIGNED, .level = 1, .oasz_lg2 = 21,
	  .prot = IOMMU_READ | IOMMU_NOEXEC, .oa = 0x40000000,
	  .expect = 0x00000000400000a5ULL },
	/* P RW U A D PS: IOMMU_PRIV keeps U */
	{ .features = X86_64PT_SIGNED, .level = 2, .oasz_lg2 = 30,
	  .prot = IOMMU_READ | IOMMU_WRITE | IOMMU_PRIV, .oa = 0x80000000,
	  .expect = 0x00000000800000e7ULL },
	/* P U A: no PCD */
	{ .features = X86_64PT_SIGNED, .level = 0, .oasz_lg2 = 12,
	  .prot = IOMMU_READ | IOMMU_MMIO, .oa = 0x1000,
	  .expect = 0x0000000000001025ULL },
	{ .features = X86_64PT_SIGNED, .level = 1, .expect = 0x27 },
	{ .features = X86_64PT_SIGNED, .level = 3, .expect = 0x27 },
	/* A 39-bit VA on a 4 level walk: the same items */
	{ .level = 0, .oasz_lg2 = 12, .prot = IOMMU_WRITE, .oa = 0x12345000,
	  .expect = 0x0000000012345067ULL },
	{ .level = 3, .expect = 0x27 },
};
#endif

#endif
