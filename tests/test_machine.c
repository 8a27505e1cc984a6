/* test_machine.c -- chapter 2: boot parameters, zones, address conversion,
 * aliasing, the TLB and its counters, oops, and boot/shutdown cycles. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "test.h"

/* ------------------------------------------------------------ parameters */

static void test_good_parameters(void)
{
	BOOT("mem=16M tlb=8 quiet");
	CU_ASSERT_EQUAL(boot_mem, 16UL << 20);
	CU_ASSERT_EQUAL(boot_tlb, 8);
	CU_ASSERT_EQUAL(boot_quiet, 1);
	CU_ASSERT_EQUAL(max_pfn, 4096);
	mm_shutdown();

	/* defaults come back on the next boot */
	BOOT("quiet");
	CU_ASSERT_EQUAL(boot_mem, 64UL << 20);
	CU_ASSERT_EQUAL(boot_tlb, TLB_DEFAULT);
	mm_shutdown();

	BOOT("mem=4096k quiet");           /* lower-case suffix, lower bound */
	CU_ASSERT_EQUAL(max_pfn, 1024);
	mm_shutdown();
}

static void test_bad_parameters_are_refused_and_leave_nothing(void)
{
	static const char *const bad[] = {
		"mem=0", "mem=12345", "mem=lots", "mem=", "mem", "mem=64X",
		"mem=8G", "mem=2M", "mem=-1", "tlb=0", "tlb=1", "tlb=2", "tlb=3",
		"tlb=100000", "tlb=ten",
		"quiet=1", "foo=1", "bogus", "mem=99999999999999999999999",
	};
	int fds = count_open_fds(), maps = count_host_mappings();

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char cmd[128];

		snprintf(cmd, sizeof cmd, "%s quiet", bad[i]);
		CU_ASSERT_EQUAL(mm_boot(cmd), -EINVAL);
		CU_ASSERT_FALSE(mm_booted());
		CU_ASSERT_PTR_NULL(mm_window);
	}
	CU_ASSERT_EQUAL(count_open_fds(), fds);
	CU_ASSERT_EQUAL(count_host_mappings(), maps);
}

static void test_boot_twice_is_busy(void)
{
	BOOT("quiet");
	CU_ASSERT_EQUAL(mm_boot("quiet"), -EBUSY);
	CU_ASSERT_TRUE(mm_booted());
	mm_shutdown();
	mm_shutdown();                     /* a second shutdown does nothing */
	CU_ASSERT_FALSE(mm_booted());
}

/* ------------------------------------------------------------ zones */

static void check_zone(int z, unsigned long start, unsigned long spanned,
		       unsigned long present)
{
	struct zone *zone = &contig_page_data.node_zones[z];

	CU_ASSERT_EQUAL(zone->zone_start_pfn, start);
	CU_ASSERT_EQUAL(zone->spanned_pages, spanned);
	CU_ASSERT_EQUAL(zone->present_pages, present);
}

static void test_zones_16M(void)
{
	BOOT("mem=16M quiet");
	check_zone(ZONE_DMA, 0, 4096, 4096);
	check_zone(ZONE_NORMAL, 4096, 0, 0);
	check_zone(ZONE_HIGHMEM, 4096, 0, 0);
	CU_ASSERT_EQUAL(max_low_pfn, 4096);
	CU_ASSERT_EQUAL(ptr_to_vaddr(high_memory_vaddr), 0xC1000000UL);
	CU_ASSERT_EQUAL(VMALLOC_START, 0xC1800000UL);
	mm_shutdown();
}

static void test_zones_64M(void)
{
	BOOT("mem=64M quiet");
	check_zone(ZONE_DMA, 0, 4096, 4096);
	check_zone(ZONE_NORMAL, 4096, 12288, 12288);
	check_zone(ZONE_HIGHMEM, 16384, 0, 0);
	CU_ASSERT_EQUAL(VMALLOC_START, 0xC4800000UL);
	mm_shutdown();
}

