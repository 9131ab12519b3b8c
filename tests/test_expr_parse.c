/* test_expr_parse: the parser's precedence table: the shape of the tree
 * for every level and its associativity (written back with a pair of
 * parentheses per node), flat chains as one wide node with each step at
 * its operator, the values that shape gives, and the syntax and depth
 * errors around the levels, with their exact positions. */
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/limits.h"
#include "lang/ast.h"
#include "lang/expr.h"
#include "lang/resolve.h"

#include <stdio.h>
#include <stdlib.h>

struct fx {
    struct arena *a;
    struct diag d;
    struct buf out;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d);
    buf_init(&f->out);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    limits_reset();
    buf_release(&f->out);
    diag_release(&f->d);
    arena_free(f->a);
    free(f);
    return 0;
}

static const char *msg(struct fx *f, size_t i)
{
    return test_msg(f->a, &f->d, i);
}

static struct expr *parse(struct fx *f, const char *src)
{
    return expr_parse(f->a, &f->d, src, strlen(src), "t.yaml", 1, 1);
}

/* The tree written back with one pair of parentheses per operator node:
 * a chain is (a + b - c), one node however long. */
static void show(struct buf *b, const struct expr *e)
{
    static const char *const ops[] = {"+",  "-", "*",  "/", "=",
                                      "!=", "<", "<=", ">", ">="};
    switch (e->kind) {
    case E_NUM:
        buf_printf(b, "%g", e->num);
        break;
    case E_STR:
        buf_printf(b, "\"%s\"", e->text);
        break;
    case E_DATE:
        buf_printf(b, "#%d", (int)e->days);
        break;
    case E_NAME:
        buf_adds(b, e->text);
        break;
    case E_FIELD:
        buf_printf(b, "%s.%s", e->text, e->text2);
        break;
    case E_PARAM:
        buf_printf(b, "params.%s", e->text);
        break;
    case E_NEG:
    case E_NOT:
        buf_adds(b, e->kind == E_NEG ? "(- " : "(not ");
        show(b, e->l);
        buf_addc(b, ')');
        break;
    case E_ARITH:
    case E_AND:
    case E_OR:
        buf_addc(b, '(');
        show(b, e->l);
        for (size_t i = 0; i < e->nargs; i++) {
            buf_printf(b, " %s ",
                       e->kind == E_AND  ? "and"
                       : e->kind == E_OR ? "or"
                                         : ops[e->steps[i]->op]);
            show(b, e->args[i]);
        }
        buf_addc(b, ')');
        break;
    case E_CMP:
        buf_addc(b, '(');
        show(b, e->l);
        buf_printf(b, " %s ", ops[e->op]);
        show(b, e->args[0]);
        buf_addc(b, ')');
        break;
    case E_IN:
        buf_addc(b, '(');
        show(b, e->l);
        buf_adds(b, " in [");
        for (size_t i = 0; i < e->nargs; i++) {
            if (i)
                buf_adds(b, ", ");
            show(b, e->args[i]);
        }
        buf_adds(b, "])");
        break;
    case E_BETWEEN:
        buf_addc(b, '(');
        show(b, e->l);
        buf_adds(b, " between ");
        show(b, e->args[0]);
        buf_adds(b, " and ");
        show(b, e->args[1]);
        buf_addc(b, ')');
        break;
    case E_CALL:
        buf_printf(b, "%s(", resolve_fn_info(e->op)->name);
        for (size_t i = 0; i < e->nargs; i++) {
            if (i)
                buf_adds(b, ", ");
            show(b, e->args[i]);
        }
        if (e->where) {
            buf_adds(b, e->nargs ? " where " : "where ");
            show(b, e->where);
        }
        buf_addc(b, ')');
        break;
    case E_FILTER:
        buf_addc(b, '(');
        show(b, e->l);
        buf_printf(b, " | %s", resolve_filter_name(e->op));
        if (e->farg >= 0)
            buf_printf(b, ":%d", e->farg);
        else if (e->fstr)
            buf_printf(b, ":%s", e->fstr);
        buf_addc(b, ')');
        break;
    }
}

static const char *tree(struct fx *f, const char *src)
{
    struct expr *e = parse(f, src);
    if (!e)
        fail_msg("'%s' did not parse: %s", src, msg(f, 0));
    buf_clear(&f->out);
    show(&f->out, e);
    return arena_strdup(f->a, f->out.data);
}

