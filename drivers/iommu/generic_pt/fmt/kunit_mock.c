// SPDX-License-Identifier: GPL-2.0-only
/* The iommufd selftest mock format compiled as its format level KUnit test */
#define GENERIC_PT_KUNIT 1
#include "iommu_mock.c"
