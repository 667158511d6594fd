/* SPDX-License-Identifier: GPL-2.0 */
/* The page counters iommu-pages.h keeps; the harness checks them for leaks */
#ifndef _IOMMUPT_LINUX_VMSTAT_H
#define _IOMMUPT_LINUX_VMSTAT_H

struct page;
struct pglist_data;

enum node_stat_item {
	NR_IOMMU_PAGES,
	NR_SECONDARY_PAGETABLE,
	NR_VM_NODE_STAT_ITEMS,
};

extern long iommupt_node_stat[NR_VM_NODE_STAT_ITEMS];

static inline struct pglist_data *page_pgdat(const struct page *page)
{
	return NULL;
}

static inline void mod_node_page_state(struct pglist_data *pgdat,
				       enum node_stat_item item, long nr)
{
	iommupt_node_stat[item] += nr;
}

static inline void mod_lruvec_page_state(struct page *page,
					 enum node_stat_item item, int nr)
{
	iommupt_node_stat[item] += nr;
}

#endif
