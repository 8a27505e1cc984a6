/* test_slab.c -- chapter 4: the slab allocator and kmalloc.  Geometry,
 * exact addresses, colouring, the three lists, constructors, kmalloc's
 * corner cases, /proc/slabinfo, shrinking and destroying, every misuse,
 * the debug aids, and a randomized run against buddy_check/slab_check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

static unsigned int count(const struct list_head *h)
{
	unsigned int n = 0;

	for (const struct list_head *p = h->next; p != h; p = p->next)
		n++;
	return n;
}

static void check_lists(struct kmem_cache *c, unsigned int full,
			unsigned int partial, unsigned int free)
{
	CU_ASSERT_EQUAL(count(&c->slabs_full), full);
	CU_ASSERT_EQUAL(count(&c->slabs_partial), partial);
	CU_ASSERT_EQUAL(count(&c->slabs_free), free);
	CU_ASSERT_TRUE(kmem_cache_check(c));
}

static unsigned long in_page(const void *p)
{
	return ptr_to_vaddr(p) & ~PAGE_MASK;
}

static unsigned long page_of(const void *p)
{
	return ptr_to_vaddr(p) & PAGE_MASK;
}

__attribute__((noinline)) static char *slabinfo(void)
{
	return proc_text(proc_slabinfo);
}

static bool all_bytes(const void *p, unsigned char v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != v)
			return false;
	return true;
}

static bool starts(const char *text, const char *prefix)
{
	return strncmp(text, prefix, strlen(prefix)) == 0;
}

static void fill(void *p, unsigned char v, size_t n) { memset(p, v, n); }

/* ------------------------------------------------------------ geometry */

static void test_geometry_of_several_sizes(void)
{
	struct kmem_cache *c;

	BOOT("mem=64M quiet" KERNEL_HALF);
	/* 100 bytes, cache-line aligned: 128-byte objects, on slab; the
	 * descriptor and 30 bufctls take 160 bytes, 96 left: 3 colours */
	c = kmem_cache_create("t100", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	CU_ASSERT_EQUAL(c->buffer_size, 128);
	CU_ASSERT_EQUAL(c->obj_size, 104);
	CU_ASSERT_EQUAL(c->num, 30);
	CU_ASSERT_EQUAL(c->gfporder, 0);
	CU_ASSERT_FALSE(OFF_SLAB(c));
	CU_ASSERT_EQUAL(c->slab_size, 160);
	CU_ASSERT_EQUAL(c->colour, 3);
	CU_ASSERT_EQUAL(c->colour_off, 32);
	CU_ASSERT_EQUAL(kmem_cache_size(c), 104);
	/* 512 bytes: off slab, 8 a page, the descriptor (40 + 8*4 = 72
	 * bytes) in size-96 */
	c = kmem_cache_create("t512", 512, 0, 0, NULL);
	CU_ASSERT_TRUE(OFF_SLAB(c));
	CU_ASSERT_EQUAL(c->num, 8);
	CU_ASSERT_EQUAL(c->colour, 0);
	CU_ASSERT_EQUAL(c->slab_size, 72);
	CU_ASSERT_PTR_EQUAL(c->slabp_cache, kmem_find_general_cachep(72, 0));
	CU_ASSERT_STRING_EQUAL(c->slabp_cache->name, "size-96");
	/* 576: off slab, 7 a page, 64 bytes left: 2 colours */
	c = kmem_cache_create("t576", 576, 0, 0, NULL);
	CU_ASSERT_TRUE(OFF_SLAB(c));
	CU_ASSERT_EQUAL(c->num, 7);
	CU_ASSERT_EQUAL(c->colour, 2);
	/* 600: off slab at first, but 496 bytes are left, enough for the
	 * 64-byte descriptor: back on slab, 432 left, 13 colours */
	c = kmem_cache_create("t600", 600, 0, 0, NULL);
	CU_ASSERT_FALSE(OFF_SLAB(c));
	CU_ASSERT_EQUAL(c->num, 6);
	CU_ASSERT_EQUAL(c->slab_size, 64);
	CU_ASSERT_EQUAL(c->colour, 13);
	/* 3000: one a page wastes too much, so two pages, two objects */
	c = kmem_cache_create("t3000", 3000, 0, 0, NULL);
	CU_ASSERT_EQUAL(c->gfporder, 1);
	CU_ASSERT_EQUAL(c->num, 2);
	CU_ASSERT_FALSE(OFF_SLAB(c));
	/* an explicit alignment */
	c = kmem_cache_create("t24a64", 24, 64, 0, NULL);
	CU_ASSERT_EQUAL(c->buffer_size, 64);
	CU_ASSERT_EQUAL(c->colour_off, 64);
	mm_shutdown();
}

static void test_general_caches(void)
{
	static const struct { size_t size; unsigned int num, order; bool off; }
	want[] = {
		{ 32, 112, 0, false }, { 64, 59, 0, false },
		{ 96, 40, 0, false }, { 128, 30, 0, false },
		{ 192, 20, 0, false }, { 256, 15, 0, false },
		{ 512, 8, 0, true }, { 1024, 4, 0, true },
		{ 2048, 2, 0, true }, { 4096, 1, 0, true },
		{ 8192, 1, 1, true }, { 131072, 1, 5, true },
	};

	BOOT("mem=64M quiet" KERNEL_HALF);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct kmem_cache *c = kmem_find_general_cachep(want[i].size, 0);

		CU_ASSERT_EQUAL(c->obj_size, want[i].size);
		CU_ASSERT_EQUAL(c->num, want[i].num);
		CU_ASSERT_EQUAL(c->gfporder, want[i].order);
		CU_ASSERT_EQUAL(!!OFF_SLAB(c), want[i].off);
		CU_ASSERT_PTR_NOT_EQUAL(c, kmem_find_general_cachep(
			want[i].size, GFP_DMA));
		CU_ASSERT_EQUAL(kmem_find_general_cachep(want[i].size,
			GFP_DMA)->gfpflags, GFP_DMA);
	}
	CU_ASSERT_STRING_EQUAL(kmem_find_general_cachep(65, 0)->name,
			       "size-96");
	CU_ASSERT_STRING_EQUAL(kmem_find_general_cachep(193, GFP_DMA)->name,
			       "size-256(DMA)");
	CU_ASSERT_STRING_EQUAL(kmem_find_general_cachep(2049, 0)->name,
			       "size-4096");
	/* booting took no page: the slab allocator starts empty */
	CU_ASSERT_EQUAL(nr_free_pages(), max_pfn - bootmem_reserved_pages());
	mm_shutdown();
}

/* ------------------------------------------------------------ addresses */

