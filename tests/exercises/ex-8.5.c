/* ex-8.5.c -- the check of exercise 8.5 (book/08-brk.nw): sys_sbrk.
 * It returns the old break and moves the break by the increment, or
 * returns -ENOMEM and leaves the break where it was: below start_brk,
 * on an overflow either way, and wherever brk itself refuses. */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "8.5"

#include "ex-verdict.h"

long sys_sbrk(long increment) __attribute__((weak));

#define HEAP 0x0804E000UL       /* start_brk of a fresh task */
#define RW   (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

struct step { long inc, want; unsigned long brk; const char *what; };

/* What each call returns and where it leaves the break. */
static const struct step steps[] = {
	{ 0, HEAP, HEAP, "sbrk(0) returns the break" },
	{ 100, HEAP, HEAP + 100, "sbrk(100) returns the old break" },
	{ 5000, HEAP + 100, HEAP + 5100, "sbrk(5000) returns the old break" },
	{ -5050, HEAP + 5100, HEAP + 50, "a negative increment shrinks" },
	{ -51, -ENOMEM, HEAP + 50, "a break below start_brk is -ENOMEM" },
	{ LONG_MIN, -ENOMEM, HEAP + 50, "a huge negative increment" },
	{ LONG_MAX, -ENOMEM, HEAP + 50, "a huge increment" },
	{ 0x10000, -ENOMEM, HEAP + 50, "a break into a mapping" },
	{ 0, HEAP + 50, HEAP + 50, "sbrk(0) after the refusals" },
};
#define NSTEPS (int)(sizeof steps / sizeof steps[0])

struct run { long got[NSTEPS]; unsigned long brk[NSTEPS]; int used; };

static void run_steps(void *arg)
{
	struct run *r = arg;

	for (int i = 0; i < NSTEPS; i++) {
		r->got[i] = sys_sbrk(steps[i].inc);
		r->brk[i] = current->mm->brk;
	}
	for (unsigned long a = HEAP; a < HEAP + 50; a++)
		*(volatile char *)vaddr_to_ptr(a) = 1;
	r->used = 1;
}

/* Whether a weak symbol is defined (through a volatile, so that the
 * compiler does not call the test always true once a header declares
 * the symbol). */
static bool exists(const void *p)
{
	const void *volatile q = p;

	return q != NULL;
}

int main(void)
{
	struct run r = { 0 };
	struct task *t;

	atexit(no_verdict);
	if (!exists((const void *)sys_sbrk)) {
		say("FAIL 8.5: sys_sbrk does not exist yet: declare "
		       "long sys_sbrk(long increment) in mm.h\n");
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex85"))) {
		say("FAIL 8.5: the model does not boot\n");
		return 1;
	}
	install_vma(t->mm, HEAP + 0x8000, HEAP + 0x9000, RW);
	int sig = task_run(t, run_steps, &r);
	task_destroy(t);
	mm_shutdown();
	for (int i = 0; i < r.used * NSTEPS; i++)
		if (r.got[i] != steps[i].want || r.brk[i] != steps[i].brk) {
			say("FAIL 8.5: step %d (%s): sys_sbrk(%ld) returned "
			       "%#lx, break %#lx; expected %#lx, break %#lx\n",
			       i + 1, steps[i].what, steps[i].inc,
			       (unsigned long)r.got[i], r.brk[i],
			       (unsigned long)steps[i].want, steps[i].brk);
			return 1;
		}
	if (sig || !r.used) {
		say("FAIL 8.5: the task died of signal %d: the heap that "
		       "sys_sbrk gave must be usable\n", sig);
		return 1;
	}
	say("PASS 8.5: sys_sbrk returns the old break and moves it; "
	       "-ENOMEM below start_brk, for huge increments, into a "
	       "mapping\n");
	return 0;
}
