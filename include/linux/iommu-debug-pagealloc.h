/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IOMMU_DEBUG_PAGEALLOC: catch pages that go back to the page allocator, or
 * are handed out again, while an IOMMU mapping still lets a device reach them.
 *
 * The calls below are placed by the IOMMU core and the page allocator. With
 * the option compiled out they are empty; compiled in but not switched on
 * with iommu.debug_pagealloc=1 each is one static branch.
 */
#ifndef __LINUX_IOMMU_DEBUG_PAGEALLOC_H
#define __LINUX_IOMMU_DEBUG_PAGEALLOC_H

#include <linux/types.h>

struct device;
struct iommu_domain;
struct page;

/**
 * typedef iommu_debug_leaf_fn - receives one leaf of a domain's page table
 * @arg: the argument given to the walk
 * @iova: the first IOVA the leaf translates
 * @phys: the physical address @iova translates to
 * @size: the size of the leaf in bytes
 *
 * Return: true to stop the walk.
 */
typedef bool (*iommu_debug_leaf_fn)(void *arg, unsigned long iova,
				    phys_addr_t phys, size_t size);

/**
 * struct iommu_debug_domain_ops - how the sanitizer reads a domain's table
 * @walk: call @fn, in IOVA order, once for every leaf that translates any
 *        part of [@iova, @last], giving the whole leaf even where it starts
 *        before @iova or ends after @last, until @fn returns true. It must
 *        not sleep or allocate: it may run from unmap and from the page
 *        allocator with interrupts off. It may run concurrently with map and
 *        unmap of other IOVA ranges of the domain. The sanitizer stops every
 *        walk after a few leaves and starts a new one where it stopped, so
 *        a walk may hold rcu_read_lock() throughout.
 *
 * A domain that does not give these operations is read one granule at a
 * time with its iova_to_phys() operation, which is slower and cannot be
 * searched for a physical address.
 */
struct iommu_debug_domain_ops {
	void (*walk)(struct iommu_domain *domain, unsigned long iova,
		     unsigned long last, iommu_debug_leaf_fn fn, void *arg);
};

/**
 * enum iommu_debug_event - what the sanitizer reports
 * @IOMMU_DEBUG_FREED_MAPPED: a block freed, or given back to the hugetlb
 *     pool, while a page of it is mapped
 * @IOMMU_DEBUG_ALLOCATED_MAPPED: a block handed out while a page of it is
 *     mapped: it was mapped while it was free
 * @IOMMU_DEBUG_UNDERFLOW: an unmap takes back more of a page than is
 *     counted; the count is left as it was
 * @IOMMU_DEBUG_OVERFLOW: a count reached its largest value and stays there
 * @IOMMU_DEBUG_DOMAIN_FREED: a domain freed with mappings still counted
 */
enum iommu_debug_event {
	IOMMU_DEBUG_FREED_MAPPED,
	IOMMU_DEBUG_ALLOCATED_MAPPED,
	IOMMU_DEBUG_UNDERFLOW,
	IOMMU_DEBUG_OVERFLOW,
	IOMMU_DEBUG_DOMAIN_FREED,
};

/**
 * struct iommu_debug_report - one thing the sanitizer reported, for tests
 * @event: what happened
 * @pfn: the first page of the block that is mapped, or the page whose
 *       count went wrong
 * @bytes: how many bytes of @pfn IOMMU mappings still reach, summed over
 *         the mappings; for %IOMMU_DEBUG_DOMAIN_FREED, what the domain still
 *         had counted
 * @nr_mapped: how many pages of the block are mapped
 * @domain: a live domain that still maps @pfn, or the domain that went
 *          wrong; NULL if none was found
 * @domain_id: the id of @domain's debugfs directory domain_<id>, or -1
 * @iova: the IOVA at which @domain maps @pfn
 * @printed: false if the report was rate-limited away
 * @text: the lines that were printed, without the stack and page dumps
 */
struct iommu_debug_report {
	enum iommu_debug_event event;
	unsigned long pfn;
	u64 bytes;
	unsigned long nr_mapped;
	struct iommu_domain *domain;
	int domain_id;
	unsigned long iova;
	bool printed;
	const char *text;
};

#ifdef CONFIG_IOMMU_DEBUG_PAGEALLOC
#include <linux/jump_label.h>

/**
 * struct iommu_debug_unmap - what iommu_debug_unmap_begin() uncounted
 * @active: the sanitizer was on at iommu_debug_unmap_begin(); decides for
 *          iommu_debug_unmap_end() too, whatever the static key does between
 * @found: false if nothing in the range was mapped
 * @iova: the IOVA the unmap was asked to start at
 * @first: the first IOVA of the first leaf found
 * @last: the last IOVA of the last leaf found
 * @end_phys: the physical address just after the last leaf found
 *
 * The IOMMU core keeps it on its stack between the two calls, initialised.
 */
