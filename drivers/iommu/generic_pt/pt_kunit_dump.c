// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the debugfs page table dump, through the exported formats
 * as a driver uses them: known mappings of every built-in format give
 * exactly the expected ptdump and stats text, the directory follows the
 * table's life, a reader races with mappers, and a table of a million
 * entries streams with a fixed buffer.
 *
 * The files are read through their own file_operations and the kernel's
 * seq_read_iter(), exactly as read(2) on the debugfs file would, in small
 * reads so that seq_file restarts the walk at many lines.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/generic_pt/iommu.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "../iommu-pages.h"
#include "pt_iommu_debugfs.h"

/*
 * The expected dumps place mappings above 4G and at the top of 48-bit and
 * wider VAs, which a 32-bit unsigned long IOVA cannot name; a 32-bit kernel
 * runs the suite as one skipped case.
 */
#ifdef CONFIG_64BIT

struct kd_domain {
	union {
		struct pt_iommu iommu;
		struct pt_iommu_amdv1 amdv1;
		struct pt_iommu_mock mock;
		struct pt_iommu_x86_64 x86;
		struct pt_iommu_vtdss vtdss;
		struct pt_iommu_armv8 armv8;
	};
};

#define kd_dom(kd) (&(kd)->iommu.domain)

struct kd_map {
	u64 iova;
	u64 pa;
	u64 size;
	int prot;
};

struct kd_case {
	const char *name;
	int (*init)(struct kd_domain *kd);
	const struct iommu_domain_ops *ops;
	const struct kd_map *maps;
	unsigned int nr_maps;
	const char *dump;
	const char *stats;
};

/* The driver's flush: nothing to invalidate, then free the tables */
static void kd_iotlb_sync(struct iommu_domain *domain,
			  struct iommu_iotlb_gather *gather)
{
	iommu_put_pages_list(&gather->freelist);
}

#define KD_OPS(fmt)                                                   \
	static const struct iommu_domain_ops kd_##fmt##_ops = {       \
		IOMMU_PT_DOMAIN_OPS(fmt),                             \
		.iotlb_sync = kd_iotlb_sync,                          \
	}

#define KD_RW (IOMMU_READ | IOMMU_WRITE)
#if IS_REACHABLE(CONFIG_IOMMU_PT_VTDSS)
static int kd_init_vtdss(struct kd_domain *kd)
{
	struct pt_iommu_vtdss_cfg cfg = {
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 52,
		.top_level = 3,
	};

	return pt_iommu_vtdss_init(&kd->vtdss, &cfg, GFP_KERNEL);
}

KD_OPS(vtdss);

static const struct kd_map vtdss_dump_maps[] = {
	{ .iova = 0, .pa = 0x1000000, .size = SZ_8K, .prot = KD_RW },
	{ .iova = 0x2000, .pa = 0x1002000, .size = SZ_4K, .prot = IOMMU_READ },
	{ .iova = 0x3000, .pa = 0x2000000, .size = SZ_4K, .prot = KD_RW },
	{ .iova = 0x1ff000, .pa = 0x3ffff000, .size = SZ_4K, .prot = KD_RW },
	{ .iova = 0x200000, .pa = 0x40000000, .size = SZ_2M, .prot = KD_RW },
	{ .iova = 0x40000000, .pa = 0xc0000000, .size = SZ_1G, .prot = KD_RW },
	{ .iova = 0xffffffe00000, .pa = 0x80000000, .size = SZ_2M, .prot = IOMMU_READ },
};

static const char vtdss_dump[] =
	"format vtdss, 4 levels, va 48 bits, oa 52 bits, page sizes 4K 2M 1G, features none\n"
	"0x000000000000-0x000000001fff    8K l0 0x0000001000000 R W\n"
	"0x000000002000-0x000000002fff    4K l0 0x0000001002000 R\n"
	"0x000000003000-0x000000003fff    4K l0 0x0000002000000 R W\n"
	"0x0000001ff000-0x0000001fffff    4K l0 0x000003ffff000 R W\n"
	"0x000000200000-0x0000003fffff    2M l1 0x0000040000000 R W\n"
	"0x000040000000-0x00007fffffff    1G l2 0x00000c0000000 R W\n"
	"0xffffffe00000-0xffffffffffff    2M l1 0x0000080000000 R\n";

