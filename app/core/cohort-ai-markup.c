/* cohort-ai-markup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <md4c.h>
#include <string.h>

#include "cohort-ai-markup.h"

#define CODE_OPEN  "<span font_family=\"monospace\" bgcolor=\"#808080\" bgalpha=\"18%\">"
#define CODE_CLOSE "</span>"

/* No raw HTML (it would be text anyway, but escaped as text is what the
 * student should see), no indented code blocks (a model's four-space
 * continuation lines are not code), bare URLs become links. */
#define PARSER_FLAGS (MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_LATEXMATHSPANS | \
                      MD_FLAG_NOHTML | MD_FLAG_NOINDENTEDCODEBLOCKS | MD_FLAG_TASKLISTS | \
                      MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS)

typedef struct
{
  gboolean ordered;
  guint    next;
} List;

typedef struct
{
  GPtrArray     *blocks;
  CohortAiBlock *current;     /* the TEXT or HEADING block being written, or NULL */
  GString       *text;        /* its markup */
  GString       *code;        /* inside a code block */
  CohortAiBlock *table;       /* inside a table */
  GString       *cell;        /* inside a table cell */
  guint          column;
  GArray        *lists;       /* of List */
  guint          quote;
  char          *bullet;      /* waits for the list item's first text */
  GArray        *spans;       /* of const char *: the open spans' closing tags */
  GString       *math;        /* inside a $…$ or $$…$$ span */
} Parser;

void
cohort_ai_block_free (CohortAiBlock *block)
{
  if (block == NULL)
    return;
  g_free (block->bullet);
  g_free (block->markup);
  g_free (block->code);
  g_free (block->language);
  g_free (block->align);
  g_clear_pointer (&block->cells, g_ptr_array_unref);
  g_free (block);
}

gboolean
cohort_ai_block_equal (const CohortAiBlock *a,
                       const CohortAiBlock *b)
{
  if (a->kind != b->kind || a->level != b->level || a->depth != b->depth ||
      a->quote != b->quote || a->n_columns != b->n_columns || a->n_rows != b->n_rows ||
      g_strcmp0 (a->bullet, b->bullet) != 0 || g_strcmp0 (a->markup, b->markup) != 0 ||
      g_strcmp0 (a->code, b->code) != 0 || g_strcmp0 (a->language, b->language) != 0)
    return FALSE;

  if (a->kind == COHORT_AI_BLOCK_TABLE)
    {
      if (memcmp (a->align, b->align, a->n_columns * sizeof (CohortAiAlign)) != 0 ||
          a->cells->len != b->cells->len)
        return FALSE;
      for (guint i = 0; i < a->cells->len; i++)
        if (g_strcmp0 (a->cells->pdata[i], b->cells->pdata[i]) != 0)
          return FALSE;
    }

  return TRUE;
}

static CohortAiBlock *
add_block (Parser            *p,
           CohortAiBlockKind  kind)
{
  CohortAiBlock *block = g_new0 (CohortAiBlock, 1);

  block->kind = kind;
  block->depth = p->lists->len;
  block->quote = p->quote;
  g_ptr_array_add (p->blocks, block);
  return block;
}

static void close_spans (Parser *p, GString *out, guint keep);

/* Ends the text block being written. Its soft breaks at either end (left
 * by display math taken out of the paragraph) go. */
static void
flush_text (Parser *p)
{
  gsize start = 0;

  if (p->current == NULL)
    return;

  close_spans (p, p->text, 0);
  while (p->text->len > 0 && p->text->str[p->text->len - 1] == '\n')
    g_string_truncate (p->text, p->text->len - 1);
  while (start < p->text->len && p->text->str[start] == '\n')
    start++;
  p->current->markup = g_strdup (p->text->str + start);
  g_string_truncate (p->text, 0);

  if (*p->current->markup == '\0' && p->current->bullet == NULL &&
      p->current->kind == COHORT_AI_BLOCK_TEXT)
    g_ptr_array_remove (p->blocks, p->current);
  p->current = NULL;
}

/* Where inline markup goes: the table cell, else the text block (opened
 * on the first text, since a tight list item's text has no paragraph). */
