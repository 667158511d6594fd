// SPDX-License-Identifier: GPL-2.0
/*
 * Table memory for the harness: the page allocator, iommu-pages accounting
 * and the cache write-back that the page table code calls.
 *
 * Pages come from one arena with a struct page for every 4 KiB, so that
 * virt_to_page() and page_address() are pointer arithmetic as in the kernel,
 * and a "physical" address is an arena offset that fits every format's OA
 * field. Freed pages are poisoned for ASan and reused last-in last-out, a
 * page freed twice or a table pointer that leads to memory that is not a
 * live table is a failure, and a second copy of the arena is the memory a
 * walker that does not snoop would see: only arch_wb_cache_pmem() copies
 * into it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/libnvdimm.h>
#include <linux/rcupdate.h>

#include "../../../drivers/iommu/iommu-pages.h"
#include "harness.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(a, s) ((void)(a), (void)(s))
#define ASAN_UNPOISON_MEMORY_REGION(a, s) ((void)(a), (void)(s))
#endif

#define ARENA_PAGES BIT(20)
#define MAX_ORDER 10
#define CACHE_LINE 64

enum { PAGE_FREE, PAGE_USED };

char *iommupt_arena;
struct page *iommupt_pages;
long iommupt_node_stat[NR_VM_NODE_STAT_ITEMS];
static char *device_view;
static unsigned long bump;
static struct list_head free_blocks[MAX_ORDER + 1];
static long in_use;
static unsigned int fail_at;
static unsigned int allocs;
/* hmem_allocs() when each page was allocated, beside struct page */
static unsigned int *alloc_seqs;

unsigned int hwarns;
char hwarn_msg[256];

static void hwarn(const char *fmt, unsigned long a, unsigned long b)
{
	if (!hwarns++)
		snprintf(hwarn_msg, sizeof(hwarn_msg), fmt, a, b);
}

void iommupt_warn(const char *file, int line)
{
	if (!hwarns++)
		snprintf(hwarn_msg, sizeof(hwarn_msg), "WARN_ON at %s:%d",
			 file, line);
}

