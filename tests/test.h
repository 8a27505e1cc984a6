/* test.h -- what every test suite shares.
 *
 * Each tests/test_*.c file defines its CUnit tests and registers them with
 * TEST_SUITE(name, setup, teardown, {"test name", fn}, ...).  Registration
 * runs before main() (a constructor), so adding a suite never means editing
 * runner.c.
 */
#ifndef TEST_H
#define TEST_H
#include <stdio.h>
#include <CUnit/CUnit.h>
#include "model.h"

struct test_case { const char *name; CU_TestFunc fn; };
struct test_suite {
	const char *name;
	CU_InitializeFunc init;
	CU_CleanupFunc clean;
	const struct test_case *cases;
	struct test_suite *next;
};
void register_suite(struct test_suite *s);

#define TEST_SUITE(id, title, init_fn, clean_fn, ...)                      \
	static const struct test_case id##_cases[] = { __VA_ARGS__,       \
						       { NULL, NULL } };  \
	static struct test_suite id##_suite = { title, init_fn, clean_fn, \
						id##_cases, NULL };       \
	__attribute__((constructor)) static void id##_register(void)      \
	{ register_suite(&id##_suite); }

/* Boot for a test and fail loudly if the machine will not start. */
#define BOOT(cmdline) CU_ASSERT_FATAL(mm_boot(cmdline) == 0)

/* The machine of chapters 2 to 6: only the kernel half's five boot steps
 * (book/02-machine.nw, init_steps=). Those chapters' tests boot it, so
 * that what a later chapter starts at boot never changes what they
 * count. */
#define KERNEL_HALF " init_steps=5"

/* Host resources, for leak checks: open descriptors, and the host
 * mappings that look like a machine's (the same before boot and after
 * shutdown: AddressSanitizer's own shadow regions count too). */
int count_open_fds(void);
int count_host_mappings(void);

/* What a /proc view (proc_buddyinfo, proc_slabinfo, ...) prints, as a
 * string the caller frees. */
char *proc_text(void (*show)(FILE *f));

/* The VMAs of mm, one "start-end [flags] pgoff" line each, in hex, in a
 * buffer valid until the next call. */
char *vma_lines(struct mm_struct *mm, bool flags);

/* Task bodies for task_run: write value + i into the first int of page i
 * of a span, or check it is there (value becomes -1 on a mismatch). */
struct span { unsigned long start, pages; int value; };
void write_span(void *arg);
void read_span(void *arg);

/* The number after the first occurrence of name in a /proc view, or -1. */
long proc_value(void (*show)(FILE *f), const char *name);

#endif
