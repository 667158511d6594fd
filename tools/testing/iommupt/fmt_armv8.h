/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver side shared by the three Arm units, one per granule: names for
 * the format's feature bits in struct hcfg, and the configuration, which is
 * nothing but those features.
 */
#include "harness.h"

#define G16 HF_FMT(0)
#define G64 HF_FMT(1)
#define S2 HF_FMT(2)
#define DBM HF_FMT(3)
#define NS HF_FMT(4)
#define A(n, f, va, oa) { .name = n, .features = (f), .vasz = va, .oasz = oa }

static void hfmt_cfg(const struct hcfg *hc, struct pt_iommu_armv8_cfg *cfg)
{
}
