/* eval_report: the small accessors every file of the evaluator shares:
 * positions inside the template's nodes, new doc blocks, value types,
 * the registry of data sources, and the folders input files may come
 * from. Nothing here calls another file of eval/. */
#include "eval/internal.h"
#include "base/infile.h"

#include <stdlib.h>
#include <string.h>

void eval_pos(const struct tnode *n, size_t off, unsigned *line, unsigned *col)
{
    tree_text_pos(n, off, line, col);
}

static void node_pos(void *ctx, size_t off, unsigned *line, unsigned *col)
{
    tree_cursor_pos(ctx, off, line, col);
}

void eval_at(const struct tnode *n, size_t base, struct tree_cursor *cur,
             struct expr_at *at)
{
    *cur = (struct tree_cursor){.n = n};
    *at = (struct expr_at){
        .file = n->file, .pos = node_pos, .ctx = cur, .base = base};
}

struct shape_pos eval_shape_pos(const struct tnode *n)
{
    return (struct shape_pos){n->file, n->line, n->col};
}

struct block *eval_block_new(struct blocks *b, enum block_kind kind,
                             const struct tnode *at)
{
    b->v = arena_grow(b->r->a, b->v, &b->cap, b->n + 1, sizeof *b->v);
    struct block *blk = &b->v[b->n++];
    memset(blk, 0, sizeof *blk);
    blk->kind = kind;
    blk->file = at->file;
    blk->line = at->line;
    blk->col = at->col;
    return blk;
}

struct source *eval_source_find(struct report *r, const char *name)
{
    for (size_t i = 0; i < r->nsrcs; i++)
        if (strcmp(r->srcs[i].name, name) == 0)
            return &r->srcs[i];
    return NULL;
}

enum vtype eval_vtype(enum tl_word type)
{
    switch (type) {
    case TLW_type_integer:
        return V_INT;
    case TLW_type_number:
        return V_NUMBER;
    case TLW_type_percent:
        return V_PERCENT;
    case TLW_type_date:
        return V_DATE;
    case TLW_type_money:
        return V_MONEY;
    default:
        return V_TEXT;
    }
}

const char *eval_value_text(struct report *r, const struct value *v)
{
    if (v->type == V_TEXT)
        return v->text;
    if (v->type == V_MISSING)
        return "";
    struct numfmt f = {.kind = NF_AUTO,
                       .decimals = -1,
                       .pct_space = r->pct_space,
                       .missing = ""};
    struct buf b;
    buf_init(&b);
    fmt_value(&b, v, &f);
    const char *s = arena_strdup(r->a, b.data);
    buf_release(&b);
    return s;
}

/* A folder as realpath gives it, in the arena; NULL when it cannot be
 * resolved (a fonts folder that does not exist confines nothing). */
static const char *resolved(struct arena *a, const char *dir)
{
    const char *why;
    char *p = dir && *dir ? infile_resolve(dir, &why) : NULL;
    if (!p)
        return NULL;
    const char *s = arena_strdup(a, p);
    free(p);
    return s;
}

static void find_roots(struct report *r)
{
    size_t cap = 3 + r->opt.nallow_paths, n = 0;
    const char **roots = arena_array(r->a, cap, sizeof *roots);
    /* the fonts folder as eval_settings defaults it */
    const char *fonts = r->opt.font_dir ? r->opt.font_dir : "fonts";
    const char *dirs[3] = {r->tmpl_dir, r->opt.data_dir, fonts};
    for (size_t i = 0; i < 3; i++)
        if ((roots[n] = resolved(r->a, dirs[i])))
            n++;
    for (size_t i = 0; i < r->opt.nallow_paths; i++)
        if ((roots[n] = resolved(r->a, r->opt.allow_paths[i])))
            n++;
    r->roots = roots;
    r->nroots = n;
    r->have_roots = true;
}

static bool inside(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return true;
    return strncmp(path, root, n) == 0 && (path[n] == '/' || !path[n]);
}

const char *eval_input_path(struct report *r, const struct tnode *n,
                            const char *path, const char *noun)
{
    if (!r->have_roots)
        find_roots(r);
    const char *why;
    char *real = infile_resolve(path, &why);
    if (!real) {
        diag_error_code(r->d, EXIT_NOINPUT, n->file, n->line, n->col,
                        "no se puede leer %s '%s': %s", noun, path, why);
        return NULL;
    }
    bool ok = false;
    for (size_t i = 0; i < r->nroots && !ok; i++)
        ok = inside(real, r->roots[i]);
    if (ok && (why = infile_kind_problem(real))) {
        diag_error_code(r->d, EXIT_NOINPUT, n->file, n->line, n->col,
                        "no se puede leer %s '%s': %s", noun, path, why);
        free(real);
        return NULL;
    }
    if (!ok)
        tree_error(r->d, n,
                   "%s '%s' (%s) está fuera de las carpetas de la "
                   "plantilla, de los datos (-d) y de las fuentes; para "
                   "leerlo, dé su carpeta con --allow-path CARPETA",
                   noun, path, real);
    free(real);
    return ok ? path : NULL;
}
