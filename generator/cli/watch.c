/* watch: render again whenever an input changes (cli/watch.h). */
#include "cli/watch.h"
#include "base/arena.h"
#include "base/infile.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/inotify.h>
#endif

/* How often the files are compared without inotify, and at most with it
 * (a folder inotify cannot watch, a missed event). */
#define POLL_MS 500
#define SAFETY_MS 2000
/* A change is rendered once the files have stayed the same this long:
 * an editor's save is often several writes. */
#define SETTLE_MS 150

/* What a file was when the render looked at it. */
struct file_state {
    char *path;
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

struct watched {
    struct file_state *f;
    size_t n, cap;
};

static void state_of(struct file_state *s)
{
    struct stat st;
    s->exists = stat(s->path, &st) == 0;
    s->dev = s->exists ? st.st_dev : 0;
    s->ino = s->exists ? st.st_ino : 0;
    s->size = s->exists ? st.st_size : 0;
    s->mtime = s->exists ? st.st_mtim : (struct timespec){0, 0};
}

static bool same_state(const struct file_state *a, const struct file_state *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
           a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* infile_observe's callback: each path once, as it was when read. */
static void seen(void *ctx, const char *path)
{
    struct watched *w = ctx;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->f[i].path, path) == 0)
            return;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->f = xrealloc(w->f, w->cap * sizeof *w->f);
    }
    size_t len = strlen(path) + 1;
    struct file_state *s = &w->f[w->n++];
    s->path = xmalloc(len);
    memcpy(s->path, path, len);
    state_of(s);
}

static void forget(struct watched *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->f[i].path);
    free(w->f);
    memset(w, 0, sizeof *w);
}

/* Whether some file differs from what the render saw. */
static bool changed(const struct watched *w)
{
    for (size_t i = 0; i < w->n; i++) {
        struct file_state now = {.path = w->f[i].path};
        state_of(&now);
        if (!same_state(&now, &w->f[i]))
            return true;
    }
    return false;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* Waits until the files stop changing (or a few seconds pass). */
static void settle(struct watched *w)
{
    for (int tries = 0; tries < 20; tries++) {
        for (size_t i = 0; i < w->n; i++)
            state_of(&w->f[i]);
        sleep_ms(SETTLE_MS);
        if (!changed(w))
            return;
    }
}

/* An inotify descriptor watching the folder of every file, or -1 (then
 * *all is false too). *all: every folder could be watched. */
static int watch_folders(const struct watched *w, bool *all)
{
    *all = false;
#ifdef __linux__
    const char *mode = getenv("INFORME_WATCH");
    if (mode && strcmp(mode, "poll") == 0)
        return -1;
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0)
        return -1;
    *all = true;
    for (size_t i = 0; i < w->n; i++) {
        const char *p = w->f[i].path, *slash = strrchr(p, '/');
        char *dir = xmalloc(strlen(p) + 2);
        if (!slash)
            memcpy(dir, ".", 2);
        else if (slash == p)
            memcpy(dir, "/", 2);
        else {
            memcpy(dir, p, (size_t)(slash - p));
            dir[slash - p] = '\0';
        }
        /* A folder watched twice is the same watch. */
        if (inotify_add_watch(fd, dir,
                              IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                                  IN_CREATE | IN_DELETE | IN_ATTRIB |
                                  IN_MODIFY) < 0)
            *all = false;
        free(dir);
    }
    return fd;
#else
    (void)w;
    return -1;
#endif
}

/* Returns once some file differs from what the render saw. */
static void wait_change(struct watched *w)
{
    bool all;
    int fd = watch_folders(w, &all);
    int timeout = fd >= 0 && all ? SAFETY_MS : POLL_MS;
    while (!changed(w)) {
        if (fd < 0) {
            sleep_ms(timeout);
            continue;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, timeout) > 0) {
            char buf[4096];
            while (read(fd, buf, sizeof buf) > 0)
                ; /* the events only wake us: the files are compared */
        }
    }
    if (fd >= 0)
        close(fd);
    settle(w);
}

void watch_run(int (*render)(void *ctx), void *ctx, bool quiet)
{
    for (;;) {
        struct watched w = {0};
        infile_observe(seen, &w);
        int rc = render(ctx);
        infile_observe(NULL, NULL);
        if (rc != 0)
            fprintf(stderr, "informe: la generación falló (código %d)\n", rc);
        else if (!quiet)
            fputs("informe: PDF generado\n", stderr);
        if (!quiet || rc != 0)
            fputs("informe: esperando cambios…\n", stderr);
        fflush(stderr);
        wait_change(&w);
        forget(&w);
    }
}
