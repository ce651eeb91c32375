/* cohort-mastery-heatmap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-practice-protocol.h"
#include "cohort-protocol.h"

#include "cohort-fetch-private.h"
#include "cohort-json-private.h"
#include "cohort-mastery-heatmap.h"
#include "cohort-notify-private.h"

struct _CohortMasteryHeatmap
{
  GObject        parent_instance;

  CohortFetch    fetch;
  GListStore    *points;         /* CohortKnowledgePoint */
  GListStore    *students;       /* CohortMasteryRow */
  char          *error_message;
  int            sort_column;    /* -1: by name */
};

G_DEFINE_FINAL_TYPE (CohortMasteryHeatmap, cohort_mastery_heatmap, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_error_message (gpointer      owner,
                   const GError *error)
{
  CohortMasteryHeatmap *self = owner;

  _cohort_set_string (self, &self->error_message, error != NULL ? error->message : NULL,
                      properties[PROP_ERROR_MESSAGE]);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  CohortMasteryRow *ra = (CohortMasteryRow *) a, *rb = (CohortMasteryRow *) b;
  int column = GPOINTER_TO_INT (user_data);

  if (column >= 0)
    {
      int ca = cohort_mastery_row_get_cell (ra, column), cb = cohort_mastery_row_get_cell (rb, column);

      /* weakest first, students without an answer last */
      if ((ca < 0) != (cb < 0))
        return ca < 0 ? 1 : -1;
      if (ca != cb)
        return ca < cb ? -1 : 1;
    }
  return g_utf8_collate (cohort_mastery_row_get_name (ra), cohort_mastery_row_get_name (rb));
}

/* GPtrArray's sort hands over the array's slots, GListStore's the items. */
static int
compare_row_slots (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  return compare_rows (*(CohortMasteryRow * const *) a, *(CohortMasteryRow * const *) b, user_data);
}

/* FALSE when a student's row does not fit the reply's points: the model
 * keeps what it showed rather than a class with someone missing. */
static gboolean
apply_class (CohortMasteryHeatmap *self,
             JsonObject           *body)
{
  g_autoptr(GPtrArray) columns =
    _cohort_json_map_objects (_cohort_json_array (body, "points"),
                              (gpointer (*) (JsonObject *)) _cohort_knowledge_point_new_from_json);
  JsonArray *students = _cohort_json_array (body, "students");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  if (students == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonNode *node = json_array_get_element (students, i);
      CohortMasteryRow *row;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !(row = _cohort_mastery_row_new_from_json (json_node_get_object (node), columns->len)))
        return FALSE;
      g_ptr_array_add (rows, row);
    }

  if (self->sort_column >= (int) columns->len)
    self->sort_column = -1;
  g_ptr_array_sort_with_data (rows, compare_row_slots, GINT_TO_POINTER (self->sort_column));
  g_list_store_splice (self->points, 0, g_list_model_get_n_items (G_LIST_MODEL (self->points)),
                       columns->pdata, columns->len);
  g_list_store_splice (self->students, 0, g_list_model_get_n_items (G_LIST_MODEL (self->students)),
                       rows->pdata, rows->len);
  return TRUE;
}

static void
apply (gpointer      owner,
       JsonObject   *body,
       const GError *error)
{
  g_autoptr(GError) unfit = NULL;

  if (body != NULL && !apply_class (owner, body))
    unfit = g_error_new_literal (COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                                 _("The server sent a mastery table that does not fit. Try again later."));
  set_error_message (owner, unfit ?: error);
}

/* Revealed quiz answers count for mastery too. */
static const char * const refresh_events[] = { COHORT_EV_KNOWLEDGE_CHANGED, "quiz.scored", NULL };

static const CohortFetchClass fetch_class = {
  .events = refresh_events,
  .apply = apply,
  .refresh = (void (*) (gpointer)) cohort_mastery_heatmap_refresh,
  .write_failed = set_error_message,
};

void
cohort_mastery_heatmap_refresh (CohortMasteryHeatmap *self)
{
  g_return_if_fail (COHORT_IS_MASTERY_HEATMAP (self));

  _cohort_fetch_start (&self->fetch, COHORT_REQ_MASTERY_CLASS, NULL);
}

static void
cohort_mastery_heatmap_dispose (GObject *object)
{
  CohortMasteryHeatmap *self = COHORT_MASTERY_HEATMAP (object);

  _cohort_fetch_dispose (&self->fetch);
  G_OBJECT_CLASS (cohort_mastery_heatmap_parent_class)->dispose (object);
}

