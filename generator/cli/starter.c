/* starter: a starter template for some CSV files, written as YAML text
 * with comments in Spanish that point at the reference. */
#include "cli/starter.h"
#include "base/utf8.h"
#include "data/fmt.h"
#include "data/parse.h"
#include "data/value.h"

#include <stdbool.h>
#include <string.h>

#define MAX_CATEGORIES 30 /* a chart's categories, for a readable chart */
#define WIDE_TABLE 6      /* more columns than this: a horizontal page */
#define SHORT_TEXT 12     /* characters of a text column sized to fit */
#define TABLE_COLUMNS 12  /* columns of one table; more: several tables */
#define TEXT_WIDTH 70     /* points a text column takes at least, roughly */
#define BUDGET 460        /* points of columns in a table, vertical page */
#define WIDE_BUDGET 640   /* the same on a horizontal page */

static bool ascii_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Whether YAML cannot hold code point cp as it is in a template's text:
 * a control character (libyaml refuses them, C1 ones too), a line break
 * other than LF (NEL, LS, PS fold or end a line), a byte order mark or a
 * non-character. Such a code point is escaped in a quoted scalar and left
 * out of a comment. */
static bool yaml_unprintable(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF ||
           cp == UTF8_BAD;
}

/* Whether s holds a code point yaml_unprintable. */
static bool has_unprintable(const char *s)
{
    size_t n = strlen(s), len;
    for (size_t i = 0; i < n; i += len)
        if (yaml_unprintable(utf8_decode(s + i, n - i, &len)))
            return true;
    return false;
}

/* s for a YAML comment: each run of code points that yaml_unprintable
 * (line breaks among them) becomes one space. Lives in a. */
static const char *comment_text(struct arena *a, const char *s)
{
    struct buf b;
    buf_init(&b);
    size_t n = strlen(s), len;
    for (size_t i = 0; i < n; i += len) {
        if (yaml_unprintable(utf8_decode(s + i, n - i, &len))) {
            if (b.len && b.data[b.len - 1] != ' ')
                buf_addc(&b, ' ');
        } else {
            buf_add(&b, s + i, len);
        }
    }
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

/* Whether s may be written as a plain YAML scalar, in block and in flow
 * maps alike, and read back as the same text: a letter first, then
 * letters, digits, spaces and a few marks, and no word YAML reads as a
 * boolean or null. */
static bool yaml_plain_ok(const char *s)
{
    static const char *const reserved[] = {"true", "false", "yes", "no", "on",
                                           "off",  "null",  "y",   "n",  "~"};
    unsigned char c0 = (unsigned char)s[0];
    if (!(ascii_alpha(c0) || c0 >= 0x80))
        return false;
    size_t n = strlen(s);
    if (s[n - 1] == ' ' || has_unprintable(s))
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(ascii_alpha(c) || ascii_digit(c) || c >= 0x80 ||
              strchr(" _-.()/%", c)))
            return false;
    }
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++) {
        size_t k = strlen(reserved[i]);
        bool same = k == n;
        for (size_t j = 0; same && j < n; j++)
            same = (char)(s[j] | 0x20) == reserved[i][j];
        if (same)
            return false;
    }
    return true;
}

static void yaml_quoted(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    size_t n = strlen(s), len;
    for (size_t i = 0; i < n; i += len) {
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        if (cp == '"' || cp == '\\') {
            buf_addc(b, '\\');
            buf_addc(b, (char)cp);
        } else if (cp == UTF8_BAD) {
            buf_adds(b, "\\uFFFD"); /* the tables hold UTF-8 only */
        } else if (yaml_unprintable(cp)) {
            buf_printf(b, cp < 0x100 ? "\\x%02X" : "\\u%04X", (unsigned)cp);
        } else {
            buf_add(b, s + i, len);
        }
    }
    buf_addc(b, '"');
}

/* s as a YAML scalar: plain when it can be, else double-quoted. */
static void yaml_scalar(struct buf *b, const char *s)
{
    if (yaml_plain_ok(s))
        buf_adds(b, s);
    else
        yaml_quoted(b, s);
}

/* YAML reads a key written in the plain or flow form only when it spans
 * at most 1024 characters; this many leaves room for the ": ". */
#define YAML_SIMPLE_KEY 1000

/* s as the key of a block map entry at indent spaces, then ": ": a long
 * one as an explicit key ("? KEY" and ": " on the next line). */
