/* test-chat-text.c: chat text rules and the safe linkifier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-chat-protocol.h"
#include "cohort-chat-text.h"
#include "cohort-protocol.h"

static void
check_markup (const char *text,
              const char *self_name,
              const char *expected)
{
  g_autofree char *markup = cohort_chat_text_to_markup (text, self_name);

  g_assert_cmpstr (markup, ==, expected);
}

static void
test_markup_inert (void)
{
  /* Pango markup and HTML from the network show as typed. */
  check_markup ("<b>bold</b>", NULL, "&lt;b&gt;bold&lt;/b&gt;");
  check_markup ("a & b &amp; <span foreground='red'>x</span>", NULL,
                "a &amp; b &amp;amp; &lt;span foreground=&apos;red&apos;&gt;x&lt;/span&gt;");
  check_markup ("<a href=\"javascript:alert(1)\">click</a>", NULL,
                "&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;");
  /* Only http(s) becomes a link. */
  check_markup ("javascript:alert(1) file:///etc/passwd", NULL,
                "javascript:alert(1) file:///etc/passwd");
}

static void
test_links (void)
{
  check_markup ("see https://example.org/a?b=1&c=2.", NULL,
                "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>.");
  check_markup ("(www.gnome.org)", NULL,
                "(<a href=\"https://www.gnome.org\">www.gnome.org</a>)");
  check_markup ("http://x\"><b>y</b>", NULL, "http://x&quot;&gt;&lt;b&gt;y&lt;/b&gt;");
  check_markup ("https://en.wikipedia.org/wiki/Foo_(bar)", NULL,
                "<a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\">https://en.wikipedia.org/wiki/Foo_(bar)</a>");
  check_markup ("https:// nothing", NULL, "https:// nothing");
}

static void
test_mentions (void)
{
  g_assert_true (cohort_chat_text_mentions ("hi @Mei!", "Mei"));
  g_assert_true (cohort_chat_text_mentions ("@mei lin look", "Mei Lin"));
  g_assert_false (cohort_chat_text_mentions ("hi @Meiling", "Mei"));
  g_assert_false (cohort_chat_text_mentions ("mail@Mei", "Mei"));
  g_assert_false (cohort_chat_text_mentions ("hi Mei", "Mei"));
  check_markup ("ask @Mei <now>", "Mei", "ask <b>@Mei</b> &lt;now&gt;");
  check_markup ("@<b>", "<b>", "<b>@&lt;b&gt;</b>");
}

static void
test_clean (void)
{
  g_autofree char *a = cohort_chat_clean_text ("x\u200By\u200Cz", NULL, NULL);
  g_autofree char *b = cohort_chat_clean_text ("👍🏽 ok\r\r", NULL, NULL);
  int reason = 0;

  /* A zero-width space goes; a single non-joiner between letters stays. */
  g_assert_cmpstr (a, ==, "xy\u200Cz");
  g_assert_cmpstr (b, ==, "👍🏽 ok");
  g_assert_null (cohort_chat_clean_text ("\u200B\u200B\u200B", &reason, NULL));
  g_assert_cmpint (reason, ==, COHORT_INVALID_BAD_TEXT);
  g_assert_null (cohort_chat_clean_text ("\x01\x02", &reason, NULL));
  g_assert_cmpint (reason, ==, COHORT_INVALID_OUT_OF_RANGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/chat-text/markup-inert", test_markup_inert);
  g_test_add_func ("/cohort/chat-text/links", test_links);
  g_test_add_func ("/cohort/chat-text/mentions", test_mentions);
  g_test_add_func ("/cohort/chat-text/clean", test_clean);

  return g_test_run ();
}
