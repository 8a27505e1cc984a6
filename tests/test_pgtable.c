/* test_pgtable.c -- chapter 5: the entry format, the walk, the MMU's
 * accessed and dirty bits, read-only TLB entries until the first write,
 * flushes, page-table counts, the shared kernel half, misuse. */
#include <string.h>
#include "test.h"

#define UBASE  0x40000000UL           /* a user address for test mappings */
#define CLEAN  __pgprot(_PAGE_PRESENT | _PAGE_RW)   /* no A, no D */

static volatile char *at(unsigned long vaddr) { return vaddr_to_ptr(vaddr); }

/* Map a fresh frame at a user address in the kernel's pgd. */
static struct page *map_new(unsigned long addr, pgprot_t prot)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pte_t *pte = pte_alloc(pgd_offset_k(addr), addr);

	CU_ASSERT_FATAL(page != NULL && pte != NULL);
	set_pte(pte, mk_pte(page, prot));
	return page;
}

static unsigned long pte_at(unsigned long addr)
{
	pte_t *pte = lookup_pte(swapper_pg_dir, addr);

	return pte ? pte_val(*pte) : 0xdeadbeefUL;
}

/* ------------------------------------------------------------ entries */

static void test_entry_format(void)
{
	pte_t pte = pfn_pte(0x1234, PAGE_KERNEL);

	CU_ASSERT_EQUAL(sizeof(pte_t), 4);
	CU_ASSERT_EQUAL(sizeof(pgd_t), 4);
	CU_ASSERT_EQUAL(pte_val(pte), 0x01234063UL);
	CU_ASSERT_EQUAL(pte_pfn(pte), 0x1234);
	CU_ASSERT_TRUE(pte_present(pte) && pte_write(pte) && pte_dirty(pte));
	CU_ASSERT_TRUE(pte_young(pte));
	CU_ASSERT_FALSE(pte_user(pte));
	CU_ASSERT_EQUAL(pte_val(pfn_pte(5, PAGE_SHARED)), 0x5027UL);
	CU_ASSERT_EQUAL(pte_val(pfn_pte(5, PAGE_COPY)), 0x5025UL);
	CU_ASSERT_EQUAL(pte_val(pte_wrprotect(pte)), 0x01234061UL);
	CU_ASSERT_EQUAL(pte_val(pte_mkclean(pte_mkold(pte))), 0x01234003UL);
	/* pte_modify keeps the frame, accessed and dirty */
	CU_ASSERT_EQUAL(pte_val(pte_modify(pte, PAGE_COPY)), 0x01234065UL);
	/* PROT_NONE: present to the kernel, not to the MMU */
	pte = pfn_pte(7, PAGE_NONE);
	CU_ASSERT_TRUE(pte_present(pte));
	CU_ASSERT_FALSE(pte_val(pte) & _PAGE_PRESENT);
	CU_ASSERT_TRUE(pte_none(__pte(0)));
	CU_ASSERT_EQUAL(pgd_index(0xC0400000UL), 769);
	CU_ASSERT_EQUAL(pte_index(0x0804A123UL), 74);
	CU_ASSERT_EQUAL(USER_PTRS_PER_PGD, 768);
}

static void test_mk_pte_and_pte_page(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	struct page *page = pfn_to_page(1000);
	pte_t pte = mk_pte(page, PAGE_KERNEL);
	CU_ASSERT_EQUAL(pte_val(pte), (1000UL << 12) | 0x063);
	CU_ASSERT_PTR_EQUAL(pte_page(pte), page);
	mm_shutdown();
}

/* ------------------------------------------------------------ boot */

