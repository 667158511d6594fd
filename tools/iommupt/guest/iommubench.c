// SPDX-License-Identifier: GPL-2.0
/*
 * iommubench: time iommu_map(), iommu_unmap() and iommu_iova_to_phys() of a
 * real IOMMU driver's paging domain, for "iommupt bench --vm".
 *
 * It uses only the IOMMU API of Linux 6.12, so that the same source is built
 * against the unpatched kernel (the driver's own page table code) and the
 * patched one (the generic page table) and the two can be compared.
 *
 * It binds to the PCI device vendor:device as its driver, one that manages
 * the device's DMA itself (driver_managed_dma, as VFIO's): binding is what
 * gives the device its IOMMU group where the firmware describes the IOMMU
 * (6.12 on a device tree reads the device's "iommu-map" in dma_configure,
 * at driver probe, so an arm64 virt machine's edu with no driver has no
 * group), and the device must sit behind the IOMMU with no other driver.
 * It allocates a paging domain for it and attaches it, which is where a
 * driver that sizes its table at attach (6.12's VT-d) gets the level count
 * the IOMMU supports. Then, for every leaf size of sizes=
 * and every count of counts=, it maps count leaves of that size in one call,
 * looks up each leaf and unmaps them in one call: calls= such calls in a
 * batch at consecutive IOVAs, the guest clock read with ktime_get_ns()
 * around each batch, batches= timed batches after one warm-up batch. Every
 * call is checked: map returns 0, the lookup gives the address mapped,
 * unmap returns the size mapped and the lookup then gives 0. It prints the
 * sum and the minimum of the batches' nanoseconds and the cost of reading
 * the clock, one line per row and operation; the host works out ns per call.
 *
 * Every row maps each IOVA to a physical address aligned like it, so the
 * core maps an aligned run of count leaves with the largest page size that
 * covers it (an AMD v1 256 x 4K is one leaf of 1M). For each count of
 * skew_counts= there is one more row of the smallest size whose physical
 * address is skew= bytes past that alignment: no larger page fits, so
 * iommu_map() makes one map_pages() call of count pages of the smallest
 * size, and the table holds that many leaves.
 *
 * It then proves that the table it timed is the one the IOMMU walks, with
 * the level count asked for (aw=, the input address width in bits): a map at
 * 2^aw must be refused, and the device (QEMU's "edu", whose DMA engine
 * copies between memory and a 4 KiB buffer of its own) copies a page mapped
 * at the last 4 KiB below 2^aw into its buffer and back out to a second page
 * mapped below it, which must then hold the first page's bytes (2 KiB of
 * them: QEMU 7.2's edu cannot copy its whole buffer). Only a table
 * of that many levels translates those IOVAs: the walk of fewer levels does
 * not reach them, and an IOMMU offering only fewer levels refuses more.
 *
 * Any failure is printed as "iommubench: FAILED: ..." and fails the load.
 */
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/string.h>

static ushort vendor = 0x1234;
module_param(vendor, ushort, 0444);
MODULE_PARM_DESC(vendor, "PCI vendor ID of the device (default QEMU's edu)");

static ushort device = 0x11e8;
module_param(device, ushort, 0444);
MODULE_PARM_DESC(device, "PCI device ID of the device (default QEMU's edu)");

static uint aw;
module_param(aw, uint, 0444);
MODULE_PARM_DESC(aw, "Input address width in bits the IOMMU offers; 0 skips the check");

static ulong sizes[16] = { SZ_4K, SZ_2M, SZ_1G };
static int nr_sizes = 3;
module_param_array(sizes, ulong, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "Leaf sizes in bytes, one row each");

static uint counts[4] = { 1, 256 };
static int nr_counts = 2;
module_param_array(counts, uint, &nr_counts, 0444);
MODULE_PARM_DESC(counts, "Leaves per call, one row each with every size");

static uint skew_counts[4];
static int nr_skew_counts;
module_param_array(skew_counts, uint, &nr_skew_counts, 0444);
MODULE_PARM_DESC(skew_counts, "Leaves per call of the rows of the smallest size whose physical address is skew= bytes off the IOVA's alignment");

static ulong skew = SZ_4K;
module_param(skew, ulong, 0444);
MODULE_PARM_DESC(skew, "Offset of the physical address of the skew_counts= rows, an odd multiple of the smallest size (default 4K)");

static uint batches = 500;
module_param(batches, uint, 0444);
MODULE_PARM_DESC(batches, "Timed batches per row");

static uint calls = 32;
module_param(calls, uint, 0444);
MODULE_PARM_DESC(calls, "Calls per batch, fewer for rows of more than 2 GiB a call");

