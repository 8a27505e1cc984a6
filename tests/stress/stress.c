/* stress.c -- the randomized whole-model stress run of issue 13.
 *
 *   build/stress --seed N --ops N --check-every N [--swap|--no-swap] [--verbose]
 *
 * A seedable random mix of operations across every interface of the book:
 * the buddy allocator, slab caches and kmalloc, vmalloc, vmap and kmap,
 * tasks (create, fork, run, destroy), brk, mmap, munmap, mprotect, mremap,
 * madvise, msync, mlock, file read, write and truncate, chapter 11's
 * malloc inside tasks, and memory pressure (small machines, reclaim,
 * swap on half the machines, the OOM killer; --swap or --no-swap to
 * change that).  Every --check-every operations, at the end of every
 * machine and at the end, model_check() (book/95-invariants.nw)
 * verifies the whole model, and the program
 * compares every byte it wrote (a shadow copy of each task's memory, each
 * file and each kernel allocation) with what the model holds.
 *
 * A test, not book code: it only uses the model's interfaces.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model.h"

#define PS            PAGE_SIZE
#define MAX_TASKS     8
#define MAX_REGIONS   16
#define MAX_BLOCKS    48
#define NFILES        4
#define FILE_CAP      (96 * PS)
#define MAX_KOBJ      256
#define MAX_PAGES     96
#define MAX_VMAS      24
#define MAX_CACHES    4
#define MAX_KMAPS     6

/* ------------------------------------------------------------ random */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}
static unsigned long rn(unsigned long n) { return n ? rnd() % n : 0; }
static bool chance(unsigned pct) { return rn(100) < pct; }

/* ------------------------------------------------------------ reports */
static unsigned long violations, op_no;
static const char *op_name;
static bool verbose;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	violations++;
	if (violations > 50)
		return;
	fprintf(stderr, "stress: violation at operation %lu (%s): ", op_no,
		op_name ? op_name : "-");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------ shadows */
enum rkind { R_ANON, R_HEAP, R_FSHARED, R_FPRIV };

struct region {
	unsigned long start, npages;
	enum rkind kind;
	int file;                       /* R_FSHARED, R_FPRIV */
	unsigned long pgoff;
	uint8_t *prot;                  /* per page: PROT_* */
	uint8_t *data;                  /* R_ANON, R_HEAP: the bytes */
};

struct block { char *p; size_t size; uint8_t seed; };

struct stask {
	struct task *t;
	bool malloc_task;               /* uses um_malloc, never brk */
	int nreg;
	struct region reg[MAX_REGIONS];
	int fd[NFILES];                 /* -1: not open */
	int nblocks;
	struct block blocks[MAX_BLOCKS];
};

struct sfile { char name[8]; unsigned long size; uint8_t data[FILE_CAP]; };

static struct stask tasks[MAX_TASKS];
static int ntasks;
static struct sfile files[NFILES];

struct kobj { void *p; size_t size; uint8_t seed; int cache; };
static struct kobj kmallocs[MAX_KOBJ], vmallocs[MAX_VMAS];
static int nkmallocs, nvmallocs;
struct kpage { struct page *page; unsigned order; uint8_t seed; int kmaps; };
static struct kpage kpages[MAX_PAGES];
static int nkpages;
struct vmapping { void *addr; int page[4]; int n; };
static struct vmapping vmaps[8];
static int nvmaps;
static int live;                  /* kmaps held */
struct scache { struct kmem_cache *c; size_t size; int nobj; char name[24];
		struct kobj obj[64]; };
static struct scache caches[MAX_CACHES];

/* Counters per operation kind, for the summary. */
#define OPS(X) X(alloc_pages) X(free_pages) X(kmalloc) X(kfree)          \
	X(cache_create) X(cache_alloc) X(cache_free) X(cache_destroy)    \
	X(vmalloc) X(vfree) X(vmap) X(vunmap) X(kmap) X(kunmap)          \
	X(task_create) X(task_fork) X(task_destroy) X(brk) X(mmap)       \
	X(munmap) X(mprotect) X(mremap) X(madvise) X(msync) X(mlock)     \
	X(touch_write) X(touch_read) X(fill) X(file_write) X(file_read)  \
	X(truncate) X(malloc) X(free) X(realloc) X(bad_args) X(segv)     \
	X(hog)
#define ENUM(n) OP_##n,
#define NAME(n) #n,
enum { OPS(ENUM) NR_OPS };
static const char *op_names[] = { OPS(NAME) };
static unsigned long op_count[NR_OPS];
static unsigned long killed_oom, killed_other, checks, machines;
static unsigned long oom_kills, pages_reclaimed, direct_reclaims;
static unsigned long swapped_out, swapped_in;
static bool small_machine;        /* 16M to 32M: pressure expected */

static uint8_t pattern(uint8_t seed, size_t i)
{
	return (uint8_t)(seed + i * 7 + (i >> 8));
}
static void fill_pattern(void *p, size_t n, uint8_t seed)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = pattern(seed, i);
}
static bool check_pattern(const void *p, size_t n, uint8_t seed)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != pattern(seed, i))
			return false;
	return true;
}

/* ------------------------------------------------------------ regions */
static struct region *add_region(struct stask *s, unsigned long start,
				 unsigned long npages, enum rkind kind,
				 int prot)
{
	struct region *r = &s->reg[s->nreg++];

	memset(r, 0, sizeof *r);
	r->start = start;
	r->npages = npages;
	r->kind = kind;
	r->file = -1;
	r->prot = malloc(npages ? npages : 1);
	memset(r->prot, prot, npages);
	if (kind == R_ANON || kind == R_HEAP)
		r->data = calloc(npages ? npages : 1, PS);
	return r;
}

static void free_region_mem(struct region *r)
{
	free(r->prot);
	free(r->data);
	r->prot = NULL;
	r->data = NULL;
}

static void drop_region(struct stask *s, int i)
{
	free_region_mem(&s->reg[i]);
	s->reg[i] = s->reg[--s->nreg];
}

/* Keep pages [from, to) of region i only: the others went away. */
static void trim_region(struct stask *s, int i, unsigned long from,
			unsigned long to)
{
	struct region *r = &s->reg[i];
	uint8_t *prot = malloc(to - from ? to - from : 1);

	memcpy(prot, r->prot + from, to - from);
	if (r->data) {
		uint8_t *d = malloc((to - from ? to - from : 1) * PS);
		memcpy(d, r->data + from * PS, (to - from) * PS);
		free(r->data);
		r->data = d;
	}
	free(r->prot);
	r->prot = prot;
	r->start += from * PS;
	r->pgoff += from;
	r->npages = to - from;
	if (!r->npages)
		drop_region(s, i);
}

/* Pages [a, b) of region i are gone: keep what is left, in up to two
 * regions. */
static void punch_region(struct stask *s, int i, unsigned long a,
			 unsigned long b)
{
	struct region *r = &s->reg[i];

	if (a > 0 && b < r->npages) {
		struct region *hi = &s->reg[s->nreg++];
		*hi = *r;
		hi->prot = malloc(r->npages);
		memcpy(hi->prot, r->prot, r->npages);
		if (r->data) {
			hi->data = malloc(r->npages * PS);
			memcpy(hi->data, r->data, r->npages * PS);
		}
		trim_region(s, s->nreg - 1, b, hi->npages);
		trim_region(s, i, 0, a);
	} else if (a > 0) {
		trim_region(s, i, 0, a);
	} else {
		trim_region(s, i, b, r->npages);
	}
}

