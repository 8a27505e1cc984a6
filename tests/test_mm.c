/* test_mm.c -- chapter 7: VMAs (insert, find, merge, split, placement,
 * max_map_count), tasks (create, run, destroy), page faults (demand zero,
 * stack growth, SIGSEGV), user copies, isolation, exit, /proc. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

#define RW    (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RO    (VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define NONE  (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define BASE  0x10000000UL
#define P     PAGE_SIZE

#define vmas(mm) vma_lines(mm, true)

static const char *skip_lines(const char *s, int n)
{
	while (n-- > 0 && strchr(s, '\n'))
		s = strchr(s, '\n') + 1;
	return s;
}

static int by_start(const struct rb_node *a, const struct rb_node *b)
{
	unsigned long x = rb_entry(a, struct vm_area_struct, vm_rb)->vm_start;
	unsigned long y = rb_entry(b, struct vm_area_struct, vm_rb)->vm_start;

	return x < y ? -1 : x > y;
}

/* The list, the tree and the count agree. */
static bool mm_consistent(struct mm_struct *mm)
{
	const char *why = NULL;
	int n = 0;
	struct rb_node *node = rb_first(&mm->mm_rb);

	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next, n++) {
		if (!node || rb_entry(node, struct vm_area_struct, vm_rb) != v)
			return false;
		if (v->vm_next && v->vm_end > v->vm_next->vm_start)
			return false;
		node = rb_next(node);
	}
	return !node && n == mm->map_count
	       && rb_check(&mm->mm_rb, by_start, &why) >= 0;
}

/* /proc/PATH as a string, valid until the next call. */
static char *proc(const char *path)
{
	static char *text;
	size_t len = 0;
	FILE *f;

	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	if (proc_show(path, f) < 0) {
		fclose(f);
		free(text);
		text = NULL;
		return NULL;
	}
	fclose(f);
	return text;
}

static const char fresh_maps[] =
	"08048000-0804c000 r-xp 08048000 00:00 0 \n"
	"0804c000-0804d000 rw-p 0804c000 00:00 0 \n"
	"0804d000-0804e000 rw-p 0804d000 00:00 0          [heap]\n"
	"bffff000-c0000000 rw-p bffff000 00:00 0          [stack]\n";

/* ------------------------------------------------------------ VMAs */

static void test_fresh_task_layout(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("fresh");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	struct mm_struct *mm = t->mm;
	CU_ASSERT_EQUAL(t->pid, 1);
	CU_ASSERT_STRING_EQUAL(t->comm, "fresh");
	CU_ASSERT_EQUAL(mm->map_count, 4);
	CU_ASSERT_STRING_EQUAL(vmas(mm),
		"08048000-0804c000 1875 8048\n"
		"0804c000-0804d000 1873 804c\n"
		"0804d000-0804e000 100073 804d\n"
		"bffff000-c0000000 100173 bffff\n");
	CU_ASSERT_EQUAL(mm->start_code, 0x08048000UL);
	CU_ASSERT_EQUAL(mm->end_code, 0x0804B5E4UL);
	CU_ASSERT_EQUAL(mm->start_data, 0x0804C5E4UL);
	CU_ASSERT_EQUAL(mm->end_data, 0x0804C9A0UL);
	CU_ASSERT_EQUAL(mm->start_brk, 0x0804E000UL);
	CU_ASSERT_EQUAL(mm->brk, 0x0804E000UL);
	CU_ASSERT_EQUAL(mm->start_stack, 0xBFFFFFF0UL);
	CU_ASSERT_EQUAL(mm->total_vm, 7);
	CU_ASSERT_EQUAL(get_mm_rss(mm), 0);
	CU_ASSERT(mm_consistent(mm));
	CU_ASSERT_STRING_EQUAL(proc("/proc/1/maps"), fresh_maps);
	task_destroy(t);
	mm_shutdown();
}

