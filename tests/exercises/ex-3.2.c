/* ex-3.2.c -- exercise 3.2: min_free_kbytes and the watermarks of a
 * 256 MiB machine. */
#include "ex-kernel.h"

#define EX "3.2"

int main(void)
{
	static const char *const what[] = { "min_free_kbytes",
		"DMA pages_min", "DMA pages_low", "DMA pages_high",
		"Normal pages_min", "Normal pages_low", "Normal pages_high" };
	long got[7], want[7];

	ex_read_answer(EX, "seven numbers: min_free_kbytes, then pages_min, "
		       "pages_low and pages_high of DMA, then of Normal",
		       got, 7);
	ex_boot(EX, "mem=256M quiet init_steps=5");
	want[0] = (long)min_free_kbytes;
	for (int z = 0; z < 2; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		want[1 + 3 * z] = (long)zone->pages_min;
		want[2 + 3 * z] = (long)zone->pages_low;
		want[3 + 3 * z] = (long)zone->pages_high;
	}
	mm_shutdown();
	ex_compare(EX, what, got, want, 7);
	ex_pass(EX, "256 MiB: min_free_kbytes %ld; DMA %ld/%ld/%ld; Normal "
		"%ld/%ld/%ld", want[0], want[1], want[2], want[3], want[4],
		want[5], want[6]);
}
