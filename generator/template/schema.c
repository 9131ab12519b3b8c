/* schema: the template language as tables of allowed keys and value kinds,
 * and the walk that checks a template tree against them. */
#include "template/schema.h"
#include "data/suggest.h"

#include <stdio.h>
#include <string.h>

/* Sections nest; past this depth a template is surely wrong (and a
 * crafted one must not exhaust the stack). */
#define SCHEMA_MAX_DEPTH 32

struct chk {
    struct diag *d;
    const struct tnode *data;   /* the `data` map, or NULL */
    const struct tnode *styles; /* the `styles` map, or NULL */
    unsigned depth;
};

enum vk {
    VK_TEXT,   /* a scalar */
    VK_BOOL,   /* true/false */
    VK_INT,    /* an integer within [min, max] */
    VK_NUMBER, /* a decimal number */
    VK_LENGTH, /* 2cm, 20mm, 56.7pt, 1in, points */
    VK_WIDTH,  /* a length or a percent of the text width */
    VK_COLOR,  /* "#RRGGBB" */
    VK_ENUM,   /* one of words */
    VK_MAP,    /* a map checked against ctx */
    VK_MAPS,   /* a list of maps, each checked against ctx */
    VK_NAMES,  /* a name or a list of names */
    VK_TEXTS,  /* a list of texts */
    VK_DATA,   /* the name of a data source */
    VK_STYLE,  /* the name of a style */
    VK_FN,     /* checked by fn */
};

struct ctx;
typedef void (*check_fn)(struct chk *c, const struct tnode *n, const char *key);

struct key {
    const char *name;
    enum vk kind;
    bool required;
    const char *const *words; /* VK_ENUM, NULL-terminated */
    const struct ctx *map;    /* VK_MAP, VK_MAPS */
    check_fn fn;              /* VK_FN */
    long min, max;            /* VK_INT */
};

struct ctx {
    const char *name; /* how messages name the map: 'table' */
    const struct key *keys;
    /* Checks between keys, after each key is checked; may be NULL. */
    void (*post)(struct chk *c, const struct tnode *map, const char *where);
};

/* ---- small helpers ---- */

static bool blank(const struct tnode *n)
{
    return n->kind == TREE_SCALAR && !n->quoted && n->len == 0;
}

static const char *found(const struct tnode *n)
{
    if (blank(n))
        return "pero el valor está vacío";
    if (n->kind == TREE_MAP)
        return "y se encontró un mapa";
    if (n->kind == TREE_SEQ)
        return "y se encontró una lista";
    return "y se encontró un texto";
}

/* "en 'table'", or "en el nivel superior" for the top of the template. */
static void where_text(char *out, size_t size, const char *where)
{
    if (*where)
        snprintf(out, size, "en '%s'", where);
    else
        snprintf(out, size, "en el nivel superior de la plantilla");
}

static size_t nkeys(const struct key *k)
{
    size_t n = 0;
    while (k[n].name)
        n++;
    return n;
}

