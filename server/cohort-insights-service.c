/* cohort-insights-service.c: insights.get, insights.settings.set,
 * insights.nudge and the teacher's live insights.changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-insights-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-insights-protocol.h"

#include "cohort-chat-service.h"
#include "cohort-insights-rules.h"
#include "cohort-insights-service.h"
#include "cohort-json-strict.h"
#include "cohort-server-private.h"

/* insights.changed goes to the teacher at most this often per class: a
 * refresh is a delta of the changed students' rows, so it can be often. */
#define CHANGED_INTERVAL_MS 500
/* How often the watches are looked at: a change after a quiet stretch is
 * told within this, not within a whole interval (the teacher's page is
 * that much closer to the lesson). */
#define TICK_MS 200
/* The per-lesson accuracy trend: this many lessons with quiz answers
 * (a flat array: a 1,000-student reply is mostly JSON nodes to build). */
#define TREND_LESSONS 5

/* A class whose teacher has the Insights page open (asked insights.get):
 * the tick tells them when the class's log moved while a lesson is live. */
typedef struct
{
  gint64 class_id;
  gint64 teacher_id;
  gint64 seen_seq;      /* the log's seq when last told (or asked) */
  gint64 told_us;       /* monotonic time of the last insights.changed; 0: never */
  /* The last figures collected: their folded lessons' cells are reused,
   * not read again, while no lesson is folded meanwhile. */
  CohortInsightsRecord *record;
  /* The rows of the last reply (participant id → Row), the thresholds
   * they were judged by, and its "at": a request "since" that at gets
   * only the rows that differ. */
  GHashTable *sent;
  CohortInsightsThresholds sent_thresholds;
  gint64      sent_at;
} Watch;

static void
watch_free (gpointer data)
{
  Watch *w = data;

  g_clear_pointer (&w->record, cohort_insights_record_free);
  g_clear_pointer (&w->sent, g_hash_table_unref);
  g_free (w);
}

struct _CohortInsightsService
{
  CohortService  parent_instance;

  GHashTable    *watches;   /* class id → Watch */
  guint          tick_source;
  GHashTable    *to_fold;   /* class ids whose ended lessons to fold when idle */
  guint          fold_source;
};

G_DEFINE_FINAL_TYPE (CohortInsightsService, cohort_insights_service, COHORT_TYPE_SERVICE)

static const char *
default_template (void)
{
  return _("Hi {name}, we missed you. Is everything all right? Write to me if I can help you catch up.");
}

static JsonObject *
settings_to_json (const CohortInsightsSettingsRecord *s)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "absent_lessons", s->absent_lessons);
  json_object_set_int_member (o, "streak_days", s->streak_days);
  json_object_set_int_member (o, "accuracy_drop", s->accuracy_drop);
  json_object_set_int_member (o, "accuracy_lessons", s->accuracy_lessons);
  json_object_set_int_member (o, "silent_lessons", s->silent_lessons);
  json_object_set_string_member (o, "template", s->template != NULL ? s->template : default_template ());
  return o;
}

static const struct
{
  CohortInsightsRisk  risk;
  const char         *name;
} risk_names[] = {
  { COHORT_INSIGHTS_RISK_ABSENT, COHORT_INSIGHTS_RISK_STR_ABSENT },
  { COHORT_INSIGHTS_RISK_STREAK_BROKEN, COHORT_INSIGHTS_RISK_STR_STREAK_BROKEN },
  { COHORT_INSIGHTS_RISK_ACCURACY_DROP, COHORT_INSIGHTS_RISK_STR_ACCURACY_DROP },
  { COHORT_INSIGHTS_RISK_SILENT, COHORT_INSIGHTS_RISK_STR_SILENT },
};

static int
percent (guint correct,
         guint answered)
{
  return answered > 0 ? (int) (100.0 * correct / answered + 0.5) : -1;
}