static void parse_should_nest_every_level_in_order(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *src, *want;
    } cases[] = {
        /* loosest to tightest: or, and, not, comparison, + -, * /, - */
        {"a or b and not c = 1 + 2 * -3",
         "(a or (b and (not (c = (1 + (2 * (- 3)))))))"},
        {"-3 * 2 + 1 = c and not b or a",
         "((((((- 3) * 2) + 1) = c) and (not b)) or a)"},
        {"a and b or c and d", "((a and b) or (c and d))"},
        {"a = 1 or b in [1, 2] and c between 1 and 2 + 3",
         "((a = 1) or ((b in [1, 2]) and (c between 1 and (2 + 3))))"},
        /* not takes a whole comparison; a second not nests */
        {"not a = b and c", "((not (a = b)) and c)"},
        {"not not a < 1", "(not (not (a < 1)))"},
        /* unary minus binds tightest, and nests */
        {"-a * b", "((- a) * b)"},
        {"- - 1 - 2", "((- (- 1)) - 2)"},
        /* parentheses, calls and lists start from the loosest level */
        {"(a or b) and c", "((a or b) and c)"},
        {"(1 + 2) * 3", "((1 + 2) * 3)"},
        {"if(a or b, x + 1, 2) * 3", "(if((a or b), (x + 1), 2) * 3)"},
        {"a in [1 + 2, b or c]", "(a in [(1 + 2), (b or c)])"},
        {"sum(plan.meta where avance > 1 and meta < 2) / count()",
         "(sum(plan.meta where ((avance > 1) and (meta < 2))) / count())"},
        /* filters are looser than everything, applied left to right */
        {"x + 1 > 2 or y | number:1 | default:\"-\"",
         "(((((x + 1) > 2) or y) | number:1) | default:-)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = tree(f, cases[i].src);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("'%s': got %s, want %s", cases[i].src, got, cases[i].want);
    }
    assert_int_equal(f->d.n, 0);
}

static void parse_should_keep_a_run_of_one_level_as_one_node(void **state)
{
    struct fx *f = *state;
    assert_string_equal(tree(f, "1 - 2 - 3 + 4"), "(1 - 2 - 3 + 4)");
    assert_string_equal(tree(f, "a * b + c * d - e"),
                        "((a * b) + (c * d) - e)");
    assert_string_equal(tree(f, "a and b and c or d or e"),
                        "((a and b and c) or d or e)");
    /* a run interrupted by a looser level starts a new chain */
    assert_string_equal(tree(f, "1 + 2 = 3 + 4 + 5"),
                        "((1 + 2) = (3 + 4 + 5))");

    /* the chain node sits at its first operator, each step at its own */
    struct expr *e = parse(f, "a + b - c * d / e");
    assert_non_null(e);
    assert_int_equal(e->kind, E_ARITH);
    assert_int_equal(e->nargs, 2);
    assert_int_equal(e->col, 3);
    assert_int_equal(e->steps[0]->op, OP_ADD);
    assert_int_equal(e->steps[0]->col, 3);
    assert_int_equal(e->steps[1]->op, OP_SUB);
    assert_int_equal(e->steps[1]->col, 7);
    const struct expr *m = e->args[1];
    assert_int_equal(m->kind, E_ARITH);
    assert_int_equal(m->nargs, 2);
    assert_int_equal(m->steps[0]->op, OP_MUL);
    assert_int_equal(m->steps[1]->op, OP_DIV);
    assert_int_equal(m->steps[1]->col, 15);
    assert_int_equal(e->depth, 3);

    /* 5,000 terms: one node two levels deep, whatever the depth limit */
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < 5000; i++)
        buf_adds(&b, i ? " + 1" : "1");
    e = parse(f, b.data);
    buf_release(&b);
    assert_non_null(e);
    assert_int_equal(e->kind, E_ARITH);
    assert_int_equal(e->nargs, 4999);
    assert_int_equal(e->depth, 2);
    struct expr_env env = {.a = f->a};
    struct value v;
    assert_true(expr_eval(e, &env, &f->d, &v));
    assert_int_equal(v.type, V_INT);
    assert_true(v.num == 5000);
}

static const char *value_text(struct fx *f, const char *src)
{
    struct expr *e = parse(f, src);
    if (!e)
        fail_msg("'%s' did not parse: %s", src, msg(f, 0));
    struct expr_env env = {.a = f->a, .pct_space = true};
    buf_clear(&f->out);
    if (!expr_format(e, &env, &f->d, &f->out))
        fail_msg("'%s' did not evaluate: %s", src, msg(f, 0));
    return arena_strdup(f->a, f->out.data);
}

