// SPDX-License-Identifier: GPL-2.0-only
/*
 * A benchmark of the IOMMU operations of the generic page table: map_pages,
 * unmap_pages and iova_to_phys of every format, called through the domain
 * ops as the IOMMU core calls them, next to 6.12's io-pgtable-arm for the
 * Arm format. It prints tables of ns per call and checks only that every
 * call did what it should: nothing about time passes or fails.
 *
 * "tools/iommupt/iommupt bench" builds it in its own UML kernel, with no
 * KASAN and no DEBUG_GENERIC_PT, and prints the tables.
 *
 * A row is a struct pt_bench_target: three calls on one table. To add rows
 * that go through the IOMMU core, for example iommu_map() and iommu_unmap()
 * with IOMMU_DEBUG_PAGEALLOC compiled out, compiled in but off, and on,
 * use pt_bench_core_target(), which wraps any domain of this file, and
 * build the kernel once per configuration (the on row needs
 * iommu.debug_pagealloc=1 on the command line, which "iommupt bench" can
 * pass with kunit.py's --kernel_args); pt_bench_sanitizer_state() names
 * the state in the table header.
 */
#include <kunit/test.h>
#include <linux/generic_pt/iommu.h>
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/iommu-debug-pagealloc.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../iommu-pages.h"

/* The first IOVA; a batch of 32 ranges of 256 x 1 GiB ends below 2^44 */
#define PT_BENCH_IOVA BIT(39)
/*
 * Batches per row. A single page call takes some 20 ns, so even 1000
 * batches are only 0.6 ms of calls; with fewer, one interruption of the
 * host moves a row's average by several percent.
 */
#define PT_BENCH_REPS 1000
/* The armv8 and io-pgtable-arm rows alternate in rounds of REPS / ROUNDS */
#define PT_BENCH_ROUNDS 20
#define PT_BENCH_BATCH 32

struct pt_bench_target {
	const char *name;
	int (*map)(struct pt_bench_target *t, unsigned long iova,
		   phys_addr_t paddr, size_t pgsize, size_t pgcount);
	size_t (*unmap)(struct pt_bench_target *t, unsigned long iova,
			size_t pgsize, size_t pgcount);
	phys_addr_t (*iova_to_phys)(struct pt_bench_target *t,
				    unsigned long iova);
	struct iommu_domain *domain;
	struct io_pgtable_ops *iop;
};

/* Average and minimum of one column, in ns per call */
struct pt_bench_stat {
	u64 sum;
	u64 min;
	unsigned int num;
};

struct pt_bench_row {
	struct pt_bench_stat map;
	struct pt_bench_stat unmap;
	struct pt_bench_stat iova_to_phys;
	/* The floor of the row's PTEs, measured in turns with its calls */
	struct pt_bench_stat floor;
};

static u64 pt_bench_clock_ns;

static void pt_bench_add(struct pt_bench_stat *stat, u64 ns)
{
	ns = ns > pt_bench_clock_ns ? ns - pt_bench_clock_ns : 0;
	if (!stat->num || ns < stat->min)
		stat->min = ns;
	stat->sum += ns;
	stat->num++;
}

static u64 pt_bench_avg(const struct pt_bench_stat *stat)
{
	return stat->num ? div_u64(stat->sum, stat->num) : 0;
}

/* The cost of reading the clock, taken off every sample */
static void pt_bench_measure_clock(void)
{
	u64 best = U64_MAX;
	unsigned int i;

	for (i = 0; i != 1000; i++) {
		u64 t0 = ktime_get_ns();
		u64 t1 = ktime_get_ns();

		best = min(best, t1 - t0);
	}
	pt_bench_clock_ns = best;
}

/* ------------------------------------------------------- generic pt */

static void pt_bench_iotlb_sync(struct iommu_domain *domain,
				struct iommu_iotlb_gather *gather)
{
	iommu_put_pages_list(&gather->freelist);
}

