/* test_pressure.c -- chapter 12: the LRU lists (every page on exactly one
 * list of its zone, anonymous pages active, page-cache pages inactive,
 * off the list when freed), reclaim of clean and dirty page-cache pages
 * under a file larger than memory, kswapd woken below pages_low, anonymous
 * memory kept without swap, vmalloc and kmalloc memory untouched by
 * pressure, free slabs reaped and in-use slabs kept, the OOM killer's
 * choice (the largest task but init) and its SIGKILL.  Then swap and the
 * reverse map: swap=, /proc/swaps and meminfo; i386 swap ptes; pages out
 * and back as major faults; fork after swap-out; munmap and exit freeing
 * slots; OOM with no swap or a full one; random work checked page by page
 * with swap_check() after every phase; kernel memory untouched. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

#define P     PAGE_SIZE
#define AREA  0x40000000UL
#define BUF   0x20000000UL
#define RW    (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/* Every LRU page is on exactly one list of its own zone, the flags agree
 * with the list, and the counts are the lists' lengths. */
static bool lru_check(void)
{
	unsigned long on[MAX_NR_ZONES] = { 0 }, flagged = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];
		struct page *pg;
		unsigned long a = 0, i = 0;

		list_for_each_entry(pg, &zone->active_list, lru) {
			if (!PageLRU(pg) || !PageActive(pg)
			    || page_zone(pg) != zone || page_count(pg) < 1)
				return false;
			a++;
		}
		list_for_each_entry(pg, &zone->inactive_list, lru) {
			if (!PageLRU(pg) || PageActive(pg)
			    || page_zone(pg) != zone || page_count(pg) < 1)
				return false;
			i++;
		}
		if (a != zone->nr_active || i != zone->nr_inactive)
			return false;
		on[z] = a + i;
	}
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
		flagged += PageLRU(&mem_map[pfn]);
	return flagged == on[0] + on[1] + on[2];
}

static unsigned long lru_pages(bool active)
{
	unsigned long n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];
		n += active ? zone->nr_active : zone->nr_inactive;
	}
	return n;
}

#define meminfo_kb(name) proc_value(proc_meminfo, name)

#define vmstat(name) proc_value(proc_vmstat, name)


static struct task *task_with_area(const char *name, unsigned long pages)
{
	struct task *t = task_create(name);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(install_vma(t->mm, AREA, AREA + pages * P, RW) == 0);
	return t;
}

