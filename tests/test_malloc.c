/* test_malloc.c -- chapter 11: the user-space allocator inside the model's
 * tasks: every entry point and its edge cases, bins, coalescing, the top
 * and its trimming, realloc in place, alignment, misuse killing the task
 * with SIGABRT, and a random run checked block by block. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include "test.h"
#include <stdio.h>
#undef CU_ASSERT_EQUAL
#define CU_ASSERT_EQUAL(a,b) do { unsigned long _a=(unsigned long)(a), _b=(unsigned long)(b); if (_a!=_b) fprintf(stderr,"%d: %s = %#lx (%lu), want %#lx (%lu)\n", __LINE__, #a, _a,_a,_b,_b); CU_ASSERT(_a==_b); } while (0)

#define HEAP   0x0804E000UL      /* start_brk of a fresh task */
#define STATE  6944UL            /* the malloc_state at the heap's start */
#define V(p)   ptr_to_vaddr(p)

struct res { unsigned long v[32]; void *p[32]; int n; };

static void basics(void *arg)
{
	struct res *r = arg;
	void *a = um_malloc(24), *b = um_malloc(25), *z1 = um_malloc(0);
	void *z2 = um_malloc(0);

	r->v[0] = V(a);
	r->v[1] = V(b);
	r->v[2] = um_malloc_usable_size(a);
	r->v[3] = um_malloc_usable_size(b);
	r->v[4] = z1 && z2 && z1 != z2;
	r->v[5] = um_malloc_usable_size(z1);
	memset(a, 0xaa, 24);
	memset(b, 0xbb, 32);
	um_free(a);
	r->v[6] = V(um_malloc(20));              /* the same 32-byte chunk */
	um_free(NULL);
	r->v[7] = um_malloc_usable_size(NULL);
	r->v[8] = current->mm->brk;
	r->v[9] = ((unsigned char *)b)[31];
}

static void test_malloc_basics(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("basics");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, basics, &r), 0);
	/* 24 bytes: a 32-byte chunk, no smaller as a slot */
	CU_ASSERT_EQUAL(r.v[0], HEAP + STATE + 16);
	/* 25 bytes: a chunk would be 48, so a 32-byte slot, the first of
	 * a run on the next page, after the run's 80-byte header */
	CU_ASSERT_EQUAL(r.v[1], ((HEAP + STATE + 4095) & ~4095UL) + 80);
	CU_ASSERT_EQUAL(r.v[2], 24);
	CU_ASSERT_EQUAL(r.v[3], 32);
	CU_ASSERT_EQUAL(r.v[4], 1);
	CU_ASSERT_EQUAL(r.v[5], 16);                    /* malloc(0): a slot */
	CU_ASSERT_EQUAL(r.v[6], r.v[0]);
	CU_ASSERT_EQUAL(r.v[7], 0);
	/* the state, then the request plus 128 KiB of pad, in pages */
	CU_ASSERT_EQUAL(r.v[8], HEAP + STATE + 135168);
	CU_ASSERT_EQUAL(r.v[9], 0xbb);
	task_destroy(t);
	mm_shutdown();
}

static void errors(void *arg)
{
	struct res *r = arg;

	errno = 0;
	r->p[0] = um_malloc(SIZE_MAX);
	r->v[0] = (unsigned long)errno;
	errno = 0;
	r->p[1] = um_calloc(SIZE_MAX / 2, 3);
	r->v[1] = (unsigned long)errno;
	errno = 0;
	r->p[2] = um_reallocarray(NULL, 1UL << 33, 1UL << 33);
	r->v[2] = (unsigned long)errno;
	errno = 0;
	r->p[3] = um_memalign(64, SIZE_MAX - 100);
	r->v[3] = (unsigned long)errno;
	errno = 0;
	r->p[4] = um_aligned_alloc(24, 10);
	r->v[4] = (unsigned long)errno;
	void *m = (void *)1;
	r->v[5] = (unsigned long)um_posix_memalign(&m, 12, 10);
	r->v[6] = (unsigned long)um_posix_memalign(&m, 4, 10);
	r->p[5] = m;
	errno = 0;
	r->p[6] = um_malloc(PTRDIFF_MAX);
	r->v[7] = (unsigned long)errno;
	r->v[8] = (unsigned long)um_posix_memalign(&m, 64, SIZE_MAX / 2);
	errno = 0;
	r->p[7] = um_pvalloc(SIZE_MAX - 10);
	r->v[9] = (unsigned long)errno;
}