static GString *
inline_out (Parser *p)
{
  if (p->cell != NULL)
    return p->cell;

  if (p->current == NULL)
    {
      p->current = add_block (p, COHORT_AI_BLOCK_TEXT);
      p->current->bullet = g_steal_pointer (&p->bullet);
    }
  return p->text;
}

static void
append_escaped (GString    *out,
                const char *text,
                gsize       size)
{
  g_autofree char *escaped = g_markup_escape_text (text, size);

  g_string_append (out, escaped);
}

/* LaTeX that arrives anyway is shown as code; its common commands as the
 * characters they stand for, so that "\alpha \times \pi" reads "α × π". */
static const struct { const char *command; const char *text; } latex_symbols[] = {
  { "alpha", "α" }, { "beta", "β" }, { "gamma", "γ" }, { "delta", "δ" }, { "epsilon", "ε" },
  { "theta", "θ" }, { "lambda", "λ" }, { "mu", "μ" }, { "pi", "π" }, { "rho", "ρ" },
  { "sigma", "σ" }, { "tau", "τ" }, { "phi", "φ" }, { "omega", "ω" }, { "Delta", "Δ" },
  { "Sigma", "Σ" }, { "Omega", "Ω" }, { "times", "×" }, { "cdot", "·" }, { "div", "÷" },
  { "pm", "±" }, { "le", "≤" }, { "leq", "≤" }, { "ge", "≥" }, { "geq", "≥" },
  { "neq", "≠" }, { "ne", "≠" }, { "approx", "≈" }, { "infty", "∞" }, { "sqrt", "√" },
  { "sum", "∑" }, { "int", "∫" }, { "to", "→" }, { "rightarrow", "→" }, { "Rightarrow", "⇒" },
  { "leftarrow", "←" }, { "in", "∈" }, { "degree", "°" }, { "circ", "°" },
  { "nu", "ν" }, { "eta", "η" }, { "xi", "ξ" }, { "psi", "ψ" }, { "chi", "χ" }, { "kappa", "κ" },
  { "partial", "∂" }, { "nabla", "∇" }, { "ldots", "…" }, { "cdots", "⋯" }, { "prod", "∏" },
  { "left", "" }, { "right", "" }, { ",", " " }, { ";", " " }, { "!", "" }, { "quad", "  " },
};

static void
append_math (GString    *out,
             const char *math)
{
  const char *p = math;

  while (*p != '\0')
    {
      if (*p == '\\')
        {
          const char *name = p + 1;
          const char *end = name;
          gboolean found = FALSE;

          while (g_ascii_isalpha (*end))
            end++;
          if (end == name && *end != '\0')
            end++;
          for (guint i = 0; i < G_N_ELEMENTS (latex_symbols) && end > name; i++)
            if (strlen (latex_symbols[i].command) == (gsize) (end - name) &&
                strncmp (latex_symbols[i].command, name, end - name) == 0)
              {
                g_string_append (out, latex_symbols[i].text);
                found = TRUE;
                break;
              }
          if (found)
            {
              /* "\pi r" is "π r" but "\pi{}" or "\times 2" keep one space. */
              p = end;
              continue;
            }
          g_string_append_len (out, p, end - p);
          p = end;
          continue;
        }
      g_string_append_c (out, *p++);
    }
}

static void
add_code_block (Parser     *p,
                const char *code,
                const char *language)
{
  CohortAiBlock *block = add_block (p, COHORT_AI_BLOCK_CODE);

  block->code = g_strdup (code);
  block->language = g_strdup (language);
}

/* Display math on its own becomes a code block; inside a table cell,
 * a heading or another span (whose tags could not be cut) it stays
 * inline code, as does inline math. A span whose content starts or ends
 * with a space is not math ("$5 and $10"): it is shown as typed. */
