/* test_compare.c -- chapter 13: the facts the comparison table states,
 * with exact values. kmalloc's memory is physically contiguous and in the
 * direct map, and its largest block is 128 KiB; vmalloc's is not
 * contiguous on a machine in pieces, where kmalloc cannot give two pages;
 * neither kernel way's pages are on an LRU list, while malloc's and
 * mmap's are, on the active list, from the first touch; only mmap's
 * memory is zeroed when reused; under pressure every ordinary call runs
 * reclaim and kmalloc with GFP_ATOMIC does not; a malloc of more than
 * the machine has succeeds and the task dies of SIGKILL when it writes
 * it, leaving the kernel's memory intact. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "fragment.h"

#define P       PAGE_SIZE
#define BLOCK   (64UL << 10)
#define NPAGES  (BLOCK / P)

/* A machine in pieces: fragment_free_memory of fragment.h. */
static void fragment(void)
{
	CU_ASSERT_FATAL(fragment_free_memory() == 0);
}

/* Take pages with GFP_ATOMIC until every zone is at its low mark, where
 * the next allocation that may sleep runs kswapd. */
static void press(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		while (zone->present_pages && zone->free_pages > zone->pages_low)
			CU_ASSERT_FATAL(alloc_page(GFP_ATOMIC) != NULL);
	}
}

static unsigned long reclaim_runs(void)
{
	return reclaim_stats.pageoutrun + reclaim_stats.allocstall;
}

/* The frame behind a user address of the running task, or NULL. */
static struct page *user_page(unsigned long addr)
{
	pte_t *pte = lookup_pte(current->mm->pgd, addr);

	return pte && pte_present(*pte) ? pte_page(*pte) : NULL;
}

static void test_kmalloc_is_contiguous_and_vmalloc_is_not_in_pieces(void)
{
	char *k, *v;

	BOOT("mem=64M quiet");
	k = kmalloc(BLOCK, GFP_KERNEL);
	CU_ASSERT_FATAL(k != NULL);
	CU_ASSERT(virt_addr_valid(k));
	for (unsigned long i = 0; i < NPAGES; i++)
		CU_ASSERT_EQUAL(page_to_pfn(virt_to_page(k + i * P)),
				page_to_pfn(virt_to_page(k)) + i);
	kfree(k);
	mm_shutdown();

	BOOT("mem=64M quiet");
	fragment();
	CU_ASSERT_PTR_NULL(kmalloc(2 * P, GFP_KERNEL));
	CU_ASSERT_PTR_NULL(kmalloc(BLOCK, GFP_KERNEL));
	v = vmalloc(BLOCK);
	CU_ASSERT_FATAL(v != NULL);
	CU_ASSERT(!virt_addr_valid(v));
	for (unsigned long i = 0; i < NPAGES; i++) {
		unsigned long pfn = page_to_pfn(vmalloc_to_page(v + i * P));

		CU_ASSERT_EQUAL(pfn % 2, 0);      /* only even frames were free */
		if (i)
			CU_ASSERT_NOT_EQUAL(pfn, page_to_pfn(
				vmalloc_to_page(v + (i - 1) * P)) + 1);
		v[i * P] = (char)i;
	}
	vfree(v);
	CU_ASSERT_PTR_NULL(vmlist);
	mm_shutdown();
}

static void test_the_largest_kmalloc_is_128_kib(void)
{
	unsigned long free0;
	void *p;

	BOOT("mem=64M quiet");
	CU_ASSERT_EQUAL(KMALLOC_MAX_SIZE, 131072);
	p = kmalloc(131072, GFP_KERNEL);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT_EQUAL(ksize(p), 131072);
	dmesg_clear();
	free0 = nr_free_pages();
	CU_ASSERT_PTR_NULL(kmalloc(131073, GFP_KERNEL));
	CU_ASSERT_PTR_NULL(kmalloc(1UL << 20, GFP_KERNEL));
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "WARNING"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "131073 bytes"));
	memset(p, 0x5a, 131072);              /* the one that worked is whole */
	CU_ASSERT_EQUAL(((unsigned char *)p)[131071], 0x5a);
	kfree(p);
	CU_ASSERT(slab_check());
	mm_shutdown();
}

