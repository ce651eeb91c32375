/* test-ai-markdown.c: the helper's Markdown, parsed into blocks by md4c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ai-markdown"

#include "config.h"

#include <string.h>

#include "cohort-ai-markup.h"

#define CODE_OPEN "<span font_family=\"monospace\" bgcolor=\"#808080\" bgalpha=\"18%\">"

/* ---- the markup holds only our own tags ---- */

static void
check_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  const char *where = user_data;

  if (g_str_equal (element, "m") || g_str_equal (element, "b") || g_str_equal (element, "i") ||
      g_str_equal (element, "s"))
    {
      g_assert_null (names[0]);
      return;
    }
  if (g_str_equal (element, "span"))
    {
      g_assert_cmpstr (names[0], ==, "font_family");
      g_assert_cmpstr (values[0], ==, "monospace");
      g_assert_cmpstr (names[1], ==, "bgcolor");
      g_assert_cmpstr (values[1], ==, "#808080");
      g_assert_cmpstr (names[2], ==, "bgalpha");
      g_assert_cmpstr (values[2], ==, "18%");
      g_assert_null (names[3]);
      return;
    }
  if (g_str_equal (element, "a"))
    {
      g_assert_cmpstr (names[0], ==, "href");
      g_assert_null (names[1]);
      g_assert_true (g_str_has_prefix (values[0], "http://") || g_str_has_prefix (values[0], "https://") ||
                     g_str_has_prefix (values[0], "mailto:"));
      return;
    }
  g_error ("%s: the element <%s> came out of the Markdown", where, element);
}

/* @markup is well-formed and uses only the renderer's tags. */
static void
assert_safe_markup (const char *markup,
                    const char *where)
{
  static const GMarkupParser parser = { check_element, NULL, NULL, NULL, NULL };
  g_autofree char *doc = g_strconcat ("<m>", markup, "</m>", NULL);
  GMarkupParseContext *context = g_markup_parse_context_new (&parser, 0, (gpointer) where, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_utf8_validate (markup, -1, NULL));
  if (!g_markup_parse_context_parse (context, doc, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("%s: “%s” is not well-formed: %s", where, markup, error->message);
  g_markup_parse_context_free (context);
}

static void
assert_blocks_safe (GPtrArray  *blocks,
                    const char *where)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      CohortAiBlock *block = blocks->pdata[i];

      if (block->markup != NULL)
        assert_safe_markup (block->markup, where);
      if (block->kind == COHORT_AI_BLOCK_CODE)
        g_assert_true (block->code != NULL && g_utf8_validate (block->code, -1, NULL));
      if (block->kind == COHORT_AI_BLOCK_TABLE)
        {
          g_assert_cmpuint (block->cells->len, ==, block->n_rows * block->n_columns);
          for (guint c = 0; c < block->cells->len; c++)
            assert_safe_markup (block->cells->pdata[c], where);
        }
    }
}

static GPtrArray *
parse (const char *text)
{
  GPtrArray *blocks = cohort_ai_markdown_parse (text);

  assert_blocks_safe (blocks, text);
  return blocks;
}

#define BLOCK(blocks, i) ((CohortAiBlock *) (blocks)->pdata[i])

/* ---- one table of cases: the source, then each block in a short form ---- */

/* A block's short form: "p:markup", "h2:markup", "li1 •:markup" (depth,
 * bullet), "q1:markup", "code[lang]:text", "hr", "table 2x3:a|b|c|d|e|f". */
static char *
describe (CohortAiBlock *block)
{
  GString *s = g_string_new (NULL);

  switch (block->kind)
    {
    case COHORT_AI_BLOCK_TEXT:
      if (block->bullet != NULL)
        g_string_append_printf (s, "li%u %s", block->depth, block->bullet);
      else if (block->depth > 0)
        g_string_append_printf (s, "li%u", block->depth);
      else
        g_string_append (s, "p");
      if (block->quote > 0)
        g_string_append_printf (s, "q%u", block->quote);
      g_string_append_printf (s, ":%s", block->markup);
      break;
    case COHORT_AI_BLOCK_HEADING:
      g_string_append_printf (s, "h%u:%s", block->level, block->markup);
      break;
    case COHORT_AI_BLOCK_CODE:
      g_string_append_printf (s, "code[%s]:%s", block->language ?: "", block->code);
      break;
    case COHORT_AI_BLOCK_RULE:
      g_string_append (s, "hr");
      break;
    case COHORT_AI_BLOCK_TABLE:
      g_string_append_printf (s, "table %ux%u:", block->n_columns, block->n_rows);
      for (guint i = 0; i < block->cells->len; i++)
        g_string_append_printf (s, "%s%s", i > 0 ? "|" : "", (char *) block->cells->pdata[i]);
      break;
    default:
      g_assert_not_reached ();
    }

  return g_string_free (s, FALSE);
}

