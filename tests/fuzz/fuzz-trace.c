/* fuzz-trace.c -- chapter 11's malloc trace parser and checking driver,
 * on the user's bytes.
 *
 * The harness compiles the experiment that replays traces in the model
 * (src/exp/malloc-model-traces.c, tangled from book/11-malloc.nw), so
 * that what is fuzzed is the book's own parser and checker.  A trace the
 * parser refuses is no finding; a trace it accepts is replayed in a task
 * of a fresh machine, where every block must come back intact: a crash,
 * a sanitizer report, a dead task or a damaged block is a finding.
 *
 * The parser's complaints go to /dev/null.  To keep an execution short,
 * accepted traces are only replayed if they are small: at most 4096
 * identifiers and 4 MiB of sizes in all.
 */
#define main malloc_model_traces_main
int malloc_model_traces_main(void);
#include "exp/malloc-model-traces.c"
#undef main
#undef malloc
#undef calloc
#undef realloc
#undef free
#include "fuzz.h"

static bool small_enough(void)
{
	size_t bytes = 0;

	for (size_t i = 0; i < nops; i++)
		bytes += ops[i].size;
	return nids <= 4096 && bytes <= (4UL << 20);
}

static void replay_in_model(void)
{
	struct task *t;
	int bad = 0, sig;

	if (mm_boot("mem=32M quiet") < 0)
		fuzz_finding("cannot boot");
	if (!(t = task_create("trace")))
		fuzz_finding("cannot create the task");
	if (oopses(sig = task_run(t, replay, &bad)))
		fuzz_finding("oops: %s", last_oops());
	if (sig || bad)
		fuzz_finding("a valid trace failed: signal %d, check %d", sig,
			     bad);
	task_destroy(t);
	if (!buddy_check() || !slab_check())
		fuzz_finding("the allocators' invariants are broken");
	mm_shutdown();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t lines = 0;
	int r;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	blk = NULL;
	len = NULL;
	fuzz_stderr_off();
	r = parse_trace((const char *)data, size);
	fuzz_stderr_on();
	if (r == 0 && small_enough())
		replay_in_model();
	munmap(ops, lines ? lines * sizeof *ops : 1);
	if (blk) {
		munmap(blk, nids ? nids * sizeof *blk : 1);
		munmap(len, nids ? nids * sizeof *len : 1);
	}
	return 0;
}
