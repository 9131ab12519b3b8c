/* csvtext: a CSV file's bytes decoded to UTF-8 text, and its delimiter
 * guessed. */
#include "data/csvtext.h"

#include "base/buf.h"
#include "base/infile.h"
#include "base/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Windows-1252 bytes 0x80-0x9F; 0 marks the five undefined ones. The rest
 * of the upper half (0xA0-0xFF) is Latin-1, the same code point. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static void add_cp(struct buf *b, uint32_t cp)
{
    char u[4];
    buf_add(b, u, utf8_encode(cp, u));
}

/* Lines that carry bytes above 0x7F, as valid UTF-8 (u) or not (w); when
 * the whole text is valid UTF-8, both are left at 0. */
static void classify(const char *data, size_t len, size_t *u, size_t *w)
{
    *u = *w = 0;
    if (utf8_validate(data, len) == len)
        return; /* the usual file: every line valid, w is 0 */
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        bool high = false;
        while (end < len && data[end] != '\n' && data[end] != '\r') {
            high |= (unsigned char)data[end] >= 0x80;
            end++;
        }
        if (high) {
            if (utf8_validate(data + i, end - i) == end - i)
                (*u)++;
            else
                (*w)++;
        }
        i = end + 1;
    }
}

/* At most this many lines are named one by one in warnings. */
#define MIXED_WARNINGS 10

/* Gives text to d for messages (see csvtext_decode). */
static void adopt(struct diag *d, const char *name, char *text, size_t len,
                  bool reread)
{
    if (reread)
        diag_adopt_file(d, name, text, len, csvtext_reread);
    else
        diag_adopt_source(d, name, text, len);
}

/* See csvtext.h. The usual file, valid UTF-8, is decoded in place. */
bool csvtext_decode(struct diag *d, const char *name, char *data, size_t len,
                    enum csvfile_encoding *enc, const char **text, size_t *tlen,
                    bool reread)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t i = 0, u, w;
    bool bom = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
    if (bom)
        i = 3;
    classify(data + i, len - i, &u, &w);
    bool utf8 = bom || w <= u;
    *enc = bom ? CSVFILE_UTF8_BOM : utf8 ? CSVFILE_UTF8 : CSVFILE_WINDOWS_1252;
    if (utf8 && w == 0 && memchr(data + i, 0, len - i) == NULL) {
        /* Valid UTF-8 without NUL (the usual file): only CR changes,
         * in place (the text only shrinks; up to the first CR of a file
         * without BOM, nothing moves). */
        size_t o = 0;
        while (i < len) {
            const char *cr = memchr(data + i, '\r', len - i);
            size_t run = cr ? (size_t)(cr - (data + i)) : len - i;
            if (o != i)
                memmove(data + o, data + i, run);
            o += run;
            i += run;
            if (i < len) {
                data[o++] = '\n';
                i += i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
            }
        }
        data[o] = '\0';
        adopt(d, name, data, o, reread);
        *text = data;
        *tlen = o;
        return true;
    }
    struct buf b;
    buf_init(&b);
    buf_grow(&b, len - i + len / 8);
    unsigned line = 1, col = 1, bad_line = 0, bad_col = 0;
    unsigned bad_byte = 0;
    size_t mixed = 0;
    /* warnings wait until the text is registered, so they show it */
    unsigned warn_line[MIXED_WARNINGS], warn_col[MIXED_WARNINGS];
    unsigned warn_byte[MIXED_WARNINGS];
    bool line_valid = true;
    bool line_start = true;
    while (i < len) {
        unsigned c = s[i];
        size_t step = 1;
        if (line_start && utf8) {
            size_t end = i;
            while (end < len && s[end] != '\n' && s[end] != '\r')
                end++;
            line_valid = utf8_validate(data + i, end - i) == end - i;
            line_start = false;
        }
        if (c == '\r' || c == '\n') {
            buf_addc(&b, '\n');
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
                step = 2;
            line++;
            col = 1;
            i += step;
            line_start = true;
            continue;
        }
        uint32_t cp = c;
        if (c >= 0x80) {
            if (utf8)
                cp = utf8_decode(data + i, len - i, &step);
            if (cp == UTF8_BAD && utf8 && !line_valid) {
                /* a byte of another encoding in a UTF-8 file */
                if (mixed < MIXED_WARNINGS) {
                    warn_line[mixed] = line;
                    warn_col[mixed] = col;
                    warn_byte[mixed] = c;
                }
                mixed++;
                line_valid = true; /* one warning per line */
                step = 1;
            }
            if (!utf8 || cp == UTF8_BAD) {
                step = 1;
                cp = c < 0xA0 ? cp1252_high[c - 0x80] : c;
                if (cp == 0)
                    cp = UTF8_BAD;
            }
        } else if (c == 0) {
            cp = UTF8_BAD;
        }
        if (cp == UTF8_BAD) {
            if (!bad_line) {
                bad_line = line;
                bad_col = col;
                bad_byte = c;
            }
            cp = 0xFFFD;
        }
        add_cp(&b, cp);
        col++;
        i += step;
    }
    free(data);
    size_t blen;
    char *decoded = buf_detach(&b, &blen);
    adopt(d, name, decoded, blen, reread);
    *tlen = blen;
    *text = decoded;
    for (size_t k = 0; k < mixed && k < MIXED_WARNINGS; k++)
        diag_warning(d, name, warn_line[k], warn_col[k],
                     "byte 0x%02X no válido en UTF-8 en un archivo UTF-8: "
                     "esta línea se lee como Windows-1252",
                     warn_byte[k]);
    if (mixed > MIXED_WARNINGS)
        diag_warning(d, name, 0, 0,
                     "otras %zu líneas tampoco son UTF-8 válido y se leen "
                     "como Windows-1252",
                     mixed - MIXED_WARNINGS);
    if (bad_line) {
        if (bad_byte == 0)
            diag_error(d, name, bad_line, bad_col,
                       "el archivo tiene un byte nulo (0x00): no parece un "
                       "archivo de texto CSV");
        else
            diag_error(d, name, bad_line, bad_col,
                       "byte 0x%02X no válido: el archivo no es UTF-8 ni "
                       "Windows-1252",
                       bad_byte);
        return false;
    }
    return true;
}