static bool overlaps_any(struct stask *s, unsigned long start,
			 unsigned long npages)
{
	for (int i = 0; i < s->nreg; i++) {
		struct region *r = &s->reg[i];

		if (start < r->start + r->npages * PS
		    && r->start < start + npages * PS)
			return true;
	}
	return false;
}

/* The shadow bytes of page p of a region, or NULL past a file's end. */
static uint8_t *shadow_byte(struct region *r, unsigned long off)
{
	if (r->data)
		return r->data + off;
	unsigned long foff = r->pgoff * PS + off;
	if (foff >= files[r->file].size)
		return NULL;
	return files[r->file].data + foff;
}

/* ------------------------------------------------------------ tasks */
static void forget_task(int i)
{
	struct stask *s = &tasks[i];

	while (s->nreg)
		drop_region(s, 0);
	tasks[i] = tasks[--ntasks];
}

/* A task that died (the OOM killer, or a signal) loses its shadow. */
static void reap_dead(void)
{
	for (int i = 0; i < ntasks; i++) {
		struct task *t = tasks[i].t;

		if (t->state == TASK_RUNNING)
			continue;
		if (t->exit_code == SIGKILL)
			killed_oom++;
		else
			killed_other++;
		task_destroy(t);
		forget_task(i--);
	}
}

/* What a task body does, and what it got back. */
static struct job {
	int op;
	unsigned long a, b, c, d, e;
	long ret, ret2;
	uint8_t *buf;
	size_t len;
	struct stask *s;
} job;
static uint8_t iobuf[4 * PAGE_SIZE];
static uint8_t cmpbuf[4 * PAGE_SIZE];

static void verify_task_body(void *arg);

static long task_open(struct stask *s, int f)
{
	if (s->fd[f] < 0) {
		long fd = sys_open(files[f].name, O_RDWR | O_CREAT, 0644);

		if (fd < 0)
			return fd;
		s->fd[f] = (int)fd;
	}
	return s->fd[f];
}

static void task_body_files(void)
{
	long fd = task_open(job.s, (int)job.a);

	if (fd < 0) {
		job.ret = fd;
		return;
	}
	switch (job.op) {
	case OP_file_write:
		sys_lseek((unsigned)fd, (long)job.b, SEEK_SET);
		job.ret = sys_write((unsigned)fd, vaddr_to_ptr(job.c), job.d);
		break;
	case OP_file_read:
		sys_lseek((unsigned)fd, (long)job.b, SEEK_SET);
		job.ret = sys_read((unsigned)fd, vaddr_to_ptr(job.c), job.d);
		break;
	case OP_truncate:
		job.ret = sys_ftruncate((unsigned)fd, job.b);
		break;
	case OP_mmap:
		job.ret = sys_mmap(0, job.b, job.c, job.d, (unsigned long)fd,
				   job.e * PS);
		break;
	}
}

static void task_body_malloc(void)
{
	char *p = (char *)job.a;

	switch (job.op) {
	case OP_malloc:
		p = um_malloc(job.b);
		if (p)
			fill_pattern(p, job.b, (uint8_t)job.c);
		job.ret = (long)p;
		break;
	case OP_free:
		job.ret2 = check_pattern(p, job.b, (uint8_t)job.c);
		um_free(p);
		break;
	case OP_realloc:
		job.ret2 = check_pattern(p, job.b, (uint8_t)job.c);
		p = um_realloc(p, job.d);
		if (p) {
			if (!check_pattern(p, job.b < job.d ? job.b : job.d,
					   (uint8_t)job.c))
				job.ret2 = 0;
			fill_pattern(p, job.d, (uint8_t)job.e);
		}
		job.ret = (long)p;
		break;
	}
}

static void task_body(void *arg)
{
	(void)arg;
	switch (job.op) {
	case OP_brk:
		job.ret = sys_brk(job.a);
		break;
	case OP_mmap:
		job.ret = sys_mmap(job.a, job.b, job.c, job.d, job.e, 0);
		break;
	case OP_munmap:
		job.ret = sys_munmap(job.a, job.b);
		break;
	case OP_mprotect:
		job.ret = sys_mprotect(job.a, job.b, job.c);
		break;
	case OP_mremap:
		job.ret = sys_mremap(job.a, job.b, job.c, job.d, 0);
		break;
	case OP_madvise:
		job.ret = sys_madvise(job.a, job.b, (int)job.c);
		break;
	case OP_msync:
		job.ret = sys_msync(job.a, job.b, (int)job.c);
		break;
	case OP_mlock:
		job.ret = sys_mlock(job.a, job.b);
		job.ret2 = sys_munlock(job.c, job.d);
		break;
	case OP_touch_write:
		memcpy(vaddr_to_ptr(job.a), job.buf, job.len);
		break;
	case OP_touch_read:
	case OP_segv:
		memcpy(job.buf, vaddr_to_ptr(job.a), job.len);
		break;
	case OP_fill:
		for (unsigned long p = 0; p < job.b; p++)
			*(volatile uint8_t *)vaddr_to_ptr(job.a + p * PS) =
				(uint8_t)(job.c + p);
		break;
	case OP_file_write:
	case OP_file_read:
	case OP_truncate:
		task_body_files();
		break;
	case OP_malloc:
	case OP_free:
	case OP_realloc:
		task_body_malloc();
		break;
	case NR_OPS:                                /* a file mapping */
		job.op = OP_mmap;
		task_body_files();
		break;
	}
}

/* Run the job in task i.  Returns the task's index afterwards (other
 * tasks may have died meanwhile), or -1 if it died (its shadow is then
 * gone); a kernel oops inside the task is a violation. */
static int find_task(struct task *t);
static int run_job(int i)
{
	struct stask *s = &tasks[i];
	struct task *t = s->t;
	int sig = 0;

	job.s = s;
	job.ret = job.ret2 = 0;
	if (oopses(sig = task_run(s->t, task_body, NULL))) {
		fail("oops in %s[%d]: %s", s->t->comm, s->t->pid, last_oops());
		sig = -1;
	}
	if (sig) {
		if (sig != SIGKILL && job.op != OP_segv && sig != -1)
			fail("%s[%d] died of signal %d", s->t->comm, s->t->pid,
			     sig);
		reap_dead();
		return -1;
	}
	reap_dead();
	return find_task(t);
}

/* Compare one region's readable pages with its shadow. */
static void verify_region(struct stask *s, struct region *r)
{
	for (unsigned long p = 0; p < r->npages; p++) {
		unsigned long n = PS;
		uint8_t *want = shadow_byte(r, p * PS);

		if (!(r->prot[p] & PROT_READ) || !want)
			continue;
		if (!r->data) {
			unsigned long foff = (r->pgoff + p) * PS;
			if (files[r->file].size - foff < n)
				n = files[r->file].size - foff;
		}
		if (memcmp(vaddr_to_ptr(r->start + p * PS), want, n)) {
			const uint8_t *got = vaddr_to_ptr(r->start + p * PS);
			unsigned long k = 0;
			while (got[k] == want[k])
				k++;
			fail("%s[%d]: %08lx holds %02x, the task wrote %02x"
			     " (region %08lx+%lu pages, kind %d)", s->t->comm,
			     s->t->pid, r->start + p * PS + k, got[k], want[k],
			     r->start, r->npages, r->kind);
			return;
		}
	}
}

