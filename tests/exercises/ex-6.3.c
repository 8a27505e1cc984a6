/* ex-6.3.c -- exercise 6.3: ioremap and iounmap.
 *
 * The VGA window, 128 KiB at 0xA0000, mapped and unmapped: the area's
 * flags, physical address and size, the ptes, the offset of an address
 * that is not page aligned, writes seen both ways, the refusals of
 * 2.6.17's __ioremap, and an iounmap that frees no frame.
 */
#include "ex-kernel.h"

#define EX "6.3"
#define VGA      0xA0000UL
#define VGA_SIZE 0x20000UL

void *ioremap(unsigned long phys_addr, unsigned long size)
	__attribute__((weak));
void iounmap(void *addr) __attribute__((weak));

static void check_area(void *p)
{
	struct vm_struct *area = find_vm_area(p);
	unsigned long a = ptr_to_vaddr(p);

	if (!area)
		ex_fail(EX, "ioremap(%#lx, %#lx) returned %08lx, which is not "
			"the start of a vm area", VGA, VGA_SIZE, a);
	if (!(area->flags & VM_IOREMAP) || area->phys_addr != VGA
	    || area->size != VGA_SIZE + PAGE_SIZE)
		ex_fail(EX, "the area has flags %#lx, phys_addr %#lx and size "
			"%#lx; want VM_IOREMAP, %#lx and %#lx (a guard page "
			"included)", area->flags, area->phys_addr, area->size,
			VGA, VGA_SIZE + PAGE_SIZE);
	for (unsigned long i = 0; i < VGA_SIZE / PAGE_SIZE; i++) {
		pte_t *pte = lookup_pte(swapper_pg_dir, a + i * PAGE_SIZE);
		unsigned long want = ((VGA >> PAGE_SHIFT) + i) << PAGE_SHIFT
				     | pgprot_val(PAGE_KERNEL);

		if (!pte || pte_val(*pte) != want)
			ex_fail(EX, "page %lu of the mapping: pte %08lx, want "
				"%08lx (frame %#lx, PAGE_KERNEL)", i,
				pte ? pte_val(*pte) : 0, want,
				(VGA >> PAGE_SHIFT) + i);
	}
}

static void check_refusals(void)
{
	struct page *ram = alloc_page(GFP_KERNEL);
	unsigned long ram_phys = page_to_pfn(ram) << PAGE_SHIFT;
	unsigned long free_phys = (max_pfn - 1) << PAGE_SHIFT;
	static const char *const why[] = { "a size of 0",
		"a range that wraps", "a range past the last frame",
		"a page the buddy allocator handed out",
		"a free page of the buddy allocator",
		"a range that ends in RAM the allocator owns" };
	unsigned long phys[] = { VGA, ~0UL - 0x10, (max_pfn - 1) << PAGE_SHIFT,
				 ram_phys, free_phys,
				 (2UL << 20) - PAGE_SIZE };
	unsigned long size[] = { 0, 0x100, 2 * PAGE_SIZE, PAGE_SIZE,
				 PAGE_SIZE, 64 * PAGE_SIZE };

	for (int i = 0; i < 6; i++) {
		void *p = ioremap(phys[i], size[i]);

		if (p)
			ex_fail(EX, "ioremap(%#lx, %#lx) returned %08lx; it "
				"must refuse %s", phys[i], size[i],
				ptr_to_vaddr(p), why[i]);
	}
	__free_page(ram);
}

int main(void)
{
	if (!ioremap || !iounmap)
		ex_fail(EX, "%s does not exist yet: add it to "
			"book/06-vmalloc.nw and declare it in vmalloc.h",
			ioremap ? "iounmap" : "ioremap");
	ex_boot(EX, "mem=64M quiet init_steps=5");
	void *before = vmalloc(3 * PAGE_SIZE);
	volatile char *p = ioremap(VGA, VGA_SIZE);
	if (!p)
		ex_fail(EX, "ioremap(%#lx, %#lx) returned NULL", VGA,
			VGA_SIZE);
	check_area((void *)p);
	p[0x123] = 'v';
	if (((char *)__va(VGA))[0x123] != 'v')
		ex_fail(EX, "a write through the mapping does not appear at "
			"__va(%#lx)", VGA);
	((char *)__va(VGA))[VGA_SIZE - 1] = 'g';
	if (p[VGA_SIZE - 1] != 'g')
		ex_fail(EX, "a write at __va(%#lx) does not appear through "
			"the mapping", VGA + VGA_SIZE - 1);
	volatile char *q = ioremap(VGA + 0x1010, 16);
	((char *)__va(VGA))[0x1010] = 'o';
	if (!q || (ptr_to_vaddr((void *)q) & ~PAGE_MASK) != 0x010
	    || q[0] != 'o')
		ex_fail(EX, "ioremap(%#lx, 16) should return an address "
			"0x010 into a page mapping frame %#lx",
			VGA + 0x1010, (VGA + 0x1000) >> PAGE_SHIFT);
	check_refusals();
	if (oopses(iounmap((void *)q)) || oopses(iounmap((void *)p)))
		ex_fail(EX, "iounmap oopsed: %s", last_oops());
	if (find_vm_area((void *)p) || !oopses((void)p[0]))
		ex_fail(EX, "after iounmap the area is still there");
	if (find_vm_area(vaddr_to_ptr(ptr_to_vaddr((void *)q) & PAGE_MASK)))
		ex_fail(EX, "iounmap of %08lx, 0x010 into its area, left the "
			"area there: iounmap takes any address inside the "
			"first page", ptr_to_vaddr((void *)q));
	for (unsigned long pfn = VGA >> PAGE_SHIFT;
	     pfn < (VGA + VGA_SIZE) >> PAGE_SHIFT; pfn++)
		if (!PageReserved(pfn_to_page(pfn))
		    || PageBuddy(pfn_to_page(pfn)))
			ex_fail(EX, "iounmap gave frame %#lx to the buddy "
				"allocator: it must free no frame", pfn);
	if (!buddy_check())
		ex_fail(EX, "buddy_check() fails after iounmap");
	vfree(before);
	mm_shutdown();
	ex_pass(EX, "ioremap maps the VGA window with VM_IOREMAP and "
		"PAGE_KERNEL, keeps offsets, refuses RAM and bad ranges; "
		"iounmap frees no frame");
}
