/* cohort-lesson.c: where the class's lesson is, and its requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-lesson"

#include "config.h"

#include "cohort-enums.h"
#include "cohort-json-private.h"
#include "cohort-lesson-protocol.h"
#include "cohort-notify-private.h"
#include "cohort-roster-csv.h"
#include "cohort-session-private.h"

struct _CohortLesson
{
  GObject            parent_instance;

  CohortSession     *session;      /* weak: the session owns us */
  CohortLessonState  state;
  gint64             number;
  gint64             started_at;
  gint64             ended_at;
  gint64             next_at;
};

G_DEFINE_FINAL_TYPE (CohortLesson, cohort_lesson, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_NUMBER,
  PROP_STARTED_AT,
  PROP_ENDED_AT,
  PROP_NEXT_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
cohort_attendance_row_free (CohortAttendanceRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row);
}

void
cohort_lesson_summary_free (CohortLessonSummary *summary)
{
  if (summary == NULL)
    return;
  g_strfreev (summary->badges);
  g_free (summary);
}

/* A lesson object from the network; FALSE (nothing applied) when it is
 * not one. */
static gboolean
apply_lesson (CohortLesson *self,
              JsonObject   *lesson)
{
  const char *state = _cohort_json_string (lesson, "state");
  CohortLessonState value;

  if (g_strcmp0 (state, COHORT_LESSON_STR_NOT_STARTED) == 0)
    value = COHORT_LESSON_STATE_NOT_STARTED;
  else if (g_strcmp0 (state, COHORT_LESSON_STR_LIVE) == 0)
    value = COHORT_LESSON_STATE_LIVE;
  else if (g_strcmp0 (state, COHORT_LESSON_STR_ENDED) == 0)
    value = COHORT_LESSON_STATE_ENDED;
  else
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_int64 (self, &self->number, MAX (_cohort_json_int (lesson, "number", 0), 0),
                     properties[PROP_NUMBER]);
  _cohort_set_int64 (self, &self->started_at, MAX (_cohort_json_int (lesson, "started_at", 0), 0),
                     properties[PROP_STARTED_AT]);
  _cohort_set_int64 (self, &self->ended_at, MAX (_cohort_json_int (lesson, "ended_at", 0), 0),
                     properties[PROP_ENDED_AT]);
  _cohort_set_int64 (self, &self->next_at, MAX (_cohort_json_int (lesson, "next_at", 0), 0),
                     properties[PROP_NEXT_AT]);
  /* Last, so that a handler of notify::state reads the new times. */
  if (self->state != value)
    {
      self->state = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

static void
on_welcome (CohortSession *session,
            JsonObject    *body,
            CohortLesson  *self)
{
  JsonObject *lesson = _cohort_json_object (body, "lesson");

  /* A server from before lessons: its classes are always on. */
  if (lesson == NULL || !apply_lesson (self, lesson))
    {
      g_autoptr(JsonObject) live = json_object_new ();

      json_object_set_string_member (live, "state", COHORT_LESSON_STR_LIVE);
      apply_lesson (self, live);
    }
}

static void
on_event (CohortSession *session,
          const char    *event,
          JsonObject    *body,
          gint64         seq,
          CohortLesson  *self)
{
  if (g_str_equal (event, COHORT_EV_LESSON_CHANGED) &&
      !apply_lesson (self, _cohort_json_object (body, "lesson")))
    g_debug ("A lesson.changed without a lesson this client understands");
}

CohortLesson *
_cohort_lesson_new (CohortSession *session)
{
  CohortLesson *self = g_object_new (COHORT_TYPE_LESSON, NULL);

  self->session = session;
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &self->session);
  g_signal_connect_object (session, "welcome", G_CALLBACK (on_welcome), self, 0);
  g_signal_connect_object (session, "event-received", G_CALLBACK (on_event), self, 0);
  return self;
}

/* ---- requests ---- */

static void
send (CohortLesson        *self,
      const char          *type,
      gint64               number,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data,
      gpointer             source_tag)
{
  g_autoptr(JsonObject) body = json_object_new ();

  if (number > 0)
    json_object_set_int_member (body, "number", number);
  _cohort_session_request_for_object (self->session, self, type, body, cancellable, callback, user_data, source_tag);
}

void
cohort_lesson_start_async (CohortLesson        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_LESSON (self));

  send (self, COHORT_REQ_LESSON_START, 0, cancellable, callback, user_data, cohort_lesson_start_async);
}

