/* test_brk.c -- chapter 8: sys_brk (unaligned breaks, below start_brk,
 * into a mapping, RLIMIT_DATA, shrinking frees pages, growing merges),
 * do_munmap of whole and partial VMAs, do_brk over a mapping. */
#include <signal.h>
#include <string.h>
#include "test.h"

#define P        PAGE_SIZE
#define HEAP     0x0804E000UL       /* start_brk of a fresh task */
#define BSS      0x0804D000UL
#define RW       (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

struct brk_case { unsigned long ask[16]; long got[16]; int n; };

static void run_brks(void *arg)
{
	struct brk_case *c = arg;

	for (int i = 0; i < c->n; i++)
		c->got[i] = sys_brk(c->ask[i]);
}

static struct vm_area_struct *heap_vma(struct task *t)
{
	return find_vma(t->mm, BSS);
}

static void test_brk_unaligned_and_merged(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("brk");
	struct brk_case c = { .ask = { 0, HEAP + 1, HEAP + 100, HEAP + P,
				       HEAP + P + 1, 0, HEAP + 10 * P - 3 },
			      .n = 7 };
	CU_ASSERT_EQUAL(task_run(t, run_brks, &c), 0);
	CU_ASSERT_EQUAL(c.got[0], (long)HEAP);          /* brk(0) asks */
	CU_ASSERT_EQUAL(c.got[1], (long)(HEAP + 1));
	CU_ASSERT_EQUAL(c.got[2], (long)(HEAP + 100));
	CU_ASSERT_EQUAL(c.got[3], (long)(HEAP + P));
	CU_ASSERT_EQUAL(c.got[4], (long)(HEAP + P + 1));
	CU_ASSERT_EQUAL(c.got[5], (long)(HEAP + P + 1));
	CU_ASSERT_EQUAL(c.got[6], (long)(HEAP + 10 * P - 3));
	CU_ASSERT_EQUAL(t->mm->brk, HEAP + 10 * P - 3);
	CU_ASSERT_EQUAL(t->mm->map_count, 4);            /* still one VMA */
	CU_ASSERT_EQUAL(heap_vma(t)->vm_start, BSS);
	CU_ASSERT_EQUAL(heap_vma(t)->vm_end, HEAP + 10 * P);
	CU_ASSERT_EQUAL(t->mm->total_vm, 17);
	CU_ASSERT_EQUAL(get_mm_rss(t->mm), 0);           /* nothing touched */
	char maps[512];
	FILE *f = fmemopen(maps, sizeof maps, "w");
	proc_show("/proc/1/maps", f);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(maps,
		"0804d000-08058000 rw-p 0804d000 00:00 0          [heap]\n"));
	task_destroy(t);
	mm_shutdown();
}

static void test_brk_refusals_return_the_old_break(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("refuse");
	CU_ASSERT_EQUAL(install_vma(t->mm, 0x08060000UL, 0x08061000UL, RW), 0);
	struct brk_case c = { .ask = { HEAP + 3, BSS, HEAP - 1,
				       0x08060000UL, 0x0805F001UL,
				       0x0805F000UL, 0xC0000000UL },
			      .n = 7 };
	CU_ASSERT_EQUAL(task_run(t, run_brks, &c), 0);
	CU_ASSERT_EQUAL(c.got[0], (long)(HEAP + 3));
	CU_ASSERT_EQUAL(c.got[1], (long)(HEAP + 3));     /* below start_brk */
	CU_ASSERT_EQUAL(c.got[2], (long)(HEAP + 3));
	CU_ASSERT_EQUAL(c.got[3], (long)(HEAP + 3));     /* into a mapping */
	CU_ASSERT_EQUAL(c.got[4], (long)(HEAP + 3));     /* no gap page */
	CU_ASSERT_EQUAL(c.got[5], 0x0805F000L);          /* one page gap */
	CU_ASSERT_EQUAL(c.got[6], 0x0805F000L);          /* the stack */
	CU_ASSERT_EQUAL(heap_vma(t)->vm_end, 0x0805F000UL);
	CU_ASSERT_EQUAL(t->mm->map_count, 5);
	task_destroy(t);
	mm_shutdown();
}