static void
end_math (Parser  *p,
          gboolean display)
{
  g_autoptr(GString) math = g_steal_pointer (&p->math);
  g_autoptr(GString) readable = g_string_new (NULL);
  const char *marker = display ? "$$" : "$";
  GString *out;

  if (math->len > 0 && (g_ascii_isspace (math->str[0]) || g_ascii_isspace (math->str[math->len - 1])) &&
      !display)
    {
      out = inline_out (p);
      g_string_append (out, marker);
      append_escaped (out, math->str, math->len);
      g_string_append (out, marker);
      return;
    }

  append_math (readable, g_strstrip (math->str));
  if (display && p->cell == NULL && p->spans->len == 0 &&
      (p->current == NULL || p->current->kind == COHORT_AI_BLOCK_TEXT))
    {
      /* The rest of the paragraph continues in a new text block. */
      flush_text (p);
      add_code_block (p, readable->str, "math");
      return;
    }

  out = inline_out (p);
  g_string_append (out, CODE_OPEN);
  append_escaped (out, readable->str, readable->len);
  g_string_append (out, CODE_CLOSE);
}

/* md4c's attribute (a link's address) as one string; its entities stay as
 * they were written. */
static char *
attribute_string (const MD_ATTRIBUTE *attribute)
{
  return attribute->text != NULL ? g_strndup (attribute->text, attribute->size) : g_strdup ("");
}

/* Only web and mail addresses become links; "javascript:", "file:" and
 * the rest stay text. */
static char *
safe_href (const MD_ATTRIBUTE *attribute)
{
  g_autofree char *href = attribute_string (attribute);
  g_autofree char *scheme = NULL;

  if (g_str_has_prefix (href, "www."))
    {
      char *with_scheme = g_strconcat ("https://", href, NULL);

      g_free (href);
      href = with_scheme;
    }

  if (!g_utf8_validate (href, -1, NULL))
    return NULL;
  for (const char *c = href; *c != '\0'; c++)
    if ((guchar) *c <= 0x20 || (guchar) *c == 0x7f || strchr ("\"<>\\`{}|^", *c) != NULL)
      return NULL;

  scheme = g_uri_parse_scheme (href);
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0 &&
       g_ascii_strcasecmp (scheme, "mailto") != 0))
    return NULL;
  if (!g_uri_is_valid (href, G_URI_FLAGS_PARSE_RELAXED, NULL))
    return NULL;

  return g_steal_pointer (&href);
}

static int
enter_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Parser *p = user_data;

  switch (type)
    {
    case MD_BLOCK_DOC:
    case MD_BLOCK_HTML:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
      break;
    case MD_BLOCK_P:
      flush_text (p);
      break;
    case MD_BLOCK_QUOTE:
      flush_text (p);
      p->quote++;
      break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        List list = { type == MD_BLOCK_OL, 1 };

        flush_text (p);
        if (type == MD_BLOCK_OL)
          list.next = ((MD_BLOCK_OL_DETAIL *) detail)->start;
        g_array_append_val (p->lists, list);
      }
      break;
    case MD_BLOCK_LI:
      {
        MD_BLOCK_LI_DETAIL *li = detail;
        List *list = &g_array_index (p->lists, List, p->lists->len - 1);

        flush_text (p);
        g_free (p->bullet);
        if (li->is_task)
          p->bullet = g_strdup (li->task_mark == ' ' ? "☐" : "☑");
        else if (list->ordered)
          p->bullet = g_strdup_printf ("%u.", list->next++);
        else
          p->bullet = g_strdup (p->lists->len > 1 ? "◦" : "•");
      }
      break;
    case MD_BLOCK_HR:
      flush_text (p);
      add_block (p, COHORT_AI_BLOCK_RULE);
      break;
    case MD_BLOCK_H:
      flush_text (p);
      p->current = add_block (p, COHORT_AI_BLOCK_HEADING);
      p->current->level = CLAMP (((MD_BLOCK_H_DETAIL *) detail)->level, 1, 6);
      g_clear_pointer (&p->bullet, g_free);
      break;
    case MD_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;
        g_autofree char *language = attribute_string (&code->lang);

        flush_text (p);
        add_code_block (p, NULL, *language != '\0' && g_utf8_validate (language, -1, NULL) ? language : NULL);
        p->code = g_string_new (NULL);
      }
      break;
    case MD_BLOCK_TABLE:
      {
        MD_BLOCK_TABLE_DETAIL *table = detail;

        flush_text (p);
        p->table = add_block (p, COHORT_AI_BLOCK_TABLE);
        p->table->n_columns = MAX (table->col_count, 1);
        p->table->align = g_new0 (CohortAiAlign, p->table->n_columns);
        p->table->cells = g_ptr_array_new_with_free_func (g_free);
      }
      break;
    case MD_BLOCK_TR:
      if (p->table != NULL)
        {
          p->table->n_rows++;
          p->column = 0;
        }
      break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (p->table != NULL)
        {
          MD_BLOCK_TD_DETAIL *td = detail;

          if (p->table->n_rows == 1 && p->column < p->table->n_columns)
            p->table->align[p->column] = td->align == MD_ALIGN_CENTER ? COHORT_AI_ALIGN_CENTER
                                         : td->align == MD_ALIGN_RIGHT ? COHORT_AI_ALIGN_END
                                         : COHORT_AI_ALIGN_START;
          p->cell = g_string_new (NULL);
        }
      break;
    default:
      break;
    }

  return 0;
}

