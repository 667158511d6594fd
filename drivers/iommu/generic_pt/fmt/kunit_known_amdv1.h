/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Known answers for AMD IOMMU v1, read off 6.12's
 * drivers/iommu/amd/io_pgtable.c and amd_iommu_types.h:
 *
 * - iommu_v1_map_pages() writes a leaf as __sme_set(paddr) | IOMMU_PTE_PR
 *   (bit 0) | IOMMU_PTE_FC (bit 60), with IOMMU_PTE_IR (bit 61) for
 *   IOMMU_PROT_IR and IOMMU_PTE_IW (bit 62) for IOMMU_PROT_IW, which
 *   amd_iommu_map_pages() sets from IOMMU_READ and IOMMU_WRITE alone. It
 *   refuses a prot with neither (-EINVAL).
 * - A leaf of 2 to 256 items (PAGE_SIZE_PTE_COUNT() > 1) is
 *   PAGE_SIZE_PTE(__sme_set(paddr), pgsize) | PM_LEVEL_ENC(7), the same
 *   value in every item: the OA field with ones from bit 12 up to the bit
 *   below the size and that bit clear, and NextLevel (bits 11:9) 7.
 * - alloc_pte() and increase_address_space() write a table pointer as
 *   PM_LEVEL_PDE(level, iommu_virt_to_phys(table)): the C-bit, IR, IW, PR
 *   and NextLevel the AMD level of the table pointed to, our level.
 * - set_dte_entry() programs iommu_virt_to_phys(root), so with the C-bit,
 *   and the mode, the number of levels.
 *
 * 6.12 sets FC in every leaf; the format does with
 * PT_FEAT_AMDV1_FORCE_COHERENCE, which is the AMD driver's configuration.
 * 6.12 always encrypts: PT_FEAT_AMDV1_ENCRYPT_TABLES is that, the C-bit
 * being 0 when SME is off.
 */
#include "../kunit_known_answers.h"

#define KPT_AMD_FC BIT(PT_FEAT_AMDV1_FORCE_COHERENCE)
#define KPT_AMD_ENC (KPT_AMD_FC | BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES))
#define KPT_AMD_RW (IOMMU_READ | IOMMU_WRITE)

/* IOMMU_PTE_PR | IOMMU_PTE_FC | IOMMU_PTE_IR | IOMMU_PTE_IW */
#define KPT_AMD_LEAF_RW 0x7000000000000001ULL
/* The same with PM_LEVEL_ENC(7) */
#define KPT_AMD_SIZED_RW 0x7000000000000e01ULL

#define KPT_AMD(_name, _features, _top, _size, _prot, _pa, _expect)        \
	{ .name = _name, .features = _features, .top_level = _top,         \
	  .size_lg2 = _size, .prot = _prot, .pa = _pa, .expect = _expect }
#define KPT_AMD_PDE_AT(_name, _features, _top, _level, _expect)            \
	{ .name = _name, .features = _features, .top_level = _top,         \
	  .size_lg2 = 12, .prot = KPT_AMD_RW, .pa = 0x12345000,            \
	  .table_level = _level, .expect = _expect }

