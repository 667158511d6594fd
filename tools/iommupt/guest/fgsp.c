// SPDX-License-Identifier: GPL-2.0
/*
 * fgsp: what VFIO type1 learns about a device's IOMMU, in the iommupt VM runs.
 *
 * 6.12's vfio_test_domain_fgsp() maps two pages into a new paging domain
 * of the device's IOMMU and unmaps the first: if the unmap returns more
 * than a page, the domain has "fine grained super pages" and VFIO unmaps
 * a page at a time from then on, relying on the size each unmap returns.
 * A driver converted to another page table must return what the old one
 * did. This module makes the same calls, in a paging domain of its own
 * for a real PCI device behind the emulated IOMMU, and prints the size
 * the unmap returned, so that the runs can compare the base's answer with
 * the patched kernel's.
 *
 * Parameters: class=0xCCSSPP, the PCI class of the device (default
 * 0x010802, NVMe).
 */
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>

static uint class = 0x010802;
module_param(class, uint, 0444);
MODULE_PARM_DESC(class, "PCI class code of the device whose IOMMU is asked");

static int __init fgsp_init(void)
{
	int order = get_order(PAGE_SIZE * 2);
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	struct page *pages;
	size_t unmapped;
	int ret;

	pdev = pci_get_class(class, NULL);
	if (!pdev) {
		pr_err("fgsp: no PCI device of class %#x\n", class);
		return -ENODEV;
	}
	domain = iommu_paging_domain_alloc(&pdev->dev);
	if (IS_ERR(domain)) {
		pr_err("fgsp: %s: no paging domain: %ld\n", pci_name(pdev),
		       PTR_ERR(domain));
		pci_dev_put(pdev);
		return PTR_ERR(domain);
	}
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!pages) {
		ret = -ENOMEM;
		goto out_domain;
	}
	/* As VFIO: two pages at an IOVA aligned to their size */
	ret = iommu_map(domain, 0, page_to_phys(pages), PAGE_SIZE * 2,
			IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE, GFP_KERNEL);
	if (ret) {
		pr_err("fgsp: %s: iommu_map failed: %d\n", pci_name(pdev), ret);
		goto out_pages;
	}
	unmapped = iommu_unmap(domain, 0, PAGE_SIZE);
	pr_info("fgsp: %s: mapped %lu, unmapped %lu of it: returned %zu\n",
		pci_name(pdev), PAGE_SIZE * 2, PAGE_SIZE, unmapped);
	if (unmapped == PAGE_SIZE)
		iommu_unmap(domain, PAGE_SIZE, PAGE_SIZE);
out_pages:
	__free_pages(pages, order);
out_domain:
	iommu_domain_free(domain);
	pci_dev_put(pdev);
	return ret;
}

static void __exit fgsp_exit(void)
{
}

module_init(fgsp_init);
module_exit(fgsp_exit);
MODULE_DESCRIPTION("Ask an IOMMU what VFIO type1 asks it: unmap part of a two-page map");
MODULE_LICENSE("GPL");
