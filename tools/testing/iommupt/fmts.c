// SPDX-License-Identifier: GPL-2.0
/* Every format the harness builds */
#include <linux/kernel.h>

#include "harness.h"

const struct hfmt *const hfmts[] = {
	&hfmt_amdv1,	&hfmt_mock,	 &hfmt_x86_64,	  &hfmt_vtdss,
	&hfmt_armv8_4k, &hfmt_armv8_16k, &hfmt_armv8_64k,
};

const unsigned int num_hfmts = ARRAY_SIZE(hfmts);
