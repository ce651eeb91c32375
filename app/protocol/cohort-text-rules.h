/* cohort-text-rules.h: the rules every human-readable text follows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* docs/protocol.md, "Text rules", is the reference for these. */
#define COHORT_TEXT_MAX_INVISIBLE 32
#define COHORT_TEXT_MAX_COMBINING 4

typedef enum
{
  /* One line: a line break or a control character is refused. */
  COHORT_TEXT_LINE          = 0,
  /* Several lines: CR LF and the Unicode line breaks become LF, and at
   * most one blank line is kept in a row. */
  COHORT_TEXT_LINES         = 1 << 0,
  /* Chat: control characters are dropped instead of refused, and private
   * use or unassigned code points pass. */
  COHORT_TEXT_LENIENT       = 1 << 1,
} CohortTextFlags;

/* The one text rule for names, titles, notes, answers, chat messages and
 * every other text people read: @raw must be valid UTF-8; tabs become
 * spaces (on several lines, outside chat, they stay); invisible characters
 * (format characters such as the bidi overrides U+202A–U+202E and isolates
 * U+2066–U+2069, zero-width characters, the Hangul fillers U+115F, U+1160,
 * U+3164, U+FFA0, the Braille blank U+2800) are dropped, except one
 * zero-width (non-)joiner between two visible characters and an emoji
 * flag's tag sequence; combining marks are capped at
 * COHORT_TEXT_MAX_COMBINING per character; the result is trimmed and must
 * be @min_chars..@max_chars characters.
 *
 * Fails (COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID, a sentence about
 * "the text") with *@out_reason (a CohortInvalidReason, may be NULL) set
 * to COHORT_INVALID_BAD_TEXT for bad UTF-8, a refused character, more
 * than COHORT_TEXT_MAX_INVISIBLE invisible characters (on several lines:
 * and more than a quarter as many as visible ones) or more invisible
 * than visible ones, or text with no visible character; and to
 * COHORT_INVALID_OUT_OF_RANGE for a length outside the range (an empty
 * text included). */
char *cohort_text_clean (const char       *raw,
                         CohortTextFlags   flags,
                         guint             min_chars,
                         guint             max_chars,
                         int              *out_reason,
                         GError          **error);

/* TRUE for a character the rules drop as invisible. */
gboolean cohort_text_is_invisible (gunichar c);

G_END_DECLS