static void test_exact_addresses_and_colours(void)
{
	struct kmem_cache *c;
	void *obj[121];

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("t100", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	for (int i = 0; i < 121; i++)
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
	/* slab k's objects start at its colour offset (0, 32, 64, 0, ...)
	 * plus the 160-byte descriptor, then every 128 bytes */
	for (int i = 0; i < 121; i++) {
		int slab = i / 30, k = i % 30;

		CU_ASSERT_EQUAL(in_page(obj[i]), (slab % 3) * 32 + 160
				+ (unsigned long)k * 128);
		CU_ASSERT_EQUAL(page_of(obj[i]), page_of(obj[slab * 30]));
	}
	for (int s = 0; s < 4; s++) {
		struct slab *slabp = page_get_slab(virt_to_page(obj[s * 30]));

		CU_ASSERT_EQUAL(slab_colour(c, slabp), (s % 3) * 32UL);
		CU_ASSERT_PTR_EQUAL((char *)slabp, (char *)obj[s * 30] - 160);
	}
	CU_ASSERT_EQUAL(c->colour_next, 2);
	check_lists(c, 4, 1, 0);
	/* LIFO: a freed object is the next one handed out */
	kmem_cache_free(c, obj[7]);
	CU_ASSERT_PTR_EQUAL(kmem_cache_alloc(c, GFP_KERNEL), obj[7]);
	mm_shutdown();
}

static void test_offslab_addresses(void)
{
	struct kmem_cache *c;
	void *obj[15];
	unsigned long before;

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("t576", 576, 0, 0, NULL);
	before = kmem_find_general_cachep(68, 0)->num_active;
	for (int i = 0; i < 15; i++)
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
	/* no descriptor in the slab: objects from the colour offset on */
	for (int i = 0; i < 15; i++)
		CU_ASSERT_EQUAL(in_page(obj[i]), (i / 7 % 2) * 32UL
				+ (unsigned long)(i % 7) * 576);
	/* three descriptors, each an object of size-96 */
	CU_ASSERT_EQUAL(kmem_find_general_cachep(68, 0)->num_active,
			before + 3);
	CU_ASSERT_EQUAL(ksize(page_get_slab(virt_to_page(obj[0]))), 96);
	check_lists(c, 2, 1, 0);
	mm_shutdown();
}

static void test_multi_page_slab_pages_point_back(void)
{
	struct kmem_cache *c;
	char *a, *b;

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("t3000", 3000, 0, 0, NULL);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	CU_ASSERT_EQUAL(b - a, 3000);
	/* b lies across the page boundary; both pages lead to the slab */
	CU_ASSERT_TRUE(PageSlab(virt_to_page(b + 2999)));
	CU_ASSERT_PTR_EQUAL(page_get_cache(virt_to_page(b + 2999)), c);
	CU_ASSERT_PTR_EQUAL(page_get_slab(virt_to_page(b + 2999)),
			    page_get_slab(virt_to_page(a)));
	kmem_cache_free(c, b);
	kmem_cache_free(c, a);
	CU_ASSERT_EQUAL(kmem_cache_shrink(c), 2);
	CU_ASSERT_FALSE(PageSlab(virt_to_page(b)));
	mm_shutdown();
}

/* ------------------------------------------------------------ lists */

static void test_list_counts(void)
{
	struct kmem_cache *c;
	void *obj[65];

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("t100", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	check_lists(c, 0, 0, 0);
	obj[0] = kmem_cache_alloc(c, GFP_KERNEL);
	check_lists(c, 0, 1, 0);
	for (int i = 1; i < 65; i++)
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
	check_lists(c, 2, 1, 0);
	CU_ASSERT_EQUAL(c->num_active, 65);
	kmem_cache_free(c, obj[0]);          /* a full slab turns partial */
	check_lists(c, 1, 2, 0);
	for (int i = 1; i < 30; i++)         /* ... and then free */
		kmem_cache_free(c, obj[i]);
	check_lists(c, 1, 1, 1);
	for (int i = 60; i < 65; i++)
		kmem_cache_free(c, obj[i]);
	check_lists(c, 1, 0, 2);
	/* partial is preferred, then free; no growth while either has room */
	obj[0] = kmem_cache_alloc(c, GFP_KERNEL);
	check_lists(c, 1, 1, 1);
	CU_ASSERT_EQUAL(c->grown, 3);
	CU_ASSERT_EQUAL(c->num_slabs, 3);
	mm_shutdown();
}

/* ------------------------------------------------------------ ctor */

static int ctor_calls;
struct thing { struct list_head list; unsigned int lock; char data[40]; };

static void thing_ctor(void *p)
{
	struct thing *t = p;

	INIT_LIST_HEAD(&t->list);
	t->lock = 0x1234abcd;
	ctor_calls++;
}

static void test_ctor_once_per_object(void)
{
	struct kmem_cache *c;
	struct thing *t[10];

	BOOT("mem=64M quiet" KERNEL_HALF);
	ctor_calls = 0;
	c = kmem_cache_create("thing", sizeof(struct thing), 0, 0, thing_ctor);
	CU_ASSERT_EQUAL(ctor_calls, 0);
	t[0] = kmem_cache_alloc(c, GFP_KERNEL);
	CU_ASSERT_EQUAL(ctor_calls, (int)c->num);    /* the whole slab */
	CU_ASSERT_PTR_EQUAL(t[0]->list.next, &t[0]->list);
	CU_ASSERT_EQUAL(t[0]->lock, 0x1234abcd);
	for (int i = 1; i < 10; i++)
		t[i] = kmem_cache_alloc(c, GFP_KERNEL);
	/* the caller leaves the object in its constructed state ... */
	t[3]->data[0] = 'x';
	for (int i = 0; i < 10; i++)
		kmem_cache_free(c, t[i]);
	for (int round = 0; round < 100; round++) {
		struct thing *u = kmem_cache_alloc(c, GFP_KERNEL);

		CU_ASSERT_EQUAL(u->lock, 0x1234abcd);
		kmem_cache_free(c, u);
	}
	/* ... and gets it back as it left it, with no constructor call */
	CU_ASSERT_EQUAL(ctor_calls, (int)c->num);
	CU_ASSERT_EQUAL(c->ctor_calls, c->num);
	CU_ASSERT_EQUAL(t[3]->data[0], 'x');
	mm_shutdown();
}

/* ------------------------------------------------------------ kmalloc */

static void test_kmalloc_sizes_and_ksize(void)
{
	static const size_t req[][2] = {
		{ 1, 32 }, { 32, 32 }, { 33, 64 }, { 65, 96 }, { 97, 128 },
		{ 100, 128 }, { 129, 192 }, { 193, 256 }, { 257, 512 },
		{ 1000, 1024 }, { 2049, 4096 }, { 4097, 8192 },
		{ 131072, 131072 },
	};

	BOOT("mem=64M quiet" KERNEL_HALF);
	for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
		char *p = kmalloc(req[i][0], GFP_KERNEL);

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(ksize(p), req[i][1]);
		memset(p, 0x77, ksize(p));            /* all of it is ours */
		kfree(p);
	}
	CU_ASSERT_TRUE(slab_check());
	mm_shutdown();
}

static void test_kzalloc_zeroes(void)
{
	char *p;

	BOOT("mem=64M quiet" KERNEL_HALF);
	p = kmalloc(200, GFP_KERNEL);
	memset(p, 0xee, 256);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);          /* the same, dirty, object */
	CU_ASSERT_TRUE(all_bytes(p, 0, 256));
	kfree(p);
	mm_shutdown();
}

