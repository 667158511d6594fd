// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the lg2 helpers at the edges of their types: lg2 of 0, of 1
 * and of the full width, for both the 64-bit and the 32-bit address types the
 * formats use.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "pt_log2.h"

static void pt_test_log2_u64_limits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, log2_to_int_t(u64, 0), 1ULL);
	KUNIT_EXPECT_EQ(test, log2_to_int_t(u64, 63), 1ULL << 63);

	KUNIT_EXPECT_EQ(test, log2_to_max_int_t(u64, 0), 0ULL);
	KUNIT_EXPECT_EQ(test, log2_to_max_int_t(u64, 1), 1ULL);
	KUNIT_EXPECT_EQ(test, log2_to_max_int_t(u64, 63), U64_MAX >> 1);
	KUNIT_EXPECT_EQ(test, log2_to_max_int_t(u64, 64), U64_MAX);

	KUNIT_EXPECT_EQ(test, log2_div_t(u64, U64_MAX, 0), U64_MAX);
	KUNIT_EXPECT_EQ(test, log2_div_t(u64, U64_MAX, 63), 1ULL);
	KUNIT_EXPECT_EQ(test, log2_div_t(u64, U64_MAX, 64), 0ULL);

	KUNIT_EXPECT_EQ(test, log2_mod_t(u64, U64_MAX, 0), 0ULL);
	KUNIT_EXPECT_EQ(test, log2_mod_t(u64, U64_MAX, 12), 0xfffULL);
	KUNIT_EXPECT_EQ(test, log2_mod_t(u64, U64_MAX, 64), U64_MAX);

	KUNIT_EXPECT_EQ(test, log2_mul_t(u64, 1, 63), 1ULL << 63);
	KUNIT_EXPECT_EQ(test, log2_mul_t(u64, 3, 63), 1ULL << 63);
}

static void pt_test_log2_u32_limits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, log2_to_int_t(u32, 31), 1U << 31);
	KUNIT_EXPECT_EQ(test, log2_to_max_int_t(u32, 0), 0U);
	KUNIT_EXPECT_EQ(test, log2_to_max_int_t(u32, 31), U32_MAX >> 1);
	KUNIT_EXPECT_EQ(test, log2_to_max_int_t(u32, 32), U32_MAX);
	KUNIT_EXPECT_EQ(test, log2_div_t(u32, U32_MAX, 31), 1U);
	KUNIT_EXPECT_EQ(test, log2_div_t(u32, U32_MAX, 32), 0U);
	KUNIT_EXPECT_EQ(test, log2_mod_t(u32, U32_MAX, 32), U32_MAX);
	/* Arithmetic stays in the type: no promotion leaks into the result */
	KUNIT_EXPECT_EQ(test, log2_mul_t(u32, 3, 31), 1U << 31);
}

static void pt_test_log2_blocks(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, log2_div_eq_t(u64, 0x1000, 0x1fff, 12));
	KUNIT_EXPECT_FALSE(test, log2_div_eq_t(u64, 0x1fff, 0x2000, 12));
	KUNIT_EXPECT_TRUE(test, log2_div_eq_t(u64, 0, U64_MAX, 64));
	KUNIT_EXPECT_FALSE(test, log2_div_eq_t(u64, 0, U64_MAX, 63));

	KUNIT_EXPECT_TRUE(test, log2_mod_eq_max_t(u64, 0x1fff, 12));
	KUNIT_EXPECT_FALSE(test, log2_mod_eq_max_t(u64, 0x1ffe, 12));
	KUNIT_EXPECT_TRUE(test, log2_mod_eq_max_t(u64, U64_MAX, 64));

	KUNIT_EXPECT_EQ(test, log2_set_mod_t(u64, 0x12345, 0x10, 12), 0x12010ULL);
	KUNIT_EXPECT_EQ(test, log2_set_mod_t(u64, U64_MAX, 0, 64), 0ULL);
	KUNIT_EXPECT_EQ(test, log2_set_mod_max_t(u64, 0x12345, 12), 0x12fffULL);
	KUNIT_EXPECT_EQ(test, log2_set_mod_max_t(u32, 0, 32), U32_MAX);
}

static void pt_test_log2_bit_search(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, log2_ffs_t(u64, 1ULL << 63), 63);
	KUNIT_EXPECT_EQ(test, log2_ffs_t(u64, 0x3000), 12);
	KUNIT_EXPECT_EQ(test, log2_ffs_t(u32, 1U << 31), 31);
	KUNIT_EXPECT_EQ(test, log2_ffz_t(u64, U64_MAX >> 1), 63);
	KUNIT_EXPECT_EQ(test, log2_ffz_t(u32, 0xfff), 12);

	KUNIT_EXPECT_EQ(test, log2_fls_t(u64, 0), 0);
	KUNIT_EXPECT_EQ(test, log2_fls_t(u64, 1), 1);
	KUNIT_EXPECT_EQ(test, log2_fls_t(u64, U64_MAX), 64);
	KUNIT_EXPECT_EQ(test, log2_fls_t(u32, U32_MAX), 32);
}

static struct kunit_case pt_log2_test_cases[] = {
	KUNIT_CASE(pt_test_log2_u64_limits),
	KUNIT_CASE(pt_test_log2_u32_limits),
	KUNIT_CASE(pt_test_log2_blocks),
	KUNIT_CASE(pt_test_log2_bit_search),
	{}
};

static struct kunit_suite pt_log2_test_suite = {
	.name = "generic_pt_log2",
	.test_cases = pt_log2_test_cases,
};

kunit_test_suites(&pt_log2_test_suite);

MODULE_DESCRIPTION("KUnit tests of the generic page table lg2 helpers");
MODULE_LICENSE("GPL");
