// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of IOMMU_DEBUG_PAGEALLOC through a mock paging domain.
 *
 * The mock keeps its translations in an xarray, one entry per 4 KiB granule,
 * and behaves like the AMD and generic page tables on unmap: asked to unmap
 * part of a large leaf, it removes the whole leaf and says so. Every case runs
 * with a domain the sanitizer can walk (as a generic page table domain will
 * be) and with one it can only read through iova_to_phys(), each with a 4 KiB
 * granule and with a 2 KiB one (as the iommufd selftest's mock domain has),
 * whose two halves of a 4 KiB page are mapped apart. Counts are read in bytes:
 * how much of a page mappings reach, summed over the mappings.
 *
 * A second suite does the same through domains on the generic page table,
 * the AMD v1 format and the iommufd mock format with its 2 KiB granule,
 * which hand the sanitizer their own table walk when they are initialised.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/hugetlb.h>
#include <linux/generic_pt/iommu.h>
#include <linux/iommu.h>
#include <linux/iommu-debug-pagealloc.h>
#include <linux/memremap.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/sizes.h>
#include <linux/xarray.h>

#include "iommu-pages.h"

/* An entry holds the granule's physical frame and the order of its leaf */
#define MOCK_ORDER_BITS	5
#define MOCK_ORDER_MASK	((1UL << MOCK_ORDER_BITS) - 1)

#define TEST_IOVA	0x100000UL
#define TEST_IOVA2	0x800000UL

struct mock_domain {
	struct iommu_domain domain;
	struct xarray leaves;
	unsigned int shift;
	/* map_pages() fails once it has mapped this many pages; -1: never */
	long budget;
};

struct mock_param {
	bool walkable;
	unsigned int shift;
	const char *name;
};

struct test_ctx {
	bool walkable;
	unsigned int shift;
	/* The count of a page that one mapping covers whole, in bytes */
	int unit;
	int was_enabled;
	int next_id;
	/* Reports of pages freed or handed out mapped, printed or not */
	unsigned int nr_reports;
	unsigned int nr_printed;
	unsigned int nr_underflows;
	unsigned int nr_overflows;
	unsigned int nr_domains_freed;
	struct iommu_debug_report last;
	struct iommu_debug_report last_warning;
	struct iommu_debug_report last_domain_freed;
	char text[512];
};

static struct mock_domain *to_mock(struct iommu_domain *domain)
{
	return container_of(domain, struct mock_domain, domain);
}

static unsigned long mock_entry(unsigned long pfn, unsigned int order)
{
	return pfn << MOCK_ORDER_BITS | order;
}

static int mock_map_pages(struct iommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t pgsize, size_t pgcount,
			  int prot, gfp_t gfp, size_t *mapped)
{
	struct mock_domain *md = to_mock(domain);
	unsigned int order = ilog2(pgsize) - md->shift;
	unsigned long i, j;
	int ret;

	for (i = 0; i != pgcount; i++) {
		if (!md->budget)
			return -ENOMEM;
		if (md->budget > 0)
			md->budget--;
		for (j = 0; j != 1UL << order; j++) {
			ret = xa_err(xa_store(&md->leaves, (iova >> md->shift) + j,
					      xa_mk_value(mock_entry((paddr >> md->shift) + j,
								     order)),
					      gfp));
			if (ret)
				return ret;
		}
		iova += pgsize;
		paddr += pgsize;
		*mapped += pgsize;
	}
	return 0;
}

static size_t mock_unmap_pages(struct iommu_domain *domain, unsigned long iova,
			       size_t pgsize, size_t pgcount,
			       struct iommu_iotlb_gather *gather)
{
	struct mock_domain *md = to_mock(domain);
	unsigned long end = iova + pgsize * pgcount;
	size_t unmapped = 0;

	while (iova < end) {
		void *entry = xa_load(&md->leaves, iova >> md->shift);
		unsigned long start, next, j;
		unsigned int order;

		if (!entry)
			break;
		order = xa_to_value(entry) & MOCK_ORDER_MASK;
		start = ALIGN_DOWN(iova >> md->shift, 1UL << order);
		for (j = 0; j != 1UL << order; j++)
			xa_erase(&md->leaves, start + j);
		next = (start + (1UL << order)) << md->shift;
		unmapped += next - iova;
		iova = next;
	}
	return unmapped;
}

static phys_addr_t mock_iova_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova)
{
	struct mock_domain *md = to_mock(domain);
	void *entry = xa_load(&md->leaves, iova >> md->shift);

	if (!entry)
		return 0;
	return ((phys_addr_t)(xa_to_value(entry) >> MOCK_ORDER_BITS) << md->shift) |
	       (iova & (BIT(md->shift) - 1));
}

static void mock_domain_free(struct iommu_domain *domain)
{
	struct mock_domain *md = to_mock(domain);

	xa_destroy(&md->leaves);
	kfree(md);
}

static const struct iommu_domain_ops mock_domain_ops = {
	.map_pages = mock_map_pages,
	.unmap_pages = mock_unmap_pages,
	.iova_to_phys = mock_iova_to_phys,
	.free = mock_domain_free,
};

static void mock_walk(struct iommu_domain *domain, unsigned long iova,
		      unsigned long last, iommu_debug_leaf_fn fn, void *arg)
{
	struct mock_domain *md = to_mock(domain);
	unsigned long idx = iova >> md->shift;
	void *entry;

	while ((entry = xa_find(&md->leaves, &idx, last >> md->shift,
				XA_PRESENT))) {
		unsigned long value = xa_to_value(entry);
		unsigned int order = value & MOCK_ORDER_MASK;
		unsigned long start = ALIGN_DOWN(idx, 1UL << order);
		unsigned long pfn = (value >> MOCK_ORDER_BITS) - (idx - start);

		if (fn(arg, start << md->shift, (phys_addr_t)pfn << md->shift,
		       (size_t)1 << (md->shift + order)))
			return;
		idx = start + (1UL << order);
		if (!idx)
			return;
	}
}

