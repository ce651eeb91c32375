/* cohort-schedule-service.c: schedule.list, schedule.create,
 * schedule.update, schedule.cancel, the calendar keys and the .ics feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-schedule-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-schedule-protocol.h"
#include "cohort-schedule-rule.h"

#include "cohort-schedule-ics.h"
#include "cohort-schedule-service.h"
#include "cohort-secret.h"
#include "cohort-server-private.h"

#define MS_PER_DAY ((gint64) 24 * 3600 * 1000)
/* A calendar key: cohort_secret_new()'s 43 base64url characters. */
#define CALENDAR_KEY_CHARS 43
#define CALENDAR_PATH_PREFIX "/classes/"
#define CALENDAR_PATH_SUFFIX "/schedule.ics"

struct _CohortScheduleService
{
  CohortService parent_instance;
};

G_DEFINE_FINAL_TYPE (CohortScheduleService, cohort_schedule_service, COHORT_TYPE_SERVICE)

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* The series' own members, shared by a lesson and its occurrences. */
static void
set_series_members (JsonObject                       *object,
                    const CohortScheduleLessonRecord *lesson)
{
  g_autofree char *start = cohort_schedule_local_format (lesson->first, lesson->hour, lesson->minute);

  json_object_set_int_member (object, "lesson_id", lesson->id);
  json_object_set_string_member (object, "title", lesson->title);
  json_object_set_string_member (object, "start", start);
  json_object_set_string_member (object, "zone", lesson->zone);
  json_object_set_int_member (object, "duration", lesson->duration_min);
  json_object_set_string_member (object, "recurrence",
                                 lesson->weekly ? COHORT_SCHEDULE_STR_WEEKLY : COHORT_SCHEDULE_STR_NONE);
  if (lesson->weekly && lesson->count > 0)
    json_object_set_int_member (object, "count", lesson->count);
  if (lesson->weekly && lesson->until > 0)
    {
      g_autofree char *until = cohort_schedule_date_format (lesson->until);

      json_object_set_string_member (object, "until", until);
    }
}

/* The wire form of a series (docs/protocol-schedule.md, "A lesson"). */
static JsonObject *
lesson_to_json (const CohortScheduleLessonRecord *lesson)
{
  JsonObject *object = json_object_new ();
  JsonArray *exceptions = json_array_new ();

  set_series_members (object, lesson);
  json_object_set_boolean_member (object, "cancelled", lesson->cancelled);
  for (guint i = 0; i < lesson->exceptions->len; i++)
    {
      g_autofree char *date = cohort_schedule_date_format (g_array_index (lesson->exceptions,
                                                                         CohortScheduleDate, i));

      json_array_add_string_element (exceptions, date);
    }
  json_object_set_array_member (object, "cancelled_dates", exceptions);
  json_object_set_int_member (object, "updated_at", lesson->updated_at);
  return object;
}

/* The wire form of an occurrence: its series' members, its date and its
 * UTC start. */
static JsonArray *
occurrences_to_json (CohortStore  *store,
                     gint64        class_id,
                     GPtrArray    *occurrences,
                     GError      **error)
{
  g_autoptr(GHashTable) lessons = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                         (GDestroyNotify) cohort_schedule_lesson_record_free);
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < occurrences->len; i++)
    {
      CohortScheduleOccurrenceRecord *o = g_ptr_array_index (occurrences, i);
      CohortScheduleLessonRecord *lesson = g_hash_table_lookup (lessons, &o->lesson_id);
      g_autofree char *date = cohort_schedule_date_format (o->date);
      JsonObject *object;

      if (lesson == NULL)
        {
          if (!(lesson = cohort_store_schedule_get (store, class_id, o->lesson_id, error)))
            return NULL;
          g_hash_table_insert (lessons, &lesson->id, lesson);
        }
      object = json_object_new ();
      set_series_members (object, lesson);
      json_object_set_string_member (object, "date", date);
      json_object_set_int_member (object, "start_at", o->start_ms);
      json_array_add_object_element (array, object);
    }
  return g_steal_pointer (&array);
}

