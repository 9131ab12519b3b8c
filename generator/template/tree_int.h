/* tree_int: what the files of the tree module share besides tree.h
 * (tree.c reads the YAML, tree_pos.c finds positions inside scalars,
 * tree_conv.c converts scalars). */
#ifndef INFORME_TREE_INT_H
#define INFORME_TREE_INT_H

#include "template/tree.h"

#include <stdbool.h>

/* True for a plain scalar with no text: a key with no value, or a
 * document with nothing in it. */
bool tree_blank(const struct tnode *n);
/* The value of hexadecimal digit c, or -1. */
int tree_hex_digit(char c);

#endif
