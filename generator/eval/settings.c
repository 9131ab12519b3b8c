/* eval_settings: the `report:` section into struct doc_settings: paper,
 * orientation, margins, fonts, header and footer, PDF metadata. */
#include "eval/internal.h"

/* The paper of each word of `size`, portrait. */
static const struct {
    enum tl_word size;
    float w, h;
} papers[] = {
    {TLW_page_size_carta, 612, 792},      {TLW_page_size_letter, 612, 792},
    {TLW_page_size_a4, 595.28f, 841.89f}, {TLW_page_size_oficio, 612, 935.43f},
    {TLW_page_size_legal, 612, 1008},
};

static void page_size(enum tl_word size, struct doc_settings *s)
{
    for (size_t i = 0; i < sizeof papers / sizeof *papers; i++) {
        if (papers[i].size == size) {
            s->page_width = papers[i].w;
            s->page_height = papers[i].h;
        }
    }
}

static void orientation(enum tl_word o, struct doc_settings *s)
{
    bool wide =
        o == TLW_orientation_horizontal || o == TLW_orientation_landscape;
    if (wide != (s->page_width > s->page_height)) {
        float w = s->page_width;
        s->page_width = s->page_height;
        s->page_height = w;
    }
}

/* One length for every side, or the sides given (the others keep their
 * default). */
static void margins(const struct tl_page *pg, struct doc_settings *s)
{
    const struct tl_margin *m = pg->margin.map;
    if (!m) {
        if (pg->margin.len.n)
            s->margin_top = s->margin_right = s->margin_bottom =
                s->margin_left = pg->margin.len.v;
        return;
    }
    const struct tl_len *side[] = {&m->top, &m->right, &m->bottom, &m->left};
    float *dst[] = {&s->margin_top, &s->margin_right, &s->margin_bottom,
                    &s->margin_left};
    for (size_t i = 0; i < 4; i++)
        if (side[i]->n)
            *dst[i] = side[i]->v;
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

static bool page(struct report *r, const struct tl_page *pg,
                 struct doc_settings *s)
{
    page_size(pg->size.v, s);
    orientation(pg->orientation.v, s);
    margins(pg, s);
    const struct tnode *at = pg->margin.map     ? pg->margin.map->node
                             : pg->margin.len.n ? pg->margin.len.n
                                                : pg->node;
    return text_area(r, at, s);
}

/* Face files named by the template, read from the fonts folder. */
static bool fonts(struct report *r, const struct tl_fonts *f,
                  struct doc_settings *s)
{
    const struct tl_str *faces[FACE_COUNT] = {
        [FACE_REGULAR] = &f->regular,
        [FACE_BOLD] = &f->bold,
        [FACE_ITALIC] = &f->italic,
        [FACE_BOLD_ITALIC] = &f->bold_italic,
    };
    bool ok = true;
    for (int i = 0; i < FACE_COUNT; i++) {
        const struct tnode *n = faces[i]->n;
        if (!n)
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

/* A rendered text of report:; *out is left alone when it is absent.
 * keep_page: {page} and {pages} stay for layout (header and footer). */
static bool meta(struct report *r, const struct tl_str *v, bool keep_page,
                 const char **out)
{
    if (!v->n)
        return true;
    *out = eval_render(r, v->n, keep_page);
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

/* header/footer: left, center, right. */
static bool bands(struct report *r, const struct tl_band *b, const char **out)
{
    bool ok = meta(r, &b->left, true, &out[0]);
    ok = meta(r, &b->center, true, &out[1]) && ok;
    return meta(r, &b->right, true, &out[2]) && ok;
}

/* The key of value v in map m (for a message about the key itself). */
static const struct tnode *key_of(const struct tnode *m, const struct tnode *v)
{
    for (size_t i = 0; m && m->kind == TREE_MAP && i < m->n; i++)
        if (m->items[i] == v)
            return m->keys[i];
    return v;
}

/* report.pdf, or --pdf over it (rep may be NULL). PDF/A forbids encryption: a
 * password with PDF/A is an error at the password's key. */
static bool pdf_mode(struct report *r, const struct tl_report *rep,
                     struct doc_settings *s)
{
    enum tl_word mode = r->opt.pdf ? tl_word_find(TLS_pdf, r->opt.pdf)
                        : rep      ? rep->pdf.v
                                   : TLW_NONE;
    s->pdfa = mode == TLW_pdf_pdfa_1b;
    if (s->pdfa && rep && rep->password.n) {
        tree_error(r->d, key_of(rep->node, rep->password.n),
                   "un PDF/A no admite contraseña: PDF/A-1b prohíbe el "
                   "cifrado; quite 'password' o pida el PDF normal");
        return false;
    }
    return true;
}

void eval_settings_title_warning(struct report *r, const struct doc_settings *s)
{
    const struct tl_report *rep = r->tpl->report;
    if (s->title && *s->title)
        return;
    const struct tnode *at = rep && rep->title.n ? rep->title.n
                             : rep && rep->node  ? key_of(r->root, rep->node)
                                                 : r->root;
    diag_warning(r->d, at->file, at->line, at->col,
                 "el informe no tiene título: el PDF etiquetado mostraría el "
                 "nombre del archivo y un lector de pantalla no anunciaría "
                 "ninguno; escriba 'title' en 'report'");
}

bool eval_settings(struct report *r, struct doc_settings *s)
{
    doc_settings_default(s);
    s->font_dir = r->opt.font_dir ? r->opt.font_dir : "fonts";
    s->created = r->opt.now;
    const struct tl_report *rep = r->tpl->report;
    bool ok = pdf_mode(r, rep, s);
    if (!rep)
        return ok;
    s->owner_password = rep->password.v;
    if (rep->page)
        ok = page(r, rep->page, s) && ok;
    if (rep->fonts)
        ok = fonts(r, rep->fonts, s) && ok;
    if (rep->header)
        ok = bands(r, rep->header, s->header) && ok;
    if (rep->footer)
        ok = bands(r, rep->footer, s->footer) && ok;
    if (rep->lang.n)
        ok = lang(r, rep->lang.n, s) && ok;
    ok = meta(r, &rep->title, false, &s->title) && ok;
    ok = meta(r, &rep->author, false, &s->author) && ok;
    ok = meta(r, &rep->subject, false, &s->subject) && ok;
    ok = meta(r, &rep->keywords, false, &s->keywords) && ok;
    return ok;
}
