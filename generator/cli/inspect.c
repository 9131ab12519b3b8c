/* inspect: what informe sees in a CSV file (encoding, delimiter, column
 * types, the first rows), as a summary in Spanish or as one JSON object. */
#include "base/arena.h"
#include "base/buf.h"
#include "cli/commands.h"
#include "cli/csvload.h"
#include "cli/help.h"
#include "data/csvfile.h"
#include "base/diag.h"
#include "data/parse.h"
#include "base/utf8.h"
#include "data/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct inspect_args {
    const char *path;
    bool json;
    size_t rows;
    char delimiter;
    struct type_request *req;
    size_t nreq, capreq;
};

/* The value of option name at argv[*i]: "--name=VALUE" or "--name VALUE".
 * NULL when argv[*i] is not that option; *missing when it has no value. */
static const char *option_value(int argc, char **argv, int *i, const char *name,
                                bool *missing)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    *missing = false;
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static bool parse_count(const char *s, size_t *out)
{
    size_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return false;
        v = v * 10 + (size_t)(*s - '0');
    }
    *out = v;
    return true;
}

static bool parse_delimiter(const char *s, char *out)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0) {
        *out = '\t';
        return true;
    }
    unsigned char c = (unsigned char)s[0];
    if (!c || s[1] || c == '"' || c == '\n' || c == '\r' || c >= 0x80)
        return false;
    *out = (char)c;
    return true;
}

static int parse_args(struct arena *a, int argc, char **argv,
                      struct inspect_args *ia)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *v;
        bool missing;
        if ((v = option_value(argc, argv, &i, "--type", &missing)) || missing) {
            if (missing)
                return help_usage_error(help_inspect_usage,
                                        "falta el valor de --type "
                                        "(COLUMNA=TIPO)");
            const char *eq = strrchr(v, '=');
            if (!eq || eq == v)
                return help_usage_error(help_inspect_usage,
                                        "--type espera COLUMNA=TIPO, no '%s'",
                                        v);
            enum vtype t;
            if (!value_type_parse(eq + 1, &t))
                return help_usage_error(help_inspect_usage,
                                        "tipo desconocido '%s' en --type (use "
                                        "text, integer, number, percent, date "
                                        "o money)",
                                        eq + 1);
            ia->req = arena_grow(a, ia->req, &ia->capreq, ia->nreq + 1,
                                 sizeof *ia->req);
            ia->req[ia->nreq++] = (struct type_request){
                .column = arena_strndup(a, v, (size_t)(eq - v)),
                .type = t,
            };
        } else if ((v = option_value(argc, argv, &i, "--rows", &missing)) ||
                   missing) {
            if (missing)
                return help_usage_error(help_inspect_usage,
                                        "falta el valor de --rows");
            if (!parse_count(v, &ia->rows))
                return help_usage_error(help_inspect_usage,
                                        "--rows espera un número entero no "
                                        "negativo, no '%s'",
                                        v);
        } else if ((v = option_value(argc, argv, &i, "--delimiter",
                                     &missing)) ||
                   missing) {
            if (missing)
                return help_usage_error(help_inspect_usage,
                                        "falta el valor de --delimiter");
            if (!parse_delimiter(v, &ia->delimiter))
                return help_usage_error(help_inspect_usage,
                                        "--delimiter espera un carácter (',', "
                                        "';' o 'tab'), no '%s'",
                                        v);
        } else if (strcmp(arg, "--json") == 0) {
            ia->json = true;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return help_usage_error(help_inspect_usage,
                                    "opción desconocida '%s'", arg);
        } else if (ia->path) {
            return help_usage_error(help_inspect_usage,
                                    "sobra el argumento '%s': inspect lee un "
                                    "solo archivo",
                                    arg);
        } else {
            ia->path = arg;
        }
    }
    if (!ia->path)
        return help_usage_error(help_inspect_usage, "falta el archivo CSV");
    return EXIT_OK;
}

