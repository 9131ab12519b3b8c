/* buf: a growing byte string on the heap (for output and scratch text).
 * Invariant: data is never NULL and data[len] == '\0' after buf_init. */
#ifndef INFORME_BUF_H
#define INFORME_BUF_H

#include <stdarg.h>
#include <stddef.h>

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
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
