/* table: column widths, wrapped cells, rows kept whole (or split
 * with a continuation mark when taller than a page), the header row
 * repeated on every page, group, subtotal and total rows.
 *
 * Structure: Table, its Caption, THead with the header row's TH cells,
 * TBody with a TR per row (group and total rows too; a group title is one
 * TD spanning the row). The cells' rectangles, the continuation mark and
 * the header repeated on a new page are artifacts; a split row's cells
 * are reopened on the next page. */
#include "layout/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_AUTO_WIDTH 24.0
#define CONT_MARK "(continúa)"
#define NO_RECORDS "Sin registros."

/* Lines of the cells of one row, kept in a text_lines. */
struct rowlines {
    struct text_lines *tl;
    size_t *first, *count;
    size_t max; /* most lines in a cell */
};

struct tstate {
    const struct table_block *t;
    double *cx, *cw, total;
    double size, pitch;
    struct rowlines head, body;
    struct text_lines headtl;
    double hh;      /* header row height */
    unsigned *cell; /* structure elements of the row's cells */
    bool headed;    /* the header row has been placed once */
};

static const char *cell_text(const struct table_row *r, size_t c, size_t *n)
{
    const char *s = r->cells && r->cells[c].text ? r->cells[c].text : "";
    *n = strlen(s);
    return s;
}

static enum face cell_face(const struct table_block *t, enum row_kind k,
                           size_t c)
{
    unsigned style = t->cols[c].style;
    if (k == ROW_SUBTOTAL || k == ROW_TOTAL)
        style |= SPAN_BOLD;
    if (k == ROW_GROUP)
        style = SPAN_BOLD;
    return text_face(style);
}

/* Widths: points and percents as given; automatic columns share what is
 * left in proportion to their content's one-line width. */
static void widths(struct lay *L, struct tstate *ts)
{
    const struct table_block *t = ts->t;
    double fixed = 0, natural = 0;
    size_t nauto = 0;
    double *nat = calloc(t->ncols ? t->ncols : 1, sizeof *nat);
    if (!nat)
        arena_oom();
    for (size_t c = 0; c < t->ncols; c++) {
        const struct table_column *col = &t->cols[c];
        if (col->width_kind == WIDTH_POINTS) {
            ts->cw[c] = col->width;
        } else if (col->width_kind == WIDTH_PERCENT) {
            ts->cw[c] = L->w * col->width / 100.0;
        } else {
            nauto++;
            const char *title = col->title ? col->title : "";
            double m =
                text_width(&L->tx, FACE_BOLD, ts->size, title, strlen(title));
            for (size_t r = 0; r < t->nrows; r++) {
                if (t->rows[r].kind == ROW_GROUP)
                    continue;
                size_t n;
                const char *s = cell_text(&t->rows[r], c, &n);
                /* The widest line of the cell. */
                while (n > 0) {
                    const char *nl = memchr(s, '\n', n);
                    size_t k = nl ? (size_t)(nl - s) : n;
                    double w =
                        text_width(&L->tx, cell_face(t, t->rows[r].kind, c),
                                   ts->size, s, k);
                    if (w > m)
                        m = w;
                    s += k + (nl ? 1 : 0);
                    n -= k + (nl ? 1 : 0);
                }
            }
            nat[c] = m + 2 * LAY_CELL_PAD_X;
            natural += nat[c];
            continue;
        }
        fixed += ts->cw[c];
    }
    double left = L->w - fixed;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->cols[c].width_kind != WIDTH_AUTO)
            continue;
        double w = natural > 0 ? left * nat[c] / natural : 0;
        if (natural <= left)
            w = nat[c] + (left - natural) * nat[c] / natural;
        ts->cw[c] = w < MIN_AUTO_WIDTH ? MIN_AUTO_WIDTH : w;
    }
    /* The minimum may have pushed the table past the margin: take the
     * excess back from the automatic columns above it, in proportion. */
    double sum = fixed, slack = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->cols[c].width_kind != WIDTH_AUTO)
            continue;
        sum += ts->cw[c];
        slack += ts->cw[c] - MIN_AUTO_WIDTH;
    }
    double excess = sum - L->w;
    if (excess > 0.001 && slack > 0) {
        double k = excess < slack ? excess / slack : 1;
        for (size_t c = 0; c < t->ncols; c++)
            if (t->cols[c].width_kind == WIDTH_AUTO)
                ts->cw[c] -= (ts->cw[c] - MIN_AUTO_WIDTH) * k;
    }
    free(nat);
    ts->total = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        ts->cx[c] = ts->total;
        ts->total += ts->cw[c];
    }
}