static const char vtdss_stats[] =
	"format vtdss, 4 levels, va 48 bits, oa 52 bits, page sizes 4K 2M 1G, features none\n"
	"level 3 tables 1\n"
	"level 2 tables 2\n"
	"level 1 tables 2\n"
	"level 0 tables 1\n"
	"leaves 4K 5\n"
	"leaves 2M 2\n"
	"leaves 1G 1\n";

#define KD_CASE_VTDSS \
	{ .name = "vtdss", .init = kd_init_vtdss, .ops = &kd_vtdss_ops, \
	  .maps = vtdss_dump_maps, .nr_maps = ARRAY_SIZE(vtdss_dump_maps), \
	  .dump = vtdss_dump, .stats = vtdss_stats },
#else
#define KD_CASE_VTDSS
#endif

#if IS_REACHABLE(CONFIG_IOMMU_PT_AMDV1)
static int kd_init_amdv1(struct kd_domain *kd)
{
	struct pt_iommu_amdv1_cfg cfg = {
		.common.features = BIT(PT_FEAT_AMDV1_FORCE_COHERENCE),
		.common.hw_max_vasz_lg2 = 64,
		.common.hw_max_oasz_lg2 = 52,
		.starting_level = 3,
	};

	return pt_iommu_amdv1_init(&kd->amdv1, &cfg, GFP_KERNEL);
}

KD_OPS(amdv1);

static const struct kd_map amdv1_dump_maps[] = {
	{ .iova = 0, .pa = 0x100000, .size = SZ_4K, .prot = KD_RW },
	{ .iova = 0x1000, .pa = 0x101000, .size = SZ_4K, .prot = KD_RW },
	{ .iova = 0x4000, .pa = 0x104000, .size = SZ_16K, .prot = KD_RW },
	{ .iova = 0x8000, .pa = 0x108000, .size = SZ_4K, .prot = IOMMU_WRITE },
	{ .iova = 0x1ff000, .pa = 0x3ff000, .size = SZ_4K, .prot = KD_RW },
	{ .iova = 0x200000, .pa = 0x400000, .size = SZ_2M, .prot = KD_RW },
	{ .iova = 0xffffc0000000, .pa = 0x40000000, .size = SZ_1G, .prot = IOMMU_READ },
};

static const char amdv1_dump[] =
	"format amdv1, 4 levels, va 48 bits, oa 52 bits, page sizes 4K 8K 16K 32K 64K 128K 256K 512K 1M 2M 4M 8M 16M 32M 64M 128M 256M 512M 1G 2G 4G 8G 16G 32G 64G 128G 256G 1T 2T 4T 8T 16T 32T 64T 128T, features force_fc\n"
	"0x000000000000-0x000000001fff    8K l0 0x0000000100000 IR IW FC\n"
	"0x000000004000-0x000000007fff   16K l0 0x0000000104000 IR IW FC\n"
	"0x000000008000-0x000000008fff    4K l0 0x0000000108000 IW FC\n"
	"0x0000001ff000-0x0000001fffff    4K l0 0x00000003ff000 IR IW FC\n"
	"0x000000200000-0x0000003fffff    2M l1 0x0000000400000 IR IW FC\n"
	"0xffffc0000000-0xffffffffffff    1G l2 0x0000040000000 IR FC\n";

static const char amdv1_stats[] =
	"format amdv1, 4 levels, va 48 bits, oa 52 bits, page sizes 4K 8K 16K 32K 64K 128K 256K 512K 1M 2M 4M 8M 16M 32M 64M 128M 256M 512M 1G 2G 4G 8G 16G 32G 64G 128G 256G 1T 2T 4T 8T 16T 32T 64T 128T, features force_fc\n"
	"level 3 tables 1\n"
	"level 2 tables 2\n"
	"level 1 tables 1\n"
	"level 0 tables 1\n"
	"leaves 4K 4\n"
	"leaves 16K 1\n"
	"leaves 2M 1\n"
	"leaves 1G 1\n";

