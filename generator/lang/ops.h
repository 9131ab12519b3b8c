/* ops: the operators, built-ins and filters of the language applied to
 * values, with their type rules (expr.h says them in short): arithmetic
 * (and the result type the checker infers for it), comparison, the truth
 * of a condition, case mapping, rounding, and every filter. Errors are
 * reported at the node given (its operator, or the filter). */
#ifndef INFORME_OPS_H
#define INFORME_OPS_H

#include "base/arena.h"
#include "base/diag.h"
#include "data/value.h"
#include "lang/ast.h"
#include "lang/expr.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

static inline struct value ops_missing(void)
{
    struct value v = {.type = V_MISSING};
    return v;
}

/* A number of type t; missing when x is not finite. */
static inline struct value ops_num(enum vtype t, double x)
{
    struct value v = {.type = t, .num = x};
    if (!isfinite(x))
        v.type = V_MISSING;
    return v;
}

static inline struct value ops_bool(bool b)
{
    struct value v = {.type = V_BOOL, .num = b ? 1 : 0};
    return v;
}

static inline struct value ops_text(const char *s)
{
    struct value v = {.type = V_TEXT, .text = s};
    return v;
}

static inline struct value ops_date(int32_t days)
{
    struct value v = {.type = V_DATE, .days = days};
    return v;
}

/* The types that hold a number (booleans not among them). */
static inline bool ops_is_num(enum vtype t)
{
    return t == V_INT || t == V_NUMBER || t == V_PERCENT || t == V_MONEY;
}

/* The text of an operator (enum op): "+", "<=", ... */
const char *ops_symbol(int op);

/* Result type of a numeric operation op (OP_ADD .. OP_DIV) on numbers of
 * types a and b. */
enum vtype ops_arith_type(int op, enum vtype a, enum vtype b);
/* a op b, op and position from step (division by zero: missing and a
 * warning naming the current row's line); text results in env->a. false
 * after reporting operands of the wrong types. */
bool ops_arith(const struct expr *step, const struct expr_env *env,
               struct diag *d, const struct value *a, const struct value *b,
               struct value *out);

/* Ordering of two present values: -1, 0, 1; 2 if they cannot be
 * compared (data/collate.h). */
int ops_order(const struct value *a, const struct value *b);
/* a op b for a comparison op (OP_EQ .. OP_GE) into *res, missing values
 * as expr.h says; false after reporting values that cannot be compared,
 * at at. */
bool ops_compare(const struct expr *at, int op, const struct value *a,
                 const struct value *b, struct diag *d, bool *res);
/* A condition operand: bool as is, missing false, else an error at the
 * first character of at. */
bool ops_truth(const struct expr *at, const struct value *v, struct diag *d,
               bool *out);

/* s in upper or lower case (ASCII and the Latin-1 letters Spanish uses),
 * in a. */
const char *ops_change_case(struct arena *a, const char *s, bool upper);
/* x rounded to n decimals as it prints (fmt_round_plain). */
double ops_round(double x, int n);

/* Applies the filter node f to v (its operand's value); formatting
 * filters give text, in env->a. false after reporting a value of a type
 * the filter does not take. */
bool ops_filter(const struct expr *f, const struct expr_env *env,
                struct diag *d, const struct value *v, struct value *out);

#endif
