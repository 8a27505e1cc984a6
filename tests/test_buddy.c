/* test_buddy.c -- chapter 3: the buddy allocator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

static struct zone *zone(int z) { return &contig_page_data.node_zones[z]; }

/* /proc/buddyinfo as a string (the caller frees it). */
static char *buddyinfo(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	proc_buddyinfo(f);
	fclose(f);
	return text;
}

static void test_boot_frees_everything(void)
{
	BOOT("mem=1G quiet");
	CU_ASSERT_TRUE(buddy_check());
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[MAX_ORDER - 1].nr_free, 32);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_pages, 32768);
	CU_ASSERT_EQUAL(nr_free_pages(), 262144 - bootmem_end_pfn());
	mm_shutdown();
}

static void test_split_sequence_highmem(void)
{
	struct page *a, *b, *c, *d;

	BOOT("mem=1G quiet");
	a = alloc_pages(GFP_HIGHUSER, 0);
	b = alloc_pages(GFP_HIGHUSER, 0);
	c = alloc_pages(GFP_HIGHUSER, 0);
	d = alloc_pages(GFP_HIGHUSER, 2);
	CU_ASSERT_EQUAL(page_to_pfn(a), 261120);
	CU_ASSERT_EQUAL(page_to_pfn(b), 261121);
	CU_ASSERT_EQUAL(page_to_pfn(c), 261122);
	CU_ASSERT_EQUAL(page_to_pfn(d), 261124);
	CU_ASSERT_TRUE(buddy_check());
	__free_pages(d, 2);
	__free_page(c);
	__free_page(b);
	__free_page(a);
	CU_ASSERT_TRUE(buddy_check());
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[MAX_ORDER - 1].nr_free, 32);
	mm_shutdown();
}

static void test_get_free_pages_and_refcounts(void)
{
	char *before, *after;
	void *p;
	struct page *page;

	BOOT("mem=64M quiet");
	before = buddyinfo();
	p = get_zeroed_page(GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(((char *)p)[100], 0);
	page = virt_to_page(p);
	CU_ASSERT_EQUAL(page_count(page), 1);
	get_page(page);
	CU_ASSERT_EQUAL(page_count(page), 2);
	put_page(page);
	CU_ASSERT_EQUAL(page_count(page), 1);
	free_page(p);
	p = __get_free_pages(GFP_KERNEL, 3);
	CU_ASSERT_PTR_NOT_NULL(p);
	free_pages(p, 3);
	after = buddyinfo();
	CU_ASSERT_STRING_EQUAL(before, after);
	CU_ASSERT_TRUE(buddy_check());
	free(before);
	free(after);
	mm_shutdown();
}

static void test_misuse_oopses(void)
{
	struct page *p;

	BOOT("mem=64M quiet");
	p = alloc_pages(GFP_KERNEL, 2);
	CU_ASSERT_EQUAL(oopses(__free_pages(p, 0)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "allocated at order 2"));
	__free_pages(p, 2);
	CU_ASSERT_EQUAL(oopses(__free_pages(p, 2)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "freeing free page"));
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

TEST_SUITE(buddy, "ch03 buddy", NULL, NULL,
	{ "boot frees every frame into the lists", test_boot_frees_everything },
	{ "a known sequence splits as predicted", test_split_sequence_highmem },
	{ "__get_free_pages, get_zeroed_page, refcounts",
	  test_get_free_pages_and_refcounts },
	{ "misuse oopses", test_misuse_oopses })