static void test_swapper_pg_dir_at_boot(void)
{
	BOOT("mem=64M quiet" KERNEL_HALF);
	CU_ASSERT_PTR_NOT_NULL_FATAL(swapper_pg_dir);
	CU_ASSERT_PTR_EQUAL(read_cr3(), swapper_pg_dir);
	CU_ASSERT_EQUAL(ptr_to_vaddr(swapper_pg_dir) & ~PAGE_MASK, 0);
	CU_ASSERT_TRUE(virt_addr_valid(swapper_pg_dir));
	CU_ASSERT_PTR_NOT_NULL(arch_page_walker);
	CU_ASSERT_PTR_EQUAL(arch_fault_handler, vmalloc_fault);
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 0);
	/* swapper_pg_dir is the last page of the kernel image */
	CU_ASSERT_EQUAL(__pa(swapper_pg_dir), KERNEL_IMAGE_END - PAGE_SIZE);
	/* 64 MiB of direct map: 16 large entries, 768..783; chapter 6's
	 * pkmap and fixmap tables in 1022 and 1023; nothing else */
	CU_ASSERT_EQUAL(pgd_val(swapper_pg_dir[1022]) & ~PAGE_MASK,
			_KERNPG_TABLE);
	CU_ASSERT_EQUAL(pgd_val(swapper_pg_dir[1023]) & ~PAGE_MASK,
			_KERNPG_TABLE);
	for (unsigned long i = 0; i < 1022; i++) {
		unsigned long v = pgd_val(swapper_pg_dir[i]);
		unsigned long want = i >= 768 && i < 784
				     ? ((i - 768) << 22) | 0xe3 : 0;
		CU_ASSERT_EQUAL(v, want);
	}
	/* the walk does not descend into a large page */
	CU_ASSERT_PTR_NULL(lookup_pte(swapper_pg_dir, PAGE_OFFSET + 0x5000));
	mm_shutdown();
	CU_ASSERT_PTR_NULL(swapper_pg_dir);
	CU_ASSERT_TRUE(oopses(read_cr3()));           /* no machine, no cr3 */
}

/* ------------------------------------------------------------ the walk */

static void test_walk_finds_the_pte(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long a = UBASE + 5 * PAGE_SIZE + 0x123;
	CU_ASSERT_PTR_NULL(lookup_pte(swapper_pg_dir, a));   /* no table */
	struct page *page = map_new(a & PAGE_MASK, PAGE_SHARED);
	pte_t *pte = lookup_pte(swapper_pg_dir, a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pte);
	CU_ASSERT_EQUAL(pte_val(*pte), (page_to_pfn(page) << 12) | 0x027);
	/* the pte is entry 5 of the table that pgd entry 256 points to */
	pgd_t pgd = swapper_pg_dir[256];
	CU_ASSERT_EQUAL(pgd_val(pgd) & ~PAGE_MASK, _PAGE_TABLE);
	CU_ASSERT_PTR_EQUAL(pte, (pte_t *)page_address(pgd_page(pgd)) + 5);
	/* pgd_offset on anything with a pgd member, pte_offset below it */
	struct { pgd_t *pgd; } mm = { swapper_pg_dir };
	CU_ASSERT_PTR_EQUAL(pgd_offset(&mm, a), swapper_pg_dir + 256);
	CU_ASSERT_PTR_EQUAL(pgd_offset_k(a), swapper_pg_dir + 256);
	CU_ASSERT_PTR_EQUAL(pte_offset(pgd_offset_k(a), a), pte);
	/* the table is a frame the buddy allocator gave: in use, count 1 */
	CU_ASSERT_FALSE(PageBuddy(pgd_page(pgd)));
	CU_ASSERT_EQUAL(page_count(pgd_page(pgd)), 1);
	/* a neighbour in the same table has a pte, but it is none */
	CU_ASSERT_TRUE(pte_none(*lookup_pte(swapper_pg_dir, UBASE)));
	/* and the CPU sees the frame through the mapping */
	strcpy(page_address(page), "through the tables");
	CU_ASSERT_STRING_EQUAL((char *)vaddr_to_ptr(a & PAGE_MASK),
			       "through the tables");
	CU_ASSERT_EQUAL(pgtable_stats.walks, 1);
	/* pte_clear empties the entry; after the flush the page is gone */
	pte_clear(pte);
	CU_ASSERT_TRUE(pte_none(*pte));
	flush_tlb_page(NULL, a);
	CU_ASSERT_TRUE(oopses((void)*at(a)));
	CU_ASSERT_STRING_EQUAL((char *)page_address(page), "through the tables");
	mm_shutdown();
}