/* A host file of `pages` pages, word k of page i holding i * 1024 + k. */
static void make_big_file(const char *name, unsigned long pages)
{
	char path[4096];
	static unsigned int page[1024];
	snprintf(path, sizeof path, "%s/%s", vfs_root(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	for (unsigned long i = 0; i < pages; i++) {
		for (int k = 0; k < 1024; k++)
			page[k] = (unsigned)(i * 1024 + k);
		CU_ASSERT(write(fd, page, P) == (ssize_t)P);
	}
	close(fd);
}

/* Read a file through sys_read a page at a time, checking every word. */
struct reader { const char *path; unsigned long pages, bad, read; };

static void read_file(void *arg)
{
	struct reader *r = arg;

	sys_mmap(BUF, P, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	long fd = sys_open(r->path, O_RDONLY, 0);
	for (unsigned long i = 0; i < r->pages; i++) {
		if (sys_read((unsigned)fd, vaddr_to_ptr(BUF), P) != (long)P)
			break;
		r->read++;
		unsigned int *w = vaddr_to_ptr(BUF);
		for (int k = 0; k < 1024; k++)
			if (w[k] != (unsigned)(i * 1024 + k))
				r->bad++;
	}
	sys_close((unsigned)fd);
}

/* ---------------------------------------------------------- the lists */

static void test_anonymous_pages_go_on_the_active_list(void)
{
	BOOT("mem=16M quiet");
	CU_ASSERT_EQUAL(lru_pages(true), 0);
	CU_ASSERT_EQUAL(lru_pages(false), 0);
	struct task *t = task_with_area("anon", 16);
	struct span s = { AREA, 16, 5 };
	CU_ASSERT_EQUAL(task_run(t, write_span, &s), 0);
	CU_ASSERT_EQUAL(lru_pages(true), 16);
	CU_ASSERT_EQUAL(lru_pages(false), 0);
	CU_ASSERT(lru_check());
	CU_ASSERT_EQUAL(meminfo_kb("Active:"), 64);
	CU_ASSERT_EQUAL(meminfo_kb("Inactive:"), 0);
	task_destroy(t);
	CU_ASSERT_EQUAL(lru_pages(true), 0);
	CU_ASSERT(lru_check());
	CU_ASSERT(buddy_check());
	mm_shutdown();
}

/* Read a four-page file three times through one descriptor, noting the
 * lists' lengths after each pass (the cache lives while the file is
 * open: chapter 9 drops it at the last close). */
struct passes { unsigned long inactive[3], active[3], bad; };

static void read_thrice(void *arg)
{
	struct passes *p = arg;

	sys_mmap(BUF, P, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	long fd = sys_open("/small", O_RDONLY, 0);
	for (int pass = 0; pass < 3; pass++) {
		sys_lseek((unsigned)fd, 0, SEEK_SET);
		for (unsigned long i = 0; i < 4; i++) {
			sys_read((unsigned)fd, vaddr_to_ptr(BUF), P);
			if (*(unsigned *)vaddr_to_ptr(BUF) != i * 1024)
				p->bad++;
		}
		p->inactive[pass] = lru_pages(false);
		p->active[pass] = lru_pages(true);
	}
	sys_close((unsigned)fd);
}

static void test_cache_pages_go_inactive_then_active_on_reuse(void)
{
	BOOT("mem=16M quiet");
	make_big_file("small", 4);
	struct task *t = task_create("reader");
	struct passes p = { { 0 }, { 0 }, 0 };
	CU_ASSERT_EQUAL(task_run(t, read_thrice, &p), 0);
	CU_ASSERT_EQUAL(p.bad, 0);
	CU_ASSERT_EQUAL(p.inactive[0], 4);           /* new: inactive */
	CU_ASSERT_EQUAL(p.active[0], 1);             /* the task's buffer */
	CU_ASSERT_EQUAL(p.inactive[1], 4);           /* referenced once */
	CU_ASSERT_EQUAL(p.inactive[2], 0);           /* twice: active */
	CU_ASSERT_EQUAL(p.active[2], 5);
	CU_ASSERT_EQUAL(reclaim_stats.pgactivate, 4);
	CU_ASSERT_EQUAL(lru_pages(false), 0);        /* dropped at close */
	CU_ASSERT_EQUAL(lru_pages(true), 1);
	CU_ASSERT(lru_check());
	task_destroy(t);
	CU_ASSERT_EQUAL(lru_pages(true), 0);
	mm_shutdown();
}

/* ---------------------------------------------------------- reclaim */

static void test_a_file_larger_than_memory_reads_through(void)
{
	BOOT("mem=16M quiet");
	make_big_file("big", 6000);                 /* 23.4 MiB */
	struct task *t = task_create("reader");
	struct reader r = { "/big", 6000, 0, 0 };
	CU_ASSERT_EQUAL(task_run(t, read_file, &r), 0);
	CU_ASSERT_EQUAL(r.read, 6000);
	CU_ASSERT_EQUAL(r.bad, 0);
	CU_ASSERT(reclaim_stats.pgsteal > 0);
	CU_ASSERT(reclaim_stats.pgscan_kswapd + reclaim_stats.pgscan_direct
		  >= reclaim_stats.pgsteal);
	CU_ASSERT(reclaim_stats.kswapd_wakeups > 0);
	CU_ASSERT_EQUAL(vmstat("pgsteal "), (long)reclaim_stats.pgsteal);
	CU_ASSERT_EQUAL(vmstat("pageoutrun "), (long)reclaim_stats.pageoutrun);
	CU_ASSERT(reclaim_stats.kswapd_steal > 0);
	CU_ASSERT(lru_check());
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	CU_ASSERT(dma->free_pages >= dma->pages_min);
	task_destroy(t);
	CU_ASSERT(buddy_check());
	mm_shutdown();
}

/* Read a file a page at a time, noting the fewest free pages of the zone
 * seen after any read. */
struct watch { unsigned long pages, min_free, high_after_run; };

static void read_watching(void *arg)
{
	struct watch *w = arg;
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	unsigned long runs = reclaim_stats.pageoutrun;

	sys_mmap(BUF, P, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	long fd = sys_open("/big", O_RDONLY, 0);
	w->min_free = dma->free_pages;
	for (unsigned long i = 0; i < w->pages; i++) {
		sys_read((unsigned)fd, vaddr_to_ptr(BUF), P);
		if (dma->free_pages < w->min_free)
			w->min_free = dma->free_pages;
		if (reclaim_stats.pageoutrun != runs) {
			runs = reclaim_stats.pageoutrun;
			w->high_after_run += dma->free_pages > dma->pages_high;
		}
	}
	sys_close((unsigned)fd);
}

static void test_kswapd_keeps_the_zone_between_its_marks(void)
{
	BOOT("mem=16M quiet");
	make_big_file("big", 6000);
	struct task *t = task_create("reader");
	struct watch w = { 6000, 0, 0 };
	CU_ASSERT_EQUAL(task_run(t, read_watching, &w), 0);
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	CU_ASSERT(w.min_free >= dma->pages_low - 1);
	CU_ASSERT(reclaim_stats.pageoutrun > 0);
	CU_ASSERT_EQUAL(w.high_after_run, reclaim_stats.pageoutrun);
	CU_ASSERT_EQUAL(reclaim_stats.allocstall, 0);   /* no direct reclaim */
	CU_ASSERT_EQUAL(reclaim_stats.pgscan_direct, 0);
	task_destroy(t);
	mm_shutdown();
}

static void write_pages(void *arg)
{
	struct reader *r = arg;

	sys_mmap(BUF, P, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	long fd = sys_open(r->path, O_RDWR | O_CREAT, 0644);
	for (unsigned long i = 0; i < r->pages; i++) {
		unsigned int *w = vaddr_to_ptr(BUF);
		for (int k = 0; k < 1024; k++)
			w[k] = (unsigned)(i * 1024 + k);
		if (sys_write((unsigned)fd, vaddr_to_ptr(BUF), P) != (long)P)
			break;
		r->read++;
	}
	sys_close((unsigned)fd);
}

static void test_dirty_pages_are_written_before_they_are_dropped(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("writer");
	struct reader w = { "/out", 6000, 0, 0 };
	CU_ASSERT_EQUAL(task_run(t, write_pages, &w), 0);
	CU_ASSERT_EQUAL(w.read, 6000);
	CU_ASSERT(reclaim_stats.pgwriteback > 0);
	struct reader r = { "/out", 6000, 0, 0 };
	CU_ASSERT_EQUAL(task_run(t, read_file, &r), 0);
	CU_ASSERT_EQUAL(r.read, 6000);
	CU_ASSERT_EQUAL(r.bad, 0);
	task_destroy(t);
	mm_shutdown();
}

/* ---------------------------------------------------------- the claim */

static void test_kernel_memory_and_anonymous_memory_survive_pressure(void)
{
	BOOT("mem=16M quiet");
	unsigned char *v = vmalloc(64 * P);
	CU_ASSERT_FATAL(v != NULL);
	for (unsigned long i = 0; i < 64 * P; i++)
		v[i] = (unsigned char)(i * 7 + 3);
	void *obj[200];
	for (int i = 0; i < 200; i++) {
		obj[i] = kmalloc(128, GFP_KERNEL);
		CU_ASSERT_FATAL(obj[i] != NULL);
		memset(obj[i], i, 128);
	}
	struct task *a = task_with_area("anon", 256);
	struct span s = { AREA, 256, 1000 };
	CU_ASSERT_EQUAL(task_run(a, write_span, &s), 0);
	make_big_file("big", 6000);
	struct task *t = task_create("reader");
	struct reader r = { "/big", 6000, 0, 0 };
	CU_ASSERT_EQUAL(task_run(t, read_file, &r), 0);
	CU_ASSERT_EQUAL(r.bad, 0);
	CU_ASSERT(reclaim_stats.pgsteal > 0);
	for (unsigned long i = 0; i < 64 * P; i++)
		if (v[i] != (unsigned char)(i * 7 + 3)) {
			CU_FAIL("vmalloc byte changed");
			break;
		}
	for (unsigned long i = 0; i < 64; i++)
		CU_ASSERT_FALSE(PageLRU(vmalloc_to_page(v + i * P)));
	for (int i = 0; i < 200; i++) {
		unsigned char *b = obj[i];
		for (int k = 0; k < 128; k++)
			if (b[k] != (unsigned char)i)
				CU_FAIL("kmalloc byte changed");
		CU_ASSERT_FALSE(PageLRU(virt_to_page(obj[i])));
		kfree(obj[i]);
	}
	CU_ASSERT_EQUAL(get_mm_counter(a->mm, anon_rss), 256);
	CU_ASSERT_EQUAL(task_run(a, read_span, &s), 0);
	CU_ASSERT_EQUAL(s.value, 1000);              /* no swap: kept */
	vfree(v);
	task_destroy(t);
	task_destroy(a);
	CU_ASSERT(lru_check());
	mm_shutdown();
}

static void test_free_slabs_are_reaped_in_use_ones_kept(void)
{
	BOOT("mem=16M quiet");
	struct kmem_cache *c = kmem_cache_create("pressure-test", 1024, 0,
						 0, NULL);
	CU_ASSERT_FATAL(c != NULL);
	void *obj[64];
	for (int i = 0; i < 64; i++) {
		obj[i] = kmem_cache_alloc(c, GFP_KERNEL);
		CU_ASSERT_FATAL(obj[i] != NULL);
		memset(obj[i], 0x5c, 1024);
	}
	for (int i = 1; i < 64; i++)               /* keep the first */
		kmem_cache_free(c, obj[i]);
	unsigned long before = nr_free_pages();
	unsigned long reaped = try_to_free_pages(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages() - before, reaped);
	CU_ASSERT(reclaim_stats.slabs_reaped >= 15);   /* 16 slabs, one kept */
	CU_ASSERT(PageSlab(virt_to_page(obj[0])));
	for (int k = 0; k < 1024; k++)
		if (((unsigned char *)obj[0])[k] != 0x5c)
			CU_FAIL("in-use object changed");
	CU_ASSERT_EQUAL(kmem_cache_shrink(c), 0);    /* nothing free left */
	kmem_cache_free(c, obj[0]);
	kmem_cache_destroy(c);
	mm_shutdown();
}

/* ---------------------------------------------------------- OOM */

static void test_oom_kills_the_largest_and_the_others_survive(void)
{
	BOOT("mem=16M quiet");
	struct task *init = task_with_area("init", 1);
	CU_ASSERT_EQUAL(init->pid, 1);
	struct task *big = task_with_area("big", 2000);
	struct task *small = task_with_area("small", 50);
	struct task *grower = task_with_area("grower", 1500);
	struct span b = { AREA, 2000, 1 }, s = { AREA, 50, 7 };
	struct span g = { AREA, 1500, 9 }, i1 = { AREA, 1, 3 };
	CU_ASSERT_EQUAL(task_run(init, write_span, &i1), 0);
	CU_ASSERT_EQUAL(task_run(big, write_span, &b), 0);
	CU_ASSERT_EQUAL(task_run(small, write_span, &s), 0);
	CU_ASSERT_EQUAL(badness(big), 2007);  /* total_vm: 2000 + 7 of a task */
	CU_ASSERT_EQUAL(badness(small), 57);
	CU_ASSERT_EQUAL(task_run(grower, write_span, &g), 0);
	char line[160];
	snprintf(line, sizeof line, "Out of Memory: Kill process %d (big) "
		 "score 2007 and children.\nOut of memory: Killed process %d "
		 "(big).\n", big->pid, big->pid);      /* 2.6.17's two lines */
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), line));
	CU_ASSERT_EQUAL(badness(big), 0);           /* no mm: no score */
	CU_ASSERT_EQUAL(reclaim_stats.oom_kill, 1);
	CU_ASSERT_EQUAL(big->state, EXIT_ZOMBIE);
	CU_ASSERT_EQUAL(big->exit_code, SIGKILL);
	CU_ASSERT_EQUAL(task_run(small, read_span, &s), 0);
	CU_ASSERT_EQUAL(s.value, 7);
	CU_ASSERT_EQUAL(task_run(grower, read_span, &g), 0);
	CU_ASSERT_EQUAL(g.value, 9);
	CU_ASSERT_EQUAL(task_run(init, read_span, &i1), 0);
	CU_ASSERT_EQUAL(i1.value, 3);
	task_destroy(big);
	task_destroy(small);
	task_destroy(grower);
	task_destroy(init);
	CU_ASSERT(lru_check());
	CU_ASSERT(buddy_check());
	mm_shutdown();
}

static void test_oom_kills_the_running_task_with_sigkill(void)
{
	BOOT("mem=16M quiet");
	struct task *init = task_with_area("init", 1);
	struct task *hog = task_with_area("hog", 5000);
	struct span h = { AREA, 5000, 1 };
	CU_ASSERT_EQUAL(task_run(hog, write_span, &h), SIGKILL);
	char line[80];
	snprintf(line, sizeof line, "Out of memory: Killed process %d (hog).",
		 hog->pid);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), line));
	CU_ASSERT_EQUAL(init->state, TASK_RUNNING);
	task_destroy(hog);
	task_destroy(init);
	CU_ASSERT(lru_check());
	mm_shutdown();
}