static void test_brk_rlimit_data(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("rlimit");
	/* the break may lie at most 8 KiB + 100 bytes above start_data */
	unsigned long limit = HEAP - t->mm->start_data + 2 * P + 100;
	t->rlim[RLIMIT_DATA].rlim_cur = limit;
	struct brk_case c = { .ask = { HEAP + 2 * P + 100, HEAP + 2 * P + 101,
				       HEAP + 3 * P, HEAP + P },
			      .n = 4 };
	CU_ASSERT_EQUAL(task_run(t, run_brks, &c), 0);
	CU_ASSERT_EQUAL(c.got[0], (long)(HEAP + 2 * P + 100));
	CU_ASSERT_EQUAL(c.got[1], (long)(HEAP + 2 * P + 100));  /* same page */
	CU_ASSERT_EQUAL(c.got[2], (long)(HEAP + 2 * P + 100));
	CU_ASSERT_EQUAL(c.got[3], (long)(HEAP + P));            /* shrinks */
	task_destroy(t);
	mm_shutdown();
}

static void grow_touch_shrink(void *arg)
{
	unsigned long *free = arg;

	sys_brk(HEAP + 10 * P);
	for (unsigned long a = HEAP; a < HEAP + 10 * P; a += P)
		*(volatile char *)vaddr_to_ptr(a) = 1;
	free[0] = nr_free_pages();
	free[1] = get_mm_rss(current->mm);
	free[2] = current->min_flt;
	sys_brk(HEAP + 4 * P + 1);
	free[3] = nr_free_pages();
	free[4] = get_mm_rss(current->mm);
	/* the freed pages come back as zeros */
	sys_brk(HEAP + 10 * P);
	free[5] = *(volatile char *)vaddr_to_ptr(HEAP + 9 * P);
	free[6] = *(volatile char *)vaddr_to_ptr(HEAP + 4 * P);
}

static void test_brk_shrink_frees_pages(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("shrink");
	unsigned long r[8];
	CU_ASSERT_EQUAL(task_run(t, grow_touch_shrink, r), 0);
	CU_ASSERT_EQUAL(r[1], 10);
	CU_ASSERT_EQUAL(r[2], 10);                   /* a fault a page */
	CU_ASSERT_EQUAL(r[3], r[0] + 5);             /* five pages back */
	CU_ASSERT_EQUAL(r[4], 5);
	CU_ASSERT_EQUAL(r[5], 0);
	CU_ASSERT_EQUAL(r[6], 1);                    /* kept its data */
	CU_ASSERT_EQUAL(heap_vma(t)->vm_end, HEAP + 10 * P);
	CU_ASSERT_EQUAL(t->mm->map_count, 4);
	task_destroy(t);
	mm_shutdown();
}


static void munmap_cases(void *arg)
{
	struct mm_struct *mm = current->mm;
	int *r = arg;

	install_vma(mm, 0x10000000UL, 0x10010000UL, RW);
	for (unsigned long a = 0x10000000UL; a < 0x10010000UL; a += P)
		*(volatile char *)vaddr_to_ptr(a) = 1;
	r[0] = do_munmap(mm, 0x10004000UL, 2 * P);          /* a hole */
	r[1] = do_munmap(mm, 0x1000F000UL, 3 * P);          /* the tail */
	r[2] = do_munmap(mm, 0x0FFFF000UL, 2 * P);          /* the head */
	r[3] = do_munmap(mm, 0x10001001UL, P);              /* unaligned */
	r[4] = do_munmap(mm, 0x10001000UL, 0);              /* empty */
	r[5] = do_munmap(mm, 0x20000000UL, P);              /* nothing there */
	r[6] = (int)get_mm_rss(mm);
}

static void test_do_munmap_whole_and_partial(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("munmap");
	int r[8];
	CU_ASSERT_EQUAL(task_run(t, munmap_cases, r), 0);
	CU_ASSERT_EQUAL(r[0], 0);
	CU_ASSERT_EQUAL(r[1], 0);
	CU_ASSERT_EQUAL(r[2], 0);
	CU_ASSERT_EQUAL(r[3], -EINVAL);
	CU_ASSERT_EQUAL(r[4], -EINVAL);
	CU_ASSERT_EQUAL(r[5], 0);
	CU_ASSERT_EQUAL(r[6], 16 - 2 - 1 - 1);
	CU_ASSERT_STRING_EQUAL(vma_lines(t->mm, false),
		"08048000-0804c000 8048\n"
		"0804c000-0804d000 804c\n"
		"0804d000-0804e000 804d\n"
		"10001000-10004000 10001\n"
		"10006000-1000f000 10006\n"
		"bffff000-c0000000 bffff\n");
	CU_ASSERT_EQUAL(t->mm->total_vm, 7 + 12);
	task_destroy(t);
	mm_shutdown();
}