/* The IOVA space of a row's batch: calls= calls, or one if that is more */
#define BENCH_ROW_IOVA	SZ_64G

/* Every row maps to this physical address and up: nothing reads it */
#define BENCH_PA	SZ_1G

/* QEMU's edu device: its registers in BAR 0 and its DMA engine */
#define EDU_IDENT	0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	BIT(0)
#define EDU_DMA_TO_RAM	BIT(1)
#define EDU_BUFFER	0x40000
/* Less than its 4 KiB buffer: QEMU 7.2 refuses a copy that ends at its end */
#define EDU_DMA_LEN	2048

enum bench_op { OP_MAP, OP_LOOKUP, OP_UNMAP, OP_COUNT };
static const char *const op_names[OP_COUNT] = { "map", "iova_to_phys", "unmap" };

struct bench_time {
	u64 sum;
	u64 min;
};

static void bench_add(struct bench_time *t, u64 ns)
{
	t->sum += ns;
	if (ns < t->min)
		t->min = ns;
}

/* What two back-to-back reads of the clock cost: taken off every batch */
static void bench_clock(void)
{
	struct bench_time t = { .min = U64_MAX };
	unsigned int i;
	u64 t0;

	for (i = 0; i < batches; i++) {
		t0 = ktime_get_ns();
		bench_add(&t, ktime_get_ns() - t0);
	}
	pr_info("iommubench: clock batches=%u sum_ns=%llu min_ns=%llu\n",
		batches, t.sum, t.min);
}

static unsigned int bench_calls(unsigned long span)
{
	return clamp_t(u64, BENCH_ROW_IOVA / span, 1, calls);
}

/*
 * One row: N calls of COUNT leaves of SIZE each, at IOVA and up, mapped to
 * BENCH_PA + PA_OFF and up
 */
