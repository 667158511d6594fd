// SPDX-License-Identifier: GPL-2.0-only
/*
 * IOMMU_DEBUG_PAGEALLOC keeps, in page_ext, how many bytes of each page IOMMU
 * mappings reach, and reports a page that goes back to the page allocator or
 * the hugetlb pool, or is handed out again, while that count is not zero: a
 * device can still DMA to memory that the kernel is about to hand to someone
 * else.
 *
 * A map and the unmap that undoes it move a count by the same number of
 * bytes, however the driver chose its leaf sizes. Unmaps read the table in
 * steps of the domain's smallest page size (its granule) when the domain
 * gives no walk of its own.
 */
#define pr_fmt(fmt) "iommu: debug_pagealloc: " fmt

#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/hashtable.h>
#include <linux/iommu.h>
#include <linux/iommu-debug-pagealloc.h>
#include <linux/kstrtox.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/page_ext.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

/*
 * Counts are in units of 512 bytes: every IOMMU granule is a multiple of it,
 * and 32 bits of them let a 4 KiB page be mapped 2^29 times over.
 */
#define IOMMU_DEBUG_UNIT_SHIFT	9
#define IOMMU_DEBUG_SATURATED	U32_MAX

/*
 * Leaves read by one call of a domain's walk, which is one RCU read section
 * of the generic page table; and domains probed per hold of the lock.
 */
#define IOMMU_DEBUG_SECTION	8
/* Granules read by iova_to_phys() in one section */
#define IOMMU_DEBUG_SLOW_SECTION	256
/* A report's search of every table stops after this many leaves */
#define IOMMU_DEBUG_SEARCH_LEAVES	BIT(16)
/* Granules of IOVA span a freed domain without a walk is read over */
#define IOMMU_DEBUG_SLOW_FREE_GRANULES	BIT(24)

#define IOMMU_DEBUG_NR_DEVICES	4
#define IOMMU_DEBUG_DEV_NAME	48

struct iommu_debug_page {
	/*
	 * Low 32 bits: units that mappings reach; high 32 bits: units that a
	 * report forgot, which the unmaps still to come of the reported
	 * mappings take back without a warning. IOMMU_DEBUG_SATURATED in the
	 * low half is sticky.
	 */
	atomic64_t state;
	/* Where the latest map put this page: a cheap first guess for reports */
	unsigned long iova;
};

/*
 * Every domain that has been mapped through or attached while the sanitizer
 * is on, so that a report can name who still maps a page. Lookups from map
 * and unmap run under RCU; the list, the devices and the liveness of a
 * record are under iommu_debug_domains_lock.
 */
