/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU driver API of the generic page table: the structs a driver
 * embeds in its domain, the per-format init and hw_info calls, and the
 * iommu_domain_ops it plugs in.
 */
#ifndef __GENERIC_PT_IOMMU_H
#define __GENERIC_PT_IOMMU_H

#include <linux/generic_pt/common.h>
#include <linux/iommu.h>
#include <linux/mm_types.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>

struct pt_iommu_ops;
struct pt_iommu_driver_ops;

/**
 * DOC: IOMMU page tables
 *
 * A driver embeds &struct pt_iommu_FMT (for example &struct pt_iommu_amdv1)
 * in its domain, with the &struct iommu_domain of &struct pt_iommu aliasing
 * the domain the driver hands to the IOMMU core (check it with
 * PT_IOMMU_CHECK_DOMAIN()). It sets &pt_iommu.nid and, for
 * %PT_FEAT_DYNAMIC_TOP, &pt_iommu.driver_ops, then calls
 * pt_iommu_FMT_init(). On success the table is empty, the domain's
 * pgsize_bitmap and aperture are set, and the driver programs the hardware
 * from pt_iommu_FMT_hw_info(). IOMMU_PT_DOMAIN_OPS() and
 * IOMMU_PT_DIRTY_OPS() fill the driver's ops with this table's
 * implementation; pt_iommu_deinit() frees every table.
 *
 * Locking: map, unmap, iova_to_phys and read_and_clear_dirty take no lock.
 * The caller guarantees that operations running at the same time never
 * overlap in IOVA; within that rule any number of them may run at once,
 * from any context the gfp passed to map allows.
 *
 * Freed table memory: unmap puts the tables it removes on the gather's
 * freelist (&iommu_iotlb_gather.freelist). The driver's iotlb_sync must free
 * that list with iommu_put_pages_list() once the IOTLB no longer holds any
 * reference to them, as 6.12 drivers already do for their own tables. A
 * driver without iotlb_sync has its flush_iotlb_all called, if any, and the
 * tables go to iommu_put_pages_list() at once. Either way that returns the
 * pages only after an RCU grace period, and deinit frees through it too, so
 * a reader that walks the table under rcu_read_lock() (the debugfs dump)
 * never reads a freed table.
 */

/**
 * struct pt_iommu - The IOMMU side of a generic page table
 * @domain: The iommu_domain the table is used through. The domain ops of
 *     the format find the table from it.
 * @ops: Set by a successful init; NULL before init and after a failed one
 * @driver_ops: Callbacks into the driver, set before init; only needed for
 *     %PT_FEAT_DYNAMIC_TOP
 * @nid: NUMA node to allocate table memory on, or NUMA_NO_NODE
 */
struct pt_iommu {
	struct iommu_domain domain;
	const struct pt_iommu_ops *ops;
	const struct pt_iommu_driver_ops *driver_ops;
	int nid;
};

/**
 * struct pt_iommu_info - What a driver may want to know about a table
 * @pgsize_bitmap: Every leaf size the table can hold, bit n for 2^n bytes
 */
struct pt_iommu_info {
	u64 pgsize_bitmap;
};

/**
 * struct pt_iommu_ops - Format independent calls on an initialised table
 * @get_info: Fill a &struct pt_iommu_info
 * @deinit: Free every table. The caller guarantees that the hardware no
 *     longer walks the table and that no other operation is running.
 */
struct pt_iommu_ops {
	void (*get_info)(struct pt_iommu *iommu_table,
			 struct pt_iommu_info *info);
	void (*deinit)(struct pt_iommu *iommu_table);
};

/**
 * struct pt_iommu_driver_ops - Calls from the table into the driver
 * @change_top: %PT_FEAT_DYNAMIC_TOP grew the table: program the hardware
 *     with the new top table at @top_paddr and level @top_level. Called with
 *     the lock from @get_top_lock held; the old top stays valid as the
 *     first child of the new one, so a walker using either is correct.
 * @get_top_lock: The spinlock that serialises @change_top with the driver's
 *     own users of the top (attach, detach). Taken with spin_lock_irqsave().
 */