static void test_find_vma_at_every_boundary(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("find");
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *prev;
	CU_ASSERT_EQUAL(install_vma(mm, BASE, BASE + 2 * P, RW), 0);
	CU_ASSERT_EQUAL(install_vma(mm, BASE + 4 * P, BASE + 5 * P, RO), 0);
	struct vm_area_struct *text = mm->mmap;
	struct vm_area_struct *a = find_vma(mm, BASE);
	struct vm_area_struct *b = find_vma(mm, BASE + 4 * P);
	struct vm_area_struct *stack = find_vma(mm, TASK_SIZE - 1);
	CU_ASSERT_EQUAL(a->vm_start, BASE);
	CU_ASSERT_EQUAL(b->vm_start, BASE + 4 * P);
	CU_ASSERT_EQUAL(stack->vm_end, TASK_SIZE);
	CU_ASSERT_PTR_EQUAL(find_vma(mm, 0), text);           /* below all */
	CU_ASSERT_PTR_EQUAL(find_vma(mm, 0x08047FFF), text);
	CU_ASSERT_PTR_EQUAL(find_vma(mm, BASE - 1), a);       /* in a gap */
	CU_ASSERT_PTR_EQUAL(find_vma(mm, BASE + 2 * P - 1), a);
	CU_ASSERT_PTR_EQUAL(find_vma(mm, BASE + 2 * P), b);   /* at vm_end */
	CU_ASSERT_PTR_EQUAL(find_vma(mm, BASE + 5 * P), stack);
	CU_ASSERT_PTR_NULL(find_vma(mm, TASK_SIZE));          /* above all */
	CU_ASSERT_PTR_NULL(find_vma(mm, 0xFFFFFFFFUL));
	CU_ASSERT_PTR_EQUAL(find_vma_prev(mm, 0, &prev), text);
	CU_ASSERT_PTR_NULL(prev);
	CU_ASSERT_PTR_EQUAL(find_vma_prev(mm, BASE + 3 * P, &prev), b);
	CU_ASSERT_PTR_EQUAL(prev, a);
	CU_ASSERT_PTR_EQUAL(find_vma_prev(mm, BASE + P, &prev), a);
	CU_ASSERT_EQUAL(prev->vm_end, 0x0804E000UL);
	CU_ASSERT_PTR_NULL(find_vma_prev(mm, TASK_SIZE, &prev));
	CU_ASSERT_PTR_EQUAL(prev, stack);
	CU_ASSERT_PTR_NULL(find_vma_intersection(mm, BASE + 2 * P,
						 BASE + 4 * P));
	CU_ASSERT_PTR_EQUAL(find_vma_intersection(mm, BASE + 2 * P,
						  BASE + 4 * P + 1), b);
	/* the cache: a repeated lookup is a hit */
	find_vma(mm, BASE);
	unsigned long hits = mmap_stats.cache_hits;
	find_vma(mm, BASE + 4 * P + 5);
	find_vma(mm, BASE + 4 * P + 6);
	CU_ASSERT_EQUAL(mmap_stats.cache_hits, hits + 1);
	/* an overlapping insert is refused and changes nothing */
	CU_ASSERT_EQUAL(install_vma(mm, BASE + P, BASE + 3 * P, RW), -ENOMEM);
	CU_ASSERT_EQUAL(install_vma(mm, BASE + 3, BASE + P, RW), -EINVAL);
	CU_ASSERT_EQUAL(mm->map_count, 6);
	CU_ASSERT(mm_consistent(mm));
	task_destroy(t);
	mm_shutdown();
}

static void test_vma_merge_cases(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("merge");
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *prev, *got;
	install_vma(mm, BASE, BASE + 2 * P, RW);
	install_vma(mm, BASE + 4 * P, BASE + 6 * P, RW);
	install_vma(mm, BASE + 8 * P, BASE + 9 * P, RW);
	CU_ASSERT_EQUAL(mm->map_count, 7);
	/* different flags: no merge */
	find_vma_prev(mm, BASE + 2 * P, &prev);
	CU_ASSERT_PTR_NULL(vma_merge(mm, prev, BASE + 2 * P, BASE + 3 * P, RO,
				     NULL, (BASE + 2 * P) >> PAGE_SHIFT));
	/* case 2: extends prev */
	got = vma_merge(mm, prev, BASE + 2 * P, BASE + 3 * P, RW, NULL,
			(BASE + 2 * P) >> PAGE_SHIFT);
	CU_ASSERT_PTR_EQUAL(got, prev);
	CU_ASSERT_EQUAL(got->vm_end, BASE + 3 * P);
	CU_ASSERT_EQUAL(mm->map_count, 7);
	/* case 3: extends next downwards, next's offset moves down */
	find_vma_prev(mm, BASE + 7 * P, &prev);
	got = vma_merge(mm, prev, BASE + 7 * P, BASE + 8 * P, RW, NULL,
			(BASE + 7 * P) >> PAGE_SHIFT);
	CU_ASSERT_EQUAL(got->vm_start, BASE + 7 * P);
	CU_ASSERT_EQUAL(got->vm_pgoff, (BASE + 7 * P) >> PAGE_SHIFT);
	/* case 1: fills the hole, prev swallows next */
	find_vma_prev(mm, BASE + 3 * P, &prev);
	got = vma_merge(mm, prev, BASE + 3 * P, BASE + 4 * P, RW, NULL,
			(BASE + 3 * P) >> PAGE_SHIFT);
	CU_ASSERT_PTR_EQUAL(got, prev);
	CU_ASSERT_EQUAL(mm->map_count, 6);
	CU_ASSERT_STRING_EQUAL(skip_lines(vmas(mm), 3),   /* after the image's */
		"10000000-10006000 73 10000\n"
		"10007000-10009000 73 10007\n"
		"bffff000-c0000000 100173 bffff\n");
	/* an offset that does not continue: no merge */
	find_vma_prev(mm, BASE + 6 * P, &prev);
	CU_ASSERT_PTR_NULL(vma_merge(mm, prev, BASE + 6 * P, BASE + 7 * P, RW,
				     NULL, 5));
	/* VM_SPECIAL never merges */
	CU_ASSERT_PTR_NULL(vma_merge(mm, prev, BASE + 6 * P, BASE + 7 * P,
				     RW | VM_IO, NULL,
				     (BASE + 6 * P) >> PAGE_SHIFT));
	/* case 1 again: the last hole, three become one */
	got = vma_merge(mm, prev, BASE + 6 * P, BASE + 7 * P, RW, NULL,
			(BASE + 6 * P) >> PAGE_SHIFT);
	CU_ASSERT_EQUAL(got->vm_start, BASE);
	CU_ASSERT_EQUAL(got->vm_end, BASE + 9 * P);
	CU_ASSERT_EQUAL(mm->map_count, 5);
	CU_ASSERT_PTR_EQUAL(find_vma(mm, BASE + 8 * P), got);
	CU_ASSERT(mm_consistent(mm));
	task_destroy(t);
	mm_shutdown();
}