static void test_kmalloc_zero_and_null(void)
{
	void *p;

	BOOT("mem=64M quiet" KERNEL_HALF);
	p = kmalloc(0, GFP_KERNEL);
	CU_ASSERT_PTR_EQUAL(p, ZERO_SIZE_PTR);
	CU_ASSERT_EQUAL(ptr_to_vaddr(p), 16);
	CU_ASSERT_EQUAL(ksize(p), 0);
	CU_ASSERT_FALSE(oopses(kfree(p)));
	CU_ASSERT_FALSE(oopses(kfree(NULL)));
	CU_ASSERT_EQUAL(ksize(NULL), 0);
	/* using the zero bytes faults like a NULL pointer */
	CU_ASSERT_TRUE(oopses(*(volatile char *)p = 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "NULL pointer"));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "00000010"));
	mm_shutdown();
}

static void test_kmalloc_too_big(void)
{
	void *p;

	BOOT("mem=64M quiet" KERNEL_HALF);
	dmesg_clear();
	CU_ASSERT_PTR_NULL(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "WARNING"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "131073 bytes"));
	CU_ASSERT_PTR_NULL(kmalloc((size_t)-1, GFP_KERNEL));
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL(p);
	kfree(p);
	/* the general cache for a size: none beyond the largest, the
	 * smallest for 0, and never a cache of the other kind */
	CU_ASSERT_PTR_NULL(kmem_find_general_cachep(KMALLOC_MAX_SIZE + 1, 0));
	CU_ASSERT_PTR_NULL(kmem_find_general_cachep(KMALLOC_MAX_SIZE + 1,
						    GFP_DMA));
	CU_ASSERT_PTR_NULL(kmem_find_general_cachep((size_t)-1, 0));
	CU_ASSERT_PTR_NULL(kmem_find_general_cachep((size_t)-1, GFP_DMA));
	CU_ASSERT_STRING_EQUAL(kmem_find_general_cachep(0, 0)->name,
			       "size-32");
	CU_ASSERT_STRING_EQUAL(kmem_find_general_cachep(0, GFP_DMA)->name,
			       "size-32(DMA)");
	CU_ASSERT_STRING_EQUAL(kmem_find_general_cachep(KMALLOC_MAX_SIZE,
							GFP_DMA)->name,
			       "size-131072(DMA)");
	mm_shutdown();
}

static void test_kmalloc_dma(void)
{
	char *p, *q;

	BOOT("mem=64M quiet" KERNEL_HALF);
	p = kmalloc(100, GFP_DMA | GFP_KERNEL);
	q = kmalloc(100, GFP_KERNEL);
	CU_ASSERT_PTR_EQUAL(page_zone(virt_to_page(p)),
			    &contig_page_data.node_zones[ZONE_DMA]);
	CU_ASSERT_PTR_EQUAL(page_zone(virt_to_page(q)),
			    &contig_page_data.node_zones[ZONE_NORMAL]);
	CU_ASSERT_STRING_EQUAL(page_get_cache(virt_to_page(p))->name,
			       "size-128(DMA)");
	memset(p, 0xd1, 100);
	memset(q, 0xd2, 100);
	/* asking a normal cache for DMA memory is a bug, and the reverse */
	CU_ASSERT_TRUE(oopses(kmem_cache_alloc(kmem_find_general_cachep(
		100, 0), GFP_DMA)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "is not a DMA cache"));
	CU_ASSERT_TRUE(oopses(kmem_cache_alloc(kmem_find_general_cachep(
		100, GFP_DMA), GFP_KERNEL)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "is a DMA cache"));
	/* nothing was handed out; the two objects are untouched */
	CU_ASSERT_EQUAL(kmem_find_general_cachep(100, 0)->num_active, 1);
	CU_ASSERT_EQUAL(kmem_find_general_cachep(100, GFP_DMA)->num_active, 1);
	CU_ASSERT_TRUE(all_bytes(p, 0xd1, 100));
	CU_ASSERT_TRUE(all_bytes(q, 0xd2, 100));
	CU_ASSERT_TRUE(slab_check());
	kfree(p);
	kfree(q);
	mm_shutdown();
}

/* ------------------------------------------------------------ slabinfo */

static void test_slabinfo_text(void)
{
	struct kmem_cache *c;
	char *text, *line;
	void *obj[31];

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("test-cache", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	for (int i = 0; i < 31; i++)
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
	text = slabinfo();
	CU_ASSERT_TRUE(starts(text, "slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize>"
		" <objperslab> <pagesperslab> : tunables <limit> <batchcount>"
		" <sharedfactor> : slabdata <active_slabs> <num_slabs>"
		" <sharedavail>\n"));
	line = strchr(strchr(text, '\n') + 1, '\n') + 1;   /* newest first */
	CU_ASSERT_TRUE(starts(line, "test-cache            31     60    128"
		"   30    1 : tunables    0    0    0 : slabdata      2      2"
		"      0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nkmem_cache             1     17"
		"    224   17    1 : tunables    0    0    0 : slabdata      1"
		"      1      0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nsize-32(DMA)           0      0"
		"     32  112    1 : tunables"));
	free(text);
	for (int i = 0; i < 31; i++)
		kmem_cache_free(c, obj[i]);
	text = slabinfo();
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\ntest-cache             0     60"
		"    128   30    1 : tunables    0    0    0 : slabdata      0"
		"      2      0\n"));
	free(text);
	mm_shutdown();
}

/* ------------------------------------------------------------ shrink */

