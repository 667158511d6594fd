// SPDX-License-Identifier: GPL-2.0
/* The kernel's Arm VMSAv8-64 unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_armv8.c"
#include "harness.h"

#define G16 HF_FMT(0)
#define G64 HF_FMT(1)
#define S2 HF_FMT(2)
#define DBM HF_FMT(3)
#define NS HF_FMT(4)
#define A(n, f, va, oa) { .name = n, .features = (f), .vasz = va, .oasz = oa }
static const struct hcfg hfmt_cfgs[] = {
	A("4k,s1,va25", DBM, 25, 48), A("4k,s1,va30", DBM, 30, 48),
	A("4k,s1,va31", DBM, 31, 48), A("4k,s1,va39", DBM, 39, 48),
	A("4k,s1,va40", DBM, 40, 48), A("4k,s1,va48", DBM, 48, 48),
	A("4k,s2,va25", S2 | DBM, 25, 48), A("4k,s2,va31", S2 | DBM, 31, 48),
	A("4k,s2,va40", S2 | DBM, 40, 48), A("4k,s2,va43", S2 | DBM, 43, 48),
	A("4k,s2,va44", S2 | DBM, 44, 48), A("4k,s2,va48", S2 | DBM, 48, 48),
	A("16k,s1,va25", G16 | DBM, 25, 48),
	A("16k,s1,va36", G16 | DBM, 36, 48),
	A("16k,s1,va37", G16 | DBM, 37, 48),
	A("16k,s1,va47", G16 | DBM, 47, 48),
	A("16k,s1,va48", G16 | DBM, 48, 48),
	A("16k,s2,va26", G16 | S2 | DBM, 26, 48),
	A("16k,s2,va48", G16 | S2 | DBM, 48, 48),
	A("64k,s1,va29", G64 | DBM, 29, 52),
	A("64k,s1,va42", G64 | DBM, 42, 52),
	A("64k,s1,va43", G64 | DBM, 43, 52),
	A("64k,s1,va52", G64 | DBM, 52, 52),
	A("64k,s2,va30", G64 | S2 | DBM, 30, 52),
	A("64k,s2,va52", G64 | S2 | DBM, 52, 52),
	A("64k,s1,va48,oa48", G64, 48, 48),
	A("4k,s1,va39,oa40,ns,incoherent", NS | HF_DMA_INCOHERENT, 39, 40),
	A("16k,s2,va40,oa44,incoherent", G16 | S2 | HF_DMA_INCOHERENT, 40,
	  44),
	A("4k,s1,va48,no_gaps", HF_NO_GAPS | DBM, 48, 48),
	A("64k,s2,va52,incoherent,dbm", G64 | S2 | DBM | HF_DMA_INCOHERENT,
	  52, 52),
};

static void hfmt_cfg(const struct hcfg *hc, struct pt_iommu_armv8_cfg *cfg)
{
}

#include "fmt_glue.h"