static void test_vma_merge_mprotect_cases(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("mprotect");
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *prev, *next, *got;
	install_vma(mm, BASE, BASE + 4 * P, RW);
	install_vma(mm, BASE + 4 * P, BASE + 8 * P, RO);
	/* case 4: the last page of prev takes next's flags: next grows down */
	prev = find_vma(mm, BASE);
	next = prev->vm_next;
	got = vma_merge(mm, prev, BASE + 3 * P, BASE + 4 * P, RO, NULL,
			(BASE + 3 * P) >> PAGE_SHIFT);
	CU_ASSERT_PTR_EQUAL(got, next);
	CU_ASSERT_EQUAL(prev->vm_end, BASE + 3 * P);
	CU_ASSERT_EQUAL(next->vm_start, BASE + 3 * P);
	CU_ASSERT_EQUAL(next->vm_pgoff, (BASE + 3 * P) >> PAGE_SHIFT);
	/* case 5: the first page of next takes prev's flags: prev grows up */
	got = vma_merge(mm, prev, BASE + 3 * P, BASE + 4 * P, RW, NULL,
			(BASE + 3 * P) >> PAGE_SHIFT);
	CU_ASSERT_PTR_EQUAL(got, prev);
	CU_ASSERT_EQUAL(prev->vm_end, BASE + 4 * P);
	CU_ASSERT_EQUAL(next->vm_start, BASE + 4 * P);
	CU_ASSERT_EQUAL(next->vm_pgoff, (BASE + 4 * P) >> PAGE_SHIFT);
	/* case 7: all of next takes prev's flags: prev swallows it */
	got = vma_merge(mm, prev, BASE + 4 * P, BASE + 8 * P, RW, NULL,
			(BASE + 4 * P) >> PAGE_SHIFT);
	CU_ASSERT_PTR_EQUAL(got, prev);
	CU_ASSERT_EQUAL(prev->vm_end, BASE + 8 * P);
	CU_ASSERT_EQUAL(mm->map_count, 5);
	CU_ASSERT(mm_consistent(mm));
	task_destroy(t);
	mm_shutdown();
}

static void test_split_vma(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("split");
	struct mm_struct *mm = t->mm;
	install_vma(mm, BASE, BASE + 8 * P, RW);
	struct vm_area_struct *v = find_vma(mm, BASE);
	CU_ASSERT_EQUAL(split_vma(mm, v, BASE + 2 * P, 0), 0);   /* new above */
	CU_ASSERT_EQUAL(v->vm_end, BASE + 2 * P);
	CU_ASSERT_EQUAL(split_vma(mm, v->vm_next, BASE + 5 * P, 1), 0);
	CU_ASSERT_EQUAL(mm->map_count, 7);
	CU_ASSERT_STRING_EQUAL(skip_lines(vmas(mm), 3),
		"10000000-10002000 73 10000\n"
		"10002000-10005000 73 10002\n"
		"10005000-10008000 73 10005\n"
		"bffff000-c0000000 100173 bffff\n");
	CU_ASSERT_EQUAL(find_vma(mm, BASE + 5 * P)->vm_start, BASE + 5 * P);
	CU_ASSERT_EQUAL(find_vma(mm, BASE + 5 * P - 1)->vm_start, BASE + 2 * P);
	CU_ASSERT(mm_consistent(mm));
	/* and merging puts it back together */
	struct vm_area_struct *prev;
	find_vma_prev(mm, BASE + 2 * P, &prev);
	CU_ASSERT_PTR_NOT_NULL(vma_merge(mm, prev, BASE + 2 * P, BASE + 5 * P,
					 RW, NULL, (BASE + 2 * P) >> PAGE_SHIFT));
	CU_ASSERT_EQUAL(mm->map_count, 5);
	CU_ASSERT_EQUAL(find_vma(mm, BASE)->vm_end, BASE + 8 * P);
	CU_ASSERT(mm_consistent(mm));
	task_destroy(t);
	mm_shutdown();
}

static void test_max_map_count(void)
{
	BOOT("mem=64M max_map_count=10 quiet");
	CU_ASSERT_EQUAL(sysctl_max_map_count, 10);
	struct task *t = task_create("limit");
	struct mm_struct *mm = t->mm;
	int i, err = 0;
	for (i = 0; i < 20 && !err; i++)
		err = install_vma(mm, BASE + 2 * i * P, BASE + (2 * i + 1) * P,
				  RW);
	CU_ASSERT_EQUAL(err, -ENOMEM);
	CU_ASSERT_EQUAL(mm->map_count, 11);        /* do_mmap's > test */
	struct vm_area_struct *v = find_vma(mm, BASE);
	CU_ASSERT_EQUAL(split_vma(mm, v, BASE + P / 2, 0), -ENOMEM);
	CU_ASSERT_EQUAL(mm->map_count, 11);
	CU_ASSERT(mm_consistent(mm));
	task_destroy(t);
	mm_shutdown();
	BOOT("mem=64M quiet");
	CU_ASSERT_EQUAL(sysctl_max_map_count, 65530);
	mm_shutdown();
}

