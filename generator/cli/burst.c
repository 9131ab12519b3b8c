/* burst: the reports of `render --burst-by`: the values of a shard, each
 * report evaluated, laid out and written in an arena of its own (reset
 * once its PDF is written), with the template, the data and the fonts
 * loaded once. One report's failure does not stop the others: its
 * messages are told with its value, and a summary line ends the burst.
 * On a terminal a progress line shows how far the burst is.
 *
 * With --jobs N, N worker processes are forked once everything is
 * loaded; worker w writes reports w, w + N, w + 2N, ... of the shard and
 * sends back, through a pipe, each one's outcome and messages, which
 * this process reads and prints in the shard's order: the files, the
 * messages and the exit status are those of --jobs 1. */
#include "cli/burst.h"
#include "base/arena.h"
#include "base/commit.h"
#include "base/tempfile.h"
#include "base/utf8.h"
#include "cli/output.h"
#include "media/font.h"
#include "pdf/pdfout.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* What one report left behind: whether it was written, its exit code,
 * and its messages as they are to be printed. */
struct outcome {
    bool ok;
    enum exit_code code;
    char *text; /* malloc'd, NULL when there is nothing to print */
    size_t len;
};

/* The run of a burst: what every report shares, and the tally. */
struct runner {
    const struct burst *b;
    const struct fontset *fonts;
    const struct diag *run; /* the source lines of the template and data */
    size_t *which;          /* the shard's values, as indices of b->values */
    size_t n;
    size_t done, written, failed;
    enum exit_code first_code;
    bool progress; /* a progress line on standard error (a terminal) */
    bool shown;    /* the progress line is on the screen */
};

/* The messages of a report, printed as diag_print would, then, for a
 * failure, a line naming its value. */
static void render_messages(const struct runner *u, const struct diag *d,
                            const char *value, bool ok, struct outcome *o)
{
    o->text = NULL;
    o->len = 0;
    if (ok && (u->b->quiet || d->n == 0))
        return;
    FILE *f = open_memstream(&o->text, &o->len);
    if (!f) {
        arena_oom_if(errno);
        return;
    }
    diag_print_with(d, u->run, f);
    if (!ok)
        fprintf(f, "informe: %s '%s': el informe no se escribió\n",
                u->b->column, value);
    if (fclose(f) != 0)
        arena_oom_if(errno);
}

/* A report written to its temporary file, and what puts it in place. */
struct pending {
    size_t k; /* its place in the shard: value b->values[u->which[k]] */
    bool ok;  /* evaluated, laid out and written */
    struct diag d;
    struct commit c;
};

/* Evaluates, lays out and writes report k of the shard to its temporary
 * file, in own, which is reset afterwards. */
static void report_write(const struct runner *u, struct arena *own, size_t k,
                         struct pending *p)
{
    const struct burst *b = u->b;
    p->k = k;
    diag_init(&p->d);
    eval_open_report(b->r, own);
    struct doc doc;
    bool ok =
        eval_document(b->r, &p->d, b->column, b->values[u->which[k]], &doc);
    doc.set.untagged = b->no_tags;
    const char *path = ok ? eval_output_path(b->r, &p->d, b->pattern) : NULL;
    p->c = (struct commit){.fd = -1};
    p->ok = path && output_doc(&doc, u->fonts, path, b->dump, &p->d, &p->c);
    eval_close_report(b->r);
    arena_reset(own);
}

/* Waits until p's file is in place (commit_start was called), then
 * what the report left behind. */
static void report_end(const struct runner *u, struct pending *p,
                       struct outcome *o)
{
    bool placed = commit_finish(&p->c, &p->d);
    bool ok = p->ok && placed;
    if (!ok && p->d.errors == 0)
        diag_error_code(&p->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "error interno: el informe falló sin mensaje");
    o->ok = ok && p->d.errors == 0;
    o->code = p->d.code ? p->d.code : EXIT_SOFTWARE;
    render_messages(u, &p->d, u->b->values[u->which[p->k]], o->ok, o);
    diag_release(&p->d);
}

/* Report k of the shard, in place when it returns. */
static void one_report(const struct runner *u, struct arena *own, size_t k,
                       struct outcome *o)
{
    struct pending p;
    report_write(u, own, k, &p);
    commit_start(&p.c, false);
    report_end(u, &p, o);
}

/* Reports k0, k0 + step, ... of the shard, put in place in the
 * background by batches while the next ones are written (base/commit.h:
 * up to DEPTH - 1 wait, so DEPTH temporaries at most); each outcome, in
 * order, to done. The folders are synced once at the end. */
#define DEPTH (2 * COMMIT_QUEUE + 1)
_Static_assert(DEPTH <= TEMPFILE_MAX, "every temporary can be registered");

/* The reports written and not yet in place, oldest first. */
struct ring {
    struct pending p[DEPTH];
    size_t first, n;
};

