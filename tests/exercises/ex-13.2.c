/* ex-13.2.c -- exercise 13.2: kvmalloc and kvfree.
 *
 * A feature check: kvmalloc must give a small block from kmalloc (in
 * the direct map), a large one from vmalloc without kmalloc's warning,
 * and a 64 KiB one even when free memory is in single pages; kvfree
 * must free each kind, and NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "fragment.h"

void *kvmalloc(size_t size, gfp_t gfp) __attribute__((weak));
void kvfree(const void *addr) __attribute__((weak));

static void fail(const char *why)
{
	printf("FAIL 13.2: %s\n", why);
	mm_shutdown();
	exit(1);
}

static bool in_vmalloc_area(const void *p)
{
	return ptr_to_vaddr(p) >= VMALLOC_START
	       && ptr_to_vaddr(p) < VMALLOC_END;
}

static void boot(void)
{
	if (mm_boot("mem=64M quiet") < 0) {
		printf("FAIL 13.2: the model did not boot; run make test\n");
		exit(1);
	}
}

/* A machine in pieces: fragment_free_memory of fragment.h. */
static void fragment(void)
{
	if (fragment_free_memory() < 0)
		fail("out of host memory");
}

/* A small block: from kmalloc, so in the direct map; and after kvfree,
 * kmalloc's cache hands the same object out again. */
static void check_small(void)
{
	char *p = kvmalloc(100, GFP_KERNEL), *q;

	if (!p)
		fail("kvmalloc(100) returned NULL");
	if (!virt_addr_valid(p))
		fail("kvmalloc(100) is not in the direct map: small blocks "
		     "must come from kmalloc");
	memset(p, 1, 100);
	kvfree(p);
	q = kmalloc(100, GFP_KERNEL);
	if (q != p)
		fail("after kvfree of a kmalloc'd block, kmalloc(100) did not "
		     "get the object back: did kvfree call kfree?");
	kfree(q);
	kvfree(NULL);
}

/* A megabyte: from vmalloc, with no warning from kmalloc, and gone from
 * the vmalloc area after kvfree. */
static void check_large(void)
{
	char *p;

	dmesg_clear();
	p = kvmalloc(1UL << 20, GFP_KERNEL);
	if (!p)
		fail("kvmalloc(1 MiB) returned NULL on a fresh machine");
	if (!in_vmalloc_area(p))
		fail("kvmalloc(1 MiB) is not in the vmalloc area");
	if (strstr(dmesg(), "WARNING"))
		fail("kvmalloc(1 MiB) left a WARNING in the log: do not ask "
		     "kmalloc for more than KMALLOC_MAX_SIZE");
	memset(p, 2, 1UL << 20);
	kvfree(p);
	if (find_vm_area(p))
		fail("kvfree of a vmalloc'd block left its area in vmlist: "
		     "did kvfree call vfree?");
}

/* 64 KiB on a machine in pieces: kmalloc fails, vmalloc must not. */
static void check_fragmented(void)
{
	char *p;

	fragment();
	if (kmalloc(8192, GFP_KERNEL))
		fail("the machine is not in pieces as the check expected");
	p = kvmalloc(64UL << 10, GFP_KERNEL);
	if (!p)
		fail("kvmalloc(64 KiB) returned NULL on a machine in pieces: "
		     "fall back to vmalloc when kmalloc fails");
	if (!in_vmalloc_area(p))
		fail("kvmalloc(64 KiB) on a machine in pieces is not in the "
		     "vmalloc area");
	memset(p, 3, 64UL << 10);
	kvfree(p);
	if (find_vm_area(p))
		fail("kvfree did not free the 64 KiB area");
}

int main(void)
{
	if (!kvmalloc || !kvfree) {
		printf("FAIL 13.2: %s not exist yet: add %s to "
		       "book/06-vmalloc.nw and run make tangle\n",
		       !kvmalloc && !kvfree ? "kvmalloc and kvfree do"
		       : !kvmalloc ? "kvmalloc does" : "kvfree does",
		       !kvmalloc && !kvfree ? "them" : "it");
		return 1;
	}
	boot();
	check_small();
	check_large();
	mm_shutdown();
	boot();
	check_fragmented();
	mm_shutdown();
	printf("PASS 13.2: kvmalloc gives small blocks from kmalloc and large "
	       "ones from vmalloc, survives a machine in pieces, and kvfree "
	       "frees both\n");
	return 0;
}
