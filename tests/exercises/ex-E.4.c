/* ex-E.4.c -- exercise E.4: /proc/PID/smaps.  A feature check, on the
 * appendix's own example machine (its program is included, its main
 * renamed): smaps must exist; each VMA's maps line must come in order,
 * each followed by Size (the VMA's length), Rss and the four
 * Shared_/Private_ lines, which add up to Rss; and the Rss lines must
 * add up to VmRSS of /proc/PID/status. */
#define main proc_maps_example
int proc_maps_example(void);
#include "../../src/exp/proc-maps.c"
#undef main
#include "ex-kernel.h"

#define EX "E.4"

static char *proc_text(const char *path, int *err)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	*err = proc_show(path, out);
	fclose(out);
	return text;
}

/* The number after "key:" in the n bytes at p, or -1. */
static long field(const char *p, size_t n, const char *key)
{
	char pat[32];
	const char *q;

	snprintf(pat, sizeof pat, "\n%s:", key);
	q = memmem(p, n, pat, strlen(pat));
	return q ? strtol(q + strlen(pat), NULL, 10) : -1;
}

int main(void)
{
	char *maps, *smaps, *status, *line, *at;
	long rss_sum = 0, vm_rss;
	int err, vmas = 0;

	if (set_up() < 0)
		ex_fail(EX, "the appendix's example machine does not set up; "
			"run make test");
	maps = proc_text("/proc/1/maps", &err);
	status = proc_text("/proc/1/status", &err);
	smaps = proc_text("/proc/1/smaps", &err);
	if (err < 0)
		ex_fail(EX, "/proc/1/smaps does not exist yet (proc_show "
			"returns %d): add it beside maps", err);
	vm_rss = field(status, strlen(status), "VmRSS");
	at = smaps;
	for (line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long start, end;
		char *next, *block;
		long size, rss, parts = 0;
		static const char *const part[] = { "Shared_Clean",
			"Shared_Dirty", "Private_Clean", "Private_Dirty" };

		block = strstr(at, line);
		if (!block || (block != smaps && block[-1] != '\n'))
			ex_fail(EX, "the maps line \"%s\" is not in smaps, or "
				"not in the same order", line);
		block += strlen(line);
		next = block;     /* to the next line "XXXXXXXX-" */
		while ((next = strchr(next + 1, '\n'))
		       && !(strlen(next) > 9 && next[9] == '-'))
			;
		if (!next)
			next = block + strlen(block);
		sscanf(line, "%lx-%lx", &start, &end);
		size = field(block, (size_t)(next - block), "Size");
		rss = field(block, (size_t)(next - block), "Rss");
		for (int i = 0; i < 4; i++)
			parts += field(block, (size_t)(next - block),
				       part[i]);
		if (size != (long)((end - start) >> 10))
			ex_fail(EX, "Size of %08lx-%08lx is %ld kB, not %lu",
				start, end, size, (end - start) >> 10);
		if (rss < 0 || rss != parts)
			ex_fail(EX, "in %08lx-%08lx, Rss (%ld kB) is not the "
				"sum of the Shared_ and Private_ lines "
				"(%ld kB)", start, end, rss, parts);
		rss_sum += rss;
		vmas++;
		at = next;
	}
	if (rss_sum != vm_rss)
		ex_fail(EX, "the Rss lines add up to %ld kB, but VmRSS is "
			"%ld kB", rss_sum, vm_rss);
	mm_shutdown();
	ex_pass(EX, "smaps shows %d VMAs whose Rss adds up to VmRSS, "
		"%ld kB", vmas, vm_rss);
}
