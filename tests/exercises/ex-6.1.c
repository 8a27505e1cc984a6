/* ex-6.1.c -- exercise 6.1: where three vmallocs land on a fresh
 * 64 MiB machine. */
#include "ex-kernel.h"

#define EX "6.1"

int main(void)
{
	static const char *const what[] = { "the address of vmalloc(5000)",
		"the address of vmalloc(1)", "the address of vmalloc(8192)" };
	static const unsigned long size[] = { 5000, 1, 8192 };
	long got[3], want[3];

	ex_read_answer(EX, "three addresses (e.g. in hex with 0x): those "
		       "of vmalloc(5000), vmalloc(1) and vmalloc(8192), in "
		       "that order", got, 3);
	ex_boot(EX, "mem=64M quiet init_steps=5");
	for (int i = 0; i < 3; i++) {
		void *p = vmalloc(size[i]);

		if (!p)
			ex_fail(EX, "vmalloc(%lu) failed", size[i]);
		want[i] = (long)ptr_to_vaddr(p);
	}
	mm_shutdown();
	ex_compare(EX, what, got, want, 3);
	ex_pass(EX, "vmalloc(5000), (1), (8192) at %#lx, %#lx, %#lx",
		(unsigned long)want[0], (unsigned long)want[1],
		(unsigned long)want[2]);
}
