// SPDX-License-Identifier: GPL-2.0
/* The kernel's iommufd mock unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_mock.c"
#include "harness.h"

static const struct hcfg hfmt_cfgs[] = {
	{ .name = "top0", .level = 0, .vasz = 64, .oasz = 51 },
	{ .name = "top1", .level = 1, .vasz = 64, .oasz = 51 },
	{ .name = "top2,va31", .level = 2, .vasz = 31, .oasz = 51 },
	{ .name = "top3", .level = 3, .vasz = 64, .oasz = 51 },
	{ .name = "top5", .level = 5, .vasz = 64, .oasz = 51 },
	{ .name = "top0,dynamic", .level = 0, .vasz = 64, .oasz = 51,
	  .features = HF_DYNAMIC_TOP },
	{ .name = "top1,dynamic,va40,no_gaps", .level = 1, .vasz = 40,
	  .oasz = 51, .features = HF_DYNAMIC_TOP | HF_NO_GAPS },
};

static void hfmt_cfg(const struct hcfg *hc, struct pt_iommu_mock_cfg *cfg)
{
	cfg->starting_level = hc->level;
}

static void hfmt_hw(const struct pt_iommu_mock_hw_info *info, struct hhw *hw)
{
	hw->root = info->host_pt_root;
	hw->mode = info->mode;
}

#include "fmt_glue.h"