static void test_malloc_errors(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("errors");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, errors, &r), 0);
	for (int i = 0; i < 8; i++)
		CU_ASSERT_PTR_NULL(r.p[i == 5 ? 6 : i]);
	CU_ASSERT_EQUAL(r.v[0], ENOMEM);
	CU_ASSERT_EQUAL(r.v[1], ENOMEM);
	CU_ASSERT_EQUAL(r.v[2], ENOMEM);
	CU_ASSERT_EQUAL(r.v[3], ENOMEM);
	CU_ASSERT_EQUAL(r.v[4], EINVAL);
	CU_ASSERT_EQUAL(r.v[5], EINVAL);                 /* not a power of 2 */
	CU_ASSERT_EQUAL(r.v[6], EINVAL);                 /* < sizeof(void *) */
	CU_ASSERT_PTR_EQUAL(r.p[5], (void *)1);          /* untouched */
	CU_ASSERT_EQUAL(r.v[7], ENOMEM);
	CU_ASSERT_EQUAL(r.v[8], ENOMEM);
	CU_ASSERT_EQUAL(r.v[9], ENOMEM);
	task_destroy(t);
	mm_shutdown();
}

static void coalesce(void *arg)
{
	struct res *r = arg;
	char *a = um_malloc(100), *b = um_malloc(200), *c = um_malloc(300);
	char *guard = um_malloc(24);                   /* a chunk, not a slot */

	r->v[0] = V(guard) - V(a);                      /* 112 + 208 + 320 */
	um_free(a);
	um_free(c);
	um_free(b);                                     /* merges all three */
	char *all = um_malloc(640 - 8);
	r->v[1] = all == a;
	um_free(all);
	char *small = um_malloc(24);                    /* split from it */
	r->v[2] = small == a;
	char *rest = um_malloc(600 - 8);
	r->v[3] = V(rest) - V(a);
	(void)guard;
}

static void test_malloc_coalescing(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("coalesce");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, coalesce, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 640);
	CU_ASSERT_EQUAL(r.v[1], 1);
	CU_ASSERT_EQUAL(r.v[2], 1);
	CU_ASSERT_EQUAL(r.v[3], 32);
	task_destroy(t);
	mm_shutdown();
}

static void top_trim(void *arg)
{
	struct res *r = arg;
	struct um_malloc_stats s;
	char *small = um_malloc(24);            /* a chunk at the bottom */
	char *big[10];

	for (int i = 0; i < 10; i++) {          /* below the threshold */
		big[i] = um_malloc(100000);
		memset(big[i], 1, 100000);
	}
	r->v[0] = current->mm->brk;
	r->v[1] = get_mm_rss(current->mm);
	for (int i = 9; i >= 0; i--)
		um_free(big[i]);
	r->v[2] = current->mm->brk;
	r->v[3] = get_mm_rss(current->mm);
	um_malloc_stats(&s);
	r->v[4] = s.brk_calls;
	r->v[5] = s.heap_bytes;
	(void)small;
}

static void test_malloc_top_grows_and_trims(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("trim");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, top_trim, &r), 0);
	CU_ASSERT(r.v[0] > HEAP + 1000000);
	CU_ASSERT(r.v[1] >= 245);
	CU_ASSERT(r.v[2] < HEAP + STATE + 135168 + 4096);
	CU_ASSERT(r.v[3] < 40);                          /* pages came back */
	CU_ASSERT(r.v[4] >= 4);       /* state, first grow, growth, trim */
	CU_ASSERT_EQUAL(r.v[5], r.v[2] - HEAP - STATE);
	task_destroy(t);
	mm_shutdown();
}

/* A heap trimmed and then grown again raises its trim threshold, so that
 * a program working in phases keeps its memory: the first phase's end
 * trims, the second phase's start grows the heap and raises the
 * threshold to twice the trim plus the pad, and the second phase's end
 * does not trim. */
