/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD IOMMU v1 host page table.
 *
 * Levels 0 to 5 each translate 9 bits of VA above a 4 KiB granule, so six
 * levels reach the full 64-bit VA with no sign extension. The DTE mode is the
 * top level plus one. Every power of two size is a leaf: the size of an item
 * at each level directly, and 2 to 256 items as a "sized" leaf (NEXT_LEVEL 7)
 * whose size is encoded in the low OA bits and which is replicated in every
 * item it covers.
 *
 * The iommufd selftest mock uses the same encoding on a 2 KiB granule, with
 * the OA stored one bit up so bit 11 is not lost, and no sized leaves. It
 * defines AMDV1PT_GRANULE_LG2SZ before including this file.
 */
#ifndef __GENERIC_PT_FMT_AMDV1_H
#define __GENERIC_PT_FMT_AMDV1_H

#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/iommu.h>
#include <linux/sizes.h>

#include "defs_amdv1.h"
#include "x86_sme.h"
#include "../pt_defs.h"
#include "../pt_fmt_dump.h"

#ifndef AMDV1PT_GRANULE_LG2SZ
#define AMDV1PT_GRANULE_LG2SZ 12
#endif
#define AMDV1PT_ITEMS_LG2 9
/* Sized leaves exist only on the hardware granule */
#define AMDV1PT_HAS_SIZED (AMDV1PT_GRANULE_LG2SZ == 12)
#define AMDV1PT_MAX_SIZED_LG2 8
/* The OA is stored shifted so that the granule lands on field bit 12 */
#define AMDV1PT_OA_SHIFT (12 - AMDV1PT_GRANULE_LG2SZ)
#define AMDV1PT_MAX_OASZ_LG2 (52 - AMDV1PT_OA_SHIFT)

#define PT_MAX_TOP_LEVEL 5

static __always_inline unsigned int
amdv1pt_table_item_lg2sz(const struct pt_state *pts)
{
	return AMDV1PT_GRANULE_LG2SZ + AMDV1PT_ITEMS_LG2 * pts->level;
}

#define pt_table_item_lg2sz amdv1pt_table_item_lg2sz

static __always_inline unsigned int
amdv1pt_num_items_lg2(const struct pt_state *pts)
{
	return AMDV1PT_ITEMS_LG2;
}

#define pt_num_items_lg2 amdv1pt_num_items_lg2

static __always_inline u64 amdv1pt_possible_sizes(const struct pt_state *pts)
{
	unsigned int item_lg2 = amdv1pt_table_item_lg2sz(pts);
	u64 sizes = BIT_ULL(item_lg2);

	if (AMDV1PT_HAS_SIZED)
		sizes |= GENMASK_ULL(min(item_lg2 + AMDV1PT_MAX_SIZED_LG2, 63U),
				     item_lg2);
	/* The hardware cannot use a 512 GiB leaf, see AMD_IOMMU_PGSIZES */
	if (AMDV1PT_HAS_SIZED)
		sizes &= ~(u64)SZ_512G;
	return sizes;
}

#define pt_possible_sizes amdv1pt_possible_sizes

/* The OA field without the C-bit, see amdv1pt_fmt_init() */
static __always_inline pt_oaddr_t
amdv1pt_field_to_oa(const struct pt_state *pts)
{
	return (pts->entry & pts->range->common->entry_oa_mask) >>
	       AMDV1PT_OA_SHIFT;
}

static __always_inline u64 amdv1pt_oa_to_field(pt_oaddr_t oa)
{
	return ((u64)oa << AMDV1PT_OA_SHIFT) & AMDV1PT_FMT_OA;
}

