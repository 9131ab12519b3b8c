/* eval_params: the report's parameters: typed defaults from `params:`,
 * the built-in `hoy`, and --set overrides parsed as each parameter's type. */
#include "eval/internal.h"
#include "base/limits.h"
#include "data/parse.h"
#include "data/suggest.h"
#include "base/utf8.h"

#include <stdio.h>
#include <string.h>

static struct param *param_add(struct report *r, const char *name)
{
    struct param *p = eval_param_find(r, name);
    if (p)
        return p;
    r->params = arena_grow(r->a, r->params, &r->capparams, r->nparams + 1,
                           sizeof *r->params);
    p = &r->params[r->nparams++];
    memset(p, 0, sizeof *p);
    p->name = name;
    return p;
}

struct param *eval_param_find(struct report *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].name, name) == 0)
            return &r->params[i];
    return NULL;
}

void eval_param_set_text(struct report *r, const char *name, const char *value)
{
    struct param *p = param_add(r, arena_strdup(r->a, name));
    p->type = V_TEXT;
    p->v = (struct value){.type = V_TEXT, .text = arena_strdup(r->a, value)};
}

/* "-12", "0.85": the plain numbers a YAML file holds. Up to 15 digits of
 * mantissa so that mantissa / 10^k is correctly rounded. */
static bool plain_number(const char *s, double *out)
{
    bool neg = *s == '-';
    s += neg;
    double mant = 0;
    int digits = 0, scale = 0;
    bool point = false;
    for (; *s; s++) {
        if (*s == '.' && !point && digits > 0) {
            point = true;
            continue;
        }
        if (*s < '0' || *s > '9' || ++digits > 15)
            return false;
        mant = mant * 10 + (*s - '0');
        scale += point;
    }
    if (digits == 0 || s[-1] == '.')
        return false;
    while (scale-- > 0)
        mant /= 10;
    *out = neg ? -mant : mant;
    return true;
}

/* "2018-03-31" exactly, and a day that exists. */
static bool iso_date(const char *s, int32_t *days)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if (shape[i] == 'd' ? !digit : s[i] != '-')
            return false;
    }
    if (s[10] != '\0')
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    if (!date_valid(y, m, d))
        return false;
    *days = date_from_ymd(y, m, d);
    return true;
}

/* A text typed by a person (--set or a typed default), read as type t:
 * es-CO and plain number forms, both date forms. */
static bool parse_as(struct arena *a, const char *s, enum vtype t,
                     struct value *v)
{
    if (t == V_TEXT) {
        *v = (struct value){.type = V_TEXT, .text = arena_strdup(a, s)};
        return true;
    }
    return parse_value(s, strlen(s), t, NUM_STYLE_UNKNOWN, v);
}

/* For a value that should have been a date: what is wrong with it, then
 * the forms a date may take (": el 31 de febrero no existe; escriba la
 * fecha como ..."). Nothing for other types. */
static void date_hint(struct buf *why, const char *s, enum vtype t)
{
    if (t == V_DATE)
        parse_date_hint(s, strlen(s), why);
}

/* The type and value of a plain default: ISO date, number, else text. */
static void infer_default(const struct tnode *n, struct param *p)
{
    double num;
    int32_t days;
    if (!n->quoted && iso_date(n->text, &days)) {
        p->type = V_DATE;
        p->v = (struct value){.type = V_DATE, .days = days};
    } else if (!n->quoted && plain_number(n->text, &num)) {
        p->type = V_NUMBER;
        p->v = (struct value){.type = V_NUMBER, .num = num};
    } else {
        p->type = V_TEXT;
        p->v = (struct value){.type = V_TEXT, .text = n->text};
    }
}

/* A parameter written as a map with a type: its default read as that
 * type. */
static bool typed_default(struct report *r, const struct tl_param *x,
                          struct param *p)
{
    p->type = eval_vtype(x->type.v);
    p->v = (struct value){.type = V_MISSING};
    const struct tnode *dn = x->default_.n;
    if (!dn)
        return true;
    if (!parse_as(r->a, dn->text, p->type, &p->v)) {
        struct buf why;
        buf_init(&why);
        date_hint(&why, dn->text, p->type);
        tree_error(r->d, dn, "el valor '%s' del parámetro '%s' no es %s%s",
                   dn->text, p->name, parse_type_noun(p->type), why.data);
        buf_release(&why);
        return false;
    }
    return true;
}

static void add_burst_param(struct report *r);

static void add_builtins(struct report *r)
{
    struct param *p = param_add(r, "hoy");
    int64_t day =
        r->opt.now >= 0 ? r->opt.now / 86400 : (r->opt.now - 86399) / 86400;
    p->type = V_DATE;
    p->v = (struct value){.type = V_DATE, .days = (int32_t)day};
}

