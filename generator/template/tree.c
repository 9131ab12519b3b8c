/* tree: the template's YAML read with libyaml (the only user of
 * <yaml.h>) into positioned nodes, with Spanish messages for syntax
 * errors, and access to a map's entries. Positions inside scalars are
 * tree_pos.c's, conversions of scalars tree_conv.c's. */
#include "template/tree.h"

#include "template/tree_int.h"

#include "base/buf.h"
#include "base/infile.h"
#include "base/limits.h"
#include "base/utf8.h"

#include <yaml.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The event API is used rather than yaml_parser_load: the document API
 * resolves an alias to the anchored node and forgets where the alias was
 * written, so it could neither point at it nor avoid the cycle that
 * `a: &x [1, *x]` builds. Events give every anchor and alias with its
 * position, and building the tree from them needs no recursion. */

struct frame {
    struct tnode *node;
    size_t cap;
    struct tnode *key; /* maps: the key waiting for its value */
    bool bad_key;      /* maps: the pending key was not a scalar */
};

struct loader {
    struct arena *a;
    struct diag *d;
    const char *file;
    const char *text;
    size_t len;
    struct frame *stack;
    size_t depth, cap;
    struct tnode *root;
    bool failed;
    /* Marks arrive in document order: the last line found is where the
     * next search starts, so finding every scalar's source stays linear. */
    size_t seen_line;
    const char *seen;
};

static void error_at(struct loader *l, const yaml_mark_t *m, const char *fmt,
                     ...) __attribute__((format(printf, 3, 4)));

static void error_at(struct loader *l, const yaml_mark_t *m, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(l->d, EXIT_DATAERR, l->file, (unsigned)m->line + 1,
                (unsigned)m->column + 1, fmt, ap);
    va_end(ap);
    l->failed = true;
}

static struct tnode *node_new(struct loader *l, enum tree_kind kind,
                              const yaml_mark_t *m)
{
    struct tnode *n = arena_alloc(l->a, sizeof *n);
    n->kind = kind;
    n->file = l->file;
    n->line = (unsigned)m->line + 1;
    n->col = (unsigned)m->column + 1;
    n->text = "";
    return n;
}

/* Explicit tags from the YAML core schema only say what the value already
 * is, and are accepted (`!!str 2018` keeps 2018 as text, as quotes would);
 * any other tag would need a meaning the template language does not
 * have. */
static bool tag_ok(struct loader *l, const yaml_char_t *tag,
                   const yaml_mark_t *m)
{
    static const char core[] = "tag:yaml.org,2002:";
    if (!tag || strncmp((const char *)tag, core, sizeof core - 1) == 0)
        return true;
    error_at(l, m, "etiqueta YAML '%s' no admitida en las plantillas",
             (const char *)tag);
    return false;
}

static void anchor_error(struct loader *l, const yaml_char_t *anchor,
                         const yaml_mark_t *m)
{
    if (anchor)
        error_at(l, m,
                 "ancla '&%s': los alias y anclas de YAML no se admiten en "
                 "las plantillas",
                 (const char *)anchor);
}

static void append(struct loader *l, struct frame *f, struct tnode *key,
                   struct tnode *item)
{
    struct tnode *p = f->node;
    size_t cap = f->cap;
    p->items = arena_grow(l->a, p->items, &cap, p->n + 1, sizeof *p->items);
    if (p->kind == TREE_MAP) {
        size_t kcap = f->cap;
        p->keys = arena_grow(l->a, p->keys, &kcap, p->n + 1, sizeof *p->keys);
        p->keys[p->n] = key;
    }
    f->cap = cap;
    p->items[p->n++] = item;
}

