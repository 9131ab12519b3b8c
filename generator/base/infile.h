/* infile: the one routine that opens and reads every input file (template,
 * CSV, image, font), so that all of them are refused the same way and
 * with the same words.
 *
 * Only regular files are read: a directory, a device (/dev/zero), a FIFO
 * or a socket is refused at once, never read forever nor waited on (the
 * file is opened with O_NONBLOCK and checked with fstat before any read).
 * A file larger than the limit 'file_size' is refused before it is read.
 * The errno of the failing call is kept, so no message ends in "Success".
 * Every failure is one error in the diag: EXIT_NOINPUT for a missing,
 * unreadable or non-regular file, EXIT_DATAERR (through limits_exceeded)
 * for one too large. */
#ifndef INFORME_INFILE_H
#define INFORME_INFILE_H

#include "base/arena.h"
#include "base/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Where the path was written (a template key), so that the message points
 * there; file NULL: the message is about the path itself. */
struct infile_ref {
    const char *file;
    unsigned line, col;
};

/* Opens path for reading after the checks above; returns the descriptor
 * (caller closes it) and the file's size, or -1 after reporting. noun
 * names the file in messages: "la plantilla", "el archivo de datos",
 * "la imagen", "la fuente". */
int infile_open(struct diag *d, const char *path, const char *noun,
                const struct infile_ref *ref, size_t *size);

/* Reads the whole file. With a non-NULL arena the bytes live in it,
 * otherwise the caller frees them with free(). The text is followed by a
 * NUL byte not counted in len (and one more spare byte, so that a reader
 * may append one character in place). false after reporting. */
bool infile_read(struct diag *d, const char *path, const char *noun,
                 const struct infile_ref *ref, struct arena *a, char **data,
                 size_t *len);

/* Calls seen(ctx, path) for every path infile_open is asked to open,
 * readable or not, until called again (seen NULL: none), so that
 * `render --watch` knows every file a render read or looked for. */
void infile_observe(void (*seen)(void *ctx, const char *path), void *ctx);
/* Tells the observer of a path looked for without infile_open (a font
 * searched for in a folder). */
void infile_notice(const char *path);

/* The absolute path with every symbolic link, "." and ".." resolved
 * (realpath); caller frees with free(). NULL with the reason in *why
 * ("el archivo no existe", ...) when it cannot be resolved. */
char *infile_resolve(const char *path, const char **why);

/* NULL when path is a regular file, else why it cannot be read ("es una
 * carpeta, no un archivo"); never opens it, so a FIFO does not block. */
const char *infile_kind_problem(const char *path);

/* The names of the regular files in folder dir whose name ends in ext
 * (ASCII case ignored: ".csv" finds "PLAN.CSV"), sorted byte by byte, in
 * a; *n their number. NULL (and *n 0) when dir cannot be read. */
const char **infile_list(struct arena *a, const char *dir, const char *ext,
                         size_t *n);

#endif
