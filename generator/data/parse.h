/* parse: numbers, percents, money and dates as Colombian spreadsheets and
 * web tools write them, with no locale and no strtod.
 *
 * Numbers come in two styles. es-CO: '.' groups thousands, ',' is the
 * decimal mark ("1.234.567,89"). Plain: no grouping or ',' groups, '.' is
 * the decimal mark ("1234567.89", "1,234,567.89"). A lone separator
 * followed by exactly three digits ("1.234", "1,234") is ambiguous.
 *
 * The ambiguity rule: a column decides its style from all of its values.
 * If any value is unambiguously es-CO ("1,5", "1.234,5", "1.234.567") the
 * column is es-CO; if any is unambiguously plain ("1.5", "1,234.5",
 * "1,234,567") it is plain; if both appear the column is an error at the
 * first value that contradicts the ones before it; if every value is
 * ambiguous the column is es-CO, because Excel in es-CO is where most of
 * the files come from ("1.234" is then one thousand two hundred and
 * thirty-four).
 *
 * Every parser trims spaces, tabs and no-break spaces around the text and
 * accepts a leading '-' for negatives ('+' and parentheses are not
 * accepted). Exponents ("1,5E+03") are accepted in numbers. Conversion to
 * double is exact (correctly rounded) for up to 15 significant digits and
 * decimal exponents within +-22, which covers every figure of a report;
 * longer forms are converted within a few units in the last place. */
#ifndef INFORME_PARSE_H
#define INFORME_PARSE_H

#include "base/buf.h"
#include "data/value.h"

#include <stdbool.h>
#include <stddef.h>

enum num_style {
    NUM_STYLE_UNKNOWN, /* not decided: a value's own form, else es-CO */
    NUM_STYLE_ESCO,    /* 1.234.567,89 */
    NUM_STYLE_PLAIN,   /* 1234567.89 or 1,234,567.89 */
};

/* What a single text says about the style: ESCO, PLAIN, or UNKNOWN when
 * it fits both (or is not a number at all). Signs, '$', "COP" and '%'
 * are looked through. */
enum num_style parse_style_hint(const char *s, size_t n);

/* Parses a number of the given style ("1.234,5", "-12", "1,5E+03"). With
 * NUM_STYLE_UNKNOWN the value's own hint decides, and es-CO when it has
 * none. */
bool parse_number(const char *s, size_t n, enum num_style style, double *out);
/* "85,3 %", "85.3%", "85,3" (percent sign optional) into 85.3. */
bool parse_percent(const char *s, size_t n, enum num_style style, double *out);
/* "$ 1.234.567", "$1,234,567.50", "-$ 500", "$ -500", "COP 1.000" into a
 * number; the currency mark is optional. */
bool parse_money(const char *s, size_t n, enum num_style style, double *out);
/* Integers: "1.234" in es-CO style is 1234; no decimal part, no exponent,
 * magnitude at most 2^53. */
bool parse_integer(const char *s, size_t n, enum num_style style, double *out);
/* "31/03/2018", "2018-03-31", "31-03-2018", "2018/03/31" (day and month
 * may have one digit) into a day number; the date must exist. */
bool parse_date(const char *s, size_t n, int32_t *days);
/* Why a text written as a date is not one, appended to why: "el 31 de
 * febrero no existe", "el mes 13 no existe", "el mes 31 no existe (el
 * día va primero: ¿quiso decir 31/12/2018?)". false (nothing appended)
 * when the text is a date, or is not written as one. */
bool parse_date_explain(const char *s, size_t n, struct buf *why);
/* The date forms parse_date accepts, for messages. */
#define PARSE_DATE_FORMS "2018-03-31, 31/03/2018, 31-03-2018 o 2018/03/31"
/* For a text that should have been a date, appended to why: what is
 * wrong with it (parse_date_explain), then the forms a date may take:
 * ": el 31 de febrero no existe; escriba la fecha como ...", or ":
 * escriba la fecha como ..." when it is not written as a date at all. */
void parse_date_hint(const char *s, size_t n, struct buf *why);

/* Parses s as type t into v (text is not copied: v->text = s; other types
 * get text NULL). V_MISSING is never produced here: callers decide what
 * an empty cell means. */
bool parse_value(const char *s, size_t n, enum vtype t, enum num_style style,
                 struct value *v);

/* The most specific type that every non-empty value satisfies: integer,
 * then number, then percent if every value carries '%', money if every
 * value carries '$' (or "COP"), date if all are dates; text otherwise,
 * and text when every value is empty. A value with a leading zero
 * ("05001", a DANE code) keeps the column text, so codes keep their
 * zeros. values[i] may be NULL (empty). */
enum vtype parse_infer_type(const char *const *values, size_t n,
                            enum num_style style);

/* Whether a header names a code: one of its words (runs of letters and
 * digits) is "código", "codigo", "cod", "nit" or "dane", in any case
 * ("Código DANE", "nit", "dimension_codigo"), or "id" beside another
 * word ("ID Sigep", "id_entidad"; not "id" alone). */
bool parse_header_names_code(const char *header);

/* parse_infer_type for the column under header: a column of integers
 * whose header names a code is text, so that "1234" is not printed
 * "1.234" and codes are never summed. header may be NULL. */
enum vtype parse_infer_column_type(const char *header,
                                   const char *const *values, size_t n,
                                   enum num_style style);

/* parse_infer_column_type over values of known lengths (lens[i] is
 * strlen(values[i]); values[i] not NULL), which also keeps what each
 * value reads as. When the type returned is not text, parsed[i] (n of
 * them, the caller's) is what parse_value gives for values[i] in that
 * type and style, or V_MISSING when the value is blank (spaces, tabs,
 * no-break spaces: what parse_value refuses); when it is text, parsed is
 * left undefined. A column's values are then scanned once to infer the
 * type and to read them. */
enum vtype parse_infer_values(const char *header, const char *const *values,
                              const size_t *lens, size_t n,
                              enum num_style style, struct value *parsed);

/* parse_infer_values over values[i * vstride] (i < n, lengths measured),
 * what value i reads as written at (char *)parsed + i * pstride: the
 * texts of one column of a file stored row after row, read into the
 * values of its cells. */
enum vtype parse_infer_strided(const char *header, const char *const *values,
                               size_t vstride, size_t n, enum num_style style,
                               struct value *parsed, size_t pstride);

/* Spanish noun phrase for a type in messages: "un número entero",
 * "un número", "un porcentaje", "una fecha", "un valor en pesos". */
const char *parse_type_noun(enum vtype t);

#endif
