/* tree: the template's YAML read with libyaml into positioned nodes, with
 * Spanish messages for syntax errors, and the scalar conversions. */
#include "template/tree.h"

#include "base/buf.h"
#include "base/infile.h"
#include "base/limits.h"
#include "base/utf8.h"

#include <yaml.h>

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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

static bool blank(const struct tnode *n)
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
    if (!l.root || blank(l.root)) {
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

/* ------------------------------------------------ positions in text --- */

static int hex_digit(char c);

/* The source of a scalar read again the way YAML reads it, each byte of
 * the text it yields checked against the node's text; the source
 * character that yields byte `want` is remembered. A mismatch stops the
 * walk (the position then falls back to the node's). */
struct walk {
    const struct tnode *n;
    size_t out, want;
    const char *hit;
    size_t run;        /* bytes from hit on copied as they are */
    const char *after; /* just after the source of the last byte */
    bool bad;
};

/* The walk goes on until the wanted byte is found or the text differs. */
static bool going(const struct walk *w)
{
    return !w->bad && !w->hit;
}

/* Bytes v of the text, all produced by the source character at src. */
static void emit(struct walk *w, const char *v, size_t k, const char *src)
{
    for (size_t i = 0; i < k && going(w); i++, w->out++) {
        if (w->out >= w->n->len || w->n->text[w->out] != v[i]) {
            w->bad = true;
            return;
        }
        if (w->out == w->want) {
            w->hit = src;
            w->run = 1;
        }
        w->after = src + 1;
    }
}

/* Source bytes [p, p + k) copied as they are into the text. */
static void emit_run(struct walk *w, const char *p, size_t k)
{
    if (!going(w))
        return;
    bool here = w->want >= w->out && w->want - w->out < k;
    size_t m = here ? w->want - w->out + 1 : k;
    if (m > w->n->len - w->out || memcmp(w->n->text + w->out, p, m) != 0) {
        size_t j = 0;
        while (j < m && w->out + j < w->n->len &&
               w->n->text[w->out + j] == p[j])
            j++;
        w->out += j;
        if (j)
            w->after = p + j;
        w->bad = true;
        return;
    }
    if (here) {
        w->hit = p + (w->want - w->out);
        w->run = k - (w->want - w->out);
    }
    w->out += m;
    w->after = p + m;
}

static bool blank_char(char c)
{
    return c == ' ' || c == '\t';
}

/* The character a double-quoted escape stands for (p after the '\\'),
 * its length in the source after the backslash, or false. */
static bool unescape(const char *p, const char *end, char *out, size_t *k,
                     size_t *used)
{
    static const char from[] = "0abt\tnvfre \"/\\'";
    static const char to[] = "\0\a\b\t\t\n\v\f\r\x1b \"/\\'";
    uint32_t cp = 0;
    size_t hex = 0;
    *used = 1;
    const char *f = p < end && *p ? strchr(from, *p) : NULL;
    if (f) {
        out[0] = to[f - from];
        *k = 1;
        return true;
    }
    switch (p < end ? *p : 0) {
    case 'N':
        cp = 0x85;
        break;
    case '_':
        cp = 0xA0;
        break;
    case 'L':
        cp = 0x2028;
        break;
    case 'P':
        cp = 0x2029;
        break;
    case 'x':
        hex = 2;
        break;
    case 'u':
        hex = 4;
        break;
    case 'U':
        hex = 8;
        break;
    default:
        return false;
    }
    for (size_t i = 1; i <= hex; i++) {
        int h = p + i < end ? hex_digit(p[i]) : -1;
        if (h < 0)
            return false;
        cp = cp << 4 | (uint32_t)h;
    }
    *used = 1 + hex;
    *k = utf8_encode(cp, out);
    return true;
}

/* One line of a quoted or plain scalar, [p, e): '' is a quote in single
 * quotes, escapes are decoded in double quotes. */
static void emit_line(struct walk *w, char style, const char *p, const char *e)
{
    while (p < e && going(w)) {
        const char *q = p;
        while (q < e && !(style == '\'' && *q == '\'') &&
               !(style == '"' && *q == '\\'))
            q++;
        if (q > p) {
            emit_run(w, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (style == '\'' && *p == '\'' && p + 1 < e && p[1] == '\'') {
            emit(w, p, 1, p);
            p += 2;
        } else if (style == '"' && *p == '\\') {
            char v[4];
            size_t k, used;
            if (!unescape(p + 1, e, v, &k, &used)) {
                w->bad = true;
                return;
            }
            emit(w, v, k, p);
            p += 1 + used;
        } else {
            emit(w, p, 1, p);
            p++;
        }
    }
}

/* Plain and quoted scalars, [p, e) without the quotes: each line loses
 * its leading (but the first) and trailing (but the last) blanks; one
 * line break becomes a space, n+1 breaks become n newlines, and in
 * double quotes a '\\' at the end of a line joins it to the next. */
static void walk_flow(struct walk *w, char style, const char *p, const char *e)
{
    bool first = true, joined = false;
    size_t breaks = 0;
    const char *brk = NULL;
    while (p <= e && going(w)) {
        const char *eol = memchr(p, '\n', (size_t)(e - p));
        bool last = !eol;
        if (!eol)
            eol = e;
        const char *lo = p, *hi = eol;
        if (!first)
            while (lo < hi && blank_char(*lo))
                lo++;
        bool escaped_break = false;
        if (!last) {
            if (hi > lo && hi[-1] == '\r')
                hi--;
            size_t bs = 0;
            while (style == '"' && hi - bs > lo && *(hi - bs - 1) == '\\')
                bs++;
            if (bs % 2) {
                escaped_break = true;
                hi--;
            } else {
                while (hi > lo && blank_char(hi[-1]) &&
                       !(style == '"' && hi - 1 > lo && hi[-2] == '\\'))
                    hi--;
            }
        }
        if (!first && !last && lo == hi && !escaped_break) {
            breaks++;
        } else {
            if (!first) {
                if (joined || breaks > 0) {
                    for (size_t i = 0; i < breaks; i++)
                        emit(w, "\n", 1, brk);
                } else {
                    emit(w, " ", 1, brk);
                }
            }
            emit_line(w, style, lo, hi);
            first = false;
            breaks = 0;
            joined = escaped_break;
            brk = eol;
        }
        if (last)
            break;
        p = eol + 1;
    }
}

static size_t spaces(const char *p, const char *e)
{
    size_t k = 0;
    while (p + k < e && p[k] == ' ')
        k++;
    return k;
}

/* Literal and folded block scalars: the header line, then lines that lose
 * the block's indentation. The indentation is what the first line with
 * a non-blank character has more than the same line in the text (this
 * covers both an explicit indicator and the detected one). Folding
 * follows libyaml: a single break between two lines that do not start
 * with a blank becomes a space. */
static void walk_block(struct walk *w, const char *p, const char *e)
{
    bool folded = w->n->style == '>';
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl)
        return;
    p = nl + 1;
    const char *q = p;
    size_t src_sp = 0;
    for (; q < e; q++) {
        const char *eol = memchr(q, '\n', (size_t)(e - q));
        eol = eol ? eol : e;
        size_t k = spaces(q, eol);
        if (q + k < eol && q[k] != '\r') {
            src_sp = k;
            break;
        }
        q = eol;
    }
    const char *t = w->n->text, *te = t + w->n->len;
    while (t < te) {
        const char *eol = memchr(t, '\n', (size_t)(te - t));
        eol = eol ? eol : te;
        size_t k = spaces(t, eol);
        if (t + k < eol)
            break;
        t = eol < te ? eol + 1 : te;
    }
    if (t >= te)
        return;
    size_t val_sp = spaces(t, te);
    if (val_sp > src_sp)
        return;
    size_t indent = src_sp - val_sp;
    const char *lead = NULL, *trail = NULL;
    size_t trailing = 0;
    bool lead_blank = false;
    while (p < e && going(w)) {
        const char *eol = memchr(p, '\n', (size_t)(e - p));
        bool has_break = eol != NULL;
        eol = eol ? eol : e;
        size_t k = spaces(p, eol);
        if (k > indent)
            k = indent;
        const char *c = p + k;
        if (k < indent || c == eol || (*c == '\r' && c + 1 == eol)) {
            if (has_break && trailing++ == 0)
                trail = eol;
        } else {
            bool tblank = blank_char(*c);
            if (folded && lead && !lead_blank && !tblank) {
                if (trailing == 0)
                    emit(w, " ", 1, lead);
            } else if (lead) {
                emit(w, "\n", 1, lead);
            }
            for (size_t i = 0; i < trailing; i++)
                emit(w, "\n", 1, trail);
            trailing = 0;
            lead_blank = tblank;
            const char *hi = eol > c && eol[-1] == '\r' ? eol - 1 : eol;
            emit_run(w, c, (size_t)(hi - c));
            lead = has_break ? eol : NULL;
        }
        if (!has_break)
            break;
        p = eol + 1;
    }
}

/* Characters that start in s[0..n) (an offset inside a character counts
 * as that character). */
static unsigned chars_in(const char *s, size_t n)
{
    unsigned k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* tree_text_pos, also giving how many bytes from off on are copied as
 * they are from the same source line (0 when unknown). */
static size_t text_pos(const struct tnode *n, size_t off, unsigned *line,
                       unsigned *col)
{
    *line = n ? n->line : 0;
    *col = n ? n->col : 0;
    if (!n || n->kind != TREE_SCALAR)
        return 0;
    if (off > n->len)
        off = n->len;
    if (!n->raw) {
        *col += chars_in(n->text, off);
        return n->len - off;
    }
    struct walk w = {.n = n, .want = off};
    const char *p = n->raw, *e = n->raw + n->rawlen;
    switch (n->style) {
    case '\'':
    case '"':
        if (e - p >= 2)
            walk_flow(&w, n->style, p + 1, e - 1);
        break;
    case '|':
    case '>':
        walk_block(&w, p, e);
        break;
    default:
        walk_flow(&w, 0, p, e);
        break;
    }
    /* The end of the text, or line breaks kept after it (`|+`): just
     * after the last character read. */
    if (!w.hit && !w.bad && off >= w.out && w.after)
        w.hit = w.after, w.run = 0;
    /* Past what the source accounts for (a lone '\r' as a line break,
     * say): the last place known. */
    if (!w.hit && w.bad && w.after)
        w.hit = w.after, w.run = 0;
    if (!w.hit)
        return 0;
    unsigned ln = n->line, c = n->col;
    const char *s = n->raw, *nl;
    while ((nl = memchr(s, '\n', (size_t)(w.hit - s))) != NULL) {
        ln++;
        c = 1;
        s = nl + 1;
    }
    *line = ln;
    *col = c + chars_in(s, (size_t)(w.hit - s));
    return w.run;
}

void tree_text_pos(const struct tnode *n, size_t off, unsigned *line,
                   unsigned *col)
{
    text_pos(n, off, line, col);
}

void tree_cursor_pos(struct tree_cursor *c, size_t off, unsigned *line,
                     unsigned *col)
{
    if (c->run && off >= c->off && off - c->off < c->run) {
        /* Step the cursor forward, so a long line costs one pass in all
         * (chars_in is additive), not one pass per token. */
        size_t step = off - c->off;
        c->col += chars_in(c->n->text + c->off, step);
        c->off = off;
        c->run -= step;
        *line = c->line;
        *col = c->col;
        return;
    }
    c->run = text_pos(c->n, off, line, col);
    c->off = off;
    c->line = *line;
    c->col = *col;
}

void tree_error(struct diag *d, const struct tnode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, EXIT_DATAERR, n->file, n->line, n->col, fmt, ap);
    va_end(ap);
}

static const char *kind_noun(enum tree_kind k)
{
    switch (k) {
    case TREE_MAP:
        return "un mapa";
    case TREE_SEQ:
        return "una lista";
    case TREE_SCALAR:
        return "un texto";
    }
    return "un valor";
}

/* "y se encontró una lista", or "pero el valor está vacío". */
static const char *found(const struct tnode *n)
{
    if (blank(n))
        return "pero el valor está vacío";
    switch (n->kind) {
    case TREE_MAP:
        return "y se encontró un mapa";
    case TREE_SEQ:
        return "y se encontró una lista";
    case TREE_SCALAR:
        return "y se encontró un texto";
    }
    return "";
}

bool tree_expect(struct diag *d, const struct tnode *n, enum tree_kind kind)
{
    if (n->kind == kind)
        return true;
    tree_error(d, n, "se esperaba %s %s", kind_noun(kind), found(n));
    return false;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

bool tree_to_bool(struct diag *d, const struct tnode *n, bool *out)
{
    static const char *const yes[] = {"true", "yes", "si", "sí", "Sí", "SÍ"};
    static const char *const no[] = {"false", "no"};
    if (n->kind == TREE_SCALAR) {
        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
            if (ieq(n->text, yes[i])) {
                *out = true;
                return true;
            }
        }
        for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
            if (ieq(n->text, no[i])) {
                *out = false;
                return true;
            }
        }
        if (!blank(n)) {
            tree_error(d, n, "se esperaba true o false y se encontró '%s'",
                       n->text);
            return false;
        }
    }
    tree_error(d, n, "se esperaba true o false %s", found(n));
    return false;
}

/* Decimal number: [sign] digits [. digits] [e [sign] digits], nothing
 * else. Digits are gathered into an integer and scaled once, which is
 * exact for the short figures a template holds. */
static bool parse_decimal(const char *s, size_t n, double *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int scale = 0;
    bool any = false;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
        if (mant < UINT64_C(100000000000000000))
            mant = mant * 10 + (uint64_t)(s[i] - '0');
        else
            scale++;
    }
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, any = true) {
            if (mant < UINT64_C(100000000000000000))
                mant = mant * 10 + (uint64_t)(s[i] - '0'), scale--;
        }
    }
    if (!any)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        int ex = 0;
        bool edig = false;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, edig = true)
            if (ex < 10000)
                ex = ex * 10 + (s[i] - '0');
        if (!edig)
            return false;
        scale += eneg ? -ex : ex;
    }
    if (i != n)
        return false;
    if (mant == 0) {
        *out = 0;
        return true;
    }
    double v = (double)mant;
    double p = 1;
    int k = scale < 0 ? -scale : scale;
    for (double base = 10; k; k >>= 1, base *= base)
        if (k & 1)
            p *= base;
    v = scale < 0 ? v / p : v * p;
    if (!isfinite(v) || v == 0)
        return false;
    *out = neg ? -v : v;
    return true;
}

