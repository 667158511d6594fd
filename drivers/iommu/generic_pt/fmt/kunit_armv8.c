// SPDX-License-Identifier: GPL-2.0-only
/* The Arm VMSAv8-64 format compiled as its format level KUnit test */
#define GENERIC_PT_KUNIT 1
#include "iommu_armv8.c"
