/* schema: the walk that checks a template tree against the template
 * language's description (template/tl.def through template/tl.h): known
 * keys, value kinds, required keys, blocks; and the checks the
 * description attaches to its maps (post) and to references of data
 * sources and styles. */
#include "template/schema.h"
#include "data/suggest.h"
#include "template/tl.h"

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

/* Checks between the keys of a map, after each key is checked. */
typedef void (*post_fn)(struct chk *c, const struct tnode *map,
                        const char *where);

static void source_post(struct chk *c, const struct tnode *map,
                        const char *where);
static void column_post(struct chk *c, const struct tnode *map,
                        const char *where);
static void axis_post(struct chk *c, const struct tnode *map,
                      const char *where);
static void chart_post(struct chk *c, const struct tnode *map,
                       const char *where);

static const post_fn posts[TLM_COUNT] = {
#define TL_MAP(id, where, form, post, doc) [TLM_##id] = post,
#include "template/tl.def"
};

/* "en 'table'", or "en el nivel superior" for the top of the template. */
static void where_text(char *out, size_t size, const char *where)
{
    if (*where)
        snprintf(out, size, "en '%s'", where);
    else
        snprintf(out, size, "en el nivel superior de la plantilla");
}

/* How messages name map m reached through key from a map named where. */
static const char *sub_where(char *buf, size_t size, enum tl_map_id m,
                             const char *where, const char *key)
{
    if (tl_maps[m].where)
        return tl_maps[m].where;
    snprintf(buf, size, "%s.%s", where, key);
    return buf;
}

static void unknown_key(struct chk *c, const struct tnode *key,
                        enum tl_map_id m, const char *where)
{
    const char *names[64];
    size_t n = tl_maps[m].nkeys < 64 ? tl_maps[m].nkeys : 64;
    for (size_t i = 0; i < n; i++)
        names[i] = tl_keys[tl_maps[m].first + i].name;
    char at[160];
    where_text(at, sizeof at, where);
    const char *near = suggest_closest(key->text, names, n);
    if (near) {
        tree_error(c->d, key, "clave desconocida '%s' %s; ¿quiso decir '%s'?",
                   key->text, at, near);
        return;
    }
    char list[600];
    tl_join(list, sizeof list, names, n);
    tree_error(c->d, key, "clave desconocida '%s' %s; claves admitidas: %s",
               key->text, at, list);
}

/* A reference to a name defined under `data` or `styles`. */
static void check_ref(struct chk *c, const struct tnode *n, const char *key,
                      const struct tnode *defs, const char *noun,
                      const char *undef, const char *section)
{
    if (n->kind != TREE_SCALAR || tl_blank(n)) {
        tree_error(c->d, n, "se esperaba el nombre de %s en '%s' %s", noun, key,
                   tl_found(n));
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

static bool is_text(struct chk *c, const struct tnode *n)
{
    if (n->kind == TREE_SCALAR)
        return true;
    tree_error(c->d, n, "se esperaba un texto %s", tl_found(n));
    return false;
}

static void check_map(struct chk *c, const struct tnode *n, enum tl_map_id m,
                      const char *where);
static void check_params(struct chk *c, const struct tnode *n, const char *key,
                         enum tl_map_id m);
static void check_data(struct chk *c, const struct tnode *n, const char *key,
                       enum tl_map_id m);
static void check_styles(struct chk *c, const struct tnode *n, const char *key,
                         enum tl_map_id m);
static void check_blocks(struct chk *c, const struct tnode *n, const char *key);

static void check_names(struct chk *c, const struct tnode *n)
{
    if (n->kind == TREE_SEQ) {
        for (size_t i = 0; i < n->n; i++)
            is_text(c, n->items[i]);
    } else if (n->kind != TREE_SCALAR || tl_blank(n)) {
        tree_error(c->d, n, "se esperaba un nombre o una lista de nombres %s",
                   tl_found(n));
    }
}

/* A map whose keys are free names and whose values are texts: rename,
 * compute, aggregate, join.columns. */
static void check_text_map(struct chk *c, const struct tnode *n,
                           const char *key)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa (nombre: valor) en '%s' %s",
                   key, tl_found(n));
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (is_text(c, n->items[i]) && tl_blank(n->items[i]))
            tree_error(c->d, n->items[i], "falta el valor de '%s'",
                       n->keys[i]->text);
    }
}

