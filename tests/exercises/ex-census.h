/* ex-census.h -- what the checks of Appendix F's exercises share: a
 * task that writes an anonymous page and, through a shared mapping, a
 * page of a file, so that the machine has both kinds of owner for
 * model_check to count. */
#ifndef EX_CENSUS_H
#define EX_CENSUS_H
#include "ex-kernel.h"

#define A0 0x40000000UL          /* the anonymous page */
#define A1 0x40010000UL          /* the file's page, mapped shared */

static long ok[2];         /* what the two mmap calls returned */

static inline void body(void *arg)
{
	long fd;

	(void)arg;
	ok[0] = sys_mmap(A0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0);
	*(volatile char *)vaddr_to_ptr(A0) = 1;
	fd = sys_open("/f", O_RDWR | O_CREAT, 0644);
	sys_write((unsigned)fd, vaddr_to_ptr(A0), PAGE_SIZE);
	ok[1] = sys_mmap(A1, PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, (unsigned long)fd, 0);
	*(volatile char *)vaddr_to_ptr(A1 + 9) = 'x';
}
#endif
