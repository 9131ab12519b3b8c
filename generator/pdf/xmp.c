/* xmp: the XMP packet (see xmp.h), and its stream in the document's
 * catalog. */
#include "pdf/xmp.h"

#include "pdf/internal.h"

#include <string.h>
#include <time.h>

static void put_escaped(struct buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            buf_adds(b, "&amp;");
            break;
        case '<':
            buf_adds(b, "&lt;");
            break;
        case '>':
            buf_adds(b, "&gt;");
            break;
        case '"':
            buf_adds(b, "&quot;");
            break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                buf_addc(b, (char)c);
        }
    }
}

static bool given(const char *s)
{
    return s && *s;
}

/* <tag>text</tag>, or a language alternative, or an ordered list. */
static void simple(struct buf *b, const char *tag, const char *text)
{
    buf_printf(b, "<%s>", tag);
    put_escaped(b, text);
    buf_printf(b, "</%s>\n", tag);
}

static void container(struct buf *b, const char *tag, const char *kind,
                      const char *text, bool lang)
{
    buf_printf(b, "<%s><rdf:%s><rdf:li%s>", tag, kind,
               lang ? " xml:lang=\"x-default\"" : "");
    put_escaped(b, text);
    buf_printf(b, "</rdf:li></rdf:%s></%s>\n", kind, tag);
}

/* PDF/A-1 accepts only the XMP schemas it lists, and others described
 * in the packet: this describes pdfuaid (ISO 19005-1, 6.7.8). */
static const char ua_extension[] =
    "<rdf:Description rdf:about=\"\"\n"
    " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
    " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
    " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>\n"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
    "</pdfaSchema:namespaceURI>\n"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaProperty:name>part</pdfaProperty:name>\n"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "<pdfaProperty:category>internal</pdfaProperty:category>\n"
    "<pdfaProperty:description>the part of ISO 14289 the document "
    "conforms to</pdfaProperty:description>\n"
    "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
    "</rdf:Description>\n";

void xmp_write(struct buf *b, const struct xmp_fields *f)
{
    buf_adds(b, "<?xpacket begin=\"\xEF\xBB\xBF\" "
                "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                "<rdf:RDF "
                "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    if (f->pdfa && f->ua)
        buf_adds(b, ua_extension);
    buf_adds(b, "<rdf:Description rdf:about=\"\"\n"
                " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"");
    if (f->ua)
        buf_adds(b, "\n xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    if (f->pdfa)
        buf_adds(b, "\n xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    buf_adds(b, ">\n<dc:format>application/pdf</dc:format>\n");
    if (given(f->title))
        container(b, "dc:title", "Alt", f->title, true);
    if (given(f->author))
        container(b, "dc:creator", "Seq", f->author, false);
    if (given(f->subject))
        container(b, "dc:description", "Alt", f->subject, true);
    if (given(f->lang))
        container(b, "dc:language", "Bag", f->lang, false);
    if (given(f->keywords))
        simple(b, "pdf:Keywords", f->keywords);
    if (given(f->producer))
        simple(b, "pdf:Producer", f->producer);
    if (given(f->creator))
        simple(b, "xmp:CreatorTool", f->creator);
    time_t t = (time_t)f->created;
    struct tm tm;
    if (f->created >= 0 && gmtime_r(&t, &tm)) {
        char date[32];
        strftime(date, sizeof date,
                 f->pdfa ? "%Y-%m-%dT%H:%M:%S+00:00" : "%Y-%m-%dT%H:%M:%SZ",
                 &tm);
        simple(b, "xmp:CreateDate", date);
        simple(b, "xmp:ModifyDate", date);
        simple(b, "xmp:MetadataDate", date);
    }
    if (f->ua)
        buf_adds(b, "<pdfuaid:part>1</pdfuaid:part>\n");
    if (f->pdfa)
        buf_adds(b, "<pdfaid:part>1</pdfaid:part>\n"
                    "<pdfaid:conformance>B</pdfaid:conformance>\n");
    buf_adds(b, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
                "<?xpacket end=\"w\"?>");
}

bool pdf_xmp_add(struct pdfout *w, const struct doc_settings *set)
{
    struct xmp_fields f = {
        .title = set->title,
        .author = set->author,
        .subject = set->subject,
        .keywords = set->keywords,
        .creator = set->creator ? set->creator : "informe",
        .producer = "Haru Free PDF Library " HPDF_VERSION_TEXT,
        .lang = set->lang,
        .created = set->created,
        .ua = !set->untagged,
        .pdfa = set->pdfa,
    };
    struct buf b;
    buf_init(&b);
    xmp_write(&b, &f);
    pdf_pdfa_hash(w, b.data, b.len);
    /* Not deflated: a metadata stream stays readable to any tool. */
    HPDF_Dict meta = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    bool ok = meta && HPDF_Dict_AddName(meta, "Type", "Metadata") == HPDF_OK &&
              HPDF_Dict_AddName(meta, "Subtype", "XML") == HPDF_OK &&
              HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)b.data,
                                (HPDF_UINT)b.len) == HPDF_OK &&
              HPDF_Dict_Add(w->pdf->catalog, "Metadata", meta) == HPDF_OK;
    buf_release(&b);
    return ok;
}