static void parse_should_associate_chains_to_the_left(void **state)
{
    struct fx *f = *state;
    assert_string_equal(value_text(f, "10 - 4 - 3"), "3");
    assert_string_equal(value_text(f, "64 / 4 / 2"), "8");
    assert_string_equal(value_text(f, "2 - 3 + 4"), "3");
    assert_string_equal(value_text(f, "12 / 2 * 3"), "18");
    assert_string_equal(value_text(f, "1 + 2 * 3 - 4 / 2"), "5");
    assert_string_equal(value_text(f, "-2 * -3 - -1"), "7");
    /* or of and: true or (false and false) */
    assert_string_equal(value_text(f, "1 = 1 or 1 = 2 and 1 = 2"), "sí");
    /* not over a comparison: not (1 = 2), then and */
    assert_string_equal(value_text(f, "not 1 = 2 and 2 > 1"), "sí");
    assert_string_equal(value_text(f, "not 1 < 2 or 3 between 1 and 2 + 1"),
                        "sí");
    assert_string_equal(value_text(f, "2 in [1 + 1, 5] and not 3 in [1, 2]"),
                        "sí");
    assert_int_equal(f->d.n, 0);
}

static void parse_should_refuse_what_no_level_allows(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *src, *want;
    } cases[] = {
        /* a comparison does not associate */
        {"1 < 2 < 3", "t.yaml:1:7: error: se esperaba un operador o el final "
                      "de la expresión y se encontró '<'"},
        {"(1 = 1 = 1)", "t.yaml:1:8: error: se esperaba ')' y se encontró "
                        "'='"},
        {"a in [1] between 1 and 2",
         "t.yaml:1:10: error: se esperaba un operador o el final de la "
         "expresión y se encontró 'between'"},
        /* nothing tighter than not may follow its operand */
        {"not 1 = 2 > 3", "t.yaml:1:11: error: se esperaba un operador o el "
                          "final de la expresión y se encontró '>'"},
        {"not a between 1 and 2 >= 3",
         "t.yaml:1:23: error: se esperaba un operador o el final de la "
         "expresión y se encontró '>='"},
        /* not is looser than a comparison's or an arithmetic operand */
        {"1 = not 2", "t.yaml:1:5: error: se esperaba una expresión y se "
                      "encontró 'not'"},
        {"- not 1", "t.yaml:1:3: error: se esperaba una expresión y se "
                    "encontró 'not'"},
        {"a between 1 or 2", "t.yaml:1:13: error: se esperaba 'and' y se "
                             "encontró 'or'"},
        {"a and or b", "t.yaml:1:7: error: se esperaba una expresión y se "
                       "encontró 'or'"},
        {"1 + * 2", "t.yaml:1:5: error: se esperaba una expresión y se "
                    "encontró '*'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag_release(&f->d);
        assert_null(parse(f, cases[i].src));
        assert_int_equal(f->d.errors, 1);
        if (strcmp(msg(f, 0), cases[i].want) != 0)
            fail_msg("'%s': got '%s'", cases[i].src, msg(f, 0));
    }
}

static void
parse_should_bound_nesting_at_the_level_that_goes_too_deep(void **state)
{
    struct fx *f = *state;
    const char *why;
    assert_true(limits_set("expr_depth=4", &why));
    static const char *const limit = "supera el límite de 4 niveles (límite "
                                     "'expr_depth'; súbalo con --limit "
                                     "expr_depth=16)";
    static const struct {
        const char *src;
        unsigned col; /* 0: parses */
    } cases[] = {
        /* the whole expression and three parentheses: four levels */
        {"(((1))) + 1", 0},
        {"((((1))))", 4},
        /* each prefix operator is one level, at the operator */
        {"- - - 1", 0},
        {"- - - - 1", 7},
        {"not not not not 1 = 1", 13},
        /* a tree four nodes deep joined by a chain: at the operator */
        {"- - - 1 + 1", 9},
        {"1 + - - - 1", 3},
        {"1 + 1 + - - - 1", 7},
        /* a flat chain adds one level, however long */
        {"- - 1 + 1 + 1 + 1 + 1 + 1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        diag_release(&f->d);
        struct expr *e = parse(f, cases[i].src);
        if (!cases[i].col) {
            if (!e)
                fail_msg("'%s': %s", cases[i].src, msg(f, 0));
            continue;
        }
        assert_null(e);
        char want[200];
        snprintf(want, sizeof want,
                 "t.yaml:1:%u: error: el anidamiento de la expresión %s",
                 cases[i].col, limit);
        if (strcmp(msg(f, 0), want) != 0)
            fail_msg("'%s': got '%s'", cases[i].src, msg(f, 0));
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(parse_should_nest_every_level_in_order),
        T(parse_should_keep_a_run_of_one_level_as_one_node),
        T(parse_should_associate_chains_to_the_left),
        T(parse_should_refuse_what_no_level_allows),
        T(parse_should_bound_nesting_at_the_level_that_goes_too_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
