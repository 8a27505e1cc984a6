/* ex-5.6.c -- exercise 5.6: clear_young_ptes, the accessed bit as
 * reclaim reads it.
 *
 * The count must equal the young ptes of the range (computed here from
 * the ptes themselves), every other bit must survive, no page table may
 * be allocated, and a page made old must become young again when it is
 * next touched: which needs the TLB entry gone, since a TLB hit never
 * walks the tables.
 */
#include "ex-kernel.h"

#define EX "5.6"

unsigned long clear_young_ptes(unsigned long start, unsigned long end)
	__attribute__((weak));

static unsigned long young_in(unsigned long start, unsigned long end)
{
	unsigned long n = 0;

	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		pte_t *pte = lookup_pte(swapper_pg_dir, a);

		n += pte && pte_present(*pte) && pte_young(*pte);
	}
	return n;
}

static void expect(const char *when, unsigned long start,
		   unsigned long end, unsigned long want)
{
	unsigned long young = young_in(start, end), got;

	if (young != want)
		ex_fail(EX, "%s: %lu ptes are young, not %lu: the MMU did "
			"not walk the tables for pages made old, so their "
			"TLB entries survived; flush them", when, young,
			want);
	got = clear_young_ptes(start, end);
	if (got != want)
		ex_fail(EX, "%s: clear_young_ptes(%08lx, %08lx) returned "
			"%lu, but %lu of its ptes were young", when, start,
			end, got, want);
	if (young_in(start, end))
		ex_fail(EX, "%s: %lu ptes are still young after "
			"clear_young_ptes", when, young_in(start, end));
}

int main(void)
{
	if (!clear_young_ptes)
		ex_fail(EX, "clear_young_ptes does not exist yet: add it to "
			"book/05-pgtable.nw and declare it in pgtable.h");
	ex_boot(EX, "mem=16M quiet init_steps=5");
	/* 1100 pages: the area crosses from one pte table to the next */
	unsigned long pages = 1100, size = pages * PAGE_SIZE;
	char *buf = vmalloc(size);
	if (!buf)
		ex_fail(EX, "vmalloc(%lu) failed", size);
	unsigned long a = ptr_to_vaddr(buf);
	pte_t before = *lookup_pte(swapper_pg_dir, a + 3 * PAGE_SIZE);
	for (unsigned long i = 0; i < pages; i++)
		(void)((volatile char *)buf)[i * PAGE_SIZE];
	unsigned long tables = pgtable_stats.tables_allocated;

	expect("a fresh area", a, a + size + PAGE_SIZE, pages);
	pte_t after = *lookup_pte(swapper_pg_dir, a + 3 * PAGE_SIZE);
	if (pte_val(after) != (pte_val(before) & ~_PAGE_ACCESSED))
		ex_fail(EX, "a pte was %08lx and became %08lx: only the "
			"accessed bit may change", pte_val(before),
			pte_val(after));
	expect("a second call", a, a + size, 0);
	(void)((volatile char *)buf)[1090 * PAGE_SIZE];
	((volatile char *)buf)[1030 * PAGE_SIZE] = 1;
	expect("after touching two pages whose TLB entries were loaded",
	       a, a + size, 2);
	expect("a range with no page table", 0x40000000UL,
	       0x40000000UL + PGDIR_SIZE, 0);
	if (pgtable_stats.tables_allocated != tables)
		ex_fail(EX, "clear_young_ptes allocated %lu page tables",
			pgtable_stats.tables_allocated - tables);
	vfree(buf);
	mm_shutdown();
	ex_pass(EX, "clear_young_ptes counts and clears exactly the young "
		"ptes over two tables, keeps the other bits, allocates no "
		"table, and touched pages become young again");
}