static bool number_text(const struct tnode *n, double *out)
{
    return n->kind == TREE_SCALAR && parse_decimal(n->text, n->len, out);
}

/* A comma where the decimal point should be is the commonest slip of a
 * Spanish-speaking author; say so. */
static void number_error(struct diag *d, const struct tnode *n,
                         const char *what)
{
    if (n->kind != TREE_SCALAR || blank(n)) {
        tree_error(d, n, "se esperaba %s %s", what, found(n));
        return;
    }
    const char *comma = memchr(n->text, ',', n->len);
    if (comma) {
        tree_error(d, n,
                   "se esperaba %s y se encontró '%s'; use punto decimal "
                   "(85.3), no coma",
                   what, n->text);
        return;
    }
    tree_error(d, n, "se esperaba %s y se encontró '%s'", what, n->text);
}

bool tree_to_long(struct diag *d, const struct tnode *n, long min, long max,
                  long *out)
{
    if (n->kind == TREE_SCALAR && n->len > 0) {
        const char *s = n->text;
        size_t i = 0;
        bool neg = false;
        if (s[i] == '-' || s[i] == '+')
            neg = s[i++] == '-';
        bool digits = i < n->len, big = false;
        unsigned long v = 0;
        for (; i < n->len; i++) {
            if (s[i] < '0' || s[i] > '9') {
                digits = false;
                break;
            }
            if (v > (unsigned long)LONG_MAX / 10)
                big = true;
            else
                v = v * 10 + (unsigned long)(s[i] - '0');
        }
        if (digits) {
            long x = big || v > (unsigned long)LONG_MAX ? LONG_MAX : (long)v;
            if (neg)
                x = -x;
            if (big || x < min || x > max) {
                tree_error(d, n,
                           "el valor %s está fuera del rango (de %ld a "
                           "%ld)",
                           n->text, min, max);
                return false;
            }
            *out = x;
            return true;
        }
    }
    number_error(d, n, "un número entero");
    return false;
}