/* Breaks every cell of a row (header when r is NULL) into rl. */
static size_t measure(struct lay *L, struct tstate *ts,
                      const struct table_row *r, struct rowlines *rl)
{
    const struct table_block *t = ts->t;
    text_lines_clear(rl->tl);
    rl->max = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        size_t n;
        const char *s;
        enum face face;
        double w = ts->cw[c];
        if (!r) {
            s = t->cols[c].title ? t->cols[c].title : "";
            n = strlen(s);
            face = FACE_BOLD;
        } else {
            if (r->kind == ROW_GROUP && c > 0) {
                rl->first[c] = rl->tl->n;
                rl->count[c] = 0;
                continue;
            }
            s = cell_text(r, c, &n);
            face = cell_face(t, r->kind, c);
            if (r->kind == ROW_GROUP)
                w = ts->total;
        }
        rl->first[c] = rl->tl->n;
        rl->count[c] = breakmemo_break(&L->memo, &L->tx, face, ts->size, s, n,
                                       w - 2 * LAY_CELL_PAD_X, rl->tl);
        if (rl->count[c] > rl->max)
            rl->max = rl->count[c];
    }
    return rl->max;
}

static double row_height(const struct tstate *ts, size_t lines)
{
    return 2 * LAY_CELL_PAD_Y + ts->pitch * (double)lines;
}

static uint32_t row_fill(struct lay *L, const struct tstate *ts,
                         const struct table_row *r, size_t body_index)
{
    if (!r)
        return L->set->accent;
    switch (r->kind) {
    case ROW_GROUP:
        return LAY_GROUP_FILL;
    case ROW_SUBTOTAL:
    case ROW_TOTAL:
        return LAY_TOTAL_FILL;
    case ROW_BODY:
        break;
    }
    return ts->t->zebra && body_index % 2 == 1 ? LAY_ZEBRA_FILL : COLOR_NONE;
}

/* A cell's background and rules: an artifact. */
static void cell_box(struct lay *L, double x, double y, double w, double h,
                     uint32_t fill)
{
    enum dl_artifact was = lay_artifact(L, DL_ART_LAYOUT);
    lay_rect(L, x, y, w, h, fill, L->set->rule, LAY_RULE_WIDTH);
    lay_artifact(L, was);
}

/* Opens cell c's element: a new one on a row's first piece (from 0),
 * else the one opened for that piece. No element when tag is false. */
static void cell_begin(struct lay *L, struct tstate *ts, size_t c,
                       enum dl_role role, unsigned span, size_t from, bool tag)
{
    if (!tag)
        return;
    if (from == 0)
        ts->cell[c] = lay_begin(L, role, span);
    else
        lay_resume(L, ts->cell[c]);
}

/* Draws lines [from, from + k) of every cell in a box of height h; with
 * cont, a cell with more lines shows the continuation mark below. With
 * tag, each cell is a TD (TH in the header, r NULL). */