struct pt_iommu_driver_ops {
	void (*change_top)(struct pt_iommu *iommu_table, phys_addr_t top_paddr,
			   unsigned int top_level);
	spinlock_t *(*get_top_lock)(struct pt_iommu *iommu_table);
};

/**
 * pt_iommu_deinit() - Free every table of an IOMMU page table
 * @iommu_table: The table
 *
 * Safe on a zeroed &struct pt_iommu that was never initialised and after a
 * failed init, so a driver can use it on every error path.
 */
static inline void pt_iommu_deinit(struct pt_iommu *iommu_table)
{
	if (iommu_table->ops)
		iommu_table->ops->deinit(iommu_table);
}

/**
 * struct pt_iommu_cfg - What the driver asks of a table
 * @features: enum pt_features bits, the format's own included
 * @hw_max_vasz_lg2: The widest IOVA, in bits, the hardware can translate
 * @hw_max_oasz_lg2: The widest physical address, in bits, the hardware can
 *     output
 */
struct pt_iommu_cfg {
	unsigned int features;
	u8 hw_max_vasz_lg2;
	u8 hw_max_oasz_lg2;
};

/*
 * The functions of one compiled instance @name of the format @fmt: the
 * format itself, or for the Arm format one per granule (armv8_4k). The
 * domain ops have exactly the signatures of struct iommu_domain_ops and
 * struct iommu_dirty_ops.
 */
#define PT_IOMMU_INSTANCE_DECLS(name, fmt)                                    \
	int pt_iommu_##name##_init(struct pt_iommu_##fmt *table,             \
				   const struct pt_iommu_##fmt##_cfg *cfg,   \
				   gfp_t gfp);                               \
	void pt_iommu_##name##_hw_info(struct pt_iommu_##fmt *table,         \
				       struct pt_iommu_##fmt##_hw_info *info); \
	phys_addr_t pt_iommu_##name##_iova_to_phys(                          \
		struct iommu_domain *domain, dma_addr_t iova);               \
	int pt_iommu_##name##_map_pages(struct iommu_domain *domain,         \
					unsigned long iova, phys_addr_t paddr, \
					size_t pgsize, size_t pgcount,       \
					int prot, gfp_t gfp, size_t *mapped); \
	size_t pt_iommu_##name##_unmap_pages(                                \
		struct iommu_domain *domain, unsigned long iova,             \
		size_t pgsize, size_t pgcount,                               \
		struct iommu_iotlb_gather *iotlb_gather);                    \
	int pt_iommu_##name##_read_and_clear_dirty(                          \
		struct iommu_domain *domain, unsigned long iova, size_t size, \
		unsigned long flags, struct iommu_dirty_bitmap *dirty);      \
	int pt_iommu_##name##_set_dirty(struct pt_iommu_##fmt *table,        \
					dma_addr_t iova)

/**
 * IOMMU_PT_DOMAIN_OPS() - The iommu_domain_ops members a format provides
 * @fmt: The format name, for example amdv1, or for the Arm format the
 *     name of the granule's instance, for example armv8_4k
 */
#define IOMMU_PT_DOMAIN_OPS(fmt)                              \
	.iova_to_phys = &pt_iommu_##fmt##_iova_to_phys,       \
	.map_pages = &pt_iommu_##fmt##_map_pages,             \
	.unmap_pages = &pt_iommu_##fmt##_unmap_pages

/**
 * IOMMU_PT_DIRTY_OPS() - The iommu_dirty_ops members a format provides
 * @fmt: The format name, as for IOMMU_PT_DOMAIN_OPS()
 *
 * The driver supplies set_dirty_tracking itself: only it knows how the
 * hardware is told to start writing dirty bits.
 */
#define IOMMU_PT_DIRTY_OPS(fmt) \
	.read_and_clear_dirty = &pt_iommu_##fmt##_read_and_clear_dirty

