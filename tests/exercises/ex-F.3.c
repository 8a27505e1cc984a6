/* ex-F.3.c -- exercise F.3: a new invariant, that every file VMA is on
 * its file's i_mmap list and every VMA on that list maps the file.  A
 * feature check: on a healthy machine model_check finds nothing; then a
 * file VMA is taken off its list, and, separately, an anonymous VMA is
 * put on it; model_check must report each, and nothing once repaired. */
#include <fcntl.h>
#include "ex-census.h"

#define EX "F.3"
/* model_check, its log thrown away. */
static int checked(void)
{
	int v = model_check();

	dmesg_clear();
	return v;
}

int main(void)
{
	struct vm_area_struct *anon, *file;
	struct list_head *i_mmap;
	struct task *t;
	int off, on;

	ex_boot(EX, "mem=32M quiet");
	t = task_create("f3");
	if (!t || task_run(t, body, NULL) || ok[0] != (long)A0
	    || ok[1] != (long)A1 || checked())
		ex_fail(EX, "model_check finds violations on a healthy "
			"machine: the new invariant must hold there (or run "
			"make test)");
	anon = find_vma(t->mm, A0);
	file = find_vma(t->mm, A1);
	i_mmap = &file->vm_file->f_mapping->i_mmap;
	list_del(&file->shared);                 /* off its file's list */
	off = checked();
	list_add(&file->shared, i_mmap);
	if (checked())
		ex_fail(EX, "after the file VMA is put back on i_mmap, "
			"model_check still reports a violation");
	list_add(&anon->shared, i_mmap);          /* on a list it is not */
	on = checked();
	list_del(&anon->shared);
	INIT_LIST_HEAD(&anon->shared);
	if (!off)
		ex_fail(EX, "a file VMA taken off its file's i_mmap list is "
			"not reported by model_check: add the invariant");
	if (!on)
		ex_fail(EX, "an anonymous VMA on a file's i_mmap list is not "
			"reported by model_check");
	if (checked())
		ex_fail(EX, "the repaired machine still has violations");
	mm_shutdown();
	ex_pass(EX, "model_check reports %d for a VMA off i_mmap and %d for "
		"a stranger on it", off, on);
}
