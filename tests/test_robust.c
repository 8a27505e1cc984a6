/* test_robust.c -- what a freshly booted machine of any size must still
 * give: ZONE_DMA pages and DMA objects, because the boot allocator keeps
 * its data above 16 MiB (chapter 2) when the machine has memory there. */
#include <stdio.h>
#include <string.h>
#include "test.h"

static const char *const sizes[] = {
	"16M", "17M", "64M", "256M", "1G", "2G", "3G", "4G",
};

static struct zone *dma_zone(void)
{
	return &contig_page_data.node_zones[ZONE_DMA];
}

/* The first free frame after boot: the one after the firmware and the
 * kernel image, and on a 16 MiB machine, which has nothing above the boot
 * allocator's goal, the one after mem_map. */
static unsigned long first_free_pfn(void)
{
	unsigned long map = PAGE_ALIGN(max_pfn * sizeof(struct page))
			    >> PAGE_SHIFT;

	return 512 + (max_pfn <= 4096 ? map : 0);
}

/* ZONE_DMA's free pages after boot: everything from there up */
static unsigned long dma_free_after_boot(void)
{
	return 4096 - first_free_pfn();
}

static void boot_size(const char *size)
{
	char cmd[64];

	snprintf(cmd, sizeof cmd, "mem=%s quiet" KERNEL_HALF, size);
	BOOT(cmd);
}

static void test_dma_zone_free_after_boot(void)
{
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		boot_size(sizes[i]);
		CU_ASSERT_EQUAL(dma_zone()->free_pages, dma_free_after_boot());
		CU_ASSERT_EQUAL(dma_zone()->present_pages, 4096);  /* no holes */
		CU_ASSERT_TRUE(buddy_check());
		mm_shutdown();
	}
}

static void test_alloc_pages_gfp_dma_on_every_size(void)
{
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct page *page;
		unsigned long before;

		boot_size(sizes[i]);
		before = dma_zone()->free_pages;
		page = alloc_pages(GFP_DMA, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(page);
		CU_ASSERT_PTR_EQUAL(page_zone(page), dma_zone());
		CU_ASSERT_EQUAL(page_to_pfn(page), first_free_pfn());
		CU_ASSERT_EQUAL(dma_zone()->free_pages, before - 1);
		/* an order-3 block too: 32 KiB below 16 MiB */
		struct page *block = alloc_pages(GFP_DMA, 3);
		CU_ASSERT_PTR_NOT_NULL_FATAL(block);
		CU_ASSERT_EQUAL(page_to_pfn(block),
				(first_free_pfn() + 8) & ~7UL);
		CU_ASSERT_EQUAL(dma_zone()->free_pages, before - 9);
		__free_pages(block, 3);
		__free_pages(page, 0);
		CU_ASSERT_EQUAL(dma_zone()->free_pages, before);
		CU_ASSERT_TRUE(buddy_check());
		mm_shutdown();
	}
}

static void test_kmalloc_gfp_dma_on_every_size(void)
{
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char *p;

		boot_size(sizes[i]);
		p = kmalloc(100, GFP_DMA);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		/* the size-128(DMA) cache's first slab: the first free frame */
		CU_ASSERT_EQUAL(page_to_pfn(virt_to_page(p)), first_free_pfn());
		CU_ASSERT_PTR_EQUAL(page_zone(virt_to_page(p)), dma_zone());
		memset(p, 0x5a, 100);
		CU_ASSERT_EQUAL(p[99], 0x5a);
		kfree(p);
		CU_ASSERT_TRUE(buddy_check());
		mm_shutdown();
	}
}

TEST_SUITE(robust, "ch02 boot memory leaves ZONE_DMA free", NULL, NULL,
	{ "ZONE_DMA free after boot, 16M to 4G",
	  test_dma_zone_free_after_boot },
	{ "alloc_pages(GFP_DMA) on every size",
	  test_alloc_pages_gfp_dma_on_every_size },
	{ "kmalloc(GFP_DMA) on every size",
	  test_kmalloc_gfp_dma_on_every_size })
