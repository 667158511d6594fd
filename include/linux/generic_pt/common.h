/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of a generic page table that a driver can see: the common
 * description every format shares, the feature bits, and one small struct per
 * format that a driver embeds. The encodings themselves are private to
 * drivers/iommu/generic_pt/.
 */
#ifndef __GENERIC_PT_COMMON_H
#define __GENERIC_PT_COMMON_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

/**
 * DOC: Generic page table common description
 *
 * Every table is described by a &struct pt_common. The top table pointer and
 * the top level share the word @top_of_table so that a reader that races with
 * a growing top (%PT_FEAT_DYNAMIC_TOP) always sees a pointer and level that
 * belong together. Tables are arrays of 64-bit items, so a table pointer is
 * always at least 8 byte aligned and its low bits hold the level.
 */

/**
 * struct pt_common - Description of a page table shared by every format
 * @top_of_table: The top table virtual address with the top level in the low
 *     %PT_TOP_LEVEL_BITS bits. Written with WRITE_ONCE() and read with
 *     READ_ONCE() as a single word.
 * @max_oasz_lg2: lg2 of the largest output address plus one, the OA width in
 *     bits that this instance may store in an entry.
 * @max_vasz_lg2: lg2 of the size of the VA space this instance translates.
 *     With %PT_FEAT_SIGN_EXTEND the VA space is split in two halves around 0.
 * @features: Bitmap of enum pt_features, the format's own bits included.
 * @entry_oa_mask: For the formats whose OA field may also hold a bit that is
 *     not address (the SME C-bit of the AMD formats): the bits of an entry
 *     that hold the output address, worked out by pt_fmt_init() from the
 *     features, so that decoding an entry needs no feature test. Unused by
 *     the other formats.
 */
struct pt_common {
	uintptr_t top_of_table;
	u8 max_oasz_lg2;
	u8 max_vasz_lg2;
	unsigned int features;
	u64 entry_oa_mask;
};

/* Low bits of pt_common::top_of_table that hold the top level */
#define PT_TOP_LEVEL_BITS 3
#define PT_TOP_LEVEL_MASK GENMASK(PT_TOP_LEVEL_BITS - 1, 0)

/**
 * enum pt_features - Optional behaviours of a page table
 * @PT_FEAT_DMA_INCOHERENT: The walker does not snoop the CPU caches, so every
 *     table write has to be flushed to memory before the walker may see it.
 *     The format must provide a software bit that records a flushed table.
 * @PT_FEAT_FULL_VA: The VA space spans the full width of the top table; no
 *     bits of the VA are required to be zero above @max_vasz_lg2.
 * @PT_FEAT_DYNAMIC_TOP: The top level starts low and grows as mappings are
 *     made at higher VAs, with the driver told of each new top.
 * @PT_FEAT_SIGN_EXTEND: The VA is sign extended from bit max_vasz_lg2 - 1, so
 *     both the lowest and the highest addresses of the 64-bit space are
 *     usable, with a hole between them.
 * @PT_FEAT_FLUSH_RANGE: The IOTLB invalidation is by range; unmap gathers one
 *     range and may merge separate ranges into one that covers both, whatever
 *     their page sizes; gather->pgsize is then the smallest leaf size
 *     gathered. Without this feature or the next one the driver invalidates
 *     by page size (gather->pgsize as the granule or level hint, as SMMUv3
 *     does), and unmap fills the gather as iommu_iotlb_gather_add_page()
 *     would: one page size and one contiguous range per iotlb_sync.
 * @PT_FEAT_FLUSH_RANGE_NO_GAPS: Like %PT_FEAT_FLUSH_RANGE but a gap between
 *     gathered ranges must not be invalidated (a paravirtualised IOMMU where
 *     an invalidation is expensive per page), so gaps force a flush.
 * @PT_FEAT_FMT_START: The first bit a format may use for its own features.
 */
enum pt_features {
	PT_FEAT_DMA_INCOHERENT,
	PT_FEAT_FULL_VA,
	PT_FEAT_DYNAMIC_TOP,
	PT_FEAT_SIGN_EXTEND,
	PT_FEAT_FLUSH_RANGE,
	PT_FEAT_FLUSH_RANGE_NO_GAPS,
	PT_FEAT_FMT_START,
};

/**
 * struct pt_amdv1 - AMD IOMMU v1 (host) page table
 * @common: The common description
 *
 * Also used by the iommufd selftest "mock" format, which is the same encoding
 * on a 2 KiB granule.
 */
