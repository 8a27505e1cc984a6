/* ex-13.1.c -- exercise 13.1: the frames that vmalloc(5000) and
 * kmalloc(5000, GFP_KERNEL) take on a freshly booted 64 MiB machine.
 *
 * An answer check: the true numbers are measured here, each on its own
 * fresh machine, and compared with answers/13.1.txt (two numbers, one
 * per line, vmalloc's first). */
#include <stdio.h>
#include <stdlib.h>
#include "model.h"

#define ANSWER "answers/13.1.txt"

/* Frames the buddy allocator lost to one call on a fresh machine. */
static long frames_taken(int use_vmalloc)
{
	unsigned long before;
	long taken;

	if (mm_boot("mem=64M quiet") < 0) {
		printf("FAIL 13.1: the model did not boot; run make test\n");
		exit(1);
	}
	before = nr_free_pages();
	if (!(use_vmalloc ? vmalloc(5000) : kmalloc(5000, GFP_KERNEL))) {
		printf("FAIL 13.1: the model returned NULL for a 5000-byte"
		       " request on a fresh machine; run make test\n");
		exit(1);
	}
	taken = (long)(before - nr_free_pages());
	mm_shutdown();
	return taken;
}

int main(void)
{
	long want_v = frames_taken(1), want_k = frames_taken(0), v, k;
	FILE *f = fopen(ANSWER, "r");

	if (!f || fscanf(f, "%ld %ld", &v, &k) != 2) {
		printf("FAIL 13.1: write your answer in " ANSWER ": two "
		       "numbers, one per line: the frames vmalloc(5000) "
		       "takes, then kmalloc(5000, GFP_KERNEL)\n");
		return 1;
	}
	fclose(f);
	if (v != want_v) {
		printf("FAIL 13.1: vmalloc(5000): you wrote %ld, which is "
		       "too %s; count its pages, its page array and its "
		       "vm_struct (both from kmalloc: does each cache need a "
		       "new slab?) and the pte table of a fresh vmalloc "
		       "area\n", v, v < want_v ? "few" : "many");
		return 1;
	}
	if (k != want_k) {
		printf("FAIL 13.1: kmalloc(5000): you wrote %ld, which is "
		       "too %s; which general cache serves 5000 bytes, how "
		       "many pages is its slab, and where is the slab's "
		       "descriptor?\n", k, k < want_k ? "few" : "many");
		return 1;
	}
	printf("PASS 13.1: vmalloc(5000) takes %ld frames and "
	       "kmalloc(5000, GFP_KERNEL) %ld on a fresh 64 MiB machine\n",
	       want_v, want_k);
	return 0;
}
