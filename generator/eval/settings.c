/* eval_settings: the `report:` section into struct doc_settings: paper,
 * orientation, margins, fonts, header and footer, PDF metadata. */
#include "eval/internal.h"

#include <string.h>

struct paper {
    const char *name;
    float w, h;
};

static const struct paper papers[] = {
    {"carta", 612, 792},      {"letter", 612, 792}, {"a4", 595.28f, 841.89f},
    {"oficio", 612, 935.43f}, {"legal", 612, 1008},
};

static bool page_size(struct report *r, const struct tnode *n,
                      struct doc_settings *s)
{
    for (size_t i = 0; i < sizeof papers / sizeof *papers; i++) {
        if (strcmp(n->text, papers[i].name) == 0) {
            s->page_width = papers[i].w;
            s->page_height = papers[i].h;
            return true;
        }
    }
    tree_error(r->d, n,
               "tamaño de página desconocido '%s' (carta, a4, "
               "oficio, legal)",
               n->text);
    return false;
}

static bool orientation(struct report *r, const struct tnode *n,
                        struct doc_settings *s)
{
    const char *o = n->text;
    bool wide = strcmp(o, "horizontal") == 0 || strcmp(o, "landscape") == 0;
    if (!wide && strcmp(o, "vertical") != 0 && strcmp(o, "portrait") != 0) {
        tree_error(r->d, n,
                   "orientación desconocida '%s' (vertical u "
                   "horizontal)",
                   o);
        return false;
    }
    if (wide != (s->page_width > s->page_height)) {
        float w = s->page_width;
        s->page_width = s->page_height;
        s->page_height = w;
    }
    return true;
}

static bool margins(struct report *r, const struct tnode *n,
                    struct doc_settings *s)
{
    if (n->kind == TREE_SCALAR) {
        float m;
        if (!tree_to_length(r->d, n, &m))
            return false;
        s->margin_top = s->margin_right = s->margin_bottom = s->margin_left = m;
        return true;
    }
    static const char *const sides[] = {"top", "right", "bottom", "left"};
    float *dst[] = {&s->margin_top, &s->margin_right, &s->margin_bottom,
                    &s->margin_left};
    bool ok = tree_expect(r->d, n, TREE_MAP);
    for (size_t i = 0; ok && i < 4; i++) {
        const struct tnode *v = tree_get(n, sides[i]);
        if (v)
            ok = tree_to_length(r->d, v, dst[i]);
    }
    return ok;
}

/* The text area the margins leave must hold content: below
 * EVAL_MIN_TEXT_AREA points either way, text would be broken one letter a
 * line and tables could not place a row. The error is the margin
 * setting's (or the page setting's when no margin is given). */
/* One direction of the text area: the page less its two margins must leave
 * EVAL_MIN_TEXT_AREA, else the margins are an error at their setting. */
static bool room_left(struct report *r, const struct tnode *at,
                      const char *sides, const char *dimension, double page,
                      double margins)
{
    if (page - margins >= EVAL_MIN_TEXT_AREA)
        return true;
    tree_error(r->d, at,
               "los márgenes %s (%.1f pt) dejan %.1f pt de %s para el texto "
               "en una página de %.1f pt; se necesitan al menos %.0f pt",
               sides, margins, page - margins, dimension, page,
               EVAL_MIN_TEXT_AREA);
    return false;
}

static bool text_area(struct report *r, const struct tnode *at,
                      const struct doc_settings *s)
{
    return room_left(r, at, "izquierdo y derecho", "ancho",
                     (double)s->page_width,
                     (double)s->margin_left + s->margin_right) &&
           room_left(r, at, "superior e inferior", "alto",
                     (double)s->page_height,
                     (double)s->margin_top + s->margin_bottom);
}

static bool page(struct report *r, const struct tnode *pg,
                 struct doc_settings *s)
{
    const struct tnode *n;
    bool ok = true;
    if ((n = tree_get(pg, "size")) && n->kind == TREE_SCALAR)
        ok = page_size(r, n, s);
    if ((n = tree_get(pg, "orientation")) && n->kind == TREE_SCALAR)
        ok = orientation(r, n, s) && ok;
    if ((n = tree_get(pg, "margin")))
        ok = margins(r, n, s) && ok;
    return ok && text_area(r, n ? n : pg, s);
}

