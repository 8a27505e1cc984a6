/* test_faults.c -- chapter 10: the zero page, demand zero, copy-on-write
 * with copy and reuse, task_fork (isolation both ways, page and map
 * counts, rss), exit and munmap dropping references, make_pages_present,
 * SIGSEGV with other tasks intact, 100 fork/exit cycles. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

#define P     PAGE_SIZE
#define AREA  0x40000000UL          /* TASK_UNMAPPED_BASE */
#define RW    (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)


static void read_zeros(void *arg)
{
	struct span *s = arg;

	for (unsigned long i = 0; i < s->pages; i++)
		if (*(volatile int *)vaddr_to_ptr(s->start + i * P) != 0)
			s->value = -1;
}

static struct page *page_at(struct task *t, unsigned long addr)
{
	pte_t *pte = lookup_pte(t->mm->pgd, addr);

	return pte && pte_present(*pte) ? pte_page(*pte) : NULL;
}

static bool writable_at(struct task *t, unsigned long addr)
{
	pte_t *pte = lookup_pte(t->mm->pgd, addr);

	return pte && pte_write(*pte);
}

static struct task *task_with_area(const char *name, unsigned long pages,
				   unsigned long flags)
{
	struct task *t = task_create(name);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(install_vma(t->mm, AREA, AREA + pages * P, flags) == 0);
	return t;
}

static void test_zero_page_shared_never_written(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_with_area("zero", 256, RW);
	unsigned long free0 = nr_free_pages();
	struct span s = { AREA, 256, 0 };

	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 1);
	CU_ASSERT_EQUAL(task_run(t, read_zeros, &s), 0);
	CU_ASSERT_EQUAL(s.value, 0);                    /* all zeros */
	CU_ASSERT_EQUAL(t->min_flt, 256);
	CU_ASSERT_EQUAL(t->maj_flt, 0);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, file_rss), 256);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, anon_rss), 0);
	CU_ASSERT_EQUAL(nr_free_pages(), free0 - 1);    /* one pte table */
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 257);
	CU_ASSERT_EQUAL(page_mapcount(ZERO_PAGE(0)), 256);
	CU_ASSERT_EQUAL(fault_stats.zero_mapped, 256);
	for (unsigned long a = AREA; a < AREA + 256 * P; a += P) {
		CU_ASSERT_PTR_EQUAL(page_at(t, a), ZERO_PAGE(0));
		CU_ASSERT_FALSE(writable_at(t, a));
	}
	/* a write replaces one zero page by a fresh page, not a copy */
	struct span w = { AREA + 5 * P, 1, 77 };
	CU_ASSERT_EQUAL(task_run(t, write_span, &w), 0);
	CU_ASSERT_EQUAL(t->min_flt, 257);
	CU_ASSERT_EQUAL(fault_stats.cow_zero, 1);
	CU_ASSERT_EQUAL(fault_stats.cow_copied, 0);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, file_rss), 255);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, anon_rss), 1);
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 256);
	CU_ASSERT(writable_at(t, AREA + 5 * P));
	CU_ASSERT(PageAnon(page_at(t, AREA + 5 * P)));
	const char *z = kmap(ZERO_PAGE(0));
	for (unsigned long i = 0; i < P; i++)
		if (z[i])
			CU_FAIL("the zero page was written");
	kunmap(ZERO_PAGE(0));
	task_destroy(t);
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 1);
	CU_ASSERT_EQUAL(page_mapcount(ZERO_PAGE(0)), 0);
	CU_ASSERT_EQUAL(nr_mapped, 0);
	mm_shutdown();
}

static void test_demand_zero_write(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_with_area("write", 1024, RW);
	unsigned long free0 = nr_free_pages();
	struct span s = { AREA, 10, 100 };

	CU_ASSERT_EQUAL(task_run(t, write_span, &s), 0);
	CU_ASSERT_EQUAL(t->min_flt, 10);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, anon_rss), 10);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, file_rss), 0);
	/* ten, a table, and a slab of anon_vmas (chapter 12) */
	CU_ASSERT_EQUAL(nr_free_pages(), free0 - 12);
	CU_ASSERT_EQUAL(fault_stats.anon_new, 10);
	for (unsigned long i = 0; i < 10; i++) {
		struct page *pg = page_at(t, AREA + i * P);
		CU_ASSERT_EQUAL(page_count(pg), 1);
		CU_ASSERT_EQUAL(page_mapcount(pg), 1);
		CU_ASSERT(writable_at(t, AREA + i * P));
	}
	CU_ASSERT_EQUAL(nr_mapped, 10);
	task_destroy(t);
	CU_ASSERT_EQUAL(nr_mapped, 0);
	mm_shutdown();
}