static const struct { const char *in; const char *out[8]; } cases[] = {
  /* Headings keep their level; emphasis, italics, strikethrough, code. */
  { "# One\n## Two\n### Three *it* ~~old~~ `x<y`",
    { "h1:One", "h2:Two", "h3:Three <i>it</i> <s>old</s> " CODE_OPEN "x&lt;y</span>" } },
  { "**bold** and _italic_ and ***both***",
    { "p:<b>bold</b> and <i>italic</i> and <i><b>both</b></i>" } },
  { "one\ntwo\n\nthree", { "p:one\ntwo", "p:three" } },
  /* Lists: bullets, numbers from their start, nesting, task items. */
  { "- a\n- b\n  - c\n    1. d\n- e",
    { "li1 •:a", "li1 •:b", "li2 ◦:c", "li3 1.:d", "li1 •:e" } },
  { "3. three\n4. four", { "li1 3.:three", "li1 4.:four" } },
  { "- [x] done\n- [ ] todo", { "li1 ☑:done", "li1 ☐:todo" } },
  /* A loose item's second paragraph is indented, without a bullet. */
  { "1. first\n\n   more\n2. second", { "li1 1.:first", "li1:more", "li1 2.:second" } },
  /* Block quotes, rules, code. */
  { "> quoted **b**\n>> deeper", { "pq1:quoted <b>b</b>", "pq2:deeper" } },
  { "a\n\n---\n\nb", { "p:a", "hr", "p:b" } },
  { "Text\n```c\nint <x>;\n  y\n```\nAfter", { "p:Text", "code[c]:int <x>;\n  y", "p:After" } },
  /* Indented text is not code: a model's continuation lines. */
  { "Intro\n\n    not code", { "p:Intro", "p:not code" } },
  /* Tables: a grid, with alignment, inline markup in cells. */
  { "| Name | Value |\n|:-----|------:|\n| **pi** | 3.14 |\n| e | `2.72` |",
    { "table 2x3:Name|Value|<b>pi</b>|3.14|e|" CODE_OPEN "2.72</span>" } },
  /* Links: web and mail links, bare URLs; anything else stays text. */
  { "[site](https://example.org/a?b=1&c=2) www.gnome.org",
    { "p:<a href=\"https://example.org/a?b=1&amp;c=2\">site</a> <a href=\"http://www.gnome.org\">www.gnome.org</a>" } },
  { "[x](javascript:alert(1)) [y](file:///etc/passwd) [z](mailto:t@example.org)",
    { "p:x y <a href=\"mailto:t@example.org\">z</a>" } },
  { "[q](https://e.org/\"><b>x</b>)", { "p:q" } },
  /* LaTeX: inline math is code, display math a code block; common
   * commands read as their symbols; \( \) and \[ \] too. */
  { "so $x^2 \\times \\pi$ here", { "p:so " CODE_OPEN "x^2 × π</span> here" } },
  { "Area:\n$$\nA = \\pi r^2\n$$\ndone", { "p:Area:", "code[math]:A = π r^2", "p:done" } },
  { "then \\(a \\le b\\) and\n\\[\\frac{a}{b}\\]",
    { "p:then " CODE_OPEN "a ≤ b</span> and", "code[math]:\\frac{a}{b}" } },
  /* md4c 0.4.8 misses "$…$" after a link and "：": \(…\) does not. */
  { "见[百科](https://zh.wikipedia.org/wiki/光)。公式：\\(E = h\\nu\\)。",
    { "p:见<a href=\"https://zh.wikipedia.org/wiki/光\">百科</a>。公式：" CODE_OPEN "E = hν</span>。" } },
  { "costs $5 and $10 each", { "p:costs $5 and $10 each" } },
  { "`\\(not math\\)`", { "p:" CODE_OPEN "\\(not math\\)</span>" } },
  /* Injection: tags, entities and broken tags are text. */
  { "Plain <b>not bold</b> & <span foreground=\"red\">x</span> &amp; &#60;",
    { "p:Plain &lt;b&gt;not bold&lt;/b&gt; &amp; &lt;span foreground=&quot;red&quot;&gt;x&lt;/span&gt; &amp;amp; &amp;#60;" } },
  { "<script>\nalert(1)\n</script>", { "p:&lt;script&gt;\nalert(1)\n&lt;/script&gt;" } },
  { "| <i>a</i> | b |\n|---|---|\n| <u>c | d </b> |",
    { "table 2x2:&lt;i&gt;a&lt;/i&gt;|b|&lt;u&gt;c|d &lt;/b&gt;" } },
  /* Streaming: unclosed constructs mid-answer. */
  { "```\n<i>", { "code[]:<i>" } },
  { "Look:\n```python\nprint(1)\nfor x in", { "p:Look:", "code[python]:print(1)\nfor x in" } },
  { "| a | b |\n|---|---|\n| 1 |", { "table 2x2:a|b|1|" } },
  { "| a | b |\n|--", { "p:| a | b |\n|--" } },
  { "**unclosed bold and `code", { "p:**unclosed bold and `code" } },
  { "- a\n- ", { "li1 •:a", "li1 •:" } },
  { "[half a link](https://exa", { "p:[half a link](https://exa" } },
  { "$$\\int_0^1", { "p:$$\\int_0^1" } },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) blocks = parse (cases[i].in);
      guint n = 0;

      while (n < G_N_ELEMENTS (cases[i].out) && cases[i].out[n] != NULL)
        n++;
      for (guint b = 0; b < MAX (n, blocks->len); b++)
        {
          g_autofree char *got = b < blocks->len ? describe (BLOCK (blocks, b)) : NULL;

          if (g_strcmp0 (got, b < n ? cases[i].out[b] : NULL) != 0)
            g_error ("“%s”: block %u is “%s”, expected “%s”", cases[i].in, b, got,
                     b < n ? cases[i].out[b] : "(none)");
        }
    }
}