static const struct key *find_key(const struct ctx *x, const char *name)
{
    for (const struct key *k = x->keys; k->name; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

/* "a, b, c" into out (truncated when long). */
static void join_words(char *out, size_t size, const char *const *w, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int k = snprintf(out + used, size - used, "%s%s", i ? ", " : "", w[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

static void unknown_key(struct chk *c, const struct tnode *key,
                        const struct ctx *x, const char *where)
{
    const char *names[64];
    size_t n = nkeys(x->keys);
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < n; i++)
        names[i] = x->keys[i].name;
    char at[160];
    where_text(at, sizeof at, where);
    const char *near = suggest_closest(key->text, names, n);
    if (near) {
        tree_error(c->d, key, "clave desconocida '%s' %s; ¿quiso decir '%s'?",
                   key->text, at, near);
        return;
    }
    char list[600];
    join_words(list, sizeof list, names, n);
    tree_error(c->d, key, "clave desconocida '%s' %s; claves admitidas: %s",
               key->text, at, list);
}

/* A reference to a name defined under `data` or `styles`. */
static void check_ref(struct chk *c, const struct tnode *n, const char *key,
                      const struct tnode *defs, const char *noun,
                      const char *undef, const char *section)
{
    if (n->kind != TREE_SCALAR || blank(n)) {
        tree_error(c->d, n, "se esperaba el nombre de %s en '%s' %s", noun, key,
                   found(n));
        return;
    }
    if (tree_get(defs, n->text))
        return;
    if (!defs || defs->kind != TREE_MAP || defs->n == 0) {
        tree_error(c->d, n, "%s '%s' %s: la plantilla no tiene '%s'", noun,
                   n->text, undef, section);
        return;
    }
    const char *names[256];
    size_t k = defs->n < 256 ? defs->n : 256;
    for (size_t i = 0; i < k; i++)
        names[i] = defs->keys[i]->text;
    const char *near = suggest_closest(n->text, names, k);
    if (near)
        tree_error(c->d, n, "%s '%s' %s; ¿quiso decir '%s'?", noun, n->text,
                   undef, near);
    else
        tree_error(c->d, n, "%s '%s' %s en '%s'", noun, n->text, undef,
                   section);
}

/* label says where the value is: "en 'size'", "para la columna 'meta'". */
static void enum_in(struct chk *c, const struct tnode *n, const char *label,
                    const char *const *words)
{
    size_t nw = 0;
    while (words[nw])
        nw++;
    char list[300];
    join_words(list, sizeof list, words, nw);
    if (n->kind != TREE_SCALAR || blank(n)) {
        tree_error(c->d, n, "se esperaba uno de %s %s %s", list, label,
                   found(n));
        return;
    }
    for (size_t i = 0; i < nw; i++)
        if (strcmp(n->text, words[i]) == 0)
            return;
    const char *near = suggest_closest(n->text, words, nw);
    if (near)
        tree_error(c->d, n, "valor desconocido '%s' %s; ¿quiso decir '%s'?",
                   n->text, label, near);
    else
        tree_error(c->d, n, "valor desconocido '%s' %s; valores admitidos: %s",
                   n->text, label, list);
}

static void check_enum(struct chk *c, const struct tnode *n, const char *key,
                       const char *const *words)
{
    char label[160];
    snprintf(label, sizeof label, "en '%s'", key);
    enum_in(c, n, label, words);
}

static bool is_text(struct chk *c, const struct tnode *n)
{
    if (n->kind == TREE_SCALAR)
        return true;
    tree_error(c->d, n, "se esperaba un texto %s", found(n));
    return false;
}

/* A percent of the text width ("40%") or a length. */
static void check_width(struct chk *c, const struct tnode *n)
{
    float pt;
    if (n->kind == TREE_SCALAR && n->len > 1 && n->text[n->len - 1] == '%') {
        size_t k = 0;
        bool dot = false, ok = true;
        for (; k + 1 < n->len && ok; k++) {
            char ch = n->text[k];
            if (ch == '.' && !dot)
                dot = true;
            else if (ch < '0' || ch > '9')
                ok = ok && (ch == ' ' && k + 2 == n->len);
        }
        if (ok && n->text[0] != '.' && n->text[0] != ' ') {
            /* Digits only; the value must be a share of the width. */
            double v = 0, scale = 0;
            for (k = 0; k + 1 < n->len; k++) {
                char ch = n->text[k];
                if (ch == '.')
                    scale = 1;
                else if (ch >= '0' && ch <= '9') {
                    v = v * 10 + (ch - '0');
                    if (scale)
                        scale *= 10;
                }
            }
            if (scale)
                v /= scale;
            if (v > 0 && v <= 100)
                return;
        }
        tree_error(c->d, n,
                   "porcentaje de ancho no válido '%s' (de 1%% a 100%%)",
                   n->text);
        return;
    }
    tree_to_length(c->d, n, &pt);
}

static void check_map(struct chk *c, const struct tnode *n, const struct ctx *x,
                      const char *where);

static void check_value(struct chk *c, const struct key *k,
                        const struct tnode *n)
{
    bool b;
    long l;
    double v;
    float f;
    unsigned u;
    switch (k->kind) {
    case VK_TEXT:
        if (is_text(c, n) && k->required && blank(n))
            tree_error(c->d, n, "falta el valor de '%s'", k->name);
        break;
    case VK_BOOL:
        tree_to_bool(c->d, n, &b);
        break;
    case VK_INT:
        tree_to_long(c->d, n, k->min, k->max, &l);
        break;
    case VK_NUMBER:
        tree_to_double(c->d, n, &v);
        break;
    case VK_LENGTH:
        tree_to_length(c->d, n, &f);
        break;
    case VK_WIDTH:
        check_width(c, n);
        break;
    case VK_COLOR:
        tree_to_color(c->d, n, &u);
        break;
    case VK_ENUM:
        check_enum(c, n, k->name, k->words);
        break;
    case VK_MAP:
        check_map(c, n, k->map, k->map->name);
        break;
    case VK_MAPS:
        if (n->kind != TREE_SEQ) {
            tree_error(c->d, n, "se esperaba una lista en '%s' %s", k->name,
                       found(n));
            break;
        }
        for (size_t i = 0; i < n->n && !diag_full(c->d); i++)
            check_map(c, n->items[i], k->map, k->map->name);
        break;
    case VK_NAMES:
        if (n->kind == TREE_SEQ) {
            for (size_t i = 0; i < n->n; i++)
                is_text(c, n->items[i]);
        } else if (n->kind != TREE_SCALAR || blank(n)) {
            tree_error(c->d, n,
                       "se esperaba un nombre o una lista de nombres "
                       "%s",
                       found(n));
        }
        break;
    case VK_TEXTS:
        if (n->kind != TREE_SEQ) {
            tree_error(c->d, n, "se esperaba una lista de textos en '%s' %s",
                       k->name, found(n));
            break;
        }
        for (size_t i = 0; i < n->n; i++)
            is_text(c, n->items[i]);
        break;
    case VK_DATA:
        check_ref(c, n, k->name, c->data, "fuente de datos", "no definida",
                  "data");
        break;
    case VK_STYLE:
        check_ref(c, n, k->name, c->styles, "estilo", "no definido", "styles");
        break;
    case VK_FN:
        k->fn(c, n, k->name);
        break;
    }
}

static void check_map(struct chk *c, const struct tnode *n, const struct ctx *x,
                      const char *where)
{
    if (n->kind != TREE_MAP) {
        char at[160];
        where_text(at, sizeof at, where);
        tree_error(c->d, n, "se esperaba un mapa (clave: valor) %s %s", at,
                   found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        const struct key *k = find_key(x, n->keys[i]->text);
        if (k)
            check_value(c, k, n->items[i]);
        else
            unknown_key(c, n->keys[i], x, where);
    }
    for (const struct key *k = x->keys; k->name; k++) {
        if (k->required && !tree_get(n, k->name)) {
            char at[160];
            where_text(at, sizeof at, where);
            tree_error(c->d, n, "falta la clave '%s' %s", k->name, at);
        }
    }
    if (x->post)
        x->post(c, n, where);
}

/* A map whose keys are free names and whose values are texts: rename,
 * compute, aggregate, join.columns. */
static void check_text_map(struct chk *c, const struct tnode *n,
                           const char *key)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa (nombre: valor) en '%s' %s",
                   key, found(n));
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (is_text(c, n->items[i]) && blank(n->items[i]))
            tree_error(c->d, n->items[i], "falta el valor de '%s'",
                       n->keys[i]->text);
    }
}

/* ---- report ---- */

static const char *const page_sizes[] = {"carta",  "letter", "a4",
                                         "oficio", "legal",  NULL};
static const char *const orientations[] = {"vertical", "horizontal", "portrait",
                                           "landscape", NULL};
static const char *const aligns[] = {"left", "center", "right", NULL};
static const char *const types[] = {"text", "integer", "number", "percent",
                                    "date", "money",   NULL};

static const struct ctx margin_ctx = {
    "report.page.margin",
    (const struct key[]){{.name = "top", .kind = VK_LENGTH},
                         {.name = "right", .kind = VK_LENGTH},
                         {.name = "bottom", .kind = VK_LENGTH},
                         {.name = "left", .kind = VK_LENGTH},
                         {0}},
    NULL};

static void check_margin(struct chk *c, const struct tnode *n, const char *key)
{
    float f;
    (void)key;
    if (n->kind == TREE_MAP)
        check_map(c, n, &margin_ctx, margin_ctx.name);
    else
        tree_to_length(c->d, n, &f);
}

static const struct ctx page_ctx = {
    "report.page",
    (const struct key[]){
        {.name = "size", .kind = VK_ENUM, .words = page_sizes},
        {.name = "orientation", .kind = VK_ENUM, .words = orientations},
        {.name = "margin", .kind = VK_FN, .fn = check_margin},
        {0}},
    NULL};

static const struct ctx fonts_ctx = {
    "report.fonts",
    (const struct key[]){{.name = "regular", .kind = VK_TEXT},
                         {.name = "bold", .kind = VK_TEXT},
                         {.name = "italic", .kind = VK_TEXT},
                         {.name = "bold_italic", .kind = VK_TEXT},
                         {0}},
    NULL};

static const struct key band_keys[] = {{.name = "left", .kind = VK_TEXT},
                                       {.name = "center", .kind = VK_TEXT},
                                       {.name = "right", .kind = VK_TEXT},
                                       {0}};
static const struct ctx header_ctx = {"report.header", band_keys, NULL};
static const struct ctx footer_ctx = {"report.footer", band_keys, NULL};

static const struct ctx report_ctx = {
    "report",
    (const struct key[]){{.name = "title", .kind = VK_TEXT},
                         {.name = "subtitle", .kind = VK_TEXT},
                         {.name = "author", .kind = VK_TEXT},
                         {.name = "subject", .kind = VK_TEXT},
                         {.name = "keywords", .kind = VK_TEXT},
                         {.name = "page", .kind = VK_MAP, .map = &page_ctx},
                         {.name = "fonts", .kind = VK_MAP, .map = &fonts_ctx},
                         {.name = "header", .kind = VK_MAP, .map = &header_ctx},
                         {.name = "footer", .kind = VK_MAP, .map = &footer_ctx},
                         {.name = "logo", .kind = VK_TEXT},
                         {.name = "password", .kind = VK_TEXT},
                         {.name = "percent_space", .kind = VK_BOOL},
                         {.name = "output", .kind = VK_TEXT},
                         {0}},
    NULL};

/* ---- params ---- */

static const struct ctx param_ctx = {
    "params",
    (const struct key[]){{.name = "type", .kind = VK_ENUM, .words = types},
                         {.name = "default", .kind = VK_TEXT},
                         {0}},
    NULL};

static void check_params(struct chk *c, const struct tnode *n, const char *key)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa de parámetros en '%s' %s", key,
                   found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        const struct tnode *v = n->items[i];
        char where[160];
        snprintf(where, sizeof where, "params.%s", n->keys[i]->text);
        if (v->kind == TREE_MAP)
            check_map(c, v, &param_ctx, where);
        else if (v->kind == TREE_SEQ)
            tree_error(c->d, v,
                       "se esperaba un valor o un mapa {type, default} en "
                       "'%s' y se encontró una lista",
                       where);
    }
}