static void test_kernel_table_flags(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long a = VMALLOC_START + 3 * PAGE_SIZE;
	pte_t *pte = pte_alloc_kernel(pgd_offset_k(a), a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pte);
	CU_ASSERT_EQUAL(pgd_val(*pgd_offset_k(a)) & ~PAGE_MASK, _KERNPG_TABLE);
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 1);
	/* a second pte in the same 4 MiB needs no new table */
	CU_ASSERT_PTR_EQUAL(pte_alloc_kernel(pgd_offset_k(a), a + PAGE_SIZE),
			    pte + 1);
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 1);
	mm_shutdown();
}

/* ------------------------------------------------------------ A and D */

static void test_accessed_then_dirty(void)
{
	bool rw;

	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long a = UBASE;
	struct page *page = map_new(a, CLEAN);
	unsigned long pfn = page_to_pfn(page);
	CU_ASSERT_EQUAL(pte_at(a), (pfn << 12) | 0x003);
	(void)*at(a + 10);                          /* a read */
	CU_ASSERT_EQUAL(pte_at(a), (pfn << 12) | 0x023);     /* accessed */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 1);
	CU_ASSERT_TRUE(tlb_lookup(a, NULL, &rw));
	CU_ASSERT_FALSE(rw);                        /* clean: read-only */
	(void)*at(a + 20);                          /* a hit */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 1);
	*at(a + 30) = 'x';                          /* first write */
	CU_ASSERT_EQUAL(pte_at(a), (pfn << 12) | 0x063);     /* dirty */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 2);
	CU_ASSERT_TRUE(tlb_lookup(a, NULL, &rw));
	CU_ASSERT_TRUE(rw);
	*at(a + 40) = 'y';                          /* now a hit */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 2);
	CU_ASSERT_EQUAL(pgtable_stats.accessed_set, 1);
	CU_ASSERT_EQUAL(pgtable_stats.dirty_set, 1);
	CU_ASSERT_EQUAL(((char *)page_address(page))[30], 'x');
	mm_shutdown();
}

static void test_write_first_sets_both(void)
{
	bool rw;

	BOOT("mem=16M quiet" KERNEL_HALF);
	struct page *page = map_new(UBASE, CLEAN);
	*at(UBASE) = 1;
	CU_ASSERT_EQUAL(pte_at(UBASE), (page_to_pfn(page) << 12) | 0x063);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 1);
	CU_ASSERT_TRUE(tlb_lookup(UBASE, NULL, &rw) && rw);
	mm_shutdown();
}

static void test_dirty_pte_is_writable_at_once(void)
{
	bool rw;

	BOOT("mem=16M quiet" KERNEL_HALF);
	map_new(UBASE, PAGE_KERNEL);        /* born accessed and dirty */
	(void)*at(UBASE);
	CU_ASSERT_TRUE(tlb_lookup(UBASE, NULL, &rw) && rw);
	*at(UBASE) = 1;
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 1);
	CU_ASSERT_EQUAL(pgtable_stats.accessed_set, 0);
	CU_ASSERT_EQUAL(pgtable_stats.dirty_set, 0);
	mm_shutdown();
}

static void test_clean_again_means_read_only_again(void)
{
	bool rw;

	BOOT("mem=16M quiet" KERNEL_HALF);
	map_new(UBASE, CLEAN);
	*at(UBASE) = 1;
	/* what write-back would do: clean the pte, then flush */
	pte_t *pte = lookup_pte(swapper_pg_dir, UBASE);
	set_pte(pte, pte_mkclean(*pte));
	flush_tlb_page(NULL, UBASE);
	(void)*at(UBASE);
	CU_ASSERT_TRUE(tlb_lookup(UBASE, NULL, &rw));
	CU_ASSERT_FALSE(rw);
	CU_ASSERT_FALSE(pte_dirty(*pte));
	*at(UBASE) = 2;
	CU_ASSERT_TRUE(pte_dirty(*pte));
	CU_ASSERT_EQUAL(pgtable_stats.dirty_set, 2);
	mm_shutdown();
}

