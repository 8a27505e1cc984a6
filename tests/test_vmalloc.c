/* test_vmalloc.c -- chapter 6: area placement, page tables after vmalloc
 * and vfree, vmap, high memory through vmalloc, kmap and kmap_atomic,
 * misuse, failure part-way, and a randomized mix with invariant checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

#define VS  VMALLOC_START

static unsigned long va(const void *p) { return ptr_to_vaddr(p); }

static unsigned long pte_at(unsigned long addr)
{
	pte_t *pte = lookup_pte(swapper_pg_dir, addr);

	return pte ? pte_val(*pte) : 0xdeadbeefUL;
}

/* /proc/vmallocinfo as a string, valid until the next call. */
static char *vmallocinfo(void)
{
	static char *text;

	free(text);
	text = proc_text(proc_vmallocinfo);
	return text;
}

/* ------------------------------------------------------------ placement */

static void test_first_fit_guard_pages_and_reuse(void)
{
	BOOT("mem=64M quiet" KERNEL_HALF);
	CU_ASSERT_EQUAL(VS, 0xC4800000UL);
	char *a = vmalloc(PAGE_SIZE);
	char *b = vmalloc(2 * PAGE_SIZE);
	char *c = vmalloc(100);
	CU_ASSERT_EQUAL(va(a), 0xC4800000UL);
	CU_ASSERT_EQUAL(va(b), 0xC4802000UL);     /* after a's guard page */
	CU_ASSERT_EQUAL(va(c), 0xC4805000UL);
	vfree(b);                                  /* a 3-page hole */
	char *d = vmalloc(3 * PAGE_SIZE);          /* needs 4: goes after c */
	char *e = vmalloc(2 * PAGE_SIZE);          /* needs 3: fills the hole */
	char *f = vmalloc(1);
	CU_ASSERT_EQUAL(va(d), 0xC4807000UL);
	CU_ASSERT_EQUAL(va(e), 0xC4802000UL);
	CU_ASSERT_EQUAL(va(f), 0xC480B000UL);
	CU_ASSERT_STRING_EQUAL(vmallocinfo(),
		"0xc4800000-0xc4802000    8192 "
		"test_first_fit_guard_pages_and_reuse pages=1 vmalloc\n"
		"0xc4802000-0xc4805000   12288 "
		"test_first_fit_guard_pages_and_reuse pages=2 vmalloc\n"
		"0xc4805000-0xc4807000    8192 "
		"test_first_fit_guard_pages_and_reuse pages=1 vmalloc\n"
		"0xc4807000-0xc480b000   16384 "
		"test_first_fit_guard_pages_and_reuse pages=3 vmalloc\n"
		"0xc480b000-0xc480d000    8192 "
		"test_first_fit_guard_pages_and_reuse pages=1 vmalloc\n");
	vfree(a);
	vfree(c);
	/* a and c's holes merge with nothing: 2 and 2 pages */
	char *g = vmalloc(PAGE_SIZE);
	CU_ASSERT_EQUAL(va(g), 0xC4800000UL);
	char *h = vmalloc(2 * PAGE_SIZE);          /* 3 pages: after f */
	CU_ASSERT_EQUAL(va(h), 0xC480D000UL);
	vfree(d); vfree(e); vfree(f); vfree(g); vfree(h);
	CU_ASSERT_PTR_NULL(vmlist);
	CU_ASSERT_STRING_EQUAL(vmallocinfo(), "");
	mm_shutdown();
}

static void test_vmalloc_range_as_linux_computes_it(void)
{
	static const struct { const char *boot; unsigned long start; } m[] = {
		{ "mem=16M quiet", 0xC1800000UL },  /* 16 MiB + 8, rounded */
		{ "mem=20M quiet", 0xC2000000UL },  /* 28 MiB, up to 32 */
		{ "mem=64M quiet", 0xC4800000UL },
		{ "mem=1G quiet",  0xF8800000UL },  /* direct map ends at 896 */
		{ "mem=2G quiet",  0xF8800000UL },
	};
	for (unsigned int i = 0; i < sizeof m / sizeof m[0]; i++) {
		BOOT(m[i].boot);
		CU_ASSERT_EQUAL(VMALLOC_START, m[i].start);
		CU_ASSERT_EQUAL(VMALLOC_END, 0xFF7FE000UL);
		char *p = vmalloc(1);
		CU_ASSERT_EQUAL(va(p), m[i].start);
		vfree(p);
		mm_shutdown();
	}
}

static void test_largest_area_fills_the_range(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	unsigned long range = VMALLOC_END - VS;
	/* the area and its guard page end exactly at VMALLOC_END */
	struct vm_struct *a = get_vm_area(range - PAGE_SIZE, VM_ALLOC);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(va(a->addr), VS);
	CU_ASSERT_EQUAL(va(a->addr) + a->size, VMALLOC_END);
	CU_ASSERT_PTR_NULL(get_vm_area(1, VM_ALLOC));   /* nothing is left */
	kfree(remove_vm_area(a->addr));
	/* one page more than fits is refused, and changes nothing */
	CU_ASSERT_PTR_NULL(get_vm_area(range, VM_ALLOC));
	CU_ASSERT_PTR_NULL(vmlist);
	mm_shutdown();
}

