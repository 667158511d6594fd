/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page allocation for the harness. Table memory comes from one arena (see
 * mem.c) with a struct page per 4 KiB, so that virt_to_page() and
 * page_address() are the kernel's pointer arithmetic, physical addresses
 * are arena offsets that every format can store, and a table pointer that
 * leads outside the arena is caught.
 */
#ifndef _IOMMUPT_LINUX_MM_H
#define _IOMMUPT_LINUX_MM_H

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm_types.h>
#include <linux/overflow.h>
#include <linux/vmstat.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE BIT(PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define NUMA_NO_NODE (-1)

extern char *iommupt_arena;
extern struct page *iommupt_pages;
#define IOMMUPT_ARENA_PA 0x40000000UL

void *iommupt_bad_pa(unsigned long pa);

static inline unsigned long __pa(const void *va)
{
	return (unsigned long)((const char *)va - iommupt_arena) +
	       IOMMUPT_ARENA_PA;
}

void *iommupt_va(unsigned long pa);
#define __va(pa) iommupt_va((unsigned long)(pa))

static inline struct page *virt_to_page(const void *va)
{
	return &iommupt_pages[((const char *)va - iommupt_arena) >> PAGE_SHIFT];
}

static inline void *page_address(const struct page *page)
{
	return iommupt_arena + ((unsigned long)(page - iommupt_pages) << PAGE_SHIFT);
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
void split_page(struct page *page, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
void put_page(struct page *page);

#endif