static void test_zones_1G(void)
{
	BOOT("mem=1G quiet");
	check_zone(ZONE_DMA, 0, 4096, 4096);
	check_zone(ZONE_NORMAL, 4096, 229376 - 4096, 229376 - 4096);
	check_zone(ZONE_HIGHMEM, 229376, 262144 - 229376, 262144 - 229376);
	CU_ASSERT_EQUAL(max_low_pfn, 229376);            /* 896 MiB */
	CU_ASSERT_EQUAL(ptr_to_vaddr(high_memory_vaddr), 0xF8000000UL);
	CU_ASSERT_EQUAL(VMALLOC_START, 0xF8800000UL);
	CU_ASSERT_EQUAL(PKMAP_BASE, 0xFF800000UL);
	CU_ASSERT_EQUAL(VMALLOC_END, 0xFF7FE000UL);
	mm_shutdown();
}

static void test_zones_2G(void)
{
	BOOT("mem=2G quiet");
	check_zone(ZONE_HIGHMEM, 229376, 524288 - 229376, 524288 - 229376);
	CU_ASSERT_TRUE(PageHighMem(pfn_to_page(229376)));
	CU_ASSERT_FALSE(PageHighMem(pfn_to_page(229375)));
	CU_ASSERT_PTR_NULL(page_address(pfn_to_page(300000)));
	CU_ASSERT_PTR_EQUAL(page_zone(pfn_to_page(229376)),
			    &contig_page_data.node_zones[ZONE_HIGHMEM]);
	CU_ASSERT_PTR_EQUAL(page_zone(pfn_to_page(4095)),
			    &contig_page_data.node_zones[ZONE_DMA]);
	CU_ASSERT_PTR_EQUAL(page_zone(pfn_to_page(4096)),
			    &contig_page_data.node_zones[ZONE_NORMAL]);
	mm_shutdown();
}

/* ------------------------------------------------------------ layout */

/* pages of mem_map on a machine of n frames */
static unsigned long mem_map_pages(unsigned long n)
{
	return PAGE_ALIGN(n * sizeof(struct page)) >> PAGE_SHIFT;
}

static void test_mem_map_is_above_the_dma_zone(void)
{
	unsigned long first = 4096, last = 4096 + mem_map_pages(16384);

	BOOT("mem=64M quiet" KERNEL_HALF);
	/* the boot allocator's goal: 16 MiB, above ZONE_DMA */
	CU_ASSERT_EQUAL(__pa(mem_map), 16UL << 20);
	CU_ASSERT_EQUAL(bootmem_reserved_pages(), 512 + mem_map_pages(16384));
	/* the firmware, the kernel image and mem_map stay reserved, with
	 * one reference; everything else went to the buddy allocator */
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		bool boot = pfn < 512 || (pfn >= first && pfn < last);

		CU_ASSERT_EQUAL(bootmem_reserved(pfn), boot);
		CU_ASSERT_EQUAL(PageReserved(pfn_to_page(pfn)), boot);
		CU_ASSERT_EQUAL(pfn_to_page(pfn)->count, boot ? 1 : 0);
	}
	CU_ASSERT_EQUAL(contig_page_data.node_zones[ZONE_DMA].free_pages,
			4096 - 512);
	mm_shutdown();
}

static void test_small_machine_falls_back_below_the_goal(void)
{
	/* nothing above 16 MiB: mem_map goes right after the kernel image */
	BOOT("mem=16M quiet");
	CU_ASSERT_EQUAL(__pa(mem_map), KERNEL_IMAGE_END);
	CU_ASSERT_EQUAL(bootmem_reserved_pages(), 512 + mem_map_pages(4096));
	CU_ASSERT_TRUE(bootmem_reserved(511 + mem_map_pages(4096)));
	CU_ASSERT_FALSE(bootmem_reserved(512 + mem_map_pages(4096)));
	mm_shutdown();
	BOOT("mem=4M quiet");
	CU_ASSERT_EQUAL(__pa(mem_map), KERNEL_IMAGE_END);
	CU_ASSERT_EQUAL(bootmem_reserved_pages(), 512 + mem_map_pages(1024));
	mm_shutdown();
	/* 1 MiB above the goal is enough for a 17 MiB machine's mem_map */
	BOOT("mem=17M quiet");
	CU_ASSERT_EQUAL(__pa(mem_map), 16UL << 20);
	mm_shutdown();
}

