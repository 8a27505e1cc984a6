/* ex-kernel.h -- what the exercise checks of chapters 1 to 6 and of the
 * appendices share: one PASS or FAIL line, and reading an answer file.
 *
 * A check prints exactly one line and exits: "PASS 3.4: what was
 * verified" (status 0) or "FAIL 3.4: what to do next" (status 1).  An
 * answer lives in answers/<N.M>.txt, relative to the top of the
 * repository (make runs the checks from there).
 */
#ifndef EX_KERNEL_H
#define EX_KERNEL_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "model.h"

#define EX_MAX_NUMBERS 64

static inline void ex_say(const char *verdict, const char *ex,
			  const char *fmt, va_list ap)
{
	fflush(stderr);
	printf("%s %s: ", verdict, ex);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

/* Print the verdict and exit: PASS with status 0, FAIL with status 1. */
__attribute__((noreturn, format(printf, 2, 3)))
static inline void ex_pass(const char *ex, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ex_say("PASS", ex, fmt, ap);
	va_end(ap);
	exit(0);
}

__attribute__((noreturn, format(printf, 2, 3)))
static inline void ex_fail(const char *ex, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ex_say("FAIL", ex, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Read answers/<ex>.txt as whitespace-separated numbers (decimal, or hex
 * with 0x; a '#' starts a comment to the end of the line) into v[].  A
 * missing file or a count other than n fails, quoting the format. */
static inline void ex_read_answer(const char *ex, const char *format,
			   long *v, int n)
{
	char path[64], line[512];
	int got = 0;
	FILE *f;

	memset(v, 0, (size_t)n * sizeof *v);

	snprintf(path, sizeof path, "answers/%s.txt", ex);
	f = fopen(path, "r");
	if (!f)
		ex_fail(ex, "write your answer in %s: %s", path, format);
	while (fgets(line, sizeof line, f)) {
		char *p = line, *end;

		line[strcspn(line, "#")] = '\0';
		for (;;) {
			long x;

			while (*p == ' ' || *p == '\t' || *p == '\n'
			       || *p == '\r' || *p == ',')
				p++;
			if (!*p)
				break;
			x = strtol(p, &end, 0);
			if (end == p) {
				fclose(f);
				ex_fail(ex, "%s: \"%.20s\" is not a number; "
					"the format is: %s", path, p, format);
			}
			if (got < EX_MAX_NUMBERS)
				v[got < n ? got : n - 1] = x;
			got++;
			p = end;
		}
	}
	fclose(f);
	if (got != n)
		ex_fail(ex, "%s holds %d numbers, not %d: %s", path, got, n,
			format);
}

/* Compare the student's numbers with the model's, in order; fail on the
 * first that differs, naming it (what[i]) but not giving it away. */
static inline void ex_compare(const char *ex, const char *const *what,
			      const long *got, const long *want, int n)
{
	for (int i = 0; i < n; i++) {
		char hex[32] = "";

		if (got[i] == want[i])
			continue;
		if (got[i] > 9)
			snprintf(hex, sizeof hex, " (%#lx)", got[i]);
		ex_fail(ex, "number %d of answers/%s.txt (%s) is %ld%s, "
			"which is not what the model computes; work it out "
			"again", i + 1, ex, what[i], got[i], hex);
	}
}

/* Boot with the model's complaints on stderr thrown away, so that the
 * check still prints one line; what mm_boot returned, and (if frames is
 * not NULL) how many frames the machine had, 0 if it did not boot.  The
 * machine is shut down again. */
static inline long ex_boot_quietly(const char *cmdline,
				   unsigned long *frames)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	long r;

	dup2(null, 2);
	r = mm_boot(cmdline);
	if (frames)
		*frames = r == 0 ? max_pfn : 0;
	if (r == 0)
		mm_shutdown();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	return r;
}

/* Boot or fail the check with the reason. */
static inline void ex_boot(const char *ex, const char *cmdline)
{
	if (mm_boot(cmdline) < 0)
		ex_fail(ex, "the model does not boot with \"%s\"", cmdline);
}

#endif