static const struct iommu_debug_domain_ops mock_debug_ops = {
	.walk = mock_walk,
};

static struct iommu_domain *mock_domain_alloc(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct mock_domain *md;

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, md);
	xa_init(&md->leaves);
	md->budget = -1;
	md->shift = ctx->shift;
	md->domain.type = IOMMU_DOMAIN_UNMANAGED;
	md->domain.ops = &mock_domain_ops;
	md->domain.pgsize_bitmap = BIT(ctx->shift) | SZ_64K;
	md->domain.geometry.aperture_start = 0;
	md->domain.geometry.aperture_end = SZ_4G - 1;
	md->domain.geometry.force_aperture = true;
	/* A walkable mock plays a generic page table: it has an id too */
	if (ctx->walkable)
		KUNIT_ASSERT_EQ(test, iommu_debug_domain_set_ops(&md->domain,
								 &mock_debug_ops,
								 ctx->next_id++), 0);
	return &md->domain;
}

static void record_report(const struct iommu_debug_report *report, void *priv)
{
	struct test_ctx *ctx = priv;

	switch (report->event) {
	case IOMMU_DEBUG_FREED_MAPPED:
	case IOMMU_DEBUG_ALLOCATED_MAPPED:
		ctx->nr_reports++;
		ctx->nr_printed += report->printed;
		ctx->last = *report;
		ctx->text[0] = 0;
		if (report->text)
			strscpy(ctx->text, report->text, sizeof(ctx->text));
		ctx->last.text = ctx->text;
		break;
	case IOMMU_DEBUG_UNDERFLOW:
		ctx->nr_underflows++;
		ctx->last_warning = *report;
		break;
	case IOMMU_DEBUG_OVERFLOW:
		ctx->nr_overflows++;
		ctx->last_warning = *report;
		break;
	case IOMMU_DEBUG_DOMAIN_FREED:
		ctx->nr_domains_freed++;
		ctx->last_domain_freed = *report;
		break;
	}
}

static long long count_of(struct page *page)
{
	return iommu_debug_page_bytes(page);
}

static void expect_counts(struct kunit *test, struct page *page,
			  const int *counts, unsigned int nr)
{
	unsigned int i;

	struct test_ctx *ctx = test->priv;

	for (i = 0; i != nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, count_of(page + i), counts[i] * ctx->unit,
				    "count of page %u of the block", i);
}

static void test_map_then_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ | IOMMU_WRITE,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), ctx->unit);

	__free_page(page);
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_reports, 1,
			    "freeing a mapped page gives exactly one report");
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_EQ(test, ctx->last.bytes, ctx->unit);
	KUNIT_EXPECT_EQ(test, ctx->last.nr_mapped, 1);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, domain);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA);

	/* The report forgot the count; the unmap takes it back quietly */
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(domain);
}

static void test_unmap_then_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(page), 0);
	__free_page(page);
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_reports, 0,
			    "a page unmapped before its free is not reported");
	iommu_domain_free(domain);
}

static void test_partial_unmap(struct kunit *test)
{
	static const int mapped[] = { 1, 1, 1, 1 };
	static const int ends[] = { 1, 0, 0, 1 };
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_16K, IOMMU_READ, GFP_KERNEL), 0);
	expect_counts(test, page, mapped, ARRAY_SIZE(mapped));
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA + SZ_4K, SZ_8K),
			SZ_8K);
	expect_counts(test, page, ends, ARRAY_SIZE(ends));

	__free_pages(page, 2);
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_reports, 1,
			    "one report for the whole freed block");
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_EQ(test, ctx->last.nr_mapped, 2);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, domain);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA);

	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA + 3 * SZ_4K, SZ_4K),
			SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn + 3)), 0);
	iommu_domain_free(domain);
}

/* A 64 KiB leaf counts each of its pages once, and goes in one unmap */
static void test_large_page(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_pages(GFP_KERNEL, 4);
	unsigned long pfn;
	void *entry;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_64K, IOMMU_READ, GFP_KERNEL), 0);
	entry = xa_load(&to_mock(domain)->leaves, TEST_IOVA >> ctx->shift);
	KUNIT_ASSERT_NOT_NULL(test, entry);
	KUNIT_EXPECT_EQ_MSG(test, xa_to_value(entry) & MOCK_ORDER_MASK,
			    16 - ctx->shift, "the mock mapped one 64 KiB leaf");
	for (i = 0; i != 16; i++)
		KUNIT_EXPECT_EQ_MSG(test, count_of(page + i), ctx->unit,
				    "page %d", i);

	/* Asked for 4 KiB, the mock removes the whole leaf */
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_64K);
	for (i = 0; i != 16; i++)
		KUNIT_EXPECT_EQ_MSG(test, count_of(page + i), 0, "page %d", i);

	__free_pages(page, 4);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(domain);
}

static void test_large_page_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_pages(GFP_KERNEL, 4);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2, page_to_phys(page),
					SZ_64K, IOMMU_READ, GFP_KERNEL), 0);
	__free_pages(page, 4);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_EQ(test, ctx->last.nr_mapped, 16);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, domain);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA2);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA2, SZ_64K), SZ_64K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn + 15)), 0);
	iommu_domain_free(domain);
}