static void phases(void *arg)
{
	struct res *r = arg;
	struct um_malloc_stats s;
	char *guard = um_malloc(24), *b[200];

	for (int phase = 0; phase < 2; phase++) {
		for (int i = 0; i < 200; i++)
			memset(b[i] = um_malloc(2000), phase, 2000);
		r->v[phase * 4] = current->mm->brk;
		for (int i = 0; i < 200; i++)
			um_free(b[i]);
		r->v[phase * 4 + 1] = current->mm->brk;
		um_malloc_stats(&s);
		r->v[phase * 4 + 2] = s.trim_threshold;
	}
	(void)guard;
}

static void test_malloc_trim_threshold_adapts(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("phases");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, phases, &r), 0);
	CU_ASSERT(r.v[1] < r.v[0]);                     /* trimmed */
	CU_ASSERT_EQUAL(r.v[2], 128 * 1024);            /* not yet raised */
	CU_ASSERT_EQUAL(r.v[4], r.v[0]);                /* grown again */
	/* twice (what the trim gave back + the 128 KiB pad) */
	CU_ASSERT_EQUAL(r.v[6], 2 * (r.v[0] - r.v[1] + 128 * 1024));
	CU_ASSERT_EQUAL(r.v[5], r.v[4]);                /* kept */
	task_destroy(t);
	mm_shutdown();
}

/* A large block freed in the middle of the heap: its whole pages are
 * released with madvise, not at the free, but when the heap is about to
 * grow while dirty memory is over an eighth of it; its neighbours keep
 * their bytes, and the chunk is reused. */
static void middle_release(void *arg)
{
	struct res *r = arg;
	struct um_malloc_stats s;
	char *a = um_malloc(100000), *b = um_malloc(100);
	char *c = um_malloc(100000), *d = um_malloc(100), *e;
	unsigned long lo = ((unsigned long)a + 16 + 4095) & ~4095UL;
	unsigned long hi = ((unsigned long)a + 100000) & ~4095UL;

	memset(a, 1, 100000), memset(b, 2, 100);
	memset(c, 3, 100000), memset(d, 4, 100);
	r->v[0] = get_mm_rss(current->mm);
	um_free(a);
	r->v[1] = get_mm_rss(current->mm);
	um_malloc_stats(&s);
	r->v[2] = s.release_calls;
	e = um_malloc(120000);              /* more than the top holds */
	um_malloc_stats(&s);
	r->v[3] = s.release_calls;
	r->v[4] = get_mm_rss(current->mm);
	r->v[5] = (hi - lo) / 4096;
	r->v[6] = b[99] == 2 && c[0] == 3 && c[99999] == 3 && d[0] == 4;
	r->v[7] = um_malloc(100000) == a;
	memset(a, 5, 100000);
	r->v[8] = get_mm_rss(current->mm) - r->v[4];
	r->v[9] = c[50000] == 3 && b[0] == 2 && e != NULL;
}

static void test_malloc_releases_the_middle(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("release");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, middle_release, &r), 0);
	CU_ASSERT_EQUAL(r.v[1], r.v[0]);            /* not at the free */
	CU_ASSERT_EQUAL(r.v[2], 0);
	CU_ASSERT_EQUAL(r.v[3], 1);                 /* when the heap grew */
	CU_ASSERT_EQUAL(r.v[5], 24);
	CU_ASSERT(r.v[4] <= r.v[0] - r.v[5] + 1);   /* + the new top's page */
	CU_ASSERT_EQUAL(r.v[6], 1);
	CU_ASSERT_EQUAL(r.v[7], 1);
	CU_ASSERT_EQUAL(r.v[8], r.v[5]);            /* refaulted on reuse */
	CU_ASSERT_EQUAL(r.v[9], 1);
	task_destroy(t);
	mm_shutdown();
}

/* A heap block of 64 KiB or more that realloc must move goes to a
 * mapping of its own, below the mmap threshold, and grows by mremap. */