/* The next few lessons from now: what the welcome and schedule.changed carry. */
static JsonArray *
upcoming_json (CohortStore  *store,
               gint64        class_id,
               GError      **error)
{
  g_autoptr(GPtrArray) upcoming = NULL;
  gint64 now = now_ms ();

  if (!(upcoming = cohort_store_schedule_upcoming (store, class_id, now,
                                                   now + COHORT_SCHEDULE_UPCOMING_DAYS * MS_PER_DAY,
                                                   COHORT_SCHEDULE_UPCOMING_MAX, error)))
    return NULL;
  return occurrences_to_json (store, class_id, upcoming, error);
}

static gint64
class_of (CohortRequest *req)
{
  return cohort_connection_get_class_id (cohort_request_get_connection (req));
}

/* Any member: the class's series and the occurrences of the next `days`. */
static gboolean
handle_list (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  gint64 class_id = class_of (req);
  gint64 days = json_object_get_int_member_with_default (cohort_request_get_body (req), "days",
                                                         COHORT_SCHEDULE_DEFAULT_LIST_DAYS);
  g_autoptr(GPtrArray) lessons = NULL;
  g_autoptr(GPtrArray) occurrences = NULL;
  JsonArray *lesson_array;
  JsonArray *occurrence_array;
  JsonObject *body;
  gint64 now = now_ms ();

  if (!(lessons = cohort_store_schedule_list (store, class_id, error)) ||
      !(occurrences = cohort_store_schedule_upcoming (store, class_id, now, now + days * MS_PER_DAY,
                                                      COHORT_SCHEDULE_MAX_LIST, error)) ||
      !(occurrence_array = occurrences_to_json (store, class_id, occurrences, error)))
    return FALSE;

  lesson_array = json_array_new ();
  for (guint i = 0; i < lessons->len; i++)
    json_array_add_object_element (lesson_array, lesson_to_json (g_ptr_array_index (lessons, i)));

  body = json_object_new ();
  json_object_set_array_member (body, "lessons", lesson_array);
  json_object_set_array_member (body, "occurrences", occurrence_array);
  cohort_request_reply (req, body);
  return TRUE;
}

/* The body's lesson fields into @record; FALSE when answered (a refusal
 * the field specs cannot express: fields that do not go together). */
static gboolean
read_lesson (CohortRequest              *req,
             CohortScheduleLessonRecord *record)
{
  JsonObject *body = cohort_request_get_body (req);
  const char *recurrence = json_object_get_string_member (body, "recurrence");
  const char *until = json_object_get_string_member_with_default (body, "until", NULL);

  /* The protocol tables checked each field already. */
  g_free (record->title);
  record->title = g_strdup (json_object_get_string_member (body, "title"));
  cohort_schedule_local_parse (json_object_get_string_member (body, "start"),
                               &record->first, &record->hour, &record->minute);
  g_free (record->zone);
  record->zone = g_strdup (json_object_get_string_member (body, "zone"));
  record->duration_min = json_object_get_int_member (body, "duration");
  record->weekly = g_strcmp0 (recurrence, COHORT_SCHEDULE_STR_WEEKLY) == 0;
  record->count = json_object_get_int_member_with_default (body, "count", 0);
  record->until = 0;
  if (until != NULL)
    cohort_schedule_date_parse (until, &record->until);

  if (!record->weekly && (record->count > 0 || record->until > 0))
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, record->count > 0 ? "count" : "until",
                             _("Only a weekly lesson can have a number of lessons or an end date."));
      return FALSE;
    }
  if (record->count > 0 && record->until > 0)
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, "until",
                             _("Give either a number of lessons or an end date, not both."));
      return FALSE;
    }
  if (record->until > 0 && record->until < record->first)
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, "until",
                             _("The end date is before the first lesson."));
      return FALSE;
    }
  return TRUE;
}

