/* ex-12.6.c -- the check of exercise 12.6 (book/12-pressure.nw): where
 * each page of an eight-page file sits on the LRU lists after a task
 * reads page 0 once, page 2 twice, page 4 three times and page 6 four
 * times, one page per read.  The model computes the true answer;
 * answers/12.6.txt holds the student's. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define EX "12.6"

#include "ex-verdict.h"

#define FORMAT "eight lines, pages 0 to 7: none, inactive, inactive " \
	       "referenced, active or active referenced"
#define PAGES  8

struct states { char line[PAGES][32]; };

static void read_pages(void *arg)
{
	static const int times[PAGES] = { 1, 0, 2, 0, 3, 0, 4, 0 };
	struct states *s = arg;
	long buf = sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	long fd = sys_open("/ex126", O_RDONLY, 0);

	for (int i = 0; i < PAGES; i++)
		for (int k = 0; k < times[i]; k++) {
			sys_lseek((unsigned)fd, i * (long)PAGE_SIZE, SEEK_SET);
			sys_read((unsigned)fd, vaddr_to_ptr((unsigned long)buf),
				 PAGE_SIZE);
		}
	struct file *file = fget((unsigned)fd);     /* no reference taken */
	for (int i = 0; i < PAGES; i++) {
		struct page *page = find_get_page(file->f_mapping, i);

		if (!page) {
			strcpy(s->line[i], "none");
			continue;
		}
		snprintf(s->line[i], sizeof s->line[i], "%s%s",
			 PageActive(page) ? "active" : "inactive",
			 PageReferenced(page) ? " referenced" : "");
		put_page(page);
	}
	sys_close((unsigned)fd);
}

/* One line of the answer file, blanks squeezed, or "" at its end. */
static void read_line(FILE *f, char *out, size_t n)
{
	char line[128];
	size_t k = 0;

	out[0] = 0;
	while (fgets(line, sizeof line, f)) {
		for (char *w = strtok(line, " \t\r\n"); w && k + 1 < n;
		     w = strtok(NULL, " \t\r\n"))
			k += (size_t)snprintf(out + k, n - k, "%s%s",
					      k ? " " : "", w);
		if (k)
			return;
	}
}

int main(void)
{
	struct states s;
	char got[PAGES][64], path[512];
	struct task *t;
	FILE *f = fopen("answers/12.6.txt", "r");

	atexit(no_verdict);
	if (!f) {
		say("FAIL 12.6: write your answer in answers/12.6.txt: "
		       FORMAT "\n");
		return 1;
	}
	for (int i = 0; i < PAGES; i++)
		read_line(f, got[i], sizeof got[i]);
	fclose(f);
	if (mm_boot("mem=64M quiet") < 0 || !(t = task_create("ex126"))) {
		say("FAIL 12.6: the model does not boot\n");
		return 1;
	}
	snprintf(path, sizeof path, "%s/ex126", vfs_root());
	f = fopen(path, "w");
	for (int i = 0; i < PAGES * 4096; i++)
		fputc('a' + i / 4096, f);
	fclose(f);
	int sig = task_run(t, read_pages, &s);
	task_destroy(t);
	mm_shutdown();
	if (sig) {
		say("FAIL 12.6: the model's task died of signal %d\n", sig);
		return 1;
	}
	for (int i = 0; i < PAGES; i++)
		if (strcmp(got[i], s.line[i])) {
			say("FAIL 12.6: page %d is not \"%s\": what does "
			       "each read do to it, and did any read bring "
			       "it in unasked?\n", i, got[i]);
			return 1;
		}
	say("PASS 12.6: the LRU state of the file's eight pages\n");
	return 0;
}