static void moved_to_mapping(void *arg)
{
	struct res *r = arg;
	struct um_malloc_stats s0, s1, s2;
	char *a = um_malloc(70000), *fence = um_malloc(24), *b;

	for (int i = 0; i < 70000; i++)
		a[i] = (char)(i * 7);
	um_malloc_stats(&s0);
	b = um_realloc(a, 80000);
	um_malloc_stats(&s1);
	r->v[0] = s1.mmap_calls - s0.mmap_calls;
	r->v[1] = (unsigned long)b % 4096 == 16;     /* a chunk at a page */
	b = um_realloc(b, 200000);
	um_malloc_stats(&s2);
	r->v[3] = s2.mremap_calls - s1.mremap_calls;
	r->v[4] = s2.mmap_calls - s1.mmap_calls;
	r->v[5] = 1;
	for (int i = 0; i < 70000; i++)
		if (b[i] != (char)(i * 7))
			r->v[5] = 0;
	r->v[6] = um_malloc(60000) == a;       /* the hole is reused */
	(void)fence;
}

static void test_malloc_moved_block_gets_a_mapping(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("move");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, moved_to_mapping, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 1);
	CU_ASSERT_EQUAL(r.v[1], 1);
	CU_ASSERT_EQUAL(r.v[3], 1);
	CU_ASSERT_EQUAL(r.v[4], 0);
	CU_ASSERT_EQUAL(r.v[5], 1);
	CU_ASSERT_EQUAL(r.v[6], 1);
	task_destroy(t);
	mm_shutdown();
}

/* The size at which a moving block goes to a mapping is MOVE_TO_MAP,
 * 16 KiB: a 16000-byte block that must move stays in the heap, a
 * 17000-byte one gets a mapping; and a mapped block that keeps growing
 * is remapped to half as much again, so that its next growth needs no
 * mremap at all. */
static void move_threshold(void *arg)
{
	struct res *r = arg;
	struct um_malloc_stats s0, s1, s2;
	char *a = um_malloc(15000), *fa = um_malloc(24);
	char *b = um_malloc(16200), *fb = um_malloc(24);

	um_malloc_stats(&s0);
	a = um_realloc(a, 16000);                       /* 16008 < 16384 */
	b = um_realloc(b, 17000);
	um_malloc_stats(&s1);
	r->v[0] = ptr_to_vaddr(a) < current->mm->brk;
	r->v[1] = ptr_to_vaddr(b) > current->mm->brk;
	r->v[2] = s1.mmap_calls - s0.mmap_calls;
	b = um_realloc(b, 20000);       /* still fits its 5 pages */
	b = um_realloc(b, 32000);       /* 8 needed: remapped to 12 */
	b = um_realloc(b, 45000);       /* fits in the 12 */
	um_malloc_stats(&s2);
	r->v[3] = s2.mremap_calls - s1.mremap_calls;
	r->v[4] = um_malloc_usable_size(b);
	(void)fa, (void)fb;
}

static void test_malloc_move_threshold(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("move16");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, move_threshold, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 1);
	CU_ASSERT_EQUAL(r.v[1], 1);
	CU_ASSERT_EQUAL(r.v[2], 1);
	CU_ASSERT_EQUAL(r.v[3], 1);
	CU_ASSERT_EQUAL(r.v[4], 12 * 4096 - 16);
	task_destroy(t);
	mm_shutdown();
}

static void reallocs(void *arg)
{
	struct res *r = arg;
	unsigned char *a = um_malloc(100);

	for (int i = 0; i < 100; i++)
		a[i] = (unsigned char)i;
	r->p[0] = a;
	r->p[1] = um_realloc(a, 5000);                  /* next is top */
	r->p[2] = um_realloc(r->p[1], 50);              /* shrinks in place */
	r->p[3] = um_realloc(r->p[2], 50);              /* the same */
	char *blocker = um_malloc(10);
	r->p[4] = um_realloc(r->p[3], 8000);            /* must move */
	unsigned char *p = r->p[4];
	r->v[0] = 1;
	for (int i = 0; i < 50; i++)
		if (p[i] != i)
			r->v[0] = 0;
	r->p[5] = um_realloc(NULL, 10);
	r->p[6] = um_realloc(r->p[5], 0);
	r->v[1] = um_malloc_usable_size(r->p[4]);
	(void)blocker;
}