static int pt_bench_domain_map(struct pt_bench_target *t, unsigned long iova,
			       phys_addr_t paddr, size_t pgsize,
			       size_t pgcount)
{
	size_t mapped = 0;
	int ret;

	ret = t->domain->ops->map_pages(t->domain, iova, paddr, pgsize, pgcount,
					IOMMU_READ | IOMMU_WRITE, GFP_KERNEL,
					&mapped);
	if (!ret && mapped != pgsize * pgcount)
		ret = -EIO;
	return ret;
}

static size_t pt_bench_domain_unmap(struct pt_bench_target *t,
				    unsigned long iova, size_t pgsize,
				    size_t pgcount)
{
	struct iommu_iotlb_gather gather;
	size_t ret;

	iommu_iotlb_gather_init(&gather);
	ret = t->domain->ops->unmap_pages(t->domain, iova, pgsize, pgcount,
					  &gather);
	/* The flush and the freeing of tables happen later, outside the call */
	iommu_put_pages_list(&gather.freelist);
	return ret;
}

static phys_addr_t pt_bench_domain_iova_to_phys(struct pt_bench_target *t,
						unsigned long iova)
{
	return t->domain->ops->iova_to_phys(t->domain, iova);
}

/* A domain of the instance @name of the format @fmt */
#define PT_BENCH_INSTANCE(name, fmt)                                        \
	static const struct iommu_domain_ops pt_bench_##name##_ops = {     \
		IOMMU_PT_DOMAIN_OPS(name),                                  \
		.iotlb_sync = pt_bench_iotlb_sync,                          \
	};                                                                  \
	static struct iommu_domain *pt_bench_##name##_alloc(                \
		const struct pt_iommu_##fmt##_cfg *cfg)                     \
	{                                                                   \
		struct pt_iommu_##fmt *table;                               \
									    \
		table = kzalloc(sizeof(*table), GFP_KERNEL);                \
		if (!table)                                                 \
			return NULL;                                        \
		table->iommu.nid = NUMA_NO_NODE;                            \
		table->iommu.domain.type = IOMMU_DOMAIN_UNMANAGED;          \
		table->iommu.domain.ops = &pt_bench_##name##_ops;           \
		if (pt_iommu_##name##_init(table, cfg, GFP_KERNEL)) {       \
			kfree(table);                                       \
			return NULL;                                        \
		}                                                           \
		return &table->iommu.domain;                                \
	}

PT_BENCH_INSTANCE(amdv1, amdv1)
PT_BENCH_INSTANCE(mock, mock)
PT_BENCH_INSTANCE(x86_64, x86_64)
PT_BENCH_INSTANCE(vtdss, vtdss)
PT_BENCH_INSTANCE(armv8_4k, armv8)

static void pt_bench_domain_free(struct iommu_domain *domain)
{
	struct pt_iommu *table = container_of(domain, struct pt_iommu, domain);

	pt_iommu_deinit(table);
	/* struct pt_iommu is the first member of every struct pt_iommu_FMT */
	kfree(table);
}

static void pt_bench_domain_target(struct pt_bench_target *t,
				   const char *name,
				   struct iommu_domain *domain)
{
	*t = (struct pt_bench_target){
		.name = name,
		.map = pt_bench_domain_map,
		.unmap = pt_bench_domain_unmap,
		.iova_to_phys = pt_bench_domain_iova_to_phys,
		.domain = domain,
	};
}

/* ------------------------------------------------------- the IOMMU core */

