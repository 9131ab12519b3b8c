/* textstr: UTF-8 text as the bytes of a PDF text string (ISO 32000-1,
 * 7.9.2.2) built by informe itself, for the document information,
 * bookmarks, link texts and the structure tree's /Alt. */
#ifndef INFORME_PDF_TEXTSTR_H
#define INFORME_PDF_TEXTSTR_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends the bytes of s[n] as a text string to out: PDFDocEncoding when
 * every character is printable ASCII or a Latin-1 letter or sign (which
 * PDFDocEncoding shares with Unicode) and the bytes do not begin as a
 * UTF-16 byte-order mark ("þÿ"); else UTF-16BE after its byte-order mark,
 * characters above U+FFFF as surrogate pairs. Malformed UTF-8 counts as
 * U+FFFD. Returns true when the bytes are PDFDocEncoding (they then hold
 * no NUL byte). */
bool pdf_text_bytes(struct buf *out, const char *s, size_t n);

/* Appends raw[n] as a PDF literal string, "(" and ")" and "\" escaped
 * with a backslash, every other byte as it is. */
void pdf_text_literal(struct buf *out, const char *raw, size_t n);

/* Appends raw[n] as a PDF hexadecimal string. */
void pdf_text_hex(struct buf *out, const char *raw, size_t n);

#endif
