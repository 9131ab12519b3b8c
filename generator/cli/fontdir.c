/* fontdir: where the fonts are (cli/fontdir.h). */
#include "cli/fontdir.h"
#include "base/infile.h"
#include "doc/doc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The installed fonts of the prefix the Makefile was given. */
#ifndef INFORME_FONTDIR
#define INFORME_FONTDIR "/usr/local/share/informe/fonts"
#endif

static void add(struct fontdir_place *out, size_t *n, const char *dir,
                const char *why)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(out[i].dir, dir) == 0)
            return;
    out[(*n)++] = (struct fontdir_place){dir, why};
}

/* The folder of the running binary (symbolic links resolved), or NULL. */
static char *exe_dir(struct arena *a)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return arena_strdup(a, exe);
}

size_t fontdir_places(struct arena *a, const char *given,
                      struct fontdir_place out[FONTDIR_MAX])
{
    size_t n = 0;
    if (given) {
        add(out, &n, given, "--fonts");
        return n;
    }
    const char *env = getenv("INFORME_FONTS");
    if (env && *env) {
        add(out, &n, env, "INFORME_FONTS");
        return n;
    }
    add(out, &n, "fonts", "la carpeta actual");
    char *bin = exe_dir(a);
    if (bin) {
        add(out, &n, arena_printf(a, "%s/fonts", bin), "junto al programa");
        /* bin/.. written without "..": /usr/bin -> /usr */
        char *up = strrchr(bin, '/');
        if (up)
            *up = '\0';
        add(out, &n, arena_printf(a, "%s/share/informe/fonts", bin),
            "relativa al programa");
    }
    add(out, &n, INFORME_FONTDIR, "prefijo de instalación");
    return n;
}

const char *fontdir_find(struct arena *a, const char *given,
                         const struct tnode *root, struct diag *d)
{
    struct doc_settings def;
    doc_settings_default(&def);
    const struct tnode *named =
        tree_get(tree_get(tree_get(root, "report"), "fonts"), "regular");
    if (named && named->kind != TREE_SCALAR)
        named = NULL;
    const char *face = named ? named->text : def.font_file[FACE_REGULAR];

    struct fontdir_place places[FONTDIR_MAX];
    size_t n = fontdir_places(a, given, places);
    struct stat st;
    for (size_t i = 0; i < n; i++) {
        const char *path = arena_printf(a, "%s/%s", places[i].dir, face);
        infile_notice(path); /* render --watch: fonts put there later */
        if (stat(path, &st) == 0)
            return places[i].dir;
    }

    diag_error_code(d, EXIT_NOINPUT, named ? named->file : NULL,
                    named ? named->line : 0, named ? named->col : 0,
                    "no se encuentra la fuente '%s' en ninguna carpeta de "
                    "fuentes; dé la carpeta con --fonts DIR o con la "
                    "variable INFORME_FONTS",
                    face);
    for (size_t i = 0; i < n; i++)
        diag_note(d, NULL, 0, 0, "se buscó en '%s' (%s)", places[i].dir,
                  places[i].why);
    return NULL;
}