/* Column names to types (a source's `columns`). */
static void check_type_map(struct chk *c, const struct tnode *n,
                           const char *key, enum tl_set set)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa (columna: tipo) en '%s' %s",
                   key, tl_found(n));
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        char label[160];
        enum tl_word w;
        snprintf(label, sizeof label, "como tipo de la columna '%s'",
                 n->keys[i]->text);
        tl_to_word(c->d, n->items[i], label, set, &w);
    }
}

/* The value n of key k, named name in messages, in a map named where. */
static void check_value(struct chk *c, const struct tl_key *k, const char *name,
                        const struct tnode *n, const char *where)
{
    bool b, percent;
    long l;
    double v;
    float f;
    unsigned u;
    enum tl_word w;
    char buf[200], label[160];
    enum tl_map_id sub = (enum tl_map_id)k->arg;
    switch (k->kind) {
    case TLV_TEXT:
    case TLV_TMPL:
    case TLV_EXPR:
        if (is_text(c, n) && (k->flags & TL_REQ) && tl_blank(n))
            tree_error(c->d, n, "falta el valor de '%s'", name);
        break;
    case TLV_BOOL:
        tree_to_bool(c->d, n, &b);
        break;
    case TLV_INT:
        tree_to_long(c->d, n, tl_range_min[k->arg], tl_range_max[k->arg], &l);
        break;
    case TLV_NUMBER:
        tree_to_double(c->d, n, &v);
        break;
    case TLV_LENGTH:
        tree_to_length(c->d, n, &f);
        break;
    case TLV_WIDTH:
        tl_to_width(c->d, n, &f, &percent);
        break;
    case TLV_COLOR:
        tree_to_color(c->d, n, &u);
        break;
    case TLV_ENUM:
        snprintf(label, sizeof label, "en '%s'", name);
        tl_to_word(c->d, n, label, (enum tl_set)k->arg, &w);
        break;
    case TLV_MAP:
        check_map(c, n, sub, sub_where(buf, sizeof buf, sub, where, name));
        break;
    case TLV_MAP_OR_LENGTH:
        if (n->kind == TREE_MAP)
            check_map(c, n, sub, sub_where(buf, sizeof buf, sub, where, name));
        else
            tree_to_length(c->d, n, &f);
        break;
    case TLV_MAP_OR_NAMES:
        if (n->kind == TREE_MAP)
            check_map(c, n, sub, sub_where(buf, sizeof buf, sub, where, name));
        else
            check_names(c, n);
        break;
    case TLV_MAPS:
        if (n->kind != TREE_SEQ) {
            tree_error(c->d, n, "se esperaba una lista en '%s' %s", name,
                       tl_found(n));
            break;
        }
        for (size_t i = 0; i < n->n && !diag_full(c->d); i++)
            check_map(c, n->items[i], sub,
                      sub_where(buf, sizeof buf, sub, where, name));
        break;
    case TLV_NAMES:
        check_names(c, n);
        break;
    case TLV_TEXTS:
        if (n->kind != TREE_SEQ) {
            tree_error(c->d, n, "se esperaba una lista de textos en '%s' %s",
                       name, tl_found(n));
            break;
        }
        for (size_t i = 0; i < n->n; i++)
            is_text(c, n->items[i]);
        break;
    case TLV_DATA:
        check_ref(c, n, name, c->data, "fuente de datos", "no definida",
                  "data");
        break;
    case TLV_STYLE:
        check_ref(c, n, name, c->styles, "estilo", "no definido", "styles");
        break;
    case TLV_TEXTMAP:
    case TLV_EXPRMAP:
        check_text_map(c, n, name);
        break;
    case TLV_TYPEMAP:
        check_type_map(c, n, name, (enum tl_set)k->arg);
        break;
    case TLV_PARAMS:
        check_params(c, n, name, sub);
        break;
    case TLV_SOURCES:
        check_data(c, n, name, sub);
        break;
    case TLV_STYLES:
        check_styles(c, n, name, sub);
        break;
    case TLV_BLOCKS:
        check_blocks(c, n, name);
        break;
    }
}

