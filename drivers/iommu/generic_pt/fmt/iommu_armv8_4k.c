// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Arm VMSAv8-64 long descriptor format instance of the generic page
 * table for the 4 KiB granule: pt_iommu_armv8_4k_*().
 */
#define PT_FMT armv8
#define PT_FMT_NAME armv8_4k
#define PT_SUPPORTED_FEATURES ARMV8PT_FEATURES

#include "armv8.h"
#include "iommu_template.h"
