/* cohort-ai-markup.h: safe rendering of the helper's simple Markdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Turns an answer's text into Pango markup: paragraphs, "-", "*" and "1."
 * lists, fenced code blocks, `inline code`, **bold** and # headings. All
 * text from the network is escaped; nothing in it can produce a tag. An
 * unclosed fence (while streaming) runs to the end as code. */
char *cohort_ai_markup_to_pango (const char *text);

G_END_DECLS
