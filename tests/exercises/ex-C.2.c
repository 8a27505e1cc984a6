/* ex-C.2.c -- exercise C.2: the slab scenario with kmalloc 1025 instead
 * of kmalloc 700.  An answer check: five objects of 1025 bytes are
 * allocated on a fresh 16 MiB machine, as the changed scenario does,
 * and the cache that serves them is read from ksize and its line of
 * /proc/slabinfo; compared with answers/C.2.txt. */
#include "ex-kernel.h"

#define EX "C.2"

int main(void)
{
	static const char *const what[] = {
		"the object size of the cache (its name is size-N)",
		"the objects a slab holds", "the pages a slab takes",
		"the slabs after five kmalloc(1025)" };
	long got[4], want[4], active_objs, objs, active_slabs;
	char *text = NULL, name[32], *line;
	size_t size = 0;
	FILE *out;

	ex_read_answer(EX, "four numbers: the N of the cache size-N that "
		       "serves kmalloc(1025), its objects per slab, its "
		       "pages per slab, and its slabs after five "
		       "kmalloc(1025)", got, 4);
	ex_boot(EX, "mem=16M quiet");
	for (int i = 0; i < 5; i++) {
		void *p = kmalloc(1025, GFP_KERNEL);

		if (!p)
			ex_fail(EX, "kmalloc(1025) failed; run make test");
		want[0] = (long)ksize(p);
	}
	snprintf(name, sizeof name, "\nsize-%ld ", want[0]);
	out = open_memstream(&text, &size);
	proc_show("/proc/slabinfo", out);
	fclose(out);
	line = strstr(text, name);
	if (!line || sscanf(line + strlen(name), "%ld %ld %*d %ld %ld : "
			    "tunables %*d %*d %*d : slabdata %ld",
			    &active_objs, &objs, &want[1], &want[2],
			    &active_slabs) != 5)
		ex_fail(EX, "/proc/slabinfo has no line for size-%ld; run "
			"make test", want[0]);
	want[3] = active_slabs;
	free(text);
	mm_shutdown();
	ex_compare(EX, what, got, want, 4);
	ex_pass(EX, "size-%ld serves kmalloc(1025), %ld a slab of %ld "
		"page%s; five take %ld slabs", want[0], want[1], want[2],
		want[2] == 1 ? "" : "s", want[3]);
}