static void check_map(struct chk *c, const struct tnode *n, enum tl_map_id m,
                      const char *where)
{
    if (n->kind != TREE_MAP) {
        char at[160];
        where_text(at, sizeof at, where);
        tree_error(c->d, n, "se esperaba un mapa (clave: valor) %s %s", at,
                   tl_found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        const struct tl_key *k = tl_find_key(m, n->keys[i]->text);
        if (k)
            check_value(c, k, k->name, n->items[i], where);
        else
            unknown_key(c, n->keys[i], m, where);
    }
    for (size_t i = 0; i < tl_maps[m].nkeys; i++) {
        const struct tl_key *k = &tl_keys[tl_maps[m].first + i];
        if ((k->flags & TL_REQ) && !tree_get(n, k->name)) {
            char at[160];
            where_text(at, sizeof at, where);
            tree_error(c->d, n, "falta la clave '%s' %s", k->name, at);
        }
    }
    if (posts[m])
        posts[m](c, n, where);
}

/* ---- params, data, styles ---- */

static void check_params(struct chk *c, const struct tnode *n, const char *key,
                         enum tl_map_id m)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa de parámetros en '%s' %s", key,
                   tl_found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        const struct tnode *v = n->items[i];
        char where[160];
        snprintf(where, sizeof where, "params.%s", n->keys[i]->text);
        if (v->kind == TREE_MAP)
            check_map(c, v, m, where);
        else if (v->kind == TREE_SEQ)
            tree_error(c->d, v,
                       "se esperaba un valor o un mapa {type, default} en "
                       "'%s' y se encontró una lista",
                       where);
    }
}

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

static void check_data(struct chk *c, const struct tnode *n, const char *key,
                       enum tl_map_id m)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n,
                   "se esperaba un mapa de fuentes de datos en '%s' %s", key,
                   tl_found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        char where[160];
        snprintf(where, sizeof where, "data.%s", n->keys[i]->text);
        check_map(c, n->items[i], m, where);
    }
}

static void check_styles(struct chk *c, const struct tnode *n, const char *key,
                         enum tl_map_id m)
{
    if (n->kind != TREE_MAP) {
        tree_error(c->d, n, "se esperaba un mapa de estilos en '%s' %s", key,
                   tl_found(n));
        return;
    }
    for (size_t i = 0; i < n->n && !diag_full(c->d); i++) {
        const struct tnode *list = n->items[i];
        const char *name = n->keys[i]->text;
        if (list->kind != TREE_SEQ) {
            tree_error(c->d, list,
                       "se esperaba una lista de umbrales en el estilo '%s' "
                       "%s",
                       name, tl_found(list));
            continue;
        }
        if (list->n == 0)
            tree_error(c->d, list, "el estilo '%s' no tiene umbrales", name);
        char where[160];
        snprintf(where, sizeof where, "styles.%s", name);
        for (size_t j = 0; j < list->n; j++) {
            const struct tnode *t = list->items[j];
            check_map(c, t, m, where);
            if (t->kind == TREE_MAP && !tree_get(t, "min") && j + 1 < list->n)
                diag_warning(c->d, list->items[j + 1]->file,
                             list->items[j + 1]->line, list->items[j + 1]->col,
                             "este umbral nunca se usa: el anterior no tiene "
                             "'min' y acepta todos los valores");
        }
    }
}

/* ---- body ---- */

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

/* A line chart ignores the keys only bar charts use (TL_BARS): each one
 * written is a warning at the key. */
