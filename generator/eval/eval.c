/* eval: loads a report (parameters, data, checks) and evaluates its body
 * into a struct doc; bursting and output paths. */
#include "eval/internal.h"

#include "base/infile.h"

#include <stdlib.h>
#include <string.h>

static const char *dir_of(struct arena *a, const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        return ".";
    if (slash == path)
        return "/";
    return arena_strndup(a, path, (size_t)(slash - path));
}

static bool load_flags(struct report *r)
{
    const struct tl_report *rep = r->tpl->report;
    r->pct_space = rep ? rep->percent_space.v : true;
    r->output = rep ? rep->output.v : NULL;
    return true;
}

static void copy_messages(struct diag *to, const struct diag *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const struct diag_msg *m = &from->msgs[i];
        if (m->level == DIAG_ERROR)
            diag_error_code(to, from->code, m->file, m->line, m->col, "%s",
                            m->text);
        else if (m->level == DIAG_WARNING)
            diag_warning(to, m->file, m->line, m->col, "%s", m->text);
        else
            diag_note(to, m->file, m->line, m->col, "%s", m->text);
    }
}

/* Keeps what a check said, to be told when its document is used. */
static void keep_messages(struct report *r, const struct diag *from)
{
    r->nchecked_msgs = from->n;
    r->checked_msgs =
        from->n ? arena_array(r->a, from->n, sizeof *r->checked_msgs) : NULL;
    for (size_t i = 0; i < from->n; i++) {
        struct diag_msg m = from->msgs[i];
        m.file = m.file ? arena_strdup(r->a, m.file) : NULL;
        m.text = arena_strdup(r->a, m.text);
        r->checked_msgs[i] = m;
    }
}

/* Evaluates everything once so that every expression and reference is
 * checked before anything is written. When a document follows (render),
 * its warnings are left for eval_document to report, not told twice, and
 * the document itself is kept: the first eval_document without a burst
 * uses it instead of evaluating the body a second time. */
static bool check_all(struct report *r)
{
    struct diag *real = r->d, scratch;
    diag_init(&scratch);
    if (!r->opt.check_only)
        r->d = &scratch;
    struct doc doc;
    memset(&doc, 0, sizeof doc);
    bool ok = eval_settings(r, &doc.set);
    ok = eval_body(r, &doc) && ok;
    /* Said once the template is otherwise right. */
    if (ok && r->opt.check_only)
        eval_settings_title_warning(r, &doc.set);
    if (r->d != real && scratch.errors > 0)
        copy_messages(real, &scratch);
    if (ok && r->d != real && scratch.errors == 0) {
        r->checked = arena_alloc(r->a, sizeof *r->checked);
        *r->checked = doc;
        keep_messages(r, &scratch);
    }
    if (ok && r->d == real) {
        r->checked_set = arena_alloc(r->a, sizeof *r->checked_set);
        *r->checked_set = doc.set;
    }
    r->d = real;
    diag_release(&scratch);
    return ok;
}

/* A failure always carries a message, even one nobody expected. */
static bool finish(struct report *r, bool ok, size_t errors_before)
{
    if (!ok && r->d->errors == errors_before)
        diag_error_code(r->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "error interno: la evaluación falló sin mensaje");
    return ok && r->d->errors == errors_before;
}

struct report *eval_load(struct arena *a, struct diag *d,
                         const struct tnode *root,
                         const struct eval_options *opt)
{
    struct report *r = arena_alloc(a, sizeof *r);
    r->a = a;
    r->d = d;
    r->root = root;
    r->opt = *opt;
    r->tmpl_dir = dir_of(a, root->file);
    size_t before = d->errors;
    if (!r->opt.data_dir)
        r->opt.data_dir = r->tmpl_dir;
    if (!(r->tpl = tl_read(a, d, root)))
        return finish(r, false, before) ? r : NULL;
    bool ok = eval_params_load(r);
    ok = ok && eval_params_apply_sets(r);
    ok = eval_styles_load(r) && ok;
    ok = load_flags(r) && ok;
    ok = ok && eval_data_load(r);
    ok = ok && check_all(r);
    return finish(r, ok, before) ? r : NULL;
}

bool eval_document(struct report *r, struct diag *d, const char *burst_column,
                   const char *burst_value, struct doc *out)
{
    r->d = d;
    memset(out, 0, sizeof *out);
    size_t before = d->errors;
    /* The checked document holds only before any burst value was set. */
    struct doc *checked = r->checked;
    r->checked = NULL;
    if (checked && !(burst_column && burst_value)) {
        for (size_t i = 0; i < r->nchecked_msgs; i++) {
            const struct diag_msg *m = &r->checked_msgs[i];
            if (m->level == DIAG_WARNING)
                diag_warning(d, m->file, m->line, m->col, "%s", m->text);
            else if (m->level != DIAG_ERROR)
                diag_note(d, m->file, m->line, m->col, "%s", m->text);
        }
        *out = *checked;
        return finish(r, true, before);
    }
    /* The parameter first: a file name may hold it ("{entidad}.csv"). */
    if (burst_column && burst_value)
        eval_param_set_text(r, burst_column, burst_value);
    bool ok = eval_data_burst(r, burst_column, burst_value);
    ok = ok && eval_settings(r, &out->set);
    ok = ok && eval_body(r, out);
    return finish(r, ok, before);
}

/* Appends a value's text with what a file name cannot hold replaced. */
static void add_safe(struct buf *b, const char *s)
{
    bool start = true;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool bad = c == '/' || c == '\\' || c < 0x20 || c == 0x7f ||
                   (start && c == '.');
        buf_addc(b, bad ? '_' : (char)c);
        start = start && c == '.';
    }
}

const char *eval_output_path(struct report *r, struct diag *d,
                             const char *pattern)
{
    r->d = d;
    struct buf b;
    buf_init(&b);
    const char *out = eval_expr_piece_safe(r, pattern, &b, add_safe);
    buf_release(&b);
    return out;
}

const char *eval_default_output(const struct report *r)
{
    return r ? r->output : NULL;
}
