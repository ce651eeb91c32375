/* test-schedule.c: the lesson schedule against a real server and its
 * SQLite store: who may plan, what is refused, what reaches the class,
 * and the calendar feed over HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cohort-protocol.h"
#include "cohort-schedule-protocol.h"
#include "cohort-schedule-rule.h"
#include "cohort-test-client.h"
#include "cohort-store.h"
#include "cohort-test-server.h"

/* Ms Li teaches Physics; Mei is her student. */
typedef CohortTestClassroom Physics;

static void
physics_open (Physics *p)
{
  cohort_test_classroom_open (p, "Physics, Waves; and \\Light", "Ms Li", "Mei");
}

/* The date @days from today in New York, as "YYYY-MM-DD" and as a date. */
static CohortScheduleDate
new_york_date (int days)
{
  g_autoptr(GTimeZone) zone = cohort_schedule_zone_new ("America/New_York");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_get_year (then) * 10000 + g_date_time_get_month (then) * 100 +
         g_date_time_get_day_of_month (then);
}

static JsonObject *
lesson_body (const char *title,
             int         in_days,
             const char *zone,
             gint64      duration,
             gboolean    weekly)
{
  JsonObject *body = json_object_new ();
  g_autofree char *start = cohort_schedule_local_format (new_york_date (in_days), 9, 0);

  json_object_set_string_member (body, "title", title);
  json_object_set_string_member (body, "start", start);
  json_object_set_string_member (body, "zone", zone);
  json_object_set_int_member (body, "duration", duration);
  json_object_set_string_member (body, "recurrence", weekly ? COHORT_SCHEDULE_STR_WEEKLY : COHORT_SCHEDULE_STR_NONE);
  return body;
}

static gint64
create_weekly (Physics    *p,
               const char *title,
               int         in_days,
               guint       count)
{
  g_autoptr(JsonObject) body = lesson_body (title, in_days, "America/New_York", 60, TRUE);
  g_autoptr(CohortMessage) reply = NULL;

  if (count > 0)
    json_object_set_int_member (body, "count", count);
  reply = cohort_test_client_request_ok (p->teacher, COHORT_REQ_SCHEDULE_CREATE, body);
  return json_object_get_int_member (json_object_get_object_member (cohort_message_get_body (reply), "lesson"),
                                     "lesson_id");
}

static JsonArray *
upcoming_of (CohortMessage *event)
{
  g_assert_nonnull (event);
  return json_object_get_array_member (cohort_message_get_body (event), "upcoming");
}

/* The teacher plans a weekly lesson: the student hears of it as an event,
 * with UTC starts that keep 09:00 in New York; a late joiner finds it in
 * the welcome; schedule.list expands it over the asked window. */
