/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel VT-d second stage page table: 3, 4 or 5 levels of 9 bits over a
 * 4 KiB granule. The table the hardware walks (the AGAW) may be deeper than
 * the VA the domain allows, so the top level and the VA width are given
 * separately. There is no present bit: an entry with R or W set is present,
 * and tables are always R and W. Leaves are 4 KiB at level 0 and, with PS,
 * 2 MiB at level 1 and 1 GiB at level 2.
 */
#ifndef __GENERIC_PT_FMT_VTDSS_H
#define __GENERIC_PT_FMT_VTDSS_H

#include <linux/errno.h>
#include <linux/iommu.h>

#include "defs_vtdss.h"
#include "../pt_defs.h"
#include "../pt_fmt_dump.h"

#define PT_MAX_TOP_LEVEL 4
#define VTDSSPT_GRANULE_LG2SZ 12
#define VTDSSPT_ITEMS_LG2 9

static __always_inline unsigned int
vtdsspt_table_item_lg2sz(const struct pt_state *pts)
{
	return VTDSSPT_GRANULE_LG2SZ + VTDSSPT_ITEMS_LG2 * pts->level;
}

#define pt_table_item_lg2sz vtdsspt_table_item_lg2sz

static __always_inline unsigned int
vtdsspt_num_items_lg2(const struct pt_state *pts)
{
	return VTDSSPT_ITEMS_LG2;
}

#define pt_num_items_lg2 vtdsspt_num_items_lg2

static __always_inline u64 vtdsspt_possible_sizes(const struct pt_state *pts)
{
	if (pts->level > 2)
		return 0;
	return BIT_ULL(vtdsspt_table_item_lg2sz(pts));
}

#define pt_possible_sizes vtdsspt_possible_sizes

static __always_inline enum pt_entry_type
vtdsspt_load_entry_raw(struct pt_state *pts)
{
	u64 entry = pt_read_item(pts, pts->index);

	pts->entry = entry;
	if (!(entry & (VTDSS_FMT_R | VTDSS_FMT_W)))
		return PT_ENTRY_EMPTY;
	if (pts->level == 0 || (entry & VTDSS_FMT_PS))
		return PT_ENTRY_OA;
	return PT_ENTRY_TABLE;
}

#define pt_load_entry_raw vtdsspt_load_entry_raw

static __always_inline pt_oaddr_t vtdsspt_entry_oa(const struct pt_state *pts)
{
	return oalog2_set_mod(pts->entry & VTDSS_FMT_OA, 0,
			      vtdsspt_table_item_lg2sz(pts));
}

#define pt_entry_oa vtdsspt_entry_oa

static __always_inline pt_oaddr_t vtdsspt_table_pa(const struct pt_state *pts)
{
	return pts->entry & VTDSS_FMT_OA;
}

#define pt_table_pa vtdsspt_table_pa

static __always_inline void
vtdsspt_install_leaf_entry(struct pt_state *pts, pt_oaddr_t oa,
			   unsigned int oasz_lg2,
			   const struct pt_write_attrs *attrs)
{
	u64 entry = attrs->descriptor_bits | (oa & VTDSS_FMT_OA);

	if (pts->level != 0)
		entry |= VTDSS_FMT_PS;
	pt_write_item(pts, pts->index, entry);
}

#define pt_install_leaf_entry vtdsspt_install_leaf_entry

/* Leaves are single items with the OA in place: the next is one size on */
static __always_inline u64
vtdsspt_leaf_item_step(const struct pt_state *pts, unsigned int oasz_lg2)
{
	return BIT_ULL(oasz_lg2);
}

#define pt_leaf_item_step vtdsspt_leaf_item_step

static __always_inline bool
vtdsspt_install_table(struct pt_state *pts,
		      pt_oaddr_t table_pa,
		      const struct pt_write_attrs *attrs)
{
	u64 entry = VTDSS_FMT_R | VTDSS_FMT_W | (table_pa & VTDSS_FMT_OA);

	return pt_cmpxchg_item(pts, pts->index, pts->entry, entry);
}

