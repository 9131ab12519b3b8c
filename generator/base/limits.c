/* limits: the table of informe's own bounds, their defaults and the one
 * message that reports an exceeded limit. */
#include "base/limits.h"

#include "base/diag.h"

#include <stdio.h>
#include <string.h>

struct limit_def {
    const char *name;
    const char *unit; /* as printed after the number */
    int64_t def;
    int64_t max; /* the highest value --limit accepts */
};

static const struct limit_def defs[LIMIT_COUNT] = {
    /* The most that evaluates within an 8 MiB stack with a margin of four
     * even in the sanitized build (about 4,000 nested calls fit there). */
    [LIMIT_EXPR_DEPTH] = {"expr_depth", "niveles", 200, 1000},
    [LIMIT_EXPR_LENGTH] = {"expr_length", "bytes", 65536, 1 << 28},
    [LIMIT_YAML_DEPTH] = {"yaml_depth", "niveles", 64, 10000},
    [LIMIT_PAGES] = {"pages", "páginas", 100000, 100000000},
    [LIMIT_ROWS] = {"rows", "filas", 10000000, INT64_C(1) << 40},
    [LIMIT_CELL_LENGTH] = {"cell_length", "bytes", 1 << 20, 1 << 30},
    [LIMIT_FILE_SIZE] = {"file_size", "MiB", 1024, 1 << 20},
    [LIMIT_REGEX_LENGTH] = {"regex_length", "bytes", 1000, 100000},
    [LIMIT_CHART_CATEGORIES] = {"chart_categories", "categorías", 200, 100000},
    /* The C library expands a{1,100} into 100 copies of a, so nested
     * repetitions multiply: 10,000 copies of [a-z]{1,999} take about 2 s
     * and 120 MB to compile in the sanitized build. */
    [LIMIT_REGEX_REPEAT] = {"regex_repeat", "copias", 1000, 10000},
    /* A million rows under a hundred aggregates, or ten thousand rows
     * under an aggregate that is computed again for each of them; a few
     * seconds of work for the first row visited past it. */
    [LIMIT_EVAL_WORK] = {"eval_work", "filas recorridas", 100000000,
                         INT64_C(1) << 50},
};

static int64_t current[LIMIT_COUNT];
static bool initialised;

static void init_once(void)
{
    if (initialised)
        return;
    for (int i = 0; i < LIMIT_COUNT; i++)
        current[i] = defs[i].def;
    initialised = true;
}

int64_t limit(enum limit_id id)
{
    init_once();
    return current[id];
}

const char *limit_name(enum limit_id id)
{
    return defs[id].name;
}

void limits_reset(void)
{
    initialised = false;
    init_once();
}

bool limits_set(const char *assignment, const char **why)
{
    init_once();
    const char *eq = strchr(assignment, '=');
    if (!eq) {
        *why = "--limit espera NOMBRE=VALOR";
        return false;
    }
    size_t nlen = (size_t)(eq - assignment);
    int found = -1;
    for (int i = 0; i < LIMIT_COUNT; i++)
        if (strlen(defs[i].name) == nlen &&
            memcmp(defs[i].name, assignment, nlen) == 0)
            found = i;
    if (found < 0) {
        *why = "límite desconocido (vea informe --help)";
        return false;
    }
    const char *p = eq + 1;
    int64_t v = 0;
    if (!*p) {
        *why = "el valor del límite debe ser un entero positivo";
        return false;
    }
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > defs[found].max) {
            *why = "el valor del límite debe ser un entero positivo no "
                   "mayor que su máximo (vea informe --help)";
            return false;
        }
        v = v * 10 + (*p - '0');
    }
    if (v < 1 || v > defs[found].max) {
        *why = "el valor del límite debe ser un entero positivo no mayor "
               "que su máximo (vea informe --help)";
        return false;
    }
    current[found] = v;
    return true;
}

void limits_exceeded(struct diag *d, enum limit_id id, const char *file,
                     unsigned line, unsigned col, const char *what)
{
    int64_t v = limit(id);
    int64_t next = v > defs[id].max / 4 ? defs[id].max : v * 4;
    diag_error(d, file, line, col,
               "%s supera el límite de %lld %s (límite '%s'; súbalo con "
               "--limit %s=%lld)",
               what, (long long)v, defs[id].unit, defs[id].name, defs[id].name,
               (long long)next);
}

const char *limits_help(void)
{
    static char text[1024];
    size_t n = 0;
    for (int i = 0; i < LIMIT_COUNT && n < sizeof text; i++) {
        int w = snprintf(text + n, sizeof text - n, "  %s=%lld (%s)\n",
                         defs[i].name, (long long)defs[i].def, defs[i].unit);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return text;
}