/**
 * PT_IOMMU_CHECK_DOMAIN() - Check that a driver's domain aliases the table's
 * @type: The driver's domain struct
 * @pt_member: Its &struct pt_iommu_FMT member, or that member's iommu
 * @domain_member: Its &struct iommu_domain member
 *
 * The domain ops find the table with container_of() from the domain, so the
 * driver's iommu_domain must be the one inside &struct pt_iommu, usually
 * through a union.
 */
#define PT_IOMMU_CHECK_DOMAIN(type, pt_member, domain_member)   \
	static_assert(offsetof(type, pt_member.domain) ==       \
		      offsetof(type, domain_member))

/**
 * struct pt_iommu_amdv1 - An AMD IOMMU v1 page table
 * @iommu: The IOMMU side
 * @amdpt: The table
 */
struct pt_iommu_amdv1 {
	struct pt_iommu iommu;
	struct pt_amdv1 amdpt;
};

/**
 * struct pt_iommu_amdv1_cfg - Configuration of an AMD IOMMU v1 table
 * @common: Features and hardware limits
 * @starting_level: The top level of the new table, 0 to 5 (DTE mode 1 to
 *     6). With %PT_FEAT_DYNAMIC_TOP the table grows from it up to what
 *     hw_max_vasz_lg2 needs.
 */
struct pt_iommu_amdv1_cfg {
	struct pt_iommu_cfg common;
	unsigned int starting_level;
};

/**
 * struct pt_iommu_amdv1_hw_info - What the DTE needs
 * @host_pt_root: Physical address of the top table
 * @mode: The DTE paging mode, the number of levels
 */
struct pt_iommu_amdv1_hw_info {
	u64 host_pt_root;
	u8 mode;
};

PT_IOMMU_INSTANCE_DECLS(amdv1, amdv1);

/**
 * struct pt_iommu_mock - The iommufd selftest mock table, AMD IOMMU v1 on a
 *     2 KiB granule
 * @iommu: The IOMMU side
 * @amdpt: The table
 */
struct pt_iommu_mock {
	struct pt_iommu iommu;
	struct pt_amdv1 amdpt;
};

/**
 * struct pt_iommu_mock_cfg - Configuration of a mock table
 * @common: Features and hardware limits
 * @starting_level: The top level of the new table, 0 to 5
 */
struct pt_iommu_mock_cfg {
	struct pt_iommu_cfg common;
	unsigned int starting_level;
};

/**
 * struct pt_iommu_mock_hw_info - Where the mock table is
 * @host_pt_root: Physical address of the top table
 * @mode: The number of levels
 */
struct pt_iommu_mock_hw_info {
	u64 host_pt_root;
	u8 mode;
};

PT_IOMMU_INSTANCE_DECLS(mock, mock);

/**
 * struct pt_iommu_x86_64 - An x86-64 compatible page table
 * @iommu: The IOMMU side
 * @x86_64_pt: The table
 */
struct pt_iommu_x86_64 {
	struct pt_iommu iommu;
	struct pt_x86_64 x86_64_pt;
};

/**
 * struct pt_iommu_x86_64_cfg - Configuration of an x86-64 table
 * @common: Features and hardware limits. With %PT_FEAT_SIGN_EXTEND the VA
 *     is the whole canonical space of the walk, 48 or 57 bits with both
 *     halves, and hw_max_vasz_lg2 must reach it. Without, the VA is
 *     [0, 2^hw_max_vasz_lg2), at most the lower half of the walk (47 or 56
 *     bits): a VT-d first stage under an MGAW narrower than the walk, for
 *     example 39 bits on 4 levels.
 * @top_level: The levels the hardware walks: 3 for 4 levels, 4 for 5
 *     levels, whatever the VA width
 */
struct pt_iommu_x86_64_cfg {
	struct pt_iommu_cfg common;
	unsigned int top_level;
};

/**
 * struct pt_iommu_x86_64_hw_info - What the PASID entry or GCR3 needs
 * @gcr3_pt: Physical address of the top table
 * @levels: 4 or 5
 */