/* Found by the misuse table (book/96-misuse.nw): a page a task maps,
 * freed by the kernel, went back to the free lists.  Linux reports "Bad
 * page state"; the model oopses before changing anything, and the task's
 * page is still its own. */
static __attribute__((noinline)) int free_page_oopses(struct page *pg)
{
	return oopses(__free_page(pg));
}

static void test_freeing_a_mapped_page_oopses(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_with_area("mapped", 16, RW);
	struct span s = { AREA, 2, 500 };

	CU_ASSERT_EQUAL(task_run(t, write_span, &s), 0);
	struct page *pg = page_at(t, AREA);
	unsigned long free0 = nr_free_pages();
	CU_ASSERT(free_page_oopses(pg));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "still mapped by 1 ptes"));
	CU_ASSERT_EQUAL(page_count(pg), 1);
	CU_ASSERT_EQUAL(page_mapcount(pg), 1);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_EQUAL(task_run(t, read_span, &s), 0);
	CU_ASSERT_EQUAL(s.value, 500);
	get_page(pg);                 /* a second user: then a put is fine */
	__free_page(pg);
	CU_ASSERT_EQUAL(page_count(pg), 1);
	CU_ASSERT(buddy_check());
	task_destroy(t);
	mm_shutdown();
}

static void test_fork_isolation_both_ways(void)
{
	BOOT("mem=64M quiet");
	struct task *parent = task_with_area("parent", 16, RW);
	struct span s = { AREA, 16, 1000 };

	CU_ASSERT_EQUAL(task_run(parent, write_span, &s), 0);
	struct task *child = task_fork(parent);
	CU_ASSERT_FATAL(child != NULL);
	CU_ASSERT_NOT_EQUAL(child->pid, parent->pid);
	CU_ASSERT_EQUAL(child->mm->map_count, parent->mm->map_count);
	CU_ASSERT_EQUAL(child->mm->total_vm, parent->mm->total_vm);
	CU_ASSERT_EQUAL(task_run(child, read_span, &s), 0);
	CU_ASSERT_EQUAL(s.value, 1000);                 /* sees the parent's */
	struct span c = { AREA, 16, 2000 }, p = { AREA, 16, 3000 };
	CU_ASSERT_EQUAL(task_run(child, write_span, &c), 0);
	struct span check = { AREA, 16, 1000 };
	CU_ASSERT_EQUAL(task_run(parent, read_span, &check), 0);
	CU_ASSERT_EQUAL(check.value, 1000);             /* not the child's */
	CU_ASSERT_EQUAL(task_run(parent, write_span, &p), 0);
	check.value = 2000;
	CU_ASSERT_EQUAL(task_run(child, read_span, &check), 0);
	CU_ASSERT_EQUAL(check.value, 2000);             /* not the parent's */
	task_destroy(child);
	task_destroy(parent);
	mm_shutdown();
}