struct placement { unsigned long got[8]; };

static void place(void *arg)
{
	struct placement *p = arg;
	struct mm_struct *mm = current->mm;
	unsigned long a;

	a = get_unmapped_area(NULL, 0, 3 * P, 0, 0);
	p->got[0] = a;
	install_vma(mm, a, a + 3 * P, RW);
	a = get_unmapped_area(NULL, 0, 2 * P, 0, 0);
	p->got[1] = a;
	install_vma(mm, a, a + 2 * P, RW);
	/* a free hint is honoured, a taken one is not */
	p->got[2] = get_unmapped_area(NULL, 0x20000000, P, 0, 0);
	p->got[3] = get_unmapped_area(NULL, TASK_UNMAPPED_BASE + P, P, 0, 0);
	/* MAP_FIXED takes the address as given, but checks it */
	p->got[4] = get_unmapped_area(NULL, 0x30000123, P, 0, MAP_FIXED);
	p->got[5] = get_unmapped_area(NULL, TASK_SIZE - P, 2 * P, 0,
				      MAP_FIXED);
	p->got[6] = get_unmapped_area(NULL, 0, TASK_SIZE, 0, 0);
}

static void reuse_hole(void *arg)
{
	struct placement *p = arg;
	struct mm_struct *mm = current->mm;

	install_vma(mm, 0x40005000UL, 0x40006000UL, RW);
	/* unmap the second mapping: a 2-page hole above the first */
	CU_ASSERT_EQUAL(do_munmap(mm, 0x40003000UL, 2 * P), 0);
	p->got[0] = get_unmapped_area(NULL, 0, 3 * P, 0, 0);   /* too big */
	p->got[1] = get_unmapped_area(NULL, 0, P, 0, 0);       /* reused */
	p->got[2] = get_unmapped_area(NULL, 0, 2 * P, 0, 0);   /* from cache */
}

static void test_get_unmapped_area(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("place");
	struct placement p;
	CU_ASSERT_EQUAL(TASK_UNMAPPED_BASE, 0x40000000UL);
	CU_ASSERT_EQUAL(task_run(t, place, &p), 0);
	CU_ASSERT_EQUAL(p.got[0], 0x40000000UL);
	CU_ASSERT_EQUAL(p.got[1], 0x40003000UL);
	CU_ASSERT_EQUAL(p.got[2], 0x20000000UL);
	CU_ASSERT_EQUAL(p.got[3], 0x40005000UL);      /* hint refused */
	CU_ASSERT_EQUAL(p.got[4], (unsigned long)-EINVAL);
	CU_ASSERT_EQUAL(p.got[5], (unsigned long)-ENOMEM);
	CU_ASSERT_EQUAL(p.got[6], (unsigned long)-ENOMEM);
	CU_ASSERT_EQUAL(task_run(t, reuse_hole, &p), 0);
	CU_ASSERT_EQUAL(p.got[0], 0x40006000UL);
	CU_ASSERT_EQUAL(p.got[1], 0x40003000UL);
	CU_ASSERT_EQUAL(p.got[2], 0x40006000UL);
	CU_ASSERT(mm_consistent(t->mm));
	task_destroy(t);
	mm_shutdown();
}

static void place_down(void *arg)
{
	struct placement *p = arg;
	struct mm_struct *mm = current->mm;

	p->got[0] = get_unmapped_area(NULL, 0, 3 * P, 0, 0);
	install_vma(mm, p->got[0], p->got[0] + 3 * P, RW);
	p->got[1] = get_unmapped_area(NULL, 0, 2 * P, 0, 0);
	install_vma(mm, p->got[1], p->got[1] + 2 * P, RW);
	CU_ASSERT_EQUAL(do_munmap(mm, p->got[0], 3 * P), 0);
	p->got[2] = get_unmapped_area(NULL, 0, P, 0, 0);   /* top of hole */
	p->got[3] = get_unmapped_area(NULL, 0x20000000, P, 0, 0);
	p->got[4] = mm->mmap_base;
}

static void test_get_unmapped_area_top_down(void)
{
	BOOT("mem=64M legacy_va_layout=0 quiet");
	struct task *t = task_create("down");
	struct placement p;
	CU_ASSERT_EQUAL(task_run(t, place_down, &p), 0);
	CU_ASSERT_EQUAL(p.got[4], 0xB8000000UL);   /* 128 MiB below the top */
	CU_ASSERT_EQUAL(p.got[0], 0xB7FFD000UL);
	CU_ASSERT_EQUAL(p.got[1], 0xB7FFB000UL);
	CU_ASSERT_EQUAL(p.got[2], 0xB7FFF000UL);
	CU_ASSERT_EQUAL(p.got[3], 0x20000000UL);
	CU_ASSERT(mm_consistent(t->mm));
	task_destroy(t);
	mm_shutdown();
}

/* ------------------------------------------------------------ tasks */