static void test_pa_va_round_trips(void)
{
	BOOT("mem=64M quiet");
	for (unsigned long phys = 0; phys < (64UL << 20); phys += 0x12345) {
		void *v = __va(phys);
		CU_ASSERT_EQUAL(ptr_to_vaddr(v), PAGE_OFFSET + phys);
		CU_ASSERT_EQUAL(__pa(v), phys);
		CU_ASSERT_PTR_EQUAL(virt_to_page(v), pfn_to_page(phys >> 12));
		CU_ASSERT_EQUAL(page_to_pfn(virt_to_page(v)), phys >> 12);
		CU_ASSERT_PTR_EQUAL(page_address(virt_to_page(v)),
				    __va(phys & PAGE_MASK));
		CU_ASSERT_TRUE(virt_addr_valid(v));
	}
	CU_ASSERT_FALSE(virt_addr_valid(vaddr_to_ptr(VMALLOC_START)));
	CU_ASSERT_FALSE(virt_addr_valid(vaddr_to_ptr(0x08048000UL)));
	CU_ASSERT_TRUE(pfn_valid(16383));
	CU_ASSERT_FALSE(pfn_valid(16384));
	mm_shutdown();
}

static void test_direct_map_writes_reach_physical_memory(void)
{
	BOOT("mem=16M quiet");
	char *p = __va(0x300000);
	strcpy(p, "hello, frame 768");
	CU_ASSERT_STRING_EQUAL((char *)page_address(pfn_to_page(768)),
			       "hello, frame 768");
	mm_shutdown();
}

/* ------------------------------------------------------------ a walker */

/* A test MMU: user page n of [WBASE, WBASE + WPAGES) maps to frame
 * wframe[n]; the entry is writable only when the access is a write. */
#define WBASE   0x40000000UL
#define WPAGES  16
static unsigned long wframe[WPAGES];
static volatile unsigned long walks, write_walks;

static bool test_walker(unsigned long vaddr, bool write, struct translation *t)
{
	unsigned long n = (vaddr - WBASE) >> PAGE_SHIFT;

	walks++;
	write_walks += write;
	if (vaddr < WBASE || n >= WPAGES)
		return false;
	t->pfn = wframe[n];
	t->writable = write;
	return true;
}

static void boot_with_walker(const char *cmdline)
{
	BOOT(cmdline);
	for (int i = 0; i < WPAGES; i++)
		wframe[i] = 256 + i;        /* kernel-image stand-in frames */
	walks = write_walks = 0;
	arch_page_walker = test_walker;
}

static volatile char *wpage(int n) { return vaddr_to_ptr(WBASE + n * PAGE_SIZE); }

static void test_two_mappings_of_one_frame_alias(void)
{
	boot_with_walker("mem=16M tlb=8 quiet");
	wframe[3] = wframe[5] = 300;
	wpage(3)[10] = 'A';
	CU_ASSERT_EQUAL(wpage(5)[10], 'A');
	wpage(5)[11] = 'B';
	CU_ASSERT_EQUAL(wpage(3)[11], 'B');
	/* and both alias the direct map's view of frame 300 */
	CU_ASSERT_EQUAL(((char *)__va(300 * PAGE_SIZE))[10], 'A');
	((char *)__va(300 * PAGE_SIZE))[12] = 'C';
	CU_ASSERT_EQUAL(wpage(3)[12], 'C');
	mm_shutdown();
}

static void test_refill_counts_and_eviction(void)
{
	unsigned long pfn;
	bool rw;

	boot_with_walker("mem=16M tlb=4 quiet");
	for (int i = 0; i < 6; i++)
		(void)wpage(i)[0];
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 6);
	CU_ASSERT_EQUAL(arch_stats.tlb_evictions, 2);
	CU_ASSERT_EQUAL(tlb_entries_used(), 4);
	/* round robin evicted pages 0 and 1; 2..5 remain */
	CU_ASSERT_FALSE(tlb_lookup(WBASE, NULL, NULL));
	CU_ASSERT_FALSE(tlb_lookup(WBASE + PAGE_SIZE, NULL, NULL));
	CU_ASSERT_TRUE(tlb_lookup(WBASE + 5 * PAGE_SIZE, &pfn, &rw));
	CU_ASSERT_EQUAL(pfn, 261);
	CU_ASSERT_FALSE(rw);
	/* a hit costs nothing */
	(void)wpage(5)[100];
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 6);
	/* an evicted page refills again, evicting page 2 */
	(void)wpage(0)[0];
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 7);
	CU_ASSERT_EQUAL(arch_stats.tlb_evictions, 3);
	CU_ASSERT_FALSE(tlb_lookup(WBASE + 2 * PAGE_SIZE, NULL, NULL));
	mm_shutdown();
}

