/* ex-12.9.c -- the check of exercise 12.9 (book/12-pressure.nw): an
 * anonymous VMA keeps its page offset when mremap moves it, as 2.6.17's
 * move_vma does, so that the reverse map still finds the moved pages and
 * reclaim can send them to swap.  A task writes 1000 anonymous pages and
 * moves them with mremap; a second task's writes press memory; then the
 * moved area must have pages in swap, read back intact, with swap_check
 * content. */
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "12.9"

#include "ex-verdict.h"

#define OLD   0x40000000UL
#define NEW   0x60000000UL
#define PAGES 1000UL
#define LEN   (PAGES * PAGE_SIZE)

static long moved;
static unsigned long bad;

/* Map, write word 0 of page i as i * 5 + 2, move the area to NEW. */
static void map_write_move(void *arg)
{
	(void)arg;
	if (sys_mmap(OLD, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE
		     | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0) != (long)OLD)
		return;
	for (unsigned long i = 0; i < PAGES; i++)
		*(volatile unsigned long *)vaddr_to_ptr(OLD + i * PAGE_SIZE)
			= i * 5 + 2;
	moved = sys_mremap(OLD, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED,
			   NEW);
}

static void read_moved(void *arg)
{
	(void)arg;
	for (unsigned long i = 0; i < PAGES; i++)
		bad += *(volatile unsigned long *)vaddr_to_ptr(NEW
					+ i * PAGE_SIZE) != i * 5 + 2;
}

static void press(void *arg)
{
	unsigned long n = (unsigned long)arg;

	for (unsigned long i = 0; i < n; i++)
		*(volatile char *)vaddr_to_ptr(OLD + i * PAGE_SIZE) = 1;
}

int main(void)
{
	struct task *t, *p;
	unsigned long in_swap = 0;

	atexit(no_verdict);
	if (mm_boot("mem=16M swap=64M quiet") < 0)
		return verdict(0, "the model does not boot");
	t = task_create("mover");
	if (!t || task_run(t, map_write_move, NULL) || moved != (long)NEW)
		return verdict(0, "mremap did not move the area to %08lx (it "
			   "returned %ld)", NEW, moved);
	p = task_create("presser");
	install_vma(p->mm, OLD, OLD + 6000 * PAGE_SIZE, VM_READ | VM_WRITE
		    | VM_MAYREAD | VM_MAYWRITE);
	if (task_run(p, press, (void *)6000UL))
		return verdict(0, "the pressing task could not write its pages");
	for (unsigned long i = 0; i < PAGES; i++) {
		pte_t *pte = lookup_pte(t->mm->pgd, NEW + i * PAGE_SIZE);

		in_swap += pte && !pte_none(*pte) && !pte_present(*pte);
	}
	if (!in_swap)
		return verdict(0, "none of the moved area's %lu pages went to "
			   "swap under pressure: the reverse map cannot find "
			   "them; keep vm_pgoff when mremap moves an "
			   "anonymous VMA, as 2.6.17's move_vma does", PAGES);
	if (task_run(t, read_moved, NULL) || bad)
		return verdict(0, "%lu of the moved pages read back wrong", bad);
	if (swap_check())
		return verdict(0, "swap_check found the violations above");
	task_destroy(p);
	task_destroy(t);
	if (swap_info[0].inuse_pages)
		return verdict(0, "%lu slots still in use after both tasks "
			   "exited", swap_info[0].inuse_pages);
	mm_shutdown();
	return verdict(1, "%lu of the %lu moved pages went to swap and all read "
		   "back intact", in_swap, PAGES);
}
