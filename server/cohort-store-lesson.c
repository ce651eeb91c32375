/* cohort-store-lesson.c: the lesson part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-quiz-grade.h"

#include "cohort-store-private.h"

/* Numbered migrations of the lesson module: append only.
 *
 * Attendance has no table of its own: it is read from the event log's
 * participant.joined (a new student, online) and participant.presence
 * events, which every join, leave, drop, shutdown and crash recovery
 * already logs with a timestamp, so it cannot disagree with what the
 * rosters showed. */
static const char * const migrations[] = {
  "CREATE TABLE lesson_runs ("
  "  class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  number     INTEGER NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  ended_at   INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (class_id, number)"
  ") WITHOUT ROWID;",
  NULL,
};

gboolean
_cohort_store_lesson_migrate (CohortStore  *self,
                              GError      **error)
{
  return _cohort_store_migrate_module (self, "lesson", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

void
cohort_lesson_record_free (CohortLessonRecord *record)
{
  g_free (record);
}

void
cohort_attendance_record_free (CohortAttendanceRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record);
}

void
cohort_lesson_summary_record_free (CohortLessonSummaryRecord *record)
{
  if (record == NULL)
    return;
  g_strfreev (record->badges);
  g_free (record);
}

CohortLessonRecord *
cohort_store_lesson_get (CohortStore  *self,
                         gint64        class_id,
                         gint64        number,
                         GError      **error)
{
  g_autoptr(CohortLessonRecord) record = NULL;
  sqlite3_stmt *stmt;
  gint64 current;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT COALESCE (MAX (number), 0) FROM lessons "
                                      "WHERE class_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;
  current = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (number > current)
    return NULL;

  record = g_new0 (CohortLessonRecord, 1);
  record->class_id = class_id;
  record->number = number > 0 ? number : current;

  if (!(stmt = _cohort_store_prepare (self, "SELECT started_at, ended_at FROM lesson_runs "
                                      "WHERE class_id = ? AND number = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, record->number);
  if (_cohort_store_step_row (self, stmt, error))
    {
      record->started_at = sqlite3_column_int64 (stmt, 0);
      record->ended_at = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;

  record->state = record->ended_at > 0 ? COHORT_STORE_LESSON_ENDED
                  : record->started_at > 0 ? COHORT_STORE_LESSON_LIVE
                  : COHORT_STORE_LESSON_NOT_STARTED;
  return g_steal_pointer (&record);
}

gboolean
cohort_store_lesson_set_started (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        number,
                                 gint64        started_at,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO lesson_runs (class_id, number, started_at) "
                                      "VALUES (?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, number);
  sqlite3_bind_int64 (stmt, 3, started_at);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_lesson_set_ended (CohortStore  *self,
                               gint64        class_id,
                               gint64        number,
                               gint64        ended_at,
                               GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE lesson_runs SET ended_at = ? "
                                      "WHERE class_id = ? AND number = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ended_at);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, number);
  return _cohort_store_step_done (self, stmt, error);
}

typedef struct
{
  CohortAttendanceRecord *record;  /* NULL until they were online during the lesson */
  gint64                  id;
  char                   *name;
  gint64                  online_since;  /* 0: offline */
} Presence;

static void
presence_free (gpointer data)
{
  Presence *p = data;

  cohort_attendance_record_free (p->record);
  g_free (p->name);
  g_free (p);
}

static void
presence_open (Presence *p,
               gint64    at)
{
  p->online_since = at;
  if (p->record == NULL)
    {
      p->record = g_new0 (CohortAttendanceRecord, 1);
      p->record->participant_id = p->id;
      p->record->name = g_strdup (p->name);
      p->record->first_joined_at = at;
    }
  p->record->visits++;
  p->record->last_left_at = 0;
}

static void
presence_close (Presence *p,
                gint64    at)
{
  p->record->present_ms += at - p->online_since;
  p->record->last_left_at = at;
  p->online_since = 0;
}

static int
by_name (gconstpointer a,
         gconstpointer b)
{
  const CohortAttendanceRecord *ra = *(CohortAttendanceRecord * const *) a;
  const CohortAttendanceRecord *rb = *(CohortAttendanceRecord * const *) b;
  int cmp = g_utf8_collate (ra->name, rb->name);

  return cmp != 0 ? cmp : (ra->participant_id > rb->participant_id) - (ra->participant_id < rb->participant_id);
}

GPtrArray *
cohort_store_lesson_attendance (CohortStore              *self,
                                const CohortLessonRecord *lesson,
                                gint64                    now,
                                GError                  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_attendance_record_free);
  g_autoptr(GHashTable) students = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt;
  gboolean started = FALSE;
  gint64 end;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  g_return_val_if_fail (lesson != NULL, NULL);

  if (lesson->state == COHORT_STORE_LESSON_NOT_STARTED)
    return g_steal_pointer (&list);
  end = lesson->state == COHORT_STORE_LESSON_ENDED ? lesson->ended_at : MAX (now, lesson->started_at);

  students = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, presence_free);
  if (!(stmt = _cohort_store_prepare (self, "SELECT id, name FROM participants "
                                      "WHERE class_id = ? AND role = 'student'", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, lesson->class_id);
  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      Presence *p = g_new0 (Presence, 1);

      p->id = sqlite3_column_int64 (stmt, 0);
      p->name = _cohort_store_column_text (stmt, 1);
      g_hash_table_insert (students, g_memdup2 (&p->id, sizeof p->id), p);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Who was online when the lesson started comes from the events before
   * it; each presence event after it opens or closes a stretch. */
  if (!(stmt = _cohort_store_prepare (self, "SELECT ts, "
                                      "COALESCE (json_extract (body, '$.participant_id'), "
                                      "          json_extract (body, '$.participant.id')), "
                                      "COALESCE (json_extract (body, '$.online'), "
                                      "          json_extract (body, '$.participant.online')) FROM events "
                                      "WHERE class_id = ? AND ts <= ? "
                                      "AND name IN ('participant.presence', 'participant.joined') "
                                      "ORDER BY seq", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, lesson->class_id);
  sqlite3_bind_int64 (stmt, 2, end);
  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      gint64 ts = sqlite3_column_int64 (stmt, 0);
      gint64 participant_id = sqlite3_column_int64 (stmt, 1);
      gboolean online = sqlite3_column_int (stmt, 2) != 0;
      Presence *p;

      if (!started && ts > lesson->started_at)
        {
          started = TRUE;
          g_hash_table_iter_init (&iter, students);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (((Presence *) value)->online_since != 0)
              presence_open (value, lesson->started_at);
        }
      if (!(p = g_hash_table_lookup (students, &participant_id)))
        continue;

      if (!started)
        p->online_since = online ? ts : 0;
      else if (online && p->online_since == 0)
        presence_open (p, ts);
      else if (!online && p->online_since != 0)
        presence_close (p, ts);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_hash_table_iter_init (&iter, students);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Presence *p = value;

      if (!started && p->online_since != 0)
        presence_open (p, lesson->started_at);
      if (p->record == NULL)
        continue;
      if (p->online_since != 0)
        {
          presence_close (p, end);
          /* Still in the class: no leaving time while the lesson is live. */
          if (lesson->state == COHORT_STORE_LESSON_LIVE)
            p->record->last_left_at = 0;
        }
      g_ptr_array_add (list, g_steal_pointer (&p->record));
    }

  g_ptr_array_sort (list, by_name);
  return g_steal_pointer (&list);
}

CohortLessonSummaryRecord *
cohort_store_lesson_summary (CohortStore  *self,
                             gint64        class_id,
                             gint64        participant_id,
                             gint64        from,
                             gint64        to,
                             GError      **error)
{
  g_autoptr(CohortLessonSummaryRecord) record = g_new0 (CohortLessonSummaryRecord, 1);
  g_autoptr(GPtrArray) badges = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT count (*), COALESCE (SUM (a.grade = ?), 0), "
                                      "COALESCE (SUM (a.points), 0) FROM quiz_answers a "
                                      "JOIN quiz_runs r ON r.id = a.run_id "
                                      "WHERE r.class_id = ? AND a.participant_id = ? "
                                      "AND a.answered_at BETWEEN ? AND ?", error)))
    return NULL;
  sqlite3_bind_int (stmt, 1, COHORT_QUIZ_GRADE_CORRECT);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, participant_id);
  sqlite3_bind_int64 (stmt, 4, from);
  sqlite3_bind_int64 (stmt, 5, to);
  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;
  record->quiz_answered = sqlite3_column_int (stmt, 0);
  record->quiz_correct = sqlite3_column_int (stmt, 1);
  record->quiz_points = sqlite3_column_double (stmt, 2);
  sqlite3_reset (stmt);

  if (!(stmt = _cohort_store_prepare (self, "SELECT badge FROM groups_badges "
                                      "WHERE class_id = ? AND participant_id = ? "
                                      "AND earned_at BETWEEN ? AND ? ORDER BY earned_at, badge", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int64 (stmt, 3, from);
  sqlite3_bind_int64 (stmt, 4, to);
  while (_cohort_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (badges, _cohort_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_ptr_array_add (badges, NULL);
  record->badges = (GStrv) g_ptr_array_steal (badges, NULL);
  return g_steal_pointer (&record);
}