static void test_shrink_returns_exactly_the_free_slabs(void)
{
	struct kmem_cache *c, *big;
	void *obj[150], *b[4];
	unsigned long free0, free1;

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("t100", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	free0 = nr_free_pages();
	for (int i = 0; i < 150; i++)
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
	CU_ASSERT_EQUAL(free0 - nr_free_pages(), 5);
	free1 = nr_free_pages();
	for (int i = 30; i < 120; i++)       /* empty slabs 1, 2 and 3 */
		kmem_cache_free(c, obj[i]);
	kmem_cache_free(c, obj[0]);          /* slab 0 only partial */
	CU_ASSERT_EQUAL(nr_free_pages(), free1);       /* nothing given back */
	CU_ASSERT_EQUAL(kmem_cache_shrink(c), 3);
	CU_ASSERT_EQUAL(nr_free_pages(), free1 + 3);
	check_lists(c, 1, 1, 0);
	CU_ASSERT_EQUAL(kmem_cache_shrink(c), 0);
	/* the live objects are where they were and still usable */
	for (int i = 120; i < 150; i++)
		fill(obj[i], (unsigned char)i, 104);
	for (int i = 120; i < 150; i++)
		CU_ASSERT_TRUE(all_bytes(obj[i], (unsigned char)i, 104));
	/* an order-1 cache gives back two pages a slab */
	big = kmem_cache_create("t3000", 3000, 0, 0, NULL);
	for (int i = 0; i < 4; i++)
		b[i] = kmem_cache_alloc(big, GFP_KERNEL);
	for (int i = 0; i < 4; i++)
		kmem_cache_free(big, b[i]);
	free1 = nr_free_pages();
	CU_ASSERT_EQUAL(kmem_cache_shrink(big), 4);
	CU_ASSERT_EQUAL(nr_free_pages(), free1 + 4);
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

static void test_reap_all_caches_and_offslab_descriptors(void)
{
	struct kmem_cache *c;
	void *obj[16], *k[100];
	unsigned long free0;

	BOOT("mem=64M quiet" KERNEL_HALF);
	free0 = nr_free_pages();
	c = kmem_cache_create("t512", 512, 0, 0, NULL);
	for (int i = 0; i < 16; i++)
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 100; i++)
		k[i] = kmalloc(40, GFP_KERNEL);
	for (int i = 0; i < 16; i++)
		kmem_cache_free(c, obj[i]);
	for (int i = 0; i < 100; i++)
		kfree(k[i]);
	/* t512's 2 pages, then size-96's page (its descriptors), size-64's
	 * 2 pages; kmem_cache keeps t512's descriptor */
	CU_ASSERT_EQUAL(kmem_cache_reap(GFP_KERNEL), 5);
	CU_ASSERT_EQUAL(nr_free_pages(), free0 - 1);
	CU_ASSERT_EQUAL(kmem_cache_destroy(c), 0);
	CU_ASSERT_EQUAL(kmem_cache_reap(GFP_KERNEL), 1);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_TRUE(slab_check());
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ destroy */

static void test_destroy_with_live_objects_is_refused(void)
{
	struct kmem_cache *c;
	char *obj[40];
	char *text;

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("busy", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	for (int i = 0; i < 40; i++) {
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
		fill(obj[i], (unsigned char)(i + 1), 100);
	}
	for (int i = 0; i < 30; i++)        /* the first slab empties */
		kmem_cache_free(c, obj[i]);
	dmesg_clear();
	CU_ASSERT_EQUAL(kmem_cache_destroy(c), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "slab error in "
		"kmem_cache_destroy(): cache `busy': Can't free all objects"));
	/* the empty slab went back, as in Linux; nothing in use did */
	check_lists(c, 0, 1, 0);
	for (int i = 30; i < 40; i++)
		CU_ASSERT_TRUE(all_bytes(obj[i], (unsigned char)(i + 1), 100));
	text = slabinfo();
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nbusy "));
	free(text);
	/* the cache still works; emptied, it can be destroyed */
	obj[0] = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, obj[0]);
	for (int i = 30; i < 40; i++)
		kmem_cache_free(c, obj[i]);
	CU_ASSERT_EQUAL(kmem_cache_destroy(c), 0);
	text = slabinfo();
	CU_ASSERT_PTR_NULL(strstr(text, "\nbusy "));
	free(text);
	/* a boot cache cannot be destroyed; it keeps its objects and works */
	obj[0] = kmalloc(64, GFP_KERNEL);
	fill(obj[0], 0x64, 64);
	CU_ASSERT_TRUE(oopses(kmem_cache_destroy(
		kmem_find_general_cachep(64, 0))));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "`size-64' was made at boot"));
	CU_ASSERT_TRUE(all_bytes(obj[0], 0x64, 64));
	obj[1] = kmalloc(64, GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL(obj[1]);
	kfree(obj[1]);
	kfree(obj[0]);
	CU_ASSERT_TRUE(slab_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ misuse */

/* Three objects of size-64 around the victim, filled with patterns;
 * after each misuse they must be as they were. */
struct scene { char *before, *victim, *after; struct kmem_cache *c; };

static void set_scene(struct scene *s, size_t size)
{
	s->before = kmalloc(size, GFP_KERNEL);
	s->victim = kmalloc(size, GFP_KERNEL);
	s->after = kmalloc(size, GFP_KERNEL);
	s->c = kmem_find_general_cachep(size, 0);
	fill(s->before, 0xb1, size);
	fill(s->victim, 0xb2, size);
	fill(s->after, 0xb3, size);
}

static void check_scene(struct scene *s, size_t size)
{
	unsigned long active = s->c->num_active;

	CU_ASSERT_TRUE(all_bytes(s->before, 0xb1, size));
	CU_ASSERT_TRUE(all_bytes(s->after, 0xb3, size));
	CU_ASSERT_TRUE(slab_check());
	kfree(s->before);
	kfree(s->after);
	CU_ASSERT_EQUAL(s->c->num_active, active - 2);
}

static bool said(const char *what)
{
	bool yes = strstr(last_oops(), what) != NULL;

	if (!yes)
		fprintf(stderr, "\nexpected \"%s\" in: %s\n", what, last_oops());
	return yes;
}

static void test_create_refusals(void)
{
	struct scene s;
	unsigned long caches;
	char *text;

	BOOT("mem=64M quiet" KERNEL_HALF);
	set_scene(&s, 64);
	CU_ASSERT_PTR_NOT_NULL(kmem_cache_create("dup", 64, 0, 0, NULL));
	dmesg_clear();
	CU_ASSERT_PTR_NULL(kmem_cache_create("dup", 64, 0, 0, NULL));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "duplicate cache dup"));
	text = slabinfo();
	caches = 0;
	for (char *t = text; (t = strchr(t, '\n')) != NULL; t++)
		caches++;
	free(text);
	CU_ASSERT_TRUE(oopses(kmem_cache_create("zero", 0, 0, 0, NULL)));
	CU_ASSERT_TRUE(said("Early error in slab zero"));
	/* smaller than a word, as in Linux */
	CU_ASSERT_TRUE(oopses(kmem_cache_create("tiny", BYTES_PER_WORD - 1,
						0, 0, NULL)));
	CU_ASSERT_PTR_NOT_NULL(kmem_cache_create("word", BYTES_PER_WORD, 0,
						 0, NULL));
	caches++;
	CU_ASSERT_TRUE(oopses(kmem_cache_create(NULL, 8, 0, 0, NULL)));
	CU_ASSERT_TRUE(oopses(kmem_cache_create("huge", KMALLOC_MAX_SIZE + 1,
						0, 0, NULL)));
	CU_ASSERT_TRUE(oopses(kmem_cache_create("align", 64, 24, 0, NULL)));
	CU_ASSERT_TRUE(oopses(kmem_cache_create("flag", 64, 0, 0x1, NULL)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "Early error in slab"));
	/* no refused cache joined the chain; the live objects are intact */
	text = slabinfo();
	for (char *t = text; (t = strchr(t, '\n')) != NULL; t++)
		caches--;
	free(text);
	CU_ASSERT_EQUAL(caches, 0);
	CU_ASSERT_TRUE(all_bytes(s.victim, 0xb2, 64));
	kfree(s.victim);
	check_scene(&s, 64);
	mm_shutdown();
}