static void verify_task_body(void *arg)
{
	struct stask *s = arg;

	for (int i = 0; i < s->nreg; i++)
		verify_region(s, &s->reg[i]);
	for (int i = 0; i < s->nblocks; i++)
		if (!check_pattern(s->blocks[i].p, s->blocks[i].size,
				   s->blocks[i].seed))
			fail("%s[%d]: malloc block %08lx of %zu bytes changed",
			     s->t->comm, s->t->pid,
			     ptr_to_vaddr(s->blocks[i].p), s->blocks[i].size);
}

static void verify_one(struct task *t)
{
	volatile int i = find_task(t);
	int sig = 0;

	if (i < 0)
		return;
	if (oopses(sig = task_run(tasks[i].t, verify_task_body, &tasks[i])))
		fail("oops verifying: %s", last_oops());
	else if (sig && sig != SIGKILL)
		fail("%s[%d] died of signal %d while verified",
		     tasks[i].t->comm, tasks[i].t->pid, sig);
	reap_dead();
}

static void verify_tasks(void)
{
	struct task *list[MAX_TASKS];
	int n = ntasks;

	for (int k = 0; k < n; k++)
		list[k] = tasks[k].t;
	for (int k = 0; k < n; k++)
		verify_one(list[k]);
}

/* ------------------------------------------------------------ user ops */
static int pick_task(void) { return ntasks ? (int)rn(ntasks) : -1; }

static int find_task(struct task *t)
{
	for (int i = 0; i < ntasks; i++)
		if (tasks[i].t == t)
			return i;
	return -1;
}

static void op_task_create(void)
{
	char name[16];
	struct task *t;

	if (ntasks == MAX_TASKS)
		return;
	snprintf(name, sizeof name, "s%lu", op_no);
	if (!(t = task_create(name)))
		return;
	struct stask *s = &tasks[ntasks++];
	memset(s, 0, sizeof *s);
	s->t = t;
	s->malloc_task = chance(40);
	for (int f = 0; f < NFILES; f++)
		s->fd[f] = -1;
}

static void copy_stask(struct stask *to, const struct stask *from)
{
	*to = *from;
	for (int r = 0; r < to->nreg; r++) {
		struct region *d = &to->reg[r];
		const struct region *o = &from->reg[r];

		d->prot = malloc(o->npages ? o->npages : 1);
		memcpy(d->prot, o->prot, o->npages);
		if (o->data) {
			d->data = malloc((o->npages ? o->npages : 1) * PS);
			memcpy(d->data, o->data, o->npages * PS);
		}
	}
}

static void op_task_fork(int i)
{
	struct task *parent = tasks[i].t, *c;

	if (ntasks == MAX_TASKS)
		return;
	c = task_fork(parent);
	if (!c) {
		reap_dead();
		return;
	}
	if (parent->state != TASK_RUNNING || c->state != TASK_RUNNING) {
		task_destroy(c);              /* no shadow to give it */
		reap_dead();
		return;
	}
	copy_stask(&tasks[ntasks], &tasks[i]);
	tasks[ntasks++].t = c;
	snprintf(c->comm, sizeof c->comm, "f%lu", op_no);
	reap_dead();
}

static void op_task_destroy(int i)
{
	task_destroy(tasks[i].t);
	forget_task(i);
}

static int pick_region(struct stask *s, bool anon_only)
{
	int cand[MAX_REGIONS], n = 0;

	for (int i = 0; i < s->nreg; i++)
		if (!anon_only || s->reg[i].data)
			cand[n++] = i;
	return n ? cand[rn(n)] : -1;
}

/* A range of pages [*a, *b) of r, all with the protection bits want. */
static bool pick_range(struct region *r, int want, unsigned long maxp,
		       unsigned long *a, unsigned long *b)
{
	unsigned long p = rn(r->npages), q = p;

	while (q < r->npages && q - p < maxp && (r->prot[q] & want) == want)
		q++;
	*a = p;
	*b = q;
	return q > p;
}

static int random_prot(void)
{
	unsigned long x = rn(100);

	return x < 60 ? PROT_READ | PROT_WRITE : x < 85 ? PROT_READ : PROT_NONE;
}

static void new_mapping(int i, unsigned long ret, unsigned long npages,
			enum rkind kind, int prot, int file,
			unsigned long pgoff)
{
	struct stask *s = &tasks[i];

	if ((long)ret < 0)
		return;
	if ((ret & ~PAGE_MASK) || ret + npages * PS > TASK_SIZE
	    || overlaps_any(s, ret, npages)) {
		fail("mmap returned %08lx for %lu pages, over a mapping", ret,
		     npages);
		return;
	}
	struct region *r = add_region(s, ret, npages, kind, prot);
	r->file = file;
	r->pgoff = pgoff;
}

static void op_mmap(int i)
{
	struct stask *s = &tasks[i];
	unsigned long npages;
	int prot;

	if (s->nreg >= MAX_REGIONS - 1)
		return;
	if (chance(30)) {                          /* a file */
		int f = (int)rn(NFILES);
		bool shared = chance(60);
		unsigned long pgoff = rn(files[f].size / PS + 1);

		npages = 1 + rn(8);
		prot = shared && chance(70) ? PROT_READ | PROT_WRITE : PROT_READ;
		job = (struct job){ .op = NR_OPS, .a = (unsigned long)f,
				    .b = npages * PS, .c = (unsigned long)prot,
				    .d = shared ? MAP_SHARED : MAP_PRIVATE,
				    .e = pgoff };
		if ((i = run_job(i)) < 0)
			return;
		if (job.ret < 0 && job.ret != -ENOMEM)
			fail("file mmap: %ld", job.ret);
		new_mapping(i, (unsigned long)job.ret, npages,
				    shared ? R_FSHARED : R_FPRIV, prot, f,
				    pgoff);
		return;
	}
	npages = chance(small_machine ? 35 : 10) ? 64 + rn(448) : 1 + rn(16);
	prot = random_prot();
	job = (struct job){ .op = OP_mmap, .b = npages * PS,
			    .c = (unsigned long)prot,
			    .d = MAP_PRIVATE | MAP_ANONYMOUS, .e = -1UL };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if (job.ret < 0 && job.ret != -ENOMEM)
		fail("mmap: %ld", job.ret);
	new_mapping(i, (unsigned long)job.ret, npages, R_ANON, prot, -1, 0);
}

static void op_munmap(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, false);
	unsigned long a, b;

	if (r < 0 || tasks[i].reg[r].kind == R_HEAP)
		return;
	a = rn(s->reg[r].npages);
	b = a + 1 + rn(s->reg[r].npages - a);
	if (s->nreg == MAX_REGIONS || chance(50)) {
		a = 0;
		b = s->reg[r].npages;
	}
	job = (struct job){ .op = OP_munmap, .a = s->reg[r].start + a * PS,
			    .b = (b - a) * PS };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if (job.ret != 0)
		fail("munmap: %ld", job.ret);
	else
		punch_region(s, r, a, b);
}

static void op_mprotect(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, true);
	unsigned long a, b;
	int prot = random_prot();

	if (r < 0 || !s->reg[r].npages)
		return;
	pick_range(&s->reg[r], 0, 16, &a, &b);
	job = (struct job){ .op = OP_mprotect, .a = s->reg[r].start + a * PS,
			    .b = (b - a) * PS, .c = (unsigned long)prot };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if (job.ret == 0)
		memset(s->reg[r].prot + a, prot, b - a);
	else if (job.ret != -ENOMEM)
		fail("mprotect: %ld", job.ret);
}

static bool uniform_prot(struct region *r)
{
	for (unsigned long p = 1; p < r->npages; p++)
		if (r->prot[p] != r->prot[0])
			return false;
	return r->npages > 0;
}