#define KD_CASE_AMDV1 \
	{ .name = "amdv1", .init = kd_init_amdv1, .ops = &kd_amdv1_ops, \
	  .maps = amdv1_dump_maps, .nr_maps = ARRAY_SIZE(amdv1_dump_maps), \
	  .dump = amdv1_dump, .stats = amdv1_stats },
#else
#define KD_CASE_AMDV1
#endif

#if IS_REACHABLE(CONFIG_IOMMU_PT_AMDV1)
/* The iommufd selftest's geometry: three levels of a 2K granule */
static int kd_init_mock(struct kd_domain *kd)
{
	struct pt_iommu_mock_cfg cfg = {
		.common.hw_max_vasz_lg2 = 38,
		.common.hw_max_oasz_lg2 = 51,
		.starting_level = 2,
	};

	return pt_iommu_mock_init(&kd->mock, &cfg, GFP_KERNEL);
}

KD_OPS(mock);

static const struct kd_map mock_dump_maps[] = {
	{ .iova = 0, .pa = 0x800, .size = SZ_2K, .prot = KD_RW },
	{ .iova = 0x800, .pa = 0x1000, .size = SZ_2K, .prot = KD_RW },
	{ .iova = 0x100000, .pa = 0x200000, .size = SZ_1M, .prot = IOMMU_READ },
	{ .iova = 0x3fe0000000, .pa = 0x20000000, .size = SZ_512M, .prot = KD_RW },
};

static const char mock_dump[] =
	"format mock, 3 levels, va 38 bits, oa 51 bits, page sizes 2K 1M 512M, features none\n"
	"0x0000000000-0x0000000fff    4K l0 0x0000000000800 IR IW\n"
	"0x0000100000-0x00001fffff    1M l1 0x0000000200000 IR\n"
	"0x3fe0000000-0x3fffffffff  512M l2 0x0000020000000 IR IW\n";

static const char mock_stats[] =
	"format mock, 3 levels, va 38 bits, oa 51 bits, page sizes 2K 1M 512M, features none\n"
	"level 2 tables 1\n"
	"level 1 tables 1\n"
	"level 0 tables 1\n"
	"leaves 2K 2\n"
	"leaves 1M 1\n"
	"leaves 512M 1\n";

#define KD_CASE_MOCK \
	{ .name = "mock", .init = kd_init_mock, .ops = &kd_mock_ops, \
	  .maps = mock_dump_maps, .nr_maps = ARRAY_SIZE(mock_dump_maps), \
	  .dump = mock_dump, .stats = mock_stats },
#else
#define KD_CASE_MOCK
#endif

#if IS_REACHABLE(CONFIG_IOMMU_PT_X86_64)
static int kd_init_x86_64(struct kd_domain *kd)
{
	struct pt_iommu_x86_64_cfg cfg = {
		.common.features = BIT(PT_FEAT_SIGN_EXTEND),
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 52,
		.top_level = 3,
	};

	return pt_iommu_x86_64_init(&kd->x86, &cfg, GFP_KERNEL);
}

KD_OPS(x86_64);

static const struct kd_map x86_64_dump_maps[] = {
	{ .iova = 0, .pa = 0x1000, .size = SZ_4K, .prot = KD_RW },
	{ .iova = 0x1000, .pa = 0x2000, .size = SZ_4K, .prot = IOMMU_READ | IOMMU_NOEXEC },
	{ .iova = 0xffff800000000000, .pa = 0x40000000, .size = SZ_2M, .prot = KD_RW },
	{ .iova = 0xfffffffffffff000, .pa = 0x5000, .size = SZ_4K, .prot = KD_RW },
};

