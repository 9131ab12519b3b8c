/* failmalloc: replaces malloc, calloc, realloc and free for the whole
 * process (informe, libharu, libyaml, libcsv, libpng, zlib and libc's own
 * calls) in a test binary. Every allocation request is counted; when
 * INFORME_FAIL_AT=N is set, request number N returns NULL with ENOMEM
 * (once: later requests succeed, as when memory comes back).
 *
 * At exit, when INFORME_ALLOC_REPORT names a file, one line is written to
 * it: "allocations A outstanding B failed F", where B is the number of
 * blocks still allocated (a leak shows as a B above the one of a normal
 * run). The real allocator is glibc's, reached by its __libc_ names. */
#define _GNU_SOURCE /* dladdr() */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static unsigned long calls, fail_at, failed;
static long outstanding;
static int ready;

static void setup(void)
{
    ready = 1;
    const char *s = getenv("INFORME_FAIL_AT");
    for (; s && *s >= '0' && *s <= '9'; s++)
        fail_at = fail_at * 10 + (unsigned long)(*s - '0');
}

static void put_num(char **o, unsigned long v);
static void put_str(char **o, const char *s);

/* Writes where the failed request came from (the caller's nearest
 * exported symbol and its object) to INFORME_FAIL_SITE, at once: the
 * process may end without running destructors. */
static void note_site(void *caller)
{
    const char *path = getenv("INFORME_FAIL_SITE");
    if (!path)
        return;
    Dl_info info;
    char line[512], *o = line;
    if (dladdr(caller, &info)) {
        const char *obj = info.dli_fname ? info.dli_fname : "?";
        const char *slash = obj;
        for (const char *p = obj; *p; p++)
            if (*p == '/')
                slash = p + 1;
        put_str(&o, info.dli_sname ? info.dli_sname : "?");
        put_str(&o, " ");
        if (strlen(slash) < 200)
            put_str(&o, slash);
    } else {
        put_str(&o, "? ?");
    }
    put_str(&o, "\n");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, line, (size_t)(o - line));
        (void)w;
        close(fd);
    }
}

static int should_fail(void)
{
    if (!ready)
        setup();
    calls++;
    if (fail_at && calls == fail_at) {
        failed++;
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    if (should_fail()) {
        note_site(__builtin_return_address(0));
        return NULL;
    }
    void *p = __libc_malloc(n);
    if (p)
        outstanding++;
    return p;
}

void *calloc(size_t n, size_t size)
{
    if (should_fail()) {
        note_site(__builtin_return_address(0));
        return NULL;
    }
    void *p = __libc_calloc(n, size);
    if (p)
        outstanding++;
    return p;
}

void *realloc(void *p, size_t n)
{
    if (p && n == 0) {
        outstanding--;
        return __libc_realloc(p, n);
    }
    if (should_fail()) {
        note_site(__builtin_return_address(0));
        return NULL;
    }
    void *q = __libc_realloc(p, n);
    if (q && !p)
        outstanding++;
    return q;
}

void free(void *p)
{
    if (p)
        outstanding--;
    __libc_free(p);
}

static void put_num(char **o, unsigned long v)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    do
        *--q = (char)('0' + v % 10);
    while (v /= 10);
    while (q < e)
        *(*o)++ = *q++;
}

static void put_str(char **o, const char *s)
{
    while (*s)
        *(*o)++ = *s++;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("INFORME_ALLOC_REPORT");
    if (!path)
        return;
    char line[128], *o = line;
    put_str(&o, "allocations ");
    put_num(&o, calls);
    put_str(&o, " outstanding ");
    put_num(&o, outstanding < 0 ? 0 : (unsigned long)outstanding);
    put_str(&o, " failed ");
    put_num(&o, failed);
    put_str(&o, "\n");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, line, (size_t)(o - line));
        (void)w;
        close(fd);
    }
}
