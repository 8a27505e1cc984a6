/* test_buddy.c -- chapter 3: the buddy allocator.  Exact frames for known
 * sequences, splitting and merging, zone fallback, watermarks, __GFP_ZERO,
 * reference counts, /proc/buddyinfo, every misuse, and a randomized run
 * with the invariant checker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

static struct zone *zone(int z) { return &contig_page_data.node_zones[z]; }

/* /proc/buddyinfo as a string (the caller frees it). */
static char *buddyinfo(void)
{
	return proc_text(proc_buddyinfo);
}

/* Assert that the free lists are exactly as in `before`, and consistent. */
#define ASSERT_LISTS_UNCHANGED(before) do {                              \
	char *now_ = buddyinfo();                                       \
	CU_ASSERT_STRING_EQUAL(now_, before);                           \
	free(now_);                                                     \
	CU_ASSERT_TRUE(buddy_check());                                  \
} while (0)

#define ASSERT_OOPS(stmt, text) do {                                     \
	CU_ASSERT_EQUAL(oopses(stmt), 1);                               \
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), text));              \
} while (0)

static unsigned long pfn_of(struct page *p) { return page_to_pfn(p); }

/* Whether n bytes at p all hold v: the contents of a live allocation. */
static bool filled(const void *p, unsigned char v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != v)
			return false;
	return true;
}

/* ------------------------------------------------------------ boot */

static void test_boot_frees_everything(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	CU_ASSERT_TRUE(buddy_check());
	/* HighMem: 229376..262143, 32 blocks of 4 MiB, nothing else */
	for (int o = 0; o < MAX_ORDER - 1; o++)
		CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[o].nr_free, 0);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[MAX_ORDER - 1].nr_free,
			32);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_pages, 32768);
	/* the frames after the boot allocator's are free, or in use by
	 * the later chapters' boot code; nothing below it is free */
	CU_ASSERT_EQUAL(nr_free_pages(), 262144 - bootmem_reserved_pages());
	for (unsigned long pfn = 0; pfn < 262144; pfn += 101)
		CU_ASSERT_EQUAL(PageReserved(pfn_to_page(pfn)),
				bootmem_reserved(pfn));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "Memory: "));
	mm_shutdown();
}

static void test_watermarks_64M_1G(void)
{
	/* present pages are all the frames, as in 2.6.17 i386: 16384 of
	 * them, 65536 KiB, and sqrt(65536 * 16) = 1024 KiB = 256 pages,
	 * shared 1:3 by DMA and Normal */
	BOOT("mem=64M quiet" KERNEL_HALF);
	CU_ASSERT_EQUAL(zone(ZONE_DMA)->present_pages, 4096);
	CU_ASSERT_EQUAL(min_free_kbytes, 1024);
	CU_ASSERT_EQUAL(zone(ZONE_DMA)->pages_min, 64);
	CU_ASSERT_EQUAL(zone(ZONE_DMA)->pages_low, 80);
	CU_ASSERT_EQUAL(zone(ZONE_DMA)->pages_high, 96);
	CU_ASSERT_EQUAL(zone(ZONE_NORMAL)->pages_min, 192);
	CU_ASSERT_EQUAL(zone(ZONE_NORMAL)->pages_low, 240);
	CU_ASSERT_EQUAL(zone(ZONE_NORMAL)->pages_high, 288);
	mm_shutdown();

	BOOT("mem=1G quiet" KERNEL_HALF);                     /* sqrt(917504 * 16) */
	CU_ASSERT_EQUAL(min_free_kbytes, 3831);
	CU_ASSERT_EQUAL(zone(ZONE_DMA)->pages_min, 17);
	CU_ASSERT_EQUAL(zone(ZONE_NORMAL)->pages_min, 939);
	CU_ASSERT_EQUAL(zone(ZONE_NORMAL)->pages_low, 1173);
	CU_ASSERT_EQUAL(zone(ZONE_NORMAL)->pages_high, 1408);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->pages_min, 32);   /* clamped */
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->pages_low, 66);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->pages_high, 100);
	mm_shutdown();

	BOOT("mem=4M quiet" KERNEL_HALF);                     /* sqrt(4096 * 16) */
	CU_ASSERT_EQUAL(min_free_kbytes, 256);
	mm_shutdown();
}

/* ------------------------------------------------------------ exact frames */

static const unsigned int seq_order[6] = { 0, 0, 0, 2, 1, 3 };
static const unsigned long seq_pfn[6] = {
	261120, 261121, 261122, 261124, 261128, 261136 };

static void run_sequence(struct page **p)
{
	for (int i = 0; i < 6; i++)
		p[i] = alloc_pages(GFP_HIGHUSER, seq_order[i]);
}

