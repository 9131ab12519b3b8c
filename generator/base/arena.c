/* arena: bump allocator in chained blocks; see arena.h for the ownership
 * rule. Large requests get a block of their own. The large blocks of a
 * finished arena (arena_recycle) are kept as spares of another and filled
 * with its small allocations (and its large ones not zero-filled) before
 * new memory is asked for: memory
 * already touched costs no page faults, fresh memory one every 4 KB. */
#include "base/arena.h"

#include "base/diag.h"
#include "base/heap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN 16
/* Larger blocks are kept by arena_recycle: an allocator keeps smaller
 * ones for its next callers, but gives blocks this large back to the
 * system, and the next request for as much gets fresh pages. */
#define ARENA_KEEP (4 * ARENA_BLOCK)

struct block {
    struct block *next;
    size_t size, used;
    max_align_t data[];
};

/* head: the block small allocations come from, the one of the chain with
 * the most room when it was put there; then the other blocks in use.
 * spare: blocks larger than ARENA_KEEP with nothing in use, by no
 * order. */
struct arena {
    struct block *head;
    struct block *spare;
    size_t total;
};

static void (*volatile oom_cleanup)(void);

void arena_on_oom(void (*cleanup)(void))
{
    oom_cleanup = cleanup;
}

/* Nothing here may allocate: the message goes out with write(), the
 * cleanup (removing the temporary PDF of a save under way) runs, and the
 * process ends at once with the internal-error code. */
_Noreturn void arena_oom(void)
{
    static const char msg[] = "informe: error: sin memoria\n";
    void (*cleanup)(void) = oom_cleanup;
    if (cleanup)
        cleanup();
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(EXIT_SOFTWARE);
}

void arena_oom_if(int err)
{
    if (err == ENOMEM)
        arena_oom();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        arena_oom();
    heap_follow(p, n);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        arena_oom();
    heap_follow(q, n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* A block of size bytes; zeroed (by calloc, which gets fresh pages
 * from the system already zero instead of writing them) for a large
 * allocation of its own. */
static struct block *block_new(size_t size, bool zeroed)
{
    if (size > SIZE_MAX - sizeof(struct block))
        arena_oom();
    struct block *b = zeroed ? calloc(1, sizeof(struct block) + size)
                             : malloc(sizeof(struct block) + size);
    if (!b)
        arena_oom();
    heap_follow(b, size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct arena *arena_new(void)
{
    struct arena *a = xmalloc(sizeof *a);
    a->head = block_new(ARENA_BLOCK, false);
    a->spare = NULL;
    a->total = 0;
    return a;
}

static void free_chain(struct block *b)
{
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    free_chain(a->head);
    free_chain(a->spare);
    free(a);
}

/* Moves every block of the chain b to the spares of a, emptied. */
static void add_spares(struct arena *a, struct block *b)
{
    while (b) {
        struct block *next = b->next;
        b->used = 0;
        b->next = a->spare;
        a->spare = b;
        b = next;
    }
}

/* Blocks over ARENA_KEEP become spares of into; the others go back to the
 * allocator, which hands them to whoever asks next (a font, the PDF
 * library). */
static void give_large(struct arena *into, struct block *b)
{
    while (b) {
        struct block *next = b->next;
        if (b->size > ARENA_KEEP) {
            b->next = NULL;
            add_spares(into, b);
        } else {
            free(b);
        }
        b = next;
    }
}

void arena_reset(struct arena *a)
{
    struct block *keep = a->head;
    while (keep->next) {
        struct block *next = keep->next;
        free(keep);
        keep = next;
    }
    /* The last block of the chain is the oldest, usually the standard size. */
    keep->used = 0;
    a->head = keep;
    free_chain(a->spare);
    a->spare = NULL;
    a->total = 0;
}

void arena_recycle(struct arena *from, struct arena *into)
{
    if (!from)
        return;
    give_large(into, from->head);
    give_large(into, from->spare);
    free(from);
}

/* A spare, taken out of the spares (NULL: none). Its bytes are not
 * zero. */
static struct block *take_spare(struct arena *a)
{
    struct block *b = a->spare;
    if (b) {
        a->spare = b->next;
        b->next = NULL;
    }
    return b;
}

/* The first spare with room for need bytes, taken out of the spares
 * (NULL: none). Its bytes are not zero. */
static struct block *take_spare_for(struct arena *a, size_t need)
{
    for (struct block **p = &a->spare; *p; p = &(*p)->next) {
        struct block *b = *p;
        if (b->size >= need) {
            *p = b->next;
            b->next = NULL;
            return b;
        }
    }
    return NULL;
}

/* n bytes; zero-filled when zero is set. */
static void *take(struct arena *a, size_t n, bool zero)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n)
        arena_oom();
    struct block *b = a->head;
    bool zeroed = false;
    if (b->size - b->used < need) {
        bool large = need > ARENA_BLOCK / 4;
        size_t size = large ? need : ARENA_BLOCK;
        /* A large request to be zeroed gets fresh zero pages from
         * calloc, which cost nothing until written (zeroing a spare would
         * touch them all); one the caller writes whole (uninit) fills a
         * spare that has room for it, pages already touched. */
        struct block *nb = !large  ? take_spare(a)
                           : !zero ? take_spare_for(a, need)
                                   : NULL;
        if (!nb) {
            zeroed = large && zero;
            nb = block_new(size, zeroed);
        }
        if (nb->size - need >= b->size - b->used) {
            nb->next = b;
            a->head = nb;
        } else {
            /* Keep the current block as head: it has more room. */
            nb->next = b->next;
            b->next = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += need;
    a->total += need;
    if (zero && !zeroed)
        memset(p, 0, n);
    return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
    return take(a, n, true);
}

void *arena_array_uninit(struct arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        arena_oom();
    return take(a, n * size, false);
}

void *arena_array(struct arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        arena_oom();
    return arena_alloc(a, n * size);
}

void *arena_grow(struct arena *a, void *arr, size_t *cap, size_t need,
                 size_t size)
{
    if (need <= *cap)
        return arr;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            arena_oom();
        ncap *= 2;
    }
    void *n = arena_array(a, ncap, size);
    if (arr && *cap)
        memcpy(n, arr, *cap * size);
    *cap = ncap;
    return n;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        arena_oom();
    char *p = take(a, n + 1, false); /* written whole below */
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    /* Most messages fit the stack buffer: one formatting pass. */
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return arena_strdup(a, "");
    if ((size_t)n < sizeof tmp)
        return arena_strndup(a, tmp, (size_t)n);
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
