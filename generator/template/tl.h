/* tl: the template language as data, from its one description
 * (template/tl.def): the maps, keys and words as tables, which the schema
 * check walks and the reference documentation is written from; the C
 * structs a template is read into, one per map with a field per key; and
 * the reader that fills them from a checked tree, applying the described
 * defaults and keeping every value's node for messages. */
#ifndef INFORME_TL_H
#define INFORME_TL_H

#include "base/arena.h"
#include "base/diag.h"
#include "template/tree.h"

#include <stdbool.h>
#include <stddef.h>

/* What a key's value may be. */
enum tl_kind {
    TLV_TEXT,          /* a scalar, taken as written */
    TLV_TMPL,          /* a scalar that may hold {expressions} */
    TLV_EXPR,          /* a scalar holding one expression */
    TLV_BOOL,          /* true/false, yes/no, sí/si */
    TLV_INT,           /* an integer within a range */
    TLV_NUMBER,        /* a decimal number */
    TLV_LENGTH,        /* 2cm, 20mm, 56.7pt, 1in, points */
    TLV_WIDTH,         /* a length or a percent of the text width */
    TLV_COLOR,         /* "#RRGGBB" or "#RGB" */
    TLV_ENUM,          /* one word of a set */
    TLV_MAP,           /* a map of the key's map */
    TLV_MAP_OR_LENGTH, /* that map, or a length standing for all of it */
    TLV_MAP_OR_NAMES,  /* that map, or a name or a list of names */
    TLV_MAPS,          /* a list of maps */
    TLV_NAMES,         /* a name or a list of names */
    TLV_TEXTS,         /* a list of texts */
    TLV_DATA,          /* the name of a data source */
    TLV_STYLE,         /* the name of a style */
    TLV_TEXTMAP,       /* a map of free names to texts */
    TLV_EXPRMAP,       /* a map of free names to expressions */
    TLV_TYPEMAP,       /* a map of column names to words of a set */
    TLV_PARAMS,        /* a map of names to values or maps */
    TLV_SOURCES,       /* a map of names to maps */
    TLV_STYLES,        /* a map of names to non-empty lists of maps */
    TLV_BLOCKS,        /* a list of blocks */
};

/* A map that is a block of body, and what the block key's value may be. */
enum tl_form {
    TLF_NONE,     /* not a block */
    TLF_MAP,      /* the map (table, chart) */
    TLF_OPTIONAL, /* the map, or nothing (cover, toc) */
    TLF_TEXT,     /* a text standing for the TL_MAIN key, or the map */
    TLF_LIST,     /* a list standing for the TL_MAIN key, or the map */
    TLF_SCALAR,   /* only the TL_MAIN key's value (page_break, space) */
};

/* Key flags (tl.def). */
#define TL_REQ 1u
#define TL_BESIDE 2u
#define TL_MAIN 4u
#define TL_NOTE 8u
#define TL_BARS 16u

/* Identifiers from tl.def: maps TLM_id, keys TLK_map_field (each map's
 * keys run from TLK_map__first to TLK_map__end), word sets TLS_set, words
 * TLW_set_word (TLW_NONE: no word), ranges TLR_range. */
enum tl_map_id {
#define TL_MAP(id, where, form, post, doc) TLM_##id,
#include "template/tl.def"
    TLM_COUNT
};

enum tl_key_id {
#define TL_MAP(id, where, form, post, doc)                                     \
    TLK_##id##__first, TLK_##id##__before = TLK_##id##__first - 1,
#define TL_KEYN(map, field, name, kind, arg, flags, def, doc)                  \
    TLK_##map##_##field,
#define TL_END(id) TLK_##id##__end, TLK_##id##__last = TLK_##id##__end - 1,
#include "template/tl.def"
    TLK_COUNT
};

enum tl_set {
#define TL_SET(set) TLS_##set,
#include "template/tl.def"
    TLS_COUNT
};

enum tl_word {
    TLW_NONE,
#define TL_WORDN(set, word, text) TLW_##set##_##word,
#include "template/tl.def"
    TLW_COUNT
};

enum tl_range {
#define TL_RANGE(range, min, max) TLR_##range,
#include "template/tl.def"
    TLR_COUNT
};