static void
test_create_reaches_class (void)
{
  Physics p;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(CohortMessage) list = NULL;
  g_autoptr(CohortTestClient) late = NULL;
  g_autoptr(JsonObject) late_body = NULL;
  g_autoptr(JsonObject) list_body = json_object_new ();
  g_autoptr(GTimeZone) new_york = cohort_schedule_zone_new ("America/New_York");
  JsonArray *upcoming;
  JsonObject *first;
  gint64 lesson_id;

  physics_open (&p);
  lesson_id = create_weekly (&p, "Waves", 2, 5);
  g_assert_cmpint (lesson_id, >, 0);

  event = cohort_test_client_next_event (p.student, COHORT_EV_SCHEDULE_CHANGED);
  g_assert_nonnull (event);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (event), "change"), ==,
                   COHORT_SCHEDULE_STR_CREATED);
  upcoming = upcoming_of (event);
  g_assert_cmpuint (json_array_get_length (upcoming), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *o = json_array_get_object_element (upcoming, i);
      CohortScheduleDate date;
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) there = NULL;

      g_assert_cmpint (json_object_get_int_member (o, "lesson_id"), ==, lesson_id);
      g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "Waves");
      g_assert_true (cohort_schedule_date_parse (json_object_get_string_member (o, "date"), &date));
      /* Whatever the DST, the teacher's clock reads 09:00. */
      utc = g_date_time_new_from_unix_utc (json_object_get_int_member (o, "start_at") / 1000);
      there = g_date_time_to_timezone (utc, new_york);
      g_assert_cmpint (g_date_time_get_hour (there), ==, 9);
      g_assert_cmpint (g_date_time_get_minute (there), ==, 0);
      g_assert_cmpint (json_object_get_int_member (o, "start_at"), ==,
                       cohort_schedule_local_to_utc (new_york, date, 9, 0));
    }
  first = json_array_get_object_element (upcoming, 0);
  g_assert_cmpint (json_object_get_int_member (first, "duration"), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (first, "zone"), ==, "America/New_York");
  g_assert_cmpstr (json_object_get_string_member (first, "recurrence"), ==, COHORT_SCHEDULE_STR_WEEKLY);
  g_assert_cmpint (json_object_get_int_member (first, "count"), ==, 5);

  /* A student who joins later is told in the welcome. */
  late = cohort_test_client_new (cohort_test_server_get_url (p.server));
  late_body = cohort_test_client_join (late, p.code, "Arjun", NULL);
  upcoming = json_object_get_array_member (json_object_get_object_member (late_body, "schedule"), "upcoming");
  g_assert_cmpuint (json_array_get_length (upcoming), ==, 5);

  /* Any member may list; 10 days hold two of the weekly lessons. */
  json_object_set_int_member (list_body, "days", 10);
  list = cohort_test_client_request_ok (p.student, COHORT_REQ_SCHEDULE_LIST, list_body);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (list),
                                                                          "occurrences")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (list),
                                                                          "lessons")), ==, 1);
  cohort_test_classroom_close (&p);
}

/* Only the teacher plans: a student's create, update and cancel are
 * forbidden, and nothing changes. */
static void
test_student_cannot_plan (void)
{
  Physics p;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) cancel = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) list = NULL;
  gint64 lesson_id;

  physics_open (&p);
  body = lesson_body ("Mei's lesson", 1, "Asia/Shanghai", 30, FALSE);
  reply = cohort_test_client_request (p.student, COHORT_REQ_SCHEDULE_CREATE, NULL, body);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  lesson_id = create_weekly (&p, "Waves", 1, 2);
  json_object_set_int_member (body, "lesson_id", lesson_id);
  reply = cohort_test_client_request (p.student, COHORT_REQ_SCHEDULE_UPDATE, NULL, body);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_int_member (cancel, "lesson_id", lesson_id);
  reply = cohort_test_client_request (p.student, COHORT_REQ_SCHEDULE_CANCEL, NULL, cancel);
  cohort_test_client_assert_error (reply, "forbidden", NULL);

  list = cohort_test_client_request_ok (p.student, COHORT_REQ_SCHEDULE_LIST, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (list),
                                                                          "occurrences")), ==, 2);
  cohort_test_classroom_close (&p);
}

/* Bad input gets `invalid` about the right field with a sentence; the
 * connection stays open and nothing is stored. */