static const char x86_64_dump[] =
	"format x86_64, 4 levels, va 48 bits, oa 52 bits, page sizes 4K 2M 1G, features sign_extend\n"
	"0x0000000000000000-0x0000000000000fff    4K l0 0x0000000001000 RW U A D\n"
	"0x0000000000001000-0x0000000000001fff    4K l0 0x0000000002000 U A\n"
	"0xffff800000000000-0xffff8000001fffff    2M l1 0x0000040000000 RW U A D\n"
	"0xfffffffffffff000-0xffffffffffffffff    4K l0 0x0000000005000 RW U A D\n";

static const char x86_64_stats[] =
	"format x86_64, 4 levels, va 48 bits, oa 52 bits, page sizes 4K 2M 1G, features sign_extend\n"
	"level 3 tables 1\n"
	"level 2 tables 3\n"
	"level 1 tables 3\n"
	"level 0 tables 2\n"
	"leaves 4K 3\n"
	"leaves 2M 1\n";

#define KD_CASE_X86_64 \
	{ .name = "x86_64", .init = kd_init_x86_64, .ops = &kd_x86_64_ops, \
	  .maps = x86_64_dump_maps, .nr_maps = ARRAY_SIZE(x86_64_dump_maps), \
	  .dump = x86_64_dump, .stats = x86_64_stats },
#else
#define KD_CASE_X86_64
#endif

#if IS_REACHABLE(CONFIG_IOMMU_PT_ARMV8)
static int kd_init_armv8_s1(struct kd_domain *kd)
{
	struct pt_iommu_armv8_cfg cfg = {
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 48,
	};

	return pt_iommu_armv8_4k_init(&kd->armv8, &cfg, GFP_KERNEL);
}

/* A 40-bit stage 2 starts at level 1 with two concatenated tables */
static int kd_init_armv8_s2(struct kd_domain *kd)
{
	struct pt_iommu_armv8_cfg cfg = {
		.common.features = BIT(PT_FEAT_ARMV8_S2),
		.common.hw_max_vasz_lg2 = 40,
		.common.hw_max_oasz_lg2 = 40,
	};

	return pt_iommu_armv8_4k_init(&kd->armv8, &cfg, GFP_KERNEL);
}

KD_OPS(armv8_4k);

static const struct kd_map armv8_s1_dump_maps[] = {
	{ .iova = 0, .pa = 0x10000, .size = SZ_64K, .prot = KD_RW | IOMMU_CACHE },
	{ .iova = 0x10000, .pa = 0x20000, .size = SZ_4K, .prot = KD_RW | IOMMU_CACHE },
	{ .iova = 0x11000, .pa = 0x21000, .size = SZ_4K, .prot = KD_RW | IOMMU_CACHE },
	{ .iova = 0x12000, .pa = 0x22000, .size = SZ_4K, .prot = IOMMU_READ },
	{ .iova = 0xffffc0000000, .pa = 0x80000000, .size = SZ_1G,
	  .prot = IOMMU_READ | IOMMU_NOEXEC },
};

static const char armv8_s1_dump[] =
	"format armv8, 4 levels, va 48 bits, oa 48 bits, page sizes 4K 64K 2M 32M 1G 16G, features none\n"
	"0x000000000000-0x00000000ffff   64K l0 0x000000010000 AP=1 XN=0 AF SH=3 ATTR=1 CONT\n"
	"0x000000010000-0x000000011fff    8K l0 0x000000020000 AP=1 XN=0 AF SH=3 ATTR=1\n"
	"0x000000012000-0x000000012fff    4K l0 0x000000022000 AP=3 XN=0 AF SH=2 ATTR=0\n"
	"0xffffc0000000-0xffffffffffff    1G l2 0x000080000000 AP=3 XN=3 AF SH=2 ATTR=0\n";

static const char armv8_s1_stats[] =
	"format armv8, 4 levels, va 48 bits, oa 48 bits, page sizes 4K 64K 2M 32M 1G 16G, features none\n"
	"level 3 tables 1\n"
	"level 2 tables 2\n"
	"level 1 tables 1\n"
	"level 0 tables 1\n"
	"leaves 4K 3\n"
	"leaves 64K 1\n"
	"leaves 1G 1\n";

