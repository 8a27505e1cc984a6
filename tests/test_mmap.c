/* test_mmap.c -- chapter 9: files through the page cache (open, read,
 * write, lseek, ftruncate, fsync, close), paths that stay inside root,
 * the radix tree, mmap/munmap/mprotect/mremap/madvise/msync/mlock with
 * Linux's errors, file faults, SIGBUS, /proc/meminfo. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "test.h"

#define P      PAGE_SIZE
#define A(x)   ((char *)vaddr_to_ptr(x))

/* Write a host file under the model's root. */
static void host_put(const char *name, const void *data, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", vfs_root(), name);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (len)
		fwrite(data, 1, len, f);
	fclose(f);
}

/* Read a host file under the root into buf; the length, or -1. */
static long host_get(const char *name, char *buf, size_t size)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", vfs_root(), name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long n = (long)fread(buf, 1, size, f);
	fclose(f);
	return n;
}


/* A generic task body: run fn with a scratch buffer mapped at BUF. */
struct ctx { long r[64]; int n; char s[512]; unsigned long a; };
#define BUF 0x20000000UL

static void map_buf(void)
{
	CU_ASSERT_EQUAL(sys_mmap(BUF, 4 * P, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				 -1UL, 0), (long)BUF);
}

/* ---------------------------------------------------------- radix tree */

static void test_radix_tree(void)
{
	BOOT("mem=16M quiet");
	struct radix_tree_root root = { 0, NULL };
	static int items[300];
	CU_ASSERT_EQUAL(radix_tree_insert(&root, 0, &items[0]), 0);
	CU_ASSERT_EQUAL(root.height, 0);               /* index 0 in the root */
	CU_ASSERT_EQUAL(radix_tree_insert(&root, 0, &items[1]), -EEXIST);
	CU_ASSERT_EQUAL(radix_tree_insert(&root, 63, &items[63]), 0);
	CU_ASSERT_EQUAL(root.height, 1);
	CU_ASSERT_EQUAL(radix_tree_insert(&root, 64, &items[64]), 0);
	CU_ASSERT_EQUAL(root.height, 2);
	CU_ASSERT_EQUAL(radix_tree_insert(&root, 262143, &items[299]), 0);
	CU_ASSERT_EQUAL(root.height, 3);
	CU_ASSERT_PTR_EQUAL(radix_tree_lookup(&root, 0), &items[0]);
	CU_ASSERT_PTR_EQUAL(radix_tree_lookup(&root, 63), &items[63]);
	CU_ASSERT_PTR_EQUAL(radix_tree_lookup(&root, 64), &items[64]);
	CU_ASSERT_PTR_EQUAL(radix_tree_lookup(&root, 262143), &items[299]);
	CU_ASSERT_PTR_NULL(radix_tree_lookup(&root, 65));
	CU_ASSERT_PTR_NULL(radix_tree_lookup(&root, 1UL << 40));
	void *got[8];
	CU_ASSERT_EQUAL(radix_tree_gang_lookup(&root, got, 1, 8), 3);
	CU_ASSERT_PTR_EQUAL(got[0], &items[63]);
	CU_ASSERT_PTR_EQUAL(got[2], &items[299]);
	CU_ASSERT_PTR_EQUAL(radix_tree_delete(&root, 262143), &items[299]);
	CU_ASSERT_EQUAL(root.height, 2);                /* shrunk */
	CU_ASSERT_PTR_NULL(radix_tree_delete(&root, 262143));
	CU_ASSERT_PTR_EQUAL(radix_tree_delete(&root, 64), &items[64]);
	CU_ASSERT_PTR_EQUAL(radix_tree_delete(&root, 63), &items[63]);
	CU_ASSERT_EQUAL(root.height, 0);
	CU_ASSERT_PTR_EQUAL(radix_tree_delete(&root, 0), &items[0]);
	CU_ASSERT_PTR_NULL(root.rnode);
	mm_shutdown();
}

/* ---------------------------------------------------------- files */

static void rw_roundtrip(void *arg)
{
	struct ctx *c = arg;
	map_buf();
	memcpy(A(BUF), "hello, page cache", 17);
	c->r[0] = sys_open("/f", O_RDWR | O_CREAT, 0644);
	c->r[1] = sys_write((unsigned)c->r[0], A(BUF), 17);
	c->r[2] = sys_lseek((unsigned)c->r[0], 7, SEEK_SET);
	c->r[3] = sys_read((unsigned)c->r[0], A(BUF + P), 100);
	memcpy(c->s, A(BUF + P), 10);
	c->r[4] = sys_lseek((unsigned)c->r[0], 0, SEEK_END);
	c->r[5] = sys_lseek((unsigned)c->r[0], -1, SEEK_SET);
	c->r[6] = sys_lseek((unsigned)c->r[0], 0, 7);
	c->r[7] = sys_fsync((unsigned)c->r[0]);
	c->r[8] = sys_close((unsigned)c->r[0]);
	c->r[9] = sys_close((unsigned)c->r[0]);
	c->r[10] = sys_read(99, A(BUF), 1);
	c->r[11] = sys_open("f", O_RDONLY, 0);          /* same file */
	c->r[12] = sys_write((unsigned)c->r[11], A(BUF), 1);
	c->r[13] = sys_read((unsigned)c->r[11], vaddr_to_ptr(0x1000), 5);
	c->r[14] = sys_ftruncate((unsigned)c->r[11], 3);
	c->r[15] = sys_open("/nosuch", O_RDONLY, 0);
	c->r[16] = sys_open("/f", O_RDWR | O_CREAT | O_EXCL, 0644);
	c->r[17] = sys_read((unsigned)c->r[11], A(BUF), 100);
}

