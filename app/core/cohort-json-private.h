/* cohort-json-private.h: read a member of a JSON object defensively
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every body the models read came from the network. The protocol table
 * checked the members it covers; the rest (and replies) are read through
 * these: a NULL @object, a missing member or one of another type reads as
 * absent (NULL, or @fallback). */
const char *_cohort_json_string (JsonObject *object,
                                 const char *member);
JsonObject *_cohort_json_object (JsonObject *object,
                                 const char *member);
JsonArray  *_cohort_json_array  (JsonObject *object,
                                 const char *member);
gint64      _cohort_json_int    (JsonObject *object,
                                 const char *member,
                                 gint64      fallback);
/* An integer reads as a double too; anything else as 0. */
double      _cohort_json_double (JsonObject *object,
                                 const char *member);
/* The objects @make builds from @array's object elements (those it
 * refuses with NULL are left out), in order; @array may be NULL. */
GPtrArray  *_cohort_json_map_objects (JsonArray  *array,
                                      gpointer  (*make) (JsonObject *));

G_END_DECLS
