/* buf: a growing byte string on the heap (for output and scratch text).
 * Invariant: data is never NULL and data[len] == '\0' after buf_init. */
#ifndef INFORME_BUF_H
#define INFORME_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
    char *data;
    size_t len, cap;
};

void buf_init(struct buf *b);
/* Frees the storage and leaves b empty but valid (re-initialised). */
void buf_release(struct buf *b);
/* Empties without freeing. */
void buf_clear(struct buf *b);
/* Hands the storage to the caller, who frees it with free(); b is reset. */
char *buf_detach(struct buf *b, size_t *len);
/* Makes room for extra more bytes (and the terminating '\0'). */
void buf_grow_slow(struct buf *b, size_t extra);

/* The appends below are the inner loop of writing page content: their
 * common case is one comparison and a copy, the growth is out of line.
 * extra < cap - len holds only when cap is not 0 (len < cap then), so an
 * empty buf always takes the slow path and the static "" is never
 * written. */
static inline void buf_grow(struct buf *b, size_t extra)
{
    if (extra >= b->cap - b->len)
        buf_grow_slow(b, extra);
}

static inline void buf_add(struct buf *b, const void *p, size_t n)
{
    buf_grow(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static inline void buf_addc(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

/* Room for n more bytes (and a '\0') at the end of b, for writers that
 * fill it in place and then call buf_commit with where they stopped. */
static inline char *buf_room(struct buf *b, size_t n)
{
    buf_grow(b, n);
    return b->data + b->len;
}

/* The bytes of b up to end, written into buf_room's room, are b's. */
static inline void buf_commit(struct buf *b, char *end)
{
    b->len = (size_t)(end - b->data);
    *end = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