static void test_kernel_pages_are_never_on_the_lru(void)
{
	char *k, *v;

	BOOT("mem=64M quiet");
	k = kmalloc(BLOCK, GFP_KERNEL);
	v = vmalloc(BLOCK);
	CU_ASSERT_FATAL(k && v);
	memset(k, 1, BLOCK);
	memset(v, 1, BLOCK);
	for (unsigned long i = 0; i < NPAGES; i++) {
		CU_ASSERT(!PageLRU(virt_to_page(k + i * P)));
		CU_ASSERT(!PageLRU(vmalloc_to_page(v + i * P)));
	}
	CU_ASSERT_EQUAL(nr_lru_pages(true) + nr_lru_pages(false), 0);
	kfree(k);
	vfree(v);
	mm_shutdown();
}

/* In a task: a malloc'd block and a mapped one, each written once per
 * page; every page of both is then on the active list. Before the
 * write, the mapping has no page at all. */
static void user_blocks_on_the_lru(void *arg)
{
	char *m = um_malloc(BLOCK);
	long a = sys_mmap(0, BLOCK, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	char *mm = vaddr_to_ptr((unsigned long)a);
	int *bad = arg;

	*bad = !m || a < 0;
	for (unsigned long i = 0; !*bad && i < NPAGES; i++) {
		*bad += user_page((unsigned long)a + i * P) != NULL;
		m[i * P] = mm[i * P] = 1;
	}
	for (unsigned long i = 0; !*bad && i < NPAGES; i++) {
		struct page *pm = user_page(ptr_to_vaddr(m + i * P));
		struct page *pa = user_page((unsigned long)a + i * P);

		*bad += !pm || !PageLRU(pm) || !PageActive(pm);
		*bad += !pa || !PageLRU(pa) || !PageActive(pa);
	}
}

static void test_user_pages_are_on_the_lru_from_the_first_touch(void)
{
	struct task *t;
	int bad = -1;

	BOOT("mem=64M quiet");
	t = task_create("lru");
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(task_run(t, user_blocks_on_the_lru, &bad), 0);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, anon_rss),
			nr_lru_pages(true));
	task_destroy(t);
	CU_ASSERT_EQUAL(nr_lru_pages(true) + nr_lru_pages(false), 0);
	mm_shutdown();
}

/* Write 0xaa over a block, free it, allocate again: the pages that still
 * hold 0xaa somewhere. */
static unsigned long old_pages(char *q)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < NPAGES; i++)
		n += memchr(q + i * P, 0xaa, P) != NULL;
	return n;
}