static void test_read_write_through_the_cache(void)
{
	BOOT("mem=16M quiet");
	kmem_cache_reap(GFP_KERNEL);
	unsigned long free0 = nr_free_pages();
	struct task *t = task_create("rw");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, rw_roundtrip, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], 0);
	CU_ASSERT_EQUAL(c.r[1], 17);
	CU_ASSERT_EQUAL(c.r[2], 7);
	CU_ASSERT_EQUAL(c.r[3], 10);
	CU_ASSERT_NSTRING_EQUAL(c.s, "page cache", 10);
	CU_ASSERT_EQUAL(c.r[4], 17);
	CU_ASSERT_EQUAL(c.r[5], -EINVAL);
	CU_ASSERT_EQUAL(c.r[6], -EINVAL);
	CU_ASSERT_EQUAL(c.r[7], 0);
	CU_ASSERT_EQUAL(c.r[8], 0);
	CU_ASSERT_EQUAL(c.r[9], -EBADF);
	CU_ASSERT_EQUAL(c.r[10], -EBADF);
	CU_ASSERT_EQUAL(c.r[11], 0);                    /* lowest free */
	CU_ASSERT_EQUAL(c.r[12], -EBADF);               /* not for writing */
	CU_ASSERT_EQUAL(c.r[13], -EFAULT);
	CU_ASSERT_EQUAL(c.r[14], -EINVAL);              /* read-only fd */
	CU_ASSERT_EQUAL(c.r[15], -ENOENT);
	CU_ASSERT_EQUAL(c.r[16], -EEXIST);
	CU_ASSERT_EQUAL(c.r[17], 17);
	char buf[64];
	CU_ASSERT_EQUAL(host_get("f", buf, sizeof buf), 17);
	CU_ASSERT_NSTRING_EQUAL(buf, "hello, page cache", 17);
	CU_ASSERT_EQUAL(file_stats.nr_pagecache, 1);    /* fd 0 still open */
	task_destroy(t);
	CU_ASSERT_EQUAL(file_stats.nr_pagecache, 0);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	mm_shutdown();
}

static void escape(void *arg)
{
	struct ctx *c = arg;
	c->r[0] = sys_open("/../../../etc/passwd", O_RDONLY, 0);
	c->r[1] = sys_open("../in", O_RDONLY, 0);
	c->r[2] = sys_open("/d/../in", O_RDONLY, 0);
	c->r[3] = sys_open("link", O_RDONLY, 0);       /* -> /etc/passwd */
	c->r[4] = sys_open("uplink/in", O_RDONLY, 0);  /* -> ../../.. */
	c->r[5] = sys_open(NULL, O_RDONLY, 0);
	c->r[6] = sys_open("", O_RDONLY, 0);
}

static void test_paths_stay_inside_root(void)
{
	BOOT("mem=16M quiet");
	host_put("in", "x", 1);
	char path[256];
	snprintf(path, sizeof path, "%s/d", vfs_root());
	CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/link", vfs_root());
	CU_ASSERT_EQUAL(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof path, "%s/uplink", vfs_root());
	CU_ASSERT_EQUAL(symlink("../../../..", path), 0);
	struct task *t = task_create("esc");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, escape, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], -ENOENT);
	CU_ASSERT_EQUAL(c.r[1], 0);                     /* .. stays at top */
	CU_ASSERT_EQUAL(c.r[2], 1);
	CU_ASSERT_EQUAL(c.r[3], -ENOENT);               /* inside the root */
	CU_ASSERT_EQUAL(c.r[4], 2);                     /* = /in */
	CU_ASSERT_EQUAL(c.r[5], -EFAULT);
	CU_ASSERT_EQUAL(c.r[6], -ENOENT);
	task_destroy(t);
	mm_shutdown();
}

static void read_meminfo(void *arg)
{
	struct ctx *c = arg;
	map_buf();
	c->r[0] = sys_open("/proc/meminfo", O_RDONLY, 0);
	c->r[1] = sys_read((unsigned)c->r[0], A(BUF), 2 * P);
	memcpy(c->s, A(BUF), sizeof c->s - 1);
	c->r[2] = sys_open("/proc/meminfo", O_RDWR, 0);
	c->r[3] = sys_fsync((unsigned)c->r[0]);
	c->r[4] = sys_mmap(0, P, PROT_READ, MAP_PRIVATE, (unsigned long)c->r[0], 0);
	c->r[5] = sys_open("/proc/self/maps", O_RDONLY, 0);
}

static void test_meminfo_from_a_task(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("mi");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, read_meminfo, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], 0);
	CU_ASSERT(c.r[1] > 500);
	CU_ASSERT_NSTRING_EQUAL(c.s, "MemTotal:        16", 18);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.s, "\nCached:              0 kB\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c.s, "\nHighTotal:           0 kB\n"));
	CU_ASSERT_EQUAL(c.r[2], -EACCES);
	CU_ASSERT_EQUAL(c.r[3], -EINVAL);
	CU_ASSERT_EQUAL(c.r[4], -ENODEV);
	CU_ASSERT_EQUAL(c.r[5], 1);
	task_destroy(t);
	mm_shutdown();
}

/* ---------------------------------------------------------- mapping files */

static void shared_map(void *arg)
{
	struct ctx *c = arg;
	map_buf();
	long fd = sys_open("/m", O_RDWR, 0);
	c->a = (unsigned long)sys_mmap(0, 2 * P, PROT_READ | PROT_WRITE,
				       MAP_SHARED, (unsigned long)fd, 0);
	memcpy(c->s, A(c->a), 8);                       /* read fault */
	memcpy(A(c->a + 1), "XY", 2);                   /* write fault */
	c->r[0] = sys_read((unsigned)fd, A(BUF), 8);    /* read() sees it */
	memcpy(c->s + 8, A(BUF), 8);
	c->r[1] = sys_msync(c->a, 2 * P, MS_SYNC);
	c->r[2] = (long)file_stats.disk_writes;
	memcpy(A(BUF), "new!", 4);
	sys_lseek((unsigned)fd, 4, SEEK_SET);
	c->r[3] = sys_write((unsigned)fd, A(BUF), 4);   /* the mapping sees */
	memcpy(c->s + 16, A(c->a), 8);
	c->r[4] = sys_close((unsigned)fd);
	memcpy(A(c->a + 6), "Z", 1);                    /* after close */
	c->r[5] = sys_munmap(c->a, 2 * P);
	c->r[6] = *(volatile char *)A(c->a);            /* SIGSEGV */
}