void hmem_init(void)
{
	unsigned int i;

	if (iommupt_arena)
		return;
	iommupt_arena = mmap(NULL, ARENA_PAGES * PAGE_SIZE,
			     PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	device_view = mmap(NULL, ARENA_PAGES * PAGE_SIZE,
			   PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	iommupt_pages = mmap(NULL, ARENA_PAGES * sizeof(struct page),
			     PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	alloc_seqs = mmap(NULL, ARENA_PAGES * sizeof(*alloc_seqs),
			  PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (iommupt_arena == MAP_FAILED || device_view == MAP_FAILED ||
	    iommupt_pages == MAP_FAILED || alloc_seqs == MAP_FAILED) {
		perror("iommupt: mmap of the table arena");
		abort();
	}
	for (i = 0; i <= MAX_ORDER; i++)
		INIT_LIST_HEAD(&free_blocks[i]);
}

void hmem_fail_alloc_at(unsigned int n)
{
	fail_at = n;
}

unsigned int hmem_allocs(void)
{
	return allocs;
}

long hmem_pages_in_use(void)
{
	return in_use;
}

long hmem_iommu_pages(void)
{
	return iommupt_node_stat[NR_IOMMU_PAGES];
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *head;
	unsigned long i, n = 1UL << order;
	char *va;

	allocs++;
	if (fail_at && !--fail_at)
		return NULL;
	if (order > MAX_ORDER) {
		hwarn("allocation of order %lu%.0lu", order, 0);
		return NULL;
	}
	if (!list_empty(&free_blocks[order])) {
		head = list_first_entry(&free_blocks[order], struct page, lru);
		list_del(&head->lru);
	} else {
		/* Blocks are naturally aligned, as the buddy allocator's */
		bump = (bump + n - 1) & ~(n - 1);
		if (bump + n > ARENA_PAGES) {
			fprintf(stderr, "iommupt: table arena exhausted\n");
			abort();
		}
		head = &iommupt_pages[bump];
		bump += n;
	}
	for (i = 0; i != n; i++) {
		head[i].state = PAGE_USED;
		head[i].refcount = 1;
		head[i].block = head;
		alloc_seqs[head - iommupt_pages + i] = allocs;
		INIT_LIST_HEAD(&head[i].lru);
	}
	head->block_order = order;
	head->block_free = 0;
	in_use += n;
	va = page_address(head);
	ASAN_UNPOISON_MEMORY_REGION(va, n * PAGE_SIZE);
	if (gfp & __GFP_ZERO)
		memset(va, 0, n * PAGE_SIZE);
#ifndef IOMMUPT_BENCH
	/* What a walker that does not snoop sees until a write back */
	memset(device_view + (va - iommupt_arena), 0xa5, n * PAGE_SIZE);
#endif
	return head;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(NUMA_NO_NODE, gfp, order);
}

void split_page(struct page *page, unsigned int order)
{
	unsigned long i;

	for (i = 0; i != 1UL << order; i++)
		if (page[i].state != PAGE_USED || page[i].block != page)
			hwarn("splitting pfn %lu order %lu: not an allocated block",
			      page - iommupt_pages, order);
}

static void free_one(struct page *page)
{
	struct page *head = page->block;

	if (page < iommupt_pages || page >= iommupt_pages + bump ||
	    page->state != PAGE_USED) {
		hwarn("free of pfn %lu that is not allocated (double free?)%.0lu",
		      page - iommupt_pages, 0);
		return;
	}
	page->state = PAGE_FREE;
	in_use--;
	ASAN_POISON_MEMORY_REGION(page_address(page), PAGE_SIZE);
	if (++head->block_free == 1U << head->block_order)
		list_add_tail(&head->lru, &free_blocks[head->block_order]);
}

void __free_pages(struct page *page, unsigned int order)
{
	unsigned long i;

	for (i = 0; i != 1UL << order; i++)
		free_one(page + i);
}

void put_page(struct page *page)
{
	if (page->state == PAGE_USED && --page->refcount)
		return;
	free_one(page);
}

void *iommupt_va(unsigned long pa)
{
	unsigned long off = pa - IOMMUPT_ARENA_PA;

	if (pa < IOMMUPT_ARENA_PA || off >= bump * PAGE_SIZE ||
	    iommupt_pages[off >> PAGE_SHIFT].state != PAGE_USED)
		hwarn("table pointer to %#lx, which is not table memory%.0lu",
		      pa, 0);
	return iommupt_arena + off;
}

void arch_wb_cache_pmem(void *addr, size_t size)
{
	unsigned long start = ((char *)addr - iommupt_arena) & ~(CACHE_LINE - 1UL);
	unsigned long end = (char *)addr - iommupt_arena + size;

	if ((char *)addr < iommupt_arena || end > bump * PAGE_SIZE) {
		hwarn("cache write back of %p + %#lx outside table memory",
		      (unsigned long)addr, size);
		return;
	}
	end = (end + CACHE_LINE - 1) & ~(CACHE_LINE - 1UL);
	for (; start < end; start += CACHE_LINE)
		if (iommupt_pages[start >> PAGE_SHIFT].state == PAGE_USED)
			memcpy(device_view + start, iommupt_arena + start,
			       CACHE_LINE);
}

unsigned int hmem_alloc_seq(const void *va)
{
	return alloc_seqs[((const char *)va - iommupt_arena) >> PAGE_SHIFT];
}

bool hmem_live(const void *va)
{
	unsigned long off = (const char *)va - iommupt_arena;

	return (const char *)va >= iommupt_arena && off < bump * PAGE_SIZE &&
	       iommupt_pages[off >> PAGE_SHIFT].state == PAGE_USED;
}

/* The hardware itself wrote the table (set_dirty): it sees what it wrote */
void hmem_device_view_sync(void)
{
	unsigned long pfn;

	for (pfn = 0; pfn != bump; pfn++)
		if (iommupt_pages[pfn].state == PAGE_USED)
			memcpy(device_view + pfn * PAGE_SIZE,
			       iommupt_arena + pfn * PAGE_SIZE, PAGE_SIZE);
}

bool hmem_device_view_ok(u64 sw_bits, void *skip_start, void *skip_end,
			 char *why, size_t len)
{
	unsigned long pfn, i;

	for (pfn = 0; pfn != bump; pfn++) {
		const u64 *cpu, *dev;

		if (iommupt_pages[pfn].state != PAGE_USED)
			continue;
		cpu = (const u64 *)(iommupt_arena + pfn * PAGE_SIZE);
		dev = (const u64 *)(device_view + pfn * PAGE_SIZE);
		if (!memcmp(cpu, dev, PAGE_SIZE))
			continue;
		for (i = 0; i != PAGE_SIZE / 8; i++) {
			if ((void *)&cpu[i] >= skip_start &&
			    (void *)&cpu[i] < skip_end)
				continue;
			if ((cpu[i] ^ dev[i]) & ~sw_bits) {
				snprintf(why, len,
					 "table memory at pa %#lx not written back: CPU %#llx, walker sees %#llx",
					 IOMMUPT_ARENA_PA + pfn * PAGE_SIZE + i * 8,
					 (unsigned long long)cpu[i],
					 (unsigned long long)dev[i]);
				return false;
			}
		}
	}
	return true;
}

bool hmem_device_read(u64 pa, bool device, u64 *val)
{
	unsigned long off = pa - IOMMUPT_ARENA_PA;

	if (pa < IOMMUPT_ARENA_PA || (pa & 7) || off >= bump * PAGE_SIZE ||
	    iommupt_pages[off >> PAGE_SHIFT].state != PAGE_USED)
		return false;
	*val = *(const u64 *)((device ? device_view : iommupt_arena) + off);
	return true;
}

void hmem_reset(void)
{
	fail_at = 0;
	allocs = 0;
}

static struct rcu_head *rcu_pending;

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = rcu_pending;
	rcu_pending = head;
}

void hrcu_barrier(void)
{
	while (rcu_pending) {
		struct rcu_head *head = rcu_pending;

		rcu_pending = head->next;
		head->func(head);
	}
}

/*
 * The RCU callback of iommu_put_pages_list() is built-in kernel code in
 * drivers/iommu/iommu.c, which the harness does not build: the same two
 * calls here.
 */
void iommu_free_page_rcu(struct rcu_head *head);
void iommu_free_page_rcu(struct rcu_head *head)
{
	struct page *p = container_of(head, struct page, rcu_head);

	__iommu_free_account(p, 0);
	put_page(p);
}