static void op_mremap(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, true);
	unsigned long old, new;

	if (r < 0 || s->reg[r].kind != R_ANON || !uniform_prot(&s->reg[r]))
		return;
	old = s->reg[r].npages;
	new = 1 + rn(2 * old);
	job = (struct job){ .op = OP_mremap, .a = s->reg[r].start,
			    .b = old * PS, .c = new * PS, .d = MREMAP_MAYMOVE };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if (job.ret < 0) {
		/* -EAGAIN: a locked VMA may not grow past RLIMIT_MEMLOCK */
		if (job.ret != -ENOMEM && job.ret != -EFAULT
		    && job.ret != -EAGAIN)
			fail("mremap: %ld", job.ret);
		return;
	}
	struct region *o = &s->reg[r];
	uint8_t *data = calloc(new, PS);
	memcpy(data, o->data, (old < new ? old : new) * PS);
	int prot = o->prot[0];
	drop_region(s, r);
	if (overlaps_any(s, (unsigned long)job.ret, new)) {
		fail("mremap returned %08lx, over a mapping", job.ret);
		free(data);
		return;
	}
	struct region *n = add_region(s, (unsigned long)job.ret, new, R_ANON,
				      prot);
	free(n->data);
	n->data = data;
}

/* Linux's madvise works VMA by VMA and stops at the first that refuses:
 * MADV_DONTNEED refuses a locked VMA with -EINVAL after dropping the
 * pages of the VMAs before it.  Where does the dropping stop? */
static unsigned long dontneed_end(struct mm_struct *mm, unsigned long a,
				  unsigned long b)
{
	unsigned long end = a;

	for (struct vm_area_struct *v = mm->mmap; v && v->vm_start < b;
	     v = v->vm_next) {
		if (v->vm_end <= a)
			continue;
		if (v->vm_flags & VM_LOCKED)
			break;
		end = v->vm_end < b ? v->vm_end : b;
	}
	return end;
}

static void op_madvise(int i)
{
	static const int advice[] = { MADV_NORMAL, MADV_RANDOM,
		MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED };
	struct stask *s = &tasks[i];
	int r = pick_region(s, false), adv = advice[rn(5)];
	unsigned long a, b;

	if (r < 0 || !s->reg[r].npages)
		return;
	pick_range(&s->reg[r], 0, 16, &a, &b);
	job = (struct job){ .op = OP_madvise, .a = s->reg[r].start + a * PS,
			    .b = (b - a) * PS, .c = (unsigned long)adv };
	unsigned long end = dontneed_end(s->t->mm, job.a, job.a + job.b);
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if ((job.ret == 0 || job.ret == -EINVAL) && adv == MADV_DONTNEED
	    && s->reg[r].data)
		memset(s->reg[r].data + a * PS, 0, end - s->reg[r].start - a * PS);
	if (job.ret != 0 && job.ret != -EINVAL && job.ret != -EBADF)
		fail("madvise(%d): %ld", adv, job.ret);
}

static void op_msync(int i)
{
	static const int flags[] = { MS_SYNC, MS_ASYNC, MS_INVALIDATE,
		MS_SYNC | MS_INVALIDATE };
	struct stask *s = &tasks[i];
	int r = pick_region(s, false);
	unsigned long a, b;

	if (r < 0 || !s->reg[r].npages)
		return;
	pick_range(&s->reg[r], 0, 16, &a, &b);
	job = (struct job){ .op = OP_msync, .a = s->reg[r].start + a * PS,
			    .b = (b - a) * PS, .c = (unsigned long)flags[rn(4)] };
	if ((i = run_job(i)) < 0)
		return;
	if (job.ret != 0 && job.ret != -EBUSY)
		fail("msync(%lu): %ld", job.c, job.ret);
}

static void op_mlock(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, false), q = pick_region(s, false);
	unsigned long a, b, c, d;

	if (r < 0 || !s->reg[r].npages || !s->reg[q].npages)
		return;
	pick_range(&s->reg[r], 0, 4, &a, &b);
	pick_range(&s->reg[q], 0, 8, &c, &d);
	job = (struct job){ .op = OP_mlock, .a = s->reg[r].start + a * PS,
			    .b = (b - a) * PS, .c = s->reg[q].start + c * PS,
			    .d = (d - c) * PS };
	if ((i = run_job(i)) < 0)
		return;
	if (job.ret != 0 && job.ret != -EAGAIN && job.ret != -ENOMEM)
		fail("mlock: %ld", job.ret);
	if (job.ret2 != 0 && job.ret2 != -ENOMEM)
		fail("munlock: %ld", job.ret2);
}

/* Bytes [off, off + n) of region r that the task may touch: its file's
 * size bounds a file mapping. */
static unsigned long touchable(struct region *r, unsigned long off,
			       unsigned long n)
{
	if (r->data)
		return n;
	unsigned long foff = r->pgoff * PS + off, size = files[r->file].size;
	if (foff >= size)
		return 0;
	return size - foff < n ? size - foff : n;
}

static void op_touch(int i, bool write)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, false);
	unsigned long a, b, off, n;

	if (r < 0 || !s->reg[r].npages || (write && s->reg[r].kind == R_FPRIV))
		return;
	if (!pick_range(&s->reg[r], write ? PROT_READ | PROT_WRITE : PROT_READ,
			2, &a, &b))
		return;
	off = a * PS + rn(PS);
	n = touchable(&s->reg[r], off, 1 + rn((b - a) * PS - (off - a * PS)));
	if (!n)
		return;
	for (unsigned long k = 0; k < n; k++)
		iobuf[k] = (uint8_t)rnd();
	job = (struct job){ .op = write ? OP_touch_write : OP_touch_read,
			    .a = s->reg[r].start + off, .buf = write ? iobuf
			    : cmpbuf, .len = n };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	uint8_t *sh = shadow_byte(&s->reg[r], off);
	if (write)
		memcpy(sh, iobuf, n);
	else if (memcmp(cmpbuf, sh, n)) {
		unsigned long k = 0;

		while (cmpbuf[k] == sh[k])
			k++;
		fail("%s[%d]: read at %08lx (region %08lx, kind %d) gives"
		     " %02x, the shadow says %02x", s->t->comm, s->t->pid,
		     s->reg[r].start + off + k, s->reg[r].start, s->reg[r].kind,
		     cmpbuf[k], sh[k]);
	}
}

static void op_fill(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, true);
	uint8_t seed = (uint8_t)rnd();

	if (r < 0)
		return;
	for (unsigned long p = 0; p < s->reg[r].npages; p++)
		if (s->reg[r].prot[p] != (PROT_READ | PROT_WRITE))
			return;
	job = (struct job){ .op = OP_fill, .a = s->reg[r].start,
			    .b = s->reg[r].npages, .c = seed };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	for (unsigned long p = 0; p < s->reg[r].npages; p++)
		s->reg[r].data[p * PS] = (uint8_t)(seed + p);
}

/* Memory pressure: a large anonymous mapping, written page by page. */
static void op_hog(int i)
{
	struct stask *s = &tasks[i];
	unsigned long npages = 256 + rn(1024);

	if (s->nreg >= MAX_REGIONS - 1)
		return;
	job = (struct job){ .op = OP_mmap, .b = npages * PS,
			    .c = PROT_READ | PROT_WRITE,
			    .d = MAP_PRIVATE | MAP_ANONYMOUS, .e = -1UL };
	if ((i = run_job(i)) < 0 || job.ret < 0)
		return;
	new_mapping(i, (unsigned long)job.ret, npages, R_ANON,
		    PROT_READ | PROT_WRITE, -1, 0);
	s = &tasks[i];
	int r = s->nreg - 1;
	if (s->reg[r].start != (unsigned long)job.ret)
		return;
	uint8_t seed = (uint8_t)rnd();
	job = (struct job){ .op = OP_fill, .a = s->reg[r].start,
			    .b = npages, .c = seed };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	for (unsigned long p = 0; p < npages; p++)
		s->reg[r].data[p * PS] = (uint8_t)(seed + p);
}