bool tree_to_double(struct diag *d, const struct tnode *n, double *out)
{
    if (number_text(n, out))
        return true;
    number_error(d, n, "un número");
    return false;
}

bool tree_to_length(struct diag *d, const struct tnode *n, float *out)
{
    static const struct {
        const char *unit;
        double pt;
    } units[] = {
        {"pt", 1.0}, {"cm", 72.0 / 2.54}, {"mm", 72.0 / 25.4}, {"in", 72.0}};
    if (n->kind != TREE_SCALAR || blank(n)) {
        tree_error(d, n, "se esperaba una longitud (2cm, 20mm, 56.7pt, 1in) %s",
                   found(n));
        return false;
    }
    size_t len = n->len;
    while (len > 0 && n->text[len - 1] == ' ')
        len--;
    size_t num = len;
    while (num > 0 && ((n->text[num - 1] >= 'a' && n->text[num - 1] <= 'z') ||
                       (n->text[num - 1] >= 'A' && n->text[num - 1] <= 'Z') ||
                       n->text[num - 1] == '%'))
        num--;
    const char *unit = n->text + num;
    size_t ulen = len - num;
    while (num > 0 && n->text[num - 1] == ' ')
        num--;
    double v, factor = 0;
    if (!parse_decimal(n->text, num, &v)) {
        tree_error(d, n,
                   "se esperaba una longitud (2cm, 20mm, 56.7pt, 1in) y se "
                   "encontró '%s'",
                   n->text);
        return false;
    }
    if (ulen == 0)
        factor = 1.0;
    for (size_t i = 0; i < sizeof units / sizeof *units && !factor; i++)
        if (ulen == 2 && memcmp(unit, units[i].unit, 2) == 0)
            factor = units[i].pt;
    if (!factor) {
        tree_error(d, n,
                   "unidad de longitud desconocida '%.*s' en '%s'; use cm, "
                   "mm, pt o in",
                   (int)ulen, unit, n->text);
        return false;
    }
    if (v < 0) {
        tree_error(d, n, "la longitud no puede ser negativa: '%s'", n->text);
        return false;
    }
    if (v * factor > 1e5) {
        tree_error(d, n, "longitud demasiado grande: '%s'", n->text);
        return false;
    }
    *out = (float)(v * factor);
    return true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool tree_to_color(struct diag *d, const struct tnode *n, unsigned *out)
{
    if (n->kind != TREE_SCALAR) {
        tree_error(d, n, "se esperaba un color \"#RRGGBB\" %s", found(n));
        return false;
    }
    if (blank(n)) {
        /* `fill: #FFF` is a comment in YAML: the value is lost. */
        tree_error(d, n,
                   "falta el color; escríbalo entre comillas (\"#RRGGBB\"): "
                   "sin ellas, '#' empieza un comentario");
        return false;
    }
    const char *s = n->text;
    if (s[0] == '#' && (n->len == 7 || n->len == 4)) {
        unsigned v = 0;
        bool ok = true;
        for (size_t i = 1; i < n->len && ok; i++) {
            int h = hex_digit(s[i]);
            ok = h >= 0;
            v = v << 4 | (unsigned)(h < 0 ? 0 : h);
            if (n->len == 4)
                v = v << 4 | (unsigned)(h < 0 ? 0 : h);
        }
        if (ok) {
            *out = v;
            return true;
        }
    }
    tree_error(d, n, "color no válido '%s'; se esperaba \"#RRGGBB\" o \"#RGB\"",
               s);
    return false;
}