/* Waits for the oldest report of r and hands its outcome to done. */
static void end_oldest(struct runner *u, struct ring *r,
                       void (*done)(struct runner *, size_t, struct outcome *,
                                    void *),
                       void *ctx)
{
    struct outcome o;
    report_end(u, &r->p[r->first], &o);
    done(u, r->p[r->first].k, &o, ctx);
    r->first = (r->first + 1) % DEPTH;
    r->n--;
}

static void pipeline(struct runner *u, size_t k0, size_t step,
                     void (*done)(struct runner *, size_t, struct outcome *,
                                  void *),
                     void *ctx)
{
    struct arena *own = arena_new();
    struct ring *r = xmalloc(sizeof *r);
    r->first = r->n = 0;
    for (size_t k = k0; k < u->n; k += step) {
        if (r->n == DEPTH)
            end_oldest(u, r, done, ctx);
        struct pending *p = &r->p[(r->first + r->n++) % DEPTH];
        report_write(u, own, k, p);
        commit_start(&p->c, true);
        while (r->n > 0 && commit_done(&r->p[r->first].c))
            end_oldest(u, r, done, ctx); /* told as soon as in place */
    }
    while (r->n > 0)
        end_oldest(u, r, done, ctx);
    commit_flush();
    free(r);
    arena_free(own);
}

/* The value shortened to max characters (an ellipsis when cut). */
static void put_short(const char *s, size_t max)
{
    size_t n = strlen(s), at = 0, chars = 0, len;
    while (at < n && chars < max) {
        utf8_decode(s + at, n - at, &len);
        at += len;
        chars++;
    }
    fprintf(stderr, "%.*s%s", (int)at, s, at < n ? "…" : "");
}

static void clear_progress(struct runner *u)
{
    if (u->shown)
        fputs("\r\033[K", stderr);
    u->shown = false;
}

static unsigned digits(size_t n)
{
    unsigned k = 1;
    while (n >= 10) {
        n /= 10;
        k++;
    }
    return k;
}

/* Tells what report number k of the shard left behind (in the shard's
 * order) and counts it. */
static void deliver(struct runner *u, size_t k, struct outcome *o)
{
    if (o->text) {
        clear_progress(u);
        fwrite(o->text, 1, o->len, stderr);
        free(o->text);
        o->text = NULL;
    }
    u->done++;
    if (o->ok) {
        u->written++;
    } else {
        if (u->failed++ == 0)
            u->first_code = o->code;
    }
    if (u->progress) {
        fprintf(stderr, "\r[%*zu/%zu] ", (int)digits(u->n), u->done, u->n);
        put_short(u->b->values[u->which[k]], 60);
        fputs("\033[K", stderr);
        u->shown = true;
    }
}

/* "informe: 6000 informes: 5999 escritos, 1 con errores" */
static void summary(struct runner *u)
{
    clear_progress(u);
    fprintf(stderr, "informe: %zu %s: %zu %s, %zu con errores\n", u->n,
            u->n == 1 ? "informe" : "informes", u->written,
            u->written == 1 ? "escrito" : "escritos", u->failed);
}

static void deliver_here(struct runner *u, size_t k, struct outcome *o,
                         void *ctx)
{
    (void)ctx;
    deliver(u, k, o);
}

/* Every report in this process, in order. */
static void run_here(struct runner *u)
{
    pipeline(u, 0, 1, deliver_here, NULL);
}

/* ---- workers ---- */

/* What a worker sends for each report: this head, then len bytes of
 * messages. */
struct record {
    uint64_t k; /* the report's place in the shard */
    uint64_t len;
    int32_t code;
    uint8_t ok;
};

static bool write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads n bytes; false at the end of the pipe or on an error. */
static bool read_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

/* Sends the outcome of report k down the worker's pipe (*fd); a pipe
 * that fails ends the worker (its process reports what is missing). */
static void send_outcome(struct runner *u, size_t k, struct outcome *o,
                         void *fd)
{
    (void)u;
    struct record rec;
    memset(&rec, 0, sizeof rec); /* the padding goes down the pipe too */
    rec.k = k;
    rec.len = o->len;
    rec.code = (int32_t)o->code;
    rec.ok = o->ok;
    bool sent = write_all(*(int *)fd, &rec, sizeof rec) &&
                (!o->len || write_all(*(int *)fd, o->text, o->len));
    free(o->text);
    if (!sent)
        _exit(EXIT_SOFTWARE);
}

/* A worker's life: its share of the reports, each outcome sent to fd.
 * It ends with the process that forked it. */
static _Noreturn void work(struct runner *u, unsigned w, unsigned jobs, int fd,
                           pid_t parent)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    if (getppid() != parent)
        _exit(EXIT_SOFTWARE);
    /* The processes keep every core busy: no second thread each (the
     * thread that waits for the disk takes no core). */
    pdfout_threads(PDFOUT_THREADS_OFF);
    pipeline(u, w, jobs, send_outcome, &fd);
    pdfout_keep(false);
    _exit(EXIT_OK);
}

struct worker {
    pid_t pid;
    int fd;     /* -1 once its pipe ended */
    int status; /* as waitpid gave it, once ended */
};

