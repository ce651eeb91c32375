/* cohort-lesson-service.c: lesson.start, lesson.end, lesson.attendance,
 * lesson.summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-lesson-service"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-identity-protocol.h"
#include "cohort-lesson-protocol.h"

#include "cohort-lesson-service.h"
#include "cohort-server-private.h"

struct _CohortLessonService
{
  CohortService           parent_instance;

  CohortLessonPointsFunc  points_func;
  gpointer                points_data;
  CohortLessonEndedFunc   ended_func;
  gpointer                ended_data;
};

G_DEFINE_FINAL_TYPE (CohortLessonService, cohort_lesson_service, COHORT_TYPE_SERVICE)

static const char * const state_names[] = {
  [COHORT_STORE_LESSON_NOT_STARTED] = COHORT_LESSON_STR_NOT_STARTED,
  [COHORT_STORE_LESSON_LIVE] = COHORT_LESSON_STR_LIVE,
  [COHORT_STORE_LESSON_ENDED] = COHORT_LESSON_STR_ENDED,
};

JsonObject *
cohort_lesson_service_to_json (const CohortLessonRecord *lesson)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (lesson != NULL, object);

  json_object_set_int_member (object, "number", lesson->number);
  json_object_set_string_member (object, "state", state_names[lesson->state]);
  json_object_set_int_member (object, "started_at", lesson->started_at);
  json_object_set_int_member (object, "ended_at", lesson->ended_at);
  /* No schedule is kept yet, so no "next_at": clients leave that line out. */
  return object;
}

/* The lesson named by the request's optional "number", or the current one;
 * NULL when answered (not_found) or with @error set. */
static CohortLessonRecord *
requested_lesson (CohortRequest  *req,
                  GError        **error)
{
  CohortStore *store = _cohort_server_get_store (cohort_request_get_server (req));
  gint64 class_id = cohort_connection_get_class_id (cohort_request_get_connection (req));
  gint64 number = json_object_get_int_member_with_default (cohort_request_get_body (req), "number", 0);
  CohortLessonRecord *lesson = cohort_store_lesson_get (store, class_id, number, error);

  if (lesson == NULL && *error == NULL)
    cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "number",
                          _("This class has no lesson with that number."));
  return lesson;
}

/* Stores @lesson's change and tells everyone: lesson.changed. */
static gboolean
emit_changed (CohortRequest       *req,
              CohortLessonRecord  *lesson,
              GError             **error)
{
  JsonObject *event = json_object_new ();

  json_object_set_object_member (event, "lesson", cohort_lesson_service_to_json (lesson));
  return cohort_request_emit (req, lesson->class_id, COHORT_EV_LESSON_CHANGED, event, error);
}

static void
finish_with_lesson (CohortRequest      *req,
                    CohortLessonRecord *lesson)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, "lesson", cohort_lesson_service_to_json (lesson));
  cohort_request_finish (req, body);
}

static gboolean
handle_start (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortServer *server = cohort_service_get_server (service);
  CohortStore *store = cohort_service_get_store (service);
  gint64 class_id = cohort_connection_get_class_id (cohort_request_get_connection (req));
  g_autoptr(CohortLessonRecord) lesson = NULL;

  if (!cohort_request_require_teacher (req, _("Only the teacher can start the lesson.")))
    return TRUE;

  if (!cohort_request_begin (req, error) ||
      !(lesson = cohort_store_lesson_get (store, class_id, 0, error)))
    return FALSE;

  /* Starting a live lesson changes nothing. */
  if (lesson->state == COHORT_STORE_LESSON_LIVE)
    {
      finish_with_lesson (req, lesson);
      return TRUE;
    }

  /* After the end, Start opens the class's next lesson. */
  if (lesson->state == COHORT_STORE_LESSON_ENDED)
    {
      gint64 opened_at = _cohort_server_next_ts (server);
      JsonObject *opened;

      if ((lesson->number = cohort_store_lesson_start (store, class_id, opened_at, error)) == 0)
        return FALSE;
      opened = json_object_new ();
      json_object_set_int_member (opened, "number", lesson->number);
      json_object_set_int_member (opened, "started_at", opened_at);
      if (!cohort_request_emit (req, class_id, COHORT_EV_LESSON_STARTED, opened, error))
        return FALSE;
      lesson->ended_at = 0;
    }

  lesson->state = COHORT_STORE_LESSON_LIVE;
  lesson->started_at = _cohort_server_next_ts (server);
  if (!cohort_store_lesson_set_started (store, class_id, lesson->number, lesson->started_at, error) ||
      !emit_changed (req, lesson, error))
    return FALSE;

  finish_with_lesson (req, lesson);
  return TRUE;
}