/* ---- data ---- */

static void check_column_types(struct chk *c, const struct tnode *n,
                               const char *key)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa (columna: tipo) en '%s' %s",
                   key, found(n));
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        char label[160];
        snprintf(label, sizeof label, "como tipo de la columna '%s'",
                 n->keys[i]->text);
        enum_in(c, n->items[i], label, types);
    }
}

static const struct ctx join_on_ctx = {
    "join.on",
    (const struct key[]){{.name = "left", .kind = VK_TEXT, .required = true},
                         {.name = "right", .kind = VK_TEXT, .required = true},
                         {0}},
    NULL};

static void check_join_on(struct chk *c, const struct tnode *n, const char *key)
{
    if (n->kind == TREE_MAP) {
        check_map(c, n, &join_on_ctx, join_on_ctx.name);
        return;
    }
    struct key k = {.name = key, .kind = VK_NAMES};
    check_value(c, &k, n);
}

static const struct ctx join_ctx = {
    "join",
    (const struct key[]){
        {.name = "data", .kind = VK_DATA, .required = true},
        {.name = "on", .kind = VK_FN, .required = true, .fn = check_join_on},
        {.name = "columns", .kind = VK_FN, .fn = check_text_map},
        {.name = "prefix", .kind = VK_TEXT},
        {0}},
    NULL};

