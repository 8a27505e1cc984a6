/* ex-3.5.c -- exercise 3.5: a per-CPU list of order-0 pages.
 *
 * The list itself is the student's, so the check watches what it does to
 * the zone's free_pages, which counts only the buddy lists.  It first
 * allocates until one allocation takes a batch of 16 (the list was
 * empty, and now holds 15), then follows the list's count through a
 * sequence of allocations and frees and predicts free_pages after each.
 */
#include "ex-kernel.h"

#define EX    "3.5"
#define BATCH 16
#define HIGH  64
#define MAXP  400

static struct zone *normal;
static struct page *held[MAXP];
static int nheld;
static long count;                 /* the list's length, as we predict it */
static unsigned long predicted;    /* the zone's free_pages */

static void alloc_one(const char *when)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);

	if (!p || page_zone(p) != normal)
		ex_fail(EX, "%s: alloc_pages(GFP_KERNEL, 0) did not come "
			"from Normal", when);
	if (count == 0) {
		count = BATCH;
		predicted -= BATCH;
	}
	count--;
	held[nheld++] = p;
	if (normal->free_pages != predicted)
		ex_fail(EX, "%s: after an allocation that found %ld pages "
			"on the list, Normal's free_pages is %lu, not %lu",
			when, count + 1, normal->free_pages, predicted);
}

static void free_one(const char *when, struct page *p)
{
	__free_pages(p, 0);
	if (++count >= HIGH) {
		count -= BATCH;
		predicted += BATCH;
	}
	if (normal->free_pages != predicted)
		ex_fail(EX, "%s: after a free that brought the list to %ld "
			"pages, Normal's free_pages is %lu, not %lu", when,
			count, normal->free_pages, predicted);
}

/* Allocate until one allocation takes a whole batch from the buddy lists:
 * then the list was empty, and holds 15. */
static void synchronise(void)
{
	for (int i = 0; i <= HIGH; i++) {
		unsigned long before = normal->free_pages;
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		if (!p)
			ex_fail(EX, "alloc_pages(GFP_KERNEL, 0) failed");
		held[nheld++] = p;
		if (before - normal->free_pages == BATCH) {
			count = BATCH - 1;
			predicted = normal->free_pages;
			return;
		}
		if (before != normal->free_pages)
			ex_fail(EX, "an order-0 allocation took %lu page(s) from "
				"the buddy lists: with a per-CPU list it "
				"takes none, or a batch of %d when the list "
				"is empty", before - normal->free_pages,
				BATCH);
	}
	ex_fail(EX, "%d order-0 allocations never took a batch of %d "
		"pages from the buddy lists", HIGH + 1, BATCH);
}

int main(void)
{
	ex_boot(EX, "mem=64M quiet init_steps=5");
	normal = &contig_page_data.node_zones[ZONE_NORMAL];
	synchronise();
	while (nheld < 150)
		alloc_one("allocating 150 pages");
	struct page *x = held[--nheld];
	free_one("freeing one page", x);
	alloc_one("allocating one page again");
	if (held[nheld - 1] != x)
		ex_fail(EX, "a page freed and allocated again at once came "
			"back as pfn %lu, not pfn %lu: the list is LIFO, so "
			"the hottest page goes first",
			page_to_pfn(held[nheld - 1]), page_to_pfn(x));
	while (nheld > 0)
		free_one("freeing all 150", held[--nheld]);
	unsigned long before = normal->free_pages;
	struct page *two = alloc_pages(GFP_KERNEL, 1);
	if (!two || before - normal->free_pages != 2)
		ex_fail(EX, "an order-1 allocation must bypass the list and "
			"take exactly 2 pages from the buddy lists");
	__free_pages(two, 1);
	if (normal->free_pages != before)
		ex_fail(EX, "freeing an order-1 block must go straight back "
			"to the buddy lists");
	if (!buddy_check())
		ex_fail(EX, "buddy_check() fails with pages on the list");
	mm_shutdown();
	ex_pass(EX, "order-0 pages come and go through a LIFO list, in "
		"batches of %d, drained at %d; higher orders bypass it",
		BATCH, HIGH);
}
