/* pdfout: the PDF writer; its files in pdf/ are the only ones that
 * include <hpdf.h>.
 *
 * Builds the document with libharu in UTF-8 mode (pages, fonts, metadata,
 * outlines, links); the page content streams are written by informe and
 * deflated page by page, so that no library call is made per text run and
 * only compressed pages stay in memory. The fonts get informe's own
 * ToUnicode map (libharu's is invalid), and widths and a glyph map for the
 * characters drawn only. Saves atomically: to a temporary file in the target
 * folder, renamed over the destination only when everything succeeded.
 * On failure the previous file is untouched and no temporary file remains.
 *
 * Usage: pdfout_open(), then pdfout_page() for every page (it is a
 * page_sink callback), then pdfout_save() or pdfout_discard(). */
#ifndef INFORME_PDFOUT_H
#define INFORME_PDFOUT_H

#include "base/buf.h"
#include "base/commit.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "media/font.h"

#include <stdbool.h>

struct pdfout;

/* Starts a document with the settings' metadata (Title, Author, Subject,
 * Keywords, Creator "informe" unless set->creator; CreationDate and
 * ModDate in UTC only when set->created >= 0) and owner password (set:
 * 128-bit RC4, opening, printing and copying allowed, editing refused; an
 * empty one is an error). Fonts are loaded lazily: a face is embedded only
 * when a page draws text with it, and faces sharing a file share one font;
 * only fonts->face[i].path is used, and fonts must outlive the writer.
 * Returns NULL after reporting to d.
 *
 * Output is byte-for-byte reproducible for the same inputs, except with an
 * owner password: libharu 2.3.0 derives the encryption /ID (and so every
 * encrypted byte) from the current time, inside its save call. */
struct pdfout *pdfout_open(const struct doc_settings *set,
                           const struct fontset *fonts, struct diag *d);
/* Draws one page (a page_sink callback; ctx is the struct pdfout); pages
 * come in order, numbered from 1. DL_IMAGE items name a PNG or JPEG file,
 * decoded once per document (see image.h); a picture that cannot be used
 * is reported (EXIT_DATAERR, or EXIT_NOINPUT when it cannot be read).
 * Text above U+FFFF or malformed UTF-8 is drawn as U+FFFD with one warning
 * per page. Links are kept until pdfout_save, since they may point
 * forward. Returns false once anything failed (reported to the writer's
 * diag); later calls keep returning false. */
bool pdfout_page(void *ctx, const struct dl_page *page);
/* Resolves links, writes the file atomically and frees w, on success and
 * on failure alike. A temporary file is written next to path, synced and
 * renamed over it; an existing file keeps its permissions. On failure
 * the previous file is untouched, no temporary file remains, and d gets
 * EXIT_CANTCREAT ("no se puede escribir 'PATH': strerror") or
 * EXIT_SOFTWARE (a libharu error code, a link to a missing page). */
bool pdfout_save(struct pdfout *w, const char *path);
/* pdfout_save up to the temporary file: *c is left to put it in place
 * (commit_start, then commit_finish, which reports its failure). A
 * burst writes its next report while the disk takes this one. Frees w. */
bool pdfout_save_later(struct pdfout *w, const char *path, struct commit *c);
/* The same as pdfout_save, but the file's bytes are appended to out
 * instead of written anywhere (for tests and fuzzing); name is only used
 * in messages. Frees w. */
bool pdfout_save_mem(struct pdfout *w, const char *name, struct buf *out);
/* Frees w without writing anything; accepts NULL. */
void pdfout_discard(struct pdfout *w);

/* Whether a document's content streams are deflated on a second thread
 * while its next pages are drawn (the bytes are the same either way):
 * AUTO from its 8th page on when a core is idle then (pdfout_idle_core);
 * OFF
 * never (with --jobs N, whose processes keep every core busy); ON from
 * the first page (tests). The thread is joined before pdfout_save and
 * pdfout_discard return. For every document opened afterwards. */
enum pdfout_threads {
    PDFOUT_THREADS_AUTO,
    PDFOUT_THREADS_OFF,
    PDFOUT_THREADS_ON
};
void pdfout_threads(enum pdfout_threads mode);
/* on: the font streams deflated for a document are remembered (the last
 * few, about 45 KB each) and given to the next documents that embed the
 * same subset, as a burst's reports mostly do; the bytes are the same.
 * off: forgets them and frees their memory. */
void pdfout_keep(bool on);

/* Whether a core is idle now, from the text of Linux's /proc/loadavg and
 * the number of cores: fewer tasks ready to run at this moment (its
 * fourth field, "R/T", where R counts the caller) than cores, or a
 * 1-minute load average half a core below their number. Either is
 * enough: the average still counts, for a minute, work that has ended,
 * and the count at one moment may catch a task that runs for a moment.
 * false on a text it cannot read, or on one core. */
bool pdfout_idle_core(const char *loadavg, long cores);

#endif
