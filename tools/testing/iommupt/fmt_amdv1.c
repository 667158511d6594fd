// SPDX-License-Identifier: GPL-2.0
/* The kernel's AMD IOMMU v1 unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_amdv1.c"
#include "harness.h"

#define AMD_FC HF_FMT(1)
#define AMD_SME HF_FMT(0)
static const struct hcfg hfmt_cfgs[] = {
	{ .name = "top0", .level = 0, .vasz = 64, .oasz = 52 },
	{ .name = "top1", .level = 1, .vasz = 64, .oasz = 52 },
	{ .name = "top2", .level = 2, .vasz = 64, .oasz = 52 },
	{ .name = "top3", .level = 3, .vasz = 64, .oasz = 52 },
	{ .name = "top4", .level = 4, .vasz = 64, .oasz = 52 },
	{ .name = "top5", .level = 5, .vasz = 64, .oasz = 52 },
	{ .name = "top2,fc,sme", .level = 2, .vasz = 64, .oasz = 51,
	  .features = AMD_FC | AMD_SME },
	{ .name = "top3,va40,oa40", .level = 3, .vasz = 40, .oasz = 40 },
	{ .name = "top0,dynamic", .level = 0, .vasz = 64, .oasz = 52,
	  .features = HF_DYNAMIC_TOP },
	{ .name = "top2,dynamic,va48,no_gaps", .level = 2, .vasz = 48,
	  .oasz = 52, .features = HF_DYNAMIC_TOP | HF_NO_GAPS },
	{ .name = "top1,dynamic,full_va,range", .level = 1, .vasz = 64,
	  .oasz = 52,
	  .features = HF_DYNAMIC_TOP | HF_FULL_VA | HF_FLUSH_RANGE },
};

static void hfmt_cfg(const struct hcfg *hc, struct pt_iommu_amdv1_cfg *cfg)
{
	cfg->starting_level = hc->level;
}

#include "fmt_glue.h"