static void chart_post(struct chk *c, const struct tnode *map,
                       const char *where)
{
    (void)where;
    const struct tnode *type = tree_get(map, "type");
    if (!type || type->kind != TREE_SCALAR ||
        tl_word_find(TLS_chart_type, type->text) != TLW_chart_type_line)
        return;
    for (size_t i = 0; i < map->n; i++) {
        const struct tnode *key = map->keys[i];
        const struct tl_key *k = tl_find_key(TLM_chart, key->text);
        if (k && (k->flags & TL_BARS))
            diag_warning(c->d, key->file, key->line, key->col,
                         "'%s' no tiene efecto en un gráfico de líneas "
                         "('type: line'): solo lo usan los gráficos de barras",
                         key->text);
    }
}

/* The block map named name, or TLM_COUNT. */
static enum tl_map_id block_kind(const char *name)
{
    for (int m = 0; m < TLM_COUNT; m++)
        if (tl_maps[m].form != TLF_NONE && strcmp(tl_maps[m].id, name) == 0)
            return (enum tl_map_id)m;
    return TLM_COUNT;
}

/* The key a value other than the block's map stands for. */
static const struct tl_key *main_key(enum tl_map_id m)
{
    for (size_t i = 0; i < tl_maps[m].nkeys; i++)
        if (tl_keys[tl_maps[m].first + i].flags & TL_MAIN)
            return &tl_keys[tl_maps[m].first + i];
    return NULL;
}

static bool optional_true(const struct tnode *v)
{
    return v->kind == TREE_SCALAR && !v->quoted && strcmp(v->text, "true") == 0;
}

static void block_value(struct chk *c, enum tl_map_id m, const struct tnode *v)
{
    const char *name = tl_maps[m].id;
    switch (tl_maps[m].form) {
    case TLF_NONE:
        return;
    case TLF_OPTIONAL:
        /* `toc:`, `toc: true` (as page_break: true), or its map */
        if (tl_blank(v) || optional_true(v))
            return;
        if (v->kind == TREE_SCALAR && !v->quoted &&
            strcmp(v->text, "false") == 0) {
            tree_error(c->d, v,
                       "'%s: false' no quita el bloque: para no dibujarlo, "
                       "borre la línea",
                       name);
            return;
        }
        if (v->kind == TREE_SCALAR) {
            tree_error(c->d, v,
                       "'%s' no lleva un texto: escriba '%s:' o '%s: true', "
                       "o sus opciones en un mapa ('%s: {...}')",
                       name, name, name, name);
            return;
        }
        /* fall through */
    case TLF_MAP:
        check_map(c, v, m, tl_maps[m].where);
        return;
    case TLF_TEXT:
        if (v->kind == TREE_MAP)
            check_map(c, v, m, tl_maps[m].where);
        else if (v->kind != TREE_SCALAR)
            tree_error(c->d, v, "se esperaba un texto o un mapa en '%s' %s",
                       name, tl_found(v));
        return;
    case TLF_LIST:
        if (v->kind == TREE_MAP) {
            check_map(c, v, m, tl_maps[m].where);
            return;
        }
        /* `- list: [...]`: the items, named as written. */
        /* fall through */
    case TLF_SCALAR:
        check_value(c, main_key(m), name, v, tl_maps[m].where);
        return;
    }
}

static void block_unknown(struct chk *c, const struct tnode *key,
                          enum tl_map_id m)
{
    const char *names[32], *block = tl_maps[m].id;
    size_t n = 0;
    for (size_t i = 0; i < tl_maps[m].nkeys && n < 32; i++)
        if (tl_keys[tl_maps[m].first + i].flags & TL_BESIDE)
            names[n++] = tl_keys[tl_maps[m].first + i].name;
    const char *near = suggest_closest(key->text, names, n);
    if (near) {
        tree_error(c->d, key,
                   "clave desconocida '%s' en el bloque '%s'; ¿quiso decir "
                   "'%s'?",
                   key->text, block, near);
        return;
    }
    if (n == 0) {
        tree_error(c->d, key,
                   "clave desconocida '%s' en el bloque '%s'; las opciones "
                   "de '%s' van dentro de él",
                   key->text, block, block);
        return;
    }
    char list[300];
    tl_join(list, sizeof list, names, n);
    tree_error(c->d, key,
               "clave desconocida '%s' en el bloque '%s'; claves admitidas "
               "junto a '%s': %s",
               key->text, block, block, list);
}

