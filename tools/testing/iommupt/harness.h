/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the formats, each compiled from the kernel's
 * drivers/iommu/generic_pt/fmt/iommu_FMT.c with the harness shims, and the
 * test programs, which see no kernel header: a table is driven through
 * struct hfmt exactly as an IOMMU driver drives it through iommu_domain_ops.
 */
#ifndef _IOMMUPT_HARNESS_H
#define _IOMMUPT_HARNESS_H

#include <linux/bits.h>
#include <linux/types.h>

/* Same values as <linux/iommu.h> */
#define H_READ		BIT(0)
#define H_WRITE		BIT(1)
#define H_CACHE		BIT(2)
#define H_NOEXEC	BIT(3)
#define H_MMIO		BIT(4)
#define H_PRIV		BIT(5)
#define H_DIRTY_NO_CLEAR BIT(0)

/* Same values as enum pt_features */
#define HF_DMA_INCOHERENT	BIT(0)
#define HF_FULL_VA		BIT(1)
#define HF_DYNAMIC_TOP		BIT(2)
#define HF_SIGN_EXTEND		BIT(3)
#define HF_FLUSH_RANGE		BIT(4)
#define HF_NO_GAPS		BIT(5)
#define HF_FMT(n)		BIT(6 + (n))
/* The format features, same values as the enums of common.h */
#define HF_AMDV1_SME		HF_FMT(0)
#define HF_AMDV1_FC		HF_FMT(1)
#define HF_X86_64_SME		HF_FMT(0)
#define HF_VTDSS_SNP		HF_FMT(0)
#define HF_VTDSS_FW		HF_FMT(1)
#define HF_ARMV8_G16		HF_FMT(0)
#define HF_ARMV8_G64		HF_FMT(1)
#define HF_ARMV8_S2		HF_FMT(2)
#define HF_ARMV8_DBM		HF_FMT(3)
#define HF_ARMV8_NS		HF_FMT(4)

/**
 * struct hcfg - One configuration of a format
 * @name: Short name, unique within the format
 * @features: enum pt_features bits
 * @vasz: hw_max_vasz_lg2
 * @oasz: hw_max_oasz_lg2
 * @level: starting or top level for the formats that take one
 *
 * What the configuration allows (page sizes, VA and OA bits, dirty
 * tracking) the model works out by itself, see model.c.
 */
struct hcfg {
	const char *name;
	unsigned int features;
	u8 vasz;
	u8 oasz;
	s8 level;
};

struct htable;

/**
 * struct hhw - What pt_iommu_FMT_hw_info() hands the driver, in one shape
 *     for every format
 * @root: Physical address of the top table as the driver programs it
 *     (amdv1/mock host_pt_root, x86_64 gcr3_pt, vtdss ssptptr, armv8 ttbr);
 *     it may carry the AMD SME C-bit
 * @mode: amdv1/mock: the DTE mode (levels); x86_64: levels; vtdss: the
 *     context entry AW encoding; armv8: unused
 * @tsz: armv8: T0SZ or S2T0SZ
 * @tg: armv8: TG0 or S2TG
 * @sl: armv8: S2SL0
 * @ps: armv8: IPS or S2PS
 * @sh: armv8: SH0 or S2SH0 of table walks
 * @irgn: armv8: IRGN0 or S2IR0 of table walks
 * @orgn: armv8: ORGN0 or S2OR0 of table walks
 * @mair: armv8: the MAIR stage 1 AttrIndx selects from
 */
struct hhw {
	u64 root;
	u8 mode;
	u8 tsz, tg, sl, ps, sh, irgn, orgn;
	u64 mair;
};

/**
 * struct hfmt - One format compiled from the kernel sources
 * @name: The format name of the kernel symbols (amdv1, mock, ...)
 * @cfgs: Its configurations
 * @num_cfgs: How many
 * @create: pt_iommu_FMT_init() on a new domain; NULL and *err on failure
 * @destroy: pt_iommu_deinit() and the domain freed
 * @map: map_pages()
 * @unmap: unmap_pages() then the driver's IOTLB sync
 * @iova_to_phys: iova_to_phys()
 * @set_dirty: pt_iommu_FMT_set_dirty(), what the hardware does on a write
 * @read_and_clear_dirty: read_and_clear_dirty() then the IOTLB sync
 * @pgsize_bitmap: The domain's pgsize_bitmap after init
 * @top_level: The top level of the table now
 * @sw_bits: Item bits the CPU may set without a write back (the software
 *     flush bit), ignored when the device view is compared
 * @top_unused: The part of the top table's memory past its last item (a
 *     top narrower than a table), which no walker reads: [*start, *end)
 * @hw_info: pt_iommu_FMT_hw_info(), in the format-neutral struct hhw
 * @table_spans: Record in hrec.spans every table below the top whose VA
 *     span meets [@iova, @last], and a dynamic top: what an operation on that
 *     range may take out of the tree, and a walk cache may hold
 */