/* A size of more pages than the machine has fits in the vmalloc range of
 * a 16 MiB machine, so only the early check can refuse it before any
 * work: no descriptor, no page array, no pte table, no page taken, no
 * "page allocation failure" in the log.  Without the check, vmalloc and
 * vmap get that far and fail later; this test then fails. */
static void test_sizes_refused(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long too_many = max_pfn + 1;
	struct page **pages = calloc(too_many, sizeof *pages);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pages);
	/* 4097 pages would fit in the range many times over */
	CU_ASSERT_EQUAL(too_many, 4097);
	CU_ASSERT_EQUAL(VMALLOC_END - VS, 0x3DFFE000UL);
	kmem_cache_reap(GFP_KERNEL);
	unsigned long free0 = nr_free_pages();
	char *slabs0 = proc_text(proc_slabinfo);
	dmesg_clear();
	CU_ASSERT_PTR_NULL(vmalloc(0));
	CU_ASSERT_PTR_NULL(vmalloc(too_many * PAGE_SIZE));
	CU_ASSERT_PTR_NULL(vmalloc(max_pfn * PAGE_SIZE + 1));
	CU_ASSERT_PTR_NULL(vmap(pages, (unsigned int)too_many, VM_MAP,
				PAGE_KERNEL));
	CU_ASSERT_PTR_NULL(get_vm_area(0, VM_ALLOC));
	CU_ASSERT_PTR_NULL(get_vm_area(VMALLOC_END - VS, VM_ALLOC));
	CU_ASSERT_PTR_NULL(vmlist);
	/* nothing was done on the way to the refusal */
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 0);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_STRING_EQUAL(dmesg(), "");
	char *slabs = proc_text(proc_slabinfo);
	CU_ASSERT_STRING_EQUAL(slabs, slabs0);
	free(slabs);
	free(slabs0);
	free(pages);
	mm_shutdown();
}

static void test_area_range_is_exhausted_exactly(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long end = VS + 4 * PAGE_SIZE;
	struct vm_struct *a = __get_vm_area(3 * PAGE_SIZE, VM_ALLOC, VS, end);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(va(a->addr), VS);
	CU_ASSERT_EQUAL(a->size, 4 * PAGE_SIZE);
	CU_ASSERT_PTR_NULL(__get_vm_area(PAGE_SIZE, VM_ALLOC, VS, end));
	CU_ASSERT_PTR_EQUAL(remove_vm_area(a->addr), a);
	kfree(a);
	CU_ASSERT_PTR_NULL(vmlist);
	mm_shutdown();
}

static void test_ioremap_alignment(void)
{
	BOOT("mem=64M quiet" KERNEL_HALF);
	struct vm_struct *a = get_vm_area(PAGE_SIZE, VM_ALLOC);
	struct vm_struct *b = get_vm_area(3 * PAGE_SIZE, VM_IOREMAP);
	struct vm_struct *c = get_vm_area(PAGE_SIZE, VM_ALLOC);
	CU_ASSERT_FATAL(a && b && c);
	CU_ASSERT_EQUAL(va(b->addr), 0xC4804000UL);    /* 16 KiB aligned */
	CU_ASSERT_EQUAL(va(c->addr), 0xC4802000UL);    /* first fit below b */
	CU_ASSERT_PTR_EQUAL(find_vm_area(b->addr), b);
	CU_ASSERT_PTR_NULL(find_vm_area((char *)b->addr + PAGE_SIZE));
	kfree(remove_vm_area(a->addr));
	kfree(remove_vm_area(b->addr));
	kfree(remove_vm_area(c->addr));
	mm_shutdown();
}

/* ------------------------------------------------------------ tables */

