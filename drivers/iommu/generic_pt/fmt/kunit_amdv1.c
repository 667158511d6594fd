// SPDX-License-Identifier: GPL-2.0-only
/* The AMD IOMMU v1 format compiled as its format level KUnit test */
#define GENERIC_PT_KUNIT 1
#include "iommu_amdv1.c"
