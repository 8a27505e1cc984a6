/* ex-F.1.c -- exercise F.1: how many violations model_check reports
 * after each of three corruptions.  An answer check: each corruption is
 * made on a freshly booted machine on which a task has written an
 * anonymous page and, through a shared mapping, a page of a file; the
 * counts model_check returns are compared with answers/F.1.txt. */
#include <fcntl.h>
#include "ex-census.h"

#define EX "F.1"
/* Corruption k on a fresh machine; what model_check returns. */
static long violations(int k)
{
	struct task *t;
	pte_t *pte;
	long v;

	ex_boot(EX, "mem=32M quiet");
	t = task_create("f1");
	if (!t || task_run(t, body, NULL) || ok[0] != (long)A0
	    || ok[1] != (long)A1 || model_check())
		ex_fail(EX, "the healthy machine is not healthy; run make "
			"test");
	pte = lookup_pte(t->mm->pgd, k == 2 ? A0 : A1);
	if (k == 0)
		get_page(pte_page(*pte));     /* a second reference */
	else if (k == 1)
		pte_page(*pte)->mapcount++;   /* a pte that is not there */
	else
		pte_clear(pte);               /* the pte forgotten */
	dmesg_clear();
	v = model_check();
	mm_shutdown();
	return v;
}

int main(void)
{
	static const char *const what[] = {
		"after get_page on the file's page",
		"after the file page's mapcount is raised by one",
		"after the anonymous page's pte is cleared" };
	long got[3], want[3];

	ex_read_answer(EX, "three numbers: what model_check returns after "
		       "get_page on the file's cached page, after raising "
		       "its mapcount by one, and after clearing the pte of "
		       "the anonymous page", got, 3);
	for (int k = 0; k < 3; k++)
		want[k] = violations(k);
	ex_compare(EX, what, got, want, 3);
	ex_pass(EX, "model_check reports %ld, %ld and %ld violations",
		want[0], want[1], want[2]);
}
