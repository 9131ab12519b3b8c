/* informe-lang: writes the reference of the template language from its one
 * description (generator/template/tl.def, through template/tl.h):
 *
 *   informe-lang keys DOC    DOC with the table of every
 *                            `<!-- keys: MAP -->` ... `<!-- /keys -->`
 *                            block rewritten (MAP: a map of tl.def, or
 *                            `blocks` for the blocks of body)
 *   informe-lang schema      the JSON Schema editors check templates with
 *
 * Both go to standard output; `make docs-keys` writes them into
 * docs/templates.md and docs/informe.schema.json and `make docs-check`
 * fails when the checked-in copies differ. It is a program of its own,
 * linked with libinforme.a, rather than a command of informe: what it
 * writes is for the people who build informe, not for its users, and the
 * tables are the binary's own (the same objects informe checks with). */
#include "base/buf.h"
#include "template/tl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- naming ---- */

/* How the reference names map m reached through key k. */
static void sub_name(struct buf *b, const struct tl_key *k)
{
    const struct tl_map *m = &tl_maps[k->arg];
    if (m->where)
        buf_adds(b, m->where);
    else
        buf_printf(b, "%s.%s", tl_maps[k->map].where, k->name);
}

static void words_of(struct buf *b, enum tl_set s, const char *quote,
                     const char *sep)
{
    const char *w[32];
    size_t n = tl_set_words(s, w, 32);
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s%s%s", i ? sep : "", quote, w[i], quote);
}

static void kind_text(struct buf *b, const struct tl_key *k)
{
    static const char *const plain[] = {
        [TLV_TEXT] = "text",
        [TLV_TMPL] = "text with `{…}`",
        [TLV_EXPR] = "expression",
        [TLV_BOOL] = "boolean",
        [TLV_INT] = "integer",
        [TLV_NUMBER] = "number",
        [TLV_LENGTH] = "length",
        [TLV_WIDTH] = "length or percent",
        [TLV_COLOR] = "colour",
        [TLV_ENUM] = "word",
        [TLV_NAMES] = "name or list of names",
        [TLV_TEXTS] = "list of texts",
        [TLV_DATA] = "name of a data source",
        [TLV_STYLE] = "name of a style",
        [TLV_TEXTMAP] = "map of names to texts",
        [TLV_EXPRMAP] = "map of names to expressions",
        [TLV_TYPEMAP] = "map of columns to types",
        [TLV_PARAMS] = "map of parameters",
        [TLV_SOURCES] = "map of data sources",
        [TLV_STYLES] = "map of styles",
        [TLV_BLOCKS] = "list of blocks",
    };
    static const char *const sub[] = {
        [TLV_MAP] = "map",
        [TLV_MAP_OR_LENGTH] = "length or map",
        [TLV_MAP_OR_NAMES] = "name, list of names or map",
        [TLV_MAPS] = "list of maps",
    };
    if (k->kind < sizeof sub / sizeof *sub && sub[k->kind]) {
        buf_printf(b, "%s `", sub[k->kind]);
        sub_name(b, k);
        buf_adds(b, "`");
    } else {
        buf_adds(b, plain[k->kind]);
    }
}

static void allowed_text(struct buf *b, const struct tl_key *k)
{
    switch (k->kind) {
    case TLV_ENUM:
    case TLV_TYPEMAP:
        words_of(b, (enum tl_set)k->arg, "`", ", ");
        break;
    case TLV_INT:
        buf_printf(b, "%ld to %ld", tl_range_min[k->arg], tl_range_max[k->arg]);
        break;
    case TLV_BOOL:
        buf_adds(b, "`true`, `false`");
        break;
    case TLV_LENGTH:
    case TLV_MAP_OR_LENGTH:
        buf_adds(b, "`2cm`, `20mm`, `56.7pt`, `1in`, points");
        break;
    case TLV_WIDTH:
        buf_adds(b, "a length, `40%`");
        break;
    case TLV_COLOR:
        buf_adds(b, "`\"#RRGGBB\"`, `\"#RGB\"`");
        break;
    default:
        break;
    }
}

static void default_text(struct buf *b, const struct tl_key *k)
{
    if (k->flags & TL_REQ)
        buf_adds(b, "required");
    else if (k->def && (k->flags & TL_NOTE))
        buf_adds(b, k->def);
    else if (k->def)
        buf_printf(b, "`%s`", k->def);
}

/* ---- markdown tables ---- */

/* A cell: '|' would end it. */
static void cell(struct buf *out, const char *s)
{
    buf_adds(out, " ");
    for (; *s; s++) {
        if (*s == '|')
            buf_addc(out, '\\');
        buf_addc(out, *s);
    }
    buf_adds(out, " |");
}