static int heap_region(struct stask *s)
{
	for (int r = 0; r < s->nreg; r++)
		if (s->reg[r].kind == R_HEAP)
			return r;
	return -1;
}

static void op_brk(int i)
{
	struct stask *s = &tasks[i];
	struct mm_struct *mm = s->t->mm;
	unsigned long base = PAGE_ALIGN(mm->start_brk), k, want;
	int r = heap_region(s);

	if (s->malloc_task || (r < 0 && s->nreg >= MAX_REGIONS))
		return;
	k = chance(10) ? rn(1024) : rn(64);
	want = mm->start_brk + k * PS;
	job = (struct job){ .op = OP_brk, .a = want };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if ((unsigned long)job.ret != want)
		return;                        /* refused: nothing changed */
	if (r < 0) {
		if (k)
			add_region(s, base, k, R_HEAP, PROT_READ | PROT_WRITE);
		return;
	}
	struct region *h = &s->reg[r];
	if (k <= h->npages) {
		trim_region(s, r, 0, k);
		return;
	}
	h->prot = realloc(h->prot, k);
	memset(h->prot + h->npages, PROT_READ | PROT_WRITE, k - h->npages);
	h->data = realloc(h->data, k * PS);
	memset(h->data + h->npages * PS, 0, (k - h->npages) * PS);
	h->npages = k;
}

/* ------------------------------------------------------------ files */
/* A copy between a file and a task's memory that faults with no memory
 * left fails there, as in 2.6.17: the call returns -EFAULT, or what it
 * copied before the fault.  Only an OOM during the call explains that. */
static bool copy_cut_by_oom(unsigned long ooms, unsigned long want)
{
	return reclaim_stats.oom_kill > ooms
	       && (job.ret == -EFAULT || (job.ret >= 0
					  && (unsigned long)job.ret < want));
}

static void op_file_write(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, true), f = (int)rn(NFILES);
	unsigned long a, b, off, n;

	if (r < 0 || !pick_range(&s->reg[r], PROT_READ, 2, &a, &b))
		return;
	n = 1 + rn((b - a) * PS);
	off = rn(files[f].size + PS);
	if (off + n > FILE_CAP)
		return;
	job = (struct job){ .op = OP_file_write, .a = (unsigned long)f,
			    .b = off, .c = s->reg[r].start + a * PS, .d = n };
	unsigned long ooms = reclaim_stats.oom_kill;
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if (job.ret != (long)n && copy_cut_by_oom(ooms, n)) {
		if (job.ret <= 0)
			return;
		n = (unsigned long)job.ret;
	} else if (job.ret != (long)n) {
		if (job.ret != -ENOMEM)
			fail("write(%s, %lu at %lu): %ld", files[f].name, n, off,
			     job.ret);
		return;
	}
	memcpy(files[f].data + off, s->reg[r].data + a * PS, n);
	if (off + n > files[f].size)
		files[f].size = off + n;
}

static void op_file_read(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, true), f = (int)rn(NFILES);
	unsigned long a, b, off, n, want;

	if (r < 0 || !pick_range(&s->reg[r], PROT_READ | PROT_WRITE, 2, &a, &b))
		return;
	n = 1 + rn((b - a) * PS);
	off = rn(files[f].size + PS);
	want = off >= files[f].size ? 0
	       : files[f].size - off < n ? files[f].size - off : n;
	job = (struct job){ .op = OP_file_read, .a = (unsigned long)f,
			    .b = off, .c = s->reg[r].start + a * PS, .d = n };
	unsigned long ooms = reclaim_stats.oom_kill;
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if (job.ret != (long)want && copy_cut_by_oom(ooms, want))
		want = job.ret > 0 ? (unsigned long)job.ret : 0;
	else if (job.ret != (long)want) {
		if (job.ret != -ENOMEM)
			fail("read(%s, %lu at %lu): %ld, not %lu", files[f].name,
			     n, off, job.ret, want);
		return;
	}
	memcpy(s->reg[r].data + a * PS, files[f].data + off, want);
}

static void op_truncate(int i)
{
	int f = (int)rn(NFILES);
	unsigned long size = chance(50) ? rn(files[f].size + 1)
					: rn(FILE_CAP + 1);

	job = (struct job){ .op = OP_truncate, .a = (unsigned long)f,
			    .b = size };
	if ((i = run_job(i)) < 0)
		return;
	if (job.ret != 0) {
		if (job.ret != -ENOMEM)
			fail("ftruncate(%s, %lu): %ld", files[f].name, size,
			     job.ret);
		return;
	}
	if (size < files[f].size)
		memset(files[f].data + size, 0, files[f].size - size);
	files[f].size = size;
}

/* ------------------------------------------------------------ malloc */
static void op_malloc(int i)
{
	struct stask *s = &tasks[i];
	size_t size = chance(5) ? 100000 + rn(200000) : 1 + rn(2000);
	uint8_t seed = (uint8_t)rnd();

	if (!s->malloc_task || s->nblocks == MAX_BLOCKS)
		return;
	job = (struct job){ .op = OP_malloc, .b = size, .c = seed };
	if ((i = run_job(i)) < 0 || !job.ret)
		return;
	s = &tasks[i];
	s->blocks[s->nblocks++] = (struct block){ (char *)job.ret, size, seed };
}

static void op_free(int i, bool re)
{
	struct stask *s = &tasks[i];
	size_t nsize = chance(5) ? 100000 + rn(200000) : 1 + rn(3000);
	uint8_t seed = (uint8_t)rnd();

	if (!s->malloc_task || !s->nblocks)
		return;
	int k = (int)rn(s->nblocks);
	struct block *bl = &s->blocks[k];
	job = (struct job){ .op = re ? OP_realloc : OP_free,
			    .a = (unsigned long)bl->p, .b = bl->size,
			    .c = bl->seed, .d = nsize, .e = seed };
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	bl = &s->blocks[k];
	if (!job.ret2)
		fail("%s[%d]: malloc block %08lx changed before %s",
		     s->t->comm, s->t->pid, ptr_to_vaddr(bl->p),
		     re ? "realloc" : "free");
	if (re && job.ret)
		*bl = (struct block){ (char *)job.ret, nsize, seed };
	else if (!re)
		s->blocks[k] = s->blocks[--s->nblocks];
}

/* ------------------------------------------------------------ misuse */
/* A VMA listing and the rss, to see that a refused call changed
 * nothing. */
static unsigned long mm_digest(struct mm_struct *mm)
{
	unsigned long h = get_mm_rss(mm) * 31 + mm->brk;

	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next)
		h = h * 1000003 + v->vm_start * 7 + v->vm_end * 13
		    + v->vm_flags;
	return h;
}

