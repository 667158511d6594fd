/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Known answers for the x86-64 format, from its two 6.12 users.
 *
 * VT-d first stage, drivers/iommu/intel/iommu.c and iommu.h, for a domain
 * with use_first_level:
 * - intel_iommu_map() passes IOMMU_READ as DMA_PTE_READ (bit 0) and
 *   IOMMU_WRITE as DMA_PTE_WRITE (bit 1) and nothing else of the prot;
 *   set_pte_snp is never set for a first stage domain (snooping is the
 *   PASID entry's PGSNP there, see domain_set_force_snooping()).
 * - __domain_mapping() refuses a prot with neither (-EINVAL) and writes
 *   paddr | (prot & (R | W)) | DMA_FL_PTE_PRESENT (bit 0) | DMA_FL_PTE_US
 *   (bit 2) | DMA_FL_PTE_ACCESS (bit 5), and DMA_FL_PTE_DIRTY (bit 6) with
 *   W; DMA_PTE_LARGE_PAGE (bit 7) for 2M and 1G.
 * - pfn_to_dma_pte() writes a table pointer as the address |
 *   DMA_PTE_READ | DMA_PTE_WRITE | DMA_FL_PTE_US | DMA_FL_PTE_ACCESS.
 * - domain_setup_first_level() takes 4 or 5 levels (PASID_FLAG_FL5LP).
 *
 * AMD v2, drivers/iommu/amd/io_pgtable_v2.c:
 * - set_pte_attr() writes __sme_set(paddr) | IOMMU_PAGE_PRESENT |
 *   IOMMU_PAGE_USER | IOMMU_PAGE_ACCESS | IOMMU_PAGE_DIRTY, IOMMU_PAGE_RW
 *   for IOMMU_PROT_IW, IOMMU_PAGE_PSE for 2M and 1G; iommu_v2_map_pages()
 *   refuses a prot without IR or IW (-EINVAL).
 * - set_pgtable_attr() writes a table pointer as iommu_virt_to_phys(table)
 *   (so with the C-bit) | PRESENT | RW | USER | ACCESS.
 * - The GCR3 entry is iommu_virt_to_phys() of the root, with the C-bit.
 * PT_FEAT_X86_64_AMD_ENCRYPT_TABLES is that __sme_set().
 *
 * The two differ on D in a read-only leaf: VT-d leaves it clear, AMD v2
 * sets it. The format follows VT-d: D says the device wrote through the
 * leaf, which it cannot do through one without RW, so no access differs.
 */
#include "../kunit_known_answers.h"

#define KPT_X86_ENC BIT(PT_FEAT_X86_64_AMD_ENCRYPT_TABLES)
#define KPT_X86_RW (IOMMU_READ | IOMMU_WRITE)

#define KPT_X86(_name, _features, _size, _prot, _pa, _expect)              \
	{ .name = _name, .features = _features, .top_level = 3,            \
	  .size_lg2 = _size, .prot = _prot, .pa = _pa, .expect = _expect }
#define KPT_X86_TABLE_AT(_name, _features, _level)                         \
	{ .name = _name, .features = _features, .top_level = 3,            \
	  .size_lg2 = 12, .prot = KPT_X86_RW, .pa = 0x12345000,            \
	  .table_level = _level, .expect = 0x27 }

static const struct kpt_known kpt_known_rows[] = {
	/* VT-d first stage: P US A, RW D with write */
	KPT_X86("fs 4K R", 0, 12, IOMMU_READ, 0x12345000, 0x12345025),
	KPT_X86("fs 4K W", 0, 12, IOMMU_WRITE, 0x12345000, 0x12345067),
	KPT_X86("fs 4K RW", 0, 12, KPT_X86_RW, 0x12345000, 0x12345067),
	/* intel_iommu_map() drops everything but IOMMU_READ and IOMMU_WRITE */
	KPT_X86("fs 4K RW priv", 0, 12, KPT_X86_RW | IOMMU_PRIV, 0x12345000,
		0x12345067),
	KPT_X86("fs 4K R noexec", 0, 12, IOMMU_READ | IOMMU_NOEXEC,
		0x12345000, 0x12345025),
	KPT_X86("fs 4K R mmio", 0, 12, IOMMU_READ | IOMMU_MMIO, 0x12345000,
		0x12345025),
	KPT_X86("fs 4K RW cache", 0, 12, KPT_X86_RW | IOMMU_CACHE,
		0x12345000, 0x12345067),
	KPT_X86("fs 2M RW", 0, 21, KPT_X86_RW, 0x40000000, 0x400000e7),
	KPT_X86("fs 1G R", 0, 30, IOMMU_READ, 0x80000000, 0x800000a5),
	{ .name = "fs no access refused", .top_level = 3, .size_lg2 = 12,
	  .prot = IOMMU_CACHE, .pa = 0x12345000, .err = -EINVAL },
	KPT_X86_TABLE_AT("fs table level 1", 0, 1),
	KPT_X86_TABLE_AT("fs table level 2", 0, 2),
	KPT_X86_TABLE_AT("fs table level 3", 0, 3),
	/* A 4 level walk under an MGAW of 39 bits: the VA stops at 2^39 */
	{ .name = "fs va39 4K RW at the top", .top_level = 3, .vasz_lg2 = 39,
	  .size_lg2 = 12, .prot = KPT_X86_RW, .pa = 0x7ffffff000,
	  .expect = 0x7ffffff067 },
	{ .name = "fs va39 past the top refused", .top_level = 3,
	  .vasz_lg2 = 39, .size_lg2 = 12, .prot = KPT_X86_RW,
	  .pa = 0x8000000000, .err = -ERANGE },
	{ .name = "fs va48 5 levels 2M RW", .top_level = 4, .vasz_lg2 = 48,
	  .size_lg2 = 21, .prot = KPT_X86_RW, .pa = 0x7fffffe00000,
	  .expect = 0x7fffffe000e7 },

	/* AMD v2: the same with the C-bit everywhere */
	KPT_X86("v2 4K RW", KPT_X86_ENC, 12, KPT_X86_RW, 0x12345000,
		0x12345067),
	KPT_X86("v2 4K W", KPT_X86_ENC, 12, IOMMU_WRITE, 0x12345000,
		0x12345067),
	KPT_X86("v2 2M RW", KPT_X86_ENC, 21, KPT_X86_RW, 0x40000000,
		0x400000e7),
	KPT_X86("v2 1G RW", KPT_X86_ENC, 30, KPT_X86_RW, 0x80000000,
		0x800000e7),
	{ .name = "v2 4K R", .features = KPT_X86_ENC, .top_level = 3,
	  .size_lg2 = 12, .prot = IOMMU_READ, .pa = 0x12345000,
	  .expect = 0x12345025,
	  .differs = "6.12 v2 sets D here too (0x65), a bit no write uses" },
	KPT_X86_TABLE_AT("v2 table level 1", KPT_X86_ENC, 1),
	KPT_X86_TABLE_AT("v2 table level 3", KPT_X86_ENC, 3),
};

static const struct kpt_known *kpt_known_row(unsigned int i)
{
	return i < ARRAY_SIZE(kpt_known_rows) ? &kpt_known_rows[i] : NULL;
}

static struct pt_kunit_fmt_cfg kpt_known_cfg(const struct kpt_known *row)
{
	return (struct pt_kunit_fmt_cfg){
		.name = row->name, .features = row->features,
		.top_level = row->top_level, .vasz_lg2 = row->vasz_lg2,
		.oasz_lg2 = 52, .granule_lg2 = 12,
	};
}

static u64 kpt_known_cbit(const struct kpt_known *row)
{
	if (row->features & KPT_X86_ENC)
		return pt_sme_mask();
	return 0;
}

static u64 kpt_known_root(struct kpt_domain *kd, unsigned int *top_level)
{
	struct pt_iommu_x86_64_hw_info info;

	PT_IOMMU_NS(hw_info)(&kd->table, &info);
	*top_level = info.levels - 1;
	return info.gcr3_pt;
}