/* An alignment larger than a slab of the first orders: nothing fits until
 * the slab is big enough for the rounded-up descriptor and one object; and
 * when no slab is, the cache is refused with NULL. */
static void test_alignment_larger_than_a_slab(void)
{
	struct kmem_cache *c;
	char *text;
	unsigned long lines = 0, used;
	void *o;

	BOOT("mem=64M quiet" KERNEL_HALF);
	text = slabinfo();
	for (char *t = text; (t = strchr(t, '\n')) != NULL; t++)
		lines++;
	free(text);
	kmem_cache_reap(GFP_KERNEL);
	used = nr_free_pages();
	/* 1 MiB: the descriptor takes the first MiB of a 2 MiB slab */
	c = kmem_cache_create("align-1M", 8, 1UL << 20, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->num, 1);
	CU_ASSERT_EQUAL(c->gfporder, 9);
	CU_ASSERT_EQUAL(c->buffer_size, 1UL << 20);
	CU_ASSERT_EQUAL(c->slab_size, 1UL << 20);
	CU_ASSERT_EQUAL(c->colour, 0);
	CU_ASSERT_FALSE(OFF_SLAB(c));
	if (c->num == 1) {
		o = kmem_cache_alloc(c, GFP_KERNEL);
		CU_ASSERT_PTR_NOT_NULL(o);
		CU_ASSERT_EQUAL(ptr_to_vaddr(o) & ((1UL << 21) - 1), 1UL << 20);
		CU_ASSERT_TRUE(kmem_cache_check(c));
		kmem_cache_free(c, o);
	}
	CU_ASSERT_EQUAL(kmem_cache_destroy(c), 0);
	/* 4 MiB and 2^63: no slab of order 10 or less holds one object */
	dmesg_clear();
	CU_ASSERT_PTR_NULL(kmem_cache_create("align-4M", 8, 4UL << 20, 0,
					     NULL));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
			"kmem_cache_create: couldn't create cache align-4M."));
	CU_ASSERT_PTR_NULL(kmem_cache_create("align-2^63", 8, 1UL << 63, 0,
					     NULL));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "couldn't create cache"
				      " align-2^63."));
	/* nothing was left behind: no cache, no descriptor, no page */
	text = slabinfo();
	for (char *t = text; (t = strchr(t, '\n')) != NULL; t++)
		lines--;
	free(text);
	CU_ASSERT_EQUAL(lines, 0);
	CU_ASSERT_TRUE(slab_check());
	CU_ASSERT_TRUE(buddy_check());
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), used);
	mm_shutdown();
}

static void test_double_free_without_debug(void)
{
	struct scene s;
	char addr[24];
	struct kmem_cache *c;
	void *o;

	BOOT("mem=64M quiet" KERNEL_HALF);
	set_scene(&s, 64);
	snprintf(addr, sizeof addr, "%08lx", ptr_to_vaddr(s.victim));
	kfree(s.victim);
	CU_ASSERT_TRUE(oopses(kfree(s.victim)));
	CU_ASSERT_TRUE(said("double free"));
	CU_ASSERT_TRUE(said("size-64"));
	CU_ASSERT_TRUE(said(addr));
	check_scene(&s, 64);
	/* the free list is intact: the victim comes back exactly once */
	CU_ASSERT_PTR_EQUAL(kmalloc(64, GFP_KERNEL), s.after);
	CU_ASSERT_PTR_EQUAL(kmalloc(64, GFP_KERNEL), s.before);
	CU_ASSERT_PTR_EQUAL(kmalloc(64, GFP_KERNEL), s.victim);
	CU_ASSERT_PTR_NOT_EQUAL(kmalloc(64, GFP_KERNEL), s.victim);
	/* the same through kmem_cache_free */
	c = kmem_cache_create("t100", 100, 0, 0, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, o);
	CU_ASSERT_TRUE(oopses(kmem_cache_free(c, o)));
	CU_ASSERT_TRUE(said("slab error in kmem_cache_free(): cache `t100'"));
	CU_ASSERT_TRUE(kmem_cache_check(c));
	mm_shutdown();
}

static void test_foreign_pointers(void)
{
	struct scene s;
	struct page *page;
	char local[8], addr[24];

	BOOT("mem=64M quiet" KERNEL_HALF);
	set_scene(&s, 64);
	/* a page from the buddy allocator, not a slab */
	page = alloc_page(GFP_KERNEL);
	snprintf(addr, sizeof addr, "%08lx", ptr_to_vaddr(page_address(page)));
	CU_ASSERT_TRUE(oopses(kfree(page_address(page))));
	CU_ASSERT_TRUE(said("not a slab object"));
	CU_ASSERT_TRUE(said(addr));
	__free_page(page);
	/* the host's stack */
	CU_ASSERT_TRUE(oopses(kfree(local)));
	CU_ASSERT_TRUE(said("not a kernel address"));
	/* a model address outside the direct map (the vmalloc area) */
	CU_ASSERT_TRUE(oopses(kfree(vaddr_to_ptr(VMALLOC_START + 64))));
	CU_ASSERT_TRUE(said("outside the direct map"));
	snprintf(addr, sizeof addr, "%08lx", VMALLOC_START + 64);
	CU_ASSERT_TRUE(said(addr));
	/* a user-space address */
	CU_ASSERT_TRUE(oopses(kfree(vaddr_to_ptr(0x08048000))));
	CU_ASSERT_TRUE(said("08048000"));
	CU_ASSERT_TRUE(all_bytes(s.victim, 0xb2, 64));
	kfree(s.victim);
	check_scene(&s, 64);
	mm_shutdown();
}

