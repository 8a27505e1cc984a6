/* ex-11.9.c -- the check of exercise 11.9 (book/11-malloc.nw):
 * um_malloc_trim(pad), glibc's malloc_trim for the model's tasks.  It
 * merges the fast lists, then gives back to the system every whole page
 * of the top chunk beyond MINSIZE + pad bytes, whatever the trim
 * threshold; it returns 1 if the break moved down, 0 if not. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "11.9"

#include "ex-verdict.h"

int um_malloc_trim(size_t pad) __attribute__((weak));

#define MINSIZE 32UL          /* the allocator's smallest chunk */
#define FENCE   32UL          /* what lies past the top chunk */
#define PAGE    4096UL

struct run { const char *fail; };

static unsigned long brk_now(void)
{
	return (unsigned long)sys_brk(0);
}

/* The top chunk starts at top; after trimming with pad it must hold at
 * least MINSIZE + pad bytes and less than a page more. */
static bool trimmed_to(unsigned long top, unsigned long pad)
{
	unsigned long b = brk_now();

	return b >= top + MINSIZE + pad + FENCE
	       && b < top + MINSIZE + pad + FENCE + PAGE;
}

static void trims(void *arg)
{
	struct run *r = arg;
	struct um_malloc_stats st;
	char *keep = um_malloc(40), *p[200], *big;

	memset(keep, 'k', 40);
	for (int i = 0; i < 200; i++)
		p[i] = um_malloc(500);
	for (int i = 0; i < 200; i++)
		um_free(p[i]);
	um_malloc_stats(&st);
	unsigned long top = st.heap_start + 48, before = brk_now();
	unsigned long heap = st.heap_bytes;

	if (um_malloc_trim(0) != 1)
		r->fail = "um_malloc_trim(0) after 200 frees must return 1";
	else if (!trimmed_to(top, 0))
		r->fail = "after um_malloc_trim(0) the break must lie less "
			  "than a page above the top chunk's MINSIZE bytes "
			  "(merge the fast lists first)";
	else if (um_malloc_stats(&st), st.heap_bytes != heap - (before
							- brk_now()))
		r->fail = "heap_bytes must fall by what was given back";
	else if (um_malloc_trim(0) != 0)
		r->fail = "a second um_malloc_trim(0) must return 0";
	else if (!(big = um_malloc(100000)) || (um_free(big), 0))
		r->fail = "um_malloc must grow the heap again after a trim";
	else if (um_malloc_trim(65536) != 1 || !trimmed_to(top, 65536))
		r->fail = "um_malloc_trim(65536) must keep 65536 bytes more "
			  "than MINSIZE in the top chunk, and less than a "
			  "page over";
	else if (memcmp(keep, "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", 40))
		r->fail = "a block in use changed";
}

/* Whether a weak symbol is defined (through a volatile, so that the
 * compiler does not call the test always true once a header declares
 * the symbol). */
static bool exists(const void *p)
{
	const void *volatile q = p;

	return q != NULL;
}

int main(void)
{
	struct run r = { NULL };
	struct task *t;

	atexit(no_verdict);
	if (!exists((const void *)um_malloc_trim)) {
		say("FAIL 11.9: um_malloc_trim does not exist yet: declare "
		       "int um_malloc_trim(size_t pad) in umalloc.h\n");
		return 1;
	}
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex119"))) {
		say("FAIL 11.9: the model does not boot\n");
		return 1;
	}
	int sig = task_run(t, trims, &r);
	task_destroy(t);
	mm_shutdown();
	if (sig || r.fail) {
		say("FAIL 11.9: %s\n", r.fail ? r.fail
		       : "the task died: was the heap left consistent?");
		return 1;
	}
	say("PASS 11.9: um_malloc_trim merges the fast lists, keeps "
	       "MINSIZE + pad in the top chunk, and says what it did\n");
	return 0;
}
