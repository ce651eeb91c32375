/* cohort-roster-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-roster-csv"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cohort-identity-protocol.h"
#include "cohort-protocol.h"
#include "cohort-roster-csv.h"

void
cohort_roster_entry_free (CohortRosterEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->number);
  g_free (entry);
}

/* The first row's separator: whichever of ';' and ',' comes first outside
 * quotes (a name may hold a comma only inside quotes). */
static char
detect_separator (const char *p)
{
  gboolean quoted = FALSE;

  for (; *p != '\0' && (quoted || (*p != '\n' && *p != '\r')); p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == ';' || *p == ','))
        return *p;
    }
  return ',';
}

static gboolean
is_header (GPtrArray *fields)
{
  static const char * const titles[] = { "name", "names", "student", "student name", "full name",
                                         "姓名", "名字", "学生", "学生姓名", NULL };
  g_autofree char *first = NULL;

  if (fields->len == 0)
    return FALSE;
  first = g_utf8_casefold (g_ptr_array_index (fields, 0), -1);
  return g_strv_contains (titles, g_strstrip (first));
}

/* Reads one row from *@p into @fields; advances *@p past its line break.
 * @line counts lines (a quoted field may span several). */
static gboolean
read_row (const char **p,
          char         separator,
          GPtrArray   *fields,
          guint       *line,
          GError     **error)
{
  g_autoptr(GString) field = g_string_new (NULL);
  const char *s = *p;
  guint start_line = *line;

  for (;;)
    {
      if (*s == '"' && field->len == 0)
        {
          /* A quoted field: up to the closing quote; "" is a quote. */
          s++;
          for (;;)
            {
              if (*s == '\0')
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Line %u: a quoted field has no closing quote."), start_line);
                  return FALSE;
                }
              if (*s == '"' && s[1] == '"')
                {
                  g_string_append_c (field, '"');
                  s += 2;
                  continue;
                }
              if (*s == '"')
                {
                  s++;
                  break;
                }
              if (*s == '\n')
                (*line)++;
              g_string_append_c (field, *s++);
            }
          /* Anything between the closing quote and the separator is kept. */
        }
      while (*s != '\0' && *s != separator && *s != '\n' && *s != '\r')
        g_string_append_c (field, *s++);

      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);

      if (*s == separator)
        {
          s++;
          continue;
        }
      if (*s == '\r')
        s++;
      if (*s == '\n')
        s++;
      break;
    }

  (*line)++;
  *p = s;
  return TRUE;
}

GPtrArray *
cohort_roster_csv_parse (const char  *text,
                         GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_roster_entry_free);
  const char *p;
  char separator;
  guint line = 1;
  gboolean first_row = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."));
      return NULL;
    }

  p = text;
  if (g_str_has_prefix (p, "\xEF\xBB\xBF"))
    p += 3;
  separator = detect_separator (p);

  while (*p != '\0')
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) text_error = NULL;
      g_autoptr(CohortRosterEntry) entry = NULL;
      guint row_line = line;
      const char *raw_number;
      gboolean blank = TRUE;

      if (!read_row (&p, separator, fields, &line, error))
        return NULL;

      for (guint i = 0; i < fields->len; i++)
        if (*g_strstrip ((char *) g_ptr_array_index (fields, i)) != '\0')
          blank = FALSE;
      if (blank)
        continue;

      if (first_row)
        {
          first_row = FALSE;
          if (is_header (fields))
            continue;
        }

      if (fields->len > 2)
        for (guint i = 2; i < fields->len; i++)
          if (*(char *) g_ptr_array_index (fields, i) != '\0')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Line %u: expected a name and an optional student number, found %u columns."),
                           row_line, fields->len);
              return NULL;
            }

      entry = g_new0 (CohortRosterEntry, 1);
      entry->name = cohort_protocol_normalize_text (g_ptr_array_index (fields, 0), COHORT_MAX_NAME_CHARS,
                                                    &text_error);
      if (entry->name == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       *(char *) g_ptr_array_index (fields, 0) == '\0'
                       ? _("Line %u: the name is empty.")
                       : _("Line %u: the name is longer than 64 characters or holds a control character."),
                       row_line);
          return NULL;
        }

      raw_number = fields->len > 1 ? g_ptr_array_index (fields, 1) : "";
      if (*raw_number != '\0')
        {
          g_clear_error (&text_error);
          entry->number = cohort_protocol_normalize_text (raw_number, COHORT_MAX_STUDENT_NUMBER_CHARS,
                                                          &text_error);
          if (entry->number == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Line %u: the student number is longer than 32 characters or holds a control character."),
                           row_line);
              return NULL;
            }
        }

      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }

  return g_steal_pointer (&entries);
}

void
cohort_csv_append_field (GString    *csv,
                         const char *text)
{
  if (text == NULL)
    text = "";
  /* A leading =, +, - or @ would run as a formula in a spreadsheet. */
  if (strpbrk (text, ",\"\r\n") != NULL || strchr ("=+-@", text[0]) != NULL)
    {
      g_string_append_c (csv, '"');
      if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
        g_string_append_c (csv, '\'');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (csv, '"');
          g_string_append_c (csv, *p);
        }
      g_string_append_c (csv, '"');
    }
  else
    g_string_append (csv, text);
}