static void test_malloc_realloc(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("realloc");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, reallocs, &r), 0);
	CU_ASSERT_PTR_EQUAL(r.p[1], r.p[0]);
	CU_ASSERT_PTR_EQUAL(r.p[2], r.p[0]);
	CU_ASSERT_PTR_EQUAL(r.p[3], r.p[0]);
	CU_ASSERT(r.p[4] != r.p[0]);
	CU_ASSERT_EQUAL(r.v[0], 1);
	CU_ASSERT_PTR_NOT_NULL(r.p[5]);
	CU_ASSERT_PTR_NULL(r.p[6]);
	CU_ASSERT_EQUAL(r.v[1], 8008);
	task_destroy(t);
	mm_shutdown();
}

static void aligned(void *arg)
{
	struct res *r = arg;

	r->v[0] = 1;
	for (size_t al = 1; al <= 65536; al *= 2) {
		for (size_t n = 0; n < 3000; n += 999) {
			char *m = um_memalign(al, n);
			if (!m || (uintptr_t)m % (al < 16 ? 16 : al)
			    || um_malloc_usable_size(m) < n)
				r->v[0] = 0;
			memset(m, 7, n);
			if (n == 1998 && al == 4096) {
				char *g = um_realloc(m, 20000);
				for (size_t i = 0; i < n; i++)
					if (g[i] != 7)
						r->v[0] = 0;
				m = g;
			}
			um_free(m);
		}
	}
	void *m;
	r->v[1] = (unsigned long)um_posix_memalign(&m, 256, 10);
	r->v[2] = (uintptr_t)m % 256;
	r->v[3] = (uintptr_t)um_valloc(5) % 4096;
	char *pv = um_pvalloc(5);
	r->v[4] = (uintptr_t)pv % 4096;
	r->v[5] = um_malloc_usable_size(pv) >= 4096;
	r->v[6] = (uintptr_t)um_memalign(48, 10) % 64;   /* rounded up */
	r->v[7] = (uintptr_t)um_aligned_alloc(128, 1) % 128;
	r->v[8] = (uintptr_t)um_pvalloc(0) % 4096;
}

static void test_malloc_alignment(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("align");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, aligned, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 1);
	CU_ASSERT_EQUAL(r.v[1], 0);
	for (int i = 2; i < 5; i++)
		CU_ASSERT_EQUAL(r.v[i], 0);
	CU_ASSERT_EQUAL(r.v[5], 1);
	for (int i = 6; i < 9; i++)
		CU_ASSERT_EQUAL(r.v[i], 0);
	task_destroy(t);
	mm_shutdown();
}

static void calloc_zero(void *arg)
{
	struct res *r = arg;
	unsigned char *a = um_malloc(4000);

	memset(a, 0xff, 4000);
	um_free(a);
	unsigned char *c = um_calloc(1000, 4);          /* reuses a */
	r->v[0] = c == a;
	r->v[1] = 1;
	for (int i = 0; i < 4000; i++)
		if (c[i])
			r->v[1] = 0;
}

static void test_malloc_calloc_zeroes(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("calloc");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, calloc_zero, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 1);
	CU_ASSERT_EQUAL(r.v[1], 1);
	task_destroy(t);
	mm_shutdown();
}

/* Runs: a page of equal slots with no header each.  251 slots of 16
 * bytes fill one run exactly, the 252nd opens a second; slots are
 * reused lowest first; calloc clears a reused slot; realloc keeps a slot
 * that still fits and moves one that does not; memalign never returns a
 * slot; and empty runs go back to the heap when it consolidates. */