/* A finished node goes to its parent: a key, a map value or a list item. */
static void attach(struct loader *l, struct tnode *n)
{
    if (l->depth == 0) {
        l->root = n;
        return;
    }
    struct frame *f = &l->stack[l->depth - 1];
    if (f->node->kind == TREE_SEQ) {
        append(l, f, NULL, n);
        return;
    }
    if (!f->key && !f->bad_key) {
        if (n->kind != TREE_SCALAR) {
            diag_error(l->d, l->file, n->line, n->col,
                       "una clave debe ser un texto simple, no %s",
                       n->kind == TREE_MAP ? "un mapa" : "una lista");
            l->failed = true;
            f->bad_key = true;
            return;
        }
        const struct tnode *m = f->node;
        for (size_t i = 0; i < m->n; i++) {
            const struct tnode *k = m->keys[i];
            if (k->len == n->len && memcmp(k->text, n->text, n->len) == 0) {
                diag_error(l->d, l->file, n->line, n->col,
                           "clave '%s' repetida; la primera está en la "
                           "línea %u",
                           n->text, k->line);
                diag_note(l->d, l->file, k->line, k->col,
                          "primera aparición de '%s'", k->text);
                l->failed = true;
                break;
            }
        }
        f->key = n;
        return;
    }
    if (!f->bad_key)
        append(l, f, f->key, n);
    f->key = NULL;
    f->bad_key = false;
}

static void push(struct loader *l, struct tnode *n)
{
    l->stack =
        arena_grow(l->a, l->stack, &l->cap, l->depth + 1, sizeof *l->stack);
    l->stack[l->depth++] = (struct frame){.node = n};
}

static void pop(struct loader *l)
{
    struct tnode *n = l->stack[--l->depth].node;
    attach(l, n);
}

/* Byte pointer to a mark (0-based line, column in characters). */
static const char *mark_ptr(struct loader *l, const yaml_mark_t *m)
{
    const char *end = l->text + l->len;
    if (!l->seen || m->line < l->seen_line) {
        l->seen = l->text;
        l->seen_line = 0;
    }
    while (l->seen_line < m->line && l->seen < end) {
        const char *nl = memchr(l->seen, '\n', (size_t)(end - l->seen));
        l->seen = nl ? nl + 1 : end;
        l->seen_line++;
    }
    const char *p = l->seen;
    for (size_t c = 0; c < m->column && p < end && *p != '\n'; c++) {
        size_t k;
        utf8_decode(p, (size_t)(end - p), &k);
        p += k;
    }
    return p;
}

/* Keeps the source of a scalar whose text is not a plain copy of it, for
 * tree_text_pos. */
static void keep_raw(struct loader *l, struct tnode *n, const yaml_event_t *e)
{
    switch (e->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        n->style = '\'';
        break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n->style = '"';
        break;
    case YAML_LITERAL_SCALAR_STYLE:
        n->style = '|';
        break;
    case YAML_FOLDED_SCALAR_STYLE:
        n->style = '>';
        break;
    default:
        break;
    }
    const char *from = mark_ptr(l, &e->start_mark);
    const char *to = mark_ptr(l, &e->end_mark);
    if (to <= from)
        return;
    size_t k = (size_t)(to - from);
    if (!n->style && k == n->len && memcmp(from, n->text, k) == 0)
        return;
    n->raw = arena_strndup(l->a, from, k);
    n->rawlen = k;
}

static void scalar(struct loader *l, const yaml_event_t *e)
{
    struct tnode *n = node_new(l, TREE_SCALAR, &e->start_mark);
    size_t len = e->data.scalar.length;
    char *s = arena_alloc(l->a, len + 1);
    memcpy(s, e->data.scalar.value, len);
    n->text = s;
    n->len = len;
    switch (e->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        n->quoted = true;
        break;
    default:
        break;
    }
    const char *tag = (const char *)e->data.scalar.tag;
    if (tag && strcmp(tag, "tag:yaml.org,2002:str") == 0)
        n->quoted = true;
    keep_raw(l, n, e);
    anchor_error(l, e->data.scalar.anchor, &e->start_mark);
    tag_ok(l, e->data.scalar.tag, &e->start_mark);
    attach(l, n);
}