static void test_known_sequence(void)
{
	struct page *p[6];

	BOOT("mem=1G quiet" KERNEL_HALF);
	run_sequence(p);
	for (int i = 0; i < 6; i++) {
		CU_ASSERT_EQUAL(pfn_of(p[i]), seq_pfn[i]);
		CU_ASSERT_EQUAL(page_count(p[i]), 1);
		CU_ASSERT_FALSE(PageBuddy(p[i]));
		CU_ASSERT_PTR_EQUAL(page_zone(p[i]), zone(ZONE_HIGHMEM));
		CU_ASSERT_PTR_NULL(page_address(p[i]));
	}
	/* the remainders of the splits, exactly */
	struct { unsigned int o; unsigned long pfn; } left[] = {
		{ 0, 261123 }, { 1, 261130 }, { 2, 261132 }, { 3, 261144 },
		{ 5, 261152 }, { 6, 261184 }, { 7, 261248 }, { 8, 261376 },
		{ 9, 261632 } };
	for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
		struct free_area *a = &zone(ZONE_HIGHMEM)->free_area[left[i].o];
		struct page *head = list_first_entry(&a->free_list,
						     struct page, lru);
		CU_ASSERT_EQUAL(a->nr_free, 1);
		CU_ASSERT_EQUAL(pfn_of(head), left[i].pfn);
		CU_ASSERT_TRUE(PageBuddy(head));
		CU_ASSERT_EQUAL(head->private, left[i].o);
	}
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[4].nr_free, 0);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[10].nr_free, 31);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_pages, 32768 - 1 - 1 - 1
			- 4 - 2 - 8);
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

static void test_free_merges_step_by_step(void)
{
	struct page *p[6];
	struct zone *hz;

	BOOT("mem=1G quiet" KERNEL_HALF);
	hz = zone(ZONE_HIGHMEM);
	run_sequence(p);
	__free_page(p[1]);               /* b: its buddy a is in use */
	CU_ASSERT_EQUAL(hz->free_area[0].nr_free, 2);
	CU_ASSERT_EQUAL(pfn_of(list_first_entry(&hz->free_area[0].free_list,
						struct page, lru)), 261121);
	__free_page(p[0]);               /* a + b -> order 1 at 261120 */
	CU_ASSERT_EQUAL(hz->free_area[0].nr_free, 1);
	CU_ASSERT_EQUAL(hz->free_area[1].nr_free, 2);
	CU_ASSERT_EQUAL(pfn_of(list_first_entry(&hz->free_area[1].free_list,
						struct page, lru)), 261120);
	CU_ASSERT_TRUE(buddy_check());
	__free_page(p[2]);               /* c + 261123, + 261120 -> order 2 */
	CU_ASSERT_EQUAL(hz->free_area[0].nr_free, 0);
	CU_ASSERT_EQUAL(hz->free_area[1].nr_free, 1);
	CU_ASSERT_EQUAL(hz->free_area[2].nr_free, 2);
	__free_pages(p[3], 2);           /* d: up to order 3 at 261120 */
	__free_pages(p[4], 1);           /* e: order 3 at 261128; -> 4 */
	CU_ASSERT_EQUAL(hz->free_area[4].nr_free, 1);
	__free_pages(p[5], 3);           /* f: everything merges back */
	for (int o = 0; o < MAX_ORDER - 1; o++)
		CU_ASSERT_EQUAL(hz->free_area[o].nr_free, 0);
	CU_ASSERT_EQUAL(hz->free_area[10].nr_free, 32);
	/* the merged block is at the front: the next allocation reuses it */
	CU_ASSERT_EQUAL(pfn_of(list_first_entry(&hz->free_area[10].free_list,
						struct page, lru)), 261120);
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

static void test_buddyinfo_text(void)
{
	struct page *p[6];
	char *text;

	BOOT("mem=1G quiet" KERNEL_HALF);
	text = buddyinfo();
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Node 0, zone  HighMem      0"
		"      0      0      0      0      0      0      0      0"
		"      0     32 \n"));
	CU_ASSERT_EQUAL(strncmp(text, "Node 0, zone      DMA ", 22), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nNode 0, zone   Normal "));
	free(text);
	run_sequence(p);
	text = buddyinfo();
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Node 0, zone  HighMem      1"
		"      1      1      1      0      1      1      1      1"
		"      1     31 \n"));
	free(text);
	mm_shutdown();

	BOOT("mem=16M quiet" KERNEL_HALF);           /* one zone: one line */
	text = buddyinfo();
	CU_ASSERT_EQUAL(strlen(text), strlen("Node 0, zone      DMA ")
			+ 7 * MAX_ORDER + 1);
	CU_ASSERT_PTR_NULL(strstr(text, "Normal"));
	free(text);
	mm_shutdown();
}

