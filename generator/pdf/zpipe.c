/* zpipe: deflates buffers on a second thread, in order (see zpipe.h). */
#include "pdf/zpipe.h"

#include "base/arena.h"
#include "pdf/adler.h"

#include <string.h>

/* The two bytes that open a zlib stream deflated at level with a window
 * of 32 KB and no dictionary, as zlib writes them: the level's class
 * (FLEVEL) and a check that makes the pair a multiple of 31. */
static void zlib_header(unsigned char *o, int level)
{
    if (level < 0)
        level = 6; /* Z_DEFAULT_COMPRESSION */
    unsigned flevel = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
    unsigned h = 0x78u << 8 | flevel << 6;
    h += 31 - h % 31;
    o[0] = (unsigned char)(h >> 8);
    o[1] = (unsigned char)h;
}

size_t zpipe_bound(z_stream *z, size_t len)
{
    return (size_t)deflateBound(z, (uLong)len) + ZPIPE_WRAP;
}

bool zpipe_deflate(z_stream *z, int level, const void *in, size_t len,
                   void *out, size_t cap, size_t *n)
{
    /* A stream just set up is reset already: a reset clears the whole
     * hash table, as long as deflating a small stream. Once used, the
     * totals count what it wrote. */
    if (cap < ZPIPE_WRAP ||
        ((z->total_in || z->total_out) && deflateReset(z) != Z_OK))
        return false;
    unsigned char *o = out;
    zlib_header(o, level);
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)len;
    z->next_out = o + 2;
    z->avail_out = (uInt)(cap - ZPIPE_WRAP);
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        return false;
    size_t m = 2 + (cap - ZPIPE_WRAP - z->avail_out);
    uint32_t sum = adler_update(ADLER_INIT, in, len);
    o[m] = (unsigned char)(sum >> 24);
    o[m + 1] = (unsigned char)(sum >> 16);
    o[m + 2] = (unsigned char)(sum >> 8);
    o[m + 3] = (unsigned char)sum;
    *n = m + 4;
    return true;
}

void zpipe_zinit(z_stream *z, int level, int memlevel)
{
    memset(z, 0, sizeof *z);
    /* Raw: zpipe_deflate writes the zlib wrapper itself. */
    if (deflateInit2(z, level, Z_DEFLATED, -15, memlevel, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        arena_oom();
}

void zpipe_init(struct zpipe *p, int level, int memlevel)
{
    memset(p, 0, sizeof *p);
    p->level = level;
    p->memlevel = memlevel;
}

/* The oldest job queued (oldest true) or the newest; NULL when none.
 * Under the lock. */
static struct zjob *queued(struct zpipe *p, bool oldest)
{
    struct zjob *best = NULL;
    for (size_t k = 0; k < ZPIPE_SLOTS; k++) {
        struct zjob *j = &p->job[k];
        if (j->state == ZJOB_QUEUED &&
            (!best || (oldest ? j->seq < best->seq : j->seq > best->seq)))
            best = j;
    }
    return best;
}

/* Deflates job j taken (RUNNING) with z, outside the lock. */
static void run_job(struct zpipe *p, struct zjob *j, z_stream *z)
{
    pthread_mutex_unlock(&p->mu);
    /* The job is the runner's alone until it is marked done. */
    j->ok =
        zpipe_deflate(z, p->level, j->in.data + j->skip, j->in.len - j->skip,
                      j->out.data, j->out.cap, &j->len);
    pthread_mutex_lock(&p->mu);
    j->state = ZJOB_DONE;
}

/* The thread: the jobs queued, oldest first, until told to stop. */
static void *run(void *arg)
{
    struct zpipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        struct zjob *j = NULL;
        while (!p->stop && (j = queued(p, true)) == NULL)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        j->state = ZJOB_RUNNING;
        run_job(p, j, &p->z);
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

bool zpipe_start(struct zpipe *p)
{
    if (p->running)
        return true;
    zpipe_zinit(&p->z, p->level, p->memlevel);
    zpipe_zinit(&p->z_main, p->level, p->memlevel);
    p->stop = false;
    p->submitted = p->released = 0;
    for (size_t k = 0; k < ZPIPE_SLOTS; k++) {
        p->job[k].state = ZJOB_FREE;
        p->job[k].skip = 0;
        buf_init(&p->job[k].in);
        buf_init(&p->job[k].out);
    }
    bool ok = pthread_mutex_init(&p->mu, NULL) == 0;
    if (ok && pthread_cond_init(&p->work, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        ok = false;
    }
    if (ok && pthread_cond_init(&p->done, NULL) != 0) {
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->mu);
        ok = false;
    }
    if (ok && pthread_create(&p->thread, NULL, run, p) != 0) {
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->mu);
        ok = false;
    }
    if (!ok) {
        for (size_t k = 0; k < ZPIPE_SLOTS; k++) {
            buf_release(&p->job[k].in);
            buf_release(&p->job[k].out);
        }
        deflateEnd(&p->z);
        deflateEnd(&p->z_main);
        return false;
    }
    p->running = true;
    return true;
}

bool zpipe_full(const struct zpipe *p)
{
    return p->submitted - p->released == ZPIPE_SLOTS;
}

struct zjob *zpipe_slot(struct zpipe *p)
{
    return &p->job[p->submitted % ZPIPE_SLOTS];
}

void zpipe_prepare(struct zjob *j)
{
    /* zlib's bound for any settings (no stream given). */
    size_t bound = zpipe_bound(NULL, j->in.len - j->skip);
    buf_clear(&j->out);
    buf_grow(&j->out, bound);
    j->len = 0;
    j->ok = false;
}

void zpipe_submit(struct zpipe *p)
{
    struct zjob *j = zpipe_slot(p);
    pthread_mutex_lock(&p->mu);
    j->seq = p->submitted++;
    j->state = ZJOB_QUEUED;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

struct zjob *zpipe_wait(struct zpipe *p)
{
    if (p->released == p->submitted)
        return NULL;
    struct zjob *oldest = &p->job[p->released % ZPIPE_SLOTS];
    pthread_mutex_lock(&p->mu);
    while (oldest->state != ZJOB_DONE) {
        struct zjob *j = queued(p, false);
        if (j) {
            j->state = ZJOB_RUNNING;
            run_job(p, j, &p->z_main);
        } else {
            pthread_cond_wait(&p->done, &p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return oldest;
}

void zpipe_release(struct zpipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->job[p->released % ZPIPE_SLOTS].state = ZJOB_FREE;
    pthread_mutex_unlock(&p->mu);
    p->released++;
}

void zpipe_stop(struct zpipe *p)
{
    if (!p->running)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    deflateEnd(&p->z);
    deflateEnd(&p->z_main);
    for (size_t k = 0; k < ZPIPE_SLOTS; k++) {
        buf_release(&p->job[k].in);
        buf_release(&p->job[k].out);
    }
    p->running = false;
}
