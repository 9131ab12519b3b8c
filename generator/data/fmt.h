/* fmt: es-CO formatting of numbers, percents, money and dates, independent
 * of the process locale (informe never calls setlocale).
 *
 * Rounding is half away from zero on the decimal value a person sees: the
 * double is first written with 15 significant digits (which removes binary
 * noise such as 2.67499999999999982236431605997495353221893310546875),
 * then rounded on those decimal digits. So 2.675 -> "2,68", 0.125 -> "0,13",
 * -0.5 at 0 decimals -> "-1". A result that rounds to zero prints without
 * a minus sign. All functions append to a buf. */
#ifndef INFORME_FMT_H
#define INFORME_FMT_H

#include "base/buf.h"
#include "data/value.h"

#include <stdbool.h>

enum numfmt_kind {
    NF_AUTO,    /* by value type: integers plain, numbers as they come */
    NF_NUMBER,  /* 1.234.567,89 */
    NF_INTEGER, /* 1.234.568 */
    NF_PERCENT, /* 85,3 % */
    NF_MONEY,   /* $ 1.234.567 */
    NF_PLAIN,   /* 1234567,89: no thousands separator (ids, years) */
};

struct numfmt {
    enum numfmt_kind kind;
    int decimals;        /* -1: as many as the value needs (up to 6) */
    bool pct_space;      /* "85,3 %" (true) or "85,3%" */
    const char *missing; /* what a missing value prints as ("" default) */
};

/* Formats a number with thousands '.' and decimal ','. NaN and infinities
 * append nothing (a missing value). Percents and money put the sign first:
 * "-2,5 %", "-$ 1.234.567". */
void fmt_number(struct buf *b, double v, int decimals, bool thousands);
void fmt_percent(struct buf *b, double v, int decimals, bool space);
void fmt_money(struct buf *b, double v, int decimals);
/* Scientific form with decimal comma, "1,5E+300", "-2E-301" (0 is "0"):
 * the mantissa rounded to `decimals` places (at most 14) or, with -1, to
 * the places it needs. Numbers of 22 integer digits or more take this
 * form (with the places their 15 significant digits need, whatever the
 * decimals asked) in the formatters above too: "1,79769313486232E+308",
 * "-$ 2,5E+300", so no output exceeds 64 bytes. */
void fmt_scientific(struct buf *b, double v, int decimals);
/* Any value with a numfmt (NULL: NF_AUTO). Text passes through, dates as
 * fmt_date_short, booleans "sí"/"no"; missing, NaN and infinities print
 * f->missing (or nothing). NF_AUTO with decimals -1 formats by type:
 * integers "1.234", numbers with at most two decimals and trailing zeros
 * dropped ("78,12", "2,5", "4"), percents with one ("85,3 %"), money with
 * none ("$ 1.234.567"); decimals >= 0 applies to every numeric type. */
void fmt_value(struct buf *b, const struct value *v, const struct numfmt *f);

/* "31 de marzo de 2018" */
void fmt_date_long(struct buf *b, int32_t days);
/* "31/03/2018" */
void fmt_date_short(struct buf *b, int32_t days);
/* "2018-03-31" */
void fmt_date_iso(struct buf *b, int32_t days);
/* "mar. 2018": the month abbreviated as es-CO writes it, and the year */
void fmt_month_year(struct buf *b, int32_t days);
/* "marzo" (month 1..12, lower case) */
const char *fmt_month_name(unsigned month);
/* "2018-T1" and "primer trimestre de 2018" */
void fmt_quarter_code(struct buf *b, int32_t days);
void fmt_quarter_long(struct buf *b, int32_t days);

/* Rounds v to `decimals` places, half away from zero, on its 15-digit
 * decimal form; the building block of the formatters above. Writes the
 * plain digits ("-1234.57") into out (room for 64 bytes); from 22
 * integer digits on, the scientific form "1.5E+300". */
void fmt_round_plain(double v, int decimals, char out[64]);

#endif
