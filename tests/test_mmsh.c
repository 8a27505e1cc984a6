/* test_mmsh.c -- the explorer (book/92-explorer.nw): each command's output,
 * error lines with their line numbers, oopses caught, nothing leaked. */
#include <stdlib.h>
#include <string.h>
#include "test.h"

static int errors;

/* The machine of chapters 2 to 12 as it boots today: its nine boot steps,
 * so that a step a later chapter adds (swap) never moves the addresses
 * these tests expect. */
#define BOOT16 "boot mem=16M init_steps=9\n"

/* The output of a whole script, with every "book/NAME.nw:LINE" replaced
 * by "FILE" (another chapter's edits move the lines an oops names). */
__attribute__((noinline)) static char *run(const char *script, size_t len)
{
	char *text = NULL, *p;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	errors = mmsh_run_string(script, len, f);
	fclose(f);
	while ((p = strstr(text, "book/"))) {
		char *end = p + 5;

		while (*end && *end != ' ' && *end != '\n' && *end != ')')
			end++;
		if (end > p && end[-1] == ':')
			end--;
		memcpy(p, "FILE", 4);
		memmove(p + 4, end, strlen(end) + 1);
	}
	return text;
}

#define CHECK_RUN(script, expected, nerrors)                              \
	do {                                                              \
		char *out_ = run(script, strlen(script));                 \
		CU_ASSERT_STRING_EQUAL(out_, expected);                   \
		if (strcmp(out_, expected))                               \
			fprintf(stderr, "\n--- got:\n%s---\n", out_);     \
		CU_ASSERT_EQUAL(errors, nerrors);                         \
		free(out_);                                               \
	} while (0)

static void test_errors(void)
{
	CHECK_RUN("frob\nkmalloc 5\n" BOOT16 "boot\n# a comment\n"
		  "kmalloc 12Q\nkfree $9\n\"open\nhelp nosuch\nkfree\n"
		  "x y = kmalloc 1\nkfree $1 # not a handle\n"
		  "getpid\nx = kfree $1\nkmalloc 0x10000000000000000\n"
		  "open \"a\\q\" 0\necho ok\n",
		  "mmsh: 1: frob: no such command (try help)\n"
		  "mmsh: 2: oops: kernel BUG: kmalloc: the machine is not"
		  " running at FILE\n"
		  "mmsh: 4: boot: a machine is running: shutdown first\n"
		  "mmsh: 6: 12Q: not a number, or too large\n"
		  "mmsh: 7: $9: no such handle\n"
		  "mmsh: 8: no closing quote\n"
		  "mmsh: 9: help: nosuch: no such command\n"
		  "mmsh: 10: usage: kfree $H\n"
		  "mmsh: 11: x: no such command (try help)\n"
		  "mmsh: 12: $1: no such handle\n"
		  "mmsh: 13: no current task: spawn one first\n"
		  "mmsh: 14: kfree has no result to name\n"
		  "mmsh: 15: 0x10000000000000000: not a number, or too"
		  " large\n"
		  "mmsh: 16: bad escape in a quoted word\n"
		  "ok\n", 14);
}

static void test_shell_commands(void)
{
	const char *log = BOOT16 "dmesg -c\ndmesg\necho end\n";
	char *out;

	CHECK_RUN("help kmalloc\n" BOOT16 "x = spawn\necho @value pid $x\n"
		  "kmalloc 10\necho $1 and $x\n"
		  "counters nope\ncounters faults\ntask\ndmesg -x\n",
		  "kmalloc SIZE [GFP]\n    allocate an object of SIZE bytes\n"
		  "[1] task\n@value pid 1\n"
		  "$1 = kmalloc(10, GFP_KERNEL) = 0xc0246200\n"
		  "0xc0246200 and 1\n"
		  "mmsh: 7: counters: nope: no such group\n"
		  "faults.zero_mapped 0\nfaults.anon_new 0\n"
		  "faults.cow_copied 0\nfaults.cow_reused 0\n[1] task\n"
		  "mmsh: 10: dmesg: -x: only -c is known\n", 2);
	/* The boot log, once: dmesg -c clears it. */
	out = run(log, strlen(log));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Booted: 16MB, 4096 frames"));
	CU_ASSERT_PTR_NULL(strstr(strstr(out, "Booted:") + 1, "Booted:"));
	CU_ASSERT_EQUAL(strcmp(out + strlen(out) - 4, "end\n"), 0);
	free(out);
}

