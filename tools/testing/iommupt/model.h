/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference model: what a table of a configuration holds, as a sorted
 * list of leaves, and what each IOMMU operation must do to it and return.
 * It is written from the hardware manuals and the driver API contract
 * (include/linux/generic_pt/iommu.h), not from the page table code: it
 * knows no tables and no levels, only which page sizes exist.
 */
#ifndef _IOMMUPT_MODEL_H
#define _IOMMUPT_MODEL_H

#include "harness.h"
#include "walk.h"

struct mleaf {
	u64 va;
	u64 last;
	u64 oa;
	int prot;
	bool dirty;
};

struct model {
	const struct hfmt *fmt;
	const struct hcfg *cfg;
	/* Every page size the table may use, bit n for 2^n */
	u64 sizes;
	unsigned int granule_lg2;
	/* IOVA bits; with sign_extend the halves are va_bits - 1 wide */
	unsigned int va_bits;
	bool sign_extend;
	unsigned int oa_bits;
	bool dirty;
	bool dirty_needs_write;
	/* PT_FEAT_DYNAMIC_TOP: the top level now; leaves fit below it */
	bool dynamic;
	unsigned int top;
	struct mleaf *leaves;
	size_t num;
	size_t cap;
};

void model_init(struct model *m, const struct hfmt *fmt,
		const struct hcfg *cfg);
void model_free(struct model *m);

/* The errno map_pages() must return before it looks at the table, or 0 */
int model_map_check(const struct model *m, u64 iova, u64 pa,
		    u64 pgsize, u64 pgcount, int prot,
		    u64 *last);
bool model_overlaps(const struct model *m, u64 iova, u64 last);
/* The top level a dynamic top must have grown to for a map up to @last */
unsigned int model_top_for(const struct model *m, u64 last);
void model_map(struct model *m, u64 iova, u64 last, u64 pa,
	       int prot);
/* The bytes unmap returns; the leaves it removes go to @removed */
u64 model_unmap(struct model *m, u64 iova, u64 pgsize, u64 pgcount,
		struct mleaf *removed, unsigned int max, unsigned int *num);
u64 model_iova_to_phys(const struct model *m, u64 iova);
int model_set_dirty(struct model *m, u64 iova);
int model_read_and_clear_dirty(struct model *m, u64 iova, u64 size,
			       unsigned long flags, struct hrange *out,
			       unsigned int max, unsigned int *num);
/* The leaf holding @iova, or NULL */
const struct mleaf *model_find(const struct model *m, u64 iova);
bool model_va_valid(const struct model *m, u64 va);
/* lg2 of the largest page size */
unsigned int model_max_size_lg2(const struct model *m);

/*
 * expect.c: what a device must get, from the manuals and the 6.12 drivers.
 * The errno a configuration's init must fail with (0: it must work).
 */
int model_init_errno(const struct hfmt *fmt, const struct hcfg *cfg);
/* The errno map_pages() must give @prot, or 0 */
int model_prot_errno(const struct model *m, int prot);
/* The access and attributes a DMA through leaf @l gets */
void model_expect(const struct model *m, const struct mleaf *l,
		  struct hattr *a);
/* Check what hw_info says with the top at @top_level */
bool model_expect_hw(const struct model *m, const struct hhw *hw,
		     unsigned int top_level, char *why, size_t len);

#endif