typedef struct
{
  char       *json;     /* the row, written as JSON */
  guint       n_risks;
  char       *name_key; /* g_utf8_collate_key of the name: once per row, not per comparison */
  gint64      id;
  guint32     today;    /* the student's local day it was judged on (0: no zone) */
} Row;

static void
row_clear (gpointer data)
{
  g_free (((Row *) data)->json);
  g_free (((Row *) data)->name_key);
}

static void
row_free (gpointer data)
{
  row_clear (data);
  g_free (data);
}

static int
row_compare (gconstpointer a,
             gconstpointer b)
{
  const Row *ra = a;
  const Row *rb = b;
  int cmp;

  if (ra->n_risks != rb->n_risks)
    return ra->n_risks > rb->n_risks ? -1 : 1;
  if ((cmp = strcmp (ra->name_key, rb->name_key)) != 0)
    return cmp;
  return (ra->id > rb->id) - (ra->id < rb->id);
}

/* The reply is written by hand (a 1,000-row table through JsonObject
 * trees and the generator cost more than its aggregation); its strings
 * through cohort_json_append_string(). */
static void
append_int (GString    *out,
            const char *key,
            gint64      value)
{
  g_string_append_len (out, ",\"", 2);
  g_string_append (out, key);
  g_string_append_len (out, "\":", 2);
  cohort_json_append_int (out, value);
}

/* One student's row: totals, the trend, the streak, and the rules' verdict,
 * on @today, their local day (0: no zone). A function of the lessons'
 * numbers and ends, @s, @thresholds and @today only (same_row_inputs()
 * relies on it). */
