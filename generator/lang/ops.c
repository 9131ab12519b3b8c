/* ops: the operators, built-ins and filters of the language on values:
 * the semantics of arithmetic, comparison and conditions, and the
 * formatting filters, with the messages of a value of the wrong type. */
#include "lang/ops.h"

#include "base/buf.h"
#include "base/utf8.h"
#include "data/collate.h"
#include "data/fmt.h"
#include "lang/resolve.h"

#include <string.h>

const char *ops_symbol(int op)
{
    static const char *const text[] = {"+",  "-", "*",  "/", "=",
                                       "!=", "<", "<=", ">", ">="};
    return text[op];
}

static unsigned row_line(const struct expr_env *env)
{
    const struct table *t = env->row_table;
    if (!t || t->ncols == 0 || env->row >= t->nrows)
        return 0;
    return table_cell(t, env->row, 0)->line;
}

int ops_order(const struct value *a, const struct value *b)
{
    return collate_comparable(a->type, b->type) ? collate_values(a, b) : 2;
}

static bool missing_like(const struct value *v)
{
    return v->type == V_MISSING || (v->type == V_TEXT && v->text[0] == '\0');
}

bool ops_compare(const struct expr *at, int op, const struct value *a,
                 const struct value *b, struct diag *d, bool *res)
{
    /* = "" and != "" ask whether a cell is empty, whatever its type. */
    bool eqop = op == OP_EQ || op == OP_NE;
    if (a->type == V_MISSING || b->type == V_MISSING ||
        (eqop && (missing_like(a) || missing_like(b)))) {
        bool eq = missing_like(a) && missing_like(b);
        *res = op == OP_EQ ? eq : op == OP_NE ? !eq : false;
        return true;
    }
    int c;
    if ((op == OP_EQ || op == OP_NE) && a->type == V_TEXT && b->type == V_TEXT)
        c = strcmp(a->text, b->text) != 0;
    else
        c = ops_order(a, b);
    if (c == 2) {
        ast_error(d, at, "no se puede comparar %s con %s",
                  value_type_name(a->type), value_type_name(b->type));
        return false;
    }
    switch (op) {
    case OP_EQ:
        *res = c == 0;
        break;
    case OP_NE:
        *res = c != 0;
        break;
    case OP_LT:
        *res = c < 0;
        break;
    case OP_LE:
        *res = c <= 0;
        break;
    case OP_GT:
        *res = c > 0;
        break;
    default:
        *res = c >= 0;
        break;
    }
    return true;
}

enum vtype ops_arith_type(int op, enum vtype a, enum vtype b)
{
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        if (a == V_INT && b == V_INT)
            return V_INT;
        if ((a == V_MONEY && b != V_PERCENT) ||
            (b == V_MONEY && a != V_PERCENT))
            return V_MONEY;
        return V_NUMBER;
    case OP_MUL:
        if (a == V_INT && b == V_INT)
            return V_INT;
        if ((a == V_MONEY && (b == V_INT || b == V_NUMBER)) ||
            (b == V_MONEY && (a == V_INT || a == V_NUMBER)))
            return V_MONEY;
        return V_NUMBER;
    default:
        if (a == V_MONEY && b != V_MONEY && b != V_PERCENT)
            return V_MONEY;
        return V_NUMBER;
    }
}

bool ops_arith(const struct expr *e, const struct expr_env *env, struct diag *d,
               const struct value *a, const struct value *b, struct value *out)
{
    int op = e->op;
    if (a->type == V_TEXT && b->type == V_TEXT && op == OP_ADD) {
        *out = ops_text(arena_printf(env->a, "%s%s", a->text, b->text));
        return true;
    }
    bool bad = a->type == V_TEXT || b->type == V_TEXT || a->type == V_BOOL ||
               b->type == V_BOOL;
    if (!bad && (a->type == V_MISSING || b->type == V_MISSING)) {
        *out = ops_missing();
        return true;
    }
    if (!bad && (a->type == V_DATE || b->type == V_DATE)) {
        if (a->type == V_DATE && b->type == V_DATE && op == OP_SUB) {
            *out = ops_num(V_INT, (double)a->days - b->days);
            return true;
        }
        const struct value *dt = a->type == V_DATE ? a : b;
        const struct value *n = a->type == V_DATE ? b : a;
        if ((op == OP_ADD || (op == OP_SUB && a == dt)) &&
            (n->type == V_INT || n->type == V_NUMBER)) {
            double k = op == OP_ADD ? n->num : -n->num;
            *out = ops_date(dt->days + (int32_t)llround(k));
            return true;
        }
        bad = true;
    }
    if (bad) {
        ast_error(d, e, "no se puede aplicar '%s' a %s y %s", ops_symbol(op),
                  value_type_name(a->type), value_type_name(b->type));
        return false;
    }
    double r;
    switch (op) {
    case OP_ADD:
        r = a->num + b->num;
        break;
    case OP_SUB:
        r = a->num - b->num;
        break;
    case OP_MUL:
        r = a->num * b->num;
        break;
    default:
        if (b->num == 0) {
            unsigned line = row_line(env);
            if (line)
                diag_warning(d, e->file, e->line, e->col,
                             "división por cero: el resultado queda vacío "
                             "(fila de la línea %u)",
                             line);
            else
                diag_warning(d, e->file, e->line, e->col,
                             "división por cero: el resultado queda vacío");
            *out = ops_missing();
            return true;
        }
        r = a->num / b->num;
        break;
    }
    *out = ops_num(ops_arith_type(op, a->type, b->type), r);
    return true;
}