static __always_inline enum pt_entry_type
amdv1pt_load_entry_raw(struct pt_state *pts)
{
	u64 entry = pt_read_item(pts, pts->index);
	unsigned int next_level;

	pts->entry = entry;
	if (!(entry & AMDV1PT_FMT_PR))
		return PT_ENTRY_EMPTY;
	next_level = FIELD_GET(AMDV1PT_FMT_NEXT_LEVEL, entry);
	if (pts->level == 0 || next_level == 0 ||
	    next_level == AMDV1PT_NEXT_LEVEL_SIZED)
		return PT_ENTRY_OA;
	return PT_ENTRY_TABLE;
}

#define pt_load_entry_raw amdv1pt_load_entry_raw

static __always_inline unsigned int
amdv1pt_entry_num_contig_lg2(const struct pt_state *pts)
{
	if (!AMDV1PT_HAS_SIZED ||
	    FIELD_GET(AMDV1PT_FMT_NEXT_LEVEL, pts->entry) !=
		    AMDV1PT_NEXT_LEVEL_SIZED)
		return 0;
	/* Ones from the item size up, then a zero one bit below the size */
	return log2_ffz_t(u64, pts->entry >> amdv1pt_table_item_lg2sz(pts)) + 1;
}

#define pt_entry_num_contig_lg2 amdv1pt_entry_num_contig_lg2

static __always_inline pt_oaddr_t amdv1pt_entry_oa(const struct pt_state *pts)
{
	unsigned int oasz_lg2 = amdv1pt_table_item_lg2sz(pts) +
				amdv1pt_entry_num_contig_lg2(pts);

	return oalog2_set_mod(amdv1pt_field_to_oa(pts), 0, oasz_lg2);
}

#define pt_entry_oa amdv1pt_entry_oa

/* A table pointer holds the PA itself, not shifted as the mock's OA is */
static __always_inline pt_oaddr_t amdv1pt_table_pa(const struct pt_state *pts)
{
	return pts->entry & pts->range->common->entry_oa_mask;
}

#define pt_table_pa amdv1pt_table_pa

/* The value of every item of a leaf: a larger leaf repeats it in all */
static __always_inline u64 amdv1pt_leaf_entry(const struct pt_state *pts,
					      pt_oaddr_t oa,
					      unsigned int oasz_lg2,
					      const struct pt_write_attrs *attrs)
{
	u64 entry = AMDV1PT_FMT_PR | attrs->descriptor_bits |
		    amdv1pt_oa_to_field(oa);

	if (oasz_lg2 == amdv1pt_table_item_lg2sz(pts))
		return entry;
	/* The size is the zero bit above a run of ones from the item size */
	return entry |
	       FIELD_PREP(AMDV1PT_FMT_NEXT_LEVEL, AMDV1PT_NEXT_LEVEL_SIZED) |
	       (GENMASK_ULL(oasz_lg2 - 1, 0) & AMDV1PT_FMT_OA &
		~BIT_ULL(oasz_lg2 - 1));
}

static __always_inline void
amdv1pt_install_leaf_entry(struct pt_state *pts, pt_oaddr_t oa,
			   unsigned int oasz_lg2,
			   const struct pt_write_attrs *attrs)
{
	unsigned int contig_lg2 = oasz_lg2 - amdv1pt_table_item_lg2sz(pts);
	u64 entry = amdv1pt_leaf_entry(pts, oa, oasz_lg2, attrs);

	if (contig_lg2 == 0)
		pt_write_item(pts, pts->index, entry);
	else
		pt_write_items(pts, pts->index,
			       log2_to_int_t(unsigned int, contig_lg2), entry,
			       0);
}

#define pt_install_leaf_entry amdv1pt_install_leaf_entry

/*
 * A single item leaf holds its OA, shifted by AMDV1PT_OA_SHIFT; every item
 * of a larger leaf holds the same value, the OA of the whole leaf.
 */
static __always_inline u64
amdv1pt_leaf_item_step(const struct pt_state *pts, unsigned int oasz_lg2)
{
	if (oasz_lg2 != amdv1pt_table_item_lg2sz(pts))
		return 0;
	return amdv1pt_oa_to_field(oalog2_to_int(oasz_lg2));
}

