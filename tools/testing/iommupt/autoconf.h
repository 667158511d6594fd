/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel configuration the harness compiles the page table code for: a
 * 64-bit architecture with ARCH_HAS_PMEM_API, so that incoherent walkers are
 * supported and their cache write-backs can be checked. The Makefile adds
 * CONFIG_DEBUG_GENERIC_PT for the debug build.
 */
#define CONFIG_64BIT 1
#define CONFIG_PHYS_ADDR_T_64BIT 1
#define CONFIG_ARCH_HAS_PMEM_API 1
