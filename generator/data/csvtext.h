/* csvtext: the bytes of a CSV file as text: its encoding (UTF-8, with or
 * without BOM, or Windows-1252) decoded to UTF-8 with LF line ends, and
 * its delimiter guessed (data/csvfile.c reads the records). */
#ifndef INFORME_CSVTEXT_H
#define INFORME_CSVTEXT_H

#include "base/diag.h"

#include <stdbool.h>
#include <stddef.h>

enum csvfile_encoding { CSVFILE_UTF8, CSVFILE_UTF8_BOM, CSVFILE_WINDOWS_1252 };

/* Decodes data into UTF-8 with LF line breaks (CRLF and CR become LF, so
 * that line numbers, libcsv and diag's excerpts agree). The encoding is
 * decided by the lines that carry non-ASCII bytes: UTF-8 when there is a
 * BOM, or when at least as many of them are valid UTF-8 as not; then each
 * line that is not valid UTF-8 keeps its valid sequences and reads every
 * other byte as Windows-1252, with one warning naming its first such
 * byte. Otherwise the whole file is Windows-1252 (where "Ã³" is ordinary
 * text). A byte that is neither (NUL, or 0x81 0x8D 0x8F 0x90 0x9D) becomes
 * U+FFFD so the excerpt can still be shown; the first one is reported and
 * makes the call fail. data (len + 1 bytes from malloc) is taken: decoded
 * in place when the file is valid UTF-8, the usual case, else freed. The
 * text (good or not, *text and *tlen set either way) is given to d under
 * name (no copy): *text lives as long as d holds it, and nothing may
 * change it. With reread, name is the
 * path data was read from, and the text may be given up early with
 * diag_release_text: messages then read the file again (diag_adopt_file,
 * csvtext_reread). */
bool csvtext_decode(struct diag *d, const char *name, char *data, size_t len,
                    enum csvfile_encoding *enc, const char **text, size_t *tlen,
                    bool reread);

/* The text csvtext_decode gave for the file at path, read again, good or
 * not, without messages; from malloc (a diag_reread). */
char *csvtext_reread(const char *path, size_t *tlen);

/* The delimiter of LF-only text s: ',' ';' or tab counted outside quotes
 * in the first records. The header's count decides; among candidates the
 * one whose count the next records repeat most often wins, then the one
 * found more often on the header line, then ';' before ',' before tab
 * (Excel in es-CO writes ';'). No candidate on the header: the file has
 * one column, and the delimiter is one the rows do not use (so "1,5"
 * stays one field). */
char csvtext_delimiter(const char *s, size_t n);

#endif