static void yaml_key(struct buf *b, const char *s, unsigned indent)
{
    struct buf k;
    buf_init(&k);
    yaml_scalar(&k, s);
    if (k.len < YAML_SIMPLE_KEY) {
        buf_printf(b, "%*s%s: ", (int)indent, "", k.data);
    } else {
        buf_printf(b, "%*s? %s\n%*s: ", (int)indent, "", k.data, (int)indent,
                   "");
    }
    buf_release(&k);
}

/* s as a text with {…} that shows s as it is: braces doubled. */
static const char *tmpl_literal(struct arena *a, const char *s)
{
    struct buf b;
    buf_init(&b);
    for (; *s; s++) {
        if (*s == '{' || *s == '}')
            buf_addc(&b, *s);
        buf_addc(&b, *s);
    }
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

/* A column name as an expression names it: bare when it is a word, else
 * in backquotes (`Fecha de corte`). false when it cannot be named (it
 * holds a backquote). */
static bool expr_name(struct buf *b, const char *name)
{
    static const char *const keywords[] = {
        "and",   "or",  "not",  "in",    "between", "where", "true",
        "false", "hoy", "page", "pages", "params",  "report"};
    if (strchr(name, '`'))
        return false;
    bool word = ascii_alpha((unsigned char)name[0]) || name[0] == '_' ||
                (unsigned char)name[0] >= 0x80;
    for (const char *p = name; *p && word; p++) {
        unsigned char c = (unsigned char)*p;
        word = ascii_alpha(c) || ascii_digit(c) || c == '_' || c >= 0x80;
    }
    for (size_t i = 0; word && i < sizeof keywords / sizeof *keywords; i++)
        word = strcmp(name, keywords[i]) != 0;
    if (word)
        buf_adds(b, name);
    else
        buf_printf(b, "`%s`", name);
    return true;
}

/* How the template names column c: as a template types it (a header
 * over lines on one line, table_name_typed), unless that form is the
 * name or the typed form of another column too ("Mes\nde corte" beside
 * "Mes de corte"); then as it is, which finds it first. */
static const char *col_name(struct arena *a, const struct table *t, size_t c)
{
    const char *raw = t->cols[c].name;
    const char *typed = table_name_typed_in(a, raw);
    if (strcmp(typed, raw) == 0)
        return typed;
    for (size_t k = 0; k < t->ncols; k++)
        if (k != c &&
            (strcmp(t->cols[k].name, typed) == 0 ||
             strcmp(table_name_typed_in(a, t->cols[k].name), typed) == 0))
            return raw;
    return typed;
}

/* The ASCII letter an accented lower- or upper-case Spanish letter
 * (UTF-8, 0xC3 then p) stands for, or 0. */
static char unaccent(unsigned char p)
{
    static const struct {
        unsigned char lo, up;
        char c;
    } letters[] = {{0xA1, 0x81, 'a'}, {0xA9, 0x89, 'e'}, {0xAD, 0x8D, 'i'},
                   {0xB3, 0x93, 'o'}, {0xBA, 0x9A, 'u'}, {0xBC, 0x9C, 'u'},
                   {0xB1, 0x91, 'n'}};
    for (size_t i = 0; i < sizeof letters / sizeof *letters; i++)
        if (p == letters[i].lo || p == letters[i].up)
            return letters[i].c;
    return 0;
}

/* A source name from a file's name: "Plan Acción 2018.csv" ->
 * "plan_accion_2018"; a word the expressions can name bare. */
static const char *source_name(struct arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)base[i];
        char f = 0;
        if (ascii_alpha(c) || ascii_digit(c))
            f = (char)(ascii_digit(c) ? c : (c | 0x20));
        else if (c == 0xC3 && i + 1 < n &&
                 (f = unaccent((unsigned char)base[i + 1])) != 0)
            i++;
        if (f)
            buf_addc(&b, f);
        else if (b.len && b.data[b.len - 1] != '_')
            buf_addc(&b, '_');
    }
    while (b.len && b.data[b.len - 1] == '_')
        b.data[--b.len] = '\0';
    const char *r;
    if (b.len == 0)
        r = "datos";
    else if (ascii_digit((unsigned char)b.data[0]))
        r = arena_printf(a, "datos_%s", b.data);
    else
        r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

/* The format of a column of type t in a table, or NULL (text). */
static const char *format_of(enum vtype t)
{
    switch (t) {
    case V_INT:
        return "integer";
    case V_NUMBER:
        return "number";
    case V_PERCENT:
        return "\"percent:1\"";
    case V_MONEY:
        return "money";
    case V_DATE:
        return "date";
    case V_TEXT:
    case V_BOOL:
    case V_MISSING:
        break;
    }
    return NULL;
}

