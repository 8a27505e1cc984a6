/* ex-9.8.c -- the check of exercise 9.8 (book/09-mmap.nw): /proc/PID/maps
 * after a task maps eight anonymous pages, unmaps its third and fourth,
 * makes its sixth read-only and maps two pages more, with no hint.  The
 * model computes the true answer; answers/9.8.txt holds the student's. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "9.8"

#include "ex-verdict.h"

#define P       PAGE_SIZE
#define FORMAT  "one line per VMA, \"start-end perms\" as maps prints them"

static void steps(void *arg)
{
	long a = sys_mmap(0, 8 * P, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);

	sys_munmap((unsigned long)a + 2 * P, 2 * P);
	sys_mprotect((unsigned long)a + 5 * P, P, PROT_READ);
	*(long *)arg = sys_mmap(0, 2 * P, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
}

/* The first two fields of every line of text, one pair a line, with
 * single blanks and lower-case hex. */
static void fields(const char *text, char *out, size_t n)
{
	size_t k = 0;

	while (*text && k + 64 < n) {
		for (int field = 0; field < 2; field++) {
			text += strspn(text, " \t");
			size_t w = strcspn(text, " \t\r\n");

			for (size_t i = 0; i < w; i++)
				out[k++] = (char)(text[i] >= 'A'
						  && text[i] <= 'F'
						  ? text[i] - 'A' + 'a'
						  : text[i]);
			text += w;
			out[k++] = field ? '\n' : ' ';
		}
		if (out[k - 2] == ' ')          /* a blank line */
			k -= 2;
		text = strchr(text, '\n') ? strchr(text, '\n') + 1 : "";
	}
	out[k] = 0;
}

int main(void)
{
	char maps[2048] = "", file[2048] = "", want[1024], got[1024];
	struct task *t;
	long last = 0;
	FILE *f = fopen("answers/9.8.txt", "r");

	atexit(no_verdict);
	if (!f) {
		say("FAIL 9.8: write your answer in answers/9.8.txt: "
		       FORMAT "\n");
		return 1;
	}
	fread(file, 1, sizeof file - 1, f);
	fclose(f);
	fields(file, got, sizeof got);
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex98"))
	    || task_run(t, steps, &last) || last < 0) {
		say("FAIL 9.8: the model's task does not run\n");
		return 1;
	}
	f = fmemopen(maps, sizeof maps - 1, "w");
	proc_show("/proc/1/maps", f);
	fclose(f);
	fields(maps, want, sizeof want);
	task_destroy(t);
	mm_shutdown();
	if (strcmp(got, want)) {
		int line = 1;

		for (size_t i = 0; got[i] == want[i]; i++)
			line += got[i] == '\n';
		say("FAIL 9.8: line %d differs from the model's maps: where "
		       "did the last mmap go, and what merged?\n", line);
		return 1;
	}
	say("PASS 9.8: the maps after munmap, mprotect and mmap\n");
	return 0;
}
