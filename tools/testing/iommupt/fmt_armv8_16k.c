// SPDX-License-Identifier: GPL-2.0
/* The kernel's Arm 16K granule unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_armv8_16k.c"
#include "fmt_armv8.h"

static const struct hcfg hfmt_cfgs[] = {
	A("16k,s1,va25", G16 | DBM, 25, 48),
	A("16k,s1,va36", G16 | DBM, 36, 48),
	A("16k,s1,va37", G16 | DBM, 37, 48),
	A("16k,s1,va47", G16 | DBM, 47, 48),
	A("16k,s1,va48", G16 | DBM, 48, 48),
	A("16k,s2,va26", G16 | S2 | DBM, 26, 48),
	A("16k,s2,va48", G16 | S2 | DBM, 48, 48),
	A("16k,s2,va40,oa44,incoherent", G16 | S2 | HF_DMA_INCOHERENT, 40, 44),
};

#include "fmt_glue.h"
