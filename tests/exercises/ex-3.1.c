/* ex-3.1.c -- exercise 3.1: the frames of two GFP_HIGHUSER allocations
 * on a fresh 1 GiB machine, order 1 and then order 0. */
#include "ex-kernel.h"

#define EX "3.1"

int main(void)
{
	static const char *const what[] = { "the pfn of the order-1 block",
		"the pfn of the order-0 page" };
	long got[2], want[2];

	ex_read_answer(EX, "two numbers: the pfn of the order-1 block, then "
		       "the pfn of the order-0 page", got, 2);
	ex_boot(EX, "mem=1G quiet init_steps=5");
	struct page *a = alloc_pages(GFP_HIGHUSER, 1);
	struct page *b = alloc_pages(GFP_HIGHUSER, 0);
	if (!a || !b)
		ex_fail(EX, "alloc_pages(GFP_HIGHUSER) failed on a fresh "
			"1 GiB machine");
	want[0] = (long)page_to_pfn(a);
	want[1] = (long)page_to_pfn(b);
	mm_shutdown();
	ex_compare(EX, what, got, want, 2);
	ex_pass(EX, "order 1 at pfn %ld, then order 0 at pfn %ld", want[0],
		want[1]);
}
