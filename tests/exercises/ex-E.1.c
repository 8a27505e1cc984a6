/* ex-E.1.c -- exercise E.1: each zone's free pages from the example's
 * /proc/buddyinfo, and MemFree.  An answer check: the appendix's own
 * example program is included (its main renamed), so the machine is
 * the one the book shows; the files are read as the model prints them
 * and compared with answers/E.1.txt. */
#define main proc_buddyinfo_example
int proc_buddyinfo_example(void);
#include "../../src/exp/proc-buddyinfo.c"
#undef main
#include "ex-kernel.h"

#define EX "E.1"

/* The text of one /proc file. */
static char *proc_text(const char *path)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	if (proc_show(path, out) < 0)
		ex_fail(EX, "%s does not exist; run make test", path);
	fclose(out);
	return text;
}

/* The free pages of the buddyinfo line of zone: sum of count << order. */
static long zone_free(const char *buddyinfo, const char *zone)
{
	const char *p = strstr(buddyinfo, zone);
	long sum = 0;
	char *end;

	if (!p)
		ex_fail(EX, "/proc/buddyinfo has no zone %s; run make test",
			zone);
	p += strlen(zone);
	for (int order = 0; order < MAX_ORDER; order++) {
		sum += strtol(p, &end, 10) << order;
		p = end;
	}
	return sum;
}

int main(void)
{
	static const char *const what[] = { "DMA's free pages",
		"Normal's free pages", "MemFree in kB" };
	long got[3], want[3];
	char *buddy, *mem, *free_line;

	ex_read_answer(EX, "three numbers: the free pages of zone DMA and "
		       "of zone Normal from the example's /proc/buddyinfo, "
		       "then MemFree from its /proc/meminfo, in kB", got, 3);
	if (set_up() < 0)
		ex_fail(EX, "the appendix's example machine does not set up; "
			"run make test");
	buddy = proc_text("/proc/buddyinfo");
	mem = proc_text("/proc/meminfo");
	want[0] = zone_free(buddy, "DMA");
	want[1] = zone_free(buddy, "Normal");
	free_line = strstr(mem, "MemFree:");
	want[2] = free_line ? strtol(free_line + 8, NULL, 10) : -1;
	mm_shutdown();
	free(buddy);
	free(mem);
	ex_compare(EX, what, got, want, 3);
	ex_pass(EX, "%ld + %ld free pages are the %ld kB of MemFree",
		want[0], want[1], want[2]);
}
