/* tree: a YAML document read with libyaml into a tree whose every node
 * keeps its file:line:col (1-based), so that later stages can point at the
 * exact place of a mistake. Aliases and anchors are rejected (a cycle
 * cannot hang us); duplicate keys are an error naming both positions.
 * Scalars stay text; convert them with the tree_* helpers, which report
 * the node's position on failure. Everything lives in the arena. */
#ifndef INFORME_TREE_H
#define INFORME_TREE_H

#include "base/arena.h"
#include "base/diag.h"

#include <stdbool.h>
#include <stddef.h>

enum tree_kind { TREE_SCALAR, TREE_MAP, TREE_SEQ };

struct tnode {
    enum tree_kind kind;
    const char *file;
    unsigned line, col;
    /* TREE_SCALAR */
    const char *text; /* NUL-terminated UTF-8 */
    size_t len;
    bool quoted; /* single- or double-quoted, or a block scalar */
    /* The scalar as written, from its first character (opening quote or
     * block indicator, at line:col) to its end, when the text is not a
     * plain copy of one source line; NULL otherwise. style: 0 plain,
     * '\'', '"', '|' or '>'. Read only by tree_text_pos. */
    const char *raw;
    size_t rawlen;
    char style;
    /* TREE_MAP: keys[i] (scalars) -> items[i]; TREE_SEQ: items[i] */
    struct tnode **keys;
    struct tnode **items;
    size_t n;
};

/* Reads a file. Returns NULL after reporting to d (EXIT_NOINPUT when the
 * file cannot be read). The text is registered with diag_add_source. */
struct tnode *tree_load_file(struct arena *a, struct diag *d, const char *path);
/* Parses text in memory; name is used in messages. */
struct tnode *tree_load_mem(struct arena *a, struct diag *d, const char *name,
                            const char *text, size_t len);

/* Value of key in a map, or NULL (also when map is NULL or not a map). */
struct tnode *tree_get(const struct tnode *map, const char *key);
/* Scalar text of key in map, or def. */
const char *tree_get_text(const struct tnode *map, const char *key,
                          const char *def);

/* Conversions; each reports "se esperaba ..." at the node when it fails.
 * Booleans: true/false, yes/no, sí/si (ASCII case ignored). Numbers use '.'
 * as the decimal mark and never the locale. Lengths may have a space
 * before the unit ("2 cm") and cannot be negative. */
bool tree_expect(struct diag *d, const struct tnode *n, enum tree_kind kind);
bool tree_to_bool(struct diag *d, const struct tnode *n, bool *out);
bool tree_to_long(struct diag *d, const struct tnode *n, long min, long max,
                  long *out);
bool tree_to_double(struct diag *d, const struct tnode *n, double *out);
/* A length such as "2cm", "20mm", "56.7pt", "1in" or a bare number
 * (points), into points. */
bool tree_to_length(struct diag *d, const struct tnode *n, float *out);
/* A colour "#RRGGBB" or "#RGB" into 0xRRGGBB. */
bool tree_to_color(struct diag *d, const struct tnode *n, unsigned *out);

/* File line and column (characters) of the character that produced byte
 * off of scalar n's text, undoing YAML's line folding, block indentation,
 * quotes and escapes by reading the scalar's source again (done only when
 * a message needs it). off == n->len gives the place just after the last
 * character. Falls back to the node's own position for anything the
 * source does not account for. */
void tree_text_pos(const struct tnode *n, size_t off, unsigned *line,
                   unsigned *col);

/* tree_text_pos for many offsets of one scalar (the tokens of its
 * expressions): the cursor remembers the run of text copied as it is
 * from one source line around its last answer, and answers inside that
 * run without reading the source again. Zero-initialise, set n. */
struct tree_cursor {
    const struct tnode *n;
    size_t off, run;    /* text bytes [off, off + run) are one source run */
    unsigned line, col; /* of byte off */
};
void tree_cursor_pos(struct tree_cursor *c, size_t off, unsigned *line,
                     unsigned *col);

/* Reports an error at node n. */
void tree_error(struct diag *d, const struct tnode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