static void
test_validation (void)
{
  static const struct
  {
    const char *member;
    const char *value;   /* a string value, or NULL with an int */
    gint64      number;
    const char *field;
  } cases[] = {
    { "zone", "Mars/Olympus_Mons", 0, "zone" },
    { "zone", "/etc/localtime", 0, "zone" },
    { "zone", "+08:00", 0, "zone" },
    { "duration", NULL, 0, "duration" },
    { "duration", NULL, 601, "duration" },
    { "duration", NULL, 4, "duration" },
    { "start", "2026-02-30T09:00", 0, "start" },
    { "start", "2026-03-02 09:00", 0, "start" },
    { "start", "2026-03-02T25:00", 0, "start" },
    { "recurrence", "daily", 0, "recurrence" },
    { "count", NULL, 3, "count" },       /* a one-off with a count */
    { "until", "2026-13-01", 0, "until" },
    { "title", "", 0, "title" },
  };
  Physics p;
  g_autofree char *long_title = g_strnfill (COHORT_SCHEDULE_MAX_TITLE_CHARS + 1, 'x');
  g_autoptr(CohortMessage) list = NULL;

  physics_open (&p);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) body = lesson_body ("Waves", 1, "America/New_York", 60, FALSE);
      g_autoptr(CohortMessage) reply = NULL;

      if (cases[i].value != NULL)
        json_object_set_string_member (body, cases[i].member, cases[i].value);
      else
        json_object_set_int_member (body, cases[i].member, cases[i].number);
      reply = cohort_test_client_request (p.teacher, COHORT_REQ_SCHEDULE_CREATE, NULL, body);
      cohort_test_client_assert_error (reply, "invalid", cases[i].field);
      g_assert_cmpuint (strlen (cohort_message_get_error_message (reply)), >, 10);
    }

  /* An oversize title, said so. */
  {
    g_autoptr(JsonObject) body = lesson_body (long_title, 1, "America/New_York", 60, FALSE);
    g_autoptr(CohortMessage) reply = cohort_test_client_request (p.teacher, COHORT_REQ_SCHEDULE_CREATE, NULL, body);

    cohort_test_client_assert_error (reply, "invalid", "title");
    g_assert_cmpint (cohort_message_get_reason (reply), ==, COHORT_INVALID_OUT_OF_RANGE);
    g_assert_nonnull (strstr (cohort_message_get_error_message (reply), "120"));
  }
  /* A weekly lesson ending before it starts, or with both ends. */
  {
    g_autoptr(JsonObject) body = lesson_body ("Waves", 10, "America/New_York", 60, TRUE);
    g_autoptr(CohortMessage) reply = NULL;
    g_autofree char *before = cohort_schedule_date_format (new_york_date (3));

    json_object_set_string_member (body, "until", before);
    reply = cohort_test_client_request (p.teacher, COHORT_REQ_SCHEDULE_CREATE, NULL, body);
    cohort_test_client_assert_error (reply, "invalid", "until");
    g_clear_pointer (&reply, cohort_message_unref);
    json_object_set_string_member (body, "until", "2099-01-01");
    json_object_set_int_member (body, "count", 3);
    reply = cohort_test_client_request (p.teacher, COHORT_REQ_SCHEDULE_CREATE, NULL, body);
    cohort_test_client_assert_error (reply, "invalid", "until");
  }
  /* A lesson that does not exist. */
  {
    g_autoptr(JsonObject) body = json_object_new ();
    g_autoptr(CohortMessage) reply = NULL;

    json_object_set_int_member (body, "lesson_id", 999);
    reply = cohort_test_client_request (p.teacher, COHORT_REQ_SCHEDULE_CANCEL, NULL, body);
    cohort_test_client_assert_error (reply, "not_found", "lesson_id");
  }

  /* Still connected, and nothing was stored. */
  g_assert_false (cohort_test_client_is_closed (p.teacher));
  list = cohort_test_client_request_ok (p.teacher, COHORT_REQ_SCHEDULE_LIST, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (list),
                                                                          "lessons")), ==, 0);
  cohort_test_classroom_close (&p);
}

/* The teacher cancels one occurrence, then changes the time, then cancels
 * the series: each reaches the student as schedule.changed; a cancelled
 * series cannot be changed; everything survives a restart. */
