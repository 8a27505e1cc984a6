/* ex-12.4.c -- the check of exercise 12.4 (book/12-pressure.nw): the
 * order in which the OOM killer would choose among five tasks, each
 * chosen after the one before has been killed.  The model's
 * oom_select_bad_process computes the true answer; answers/12.4.txt
 * holds the student's pids. */
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "12.4"

#include "ex-verdict.h"

#define FORMAT "three pids, one a line, in the order they are chosen"
#define AREA   0x40000000UL
#define RW     (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

struct plan { const char *comm; unsigned long mapped, touched, heap; };

static const struct plan plans[] = {
	{ "init", 4000, 0, 0 },        /* pid 1: mapped, never touched */
	{ "editor", 300, 300, 0 },     /* every page written */
	{ "cache", 2000, 0, 0 },       /* mapped, never touched */
	{ "db", 1900, 1900, 100 },     /* written, and a 100-page heap */
	{ "shell", 1000, 0, 1000 },    /* a 1000-page heap, untouched */
};
#define NTASKS (int)(sizeof plans / sizeof plans[0])

static void build(void *arg)
{
	const struct plan *p = arg;

	for (unsigned long i = 0; i < p->touched; i++)
		*(volatile char *)vaddr_to_ptr(AREA + i * PAGE_SIZE) = 1;
	if (p->heap)
		sys_brk((unsigned long)sys_brk(0) + p->heap * PAGE_SIZE);
}

int main(void)
{
	long got[3], want[3];
	int n = 0;
	struct task *t[NTASKS];
	FILE *f = fopen("answers/12.4.txt", "r");

	atexit(no_verdict);
	if (!f) {
		say("FAIL 12.4: write your answer in answers/12.4.txt: "
		       FORMAT "\n");
		return 1;
	}
	while (n < 3 && fscanf(f, "%ld", &got[n]) == 1)
		n++;
	fclose(f);
	if (n < 3) {
		say("FAIL 12.4: answers/12.4.txt holds %d pids: " FORMAT
		       "\n", n);
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0) {
		say("FAIL 12.4: the model does not boot\n");
		return 1;
	}
	for (int i = 0; i < NTASKS; i++) {
		t[i] = task_create(plans[i].comm);
		install_vma(t[i]->mm, AREA,
			    AREA + plans[i].mapped * PAGE_SIZE, RW);
		task_run(t[i], build, (void *)&plans[i]);
	}
	for (int k = 0; k < 3; k++) {
		struct task *p = oom_select_bad_process();

		want[k] = p ? p->pid : 0;
		if (p)
			oom_kill_task(p);
	}
	for (int i = 0; i < NTASKS; i++)
		task_destroy(t[i]);
	mm_shutdown();
	for (int k = 0; k < 3; k++)
		if (got[k] != want[k]) {
			say("FAIL 12.4: choice %d is not pid %ld: what does "
			       "the model's badness count, and whom does it "
			       "spare?\n", k + 1, got[k]);
			return 1;
		}
	say("PASS 12.4: the OOM killer's first three choices, in order\n");
	return 0;
}