#define pt_leaf_item_step amdv1pt_leaf_item_step

static __always_inline u64
amdv1pt_leaf_same_entry(const struct pt_state *pts, pt_oaddr_t oa,
			unsigned int oasz_lg2,
			const struct pt_write_attrs *attrs)
{
	if (oasz_lg2 == amdv1pt_table_item_lg2sz(pts))
		return 0;
	return amdv1pt_leaf_entry(pts, oa, oasz_lg2, attrs);
}

#define pt_leaf_same_entry amdv1pt_leaf_same_entry

static __always_inline bool
amdv1pt_install_table(struct pt_state *pts,
		      pt_oaddr_t table_pa,
		      const struct pt_write_attrs *attrs)
{
	u64 entry = AMDV1PT_FMT_PR | AMDV1PT_FMT_IR | AMDV1PT_FMT_IW |
		    FIELD_PREP(AMDV1PT_FMT_NEXT_LEVEL, pts->level) |
		    (table_pa & AMDV1PT_FMT_OA);

	if (pts_feature(pts, PT_FEAT_AMDV1_ENCRYPT_TABLES))
		entry |= pt_sme_mask();
	return pt_cmpxchg_item(pts, pts->index, pts->entry, entry);
}

#define pt_install_table amdv1pt_install_table

static inline void amdv1pt_attr_from_entry(const struct pt_state *pts,
					   struct pt_write_attrs *attrs)
{
	u64 mask = AMDV1PT_FMT_ATTRS;

	if (pts_feature(pts, PT_FEAT_AMDV1_ENCRYPT_TABLES))
		mask |= pt_sme_mask();
	attrs->descriptor_bits = pts->entry & mask;
}

#define pt_attr_from_entry amdv1pt_attr_from_entry

/* What the dump calls the leaf bits and the features */
static inline const struct pt_dump_attr *
amdv1pt_dump_attrs(const struct pt_common *common, unsigned int *num)
{
	static const struct pt_dump_attr attrs[] = {
		{ AMDV1PT_FMT_IR, "IR" },
		{ AMDV1PT_FMT_IW, "IW" },
		{ AMDV1PT_FMT_FC, "FC" },
		{ AMDV1PT_FMT_D, "D" },
	};

	*num = ARRAY_SIZE(attrs);
	return attrs;
}

#define pt_dump_attrs amdv1pt_dump_attrs

static inline const struct pt_dump_attr *
amdv1pt_dump_features(unsigned int *num)
{
	static const struct pt_dump_attr features[] = {
		{ BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES), "sme" },
		{ BIT(PT_FEAT_AMDV1_FORCE_COHERENCE), "force_fc" },
	};

	*num = ARRAY_SIZE(features);
	return features;
}

#define pt_dump_features amdv1pt_dump_features

/* The hardware may set D in any one item of a sized leaf */
static inline bool amdv1pt_entry_write_is_dirty(const struct pt_state *pts)
{
	unsigned int contig_lg2 = amdv1pt_entry_num_contig_lg2(pts);
	unsigned int first = log2_set_mod_t(unsigned int, pts->index, 0,
					    contig_lg2);
	unsigned int i;

	for (i = 0; i != log2_to_int_t(unsigned int, contig_lg2); i++)
		if (pt_read_item(pts, first + i) & AMDV1PT_FMT_D)
			return true;
	return false;
}

#define pt_entry_write_is_dirty amdv1pt_entry_write_is_dirty

static inline void amdv1pt_entry_make_write_clean(struct pt_state *pts)
{
	unsigned int contig_lg2 = amdv1pt_entry_num_contig_lg2(pts);
	unsigned int first = log2_set_mod_t(unsigned int, pts->index, 0,
					    contig_lg2);
	unsigned int i;

	for (i = 0; i != log2_to_int_t(unsigned int, contig_lg2); i++)
		pt_update_item(pts, first + i, AMDV1PT_FMT_D, 0);
}

