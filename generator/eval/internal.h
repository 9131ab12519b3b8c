/* eval_int: what the evaluator's files share: the loaded report, template
 * strings split into pieces, and the per-file entry points. */
#ifndef INFORME_EVAL_INT_H
#define INFORME_EVAL_INT_H

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "data/fmt.h"
#include "eval/eval.h"
#include "lang/expr.h"
#include "lang/shape.h"
#include "data/table.h"
#include "template/tl.h"
#include "template/tree.h"
#include "data/value.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rx;

/* A template string split at its {expressions}; literal pieces are already
 * unescaped ({{ -> {, \* -> *). off is the byte offset of the piece in the
 * original string (for an expression, of its first character after '{'). */
struct tmpl_piece {
    bool is_expr;
    const char *text;
    size_t len, off;
    unsigned style; /* SPAN_ bits (markup only) */
};

struct tmpl {
    struct tmpl_piece *pieces;
    size_t n, cap;
};

/* Splits s; with markup, '*' and '**' pairs become styles. On an unclosed
 * '{' returns false with *err_off at it. Pieces live in a. */
bool tmpl_split(struct arena *a, const char *s, size_t n, bool markup,
                struct tmpl *out, size_t *err_off);

/* File position of byte offset off inside a scalar node's text, whatever
 * the scalar's style (tree_text_pos). */
void eval_pos(const struct tnode *n, size_t off, unsigned *line, unsigned *col);
/* Positions for the expression parser of the text of scalar n from byte
 * base on; at uses cur, which must live as long as at. */
void eval_at(const struct tnode *n, size_t base, struct tree_cursor *cur,
             struct expr_at *at);

struct param {
    const char *name;
    enum vtype type;
    struct value v;
    const struct tnode *node; /* NULL for built-ins */
};

/* A threshold list of `styles:`. */
struct threshold {
    bool has_min;
    double min;
    uint32_t fill;
    const char *label;
};

struct style {
    const char *name;
    struct threshold *t;
    size_t n;
};

enum src_state { SRC_TODO, SRC_BUSY, SRC_DONE, SRC_FAILED };

struct source {
    const char *name;
    const struct tl_source *tl; /* as the template describes it */
    enum src_state state;
    bool burst;                /* false: `burst: false`, kept whole */
    const struct table *base;  /* as read from the file (file sources) */
    const char *base_path;     /* the file base was read from */
    const struct table *full;  /* after shaping, every row */
    const struct table *table; /* what expressions see: full, or a burst's */
    /* With --burst-by: the same for every report (not cut by the burst,
     * no expression that reads its parameter or a report field, every
     * source it starts from, joins or names in an expression shared too):
     * full is every report's table, computed once when loading. */
    bool shared;
    const struct table *load_base; /* base as read when loading */
    const struct table *kept_base; /* base and base_path when the */
    const char *kept_path;         /* report was opened */
};

struct report {
    struct arena *a;
    struct diag *d;
    const struct tnode *root;
    /* root read into the language's structs (template/tl.h): every value
     * the evaluator reads comes from there, of the kind tl.def gives it,
     * and every node it hands the functions below is such a value's. */
    const struct tl_top *tpl;
    struct eval_options opt;
    const char *tmpl_dir; /* folder of the template file */
    const char **roots;   /* resolved folders inputs may be read from */
    size_t nroots;        /* (computed on first use) */
    bool have_roots;
    struct param *params;
    size_t nparams, capparams;
    struct style *styles;
    size_t nstyles;
    struct source *srcs;
    size_t nsrcs;
    bool pct_space;
    const char *output;                     /* report.output or NULL */
    unsigned depth;                         /* report.x fields being rendered */
    const char *burst_column, *burst_value; /* the burst being shaped */
    /* The document check_all built for a render, with its messages; used
     * (once) by the first eval_document without a burst. */
    struct doc *checked;
    /* informe check: the settings the check evaluated (no doc kept). */
    struct doc_settings *checked_set;
    struct diag_msg *checked_msgs;
    size_t nchecked_msgs;
    /* Between eval_open_report and eval_close_report: a is the report's
     * arena, run_a the run's; what the report changed is put back from
     * kept_roots and kept_param (the burst parameter's value). */
    struct arena *run_a;
    bool kept_roots;
    struct value kept_param;
    struct source *loading; /* the source being loaded (eval_sources.c) */
    /* eval_rowindex.c: the indexes of lasting tables, in the run's arena */
    struct eval_rowindex **indexes;
    size_t nindexes, capindexes;
    /* eval_used.c: every text of the template folded, the `unpivot`
     * patterns compiled (NULL: refused), and whether a step takes every
     * column; made on first use. */
    bool used_done, used_all;
    const char **used_texts;
    size_t nused_texts;
    struct rx **used_rx;
    size_t nused_rx;
};