bool ops_truth(const struct expr *at, const struct value *v, struct diag *d,
               bool *out)
{
    if (v->type == V_MISSING) {
        *out = false;
        return true;
    }
    if (v->type != V_BOOL) {
        ast_error(d, ast_start(at),
                  "se esperaba una condición y no un valor de tipo %s",
                  value_type_name(v->type));
        return false;
    }
    *out = v->num != 0;
    return true;
}

const char *ops_change_case(struct arena *a, const char *s, bool upper)
{
    struct buf b;
    buf_init(&b);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t l;
        uint32_t cp = utf8_decode(s + i, n - i, &l);
        if (cp == UTF8_BAD) {
            buf_addc(&b, s[i]);
            i += 1;
            continue;
        }
        if (upper) {
            if ((cp >= 'a' && cp <= 'z') ||
                (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
                cp -= 0x20;
        } else {
            if ((cp >= 'A' && cp <= 'Z') ||
                (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
                cp += 0x20;
        }
        char enc[4];
        buf_add(&b, enc, utf8_encode(cp, enc));
        i += l;
    }
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

/* Parses the plain digits of fmt_round_plain back into a double. */
static double plain_to_double(const char *s)
{
    bool neg = *s == '-';
    if (neg)
        s++;
    double mant = 0;
    int frac = 0;
    bool dot = false;
    for (; *s; s++) {
        if (*s == '.') {
            dot = true;
            continue;
        }
        mant = mant * 10 + (*s - '0');
        frac += dot;
    }
    double r = frac ? mant / pow(10, frac) : mant;
    return neg ? -r : r;
}

double ops_round(double x, int n)
{
    char plain[64];
    fmt_round_plain(x, n, plain);
    return plain_to_double(plain);
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "2018-T1" as text: the first day of the quarter, or false. */
static bool quarter_text(const char *s, int32_t *days)
{
    if (strlen(s) != 7 || s[4] != '-' || s[5] != 'T' || s[6] < '1' ||
        s[6] > '4')
        return false;
    for (int i = 0; i < 4; i++)
        if (!digit(s[i]))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    *days = date_from_ymd(y, (unsigned)(s[6] - '1') * 3 + 1, 1);
    return true;
}

bool ops_filter(const struct expr *e, const struct expr_env *env,
                struct diag *d, const struct value *operand, struct value *out)
{
    struct value v = *operand;
    enum flt f = (enum flt)e->op;
    if (f == FL_DEFAULT) {
        *out = v.type == V_MISSING ? ops_text(e->fstr) : v;
        return true;
    }
    if (v.type == V_MISSING) {
        *out = v;
        return true;
    }
    struct buf b;
    buf_init(&b);
    bool ok = true;
    struct numfmt nf = {NF_NUMBER, e->farg, env->pct_space, NULL};
    switch (f) {
    case FL_NUMBER:
    case FL_INTEGER:
    case FL_PLAIN:
    case FL_PERCENT:
    case FL_MONEY:
        if (!ops_is_num(v.type)) {
            ok = false;
            break;
        }
        nf.kind = f == FL_NUMBER    ? NF_NUMBER
                  : f == FL_INTEGER ? NF_INTEGER
                  : f == FL_PLAIN   ? NF_PLAIN
                  : f == FL_PERCENT ? NF_PERCENT
                                    : NF_MONEY;
        if (f == FL_NUMBER && e->farg < 0) {
            /* bare `number`: as a number prints by default */
            struct value n = ops_num(V_NUMBER, v.num);
            nf.kind = NF_AUTO;
            fmt_value(&b, &n, &nf);
        } else {
            fmt_value(&b, &v, &nf);
        }
        break;
    case FL_DATE:
        if (v.type != V_DATE) {
            ok = false;
            break;
        }
        if (e->fstr && strcmp(e->fstr, "long") == 0)
            fmt_date_long(&b, v.days);
        else if (e->fstr && strcmp(e->fstr, "iso") == 0)
            fmt_date_iso(&b, v.days);
        else
            fmt_date_short(&b, v.days);
        break;
    case FL_QUARTER: {
        int32_t days = v.days;
        if (v.type != V_DATE &&
            !(v.type == V_TEXT && quarter_text(v.text, &days))) {
            ok = false;
            break;
        }
        if (e->fstr && strcmp(e->fstr, "long") == 0)
            fmt_quarter_long(&b, days);
        else
            fmt_quarter_code(&b, days);
        break;
    }
    case FL_MONTH:
        if (v.type == V_DATE) {
            int y;
            unsigned m, dd;
            date_to_ymd(v.days, &y, &m, &dd);
            buf_adds(&b, fmt_month_name(m));
        } else if (v.type == V_INT && v.num >= 1 && v.num <= 12) {
            buf_adds(&b, fmt_month_name((unsigned)v.num));
        } else {
            ok = false;
        }
        break;
    case FL_UPPER:
    case FL_LOWER: {
        const char *txt = v.text;
        if (v.type != V_TEXT) {
            fmt_value(&b, &v, &nf);
            txt = b.data;
        }
        *out = ops_text(ops_change_case(env->a, txt, f == FL_UPPER));
        buf_release(&b);
        return true;
    }
    default:
        break;
    }
    if (!ok) {
        static const char *const wants[] = {
            [FL_NUMBER] = "un número",  [FL_INTEGER] = "un número",
            [FL_PLAIN] = "un número",   [FL_PERCENT] = "un número",
            [FL_MONEY] = "un número",   [FL_DATE] = "una fecha",
            [FL_QUARTER] = "una fecha", [FL_MONTH] = "una fecha",
        };
        ast_error(d, e, "el filtro '%s' espera %s, no un valor de tipo %s",
                  resolve_filter_name(f), wants[f], value_type_name(v.type));
        buf_release(&b);
        return false;
    }
    *out = ops_text(arena_strndup(env->a, b.data, b.len));
    buf_release(&b);
    return true;
}