/* The shortest decimal form that reads back as the same double. */
static void add_number(struct buf *b, double x)
{
    if (!isfinite(x)) {
        buf_adds(b, "null");
        return;
    }
    char s[64];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*g", prec, x);
        double back;
        if (prec == 17 ||
            (parse_number(s, strlen(s), NUM_STYLE_PLAIN, &back) && back == x))
            break;
    }
    buf_adds(b, s);
}

static void add_date(struct buf *b, int32_t days)
{
    int y;
    unsigned m, d;
    date_to_ymd(days, &y, &m, &d);
    buf_printf(b, "%04d-%02u-%02u", y, m, d);
}

static void add_json_string(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"':
            buf_adds(b, "\\\"");
            break;
        case '\\':
            buf_adds(b, "\\\\");
            break;
        case '\n':
            buf_adds(b, "\\n");
            break;
        case '\r':
            buf_adds(b, "\\r");
            break;
        case '\t':
            buf_adds(b, "\\t");
            break;
        case '\b':
            buf_adds(b, "\\b");
            break;
        case '\f':
            buf_adds(b, "\\f");
            break;
        default:
            if (c < 0x20 || c == 0x7F)
                buf_printf(b, "\\u%04x", c);
            else
                buf_addc(b, (char)c);
        }
    }
    buf_addc(b, '"');
}

static void add_json_value(struct buf *b, const struct value *v)
{
    switch (v->type) {
    case V_TEXT:
        add_json_string(b, v->text);
        break;
    case V_INT:
    case V_NUMBER:
    case V_PERCENT:
    case V_MONEY:
    case V_BOOL:
        add_number(b, v->num);
        break;
    case V_DATE:
        buf_addc(b, '"');
        add_date(b, v->days);
        buf_addc(b, '"');
        break;
    case V_MISSING:
        buf_adds(b, "null");
        break;
    }
}

