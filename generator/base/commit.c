/* commit: see commit.h. */
#include "base/commit.h"

#include "base/arena.h"
#include "base/tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The folder that background commits renamed into and that is not synced
 * yet; touched only by one commit at a time (each is finished before the
 * next starts) and by commit_flush, once the thread has ended. */
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

/* The steps, in order; the first failure stops them. */
static void run(struct commit *c)
{
    c->err = 0;
    if (!c->tmp)
        return; /* nothing to put in place */
    if (fsync(c->fd) != 0)
        c->err = errno;
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

/* The thread that puts files in place in the background: started by the
 * first background commit, ended by commit_flush. It takes one commit at
 * a time (job), and empties job once it is done. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* job given, job done, or stop */
    pthread_t thread;
    bool running, stop;
    struct commit *job;
} bg = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *loop(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&bg.mu);
    for (;;) {
        while (!bg.job && !bg.stop)
            pthread_cond_wait(&bg.cv, &bg.mu);
        if (!bg.job)
            break;
        struct commit *c = bg.job;
        pthread_mutex_unlock(&bg.mu);
        run(c);
        pthread_mutex_lock(&bg.mu);
        bg.job = NULL;
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
            bg.job = c;
            pthread_cond_broadcast(&bg.cv);
            pthread_mutex_unlock(&bg.mu);
            return;
        }
        pthread_mutex_unlock(&bg.mu);
        c->background = false; /* no thread: now after all */
    }
    run(c);
}

bool commit_finish(struct commit *c, struct diag *d)
{
    if (c->background) {
        pthread_mutex_lock(&bg.mu);
        while (bg.job == c)
            pthread_cond_wait(&bg.cv, &bg.mu);
        pthread_mutex_unlock(&bg.mu);
    }
    c->background = false;
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