/* Every free page, taken without reclaim (GFP_ATOMIC), so that the next
 * page a task needs can only come from the OOM path. */
static struct page *hoarded[8192];
static int nhoard;

static long hoard_all_pages(void)
{
	while (nhoard < 8192 && (hoarded[nhoard] = alloc_page(GFP_ATOMIC)))
		nhoard++;
	return nhoard;
}

static void free_hoard(void)
{
	while (nhoard > 0)
		__free_page(hoarded[--nhoard]);
}

/* A fault inside a user copy that finds no memory fails the copy, as
 * 2.6.17's no_context does: read() returns -EFAULT to a task still
 * alive, and the page-cache page that read() held across the copy is not
 * leaked.  The stress run found the leak when the fault killed the task
 * in the middle of the system call. */
static void read_into_a_page_with_no_memory(void *arg)
{
	long *r = arg;
	long fd = sys_open("/f", O_RDWR | O_CREAT, 0644);

	memset(vaddr_to_ptr(AREA), 7, P);
	r[0] = sys_write((unsigned)fd, vaddr_to_ptr(AREA), P);
	sys_lseek((unsigned)fd, 0, SEEK_SET);
	r[1] = hoard_all_pages();
	r[2] = sys_read((unsigned)fd, vaddr_to_ptr(AREA + P), 100);
	free_hoard();
	r[3] = sys_read((unsigned)fd, vaddr_to_ptr(AREA + P), 100);
	r[4] = *(char *)vaddr_to_ptr(AREA + P + 99);
}