static void test_failing_map(struct kunit *test)
{
	static const int none[] = { 0, 0, 0, 0 };
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	KUNIT_ASSERT_NOT_NULL(test, page);
	to_mock(domain)->budget = 2;
	KUNIT_EXPECT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_16K, IOMMU_READ, GFP_KERNEL), -ENOMEM);
	KUNIT_EXPECT_TRUE_MSG(test, xa_empty(&to_mock(domain)->leaves),
			      "the core unmapped what the failed map had mapped");
	expect_counts(test, page, none, ARRAY_SIZE(none));
	__free_pages(page, 2);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	iommu_domain_free(domain);
}

/* The latest map is the first guess of a report; both domains are right */
static void test_two_domains(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *a = mock_domain_alloc(test);
	struct iommu_domain *b = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(a, TEST_IOVA, page_to_phys(page), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(b, TEST_IOVA2, page_to_phys(page), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), 2 * ctx->unit);
	KUNIT_EXPECT_EQ(test, iommu_unmap(a, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(page), ctx->unit);

	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ(test, ctx->last.bytes, ctx->unit);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, b);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA2);

	KUNIT_EXPECT_EQ(test, iommu_unmap(b, TEST_IOVA2, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(a);
	iommu_domain_free(b);
}

/*
 * When the latest map is gone, only a domain that can be walked is found; the
 * other kind is honestly reported as not found.
 */
static void test_report_searches_tables(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *a = mock_domain_alloc(test);
	struct iommu_domain *b = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(a, TEST_IOVA, page_to_phys(page), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(b, TEST_IOVA2, page_to_phys(page), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(b, TEST_IOVA2, SZ_4K), SZ_4K);

	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	if (ctx->walkable) {
		KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, a);
		KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA);
	} else {
		KUNIT_EXPECT_NULL(test, ctx->last.domain);
	}

	KUNIT_EXPECT_EQ(test, iommu_unmap(a, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(a);
	iommu_domain_free(b);
}

static void test_switched_off(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_debug_pagealloc_set_enabled(false), 1);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ_MSG(test, count_of(page), 0,
			    "nothing is counted while switched off");
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	/* Switched on again, so that the free forgets the domain */
	iommu_debug_pagealloc_set_enabled(true);
	iommu_domain_free(domain);
	KUNIT_EXPECT_EQ(test, ctx->nr_domains_freed, 0);
}

/*
 * A domain freed with mappings left (as VFIO drops one of its domains) no
 * longer reaches them: their counts go, by the domain's walk or by
 * iova_to_phys() over what it mapped, and the free is said once.
 */
static void test_domain_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain;
	struct page *page;

	domain = mock_domain_alloc(test);
	page = alloc_pages(GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2,
					page_to_phys(page + 1), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	iommu_domain_free(domain);
	KUNIT_EXPECT_EQ_MSG(test, count_of(page), 0,
			    "the free of the domain drops its counts");
	KUNIT_EXPECT_EQ(test, count_of(page + 1), 0);
	KUNIT_EXPECT_EQ(test, ctx->nr_domains_freed, 1);
	KUNIT_EXPECT_EQ(test, ctx->last_domain_freed.bytes, 2 * SZ_4K);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last_domain_freed.domain, domain);
	__free_pages(page, 1);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
}

/* Granules smaller than a page: each one mapped counts the page once */
static void test_sub_page_granule(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain;
	size_t granule = BIT(ctx->shift);
	struct page *page;

	if (granule >= PAGE_SIZE)
		kunit_skip(test, "needs a granule smaller than a page");
	domain = mock_domain_alloc(test);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					granule, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), granule);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2,
					page_to_phys(page) + granule, granule,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), 2 * granule);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, granule), granule);
	KUNIT_EXPECT_EQ(test, count_of(page), granule);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA2, granule), granule);
	KUNIT_EXPECT_EQ(test, count_of(page), 0);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	iommu_domain_free(domain);
}

/* A report forgets the counts of the page it reports: one leak, one report */
static void test_report_forgets(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ_MSG(test, count_of(pfn_to_page(pfn)), 0,
			    "a report forgets the counts of the page");
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(domain);
}

/* Many leaks at once: the log gets a few reports, not one per page */
static void test_reports_ratelimited(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	unsigned int i;

	iommu_debug_set_ratelimit(3600 * HZ, 3);
	for (i = 0; i != 12; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA + i * SZ_4K,
						page_to_phys(page), SZ_4K,
						IOMMU_READ, GFP_KERNEL), 0);
		__free_page(page);
	}
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 12);
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_printed, 3,
			    "12 leaks in a row, 3 printed");
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, 12 * SZ_4K),
			12 * SZ_4K);
	iommu_domain_free(domain);
}

/*
 * The static key flips between begin and end: end does what begin decided.
 * The state holds what an earlier unmap left on the stack.
 */
static void test_unmap_key_flips(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	struct iommu_debug_unmap state = {
		.active = true,
		.found = true,
		.iova = TEST_IOVA,
		.first = TEST_IOVA,
		.last = TEST_IOVA + SZ_4K - 1,
	};

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);

	KUNIT_ASSERT_EQ(test, iommu_debug_pagealloc_set_enabled(false), 1);
	iommu_debug_unmap_begin(domain, TEST_IOVA, SZ_4K, &state);
	iommu_debug_pagealloc_set_enabled(true);
	iommu_debug_unmap_end(domain, &state, 0);
	KUNIT_EXPECT_EQ_MSG(test, count_of(page), ctx->unit,
			    "off at begin: end leaves the count alone");

	iommu_debug_unmap_begin(domain, TEST_IOVA, SZ_4K, &state);
	iommu_debug_pagealloc_set_enabled(false);
	iommu_debug_unmap_end(domain, &state, 0);
	iommu_debug_pagealloc_set_enabled(true);
	KUNIT_EXPECT_EQ_MSG(test, count_of(page), ctx->unit,
			    "on at begin: end counts again what stayed mapped");

	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(page), 0);
	__free_page(page);
	iommu_domain_free(domain);
}

