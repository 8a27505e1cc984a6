/* malloc-host-test.c -- chapter 11's allocator on the host: run it with
 * LD_PRELOAD=build/libbookmalloc.so (make check-preload does).  Every
 * entry point and its edge cases, large blocks and mremap, a thread
 * stress checked by checksums, and fork with the heap in use (while other
 * threads allocate).  Prints one line per test; exits non-zero on a
 * failure. */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); \
	} } while (0)

static void test_ours(void)
{
	Dl_info info;

	CHECK(dladdr((void *)malloc, &info) && info.dli_fname
	      && strstr(info.dli_fname, "libbookmalloc.so"));
}

static void test_edges(void)
{
	static volatile size_t huge = SIZE_MAX, half = SIZE_MAX / 2;
	void *a = malloc(0), *b = malloc(0), *m = NULL;

	CHECK(a && b && a != b);
	free(a);
	free(b);
	free(NULL);
	errno = 0;
	CHECK(!malloc(huge) && errno == ENOMEM);
	errno = 0;
	CHECK(!calloc(half, 3) && errno == ENOMEM);
	errno = 0;
	CHECK(!reallocarray(NULL, half, 3) && errno == ENOMEM);
	a = malloc(10);
	CHECK(realloc(a, 0) == NULL);
	a = realloc(NULL, 100);
	CHECK(a && malloc_usable_size(a) >= 100);
	free(a);
	CHECK(posix_memalign(&m, 24, 8) == EINVAL);
	CHECK(posix_memalign(&m, 2, 8) == EINVAL);
	errno = 0;
	CHECK(!aligned_alloc(3, 8) && errno == EINVAL);
	for (size_t al = 1; al <= (1 << 20); al *= 2) {
		char *p = memalign(al, 1000);
		CHECK(p && (uintptr_t)p % (al < 16 ? 16 : al) == 0);
		memset(p, 1, 1000);
		p = realloc(p, 5000);
		CHECK(p && p[999] == 1);
		free(p);
		CHECK(posix_memalign(&m, al < 8 ? 8 : al, 77) == 0);
		free(m);
	}
	a = valloc(10);
	b = pvalloc(10);
	CHECK((uintptr_t)a % 4096 == 0 && (uintptr_t)b % 4096 == 0);
	CHECK(malloc_usable_size(b) >= 4096);
	free(a);
	free(b);
}

static void test_large(void)
{
	size_t n = 200000;
	unsigned char *p = malloc(n);

	CHECK(p != NULL);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7);
	for (int r = 0; r < 6; r++) {
		n = n * 2 + 12345;
		p = realloc(p, n);
		CHECK(p && p[199999] == (unsigned char)(199999 * 7));
	}
	p = realloc(p, 1000);                   /* shrinks */
	CHECK(p && p[999] == (unsigned char)(999 * 7));
	free(p);
	unsigned char *c = calloc(1, 300000);   /* mapped: zero */
	CHECK(c && c[0] == 0 && c[299999] == 0);
	free(c);
}

/* Threads: each allocates into a shared array of slots and frees what it
 * finds there, which another thread allocated. */
#define SLOTS 4096
static void *_Atomic slot[SLOTS];

static void *stress(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	long bad = 0;

	for (int i = 0; i < 200000; i++) {
		seed = seed * 1103515245 + 12345;
		size_t n = 1 + (seed >> 8) % ((seed & 15) ? 200 : 20000);
		unsigned char *p = malloc(n + 1);

		if (!p)
			return (void *)1;
		p[0] = (unsigned char)(n % 251);
		memset(p + 1, p[0], n);
		p = atomic_exchange(&slot[(seed >> 4) % SLOTS], p);
		if (p) {
			size_t len = malloc_usable_size(p);
			unsigned char k = p[0];

			for (size_t j = 1; j < len && j < 16; j++)
				bad += p[j] != k && j <= k;
			free(p);
		}
	}
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	void *r;

	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, stress, (void *)(i + 1));
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		CHECK(r == NULL);
	}
	for (int i = 0; i < SLOTS; i++)
		free(atomic_exchange(&slot[i], NULL));
}

static void *forker(void *arg)
{
	for (int i = 0; i < 20; i++) {
		char *keep = malloc(1000);
		memset(keep, 'k', 1000);
		pid_t pid = fork();
		if (pid == 0) {
			char *q = malloc(5000);
			int ok = q && keep[999] == 'k';
			free(q);
			free(keep);
			_exit(ok ? 0 : 1);
		}
		int st;
		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		free(keep);
	}
	return NULL;
}

static void test_fork(void)
{
	pthread_t t[2], f;

	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, stress, (void *)(i + 10));
	pthread_create(&f, NULL, forker, NULL);
	pthread_join(f, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

int main(void)
{
	test_ours();
	printf("malloc-host-test: the book's allocator is the one in use\n");
	test_edges();
	printf("malloc-host-test: edge cases\n");
	test_large();
	printf("malloc-host-test: large blocks, mremap, calloc\n");
	test_threads();
	printf("malloc-host-test: 4 threads x 200000 operations\n");
	test_fork();
	printf("malloc-host-test: fork with the heap in use, threads busy\n");
	printf("malloc-host-test: %d failures\n", failures);
	return failures != 0;
}
