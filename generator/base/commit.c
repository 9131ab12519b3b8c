/* commit: see commit.h. */
#ifdef __linux__
#define _GNU_SOURCE /* sync_file_range, syncfs */
#define COMMIT_WRITE_OUT 1
#endif
#include "base/commit.h"

#include "base/arena.h"
#include "base/tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The folder that background commits renamed into and that is not synced
 * yet; touched only by the background thread, and by commit_flush once
 * that thread has ended. */
static char *unsynced;

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it */
        close(fd);
    }
}

/* Syncs the folder background commits renamed into, if any. */
static void sync_unsynced(void)
{
    if (!unsynced)
        return;
    sync_dir(unsynced);
    free(unsynced);
    unsynced = NULL;
}

void commit_prepare(struct commit *c, int fd, const char *tmp, const char *dest,
                    const char *dir, const char *path)
{
    *c = (struct commit){.fd = fd,
                         .tmp = xstrdup(tmp),
                         .dest = xstrdup(dest),
                         .dir = xstrdup(dir),
                         .path = xstrdup(path)};
}

/* Puts c in place once its bytes are on the disk (c->err set when they
 * could not be): closes, renames, and syncs or notes its folder. */
static void place(struct commit *c)
{
    int r = close(c->fd);
    c->fd = -1;
    if (!c->err && r != 0)
        c->err = errno;
    if (!c->err && rename(c->tmp, c->dest) != 0)
        c->err = errno;
    if (c->err) {
        unlink(c->tmp);
        tempfile_forget(c->tmp);
        return;
    }
    tempfile_forget(c->tmp);
    if (!c->background) {
        sync_dir(c->dir);
        return;
    }
    if (unsynced && strcmp(unsynced, c->dir) == 0)
        return;
    sync_unsynced();
    unsynced = xstrdup(c->dir);
}

/* Now: synced, then put in place. */
static void run(struct commit *c)
{
    c->err = 0;
    if (!c->tmp)
        return; /* nothing to put in place */
    if (fsync(c->fd) != 0)
        c->err = errno;
    place(c);
}

/* Several commits synced together, then put in place in their order. On
 * Linux each file's bytes are written out first (sync_file_range, which
 * reports a failed write for its own file), then one syncfs writes what
 * the file system still holds of them (sizes, blocks, on any file system:
 * with a journal or without, or over NFS, where it commits the writes on
 * the server) and flushes the disk's cache: one wait for the disk where
 * each file took one. It also writes whatever else is pending on that
 * file system, which in a burst is mostly the burst's own files. A rename
 * comes only after that, so a crash leaves under a name the file it held
 * or its whole replacement. Elsewhere, one fsync a file. */
static void run_batch(struct commit **job, size_t n)
{
    for (size_t i = 0; i < n; i++)
        job[i]->err = 0;
#ifdef COMMIT_WRITE_OUT
    for (size_t i = 0; i < n; i++) /* starts each file's writing */
        (void)sync_file_range(job[i]->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    struct commit *last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (sync_file_range(job[i]->fd, 0, 0,
                            SYNC_FILE_RANGE_WAIT_BEFORE |
                                SYNC_FILE_RANGE_WRITE |
                                SYNC_FILE_RANGE_WAIT_AFTER) == 0)
            last = job[i];
        else if (errno != EINVAL && errno != ENOSYS && errno != ESPIPE)
            job[i]->err = errno;
        else if (fsync(job[i]->fd) != 0) /* a file system without it */
            job[i]->err = errno;
    }
    if (last && syncfs(last->fd) != 0) {
        int err = errno; /* the flush failed: nothing is known written */
        for (size_t i = 0; i < n; i++)
            if (!job[i]->err)
                job[i]->err = err;
    }
#else
    for (size_t i = 0; i < n; i++)
        if (fsync(job[i]->fd) != 0)
            job[i]->err = errno;
#endif
    for (size_t i = 0; i < n; i++)
        place(job[i]);
}