static int
leave_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Parser *p = user_data;

  switch (type)
    {
    case MD_BLOCK_P:
    case MD_BLOCK_H:
      flush_text (p);
      break;
    case MD_BLOCK_QUOTE:
      flush_text (p);
      p->quote--;
      break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      flush_text (p);
      g_array_set_size (p->lists, p->lists->len - 1);
      break;
    case MD_BLOCK_LI:
      /* An empty item ("- " while streaming) still shows its bullet. */
      if (p->bullet != NULL)
        inline_out (p);
      flush_text (p);
      break;
    case MD_BLOCK_CODE:
      {
        CohortAiBlock *block = p->blocks->pdata[p->blocks->len - 1];
        g_autoptr(GString) code = g_steal_pointer (&p->code);

        /* The last line's newline is the fence's, not the code's. */
        if (code->len > 0 && code->str[code->len - 1] == '\n')
          g_string_truncate (code, code->len - 1);
        block->code = g_strdup (code->str);
      }
      break;
    case MD_BLOCK_TABLE:
      /* Rows stop where the text stops while streaming: fill the last. */
      while (p->table->cells->len < p->table->n_rows * p->table->n_columns)
        g_ptr_array_add (p->table->cells, g_strdup (""));
      p->table = NULL;
      break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (p->table != NULL && p->cell != NULL)
        {
          close_spans (p, p->cell, 0);
          if (p->column < p->table->n_columns)
            g_ptr_array_add (p->table->cells, g_string_free (g_steal_pointer (&p->cell), FALSE));
          else
            g_string_free (g_steal_pointer (&p->cell), TRUE);
          p->column++;
        }
      break;
    case MD_BLOCK_TR:
      if (p->table != NULL)
        while (p->table->cells->len < p->table->n_rows * p->table->n_columns)
          g_ptr_array_add (p->table->cells, g_strdup (""));
      break;
    default:
      break;
    }

  return 0;
}

/* Closes the spans still open in the current output, innermost first,
 * down to (and with) the @keep-th: md4c 0.4.8 can leave a span open (a
 * strikethrough crossing a link), and a block can end mid-span. */
static void
close_spans (Parser  *p,
             GString *out,
             guint    keep)
{
  while (p->spans->len > keep)
    {
      const char *close = g_array_index (p->spans, const char *, p->spans->len - 1);

      if (close != NULL)
        g_string_append (out, close);
      g_array_set_size (p->spans, p->spans->len - 1);
    }
}

static const char *
span_close (MD_SPANTYPE type)
{
  switch (type)
    {
    case MD_SPAN_EM:
    case MD_SPAN_IMG:
      return "</i>";
    case MD_SPAN_STRONG:
      return "</b>";
    case MD_SPAN_DEL:
      return "</s>";
    case MD_SPAN_CODE:
      return CODE_CLOSE;
    case MD_SPAN_A:
      return "</a>";
    default:
      return NULL;
    }
}

