/* cohort-store-insights.c: the insights part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cohort-insights-protocol.h"
#include "cohort-quiz-grade.h"

#include "cohort-store-private.h"

/* Numbered migrations of the insights module: append only.
 *
 * The figures are aggregates of the class's records (the event log's
 * presence, stage, hand and reaction events; chat messages, helpful marks,
 * quiz answers, check-ins and AI usage). An ended lesson's figures can no
 * longer change (every record of it has a server timestamp inside its
 * window), so the first request after its end folds them once into
 * insights_cells and marks the lesson in insights_folded; the live lesson
 * is folded on every request. Deleting both tables' rows of a class makes
 * the next request fold everything again, with the same result. The
 * indexes keep each aggregate to a range per lesson. */
static const char * const migrations[] = {
  "CREATE TABLE insights_settings ("
  "  class_id         INTEGER PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,"
  "  absent_lessons   INTEGER NOT NULL,"
  "  streak_days      INTEGER NOT NULL,"
  "  accuracy_drop    INTEGER NOT NULL,"
  "  accuracy_lessons INTEGER NOT NULL,"
  "  silent_lessons   INTEGER NOT NULL,"
  "  template         TEXT"
  ");"
  "CREATE TABLE insights_nudges ("
  "  id             INTEGER PRIMARY KEY,"
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  participant_id INTEGER NOT NULL,"
  "  by             INTEGER NOT NULL,"
  "  message_id     INTEGER NOT NULL,"
  "  at             INTEGER NOT NULL"
  ");"
  "CREATE INDEX insights_nudges_class ON insights_nudges (class_id, participant_id, at);"
  "CREATE INDEX insights_events_by_name ON events (class_id, name, ts);"
  "CREATE INDEX insights_chat_by_time ON chat_messages (class_id, ts);"
  "CREATE INDEX insights_helpful_by_time ON chat_helpful (at);"
  "CREATE INDEX insights_quiz_runs_by_time ON quiz_runs (class_id, launched_at);"
  "CREATE INDEX insights_checkins_by_time ON groups_checkins (class_id, at, participant_id, day, tz);"
  "CREATE TABLE insights_cells ("
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  number         INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL,"
  "  present_ms     INTEGER NOT NULL,"
  "  stage_ms       INTEGER NOT NULL,"
  "  messages       INTEGER NOT NULL,"
  "  questions      INTEGER NOT NULL,"
  "  helpful        INTEGER NOT NULL,"
  "  hands          INTEGER NOT NULL,"
  "  reactions      INTEGER NOT NULL,"
  "  quiz_answered  INTEGER NOT NULL,"
  "  quiz_correct   INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, number, participant_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE insights_folded ("
  "  class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  number   INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, number)"
  ") WITHOUT ROWID;",
  /* 2: each student's streak as folded from the class's check-ins up to
   * insights_streaks_folded.up_to_at; the next request folds only the
   * check-ins made after it. count and id_sum are those of the check-ins
   * folded: when the check-ins up to up_to_at no longer match them (one
   * written late with an older time), everything is folded again. */
  "CREATE TABLE insights_streaks ("
  "  class_id        INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  participant_id  INTEGER NOT NULL,"
  "  last_day        INTEGER NOT NULL,"
  "  length          INTEGER NOT NULL,"
  "  best            INTEGER NOT NULL,"
  "  n_checkins      INTEGER NOT NULL,"
  "  frozen_weeks    TEXT NOT NULL,"
  "  frozen_days     TEXT NOT NULL,"
  "  tz              TEXT,"
  "  last_checkin_at INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, participant_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE insights_streaks_folded ("
  "  class_id  INTEGER PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,"
  "  up_to_at  INTEGER NOT NULL,"
  "  count     INTEGER NOT NULL,"
  "  id_sum    INTEGER NOT NULL"
  ");",
  /* 3: each student's AI question count, read on every request, from
   * the index alone (ai_usage's own index is by time). */
  "CREATE INDEX insights_ai_by_participant ON ai_usage (class_id, participant_id);",
  NULL,
};

gboolean
_cohort_store_insights_migrate (CohortStore  *self,
                                GError      **error)
{
  return _cohort_store_migrate_module (self, "insights", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

static void
student_free (CohortInsightsStudentRecord *s)
{
  g_free (s->name);
  g_free (s->cells);
  g_free (s->tz);
  cohort_streak_clear (&s->streak);
  g_free (s);
}

void
cohort_insights_record_free (CohortInsightsRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->lessons, g_array_unref);
  g_clear_pointer (&record->students, g_ptr_array_unref);
  g_free (record);
}

void
cohort_insights_settings_record_free (CohortInsightsSettingsRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->template);
  g_free (record);
}

