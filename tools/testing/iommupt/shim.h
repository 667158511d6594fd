/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included after the configuration: the few kernel definitions that
 * tools/include lacks and the page table code uses.
 */
#ifndef _IOMMUPT_SHIM_H
#define _IOMMUPT_SHIM_H

#define SZ_512G 0x8000000000ULL

/* A program has no data race detector to tell */
#define data_race(expr) (expr)

/* The harness builds without -ftrivial-auto-var-init: nothing to opt out of */
#define __uninitialized

#define __ffs64(word) ((unsigned int)__builtin_ctzll(word))

/* A program exports nothing; the namespace must still be a name */
#define EXPORT_SYMBOL_NS_GPL(sym, ns) static_assert(sizeof(#ns) > 1, #sym)

#endif