static void runs(void *arg)
{
	struct res *r = arg;
	struct um_malloc_stats s;
	static char *p[300];

	for (int i = 0; i < 252; i++)
		p[i] = um_malloc(16);
	r->v[0] = 1;
	for (int i = 1; i < 251; i++)
		if (p[i] != p[0] + 16 * i)
			r->v[0] = 0;
	r->v[1] = V(p[0]) % 4096;                       /* after the header */
	r->v[2] = V(p[251]) % 4096 == 80 && V(p[251]) != V(p[0]);
	um_malloc_stats(&s);
	r->v[3] = s.run_pages;
	memset(p[7], 0xee, 16);
	um_free(p[7]);
	um_free(p[9]);
	r->v[4] = um_malloc(1) == p[7];                 /* the lowest free */
	char *z = um_calloc(1, 16);
	r->v[5] = z == p[9] && z[0] == 0 && z[15] == 0;
	/* each class's usable size; 24, 40, ... stay chunks */
	r->v[6] = um_malloc_usable_size(um_malloc(41)) == 48
		  && um_malloc_usable_size(um_malloc(128)) == 128
		  && um_malloc_usable_size(um_malloc(40)) == 40;
	char *g = um_malloc(30);
	memcpy(g, "twenty-nine bytes of payload!", 30);
	r->v[7] = um_realloc(g, 32) == g && um_realloc(g, 10) == g;
	char *h = um_realloc(g, 128);                   /* a 128-byte slot */
	r->v[8] = h != g && !memcmp(h, "twenty-nine bytes of payload!", 30)
		  && um_malloc_usable_size(h) == 128;
	char *al = um_memalign(32, 16);
	r->v[9] = V(al) % 32 == 0 && um_malloc_usable_size(al) >= 16;
	for (int i = 0; i < 252; i++)
		if (i != 7 && i != 9)
			um_free(p[i]);
	um_free(p[7]);
	um_free(p[9]);
	um_malloc_stats(&s);
	r->v[10] = s.run_pages;                         /* kept, not freed */
	um_free(um_malloc(100000));             /* consolidates, from the heap */
	um_malloc_stats(&s);
	r->v[11] = s.run_pages;                 /* the 41-, 128-byte runs */
}

static void test_malloc_runs(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("runs");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, runs, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 1);
	CU_ASSERT_EQUAL(r.v[1], 80);
	CU_ASSERT_EQUAL(r.v[2], 1);
	CU_ASSERT_EQUAL(r.v[3], 2);
	CU_ASSERT_EQUAL(r.v[4], 1);
	CU_ASSERT_EQUAL(r.v[5], 1);
	CU_ASSERT_EQUAL(r.v[6], 1);
	CU_ASSERT_EQUAL(r.v[7], 1);
	CU_ASSERT_EQUAL(r.v[8], 1);
	CU_ASSERT_EQUAL(r.v[9], 1);
	CU_ASSERT_EQUAL(r.v[10], 5);
	CU_ASSERT_EQUAL(r.v[11], 2);
	task_destroy(t);
	mm_shutdown();
}

/* Misuse: each kind in a task of its own, which dies of SIGABRT with a
 * message; a bystander task's blocks are untouched. */
static char *keep;
static void double_free(void *arg)
{
	char *a = um_malloc(40);
	(void)um_malloc(40);
	um_free(a);
	um_free(a);
}
static void foreign_free(void *arg)
{
	static char x[64] __attribute__((aligned(16)));
	(void)um_malloc(1);
	um_free(x + 16);
}
static void middle_free(void *arg)
{
	char *a = um_malloc(100);
	(void)um_malloc(1);
	memset(a, 0, 100);
	um_free(a + 32);
}
static void overrun_free(void *arg)
{
	char *a = um_malloc(24), *b = um_malloc(24);

	memset(a, 'B', 24 + 8 + 3);                      /* into b's size */
	um_free(a);                                      /* a is fine */
	um_free(b);                                      /* b's size is not */
}
/* Misuse of slots in runs: known exactly from the run's bitmap. */
static void slot_double_free(void *arg)
{
	char *a = um_malloc(16);
	(void)um_malloc(16);
	um_free(a);
	um_free(a);
}
static void slot_middle_free(void *arg)
{
	char *a = um_malloc(64);
	(void)um_malloc(64);
	um_free(a + 16);
}
static void slot_stale_realloc(void *arg)
{
	char *a = um_malloc(48), *b = um_malloc(48);
	um_free(a);
	(void)b;
	(void)um_realloc(a, 100);
}
static void slot_header_free(void *arg)
{
	char *a = um_malloc(16);
	um_free((char *)((unsigned long)a & ~4095UL) + 32);  /* the header */
}
static void double_free_big(void *arg)
{
	char *a = um_malloc(4000);
	(void)um_malloc(40);
	um_free(a);
	um_free(a);
}
static void top_free(void *arg)
{
	char *a = um_malloc(4000);
	um_free(a);
	um_free(a);
}
/* Found by the fuzzer (tests/fuzz/corpus/syscalls/crash-free-unaligned):
 * the header of a misaligned pointer was read before its alignment was
 * checked, which UBSan reports as a misaligned load. */