/* Face files named by the template, read from the fonts folder. */
static bool fonts(struct report *r, const struct tnode *f,
                  struct doc_settings *s)
{
    static const char *const keys[FACE_COUNT] = {
        [FACE_REGULAR] = "regular",
        [FACE_BOLD] = "bold",
        [FACE_ITALIC] = "italic",
        [FACE_BOLD_ITALIC] = "bold_italic",
    };
    bool ok = true;
    for (int i = 0; i < FACE_COUNT; i++) {
        const struct tnode *n = tree_get(f, keys[i]);
        if (!n || n->kind != TREE_SCALAR)
            continue;
        const char *dir = s->font_dir;
        /* joined as fontset_load joins it */
        const char *path =
            dir && *dir ? arena_printf(r->a, "%s/%s", dir, n->text) : n->text;
        s->font_file[i] = n->text;
        ok = eval_input_path(r, n, path, "la fuente") && ok;
    }
    return ok;
}

/* header/footer: {left, center, right}, rendered with {page} kept. */
static bool bands(struct report *r, const struct tnode *n, const char **out)
{
    static const char *const keys[3] = {"left", "center", "right"};
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        const struct tnode *v = tree_get(n, keys[i]);
        if (!v)
            continue;
        out[i] = eval_render(r, v, true);
        ok = out[i] != NULL && ok;
    }
    return ok;
}

/* A rendered text field of report:, or def. */
static bool meta(struct report *r, const struct tnode *rep, const char *key,
                 const char **out)
{
    const struct tnode *v = tree_get(rep, key);
    if (!v)
        return true;
    *out = eval_render(r, v, false);
    return *out != NULL;
}

/* A language tag as BCP 47 writes it: a language of 2 or 3 letters and
 * subtags of 1 to 8 letters or digits ("es-CO", "es-419", "en"). */
static bool lang_tag(const char *s)
{
    size_t n = 0, part = 0;
    for (;; s++) {
        bool alpha = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
        if (alpha || (part > 0 && *s >= '0' && *s <= '9')) {
            if (++n > 8)
                return false;
            continue;
        }
        if ((*s != '-' && *s) || n == 0 || (part == 0 && (n < 2 || n > 3)))
            return false;
        if (!*s)
            return true;
        part++;
        n = 0;
    }
}

static bool lang(struct report *r, const struct tnode *n,
                 struct doc_settings *s)
{
    if (!lang_tag(n->text)) {
        tree_error(r->d, n,
                   "'%s' no es una etiqueta de idioma: escriba una como "
                   "es-CO (idioma y país, BCP 47)",
                   n->text);
        return false;
    }
    s->lang = n->text;
    return true;
}

bool eval_settings(struct report *r, struct doc_settings *s)
{
    doc_settings_default(s);
    s->font_dir = r->opt.font_dir ? r->opt.font_dir : "fonts";
    s->created = r->opt.now;
    const struct tnode *rep = tree_get(r->root, "report");
    if (!rep)
        return true;
    bool ok = true;
    s->owner_password = tree_get_text(rep, "password", NULL);
    const struct tnode *n;
    if ((n = tree_get(rep, "page")))
        ok = page(r, n, s) && ok;
    if ((n = tree_get(rep, "fonts")))
        ok = fonts(r, n, s) && ok;
    if ((n = tree_get(rep, "header")))
        ok = bands(r, n, s->header) && ok;
    if ((n = tree_get(rep, "footer")))
        ok = bands(r, n, s->footer) && ok;
    if ((n = tree_get(rep, "lang")))
        ok = lang(r, n, s) && ok;
    ok = meta(r, rep, "title", &s->title) && ok;
    ok = meta(r, rep, "author", &s->author) && ok;
    ok = meta(r, rep, "subject", &s->subject) && ok;
    ok = meta(r, rep, "keywords", &s->keywords) && ok;
    return ok;
}
