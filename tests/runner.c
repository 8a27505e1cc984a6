/* runner.c -- run every registered CUnit suite; exit 1 on any failure.
 * `build/test-runner SUITE` runs only the suites whose name contains SUITE;
 * a filter that matches no suite is an error (exit 2), not a silent pass. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "test.h"

static struct test_suite *suites, **tail = &suites;

void register_suite(struct test_suite *s)
{
	*tail = s;
	tail = &s->next;
}

int count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Host mappings that belong to a machine: pieces of the memfd, and any
 * reservation of 1 GiB or more (what is left of the window around them).  Other mappings come and go
 * with the C library and the sanitizers' allocators, so they are not
 * counted. */
int count_host_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    (hi - lo >= (1UL << 30) || strstr(line, "model-physical-memory")))
			n++;
	}
	fclose(f);
	return n;
}

/* Not inlined: GCC 12 otherwise takes the memstream's buffer for a
 * dangling pointer in the callers that free it (a false positive). */
__attribute__((noinline)) char *proc_text(void (*show)(FILE *f))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	show(f);
	fclose(f);
	return text;
}

char *vma_lines(struct mm_struct *mm, bool flags)
{
	static char buf[4096];
	size_t n = 0;

	buf[0] = '\0';
	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next) {
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%08lx-%08lx ",
				      v->vm_start, v->vm_end);
		if (flags)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%lx ",
					      v->vm_flags);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%lx\n",
				      v->vm_pgoff);
	}
	return buf;
}

void write_span(void *arg)
{
	struct span *s = arg;

	for (unsigned long i = 0; i < s->pages; i++)
		*(volatile int *)vaddr_to_ptr(s->start + i * PAGE_SIZE) =
			s->value + (int)i;
}

void read_span(void *arg)
{
	struct span *s = arg;

	for (unsigned long i = 0; i < s->pages; i++)
		if (*(volatile int *)vaddr_to_ptr(s->start + i * PAGE_SIZE)
		    != s->value + (int)i)
			s->value = -1;          /* a mismatch */
}

long proc_value(void (*show)(FILE *f), const char *name)
{
	char *text = proc_text(show), *line = strstr(text, name);
	long n = -1;

	if (line)
		sscanf(line + strlen(name), "%ld", &n);
	free(text);
	return n;
}

int main(int argc, char **argv)
{
	unsigned int failed, matched = 0;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (struct test_suite *s = suites; s; s = s->next) {
		if (argc > 1 && !strstr(s->name, argv[1]))
			continue;
		matched++;
		CU_pSuite cs = CU_add_suite(s->name, s->init, s->clean);
		for (const struct test_case *t = s->cases; t->name; t++)
			CU_add_test(cs, t->name, t->fn);
	}
	if (!matched) {
		if (argc > 1)
			fprintf(stderr, "test-runner: no suite's name contains "
				"\"%s\"; the suites are:\n", argv[1]);
		else
			fprintf(stderr, "test-runner: no suites are registered\n");
		for (struct test_suite *s = suites; s; s = s->next)
			fprintf(stderr, "    %s\n", s->name);
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
