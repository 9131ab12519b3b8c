/* icc: a small ICC version 2 display profile of sRGB (IEC 61966-2-1),
 * written by informe without any library or file: the profile of the
 * PDF/A output intent. Its header, and the tags a three-component
 * matrix/TRC display profile must have (ICC.1:2001-04, 6.3.1.2): the
 * description, copyright, media white point, the red, green and blue
 * colorants (the sRGB primaries adapted to the D50 connection space with
 * the Bradford transform) and one tone curve of 1,024 entries of the sRGB
 * transfer function shared by the three channels. The same bytes on every
 * call. */
#ifndef INFORME_ICC_H
#define INFORME_ICC_H

#include "base/buf.h"

/* The description written in the profile and the output intent. */
#define ICC_SRGB_NAME "sRGB IEC61966-2.1"

/* Appends the profile to out. */
void icc_srgb(struct buf *out);

#endif
