/* infile: input files opened without blocking, checked with fstat, bounded
 * by the limit 'file_size', read with the errno of the failing call. */
/* realpath is an XSI interface. */
#define _XOPEN_SOURCE 700

#include "base/infile.h"

#include "base/arena.h"
#include "base/limits.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why a file cannot be read, in the words of the messages. */
static const char *open_problem(int err)
{
    switch (err) {
    case ENOENT:
        return "el archivo no existe";
    case ENOTDIR:
        return "una parte de la ruta no es una carpeta";
    case EACCES:
    case EPERM:
        return "no hay permiso para leer el archivo";
    case EISDIR:
        return "es una carpeta, no un archivo";
    case ELOOP:
        return "la ruta tiene demasiados enlaces simbólicos";
    case ENAMETOOLONG:
        return "la ruta es demasiado larga";
    default:
        return NULL;
    }
}

static const char *kind_problem(mode_t m)
{
    if (S_ISDIR(m))
        return "es una carpeta, no un archivo";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "es un dispositivo, no un archivo regular";
    if (S_ISFIFO(m))
        return "es una tubería (FIFO), no un archivo regular";
    if (S_ISSOCK(m))
        return "es un socket, no un archivo regular";
    return "no es un archivo regular";
}

static void report(struct diag *d, const char *path, const char *noun,
                   const struct infile_ref *ref, const char *why, int err)
{
    arena_oom_if(err); /* ENOMEM is the machine's fault, not the file's */
    const char *text = why ? why : strerror(err);
    if (ref && ref->file)
        diag_error_code(d, EXIT_NOINPUT, ref->file, ref->line, ref->col,
                        "no se puede leer %s '%s': %s", noun, path, text);
    else
        diag_error_code(d, EXIT_NOINPUT, path, 0, 0, "no se puede leer %s: %s",
                        noun, text);
}

static void too_large(struct diag *d, const char *path, const char *noun,
                      const struct infile_ref *ref, uint64_t size)
{
    uint64_t mib = (size + (1u << 20) - 1) >> 20;
    char what[512];
    if (ref && ref->file) {
        snprintf(what, sizeof what, "%s '%s' (%llu MiB)", noun, path,
                 (unsigned long long)mib);
        limits_exceeded(d, LIMIT_FILE_SIZE, ref->file, ref->line, ref->col,
                        what);
    } else {
        snprintf(what, sizeof what, "%s (%llu MiB)", noun,
                 (unsigned long long)mib);
        limits_exceeded(d, LIMIT_FILE_SIZE, path, 0, 0, what);
    }
}

static uint64_t max_bytes(void)
{
    int64_t mib = limit(LIMIT_FILE_SIZE);
    return (uint64_t)mib << 20;
}

static void (*observer)(void *ctx, const char *path);
static void *observer_ctx;

void infile_observe(void (*seen)(void *ctx, const char *path), void *ctx)
{
    observer = seen;
    observer_ctx = ctx;
}

void infile_notice(const char *path)
{
    if (observer)
        observer(observer_ctx, path);
}

int infile_open(struct diag *d, const char *path, const char *noun,
                const struct infile_ref *ref, size_t *size)
{
    infile_notice(path);
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer; fstat then refuses it before any read. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        report(d, path, noun, ref, open_problem(err), err);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        report(d, path, noun, ref, open_problem(err), err);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        report(d, path, noun, ref, kind_problem(st.st_mode), 0);
        return -1;
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > max_bytes() ||
        (uint64_t)st.st_size > SIZE_MAX - 2) {
        close(fd);
        too_large(d, path, noun, ref, (uint64_t)st.st_size);
        return -1;
    }
    /* Reads of a regular file never block; clearing the flag keeps the
     * descriptor ordinary for whoever uses it next. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *size = (size_t)st.st_size;
    return fd;
}

bool infile_read(struct diag *d, const char *path, const char *noun,
                 const struct infile_ref *ref, struct arena *a, char **data,
                 size_t *len)
{
    *data = NULL;
    *len = 0;
    size_t size;
    int fd = infile_open(d, path, noun, ref, &size);
    if (fd < 0)
        return false;
    /* The size from fstat is a hint: the file may change while it is
     * read. The buffer grows when it does, never past the limit. */
    uint64_t max = max_bytes();
    size_t cap = size + 1;
    char *buf = a ? arena_alloc(a, cap + 2) : xmalloc(cap + 2);
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            if ((uint64_t)n > max) {
                if (!a)
                    free(buf);
                close(fd);
                too_large(d, path, noun, ref, n);
                return false;
            }
            size_t ncap = cap < SIZE_MAX / 4 ? cap * 2 : SIZE_MAX - 2;
            char *nb;
            if (a) {
                nb = arena_alloc(a, ncap + 2);
                memcpy(nb, buf, n);
            } else {
                nb = xrealloc(buf, ncap + 2);
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int err = errno;
            if (!a)
                free(buf);
            close(fd);
            report(d, path, noun, ref, open_problem(err), err);
            return false;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if ((uint64_t)n > max) {
        if (!a)
            free(buf);
        too_large(d, path, noun, ref, n);
        return false;
    }
    buf[n] = '\0';
    buf[n + 1] = '\0';
    *data = buf;
    *len = n;
    return true;
}

char *infile_resolve(const char *path, const char **why)
{
    char *p = realpath(path, NULL);
    if (!p) {
        int err = errno;
        arena_oom_if(err); /* realpath allocates the name it returns */
        *why = open_problem(err);
        if (!*why)
            *why = strerror(err);
    }
    return p;
}

const char *infile_kind_problem(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        const char *why = open_problem(errno);
        return why ? why : strerror(errno);
    }
    return S_ISREG(st.st_mode) ? NULL : kind_problem(st.st_mode);
}

static bool ends_with_ci(const char *s, const char *ext)
{
    size_t n = strlen(s), k = strlen(ext);
    if (n <= k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char a = s[n - k + i], b = ext[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

static int by_bytes(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char **infile_list(struct arena *a, const char *dir, const char *ext,
                         size_t *n)
{
    *n = 0;
    DIR *dp = opendir(dir);
    if (!dp)
        return NULL;
    const char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.' || !ends_with_ci(e->d_name, ext))
            continue;
        const char *path = arena_printf(a, "%s/%s", dir, e->d_name);
        if (infile_kind_problem(path))
            continue;
        names = arena_grow(a, names, &cap, *n + 1, sizeof *names);
        names[(*n)++] = arena_strdup(a, e->d_name);
    }
    closedir(dp);
    if (*n)
        qsort(names, *n, sizeof *names, by_bytes);
    return names;
}