/* A slab's pages go back to the buddy allocator only through the slab
 * allocator: freeing one directly is Linux's "Bad page state" (PG_slab). */
static void test_page_allocator_refuses_slab_pages(void)
{
	struct kmem_cache *c;
	char *before, *after, *p, *o;
	struct slab *slabp;
	struct page *head;

	BOOT("mem=64M quiet" KERNEL_HALF);
	p = kmalloc(PAGE_SIZE, GFP_KERNEL);
	fill(p, 0xc4, PAGE_SIZE);
	c = kmem_cache_create("two-pages", 3000, 0, 0, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	fill(o, 0xc5, 3000);
	slabp = page_get_slab(virt_to_page(o));
	head = virt_to_page((char *)slabp->s_mem - slabp->colouroff);
	CU_ASSERT_EQUAL(c->gfporder, 1);
	before = proc_text(proc_buddyinfo);
	/* an order-0 slab, through its address and through its page */
	CU_ASSERT_TRUE(oopses(free_page(p)));
	CU_ASSERT_TRUE(said("a page of slab cache `size-4096'"));
	CU_ASSERT_TRUE(oopses(put_page(virt_to_page(p))));
	CU_ASSERT_TRUE(said("Bad page state"));
	/* an order-1 slab: its first page, and its second */
	CU_ASSERT_TRUE(oopses(__free_pages(head, 1)));
	CU_ASSERT_TRUE(said("a page of slab cache `two-pages'"));
	CU_ASSERT_TRUE(oopses(__free_page(head + 1)));
	CU_ASSERT_TRUE(said("a page of slab cache `two-pages'"));
	/* nothing changed: the free lists, the slabs, the objects */
	after = proc_text(proc_buddyinfo);
	CU_ASSERT_STRING_EQUAL(after, before);
	free(after);
	CU_ASSERT_TRUE(buddy_check());
	CU_ASSERT_TRUE(slab_check());
	CU_ASSERT_EQUAL(page_count(virt_to_page(p)), 1);
	CU_ASSERT_TRUE(all_bytes(p, 0xc4, PAGE_SIZE));
	CU_ASSERT_TRUE(all_bytes(o, 0xc5, 3000));
	/* and the slab allocator still gives them back */
	kfree(p);
	kmem_cache_free(c, o);
	CU_ASSERT_EQUAL(kmem_cache_destroy(c), 0);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_TRUE(buddy_check());
	CU_ASSERT_TRUE(slab_check());
	free(before);
	mm_shutdown();
}

static void test_interior_pointers(void)
{
	struct scene s;
	char addr[24], obj[16];
	struct kmem_cache *c, *d;
	void *o;

	BOOT("mem=64M quiet" KERNEL_HALF);
	set_scene(&s, 64);
	snprintf(addr, sizeof addr, "%08lx", ptr_to_vaddr(s.victim + 8));
	snprintf(obj, sizeof obj, "%08lx", ptr_to_vaddr(s.victim));
	CU_ASSERT_TRUE(oopses(kfree(s.victim + 8)));
	CU_ASSERT_TRUE(said("size-64"));
	CU_ASSERT_TRUE(said(addr));
	CU_ASSERT_TRUE(said("8 bytes into the object at"));
	CU_ASSERT_TRUE(said(obj));
	CU_ASSERT_TRUE(oopses(ksize(s.victim + 63)));
	/* the descriptor at the start of an on-slab slab's page */
	CU_ASSERT_TRUE(oopses(kfree((void *)page_get_slab(
		virt_to_page(s.victim)))));
	CU_ASSERT_TRUE(said("descriptor or colour area"));
	CU_ASSERT_TRUE(all_bytes(s.victim, 0xb2, 64));
	kfree(s.victim);
	check_scene(&s, 64);
	/* past the last object, in the slab's leftover bytes */
	c = kmem_cache_create("t600", 600, 0, 0, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	CU_ASSERT_TRUE(oopses(kmem_cache_free(c, (char *)o + 6 * 600)));
	CU_ASSERT_TRUE(said("past the slab's last object"));
	/* the wrong cache */
	d = kmem_cache_create("other", 600, 0, 0, NULL);
	CU_ASSERT_TRUE(oopses(kmem_cache_free(d, o)));
	CU_ASSERT_TRUE(said("belongs to cache `t600', not `other'"));
	kmem_cache_free(c, o);
	CU_ASSERT_TRUE(slab_check());
	mm_shutdown();
}

/* A second kmem_cache_destroy finds the cache gone from the chain and
 * names its address, without reading the freed descriptor. */
static void test_destroy_twice(void)
{
	struct kmem_cache *c, *d;
	char want[80];
	void *o;

	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("once", 100, 0, 0, NULL);
	CU_ASSERT_EQUAL(kmem_cache_destroy(c), 0);
	snprintf(want, sizeof want, "kmem_cache_destroy: cache %08lx is not"
		 " on cache_chain", ptr_to_vaddr(c));
	CU_ASSERT_TRUE(oopses(kmem_cache_destroy(c)));
	CU_ASSERT_TRUE(said(want));
	/* the descriptor is reused by the next cache: still caught, since
	 * the stale pointer is compared, not followed ... */
	d = kmem_cache_create("twice", 100, 0, 0, NULL);
	CU_ASSERT_PTR_EQUAL(d, c);
	o = kmem_cache_alloc(d, GFP_KERNEL);
	fill(o, 0x2d, 100);
	CU_ASSERT_EQUAL(kmem_cache_destroy(d), 1);
	/* ... and the live cache and its object are intact */
	CU_ASSERT_TRUE(all_bytes(o, 0x2d, 100));
	kmem_cache_free(d, o);
	CU_ASSERT_EQUAL(kmem_cache_destroy(d), 0);
	CU_ASSERT_TRUE(oopses(kmem_cache_destroy(d)));
	CU_ASSERT_TRUE(said("is not on cache_chain"));
	CU_ASSERT_TRUE(slab_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ no machine */

#define NOT_RUNNING(stmt, name) do {                                     \
	CU_ASSERT_TRUE(oopses(stmt));                                   \
	CU_ASSERT_TRUE(said("kernel BUG: " name                         \
			    ": the machine is not running"));           \
} while (0)

/* Every entry point refuses before it follows a pointer. */
static void refuse_everything(struct kmem_cache *c, void *obj)
{
	CU_ASSERT_FALSE(mm_booted());
	NOT_RUNNING(kmem_cache_create("late", 64, 0, 0, NULL),
		    "kmem_cache_create");
	NOT_RUNNING(kmem_cache_alloc(c, GFP_KERNEL), "kmem_cache_alloc");
	NOT_RUNNING(kmem_cache_free(c, obj), "kmem_cache_free");
	NOT_RUNNING(kmem_cache_shrink(c), "kmem_cache_shrink");
	NOT_RUNNING(kmem_cache_destroy(c), "kmem_cache_destroy");
	NOT_RUNNING(kmem_cache_size(c), "kmem_cache_size");
	NOT_RUNNING(kmalloc(64, GFP_KERNEL), "kmalloc");
	NOT_RUNNING(kzalloc(64, GFP_KERNEL), "kzalloc");
	NOT_RUNNING(kfree(obj), "kfree");
	NOT_RUNNING(kfree(NULL), "kfree");
	NOT_RUNNING(ksize(obj), "ksize");
	NOT_RUNNING(kmem_cache_init(), "kmem_cache_init");
	NOT_RUNNING(kmem_cache_reap(GFP_KERNEL), "kmem_cache_reap");
	NOT_RUNNING(kmem_find_general_cachep(64, 0),
		    "kmem_find_general_cachep");
	NOT_RUNNING(proc_slabinfo(stdout), "proc_slabinfo");
	NOT_RUNNING(kmem_cache_check(c), "kmem_cache_check");
	NOT_RUNNING(slab_check(), "slab_check");
}

static void test_no_machine(void)
{
	struct kmem_cache *c;
	char local[64];
	void *obj;

	/* before a boot: pointers that were never the kernel's */
	refuse_everything((struct kmem_cache *)local, local);
	refuse_everything(NULL, NULL);
	/* after shutdown: a cache and an object of the machine that is gone */
	BOOT("mem=64M quiet" KERNEL_HALF);
	c = kmem_cache_create("gone", 64, 0, 0, NULL);
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(obj);
	mm_shutdown();
	refuse_everything(c, obj);
	/* a new machine starts clean: no cache from the old one */
	BOOT("mem=64M quiet" KERNEL_HALF);
	CU_ASSERT_TRUE(slab_check());
	CU_ASSERT_EQUAL(nr_free_pages(), max_pfn - bootmem_reserved_pages());
	mm_shutdown();
}

/* ------------------------------------------------------------ debug */

static void test_debug_layout(void)
{
	struct kmem_cache *c;
	unsigned char *p;

	BOOT("mem=64M slab_debug quiet" KERNEL_HALF);
	c = kmem_find_general_cachep(64, 0);
	CU_ASSERT_EQUAL(c->flags & (SLAB_POISON | SLAB_RED_ZONE),
			SLAB_POISON | SLAB_RED_ZONE);
	CU_ASSERT_EQUAL(c->buffer_size, 80);
	CU_ASSERT_EQUAL(c->obj_offset, 8);
	CU_ASSERT_EQUAL(kmem_find_general_cachep(4096, 0)->flags
			& (SLAB_POISON | SLAB_RED_ZONE), SLAB_POISON);
	p = kmalloc(64, GFP_KERNEL);
	CU_ASSERT_EQUAL(ksize(p), 64);
	CU_ASSERT_TRUE(all_bytes(p, POISON_INUSE, 63));   /* uninitialised */
	CU_ASSERT_EQUAL(p[63], POISON_END);
	CU_ASSERT_EQUAL(((unsigned long long *)p)[-1], RED_ACTIVE);
	CU_ASSERT_EQUAL(*(unsigned long long *)(p + 64), RED_ACTIVE);
	kfree(p);
	CU_ASSERT_TRUE(all_bytes(p, POISON_FREE, 63));
	CU_ASSERT_EQUAL(p[63], POISON_END);
	CU_ASSERT_EQUAL(((unsigned long long *)p)[-1], RED_INACTIVE);
	/* without the parameter, no debugging */
	mm_shutdown();
	BOOT("mem=64M quiet" KERNEL_HALF);
	CU_ASSERT_EQUAL(kmem_find_general_cachep(64, 0)->flags
			& (SLAB_POISON | SLAB_RED_ZONE), 0);
	mm_shutdown();
}

static void test_write_after_free_is_reported(void)
{
	struct scene s;
	char head[80];
	unsigned char *again;

	BOOT("mem=64M slab_debug quiet" KERNEL_HALF);
	set_scene(&s, 64);
	kfree(s.victim);
	s.victim[5] = 0x42;                  /* the bug */
	s.victim[17] = 0x43;
	dmesg_clear();
	again = kmalloc(64, GFP_KERNEL);     /* detected here */
	CU_ASSERT_PTR_EQUAL(again, s.victim);
	snprintf(head, sizeof head, "Slab corruption: cache `size-64' "
		 "start=%08lx, len=64", ptr_to_vaddr(s.victim));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), head));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "\n000: 6b 6b 6b 6b 6b 42 6b"
		" 6b 6b 6b 6b 6b 6b 6b 6b 6b\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "\n010: 6b 43 6b"));
	CU_ASSERT_PTR_NULL(strstr(dmesg(), "\n020:"));      /* clean lines */
	CU_ASSERT_EQUAL(s.c->errors, 1);
	/* reported and handed out, freshly poisoned as in use */
	CU_ASSERT_TRUE(all_bytes(again, POISON_INUSE, 63));
	kfree(again);
	check_scene(&s, 64);
	mm_shutdown();
}