static void test_shared_mapping_reaches_the_file(void)
{
	BOOT("mem=16M quiet");
	host_put("m", "abcdefgh", 8);
	kmem_cache_reap(GFP_KERNEL);
	unsigned long free0 = nr_free_pages();
	struct task *t = task_create("shm");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, shared_map, &c), SIGSEGV);
	CU_ASSERT_NSTRING_EQUAL(c.s, "abcdefgh", 8);
	CU_ASSERT_EQUAL(c.r[0], 8);
	CU_ASSERT_NSTRING_EQUAL(c.s + 8, "aXYdefgh", 8);
	CU_ASSERT_EQUAL(c.r[1], 0);
	CU_ASSERT_EQUAL(c.r[2], 1);
	CU_ASSERT_EQUAL(c.r[3], 4);
	CU_ASSERT_NSTRING_EQUAL(c.s + 16, "aXYdnew!", 8);
	CU_ASSERT_EQUAL(c.r[5], 0);
	char buf[64];
	CU_ASSERT_EQUAL(host_get("m", buf, sizeof buf), 8);
	CU_ASSERT_NSTRING_EQUAL(buf, "aXYdneZ!", 8);
	task_destroy(t);
	CU_ASSERT_EQUAL(file_stats.nr_pagecache, 0);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	mm_shutdown();
}

static void private_map(void *arg)
{
	struct ctx *c = arg;
	long fd = sys_open("/m", O_RDONLY, 0);
	c->a = (unsigned long)sys_mmap(0, 2 * P, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE, (unsigned long)fd, 0);
	c->r[0] = *(volatile char *)A(c->a);
	c->r[1] = (long)get_mm_counter(current->mm, file_rss);
	*A(c->a) = 'P';                                /* a copy */
	c->r[2] = (long)get_mm_counter(current->mm, file_rss);
	c->r[3] = (long)get_mm_counter(current->mm, anon_rss);
	c->r[4] = *(volatile char *)A(c->a + 4096);     /* tail: zero */
	*A(c->a + 4096 + 10) = 'Q';
	c->r[5] = sys_msync(c->a, 2 * P, MS_SYNC);
	c->r[6] = sys_munmap(c->a, 2 * P);
	c->a = (unsigned long)sys_mmap(0, 3 * P, PROT_READ, MAP_SHARED,
				       (unsigned long)fd, 0);
	c->r[7] = *(volatile char *)A(c->a);            /* the file's own */
	c->r[8] = *(volatile char *)A(c->a + 4096);
	c->r[10] = *(volatile char *)A(c->a + 4097);   /* past the end */
	c->r[11] = 1;
	c->r[9] = *(volatile char *)A(c->a + 8192);     /* SIGBUS */
}

static void test_private_writes_and_the_end_of_a_file(void)
{
	BOOT("mem=16M quiet");
	char data[4097];
	memset(data, 'd', sizeof data);
	host_put("m", data, sizeof data);
	kmem_cache_reap(GFP_KERNEL);
	unsigned long free0 = nr_free_pages();
	struct task *t = task_create("priv");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, private_map, &c), SIGBUS);
	CU_ASSERT_EQUAL(c.r[0], 'd');
	CU_ASSERT_EQUAL(c.r[1], 1);
	CU_ASSERT_EQUAL(c.r[2], 0);
	CU_ASSERT_EQUAL(c.r[3], 1);
	CU_ASSERT_EQUAL(c.r[4], 'd');
	CU_ASSERT_EQUAL(c.r[5], 0);
	CU_ASSERT_EQUAL(c.r[6], 0);
	CU_ASSERT_EQUAL(c.r[7], 'd');
	CU_ASSERT_EQUAL(c.r[8], 'd');
	CU_ASSERT_EQUAL(c.r[10], 0);
	CU_ASSERT_EQUAL(c.r[11], 1);
	char buf[8192];
	CU_ASSERT_EQUAL(host_get("m", buf, sizeof buf), 4097);
	CU_ASSERT_EQUAL(memchr(buf, 'P', 4097), NULL);
	CU_ASSERT_EQUAL(memchr(buf, 'Q', 4097), NULL);
	task_destroy(t);
	kmem_cache_reap(GFP_KERNEL);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	mm_shutdown();
}

TEST_SUITE(ch09_files, "ch09 files and the page cache", NULL, NULL,
	   { "the radix tree", test_radix_tree },
	   { "read and write through the cache",
	     test_read_write_through_the_cache },
	   { "paths stay inside root", test_paths_stay_inside_root },
	   { "/proc/meminfo from a task", test_meminfo_from_a_task },
	   { "a shared mapping reaches the file",
	     test_shared_mapping_reaches_the_file },
	   { "private writes and the end of a file",
	     test_private_writes_and_the_end_of_a_file })

/* ---------------------------------------------------------- VMA sets */

#define B   0x30000000UL
#define RWP (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC \
	     | VM_ACCOUNT)
#define ROP (VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT)

/* The VMAs in [B, B + 64 pages) as "start-end flags" lines. */
static char *vmas_at_b(struct mm_struct *mm)
{
	static char buf[2048];
	size_t n = 0;

	buf[0] = '\0';
	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next)
		if (v->vm_start >= B && v->vm_end <= B + 64 * P)
			n += (size_t)snprintf(buf + n, sizeof buf - n,
					      "%lx-%lx %lx\n",
					      (v->vm_start - B) / P,
					      (v->vm_end - B) / P,
					      v->vm_flags);
	return buf;
}