static void test_split_takes_lower_half(void)
{
	struct page *big, *p;

	BOOT("mem=1G quiet" KERNEL_HALF);
	big = alloc_pages(GFP_HIGHUSER, 10);
	CU_ASSERT_EQUAL(pfn_of(big), 261120);
	p = alloc_pages(GFP_HIGHUSER, 9);        /* the next block down */
	CU_ASSERT_EQUAL(pfn_of(p), 260096);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[9].nr_free, 1);
	CU_ASSERT_EQUAL(pfn_of(list_first_entry(
		&zone(ZONE_HIGHMEM)->free_area[9].free_list, struct page,
		lru)), 260608);
	__free_pages(p, 9);
	__free_pages(big, 10);
	CU_ASSERT_EQUAL(zone(ZONE_HIGHMEM)->free_area[10].nr_free, 32);
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ zones */

static void test_zone_fallback(void)
{
	struct page *p;
	unsigned long n = 0;
	struct page **taken;

	BOOT("mem=1G quiet" KERNEL_HALF);
	p = alloc_page(GFP_DMA);
	CU_ASSERT_PTR_EQUAL(page_zone(p), zone(ZONE_DMA));
	__free_page(p);
	p = alloc_page(GFP_KERNEL);
	CU_ASSERT_PTR_EQUAL(page_zone(p), zone(ZONE_NORMAL));
	CU_ASSERT_PTR_NOT_NULL(page_address(p));
	__free_page(p);
	p = alloc_page(GFP_HIGHUSER);
	CU_ASSERT_PTR_EQUAL(page_zone(p), zone(ZONE_HIGHMEM));
	CU_ASSERT_TRUE(PageHighMem(p));
	__free_page(p);
	p = alloc_page(__GFP_DMA | __GFP_HIGHMEM);     /* DMA wins */
	CU_ASSERT_PTR_EQUAL(page_zone(p), zone(ZONE_DMA));
	__free_page(p);
	mm_shutdown();

	/* 64M: exhaust NORMAL with GFP_KERNEL; the first page from DMA
	 * comes when NORMAL is down to exactly pages_low */
	BOOT("mem=64M quiet" KERNEL_HALF);
	taken = malloc(16384 * sizeof *taken);
	while ((p = alloc_page(GFP_KERNEL)) && page_zone(p) == zone(ZONE_NORMAL))
		taken[n++] = p;
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_PTR_EQUAL(page_zone(p), zone(ZONE_DMA));
	CU_ASSERT_EQUAL(zone(ZONE_NORMAL)->free_pages,
			zone(ZONE_NORMAL)->pages_low);
	taken[n++] = p;
	/* __GFP_HIGHMEM on a machine without high memory: NORMAL, DMA */
	p = alloc_page(GFP_HIGHUSER);
	CU_ASSERT_PTR_EQUAL(page_zone(p), zone(ZONE_DMA));
	taken[n++] = p;
	while (n)
		__free_page(taken[--n]);
	CU_ASSERT_TRUE(buddy_check());
	free(taken);
	mm_shutdown();
}

/* Allocate order-0 pages with `gfp` until it fails; return how many. */
static unsigned long drain(gfp_t gfp, struct page **taken, unsigned long n)
{
	struct page *p;

	while ((p = alloc_page(gfp)) != NULL)
		taken[n++] = p;
	return n;
}

static void test_watermarks_refuse_and_atomic_goes_lower(void)
{
	struct page **taken = malloc(4096 * sizeof *taken);
	struct zone *dma;
	unsigned long n;
	char *before;

	BOOT("mem=16M quiet" KERNEL_HALF);
	dma = zone(ZONE_DMA);
	unsigned long boot_free = dma->free_pages;  /* all the machine has */
	CU_ASSERT_EQUAL(boot_free, 4096 - bootmem_reserved_pages());
	CU_ASSERT_EQUAL(dma->pages_min, 128);    /* sqrt(16384 * 16) / 4 */
	CU_ASSERT_EQUAL(dma->pages_low, 160);
	n = drain(GFP_KERNEL, taken, 0);
	/* the second pass stops GFP_KERNEL at pages_min, exactly */
	CU_ASSERT_EQUAL(n, boot_free - 128);
	CU_ASSERT_EQUAL(dma->free_pages, 128);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"page allocation failure. order:0, mode:0xd0"));
	/* a failed allocation changes nothing */
	before = buddyinfo();
	CU_ASSERT_PTR_NULL(alloc_page(GFP_KERNEL));
	CU_ASSERT_PTR_NULL(__get_free_pages(GFP_KERNEL, 0));
	ASSERT_LISTS_UNCHANGED(before);
	free(before);
	/* GFP_ATOMIC: min - min/2 = 64, then - 64/4 = 48 */
	n = drain(GFP_ATOMIC, taken, n);
	CU_ASSERT_EQUAL(dma->free_pages, 48);
	/* a non-waiting request without __GFP_HIGH: 128 - 32 = 96, so it
	 * already fails */
	CU_ASSERT_PTR_NULL(alloc_page(0));
	/* free one page: GFP_KERNEL still refused, ATOMIC gets it back */
	__free_page(taken[--n]);
	CU_ASSERT_PTR_NULL(alloc_page(GFP_KERNEL));
	taken[n] = alloc_page(GFP_ATOMIC);
	CU_ASSERT_PTR_NOT_NULL(taken[n]);
	n++;
	CU_ASSERT_TRUE(buddy_check());
	while (n)
		__free_page(taken[--n]);
	CU_ASSERT_TRUE(buddy_check());
	free(taken);
	mm_shutdown();
}

