/* ex-G.1.c -- exercise G.1: what four misuses that the table does not
 * have return.  An answer check: each call is made in a task on a fresh
 * machine, and the results (0 for success, else the negative errno) are
 * compared with answers/G.1.txt, with whether the failed mprotect
 * changed the VMA before the hole. */
#include <fcntl.h>
#include "ex-kernel.h"

#define EX "G.1"
#define A0 0x40000000UL

static long r[5];

static long errno_of(long ret)
{
	return ret < 0 && ret > -4096 ? ret : 0;
}

static void body(void *arg)
{
	long fd;

	(void)arg;
	/* two pages mapped, a hole of one page, two pages mapped */
	sys_mmap(A0, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS
		 | MAP_FIXED, -1UL, 0);
	sys_mmap(A0 + 3 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	r[0] = errno_of(sys_munmap(A0 + 16 * PAGE_SIZE, PAGE_SIZE));
	r[1] = errno_of(sys_mprotect(A0, 5 * PAGE_SIZE,
				     PROT_READ | PROT_WRITE));
	r[4] = !!(find_vma(current->mm, A0)->vm_flags & VM_WRITE);
	fd = sys_open("/g1", O_RDWR | O_CREAT, 0644);
	sys_write((unsigned)fd, vaddr_to_ptr(A0), PAGE_SIZE);
	r[2] = errno_of(sys_lseek((unsigned)fd, -1, SEEK_SET));
	sys_close((unsigned)fd);
	fd = sys_open("/g1", O_RDONLY, 0);
	r[3] = errno_of(sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE, (unsigned long)fd, 0));
}

int main(void)
{
	static const char *const what[] = {
		"munmap of a page where nothing is mapped",
		"mprotect across a hole",
		"lseek to offset -1 with SEEK_SET",
		"mmap PROT_WRITE, MAP_PRIVATE of a file open O_RDONLY",
		"whether the pages before the hole are writable after" };
	long got[5];
	struct task *t;

	ex_read_answer(EX, "five numbers: four, each 0 when the call "
		       "succeeds or the negative errno it returns (e.g. -22 "
		       "for -EINVAL): munmap where nothing is mapped, mprotect "
		       "across a hole, lseek to -1, mmap writable private "
		       "of an O_RDONLY file; then 1 if the two pages before "
		       "the hole are writable after the mprotect, else 0",
		       got, 5);
	ex_boot(EX, "mem=32M quiet");
	t = task_create("g1");
	if (!t || task_run(t, body, NULL))
		ex_fail(EX, "the task died; run make test");
	task_destroy(t);
	mm_shutdown();
	ex_compare(EX, what, got, r, 5);
	ex_pass(EX, "the four misuses return %ld, %ld, %ld and %ld; the "
		"first VMA is %swritable after", r[0], r[1], r[2], r[3],
		r[4] ? "" : "not ");
}
