// SPDX-License-Identifier: GPL-2.0
/*
 * The part of the model that says what a device must get from a leaf:
 * from (format, features, prot) the access, the memory type and the other
 * attributes the walkers of walk.c read, which configurations and prots a
 * format must refuse, and what hw_info must say. Every value comes from
 * the hardware manuals or from what the 6.12 drivers and io-pgtable code
 * write for the same request, named next to it; nothing here comes from
 * the page table code under test.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

static bool is(const struct model *m, const char *name)
{
	return !strcmp(m->fmt->name, name);
}

static bool feat(const struct model *m, unsigned int f)
{
	return m->cfg->features & f;
}

int model_init_errno(const struct hfmt *fmt, const struct hcfg *cfg)
{
	/*
	 * Arm DBM with a walker that does not snoop: the SMMU writes the
	 * dirty state into memory the CPU reads through its caches, so the
	 * CPU would never see it: 6.12 arm-smmu-v3.c arm_smmu_dbm_capable()
	 * asks IO_PGTABLE_QUIRK_ARM_HD only with ARM_SMMU_FEAT_COHERENCY.
	 */
	if (!strncmp(fmt->name, "armv8_", 6) &&
	    (cfg->features & HF_ARMV8_DBM) &&
	    (cfg->features & HF_DMA_INCOHERENT))
		return -EOPNOTSUPP;
	return 0;
}

int model_prot_errno(const struct model *m, int prot)
{
	/* No access at all: every 6.12 driver refuses it */
	if (!(prot & (H_READ | H_WRITE)))
		return -EINVAL;
	/*
	 * VT-d nesting parent (ERRATA_772415_SPR17): 6.12 intel iommu.c
	 * __domain_mapping() refuses a map without DMA_PTE_WRITE.
	 */
	if (is(m, "vtdss") && feat(m, HF_VTDSS_FW) && !(prot & H_WRITE))
		return -EINVAL;
	return 0;
}

static void expect_amdv1(const struct model *m, int prot, struct hattr *a)
{
	bool sme = is(m, "amdv1") && feat(m, HF_AMDV1_SME);

	/*
	 * 6.12 drivers/iommu/amd/io_pgtable.c iommu_v1_map_pages(): IR for
	 * IOMMU_READ, IW for IOMMU_WRITE, FC (which genpt leaves to the
	 * driver's PT_FEAT_AMDV1_FORCE_COHERENCE) and __sme_set() of the
	 * address in every leaf; alloc_pte() PM_LEVEL_PDE(): PR, IR and IW
	 * in every PDE through iommu_virt_to_phys(), which is __sme_set();
	 * iommu.c set_dte_entry(): the root through iommu_virt_to_phys().
	 * No execute, memory type or privilege control in the format.
	 */
	a->r = !!(prot & H_READ);
	a->w = !!(prot & H_WRITE);
	a->user = 1;
	a->xp = 1;
	a->xu = 1;
	a->memtype = HMT_NONE;
	a->snoop = is(m, "amdv1") && feat(m, HF_AMDV1_FC);
	a->cbit = sme;
	a->cbit_tables = sme ? HT_WITH : HT_WITHOUT;
}

static void expect_x86_64(const struct model *m, int prot, struct hattr *a)
{
	bool sme = feat(m, HF_X86_64_SME);

	/*
	 * The VT-d first stage and the AMD v2 table, which 6.12 write from
	 * IOMMU_READ and IOMMU_WRITE alone: P, U/S and A always, R/W for
	 * IOMMU_WRITE, on every table too (intel iommu.c
	 * __domain_mapping() with use_first_level and pfn_to_dma_pte();
	 * amd/io_pgtable_v2.c set_pte_attr() and set_pgtable_attr()).
	 * IOMMU_PRIV, IOMMU_NOEXEC, IOMMU_MMIO and IOMMU_CACHE change
	 * nothing: no XD, no PCD/PWT/PAT (write-back), no G. A present page
	 * is readable (SDM 4.6). The C-bit in leaves and tables as AMD v2
	 * writes them (__sme_set(), iommu_virt_to_phys()).
	 */
	a->r = 1;
	a->w = !!(prot & H_WRITE);
	a->user = 1;
	a->xp = 1;
	a->xu = 1;
	a->memtype = HMT_WB;
	a->global = 0;
	a->cbit = sme;
	a->cbit_tables = sme ? HT_WITH : HT_WITHOUT;
}

static void expect_vtdss(const struct model *m, int prot, struct hattr *a)
{
	/*
	 * 6.12 intel iommu.c intel_iommu_map(): W for IOMMU_WRITE, SNP only
	 * when set_pte_snp, which intel_iommu_enforce_cache_coherency() sets
	 * for a second stage domain (PT_FEAT_VTDSS_FORCE_COHERENCE);
	 * IOMMU_CACHE is not looked at. __domain_mapping() ORs
	 * DMA_FL_PTE_PRESENT, bit 0, into every leaf, and bit 0 is R of a
	 * second stage entry: every leaf is readable. X, EMT and IPAT are
	 * never set; pfn_to_dma_pte() gives every table R and W.
	 */
	a->r = 1;
	a->w = !!(prot & H_WRITE);
	a->user = 1;
	a->xp = 0;
	a->xu = 0;
	a->memtype = HMT_NONE;
	a->snoop = feat(m, HF_VTDSS_SNP);
}

