/* nuevo: a starter template for some CSV files, on standard output or in
 * a new file (written atomically, never over an existing one unless
 * --force). */
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/infile.h"
#include "base/tempfile.h"
#include "cli/commands.h"
#include "cli/help.h"
#include "cli/csvload.h"
#include "cli/starter.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct nuevo_args {
    const char **paths;
    size_t npaths;
    const char *out;
    bool force;
};

static int parse_args(struct arena *a, int argc, char **argv,
                      struct nuevo_args *na)
{
    na->paths = arena_array(a, (size_t)argc, sizeof *na->paths);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            if (i + 1 >= argc)
                return help_usage_error(help_nuevo_usage,
                                        "falta el archivo después de %s", arg);
            na->out = argv[++i];
        } else if (strcmp(arg, "--force") == 0) {
            na->force = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return help_usage_error(help_nuevo_usage, "opción desconocida '%s'",
                                    arg);
        } else {
            na->paths[na->npaths++] = arg;
        }
    }
    if (na->npaths == 0)
        return help_usage_error(help_nuevo_usage, "falta el archivo CSV");
    return EXIT_OK;
}

/* The folder of path ("." when it names none), in a. */
static const char *folder_of(struct arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    return arena_strndup(a, path, slash == path ? 1 : (size_t)(slash - path));
}

/* The path from folder from to file to, both absolute and resolved:
 * "../docs/informe.schema.json". */
static const char *relative_path(struct arena *a, const char *from,
                                 const char *to)
{
    /* common: the last '/' up to which both paths agree */
    size_t i = 0, common = 0;
    while (from[i] && from[i] == to[i]) {
        if (from[i] == '/')
            common = i;
        i++;
    }
    if (from[i] == '\0' && to[i] == '/')
        common = i;
    struct buf b;
    buf_init(&b);
    for (const char *p = from + common; *p; p++)
        if (*p == '/' && p[1] != '\0')
            buf_adds(&b, "../");
    buf_adds(&b, to + common + 1);
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

/* What the template's first line gives yaml-language-server: the path
 * from the template's folder (the current one on standard output) to
 * docs/informe.schema.json in the informe binary's folder or one of the
 * two above it (a build folder), or, when there is none,
 * "informe.schema.json" (a copy beside the template). */
static const char *schema_path(struct arena *a, const char *out)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "informe.schema.json";
    exe[n] = '\0';
    const char *why;
    char *schema = NULL;
    for (int up = 0; up < 3 && !schema; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash)
            break;
        *slash = '\0';
        schema = infile_resolve(
            arena_printf(a, "%s/docs/informe.schema.json", exe), &why);
    }
    char *dir = infile_resolve(out ? folder_of(a, out) : ".", &why);
    const char *r =
        schema && dir ? relative_path(a, dir, schema) : "informe.schema.json";
    free(schema);
    free(dir);
    return r;
}

/* Writes text to path through a temporary file in its folder: a new file
 * (link, which fails when path exists) or, with force, one that replaces
 * it (rename). */
static int write_file(struct arena *a, const char *path, const struct buf *text,
                      bool force)
{
    struct stat st;
    if (lstat(path, &st) == 0 && !force) {
        fprintf(stderr,
                "informe: error: '%s' ya existe; use --force para "
                "reemplazarlo\n",
                path);
        return EXIT_CANTCREAT;
    }
    /* Through a symbolic link, the file it names is replaced. */
    const char *dest = force ? tempfile_target(a, path) : path;
    if (!dest)
        dest = path;
    char *tmp = NULL;
    int fd = tempfile_create(a, folder_of(a, dest), &tmp);
    if (fd < 0)
        goto fail;
    size_t done = 0;
    while (done < text->len) {
        ssize_t w = write(fd, text->data + done, text->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto fail;
        done += (size_t)w;
    }
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
        goto fail;
    int c = close(fd);
    fd = -1;
    if (c != 0)
        goto fail;
    if (force ? rename(tmp, dest) != 0 : link(tmp, dest) != 0)
        goto fail;
    if (!force)
        unlink(tmp);
    tempfile_forget(tmp);
    return EXIT_OK;
fail:;
    int err = errno;
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        tempfile_forget(tmp);
    }
    if (err == EEXIST)
        fprintf(stderr,
                "informe: error: '%s' ya existe; use --force para "
                "reemplazarlo\n",
                path);
    else
        fprintf(stderr, "informe: error: no se puede escribir '%s': %s\n", path,
                strerror(err));
    return EXIT_CANTCREAT;
}

int cmd_nuevo(int argc, char **argv)
{
    struct arena *a = arena_new();
    struct buf out;
    buf_init(&out);
    struct nuevo_args na = {0};
    int rc = parse_args(a, argc, argv, &na);
    if (rc != EXIT_OK)
        goto done;
    struct starter_file *files = arena_array(a, na.npaths, sizeof *files);
    for (size_t i = 0; i < na.npaths; i++) {
        struct rawcsv raw;
        struct table *t = arena_alloc(a, sizeof *t);
        int r = csvload(a, na.paths[i], 0, NULL, 0, &raw, t);
        if (r != EXIT_OK && rc == EXIT_OK)
            rc = r;
        files[i] = (struct starter_file){na.paths[i], t};
    }
    if (rc != EXIT_OK)
        goto done;
    starter_write(a, &out, schema_path(a, na.out), files, na.npaths);
    if (na.out) {
        tempfile_install_signals();
        rc = write_file(a, na.out, &out, na.force);
    } else {
        rc = csvload_emit(&out);
    }
done:
    buf_release(&out);
    arena_free(a);
    return rc;
}
