// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every generic page table gets /sys/kernel/debug/iommu/domain_<id>/ from
 * its init to its deinit, with the files its format's unit provides. The id
 * is a small number from an IDA, so the names never reveal a kernel address
 * and are reused as domains come and go.
 */
#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/hashtable.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "pt_iommu_debugfs.h"

struct pt_iommu_debugfs {
	struct hlist_node node;
	struct pt_iommu *iommu_table;
	const struct pt_iommu_debugfs_files *files;
	struct dentry *dir;
	int id;
};

static DEFINE_IDA(pt_iommu_debugfs_ids);
/* Serialises the table below and the creation of the iommu directory */
static DEFINE_MUTEX(pt_iommu_debugfs_lock);
static DEFINE_HASHTABLE(pt_iommu_debugfs_tables, 6);
static struct dentry *pt_iommu_debugfs_root;

/*
 * The iommu directory is the IOMMU core's when IOMMU_DEBUGFS made it at
 * boot; without it the first table makes it, and it then stays.
 */
static struct dentry *pt_iommu_debugfs_get_root(void)
{
	struct dentry *root;

	if (pt_iommu_debugfs_root)
		return pt_iommu_debugfs_root;
	root = debugfs_lookup("iommu", NULL);
	if (!root)
		root = debugfs_create_dir("iommu", NULL);
	if (IS_ERR(root))
		return root;
	pt_iommu_debugfs_root = root;
	return root;
}

static struct pt_iommu_debugfs *pt_iommu_debugfs_find(struct pt_iommu *table)
{
	struct pt_iommu_debugfs *dbg;

	lockdep_assert_held(&pt_iommu_debugfs_lock);
	hash_for_each_possible(pt_iommu_debugfs_tables, dbg, node,
			       (unsigned long)table)
		if (dbg->iommu_table == table)
			return dbg;
	return NULL;
}

/**
 * pt_iommu_debugfs_add() - Give a table its debugfs directory
 * @iommu_table: The table, just initialised
 * @files: The files of its format
 *
 * Creates iommu/domain_<id>/ with the files, each 0400. Failing to is not
 * an error of the table: it just has no directory.
 *
 * Context: process context; may sleep.
 * Return: the id, which IOMMU_DEBUG_PAGEALLOC reports name the domain by,
 * or a negative errno if the table has no directory.
 */
int pt_iommu_debugfs_add(struct pt_iommu *iommu_table,
			 const struct pt_iommu_debugfs_files *files)
{
	struct pt_iommu_debugfs *dbg;
	struct dentry *root;
	char name[24];
	int id;

	dbg = kzalloc(sizeof(*dbg), GFP_KERNEL);
	if (!dbg)
		return -ENOMEM;
	dbg->id = ida_alloc(&pt_iommu_debugfs_ids, GFP_KERNEL);
	if (dbg->id < 0) {
		id = dbg->id;
		kfree(dbg);
		return id;
	}
	dbg->iommu_table = iommu_table;
	dbg->files = files;
	snprintf(name, sizeof(name), "domain_%d", dbg->id);

	mutex_lock(&pt_iommu_debugfs_lock);
	root = pt_iommu_debugfs_get_root();
	dbg->dir = debugfs_create_dir(name, root);
	debugfs_create_file("ptdump", 0400, dbg->dir, iommu_table,
			    files->ptdump);
	debugfs_create_file("stats", 0400, dbg->dir, iommu_table,
			    files->stats);
	hash_add(pt_iommu_debugfs_tables, &dbg->node,
		 (unsigned long)iommu_table);
	id = dbg->id;
	mutex_unlock(&pt_iommu_debugfs_lock);
	return id;
}
EXPORT_SYMBOL_GPL(pt_iommu_debugfs_add);

/**
 * pt_iommu_debugfs_remove() - Remove a table's debugfs directory
 * @iommu_table: The table, about to be freed
 *
 * Returns once no reader of its files is left; later reads of a file that
 * is still open fail. Does nothing for a table without a directory.
 *
 * Context: process context; may sleep.
 */
void pt_iommu_debugfs_remove(struct pt_iommu *iommu_table)
{
	struct pt_iommu_debugfs *dbg;

	mutex_lock(&pt_iommu_debugfs_lock);
	dbg = pt_iommu_debugfs_find(iommu_table);
	if (dbg)
		hash_del(&dbg->node);
	mutex_unlock(&pt_iommu_debugfs_lock);
	if (!dbg)
		return;
	debugfs_remove(dbg->dir);
	ida_free(&pt_iommu_debugfs_ids, dbg->id);
	kfree(dbg);
}
EXPORT_SYMBOL_GPL(pt_iommu_debugfs_remove);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * pt_iommu_debugfs_lookup() - The id and files of a table, for tests
 * @iommu_table: The table
 * @files: Set to its files
 *
 * Return: the id in its directory name, or -ENOENT if it has none
 */
int pt_iommu_debugfs_lookup(struct pt_iommu *iommu_table,
			    const struct pt_iommu_debugfs_files **files)
{
	struct pt_iommu_debugfs *dbg;
	int id = -ENOENT;

	mutex_lock(&pt_iommu_debugfs_lock);
	dbg = pt_iommu_debugfs_find(iommu_table);
	if (dbg) {
		*files = dbg->files;
		id = dbg->id;
	}
	mutex_unlock(&pt_iommu_debugfs_lock);
	return id;
}
EXPORT_SYMBOL_IF_KUNIT(pt_iommu_debugfs_lookup);
#endif