static const struct ctx unpivot_ctx = {
    "unpivot",
    (const struct key[]){{.name = "columns", .kind = VK_TEXT, .required = true},
                         {.name = "name", .kind = VK_TEXT},
                         {.name = "value", .kind = VK_TEXT},
                         {.name = "code", .kind = VK_TEXT},
                         {.name = "code_name", .kind = VK_TEXT},
                         {0}},
    NULL};

static void source_post(struct chk *c, const struct tnode *map,
                        const char *where);

static const struct ctx source_ctx = {
    "data",
    (const struct key[]){
        {.name = "file", .kind = VK_TEXT},
        {.name = "from", .kind = VK_DATA},
        {.name = "delimiter", .kind = VK_TEXT},
        {.name = "columns", .kind = VK_FN, .fn = check_column_types},
        {.name = "rename", .kind = VK_FN, .fn = check_text_map},
        {.name = "unpivot", .kind = VK_MAP, .map = &unpivot_ctx},
        {.name = "join", .kind = VK_MAP, .map = &join_ctx},
        {.name = "compute", .kind = VK_FN, .fn = check_text_map},
        {.name = "where", .kind = VK_TEXT, .required = false},
        {.name = "group_by", .kind = VK_NAMES},
        {.name = "aggregate", .kind = VK_FN, .fn = check_text_map},
        {.name = "sort", .kind = VK_NAMES},
        {.name = "limit", .kind = VK_INT, .min = 0, .max = 1000000000L},
        {.name = "burst", .kind = VK_BOOL},
        {0}},
    source_post};