static void test_high_order_watermark(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	/* zone_watermark_ok, by hand: fake a zone of 200 free order-0
	 * pages and 8 pages in order-3 blocks */
	struct zone z = { 0 };
	z.free_pages = 208;
	z.free_area[0].nr_free = 200;
	z.free_area[3].nr_free = 1;
	CU_ASSERT_TRUE(zone_watermark_ok(&z, 0, 100, 0));
	CU_ASSERT_FALSE(zone_watermark_ok(&z, 0, 208, 0));
	CU_ASSERT_TRUE(zone_watermark_ok(&z, 0, 207, 0));
	/* order 3: 208-8+1 = 201 > 10; minus 200 order-0 pages: 1 > 5? no */
	CU_ASSERT_FALSE(zone_watermark_ok(&z, 3, 10, 0));
	CU_ASSERT_TRUE(zone_watermark_ok(&z, 3, 1, 0));
	/* ALLOC_HIGH halves the mark, ALLOC_HARDER takes a quarter more */
	CU_ASSERT_FALSE(zone_watermark_ok(&z, 0, 420, ALLOC_HIGH));
	CU_ASSERT_TRUE(zone_watermark_ok(&z, 0, 414, ALLOC_HIGH));
	CU_ASSERT_TRUE(zone_watermark_ok(&z, 0, 550,
					 ALLOC_HIGH | ALLOC_HARDER));
	CU_ASSERT_FALSE(zone_watermark_ok(&z, 0, 560,
					  ALLOC_HIGH | ALLOC_HARDER));
	mm_shutdown();
}

static void test_failed_allocations_change_nothing(void)
{
	char *before;

	BOOT("mem=64M quiet" KERNEL_HALF);
	before = buddyinfo();
	CU_ASSERT_PTR_NULL(alloc_pages(GFP_KERNEL, MAX_ORDER));
	CU_ASSERT_PTR_NULL(alloc_pages(GFP_ATOMIC, 1000));
	CU_ASSERT_PTR_NULL(__get_free_pages(GFP_KERNEL, MAX_ORDER));
	ASSERT_LISTS_UNCHANGED(before);
	free(before);
	mm_shutdown();

	/* 4M: the boot allocator's pages leave no free block of order 9 */
	BOOT("mem=4M quiet" KERNEL_HALF);
	before = buddyinfo();
	CU_ASSERT_PTR_NULL(alloc_pages(GFP_KERNEL, 10));
	CU_ASSERT_PTR_NULL(alloc_pages(GFP_ATOMIC, 9));
	ASSERT_LISTS_UNCHANGED(before);
	free(before);
	mm_shutdown();
}

/* ------------------------------------------------------------ contents */

static void test_gfp_zero(void)
{
	char *p, *q;
	struct page *hp;
	unsigned char *w;

	BOOT("mem=1G quiet" KERNEL_HALF);
	w = vaddr_to_ptr(FIXADDR_TOP);
	p = __get_free_page(GFP_KERNEL);
	memset(p, 0xAA, PAGE_SIZE);
	free_page(p);
	q = __get_free_page(GFP_KERNEL);        /* the same page, dirty */
	CU_ASSERT_PTR_EQUAL(q, p);
	CU_ASSERT_EQUAL((unsigned char)q[123], 0xAA);
	free_page(q);
	q = get_zeroed_page(GFP_KERNEL);        /* the same page, zeroed */
	CU_ASSERT_PTR_EQUAL(q, p);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		if (q[i]) { CU_FAIL("get_zeroed_page left a byte"); break; }
	free_page(q);
	/* an order-2 block with __GFP_ZERO */
	p = __get_free_pages(GFP_KERNEL, 2);
	memset(p, 0x55, 4 * PAGE_SIZE);
	free_pages(p, 2);
	q = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2);
	CU_ASSERT_PTR_EQUAL(q, p);
	CU_ASSERT_EQUAL(q[0] | q[PAGE_SIZE * 3 + 4095], 0);
	free_pages(q, 2);
	/* a high page, dirtied through a temporary TLB entry */
	hp = alloc_page(GFP_HIGHUSER);
	tlb_insert(FIXADDR_TOP, pfn_of(hp), true);
	memset(w, 0x77, PAGE_SIZE);
	__flush_tlb_one(FIXADDR_TOP);
	__free_page(hp);
	hp = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	tlb_insert(FIXADDR_TOP, pfn_of(hp), false);
	CU_ASSERT_EQUAL(w[0] | w[2048] | w[4095], 0);
	__flush_tlb_one(FIXADDR_TOP);
	__free_page(hp);
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