struct hfmt {
	const char *name;
	const struct hcfg *cfgs;
	unsigned int num_cfgs;
	struct htable *(*create)(const struct hcfg *cfg, int *err);
	void (*destroy)(struct htable *t);
	int (*map)(struct htable *t, u64 iova, u64 pa,
		   u64 pgsize, u64 pgcount, int prot,
		   u64 *mapped);
	u64 (*unmap)(struct htable *t, u64 iova, u64 pgsize, u64 pgcount);
	u64 (*iova_to_phys)(struct htable *t, u64 iova);
	int (*set_dirty)(struct htable *t, u64 iova);
	int (*read_and_clear_dirty)(struct htable *t, u64 iova,
				    u64 size, unsigned long flags);
	u64 (*pgsize_bitmap)(struct htable *t);
	unsigned int (*top_level)(struct htable *t);
	u64 (*sw_bits)(struct htable *t);
	void (*top_unused)(struct htable *t, void **start, void **end);
	void (*hw_info)(struct htable *t, struct hhw *hw);
	void (*table_spans)(struct htable *t, u64 iova, u64 last);
};

#ifndef U64_MAX
#define U64_MAX (~(u64)0)
#endif

extern const struct hfmt hfmt_amdv1, hfmt_mock, hfmt_x86_64, hfmt_vtdss,
	hfmt_armv8_4k, hfmt_armv8_16k, hfmt_armv8_64k;
extern const struct hfmt *const hfmts[];
/* The format of a fuzz target, hfmt_FMT set at link time: see the Makefile */
extern const struct hfmt iommupt_fuzz_fmt;
extern const unsigned int num_hfmts;

/* What the driver side saw during the last operation */
struct hrange {
	u64 start, last;
};

/* A table in the tree before an operation: its memory and its VA span */
struct hspan {
	void *table;
	u64 bytes;
	u64 start, last;
};

#define H_MAX_RECORDS 4096
struct hrecord {
	/* IOTLB invalidations (iotlb_sync with a non-empty gather) */
	struct hrange flushed[H_MAX_RECORDS];
	/* The gather's pgsize of each */
	u64 flushed_pgsize[H_MAX_RECORDS];
	unsigned int num_flushed;
	/* Table pages the syncs freed, and how many syncs there were then */
	void *freed[H_MAX_RECORDS];
	unsigned int freed_after[H_MAX_RECORDS];
	unsigned int num_freed;
	/* hfmt.table_spans() before the operation */
	struct hspan spans[H_MAX_RECORDS];
	unsigned int num_spans;
	/* read_and_clear_dirty() reports */
	struct hrange dirty[H_MAX_RECORDS];
	unsigned int num_dirty;
	bool overflow;
	/* change_top() calls */
	unsigned int top_changes;
	unsigned int last_top_level;
};

extern struct hrecord hrec;
void hrec_reset(void);
void hrec_flushed(u64 start, u64 last, u64 pgsize);
void hrec_freed(void *page);
void hrec_span(void *table, u64 bytes, u64 start, u64 last);

/* mem.c: table memory */
void hmem_init(void);
long hmem_pages_in_use(void);
long hmem_iommu_pages(void);
/* Forget the allocation count between tables */
void hmem_reset(void);
/* End an RCU grace period: run the callbacks call_rcu() queued */
void hrcu_barrier(void);
/* Fail the n-th allocation from now (1 = the next one); 0 never */
void hmem_fail_alloc_at(unsigned int n);
unsigned int hmem_allocs(void);
/*
 * Compare the device view of every page in use, but for @sw_bits and the
 * bytes [@skip_start, @skip_end) that no walker reads
 */
bool hmem_device_view_ok(u64 sw_bits, void *skip_start, void *skip_end,
			 char *why, size_t len);
/* The hardware wrote the table itself: make its view match the CPU's */
void hmem_device_view_sync(void);
/*
 * Read the 8 bytes of table memory at physical address @pa as a walker
 * sees them: from the device view if @device (a walker that does not
 * snoop), else from the CPU's. False if @pa is not in a live table page.
 */
bool hmem_device_read(u64 pa, bool device, u64 *val);
/* True if the page holding @va is allocated */
bool hmem_live(const void *va);
/* hmem_allocs() when the page holding @va was allocated */
unsigned int hmem_alloc_seq(const void *va);

/* Problems the shims saw: WARN_ON in the page table code, bad pointers */
extern unsigned int hwarns;
extern char hwarn_msg[256];

#endif
