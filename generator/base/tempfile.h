/* tempfile: the temporary file a PDF is written to before the rename, and
 * its removal whatever ends the process: an error, a signal (SIGTERM,
 * SIGINT, SIGHUP), the out-of-memory exit, or, for a process killed
 * without a chance to clean up (SIGKILL, power loss), the next run that
 * writes into the same folder.
 *
 * Names are ".informe-PID-NANOS-COUNTER.pdf.tmp" in the destination's
 * folder; the creator holds an exclusive flock on the file until it is
 * renamed or removed. A later run removes a temporary whose PID is not a
 * live process and whose lock is free (the lock protects a live writer
 * in another PID namespace that shares the folder). */
#ifndef INFORME_TEMPFILE_H
#define INFORME_TEMPFILE_H

#include "base/arena.h"

/* Temporaries registered at once, at most. */
#define TEMPFILE_MAX 32

/* Removes the temporaries of dead processes from dir (best effort; not
 * again while the process keeps writing into the same folder, which a
 * burst of thousands of PDFs would otherwise read once per file), then
 * creates a new one there, locked and registered for removal. Returns the
 * open descriptor and sets *name (in a), or -1 with errno set (EBUSY when
 * TEMPFILE_MAX temporaries are registered already: a burst has
 * 2 * COMMIT_QUEUE + 1 at most). */
int tempfile_create(struct arena *a, const char *dir, char **name);
/* The file path names: path itself, or when it is a symbolic link, the
 * file the link leads to (in a), so that the rename replaces that file
 * and not the link. NULL with errno set when the link cannot be
 * resolved. */
const char *tempfile_target(struct arena *a, const char *path);
/* Forgets the registered temporary name (it was renamed or removed); any
 * thread may call it. */
void tempfile_forget(const char *name);
/* Unlinks every registered temporary; async-signal-safe. */
void tempfile_remove_now(void);
/* Installs the SIGTERM, SIGINT and SIGHUP handler (and, for crashes,
 * SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL) that removes the registered
 * temporary and then dies of the signal as before. Signals ignored at
 * start (nohup) stay ignored. */
void tempfile_install_signals(void);

#endif