static void write_bss(void *arg)
{
	volatile char *p = vaddr_to_ptr(0x0804D000);

	p[0] = (char)(long)arg;
	p[4095] = (char)(long)arg;
}

static void read_bss(void *arg)
{
	*(char *)arg = *(volatile char *)vaddr_to_ptr(0x0804D000);
}

static void test_run_fault_and_status(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("status");
	unsigned long free0 = nr_free_pages();
	CU_ASSERT_PTR_NULL(current);
	CU_ASSERT_EQUAL(task_run(t, write_bss, (void *)7), 0);
	CU_ASSERT_PTR_NULL(current);
	CU_ASSERT_EQUAL(t->min_flt, 1);
	CU_ASSERT_EQUAL(t->maj_flt, 0);
	CU_ASSERT_EQUAL(get_mm_counter(t->mm, anon_rss), 1);
	CU_ASSERT_EQUAL(t->mm->nr_ptes, 1);
	/* page + pte table + a slab of anon_vmas (chapter 12) */
	CU_ASSERT_EQUAL(nr_free_pages(), free0 - 3);
	CU_ASSERT_STRING_EQUAL(proc("/proc/1/status"),
		"Name:\tstatus\nState:\tR (running)\nTgid:\t1\nPid:\t1\n"
		"PPid:\t0\n"
		"VmPeak:\t      28 kB\nVmSize:\t      28 kB\nVmLck:\t       0 kB\n"
		"VmHWM:\t       4 kB\nVmRSS:\t       4 kB\nVmData:\t       4 kB\n"
		"VmStk:\t       4 kB\nVmExe:\t      16 kB\nVmLib:\t       0 kB\n"
		"VmPTE:\t       4 kB\n");
	CU_ASSERT_STRING_EQUAL(proc("/proc/1/statm"), "7 1 0 4 0 2 0\n");
	char c = 0;
	CU_ASSERT_EQUAL(task_run(t, read_bss, &c), 0);
	CU_ASSERT_EQUAL(c, 7);
	CU_ASSERT_EQUAL(t->min_flt, 1);            /* a refill, not a fault */
	task_destroy(t);
	mm_shutdown();
}

static void getpid_of(void *arg)
{
	*(long *)arg = sys_getpid();
	CU_ASSERT_PTR_NOT_NULL(current);
}

static void test_pids_and_getpid(void)
{
	BOOT("mem=64M quiet");
	struct task *a = task_create("a"), *b = task_create("a-very-long-name");
	long pid = 0;
	CU_ASSERT_EQUAL(a->pid, 1);
	CU_ASSERT_EQUAL(b->pid, 2);
	CU_ASSERT_STRING_EQUAL(b->comm, "a-very-long-nam");
	CU_ASSERT_EQUAL(task_run(b, getpid_of, &pid), 0);
	CU_ASSERT_EQUAL(pid, 2);
	task_destroy(a);
	struct task *c = task_create("c");
	CU_ASSERT_EQUAL(c->pid, 3);                /* not reused at once */
	CU_ASSERT_PTR_EQUAL(find_task_by_pid(3), c);
	CU_ASSERT_PTR_NULL(find_task_by_pid(1));
	CU_ASSERT(oopses(sys_getpid()));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "sys_getpid: no current"));
	task_destroy(b);
	task_destroy(c);
	mm_shutdown();
}

static void read_null(void *arg)   { (void)arg; (void)*(volatile char *)vaddr_to_ptr(0); }
static void write_text(void *arg)  { (void)arg; *(volatile char *)vaddr_to_ptr(0x08048010) = 1; }
static void read_none(void *arg)   { (void)arg; (void)*(volatile char *)vaddr_to_ptr(BASE + 8); }
static void read_then_write_text(void *arg)
{
	(void)arg;
	(void)*(volatile char *)vaddr_to_ptr(0x08048000);
	*(volatile char *)vaddr_to_ptr(0x08048000) = 1;
}

static void test_sigsegv_cases(void)
{
	BOOT("mem=64M quiet");
	struct task *other = task_create("other");
	CU_ASSERT_EQUAL(task_run(other, write_bss, (void *)42), 0);
	struct task *t = task_create("victim");
	dmesg_clear();
	CU_ASSERT_EQUAL(task_run(t, read_null, NULL), SIGSEGV);
	CU_ASSERT_STRING_EQUAL(dmesg(), "victim[2]: segfault at 00000000 error 4\n");
	CU_ASSERT_EQUAL(t->state, EXIT_ZOMBIE);
	CU_ASSERT_EQUAL(t->exit_code, SIGSEGV);
	CU_ASSERT_PTR_NULL(t->mm);
	CU_ASSERT_STRING_EQUAL(proc("/proc/2/maps"), "");
	CU_ASSERT_PTR_NOT_NULL(strstr(proc("/proc/2/status"), "Z (zombie)"));
	CU_ASSERT(oopses(task_run(t, read_null, NULL)));     /* dead */
	task_destroy(t);
	CU_ASSERT_PTR_NULL(proc("/proc/2/maps"));

	t = task_create("text");
	dmesg_clear();
	CU_ASSERT_EQUAL(task_run(t, write_text, NULL), SIGSEGV);
	CU_ASSERT_STRING_EQUAL(dmesg(), "text[3]: segfault at 08048010 error 6\n");
	task_destroy(t);
	t = task_create("text2");
	dmesg_clear();
	CU_ASSERT_EQUAL(task_run(t, read_then_write_text, NULL), SIGSEGV);
	CU_ASSERT_STRING_EQUAL(dmesg(), "text2[4]: segfault at 08048000 error 7\n");
	task_destroy(t);

	t = task_create("none");
	CU_ASSERT_EQUAL(install_vma(t->mm, BASE, BASE + P, NONE), 0);
	dmesg_clear();
	CU_ASSERT_EQUAL(task_run(t, read_none, NULL), SIGSEGV);
	CU_ASSERT_STRING_EQUAL(dmesg(), "none[5]: segfault at 10000008 error 4\n");
	task_destroy(t);

	char c = 0;                                 /* the other is intact */
	CU_ASSERT_EQUAL(task_run(other, read_bss, &c), 0);
	CU_ASSERT_EQUAL(c, 42);
	CU_ASSERT_EQUAL(other->state, TASK_RUNNING);
	task_destroy(other);
	mm_shutdown();
}

