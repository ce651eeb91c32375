/* test-roster-csv.c: rosters from spreadsheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cohort-roster-csv.h"

typedef struct
{
  const char *what;
  const char *text;
  /* "name|number;name|number" ("-" for no number); NULL: an error */
  const char *expected;
  /* the line the error names */
  guint       error_line;
} Case;

static const Case cases[] = {
  { "plain", "Sam\nLin\n", "Sam|-;Lin|-", 0 },
  { "with numbers", "Sam,S-001\nLin,S-002", "Sam|S-001;Lin|S-002", 0 },
  { "header row", "Name,Student number\nSam,1\n", "Sam|1", 0 },
  { "Chinese header", "姓名,学号\n张伟,2024001\n", "张伟|2024001", 0 },
  { "semicolons", "name;number\r\nSam;1\r\nLin;2\r\n", "Sam|1;Lin|2", 0 },
  { "comma inside quotes", "\"Li, Mei\",7\n", "Li, Mei|7", 0 },
  { "quote inside quotes", "\"Sam \"\"The Man\"\" Lee\"\n", "Sam \"The Man\" Lee|-", 0 },
  { "line break inside quotes", "\"Sam\nLee\",1\n", NULL, 1 },
  { "BOM", "\xEF\xBB\xBFName\nSam\n", "Sam|-", 0 },
  { "blank lines and spaces", "\n  Sam  ,  9 \n\n,\nLin\n", "Sam|9;Lin|-", 0 },
  { "empty number", "Sam,\n", "Sam|-", 0 },
  { "empty file", "", "", 0 },
  { "empty name", "Sam,1\n,2\n", NULL, 2 },
  { "unclosed quote", "Sam\n\"Lin,2\nMei\n", NULL, 2 },
  { "too many columns", "Sam,1,extra\n", NULL, 1 },
  { "extra empty columns", "Sam,1,,\n", "Sam|1", 0 },
  { "name too long",
    "Sam\nAaaaaaaaaaAaaaaaaaaaAaaaaaaaaaAaaaaaaaaaAaaaaaaaaaAaaaaaaaaaAaaaaa\n", NULL, 2 },
  { "control character", "Sam\x01\n", NULL, 1 },
  { "not UTF-8", "S\xff\n", NULL, 0 },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) entries = cohort_roster_csv_parse (c->text, &error);
      g_autoptr(GString) got = g_string_new (NULL);

      g_test_message ("case: %s", c->what);
      if (c->expected == NULL)
        {
          g_assert_null (entries);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          if (c->error_line > 0)
            {
              g_autofree char *prefix = g_strdup_printf ("Line %u:", c->error_line);

              g_assert_true (g_str_has_prefix (error->message, prefix));
            }
          continue;
        }

      g_assert_no_error (error);
      for (guint j = 0; j < entries->len; j++)
        {
          CohortRosterEntry *entry = g_ptr_array_index (entries, j);

          g_string_append_printf (got, "%s%s|%s", j > 0 ? ";" : "", entry->name,
                                  entry->number != NULL ? entry->number : "-");
        }
      g_assert_cmpstr (got->str, ==, c->expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/roster-csv/cases", test_cases);

  return g_test_run ();
}
