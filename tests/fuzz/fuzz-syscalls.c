/* fuzz-syscalls.c -- system calls with the user's arguments, in a task.
 *
 * A small syzkaller: the input is a program.  Each call is one byte (the
 * call, modulo their number) followed by one byte per argument.  An
 * argument byte picks a value from a table of nasty ones (0, -1, unaligned,
 * huge, TASK_SIZE and its neighbours, the image, the heap), a result of
 * an earlier call (an address mmap or um_malloc returned, that plus a page,
 * that plus one), the next four raw bytes, or a small number.  Besides the
 * mapping calls of chapters 7-9 and the file calls of chapter 9, a program
 * can touch user memory, call chapter 11's allocator, fork, and switch
 * between up to four tasks.
 *
 * A finding is an oops (a bad argument must give -errno or a signal to the
 * task, never a kernel oops), a result that is neither a value nor an
 * -errno, a sanitizer report, or damage to what the program did not own:
 * a kmalloc'd buffer, a bystander task's memory, the buddy and slab
 * invariants, the host's descriptors.
 */
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"
#include "fuzz.h"

#define P        PAGE_SIZE
#define NTASKS   4
#define MAXOPS   64
#define NRES     8

struct prog {
	const uint8_t *p, *end;
	unsigned long res[NRES];        /* earlier results, newest first */
	int request;                    /* why the task body returned */
	int ops;
};
enum { REQ_END, REQ_FORK, REQ_SWITCH };

static const unsigned long nasty[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 0x20, 0x22, 0x21, 0x32, 0x31, 0x12,
	0x11, 0x100000, 0x100022, -1UL, -4095UL, -4096UL, P - 1, P, P + 1,
	2 * P, 3 * P, 16 * P, 256 * P, 1UL << 20, 16UL << 20, 0x7fffffff,
	0x80000000, TASK_SIZE - P, TASK_SIZE - 1, TASK_SIZE,
	TASK_SIZE + P, 0xfffff000, 1UL << 32, (1UL << 32) + P,
	0x08048000, 0x0804d000, 0x20000000, 0x20001000, 0x20000800,
	0x40000000, 0x7ffff000, 10000, 12288, 63, 64, 65,
};
#define NNASTY (sizeof nasty / sizeof nasty[0])

static const char *const paths[] = {
	"f", "empty", "d", "new", "../escape", "/proc/self/maps",
	"/proc/meminfo", "", "f/x", "d/../f", "/f", "d/",
};

static uint8_t next_byte(struct prog *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

static unsigned long raw32(struct prog *g)
{
	unsigned long v = 0;

	for (int i = 0; i < 4; i++)
		v |= (unsigned long)next_byte(g) << (8 * i);
	return v;
}

/* One argument, as the next byte says. */
static unsigned long arg(struct prog *g)
{
	unsigned b = next_byte(g);
	struct mm_struct *mm = current->mm;

	if (b < NNASTY)
		return nasty[b];
	b -= NNASTY;
	if (b < 3 * NRES)               /* the result, a page on, one on */
		return g->res[b % NRES] + (b < NRES ? 0 : b < 2 * NRES ? P : 1);
	b -= 3 * NRES;
	switch (b) {
	case 0: return mm->brk;
	case 1: return mm->start_brk;
	case 2: return mm->brk + 4 * P;
	case 3: return mm->start_stack & PAGE_MASK;
	case 4: return raw32(g);
	case 5: return raw32(g) | raw32(g) << 32;
	}
	return b - 6;                   /* a small number */
}

static void keep(struct prog *g, unsigned long v)
{
	memmove(g->res + 1, g->res, sizeof g->res - sizeof g->res[0]);
	g->res[0] = v;
}

/* A user pointer: 0 is NULL; anything else lands in the 4 GiB window. */
static void *uptr(unsigned long v)
{
	return v ? vaddr_to_ptr(v & 0xffffffffUL) : NULL;
}

/* A pointer for the allocator's free or realloc.  Unlike Linux, the model
 * lets a task read kernel memory (the direct map is always mapped), and a
 * header read below the window's start would miss the window: so a
 * pointer is kept inside user space, one page up from the bottom. */
static void *heap_ptr(unsigned long v)
{
	if (!v)
		return NULL;
	v %= TASK_SIZE;
	return vaddr_to_ptr(v < P ? v + P : v);
}

/* A touch stays in user space too, for the same reason. */
static volatile char *touch_ptr(unsigned long v)
{
	return vaddr_to_ptr(v % TASK_SIZE);
}

/* A system call's result is a value or -errno; anything between -4095
 * and -1 must be an errno the model knows. */
static long check_result(const char *call, long r)
{
	if (r < 0 && r >= -4095 && r < -EHWPOISON)
		fuzz_finding("%s returned %ld", call, r);
	return r;
}
#define SYS(call, ...) keep(g, (unsigned long)check_result(#call,       \
			   call(__VA_ARGS__)))

