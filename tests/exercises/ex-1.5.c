/* ex-1.5.c -- exercise 1.5: what a kmalloc(100) costs in memory: the
 * object it really gets, and how many such objects one slab holds. */
#include "ex-kernel.h"
#include "slab_def.h"

#define EX "1.5"

int main(void)
{
	static const char *const what[] = {
		"the bytes a kmalloc(100) occupies",
		"the objects of that size one slab holds" };
	long got[2], want[2];

	ex_read_answer(EX, "two numbers: the bytes a kmalloc(100) really "
		       "occupies, then how many objects of that size one "
		       "slab of its cache holds", got, 2);
	ex_boot(EX, "mem=64M quiet init_steps=5");
	void *p = kmalloc(100, GFP_KERNEL);
	if (!p)
		ex_fail(EX, "kmalloc(100) returned NULL on a 64 MiB machine");
	want[0] = (long)ksize(p);
	want[1] = (long)kmem_find_general_cachep(100, GFP_KERNEL)->num;
	kfree(p);
	mm_shutdown();
	ex_compare(EX, what, got, want, 2);
	ex_pass(EX, "kmalloc(100) occupies %ld bytes, %ld to a slab",
		want[0], want[1]);
}
