/* ex-8.1.c -- the check of exercise 8.1 (book/08-brk.nw): a fresh task
 * moves its break 10 bytes up, five times, then writes every byte
 * between its first break and its last.  The answer is the task's
 * map_count, min_flt and resident pages after the calls and after the
 * writes, as the model computes them. */
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "8.1"

#include "ex-verdict.h"

#define FORMAT "two lines, \"VMAs faults resident\" after the five brk " \
	       "calls and after the writes"

struct run { unsigned long first, last; long v[2][3]; };

/* Read through volatile: the faults change them behind the compiler's
 * back. */
static void snapshot(long *v)
{
	volatile struct task *t = current;
	volatile struct mm_struct *mm = t->mm;

	v[0] = mm->map_count;
	v[1] = (long)t->min_flt;
	v[2] = (long)(mm->_file_rss + mm->_anon_rss);
}

static void five_brks(void *arg)
{
	struct run *r = arg;

	r->first = (unsigned long)sys_brk(0);
	for (int i = 0; i < 5; i++)
		sys_brk((unsigned long)sys_brk(0) + 10);
	r->last = (unsigned long)sys_brk(0);
	snapshot(r->v[0]);
	for (unsigned long a = r->first; a < r->last; a++)
		*(volatile char *)vaddr_to_ptr(a) = 1;
	snapshot(r->v[1]);
}

/* Up to n decimal numbers from path, or -1 if there is no such file. */
static int read_numbers(const char *path, long *v, int n)
{
	FILE *f = fopen(path, "r");
	int k = 0;

	if (!f)
		return -1;
	while (k < n && fscanf(f, "%ld", &v[k]) == 1)
		k++;
	fclose(f);
	return k;
}

int main(void)
{
	static const char *const what[] = { "VMAs", "faults",
					    "resident pages" };
	struct run r = { 0 };
	long got[6];
	struct task *t;
	int n = read_numbers("answers/8.1.txt", got, 6);

	atexit(no_verdict);
	if (n < 0) {
		say("FAIL 8.1: write your answer in answers/8.1.txt: "
		       FORMAT "\n");
		return 1;
	}
	if (n < 6) {
		say("FAIL 8.1: answers/8.1.txt holds %d numbers, not six: "
		       FORMAT "\n", n);
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex81"))
	    || task_run(t, five_brks, &r)) {
		say("FAIL 8.1: the model's task does not run\n");
		return 1;
	}
	task_destroy(t);
	mm_shutdown();
	for (int i = 0; i < 6; i++)
		if (got[i] != r.v[i / 3][i % 3]) {
			say("FAIL 8.1: the %s %s are not %ld: count again\n",
			       what[i % 3], i < 3 ? "after the calls"
			       : "after the writes", got[i]);
			return 1;
		}
	say("PASS 8.1: VMAs, faults and resident pages after the calls "
	       "and after the writes\n");
	return 0;
}
