// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Arm VMSAv8-64 long descriptor format instance of the generic page
 * table for the 64 KiB granule: pt_iommu_armv8_64k_*().
 */
#define PT_FMT armv8
#define PT_FMT_NAME armv8_64k
#define PT_SUPPORTED_FEATURES (ARMV8PT_FEATURES | BIT(PT_FEAT_ARMV8_GRANULE_64K))
#define PT_FORCE_ENABLED_FEATURES BIT(PT_FEAT_ARMV8_GRANULE_64K)

#include "armv8.h"
#include "iommu_template.h"