static int pt_bench_core_map(struct pt_bench_target *t, unsigned long iova,
			     phys_addr_t paddr, size_t pgsize, size_t pgcount)
{
	return iommu_map(t->domain, iova, paddr, pgsize * pgcount,
			 IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
}

static size_t pt_bench_core_unmap(struct pt_bench_target *t,
				  unsigned long iova, size_t pgsize,
				  size_t pgcount)
{
	return iommu_unmap(t->domain, iova, pgsize * pgcount);
}

static phys_addr_t pt_bench_core_iova_to_phys(struct pt_bench_target *t,
					      unsigned long iova)
{
	return iommu_iova_to_phys(t->domain, iova);
}

/* The same domain through iommu_map(), iommu_unmap(), iommu_iova_to_phys() */
static void pt_bench_core_target(struct pt_bench_target *t, const char *name,
				 struct iommu_domain *domain)
{
	*t = (struct pt_bench_target){
		.name = name,
		.map = pt_bench_core_map,
		.unmap = pt_bench_core_unmap,
		.iova_to_phys = pt_bench_core_iova_to_phys,
		.domain = domain,
	};
}

static const char *pt_bench_sanitizer_state(void)
{
#if IS_ENABLED(CONFIG_IOMMU_DEBUG_PAGEALLOC)
	if (static_key_enabled(&iommu_debug_pagealloc_enabled))
		return "IOMMU_DEBUG_PAGEALLOC compiled in and on";
	return "IOMMU_DEBUG_PAGEALLOC compiled in, off";
#else
	return "IOMMU_DEBUG_PAGEALLOC compiled out";
#endif
}

/* ------------------------------------------------------- io-pgtable-arm */

#if IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_LPAE)
static void pt_bench_tlb_flush_all(void *cookie)
{
}

static void pt_bench_tlb_flush_walk(unsigned long iova, size_t size,
				    size_t granule, void *cookie)
{
}

static void pt_bench_tlb_add_page(struct iommu_iotlb_gather *gather,
				  unsigned long iova, size_t granule,
				  void *cookie)
{
}

static const struct iommu_flush_ops pt_bench_flush_ops = {
	.tlb_flush_all = pt_bench_tlb_flush_all,
	.tlb_flush_walk = pt_bench_tlb_flush_walk,
	.tlb_add_page = pt_bench_tlb_add_page,
};

/* io-pgtable maps and unmaps at most to the end of a table per call */
static int pt_bench_iop_map(struct pt_bench_target *t, unsigned long iova,
			    phys_addr_t paddr, size_t pgsize, size_t pgcount)
{
	size_t done = 0;
	int ret;

	while (done != pgsize * pgcount) {
		size_t mapped = 0;

		ret = t->iop->map_pages(t->iop, iova + done, paddr + done,
					pgsize, pgcount - done / pgsize,
					IOMMU_READ | IOMMU_WRITE, GFP_KERNEL,
					&mapped);
		if (ret)
			return ret;
		if (!mapped)
			return -EIO;
		done += mapped;
	}
	return 0;
}

static size_t pt_bench_iop_unmap(struct pt_bench_target *t,
				 unsigned long iova, size_t pgsize,
				 size_t pgcount)
{
	struct iommu_iotlb_gather gather;
	size_t done = 0;
	size_t ret;

	iommu_iotlb_gather_init(&gather);
	while (done != pgsize * pgcount) {
		ret = t->iop->unmap_pages(t->iop, iova + done, pgsize,
					  pgcount - done / pgsize, &gather);
		if (!ret)
			break;
		done += ret;
	}
	return done;
}

static phys_addr_t pt_bench_iop_iova_to_phys(struct pt_bench_target *t,
					     unsigned long iova)
{
	return t->iop->iova_to_phys(t->iop, iova);
}

static int pt_bench_iop_target(struct pt_bench_target *t)
{
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
		.ias = 48,
		.oas = 48,
		.coherent_walk = true,
		.tlb = &pt_bench_flush_ops,
	};

	*t = (struct pt_bench_target){
		.name = "io-pgtable-arm ARM_64_LPAE_S1",
		.map = pt_bench_iop_map,
		.unmap = pt_bench_iop_unmap,
		.iova_to_phys = pt_bench_iop_iova_to_phys,
	};
	t->iop = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, NULL);
	return t->iop ? 0 : -ENOMEM;
}
#endif

/* ------------------------------------------------------- measuring */

/*
 * The clock of some configurations (UML among them) moves in steps of
 * hundreds of ns, so calls are timed in batches of PT_BENCH_BATCH, each on
 * its own range, and a sample is the batch's time per call.
 */
static void pt_bench_sample(struct pt_bench_stat *stat, u64 t0, u64 t1)
{
	u64 ns = t1 - t0;

	ns = ns > pt_bench_clock_ns ? ns - pt_bench_clock_ns : 0;
	pt_bench_add(stat, div_u64(ns, PT_BENCH_BATCH) + pt_bench_clock_ns);
}

