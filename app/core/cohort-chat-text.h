/* cohort-chat-text.h: showing chat text safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @text mentions @name as "@name" (case-insensitive, not
 * followed by a letter or digit). */
gboolean  cohort_chat_text_mentions       (const char *text,
                                           const char *name);
/* Pango markup for @text: every character from the network escaped with
 * g_markup_escape_text(), http(s) and www. links wrapped in <a href>, and
 * "@@self_name" (may be NULL) in bold. Nothing in @text can add markup of
 * its own. */
char     *cohort_chat_text_to_markup      (const char *text,
                                           const char *self_name);

G_END_DECLS
