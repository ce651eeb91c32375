/* fuzz-ai-markdown.c: the helper's Markdown (md4c) to the pane's blocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-ai-markup.h"
#include "fuzz-common.h"

/* Only the renderer's own elements, with only their own attributes. */
static void
check_element (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  if (g_str_equal (element, "m") || g_str_equal (element, "b") || g_str_equal (element, "i") ||
      g_str_equal (element, "s"))
    FUZZ_CHECK (names[0] == NULL, "no attributes on b, i, s");
  else if (g_str_equal (element, "span"))
    FUZZ_CHECK (g_strcmp0 (values[0], "monospace") == 0 && names[3] == NULL, "only the code span");
  else if (g_str_equal (element, "a"))
    FUZZ_CHECK (g_str_equal (names[0], "href") && names[1] == NULL &&
                (g_str_has_prefix (values[0], "http://") || g_str_has_prefix (values[0], "https://") ||
                 g_str_has_prefix (values[0], "mailto:")), "only web and mail links");
  else
    FUZZ_CHECK (FALSE, "an element of the renderer's own");
}

static void
check_markup (const char *markup)
{
  static const GMarkupParser parser = { check_element, NULL, NULL, NULL, NULL };
  g_autofree char *doc = g_strconcat ("<m>", markup, "</m>", NULL);
  GMarkupParseContext *context = g_markup_parse_context_new (&parser, 0, NULL, NULL);

  FUZZ_CHECK (g_utf8_validate (markup, -1, NULL), "markup is UTF-8");
  FUZZ_CHECK (g_markup_parse_context_parse (context, doc, -1, NULL) &&
              g_markup_parse_context_end_parse (context, NULL), "markup is well-formed");
  g_markup_parse_context_free (context);
}

static void
check_text (const char *text)
{
  g_autoptr(GPtrArray) blocks = cohort_ai_markdown_parse (text);

  for (guint i = 0; i < blocks->len; i++)
    {
      CohortAiBlock *block = blocks->pdata[i];

      if (block->markup != NULL)
        check_markup (block->markup);
      if (block->kind == COHORT_AI_BLOCK_CODE)
        FUZZ_CHECK (block->code != NULL && g_utf8_validate (block->code, -1, NULL), "code is UTF-8");
      if (block->kind == COHORT_AI_BLOCK_TABLE)
        {
          FUZZ_CHECK (block->cells->len == block->n_rows * block->n_columns, "a full grid");
          for (guint c = 0; c < block->cells->len; c++)
            check_markup (block->cells->pdata[c]);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  gsize length = strlen (text);

  fuzz_init_once ();

  /* The whole answer, and two prefixes as it streams in. */
  check_text (text);
  for (guint cut = 2; cut <= 4; cut += 2)
    {
      g_autofree char *prefix = g_strndup (text, length * (cut - 1) / cut);

      check_text (prefix);
    }

  return 0;
}