static void push(void *arg)
{
	*(volatile char *)vaddr_to_ptr((unsigned long)arg) = 1;
}

static void test_stack_growth_and_limit(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("stack");
	struct vm_area_struct *stack = find_vma(t->mm, TASK_SIZE - 1);
	CU_ASSERT_EQUAL(task_run(t, push, (void *)(TASK_SIZE - 3 * P + 5)), 0);
	CU_ASSERT_EQUAL(stack->vm_start, TASK_SIZE - 3 * P);
	CU_ASSERT_EQUAL(stack->vm_pgoff, (TASK_SIZE - 3 * P) >> PAGE_SHIFT);
	CU_ASSERT_EQUAL(t->mm->stack_vm, 3);
	CU_ASSERT_EQUAL(t->mm->total_vm, 9);
	CU_ASSERT_PTR_NOT_NULL(strstr(proc("/proc/1/maps"),
		"bfffd000-c0000000 rw-p bfffd000 00:00 0          [stack]\n"));
	/* 8 MiB is the limit: the last page inside it works, one more not */
	CU_ASSERT_EQUAL(task_run(t, push, (void *)(TASK_SIZE - _STK_LIM)), 0);
	CU_ASSERT_EQUAL(stack->vm_start, TASK_SIZE - _STK_LIM);
	CU_ASSERT_EQUAL(task_run(t, push, (void *)(TASK_SIZE - _STK_LIM - 1)),
			SIGSEGV);
	task_destroy(t);

	/* a smaller limit, and a mapping below the stack */
	t = task_create("stack2");
	t->rlim[RLIMIT_STACK].rlim_cur = 4 * P;
	install_vma(t->mm, TASK_SIZE - 4 * P, TASK_SIZE - 3 * P, NONE);
	stack = find_vma(t->mm, TASK_SIZE - 1);
	CU_ASSERT_EQUAL(task_run(t, push, (void *)(TASK_SIZE - 3 * P)), 0);
	CU_ASSERT_EQUAL(stack->vm_start, TASK_SIZE - 3 * P);   /* touches */
	CU_ASSERT_EQUAL(task_run(t, push, (void *)(TASK_SIZE - 3 * P - 1)),
			SIGSEGV);     /* in the mapping below, not the stack */
	task_destroy(t);
	t = task_create("stack3");
	t->rlim[RLIMIT_STACK].rlim_cur = 4 * P;
	CU_ASSERT_EQUAL(task_run(t, push, (void *)(TASK_SIZE - 5 * P)),
			SIGSEGV);
	task_destroy(t);
	mm_shutdown();
}

struct copies { long r[12]; char buf[16]; };

static void user_copies(void *arg)
{
	struct copies *c = arg;
	char *bss = vaddr_to_ptr(0x0804D000), *data = vaddr_to_ptr(0x0804DFFC);
	uint32_t v = 0xDEADBEEF;
	char s[8];

	strcpy(bss, "hello");
	memset(c->buf, 'x', sizeof c->buf);
	c->r[0] = (long)copy_from_user(c->buf, vaddr_to_ptr(0), 4);
	c->r[1] = (long)copy_to_user(vaddr_to_ptr(0x08048000), "abc", 3);
	c->r[2] = get_user(v, (uint32_t *)vaddr_to_ptr(0x20000000));
	c->r[3] = (long)v;
	c->r[4] = put_user(5, (int *)vaddr_to_ptr(0x08048000));
	c->r[5] = strncpy_from_user(s, vaddr_to_ptr(0x30000000), 8);
	c->r[6] = (long)copy_from_user(c->buf, vaddr_to_ptr(TASK_SIZE), 4);
	memcpy(data, "WXYZ", 4);              /* the last 4 bytes of the bss */
	c->r[7] = (long)copy_from_user(c->buf, data, 10);   /* 6 not copied */
	c->r[8] = strncpy_from_user(s, bss, 8);
	c->r[9] = get_user(v, (uint32_t *)vaddr_to_ptr(0x0804D000));
	c->r[10] = (long)v;
	c->r[11] = put_user(0x41, (char *)vaddr_to_ptr(0x0804D001));
}

