/* ex-9.4.c -- the check of exercise 9.4 (book/09-mmap.nw): fault-around.
 * A read fault in a file VMA also maps the cached pages among the
 * fifteen that follow, within the VMA and the same page table, where
 * their ptes are empty; a write fault maps only its own page.  The file
 * here is wholly cached before each scan, so the number of faults
 * follows from that rule alone. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "9.4"

#include "ex-verdict.h"

#define P       PAGE_SIZE
#define PAGES   64

struct scan {
	unsigned long addr, off, pages;  /* map pages of the file at addr */
	int prot, flags;                 /* of the mapping */
	bool write_first;                /* write its first page first */
	long faults, file_rss, anon_rss; /* after the scan */
	long wrong;                      /* pages whose content was wrong */
	long err;
};

/* Read through volatile: the faults raise them behind the compiler's
 * back. */
static long faults(void)
{
	volatile struct task *t = current;

	return (long)(t->min_flt + t->maj_flt);
}

static void scan_one(int fd, struct scan *s)
{
	long a = sys_mmap(s->addr, s->pages * P, s->prot,
			  s->flags | MAP_FIXED, fd, s->off * P);
	long before = faults();

	if (a != (long)s->addr) {
		s->err = a;
		return;
	}
	if (s->write_first)
		*(volatile char *)vaddr_to_ptr(s->addr + 1) = 'w';
	for (unsigned long i = 0; i < s->pages; i++)
		s->wrong += *(volatile unsigned char *)vaddr_to_ptr(s->addr
						+ i * P) != s->off + i;
	s->faults = faults() - before;
	volatile struct mm_struct *mm = current->mm;

	s->file_rss = (long)mm->_file_rss;
	s->anon_rss = (long)mm->_anon_rss;
}

/* Read the whole file through a mapping once, so that every page is in
 * the cache, then scan each case. The descriptor stays open. */
static void run_scans(void *arg)
{
	struct scan *s = arg;
	long fd = sys_open("/ex94", O_RDONLY, 0);
	long a = sys_mmap(0, PAGES * P, PROT_READ, MAP_SHARED, fd, 0);

	for (int i = 0; i < PAGES; i++)
		(void)*(volatile char *)vaddr_to_ptr((unsigned long)a + i * P);
	sys_munmap((unsigned long)a, PAGES * P);
	for (; s->pages; s++) {
		scan_one((int)fd, s);
		sys_munmap(s->addr, s->pages * P);
	}
}

int main(void)
{
	struct scan s[4] = {
		/* 33 pages, the first in one page table, 32 in the next */
		{ .addr = 0x4FFFF000UL, .off = 0, .pages = 33,
		  .prot = PROT_READ, .flags = MAP_SHARED },
		/* 20 pages at a table's start; only those 20 may be mapped */
		{ .addr = 0x60000000UL, .off = 20, .pages = 20,
		  .prot = PROT_READ, .flags = MAP_SHARED },
		/* a write fault first: it maps its own page alone */
		{ .addr = 0x70000000UL, .off = 8, .pages = 16,
		  .prot = PROT_READ | PROT_WRITE, .flags = MAP_PRIVATE,
		  .write_first = true },
	};
	static const long want[][3] = { { 3, 33, 0 }, { 2, 20, 0 },
					{ 2, 15, 1 } };
	static const char *const what[] = {
		"33 pages across a page-table boundary",
		"20 pages of a 64-page file",
		"a private mapping written at its first page, then read" };
	char data[PAGES * 4096];
	struct task *t;

	atexit(no_verdict);
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex94"))) {
		say("FAIL 9.4: the model does not boot\n");
		return 1;
	}
	for (int i = 0; i < PAGES; i++)
		memset(data + i * 4096, i, 4096);
	char path[512];
	snprintf(path, sizeof path, "%s/ex94", vfs_root());
	FILE *f = fopen(path, "w");
	fwrite(data, 1, sizeof data, f);
	fclose(f);
	int sig = task_run(t, run_scans, s);
	task_destroy(t);
	mm_shutdown();
	if (sig) {
		say("FAIL 9.4: the task died of signal %d\n", sig);
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		if (s[i].err || s[i].wrong) {
			say("FAIL 9.4: %s: %s\n", what[i], s[i].err
			       ? "mmap failed" : "a page shows another page's "
			       "data: check the file offset of each pte");
			return 1;
		}
		if (s[i].faults != want[i][0] || s[i].file_rss != want[i][1]
		    || s[i].anon_rss != want[i][2]) {
			say("FAIL 9.4: %s: %ld faults, file_rss %ld, "
			       "anon_rss %ld; fault-around gives %ld, %ld, "
			       "%ld\n", what[i], s[i].faults, s[i].file_rss,
			       s[i].anon_rss, want[i][0], want[i][1],
			       want[i][2]);
			return 1;
		}
	}
	say("PASS 9.4: fault-around maps the cached pages that follow a "
	       "read fault, within the VMA and page table; not on a write\n");
	return 0;
}