/* Byte pointer to 0-based (line, column), columns counting characters. */
static const char *locate(const struct loader *l, size_t line, size_t col)
{
    const char *p = l->text, *end = l->text + l->len;
    for (size_t i = 0; i < line && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    for (size_t c = 0; c < col && p < end && *p != '\n'; c++) {
        size_t k;
        utf8_decode(p, (size_t)(end - p), &k);
        p += k;
    }
    return p;
}

/* 1-based line and character column of a byte offset. */
static void offset_pos(const char *text, size_t off, unsigned *line,
                       unsigned *col)
{
    unsigned ln = 1, c = 1;
    for (size_t i = 0; i < off;) {
        if (text[i] == '\n') {
            ln++, c = 1, i++;
            continue;
        }
        size_t k;
        utf8_decode(text + i, off - i, &k);
        i += k;
        c++;
    }
    *line = ln;
    *col = c;
}

/* Indentations (in spaces) of the keys a new line could line up with:
 * every open map, and the maps along the last entries added. */
static size_t key_indents(const struct loader *l, unsigned *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < l->depth; i++) {
        const struct tnode *t = l->stack[i].node;
        for (; t; t = t->n ? t->items[t->n - 1] : NULL) {
            if (t->kind == TREE_SCALAR)
                break;
            if (t->kind != TREE_MAP || !t->col)
                continue;
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = out[k] == t->col - 1;
            if (!seen && n < max)
                out[n++] = t->col - 1;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && out[k - 1] > out[k]; k--) {
            unsigned x = out[k];
            out[k] = out[k - 1];
            out[k - 1] = x;
        }
    return n;
}

/* A line that starts with `key:` at an indentation no map around it uses
 * reaches libyaml as a stray ':' (more indented: the line continues the
 * value above) or as a missing key or '-' (less indented). Either way
 * the author misplaced the key: say so at the key, with the indentations
 * it could have. colon: the ':' libyaml stopped at, or NULL when it
 * stopped at the key itself (c). */
static bool misindented_key(struct loader *l, const char *c, bool at_colon)
{
    const char *end = l->text + l->len;
    const char *ls = c;
    while (ls > l->text && ls[-1] != '\n')
        ls--;
    const char *ks = ls;
    while (ks < end && *ks == ' ')
        ks++;
    if (ks >= end || strchr("-?#[]{},&*!|>%@`'\":\n\r\t", *ks))
        return false;
    if (!at_colon && ks != c)
        return false;
    const char *colon = ks;
    while (colon < end && *colon != '\n' &&
           !(*colon == ':' && (colon + 1 >= end || strchr(" \n\r", colon[1]))))
        colon++;
    if (colon >= end || *colon != ':' || (at_colon && colon != c))
        return false;
    const char *ke = colon;
    while (ke > ks && ke[-1] == ' ')
        ke--;
    unsigned ind[16];
    size_t n = key_indents(l, ind, sizeof ind / sizeof *ind);
    unsigned have = (unsigned)(ks - ls);
    for (size_t i = 0; i < n; i++)
        if (ind[i] == have)
            return false;
    if (n == 0)
        return false;
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_adds(&b, i + 1 == n ? " o " : ", ");
        buf_printf(&b, "%u", ind[i]);
    }
    unsigned line, col;
    offset_pos(l->text, (size_t)(ks - l->text), &line, &col);
    diag_error(l->d, l->file, line, col,
               "error de sintaxis YAML: la clave '%.*s' tiene %u %s de "
               "sangría y las claves anteriores tienen %s; revise la "
               "sangría",
               (int)(ke - ks), ks, have, have == 1 ? "espacio" : "espacios",
               b.data);
    buf_release(&b);
    if (at_colon) {
        offset_pos(l->text, (size_t)(colon - l->text), &line, &col);
        diag_note(l->d, l->file, line, col,
                  "si este ':' es parte del texto de la línea anterior, "
                  "escriba ese texto entre comillas");
    }
    l->failed = true;
    return true;
}

/* libyaml's problems in Spanish. Where the context mark says better where
 * the mistake is (the opening quote of an unclosed string, the key that
 * lacks its ':'), the message goes there. */