/* Whether column c is a good category: text, not a code, no empty cell,
 * from 2 to MAX_CATEGORIES distinct values. */
static bool good_category(const struct table *t, size_t c)
{
    if (t->cols[c].type != V_TEXT || parse_header_names_code(t->cols[c].name))
        return false;
    const char *seen[MAX_CATEGORIES];
    size_t nseen = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const struct value *v = &table_cell(t, r, c)->v;
        if (v->type != V_TEXT)
            return false;
        size_t k = 0;
        while (k < nseen && strcmp(seen[k], v->text) != 0)
            k++;
        if (k < nseen)
            continue;
        if (nseen == MAX_CATEGORIES)
            return false;
        seen[nseen++] = v->text;
    }
    return nseen >= 2;
}

/* The chart of file f, when it has a numeric column and a category. */
struct chart_plan {
    long num, cat;
    const char *source; /* the grouped source */
    const char *value;  /* the aggregate's name */
};

static struct chart_plan plan_chart(struct arena *a, const struct table *t,
                                    const char *src)
{
    struct chart_plan p = {-1, -1, NULL, NULL};
    for (size_t c = 0; c < t->ncols && p.num < 0; c++)
        if (value_is_numeric(t->cols[c].type) && t->cols[c].type != V_BOOL)
            p.num = (long)c;
    for (size_t c = 0; c < t->ncols && p.cat < 0; c++)
        if (good_category(t, c))
            p.cat = (long)c;
    if (p.num < 0 || p.cat < 0 || strchr(t->cols[p.num].name, '`'))
        return (struct chart_plan){-1, -1, NULL, NULL};
    p.source = arena_printf(a, "%s_grafico", src);
    bool mean = t->cols[p.num].type == V_PERCENT;
    p.value = mean ? "promedio" : "total";
    if (strcmp(col_name(a, t, (size_t)p.cat), p.value) == 0)
        p.value = "valor";
    return p;
}

static void write_header(struct arena *a, struct buf *b, const char *schema,
                         const struct starter_file *files, size_t n, bool wide)
{
    buf_printf(b, "# yaml-language-server: $schema=%s\n", schema);
    buf_adds(b, "# Plantilla inicial escrita por «informe nuevo» a partir de");
    for (size_t i = 0; i < n; i++) {
        const char *base = strrchr(files[i].path, '/');
        buf_printf(b, "%s %s", i ? "," : "",
                   comment_text(a, base ? base + 1 : files[i].path));
    }
    buf_adds(b, ".\n"
                "# Revísela y complétela: la referencia del lenguaje está en\n"
                "# docs/templates.md y la lectura de los CSV en docs/csv.md.\n"
                "# Los archivos se buscan en la carpeta de datos:\n"
                "#   informe render PLANTILLA.yaml -d CARPETA_DE_LOS_CSV\n"
                "\n"
                "# Título, página, encabezado y pie de página\n"
                "# (docs/templates.md#report, #header-and-footer).\n"
                "report:\n  title: ");
    yaml_scalar(b, "Informe de datos");
    buf_adds(b, "\n  subtitle: ");
    const char *base = strrchr(files[0].path, '/');
    yaml_scalar(b, base ? base + 1 : files[0].path);
    if (wide)
        buf_adds(b, "\n  page: {size: carta, orientation: horizontal}");
    buf_adds(b, "\n  footer: {center: \"Página {page} de {pages}\"}\n");
}

static void write_source(struct arena *a, struct buf *b,
                         const struct starter_file *f, const char *src,
                         const struct chart_plan *cp)
{
    const struct table *t = f->t;
    const char *base = strrchr(f->path, '/');
    buf_printf(b, "  %s:\n    file: ", src);
    yaml_scalar(b, base ? base + 1 : f->path);
    buf_adds(b, "\n    # El tipo de cada columna, como informe lo infirió "
                "(text, integer,\n"
                "    # number, percent, date, money); las que parecen "
                "códigos quedan text.\n"
                "    columns:\n");
    for (size_t c = 0; c < t->ncols; c++) {
        yaml_key(b, col_name(a, t, c), 6);
        buf_printf(b, "%s\n", value_type_name(t->cols[c].type));
    }
    if (cp->num < 0)
        return;
    const char *cat = col_name(a, t, (size_t)cp->cat);
    const char *num = col_name(a, t, (size_t)cp->num);
    bool mean = t->cols[cp->num].type == V_PERCENT;
    buf_printf(b,
               "  # %s de %s por %s, para el gráfico\n"
               "  # (docs/templates.md#group_by-and-aggregate).\n"
               "  %s:\n    from: %s\n    group_by: [",
               mean ? "Promedio" : "Suma", comment_text(a, num),
               comment_text(a, cat), cp->source, src);
    yaml_scalar(b, cat);
    buf_printf(b, "]\n    aggregate:\n      %s: ", cp->value);
    struct buf e;
    buf_init(&e);
    buf_adds(&e, mean ? "mean(" : "sum(");
    expr_name(&e, num);
    buf_addc(&e, ')');
    yaml_quoted(b, e.data);
    buf_release(&e);
    buf_addc(b, '\n');
}

