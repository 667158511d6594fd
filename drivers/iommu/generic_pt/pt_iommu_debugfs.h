/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-domain debugfs directories of the generic page table. The files
 * themselves are instantiated per format by iommu_pt_dump.h; this part is
 * format independent and built once.
 */
#ifndef __GENERIC_PT_PT_IOMMU_DEBUGFS_H
#define __GENERIC_PT_PT_IOMMU_DEBUGFS_H

#include <linux/fs.h>

struct iommu_domain;
struct pt_iommu;
struct seq_file;

/**
 * struct pt_iommu_debugfs_files - The files of a table's directory
 * @ptdump: The page table dump, a seq_file
 * @stats: The table and leaf counts, a seq_file
 * @info: The format, features and users of the domain, a seq_file
 *
 * All are opened with the &struct pt_iommu as the inode's i_private.
 */
struct pt_iommu_debugfs_files {
	const struct file_operations *ptdump;
	const struct file_operations *stats;
	const struct file_operations *info;
};

int pt_iommu_debugfs_add(struct pt_iommu *iommu_table,
			 const struct pt_iommu_debugfs_files *files);
void pt_iommu_debugfs_remove(struct pt_iommu *iommu_table);
void pt_iommu_debugfs_show_use(struct seq_file *m, struct iommu_domain *domain);

/**
 * struct pt_dump_sections - The RCU read sections of one open ptdump file
 * @count: How many rcu_read_lock() sections its walks took
 * @most_leaves: The most leaves one section visited
 *
 * The first member of the iterator of every open ptdump file, which is the
 * private data of its seq_file, so that the KUnit test can check the bound.
 */
struct pt_dump_sections {
	unsigned long count;
	unsigned int most_leaves;
};

/*
 * The most leaves a reader of a table's files visits in one
 * rcu_read_lock() section: a huge table does not hold up RCU grace periods
 */
#define PT_DEBUGFS_SECTION_LEAVES 1024

#if IS_ENABLED(CONFIG_KUNIT)
void pt_iommu_debugfs_hold_lock(bool hold);
#endif

#endif