static void test_refcounts(void)
{
	struct page *p;
	char *before;

	BOOT("mem=64M quiet" KERNEL_HALF);
	before = buddyinfo();
	p = alloc_page(GFP_KERNEL);
	CU_ASSERT_EQUAL(page_count(p), 1);
	get_page(p);
	get_page(p);
	CU_ASSERT_EQUAL(page_count(p), 3);
	put_page(p);
	__free_page(p);                  /* a put too: not freed yet */
	CU_ASSERT_EQUAL(page_count(p), 1);
	CU_ASSERT_FALSE(PageBuddy(p));
	put_page(p);                     /* the last reference frees */
	CU_ASSERT_EQUAL(page_count(p), 0);
	ASSERT_LISTS_UNCHANGED(before);
	/* an order-1 block with two users survives one __free_pages */
	p = alloc_pages(GFP_KERNEL, 1);
	get_page(p);
	__free_pages(p, 1);
	CU_ASSERT_EQUAL(page_count(p), 1);
	__free_pages(p, 1);
	ASSERT_LISTS_UNCHANGED(before);
	/* get_page on a free page is a BUG */
	ASSERT_OOPS(get_page(p), "kernel BUG");
	ASSERT_LISTS_UNCHANGED(before);
	free(before);
	mm_shutdown();
}

/* ------------------------------------------------------------ misuse */

