// SPDX-License-Identifier: GPL-2.0
/*
 * dmaleak: the planted fault of the iommupt VM runs.
 *
 * Loaded into a guest booted with iommu.debug_pagealloc=1, it maps one page
 * for a real PCI device through the DMA API, which puts it into the
 * device's IOMMU domain (the emulated VT-d's, under "iommupt vm --iommu
 * intel"), and frees the page without unmapping it. The sanitizer must
 * report it exactly once, naming that domain and the IOVA printed here.
 * Then it unmaps the page, as a driver would later: left mapped, the page
 * would be reported again every time its next owners free it.
 *
 * Parameters: class=0xCCSSPP, the PCI class of the device to use (default
 * 0x010802, NVMe).
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>

static uint class = 0x010802;
module_param(class, uint, 0444);
MODULE_PARM_DESC(class, "PCI class code of the device whose domain maps the page");

static int __init dmaleak_init(void)
{
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	struct page *page;
	dma_addr_t iova;

	pdev = pci_get_class(class, NULL);
	if (!pdev) {
		pr_err("dmaleak: no PCI device of class %#x\n", class);
		return -ENODEV;
	}
	domain = iommu_get_domain_for_dev(&pdev->dev);
	if (!domain || !(domain->type & __IOMMU_DOMAIN_DMA_API)) {
		pr_err("dmaleak: %s is not behind a DMA API domain\n",
		       pci_name(pdev));
		pci_dev_put(pdev);
		return -ENODEV;
	}
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		pci_dev_put(pdev);
		return -ENOMEM;
	}
	iova = dma_map_page(&pdev->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(&pdev->dev, iova)) {
		pr_err("dmaleak: dma_map_page failed\n");
		__free_page(page);
		pci_dev_put(pdev);
		return -EIO;
	}
	pr_info("dmaleak: device %s domain %p IOVA %#llx pfn %#lx: freeing it still mapped\n",
		pci_name(pdev), domain, (unsigned long long)iova,
		page_to_pfn(page));
	__free_page(page);
	dma_unmap_page(&pdev->dev, iova, PAGE_SIZE, DMA_TO_DEVICE);
	pr_info("dmaleak: unmapped\n");
	pci_dev_put(pdev);
	return 0;
}

static void __exit dmaleak_exit(void)
{
}

module_init(dmaleak_init);
module_exit(dmaleak_exit);
MODULE_DESCRIPTION("Free a page still mapped for a PCI device, for IOMMU_DEBUG_PAGEALLOC");
MODULE_LICENSE("GPL");
