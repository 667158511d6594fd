// SPDX-License-Identifier: GPL-2.0-only
/* The Intel VT-d second stage format compiled as its format level KUnit test */
#define GENERIC_PT_KUNIT 1
#include "iommu_vtdss.c"
