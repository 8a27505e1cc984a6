/* fuzz-common.c -- helpers every harness links with. */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "model.h"
#include "fuzz.h"

const char *fuzz_input_name;
static int saved_stderr = -1;

void fuzz_stderr_off(void)
{
	int null = open("/dev/null", O_WRONLY);

	fflush(stderr);
	saved_stderr = dup(2);
	dup2(null, 2);
	close(null);
}

void fuzz_stderr_on(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
}

void fuzz_finding(const char *fmt, ...)
{
	va_list ap;

	fuzz_stderr_on();
	fprintf(stderr, "FUZZ FINDING%s%s: ", fuzz_input_name ? " in " : "",
		fuzz_input_name ? fuzz_input_name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n--- the kernel log ---\n%s\n", dmesg());
	abort();
}

int fuzz_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}