/* The thread that puts files in place in the background: started by the
 * first background commit, ended by commit_flush. Commits wait in queue,
 * in the order they were started; the thread takes them all once
 * COMMIT_BATCH wait, or the oldest has waited COMMIT_WAIT_MS, or someone
 * waits for one (commit_finish, or commit_start with the queue full), or
 * at the end. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* commits queued, taken or done; a waiter; stop */
    pthread_t thread;
    bool running, stop;
    struct commit *queue[COMMIT_QUEUE];
    size_t queued;
    struct timespec due; /* when the oldest queued is taken, batch or not */
    unsigned waiters;    /* callers waiting for a commit or for room */
} bg = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* COMMIT_WAIT_MS from now, on the clock pthread_cond_timedwait reads. */
static struct timespec deadline(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += COMMIT_WAIT_MS * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static void *loop(void *unused)
{
    (void)unused;
    struct commit *job[COMMIT_QUEUE];
    pthread_mutex_lock(&bg.mu);
    for (;;) {
        while (bg.queued < COMMIT_BATCH && !bg.waiters && !bg.stop) {
            if (bg.queued == 0)
                pthread_cond_wait(&bg.cv, &bg.mu);
            else if (pthread_cond_timedwait(&bg.cv, &bg.mu, &bg.due) ==
                     ETIMEDOUT)
                break; /* the oldest has waited long enough */
        }
        size_t n = bg.queued;
        if (n == 0) {
            if (bg.stop)
                break;
            pthread_cond_wait(&bg.cv, &bg.mu); /* a waiter for a done one */
            continue;
        }
        memcpy(job, bg.queue, n * sizeof job[0]);
        bg.queued = 0;
        pthread_cond_broadcast(&bg.cv); /* room in the queue */
        pthread_mutex_unlock(&bg.mu);
        run_batch(job, n);
        pthread_mutex_lock(&bg.mu);
        for (size_t i = 0; i < n; i++)
            job[i]->background = false; /* done: its owner may read it */
        pthread_cond_broadcast(&bg.cv);
    }
    pthread_mutex_unlock(&bg.mu);
    return NULL;
}

void commit_start(struct commit *c, bool background)
{
    c->background = background && c->tmp;
    if (c->background) {
        pthread_mutex_lock(&bg.mu);
        if (!bg.running) {
            bg.stop = false;
            bg.running = pthread_create(&bg.thread, NULL, loop, NULL) == 0;
        }
        if (bg.running) {
            bg.waiters++;
            while (bg.queued == COMMIT_QUEUE)
                pthread_cond_wait(&bg.cv, &bg.mu);
            bg.waiters--;
            if (bg.queued == 0)
                bg.due = deadline();
            bg.queue[bg.queued++] = c;
            pthread_cond_broadcast(&bg.cv);
            pthread_mutex_unlock(&bg.mu);
            return;
        }
        pthread_mutex_unlock(&bg.mu);
        c->background = false; /* no thread: now after all */
    }
    run(c);
}

bool commit_done(struct commit *c)
{
    pthread_mutex_lock(&bg.mu); /* the thread writes background under it */
    bool done = !c->background;
    pthread_mutex_unlock(&bg.mu);
    return done;
}

bool commit_finish(struct commit *c, struct diag *d)
{
    pthread_mutex_lock(&bg.mu); /* the thread writes background under it */
    if (c->background) {
        bg.waiters++;
        pthread_cond_broadcast(&bg.cv); /* take it now, batch or not */
        while (c->background)
            pthread_cond_wait(&bg.cv, &bg.mu);
        bg.waiters--;
    }
    pthread_mutex_unlock(&bg.mu);
    bool ok = c->err == 0;
    if (!ok) {
        arena_oom_if(c->err);
        diag_error_code(d, EXIT_CANTCREAT, NULL, 0, 0,
                        "no se puede escribir '%s': %s", c->path,
                        strerror(c->err));
    }
    free(c->tmp);
    free(c->dest);
    free(c->dir);
    free(c->path);
    c->tmp = c->dest = c->dir = c->path = NULL;
    return ok;
}

void commit_flush(void)
{
    pthread_mutex_lock(&bg.mu);
    bool running = bg.running;
    bg.stop = true;
    pthread_cond_broadcast(&bg.cv);
    pthread_mutex_unlock(&bg.mu);
    if (running)
        pthread_join(bg.thread, NULL);
    bg.running = false;
    sync_unsynced();
}
