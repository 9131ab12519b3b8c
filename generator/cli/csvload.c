/* csvload: a CSV file read and typed, its messages printed. */
#include "cli/csvload.h"
#include "base/diag.h"

#include <stdio.h>

int csvload(struct arena *a, const char *path, char delimiter,
            const struct type_request *req, size_t nreq, struct rawcsv *raw,
            struct table *t)
{
    struct diag d;
    diag_init(&d);
    struct csvfile_options opt = {.delimiter = delimiter};
    int rc = EXIT_OK;
    if (!csvfile_read_file(a, &d, path, &opt, raw) ||
        !csvfile_to_table(a, &d, raw, req, nreq, t))
        rc = d.code == EXIT_OK ? EXIT_DATAERR : (int)d.code;
    csvfile_release(&d, raw); /* the messages read the file again */
    diag_print(&d, stderr);
    diag_release(&d);
    return rc;
}

int csvload_emit(const struct buf *out)
{
    fwrite(out->data, 1, out->len, stdout);
    if (fflush(stdout) != 0) {
        fputs("informe: error: no se pudo escribir la salida\n", stderr);
        return EXIT_CANTCREAT;
    }
    return EXIT_OK;
}