static void unaligned_free(void *arg)
{
	char *a = um_malloc(40);
	um_free(a + 1);
}
static void unaligned_realloc(void *arg)
{
	char *a = um_malloc(40);
	(void)um_realloc(a + 2, 100);
}
static void bystander(void *arg)
{
	keep = um_malloc(1000);
	memset(keep, 0x5a, 1000);
}

static void test_malloc_misuse_aborts(void)
{
	static const struct { void (*fn)(void *); const char *msg; } m[] = {
		{ double_free, "free(): double free detected" },
		{ double_free_big, "free(): double free or corruption (!prev)" },
		{ foreign_free, "free(): invalid pointer" },
		{ middle_free, "free(): invalid size" },
		{ overrun_free, "free(): invalid pointer" },
		{ slot_double_free, "free(): double free detected" },
		{ slot_middle_free, "free(): invalid pointer" },
		{ slot_stale_realloc, "realloc(): double free detected" },
		{ slot_header_free, "free(): invalid pointer" },
		{ top_free, "free(): double free or corruption (top)" },
		{ unaligned_free, "free(): invalid pointer" },
		{ unaligned_realloc, "realloc(): invalid pointer" },
	};
	BOOT("mem=64M quiet");
	struct task *b = task_create("bystander");
	CU_ASSERT_EQUAL(task_run(b, bystander, NULL), 0);
	for (unsigned i = 0; i < sizeof m / sizeof m[0]; i++) {
		struct task *t = task_create("misuse");
		CU_ASSERT_EQUAL(task_run(t, m[i].fn, NULL), SIGABRT);
		CU_ASSERT_STRING_EQUAL(um_malloc_abort_message(), m[i].msg);
		task_destroy(t);
	}
	CU_ASSERT_EQUAL(task_run(b, bystander, NULL), 0);  /* still works */
	task_destroy(b);
	CU_ASSERT(oopses(um_malloc(1)));                 /* not in a task */
	mm_shutdown();
}

/* A long random run: every block filled with its own byte, checked before
 * it is freed or reallocated, and at the end. */
#define SLOTS 200
static void random_run(void *arg)
{
	struct res *r = arg;
	unsigned char *blk[SLOTS] = { 0 };
	size_t len[SLOTS] = { 0 };
	unsigned seed = 12345;

	r->v[0] = 1;
	for (int op = 0; op < 20000; op++) {
		seed = seed * 1103515245 + 12345;
		int i = (int)((seed >> 8) % SLOTS);
		size_t n = (seed >> 4) % 8 == 0 ? (seed >> 12) % 40000
						 : (seed >> 12) % 300;
		for (size_t k = 0; blk[i] && k < len[i]; k++)
			if (blk[i][k] != (unsigned char)i)
				r->v[0] = 0;
		if (blk[i] && (seed & 1)) {
			blk[i] = um_realloc(blk[i], n + 1);
		} else {
			um_free(blk[i]);
			blk[i] = um_malloc(n + 1);
		}
		len[i] = n + 1;
		if (!blk[i] || (uintptr_t)blk[i] % 16)
			r->v[0] = 0;
		else
			memset(blk[i], i, n + 1);
	}
	for (int i = 0; i < SLOTS; i++)
		um_free(blk[i]);
	/* a large request merges the fast lists; its free trims the top */
	um_free(um_malloc(100000));
	r->v[1] = current->mm->brk;
	struct um_malloc_stats s;
	um_malloc_stats(&s);
	r->v[2] = s.run_pages;
}

static void test_malloc_random_run(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("random");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, random_run, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 1);
	/* everything freed: the kept runs were given back when the large
	 * request consolidated, and the heap is trimmed to the pad again */
	CU_ASSERT(r.v[1] <= HEAP + STATE + 135168 + 4096);
	CU_ASSERT_EQUAL(r.v[2], 0);
	task_destroy(t);
	mm_shutdown();
}

static void heap_maps(void *arg)
{
	char *buf = arg;
	FILE *f = fmemopen(buf, 1024, "w");

	(void)um_malloc(300000);
	proc_show("/proc/1/maps", f);
	fclose(f);
}

