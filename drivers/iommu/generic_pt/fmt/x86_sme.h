/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory encryption bit (the SME "C-bit") of the AMD formats. When the
 * kernel runs with SME, every physical address the IOMMU reads, a table
 * pointer or a leaf's output address alike, must carry the C-bit, as 6.12's
 * AMD v1 and v2 code does with __sme_set(). The bit sits inside the OA field,
 * so the formats strip it when they decode an address.
 */
#ifndef __GENERIC_PT_FMT_X86_SME_H
#define __GENERIC_PT_FMT_X86_SME_H

#include <linux/bits.h>
#include <linux/mem_encrypt.h>
#include <linux/types.h>

#ifdef GENERIC_PT_KUNIT
/*
 * No kernel that runs KUnit has SME on, and __sme_set() is the identity
 * outside x86. The tests' own copy of a format therefore encrypts with a
 * stand-in C-bit where the kernel has none, so that the tests can see the
 * bit in every entry and see it stripped from every address. Bit 47 is
 * where AMD EPYC parts put it.
 */
#define PT_KUNIT_SME_MASK BIT_ULL(47)
#endif

/* The C-bit, or 0 when memory is not encrypted */
static __always_inline u64 pt_sme_mask(void)
{
#ifdef PT_KUNIT_SME_MASK
	return __sme_set(0ULL) ? __sme_set(0ULL) : PT_KUNIT_SME_MASK;
#else
	return __sme_set(0ULL);
#endif
}

#endif