static void mmap_reused(void *arg)
{
	unsigned long *old = arg;
	long a = sys_mmap(0, BLOCK, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0), b;

	memset(vaddr_to_ptr((unsigned long)a), 0xaa, BLOCK);
	sys_munmap((unsigned long)a, BLOCK);
	b = sys_mmap(0, BLOCK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	old[1] = old_pages(vaddr_to_ptr((unsigned long)b));
}

static void test_only_mmap_zeroes_reused_memory(void)
{
	struct task *t;
	unsigned long old[2] = { 0, 99 };
	char *k;

	BOOT("mem=64M quiet");
	k = kmalloc(BLOCK, GFP_KERNEL);
	memset(k, 0xaa, BLOCK);
	kfree(k);
	CU_ASSERT_PTR_EQUAL(kmalloc(BLOCK, GFP_KERNEL), k);
	CU_ASSERT_EQUAL(old_pages(k), NPAGES);
	kfree(k);
	CU_ASSERT_PTR_EQUAL(kzalloc(BLOCK, GFP_KERNEL), k);   /* asked: zero */
	CU_ASSERT_EQUAL(old_pages(k), 0);
	kfree(k);
	t = task_create("zero");
	CU_ASSERT_FATAL(t != NULL);
	task_run(t, mmap_reused, old);
	CU_ASSERT_EQUAL(old[1], 0);
	task_destroy(t);
	mm_shutdown();
}

/* Under pressure, one call of each kind: does reclaim run for it? */
static void user_call_under_pressure(void *arg)
{
	unsigned long *ran = arg, before;
	char *m;
	long a;

	press();
	before = reclaim_runs();
	m = um_malloc(BLOCK);
	memset(m, 1, BLOCK);
	ran[0] = reclaim_runs() - before;
	press();
	before = reclaim_runs();
	a = sys_mmap(0, BLOCK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	memset(vaddr_to_ptr((unsigned long)a), 1, BLOCK);
	ran[1] = reclaim_runs() - before;
}

static void test_only_atomic_kmalloc_runs_no_reclaim(void)
{
	unsigned long before, ran[2] = { 0, 0 };
	struct task *t;

	BOOT("mem=64M quiet");
	press();
	before = reclaim_runs();
	CU_ASSERT_PTR_NOT_NULL(kmalloc(BLOCK, GFP_ATOMIC));
	CU_ASSERT_EQUAL(reclaim_runs(), before);
	CU_ASSERT(kswapd_pending());            /* woken, but not run */
	CU_ASSERT_PTR_NOT_NULL(kmalloc(BLOCK, GFP_KERNEL));
	CU_ASSERT_EQUAL(reclaim_runs(), before + 1);
	mm_shutdown();

	BOOT("mem=64M quiet");
	press();
	before = reclaim_runs();
	CU_ASSERT_PTR_NOT_NULL(__vmalloc(BLOCK, GFP_ATOMIC | __GFP_HIGHMEM,
					 PAGE_KERNEL));
	/* twice: the area's descriptor needs a slab page and the area a
	 * page table, both asked for with GFP_KERNEL whatever the caller
	 * passed */
	CU_ASSERT_EQUAL(reclaim_runs(), before + 2);
	mm_shutdown();

	BOOT("mem=64M quiet");
	t = task_create("pressed");
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(task_run(t, user_call_under_pressure, ran), 0);
	CU_ASSERT(ran[0] >= 1);
	CU_ASSERT(ran[1] >= 1);
	task_destroy(t);
	mm_shutdown();
}

/* A gigabyte from malloc on a 16 MiB machine, written a page at a time
 * until the machine has no page left. */
static volatile unsigned long hog_pages;

static void hog(void *arg)
{
	char *p = um_malloc(1UL << 30);

	*(bool *)arg = p != NULL;
	for (unsigned long i = 0; p && i < (1UL << 30); i += P) {
		p[i] = 1;
		hog_pages++;
	}
}

static void test_malloc_of_too_much_succeeds_and_the_writer_dies(void)
{
	struct task *t;
	bool got = false;
	char *k;

	BOOT("mem=16M quiet");
	k = kmalloc(4096, GFP_KERNEL);
	memset(k, 0x3c, 4096);
	t = task_create("hog");
	CU_ASSERT_FATAL(t != NULL);
	hog_pages = 0;
	CU_ASSERT_EQUAL(task_run(t, hog, &got), SIGKILL);
	CU_ASSERT(got);                           /* malloc said yes */
	CU_ASSERT(hog_pages > 1000 && hog_pages < (16UL << 20) / P);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "VM: killing process hog"));
	CU_ASSERT_PTR_NULL(t->mm);                /* dead, memory given back */
	for (int i = 0; i < 4096; i++)
		CU_ASSERT_EQUAL_FATAL(((unsigned char *)k)[i], 0x3c);
	CU_ASSERT_EQUAL(nr_lru_pages(true) + nr_lru_pages(false), 0);
	CU_ASSERT(buddy_check());
	kfree(k);
	task_destroy(t);
	mm_shutdown();
}

TEST_SUITE(compare, "ch13 compare", NULL, NULL,
	{ "kmalloc is contiguous; vmalloc in pieces is not",
	  test_kmalloc_is_contiguous_and_vmalloc_is_not_in_pieces },
	{ "the largest kmalloc is 128 KiB", test_the_largest_kmalloc_is_128_kib },
	{ "kmalloc and vmalloc pages are never on the LRU",
	  test_kernel_pages_are_never_on_the_lru },
	{ "malloc and mmap pages are on the LRU from the first touch",
	  test_user_pages_are_on_the_lru_from_the_first_touch },
	{ "only mmap zeroes reused memory", test_only_mmap_zeroes_reused_memory },
	{ "only kmalloc with GFP_ATOMIC runs no reclaim",
	  test_only_atomic_kmalloc_runs_no_reclaim },
	{ "malloc of more than memory succeeds, the writer is killed",
	  test_malloc_of_too_much_succeeds_and_the_writer_dies });
