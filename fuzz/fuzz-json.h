/* fuzz-json.h: what the fuzz targets that read JSON share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members and values alike, in any member order. */
static inline gboolean
fuzz_objects_equal (JsonObject *a,
                    JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

G_END_DECLS
