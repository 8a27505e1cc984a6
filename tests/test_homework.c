/* test_homework.c -- Appendix D: every topic runs for seeds 1 to 20, the
 * same seed prints the same problem, different seeds different problems,
 * unknown topics and a running machine are refused, and four topics'
 * answers are checked by doing the scenario's calls here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

#define SEEDS 20

/* What homework_run prints, as a string the caller frees; *rc its result.
 * Not inlined, for the reason runner.c's proc_text gives. */
static __attribute__((noinline)) char *run(const char *topic, unsigned long seed, bool answers,
		 int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*rc = homework_run(f, topic, seed, answers);
	fclose(f);
	return text;
}

/* The topics' names, from homework_list: the first word of each line. */
static int topics(char names[][16], int max)
{
	char *text = proc_text(homework_list), *line = text;
	int n = 0;

	while (line && *line && n < max) {
		sscanf(line, "%15s", names[n++]);
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	free(text);
	return n;
}

/* The scenario: what is printed after the title line, up to question 1. */
static char *scenario(const char *text)
{
	const char *from = strchr(text, '\n'), *to = strstr(text, "\n1. ");

	if (!from || !to || to < from)
		return strdup("");
	return strndup(from, (size_t)(to - from));
}

/* The output without answers: from an Answer or Why line, every line
 * that starts with a blank (its continuations) is removed. */
static char *strip_answers(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	bool in_answer = false;

	for (const char *l = text; *l; ) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l + 1) : strlen(l);

		if (strncmp(l, "   Answer: ", 11) == 0
		    || strncmp(l, "   Why: ", 8) == 0)
			in_answer = true;
		else if (*l != ' ')
			in_answer = false;
		if (!in_answer) {
			memcpy(o, l, n);
			o += n;
		}
		l += n;
	}
	*o = '\0';
	return out;
}

/* ---------------------------------------------------- every topic, seeds */

static void test_every_topic_every_seed(void)
{
	static char *scen[32][SEEDS];
	char names[32][16];
	int n = topics(names, 32), rc, fds = 0;

	CU_ASSERT(n >= 10);
	for (int s = 0; s < SEEDS; s++) {
		for (int t = 0; t < n; t++) {
			char *text = run(names[t], (unsigned long)s + 1, true,
					 &rc);

			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n1. "));
			CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n2. "));
			CU_ASSERT_PTR_NOT_NULL(strstr(text, "   Answer: "));
			CU_ASSERT_PTR_NULL(strstr(text, "(null)"));
			CU_ASSERT_FALSE(mm_booted());
			scen[t][s] = scenario(text);
			CU_ASSERT(strlen(scen[t][s]) > 20);
			free(text);
		}
		if (s == 0)
			fds = count_open_fds();
	}
	CU_ASSERT_EQUAL(count_open_fds(), fds);
	for (int t = 0; t < n; t++)
		for (int a = 0; a < SEEDS; a++) {
			for (int b = a + 1; b < SEEDS; b++)
				if (strcmp(scen[t][a], scen[t][b]) == 0)
					CU_FAIL("two seeds, one scenario");
			free(scen[t][a]);
		}
}

static void test_same_seed_same_output(void)
{
	char names[32][16];
	int n = topics(names, 32), rc1, rc2, rc3;

	for (int t = 0; t < n; t++) {
		char *a = run(names[t], 7, true, &rc1);
		/* The second run allocates what the first did, so even the
		 * sanitizers' allocators map nothing new: count around it. */
		int fds = count_open_fds(), maps = count_host_mappings();
		char *b = run(names[t], 7, true, &rc2);

		CU_ASSERT_EQUAL(count_open_fds(), fds);
		CU_ASSERT_EQUAL(count_host_mappings(), maps);
		char *q = run(names[t], 7, false, &rc3);
		char *stripped = strip_answers(a);

		CU_ASSERT(rc1 == 0 && rc2 == 0 && rc3 == 0);
		CU_ASSERT_STRING_EQUAL(a, b);
		CU_ASSERT_STRING_EQUAL(stripped, q);   /* answers only added */
		CU_ASSERT_PTR_NULL(strstr(q, "Answer:"));
		free(a);
		free(b);
		free(q);
		free(stripped);
	}
}

static void test_unknown_topic_and_busy_machine(void)
{
	int rc;
	char *text = run("no-such-topic", 1, true, &rc);
	char *list = proc_text(homework_list);

	CU_ASSERT_EQUAL(rc, -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, list));
	CU_ASSERT_FALSE(mm_booted());
	free(text);
	text = run(NULL, 1, false, &rc);
	CU_ASSERT_EQUAL(rc, -EINVAL);
	free(text);
	BOOT("mem=16M quiet" KERNEL_HALF);
	text = run("buddy", 1, true, &rc);
	CU_ASSERT_EQUAL(rc, -EBUSY);
	CU_ASSERT_STRING_EQUAL(text, "");
	CU_ASSERT(mm_booted());
	mm_shutdown();
	free(text);
	free(list);
}

