// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86_64 format compiled as its IOMMU level KUnit test, with the known
 * answers of 6.12's drivers for it
 */
#define GENERIC_PT_KUNIT 1
#define GENERIC_PT_KUNIT_IOMMU 1
#include "iommu_x86_64.c"
#include "kunit_known_x86_64.h"
