/* eval: the report language's evaluator. Binds parameters (template
 * defaults, then --set), reads and shapes every data source, checks every
 * expression, and turns the template's body into a struct doc whose text is
 * final (formatted es-CO). Everything lives in the run's arena (a burst
 * report's own work in its arena: eval_open_report).
 *
 * A loaded report can produce several documents (bursting: one per value
 * of a column), so loading and evaluating are separate steps. */
#ifndef INFORME_EVAL_H
#define INFORME_EVAL_H

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "template/tree.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct report; /* opaque: template, parameters, shaped tables */

/* A data file held in memory (see eval_options.files). */
struct eval_file {
    const char *name; /* as `file:` names it, {expressions} rendered */
    const char *data;
    size_t len;
};

struct eval_options {
    const char *data_dir;    /* -d; NULL: the template's folder */
    const char *font_dir;    /* --fonts; NULL: "fonts" */
    const char *const *sets; /* "KEY=VALUE" strings from --set */
    size_t nsets;
    int64_t now;              /* generation time, seconds since the epoch
                                 (SOURCE_DATE_EPOCH when set) */
    bool check_only;          /* informe check: load and check, no doc */
    const char *burst_column; /* --burst-by: {COLUMN} is then a parameter */
    /* --pdf: a word of report.pdf ("normal", "pdf/a-1b") that overrides
     * the template's; NULL: the template's */
    const char *pdf;
    /* --allow-path folders: data, images and fonts may be read there too,
     * besides the template's folder, the data folder and the fonts
     * folder. */
    const char *const *allow_paths;
    size_t nallow_paths;
    /* When files is not NULL, every `file:` of `data:` is looked up by its
     * rendered name in these nfiles entries instead of being read from
     * disk (data_dir does not apply); a name not in the table is the same
     * error as a missing file. For tests and fuzzing; the entries must
     * outlive the report. */
    const struct eval_file *files;
    size_t nfiles;
};

/* Binds parameters, loads and shapes the data, and checks every
 * expression and column reference in the template (root must have passed
 * schema_check). Returns NULL after reporting to d. */
struct report *eval_load(struct arena *a, struct diag *d,
                         const struct tnode *root,
                         const struct eval_options *opt);

/* column, here and in eval_document, is opt->burst_column of eval_load:
 * the columns of the files a template does not name are typed only when
 * they are that column (docs/csv.md). */
/* The distinct values of column `column` (in order of first appearance in
 * the first data source that has it; a row with an empty value makes no
 * report), for --burst-by: one hash of the column's texts, linear in the
 * rows. Returns false with an error if no source has the column or it
 * has no value. *values lives in the arena. */
bool eval_burst_values(struct report *r, struct diag *d, const char *column,
                       const char ***values, size_t *n);

/* Builds the document. With burst_column set, the parameter of that name
 * is set to burst_value and every data source that has the column (and
 * does not say `burst: false`) keeps only the rows equal to it. */
bool eval_document(struct report *r, struct diag *d, const char *burst_column,
                   const char *burst_value, struct doc *out);

/* One report of a burst in an arena of its own: between the two calls,
 * eval_document and eval_output_path allocate in a (the document, the
 * report's own tables, the output path), and eval_close_report forgets
 * every pointer into it, so that the caller may then reset or free a.
 * A source that does not depend on the burst's value (see
 * docs/templates.md, "Bursting") is computed once when loading and
 * shared by every report; the others are computed per report from the
 * shared ones. */
void eval_open_report(struct report *r, struct arena *a);
void eval_close_report(struct report *r);

/* The settings (page, fonts, metadata) the loading's check evaluated
 * with the parameters' defaults: for a render until the first
 * eval_document, for a check (check_only) always; NULL otherwise. The fonts a
 * burst loads once come from here: the face files hold no expressions. */
const struct doc_settings *eval_loaded_settings(const struct report *r);

/* Expands {param} expressions in an output path pattern (-o or
 * report.output) with the current parameters (after a burst value was
 * applied by eval_document). Characters unsafe in a file name coming
 * from values ('/', '\\', control characters, leading dots) are replaced
 * by '_'; accents are kept. NULL after reporting to d. */
const char *eval_output_path(struct report *r, struct diag *d,
                             const char *pattern);

/* report.output from the template, or NULL. */
const char *eval_default_output(const struct report *r);

#endif
