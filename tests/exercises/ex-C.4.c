/* ex-C.4.c -- exercise C.4: a shell command "brk+ N", the sbrk of
 * mmsh.  A feature check: a script reads the break with "brk 0", moves
 * it up twice with brk+ and reads it again; each brk+ line must end
 * with the old break, and the break must have moved by the sum. */
#include "ex-kernel.h"

#define EX "C.4"

static const char script[] =
	"boot mem=16M\n"
	"spawn t\n"
	"brk 0\n"
	"brk+ 8192\n"
	"brk+ 4096\n"
	"brk 0\n";

/* The last word of a line, if it is a hex number: else -1. */
static long last_hex(const char *line)
{
	const char *w = strrchr(line, ' ');
	char *end;
	long v;

	w = w ? w + 1 : line;
	if (strncmp(w, "0x", 2))
		return -1;
	v = strtol(w, &end, 16);
	return *end ? -1 : v;
}

int main(void)
{
	char *text = NULL, *line;
	size_t size = 0;
	long v[8];
	int n = 0, errors;
	FILE *out = open_memstream(&text, &size);

	errors = mmsh_run_string(script, sizeof script - 1, out);
	fclose(out);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (last_hex(line) >= 0 && n < 8)
			v[n++] = last_hex(line);
	if (errors)
		ex_fail(EX, "the shell reports %d errors for \"brk+ 8192\" "
			"and \"brk+ 4096\": add brk+ to the table of "
			"commands (book/92-explorer.nw)", errors);
	free(text);
	if (n != 4)
		ex_fail(EX, "expected four lines ending in a break in hex "
			"(brk 0, brk+, brk+, brk 0), got %d", n);
	if (v[1] != v[0] || v[2] != v[0] + 8192)
		ex_fail(EX, "brk+ must print the old break: the break was "
			"%#lx, brk+ 8192 printed %#lx and brk+ 4096 %#lx",
			v[0], v[1], v[2]);
	if (v[3] != v[0] + 12288)
		ex_fail(EX, "after brk+ 8192 and brk+ 4096 the break is "
			"%#lx, not %#lx", v[3], v[0] + 12288);
	ex_pass(EX, "brk+ moves the break from %#lx to %#lx and prints "
		"the old one", v[0], v[3]);
}