/* ------------------------------------------------------------ refusals */

static void test_read_only_pte_refuses_writes(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	struct page *page = map_new(UBASE, PAGE_COPY);
	CU_ASSERT_FALSE(oopses((void)*at(UBASE)));
	CU_ASSERT_TRUE(oopses(*at(UBASE) = 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),
		"paging request at virtual address 40000000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "[write]"));
	CU_ASSERT_FALSE(pte_dirty(*lookup_pte(swapper_pg_dir, UBASE)));
	CU_ASSERT_EQUAL(pgtable_stats.walks_refused, 1);
	CU_ASSERT_EQUAL(((char *)page_address(page))[0], 0);
	mm_shutdown();
}

static void test_not_present_refuses(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	struct page *page = map_new(UBASE, PAGE_NONE);
	CU_ASSERT_TRUE(oopses((void)*at(UBASE + 8)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "40000008"));
	CU_ASSERT_TRUE(oopses((void)*at(UBASE + PAGE_SIZE)));  /* pte none */
	CU_ASSERT_TRUE(oopses((void)*at(UBASE + PGDIR_SIZE))); /* no table */
	CU_ASSERT_EQUAL(pgtable_stats.walks, 3);
	CU_ASSERT_EQUAL(pgtable_stats.walks_refused, 3);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 0);
	/* mprotect back to readable: the same frame appears */
	pte_t *pte = lookup_pte(swapper_pg_dir, UBASE);
	set_pte(pte, pte_modify(*pte, PAGE_SHARED));
	((char *)page_address(page))[8] = 'z';
	CU_ASSERT_EQUAL(*at(UBASE + 8), 'z');
	mm_shutdown();
}

/* ------------------------------------------------------------ flushes */

static void test_stale_entry_until_flushed(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	struct page *a = map_new(UBASE, PAGE_SHARED);
	struct page *b = alloc_page(GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	strcpy(page_address(a), "old");
	strcpy(page_address(b), "new");
	CU_ASSERT_STRING_EQUAL((char *)at(UBASE), "old");
	set_pte(lookup_pte(swapper_pg_dir, UBASE), mk_pte(b, PAGE_SHARED));
	CU_ASSERT_STRING_EQUAL((char *)at(UBASE), "old");     /* stale */
	flush_tlb_page(NULL, UBASE);
	CU_ASSERT_STRING_EQUAL((char *)at(UBASE), "new");
	/* a cleared pte is still reachable until the flush, then oopses */
	pte_t old = ptep_get_and_clear(lookup_pte(swapper_pg_dir, UBASE));
	CU_ASSERT_EQUAL(pte_pfn(old), page_to_pfn(b));
	CU_ASSERT_FALSE(oopses((void)*at(UBASE)));
	flush_tlb_page(NULL, UBASE);
	CU_ASSERT_TRUE(oopses((void)*at(UBASE)));
	mm_shutdown();
}

static void test_flush_counts(void)
{
	BOOT("mem=16M tlb=128 quiet" KERNEL_HALF);
	for (unsigned long i = 0; i < 40; i++)
		map_new(UBASE + i * PAGE_SIZE, PAGE_SHARED);
	set_pte(pte_alloc_kernel(pgd_offset_k(VMALLOC_START), VMALLOC_START),
		mk_pte(alloc_page(GFP_KERNEL), PAGE_KERNEL));
	for (unsigned long i = 0; i < 40; i++)
		(void)*at(UBASE + i * PAGE_SIZE);
	(void)*at(VMALLOC_START);
	CU_ASSERT_EQUAL(tlb_entries_used(), 41);

	unsigned long f = arch_stats.tlb_flushes;
	flush_tlb_page(NULL, UBASE);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, f + 1);
	CU_ASSERT_EQUAL(tlb_entries_used(), 40);
	/* a small range: one invlpg per page, others kept */
	flush_tlb_range(NULL, UBASE + PAGE_SIZE, UBASE + 4 * PAGE_SIZE);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, f + 4);
	CU_ASSERT_EQUAL(tlb_entries_used(), 37);
	CU_ASSERT_TRUE(tlb_lookup(UBASE + 4 * PAGE_SIZE, NULL, NULL));
	/* above the ceiling: the whole user half, kernel entries kept */
	flush_tlb_range(NULL, UBASE, UBASE + 40 * PAGE_SIZE);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, f + 5);
	CU_ASSERT_EQUAL(tlb_entries_used(), 1);
	CU_ASSERT_TRUE(tlb_lookup(VMALLOC_START, NULL, NULL));
	/* a kernel range of one page, then everything */
	flush_tlb_kernel_range(VMALLOC_START, VMALLOC_START + PAGE_SIZE);
	CU_ASSERT_EQUAL(tlb_entries_used(), 0);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, f + 6);
	(void)*at(UBASE);
	(void)*at(VMALLOC_START);
	flush_tlb_kernel_range(VMALLOC_START, VMALLOC_START + 34 * PAGE_SIZE);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, f + 7);
	CU_ASSERT_EQUAL(tlb_entries_used(), 0);
	(void)*at(UBASE);
	flush_tlb_all();
	CU_ASSERT_EQUAL(tlb_entries_used(), 0);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, f + 8);
	mm_shutdown();
}

