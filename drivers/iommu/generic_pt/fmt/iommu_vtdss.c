// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Intel VT-d second stage format instance of the generic page table.
 */
#define PT_FMT vtdss
#define PT_SUPPORTED_FEATURES                                          \
	(BIT(PT_FEAT_DMA_INCOHERENT) | BIT(PT_FEAT_FLUSH_RANGE) |      \
	 BIT(PT_FEAT_FLUSH_RANGE_NO_GAPS) |                            \
	 BIT(PT_FEAT_VTDSS_FORCE_COHERENCE) |                          \
	 BIT(PT_FEAT_VTDSS_FORCE_WRITEABLE))

#include "vtdss.h"
#include "iommu_template.h"
