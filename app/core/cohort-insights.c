/* cohort-insights.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-insights"

#include "config.h"

#include "cohort-insights-protocol.h"
#include "cohort-lesson-protocol.h"

#include "cohort-array-model-private.h"
#include "cohort-fetch-private.h"
#include "cohort-insights.h"
#include "cohort-json-private.h"
#include "cohort-notify-private.h"
#include "cohort-roster-csv.h"

struct _CohortInsights
{
  GObject        parent_instance;

  GPtrArray     *rows;          /* CohortInsightsRow */
  CohortFetch    fetch;
  CohortInsightsSettings *settings;  /* NULL before the first reply */
  GError        *error;
  guint          n_at_risk;
  gint64         at;            /* the last reply's "at": a refresh asks what changed since */
  gboolean       live;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortInsights, cohort_insights, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_INSIGHTS_ROW,
                                                              G_STRUCT_OFFSET (CohortInsights, rows)))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_LIVE,
  PROP_N_AT_RISK,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CohortInsightsRow *
row_from_node (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return _cohort_insights_row_new (json_node_get_object (node));
}

/* A delta: the changed rows replace theirs, and "order" (every student's
 * id) is the new order. Rows the model does not have in a delta mean it
 * missed a reply: FALSE, and a full refresh follows. */
static gboolean
apply_delta (CohortInsights *self,
             JsonArray      *students,
             JsonArray      *order)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean same_order;
  guint n;

  if (order == NULL)
    return FALSE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      CohortInsightsRow *row = g_ptr_array_index (self->rows, i);
      gint64 *id = g_new (gint64, 1);

      *id = cohort_insights_row_get_participant_id (row);
      g_hash_table_insert (by_id, id, g_object_ref (row));
    }
  for (guint i = 0; students != NULL && i < json_array_get_length (students); i++)
    {
      CohortInsightsRow *row = row_from_node (json_array_get_element (students, i));
      gint64 *id;

      if (row == NULL)
        continue;
      id = g_new (gint64, 1);
      *id = cohort_insights_row_get_participant_id (row);
      g_hash_table_replace (by_id, id, row);
    }

  n = json_array_get_length (order);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (order, i);
      gint64 id = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
                  ? json_node_get_int (node) : 0;
      CohortInsightsRow *row = g_hash_table_lookup (by_id, &id);

      if (row == NULL)
        return FALSE;
      g_ptr_array_add (rows, g_object_ref (row));
    }

  same_order = rows->len == self->rows->len;
  for (guint i = 0; same_order && i < rows->len; i++)
    same_order = cohort_insights_row_get_participant_id (g_ptr_array_index (rows, i)) ==
                 cohort_insights_row_get_participant_id (g_ptr_array_index (self->rows, i));
  if (same_order)
    {
      /* The usual live refresh: a few rows changed in place. */
      for (guint i = 0; i < rows->len; i++)
        if (g_ptr_array_index (rows, i) != g_ptr_array_index (self->rows, i))
          {
            g_object_unref (g_ptr_array_index (self->rows, i));
            g_ptr_array_index (self->rows, i) = g_object_ref (g_ptr_array_index (rows, i));
            g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          }
    }
  else
    {
      guint removed = self->rows->len;

      g_ptr_array_set_size (self->rows, 0);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (self->rows, g_object_ref (g_ptr_array_index (rows, i)));
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->rows->len);
    }
  return TRUE;
}

