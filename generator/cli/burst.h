/* burst: the reports of `render --burst-by` (cli/burst.c). */
#ifndef INFORME_BURST_H
#define INFORME_BURST_H

#include "base/diag.h"
#include "eval/eval.h"

#include <stdbool.h>
#include <stddef.h>

struct burst {
    struct report *r;          /* loaded with the burst's column */
    const char *column;        /* --burst-by */
    const char *const *values; /* eval_burst_values */
    size_t nvalues;
    unsigned shard_k, shard_n; /* --shard K/N; shard_n 0: every value */
    const char *pattern;       /* output path, with {column} */
    bool dump;                 /* --dump-layout */
    bool quiet;                /* --quiet */
    bool no_tags;              /* --no-tags: untagged PDFs */
    unsigned jobs;             /* --jobs: processes; 0: every core */
};

/* Writes the report of every value of the shard, each evaluated, laid
 * out and written in an arena of its own. A report that fails does not
 * stop the others: its messages are printed with a line naming its
 * value, and the burst ends with a summary line. Messages go to
 * standard error as each report is done; the template's and the data's
 * source lines come from run (the diag of the loading, whose messages
 * must have been printed already). With jobs other than 1, the reports
 * are written by that many processes forked after loading, their
 * messages printed here in the shard's order, so that the files, the
 * messages and the exit status are those of one process (the dump of
 * --dump-layout is always written by this process). Returns the exit
 * code: EXIT_OK, or that of the first report that failed (EXIT_DATAERR
 * for bad data); an error of the whole run (the fonts) is reported to
 * run. */
int burst_run(const struct burst *b, struct diag *run);

#endif