static void test_read_then_write_upgrades_the_entry(void)
{
	bool rw;

	boot_with_walker("mem=16M tlb=8 quiet");
	(void)wpage(1)[0];
	CU_ASSERT_EQUAL(write_walks, 0);
	CU_ASSERT_TRUE(tlb_lookup(WBASE + PAGE_SIZE, NULL, &rw));
	CU_ASSERT_FALSE(rw);
	wpage(1)[0] = 1;                   /* write fault on a read-only entry */
	CU_ASSERT_EQUAL(write_walks, 1);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 2);
	CU_ASSERT_TRUE(tlb_lookup(WBASE + PAGE_SIZE, NULL, &rw));
	CU_ASSERT_TRUE(rw);
	CU_ASSERT_EQUAL(tlb_entries_used(), 1);   /* same slot, upgraded */
	wpage(1)[1] = 2;                   /* now a hit */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 2);
	/* a first access that writes is seen as a write */
	wpage(2)[0] = 1;
	CU_ASSERT_EQUAL(write_walks, 2);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 3);
	mm_shutdown();
}

static void test_flushes(void)
{
	boot_with_walker("mem=16M tlb=8 quiet");
	for (int i = 0; i < 4; i++)
		(void)wpage(i)[0];
	__flush_tlb_one(WBASE + PAGE_SIZE);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, 1);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushed, 1);
	CU_ASSERT_EQUAL(tlb_entries_used(), 3);
	__flush_tlb_one(WBASE + PAGE_SIZE);          /* nothing there now */
	CU_ASSERT_EQUAL(arch_stats.tlb_flushes, 2);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushed, 1);
	(void)wpage(1)[0];                           /* refills again */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 5);
	__flush_tlb();                               /* user half: all four */
	CU_ASSERT_EQUAL(tlb_entries_used(), 0);
	CU_ASSERT_EQUAL(arch_stats.tlb_flushed, 5);
	for (int i = 0; i < 4; i++)
		(void)wpage(i)[0];
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 9);
	mm_shutdown();
}

static void test_user_flush_keeps_kernel_entries(void)
{
	BOOT("mem=16M tlb=8 quiet");
	tlb_insert(VMALLOC_START, 300, true);
	tlb_insert(0x1000, 301, true);
	__flush_tlb();
	CU_ASSERT_TRUE(tlb_lookup(VMALLOC_START, NULL, NULL));
	CU_ASSERT_FALSE(tlb_lookup(0x1000, NULL, NULL));
	*(volatile int *)vaddr_to_ptr(VMALLOC_START) = 42;   /* still mapped */
	CU_ASSERT_EQUAL(*(int *)__va(300 * PAGE_SIZE), 42);
	__flush_tlb_all();
	CU_ASSERT_EQUAL(tlb_entries_used(), 0);
	CU_ASSERT_TRUE(oopses((void)*(volatile int *)vaddr_to_ptr(VMALLOC_START)));
	mm_shutdown();
}

/* ------------------------------------------------------------ livelock */

/* The frame behind test page n, through the direct map. */
static char *wframe_va(int n) { return __va(wframe[n] * PAGE_SIZE); }

/* One 8-byte store, misaligned on purpose (in C that would be undefined,
 * and UBSan says so). */
static void store8(volatile char *p, uint64_t v)
{
#if defined(__x86_64__)
	__asm__ volatile("movq %1, (%0)" : : "r"(p), "r"(v) : "memory");
#else
	memcpy((char *)p, &v, sizeof v);
	barrier();
#endif
}

