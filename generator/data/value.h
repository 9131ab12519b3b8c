/* value: one typed datum of a table cell, a parameter or an expression.
 * Numbers are doubles; what a person sees is decided when formatting
 * (fmt.h rounds on the shortest decimal form, so 2.675 stays 2.675).
 * Dates are whole days since 1970-01-01 (proleptic Gregorian). */
#ifndef INFORME_VALUE_H
#define INFORME_VALUE_H

#include <stdbool.h>
#include <stdint.h>

enum vtype {
    V_MISSING, /* an empty cell, a failed division: prints as "" or "—" */
    V_TEXT,
    V_INT,
    V_NUMBER,
    V_PERCENT, /* num holds the percent as shown: 85.3 for "85,3 %" */
    V_DATE,    /* days holds the day number */
    V_MONEY,
    V_BOOL, /* num is 0 or 1 (expression results only) */
};

/* 24 bytes: the type and the day share the first eight (a table holds
 * one per cell, so its size is a table's memory). */
struct value {
    enum vtype type;
    int32_t days;
    double num;
    const char *text; /* V_TEXT: UTF-8, NUL-terminated, owned by an arena */
};

/* Spanish name of a type as the template language spells it:
 * "text", "integer", "number", "percent", "date", "money", "bool". */
const char *value_type_name(enum vtype t);
/* Parses a type name of the template language; false if unknown. */
bool value_type_parse(const char *name, enum vtype *out);
/* True for the types that hold a number in num. */
bool value_is_numeric(enum vtype t);

/* Civil date <-> day number (Howard Hinnant's algorithm). */
int32_t date_from_ymd(int y, unsigned m, unsigned d);
void date_to_ymd(int32_t days, int *y, unsigned *m, unsigned *d);
bool date_valid(int y, unsigned m, unsigned d);

#endif
