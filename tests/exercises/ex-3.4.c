/* ex-3.4.c -- exercise 3.4: Linux 2.6.17's lowmem_reserve.
 *
 * The check looks only at behaviour.  It drains every zone to its
 * pages_min, then, for a request type and a zone it may fall back to,
 * sets that zone's free count to exactly pages_min + R and to
 * pages_min + R + 1, where R is the reserve 2.6.17's ratios give (the
 * present pages of the zones above, up to the request's first zone,
 * divided by 256 for DMA or 32 for Normal).  The first must be refused,
 * the second served from that zone.
 */
#include "ex-kernel.h"

#define EX "3.4"

static struct page **held;
static long nheld, maxheld;

static char verified[512];

static struct zone *zone(int z) { return &contig_page_data.node_zones[z]; }

static void hold(struct page *p)
{
	if (nheld == maxheld) {
		maxheld = maxheld ? 2 * maxheld : 4096;
		held = realloc(held, maxheld * sizeof *held);
	}
	held[nheld++] = p;
}

/* Allocate with gfp until it fails, keeping every page. */
static void drain(gfp_t gfp)
{
	struct page *p;

	while ((p = alloc_pages(gfp, 0)))
		hold(p);
}

/* Give back held pages of zone z until it has n free, or take more. */
static void set_free(int z, unsigned long n)
{
	static const gfp_t first[] = { GFP_KERNEL | __GFP_DMA, GFP_KERNEL,
				       GFP_HIGHUSER };

	for (long i = nheld - 1; i >= 0 && zone(z)->free_pages < n; i--)
		if (held[i] && page_zone(held[i]) == zone(z)) {
			__free_page(held[i]);
			held[i] = NULL;
		}
	while (zone(z)->free_pages > n) {
		struct page *p = alloc_pages(first[z], 0);

		if (!p || page_zone(p) != zone(z))
			ex_fail(EX, "could not bring %s down to %lu free "
				"pages: is alloc_pages still first fit "
				"over the zone list?", zone(z)->name, n);
		hold(p);
	}
	if (zone(z)->free_pages != n)
		ex_fail(EX, "could not bring %s up to %lu free pages",
			zone(z)->name, n);
}

static int first_zone(gfp_t gfp)
{
	int top = gfp & __GFP_DMA ? ZONE_DMA
		: gfp & __GFP_HIGHMEM ? ZONE_HIGHMEM : ZONE_NORMAL;

	while (top > 0 && !zone(top)->present_pages)
		top--;
	return top;
}

/* 2.6.17's sysctl_lowmem_reserve_ratio: 256 for DMA, 32 for Normal. */
static unsigned long reserve(int z, int classzone)
{
	unsigned long above = 0;

	for (int k = z + 1; k <= classzone; k++)
		above += zone(k)->present_pages;
	return above / (z == ZONE_DMA ? 256 : 32);
}

static void probe(const char *mem, gfp_t gfp, const char *gfpname, int z)
{
	unsigned long min = zone(z)->pages_min;
	unsigned long r = reserve(z, first_zone(gfp));
	struct page *p;

	set_free(z, min + r);
	p = alloc_pages(gfp, 0);
	if (p)
		ex_fail(EX, "mem=%s: alloc_pages(%s, 0) took a page from %s "
			"when it had only pages_min + %lu = %lu free; that "
			"zone's lowmem_reserve for this request should be "
			"%lu, so it must refuse", mem, gfpname, zone(z)->name,
			r, min + r, r);
	set_free(z, min + r + 1);
	p = alloc_pages(gfp, 0);
	if (!p)
		ex_fail(EX, "mem=%s: alloc_pages(%s, 0) was refused when %s "
			"had pages_min + %lu = %lu free; the reserve should "
			"be %lu (2.6.17's ratios 256 and 32), not more",
			mem, gfpname, zone(z)->name, r + 1, min + r + 1, r);
	if (page_zone(p) != zone(z))
		ex_fail(EX, "mem=%s: alloc_pages(%s, 0) came from %s, not %s",
			mem, gfpname, page_zone(p)->name, zone(z)->name);
	hold(p);
	set_free(z, min);
	if (r)
		snprintf(verified + strlen(verified),
			 sizeof verified - strlen(verified), "%s%s %s %s %lu",
			 *verified ? ", " : "", mem, zone(z)->name,
			 gfpname, r);
}

static void drain_all(void)
{
	drain(GFP_KERNEL | __GFP_DMA);
	drain(GFP_KERNEL);
	drain(GFP_HIGHUSER);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (zone(z)->present_pages)
			set_free(z, zone(z)->pages_min);
}

static void machine(const char *mem)
{
	char cmdline[64];

	snprintf(cmdline, sizeof cmdline, "mem=%s quiet init_steps=5", mem);
	ex_boot(EX, cmdline);
	nheld = 0;
	drain_all();
	probe(mem, GFP_KERNEL | __GFP_DMA, "GFP_DMA", ZONE_DMA);
	probe(mem, GFP_KERNEL, "GFP_KERNEL", ZONE_NORMAL);
	probe(mem, GFP_KERNEL, "GFP_KERNEL", ZONE_DMA);
	probe(mem, GFP_HIGHUSER, "GFP_HIGHUSER", ZONE_DMA);
	probe(mem, GFP_HIGHUSER, "GFP_HIGHUSER", ZONE_NORMAL);
	if (zone(ZONE_HIGHMEM)->present_pages)
		probe(mem, GFP_HIGHUSER, "GFP_HIGHUSER", ZONE_HIGHMEM);
	if (!buddy_check())
		ex_fail(EX, "mem=%s: buddy_check() fails after the probes",
			mem);
	mm_shutdown();
}

int main(void)
{
	machine("64M");
	machine("1G");
	ex_pass(EX, "each zone refuses a fallback at pages_min + reserve and "
		"serves it at one more (%s)", verified);
}