static void draw_row(struct lay *L, struct tstate *ts,
                     const struct table_row *r, const struct rowlines *rl,
                     double y, double h, size_t from, size_t k, bool cont,
                     size_t body_index, bool tag)
{
    if (!L->emit)
        return;
    const struct table_block *t = ts->t;
    uint32_t fill = row_fill(L, ts, r, body_index);
    uint32_t color = r ? L->set->text_color : LAY_WHITE;
    if (r && r->kind == ROW_GROUP) {
        cell_box(L, L->x0, y, ts->total, h, fill);
        size_t a = rl->first[0] + from;
        size_t e =
            rl->first[0] + (rl->count[0] < from + k ? rl->count[0] : from + k);
        cell_begin(L, ts, 0, DL_ROLE_TD, (unsigned)t->ncols, from, tag);
        lay_draw_lines(L, rl->tl, a, e, L->x0 + LAY_CELL_PAD_X,
                       ts->total - 2 * LAY_CELL_PAD_X, y + LAY_CELL_PAD_Y,
                       ts->size, ts->pitch, ALIGN_LEFT, color);
        if (tag)
            lay_end(L);
        return;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        double x = L->x0 + ts->cx[c];
        uint32_t f = fill;
        if (r && r->cells && r->cells[c].fill != COLOR_NONE)
            f = r->cells[c].fill;
        cell_box(L, x, y, ts->cw[c], h, f);
        size_t cnt = rl->count[c];
        size_t a = rl->first[c] + (from < cnt ? from : cnt);
        size_t e = rl->first[c] + (from + k < cnt ? from + k : cnt);
        cell_begin(L, ts, c, r ? DL_ROLE_TD : DL_ROLE_TH, 0, from, tag);
        lay_draw_lines(L, rl->tl, a, e, x + LAY_CELL_PAD_X,
                       ts->cw[c] - 2 * LAY_CELL_PAD_X, y + LAY_CELL_PAD_Y,
                       ts->size, ts->pitch, t->cols[c].align, color);
        if (cont && cnt > from + k) {
            enum face face = text_face(SPAN_ITALIC);
            double w = text_width(&L->tx, face, ts->size, CONT_MARK,
                                  strlen(CONT_MARK));
            enum dl_artifact was = lay_artifact(L, DL_ART_LAYOUT);
            lay_text(L, x + LAY_CELL_PAD_X,
                     y + LAY_CELL_PAD_Y + (double)k * ts->pitch + ts->size,
                     face, ts->size, L->set->muted, CONT_MARK,
                     strlen(CONT_MARK), w);
            lay_artifact(L, was);
        }
        if (tag)
            lay_end(L);
    }
}

/* The header row: the table's THead the first time, an artifact when
 * repeated on a new page. */
static void draw_header(struct lay *L, struct tstate *ts)
{
    double y = lay_take(L, ts->hh);
    if (ts->headed) {
        lay_artifact(L, DL_ART_PAGINATION);
        draw_row(L, ts, NULL, &ts->head, y, ts->hh, 0, ts->head.max, false, 0,
                 false);
        lay_artifact(L, DL_ART_NONE);
        return;
    }
    lay_begin(L, DL_ROLE_THEAD, 0);
    lay_begin(L, DL_ROLE_TR, 0);
    draw_row(L, ts, NULL, &ts->head, y, ts->hh, 0, ts->head.max, false, 0,
             true);
    lay_end(L);
    lay_end(L);
    ts->headed = true;
}

static void setup(struct lay *L, struct tstate *ts, const struct table_block *t)
{
    memset(ts, 0, sizeof *ts);
    ts->t = t;
    size_t n = t->ncols ? t->ncols : 1;
    ts->cx = calloc(n, sizeof *ts->cx);
    ts->cw = calloc(n, sizeof *ts->cw);
    ts->head.first = calloc(n, sizeof(size_t));
    ts->head.count = calloc(n, sizeof(size_t));
    ts->body.first = calloc(n, sizeof(size_t));
    ts->body.count = calloc(n, sizeof(size_t));
    ts->cell = calloc(n, sizeof *ts->cell);
    if (!ts->cx || !ts->cw || !ts->head.first || !ts->head.count ||
        !ts->body.first || !ts->body.count || !ts->cell)
        arena_oom();
    ts->head.tl = &ts->headtl;
    ts->body.tl = &L->cell;
    ts->size = t->size > 0              ? t->size
               : L->set->table_size > 0 ? L->set->table_size
                                        : L->set->body_size;
    ts->pitch = lay_pitch(L, ts->size);
    widths(L, ts);
    ts->hh = row_height(ts, measure(L, ts, NULL, &ts->head));
}