static void map_table(struct buf *out, enum tl_map_id m)
{
    buf_adds(out, "| key | kind | default | allowed values | meaning |\n"
                  "| --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < tl_maps[m].nkeys; i++) {
        const struct tl_key *k = &tl_keys[tl_maps[m].first + i];
        struct buf b;
        buf_init(&b);
        buf_adds(out, "|");
        buf_printf(&b, "`%s`%s%s", k->name,
                   k->flags & TL_BESIDE ? " (beside too)" : "",
                   k->flags & TL_BARS ? " (bars only)" : "");
        cell(out, b.data);
        buf_clear(&b);
        kind_text(&b, k);
        cell(out, b.data);
        buf_clear(&b);
        default_text(&b, k);
        cell(out, b.data);
        buf_clear(&b);
        allowed_text(&b, k);
        cell(out, b.data);
        cell(out, k->doc);
        buf_adds(out, "\n");
        buf_release(&b);
    }
}

static const struct tl_key *main_key(enum tl_map_id m)
{
    for (size_t i = 0; i < tl_maps[m].nkeys; i++)
        if (tl_keys[tl_maps[m].first + i].flags & TL_MAIN)
            return &tl_keys[tl_maps[m].first + i];
    return NULL;
}

/* The blocks of body: what each block key's value may be. */
static void blocks_table(struct buf *out)
{
    buf_adds(out, "| block | value | what it draws |\n"
                  "| --- | --- | --- |\n");
    for (int m = 0; m < TLM_COUNT; m++) {
        const struct tl_map *x = &tl_maps[m];
        const struct tl_key *k = main_key((enum tl_map_id)m);
        struct buf b;
        buf_init(&b);
        switch (x->form) {
        case TLF_NONE:
            buf_release(&b);
            continue;
        case TLF_MAP:
            buf_adds(&b, "a map");
            break;
        case TLF_OPTIONAL:
            buf_adds(&b, "a map, `true`, or nothing (`- toc` alone too)");
            break;
        case TLF_TEXT:
        case TLF_LIST:
            buf_adds(&b, x->form == TLF_TEXT ? "a text" : "a list");
            buf_printf(&b, " (its `%s`), or a map", k->name);
            break;
        case TLF_SCALAR:
            kind_text(&b, k);
            break;
        }
        buf_printf(out, "| `%s` |", x->id);
        cell(out, b.data);
        cell(out, x->doc);
        buf_adds(out, "\n");
        buf_release(&b);
    }
}

static int keys_doc(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "informe-lang: no se puede leer %s\n", path);
        return 66;
    }
    struct buf out;
    buf_init(&out);
    char line[4096];
    bool skipping = false;
    unsigned lineno = 0;
    int status = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char id[64];
        if (skipping) {
            if (strncmp(line, "<!-- /keys -->", 14) == 0) {
                buf_adds(&out, line);
                skipping = false;
            }
            continue;
        }
        buf_adds(&out, line);
        if (sscanf(line, "<!-- keys: %63[a-z_] -->", id) != 1)
            continue;
        int m = 0;
        while (m < TLM_COUNT && strcmp(tl_maps[m].id, id) != 0)
            m++;
        if (strcmp(id, "blocks") == 0)
            blocks_table(&out);
        else if (m < TLM_COUNT)
            map_table(&out, (enum tl_map_id)m);
        else {
            fprintf(stderr, "%s:%u: informe-lang: no map '%s'\n", path, lineno,
                    id);
            status = 65;
        }
        skipping = true;
    }
    fclose(f);
    if (skipping) {
        fprintf(stderr, "%s: informe-lang: '<!-- /keys -->' missing\n", path);
        status = 65;
    }
    if (status == 0)
        fwrite(out.data, 1, out.len, stdout);
    buf_release(&out);
    return status;
}

/* ---- JSON Schema ---- */

struct jw {
    struct buf *b;
    int depth;
    bool first[32];
};

static void j_str(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c == '\n')
            buf_adds(b, "\\n");
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_addc(b, (char)c);
    }
    buf_addc(b, '"');
}

/* The start of a member (key: ) or of an array item (key NULL). */
static void j_item(struct jw *w, const char *key)
{
    if (w->depth > 0) {
        buf_adds(w->b, w->first[w->depth] ? "\n" : ",\n");
        w->first[w->depth] = false;
    }
    for (int i = 0; i < w->depth; i++)
        buf_adds(w->b, "  ");
    if (key) {
        j_str(w->b, key);
        buf_adds(w->b, ": ");
    }
}

