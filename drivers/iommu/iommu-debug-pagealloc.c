// SPDX-License-Identifier: GPL-2.0-only
/*
 * IOMMU_DEBUG_PAGEALLOC keeps, in page_ext, how many granules of IOMMU
 * mappings reach each page, and reports a page that is freed to the page
 * allocator while that count is not zero: a device can still DMA to memory
 * that the kernel is about to hand to someone else.
 *
 * Counting is in the unit of the domain's smallest page size (its granule) so
 * that a map and the unmap that undoes it always move a count by the same
 * amount, however the driver chose its leaf sizes.
 */
#define pr_fmt(fmt) "iommu: debug_pagealloc: " fmt

#include <kunit/visibility.h>
#include <linux/hashtable.h>
#include <linux/iommu.h>
#include <linux/iommu-debug-pagealloc.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/page_ext.h>
#include <linux/page_owner.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct iommu_debug_page {
	atomic_t count;
	/* Where the latest map put this page: a cheap first guess for reports */
	unsigned long iova;
};

/*
 * Every domain that has been mapped through while the sanitizer is on, so
 * that a report can name who still maps a page. Lookups from map run under
 * RCU; reports hold the lock so that a domain cannot be freed under them.
 */
struct iommu_debug_domain {
	struct hlist_node node;
	struct iommu_domain *domain;
	const struct iommu_debug_domain_ops *ops;
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(iommu_debug_domains, 6);
static DEFINE_SPINLOCK(iommu_debug_domains_lock);

static bool iommu_debug_pagealloc_param __initdata;
static bool iommu_debug_pagealloc_ready __ro_after_init;

DEFINE_STATIC_KEY_FALSE(iommu_debug_pagealloc_enabled);
EXPORT_SYMBOL_GPL(iommu_debug_pagealloc_enabled);

static int __init early_iommu_debug_pagealloc(char *buf)
{
	return kstrtobool(buf, &iommu_debug_pagealloc_param);
}
early_param("iommu.debug_pagealloc", early_iommu_debug_pagealloc);

static bool __init need_iommu_debug_pagealloc(void)
{
	/* The KUnit test switches the checks on itself and needs the space */
	return iommu_debug_pagealloc_param ||
	       IS_ENABLED(CONFIG_IOMMU_DEBUG_PAGEALLOC_KUNIT_TEST);
}

static void __init init_iommu_debug_pagealloc(void)
{
	iommu_debug_pagealloc_ready = true;
	if (!iommu_debug_pagealloc_param)
		return;
	static_branch_enable(&iommu_debug_pagealloc_enabled);
	pr_info("counting IOMMU mappings of pages\n");
}

struct page_ext_operations iommu_debug_pagealloc_ops = {
	.size = sizeof(struct iommu_debug_page),
	.need = need_iommu_debug_pagealloc,
	.init = init_iommu_debug_pagealloc,
	.need_shared_flags = false,
};

static struct iommu_debug_page *iommu_debug_page(struct page_ext *page_ext)
{
	return page_ext_data(page_ext, &iommu_debug_pagealloc_ops);
}

static size_t domain_granule(struct iommu_domain *domain)
{
	return 1UL << __ffs(domain->pgsize_bitmap);
}

/* Take @nr from @count, stopping at zero: an unmap of what was never counted */
static void iommu_debug_page_put(atomic_t *count, int nr)
{
	int old = atomic_read(count);
	int new;

	do {
		new = old >= nr ? old - nr : 0;
	} while (!atomic_try_cmpxchg(count, &old, new));
	WARN_ONCE(old < nr, "IOMMU mapping count of a page would go below zero\n");
}

static void iommu_debug_page_add(unsigned long pfn, int nr, unsigned long iova)
{
	struct iommu_debug_page *dp;
	struct page_ext *page_ext;

	if (!pfn_valid(pfn))
		return;
	/* Memory without page_ext (MMIO, device memory) is not tracked */
	page_ext = page_ext_get(pfn_to_page(pfn));
	if (!page_ext)
		return;
	dp = iommu_debug_page(page_ext);
	if (nr > 0) {
		atomic_add(nr, &dp->count);
		WRITE_ONCE(dp->iova, iova);
	} else {
		iommu_debug_page_put(&dp->count, -nr);
	}
	page_ext_put(page_ext);
}

/*
 * Count (@sign 1) or uncount (@sign -1) a physically contiguous range mapped
 * at @iova. A page gets one count per granule of it that is mapped, so a
 * granule smaller than a page counts the page several times.
 */
static void iommu_debug_count_range(unsigned long iova, phys_addr_t phys,
				    size_t size, size_t granule, int sign)
{
	size_t unit = min_t(size_t, granule, PAGE_SIZE);
	phys_addr_t end = phys + size;

	while (phys < end) {
		phys_addr_t next = min(PFN_PHYS(PHYS_PFN(phys) + 1), end);
		/* At most a page: no 64-bit division on 32-bit with PAE */
		size_t len = next - phys;

		iommu_debug_page_add(PHYS_PFN(phys), sign * (int)(len / unit),
				     iova);
		iova += next - phys;
		phys = next;
	}
}

static struct iommu_debug_domain *
iommu_debug_find_domain(struct iommu_domain *domain)
{
	struct iommu_debug_domain *dd;

	hash_for_each_possible_rcu(iommu_debug_domains, dd, node,
				   (unsigned long)domain)
		if (dd->domain == domain)
			return dd;
	return NULL;
}

/*
 * Remember @domain. Map may run in atomic context, so allocate atomically; a
 * domain that cannot be remembered is still counted, only reports cannot
 * name it.
 */
static int iommu_debug_track_domain(struct iommu_domain *domain,
				    const struct iommu_debug_domain_ops *ops)
{
	struct iommu_debug_domain *dd, *new;
	unsigned long flags;

	rcu_read_lock();
	dd = iommu_debug_find_domain(domain);
	rcu_read_unlock();
	if (dd && !ops)
		return 0;

	new = kzalloc(sizeof(*new), GFP_ATOMIC | __GFP_NOWARN);
	if (!new)
		return -ENOMEM;
	new->domain = domain;
	new->ops = ops;

	spin_lock_irqsave(&iommu_debug_domains_lock, flags);
	dd = iommu_debug_find_domain(domain);
	if (dd) {
		if (ops)
			WRITE_ONCE(dd->ops, ops);
	} else {
		hash_add_rcu(iommu_debug_domains, &new->node, (unsigned long)domain);
		new = NULL;
	}
	spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
	kfree(new);
	return 0;
}

/**
 * iommu_debug_domain_set_ops() - let the sanitizer walk a domain's table
 * @domain: a paging domain
 * @ops: how to walk its page table
 *
 * A domain that can walk its own table (the generic page table) calls this
 * once it is initialised and before its first map. Unmap then finds the
 * physical ranges from the leaves it walks instead of one iova_to_phys() per
 * granule, and a report can search the domain for a freed page.
 * Nothing is needed at free time: iommu_domain_free() forgets the domain.
 *
 * Context: any; does not sleep.
 * Return: 0, or -ENOMEM if the domain could not be remembered.
 */
int iommu_debug_domain_set_ops(struct iommu_domain *domain,
			       const struct iommu_debug_domain_ops *ops)
{
	if (!static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		return 0;
	return iommu_debug_track_domain(domain, ops);
}
EXPORT_SYMBOL_GPL(iommu_debug_domain_set_ops);

/* Walk with iova_to_phys(), one granule at a time, merging contiguous runs */
static void iommu_debug_walk_slow(struct iommu_domain *domain,
				  unsigned long iova, unsigned long last,
				  iommu_debug_leaf_fn fn, void *arg)
{
	size_t granule = domain_granule(domain);
	unsigned long run_iova = 0;
	phys_addr_t run_phys = 0;
	size_t run_size = 0;

	if (!domain->ops->iova_to_phys)
		return;
	iova = ALIGN_DOWN(iova, granule);
	for (;;) {
		phys_addr_t phys = domain->ops->iova_to_phys(domain, iova);

		if (run_size && phys && phys == run_phys + run_size) {
			run_size += granule;
		} else {
			if (run_size && fn(arg, run_iova, run_phys, run_size))
				return;
			run_size = 0;
			if (phys) {
				run_iova = iova;
				run_phys = phys;
				run_size = granule;
			}
		}
		if (last - iova < granule)
			break;
		iova += granule;
	}
	if (run_size)
		fn(arg, run_iova, run_phys, run_size);
}

static void iommu_debug_walk(struct iommu_domain *domain,
			     const struct iommu_debug_domain_ops *ops,
			     unsigned long iova, unsigned long last,
			     iommu_debug_leaf_fn fn, void *arg)
{
	if (ops && ops->walk)
		ops->walk(domain, iova, last, fn, arg);
	else
		iommu_debug_walk_slow(domain, iova, last, fn, arg);
}

static const struct iommu_debug_domain_ops *
iommu_debug_domain_ops(struct iommu_domain *domain)
{
	const struct iommu_debug_domain_ops *ops = NULL;
	struct iommu_debug_domain *dd;

	rcu_read_lock();
	dd = iommu_debug_find_domain(domain);
	if (dd)
		ops = READ_ONCE(dd->ops);
	rcu_read_unlock();
	return ops;
}

void __iommu_debug_map(struct iommu_domain *domain, unsigned long iova,
		       phys_addr_t paddr, size_t size)
{
	if (!size)
		return;
	iommu_debug_track_domain(domain, NULL);
	iommu_debug_count_range(iova, paddr, size, domain_granule(domain), 1);
}

static bool iommu_debug_uncount_leaf(void *arg, unsigned long iova,
				     phys_addr_t phys, size_t size)
{
	struct iommu_debug_unmap *state = arg;

	iommu_debug_count_range(iova, phys, size, state->granule, -1);
	if (!state->found)
		state->first = iova;
	state->found = true;
	state->last = iova + size - 1;
	state->end_phys = phys + size;
	return false;
}

static bool iommu_debug_recount_leaf(void *arg, unsigned long iova,
				     phys_addr_t phys, size_t size)
{
	struct iommu_debug_unmap *state = arg;

	iommu_debug_count_range(iova, phys, size, state->granule, 1);
	return false;
}

/*
 * Uncount, before the driver unmaps, every leaf that the unmap of [@iova,
 * @iova + @size) can remove: afterwards the physical addresses are gone.
 */
void __iommu_debug_unmap_begin(struct iommu_domain *domain,
			       unsigned long iova, size_t size,
			       struct iommu_debug_unmap *state)
{
	*state = (struct iommu_debug_unmap){
		.iova = iova,
		.granule = domain_granule(domain),
	};
	if (!size)
		return;
	iommu_debug_walk(domain, iommu_debug_domain_ops(domain), iova,
			 iova + size - 1, iommu_debug_uncount_leaf, state);
}

/*
 * Count again what the driver left mapped. A driver may also unmap more than
 * it was asked to, the rest of a larger leaf than the slow walk could see;
 * a leaf is physically contiguous, so uncount that tail from where the last
 * leaf found ended.
 */
void __iommu_debug_unmap_end(struct iommu_domain *domain,
			     struct iommu_debug_unmap *state, size_t unmapped)
{
	unsigned long end;

	if (!state->found)
		return;
	iommu_debug_walk(domain, iommu_debug_domain_ops(domain), state->first,
			 state->last, iommu_debug_recount_leaf, state);
	if (unmapped && state->iova + unmapped - 1 > state->last) {
		end = state->iova + unmapped - 1;
		iommu_debug_count_range(state->last + 1, state->end_phys,
					end - state->last, state->granule, -1);
	}
}

/*
 * A domain freed with mappings left in it no longer reaches those pages:
 * uncount them if its table can be walked, then forget the domain.
 */
void __iommu_debug_domain_free(struct iommu_domain *domain)
{
	struct iommu_debug_unmap state = { .granule = 0 };
	struct iommu_debug_domain *dd;
	unsigned long flags;

	spin_lock_irqsave(&iommu_debug_domains_lock, flags);
	dd = iommu_debug_find_domain(domain);
	if (dd)
		hash_del_rcu(&dd->node);
	spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
	if (!dd)
		return;

	/*
	 * The whole IOVA space, not the aperture: the aperture of a sign
	 * extended table is only its lower half.
	 */
	if (dd->ops && dd->ops->walk && domain->pgsize_bitmap) {
		state.granule = domain_granule(domain);
		dd->ops->walk(domain, 0, ULONG_MAX, iommu_debug_uncount_leaf,
			      &state);
	}
	kfree_rcu(dd, rcu);
}
EXPORT_SYMBOL_GPL(__iommu_debug_domain_free);

struct iommu_debug_search {
	phys_addr_t phys;
	unsigned long iova;
	bool found;
};

static bool iommu_debug_search_leaf(void *arg, unsigned long iova,
				    phys_addr_t phys, size_t size)
{
	struct iommu_debug_search *search = arg;

	if (search->phys < phys || search->phys - phys >= size)
		return false;
	search->iova = iova + (search->phys - phys);
	search->found = true;
	return true;
}

/*
 * Find a live domain that maps @report->pfn: first try where the latest map
 * put it in every domain, then search the domains whose table can be walked.
 */
static void iommu_debug_find_mapping(struct iommu_debug_report *report,
				     unsigned long hint)
{
	struct iommu_debug_search search = { .phys = PFN_PHYS(report->pfn) };
	struct iommu_debug_domain *dd;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&iommu_debug_domains_lock, flags);
	hash_for_each(iommu_debug_domains, bkt, dd, node) {
		struct iommu_domain *domain = dd->domain;

		/* A domain being allocated may not have its ops yet */
		if (domain->ops && domain->ops->iova_to_phys &&
		    PHYS_PFN(domain->ops->iova_to_phys(domain, hint)) == report->pfn) {
			report->domain = domain;
			report->iova = hint;
			goto out;
		}
	}
	hash_for_each(iommu_debug_domains, bkt, dd, node) {
		struct iommu_domain *domain = dd->domain;

		if (!dd->ops || !dd->ops->walk)
			continue;
		dd->ops->walk(domain, 0, ULONG_MAX, iommu_debug_search_leaf,
			      &search);
		if (search.found) {
			report->domain = domain;
			report->iova = search.iova;
			goto out;
		}
	}
out:
	spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
}

#if IS_ENABLED(CONFIG_KUNIT)
static iommu_debug_report_fn iommu_debug_report_hook;
static void *iommu_debug_report_priv;

/**
 * iommu_debug_set_report_hook() - see every report, for tests
 * @fn: called after each report is printed, or NULL to stop
 * @priv: passed to @fn
 */
void iommu_debug_set_report_hook(iommu_debug_report_fn fn, void *priv)
{
	WRITE_ONCE(iommu_debug_report_priv, priv);
	WRITE_ONCE(iommu_debug_report_hook, fn);
}
EXPORT_SYMBOL_IF_KUNIT(iommu_debug_set_report_hook);

/**
 * iommu_debug_pagealloc_set_enabled() - switch the sanitizer on or off, for tests
 * @enable: the new state
 *
 * Counts taken while it was on are kept when it goes off. Only a kernel whose
 * page_ext has room for the counts can switch it on.
 *
 * Context: process context; may sleep.
 * Return: the previous state (0 or 1), or -ENODEV if it cannot be switched on.
 */
int iommu_debug_pagealloc_set_enabled(bool enable)
{
	bool old = static_key_enabled(&iommu_debug_pagealloc_enabled);

	if (enable && !iommu_debug_pagealloc_ready)
		return -ENODEV;
	if (enable)
		static_branch_enable(&iommu_debug_pagealloc_enabled);
	else
		static_branch_disable(&iommu_debug_pagealloc_enabled);
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(iommu_debug_pagealloc_set_enabled);

/**
 * iommu_debug_page_count() - read the count of a page, for tests
 * @page: the page
 *
 * Return: the count, or -ENODEV if the page has no page_ext.
 */
int iommu_debug_page_count(struct page *page)
{
	struct page_ext *page_ext;
	int count;

	if (!iommu_debug_pagealloc_ready)
		return -ENODEV;
	page_ext = page_ext_get(page);
	if (!page_ext)
		return -ENODEV;
	count = atomic_read(&iommu_debug_page(page_ext)->count);
	page_ext_put(page_ext);
	return count;
}
EXPORT_SYMBOL_IF_KUNIT(iommu_debug_page_count);

static void iommu_debug_call_hook(const struct iommu_debug_report *report)
{
	iommu_debug_report_fn fn = READ_ONCE(iommu_debug_report_hook);

	if (fn)
		fn(report, READ_ONCE(iommu_debug_report_priv));
}
#else
static void iommu_debug_call_hook(const struct iommu_debug_report *report)
{
}
#endif

static void iommu_debug_report(struct iommu_debug_report *report,
			       unsigned long nr, unsigned long hint)
{
	iommu_debug_find_mapping(report, hint);

	pr_err("BUG: page freed while an IOMMU mapping still reaches it\n");
	pr_err("pfn %#lx count %d (%lu of %lu freed pages are mapped)\n",
	       report->pfn, report->count, report->nr_mapped, nr);
	if (report->domain)
		pr_err("still mapped by domain %p at IOVA %#lx\n",
		       report->domain, report->iova);
	else
		pr_err("no live domain was found that maps it\n");
	dump_stack_lvl(KERN_ERR);
	dump_page_owner(pfn_to_page(report->pfn));
	add_taint(TAINT_BAD_PAGE, LOCKDEP_STILL_OK);

	iommu_debug_call_hook(report);
}

/*
 * Called by the page allocator once for every block it gets back, before it
 * touches the page owner or the contents. One report per block, about its
 * first mapped page; the counts are left as they are.
 */
void __iommu_debug_check_free(struct page *page, unsigned int order)
{
	struct iommu_debug_report report = {};
	unsigned long pfn = page_to_pfn(page);
	unsigned long nr = 1UL << order;
	unsigned long hint = 0;
	unsigned long i;

	for (i = 0; i < nr; i++) {
		struct page_ext *page_ext = page_ext_get(pfn_to_page(pfn + i));
		struct iommu_debug_page *dp;
		int count;

		if (!page_ext)
			continue;
		dp = iommu_debug_page(page_ext);
		count = atomic_read(&dp->count);
		if (count && !report.nr_mapped++) {
			report.pfn = pfn + i;
			report.count = count;
			hint = READ_ONCE(dp->iova);
		}
		page_ext_put(page_ext);
	}
	if (report.nr_mapped)
		iommu_debug_report(&report, nr, hint);
}
