/* tl: the tables expanded from template/tl.def, and the conversions of
 * words and widths the schema check makes. */
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
#define TL_WORD(set, word) [TLW_##set##_##word] = {TLS_##set, #word},
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
