/* cohort-text-rules.c: the rules every human-readable text follows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-text-rules"

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "cohort-text-rules.h"

/* These were the chat's rules; names, notes, answers and titles get the
 * same ones, so an RTL override or a name of one Hangul filler cannot make
 * a roster row, a toast or a leaderboard lie about who is who. */

gboolean
cohort_text_is_invisible (gunichar c)
{
  /* Cf: soft hyphen, bidi marks, embeddings, overrides and isolates,
   * zero-width space and joiners, word joiner, BOM, tags… */
  if (g_unichar_type (c) == G_UNICODE_FORMAT)
    return TRUE;

  switch (c)
    {
    case 0x034F:                  /* combining grapheme joiner */
    case 0x115F: case 0x1160:     /* Hangul fillers */
    case 0x180B: case 0x180C: case 0x180D: case 0x180F:
    case 0x2800:                  /* Braille pattern blank */
    case 0x3164: case 0xFFA0:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_combining (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_visible (gunichar c)
{
  return c != 0 && !g_unichar_isspace (c) && !cohort_text_is_invisible (c) &&
         g_unichar_type (c) != G_UNICODE_CONTROL;
}

static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x0085 ||
         c == 0x000B || c == 0x000C;
}

/* Unassigned in GLib's tables (Unicode 15.0 in GLib 2.74), but in blocks
 * where Unicode only ever puts pictographs or ideographs: the emoji of
 * Unicode 16 and later (🫩 U+1FAE9), which phones send, and the CJK
 * extensions of planes 2 and 3 (U+2EBF0…). They are visible, never format
 * or control characters, so a name or an answer with one is not refused. */
static gboolean
is_newer_symbol (gunichar c)
{
  return (c >= 0x1F000 && c <= 0x1FBFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

static gboolean
is_refused (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_UNASSIGNED:
      return !is_newer_symbol (c);
    case G_UNICODE_CONTROL:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_PRIVATE_USE:
      return TRUE;
    default:
      return FALSE;
    }
}

static gunichar
last_char (GString *out)
{
  if (out->len == 0)
    return 0;
  return g_utf8_get_char (g_utf8_find_prev_char (out->str, out->str + out->len));
}

static char *
fail_text (int         *out_reason,
           GError     **error,
           int          reason,
           const char  *message)
{
  if (out_reason != NULL)
    *out_reason = reason;
  g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID, message);
  return NULL;
}

/* [*start, *end) without white space at either end. */
static void
trim (const char **start,
      const char **end)
{
  while (*start < *end && g_unichar_isspace (g_utf8_get_char (*start)))
    *start = g_utf8_next_char (*start);
  while (*end > *start)
    {
      const char *prev = g_utf8_prev_char (*end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      *end = prev;
    }
}

char *
cohort_text_clean (const char       *raw,
                   CohortTextFlags   flags,
                   guint             min_chars,
                   guint             max_chars,
                   int              *out_reason,
                   GError          **error)
{
  g_autoptr(GString) out = NULL;
  gboolean lines = (flags & COHORT_TEXT_LINES) != 0;
  gboolean lenient = (flags & COHORT_TEXT_LENIENT) != 0;
  const char *p;
  const char *stop;
  const char *start;
  const char *end;
  guint dropped = 0;
  guint visible = 0;
  guint marks = 0;
  glong n_chars;

  if (raw == NULL || !g_utf8_validate (raw, -1, NULL))
    return fail_text (out_reason, error, COHORT_INVALID_BAD_TEXT, "The text is not valid UTF-8.");

  /* White space around the text (line breaks included) is not part of it. */
  p = raw;
  stop = raw + strlen (raw);
  trim (&p, &stop);

  out = g_string_sized_new (stop - p);
  while (p < stop)
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      /* Tabs indent code in an answer or a question; a name has none. */
      if (c == '\t' && !(lines && !lenient))
        c = ' ';

      if (c == '\t')
        g_string_append_c (out, '\t');
      else if (is_line_break (c))
        {
          if (!lines)
            return fail_text (out_reason, error, COHORT_INVALID_BAD_TEXT,
                              "The text must be one line.");
          if (c == '\r' && next < stop && *next == '\n')
            {
              p = next;
              continue;
            }
          if (!(out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n'))
            g_string_append_c (out, '\n');
          marks = 0;
        }
      else if (cohort_text_is_invisible (c))
        {
          const char *q = p;
          guint run = 0;
          gboolean all_tags = TRUE;
          gunichar last = 0;
          gunichar prev = last_char (out);

          while (q < stop && cohort_text_is_invisible (g_utf8_get_char (q)))
            {
              last = g_utf8_get_char (q);
              if (last < 0xE0020 || last > 0xE007F)
                all_tags = FALSE;
              run++;
              q = g_utf8_next_char (q);
            }

          if (all_tags && last == 0xE007F && run <= 12 && prev == 0x1F3F4)
            g_string_append_len (out, p, q - p);               /* a flag sequence */
          else if (run == 1 && (c == 0x200D || c == 0x200C) &&
                   is_visible (prev) && q < stop && is_visible (g_utf8_get_char (q)))
            g_string_append_unichar (out, c);                  /* one joiner */
          else
            dropped += run;

          p = q;
          continue;
        }
      else if (is_refused (c))
        {
          if (!lenient)
            return fail_text (out_reason, error, COHORT_INVALID_BAD_TEXT,
                              "The text contains a control character.");
          if (g_unichar_type (c) != G_UNICODE_CONTROL)
            {
              g_string_append_unichar (out, c);
              visible++;
              marks = 0;
            }
        }
      else if (is_combining (c))
        {
          if (marks < COHORT_TEXT_MAX_COMBINING)
            g_string_append_unichar (out, c);
          marks++;
        }
      else
        {
          /* The bytes as they came (valid UTF-8 already), but a tab. */
          if (c != (gunichar) *p)
            g_string_append_unichar (out, c);
          else
            g_string_append_len (out, p, next - p);
          if (!g_unichar_isspace (c))
            visible++;
          marks = 0;
        }

      p = next;
    }

  /* A name or a title has no room for invisible characters. A long text
   * pasted from a web page or a word processor carries soft hyphens and
   * bidi marks here and there: it may drop more, while they stay under a
   * quarter of what is seen. */
  if ((dropped > COHORT_TEXT_MAX_INVISIBLE && (!lines || dropped * 4 > visible)) ||
      (dropped > 0 && dropped > visible))
    return fail_text (out_reason, error, COHORT_INVALID_BAD_TEXT,
                      "The text is mostly invisible characters.");

  start = out->str;
  end = out->str + out->len;
  trim (&start, &end);

  if (start == end && min_chars == 0)
    return g_strdup ("");
  if (start == end)
    return fail_text (out_reason, error, COHORT_INVALID_OUT_OF_RANGE, "The text is empty.");
  if (visible == 0)
    return fail_text (out_reason, error, COHORT_INVALID_BAD_TEXT,
                      "The text has no visible character.");

  n_chars = g_utf8_strlen (start, end - start);
  if (n_chars < (glong) min_chars || n_chars > (glong) max_chars)
    {
      if (out_reason != NULL)
        *out_reason = COHORT_INVALID_OUT_OF_RANGE;
      g_set_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                   "The text must be %u to %u characters long.", min_chars, max_chars);
      return NULL;
    }

  return g_strndup (start, end - start);
}
