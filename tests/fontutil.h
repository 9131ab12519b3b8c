/* fontutil: the four Liberation Sans faces of fonts/, loaded the way
 * informe loads them, for the tests that measure or lay out text. */
#ifndef INFORME_FONTUTIL_H
#define INFORME_FONTUTIL_H

#include "testutil.h"

#include "base/diag.h"
#include "media/font.h"

/* Loads the faces into fs; false (with the messages in d) when they cannot
 * be read. Release with fontset_release. */
static inline bool test_fonts_load(struct fontset *fs, struct diag *d)
{
    static const char *const files[FACE_COUNT] = {
        "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
        "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf"};
    return fontset_load(fs, TEST_ROOT "/fonts", files, d);
}

#endif
