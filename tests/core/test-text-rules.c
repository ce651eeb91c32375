/* test-text-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "cohort-text-rules.h"

typedef struct
{
  const char      *raw;
  CohortTextFlags  flags;
  const char      *want;     /* NULL: refused with reason */
  int              reason;
} Case;

#define LINE    COHORT_TEXT_LINE
#define LINES   COHORT_TEXT_LINES
#define CHAT    (COHORT_TEXT_LINES | COHORT_TEXT_LENIENT)
#define BAD     COHORT_INVALID_BAD_TEXT
#define RANGE   COHORT_INVALID_OUT_OF_RANGE

static const Case cases[] = {
  /* plain text, trimmed */
  { "  Mei Chen \u3000", LINE, "Mei Chen", 0 },
  { "梅 🌸", LINE, "梅 🌸", 0 },
  { "Zoë", LINE, "Zoë", 0 },
  { "a\tb", LINE, "a b", 0 },
  { "\tZoë\n", LINE, "Zoë", 0 },
  /* bidi embeddings, overrides, isolates and marks go */
  { "Eve\u202e (Teacher)", LINE, "Eve (Teacher)", 0 },
  { "\u202aa\u202bb\u202cc\u202dd\u202ee", LINE, "abcde", 0 },
  { "\u2066a\u2067b\u2068c\u2069d", LINE, "abcd", 0 },
  { "a\u200eb\u200fc\u061cd", LINE, "abcd", 0 },
  /* zero-width characters go; one joiner between two letters stays */
  { "Ev\u200be", LINE, "Eve", 0 },
  { "Ev\u2060e\ufeff", LINE, "Eve", 0 },
  { "Mi\u00adke", LINE, "Mike", 0 },
  { "خانه\u200cها", LINE, "خانه\u200cها", 0 },
  { "👨\u200d👩\u200d👧", LINE, "👨\u200d👩\u200d👧", 0 },
  /* a flag's tag sequence stays */
  { "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", LINE,
    "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 0 },
  /* names made only of invisible characters */
  { "\u3164", LINE, NULL, BAD },
  { "\u115f", LINE, NULL, BAD },
  { "\u1160", LINE, NULL, BAD },
  { "\uffa0", LINE, NULL, BAD },
  { "\u200b", LINE, NULL, BAD },
  { "\u2800", LINE, NULL, BAD },
  { "\u202e", LINE, NULL, BAD },
  { " \u3164 \u3164 ", LINE, NULL, BAD },
  { "\u200b\u200b\u200b\u2060\ufeff", CHAT, NULL, BAD },
  /* more invisible than visible */
  { "ab\u200b\u200b\u200b", LINE, NULL, BAD },
  { "a\u3164", LINE, "a", 0 },
  /* only combining marks: nothing to see */
  { "\u0301\u0302", LINE, NULL, BAD },
  { "\ufe0f", LINE, NULL, BAD },
  /* Zalgo is capped */
  { "a\u0301\u0302\u0303\u0304\u0305\u0306", LINE, "a\u0301\u0302\u0303\u0304", 0 },
  /* control characters and line breaks */
  { "a\x07" "b", LINE, NULL, BAD },
  { "a\x1b[31m", LINE, NULL, BAD },
  { "a\x7f", LINE, NULL, BAD },
  { "a\nb", LINE, NULL, BAD },
  { "a\u2028b", LINE, NULL, BAD },
  { "a\xc2\x85" "b", LINE, NULL, BAD },
  { "a\ue000b", LINE, NULL, BAD },                   /* private use */
  { "a\u0378b", LINE, NULL, BAD },                   /* unassigned */
  /* Emoji and ideographs newer than GLib's Unicode tables (Unicode 15.0
   * in GLib 2.74) that phones already send: 🫩 U+1FAE9 and 🫆 U+1FAC6
   * (Unicode 16), U+2EBF0 (CJK extension I), U+31350 (extension H). */
  { "Mia \U0001FAE9", LINE, "Mia \U0001FAE9", 0 },
  { "\U0001FAC6\U0001FAE9", LINE, "\U0001FAC6\U0001FAE9", 0 },
  { "\U0002EBF0\U00031350", LINE, "\U0002EBF0\U00031350", 0 },
  { "Why \U0001FAE9?\nBecause.", LINES, "Why \U0001FAE9?\nBecause.", 0 },
  { "a\x07" "b", CHAT, "ab", 0 },
  { "a\ue000b", CHAT, "a\ue000b", 0 },
  { "one\r\ntwo\rthree\u2028four", LINES, "one\ntwo\nthree\nfour", 0 },
  { "one\n\n\n\ntwo", LINES, "one\n\ntwo", 0 },
  { "code:\n\tindented", LINES, "code:\n\tindented", 0 },
  { "a\x07" "b", LINES, NULL, BAD },
  { "note \u202eevil\u202c", LINES, "note evil", 0 },
  /* empty */
  { "", LINE, NULL, RANGE },
  { "   ", LINE, NULL, RANGE },
  { "\x01\x02", CHAT, NULL, RANGE },
  /* not UTF-8 */
  { "ok\xff", LINE, NULL, BAD },
  { "ok\xff", CHAT, NULL, BAD },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;
      int reason = -1;

      g_autofree char *shown = g_strescape (cases[i].raw, NULL);

      /* Escaped: TAP output must stay UTF-8. */
      g_test_message ("case %u: %s", i, shown);
      got = cohort_text_clean (cases[i].raw, cases[i].flags, 1, 64, &reason, &error);
      if (cases[i].want != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (got, ==, cases[i].want);
        }
      else
        {
          g_assert_null (got);
          g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
          g_assert_cmpint (reason, ==, cases[i].reason);
        }
    }
}