static void
test_cancel_and_update (void)
{
  Physics p;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) cancel = json_object_new ();
  g_autoptr(JsonObject) update = NULL;
  g_autofree char *second_date = NULL;
  g_autofree char *wrong_date = NULL;
  g_autofree char *moved_start = cohort_schedule_local_format (new_york_date (1), 17, 30);
  JsonArray *upcoming;
  JsonObject *body;
  gint64 lesson_id;

  physics_open (&p);
  lesson_id = create_weekly (&p, "Waves", 1, 3);
  g_clear_pointer (&event, cohort_message_unref);
  event = cohort_test_client_next_event (p.student, COHORT_EV_SCHEDULE_CHANGED);
  g_clear_pointer (&event, cohort_message_unref);

  /* Not a date of the series. */
  wrong_date = cohort_schedule_date_format (new_york_date (2));
  json_object_set_int_member (cancel, "lesson_id", lesson_id);
  json_object_set_string_member (cancel, "date", wrong_date);
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_SCHEDULE_CANCEL, NULL, cancel);
  cohort_test_client_assert_error (reply, "invalid", "date");
  g_clear_pointer (&reply, cohort_message_unref);

  second_date = cohort_schedule_date_format (new_york_date (8));
  json_object_set_string_member (cancel, "date", second_date);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_SCHEDULE_CANCEL, cancel);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (p.student, COHORT_EV_SCHEDULE_CHANGED);
  body = cohort_message_get_body (event);
  g_assert_cmpstr (json_object_get_string_member (body, "change"), ==, COHORT_SCHEDULE_STR_CANCELLED);
  g_assert_cmpstr (json_object_get_string_member (body, "date"), ==, second_date);
  upcoming = upcoming_of (event);
  g_assert_cmpuint (json_array_get_length (upcoming), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (upcoming, i), "date"), !=,
                     second_date);
  g_clear_pointer (&event, cohort_message_unref);

  /* 17:30 in London from now on. */
  update = lesson_body ("Waves (moved)", 1, "Europe/London", 90, TRUE);
  json_object_set_int_member (update, "lesson_id", lesson_id);
  json_object_set_string_member (update, "start", moved_start);
  json_object_set_int_member (update, "count", 3);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_SCHEDULE_UPDATE, update);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (p.student, COHORT_EV_SCHEDULE_CHANGED);
  body = cohort_message_get_body (event);
  g_assert_cmpstr (json_object_get_string_member (body, "change"), ==, COHORT_SCHEDULE_STR_UPDATED);
  upcoming = upcoming_of (event);
  /* The cancelled date stays cancelled. */
  g_assert_cmpuint (json_array_get_length (upcoming), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (upcoming, 0), "title"), ==,
                   "Waves (moved)");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (upcoming, 0), "zone"), ==,
                   "Europe/London");
  g_clear_pointer (&event, cohort_message_unref);

  /* After a restart, the student's resume finds the same schedule. */
  cohort_test_server_restart (p.server);
  g_clear_pointer (&p.teacher, cohort_test_client_free);
  p.teacher = cohort_test_client_new (cohort_test_server_get_url (p.server));
  {
    g_autoptr(JsonObject) again = cohort_test_client_join (p.teacher, p.code, "Ms Li",
                                                           json_object_get_string_member (p.created, "teacher_key"));
    JsonArray *welcome = json_object_get_array_member (json_object_get_object_member (again, "schedule"), "upcoming");

    g_assert_cmpuint (json_array_get_length (welcome), ==, 2);
  }

  /* The whole series. */
  json_object_remove_member (cancel, "date");
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_SCHEDULE_CANCEL, cancel);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (cohort_message_get_body (reply),
                                                                                "lesson"), "cancelled"));
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_SCHEDULE_UPDATE, NULL, update);
  cohort_test_client_assert_error (reply, "invalid", "lesson_id");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_SCHEDULE_LIST, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (reply),
                                                                          "occurrences")), ==, 0);
  cohort_test_classroom_close (&p);
}

/* ---- the calendar ---- */

static char *
fetch (Physics    *p,
       const char *path,
       guint      *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", cohort_test_server_get_port (p->server), path);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (msg);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  if (*out_status == SOUP_STATUS_OK)
    g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL), ==,
                     "text/calendar");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* RFC 5545 content lines: CRLF-terminated, none longer than 75 octets,
 * unfolded (a CRLF and one space or tab join two lines). */
