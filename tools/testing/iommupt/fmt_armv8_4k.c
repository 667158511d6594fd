// SPDX-License-Identifier: GPL-2.0
/* The kernel's Arm 4K granule unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_armv8_4k.c"
#include "fmt_armv8.h"

static const struct hcfg hfmt_cfgs[] = {
	A("4k,s1,va25", DBM, 25, 48),
	A("4k,s1,va30", DBM, 30, 48),
	A("4k,s1,va31", DBM, 31, 48),
	A("4k,s1,va39", DBM, 39, 48),
	A("4k,s1,va40", DBM, 40, 48),
	A("4k,s1,va48", DBM, 48, 48),
	A("4k,s2,va25", S2 | DBM, 25, 48),
	A("4k,s2,va31", S2 | DBM, 31, 48),
	A("4k,s2,va40", S2 | DBM, 40, 48),
	A("4k,s2,va43", S2 | DBM, 43, 48),
	A("4k,s2,va44", S2 | DBM, 44, 48),
	A("4k,s2,va48", S2 | DBM, 48, 48),
	A("4k,s1,va39,oa40,ns,incoherent", NS | HF_DMA_INCOHERENT, 39, 40),
	A("4k,s1,va48,no_gaps", HF_NO_GAPS | DBM, 48, 48),
};

#include "fmt_glue.h"