/* Mapped while it was free: reported when handed out again */
static void test_mapped_while_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	struct page *again;
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	__free_page(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, PFN_PHYS(pfn),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	again = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, again);
	if (page_to_pfn(again) != pfn) {
		iommu_unmap(domain, TEST_IOVA, SZ_4K);
		__free_page(again);
		iommu_domain_free(domain);
		kunit_skip(test, "the allocator handed out another page");
	}
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_reports, 1,
			    "a mapped page handed out again is reported");
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	__free_page(again);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	iommu_domain_free(domain);
}

/* A count that would wrap to zero stays at its largest value instead */
static void test_count_saturates(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	/* One 512-byte unit short of the largest count */
	KUNIT_ASSERT_EQ(test, iommu_debug_page_set_bytes(page, (u64)(U32_MAX - 1) << 9),
			0);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_overflows, 1,
			    "the map that saturates the count warns");
	KUNIT_EXPECT_PTR_EQ(test, ctx->last_warning.domain, domain);
	KUNIT_EXPECT_EQ(test, ctx->last_warning.iova, TEST_IOVA);
	KUNIT_EXPECT_EQ(test, ctx->last_warning.pfn, pfn);
	/* Saturated, the count no longer moves */
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(page), (u64)U32_MAX << 9);
	__free_page(page);
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_reports, 1,
			    "a page mapped 2^32 times over is still mapped");
	iommu_debug_page_set_bytes(pfn_to_page(pfn), 0);
	ctx->nr_overflows = 0;
	iommu_domain_free(domain);
}

/* An unmap of what was never counted does not eat another domain's count */
static void test_underflow_keeps_count(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *a = mock_domain_alloc(test);
	struct iommu_domain *b = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(a, TEST_IOVA, page_to_phys(page), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_debug_pagealloc_set_enabled(false), 1);
	KUNIT_ASSERT_EQ(test, iommu_map(b, TEST_IOVA2, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	iommu_debug_pagealloc_set_enabled(true);
	KUNIT_EXPECT_EQ(test, iommu_unmap(b, TEST_IOVA2, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ_MSG(test, count_of(page), ctx->unit,
			    "domain a's count survives domain b's bad unmap");
	KUNIT_EXPECT_EQ(test, ctx->nr_underflows, 1);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last_warning.domain, b);
	KUNIT_EXPECT_EQ(test, ctx->last_warning.iova, TEST_IOVA2);
	KUNIT_EXPECT_EQ(test, ctx->last_warning.pfn, page_to_pfn(page));
	KUNIT_EXPECT_EQ(test, iommu_unmap(b, TEST_IOVA2, SZ_4K), 0);
	/* Every bad unmap warns, not only the first */
	KUNIT_ASSERT_EQ(test, iommu_debug_pagealloc_set_enabled(false), 1);
	KUNIT_ASSERT_EQ(test, iommu_map(b, TEST_IOVA2, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	iommu_debug_pagealloc_set_enabled(true);
	KUNIT_EXPECT_EQ(test, iommu_unmap(b, TEST_IOVA2, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, ctx->nr_underflows, 2);
	KUNIT_EXPECT_EQ(test, count_of(page), ctx->unit);
	ctx->nr_underflows = 0;
	KUNIT_EXPECT_EQ(test, iommu_unmap(a, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(page), 0);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	iommu_domain_free(a);
	iommu_domain_free(b);
}

/*
 * What a person reads: the domain by its debugfs name, its devices, the
 * IOVA, how much of the page is still mapped, in bytes.
 */
static void test_report_names_domain(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = mock_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	size_t granule = BIT(ctx->shift);
	struct device *dev;
	char want[96];

	KUNIT_ASSERT_NOT_NULL(test, page);
	dev = kunit_device_register(test, "iommu-debug-dev");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	iommu_debug_attach_device(dev, domain);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2, page_to_phys(page),
					granule, IOMMU_READ, GFP_KERNEL), 0);
	__free_page(page);
	KUNIT_ASSERT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ(test, ctx->last.bytes, granule);
	if (ctx->walkable) {
		KUNIT_EXPECT_EQ(test, ctx->last.domain_id, 100);
		KUNIT_EXPECT_NOT_NULL(test, strstr(ctx->text, "mapped by domain_100 at"));
	} else {
		KUNIT_EXPECT_EQ(test, ctx->last.domain_id, -1);
		KUNIT_EXPECT_NOT_NULL(test, strstr(ctx->text, "(no debugfs directory)"));
	}
	snprintf(want, sizeof(want), "IOVA %#lx, devices: %s\n", TEST_IOVA2,
		 dev_name(dev));
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(ctx->text, want), "%s", ctx->text);
	snprintf(want, sizeof(want), ": %zu bytes still mapped (1 of 1 pages",
		 granule);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(ctx->text, want), "%s", ctx->text);

	/* Detached, the device is no longer named */
	iommu_debug_attach_device(dev, NULL);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	__free_page(page);
	KUNIT_ASSERT_EQ(test, ctx->nr_reports, 2);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(ctx->text, "devices: none attached"),
				  "%s", ctx->text);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA2, granule), granule);
	iommu_domain_free(domain);
}

#ifdef CONFIG_MEMORY_HOTPLUG
/*
 * A subsection of a section that holds online memory, where the section has
 * page_ext (and a memmap, so pfn_valid() takes it) but the subsection has no
 * online memory: the hole at the end of RAM when RAM ends short of a section
 * boundary. The x86_64 and arm64 KUnit runs give QEMU 2 MiB less than a whole
 * number of sections to leave one there.
 */
