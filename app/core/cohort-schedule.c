/* cohort-schedule.c: the class's upcoming lessons, and the teacher's
 * edits of the schedule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-schedule"

#include "config.h"

#include <string.h>

#include "cohort-array-model-private.h"
#include "cohort-json-private.h"
#include "cohort-schedule-private.h"
#include "cohort-schedule-protocol.h"
#include "cohort-session-private.h"

/* A timeout longer than this is re-armed: GLib's are in guint ms. */
#define MAX_WAIT_MS ((gint64) 24 * 3600 * 1000)

struct _CohortSchedule
{
  GObject        parent_instance;

  CohortSession *session;   /* weak: the session owns us */
  GPtrArray     *items;     /* CohortScheduleOccurrence, by start */
  guint          prune_id;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortSchedule, cohort_schedule, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id,
                                                              COHORT_TYPE_SCHEDULE_OCCURRENCE,
                                                              G_STRUCT_OFFSET (CohortSchedule, items)))

enum {
  PROP_0,
  PROP_NEXT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void arm_prune (CohortSchedule *self);

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Replaces the items with @upcoming's occurrences not yet ended. */
static void
apply_upcoming (CohortSchedule *self,
                JsonArray      *upcoming)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  CohortScheduleOccurrence *old_next = cohort_schedule_get_next (self);
  gint64 now = now_ms ();
  guint removed = self->items->len;

  for (guint i = 0; upcoming != NULL && i < json_array_get_length (upcoming); i++)
    {
      JsonNode *node = json_array_get_element (upcoming, i);
      CohortScheduleOccurrence *o;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !(o = _cohort_schedule_occurrence_new_from_json (json_node_get_object (node))))
        continue;
      if (cohort_schedule_occurrence_get_end_at (o) <= now ||
          (items->len > 0 &&
           cohort_schedule_occurrence_get_start_at (g_ptr_array_index (items, items->len - 1)) >
           cohort_schedule_occurrence_get_start_at (o)))
        {
          /* Past, or out of order: the list must stay sorted. */
          g_object_unref (o);
          continue;
        }
      g_ptr_array_add (items, o);
    }

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&items);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
  if (old_next != cohort_schedule_get_next (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT]);
  arm_prune (self);
}

static gboolean
on_prune (gpointer user_data)
{
  CohortSchedule *self = user_data;
  gint64 now = now_ms ();
  guint n = 0;

  self->prune_id = 0;
  while (n < self->items->len && cohort_schedule_occurrence_get_end_at (g_ptr_array_index (self->items, n)) <= now)
    n++;
  if (n > 0)
    {
      g_ptr_array_remove_range (self->items, 0, n);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT]);
    }
  arm_prune (self);
  return G_SOURCE_REMOVE;
}

/* Wakes when the first lesson ends, to drop it. */
static void
arm_prune (CohortSchedule *self)
{
  gint64 wait;

  g_clear_handle_id (&self->prune_id, g_source_remove);
  if (self->items->len == 0)
    return;
  wait = cohort_schedule_occurrence_get_end_at (g_ptr_array_index (self->items, 0)) - now_ms ();
  self->prune_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, (guint) (CLAMP (wait, 0, MAX_WAIT_MS) / 1000) + 1,
                                               on_prune, self, NULL);
}

static void
on_welcome (CohortSession  *session,
            JsonObject     *body,
            CohortSchedule *self)
{
  /* A server without a schedule sends none: the list is empty. */
  apply_upcoming (self, _cohort_json_array (_cohort_json_object (body, "schedule"), "upcoming"));
}

/* The start of @lesson_id's occurrence on @date among the items, or its
 * first one (@date NULL); 0 when there is none. */
static gint64
find_start (CohortSchedule *self,
            gint64          lesson_id,
            const char     *date)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      CohortScheduleOccurrence *o = g_ptr_array_index (self->items, i);

      if (cohort_schedule_occurrence_get_lesson_id (o) == lesson_id &&
          (date == NULL || g_strcmp0 (cohort_schedule_occurrence_get_date (o), date) == 0))
        return cohort_schedule_occurrence_get_start_at (o);
    }
  return 0;
}

static void
on_event (CohortSession  *session,
          const char     *event,
          JsonObject     *body,
          gint64          seq,
          CohortSchedule *self)
{
  const char *change;
  const char *date;
  JsonObject *lesson;
  gint64 lesson_id;
  gint64 start_at;

  if (!g_str_equal (event, COHORT_EV_SCHEDULE_CHANGED))
    return;

  change = _cohort_json_string (body, "change");
  date = _cohort_json_string (body, "date");
  lesson = _cohort_json_object (body, "lesson");
  lesson_id = _cohort_json_int (lesson, "lesson_id", 0);
  /* A cancelled occurrence is known only before the list drops it. */
  start_at = date != NULL ? find_start (self, lesson_id, date) : 0;
  apply_upcoming (self, _cohort_json_array (body, "upcoming"));
  if (g_strcmp0 (change, COHORT_SCHEDULE_STR_CANCELLED) != 0)
    start_at = find_start (self, lesson_id, NULL);
  if (change != NULL && _cohort_json_string (lesson, "title") != NULL)
    g_signal_emit (self, signals[CHANGED], 0, change, _cohort_json_string (lesson, "title"), start_at);
}

CohortSchedule *
_cohort_schedule_new (CohortSession *session)
{
  CohortSchedule *self = g_object_new (COHORT_TYPE_SCHEDULE, NULL);

  self->session = session;
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &self->session);
  g_signal_connect_object (session, "welcome", G_CALLBACK (on_welcome), self, 0);
  g_signal_connect_object (session, "event-received", G_CALLBACK (on_event), self, 0);
  return self;
}