/* Tells the class: schedule.changed with the next few lessons. */
static gboolean
emit_changed (CohortRequest                    *req,
              const char                       *change,
              const CohortScheduleLessonRecord *lesson,
              const char                       *date,
              GError                          **error)
{
  CohortStore *store = _cohort_server_get_store (cohort_request_get_server (req));
  JsonArray *upcoming;
  JsonObject *event;

  if (!(upcoming = upcoming_json (store, lesson->class_id, error)))
    return FALSE;
  event = json_object_new ();
  json_object_set_string_member (event, "change", change);
  json_object_set_object_member (event, "lesson", lesson_to_json (lesson));
  if (date != NULL)
    json_object_set_string_member (event, "date", date);
  json_object_set_array_member (event, "upcoming", upcoming);
  return cohort_request_emit (req, lesson->class_id, COHORT_EV_SCHEDULE_CHANGED, event, error);
}

static void
finish_with_lesson (CohortRequest                    *req,
                    const CohortScheduleLessonRecord *lesson)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, "lesson", lesson_to_json (lesson));
  cohort_request_finish (req, body);
}

static gboolean
handle_create (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortScheduleLessonRecord) lesson = cohort_schedule_lesson_record_new ();
  gint64 count;

  if (!cohort_request_require_teacher (req, _("Only the teacher can schedule lessons.")))
    return TRUE;
  if (!read_lesson (req, lesson))
    return TRUE;

  lesson->class_id = class_of (req);
  if ((count = cohort_store_schedule_count (store, lesson->class_id, error)) < 0)
    return FALSE;
  if (count >= COHORT_SCHEDULE_MAX_LESSONS)
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, "title",
                             _("This class has too many scheduled lessons. Cancel old ones before adding more."));
      return TRUE;
    }

  lesson->updated_at = _cohort_server_next_ts (cohort_service_get_server (service));
  if (!cohort_request_begin (req, error) ||
      (lesson->id = cohort_store_schedule_insert (store, lesson, error)) == 0 ||
      !emit_changed (req, COHORT_SCHEDULE_STR_CREATED, lesson, NULL, error))
    return FALSE;

  finish_with_lesson (req, lesson);
  return TRUE;
}

/* @class_id's series named by the body's lesson_id; NULL when answered
 * (not_found) or with @error set. */
static CohortScheduleLessonRecord *
requested_lesson (CohortRequest  *req,
                  GError        **error)
{
  CohortStore *store = _cohort_server_get_store (cohort_request_get_server (req));
  gint64 lesson_id = json_object_get_int_member (cohort_request_get_body (req), "lesson_id");
  CohortScheduleLessonRecord *lesson = cohort_store_schedule_get (store, class_of (req), lesson_id, error);

  if (lesson == NULL && *error == NULL)
    cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "lesson_id",
                          _("This class has no scheduled lesson with that number."));
  return lesson;
}

static gboolean
handle_update (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortScheduleLessonRecord) lesson = NULL;

  if (!cohort_request_require_teacher (req, _("Only the teacher can change the schedule.")))
    return TRUE;
  if (!(lesson = requested_lesson (req, error)))
    return *error == NULL;
  if (lesson->cancelled)
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, "lesson_id",
                             _("This lesson was cancelled. Schedule a new one instead."));
      return TRUE;
    }
  if (!read_lesson (req, lesson))
    return TRUE;

  lesson->updated_at = _cohort_server_next_ts (cohort_service_get_server (service));
  if (!cohort_request_begin (req, error) ||
      !cohort_store_schedule_update (store, lesson, error) ||
      !emit_changed (req, COHORT_SCHEDULE_STR_UPDATED, lesson, NULL, error))
    return FALSE;

  finish_with_lesson (req, lesson);
  return TRUE;
}