#define pt_entry_make_write_clean amdv1pt_entry_make_write_clean

/* What the hardware does on a write through the entry; for tests */
static inline bool amdv1pt_entry_make_write_dirty(struct pt_state *pts)
{
	pt_update_item(pts, pts->index, 0, AMDV1PT_FMT_D);
	return true;
}

#define pt_entry_make_write_dirty amdv1pt_entry_make_write_dirty

/**
 * amdv1pt_iommu_set_prot() - Encode IOMMU_* protection for AMD v1 leaves
 * @common: The table
 * @attrs: Output
 * @iommu_prot: IOMMU_READ, IOMMU_WRITE, ...
 *
 * Only IOMMU_READ and IOMMU_WRITE count, as in 6.12's driver.
 * %PT_FEAT_AMDV1_FORCE_COHERENCE adds FC and %PT_FEAT_AMDV1_ENCRYPT_TABLES
 * the C-bit, so that the leaf's output address is encrypted memory. Both
 * are worked out here, once a map, so that writing a leaf costs nothing more.
 *
 * Return: 0, or -EINVAL if the leaf would allow no access
 */
static inline int amdv1pt_iommu_set_prot(const struct pt_common *common,
					 struct pt_write_attrs *attrs,
					 unsigned int iommu_prot)
{
	u64 bits = 0;

	if (!(iommu_prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (iommu_prot & IOMMU_READ)
		bits |= AMDV1PT_FMT_IR;
	if (iommu_prot & IOMMU_WRITE)
		bits |= AMDV1PT_FMT_IW;
	/*
	 * Stored before the test and again after it: the common case of
	 * neither feature then returns at once, which measured 2 to 7
	 * instructions a map cheaper than one store after an if block.
	 */
	attrs->descriptor_bits = bits;
	if (!pt_feature_any(common, BIT(PT_FEAT_AMDV1_FORCE_COHERENCE) |
					    BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES)))
		return 0;
	if (pt_feature(common, PT_FEAT_AMDV1_FORCE_COHERENCE))
		bits |= AMDV1PT_FMT_FC;
	if (pt_feature(common, PT_FEAT_AMDV1_ENCRYPT_TABLES))
		bits |= pt_sme_mask();
	attrs->descriptor_bits = bits;
	return 0;
}

#define pt_iommu_set_prot amdv1pt_iommu_set_prot

/**
 * amdv1pt_fmt_init() - Check and complete the geometry of a table
 * @common: max_vasz_lg2, max_oasz_lg2 and features set by the caller
 * @top_level: The (starting) top level, 0 to 5
 *
 * Without %PT_FEAT_DYNAMIC_TOP the VA is limited to what the top level
 * translates. With %PT_FEAT_AMDV1_ENCRYPT_TABLES the OA stays below the
 * C-bit, which takes that bit of every entry, and entry_oa_mask leaves it
 * out, so that every decode strips it without testing the feature.
 *
 * Return: the top level or a negative errno
 */
static inline int amdv1pt_fmt_init(struct pt_common *common, int top_level)
{
	unsigned int span_lg2;

	common->entry_oa_mask = AMDV1PT_FMT_OA;
	if (pt_feature(common, PT_FEAT_AMDV1_ENCRYPT_TABLES))
		common->entry_oa_mask &= ~pt_sme_mask();
	if (top_level < 0 || top_level > PT_MAX_TOP_LEVEL)
		return -EINVAL;
	if (common->max_oasz_lg2 > AMDV1PT_MAX_OASZ_LG2 ||
	    common->max_oasz_lg2 < AMDV1PT_GRANULE_LG2SZ ||
	    common->max_vasz_lg2 > 64 ||
	    common->max_vasz_lg2 <= AMDV1PT_GRANULE_LG2SZ)
		return -EINVAL;
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND))
		return -EOPNOTSUPP;

	if (pt_feature(common, PT_FEAT_AMDV1_ENCRYPT_TABLES) && pt_sme_mask())
		common->max_oasz_lg2 = min_t(unsigned int, common->max_oasz_lg2,
					     __ffs64(pt_sme_mask()));

	span_lg2 = AMDV1PT_GRANULE_LG2SZ +
		   AMDV1PT_ITEMS_LG2 * (top_level + 1);
	if (!pt_feature(common, PT_FEAT_DYNAMIC_TOP) &&
	    common->max_vasz_lg2 > span_lg2)
		common->max_vasz_lg2 = span_lg2;
	return top_level;
}