static void test_oom_in_a_user_copy_fails_the_copy(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_with_area("reader", 2);
	long r[5] = { 0 };
	CU_ASSERT_EQUAL(task_run(t, read_into_a_page_with_no_memory, r), 0);
	CU_ASSERT_EQUAL(r[0], (long)P);
	CU_ASSERT(r[1] > 0);
	CU_ASSERT_EQUAL(r[2], -EFAULT);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "VM: killing process reader"));
	CU_ASSERT_EQUAL(r[3], 100);                     /* memory again */
	CU_ASSERT_EQUAL(r[4], 7);
	CU_ASSERT_EQUAL(model_check(), 0);              /* nothing leaked */
	task_destroy(t);
	mm_shutdown();
}

static void test_kernel_half_has_no_reclaim(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	CU_ASSERT_EQUAL(try_to_free_pages(GFP_KERNEL), 0);
	unsigned long wakeups = reclaim_stats.kswapd_wakeups;
	static struct page *hoard[4096];
	int n = 0;
	while (n < 4096 && (hoard[n] = alloc_page(GFP_KERNEL)))
		n++;
	CU_ASSERT(n < 4096);
	CU_ASSERT_EQUAL(reclaim_stats.kswapd_wakeups, wakeups);
	while (n > 0)
		__free_page(hoard[--n]);
	CU_ASSERT_EQUAL(swap_check(), 0);          /* nothing to check */
	mm_shutdown();
}

/* ---------------------------------------------------------- swap */

/* Every word of page i of a task's area holds stamp(tag, i, k): a
 * checksum in all but name, which sees a lost page, a stale one, or a
 * page of another task. */
static unsigned int stamp(unsigned int tag, unsigned long i, int k)
{
	return tag * 0x9e3779b9u ^ (unsigned)(i * 1024 + (unsigned long)k);
}

struct fill { unsigned long start, pages; unsigned int tag; long bad; };

static void fill_pages(void *arg)
{
	struct fill *f = arg;

	for (unsigned long i = 0; i < f->pages; i++) {
		unsigned int *w = vaddr_to_ptr(f->start + i * P);
		for (int k = 0; k < 1024; k++)
			w[k] = stamp(f->tag, i, k);
	}
}

static void check_pages(void *arg)
{
	struct fill *f = arg;

	for (unsigned long i = 0; i < f->pages; i++) {
		const unsigned int *w = vaddr_to_ptr(f->start + i * P);
		for (int k = 0; k < 1024; k++)
			f->bad += w[k] != stamp(f->tag, i, k);
	}
}

/* Push other tasks' pages out: a task writes `pages` pages and exits. */
static void squeeze(unsigned long pages)
{
	struct task *hog = task_with_area("hog", pages);
	struct span s = { AREA, pages, 1 };
	CU_ASSERT_EQUAL(task_run(hog, write_span, &s), 0);
	task_destroy(hog);
}

static pte_t pte_of(struct task *t, unsigned long addr)
{
	pte_t *pte = lookup_pte(t->mm->pgd, addr);
	return pte ? *pte : __pte(0);
}