static Row
student_row (const CohortInsightsRecord           *record,
             const CohortInsightsStudentRecord    *s,
             const CohortInsightsThresholds       *thresholds,
             guint32                               today)
{
  g_autoptr(GArray) facts = g_array_new (FALSE, TRUE, sizeof (CohortInsightsLessonFacts));
  CohortInsightsCell total = { 0 };
  CohortInsightsFacts f = { 0 };
  CohortInsightsRiskDetail detail;
  CohortInsightsRisk risk;
  GString *row = g_string_sized_new (512);
  guint attended = 0;
  int trend_points[TREND_LESSONS];
  guint n_trend = 0;
  guint n_risks = 0;
  guint streak_now;

  for (guint i = 0; i < record->lessons->len; i++)
    {
      const CohortInsightsLesson *l = &g_array_index (record->lessons, CohortInsightsLesson, i);
      const CohortInsightsCell *cell = &s->cells[i];

      total.present_ms += cell->present_ms;
      total.stage_ms += cell->stage_ms;
      total.messages += cell->messages;
      total.questions += cell->questions;
      total.helpful += cell->helpful;
      total.hands += cell->hands;
      total.reactions += cell->reactions;
      total.quiz_answered += cell->quiz_answered;
      total.quiz_correct += cell->quiz_correct;
      if (cell->present_ms > 0)
        attended++;

      /* The rules judge ended lessons since the student joined the class. */
      if (l->ended_at > 0 && l->ended_at > s->created_at)
        {
          CohortInsightsLessonFacts lf = {
            .attended = cell->present_ms > 0,
            .said = cell->messages + cell->hands + cell->reactions + (cell->stage_ms > 0),
            .quiz_answered = cell->quiz_answered,
            .quiz_correct = cell->quiz_correct,
          };

          g_array_append_val (facts, lf);
        }
    }

  /* The last TREND_LESSONS lessons with answers, oldest first. */
  for (guint i = record->lessons->len; i-- > 0 && n_trend < TREND_LESSONS;)
    if (s->cells[i].quiz_answered > 0)
      trend_points[n_trend++] = percent (s->cells[i].quiz_correct, s->cells[i].quiz_answered);

  streak_now = today > 0 ? cohort_streak_length_on (&s->streak, today) : 0;

  f.lessons = (const CohortInsightsLessonFacts *) facts->data;
  f.n_lessons = facts->len;
  f.streak_run = s->streak.length;
  f.streak_now = streak_now;
  risk = cohort_insights_rules_evaluate (&f, thresholds, &detail);

  g_string_append (row, "{\"participant_id\":");
  cohort_json_append_int (row, s->participant_id);
  g_string_append (row, ",\"name\":");
  cohort_json_append_string (row, s->name);
  append_int (row, "lessons_attended", attended);
  append_int (row, "present_ms", total.present_ms);
  append_int (row, "messages", total.messages);
  append_int (row, "questions", total.questions);
  append_int (row, "helpful", total.helpful);
  append_int (row, "hands", total.hands);
  append_int (row, "stage_ms", total.stage_ms);
  append_int (row, "reactions", total.reactions);
  append_int (row, "quiz_answered", total.quiz_answered);
  append_int (row, "quiz_correct", total.quiz_correct);
  append_int (row, "accuracy", percent (total.quiz_correct, total.quiz_answered));
  g_string_append (row, ",\"trend\":[");
  for (guint i = n_trend; i-- > 0;)
    {
      if (i + 1 < n_trend)
        g_string_append_c (row, ',');
      cohort_json_append_int (row, trend_points[i]);
    }
  g_string_append_c (row, ']');
  append_int (row, "checkins", s->streak.n_checkins);
  append_int (row, "streak", streak_now);
  append_int (row, "best_streak", s->streak.best);
  append_int (row, "ai_questions", s->ai_questions);
  append_int (row, "last_nudge_at", s->last_nudge_at);
  g_string_append (row, s->last_nudge_at > 0 &&
                        (s->last_attended_at > s->last_nudge_at ||
                         s->last_checkin_at > s->last_nudge_at) ? ",\"came_back\":true" : ",\"came_back\":false");
  g_string_append (row, ",\"risks\":[");
  for (guint i = 0; i < G_N_ELEMENTS (risk_names); i++)
    if (risk & risk_names[i].risk)
      g_string_append_printf (row, n_risks++ > 0 ? ",\"%s\"" : "\"%s\"", risk_names[i].name);
  g_string_append_c (row, ']');
  if (risk != 0)
    {
      /* "why": the figures behind each reason; the first member has no comma. */
      gsize open = row->len;

      g_string_append (row, ",\"why\":{");
      if (risk & COHORT_INSIGHTS_RISK_ABSENT)
        append_int (row, "absent_lessons", detail.absent_lessons);
      if (risk & COHORT_INSIGHTS_RISK_STREAK_BROKEN)
        append_int (row, "streak_run", detail.streak_run);
      if (risk & COHORT_INSIGHTS_RISK_ACCURACY_DROP)
        {
          append_int (row, "accuracy_from", (gint64) (detail.accuracy_from + 0.5));
          append_int (row, "accuracy_to", (gint64) (detail.accuracy_to + 0.5));
        }
      if (risk & COHORT_INSIGHTS_RISK_SILENT)
        append_int (row, "silent_lessons", detail.silent_lessons);
      if (row->len > open + strlen (",\"why\":{"))
        {
          g_string_erase (row, open + strlen (",\"why\":{"), 1);
          g_string_append_c (row, '}');
        }
      else
        g_string_truncate (row, open);
    }
  g_string_append_c (row, '}');

  return (Row) { g_string_free (row, FALSE), n_risks, g_utf8_collate_key (s->name, -1), s->participant_id,
                 today };
}

/* The local day of @tz at @now, through @days (zone → day): a class's
 * students share a few zones. */
static guint32
local_day (GHashTable *days,
           gint64      now,
           const char *tz)
{
  gpointer value;
  guint32 today = 0;

  if (tz == NULL)
    return 0;
  if (g_hash_table_lookup_extended (days, tz, NULL, &value))
    return GPOINTER_TO_UINT (value);
  if (!cohort_streak_local_day (now, tz, &today, NULL))
    today = 0;
  g_hash_table_insert (days, (gpointer) tz, GUINT_TO_POINTER (today));
  return today;
}

