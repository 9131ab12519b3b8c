/* zpipe: deflates buffers on a second thread, a few at a time, in order.
 *
 * The PDF writer hands it a page's content stream when the page is done
 * and takes the deflated bytes back a few pages later (or at save), so
 * that zlib runs on another core while the next pages are laid out and
 * drawn. The thread runs zlib only, on buffers the job owns; it allocates
 * nothing (the z_stream is made and the output buffers are grown by the
 * caller's thread), so an allocation failure always happens, and is
 * reported, where it happens without the thread. It knows nothing of
 * libharu: the caller writes the results into its streams.
 *
 * Who deflates a job changes nothing in its bytes (same settings, a
 * stream reset for each), and both z_streams are made by zpipe_start.
 *
 * Usage: zpipe_init(); zpipe_start() (false: run without the thread);
 * per buffer: zpipe_full() -> zpipe_wait() + zpipe_release() while it is,
 * zpipe_slot(), fill the slot (zpipe_prepare), zpipe_submit(); at the end
 * zpipe_wait()/zpipe_release() until zpipe_wait() returns NULL; and
 * always zpipe_stop(), which joins the thread (also with jobs pending). */
#ifndef INFORME_PDF_ZPIPE_H
#define INFORME_PDF_ZPIPE_H

#include "base/buf.h"

#include <pthread.h>
#include <zlib.h>

#include <stdbool.h>
#include <stddef.h>

/* Jobs in flight at most: the pages (or object streams) kept in memory,
 * uncompressed. Measured at scale L (1,197 pages, 175 object streams),
 * instructions of the main thread with the thread's core free: 3 slots
 * 1.90 G, 8 slots 1.81 G (a page or a stream longer than the others
 * makes the main thread deflate less of the next ones itself), 16 no
 * fewer. */
#define ZPIPE_SLOTS 8

enum zjob_state { ZJOB_FREE, ZJOB_QUEUED, ZJOB_RUNNING, ZJOB_DONE };

struct zjob {
    enum zjob_state state; /* under the pipe's lock */
    size_t seq;            /* its place in the order of submission */
    struct buf in;         /* the bytes to deflate, after the first skip */
    size_t skip;           /* the caller's; 0 when zpipe_start made it */
    struct buf out;        /* room for them deflated (zpipe_prepare) */
    size_t len;            /* deflated length, once done */
    bool ok;               /* deflate ended the stream */
    size_t tag;            /* the caller's: which stream the bytes go to */
};

struct zpipe {
    int level, memlevel;
    bool running, stop;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    z_stream z;      /* the thread's */
    z_stream z_main; /* the caller's, for the jobs it takes over */
    struct zjob job[ZPIPE_SLOTS];
    /* counts since the start (the caller's): submitted, released;
     * released <= submitted <= released + ZPIPE_SLOTS */
    size_t submitted, released;
};

/* A pipe for zlib streams of that level and memory level (window 15,
 * default strategy); allocates nothing. */
void zpipe_init(struct zpipe *p, int level, int memlevel);
/* Starts the thread; false (and nothing started) when it cannot be.
 * An allocation failure of zlib ends the process (arena_oom). */
bool zpipe_start(struct zpipe *p);
/* True when every slot holds a job not released yet. */
bool zpipe_full(const struct zpipe *p);
/* The slot the next job goes in (not full). */
struct zjob *zpipe_slot(struct zpipe *p);
/* Grows the slot's output to hold its input deflated, whatever it is. */
void zpipe_prepare(struct zjob *j);
/* Hands the slot filled to the thread. */
void zpipe_submit(struct zpipe *p);
/* The oldest job not released, once deflated; NULL when none is left.
 * While it is not, the caller deflates the newest job the thread has not
 * begun (so both cores work when the thread falls behind), else waits. */
struct zjob *zpipe_wait(struct zpipe *p);
/* Frees the slot zpipe_wait returned for a new job. */
void zpipe_release(struct zpipe *p);
/* Joins the thread (jobs not done are dropped) and frees everything;
 * the pipe may then be started again. Does nothing when not running. */
void zpipe_stop(struct zpipe *p);

/* The bytes of the zlib wrapper: a header of 2, an Adler-32 of 4. */
#define ZPIPE_WRAP 6

/* Makes z a deflate stream of that level and memory level (window 15,
 * default strategy, raw: zpipe_deflate wraps it), as the pipe's; an
 * allocation failure of zlib ends the process (arena_oom). */
void zpipe_zinit(z_stream *z, int level, int memlevel);
/* The room zpipe_deflate needs for len bytes deflated with z (made by
 * zpipe_zinit; NULL: any settings). */
size_t zpipe_bound(z_stream *z, size_t len);
/* Deflates in[len] into out[cap] as a zlib stream in one call on z
 * (made by zpipe_zinit at level; reset first), whose header and Adler-32
 * it writes itself (pdf/adler.h, quicker than zlib's): the bytes zlib
 * would write. *n gets the stream's length. False when it did not end
 * (out smaller than zpipe_bound, or a zlib error). */
bool zpipe_deflate(z_stream *z, int level, const void *in, size_t len,
                   void *out, size_t cap, size_t *n);

#endif
