/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operations on a table, run on the kernel code and on the model side by
 * side: generation (random or from fuzzer bytes), execution with every
 * check, replay and minimisation of a failing sequence.
 */
#ifndef _IOMMUPT_OPS_H
#define _IOMMUPT_OPS_H

#include <stdio.h>

#include "model.h"

enum hop_kind {
	HOP_MAP,
	HOP_UNMAP,
	HOP_IOVA_TO_PHYS,
	HOP_SET_DIRTY,
	HOP_READ_AND_CLEAR_DIRTY,
	HOP_NUM,
};

/**
 * struct hop - One operation
 * @kind: enum hop_kind
 * @prot: map: IOMMU prot; read_and_clear_dirty: flags
 * @fail_at: map: the n-th table allocation of the call fails (0: none)
 * @iova: First IOVA
 * @pa: map: first physical address
 * @pgsize: map, unmap: page size; read_and_clear_dirty: size in bytes
 * @pgcount: map, unmap: page count
 */
struct hop {
	u8 kind;
	u8 prot;
	u16 fail_at;
	u64 iova;
	u64 pa;
	u64 pgsize;
	u64 pgcount;
};

/* One table of one configuration and its model */
struct hctx {
	const struct hfmt *fmt;
	const struct hcfg *cfg;
	struct htable *t;
	struct model m;
	u64 sw_bits;
	unsigned int top_level;
	u64 rng;
	/* The walker's IOVA samples, apart so that they leave rng alone */
	u64 walk_rng;
	struct hwalker wk;
	/* model_expect() of each prot, once worked out */
	struct hattr expect[64];
	u64 expect_done;
	/* The configuration must be refused and was */
	bool refused;
	unsigned long ops;
	char why[512];
};

/* Create the table; false with ctx->why set if init failed */
bool hctx_init(struct hctx *c, const struct hfmt *fmt, const struct hcfg *cfg,
	       u64 seed);
/* Tear down and check that every table page came back */
bool hctx_fini(struct hctx *c);
/* Run one operation and every check after it */
bool hctx_run(struct hctx *c, const struct hop *op);
/* Full comparison of the table with the model */
bool hctx_check_all(struct hctx *c);

void hop_random(struct hctx *c, struct hop *op);
/* An operation from fuzzer bytes; returns bytes used, 0 at the end */
size_t hop_from_bytes(struct hctx *c, const u8 *data, size_t len,
		      struct hop *op);

void hop_print(FILE *f, const struct hop *op);
bool hop_parse(const char *line, struct hop *op);

/*
 * Replay @ops on a fresh table in a child process: true if it fails (a
 * mismatch, a sanitizer report or a crash).
 */
bool hops_fail(const struct hfmt *fmt, const struct hcfg *cfg,
	       const struct hop *ops, size_t n);
/* Shrink a failing sequence to one that still fails; returns its length */
size_t hops_minimize(const struct hfmt *fmt, const struct hcfg *cfg,
		     struct hop *ops, size_t n);
/* Run @ops, printing each and where it fails; returns the failing index */
long hops_replay(const struct hfmt *fmt, const struct hcfg *cfg,
		 const struct hop *ops, size_t n, bool verbose);

u64 hrand(u64 *state);

/* Leave out the walker checks after each operation (to time them) */
extern bool hwalk_off;

#endif