static gboolean
same_lessons (const CohortInsightsRecord *a,
              const CohortInsightsRecord *b)
{
  if (a->lessons->len != b->lessons->len)
    return FALSE;
  for (guint i = 0; i < a->lessons->len; i++)
    {
      const CohortInsightsLesson *la = &g_array_index (a->lessons, CohortInsightsLesson, i);
      const CohortInsightsLesson *lb = &g_array_index (b->lessons, CohortInsightsLesson, i);

      if (la->number != lb->number || la->ended_at != lb->ended_at)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_array (GArray *a,
            GArray *b)
{
  /* An empty GArray's data may be NULL, which memcmp must not see. */
  return a->len == b->len &&
         (a->len == 0 || memcmp (a->data, b->data, (gsize) a->len * g_array_get_element_size (a)) == 0);
}

/* Whether student_row() would write @s as it wrote @p, given the same
 * lessons, thresholds and local day: every field it reads is equal. A
 * live refresh mostly finds one or two students changed, and the
 * others' rows are kept instead of written again. */
static gboolean
same_row_inputs (guint                              n_lessons,
                 const CohortInsightsStudentRecord *s,
                 const CohortInsightsStudentRecord *p)
{
  return g_strcmp0 (s->name, p->name) == 0 &&
         s->created_at == p->created_at &&
         memcmp (s->cells, p->cells, n_lessons * sizeof *s->cells) == 0 &&
         s->streak.last_day == p->streak.last_day &&
         s->streak.length == p->streak.length &&
         s->streak.best == p->streak.best &&
         s->streak.n_checkins == p->streak.n_checkins &&
         same_array (s->streak.frozen_weeks, p->streak.frozen_weeks) &&
         same_array (s->streak.frozen_days, p->streak.frozen_days) &&
         s->ai_questions == p->ai_questions &&
         s->last_nudge_at == p->last_nudge_at &&
         s->last_attended_at == p->last_attended_at &&
         s->last_checkin_at == p->last_checkin_at;
}

/* The teacher's table, the body of insights.get's reply, written as JSON
 * text. With @since the at of @w's last reply, only the rows that changed
 * since it (and the order of all), a delta. @w keeps the rows sent and
 * the record collected. NULL on error. */
static GString *
build_insights (CohortStore  *store,
                gint64        class_id,
                gint64        now,
                Watch        *w,
                gint64        since,
                GError      **error)
{
  g_autoptr(CohortInsightsRecord) record = NULL;
  g_autoptr(CohortInsightsSettingsRecord) settings = NULL;
  g_autoptr(CohortLessonRecord) lesson = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(JsonNode) settings_node = NULL;
  g_autofree char *settings_json = NULL;
  g_autoptr(GHashTable) days = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) before = NULL;
  CohortInsightsThresholds thresholds;
  GHashTable *sent;
  gboolean delta = since > 0 && w->sent != NULL && since == w->sent_at;
  GString *body;
  gsize size = 256;
  guint n_ended = 0;

  if (!(record = cohort_store_insights_collect (store, class_id, now, w->record, error)) ||
      !(settings = cohort_store_insights_get_settings (store, class_id, error)))
    return NULL;
  lesson = cohort_store_lesson_get (store, class_id, 0, error);
  if (error != NULL && *error != NULL)
    return NULL;
  thresholds = (CohortInsightsThresholds) {
    settings->absent_lessons, settings->streak_days, settings->accuracy_drop,
    settings->accuracy_lessons, settings->silent_lessons,
  };

  /* The last reply's rows can be kept for the students whose figures did
   * not move: its record (w->record) is what they were written from. */
  if (w->record != NULL && w->sent != NULL && same_lessons (w->record, record) &&
      memcmp (&thresholds, &w->sent_thresholds, sizeof thresholds) == 0)
    {
      before = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < w->record->students->len; i++)
        {
          CohortInsightsStudentRecord *p = g_ptr_array_index (w->record->students, i);

          g_hash_table_insert (before, &p->participant_id, p);
        }
    }

  rows = g_array_sized_new (FALSE, FALSE, sizeof (Row), record->students->len);
  g_array_set_clear_func (rows, row_clear);
  for (guint i = 0; i < record->students->len; i++)
    {
      const CohortInsightsStudentRecord *s = g_ptr_array_index (record->students, i);
      const CohortInsightsStudentRecord *p = before ? g_hash_table_lookup (before, &s->participant_id) : NULL;
      const Row *old = p ? g_hash_table_lookup (w->sent, &s->participant_id) : NULL;
      guint32 today = local_day (days, now, s->tz);
      Row row;

      if (old != NULL && old->today == today && same_row_inputs (record->lessons->len, s, p))
        row = (Row) { g_strdup (old->json), old->n_risks, g_strdup (old->name_key), old->id, today };
      else
        row = student_row (record, s, &thresholds, today);
      size += strlen (row.json) + 1;
      g_array_append_val (rows, row);
    }
  /* At-risk students first, the most reasons first; then by name. */
  g_array_sort (rows, row_compare);

  for (guint i = 0; i < record->lessons->len; i++)
    if (g_array_index (record->lessons, CohortInsightsLesson, i).ended_at > 0)
      n_ended++;

  /* The settings are one small object (and the template free text):
   * json-glib writes it. */
  settings_node = json_node_init_object (json_node_alloc (), settings_to_json (settings));
  json_object_unref (json_node_get_object (settings_node));
  settings_json = json_to_string (settings_node, FALSE);

  body = g_string_sized_new (size + strlen (settings_json));
  g_string_append_printf (body, "{\"lessons\":%u,\"ended_lessons\":%u,\"live\":%s,\"at\":%" G_GINT64_FORMAT,
                          record->lessons->len, n_ended,
                          lesson != NULL && lesson->state == COHORT_STORE_LESSON_LIVE ? "true" : "false",
                          now);
  g_string_append (body, ",\"settings\":");
  g_string_append (body, settings_json);
  if (delta)
    {
      g_string_append (body, ",\"delta\":true,\"order\":[");
      for (guint i = 0; i < rows->len; i++)
        {
          if (i > 0)
            g_string_append_c (body, ',');
          cohort_json_append_int (body, g_array_index (rows, Row, i).id);
        }
      g_string_append_c (body, ']');
    }
  g_string_append (body, ",\"students\":[");
  sent = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, row_free);
  for (guint i = 0, n = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      const Row *old = delta ? g_hash_table_lookup (w->sent, &row->id) : NULL;
      Row *kept;

      if (!delta || old == NULL || strcmp (old->json, row->json) != 0)
        {
          if (n++ > 0)
            g_string_append_c (body, ',');
          g_string_append (body, row->json);
        }
      kept = g_memdup2 (row, sizeof *row);
      memset (row, 0, sizeof *row);
      g_hash_table_insert (sent, &kept->id, kept);
    }
  g_string_append (body, "]}");

  g_clear_pointer (&w->sent, g_hash_table_unref);
  w->sent = sent;
  w->sent_thresholds = thresholds;
  w->sent_at = now;
  g_clear_pointer (&w->record, cohort_insights_record_free);
  w->record = g_steal_pointer (&record);
  return body;
}