char *csvtext_reread(const char *path, size_t *tlen)
{
    struct diag scratch;
    diag_init(&scratch);
    char *data, *text = NULL;
    size_t len;
    enum csvfile_encoding enc;
    const char *decoded;
    if (infile_read(&scratch, path, "el archivo de datos", NULL, NULL, &data,
                    &len)) {
        /* the text, good or not, is set either way */
        (void)csvtext_decode(&scratch, path, data, len, &enc, &decoded, tlen,
                             false);
        text = diag_take_text(&scratch, decoded);
    }
    diag_release(&scratch); /* frees what it still holds */
    return text;
}

/* By counts outside quotes in the first 20 records (csvtext.h). */
char csvtext_delimiter(const char *s, size_t n)
{
    static const char cand[3] = {';', ',', '\t'};
    size_t head[3] = {0, 0, 0}, agree[3] = {0, 0, 0}, cur[3] = {0, 0, 0};
    size_t seen[3] = {0, 0, 0};
    size_t rec = 0;
    bool inq = false, nonempty = false;
    for (size_t i = 0; i <= n && rec <= 20; i++) {
        char c = i < n ? s[i] : '\n';
        if (c == '"') {
            inq = !inq;
        } else if (c == '\n' && (!inq || i == n)) {
            if (nonempty) {
                for (int k = 0; k < 3; k++) {
                    if (rec == 0)
                        head[k] = cur[k];
                    else if (cur[k] == head[k])
                        agree[k]++;
                    seen[k] += cur[k];
                    cur[k] = 0;
                }
                rec++;
            }
            nonempty = false;
            continue;
        } else if (!inq) {
            for (int k = 0; k < 3; k++)
                if (c == cand[k])
                    cur[k]++;
        }
        nonempty = true;
    }
    int best = -1;
    for (int k = 0; k < 3; k++) {
        if (head[k] == 0)
            continue;
        if (best < 0 || agree[k] > agree[best] ||
            (agree[k] == agree[best] && head[k] > head[best]))
            best = k;
    }
    if (best >= 0)
        return cand[best];
    static const int order[3] = {1, 0, 2}; /* ',' then ';' then tab */
    for (int k = 0; k < 3; k++)
        if (seen[order[k]] == 0)
            return cand[order[k]];
    return ',';
}
