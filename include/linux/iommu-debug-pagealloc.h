/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IOMMU_DEBUG_PAGEALLOC: catch pages that go back to the page allocator while
 * an IOMMU mapping still lets a device reach them.
 *
 * The calls below are placed by the IOMMU core and the page allocator. With
 * the option compiled out they are empty; compiled in but not switched on
 * with iommu.debug_pagealloc=1 each is one static branch.
 */
#ifndef __LINUX_IOMMU_DEBUG_PAGEALLOC_H
#define __LINUX_IOMMU_DEBUG_PAGEALLOC_H

#include <linux/types.h>

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
 *        before @iova or ends after @last. It must not sleep or allocate:
 *        it runs from unmap and from the page free path with a spinlock held
 *        and interrupts off. It may run concurrently with map and unmap of
 *        other IOVA ranges of the domain.
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
 * struct iommu_debug_report - what the sanitizer found at one page free
 * @pfn: the first freed page whose count is not zero
 * @count: its count: the number of granules of IOMMU mappings that reach it
 * @nr_mapped: how many pages of the freed block have a count that is not zero
 * @domain: a live domain that still maps @pfn, or NULL if none was found
 * @iova: the IOVA at which @domain maps @pfn
 */
struct iommu_debug_report {
	unsigned long pfn;
	int count;
	unsigned long nr_mapped;
	struct iommu_domain *domain;
	unsigned long iova;
};

#ifdef CONFIG_IOMMU_DEBUG_PAGEALLOC
#include <linux/jump_label.h>

/**
 * struct iommu_debug_unmap - what iommu_debug_unmap_begin() uncounted
 * @iova: the IOVA the unmap was asked to start at
 * @first: the first IOVA of the first leaf found
 * @last: the last IOVA of the last leaf found
 * @end_phys: the physical address just after the last leaf found
 * @granule: the domain's smallest page size
 * @found: false if nothing in the range was mapped
 *
 * The IOMMU core keeps it on its stack between the two calls.
 */
struct iommu_debug_unmap {
	unsigned long iova;
	unsigned long first;
	unsigned long last;
	phys_addr_t end_phys;
	size_t granule;
	bool found;
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
void __iommu_debug_check_free(struct page *page, unsigned int order);

int iommu_debug_domain_set_ops(struct iommu_domain *domain,
			       const struct iommu_debug_domain_ops *ops);

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
}

static inline void iommu_debug_unmap_end(struct iommu_domain *domain,
					 struct iommu_debug_unmap *state,
					 size_t unmapped)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_unmap_end(domain, state, unmapped);
}

static inline void iommu_debug_domain_free(struct iommu_domain *domain)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_domain_free(domain);
}

static inline void iommu_debug_check_free(struct page *page,
					  unsigned int order)
{
	if (static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		__iommu_debug_check_free(page, order);
}

#if IS_ENABLED(CONFIG_KUNIT)
typedef void (*iommu_debug_report_fn)(const struct iommu_debug_report *report,
				      void *priv);
void iommu_debug_set_report_hook(iommu_debug_report_fn fn, void *priv);
int iommu_debug_pagealloc_set_enabled(bool enable);
int iommu_debug_page_count(struct page *page);
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

static inline void iommu_debug_check_free(struct page *page,
					  unsigned int order)
{
}

static inline int
iommu_debug_domain_set_ops(struct iommu_domain *domain,
			   const struct iommu_debug_domain_ops *ops)
{
	return 0;
}

#endif /* CONFIG_IOMMU_DEBUG_PAGEALLOC */
#endif /* __LINUX_IOMMU_DEBUG_PAGEALLOC_H */