#define pt_install_table vtdsspt_install_table

static inline void vtdsspt_attr_from_entry(const struct pt_state *pts,
					   struct pt_write_attrs *attrs)
{
	attrs->descriptor_bits = pts->entry & VTDSS_FMT_ATTRS;
}

#define pt_attr_from_entry vtdsspt_attr_from_entry

/* What the dump calls the leaf bits and the features */
static inline const struct pt_dump_attr *
vtdsspt_dump_attrs(const struct pt_common *common, unsigned int *num)
{
	static const struct pt_dump_attr attrs[] = {
		{ VTDSS_FMT_R, "R" },
		{ VTDSS_FMT_W, "W" },
		{ VTDSS_FMT_SNP, "SNP" },
		{ VTDSS_FMT_D, "D" },
	};

	*num = ARRAY_SIZE(attrs);
	return attrs;
}

#define pt_dump_attrs vtdsspt_dump_attrs

static inline const struct pt_dump_attr *
vtdsspt_dump_features(unsigned int *num)
{
	static const struct pt_dump_attr features[] = {
		{ BIT(PT_FEAT_VTDSS_FORCE_COHERENCE), "force_snp" },
		{ BIT(PT_FEAT_VTDSS_FORCE_WRITEABLE), "force_writeable" },
	};

	*num = ARRAY_SIZE(features);
	return features;
}

#define pt_dump_features vtdsspt_dump_features

static __always_inline u64 vtdsspt_sw_flush_bit(const struct pt_state *pts)
{
	return VTDSS_FMT_SW_FLUSHED;
}

#define pt_sw_flush_bit vtdsspt_sw_flush_bit

static inline bool vtdsspt_entry_write_is_dirty(const struct pt_state *pts)
{
	return pt_read_item(pts, pts->index) & VTDSS_FMT_D;
}

#define pt_entry_write_is_dirty vtdsspt_entry_write_is_dirty

static inline void vtdsspt_entry_make_write_clean(struct pt_state *pts)
{
	pt_update_item(pts, pts->index, VTDSS_FMT_D, 0);
}

#define pt_entry_make_write_clean vtdsspt_entry_make_write_clean

static inline bool vtdsspt_entry_make_write_dirty(struct pt_state *pts)
{
	pt_update_item(pts, pts->index, 0, VTDSS_FMT_D);
	return true;
}

#define pt_entry_make_write_dirty vtdsspt_entry_make_write_dirty

/**
 * vtdsspt_iommu_set_prot() - Encode IOMMU_* protection for VT-d SS leaves
 * @common: The table
 * @attrs: Output
 * @iommu_prot: IOMMU_READ, IOMMU_WRITE, ...
 *
 * Every leaf is readable, a write-only one too, as 6.12's
 * __domain_mapping() writes them: a DMA_FROM_DEVICE buffer is mapped
 * write-only, and a device that reads it back must not start faulting
 * when the driver moves to this table. %PT_FEAT_VTDSS_FORCE_COHERENCE adds
 * SNP. With
 * %PT_FEAT_VTDSS_FORCE_WRITEABLE a map without IOMMU_WRITE is refused:
 * the table is a nesting parent on hardware with erratum 772415, whose
 * IOMMU may write through a read-only entry, as 6.12's __domain_mapping()
 * refuses it.
 *
 * Return: 0, or -EINVAL if the leaf would allow no access or would be
 * read-only where the erratum forbids it
 */
