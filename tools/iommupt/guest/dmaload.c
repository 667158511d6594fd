// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: the disk workload of the iommupt VM runs.
 *
 * Writes pseudo-random data to every disk given, all disks at once (one
 * thread each), with O_DIRECT from hugepage-backed buffers, in requests of
 * mixed sizes and buffer alignments; then drops the page cache, reads the
 * data back in a different mix of requests and compares it word by word
 * with what was written. The devices DMA through the IOMMU: every request
 * maps its buffer into the device's domain and unmaps it again, so the
 * domains of the disks see concurrent maps and unmaps, and the 2 MiB
 * requests from 2 MiB aligned hugepages can be mapped as 2M leaves.
 *
 * The data of disk D at byte offset O depends only on the seed, D and O,
 * so the checksums are the same on every kernel: the host compares them
 * between the patched and the unpatched kernel.
 *
 * Output, one line per item, for the host to parse:
 *   DMALOAD-QUEUE disk=NAME max_hw_sectors_kb=N max_sectors_kb=N
 *   DMALOAD disk=NAME bytes=N writes=N reads=N wsum=HEX rsum=HEX bad_words=N
 *          write_ms=N read_ms=N sizes=SIZE:COUNT,...
 *   DMALOAD-END ok|FAIL seconds=N
 *
 * Build: gcc -O2 -static -pthread dmaload.c -o dmaload
 * Usage: dmaload [-m MIB] [-s SEED] DEV[:MAXKB]...
 *   MAXKB caps the disk's requests (max_sectors_kb); the default is what the
 *   driver allows, up to 4 MiB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SZ_2M (2UL << 20)
/* Two hugepages of slack beyond the largest request, for the offsets */
#define BUF_SIZE (4 * SZ_2M)
#define SECTOR 512UL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Request sizes and buffer offsets, each drawn with the weight given. The
 * 2M and 4M requests at 2M aligned offsets are the ones that can become
 * 2M leaves; the others start or end inside a page, cross a hugepage or
 * are a single sector.
 */
struct choice {
	unsigned long value;
	unsigned int weight;
};

static const struct choice sizes[] = {
	{ SECTOR, 2 },		{ 4096, 8 },		{ 4096 + SECTOR, 2 },
	{ 8192, 6 },		{ 61440, 3 },		{ 65536, 4 },
	{ 131072, 4 },		{ 135168, 2 },		{ 524288, 2 },
	{ 1048576, 2 },		{ SZ_2M, 3 },		{ 2 * SZ_2M, 1 },
};

static const struct choice offsets[] = {
	{ 0, 4 },		{ SECTOR, 1 },		{ 4096, 2 },
	{ 65536 + SECTOR, 1 },	{ SZ_2M - 4096, 1 },	{ SZ_2M, 2 },
};

struct disk {
	char *path;
	const char *name;
	long max_kb;
	unsigned int index;
	int fd;
	unsigned long bytes;
	unsigned long writes, reads, bad_words;
	uint64_t wsum, rsum;
	long write_ms, read_ms;
	unsigned long size_count[ARRAY_SIZE(sizes)];
	const char *error;
	int err;
	unsigned char *buf;
	pthread_t thread;
};

static uint64_t seed = 1;
static pthread_barrier_t written, dropped;

