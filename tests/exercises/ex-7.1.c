/* ex-7.1.c -- the check of exercise 7.1 (book/07-address-space.nw): the
 * address ranges of /proc/PID/maps after a task writes one byte at
 * 0x0804D000, one at 0xBFFFE000 and one at 0xBFFFDFFF.  The model
 * computes the true answer; answers/7.1.txt holds the student's. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "7.1"

#include "ex-verdict.h"

#define FORMAT "one line per VMA, \"start-end\" in hex as maps prints it"

static const unsigned long writes[] = { 0x0804D000UL, 0xBFFFE000UL,
					0xBFFFDFFFUL };

static void write_three(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++)
		*(volatile char *)vaddr_to_ptr(writes[i]) = 1;
}

/* The first field of every line of text, one a line. */
static void ranges(const char *text, char *out, size_t n)
{
	size_t k = 0;

	for (const char *p = text; *p && k + 20 < n; p = strchr(p, '\n') + 1) {
		size_t w = strcspn(p, " \n");

		memcpy(out + k, p, w);
		k += w;
		out[k++] = '\n';
		if (!strchr(p, '\n'))
			break;
	}
	out[k] = 0;
}

/* The answer file without blank lines and surrounding blanks, lower case. */
static int read_answer(const char *path, char *out, size_t n)
{
	char line[256];
	size_t k = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f) && k + 20 < n) {
		char *s = line + strspn(line, " \t");
		size_t w = strcspn(s, " \t\r\n");

		if (!w)
			continue;
		for (size_t i = 0; i < w; i++)
			out[k++] = (char)(s[i] >= 'A' && s[i] <= 'F'
					  ? s[i] - 'A' + 'a' : s[i]);
		out[k++] = '\n';
	}
	out[k] = 0;
	fclose(f);
	return 0;
}

int main(void)
{
	char maps[2048] = "", want[1024], got[1024];
	struct task *t;
	int sig;

	atexit(no_verdict);
	if (read_answer("answers/7.1.txt", got, sizeof got) < 0) {
		say("FAIL 7.1: write your answer in answers/7.1.txt: "
		       FORMAT "\n");
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex71"))) {
		say("FAIL 7.1: the model does not boot\n");
		return 1;
	}
	sig = task_run(t, write_three, NULL);
	FILE *f = fmemopen(maps, sizeof maps - 1, "w");
	proc_show("/proc/1/maps", f);
	fclose(f);
	ranges(maps, want, sizeof want);
	task_destroy(t);
	mm_shutdown();
	if (sig) {
		say("FAIL 7.1: the model's task died of signal %d: has the "
		       "model been changed?\n", sig);
		return 1;
	}
	if (strcmp(got, want)) {
		int nw = 0, ng = 0, same = 0;
		char *a = want, *b = got;

		for (char *p = want; *p; p++)
			nw += *p == '\n';
		for (char *p = got; *p; p++)
			ng += *p == '\n';
		while (*a && *b && !strncmp(a, b, strcspn(a, "\n") + 1)) {
			same++;
			a = strchr(a, '\n') + 1;
			b = strchr(b, '\n') + 1;
		}
		say("FAIL 7.1: %d lines given, maps has %d; line %d "
		       "differs from the model's: run proc_show and see why\n",
		       ng, nw, same + 1);
		return 1;
	}
	say("PASS 7.1: the ranges of the %d VMAs after the three "
	       "writes\n", (int)(strlen(want) / 18));
	return 0;
}
