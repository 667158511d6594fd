/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Independent walkers: for every format, a page table walk written from the
 * hardware manual, which reads table memory as the IOMMU would (the device
 * view of mem.c when the walker does not snoop) from what hw_info hands the
 * driver, and says what a DMA to an IOVA gets: the output address, the
 * access and the attributes. It includes no header of the page table code,
 * so an encoding that is wrong the same way in the encoder and in the
 * format's own decoder still shows. expect.c says what the model wants.
 */
#ifndef _IOMMUPT_WALK_H
#define _IOMMUPT_WALK_H

#include "harness.h"

/* The memory type of a leaf, in the terms of the manuals */
enum hmemtype {
	/* The format has no memory type in its entries (AMD v1, the mock) */
	HMT_NONE,
	/* x86 PAT WB; Arm Normal, inner and outer write-back RW-allocate */
	HMT_WB,
	/* x86 PAT WT */
	HMT_WT,
	/* x86 PAT UC or UC- */
	HMT_UC,
	/* Arm Normal, inner and outer non-cacheable */
	HMT_NC,
	/* Arm Device memory */
	HMT_DEV_NGNRNE,
	HMT_DEV_NGNRE,
	HMT_DEV_NGRE,
	HMT_DEV_GRE,
	/* Anything else: VT-d EMT/IPAT set, an Arm mix of cacheabilities */
	HMT_OTHER,
};

/* Which of the table pointers walked through carry an attribute */
#define HT_WITH BIT(0)
#define HT_WITHOUT BIT(1)

/**
 * struct hattr - What a DMA through a leaf gets
 * @r: A privileged request may read
 * @w: A privileged request may write (Arm DBM: the hardware makes it
 *     writable on the first write)
 * @user: An unprivileged request gets the same access as a privileged one
 *     (Arm stage 1 AP[1] and APTable[0], x86 U/S on every level)
 * @xp: A privileged request may execute
 * @xu: An unprivileged request may execute
 * @memtype: enum hmemtype
 * @sh: Arm shareability, SH[1:0]
 * @snoop: Snooping forced by the entry (VT-d SNP, AMD v1 FC)
 * @global: The TLB entry is not tagged with the ASID (Arm stage 1 nG
 *     clear, x86 G set)
 * @ns: Arm stage 1 NS
 * @ns_tables: HT_WITH / HT_WITHOUT: the table descriptors walked through
 *     with and without Arm NSTable
 * @cbit: The AMD SME C-bit in the leaf
 * @cbit_tables: HT_WITH / HT_WITHOUT: the table pointers (the root from
 *     hw_info included) with and without the C-bit
 * @af: Arm access flag
 * @dirty: The hardware recorded a write: AMD D (any item of a sized leaf),
 *     x86 D, VT-d D, Arm DBM with AP[2] clear or S2AP[1] set (any item of a
 *     contiguous run)
 */
struct hattr {
	u8 r, w, user, xp, xu, memtype, sh, snoop, global, ns, ns_tables, cbit,
		cbit_tables, af, dirty;
};

/**
 * struct hwalk - The result of a walk
 * @valid: The IOVA translates
 * @oa: The output address, the C-bit stripped
 * @size: The size of the translation the device may cache: the page or
 *     block, the AMD sized page, the Arm contiguous run
 * @a: What the access gets
 */
struct hwalk {
	bool valid;
	u64 oa;
	u64 size;
	struct hattr a;
};

/**
 * struct hwalker - A walker set up as the driver programs the IOMMU
 * @kind: The format
 * @features: The configuration's features: the stage and whether memory
 *     encryption or snooping is on are facts the driver knows
 * @hw: What hw_info handed the driver
 */
struct hwalker {
	enum { HW_AMDV1, HW_MOCK, HW_X86_64, HW_VTDSS, HW_ARMV8 } kind;
	unsigned int features;
	struct hhw hw;
};

void hwalker_init(struct hwalker *wk, const char *fmt_name,
		  unsigned int features);
/*
 * Walk @iova. False, with @why set, if the walk meets an entry the manual
 * calls reserved or inconsistent (a fault the hardware reports as a bad
 * table rather than a missing translation) or table memory that is not
 * live.
 */
bool hwalk(const struct hwalker *wk, u64 iova, struct hwalk *out, char *why,
	   size_t len);

#endif
