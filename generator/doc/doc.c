/* doc: default page and typography settings. */
#include "doc/doc.h"

#include <string.h>

void doc_settings_default(struct doc_settings *s)
{
    memset(s, 0, sizeof *s);
    s->page_width = 612;
    s->page_height = 792;
    s->margin_top = s->margin_right = s->margin_bottom = s->margin_left =
        56.6929f; /* 2 cm */
    s->font_file[FACE_REGULAR] = "LiberationSans-Regular.ttf";
    s->font_file[FACE_BOLD] = "LiberationSans-Bold.ttf";
    s->font_file[FACE_ITALIC] = "LiberationSans-Italic.ttf";
    s->font_file[FACE_BOLD_ITALIC] = "LiberationSans-BoldItalic.ttf";
    s->font_dir = "fonts";
    s->body_size = 9;
    s->body_leading = 11;
    s->table_size = 9;
    s->accent = 0x1F4E79;
    s->text_color = 0x000000;
    s->muted = 0x404040;
    s->rule = 0x808080;
    s->creator = "informe";
    s->created = -1;
    s->lang = "es-CO";
}