static gboolean tick (gpointer user_data);

static Watch *
watch (CohortInsightsService *self,
       CohortStore           *store,
       CohortConnection      *conn)
{
  gint64 class_id = cohort_connection_get_class_id (conn);
  Watch *w = g_hash_table_lookup (self->watches, &class_id);

  if (w == NULL)
    {
      w = g_new0 (Watch, 1);
      w->class_id = class_id;
      g_hash_table_insert (self->watches, &w->class_id, w);
    }
  w->teacher_id = cohort_connection_get_participant_id (conn);
  /* The tick runs only while some teacher watches: a server whose
   * classes nobody watches (the chat benchmark's) never wakes for it. */
  if (self->tick_source == 0)
    self->tick_source = g_timeout_add (TICK_MS, tick, self);
  w->seen_seq = MAX (w->seen_seq, cohort_store_get_last_seq (store, class_id, NULL));
  return w;
}

/* Read only, and not stored: a resend reads the figures again. */
static gboolean
handle_get (CohortService  *service,
            CohortRequest  *req,
            GError        **error)
{
  CohortInsightsService *self = COHORT_INSIGHTS_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 since = json_object_get_int_member_with_default (cohort_request_get_body (req), "since", 0);
  g_autoptr(GString) body = NULL;
  Watch *w;

  if (!cohort_request_require_teacher (req, _("Only the teacher can see the class’s insights.")))
    return TRUE;

  /* The seq is read before the figures: a change while they are read is
   * told again. */
  w = watch (self, store, conn);
  /* A write: the lessons ended since the last request are folded once. */
  if (!cohort_store_begin (store, error) ||
      !(body = build_insights (store, cohort_connection_get_class_id (conn),
                               _cohort_server_next_ts (cohort_service_get_server (service)), w, since, error)))
    return FALSE;
  if (!cohort_store_commit (store, error))
    return FALSE;

  cohort_request_reply_raw (req, body);
  return TRUE;
}