static void one_call(struct prog *g, unsigned op)
{
	unsigned long a = arg(g), b = arg(g), c = arg(g), d = arg(g);
	unsigned long e, f;
	void *p;

	switch (op) {
	case 0: SYS(sys_brk, a); break;
	case 1:
		e = arg(g), f = arg(g);
		SYS(sys_mmap, a, b, c, d, e, f);
		break;
	case 2: SYS(sys_munmap, a, b); break;
	case 3: SYS(sys_mprotect, a, b, c); break;
	case 4: SYS(sys_mremap, a, b, c, d, arg(g)); break;
	case 5: SYS(sys_madvise, a, b, (int)c); break;
	case 6: SYS(sys_msync, a, b, (int)c); break;
	case 7: SYS(sys_mlock, a, b); break;
	case 8: SYS(sys_munlock, a, b); break;
	case 9:
		SYS(sys_open, paths[a % (sizeof paths / sizeof paths[0])],
		    (int)b, (int)c);
		break;
	case 10: SYS(sys_read, (unsigned)a, uptr(b), c); break;
	case 11: SYS(sys_write, (unsigned)a, uptr(b), c); break;
	case 12: SYS(sys_close, (unsigned)a); break;
	case 13: SYS(sys_ftruncate, (unsigned)a, b); break;
	case 14: SYS(sys_lseek, (unsigned)a, (long)b, (unsigned)c); break;
	case 15: SYS(sys_fsync, (unsigned)a); break;
	case 16:
		p = um_malloc(a);
		keep(g, p ? ptr_to_vaddr(p) : 0);
		if (p && a)
			((volatile char *)p)[a - 1] = 1;
		break;
	case 17: um_free(heap_ptr(a)); break;
	case 18:
		p = um_realloc(heap_ptr(a), b);
		keep(g, p ? ptr_to_vaddr(p) : 0);
		break;
	case 19:
		p = um_calloc(a, b);
		keep(g, p ? ptr_to_vaddr(p) : 0);
		break;
	case 20: (void)*touch_ptr(a); break;
	case 21: *touch_ptr(a) = (char)b; break;
	case 22:                        /* write a byte on each of some pages */
		for (unsigned long i = 0; i < (b & 15); i++)
			*touch_ptr(a + i * P) = (char)c;
		break;
	}
}
#define NCALLS 23

/* The task body: calls until the program ends or asks to fork or switch. */
static void run_calls(void *arg_)
{
	struct prog *g = arg_;

	while (g->p < g->end && g->ops++ < MAXOPS) {
		unsigned op = next_byte(g) % (NCALLS + 2);

		if (op == NCALLS) {
			g->request = REQ_FORK;
			return;
		}
		if (op == NCALLS + 1) {
			g->request = REQ_SWITCH;
			return;
		}
		one_call(g, op);
	}
	g->request = REQ_END;
}

/* The machine's files live in a fresh directory on tmpfs, made for each
 * input and removed after it: the default root, under /tmp, may be on a
 * disk, where making and removing a directory per input is slow. */
static char root[64];

static int remove_entry(const char *path, const struct stat *sb, int type,
			struct FTW *ftw)
{
	(void)sb, (void)type, (void)ftw;
	return remove(path);
}

static int boot_with_fresh_root(void)
{
	char line[128];

	snprintf(root, sizeof root, "/dev/shm/fuzz-root.XXXXXX");
	if (!mkdtemp(root)) {
		snprintf(root, sizeof root, "/tmp/fuzz-root.XXXXXX");
		if (!mkdtemp(root))
			return -1;
	}
	snprintf(line, sizeof line, "mem=16M quiet root=%s", root);
	return mm_boot(line);
}

/* The files a program can open: one of 10000 bytes (so that a mapping of
 * its third page reaches past the end), an empty one, a directory. */