static void source_post(struct chk *c, const struct tnode *map,
                        const char *where)
{
    const char *name = strchr(where, '.') ? strchr(where, '.') + 1 : where;
    const struct tnode *file = tree_get(map, "file");
    const struct tnode *from = tree_get(map, "from");
    if (!file && !from)
        tree_error(c->d, map, "la fuente '%s' necesita 'file' o 'from'", name);
    if (file && from)
        tree_error(c->d, from,
                   "la fuente '%s' tiene 'file' y 'from'; use solo uno", name);
    const struct tnode *delim = tree_get(map, "delimiter");
    if (delim && delim->kind == TREE_SCALAR &&
        !(strcmp(delim->text, ",") == 0 || strcmp(delim->text, ";") == 0 ||
          strcmp(delim->text, "\t") == 0 || strcmp(delim->text, "\\t") == 0 ||
          strcmp(delim->text, "tab") == 0 || strcmp(delim->text, "|") == 0))
        tree_error(c->d, delim,
                   "separador no admitido '%s'; use \",\", \";\", \"|\" o tab",
                   delim->text);
    /* A source derived from itself, directly or through others, could
     * never be read: follow the `from` chain (bounded by the number of
     * sources, so a cycle elsewhere cannot loop here). */
    const struct tnode *cur = from;
    for (size_t i = 0;
         cur && cur->kind == TREE_SCALAR && c->data && i <= c->data->n; i++) {
        if (strcmp(cur->text, name) == 0) {
            tree_error(c->d, from, "la fuente '%s' se deriva de sí misma",
                       name);
            break;
        }
        cur = tree_get(tree_get(c->data, cur->text), "from");
    }
}

static void check_data(struct chk *c, const struct tnode *n, const char *key)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n,
                   "se esperaba un mapa de fuentes de datos en '%s' %s", key,
                   found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        char where[160];
        snprintf(where, sizeof where, "data.%s", n->keys[i]->text);
        check_map(c, n->items[i], &source_ctx, where);
    }
}

/* ---- styles ---- */

static const struct ctx threshold_ctx = {
    "styles",
    (const struct key[]){{.name = "min", .kind = VK_NUMBER},
                         {.name = "fill", .kind = VK_COLOR},
                         {.name = "label", .kind = VK_TEXT},
                         {0}},
    NULL};

static void check_styles(struct chk *c, const struct tnode *n, const char *key)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa de estilos en '%s' %s", key,
                   found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        const struct tnode *list = n->items[i];
        const char *name = n->keys[i]->text;
        if (list->kind != TREE_SEQ) {
            tree_error(c->d, list,
                       "se esperaba una lista de umbrales en el estilo '%s' "
                       "%s",
                       name, found(list));
            continue;
        }
        if (list->n == 0)
            tree_error(c->d, list, "el estilo '%s' no tiene umbrales", name);
        char where[160];
        snprintf(where, sizeof where, "styles.%s", name);
        for (size_t j = 0; j < list->n; j++) {
            const struct tnode *t = list->items[j];
            check_map(c, t, &threshold_ctx, where);
            if (t->kind == TREE_MAP && !tree_get(t, "min") && j + 1 < list->n)
                diag_warning(c->d, list->items[j + 1]->file,
                             list->items[j + 1]->line, list->items[j + 1]->col,
                             "este umbral nunca se usa: el anterior no tiene "
                             "'min' y acepta todos los valores");
        }
    }
}

/* ---- body ---- */

static void check_blocks(struct chk *c, const struct tnode *n, const char *key);

static const struct ctx cover_ctx = {
    "cover",
    (const struct key[]){{.name = "title", .kind = VK_TEXT},
                         {.name = "subtitle", .kind = VK_TEXT},
                         {.name = "logo", .kind = VK_TEXT},
                         {.name = "lines", .kind = VK_TEXTS},
                         {0}},
    NULL};

static const struct ctx toc_ctx = {
    "toc",
    (const struct key[]){{.name = "title", .kind = VK_TEXT},
                         {.name = "levels", .kind = VK_INT, .min = 1, .max = 6},
                         {0}},
    NULL};

static const struct ctx section_ctx = {
    "section",
    (const struct key[]){{.name = "title", .kind = VK_TEXT, .required = true},
                         {.name = "content", .kind = VK_FN, .fn = check_blocks},
                         {.name = "number", .kind = VK_BOOL},
                         {.name = "new_page", .kind = VK_BOOL},
                         {0}},
    NULL};

static const struct ctx heading_ctx = {
    "heading",
    (const struct key[]){{.name = "title", .kind = VK_TEXT, .required = true},
                         {.name = "level", .kind = VK_INT, .min = 1, .max = 6},
                         {.name = "number", .kind = VK_BOOL},
                         {0}},
    NULL};

static const struct ctx text_ctx = {
    "text",
    (const struct key[]){{.name = "text", .kind = VK_TEXT, .required = true},
                         {.name = "align", .kind = VK_ENUM, .words = aligns},
                         {0}},
    NULL};