static void test_cow_counts_copy_and_reuse(void)
{
	BOOT("mem=64M quiet");
	struct task *parent = task_with_area("parent", 8, RW);
	struct span s = { AREA, 8, 1 };
	struct page *pages[8];

	CU_ASSERT_EQUAL(task_run(parent, write_span, &s), 0);
	for (int i = 0; i < 8; i++)
		pages[i] = page_at(parent, AREA + (unsigned long)i * P);
	unsigned long anon0 = get_mm_counter(parent->mm, anon_rss);
	struct task *child = task_fork(parent);
	CU_ASSERT_FATAL(child != NULL);
	CU_ASSERT_EQUAL(child->min_flt, 0);
	CU_ASSERT_EQUAL(get_mm_counter(child->mm, anon_rss), anon0);
	CU_ASSERT_EQUAL(get_mm_counter(parent->mm, anon_rss), anon0);
	for (int i = 0; i < 8; i++) {
		unsigned long a = AREA + (unsigned long)i * P;
		CU_ASSERT_PTR_EQUAL(page_at(child, a), pages[i]);
		CU_ASSERT_EQUAL(page_count(pages[i]), 2);
		CU_ASSERT_EQUAL(page_mapcount(pages[i]), 2);
		CU_ASSERT_FALSE(writable_at(parent, a));
		CU_ASSERT_FALSE(writable_at(child, a));
	}
	/* the child writes three pages: three copies, three minor faults */
	unsigned long copied0 = fault_stats.cow_copied;
	struct span w = { AREA, 3, 50 };
	CU_ASSERT_EQUAL(task_run(child, write_span, &w), 0);
	CU_ASSERT_EQUAL(child->min_flt, 3);
	CU_ASSERT_EQUAL(fault_stats.cow_copied - copied0, 3);
	for (int i = 0; i < 3; i++) {
		unsigned long a = AREA + (unsigned long)i * P;
		CU_ASSERT_PTR_NOT_EQUAL(page_at(child, a), pages[i]);
		CU_ASSERT_EQUAL(page_count(pages[i]), 1);
		CU_ASSERT_EQUAL(page_mapcount(pages[i]), 1);
		CU_ASSERT_EQUAL(page_count(page_at(child, a)), 1);
	}
	CU_ASSERT_EQUAL(get_mm_counter(child->mm, anon_rss), anon0);
	/* the parent, now sole user of page 0, reuses it: no copy */
	unsigned long reused0 = fault_stats.cow_reused, flt0 = parent->min_flt;
	struct span r = { AREA, 1, 9 };
	CU_ASSERT_EQUAL(task_run(parent, write_span, &r), 0);
	CU_ASSERT_EQUAL(parent->min_flt, flt0 + 1);
	CU_ASSERT_EQUAL(fault_stats.cow_reused - reused0, 1);
	CU_ASSERT_EQUAL(fault_stats.cow_copied - copied0, 3);
	CU_ASSERT_PTR_EQUAL(page_at(parent, AREA), pages[0]);
	CU_ASSERT(writable_at(parent, AREA));
	/* a page still shared is copied by the parent too */
	struct span r4 = { AREA + 4 * P, 1, 9 };
	CU_ASSERT_EQUAL(task_run(parent, write_span, &r4), 0);
	CU_ASSERT_EQUAL(fault_stats.cow_copied - copied0, 4);
	CU_ASSERT_PTR_EQUAL(page_at(child, AREA + 4 * P), pages[4]);
	CU_ASSERT_EQUAL(page_count(pages[4]), 1);
	/* exit drops the child's references; the parent keeps its own */
	task_destroy(child);
	for (int i = 5; i < 8; i++) {
		CU_ASSERT_EQUAL(page_count(pages[i]), 1);
		CU_ASSERT_EQUAL(page_mapcount(pages[i]), 1);
	}
	CU_ASSERT_EQUAL(get_mm_counter(parent->mm, anon_rss), anon0);
	task_destroy(parent);
	CU_ASSERT_EQUAL(nr_mapped, 0);
	mm_shutdown();
}

static void test_munmap_drops_references(void)
{
	BOOT("mem=64M quiet");
	struct task *parent = task_with_area("parent", 4, RW);
	struct span s = { AREA, 4, 1 };
	CU_ASSERT_EQUAL(task_run(parent, write_span, &s), 0);
	struct page *pg = page_at(parent, AREA + P);
	struct task *child = task_fork(parent);
	CU_ASSERT_EQUAL(page_count(pg), 2);
	CU_ASSERT_EQUAL(do_munmap(parent->mm, AREA, 4 * P), 0);
	CU_ASSERT_EQUAL(page_count(pg), 1);
	CU_ASSERT_EQUAL(page_mapcount(pg), 1);
	CU_ASSERT_EQUAL(get_mm_counter(child->mm, anon_rss),
			get_mm_counter(parent->mm, anon_rss) + 4);
	/* the child, now its only user, writes it in place */
	unsigned long reused0 = fault_stats.cow_reused;
	struct span w = { AREA + P, 1, 5 };
	CU_ASSERT_EQUAL(task_run(child, write_span, &w), 0);
	CU_ASSERT_EQUAL(fault_stats.cow_reused - reused0, 1);
	CU_ASSERT_PTR_EQUAL(page_at(child, AREA + P), pg);
	task_destroy(parent);
	task_destroy(child);
	mm_shutdown();
}