static void test_ptes_after_vmalloc_and_vfree(void)
{
	BOOT("mem=64M tlb=64 quiet" KERNEL_HALF);
	char *p = vmalloc(5 * PAGE_SIZE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct vm_struct *area = find_vm_area(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(area);
	CU_ASSERT_EQUAL(area->nr_pages, 5);
	CU_ASSERT_EQUAL(area->flags, VM_ALLOC);
	for (unsigned int i = 0; i < 5; i++) {
		unsigned long pfn = page_to_pfn(area->pages[i]);
		CU_ASSERT_EQUAL(pte_at(va(p) + i * PAGE_SIZE),
				(pfn << PAGE_SHIFT) | 0x063);
		CU_ASSERT_PTR_EQUAL(vmalloc_to_page(p + i * PAGE_SIZE),
				    area->pages[i]);
		CU_ASSERT_EQUAL(page_count(area->pages[i]), 1);
	}
	CU_ASSERT_EQUAL(pte_at(va(p) + 5 * PAGE_SIZE), 0);    /* the guard */
	CU_ASSERT_PTR_NULL(vmalloc_to_page(p + 5 * PAGE_SIZE));
	/* use it: one refill per page, each writable at once */
	memset(p, 0x5a, 5 * PAGE_SIZE);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 5);
	CU_ASSERT_TRUE(tlb_lookup(va(p) + 4 * PAGE_SIZE, NULL, NULL));
	CU_ASSERT_TRUE(oopses(p[5 * PAGE_SIZE] = 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "c4805000"));
	unsigned long free0 = nr_free_pages();
	vfree(p);
	CU_ASSERT_EQUAL(nr_free_pages(), free0 + 5);
	for (unsigned int i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(pte_at(va(p) + i * PAGE_SIZE), 0);
		CU_ASSERT_FALSE(tlb_lookup(va(p) + i * PAGE_SIZE, NULL, NULL));
	}
	/* no stale translation: reading the freed area oopses */
	CU_ASSERT_TRUE(oopses((void)*(volatile char *)p));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),
		"paging request at virtual address c4800000"));
	CU_ASSERT_PTR_NULL(vmlist);
	mm_shutdown();
}

static void test_large_area_page_array_is_vmalloced(void)
{
	BOOT("mem=64M quiet" KERNEL_HALF);
	unsigned long n = 600;                  /* 4800 bytes of pointers */
	char *p = vmalloc(n * PAGE_SIZE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct vm_struct *area = find_vm_area(p);
	CU_ASSERT_EQUAL(area->flags, VM_ALLOC | VM_VPAGES);
	CU_ASSERT_EQUAL(va(p), VS);
	CU_ASSERT_EQUAL(va(area->pages), VS + 601 * PAGE_SIZE);  /* after */
	CU_ASSERT_PTR_NOT_NULL(strstr(vmallocinfo(), "pages=600 vmalloc vpages"));
	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE_SIZE] = (char)i;
	for (unsigned long i = 0; i < n; i++)
		CU_ASSERT_EQUAL(((char *)kmap(area->pages[i]))[0], (char)i);
	unsigned long free0 = nr_free_pages();
	vfree(p);
	CU_ASSERT_EQUAL(nr_free_pages(), free0 + n + 2);
	CU_ASSERT_PTR_NULL(vmlist);
	mm_shutdown();
}

/* ------------------------------------------------------------ vmap */

static void test_vmap_and_vunmap(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	struct page *pages[4];
	for (int i = 0; i < 4; i++) {
		pages[i] = alloc_page(i < 2 ? GFP_KERNEL : GFP_HIGHUSER);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pages[i]);
	}
	CU_ASSERT_TRUE(PageHighMem(pages[3]));
	char *p = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(va(p), 0xF8800000UL);
	strcpy(p + PAGE_SIZE, "low");
	strcpy(p + 3 * PAGE_SIZE, "high");
	CU_ASSERT_STRING_EQUAL((char *)page_address(pages[1]), "low");
	CU_ASSERT_STRING_EQUAL((char *)kmap(pages[3]), "high");
	kunmap(pages[3]);
	CU_ASSERT_PTR_NOT_NULL(strstr(vmallocinfo(),
		"0xf8800000-0xf8805000   20480 test_vmap_and_vunmap vmap\n"));
	vunmap(p);
	CU_ASSERT_EQUAL(pte_at(va(p)), 0);
	CU_ASSERT_TRUE(oopses((void)*(volatile char *)p));
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(page_count(pages[i]), 1);     /* still ours */
		__free_page(pages[i]);
	}
	CU_ASSERT_PTR_NULL(vmap(pages, 0, VM_MAP, PAGE_KERNEL));
	CU_ASSERT_PTR_NULL(vmlist);
	mm_shutdown();
}

/* vmap's flags are the caller's: with VM_ALLOC among them the area is
 * still a vmap, which vunmap and vmap's own failure path can take down. */