static void test_straddling_store_fits_the_smallest_tlb(void)
{
	boot_with_walker("mem=16M tlb=4 quiet");
	/* an 8-byte store at page offset 4092 needs pages 0 and 1 */
	store8(wpage(0) + 4092, 0x1122334455667788ULL);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 2);
	CU_ASSERT_EQUAL(arch_stats.faults, 2);
	CU_ASSERT_EQUAL(*(uint32_t *)(wframe_va(0) + 4092), 0x55667788U);
	CU_ASSERT_EQUAL(*(uint32_t *)wframe_va(1), 0x11223344U);
	mm_shutdown();
}

#if defined(__x86_64__)
static void movsq(volatile void *dst, volatile const void *src)
{
	__asm__ volatile("movsq" : "+D"(dst), "+S"(src) : : "memory");
}

static void test_movsq_with_both_operands_straddling(void)
{
	boot_with_walker("mem=16M tlb=4 quiet");
	memcpy(wframe_va(0) + 4092, "ABCD", 4);
	memcpy(wframe_va(1), "EFGH", 4);
	/* load pages 0..3, flush them: each keeps its slot, inaccessible */
	for (int i = 0; i < 4; i++)
		(void)wpage(i)[0];
	__flush_tlb_all();
	CU_ASSERT_EQUAL(tlb_entries_used(), 0);
	/* four pages in one instruction: 0 and 1 come back to their own
	 * slots, and 4 and 5 must not evict them to get slots of their own */
	movsq(wpage(4) + 4092, wpage(0) + 4092);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 4 + 4);
	CU_ASSERT_EQUAL(arch_stats.faults, 4 + 4);
	CU_ASSERT_EQUAL(arch_stats.tlb_evictions, 0);
	CU_ASSERT_EQUAL(memcmp(wframe_va(4) + 4092, "ABCD", 4), 0);
	CU_ASSERT_EQUAL(memcmp(wframe_va(5), "EFGH", 4), 0);
	CU_ASSERT_TRUE(tlb_lookup(WBASE, NULL, NULL));
	CU_ASSERT_TRUE(tlb_lookup(WBASE + 5 * PAGE_SIZE, NULL, NULL));
	mm_shutdown();
}
#endif

static void test_memcpy_across_four_pages_in_the_smallest_tlb(void)
{
	char want[200];

	boot_with_walker("mem=16M tlb=4 quiet");
	for (int i = 0; i < 200; i++)
		want[i] = (char)(i * 7);
	memcpy(wframe_va(2) + 4000, want, 96);
	memcpy(wframe_va(3), want + 96, 104);
	/* from pages 2 and 3 to pages 0 and 1, both straddling */
	memcpy((char *)wpage(0) + 4000, (char *)wpage(2) + 4000, 200);
	barrier();       /* the copy is plain C: read the counts after it */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 4);
	CU_ASSERT_EQUAL(write_walks, 2);
	CU_ASSERT_EQUAL(arch_stats.tlb_evictions, 0);
	CU_ASSERT_EQUAL(memcmp(wframe_va(0) + 4000, want, 96), 0);
	CU_ASSERT_EQUAL(memcmp(wframe_va(1), want + 96, 104), 0);
	mm_shutdown();
}

/* A broken MMU: it grants every access to page 0 but always with a
 * read-only entry, so a write can never complete. */
static bool read_only_walker(unsigned long vaddr, bool write,
			     struct translation *t)
{
	if (vaddr >> PAGE_SHIFT != WBASE >> PAGE_SHIFT)
		return false;
	t->pfn = wframe[0];
	t->writable = false;
	return true;
}

static void test_fault_loop_oopses_instead_of_hanging(void)
{
	boot_with_walker("mem=16M tlb=8 quiet");
	arch_page_walker = read_only_walker;
	(void)wpage(0)[5];                              /* reads work */
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 1);
	CU_ASSERT_TRUE(oopses(wpage(0)[5] = 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),
		"Fault loop at virtual address 40000005 [write]: one "
		"instruction faulted 257 times without progress"));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "(tlb=8)"));
	CU_ASSERT_EQUAL(arch_stats.faults, 1 + 257);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 1 + 256);
	CU_ASSERT_EQUAL(arch_stats.oopses, 1);
	/* the machine goes on: a good walker, and the write completes */
	arch_page_walker = test_walker;
	wpage(0)[5] = 2;
	CU_ASSERT_EQUAL(wframe_va(0)[5], 2);
	mm_shutdown();
}