static void test_write_past_end_is_caught_at_free(void)
{
	struct scene s;
	char addr[24];

	BOOT("mem=64M slab_debug quiet" KERNEL_HALF);
	set_scene(&s, 64);
	memcpy(s.victim + 64, "AAAA", 4);    /* the bug: 4 bytes too many */
	snprintf(addr, sizeof addr, "%08lx", ptr_to_vaddr(s.victim));
	CU_ASSERT_TRUE(oopses(kfree(s.victim)));
	CU_ASSERT_TRUE(said("slab error in kfree(): cache `size-64': memory"
			    " outside object was overwritten"));
	CU_ASSERT_TRUE(said(addr));
	CU_ASSERT_TRUE(said("redzone 1:0xd84156c5635688c0"));
	CU_ASSERT_TRUE(said("040: 41 41 41 41 c5 56 41 d8"));
	/* nothing changed: still allocated, still the caller's bytes */
	CU_ASSERT_TRUE(all_bytes(s.victim, 0xb2, 64));
	CU_ASSERT_EQUAL(s.c->num_active, 3);
	check_scene(&s, 64);
	/* a write before the start is caught the same way */
	s.victim[-1] = 0;
	CU_ASSERT_TRUE(oopses(kfree(s.victim)));
	CU_ASSERT_TRUE(said("-08: c0 88 56 63 c5 56 41 00"));
	mm_shutdown();
}

