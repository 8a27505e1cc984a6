/* ex-2.4.c -- exercise 2.4: round robin against a loop one page larger
 * than the TLB.  The check installs a walker of its own, as
 * tests/test_machine.c does, mapping user pages to kernel-image frames,
 * and counts the refills of two passes over 65 pages and then over 64. */
#include "ex-kernel.h"

#define EX "2.4"
#define WBASE 0x40000000UL

static bool walker(unsigned long vaddr, bool write, struct translation *t)
{
	unsigned long n = (vaddr - WBASE) >> PAGE_SHIFT;

	if (vaddr < WBASE || n >= 128)
		return false;
	t->pfn = 256 + n;
	t->writable = write;
	return true;
}

static long pass(int pages)
{
	unsigned long before = arch_stats.tlb_refills;

	for (int i = 0; i < pages; i++)
		(void)*(volatile char *)vaddr_to_ptr(WBASE + i * PAGE_SIZE);
	return (long)(arch_stats.tlb_refills - before);
}

int main(void)
{
	static const char *const what[] = {
		"refills of the first pass over 65 pages",
		"refills of the second pass over 65 pages",
		"refills of the first pass over 64 pages",
		"refills of the second pass over 64 pages" };
	long got[4], want[4];

	ex_read_answer(EX, "four numbers, with tlb=64 and reads only: the "
		       "TLB refills of the first and of the second pass "
		       "over 65 pages, then of the first and second pass "
		       "over 64 pages on a freshly booted machine", got, 4);
	ex_boot(EX, "mem=16M tlb=64 quiet init_steps=5");
	arch_page_walker = walker;
	want[0] = pass(65);
	want[1] = pass(65);
	mm_shutdown();
	ex_boot(EX, "mem=16M tlb=64 quiet init_steps=5");
	arch_page_walker = walker;
	want[2] = pass(64);
	want[3] = pass(64);
	mm_shutdown();
	ex_compare(EX, what, got, want, 4);
	ex_pass(EX, "tlb=64: 65 pages cost %ld then %ld refills a pass; "
		"64 pages cost %ld then %ld", want[0], want[1], want[2],
		want[3]);
}
