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

gboolean
cohort_ai_chunk_parse (const char     *data,
                       CohortAiChunk  *out,
                       GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  JsonNode *node;

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

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "not an object");
  root = json_node_get_object (node);

  node = json_object_get_member (root, "error");
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
      out->finish_reason = g_strdup (string_member (choice, "finish_reason"));

      delta = json_object_get_member (choice, "delta");
      if (delta != NULL && JSON_NODE_HOLDS_OBJECT (delta))
        {
          JsonNode *content = json_object_get_member (json_node_get_object (delta), "content");

          if (content != NULL && !JSON_NODE_HOLDS_NULL (content))
            {
              if (!JSON_NODE_HOLDS_VALUE (content) ||
                  json_node_get_value_type (content) != G_TYPE_STRING)
                {
                  cohort_ai_chunk_clear (out);
                  return invalid (error, "delta.content is not a string");
                }
              out->content = g_strdup (json_node_get_string (content));
            }
        }
      else if (delta != NULL && !JSON_NODE_HOLDS_NULL (delta))
        {
          cohort_ai_chunk_clear (out);
          return invalid (error, "delta is not an object");
        }
    }

  return TRUE;
}
