/* cohort-ai-chunk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-ai-chunk.h"

void
cohort_ai_chunk_clear (CohortAiChunk *chunk)
{
  g_clear_pointer (&chunk->content, g_free);
  g_clear_pointer (&chunk->finish_reason, g_free);
  g_clear_pointer (&chunk->error_type, g_free);
  g_clear_pointer (&chunk->error_message, g_free);
  memset (chunk, 0, sizeof *chunk);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Malformed chunk: %s", what);
  return FALSE;
}

/* An error object: OpenAI's {"error": {…}}, Ollama's {"error": "…"} and
 * vLLM's {"object": "error", "message": …}. */
static gboolean
parse_error (JsonObject    *root,
             CohortAiChunk *out)
{
  JsonNode *node = json_object_get_member (root, "error");

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      out->is_error = TRUE;
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *err = json_node_get_object (node);

          out->error_message = g_strdup (string_member (err, "message"));
          out->error_type = g_strdup (string_member (err, "type") ?: string_member (err, "code"));
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        out->error_message = g_strdup (json_node_get_string (node));
      return TRUE;
    }

  if (g_strcmp0 (string_member (root, "object"), "error") == 0)
    {
      out->is_error = TRUE;
      out->error_message = g_strdup (string_member (root, "message"));
      out->error_type = g_strdup (string_member (root, "type"));
      return TRUE;
    }

  return FALSE;
}

static gboolean
non_empty_string (JsonObject *object,
                  const char *name)
{
  const char *value = string_member (object, name);

  return value != NULL && *value != '\0';
}

/* @holder: "delta" in a stream chunk, "message" in a whole answer. */
static gboolean
parse_root (JsonNode       *node,
            const char     *holder,
            CohortAiChunk  *out,
            GError        **error)
{
  JsonObject *root;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "not an object");
  root = json_node_get_object (node);

  if (parse_error (root, out))
    return TRUE;

  node = json_object_get_member (root, "usage");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *usage = json_node_get_object (node);

      out->has_usage = TRUE;
      out->prompt_tokens = int_member (usage, "prompt_tokens");
      out->completion_tokens = int_member (usage, "completion_tokens");
    }

  node = json_object_get_member (root, "choices");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;   /* a usage-only chunk */
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      cohort_ai_chunk_clear (out);
      return invalid (error, "choices is not an array");
    }

  if (json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonNode *choice_node = json_array_get_element (json_node_get_array (node), 0);
      JsonObject *choice;
      JsonNode *delta;

      if (!JSON_NODE_HOLDS_OBJECT (choice_node))
        {
          cohort_ai_chunk_clear (out);
          return invalid (error, "a choice is not an object");
        }
      choice = json_node_get_object (choice_node);
      /* Some servers write "" (a Go string without omitempty) on every
       * chunk: only a named reason ends the answer. */
      if (non_empty_string (choice, "finish_reason"))
        out->finish_reason = g_strdup (string_member (choice, "finish_reason"));

      delta = json_object_get_member (choice, holder);
      if (delta != NULL && JSON_NODE_HOLDS_OBJECT (delta))
        {
          JsonObject *delta_object = json_node_get_object (delta);
          JsonNode *content = json_object_get_member (delta_object, "content");

          if (content != NULL && !JSON_NODE_HOLDS_NULL (content))
            {
              if (!JSON_NODE_HOLDS_VALUE (content) ||
                  json_node_get_value_type (content) != G_TYPE_STRING)
                {
                  cohort_ai_chunk_clear (out);
                  return invalid (error, "content is not a string");
                }
              out->content = g_strdup (json_node_get_string (content));
            }

          /* DeepSeek and vLLM name it reasoning_content, OpenRouter and
           * Ollama reasoning. Only its presence matters: a sign of life. */
          out->reasoning = non_empty_string (delta_object, "reasoning_content") ||
                           non_empty_string (delta_object, "reasoning");
        }
      else if (delta != NULL && !JSON_NODE_HOLDS_NULL (delta))
        {
          cohort_ai_chunk_clear (out);
          return invalid (error, "delta is not an object");
        }
    }

  return TRUE;
}

gboolean
cohort_ai_chunk_parse (const char     *data,
                       CohortAiChunk  *out,
                       GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;

  memset (out, 0, sizeof *out);

  {
    g_autofree char *trimmed = g_strstrip (g_strdup (data != NULL ? data : ""));

    if (g_str_equal (trimmed, "[DONE]"))
      {
        out->done = TRUE;
        return TRUE;
      }
  }

  parser = json_parser_new_immutable ();
  if (data == NULL || !json_parser_load_from_data (parser, data, -1, NULL))
    return invalid (error, "not JSON");

  return parse_root (json_parser_get_root (parser), "delta", out, error);
}

gboolean
cohort_ai_chunk_parse_completion (const char     *data,
                                  CohortAiChunk  *out,
                                  GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  memset (out, 0, sizeof *out);

  if (data == NULL || !json_parser_load_from_data (parser, data, -1, NULL))
    return invalid (error, "not JSON");

  return parse_root (json_parser_get_root (parser), "message", out, error);
}

