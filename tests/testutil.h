/* testutil: the includes cmocka needs, in the order it needs them, and
 * small helpers shared by the unit tests. */
#ifndef INFORME_TESTUTIL_H
#define INFORME_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

/* The source tree's root, for tests that read fonts/ or samples/: tests
 * run from the top of the checkout (make unit). */
#define TEST_ROOT "."

#endif
