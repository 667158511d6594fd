/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Arithmetic on sizes and alignments held as lg2, the exponent of a power of
 * two. The page table code never multiplies or divides by a page size: it
 * shifts and masks by its lg2. These helpers are correct over the whole range
 * of their type, including an lg2 equal to the type's width (the size of a
 * full 64-bit address space), which a plain shift is not.
 */
#ifndef __GENERIC_PT_PT_LOG2_H
#define __GENERIC_PT_PT_LOG2_H

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/types.h>

/* 2^a_lg2; a_lg2 must be below the width of type */
#define log2_to_int_t(type, a_lg2) ((type)1 << (a_lg2))

/* 2^a_lg2 - 1, the largest offset inside a 2^a_lg2 block; a_lg2 <= width */
#define log2_to_max_int_t(type, a_lg2)                                  \
	({                                                              \
		unsigned int __max_lg2 = (a_lg2);                       \
									\
		__max_lg2 == 0 ? (type)0 :                              \
				 ((type)~(type)0) >>                    \
					 (BITS_PER_TYPE(type) - __max_lg2); \
	})

/* a / 2^b_lg2; b_lg2 may equal the width of type, giving 0 */
#define log2_div_t(type, a, b_lg2)                                  \
	({                                                          \
		unsigned int __div_lg2 = (b_lg2);                   \
								    \
		__div_lg2 >= BITS_PER_TYPE(type) ?                  \
			(type)0 : (type)((type)(a) >> __div_lg2);   \
	})

/* a * 2^b_lg2; b_lg2 must be below the width of type */
#define log2_mul_t(type, a, b_lg2) ((type)((type)(a) << (b_lg2)))

/* a % 2^b_lg2 */
#define log2_mod_t(type, a, b_lg2) ((type)((a) & log2_to_max_int_t(type, b_lg2)))

/* True if a and b lie in the same 2^c_lg2 aligned block */
#define log2_div_eq_t(type, a, b, c_lg2) \
	(log2_div_t(type, (type)(a) ^ (type)(b), c_lg2) == 0)

/* True if a is the last offset of its 2^b_lg2 block */
#define log2_mod_eq_max_t(type, a, b_lg2)                           \
	({                                                          \
		type __mask_max = log2_to_max_int_t(type, b_lg2);   \
								    \
		((type)(a) & __mask_max) == __mask_max;             \
	})

/* a rounded down to a 2^b_lg2 boundary, with val as its offset */
#define log2_set_mod_t(type, a, val, b_lg2) \
	((type)(((a) & ~log2_to_max_int_t(type, b_lg2)) | (val)))

/* a moved to the last offset of its 2^b_lg2 block */
#define log2_set_mod_max_t(type, a, b_lg2) \
	((type)((a) | log2_to_max_int_t(type, b_lg2)))

/* Index of the lowest set bit; a must not be 0 */
#define log2_ffs_t(type, a) ((unsigned int)__ffs64((u64)(type)(a)))

/* Index of the lowest clear bit; a must not be all ones */
#define log2_ffz_t(type, a) log2_ffs_t(type, ~(type)(a))

/*
 * One more than the index of the highest set bit, or 0 for 0: the lg2 of the
 * smallest power of two above a.
 */
#define log2_fls_t(type, a) ((unsigned int)fls64((u64)(type)(a)))

#endif