/* A table for the floor of @num PTEs, written once so that it is hot */
static u64 *pt_bench_floor_table(struct kunit *test, unsigned int num)
{
	u64 *table = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, table);
	KUNIT_ASSERT_LE(test, num * sizeof(u64), PAGE_SIZE);
	memset64(table, 0, num);
	return table;
}

/* One sample of the floor: a batch of stores of @num PTEs into @table */
static void pt_bench_floor_batch(u64 *table, unsigned int num,
				 struct pt_bench_stat *stat)
{
	unsigned int b;
	u64 t0, t1;

	t0 = ktime_get_ns();
	for (b = 0; b != PT_BENCH_BATCH; b++) {
		memset64(table, PT_BENCH_IOVA | 0x63 | b, num);
		barrier();
	}
	t1 = ktime_get_ns();
	pt_bench_sample(stat, t0, t1);
}

/*
 * Map, look up and unmap a batch of ranges @reps times after one warm-up
 * round, which builds the tables; every later round finds them. The
 * samples are added to @row, with a sample of the floor of @pgcount PTEs
 * after each round, so that a machine changing speed moves both alike.
 */
static void pt_bench_run(struct kunit *test, struct pt_bench_target *t,
			 size_t pgsize, size_t pgcount, unsigned int reps,
			 struct pt_bench_row *row)
{
	unsigned long stride = max_t(unsigned long, pgsize * pgcount, SZ_4K);
	u64 *floor = pt_bench_floor_table(test, pgcount);
	unsigned long off[PT_BENCH_BATCH];
	phys_addr_t phys[PT_BENCH_BATCH];
	size_t done[PT_BENCH_BATCH];
	int ret[PT_BENCH_BATCH];
	unsigned int rep, b;
	u64 t0, t1;

	for (rep = 0; rep <= reps; rep++) {
		for (b = 0; b != PT_BENCH_BATCH; b++)
			off[b] = b * stride +
				 ((rep + b) % pgcount) * pgsize +
				 (b * 8 + 8) % pgsize;

		t0 = ktime_get_ns();
		for (b = 0; b != PT_BENCH_BATCH; b++)
			ret[b] = t->map(t, PT_BENCH_IOVA + b * stride,
					PT_BENCH_IOVA + b * stride, pgsize,
					pgcount);
		t1 = ktime_get_ns();
		if (rep)
			pt_bench_sample(&row->map, t0, t1);
		for (b = 0; b != PT_BENCH_BATCH; b++)
			KUNIT_ASSERT_EQ_MSG(test, ret[b], 0,
					    "%s: map of %zu x %zu", t->name,
					    pgcount, pgsize);

		t0 = ktime_get_ns();
		for (b = 0; b != PT_BENCH_BATCH; b++)
			phys[b] = t->iova_to_phys(t, PT_BENCH_IOVA + off[b]);
		t1 = ktime_get_ns();
		if (rep)
			pt_bench_sample(&row->iova_to_phys, t0, t1);
		for (b = 0; b != PT_BENCH_BATCH; b++)
			KUNIT_ASSERT_EQ_MSG(test, phys[b], PT_BENCH_IOVA + off[b],
					    "%s: iova_to_phys", t->name);

		t0 = ktime_get_ns();
		for (b = 0; b != PT_BENCH_BATCH; b++)
			done[b] = t->unmap(t, PT_BENCH_IOVA + b * stride,
					   pgsize, pgcount);
		t1 = ktime_get_ns();
		if (rep)
			pt_bench_sample(&row->unmap, t0, t1);
		for (b = 0; b != PT_BENCH_BATCH; b++)
			KUNIT_ASSERT_EQ_MSG(test, done[b], pgsize * pgcount,
					    "%s: unmap of %zu x %zu", t->name,
					    pgcount, pgsize);
		if (rep)
			pt_bench_floor_batch(floor, pgcount, &row->floor);
	}
	kunit_kfree(test, floor);
}

