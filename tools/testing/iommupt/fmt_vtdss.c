// SPDX-License-Identifier: GPL-2.0
/* The kernel's VT-d second stage unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_vtdss.c"
#include "harness.h"

#define VTD_SNP HF_VTDSS_SNP
#define VTD_FW HF_VTDSS_FW
static const struct hcfg hfmt_cfgs[] = {
	{ .name = "3lvl,va39", .level = 2, .vasz = 39, .oasz = 52 },
	{ .name = "4lvl,va48", .level = 3, .vasz = 48, .oasz = 52 },
	{ .name = "5lvl,va57", .level = 4, .vasz = 57, .oasz = 52 },
	{ .name = "4lvl,va39", .level = 3, .vasz = 39, .oasz = 52 },
	{ .name = "5lvl,va48", .level = 4, .vasz = 48, .oasz = 52 },
	{ .name = "4lvl,va42,oa39", .level = 3, .vasz = 42, .oasz = 39 },
	{ .name = "4lvl,va48,snp,fw", .level = 3, .vasz = 48, .oasz = 52,
	  .features = VTD_SNP | VTD_FW },
	{ .name = "3lvl,va39,incoherent", .level = 2, .vasz = 39, .oasz = 52,
	  .features = HF_DMA_INCOHERENT },
	{ .name = "4lvl,va48,no_gaps", .level = 3, .vasz = 48, .oasz = 52,
	  .features = HF_NO_GAPS },
};

static void hfmt_cfg(const struct hcfg *hc, struct pt_iommu_vtdss_cfg *cfg)
{
	cfg->top_level = hc->level;
}

static void hfmt_hw(const struct pt_iommu_vtdss_hw_info *info,
		    struct hhw *hw)
{
	hw->root = info->ssptptr;
	hw->mode = info->aw;
}

#include "fmt_glue.h"