void
cohort_lesson_end_async (CohortLesson        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_LESSON (self));

  send (self, COHORT_REQ_LESSON_END, 0, cancellable, callback, user_data, cohort_lesson_end_async);
}

gboolean
cohort_lesson_change_finish (CohortLesson  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_val_if_fail (COHORT_IS_LESSON (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(body = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  /* The event follows, but the teacher's buttons need not wait for it. */
  apply_lesson (self, _cohort_json_object (body, "lesson"));
  return TRUE;
}

void
cohort_lesson_attendance_async (CohortLesson        *self,
                                gint64               number,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_LESSON (self));

  send (self, COHORT_REQ_LESSON_ATTENDANCE, number, cancellable, callback, user_data,
        cohort_lesson_attendance_async);
}

GPtrArray *
cohort_lesson_attendance_finish (CohortLesson  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(JsonObject) body = NULL;
  GPtrArray *rows;
  JsonArray *students;

  g_return_val_if_fail (COHORT_IS_LESSON (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(body = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_attendance_row_free);
  students = _cohort_json_array (body, "students");
  for (guint i = 0; students != NULL && i < json_array_get_length (students); i++)
    {
      JsonNode *node = json_array_get_element (students, i);
      JsonObject *student = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      CohortAttendanceRow *row;

      if (student == NULL || _cohort_json_string (student, "name") == NULL)
        continue;
      row = g_new0 (CohortAttendanceRow, 1);
      row->participant_id = _cohort_json_int (student, "participant_id", 0);
      row->name = g_strdup (_cohort_json_string (student, "name"));
      row->joined_at = MAX (_cohort_json_int (student, "joined_at", 0), 0);
      row->left_at = MAX (_cohort_json_int (student, "left_at", 0), 0);
      row->present_ms = MAX (_cohort_json_int (student, "present_ms", 0), 0);
      row->visits = CLAMP (_cohort_json_int (student, "visits", 0), 0, G_MAXUINT);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

void
cohort_lesson_summary_async (CohortLesson        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_LESSON (self));

  send (self, COHORT_REQ_LESSON_SUMMARY, self->number, cancellable, callback, user_data,
        cohort_lesson_summary_async);
}

CohortLessonSummary *
cohort_lesson_summary_finish (CohortLesson  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GStrvBuilder) badges = g_strv_builder_new ();
  CohortLessonSummary *summary;
  JsonObject *lesson;
  JsonObject *quiz;
  JsonArray *kinds;
  gint64 started_at, ended_at;

  g_return_val_if_fail (COHORT_IS_LESSON (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(body = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;

  lesson = _cohort_json_object (body, "lesson");
  quiz = _cohort_json_object (body, "quiz");
  kinds = _cohort_json_array (body, "badges");
  for (guint i = 0; kinds != NULL && i < json_array_get_length (kinds); i++)
    {
      JsonNode *node = json_array_get_element (kinds, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (badges, json_node_get_string (node));
    }

  started_at = MAX (_cohort_json_int (lesson, "started_at", 0), 0);
  ended_at = MAX (_cohort_json_int (lesson, "ended_at", 0), 0);
  if (ended_at == 0 && started_at > 0)
    ended_at = MAX (g_get_real_time () / 1000, started_at);

  summary = g_new0 (CohortLessonSummary, 1);
  summary->duration_ms = started_at > 0 ? ended_at - started_at : 0;
  summary->points = _cohort_json_int (body, "points", -1);
  summary->quiz_answered = CLAMP (_cohort_json_int (quiz, "answered", 0), 0, G_MAXUINT);
  summary->quiz_correct = CLAMP (_cohort_json_int (quiz, "correct", 0), 0, summary->quiz_answered);
  summary->quiz_points = MAX (_cohort_json_double (quiz, "points"), 0.0);
  summary->badges = g_strv_builder_end (badges);
  summary->next_at = MAX (_cohort_json_int (lesson, "next_at", 0), 0);
  /* The server's lesson object carries no schedule: the next lesson is
   * the schedule's first one that has not begun. */
  if (summary->next_at == 0 && self->session != NULL)
    {
      CohortSchedule *schedule = cohort_session_get_schedule (self->session);
      gint64 now = g_get_real_time () / 1000;

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (schedule)); i++)
        {
          g_autoptr(CohortScheduleOccurrence) o = g_list_model_get_item (G_LIST_MODEL (schedule), i);

          if (cohort_schedule_occurrence_get_start_at (o) > now)
            {
              summary->next_at = cohort_schedule_occurrence_get_start_at (o);
              break;
            }
        }
    }
  return summary;
}

/* ---- CSV ---- */

static void
append_time (GString   *csv,
             gint64     ms,
             GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  if (ms <= 0 || !(utc = g_date_time_new_from_unix_utc (ms / 1000)))
    return;
  local = tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_to_local (utc);
  text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  g_string_append (csv, text);
}

char *
cohort_attendance_to_csv (GPtrArray *rows,
                          GTimeZone *tz)
{
  GString *csv = g_string_new ("student,joined,left,minutes,visits\r\n");

  g_return_val_if_fail (rows != NULL, g_string_free (csv, TRUE));

  for (guint i = 0; i < rows->len; i++)
    {
      CohortAttendanceRow *row = g_ptr_array_index (rows, i);
      char minutes[G_ASCII_DTOSTR_BUF_SIZE];

      cohort_csv_append_field (csv, row->name);
      g_string_append_c (csv, ',');
      append_time (csv, row->joined_at, tz);
      g_string_append_c (csv, ',');
      append_time (csv, row->left_at, tz);
      g_ascii_formatd (minutes, sizeof minutes, "%.1f", row->present_ms / 60000.0);
      g_string_append_printf (csv, ",%s,%u\r\n", minutes, row->visits);
    }
  return g_string_free (csv, FALSE);
}

/* ---- GObject ---- */

static void
cohort_lesson_dispose (GObject *object)
{
  CohortLesson *self = COHORT_LESSON (object);

  if (self->session != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->session), (gpointer *) &self->session);
  self->session = NULL;

  G_OBJECT_CLASS (cohort_lesson_parent_class)->dispose (object);
}

static void
cohort_lesson_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CohortLesson *self = COHORT_LESSON (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_NUMBER:
      g_value_set_int64 (value, self->number);
      break;
    case PROP_STARTED_AT:
      g_value_set_int64 (value, self->started_at);
      break;
    case PROP_ENDED_AT:
      g_value_set_int64 (value, self->ended_at);
      break;
    case PROP_NEXT_AT:
      g_value_set_int64 (value, self->next_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_lesson_class_init (CohortLessonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cohort_lesson_dispose;
  object_class->get_property = cohort_lesson_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, COHORT_TYPE_LESSON_STATE, COHORT_LESSON_STATE_NOT_STARTED, flags);
  properties[PROP_NUMBER] = g_param_spec_int64 ("number", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STARTED_AT] = g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ENDED_AT] = g_param_spec_int64 ("ended-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NEXT_AT] = g_param_spec_int64 ("next-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_lesson_init (CohortLesson *self)
{
}

CohortLessonState
cohort_lesson_get_state (CohortLesson *self)
{
  g_return_val_if_fail (COHORT_IS_LESSON (self), COHORT_LESSON_STATE_NOT_STARTED);
  return self->state;
}

gint64
cohort_lesson_get_number (CohortLesson *self)
{
  g_return_val_if_fail (COHORT_IS_LESSON (self), 0);
  return self->number;
}

gint64
cohort_lesson_get_started_at (CohortLesson *self)
{
  g_return_val_if_fail (COHORT_IS_LESSON (self), 0);
  return self->started_at;
}

gint64
cohort_lesson_get_ended_at (CohortLesson *self)
{
  g_return_val_if_fail (COHORT_IS_LESSON (self), 0);
  return self->ended_at;
}

gint64
cohort_lesson_get_next_at (CohortLesson *self)
{
  g_return_val_if_fail (COHORT_IS_LESSON (self), 0);
  return self->next_at;
}
