/* ex-6.4.c -- exercise 6.4: a lazy vfree.
 *
 * Nine areas of 4 pages, each touched so that the TLB holds its pages,
 * are freed in turn.  The first eight (32 pages) must cost no TLB flush,
 * free their pages at once, vanish from find_vm_area, and keep their
 * addresses from reuse; the ninth takes the queue over 32 pages and
 * must flush, after which the first area's address is free again.
 */
#include "ex-kernel.h"

#define EX "6.4"
#define AREAS 9
#define PAGES 4

static void touch(char *p)
{
	for (int i = 0; i < PAGES; i++)
		((volatile char *)p)[i * PAGE_SIZE] = 1;
}

int main(void)
{
	char *a[AREAS], *c = NULL;
	unsigned long flushes, free_before, start;

	ex_boot(EX, "mem=64M quiet init_steps=5");
	for (int i = 0; i < AREAS; i++) {
		a[i] = vmalloc(PAGES * PAGE_SIZE);
		if (!a[i])
			ex_fail(EX, "vmalloc(%lu) failed", PAGES * PAGE_SIZE);
		touch(a[i]);
	}
	start = ptr_to_vaddr(a[0]);
	flushes = arch_stats.tlb_flushes;
	for (int i = 0; i < AREAS - 1; i++) {
		free_before = nr_free_pages();
		vfree(a[i]);
		if (arch_stats.tlb_flushes != flushes)
			ex_fail(EX, "vfree of area %d (%d pages queued) flushed "
				"the TLB %lu times; until the queue holds more "
				"than 32 pages it must not flush", i,
				(i + 1) * PAGES, arch_stats.tlb_flushes - flushes);
		if (nr_free_pages() < free_before + PAGES)
			ex_fail(EX, "vfree of area %d freed %lu pages, not %d: "
				"the pages go back at once, only the flush "
				"waits", i, nr_free_pages() - free_before, PAGES);
		if (find_vm_area(a[i]))
			ex_fail(EX, "find_vm_area still finds area %d after "
				"its vfree", i);
		if (i == 0) {
			dmesg_clear();
			vfree(a[0]);          /* a double vfree: WARN only */
			if (!strstr(dmesg(), "nonexistent vm area"))
				ex_fail(EX, "a second vfree of a queued area "
					"must WARN \"Trying to vfree() "
					"nonexistent vm area\"");
			c = vmalloc(PAGE_SIZE);
			if (!c)
				ex_fail(EX, "vmalloc(%lu) failed", PAGE_SIZE);
			if (ptr_to_vaddr(c) < start + (PAGES + 1) * PAGE_SIZE)
				ex_fail(EX, "vmalloc reused the address %08lx "
					"of an area whose TLB entries may still "
					"be live: a queued range must wait for "
					"the flush", ptr_to_vaddr(c));
		}
	}
	if (!tlb_lookup(start, NULL, NULL))
		ex_fail(EX, "the TLB no longer holds the first area's first "
			"page, yet nothing was flushed");
	vfree(a[AREAS - 1]);
	if (arch_stats.tlb_flushes == flushes)
		ex_fail(EX, "the vfree that took the queue to %d pages did not "
			"flush the TLB", AREAS * PAGES);
	if (tlb_lookup(start, NULL, NULL))
		ex_fail(EX, "after the purge the TLB still maps %08lx", start);
	char *d = vmalloc(PAGES * PAGE_SIZE);
	if (!d || ptr_to_vaddr(d) != start)
		ex_fail(EX, "after the purge vmalloc(%lu) should reuse the "
			"first hole, %08lx; it returned %08lx",
			PAGES * PAGE_SIZE, start, d ? ptr_to_vaddr(d) : 0);
	vfree(d);
	vfree(c);
	if (!buddy_check())
		ex_fail(EX, "buddy_check() fails");
	mm_shutdown();
	ex_pass(EX, "vfree queues 32 pages without a flush, keeps their "
		"addresses from reuse, and flushes once past 32");
}