static int
enter_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Parser *p = user_data;
  const char *close = span_close (type);
  GString *out;

  if (type == MD_SPAN_LATEXMATH || type == MD_SPAN_LATEXMATH_DISPLAY)
    {
      if (p->math == NULL)
        p->math = g_string_new (NULL);
      return 0;
    }

  out = inline_out (p);
  switch (type)
    {
    case MD_SPAN_EM:
    case MD_SPAN_IMG:
      /* Images are not loaded: their alt text is shown. */
      g_string_append (out, "<i>");
      break;
    case MD_SPAN_STRONG:
      g_string_append (out, "<b>");
      break;
    case MD_SPAN_DEL:
      g_string_append (out, "<s>");
      break;
    case MD_SPAN_CODE:
      g_string_append (out, CODE_OPEN);
      break;
    case MD_SPAN_A:
      {
        g_autofree char *href = NULL;

        /* Pango cannot nest links; an inner one is text. */
        for (guint i = 0; i < p->spans->len; i++)
          if (g_array_index (p->spans, const char *, i) == span_close (MD_SPAN_A))
            close = NULL;
        href = close != NULL ? safe_href (&((MD_SPAN_A_DETAIL *) detail)->href) : NULL;
        if (href != NULL)
          {
            g_autofree char *escaped = g_markup_escape_text (href, -1);

            g_string_append_printf (out, "<a href=\"%s\">", escaped);
          }
        else
          close = NULL;
      }
      break;
    default:
      break;
    }
  /* A NULL close still takes its place, so that leave_span pairs up. */
  g_array_append_val (p->spans, close);

  return 0;
}

static int
leave_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Parser *p = user_data;

  if (type == MD_SPAN_LATEXMATH || type == MD_SPAN_LATEXMATH_DISPLAY)
    {
      if (p->math != NULL)
        end_math (p, type == MD_SPAN_LATEXMATH_DISPLAY);
      return 0;
    }

  /* A span that ended with its block was closed there already. */
  if (p->spans->len > 0)
    close_spans (p, inline_out (p), p->spans->len - 1);

  return 0;
}

static int
on_text (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  Parser *p = user_data;
  GString *out;

  if (p->code != NULL)
    {
      g_string_append_len (p->code, text, size);
      return 0;
    }

  if (p->math != NULL)
    {
      if (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR)
        g_string_append_c (p->math, ' ');
      else
        g_string_append_len (p->math, text, size);
      return 0;
    }

  out = inline_out (p);
  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      g_string_append (out, "\xef\xbf\xbd");
      break;
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
      /* A model's single newline is meant as one (and a space would
       * split a Chinese sentence). */
      g_string_append_c (out, p->cell != NULL ? ' ' : '\n');
      break;
    default:
      /* Entities and raw HTML are shown as they were written. */
      append_escaped (out, text, size);
      break;
    }

  return 0;
}

/* The "\)" that closes inline math starting at @p, on the same line. */
static const char *
close_paren_math (const char *p,
                  const char *end)
{
  for (; p + 1 < end; p++)
    if (p[0] == '\\' && p[1] == ')')
      return p;
  return NULL;
}

/* \(…\) becomes a code span of its readable text (md4c's own $…$ is
 * thrown off by a link earlier in the paragraph). Returns where the
 * source continues. */