#define KD_CASE_ARMV8_S1 \
	{ .name = "armv8_s1", .init = kd_init_armv8_s1, .ops = &kd_armv8_4k_ops, \
	  .maps = armv8_s1_dump_maps, .nr_maps = ARRAY_SIZE(armv8_s1_dump_maps), \
	  .dump = armv8_s1_dump, .stats = armv8_s1_stats },
static const struct kd_map armv8_s2_dump_maps[] = {
	{ .iova = 0, .pa = 0x40000000, .size = SZ_2M, .prot = KD_RW | IOMMU_CACHE },
	{ .iova = 0x200000, .pa = 0x40200000, .size = SZ_2M, .prot = KD_RW | IOMMU_CACHE },
	{ .iova = 0xffc0000000, .pa = 0, .size = SZ_1G, .prot = IOMMU_READ },
};

static const char armv8_s2_dump[] =
	"format armv8, 3 levels, va 40 bits, oa 40 bits, page sizes 4K 64K 2M 32M 1G 16G, features s2\n"
	"0x0000000000-0x00003fffff    4M l1 0x0040000000 S2AP=3 XN=0 AF SH=3 MEMATTR=f\n"
	"0xffc0000000-0xffffffffff    1G l2 0x0000000000 S2AP=1 XN=0 AF SH=2 MEMATTR=5\n";

static const char armv8_s2_stats[] =
	"format armv8, 3 levels, va 40 bits, oa 40 bits, page sizes 4K 64K 2M 32M 1G 16G, features s2\n"
	"level 2 tables 1\n"
	"level 1 tables 1\n"
	"leaves 2M 2\n"
	"leaves 1G 1\n";

#define KD_CASE_ARMV8_S2 \
	{ .name = "armv8_s2", .init = kd_init_armv8_s2, .ops = &kd_armv8_4k_ops, \
	  .maps = armv8_s2_dump_maps, .nr_maps = ARRAY_SIZE(armv8_s2_dump_maps), \
	  .dump = armv8_s2_dump, .stats = armv8_s2_stats },
#else
#define KD_CASE_ARMV8_S1
#define KD_CASE_ARMV8_S2
#endif

static const struct kd_case kd_cases[] = {
	KD_CASE_VTDSS
	KD_CASE_AMDV1
	KD_CASE_MOCK
	KD_CASE_X86_64
	KD_CASE_ARMV8_S1
	KD_CASE_ARMV8_S2
};

static void kd_case_desc(const struct kd_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kd, kd_cases, kd_case_desc);

static void kd_deinit(void *data)
{
	pt_iommu_deinit(data);
}

static struct kd_domain *kd_alloc(struct kunit *test, const struct kd_case *c)
{
	struct kd_domain *kd = kunit_kzalloc(test, sizeof(*kd), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, kd);
	kd->iommu.nid = NUMA_NO_NODE;
	KUNIT_ASSERT_EQ(test, c->init(kd), 0);
	kd_dom(kd)->type = IOMMU_DOMAIN_UNMANAGED;
	kd_dom(kd)->ops = c->ops;
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, kd_deinit, &kd->iommu),
			0);
	return kd;
}

/* A reader of one of the table's files, as read(2) drives seq_file */
struct kd_reader {
	struct inode *inode;
	struct file *file;
	const struct file_operations *fops;
};

static void kd_open(struct kunit *test, struct kd_domain *kd, bool stats,
		    struct kd_reader *r)
{
	const struct pt_iommu_debugfs_files *files;

