// SPDX-License-Identifier: GPL-2.0
/* The kernel's x86-64 unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_x86_64.c"
#include "harness.h"

#define X86_SME HF_FMT(0)
static const struct hcfg hfmt_cfgs[] = {
	{ .name = "4lvl", .level = 3, .vasz = 57, .oasz = 52,
	  .features = HF_SIGN_EXTEND },
	{ .name = "5lvl", .level = 4, .vasz = 57, .oasz = 52,
	  .features = HF_SIGN_EXTEND },
	{ .name = "4lvl,sme", .level = 3, .vasz = 48, .oasz = 51,
	  .features = HF_SIGN_EXTEND | X86_SME },
	{ .name = "5lvl,incoherent", .level = 4, .vasz = 57, .oasz = 52,
	  .features = HF_SIGN_EXTEND | HF_DMA_INCOHERENT },
	{ .name = "4lvl,no_gaps,oa46", .level = 3, .vasz = 57, .oasz = 46,
	  .features = HF_SIGN_EXTEND | HF_NO_GAPS },
	{ .name = "4lvl,incoherent,range", .level = 3, .vasz = 48,
	  .oasz = 52,
	  .features = HF_SIGN_EXTEND | HF_DMA_INCOHERENT | HF_FLUSH_RANGE },
	/* VT-d first stage under an MGAW narrower than the walk */
	{ .name = "4lvl,va39", .level = 3, .vasz = 39, .oasz = 52 },
	{ .name = "5lvl,va48,sme", .level = 4, .vasz = 48, .oasz = 51,
	  .features = X86_SME },
	{ .name = "4lvl,va57", .level = 3, .vasz = 57, .oasz = 52 },
};

static void hfmt_cfg(const struct hcfg *hc, struct pt_iommu_x86_64_cfg *cfg)
{
	cfg->top_level = hc->level;
}

#include "fmt_glue.h"
