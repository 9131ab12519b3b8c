/* textstr: see textstr.h. */
#include "pdf/textstr.h"

#include "base/utf8.h"

/* True when s can be written in PDFDocEncoding: printable ASCII and the
 * Latin-1 letters and signs (soft hyphen excepted), and not "þÿ" first,
 * which a reader takes for UTF-16's byte-order mark. */
static bool pdfdoc(const char *s, size_t n)
{
    if (n >= 4 && (unsigned char)s[0] == 0xC3 && (unsigned char)s[1] == 0xBE &&
        (unsigned char)s[2] == 0xC3 && (unsigned char)s[3] == 0xBF)
        return false;
    for (size_t i = 0; i < n;) {
        size_t k;
        uint32_t cp = utf8_decode(s + i, n - i, &k);
        if (!((cp >= 0x20 && cp <= 0x7E) ||
              (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD)))
            return false;
        i += k;
    }
    return true;
}

bool pdf_text_bytes(struct buf *out, const char *s, size_t n)
{
    bool doc = pdfdoc(s, n);
    if (!doc)
        buf_add(out, "\xFE\xFF", 2);
    for (size_t i = 0; i < n;) {
        size_t k;
        uint32_t cp = utf8_decode(s + i, n - i, &k);
        i += k;
        if (cp == UTF8_BAD)
            cp = 0xFFFD;
        if (doc) {
            buf_addc(out, (char)cp);
        } else if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000, hi = 0xD800 | v >> 10,
                     lo = 0xDC00 | (v & 0x3FF);
            char u[4] = {(char)(hi >> 8), (char)hi, (char)(lo >> 8), (char)lo};
            buf_add(out, u, 4);
        } else {
            char u[2] = {(char)(cp >> 8), (char)cp};
            buf_add(out, u, 2);
        }
    }
    return doc;
}

void pdf_text_literal(struct buf *out, const char *raw, size_t n)
{
    buf_addc(out, '(');
    for (size_t i = 0; i < n; i++) {
        char c = raw[i];
        if (c == '(' || c == ')' || c == '\\')
            buf_addc(out, '\\');
        buf_addc(out, c);
    }
    buf_addc(out, ')');
}

void pdf_text_hex(struct buf *out, const char *raw, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    buf_addc(out, '<');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)raw[i];
        buf_addc(out, hex[c >> 4]);
        buf_addc(out, hex[c & 15]);
    }
    buf_addc(out, '>');
}