static void test_lines(void)
{
	static const char nul[] = BOOT16 "echo a\0b\necho c\r\n"
				  "quit\necho never";
	char *long_line = malloc(5000), *out;

	CHECK_RUN("echo no newline", "no newline\n", 0);
	out = run(nul, sizeof nul - 1);
	CU_ASSERT_STRING_EQUAL(out, "mmsh: 2: a NUL byte in the line\nc\n");
	CU_ASSERT_EQUAL(errors, 1);
	free(out);
	memset(long_line, 'x', 4999);
	long_line[4999] = '\n';
	out = run(long_line, 5000);
	CU_ASSERT_STRING_EQUAL(out, "mmsh: 1: line longer than 4096 bytes\n");
	free(out);
	free(long_line);
	CU_ASSERT_FALSE(mm_booted());
}

static void test_kernel_calls(void)
{
	CHECK_RUN(BOOT16 "kmalloc 700\np = kmalloc 64 GFP_ATOMIC\n"
		  "ksize $1\nkfree $p\nkfree $p\nalloc_pages 2\n"
		  "free_pages $2 1\nfree_pages $2\nvmalloc 64K\nkfree $3\n"
		  "vfree $3\nc = kmem_cache_create blob 100 0 HWCACHE_ALIGN\n"
		  "o = kmem_cache_alloc $c\nkmem_cache_free $c $1\n"
		  "kmem_cache_destroy $c\nkmem_cache_free $c $o\n"
		  "kmem_cache_destroy $c\nvmalloc 64K\nvfree $1\n",
		  "$1 = kmalloc(700, GFP_KERNEL) = 0xc0242000\n"
		  "$p = kmalloc(64, GFP_ATOMIC) = 0xc0243160\n"
		  "ksize(0xc0242000) = 1024\n"
		  "mmsh: 6: $p: no such handle\n"
		  "$2 = alloc_pages(GFP_KERNEL, 2) = pfn 580 at 0xc0244000\n"
		  "mmsh: 8: oops: Bad page state: freeing pfn 580 at order 1,"
		  " but it was allocated at order 2 at FILE\n"
		  "$3 = vmalloc(65536) = 0xc1800000\n"
		  "mmsh: 11: oops: kfree: bad pointer c1800000: outside the"
		  " direct map at FILE\n"
		  "$c = kmem_cache_create(\"blob\", 100, 0,"
		  " SLAB_HWCACHE_ALIGN) = 0xc02404e0\n"
		  "$o = kmem_cache_alloc($c, GFP_KERNEL) = 0xc02540a0\n"
		  "mmsh: 15: oops: kmem_cache_free: object c0242000 belongs"
		  " to cache `size-1024', not `blob' at FILE\n"
		  "kmem_cache_destroy($c) = 1\n"
		  "slab error in kmem_cache_destroy(): cache `blob': Can't"
		  " free all objects\n"
		  "kmem_cache_destroy($c) = 0\n"
		  "$4 = vmalloc(65536) = 0xc1800000\n"
		  "WARNING: at FILE: Trying to vfree() nonexistent vm area"
		  " (c0242000)\n", 4);
}