static void
test_lengths (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty_ok = cohort_text_clean ("  \t ", LINE, 0, 10, NULL, &error);
  g_autofree char *cjk = cohort_text_clean ("学学学", LINE, 1, 3, NULL, &error);
  g_autofree char *invisible_not_counted = cohort_text_clean ("ab\u200bc", LINE, 1, 3, NULL, &error);
  int reason = 0;

  /* A field that may be empty (a topic being cleared). */
  g_assert_no_error (error);
  g_assert_cmpstr (empty_ok, ==, "");
  /* Characters, not bytes; after the rules. */
  g_assert_cmpstr (cjk, ==, "学学学");
  g_assert_cmpstr (invisible_not_counted, ==, "abc");
  g_assert_null (cohort_text_clean ("学学学学", LINE, 1, 3, &reason, &error));
  g_assert_cmpint (reason, ==, RANGE);
  g_clear_error (&error);
  g_assert_null (cohort_text_clean ("ab", LINE, 3, 5, &reason, &error));
  g_assert_cmpint (reason, ==, RANGE);
}

static void
test_invisible_set (void)
{
  const gunichar invisible[] = {
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069,
    0x2800, 0x3164, 0xFEFF, 0xFFA0, 0xE0001,
  };
  const gunichar visible[] = { 'a', 0x00E9, 0x6885, 0x1F338, 0x0627 };

  for (guint i = 0; i < G_N_ELEMENTS (invisible); i++)
    g_assert_true (cohort_text_is_invisible (invisible[i]));
  for (guint i = 0; i < G_N_ELEMENTS (visible); i++)
    g_assert_false (cohort_text_is_invisible (visible[i]));
}

/* Long texts pasted from a web page or a word processor carry soft
 * hyphens and bidi marks here and there, dropped one by one; more than 32
 * of them refused a whole AI question or note. One line (a name, a
 * title) keeps the cap, and a text still needs more visible than
 * invisible characters. */
static void
test_long_text_invisible (void)
{
  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GString) want = g_string_new (NULL);
  g_autoptr(GString) name = g_string_new ("Eve");
  g_autoptr(GString) spam = g_string_new ("a");
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  int reason = -1;

  for (guint i = 0; i < 60; i++)
    {
      const char *mark = i % 2 == 0 ? "\u00ad" : "\u200f";

      g_string_append_printf (raw, "Photo%ssynthesis step %u.%s", mark, i, i % 10 == 9 ? "\n" : " ");
      g_string_append_printf (want, "Photosynthesis step %u.%s", i, i % 10 == 9 ? "\n" : " ");
    }
  g_strchomp (want->str);
  g_string_set_size (want, strlen (want->str));

  got = cohort_text_clean (raw->str, COHORT_TEXT_LINES, 1, 4000, &reason, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, want->str);
  g_clear_pointer (&got, g_free);
  got = cohort_text_clean (raw->str, COHORT_TEXT_LINES | COHORT_TEXT_LENIENT, 1, 4000, &reason, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, want->str);
  g_clear_pointer (&got, g_free);

  /* One line keeps the cap. */
  for (guint i = 0; i <= COHORT_TEXT_MAX_INVISIBLE; i++)
    g_string_append (name, "\u00ad" "abc");
  got = cohort_text_clean (name->str, COHORT_TEXT_LINE, 1, 400, &reason, &error);
  g_assert_null (got);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_assert_cmpint (reason, ==, COHORT_INVALID_BAD_TEXT);
  g_clear_error (&error);

  /* Spam is still refused: mostly invisible. */
  for (guint i = 0; i < 200; i++)
    g_string_append (spam, "\u200b");
  got = cohort_text_clean (spam->str, COHORT_TEXT_LINES | COHORT_TEXT_LENIENT, 1, 4000, &reason, &error);
  g_assert_null (got);
  g_assert_cmpint (reason, ==, COHORT_INVALID_BAD_TEXT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/text-rules/table", test_table);
  g_test_add_func ("/cohort/text-rules/lengths", test_lengths);
  g_test_add_func ("/cohort/text-rules/invisible-set", test_invisible_set);
  g_test_add_func ("/cohort/text-rules/long-text-invisible", test_long_text_invisible);

  return g_test_run ();
}