/* splitmix64: the data word at index i of a disk, from nothing else */
static uint64_t data_word(unsigned int disk, uint64_t i)
{
	uint64_t z = seed ^ ((uint64_t)disk << 56) ^ (i * 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* FNV-1a over 64-bit words, in disk order */
static uint64_t sum_word(uint64_t h, uint64_t w)
{
	return (h ^ w) * 0x100000001b3ULL;
}

static uint64_t rng_next(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static unsigned long pick(const struct choice *c, unsigned int n,
			  uint64_t *rng, unsigned int *which)
{
	unsigned int total = 0, i, r;

	for (i = 0; i != n; i++)
		total += c[i].weight;
	r = rng_next(rng) % total;
	for (i = 0; r >= c[i].weight; i++)
		r -= c[i].weight;
	if (which)
		*which = i;
	return c[i].value;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int fail(struct disk *d, const char *what)
{
	if (!d->error) {
		d->error = what;
		d->err = errno;
	}
	return -1;
}

/*
 * One pass over the disk: writes (generating the data) or reads (checking
 * it), in requests of sizes and offsets drawn from the pass's own stream.
 */
static int pass(struct disk *d, int writing)
{
	uint64_t rng = seed * 2 + 1 + d->index * 7919 + (writing ? 0 : 104729);
	unsigned long off = 0;
	unsigned int which;

	while (off < d->bytes) {
		unsigned long len = pick(sizes, ARRAY_SIZE(sizes),
					 &rng, &which);
		unsigned long boff = pick(offsets,
					  ARRAY_SIZE(offsets),
					  &rng, NULL);
		uint64_t *p = (uint64_t *)(d->buf + boff);
		unsigned long i, n;
		ssize_t ret;

		if (len > d->bytes - off)
			len = d->bytes - off;
		n = len / 8;
		if (writing) {
			for (i = 0; i != n; i++) {
				p[i] = data_word(d->index, off / 8 + i);
				d->wsum = sum_word(d->wsum, p[i]);
			}
			ret = pwrite(d->fd, p, len, off);
			d->writes++;
		} else {
			memset(p, 0, len);
			ret = pread(d->fd, p, len, off);
			d->reads++;
		}
		if (ret < 0)
			return fail(d, writing ? "pwrite" : "pread");
		if ((unsigned long)ret != len) {
			errno = EIO;
			return fail(d, writing ? "short pwrite" : "short pread");
		}
		if (!writing) {
			for (i = 0; i != n; i++) {
				d->rsum = sum_word(d->rsum, p[i]);
				if (p[i] != data_word(d->index, off / 8 + i))
					d->bad_words++;
			}
		}
		d->size_count[which]++;
		off += len;
	}
	return 0;
}

static void *disk_thread(void *arg)
{
	struct disk *d = arg;
	long t;

	t = now_ms();
	if (!d->error && pass(d, 1) == 0 && fsync(d->fd))
		fail(d, "fsync");
	d->write_ms = now_ms() - t;
	/* The main thread drops the caches between the two barriers */
	pthread_barrier_wait(&written);
	pthread_barrier_wait(&dropped);
	t = now_ms();
	if (!d->error)
		pass(d, 0);
	d->read_ms = now_ms() - t;
	return NULL;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t ret;

	if (fd < 0)
		return -1;
	ret = write(fd, text, strlen(text));
	close(fd);
	return ret == (ssize_t)strlen(text) ? 0 : -1;
}

static long read_number(const char *path)
{
	char text[32] = "";
	int fd = open(path, O_RDONLY);
	ssize_t ret;

	if (fd < 0)
		return -1;
	ret = read(fd, text, sizeof(text) - 1);
	close(fd);
	return ret > 0 ? strtol(text, NULL, 10) : -1;
}

/*
 * Let the block layer pass requests of up to 4 MiB to the driver where the
 * driver allows it (the default cap is 1280 KiB), so that the 2M and 4M
 * requests reach the DMA API whole.
 */
static void raise_queue_limit(const struct disk *d)
{
	long want = d->max_kb ? d->max_kb : 4096;
	char path[256], text[32];
	long hw, cur;

	snprintf(path, sizeof(path), "/sys/block/%s/queue/max_hw_sectors_kb",
		 d->name);
	hw = read_number(path);
	snprintf(path, sizeof(path), "/sys/block/%s/queue/max_sectors_kb",
		 d->name);
	if (hw > 0) {
		snprintf(text, sizeof(text), "%ld", hw < want ? hw : want);
		write_file(path, text);
	}
	cur = read_number(path);
	printf("DMALOAD-QUEUE disk=%s max_hw_sectors_kb=%ld max_sectors_kb=%ld\n",
	       d->name, hw, cur);
}

static void usage(void)
{
	fputs("usage: dmaload [-m MIB] [-s SEED] DEV[:MAXKB]...\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long mib = 64;
	struct disk *disks;
	int ndisks, opt, i;
	long start;
	int ok = 1;

	while ((opt = getopt(argc, argv, "m:s:")) != -1) {
		switch (opt) {
		case 'm':
			mib = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	ndisks = argc - optind;
	if (ndisks < 1 || !mib)
		usage();
	disks = calloc(ndisks, sizeof(*disks));
	if (!disks)
		return 1;
	pthread_barrier_init(&written, NULL, ndisks + 1);
	pthread_barrier_init(&dropped, NULL, ndisks + 1);
	start = now_ms();
	for (i = 0; i != ndisks; i++) {
		struct disk *d = &disks[i];
		const char *slash = strrchr(argv[optind + i], '/');
		char *colon;

		d->path = argv[optind + i];
		colon = strchr(d->path, ':');
		if (colon) {
			*colon = 0;
			d->max_kb = strtol(colon + 1, NULL, 0);
		}
		d->name = slash ? slash + 1 : d->path;
		d->index = i;
		d->bytes = mib << 20;
		d->wsum = 0xcbf29ce484222325ULL;
		d->rsum = d->wsum;
		raise_queue_limit(d);
		d->fd = open(d->path, O_RDWR | O_DIRECT);
		if (d->fd < 0)
			fail(d, "open");
		d->buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (d->buf == MAP_FAILED) {
			d->buf = NULL;
			fail(d, "mmap MAP_HUGETLB (no free hugepages?)");
		}
		if (pthread_create(&d->thread, NULL, disk_thread, d)) {
			fprintf(stderr, "dmaload: pthread_create failed\n");
			return 1;
		}
	}
	pthread_barrier_wait(&written);
	sync();
	if (write_file("/proc/sys/vm/drop_caches", "3"))
		fprintf(stderr, "dmaload: cannot drop caches: %s\n",
			strerror(errno));
	pthread_barrier_wait(&dropped);
	for (i = 0; i != ndisks; i++) {
		struct disk *d = &disks[i];
		unsigned int j;
		const char *sep = "";

		pthread_join(d->thread, NULL);
		if (d->error) {
			printf("DMALOAD-ERROR disk=%s %s: %s\n", d->name,
			       d->error, strerror(d->err));
			ok = 0;
		}
		if (d->bad_words || d->wsum != d->rsum)
			ok = 0;
		printf("DMALOAD disk=%s bytes=%lu writes=%lu reads=%lu",
		       d->name, d->bytes, d->writes, d->reads);
		printf(" wsum=%016llx rsum=%016llx bad_words=%lu",
		       (unsigned long long)d->wsum, (unsigned long long)d->rsum,
		       d->bad_words);
		printf(" write_ms=%ld read_ms=%ld sizes=", d->write_ms, d->read_ms);
		for (j = 0; j != ARRAY_SIZE(sizes); j++) {
			if (!d->size_count[j])
				continue;
			printf("%s%lu:%lu", sep, sizes[j].value, d->size_count[j]);
			sep = ",";
		}
		printf("\n");
	}
	printf("DMALOAD-END %s seconds=%ld\n", ok ? "ok" : "FAIL",
	       (now_ms() - start) / 1000);
	return ok ? 0 : 1;
}