static void test_pages(void)
{
	CHECK_RUN(BOOT16 "alloc_pages 0\nkmap $1\nvmap $1 $1\n"
		  "free_pages $1\nvfree $2\nvunmap $2\nfree_pages $1\n"
		  "kunmap $1\nfree_pages $1\nfree_pages $1\n"
		  "__get_free_pages 0 __GFP_HIGHMEM\n"
		  "h = pressure 64K\nrelease $h\nkswapd\n",
		  "$1 = alloc_pages(GFP_KERNEL, 0) = pfn 578 at 0xc0242000\n"
		  "kmap(pfn 578) = 0xc0242000\n"
		  "$2 = vmap(2 pages) = 0xc1800000\n"
		  "mmsh: 5: $1 is kmapped: kunmap it first\n"
		  "mmsh: 6: $2 is a vmap area\n"
		  "mmsh: 8: $1 is kmapped: kunmap it first\n"
		  "mmsh: 11: $1: no such handle\n"
		  "mmsh: 12: oops: __get_free_pages: __GFP_HIGHMEM: a high"
		  " page has no address at FILE\n"
		  "$h = pressure(16 pages) = 16 pages held, 3500 free\n"
		  "kswapd: not woken\n", 5);
}

static void test_syscalls(void)
{
	CHECK_RUN(BOOT16 "spawn cat\n"
		  "a = mmap 0 16K READ|WRITE PRIVATE|ANONYMOUS\n"
		  "munmap $a 4K\nmprotect 0x40002000 4K READ\n"
		  "cat /proc/1/maps\ntouch 0x40001000 4K write\n"
		  "brk 0\nmadvise $a 8K DONTNEED\n"
		  "mremap 0x40001000 4K 8K MAYMOVE\ngetpid\n"
		  "open /f O_RDWR|O_CREAT\nwrite 0 \"hi\\tthere\\n\"\n"
		  "lseek 0 0 SEEK_SET\nread 0 100\nread 0 10 0x40002000\n"
		  "poke 0x40002000 x\ntouch 0x40000000\nps\n",
		  "[1] cat\n"
		  "$a = mmap(0, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|"
		  "MAP_ANONYMOUS, -1, 0) = 0x40000000\n"
		  "munmap(0x40000000, 4096) = 0\n"
		  "mprotect(0x40002000, 4096, PROT_READ) = 0\n"
		  "08048000-0804c000 r-xp 08048000 00:00 0 \n"
		  "0804c000-0804d000 rw-p 0804c000 00:00 0 \n"
		  "0804d000-0804e000 rw-p 0804d000 00:00 0          [heap]\n"
		  "40001000-40002000 rw-p 40001000 00:00 0 \n"
		  "40002000-40003000 r--p 40002000 00:00 0 \n"
		  "40003000-40004000 rw-p 40003000 00:00 0 \n"
		  "bffff000-c0000000 rw-p bffff000 00:00 0          [stack]\n"
		  "touch: 1 pages, 1 minor faults, 0 major\n"
		  "brk(0) = 0x0804e000\n"
		  "madvise(0x40000000, 8192, MADV_DONTNEED) = -ENOMEM\n"
		  "mremap(0x40001000, 4096, 8192, MREMAP_MAYMOVE, 0)"
		  " = 0x40004000\n"
		  "getpid() = 1\n"
		  "open(\"/f\", O_RDWR|O_CREAT, 0644) = 0\n"
		  "write(0, \"hi\\tthere\\n\", 9) = 9\n"
		  "lseek(0, 0, SEEK_SET) = 0\n"
		  "read(0, \"hi\\tthere\\n\", 100) = 9\n"
		  "read(0, 0x40002000, 10) = 0\n"
		  "cat[1]: segfault at 40002000 error 6\n"
		  "[1] killed by signal 11 (SIGSEGV)\n"
		  "mmsh: 18: task 1 is dead\n"
		  "  PID S   MINFLT   MAJFLT      VSZ      RSS COMMAND\n"
		  "    1 Z        2        0        0        0 cat\n", 1);
}