static void test_vmap_with_vm_alloc_flag(void)
{
	BOOT("mem=64M quiet" KERNEL_HALF);
	struct page *pages[3] = { alloc_page(GFP_KERNEL), NULL,
				  alloc_page(GFP_KERNEL) };
	dmesg_clear();
	CU_ASSERT_PTR_NULL(vmap(pages, 3, VM_ALLOC, PAGE_KERNEL));
	CU_ASSERT_PTR_NULL(vmlist);                 /* no area left behind */
	CU_ASSERT_EQUAL(pte_at(VS), 0);             /* nor a mapping */
	CU_ASSERT_STRING_EQUAL(dmesg(), "");
	unsigned long free = nr_free_pages();
	pages[1] = alloc_page(GFP_KERNEL);
	char *p = vmap(pages, 3, VM_ALLOC, PAGE_KERNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	strcpy(p + 2 * PAGE_SIZE, "mine");
	vunmap(p);
	CU_ASSERT_STRING_EQUAL(dmesg(), "");
	CU_ASSERT_PTR_NULL(vmlist);
	CU_ASSERT_EQUAL(pte_at(va(p)), 0);
	CU_ASSERT_STRING_EQUAL((char *)page_address(pages[2]), "mine");
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(page_count(pages[i]), 1);     /* still ours */
		__free_page(pages[i]);
	}
	CU_ASSERT_EQUAL(nr_free_pages(), free + 2);
	CU_ASSERT_TRUE(buddy_check());
	CU_ASSERT_TRUE(slab_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ highmem */

static bool in_pkmap(const void *p)
{
	return va(p) >= PKMAP_BASE && va(p) < PKMAP_ADDR(LAST_PKMAP);
}

static void test_vmalloc_takes_high_pages(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	char *p = vmalloc(16 * PAGE_SIZE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(va(p), 0xF8800000UL);
	struct vm_struct *area = find_vm_area(p);
	for (int i = 0; i < 16; i++) {
		CU_ASSERT_TRUE(PageHighMem(area->pages[i]));
		CU_ASSERT_PTR_NULL(page_address(area->pages[i]));
	}
	/* vmalloc_32 does not */
	char *q = vmalloc_32(PAGE_SIZE);
	CU_ASSERT_FALSE(PageHighMem(vmalloc_to_page(q)));
	/* kmap gives the page a second address that aliases the first */
	struct page *page = area->pages[5];
	char *k = kmap(page);
	CU_ASSERT_TRUE(in_pkmap(k));
	CU_ASSERT_PTR_EQUAL(page_address(page), k);
	strcpy(k, "written via kmap");
	CU_ASSERT_STRING_EQUAL(p + 5 * PAGE_SIZE, "written via kmap");
	strcpy(p + 5 * PAGE_SIZE + 100, "written via vmalloc");
	CU_ASSERT_STRING_EQUAL(k + 100, "written via vmalloc");
	CU_ASSERT_EQUAL(highmem.pkmap_count[PKMAP_NR(va(k))], 2);
	/* a second kmap of a mapped page reuses the slot */
	CU_ASSERT_PTR_EQUAL(kmap(page), k);
	CU_ASSERT_EQUAL(highmem.pkmap_count[PKMAP_NR(va(k))], 3);
	CU_ASSERT_EQUAL(highmem.kmaps, 1);
	kunmap(page);
	kunmap(page);
	CU_ASSERT_EQUAL(highmem.pkmap_count[PKMAP_NR(va(k))], 1);
	/* unused but still mapped until the window wraps */
	CU_ASSERT_PTR_EQUAL(page_address(page), k);
	vfree(p);
	vfree(q);
	mm_shutdown();
}

static void test_kmap_of_low_page(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	struct page *page = alloc_page(GFP_KERNEL);
	CU_ASSERT_PTR_EQUAL(kmap(page), page_address(page));
	kunmap(page);
	CU_ASSERT_PTR_EQUAL(kmap_atomic(page, KM_USER0), page_address(page));
	kunmap_atomic(page_address(page), KM_USER0);
	CU_ASSERT_EQUAL(highmem.kmaps, 0);
	__free_page(page);
	mm_shutdown();
}

static void test_kmap_window_wraps_and_flushes(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	static struct page *pages[LAST_PKMAP + 1];
	for (int i = 0; i <= LAST_PKMAP; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pages[i]);
		char *k = kmap(pages[i]);
		k[0] = (char)i;
		kunmap(pages[i]);
	}
	CU_ASSERT_EQUAL(highmem.kmaps, LAST_PKMAP + 1);
	CU_ASSERT_EQUAL(highmem.pkmap_flushes, 1);
	/* the first 1023 pages took slots 1..1023; the next search wrapped
	 * to slot 0 and freed them all (they were unused); the 1024th page
	 * got slot 0 and the 1025th slot 1 */
	CU_ASSERT_PTR_NULL(page_address(pages[0]));
	CU_ASSERT_PTR_NULL(page_address(pages[LAST_PKMAP - 2]));
	CU_ASSERT_EQUAL(va(page_address(pages[LAST_PKMAP - 1])), PKMAP_ADDR(0));
	CU_ASSERT_EQUAL(va(page_address(pages[LAST_PKMAP])), PKMAP_ADDR(1));
	CU_ASSERT_EQUAL(highmem.pkmap_count[2], 0);
	CU_ASSERT_EQUAL(highmem.pkmap_count[1], 1);
	CU_ASSERT_TRUE(oopses(
		(void)*(volatile char *)vaddr_to_ptr(PKMAP_ADDR(2))));
	/* the data is still there, through a new mapping */
	CU_ASSERT_EQUAL(((char *)kmap(pages[7]))[0], 7);
	kunmap(pages[7]);
	for (int i = 0; i <= LAST_PKMAP; i++)
		__free_page(pages[i]);
	mm_shutdown();
}

static void test_kmap_window_full_oopses(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	static struct page *pages[LAST_PKMAP + 1];
	for (int i = 0; i <= LAST_PKMAP; i++)
		pages[i] = alloc_page(GFP_HIGHUSER);
	for (int i = 0; i < LAST_PKMAP; i++)
		CU_ASSERT_TRUE(in_pkmap(kmap(pages[i])));
	for (int i = 0; i < LAST_PKMAP; i++)
		*(char *)page_address(pages[i]) = (char)i;
	CU_ASSERT_TRUE(oopses(kmap(pages[LAST_PKMAP])));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "all 1024 pkmap slots"));
	CU_ASSERT_PTR_NULL(page_address(pages[LAST_PKMAP]));
	/* every mapping that was there still is, with its count and data */
	for (int i = 0; i < LAST_PKMAP; i++) {
		char *k = page_address(pages[i]);
		CU_ASSERT_TRUE(in_pkmap(k));
		CU_ASSERT_EQUAL(highmem.pkmap_count[PKMAP_NR(va(k))], 2);
		CU_ASSERT_EQUAL(*k, (char)i);
	}
	kunmap(pages[100]);
	CU_ASSERT_TRUE(in_pkmap(kmap(pages[LAST_PKMAP])));
	CU_ASSERT_PTR_NULL(page_address(pages[100]));
	mm_shutdown();
}