static void splits_and_merges(void *arg)
{
	struct ctx *c = arg;
	c->r[0] = sys_mmap(B, 8 * P, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	c->r[1] = sys_mprotect(B + 2 * P, 2 * P, PROT_READ);
	snprintf(c->s, 128, "%s", vmas_at_b(current->mm));
	c->r[2] = sys_mprotect(B + 2 * P, 2 * P, PROT_READ | PROT_WRITE);
	snprintf(c->s + 128, 128, "%s", vmas_at_b(current->mm));
	c->r[3] = sys_munmap(B + 3 * P, P);
	snprintf(c->s + 256, 128, "%s", vmas_at_b(current->mm));
	c->r[4] = sys_mprotect(B, 8 * P, PROT_READ);      /* hole: -ENOMEM */
	snprintf(c->s + 384, 128, "%s", vmas_at_b(current->mm));
}

static void test_vma_sets_after_splits_and_merges(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("vmas");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, splits_and_merges, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], (long)B);
	CU_ASSERT_EQUAL(c.r[1], 0);
	char want[256];
	snprintf(want, sizeof want, "0-2 %lx\n2-4 %lx\n4-8 %lx\n", RWP, ROP,
		 RWP);
	CU_ASSERT_STRING_EQUAL(c.s, want);
	CU_ASSERT_EQUAL(c.r[2], 0);
	snprintf(want, sizeof want, "0-8 %lx\n", RWP);    /* merged again */
	CU_ASSERT_STRING_EQUAL(c.s + 128, want);
	CU_ASSERT_EQUAL(c.r[3], 0);
	snprintf(want, sizeof want, "0-3 %lx\n4-8 %lx\n", RWP, RWP);
	CU_ASSERT_STRING_EQUAL(c.s + 256, want);
	CU_ASSERT_EQUAL(c.r[4], -ENOMEM);
	snprintf(want, sizeof want, "0-3 %lx\n4-8 %lx\n", ROP, RWP);
	CU_ASSERT_STRING_EQUAL(c.s + 384, want);           /* part done */
	task_destroy(t);
	mm_shutdown();
}

static void fixed_and_noreplace(void *arg)
{
	struct ctx *c = arg;
	c->r[0] = sys_mmap(B, 4 * P, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	memset(A(B), 'a', 4 * P);
	c->r[1] = (long)get_mm_rss(current->mm);
	c->r[2] = sys_mmap(B + P, 2 * P, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			   -1UL, 0);
	c->r[3] = sys_mmap(B + P, 2 * P, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	c->r[5] = (long)get_mm_rss(current->mm);
	c->r[4] = A(B)[0] + A(B + P)[0] * 256L + A(B + 3 * P)[0] * 65536L;
	c->r[6] = sys_mmap(B + 10 * P, P, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			   -1UL, 0);
	snprintf(c->s, 256, "%s", vmas_at_b(current->mm));
	for (int i = 0; i < 8; i++)
		c->r[10 + i] = sys_mmap(0, (unsigned long)(i + 1) * P,
					PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
					-1UL, 0);
}

static void test_map_fixed_replaces_and_noreplace_refuses(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("fixed");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, fixed_and_noreplace, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], (long)B);
	CU_ASSERT_EQUAL(c.r[1], 4);
	CU_ASSERT_EQUAL(c.r[2], -EEXIST);
	CU_ASSERT_EQUAL(c.r[3], (long)(B + P));
	CU_ASSERT_EQUAL(c.r[4], 'a' + 0 * 256L + 'a' * 65536L);   /* zeros */
	CU_ASSERT_EQUAL(c.r[5], 2);                  /* two pages freed */
	CU_ASSERT_EQUAL(c.r[6], (long)(B + 10 * P));
	char want[256];
	snprintf(want, sizeof want, "0-1 %lx\n1-3 %lx\n3-4 %lx\na-b %lx\n",
		 RWP, VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, RWP,
		 VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC);
	CU_ASSERT_STRING_EQUAL(c.s, want);
	/* kernel-chosen addresses: never 0, never overlapping */
	for (int i = 0; i < 8; i++) {
		CU_ASSERT(c.r[10 + i] > 0);
		CU_ASSERT_EQUAL(c.r[10 + i] & (long)(P - 1), 0);
		for (int j = 0; j < i; j++)
			CU_ASSERT(c.r[10 + i] + (i + 1) * (long)P <= c.r[10 + j]
				  || c.r[10 + j] + (j + 1) * (long)P
				     <= c.r[10 + i]);
	}
	CU_ASSERT_EQUAL(find_vma_intersection(t->mm, 0, P), NULL);
	task_destroy(t);
	mm_shutdown();
}

static void remaps(void *arg)
{
	struct ctx *c = arg;
	c->r[0] = sys_mmap(B, 4 * P, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	A(B)[0] = 'x';
	A(B + 3 * P)[0] = 'y';
	c->r[1] = sys_mremap(B, 4 * P, 6 * P, 0, 0);           /* in place */
	snprintf(c->s, 64, "%s", vmas_at_b(current->mm));
	c->r[2] = sys_mmap(B + 6 * P, P, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	c->r[3] = sys_mremap(B, 6 * P, 8 * P, 0, 0);          /* blocked */
	c->r[4] = sys_mremap(B, 6 * P, 8 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     B + 20 * P);
	c->r[5] = A(B + 20 * P)[0] + 256L * A(B + 23 * P)[0];
	snprintf(c->s + 64, 128, "%s", vmas_at_b(current->mm));
	c->r[6] = sys_mremap(B + 20 * P, 8 * P, 2 * P, 0, 0);  /* shrink */
	c->r[7] = sys_mremap(B + 40 * P, P, 2 * P, MREMAP_MAYMOVE, 0);
	c->r[8] = sys_mremap(B + 20 * P, 3 * P, 4 * P, MREMAP_MAYMOVE, 0);
	c->r[9] = sys_mremap(B + 20 * P, 2 * P, 4 * P,
			     MREMAP_MAYMOVE | MREMAP_FIXED, B + 21 * P);
	c->r[10] = sys_mremap(B + 20 * P, 2 * P, 4 * P, MREMAP_FIXED,
			      B + 30 * P);
	c->r[11] = sys_mremap(B + 20 * P, 2 * P, 0, 0, 0);
	c->r[12] = sys_mremap(B + 20 * P + 1, P, P, 0, 0);
	c->r[13] = sys_mremap(B + 20 * P, P, P, 0x10, 0);
}

static void test_mremap(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("remap");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, remaps, &c), 0);
	CU_ASSERT_EQUAL(c.r[1], (long)B);
	char want[256];
	snprintf(want, sizeof want, "0-6 %lx\n", RWP);
	CU_ASSERT_STRING_EQUAL(c.s, want);
	CU_ASSERT_EQUAL(c.r[3], -ENOMEM);
	CU_ASSERT_EQUAL(c.r[4], (long)(B + 20 * P));
	CU_ASSERT_EQUAL(c.r[5], 'x' + 256L * 'y');          /* pages moved */
	snprintf(want, sizeof want, "6-7 %lx\n14-1c %lx\n",
		 VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, RWP);
	CU_ASSERT_STRING_EQUAL(c.s + 64, want);
	CU_ASSERT_EQUAL(c.r[6], (long)(B + 20 * P));
	CU_ASSERT_EQUAL(c.r[7], -EFAULT);
	CU_ASSERT_EQUAL(c.r[8], -EFAULT);       /* beyond the VMA */
	CU_ASSERT_EQUAL(c.r[9], -EINVAL);       /* overlap */
	CU_ASSERT_EQUAL(c.r[10], -EINVAL);      /* FIXED without MAYMOVE */
	CU_ASSERT_EQUAL(c.r[11], -EINVAL);
	CU_ASSERT_EQUAL(c.r[12], -EINVAL);
	CU_ASSERT_EQUAL(c.r[13], -EINVAL);
	CU_ASSERT_EQUAL(get_mm_rss(t->mm), 1);  /* 'x' kept, 'y' unmapped */
	task_destroy(t);
	mm_shutdown();
}