/* What the store of @num PTEs into a cache-hot table costs at the least */
static void pt_bench_floor(struct kunit *test, unsigned int num,
			   struct pt_bench_stat *stat)
{
	u64 *table = pt_bench_floor_table(test, num);
	unsigned int rep;

	memset(stat, 0, sizeof(*stat));
	for (rep = 0; rep != PT_BENCH_REPS; rep++)
		pt_bench_floor_batch(table, num, stat);
	kunit_kfree(test, table);
}

/* ------------------------------------------------------- printing */

static void pt_bench_size_name(char *buf, size_t len, size_t pgsize,
			       size_t pgcount)
{
	const char *unit = "";
	size_t size = pgsize;

	if (size >= SZ_1G) {
		size /= SZ_1G;
		unit = "G";
	} else if (size >= SZ_1M) {
		size /= SZ_1M;
		unit = "M";
	} else if (size >= SZ_1K) {
		size /= SZ_1K;
		unit = "K";
	}
	if (pgcount == 1)
		snprintf(buf, len, "%zu%s", size, unit);
	else
		snprintf(buf, len, "%zux%zu%s", pgcount, size, unit);
}

static void pt_bench_header(const char *title)
{
	pr_info("iommupt_bench: %s\n", title);
	pr_info("iommupt_bench: %10s | %16s | %16s | %16s | %9s\n", "pgsize",
		"map avg/min", "unmap avg/min", "iova_to_phys", "map/floor");
}

/*
 * avg(@a) / avg(@b) in hundredths, from the sums: the averages are whole ns,
 * which for a call of 20 ns would move the ratio by 5 %.
 */
static u64 pt_bench_ratio100(const struct pt_bench_stat *a,
			     const struct pt_bench_stat *b)
{
	u64 d = b->sum * a->num;

	return d ? div64_u64(a->sum * b->num * 100, d) : 0;
}

static void pt_bench_print(const char *size, const struct pt_bench_row *row)
{
	u64 ratio = pt_bench_ratio100(&row->map, &row->floor);

	pr_info("iommupt_bench: %10s | %7llu %8llu | %7llu %8llu | %7llu %8llu | %5llu.%02llu\n",
		size, pt_bench_avg(&row->map), row->map.min,
		pt_bench_avg(&row->unmap), row->unmap.min,
		pt_bench_avg(&row->iova_to_phys), row->iova_to_phys.min,
		div_u64(ratio, 100), ratio % 100);
}

static void pt_bench_print_floor(struct kunit *test)
{
	static const unsigned int nums[] = { 1, 256 };
	struct pt_bench_stat stat;
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(nums); i++) {
		pt_bench_floor(test, nums[i], &stat);
		pr_info("iommupt_bench: floor: memset64 of %3u PTEs, cache hot: %llu avg %llu min\n",
			nums[i], pt_bench_avg(&stat), stat.min);
	}
}

/* A whole table of rows for one target */
static void pt_bench_target_rows(struct kunit *test,
				 struct pt_bench_target *t,
				 const size_t *sizes, unsigned int num_sizes)
{
	static const size_t counts[] = { 1, 256 };
	struct pt_bench_row row;
	unsigned int i, j;
	char name[24];

	pt_bench_header(t->name);
	for (j = 0; j != ARRAY_SIZE(counts); j++) {
		for (i = 0; i != num_sizes; i++) {
			memset(&row, 0, sizeof(row));
			pt_bench_run(test, t, sizes[i], counts[j], PT_BENCH_REPS,
				     &row);
			pt_bench_size_name(name, sizeof(name), sizes[i],
					   counts[j]);
			pt_bench_print(name, &row);
		}
	}
}

static const size_t pt_bench_sizes[] = { SZ_4K, SZ_2M, SZ_1G };

/* ------------------------------------------------------- the cases */

static void pt_bench_one(struct kunit *test, const char *name,
			 struct iommu_domain *domain, const size_t *sizes,
			 unsigned int num_sizes)
{
	struct pt_bench_target t;

	KUNIT_ASSERT_NOT_NULL_MSG(test, domain, "%s: init failed", name);
	/* Next to the rows it is compared with, as the machine drifts */
	pt_bench_print_floor(test);
	pt_bench_domain_target(&t, name, domain);
	pt_bench_target_rows(test, &t, sizes, num_sizes);
	pt_bench_domain_free(domain);
}