static inline int vtdsspt_iommu_set_prot(const struct pt_common *common,
					 struct pt_write_attrs *attrs,
					 unsigned int iommu_prot)
{
	u64 bits = VTDSS_FMT_R;

	if (!(iommu_prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (!(iommu_prot & IOMMU_WRITE) &&
	    pt_feature(common, PT_FEAT_VTDSS_FORCE_WRITEABLE))
		return -EINVAL;
	if (iommu_prot & IOMMU_WRITE)
		bits |= VTDSS_FMT_W;
	if (pt_feature(common, PT_FEAT_VTDSS_FORCE_COHERENCE))
		bits |= VTDSS_FMT_SNP;
	attrs->descriptor_bits = bits;
	return 0;
}

#define pt_iommu_set_prot vtdsspt_iommu_set_prot

/**
 * vtdsspt_fmt_init() - Check and complete the geometry of a table
 * @common: max_vasz_lg2, max_oasz_lg2 and features set by the caller
 * @top_level: 2, 3 or 4 for a 3, 4 or 5 level table
 *
 * The VA may be narrower than the table reaches, never wider.
 *
 * Return: the top level or a negative errno
 */
static inline int vtdsspt_fmt_init(struct pt_common *common, int top_level)
{
	unsigned int span_lg2;

	if (top_level < 2 || top_level > PT_MAX_TOP_LEVEL)
		return -EINVAL;
	span_lg2 = VTDSSPT_GRANULE_LG2SZ + VTDSSPT_ITEMS_LG2 * (top_level + 1);
	if (common->max_vasz_lg2 > span_lg2 ||
	    common->max_vasz_lg2 <= VTDSSPT_GRANULE_LG2SZ ||
	    common->max_oasz_lg2 > 52 ||
	    common->max_oasz_lg2 <= VTDSSPT_GRANULE_LG2SZ)
		return -EINVAL;
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND) ||
	    pt_feature(common, PT_FEAT_DYNAMIC_TOP))
		return -EOPNOTSUPP;
	return top_level;
}

#define pt_fmt_init vtdsspt_fmt_init

#ifdef GENERIC_PT_KUNIT
#define VTDSSPT_KUNIT_CFG(_name, _features, _top, _va)                   \
	{                                                                  \
		.name = _name, .features = _features, .top_level = _top,   \
		.vasz_lg2 = _va, .oasz_lg2 = 52, .granule_lg2 = 12,        \
	}
static const struct pt_kunit_fmt_cfg pt_kunit_fmt_cfgs[] = {
	VTDSSPT_KUNIT_CFG("3lvl,va39", 0, 2, 39),
	VTDSSPT_KUNIT_CFG("4lvl,va48", 0, 3, 48),
	VTDSSPT_KUNIT_CFG("5lvl,va57", 0, 4, 57),
	VTDSSPT_KUNIT_CFG("4lvl,va39", 0, 3, 39),
	VTDSSPT_KUNIT_CFG("5lvl,va48", 0, 4, 48),
	VTDSSPT_KUNIT_CFG("4lvl,va42", 0, 3, 42),
	VTDSSPT_KUNIT_CFG("4lvl,va48,snp", BIT(PT_FEAT_VTDSS_FORCE_COHERENCE),
			  3, 48),
	VTDSSPT_KUNIT_CFG("3lvl,va39,incoherent", BIT(PT_FEAT_DMA_INCOHERENT),
			  2, 39),
};

static const struct pt_kunit_fmt_vector pt_kunit_fmt_vectors[] __maybe_unused = {
	{ .level = 0, .oasz_lg2 = 12, .prot = IOMMU_READ | IOMMU_WRITE,
	  .oa = 0x12345000, .expect = 0x0000000012345003ULL },
	/* R PS */
	{ .level = 1, .oasz_lg2 = 21, .prot = IOMMU_READ, .oa = 0x40000000,
	  .expect = 0x0000000040000081ULL },
	/* R W PS: a write-only map is readable too, as in 6.12 */
	{ .level = 2, .oasz_lg2 = 30, .prot = IOMMU_WRITE, .oa = 0x80000000,
	  .expect = 0x0000000080000083ULL },
	{ .level = 1, .expect = 0x3 },
	/* Forced SNP */
	{ .features = BIT(PT_FEAT_VTDSS_FORCE_COHERENCE),
	  .level = 0, .oasz_lg2 = 12, .prot = IOMMU_READ, .oa = 0x12345000,
	  .expect = 0x0000000012345801ULL },
};
#endif

#endif
