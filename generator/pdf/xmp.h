/* xmp: the XMP metadata packet of a document (ISO 16684-1), written by
 * informe without any library: Dublin Core title, author (creator),
 * subject (description) and language, the PDF keywords and producer, the
 * creating tool and dates, and, for a tagged document, the PDF/UA-1
 * identification (pdfuaid:part 1), and for PDF/A-1b its identification
 * (pdfaid:part 1, pdfaid:conformance B). Texts are XML-escaped; characters XML
 * does not allow (C0 controls but tab and newlines) are left out. The
 * packet has no padding and no time of its own: the same fields give the
 * same bytes. */
#ifndef INFORME_XMP_H
#define INFORME_XMP_H

#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>

struct xmp_fields {
    const char *title, *author, *subject, *keywords; /* NULL or "": none */
    const char *creator;                             /* the creating tool */
    const char *producer; /* the PDF library, as in the Info dictionary */
    const char *lang;     /* dc:language */
    int64_t created;      /* seconds since the epoch, UTC; < 0: no dates */
    bool ua;              /* pdfuaid:part 1 */
    bool pdfa;            /* pdfaid:part 1, conformance B; with ua, the
                             PDF/A extension schema that declares pdfuaid */
};

/* Appends the packet to out. */
void xmp_write(struct buf *out, const struct xmp_fields *f);

#endif