struct pt_amdv1 {
	struct pt_common common;
};

/**
 * enum pt_amdv1_features - Features of the AMD IOMMU v1 format
 * @PT_FEAT_AMDV1_ENCRYPT_TABLES: Every address in the table, table pointer
 *     and leaf alike, and the root in hw_info, carries the memory encryption
 *     C-bit (sme_me_mask, none when SME is off), as 6.12's AMD driver
 *     writes them; the OA is limited to below that bit.
 * @PT_FEAT_AMDV1_FORCE_COHERENCE: Set the FC bit in every leaf so DMA always
 *     snoops, whatever the device asks for.
 */
enum pt_amdv1_features {
	PT_FEAT_AMDV1_ENCRYPT_TABLES = PT_FEAT_FMT_START,
	PT_FEAT_AMDV1_FORCE_COHERENCE,
};

/**
 * struct pt_x86_64 - x86-64 CPU compatible page table (AMD v2, VT-d first
 *     stage)
 * @common: The common description
 */
struct pt_x86_64 {
	struct pt_common common;
};

/**
 * enum pt_x86_64_features - Features of the x86-64 format
 * @PT_FEAT_X86_64_AMD_ENCRYPT_TABLES: Every address in the table, table
 *     pointer and leaf alike, and the root in hw_info, carries the memory
 *     encryption C-bit (sme_me_mask, none when SME is off), as 6.12's AMD
 *     v2 table does; the OA is limited to below that bit.
 */
enum pt_x86_64_features {
	PT_FEAT_X86_64_AMD_ENCRYPT_TABLES = PT_FEAT_FMT_START,
};

/**
 * struct pt_vtdss - Intel VT-d second stage page table
 * @common: The common description
 */
struct pt_vtdss {
	struct pt_common common;
};

/**
 * enum pt_vtdss_features - Features of the VT-d second stage format
 * @PT_FEAT_VTDSS_FORCE_COHERENCE: Set the SNP bit in every leaf so DMA
 *     always snoops, whatever the device asks for.
 * @PT_FEAT_VTDSS_FORCE_WRITEABLE: Refuse read-only leaves: map_pages()
 *     without IOMMU_WRITE fails with -EINVAL and changes nothing. For a
 *     nesting parent on hardware with erratum 772415 (ERRATA_772415_SPR17),
 *     whose IOMMU may write through a read-only second stage entry, as
 *     6.12's __domain_mapping() does for such a domain.
 */
enum pt_vtdss_features {
	PT_FEAT_VTDSS_FORCE_COHERENCE = PT_FEAT_FMT_START,
	PT_FEAT_VTDSS_FORCE_WRITEABLE,
};

/**
 * struct pt_armv8 - Arm VMSAv8-64 long descriptor page table
 * @common: The common description. The granule and the stage are features,
 *     so that everything the walk needs is in one place.
 */
struct pt_armv8 {
	struct pt_common common;
};

/**
 * enum pt_armv8_features - Features of the Arm VMSAv8-64 format
 * @PT_FEAT_ARMV8_GRANULE_16K: 16 KiB granule; without this or
 *     %PT_FEAT_ARMV8_GRANULE_64K the granule is 4 KiB.
 * @PT_FEAT_ARMV8_GRANULE_64K: 64 KiB granule.
 * @PT_FEAT_ARMV8_S2: Stage 2 encoding (S2AP, MemAttr) with concatenated top
 *     tables; otherwise stage 1 (AP, AttrIndx).
 * @PT_FEAT_ARMV8_DBM: Hardware dirty state through the DBM bit: writable
 *     leaves get DBM and are cleaned by making them read-only. The SMMU
 *     must snoop the table: init refuses it with %PT_FEAT_DMA_INCOHERENT.
 * @PT_FEAT_ARMV8_NS: Stage 1 only: leaves access the non-secure address
 *     space (NS) and tables are fetched from it (NSTable).
 *
 * A 52-bit OA (FEAT_LPA) follows from max_oasz_lg2 above 48 with the 64 KiB
 * granule; OA bits 51:48 then live in descriptor bits 15:12.
 */
enum pt_armv8_features {
	PT_FEAT_ARMV8_GRANULE_16K = PT_FEAT_FMT_START,
	PT_FEAT_ARMV8_GRANULE_64K,
	PT_FEAT_ARMV8_S2,
	PT_FEAT_ARMV8_DBM,
	PT_FEAT_ARMV8_NS,
};

#endif
