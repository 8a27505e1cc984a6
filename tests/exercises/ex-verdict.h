/* ex-verdict.h -- the one line a check of chapters 7 to 12 prints.
 *
 * Include it after defining EX as the exercise's number ("10.1").  A
 * check says its verdict once, as a whole line with say() ("PASS 10.1:
 * ...\n") or with verdict(), which writes the "PASS 10.1: " or "FAIL
 * 10.1: " itself and returns the exit status.  main() registers
 * no_verdict with atexit first: if the model panics (it exits) before a
 * verdict, the line says so instead.
 */
#ifndef EX_VERDICT_H
#define EX_VERDICT_H
#include <stdarg.h>
#include <stdio.h>

static int said;

__attribute__((format(printf, 1, 2)))
static inline void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	said = 1;
}

__attribute__((format(printf, 2, 3)))
static inline int verdict(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%s " EX ": ", pass ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	said = 1;
	return pass ? 0 : 1;
}

static inline void no_verdict(void)
{
	if (!said)
		printf("FAIL " EX ": the model panicked (its message is "
		       "above): fix what it names\n");
}
#endif
