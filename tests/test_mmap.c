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

/* The VMAs of mm as "start-end flags pgoff" lines. */
__attribute__((unused)) static char *vmas(struct mm_struct *mm)
{
	static char buf[4096];
	size_t n = 0;

	buf[0] = '\0';
	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%08lx-%08lx %lx %lx\n",
				      v->vm_start, v->vm_end, v->vm_flags,
				      v->vm_pgoff);
	return buf;
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