static gboolean
handle_settings_set (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  g_autoptr(CohortInsightsSettingsRecord) s = NULL;
  JsonObject *ok;

  if (!cohort_request_require_teacher (req, _("Only the teacher can change the insights’ settings.")))
    return TRUE;

  if (!cohort_request_begin (req, error) ||
      !(s = cohort_store_insights_get_settings (store, class_id, error)))
    return FALSE;

  s->absent_lessons = json_object_get_int_member_with_default (body, "absent_lessons", s->absent_lessons);
  s->streak_days = json_object_get_int_member_with_default (body, "streak_days", s->streak_days);
  s->accuracy_drop = json_object_get_int_member_with_default (body, "accuracy_drop", s->accuracy_drop);
  s->accuracy_lessons = json_object_get_int_member_with_default (body, "accuracy_lessons",
                                                                 s->accuracy_lessons);
  s->silent_lessons = json_object_get_int_member_with_default (body, "silent_lessons", s->silent_lessons);
  if (json_object_has_member (body, "template"))
    {
      const char *template = json_object_get_string_member (body, "template");

      if (strstr (template, "{name}") == NULL)
        {
          cohort_store_rollback (store);
          cohort_request_refuse (req, COHORT_ERROR_INVALID, "template",
                                 _("The message must contain {name}, where the student’s name goes."));
          return TRUE;
        }
      g_free (s->template);
      s->template = g_strdup (template);
    }

  if (!cohort_store_insights_set_settings (store, class_id, s, error))
    return FALSE;

  ok = json_object_new ();
  json_object_set_object_member (ok, "settings", settings_to_json (s));
  cohort_request_finish (req, ok);
  return TRUE;
}