static void write_chart(struct arena *a, struct buf *b, const struct table *t,
                        const struct chart_plan *cp)
{
    const char *cat = col_name(a, t, (size_t)cp->cat);
    const char *num = col_name(a, t, (size_t)cp->num);
    bool mean = t->cols[cp->num].type == V_PERCENT;
    buf_adds(b, "      # Gráfico de barras (docs/templates.md#chart).\n"
                "      - chart:\n          data: ");
    buf_adds(b, cp->source);
    buf_adds(b, "\n          category: ");
    yaml_scalar(b, cat);
    buf_printf(
        b, "\n          series:\n            - {value: %s, label: ", cp->value);
    yaml_scalar(b, tmpl_literal(a, num));
    buf_adds(b, "}\n          caption: ");
    yaml_scalar(
        b, tmpl_literal(a, arena_printf(a, "%s de %s por %s",
                                        mean ? "Promedio" : "Suma", num, cat)));
    const char *fmt = format_of(t->cols[cp->num].type);
    buf_printf(b, "\n          format: %s\n", fmt);
}

/* The width of a column of numbers, dates or short texts, in points:
 * room for its widest value as printed and the longest word of its
 * title, so that neither is broken; 0 for a column of longer texts
 * (those share what is left). */
static unsigned column_width(const struct table *t, size_t c, const char *title)
{
    size_t widest = 0, word = 0, longest = 0;
    struct buf b;
    buf_init(&b);
    for (size_t r = 0; r < t->nrows; r++) {
        buf_clear(&b);
        fmt_value(&b, &table_cell(t, r, c)->v, NULL);
        size_t n = utf8_length(b.data, b.len);
        if (n > widest)
            widest = n;
    }
    buf_release(&b);
    if (widest > SHORT_TEXT && !format_of(t->cols[c].type))
        return 0;
    for (const char *p = title;; p++) {
        if (*p == ' ' || *p == '\0') {
            longest = word > longest ? word : longest;
            word = 0;
            if (!*p)
                break;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            word++;
        }
    }
    /* digits are 5 pt wide at 9 pt; bold capitals and letters about 6;
     * 10 pt of padding */
    double w = (double)widest * 5.0 > (double)longest * 6.0
                   ? (double)widest * 5.0
                   : (double)longest * 6.0;
    return (unsigned)w + 11;
}

/* The points column c takes in the estimate of a table's width. */
static unsigned budget_width(struct arena *a, const struct table *t, size_t c)
{
    unsigned w = column_width(t, c, col_name(a, t, c));
    return w ? w : TEXT_WIDTH;
}

/* How a file's columns are spread over tables when a page cannot hold
 * them all: every table after the first repeats column 0, so that its
 * rows can be told apart, then takes the next per columns. */
struct split {
    size_t ntables, per;
};

/* Whether every table of the split fits in budget points. */
static bool split_fits(struct arena *a, const struct table *t, struct split sp,
                       unsigned budget)
{
    unsigned key = budget_width(a, t, 0);
    for (size_t k = 0; k < sp.ntables; k++) {
        unsigned used = key;
        size_t from = 1 + k * sp.per;
        for (size_t c = from; c < t->ncols && c < from + sp.per; c++)
            used += budget_width(a, t, c);
        if (used > budget)
            return false;
    }
    return true;
}

/* The fewest tables whose columns fit in budget points (at most
 * TABLE_COLUMNS each, the repeated column included), with the columns
 * shared evenly among them. */
static struct split plan_split(struct arena *a, const struct table *t,
                               unsigned budget)
{
    size_t others = t->ncols > 1 ? t->ncols - 1 : 0;
    for (size_t n = 1;; n++) {
        size_t per = (others + n - 1) / n;
        struct split sp = {n, per};
        if (per + 1 <= TABLE_COLUMNS && split_fits(a, t, sp, budget))
            return sp;
        if (per <= 1) /* one column beside the key: as narrow as it gets */
            return (struct split){others ? others : 1, 1};
    }
}