static void syntax_error(struct loader *l, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "error desconocido";
    const char *context = p->context ? p->context : "";
    const yaml_mark_t *at = &p->problem_mark;
    const char *what = NULL;
    const char *c = locate(l, at->line, at->column);
    bool at_end = c >= l->text + l->len;

    if (p->error == YAML_READER_ERROR) {
        unsigned line, col;
        size_t off = p->problem_offset < l->len ? p->problem_offset : l->len;
        offset_pos(l->text, off, &line, &col);
        if (strstr(problem, "control"))
            diag_error(l->d, l->file, line, col,
                       "carácter de control no permitido en una plantilla");
        else
            diag_error(l->d, l->file, line, col, "error de lectura YAML: %s",
                       problem);
        l->failed = true;
        return;
    }
    if (!at_end && p->error == YAML_SCANNER_ERROR &&
        strcmp(problem, "mapping values are not allowed in this context") ==
            0 &&
        misindented_key(l, c, true))
        return;
    if (!at_end && p->error == YAML_PARSER_ERROR &&
        (strcmp(problem, "did not find expected key") == 0 ||
         strcmp(problem, "did not find expected '-' indicator") == 0) &&
        misindented_key(l, c, false))
        return;
    if (strstr(problem, "tab") || (!at_end && *c == '\t')) {
        what = "tabulador en la sangría; use solo espacios";
    } else if (strcmp(problem, "mapping values are not allowed in this "
                               "context") == 0) {
        what = "':' inesperado; un texto que contiene ': ' debe ir entre "
               "comillas";
    } else if (strcmp(problem, "did not find expected key") == 0) {
        what = "se esperaba una clave; revise la sangría de esta línea";
    } else if (strcmp(problem, "could not find expected ':'") == 0) {
        what = "falta ':' después de la clave";
        at = &p->context_mark;
    } else if (strcmp(problem, "found character that cannot start any "
                               "token") == 0) {
        if (!at_end && (*c == '@' || *c == '`'))
            error_at(l, at,
                     "error de sintaxis YAML: un valor no puede empezar con "
                     "'%c'; escríbalo entre comillas",
                     *c);
        else
            error_at(l, at, "error de sintaxis YAML: carácter inesperado");
        return;
    } else if (strcmp(problem, "found undefined tag handle") == 0) {
        what = "etiqueta YAML no definida; si el texto empieza con '!', "
               "escríbalo entre comillas";
    } else if (strstr(context, "quoted scalar") &&
               strstr(problem, "end of stream")) {
        what = "comillas sin cerrar";
        at = &p->context_mark;
    } else if (strstr(context, "quoted scalar") &&
               strstr(problem, "document")) {
        what = "comillas sin cerrar";
        at = &p->context_mark;
    } else if (strcmp(problem, "found unknown escape character") == 0) {
        what = "secuencia de escape desconocida entre comillas dobles; use "
               "'\\\\' para una barra invertida o comillas simples";
    } else if (strcmp(problem, "did not find expected ',' or ']'") == 0) {
        what = "se esperaba ',' o ']' en la lista entre corchetes";
    } else if (strcmp(problem, "did not find expected ',' or '}'") == 0) {
        what = "se esperaba ',' o '}' en el mapa entre llaves";
    } else if (strcmp(problem, "did not find expected '-' indicator") == 0) {
        what = "se esperaba un elemento de lista ('- '); revise la sangría";
    } else if (strcmp(problem, "block sequence entries are not allowed in "
                               "this context") == 0) {
        what = "no se admite un elemento de lista ('- ') aquí; revise la "
               "sangría";
    } else if (strcmp(problem, "did not find expected node content") == 0) {
        what = "falta un valor";
    } else if (strstr(problem, "end of stream")) {
        what = "fin inesperado del archivo";
    }
    if (what)
        error_at(l, at, "error de sintaxis YAML: %s", what);
    else if (*context)
        error_at(l, at, "error de sintaxis YAML: %s (%s)", problem, context);
    else
        error_at(l, at, "error de sintaxis YAML: %s", problem);
    bool bracket = strstr(problem, "expected ',' or") != NULL;
    if (bracket && p->context)
        diag_note(l->d, l->file, (unsigned)p->context_mark.line + 1,
                  (unsigned)p->context_mark.column + 1,
                  "aquí se abre la lista o el mapa");
}

/* libyaml's scanner takes time quadratic in the nesting and has no bound
 * of its own: the limit is checked at each start event, so reading stops
 * at the first list or map one level too deep, before libyaml scans the
 * levels after it. */
