/* ex-12.8.c -- the check of exercise 12.8 (book/12-pressure.nw): 2.6.17's
 * swap clusters.  On an area of 1024 usable slots, all taken and then
 * freed so that slots 1..511 have single holes (the odd ones) and
 * 513..1024 are free, 256 calls of get_swap_page in a row must give the
 * first run of 256 free slots, 513..768, not the holes; the next 256
 * the run after it, 769..1024; and with no free run of 256 left, a call
 * must still find a free slot, the first one, 1. */
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "12.8"

#include "ex-verdict.h"

/* 256 allocations in a row must give first, first + 1, ... */
static int run_of_256(unsigned long first, const char *when)
{
	for (unsigned long i = 0; i < 256; i++) {
		swp_entry_t e = get_swap_page();

		if (swp_offset(e) != first + i)
			return verdict(0, "%s, allocation %lu of 256 in a row got "
				   "slot %lu, not %lu: look for a run of 256 "
				   "free slots (SWAPFILE_CLUSTER) when a "
				   "cluster is used up, as 2.6.17's "
				   "scan_swap_map does", when, i + 1,
				   swp_offset(e), first + i);
	}
	return 0;
}

int main(void)
{
	atexit(no_verdict);
	/* 1025 slots: slot 0 (the header) and 1024 usable, four clusters */
	if (mm_boot("mem=16M swap=4198400 quiet") < 0 || total_swap_pages
	    != 1024)
		return verdict(0, "the model does not boot with 1024 slots of "
			   "swap");
	for (unsigned long off = 1; off <= 1024; off++)
		if (swp_offset(get_swap_page()) != off)
			return verdict(0, "filling an empty area must give slots "
				   "1, 2, ..., 1024 in order; slot %lu was "
				   "not next", off);
	if (get_swap_page().val)
		return verdict(0, "a full area must give no slot (entry 0)");
	for (unsigned long off = 1; off <= 1024; off++)
		if ((off < 512 && off % 2) || off > 512)
			swap_free(swp_entry(0, off));
	if (run_of_256(513, "with single holes at 1, 3, ..., 511")
	    || run_of_256(769, "after the first run"))
		return 1;
	if (swp_offset(get_swap_page()) != 1)
		return verdict(0, "with no free run of 256 left, get_swap_page "
			   "must still give the first free slot, 1");
	for (unsigned long off = 1; off <= 1024; off++)
		if (swap_info[0].swap_map[off])
			swap_free(swp_entry(0, off));
	if (swap_info[0].inuse_pages || nr_swap_pages != 1024
	    || swap_check())
		return verdict(0, "after every slot was freed, inuse_pages is "
			   "%lu and nr_swap_pages %lu (want 0 and 1024), "
			   "or swap_check complained (above)",
			   swap_info[0].inuse_pages, nr_swap_pages);
	mm_shutdown();
	return verdict(1, "256 slots in a row fill a free cluster (513..768, "
		   "then 769..1024), past 256 single holes, and a full "
		   "search falls back to the first free slot");
}