static void test_fork(void)
{
	CHECK_RUN(BOOT16 "spawn parent\n"
		  "a = mmap 0 16K READ|WRITE PRIVATE|ANONYMOUS\n"
		  "touch $a 16K write\nchild = fork\n@$child touch $a 16K\n"
		  "@$child touch $a 8K write\ntouch $a 16K write\n"
		  "counters faults\nps\nkill $child\nkill 9\ntask\n"
		  "touch 0xc0000000\n",
		  "[1] parent\n"
		  "$a = mmap(0, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|"
		  "MAP_ANONYMOUS, -1, 0) = 0x40000000\n"
		  "touch: 4 pages, 4 minor faults, 0 major\n"
		  "$child = fork() = 2\n"
		  "touch: 4 pages, 0 minor faults, 0 major\n"
		  "touch: 2 pages, 2 minor faults, 0 major\n"
		  "touch: 4 pages, 4 minor faults, 0 major\n"
		  "faults.zero_mapped 0\nfaults.anon_new 4\n"
		  "faults.cow_copied 4\nfaults.cow_reused 2\n"
		  "  PID S   MINFLT   MAJFLT      VSZ      RSS COMMAND\n"
		  "    1 R        8        0       44       16 parent\n"
		  "    2 R        2        0       44       16 parent\n"
		  "mmsh: 12: 9: no such task\n"
		  "[1] parent\n"
		  "[1] killed by signal 11 (SIGSEGV)\n", 1);
}

/* A script that takes one of everything and gives nothing back.  Each
 * leak test runs its script once before it counts the host's mappings:
 * AddressSanitizer's allocator reserves a region for each size of block
 * the first time it sees one. */
static const char *hoard =
	BOOT16 "spawn a\nm = mmap 0 64K READ|WRITE PRIVATE|ANON\n"
	"touch $m 64K write\nfork\nopen /f O_RDWR|O_CREAT\n"
	"write 0 \"data\"\nf = mmap 0 4K READ|WRITE SHARED 0\n"
	"touch $f 4K write\nkmalloc 700\nvmalloc 100K\nalloc_pages 3\n"
	"kmap $3\nvmap $3\nc = kmem_cache_create x 300\n"
	"kmem_cache_alloc $c\npressure 1M\n";

static void test_nothing_leaks(void)
{
	char *out = run(hoard, strlen(hoard));     /* warms the allocators */
	int fds = count_open_fds(), maps = count_host_mappings();
	struct mmsh *sh;
	unsigned long before = 0;
	FILE *devnull;

	free(out);
	out = run(hoard, strlen(hoard));
	CU_ASSERT_EQUAL(errors, 0);
	free(out);
	CU_ASSERT_FALSE(mm_booted());
	CU_ASSERT_EQUAL(count_open_fds(), fds);
	CU_ASSERT_EQUAL(count_host_mappings(), maps);
	devnull = fopen("/dev/null", "w");
	/* Twice on one machine: after the first round's release (and the
	 * slab's free pages reaped), a second round takes nothing more. */
	sh = mmsh_open(devnull, 0);
	mmsh_line(sh, BOOT16, strlen(BOOT16));
	for (int round = 0; round < 2; round++) {
		for (const char *p = strchr(hoard, '\n') + 1; *p;) {
			const char *nl = strchr(p, '\n');

			mmsh_line(sh, p, (size_t)(nl - p));
			p = nl + 1;
		}
		mmsh_release(sh);
		kmem_cache_reap(GFP_KERNEL);
		if (round == 0)
			before = nr_free_pages();
	}
	CU_ASSERT_EQUAL(nr_free_pages(), before);
	CU_ASSERT_TRUE(buddy_check());
	CU_ASSERT_TRUE(slab_check());
	CU_ASSERT_EQUAL(mmsh_close(sh), 0);
	CU_ASSERT_FALSE(mm_booted());
	fclose(devnull);
}

/* Lines made of the shell's words, numbers and handles at random: none
 * may crash the shell, and nothing may leak. */