struct tl_key {
    const char *name;
    enum tl_kind kind;
    enum tl_map_id map; /* the map it belongs to */
    /* ENUM, TYPEMAP: enum tl_set; INT: enum tl_range; MAP, MAPS,
     * PARAMS, SOURCES, STYLES, MAP_OR_*: enum tl_map_id. */
    int arg;
    unsigned flags;
    const char *def; /* NULL: no default */
    const char *doc;
};

struct tl_map {
    const char *id;
    const char *where; /* NULL: the parent's name and the key */
    enum tl_form form;
    const char *doc;
    enum tl_key_id first; /* its keys: first .. first + nkeys - 1 */
    size_t nkeys;
};

struct tl_word_def {
    enum tl_set set;
    const char *text;
};

extern const struct tl_map tl_maps[TLM_COUNT];
extern const struct tl_key tl_keys[TLK_COUNT];
extern const struct tl_word_def tl_words[TLW_COUNT]; /* [TLW_NONE] unused */
extern const char *const tl_set_names[TLS_COUNT];
extern const long tl_range_min[TLR_COUNT], tl_range_max[TLR_COUNT];

/* The key of map m named name, or NULL. */
const struct tl_key *tl_find_key(enum tl_map_id m, const char *name);
/* The words of set s, in order, into out (at most max); returns how many. */
size_t tl_set_words(enum tl_set s, const char **out, size_t max);
/* The word of set s written as text, or TLW_NONE. */
enum tl_word tl_word_find(enum tl_set s, const char *text);
/* The place of w in its set: 0 for its first word. */
int tl_word_pos(enum tl_word w);

/* A scalar left empty (not "" quoted). */
bool tl_blank(const struct tnode *n);
/* The block a list item names alone (`- toc`, `- cover`: blocks whose
 * value may be nothing), or TLM_COUNT. */
enum tl_map_id tl_block_alone(const struct tnode *item);
/* How messages describe what n is instead: "pero el valor está vacío",
 * "y se encontró un mapa", ... */
const char *tl_found(const struct tnode *n);
/* "a, b, c" into out (cut when long). */
void tl_join(char *out, size_t size, const char *const *w, size_t n);

/* Checks that scalar n is a word of set s, reporting "valor desconocido
 * '...' LABEL; ¿quiso decir '...'?" (label: "en 'size'") otherwise. */
bool tl_to_word(struct diag *d, const struct tnode *n, const char *label,
                enum tl_set s, enum tl_word *out);
/* A column width: a length, or a percent of the text width ("40%", from
 * above 0 to 100); *percent says which. Reports at n. */
bool tl_to_width(struct diag *d, const struct tnode *n, float *out,
                 bool *percent);

/* ---- the structs a checked template is read into ---- */

/* A scalar value: v is the value (or the described default, or zero when
 * the key is absent), n the node it came from (NULL when absent). */
struct tl_str {
    const char *v;
    const struct tnode *n;
};
struct tl_bool {
    bool v;
    const struct tnode *n;
};
struct tl_int {
    long v;
    const struct tnode *n;
};
struct tl_num {
    double v;
    const struct tnode *n;
};
struct tl_len {
    float v;
    const struct tnode *n;
};
struct tl_width {
    float v;
    bool percent; /* v is a percent of the text width, else points */
    const struct tnode *n;
};
struct tl_color {
    unsigned v; /* 0xRRGGBB */
    const struct tnode *n;
};
struct tl_choice {
    enum tl_word v;
    const struct tnode *n;
};
/* NAMES and TEXTS: the scalar nodes (a single name is one). */
struct tl_nodes {
    const struct tnode *const *v;
    size_t n;
    const struct tnode *node;
};
/* TEXTMAP and EXPRMAP: name[i] (key nodes) -> value[i] (scalar nodes). */
struct tl_pairs {
    const struct tnode *const *name, *const *value;
    size_t n;
    const struct tnode *node;
};
/* TYPEMAP: column name[i] (key nodes) has type[i]. */
struct tl_types {
    const struct tnode *const *name;
    const enum tl_word *type;
    size_t n;
    const struct tnode *node;
};

