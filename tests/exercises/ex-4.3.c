/* ex-4.3.c -- exercise 4.3: kmem_cache_zalloc and kcalloc.
 *
 * Both must zero what they return, even memory an earlier user or a
 * constructor filled, and kcalloc must refuse a product that overflows
 * a size_t, including one whose wrapped value is small.
 */
#include <stdint.h>
#include "ex-kernel.h"

#define EX "4.3"

void *kcalloc(size_t n, size_t size, gfp_t gfp) __attribute__((weak));
void *kmem_cache_zalloc(struct kmem_cache *cachep, gfp_t gfp)
	__attribute__((weak));

static void must_be_zero(const char *call, const unsigned char *p,
			 size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			ex_fail(EX, "%s: byte %zu is %#x, not 0", call, i,
				p[i]);
}

static void ctor_fill(void *obj) { memset(obj, 'c', 40); }

static void check_kcalloc(void)
{
	static const struct { size_t n, size; } big[] = {
		{ SIZE_MAX / 8 + 2, 8 },      /* wraps to 8 bytes */
		{ 2, SIZE_MAX / 2 + 1 },      /* wraps to 0 */
		{ SIZE_MAX, 2 },
	};
	unsigned long free_before;
	unsigned char *p = kmalloc(100, GFP_KERNEL), *q;

	memset(p, 0xaa, ksize(p));
	kfree(p);
	q = kcalloc(25, 4, GFP_KERNEL);
	if (!q)
		ex_fail(EX, "kcalloc(25, 4) returned NULL");
	if (ksize(q) < 100)
		ex_fail(EX, "kcalloc(25, 4) gave an object of %zu bytes",
			ksize(q));
	must_be_zero("kcalloc(25, 4) after a dirty kfree", q, 100);
	kfree(q);
	p = kmalloc(3000, GFP_KERNEL);
	memset(p, 0xaa, ksize(p));
	kfree(p);
	q = kcalloc(3, 1000, GFP_KERNEL);
	if (!q)
		ex_fail(EX, "kcalloc(3, 1000) returned NULL");
	must_be_zero("kcalloc(3, 1000) after a dirty kfree", q, 3000);
	kfree(q);
	free_before = nr_free_pages();
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
		if ((q = kcalloc(big[i].n, big[i].size, GFP_KERNEL)))
			ex_fail(EX, "kcalloc(%zu, %zu) returned %08lx: the "
				"product overflows a size_t, so it must "
				"return NULL", big[i].n, big[i].size,
				ptr_to_vaddr(q));
	if ((q = kcalloc(2, KMALLOC_MAX_SIZE, GFP_KERNEL)))
		ex_fail(EX, "kcalloc(2, KMALLOC_MAX_SIZE) returned %08lx; "
			"kmalloc cannot give that much", ptr_to_vaddr(q));
	if (nr_free_pages() != free_before)
		ex_fail(EX, "kcalloc leaked: %lu free pages before, %lu "
			"after", free_before, nr_free_pages());
}

static void check_zalloc(void)
{
	struct kmem_cache *c = kmem_cache_create("ex-4.3", 40, 0, 0,
						 ctor_fill);
	unsigned char *p;

	if (!c)
		ex_fail(EX, "could not create a cache of 40-byte objects");
	p = kmem_cache_zalloc(c, GFP_KERNEL);
	if (!p)
		ex_fail(EX, "kmem_cache_zalloc returned NULL");
	must_be_zero("kmem_cache_zalloc of a constructed object", p, 40);
	memset(p, 0xaa, 40);
	kmem_cache_free(c, p);
	p = kmem_cache_zalloc(c, GFP_KERNEL);
	must_be_zero("kmem_cache_zalloc after a dirty free", p, 40);
	kmem_cache_free(c, p);
	if (kmem_cache_destroy(c) != 0)
		ex_fail(EX, "kmem_cache_destroy found objects still in use");
}

int main(void)
{
	if (!kcalloc)
		ex_fail(EX, "kcalloc does not exist yet: add it to "
			"book/04-slab.nw (slab.c) and declare it in slab.h");
	if (!kmem_cache_zalloc)
		ex_fail(EX, "kmem_cache_zalloc does not exist yet: add it to "
			"book/04-slab.nw (slab.c) and declare it in slab.h");
	ex_boot(EX, "mem=64M quiet init_steps=5");
	check_kcalloc();
	check_zalloc();
	if (!slab_check())
		ex_fail(EX, "slab_check() fails afterwards");
	mm_shutdown();
	ex_pass(EX, "kcalloc and kmem_cache_zalloc zero reused memory, and "
		"kcalloc refuses products that overflow");
}
