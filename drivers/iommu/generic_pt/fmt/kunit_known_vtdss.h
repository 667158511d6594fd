/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Known answers for the Intel VT-d second stage, read off 6.12's
 * drivers/iommu/intel/iommu.c and iommu.h:
 *
 * - intel_iommu_map() turns IOMMU_READ into DMA_PTE_READ (bit 0),
 *   IOMMU_WRITE into DMA_PTE_WRITE (bit 1), and adds DMA_PTE_SNP (bit 11)
 *   when the domain's set_pte_snp is set, which force snooping
 *   (domain_set_force_snooping()) does for a second stage domain. Nothing
 *   else of the prot is used.
 * - __domain_mapping() refuses a prot with neither R nor W (-EINVAL), and,
 *   on a nesting parent, a prot without W (-EINVAL, erratum 772415). It
 *   writes the leaf as paddr | (prot & (R | W | SNP)) | DMA_FL_PTE_PRESENT,
 *   and DMA_FL_PTE_PRESENT is bit 0: every leaf is readable, a write-only
 *   map included. A 2M or 1G leaf adds DMA_PTE_LARGE_PAGE (bit 7).
 * - pfn_to_dma_pte() writes a table pointer as the table's address |
 *   DMA_PTE_READ | DMA_PTE_WRITE, whatever the domain's features.
 * - The context entry's AW is the AGAW: 1, 2, 3 for 3, 4, 5 levels.
 *
 * PT_FEAT_VTDSS_FORCE_COHERENCE is set_pte_snp, PT_FEAT_VTDSS_FORCE_WRITEABLE
 * is nested_parent.
 */
#include "../kunit_known_answers.h"

#define KPT_VTD_SNP BIT(PT_FEAT_VTDSS_FORCE_COHERENCE)
#define KPT_VTD_FW BIT(PT_FEAT_VTDSS_FORCE_WRITEABLE)
#define KPT_VTD_RW (IOMMU_READ | IOMMU_WRITE)

#define KPT_VTD(_name, _features, _size, _prot, _pa, _expect)              \
	{ .name = _name, .features = _features, .top_level = 3,            \
	  .size_lg2 = _size, .prot = _prot, .pa = _pa, .expect = _expect }
#define KPT_VTD_REFUSED(_name, _features, _prot)                           \
	{ .name = _name, .features = _features, .top_level = 3,            \
	  .size_lg2 = 12, .prot = _prot, .pa = 0x12345000, .err = -EINVAL }
#define KPT_VTD_TABLE_AT(_name, _features, _level)                         \
	{ .name = _name, .features = _features, .top_level = 3,            \
	  .size_lg2 = 12, .prot = KPT_VTD_RW, .pa = 0x12345000,            \
	  .table_level = _level, .expect = 0x3 }

static const struct kpt_known kpt_known_rows[] = {
	KPT_VTD("4K R", 0, 12, IOMMU_READ, 0x12345000, 0x12345001),
	/* DMA_FL_PTE_PRESENT is DMA_PTE_READ */
	KPT_VTD("4K W", 0, 12, IOMMU_WRITE, 0x12345000, 0x12345003),
	KPT_VTD("4K RW", 0, 12, KPT_VTD_RW, 0x12345000, 0x12345003),
	KPT_VTD("4K RW cache noexec mmio priv", 0, 12,
		KPT_VTD_RW | IOMMU_CACHE | IOMMU_NOEXEC | IOMMU_MMIO |
			IOMMU_PRIV,
		0x12345000, 0x12345003),
	KPT_VTD("2M R", 0, 21, IOMMU_READ, 0x40000000, 0x40000081),
	KPT_VTD("2M W", 0, 21, IOMMU_WRITE, 0x40000000, 0x40000083),
	KPT_VTD("1G RW", 0, 30, KPT_VTD_RW, 0x80000000, 0x80000083),
	KPT_VTD_REFUSED("no access refused", 0, IOMMU_CACHE),
	KPT_VTD_TABLE_AT("table level 1", 0, 1),
	KPT_VTD_TABLE_AT("table level 2", 0, 2),
	KPT_VTD_TABLE_AT("table level 3", 0, 3),

	/* set_pte_snp: DMA_PTE_SNP in leaves, not in table pointers */
	KPT_VTD("snp 4K R", KPT_VTD_SNP, 12, IOMMU_READ, 0x12345000,
		0x12345801),
	KPT_VTD("snp 4K RW", KPT_VTD_SNP, 12, KPT_VTD_RW, 0x12345000,
		0x12345803),
	KPT_VTD("snp 2M RW", KPT_VTD_SNP, 21, KPT_VTD_RW, 0x40000000,
		0x40000883),
	KPT_VTD_TABLE_AT("snp table level 1", KPT_VTD_SNP, 1),

	/* nested_parent: no read-only leaf at all */
	KPT_VTD_REFUSED("fw 4K R refused", KPT_VTD_FW, IOMMU_READ),
	KPT_VTD_REFUSED("fw 4K R cache refused", KPT_VTD_FW,
			IOMMU_READ | IOMMU_CACHE),
	KPT_VTD("fw 4K RW", KPT_VTD_FW, 12, KPT_VTD_RW, 0x12345000,
		0x12345003),
	KPT_VTD("fw 4K W", KPT_VTD_FW, 12, IOMMU_WRITE, 0x12345000,
		0x12345003),
	KPT_VTD("fw snp 1G RW", KPT_VTD_FW | KPT_VTD_SNP, 30, KPT_VTD_RW,
		0x80000000, 0x80000883),
	KPT_VTD_TABLE_AT("fw table level 2", KPT_VTD_FW, 2),
};

static const struct kpt_known *kpt_known_row(unsigned int i)
{
	return i < ARRAY_SIZE(kpt_known_rows) ? &kpt_known_rows[i] : NULL;
}

static struct pt_kunit_fmt_cfg kpt_known_cfg(const struct kpt_known *row)
{
	return (struct pt_kunit_fmt_cfg){
		.name = row->name, .features = row->features,
		.top_level = row->top_level, .vasz_lg2 = 48, .oasz_lg2 = 52,
		.granule_lg2 = 12,
	};
}

static u64 kpt_known_cbit(const struct kpt_known *row)
{
	return 0;
}

static u64 kpt_known_root(struct kpt_domain *kd, unsigned int *top_level)
{
	struct pt_iommu_vtdss_hw_info info;

	PT_IOMMU_NS(hw_info)(&kd->table, &info);
	/* AW 1, 2, 3 is a 3, 4, 5 level walk */
	*top_level = info.aw + 1;
	return info.ssptptr;
}

