/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page as far as table memory needs it: the gather freelist links
 * pages through lru, and the harness keeps its own bookkeeping beside it.
 * It stays 32 bytes, so that __va()'s lookup of it costs what it did for
 * the instruction counts of iommupt-bench: more bookkeeping goes in arrays
 * of mem.c.
 */
#ifndef _IOMMUPT_LINUX_MM_TYPES_H
#define _IOMMUPT_LINUX_MM_TYPES_H

#include <linux/types.h>

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

struct page {
	union {
		struct list_head lru;
		struct rcu_head rcu_head;
	};
	/* Harness bookkeeping: see mem.c */
	int refcount;
	unsigned char state;
	unsigned char block_order;
	unsigned short block_free;
	struct page *block;
};

#endif