#define TL_MAP(id, where, form, post, doc) struct tl_##id;
#include "template/tl.def"

/* MAPS, PARAMS, SOURCES: a list of maps; STYLES: a list of such lists.
 * node is the list (or the map of names); key names a style's list. */
#define TL_MAP(id, where, form, post, doc)                                     \
    struct tl_##id##_list {                                                    \
        const struct tl_##id *v;                                               \
        size_t n;                                                              \
        const struct tnode *node, *key;                                        \
    };                                                                         \
    struct tl_##id##_lists {                                                   \
        const struct tl_##id##_list *v;                                        \
        size_t n;                                                              \
        const struct tnode *node;                                              \
    };
#include "template/tl.def"

/* A block of body: kind is its map, item the list item, value the block
 * key's value; u points at the struct of kind. */
struct tl_block {
    enum tl_map_id kind;
    const struct tnode *item, *value;
    union {
#define TL_U_NONE(id)
#define TL_U_MAP(id) const struct tl_##id *id;
#define TL_U_OPTIONAL(id) TL_U_MAP(id)
#define TL_U_TEXT(id) TL_U_MAP(id)
#define TL_U_LIST(id) TL_U_MAP(id)
#define TL_U_SCALAR(id) TL_U_MAP(id)
#define TL_MAP(id, where, form, post, doc) TL_U_##form(id)
#include "template/tl.def"
    } u;
};
struct tl_blocks {
    const struct tl_block *v;
    size_t n;
    const struct tnode *node;
};

/* A field's type by the key's kind. */
#define TL_T_TEXT(a) struct tl_str
#define TL_T_TMPL(a) struct tl_str
#define TL_T_EXPR(a) struct tl_str
#define TL_T_DATA(a) struct tl_str
#define TL_T_STYLE(a) struct tl_str
#define TL_T_BOOL(a) struct tl_bool
#define TL_T_INT(a) struct tl_int
#define TL_T_NUMBER(a) struct tl_num
#define TL_T_LENGTH(a) struct tl_len
#define TL_T_WIDTH(a) struct tl_width
#define TL_T_COLOR(a) struct tl_color
#define TL_T_ENUM(a) struct tl_choice
#define TL_T_MAP(a) const struct tl_##a *
#define TL_T_MAP_OR_LENGTH(a)                                                  \
    struct {                                                                   \
        const struct tl_##a *map;                                              \
        struct tl_len len;                                                     \
    }
#define TL_T_MAP_OR_NAMES(a)                                                   \
    struct {                                                                   \
        const struct tl_##a *map;                                              \
        struct tl_nodes names;                                                 \
    }
#define TL_T_MAPS(a) struct tl_##a##_list
#define TL_T_PARAMS(a) struct tl_##a##_list
#define TL_T_SOURCES(a) struct tl_##a##_list
#define TL_T_STYLES(a) struct tl_##a##_lists
#define TL_T_NAMES(a) struct tl_nodes
#define TL_T_TEXTS(a) struct tl_nodes
#define TL_T_TEXTMAP(a) struct tl_pairs
#define TL_T_EXPRMAP(a) struct tl_pairs
#define TL_T_TYPEMAP(a) struct tl_types
#define TL_T_BLOCKS(a) struct tl_blocks

/* struct tl_ID: node is the map (or the scalar that stands for its
 * TL_MAIN key; NULL for a block written beside its key only), key the
 * key naming it in a map of names (params, data, styles), else NULL. */
#define TL_MAP(id, where, form, post, doc)                                     \
    struct tl_##id {                                                           \
        const struct tnode *node, *key;
#define TL_KEYN(map, field, name, kind, arg, flags, def, doc)                  \
    TL_T_##kind(arg) field;
#define TL_END(id)                                                             \
    }                                                                          \
    ;
#include "template/tl.def"

/* Reads root, which must have passed schema_check, into a struct tl_top
 * in a. A value that does not convert (possible only in a tree that was
 * not checked) is reported to d as schema_check would, and NULL is
 * returned. */
const struct tl_top *tl_read(struct arena *a, struct diag *d,
                             const struct tnode *root);

#endif