static const struct ctx list_ctx = {
    "list",
    (const struct key[]){{.name = "items", .kind = VK_TEXTS, .required = true},
                         {.name = "numbered", .kind = VK_BOOL},
                         {0}},
    NULL};

static const char *const col_styles[] = {"normal", "bold", "italic",
                                         "bold_italic", NULL};

static void column_post(struct chk *c, const struct tnode *map,
                        const char *where)
{
    (void)where;
    bool f = tree_get(map, "field") != NULL, v = tree_get(map, "value") != NULL;
    if (!f && !v)
        tree_error(c->d, map, "la columna necesita 'field' o 'value'");
    else if (f && v)
        tree_error(c->d, tree_get(map, "value"),
                   "la columna tiene 'field' y 'value'; use solo uno");
}

static const struct ctx column_ctx = {
    "table.columns",
    (const struct key[]){
        {.name = "field", .kind = VK_TEXT, .required = false},
        {.name = "value", .kind = VK_TEXT},
        {.name = "title", .kind = VK_TEXT},
        {.name = "width", .kind = VK_WIDTH},
        {.name = "align", .kind = VK_ENUM, .words = aligns},
        {.name = "format", .kind = VK_TEXT},
        {.name = "fill", .kind = VK_STYLE},
        {.name = "style", .kind = VK_ENUM, .words = col_styles},
        {0}},
    column_post};

static const struct ctx table_ctx = {
    "table",
    (const struct key[]){
        {.name = "data", .kind = VK_DATA, .required = true},
        {.name = "where", .kind = VK_TEXT},
        {.name = "sort", .kind = VK_NAMES},
        {.name = "limit", .kind = VK_INT, .min = 0, .max = 1000000000L},
        {.name = "caption", .kind = VK_TEXT},
        {.name = "zebra", .kind = VK_BOOL},
        {.name = "columns", .kind = VK_MAPS, .map = &column_ctx},
        {.name = "group_by", .kind = VK_TEXT},
        {.name = "subtotals", .kind = VK_TEXTS},
        {.name = "total", .kind = VK_TEXT},
        {0}},
    NULL};

static const char *const chart_types[] = {"bar", NULL};
static const char *const chart_orient[] = {"vertical", "horizontal", NULL};
static const char *const chart_modes[] = {"grouped", "stacked", NULL};
static const char *const chart_labels[] = {"normal", "numbered", "wrap", NULL};

static const struct ctx series_ctx = {
    "chart.series",
    (const struct key[]){{.name = "value", .kind = VK_TEXT, .required = true},
                         {.name = "label", .kind = VK_TEXT},
                         {.name = "color", .kind = VK_COLOR},
                         {0}},
    NULL};

static bool number_of(const struct tnode *map, const char *key, double *out)
{
    struct diag quiet;
    diag_init(&quiet);
    const struct tnode *n = tree_get(map, key);
    bool ok = n && tree_to_double(&quiet, n, out);
    diag_release(&quiet);
    return ok;
}

static void axis_post(struct chk *c, const struct tnode *map, const char *where)
{
    (void)where;
    double lo, hi, step;
    if (number_of(map, "min", &lo) && number_of(map, "max", &hi) && lo >= hi)
        tree_error(c->d, tree_get(map, "max"),
                   "'max' debe ser mayor que 'min' en 'chart.axis'");
    if (number_of(map, "step", &step) && step <= 0)
        tree_error(c->d, tree_get(map, "step"),
                   "'step' debe ser mayor que cero en 'chart.axis'");
}

static const struct ctx axis_ctx = {
    "chart.axis",
    (const struct key[]){{.name = "min", .kind = VK_NUMBER},
                         {.name = "max", .kind = VK_NUMBER},
                         {.name = "step", .kind = VK_NUMBER},
                         {0}},
    axis_post};

static const struct ctx target_ctx = {
    "chart.target",
    (const struct key[]){{.name = "value", .kind = VK_NUMBER, .required = true},
                         {.name = "label", .kind = VK_TEXT},
                         {0}},
    NULL};

