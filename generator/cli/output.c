/* output: one document laid out and written: a PDF saved atomically (its
 * folders created first), or its display list dumped on standard output
 * (--dump-layout). A burst puts each PDF in place while it lays out the
 * next one (base/commit). */
#include "cli/output.h"
#include "doc/dlist.h"
#include "layout/layout.h"
#include "pdf/pdfout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The layout dump's sink: standard output, and the first write error. */
struct dump_out {
    FILE *f;
    int err;
};

static bool dump_page(void *ctx, const struct dl_page *p)
{
    struct dump_out *o = ctx;
    struct buf b;
    buf_init(&b);
    dl_dump(p, &b);
    bool ok = fwrite(b.data, 1, b.len, o->f) == b.len;
    if (!ok && !o->err)
        o->err = errno ? errno : EIO;
    buf_release(&b);
    return ok;
}

/* Creates folder dir (changed in place, and restored) and the folders
 * leading to it, from the deepest that is missing: one mkdir when dir
 * is there already, as it is for every report of a burst but the first.
 * On failure reports the folder that could not be made. */
static bool make_dir(char *dir, struct diag *d)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return true;
    char *slash = errno == ENOENT ? strrchr(dir, '/') : NULL;
    if (slash && slash != dir) {
        *slash = '\0';
        bool up = make_dir(dir, d);
        *slash = '/';
        if (!up)
            return false;
        if (mkdir(dir, 0777) == 0 || errno == EEXIST)
            return true;
    }
    diag_error_code(d, EXIT_CANTCREAT, NULL, 0, 0,
                    "no se puede crear la carpeta '%s': %s", dir,
                    strerror(errno));
    return false;
}

/* Creates the folders leading to path, as `mkdir -p` would: a cron line
 * writing to out/2018-03/informe.pdf should not fail on its first run. */
static bool make_parent_dirs(const char *path, struct diag *d)
{
    const char *slash = strrchr(path, '/');
    while (slash && slash > path && slash[-1] == '/')
        slash--; /* "a//b.pdf": the folder is "a" */
    if (!slash || slash == path)
        return true; /* in the working folder, or in "/" */
    size_t n = (size_t)(slash - path);
    char *dir = xmalloc(n + 1);
    memcpy(dir, path, n);
    dir[n] = '\0';
    bool ok = make_dir(dir, d);
    free(dir);
    return ok;
}

bool output_doc(const struct doc *doc, const struct fontset *fonts,
                const char *path, bool dump, struct diag *d,
                struct commit *later)
{
    if (later)
        *later = (struct commit){.fd = -1}; /* nothing to put in place */
    if (dump) {
        struct dump_out out = {stdout, 0};
        struct page_sink sink = {dump_page, &out};
        errno = 0;
        bool ok = layout_run(doc, fonts, &sink, d, NULL);
        /* A full disk or a closed pipe must not end in exit 0. */
        int err = out.err;
        if (fflush(stdout) != 0 && !err)
            err = errno ? errno : EIO;
        if (err) {
            diag_error_code(d, EXIT_CANTCREAT, NULL, 0, 0,
                            "no se puede escribir la salida estándar: %s",
                            strerror(err));
            return false;
        }
        return ok;
    }
    if (!make_parent_dirs(path, d))
        return false;
    struct pdfout *w = pdfout_open(&doc->set, fonts, d);
    if (!w)
        return false;
    struct page_sink sink = {pdfout_page, w};
    if (!layout_run(doc, fonts, &sink, d, NULL)) {
        pdfout_discard(w);
        return false;
    }
    return later ? pdfout_save_later(w, path, later) : pdfout_save(w, path);
}