static int bench_row(struct iommu_domain *domain, unsigned long size,
		     unsigned int count, unsigned long pa_off,
		     unsigned long iova)
{
	phys_addr_t pa = BENCH_PA + pa_off;
	struct bench_time t[OP_COUNT];
	unsigned long span = size * count;
	unsigned int n, b, i, j;
	phys_addr_t phys;
	size_t unmapped;
	int ret = 0;
	u64 t0;

	n = bench_calls(span);
	for (i = 0; i < OP_COUNT; i++)
		t[i] = (struct bench_time){ .min = U64_MAX };

	/* Batch 0 warms up: tables allocated, code and data in cache */
	for (b = 0; b <= batches; b++) {
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			ret |= iommu_map(domain, iova + i * span,
					 pa + i * span, span,
					 IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
		if (b)
			bench_add(&t[OP_MAP], ktime_get_ns() - t0);
		if (ret) {
			pr_err("iommubench: FAILED: iommu_map of %u x %#lx at IOVA %#lx: %d\n",
			       count, size, iova, ret);
			return ret;
		}

		/* One lookup per leaf, in the middle of the leaf */
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			for (j = 0; j < count; j++)
				iommu_iova_to_phys(domain, iova + i * span +
						   j * size + size / 2);
		if (b)
			bench_add(&t[OP_LOOKUP], ktime_get_ns() - t0);
		/* Checked one by one outside the clock */
		for (i = 0; i < n; i++) {
			for (j = 0; j < count; j++) {
				unsigned long off = i * span + j * size + size / 2;

				phys = iommu_iova_to_phys(domain, iova + off);
				if (phys != pa + off) {
					pr_err("iommubench: FAILED: IOVA %#lx gives %pa, mapped to %#lx\n",
					       iova + off, &phys,
					       (unsigned long)(pa + off));
					return -EIO;
				}
			}
		}

		t0 = ktime_get_ns();
		unmapped = 0;
		for (i = 0; i < n; i++)
			unmapped += iommu_unmap(domain, iova + i * span, span);
		if (b)
			bench_add(&t[OP_UNMAP], ktime_get_ns() - t0);
		if (unmapped != (size_t)n * span) {
			pr_err("iommubench: FAILED: iommu_unmap of %u x %u x %#lx at IOVA %#lx unmapped %#zx\n",
			       n, count, size, iova, unmapped);
			return -EIO;
		}
		for (i = 0; i < n; i++) {
			phys = iommu_iova_to_phys(domain, iova + i * span + span - 1);
			if (phys) {
				pr_err("iommubench: FAILED: IOVA %#lx still gives %pa after the unmap\n",
				       iova + i * span + span - 1, &phys);
				return -EIO;
			}
		}
	}
	for (i = 0; i < OP_COUNT; i++)
		pr_info("iommubench: row op=%s size=%lu count=%u skew=%lu calls=%u batches=%u sum_ns=%llu min_ns=%llu leaf=%s\n",
			op_names[i], size, count, pa_off,
			i == OP_LOOKUP ? n * count : n, batches, t[i].sum,
			t[i].min, size & domain->pgsize_bitmap ? "yes" : "no");
	return 0;
}

static int edu_dma(void __iomem *regs, u64 src, u64 dst, u32 cmd)
{
	unsigned int i;

	writeq(src, regs + EDU_DMA_SRC);
	writeq(dst, regs + EDU_DMA_DST);
	writeq(EDU_DMA_LEN, regs + EDU_DMA_COUNT);
	writeq(cmd | EDU_DMA_RUN, regs + EDU_DMA_CMD);
	/* The edu starts the copy 100 ms (of the guest's clock) later */
	for (i = 0; i < 100; i++) {
		msleep(20);
		if (!(readq(regs + EDU_DMA_CMD) & EDU_DMA_RUN))
			return 0;
	}
	return -ETIMEDOUT;
}

/* The device copies a page at the top of the IOVA space through the table */
static int check_levels(struct iommu_domain *domain, struct pci_dev *pdev)
{
	unsigned long top = 1UL << aw, src_iova = top - SZ_4K,
		      dst_iova = top - SZ_8K;
	struct page *src, *dst;
	void __iomem *regs;
	int ret, bad;

	ret = iommu_map(domain, top, BENCH_PA, SZ_4K, IOMMU_READ, GFP_KERNEL);
	if (!ret) {
		iommu_unmap(domain, top, SZ_4K);
		pr_err("iommubench: FAILED: a map at %#lx (2^%u) was accepted: the table reaches beyond %u bits\n",
		       top, aw, aw);
		return -EIO;
	}
	pr_info("iommubench: levels: a map at %#lx (2^%u) is refused: %d\n",
		top, aw, ret);

	src = alloc_page(GFP_KERNEL);
	dst = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!src || !dst) {
		ret = -ENOMEM;
		goto out_pages;
	}
	get_random_bytes(page_address(src), PAGE_SIZE);
	ret = iommu_map(domain, src_iova, page_to_phys(src), SZ_4K, IOMMU_READ,
			GFP_KERNEL);
	if (ret)
		goto out_pages;
	ret = iommu_map(domain, dst_iova, page_to_phys(dst), SZ_4K, IOMMU_WRITE,
			GFP_KERNEL);
	if (ret)
		goto out_src;

	ret = pci_enable_device_mem(pdev);
	if (ret)
		goto out_dst;
	regs = pci_iomap(pdev, 0, 0);
	if (!regs) {
		ret = -ENOMEM;
		goto out_disable;
	}
	if ((readl(regs + EDU_IDENT) & 0xff) != 0xed) {
		pr_err("iommubench: FAILED: %s is not an edu device (ident %#x)\n",
		       pci_name(pdev), readl(regs + EDU_IDENT));
		ret = -ENODEV;
		goto out_unmap_bar;
	}
	pci_set_master(pdev);
	ret = edu_dma(regs, src_iova, EDU_BUFFER, 0);
	if (!ret)
		ret = edu_dma(regs, EDU_BUFFER, dst_iova, EDU_DMA_TO_RAM);
	pci_clear_master(pdev);
	if (ret) {
		pr_err("iommubench: FAILED: the edu DMA did not finish: %d\n", ret);
		goto out_unmap_bar;
	}
	bad = memcmp(page_address(src), page_address(dst), EDU_DMA_LEN) ||
	      memchr_inv(page_address(dst) + EDU_DMA_LEN, 0,
			 PAGE_SIZE - EDU_DMA_LEN);
	if (bad) {
		pr_err("iommubench: FAILED: the device copied %d bytes from IOVA %#lx to IOVA %#lx, and the page there does not hold them\n",
		       EDU_DMA_LEN, src_iova, dst_iova);
		ret = -EIO;
	} else {
		pr_info("iommubench: levels: the device copied %d bytes from IOVA %#lx to IOVA %#lx through the table: %u-bit table in effect\n",
			EDU_DMA_LEN, src_iova, dst_iova, aw);
	}
out_unmap_bar:
	pci_iounmap(pdev, regs);
out_disable:
	pci_disable_device(pdev);
out_dst:
	if (iommu_unmap(domain, dst_iova, SZ_4K) != SZ_4K && !ret)
		ret = -EIO;
out_src:
	if (iommu_unmap(domain, src_iova, SZ_4K) != SZ_4K && !ret)
		ret = -EIO;
out_pages:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
	if (ret)
		pr_err("iommubench: FAILED: the level check: %d\n", ret);
	return ret;
}