static GStrv
unfold (const char *ics)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_auto(GStrv) raw = NULL;
  GString *current = NULL;

  g_assert_true (g_str_has_suffix (ics, "\r\n"));
  raw = g_strsplit (ics, "\r\n", -1);
  for (guint i = 0; raw[i] != NULL && raw[i + 1] != NULL; i++)
    {
      g_assert_cmpuint (strlen (raw[i]), <=, 75);
      g_assert_null (strchr (raw[i], '\n'));
      if (raw[i][0] == ' ' || raw[i][0] == '\t')
        {
          g_assert_nonnull (current);
          g_string_append (current, raw[i] + 1);
          continue;
        }
      if (current != NULL)
        {
          g_strv_builder_add (lines, current->str);
          g_string_free (current, TRUE);
        }
      current = g_string_new (raw[i]);
    }
  if (current != NULL)
    {
      g_strv_builder_add (lines, current->str);
      g_string_free (current, TRUE);
    }
  return g_strv_builder_end (lines);
}

static guint
count_prefix (GStrv       lines,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

static const char *
find_prefix (GStrv       lines,
             const char *prefix)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return lines[i];
  return NULL;
}

/* A member's key fetches the feed over HTTP: a weekly series with its
 * RRULE, zone and cancelled date, a one-off in UTC, the class and lesson
 * names escaped; a new key revokes the old; a revoked, wrong or
 * malformed key, another class and the session token get 404. */