static void test_misuse(void)
{
	struct page *blk, *one;
	char *before;
	void *addr;

	BOOT("mem=64M quiet" KERNEL_HALF);
	blk = alloc_pages(GFP_KERNEL, 2);
	one = alloc_page(GFP_KERNEL);
	memset(page_address(blk), 0x3c, 4 * PAGE_SIZE);
	memset(page_address(one), 0x5e, PAGE_SIZE);
	before = buddyinfo();

	/* the wrong order, both ways */
	ASSERT_OOPS(__free_pages(blk, 0), "allocated at order 2");
	ASSERT_LISTS_UNCHANGED(before);
	ASSERT_OOPS(__free_pages(blk, 3), "allocated at order 2");
	ASSERT_LISTS_UNCHANGED(before);
	ASSERT_OOPS(put_page(blk), "allocated at order 2");
	CU_ASSERT_EQUAL(page_count(blk), 1);
	ASSERT_LISTS_UNCHANGED(before);
	/* a page inside an allocated block */
	ASSERT_OOPS(__free_pages(blk + 1, 0), "inside the block allocated");
	ASSERT_LISTS_UNCHANGED(before);
	/* a reserved page: the firmware's, and mem_map's */
	ASSERT_OOPS(__free_page(pfn_to_page(0)),
		    "Bad page state: freeing reserved page pfn 0");
	ASSERT_OOPS(free_page(mem_map), "freeing reserved page");
	ASSERT_LISTS_UNCHANGED(before);
	/* addresses that are not pages */
	addr = page_address(one);
	ASSERT_OOPS(free_page((char *)addr + 8), "is not page aligned");
	ASSERT_OOPS(free_page(vaddr_to_ptr(0x08048000UL)),
		    "08048000 is not in the direct map");
	ASSERT_OOPS(free_page(vaddr_to_ptr(VMALLOC_START)),
		    "is not in the direct map");
	ASSERT_OOPS(__free_page((struct page *)((char *)mem_map + 8)),
		    "is not a struct page");
	ASSERT_OOPS(__free_pages(one, MAX_ORDER), ">= MAX_ORDER");
	ASSERT_OOPS(__get_free_pages(GFP_HIGHUSER, 0), "__GFP_HIGHMEM");
	ASSERT_OOPS(get_zeroed_page(__GFP_HIGHMEM), "__GFP_HIGHMEM");
	ASSERT_LISTS_UNCHANGED(before);
	CU_ASSERT_EQUAL(page_count(one), 1);
	CU_ASSERT_EQUAL(page_count(blk), 1);
	/* the live blocks still hold what their owners wrote */
	CU_ASSERT_TRUE(filled(page_address(blk), 0x3c, 4 * PAGE_SIZE));
	CU_ASSERT_TRUE(filled(page_address(one), 0x5e, PAGE_SIZE));
	free(before);

	/* freeing a free page: the head, and a page inside a free block */
	__free_pages(blk, 2);
	__free_page(one);
	before = buddyinfo();
	ASSERT_OOPS(__free_pages(blk, 2), "Bad page state: freeing free page");
	ASSERT_LISTS_UNCHANGED(before);
	ASSERT_OOPS(__free_page(blk + 3), "freeing free page pfn");
	ASSERT_OOPS(free_page(page_address(one)), "freeing free page");
	ASSERT_OOPS(put_page(one), "freeing free page");
	ASSERT_LISTS_UNCHANGED(before);
	/* the message names the frame */
	char want[64];
	snprintf(want, sizeof want, "freeing free page pfn %lu", pfn_of(one));
	ASSERT_OOPS(__free_page(one), want);
	/* freeing NULL does nothing */
	free_page(NULL);
	ASSERT_LISTS_UNCHANGED(before);
	/* and the allocator still works */
	one = alloc_page(GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL(one);
	__free_page(one);
	ASSERT_LISTS_UNCHANGED(before);
	free(before);
	mm_shutdown();
}

static void test_misuse_tail_in_use(void)
{
	struct page *blk;
	char *before;

	BOOT("mem=64M quiet" KERNEL_HALF);
	blk = alloc_pages(GFP_KERNEL, 1);
	memset(page_address(blk), 0x71, 2 * PAGE_SIZE);
	before = buddyinfo();
	blk[1].count = 1;                /* someone took the second page */
	ASSERT_OOPS(__free_pages(blk, 1), "has count 1");
	CU_ASSERT_EQUAL(page_count(blk), 1);
	CU_ASSERT_TRUE(filled(page_address(blk), 0x71, 2 * PAGE_SIZE));
	ASSERT_LISTS_UNCHANGED(before);
	blk[1].count = 0;
	__free_pages(blk, 1);
	CU_ASSERT_TRUE(buddy_check());
	free(before);
	mm_shutdown();
}

static void test_checker_finds_corruption(void)
{
	struct zone *hz;
	struct page *p;

	BOOT("mem=1G quiet" KERNEL_HALF);
	hz = zone(ZONE_HIGHMEM);
	CU_ASSERT_TRUE(buddy_check());
	hz->free_area[3].nr_free++;                     /* a count */
	CU_ASSERT_FALSE(buddy_check());
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "order 3: 0 blocks on the list"));
	hz->free_area[3].nr_free--;
	p = pfn_to_page(261121);                        /* a stray PG_buddy */
	SetPageBuddy(p);
	CU_ASSERT_FALSE(buddy_check());
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "PG_buddy but on no list"));
	ClearPageBuddy(p);
	/* two buddies that did not merge: split a block by hand */
	p = pfn_to_page(261120);
	list_del(&p->lru);
	hz->free_area[10].nr_free--;
	p->private = 9;
	list_add(&p->lru, &hz->free_area[9].free_list);
	SetPageBuddy(p + 512);
	p[512].private = 9;
	list_add(&p[512].lru, &hz->free_area[9].free_list);
	hz->free_area[9].nr_free += 2;
	dmesg_clear();
	CU_ASSERT_FALSE(buddy_check());
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "its buddy is free too"));
	/* freeing into it would merge them: undo by hand */
	list_del(&p[512].lru);
	ClearPageBuddy(p + 512);
	p[512].private = 0;
	list_move(&p->lru, &hz->free_area[10].free_list);
	p->private = 10;
	hz->free_area[9].nr_free -= 2;
	hz->free_area[10].nr_free++;
	CU_ASSERT_TRUE(buddy_check());
	/* a boot page that lost its reserved flag, and a page above the
	 * boot allocator's end that gained one */
	dmesg_clear();
	ClearPageReserved(pfn_to_page(100));
	CU_ASSERT_FALSE(buddy_check());
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "pfn 100 order 0: reserved flag"));
	SetPageReserved(pfn_to_page(100));
	CU_ASSERT_TRUE(buddy_check());
	p = alloc_page(GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	SetPageReserved(p);
	dmesg_clear();
	CU_ASSERT_FALSE(buddy_check());
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "reserved flag wrong"));
	ClearPageReserved(p);
	__free_page(p);
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ no machine */

#define ASSERT_NOT_RUNNING(stmt, name) \
	ASSERT_OOPS(stmt, "kernel BUG: " name ": the machine is not running")

/* Every entry point refuses with a BUG that names it, before it touches
 * `page` or `addr`: none of them points at anything any more. */
