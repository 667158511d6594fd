/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iommufd selftest mock format: AMD IOMMU v1 on a 2 KiB granule, half a
 * 4 KiB CPU page, so that the selftest can check that the core handles an
 * IOMMU page smaller than PAGE_SIZE. A table is still 512 items (4 KiB),
 * so the level 1 "huge page" is 512 granules (1 MiB). There are no sized
 * leaves; the OA is stored one bit up in the AMD OA field.
 */
#ifndef __GENERIC_PT_FMT_MOCK_H
#define __GENERIC_PT_FMT_MOCK_H

#define AMDV1PT_GRANULE_LG2SZ 11
#define AMDV1PT_NO_KUNIT_CFGS
#include "defs_mock.h"
#include "amdv1.h"

#ifdef GENERIC_PT_KUNIT
#define MOCKPT_KUNIT_CFG(_name, _features, _top, _va)                    \
	{                                                                  \
		.name = _name, .features = _features, .top_level = _top,   \
		.vasz_lg2 = _va, .oasz_lg2 = 51, .granule_lg2 = 11,        \
	}
static const struct pt_kunit_fmt_cfg pt_kunit_fmt_cfgs[] = {
	MOCKPT_KUNIT_CFG("top0", 0, 0, 64),
	MOCKPT_KUNIT_CFG("top1", 0, 1, 64),
	MOCKPT_KUNIT_CFG("top2,va31", 0, 2, 31),
	MOCKPT_KUNIT_CFG("top3", 0, 3, 64),
	MOCKPT_KUNIT_CFG("top5", 0, 5, 64),
};

/* The OA sits one bit up in the AMD OA field */
static const struct pt_kunit_fmt_vector pt_kunit_fmt_vectors[] __maybe_unused = {
	{ .level = 0, .oasz_lg2 = 11, .prot = IOMMU_READ | IOMMU_WRITE,
	  .oa = 0x800, .expect = 0x6000000000001001ULL },
	{ .level = 1, .oasz_lg2 = 20, .prot = IOMMU_READ, .oa = 0x100000,
	  .expect = 0x2000000000200001ULL },
	{ .level = 1, .expect = 0x6000000000000201ULL },
};
#endif

#endif
