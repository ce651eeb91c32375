/* test-json-strict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-json-strict.h"

typedef struct
{
  const char             *json;
  CohortJsonStrictResult  want;
} Case;

#define OK          COHORT_JSON_STRICT_OK
#define SYNTAX      COHORT_JSON_STRICT_SYNTAX
#define TRAILING    COHORT_JSON_STRICT_TRAILING
#define UNICODE     COHORT_JSON_STRICT_BAD_UNICODE
#define NUL         COHORT_JSON_STRICT_NUL
#define DUPLICATE   COHORT_JSON_STRICT_DUPLICATE_KEY
#define DEEP        COHORT_JSON_STRICT_TOO_DEEP
#define NOT_OBJECT  COHORT_JSON_STRICT_NOT_OBJECT

static const Case cases[] = {
  /* accepted */
  { "{}", OK },
  { " \t\r\n{ } \n", OK },
  { "{\"type\":\"ping\",\"id\":\"a\",\"body\":{}}", OK },
  { "{\"a\":[1,-2,0,0.5,-0.0,1e3,1E-3,2.5e+10,true,false,null,\"\",{},[]]}", OK },
  { "{\"s\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"}", OK },
  { "{\"梅\":\"🌸\",\"x\":\"\\u2028\"}", OK },
  /* the same name in two objects is no duplicate */
  { "{\"a\":{\"b\":1},\"b\":{\"b\":2},\"c\":[{\"b\":1},{\"b\":1}]}", OK },
  /* duplicates, at any depth and however spelt */
  { "{\"type\":\"ping\",\"type\":\"hand.raise\"}", DUPLICATE },
  { "{\"body\":{\"name\":\"a\",\"name\":\"b\"}}", DUPLICATE },
  { "{\"a\":[{\"x\":1,\"x\":1}]}", DUPLICATE },
  { "{\"type\":1,\"typ\\u0065\":2}", DUPLICATE },
  { "{\"\\/\":1,\"/\":2}", DUPLICATE },
  /* one value only */
  { "{\"type\":\"ping\",\"id\":\"a\"}{\"type\":\"hand.raise\",\"id\":\"b\"}", TRAILING },
  { "{} {}", TRAILING },
  { "{}x", TRAILING },
  { "{}\n{}", TRAILING },
  /* not an object */
  { "[1,2]", NOT_OBJECT },
  { "\"ping\"", NOT_OBJECT },
  { "42", NOT_OBJECT },
  { "null", NOT_OBJECT },
  /* leniencies json-glib has */
  { "", SYNTAX },
  { "   ", SYNTAX },
  { "\xef\xbb\xbf{}", SYNTAX },                     /* BOM */
  /* integers json-glib would read wrapped (-18446744073709551615 as 1) */
  { "{\"a\":[9223372036854775807,-9223372036854775808,123456789012345678.5,1e400]}", OK },
  { "{\"a\":-18446744073709551615}", COHORT_JSON_STRICT_NUMBER_RANGE },
  { "{\"a\":18446744073709551615}", COHORT_JSON_STRICT_NUMBER_RANGE },
  { "{\"a\":9223372036854775808}", COHORT_JSON_STRICT_NUMBER_RANGE },
  { "{\"a\":-9223372036854775809}", COHORT_JSON_STRICT_NUMBER_RANGE },
  { "{\"a\":[1,123456789012345678901234567890]}", COHORT_JSON_STRICT_NUMBER_RANGE },
  { "{\"a\":0x1F}", SYNTAX },
  { "{\"a\":007}", SYNTAX },
  { "{\"a\":-07}", SYNTAX },
  { "{\"a\":+1}", SYNTAX },
  { "{\"a\":.5}", SYNTAX },
  { "{\"a\":1.}", SYNTAX },
  { "{\"a\":1e}", SYNTAX },
  { "{\"a\":-}", SYNTAX },
  { "{'a':1}", SYNTAX },
  { "{\"a\":'x'}", SYNTAX },
  { "{/* c */\"a\":1}", SYNTAX },
  { "{\"a\":1 // c\n}", SYNTAX },
  { "{\"a\":1 # c\n}", SYNTAX },
  { "{\"a\":NaN}", SYNTAX },
  { "{\"a\":Infinity}", SYNTAX },
  { "{\"a\":-Infinity}", SYNTAX },
  { "{\"a\":1,}", SYNTAX },
  { "{\"a\":[1,]}", SYNTAX },
  { "{\"a\":[,1]}", SYNTAX },
  { "{,}", SYNTAX },
  { "{a:1}", SYNTAX },
  { "{\"a\" 1}", SYNTAX },
  { "{\"a\":tru}", SYNTAX },
  { "{\"a\":True}", SYNTAX },
  { "{\"a\":undefined}", SYNTAX },
  { "{\"a\":\"tab\there\"}", SYNTAX },                /* unescaped control */
  { "{\"a\":\"line\nbreak\"}", SYNTAX },
  { "{\"a\":\"\\x41\"}", SYNTAX },
  { "{\"a\":\"\\u12\"}", SYNTAX },
  { "{\"a\":\"\\uZZZZ\"}", SYNTAX },
  { "{\"a\":\"open", SYNTAX },
  { "{\"a\":1", SYNTAX },
  { "{\"a\":1}\x0c", TRAILING },                      /* form feed is not JSON white space */
  { "\x0b{}", SYNTAX },
  { "{\"a\":1}]", TRAILING },
  /* NUL, escaped anywhere */
  { "{\"name\":\"Eve\\u0000 (Teacher)\"}", NUL },
  { "{\"type\":\"ping\\u0000evil\"}", NUL },
  { "{\"id\\u0000\":\"a\"}", NUL },
  { "{\"a\":[\"\\u0000\"]}", NUL },
  /* surrogates and bytes */
  { "{\"a\":\"\\ud800\"}", UNICODE },
  { "{\"a\":\"\\ud800x\"}", UNICODE },
  { "{\"a\":\"\\ud800\\u0041\"}", UNICODE },
  { "{\"a\":\"\\udc00\\ud800\"}", UNICODE },
  { "{\"a\":\"\xe9\"}", UNICODE },                    /* Latin-1 */
  { "{\"a\":\"\xc0\xaf\"}", UNICODE },                /* overlong '/' */
  { "{\"a\":\"\xe0\x80\xaf\"}", UNICODE },            /* overlong, 3 bytes */
  { "{\"a\":\"\xed\xa0\x80\"}", UNICODE },            /* a surrogate in UTF-8 */
  { "{\"a\":\"\xf4\x90\x80\x80\"}", UNICODE },        /* above U+10FFFF */
  { "{\"a\":\"\xf0\x9f\x98\"}", UNICODE },            /* cut short */
  { "{\"a\":\"\xff\"}", UNICODE },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CohortJsonStrictResult got = cohort_json_strict_check (cases[i].json, strlen (cases[i].json), NULL);
      g_autofree char *shown = g_strescape (cases[i].json, NULL);

      /* Escaped: TAP output must stay UTF-8. */
      g_test_message ("case %u: %s", i, shown);
      g_assert_cmpint (got, ==, cases[i].want);
      g_assert_nonnull (cohort_json_strict_message (got));
    }
}

