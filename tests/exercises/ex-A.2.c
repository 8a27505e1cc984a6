/* ex-A.2.c -- exercise A.2: what the log holds after a 2,000-byte
 * message. */
#include "ex-kernel.h"

#define EX "A.2"

int main(void)
{
	static const char *const what[] = { "the length of dmesg()",
		"whether it ends with a newline" };
	char msg[2001];
	long got[2], want[2];

	ex_read_answer(EX, "two numbers: strlen(dmesg()) after dmesg_clear() "
		       "and printk(\"%s\\n\", m) of a 2,000-character m, "
		       "then 1 if dmesg() ends with a newline, 0 if not",
		       got, 2);
	ex_boot(EX, "mem=16M quiet init_steps=5");
	memset(msg, 'm', 2000);
	msg[2000] = '\0';
	dmesg_clear();
	printk("%s\n", msg);
	size_t n = strlen(dmesg());
	want[0] = (long)n;
	want[1] = n && dmesg()[n - 1] == '\n';
	mm_shutdown();
	ex_compare(EX, what, got, want, 2);
	ex_pass(EX, "the log holds %ld bytes, %s", want[0],
		want[1] ? "ending in a newline" : "with no newline");
}
