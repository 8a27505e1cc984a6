/* ex-D.1.c -- exercise D.1: the buddy homework for seed 3.  An answer
 * check: homework_run prints the problem with its answers, computed by
 * the model; the numbers of the answer lines (the five frames, then the
 * eleven counts of the HighMem line of /proc/buddyinfo) are compared
 * with answers/D.1.txt. */
#include "ex-homework.h"

#define EX "D.1"
#define N  16

int main(void)
{
	static const char *const what[N] = { "the frame of a",
		"the frame of b", "the frame of c", "the frame of d",
		"the frame of e", "order 0's count", "order 1's count",
		"order 2's count", "order 3's count", "order 4's count",
		"order 5's count", "order 6's count", "order 7's count",
		"order 8's count", "order 9's count", "order 10's count" };
	long got[N], want[N];
	int n;

	ex_read_answer(EX, "sixteen numbers: the frames (pfns) that a, b, "
		       "c, d and e get in the buddy homework for seed 3, "
		       "then the eleven counts of its HighMem line of "
		       "/proc/buddyinfo, order 0 first", got, N);
	n = answer_numbers("buddy", 3, want, N);
	if (n != N)
		ex_fail(EX, "the buddy topic for seed 3 printed %d answer "
			"numbers, not %d; has the topic changed? run make "
			"test", n, N);
	ex_compare(EX, what, got, want, N);
	ex_pass(EX, "the five frames and the buddyinfo line of seed 3 are "
		"right");
}
