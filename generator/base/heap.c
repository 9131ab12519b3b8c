/* heap: see heap.h. With THP in "madvise" mode (Debian's default), only
 * ranges marked with MADV_HUGEPAGE get huge pages; a 2 MB page is used
 * where a whole aligned 2 MB of the range is. glibc extends its heap with
 * brk, each extension a range of its own to mark, so heap_follow marks
 * each one as it appears. */
#define _DEFAULT_SOURCE /* madvise, sbrk, mallopt */
#include "base/heap.h"

#include <stdbool.h>
#include <stdint.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define HEAP_THP 1
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)
/* The heap grows by at least this much at a time (address space only:
 * untouched pages cost nothing). */
#define HEAP_STEP (32 << 20)
/* Blocks up to this size stay in the heap; larger ones get a mapping of
 * their own, given back when freed. */
#define HEAP_MMAP_MAX (32 << 20)

#ifdef HEAP_THP
static bool on;
static uintptr_t marked; /* the heap is marked up to here */

static void mark(uintptr_t from, uintptr_t to)
{
    from = (from + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    to &= ~(uintptr_t)4095;
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
}
#endif

void heap_init(void)
{
#ifdef HEAP_THP
    if (on)
        return;
    on = mallopt(M_TOP_PAD, HEAP_STEP) &&
         mallopt(M_TRIM_THRESHOLD, 2 * HEAP_STEP) &&
         mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_MAX);
    marked = (uintptr_t)sbrk(0);
#endif
}

void heap_follow(void *p, size_t n)
{
#ifdef HEAP_THP
    if (!on)
        return;
    uintptr_t end = (uintptr_t)sbrk(0);
    if (end > marked) {
        mark(marked, end);
        marked = end;
    }
    if (n >= 2 * HUGE_PAGE && (uintptr_t)p >= end)
        mark((uintptr_t)p, (uintptr_t)p + n); /* a mapping of its own */
#else
    (void)p;
    (void)n;
#endif
}
