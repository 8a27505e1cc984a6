/* malloc-misuse.c -- what glibc and the book's allocator do with misuse.
 *
 *   malloc-misuse LIB      run every case in a child under glibc and under
 *                          LD_PRELOAD=LIB, print the table the book shows
 *   malloc-misuse -c N     (the child) commit misuse number N
 *
 * Each case runs in a process of its own; the table says how it ended:
 * the first line the allocator wrote to stderr and the signal, or its
 * exit. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *names[] = {
	"double free (40 bytes)", "double free (4000 bytes)",
	"free of a pointer malloc never returned",
	"free into the middle of a block",
	"overrun into the next block's header, then free",
	"calloc whose size overflows",
	"double free (16 bytes: a slot in a run)",
	"free into the middle of a slot",
	"overrun of a 48-byte slot into the next, then free",
};
#define N (int)(sizeof names / sizeof names[0])

static int commit(int n)
{
	static char stack[64] __attribute__((aligned(16)));
	static volatile size_t half = SIZE_MAX / 2;
	char *a = malloc(n == 1 ? 4000 : n == 3 ? 100 : 40);
	char *b = malloc(40);

	switch (n) {
	case 0: case 1: free(a); free(a); break;
	case 2: free(stack + 16); break;
	case 3: memset(a, 0, 100); free(a + 32); break;
	case 4: memset(a, 'B', 40 + 8 + 3); free(a); free(b); break;
	case 5: errno = 0;
		if (!calloc(half, 3))
			return printf("NULL, errno %s",
				      errno == ENOMEM ? "ENOMEM" : "?"), 0;
		break;
	case 6: free(b); a = malloc(16); b = malloc(16);
		free(a); free(a); break;
	case 7: free(b); a = malloc(64); b = malloc(64);
		free(a + 16); break;
	case 8: free(b); a = malloc(48); b = malloc(48);
		memset(a, 'B', 48 + 8 + 3); free(a); free(b); break;
	}
	return printf("no error"), 0;
}

static void outcome(int n, const char *lib)
{
	int out[2], err[2], st;
	char o[128] = "", e[256] = "", self[256];
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);

	self[k > 0 ? k : 0] = 0;
	if (pipe(out) || pipe(err))
		exit(2);
	pid_t pid = fork();
	if (pid == 0) {
		char num[8];

		dup2(out[1], 1);
		dup2(err[1], 2);
		if (*lib)
			setenv("LD_PRELOAD", lib, 1);
		snprintf(num, sizeof num, "%d", n);
		execl(self, self, "-c", num, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	k = read(out[0], o, sizeof o - 1);
	o[k > 0 ? k : 0] = 0;
	k = read(err[0], e, sizeof e - 1);
	e[k > 0 ? k : 0] = 0;
	e[strcspn(e, "\n")] = 0;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		printf(" %-44s", *e ? e : strsignal(WTERMSIG(st)));
	else
		printf(" %-44s", o);
	if (WIFSIGNALED(st) && *e)
		printf(" (%s)", WTERMSIG(st) == SIGABRT ? "abort"
		       : strsignal(WTERMSIG(st)));
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-c"))
		return commit(atoi(argv[2]));
	if (argc != 2)
		return fprintf(stderr, "usage: malloc-misuse LIB\n"), 2;
	for (int n = 0; n < N; n++) {
		printf("%s\n  glibc:", names[n]);
		outcome(n, "");
		printf("  book: ");
		outcome(n, argv[1]);
	}
	return 0;
}
