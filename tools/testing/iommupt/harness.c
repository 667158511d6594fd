// SPDX-License-Identifier: GPL-2.0
/*
 * iommupt-harness: the differential test. For every format and
 * configuration it runs seeded random operations on the kernel's page
 * table code and on the reference model, in epochs of a fresh table each.
 * A failure prints the seed, the epoch and the shortest operation sequence
 * that still fails, found by replaying candidates in child processes, so
 * that crashes and sanitizer reports are minimised as well as mismatches.
 *
 *   iommupt-harness [--format F[,F]] [--config NAME] [--ops N] [--seed S]
 *                   [--epoch K] [--epoch-ops E] [--jobs J] [--regress DIR]
 *   iommupt-harness --format F --config NAME --replay FILE
 *
 * --regress DIR first replays every DIR/NAME.ops, the sequences of fixed
 * failures, each of which names its format and configuration. --no-walk
 * leaves out the independent walkers, to measure what they cost.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ops.h"

#define MAX_EPOCH_OPS 100000

struct shared {
	/* Written by the executor as it goes, read by its runner */
	unsigned int cfg;
	unsigned long epoch;
	size_t num_ops;
	unsigned long total_ops;
	unsigned int cfgs_done;
	int failed;
	char why[600];
	struct hop ops[MAX_EPOCH_OPS];
};

struct totals {
	unsigned int passed, failed;
};

static struct {
	const char *formats;
	const char *config;
	unsigned long ops;
	u64 seed;
	long epoch;
	unsigned long epoch_ops;
	unsigned int jobs;
	const char *replay;
	const char *regress;
	const char *out_dir;
} opt = {
	.ops = 1000000,
	.epoch = -1,
	.epoch_ops = 2000,
	.out_dir = "/tmp",
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static u64 epoch_seed(unsigned int fmt, unsigned int cfg, unsigned long epoch)
{
	u64 s = opt.seed ^ ((u64)fmt << 56) ^ ((u64)cfg << 40) ^
		     epoch;

	return hrand(&s);
}

static bool want_cfg(const struct hcfg *cfg)
{
	return !opt.config || !strcmp(opt.config, cfg->name);
}

/* The executor: runs every epoch, logging the current one in @sh */
static void execute(unsigned int fi, struct shared *sh)
{
	const struct hfmt *fmt = hfmts[fi];
	unsigned int ci, ncfg = 0;
	unsigned long per_cfg, epochs, e;

	for (ci = 0; ci != fmt->num_cfgs; ci++)
		ncfg += want_cfg(&fmt->cfgs[ci]);
	per_cfg = (opt.ops + ncfg - 1) / (ncfg ? ncfg : 1);
	epochs = (per_cfg + opt.epoch_ops - 1) / opt.epoch_ops;
	for (ci = 0; ci != fmt->num_cfgs; ci++) {
		const struct hcfg *cfg = &fmt->cfgs[ci];

		if (!want_cfg(cfg))
			continue;
		sh->cfg = ci;
		for (e = 0; e != epochs; e++) {
			struct hctx c;
			size_t i;

			if (opt.epoch >= 0 && e != (unsigned long)opt.epoch)
				continue;
			sh->epoch = e;
			sh->num_ops = 0;
			if (!hctx_init(&c, fmt, cfg, epoch_seed(fi, ci, e))) {
				snprintf(sh->why, sizeof(sh->why), "%s", c.why);
				sh->failed = 1;
				exit(1);
			}
			for (i = 0; i != opt.epoch_ops; i++) {
				struct hop *op = &sh->ops[sh->num_ops];

				hop_random(&c, op);
				sh->num_ops++;
				if (!hctx_run(&c, op)) {
					snprintf(sh->why, sizeof(sh->why), "%s",
						 c.why);
					sh->failed = 1;
					exit(1);
				}
			}
			if (!hctx_fini(&c)) {
				snprintf(sh->why, sizeof(sh->why),
					 "at teardown: %s", c.why);
				sh->failed = 1;
				exit(1);
			}
			sh->total_ops += opt.epoch_ops;
		}
		sh->cfgs_done++;
	}
	exit(0);
}

static void report_failure(unsigned int fi, struct shared *sh, int status)
{
	const struct hfmt *fmt = hfmts[fi];
	const struct hcfg *cfg = &fmt->cfgs[sh->cfg];
	char path[512];
	size_t n, i;
	FILE *f;

	if (!sh->failed)
		snprintf(sh->why, sizeof(sh->why),
			 WIFSIGNALED(status) ? "killed by signal %d" :
					       "exited with %d (a sanitizer report?)",
			 WIFSIGNALED(status) ? WTERMSIG(status) :
					       WEXITSTATUS(status));
	printf("FAIL %s %s: seed %#lx, epoch %lu, operation %zu: %s\n",
	       fmt->name, cfg->name, opt.seed, sh->epoch,
	       sh->num_ops ? sh->num_ops - 1 : 0, sh->why);
	printf("  reproduce: iommupt harness --format %s --config '%s' --seed %#lx --epoch %lu\n",
	       fmt->name, cfg->name, opt.seed, sh->epoch);
	fflush(stdout);
	n = sh->num_ops;
	if (!n || !hops_fail(fmt, cfg, sh->ops, n)) {
		printf("  the epoch does not fail again when replayed alone\n");
		return;
	}
	n = hops_minimize(fmt, cfg, sh->ops, n);
	snprintf(path, sizeof(path), "%s/iommupt-fail-%s-%lx-%lu.ops",
		 opt.out_dir, fmt->name, opt.seed, sh->epoch);
	f = fopen(path, "w");
	printf("  shortest failing sequence, %zu operation%s (replay: iommupt harness",
	       n, n == 1 ? "" : "s");
	printf(" --format %s --config '%s' --replay %s):\n", fmt->name, cfg->name,
	       path);
	for (i = 0; i != n; i++) {
		printf("    ");
		hop_print(stdout, &sh->ops[i]);
		if (f)
			hop_print(f, &sh->ops[i]);
	}
	if (f)
		fclose(f);
	fflush(stdout);
	/* Show what goes wrong, in a child in case it crashes */
	if (!fork()) {
		hops_replay(fmt, cfg, sh->ops, n, true);
		exit(0);
	}
	wait(NULL);
}

/* The runner of one format: returns 0 if every configuration passed */
static int run_format(unsigned int fi, struct totals *tot)
{
	const struct hfmt *fmt = hfmts[fi];
	struct shared *sh;
	double t0 = now(), secs;
	unsigned int ncfg = 0, ci;
	int status;
	pid_t pid;

	for (ci = 0; ci != fmt->num_cfgs; ci++)
		ncfg += want_cfg(&fmt->cfgs[ci]);
	if (!ncfg)
		return 0;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	fflush(NULL);
	pid = fork();
	if (!pid)
		execute(fi, sh);
	waitpid(pid, &status, 0);
	secs = now() - t0;
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		printf("%-7s %2u configurations, %lu operations in %.1fs (%.0f ops/s): ok\n",
		       fmt->name, ncfg, sh->total_ops, secs,
		       sh->total_ops / secs);
		tot->passed += ncfg;
		munmap(sh, sizeof(*sh));
		return 0;
	}
	tot->passed += sh->cfgs_done;
	tot->failed += ncfg - sh->cfgs_done;
	report_failure(fi, sh, status);
	munmap(sh, sizeof(*sh));
	return 1;
}

