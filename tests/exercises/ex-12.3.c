/* ex-12.3.c -- the check of exercise 12.3 (book/12-pressure.nw): swapoff.
 * A parent and its child share 1200 written pages; a third task's writes
 * send many of them to swap, and the parent reads a few back; the third
 * task exits.  int sys_swapoff(void) must then return 0 with every slot
 * back in memory: no slot in use, no page in the swap cache, no area in
 * /proc/swaps, swap_check content, and both tasks reading every page as
 * written without a single major fault. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "12.3"

#include "ex-verdict.h"

int sys_swapoff(void) __attribute__((weak));

/* Whether a weak symbol is defined (through a volatile, so that the
 * compiler does not call the test always true). */
static bool exists(const void *p)
{
	const void *volatile q = p;

	return q != NULL;
}

#define AREA  0x40000000UL
#define RW    (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define PAGES 1200UL

struct span { unsigned long n; bool write; unsigned long bad; };

/* Word 0 of page i holds i * 3 + 1. */
static void span_body(void *arg)
{
	struct span *s = arg;

	for (unsigned long i = 0; i < s->n; i++) {
		volatile unsigned long *w = vaddr_to_ptr(AREA + i * PAGE_SIZE);

		if (s->write)
			*w = i * 3 + 1;
		else if (*w != i * 3 + 1)
			s->bad++;
	}
}

static struct task *task_with_area(const char *name, unsigned long pages)
{
	struct task *t = task_create(name);

	if (t)
		install_vma(t->mm, AREA, AREA + pages * PAGE_SIZE, RW);
	return t;
}

/* The parent and the child read everything: intact, and no major fault. */
static int read_back(struct task *a, struct task *b)
{
	unsigned long maj_a = a->maj_flt, maj_b = b->maj_flt;
	struct span ra = { PAGES, false, 0 }, rb = { PAGES, false, 0 };

	if (task_run(a, span_body, &ra) || task_run(b, span_body, &rb)
	    || ra.bad || rb.bad)
		return verdict(0, "after sys_swapoff, %lu of the parent's and %lu "
			   "of the child's pages read back wrong: every pte "
			   "that held a slot must map that slot's page",
			   ra.bad, rb.bad);
	if (a->maj_flt != maj_a || b->maj_flt != maj_b)
		return verdict(0, "after sys_swapoff, reading took %lu major "
			   "faults: every page must be in memory already",
			   a->maj_flt - maj_a + b->maj_flt - maj_b);
	return 0;
}

int main(void)
{
	struct task *a, *b, *c;
	char text[512];

	atexit(no_verdict);
	if (!exists((const void *)sys_swapoff))
		return verdict(0, "sys_swapoff does not exist yet: declare "
			   "int sys_swapoff(void) in swap.h");
	if (mm_boot("mem=16M swap=16M quiet") < 0)
		return verdict(0, "the model does not boot");
	a = task_with_area("parent", PAGES);
	if (!a || task_run(a, span_body, &(struct span){ PAGES, true, 0 })
	    || !(b = task_fork(a)))
		return verdict(0, "the parent could not write its pages, or fork");
	c = task_with_area("presser", 3000);
	if (!c || task_run(c, span_body, &(struct span){ 3000, true, 0 }))
		return verdict(0, "the third task could not write its pages");
	if (swap_info[0].inuse_pages < 200)
		return verdict(0, "only %lu slots in use before swapoff: the "
			   "model's reclaim must send pages to swap",
			   swap_info[0].inuse_pages);
	task_run(a, span_body, &(struct span){ 50, false, 0 });
	task_destroy(c);
	unsigned long slots = swap_info[0].inuse_pages;
	int r = sys_swapoff();

	if (r)
		return verdict(0, "sys_swapoff returned %d with memory enough for "
			   "all %lu slots: it must return 0", r, slots);
	if (swap_info[0].inuse_pages || total_swapcache_pages
	    || total_swap_pages || nr_swap_pages
	    || (swap_info[0].flags & SWP_USED))
		return verdict(0, "after sys_swapoff: inuse_pages %lu, "
			   "total_swapcache_pages %lu, total_swap_pages %lu, "
			   "nr_swap_pages %lu, flags %u: want all 0",
			   swap_info[0].inuse_pages, total_swapcache_pages,
			   total_swap_pages, nr_swap_pages,
			   swap_info[0].flags);
	FILE *f = fmemopen(text, sizeof text, "w");
	proc_show("/proc/swaps", f);
	fputc('\0', f);
	fclose(f);
	if (strchr(text, '\n') != text + strlen(text) - 1)
		return verdict(0, "/proc/swaps still shows an area after "
			   "sys_swapoff:\n%s", text);
	if (swap_check())
		return verdict(0, "swap_check found the violations above after "
			   "sys_swapoff");
	if (read_back(a, b))
		return 1;
	task_destroy(b);
	task_destroy(a);
	mm_shutdown();
	return verdict(1, "sys_swapoff brought %lu slots back into memory: the "
		   "area is off, nothing is cached, and parent and child "
		   "read all %lu pages intact without a major fault",
		   slots, PAGES);
}
