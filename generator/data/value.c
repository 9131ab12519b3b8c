/* value: type names and calendar arithmetic. */
#include "data/value.h"

#include <string.h>

static const char *const type_names[] = {
    [V_MISSING] = "missing", [V_TEXT] = "text",       [V_INT] = "integer",
    [V_NUMBER] = "number",   [V_PERCENT] = "percent", [V_DATE] = "date",
    [V_MONEY] = "money",     [V_BOOL] = "bool",
};

const char *value_type_name(enum vtype t)
{
    return type_names[t];
}

bool value_type_parse(const char *name, enum vtype *out)
{
    for (unsigned t = V_TEXT; t <= V_MONEY; t++) {
        if (strcmp(name, type_names[t]) == 0) {
            *out = (enum vtype)t;
            return true;
        }
    }
    return false;
}

bool value_is_numeric(enum vtype t)
{
    return t == V_INT || t == V_NUMBER || t == V_PERCENT || t == V_MONEY ||
           t == V_BOOL;
}

int32_t date_from_ymd(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(int32_t days, int *y, unsigned *m, unsigned *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

bool date_valid(int y, unsigned m, unsigned d)
{
    static const unsigned char mdays[] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    unsigned max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}