/* FALSE: a delta that did not fit what the model holds. */
static gboolean
apply (CohortInsights *self,
       JsonObject     *body)
{
  JsonArray *students = _cohort_json_array (body, "students");
  JsonObject *settings = _cohort_json_object (body, "settings");
  gboolean live = json_object_get_boolean_member_with_default (body, "live", FALSE);
  guint n_at_risk = 0;

  if (json_object_get_boolean_member_with_default (body, "delta", FALSE))
    {
      if (!apply_delta (self, students, _cohort_json_array (body, "order")))
        return FALSE;
    }
  else
    {
      guint removed = self->rows->len;

      g_ptr_array_set_size (self->rows, 0);
      for (guint i = 0; students != NULL && i < json_array_get_length (students); i++)
        {
          CohortInsightsRow *row = row_from_node (json_array_get_element (students, i));

          if (row != NULL)
            g_ptr_array_add (self->rows, row);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->rows->len);
    }
  self->at = _cohort_json_int (body, "at", 0);
  for (guint i = 0; i < self->rows->len; i++)
    if (cohort_insights_row_get_at_risk (g_ptr_array_index (self->rows, i)))
      n_at_risk++;

  if (settings != NULL)
    {
      g_autoptr(CohortInsightsSettings) read = _cohort_insights_settings_new_from_json (settings);

      /* One object, updated in place: what binds to it stays bound. */
      if (self->settings == NULL)
        self->settings = g_steal_pointer (&read);
      else
        _cohort_insights_settings_update (self->settings, read);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
    }
  _cohort_set_uint (self, &self->n_at_risk, n_at_risk, properties[PROP_N_AT_RISK]);
  _cohort_set_boolean (self, &self->live, live, properties[PROP_LIVE]);
  return TRUE;
}

static void
apply_reply (gpointer      owner,
             JsonObject   *body,
             const GError *error)
{
  CohortInsights *self = owner;

  g_clear_error (&self->error);
  if (body != NULL && !apply (self, body))
    {
      /* A delta against rows we do not hold: ask for the whole table. */
      self->at = 0;
      self->fetch.again = TRUE;
    }
  else if (body == NULL)
    self->error = g_error_copy (error);
}

static const char * const refresh_events[] = {
  COHORT_EV_INSIGHTS_CHANGED, COHORT_EV_LESSON_CHANGED, NULL
};

static const CohortFetchClass fetch_class = {
  .events = refresh_events,
  .apply = apply_reply,
  .refresh = (void (*) (gpointer)) cohort_insights_refresh,
};

void
cohort_insights_refresh (CohortInsights *self)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_INSIGHTS (self));

  if (self->at > 0)
    {
      body = json_object_new ();
      json_object_set_int_member (body, "since", self->at);
    }
  _cohort_fetch_start (&self->fetch, COHORT_REQ_INSIGHTS_GET, body);
}

static void
cohort_insights_dispose (GObject *object)
{
  CohortInsights *self = COHORT_INSIGHTS (object);

  _cohort_fetch_dispose (&self->fetch);
  G_OBJECT_CLASS (cohort_insights_parent_class)->dispose (object);
}

static void
cohort_insights_finalize (GObject *object)
{
  CohortInsights *self = COHORT_INSIGHTS (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (cohort_insights_parent_class)->finalize (object);
}

static void
cohort_insights_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CohortInsights *self = COHORT_INSIGHTS (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->fetch.loading);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_N_AT_RISK:
      g_value_set_uint (value, self->n_at_risk);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_insights_class_init (CohortInsightsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_insights_dispose;
  object_class->finalize = cohort_insights_finalize;
  object_class->get_property = cohort_insights_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  properties[PROP_N_AT_RISK] = g_param_spec_uint ("n-at-risk", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] = g_param_spec_object ("settings", NULL, NULL, COHORT_TYPE_INSIGHTS_SETTINGS,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_insights_init (CohortInsights *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

CohortInsights *
cohort_insights_new (CohortSession *session)
{
  CohortInsights *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_INSIGHTS, NULL);
  _cohort_fetch_init (&self->fetch, &fetch_class, self, session, properties[PROP_LOADING]);
  cohort_insights_refresh (self);
  return self;
}

gboolean
cohort_insights_get_loading (CohortInsights *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS (self), FALSE);

  return self->fetch.loading;
}

gboolean
cohort_insights_get_live (CohortInsights *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS (self), FALSE);

  return self->live;
}

guint
cohort_insights_get_n_at_risk (CohortInsights *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS (self), 0);

  return self->n_at_risk;
}