static const struct ctx chart_ctx = {
    "chart",
    (const struct key[]){
        {.name = "type", .kind = VK_ENUM, .words = chart_types},
        {.name = "orientation", .kind = VK_ENUM, .words = chart_orient},
        {.name = "mode", .kind = VK_ENUM, .words = chart_modes},
        {.name = "data", .kind = VK_DATA, .required = true},
        {.name = "category", .kind = VK_TEXT, .required = true},
        {.name = "series",
         .kind = VK_MAPS,
         .required = true,
         .map = &series_ctx},
        {.name = "caption", .kind = VK_TEXT},
        {.name = "axis", .kind = VK_MAP, .map = &axis_ctx},
        {.name = "format", .kind = VK_TEXT},
        {.name = "target", .kind = VK_MAP, .map = &target_ctx},
        {.name = "fill", .kind = VK_STYLE},
        {.name = "labels", .kind = VK_ENUM, .words = chart_labels},
        {.name = "legend", .kind = VK_BOOL},
        {.name = "height", .kind = VK_LENGTH},
        {.name = "where", .kind = VK_TEXT},
        {.name = "sort", .kind = VK_NAMES},
        {.name = "limit", .kind = VK_INT, .min = 0, .max = 1000000000L},
        {0}},
    NULL};

static const struct ctx image_ctx = {
    "image",
    (const struct key[]){{.name = "file", .kind = VK_TEXT, .required = true},
                         {.name = "width", .kind = VK_LENGTH},
                         {.name = "height", .kind = VK_LENGTH},
                         {.name = "align", .kind = VK_ENUM, .words = aligns},
                         {0}},
    NULL};

/* What the value of a block key may be. */
enum form {
    FORM_MAP,      /* the options map (table, chart) */
    FORM_OPTIONAL, /* the options map, or nothing (cover, toc) */
    FORM_TEXT,     /* a text standing for the main option, or the map */
    FORM_LIST,     /* a list of texts, or the map (list) */
    FORM_BOOL,     /* page_break */
    FORM_LENGTH,   /* space */
};

struct block_kind {
    const char *name;
    enum form form;
    const struct ctx *opts;
    /* Options that may also be written beside the block key, as in
     * `- section: Plan` followed by `content:`. */
    const char *const *beside;
};

static const char *const none[] = {NULL};
static const char *const section_beside[] = {"content", "number", "new_page",
                                             NULL};
static const char *const heading_beside[] = {"level", "number", NULL};
static const char *const text_beside[] = {"align", NULL};
static const char *const list_beside[] = {"numbered", NULL};
static const char *const image_beside[] = {"width", "height", "align", NULL};

static const struct block_kind blocks[] = {
    {"cover", FORM_OPTIONAL, &cover_ctx, none},
    {"toc", FORM_OPTIONAL, &toc_ctx, none},
    {"section", FORM_TEXT, &section_ctx, section_beside},
    {"heading", FORM_TEXT, &heading_ctx, heading_beside},
    {"text", FORM_TEXT, &text_ctx, text_beside},
    {"list", FORM_LIST, &list_ctx, list_beside},
    {"table", FORM_MAP, &table_ctx, none},
    {"chart", FORM_MAP, &chart_ctx, none},
    {"page_break", FORM_BOOL, NULL, none},
    {"space", FORM_LENGTH, NULL, none},
    {"image", FORM_TEXT, &image_ctx, image_beside},
};
#define NBLOCKS (sizeof blocks / sizeof *blocks)

static const struct block_kind *block_kind(const char *name)
{
    for (size_t i = 0; i < NBLOCKS; i++)
        if (strcmp(blocks[i].name, name) == 0)
            return &blocks[i];
    return NULL;
}

static bool in_words(const char *const *w, const char *s)
{
    for (; *w; w++)
        if (strcmp(*w, s) == 0)
            return true;
    return false;
}

static void block_value(struct chk *c, const struct block_kind *bk,
                        const struct tnode *v)
{
    bool b;
    float f;
    switch (bk->form) {
    case FORM_OPTIONAL:
        if (blank(v))
            return;
        /* fall through */
    case FORM_MAP:
        check_map(c, v, bk->opts, bk->name);
        return;
    case FORM_TEXT:
        if (v->kind == TREE_MAP)
            check_map(c, v, bk->opts, bk->name);
        else if (v->kind != TREE_SCALAR)
            tree_error(c->d, v, "se esperaba un texto o un mapa en '%s' %s",
                       bk->name, found(v));
        return;
    case FORM_LIST:
        if (v->kind == TREE_MAP)
            check_map(c, v, bk->opts, bk->name);
        else {
            /* `- list: [...]`: the list is the items, named as written. */
            struct key items = *find_key(bk->opts, "items");
            items.name = bk->name;
            check_value(c, &items, v);
        }
        return;
    case FORM_BOOL:
        tree_to_bool(c->d, v, &b);
        return;
    case FORM_LENGTH:
        tree_to_length(c->d, v, &f);
        return;
    }
}