static void
cohort_mastery_heatmap_finalize (GObject *object)
{
  CohortMasteryHeatmap *self = COHORT_MASTERY_HEATMAP (object);

  g_clear_object (&self->points);
  g_clear_object (&self->students);
  g_free (self->error_message);
  G_OBJECT_CLASS (cohort_mastery_heatmap_parent_class)->finalize (object);
}

static void
cohort_mastery_heatmap_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CohortMasteryHeatmap *self = COHORT_MASTERY_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->fetch.loading);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_mastery_heatmap_class_init (CohortMasteryHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cohort_mastery_heatmap_dispose;
  object_class->finalize = cohort_mastery_heatmap_finalize;
  object_class->get_property = cohort_mastery_heatmap_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_mastery_heatmap_init (CohortMasteryHeatmap *self)
{
  self->points = g_list_store_new (COHORT_TYPE_KNOWLEDGE_POINT);
  self->students = g_list_store_new (COHORT_TYPE_MASTERY_ROW);
  self->sort_column = -1;
}

CohortMasteryHeatmap *
cohort_mastery_heatmap_new (CohortSession *session)
{
  CohortMasteryHeatmap *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_MASTERY_HEATMAP, NULL);
  _cohort_fetch_init (&self->fetch, &fetch_class, self, session, properties[PROP_LOADING]);
  cohort_mastery_heatmap_refresh (self);
  return self;
}

gboolean
cohort_mastery_heatmap_get_loading (CohortMasteryHeatmap *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_HEATMAP (self), FALSE);
  return self->fetch.loading;
}

const char *
cohort_mastery_heatmap_get_error_message (CohortMasteryHeatmap *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_HEATMAP (self), NULL);
  return self->error_message;
}

GListModel *
cohort_mastery_heatmap_get_points (CohortMasteryHeatmap *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_HEATMAP (self), NULL);
  return G_LIST_MODEL (self->points);
}

GListModel *
cohort_mastery_heatmap_get_students (CohortMasteryHeatmap *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_HEATMAP (self), NULL);
  return G_LIST_MODEL (self->students);
}

void
cohort_mastery_heatmap_sort_by (CohortMasteryHeatmap *self,
                                int                   index)
{
  g_return_if_fail (COHORT_IS_MASTERY_HEATMAP (self));

  self->sort_column = index < (int) g_list_model_get_n_items (G_LIST_MODEL (self->points)) ? index : -1;
  g_list_store_sort (self->students, (GCompareDataFunc) compare_rows, GINT_TO_POINTER (self->sort_column));
}

void
cohort_mastery_heatmap_set_point_async (CohortMasteryHeatmap *self,
                                        gint64                point_id,
                                        const char           *name,
                                        gboolean              practice,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_MASTERY_HEATMAP (self));

  if (point_id > 0)
    json_object_set_int_member (body, "point_id", point_id);
  /* with point_id a rename (the bank's questions are retagged) */
  if (name != NULL)
    json_object_set_string_member (body, "name", name);
  json_object_set_boolean_member (body, "practice", practice);
  _cohort_fetch_write_async (&self->fetch, COHORT_REQ_KNOWLEDGE_SET, body, cancellable, callback,
                             user_data, cohort_mastery_heatmap_set_point_async);
}

gboolean
cohort_mastery_heatmap_set_point_finish (CohortMasteryHeatmap  *self,
                                         GAsyncResult          *result,
                                         GError               **error)
{
  return _cohort_fetch_finish (self, result, error);
}

void
cohort_mastery_heatmap_launch_async (CohortMasteryHeatmap *self,
                                     gint64                point_id,
                                     guint                 count,
                                     gint64                time_limit,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_MASTERY_HEATMAP (self));

  json_object_set_int_member (body, "point_id", point_id);
  if (count > 0)
    json_object_set_int_member (body, "count", count);
  if (time_limit >= 0)
    json_object_set_int_member (body, "time_limit", time_limit);
  _cohort_fetch_write_async (&self->fetch, COHORT_REQ_PRACTICE_LAUNCH, body, cancellable, callback,
                             user_data, cohort_mastery_heatmap_launch_async);
}

gboolean
cohort_mastery_heatmap_launch_finish (CohortMasteryHeatmap  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  return _cohort_fetch_finish (self, result, error);
}