static void op_bad_args(int i)
{
	struct stask *s = &tasks[i];
	unsigned long before = mm_digest(s->t->mm);
	long want;

	switch (rn(10)) {
	case 0: job = (struct job){ .op = OP_mmap, .b = 0, .c = PROT_READ,
			.d = MAP_PRIVATE | MAP_ANONYMOUS, .e = -1UL };
		want = -EINVAL; break;
	case 1: job = (struct job){ .op = OP_mmap, .a = 0x40000123, .b = PS,
			.c = PROT_READ, .d = MAP_PRIVATE | MAP_ANONYMOUS
			| MAP_FIXED, .e = -1UL };
		want = -EINVAL; break;
	case 2: job = (struct job){ .op = OP_munmap, .a = 0x40000123, .b = PS };
		want = -EINVAL; break;
	case 3: job = (struct job){ .op = OP_mprotect, .a = 0x123, .b = PS,
			.c = PROT_READ };
		want = -EINVAL; break;
	case 4: job = (struct job){ .op = OP_mprotect, .a = 0x1000, .b = PS,
			.c = PROT_READ };
		want = -ENOMEM; break;
	case 5: job = (struct job){ .op = OP_madvise, .a = 0x1000, .b = PS,
			.c = 77 };
		want = -EINVAL; break;
	case 6: job = (struct job){ .op = OP_msync, .a = 0x1000, .b = PS,
			.c = MS_ASYNC | MS_SYNC };
		want = -EINVAL; break;
	case 7: job = (struct job){ .op = OP_mremap, .a = 0x1000, .b = PS,
			.c = 2 * PS, .d = 0x10 };
		want = -EINVAL; break;
	case 8: job = (struct job){ .op = OP_brk, .a = 0x1000 };
		want = (long)s->t->mm->brk; break;
	default: job = (struct job){ .op = OP_mmap, .b = PS, .c = PROT_READ,
			.d = MAP_SHARED, .e = 63 };
		want = -EBADF; break;
	}
	int op = job.op;
	if ((i = run_job(i)) < 0)
		return;
	s = &tasks[i];
	if (job.ret != want)
		fail("bad %s: %ld, Linux says %ld", op_names[op], job.ret, want);
	if (mm_digest(s->t->mm) != before)
		fail("bad %s changed the address space", op_names[op]);
}

/* Touch what the task may not: SIGSEGV, and the task is gone. */
static void op_segv(int i)
{
	struct stask *s = &tasks[i];
	int r = pick_region(s, false);
	volatile unsigned long addr = 0x1000;

	for (unsigned long p = 0; r >= 0 && p < s->reg[r].npages; p++)
		if (s->reg[r].prot[p] == PROT_NONE)
			addr = s->reg[r].start + p * PS;
	job = (struct job){ .op = OP_segv, .a = addr, .buf = cmpbuf, .len = 1 };
	int sig = 0;
	struct task *t = s->t;
	if (oopses(sig = task_run(t, task_body, NULL)))
		fail("oops on a bad access: %s", last_oops());
	else if (sig != SIGSEGV && sig != SIGKILL)
		fail("a read of %08lx got signal %d, not SIGSEGV", addr, sig);
	reap_dead();
}

/* ------------------------------------------------------------ kernel */
static void *map_page(struct page *page) { return kmap(page); }
static void unmap_page(struct page *page) { kunmap(page); }

static void fill_kpage(struct kpage *k)
{
	for (unsigned long p = 0; p < 1UL << k->order; p++) {
		void *v = map_page(k->page + p);
		fill_pattern(v, PS, (uint8_t)(k->seed + p));
		unmap_page(k->page + p);
	}
}

static void verify_kpage(struct kpage *k)
{
	for (unsigned long p = 0; p < 1UL << k->order; p++) {
		void *v = map_page(k->page + p);
		if (!check_pattern(v, PS, (uint8_t)(k->seed + p)))
			fail("pfn %lu (alloc_pages) changed",
			     page_to_pfn(k->page + p));
		unmap_page(k->page + p);
	}
}

static void hold_pages(void)
{
	for (int i = 0; i < nkpages; i++)
		census_hold(kpages[i].page);
}

static void op_alloc_pages(void)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER, GFP_ATOMIC,
		GFP_KERNEL | __GFP_DMA, GFP_HIGHUSER | __GFP_ZERO };
	unsigned order = chance(10) ? (unsigned)rn(6) : (unsigned)rn(2);
	struct page *page;

	if (nkpages == MAX_PAGES)
		return;
	page = alloc_pages(gfps[rn(5)], order);
	reap_dead();
	if (!page)
		return;
	kpages[nkpages] = (struct kpage){ page, order, (uint8_t)rnd(), 0 };
	fill_kpage(&kpages[nkpages++]);
}

static void vunmap_slot(int v)
{
	vunmap(vmaps[v].addr);
	vmaps[v] = vmaps[--nvmaps];
}

static void op_free_pages(void)
{
	if (!nkpages)
		return;
	int k = (int)rn(nkpages);
	for (int v = 0; v < nvmaps; v++)
		for (int j = 0; j < vmaps[v].n; j++)
			if (vmaps[v].page[j] == k) {
				vunmap_slot(v--);
				break;
			}
	while (kpages[k].kmaps) {
		kunmap(kpages[k].page);
		kpages[k].kmaps--;
		live--;
	}
	verify_kpage(&kpages[k]);
	__free_pages(kpages[k].page, kpages[k].order);
	/* the last entry moves to k: renumber the vmaps that use it */
	for (int v = 0; v < nvmaps; v++)
		for (int j = 0; j < vmaps[v].n; j++)
			if (vmaps[v].page[j] == nkpages - 1)
				vmaps[v].page[j] = k;
	kpages[k] = kpages[--nkpages];
}

static void op_vmap(void)
{
	struct page *pages[4];
	struct vmapping m = { .n = 1 + (int)rn(4) };

	if (nvmaps == 8 || nkpages < 4)
		return;
	for (int j = 0; j < m.n; j++) {
		m.page[j] = (int)rn(nkpages);
		pages[j] = kpages[m.page[j]].page;
	}
	m.addr = vmap(pages, (unsigned)m.n, VM_MAP, PAGE_KERNEL);
	reap_dead();
	if (!m.addr)
		return;
	for (int j = 0; j < m.n; j++)
		if (!check_pattern((char *)m.addr + j * PS, PS,
				   kpages[m.page[j]].seed))
			fail("vmap at %08lx: page %d differs",
			     ptr_to_vaddr(m.addr), j);
	vmaps[nvmaps++] = m;
}

static void op_kmap(bool map)
{

	if (!nkpages)
		return;
	int k = (int)rn(nkpages);
	if (map && live < MAX_KMAPS) {
		void *v = kmap(kpages[k].page);
		if (!check_pattern(v, 64, kpages[k].seed))
			fail("kmap of pfn %lu differs",
			     page_to_pfn(kpages[k].page));
		kpages[k].kmaps++;
		live++;
	} else if (!map && kpages[k].kmaps) {
		kunmap(kpages[k].page);
		kpages[k].kmaps--;
		live--;
	}
}

static void op_kmalloc(bool vm)
{
	struct kobj *o;
	size_t size;

	if (vm ? nvmallocs == MAX_VMAS : nkmallocs == MAX_KOBJ)
		return;
	size = vm ? (1 + rn(32)) * PS - rn(100)
		  : chance(5) ? 1 + rn(KMALLOC_MAX_SIZE) : 1 + rn(2048);
	void *p = vm ? vmalloc(size) : kmalloc(size, GFP_KERNEL);
	reap_dead();
	if (!p)
		return;
	o = vm ? &vmallocs[nvmallocs++] : &kmallocs[nkmallocs++];
	*o = (struct kobj){ p, size, (uint8_t)rnd(), -1 };
	fill_pattern(p, size, o->seed);
}

