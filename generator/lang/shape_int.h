/* shape_int: what the two files of the data steps (shape.c, reshape.c)
 * share besides shape.h. */
#ifndef INFORME_SHAPE_INT_H
#define INFORME_SHAPE_INT_H

#include "base/arena.h"
#include "data/table.h"
#include "data/value.h"

#include <stdbool.h>
#include <stddef.h>

/* An empty table of ncols columns and nrows rows named like like (its
 * name and file), in a; columns and cells are for the caller to fill. */
struct table *shape_new_table(struct arena *a, const struct table *like,
                              size_t ncols, size_t nrows);
/* The types that hold a number (booleans not among them). */
bool shape_is_num(enum vtype t);

#endif