static void test_kunmap_misuse(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	struct page *page = alloc_page(GFP_HIGHUSER);
	struct page *other = alloc_page(GFP_HIGHUSER);
	CU_ASSERT_FATAL(page && other);
	char *ko = kmap(other);                   /* a bystander */
	strcpy(ko, "bystander");
	CU_ASSERT_TRUE(oopses(kunmap(page)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "is not kmapped"));
	void *k = kmap(page);
	kunmap(page);
	CU_ASSERT_TRUE(oopses(kunmap(page)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "has no kmap user"));
	CU_ASSERT_EQUAL(highmem.pkmap_count[PKMAP_NR(va(k))], 1);
	/* the bystander's mapping, count and contents are untouched */
	CU_ASSERT_EQUAL(highmem.pkmap_count[PKMAP_NR(va(ko))], 2);
	CU_ASSERT_PTR_EQUAL(page_address(other), ko);
	CU_ASSERT_STRING_EQUAL(ko, "bystander");
	CU_ASSERT_EQUAL(highmem.kmaps, 2);
	kunmap(other);
	mm_shutdown();
}

static void test_kmap_atomic(void)
{
	BOOT("mem=1G quiet" KERNEL_HALF);
	struct page *a = alloc_page(GFP_HIGHUSER), *b = alloc_page(GFP_HIGHUSER);
	CU_ASSERT_FATAL(a && b);
	char *ka = kmap_atomic(a, KM_USER0);
	CU_ASSERT_EQUAL(va(ka), FIXADDR_TOP - (1 + KM_USER0) * PAGE_SIZE);
	CU_ASSERT(va(ka) >= FIXADDR_START);
	CU_ASSERT_PTR_NULL(page_address(a));      /* atomic: no virtual */
	strcpy(ka, "atomic");
	char *kb = kmap_atomic(b, KM_USER1);
	CU_ASSERT_EQUAL(va(kb), va(ka) - PAGE_SIZE);
	strcpy(kb, ka);                            /* copy_highpage's job */
	/* the same kind twice is a nesting bug */
	CU_ASSERT_TRUE(oopses(kmap_atomic(b, KM_USER0)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "already in use"));
	CU_ASSERT_TRUE(oopses(kunmap_atomic(ka, KM_USER1)));
	CU_ASSERT_STRING_EQUAL(ka, "atomic");      /* still mapped */
	kunmap_atomic(kb, KM_USER1);
	kunmap_atomic(ka, KM_USER0);
	CU_ASSERT_TRUE(oopses((void)*(volatile char *)ka));
	CU_ASSERT_TRUE(oopses(kunmap_atomic(ka, KM_USER0)));
	CU_ASSERT_STRING_EQUAL((char *)kmap(b), "atomic");
	kunmap(b);
	mm_shutdown();
}

/* ------------------------------------------------------------ misuse */

static void check_intact(char *p, char *q, unsigned long pte_p,
			 unsigned long pte_q)
{
	CU_ASSERT_EQUAL(pte_at(va(p)), pte_p);
	CU_ASSERT_EQUAL(pte_at(va(q) + PAGE_SIZE), pte_q);
	CU_ASSERT_STRING_EQUAL(p, "first area");
	CU_ASSERT_STRING_EQUAL(q + PAGE_SIZE, "second area");
}