static void touch_hole(void *arg)
{
	(void)arg;
	*(volatile char *)vaddr_to_ptr(0x10004000UL) = 1;
}

static void unmap_then_touch(void *arg)
{
	(void)arg;
	install_vma(current->mm, 0x10000000UL, 0x10010000UL, RW);
	*(volatile char *)vaddr_to_ptr(0x10004000UL) = 1;
	do_munmap(current->mm, 0x10004000UL, P);
}

static void test_unmapped_page_faults(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("hole");
	CU_ASSERT_EQUAL(task_run(t, unmap_then_touch, NULL), 0);
	CU_ASSERT_EQUAL(get_mm_rss(t->mm), 0);
	CU_ASSERT_EQUAL(task_run(t, touch_hole, NULL), SIGSEGV);
	task_destroy(t);
	mm_shutdown();
}

static void split_refused(void *arg)
{
	int *r = arg;

	install_vma(current->mm, 0x10000000UL, 0x10004000UL, RW);
	r[0] = do_munmap(current->mm, 0x10001000UL, P);
	r[1] = current->mm->map_count;
	r[2] = do_munmap(current->mm, 0x10000000UL, 4 * P); /* no split */
	r[3] = current->mm->map_count;
}

static void test_munmap_at_max_map_count(void)
{
	BOOT("mem=64M max_map_count=5 quiet");
	struct task *t = task_create("max");
	int r[4];
	CU_ASSERT_EQUAL(task_run(t, split_refused, r), 0);
	CU_ASSERT_EQUAL(r[0], -ENOMEM);
	CU_ASSERT_EQUAL(r[1], 5);
	CU_ASSERT_EQUAL(r[2], 0);
	CU_ASSERT_EQUAL(r[3], 4);
	task_destroy(t);
	mm_shutdown();
}

static void brk_over_mapping(void *arg)
{
	long *r = arg;

	install_vma(current->mm, 0x10000000UL, 0x10004000UL, RW);
	*(volatile char *)vaddr_to_ptr(0x10001000UL) = 9;
	r[0] = (long)do_brk(0x10001000UL, 2 * P);   /* MAP_FIXED-like */
	r[1] = current->mm->map_count;
	r[2] = *(volatile char *)vaddr_to_ptr(0x10001000UL);
	r[3] = (long)do_brk(0xBFFFF000UL, 2 * P);
}

static void test_do_brk_replaces_and_merges(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("dobrk");
	long r[4];
	CU_ASSERT_EQUAL(task_run(t, brk_over_mapping, r), 0);
	CU_ASSERT_EQUAL(r[0], 0x10001000L);
	CU_ASSERT_EQUAL(r[2], 0);                   /* fresh zero page */
	CU_ASSERT_EQUAL(r[3], -EINVAL);
	/* RW with VM_ACCOUNT differs from install_vma's RW: three VMAs */
	CU_ASSERT_EQUAL(r[1], 7);
	task_destroy(t);
	mm_shutdown();
}

TEST_SUITE(brk, "ch08 brk", NULL, NULL,
	   { "unaligned breaks, one VMA", test_brk_unaligned_and_merged },
	   { "refusals return the old break",
	     test_brk_refusals_return_the_old_break },
	   { "RLIMIT_DATA", test_brk_rlimit_data },
	   { "shrinking frees pages", test_brk_shrink_frees_pages },
	   { "do_munmap, whole and partial",
	     test_do_munmap_whole_and_partial },
	   { "an unmapped page faults", test_unmapped_page_faults },
	   { "munmap at max_map_count", test_munmap_at_max_map_count },
	   { "do_brk over a mapping", test_do_brk_replaces_and_merges })
