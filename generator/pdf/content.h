/* content: the operators of a page content stream, written by informe from
 * display-list items without any PDF library: text runs as literal strings
 * of two-byte Identity-H codes (the code points themselves, inside the
 * BMP), rectangles, lines, fill and stroke colours, line widths and the
 * placement of images. The page's fonts and images are named by the
 * caller (their resource names on the page).
 *
 * Coordinates come as the display list's (origin at the top-left corner, y
 * downwards) and are written flipped, numbers in thousandths of a point
 * with no trailing zeros and no leading zero ("12.5", "-.25", "3"); colours
 * as DeviceRGB in thousandths too, so that every 8-bit value keeps its own
 * code. Operators are only written when the graphics state changes (fill
 * and stroke colours, line width, font and size, leading). A run on the
 * next line (straight below the start of the previous one) is shown with
 * ' at the leading, any other moves with Td.
 *
 * Marked content (tagged PDF): a sequence owned by a structure element
 * ("/TD<</MCID 3>>BDC ... EMC") or an artifact ("/Artifact BMC ... EMC").
 * Sequences and text objects nest: a sequence begun inside a text object
 * (BT) ends before it (EMC before ET), so that the cells of a table are
 * one text object with a sequence per cell; a sequence begun outside
 * text holds whole text objects. The text state (font, colour, position)
 * carries over from sequence to sequence; the first run of a sequence
 * inside a text object is placed by its position (Tm), later ones by
 * moves from it (Td, '): a viewer then computes every position as it
 * would with a text object per sequence, to the last bit, so that the
 * page renders to the same pixels. Inside a text element's
 * sequence, a run that does not continue the previous one (on its
 * baseline, where it ended) is preceded by a space at the end of the
 * previous run (in its string when nothing was written after it, else
 * drawn where it ended): the element's text keeps the boundary between
 * the words of two lines ("política de", not "políticade") without
 * anything visible changing.
 *
 * Usage: content_init() once, then per page content_begin(), the items in
 * order, content_end(); the operators are then in c->ops. Before opening
 * the sequence of an item, content_prepare_text() or
 * content_prepare_graphics() says what it paints, so that the sequence
 * opens inside or outside text. */
#ifndef INFORME_CONTENT_H
#define INFORME_CONTENT_H

#include "base/buf.h"
#include "doc/dlist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A font as the encoder sees it: the code points drawn with it, one bit
 * each. */
struct content_font {
    uint32_t used[0x10000 / 32];
};

/* True when code point cp has been drawn with f. */
bool content_font_uses(const struct content_font *f, unsigned cp);
/* The highest code point drawn with f; 0 when none is. */
unsigned content_font_last(const struct content_font *f);

struct content {
    struct buf ops; /* the page's operators */
    float height;   /* of the page: y is flipped against it */
    /* The first code point of the page drawn as U+FFFD (above U+FFFF, or
     * NUL), UTF8_BAD for malformed UTF-8, 0 when none. */
    uint32_t bad;
    /* The graphics state last written to the page. Lengths are in
     * thousandths of a point, as written: text positions are then exact
     * differences. */
    uint32_t fill, stroke;
    long line_width;
    struct content_font *font;
    long size;
    long leading; /* TL */
    bool in_text;
    bool text_next;    /* content_prepare_text() was called last */
    bool anew;         /* the next run is placed by its position (Tm) */
    bool moved;        /* a run has been placed in the text object */
    long tx, ty;       /* start of the current text line */
    bool in_mark;      /* a marked-content sequence is open */
    bool mark_in_text; /* ... begun inside the open text object */
    bool in_element;   /* ... of a text element: word boundaries kept */
    bool mark_text;    /* a run has been written in it, ending at (ex, ey) */
    long ex, ey;
    size_t tj_end;  /* the length of ops after the last run's Tj or ' */
    bool next_line; /* that run was shown with ' */
};

void content_init(struct content *c);
void content_release(struct content *c);

/* Starts a page of the given height: no operators yet, and the state a
 * new page has (black fill and stroke, 1-point lines, no font). */
void content_begin(struct content *c, float height);
/* Ends the page's operators (closes an open marked-content sequence and
 * an open text object). */
void content_end(struct content *c);

/* Before the sequence of a text run is opened: a new sequence then opens
 * inside a text object (begun for it when none is open). */
void content_prepare_text(struct content *c);
/* Before the sequence of a path or an image is opened: ends the text
 * object, and first a sequence begun inside it (content_marked() then
 * says false: the caller opens a new one). */
void content_prepare_graphics(struct content *c);
/* The next run is placed by its own position ("1 0 0 1 x y Tm"), not
 * moved to from the previous one, as the first run of a sequence is. */
void content_place_anew(struct content *c);
/* True while a marked-content sequence is open. */
bool content_marked(const struct content *c);

/* Begins a marked-content sequence tagged tag (a structure type such as
 * "P" or "TD") with marked-content identifier mcid: "/tag<</MCID n>>BDC".
 * Closes the open sequence first: sequences do not nest. Inside a text
 * object when one is open. With words, the
 * boundaries between its runs are kept as spaces (above); a figure's
 * labels need none (its alternate description stands for them). */
void content_mark(struct content *c, const char *tag, unsigned mcid,
                  bool words);
/* Begins an artifact sequence: "/Artifact BMC" without properties, else
 * "/Artifact<<props>>BDC" (props such as "/Type/Pagination"). */
void content_artifact(struct content *c, const char *props);
/* Ends the open marked-content sequence, if any ("EMC"). */
void content_mark_end(struct content *c);

/* True when text item it draws anything (text, and a colour). */
bool content_text_visible(const struct dl_item *it);
/* True when a run at size with font f must select the font (Tf): the
 * caller then gives content_text the font's resource name. */
bool content_font_changes(const struct content *c, const struct content_font *f,
                          float size);
/* A visible DL_TEXT item drawn with font f; name is f's resource name on
 * the page (only read when content_font_changes() is true). Text that
 * cannot be shown (above U+FFFF, NUL, malformed UTF-8) is drawn as U+FFFD
 * and recorded in c->bad. */
void content_text(struct content *c, const struct dl_item *it,
                  struct content_font *f, const char *name);
/* A DL_RECT item: filled, stroked or both; nothing when neither. */
void content_rect(struct content *c, const struct dl_item *it);
/* A DL_LINE item; nothing without a stroke colour. */
void content_line(struct content *c, const struct dl_item *it);
/* A DL_IMAGE item whose image is the XObject name on the page. */
void content_image(struct content *c, const struct dl_item *it,
                   const char *name);

#endif
