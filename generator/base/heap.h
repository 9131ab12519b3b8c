/* heap: malloc's heap on transparent huge pages, where the system offers
 * them. A report touches tens of megabytes once; with 4 KB pages each
 * one costs a page fault (about 9 microseconds on a virtual machine, as
 * much as the work of writing its bytes), with 2 MB pages one in 512 of
 * them. Linux with glibc only; elsewhere both calls do nothing. */
#ifndef INFORME_HEAP_H
#define INFORME_HEAP_H

#include <stddef.h>

/* Once, before the first allocation that matters: malloc grows its heap
 * in steps of HEAP_STEP and keeps blocks below HEAP_MMAP_MAX in it (not in
 * mappings of their own), and the heap is marked for huge pages. */
void heap_init(void);

/* Marks what the heap has grown by since the last call (a call costs a
 * comparison when it has not grown); p, n: a block just allocated, which
 * when large may lie in a mapping of its own, marked too. From one thread
 * only (xmalloc, xrealloc and the arenas call it; the deflate threads of
 * pdf/zpipe.c allocate nothing). */
void heap_follow(void *p, size_t n);

#endif
