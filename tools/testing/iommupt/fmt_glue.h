/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver side of one format, included by fmt_FMT.c right after the
 * kernel's iommu_FMT.c: a domain embedding the format's struct pt_iommu_FMT
 * as an IOMMU driver does, its iommu_domain_ops from IOMMU_PT_DOMAIN_OPS(),
 * an iotlb_sync that frees the gather's freelist as 6.12 drivers do, and the
 * top lock and change_top() of PT_FEAT_DYNAMIC_TOP. fmt_FMT.c defines
 * hfmt_cfgs[], the configurations, and hfmt_cfg(), which turns one into the
 * format's struct pt_iommu_FMT_cfg, and hfmt_hw(), which copies the
 * format's struct pt_iommu_FMT_hw_info into struct hhw.
 */
#include "harness.h"

#define HG(x) CONCATENATE(CONCATENATE(hfmt_, PT_FMT_NAME), CONCATENATE(_, x))
#define PT_FN(x) CONCATENATE(CONCATENATE(pt_iommu_, PT_FMT_NAME), CONCATENATE(_, x))

struct htable {
	struct PT_IOMMU_FMT_T table;
	/* The driver's top lock of PT_FEAT_DYNAMIC_TOP */
	spinlock_t top_lock;
	unsigned int top_level;
};

static struct htable *HG(of)(struct iommu_domain *domain)
{
	return container_of(domain, struct htable, table.iommu.domain);
}

static void HG(iotlb_sync)(struct iommu_domain *domain,
			   struct iommu_iotlb_gather *gather)
{
	if (gather->start <= gather->end)
		hrec_flushed(gather->start, gather->end, gather->pgsize);
#ifndef IOMMUPT_BENCH
	{
		struct page *page;

		list_for_each_entry(page, &gather->freelist, lru)
			hrec_freed(page_address(page));
	}
#endif
	iommu_put_pages_list(&gather->freelist);
}

/* Expand PT_FMT before the driver API macros paste it */
#define HG_DOMAIN_OPS(fmt) IOMMU_PT_DOMAIN_OPS(fmt)
#define HG_DIRTY_OPS(fmt) IOMMU_PT_DIRTY_OPS(fmt)

static const struct iommu_domain_ops HG(domain_ops) = {
	HG_DOMAIN_OPS(PT_FMT_NAME),
	.iotlb_sync = HG(iotlb_sync),
};

static const struct iommu_dirty_ops HG(dirty_ops) = {
	HG_DIRTY_OPS(PT_FMT_NAME),
};

static void HG(change_top)(struct pt_iommu *iommu_table, phys_addr_t top_paddr,
			   unsigned int top_level)
{
	struct htable *t = HG(of)(&iommu_table->domain);

	t->top_level = top_level;
	hrec.top_changes++;
	hrec.last_top_level = top_level;
}

static spinlock_t *HG(get_top_lock)(struct pt_iommu *iommu_table)
{
	return &HG(of)(&iommu_table->domain)->top_lock;
}

static const struct pt_iommu_driver_ops HG(driver_ops) = {
	.change_top = HG(change_top),
	.get_top_lock = HG(get_top_lock),
};

static struct htable *HG(create)(const struct hcfg *hc, int *err)
{
	struct PT_IOMMU_CFG_T cfg = {};
	struct PT_IOMMU_HW_INFO_T info;
	struct htable *t = calloc(1, sizeof(*t));

	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	cfg.common.features = hc->features;
	cfg.common.hw_max_vasz_lg2 = hc->vasz;
	cfg.common.hw_max_oasz_lg2 = hc->oasz;
	hfmt_cfg(hc, &cfg);
	spin_lock_init(&t->top_lock);
	t->table.iommu.nid = NUMA_NO_NODE;
	t->table.iommu.driver_ops = &HG(driver_ops);
	t->table.iommu.domain.ops = &HG(domain_ops);
	t->table.iommu.domain.dirty_ops = &HG(dirty_ops);
	*err = PT_FN(init)(&t->table, &cfg, GFP_KERNEL);
	if (*err) {
		/* Safe after a failed init, as drivers rely on */
		pt_iommu_deinit(&t->table.iommu);
		free(t);
		return NULL;
	}
	PT_FN(hw_info)(&t->table, &info);
	t->top_level = pt_top_level(&t->table.PT_IOMMU_FMT_MEMBER.common);
	return t;
}

static void HG(destroy)(struct htable *t)
{
	pt_iommu_deinit(&t->table.iommu);
	/* A second deinit must find nothing left to do */
	pt_iommu_deinit(&t->table.iommu);
	free(t);
}

static int HG(map)(struct htable *t, u64 iova, u64 pa,
		   u64 pgsize, u64 pgcount, int prot,
		   u64 *mapped)
{
	struct iommu_domain *domain = &t->table.iommu.domain;
	size_t done = 0;
	int ret;

	ret = domain->ops->map_pages(domain, iova, pa, pgsize, pgcount, prot,
				     GFP_KERNEL, &done);
	*mapped = done;
	return ret;
}

static u64 HG(unmap)(struct htable *t, u64 iova, u64 pgsize, u64 pgcount)
{
	struct iommu_domain *domain = &t->table.iommu.domain;
	struct iommu_iotlb_gather gather;
	size_t ret;

	iommu_iotlb_gather_init(&gather);
	ret = domain->ops->unmap_pages(domain, iova, pgsize, pgcount, &gather);
	iommu_iotlb_sync(domain, &gather);
	return ret;
}

