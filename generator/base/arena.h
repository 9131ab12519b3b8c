/* arena: one owner for the many small objects of a report run.
 * Everything allocated from an arena lives until arena_free(); nothing in it
 * is freed one by one. Allocation failure ends the process with a message
 * (out of memory is not a condition a report run can recover from). */
#ifndef INFORME_ARENA_H
#define INFORME_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Frees every block of the arena; accepts NULL. */
void arena_free(struct arena *a);
/* Forgets every allocation but keeps the first block for reuse. */
void arena_reset(struct arena *a);
/* Frees the arena from (accepts NULL) and gives its blocks over 256 KB
 * (a file's text, its arrays of fields) to into, whose small allocations
 * (and large ones not zero-filled, arena_array_uninit, that one of them
 * has room for) fill them before it asks for more: memory a finished step
 * touched serves the next one instead of fresh pages (an allocator gives blocks
 * that large back to the system when they are freed). Smaller blocks are
 * freed; arena_reset frees what into was given. */
void arena_recycle(struct arena *from, struct arena *into);

/* Zero-filled, aligned for any type. n == 0 returns a valid pointer. */
void *arena_alloc(struct arena *a, size_t n);
/* n * size with overflow checked. */
void *arena_array(struct arena *a, size_t n, size_t size);
/* As arena_array, not zero-filled: for storage the caller writes whole
 * before anything reads it (the cells of a typed column). */
void *arena_array_uninit(struct arena *a, size_t n, size_t size);
/* Grows an array of *cap elements to hold at least need; returns the
 * (possibly moved) array. The old storage is left to the arena. */
void *arena_grow(struct arena *a, void *arr, size_t *cap, size_t need,
                 size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Total bytes handed out since creation or the last reset (for tests). */
size_t arena_used(const struct arena *a);

/* After a failed allocation: prints "informe: error: sin memoria", runs the
 * cleanup set with arena_on_oom (base/tempfile.c sets one that removes the
 * temporary PDF of a save under way) and exits with EXIT_SOFTWARE (70) at
 * once, without returning through the callers. */
_Noreturn void arena_oom(void);
/* The cleanup arena_oom runs; it must be async-signal-safe and must not
 * allocate. NULL: none. */
void arena_on_oom(void (*cleanup)(void));
/* Exits through arena_oom() when err is ENOMEM: a system call or a
 * library that failed for lack of memory says nothing about the input. */
void arena_oom_if(int err);
/* malloc/realloc that never return NULL (exit through arena_oom). */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
/* A copy of s from malloc (xmalloc's rule on failure). */
char *xstrdup(const char *s);

#endif
