/* test_malloc_trace.c -- chapter 11's trace parser (parse_trace in
 * book/11-malloc.nw), compiled in from the experiment that replays the
 * traces in the model.  The fuzzer (tests/fuzz/fuzz-trace.c) found it
 * reading past the last line of a trace with no newline at the end
 * (tests/fuzz/corpus/trace/crash-no-newline-at-end); these are that
 * input and the faults of the same kind found while fixing it. */
#include "test.h"
#define main malloc_model_traces_main
int malloc_model_traces_main(void);
#include "exp/malloc-model-traces.c"
#undef main
#undef malloc
#undef calloc
#undef realloc
#undef free

static int parse(const char *text)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY), r;

	fflush(stderr);
	dup2(null, 2);                  /* the parser names the bad line */
	r = parse_trace(text, strlen(text));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	return r;
}

static void test_a_good_trace(void)
{
	CU_ASSERT_EQUAL(parse("a 1 100\nr 1 5000\nc 7 33\nf 1\n"), 0);
	CU_ASSERT_EQUAL(nops, 4);
	CU_ASSERT_EQUAL(nids, 8);
	CU_ASSERT_EQUAL(ops[1].kind, 'r');
	CU_ASSERT_EQUAL(ops[1].id, 1);
	CU_ASSERT_EQUAL(ops[1].size, 5000);
	CU_ASSERT_EQUAL(ops[3].size, 0);
}

static void test_bad_traces_are_refused(void)
{
	static const char *const bad[] = {
		"a 1 100\nf 1",              /* no newline at the end */
		"a 1\nf 1\n",                /* no size: not a size of 0 */
		"a x 8\n",                   /* a letter for a number */
		"x 1 8\n",                   /* an unknown call */
		"a 16777216 8\n",            /* an identifier too large */
		"a 1 99999999999\n",         /* a size too large */
		"a 1 8 9\n",                 /* something after the size */
		"f 1 8\n",                   /* a free has no size */
		"a  1 8\n",                  /* two spaces */
		"\n",                        /* an empty line */
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_EQUAL(parse(bad[i]), -1);
	CU_ASSERT_EQUAL(parse("a 16777215 8\n"), 0);   /* the largest id */
	CU_ASSERT_EQUAL(nids, 16777216);
}

TEST_SUITE(trace, "ch11 trace parser", NULL, NULL,
	   { "a good trace", test_a_good_trace },
	   { "bad traces are refused", test_bad_traces_are_refused })