/* Table k of split sp: column 0, then its share of the others. */
static void write_table(struct arena *a, struct buf *b, const struct table *t,
                        const char *src, const char *file, struct split sp,
                        size_t k)
{
    if (k == 0)
        buf_adds(b, "      # La tabla con todas las columnas; format da la "
                    "forma es-CO\n"
                    "      # (docs/templates.md#table, "
                    "#formatting-filters).\n");
    else if (k == 1)
        buf_adds(b, "      # Las columnas que no caben en una página siguen "
                    "en otra tabla,\n"
                    "      # con la primera columna repetida.\n");
    size_t from = 1 + k * sp.per;
    size_t to = from + sp.per < t->ncols ? from + sp.per : t->ncols;
    buf_adds(b, "      - table:\n          data: ");
    buf_adds(b, src);
    buf_adds(b, "\n          caption: ");
    const char *cap = file;
    if (sp.ntables > 1)
        cap = arena_printf(a, "%s (%zu de %zu)", file, k + 1, sp.ntables);
    yaml_scalar(b, tmpl_literal(a, cap));
    buf_adds(b, "\n          columns:\n");
    for (size_t i = 0; i <= to - from && t->ncols; i++) {
        size_t c = i == 0 ? 0 : from + i - 1;
        const char *name = col_name(a, t, c);
        buf_adds(b, "            - {field: ");
        yaml_scalar(b, name);
        buf_adds(b, ", title: ");
        yaml_scalar(b, tmpl_literal(a, name));
        unsigned w = column_width(t, c, name);
        if (w)
            buf_printf(b, ", width: %upt", w);
        const char *fmt = format_of(t->cols[c].type);
        if (fmt)
            buf_printf(b, ", format: %s", fmt);
        buf_adds(b, "}\n");
    }
}

void starter_write(struct arena *a, struct buf *out, const char *schema,
                   const struct starter_file *files, size_t n)
{
    const char **src = arena_array(a, n, sizeof *src);
    struct chart_plan *cp = arena_array(a, n, sizeof *cp);
    bool wide = false;
    for (size_t i = 0; i < n; i++) {
        const char *s = source_name(a, files[i].path);
        /* two files with the same name: plan, plan_2 */
        for (size_t k = 2;; k++) {
            size_t j = 0;
            while (j < i && strcmp(src[j], s) != 0)
                j++;
            if (j == i)
                break;
            s = arena_printf(a, "%s_%zu", source_name(a, files[i].path), k);
        }
        src[i] = s;
        cp[i] = plan_chart(a, files[i].t, s);
        wide = wide || files[i].t->ncols > WIDE_TABLE;
    }
    write_header(a, out, schema, files, n, wide);
    buf_adds(out, "\n# De dónde salen los datos (docs/templates.md#data,\n"
                  "# #file-delimiter-and-column-types).\n"
                  "data:\n");
    for (size_t i = 0; i < n; i++)
        write_source(a, out, &files[i], src[i], &cp[i]);
    buf_adds(out, "\n# El contenido, en orden (docs/templates.md#body).\n"
                  "body:\n"
                  "  # Portada con el título y el subtítulo de report "
                  "(docs/templates.md#cover).\n"
                  "  - cover:\n"
                  "  # Tabla de contenido (docs/templates.md#toc).\n"
                  "  - toc:\n");
    for (size_t i = 0; i < n; i++) {
        const char *base = strrchr(files[i].path, '/');
        base = base ? base + 1 : files[i].path;
        buf_adds(out, "  # Un capítulo por archivo "
                      "(docs/templates.md#section).\n"
                      "  - section: ");
        yaml_scalar(out, tmpl_literal(a, base));
        buf_printf(out,
                   "\n    content:\n"
                   "      # Un texto con cifras calculadas "
                   "(docs/templates.md#text).\n"
                   "      - text: \"Filas de datos: {count(%s)}.\"\n",
                   src[i]);
        if (cp[i].num >= 0)
            write_chart(a, out, files[i].t, &cp[i]);
        const struct table *t = files[i].t;
        struct split sp = plan_split(a, t, wide ? WIDE_BUDGET : BUDGET);
        for (size_t k = 0; k < sp.ntables; k++)
            write_table(a, out, t, src[i], base, sp, k);
    }
}
