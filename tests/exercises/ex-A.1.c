/* ex-A.1.c -- exercise A.1: what mm_boot returns for two command
 * lines.  The model's complaints on stderr are silenced, so that the
 * check prints one line. */
#include "ex-kernel.h"

#define EX "A.1"

int main(void)
{
	static const char *const what[] = {
		"what mm_boot(\"mem=64M tlb=3\") returns",
		"what mm_boot(\"mem=4096k\") returns" };
	long got[2], want[2];

	ex_read_answer(EX, "two numbers: what mm_boot returns for "
		       "\"mem=64M tlb=3\", then for \"mem=4096k\" (0 or a "
		       "negative errno, in decimal)", got, 2);
	want[0] = ex_boot_quietly("mem=64M tlb=3 quiet", NULL);
	want[1] = ex_boot_quietly("mem=4096k quiet", NULL);
	ex_compare(EX, what, got, want, 2);
	ex_pass(EX, "mm_boot returns %ld for tlb=3 and %ld for mem=4096k",
		want[0], want[1]);
}