static void
cohort_schedule_dispose (GObject *object)
{
  CohortSchedule *self = COHORT_SCHEDULE (object);

  g_clear_handle_id (&self->prune_id, g_source_remove);
  if (self->session != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->session), (gpointer *) &self->session);
      self->session = NULL;
    }
  G_OBJECT_CLASS (cohort_schedule_parent_class)->dispose (object);
}

static void
cohort_schedule_finalize (GObject *object)
{
  CohortSchedule *self = COHORT_SCHEDULE (object);

  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (cohort_schedule_parent_class)->finalize (object);
}

static void
cohort_schedule_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CohortSchedule *self = COHORT_SCHEDULE (object);

  switch (prop_id)
    {
    case PROP_NEXT:
      g_value_set_object (value, cohort_schedule_get_next (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_schedule_class_init (CohortScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_schedule_dispose;
  object_class->finalize = cohort_schedule_finalize;
  object_class->get_property = cohort_schedule_get_property;

  properties[PROP_NEXT] = g_param_spec_object ("next", NULL, NULL, COHORT_TYPE_SCHEDULE_OCCURRENCE,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 3,
                                   G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64);
}

static void
cohort_schedule_init (CohortSchedule *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

CohortScheduleOccurrence *
cohort_schedule_get_next (CohortSchedule *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE (self), NULL);

  return self->items->len > 0 ? g_ptr_array_index (self->items, 0) : NULL;
}

/* ---- requests ---- */

static void
send (CohortSchedule      *self,
      const char          *type,
      JsonObject          *body,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data,
      gpointer             source_tag)
{
  _cohort_session_request_for_object (self->session, self, type, body, cancellable, callback, user_data, source_tag);
}

static JsonObject *
spec_to_json (const CohortScheduleLessonSpec *spec)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "title", spec->title != NULL ? spec->title : "");
  json_object_set_string_member (body, "start", spec->start != NULL ? spec->start : "");
  json_object_set_string_member (body, "zone", spec->zone != NULL ? spec->zone : "");
  json_object_set_int_member (body, "duration", spec->duration);
  json_object_set_string_member (body, "recurrence",
                                 spec->weekly ? COHORT_SCHEDULE_STR_WEEKLY : COHORT_SCHEDULE_STR_NONE);
  if (spec->weekly && spec->count > 0)
    json_object_set_int_member (body, "count", spec->count);
  if (spec->weekly && spec->until != NULL)
    json_object_set_string_member (body, "until", spec->until);
  return body;
}

void
cohort_schedule_create_async (CohortSchedule                 *self,
                              const CohortScheduleLessonSpec *spec,
                              GCancellable                   *cancellable,
                              GAsyncReadyCallback             callback,
                              gpointer                        user_data)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_SCHEDULE (self));
  g_return_if_fail (spec != NULL);

  body = spec_to_json (spec);
  send (self, COHORT_REQ_SCHEDULE_CREATE, body, cancellable, callback, user_data, cohort_schedule_create_async);
}

void
cohort_schedule_update_async (CohortSchedule                 *self,
                              gint64                          lesson_id,
                              const CohortScheduleLessonSpec *spec,
                              GCancellable                   *cancellable,
                              GAsyncReadyCallback             callback,
                              gpointer                        user_data)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_SCHEDULE (self));
  g_return_if_fail (spec != NULL);

  body = spec_to_json (spec);
  json_object_set_int_member (body, "lesson_id", lesson_id);
  send (self, COHORT_REQ_SCHEDULE_UPDATE, body, cancellable, callback, user_data, cohort_schedule_update_async);
}

void
cohort_schedule_cancel_async (CohortSchedule      *self,
                              gint64               lesson_id,
                              const char          *date,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_SCHEDULE (self));

  json_object_set_int_member (body, "lesson_id", lesson_id);
  if (date != NULL)
    json_object_set_string_member (body, "date", date);
  send (self, COHORT_REQ_SCHEDULE_CANCEL, body, cancellable, callback, user_data, cohort_schedule_cancel_async);
}

gboolean
cohort_schedule_change_finish (CohortSchedule  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_val_if_fail (COHORT_IS_SCHEDULE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* The list follows with schedule.changed. */
  body = g_task_propagate_pointer (G_TASK (result), error);
  return body != NULL;
}

void
cohort_schedule_calendar_url_async (CohortSchedule      *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_SCHEDULE (self));

  send (self, COHORT_REQ_SCHEDULE_CALENDAR_KEY, body, cancellable, callback, user_data,
        cohort_schedule_calendar_url_async);
}

char *
cohort_schedule_calendar_url_finish (CohortSchedule  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GUri) ws = NULL;
  const char *path;
  const char *scheme;

  g_return_val_if_fail (COHORT_IS_SCHEDULE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(body = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;
  path = _cohort_json_string (body, "path");
  if (path == NULL || path[0] != '/' || self->session == NULL ||
      !(ws = g_uri_parse (cohort_session_get_server_url (self->session), G_URI_FLAGS_NONE, NULL)))
    {
      /* A resend gets the stored reply, which holds no key. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The server sent no calendar address");
      return NULL;
    }
  /* The feed is on the same host and port as the class's WebSocket. */
  scheme = g_strcmp0 (g_uri_get_scheme (ws), "wss") == 0 ? "https" : "http";
  if (g_uri_get_port (ws) > 0)
    return g_strdup_printf ("%s://%s:%d%s", scheme, g_uri_get_host (ws), g_uri_get_port (ws), path);
  return g_strdup_printf ("%s://%s%s", scheme, g_uri_get_host (ws), path);
}