/* eval_params.c */
bool eval_params_load(struct report *r);
bool eval_params_apply_sets(struct report *r);
struct param *eval_param_find(struct report *r, const char *name);
/* The declared parameter closest to a misspelt name, or NULL. */
const char *eval_param_suggest(struct report *r, const char *name);
/* Sets a text parameter (creating it if needed): the burst value. */
void eval_param_set_text(struct report *r, const char *name, const char *value);

/* eval_expr.c: a scalar node's template text rendered with the current
 * parameters (keep_page: {page} and {pages} stay as they are), or NULL
 * after reporting. eval_rich (eval_text.c) also reads markup. */
const char *eval_render(struct report *r, const struct tnode *n,
                        bool keep_page);
bool eval_rich(struct report *r, const struct tnode *n, struct rich *out);

/* eval_expr.c: evaluates the expression piece p of the text of node n
 * (for positions) with the current parameters and formats the result.
 * NULL after reporting. */
const char *eval_piece_text(struct report *r, const struct tnode *n,
                            const struct tmpl_piece *p);

/* Parses and checks the expression that is node n's whole text, with the
 * columns of row in scope for the row and of group for aggregates (either
 * may be NULL); *type (may be NULL) gets the inferred result type. NULL
 * after reporting. */
struct expr *eval_expr_parse(struct report *r, const struct tnode *n,
                             const struct table *row, const struct table *group,
                             enum vtype *type);

/* A compiled expression over the rows of a table (eval_expr.c). */
struct eval_expr;
/* Compiles and checks the expression that is node n's whole text, with
 * the columns of t in scope (as the row and as the group); NULL after
 * reporting. */
struct eval_expr *eval_expr_compile(struct report *r, const struct tnode *n,
                                    const struct table *t);
/* The result type the checker inferred (V_MISSING: unknown). */
enum vtype eval_expr_type(const struct eval_expr *e);
/* Value for one row of t (row-level expressions: cells, where). */
bool eval_expr_row(struct report *r, struct eval_expr *e, const struct table *t,
                   size_t row, struct value *out);
/* A condition (where) on the rows[0..*n) of t: the rows where it holds
 * kept in rows, in order, and their number in *n; missing counts as
 * false. false after reporting an error. */
bool eval_expr_keep(struct report *r, struct eval_expr *e,
                    const struct table *t, size_t *rows, size_t *n);
/* Value over a group of rows (aggregates such as mean(avance)). */
bool eval_expr_rows(struct report *r, struct eval_expr *e,
                    const struct table *t, const size_t *rows, size_t n,
                    struct value *out);

/* The environment and scope expressions see (parameters, sources). */
void eval_env(struct report *r, struct expr_env *env);
void eval_scope(struct report *r, struct expr_scope *sc);
/* Renders an output path pattern into out, each expression's text passed
 * through add (which makes it safe for a file name). */
const char *eval_expr_piece_safe(struct report *r, const char *pattern,
                                 struct buf *out,
                                 void (*add)(struct buf *, const char *));

/* eval_format.c: a column or chart format ("percent:1", "date:long"). */
struct colfmt {
    struct numfmt nf;
    int date; /* 0: by type; 1 short, 2 long, 3 iso */
    bool given;
};
bool eval_format_parse(struct report *r, const struct tnode *n,
                       struct colfmt *out);
const char *eval_format_value(struct report *r, const struct colfmt *f,
                              const struct value *v);

/* eval_select.c: the rows a table or chart shows (its own where, sort,
 * limit over the source's rows), as row indices in the arena. */
bool eval_select_rows(struct report *r, const struct tl_str *where,
                      const struct tl_nodes *sort, const struct tl_int *limit,
                      const struct table *t, size_t **rows, size_t *n);
/* A node's position for shape.h; sort keys from "programa" or
 * [programa, -avance] ('-': descending). */
struct shape_pos eval_shape_pos(const struct tnode *n);
bool eval_sort_keys(struct report *r, const struct tl_nodes *sort,
                    struct shape_key **keys, size_t *nkeys);
/* The source named by a block's `data:` key (its current table); item
 * is the block, for the message when data is absent. */
const struct table *eval_block_data(struct report *r, const struct tl_str *data,
                                    const struct tnode *item);