static bool find_hole(unsigned long *hole)
{
	unsigned long pfn, end;
	int nid;

	for_each_online_node(nid) {
		end = ALIGN(node_end_pfn(nid), PAGES_PER_SECTION);
		for (pfn = ALIGN(node_start_pfn(nid), PAGES_PER_SUBSECTION);
		     pfn < end; pfn += PAGES_PER_SUBSECTION) {
			if (!pfn_valid(pfn) || pfn_to_online_page(pfn) ||
			    count_of(pfn_to_page(pfn)) < 0)
				continue;
			*hole = pfn;
			return true;
		}
	}
	return false;
}

/* Map @pfn once and expect no count: it is not online memory */
static void expect_not_counted(struct kunit *test, unsigned long pfn)
{
	struct iommu_domain *domain = mock_domain_alloc(test);

	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, PFN_PHYS(pfn), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ_MSG(test, count_of(pfn_to_page(pfn)), 0,
			    "pfn %#lx is not online memory: not counted", pfn);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(domain);
}

/* pfn_valid() but not online: the page_ext of its section is not its own */
static void test_memory_hole_not_counted(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	unsigned long pfn;

	if (!ctx->walkable || ctx->shift != 12)
		kunit_skip(test, "one domain kind is enough");
	if (!find_hole(&pfn))
		kunit_skip(test,
			   "no hole in a section with page_ext: give the machine RAM that ends 2 MiB short of a section");
	expect_not_counted(test, pfn);
}
#else
static void test_memory_hole_not_counted(struct kunit *test)
{
	kunit_skip(test,
		   "needs CONFIG_MEMORY_HOTPLUG: without it pfn_to_online_page() is pfn_valid()");
}
#endif

#ifdef CONFIG_ZONE_DEVICE
/*
 * ZONE_DEVICE memory put in the hole of a section that holds online RAM: it
 * has its memmap and the section's page_ext, and is online memory's
 * neighbour, but never goes through the page allocator. Only the
 * pfn_to_online_page() lookup, which asks for the device's pagemap in such a
 * section, tells it apart.
 */
static void test_zone_device_not_counted(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct dev_pagemap *pgmap;
	unsigned long pfn;
	void *addr;

	if (!ctx->walkable || ctx->shift != 12)
		kunit_skip(test, "one domain kind is enough");
	if (!find_hole(&pfn))
		kunit_skip(test,
			   "no hole in a section with page_ext: give the machine RAM that ends 2 MiB short of a section");
	pgmap = kunit_kzalloc(test, sizeof(*pgmap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pgmap);
	pgmap->type = MEMORY_DEVICE_GENERIC;
	pgmap->range.start = PFN_PHYS(pfn);
	pgmap->range.end = PFN_PHYS(pfn + PAGES_PER_SUBSECTION) - 1;
	pgmap->nr_range = 1;
	addr = memremap_pages(pgmap, NUMA_NO_NODE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(addr), "memremap_pages: %ld",
			       PTR_ERR(addr));
	/* What the test is about: a valid pfn whose section has page_ext */
	KUNIT_EXPECT_TRUE(test, pfn_valid(pfn));
	KUNIT_EXPECT_TRUE(test, is_zone_device_page(pfn_to_page(pfn)));
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	expect_not_counted(test, pfn);
	memunmap_pages(pgmap);
}
#else
static void test_zone_device_not_counted(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_ZONE_DEVICE");
}
#endif

#if IS_ENABLED(CONFIG_HUGETLB_PAGE)
/*
 * A huge page going back to the pool never reaches the page allocator's
 * free path: it is checked where the pool takes it back. Needs a page in
 * the pool: boot with hugepages=1 or more.
 */
static void test_hugetlb_pool_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain;
	struct folio *folio;
	unsigned long pfn;

	if (!ctx->walkable || ctx->shift != 12)
		kunit_skip(test, "one domain kind is enough");
	if (!hugepages_supported() || !default_hstate.max_huge_pages)
		kunit_skip(test, "no huge page pool: boot with hugepages=1");
	folio = alloc_hugetlb_folio_nodemask(&default_hstate, NUMA_NO_NODE,
					     NULL, GFP_KERNEL, false);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	if (folio_test_hugetlb_temporary(folio)) {
		folio_put(folio);
		kunit_skip(test, "the pool had no free huge page");
	}
	pfn = folio_pfn(folio);
	domain = mock_domain_alloc(test);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2, PFN_PHYS(pfn),
					SZ_64K, IOMMU_READ, GFP_KERNEL), 0);
	folio_put(folio);
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_reports, 1,
			    "a mapped huge page given back to the pool is reported");
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_EQ(test, ctx->last.nr_mapped, 16);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA2, SZ_64K), SZ_64K);
	iommu_domain_free(domain);
}
#else
static void test_hugetlb_pool_free(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_HUGETLB_PAGE");
}
#endif

static const struct mock_param mock_params[] = {
	{ .walkable = false, .shift = 12, .name = "iova_to_phys" },
	{ .walkable = true, .shift = 12, .name = "walk" },
	{ .walkable = false, .shift = 11, .name = "iova_to_phys_2k" },
	{ .walkable = true, .shift = 11, .name = "walk_2k" },
};

