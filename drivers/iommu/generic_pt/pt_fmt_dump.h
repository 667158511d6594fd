/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a format tells the page table dump: the names of its leaf attribute
 * bits and of its own features, in the vocabulary of its hardware manual.
 * A format header includes this and, if it has anything to name, defines
 * pt_dump_attrs() and pt_dump_features(); the dump itself is generic.
 */
#ifndef __GENERIC_PT_PT_FMT_DUMP_H
#define __GENERIC_PT_PT_FMT_DUMP_H

#include <linux/types.h>

/**
 * struct pt_dump_attr - The name of a bit or field of a leaf entry
 * @mask: The bits. A single bit is printed as @name when it is set; a field
 *     of several bits is always printed, as @name=value with the value in
 *     hex, shifted down to bit 0.
 * @name: The name the hardware manual uses
 *
 * Two leaves whose bits under any mask of the format differ are never
 * merged into one line of the dump. The same struct names the format's
 * feature bits, with @mask a BIT() of the feature number.
 */
struct pt_dump_attr {
	u64 mask;
	const char *name;
};

#endif
