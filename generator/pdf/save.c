/* save: a finished document written by libharu, either atomically to a
 * file (a temporary file next to it, then synced and renamed over it by
 * base/commit; write errors reported with the system's reason, exit 73)
 * or into memory. */

#include "pdf/internal.h"

#include "base/commit.h"
#include "base/tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a failed save leaves: 0 for a system error (errno set: a write
 * error inside a deflated stream, a full disk while the fonts are
 * written, comes as a zlib error with the file error as its detail), -1
 * for another error, reported here. */
static int save_failed(struct pdfout *w, const char *path)
{
    if (!pdf_alloc_failed() &&
        (w->err == HPDF_FILE_IO_ERROR || w->err == HPDF_FILE_OPEN_ERROR ||
         w->detail == HPDF_FILE_IO_ERROR)) {
        errno = w->save_errno ? w->save_errno : EIO;
        return 0;
    }
    pdf_fail(w, arena_printf(w->arena, "generar '%s'", path));
    return -1;
}

/* libharu writes the document to the file name (a device or a pipe);
 * path names it in messages. Returns 1 when written, else as
 * save_failed. */
static int write_pdf(struct pdfout *w, const char *name, const char *path)
{
    errno = 0;
    w->save_errno = 0;
    if (HPDF_SaveToFile(w->pdf, name) == HPDF_OK && !w->err)
        return 1;
    return save_failed(w, path);
}

/* Where libharu's bytes go when the document is written to a descriptor:
 * gathered here and written a buffer at a time (libharu's own file
 * writer opens the file again and writes through stdio, 4 KB a call). */
struct sink {
    int fd;
    int err; /* errno of the first failed write */
    size_t len;
    unsigned char buf[64 * 1024];
};

static void sink_put(struct sink *s, const void *p, size_t n)
{
    const unsigned char *c = p;
    while (n > 0 && !s->err) {
        ssize_t k = write(s->fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            s->err = k < 0 ? errno : EIO;
            return;
        }
        c += k;
        n -= (size_t)k;
    }
}

static void sink_flush(struct sink *s)
{
    sink_put(s, s->buf, s->len);
    s->len = 0;
}

static HPDF_STATUS sink_write(HPDF_Stream stream, const HPDF_BYTE *p,
                              HPDF_UINT n)
{
    struct sink *s = stream->attr;
    if (s->len + n > sizeof s->buf)
        sink_flush(s);
    if (n >= sizeof s->buf)
        sink_put(s, p, n);
    else {
        memcpy(s->buf + s->len, p, n);
        s->len += n;
    }
    return s->err ? HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR,
                                  (HPDF_STATUS)s->err)
                  : HPDF_OK;
}

/* libharu writes the document to fd, through a stream of informe's own
 * set as the document's stream for HPDF_SaveToStream; path names it in
 * messages. Returns as write_pdf. */
static int write_fd(struct pdfout *w, int fd, const char *path)
{
    struct sink *s = xmalloc(sizeof *s);
    s->fd = fd;
    s->err = 0;
    s->len = 0;
    HPDF_Stream st = HPDF_CallbackWriter_New(w->pdf->mmgr, sink_write, s);
    if (!st) {
        free(s);
        return save_failed(w, path);
    }
    HPDF_Stream was = w->pdf->stream;
    w->pdf->stream = st;
    errno = 0;
    w->save_errno = 0;
    bool saved = HPDF_SaveToStream(w->pdf) == HPDF_OK && !w->err;
    w->pdf->stream = was;
    HPDF_Stream_Free(st);
    if (saved)
        sink_flush(s);
    int err = s->err;
    free(s);
    if (saved && !err)
        return 1;
    if (err) {
        errno = err;
        return 0;
    }
    return save_failed(w, path);
}

bool pdf_save_file(struct pdfout *w, const char *path, struct commit *c)
{
    bool ok = false;
    int fd = -1;
    char *tmp = NULL, *dir = NULL;
    *c = (struct commit){.fd = -1}; /* nothing to put in place */

    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        /* A device or a pipe (/dev/stdout, a named pipe): nothing to
         * keep, and renaming would replace the node itself. */
        int r = write_pdf(w, path, path);
        if (r == 0)
            goto sys_error;
        ok = r > 0;
        goto done;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        goto sys_error;
    }
    /* Through a symbolic link, the file it names is replaced (renaming
     * over the link would replace the link). */
    const char *dest = exists ? tempfile_target(w->arena, path) : path;
    if (!dest)
        goto sys_error;

    const char *slash = strrchr(dest, '/');
    dir = slash ? arena_strndup(w->arena, dest,
                                slash == dest ? 1 : (size_t)(slash - dest))
                : arena_strdup(w->arena, ".");
    /* The temporary file is next to the destination, so that rename()
     * stays within one file system. */
    fd = tempfile_create(w->arena, dir, &tmp);
    if (fd < 0) {
        tmp = NULL;
        goto sys_error;
    }
    /* Replacing a report keeps its permissions. */
    if (exists && fchmod(fd, st.st_mode & 07777) != 0)
        goto sys_error;

    /* libharu writes the temporary file straight from its objects (no
     * copy of the whole document in memory), on the descriptor it was
     * created with. */
    int r = write_fd(w, fd, path);
    if (r < 0)
        goto done;
    if (r == 0)
        goto sys_error;
    commit_prepare(c, fd, tmp, dest, dir, path);
    return true; /* fd and tmp are the commit's now */

sys_error:
    arena_oom_if(errno);
    diag_error_code(w->d, EXIT_CANTCREAT, NULL, 0, 0,
                    "no se puede escribir '%s': %s", path, strerror(errno));
done:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        tempfile_forget(tmp);
    }
    return ok;
}

bool pdf_save_mem(struct pdfout *w, const char *name, struct buf *out)
{
    if (HPDF_SaveToStream(w->pdf) != HPDF_OK || w->err ||
        HPDF_ResetStream(w->pdf) != HPDF_OK)
        return pdf_fail(w, arena_printf(w->arena, "generar '%s'", name));
    HPDF_UINT32 size = HPDF_GetStreamSize(w->pdf);
    buf_grow(out, size);
    HPDF_UINT32 got = size;
    HPDF_STATUS st =
        HPDF_ReadFromStream(w->pdf, (HPDF_BYTE *)out->data + out->len, &got);
    /* libharu answers HPDF_STREAM_EOF once the whole stream was read. */
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
        if (!w->err)
            w->err = st;
        return pdf_fail(w, arena_printf(w->arena, "generar '%s'", name));
    }
    out->len += got;
    out->data[out->len] = '\0';
    return true;
}