static void test_user_copies_efault(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("copies");
	struct copies c;
	CU_ASSERT_EQUAL(task_run(t, user_copies, &c), 0);
	CU_ASSERT_EQUAL(t->state, TASK_RUNNING);
	CU_ASSERT_EQUAL(c.r[0], 4);
	CU_ASSERT_EQUAL(c.r[1], 3);
	CU_ASSERT_EQUAL(c.r[2], -EFAULT);
	CU_ASSERT_EQUAL(c.r[3], 0);                   /* zeroed on a fault */
	CU_ASSERT_EQUAL(c.r[4], -EFAULT);
	CU_ASSERT_EQUAL(c.r[5], -EFAULT);
	CU_ASSERT_EQUAL(c.r[6], 4);                   /* kernel address */
	CU_ASSERT_EQUAL(c.r[7], 6);
	CU_ASSERT_EQUAL(memcmp(c.buf, "WXYZ\0\0\0\0\0\0xxxxxx", 16), 0);
	CU_ASSERT_EQUAL(c.r[8], 5);
	CU_ASSERT_EQUAL(c.r[9], 0);
	CU_ASSERT_EQUAL(c.r[10], 0x6c6c6568);         /* "hell" */
	CU_ASSERT_EQUAL(c.r[11], 0);
	char first[2] = { 0 };
	CU_ASSERT_EQUAL(task_run(t, read_bss, first), 0);
	CU_ASSERT_EQUAL(first[0], 'h');
	/* outside any task, a user copy is refused the same way */
	char buf[4];
	CU_ASSERT_EQUAL(copy_from_user(buf, vaddr_to_ptr(0x0804D000), 4), 4);
	task_destroy(t);
	mm_shutdown();
}

static void test_isolation_same_address(void)
{
	BOOT("mem=64M quiet");
	struct task *a = task_create("a"), *b = task_create("b");
	char ca = 0, cb = 0;
	CU_ASSERT_EQUAL(task_run(a, write_bss, (void *)0x11), 0);
	CU_ASSERT_EQUAL(task_run(b, read_bss, &cb), 0);
	CU_ASSERT_EQUAL(cb, 0);                        /* zero, not a's */
	CU_ASSERT_EQUAL(task_run(b, write_bss, (void *)0x22), 0);
	CU_ASSERT_EQUAL(task_run(a, read_bss, &ca), 0);
	CU_ASSERT_EQUAL(task_run(b, read_bss, &cb), 0);
	CU_ASSERT_EQUAL(ca, 0x11);
	CU_ASSERT_EQUAL(cb, 0x22);
	pte_t *pa = lookup_pte(a->mm->pgd, 0x0804D000);
	pte_t *pb = lookup_pte(b->mm->pgd, 0x0804D000);
	CU_ASSERT_NOT_EQUAL(pte_pfn(*pa), pte_pfn(*pb));
	task_destroy(a);
	task_destroy(b);
	mm_shutdown();
}

static void touch_some(void *arg)
{
	(void)arg;
	for (unsigned long a = 0x0804D000; a < 0x0804E000; a += 64)
		*(volatile char *)vaddr_to_ptr(a) = 1;
	*(volatile char *)vaddr_to_ptr(TASK_SIZE - 2 * P) = 1;    /* grows */
	*(volatile char *)vaddr_to_ptr(0x0804C000) = 1;
}

static void test_thousand_cycles_free_everything(void)
{
	BOOT("mem=64M quiet");
	unsigned long free0 = nr_free_pages();
	for (int i = 0; i < 1000; i++) {
		struct task *t = task_create("cycle");
		CU_ASSERT_EQUAL_FATAL(task_run(t, touch_some, NULL), 0);
		if (i % 2)
			CU_ASSERT_EQUAL(task_run(t, read_null, NULL), SIGSEGV);
		task_destroy(t);
	}
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT(buddy_check());
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated,
			pgtable_stats.tables_freed);
	mm_shutdown();
}

static void proc_self(void *arg)
{
	*(char **)arg = strdup(proc("/proc/self/maps"));
}

static void test_proc_paths(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("proc");
	char *self = NULL;
	CU_ASSERT_EQUAL(task_run(t, proc_self, &self), 0);
	CU_ASSERT_STRING_EQUAL(self, fresh_maps);
	free(self);
	CU_ASSERT_PTR_NULL(proc("/proc/self/maps"));          /* no current */
	CU_ASSERT_PTR_NULL(proc("/proc/2/maps"));
	CU_ASSERT_PTR_NULL(proc("/proc/1/smaps"));
	CU_ASSERT_PTR_NULL(proc("/proc/1x/maps"));
	CU_ASSERT_PTR_NULL(proc("/proc/zoneinfo"));   /* no such file */
	CU_ASSERT_PTR_NULL(proc("/sys/1/maps"));
	char *buddy = proc("/proc/buddyinfo");
	CU_ASSERT_PTR_NOT_NULL(buddy);
	CU_ASSERT_PTR_NOT_NULL(strstr(buddy, "Node 0, zone"));
	CU_ASSERT_PTR_NOT_NULL(strstr(proc("/proc/slabinfo"), "vm_area_struct"));
	CU_ASSERT_PTR_NOT_NULL(proc("/proc/vmallocinfo"));
	task_destroy(t);
	mm_shutdown();
}

