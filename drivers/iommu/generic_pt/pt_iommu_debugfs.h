/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-domain debugfs directories of the generic page table. The files
 * themselves are instantiated per format by iommu_pt_dump.h; this part is
 * format independent and built once.
 */
#ifndef __GENERIC_PT_PT_IOMMU_DEBUGFS_H
#define __GENERIC_PT_PT_IOMMU_DEBUGFS_H

#include <linux/fs.h>

struct pt_iommu;

/**
 * struct pt_iommu_debugfs_files - The files of a table's directory
 * @ptdump: The page table dump, a seq_file
 * @stats: The table and leaf counts, a seq_file
 *
 * Both are opened with the &struct pt_iommu as the inode's i_private.
 */
struct pt_iommu_debugfs_files {
	const struct file_operations *ptdump;
	const struct file_operations *stats;
};

int pt_iommu_debugfs_add(struct pt_iommu *iommu_table,
			 const struct pt_iommu_debugfs_files *files);
void pt_iommu_debugfs_remove(struct pt_iommu *iommu_table);

#if IS_ENABLED(CONFIG_KUNIT)
int pt_iommu_debugfs_lookup(struct pt_iommu *iommu_table,
			    const struct pt_iommu_debugfs_files **files);
#endif

#endif