static void refuse_everything(struct page *page, void *addr)
{
	struct zone z = { 0 };

	CU_ASSERT_FALSE(mm_booted());
	ASSERT_NOT_RUNNING(alloc_pages(GFP_KERNEL, 0), "alloc_pages");
	ASSERT_NOT_RUNNING(alloc_page(GFP_HIGHUSER), "alloc_pages");
	ASSERT_NOT_RUNNING(__free_pages(page, 0), "__free_pages");
	ASSERT_NOT_RUNNING(__free_page(page), "__free_pages");
	ASSERT_NOT_RUNNING(put_page(page), "put_page");
	ASSERT_NOT_RUNNING(get_page(page), "get_page");
	ASSERT_NOT_RUNNING(page_count(page), "page_count");
	ASSERT_NOT_RUNNING(__get_free_pages(GFP_KERNEL, 1), "__get_free_pages");
	ASSERT_NOT_RUNNING(__get_free_page(GFP_KERNEL), "__get_free_pages");
	ASSERT_NOT_RUNNING(get_zeroed_page(GFP_KERNEL), "get_zeroed_page");
	ASSERT_NOT_RUNNING(free_pages(addr, 0), "free_pages");
	ASSERT_NOT_RUNNING(free_page(addr), "free_pages");
	ASSERT_NOT_RUNNING(free_page(NULL), "free_pages");
	ASSERT_NOT_RUNNING(nr_free_pages(), "nr_free_pages");
	ASSERT_NOT_RUNNING(proc_buddyinfo(stdout), "proc_buddyinfo");
	ASSERT_NOT_RUNNING(buddy_check(), "buddy_check");
	ASSERT_NOT_RUNNING(zone_watermark_ok(&z, 0, 0, 0),
			   "zone_watermark_ok");
	ASSERT_NOT_RUNNING(mem_init(), "mem_init");
}

static void test_no_machine(void)
{
	struct page *page;
	void *addr;

	/* before a boot: pointers that were never the kernel's */
	refuse_everything(NULL, NULL);
	refuse_everything((struct page *)&page, &addr);
	/* after shutdown: pointers from the machine that is gone */
	BOOT("mem=64M quiet" KERNEL_HALF);
	page = alloc_pages(GFP_KERNEL, 0);
	addr = __get_free_page(GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	CU_ASSERT_PTR_NOT_NULL_FATAL(addr);
	mm_shutdown();
	refuse_everything(page, addr);
	/* and a new machine works as if nothing had happened */
	BOOT("mem=64M quiet" KERNEL_HALF);
	CU_ASSERT_EQUAL(nr_free_pages(), 16384 - bootmem_reserved_pages());
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ random */

static unsigned long rng_state;
static unsigned long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct live { struct page *page; unsigned int order; gfp_t gfp;
	      unsigned long tag; };

/* The words of page `i` of a live block that carry its pattern: the
 * first and the last of the page.  A low page is reached through the
 * direct map; a high one through a TLB entry at FIXADDR_TOP, which the
 * caller flushes. */
static unsigned long *pattern_words(struct page *p)
{
	if (page_address(p))
		return page_address(p);
	tlb_insert(FIXADDR_TOP, pfn_of(p), true);
	return vaddr_to_ptr(FIXADDR_TOP);
}

/* Which pages of a block carry the pattern: every page of a low block;
 * the first and the last of a high one (each costs a TLB refill). */
static bool patterned(const struct live *l, unsigned long i)
{
	return page_address(l->page) || i == 0
	       || i == (1UL << l->order) - 1;
}

enum pattern_op { WRITE, CHECK, CHECK_ZERO };

/* Write the block's pattern, check it, or check that a fresh __GFP_ZERO
 * block is zero where the pattern will go. */
static bool pattern(const struct live *l, enum pattern_op op)
{
	const unsigned long last = PAGE_SIZE / sizeof(unsigned long) - 1;
	bool ok = true;

	for (unsigned long i = 0; i < 1UL << l->order; i++) {
		unsigned long *w, v = l->tag ^ pfn_of(l->page + i);

		if (!patterned(l, i))
			continue;
		w = pattern_words(l->page + i);
		if (op == WRITE) {
			w[0] = v;
			w[last] = ~v;
		} else if (op == CHECK) {
			ok &= w[0] == v && w[last] == ~v;
		} else {
			ok &= w[0] == 0 && w[last] == 0;
		}
		if (!page_address(l->page))
			__flush_tlb_one(FIXADDR_TOP);
	}
	return ok;
}

/* Cheap checks after every step: counts, and the block just handed out. */
static bool cheap_check(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		unsigned long sum = 0;

		for (int o = 0; o < MAX_ORDER; o++)
			sum += zone(z)->free_area[o].nr_free << o;
		if (sum != zone(z)->free_pages)
			return false;
	}
	return true;
}

static bool block_ok(const struct live *l)
{
	struct zone *z = page_zone(l->page);
	unsigned long idx = pfn_of(l->page) - z->zone_start_pfn;

	if (l->page->count != 1 || l->page->private != l->order ||
	    PageBuddy(l->page) || (idx & ((1UL << l->order) - 1)))
		return false;
	if ((l->gfp & __GFP_DMA) && z != zone(ZONE_DMA))
		return false;
	if (!(l->gfp & __GFP_HIGHMEM) && z == zone(ZONE_HIGHMEM))
		return false;
	return true;
}

static void random_run(const char *cmdline, unsigned long steps,
		       unsigned long full_every, unsigned int max_live,
		       unsigned long want_failures)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC, GFP_DMA,
				      GFP_HIGHUSER, GFP_HIGHUSER | __GFP_ZERO };
	struct live *live = calloc(max_live, sizeof *live);
	unsigned int n = 0;
	unsigned long failures = 0, bad = 0, corrupt = 0;
	char *boot_state;

	BOOT(cmdline);
	boot_state = buddyinfo();
	rng_state = 88172645463325252UL;
	for (unsigned long step = 0; step < steps; step++) {
		bool alloc = n == 0 || (n < max_live && rng() % 100 < 55);

		if (alloc) {
			unsigned int o = (unsigned int)(rng() % 100 < 80
					? rng() % 4 : rng() % MAX_ORDER);
			gfp_t gfp = gfps[rng() % 5];
			struct page *p = alloc_pages(gfp, o);

			if (!p) {
				failures++;
			} else {
				live[n] = (struct live){ p, o, gfp,
					step * 0x9e3779b97f4a7c15UL };
				if (!block_ok(&live[n]))
					bad++;
				if ((gfp & __GFP_ZERO)
				    && !pattern(&live[n], CHECK_ZERO))
					corrupt++;
				pattern(&live[n], WRITE);
				n++;
			}
		} else {
			unsigned int i = (unsigned int)(rng() % n);

			if (!pattern(&live[i], CHECK))
				corrupt++;
			__free_pages(live[i].page, live[i].order);
			live[i] = live[--n];
		}
		if (!cheap_check())
			bad++;
		if (step % full_every == 0 && !buddy_check())
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(corrupt, 0);
	CU_ASSERT_EQUAL(failures, want_failures);
	if (failures != want_failures)
		fprintf(stderr, "\n%s: %lu failures\n", cmdline, failures);
	while (n) {
		n--;
		if (!pattern(&live[n], CHECK))
			corrupt++;
		__free_pages(live[n].page, live[n].order);
	}
	CU_ASSERT_EQUAL(corrupt, 0);
	ASSERT_LISTS_UNCHANGED(boot_state);
	free(boot_state);
	free(live);
	mm_shutdown();
}

