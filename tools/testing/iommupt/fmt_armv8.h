/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver side shared by the three Arm units, one per granule: names for
 * the format's feature bits in struct hcfg, the configuration, which is
 * nothing but those features, and the hw_info copied into struct hhw.
 */
#include "harness.h"

#define G16 HF_ARMV8_G16
#define G64 HF_ARMV8_G64
#define S2 HF_ARMV8_S2
#define DBM HF_ARMV8_DBM
#define NS HF_ARMV8_NS
#define A(n, f, va, oa) { .name = n, .features = (f), .vasz = va, .oasz = oa }

static void hfmt_cfg(const struct hcfg *hc, struct pt_iommu_armv8_cfg *cfg)
{
}

static void hfmt_hw(const struct pt_iommu_armv8_hw_info *info, struct hhw *hw)
{
	hw->root = info->ttbr;
	hw->tsz = info->tsz;
	hw->tg = info->tg;
	hw->sl = info->sl;
	hw->ps = info->ps;
	hw->sh = info->sh;
	hw->irgn = info->irgn;
	hw->orgn = info->orgn;
	hw->mair = info->mair;
}