struct iommu_debug_domain {
	struct hlist_node node;
	struct list_head list;
	struct iommu_domain *domain;
	const struct iommu_debug_domain_ops *ops;
	/* Never reused: a search resumes by it once the lock was dropped */
	u64 serial;
	int id;
	/* Units this domain counted and did not take back yet */
	atomic_long_t units;
	/* The IOVA span ever mapped, for the free of a domain without a walk */
	unsigned long first_iova;
	unsigned long last_iova;
	unsigned int nr_devices;
	struct device *devices[IOMMU_DEBUG_NR_DEVICES];
	char names[IOMMU_DEBUG_NR_DEVICES][IOMMU_DEBUG_DEV_NAME];
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(iommu_debug_domains, 6);
static LIST_HEAD(iommu_debug_domain_list);
static u64 iommu_debug_next_serial;
static DEFINE_SPINLOCK(iommu_debug_domains_lock);
/* Keeps the lines of one report together */
static DEFINE_SPINLOCK(iommu_debug_print_lock);
static char iommu_debug_text[512];
static DEFINE_RATELIMIT_STATE(iommu_debug_ratelimit, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

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

/*
 * Only online memory has counts: ZONE_DEVICE and offline sections have a
 * valid pfn but no page_ext of their own, and are never freed to the page
 * allocator anyway.
 */
static struct page_ext *iommu_debug_page_ext_get(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	return page ? page_ext_get(page) : NULL;
}

static size_t domain_granule(struct iommu_domain *domain)
{
	return 1UL << __ffs(domain->pgsize_bitmap);
}

static u32 state_count(u64 state)
{
	return lower_32_bits(state);
}

static u32 state_forgiven(u64 state)
{
	return upper_32_bits(state);
}

static u64 make_state(u32 count, u32 forgiven)
{
	return (u64)forgiven << 32 | count;
}

static u64 units_to_bytes(u64 units)
{
	return units << IOMMU_DEBUG_UNIT_SHIFT;
}

/* ------------------------------------------------------------- counting */

/*
 * One pass of counting or uncounting over the leaves of one domain: what
 * it moved, and the first page that went wrong, for one warning per pass.
 */
struct iommu_debug_count {
	struct iommu_debug_domain *dd;
	long units;
	unsigned long nr_bad;
	unsigned long bad_pfn;
	unsigned long bad_iova;
};

/* Add @units, stopping at IOMMU_DEBUG_SATURATED; false if it got there now */
static bool iommu_debug_page_get(struct iommu_debug_page *dp, u32 units)
{
	s64 old = atomic64_read(&dp->state);
	u64 new;

	do {
		u32 count = state_count(old);

		if (count == IOMMU_DEBUG_SATURATED)
			return true;
		if (units >= IOMMU_DEBUG_SATURATED - count)
			new = make_state(IOMMU_DEBUG_SATURATED,
					 state_forgiven(old));
		else
			new = old + units;
	} while (!atomic64_try_cmpxchg(&dp->state, &old, new));
	return state_count(new) != IOMMU_DEBUG_SATURATED;
}

/*
 * Take @units back, from the count and then from what a report forgot.
 * When both together are short, the unmap is wrong: leave the page as it
 * is, as the count may belong to another domain. False in that case.
 */
static bool iommu_debug_page_put(struct iommu_debug_page *dp, u32 units)
{
	s64 old = atomic64_read(&dp->state);
	u64 new;

	do {
		u32 count = state_count(old);
		u32 forgiven = state_forgiven(old);
		u32 from_count = min(count, units);

		if (count == IOMMU_DEBUG_SATURATED)
			return true;
		if ((u64)count + forgiven < units)
			return false;
		new = make_state(count - from_count,
				 forgiven - (units - from_count));
	} while (!atomic64_try_cmpxchg(&dp->state, &old, new));
	return true;
}

/*
 * A domain never takes back more than it counted: an unmap beyond that would
 * eat the counts other domains hold on the same pages.
 */
static bool iommu_debug_domain_take(struct iommu_debug_domain *dd, u32 units)
{
	long old;

	if (!dd)
		return true;
	old = atomic_long_read(&dd->units);
	do {
		if (old < units)
			return false;
	} while (!atomic_long_try_cmpxchg(&dd->units, &old, old - units));
	return true;
}

static void iommu_debug_page_add(struct iommu_debug_count *cnt,
				 unsigned long pfn, u32 units, bool add,
				 unsigned long iova)
{
	struct iommu_debug_page *dp;
	struct page_ext *page_ext;
	bool ok;

	/* Memory without page_ext (MMIO, device memory) is not tracked */
	page_ext = iommu_debug_page_ext_get(pfn);
	if (!page_ext)
		return;
	dp = iommu_debug_page(page_ext);
	if (add) {
		/* Saturated or not, the domain maps the page: it is counted */
		ok = iommu_debug_page_get(dp, units);
		WRITE_ONCE(dp->iova, iova);
		cnt->units += units;
	} else {
		ok = iommu_debug_domain_take(cnt->dd, units);
		if (ok && !iommu_debug_page_put(dp, units)) {
			if (cnt->dd)
				atomic_long_add(units, &cnt->dd->units);
			ok = false;
		}
		if (ok)
			cnt->units += units;
	}
	page_ext_put(page_ext);
	if (ok)
		return;
	if (!cnt->nr_bad++) {
		cnt->bad_pfn = pfn;
		cnt->bad_iova = iova;
	}
}

/*
 * Count (@add) or uncount a physically contiguous range mapped at @iova,
 * one page at a time: a page_ext lookup is its own short RCU section.
 */
static void iommu_debug_count_range(struct iommu_debug_count *cnt,
				    unsigned long iova, phys_addr_t phys,
				    size_t size, bool add)
{
	phys_addr_t end = phys + size;

	while (phys < end) {
		phys_addr_t next = min(PFN_PHYS(PHYS_PFN(phys) + 1), end);
		/* At most a page: no 64-bit division on 32-bit with PAE */
		size_t len = next - phys;

		iommu_debug_page_add(cnt, PHYS_PFN(phys),
				     DIV_ROUND_UP(len, 1U << IOMMU_DEBUG_UNIT_SHIFT),
				     add, iova);
		iova += len;
		phys = next;
	}
}

/* ------------------------------------------------------------- domains */

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
 * The record of @domain, made on first use. Map may run in atomic context,
 * so allocate atomically; a domain that cannot be remembered is still
 * counted, only reports cannot name it. The record lives as long as the
 * domain, which the caller holds.
 */
static struct iommu_debug_domain *
iommu_debug_track_domain(struct iommu_domain *domain)
{
	struct iommu_debug_domain *dd, *new;
	unsigned long flags;

	rcu_read_lock();
	dd = iommu_debug_find_domain(domain);
	rcu_read_unlock();
	if (dd)
		return dd;

	new = kzalloc(sizeof(*new), GFP_ATOMIC | __GFP_NOWARN);
	if (!new)
		return NULL;
	new->domain = domain;
	new->id = -1;
	new->first_iova = ULONG_MAX;

	spin_lock_irqsave(&iommu_debug_domains_lock, flags);
	dd = iommu_debug_find_domain(domain);
	if (!dd) {
		new->serial = iommu_debug_next_serial++;
		hash_add_rcu(iommu_debug_domains, &new->node,
			     (unsigned long)domain);
		list_add_tail(&new->list, &iommu_debug_domain_list);
		dd = new;
		new = NULL;
	}
	spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
	kfree(new);
	return dd;
}

/* The record of a domain its caller holds: it stays until the domain goes */
static struct iommu_debug_domain *
iommu_debug_lookup_domain(struct iommu_domain *domain)
{
	struct iommu_debug_domain *dd;

	rcu_read_lock();
	dd = iommu_debug_find_domain(domain);
	rcu_read_unlock();
	return dd;
}

static const struct iommu_debug_domain_ops *
iommu_debug_ops_of(struct iommu_debug_domain *dd)
{
	return dd ? READ_ONCE(dd->ops) : NULL;
}

/**
 * iommu_debug_domain_set_ops() - tell the sanitizer how to read and name a domain
 * @domain: a paging domain
 * @ops: how to walk its page table, or NULL
 * @id: the id of its debugfs directory domain_<id>, or -1 if it has none
 *
 * A domain that can walk its own table (the generic page table) calls this
 * once it is initialised and before its first map. Unmap then finds the
 * physical ranges from the leaves it walks instead of one iova_to_phys() per
 * granule, and a report can search the domain for a freed page and name it
 * by @id. Nothing is needed at free time: iommu_domain_free() forgets the
 * domain.
 *
 * Context: any; does not sleep.
 * Return: 0, or -ENOMEM if the domain could not be remembered.
 */
int iommu_debug_domain_set_ops(struct iommu_domain *domain,
			       const struct iommu_debug_domain_ops *ops,
			       int id)
{
	struct iommu_debug_domain *dd;

	if (!static_branch_unlikely(&iommu_debug_pagealloc_enabled))
		return 0;
	dd = iommu_debug_track_domain(domain);
	if (!dd)
		return -ENOMEM;
	WRITE_ONCE(dd->ops, ops);
	WRITE_ONCE(dd->id, id);
	return 0;
}
EXPORT_SYMBOL_GPL(iommu_debug_domain_set_ops);

static void iommu_debug_forget_device(struct device *dev)
{
	struct iommu_debug_domain *dd;
	unsigned int i;

	lockdep_assert_held(&iommu_debug_domains_lock);
	list_for_each_entry(dd, &iommu_debug_domain_list, list) {
		for (i = 0; i != dd->nr_devices; i++) {
			if (dd->devices[i] != dev)
				continue;
			dd->nr_devices--;
			dd->devices[i] = dd->devices[dd->nr_devices];
			memcpy(dd->names[i], dd->names[dd->nr_devices],
			       IOMMU_DEBUG_DEV_NAME);
			return;
		}
	}
}

/*
 * The IOMMU core says which paging domain a device translates through now.
 * Names are copied so that a report never reads a device that went away;
 * a domain with more devices than fit names the first few.
 */
void __iommu_debug_attach_device(struct device *dev,
				 struct iommu_domain *domain)
{
	struct iommu_debug_domain *dd = NULL;
	unsigned long flags;

	if (domain && (domain->type & __IOMMU_DOMAIN_PAGING))
		dd = iommu_debug_track_domain(domain);

	spin_lock_irqsave(&iommu_debug_domains_lock, flags);
	iommu_debug_forget_device(dev);
	if (dd && dd->nr_devices < IOMMU_DEBUG_NR_DEVICES) {
		dd->devices[dd->nr_devices] = dev;
		strscpy(dd->names[dd->nr_devices], dev_name(dev),
			IOMMU_DEBUG_DEV_NAME);
		dd->nr_devices++;
	}
	spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
}

static void iommu_debug_note_span(struct iommu_debug_domain *dd,
				  unsigned long iova, size_t size)
{
	unsigned long last = iova + size - 1;

	/* Maps of one domain may race: a lost update only narrows a free */
	if (iova < READ_ONCE(dd->first_iova))
		WRITE_ONCE(dd->first_iova, iova);
	if (last > READ_ONCE(dd->last_iova))
		WRITE_ONCE(dd->last_iova, last);
}

/* ------------------------------------------------------------- walks */

#if IS_ENABLED(CONFIG_KUNIT)
static unsigned int iommu_debug_section_max;

static void iommu_debug_note_section(unsigned int nr)
{
	if (nr > READ_ONCE(iommu_debug_section_max))
		WRITE_ONCE(iommu_debug_section_max, nr);
}
#else
static void iommu_debug_note_section(unsigned int nr)
{
}
#endif

/* Leaves gathered in one section, handled once it has ended */
struct iommu_debug_batch {
	unsigned long last;
	unsigned long next;
	bool more;
	unsigned int nr;
	struct {
		unsigned long iova;
		phys_addr_t phys;
		size_t size;
	} leaf[IOMMU_DEBUG_SECTION];
};

static bool iommu_debug_batch_leaf(void *arg, unsigned long iova,
				   phys_addr_t phys, size_t size)
{
	struct iommu_debug_batch *batch = arg;
	unsigned long end = iova + size;

	batch->leaf[batch->nr].iova = iova;
	batch->leaf[batch->nr].phys = phys;
	batch->leaf[batch->nr].size = size;
	batch->nr++;
	if (batch->nr != IOMMU_DEBUG_SECTION)
		return false;
	/* end wraps to 0 after the last leaf of the IOVA space */
	batch->more = end && end - 1 < batch->last;
	batch->next = end;
	return true;
}

/* Read with iova_to_phys(), one granule at a time, merging contiguous runs */
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

/*
 * One section: at most IOMMU_DEBUG_SECTION leaves from @iova on, and at
 * most IOMMU_DEBUG_SLOW_SECTION granules of a domain read by iova_to_phys().
 */
static void iommu_debug_walk_section(struct iommu_domain *domain,
				     const struct iommu_debug_domain_ops *ops,
				     unsigned long iova,
				     struct iommu_debug_batch *batch)
{
	unsigned long span, last = batch->last;

	batch->nr = 0;
	batch->more = false;
	if (ops && ops->walk) {
		ops->walk(domain, iova, last, iommu_debug_batch_leaf, batch);
	} else {
		span = IOMMU_DEBUG_SLOW_SECTION * domain_granule(domain);
		if (last - iova >= span)
			last = ALIGN_DOWN(iova, domain_granule(domain)) + span - 1;
		iommu_debug_walk_slow(domain, iova, last,
				      iommu_debug_batch_leaf, batch);
		if (!batch->more && last != batch->last) {
			batch->more = true;
			batch->next = last + 1;
		}
	}
	iommu_debug_note_section(batch->nr);
}

/*
 * Call @fn for every leaf of [@iova, @last] outside of the domain's walk,
 * which is entered again every IOMMU_DEBUG_SECTION leaves; reschedule
 * between sections when the caller can sleep.
 */
static void iommu_debug_walk_leaves(struct iommu_domain *domain,
				    const struct iommu_debug_domain_ops *ops,
				    unsigned long iova, unsigned long last,
				    iommu_debug_leaf_fn fn, void *arg)
{
	struct iommu_debug_batch batch = { .last = last };
	unsigned int i;

	for (;;) {
		iommu_debug_walk_section(domain, ops, iova, &batch);
		for (i = 0; i != batch.nr; i++)
			if (fn(arg, batch.leaf[i].iova, batch.leaf[i].phys,
			       batch.leaf[i].size))
				return;
		if (!batch.more)
			return;
		iova = batch.next;
		if (preemptible())
			cond_resched();
	}
}

/* ------------------------------------------------------------- warnings */

static const char *iommu_debug_domain_name(char *buf, size_t len,
					   struct iommu_domain *domain, int id)
{
	if (id >= 0)
		snprintf(buf, len, "domain_%d", id);
	else
		snprintf(buf, len, "domain %p (no debugfs directory)", domain);
	return buf;
}

#if IS_ENABLED(CONFIG_KUNIT)
static iommu_debug_report_fn iommu_debug_report_hook;
static void *iommu_debug_report_priv;

static void iommu_debug_call_hook(struct iommu_debug_report *report)
{
	iommu_debug_report_fn fn = READ_ONCE(iommu_debug_report_hook);

	if (fn)
		fn(report, READ_ONCE(iommu_debug_report_priv));
}
#else
static void iommu_debug_call_hook(struct iommu_debug_report *report)
{
}
#endif

/* One warning for every pass that went wrong on some page */
static void iommu_debug_count_done(struct iommu_domain *domain,
				   struct iommu_debug_count *cnt, bool add)
{
	struct iommu_debug_domain *dd = cnt->dd;
	struct iommu_debug_report report = {
		.event = add ? IOMMU_DEBUG_OVERFLOW : IOMMU_DEBUG_UNDERFLOW,
		.pfn = cnt->bad_pfn,
		.domain = domain,
		.domain_id = dd ? READ_ONCE(dd->id) : -1,
		.iova = cnt->bad_iova,
		.printed = true,
	};
	char name[48];

	/* An uncount took from the domain's total page by page */
	if (dd && add)
		atomic_long_add(cnt->units, &dd->units);
	if (!cnt->nr_bad)
		return;
	iommu_debug_domain_name(name, sizeof(name), domain, report.domain_id);
	/* Not once: each names another domain and IOVA to look at */
	if (add)
		WARN(1, pr_fmt("%s: map at IOVA %#lx saturates the count of pfn %#lx (%lu)\n"),
		     name, cnt->bad_iova, cnt->bad_pfn, cnt->nr_bad);
	else
		WARN(1, pr_fmt("%s: unmap at IOVA %#lx takes more of pfn %#lx than mapped (%lu)\n"),
		     name, cnt->bad_iova, cnt->bad_pfn, cnt->nr_bad);
	iommu_debug_call_hook(&report);
}

/* ------------------------------------------------------------- map, unmap */

void __iommu_debug_map(struct iommu_domain *domain, unsigned long iova,
		       phys_addr_t paddr, size_t size)
{
	struct iommu_debug_count cnt = {};

	if (!size)
		return;
	cnt.dd = iommu_debug_track_domain(domain);
	if (cnt.dd)
		iommu_debug_note_span(cnt.dd, iova, size);
	iommu_debug_count_range(&cnt, iova, paddr, size, true);
	iommu_debug_count_done(domain, &cnt, true);
}

struct iommu_debug_pass {
	struct iommu_debug_count cnt;
	struct iommu_debug_unmap *state;
};

static bool iommu_debug_uncount_leaf(void *arg, unsigned long iova,
				     phys_addr_t phys, size_t size)
{
	struct iommu_debug_pass *pass = arg;
	struct iommu_debug_unmap *state = pass->state;

	iommu_debug_count_range(&pass->cnt, iova, phys, size, false);
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
	struct iommu_debug_pass *pass = arg;

	iommu_debug_count_range(&pass->cnt, iova, phys, size, true);
	return false;
}

/*
 * Uncount, before the driver unmaps, every leaf that the unmap of [@iova,
 * @iova + @size) can remove: afterwards the physical addresses are gone.
 * @state is filled whole, so that the end of the pair never reads what the
 * stack held before.
 */
void __iommu_debug_unmap_begin(struct iommu_domain *domain,
			       unsigned long iova, size_t size,
			       struct iommu_debug_unmap *state)
{
	struct iommu_debug_pass pass = { .state = state };

	*state = (struct iommu_debug_unmap){
		.active = true,
		.iova = iova,
	};
	if (!size)
		return;
	pass.cnt.dd = iommu_debug_track_domain(domain);
	iommu_debug_walk_leaves(domain, iommu_debug_ops_of(pass.cnt.dd),
				iova, iova + size - 1,
				iommu_debug_uncount_leaf, &pass);
	iommu_debug_count_done(domain, &pass.cnt, false);
}
EXPORT_SYMBOL_IF_KUNIT(__iommu_debug_unmap_begin);

/*
 * Count again what the driver left mapped. A driver may also unmap more than
 * it was asked to, the rest of a larger leaf than the slow walk could see;
 * a leaf is physically contiguous, so uncount that tail from where the last
 * leaf found ended.
 */
void __iommu_debug_unmap_end(struct iommu_domain *domain,
			     struct iommu_debug_unmap *state, size_t unmapped)
{
	struct iommu_debug_domain *dd;
	struct iommu_debug_pass pass = { .state = state };
	struct iommu_debug_count tail = {};
	unsigned long end;

	state->active = false;
	if (!state->found)
		return;
	dd = iommu_debug_lookup_domain(domain);
	pass.cnt.dd = dd;
	iommu_debug_walk_leaves(domain, iommu_debug_ops_of(dd), state->first,
				state->last, iommu_debug_recount_leaf, &pass);
	iommu_debug_count_done(domain, &pass.cnt, true);
	if (unmapped && state->iova + unmapped - 1 > state->last) {
		end = state->iova + unmapped - 1;
		tail.dd = dd;
		iommu_debug_count_range(&tail, state->last + 1, state->end_phys,
					end - state->last, false);
		iommu_debug_count_done(domain, &tail, false);
	}
}
EXPORT_SYMBOL_IF_KUNIT(__iommu_debug_unmap_end);

/* ------------------------------------------------------------- domain free */

struct iommu_debug_drop {
	struct iommu_debug_count cnt;
	long units;
};

static bool iommu_debug_drop_leaf(void *arg, unsigned long iova,
				  phys_addr_t phys, size_t size)
{
	struct iommu_debug_drop *drop = arg;

	iommu_debug_count_range(&drop->cnt, iova, phys, size, false);
	/* Nothing left to find: stop walking the rest of the table */
	return drop->cnt.units >= drop->units;
}

/*
 * A domain freed with mappings left in it (VFIO drops a domain without
 * unmapping it) no longer reaches those pages: uncount them, by its own
 * walk or, over the span it ever mapped, by iova_to_phys(), and say so
 * once. The domain is still whole here; iommu_domain_free() may sleep.
 */
static void iommu_debug_drop_domain(struct iommu_debug_domain *dd)
{
	struct iommu_domain *domain = dd->domain;
	struct iommu_debug_drop drop = { .cnt.dd = NULL };
	const struct iommu_debug_domain_ops *ops = READ_ONCE(dd->ops);
	unsigned long first = READ_ONCE(dd->first_iova);
	unsigned long last = READ_ONCE(dd->last_iova);
	struct iommu_debug_report report = {
		.event = IOMMU_DEBUG_DOMAIN_FREED,
		.domain = domain,
		.domain_id = dd->id,
		.printed = true,
	};
	char name[48];

	drop.units = atomic_long_read(&dd->units);
	if (drop.units <= 0 || !domain->pgsize_bitmap)
		return;
	report.bytes = units_to_bytes(drop.units);
	iommu_debug_domain_name(name, sizeof(name), domain, dd->id);

	if (ops && ops->walk) {
		/*
		 * The whole IOVA space, not the aperture: the aperture of a
		 * sign extended table is only its lower half.
		 */
		iommu_debug_walk_leaves(domain, ops, 0, ULONG_MAX,
					iommu_debug_drop_leaf, &drop);
	} else if (first <= last &&
		   (last - first) / domain_granule(domain) <
			   IOMMU_DEBUG_SLOW_FREE_GRANULES) {
		iommu_debug_walk_leaves(domain, NULL, first, last,
					iommu_debug_drop_leaf, &drop);
	}
	/* Hosts that drop many such domains (VFIO) would flood the log */
	if (drop.cnt.units >= drop.units)
		pr_info_ratelimited("%s freed with %llu bytes of pages still mapped: uncounted\n",
				    name, report.bytes);
	else
		pr_warn_ratelimited("%s freed with %llu bytes of pages still mapped, of which %llu could not be found: they stay counted\n",
				    name, report.bytes,
				    units_to_bytes(drop.units - drop.cnt.units));
	iommu_debug_call_hook(&report);
}

void __iommu_debug_domain_free(struct iommu_domain *domain)
{
	struct iommu_debug_domain *dd;
	unsigned long flags;

	/* Unlinked under the lock: no search section can be on it after */
	spin_lock_irqsave(&iommu_debug_domains_lock, flags);
	dd = iommu_debug_find_domain(domain);
	if (dd) {
		hash_del_rcu(&dd->node);
		list_del(&dd->list);
	}
	spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
	if (!dd)
		return;
	iommu_debug_drop_domain(dd);
	kfree_rcu(dd, rcu);
}
EXPORT_SYMBOL_GPL(__iommu_debug_domain_free);

/* ------------------------------------------------------------- reports */

/* Who maps the reported page, copied out while the domain was live */
struct iommu_debug_found {
	struct iommu_domain *domain;
	int id;
	unsigned long iova;
	unsigned int nr_devices;
	char names[IOMMU_DEBUG_NR_DEVICES][IOMMU_DEBUG_DEV_NAME];
};

struct iommu_debug_search {
	phys_addr_t phys;
	unsigned long iova;
	bool found;
	struct iommu_debug_batch batch;
};

static void iommu_debug_found_domain(struct iommu_debug_found *found,
				     struct iommu_debug_domain *dd,
				     unsigned long iova)
{
	found->domain = dd->domain;
	found->id = dd->id;
	found->iova = iova;
	found->nr_devices = dd->nr_devices;
	memcpy(found->names, dd->names, sizeof(found->names));
}

/* The first live record from @serial on, in the order they were made */
static struct iommu_debug_domain *iommu_debug_domain_from(u64 serial)
{
	struct iommu_debug_domain *dd;

	lockdep_assert_held(&iommu_debug_domains_lock);
	list_for_each_entry(dd, &iommu_debug_domain_list, list)
		if (dd->serial >= serial)
			return dd;
	return NULL;
}

static bool iommu_debug_search_batch(struct iommu_debug_search *search)
{
	unsigned int i;

	for (i = 0; i != search->batch.nr; i++) {
		phys_addr_t phys = search->batch.leaf[i].phys;

		if (search->phys < phys ||
		    search->phys - phys >= search->batch.leaf[i].size)
			continue;
		search->iova = search->batch.leaf[i].iova +
			       (search->phys - phys);
		search->found = true;
		return true;
	}
	return false;
}

/*
 * First ask every domain whether the IOVA of the latest map still reaches
 * the page, a few domains per hold of the lock.
 */
static bool iommu_debug_probe_hint(struct iommu_debug_found *found,
				   unsigned long pfn, unsigned long hint)
{
	struct iommu_debug_domain *dd;
	unsigned long flags;
	u64 serial = 0;

	for (;;) {
		unsigned int nr = 0;

		spin_lock_irqsave(&iommu_debug_domains_lock, flags);
		dd = iommu_debug_domain_from(serial);
		while (dd && nr++ != IOMMU_DEBUG_SECTION) {
			struct iommu_domain *domain = dd->domain;

			/* A domain being allocated may not have its ops yet */
			if (domain->ops && domain->ops->iova_to_phys &&
			    PHYS_PFN(domain->ops->iova_to_phys(domain, hint)) == pfn) {
				iommu_debug_found_domain(found, dd, hint);
				spin_unlock_irqrestore(&iommu_debug_domains_lock,
						       flags);
				return true;
			}
			serial = dd->serial + 1;
			dd = list_is_last(&dd->list, &iommu_debug_domain_list) ?
				     NULL : list_next_entry(dd, list);
		}
		spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
		if (!dd)
			return false;
	}
}

/*
 * Then search the tables that can be walked, a section at a time under the
 * lock so that the domain cannot be freed meanwhile, and give up after
 * IOMMU_DEBUG_SEARCH_LEAVES leaves in all.
 */
static bool iommu_debug_search_tables(struct iommu_debug_found *found,
				      unsigned long pfn)
{
	struct iommu_debug_search search = { .phys = PFN_PHYS(pfn) };
	unsigned int budget = IOMMU_DEBUG_SEARCH_LEAVES;
	struct iommu_debug_domain *dd;
	unsigned long iova = 0;
	unsigned long flags;
	u64 serial = 0;

	while (budget) {
		const struct iommu_debug_domain_ops *ops;

		spin_lock_irqsave(&iommu_debug_domains_lock, flags);
		dd = iommu_debug_domain_from(serial);
		if (!dd) {
			spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
			return false;
		}
		if (dd->serial != serial)
			iova = 0;
		serial = dd->serial;
		ops = READ_ONCE(dd->ops);
		if (!ops || !ops->walk) {
			serial++;
			spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
			continue;
		}
		search.batch.last = ULONG_MAX;
		iommu_debug_walk_section(dd->domain, ops, iova, &search.batch);
		if (iommu_debug_search_batch(&search)) {
			iommu_debug_found_domain(found, dd, search.iova);
			spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
			return true;
		}
		spin_unlock_irqrestore(&iommu_debug_domains_lock, flags);
		budget -= min(budget, max(search.batch.nr, 1U));
		if (search.batch.more) {
			iova = search.batch.next;
		} else {
			serial++;
			iova = 0;
		}
	}
	return false;
}

static void iommu_debug_format(struct iommu_debug_report *report,
			       const struct iommu_debug_found *found,
			       unsigned long nr)
{
	static const char *const what[] = {
		[IOMMU_DEBUG_FREED_MAPPED] =
			"page freed while an IOMMU mapping still reaches it",
		[IOMMU_DEBUG_ALLOCATED_MAPPED] =
			"page handed out while an IOMMU mapping reaches it: it was mapped while free",
	};
	char *buf = iommu_debug_text;
	size_t len = sizeof(iommu_debug_text);
	size_t pos;
	char name[48];
	unsigned int i;

	pos = scnprintf(buf, len, "BUG: %s\n", what[report->event]);
	pos += scnprintf(buf + pos, len - pos,
			 "pfn %#lx: %llu bytes still mapped (%lu of %lu pages of the block are mapped)\n",
			 report->pfn, report->bytes, report->nr_mapped, nr);
	if (!found->domain) {
		pos += scnprintf(buf + pos, len - pos,
				 "no live domain was found that maps it\n");
		report->text = buf;
		return;
	}
	pos += scnprintf(buf + pos, len - pos, "mapped by %s at IOVA %#lx, devices:",
			 iommu_debug_domain_name(name, sizeof(name),
						 found->domain, found->id),
			 found->iova);
	for (i = 0; i != found->nr_devices; i++)
		pos += scnprintf(buf + pos, len - pos, " %s", found->names[i]);
	if (!found->nr_devices)
		pos += scnprintf(buf + pos, len - pos, " none attached");
	scnprintf(buf + pos, len - pos, "\n");
	report->text = buf;
}

static void iommu_debug_report(struct iommu_debug_report *report,
			       unsigned long nr, unsigned long hint)
{
	struct iommu_debug_found found = { .id = -1 };
	struct page *page = pfn_to_page(report->pfn);
	unsigned long flags;
	const char *line, *end;

	report->printed = __ratelimit(&iommu_debug_ratelimit);
	if (report->printed &&
	    !iommu_debug_probe_hint(&found, report->pfn, hint))
		iommu_debug_search_tables(&found, report->pfn);
	report->domain = found.domain;
	report->domain_id = found.id;
	report->iova = found.iova;

	spin_lock_irqsave(&iommu_debug_print_lock, flags);
	if (report->printed) {
		iommu_debug_format(report, &found, nr);
		for (line = iommu_debug_text; *line; line = end + 1) {
			end = strchrnul(line, '\n');
			pr_err("%.*s\n", (int)(end - line), line);
			if (!*end)
				break;
		}
		dump_page(page, "mapped by an IOMMU");
		dump_stack_lvl(KERN_ERR);
		add_taint(TAINT_BAD_PAGE, LOCKDEP_STILL_OK);
	}
	iommu_debug_call_hook(report);
	spin_unlock_irqrestore(&iommu_debug_print_lock, flags);
}

/*
 * Called for every block the page allocator or the hugetlb pool gets back
 * and for every block the page allocator hands out, before the page owner
 * changes. One report per block, about its first mapped page; then the
 * counts of the block are forgotten, so that the next owner is not blamed.
 */
static void iommu_debug_check(struct page *page, unsigned int order,
			      enum iommu_debug_event event)
{
	struct iommu_debug_report report = { .event = event };
	unsigned long pfn = page_to_pfn(page);
	unsigned long nr = 1UL << order;
	unsigned long hint = 0;
	unsigned long i;

	for (i = 0; i < nr; i++) {
		/* A gigantic hugetlb folio may span memory sections */
		struct page_ext *page_ext = page_ext_get(nth_page(page, i));
		struct iommu_debug_page *dp;
		s64 old;
		u64 new;

		if (!page_ext)
			continue;
		dp = iommu_debug_page(page_ext);
		old = atomic64_read(&dp->state);
		do {
			u64 forgiven = (u64)state_forgiven(old) +
				       state_count(old);

			if (!state_count(old))
				break;
			new = make_state(0, min_t(u64, forgiven,
						  IOMMU_DEBUG_SATURATED));
		} while (!atomic64_try_cmpxchg(&dp->state, &old, new));
		if (state_count(old) && !report.nr_mapped++) {
			report.pfn = pfn + i;
			report.bytes = units_to_bytes(state_count(old));
			hint = READ_ONCE(dp->iova);
		}
		page_ext_put(page_ext);
	}
	if (report.nr_mapped)
		iommu_debug_report(&report, nr, hint);
}

void __iommu_debug_check_free(struct page *page, unsigned int order)
{
	iommu_debug_check(page, order, IOMMU_DEBUG_FREED_MAPPED);
}

void __iommu_debug_check_alloc(struct page *page, unsigned int order)
{
	iommu_debug_check(page, order, IOMMU_DEBUG_ALLOCATED_MAPPED);
}

/* ------------------------------------------------------------- for tests */

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * iommu_debug_set_report_hook() - see every report and warning, for tests
 * @fn: called after each is printed (or rate-limited away), or NULL to stop
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
 * iommu_debug_set_ratelimit() - set how many reports are printed, for tests
 * @interval: in jiffies, 0 for no limit
 * @burst: reports printed per @interval
 */
void iommu_debug_set_ratelimit(int interval, int burst)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&iommu_debug_ratelimit.lock, flags);
	iommu_debug_ratelimit.interval = interval;
	iommu_debug_ratelimit.burst = burst;
	iommu_debug_ratelimit.begin = 0;
	iommu_debug_ratelimit.printed = 0;
	iommu_debug_ratelimit.missed = 0;
	raw_spin_unlock_irqrestore(&iommu_debug_ratelimit.lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(iommu_debug_set_ratelimit);

/**
 * iommu_debug_page_bytes() - read the count of a page, for tests
 * @page: the page
 *
 * Return: how many bytes of it mappings reach, summed over the mappings, or
 * -ENODEV if the page has no page_ext.
 */
long long iommu_debug_page_bytes(struct page *page)
{
	struct page_ext *page_ext;
	u64 state;

	if (!iommu_debug_pagealloc_ready)
		return -ENODEV;
	page_ext = page_ext_get(page);
	if (!page_ext)
		return -ENODEV;
	state = atomic64_read(&iommu_debug_page(page_ext)->state);
	page_ext_put(page_ext);
	return units_to_bytes(state_count(state));
}
EXPORT_SYMBOL_IF_KUNIT(iommu_debug_page_bytes);

/**
 * iommu_debug_page_set_bytes() - set the count of a page, for tests
 * @page: the page
 * @bytes: the new count, in bytes; U64_MAX for the largest count
 *
 * Return: 0, or -ENODEV if the page has no page_ext.
 */
int iommu_debug_page_set_bytes(struct page *page, u64 bytes)
{
	struct page_ext *page_ext;
	u64 units = bytes >> IOMMU_DEBUG_UNIT_SHIFT;

	if (!iommu_debug_pagealloc_ready)
		return -ENODEV;
	page_ext = page_ext_get(page);
	if (!page_ext)
		return -ENODEV;
	atomic64_set(&iommu_debug_page(page_ext)->state,
		     make_state(min_t(u64, units, IOMMU_DEBUG_SATURATED), 0));
	page_ext_put(page_ext);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(iommu_debug_page_set_bytes);

/**
 * iommu_debug_max_section() - the most leaves read in one section, for tests
 * @reset: start again from zero
 *
 * A section is one call of a domain's walk: at most one RCU read section of
 * the generic page table, and at most one hold of the sanitizer's lock.
 *
 * Return: the most leaves one section read since the last reset.
 */
unsigned int iommu_debug_max_section(bool reset)
{
	unsigned int ret = READ_ONCE(iommu_debug_section_max);

	if (reset)
		WRITE_ONCE(iommu_debug_section_max, 0);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(iommu_debug_max_section);
#endif
