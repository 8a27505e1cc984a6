/* ex-2.1.c -- exercise 2.1: the layout of a machine with mem=900M. */
#include "ex-kernel.h"

#define EX "2.1"

int main(void)
{
	static const char *const what[] = { "max_low_pfn",
		"the number of high pages", "VMALLOC_START" };
	long got[3], want[3];

	ex_read_answer(EX, "three numbers: max_low_pfn, the number of high "
		       "pages, VMALLOC_START (an address, e.g. in hex with "
		       "0x)", got, 3);
	ex_boot(EX, "mem=900M quiet init_steps=5");
	want[0] = (long)max_low_pfn;
	want[1] = (long)(max_pfn - max_low_pfn);
	want[2] = (long)VMALLOC_START;
	mm_shutdown();
	ex_compare(EX, what, got, want, 3);
	ex_pass(EX, "mem=900M: max_low_pfn %ld, %ld high pages, "
		"VMALLOC_START %#lx", want[0], want[1],
		(unsigned long)want[2]);
}