static gboolean
handle_end (CohortService  *service,
            CohortRequest  *req,
            GError        **error)
{
  CohortServer *server = cohort_service_get_server (service);
  CohortStore *store = cohort_service_get_store (service);
  gint64 class_id = cohort_connection_get_class_id (cohort_request_get_connection (req));
  g_autoptr(CohortLessonRecord) lesson = NULL;

  if (!cohort_request_require_teacher (req, _("Only the teacher can end the lesson.")))
    return TRUE;

  if (!(lesson = cohort_store_lesson_get (store, class_id, 0, error)))
    return FALSE;
  if (lesson->state != COHORT_STORE_LESSON_LIVE)
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, "state",
                             lesson->state == COHORT_STORE_LESSON_ENDED
                             ? _("The lesson has already ended.")
                             : _("The lesson has not started yet."));
      return TRUE;
    }

  lesson->state = COHORT_STORE_LESSON_ENDED;
  lesson->ended_at = _cohort_server_next_ts (server);
  if (!cohort_request_begin (req, error) ||
      !cohort_store_lesson_set_ended (store, class_id, lesson->number, lesson->ended_at, error) ||
      !emit_changed (req, lesson, error))
    return FALSE;

  finish_with_lesson (req, lesson);
  if (COHORT_LESSON_SERVICE (service)->ended_func != NULL)
    COHORT_LESSON_SERVICE (service)->ended_func (server, class_id, COHORT_LESSON_SERVICE (service)->ended_data);
  return TRUE;
}

/* Read only, and not stored: a resend reads the figures again. */
static gboolean
handle_attendance (CohortService  *service,
                   CohortRequest  *req,
                   GError        **error)
{
  CohortServer *server = cohort_service_get_server (service);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortLessonRecord) lesson = NULL;
  g_autoptr(GPtrArray) records = NULL;
  JsonObject *body;
  JsonArray *students;

  if (!cohort_request_require_teacher (req, _("Only the teacher can see the attendance.")))
    return TRUE;

  if (!(lesson = requested_lesson (req, error)))
    return *error == NULL;
  if (!(records = cohort_store_lesson_attendance (store, lesson, _cohort_server_next_ts (server), error)))
    return FALSE;

  students = json_array_new ();
  for (guint i = 0; i < records->len; i++)
    {
      CohortAttendanceRecord *record = g_ptr_array_index (records, i);
      JsonObject *row = json_object_new ();

      json_object_set_int_member (row, "participant_id", record->participant_id);
      json_object_set_string_member (row, "name", record->name);
      json_object_set_int_member (row, "joined_at", record->first_joined_at);
      json_object_set_int_member (row, "left_at", record->last_left_at);
      json_object_set_int_member (row, "present_ms", record->present_ms);
      json_object_set_int_member (row, "visits", record->visits);
      json_array_add_object_element (students, row);
    }

  body = json_object_new ();
  json_object_set_object_member (body, "lesson", cohort_lesson_service_to_json (lesson));
  json_object_set_array_member (body, "students", students);
  cohort_request_reply (req, body);
  return TRUE;
}