static const struct kpt_known kpt_known_rows[] = {
	/* iommu_v1_map_pages(), count == 1 */
	KPT_AMD("4K R", KPT_AMD_FC, 2, 12, IOMMU_READ, 0x12345000,
		0x3000000012345001ULL),
	KPT_AMD("4K W", KPT_AMD_FC, 2, 12, IOMMU_WRITE, 0x12345000,
		0x5000000012345001ULL),
	KPT_AMD("4K RW", KPT_AMD_FC, 2, 12, KPT_AMD_RW, 0x12345000,
		KPT_AMD_LEAF_RW | 0x12345000),
	/* amd_iommu_map_pages() passes IOMMU_READ and IOMMU_WRITE only */
	KPT_AMD("4K RW cache noexec mmio priv", KPT_AMD_FC, 2, 12,
		KPT_AMD_RW | IOMMU_CACHE | IOMMU_NOEXEC | IOMMU_MMIO |
			IOMMU_PRIV,
		0x12345000, KPT_AMD_LEAF_RW | 0x12345000),
	/* PAGE_SIZE_PTE(0x100000, size): the size in the OA field */
	KPT_AMD("8K RW", KPT_AMD_FC, 2, 13, KPT_AMD_RW, 0x100000,
		KPT_AMD_SIZED_RW | 0x100000),
	KPT_AMD("16K RW", KPT_AMD_FC, 2, 14, KPT_AMD_RW, 0x100000,
		KPT_AMD_SIZED_RW | 0x101000),
	KPT_AMD("32K R", KPT_AMD_FC, 2, 15, IOMMU_READ, 0x100000,
		0x3000000000103e01ULL),
	KPT_AMD("64K RW", KPT_AMD_FC, 2, 16, KPT_AMD_RW, 0x100000,
		KPT_AMD_SIZED_RW | 0x107000),
	KPT_AMD("128K RW", KPT_AMD_FC, 2, 17, KPT_AMD_RW, 0x100000,
		KPT_AMD_SIZED_RW | 0x10f000),
	KPT_AMD("256K W", KPT_AMD_FC, 2, 18, IOMMU_WRITE, 0x100000,
		0x500000000011fe01ULL),
	KPT_AMD("512K RW", KPT_AMD_FC, 2, 19, KPT_AMD_RW, 0x100000,
		KPT_AMD_SIZED_RW | 0x13f000),
	KPT_AMD("1M RW", KPT_AMD_FC, 2, 20, KPT_AMD_RW, 0x100000,
		KPT_AMD_SIZED_RW | 0x17f000),
	/* A level's own size is NextLevel 0 at any level */
	KPT_AMD("2M RW", KPT_AMD_FC, 2, 21, KPT_AMD_RW, 0x200000,
		KPT_AMD_LEAF_RW | 0x200000),
	KPT_AMD("4M RW", KPT_AMD_FC, 2, 22, KPT_AMD_RW, 0x400000,
		KPT_AMD_SIZED_RW | 0x5ff000),
	KPT_AMD("1G R", KPT_AMD_FC, 2, 30, IOMMU_READ, 0x40000000,
		0x3000000040000001ULL),
	KPT_AMD("2G RW", KPT_AMD_FC, 2, 31, KPT_AMD_RW, 0x80000000,
		KPT_AMD_SIZED_RW | 0xbffff000),
	{ .name = "no access refused", .features = KPT_AMD_FC,
	  .top_level = 2, .size_lg2 = 12, .prot = IOMMU_CACHE,
	  .pa = 0x12345000, .err = -EINVAL },
	/* PM_LEVEL_PDE(): IR IW PR and NextLevel (the level) in bits 11:9 */
	KPT_AMD_PDE_AT("table level 1", KPT_AMD_FC, 3, 1, 0x6000000000000201ULL),
	KPT_AMD_PDE_AT("table level 2", KPT_AMD_FC, 3, 2, 0x6000000000000401ULL),
	KPT_AMD_PDE_AT("table level 3", KPT_AMD_FC, 3, 3, 0x6000000000000601ULL),

	/* __sme_set() on every leaf and, by iommu_virt_to_phys(), table */
	KPT_AMD("enc 4K RW", KPT_AMD_ENC, 2, 12, KPT_AMD_RW, 0x12345000,
		KPT_AMD_LEAF_RW | 0x12345000),
	KPT_AMD("enc 4K R", KPT_AMD_ENC, 2, 12, IOMMU_READ, 0x12345000,
		0x3000000012345001ULL),
	KPT_AMD("enc 16K RW", KPT_AMD_ENC, 2, 14, KPT_AMD_RW, 0x100000,
		KPT_AMD_SIZED_RW | 0x101000),
	KPT_AMD("enc 2M RW", KPT_AMD_ENC, 2, 21, KPT_AMD_RW, 0x200000,
		KPT_AMD_LEAF_RW | 0x200000),
	KPT_AMD("enc 4M RW", KPT_AMD_ENC, 2, 22, KPT_AMD_RW, 0x400000,
		KPT_AMD_SIZED_RW | 0x5ff000),
	KPT_AMD("enc 1G RW", KPT_AMD_ENC, 2, 30, KPT_AMD_RW, 0x40000000,
		KPT_AMD_LEAF_RW | 0x40000000),
	KPT_AMD_PDE_AT("enc table level 1", KPT_AMD_ENC, 3, 1,
		       0x6000000000000201ULL),
	KPT_AMD_PDE_AT("enc table level 3", KPT_AMD_ENC, 3, 3,
		       0x6000000000000601ULL),

	/* Without the driver's PT_FEAT_AMDV1_FORCE_COHERENCE */
	{ .name = "no fc 4K RW", .features = 0, .top_level = 2,
	  .size_lg2 = 12, .prot = KPT_AMD_RW, .pa = 0x12345000,
	  .expect = 0x6000000012345001ULL,
	  .differs = "6.12 always sets FC: the AMD driver sets the feature" },
};

static const struct kpt_known *kpt_known_row(unsigned int i)
{
	return i < ARRAY_SIZE(kpt_known_rows) ? &kpt_known_rows[i] : NULL;
}

static struct pt_kunit_fmt_cfg kpt_known_cfg(const struct kpt_known *row)
{
	return (struct pt_kunit_fmt_cfg){
		.name = row->name, .features = row->features,
		.top_level = row->top_level, .vasz_lg2 = 64, .oasz_lg2 = 52,
		.granule_lg2 = 12,
	};
}

static u64 kpt_known_cbit(const struct kpt_known *row)
{
	if (row->features & BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES))
		return pt_sme_mask();
	return 0;
}

static u64 kpt_known_root(struct kpt_domain *kd, unsigned int *top_level)
{
	struct pt_iommu_amdv1_hw_info info;

	PT_IOMMU_NS(hw_info)(&kd->table, &info);
	/* The DTE mode is the number of levels */
	*top_level = info.mode - 1;
	return info.host_pt_root;
}