static void make_files(void)
{
	char path[512], data[10000];
	FILE *f;

	memset(data, 'x', sizeof data);
	snprintf(path, sizeof path, "%s/f", vfs_root());
	if (!(f = fopen(path, "w")))
		fuzz_finding("cannot write %s", path);
	fwrite(data, 1, sizeof data, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/empty", vfs_root());
	if (!(f = fopen(path, "w")))
		fuzz_finding("cannot write %s", path);
	fclose(f);
	snprintf(path, sizeof path, "%s/d", vfs_root());
	mkdir(path, 0755);
}

/* What the program does not own: a task with two written pages, and a
 * kmalloc'd buffer, checked after the program has run. */
struct span { unsigned long start, pages; int value; };
struct bystander { struct task *t; struct span s; unsigned char *buf; };

static void write_span(void *arg_)
{
	struct span *s = arg_;

	for (unsigned long i = 0; i < s->pages; i++)
		*(volatile int *)vaddr_to_ptr(s->start + i * P) =
			s->value + (int)i;
}

static void read_span(void *arg_)
{
	struct span *s = arg_;

	for (unsigned long i = 0; i < s->pages; i++)
		if (*(volatile int *)vaddr_to_ptr(s->start + i * P)
		    != s->value + (int)i)
			s->value = -1;
}

static void map_bystander(void *arg_)
{
	struct span *s = arg_;

	s->start = (unsigned long)sys_mmap(0, 2 * P, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS,
					   -1UL, 0);
}

static void start_bystander(struct bystander *by)
{
	by->t = task_create("bystander");
	by->s = (struct span){ 0, 2, 1000 };
	if (!by->t || task_run(by->t, map_bystander, &by->s)
	    || task_run(by->t, write_span, &by->s))
		fuzz_finding("the bystander did not start");
	by->buf = kmalloc(300, GFP_KERNEL);
	if (!by->buf)
		fuzz_finding("the canary kmalloc failed");
	memset(by->buf, 0xa5, 300);
}

/* The bystander may have been chosen by the OOM killer, as Linux might
 * choose it: then its death is no finding, but its pid must be in the
 * log's "Killed process" line. */
static void check_bystander(struct bystander *by)
{
	char killed[64];
	int pid = by->t->pid, sig = task_run(by->t, read_span, &by->s);

	snprintf(killed, sizeof killed, "Killed process %d ", pid);
	if ((sig || by->s.value != 1000) && !strstr(dmesg(), killed))
		fuzz_finding("the bystander was hurt (signal %d, value %d)",
			     sig, by->s.value);
	for (int i = 0; i < 300; i++)
		if (by->buf[i] != 0xa5)
			fuzz_finding("the canary buffer was overwritten");
	kfree(by->buf);
	task_destroy(by->t);
	if (!buddy_check() || !slab_check())
		fuzz_finding("the allocators' invariants are broken");
}

/* Run the program: segments of calls in one task, with a fork or a
 * switch between them.  A task the program killed (SIGSEGV, SIGBUS, the
 * allocator's SIGABRT, the OOM killer's SIGKILL) is reaped and another
 * takes its place, at most a few times. */
static void run_program(struct prog *g)
{
	struct task *tasks[NTASKS] = { NULL };
	int cur = 0, made = 0;

	while (g->p < g->end && g->ops < MAXOPS) {
		if (!tasks[cur]) {
			if (made++ == 8 || !(tasks[cur] = task_create("fuzz")))
				break;
		}
		g->request = REQ_END;
		if (task_run(tasks[cur], run_calls, g)) {
			task_destroy(tasks[cur]);      /* killed by a signal */
			tasks[cur] = NULL;
			continue;
		}
		if (g->request == REQ_FORK) {
			int slot = (cur + 1) % NTASKS;

			if (!tasks[slot])
				tasks[slot] = task_fork(tasks[cur]);
		} else if (g->request == REQ_SWITCH) {
			cur = next_byte(g) % NTASKS;
		}
	}
	for (int i = 0; i < NTASKS; i++)
		if (tasks[i])
			task_destroy(tasks[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prog g = { data, data + size, { 0 }, REQ_END, 0 };
	struct bystander by;
	int fds = fuzz_open_fds();

	if (boot_with_fresh_root() < 0)
		fuzz_finding("cannot boot");
	make_files();
	if (oopses(start_bystander(&by)))
		fuzz_finding("oops starting the bystander: %s", last_oops());
	if (oopses(run_program(&g)))
		fuzz_finding("oops: %s", last_oops());
	if (oopses(check_bystander(&by)))
		fuzz_finding("oops checking the bystander: %s", last_oops());
	if (oopses(mm_shutdown()))
		fuzz_finding("oops at shutdown: %s", last_oops());
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (fuzz_open_fds() != fds)
		fuzz_finding("%d host descriptors before, %d after", fds,
			     fuzz_open_fds());
	return 0;
}