static void write_json(struct buf *b, const struct rawcsv *raw,
                       const struct table *t, size_t nshow)
{
    char delim[2] = {raw->delimiter, '\0'};
    buf_adds(b, "{\n  \"file\": ");
    add_json_string(b, raw->file);
    buf_printf(b, ",\n  \"encoding\": \"%s\",\n  \"delimiter\": ",
               csvfile_encoding_name(raw->encoding));
    add_json_string(b, delim);
    buf_printf(b, ",\n  \"rows\": %zu,\n  \"columns\": [", t->nrows);
    for (size_t c = 0; c < t->ncols; c++) {
        buf_adds(b, c ? ",\n    {\"name\": " : "\n    {\"name\": ");
        add_json_string(b, t->cols[c].name);
        buf_printf(b, ", \"type\": \"%s\"}", value_type_name(t->cols[c].type));
    }
    buf_adds(b, t->ncols ? "\n  ],\n  \"data\": [" : "],\n  \"data\": [");
    for (size_t r = 0; r < nshow; r++) {
        buf_adds(b, r ? ",\n    {" : "\n    {");
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                buf_adds(b, ", ");
            add_json_string(b, t->cols[c].name);
            buf_adds(b, ": ");
            add_json_value(b, &table_cell(t, r, c)->v);
        }
        buf_addc(b, '}');
    }
    buf_adds(b, nshow ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- the readable summary ---- */

#define CELL_MAX 40 /* characters shown of a long text */

/* s on one line: blanks and line breaks folded to one space, cut at
 * CELL_MAX characters with an ellipsis. */
static const char *one_line(struct arena *a, const char *s)
{
    return csvfile_one_line(a, s, CELL_MAX);
}

static const char *cell_text(struct arena *a, const struct value *v)
{
    struct buf b;
    buf_init(&b);
    switch (v->type) {
    case V_TEXT:
        buf_adds(&b, one_line(a, v->text));
        break;
    case V_INT:
    case V_NUMBER:
    case V_BOOL:
        add_number(&b, v->num);
        break;
    case V_PERCENT:
        add_number(&b, v->num);
        buf_adds(&b, " %");
        break;
    case V_MONEY:
        buf_adds(&b, "$ ");
        add_number(&b, v->num);
        break;
    case V_DATE:
        add_date(&b, v->days);
        break;
    case V_MISSING:
        break;
    }
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

static size_t width(const char *s)
{
    return utf8_length(s, strlen(s));
}

static void pad(struct buf *b, size_t n)
{
    while (n-- > 0)
        buf_addc(b, ' ');
}

/* One line of the text table; the last column is not padded on the
 * right so that no line ends in spaces. */
static void add_table_line(struct buf *b, const struct table *t,
                           const char **texts, const size_t *w)
{
    size_t start = b->len;
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            buf_adds(b, "  ");
        size_t gap = w[c] - width(texts[c]);
        bool right = value_is_numeric(t->cols[c].type);
        if (right)
            pad(b, gap);
        buf_adds(b, texts[c]);
        if (!right)
            pad(b, gap);
    }
    while (b->len > start && b->data[b->len - 1] == ' ')
        b->len--;
    b->data[b->len] = '\0';
    buf_addc(b, '\n');
}

static void write_summary(struct arena *a, struct buf *b,
                          const struct rawcsv *raw, const struct table *t,
                          size_t nshow)
{
    buf_printf(b, "Archivo:        %s\n", raw->file);
    buf_printf(b, "Codificación:   %s\n", csvfile_encoding_name(raw->encoding));
    if (raw->delimiter == '\t')
        buf_adds(b, "Separador:      tabulador\n");
    else
        buf_printf(b, "Separador:      %c\n", raw->delimiter);
    buf_printf(b, "Filas de datos: %zu\n", t->nrows);
    buf_printf(b, "Columnas:       %zu\n", t->ncols);
    size_t wname = 0;
    const char **names = arena_array(a, t->ncols, sizeof *names);
    for (size_t c = 0; c < t->ncols; c++) {
        names[c] = table_name_typed_in(a, t->cols[c].name);
        if (width(names[c]) > wname)
            wname = width(names[c]);
    }
    for (size_t c = 0; c < t->ncols; c++) {
        buf_printf(b, "  %3zu  %s", c + 1, names[c]);
        pad(b, wname - width(names[c]));
        buf_printf(b, "  %s\n", value_type_name(t->cols[c].type));
    }
    if (nshow == 0) {
        if (t->nrows == 0)
            buf_adds(b, "\nEl archivo no tiene filas de datos.\n");
        return;
    }
    if (nshow == 1)
        buf_adds(b, "\nPrimera fila:\n");
    else
        buf_printf(b, "\nPrimeras %zu filas:\n", nshow);
    size_t *w = arena_array(a, t->ncols, sizeof *w);
    const char **texts = arena_array(a, (nshow + 1) * t->ncols, sizeof *texts);
    for (size_t c = 0; c < t->ncols; c++) {
        texts[c] = names[c];
        w[c] = width(names[c]);
    }
    for (size_t r = 0; r < nshow; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = cell_text(a, &table_cell(t, r, c)->v);
            texts[(r + 1) * t->ncols + c] = s;
            if (width(s) > w[c])
                w[c] = width(s);
        }
    }
    add_table_line(b, t, texts, w);
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            buf_adds(b, "  ");
        for (size_t k = 0; k < w[c]; k++)
            buf_addc(b, '-');
    }
    buf_addc(b, '\n');
    for (size_t r = 0; r < nshow; r++)
        add_table_line(b, t, texts + (r + 1) * t->ncols, w);
}

int cmd_inspect(int argc, char **argv)
{
    struct arena *a = arena_new();
    struct buf out;
    buf_init(&out);
    struct inspect_args ia = {.rows = 5};
    int rc = parse_args(a, argc, argv, &ia);
    if (rc != EXIT_OK)
        goto done;
    struct rawcsv raw;
    struct table t;
    rc = csvload(a, ia.path, ia.delimiter, ia.req, ia.nreq, &raw, &t);
    if (rc != EXIT_OK)
        goto done;
    size_t nshow = ia.rows < t.nrows ? ia.rows : t.nrows;
    if (ia.json)
        write_json(&out, &raw, &t, nshow);
    else
        write_summary(a, &out, &raw, &t, nshow);
    rc = csvload_emit(&out);
done:
    buf_release(&out);
    arena_free(a);
    return rc;
}