static void advice_and_locks(void *arg)
{
	struct ctx *c = arg;
	sys_mmap(B, 4 * P, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	memset(A(B), 7, 4 * P);
	c->r[0] = sys_madvise(B, 2 * P, MADV_DONTNEED);
	c->r[1] = A(B)[0] + A(B + P)[5] + A(B + 2 * P)[0];   /* 0 + 0 + 7 */
	c->r[2] = sys_madvise(B, P, 12345);
	c->r[3] = sys_madvise(B + 1, P, MADV_NORMAL);
	c->r[4] = sys_madvise(B, 0, MADV_NORMAL);
	c->r[5] = sys_madvise(B, 8 * P, MADV_SEQUENTIAL);    /* hole after */
	snprintf(c->s, 128, "%s", vmas_at_b(current->mm));
	c->r[6] = sys_madvise(B + P, P, MADV_RANDOM);
	snprintf(c->s + 128, 128, "%s", vmas_at_b(current->mm));
	c->r[7] = sys_mlock(B + 10, 2 * P);                  /* 3 pages */
	c->r[8] = (long)current->mm->locked_vm;
	c->r[9] = sys_madvise(B, P, MADV_DONTNEED);          /* locked */
	c->r[10] = sys_msync(B, P, MS_INVALIDATE);
	c->r[11] = sys_mlock(B, 4 * P);                      /* 1 more */
	c->r[12] = (long)current->mm->locked_vm;
	sys_mmap(B + 8 * P, 8 * P, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	c->r[13] = sys_mlock(B + 8 * P, 8 * P);              /* limit 8 */
	c->r[14] = sys_munlock(B, 16 * P);                   /* hole */
	c->r[15] = (long)current->mm->locked_vm;
	c->r[16] = sys_mlock(B + 4 * P, P);                  /* hole */
	current->rlim[RLIMIT_MEMLOCK].rlim_cur = 0;
	c->r[17] = sys_mlock(B, P);
	c->r[18] = sys_mmap(0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS
			    | MAP_LOCKED, -1UL, 0);
}

static void test_madvise_and_mlock(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("adv");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, advice_and_locks, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], 0);
	CU_ASSERT_EQUAL(c.r[1], 7);
	CU_ASSERT_EQUAL(c.r[2], -EINVAL);
	CU_ASSERT_EQUAL(c.r[3], -EINVAL);
	CU_ASSERT_EQUAL(c.r[4], 0);
	CU_ASSERT_EQUAL(c.r[5], -ENOMEM);
	char want[256];
	snprintf(want, sizeof want, "0-4 %lx\n", RWP | VM_SEQ_READ);
	CU_ASSERT_STRING_EQUAL(c.s, want);
	CU_ASSERT_EQUAL(c.r[6], 0);
	snprintf(want, sizeof want, "0-1 %lx\n1-2 %lx\n2-4 %lx\n",
		 RWP | VM_SEQ_READ, RWP | VM_RAND_READ, RWP | VM_SEQ_READ);
	CU_ASSERT_STRING_EQUAL(c.s + 128, want);
	CU_ASSERT_EQUAL(c.r[7], 0);
	CU_ASSERT_EQUAL(c.r[8], 3);
	CU_ASSERT_EQUAL(c.r[9], -EINVAL);
	CU_ASSERT_EQUAL(c.r[10], -EBUSY);
	CU_ASSERT_EQUAL(c.r[11], 0);
	CU_ASSERT_EQUAL(c.r[12], 4);
	CU_ASSERT_EQUAL(c.r[13], -ENOMEM);
	CU_ASSERT_EQUAL(c.r[14], -ENOMEM);
	CU_ASSERT_EQUAL(c.r[15], 0);
	CU_ASSERT_EQUAL(c.r[16], -ENOMEM);
	CU_ASSERT_EQUAL(c.r[17], -EPERM);
	CU_ASSERT_EQUAL(c.r[18], -EPERM);
	task_destroy(t);
	mm_shutdown();
}

static void swapped(void *arg)
{
	struct ctx *c = arg;
	long f1 = sys_open("/one", O_RDONLY, 0), f2 = sys_open("/two",
							O_RDONLY, 0);
	sys_mmap(B, P, PROT_READ, MAP_SHARED | MAP_FIXED, (unsigned long)f1, 0);
	sys_mmap(B + P, P, PROT_READ, MAP_SHARED | MAP_FIXED,
		 (unsigned long)f2, 0);
	c->r[0] = A(B)[0] * 256L + A(B + P)[0];
	sys_munmap(B, 2 * P);
	sys_mmap(B, P, PROT_READ, MAP_SHARED | MAP_FIXED, (unsigned long)f2, 0);
	sys_mmap(B + P, P, PROT_READ, MAP_SHARED | MAP_FIXED,
		 (unsigned long)f1, 0);
	c->r[1] = A(B)[0] * 256L + A(B + P)[0];
}

static void test_swapped_remaps_show_each_files_data(void)
{
	BOOT("mem=16M quiet");
	host_put("one", "1", 1);
	host_put("two", "2", 1);
	struct task *t = task_create("swap");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, swapped, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], '1' * 256L + '2');
	CU_ASSERT_EQUAL(c.r[1], '2' * 256L + '1');
	task_destroy(t);
	mm_shutdown();
}

