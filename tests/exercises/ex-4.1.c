/* ex-4.1.c -- exercise 4.1: the geometry of a cache of 40-byte objects,
 * without flags and with SLAB_HWCACHE_ALIGN. */
#include "ex-kernel.h"
#include "slab_def.h"

#define EX "4.1"

static void geometry(unsigned long flags, long *v)
{
	struct kmem_cache *c = kmem_cache_create(flags ? "ex-40-aligned"
						 : "ex-40", 40, 0, flags,
						 NULL);
	void *obj;

	if (!c || !(obj = kmem_cache_alloc(c, GFP_KERNEL)))
		ex_fail(EX, "could not create a cache of 40-byte objects");
	v[0] = c->num;
	v[1] = (long)c->slab_size;
	v[2] = c->colour;
	v[3] = (long)(ptr_to_vaddr(obj)
		      - ptr_to_vaddr(page_address(virt_to_page(obj))));
	kmem_cache_free(c, obj);
	kmem_cache_destroy(c);
}

int main(void)
{
	static const char *const what[] = {
		"num, no flags", "slab_size, no flags", "colour, no flags",
		"the first object's offset, no flags",
		"num, SLAB_HWCACHE_ALIGN", "slab_size, SLAB_HWCACHE_ALIGN",
		"colour, SLAB_HWCACHE_ALIGN",
		"the first object's offset, SLAB_HWCACHE_ALIGN" };
	long got[8], want[8];

	ex_read_answer(EX, "eight numbers: num, slab_size, colour and the "
		       "offset of the first object in the cache's first "
		       "slab (from the slab's first byte), without flags, "
		       "then the same four with SLAB_HWCACHE_ALIGN", got, 8);
	ex_boot(EX, "mem=64M quiet init_steps=5");
	geometry(0, want);
	geometry(SLAB_HWCACHE_ALIGN, want + 4);
	mm_shutdown();
	ex_compare(EX, what, got, want, 8);
	ex_pass(EX, "40 bytes: num %ld, slab_size %ld, colour %ld, first "
		"object at +%ld; aligned: %ld, %ld, %ld, +%ld", want[0],
		want[1], want[2], want[3], want[4], want[5], want[6],
		want[7]);
}
