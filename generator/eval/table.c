/* eval_table: a `table:` block: columns (fields or expressions), widths,
 * alignment, semáforo fills, group rows, subtotals and a total row. */
#include "eval/internal.h"
#include "doc/dlist.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One column as the template describes it. */
struct tcol {
    long field;           /* column of the source, or -1 */
    struct eval_expr *ex; /* value: expression, or NULL */
    struct colfmt fmt;
    const struct style *fill;
    bool summed; /* in subtotals and the total */
};

struct tctx {
    struct report *r;
    const struct table *t;
    struct table_block *tb;
    struct tcol *c;
    size_t rcap;
};

static bool col_width(struct report *r, const struct tl_width *w,
                      struct table_column *tc)
{
    if (!w->n)
        return true;
    tc->width_kind = w->percent ? WIDTH_PERCENT : WIDTH_POINTS;
    tc->width = w->v;
    if (!w->percent && tc->width <= 0) { /* negative lengths are the schema's */
        tree_error(r->d, w->n,
                   "el ancho de una columna debe ser mayor que cero, no '%s'",
                   w->n->text);
        return false;
    }
    return true;
}

/* The span styles of a word of `style`. */
static unsigned col_style(enum tl_word w)
{
    return w == TLW_col_style_bold          ? SPAN_BOLD
           : w == TLW_col_style_italic      ? SPAN_ITALIC
           : w == TLW_col_style_bold_italic ? SPAN_BOLD | SPAN_ITALIC
                                            : 0;
}

static bool col_fill(struct report *r, const struct tl_str *fill,
                     const struct style **out)
{
    if (!fill->n || (*out = eval_style_find(r, fill->v)))
        return true;
    tree_error(r->d, fill->n,
               "estilo de umbrales desconocido '%s' (defínalo en "
               "'styles')",
               fill->v);
    return false;
}

static enum align col_align(enum tl_word w)
{
    return w == TLW_align_center  ? ALIGN_CENTER
           : w == TLW_align_right ? ALIGN_RIGHT
                                  : ALIGN_LEFT;
}

static bool numeric_col(const struct tctx *x, const struct tcol *c)
{
    if (c->fmt.given && c->fmt.nf.kind != NF_AUTO)
        return true;
    if (c->field >= 0)
        return value_is_numeric(x->t->cols[c->field].type);
    return c->ex != NULL && !c->fmt.given &&
           value_is_numeric(eval_expr_type(c->ex));
}

static bool one_col(struct tctx *x, const struct tl_column *col, size_t i)
{
    struct report *r = x->r;
    struct tcol *c = &x->c[i];
    struct table_column *tc = &x->tb->cols[i];
    c->field = -1;
    bool ok = true;
    if (col->field.n)
        ok = (c->field = eval_column(r, col->field.n, x->t)) >= 0;
    else if (col->value.n)
        ok = (c->ex = eval_expr_compile(r, col->value.n, x->t)) != NULL;
    else {
        tree_error(r->d, col->node, "la columna necesita 'field' o 'value'");
        ok = false;
    }
    tc->title = col->field.n ? col->field.v : "";
    if (col->title.n && !(tc->title = eval_render(r, col->title.n, false)))
        ok = false;
    ok = eval_format_parse(r, col->format.n, &c->fmt) && ok;
    ok = col_width(r, &col->width, tc) && ok;
    tc->style = col_style(col->style.v);
    ok = col_fill(r, &col->fill, &c->fill) && ok;
    tc->align = ok && numeric_col(x, c) ? ALIGN_RIGHT : ALIGN_LEFT;
    if (col->align.n)
        tc->align = col_align(col->align.v);
    return ok;
}

static bool cell_value(struct tctx *x, size_t col, size_t row,
                       struct value *out)
{
    const struct tcol *c = &x->c[col];
    if (c->field >= 0) {
        *out = table_cell(x->t, row, (size_t)c->field)->v;
        return true;
    }
    return eval_expr_row(x->r, c->ex, x->t, row, out);
}

static struct table_row *new_row(struct tctx *x, enum row_kind kind)
{
    struct table_block *tb = x->tb;
    tb->rows = arena_grow(x->r->a, tb->rows, &x->rcap, tb->nrows + 1,
                          sizeof *tb->rows);
    struct table_row *row = &tb->rows[tb->nrows++];
    row->kind = kind;
    row->line = 0;
    row->cells = arena_array(x->r->a, tb->ncols, sizeof *row->cells);
    for (size_t i = 0; i < tb->ncols; i++)
        row->cells[i] = (struct table_cell){.text = "", .fill = COLOR_NONE};
    return row;
}

static void set_cell(struct tctx *x, struct table_cell *cell, size_t col,
                     const struct value *v)
{
    /* A text read straight from a column is its table's, not a copy: the
     * table lives in the report's arena (or the run's), as long as the
     * document does, and rows that repeat a text share it. */
    if (v->type == V_TEXT && x->c[col].field >= 0)
        cell->text = v->text;
    else
        cell->text = eval_format_value(x->r, &x->c[col].fmt, v);
    cell->fill = eval_style_fill(x->c[col].fill, v);
}

static bool body_row(struct tctx *x, size_t row)
{
    struct table_row *tr = new_row(x, ROW_BODY);
    tr->line = x->t->ncols ? table_cell(x->t, row, 0)->line : 0;
    for (size_t i = 0; i < x->tb->ncols; i++) {
        struct value v;
        if (!cell_value(x, i, row, &v))
            return false;
        set_cell(x, &tr->cells[i], i, &v);
    }
    return true;
}