typedef struct
{
  CohortInsightsRecord *record;
  GHashTable           *by_id;     /* participant id → CohortInsightsStudentRecord */
  gint64                now;
} Collect;

static CohortInsightsStudentRecord *
student (Collect *c,
         gint64   participant_id)
{
  return g_hash_table_lookup (c->by_id, &participant_id);
}

/* The index of lesson @number in the record's lessons, or -1. */
static int
lesson_index (Collect *c,
              gint64   number)
{
  GArray *lessons = c->record->lessons;
  gint64 guess;

  if (lessons->len == 0)
    return -1;
  /* Numbers are mostly consecutive: try number - first. */
  guess = number - g_array_index (lessons, CohortInsightsLesson, 0).number;
  if (guess >= 0 && guess < lessons->len &&
      g_array_index (lessons, CohortInsightsLesson, guess).number == number)
    return guess;
  for (guint i = 0; i < lessons->len; i++)
    if (g_array_index (lessons, CohortInsightsLesson, i).number == number)
      return i;
  return -1;
}

static gint64
lesson_end (Collect                    *c,
            const CohortInsightsLesson *l)
{
  return l->ended_at > 0 ? l->ended_at : MAX (c->now, l->started_at);
}

/* While a lesson is live, a stretch still open (a student present, or on
 * stage, now) counts in whole minutes, rounded up: the row then changes
 * once a minute and not on every refresh, so a live refresh's delta
 * carries only the students who did something. Once the lesson ended its
 * stretches are closed and exact. */
#define OPEN_STEP_MS 60000

/* Adds the part of [from, to] inside each lesson still to fold to that
 * lesson's present_ms (@stage FALSE) or stage_ms; @open: the stretch has
 * not ended (@to is now). */
static void
add_stretch (Collect                     *c,
             CohortInsightsStudentRecord *s,
             gint64                       from,
             gint64                       to,
             gboolean                     stage,
             gboolean                     open)
{
  GArray *lessons = c->record->lessons;

  for (guint i = 0; i < lessons->len; i++)
    {
      const CohortInsightsLesson *l = &g_array_index (lessons, CohortInsightsLesson, i);
      gint64 a = MAX (from, l->started_at);
      gint64 b = MIN (to, lesson_end (c, l));
      gint64 length;

      if (l->started_at > to)
        break;
      if (b <= a || l->folded)
        continue;
      length = b - a;
      if (open && l->ended_at == 0)
        length = (length + OPEN_STEP_MS - 1) / OPEN_STEP_MS * OPEN_STEP_MS;
      if (stage)
        s->cells[i].stage_ms += length;
      else
        {
          s->cells[i].present_ms += length;
          s->last_attended_at = MAX (s->last_attended_at, b);
        }
    }
}

typedef void (*RowFunc) (Collect      *c,
                         sqlite3_stmt *stmt);

/* Runs @sql, bound to (class_id, now), and calls @func for each row. */
static gboolean
each_row (CohortStore  *self,
          Collect      *c,
          gint64        class_id,
          const char   *sql,
          RowFunc       func,
          GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, c->now);
  while (_cohort_store_step_row (self, stmt, &local_error))
    func (c, stmt);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Rows of (lesson number, participant id, a, b): the cell to add to. */
static CohortInsightsCell *
row_cell (Collect      *c,
          sqlite3_stmt *stmt)
{
  CohortInsightsStudentRecord *s = student (c, sqlite3_column_int64 (stmt, 1));
  int i;

  if (s == NULL || (i = lesson_index (c, sqlite3_column_int64 (stmt, 0))) < 0)
    return NULL;
  return &s->cells[i];
}

static void
on_lesson (Collect      *c,
           sqlite3_stmt *stmt)
{
  CohortInsightsLesson l = {
    .number = sqlite3_column_int64 (stmt, 0),
    .started_at = sqlite3_column_int64 (stmt, 1),
    .ended_at = sqlite3_column_int64 (stmt, 2),
    .folded = sqlite3_column_int (stmt, 3) != 0,
  };

  g_array_append_val (c->record->lessons, l);
}

static void
on_student (Collect      *c,
            sqlite3_stmt *stmt)
{
  CohortInsightsStudentRecord *s = g_new0 (CohortInsightsStudentRecord, 1);

  s->participant_id = sqlite3_column_int64 (stmt, 0);
  s->name = _cohort_store_column_text (stmt, 1);
  s->created_at = sqlite3_column_int64 (stmt, 2);
  s->online = sqlite3_column_int (stmt, 3) != 0;
  s->cells = g_new0 (CohortInsightsCell, MAX (c->record->lessons->len, 1));
  cohort_streak_init (&s->streak);
  g_ptr_array_add (c->record->students, s);
  g_hash_table_insert (c->by_id, &s->participant_id, s);
}