static void test_double_free_with_red_zones(void)
{
	struct scene s;

	BOOT("mem=64M slab_debug quiet" KERNEL_HALF);
	set_scene(&s, 64);
	kfree(s.victim);
	CU_ASSERT_TRUE(oopses(kfree(s.victim)));
	CU_ASSERT_TRUE(said("double free"));
	CU_ASSERT_TRUE(said("redzone 1:0x9f911029d74e35b, redzone 2:"
			    "0x9f911029d74e35b"));
	CU_ASSERT_TRUE(all_bytes(s.victim, POISON_FREE, 63));
	check_scene(&s, 64);
	mm_shutdown();
}

/* ------------------------------------------------------------ stress */

static unsigned long long rng_state;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state % n);
}

enum kind { NONE, KMALLOC, CACHE, PAGES };
struct live { enum kind kind; void *p; size_t size; int cache; unsigned int
	      order; unsigned char tag; };

static size_t random_size(void)
{
	switch (rnd(10)) {
	case 0:  return 1 + rnd(16384);
	case 1:  return 1 + rnd(2048);
	default: return 1 + rnd(256);
	}
}

static void release(struct live *l, struct kmem_cache **caches)
{
	unsigned char *p = l->p;
	size_t n = l->size < 64 ? l->size : 64;

	CU_ASSERT_TRUE(all_bytes(p, l->tag, n));
	CU_ASSERT_TRUE(all_bytes(p + l->size - n, l->tag, n));
	if (l->kind == KMALLOC)
		kfree(p);
	else if (l->kind == CACHE)
		kmem_cache_free(caches[l->cache], p);
	else
		free_pages(p, l->order);
	l->kind = NONE;
}

static void take(struct live *l, struct kmem_cache **caches,
		 const size_t *csize)
{
	int what = (int)rnd(10);

	l->tag = (unsigned char)(1 + rnd(255));
	if (what < 6) {
		l->kind = KMALLOC;
		l->size = random_size();
		l->p = rnd(20) ? kmalloc(l->size, GFP_KERNEL)
			       : kzalloc(l->size, GFP_KERNEL);
	} else if (what < 9) {
		l->kind = CACHE;
		l->cache = (int)rnd(3);
		l->size = csize[l->cache];
		l->p = kmem_cache_alloc(caches[l->cache], GFP_KERNEL);
	} else {
		l->kind = PAGES;
		l->order = rnd(3);
		l->size = PAGE_SIZE << l->order;
		l->p = __get_free_pages(GFP_KERNEL, l->order);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(l->p);
	memset(l->p, l->tag, l->size);
}

static void stress(const char *cmdline)
{
	enum { SLOTS = 2000, OPS = 100000 };
	static const size_t csize[3] = { 24, 200, 700 };
	struct kmem_cache *caches[3];
	struct live *slot = calloc(SLOTS, sizeof *slot);
	unsigned long free0;

	BOOT(cmdline);
	rng_state = 0x9e3779b97f4a7c15ULL;
	free0 = nr_free_pages();
	caches[0] = kmem_cache_create("s24", 24, 0, 0, NULL);
	caches[1] = kmem_cache_create("s200", 200, 0, SLAB_HWCACHE_ALIGN,
				      NULL);
	caches[2] = kmem_cache_create("s700", 700, 0, 0, NULL);
	for (int op = 0; op < OPS; op++) {
		struct live *l = &slot[rnd(SLOTS)];

		if (l->kind != NONE)
			release(l, caches);
		else
			take(l, caches, csize);
		if (op % 1000 == 999 && rnd(4) == 0)
			kmem_cache_reap(GFP_KERNEL);
		if (op % 10000 == 9999) {
			CU_ASSERT_TRUE(buddy_check());
			CU_ASSERT_TRUE(slab_check());
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slot[i].kind != NONE)
			release(&slot[i], caches);
	CU_ASSERT_TRUE(slab_check());
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(kmem_cache_destroy(caches[i]), 0);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_TRUE(buddy_check());
	CU_ASSERT_TRUE(slab_check());
	free(slot);
	mm_shutdown();
}

static void test_random_stress(void) { stress("mem=64M quiet" KERNEL_HALF); }
static void test_random_stress_debug(void)
{
	stress("mem=64M slab_debug quiet" KERNEL_HALF);
}

TEST_SUITE(slab, "ch04 slab", NULL, NULL,
	{ "geometry of several sizes", test_geometry_of_several_sizes },
	{ "general caches", test_general_caches },
	{ "exact addresses and colours", test_exact_addresses_and_colours },
	{ "off-slab addresses", test_offslab_addresses },
	{ "multi-page slabs", test_multi_page_slab_pages_point_back },
	{ "slab counts on the three lists", test_list_counts },
	{ "constructor once per object", test_ctor_once_per_object },
	{ "kmalloc sizes and ksize", test_kmalloc_sizes_and_ksize },
	{ "kzalloc zeroes", test_kzalloc_zeroes },
	{ "kmalloc(0) and kfree(NULL)", test_kmalloc_zero_and_null },
	{ "kmalloc too big", test_kmalloc_too_big },
	{ "kmalloc GFP_DMA", test_kmalloc_dma },
	{ "/proc/slabinfo", test_slabinfo_text },
	{ "shrink returns the free slabs", test_shrink_returns_exactly_the_free_slabs },
	{ "reap and off-slab descriptors", test_reap_all_caches_and_offslab_descriptors },
	{ "destroy with live objects", test_destroy_with_live_objects_is_refused },
	{ "kmem_cache_create refusals", test_create_refusals },
	{ "alignment larger than a slab", test_alignment_larger_than_a_slab },
	{ "double free without debug", test_double_free_without_debug },
	{ "foreign pointers", test_foreign_pointers },
	{ "interior pointers", test_interior_pointers },
	{ "destroying a cache twice", test_destroy_twice },
	{ "no machine: every entry point refuses", test_no_machine },
	{ "the page allocator refuses slab pages",
	  test_page_allocator_refuses_slab_pages },
	{ "debug layout", test_debug_layout },
	{ "write after free (poison)", test_write_after_free_is_reported },
	{ "write past the end (red zone)", test_write_past_end_is_caught_at_free },
	{ "double free with red zones", test_double_free_with_red_zones },
	{ "randomized run", test_random_stress },
	{ "randomized run, slab_debug", test_random_stress_debug })
