// SPDX-License-Identifier: GPL-2.0-only
/* The x86-64 format compiled as its format level KUnit test */
#define GENERIC_PT_KUNIT 1
#include "iommu_x86_64.c"