static void test_random_lines(void)
{
	static const char *cmds[] = {
		"kmalloc", "kfree", "vmalloc", "vfree", "alloc_pages",
		"free_pages", "kmap", "kunmap", "vmap", "vunmap", "spawn",
		"fork", "kill", "touch", "peek", "poke", "mmap", "munmap",
		"mprotect", "mremap", "brk", "open", "read", "write", "close",
		"release", "kmem_cache_create", "kmem_cache_alloc",
		"kmem_cache_free", "kmem_cache_destroy", "ksize", "cat",
		"pressure", "kswapd", "reclaim", "ps", "task", "x = kmalloc",
		"x = mmap", "y = alloc_pages", "@2 touch", "madvise", "mlock",
	};
	static const char *args[] = {
		"$1", "$2", "$3", "$x", "$y", "0", "1", "2", "3", "-1", "4K",
		"64K", "1M", "0x40000000", "0x40001000", "0xc0000000",
		"0xffffffff", "READ|WRITE", "PRIVATE|ANON", "SHARED", "/f",
		"O_RDWR|O_CREAT", "/proc/1/maps", "/proc/self/maps",
		"GFP_ATOMIC", "\"a b\"", "write", "10", "DONTNEED", "MAYMOVE",
	};
	const size_t nc = sizeof cmds / sizeof cmds[0];
	const size_t na = sizeof args / sizeof args[0];
	int fds, maps;
	char *script = malloc(128 * 1024), *out;
	size_t len = 0;
	unsigned long seed = 12345;

#define NEXT() (seed = seed * 6364136223846793005UL + 1442695040888963407UL, \
		(seed >> 33))
	len += (size_t)sprintf(script, "boot mem=8M\n");
	for (int line = 0; line < 2000; line++) {
		unsigned long n = NEXT() % 5;

		if (NEXT() % 300 == 0)
			len += (size_t)sprintf(script + len,
					       "shutdown\nboot mem=8M\n");
		len += (size_t)sprintf(script + len, "%s", cmds[NEXT() % nc]);
		while (n--)
			len += (size_t)sprintf(script + len, " %s",
					       args[NEXT() % na]);
		script[len++] = '\n';
	}
	if (getenv("MMSH_DUMP")) {
		FILE *f = fopen(getenv("MMSH_DUMP"), "w");

		fwrite(script, 1, len, f);
		fclose(f);
	}
	free(run(script, len));      /* warms the host's allocators */
	fds = count_open_fds();
	maps = count_host_mappings();
	out = run(script, len);
	CU_ASSERT_TRUE(errors > 0);
	CU_ASSERT_FALSE(mm_booted());
	CU_ASSERT_EQUAL(count_open_fds(), fds);
	CU_ASSERT_EQUAL(count_host_mappings(), maps);
	free(out);
	free(script);
}

/* check refuses before boot, and names the shell's own pages to the
 * census: a machine whose only unowned pages are held by handles is
 * whole. */
static void test_check(void)
{
	CHECK_RUN("check\n" BOOT16 "p = alloc_pages 2\nh = pressure 64K\n"
		  "spawn\na = mmap 0 16K READ|WRITE PRIVATE|ANON\n"
		  "touch $a 16K write\ncheck\n",
		  "mmsh: 1: check: the machine is not running\n"
		  "$p = alloc_pages(GFP_KERNEL, 2) = pfn 580 at 0xc0244000\n"
		  "$h = pressure(16 pages) = 16 pages held, 3498 free\n"
		  "[1] task\n"
		  "$a = mmap(0, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|"
		  "MAP_ANONYMOUS, -1, 0) = 0x40000000\n"
		  "touch: 4 pages, 4 minor faults, 0 major\n"
		  "model_check() = 0\n", 1);
}

TEST_SUITE(mmsh, "appendix explorer", NULL, NULL,
	   { "check: the whole model, the shell's pages named", test_check },
	   { "errors name their line, and the shell goes on", test_errors },
	   { "help, echo, dmesg, counters, task", test_shell_commands },
	   { "NUL bytes, long lines, no newline, quit", test_lines },
	   { "kernel calls: handles, results, oopses caught",
	     test_kernel_calls },
	   { "pages: kmap, vmap, pressure", test_pages },
	   { "system calls in a task, as strace shows them", test_syscalls },
	   { "fork and copy-on-write", test_fork },
	   { "nothing leaks, on the host or in the model",
	     test_nothing_leaks },
	   { "random lines never crash it", test_random_lines })