static void pt_bench_amdv1(struct kunit *test)
{
	static const size_t sizes[] = {
		SZ_4K, SZ_8K, SZ_16K, SZ_32K, SZ_64K, SZ_128K, SZ_256K,
		SZ_512K, SZ_1M, SZ_2M, SZ_1G,
	};
	struct pt_iommu_amdv1_cfg cfg = {
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 52,
		.starting_level = 3,
	};

	pt_bench_one(test, "amdv1, 4 levels", pt_bench_amdv1_alloc(&cfg),
		     sizes, ARRAY_SIZE(sizes));
}

static void pt_bench_mock(struct kunit *test)
{
	struct pt_iommu_mock_cfg cfg = {
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 51,
		.starting_level = 3,
	};

	pt_bench_one(test, "mock (2K granule), 4 levels",
		     pt_bench_mock_alloc(&cfg), pt_bench_sizes,
		     ARRAY_SIZE(pt_bench_sizes));
}

static void pt_bench_x86_64(struct kunit *test)
{
	struct pt_iommu_x86_64_cfg cfg = {
		.common.features = BIT(PT_FEAT_SIGN_EXTEND),
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 52,
		.top_level = 3,
	};

	pt_bench_one(test, "x86_64, 4 levels", pt_bench_x86_64_alloc(&cfg),
		     pt_bench_sizes, ARRAY_SIZE(pt_bench_sizes));
}

static void pt_bench_vtdss(struct kunit *test)
{
	struct pt_iommu_vtdss_cfg cfg = {
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 52,
		.top_level = 3,
	};

	pt_bench_one(test, "vtdss, 4 levels", pt_bench_vtdss_alloc(&cfg),
		     pt_bench_sizes, ARRAY_SIZE(pt_bench_sizes));
}

static struct iommu_domain *pt_bench_armv8_domain(void)
{
	struct pt_iommu_armv8_cfg cfg = {
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 48,
	};

	return pt_bench_armv8_4k_alloc(&cfg);
}

/* One round of a row: each target that is built, in turn */
static void pt_bench_turns(struct kunit *test, struct pt_bench_target *t,
			   unsigned int num, size_t pgsize, size_t pgcount,
			   struct pt_bench_row *rows)
{
	unsigned int k;

	for (k = 0; k != num; k++)
		if (t[k].map)
			pt_bench_run(test, &t[k], pgsize, pgcount,
				     PT_BENCH_REPS / PT_BENCH_ROUNDS, &rows[k]);
}

