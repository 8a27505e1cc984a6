/* test_invariants.c -- book/95-invariants.nw: model_check on healthy machines, and
 * each invariant broken on purpose, reported exactly, and repaired. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

#define A0 0x40000000UL          /* the first mapping of every test task */
#define A1 0x40004000UL          /* the second, after a gap */

/* Two anonymous mappings with a gap between them (different protections
 * so they could not merge anyway), their first pages written; a file of
 * one page, mapped shared and written through the mapping; the heap grown
 * by chapter 11's malloc. */
static long body_r[4];
static void populate(void *arg)
{
	(void)arg;
	body_r[0] = sys_mmap(A0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	body_r[1] = sys_mmap(A1, 2 * PAGE_SIZE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	*(volatile char *)vaddr_to_ptr(A0) = 1;
	(void)*(volatile char *)vaddr_to_ptr(A1);        /* the zero page */
	long fd = sys_open("/f", O_RDWR | O_CREAT, 0644);
	body_r[2] = sys_write((unsigned)fd, vaddr_to_ptr(A0), PAGE_SIZE);
	long m = sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  (unsigned long)fd, 0);
	*(volatile char *)vaddr_to_ptr((unsigned long)m + 9) = 'x';
	char *p = um_malloc(1000);
	memset(p, 7, 1000);
	body_r[3] = m;
}

static struct task *healthy_task(void)
{
	struct task *t = task_create("inv");

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL_FATAL(task_run(t, populate, NULL), 0);
	CU_ASSERT_EQUAL(body_r[0], (long)A0);
	CU_ASSERT_EQUAL(body_r[1], (long)A1);
	CU_ASSERT_EQUAL(body_r[2], (long)PAGE_SIZE);
	return t;
}

static struct page *user_page(struct task *t, unsigned long addr)
{
	pte_t *pte = lookup_pte(t->mm->pgd, addr);

	CU_ASSERT_FATAL(pte && pte_present(*pte));
	return pte_page(*pte);
}

/* model_check's verdict, and the log it wrote, from a clean log. */
static int check_log(char *log, size_t n)
{
	int v;

	dmesg_clear();
	v = model_check();
	snprintf(log, n, "%s", dmesg());
	if (getenv("INV_DEBUG"))
		fprintf(stderr, "--- %d\n%s", v, log);
	return v;
}

static struct page *held[4];
static void hold_pages(void)
{
	for (int i = 0; i < 4; i++)
		if (held[i])
			census_hold(held[i]);
}

static void test_healthy_stages(void)
{
	char log[2048];

	BOOT("mem=64M quiet");
	CU_ASSERT_EQUAL(model_check(), 0);
	struct task *t = healthy_task();
	CU_ASSERT_EQUAL(model_check(), 0);
	struct task *c = task_fork(t);
	CU_ASSERT_FATAL(c != NULL);
	CU_ASSERT_EQUAL(model_check(), 0);
	CU_ASSERT_EQUAL(task_run(c, populate, NULL), 0);   /* COW, unmap */
	CU_ASSERT_EQUAL(model_check(), 0);
	void *v = vmalloc(5 * PAGE_SIZE), *k = kmalloc(3000, GFP_KERNEL);
	held[0] = alloc_pages(GFP_KERNEL, 2);
	held[1] = alloc_page(GFP_KERNEL);
	struct page *pages[1] = { held[1] };
	void *vm = vmap(pages, 1, VM_MAP, PAGE_KERNEL);
	model_check_holders = hold_pages;
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 0);
	vunmap(vm);
	vfree(v);
	kfree(k);
	__free_pages(held[0], 2);
	__free_page(held[1]);
	held[0] = held[1] = NULL;
	model_check_holders = NULL;
	task_destroy(c);
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	CU_ASSERT_EQUAL(model_check(), 0);
	mm_shutdown();
}

/* High memory: a kmapped page and a page in use by a kmap user. */
static void test_healthy_highmem(void)
{
	BOOT("mem=1G quiet");
	struct task *t = healthy_task();
	held[0] = alloc_page(GFP_HIGHUSER);
	CU_ASSERT_FATAL(held[0] && PageHighMem(held[0]));
	model_check_holders = hold_pages;
	void *p = kmap(held[0]);
	CU_ASSERT_EQUAL(model_check(), 0);
	kunmap(held[0]);
	(void)p;
	CU_ASSERT_EQUAL(model_check(), 0);
	__free_page(held[0]);
	held[0] = NULL;
	model_check_holders = NULL;
	CU_ASSERT_EQUAL(model_check(), 0);      /* a lazily kept pkmap */
	task_destroy(t);
	mm_shutdown();
}