static void truncated(void *arg)
{
	struct ctx *c = arg;
	long fd = sys_open("/t", O_RDWR, 0);
	c->a = (unsigned long)sys_mmap(0, 3 * P, PROT_READ, MAP_SHARED,
				       (unsigned long)fd, 0);
	c->r[0] = A(c->a + 2 * P)[0];
	c->r[1] = (long)get_mm_counter(current->mm, file_rss);
	c->r[2] = sys_ftruncate((unsigned)fd, P + 10);
	c->r[3] = (long)get_mm_counter(current->mm, file_rss);
	c->r[4] = A(c->a + P)[9] * 256L + A(c->a + P)[10];   /* 't', 0 */
	c->r[5] = sys_ftruncate((unsigned)fd, (unsigned long)-1L);
	c->r[6] = 1;
	c->r[7] = A(c->a + 2 * P)[0];                         /* SIGBUS */
}

static void other_mapper(void *arg)
{
	struct ctx *c = arg;
	long fd = sys_open("/t", O_RDONLY, 0);
	c->a = (unsigned long)sys_mmap(0, 3 * P, PROT_READ, MAP_SHARED,
				       (unsigned long)fd, 0);
	c->r[0] = A(c->a + 2 * P)[0];
}

static void touch_again(void *arg)
{
	struct ctx *c = arg;
	c->r[1] = A(c->a)[0];
	c->r[2] = A(c->a + 2 * P)[0];                         /* SIGBUS */
}

static void test_truncate_unmaps_in_every_task(void)
{
	BOOT("mem=16M quiet");
	char data[3 * 4096];
	memset(data, 't', sizeof data);
	host_put("t", data, sizeof data);
	struct task *other = task_create("other");
	struct ctx o = { 0 };
	CU_ASSERT_EQUAL(task_run(other, other_mapper, &o), 0);
	CU_ASSERT_EQUAL(o.r[0], 't');
	CU_ASSERT_EQUAL(get_mm_counter(other->mm, file_rss), 1);
	struct task *t = task_create("trunc");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, truncated, &c), SIGBUS);
	CU_ASSERT_EQUAL(c.r[0], 't');
	CU_ASSERT_EQUAL(c.r[1], 1);
	CU_ASSERT_EQUAL(c.r[2], 0);
	CU_ASSERT_EQUAL(c.r[3], 0);
	CU_ASSERT_EQUAL(c.r[4], 't' * 256L);
	CU_ASSERT_EQUAL(c.r[5], -EINVAL);
	CU_ASSERT_EQUAL(c.r[6], 1);
	CU_ASSERT_EQUAL(get_mm_counter(other->mm, file_rss), 0);  /* gone */
	CU_ASSERT_EQUAL(task_run(other, touch_again, &o), SIGBUS);
	CU_ASSERT_EQUAL(o.r[1], 't');
	char buf[3 * 4096];
	CU_ASSERT_EQUAL(host_get("t", buf, sizeof buf), 4096 + 10);
	task_destroy(t);
	task_destroy(other);
	mm_shutdown();
}

static void two_mappers(void *arg)
{
	struct ctx *c = arg;
	long fd = sys_open("/s", O_RDONLY, 0);
	c->a = (unsigned long)sys_mmap(0, 4 * P, PROT_READ, MAP_SHARED,
				       (unsigned long)fd, 0);
	for (int i = 0; i < 4; i++)
		c->r[i] = A(c->a + (unsigned long)i * P)[0];
}

static void test_two_tasks_share_one_frame_per_page(void)
{
	BOOT("mem=16M quiet");
	char data[4 * 4096];
	memset(data, 's', sizeof data);
	host_put("s", data, sizeof data);
	struct task *t1 = task_create("one"), *t2 = task_create("two");
	struct ctx c1 = { 0 }, c2 = { 0 };
	unsigned long reads = file_stats.disk_reads;
	CU_ASSERT_EQUAL(task_run(t1, two_mappers, &c1), 0);
	CU_ASSERT_EQUAL(task_run(t2, two_mappers, &c2), 0);
	CU_ASSERT_EQUAL(file_stats.disk_reads - reads, 4);
	CU_ASSERT_EQUAL(file_stats.nr_pagecache, 4);
	pte_t *p1 = lookup_pte(t1->mm->pgd, c1.a), *p2 = lookup_pte(t2->mm->pgd,
								    c2.a);
	CU_ASSERT_EQUAL(pte_page(*p1), pte_page(*p2));
	CU_ASSERT_EQUAL(page_count(pte_page(*p1)), 3);   /* cache + 2 ptes */
	task_destroy(t1);
	task_destroy(t2);
	CU_ASSERT_EQUAL(file_stats.nr_pagecache, 0);
	mm_shutdown();
}

