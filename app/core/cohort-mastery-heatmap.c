/* cohort-mastery-heatmap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice"

#include "config.h"

#include "cohort-practice-protocol.h"

#include "cohort-json-private.h"
#include "cohort-mastery-heatmap.h"

struct _CohortMasteryHeatmap
{
  GObject        parent_instance;

  CohortSession *session;        /* weak */
  GCancellable  *cancellable;
  GListStore    *points;         /* CohortKnowledgePoint */
  GListStore    *students;       /* CohortMasteryRow */
  char          *error_message;
  int            sort_column;    /* -1: by name */
  gboolean       loading;
  gboolean       again;
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
set_error_message (CohortMasteryHeatmap *self,
                   const GError         *error)
{
  const char *message = error != NULL ? error->message : NULL;

  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
set_loading (CohortMasteryHeatmap *self,
             gboolean              loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
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

static void
apply (CohortMasteryHeatmap *self,
       JsonObject           *body)
{
  JsonArray *points = _cohort_json_array (body, "points");
  JsonArray *students = _cohort_json_array (body, "students");
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; points != NULL && i < json_array_get_length (points); i++)
    {
      JsonNode *node = json_array_get_element (points, i);
      CohortKnowledgePoint *p;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          (p = _cohort_knowledge_point_new_from_json (json_node_get_object (node))) != NULL)
        g_ptr_array_add (columns, p);
    }
  for (guint i = 0; students != NULL && i < json_array_get_length (students); i++)
    {
      JsonNode *node = json_array_get_element (students, i);
      CohortMasteryRow *r;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          (r = _cohort_mastery_row_new_from_json (json_node_get_object (node))) != NULL)
        g_ptr_array_add (rows, r);
    }
  if (self->sort_column >= (int) columns->len)
    self->sort_column = -1;
  g_ptr_array_sort_with_data (rows, compare_row_slots, GINT_TO_POINTER (self->sort_column));
  g_list_store_splice (self->points, 0, g_list_model_get_n_items (G_LIST_MODEL (self->points)),
                       columns->pdata, columns->len);
  g_list_store_splice (self->students, 0, g_list_model_get_n_items (G_LIST_MODEL (self->students)),
                       rows->pdata, rows->len);
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(CohortMasteryHeatmap) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (body != NULL)
    apply (self, body);
  set_error_message (self, error);
  set_loading (self, FALSE);
  if (self->again)
    {
      self->again = FALSE;
      cohort_mastery_heatmap_refresh (self);
    }
}

void
cohort_mastery_heatmap_refresh (CohortMasteryHeatmap *self)
{
  g_return_if_fail (COHORT_IS_MASTERY_HEATMAP (self));

  if (self->session == NULL)
    return;
  if (self->loading)
    {
      self->again = TRUE;
      return;
    }
  set_loading (self, TRUE);
  cohort_session_request_async (self->session, COHORT_REQ_MASTERY_CLASS, NULL, self->cancellable,
                                get_cb, g_object_ref (self));
}

static void
on_event (CohortSession        *session,
          const char           *event,
          JsonObject           *body,
          gint64                seq,
          CohortMasteryHeatmap *self)
{
  /* Revealed quiz answers count for mastery too. */
  if (g_str_equal (event, COHORT_EV_KNOWLEDGE_CHANGED) || g_str_equal (event, "quiz.scored"))
    cohort_mastery_heatmap_refresh (self);
}

static void
cohort_mastery_heatmap_dispose (GObject *object)
{
  CohortMasteryHeatmap *self = COHORT_MASTERY_HEATMAP (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->session), (gpointer *) &self->session);
  self->session = NULL;
  G_OBJECT_CLASS (cohort_mastery_heatmap_parent_class)->dispose (object);
}

static void
cohort_mastery_heatmap_finalize (GObject *object)
{
  CohortMasteryHeatmap *self = COHORT_MASTERY_HEATMAP (object);

  g_clear_object (&self->points);
  g_clear_object (&self->students);
  g_clear_object (&self->cancellable);
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
      g_value_set_boolean (value, self->loading);
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
  self->cancellable = g_cancellable_new ();
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
  self->session = session;
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &self->session);
  g_signal_connect_object (session, "event-received", G_CALLBACK (on_event), self, 0);
  cohort_mastery_heatmap_refresh (self);
  return self;
}

gboolean
cohort_mastery_heatmap_get_loading (CohortMasteryHeatmap *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_HEATMAP (self), FALSE);
  return self->loading;
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

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortMasteryHeatmap *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (body == NULL)
    {
      set_error_message (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cohort_mastery_heatmap_refresh (self);
  g_task_return_boolean (task, TRUE);
}

static void
write_async (CohortMasteryHeatmap *self,
             const char           *type,
             JsonObject           *body,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data,
             gpointer              source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The class was closed");
      g_object_unref (task);
      return;
    }
  cohort_session_request_async (self->session, type, body, cancellable, write_cb, task);
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
  else if (name != NULL)
    json_object_set_string_member (body, "name", name);
  json_object_set_boolean_member (body, "practice", practice);
  write_async (self, COHORT_REQ_KNOWLEDGE_SET, body, cancellable, callback, user_data,
               cohort_mastery_heatmap_set_point_async);
}

gboolean
cohort_mastery_heatmap_set_point_finish (CohortMasteryHeatmap  *self,
                                         GAsyncResult          *result,
                                         GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
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
  write_async (self, COHORT_REQ_PRACTICE_LAUNCH, body, cancellable, callback, user_data,
               cohort_mastery_heatmap_launch_async);
}

gboolean
cohort_mastery_heatmap_launch_finish (CohortMasteryHeatmap  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