/* A folded lesson's cell, as stored. */
static void
on_cached (Collect      *c,
           sqlite3_stmt *stmt)
{
  CohortInsightsStudentRecord *s = student (c, sqlite3_column_int64 (stmt, 1));
  CohortInsightsCell *cell;
  int i;

  if (s == NULL || (i = lesson_index (c, sqlite3_column_int64 (stmt, 0))) < 0)
    return;
  cell = &s->cells[i];
  cell->present_ms = sqlite3_column_int64 (stmt, 2);
  cell->stage_ms = sqlite3_column_int64 (stmt, 3);
  cell->messages = sqlite3_column_int (stmt, 4);
  cell->questions = sqlite3_column_int (stmt, 5);
  cell->helpful = sqlite3_column_int (stmt, 6);
  cell->hands = sqlite3_column_int (stmt, 7);
  cell->reactions = sqlite3_column_int (stmt, 8);
  cell->quiz_answered = sqlite3_column_int (stmt, 9);
  cell->quiz_correct = sqlite3_column_int (stmt, 10);
  if (cell->present_ms > 0)
    s->last_attended_at = MAX (s->last_attended_at,
                               g_array_index (c->record->lessons, CohortInsightsLesson, i).ended_at);
}

static void
on_chat (Collect      *c,
         sqlite3_stmt *stmt)
{
  CohortInsightsCell *cell = row_cell (c, stmt);

  if (cell == NULL)
    return;
  cell->messages += sqlite3_column_int (stmt, 2);
  cell->questions += sqlite3_column_int (stmt, 3);
}

static void
on_helpful (Collect      *c,
            sqlite3_stmt *stmt)
{
  CohortInsightsCell *cell = row_cell (c, stmt);

  if (cell != NULL)
    cell->helpful += sqlite3_column_int (stmt, 2);
}

static void
on_hands (Collect      *c,
          sqlite3_stmt *stmt)
{
  CohortInsightsCell *cell = row_cell (c, stmt);

  if (cell != NULL)
    cell->hands += sqlite3_column_int (stmt, 2);
}

static void
on_reactions (Collect      *c,
              sqlite3_stmt *stmt)
{
  CohortInsightsCell *cell = row_cell (c, stmt);

  if (cell != NULL)
    cell->reactions += sqlite3_column_int (stmt, 2);
}

static void
on_quiz (Collect      *c,
         sqlite3_stmt *stmt)
{
  CohortInsightsCell *cell = row_cell (c, stmt);

  if (cell == NULL)
    return;
  cell->quiz_answered += sqlite3_column_int (stmt, 2);
  cell->quiz_correct += sqlite3_column_int (stmt, 3);
}

static void
on_ai (Collect      *c,
       sqlite3_stmt *stmt)
{
  CohortInsightsStudentRecord *s = student (c, sqlite3_column_int64 (stmt, 0));

  if (s != NULL)
    s->ai_questions = sqlite3_column_int (stmt, 1);
}

static void
on_nudge (Collect      *c,
          sqlite3_stmt *stmt)
{
  CohortInsightsStudentRecord *s = student (c, sqlite3_column_int64 (stmt, 0));

  if (s != NULL)
    s->last_nudge_at = sqlite3_column_int64 (stmt, 1);
}

/* "YYYY-MM-DD" (as the groups module stores a day) → a Julian day; 0 when
 * it is not one. By hand: tens of thousands of rows per request. */