static void block_unknown(struct chk *c, const struct tnode *key,
                          const struct block_kind *bk)
{
    const char *names[32];
    size_t n = 0;
    for (const char *const *w = bk->beside; *w && n < 32; w++)
        names[n++] = *w;
    const char *near = suggest_closest(key->text, names, n);
    if (near) {
        tree_error(c->d, key,
                   "clave desconocida '%s' en el bloque '%s'; ¿quiso decir "
                   "'%s'?",
                   key->text, bk->name, near);
        return;
    }
    if (n == 0) {
        tree_error(c->d, key,
                   "clave desconocida '%s' en el bloque '%s'; las opciones "
                   "de '%s' van dentro de él",
                   key->text, bk->name, bk->name);
        return;
    }
    char list[300];
    join_words(list, sizeof list, names, n);
    tree_error(c->d, key,
               "clave desconocida '%s' en el bloque '%s'; claves admitidas "
               "junto a '%s': %s",
               key->text, bk->name, bk->name, list);
}

static void check_block(struct chk *c, const struct tnode *item)
{
    if (item->kind != TREE_MAP) {
        tree_error(c->d, item,
                   "se esperaba un bloque (por ejemplo 'text: ...') %s",
                   found(item));
        return;
    }
    const struct block_kind *bk = NULL;
    size_t at = 0;
    for (size_t i = 0; i < item->n; i++) {
        const struct block_kind *k = block_kind(item->keys[i]->text);
        if (!k)
            continue;
        if (bk) {
            tree_error(c->d, item->keys[i],
                       "el bloque ya es '%s' (línea %u); ¿falta un '-' antes "
                       "de '%s'?",
                       bk->name, item->keys[at]->line, k->name);
            continue;
        }
        bk = k;
        at = i;
    }
    if (!bk) {
        const char *names[NBLOCKS];
        for (size_t i = 0; i < NBLOCKS; i++)
            names[i] = blocks[i].name;
        for (size_t i = 0; i < item->n; i++) {
            const char *near =
                suggest_closest(item->keys[i]->text, names, NBLOCKS);
            if (near) {
                tree_error(c->d, item->keys[i],
                           "tipo de bloque desconocido '%s'; ¿quiso decir "
                           "'%s'?",
                           item->keys[i]->text, near);
                return;
            }
        }
        char list[300];
        join_words(list, sizeof list, names, NBLOCKS);
        tree_error(c->d, item, "el bloque no tiene tipo; use uno de: %s", list);
        return;
    }
    block_value(c, bk, item->items[at]);
    for (size_t i = 0; i < item->n && !diag_full(c->d); i++) {
        const struct tnode *key = item->keys[i];
        if (i == at || block_kind(key->text))
            continue;
        const struct key *opt = bk->opts ? find_key(bk->opts, key->text) : NULL;
        if (opt && in_words(bk->beside, key->text))
            check_value(c, opt, item->items[i]);
        else if (opt)
            tree_error(c->d, key,
                       "'%s' es una opción de '%s': escríbala dentro de "
                       "'%s', con más sangría",
                       key->text, bk->name, bk->name);
        else
            block_unknown(c, key, bk);
    }
}

static void check_blocks(struct chk *c, const struct tnode *n, const char *key)
{
    if (n->kind != TREE_SEQ) {
        tree_error(c->d, n, "se esperaba una lista de bloques en '%s' %s", key,
                   found(n));
        return;
    }
    if (c->depth >= SCHEMA_MAX_DEPTH) {
        tree_error(c->d, n,
                   "demasiados niveles de secciones anidadas (más "
                   "de %d)",
                   SCHEMA_MAX_DEPTH);
        return;
    }
    c->depth++;
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++)
        check_block(c, n->items[i]);
    c->depth--;
}

/* ---- top level ---- */

static const struct ctx top_ctx = {
    "",
    (const struct key[]){
        {.name = "report", .kind = VK_MAP, .map = &report_ctx},
        {.name = "params", .kind = VK_FN, .fn = check_params},
        {.name = "data", .kind = VK_FN, .fn = check_data},
        {.name = "styles", .kind = VK_FN, .fn = check_styles},
        {.name = "body", .kind = VK_FN, .required = true, .fn = check_blocks},
        {0}},
    NULL};

bool schema_check(struct diag *d, const struct tnode *root)
{
    size_t before = d->errors;
    struct chk c = {.d = d};
    if (root->kind != TREE_MAP) {
        tree_error(d, root,
                   "la plantilla debe ser un mapa con las secciones report, "
                   "params, data, styles y body %s",
                   found(root));
        return false;
    }
    const struct tnode *data = tree_get(root, "data");
    const struct tnode *styles = tree_get(root, "styles");
    c.data = data && data->kind == TREE_MAP ? data : NULL;
    c.styles = styles && styles->kind == TREE_MAP ? styles : NULL;
    check_map(&c, root, &top_ctx, top_ctx.name);
    return d->errors == before;
}
