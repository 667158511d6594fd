/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel VT-d second stage page table entry bits, from the Intel
 * Virtualization Technology for Directed I/O Architecture Specification.
 */
#ifndef __GENERIC_PT_FMT_DEFS_VTDSS_H
#define __GENERIC_PT_FMT_DEFS_VTDSS_H

#include <linux/bits.h>

#define VTDSS_FMT_R BIT_ULL(0)
#define VTDSS_FMT_W BIT_ULL(1)
#define VTDSS_FMT_PS BIT_ULL(7)
#define VTDSS_FMT_A BIT_ULL(8)
#define VTDSS_FMT_D BIT_ULL(9)
#define VTDSS_FMT_SNP BIT_ULL(11)
#define VTDSS_FMT_OA GENMASK_ULL(51, 12)
/* Bits 61:52 are ignored by the walker and free for software */
#define VTDSS_FMT_SW_FLUSHED BIT_ULL(60)

/* The leaf attributes that pt_write_attrs carries */
#define VTDSS_FMT_ATTRS (VTDSS_FMT_R | VTDSS_FMT_W | VTDSS_FMT_SNP)

#endif