static void fork_inside(void *arg)
{
	volatile int *p = vaddr_to_ptr(AREA);

	*p = 1;                                   /* in the TLB, writable */
	*(struct task **)arg = task_fork(current);
	*p = 2;                                   /* must fault and copy */
}

static void test_fork_from_the_running_task(void)
{
	BOOT("mem=64M quiet");
	struct task *parent = task_with_area("parent", 1, RW), *child = NULL;
	CU_ASSERT_EQUAL(task_run(parent, fork_inside, &child), 0);
	CU_ASSERT_FATAL(child != NULL);
	struct span c = { AREA, 1, 1 }, p = { AREA, 1, 2 };
	CU_ASSERT_EQUAL(task_run(child, read_span, &c), 0);
	CU_ASSERT_EQUAL(c.value, 1);
	CU_ASSERT_EQUAL(task_run(parent, read_span, &p), 0);
	CU_ASSERT_EQUAL(p.value, 2);
	CU_ASSERT_EQUAL(parent->min_flt, 2);      /* demand zero, then COW */
	task_destroy(child);
	task_destroy(parent);
	mm_shutdown();
}

static void test_shared_mapping_stays_shared(void)
{
	BOOT("mem=64M quiet");
	struct task *parent = task_with_area("parent", 2,
					     RW | VM_SHARED | VM_MAYSHARE);
	struct span s = { AREA, 2, 10 };
	CU_ASSERT_EQUAL(task_run(parent, write_span, &s), 0);
	struct task *child = task_fork(parent);
	CU_ASSERT(writable_at(child, AREA));
	CU_ASSERT(writable_at(parent, AREA));
	struct span w = { AREA, 2, 20 };
	CU_ASSERT_EQUAL(task_run(child, write_span, &w), 0);
	CU_ASSERT_EQUAL(child->min_flt, 0);       /* no copy, no fault */
	CU_ASSERT_EQUAL(task_run(parent, read_span, &w), 0);
	CU_ASSERT_EQUAL(w.value, 20);             /* the child's writes */
	CU_ASSERT_PTR_EQUAL(page_at(child, AREA), page_at(parent, AREA));
	task_destroy(parent);
	task_destroy(child);
	mm_shutdown();
}

static void test_untouched_and_read_only_areas_are_not_copied(void)
{
	BOOT("mem=64M quiet");
	struct task *parent = task_with_area("parent", 4, RW);
	struct span s = { AREA, 4, 0 };
	CU_ASSERT_EQUAL(task_run(parent, read_zeros, &s), 0); /* zero pages */
	struct task *child = task_fork(parent);
	/* no anonymous page in the VMA: nothing copied, the child refaults */
	CU_ASSERT_PTR_NULL(page_at(child, AREA));
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 5);
	CU_ASSERT_EQUAL(task_run(child, read_zeros, &s), 0);
	CU_ASSERT_EQUAL(s.value, 0);
	CU_ASSERT_EQUAL(child->min_flt, 4);
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 9);
	task_destroy(child);
	task_destroy(parent);
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 1);
	mm_shutdown();
}

/* Found by the stress run (book/95-invariants.nw): a VMA that had only read the
 * zero page merges with its neighbour holding a written page (munlock
 * makes them alike again); the merged VMA must still count as holding
 * anonymous pages, or fork leaves the child without the written page. */
