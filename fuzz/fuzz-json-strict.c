/* fuzz-json-strict.c: the strict RFC 8259 check every frame passes first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cohort-json-strict.h"
#include "cohort-protocol.h"
#include "fuzz-common.h"

/* Whether the tree json-glib built keeps to what the check promised: depth,
 * members per object, UTF-8 names and strings (a lone surrogate escape
 * would decode to bytes that are not). */
static gboolean
tree_within_limits (JsonNode *node,
                    guint     depth)
{
  if (depth > COHORT_JSON_MAX_DEPTH + 1)
    return FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      if (json_object_get_size (object) > COHORT_JSON_MAX_MEMBERS)
        return FALSE;
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (!g_utf8_validate (name, -1, NULL) ||
              !tree_within_limits (json_object_get_member (object, name), depth + 1))
            return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!tree_within_limits (json_array_get_element (array, i), depth + 1))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) &&
           json_node_get_value_type (node) == G_TYPE_STRING &&
           !g_utf8_validate (json_node_get_string (node), -1, NULL))
    return FALSE;

  return TRUE;
}

static gboolean
has_huge_number (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) values = json_object_get_values (json_node_get_object (node));

      for (GList *l = values; l != NULL; l = l->next)
        if (has_huge_number (l->data))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (has_huge_number (json_array_get_element (array, i)))
          return TRUE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return !cohort_protocol_double_writable (json_node_get_double (node));

  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  CohortJsonStrictResult result;
  gsize offset = G_MAXSIZE;

  fuzz_init_once ();

  result = cohort_json_strict_check (text, size, &offset);
  FUZZ_CHECK (cohort_json_strict_message (result) != NULL, "every result has a message");

  if (result != COHORT_JSON_STRICT_OK)
    {
      FUZZ_CHECK (offset <= size, "a refusal points inside the input");
      return 0;
    }

  /* Accepted: one object, UTF-8, no NUL anywhere in the bytes (a raw NUL
   * is a control character, an escaped one is refused), and json-glib reads
   * the same bytes to a tree within the check's limits, whose output the
   * check accepts again. */
  FUZZ_CHECK (g_utf8_validate_len (text, size, NULL), "accepted input is UTF-8");
  FUZZ_CHECK (memchr (text, '\0', size) == NULL, "accepted input has no NUL byte");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *again = NULL;
    JsonNode *root;

    FUZZ_CHECK (json_parser_load_from_data (parser, text, size, &error), "json-glib reads what the check accepts");
    root = json_parser_get_root (parser);
    FUZZ_CHECK (root != NULL && JSON_NODE_HOLDS_OBJECT (root), "the accepted value is an object");
    FUZZ_CHECK (tree_within_limits (root, 1), "the tree is within the check's limits");

    again = json_to_string (root, FALSE);
    /* json-glib writes 1e999 as "inf", 2e198 as "2e+198.0" and 5e-91 as
     * "5e-91.0": the protocol refuses such numbers after this check
     * (cohort_protocol_double_writable), so only the others must
     * round-trip. */
    if (!has_huge_number (root))
      FUZZ_CHECK (cohort_json_strict_check (again, strlen (again), NULL) == COHORT_JSON_STRICT_OK,
                  "json-glib's output of an accepted object is accepted again");
  }

  return 0;
}