static gboolean
handle_nudge (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortServer *server = cohort_service_get_server (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 to = json_object_get_int_member (cohort_request_get_body (req), "participant_id");
  CohortChatService *chat = COHORT_CHAT_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_CHAT_SERVICE));
  g_autoptr(CohortParticipantRecord) student = NULL;
  g_autoptr(CohortInsightsSettingsRecord) settings = NULL;
  g_autoptr(GString) text = NULL;
  gint64 message_id;
  gint64 at;
  JsonObject *ok;

  if (!cohort_request_require_teacher (req, _("Only the teacher can nudge a student.")))
    return TRUE;

  student = cohort_store_get_participant (store, to, error);
  if (student == NULL && *error != NULL)
    return FALSE;
  if (student == NULL || student->class_id != class_id || !g_str_equal (student->role, "student"))
    {
      cohort_request_refuse (req, COHORT_ERROR_NOT_FOUND, "participant_id",
                             _("This student is not in the class."));
      return TRUE;
    }

  if (!cohort_request_begin (req, error) ||
      !(settings = cohort_store_insights_get_settings (store, class_id, error)))
    return FALSE;

  text = g_string_new (settings->template != NULL ? settings->template : default_template ());
  g_string_replace (text, "{name}", student->name, 0);

  at = _cohort_server_next_ts (server);
  if ((message_id = cohort_chat_service_send_private (chat, req, to, text->str, error)) == 0 ||
      cohort_store_insights_add_nudge (store, class_id, to, cohort_connection_get_participant_id (conn),
                                       message_id, at, error) == 0)
    return FALSE;

  ok = json_object_new ();
  json_object_set_int_member (ok, "participant_id", to);
  json_object_set_int_member (ok, "message_id", message_id);
  json_object_set_int_member (ok, "at", at);
  cohort_request_finish (req, ok);
  return TRUE;
}

typedef struct
{
  gint64   teacher_id;
  gboolean found;
} Probe;

static void
probe_teacher (gpointer data,
               gpointer user_data)
{
  Probe *probe = user_data;

  if (cohort_connection_get_participant_id (data) == probe->teacher_id)
    probe->found = TRUE;
}

/* Tells each watching teacher, within TICK_MS and at most every
 * CHANGED_INTERVAL_MS, that their live class's log moved: their page asks again. The event is
 * logged for the teacher alone (a resume replays it like any other). */