static void oops_inside(void *arg)
{
	(void)arg;
	kfree((void *)1);
}

static void test_oops_kills_the_task(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("oopser");
	CU_ASSERT(oopses(task_run(t, oops_inside, NULL)));
	CU_ASSERT_PTR_NULL(current);
	CU_ASSERT_EQUAL(t->state, EXIT_ZOMBIE);
	CU_ASSERT_EQUAL(t->exit_code, SIGSEGV);
	CU_ASSERT(oopses(task_destroy((struct task *)&t)));
	task_destroy(t);
	mm_shutdown();
}

static void hog(void *arg)
{
	unsigned long b = (unsigned long)sys_brk(0);

	(void)arg;
	sys_brk(b + (64UL << 20));
	for (unsigned long a = b; a < b + (64UL << 20); a += P)
		*(volatile char *)vaddr_to_ptr(a) = 1;
}

static void test_out_of_memory_sigkill(void)
{
	BOOT("mem=16M quiet");
	unsigned long free0 = nr_free_pages();
	struct task *other = task_create("other");
	CU_ASSERT_EQUAL(task_run(other, write_bss, (void *)5), 0);
	struct task *t = task_create("hog");
	dmesg_clear();
	CU_ASSERT_EQUAL(task_run(t, hog, NULL), SIGKILL);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "VM: killing process hog\n"));
	CU_ASSERT_EQUAL(t->state, EXIT_ZOMBIE);
	char c = 0;
	CU_ASSERT_EQUAL(task_run(other, read_bss, &c), 0);
	CU_ASSERT_EQUAL(c, 5);
	task_destroy(t);
	task_destroy(other);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	mm_shutdown();
}

static void nested(void *arg)
{
	CU_ASSERT(oopses(task_run((struct task *)arg, write_bss, NULL)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "is already running"));
	CU_ASSERT(oopses(task_destroy(current)));
}

static void test_misuse(void)
{
	int x = 0;

	CU_ASSERT(oopses(task_create("nomachine")));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "machine is not running"));
	BOOT("mem=64M quiet");
	struct task *a = task_create("a"), *b = task_create("b");
	CU_ASSERT(oopses(task_run((struct task *)&x, write_bss, NULL)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "is not a task"));
	CU_ASSERT_EQUAL(task_run(a, nested, b), 0);
	CU_ASSERT_EQUAL(a->state, TASK_RUNNING);
	CU_ASSERT_EQUAL(b->state, TASK_RUNNING);
	CU_ASSERT_PTR_NULL(current);
	CU_ASSERT(oopses(force_sig(SIGSEGV, a)));      /* a is not running */
	char c = 1;
	CU_ASSERT_EQUAL(task_run(b, read_bss, &c), 0);
	CU_ASSERT_EQUAL(c, 0);
	task_destroy(a);
	task_destroy(b);
	mm_shutdown();
	CU_ASSERT(oopses(proc_show("/proc/1/maps", stdout)));
}

/* find_vma's counters start from zero at every boot, as the other
 * chapters' counters do (the explorer reboots in one process). */
static void test_mmap_stats_reset_at_boot(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("t");
	CU_ASSERT_PTR_NOT_NULL(find_vma(t->mm, 0x08048000UL));
	CU_ASSERT(mmap_stats.lookups > 0);
	task_destroy(t);
	mm_shutdown();
	BOOT("mem=16M quiet");
	CU_ASSERT_EQUAL(mmap_stats.lookups, 0);
	CU_ASSERT_EQUAL(mmap_stats.cache_hits, 0);
	mm_shutdown();
}

TEST_SUITE(vma, "ch07 VMAs", NULL, NULL,
	   { "find_vma's counters start at zero at each boot",
	     test_mmap_stats_reset_at_boot },
	   { "a fresh task's layout", test_fresh_task_layout },
	   { "find_vma at every boundary", test_find_vma_at_every_boundary },
	   { "vma_merge: prev, next, both", test_vma_merge_cases },
	   { "vma_merge: mprotect's cases", test_vma_merge_mprotect_cases },
	   { "split_vma", test_split_vma },
	   { "max_map_count", test_max_map_count },
	   { "get_unmapped_area", test_get_unmapped_area },
	   { "get_unmapped_area, top down",
	     test_get_unmapped_area_top_down })

TEST_SUITE(tasks, "ch07 tasks and faults", NULL, NULL,
	   { "run, fault, status", test_run_fault_and_status },
	   { "pids and getpid", test_pids_and_getpid },
	   { "SIGSEGV cases", test_sigsegv_cases },
	   { "stack growth and its limit", test_stack_growth_and_limit },
	   { "user copies give -EFAULT", test_user_copies_efault },
	   { "two tasks, one address", test_isolation_same_address },
	   { "1000 cycles free everything",
	     test_thousand_cycles_free_everything },
	   { "/proc paths", test_proc_paths },
	   { "an oops kills the task", test_oops_kills_the_task },
	   { "misuse", test_misuse },
	   { "out of memory: SIGKILL", test_out_of_memory_sigkill })