static guint32
parse_day (const char *day)
{
  guint y = 0, m = 0, d = 0;
  GDate date;

  if (day == NULL || strlen (day) != 10 || day[4] != '-' || day[7] != '-')
    return 0;
  for (int i = 0; i < 4; i++)
    y = y * 10 + (day[i] - '0');
  m = (day[5] - '0') * 10 + (day[6] - '0');
  d = (day[8] - '0') * 10 + (day[9] - '0');
  if (!g_date_valid_dmy (d, m, y))
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

/* The same fold as the groups ledger's (cohort-streak.c), over the
 * stored check-ins in the order they were made. */
static void
on_checkin (Collect      *c,
            sqlite3_stmt *stmt)
{
  CohortInsightsStudentRecord *s = student (c, sqlite3_column_int64 (stmt, 0));
  guint32 day = parse_day ((const char *) sqlite3_column_text (stmt, 1));
  const char *tz = (const char *) sqlite3_column_text (stmt, 2);

  if (s == NULL || day == 0)
    return;
  cohort_streak_check_in (&s->streak, day);
  if (g_strcmp0 (s->tz, tz) != 0)
    {
      g_free (s->tz);
      s->tz = g_strdup (tz);
    }
  s->last_checkin_at = sqlite3_column_int64 (stmt, 3);
}

/* "1,2,3" ↔ a GArray of guint32 (the streak's frozen weeks and days). */
static char *
join_uints (GArray *array)
{
  GString *out = g_string_new ("");

  for (guint i = 0; i < array->len; i++)
    g_string_append_printf (out, i > 0 ? ",%u" : "%u", g_array_index (array, guint32, i));
  return g_string_free (out, FALSE);
}

static void
split_uints (const char *text,
             GArray     *array)
{
  while (text != NULL && *text != '\0')
    {
      char *end;
      guint32 v = (guint32) g_ascii_strtoull (text, &end, 10);

      if (end == text)
        break;
      g_array_append_val (array, v);
      text = *end == ',' ? end + 1 : end;
    }
}

G_STATIC_ASSERT (sizeof (guint) == sizeof (guint32));

/* A student's streak as stored by an earlier request. */
static void
on_cached_streak (Collect      *c,
                  sqlite3_stmt *stmt)
{
  CohortInsightsStudentRecord *s = student (c, sqlite3_column_int64 (stmt, 0));

  if (s == NULL)
    return;
  s->streak.last_day = sqlite3_column_int64 (stmt, 1);
  s->streak.length = sqlite3_column_int (stmt, 2);
  s->streak.best = sqlite3_column_int (stmt, 3);
  s->streak.n_checkins = sqlite3_column_int (stmt, 4);
  split_uints ((const char *) sqlite3_column_text (stmt, 5), s->streak.frozen_weeks);
  split_uints ((const char *) sqlite3_column_text (stmt, 6), s->streak.frozen_days);
  g_free (s->tz);
  s->tz = _cohort_store_column_text (stmt, 7);
  s->last_checkin_at = sqlite3_column_int64 (stmt, 8);
}

/* The streaks: read as stored, then only the check-ins made since folded
 * (or, when the stored ones no longer match the check-ins, all of them),
 * and the changed students' streaks stored again. */
static gboolean
fold_checkins (CohortStore  *self,
               Collect      *c,
               gint64        class_id,
               GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) changed = g_hash_table_new (NULL, NULL);
  gint64 up_to_at = G_MININT64;
  gint64 count = 0;
  gint64 id_sum = 0;
  gboolean valid = FALSE;
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT up_to_at, count, id_sum FROM insights_streaks_folded "
                                      "WHERE class_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (_cohort_store_step_row (self, stmt, &local_error))
    {
      up_to_at = sqlite3_column_int64 (stmt, 0);
      count = sqlite3_column_int64 (stmt, 1);
      id_sum = sqlite3_column_int64 (stmt, 2);
      valid = TRUE;
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (valid)
    {
      if (!(stmt = _cohort_store_prepare (self, "SELECT count (*), coalesce (sum (id), 0) FROM groups_checkins "
                                          "WHERE class_id = ? AND at <= ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, class_id);
      sqlite3_bind_int64 (stmt, 2, up_to_at);
      valid = _cohort_store_step_row (self, stmt, &local_error) &&
              sqlite3_column_int64 (stmt, 0) == count && sqlite3_column_int64 (stmt, 1) == id_sum;
      sqlite3_reset (stmt);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (valid)
    {
      if (!each_row (self, c, class_id,
                     "SELECT participant_id, last_day, length, best, n_checkins, frozen_weeks, "
                     "frozen_days, tz, last_checkin_at FROM insights_streaks WHERE class_id = ?1",
                     on_cached_streak, error))
        return FALSE;
    }
  else
    {
      up_to_at = G_MININT64;
      count = id_sum = 0;
      if (!(stmt = _cohort_store_prepare (self, "DELETE FROM insights_streaks WHERE class_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, class_id);
      if (!_cohort_store_step_done (self, stmt, error))
        return FALSE;
    }

  /* The same fold as the groups ledger's (cohort-streak.c), over the
   * check-ins in the order they were made. */
  if (!(stmt = _cohort_store_prepare (self, "SELECT participant_id, day, tz, at, id FROM groups_checkins "
                                      "WHERE class_id = ? AND at > ? ORDER BY at", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, up_to_at);
  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      CohortInsightsStudentRecord *s = student (c, sqlite3_column_int64 (stmt, 0));

      up_to_at = MAX (up_to_at, sqlite3_column_int64 (stmt, 3));
      count++;
      id_sum += sqlite3_column_int64 (stmt, 4);
      if (s != NULL)
        {
          on_checkin (c, stmt);
          g_hash_table_add (changed, s);
        }
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_hash_table_size (changed) == 0 && valid)
    return TRUE;

  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      CohortInsightsStudentRecord *s = key;
      g_autofree char *weeks = join_uints (s->streak.frozen_weeks);
      g_autofree char *days = join_uints (s->streak.frozen_days);

      if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO insights_streaks (class_id, "
                                          "participant_id, last_day, length, best, n_checkins, "
                                          "frozen_weeks, frozen_days, tz, last_checkin_at) "
                                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, class_id);
      sqlite3_bind_int64 (stmt, 2, s->participant_id);
      sqlite3_bind_int64 (stmt, 3, s->streak.last_day);
      sqlite3_bind_int (stmt, 4, s->streak.length);
      sqlite3_bind_int (stmt, 5, s->streak.best);
      sqlite3_bind_int (stmt, 6, s->streak.n_checkins);
      sqlite3_bind_text (stmt, 7, weeks, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, days, -1, SQLITE_TRANSIENT);
      if (s->tz != NULL)
        sqlite3_bind_text (stmt, 9, s->tz, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 9);
      sqlite3_bind_int64 (stmt, 10, s->last_checkin_at);
      if (!_cohort_store_step_done (self, stmt, error))
        return FALSE;
    }

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO insights_streaks_folded "
                                      "(class_id, up_to_at, count, id_sum) VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, up_to_at);
  sqlite3_bind_int64 (stmt, 3, count);
  sqlite3_bind_int64 (stmt, 4, id_sum);
  return _cohort_store_step_done (self, stmt, error);
}

/* Presence and stage: stretches between on and off events, in time
 * order, from @from (the start of the first lesson still to fold) on.
 * Presence events alternate (the server logs one when it changes), so a
 * student's state at @from is the opposite of their first event after it,
 * or, without one, what it is now; a stage turn is open at @from when the
 * first stage event after it is stage.left. */
typedef struct
{
  gint64   online_since;
  gint64   stage_since;
  gboolean seen_presence;
  gboolean seen_stage;
} Stretch;

static gboolean
fold_stretches (CohortStore  *self,
                Collect      *c,
                gint64        class_id,
                gint64        from,
                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  GPtrArray *students = c->record->students;
  g_autofree Stretch *stretches = g_new0 (Stretch, MAX (students->len, 1));
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;

  for (guint i = 0; i < students->len; i++)
    {
      CohortInsightsStudentRecord *s = g_ptr_array_index (students, i);

      g_hash_table_insert (index, &s->participant_id, GUINT_TO_POINTER (i + 1));
    }

  /* The bodies name the participant in two shapes. */
  if (!(stmt = _cohort_store_prepare (self, "SELECT ts, name, "
                                      "CASE name WHEN 'participant.joined' "
                                      "THEN json_extract (body, '$.participant.id') "
                                      "ELSE json_extract (body, '$.participant_id') END, "
                                      "CASE name WHEN 'participant.presence' "
                                      "THEN json_extract (body, '$.online') "
                                      "WHEN 'participant.joined' "
                                      "THEN json_extract (body, '$.participant.online') "
                                      "ELSE 0 END FROM events "
                                      "WHERE class_id = ?1 AND ts >= ?2 AND ts <= ?3 AND name IN "
                                      "('participant.presence', 'participant.joined', "
                                      "'stage.joined', 'stage.left') ORDER BY ts, seq", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, c->now);
  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      gint64 ts = sqlite3_column_int64 (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      gint64 pid = sqlite3_column_int64 (stmt, 2);
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (index, &pid));
      CohortInsightsStudentRecord *s;
      Stretch *st;

      if (i == 0 || name == NULL)
        continue;
      s = g_ptr_array_index (students, i - 1);
      st = &stretches[i - 1];
      if (g_str_equal (name, "stage.joined"))
        {
          st->seen_stage = TRUE;
          if (st->stage_since == 0)
            st->stage_since = ts;
        }
      else if (g_str_equal (name, "stage.left"))
        {
          if (!st->seen_stage)
            st->stage_since = from;
          st->seen_stage = TRUE;
          if (st->stage_since != 0)
            add_stretch (c, s, st->stage_since, ts, TRUE, FALSE);
          st->stage_since = 0;
        }
      else if (sqlite3_column_int (stmt, 3) != 0)
        {
          st->seen_presence = TRUE;
          if (st->online_since == 0)
            st->online_since = ts;
        }
      else
        {
          if (!st->seen_presence)
            st->online_since = from;
          st->seen_presence = TRUE;
          if (st->online_since != 0)
            add_stretch (c, s, st->online_since, ts, FALSE, FALSE);
          /* Going offline takes them off the stage too. */
          if (st->stage_since != 0)
            add_stretch (c, s, st->stage_since, ts, TRUE, FALSE);
          st->online_since = st->stage_since = 0;
        }
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; i < students->len; i++)
    {
      CohortInsightsStudentRecord *s = g_ptr_array_index (students, i);

      if (!stretches[i].seen_presence && s->online)
        stretches[i].online_since = from;
      if (stretches[i].online_since != 0)
        add_stretch (c, s, stretches[i].online_since, c->now, FALSE, TRUE);
      if (stretches[i].stage_since != 0)
        add_stretch (c, s, stretches[i].stage_since, c->now, TRUE, TRUE);
    }
  return TRUE;
}

/* Stores the cells of the ended lessons just folded, and marks them. */
static gboolean
store_folded (CohortStore  *self,
              Collect      *c,
              gint64        class_id,
              GError      **error)
{
  GArray *lessons = c->record->lessons;
  GPtrArray *students = c->record->students;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < lessons->len; i++)
    {
      CohortInsightsLesson *l = &g_array_index (lessons, CohortInsightsLesson, i);

      if (l->folded || l->ended_at == 0 || l->ended_at > c->now)
        continue;

      for (guint j = 0; j < students->len; j++)
        {
          CohortInsightsStudentRecord *s = g_ptr_array_index (students, j);
          const CohortInsightsCell *cell = &s->cells[i];
          static const CohortInsightsCell zero = { 0 };

          /* Absent and silent: no row. */
          if (memcmp (cell, &zero, sizeof zero) == 0)
            continue;
          if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO insights_cells "
                                              "(class_id, number, participant_id, present_ms, stage_ms, "
                                              "messages, questions, helpful, hands, reactions, "
                                              "quiz_answered, quiz_correct) "
                                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, class_id);
          sqlite3_bind_int64 (stmt, 2, l->number);
          sqlite3_bind_int64 (stmt, 3, s->participant_id);
          sqlite3_bind_int64 (stmt, 4, cell->present_ms);
          sqlite3_bind_int64 (stmt, 5, cell->stage_ms);
          sqlite3_bind_int (stmt, 6, cell->messages);
          sqlite3_bind_int (stmt, 7, cell->questions);
          sqlite3_bind_int (stmt, 8, cell->helpful);
          sqlite3_bind_int (stmt, 9, cell->hands);
          sqlite3_bind_int (stmt, 10, cell->reactions);
          sqlite3_bind_int (stmt, 11, cell->quiz_answered);
          sqlite3_bind_int (stmt, 12, cell->quiz_correct);
          if (!_cohort_store_step_done (self, stmt, error))
            return FALSE;
        }

      if (!(stmt = _cohort_store_prepare (self, "INSERT OR IGNORE INTO insights_folded (class_id, number) "
                                          "VALUES (?, ?)", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, class_id);
      sqlite3_bind_int64 (stmt, 2, l->number);
      if (!_cohort_store_step_done (self, stmt, error))
        return FALSE;
      l->folded = TRUE;
    }
  return TRUE;
}

/* The quiz aggregate names the grades by value; ungraded (open) answers
 * count neither way. */
G_STATIC_ASSERT (COHORT_QUIZ_GRADE_CORRECT == 1);
G_STATIC_ASSERT (COHORT_QUIZ_GRADE_UNGRADED == 2);

/* A lesson's window: from its start to its end, or to now while live. */
#define LESSON_WINDOW(col) \
  col " >= l.started_at AND " col " <= (CASE l.ended_at WHEN 0 THEN ?2 ELSE l.ended_at END)"
/* The lessons whose figures are not in insights_cells yet. */
#define TO_FOLD \
  "l.class_id = ?1 AND l.started_at > 0 AND NOT EXISTS (SELECT 1 FROM insights_folded f " \
  "WHERE f.class_id = l.class_id AND f.number = l.number)"

/* Copies the folded lessons' cells from @previous when it folded the
 * same lessons and knew every student: FALSE when they must be read. */
static gboolean
reuse_folded (Collect                    *c,
              const CohortInsightsRecord *previous)
{
  GArray *lessons = c->record->lessons;
  g_autoptr(GHashTable) before = NULL;

  if (previous == NULL || previous->lessons->len > lessons->len)
    return FALSE;
  for (guint i = 0; i < lessons->len; i++)
    {
      const CohortInsightsLesson *l = &g_array_index (lessons, CohortInsightsLesson, i);
      const CohortInsightsLesson *p;

      if (!l->folded)
        continue;
      if (i >= previous->lessons->len)
        return FALSE;
      p = &g_array_index (previous->lessons, CohortInsightsLesson, i);
      if (p->number != l->number || !p->folded)
        return FALSE;
    }

  before = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < previous->students->len; i++)
    {
      CohortInsightsStudentRecord *p = g_ptr_array_index (previous->students, i);

      g_hash_table_insert (before, &p->participant_id, p);
    }
  for (guint j = 0; j < c->record->students->len; j++)
    if (!g_hash_table_contains (before, &((CohortInsightsStudentRecord *)
                                          g_ptr_array_index (c->record->students, j))->participant_id))
      return FALSE;

  for (guint j = 0; j < c->record->students->len; j++)
    {
      CohortInsightsStudentRecord *s = g_ptr_array_index (c->record->students, j);
      const CohortInsightsStudentRecord *p = g_hash_table_lookup (before, &s->participant_id);

      for (guint i = 0; i < lessons->len; i++)
        {
          const CohortInsightsLesson *l = &g_array_index (lessons, CohortInsightsLesson, i);

          if (!l->folded)
            continue;
          s->cells[i] = p->cells[i];
          if (s->cells[i].present_ms > 0)
            s->last_attended_at = MAX (s->last_attended_at, l->ended_at);
        }
    }
  return TRUE;
}

CohortInsightsRecord *
cohort_store_insights_collect (CohortStore                *self,
                               gint64                      class_id,
                               gint64                      now,
                               const CohortInsightsRecord *previous,
                               GError                    **error)
{
  g_autoptr(CohortInsightsRecord) record = g_new0 (CohortInsightsRecord, 1);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  Collect c = { record, by_id, now };
  gint64 fold_from = 0;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  record->lessons = g_array_new (FALSE, TRUE, sizeof (CohortInsightsLesson));
  record->students = g_ptr_array_new_with_free_func ((GDestroyNotify) student_free);

  if (!each_row (self, &c, class_id,
                 "SELECT l.number, l.started_at, l.ended_at, f.number IS NOT NULL FROM lesson_runs l "
                 "LEFT JOIN insights_folded f ON f.class_id = l.class_id AND f.number = l.number "
                 "WHERE l.class_id = ?1 AND l.started_at > 0 ORDER BY l.number", on_lesson, error) ||
      !each_row (self, &c, class_id,
                 "SELECT id, name, created_at, online FROM participants "
                 "WHERE class_id = ?1 AND role = 'student' ORDER BY id", on_student, error))
    return NULL;
  if (!reuse_folded (&c, previous) &&
      !each_row (self, &c, class_id,
                 "SELECT number, participant_id, present_ms, stage_ms, messages, questions, helpful, "
                 "hands, reactions, quiz_answered, quiz_correct FROM insights_cells "
                 "WHERE class_id = ?1", on_cached, error))
    return NULL;

  for (guint i = 0; i < record->lessons->len; i++)
    {
      const CohortInsightsLesson *l = &g_array_index (record->lessons, CohortInsightsLesson, i);

      if (!l->folded)
        {
          fold_from = l->started_at;
          break;
        }
    }

  if ((fold_from > 0 && !fold_stretches (self, &c, class_id, fold_from, error)) ||
      !each_row (self, &c, class_id,
                 "SELECT l.number, m.author_id, count (*), SUM (m.question <> 'none') "
                 "FROM lesson_runs l JOIN chat_messages m ON m.class_id = l.class_id "
                 "AND " LESSON_WINDOW ("m.ts") " "
                 "WHERE " TO_FOLD " GROUP BY l.number, m.author_id",
                 on_chat, error) ||
      !each_row (self, &c, class_id,
                 "SELECT l.number, m.author_id, count (*) "
                 "FROM lesson_runs l JOIN chat_helpful h ON " LESSON_WINDOW ("h.at") " "
                 "JOIN chat_messages m ON m.id = h.message_id AND m.class_id = l.class_id "
                 "WHERE " TO_FOLD " GROUP BY l.number, m.author_id",
                 on_helpful, error) ||
      !each_row (self, &c, class_id,
                 "SELECT l.number, json_extract (e.body, '$.participant_id') AS who, count (*) "
                 "FROM lesson_runs l JOIN events e ON e.class_id = l.class_id "
                 "AND e.name = 'hand.raised' AND " LESSON_WINDOW ("e.ts") " "
                 "WHERE " TO_FOLD " GROUP BY l.number, who",
                 on_hands, error) ||
      !each_row (self, &c, class_id,
                 "SELECT l.number, json_extract (e.body, '$.participant_id') AS who, count (*) "
                 "FROM lesson_runs l JOIN events e ON e.class_id = l.class_id "
                 "AND e.name = 'chat.reaction' AND " LESSON_WINDOW ("e.ts") " "
                 "WHERE " TO_FOLD " GROUP BY l.number, who",
                 on_reactions, error) ||
      !each_row (self, &c, class_id,
                 "SELECT l.number, a.participant_id, count (*), SUM (a.grade = 1) "
                 "FROM lesson_runs l JOIN quiz_runs r ON r.class_id = l.class_id "
                 "AND " LESSON_WINDOW ("r.launched_at") " "
                 "JOIN quiz_answers a ON a.run_id = r.id AND a.grade <> 2 "
                 "WHERE " TO_FOLD " GROUP BY l.number, a.participant_id",
                 on_quiz, error) ||
      !each_row (self, &c, class_id,
                 "SELECT participant_id, count (*) FROM ai_usage "
                 "WHERE class_id = ?1 GROUP BY participant_id", on_ai, error) ||
      !fold_checkins (self, &c, class_id, error) ||
      !each_row (self, &c, class_id,
                 "SELECT participant_id, MAX (at) FROM insights_nudges "
                 "WHERE class_id = ?1 GROUP BY participant_id", on_nudge, error) ||
      !store_folded (self, &c, class_id, error))
    return NULL;

  return g_steal_pointer (&record);
}

gboolean
cohort_store_insights_fold (CohortStore  *self,
                            gint64        class_id,
                            gint64        now,
                            GError      **error)
{
  g_autoptr(CohortInsightsRecord) record = cohort_store_insights_collect (self, class_id, now, NULL, error);

  return record != NULL;
}

GArray *
cohort_store_insights_classes_to_fold (CohortStore  *self,
                                       GError      **error)
{
  g_autoptr(GArray) classes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT DISTINCT l.class_id FROM lesson_runs l "
                                      "WHERE l.started_at > 0 AND l.ended_at > 0 AND NOT EXISTS "
                                      "(SELECT 1 FROM insights_folded f WHERE f.class_id = l.class_id "
                                      "AND f.number = l.number)", error)))
    return NULL;
  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (classes, id);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&classes);
}

CohortInsightsSettingsRecord *
cohort_store_insights_get_settings (CohortStore  *self,
                                    gint64        class_id,
                                    GError      **error)
{
  g_autoptr(CohortInsightsSettingsRecord) record = g_new0 (CohortInsightsSettingsRecord, 1);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  record->absent_lessons = COHORT_INSIGHTS_ABSENT_DEFAULT;
  record->streak_days = COHORT_INSIGHTS_STREAK_DEFAULT;
  record->accuracy_drop = COHORT_INSIGHTS_DROP_DEFAULT;
  record->accuracy_lessons = COHORT_INSIGHTS_DROP_LESSONS_DEFAULT;
  record->silent_lessons = COHORT_INSIGHTS_SILENT_DEFAULT;

  if (!(stmt = _cohort_store_prepare (self, "SELECT absent_lessons, streak_days, accuracy_drop, "
                                      "accuracy_lessons, silent_lessons, template "
                                      "FROM insights_settings WHERE class_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (_cohort_store_step_row (self, stmt, &local_error))
    {
      record->absent_lessons = sqlite3_column_int (stmt, 0);
      record->streak_days = sqlite3_column_int (stmt, 1);
      record->accuracy_drop = sqlite3_column_int (stmt, 2);
      record->accuracy_lessons = sqlite3_column_int (stmt, 3);
      record->silent_lessons = sqlite3_column_int (stmt, 4);
      record->template = _cohort_store_column_text (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&record);
}

gboolean
cohort_store_insights_set_settings (CohortStore                        *self,
                                    gint64                              class_id,
                                    const CohortInsightsSettingsRecord *settings,
                                    GError                            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO insights_settings "
                                      "(class_id, absent_lessons, streak_days, accuracy_drop, "
                                      "accuracy_lessons, silent_lessons, template) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int (stmt, 2, settings->absent_lessons);
  sqlite3_bind_int (stmt, 3, settings->streak_days);
  sqlite3_bind_int (stmt, 4, settings->accuracy_drop);
  sqlite3_bind_int (stmt, 5, settings->accuracy_lessons);
  sqlite3_bind_int (stmt, 6, settings->silent_lessons);
  if (settings->template != NULL)
    sqlite3_bind_text (stmt, 7, settings->template, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 7);
  return _cohort_store_step_done (self, stmt, error);
}

gint64
cohort_store_insights_add_nudge (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        participant_id,
                                 gint64        by,
                                 gint64        message_id,
                                 gint64        at,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO insights_nudges "
                                      "(class_id, participant_id, by, message_id, at) "
                                      "VALUES (?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int64 (stmt, 3, by);
  sqlite3_bind_int64 (stmt, 4, message_id);
  sqlite3_bind_int64 (stmt, 5, at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

gint64
cohort_store_insights_count_nudges (CohortStore  *self,
                                    gint64        class_id,
                                    gint64        participant_id,
                                    GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 count;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT count (*) FROM insights_nudges "
                                      "WHERE class_id = ? AND participant_id = ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  if (!_cohort_store_step_row (self, stmt, error))
    return -1;
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}