/* One occurrence (with "date") or the whole series. */
static gboolean
handle_cancel (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  const char *date_text = json_object_get_string_member_with_default (cohort_request_get_body (req),
                                                                      "date", NULL);
  g_autoptr(CohortScheduleLessonRecord) lesson = NULL;
  CohortScheduleDate date = 0;

  if (!cohort_request_require_teacher (req, _("Only the teacher can cancel lessons.")))
    return TRUE;
  if (!(lesson = requested_lesson (req, error)))
    return *error == NULL;

  lesson->updated_at = _cohort_server_next_ts (cohort_service_get_server (service));
  if (date_text != NULL)
    {
      CohortScheduleRule rule;

      cohort_schedule_date_parse (date_text, &date);
      cohort_schedule_lesson_record_rule (lesson, &rule);
      if (!cohort_schedule_rule_has_date (&rule, date))
        {
          cohort_request_refuse (req, COHORT_ERROR_INVALID, "date",
                                 _("This lesson does not take place on that date."));
          return TRUE;
        }
      if (!cohort_request_begin (req, error) ||
          !cohort_store_schedule_add_exception (store, lesson->class_id, lesson->id, date,
                                                lesson->updated_at, error))
        return FALSE;
      /* Keep the record in step with the store for the event. */
      g_array_append_val (lesson->exceptions, date);
    }
  else
    {
      lesson->cancelled = TRUE;
      if (!cohort_request_begin (req, error) ||
          !cohort_store_schedule_cancel (store, lesson->class_id, lesson->id, lesson->updated_at, error))
        return FALSE;
    }

  if (!emit_changed (req, COHORT_SCHEDULE_STR_CANCELLED, lesson, date_text, error))
    return FALSE;
  finish_with_lesson (req, lesson);
  return TRUE;
}

/* A new calendar key for the asker, replacing (revoking) their old one.
 * Only the live reply carries the key: a resend gets the stored reply,
 * without it, and asks again. */
static gboolean
handle_calendar_key (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  JsonObject *live;
  JsonObject *stored;

  if (!(key = cohort_secret_new (error)))
    return FALSE;
  hash = cohort_secret_hash (key);
  if (!cohort_request_begin (req, error) ||
      !cohort_store_schedule_set_calendar_key (store, class_id, cohort_connection_get_participant_id (conn), hash,
                                               _cohort_server_next_ts (cohort_service_get_server (service)), error))
    return FALSE;

  path = g_strdup_printf (CALENDAR_PATH_PREFIX "%" G_GINT64_FORMAT CALENDAR_PATH_SUFFIX "?key=%s", class_id, key);
  live = json_object_new ();
  json_object_set_string_member (live, "key", key);
  json_object_set_string_member (live, "path", path);
  stored = json_object_new ();
  cohort_request_finish_secret (req, live, stored);
  return TRUE;
}

static gboolean
handle_calendar_revoke (CohortService  *service,
                        CohortRequest  *req,
                        GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);

  if (!cohort_request_begin (req, error) ||
      !cohort_store_schedule_revoke_calendar_key (cohort_service_get_store (service),
                                                  cohort_connection_get_class_id (conn),
                                                  cohort_connection_get_participant_id (conn), error))
    return FALSE;
  cohort_request_finish (req, json_object_new ());
  return TRUE;
}

/* "/classes/<id>/schedule.ics" → the id; 0 for any other path. */
static gint64
parse_calendar_path (const char *path)
{
  g_autofree char *digits = NULL;
  const char *rest;
  gsize n;
  guint64 id;

  if (!g_str_has_prefix (path, CALENDAR_PATH_PREFIX))
    return 0;
  rest = path + strlen (CALENDAR_PATH_PREFIX);
  n = strspn (rest, "0123456789");
  if (n == 0 || n > 15 || rest[0] == '0' || g_strcmp0 (rest + n, CALENDAR_PATH_SUFFIX) != 0)
    return 0;
  digits = g_strndup (rest, n);
  id = g_ascii_strtoull (digits, NULL, 10);
  return (gint64) id;
}