static bool too_deep(struct loader *l, const yaml_event_t *e)
{
    if ((int64_t)l->depth < limit(LIMIT_YAML_DEPTH))
        return false;
    limits_exceeded(l->d, LIMIT_YAML_DEPTH, l->file,
                    (unsigned)e->start_mark.line + 1,
                    (unsigned)e->start_mark.column + 1,
                    "el anidamiento de listas y mapas de la plantilla");
    l->failed = true;
    return true;
}

/* Handles one event; false once the stream is over or broken. */
static bool on_event(struct loader *l, const yaml_event_t *e, int *docs)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*docs > 1) {
            error_at(l, &e->start_mark,
                     "la plantilla tiene más de un documento YAML; quite "
                     "la línea '---'");
            return false;
        }
        return true;
    case YAML_ALIAS_EVENT:
        error_at(l, &e->start_mark,
                 "alias '*%s': los alias y anclas de YAML no se admiten en "
                 "las plantillas",
                 (const char *)e->data.alias.anchor);
        /* An empty text keeps the map or list well formed. */
        attach(l, node_new(l, TREE_SCALAR, &e->start_mark));
        return true;
    case YAML_SCALAR_EVENT:
        scalar(l, e);
        return true;
    case YAML_SEQUENCE_START_EVENT:
        if (too_deep(l, e))
            return false;
        anchor_error(l, e->data.sequence_start.anchor, &e->start_mark);
        tag_ok(l, e->data.sequence_start.tag, &e->start_mark);
        push(l, node_new(l, TREE_SEQ, &e->start_mark));
        return true;
    case YAML_MAPPING_START_EVENT:
        if (too_deep(l, e))
            return false;
        anchor_error(l, e->data.mapping_start.anchor, &e->start_mark);
        tag_ok(l, e->data.mapping_start.tag, &e->start_mark);
        push(l, node_new(l, TREE_MAP, &e->start_mark));
        return true;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (l->depth)
            pop(l);
        return true;
    case YAML_STREAM_END_EVENT:
        return false;
    default:
        return true;
    }
}

static void check_utf8(struct loader *l)
{
    size_t bad = utf8_validate(l->text, l->len);
    if (bad == l->len)
        return;
    unsigned line, col;
    offset_pos(l->text, bad, &line, &col);
    diag_error(l->d, l->file, line, col,
               "texto UTF-8 no válido (byte 0x%02X); guarde la plantilla "
               "como UTF-8",
               (unsigned)(unsigned char)l->text[bad]);
    l->failed = true;
}

bool tree_blank(const struct tnode *n)
{
    return n->kind == TREE_SCALAR && !n->quoted && n->len == 0;
}

struct tnode *tree_load_mem(struct arena *a, struct diag *d, const char *name,
                            const char *text, size_t len)
{
    struct loader l = {.a = a, .d = d, .text = text, .len = len};
    l.file = arena_strdup(a, name);
    diag_add_source(d, l.file, text, len);
    check_utf8(&l);
    if (l.failed)
        return NULL;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        arena_oom();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    int docs = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            if (parser.error == YAML_MEMORY_ERROR)
                arena_oom();
            syntax_error(&l, &parser);
            break;
        }
        bool more = on_event(&l, &e, &docs);
        yaml_event_delete(&e);
        if (!more || diag_full(d))
            break;
    }
    yaml_parser_delete(&parser);
    if (l.failed)
        return NULL;
    if (!l.root || tree_blank(l.root)) {
        diag_error(d, l.file, 0, 0, "la plantilla está vacía");
        return NULL;
    }
    return l.root;
}

struct tnode *tree_load_file(struct arena *a, struct diag *d, const char *path)
{
    char *text;
    size_t len;
    if (!infile_read(d, path, "la plantilla", NULL, NULL, &text, &len))
        return NULL;
    struct tnode *root = tree_load_mem(a, d, path, text, len);
    free(text);
    return root;
}

struct tnode *tree_get(const struct tnode *map, const char *key)
{
    if (!map || map->kind != TREE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->text, key) == 0)
            return map->items[i];
    return NULL;
}

const char *tree_get_text(const struct tnode *map, const char *key,
                          const char *def)
{
    const struct tnode *n = tree_get(map, key);
    return n && n->kind == TREE_SCALAR ? n->text : def;
}