/* ------------------------------------------------------------ pgds */

static void test_table_counts_and_pgd_free(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long free0 = nr_free_pages();
	pgd_t *pgd = pgd_alloc();
	CU_ASSERT_PTR_NOT_NULL_FATAL(pgd);
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 1);
	/* the kernel half is swapper's, the user half empty */
	CU_ASSERT_EQUAL(memcmp(pgd + 768, swapper_pg_dir + 768, 256 * 4), 0);
	for (int i = 0; i < 768; i++)
		CU_ASSERT_EQUAL(pgd_val(pgd[i]), 0);
	CU_ASSERT_PTR_NOT_NULL(pte_alloc(pgd + 1, 0x00400000UL));
	CU_ASSERT_PTR_NOT_NULL(pte_alloc(pgd + 1, 0x00401000UL));
	CU_ASSERT_PTR_NOT_NULL(pte_alloc(pgd + 700, 700UL << 22));
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 3);
	CU_ASSERT_EQUAL(nr_free_pages(), free0 - 3);
	pgd_free(pgd);
	CU_ASSERT_EQUAL(pgtable_stats.tables_freed, 3);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	mm_shutdown();
}

static void test_load_cr3_switches_user_half(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	pgd_t *pgd = pgd_alloc();
	struct page *page = alloc_page(GFP_KERNEL);
	CU_ASSERT_FATAL(pgd && page);
	set_pte(pte_alloc(pgd + pgd_index(UBASE), UBASE),
		mk_pte(page, PAGE_SHARED));
	strcpy(page_address(page), "mine");
	CU_ASSERT_TRUE(oopses((void)*at(UBASE)));     /* not in swapper */
	load_cr3(pgd);
	CU_ASSERT_STRING_EQUAL((char *)at(UBASE), "mine");
	CU_ASSERT_TRUE(tlb_lookup(UBASE, NULL, NULL));
	load_cr3(swapper_pg_dir);                     /* flushes the user half */
	CU_ASSERT_FALSE(tlb_lookup(UBASE, NULL, NULL));
	CU_ASSERT_TRUE(oopses((void)*at(UBASE)));
	pgd_free(pgd);
	mm_shutdown();
}