static void
test_embedded_nul_byte (void)
{
  const char frame[] = "{\"type\":\"ping\",\"id\":\"a\"}\0garbage";
  const char in_string[] = "{\"type\":\"pi\0ng\"}";
  gsize offset = 0;

  g_assert_cmpint (cohort_json_strict_check (frame, sizeof frame - 1, &offset), ==, TRAILING);
  g_assert_cmpuint (offset, ==, strlen (frame));
  g_assert_cmpint (cohort_json_strict_check (in_string, sizeof in_string - 1, NULL), ==, SYNTAX);
  /* The length is what counts, not a terminator. */
  g_assert_cmpint (cohort_json_strict_check ("{}}", 2, NULL), ==, OK);
}

static void
test_depth (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);

  /* An object, then arrays down to the limit. */
  g_string_append (ok, "{\"a\":");
  for (guint i = 1; i < COHORT_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (guint i = 1; i < COHORT_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, '}');
  g_assert_cmpint (cohort_json_strict_check (ok->str, ok->len, NULL), ==, OK);

  g_string_append (deep, "{\"a\":");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_cmpint (cohort_json_strict_check (deep->str, deep->len, NULL), ==, DEEP);
}

static void
test_many_keys (void)
{
  g_autoptr(GString) json = g_string_new ("{");
  g_autoptr(GString) dup = NULL;

  /* Past the linear scan: the hash set must still find the duplicate. */
  for (guint i = 0; i < COHORT_JSON_MAX_MEMBERS - 1; i++)
    g_string_append_printf (json, "%s\"k%u\":%u", i > 0 ? "," : "", i, i);
  dup = g_string_new (json->str);
  g_string_append_c (json, '}');
  g_assert_cmpint (cohort_json_strict_check (json->str, json->len, NULL), ==, OK);

  g_string_append (dup, ",\"k99\":0}");
  g_assert_cmpint (cohort_json_strict_check (dup->str, dup->len, NULL), ==, DUPLICATE);

  /* A duplicate among the first few, after the set took over. */
  g_string_assign (dup, "{\"k3\":0");
  for (guint i = 0; i < 40; i++)
    g_string_append_printf (dup, ",\"j%u\":0", i);
  g_string_append (dup, ",\"k3\":1}");
  g_assert_cmpint (cohort_json_strict_check (dup->str, dup->len, NULL), ==, DUPLICATE);
}