static void teardown(struct tstate *ts)
{
    free(ts->cx);
    free(ts->cw);
    free(ts->head.first);
    free(ts->head.count);
    free(ts->body.first);
    free(ts->body.count);
    free(ts->cell);
    text_lines_release(&ts->headtl);
}

static double caption_height(struct lay *L, const struct table_block *t,
                             struct text_lines *tl, struct buf *b)
{
    if (!t->caption)
        return 0;
    buf_clear(b);
    buf_printf(b, "Tabla %u. %s", L->tables + 1, t->caption);
    text_lines_clear(tl);
    text_break(&L->tx, FACE_BOLD, L->set->body_size, b->data, b->len, L->w, tl);
    return (double)tl->n * lay_pitch(L, L->set->body_size) + LAY_CAPTION_GAP;
}

/* The first row that must stay with the header: the whole row, or two
 * lines of it when it is taller than a page. */
static double first_row(struct lay *L, struct tstate *ts)
{
    const struct table_block *t = ts->t;
    if (!t->nrows)
        return 0;
    double rh = row_height(ts, measure(L, ts, &t->rows[0], &ts->body));
    double room = L->bottom - L->top - ts->hh;
    /* A group title row stays with the group's first row. */
    if (t->rows[0].kind == ROW_GROUP && t->nrows > 1) {
        double next = row_height(ts, measure(L, ts, &t->rows[1], &ts->body));
        if (rh + next <= room)
            return rh + next;
    }
    return rh <= room ? rh : row_height(ts, 2);
}

double lay_table_head(struct lay *L, const struct table_block *t)
{
    struct tstate ts;
    struct buf b;
    struct text_lines tl = {0};
    buf_init(&b);
    setup(L, &ts, t);
    double h = caption_height(L, t, &tl, &b) + ts.hh + first_row(L, &ts);
    teardown(&ts);
    text_lines_release(&tl);
    buf_release(&b);
    return h;
}

/* True when t holds at least one record (not only group, subtotal or
 * total rows). */
static bool has_body(const struct table_block *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].kind == ROW_BODY)
            return true;
    return false;
}

/* Places one body row (a TR), splitting it over pages when it is taller
 * than the room under a repeated header. */
static void place_row(struct lay *L, struct tstate *ts,
                      const struct table_row *r, size_t lines, double keep,
                      size_t body_index)
{
    double rh = row_height(ts, lines);
    double room = L->bottom - L->top - ts->hh;
    if (!lay_fits(L, keep) &&
        (rh <= room + LAY_EPS || !lay_fits(L, row_height(ts, 2)))) {
        lay_new_page(L);
        draw_header(L, ts);
    }
    lay_begin(L, DL_ROLE_TR, 0);
    size_t from = 0;
    bool fresh = false; /* right under a header repeated on a new page */
    while (!L->failed && !lay_fits(L, row_height(ts, lines - from))) {
        double free_h = L->bottom - L->y - 2 * LAY_CELL_PAD_Y + LAY_EPS;
        size_t avail = free_h > 0 ? (size_t)floor(free_h / ts->pitch) : 0;
        if (avail < 2) {
            /* Not even two lines under the header of a fresh page: no
             * page will ever hold this row. */
            if (fresh) {
                lay_no_room(L, ts->hh + row_height(ts, 2));
                break;
            }
            lay_new_page(L);
            draw_header(L, ts);
            fresh = true;
            continue;
        }
        double h = row_height(ts, avail);
        double y = lay_take(L, h);
        draw_row(L, ts, r, &ts->body, y, h, from, avail - 1, true, body_index,
                 true);
        from += avail - 1;
        lay_new_page(L);
        draw_header(L, ts);
        fresh = true;
    }
    if (!L->failed) {
        double h = row_height(ts, lines - from);
        double y = lay_take(L, h);
        draw_row(L, ts, r, &ts->body, y, h, from, lines - from, false,
                 body_index, true);
    }
    lay_end(L);
}