	KUNIT_ASSERT_GE_MSG(test, pt_iommu_debugfs_lookup(&kd->iommu, &files),
			    0, "the table has a debugfs directory");
	r->fops = stats ? files->stats : files->ptdump;
	r->inode = kunit_kzalloc(test, sizeof(*r->inode), GFP_KERNEL);
	r->file = kunit_kzalloc(test, sizeof(*r->file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->inode);
	KUNIT_ASSERT_NOT_NULL(test, r->file);
	r->inode->i_private = &kd->iommu;
	KUNIT_ASSERT_EQ(test, r->fops->open(r->inode, r->file), 0);
}

static void kd_close(struct kunit *test, struct kd_reader *r)
{
	r->fops->release(r->inode, r->file);
	kunit_kfree(test, r->file);
	kunit_kfree(test, r->inode);
}

/* One read(2) of at most @len bytes at *@pos */
static ssize_t kd_read(struct kd_reader *r, char *buf, size_t len, loff_t *pos)
{
	struct kvec kvec = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t ret;

	init_sync_kiocb(&kiocb, r->file);
	kiocb.ki_pos = *pos;
	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
	ret = seq_read_iter(&kiocb, &iter);
	if (ret > 0)
		*pos = kiocb.ki_pos;
	return ret;
}

/* The whole file, read @chunk bytes at a time */
static char *kd_read_all(struct kunit *test, struct kd_domain *kd, bool stats,
			 size_t chunk)
{
	/* Every expected text is well under a page */
	size_t size = PAGE_SIZE + chunk, len = 0;
	struct kd_reader r;
	loff_t pos = 0;
	char *text;
	ssize_t n;

	text = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	kd_open(test, kd, stats, &r);
	do {
		KUNIT_ASSERT_LE(test, len, PAGE_SIZE);
		n = kd_read(&r, text + len, chunk, &pos);
		KUNIT_ASSERT_GE(test, n, 0);
		len += n;
	} while (n);
	kd_close(test, &r);
	text[len] = 0;
	return text;
}

static void kd_map_all(struct kunit *test, struct kd_domain *kd,
		       const struct kd_case *c)
{
	unsigned int i;

	for (i = 0; i != c->nr_maps; i++)
		KUNIT_ASSERT_EQ_MSG(test,
				    iommu_map(kd_dom(kd), c->maps[i].iova,
					      c->maps[i].pa, c->maps[i].size,
					      c->maps[i].prot, GFP_KERNEL),
				    0, "map %u", i);
}

/* Known mappings give exactly the expected text, in any read size */
static void test_dump_text(struct kunit *test)
{
	const struct kd_case *c = test->param_value;
	struct kd_domain *kd = kd_alloc(test, c);

	kd_map_all(test, kd, c);
	KUNIT_EXPECT_STREQ(test, kd_read_all(test, kd, false, 4000), c->dump);
	KUNIT_EXPECT_STREQ(test, kd_read_all(test, kd, false, 1), c->dump);
	KUNIT_EXPECT_STREQ(test, kd_read_all(test, kd, false, 37), c->dump);
	KUNIT_EXPECT_STREQ(test, kd_read_all(test, kd, true, 64), c->stats);
}

/* An empty table, new or emptied again, is the header alone */
static void test_dump_empty(struct kunit *test)
{
	const struct kd_case *c = test->param_value;
	struct kd_domain *kd = kd_alloc(test, c);
	size_t header_len = strchr(c->dump, '\n') - c->dump + 1;
	unsigned int i;
	char *text;

	text = kd_read_all(test, kd, false, 100);
	KUNIT_EXPECT_EQ(test, strlen(text), header_len);
	KUNIT_EXPECT_EQ(test, strncmp(text, c->dump, header_len), 0);

	kd_map_all(test, kd, c);
	for (i = 0; i != c->nr_maps; i++)
		KUNIT_EXPECT_EQ(test,
				iommu_unmap(kd_dom(kd), c->maps[i].iova,
					    c->maps[i].size),
				c->maps[i].size);
	text = kd_read_all(test, kd, false, 100);
	KUNIT_EXPECT_EQ(test, strlen(text), header_len);
	KUNIT_EXPECT_EQ(test, strncmp(text, c->dump, header_len), 0);
}

/* iommu/domain_<id>/ exists, root only, from init to deinit */
static void test_debugfs_dir(struct kunit *test)
{
	const struct kd_case *c = test->param_value;
	const struct pt_iommu_debugfs_files *files;
	struct kd_domain *kd = kd_alloc(test, c);
	struct dentry *root, *dir, *file;
	char name[24];
	int id;

	id = pt_iommu_debugfs_lookup(&kd->iommu, &files);
	KUNIT_ASSERT_GE(test, id, 0);
	root = debugfs_lookup("iommu", NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, root);
	snprintf(name, sizeof(name), "domain_%d", id);
	dir = debugfs_lookup(name, root);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dir);
	file = debugfs_lookup("ptdump", dir);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_EQ(test, d_inode(file)->i_mode, S_IFREG | 0400);
	dput(file);
	file = debugfs_lookup("stats", dir);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_EQ(test, d_inode(file)->i_mode, S_IFREG | 0400);
	dput(file);
	dput(dir);