static void op_kfree(bool vm)
{
	int n = vm ? nvmallocs : nkmallocs;
	struct kobj *arr = vm ? vmallocs : kmallocs;

	if (!n)
		return;
	int k = (int)rn(n);
	if (!check_pattern(arr[k].p, arr[k].size, arr[k].seed))
		fail("%s object %08lx of %zu bytes changed",
		     vm ? "vmalloc" : "kmalloc", ptr_to_vaddr(arr[k].p),
		     arr[k].size);
	if (vm)
		vfree(arr[k].p);
	else
		kfree(arr[k].p);
	arr[k] = arr[n - 1];
	if (vm)
		nvmallocs--;
	else
		nkmallocs--;
}

static void op_cache(int what)
{
	struct scache *c = &caches[rn(MAX_CACHES)];

	if (what == OP_cache_create && !c->c) {
		snprintf(c->name, sizeof c->name, "stress-%lu", op_no);
		c->size = 8 + rn(1500);
		c->c = kmem_cache_create(c->name, c->size, 0,
					 chance(30) ? SLAB_HWCACHE_ALIGN : 0,
					 NULL);
		c->nobj = 0;
	} else if (what == OP_cache_alloc && c->c && c->nobj < 64) {
		void *p = kmem_cache_alloc(c->c, GFP_KERNEL);
		reap_dead();
		if (p) {
			c->obj[c->nobj] = (struct kobj){ p, c->size,
							(uint8_t)rnd(), 0 };
			fill_pattern(p, c->size, c->obj[c->nobj++].seed);
		}
	} else if (what == OP_cache_free && c->c && c->nobj) {
		int k = (int)rn(c->nobj);
		if (!check_pattern(c->obj[k].p, c->size, c->obj[k].seed))
			fail("cache object %08lx changed",
			     ptr_to_vaddr(c->obj[k].p));
		kmem_cache_free(c->c, c->obj[k].p);
		c->obj[k] = c->obj[--c->nobj];
	} else if (what == OP_cache_destroy && c->c) {
		int ret = kmem_cache_destroy(c->c);
		if (ret != (c->nobj ? 1 : 0))     /* 1: in use, as 2.6.17 */
			fail("kmem_cache_destroy: %d with %d objects", ret,
			     c->nobj);
		if (!ret)
			c->c = NULL;
	}
}

/* Kernel misuse that Linux answers with NULL or nothing. */
static void op_kernel_bad_args(void)
{
	if (alloc_pages(GFP_KERNEL, MAX_ORDER))
		fail("alloc_pages(order %d) succeeded", MAX_ORDER);
	if (kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL))
		fail("kmalloc(%lu) succeeded", KMALLOC_MAX_SIZE + 1);
	if (vmalloc(0))
		fail("vmalloc(0) succeeded");
	if (kmalloc(0, GFP_KERNEL) != ZERO_SIZE_PTR)
		fail("kmalloc(0) is not ZERO_SIZE_PTR");
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	vfree(NULL);
}

/* ------------------------------------------------------------ checks */
static void verify_kernel(void)
{
	for (int k = 0; k < nkpages; k++)
		verify_kpage(&kpages[k]);
	for (int k = 0; k < nkmallocs; k++)
		if (!check_pattern(kmallocs[k].p, kmallocs[k].size,
				   kmallocs[k].seed))
			fail("kmalloc object %08lx changed",
			     ptr_to_vaddr(kmallocs[k].p));
	for (int k = 0; k < nvmallocs; k++)
		if (!check_pattern(vmallocs[k].p, vmallocs[k].size,
				   vmallocs[k].seed))
			fail("vmalloc area %08lx changed",
			     ptr_to_vaddr(vmallocs[k].p));
	for (int c = 0; c < MAX_CACHES; c++)
		for (int k = 0; k < caches[c].nobj; k++)
			if (!check_pattern(caches[c].obj[k].p, caches[c].size,
					   caches[c].obj[k].seed))
				fail("cache object %08lx changed",
				     ptr_to_vaddr(caches[c].obj[k].p));
}

/* The whole check: the model's invariants, then every shadow. */
static void whole_check(void)
{
	int v;

	checks++;
	dmesg_clear();
	model_check_holders = hold_pages;
	v = model_check();
	model_check_holders = NULL;
	if (v) {
		const char *log = dmesg();
		int shown = 0;

		fail("model_check found %d violations", v);
		violations += (unsigned long)v - 1;
		for (const char *l = strstr(log, "model_check:"); l && shown < 20;
		     l = strstr(l + 1, "model_check:"), shown++)
			fprintf(stderr, "  %.*s\n", (int)strcspn(l, "\n"), l);
	}
	verify_kernel();
	verify_tasks();
	dmesg_clear();
}

/* ------------------------------------------------------------ machines */
/* Swap: on every other machine at random (the default), on all with
 * --swap, on none with --no-swap: a machine without swap is where the
 * OOM killer acts, one with swap is where pages travel to swap and
 * back. */
static int swap_mode = 1;

static bool boot_machine(void)
{
	static const unsigned mems[] = { 16, 24, 32, 48, 64, 1024 };
	char cmd[96];
	unsigned mem = mems[rn(6)];
	bool swap = swap_mode == 2 || (swap_mode == 1 && rn(2));

	snprintf(cmd, sizeof cmd, "mem=%uM quiet%s", mem,
		 swap ? " swap=16M" : "");
	if (mm_boot(cmd) != 0) {
		fprintf(stderr, "stress: mm_boot(\"%s\") failed\n", cmd);
		return false;
	}
	machines++;
	small_machine = mem <= 32;
	if (verbose)
		fprintf(stderr, "stress: machine %lu: %s\n", machines, cmd);
	memset(files, 0, sizeof files);
	for (int f = 0; f < NFILES; f++)
		snprintf(files[f].name, sizeof files[f].name, "/s%c",
			 (char)('0' + f));
	/* init, which the OOM killer spares */
	op_task_create();
	return true;
}

static void shutdown_machine(void)
{
	while (ntasks)
		op_task_destroy(0);
	while (nvmaps)
		vunmap_slot(0);
	while (nkpages)
		op_free_pages();
	while (nkmallocs)
		op_kfree(false);
	while (nvmallocs)
		op_kfree(true);
	for (int c = 0; c < MAX_CACHES; c++) {
		while (caches[c].nobj) {
			kmem_cache_free(caches[c].c, caches[c].obj[0].p);
			caches[c].obj[0] = caches[c].obj[--caches[c].nobj];
		}
		if (caches[c].c && kmem_cache_destroy(caches[c].c))
			fail("kmem_cache_destroy of an empty cache failed");
		caches[c].c = NULL;
	}
	whole_check();
	oom_kills += reclaim_stats.oom_kill;
	pages_reclaimed += reclaim_stats.pgsteal;
	direct_reclaims += reclaim_stats.allocstall;
	swapped_out += reclaim_stats.pswpout;
	swapped_in += reclaim_stats.pswpin;
	mm_shutdown();
}

