/* cohort-ai-markup.h: the helper's Markdown, parsed by md4c into blocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  COHORT_AI_BLOCK_TEXT,         /* a paragraph, a list item's text, a quote's */
  COHORT_AI_BLOCK_HEADING,
  COHORT_AI_BLOCK_CODE,         /* a code block, or display math ($$…$$, \[…\]) */
  COHORT_AI_BLOCK_TABLE,
  COHORT_AI_BLOCK_RULE,
} CohortAiBlockKind;

typedef enum
{
  COHORT_AI_ALIGN_START,
  COHORT_AI_ALIGN_CENTER,
  COHORT_AI_ALIGN_END,
} CohortAiAlign;

/* One block of an answer. Every `markup` is Pango markup built only from
 * <b>, <i>, <s>, <span font_family="monospace" …> and <a href="http(s)|mailto:…">
 * around escaped text: nothing from the network can produce a tag. */
typedef struct
{
  CohortAiBlockKind kind;
  guint             level;      /* HEADING: 1 to 6 */
  guint             depth;      /* list nesting, 0 outside lists */
  guint             quote;      /* block-quote nesting */
  char             *bullet;     /* TEXT: "•", "3." or "☐" on a list item's first line, else NULL */
  char             *markup;     /* TEXT, HEADING */
  char             *code;       /* CODE: the text itself, never markup */
  char             *language;   /* CODE: the fence's language, "math", or NULL */
  guint             n_columns;  /* TABLE */
  guint             n_rows;     /* TABLE: the header row included */
  CohortAiAlign    *align;      /* TABLE: n_columns */
  GPtrArray        *cells;      /* TABLE: markup, row by row, n_columns a row */
} CohortAiBlock;

/* Parses @text (any bytes: invalid UTF-8 is repaired) into blocks. A
 * prefix of an answer, as it streams, parses too: an unclosed fence runs
 * to the end as code, an unfinished table row has its cells so far. */
GPtrArray *cohort_ai_markdown_parse  (const char          *text);
gboolean   cohort_ai_block_equal     (const CohortAiBlock *a,
                                      const CohortAiBlock *b);
void       cohort_ai_block_free      (CohortAiBlock       *block);

/* The blocks flattened into one Pango markup string, for a plain label. */
char      *cohort_ai_markup_to_pango (const char          *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiBlock, cohort_ai_block_free)

G_END_DECLS
