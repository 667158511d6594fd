// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every generic page table gets /sys/kernel/debug/iommu/domain_<id>/ from
 * its init to its deinit, with the files its format's unit provides. The id
 * is a small number, so the names never reveal a kernel address, given
 * cyclically: an id seen in a report or a saved dump names no other domain
 * until the ids wrap.
 */
#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/generic_pt/iommu.h>
#include <linux/iommu.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "pt_iommu_debugfs.h"

struct pt_iommu_debugfs {
	struct dentry *dir;
	int id;
};

static DEFINE_XARRAY_ALLOC(pt_iommu_debugfs_ids);
static u32 pt_iommu_debugfs_next_id;
/* Serialises the making of the iommu directory */
static DEFINE_MUTEX(pt_iommu_debugfs_lock);
static struct dentry *pt_iommu_debugfs_root;

/*
 * The iommu directory is the IOMMU core's when IOMMU_DEBUGFS made it at
 * boot; without it the first table makes it, and it then stays.
 */
static struct dentry *pt_iommu_debugfs_get_root(void)
{
	struct dentry *root;

	mutex_lock(&pt_iommu_debugfs_lock);
	root = pt_iommu_debugfs_root;
	if (!root) {
		root = debugfs_lookup("iommu", NULL);
		if (!root)
			root = debugfs_create_dir("iommu", NULL);
		if (!IS_ERR(root))
			pt_iommu_debugfs_root = root;
	}
	mutex_unlock(&pt_iommu_debugfs_lock);
	return root;
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
 *
 * Return: the id, which IOMMU_DEBUG_PAGEALLOC reports name the domain by,
 * or a negative errno if the table has no directory.
 */
int pt_iommu_debugfs_add(struct pt_iommu *iommu_table,
			 const struct pt_iommu_debugfs_files *files)
{
	struct pt_iommu_debugfs *dbg;
	struct dentry *root;
	char name[24];
	u32 id;
	int ret;

	dbg = kzalloc(sizeof(*dbg), GFP_KERNEL);
	if (!dbg)
		return -ENOMEM;
	ret = xa_alloc_cyclic(&pt_iommu_debugfs_ids, &id, dbg,
			      XA_LIMIT(0, INT_MAX), &pt_iommu_debugfs_next_id,
			      GFP_KERNEL);
	if (ret < 0) {
		kfree(dbg);
		return ret;
	}
	dbg->id = id;
	snprintf(name, sizeof(name), "domain_%d", dbg->id);

	root = pt_iommu_debugfs_get_root();
	dbg->dir = debugfs_create_dir(name, root);
	debugfs_create_file("ptdump", 0400, dbg->dir, iommu_table,
			    files->ptdump);
	debugfs_create_file("stats", 0400, dbg->dir, iommu_table,
			    files->stats);
	debugfs_create_file("info", 0400, dbg->dir, iommu_table, files->info);
	WRITE_ONCE(iommu_table->debugfs, dbg);
	return id;
}
EXPORT_SYMBOL_GPL(pt_iommu_debugfs_add);

/**
 * pt_iommu_debugfs_remove() - Remove a table's debugfs directory
 * @iommu_table: The table, about to be freed
 *
 * Returns once no reader of its files is left; later reads of a file that
 * is still open fail with -EIO. Does nothing, and takes no lock, for a
 * table without a directory.
 *
 * Context: process context; may sleep, waiting for the files' readers.
 */
void pt_iommu_debugfs_remove(struct pt_iommu *iommu_table)
{
	struct pt_iommu_debugfs *dbg = iommu_table->debugfs;

	if (!dbg)
		return;
	debugfs_remove(dbg->dir);
	WRITE_ONCE(iommu_table->debugfs, NULL);
	xa_erase(&pt_iommu_debugfs_ids, dbg->id);
	kfree(dbg);
}
EXPORT_SYMBOL_GPL(pt_iommu_debugfs_remove);

/**
 * pt_iommu_debugfs_id() - The id of a table's debugfs directory
 * @iommu_table: The table
 *
 * The id names the table in debug output, as the directory does:
 * iommu/domain_<id>. Ids are given cyclically, so an id in a report names
 * no other table until the ids wrap.
 *
 * Context: any, between the table's init and its deinit's removal of the
 * directory.
 * Return: the <id> of iommu/domain_<id>, or -ENOENT if the table has no
 * directory
 */
int pt_iommu_debugfs_id(const struct pt_iommu *iommu_table)
{
	const struct pt_iommu_debugfs *dbg = READ_ONCE(iommu_table->debugfs);

	return dbg ? dbg->id : -ENOENT;
}
EXPORT_SYMBOL_GPL(pt_iommu_debugfs_id);

static const char *pt_iommu_debugfs_type(unsigned int type)
{
	switch (type) {
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_DMA:
		return "dma";
	case IOMMU_DOMAIN_DMA_FQ:
		return "dma-fq";
	case IOMMU_DOMAIN_SVA:
		return "sva";
	case IOMMU_DOMAIN_PLATFORM:
		return "platform";
	case IOMMU_DOMAIN_NESTED:
		return "nested";
	}
	return "unknown";
}

struct pt_iommu_debugfs_use {
	struct seq_file *m;
	unsigned int devices;
	unsigned int user_owned;
};

static int pt_iommu_debugfs_count_dev(struct device *dev, bool user_owned,
				      void *data)
{
	struct pt_iommu_debugfs_use *use = data;

	use->devices++;
	use->user_owned += user_owned;
	return 0;
}

static int pt_iommu_debugfs_show_dev(struct device *dev, bool user_owned,
				     void *data)
{
	struct pt_iommu_debugfs_use *use = data;
	const struct device_driver *drv = READ_ONCE(dev->driver);

	seq_printf(use->m, "device %s driver %s\n", dev_name(dev),
		   drv ? drv->name : "none");
	return 0;
}

/**
 * pt_iommu_debugfs_show_use() - Print who uses a domain, for the info file
 * @m: The info file
 * @domain: The domain of the table
 *
 * Prints the domain's type, its owner, and one line per device attached to
 * it now. The owner is "dma-api" for a domain of the kernel's DMA API;
 * else "user (VFIO or iommufd)" when a user claimed the DMA ownership of
 * the devices' groups, "kernel" when none did, and "none (no device
 * attached)". 6.12 records neither whether VFIO or iommufd owns a domain
 * nor the iommufd object of its hw_pagetable, so neither is printed.
 *
 * Context: process context.
 */
void pt_iommu_debugfs_show_use(struct seq_file *m, struct iommu_domain *domain)
{
	struct pt_iommu_debugfs_use use = { .m = m };
	int ret;

	seq_printf(m, "type %s\n", pt_iommu_debugfs_type(domain->type));
	ret = iommu_domain_walk_devs(domain, pt_iommu_debugfs_count_dev, &use);
	if (domain->type & __IOMMU_DOMAIN_DMA_API)
		seq_puts(m, "owner dma-api\n");
	else if (use.user_owned)
		seq_puts(m, "owner user (VFIO or iommufd)\n");
	else if (use.devices)
		seq_puts(m, "owner kernel\n");
	else
		seq_puts(m, "owner none (no device attached)\n");
	if (use.devices)
		ret = iommu_domain_walk_devs(domain, pt_iommu_debugfs_show_dev,
					     &use) ?: ret;
	if (ret == -EBUSY)
		seq_puts(m, "devices incomplete: a group was busy\n");
}
EXPORT_SYMBOL_GPL(pt_iommu_debugfs_show_use);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * pt_iommu_debugfs_hold_lock() - Hold or release the directories' lock
 * @hold: Take it when true, release it when false
 *
 * For the test that the removal of a table without a directory does not
 * wait for the making of another table's directory.
 */
void pt_iommu_debugfs_hold_lock(bool hold)
{
	if (hold)
		mutex_lock(&pt_iommu_debugfs_lock);
	else
		mutex_unlock(&pt_iommu_debugfs_lock);
}
EXPORT_SYMBOL_IF_KUNIT(pt_iommu_debugfs_hold_lock);
#endif
