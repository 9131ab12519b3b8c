/* commit: a written temporary file put in place for good: synced to the
 * disk, closed, renamed over the file it replaces, then its folder
 * synced. Either now, or on a thread of its own while the caller goes
 * on: a burst renders its next reports while the disk takes the last
 * ones (on this kind of disk a sync waits about as long as a small report
 * takes to render; on shared storage, longer).
 *
 * In the background, files are synced by batches of up to COMMIT_BATCH
 * with one wait for the disk (see run_batch in commit.c), each renamed
 * only once its batch is on the disk; the folder is synced once its last
 * file is in place (when a later commit goes to another folder, or at
 * commit_flush), not after every rename: until then a crash can lose the
 * new name, never the file it replaced, which stays whole. */
#ifndef INFORME_COMMIT_H
#define INFORME_COMMIT_H

#include "base/diag.h"

#include <stdbool.h>

/* Background commits taken together once this many wait, or once the
 * oldest of them has waited COMMIT_WAIT_MS (a burst of slow reports
 * does not hold its files back for long). */
#define COMMIT_BATCH 8
#define COMMIT_WAIT_MS 50
/* Background commits started and not yet taken by the thread, at most
 * (commit_start waits for room): with the batch being synced, a burst
 * holds up to 2 * COMMIT_QUEUE temporaries, plus the one it writes. */
#define COMMIT_QUEUE 8

struct commit {
    int fd;          /* the temporary, open; -1 once closed */
    char *tmp;       /* its name, registered with tempfile */
    char *dest;      /* the file it replaces */
    char *dir;       /* dest's folder */
    char *path;      /* dest as the user wrote it, for messages */
    int err;         /* errno of the step that failed; 0 when in place */
    bool background; /* handed to the background thread, not done yet */
};

/* Fills c with fd and copies of the names (commit_finish frees them). A
 * commit never prepared, (struct commit){.fd = -1}, has nothing to put in
 * place: it starts and finishes as done. */
void commit_prepare(struct commit *c, int fd, const char *tmp, const char *dest,
                    const char *dir, const char *path);
/* Syncs, closes and renames c's temporary: now, or on the background
 * thread (started by the first background commit; now after all when no
 * thread can start), in the order the commits were started. Waits for
 * room when COMMIT_QUEUE wait already. */
void commit_start(struct commit *c, bool background);
/* Whether c is done (in place, or failed): commit_finish would not
 * wait. */
bool commit_done(struct commit *c);
/* Waits for c (the thread takes it, with those started before it, at
 * once: a batch is not waited for); when it failed, removes the temporary and
 * reports "no se puede escribir" to d (EXIT_CANTCREAT). true when the file is
 * in place. */
bool commit_finish(struct commit *c, struct diag *d);
/* Ends the background thread and syncs the folder of the last background
 * commits (their names are on the disk once it returns); a burst calls it
 * at its end, and before the process forks or ends. */
void commit_flush(void);

#endif