/* Sum of a column over rows (mean for percents); missing values skipped. */
static bool column_total(struct tctx *x, size_t col, const size_t *rows,
                         size_t n, struct value *out)
{
    double sum = 0;
    size_t k = 0;
    enum vtype type = V_NUMBER;
    for (size_t i = 0; i < n; i++) {
        struct value v;
        if (!cell_value(x, col, rows[i], &v))
            return false;
        if (!value_is_numeric(v.type))
            continue;
        sum += v.num;
        type = v.type;
        k++;
    }
    *out = (struct value){.type = k ? type : V_MISSING, .num = sum};
    if (type == V_PERCENT && k)
        out->num = sum / (double)k;
    return true;
}

static bool total_row(struct tctx *x, enum row_kind kind, const char *label,
                      const size_t *rows, size_t n)
{
    struct table_row *tr = new_row(x, kind);
    for (size_t i = 0; i < x->tb->ncols; i++) {
        struct value v;
        if (!x->c[i].summed)
            continue;
        if (!column_total(x, i, rows, n, &v))
            return false;
        set_cell(x, &tr->cells[i], i, &v);
    }
    if (!x->c[0].summed)
        tr->cells[0].text = label;
    return true;
}

/* The columns subtotals and the total sum: those named in `subtotals`
 * (by their field), else every numeric field column but the first. */
static bool mark_summed(struct tctx *x, const struct tl_nodes *sub,
                        const struct tl_column_list *cols)
{
    for (size_t i = 0; sub && i < sub->n; i++) {
        const struct tnode *k = sub->v[i];
        size_t j = 0;
        while (j < cols->n &&
               strcmp(cols->v[j].field.n ? cols->v[j].field.v : "", k->text))
            j++;
        if (j == cols->n) {
            tree_error(x->r->d, k,
                       "'%s' no es una columna 'field' de la "
                       "tabla",
                       k->text);
            return false;
        }
        x->c[j].summed = true;
    }
    for (size_t i = 1; !sub && i < cols->n; i++)
        x->c[i].summed = x->c[i].field >= 0 &&
                         value_is_numeric(x->t->cols[x->c[i].field].type);
    return true;
}

/* Groups in order of first appearance, compared by their text (what the
 * group row shows): linear in the rows, however many groups there are. */
static bool grouped(struct tctx *x, const struct tnode *g, bool subtotals,
                    const size_t *rows, size_t n)
{
    long gc = eval_column(x->r, g, x->t);
    if (gc < 0)
        return false;
    struct eval_groups gr;
    if (!eval_group_rows(x->r, x->t, (size_t)gc, rows, n, SIZE_MAX, &gr))
        return false;
    bool ok = true;
    for (size_t k = 0; k < gr.n && ok; k++) {
        const size_t *m = gr.members + gr.start[k];
        size_t cnt = gr.start[k + 1] - gr.start[k];
        new_row(x, ROW_GROUP)->cells[0].text = gr.label[k];
        for (size_t j = 0; j < cnt && ok; j++)
            ok = body_row(x, m[j]);
        if (ok && subtotals)
            ok = total_row(x, ROW_SUBTOTAL, "Subtotal", m, cnt);
    }
    return ok;
}

static bool caption(struct tctx *x, const struct tl_str *c)
{
    if (!c->n)
        return true;
    const char *s = eval_render(x->r, c->n, false);
    if (s)
        x->tb->caption = s;
    return s != NULL;
}

static bool fill_rows(struct tctx *x, const struct tl_table *tt)
{
    size_t *rows, n;
    if (!eval_select_rows(x->r, &tt->where, &tt->sort, &tt->limit, x->t, &rows,
                          &n))
        return false;
    const struct tnode *g = tt->group_by.n, *tot = tt->total.n;
    const struct tl_nodes *sub = tt->subtotals.node ? &tt->subtotals : NULL;
    if ((sub || tot) && !mark_summed(x, sub, &tt->columns))
        return false;
    bool ok = true;
    if (g)
        ok = grouped(x, g, sub != NULL, rows, n);
    for (size_t i = 0; !g && ok && i < n; i++)
        ok = body_row(x, rows[i]);
    if (ok && tot) {
        const char *label = eval_render(x->r, tot, false);
        ok = label && total_row(x, ROW_TOTAL, label, rows, n);
    }
    return ok;
}

bool eval_table(struct blocks *b, const struct tl_block *blk)
{
    struct report *r = b->r;
    const struct tl_table *tt = blk->u.table;
    const struct tl_column_list *cols = &tt->columns;
    struct tctx x = {.r = r};
    x.tb = &eval_block_new(b, BLK_TABLE, blk->item)->u.table;
    if (!(x.t = eval_block_data(r, &tt->data, blk->item)))
        return false;
    if (cols->n == 0) {
        tree_error(r->d, cols->node ? cols->node : blk->value,
                   "la tabla necesita 'columns'");
        return false;
    }
    x.tb->ncols = cols->n;
    x.tb->cols = arena_array(r->a, cols->n, sizeof *x.tb->cols);
    x.c = arena_array(r->a, cols->n, sizeof *x.c);
    bool ok = true;
    for (size_t i = 0; i < cols->n; i++)
        ok = one_col(&x, &cols->v[i], i) && ok;
    x.tb->zebra = tt->zebra.v;
    ok = caption(&x, &tt->caption) && ok;
    if (ok)
        return fill_rows(&x, tt);
    size_t *rows, n; /* still check where and sort */
    eval_select_rows(r, &tt->where, &tt->sort, &tt->limit, x.t, &rows, &n);
    return false;
}