static void test_malloc_maps_show_the_heap(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("maps");
	char buf[1024] = "";
	CU_ASSERT_EQUAL(task_run(t, heap_maps, buf), 0);
	/* 4768 bytes of state; the block is mapped on its own: 300024
	 * bytes in 74 pages */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "0804d000-08050000 rw-p 0804d000"
				      " 00:00 0          [heap]\n"
				      "40000000-4004a000 rw-p 40000000"));
	task_destroy(t);
	mm_shutdown();
}

/* Large blocks: a mapping each, unmapped at free, the threshold raised
 * by the free, mremap for realloc. */
static void large(void *arg)
{
	struct res *r = arg;
	struct um_malloc_stats s;
	unsigned char *a = um_malloc(200000);

	for (int i = 0; i < 200000; i++)
		a[i] = (unsigned char)i;
	r->v[0] = V(a);
	r->v[1] = current->mm->map_count;
	a = um_realloc(a, 400000);                      /* mremap */
	r->v[2] = a[199999] == (unsigned char)199999;
	r->v[3] = um_malloc_usable_size(a);
	um_free(a);
	r->v[4] = current->mm->map_count;
	um_malloc_stats(&s);
	r->v[5] = s.mmap_calls;
	r->v[6] = s.munmap_calls;
	r->v[7] = s.mremap_calls;
	r->v[8] = s.mmap_threshold;
	r->v[9] = s.mmapped_bytes;
	unsigned char *z = um_calloc(1, 300000);        /* now from the heap */
	r->v[10] = ptr_to_vaddr(z) < current->mm->brk && z[299999] == 0;
}

static void test_malloc_large_blocks_are_mapped(void)
{
	BOOT("mem=64M quiet");
	struct task *t = task_create("large");
	struct res r = { 0 };
	CU_ASSERT_EQUAL(task_run(t, large, &r), 0);
	CU_ASSERT_EQUAL(r.v[0], 0x40000010UL);
	CU_ASSERT_EQUAL(r.v[1], 5);                      /* one more VMA */
	CU_ASSERT_EQUAL(r.v[2], 1);
	/* 98 pages needed, remapped to half as much again */
	CU_ASSERT_EQUAL(r.v[3], 147 * 4096 - 16);
	CU_ASSERT_EQUAL(r.v[4], 4);                      /* unmapped */
	CU_ASSERT_EQUAL(r.v[5], 1);
	CU_ASSERT_EQUAL(r.v[6], 1);
	CU_ASSERT_EQUAL(r.v[7], 1);
	CU_ASSERT_EQUAL(r.v[8], 147 * 4096);             /* raised */
	CU_ASSERT_EQUAL(r.v[9], 0);
	CU_ASSERT_EQUAL(r.v[10], 1);
	task_destroy(t);
	mm_shutdown();
}

TEST_SUITE(malloc, "ch11 malloc", NULL, NULL,
	   { "basics: sizes, malloc(0), reuse, the break", test_malloc_basics },
	   { "errors: ENOMEM, EINVAL, overflow", test_malloc_errors },
	   { "coalescing both ways and splitting", test_malloc_coalescing },
	   { "the top grows with brk and is trimmed",
	     test_malloc_top_grows_and_trims },
	   { "a heap trimmed and grown again raises its trim threshold",
	     test_malloc_trim_threshold_adapts },
	   { "a large block freed in the middle gives its pages back",
	     test_malloc_releases_the_middle },
	   { "realloc moves a large heap block to a mapping of its own",
	     test_malloc_moved_block_gets_a_mapping },
	   { "realloc moves a block to a mapping from 16 KiB, with slack",
	     test_malloc_move_threshold },
	   { "realloc in place, moved, NULL and 0", test_malloc_realloc },
	   { "memalign and friends, every power of two",
	     test_malloc_alignment },
	   { "calloc clears a reused chunk", test_malloc_calloc_zeroes },
	   { "small blocks in runs: slots, reuse, realloc, give-back",
	     test_malloc_runs },
	   { "misuse kills the task with SIGABRT", test_malloc_misuse_aborts },
	   { "a random run, checked block by block", test_malloc_random_run },
	   { "/proc/PID/maps shows the heap", test_malloc_maps_show_the_heap },
	   { "large blocks: mmap, mremap, munmap, the dynamic threshold",
	     test_malloc_large_blocks_are_mapped })