void lay_table(struct lay *L, const struct table_block *t)
{
    struct tstate ts;
    struct buf b;
    buf_init(&b);
    setup(L, &ts, t);
    /* Past the margin is a warning; past the page's edge, nothing would
     * show what is there: an error. */
    double page_room = L->set->page_width - L->x0;
    if (ts.total > page_room + 0.01) {
        if (!L->emit)
            diag_error(L->d, L->tx.file, L->tx.line, L->tx.col,
                       "la tabla tiene %zu columnas y mide al menos %.1f pt "
                       "de ancho: no cabe en la página (%.1f pt desde el "
                       "margen izquierdo); quite columnas o reduzca sus "
                       "anchos",
                       t->ncols, ts.total, page_room);
        L->failed = true;
        teardown(&ts);
        buf_release(&b);
        return;
    }
    if (!L->emit && ts.total > L->w + 0.01)
        diag_warning(L->d, L->tx.file, L->tx.line, L->tx.col,
                     "la tabla mide %.1f pt y el área de texto %.1f pt: se "
                     "saldrá del margen",
                     ts.total, L->w);
    struct text_lines *cap = &L->lines;
    double ch = caption_height(L, t, cap, &b);
    lay_ensure(L, ch + ts.hh + first_row(L, &ts));
    lay_begin(L, DL_ROLE_TABLE, 0);
    if (t->caption) {
        L->tables++;
        double y = lay_take(L, ch);
        double size = L->set->body_size;
        lay_begin(L, DL_ROLE_CAPTION, 0);
        lay_draw_lines(L, cap, 0, cap->n, L->x0, L->w, y, size,
                       lay_pitch(L, size), ALIGN_LEFT, L->set->text_color);
        lay_end(L);
    }
    draw_header(L, &ts);
    lay_begin(L, DL_ROLE_TBODY, 0);
    if (!has_body(t)) {
        /* No record (a total row alone may still follow): the table says
         * so, rather than leaving a bare header that reads like a layout
         * fault. The row spans the table like a group title; it lives as
         * long as the table, since placing it may start new pages. */
        struct table_cell *cells =
            calloc(t->ncols ? t->ncols : 1, sizeof *cells);
        if (!cells)
            arena_oom();
        cells[0] = (struct table_cell){NO_RECORDS, COLOR_NONE};
        for (size_t c = 1; c < t->ncols; c++)
            cells[c] = (struct table_cell){"", COLOR_NONE};
        struct table_row none = {ROW_GROUP, cells, 0};
        size_t lines = measure(L, &ts, &none, &ts.body);
        place_row(L, &ts, &none, lines, row_height(&ts, lines), 0);
        free(cells);
    }
    size_t body_index = 0;
    for (size_t i = 0; i < t->nrows && !L->failed; i++) {
        const struct table_row *r = &t->rows[i];
        double keep = 0;
        /* A group title never ends a page: keep it with its first row. */
        if (r->kind == ROW_GROUP && i + 1 < t->nrows) {
            double next =
                row_height(&ts, measure(L, &ts, &t->rows[i + 1], &ts.body));
            if (next <= L->bottom - L->top - ts.hh - ts.pitch)
                keep = next;
        }
        size_t lines = measure(L, &ts, r, &ts.body);
        keep += row_height(&ts, lines);
        place_row(L, &ts, r, lines, keep, body_index);
        if (r->kind == ROW_BODY)
            body_index++;
        else if (r->kind == ROW_GROUP)
            body_index = 0;
    }
    lay_end(L);
    lay_end(L);
    teardown(&ts);
    buf_release(&b);
}