struct iommu_debug_unmap {
	bool active;
	bool found;
	unsigned long iova;
	unsigned long first;
	unsigned long last;
	phys_addr_t end_phys;
};

extern struct static_key_false iommu_debug_pagealloc_enabled;
extern struct page_ext_operations iommu_debug_pagealloc_ops;

void __iommu_debug_map(struct iommu_domain *domain, unsigned long iova,
		       phys_addr_t paddr, size_t size);
void __iommu_debug_unmap_begin(struct iommu_domain *domain,
			       unsigned long iova, size_t size,
			       struct iommu_debug_unmap *state);
void __iommu_debug_unmap_end(struct iommu_domain *domain,
			     struct iommu_debug_unmap *state, size_t unmapped);
void __iommu_debug_domain_free(struct iommu_domain *domain);
void __iommu_debug_attach_device(struct device *dev,
				 struct iommu_domain *domain);
void __iommu_debug_check_free(struct page *page, unsigned int order);
void __iommu_debug_check_alloc(struct page *page, unsigned int order);

int iommu_debug_domain_set_ops(struct iommu_domain *domain,
			       const struct iommu_debug_domain_ops *ops,
			       int id);

static inline void iommu_debug_map(struct iommu_domain *domain,
				   unsigned long iova, phys_addr_t paddr,
				   size_t size)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_map(domain, iova, paddr, size);
}

static inline void iommu_debug_unmap_begin(struct iommu_domain *domain,
					   unsigned long iova, size_t size,
					   struct iommu_debug_unmap *state)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_unmap_begin(domain, iova, size, state);
	else
		state->active = false;
}

/* Runs if and only if iommu_debug_unmap_begin() did */
static inline void iommu_debug_unmap_end(struct iommu_domain *domain,
					 struct iommu_debug_unmap *state,
					 size_t unmapped)
{
	if (unlikely(state->active))
		__iommu_debug_unmap_end(domain, state, unmapped);
}

static inline void iommu_debug_domain_free(struct iommu_domain *domain)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_domain_free(domain);
}

/* @domain is now what @dev translates through; NULL: @dev is going away */
static inline void iommu_debug_attach_device(struct device *dev,
					     struct iommu_domain *domain)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_attach_device(dev, domain);
}

static inline void iommu_debug_check_free(struct page *page,
					  unsigned int order)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_check_free(page, order);
}

static inline void iommu_debug_check_alloc(struct page *page,
					   unsigned int order)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_check_alloc(page, order);
}

#if IS_ENABLED(CONFIG_KUNIT)
typedef void (*iommu_debug_report_fn)(const struct iommu_debug_report *report,
				      void *priv);
void iommu_debug_set_report_hook(iommu_debug_report_fn fn, void *priv);
int iommu_debug_pagealloc_set_enabled(bool enable);
void iommu_debug_set_ratelimit(int interval, int burst);
long long iommu_debug_page_bytes(struct page *page);
int iommu_debug_page_set_bytes(struct page *page, u64 bytes);
unsigned int iommu_debug_max_section(bool reset);
#endif

#else /* !CONFIG_IOMMU_DEBUG_PAGEALLOC */

struct iommu_debug_unmap {
};

static inline void iommu_debug_map(struct iommu_domain *domain,
				   unsigned long iova, phys_addr_t paddr,
				   size_t size)
{
}

static inline void iommu_debug_unmap_begin(struct iommu_domain *domain,
					   unsigned long iova, size_t size,
					   struct iommu_debug_unmap *state)
{
}

static inline void iommu_debug_unmap_end(struct iommu_domain *domain,
					 struct iommu_debug_unmap *state,
					 size_t unmapped)
{
}

static inline void iommu_debug_domain_free(struct iommu_domain *domain)
{
}

static inline void iommu_debug_attach_device(struct device *dev,
					     struct iommu_domain *domain)
{
}

static inline void iommu_debug_check_free(struct page *page,
					  unsigned int order)
{
}

static inline void iommu_debug_check_alloc(struct page *page,
					   unsigned int order)
{
}

static inline int
iommu_debug_domain_set_ops(struct iommu_domain *domain,
			   const struct iommu_debug_domain_ops *ops, int id)
{
	return 0;
}

#endif /* CONFIG_IOMMU_DEBUG_PAGEALLOC */
#endif /* __LINUX_IOMMU_DEBUG_PAGEALLOC_H */