/* Keys made of "Ab" and "BA" blocks all have the same g_str_hash, which
 * json-glib's member table uses: 2,300 of them in one object took 56 ms
 * to parse instead of 1.3. The member cap refuses such an object before
 * json-glib sees it; objects up to the cap (in numbers, several per
 * frame) stay cheap. */
static void
test_member_cap (void)
{
  g_autoptr(GString) json = g_string_new ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{");
  g_autoptr(GString) nested = g_string_new ("{\"a\":[");
  gsize offset = 0;

  for (guint i = 0; i < 2048; i++)
    {
      g_string_append (json, i > 0 ? ",\"" : "\"");
      for (guint b = 0; b < 11; b++)
        g_string_append (json, (i >> b) & 1 ? "BA" : "Ab");
      g_string_append (json, "\":0");
    }
  g_string_append (json, "}}");
  g_assert_cmpint (json->len, <, 64 * 1024);
  g_assert_cmpint (cohort_json_strict_check (json->str, json->len, &offset), ==,
                   COHORT_JSON_STRICT_TOO_MANY_MEMBERS);
  /* At the first member over the cap. */
  g_assert_cmpint (json->str[offset], ==, '"');
  g_assert_cmpint (offset, ==, strlen ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{") +
                   COHORT_JSON_MAX_MEMBERS * strlen (",\"AbAbAbAbAbAbAbAbAbAbAb\":0"));

  /* The cap is per object: many objects at the cap pass. */
  for (guint o = 0; o < 10; o++)
    {
      g_string_append (nested, o > 0 ? ",{" : "{");
      for (guint i = 0; i < COHORT_JSON_MAX_MEMBERS; i++)
        g_string_append_printf (nested, "%s\"m%u\":%u", i > 0 ? "," : "", i, o);
      g_string_append_c (nested, '}');
    }
  g_string_append (nested, "]}");
  g_assert_cmpint (cohort_json_strict_check (nested->str, nested->len, NULL), ==, OK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/json-strict/table", test_table);
  g_test_add_func ("/cohort/json-strict/embedded-nul-byte", test_embedded_nul_byte);
  g_test_add_func ("/cohort/json-strict/depth", test_depth);
  g_test_add_func ("/cohort/json-strict/many-keys", test_many_keys);
  g_test_add_func ("/cohort/json-strict/member-cap", test_member_cap);

  return g_test_run ();
}
