// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the first byte picks a configuration of the format this
 * binary is linked for, every following chunk of bytes one operation, run
 * through the same engine as the differential test. A mismatch with the
 * model aborts with the operations so far, so libFuzzer keeps the input.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

#define MAX_OPS 256

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const struct hfmt *fmt = &iommupt_fuzz_fmt;
	static struct hop ops[MAX_OPS];
	const struct hcfg *cfg;
	struct hctx c;
	size_t used, n = 0, i;

	if (!size)
		return 0;
	cfg = &fmt->cfgs[data[0] % fmt->num_cfgs];
	if (!hctx_init(&c, fmt, cfg, 1)) {
		fprintf(stderr, "iommupt: %s %s: %s\n", fmt->name, cfg->name,
			c.why);
		abort();
	}
	data++;
	size--;
	while (n != MAX_OPS && (used = hop_from_bytes(&c, data, size, &ops[n]))) {
		data += used;
		size -= used;
		if (!hctx_run(&c, &ops[n++]))
			goto fail;
	}
	if (hctx_fini(&c))
		return 0;
fail:
	fprintf(stderr, "iommupt: %s %s: operation %zu: %s\n", fmt->name,
		cfg->name, n - 1, c.why);
	for (i = 0; i != n; i++)
		hop_print(stderr, &ops[i]);
	abort();
}