/* ------------------------------------------- answers checked independently */

/* The n-th line of text that starts with lead (after the answer's own
 * lead, if any), or NULL. */
static const char *nth_line(const char *text, const char *lead, int n)
{
	for (const char *l = text; l && *l; ) {
		if (strncmp(l, lead, strlen(lead)) == 0 && n-- == 0)
			return l + strlen(lead);
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return NULL;
}

/* The lines of an answer list: "   Answer: x" then "           y"... */
static const char *answer_item(const char *text, int question, int i)
{
	char head[16];
	const char *q;

	snprintf(head, sizeof head, "\n%d. ", question);
	q = strstr(text, head);
	q = q ? strstr(q, "   Answer: ") : NULL;
	if (!q)
		return NULL;
	q += 11;
	while (i-- > 0) {
		q = strchr(q, '\n');
		if (!q || strncmp(q + 1, "           ", 11))
			return NULL;
		q += 12;
	}
	return q;
}

static void test_buddy_answers(void)
{
	for (unsigned long seed = 1; seed <= 2; seed++) {
		int rc, allocs = 0;
		char *text = run("buddy", seed, true, &rc);
		struct page *page[26] = { NULL };

		BOOT("mem=1G quiet" KERNEL_HALF);
		for (int i = 0; i < 6; i++) {
			const char *l = nth_line(text, "    ", i);
			char name, want;
			unsigned int order;
			long pfn;

			if (sscanf(l, "__free_pages(%c, %u)", &name, &order) == 2) {
				__free_pages(page[name - 'a'], order);
				continue;
			}
			CU_ASSERT_FATAL(sscanf(l, "%c = alloc_pages(GFP_HIGHUSER, "
					       "%u)", &name, &order) == 2);
			page[name - 'a'] = alloc_pages(GFP_HIGHUSER, order);
			CU_ASSERT_FATAL(sscanf(answer_item(text, 1, allocs++),
					       "%c = %ld", &want, &pfn) == 2);
			CU_ASSERT_EQUAL(want, name);
			CU_ASSERT_EQUAL(pfn, (long)page_to_pfn(page[name - 'a']));
		}
		CU_ASSERT(allocs >= 3);
		mm_shutdown();
		free(text);
	}
}

/* Whether a read of a kernel address oopses (a guard page does). */
static __attribute__((noinline)) int read_oopses(unsigned long addr)
{
	return oopses((void)*(volatile char *)vaddr_to_ptr(addr));
}

static void test_vmalloc_answers(void)
{
	for (unsigned long seed = 1; seed <= 5; seed++) {
		int rc, n = 0;
		char *text = run("vmalloc", seed, true, &rc);
		void *v[6] = { NULL };
		unsigned long guard, want;

		BOOT("mem=64M quiet" KERNEL_HALF);
		for (int i = 0; i < 6; i++) {
			const char *l = nth_line(text, "    ", i);
			unsigned long size;
			int k;

			if (strncmp(l, "vfree(v2)", 9) == 0) {
				vfree(v[2]);
				continue;
			}
			CU_ASSERT_FATAL(sscanf(l, "v%d = vmalloc(%lu)", &k,
					       &size) == 2);
			v[k] = vmalloc(size);
			CU_ASSERT_FATAL(sscanf(answer_item(text, 1, n++),
					       "v%*d = %lx", &want) == 1);
			CU_ASSERT_EQUAL(want, ptr_to_vaddr(v[k]));
		}
		CU_ASSERT_FATAL(sscanf(answer_item(text, 2, 0), "%lx",
				       &guard) == 1);
		CU_ASSERT_FALSE(read_oopses(guard - 1));
		CU_ASSERT_TRUE(read_oopses(guard));
		mm_shutdown();
		free(text);
	}
}

/* The pages after a word, up to ';' or '.', as a bit mask. */
static unsigned int pages_after(const char *text, const char *word)
{
	const char *p = strstr(text, word);
	unsigned int set = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (p += strlen(word); *p != ';' && *p != '.'; p++)
		if (*p >= '0' && *p <= '9')
			set |= 1U << (*p - '0');
	return set;
}

struct loop { unsigned int set; bool write; };

static void loop_body(void *arg)
{
	struct loop *l = arg;

	for (int i = 0; i < 8; i++) {
		volatile char *p = vaddr_to_ptr(0x40000000UL + i * PAGE_SIZE);

		if (!(l->set & (1U << i)))
			continue;
		if (l->write)
			*p = 2;
		else
			(void)*p;
	}
}

static void test_faults_answers(void)
{
	for (unsigned long seed = 1; seed <= 5; seed++) {
		int rc;
		char *text = run("faults", seed, true, &rc);
		unsigned long want[3], flt;
		struct task *p, *c;

		CU_ASSERT_FATAL(sscanf(answer_item(text, 1, 0), "%lu",
				       &want[0]) == 1);
		CU_ASSERT_FATAL(sscanf(answer_item(text, 2, 0), "%lu",
				       &want[1]) == 1);
		CU_ASSERT_FATAL(sscanf(answer_item(text, 3, 0), "%lu",
				       &want[2]) == 1);
		BOOT("mem=64M quiet");
		p = task_create("p");
		install_vma(p->mm, 0x40000000UL, 0x40008000UL,
			    VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
		task_run(p, loop_body, &(struct loop){
			pages_after(text, "reads pages "), false });
		task_run(p, loop_body, &(struct loop){
			pages_after(text, "then writes pages "), true });
		CU_ASSERT_EQUAL(p->min_flt, want[0]);
		c = task_fork(p);
		task_run(c, loop_body, &(struct loop){
			pages_after(text, "child writes pages "), true });
		CU_ASSERT_EQUAL(c->min_flt, want[1]);
		flt = p->min_flt;
		task_run(p, loop_body, &(struct loop){
			pages_after(text, "parent writes pages "), true });
		CU_ASSERT_EQUAL(p->min_flt - flt, want[2]);
		task_destroy(c);
		task_destroy(p);
		mm_shutdown();
		free(text);
	}
}

/* swap: the task's writes and reads done here, with a body of our own,
 * and the three answers compared with what this machine counted. */
struct span_rw { unsigned long n; bool write; };

static void span_body(void *arg)
{
	struct span_rw *s = arg;

	for (unsigned long i = 0; i < s->n; i++) {
		volatile char *p = vaddr_to_ptr(0x40000000UL + i * PAGE_SIZE);

		if (s->write)
			*p = 3;
		else
			(void)*p;
	}
}

static void test_swap_answers(void)
{
	for (unsigned long seed = 1; seed <= 3; seed++) {
		int rc;
		char *text = run("swap", seed, true, &rc);
		const char *w = strstr(text, "in each of "), *r;
		unsigned long pages, reread, out, maj, used;
		struct task *t;

		r = strstr(text, "reads the\nfirst ");
		CU_ASSERT_FATAL(w && r);
		CU_ASSERT_FATAL(sscanf(w, "in each of %lu", &pages) == 1);
		CU_ASSERT_FATAL(sscanf(r, "reads the\nfirst %lu", &reread)
				== 1);
		CU_ASSERT_FATAL(sscanf(answer_item(text, 1, 0), "%lu", &out)
				== 1);
		CU_ASSERT_FATAL(sscanf(answer_item(text, 2, 0), "%lu", &maj)
				== 1);
		CU_ASSERT_FATAL(sscanf(answer_item(text, 3, 0), "%lu kB",
				       &used) == 1);
		BOOT("mem=4M swap=4M quiet");
		t = task_create("writer");
		install_vma(t->mm, 0x40000000UL, 0x40000000UL
			    + pages * PAGE_SIZE,
			    VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
		task_run(t, span_body, &(struct span_rw){ pages, true });
		CU_ASSERT(out > 0);
		CU_ASSERT_EQUAL(reclaim_stats.pswpout, out);
		CU_ASSERT_EQUAL(t->maj_flt, 0);
		task_run(t, span_body, &(struct span_rw){ reread, false });
		CU_ASSERT_EQUAL(t->maj_flt, maj);
		CU_ASSERT_EQUAL(reclaim_stats.pswpin, maj);
		CU_ASSERT_EQUAL(swap_info[0].inuse_pages * 4, used);
		CU_ASSERT_EQUAL(swap_check(), 0);
		task_destroy(t);
		CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);
		mm_shutdown();
		free(text);
	}
}

TEST_SUITE(homework, "homework", NULL, NULL,
	   { "every topic, seeds 1 to 20", test_every_topic_every_seed },
	   { "the same seed, the same output",
	     test_same_seed_same_output },
	   { "unknown topic, busy machine",
	     test_unknown_topic_and_busy_machine },
	   { "buddy: the frames, done here", test_buddy_answers },
	   { "vmalloc: the addresses and the guard, done here",
	     test_vmalloc_answers },
	   { "faults: the counts, done here", test_faults_answers },
	   { "swap: out, back and Used, done here", test_swap_answers });
