// SPDX-License-Identifier: GPL-2.0
/* The kernel's Arm 64K granule unit, unchanged, and its driver side */
#include "../../../drivers/iommu/generic_pt/fmt/iommu_armv8_64k.c"
#include "fmt_armv8.h"

static const struct hcfg hfmt_cfgs[] = {
	A("64k,s1,va29", G64 | DBM, 29, 52),
	A("64k,s1,va42", G64 | DBM, 42, 52),
	A("64k,s1,va43", G64 | DBM, 43, 52),
	A("64k,s1,va52", G64 | DBM, 52, 52),
	A("64k,s2,va30", G64 | S2 | DBM, 30, 52),
	A("64k,s2,va52", G64 | S2 | DBM, 52, 52),
	A("64k,s1,va48,oa48", G64, 48, 48),
	/* DBM needs a coherent walker: init refuses it with incoherent */
	A("64k,s2,va52,incoherent", G64 | S2 | HF_DMA_INCOHERENT, 52, 52),
};

#include "fmt_glue.h"
