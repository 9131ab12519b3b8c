/* fuzz_csv: libFuzzer target for the CSV reader: any bytes go through
 * csvfile_read_mem and csvfile_to_table, and everything is freed after. */
#include "base/arena.h"
#include "data/csvfile.h"
#include "base/diag.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct rawcsv raw;
    struct table t;
    /* the first byte, when it is a delimiter, also tries the override */
    struct csvfile_options opt = {0};
    if (size > 0 && (data[0] == ';' || data[0] == '\t' || data[0] == '|'))
        opt.delimiter = (char)data[0];
    if (csvfile_read_mem(a, &d, "fuzz.csv", (const char *)data, size, &opt,
                         &raw)) {
        struct type_request req[] = {
            {.column = raw.ncols ? raw.header[0] : "x", .type = V_NUMBER},
        };
        csvfile_to_table(a, &d, &raw, NULL, 0, &t);
        csvfile_to_table(a, &d, &raw, req, 1, &t);
    }
    diag_release(&d);
    arena_free(a);
    return 0;
}