static void msync_errors(void *arg)
{
	struct ctx *c = arg;
	sys_mmap(B, 2 * P, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	c->r[0] = sys_msync(B, P, 8);
	c->r[1] = sys_msync(B + 1, P, MS_SYNC);
	c->r[2] = sys_msync(B, P, MS_SYNC | MS_ASYNC);
	c->r[3] = sys_msync(B, 0, MS_SYNC);
	c->r[4] = sys_msync(B - P, 2 * P, MS_ASYNC);
	c->r[5] = sys_msync(B - P, 2 * P, MS_SYNC);
	c->r[6] = sys_msync(B, 2 * P, MS_ASYNC | MS_INVALIDATE);
	c->r[7] = sys_msync(B + 4 * P, P, MS_SYNC);
	c->r[8] = sys_munmap(B + 1, P);
	c->r[9] = sys_munmap(B, 0);
	c->r[10] = sys_munmap(B + 8 * P, P);
	c->r[11] = sys_mprotect(B + 1, P, PROT_READ);
	c->r[12] = sys_mprotect(B, P, 0x10);
	c->r[13] = sys_mprotect(B, 0, PROT_READ);
	c->r[14] = sys_mprotect(B + 8 * P, P, PROT_READ);
	long fd = sys_open("/r", O_RDONLY, 0);
	c->r[15] = sys_mmap(0, P, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	c->r[16] = sys_mprotect((unsigned long)c->r[15], P,
				PROT_READ | PROT_WRITE);
	c->r[17] = sys_mmap(0, P, PROT_WRITE, MAP_SHARED, (unsigned long)fd, 0);
	c->r[18] = sys_mmap(0, 0, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	c->r[19] = sys_mmap(0, P, PROT_READ, MAP_SHARED, 55, 0);
	c->r[20] = sys_mmap(0, P, PROT_READ, MAP_SHARED, (unsigned long)fd, 1);
	c->r[21] = sys_mmap(0, P, PROT_READ, 0, (unsigned long)fd, 0);
	c->r[22] = sys_mmap(0, P, PROT_READ, MAP_SHARED | MAP_GROWSDOWN,
			    (unsigned long)fd, 0);
	c->r[23] = sys_mmap(B + 1, P, PROT_READ, MAP_PRIVATE | MAP_FIXED,
			    (unsigned long)fd, 0);
	c->r[24] = sys_mmap(0, P, PROT_READ, MAP_SHARED_VALIDATE | 0x80000,
			    (unsigned long)fd, 0);
	long wo = sys_open("/r", O_WRONLY, 0);
	c->r[25] = sys_mmap(0, P, PROT_READ, MAP_PRIVATE, (unsigned long)wo, 0);
	c->r[26] = sys_mmap(0, -4096UL, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1UL, 0);
}

static void test_errors_of_the_mapping_calls(void)
{
	BOOT("mem=16M quiet");
	host_put("r", "r", 1);
	struct task *t = task_create("err");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, msync_errors, &c), 0);
	long want[] = { -EINVAL, -EINVAL, -EINVAL, 0, -ENOMEM, -ENOMEM, 0,
			-ENOMEM, -EINVAL, -EINVAL, 0, -EINVAL, -EINVAL, 0,
			-ENOMEM, 0, -EACCES, -EACCES, -EINVAL, -EBADF,
			-EINVAL, -EINVAL, -EINVAL, -EINVAL, -EOPNOTSUPP,
			-EACCES, -ENOMEM };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (i == 15) {
			CU_ASSERT(c.r[i] > 0);
			continue;
		}
		if (c.r[i] != want[i])
			printf("\nerror case %zu: %ld, not %ld\n", i, c.r[i],
			       want[i]);
		CU_ASSERT_EQUAL(c.r[i], want[i]);
	}
	task_destroy(t);
	mm_shutdown();
}

TEST_SUITE(ch09_calls, "ch09 mapping calls", NULL, NULL,
	   { "VMA sets after splits and merges",
	     test_vma_sets_after_splits_and_merges },
	   { "MAP_FIXED replaces, MAP_FIXED_NOREPLACE refuses",
	     test_map_fixed_replaces_and_noreplace_refuses },
	   { "mremap", test_mremap },
	   { "madvise and mlock", test_madvise_and_mlock },
	   { "swapped remaps show each file's data",
	     test_swapped_remaps_show_each_files_data },
	   { "truncate unmaps in every task",
	     test_truncate_unmaps_in_every_task },
	   { "two tasks share one frame per page",
	     test_two_tasks_share_one_frame_per_page },
	   { "errors of the mapping calls", test_errors_of_the_mapping_calls })

static void open_kept(void *arg)
{
	struct ctx *c = arg;
	c->r[0] = sys_open("/kept", O_RDWR | O_CREAT, 0600);
	c->r[1] = sys_close((unsigned)c->r[0]);
}

static void test_root_parameter(void)
{
	char dir[] = "/tmp/mm-test-root.XXXXXX", path[256], cmd[300];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, "mem=16M quiet root=%s", dir);
	BOOT(cmd);
	CU_ASSERT_STRING_EQUAL(vfs_root(), dir);
	struct task *t = task_create("root");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, open_kept, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], 0);
	task_destroy(t);
	mm_shutdown();
	snprintf(path, sizeof path, "%s/kept", dir);
	CU_ASSERT_EQUAL(access(path, F_OK), 0);       /* the user's: kept */
	unlink(path);
	rmdir(dir);
	/* a default root is removed at shutdown */
	BOOT("mem=16M quiet");
	snprintf(path, sizeof path, "%s", vfs_root());
	mm_shutdown();
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
	/* a root that is not a directory fails the boot step */
	CU_ASSERT_NOT_EQUAL(mm_boot("mem=16M quiet root=/nonexistent/x"), 0);
	CU_ASSERT_FALSE(mm_booted());
}

TEST_SUITE(ch09_root, "ch09 root=", NULL, NULL,
	   { "root= names the directory, which stays", test_root_parameter })

static void populate_and_lock(void *arg)
{
	struct ctx *c = arg;
	unsigned long flt = current->min_flt;
	c->r[0] = sys_mmap(B, 4 * P, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE,
			   -1UL, 0);
	c->r[1] = (long)get_mm_counter(current->mm, anon_rss);
	c->r[2] = (long)(current->min_flt - flt);
	c->r[3] = sys_mmap(B + 8 * P, 2 * P, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED,
			   -1UL, 0);
	c->r[4] = (long)current->mm->locked_vm;
	c->r[5] = (long)get_mm_rss(current->mm);
	c->r[6] = sys_munmap(B + 8 * P, P);
	c->r[7] = (long)current->mm->locked_vm;
	long fd = sys_open("/pop", O_RDONLY, 0);
	unsigned long reads = file_stats.disk_reads;
	unsigned long maj = current->maj_flt, min = current->min_flt;
	c->r[8] = sys_mmap(B + 16 * P, 4 * P, PROT_READ,
			   MAP_SHARED | MAP_FIXED | MAP_POPULATE,
			   (unsigned long)fd, 0);
	c->r[9] = (long)(file_stats.disk_reads - reads);   /* 2 pages */
	c->r[10] = (long)get_mm_counter(current->mm, file_rss);
	c->r[11] = (long)(current->maj_flt - maj);     /* read from disk */
	c->r[12] = (long)(current->min_flt - min);
}

