/* fuzz-mmsh.c -- the explorer's scripts (book/92-explorer.nw), from the
 * user's bytes.
 *
 * The input is a whole script for mmsh_run_string, which starts a fresh
 * shell, runs every line and shuts the machine down.  The shell promises
 * never to crash and never to leak: so a finding is an oops that escapes
 * it, a sanitizer report, a machine still running afterwards, or a host
 * descriptor left open.  The shell's output goes to /dev/null.
 *
 * The Makefile builds this harness only once src/mmsh.h exists.
 */
#include <stdio.h>
#include "model.h"
#include "mmsh.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	int fds;

	if (!out && !(out = fopen("/dev/null", "w")))
		fuzz_finding("cannot open /dev/null");
	fds = fuzz_open_fds();
	fuzz_stderr_off();
	if (oopses(mmsh_run_string((const char *)data, size, out)))
		fuzz_finding("an oops escaped the shell: %s", last_oops());
	fuzz_stderr_on();
	if (mm_booted())
		fuzz_finding("the script left the machine running");
	if (fuzz_open_fds() != fds)
		fuzz_finding("%d host descriptors before, %d after", fds,
			     fuzz_open_fds());
	return 0;
}