CohortInsightsSettings *
cohort_insights_get_settings (CohortInsights *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS (self), NULL);

  return self->settings;
}

const GError *
cohort_insights_get_error (CohortInsights *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS (self), NULL);

  return self->error;
}

void
cohort_insights_set_settings_async (CohortInsights         *self,
                                    CohortInsightsSettings *settings,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data)
{
  g_autoptr(JsonObject) changes = NULL;

  g_return_if_fail (COHORT_IS_INSIGHTS (self));
  g_return_if_fail (COHORT_IS_INSIGHTS_SETTINGS (settings));

  changes = _cohort_insights_settings_to_json (settings);
  _cohort_fetch_write_async (&self->fetch, COHORT_REQ_INSIGHTS_SETTINGS_SET, changes, cancellable,
                             callback, user_data, cohort_insights_set_settings_async);
}

gboolean
cohort_insights_set_settings_finish (CohortInsights  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return _cohort_fetch_finish (self, result, error);
}

void
cohort_insights_nudge_async (CohortInsights      *self,
                             gint64               participant_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_INSIGHTS (self));

  json_object_set_int_member (body, "participant_id", participant_id);
  _cohort_fetch_write_async (&self->fetch, COHORT_REQ_INSIGHTS_NUDGE, body, cancellable, callback,
                             user_data, cohort_insights_nudge_async);
}

gboolean
cohort_insights_nudge_finish (CohortInsights  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return _cohort_fetch_finish (self, result, error);
}

static const char * const csv_figures[] = {
  "lessons_attended", "present_ms", "messages", "questions", "helpful", "hands", "stage_ms",
  "reactions", "quiz_answered", "quiz_correct", "accuracy", "checkins", "streak", "best_streak",
  "ai_questions",
};

char *
cohort_insights_to_csv (CohortInsights *self)
{
  GString *csv;

  g_return_val_if_fail (COHORT_IS_INSIGHTS (self), NULL);

  csv = g_string_new ("student,lessons,minutes,messages,questions,helpful,hands,stage_minutes,"
                      "reactions,quiz_answered,quiz_correct,accuracy,checkins,streak,best_streak,"
                      "ai_questions,at_risk,last_nudge\r\n");
  for (guint i = 0; i < self->rows->len; i++)
    {
      CohortInsightsRow *row = g_ptr_array_index (self->rows, i);
      g_autofree char *risks = g_strjoinv (" ", (GStrv) cohort_insights_row_get_risks (row));
      gint64 nudged = cohort_insights_row_get_figure (row, "last_nudge_at");

      cohort_csv_append_field (csv, cohort_insights_row_get_name (row));
      for (guint f = 0; f < G_N_ELEMENTS (csv_figures); f++)
        {
          gint64 value = cohort_insights_row_get_figure (row, csv_figures[f]);

          if (g_str_has_suffix (csv_figures[f], "_ms"))
            {
              char minutes[G_ASCII_DTOSTR_BUF_SIZE];

              g_ascii_formatd (minutes, sizeof minutes, "%.1f", value / 60000.0);
              g_string_append_printf (csv, ",%s", minutes);
            }
          else if (g_str_equal (csv_figures[f], "accuracy") && value < 0)
            g_string_append_c (csv, ',');
          else
            g_string_append_printf (csv, ",%" G_GINT64_FORMAT, value);
        }
      g_string_append_c (csv, ',');
      cohort_csv_append_field (csv, risks);
      g_string_append_c (csv, ',');
      if (nudged > 0)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (nudged / 1000);
          g_autoptr(GDateTime) local = g_date_time_to_local (utc);
          g_autofree char *text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

          g_string_append (csv, text);
        }
      g_string_append (csv, "\r\n");
    }
  return g_string_free (csv, FALSE);
}