static void test_random_1G(void)
{
	/* 100,000 operations over three zones (DMA requests of high order
	 * fail: mem_map fills DMA); full check every 100 */
	random_run("mem=1G quiet" KERNEL_HALF, 100000, 100, 2000, 571);
}

static void test_random_small(void)
{
	/* 100,000 operations on a machine that often runs out (allocations
	 * fail below the watermarks); full check every 10 */
	random_run("mem=6M quiet" KERNEL_HALF, 100000, 10, 400, 9411);
}

TEST_SUITE(buddy, "ch03 buddy", NULL, NULL,
	{ "boot frees every frame into the lists", test_boot_frees_everything },
	{ "watermarks as Linux 2.6 computes them", test_watermarks_64M_1G },
	{ "a known sequence gives the predicted frames", test_known_sequence },
	{ "freeing merges buddies step by step", test_free_merges_step_by_step },
	{ "/proc/buddyinfo text", test_buddyinfo_text },
	{ "splitting hands out the lower half", test_split_takes_lower_half },
	{ "zone fallback", test_zone_fallback },
	{ "watermarks refuse; GFP_ATOMIC goes lower",
	  test_watermarks_refuse_and_atomic_goes_lower },
	{ "zone_watermark_ok for higher orders", test_high_order_watermark },
	{ "failed allocations change nothing",
	  test_failed_allocations_change_nothing },
	{ "__GFP_ZERO and get_zeroed_page", test_gfp_zero },
	{ "page_count, get_page, put_page", test_refcounts },
	{ "misuse oopses and changes nothing", test_misuse },
	{ "a later page of the block in use", test_misuse_tail_in_use },
	{ "buddy_check finds corruption", test_checker_finds_corruption },
	{ "no machine: every entry point refuses", test_no_machine },
	{ "randomized: 100,000 operations on 1G", test_random_1G },
	{ "randomized: 100,000 operations on 6M", test_random_small })
