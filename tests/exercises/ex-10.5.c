/* ex-10.5.c -- the check of exercise 10.5 (book/10-faults.nw): fault-
 * around for anonymous read faults.  A read fault in a private anonymous
 * VMA also maps the zero page, read-only, at the empty ptes among the
 * fifteen pages that follow, within the VMA and the same page table.
 * Pages already mapped keep what they hold, and a write to a page
 * mapped this way still gets its own zeroed page. */
#include <stdarg.h>
#include <stdlib.h>
#include "model.h"

#define EX "10.5"

#include "ex-verdict.h"

#define P   PAGE_SIZE
#define RW  (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

struct scan {
	unsigned long addr, pages;       /* the VMA */
	long write_at;                   /* a page written first, or -1 */
	long write_after;                /* a page written after, or -1 */
	long faults, file_rss, anon_rss, wrong;
};

static void scan_one(struct scan *s)
{
	volatile struct task *t = current;
	volatile struct mm_struct *mm = t->mm;
	long before = (long)t->min_flt, file = (long)mm->_file_rss;
	long anon = (long)mm->_anon_rss;

	if (s->write_at >= 0)
		*(volatile char *)vaddr_to_ptr(s->addr + s->write_at * P) = 'w';
	for (unsigned long i = 0; i < s->pages; i++)
		s->wrong += *(volatile char *)vaddr_to_ptr(s->addr + i * P)
			    != ((long)i == s->write_at ? 'w' : 0);
	if (s->write_after >= 0)
		*(volatile char *)vaddr_to_ptr(s->addr + s->write_after * P)
			= 'a';
	s->faults = (long)t->min_flt - before;
	s->file_rss = (long)mm->_file_rss - file;
	s->anon_rss = (long)mm->_anon_rss - anon;
}

static void run_scans(void *arg)
{
	for (struct scan *s = arg; s->pages; s++)
		scan_one(s);
}

int main(void)
{
	struct scan s[4] = {
		/* 33 pages, the first in one page table, 32 in the next */
		{ 0x4FFFF000UL, 33, -1, -1, 0, 0, 0, 0 },
		/* 20 pages with another VMA right after them */
		{ 0x60000000UL, 20, -1, -1, 0, 0, 0, 0 },
		/* page 8 written first; page 5 written after the reads */
		{ 0x70000000UL, 16, 8, 5, 0, 0, 0, 0 },
		{ 0, 0, 0, 0, 0, 0, 0, 0 },
	};
	static const long want[][3] = { { 3, 33, 0 }, { 2, 20, 0 },
					{ 3, 14, 2 } };
	static const char *const what[] = {
		"33 pages across a page-table boundary",
		"20 pages with a VMA after them",
		"16 pages, page 8 written first, page 5 after" };
	struct task *t;

	atexit(no_verdict);
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex105"))) {
		say("FAIL 10.5: the model does not boot\n");
		return 1;
	}
	int count = page_count(ZERO_PAGE(0));
	int maps = page_mapcount(ZERO_PAGE(0));
	for (int i = 0; i < 3; i++)
		install_vma(t->mm, s[i].addr, s[i].addr + s[i].pages * P, RW);
	install_vma(t->mm, 0x60014000UL, 0x60028000UL, RW | VM_EXEC);
	int sig = task_run(t, run_scans, s);
	int mapped = page_mapcount(ZERO_PAGE(0)) - maps;
	long rss_after = (long)get_mm_rss(t->mm);
	task_destroy(t);
	int left = page_count(ZERO_PAGE(0)) - count;
	int left_maps = page_mapcount(ZERO_PAGE(0)) - maps;
	mm_shutdown();
	if (sig) {
		say("FAIL 10.5: the task died of signal %d\n", sig);
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		if (s[i].wrong) {
			say("FAIL 10.5: %s: %ld pages read back wrong: a "
			       "pte that was not empty was replaced\n",
			       what[i], s[i].wrong);
			return 1;
		}
		if (s[i].faults != want[i][0] || s[i].file_rss != want[i][1]
		    || s[i].anon_rss != want[i][2]) {
			say("FAIL 10.5: %s: %ld faults, file_rss %+ld, "
			       "anon_rss %+ld; fault-around gives %ld, %+ld, "
			       "%+ld\n", what[i], s[i].faults, s[i].file_rss,
			       s[i].anon_rss, want[i][0], want[i][1],
			       want[i][2]);
			return 1;
		}
	}
	if (mapped != 33 + 20 + 14 || rss_after != 33 + 20 + 16) {
		say("FAIL 10.5: the zero page's map count rose by %d, not "
		       "%d: each zero pte needs page_add_file_rmap\n", mapped,
		       33 + 20 + 14);
		return 1;
	}
	if (left || left_maps) {
		say("FAIL 10.5: after exit the zero page's count is off by "
		       "%d, its map count by %d: a get_page is missing\n",
		       left, left_maps);
		return 1;
	}
	say("PASS 10.5: a read fault maps the zero page at the empty ptes "
	       "of the fifteen pages after it, within the VMA and table\n");
	return 0;
}
