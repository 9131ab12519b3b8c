/* tl: the tables expanded from template/tl.def, the conversions the schema
 * check and the reader share (words, widths), and the reader: one fill
 * function per map, generated from tl.def, over a checked tree. */
#include "template/tl.h"
#include "data/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tables ---- */

const struct tl_map tl_maps[TLM_COUNT] = {
#define TL_MAP(id, where, form, post, doc)                                     \
    [TLM_##id] = {#id,                                                         \
                  where,                                                       \
                  TLF_##form,                                                  \
                  doc,                                                         \
                  TLK_##id##__first,                                           \
                  (size_t)(TLK_##id##__end - TLK_##id##__first)},
#include "template/tl.def"
};

/* A key's argument by its kind (tl.def). */
#define TL_A_TEXT(a) 0
#define TL_A_TMPL(a) 0
#define TL_A_EXPR(a) 0
#define TL_A_DATA(a) 0
#define TL_A_STYLE(a) 0
#define TL_A_BOOL(a) 0
#define TL_A_INT(a) TLR_##a
#define TL_A_NUMBER(a) 0
#define TL_A_LENGTH(a) 0
#define TL_A_WIDTH(a) 0
#define TL_A_COLOR(a) 0
#define TL_A_ENUM(a) TLS_##a
#define TL_A_MAP(a) TLM_##a
#define TL_A_MAP_OR_LENGTH(a) TLM_##a
#define TL_A_MAP_OR_NAMES(a) TLM_##a
#define TL_A_MAPS(a) TLM_##a
#define TL_A_PARAMS(a) TLM_##a
#define TL_A_SOURCES(a) TLM_##a
#define TL_A_STYLES(a) TLM_##a
#define TL_A_NAMES(a) 0
#define TL_A_TEXTS(a) 0
#define TL_A_TEXTMAP(a) 0
#define TL_A_EXPRMAP(a) 0
#define TL_A_TYPEMAP(a) TLS_##a
#define TL_A_BLOCKS(a) 0

const struct tl_key tl_keys[TLK_COUNT] = {
#define TL_KEYN(map, field, name, kind, arg, flags, def, doc)                  \
    [TLK_##map##_##field] = {name,  TLV_##kind, TLM_##map, TL_A_##kind(arg),   \
                             flags, def,        doc},
#include "template/tl.def"
};

const struct tl_word_def tl_words[TLW_COUNT] = {
#define TL_WORDN(set, word, text) [TLW_##set##_##word] = {TLS_##set, text},
#include "template/tl.def"
};

const char *const tl_set_names[TLS_COUNT] = {
#define TL_SET(set) [TLS_##set] = #set,
#include "template/tl.def"
};

const long tl_range_min[TLR_COUNT] = {
#define TL_RANGE(range, min, max) [TLR_##range] = min,
#include "template/tl.def"
};
const long tl_range_max[TLR_COUNT] = {
#define TL_RANGE(range, min, max) [TLR_##range] = max,
#include "template/tl.def"
};

const struct tl_key *tl_find_key(enum tl_map_id m, const char *name)
{
    const struct tl_map *x = &tl_maps[m];
    for (size_t i = 0; i < x->nkeys; i++)
        if (strcmp(tl_keys[x->first + i].name, name) == 0)
            return &tl_keys[x->first + i];
    return NULL;
}

size_t tl_set_words(enum tl_set s, const char **out, size_t max)
{
    size_t n = 0;
    for (int w = TLW_NONE + 1; w < TLW_COUNT && n < max; w++)
        if (tl_words[w].set == s)
            out[n++] = tl_words[w].text;
    return n;
}

enum tl_word tl_word_find(enum tl_set s, const char *text)
{
    for (int w = TLW_NONE + 1; w < TLW_COUNT; w++)
        if (tl_words[w].set == s && strcmp(tl_words[w].text, text) == 0)
            return (enum tl_word)w;
    return TLW_NONE;
}

int tl_word_pos(enum tl_word w)
{
    int pos = 0;
    for (int i = (int)w - 1; i > TLW_NONE && tl_words[i].set == tl_words[w].set;
         i--)
        pos++;
    return pos;
}

/* ---- conversions shared with the schema check ---- */

bool tl_blank(const struct tnode *n)
{
    return n->kind == TREE_SCALAR && !n->quoted && n->len == 0;
}

const char *tl_found(const struct tnode *n)
{
    if (tl_blank(n))
        return "pero el valor está vacío";
    if (n->kind == TREE_MAP)
        return "y se encontró un mapa";
    if (n->kind == TREE_SEQ)
        return "y se encontró una lista";
    return "y se encontró un texto";
}

void tl_join(char *out, size_t size, const char *const *w, size_t n)
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

bool tl_to_word(struct diag *d, const struct tnode *n, const char *label,
                enum tl_set s, enum tl_word *out)
{
    const char *words[32];
    size_t nw = tl_set_words(s, words, 32);
    char list[300];
    tl_join(list, sizeof list, words, nw);
    if (n->kind != TREE_SCALAR || tl_blank(n)) {
        tree_error(d, n, "se esperaba uno de %s %s %s", list, label,
                   tl_found(n));
        return false;
    }
    if ((*out = tl_word_find(s, n->text)) != TLW_NONE)
        return true;
    const char *near = suggest_closest(n->text, words, nw);
    if (near)
        tree_error(d, n, "valor desconocido '%s' %s; ¿quiso decir '%s'?",
                   n->text, label, near);
    else
        tree_error(d, n, "valor desconocido '%s' %s; valores admitidos: %s",
                   n->text, label, list);
    return false;
}

/* Whether the text before '%' is digits with at most one point (and
 * perhaps a space before the '%'), worth more than 0 and at most 100. */
static bool percent_ok(const struct tnode *n)
{
    size_t k = 0;
    bool dot = false, ok = true;
    for (; k + 1 < n->len && ok; k++) {
        char ch = n->text[k];
        if (ch == '.' && !dot)
            dot = true;
        else if (ch < '0' || ch > '9')
            ok = ok && (ch == ' ' && k + 2 == n->len);
    }
    if (!ok || n->text[0] == '.' || n->text[0] == ' ')
        return false;
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
    return v > 0 && v <= 100;
}

bool tl_to_width(struct diag *d, const struct tnode *n, float *out,
                 bool *percent)
{
    *percent = false;
    if (n->kind != TREE_SCALAR || n->len < 2 || n->text[n->len - 1] != '%')
        return tree_to_length(d, n, out);
    if (!percent_ok(n)) {
        tree_error(d, n, "porcentaje de ancho no válido '%s' (de 1%% a 100%%)",
                   n->text);
        return false;
    }
    /* The number before '%', read as a number of the template ("40 %"
     * is not one). */
    struct tnode num = *n;
    char *text = xmalloc(n->len);
    memcpy(text, n->text, n->len - 1);
    text[n->len - 1] = '\0';
    num.text = text;
    num.len = n->len - 1;
    double pct;
    bool ok = tree_to_double(d, &num, &pct);
    free(text);
    *out = (float)pct;
    *percent = ok;
    return ok;
}

/* ---- the reader ---- */

struct rd {
    struct arena *a;
    struct diag *d;
    bool ok;
};

/* The node of key k: in the map n, or n itself when it is not a map and k
 * is what such a value stands for, or beside the block key in item. */
static const struct tnode *find(const struct tnode *n, const struct tnode *item,
                                enum tl_key_id k)
{
    const struct tl_key *key = &tl_keys[k];
    const struct tnode *v = NULL;
    if (n && n->kind == TREE_MAP)
        v = tree_get(n, key->name);
    else if (n && (key->flags & TL_MAIN))
        v = n;
    if (!v && item && (key->flags & TL_BESIDE))
        v = tree_get(item, key->name);
    return v;
}

/* The default of key k as a node to convert, or NULL when none applies. */
static const struct tnode *def_node(enum tl_key_id k, struct tnode *tmp)
{
    const struct tl_key *key = &tl_keys[k];
    if (!key->def || (key->flags & TL_NOTE))
        return NULL;
    memset(tmp, 0, sizeof *tmp);
    tmp->kind = TREE_SCALAR;
    tmp->text = key->def;
    tmp->len = strlen(key->def);
    return tmp;
}

static void rd_str(struct rd *rd, const struct tnode *n, enum tl_key_id k,
                   struct tl_str *out)
{
    struct tnode tmp;
    const struct tnode *v = n ? n : def_node(k, &tmp);
    if (v && !tree_expect(rd->d, v, TREE_SCALAR))
        rd->ok = false;
    else if (v)
        out->v = v->text;
    out->n = n;
}

static bool choice(struct diag *d, const struct tnode *n, enum tl_key_id k,
                   enum tl_word *out)
{
    char label[160];
    snprintf(label, sizeof label, "en '%s'", tl_keys[k].name);
    return tl_to_word(d, n, label, (enum tl_set)tl_keys[k].arg, out);
}

/* Scalar conversions: value from n, else from the default. */
#define RD_SCALAR(name, type, conv)                                            \
    static void name(struct rd *rd, const struct tnode *n, enum tl_key_id k,   \
                     type *out)                                                \
    {                                                                          \
        struct tnode tmp;                                                      \
        const struct tnode *v = n ? n : def_node(k, &tmp);                     \
        if (v && !(conv))                                                      \
            rd->ok = false;                                                    \
        out->n = n;                                                            \
    }
RD_SCALAR(rd_bool, struct tl_bool, tree_to_bool(rd->d, v, &out->v))
RD_SCALAR(rd_int, struct tl_int,
          tree_to_long(rd->d, v, tl_range_min[tl_keys[k].arg],
                       tl_range_max[tl_keys[k].arg], &out->v))
RD_SCALAR(rd_num, struct tl_num, tree_to_double(rd->d, v, &out->v))
RD_SCALAR(rd_len, struct tl_len, tree_to_length(rd->d, v, &out->v))
RD_SCALAR(rd_color, struct tl_color, tree_to_color(rd->d, v, &out->v))
RD_SCALAR(rd_width, struct tl_width,
          tl_to_width(rd->d, v, &out->v, &out->percent))
RD_SCALAR(rd_choice, struct tl_choice, choice(rd->d, v, k, &out->v))

/* NAMES (a scalar is one name) and TEXTS: the scalar nodes. */
static void rd_nodes(struct rd *rd, const struct tnode *n, enum tl_key_id k,
                     struct tl_nodes *out)
{
    out->node = n;
    if (!n)
        return;
    if (n->kind == TREE_SCALAR && tl_keys[k].kind != TLV_TEXTS) {
        const struct tnode **one = arena_alloc(rd->a, sizeof *one);
        one[0] = n;
        out->v = one;
        out->n = 1;
        return;
    }
    if (!tree_expect(rd->d, n, TREE_SEQ)) {
        rd->ok = false;
        return;
    }
    for (size_t i = 0; i < n->n; i++)
        if (!tree_expect(rd->d, n->items[i], TREE_SCALAR))
            rd->ok = false;
    out->v = (const struct tnode *const *)n->items;
    out->n = n->n;
}

/* TEXTMAP, EXPRMAP: free names to scalars. */
static void rd_pairs(struct rd *rd, const struct tnode *n, enum tl_key_id k,
                     struct tl_pairs *out)
{
    (void)k;
    out->node = n;
    if (!n)
        return;
    if (!tree_expect(rd->d, n, TREE_MAP)) {
        rd->ok = false;
        return;
    }
    for (size_t i = 0; i < n->n; i++)
        if (!tree_expect(rd->d, n->items[i], TREE_SCALAR))
            rd->ok = false;
    out->name = (const struct tnode *const *)n->keys;
    out->value = (const struct tnode *const *)n->items;
    out->n = n->n;
}

/* TYPEMAP: column names to words. */
static void rd_types(struct rd *rd, const struct tnode *n, enum tl_key_id k,
                     struct tl_types *out)
{
    out->node = n;
    if (!n)
        return;
    if (!tree_expect(rd->d, n, TREE_MAP)) {
        rd->ok = false;
        return;
    }
    enum tl_word *type = arena_array(rd->a, n->n, sizeof *type);
    for (size_t i = 0; i < n->n; i++) {
        char label[160];
        snprintf(label, sizeof label, "como tipo de la columna '%s'",
                 n->keys[i]->text);
        if (!tl_to_word(rd->d, n->items[i], label, (enum tl_set)tl_keys[k].arg,
                        &type[i]))
            rd->ok = false;
    }
    out->name = (const struct tnode *const *)n->keys;
    out->type = type;
    out->n = n->n;
}

static void rd_blocks(struct rd *rd, const struct tnode *n,
                      struct tl_blocks *out);

/* Whether v is there and of kind want (reported when it is not). */
static bool expect(struct rd *rd, const struct tnode *v, enum tree_kind want)
{
    if (!v)
        return false;
    if (tree_expect(rd->d, v, want))
        return true;
    rd->ok = false;
    return false;
}

/* One fill function per map: every key's field from node n (the map, or
 * the value standing for its TL_MAIN key) or from item (TL_BESIDE keys). */
#define TL_MAP(id, where, form, post, doc)                                     \
    static void fill_##id(struct rd *rd, const struct tnode *n,                \
                          const struct tnode *item, struct tl_##id *out);
#include "template/tl.def"

/* Filling one field, by the key's kind: f is the field, x_ its node. */
#define TL_F_TEXT(m_, f, x_, k) rd_str(rd, x_, k, &(f))
#define TL_F_TMPL(m_, f, x_, k) rd_str(rd, x_, k, &(f))
#define TL_F_EXPR(m_, f, x_, k) rd_str(rd, x_, k, &(f))
#define TL_F_DATA(m_, f, x_, k) rd_str(rd, x_, k, &(f))
#define TL_F_STYLE(m_, f, x_, k) rd_str(rd, x_, k, &(f))
#define TL_F_BOOL(m_, f, x_, k) rd_bool(rd, x_, k, &(f))
#define TL_F_INT(m_, f, x_, k) rd_int(rd, x_, k, &(f))
#define TL_F_NUMBER(m_, f, x_, k) rd_num(rd, x_, k, &(f))
#define TL_F_LENGTH(m_, f, x_, k) rd_len(rd, x_, k, &(f))
#define TL_F_WIDTH(m_, f, x_, k) rd_width(rd, x_, k, &(f))
#define TL_F_COLOR(m_, f, x_, k) rd_color(rd, x_, k, &(f))
#define TL_F_ENUM(m_, f, x_, k) rd_choice(rd, x_, k, &(f))
#define TL_F_NAMES(m_, f, x_, k) rd_nodes(rd, x_, k, &(f))
#define TL_F_TEXTS(m_, f, x_, k) rd_nodes(rd, x_, k, &(f))
#define TL_F_TEXTMAP(m_, f, x_, k) rd_pairs(rd, x_, k, &(f))
#define TL_F_EXPRMAP(m_, f, x_, k) rd_pairs(rd, x_, k, &(f))
#define TL_F_TYPEMAP(m_, f, x_, k) rd_types(rd, x_, k, &(f))
#define TL_F_BLOCKS(m_, f, x_, k) rd_blocks(rd, x_, &(f))
#define TL_F_MAP(m_, f, x_, k)                                                 \
    if (expect(rd, x_, TREE_MAP)) {                                            \
        struct tl_##m_ *p_ = arena_alloc(rd->a, sizeof *p_);                   \
        fill_##m_(rd, x_, NULL, p_);                                           \
        (f) = p_;                                                              \
    }
#define TL_F_MAP_OR_LENGTH(m_, f, x_, k)                                       \
    if (x_ && x_->kind == TREE_MAP) {                                          \
        struct tl_##m_ *p_ = arena_alloc(rd->a, sizeof *p_);                   \
        fill_##m_(rd, x_, NULL, p_);                                           \
        (f).map = p_;                                                          \
    } else                                                                     \
        rd_len(rd, x_, k, &(f).len)
#define TL_F_MAP_OR_NAMES(m_, f, x_, k)                                        \
    if (x_ && x_->kind == TREE_MAP) {                                          \
        struct tl_##m_ *p_ = arena_alloc(rd->a, sizeof *p_);                   \
        fill_##m_(rd, x_, NULL, p_);                                           \
        (f).map = p_;                                                          \
    } else                                                                     \
        rd_nodes(rd, x_, k, &(f).names)
/* A list of maps (MAPS), or a map of names to maps (PARAMS, SOURCES: a
 * parameter may also be a plain value, its default). */
#define TL_F_LIST(m_, f, x_, want)                                             \
    if (expect(rd, x_, want)) {                                                \
        struct tl_##m_ *p_ = arena_array(rd->a, x_->n, sizeof *p_);            \
        for (size_t i_ = 0; i_ < x_->n; i_++) {                                \
            fill_##m_(rd, x_->items[i_], NULL, &p_[i_]);                       \
            p_[i_].key = want == TREE_MAP ? x_->keys[i_] : NULL;               \
        }                                                                      \
        (f).v = p_;                                                            \
        (f).n = x_->n;                                                         \
        (f).node = x_;                                                         \
    }
#define TL_F_MAPS(m_, f, x_, k) TL_F_LIST(m_, f, x_, TREE_SEQ)
#define TL_F_PARAMS(m_, f, x_, k) TL_F_LIST(m_, f, x_, TREE_MAP)
#define TL_F_SOURCES(m_, f, x_, k) TL_F_LIST(m_, f, x_, TREE_MAP)
/* A map of names to lists of maps. */
#define TL_F_STYLES(m_, f, x_, k)                                              \
    if (expect(rd, x_, TREE_MAP)) {                                            \
        struct tl_##m_##_list *l_ = arena_array(rd->a, x_->n, sizeof *l_);     \
        for (size_t j_ = 0; j_ < x_->n; j_++) {                                \
            l_[j_].key = x_->keys[j_];                                         \
            TL_F_LIST(m_, l_[j_], x_->items[j_], TREE_SEQ)                     \
        }                                                                      \
        (f).v = l_;                                                            \
        (f).n = x_->n;                                                         \
        (f).node = x_;                                                         \
    }

#define TL_MAP(id, where, form, post, doc)                                     \
    static void fill_##id(struct rd *rd, const struct tnode *n,                \
                          const struct tnode *item, struct tl_##id *out)       \
    {                                                                          \
        const struct tnode *v;                                                 \
        (void)v;                                                               \
        out->node = n;
#define TL_KEYN(map, field, name, kind, arg, flags, def, doc)                  \
    v = find(n, item, TLK_##map##_##field);                                    \
    TL_F_##kind(arg, out->field, v, TLK_##map##_##field);
#define TL_END(id) }
#include "template/tl.def"

enum tl_map_id tl_block_alone(const struct tnode *item)
{
    if (item->kind != TREE_SCALAR || item->quoted)
        return TLM_COUNT;
    for (int m = 0; m < TLM_COUNT; m++)
        if (tl_maps[m].form == TLF_OPTIONAL &&
            strcmp(tl_maps[m].id, item->text) == 0)
            return (enum tl_map_id)m;
    return TLM_COUNT;
}

/* The block of list item item: its block key's map and value. */
static void rd_block(struct rd *rd, const struct tnode *item,
                     struct tl_block *b)
{
    b->item = item;
    b->kind = tl_block_alone(item);
    b->value = item; /* `- toc`: no map, every key its default */
    for (size_t i = 0; item->kind == TREE_MAP && i < item->n; i++) {
        for (int m = 0; m < TLM_COUNT && b->kind == TLM_COUNT; m++) {
            if (tl_maps[m].form != TLF_NONE &&
                strcmp(tl_maps[m].id, item->keys[i]->text) == 0) {
                b->kind = (enum tl_map_id)m;
                b->value = item->items[i];
            }
        }
    }
    switch (b->kind) {
#define TL_C_NONE(id)
#define TL_C_BLOCK(id)                                                         \
    case TLM_##id: {                                                           \
        struct tl_##id *p = arena_alloc(rd->a, sizeof *p);                     \
        fill_##id(rd, b->value, item, p);                                      \
        b->u.id = p;                                                           \
        return;                                                                \
    }
#define TL_C_MAP(id) TL_C_BLOCK(id)
#define TL_C_OPTIONAL(id) TL_C_BLOCK(id)
#define TL_C_TEXT(id) TL_C_BLOCK(id)
#define TL_C_LIST(id) TL_C_BLOCK(id)
#define TL_C_SCALAR(id) TL_C_BLOCK(id)
#define TL_MAP(id, where, form, post, doc) TL_C_##form(id)
#include "template/tl.def"
    default:
        tree_error(rd->d, item,
                   "el bloque no tiene tipo (text, table, chart, section, "
                   "...)");
        rd->ok = false;
    }
}

static void rd_blocks(struct rd *rd, const struct tnode *n,
                      struct tl_blocks *out)
{
    out->node = n;
    if (!n)
        return;
    if (!tree_expect(rd->d, n, TREE_SEQ)) {
        rd->ok = false;
        return;
    }
    struct tl_block *b = arena_array(rd->a, n->n, sizeof *b);
    size_t i = 0;
    for (; i < n->n && !diag_full(rd->d); i++)
        rd_block(rd, n->items[i], &b[i]);
    out->v = b;
    out->n = i;
}

const struct tl_top *tl_read(struct arena *a, struct diag *d,
                             const struct tnode *root)
{
    struct rd rd = {.a = a, .d = d, .ok = true};
    struct tl_top *top = arena_alloc(a, sizeof *top);
    if (!tree_expect(d, root, TREE_MAP))
        return NULL;
    fill_top(&rd, root, NULL, top);
    return rd.ok ? top : NULL;
}
