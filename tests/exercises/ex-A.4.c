/* ex-A.4.c -- exercise A.4: initcall_blacklist=.
 *
 * Three boots: one that skips the processes, one that skips the zero
 * page and names a step that does not exist, and one without the
 * parameter, which must skip nothing.  The model's complaints on stderr
 * are silenced, so that the check prints one line.
 */
#include <fcntl.h>
#include <unistd.h>
#include "ex-kernel.h"

#define EX "A.4"

static void boot_quietly(const char *cmdline)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	int r;

	fflush(stderr);
	dup2(null, 2);
	r = mm_boot(cmdline);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	if (r != 0)
		ex_fail(EX, "mm_boot(\"%s\") returned %d: add the parameter",
			cmdline, r);
}

static bool processes_run(void)
{
	struct task *t = NULL;

	if (oopses(t = task_create("ex-A.4")))
		return false;
	if (!t)
		ex_fail(EX, "task_create returned NULL instead of a task");
	task_destroy(t);
	return true;
}

int main(void)
{
	boot_quietly("mem=16M quiet initcall_debug "
		     "initcall_blacklist=processes");
	if (processes_run())
		ex_fail(EX, "initcall_blacklist=processes: task_create "
			"worked, so the processes step still started");
	if (!zero_page)
		ex_fail(EX, "initcall_blacklist=processes: the zero page, a "
			"later step, did not start");
	mm_shutdown();
	if (!strstr(dmesg(), "initcall: stop files"))
		ex_fail(EX, "initcall_debug no longer logs \"initcall: stop "
			"files\" at shutdown");
	if (strstr(dmesg(), "initcall: start processes")
	    || strstr(dmesg(), "initcall: stop processes"))
		ex_fail(EX, "initcall_blacklist=processes: the log shows "
			"the processes step %s; a skipped step is neither "
			"started nor stopped",
			strstr(dmesg(), "initcall: start processes")
			? "started" : "stopped at shutdown");
	boot_quietly("mem=16M quiet initcall_blacklist=nosuch,the_zero_page");
	if (zero_page)
		ex_fail(EX, "initcall_blacklist=nosuch,the_zero_page: the "
			"zero page step still started");
	if (!processes_run())
		ex_fail(EX, "initcall_blacklist=nosuch,the_zero_page: the "
			"processes step was skipped too");
	mm_shutdown();
	boot_quietly("mem=16M quiet");
	if (!processes_run() || !zero_page)
		ex_fail(EX, "a boot without initcall_blacklist skipped a step: "
			"the parameter must not outlive its boot");
	mm_shutdown();
	ex_pass(EX, "initcall_blacklist= skips exactly the steps it names, "
		"ignores unknown names, and lasts one boot");
}