static void test_misuse_warns_and_changes_nothing(void)
{
	BOOT("mem=64M quiet" KERNEL_HALF);
	char *p = vmalloc(PAGE_SIZE), *q = vmalloc(2 * PAGE_SIZE);
	strcpy(p, "first area");
	strcpy(q + PAGE_SIZE, "second area");
	char *k = kmalloc(PAGE_SIZE, GFP_KERNEL);       /* page-aligned */
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	strcpy(k, "kmalloc'd");
	unsigned long pp = pte_at(va(p)), pq = pte_at(va(q) + PAGE_SIZE);
	unsigned long free0 = nr_free_pages();
	char *info = strdup(vmallocinfo());

	dmesg_clear();
	vfree(vaddr_to_ptr(VS + 0x100000));        /* nothing there */
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"Trying to vfree() nonexistent vm area (c4900000)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "WARNING: at "));
	vfree(q + PAGE_SIZE);                      /* the middle of an area */
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"Trying to vfree() nonexistent vm area (c4803000)"));
	vfree(q + 1);                              /* not page aligned */
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"Trying to vfree() bad address (c4802001)"));
	vunmap(p);                                 /* vunmap of vmalloc */
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"vunmap() of vmalloc area c4800000: use vfree()"));
	vunmap(q + PAGE_SIZE);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"Trying to vfree() nonexistent vm area (c4803000)"));
	/* a kmalloc'd object is not a vm area: warned, and left alone */
	vfree(k);
	char want[80];
	snprintf(want, sizeof want,
		 "Trying to vfree() nonexistent vm area (%08lx)", va(k));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), want));
	CU_ASSERT_STRING_EQUAL(k, "kmalloc'd");
	vfree(NULL);
	vunmap(NULL);
	check_intact(p, q, pp, pq);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_STRING_EQUAL(vmallocinfo(), info);

	vfree(p);
	dmesg_clear();
	vfree(p);                                  /* double vfree */
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"Trying to vfree() nonexistent vm area (c4800000)"));
	CU_ASSERT_EQUAL(nr_free_pages(), free0 + 1);
	CU_ASSERT_EQUAL(pte_at(va(q) + PAGE_SIZE), pq);
	CU_ASSERT_STRING_EQUAL(q + PAGE_SIZE, "second area");
	CU_ASSERT_PTR_EQUAL(vmlist, find_vm_area(q));
	CU_ASSERT_PTR_NULL(vmlist->next);
	CU_ASSERT_EQUAL(arch_stats.oopses, 0);
	free(info);
	vfree(q);
	CU_ASSERT_EQUAL(nr_free_pages(), free0 + 3);
	CU_ASSERT_STRING_EQUAL(k, "kmalloc'd");
	kfree(k);
	mm_shutdown();
}

/* ------------------------------------------------------------ failure */

static void test_failure_part_way_frees_what_it_took(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	vfree(vmalloc(PAGE_SIZE));                 /* warm the caches */
	kmem_cache_reap(GFP_KERNEL);
	unsigned long free0 = nr_free_pages();
	unsigned long tables0 = pgtable_stats.tables_allocated;
	/* more than is free, but not more than the machine has */
	dmesg_clear();
	CU_ASSERT_PTR_NULL(vmalloc(15UL << 20));
	CU_ASSERT_PTR_NULL(vmlist);
	/* it got as far as the page loop: the vmalloc'd page array needed a
	 * new pte table, and the buddy allocator ran dry */
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, tables0 + 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "page allocation failure"));
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages() + (pgtable_stats.tables_allocated
					   - tables0), free0);
	CU_ASSERT_TRUE(buddy_check());
	/* and the machine still works */
	char *p = vmalloc(PAGE_SIZE);
	CU_ASSERT_EQUAL(va(p), VS);
	strcpy(p, "ok");
	CU_ASSERT_STRING_EQUAL(p, "ok");
	vfree(p);
	mm_shutdown();
}

static void test_descriptor_allocation_failure(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long n = 0, boot_free = nr_free_pages();
	while (alloc_page(GFP_ATOMIC))
		n++;
	while (kmalloc(64, GFP_ATOMIC))
		n++;
	/* every page down to the atomic reserve; the 64-byte cache had no
	 * free object left to give */
	CU_ASSERT_EQUAL(n, boot_free - 48);
	CU_ASSERT_EQUAL(nr_free_pages(), 48);
	CU_ASSERT_PTR_NULL(vmalloc(PAGE_SIZE));
	CU_ASSERT_PTR_NULL(get_vm_area(PAGE_SIZE, VM_ALLOC));
	CU_ASSERT_PTR_NULL(vmlist);
	mm_shutdown();
}

/* ------------------------------------------------------------ a mix */

#define MIX_OPS    1500
#define MIX_SLOTS  64

struct mix_slot {
	int kind;                 /* 0 empty, 1 vmalloc, 2 kmalloc, 3 pages */
	void *p;
	struct page *page;
	unsigned int order;
	unsigned char tag;
};

static unsigned char *free_map;    /* one byte per frame: 1 if free */

