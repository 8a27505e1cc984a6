/* ex-10.1.c -- the check of exercise 10.1 (book/10-faults.nw): a task
 * reads every page of a 4 MiB anonymous area, then writes every other
 * page.  The answer is its min_flt, file_rss and anon_rss and the
 * zero page's map count after that, as the model computes them. */
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "10.1"

#include "ex-verdict.h"

#define FORMAT "four numbers: min_flt file_rss anon_rss and the zero " \
	       "page's map count"
#define AREA   0x40000000UL
#define PAGES  1024UL

static void read_then_write(void *arg)
{
	volatile struct task *t = current;
	volatile struct mm_struct *mm = t->mm;
	long *v = arg;

	for (unsigned long i = 0; i < PAGES; i++)
		(void)*(volatile char *)vaddr_to_ptr(AREA + i * PAGE_SIZE);
	for (unsigned long i = 0; i < PAGES; i += 2)
		*(volatile char *)vaddr_to_ptr(AREA + i * PAGE_SIZE) = 1;
	v[0] = (long)t->min_flt;
	v[1] = (long)mm->_file_rss;
	v[2] = (long)mm->_anon_rss;
	v[3] = page_mapcount(ZERO_PAGE(0));
}

int main(void)
{
	static const char *const what[] = {
		"min_flt", "file_rss", "anon_rss", "zero page's map count" };
	long want[4], got[4];
	int n = 0;
	struct task *t;
	FILE *f = fopen("answers/10.1.txt", "r");

	atexit(no_verdict);
	if (!f) {
		say("FAIL 10.1: write your answer in answers/10.1.txt: "
		       FORMAT "\n");
		return 1;
	}
	while (n < 4 && fscanf(f, "%ld", &got[n]) == 1)
		n++;
	fclose(f);
	if (n < 4) {
		say("FAIL 10.1: answers/10.1.txt holds %d numbers: "
		       FORMAT "\n", n);
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex101"))
	    || install_vma(t->mm, AREA, AREA + PAGES * PAGE_SIZE,
			   VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
	    || task_run(t, read_then_write, want)) {
		say("FAIL 10.1: the model's task does not run\n");
		return 1;
	}
	task_destroy(t);
	mm_shutdown();
	for (int i = 0; i < 4; i++)
		if (got[i] != want[i]) {
			say("FAIL 10.1: the %s is not %ld: which faults map "
			       "the zero page, and which replace it?\n",
			       what[i], got[i]);
			return 1;
		}
	say("PASS 10.1: min_flt, file_rss, anon_rss and the zero page's "
	       "map count\n");
	return 0;
}
