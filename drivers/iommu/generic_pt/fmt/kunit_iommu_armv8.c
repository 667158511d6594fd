// SPDX-License-Identifier: GPL-2.0-only
/* The armv8 format compiled as its IOMMU level KUnit test */
#define GENERIC_PT_KUNIT 1
#define GENERIC_PT_KUNIT_IOMMU 1
#include "iommu_armv8.c"
