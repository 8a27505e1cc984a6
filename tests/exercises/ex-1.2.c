/* ex-1.2.c -- exercise 1.2: the faults of a loop over pages that were
 * already touched.  The check measures it on this host, as the book's
 * program does: map 4 MiB, touch every page, then count the faults of a
 * second loop over the same pages. */
#include <sys/mman.h>
#include <sys/resource.h>
#include "ex-kernel.h"

#define EX "1.2"

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

int main(void)
{
	static const char *const what[] = { "faults of the timed loop" };
	size_t len = 4 << 20;
	long got[1], want[1];
	volatile char *map;

	ex_read_answer(EX, "one number: the faults the timed loop takes "
		       "when every page was touched once before it", got, 1);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		ex_fail(EX, "the host refused a 4 MiB mapping");
	for (size_t i = 0; i < len; i += 4096)
		map[i] = 1;
	long f0 = minor_faults();
	for (size_t i = 0; i < len; i += 4096)
		map[i] = 2;
	want[0] = minor_faults() - f0;
	munmap((void *)map, len);
	ex_compare(EX, what, got, want, 1);
	ex_pass(EX, "a loop over %zu pages touched before takes %ld faults",
		len / 4096, want[0]);
}