static u64 HG(iova_to_phys)(struct htable *t, u64 iova)
{
	struct iommu_domain *domain = &t->table.iommu.domain;

	return domain->ops->iova_to_phys(domain, iova);
}

static int HG(set_dirty)(struct htable *t, u64 iova)
{
	return PT_FN(set_dirty)(&t->table, iova);
}

static int HG(read_and_clear_dirty)(struct htable *t, u64 iova,
				    u64 size, unsigned long flags)
{
	struct iommu_domain *domain = &t->table.iommu.domain;
	struct iommu_iotlb_gather gather;
	struct iommu_dirty_bitmap dirty = {
		.bitmap = (struct iova_bitmap *)&hrec,
		.gather = &gather,
	};
	int ret;

	iommu_iotlb_gather_init(&gather);
	ret = domain->dirty_ops->read_and_clear_dirty(domain, iova, size,
						      flags, &dirty);
	iommu_iotlb_sync(domain, &gather);
	return ret;
}

static u64 HG(pgsize_bitmap)(struct htable *t)
{
	struct pt_iommu_info info;

	t->table.iommu.ops->get_info(&t->table.iommu, &info);
	if (info.pgsize_bitmap != t->table.iommu.domain.pgsize_bitmap)
		iommupt_warn(__FILE__, __LINE__);
	return info.pgsize_bitmap;
}

static unsigned int HG(top_level)(struct htable *t)
{
	return pt_top_level(&t->table.PT_IOMMU_FMT_MEMBER.common);
}

static u64 HG(sw_bits)(struct htable *t)
{
	struct pt_range range =
		pt_iommu_all_range(&t->table.PT_IOMMU_FMT_MEMBER.common);
	u64 bits = 0;
	unsigned int level;

	for (level = 0; level <= PT_MAX_TOP_LEVEL; level++) {
		struct pt_state pts = { .range = &range, .level = level };

		bits |= pt_sw_flush_bit(&pts);
	}
	return bits;
}

static void HG(top_unused)(struct htable *t, void **start, void **end)
{
	struct pt_range range =
		pt_iommu_all_range(&t->table.PT_IOMMU_FMT_MEMBER.common);
	struct pt_state pts = { .range = &range, .level = range.top_level };
	char *top = (char *)range.top_table;

	*start = top + log2_to_int_t(size_t, pt_table_memsize_lg2(&pts));
	*end = top + (PAGE_SIZE << pt_iommu_table_order(&range,
							range.top_level));
}

static void HG(hw_info)(struct htable *t, struct hhw *hw)
{
	struct PT_IOMMU_HW_INFO_T info;

	memset(hw, 0, sizeof(*hw));
	PT_FN(hw_info)(&t->table, &info);
	hfmt_hw(&info, hw);
}

/* Every table item of the range, with the span of VA it holds */
static __always_inline int hg_spans_level(struct pt_range *range,
					  void *arg, unsigned int level,
					  struct pt_table_p *table,
					  pt_level_fn_t descend_fn)
{
	struct pt_state pts = pt_init(range, level, table);
	int ret;

	for_each_pt_level_entry(&pts) {
		unsigned int item_lg2 = pt_table_item_lg2sz(&pts);
		struct pt_state child = { .range = range, .level = level - 1 };

		if (pts.type != PT_ENTRY_TABLE)
			continue;
		hrec_span(pt_table_ptr(&pts),
			  log2_to_int_t(u64, pt_table_memsize_lg2(&child)),
			  log2_set_mod(range->va, 0, item_lg2),
			  log2_set_mod_max(range->va, item_lg2));
		ret = pt_descend(&pts, arg, descend_fn);
		if (ret)
			return ret;
	}
	return 0;
}

/* One instance per format: each fmt_FMT.c includes this file once */
PT_MAKE_WALKER(hg_walk_spans, hg_spans_level);

static void HG(table_spans)(struct htable *t, u64 iova, u64 last)
{
	struct pt_range range = pt_make_range(&t->table.PT_IOMMU_FMT_MEMBER.common,
					      iova, last);

	struct pt_state top = { .range = &range, .level = range.top_level };

	if (pt_check_range(&range) || !pt_range_clip_to_top(&range))
		return;
	/* A dynamic top that grows is item 0 of the new one: a map may fill it */
	if (pt_feature(range.common, PT_FEAT_DYNAMIC_TOP))
		hrec_span(range.top_table,
			  log2_to_int_t(u64, pt_table_memsize_lg2(&top)), 0,
			  log2_to_max_int_t(u64, pt_table_span_lg2(&top)));
	hg_walk_spans(&range, NULL);
}

const struct hfmt CONCATENATE(hfmt_, PT_FMT_NAME) = {
	.name = __stringify(PT_FMT_NAME),
	.cfgs = hfmt_cfgs,
	.num_cfgs = ARRAY_SIZE(hfmt_cfgs),
	.create = HG(create),
	.destroy = HG(destroy),
	.map = HG(map),
	.unmap = HG(unmap),
	.iova_to_phys = HG(iova_to_phys),
	.set_dirty = HG(set_dirty),
	.read_and_clear_dirty = HG(read_and_clear_dirty),
	.pgsize_bitmap = HG(pgsize_bitmap),
	.top_level = HG(top_level),
	.sw_bits = HG(sw_bits),
	.top_unused = HG(top_unused),
	.hw_info = HG(hw_info),
	.table_spans = HG(table_spans),
};