/* armv8 and io-pgtable-arm in the same run, with the ratio per row */
static void pt_bench_armv8(struct kunit *test)
{
	struct pt_bench_row rows[2][ARRAY_SIZE(pt_bench_sizes)][2];
	static const size_t counts[] = { 1, 256 };
	struct pt_bench_target t[2] = {};
	unsigned int i, j, k, r;
	char name[24];

	pt_bench_domain_target(&t[0], "armv8 4K stage 1", pt_bench_armv8_domain());
	KUNIT_ASSERT_NOT_NULL(test, t[0].domain);
#if IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_LPAE)
	KUNIT_ASSERT_EQ(test, pt_bench_iop_target(&t[1]), 0);
#else
	kunit_info(test, "io-pgtable-arm is not built: CONFIG_IOMMU_IO_PGTABLE_LPAE=n");
#endif
	/*
	 * New and old take turns, PT_BENCH_ROUNDS times per row, so that a
	 * machine that slows down or speeds up during the run moves both
	 * columns alike and the ratio stays meaningful.
	 */
	memset(rows, 0, sizeof(rows));
	for (r = 0; r != PT_BENCH_ROUNDS; r++)
		for (j = 0; j != ARRAY_SIZE(counts); j++)
			for (i = 0; i != ARRAY_SIZE(pt_bench_sizes); i++)
				pt_bench_turns(test, t, ARRAY_SIZE(t),
					       pt_bench_sizes[i], counts[j],
					       rows[j][i]);

	pt_bench_print_floor(test);
	pr_info("iommupt_bench: armv8 4K stage 1 (new) against io-pgtable-arm ARM_64_LPAE_S1 (old), ns per call, avg\n");
	pr_info("iommupt_bench: %10s | %-14s | %9s %9s | %6s | %9s | %9s\n",
		"pgsize", "op", "new", "old", "old/new", "% better",
		"new/floor");
	for (j = 0; j != ARRAY_SIZE(counts); j++) {
		for (i = 0; i != ARRAY_SIZE(pt_bench_sizes); i++) {
			const struct pt_bench_stat *new[3] = {
				&rows[j][i][0].map, &rows[j][i][0].unmap,
				&rows[j][i][0].iova_to_phys,
			};
			const struct pt_bench_stat *old[3] = {
				&rows[j][i][1].map, &rows[j][i][1].unmap,
				&rows[j][i][1].iova_to_phys,
			};
			static const char * const ops[] = {
				"map_pages", "unmap_pages", "iova_to_phys",
			};

			pt_bench_size_name(name, sizeof(name),
					   pt_bench_sizes[i], counts[j]);
			for (k = 0; k != ARRAY_SIZE(ops); k++) {
				u64 n = pt_bench_avg(new[k]);
				u64 o = t[1].map ? pt_bench_avg(old[k]) : 0;
				u64 r = 0;
				s64 better = 0;
				u64 f = pt_bench_ratio100(new[k],
							  &rows[j][i][0].floor);

				if (t[1].map) {
					r = pt_bench_ratio100(old[k], new[k]);
					better = 100 - (s64)pt_bench_ratio100(new[k],
									      old[k]);
				}

				pr_info("iommupt_bench: %10s | %-14s | %4llu/%-4llu %4llu/%-4llu | %3llu.%02llu | %8lld | %5llu.%02llu\n",
					name, ops[k], n, new[k]->min, o,
					t[1].map ? old[k]->min : 0,
					div_u64(r, 100), r % 100, better,
					div_u64(f, 100), f % 100);
			}
		}
	}
	pt_bench_domain_free(t[0].domain);
#if IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_LPAE)
	free_io_pgtable_ops(t[1].iop);
#endif
}

/* The same armv8 table through the IOMMU core */
static void pt_bench_core(struct kunit *test)
{
	struct iommu_domain *domain = pt_bench_armv8_domain();
	struct pt_bench_target t;
	char title[96];

	KUNIT_ASSERT_NOT_NULL(test, domain);
	snprintf(title, sizeof(title),
		 "armv8 4K stage 1 through iommu_map()/iommu_unmap(), %s",
		 pt_bench_sanitizer_state());
	pt_bench_core_target(&t, title, domain);
	pt_bench_target_rows(test, &t, pt_bench_sizes,
			     ARRAY_SIZE(pt_bench_sizes));
	pt_bench_domain_free(domain);
}

/* ------------------------------------------------------- IOMMU_DEBUG_PAGEALLOC */

/*
 * The core target over real memory: the sanitizer counts only pages that
 * have a page_ext, so each range of the batch maps a block of its own, and
 * iova_to_phys() answers in the IOVA-equals-OA terms pt_bench_run() checks.
 */
struct pt_bench_real {
	struct pt_bench_target t;
	unsigned int stride_lg2;
	struct page *blocks[PT_BENCH_BATCH];
};

static int pt_bench_real_map(struct pt_bench_target *t, unsigned long iova,
			     phys_addr_t paddr, size_t pgsize, size_t pgcount)
{
	struct pt_bench_real *r = container_of(t, struct pt_bench_real, t);
	unsigned long b = (iova - PT_BENCH_IOVA) >> r->stride_lg2;

	return iommu_map(t->domain, iova, page_to_phys(r->blocks[b]),
			 pgsize * pgcount, IOMMU_READ | IOMMU_WRITE,
			 GFP_KERNEL);
}