static gboolean
tick (gpointer user_data)
{
  CohortInsightsService *self = user_data;
  CohortServer *server = cohort_service_get_server (COHORT_SERVICE (self));
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  gint64 now_us = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Watch *w = value;
      g_autoptr(CohortLessonRecord) lesson = NULL;
      g_autoptr(GPtrArray) pending = NULL;
      g_autoptr(GError) error = NULL;
      Probe probe = { w->teacher_id, FALSE };
      JsonObject *event = NULL;
      gint64 seq;

      _cohort_server_foreach_connection (server, w->class_id, probe_teacher, &probe);
      if (!probe.found)
        {
          g_ptr_array_add (gone, w);
          continue;
        }
      seq = cohort_store_get_last_seq (store, w->class_id, NULL);
      if (seq <= w->seen_seq ||
          (w->told_us > 0 && now_us - w->told_us < CHANGED_INTERVAL_MS * G_GINT64_CONSTANT (1000)))
        continue;
      lesson = cohort_store_lesson_get (store, w->class_id, 0, NULL);
      if (lesson == NULL || lesson->state != COHORT_STORE_LESSON_LIVE)
        {
          w->seen_seq = seq;
          continue;
        }

      pending = _cohort_server_pending_new ();
      if (cohort_store_begin (store, &error))
        {
          event = json_object_new ();
          json_object_set_int_member (event, "at", _cohort_server_next_ts (server));
        }
      if (error != NULL ||
          !_cohort_server_emit_event_for (server, pending, w->class_id, COHORT_EV_INSIGHTS_CHANGED,
                                          event, &w->teacher_id, 1, &error) ||
          !cohort_store_commit (store, &error))
        {
          g_warning ("Could not tell the teacher their insights changed: %s",
                     error ? error->message : "unknown");
          cohort_store_rollback (store);
          continue;
        }
      _cohort_server_broadcast (server, pending);
      w->told_us = now_us;
      /* Past our own event, so that it does not count as a change. */
      w->seen_seq = cohort_store_get_last_seq (store, w->class_id, NULL);
    }

  for (guint i = 0; i < gone->len; i++)
    g_hash_table_remove (self->watches, &((Watch *) g_ptr_array_index (gone, i))->class_id);
  if (g_hash_table_size (self->watches) == 0)
    {
      self->tick_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Folds the ended lessons of one class waiting for it, one class per
 * main-loop turn (each its own transaction), so the requests of other
 * connections are never held up for long. */
static gboolean
fold_one (gpointer user_data)
{
  CohortInsightsService *self = user_data;
  CohortServer *server = cohort_service_get_server (COHORT_SERVICE (self));
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 class_id;

  g_hash_table_iter_init (&iter, self->to_fold);
  if (!g_hash_table_iter_next (&iter, &key, NULL))
    {
      self->fold_source = 0;
      return G_SOURCE_REMOVE;
    }
  class_id = *(gint64 *) key;
  g_hash_table_iter_remove (&iter);

  if (!cohort_store_begin (store, &error) ||
      !cohort_store_insights_fold (store, class_id, _cohort_server_next_ts (server), &error) ||
      !cohort_store_commit (store, &error))
    {
      /* Not lost: the next insights.get folds what is left. */
      g_warning ("Could not fold the insights of class %" G_GINT64_FORMAT ": %s",
                 class_id, error != NULL ? error->message : "unknown");
      cohort_store_rollback (store);
    }
  return G_SOURCE_CONTINUE;
}

static void
fold_later (CohortInsightsService *self,
            gint64                 class_id)
{
  g_hash_table_add (self->to_fold, g_memdup2 (&class_id, sizeof class_id));
  if (self->fold_source == 0)
    self->fold_source = g_idle_add_full (G_PRIORITY_LOW, fold_one, self, NULL);
}

void
cohort_insights_service_lesson_ended (CohortServer *server,
                                      gint64        class_id,
                                      gpointer      user_data)
{
  fold_later (COHORT_INSIGHTS_SERVICE (user_data), class_id);
}

static void
cohort_insights_service_dispose (GObject *object)
{
  CohortInsightsService *self = COHORT_INSIGHTS_SERVICE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->fold_source, g_source_remove);
  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_pointer (&self->to_fold, g_hash_table_unref);
  G_OBJECT_CLASS (cohort_insights_service_parent_class)->dispose (object);
}

static void
cohort_insights_service_shutdown (CohortService *service)
{
  CohortInsightsService *self = COHORT_INSIGHTS_SERVICE (service);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->fold_source, g_source_remove);
}

static void
cohort_insights_service_class_init (CohortInsightsServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_insights_service_dispose;
  COHORT_SERVICE_CLASS (klass)->shutdown = cohort_insights_service_shutdown;
}

static void
cohort_insights_service_init (CohortInsightsService *self)
{
  self->watches = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, watch_free);
  self->to_fold = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

CohortInsightsService *
cohort_insights_service_new (CohortServer *server)
{
  CohortInsightsService *self = g_object_new (COHORT_TYPE_INSIGHTS_SERVICE, "server", server, NULL);
  CohortService *service = COHORT_SERVICE (self);

  cohort_service_add_handler (service, COHORT_REQ_INSIGHTS_GET, handle_get);
  cohort_service_add_handler (service, COHORT_REQ_INSIGHTS_SETTINGS_SET, handle_settings_set);
  cohort_service_add_handler (service, COHORT_REQ_INSIGHTS_NUDGE, handle_nudge);

  /* Lessons that ended without being folded (a store from before they
   * were folded at their end, or a fold that failed): once, at start. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) classes = cohort_store_insights_classes_to_fold (cohort_service_get_store (service),
                                                                        &error);

    if (classes == NULL)
      g_warning ("Could not list the insights to fold: %s", error->message);
    for (guint i = 0; classes != NULL && i < classes->len; i++)
      fold_later (self, g_array_index (classes, gint64, i));
  }
  return self;
}