/* An item without a block key: suggest one, or list them. */
static void no_block(struct chk *c, const struct tnode *item)
{
    const char *names[TLM_COUNT];
    size_t n = 0;
    for (int m = 0; m < TLM_COUNT; m++)
        if (tl_maps[m].form != TLF_NONE)
            names[n++] = tl_maps[m].id;
    for (size_t i = 0; i < item->n; i++) {
        const char *near = suggest_closest(item->keys[i]->text, names, n);
        if (near) {
            tree_error(c->d, item->keys[i],
                       "tipo de bloque desconocido '%s'; ¿quiso decir "
                       "'%s'?",
                       item->keys[i]->text, near);
            return;
        }
    }
    char list[300];
    tl_join(list, sizeof list, names, n);
    tree_error(c->d, item, "el bloque no tiene tipo; use uno de: %s", list);
}

static void check_block(struct chk *c, const struct tnode *item)
{
    /* `- toc`: a block that needs no value, named alone */
    if (tl_block_alone(item) != TLM_COUNT)
        return;
    if (item->kind != TREE_MAP) {
        tree_error(c->d, item,
                   "se esperaba un bloque (por ejemplo 'text: ...') %s",
                   tl_found(item));
        return;
    }
    enum tl_map_id bk = TLM_COUNT;
    size_t at = 0;
    for (size_t i = 0; i < item->n; i++) {
        enum tl_map_id k = block_kind(item->keys[i]->text);
        if (k == TLM_COUNT)
            continue;
        if (bk != TLM_COUNT) {
            tree_error(c->d, item->keys[i],
                       "el bloque ya es '%s' (línea %u); ¿falta un '-' antes "
                       "de '%s'?",
                       tl_maps[bk].id, item->keys[at]->line, tl_maps[k].id);
            continue;
        }
        bk = k;
        at = i;
    }
    if (bk == TLM_COUNT) {
        no_block(c, item);
        return;
    }
    const char *name = tl_maps[bk].id;
    block_value(c, bk, item->items[at]);
    for (size_t i = 0; i < item->n && !diag_full(c->d); i++) {
        const struct tnode *key = item->keys[i];
        if (i == at || block_kind(key->text) != TLM_COUNT)
            continue;
        const struct tl_key *opt =
            tl_maps[bk].form == TLF_SCALAR ? NULL : tl_find_key(bk, key->text);
        if (opt && (opt->flags & TL_BESIDE))
            check_value(c, opt, opt->name, item->items[i], tl_maps[bk].where);
        else if (opt)
            tree_error(c->d, key,
                       "'%s' es una opción de '%s': escríbala dentro de "
                       "'%s', con más sangría",
                       key->text, name, name);
        else
            block_unknown(c, key, bk);
    }
}

static void check_blocks(struct chk *c, const struct tnode *n, const char *key)
{
    if (n->kind != TREE_SEQ) {
        tree_error(c->d, n, "se esperaba una lista de bloques en '%s' %s", key,
                   tl_found(n));
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

bool schema_check(struct diag *d, const struct tnode *root)
{
    size_t before = d->errors;
    struct chk c = {.d = d};
    if (root->kind != TREE_MAP) {
        tree_error(d, root,
                   "la plantilla debe ser un mapa con las secciones report, "
                   "params, data, styles y body %s",
                   tl_found(root));
        return false;
    }
    const struct tnode *data = tree_get(root, "data");
    const struct tnode *styles = tree_get(root, "styles");
    c.data = data && data->kind == TREE_MAP ? data : NULL;
    c.styles = styles && styles->kind == TREE_MAP ? styles : NULL;
    check_map(&c, root, TLM_top, tl_maps[TLM_top].where);
    return d->errors == before;
}