static void j_open(struct jw *w, const char *key, char brace)
{
    j_item(w, key);
    buf_addc(w->b, brace);
    w->first[++w->depth] = true;
}

static void j_close(struct jw *w, char brace)
{
    bool empty = w->first[w->depth--];
    if (!empty) {
        buf_addc(w->b, '\n');
        for (int i = 0; i < w->depth; i++)
            buf_adds(w->b, "  ");
    }
    buf_addc(w->b, brace);
}

static void j_string(struct jw *w, const char *key, const char *s)
{
    j_item(w, key);
    j_str(w->b, s);
}

static void j_raw(struct jw *w, const char *key, const char *raw)
{
    j_item(w, key);
    buf_adds(w->b, raw);
}

static void j_ref(struct jw *w, const char *key, enum tl_map_id m)
{
    char ref[96];
    snprintf(ref, sizeof ref, "#/definitions/%s", tl_maps[m].id);
    j_open(w, key, '{');
    j_string(w, "$ref", ref);
    j_close(w, '}');
}

/* Any scalar is a text to informe; blank is one too unless required. */
static void text_members(struct jw *w, bool nullable)
{
    j_raw(w, "type",
          nullable ? "[\"string\", \"number\", \"boolean\", \"null\"]"
                   : "[\"string\", \"number\", \"boolean\"]");
}

static void j_text(struct jw *w, const char *key, bool nullable)
{
    j_open(w, key, '{');
    text_members(w, nullable);
    j_close(w, '}');
}

static void j_words(struct jw *w, const char *key, enum tl_set s)
{
    struct buf b;
    buf_init(&b);
    buf_adds(&b, "[");
    words_of(&b, s, "\"", ", ");
    buf_adds(&b, "]");
    j_open(w, key, '{');
    j_raw(w, "enum", b.data);
    j_close(w, '}');
    buf_release(&b);
}

#define LENGTH_RX "[0-9]+(\\\\.[0-9]*)? ?(pt|cm|mm|in)?"

/* Members of the schema of a length (a number of points or a text with
 * a unit) or of a width (a length or a percent). */
static void length_members(struct jw *w, bool width)
{
    j_raw(w, "type", "[\"number\", \"string\"]");
    j_raw(w, "minimum", "0");
    j_raw(w, "pattern",
          width ? "\"^(" LENGTH_RX "|[0-9]+(\\\\.[0-9]*)? ?%)$\""
                : "\"^" LENGTH_RX "$\"");
}

/* Members of the schema of a name or a list of names. */
static void names_members(struct jw *w)
{
    j_open(w, "anyOf", '[');
    j_text(w, NULL, false);
    j_open(w, NULL, '{');
    j_string(w, "type", "array");
    j_text(w, "items", false);
    j_close(w, '}');
    j_close(w, ']');
}

static void j_default(struct jw *w, const struct tl_key *k)
{
    if (!k->def || (k->flags & TL_NOTE))
        return;
    if (k->kind == TLV_BOOL || k->kind == TLV_INT)
        j_raw(w, "default", k->def);
    else
        j_string(w, "default", k->def);
}

