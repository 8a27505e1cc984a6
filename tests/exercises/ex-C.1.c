/* ex-C.1.c -- exercise C.1: the fault counters after the fork scenario,
 * with the child writing the whole 16 KiB.  An answer check: the
 * changed script runs through mmsh_run_string, and the four lines of
 * "counters faults" are compared with answers/C.1.txt. */
#include "ex-kernel.h"

#define EX "C.1"

static const char script[] =
	"boot mem=16M\n"
	"spawn parent\n"
	"a = mmap 0 16K READ|WRITE PRIVATE|ANONYMOUS\n"
	"touch $a 16K write\n"
	"child = fork\n"
	"@$child touch $a 16K read\n"
	"@$child touch $a 16K write\n"
	"touch $a 16K write\n"
	"counters faults\n";

int main(void)
{
	static const char *const what[] = { "faults.zero_mapped",
		"faults.anon_new", "faults.cow_copied", "faults.cow_reused" };
	static const char *const key[] = { "faults.zero_mapped ",
		"faults.anon_new ", "faults.cow_copied ",
		"faults.cow_reused " };
	char *text = NULL, *line;
	size_t size = 0;
	long got[4], want[4];
	int found = 0, errors;
	FILE *out;

	ex_read_answer(EX, "four numbers: what \"counters faults\" prints "
		       "for faults.zero_mapped, faults.anon_new, "
		       "faults.cow_copied and faults.cow_reused when the "
		       "child writes all 16 KiB", got, 4);
	out = open_memstream(&text, &size);
	errors = mmsh_run_string(script, sizeof script - 1, out);
	fclose(out);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		for (int i = 0; i < 4; i++)
			if (!strncmp(line, key[i], strlen(key[i]))) {
				want[i] = strtol(line + strlen(key[i]),
						 NULL, 10);
				found |= 1 << i;
			}
	free(text);
	if (errors || found != 15)
		ex_fail(EX, "the fork scenario no longer runs cleanly in "
			"mmsh (%d errors); run make test", errors);
	ex_compare(EX, what, got, want, 4);
	ex_pass(EX, "the child copies %ld pages and the parent reuses %ld",
		want[2], want[3]);
}
