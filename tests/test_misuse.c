/* test_misuse.c -- Appendix "Every misuse": every row of the table.
 *
 * The rows, and the code that makes each misuse on a machine with
 * bystanders alive, are the experiment's own (src/exp/misuse.c, tangled
 * from book/96-misuse.nw), compiled in here so that the table the book
 * prints and the assertions below cannot drift apart.  Each row must give
 * the answer the table says (Linux's, or the model's stated reason for
 * another), and every bystander must be intact afterwards.  The
 * chapters' own tests check the details of many of these misuses (the
 * exact oops messages, the state after them); this suite checks that
 * none of them is missing or has changed its answer.
 */
#include "test.h"
#define main misuse_table_main
int misuse_table_main(void);
#include "exp/misuse.c"
#undef main

static void test_every_row(void)
{
	for (size_t i = 0; i < NR_MISUSES; i++) {
		const struct misuse *m = &misuses[i];
		char answer[64] = "?";
		bool intact = run_misuse(m, answer, sizeof answer);

		if (!intact || !strcmp(verdict(m, answer), "UNEXPECTED"))
			fprintf(stderr, "\nmisuse row %zu: %s, %s: Linux %s, "
				"model %s, intact %d\n", i, m->iface, m->what,
				m->linux_does, answer, intact);
		CU_ASSERT_STRING_NOT_EQUAL(verdict(m, answer), "UNEXPECTED");
		CU_ASSERT_TRUE(intact);
		CU_ASSERT_FALSE(mm_booted());
	}
}

/* The rows the model answers differently from Linux are few, and each
 * says why; a row that changes kind fails here. */
static void test_the_differences_are_the_stated_ones(void)
{
	size_t stricter = 0, differs = 0;

	for (size_t i = 0; i < NR_MISUSES; i++) {
		const char *why = misuses[i].why;

		stricter += why && !strcmp(why, "stricter");
		differs += why && !strcmp(why, "differs");
		CU_ASSERT_EQUAL(!misuses[i].model_does, !why);
	}
	CU_ASSERT_EQUAL(stricter, 7);
	CU_ASSERT_EQUAL(differs, 1);
	CU_ASSERT_EQUAL(NR_MISUSES, 78);
}

TEST_SUITE(misuse, "misuse: every row of the table", NULL, NULL,
	   { "every misuse: Linux's answer, the rest intact",
	     test_every_row },
	   { "the differences are the stated ones",
	     test_the_differences_are_the_stated_ones })
