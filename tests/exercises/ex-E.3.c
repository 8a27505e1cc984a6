/* ex-E.3.c -- exercise E.3: the example process's resident pages, VMA
 * by VMA.  An answer check, on the appendix's own example machine (its
 * program is included, its main renamed): the present ptes of each VMA
 * are counted and compared with answers/E.3.txt, then their sum with
 * VmRSS. */
#define main proc_status_example
int proc_status_example(void);
#include "../../src/exp/proc-status.c"
#undef main
#include "ex-kernel.h"

#define EX "E.3"

int main(void)
{
	static const char *const what[] = { "the 1st VMA's pages",
		"the 2nd VMA's pages", "the 3rd VMA's pages",
		"the 4th VMA's pages", "the 5th VMA's pages",
		"the 6th VMA's pages", "the 7th VMA's pages",
		"the 8th VMA's pages", "the 9th VMA's pages",
		"the 10th VMA's pages", "the 11th VMA's pages",
		"the 12th VMA's pages" };
	long got[12], want[12], sum = 0, rss;
	struct mm_struct *mm;
	char format[160];
	int n = 0;

	if (set_up() < 0)
		ex_fail(EX, "the appendix's example machine does not set up; "
			"run make test");
	mm = demo->mm;
	for (struct vm_area_struct *v = mm->mmap; v && n < 12;
	     v = v->vm_next, n++) {
		want[n] = 0;
		for (unsigned long a = v->vm_start; a < v->vm_end;
		     a += PAGE_SIZE) {
			pte_t *pte = lookup_pte(mm->pgd, a);

			want[n] += pte && pte_present(*pte);
		}
		sum += want[n];
	}
	rss = (long)get_mm_rss(mm);
	mm_shutdown();
	if (sum != rss)
		ex_fail(EX, "the present ptes (%ld) are not VmRSS's %ld pages; "
			"run make test", sum, rss);
	snprintf(format, sizeof format, "%d numbers: the resident pages of "
		 "each VMA of the example's /proc/1/maps, in its order", n);
	ex_read_answer(EX, format, got, n);
	ex_compare(EX, what, got, want, n);
	ex_pass(EX, "the %d VMAs hold the %ld resident pages of VmRSS", n,
		rss);
}