static void mark_free_frames(void)
{
	memset(free_map, 0, max_pfn);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];
		for (int o = 0; o < MAX_ORDER; o++) {
			struct page *pg;
			list_for_each_entry(pg, &zone->free_area[o].free_list, lru)
				memset(free_map + page_to_pfn(pg), 1, 1UL << o);
		}
	}
}

/* Every vmalloc'd page: mapped by its area's pte, not free, owned once;
 * every present pte in the vmalloc area belongs to a live area. */
static void check_invariants(struct mix_slot *s, unsigned char *owner)
{
	mark_free_frames();
	memset(owner, 0, max_pfn);
	for (struct vm_struct *v = vmlist; v; v = v->next)
		for (unsigned int i = 0; i < v->nr_pages; i++) {
			unsigned long pfn = page_to_pfn(v->pages[i]);
			pte_t *pte = lookup_pte(swapper_pg_dir,
						va(v->addr) + i * PAGE_SIZE);
			CU_ASSERT_PTR_NOT_NULL_FATAL(pte);
			CU_ASSERT_TRUE(pte_present(*pte));
			CU_ASSERT_EQUAL(pte_pfn(*pte), pfn);
			CU_ASSERT_FALSE(free_map[pfn]);
			CU_ASSERT_EQUAL(owner[pfn], 0);
			owner[pfn] = 1;
		}
	for (int i = 0; i < MIX_SLOTS; i++)
		if (s[i].kind == 3)
			for (unsigned long j = 0; j < 1UL << s[i].order; j++) {
				unsigned long pfn = page_to_pfn(s[i].page) + j;
				CU_ASSERT_FALSE(free_map[pfn]);
				CU_ASSERT_EQUAL(owner[pfn], 0);
			}
	for (unsigned long a = VS; a < VMALLOC_END; a += PAGE_SIZE) {
		pte_t *pte = lookup_pte(swapper_pg_dir, a);
		if (!pte) {
			a = (a | (PGDIR_SIZE - 1)) + 1 - PAGE_SIZE;
			continue;
		}
		if (pte_present(*pte))
			CU_ASSERT_EQUAL(owner[pte_pfn(*pte)], 1);
	}
	CU_ASSERT_TRUE(buddy_check());
}

static void mix_free(struct mix_slot *s)
{
	switch (s->kind) {
	case 1: {
		struct vm_struct *v = find_vm_area(s->p);
		for (unsigned int i = 0; i < v->nr_pages; i++)
			CU_ASSERT_EQUAL(((unsigned char *)s->p)[i * PAGE_SIZE],
					s->tag);
		vfree(s->p);
		break;
	}
	case 2:
		CU_ASSERT_EQUAL(*(unsigned char *)s->p, s->tag);
		kfree(s->p);
		break;
	case 3:
		__free_pages(s->page, s->order);
		break;
	}
	s->kind = 0;
}

static void mix_alloc(struct mix_slot *s, unsigned int r)
{
	s->tag = (unsigned char)(r >> 8);
	switch (r % 3) {
	case 0: {
		unsigned long size = 1 + (r >> 4) % (24 * PAGE_SIZE);
		s->p = vmalloc(size);
		if (!s->p)
			return;
		for (unsigned long i = 0; i < size; i += PAGE_SIZE)
			((unsigned char *)s->p)[i] = s->tag;
		s->kind = 1;
		break;
	}
	case 1:
		s->p = kmalloc(1 + (r >> 4) % 8192, GFP_KERNEL);
		if (!s->p)
			return;
		*(unsigned char *)s->p = s->tag;
		s->kind = 2;
		break;
	case 2:
		s->order = (r >> 4) % 4;
		s->page = alloc_pages(r & 0x100 ? GFP_HIGHUSER : GFP_KERNEL,
				      s->order);
		if (s->page)
			s->kind = 3;
		break;
	}
}

static void test_randomized_mix_keeps_invariants(void)
{
	BOOT("mem=1G tlb=128 quiet" KERNEL_HALF);
	static struct mix_slot slots[MIX_SLOTS];
	unsigned char *owner = malloc(max_pfn);
	free_map = malloc(max_pfn);
	CU_ASSERT_FATAL(owner && free_map);
	memset(slots, 0, sizeof slots);
	kmem_cache_reap(GFP_KERNEL);
	unsigned long free0 = nr_free_pages();
	unsigned long tables0 = pgtable_stats.tables_allocated;
	srand(2024);
	for (int op = 0; op < MIX_OPS; op++) {
		unsigned int r = (unsigned int)rand();
		struct mix_slot *s = &slots[r % MIX_SLOTS];
		r /= MIX_SLOTS;
		if (s->kind)
			mix_free(s);
		else
			mix_alloc(s, r);
		if (op % 50 == 0)
			check_invariants(slots, owner);
	}
	check_invariants(slots, owner);
	for (int i = 0; i < MIX_SLOTS; i++)
		mix_free(&slots[i]);
	CU_ASSERT_PTR_NULL(vmlist);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages() + (pgtable_stats.tables_allocated
					   - tables0), free0);
	free(owner);
	free(free_map);
	mm_shutdown();
}

