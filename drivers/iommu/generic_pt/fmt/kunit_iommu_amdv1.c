// SPDX-License-Identifier: GPL-2.0-only
/*
 * The amdv1 format compiled as its IOMMU level KUnit test, with the known
 * answers of 6.12's drivers for it
 */
#define GENERIC_PT_KUNIT 1
#define GENERIC_PT_KUNIT_IOMMU 1
#include "iommu_amdv1.c"
#include "kunit_known_amdv1.h"
