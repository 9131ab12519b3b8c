/* schema: checks a loaded template against the template language
 * (docs/templates.md) before anything is evaluated: known keys, value
 * kinds, enumerations, lengths and colours, required keys, and references
 * to data sources and styles. Every mistake is reported at its node. */
#ifndef INFORME_SCHEMA_H
#define INFORME_SCHEMA_H

#include "base/diag.h"
#include "template/tree.h"

#include <stdbool.h>
#include <stddef.h>

/* Validates root (as returned by tree_load_*). Reports every mistake found
 * (until diag_full) and returns true when there was none. */
bool schema_check(struct diag *d, const struct tnode *root);

#endif
