/* ex-7.6.c -- the check of exercise 7.6 (book/07-address-space.nw): a
 * stack guard gap of stack_guard_gap pages.  expand_stack must refuse
 * to come within the gap of the VMA below the stack, and
 * get_unmapped_area must refuse a hint whose end falls within the gap
 * below a stack; a gap of 0 must change nothing. */
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "7.6"

#include "ex-verdict.h"

extern unsigned long stack_guard_gap __attribute__((weak));

#define RW     (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define BELOW  0xBFF00000UL          /* a VMA of 16 pages below the stack */

static void touch(void *arg)
{
	*(volatile char *)vaddr_to_ptr(*(unsigned long *)arg) = 1;
}

static void ask(void *arg)
{
	unsigned long *a = arg;

	a[1] = get_unmapped_area(NULL, a[0], PAGE_SIZE, 0, 0);
}

/* Whether a weak symbol is defined (through a volatile, so that the
 * compiler does not call the test always true once a header declares
 * the symbol). */
static bool exists(const void *p)
{
	const void *volatile q = p;

	return q != NULL;
}

static int fail(const char *why)
{
	say("FAIL 7.6: %s\n", why);
	mm_shutdown();
	return 1;
}

/* A task with the VMA below; its stack grown to reach down to top. */
static struct task *task_below(unsigned long top, int *sig)
{
	struct task *t = task_create("guard");

	install_vma(t->mm, BELOW, BELOW + 16 * PAGE_SIZE, RW);
	*sig = task_run(t, touch, &top);
	return t;
}

static unsigned long hint(struct task *t, unsigned long addr)
{
	unsigned long a[2] = { addr, 0 };

	task_run(t, ask, a);
	return a[1];
}

static int check_layout(const char *cmdline)
{
	unsigned long gap = 16 * PAGE_SIZE, edge = BELOW + 32 * PAGE_SIZE;
	int sig;

	if (mm_boot(cmdline) < 0)
		return fail("the model does not boot");
	stack_guard_gap = 16;
	struct task *t = task_below(edge, &sig);
	if (sig || find_vma(t->mm, edge)->vm_start != edge)
		return fail("with a gap of 16 pages, a stack that stops exactly"
			    " 16 pages above the VMA below must grow");
	task_destroy(t);
	t = task_below(edge - PAGE_SIZE, &sig);
	task_destroy(t);
	if (sig != SIGSEGV)
		return fail("a stack that would come within 15 pages of the VMA"
			    " below must not grow: the touch is a SIGSEGV");
	t = task_create("hint");
	if (hint(t, 0xBFFFF000UL - gap - PAGE_SIZE)
	    != 0xBFFFF000UL - gap - PAGE_SIZE)
		return fail("get_unmapped_area refused a hint that ends exactly"
			    " a gap below the stack");
	unsigned long got = hint(t, 0xBFFFF000UL - gap);
	if (got + PAGE_SIZE > 0xBFFFF000UL - gap && got < 0xBFFFF000UL)
		return fail("get_unmapped_area placed a mapping within the gap"
			    " below the stack");
	task_destroy(t);
	stack_guard_gap = 0;
	t = task_below(BELOW + 16 * PAGE_SIZE, &sig);
	if (sig)
		return fail("with stack_guard_gap 0 a stack must grow right "
			    "down to the VMA below, as before");
	task_destroy(t);
	mm_shutdown();
	return 0;
}

int main(void)
{
	atexit(no_verdict);
	if (!exists(&stack_guard_gap)) {
		say("FAIL 7.6: stack_guard_gap does not exist yet: declare "
		       "it in mm.h and define it in chapter 7\n");
		return 1;
	}
	if (check_layout("mem=64M quiet legacy_va_layout=1")
	    || check_layout("mem=64M quiet legacy_va_layout=0"))
		return 1;
	say("PASS 7.6: expand_stack and get_unmapped_area (both layouts) "
	       "keep a gap of stack_guard_gap pages below a stack\n");
	return 0;
}