static const struct hcfg *find_cfg(const char *fmt_name, const char *cfg_name,
				   const struct hfmt **fmt)
{
	unsigned int i, j;

	for (i = 0; i != num_hfmts; i++) {
		if (!fmt_name || strcmp(fmt_name, hfmts[i]->name))
			continue;
		for (j = 0; cfg_name && j != hfmts[i]->num_cfgs; j++) {
			if (!strcmp(hfmts[i]->cfgs[j].name, cfg_name)) {
				*fmt = hfmts[i];
				return &hfmts[i]->cfgs[j];
			}
		}
	}
	return NULL;
}

/* The operations of a file hop_print() wrote; its "# FMT CONFIG" line too */
static struct hop *read_ops(const char *path, size_t *num, char *fmt_name,
			    char *cfg_name)
{
	struct hop *ops = NULL;
	size_t n = 0, cap = 0;
	char line[512];
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#') {
			/* The first comment line names the configuration */
			if (fmt_name && !fmt_name[0])
				sscanf(line, "# %31s %127[^\n]", fmt_name,
				       cfg_name);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ops = realloc(ops, cap * sizeof(*ops));
			if (!ops)
				abort();
		}
		if (hop_parse(line, &ops[n]))
			n++;
	}
	fclose(f);
	*num = n;
	return ops;
}

static int replay(void)
{
	const struct hfmt *fmt = NULL;
	const struct hcfg *cfg = find_cfg(opt.formats, opt.config, &fmt);
	struct hop *ops;
	bool failed;
	size_t n;

	if (!cfg) {
		fprintf(stderr, "iommupt-harness: give one --format and its --config\n");
		return 2;
	}
	ops = read_ops(opt.replay, &n, NULL, NULL);
	printf("replaying %zu operations on %s %s\n", n, fmt->name, cfg->name);
	fflush(stdout);
	failed = hops_replay(fmt, cfg, ops, n, true) >= 0;
	free(ops);
	printf("%d passed, %d failed\n", !failed, failed);
	return failed;
}

/*
 * Regression tests: every DIR/NAME.ops names its format and configuration
 * in a "# FMT CONFIG" line and must run clean.
 */