/* ------------------------------------------------------------ no machine */

#define REFUSED(stmt, name) do {                                         \
	CU_ASSERT_TRUE(oopses(stmt));                                   \
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),                      \
		"kernel BUG: " name ": the machine is not running"));  \
} while (0)

/* Every call of both interfaces, on the given pointers, refused. */
static void check_refused(void *v, struct vm_struct *area,
			  struct page *high, void *atomic)
{
	struct page *pages[1] = { high }, **cursor = pages;

	REFUSED(vmalloc(PAGE_SIZE), "vmalloc");
	REFUSED(vmalloc_32(PAGE_SIZE), "vmalloc");
	REFUSED(vfree(v), "vfree");
	REFUSED(vfree(NULL), "vfree");
	REFUSED(vmap(pages, 1, VM_MAP, PAGE_KERNEL), "vmap");
	REFUSED(vunmap(v), "vunmap");
	REFUSED(vmalloc_to_page(v), "vmalloc_to_page");
	REFUSED(proc_vmallocinfo(stdout), "proc_vmallocinfo");
	REFUSED(get_vm_area(PAGE_SIZE, VM_ALLOC), "get_vm_area");
	REFUSED(find_vm_area(v), "find_vm_area");
	REFUSED(remove_vm_area(v), "remove_vm_area");
	REFUSED(map_vm_area(area, PAGE_KERNEL, &cursor), "map_vm_area");
	REFUSED(unmap_vm_area(area), "unmap_vm_area");
	REFUSED(kmap(high), "kmap");
	REFUSED(kunmap(high), "kunmap");
	REFUSED(kmap_atomic(high, KM_USER0), "kmap_atomic");
	REFUSED(kunmap_atomic(atomic, KM_USER0), "kunmap_atomic");
}

static void test_calls_without_a_machine(void)
{
	static char host_page[PAGE_SIZE];          /* never touched */
	static struct vm_struct fake = { .addr = host_page,
					 .size = 2 * PAGE_SIZE };

	CU_ASSERT_FALSE_FATAL(mm_booted());
	check_refused(host_page, &fake, (struct page *)host_page, host_page);
	BOOT("mem=1G quiet" KERNEL_HALF);                      /* pointers to keep */
	char *v = vmalloc(2 * PAGE_SIZE);
	struct page *high = alloc_page(GFP_HIGHUSER);
	CU_ASSERT_FATAL(v && high);
	struct vm_struct *area = find_vm_area(v);
	void *k = kmap(high), *atomic = kmap_atomic(high, KM_USER1);
	CU_ASSERT_FATAL(k && atomic);
	mm_shutdown();
	check_refused(v, area, high, atomic);      /* from a dead boot */
	BOOT("mem=64M quiet" KERNEL_HALF);                     /* the next boot works */
	v = vmalloc(PAGE_SIZE);
	CU_ASSERT_EQUAL(va(v), VS);
	CU_ASSERT_EQUAL(arch_stats.oopses, 0);
	vfree(v);
	mm_shutdown();
}

TEST_SUITE(vmalloc, "ch06 vmalloc and highmem", NULL, NULL,
	{ "first fit, guard pages, reuse of holes",
	  test_first_fit_guard_pages_and_reuse },
	{ "the vmalloc range, as Linux computes it",
	  test_vmalloc_range_as_linux_computes_it },
	{ "the largest area fills the range",
	  test_largest_area_fills_the_range },
	{ "sizes refused", test_sizes_refused },
	{ "the area range is exhausted exactly",
	  test_area_range_is_exhausted_exactly },
	{ "ioremap alignment", test_ioremap_alignment },
	{ "ptes after vmalloc and vfree", test_ptes_after_vmalloc_and_vfree },
	{ "a large area's page array is vmalloc'd",
	  test_large_area_page_array_is_vmalloced },
	{ "vmap and vunmap", test_vmap_and_vunmap },
	{ "vmap with VM_ALLOC among its flags", test_vmap_with_vm_alloc_flag },
	{ "vmalloc takes high pages; kmap aliases",
	  test_vmalloc_takes_high_pages },
	{ "kmap of a low page", test_kmap_of_low_page },
	{ "the kmap window wraps and flushes",
	  test_kmap_window_wraps_and_flushes },
	{ "a full kmap window oopses", test_kmap_window_full_oopses },
	{ "kunmap misuse", test_kunmap_misuse },
	{ "kmap_atomic", test_kmap_atomic },
	{ "misuse warns and changes nothing",
	  test_misuse_warns_and_changes_nothing },
	{ "failure part-way frees what it took",
	  test_failure_part_way_frees_what_it_took },
	{ "descriptor allocation failure", test_descriptor_allocation_failure },
	{ "randomized mix keeps the invariants",
	  test_randomized_mix_keeps_invariants },
	{ "calls without a machine are refused",
	  test_calls_without_a_machine })