/* A broken fault handler: it claims to have fixed the tables, and the
 * walker still refuses. */
static bool lying_fault_handler(unsigned long vaddr, bool write)
{
	return true;
}

static void test_lying_fault_handler_oopses(void)
{
	boot_with_walker("mem=16M tlb=8 quiet");
	arch_fault_handler = lying_fault_handler;
	CU_ASSERT_TRUE(oopses((void)*(volatile char *)
			      vaddr_to_ptr(VMALLOC_START)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "Fault loop at virtual "
				      "address c1800000 [read]"));
	CU_ASSERT_EQUAL(arch_stats.faults, 257);
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 0);
	mm_shutdown();
}

/* Many faults of one instruction that do make progress are no loop: a
 * loop that flushes and reads again takes one fault each time. */
static void test_repeated_faults_with_progress_are_not_a_loop(void)
{
	boot_with_walker("mem=16M tlb=8 quiet");
	for (int i = 0; i < 1000; i++) {
		__flush_tlb_one(WBASE);
		(void)wpage(0)[0];
	}
	CU_ASSERT_EQUAL(arch_stats.tlb_refills, 1000);
	CU_ASSERT_EQUAL(arch_stats.oopses, 0);
	mm_shutdown();
}

/* ------------------------------------------------------------ oops */

static void test_unmapped_kernel_address_oopses(void)
{
	volatile int *p;

	BOOT("mem=64M quiet");
	p = vaddr_to_ptr(VMALLOC_START + 0x1234);
	CU_ASSERT_TRUE(oopses((void)*p));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),
		"Unable to handle kernel paging request at virtual address c4801234"));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "[read]"));
	CU_ASSERT_TRUE(oopses(*p = 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "[write]"));
	CU_ASSERT_EQUAL(arch_stats.oopses, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "c4801234"));
	/* the machine goes on working */
	*(volatile int *)__va(0x400000) = 7;
	CU_ASSERT_EQUAL(*(volatile int *)__va(0x400000), 7);
	mm_shutdown();
}

static void test_null_pointer_oops(void)
{
	BOOT("mem=16M quiet");
	CU_ASSERT_TRUE(oopses((void)*(volatile char *)vaddr_to_ptr(0x10)));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),
		"NULL pointer dereference at virtual address 00000010"));
	mm_shutdown();
}

static int catch_inner_oops(void)
{
	return oopses(oops("inner %d", 7));
}

static void test_bug_names_file_and_line(void)
{
	char where[64];
	int line;

	BOOT("mem=16M quiet");
	line = __LINE__ + 1;
	CU_ASSERT_TRUE(oopses(BUG()));
	snprintf(where, sizeof where, "kernel BUG at %s:%d", __FILE__, line);
	CU_ASSERT_STRING_EQUAL(last_oops(), where);
	/* nested catchers: the inner one catches */
	volatile int inner = 0;
	CU_ASSERT_FALSE(oopses(inner = catch_inner_oops()));
	CU_ASSERT_EQUAL(inner, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(), "inner 7 at "));
	/* a warning logs and returns */
	CU_ASSERT_EQUAL(WARN_ON(1 + 1 == 2), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "WARNING: at "));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "1 + 1 == 2"));
	mm_shutdown();
}

static void test_dmesg_records_boot(void)
{
	BOOT("mem=1G quiet");
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "128MB HIGHMEM available."));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "896MB LOWMEM available."));
	CU_ASSERT_PTR_NOT_NULL(strstr(dmesg(), "HighMem    229376 ->   262144"));
	dmesg_clear();
	CU_ASSERT_STRING_EQUAL(dmesg(), "");
	printk("x=%d\n", 5);
	CU_ASSERT_STRING_EQUAL(dmesg(), "x=5\n");
	mm_shutdown();
}

/* ------------------------------------------------------------ boot steps */

/* The "initcall: " lines of the log, without that prefix, in order. */
static const char *initcalls(void)
{
	static char out[1024];
	const char *line = dmesg();
	size_t n = 0;

	out[0] = '\0';
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);

		if (strncmp(line, "initcall: ", 10) == 0 && n + len < sizeof out) {
			memcpy(out + n, line + 10, len - 10);
			n += len - 10;
			out[n] = '\0';
		}
		line += len;
	}
	return out;
}