static void test_populate_and_locked(void)
{
	BOOT("mem=16M quiet");
	char data[2 * 4096 - 5];
	memset(data, 'p', sizeof data);
	host_put("pop", data, sizeof data);
	struct task *t = task_create("pop");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, populate_and_lock, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], (long)B);
	CU_ASSERT_EQUAL(c.r[1], 4);
	CU_ASSERT_EQUAL(c.r[2], 4);
	CU_ASSERT_EQUAL(c.r[3], (long)(B + 8 * P));
	CU_ASSERT_EQUAL(c.r[4], 2);
	CU_ASSERT_EQUAL(c.r[5], 6);
	CU_ASSERT_EQUAL(c.r[6], 0);
	CU_ASSERT_EQUAL(c.r[7], 1);
	CU_ASSERT_EQUAL(c.r[8], (long)(B + 16 * P));
	CU_ASSERT_EQUAL(c.r[9], 2);
	/* not past the end of the file; the third is the zero page that the
	 * locked read-only mapping still maps at B + 9P (chapter 10) */
	CU_ASSERT_EQUAL(c.r[10], 3);
	/* populating counts its faults as the task's, major when they read
	 * the disk */
	CU_ASSERT_EQUAL(c.r[11], 2);
	CU_ASSERT_EQUAL(c.r[12], 0);
	task_destroy(t);
	mm_shutdown();
}

TEST_SUITE(ch09_populate, "ch09 MAP_POPULATE and MAP_LOCKED", NULL, NULL,
	   { "populate and locked", test_populate_and_locked })

static void open_and_stay(void *arg)
{
	struct ctx *c = arg;
	c->r[0] = sys_open("/stay", O_RDWR | O_CREAT, 0600);
}

static void test_shutdown_with_files_open(void)
{
	int fds = count_open_fds();
	BOOT("mem=16M quiet");
	struct task *t = task_create("stay");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, open_and_stay, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], 0);
	mm_shutdown();                    /* the task still holds the file */
	CU_ASSERT_EQUAL(count_open_fds(), fds);
}

TEST_SUITE(ch09_shutdown, "ch09 shutdown", NULL, NULL,
	   { "shutdown with files open", test_shutdown_with_files_open })

static void append_trunc_maps(void *arg)
{
	struct ctx *c = arg;
	map_buf();
	memcpy(A(BUF), "0123456789", 10);
	long fd = sys_open("/a", O_RDWR | O_CREAT, 0644);
	sys_write((unsigned)fd, A(BUF), 10);
	long ap = sys_open("/a", O_WRONLY | O_APPEND, 0);
	sys_lseek((unsigned)ap, 0, SEEK_SET);
	c->r[0] = sys_write((unsigned)ap, A(BUF), 3);       /* at the end */
	c->r[1] = sys_lseek((unsigned)fd, 0, SEEK_END);
	c->a = (unsigned long)sys_mmap(0, P, PROT_READ, MAP_SHARED,
				       (unsigned long)fd, 0);
	c->r[2] = A(c->a)[11];
	long tr = sys_open("/a", O_WRONLY | O_TRUNC, 0);    /* truncates */
	c->r[3] = sys_lseek((unsigned)fd, 0, SEEK_END);
	c->r[4] = (long)get_mm_counter(current->mm, file_rss);
	c->r[5] = tr;
}

static void test_append_truncate_and_maps(void)
{
	BOOT("mem=16M quiet");
	struct task *t = task_create("app");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, append_trunc_maps, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], 3);
	CU_ASSERT_EQUAL(c.r[1], 13);
	CU_ASSERT_EQUAL(c.r[2], '1');
	CU_ASSERT_EQUAL(c.r[3], 0);
	CU_ASSERT_EQUAL(c.r[4], 0);                  /* unmapped by O_TRUNC */
	CU_ASSERT_EQUAL(c.r[5], 2);
	char maps[2048];
	FILE *f = fmemopen(maps, sizeof maps, "w");
	CU_ASSERT_EQUAL(proc_show("/proc/1/maps", f), 0);
	fclose(f);
	char want[128];
	snprintf(want, sizeof want, "%08lx-%08lx r--s 00000000 00:00 0", c.a,
		 c.a + P);
	CU_ASSERT_PTR_NOT_NULL(strstr(maps, want));
	CU_ASSERT_PTR_NOT_NULL(strstr(maps, " /a\n"));
	task_destroy(t);
	mm_shutdown();
}

TEST_SUITE(ch09_more_files, "ch09 append, truncate, maps", NULL, NULL,
	   { "O_APPEND, O_TRUNC and a file's name in maps",
	     test_append_truncate_and_maps })

/* Found by the stress run (book/95-invariants.nw): on a machine with high memory the
 * page cache's pages are high, reached through kmap, and the host's pread
 * and pwrite cannot fault a kmap address into the TLB.  Reading a file
 * must still give its bytes, and writing it back must succeed. */
static void read_then_write_back(void *arg)
{
	struct ctx *c = arg;
	map_buf();
	long fd = sys_open("/hi", O_RDWR, 0);
	c->r[0] = sys_read((unsigned)fd, A(BUF), P);
	memcpy(c->s, A(BUF), 8);
	c->a = (unsigned long)sys_mmap(0, P, PROT_READ | PROT_WRITE, MAP_SHARED,
				       (unsigned long)fd, 0);
	A(c->a)[1] = 'w';
	__flush_tlb_all();                  /* as if the entries were evicted */
	c->r[1] = sys_msync(c->a, P, MS_SYNC);
}

static void test_high_page_cache_reads_and_writes_back(void)
{
	char data[P], back[P];

	BOOT("mem=1G quiet");
	memset(data, 'h', sizeof data);
	host_put("hi", data, sizeof data);
	struct task *t = task_create("hi");
	struct ctx c = { 0 };
	CU_ASSERT_EQUAL(task_run(t, read_then_write_back, &c), 0);
	CU_ASSERT_EQUAL(c.r[0], (long)P);
	CU_ASSERT_NSTRING_EQUAL(c.s, "hhhhhhhh", 8);
	CU_ASSERT_EQUAL(c.r[1], 0);
	CU_ASSERT_EQUAL(host_get("hi", back, sizeof back), (long)P);
	CU_ASSERT_NSTRING_EQUAL(back, "hwhhhhhh", 8);
	task_destroy(t);
	mm_shutdown();
}

TEST_SUITE(ch09_high_cache, "ch09 the page cache in high memory", NULL, NULL,
	   { "a high page cache page reads and writes back",
	     test_high_page_cache_reads_and_writes_back })