/* Table columns' alignment. */
static void
test_table_align (void)
{
  g_autoptr(GPtrArray) blocks = parse ("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |");

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpint (BLOCK (blocks, 0)->align[0], ==, COHORT_AI_ALIGN_START);
  g_assert_cmpint (BLOCK (blocks, 0)->align[1], ==, COHORT_AI_ALIGN_CENTER);
  g_assert_cmpint (BLOCK (blocks, 0)->align[2], ==, COHORT_AI_ALIGN_END);
}

static const char *long_answer =
  "# Photosynthesis\n\n"
  "Plants turn **light** into *sugar*: 6CO₂ + 6H₂O → C₆H₁₂O₆ + 6O₂.\n\n"
  "| Stage | Where | Needs |\n|---|:-:|--:|\n| Light | thylakoid | `light` |\n| Calvin | stroma | CO₂ |\n\n"
  "1. Light reactions\n   - split water\n   - make ATP\n2. Calvin cycle\n\n"
  "> Remember: *no light, no sugar*.\n\n"
  "```python\nrate = light * co2  # <b>not markup</b>\n```\n\n"
  "See [the article](https://en.wikipedia.org/wiki/Photosynthesis) and \\(E = h\\nu\\).\n\n"
  "---\n"
  "<img src=x onerror=alert(1)> &lt;b&gt; [x](javascript:1) ![pic](https://e.org/p.png)\n";

/* Every prefix of an answer, as it streams in, parses to safe blocks. */
static void
test_every_prefix (void)
{
  gsize len = strlen (long_answer);

  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *prefix = g_strndup (long_answer, i);
      g_autoptr(GPtrArray) blocks = parse (prefix);
    }
}

/* Bytes that are not UTF-8 and NUL-free junk never reach the markup. */
static void
test_junk (void)
{
  GRand *rand = g_rand_new_with_seed (19);
  static const char alphabet[] = "|-*_`~$\\[]()<>&#;:/ \n>1.ab\xe4\xbd\xa0\xff";

  {
    g_autoptr(GPtrArray) blocks = parse ("bad \xff byte");

    g_assert_cmpuint (blocks->len, ==, 1);
  }
  {
    /* md4c 0.4.8 leaves this strikethrough open across the link. */
    g_autoptr(GPtrArray) blocks = parse ("(:-~>._[)1>\xa0:&<\\/$\xff" "1](;[b>\xbd$/~a#:]>a<]>b.\xe4)`_\xe4  "
                                         "*-\xbd~\\\xa0;/-*_*.;.;:< #\\]]\xff" "&*_b[[");

    g_assert_cmpuint (blocks->len, ==, 1);
  }

  for (guint round = 0; round < 20000; round++)
    {
      guint n = g_rand_int_range (rand, 0, 160);
      g_autofree char *junk = g_malloc (n + 1);
      g_autoptr(GPtrArray) blocks = NULL;

      for (guint i = 0; i < n; i++)
        junk[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      junk[n] = '\0';
      blocks = parse (junk);
    }
  g_rand_free (rand);
}

/* The flattened form for a plain label stays safe and keeps the text. */
static void
test_to_pango (void)
{
  g_autofree char *markup = cohort_ai_markup_to_pango (long_answer);

  assert_safe_markup (markup, "to_pango");
  g_assert_nonnull (strstr (markup, "<b>Photosynthesis</b>"));
  g_assert_nonnull (strstr (markup, "Light | thylakoid"));
  g_assert_nonnull (strstr (markup, "&lt;img src=x"));
}

static void
test_equal (void)
{
  g_autoptr(GPtrArray) a = parse ("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx\n```");
  g_autoptr(GPtrArray) b = parse ("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx\n```");
  g_autoptr(GPtrArray) c = parse ("# T\n\n| a | b |\n|---|---|\n| 1 | 3 |\n\n```\nx\n```");

  for (guint i = 0; i < a->len; i++)
    g_assert_true (cohort_ai_block_equal (a->pdata[i], b->pdata[i]));
  g_assert_true (cohort_ai_block_equal (a->pdata[0], c->pdata[0]));
  g_assert_false (cohort_ai_block_equal (a->pdata[1], c->pdata[1]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/ai-markdown/cases", test_cases);
  g_test_add_func ("/cohort/ai-markdown/table-align", test_table_align);
  g_test_add_func ("/cohort/ai-markdown/every-prefix", test_every_prefix);
  g_test_add_func ("/cohort/ai-markdown/junk", test_junk);
  g_test_add_func ("/cohort/ai-markdown/to-pango", test_to_pango);
  g_test_add_func ("/cohort/ai-markdown/equal", test_equal);

  return g_test_run ();
}
