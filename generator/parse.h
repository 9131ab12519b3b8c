/* parse: numbers, percents, money and dates as Colombian spreadsheets and
 * web tools write them, with no locale and no strtod.
 *
 * Numbers come in two styles. es-CO: '.' groups thousands, ',' is the
 * decimal mark ("1.234.567,89"). Plain: no grouping or ',' groups, '.' is
 * the decimal mark ("1234567.89", "1,234,567.89"). A lone separator
 * followed by exactly three digits ("1.234", "1,234") is ambiguous; a
 * column decides its style from all of its values (parse_style_vote). */
#ifndef INFORME_PARSE_H
#define INFORME_PARSE_H

#include "value.h"

#include <stdbool.h>
#include <stddef.h>

enum num_style {
    NUM_STYLE_UNKNOWN, /* not decided: ambiguous forms read as es-CO */
    NUM_STYLE_ESCO,    /* 1.234.567,89 */
    NUM_STYLE_PLAIN,   /* 1234567.89 or 1,234,567.89 */
};

/* What a single text says about the style: ESCO, PLAIN, or UNKNOWN when
 * it fits both (or neither). */
enum num_style parse_style_hint(const char *s, size_t n);

/* Parses a number of the given style; leading/trailing spaces allowed,
 * a leading '-' or '+', or parentheses for negatives are not. */
bool parse_number(const char *s, size_t n, enum num_style style, double *out);
/* "85,3 %", "85.3%", "85,3" (percent sign optional) into 85.3. */
bool parse_percent(const char *s, size_t n, enum num_style style, double *out);
/* "$ 1.234.567", "$1,234,567.50", "-$ 500", "COP 1.000" into a number. */
bool parse_money(const char *s, size_t n, enum num_style style, double *out);
/* Integers: "1.234" in es-CO style is 1234; no decimals allowed. */
bool parse_integer(const char *s, size_t n, enum num_style style, double *out);
/* "31/03/2018", "2018-03-31", "31-03-2018", "2018/03/31" into a day
 * number; the date must exist. */
bool parse_date(const char *s, size_t n, int32_t *days);

/* Parses s as type t into v (text is not copied: v->text = s). */
bool parse_value(const char *s, size_t n, enum vtype t, enum num_style style,
                 struct value *v);

/* The most specific type that every non-empty value satisfies:
 * integer < number < text, percent if all carry '%', money if all carry
 * '$', date if all are dates; text otherwise. */
enum vtype parse_infer_type(const char *const *values, size_t n,
                            enum num_style style);

#endif