static void merge_then_write(void *arg)
{
	long *r = arg;

	r[0] = sys_mmap(AREA, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE
			| MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	(void)*(volatile char *)vaddr_to_ptr(AREA);          /* zero page */
	r[1] = sys_mlock(AREA + P, P);                 /* splits, populates */
	*(volatile char *)vaddr_to_ptr(AREA + P) = 'Q';
	r[2] = sys_munlock(AREA + P, P);               /* merges again */
}

/* Also found by the stress run: mremap moves a written page next to a
 * VMA that never had a page, and the two merge. */
static void move_next_to_untouched(void *arg)
{
	long *r = arg;

	r[0] = sys_mmap(AREA, P, PROT_READ | PROT_WRITE, MAP_PRIVATE
			| MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	r[1] = sys_mmap(AREA + 16 * P, P, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	*(volatile char *)vaddr_to_ptr(AREA + 16 * P) = 'Q';
	r[2] = sys_mremap(AREA + 16 * P, P, P, MREMAP_MAYMOVE | MREMAP_FIXED,
			  AREA + P);
}

/* And mprotect's case 6: the middle VMA made like both neighbours, the
 * three merge, and only the last had a page. */
static void fill_the_hole(void *arg)
{
	long *r = arg;

	r[0] = sys_mmap(AREA, P, PROT_READ | PROT_WRITE, MAP_PRIVATE
			| MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	r[1] = sys_mmap(AREA + P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS
			| MAP_FIXED, -1UL, 0);
	r[2] = sys_mmap(AREA + 2 * P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE
			| MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	*(volatile char *)vaddr_to_ptr(AREA + 2 * P) = 'Q';
	r[3] = sys_mprotect(AREA + P, P, PROT_READ | PROT_WRITE);
}

static void read_q2(void *arg)
{
	long *r = arg;

	r[3] = *(volatile char *)vaddr_to_ptr(AREA + 2 * P);
}

static void test_three_vmas_merge_keeping_the_mark(void)
{
	long r[4] = { 0, 0, 0, -1 };

	BOOT("mem=64M quiet");
	struct task *parent = task_create("parent");
	CU_ASSERT_EQUAL(task_run(parent, fill_the_hole, r), 0);
	CU_ASSERT_EQUAL(r[2], (long)(AREA + 2 * P));
	CU_ASSERT_EQUAL(r[3], 0);
	struct vm_area_struct *v = find_vma(parent->mm, AREA);
	CU_ASSERT_EQUAL(v->vm_end, AREA + 3 * P);           /* one VMA */
	CU_ASSERT_PTR_NOT_NULL(v->anon_vma);
	struct task *child = task_fork(parent);
	CU_ASSERT_EQUAL(task_run(child, read_q2, r), 0);
	CU_ASSERT_EQUAL(r[3], 'Q');
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(child);
	task_destroy(parent);
	mm_shutdown();
}

static void read_q(void *arg)
{
	long *r = arg;

	r[3] = *(volatile char *)vaddr_to_ptr(AREA + P);
}

static void merged_vma_keeps_its_anonymous_pages(void (*body)(void *),
						  long want1, long want2)
{
	long r[4] = { 0, 0, -1, 0 };

	BOOT("mem=64M quiet");
	struct task *parent = task_create("parent");
	CU_ASSERT_EQUAL(task_run(parent, body, r), 0);
	CU_ASSERT_EQUAL(r[0], (long)AREA);
	CU_ASSERT_EQUAL(r[1], want1);
	CU_ASSERT_EQUAL(r[2], want2);
	struct vm_area_struct *v = find_vma(parent->mm, AREA);
	CU_ASSERT_EQUAL(v->vm_end, AREA + 2 * P);           /* one VMA */
	CU_ASSERT_PTR_NOT_NULL(v->anon_vma);
	struct task *child = task_fork(parent);
	CU_ASSERT_PTR_NOT_NULL(page_at(child, AREA + P));
	CU_ASSERT_EQUAL(task_run(child, read_q, r), 0);
	CU_ASSERT_EQUAL(r[3], 'Q');
	CU_ASSERT_EQUAL(model_check(), 0);
	task_destroy(child);
	task_destroy(parent);
	mm_shutdown();
}

static void test_merged_vma_keeps_its_anonymous_pages(void)
{
	merged_vma_keeps_its_anonymous_pages(merge_then_write, 0, 0);
	merged_vma_keeps_its_anonymous_pages(move_next_to_untouched,
					     (long)(AREA + 16 * P),
					     (long)(AREA + P));
}


static void populate(void *arg)
{
	unsigned long *r = arg;

	r[0] = (unsigned long)make_pages_present(AREA, AREA + 16 * P);
	r[1] = current->min_flt;
	r[2] = (unsigned long)make_pages_present(AREA, AREA + 16 * P);
	r[3] = current->min_flt;
	r[4] = (unsigned long)make_pages_present(AREA + 16 * P,
						 AREA + 17 * P);
	r[5] = (unsigned long)make_pages_present(0x20000000, 0x20001000);
}

static void test_make_pages_present(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_with_area("populate", 16, RW);
	unsigned long r[6];
	CU_ASSERT_EQUAL(task_run(t, populate, r), 0);
	CU_ASSERT_EQUAL(r[0], 0);
	CU_ASSERT_EQUAL(r[1], 16);
	CU_ASSERT_EQUAL(r[2], 0);
	CU_ASSERT_EQUAL(r[3], 16);                /* all there: no faults */
	CU_ASSERT_EQUAL((long)r[4], -ENOMEM);     /* beyond the VMA */
	CU_ASSERT_EQUAL((long)r[5], -ENOMEM);     /* no VMA there */
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, anon_rss), 16);
	CU_ASSERT(writable_at(t, AREA + 15 * P));
	task_destroy(t);
	/* a read-only VMA is populated with the zero page */
	t = task_with_area("ro", 16, VM_READ | VM_MAYREAD);
	CU_ASSERT_EQUAL(task_run(t, populate, r), 0);
	CU_ASSERT_EQUAL(r[1], 16);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, file_rss), 16);
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 17);
	task_destroy(t);
	CU_ASSERT(oopses(make_pages_present(AREA, AREA + P)));  /* no task */
	mm_shutdown();
}