static phys_addr_t pt_bench_real_iova_to_phys(struct pt_bench_target *t,
					      unsigned long iova)
{
	struct pt_bench_real *r = container_of(t, struct pt_bench_real, t);
	unsigned long b = (iova - PT_BENCH_IOVA) >> r->stride_lg2;
	phys_addr_t phys = iommu_iova_to_phys(t->domain, iova);

	if (!phys)
		return 0;
	return PT_BENCH_IOVA + (b << r->stride_lg2) +
	       (phys - page_to_phys(r->blocks[b]));
}

static void pt_bench_real_row(struct kunit *test, struct iommu_domain *domain,
			      size_t pgsize, size_t pgcount)
{
	/* The stride pt_bench_run() puts between the ranges of a batch */
	unsigned long stride = max_t(unsigned long, pgsize * pgcount, SZ_4K);
	unsigned int order = get_order(stride);
	struct pt_bench_real *r;
	struct pt_bench_row row;
	char name[24];
	unsigned int b;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->t = (struct pt_bench_target){
		.name = "real pages",
		.map = pt_bench_real_map,
		.unmap = pt_bench_core_unmap,
		.iova_to_phys = pt_bench_real_iova_to_phys,
		.domain = domain,
	};
	r->stride_lg2 = ilog2(stride);
	for (b = 0; b != PT_BENCH_BATCH; b++) {
		r->blocks[b] = alloc_pages(GFP_KERNEL, order);
		KUNIT_ASSERT_NOT_NULL(test, r->blocks[b]);
	}
	memset(&row, 0, sizeof(row));
	pt_bench_run(test, &r->t, pgsize, pgcount, PT_BENCH_REPS, &row);
	for (b = 0; b != PT_BENCH_BATCH; b++)
		__free_pages(r->blocks[b], order);
	pt_bench_size_name(name, sizeof(name), pgsize, pgcount);
	pt_bench_print(name, &row);
}

/*
 * iommu_map() and iommu_unmap() of an AMD v1 domain over real pages, for
 * IOMMU_DEBUG_PAGEALLOC compiled out, compiled in but off, and on:
 * "iommupt bench --sanitizer" runs this case in each configuration.
 */
static void pt_bench_sanitizer(struct kunit *test)
{
	static const struct {
		size_t pgsize;
		size_t pgcount;
	} rows[] = { { SZ_4K, 1 }, { SZ_2M, 1 }, { SZ_4K, 256 } };
	struct pt_iommu_amdv1_cfg cfg = {
		.common.hw_max_vasz_lg2 = 48,
		.common.hw_max_oasz_lg2 = 52,
		.starting_level = 3,
	};
	struct iommu_domain *domain = pt_bench_amdv1_alloc(&cfg);
	char title[128];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, domain);
	snprintf(title, sizeof(title),
		 "amdv1 through iommu_map()/iommu_unmap() on real pages, %s",
		 pt_bench_sanitizer_state());
	pt_bench_header(title);
	for (i = 0; i != ARRAY_SIZE(rows); i++)
		pt_bench_real_row(test, domain, rows[i].pgsize,
				  rows[i].pgcount);
	pt_bench_domain_free(domain);
}

static int pt_bench_init(struct kunit *test)
{
	pt_bench_measure_clock();
	return 0;
}

static struct kunit_case pt_bench_cases[] = {
	KUNIT_CASE_SLOW(pt_bench_amdv1),
	KUNIT_CASE_SLOW(pt_bench_mock),
	KUNIT_CASE_SLOW(pt_bench_x86_64),
	KUNIT_CASE_SLOW(pt_bench_vtdss),
	KUNIT_CASE_SLOW(pt_bench_armv8),
	KUNIT_CASE_SLOW(pt_bench_core),
	KUNIT_CASE_SLOW(pt_bench_sanitizer),
	{}
};

static struct kunit_suite pt_bench_suite = {
	.name = "iommupt_bench",
	.init = pt_bench_init,
	.test_cases = pt_bench_cases,
};

kunit_test_suites(&pt_bench_suite);

MODULE_DESCRIPTION("Benchmark of the generic page table IOMMU operations");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GENERIC_PT_IOMMU);
