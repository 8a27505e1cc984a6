/* ex-11.8.c -- the check of exercise 11.8 (book/11-malloc.nw): where
 * um_malloc puts seven blocks, given the frees between them.  The
 * model's allocator computes the true answer; answers/11.8.txt holds
 * the student's: each block's offset from the heap's first chunk, or
 * "mmap". */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "11.8"

#include "ex-verdict.h"

#define FORMAT "seven lines, a to g: the block's offset in bytes from " \
	       "the heap's first chunk, or mmap"

struct where { char line[7][32]; };

/* The sequence of the exercise. */
static void seven_blocks(void *arg)
{
	struct where *w = arg;
	struct um_malloc_stats st;
	char *p[7];

	p[0] = um_malloc(1);
	p[1] = um_malloc(100);
	p[2] = um_malloc(1000);
	p[3] = um_malloc(24);
	um_free(p[1]);
	p[4] = um_malloc(100);
	um_free(p[2]);
	p[5] = um_malloc(500);
	p[6] = um_malloc(200000);
	um_malloc_stats(&st);
	for (int i = 0; i < 7; i++) {
		unsigned long a = ptr_to_vaddr(p[i]);

		if (a >= st.heap_start && a < st.heap_start + st.heap_bytes)
			snprintf(w->line[i], sizeof w->line[i], "%lu",
				 a - st.heap_start);
		else
			strcpy(w->line[i], "mmap");
	}
}

int main(void)
{
	struct where w;
	char got[7][64];
	int n = 0;
	struct task *t;
	FILE *f = fopen("answers/11.8.txt", "r");

	atexit(no_verdict);
	if (!f) {
		say("FAIL 11.8: write your answer in answers/11.8.txt: "
		       FORMAT "\n");
		return 1;
	}
	while (n < 7 && fscanf(f, "%63s", got[n]) == 1)
		n++;
	fclose(f);
	if (n < 7) {
		say("FAIL 11.8: answers/11.8.txt holds %d answers: "
		       FORMAT "\n", n);
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex118"))
	    || task_run(t, seven_blocks, &w)) {
		say("FAIL 11.8: the model's task does not run\n");
		return 1;
	}
	task_destroy(t);
	mm_shutdown();
	for (int i = 0; i < 7; i++)
		if (strcmp(got[i], w.line[i])) {
			say("FAIL 11.8: block %c is not at %s: which list "
			       "or bin does its chunk come from?\n", 'a' + i,
			       got[i]);
			return 1;
		}
	say("PASS 11.8: where um_malloc put the seven blocks\n");
	return 0;
}
