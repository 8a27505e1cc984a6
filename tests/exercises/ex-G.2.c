/* ex-G.2.c -- exercise G.2: mm_boot answers a parameter it does not
 * know as Linux 2.6.17 does, by booting.  A feature check: two command
 * lines with unknown parameters (one dotted, one not) must boot, with
 * the parameters the model knows honoured; a known parameter with a bad
 * value must still be refused.  The model's complaints on stderr are
 * silenced, so that the check prints one line. */
#include "ex-kernel.h"

#define EX "G.2"

/* What mm_boot returns for cmdline, and the machine's frames then. */
int main(void)
{
	static const char *const line[] = { "mem=16M nosuch=1 quiet",
		"quiet foo.bar=2 mem=16M nosuchflag" };
	unsigned long frames;
	long r;

	for (int i = 0; i < 2; i++) {
		r = ex_boot_quietly(line[i], &frames);
		if (r)
			ex_fail(EX, "mm_boot(\"%s\") returns %ld; Linux boots "
				"with a parameter it does not know", line[i],
				r);
		if (frames != (16UL << 20) / PAGE_SIZE)
			ex_fail(EX, "mm_boot(\"%s\") booted %lu frames, not "
				"the %lu that mem=16M asks for", line[i],
				frames, (16UL << 20) / PAGE_SIZE);
	}
	r = ex_boot_quietly("mem=banana nosuch=1 quiet", &frames);
	if (r != -EINVAL)
		ex_fail(EX, "mm_boot(\"mem=banana nosuch=1\") returns %ld, not "
			"-EINVAL: a known parameter's bad value must still "
			"be refused", r);
	ex_pass(EX, "mm_boot ignores unknown parameters and still refuses "
		"mem=banana");
}
