/* cohort-ai-markup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <string.h>

#include "cohort-ai-markup.h"

#define CODE_OPEN  "<span font_family=\"monospace\" bgcolor=\"#808080\" bgalpha=\"18%\">"
#define CODE_CLOSE "</span>"

static void
append_escaped (GString    *out,
                const char *text,
                gssize      length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (out, escaped);
}

/* Inline spans: `code` and **bold**; an unmatched marker stays literal. */
static void
append_inline (GString    *out,
               const char *line)
{
  const char *p = line;

  while (*p != '\0')
    {
      if (*p == '`')
        {
          const char *end = strchr (p + 1, '`');

          if (end != NULL && end > p + 1)
            {
              g_string_append (out, CODE_OPEN);
              append_escaped (out, p + 1, end - p - 1);
              g_string_append (out, CODE_CLOSE);
              p = end + 1;
              continue;
            }
        }
      else if (p[0] == '*' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "**");

          if (end != NULL && end > p + 2)
            {
              g_string_append (out, "<b>");
              append_escaped (out, p + 2, end - p - 2);
              g_string_append (out, "</b>");
              p = end + 2;
              continue;
            }
        }

      {
        const char *next = p + 1;

        while (*next != '\0' && *next != '`' && *next != '*')
          next++;
        append_escaped (out, p, next - p);
        p = next;
      }
    }
}

static gboolean
list_item (const char  *line,
           const char **out_rest,
           char       **out_bullet)
{
  const char *p = line;

  while (*p == ' ')
    p++;

  if ((*p == '-' || *p == '*' || *p == '+') && p[1] == ' ')
    {
      *out_rest = p + 2;
      *out_bullet = g_strdup ("•");
      return TRUE;
    }

  if (g_ascii_isdigit (*p))
    {
      const char *q = p;

      while (g_ascii_isdigit (*q))
        q++;
      if ((*q == '.' || *q == ')') && q[1] == ' ' && q - p <= 3)
        {
          *out_rest = q + 2;
          *out_bullet = g_strndup (p, q - p + 1);
          return TRUE;
        }
    }

  return FALSE;
}

char *
cohort_ai_markup_to_pango (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gboolean in_code = FALSE;
  gboolean need_break = FALSE;   /* a line was written since the last break */
  gboolean blank_pending = FALSE;

  if (text == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      return cohort_ai_markup_to_pango (valid);
    }

  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *rest;
      g_autofree char *bullet = NULL;
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        lines[i][--len] = '\0';

      {
        const char *trimmed = line;

        while (*trimmed == ' ')
          trimmed++;
        if (g_str_has_prefix (trimmed, "```"))
          {
            /* A fence: code blocks stand apart from the text around them. */
            if (!in_code && need_break)
              g_string_append (out, "\n\n");
            blank_pending = in_code;
            need_break = in_code ? need_break : FALSE;
            in_code = !in_code;
            continue;
          }
      }

      if (in_code)
        {
          if (need_break)
            g_string_append_c (out, '\n');
          g_string_append (out, CODE_OPEN);
          append_escaped (out, *line != '\0' ? line : " ", -1);
          g_string_append (out, CODE_CLOSE);
          need_break = TRUE;
          continue;
        }

      if (*g_strstrip (lines[i]) == '\0')
        {
          blank_pending = need_break;
          continue;
        }
      line = lines[i];

      if (need_break)
        g_string_append (out, blank_pending ? "\n\n" : "\n");
      blank_pending = FALSE;

      if (list_item (line, &rest, &bullet))
        {
          g_string_append_printf (out, "  %s ", bullet);
          append_inline (out, rest);
        }
      else if (line[0] == '#')
        {
          const char *title = line;

          while (*title == '#')
            title++;
          while (*title == ' ')
            title++;
          g_string_append (out, "<b>");
          append_escaped (out, title, -1);
          g_string_append (out, "</b>");
        }
      else
        append_inline (out, line);

      need_break = TRUE;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