static void mock_param_desc(const struct mock_param *param, char *desc)
{
	strscpy(desc, param->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mock, mock_params, mock_param_desc);

/* Every report printed, unless a case sets its own limit */
static int test_ctx_init(struct kunit *test, bool walkable, unsigned int shift)
{
	struct test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->walkable = walkable;
	ctx->shift = shift;
	ctx->unit = PAGE_SIZE;
	ctx->next_id = 100;
	ctx->was_enabled = iommu_debug_pagealloc_set_enabled(true);
	test->priv = ctx;
	if (ctx->was_enabled < 0)
		kunit_skip(test, "page_ext has no room for the counts");
	iommu_debug_set_ratelimit(0, 0);
	iommu_debug_set_report_hook(record_report, ctx);
	return 0;
}

static int iommu_debug_test_init(struct kunit *test)
{
	const struct mock_param *param = test->param_value;

	return test_ctx_init(test, param->walkable, param->shift);
}

static void iommu_debug_test_exit(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;

	iommu_debug_set_report_hook(NULL, NULL);
	iommu_debug_set_ratelimit(DEFAULT_RATELIMIT_INTERVAL,
				  DEFAULT_RATELIMIT_BURST);
	if (ctx->was_enabled >= 0)
		iommu_debug_pagealloc_set_enabled(ctx->was_enabled);
	/* A case that expects a warning counts it and clears it */
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_underflows, 0,
			    "unmaps that took back more than was mapped");
	KUNIT_EXPECT_EQ_MSG(test, ctx->nr_overflows, 0, "saturated counts");
}

static struct kunit_case iommu_debug_test_cases[] = {
	KUNIT_CASE_PARAM(test_map_then_free, mock_gen_params),
	KUNIT_CASE_PARAM(test_unmap_then_free, mock_gen_params),
	KUNIT_CASE_PARAM(test_partial_unmap, mock_gen_params),
	KUNIT_CASE_PARAM(test_large_page, mock_gen_params),
	KUNIT_CASE_PARAM(test_large_page_free, mock_gen_params),
	KUNIT_CASE_PARAM(test_failing_map, mock_gen_params),
	KUNIT_CASE_PARAM(test_two_domains, mock_gen_params),
	KUNIT_CASE_PARAM(test_report_searches_tables, mock_gen_params),
	KUNIT_CASE_PARAM(test_switched_off, mock_gen_params),
	KUNIT_CASE_PARAM(test_domain_free, mock_gen_params),
	KUNIT_CASE_PARAM(test_sub_page_granule, mock_gen_params),
	KUNIT_CASE_PARAM(test_report_forgets, mock_gen_params),
	KUNIT_CASE_PARAM(test_reports_ratelimited, mock_gen_params),
	KUNIT_CASE_PARAM(test_unmap_key_flips, mock_gen_params),
	KUNIT_CASE_PARAM(test_mapped_while_free, mock_gen_params),
	KUNIT_CASE_PARAM(test_count_saturates, mock_gen_params),
	KUNIT_CASE_PARAM(test_underflow_keeps_count, mock_gen_params),
	KUNIT_CASE_PARAM(test_report_names_domain, mock_gen_params),
	KUNIT_CASE_PARAM(test_hugetlb_pool_free, mock_gen_params),
	KUNIT_CASE_PARAM(test_memory_hole_not_counted, mock_gen_params),
	KUNIT_CASE_PARAM(test_zone_device_not_counted, mock_gen_params),
	{}
};

static struct kunit_suite iommu_debug_test_suite = {
	.name = "iommu_debug_pagealloc",
	.init = iommu_debug_test_init,
	.exit = iommu_debug_test_exit,
	.test_cases = iommu_debug_test_cases,
};

kunit_test_suite(iommu_debug_test_suite);

#if IS_REACHABLE(CONFIG_IOMMU_PT_AMDV1)
/* ------------------------------------------------------- generic page table */

struct genpt_domain {
	union {
		struct iommu_domain domain;
		struct pt_iommu iommu;
		struct pt_iommu_amdv1 amdv1;
		struct pt_iommu_mock mock;
	};
};

struct genpt_param {
	const char *name;
	unsigned int shift;
	/* A leaf larger than a page the format maps as one entry */
	size_t large;
};

static void genpt_iotlb_sync(struct iommu_domain *domain,
			     struct iommu_iotlb_gather *gather)
{
	iommu_put_pages_list(&gather->freelist);
}

static void genpt_domain_free(struct iommu_domain *domain)
{
	struct genpt_domain *gd = container_of(domain, struct genpt_domain,
					       domain);

	pt_iommu_deinit(&gd->iommu);
	kfree(gd);
}

static const struct iommu_domain_ops genpt_amdv1_ops = {
	IOMMU_PT_DOMAIN_OPS(amdv1),
	.iotlb_sync = genpt_iotlb_sync,
	.free = genpt_domain_free,
};

static const struct iommu_domain_ops genpt_mock_ops = {
	IOMMU_PT_DOMAIN_OPS(mock),
	.iotlb_sync = genpt_iotlb_sync,
	.free = genpt_domain_free,
};

static const struct genpt_param genpt_params[] = {
	/* A 64 KiB leaf is one "sized" entry of 16 items */
	{ .name = "amdv1", .shift = 12, .large = SZ_64K },
	/* The mock has no sized entries: its next leaf is 512 granules */
	{ .name = "mock_2k", .shift = 11, .large = SZ_1M },
};

static void genpt_param_desc(const struct genpt_param *param, char *desc)
{
	strscpy(desc, param->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(genpt, genpt_params, genpt_param_desc);

/* Init is what hands the sanitizer the walk, so it runs switched on */
static struct iommu_domain *genpt_domain_alloc(struct kunit *test)
{
	const struct genpt_param *param = test->param_value;
	struct genpt_domain *gd;
	int ret;

	gd = kzalloc(sizeof(*gd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, gd);
	gd->iommu.nid = NUMA_NO_NODE;
	if (param->shift == 12) {
		struct pt_iommu_amdv1_cfg cfg = {
			.common.hw_max_vasz_lg2 = 64,
			.common.hw_max_oasz_lg2 = 52,
			.starting_level = 2,
		};

		ret = pt_iommu_amdv1_init(&gd->amdv1, &cfg, GFP_KERNEL);
		gd->domain.ops = &genpt_amdv1_ops;
	} else {
		struct pt_iommu_mock_cfg cfg = {
			.common.hw_max_vasz_lg2 = 38,
			.common.hw_max_oasz_lg2 = 51,
			.starting_level = 2,
		};

		ret = pt_iommu_mock_init(&gd->mock, &cfg, GFP_KERNEL);
		gd->domain.ops = &genpt_mock_ops;
	}
	if (ret)
		kfree(gd);
	KUNIT_ASSERT_EQ(test, ret, 0);
	gd->domain.type = IOMMU_DOMAIN_UNMANAGED;
	return &gd->domain;
}

static void genpt_map_then_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ | IOMMU_WRITE,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), ctx->unit);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_EQ(test, ctx->last.bytes, ctx->unit);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, domain);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA);

	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(domain);
}