static void
test_calendar_feed (void)
{
  Physics p;
  g_autoptr(CohortMessage) key_reply = NULL;
  g_autoptr(CohortMessage) again = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) cancel = json_object_new ();
  g_autoptr(JsonObject) one_off = NULL;
  g_autofree char *ics = NULL;
  g_autofree char *cancelled_date = NULL;
  g_autofree char *exdate = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *token_path = NULL;
  g_auto(GStrv) lines = NULL;
  const char *path;
  const char *old_path;
  guint status = 0;
  gint64 lesson_id;

  physics_open (&p);
  lesson_id = create_weekly (&p, "Waves, part 1; \"intro\"", 1, 4);
  one_off = lesson_body ("Exam review", 3, "Asia/Shanghai", 45, FALSE);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_SCHEDULE_CREATE, one_off);
  g_clear_pointer (&reply, cohort_message_unref);
  cancelled_date = cohort_schedule_date_format (new_york_date (8));
  json_object_set_int_member (cancel, "lesson_id", lesson_id);
  json_object_set_string_member (cancel, "date", cancelled_date);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_SCHEDULE_CANCEL, cancel);

  key_reply = cohort_test_client_request_ok (p.student, COHORT_REQ_SCHEDULE_CALENDAR_KEY, NULL);
  path = json_object_get_string_member (cohort_message_get_body (key_reply), "path");
  g_assert_true (g_str_has_prefix (path, "/classes/"));
  g_assert_nonnull (strstr (path, "/schedule.ics?key="));

  ics = fetch (&p, path, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  lines = unfold (ics);
  g_assert_cmpstr (lines[0], ==, "BEGIN:VCALENDAR");
  g_assert_nonnull (find_prefix (lines, "VERSION:2.0"));
  g_assert_nonnull (find_prefix (lines, "PRODID:"));
  g_assert_cmpstr (find_prefix (lines, "X-WR-CALNAME:"), ==, "X-WR-CALNAME:Physics\\, Waves\\; and \\\\Light");
  g_assert_cmpuint (count_prefix (lines, "BEGIN:VEVENT"), ==, 2);
  g_assert_cmpuint (count_prefix (lines, "END:VEVENT"), ==, 2);
  g_assert_cmpuint (count_prefix (lines, "UID:"), ==, 2);
  g_assert_cmpuint (count_prefix (lines, "DTSTAMP:"), ==, 2);
  g_assert_nonnull (find_prefix (lines, "SUMMARY:Waves\\, part 1\\; \"intro\""));
  g_assert_nonnull (find_prefix (lines, "SUMMARY:Exam review"));
  g_assert_cmpstr (find_prefix (lines, "RRULE:"), ==, "RRULE:FREQ=WEEKLY;COUNT=4");
  g_assert_true (g_str_has_prefix (find_prefix (lines, "DTSTART;TZID=America/New_York:"),
                                   "DTSTART;TZID=America/New_York:"));
  g_assert_true (g_str_has_suffix (find_prefix (lines, "DTSTART;TZID=America/New_York:"), "T090000"));
  exdate = g_strdup_printf ("EXDATE;TZID=America/New_York:%08dT090000", new_york_date (8));
  g_assert_nonnull (find_prefix (lines, exdate));
  /* The one-off is in UTC: 09:00 in Shanghai is 01:00Z. */
  {
    g_autofree char *utc = g_strdup_printf ("DTSTART:%08dT010000Z", new_york_date (3));

    g_assert_nonnull (find_prefix (lines, utc));
  }
  g_assert_nonnull (find_prefix (lines, "DURATION:PT60M"));
  g_assert_nonnull (find_prefix (lines, "DURATION:PT45M"));
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "END:VCALENDAR");

  /* The same path under another class is not found. */
  other_path = g_strdup (path);
  {
    g_autofree char *prefix = g_strdup_printf ("/classes/%" G_GINT64_FORMAT "/", p.class_id);
    const char *rest = path + strlen (prefix);
    g_autofree char *bad = g_strdup_printf ("/classes/%" G_GINT64_FORMAT "/%s", p.class_id + 1, rest);
    g_autofree char *body = NULL;

    g_assert_true (g_str_has_prefix (path, prefix));
    body = fetch (&p, bad, &status);
    g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  }
  /* The session token is no calendar key. */
  token_path = g_strdup_printf ("/classes/%" G_GINT64_FORMAT "/schedule.ics?key=%s", p.class_id,
                                json_object_get_string_member (p.joined, "token"));
  g_free (fetch (&p, token_path, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  g_free (fetch (&p, "/classes/1/schedule.ics?key=short", &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  g_free (fetch (&p, "/classes/1/schedule.ics", &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);

  /* A new key: the old one stops working. */
  old_path = path;
  again = cohort_test_client_request_ok (p.student, COHORT_REQ_SCHEDULE_CALENDAR_KEY, NULL);
  g_free (fetch (&p, old_path, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  path = json_object_get_string_member (cohort_message_get_body (again), "path");
  g_free (fetch (&p, path, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);

  /* Revoked: gone. */
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (p.student, COHORT_REQ_SCHEDULE_CALENDAR_REVOKE, NULL);
  g_free (fetch (&p, path, &status));
  g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  cohort_test_classroom_close (&p);
}

/* ---- the store: cohort_store_schedule_next, for the home view ---- */

static gint64
utc_ms (const char *text)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (when);
  return g_date_time_to_unix (when) * 1000;
}

/* The next lesson is the earliest held occurrence of any series that has
 * not ended: under way counts, a cancelled date or series does not. */
static void
test_store_next (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cohort-schedule-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(CohortStore) store = NULL;
  g_autoptr(CohortScheduleLessonRecord) weekly = cohort_schedule_lesson_record_new ();
  g_autoptr(CohortScheduleLessonRecord) one_off = cohort_schedule_lesson_record_new ();
  g_autoptr(CohortScheduleOccurrenceRecord) next = NULL;
  gint64 class_id;

  g_assert_no_error (error);
  store = cohort_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cohort_store_begin (store, &error));
  class_id = cohort_store_create_class (store, "ABCD2345", "Physics", "hash", 1, &error);
  g_assert_no_error (error);

  /* Mondays at 09:00 in New York from 19 October 2026, four times. */
  weekly->class_id = class_id;
  weekly->title = g_strdup ("Waves");
  weekly->first = 20261019;
  weekly->hour = 9;
  weekly->zone = g_strdup ("America/New_York");
  weekly->duration_min = 60;
  weekly->weekly = TRUE;
  weekly->count = 4;
  weekly->updated_at = 1;
  weekly->id = cohort_store_schedule_insert (store, weekly, &error);
  g_assert_no_error (error);
  /* A one-off on Tuesday 27 October at 08:00 in Shanghai (00:00Z). */
  one_off->class_id = class_id;
  one_off->title = g_strdup ("Exam review");
  one_off->first = 20261027;
  one_off->hour = 8;
  one_off->zone = g_strdup ("Asia/Shanghai");
  one_off->duration_min = 30;
  one_off->updated_at = 1;
  one_off->id = cohort_store_schedule_insert (store, one_off, &error);
  g_assert_no_error (error);
  g_assert_true (cohort_store_commit (store, &error));

  /* Before anything: the first Monday, 13:00Z (EDT). */
  next = cohort_store_schedule_next (store, class_id, utc_ms ("2026-10-01T00:00:00Z"), &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  g_assert_cmpint (next->lesson_id, ==, weekly->id);
  g_assert_cmpstr (next->title, ==, "Waves");
  g_assert_cmpint (next->start_ms, ==, utc_ms ("2026-10-19T13:00:00Z"));
  g_assert_cmpuint (next->duration_min, ==, 60);
  g_clear_pointer (&next, cohort_schedule_occurrence_record_free);

  /* Under way at 13:30Z: still the next. */
  next = cohort_store_schedule_next (store, class_id, utc_ms ("2026-10-19T13:30:00Z"), &error);
  g_assert_cmpint (next->start_ms, ==, utc_ms ("2026-10-19T13:00:00Z"));
  g_clear_pointer (&next, cohort_schedule_occurrence_record_free);

  /* After it: Monday the 26th (13:00Z) comes before Tuesday 00:00Z. */
  next = cohort_store_schedule_next (store, class_id, utc_ms ("2026-10-19T14:00:00Z"), &error);
  g_assert_cmpint (next->start_ms, ==, utc_ms ("2026-10-26T13:00:00Z"));
  g_clear_pointer (&next, cohort_schedule_occurrence_record_free);

  /* The 26th cancelled: the one-off on the 27th (00:00Z, 08:00 in Shanghai). */
  g_assert_true (cohort_store_begin (store, &error));
  g_assert_true (cohort_store_schedule_add_exception (store, class_id, weekly->id, 20261026, 2, &error));
  g_assert_true (cohort_store_commit (store, &error));
  next = cohort_store_schedule_next (store, class_id, utc_ms ("2026-10-19T14:00:00Z"), &error);
  g_assert_cmpint (next->lesson_id, ==, one_off->id);
  g_assert_cmpint (next->start_ms, ==, utc_ms ("2026-10-27T00:00:00Z"));
  g_assert_cmpuint (next->duration_min, ==, 30);
  g_clear_pointer (&next, cohort_schedule_occurrence_record_free);

  /* After the US change: 14:00Z. */
  next = cohort_store_schedule_next (store, class_id, utc_ms ("2026-10-28T00:00:00Z"), &error);
  g_assert_cmpint (next->start_ms, ==, utc_ms ("2026-11-02T14:00:00Z"));
  g_clear_pointer (&next, cohort_schedule_occurrence_record_free);

  /* The series cancelled, the one-off past: nothing, and no error. */
  g_assert_true (cohort_store_begin (store, &error));
  g_assert_true (cohort_store_schedule_cancel (store, class_id, weekly->id, 3, &error));
  g_assert_true (cohort_store_commit (store, &error));
  next = cohort_store_schedule_next (store, class_id, utc_ms ("2026-10-28T00:00:00Z"), &error);
  g_assert_no_error (error);
  g_assert_null (next);
  /* Another class has none. */
  g_assert_null (cohort_store_schedule_next (store, class_id + 1, 0, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_unlink (file);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/schedule/create-reaches-class", test_create_reaches_class);
  g_test_add_func ("/cohort/schedule/student-cannot-plan", test_student_cannot_plan);
  g_test_add_func ("/cohort/schedule/validation", test_validation);
  g_test_add_func ("/cohort/schedule/cancel-and-update", test_cancel_and_update);
  g_test_add_func ("/cohort/schedule/calendar-feed", test_calendar_feed);
  g_test_add_func ("/cohort/schedule/store-next", test_store_next);

  return g_test_run ();
}