/* Index of a column of t named by node n, or -1 after reporting with a
 * suggestion. */
long eval_column(struct report *r, const struct tnode *n,
                 const struct table *t);

/* The block list being built from body:. */
struct blocks {
    struct report *r;
    struct block *v;
    size_t n, cap;
    unsigned num[6]; /* section counters per level */
    unsigned depth;  /* level of the enclosing section */
};

struct block *eval_block_new(struct blocks *b, enum block_kind kind,
                             const struct tnode *at);

/* eval_blocks.c */
bool eval_body(struct report *r, struct doc *out);

/* eval_table.c, eval_chart.c */
bool eval_table(struct blocks *b, const struct tl_block *blk);
bool eval_chart(struct blocks *b, const struct tl_block *blk);

/* eval_sources.c: reads and shapes every source of data: in dependency
 * order; eval_data_burst points each source's table at a burst's rows
 * (value NULL: back to the whole table). */
/* An input file named at n (data, image or font; noun names it in
 * messages): path must exist and resolve (symbolic links followed) inside
 * the template's folder, the data folder, the fonts folder or a folder
 * given with --allow-path. Returns path, or NULL after a positioned
 * error at n (EXIT_NOINPUT when it cannot be resolved, EXIT_DATAERR when
 * it escapes those folders). */
const char *eval_input_path(struct report *r, const struct tnode *n,
                            const char *path, const char *noun);

bool eval_data_load(struct report *r);
bool eval_data_burst(struct report *r, const char *column, const char *value);
/* The current table of the source named by node n, loaded first if
 * needed (join: data, from:); NULL after reporting. */
const struct table *eval_data_dep(struct report *r, const struct source *s,
                                  const struct tnode *n);
struct source *eval_source_find(struct report *r, const char *name);
/* eval_used.c: which columns of raw, the file of source s (or NULL), the
 * template may read (see csvfile_to_table_used), in a; NULL: every one. */
struct rawcsv;
const bool *eval_used_columns(struct report *r, struct arena *a,
                              const struct rawcsv *raw, const struct source *s);
/* The value type a word of the `type` set names. */
enum vtype eval_vtype(enum tl_word type);
/* A cell's value as text (formatted by its type), for burst keys. */
const char *eval_value_text(struct report *r, const struct value *v);

/* eval_rowindex.c: rows grouped by the text of column col (eval_value_text:
 * what a group row or a chart category shows), groups in order of first
 * appearance, rows in their order within a group: group k is label[k] with rows
 * members[start[k] .. start[k + 1]). One hash of the texts: linear in the
 * rows, however many groups. Lives in the report's arena. false, with g
 * unset, when there would be more than max groups. */
struct eval_groups {
    const char **label;
    size_t n;
    size_t *start;   /* n + 1 entries */
    size_t *members; /* the rows, group by group */
};
bool eval_group_rows(struct report *r, const struct table *t, size_t col,
                     const size_t *rows, size_t n, size_t max,
                     struct eval_groups *g);

/* eval_rowindex.c: the rows 0 .. n - 1, in a. */
size_t *eval_all_rows(struct arena *a, size_t n);
/* eval_rowindex.c: whether t lasts as long as the run: a file read when
 * loading, or a source's table as loaded. */
bool eval_table_lasts(const struct report *r, const struct table *t);
/* The rows of a lasting table t whose column col reads as a value,
 * through an index built on first use and kept for the run (one per
 * table and column). */
struct eval_rowindex;
const struct eval_rowindex *
eval_rowindex_get(struct report *r, const struct table *t, size_t col);
void eval_rowindex_rows(const struct eval_rowindex *x, const char *value,
                        const size_t **rows, size_t *n);

/* eval_settings.c */
/* The smallest text area (points, either way) the margins may leave. */
#define EVAL_MIN_TEXT_AREA 72.0
bool eval_settings(struct report *r, struct doc_settings *s);
/* check: a tagged PDF without a title shows its file name in the
 * reader's title bar and screen readers announce no title (PDF/UA-1 asks
 * for one): a warning at the title when it is empty, else at the key
 * report, else at the top of the template; nothing when s has a title.
 * (check has no --no-tags: what it checks is always tagged.) */
void eval_settings_title_warning(struct report *r,
                                 const struct doc_settings *s);

/* eval_styles.c */
bool eval_styles_load(struct report *r);
const struct style *eval_style_find(const struct report *r, const char *name);
/* Colour for v (COLOR_NONE when missing or no entry matches). */
uint32_t eval_style_fill(const struct style *st, const struct value *v);

#endif