static unsigned int swap_count(swp_entry_t e)
{
	return swap_info[0].swap_map[swp_offset(e)];
}

static void test_swap_area_and_its_files(void)
{
	BOOT("mem=16M swap=32M quiet");
	CU_ASSERT_EQUAL(meminfo_kb("SwapTotal:"), 32764);  /* slot 0 kept */
	CU_ASSERT_EQUAL(meminfo_kb("SwapFree:"), 32764);
	CU_ASSERT_EQUAL(meminfo_kb("SwapCached:"), 0);
	char *text = proc_text(proc_swaps);
	CU_ASSERT_STRING_EQUAL(text,
		"Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n"
		"/swapfile (deleted)                     file\t\t32764\t0\t-1\n");
	free(text);
	CU_ASSERT(strstr(dmesg(), "Adding 32764k swap on /swapfile.  "
			 "Priority:-1 extents:1 across:32764k") != NULL);
	CU_ASSERT_EQUAL(swap_check(), 0);
	mm_shutdown();
	BOOT("mem=16M quiet");                       /* none by default */
	CU_ASSERT_EQUAL(meminfo_kb("SwapTotal:"), 0);
	text = proc_text(proc_swaps);
	CU_ASSERT_STRING_EQUAL(text,
		"Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n");
	free(text);
	mm_shutdown();
}

