/* fuzz_util: what the libFuzzer targets share: tighter limits, the sample
 * data files of tests/data/docs held in memory, and a small typed table. */
#ifndef INFORME_FUZZ_UTIL_H
#define INFORME_FUZZ_UTIL_H

#include "eval/eval.h"
#include "data/table.h"

#include <stddef.h>

/* Lowers the limits that only bound the size of the work (pages, rows) so
 * that one input stays fast; every other limit keeps its default. */
void fuzz_limits(void);

/* The CSV files of tests/data/docs (plan.csv, furag.csv, ...), read once
 * from $INFORME_FUZZ_DATA or tests/data/docs relative to the current
 * folder and kept for the life of the process. Aborts if none is found,
 * so that a target never runs silently without its data. */
const struct eval_file *fuzz_docs_files(size_t *n);

/* What a target that lays out documents does once at start: fuzz_limits,
 * the sample data read (fuzz_docs_files), *defaults the default document
 * settings, and their faces loaded into fonts from $INFORME_FONTS (or
 * fonts/ in the current folder). Returns that folder; aborts with the
 * messages if a face cannot be loaded. */
struct fontset;
struct doc_settings;
const char *fuzz_layout_setup(struct fontset *fonts,
                              struct doc_settings *defaults);

/* A fixed table "plan" with text, integer, number, percent, date and
 * money columns and a few missing cells, built once. */
const struct table *fuzz_plan_table(void);

/* Prints d's messages to stderr when $INFORME_FUZZ_VERBOSE is set (to
 * see what a reproducer does); silent otherwise. */
struct diag;
void fuzz_report(const struct diag *d);

/* Splits data into lines (no terminating NUL in data): calls fn for each
 * line with its length, without the '\n'. */
void fuzz_lines(const char *data, size_t size,
                void (*fn)(void *ctx, const char *line, size_t len), void *ctx);

/* A template followed by data files, each after a line "#@ NAME" (a
 * YAML comment, so the template alone is still valid): the template's
 * length (*tlen) and up to FUZZ_MAX_FILES files, pointing into s, named
 * in names (63 bytes at most). Returns how many. */
enum { FUZZ_MAX_FILES = 8 };
size_t fuzz_split_files(const char *s, size_t size, size_t *tlen,
                        struct eval_file *files, char names[][64]);
/* fuzz_split_files, then the files of fuzz_docs_files after them (a name
 * the input does not give falls back to those), up to FUZZ_INPUT_FILES
 * in all. */
enum { FUZZ_INPUT_FILES = FUZZ_MAX_FILES + 16 };
struct fuzz_input {
    struct eval_file files[FUZZ_INPUT_FILES];
    size_t nfiles;
    char names[FUZZ_MAX_FILES][64];
};
/* The template of s (size bytes, split as fuzz_split_files says) read
 * into a with its messages in d, NULL when it cannot be read; in gets the
 * files, which must last as long as the report loaded from it. */
struct tnode;
struct arena;
struct tnode *fuzz_input_template(struct arena *a, struct diag *d,
                                  const char *s, size_t size,
                                  struct fuzz_input *in);

#endif
