// SPDX-License-Identifier: GPL-2.0
/*
 * iommupt-bench: instructions per map_pages, unmap_pages and iova_to_phys
 * call, counted by callgrind, which makes them independent of the machine's
 * noise. Each row maps N requests of (pgsize, pgcount) at consecutive
 * IOVAs into one table, translates each, then unmaps each, twice; in the
 * second pass callgrind's client requests zero the counters before each
 * loop and dump them after, and the workbench (iommupt bench --userspace)
 * divides by N. The glue of fmt_glue.h (the iotlb_sync that frees the
 * gather's tables included) is counted, as a driver has it too.
 *
 *   valgrind --tool=callgrind ./iommupt-bench [rows|curve]
 *
 * Without valgrind it runs the same loops and checks their results.
 *
 *   ./iommupt-bench time
 *
 * times the rows on the host clock instead: the best of TIME_PASSES passes,
 * in ns per call, next to the floor of the in-kernel benchmark (a store of
 * the same number of PTEs into a cache-hot table). It is for working on the
 * code between runs of the in-kernel benchmark, with the caveat that the
 * compiler options are not the kernel's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include <linux/kernel.h>

#include "ops.h"

#define CALLS 64
#define TIME_PASSES 200

struct row {
	const char *fmt;
	const char *cfg;
	unsigned int pg_lg2;
	unsigned int count;
};

/* The rows of the in-kernel benchmark: 4K, 2M, 1G and 256 x each */
static const struct row rows[] = {
	{ "amdv1", "top3", 12, 1 }, { "amdv1", "top3", 13, 1 },
	{ "amdv1", "top3", 14, 1 }, { "amdv1", "top3", 15, 1 },
	{ "amdv1", "top3", 16, 1 }, { "amdv1", "top3", 17, 1 },
	{ "amdv1", "top3", 18, 1 }, { "amdv1", "top3", 19, 1 },
	{ "amdv1", "top3", 20, 1 }, { "amdv1", "top3", 21, 1 },
	{ "amdv1", "top3", 30, 1 }, { "amdv1", "top3", 12, 256 },
	{ "amdv1", "top3", 21, 256 }, { "amdv1", "top3", 30, 256 },
	{ "mock", "top3", 11, 1 }, { "mock", "top3", 20, 1 },
	{ "mock", "top3", 29, 1 }, { "mock", "top3", 11, 256 },
	{ "mock", "top3", 20, 256 }, { "mock", "top3", 29, 256 },
	{ "x86_64", "4lvl", 12, 1 }, { "x86_64", "4lvl", 21, 1 },
	{ "x86_64", "4lvl", 30, 1 }, { "x86_64", "4lvl", 12, 256 },
	{ "x86_64", "4lvl", 21, 256 }, { "x86_64", "4lvl", 30, 256 },
	{ "vtdss", "4lvl,va48", 12, 1 }, { "vtdss", "4lvl,va48", 21, 1 },
	{ "vtdss", "4lvl,va48", 30, 1 }, { "vtdss", "4lvl,va48", 12, 256 },
	{ "vtdss", "4lvl,va48", 21, 256 }, { "vtdss", "4lvl,va48", 30, 256 },
	{ "armv8_4k", "4k,s1,va48", 12, 1 },
	{ "armv8_4k", "4k,s1,va48", 16, 1 },
	{ "armv8_4k", "4k,s1,va48", 21, 1 },
	{ "armv8_4k", "4k,s1,va48", 25, 1 },
	{ "armv8_4k", "4k,s1,va48", 30, 1 },
	{ "armv8_4k", "4k,s1,va48", 12, 256 },
	{ "armv8_4k", "4k,s1,va48", 21, 256 },
	{ "armv8_4k", "4k,s1,va48", 30, 256 },
};

static const struct hcfg *find(const char *fmt_name, const char *cfg_name,
			       const struct hfmt **fmt)
{
	unsigned int i, j;

	for (i = 0; i != num_hfmts; i++) {
		if (strcmp(hfmts[i]->name, fmt_name))
			continue;
		for (j = 0; j != hfmts[i]->num_cfgs; j++) {
			if (!strcmp(hfmts[i]->cfgs[j].name, cfg_name)) {
				*fmt = hfmts[i];
				return &hfmts[i]->cfgs[j];
			}
		}
	}
	fprintf(stderr, "iommupt-bench: no %s %s\n", fmt_name, cfg_name);
	exit(2);
}