/* The schema of key k's value, as a member named key (or an item). */
static void j_value(struct jw *w, const char *key, const struct tl_key *k)
{
    enum tl_map_id sub = (enum tl_map_id)k->arg;
    char num[64];
    j_open(w, key, '{');
    j_string(w, "description", k->doc);
    j_default(w, k);
    switch (k->kind) {
    case TLV_TEXT:
    case TLV_TMPL:
    case TLV_EXPR:
    case TLV_DATA:
    case TLV_STYLE:
        text_members(w, !(k->flags & TL_REQ));
        break;
    case TLV_BOOL:
        j_open(w, "anyOf", '[');
        j_open(w, NULL, '{');
        j_string(w, "type", "boolean");
        j_close(w, '}');
        j_open(w, NULL, '{');
        j_string(w, "type", "string");
        j_string(w, "pattern",
                 "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|"
                 "[Yy][Ee][Ss]|[Nn][Oo]|[Ss]([Ii]|í|Í))$");
        j_close(w, '}');
        j_close(w, ']');
        break;
    case TLV_INT:
        j_string(w, "type", "integer");
        snprintf(num, sizeof num, "%ld", tl_range_min[k->arg]);
        j_raw(w, "minimum", num);
        snprintf(num, sizeof num, "%ld", tl_range_max[k->arg]);
        j_raw(w, "maximum", num);
        break;
    case TLV_NUMBER:
        j_string(w, "type", "number");
        break;
    case TLV_LENGTH:
    case TLV_WIDTH:
        length_members(w, k->kind == TLV_WIDTH);
        break;
    case TLV_COLOR:
        j_string(w, "type", "string");
        j_string(w, "pattern", "^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$");
        break;
    case TLV_ENUM: {
        struct buf b;
        buf_init(&b);
        buf_adds(&b, "[");
        words_of(&b, (enum tl_set)k->arg, "\"", ", ");
        buf_adds(&b, "]");
        j_raw(w, "enum", b.data);
        buf_release(&b);
        break;
    }
    case TLV_MAP:
        j_open(w, "allOf", '[');
        j_ref(w, NULL, sub);
        j_close(w, ']');
        break;
    case TLV_MAP_OR_LENGTH:
    case TLV_MAP_OR_NAMES:
        j_open(w, "anyOf", '[');
        j_open(w, NULL, '{');
        if (k->kind == TLV_MAP_OR_LENGTH)
            length_members(w, false);
        else
            names_members(w);
        j_close(w, '}');
        j_ref(w, NULL, sub);
        j_close(w, ']');
        break;
    case TLV_MAPS:
        j_string(w, "type", "array");
        j_ref(w, "items", sub);
        break;
    case TLV_NAMES:
        names_members(w);
        break;
    case TLV_TEXTS:
        j_string(w, "type", "array");
        j_text(w, "items", true);
        break;
    case TLV_TEXTMAP:
    case TLV_EXPRMAP:
        j_string(w, "type", "object");
        j_text(w, "additionalProperties", false);
        break;
    case TLV_TYPEMAP:
        j_string(w, "type", "object");
        j_words(w, "additionalProperties", (enum tl_set)k->arg);
        break;
    case TLV_PARAMS:
        j_string(w, "type", "object");
        j_open(w, "additionalProperties", '{');
        j_open(w, "anyOf", '[');
        j_text(w, NULL, true);
        j_ref(w, NULL, sub);
        j_close(w, ']');
        j_close(w, '}');
        break;
    case TLV_SOURCES:
        j_string(w, "type", "object");
        j_ref(w, "additionalProperties", sub);
        break;
    case TLV_STYLES:
        j_string(w, "type", "object");
        j_open(w, "additionalProperties", '{');
        j_string(w, "type", "array");
        j_raw(w, "minItems", "1");
        j_ref(w, "items", sub);
        j_close(w, '}');
        break;
    case TLV_BLOCKS: {
        /* a block, or the name of one that needs no value (- toc) */
        struct buf alone;
        buf_init(&alone);
        for (int m = 0; m < TLM_COUNT; m++)
            if (tl_maps[m].form == TLF_OPTIONAL)
                buf_printf(&alone, "%s\"%s\"", alone.len ? ", " : "[",
                           tl_maps[m].id);
        buf_adds(&alone, "]");
        j_string(w, "type", "array");
        j_open(w, "items", '{');
        j_open(w, "anyOf", '[');
        j_open(w, NULL, '{');
        j_string(w, "$ref", "#/definitions/block");
        j_close(w, '}');
        j_open(w, NULL, '{');
        j_raw(w, "enum", alone.data);
        j_close(w, '}');
        j_close(w, ']');
        j_close(w, '}');
        buf_release(&alone);
        break;
    }
    }
    j_close(w, '}');
}

/* type, properties, required and additionalProperties of map m. */
static void j_members(struct jw *w, enum tl_map_id m)
{
    const struct tl_map *x = &tl_maps[m];
    j_string(w, "type", "object");
    j_open(w, "properties", '{');
    for (size_t i = 0; i < x->nkeys; i++)
        j_value(w, tl_keys[x->first + i].name, &tl_keys[x->first + i]);
    j_close(w, '}');
    struct buf req;
    buf_init(&req);
    for (size_t i = 0; i < x->nkeys; i++)
        if (tl_keys[x->first + i].flags & TL_REQ)
            buf_printf(&req, "%s\"%s\"", req.len ? ", " : "[",
                       tl_keys[x->first + i].name);
    if (req.len) {
        buf_adds(&req, "]");
        j_raw(w, "required", req.data);
    }
    buf_release(&req);
    j_raw(w, "additionalProperties", "false");
}

/* A list item of body: one block key, and the options its block allows
 * beside it. */
