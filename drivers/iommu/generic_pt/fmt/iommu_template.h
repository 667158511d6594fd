/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The body every format's compilation unit shares. iommu_FMT.c defines
 * PT_FMT and PT_SUPPORTED_FEATURES, includes the format header and then this
 * file, which instantiates the format independent code for that format. The
 * same unit compiled with GENERIC_PT_KUNIT defined becomes the format's
 * KUnit test instead.
 */
#include <linux/linkage.h>
#include <linux/stringify.h>

#include "../pt_common.h"
#include "../pt_iter.h"

#ifdef GENERIC_PT_KUNIT_IOMMU
#include "../kunit_iommu_pt.h"
#elif defined(GENERIC_PT_KUNIT)
#include "../kunit_generic_pt.h"
#else
#include "../iommu_pt.h"
#include <linux/module.h>

MODULE_DESCRIPTION("Generic page table format " __stringify(PT_FMT_NAME));
MODULE_LICENSE("GPL");
#endif