static void test_vmalloc_fault_syncs_kernel_half(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	pgd_t *pgd = pgd_alloc();                     /* before the table */
	unsigned long a = VMALLOC_START + 7 * PAGE_SIZE;
	struct page *p1 = alloc_page(GFP_KERNEL), *p2 = alloc_page(GFP_KERNEL);
	CU_ASSERT_FATAL(pgd && p1 && p2);
	set_pte(pte_alloc_kernel(pgd_offset_k(a), a), mk_pte(p1, PAGE_KERNEL));
	CU_ASSERT_TRUE(pgd_none(pgd[pgd_index(a)]));
	strcpy(page_address(p1), "shared");
	load_cr3(pgd);
	CU_ASSERT_STRING_EQUAL((char *)at(a), "shared");
	CU_ASSERT_EQUAL(pgtable_stats.vmalloc_faults, 1);
	CU_ASSERT_EQUAL(pgd_val(pgd[pgd_index(a)]),
			pgd_val(swapper_pg_dir[pgd_index(a)]));
	/* a later pte in the same table needs no sync: the table is shared */
	set_pte(pte_alloc_kernel(pgd_offset_k(a), a + PAGE_SIZE),
		mk_pte(p2, PAGE_KERNEL));
	*at(a + PAGE_SIZE) = 'k';
	CU_ASSERT_EQUAL(pgtable_stats.vmalloc_faults, 1);
	CU_ASSERT_EQUAL(((char *)page_address(p2))[0], 'k');
	/* a kernel address with no pte anywhere is still an oops */
	CU_ASSERT_TRUE(oopses((void)*at(a + 2 * PAGE_SIZE)));
	CU_ASSERT_EQUAL(pgtable_stats.vmalloc_faults, 1);
	load_cr3(swapper_pg_dir);
	/* pgd_free leaves the kernel tables alone */
	unsigned long freed = pgtable_stats.tables_freed;
	pgd_free(pgd);
	CU_ASSERT_EQUAL(pgtable_stats.tables_freed, freed + 1);
	CU_ASSERT_STRING_EQUAL((char *)at(a), "shared");
	mm_shutdown();
}

static void test_new_pgd_copies_kernel_half(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	char *v = vmalloc(2 * PAGE_SIZE);              /* a kernel table now */
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	strcpy(v + PAGE_SIZE, "vmalloc'd");
	unsigned long i = pgd_index(ptr_to_vaddr(v));
	CU_ASSERT_FALSE(pgd_none(swapper_pg_dir[i]));
	pgd_t *pgd = pgd_alloc();                      /* after the table */
	CU_ASSERT_PTR_NOT_NULL_FATAL(pgd);
	CU_ASSERT_EQUAL(pgd_val(pgd[i]), pgd_val(swapper_pg_dir[i]));
	load_cr3(pgd);
	CU_ASSERT_STRING_EQUAL(v + PAGE_SIZE, "vmalloc'd");
	CU_ASSERT_EQUAL(pgtable_stats.vmalloc_faults, 0);  /* none needed */
	/* a write through the process's pgd lands in the kernel's page */
	v[0] = 'w';
	load_cr3(swapper_pg_dir);
	CU_ASSERT_EQUAL(v[0], 'w');
	pgd_free(pgd);
	vfree(v);
	mm_shutdown();
}

static void test_vmalloc_fault_refuses_what_it_cannot_fix(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	pgd_t *pgd = pgd_alloc();
	CU_ASSERT_PTR_NOT_NULL_FATAL(pgd);
	/* on swapper_pg_dir itself there is nothing to copy from */
	CU_ASSERT_FALSE(vmalloc_fault(VMALLOC_START, false));
	load_cr3(pgd);
	/* a user address is never the kernel half's business */
	CU_ASSERT_FALSE(vmalloc_fault(UBASE, false));
	/* a kernel address swapper_pg_dir does not map either */
	CU_ASSERT_FALSE(vmalloc_fault(VMALLOC_START, false));
	CU_ASSERT_TRUE(pgd_none(pgd[pgd_index(VMALLOC_START)]));
	CU_ASSERT_EQUAL(pgtable_stats.vmalloc_faults, 0);
	/* a table with a pte that is none: the entry is not copied */
	pte_alloc_kernel(pgd_offset_k(VMALLOC_START), VMALLOC_START);
	CU_ASSERT_FALSE(vmalloc_fault(VMALLOC_START, true));
	CU_ASSERT_TRUE(pgd_none(pgd[pgd_index(VMALLOC_START)]));
	load_cr3(swapper_pg_dir);
	pgd_free(pgd);
	mm_shutdown();
}