static void write_text(void *arg)
{
	(void)arg;
	*(volatile char *)vaddr_to_ptr(IMAGE_START_CODE) = 1;
}

static void test_sigsegv_leaves_the_family_intact(void)
{
	BOOT("mem=64M quiet");
	struct task *parent = task_with_area("parent", 4, RW);
	struct span s = { AREA, 4, 40 };
	CU_ASSERT_EQUAL(task_run(parent, write_span, &s), 0);
	struct task *child = task_fork(parent);
	struct task *other = task_fork(parent);
	CU_ASSERT_EQUAL(page_count(page_at(parent, AREA)), 3);
	CU_ASSERT_EQUAL(task_run(child, write_text, NULL), SIGSEGV);
	CU_ASSERT_EQUAL(child->state, EXIT_ZOMBIE);
	CU_ASSERT_EQUAL(page_count(page_at(parent, AREA)), 2);
	struct span gone = { AREA + 4 * P, 1, 0 };
	CU_ASSERT_EQUAL(task_run(other, read_span, &gone), SIGSEGV);
	CU_ASSERT_EQUAL(page_count(page_at(parent, AREA)), 1);
	CU_ASSERT_EQUAL(page_mapcount(page_at(parent, AREA)), 1);
	CU_ASSERT_EQUAL(task_run(parent, read_span, &s), 0);
	CU_ASSERT_EQUAL(s.value, 40);
	CU_ASSERT(oopses(task_fork(child)));              /* a zombie */
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "not a live task"));
	task_destroy(child);
	task_destroy(other);
	task_destroy(parent);
	mm_shutdown();
}

static void test_cow_out_of_memory_kills_only_the_writer(void)
{
	BOOT("mem=16M quiet");
	struct task *parent = task_with_area("parent", 8, RW);
	struct span s = { AREA, 8, 60 };
	CU_ASSERT_EQUAL(task_run(parent, write_span, &s), 0);
	struct task *child = task_fork(parent);
	CU_ASSERT_FATAL(child != NULL);
	static struct page *hoard[4096];
	int n = 0;
	while (n < 4096 && (hoard[n] = alloc_page(GFP_HIGHUSER)))
		n++;
	CU_ASSERT(n < 4096);
	struct span w = { AREA, 8, 70 };
	CU_ASSERT_EQUAL(task_run(child, write_span, &w), SIGKILL);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "VM: killing process parent"));
	for (unsigned long i = 0; i < 8; i++) {
		struct page *pg = page_at(parent, AREA + i * P);
		CU_ASSERT_EQUAL(page_count(pg), 1);
		CU_ASSERT_EQUAL(page_mapcount(pg), 1);
	}
	while (n > 0)
		__free_page(hoard[--n]);
	CU_ASSERT_EQUAL(task_run(parent, read_span, &s), 0);
	CU_ASSERT_EQUAL(s.value, 60);
	task_destroy(child);
	task_destroy(parent);
	CU_ASSERT_EQUAL(nr_mapped, 0);
	CU_ASSERT(buddy_check());
	mm_shutdown();
}