/* Read only: the asker's own figures of the lesson. */
static gboolean
handle_summary (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortLessonService *self = COHORT_LESSON_SERVICE (service);
  CohortServer *server = cohort_service_get_server (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(CohortLessonRecord) lesson = NULL;
  g_autoptr(CohortLessonSummaryRecord) summary = NULL;
  gint64 points = -1;
  JsonObject *body;
  JsonObject *quiz;
  JsonArray *badges;
  gint64 to;

  if (!(lesson = requested_lesson (req, error)))
    return *error == NULL;

  to = lesson->state == COHORT_STORE_LESSON_ENDED ? lesson->ended_at : _cohort_server_next_ts (server);
  if (!(summary = cohort_store_lesson_summary (store, lesson->class_id, cohort_connection_get_participant_id (conn),
                                               lesson->started_at > 0 ? lesson->started_at : to, to, error)))
    return FALSE;

  quiz = json_object_new ();
  json_object_set_int_member (quiz, "answered", summary->quiz_answered);
  json_object_set_int_member (quiz, "correct", summary->quiz_correct);
  json_object_set_double_member (quiz, "points", summary->quiz_points);
  badges = json_array_new ();
  for (guint i = 0; summary->badges[i] != NULL; i++)
    json_array_add_string_element (badges, summary->badges[i]);

  /* Points come from the groups ledger, which counts from the start on. */
  if (self->points_func != NULL && lesson->started_at > 0)
    points = self->points_func (server, lesson->class_id, cohort_connection_get_participant_id (conn),
                                lesson->started_at, self->points_data);

  body = json_object_new ();
  json_object_set_object_member (body, "lesson", cohort_lesson_service_to_json (lesson));
  json_object_set_object_member (body, "quiz", quiz);
  json_object_set_array_member (body, "badges", badges);
  if (points >= 0)
    json_object_set_int_member (body, "points", points);
  cohort_request_reply (req, body);
  return TRUE;
}

/* Everyone who joins, and every snapshot, learns where the lesson is. */
static void
cohort_lesson_service_welcome (CohortService    *service,
                               CohortConnection *conn,
                               JsonObject       *body)
{
  g_autoptr(CohortLessonRecord) lesson = NULL;
  g_autoptr(GError) error = NULL;

  lesson = cohort_store_lesson_get (cohort_service_get_store (service), cohort_connection_get_class_id (conn),
                                    0, &error);
  if (lesson == NULL)
    {
      g_warning ("Could not add the lesson to a welcome: %s", error ? error->message : "no lesson");
      return;
    }
  json_object_set_object_member (body, "lesson", cohort_lesson_service_to_json (lesson));
}

static void
cohort_lesson_service_class_init (CohortLessonServiceClass *klass)
{
  COHORT_SERVICE_CLASS (klass)->welcome = cohort_lesson_service_welcome;
}

static void
cohort_lesson_service_init (CohortLessonService *self)
{
}

CohortLessonService *
cohort_lesson_service_new (CohortServer *server)
{
  CohortLessonService *self = g_object_new (COHORT_TYPE_LESSON_SERVICE, "server", server, NULL);
  CohortService *service = COHORT_SERVICE (self);

  cohort_service_add_handler (service, COHORT_REQ_LESSON_START, handle_start);
  cohort_service_add_handler (service, COHORT_REQ_LESSON_END, handle_end);
  cohort_service_add_handler (service, COHORT_REQ_LESSON_ATTENDANCE, handle_attendance);
  cohort_service_add_handler (service, COHORT_REQ_LESSON_SUMMARY, handle_summary);
  return self;
}

void
cohort_lesson_service_set_points_func (CohortLessonService    *self,
                                       CohortLessonPointsFunc  func,
                                       gpointer                user_data)
{
  g_return_if_fail (COHORT_IS_LESSON_SERVICE (self));

  self->points_func = func;
  self->points_data = user_data;
}

void
cohort_lesson_service_set_ended_func (CohortLessonService   *self,
                                      CohortLessonEndedFunc  func,
                                      gpointer               user_data)
{
  g_return_if_fail (COHORT_IS_LESSON_SERVICE (self));

  self->ended_func = func;
  self->ended_data = user_data;
}