static void fail(const char *what, const struct row *r)
{
	fprintf(stderr, "iommupt-bench: %s failed for %s %s 2^%u x %u\n", what,
		r->fmt, r->cfg, r->pg_lg2, r->count);
	exit(1);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Best ns per call of each operation over the timed passes */
struct best {
	unsigned long long ns[3];
};

static void best_add(struct best *b, unsigned int op, u64 t0, u64 t1)
{
	u64 ns = (t1 - t0) * 100 / CALLS;

	if (!b->ns[op] || ns < b->ns[op])
		b->ns[op] = ns;
}

/* One pass of map, iova_to_phys and unmap; measured if @dump */
static void pass(const struct row *r, const struct hfmt *fmt,
		 struct htable *t, bool dump, struct best *best)
{
	u64 pgsize = 1ULL << r->pg_lg2, len = pgsize * r->count;
	u64 base = 1ULL << 40, pa = 1ULL << 40, mapped, sum = 0, t0;
	char name[128];
	unsigned int i;
	int err = 0;

	/* Dump names are "op fmt cfg pg_lg2 count": the workbench parses them */
	snprintf(name, sizeof(name), "map %s %s %u %u", r->fmt, r->cfg,
		 r->pg_lg2, r->count);
	if (dump)
		CALLGRIND_ZERO_STATS;
	t0 = now_ns();
	for (i = 0; i != CALLS; i++)
		err |= fmt->map(t, base + i * len, pa + i * len, pgsize,
				r->count, H_READ | H_WRITE, &mapped);
	if (best)
		best_add(best, 0, t0, now_ns());
	if (dump)
		CALLGRIND_DUMP_STATS_AT(name);
	if (err)
		fail("map", r);

	snprintf(name, sizeof(name), "iova_to_phys %s %s %u %u", r->fmt,
		 r->cfg, r->pg_lg2, r->count);
	if (dump)
		CALLGRIND_ZERO_STATS;
	t0 = now_ns();
	for (i = 0; i != CALLS; i++)
		sum += fmt->iova_to_phys(t, base + i * len + len / 2);
	if (best)
		best_add(best, 2, t0, now_ns());
	if (dump)
		CALLGRIND_DUMP_STATS_AT(name);
	for (i = 0; i != CALLS; i++)
		sum -= pa + i * len + len / 2;
	if (sum)
		fail("iova_to_phys", r);

	snprintf(name, sizeof(name), "unmap %s %s %u %u", r->fmt, r->cfg,
		 r->pg_lg2, r->count);
	if (dump)
		CALLGRIND_ZERO_STATS;
	t0 = now_ns();
	for (i = 0; i != CALLS; i++)
		sum += fmt->unmap(t, base + i * len, pgsize, r->count);
	if (best)
		best_add(best, 1, t0, now_ns());
	if (dump)
		CALLGRIND_DUMP_STATS_AT(name);
	if (sum != CALLS * len)
		fail("unmap", r);
}

/*
 * A first pass leaves the tables that the requests do not cover whole, as
 * a live domain has them; the second pass is measured.
 */
static void run_row(const struct row *r, bool timed)
{
	const struct hfmt *fmt;
	const struct hcfg *cfg = find(r->fmt, r->cfg, &fmt);
	struct best best = {};
	struct htable *t;
	unsigned int i;
	int err;

	hmem_init();
	t = fmt->create(cfg, &err);
	if (!t)
		fail("init", r);
	pass(r, fmt, t, false, NULL);
	if (!timed) {
		pass(r, fmt, t, true, NULL);
	} else {
		for (i = 0; i != TIME_PASSES; i++)
			pass(r, fmt, t, false, &best);
		printf("%-8s %-14s 2^%-2u x %3u", r->fmt, r->cfg, r->pg_lg2,
		       r->count);
		printf("  map %6llu.%02llu  unmap %6llu.%02llu",
		       best.ns[0] / 100, best.ns[0] % 100, best.ns[1] / 100,
		       best.ns[1] % 100);
		printf("  iova_to_phys %4llu.%02llu ns\n", best.ns[2] / 100,
		       best.ns[2] % 100);
	}
	fmt->destroy(t);
	hrcu_barrier();
}

/* The in-kernel benchmark's floor: the store of @num PTEs, cache hot */
static void time_floor(unsigned int num)
{
	static u64 table[512];
	unsigned long long best = 0, t0, ns;
	unsigned int i, j;

	for (i = 0; i != TIME_PASSES; i++) {
		t0 = now_ns();
		for (j = 0; j != CALLS; j++) {
			memset(table, j | 0x63, num * sizeof(u64));
			asm volatile("" : : "r"(table) : "memory");
		}
		ns = (now_ns() - t0) * 100 / CALLS;
		if (!best || ns < best)
			best = ns;
	}
	printf("floor: store of %3u PTEs, cache hot: %llu.%02llu ns\n", num,
	       best / 100, best % 100);
}

int main(int argc, char **argv)
{
	bool curve = argc > 1 && !strcmp(argv[1], "curve");
	bool timed = argc > 1 && !strcmp(argv[1], "time");
	unsigned int i, n;

	if (timed) {
		time_floor(1);
		time_floor(256);
	}
	if (!curve) {
		for (i = 0; i != ARRAY_SIZE(rows); i++)
			run_row(&rows[i], timed);
	} else {
		/* Instructions per page against pages per call, 4K pages */
		static const struct row fmts[] = {
			{ "amdv1", "top3", 12 }, { "x86_64", "4lvl", 12 },
			{ "vtdss", "4lvl,va48", 12 },
			{ "armv8_4k", "4k,s1,va48", 12 },
		};

		for (i = 0; i != ARRAY_SIZE(fmts); i++) {
			for (n = 1; n <= 512; n *= 2) {
				struct row r = fmts[i];

				r.count = n;
				run_row(&r, false);
			}
		}
	}
	printf("iommupt-bench: %d calls per row, done\n", CALLS);
	return 0;
}
