/* cohort-chat-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-chat-text"

#include "config.h"

#include <string.h>

#include "cohort-chat-text.h"

/* Byte length of the "@name" mention at @p, or 0. */
static gsize
mention_at (const char *p,
            const char *name)
{
  g_autofree char *want = NULL;
  glong n_chars;
  const char *end;
  gunichar next;

  if (*p != '@' || name == NULL || *name == '\0')
    return 0;

  n_chars = g_utf8_strlen (name, -1);
  end = p + 1;
  for (glong i = 0; i < n_chars; i++)
    {
      if (*end == '\0')
        return 0;
      end = g_utf8_next_char (end);
    }

  {
    g_autofree char *a = g_utf8_casefold (p + 1, end - (p + 1));
    g_autofree char *b = g_utf8_casefold (name, -1);

    if (g_strcmp0 (a, b) != 0)
      return 0;
  }

  next = g_utf8_get_char (end);
  if (next != 0 && g_unichar_isalnum (next))
    return 0;
  return end - p;
}

gboolean
cohort_chat_text_mentions (const char *text,
                           const char *name)
{
  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (mention_at (p, name) > 0 && (p == text || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (p)))))
      return TRUE;
  return FALSE;
}

/* Length of a link starting at @p, or 0. */
static gsize
link_at (const char *start,
         const char *p)
{
  const char *end;

  if (p != start)
    {
      gunichar prev = g_utf8_get_char (g_utf8_prev_char (p));

      if (g_unichar_isalnum (prev) || prev == '/' || prev == '.' || prev == '@')
        return 0;
    }

  if (g_ascii_strncasecmp (p, "https://", 8) != 0 &&
      g_ascii_strncasecmp (p, "http://", 7) != 0 &&
      g_ascii_strncasecmp (p, "www.", 4) != 0)
    return 0;

  end = p;
  while (*end != '\0' && !g_ascii_isspace (*end) && *end != '<' && *end != '>' &&
         *end != '"' && *end != '\'' && (guchar) *end >= 0x21 && (guchar) *end < 0x7f)
    end++;

  /* Trailing punctuation belongs to the sentence. */
  while (end > p && strchr (".,;:!?)]}", end[-1]) != NULL)
    {
      if (end[-1] == ')' && memchr (p, '(', end - p) != NULL)
        break;
      end--;
    }

  /* Just the scheme is not a link. */
  {
    const char *host = strstr (p, "://");

    host = (host != NULL && host < end) ? host + 3 : p;
    if (g_ascii_strncasecmp (host, "www.", 4) == 0)
      host += 4;
    if (end - host < 3 || memchr (host, '.', end - host) == NULL)
      return 0;
  }

  return end - p;
}

static void
append_escaped (GString    *out,
                const char *text,
                gssize      len)
{
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (out, escaped);
}

static void
append_plain (GString    *out,
              const char *text,
              gsize       len,
              const char *self_name)
{
  const char *p = text;
  const char *run = text;
  const char *end = text + len;

  while (p < end)
    {
      gsize m = mention_at (p, self_name);

      if (m > 0 && p + m <= end &&
          (p == text || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (p)))))
        {
          append_escaped (out, run, p - run);
          g_string_append (out, "<b>");
          append_escaped (out, p, m);
          g_string_append (out, "</b>");
          p += m;
          run = p;
          continue;
        }
      p = g_utf8_next_char (p);
    }
  append_escaped (out, run, end - run);
}

char *
cohort_chat_text_to_markup (const char *text,
                            const char *self_name)
{
  GString *out = g_string_new (NULL);
  const char *p;
  const char *run;

  if (text == NULL)
    return g_string_free (out, FALSE);

  p = run = text;
  while (*p != '\0')
    {
      gsize n = link_at (text, p);

      if (n > 0)
        {
          g_autofree char *url = g_strndup (p, n);
          g_autofree char *href = NULL;

          append_plain (out, run, p - run, self_name);
          if (g_ascii_strncasecmp (url, "www.", 4) == 0)
            href = g_strconcat ("https://", url, NULL);
          else
            href = g_strdup (url);
          g_string_append (out, "<a href=\"");
          append_escaped (out, href, -1);
          g_string_append (out, "\">");
          append_escaped (out, url, -1);
          g_string_append (out, "</a>");
          p += n;
          run = p;
          continue;
        }
      p = g_utf8_next_char (p);
    }
  append_plain (out, run, p - run, self_name);

  return g_string_free (out, FALSE);
}