static const char *
inline_math_span (GString    *out,
                  const char *start,
                  const char *close)
{
  g_autofree char *math = g_strndup (start, close - start);
  g_autoptr(GString) readable = g_string_new (NULL);
  guint run = 0, longest = 0;

  append_math (readable, g_strstrip (math));
  for (const char *c = readable->str; *c != '\0'; c++)
    {
      run = *c == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  for (guint i = 0; i <= longest; i++)
    g_string_append_c (out, '`');
  g_string_append_printf (out, " %s ", readable->str);
  for (guint i = 0; i <= longest; i++)
    g_string_append_c (out, '`');
  return close + 2;
}

/* \( \) and \[ \] are LaTeX's math delimiters, which md4c reads as escaped
 * brackets: outside code, \(…\) becomes inline code and \[ \] become $$,
 * so that the math in them is shown as math. */
static char *
latex_delimiters (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean fenced = FALSE;
  const char *line = text;

  while (*line != '\0')
    {
      const char *end = strchr (line, '\n');
      const char *p = line;
      gsize indent = 0;
      guint ticks = 0;

      if (end == NULL)
        end = line + strlen (line);
      while (p < end && *p == ' ' && indent < 4)
        p++, indent++;
      if (end - p >= 3 && (strncmp (p, "```", 3) == 0 || strncmp (p, "~~~", 3) == 0))
        fenced = !fenced;

      for (p = line; p < end; p++)
        {
          if (fenced)
            break;
          if (*p == '`')
            {
              ticks = ticks == 0 ? 1 : 0;
              g_string_append_c (out, '`');
              continue;
            }
          if (ticks == 0 && *p == '\\' && p + 1 < end)
            {
              char next = p[1];

              if (next == '(' && close_paren_math (p + 2, end) != NULL)
                {
                  p = inline_math_span (out, p + 2, close_paren_math (p + 2, end)) - 1;
                  continue;
                }
              if (next == '[' || next == ']')
                {
                  g_string_append (out, "$$");
                  p++;
                  continue;
                }
              /* "\\(" is a backslash and a bracket. */
              g_string_append_c (out, '\\');
              g_string_append_c (out, next);
              p++;
              continue;
            }
          g_string_append_c (out, *p);
        }
      if (fenced || p < end)
        g_string_append_len (out, line, end - line);

      if (*end == '\0')
        break;
      g_string_append_c (out, '\n');
      line = end + 1;
    }

  return g_string_free (out, FALSE);
}

GPtrArray *
cohort_ai_markdown_parse (const char *text)
{
  static const MD_PARSER parser = {
    .abi_version = 0,
    .flags = PARSER_FLAGS,
    .enter_block = enter_block,
    .leave_block = leave_block,
    .enter_span = enter_span,
    .leave_span = leave_span,
    .text = on_text,
  };
  g_autofree char *valid = NULL;
  g_autofree char *source = NULL;
  Parser p = { 0 };

  p.blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_ai_block_free);
  if (text == NULL)
    return p.blocks;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  source = latex_delimiters (text);
  p.text = g_string_new (NULL);
  p.lists = g_array_new (FALSE, FALSE, sizeof (List));
  p.spans = g_array_new (FALSE, FALSE, sizeof (const char *));

  if (md_parse (source, strlen (source), &parser, &p) != 0)
    g_debug ("md4c stopped early");
  flush_text (&p);

  /* md4c closes every block it opened, even on a prefix; these are for
   * an early stop only. */
  if (p.code != NULL)
    g_string_free (p.code, TRUE);
  if (p.cell != NULL)
    g_string_free (p.cell, TRUE);
  if (p.math != NULL)
    g_string_free (p.math, TRUE);
  g_free (p.bullet);
  g_string_free (p.text, TRUE);
  g_array_unref (p.lists);
  g_array_unref (p.spans);

  return p.blocks;
}

char *
cohort_ai_markup_to_pango (const char *text)
{
  g_autoptr(GPtrArray) blocks = cohort_ai_markdown_parse (text);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < blocks->len; i++)
    {
      CohortAiBlock *block = blocks->pdata[i];

      if (i > 0)
        g_string_append (out, block->bullet != NULL ? "\n" : "\n\n");
      for (guint d = 0; d < block->depth; d++)
        g_string_append (out, "  ");

      switch (block->kind)
        {
        case COHORT_AI_BLOCK_TEXT:
          if (block->bullet != NULL)
            g_string_append_printf (out, "%s ", block->bullet);
          g_string_append (out, block->markup);
          break;
        case COHORT_AI_BLOCK_HEADING:
          g_string_append_printf (out, "<b>%s</b>", block->markup);
          break;
        case COHORT_AI_BLOCK_CODE:
          g_string_append (out, CODE_OPEN);
          append_escaped (out, block->code, strlen (block->code));
          g_string_append (out, CODE_CLOSE);
          break;
        case COHORT_AI_BLOCK_TABLE:
          for (guint r = 0; r < block->n_rows; r++)
            {
              if (r > 0)
                g_string_append_c (out, '\n');
              for (guint c = 0; c < block->n_columns; c++)
                {
                  g_string_append (out, c > 0 ? " | " : "");
                  g_string_append (out, block->cells->pdata[r * block->n_columns + c]);
                }
            }
          break;
        case COHORT_AI_BLOCK_RULE:
          g_string_append (out, "—");
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (out, FALSE);
}