static int fail_kmap(const char *step)
{
	return strcmp(step, "the high-memory windows") == 0 ? -ENOMEM : 0;
}

static int fail_buddy(const char *step)
{
	return strcmp(step, "the buddy allocator") == 0 ? -EIO : 0;
}

static void test_boot_steps_start_in_order(void)
{
	BOOT("quiet initcall_debug");
	CU_ASSERT_EQUAL(boot_initcall_debug, 1);
	CU_ASSERT_STRING_EQUAL(initcalls(),
		"start the buddy allocator\n"
		"start the slab allocator\n"
		"start the page tables\n"
		"start the high-memory windows\n"
		"start processes\n"
		"start files\n"
		"start the zero page\n"
		"start page reclaim\n");
	mm_shutdown();
	BOOT("quiet");                     /* off by default: nothing logged */
	CU_ASSERT_STRING_EQUAL(initcalls(), "");
	mm_shutdown();
}

static void test_shutdown_stops_in_reverse(void)
{
	BOOT("quiet initcall_debug");
	dmesg_clear();
	mm_shutdown();
	CU_ASSERT_FALSE(mm_booted());
	CU_ASSERT_STRING_EQUAL(dmesg(),
		"initcall: stop page reclaim\n"
		"initcall: stop the zero page\n"
		"initcall: stop files\n"
		"initcall: stop processes\n"
		"initcall: stop the vmalloc area\n"
		"initcall: stop the page tables\n"
		"initcall: stop the slab allocator\n");
}