/* ------------------------------------------------------------ misuse */

static void test_misuse_oopses_and_changes_nothing(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long free0 = nr_free_pages();
	CU_ASSERT_TRUE(oopses(pgd_free(swapper_pg_dir)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "swapper_pg_dir"));
	pgd_t *pgd = pgd_alloc();
	CU_ASSERT_PTR_NOT_NULL_FATAL(pgd);
	load_cr3(pgd);
	CU_ASSERT_TRUE(oopses(pgd_free(pgd)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "in cr3"));
	load_cr3(swapper_pg_dir);
	/* a pte table under the direct map's large page */
	CU_ASSERT_TRUE(oopses(pte_alloc_kernel(pgd_offset_k(PAGE_OFFSET),
					       PAGE_OFFSET)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "4 MiB page"));
	CU_ASSERT_EQUAL(pgd_val(*pgd_offset_k(PAGE_OFFSET)), 0xe3);
	/* halves mixed up */
	CU_ASSERT_TRUE(oopses(pte_alloc_kernel(pgd_offset_k(UBASE), UBASE)));
	CU_ASSERT_TRUE(oopses(pte_alloc(pgd_offset_k(VMALLOC_START),
					VMALLOC_START)));
	CU_ASSERT_TRUE(pgd_none(*pgd_offset_k(UBASE)));
	CU_ASSERT_TRUE(pgd_none(*pgd_offset_k(VMALLOC_START)));
	CU_ASSERT_EQUAL(nr_free_pages(), free0 - 1);
	/* not the start of a pgd: refused before a pte table is freed */
	CU_ASSERT_PTR_NOT_NULL_FATAL(pte_alloc(pgd + 2, UBASE));
	CU_ASSERT_TRUE(oopses(pgd_free(pgd + 2)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "not a page directory"));
	CU_ASSERT_TRUE(oopses(pgd_free(vaddr_to_ptr(VMALLOC_START))));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "not a page directory"));
	CU_ASSERT_EQUAL(nr_free_pages(), free0 - 2);
	CU_ASSERT_TRUE(buddy_check());
	pgd_free(pgd);
	CU_ASSERT_EQUAL(nr_free_pages(), free0);
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 2);
	mm_shutdown();
}

static void test_out_of_memory_leaves_pgd_none(void)
{
	BOOT("mem=16M quiet" KERNEL_HALF);
	unsigned long n = 0, boot_free = nr_free_pages();
	while (alloc_page(GFP_KERNEL | __GFP_HIGH))
		n++;
	/* every page down to the reserve that __GFP_HIGH may not take */
	CU_ASSERT_EQUAL(n, boot_free - 64);
	CU_ASSERT_EQUAL(nr_free_pages(), 64);
	CU_ASSERT_PTR_NULL(pte_alloc(pgd_offset_k(UBASE), UBASE));
	CU_ASSERT_TRUE(pgd_none(*pgd_offset_k(UBASE)));
	CU_ASSERT_PTR_NULL(pgd_alloc());
	CU_ASSERT_EQUAL(pgtable_stats.tables_allocated, 0);
	mm_shutdown();
}

/* ------------------------------------------------------------ no machine */

#define REFUSED(stmt, name) do {                                         \
	CU_ASSERT_TRUE(oopses(stmt));                                   \
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),                      \
		"kernel BUG: " name ": the machine is not running"));  \
} while (0)

