/* ex-5.2.c -- exercise 5.2: what the MMU sets in a PAGE_SHARED pte on a
 * read and then a write, and what the two accesses cost in refills. */
#include "ex-kernel.h"

#define EX "5.2"
#define UBASE 0x40000000UL

int main(void)
{
	static const char *const what[] = { "the pte's flags after the read",
		"the pte's flags after the write",
		"the refills the two accesses cost" };
	long got[3], want[3];

	ex_read_answer(EX, "three numbers: the pte's low 12 bits (its "
		       "flags, e.g. in hex) after the read, the same after "
		       "the write, then the TLB refills of the two accesses",
		       got, 3);
	ex_boot(EX, "mem=16M quiet init_steps=5");
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pte_t *pte = pte_alloc(pgd_offset_k(UBASE), UBASE);
	if (!page || !pte)
		ex_fail(EX, "could not map a page at %#lx", UBASE);
	set_pte(pte, mk_pte(page, PAGE_SHARED));
	unsigned long before = arch_stats.tlb_refills;
	volatile char *p = vaddr_to_ptr(UBASE);
	(void)p[10];
	want[0] = (long)(pte_val(*pte) & ~PAGE_MASK);
	p[20] = 'x';
	want[1] = (long)(pte_val(*pte) & ~PAGE_MASK);
	want[2] = (long)(arch_stats.tlb_refills - before);
	mm_shutdown();
	ex_compare(EX, what, got, want, 3);
	ex_pass(EX, "PAGE_SHARED: %#lx after the read, %#lx after the "
		"write, %ld refills", (unsigned long)want[0],
		(unsigned long)want[1], want[2]);
}