/* ------------------------------------------------------------ the mix */
struct weight { int op; unsigned w; };
static const struct weight mix[] = {
	{ OP_alloc_pages, 30 }, { OP_free_pages, 28 }, { OP_kmalloc, 40 },
	{ OP_kfree, 38 }, { OP_cache_create, 2 }, { OP_cache_alloc, 20 },
	{ OP_cache_free, 19 }, { OP_cache_destroy, 1 }, { OP_vmalloc, 8 },
	{ OP_vfree, 8 }, { OP_vmap, 4 }, { OP_vunmap, 4 }, { OP_kmap, 6 },
	{ OP_kunmap, 6 }, { OP_task_create, 3 }, { OP_task_fork, 3 },
	{ OP_task_destroy, 2 }, { OP_brk, 20 }, { OP_mmap, 30 },
	{ OP_munmap, 22 }, { OP_mprotect, 15 }, { OP_mremap, 10 },
	{ OP_madvise, 10 }, { OP_msync, 6 }, { OP_mlock, 6 },
	{ OP_touch_write, 80 }, { OP_touch_read, 60 }, { OP_fill, 12 },
	{ OP_file_write, 25 }, { OP_file_read, 20 }, { OP_truncate, 5 },
	{ OP_malloc, 40 }, { OP_free, 30 }, { OP_realloc, 10 },
	{ OP_bad_args, 6 }, { OP_segv, 1 }, { OP_hog, 3 },
};

static int pick_op(void)
{
	static unsigned total;

	if (!total)
		for (size_t k = 0; k < sizeof mix / sizeof mix[0]; k++)
			total += mix[k].w;
	unsigned x = (unsigned)rn(total);
	for (size_t k = 0;; k++) {
		if (x < mix[k].w)
			return mix[k].op;
		x -= mix[k].w;
	}
}

static unsigned long trace_from, trace_to;   /* STRESS_TRACE=from-to */

static void trace_op(int op, int i)
{
	if (op_no < trace_from || op_no > trace_to)
		return;
	fprintf(stderr, "op %lu %s task %d(pid %d): job %s a=%lx b=%lx c=%lx"
		" d=%lx e=%lx ret=%ld ret2=%ld\n", op_no, op_names[op], i,
		i >= 0 && i < ntasks ? tasks[i].t->pid : -1,
		job.op < NR_OPS ? op_names[job.op] : "file-mmap", job.a, job.b,
		job.c, job.d, job.e, job.ret, job.ret2);
	if (getenv("STRESS_TRACE_VMAS") && i >= 0 && i < ntasks
	    && tasks[i].t->mm)
		for (struct vm_area_struct *v = tasks[i].t->mm->mmap; v;
		     v = v->vm_next)
			fprintf(stderr, "    %08lx-%08lx %05lx%s\n", v->vm_start,
				v->vm_end, v->vm_flags,
				v->anon_vma ? " anon_vma" : "");
}

static void do_task_op(int op, int i);

static void do_op(int op)
{
	int i = pick_task();

	memset(&job, 0, sizeof job);
	op_name = op_names[op];
	op_count[op]++;
	switch (op) {
	case OP_alloc_pages: op_alloc_pages(); return;
	case OP_free_pages: op_free_pages(); return;
	case OP_kmalloc: op_kmalloc(false); return;
	case OP_kfree: op_kfree(false); return;
	case OP_vmalloc: op_kmalloc(true); return;
	case OP_vfree: op_kfree(true); return;
	case OP_cache_create: case OP_cache_alloc: case OP_cache_free:
	case OP_cache_destroy: op_cache(op); return;
	case OP_vmap: op_vmap(); return;
	case OP_vunmap: if (nvmaps) vunmap_slot((int)rn(nvmaps)); return;
	case OP_kmap: op_kmap(true); return;
	case OP_kunmap: op_kmap(false); return;
	case OP_task_create: op_task_create(); return;
	}
	if (i < 0)
		return;
	do_task_op(op, i);
	trace_op(op, i);
}

static void do_task_op(int op, int i)
{
	switch (op) {
	case OP_task_fork: op_task_fork(i); break;
	case OP_task_destroy: if (ntasks > 1) op_task_destroy(i); break;
	case OP_brk: op_brk(i); break;
	case OP_mmap: op_mmap(i); break;
	case OP_munmap: op_munmap(i); break;
	case OP_mprotect: op_mprotect(i); break;
	case OP_mremap: op_mremap(i); break;
	case OP_madvise: op_madvise(i); break;
	case OP_msync: op_msync(i); break;
	case OP_mlock: op_mlock(i); break;
	case OP_touch_write: op_touch(i, true); break;
	case OP_touch_read: op_touch(i, false); break;
	case OP_fill: op_fill(i); break;
	case OP_file_write: op_file_write(i); break;
	case OP_file_read: op_file_read(i); break;
	case OP_truncate: op_truncate(i); break;
	case OP_malloc: op_malloc(i); break;
	case OP_free: op_free(i, false); break;
	case OP_realloc: op_free(i, true); break;
	case OP_bad_args:
		if (chance(20))
			op_kernel_bad_args();
		else
			op_bad_args(i);
		break;
	case OP_segv: op_segv(i); break;
	case OP_hog: if (small_machine) op_hog(i); break;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long seed = (unsigned long)time(NULL), ops = 1000000;
	unsigned long every = 5000, stop_at = 0;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			seed = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--ops") && a + 1 < argc)
			ops = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--check-every") && a + 1 < argc)
			every = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--stop") && a + 1 < argc)
			stop_at = strtoul(argv[++a], NULL, 0);  /* debugging */
		else if (!strcmp(argv[a], "--swap"))
			swap_mode = 2;
		else if (!strcmp(argv[a], "--no-swap"))
			swap_mode = 0;
		else if (!strcmp(argv[a], "--verbose"))
			verbose = true;
		else {
			fprintf(stderr, "usage: %s --seed N --ops N"
				" --check-every N [--swap|--no-swap] [--verbose]\n",
				argv[0]);
			return 2;
		}
	}
	if (getenv("STRESS_TRACE"))
		sscanf(getenv("STRESS_TRACE"), "%lu-%lu", &trace_from,
		       &trace_to);
	printf("stress: seed %lu\n", seed);
	fflush(stdout);
	rng_state = seed * 2654435761UL + 0x9E3779B97F4A7C15ULL;
	if (!rng_state)
		rng_state = 1;
	if (!every)
		every = ops + 1;

	double t0 = now();
	unsigned long left_on_machine = 0;
	for (op_no = 1; op_no <= ops; op_no++) {
		if (!left_on_machine) {
			if (op_no > 1)
				shutdown_machine();
			if (!boot_machine())
				return 1;
			left_on_machine = ops / 8 + rn(ops / 8 + 1);
			if (left_on_machine < 1000)
				left_on_machine = 1000;
			if (left_on_machine > 80000)
				left_on_machine = 40000 + rn(40000);
		}
		do_op(pick_op());
		left_on_machine--;
		if (op_no == stop_at) {
			whole_check();
			printf("stress: stopped after operation %lu\n", op_no);
			return violations ? 1 : 0;
		}
		if (op_no % every == 0)
			whole_check();
	}
	op_no--;
	op_name = "the end";
	shutdown_machine();
	double secs = now() - t0;

	printf("stress: seed %lu: %lu operations, %.1f s, %lu violations\n",
	       seed, op_no, secs, violations);
	printf("stress: %lu machines, %lu whole checks; pressure: %lu pages"
	       " reclaimed, %lu direct reclaims, %lu OOM kills; swap: %lu"
	       " pages out, %lu in; tasks dead of SIGKILL %lu, of other"
	       " signals %lu\n", machines, checks, pages_reclaimed,
	       direct_reclaims, oom_kills, swapped_out, swapped_in,
	       killed_oom, killed_other);
	printf("stress: operations by kind:");
	for (int k = 0; k < NR_OPS; k++)
		printf("%s %s %lu", k % 6 ? "," : "\n ", op_names[k],
		       op_count[k]);
	printf("\n");
	if (violations) {
		printf("replay: make stress STRESS_SEED=%lu STRESS_OPS=%lu\n",
		       seed, op_no);
		return 1;
	}
	return 0;
}