static void genpt_unmap_then_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_16K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_16K), SZ_16K);
	for (i = 0; i != 4; i++)
		KUNIT_EXPECT_EQ(test, count_of(page + i), 0);
	__free_pages(page, 2);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	iommu_domain_free(domain);
}

/* Pages mapped one by one, the middle two unmapped in one call */
static void genpt_partial_unmap(struct kunit *test)
{
	static const int ends[] = { 1, 0, 0, 1 };
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned long pfn;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	for (i = 0; i != 4; i++)
		KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA + i * SZ_4K,
						page_to_phys(page + i), SZ_4K,
						IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA + SZ_4K, SZ_8K),
			SZ_8K);
	expect_counts(test, page, ends, ARRAY_SIZE(ends));
	__free_pages(page, 2);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_EQ(test, ctx->last.nr_mapped, 2);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, domain);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA + 3 * SZ_4K,
					  SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn + 3)), 0);
	iommu_domain_free(domain);
}

/*
 * The generic page table never splits a leaf: an unmap that cuts one removes
 * it whole, as 6.12's AMD and Intel drivers do, and returns the bytes from
 * the IOVA to the leaf's end. Every page of the leaf is then uncounted,
 * those before the IOVA too, and nothing is left to unmap.
 */
static void genpt_large_leaf(struct kunit *test)
{
	const struct genpt_param *param = test->param_value;
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	unsigned int order = ilog2(param->large) - PAGE_SHIFT;
	unsigned int i, nr = 1U << order;
	struct page *page = alloc_pages(GFP_KERNEL, order);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2, page_to_phys(page),
					param->large, IOMMU_READ, GFP_KERNEL),
			0);
	for (i = 0; i != nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, count_of(page + i), ctx->unit,
				    "page %u", i);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA2 + SZ_4K, SZ_4K),
			param->large - SZ_4K);
	for (i = 0; i != nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, count_of(page + i), 0,
				    "page %u after a cut", i);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, TEST_IOVA2), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA2, param->large),
			0);
	__free_pages(page, order);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	iommu_domain_free(domain);
}

/* A map that fails on a page already mapped leaves every count alone */
static void genpt_failing_map(struct kunit *test)
{
	static const int before[] = { 0, 0, 1, 0 };
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA + SZ_8K,
					page_to_phys(page + 2), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_16K, IOMMU_READ, GFP_KERNEL),
			-EADDRINUSE);
	expect_counts(test, page, before, ARRAY_SIZE(before));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, TEST_IOVA), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA + SZ_8K, SZ_4K),
			SZ_4K);
	__free_pages(page, 2);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	iommu_domain_free(domain);
}

/* With the latest map gone, only the table walk finds the other domain */
static void genpt_report_searches_tables(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *a = genpt_domain_alloc(test);
	struct iommu_domain *b = genpt_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(a, TEST_IOVA, page_to_phys(page), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(b, TEST_IOVA2, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), 2 * ctx->unit);
	KUNIT_EXPECT_EQ(test, iommu_unmap(b, TEST_IOVA2, SZ_4K), SZ_4K);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, a);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA);
	KUNIT_EXPECT_EQ(test, iommu_unmap(a, TEST_IOVA, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, count_of(pfn_to_page(pfn)), 0);
	iommu_domain_free(a);
	iommu_domain_free(b);
}

/* Freed with mappings left, the domain's walk uncounts them */
static void genpt_domain_free_mapped(struct kunit *test)
{
	const struct genpt_param *param = test->param_value;
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	unsigned int order = ilog2(param->large) - PAGE_SHIFT;
	struct page *page = alloc_pages(GFP_KERNEL, order);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2, page_to_phys(page),
					param->large, IOMMU_READ, GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), 2 * ctx->unit);
	iommu_domain_free(domain);
	for (i = 0; i != 1U << order; i++)
		KUNIT_EXPECT_EQ_MSG(test, count_of(page + i), 0, "page %u", i);
	KUNIT_EXPECT_EQ(test, ctx->nr_domains_freed, 1);
	KUNIT_EXPECT_EQ(test, ctx->last_domain_freed.bytes, param->large + SZ_4K);
	__free_pages(page, order);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
}

/* A report names a generic page table domain by its debugfs directory */
static void genpt_report_names_domain(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	struct dentry *root, *dir;
	char name[32];

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	__free_page(page);
	KUNIT_ASSERT_EQ(test, ctx->nr_reports, 1);
	if (!IS_ENABLED(CONFIG_IOMMU_PT_DEBUGFS)) {
		KUNIT_EXPECT_EQ(test, ctx->last.domain_id, -1);
		goto out;
	}
	KUNIT_ASSERT_GE(test, ctx->last.domain_id, 0);
	snprintf(name, sizeof(name), "domain_%d", ctx->last.domain_id);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(ctx->text, name), "%s", ctx->text);
	root = debugfs_lookup("iommu", NULL);
	dir = root ? debugfs_lookup(name, root) : NULL;
	KUNIT_EXPECT_NOT_NULL_MSG(test, dir, "no debugfs directory iommu/%s", name);
	dput(dir);
	dput(root);
out:
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	iommu_domain_free(domain);
}