static void expect_armv8(const struct model *m, int prot, struct hattr *a)
{
	bool s2 = feat(m, HF_ARMV8_S2);

	/*
	 * 6.12 drivers/iommu/io-pgtable-arm.c arm_lpae_prot_to_pte().
	 * Stage 1: nG always, AP[2] (read-only) for READ without WRITE,
	 * DBM with IO_PGTABLE_QUIRK_ARM_HD otherwise, AP[1] (EL0) unless
	 * PRIV, AttrIndx DEV for MMIO, CACHE for CACHE, else NC, with the
	 * MAIR of arm_64_lpae_alloc_pgtable_s1() (NC 0x44, WBRWA 0xff,
	 * DEVICE 0x04: Device-nGnRE). Stage 2: S2AP read and write from
	 * READ and WRITE, MemAttr DEV (0x1), OIWB (0xf) or NC (0x5). Both:
	 * SH inner shareable for CACHE, else outer; AF; XN for NOEXEC
	 * (at stage 2 io-pgtable-arm writes XN[1:0] = 3, which with
	 * FEAT_XNX lets EL1 execute: the expectation is no execution at
	 * all, as IOMMU_NOEXEC asks); NS with IO_PGTABLE_QUIRK_ARM_NS on
	 * leaves and NSTable on every table (arm_lpae_install_table()).
	 */
	a->r = s2 ? !!(prot & H_READ) : 1;
	a->w = !!(prot & H_WRITE);
	a->user = s2 || !(prot & H_PRIV);
	a->xp = !(prot & H_NOEXEC);
	a->xu = a->xp;
	a->memtype = (prot & H_MMIO)  ? HMT_DEV_NGNRE :
		     (prot & H_CACHE) ? HMT_WB :
					HMT_NC;
	a->sh = (prot & H_CACHE) ? 3 : 2;
	a->global = 0;
	a->ns = !s2 && feat(m, HF_ARMV8_NS);
	a->ns_tables = a->ns ? HT_WITH : HT_WITHOUT;
	a->af = 1;
}

void model_expect(const struct model *m, const struct mleaf *l,
		  struct hattr *a)
{
	memset(a, 0, sizeof(*a));
	a->ns_tables = HT_WITHOUT;
	a->cbit_tables = HT_WITHOUT;
	if (is(m, "amdv1") || is(m, "mock"))
		expect_amdv1(m, l->prot, a);
	else if (is(m, "x86_64"))
		expect_x86_64(m, l->prot, a);
	else if (is(m, "vtdss"))
		expect_vtdss(m, l->prot, a);
	else
		expect_armv8(m, l->prot, a);
	a->dirty = l->dirty;
}

#define HW_FAIL(...) ({ snprintf(why, len, "hw_info: " __VA_ARGS__); false; })

bool model_expect_hw(const struct model *m, const struct hhw *hw,
		     unsigned int top_level, char *why, size_t len)
{
	static const u8 ps_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	bool coherent = !feat(m, HF_DMA_INCOHERENT);
	unsigned int ps = 0, tg;

	/* AMD DTE mode: the number of levels (AMD IOMMU spec, DTE) */
	if ((is(m, "amdv1") || is(m, "mock")) && hw->mode != top_level + 1)
		return HW_FAIL("mode %u for a top at level %u", hw->mode,
			       top_level);
	/* 4 or 5 level paging */
	if (is(m, "x86_64") && hw->mode != top_level + 1)
		return HW_FAIL("%u levels for a top at level %u", hw->mode,
			       top_level);
	/* VT-d context entry AW: 1, 2, 3 for 3, 4, 5 levels */
	if (is(m, "vtdss") && hw->mode != top_level - 1)
		return HW_FAIL("AW %u for a top at level %u", hw->mode,
			       top_level);
	if (strncmp(m->fmt->name, "armv8_", 6))
		return true;
	/* TG0 / S2TG: 0 4K, 1 64K, 2 16K (SMMUv3 CD and STE) */
	tg = m->granule_lg2 == 16 ? 1 : m->granule_lg2 == 14 ? 2 : 0;
	while (ps + 1 < sizeof(ps_bits) && ps_bits[ps] < m->cfg->oasz)
		ps++;
	if (hw->tg != tg || hw->tsz != 64 - m->va_bits || hw->ps != ps)
		return HW_FAIL("TG %u T0SZ %u PS %u, want %u %u %u", hw->tg,
			       hw->tsz, hw->ps, tg, 64 - m->va_bits, ps);
	/*
	 * Table walk attributes, 6.12 io-pgtable-arm.c
	 * arm_64_lpae_alloc_pgtable_s1() and _s2(): coherent walks inner
	 * shareable write-back write-allocate, others outer shareable
	 * non-cacheable.
	 */
	if (hw->sh != (coherent ? 3 : 2) || hw->irgn != coherent ||
	    hw->orgn != coherent)
		return HW_FAIL("walk SH %u IRGN %u ORGN %u for a%s walker",
			       hw->sh, hw->irgn, hw->orgn,
			       coherent ? " coherent" : "n incoherent");
	return true;
}
