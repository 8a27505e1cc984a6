/* ex-12.5.c -- the check of exercise 12.5 (book/12-pressure.nw): 2.6's
 * oom_adj.  set_oom_adj(t, adj) takes -16 to 15, or -17 (OOM_DISABLE),
 * and refuses anything else with -EINVAL; a positive adj shifts the
 * task's score left, a negative one right, and -17 spares the task;
 * /proc/PID/oom_adj prints the value. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "12.5"

#include "ex-verdict.h"

int set_oom_adj(struct task *t, int adj) __attribute__((weak));

#define AREA   0x40000000UL
#define RW     (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

static struct task *t[5];

/* Whether a weak symbol is defined (through a volatile, so that the
 * compiler does not call the test always true once a header declares
 * the symbol). */
static bool exists(const void *p)
{
	const void *volatile q = p;

	return q != NULL;
}

static const char *proc_oom_adj(struct task *p)
{
	static char text[64];
	char path[64];

	memset(text, 0, sizeof text);
	snprintf(path, sizeof path, "/proc/%d/oom_adj", p->pid);
	FILE *f = fmemopen(text, sizeof text - 1, "w");
	int r = proc_show(path, f);
	fclose(f);
	return r ? "(no such file)" : text;
}

/* Which of t[] the OOM killer would choose now, as an index, or -1. */
static int choice(void)
{
	struct task *p = oom_select_bad_process();

	for (int i = 0; i < 5; i++)
		if (p == t[i])
			return i;
	return -1;
}

struct step { int task, adj, ret, chosen; const char *what; };

/* total_vm: init 17, a 1007, b 307, c 107, d 7. */
static const struct step steps[] = {
	{ 1, 0, 0, 1, "with no adjustment the largest, a, is chosen" },
	{ 1, -17, 0, 2, "a at -17 (OOM_DISABLE) is spared: b is next" },
	{ 3, 2, 0, 3, "c at +2 scores 107 << 2 = 428 and beats b's 307" },
	{ 2, -1, 0, 3, "b at -1 scores 307 >> 1" },
	{ 3, -2, 0, 2, "c at -2 scores 107 >> 2 = 26, below b's 153" },
	{ 4, 15, 0, 4, "d at +15 scores 7 << 15" },
	{ 4, 16, -EINVAL, 4, "16 is refused, d keeps +15" },
	{ 4, -18, -EINVAL, 4, "-18 is refused, d keeps +15" },
	{ 4, -17, 0, 2, "d at -17 is spared" },
	{ 2, -17, 0, 3, "b at -17 is spared" },
	{ 3, -17, 0, -1, "with every task but init at -17, none is chosen" },
};

int main(void)
{
	static const unsigned long pages[] = { 10, 1000, 300, 100, 0 };
	static const char *const names[] = { "init", "a", "b", "c", "d" };

	atexit(no_verdict);
	if (!exists((const void *)set_oom_adj)) {
		say("FAIL 12.5: set_oom_adj does not exist yet: declare "
		       "int set_oom_adj(struct task *t, int adj)\n");
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0) {
		say("FAIL 12.5: the model does not boot\n");
		return 1;
	}
	for (int i = 0; i < 5; i++) {
		t[i] = task_create(names[i]);
		if (pages[i])
			install_vma(t[i]->mm, AREA,
				    AREA + pages[i] * PAGE_SIZE, RW);
	}
	if (strcmp(proc_oom_adj(t[1]), "0\n")) {
		say("FAIL 12.5: /proc/2/oom_adj of a fresh task shows "
		       "\"%s\", not \"0\\n\"\n", proc_oom_adj(t[1]));
		return 1;
	}
	for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const struct step *s = &steps[i];
		int r = set_oom_adj(t[s->task], s->adj), c = choice();

		if (r != s->ret || c != s->chosen) {
			say("FAIL 12.5: step %u (%s): set_oom_adj(%s, %d) "
			       "returned %d and %s was chosen\n", i + 1,
			       s->what, names[s->task], s->adj, r,
			       c < 0 ? "no task" : names[c]);
			return 1;
		}
	}
	char want[16];
	snprintf(want, sizeof want, "%d\n", -17);
	if (strcmp(proc_oom_adj(t[4]), want)) {
		say("FAIL 12.5: /proc/5/oom_adj shows \"%s\", not "
		       "\"-17\\n\"\n", proc_oom_adj(t[4]));
		return 1;
	}
	for (int i = 0; i < 5; i++)
		task_destroy(t[i]);
	mm_shutdown();
	say("PASS 12.5: oom_adj shifts the score, -17 spares a task, "
	       "out-of-range values are refused, /proc shows it\n");
	return 0;
}