/* Every call of the interface, with the given pointers, refused. */
static void check_refused(pgd_t *pgd, struct page *table)
{
	REFUSED(read_cr3(), "read_cr3");
	REFUSED(load_cr3(pgd), "load_cr3");
	REFUSED(lookup_pte(pgd, UBASE), "lookup_pte");
	REFUSED(pte_alloc(pgd, UBASE), "pte_alloc");
	REFUSED(pte_alloc_kernel(pgd + 800, 800UL << 22), "pte_alloc_kernel");
	REFUSED(pte_free(table), "pte_free");
	REFUSED(pgd_alloc(), "pgd_alloc");
	REFUSED(pgd_free(pgd), "pgd_free");
	REFUSED(vmalloc_fault(0xC8000000UL, false), "vmalloc_fault");
	REFUSED(flush_tlb_all(), "flush_tlb_all");
	REFUSED(flush_tlb(), "flush_tlb");
	REFUSED(flush_tlb_page(NULL, UBASE), "flush_tlb_page");
	REFUSED(flush_tlb_range(NULL, UBASE, UBASE + PAGE_SIZE),
		"flush_tlb_range");
	REFUSED(flush_tlb_kernel_range(0xC8000000UL, 0xC8001000UL),
		"flush_tlb_kernel_range");
}

static void test_calls_without_a_machine(void)
{
	static pgd_t fake[PTRS_PER_PGD];      /* host memory: never touched */

	CU_ASSERT_FALSE_FATAL(mm_booted());
	check_refused(fake, NULL);            /* before boot */
	BOOT("mem=16M quiet" KERNEL_HALF);
	pgd_t *pgd = pgd_alloc();
	CU_ASSERT_PTR_NOT_NULL_FATAL(pgd);
	pte_t *pte = pte_alloc(pgd + 1, 0x00400000UL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pte);
	struct page *table = pgd_page(pgd[1]);
	mm_shutdown();
	check_refused(pgd, table);            /* pointers from a dead boot */
	/* and a machine booted afterwards works */
	BOOT("mem=16M quiet" KERNEL_HALF);
	CU_ASSERT_PTR_EQUAL(read_cr3(), swapper_pg_dir);
	CU_ASSERT_EQUAL(arch_stats.oopses, 0);
	mm_shutdown();
}

TEST_SUITE(pgtable, "ch05 page tables", NULL, NULL,
	{ "entry format and operations", test_entry_format },
	{ "mk_pte and pte_page", test_mk_pte_and_pte_page },
	{ "swapper_pg_dir at boot", test_swapper_pg_dir_at_boot },
	{ "the walk finds the pte", test_walk_finds_the_pte },
	{ "kernel tables' flags and sharing", test_kernel_table_flags },
	{ "accessed then dirty", test_accessed_then_dirty },
	{ "a write first sets both bits", test_write_first_sets_both },
	{ "a dirty pte is writable at once", test_dirty_pte_is_writable_at_once },
	{ "cleaned pte is read-only again", test_clean_again_means_read_only_again },
	{ "read-only pte refuses writes", test_read_only_pte_refuses_writes },
	{ "not present refuses", test_not_present_refuses },
	{ "stale TLB entry until flushed", test_stale_entry_until_flushed },
	{ "flush functions and counts", test_flush_counts },
	{ "table counts and pgd_free", test_table_counts_and_pgd_free },
	{ "load_cr3 switches the user half", test_load_cr3_switches_user_half },
	{ "vmalloc fault syncs the kernel half",
	  test_vmalloc_fault_syncs_kernel_half },
	{ "a new pgd copies the kernel half", test_new_pgd_copies_kernel_half },
	{ "vmalloc fault refuses what it cannot fix",
	  test_vmalloc_fault_refuses_what_it_cannot_fix },
	{ "misuse oopses and changes nothing", test_misuse_oopses_and_changes_nothing },
	{ "out of memory leaves the pgd none", test_out_of_memory_leaves_pgd_none },
	{ "calls without a machine are refused", test_calls_without_a_machine })