/*
 * A table of many leaves: no walk of the sanitizer (one RCU read section, or
 * one hold of its lock) reads more than a few of them, whether it unmaps,
 * searches for a leaked page or uncounts a freed domain.
 */
#define GENPT_LARGE_LEAVES	4096
#define GENPT_SECTION_MAX	64

static void genpt_large_table_sections(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *a = genpt_domain_alloc(test);
	struct iommu_domain *b = genpt_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	struct page *leak = alloc_page(GFP_KERNEL);
	unsigned long end = TEST_IOVA + GENPT_LARGE_LEAVES * SZ_4K;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, leak);
	for (i = 0; i != GENPT_LARGE_LEAVES; i++)
		KUNIT_ASSERT_EQ(test, iommu_map(a, TEST_IOVA + i * SZ_4K,
						page_to_phys(page), SZ_4K,
						IOMMU_READ, GFP_KERNEL), 0);

	/* The latest map of the leak is gone: the report must search */
	KUNIT_ASSERT_EQ(test, iommu_map(a, end, page_to_phys(leak), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(b, TEST_IOVA, page_to_phys(leak), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_unmap(b, TEST_IOVA, SZ_4K), SZ_4K);
	iommu_debug_max_section(true);
	__free_page(leak);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, a);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, end);
	KUNIT_EXPECT_LE_MSG(test, iommu_debug_max_section(true),
			    GENPT_SECTION_MAX, "leaves read in one section of the search");

	KUNIT_EXPECT_EQ(test, iommu_unmap(a, TEST_IOVA, end - TEST_IOVA),
			end - TEST_IOVA);
	KUNIT_EXPECT_LE_MSG(test, iommu_debug_max_section(true),
			    GENPT_SECTION_MAX, "leaves read in one section of an unmap");
	KUNIT_EXPECT_EQ(test, count_of(page), 0);

	for (i = 0; i != GENPT_LARGE_LEAVES; i++)
		KUNIT_ASSERT_EQ(test, iommu_map(a, TEST_IOVA + i * SZ_4K,
						page_to_phys(page), SZ_4K,
						IOMMU_READ, GFP_KERNEL), 0);
	iommu_debug_max_section(true);
	iommu_domain_free(a);
	KUNIT_EXPECT_LE_MSG(test, iommu_debug_max_section(true),
			    GENPT_SECTION_MAX, "leaves read in one section of a domain free");
	KUNIT_EXPECT_EQ(test, count_of(page), 0);
	__free_page(page);
	iommu_domain_free(b);
}

static void genpt_switched_off(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_debug_pagealloc_set_enabled(false), 1);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA, page_to_phys(page),
					SZ_4K, IOMMU_READ, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, count_of(page), 0);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA, SZ_4K), SZ_4K);
	iommu_debug_pagealloc_set_enabled(true);
	iommu_domain_free(domain);
	KUNIT_EXPECT_EQ(test, ctx->nr_domains_freed, 0);
}

static int genpt_test_init(struct kunit *test)
{
	const struct genpt_param *param = test->param_value;

	return test_ctx_init(test, true, param->shift);
}

static struct kunit_case iommu_debug_genpt_cases[] = {
	KUNIT_CASE_PARAM(genpt_map_then_free, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_unmap_then_free, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_partial_unmap, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_large_leaf, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_failing_map, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_report_searches_tables, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_domain_free_mapped, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_switched_off, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_large_table_sections, genpt_gen_params),
	KUNIT_CASE_PARAM(genpt_report_names_domain, genpt_gen_params),
	{}
};

static struct kunit_suite iommu_debug_genpt_suite = {
	.name = "iommu_debug_pagealloc_genpt",
	.init = genpt_test_init,
	.exit = iommu_debug_test_exit,
	.test_cases = iommu_debug_genpt_cases,
};

kunit_test_suite(iommu_debug_genpt_suite);

/*
 * One deliberate leak through the iommufd mock format, exactly one report:
 * what "iommupt vm --leak" runs at boot to show the sanitizer in a guest.
 */
static void genpt_leak_one_page(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct iommu_domain *domain = genpt_domain_alloc(test);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, iommu_map(domain, TEST_IOVA2, page_to_phys(page),
					SZ_4K, IOMMU_READ | IOMMU_WRITE,
					GFP_KERNEL), 0);
	/* The bug: the page goes back while the domain still maps it */
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ctx->nr_reports, 1);
	KUNIT_EXPECT_EQ(test, ctx->last.pfn, pfn);
	KUNIT_EXPECT_PTR_EQ(test, ctx->last.domain, domain);
	KUNIT_EXPECT_EQ(test, ctx->last.iova, TEST_IOVA2);
	KUNIT_EXPECT_EQ(test, iommu_unmap(domain, TEST_IOVA2, SZ_4K), SZ_4K);
	iommu_domain_free(domain);
}

static const struct genpt_param genpt_leak_param = {
	.name = "mock_2k", .shift = 11, .large = SZ_1M,
};

static int genpt_leak_init(struct kunit *test)
{
	test->param_value = &genpt_leak_param;
	return genpt_test_init(test);
}

static struct kunit_case iommu_debug_leak_cases[] = {
	KUNIT_CASE(genpt_leak_one_page),
	{}
};

static struct kunit_suite iommu_debug_leak_suite = {
	.name = "iommu_debug_pagealloc_leak",
	.init = genpt_leak_init,
	.exit = iommu_debug_test_exit,
	.test_cases = iommu_debug_leak_cases,
};

kunit_test_suite(iommu_debug_leak_suite);
MODULE_IMPORT_NS(GENERIC_PT_IOMMU);
#endif

MODULE_DESCRIPTION("KUnit tests of IOMMU_DEBUG_PAGEALLOC");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