	kunit_release_action(test, kd_deinit, &kd->iommu);
	KUNIT_EXPECT_EQ(test, pt_iommu_debugfs_lookup(&kd->iommu, &files),
			-ENOENT);
	dir = debugfs_lookup(name, root);
	KUNIT_EXPECT_NULL_MSG(test, dir, "%s is gone after deinit", name);
	dput(dir);
	dput(root);
}

/* ------------------------------------------------------- a live table */

#define KD_WRITER_ITERS 200

struct kd_writer {
	struct kd_domain *kd;
	unsigned long iova;
	int failures;
	struct completion done;
};

/*
 * Map a 2M range as 4K pages, which needs a level 0 table, then unmap it,
 * which frees that table: a reader that still walks it after the RCU grace
 * period would be caught by KASAN.
 */
static int kd_writer_fn(void *data)
{
	struct kd_writer *w = data;
	struct iommu_domain *domain = kd_dom(w->kd);
	unsigned int i;

	for (i = 0; i != KD_WRITER_ITERS; i++) {
		if (iommu_map(domain, w->iova, 0x10001000, SZ_2M, KD_RW,
			      GFP_KERNEL) ||
		    iommu_unmap(domain, w->iova, SZ_2M) != SZ_2M)
			w->failures++;
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

/* Lines of a dump are in IOVA order and never overlap */
static unsigned int kd_check_order(const char *text, unsigned int *lines)
{
	u64 first, last, prev_last = 0;
	unsigned int bad = 0;
	const char *p;

	*lines = 0;
	for (p = strchr(text, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
		if (sscanf(p + 1, "0x%llx-0x%llx", &first, &last) != 2 ||
		    last < first || (*lines && first <= prev_last))
			bad++;
		prev_last = last;
		(*lines)++;
	}
	return bad;
}

static void test_dump_concurrent(struct kunit *test)
{
	const struct kd_case *c = test->param_value;
	struct kd_domain *kd = kd_alloc(test, c);
	struct kd_writer writers[2];
	unsigned int i, reads = 0, lines, most = 0, bad = 0;

	kd_map_all(test, kd, c);
	for (i = 0; i != ARRAY_SIZE(writers); i++) {
		struct task_struct *task;

		writers[i] = (struct kd_writer){
			.kd = kd,
			.iova = SZ_2G + i * SZ_16M,
		};
		init_completion(&writers[i].done);
		task = kthread_run(kd_writer_fn, &writers[i], "kd_writer%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	/* The reader is this thread, so a KASAN report fails the test */
	while (!completion_done(&writers[0].done) ||
	       !completion_done(&writers[1].done)) {
		char *text = kd_read_all(test, kd, false, 512);

		bad += kd_check_order(text, &lines);
		kunit_kfree(test, text);
		most = max(most, lines);
		reads++;
		/* Let the writers run on a kernel without preemption */
		cond_resched();
	}
	for (i = 0; i != ARRAY_SIZE(writers); i++) {
		wait_for_completion(&writers[i].done);
		KUNIT_EXPECT_EQ(test, writers[i].failures, 0);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_STREQ(test, kd_read_all(test, kd, false, 4000), c->dump);
	kunit_info(test, "%u dumps during %u map/unmap pairs, up to %u lines\n",
		   reads, KD_WRITER_ITERS * 2, most);
}

/* ------------------------------------------------------- a large table */

static unsigned long count_lines(const char *buf, size_t len)
{
	unsigned long lines = 0;
	size_t i;

	for (i = 0; i != len; i++)
		lines += buf[i] == '\n';
	return lines;
}

#define KD_MILLION 1000000UL

/*
 * A million leaves, none contiguous in OA with the next, so a million lines:
 * the reader's memory is the seq_file page and the iterator, however many
 * lines there are.
 */
static void test_dump_million(struct kunit *test)
{
	const struct kd_case *c = &kd_cases[0];
	unsigned long i, lines = 0;
	struct kd_domain *kd;
	struct kd_reader r;
	u64 start, map_ns;
	size_t granule;
	loff_t pos = 0;
	size_t mapped;
	char *buf;
	ssize_t n;

	kd = kd_alloc(test, c);
	granule = 1UL << __ffs(kd_dom(kd)->pgsize_bitmap);
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	start = ktime_get_ns();
	for (i = 0; i != KD_MILLION; i++) {
		mapped = 0;
		if (c->ops->map_pages(kd_dom(kd), i * granule, 2 * i * granule,
				      granule, 1, KD_RW, GFP_KERNEL, &mapped)) {
			KUNIT_FAIL(test, "map %lu failed", i);
			return;
		}
		cond_resched();
	}
	map_ns = ktime_get_ns() - start;

	kd_open(test, kd, false, &r);
	start = ktime_get_ns();
	do {
		n = kd_read(&r, buf, PAGE_SIZE, &pos);
		KUNIT_ASSERT_GE(test, n, 0);
		lines += count_lines(buf, n);
		cond_resched();
	} while (n);
	kunit_info(test, "%s: %lu entries mapped in %llu ms, dumped in %llu ms (%lld bytes, %lu lines)\n",
		   c->name, KD_MILLION, div_u64(map_ns, NSEC_PER_MSEC),
		   div_u64(ktime_get_ns() - start, NSEC_PER_MSEC), pos, lines);
	KUNIT_EXPECT_EQ_MSG(test,
			    ((struct seq_file *)r.file->private_data)->size,
			    PAGE_SIZE, "the seq_file buffer never grew");
	kd_close(test, &r);
	KUNIT_EXPECT_EQ(test, lines, KD_MILLION + 1);
	KUNIT_EXPECT_EQ(test, iommu_unmap(kd_dom(kd), 0, KD_MILLION * granule),
			KD_MILLION * granule);
}

static struct kunit_case pt_dump_test_cases[] = {
	KUNIT_CASE_PARAM(test_dump_text, kd_gen_params),
	KUNIT_CASE_PARAM(test_dump_empty, kd_gen_params),
	KUNIT_CASE_PARAM(test_debugfs_dir, kd_gen_params),
	KUNIT_CASE_PARAM(test_dump_concurrent, kd_gen_params),
	KUNIT_CASE_SLOW(test_dump_million),
	{}
};

static int pt_dump_test_init(struct kunit *test)
{
	if (!ARRAY_SIZE(kd_cases))
		kunit_skip(test, "no IOMMU page table format is built in");
	return 0;
}

#else /* !CONFIG_64BIT */

static void test_dump_needs_64bit(struct kunit *test)
{
	kunit_skip(test, "the expected dumps use IOVAs above 4G");
}

static struct kunit_case pt_dump_test_cases[] = {
	KUNIT_CASE(test_dump_needs_64bit),
	{}
};

static int pt_dump_test_init(struct kunit *test)
{
	return 0;
}

#endif /* CONFIG_64BIT */

static struct kunit_suite pt_dump_test_suite = {
	.name = "iommupt_dump",
	.init = pt_dump_test_init,
	.test_cases = pt_dump_test_cases,
};

kunit_test_suite(pt_dump_test_suite);

MODULE_DESCRIPTION("KUnit tests of the generic page table debugfs dump");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GENERIC_PT_IOMMU);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
