/* fuzz-bootparams.c -- the boot command line, from the user's bytes.
 *
 * The input (up to 255 bytes, to its first NUL) becomes the command line
 * after "quiet ".  Whatever it says, mm_boot must return 0 or -errno and
 * never oops; a machine that booted must be whole (buddy and slab
 * invariants, a kmalloc that works) and must shut down without an oops;
 * and no host descriptor may be left behind either way.
 */
#include <string.h>
#include "model.h"
#include "fuzz.h"

static void check_booted_machine(const char *line)
{
	void *p = NULL;

	if (boot_init_steps >= 2) {
		if (!buddy_check() || !slab_check())
			fuzz_finding("boot \"%s\": invariants broken", line);
		if (oopses(p = kmalloc(100, GFP_KERNEL)) || !p)
			fuzz_finding("boot \"%s\": kmalloc failed", line);
		memset(p, 0x5a, 100);
		kfree(p);
	}
	if (oopses(mm_shutdown()))
		fuzz_finding("boot \"%s\": shutdown oopsed: %s", line,
			     last_oops());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[6 + 256] = "quiet ";
	int fds = fuzz_open_fds(), r = 0;

	if (size > 255)
		size = 255;
	memcpy(line + 6, data, size);
	line[6 + size] = '\0';
	fuzz_stderr_off();
	if (oopses(r = mm_boot(line)))
		fuzz_finding("boot \"%s\" oopsed: %s", line, last_oops());
	fuzz_stderr_on();
	if (r > 0 || r < -4095)
		fuzz_finding("boot \"%s\" returned %d", line, r);
	if (r == 0)
		check_booted_machine(line);
	else if (mm_booted())
		fuzz_finding("boot \"%s\" failed (%d) but left a machine",
			     line, r);
	if (fuzz_open_fds() != fds)
		fuzz_finding("boot \"%s\": %d descriptors before, %d after",
			     line, fds, fuzz_open_fds());
	return 0;
}