#define pt_fmt_init amdv1pt_fmt_init

#if defined(GENERIC_PT_KUNIT) && !defined(AMDV1PT_NO_KUNIT_CFGS)
#define AMDV1PT_KUNIT_CFG(_name, _features, _top)                        \
	{                                                                  \
		.name = _name, .features = _features, .top_level = _top,   \
		.vasz_lg2 = 64, .oasz_lg2 = 52, .granule_lg2 = 12,         \
	}
static const struct pt_kunit_fmt_cfg pt_kunit_fmt_cfgs[] = {
	AMDV1PT_KUNIT_CFG("top0", 0, 0),
	AMDV1PT_KUNIT_CFG("top1", 0, 1),
	AMDV1PT_KUNIT_CFG("top2", 0, 2),
	AMDV1PT_KUNIT_CFG("top3", 0, 3),
	AMDV1PT_KUNIT_CFG("top4", 0, 4),
	AMDV1PT_KUNIT_CFG("top5", 0, 5),
	/* The OA ends below the C-bit, bit 47 in the tests */
	{
		.name = "top2,fc,sme",
		.features = BIT(PT_FEAT_AMDV1_FORCE_COHERENCE) |
			    BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES),
		.top_level = 2,
		.vasz_lg2 = 64,
		.oasz_lg2 = 47,
		.granule_lg2 = 12,
	},
	AMDV1PT_KUNIT_CFG("top5,fc", BIT(PT_FEAT_AMDV1_FORCE_COHERENCE), 5),
	{
		.name = "top3,va40,oa40",
		.top_level = 3,
		.vasz_lg2 = 40,
		.oasz_lg2 = 40,
		.granule_lg2 = 12,
	},
};

#define AMDV1PT_RW (IOMMU_READ | IOMMU_WRITE)
static const struct pt_kunit_fmt_vector pt_kunit_fmt_vectors[] __maybe_unused = {
	/* PR, IR, IW, NEXT_LEVEL 0 */
	{ .level = 0, .oasz_lg2 = 12, .prot = AMDV1PT_RW, .oa = 0x12345000,
	  .expect = 0x6000000012345001ULL },
	/* Sized leaves: NEXT_LEVEL 7, ones up to the bit below the size */
	{ .level = 0, .oasz_lg2 = 13, .prot = AMDV1PT_RW, .oa = 0x2000,
	  .expect = 0x6000000000002e01ULL },
	{ .level = 0, .oasz_lg2 = 15, .prot = AMDV1PT_RW, .oa = 0x100000,
	  .expect = 0x6000000000103e01ULL },
	{ .level = 1, .oasz_lg2 = 21, .prot = IOMMU_READ, .oa = 0x40000000,
	  .expect = 0x2000000040000001ULL },
	{ .level = 1, .oasz_lg2 = 22, .prot = AMDV1PT_RW, .oa = 0x400000,
	  .expect = 0x60000000005ffe01ULL },
	/* Tables: NEXT_LEVEL is the AMD level of the lower table */
	{ .level = 1, .expect = 0x6000000000000201ULL },
	{ .level = 3, .expect = 0x6000000000000601ULL },
	{ .features = BIT(PT_FEAT_AMDV1_FORCE_COHERENCE), .level = 0,
	  .oasz_lg2 = 12, .prot = IOMMU_WRITE, .oa = 0x12345000,
	  .expect = 0x5000000012345001ULL },
};
#endif

#endif