/* The prefix scanner: a small JSON reader that walks a document which may
 * stop anywhere, looking for one string along a path. */

#define SCAN_MAX_DEPTH 64

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads 4 hex digits at s->p; -1 when cut or not hex. */
static gint
read_hex4 (Scan *s)
{
  gint value = 0;

  if (s->end - s->p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_value (s->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  s->p += 4;
  return value;
}

/* At the opening quote. Decodes into @out (may be NULL). TRUE when the
 * closing quote was reached; FALSE when the text stops first (or is bad):
 * @out then holds what was decoded up to there. */
static gboolean
scan_string (Scan    *s,
             GString *out)
{
  s->p++;
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, c);
          s->p++;
          continue;
        }

      if (s->end - s->p < 2)
        return FALSE;
      s->p += 2;
      switch (s->p[-1])
        {
        case '"': case '\\': case '/':
          c = s->p[-1];
          break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          {
            gint unit = read_hex4 (s);
            gunichar ch;

            if (unit < 0)
              return FALSE;
            ch = unit;
            if (unit >= 0xd800 && unit < 0xdc00)
              {
                gint low;

                if (s->end - s->p < 6)
                  return FALSE;
                if (s->p[0] != '\\' || s->p[1] != 'u')
                  ch = 0xfffd;
                else
                  {
                    s->p += 2;
                    low = read_hex4 (s);
                    if (low < 0)
                      return FALSE;
                    ch = low >= 0xdc00 && low < 0xe000
                         ? 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00) : 0xfffd;
                  }
              }
            else if (unit >= 0xdc00 && unit < 0xe000)
              ch = 0xfffd;
            if (out != NULL)
              g_string_append_unichar (out, ch);
            continue;
          }
        default:
          return FALSE;
        }
      if (out != NULL)
        g_string_append_c (out, c);
    }

  return FALSE;
}

/* Walks one value. @path: the keys still to follow ("0": the first array
 * element); when it is empty and the value is a string, it goes to
 * @found. FALSE when the text stops inside the value, is malformed or
 * the string was found. */
static gboolean
scan_value (Scan               *s,
            const char * const *path,
            guint               depth,
            GString           **found)
{
  skip_space (s);
  if (s->p >= s->end || depth > SCAN_MAX_DEPTH)
    return FALSE;

  if (*s->p == '"')
    {
      if (path != NULL && *path == NULL)
        {
          *found = g_string_new (NULL);
          scan_string (s, *found);
          return FALSE;
        }
      return scan_string (s, NULL);
    }

  if (*s->p == '{')
    {
      s->p++;
      for (;;)
        {
          g_autoptr(GString) key = g_string_new (NULL);
          const char * const *next = NULL;

          skip_space (s);
          if (s->p >= s->end)
            return FALSE;
          if (*s->p == '}')
            {
              s->p++;
              return TRUE;
            }
          if (*s->p == ',')
            {
              s->p++;
              continue;
            }
          if (*s->p != '"' || !scan_string (s, key))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return FALSE;
          s->p++;
          if (path != NULL && *path != NULL && g_str_equal (key->str, *path))
            next = path + 1;
          if (!scan_value (s, next, depth + 1, found))
            return FALSE;
        }
    }

  if (*s->p == '[')
    {
      guint index = 0;

      s->p++;
      for (;;)
        {
          const char * const *next = NULL;

          skip_space (s);
          if (s->p >= s->end)
            return FALSE;
          if (*s->p == ']')
            {
              s->p++;
              return TRUE;
            }
          if (*s->p == ',')
            {
              s->p++;
              index++;
              continue;
            }
          if (path != NULL && *path != NULL && g_str_equal (*path, "0") && index == 0)
            next = path + 1;
          if (!scan_value (s, next, depth + 1, found))
            return FALSE;
        }
    }

  /* A number or a literal; anything else is malformed (and must not be
   * taken as an empty value, or an array would loop on it). */
  {
    const char *start = s->p;

    while (s->p < s->end && (g_ascii_isalnum (*s->p) || *s->p == '-' || *s->p == '+' || *s->p == '.'))
      s->p++;
    return s->p > start && s->p < s->end;
  }
}

char *
cohort_ai_chunk_content_prefix (const char *data,
                                gsize       length,
                                const char *holder)
{
  const char *path[] = { "choices", "0", holder, "content", NULL };
  Scan s = { data, data + length };
  GString *found = NULL;
  const char *valid_end;

  g_return_val_if_fail (holder != NULL, NULL);

  scan_value (&s, path, 0, &found);
  if (found == NULL)
    return NULL;

  /* The cut may fall inside a character. */
  g_utf8_validate_len (found->str, found->len, &valid_end);
  g_string_truncate (found, valid_end - found->str);
  return g_string_free (found, FALSE);
}