/* The whole benchmark, from the probe of the device */
static int iommubench_run(struct pci_dev *pdev)
{
	struct iommu_domain *domain;
	unsigned long iova = 0;
	int ret = 0, s, c;

	if (!device_iommu_mapped(&pdev->dev)) {
		pr_err("iommubench: FAILED: %s is not behind an IOMMU\n",
		       pci_name(pdev));
		return -ENODEV;
	}
	domain = iommu_paging_domain_alloc(&pdev->dev);
	if (IS_ERR(domain)) {
		ret = PTR_ERR(domain);
		pr_err("iommubench: FAILED: iommu_paging_domain_alloc: %d\n", ret);
		return ret;
	}
	ret = iommu_attach_device(domain, &pdev->dev);
	if (ret) {
		pr_err("iommubench: FAILED: iommu_attach_device: %d\n", ret);
		goto out_free;
	}
	pr_info("iommubench: device %s pgsize_bitmap=%#lx aperture_end=%#llx batches=%u calls=%u\n",
		pci_name(pdev), domain->pgsize_bitmap,
		(unsigned long long)domain->geometry.aperture_end, batches,
		calls);

	bench_clock();
	/* Each row at IOVAs of its own, aligned to the row's span */
	for (c = 0; c < nr_counts && !ret; c++) {
		for (s = 0; s < nr_sizes && !ret; s++) {
			unsigned long span = sizes[s] * counts[c];

			if (!is_power_of_2(span) || sizes[s] < SZ_4K) {
				pr_err("iommubench: FAILED: %u x %#lx is not a power of two\n",
				       counts[c], sizes[s]);
				ret = -EINVAL;
				break;
			}
			iova = ALIGN(iova, span);
			ret = bench_row(domain, sizes[s], counts[c], 0, iova);
			iova += span * bench_calls(span);
		}
	}
	/* The skewed rows: leaves of the smallest size, whatever the span */
	for (c = 0; c < nr_skew_counts && !ret; c++) {
		unsigned long size = sizes[0], span = size * skew_counts[c];

		/* An odd multiple of the size: no larger page is aligned */
		if (!is_power_of_2(span) || size < SZ_4K || skew % size ||
		    !((skew / size) & 1)) {
			pr_err("iommubench: FAILED: %u x %#lx with the physical address %#lx off: not a power of two, or not an odd multiple of the size off\n",
			       skew_counts[c], size, skew);
			ret = -EINVAL;
			break;
		}
		iova = ALIGN(iova, span);
		ret = bench_row(domain, size, skew_counts[c], skew, iova);
		iova += span * bench_calls(span);
	}
	if (!ret && aw)
		ret = check_levels(domain, pdev);

	iommu_detach_device(domain, &pdev->dev);
out_free:
	iommu_domain_free(domain);
	return ret;
}

static struct pci_device_id iommubench_ids[2];
static bool bench_probed;
static int bench_ret;

static int iommubench_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	/* One device: the first to match */
	if (bench_probed)
		return -EBUSY;
	bench_probed = true;
	bench_ret = iommubench_run(pdev);
	/* Bound until the module's init unregisters the driver */
	return 0;
}

static struct pci_driver iommubench_driver = {
	.name = "iommubench",
	.id_table = iommubench_ids,
	.probe = iommubench_probe,
	/* No DMA API: the module attaches a domain of its own */
	.driver_managed_dma = true,
};

static int __init iommubench_init(void)
{
	int ret;

	iommubench_ids[0] = (struct pci_device_id){ PCI_DEVICE(vendor, device) };
	/* Probes the devices already there before it returns */
	ret = pci_register_driver(&iommubench_driver);
	if (ret) {
		pr_err("iommubench: FAILED: pci_register_driver: %d\n", ret);
		return ret;
	}
	pci_unregister_driver(&iommubench_driver);
	if (!bench_probed) {
		pr_err("iommubench: FAILED: no PCI device %04x:%04x without a driver\n",
		       vendor, device);
		return -ENODEV;
	}
	if (!bench_ret)
		pr_info("iommubench: done\n");
	return bench_ret;
}

static void __exit iommubench_exit(void)
{
}

module_init(iommubench_init);
module_exit(iommubench_exit);
MODULE_DESCRIPTION("Time iommu_map/unmap/iova_to_phys of a device's paging domain");
MODULE_LICENSE("GPL");