static gboolean
is_calendar_key (const char *key)
{
  if (key == NULL || strlen (key) != CALENDAR_KEY_CHARS)
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* GET /classes/<class id>/schedule.ics?key=<calendar key>. Every refusal
 * is the same 404, so that the feed tells a stranger nothing about which
 * classes exist. */
static void
on_calendar_request (SoupServer        *soup,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  CohortService *service = user_data;
  CohortStore *store = cohort_service_get_store (service);
  const char *method = soup_server_message_get_method (msg);
  const char *key = query != NULL ? g_hash_table_lookup (query, "key") : NULL;
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(GPtrArray) lessons = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 class_id;
  gint64 member;
  char *ics;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if ((class_id = parse_calendar_path (path)) <= 0 || !is_calendar_key (key))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  hash = cohort_secret_hash (key);
  if ((member = cohort_store_schedule_calendar_member (store, class_id, hash, &error)) < 0 ||
      (member > 0 && (!(klass = cohort_store_get_class (store, class_id, &error)) ||
                      !(lessons = cohort_store_schedule_list (store, class_id, &error)))))
    {
      g_warning ("Could not read a class's calendar: %s", error != NULL ? error->message : "no class");
      soup_server_message_set_status (msg, error != NULL ? SOUP_STATUS_INTERNAL_SERVER_ERROR
                                                         : SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (member == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  ics = cohort_schedule_ics_build (class_id, klass->title, lessons);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "private, no-cache");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/calendar; charset=utf-8", SOUP_MEMORY_TAKE, ics, strlen (ics));
}

/* Everyone who joins, and every snapshot, learns the next few lessons. */
static void
cohort_schedule_service_welcome (CohortService    *service,
                                 CohortConnection *conn,
                                 JsonObject       *body)
{
  g_autoptr(GError) error = NULL;
  JsonArray *upcoming;
  JsonObject *schedule;

  if (!(upcoming = upcoming_json (cohort_service_get_store (service), cohort_connection_get_class_id (conn),
                                  &error)))
    {
      g_warning ("Could not add the schedule to a welcome: %s", error->message);
      return;
    }
  schedule = json_object_new ();
  json_object_set_array_member (schedule, "upcoming", upcoming);
  json_object_set_object_member (body, "schedule", schedule);
}

static void
cohort_schedule_service_class_init (CohortScheduleServiceClass *klass)
{
  COHORT_SERVICE_CLASS (klass)->welcome = cohort_schedule_service_welcome;
}

static void
cohort_schedule_service_init (CohortScheduleService *self)
{
}

CohortScheduleService *
cohort_schedule_service_new (CohortServer *server)
{
  CohortScheduleService *self = g_object_new (COHORT_TYPE_SCHEDULE_SERVICE, "server", server, NULL);
  CohortService *service = COHORT_SERVICE (self);

  cohort_service_add_handler (service, COHORT_REQ_SCHEDULE_LIST, handle_list);
  cohort_service_add_handler (service, COHORT_REQ_SCHEDULE_CREATE, handle_create);
  cohort_service_add_handler (service, COHORT_REQ_SCHEDULE_UPDATE, handle_update);
  cohort_service_add_handler (service, COHORT_REQ_SCHEDULE_CANCEL, handle_cancel);
  cohort_service_add_handler (service, COHORT_REQ_SCHEDULE_CALENDAR_KEY, handle_calendar_key);
  cohort_service_add_handler (service, COHORT_REQ_SCHEDULE_CALENDAR_REVOKE, handle_calendar_revoke);
  /* The server outlives its services' handlers: it owns the service. */
  _cohort_server_add_http_handler (server, CALENDAR_PATH_PREFIX, on_calendar_request, self);
  return self;
}