/* A host file of eight pages under the model's root, page i full of i+1. */
static void make_host_file(const char *name)
{
	char path[4096], page[4096];
	snprintf(path, sizeof path, "%s/%s", vfs_root(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	for (int i = 0; i < 8; i++) {
		memset(page, i + 1, sizeof page);
		CU_ASSERT(write(fd, page, sizeof page) == (ssize_t)sizeof page);
	}
	close(fd);
}

struct filemap { long fd, addr; unsigned long maj[3], min[3]; int bad; };

static void map_and_read_twice(void *arg)
{
	struct filemap *m = arg;
	volatile unsigned long *maj = &current->maj_flt;
	volatile unsigned long *min = &current->min_flt;

	m->fd = sys_open("/data", O_RDONLY, 0);
	for (int round = 0; round < 2; round++) {
		m->addr = sys_mmap(0, 8 * P, PROT_READ, MAP_PRIVATE,
				   (unsigned long)m->fd, 0);
		for (unsigned long i = 0; i < 8; i++)
			if (*(volatile char *)vaddr_to_ptr(m->addr + i * P)
			    != (char)(i + 1))
				m->bad++;
		m->maj[round] = *maj;
		m->min[round] = *min;
		if (round == 0)
			sys_munmap(m->addr, 8 * P);
	}
}

static void test_file_faults_major_then_minor(void)
{
	BOOT("mem=64M quiet");
	make_host_file("data");
	struct task *t = task_create("file");
	struct filemap m = { 0 };
	CU_ASSERT_EQUAL(task_run(t, map_and_read_twice, &m), 0);
	CU_ASSERT_EQUAL(m.bad, 0);
	CU_ASSERT_EQUAL(m.maj[0], 8);             /* read from the disk */
	CU_ASSERT_EQUAL(m.min[0], 0);
	CU_ASSERT_EQUAL(m.maj[1], 8);             /* then from the cache */
	CU_ASSERT_EQUAL(m.min[1], 8);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, file_rss), 8);
	struct page *pg = page_at(t, (unsigned long)m.addr);
	CU_ASSERT_EQUAL(page_mapcount(pg), 1);
	CU_ASSERT_EQUAL(nr_mapped, 8);
	task_destroy(t);
	CU_ASSERT_EQUAL(nr_mapped, 0);
	mm_shutdown();
}

static void map_private_rw(void *arg)
{
	struct filemap *m = arg;

	m->fd = sys_open("/data", O_RDONLY, 0);
	m->addr = sys_mmap(0, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			   (unsigned long)m->fd, 0);
	*(volatile char *)vaddr_to_ptr(m->addr) = 'x';           /* a copy */
	(void)*(volatile char *)vaddr_to_ptr(m->addr + P);       /* cache */
}

static void write_second_page(void *arg)
{
	struct filemap *m = arg;

	*(volatile char *)vaddr_to_ptr(m->addr + P) = 'y';
	if (*(volatile char *)vaddr_to_ptr(m->addr) != 'x')
		m->bad++;
}

static void read_back(void *arg)
{
	struct filemap *m = arg;
	char *c = vaddr_to_ptr(0x0804D000);       /* a buffer in the bss */

	if (sys_lseek((unsigned)m->fd, P, SEEK_SET) != (long)P
	    || sys_read((unsigned)m->fd, c, 1) != 1)
		m->bad++;
	c[1] = *(volatile char *)vaddr_to_ptr(m->addr + P);
	if (c[0] != 2 || c[1] != 2)               /* not the child's 'y' */
		m->bad++;
}