bool eval_params_load(struct report *r)
{
    add_builtins(r);
    const struct tl_param_list *ps = &r->tpl->params;
    bool ok = true;
    for (size_t i = 0; i < ps->n; i++) {
        const struct tl_param *x = &ps->v[i];
        struct param *p = param_add(r, x->key->text);
        p->node = x->node;
        /* Without a type, the default's form gives it (a plain value is
         * the default). */
        if (x->type.n)
            ok = typed_default(r, x, p) && ok;
        else if (x->default_.n)
            infer_default(x->default_.n, p);
    }
    add_burst_param(r);
    return ok;
}

/* With --burst-by COLUMN, {COLUMN} names the current value even when the
 * template does not declare it: a text parameter, empty until a burst
 * value is applied. */
static void add_burst_param(struct report *r)
{
    const char *col = r->opt.burst_column;
    if (!col || eval_param_find(r, col))
        return;
    struct param *p = param_add(r, col);
    p->type = V_TEXT;
    p->v = (struct value){.type = V_TEXT, .text = ""};
}

const char *eval_param_suggest(struct report *r, const char *name)
{
    const char **names = arena_array(r->a, r->nparams, sizeof *names);
    for (size_t i = 0; i < r->nparams; i++)
        names[i] = r->params[i].name;
    return suggest_closest(name, names, r->nparams);
}

/* A command-line text as messages show it: at most 40 characters (then
 * "…"), invalid bytes and control characters written as \xHH, so that
 * any bytes give a short, printable message. In a. */
static const char *shown(struct arena *a, const char *s)
{
    struct buf b;
    buf_init(&b);
    size_t n = strlen(s), i = 0;
    for (size_t chars = 0; i < n && chars < 40; chars++) {
        size_t l;
        uint32_t cp = utf8_decode(s + i, n - i, &l);
        if (cp == UTF8_BAD || cp < 0x20 || cp == 0x7F) {
            char hex[8];
            snprintf(hex, sizeof hex, "\\x%02X", (unsigned char)s[i]);
            buf_adds(&b, hex);
            i++;
        } else {
            buf_add(&b, s + i, l);
            i += l;
        }
    }
    if (i < n)
        buf_adds(&b, "…");
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

static void unknown_param(struct report *r, const char *name)
{
    const char *near = eval_param_suggest(r, name);
    if (near)
        diag_error(r->d, NULL, 0, 0,
                   "parámetro desconocido '%s'; ¿quiso decir '%s'?",
                   shown(r->a, name), near);
    else
        diag_error(r->d, NULL, 0, 0, "parámetro desconocido '%s'",
                   shown(r->a, name));
}

/* A --set value, whatever its type, is UTF-8 text without control
 * characters and no longer than the expr_length limit (it is a text of
 * the report). false after reporting. */
static bool set_text_ok(struct report *r, const char *name, const char *value)
{
    size_t n = strlen(value);
    if ((uint64_t)n > (uint64_t)limit(LIMIT_EXPR_LENGTH)) {
        limits_exceeded(r->d, LIMIT_EXPR_LENGTH, NULL, 0, 0,
                        arena_printf(r->a,
                                     "el valor del parámetro '%s' (%zu "
                                     "bytes)",
                                     name, n));
        return false;
    }
    for (size_t i = 0; i < n;) {
        size_t l;
        uint32_t cp = utf8_decode(value + i, n - i, &l);
        if (cp == UTF8_BAD) {
            diag_error(r->d, NULL, 0, 0,
                       "el valor del parámetro '%s' no es texto UTF-8 válido "
                       "(byte 0x%02X en la posición %zu)",
                       name, (unsigned char)value[i], i + 1);
            return false;
        }
        if (cp < 0x20 || cp == 0x7F) {
            diag_error(r->d, NULL, 0, 0,
                       "el valor del parámetro '%s' tiene un carácter de "
                       "control (U+%04X en la posición %zu)",
                       name, (unsigned)cp, i + 1);
            return false;
        }
        i += l;
    }
    return true;
}

static bool apply_set(struct report *r, const char *set)
{
    const char *eq = strchr(set, '=');
    if (!eq || eq == set) {
        diag_error(r->d, NULL, 0, 0, "--set espera CLAVE=VALOR, no '%s'",
                   shown(r->a, set));
        return false;
    }
    const char *name = arena_strndup(r->a, set, (size_t)(eq - set));
    struct param *p = eval_param_find(r, name);
    if (!p) {
        unknown_param(r, name);
        return false;
    }
    if (!set_text_ok(r, name, eq + 1))
        return false;
    if (!parse_as(r->a, eq + 1, p->type, &p->v)) {
        struct buf why;
        buf_init(&why);
        date_hint(&why, eq + 1, p->type);
        diag_error(
            r->d, NULL, 0, 0, "el valor '%s' del parámetro '%s' no es %s%s",
            shown(r->a, eq + 1), name, parse_type_noun(p->type), why.data);
        buf_release(&why);
        return false;
    }
    return true;
}

bool eval_params_apply_sets(struct report *r)
{
    bool ok = true;
    for (size_t i = 0; i < r->opt.nsets; i++)
        ok = apply_set(r, r->opt.sets[i]) && ok;
    return ok;
}