static void regress(struct totals *tot)
{
	struct dirent *de;
	DIR *dir = opendir(opt.regress);

	if (!dir) {
		perror(opt.regress);
		exit(2);
	}
	while ((de = readdir(dir))) {
		char path[1024], fmt_name[32] = "", cfg_name[128] = "";
		const struct hfmt *fmt = NULL;
		const struct hcfg *cfg;
		struct hop *ops;
		size_t n, len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".ops"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", opt.regress, de->d_name);
		ops = read_ops(path, &n, fmt_name, cfg_name);
		cfg = find_cfg(fmt_name, cfg_name, &fmt);
		if (!cfg) {
			printf("FAIL regression %s: no configuration \"%s %s\"\n",
			       path, fmt_name, cfg_name);
			tot->failed++;
		} else if (hops_fail(fmt, cfg, ops, n)) {
			printf("FAIL regression %s (%s %s)\n", path, fmt->name,
			       cfg->name);
			printf("  see it: iommupt harness --format %s --config '%s' --replay %s\n",
			       fmt->name, cfg->name, path);
			tot->failed++;
		} else {
			tot->passed++;
		}
		free(ops);
	}
	closedir(dir);
}

static void usage(void)
{
	fprintf(stderr,
		"iommupt-harness [--format F[,F...]] [--config NAME] [--ops N]\n"
		"                       [--seed S] [--epoch K] [--epoch-ops E] [--jobs J]\n"
		"                       [--replay FILE] [--regress DIR] [--out DIR] [--list]\n"
		"                       [--no-walk]\n");
	exit(2);
}

static void list(void)
{
	unsigned int i, j;

	for (i = 0; i != num_hfmts; i++)
		for (j = 0; j != hfmts[i]->num_cfgs; j++)
			printf("%s %s\n", hfmts[i]->name, hfmts[i]->cfgs[j].name);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "ops", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "epoch", required_argument, NULL, 'e' },
		{ "epoch-ops", required_argument, NULL, 'E' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "replay", required_argument, NULL, 'r' },
		{ "regress", required_argument, NULL, 'R' },
		{ "out", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'l' },
		{ "no-walk", no_argument, NULL, 'W' },
		{}
	};
	struct totals *tot;
	unsigned int i, running = 0;
	bool seeded = false;
	double t0 = now();
	int o, rc = 0;

	while ((o = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (o) {
		case 'f':
			opt.formats = optarg;
			break;
		case 'c':
			opt.config = optarg;
			break;
		case 'n':
			opt.ops = strtoul(optarg, NULL, 0);
			break;
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'e':
			opt.epoch = strtol(optarg, NULL, 0);
			break;
		case 'E':
			opt.epoch_ops = strtoul(optarg, NULL, 0);
			if (!opt.epoch_ops || opt.epoch_ops > MAX_EPOCH_OPS)
				usage();
			break;
		case 'j':
			opt.jobs = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			opt.replay = optarg;
			break;
		case 'o':
			opt.out_dir = optarg;
			break;
		case 'R':
			opt.regress = optarg;
			break;
		case 'l':
			list();
			return 0;
		case 'W':
			hwalk_off = true;
			break;
		default:
			usage();
		}
	}
	if (opt.replay)
		return replay();
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt.seed = (u64)ts.tv_sec * 1000000007ULL ^ ts.tv_nsec ^
			   ((u64)getpid() << 32);
		opt.seed = hrand(&opt.seed);
	}
	if (!opt.jobs)
		opt.jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ?
				   sysconf(_SC_NPROCESSORS_ONLN) : 1;
	printf("iommupt harness: seed %#lx, %lu operations per format, %lu per table\n",
	       opt.seed, opt.ops, opt.epoch_ops);
	fflush(stdout);
	tot = mmap(NULL, sizeof(*tot) * (num_hfmts + 1), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (opt.regress)
		regress(&tot[num_hfmts]);
	for (i = 0; i != num_hfmts; i++) {
		int status;

		if (opt.formats) {
			const char *p = strstr(opt.formats, hfmts[i]->name);
			size_t l = strlen(hfmts[i]->name);

			if (!p || (p != opt.formats && p[-1] != ',') ||
			    (p[l] && p[l] != ','))
				continue;
		}
		if (running == opt.jobs) {
			wait(&status);
			rc |= !WIFEXITED(status) || WEXITSTATUS(status);
			running--;
		}
		fflush(NULL);
		if (!fork())
			exit(run_format(i, &tot[i]));
		running++;
	}
	while (running--) {
		int status;

		wait(&status);
		rc |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	{
		unsigned int passed = 0, failed = 0;

		for (i = 0; i <= num_hfmts; i++) {
			passed += tot[i].passed;
			failed += tot[i].failed;
		}
		rc |= tot[num_hfmts].failed != 0;
		if (!passed && !failed) {
			fprintf(stderr, "no format or configuration matched\n");
			return 2;
		}
		printf("harness: %.1fs, seed %#lx\n", now() - t0, opt.seed);
		printf("%u passed, %u failed\n", passed, failed);
	}
	return rc;
}