static void test_breaks_page_count(void)
{
	char log[2048], want[256];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	struct page *page = user_page(t, A0);
	page->count++;
	snprintf(want, sizeof want, "model_check: page count: pfn %lu has"
		 " count 2, the census found 1 references\n", page_to_pfn(page));
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	page->count--;
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

static void test_breaks_mapcount(void)
{
	char log[2048], want[256];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	struct page *page = user_page(t, A0);
	page->mapcount++;
	snprintf(want, sizeof want, "model_check: mapcount: pfn %lu has"
		 " mapcount 2, 1 ptes map it\n", page_to_pfn(page));
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	page->mapcount--;
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

/* A page allocated and held by no one: a leak.  Naming it through
 * model_check_holders repairs the census. */
static void test_breaks_leak(void)
{
	char log[2048], want[256];

	BOOT("mem=32M quiet");
	held[0] = alloc_page(GFP_KERNEL);
	snprintf(want, sizeof want, "model_check: frame owners: pfn %lu is"
		 " allocated (count 1) but nothing owns it\n",
		 page_to_pfn(held[0]));
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	model_check_holders = hold_pages;
	CU_ASSERT_EQUAL(model_check(), 0);
	model_check_holders = NULL;
	__free_page(held[0]);
	held[0] = NULL;
	CU_ASSERT_EQUAL(model_check(), 0);
	CU_ASSERT(oopses(census_hold(mem_map)));
	mm_shutdown();
}

/* A pte pointed at a free frame: the free frame is owned, and the page the
 * pte held is owned by no one and mapped by no one. */
static void test_breaks_free_frame_mapped(void)
{
	char log[2048], want[1024];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	pte_t *pte = lookup_pte(t->mm->pgd, A0), old = *pte;
	struct page *mine = pte_page(old), *f = alloc_page(GFP_KERNEL);
	unsigned long fpfn = page_to_pfn(f), mpfn = page_to_pfn(mine);

	__free_page(f);
	set_pte(pte, pfn_pte(fpfn, __pgprot(pte_val(old) & ~PAGE_MASK)));
	char free_line[128], mine_lines[256];
	snprintf(free_line, sizeof free_line, "model_check: frame owners: pfn"
		 " %lu is free but has 1 references, 1 mappings\n", fpfn);
	snprintf(mine_lines, sizeof mine_lines, "model_check: frame owners:"
		 " pfn %lu is allocated (count 1) but nothing owns it\n"
		 "model_check: mapcount: pfn %lu has mapcount 1, 0 ptes map"
		 " it\n", mpfn, mpfn);
	snprintf(want, sizeof want, "model_check: rss: inv[%d]: file_rss %lu"
		 " anon_rss %lu, present ptes %lu file %lu anon\n%s%s", t->pid,
		 get_mm_counter(t->mm, file_rss), get_mm_counter(t->mm, anon_rss),
		 get_mm_counter(t->mm, file_rss) + 1,
		 get_mm_counter(t->mm, anon_rss) - 1,
		 fpfn < mpfn ? free_line : mine_lines,
		 fpfn < mpfn ? mine_lines : free_line);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 4);
	CU_ASSERT_STRING_EQUAL(log, want);
	set_pte(pte, old);
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

static void test_breaks_vma_overlap(void)
{
	char log[2048], want[512];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	struct vm_area_struct *prev, *b = find_vma_prev(t->mm, A1, &prev);
	CU_ASSERT_FATAL(b && prev && b->vm_start == A1);
	b->vm_start = prev->vm_end - PAGE_SIZE;    /* into the one before */
	snprintf(want, sizeof want,
		 "model_check: vma: inv[%d]: %08lx-40006000 overlaps or"
		 " precedes the VMA ending at %08lx\n"
		 "model_check: vma: inv[%d]: total_vm %lu, the VMAs hold %lu"
		 " pages\n", t->pid, b->vm_start, prev->vm_end, t->pid,
		 t->mm->total_vm,
		 t->mm->total_vm + ((A1 - b->vm_start) >> PAGE_SHIFT));
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 2);
	CU_ASSERT_STRING_EQUAL(log, want);
	b->vm_start = A1;
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

/* A VMA taken off the list but left in the tree. */
static void test_breaks_vma_tree_and_list(void)
{
	char log[2048], want[512];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	struct vm_area_struct *prev, *b = find_vma_prev(t->mm, A1, &prev);
	CU_ASSERT_FATAL(b && prev && b->vm_start == A1);
	prev->vm_next = b->vm_next;
	t->mm->map_count--;
	t->mm->total_vm -= 2;
	snprintf(want, sizeof want,
		 "model_check: vma: inv[%d]: %08lx-%08lx: the tree and the"
		 " list differ\n", t->pid, b->vm_next->vm_start,
		 b->vm_next->vm_end);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 2);
	CU_ASSERT(strncmp(log, want, strlen(want)) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, ": 40004000 is mapped outside"
				      " every VMA\n"));
	prev->vm_next = b;
	t->mm->map_count++;
	t->mm->total_vm += 2;
	CU_ASSERT_EQUAL(model_check(), 0);
	struct rb_node *root = t->mm->mm_rb.rb_node;
	root->rb_color = RB_RED;
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	snprintf(want, sizeof want, "model_check: vma: inv[%d]: the tree: the"
		 " root is not black\n", t->pid);
	CU_ASSERT_STRING_EQUAL(log, want);
	root->rb_color = RB_BLACK;
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

/* A VMA with anonymous pages that lost its anon_vma mark: fork would
 * not copy them. */
static void test_breaks_anon_vma(void)
{
	char log[2048], want[512];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	struct vm_area_struct *v = find_vma(t->mm, A0);
	CU_ASSERT_FATAL(v && v->anon_vma);
	struct anon_vma *av = v->anon_vma;
	v->anon_vma = NULL;
	snprintf(want, sizeof want, "model_check: vma: inv[%d]: %08lx-%08lx"
		 " holds an anonymous page at %08lx but has no anon_vma\n",
		 t->pid, v->vm_start, v->vm_end, A0);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	v->anon_vma = av;
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

static void test_breaks_rss_and_nr_ptes(void)
{
	char log[2048], want[512];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	unsigned long f = get_mm_counter(t->mm, file_rss);
	unsigned long a = get_mm_counter(t->mm, anon_rss);
	inc_mm_counter(t->mm, anon_rss);
	snprintf(want, sizeof want, "model_check: rss: inv[%d]: file_rss %lu"
		 " anon_rss %lu, present ptes %lu file %lu anon\n", t->pid, f,
		 a + 1, f, a);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	dec_mm_counter(t->mm, anon_rss);
	t->mm->nr_ptes++;
	snprintf(want, sizeof want, "model_check: page tables: inv[%d]: nr_ptes"
		 " %lu, the pgd points to %lu\n", t->pid, t->mm->nr_ptes,
		 t->mm->nr_ptes - 1);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	t->mm->nr_ptes--;
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

/* A TLB entry for an address whose pte maps another frame, writable. */
static void test_breaks_tlb(void)
{
	char log[2048], want[512];

	BOOT("mem=32M quiet");
	void *v = vmalloc(PAGE_SIZE);
	unsigned long va = ptr_to_vaddr(v);
	pte_t *pte = lookup_pte(swapper_pg_dir, va);
	CU_ASSERT_FATAL(pte && pte_present(*pte));
	tlb_insert(va, pte_pfn(*pte) + 1, true);
	snprintf(want, sizeof want, "model_check: tlb: %08lx -> pfn %lu (rw),"
		 " but the pte is %08lx\n", va, pte_pfn(*pte) + 1,
		 pte_val(*pte));
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	__flush_tlb_one(va);
	CU_ASSERT_EQUAL(model_check(), 0);
	tlb_insert(va, pte_pfn(*pte), true);           /* the right one */
	CU_ASSERT_EQUAL(model_check(), 0);
	vfree(v);
	CU_ASSERT_EQUAL(model_check(), 0);             /* vfree flushed it */
	mm_shutdown();
}

static void test_breaks_page_cache_and_lru(void)
{
	char log[2048], want[512];

	BOOT("mem=32M quiet");
	struct task *t = healthy_task();
	struct page *page = user_page(t, (unsigned long)body_r[3]);
	CU_ASSERT_FATAL(page_in_cache(page));
	struct inode *in = page->mapping->host;
	page->index = 5;
	snprintf(want, sizeof want, "model_check: page cache: %s: pfn %lu says"
		 " index 5 of this file\n", in->i_name, page_to_pfn(page));
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	page->index = 0;
	CU_ASSERT_EQUAL(model_check(), 0);
	struct zone *zone = page_zone(page);
	zone->nr_inactive++;
	snprintf(want, sizeof want, "model_check: lru: zone %s: %lu pages on"
		 " the inactive list, the counter says %lu\n", zone->name,
		 zone->nr_inactive - 1, zone->nr_inactive);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	zone->nr_inactive--;
	ClearPageLRU(page);
	snprintf(want, sizeof want, "model_check: lru: zone %s: pfn %lu on"
		 " the %s list has flags %#lx, mapcount 1\n", zone->name,
		 page_to_pfn(page), PageActive(page) ? "active" : "inactive",
		 page->flags & ((1UL << NR_PAGEFLAGS) - 1));
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	SetPageLRU(page);
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

static void test_breaks_vmalloc(void)
{
	char log[2048], want[512];

	BOOT("mem=32M quiet");
	void *v = vmalloc(3 * PAGE_SIZE);
	unsigned long va = ptr_to_vaddr(v);
	pte_t *pte = lookup_pte(swapper_pg_dir, va + PAGE_SIZE), old = *pte;
	pte_t *guard = lookup_pte(swapper_pg_dir, va + 3 * PAGE_SIZE);

	pte_clear(pte);
	snprintf(want, sizeof want, "model_check: vmalloc: area %08lx: page 1"
		 " (pfn %lu) is not mapped at %08lx\n", va, pte_pfn(old),
		 va + PAGE_SIZE);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	set_pte(pte, old);
	CU_ASSERT_EQUAL(model_check(), 0);
	set_pte(guard, old);
	snprintf(want, sizeof want, "model_check: vmalloc: area %08lx: the"
		 " guard page is mapped\n", va);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	pte_clear(guard);
	CU_ASSERT_EQUAL(model_check(), 0);
	vfree(v);
	set_pte(pte, old);                  /* a pte left after the area */
	snprintf(want, sizeof want, "model_check: vmalloc: %08lx is mapped but"
		 " in no area\n", va + PAGE_SIZE);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	pte_clear(pte);
	CU_ASSERT_EQUAL(model_check(), 0);
	mm_shutdown();
}

static void test_breaks_kmap(void)
{
	char log[2048], want[512];

	BOOT("mem=1G quiet");
	highmem.pkmap_count[7] = 2;
	snprintf(want, sizeof want, "model_check: kmap: slot 7: count 2 but the"
		 " pte is 00000000\n");
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, want);
	highmem.pkmap_count[7] = 0;
	CU_ASSERT_EQUAL(model_check(), 0);
	held[0] = alloc_page(GFP_HIGHUSER);
	void *p = kmap_atomic(held[0], KM_USER0);
	model_check_holders = hold_pages;
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_STRING_EQUAL(log, "model_check: kmap: kmap_atomic slot 3 is"
			       " still mapped\n");
	kunmap_atomic(p, KM_USER0);
	CU_ASSERT_EQUAL(model_check(), 0);
	model_check_holders = NULL;
	__free_page(held[0]);
	held[0] = NULL;
	mm_shutdown();
}

/* The chapters' own checkers: one line each, after their own reasons. */
static void test_breaks_buddy_and_slab(void)
{
	char log[4096];

	BOOT("mem=32M quiet");
	struct zone *z = &contig_page_data.node_zones[ZONE_NORMAL];
	z->free_pages++;
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "model_check: buddy: buddy_check"
				      " failed (its reasons are above)\n"));
	z->free_pages--;
	CU_ASSERT_EQUAL(model_check(), 0);
	struct kmem_cache *c = kmem_cache_create("inv", 100, 0, 0, NULL);
	void *obj = kmem_cache_alloc(c, GFP_KERNEL);
	c->num_active++;
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "model_check: slab: slab_check"
				      " failed (its reasons are above)\n"));
	c->num_active--;
	CU_ASSERT_EQUAL(model_check(), 0);
	struct page *sp = virt_to_page(obj);
	ClearPageSlab(sp);
	CU_ASSERT_EQUAL(check_log(log, sizeof log), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "model_check: slab: inv: pfn"));
	SetPageSlab(sp);
	CU_ASSERT_EQUAL(model_check(), 0);
	kmem_cache_free(c, obj);
	kmem_cache_destroy(c);
	CU_ASSERT_EQUAL(model_check(), 0);
	mm_shutdown();
}

TEST_SUITE(invariants, "appF invariants", NULL, NULL,
	   { "healthy machines at each stage", test_healthy_stages },
	   { "healthy with high memory and kmap", test_healthy_highmem },
	   { "a page count off by one", test_breaks_page_count },
	   { "a map count off by one", test_breaks_mapcount },
	   { "a leaked page, then named by a holder", test_breaks_leak },
	   { "a pte mapping a free frame", test_breaks_free_frame_mapped },
	   { "overlapping VMAs", test_breaks_vma_overlap },
	   { "tree and list differ; a red root", test_breaks_vma_tree_and_list },
	   { "an anonymous page in an unmarked VMA", test_breaks_anon_vma },
	   { "rss and nr_ptes off by one", test_breaks_rss_and_nr_ptes },
	   { "a stale TLB entry", test_breaks_tlb },
	   { "page cache index, LRU counter and flag", test_breaks_page_cache_and_lru },
	   { "vmalloc ptes missing, guard mapped, stray", test_breaks_vmalloc },
	   { "kmap counts and atomic slots", test_breaks_kmap },
	   { "buddy and slab checkers", test_breaks_buddy_and_slab });