struct pt_iommu_x86_64_hw_info {
	u64 gcr3_pt;
	u8 levels;
};

PT_IOMMU_INSTANCE_DECLS(x86_64, x86_64);

/**
 * struct pt_iommu_vtdss - An Intel VT-d second stage page table
 * @iommu: The IOMMU side
 * @vtdss_pt: The table
 */
struct pt_iommu_vtdss {
	struct pt_iommu iommu;
	struct pt_vtdss vtdss_pt;
};

/**
 * struct pt_iommu_vtdss_cfg - Configuration of a VT-d second stage table
 * @common: Features and hardware limits; the IOVA is hw_max_vasz_lg2 wide
 *     and may be narrower than @top_level reaches
 * @top_level: 2, 3 or 4 for the 3, 4 or 5 level AGAW the hardware walks
 */
struct pt_iommu_vtdss_cfg {
	struct pt_iommu_cfg common;
	unsigned int top_level;
};

/**
 * struct pt_iommu_vtdss_hw_info - What the context or PASID entry needs
 * @ssptptr: Physical address of the top table
 * @aw: The address width encoding: 1, 2 or 3 for 3, 4 or 5 levels
 */
struct pt_iommu_vtdss_hw_info {
	u64 ssptptr;
	u8 aw;
};

PT_IOMMU_INSTANCE_DECLS(vtdss, vtdss);

/**
 * struct pt_iommu_armv8 - An Arm VMSAv8-64 long descriptor page table
 * @iommu: The IOMMU side
 * @armpt: The table
 */
struct pt_iommu_armv8 {
	struct pt_iommu iommu;
	struct pt_armv8 armpt;
};

/**
 * struct pt_iommu_armv8_cfg - Configuration of an Arm table
 * @common: Features and hardware limits. The stage is the feature
 *     %PT_FEAT_ARMV8_S2; hw_max_vasz_lg2 is the input address size and
 *     hw_max_oasz_lg2 the output address size of the table.
 *
 * The granule is the instance: pt_iommu_armv8_4k_init(),
 * pt_iommu_armv8_16k_init() or pt_iommu_armv8_64k_init(), each with its
 * own domain ops (IOMMU_PT_DOMAIN_OPS(armv8_4k) and so on), so that the
 * geometry of every walk is a constant. The 16K and 64K instances set
 * %PT_FEAT_ARMV8_GRANULE_16K or %PT_FEAT_ARMV8_GRANULE_64K in the table's
 * features themselves; asking an instance for another granule fails with
 * -EOPNOTSUPP.
 */
struct pt_iommu_armv8_cfg {
	struct pt_iommu_cfg common;
};

/**
 * struct pt_iommu_armv8_hw_info - What the SMMU CD or STE needs
 * @ttbr: Physical address of the top table (TTB0 or S2TTB)
 * @tsz: T0SZ or S2T0SZ, 64 minus the input address size
 * @tg: TG0 or S2TG encoding of the granule: 0 4K, 1 64K, 2 16K
 * @sl: S2SL0, the stage 2 starting level encoding; 0 at stage 1
 * @ps: IPS or S2PS encoding of the output address size
 * @sh: SH0 or S2SH0, the shareability of table walks
 * @irgn: IRGN0 or S2IR0, inner cacheability of table walks
 * @orgn: ORGN0 or S2OR0, outer cacheability of table walks
 * @mair: The MAIR value stage 1 leaves' AttrIndx refer to
 */
struct pt_iommu_armv8_hw_info {
	u64 ttbr;
	u8 tsz;
	u8 tg;
	u8 sl;
	u8 ps;
	u8 sh;
	u8 irgn;
	u8 orgn;
	u64 mair;
};

PT_IOMMU_INSTANCE_DECLS(armv8_4k, armv8);
PT_IOMMU_INSTANCE_DECLS(armv8_16k, armv8);
PT_IOMMU_INSTANCE_DECLS(armv8_64k, armv8);

#endif