/* What a worker that ended too early leaves for a report it did not
 * send: a failure with a message. */
static void lost(const struct runner *u, size_t k, int status,
                 struct outcome *o)
{
    o->ok = false;
    o->code = EXIT_SOFTWARE;
    o->text = NULL;
    FILE *f = open_memstream(&o->text, &o->len);
    if (!f) {
        arena_oom_if(errno);
        return;
    }
    const char *value = u->b->values[u->which[k]];
    if (WIFSIGNALED(status))
        fprintf(f,
                "informe: error: el proceso que escribía el informe de %s "
                "'%s' terminó con la señal %d\n",
                u->b->column, value, WTERMSIG(status));
    else
        fprintf(f,
                "informe: error: el proceso que escribía el informe de %s "
                "'%s' terminó antes de escribirlo\n",
                u->b->column, value);
    fprintf(f, "informe: %s '%s': el informe no se escribió\n", u->b->column,
            value);
    if (fclose(f) != 0)
        arena_oom_if(errno);
}

/* Reads the outcome of report k from its worker's pipe; false when the
 * pipe ended first. */
static bool receive(int fd, size_t k, struct outcome *o)
{
    struct record rec;
    if (!read_all(fd, &rec, sizeof rec) || rec.k != k)
        return false;
    o->ok = rec.ok;
    o->code = (enum exit_code)rec.code;
    o->len = (size_t)rec.len;
    o->text = o->len ? xmalloc(o->len) : NULL;
    if (o->len && !read_all(fd, o->text, o->len)) {
        free(o->text);
        return false;
    }
    return true;
}

static void end_worker(struct worker *w)
{
    close(w->fd);
    w->fd = -1;
    while (waitpid(w->pid, &w->status, 0) < 0 && errno == EINTR)
        ;
}

/* Forks the workers, then reads each report's outcome, in the shard's
 * order, from the worker that wrote it: a worker sends its reports in
 * order, so that the one awaited is always the next in its pipe. */
static void run_workers(struct runner *u, unsigned jobs)
{
    struct worker *wk = xmalloc(jobs * sizeof *wk);
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    unsigned started = 0;
    for (unsigned w = 0; w < jobs; w++) {
        int p[2];
        if (pipe(p) != 0)
            break;
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            for (unsigned v = 0; v < started; v++)
                close(wk[v].fd);
            free(wk);
            work(u, w, jobs, p[1], parent);
        }
        close(p[1]);
        if (pid < 0) {
            close(p[0]);
            break;
        }
        wk[started++] = (struct worker){pid, p[0], 0};
    }
    /* The reports of a worker that could not start are written here. */
    struct arena *own = NULL;
    for (size_t k = 0; k < u->n; k++) {
        struct worker *w = k % jobs < started ? &wk[k % jobs] : NULL;
        struct outcome o;
        if (!w) {
            own = own ? own : arena_new();
            one_report(u, own, k, &o);
        } else if (w->fd < 0 || !receive(w->fd, k, &o)) {
            if (w->fd >= 0)
                end_worker(w);
            lost(u, k, w->status, &o);
        }
        deliver(u, k, &o);
    }
    arena_free(own);
    for (unsigned w = 0; w < started; w++)
        if (wk[w].fd >= 0)
            end_worker(&wk[w]);
    free(wk);
}

int burst_run(const struct burst *b, struct diag *run)
{
    struct runner u = {.b = b, .run = run};
    /* A shard renders every N-th value: deterministic, no coordination
     * between the processes. */
    u.which = xmalloc((b->nvalues ? b->nvalues : 1) * sizeof *u.which);
    for (size_t i = 0; i < b->nvalues; i++)
        if (!b->shard_n || i % b->shard_n == b->shard_k - 1)
            u.which[u.n++] = i;
    /* The fonts of the settings the loading evaluated, once. */
    struct fontset fonts;
    const struct doc_settings *set = eval_loaded_settings(b->r);
    if (!set || !fontset_load(&fonts, set->font_dir, set->font_file, run)) {
        if (!set)
            diag_error_code(run, EXIT_SOFTWARE, NULL, 0, 0,
                            "error interno: no hay ajustes del informe");
        free(u.which);
        return run->code ? (int)run->code : EXIT_SOFTWARE;
    }
    u.fonts = &fonts;
    u.progress = !b->quiet && !b->dump && isatty(STDERR_FILENO);
    /* --jobs 0: every core; the dump goes to standard output in order,
     * from this process. */
    long jobs = b->jobs ? (long)b->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs > (long)u.n)
        jobs = (long)u.n;
    /* Most reports embed the same font subsets. */
    pdfout_keep(true);
    if (jobs > 1 && !b->dump)
        run_workers(&u, (unsigned)jobs);
    else
        run_here(&u);
    pdfout_keep(false);
    if (u.failed || u.progress)
        summary(&u);
    fontset_release(&fonts);
    free(u.which);
    return u.failed ? (int)u.first_code : EXIT_OK;
}
