/* fragment.h -- break a machine's free memory into single pages, for the
 * tests and exercise checks that need a machine "in pieces": take every
 * page (the watermarks zeroed, so that the reserve goes too), then give
 * back those with an even frame number.  Half of memory is then free and
 * no two free pages are neighbours.  (Chapter 6's experiments do the
 * same with a shuffle, in fragment_memory.)  Returns 0, or -1 when the
 * host has no memory for the list. */
#ifndef FRAGMENT_H
#define FRAGMENT_H
#include <stdlib.h>
#include "model.h"

static inline int fragment_free_memory(void)
{
	struct page **taken = malloc(max_pfn * sizeof *taken);
	unsigned long n = 0;

	if (!taken)
		return -1;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		zone->pages_min = zone->pages_low = zone->pages_high = 0;
	}
	while (n < max_pfn && (taken[n] = alloc_page(GFP_KERNEL)) != NULL)
		n++;
	for (unsigned long i = 0; i < n; i++)
		if (page_to_pfn(taken[i]) % 2 == 0)
			__free_page(taken[i]);
	free(taken);
	return 0;
}
#endif