static void test_fork_private_file_mapping_and_files(void)
{
	BOOT("mem=64M quiet");
	make_host_file("data");
	struct task *parent = task_create("parent");
	struct filemap m = { 0 };
	CU_ASSERT_EQUAL(task_run(parent, map_private_rw, &m), 0);
	CU_ASSERT_EQUAL(get_mm_counter(parent->mm, anon_rss), 1);
	CU_ASSERT_EQUAL(get_mm_counter(parent->mm, file_rss), 1);
	struct page *copy = page_at(parent, (unsigned long)m.addr);
	struct page *cached = page_at(parent, (unsigned long)m.addr + P);
	CU_ASSERT(PageAnon(copy));
	CU_ASSERT(page_in_cache(cached));
	CU_ASSERT_EQUAL(page_mapcount(cached), 1);
	struct task *child = task_fork(parent);
	CU_ASSERT_FATAL(child != NULL);
	CU_ASSERT_PTR_EQUAL(child->files, parent->files);
	CU_ASSERT_EQUAL(parent->files->count, 2);
	CU_ASSERT_EQUAL(page_count(copy), 2);
	CU_ASSERT_EQUAL(page_mapcount(cached), 2);
	CU_ASSERT_EQUAL(get_mm_counter(child->mm, anon_rss), 1);
	CU_ASSERT_EQUAL(get_mm_counter(child->mm, file_rss), 1);
	CU_ASSERT_EQUAL(task_run(child, write_second_page, &m), 0);
	CU_ASSERT_EQUAL(m.bad, 0);
	CU_ASSERT_EQUAL(child->min_flt, 1);
	CU_ASSERT_EQUAL(get_mm_counter(child->mm, anon_rss), 2);
	CU_ASSERT_EQUAL(get_mm_counter(child->mm, file_rss), 0);
	CU_ASSERT_EQUAL(page_mapcount(cached), 1);
	CU_ASSERT_EQUAL(task_run(parent, read_back, &m), 0);
	CU_ASSERT_EQUAL(m.bad, 0);
	task_destroy(child);
	CU_ASSERT_EQUAL(parent->files->count, 1);
	CU_ASSERT_EQUAL(page_count(copy), 1);
	task_destroy(parent);
	CU_ASSERT_EQUAL(nr_mapped, 0);
	mm_shutdown();
}

static void test_hundred_fork_exit_cycles(void)
{
	BOOT("mem=64M quiet");
	unsigned long free0 = nr_free_pages();
	struct task *parent = task_with_area("parent", 32, RW);
	struct span s = { AREA, 32, 7 }, w = { AREA, 8, 9 };
	CU_ASSERT_EQUAL(task_run(parent, write_span, &s), 0);
	for (int i = 0; i < 100; i++) {
		struct task *child = task_fork(parent);
		CU_ASSERT_FATAL(child != NULL);
		CU_ASSERT_EQUAL(task_run(child, write_span, &w), 0);
		if (i % 2)
			task_destroy(child);
		else {
			task_run(child, write_text, NULL);
			task_destroy(child);
		}
		CU_ASSERT_EQUAL(page_count(page_at(parent, AREA)), 1);
	}
	CU_ASSERT_EQUAL(task_run(parent, read_span, &s), 0);
	CU_ASSERT_EQUAL(s.value, 7);
	task_destroy(parent);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_EQUAL(page_count(ZERO_PAGE(0)), 1);
	CU_ASSERT_EQUAL(nr_mapped, 0);
	CU_ASSERT(buddy_check());
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated,
			pgtable_stats.tables_freed);
	mm_shutdown();
}

TEST_SUITE(faults, "ch10 faults", NULL, NULL,
	   { "the zero page: shared, never written",
	     test_zero_page_shared_never_written },
	   { "demand zero on write", test_demand_zero_write },
	   { "make_pages_present", test_make_pages_present },
	   { "freeing a mapped page oopses",
	     test_freeing_a_mapped_page_oopses })

TEST_SUITE(fork, "ch10 fork and copy-on-write", NULL, NULL,
	   { "fork isolation both ways", test_fork_isolation_both_ways },
	   { "COW counts: copy and reuse", test_cow_counts_copy_and_reuse },
	   { "munmap drops references", test_munmap_drops_references },
	   { "fork from the running task", test_fork_from_the_running_task },
	   { "a shared mapping stays shared",
	     test_shared_mapping_stays_shared },
	   { "VMAs without anonymous pages are not copied",
	     test_untouched_and_read_only_areas_are_not_copied },
	   { "SIGSEGV leaves the family intact",
	     test_sigsegv_leaves_the_family_intact },
	   { "file faults: major, then minor",
	     test_file_faults_major_then_minor },
	   { "fork: a private file mapping, the file table",
	     test_fork_private_file_mapping_and_files },
	   { "copy-on-write out of memory: SIGKILL",
	     test_cow_out_of_memory_kills_only_the_writer },
	   { "100 fork/exit cycles", test_hundred_fork_exit_cycles },
	   { "a merged VMA keeps its anonymous pages",
	     test_merged_vma_keeps_its_anonymous_pages },
	   { "three VMAs merge, keeping the mark",
	     test_three_vmas_merge_keeping_the_mark })
