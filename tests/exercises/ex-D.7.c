/* ex-D.7.c -- exercise D.7: the faults homework for seed 7.  An answer
 * check: homework_run prints the problem with its answers, computed by
 * the model; the eight numbers of its answer lines are compared with
 * answers/D.7.txt. */
#include "ex-homework.h"

#define EX "D.7"
#define N  8

int main(void)
{
	static const char *const what[N] = {
		"the parent's faults before the fork", "the child's faults",
		"the child's copies", "the child's new pages",
		"the parent's faults after", "the parent's copies",
		"the parent's new pages", "the parent's reused pages" };
	long got[N], want[N];
	int n;

	ex_read_answer(EX, "eight numbers for the faults homework, seed 7: "
		       "the parent's faults before the fork; the child's "
		       "faults, copies and new pages; the parent's last "
		       "faults, copies, new pages and reused pages", got, N);
	n = answer_numbers("faults", 7, want, N);
	if (n != N)
		ex_fail(EX, "the faults topic for seed 7 printed %d answer "
			"numbers, not %d; has the topic changed? run make "
			"test", n, N);
	ex_compare(EX, what, got, want, N);
	ex_pass(EX, "the parent takes %ld faults, the child %ld, then the "
		"parent %ld", want[0], want[1], want[4]);
}