static void j_block(struct jw *w)
{
    j_open(w, "block", '{');
    j_string(w, "description",
             "A block: a map with one block key (and, for some blocks, "
             "options beside it).");
    j_string(w, "type", "object");
    j_open(w, "properties", '{');
    for (int m = 0; m < TLM_COUNT; m++) {
        const struct tl_map *x = &tl_maps[m];
        const struct tl_key *k = main_key((enum tl_map_id)m);
        if (x->form == TLF_NONE)
            continue;
        if (x->form == TLF_SCALAR) {
            j_value(w, x->id, k);
            continue;
        }
        j_open(w, x->id, '{');
        j_string(w, "description", x->doc);
        j_open(w, x->form == TLF_MAP ? "allOf" : "anyOf", '[');
        if (x->form == TLF_OPTIONAL) {
            j_open(w, NULL, '{');
            j_string(w, "type", "null");
            j_close(w, '}');
            j_open(w, NULL, '{');
            j_raw(w, "const", "true");
            j_close(w, '}');
        } else if (x->form == TLF_TEXT) {
            j_text(w, NULL, false);
        } else if (x->form == TLF_LIST) {
            j_open(w, NULL, '{');
            j_string(w, "type", "array");
            j_text(w, "items", true);
            j_close(w, '}');
        }
        j_ref(w, NULL, (enum tl_map_id)m);
        j_close(w, ']');
        j_close(w, '}');
    }
    /* Options beside a block key: each name once (the same name has the
     * same kind in every block). */
    for (int k = 0; k < TLK_COUNT; k++) {
        if (!(tl_keys[k].flags & TL_BESIDE))
            continue;
        bool seen = false;
        for (int j = 0; j < k && !seen; j++)
            seen = (tl_keys[j].flags & TL_BESIDE) &&
                   strcmp(tl_keys[j].name, tl_keys[k].name) == 0;
        if (!seen)
            j_value(w, tl_keys[k].name, &tl_keys[k]);
    }
    j_close(w, '}');
    j_raw(w, "additionalProperties", "false");
    j_open(w, "oneOf", '[');
    for (int m = 0; m < TLM_COUNT; m++) {
        if (tl_maps[m].form == TLF_NONE)
            continue;
        char req[96];
        snprintf(req, sizeof req, "[\"%s\"]", tl_maps[m].id);
        j_open(w, NULL, '{');
        j_raw(w, "required", req);
        j_close(w, '}');
    }
    j_close(w, ']');
    j_open(w, "allOf", '[');
    for (int m = 0; m < TLM_COUNT; m++) {
        const struct tl_map *x = &tl_maps[m];
        if (x->form == TLF_NONE)
            continue;
        struct buf names;
        buf_init(&names);
        buf_printf(&names, "[\"%s\"", x->id);
        for (size_t i = 0; i < x->nkeys; i++)
            if (tl_keys[x->first + i].flags & TL_BESIDE)
                buf_printf(&names, ", \"%s\"", tl_keys[x->first + i].name);
        buf_adds(&names, "]");
        char req[96];
        snprintf(req, sizeof req, "[\"%s\"]", x->id);
        j_open(w, NULL, '{');
        j_open(w, "if", '{');
        j_raw(w, "required", req);
        j_close(w, '}');
        j_open(w, "then", '{');
        j_open(w, "propertyNames", '{');
        j_raw(w, "enum", names.data);
        j_close(w, '}');
        j_close(w, '}');
        j_close(w, '}');
        buf_release(&names);
    }
    j_close(w, ']');
    j_close(w, '}');
}

static int schema(void)
{
    struct buf b;
    buf_init(&b);
    struct jw w = {.b = &b};
    j_open(&w, NULL, '{');
    j_string(&w, "$schema", "http://json-schema.org/draft-07/schema#");
    j_string(&w, "title", "informe template");
    j_string(&w, "description",
             "A template of informe (docs/templates.md). Generated from "
             "generator/template/tl.def by `make docs-keys`; do not edit.");
    j_members(&w, TLM_top);
    j_open(&w, "definitions", '{');
    for (int m = 0; m < TLM_COUNT; m++) {
        const struct tl_map *x = &tl_maps[m];
        if (m == TLM_top || x->form == TLF_SCALAR)
            continue;
        j_open(&w, x->id, '{');
        j_string(&w, "description", x->doc);
        j_members(&w, (enum tl_map_id)m);
        j_close(&w, '}');
    }
    j_block(&w);
    j_close(&w, '}');
    j_close(&w, '}');
    buf_addc(&b, '\n');
    fwrite(b.data, 1, b.len, stdout);
    buf_release(&b);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "keys") == 0)
        return keys_doc(argv[2]);
    if (argc == 2 && strcmp(argv[1], "schema") == 0)
        return schema();
    fprintf(stderr, "uso: informe-lang keys DOCUMENTO.md | informe-lang "
                    "schema\n");
    return 64;
}