/* init_steps=N starts the first N steps only, and stops just those. */
static void test_init_steps_boots_a_prefix(void)
{
	BOOT("quiet initcall_debug" KERNEL_HALF);
	CU_ASSERT_EQUAL(boot_init_steps, 5);
	CU_ASSERT_STRING_EQUAL(initcalls(),
		"start the buddy allocator\n"
		"start the slab allocator\n"
		"start the page tables\n"
		"start the high-memory windows\n");
	/* no processes: asking for one is a BUG, and the machine goes on */
	CU_ASSERT_TRUE(oopses(task_create("init")));
	CU_ASSERT_PTR_NOT_NULL(strstr(last_oops(),
		"task_create: processes were not started"));
	void *p = kmalloc(100, GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL(p);
	kfree(p);
	dmesg_clear();
	mm_shutdown();
	CU_ASSERT_STRING_EQUAL(dmesg(),
		"initcall: stop the vmalloc area\n"
		"initcall: stop the page tables\n"
		"initcall: stop the slab allocator\n");

	/* no step at all: the bare machine of this chapter */
	BOOT("quiet initcall_debug init_steps=0");
	CU_ASSERT_STRING_EQUAL(initcalls(), "");
	CU_ASSERT_EQUAL(nr_free_pages(), 0);
	mm_shutdown();

	/* more steps than there are is refused before anything is made */
	CU_ASSERT_EQUAL(mm_boot("quiet init_steps=99"), -EINVAL);
	CU_ASSERT_FALSE(mm_booted());
}

static void test_failing_step_unwinds_in_reverse(void)
{
	int fds = count_open_fds(), maps = count_host_mappings();

	boot_step_fault = fail_kmap;
	CU_ASSERT_EQUAL(mm_boot("quiet initcall_debug"), -ENOMEM);
	boot_step_fault = NULL;
	CU_ASSERT_FALSE(mm_booted());
	CU_ASSERT_PTR_NULL(mm_window);
	CU_ASSERT_STRING_EQUAL(initcalls(),
		"start the buddy allocator\n"
		"start the slab allocator\n"
		"start the page tables\n"
		"the high-memory windows failed: -12\n"
		"stop the vmalloc area\n"
		"stop the page tables\n"
		"stop the slab allocator\n");
	CU_ASSERT_EQUAL(count_open_fds(), fds);
	CU_ASSERT_EQUAL(count_host_mappings(), maps);

	/* the first step failing stops nothing; the machine still goes */
	boot_step_fault = fail_buddy;
	CU_ASSERT_EQUAL(mm_boot("quiet initcall_debug"), -EIO);
	boot_step_fault = NULL;
	CU_ASSERT_FALSE(mm_booted());
	CU_ASSERT_STRING_EQUAL(initcalls(),
		"the buddy allocator failed: -5\n");
	CU_ASSERT_EQUAL(count_open_fds(), fds);
	CU_ASSERT_EQUAL(count_host_mappings(), maps);

	/* and the next boot is a whole machine again */
	BOOT("mem=16M quiet");
	void *p = kmalloc(100, GFP_KERNEL);
	CU_ASSERT_PTR_NOT_NULL(p);
	kfree(p);
	CU_ASSERT_TRUE(buddy_check());
	mm_shutdown();
}

/* ------------------------------------------------------------ cycles */

static void test_many_boot_cycles_leak_nothing(void)
{
	int fds = count_open_fds(), maps = count_host_mappings();

	for (int i = 0; i < 100; i++) {
		BOOT(i % 2 ? "mem=16M tlb=4 quiet" : "mem=64M quiet");
		tlb_insert(VMALLOC_START, 300, true);
		tlb_insert(VMALLOC_START + PAGE_SIZE, 301, false);
		/* the window's lower 3 GiB, the direct map, 2 TLB entries */
		CU_ASSERT_EQUAL(count_host_mappings(), maps + 4);
		mm_shutdown();
	}
	CU_ASSERT_EQUAL(count_open_fds(), fds);
	CU_ASSERT_EQUAL(count_host_mappings(), maps);
}

TEST_SUITE(machine, "ch02 machine", NULL, NULL,
	{ "good boot parameters", test_good_parameters },
	{ "bad parameters refused, nothing left",
	  test_bad_parameters_are_refused_and_leave_nothing },
	{ "boot twice is EBUSY", test_boot_twice_is_busy },
	{ "zones at mem=16M", test_zones_16M },
	{ "zones at mem=64M", test_zones_64M },
	{ "zones at mem=1G", test_zones_1G },
	{ "zones at mem=2G", test_zones_2G },
	{ "mem_map above the DMA zone", test_mem_map_is_above_the_dma_zone },
	{ "small machine: mem_map below the goal",
	  test_small_machine_falls_back_below_the_goal },
	{ "__pa/__va round trips", test_pa_va_round_trips },
	{ "direct map reaches the frames",
	  test_direct_map_writes_reach_physical_memory },
	{ "two mappings of a frame alias", test_two_mappings_of_one_frame_alias },
	{ "refill and eviction counts", test_refill_counts_and_eviction },
	{ "read then write upgrades", test_read_then_write_upgrades_the_entry },
	{ "flush counts", test_flushes },
	{ "user flush keeps kernel entries", test_user_flush_keeps_kernel_entries },
	{ "8-byte store at offset 4092, tlb=4",
	  test_straddling_store_fits_the_smallest_tlb },
#if defined(__x86_64__)
	{ "movsq, both operands straddling, tlb=4",
	  test_movsq_with_both_operands_straddling },
#endif
	{ "memcpy across four pages, tlb=4",
	  test_memcpy_across_four_pages_in_the_smallest_tlb },
	{ "fault loop oopses", test_fault_loop_oopses_instead_of_hanging },
	{ "lying fault handler oopses", test_lying_fault_handler_oopses },
	{ "repeated faults with progress are no loop",
	  test_repeated_faults_with_progress_are_not_a_loop },
	{ "unmapped kernel address oopses", test_unmapped_kernel_address_oopses },
	{ "NULL pointer oops", test_null_pointer_oops },
	{ "BUG names file and line", test_bug_names_file_and_line },
	{ "dmesg records the boot", test_dmesg_records_boot },
	{ "boot steps start in table order", test_boot_steps_start_in_order },
	{ "shutdown stops the steps in reverse", test_shutdown_stops_in_reverse },
	{ "init_steps boots a prefix of the steps", test_init_steps_boots_a_prefix },
	{ "a failing step unwinds in reverse",
	  test_failing_step_unwinds_in_reverse },
	{ "100 boot cycles leak nothing", test_many_boot_cycles_leak_nothing })