static void test_swap_bad_sizes(void)
{
	int fds = count_open_fds();
	CU_ASSERT_EQUAL(mm_boot("mem=16M swap=12345 quiet"), -EINVAL);
	CU_ASSERT_EQUAL(mm_boot("mem=16M swap=lots quiet"), -EINVAL);
	CU_ASSERT_EQUAL(mm_boot("mem=16M swap=65G quiet"), -EINVAL);
	BOOT("mem=16M swap=4K quiet");               /* only the header */
	CU_ASSERT(strstr(dmesg(), "Empty swap-file\n") != NULL);
	CU_ASSERT_EQUAL(meminfo_kb("SwapTotal:"), 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	mm_shutdown();
	CU_ASSERT_EQUAL(count_open_fds(), fds);
}

static void test_swap_entries_in_ptes(void)
{
	BOOT("mem=16M swap=1M quiet");
	swp_entry_t e = swp_entry(0, 5);
	CU_ASSERT_EQUAL(e.val, 5);
	CU_ASSERT_EQUAL(pte_val(swp_entry_to_pte(e)), 0x500);  /* off << 8 */
	CU_ASSERT(!pte_present(swp_entry_to_pte(e)));
	CU_ASSERT(!pte_none(swp_entry_to_pte(e)));
	CU_ASSERT_EQUAL(pte_to_swp_entry(__pte(0x500)).val, 5);
	CU_ASSERT_EQUAL(swp_type(swp_entry(3, 7)), 3);
	CU_ASSERT_EQUAL(pte_val(swp_entry_to_pte(swp_entry(3, 7))), 0x706);
	/* misuse gets 2.6.17's messages and changes nothing */
	dmesg_clear();
	swap_free(swp_entry(0, 5));
	CU_ASSERT_STRING_EQUAL(dmesg(),
		"swap_free: Unused swap offset entry 00000005\n");
	dmesg_clear();
	CU_ASSERT_EQUAL(swap_duplicate(swp_entry(0, 9999)), 0);
	CU_ASSERT_EQUAL(swap_duplicate(swp_entry(0, 5)), 0);   /* free */
	CU_ASSERT_EQUAL(swap_duplicate(swp_entry(0, 0)), 0);   /* bad */
	CU_ASSERT_STRING_EQUAL(dmesg(), "");       /* silent, as 2.6.17 */
	swap_free(swp_entry(0, 9999));
	CU_ASSERT_STRING_EQUAL(dmesg(),
		"swap_free: Bad swap offset entry 0000270f\n");
	dmesg_clear();
	swap_free(swp_entry(2, 1));
	CU_ASSERT_STRING_EQUAL(dmesg(),
		"swap_free: Bad swap file entry 10000001\n");
	dmesg_clear();
	CU_ASSERT_EQUAL(swap_duplicate(swp_entry(2, 1)), 0);
	CU_ASSERT_STRING_EQUAL(dmesg(),
		"swap_dup: Bad swap file entry 10000001\n");
	CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	mm_shutdown();
}

/* Without a swap area in use, any swap entry in a pte is a violation. */
static void test_swap_check_without_swap(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_with_area("t", 1);
	struct span s = { AREA, 1, 4 };
	CU_ASSERT_EQUAL(task_run(t, write_span, &s), 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	pte_t *pte = lookup_pte(t->mm->pgd, AREA), old = *pte;
	set_pte(pte, swp_entry_to_pte(swp_entry(0, 5)));
	dmesg_clear();
	CU_ASSERT_EQUAL(swap_check(), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(),
		"swap_check: 1 bad entries in ptes; 0 slots used of 0"));
	set_pte(pte, old);
	CU_ASSERT_EQUAL(swap_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

/* A task twice the size of memory, written and read back: every page
 * goes to swap and comes back intact, each return a major fault. */
static void test_anonymous_pages_go_to_swap_and_back(void)
{
	BOOT("mem=16M swap=64M quiet");
	struct task *t = task_with_area("big", 8192);
	struct fill f = { AREA, 8192, 7, 0 };
	CU_ASSERT_EQUAL(task_run(t, fill_pages, &f), 0);
	CU_ASSERT(reclaim_stats.pswpout > 4000);
	CU_ASSERT_EQUAL(swap_check(), 0);
	CU_ASSERT_EQUAL(meminfo_kb("SwapFree:"),
			(long)(nr_swap_pages << 2));
	unsigned long maj0 = t->maj_flt, in0 = reclaim_stats.pswpin;
	CU_ASSERT_EQUAL(task_run(t, check_pages, &f), 0);
	CU_ASSERT_EQUAL(f.bad, 0);
	CU_ASSERT(t->maj_flt - maj0 > 4000);
	CU_ASSERT_EQUAL(t->maj_flt - maj0, reclaim_stats.pswpin - in0);
	CU_ASSERT_EQUAL(vmstat("pgmajfault "), (long)reclaim_stats.pgmajfault);
	CU_ASSERT_EQUAL(vmstat("pswpin "), (long)reclaim_stats.pswpin);
	CU_ASSERT_EQUAL(vmstat("pgpgout "),
			(long)((file_stats.disk_writes
				+ reclaim_stats.pswpout) * 4));
	CU_ASSERT_EQUAL(swap_check(), 0);
	task_destroy(t);
	CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);     /* all free */
	CU_ASSERT_EQUAL(meminfo_kb("SwapCached:"), 0);
	CU_ASSERT_EQUAL(meminfo_kb("SwapFree:"), meminfo_kb("SwapTotal:"));
	CU_ASSERT_EQUAL(swap_check(), 0);
	CU_ASSERT(buddy_check());
	mm_shutdown();
}

/* fork after swap-out: both see the data, the slot has two users, then
 * one when the child goes; copy-on-write keeps them apart. */
static void write_first(void *arg)
{
	*(volatile unsigned int *)vaddr_to_ptr(AREA) = *(unsigned int *)arg;
}

static void test_fork_after_swap_out(void)
{
	BOOT("mem=16M swap=32M quiet");
	struct task *parent = task_with_area("parent", 16);
	struct fill f = { AREA, 16, 3, 0 };
	CU_ASSERT_EQUAL(task_run(parent, fill_pages, &f), 0);
	squeeze(5000);
	pte_t pte = pte_of(parent, AREA);
	CU_ASSERT_FATAL(!pte_present(pte) && !pte_none(pte));
	swp_entry_t e = pte_to_swp_entry(pte);
	CU_ASSERT_EQUAL(swap_count(e), 1);
	struct task *child = task_fork(parent);
	CU_ASSERT_FATAL(child != NULL);
	CU_ASSERT_EQUAL(pte_val(pte_of(child, AREA)), pte_val(pte));
	CU_ASSERT_EQUAL(swap_count(e), 2);
	CU_ASSERT_EQUAL(swap_check(), 0);
	task_destroy(child);
	CU_ASSERT_EQUAL(swap_count(e), 1);
	/* a child that writes: read in (major), then copied */
	child = task_fork(parent);
	unsigned int mine = 0xc0ffee;
	CU_ASSERT_EQUAL(task_run(child, write_first, &mine), 0);
	CU_ASSERT_EQUAL(child->maj_flt, 1);
	CU_ASSERT_EQUAL(*(unsigned int *)kmap(pte_page(pte_of(child, AREA))),
			0xc0ffee);
	kunmap(pte_page(pte_of(child, AREA)));
	CU_ASSERT(!PageSwapCache(pte_page(pte_of(child, AREA))));
	CU_ASSERT_EQUAL(swap_count(e), 2);        /* parent's pte, cache */
	CU_ASSERT_EQUAL(swap_check(), 0);
	unsigned long maj = parent->maj_flt;
	CU_ASSERT_EQUAL(task_run(parent, check_pages, &f), 0);
	CU_ASSERT_EQUAL(f.bad, 0);                   /* not the child's */
	CU_ASSERT_EQUAL(parent->maj_flt - maj, 15);  /* 0 was in the cache */
	CU_ASSERT_EQUAL(swap_count(e), 1);           /* the cache */
	CU_ASSERT_EQUAL(swap_check(), 0);
	task_destroy(child);
	task_destroy(parent);
	CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	mm_shutdown();
}

/* munmap of swapped pages frees their slots. */
static void unmap_area(void *arg)
{
	CU_ASSERT_EQUAL(sys_munmap(AREA, *(unsigned long *)arg * P), 0);
}

static void test_munmap_frees_swap_slots(void)
{
	BOOT("mem=16M swap=32M quiet");
	unsigned long pages = 1024;
	struct task *t = task_with_area("unmap", pages);
	struct fill f = { AREA, pages, 5, 0 };
	CU_ASSERT_EQUAL(task_run(t, fill_pages, &f), 0);
	squeeze(5000);
	CU_ASSERT(swap_info[0].inuse_pages > 900);
	CU_ASSERT_EQUAL(swap_check(), 0);
	CU_ASSERT_EQUAL(task_run(t, unmap_area, &pages), 0);
	CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);
	CU_ASSERT_EQUAL(total_swapcache_pages, 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	task_destroy(t);
	mm_shutdown();
}

/* Without swap anonymous memory stays where it is, and the OOM killer
 * acts; with the swap full, the same. */
static void test_no_swap_or_full_swap_means_oom(void)
{
	BOOT("mem=16M quiet");
	struct task *init = task_create("init");     /* never the victim */
	struct task *t = task_with_area("big", 6000);
	struct fill f = { AREA, 6000, 1, 0 };
	CU_ASSERT_EQUAL(task_run(t, fill_pages, &f), SIGKILL);
	CU_ASSERT_EQUAL(reclaim_stats.pswpout, 0);
	CU_ASSERT_EQUAL(reclaim_stats.steal_anon, 0);
	CU_ASSERT_EQUAL(reclaim_stats.oom_kill, 1);
	task_destroy(t);
	task_destroy(init);
	mm_shutdown();
	BOOT("mem=16M swap=4M quiet");
	init = task_create("init");
	t = task_with_area("big", 6000);
	CU_ASSERT_EQUAL(task_run(t, fill_pages, &f), SIGKILL);
	CU_ASSERT_EQUAL(reclaim_stats.pswpout, 1023);  /* every slot */
	CU_ASSERT_EQUAL(reclaim_stats.oom_kill, 1);
	CU_ASSERT(strstr(dmesg(), "Out of memory: Killed process 2 (big).")
		  != NULL);
	CU_ASSERT_EQUAL(swap_check(), 0);
	task_destroy(t);
	task_destroy(init);
	CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	mm_shutdown();
}

/* Random work under pressure: tasks write, read, fork, unmap and exit in
 * random order; after every phase every page of every task holds what
 * its task last wrote, and the swap map agrees with the ptes. */
#define NT 6
struct rtask { struct task *t; unsigned long pages; unsigned int tag; };

static void random_phase(struct rtask *r, unsigned int *seed, int *gen)
{
	struct rtask *x = &r[rand_r(seed) % NT];
	struct fill f = { AREA, x->pages, x->tag, 0 };

	switch (rand_r(seed) % 4) {
	case 0:                                   /* rewrite */
		f.tag = x->tag = (unsigned)++*gen;
		CU_ASSERT_EQUAL(task_run(x->t, fill_pages, &f), 0);
		break;
	case 1:                                   /* fork, replace */
		if (x->t) {
			struct task *c = task_fork(x->t);
			CU_ASSERT_FATAL(c != NULL);
			task_destroy(x->t);
			x->t = c;
		}
		break;
	case 2:                                   /* exit, start again */
		task_destroy(x->t);
		x->t = task_with_area("r", x->pages);
		f.tag = x->tag = (unsigned)++*gen;
		CU_ASSERT_EQUAL(task_run(x->t, fill_pages, &f), 0);
		break;
	default:                                  /* read */
		CU_ASSERT_EQUAL(task_run(x->t, check_pages, &f), 0);
		CU_ASSERT_EQUAL(f.bad, 0);
	}
}

static void test_random_work_under_pressure_loses_nothing(void)
{
	BOOT("mem=16M swap=64M quiet");
	struct rtask r[NT];
	unsigned int seed = 12;
	int gen = 0;
	for (int i = 0; i < NT; i++) {
		r[i].pages = 300 + (unsigned long)i * 250;
		r[i].t = task_with_area("r", r[i].pages);
		r[i].tag = (unsigned)++gen;
		struct fill f = { AREA, r[i].pages, r[i].tag, 0 };
		CU_ASSERT_EQUAL(task_run(r[i].t, fill_pages, &f), 0);
	}
	for (int phase = 0; phase < 12; phase++) {
		random_phase(r, &seed, &gen);
		for (int i = 0; i < NT; i++) {
			struct fill f = { AREA, r[i].pages, r[i].tag, 0 };
			CU_ASSERT_EQUAL(task_run(r[i].t, check_pages, &f), 0);
			CU_ASSERT_EQUAL(f.bad, 0);
		}
		CU_ASSERT_EQUAL(swap_check(), 0);
	}
	CU_ASSERT(reclaim_stats.pswpout > 0 && reclaim_stats.pswpin > 0);
	for (int i = 0; i < NT; i++)
		task_destroy(r[i].t);
	CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);
	CU_ASSERT_EQUAL(total_swapcache_pages, 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	CU_ASSERT(buddy_check());
	mm_shutdown();
}

/* vmalloc and kmalloc memory through swap pressure: every byte kept,
 * none of their pages on a list or in the swap cache. */
static void test_kernel_memory_survives_swap_pressure(void)
{
	BOOT("mem=16M swap=64M quiet");
	unsigned char *v = vmalloc(64 * P);
	void *o[256];
	for (unsigned long i = 0; i < 64 * P; i++)
		v[i] = (unsigned char)(i * 13 + 1);
	for (int i = 0; i < 256; i++)
		memset(o[i] = kmalloc(512, GFP_KERNEL), i, 512);
	struct task *t = task_with_area("big", 6000);
	struct fill f = { AREA, 6000, 9, 0 };
	CU_ASSERT_EQUAL(task_run(t, fill_pages, &f), 0);
	CU_ASSERT_EQUAL(task_run(t, check_pages, &f), 0);
	CU_ASSERT_EQUAL(f.bad, 0);
	CU_ASSERT(reclaim_stats.pswpout > 3000);
	long bad = 0;
	for (unsigned long i = 0; i < 64 * P; i++)
		bad += v[i] != (unsigned char)(i * 13 + 1);
	for (unsigned long i = 0; i < 64; i++) {
		struct page *pg = vmalloc_to_page(v + i * P);
		bad += PageLRU(pg) || PageSwapCache(pg) || PageAnon(pg);
	}
	for (int i = 0; i < 256; i++) {
		for (int k = 0; k < 512; k++)
			bad += ((unsigned char *)o[i])[k] != (unsigned char)i;
		bad += PageLRU(virt_to_page(o[i]));
	}
	CU_ASSERT_EQUAL(bad, 0);
	task_destroy(t);
	vfree(v);
	for (int i = 0; i < 256; i++)
		kfree(o[i]);
	CU_ASSERT_EQUAL(swap_check(), 0);
	mm_shutdown();
}

/* Reverse mapping: a page fork shares is unmapped from both tasks' ptes
 * at once; a clean mapped file page is unmapped and dropped, and the
 * next touch reads it again (a major fault). */
static void map_data(void *arg)
{
	long fd = sys_open("/data", O_RDONLY, 0);
	CU_ASSERT_EQUAL(sys_mmap(BUF, 4 * P, PROT_READ, MAP_SHARED | MAP_FIXED,
				 (unsigned long)fd, 0), (long)BUF);
	sys_close((unsigned)fd);
	*(unsigned long *)arg = *(volatile unsigned int *)vaddr_to_ptr(BUF + P);
}

static void read_data(void *arg)
{
	*(unsigned long *)arg = *(volatile unsigned int *)vaddr_to_ptr(BUF + P);
}

static void test_reverse_map_finds_every_pte(void)
{
	BOOT("mem=16M swap=32M quiet");
	struct task *parent = task_with_area("parent", 4);
	struct fill f = { AREA, 4, 11, 0 };
	CU_ASSERT_EQUAL(task_run(parent, fill_pages, &f), 0);
	struct page *pg = pte_page(pte_of(parent, AREA));
	struct task *child = task_fork(parent);
	CU_ASSERT_EQUAL(page_mapcount(pg), 2);
	struct anon_vma *av = find_vma(parent->mm, AREA)->anon_vma;
	CU_ASSERT(PageAnon(pg) && page_anon_vma(pg) == av);
	CU_ASSERT_PTR_EQUAL(find_vma(child->mm, AREA)->anon_vma, av);
	make_big_file("data", 4);
	unsigned long word = 0;
	CU_ASSERT_EQUAL(task_run(child, map_data, &word), 0);
	CU_ASSERT_EQUAL(word, 1024);
	unsigned long maj = child->maj_flt;
	squeeze(5000);
	pte_t a = pte_of(parent, AREA), b = pte_of(child, AREA);
	CU_ASSERT(!pte_present(a) && !pte_none(a));
	CU_ASSERT_EQUAL(pte_val(a), pte_val(b));      /* one slot, two ptes */
	CU_ASSERT_EQUAL(swap_count(pte_to_swp_entry(a)), 2);
	CU_ASSERT(pte_none(pte_of(child, BUF + P)));  /* the file page went */
	CU_ASSERT(rmap_stats.unmapped > 1000);
	CU_ASSERT_EQUAL(task_run(child, read_data, &word), 0);
	CU_ASSERT_EQUAL(word, 1024);
	CU_ASSERT_EQUAL(child->maj_flt - maj, 1);     /* read from the file */
	struct fill g = { AREA, 4, 11, 0 };
	CU_ASSERT_EQUAL(task_run(child, check_pages, &g), 0);
	CU_ASSERT_EQUAL(g.bad, 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	task_destroy(child);
	task_destroy(parent);
	CU_ASSERT_EQUAL(swap_info[0].inuse_pages, 0);
	CU_ASSERT_EQUAL(swap_check(), 0);
	mm_shutdown();
}

TEST_SUITE(swap, "ch12 swap", NULL, NULL,
	{ "swap=: the area, /proc/swaps and meminfo",
	  test_swap_area_and_its_files },
	{ "swap= with a bad size: refused, or no swap",
	  test_swap_bad_sizes },
	{ "swap entries in ptes, in i386's format; bad entries",
	  test_swap_entries_in_ptes },
	{ "swap_check without a swap area: every swap pte is bad",
	  test_swap_check_without_swap },
	{ "anonymous pages go to swap and come back as major faults",
	  test_anonymous_pages_go_to_swap_and_back },
	{ "fork after swap-out shares the slot; COW keeps tasks apart",
	  test_fork_after_swap_out },
	{ "munmap of swapped pages frees their slots",
	  test_munmap_frees_swap_slots },
	{ "no swap, or swap full: anonymous pages stay, OOM acts",
	  test_no_swap_or_full_swap_means_oom },
	{ "the reverse map finds every pte of a page, anonymous or file",
	  test_reverse_map_finds_every_pte },
	{ "random work under pressure loses and mixes nothing",
	  test_random_work_under_pressure_loses_nothing },
	{ "vmalloc and kmalloc memory survive swap pressure",
	  test_kernel_memory_survives_swap_pressure })

TEST_SUITE(pressure, "ch12 reclaim", NULL, NULL,
	{ "anonymous pages go on the active list, off when freed",
	  test_anonymous_pages_go_on_the_active_list },
	{ "cache pages start inactive and are activated on reuse",
	  test_cache_pages_go_inactive_then_active_on_reuse },
	{ "a file larger than memory reads through, reclaiming the cache",
	  test_a_file_larger_than_memory_reads_through },
	{ "kswapd keeps the zone between pages_low and pages_high",
	  test_kswapd_keeps_the_zone_between_its_marks },
	{ "dirty pages are written back before they are dropped",
	  test_dirty_pages_are_written_before_they_are_dropped },
	{ "vmalloc, kmalloc and anonymous memory survive pressure",
	  test_kernel_memory_and_anonymous_memory_survive_pressure },
	{ "free slabs are reaped, in-use slabs kept",
	  test_free_slabs_are_reaped_in_use_ones_kept },
	{ "the OOM killer kills the largest task, the others survive",
	  test_oom_kills_the_largest_and_the_others_survive },
	{ "the OOM killer's victim may be the running task: SIGKILL",
	  test_oom_kills_the_running_task_with_sigkill },
	{ "no memory for a fault in a user copy: -EFAULT, nothing leaked",
	  test_oom_in_a_user_copy_fails_the_copy },
	{ "the kernel half has no reclaim",
	  test_kernel_half_has_no_reclaim })
