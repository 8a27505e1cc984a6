/* ex-5.4.c -- exercise 5.4: the frames that preallocating every pte
 * table from VMALLOC_START to FIXADDR_TOP would cost: one for each pgd
 * entry of that range that is empty at boot. */
#include "ex-kernel.h"

#define EX "5.4"

static long tables_missing(const char *cmdline)
{
	long n = 0;

	ex_boot(EX, cmdline);
	for (unsigned long i = pgd_index(VMALLOC_START);
	     i <= pgd_index(FIXADDR_TOP); i++)
		n += pgd_none(swapper_pg_dir[i]);
	mm_shutdown();
	return n;
}

int main(void)
{
	static const char *const what[] = { "frames on 16 MiB",
		"frames on 1 GiB" };
	long got[2], want[2];

	ex_read_answer(EX, "two numbers: the page-table frames the "
		       "preallocation costs on a 16 MiB machine, then on a "
		       "1 GiB machine", got, 2);
	want[0] = tables_missing("mem=16M quiet init_steps=5");
	want[1] = tables_missing("mem=1G quiet init_steps=5");
	ex_compare(EX, what, got, want, 2);
	ex_pass(EX, "preallocating the vmalloc tables costs %ld frames on "
		"16 MiB, %ld on 1 GiB", want[0], want[1]);
}
