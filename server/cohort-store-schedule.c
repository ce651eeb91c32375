/* cohort-store-schedule.c: the schedule part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* Numbered migrations of the schedule module: append only.
 *
 * A series keeps the teacher's wall clock and zone, never a UTC time:
 * occurrences are expanded when read (cohort-schedule-rule.c), so that a
 * weekly lesson follows its zone's DST changes and a tz database update. */
static const char * const migrations[] = {
  "CREATE TABLE schedule_lessons ("
  "  id           INTEGER PRIMARY KEY,"
  "  class_id     INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  title        TEXT    NOT NULL,"
  "  first_date   INTEGER NOT NULL,"
  "  hour         INTEGER NOT NULL,"
  "  minute       INTEGER NOT NULL,"
  "  zone         TEXT    NOT NULL,"
  "  duration     INTEGER NOT NULL,"
  "  weekly       INTEGER NOT NULL,"
  "  count        INTEGER NOT NULL DEFAULT 0,"
  "  until_date   INTEGER NOT NULL DEFAULT 0,"
  "  cancelled    INTEGER NOT NULL DEFAULT 0,"
  "  updated_at   INTEGER NOT NULL"
  ");"
  "CREATE INDEX schedule_lessons_by_class ON schedule_lessons (class_id);"
  "CREATE TABLE schedule_exceptions ("
  "  lesson_id    INTEGER NOT NULL REFERENCES schedule_lessons (id) ON DELETE CASCADE,"
  "  date         INTEGER NOT NULL,"
  "  PRIMARY KEY (lesson_id, date)"
  ") WITHOUT ROWID;"
  "CREATE TABLE schedule_calendar_keys ("
  "  hash           TEXT    PRIMARY KEY,"
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  participant_id INTEGER NOT NULL UNIQUE REFERENCES participants (id) ON DELETE CASCADE,"
  "  created_at     INTEGER NOT NULL"
  ") WITHOUT ROWID;",
  NULL,
};

gboolean
_cohort_store_schedule_migrate (CohortStore  *self,
                                GError      **error)
{
  return _cohort_store_migrate_module (self, "schedule", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

CohortScheduleLessonRecord *
cohort_schedule_lesson_record_new (void)
{
  CohortScheduleLessonRecord *record = g_new0 (CohortScheduleLessonRecord, 1);

  record->exceptions = g_array_new (FALSE, FALSE, sizeof (CohortScheduleDate));
  return record;
}

void
cohort_schedule_lesson_record_free (CohortScheduleLessonRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->title);
  g_free (record->zone);
  g_clear_pointer (&record->exceptions, g_array_unref);
  g_free (record);
}

void
cohort_schedule_occurrence_record_free (CohortScheduleOccurrenceRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->title);
  g_free (record->zone);
  g_free (record);
}

void
cohort_schedule_lesson_record_rule (const CohortScheduleLessonRecord *record,
                                    CohortScheduleRule               *out_rule)
{
  g_return_if_fail (record != NULL);
  g_return_if_fail (out_rule != NULL);

  *out_rule = (CohortScheduleRule) {
    .first = record->first,
    .hour = record->hour,
    .minute = record->minute,
    .duration_min = record->duration_min,
    .weekly = record->weekly,
    .count = record->count,
    .until = record->until,
    .cancelled = record->cancelled,
    .exceptions = record->exceptions != NULL ? (const CohortScheduleDate *) record->exceptions->data : NULL,
    .n_exceptions = record->exceptions != NULL ? record->exceptions->len : 0,
  };
}

/* Columns 0..12 of schedule_lessons, in table order. */
static gpointer
lesson_from_row (sqlite3_stmt *stmt)
{
  CohortScheduleLessonRecord *record = cohort_schedule_lesson_record_new ();

  record->id = sqlite3_column_int64 (stmt, 0);
  record->class_id = sqlite3_column_int64 (stmt, 1);
  record->title = _cohort_store_column_text (stmt, 2);
  record->first = sqlite3_column_int (stmt, 3);
  record->hour = sqlite3_column_int (stmt, 4);
  record->minute = sqlite3_column_int (stmt, 5);
  record->zone = _cohort_store_column_text (stmt, 6);
  record->duration_min = sqlite3_column_int (stmt, 7);
  record->weekly = sqlite3_column_int (stmt, 8) != 0;
  record->count = sqlite3_column_int (stmt, 9);
  record->until = sqlite3_column_int (stmt, 10);
  record->cancelled = sqlite3_column_int (stmt, 11) != 0;
  record->updated_at = sqlite3_column_int64 (stmt, 12);
  return record;
}

static gboolean
load_exceptions (CohortStore                *self,
                 CohortScheduleLessonRecord *record,
                 GError                    **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT date FROM schedule_exceptions "
                                      "WHERE lesson_id = ? ORDER BY date", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->id);
  while (_cohort_store_step_row (self, stmt, error))
    {
      CohortScheduleDate date = sqlite3_column_int (stmt, 0);

      g_array_append_val (record->exceptions, date);
    }
  sqlite3_reset (stmt);
  return error == NULL || *error == NULL;
}

GPtrArray *
cohort_store_schedule_list (CohortStore  *self,
                            gint64        class_id,
                            GError      **error)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, class_id, title, first_date, hour, minute, zone, "
                                      "duration, weekly, count, until_date, cancelled, updated_at "
                                      "FROM schedule_lessons WHERE class_id = ? ORDER BY id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  records = _cohort_store_read_rows (self, stmt, lesson_from_row,
                                     (GDestroyNotify) cohort_schedule_lesson_record_free, error);
  if (records == NULL)
    return NULL;
  for (guint i = 0; i < records->len; i++)
    if (!load_exceptions (self, g_ptr_array_index (records, i), error))
      return NULL;
  return g_steal_pointer (&records);
}

CohortScheduleLessonRecord *
cohort_store_schedule_get (CohortStore  *self,
                           gint64        class_id,
                           gint64        lesson_id,
                           GError      **error)
{
  g_autoptr(CohortScheduleLessonRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, class_id, title, first_date, hour, minute, zone, "
                                      "duration, weekly, count, until_date, cancelled, updated_at "
                                      "FROM schedule_lessons WHERE class_id = ? AND id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, lesson_id);
  if (_cohort_store_step_row (self, stmt, &local_error))
    record = lesson_from_row (stmt);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (record == NULL || !load_exceptions (self, record, error))
    return NULL;
  return g_steal_pointer (&record);
}

gint64
cohort_store_schedule_count (CohortStore  *self,
                             gint64        class_id,
                             GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 count;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT count(*) FROM schedule_lessons WHERE class_id = ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_store_step_row (self, stmt, error))
    return -1;
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

gint64
cohort_store_schedule_insert (CohortStore                      *self,
                              const CohortScheduleLessonRecord *record,
                              GError                          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL && record->title != NULL && record->zone != NULL, 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO schedule_lessons (class_id, title, first_date, hour, "
                                      "minute, zone, duration, weekly, count, until_date, updated_at) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, record->class_id);
  sqlite3_bind_text (stmt, 2, record->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, record->first);
  sqlite3_bind_int (stmt, 4, record->hour);
  sqlite3_bind_int (stmt, 5, record->minute);
  sqlite3_bind_text (stmt, 6, record->zone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, record->duration_min);
  sqlite3_bind_int (stmt, 8, record->weekly);
  sqlite3_bind_int (stmt, 9, record->count);
  sqlite3_bind_int (stmt, 10, record->until);
  sqlite3_bind_int64 (stmt, 11, record->updated_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

gboolean
cohort_store_schedule_update (CohortStore                      *self,
                              const CohortScheduleLessonRecord *record,
                              GError                          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL && record->title != NULL && record->zone != NULL, FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE schedule_lessons SET title = ?, first_date = ?, hour = ?, "
                                      "minute = ?, zone = ?, duration = ?, weekly = ?, count = ?, "
                                      "until_date = ?, updated_at = ? WHERE class_id = ? AND id = ?", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, record->first);
  sqlite3_bind_int (stmt, 3, record->hour);
  sqlite3_bind_int (stmt, 4, record->minute);
  sqlite3_bind_text (stmt, 5, record->zone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, record->duration_min);
  sqlite3_bind_int (stmt, 7, record->weekly);
  sqlite3_bind_int (stmt, 8, record->count);
  sqlite3_bind_int (stmt, 9, record->until);
  sqlite3_bind_int64 (stmt, 10, record->updated_at);
  sqlite3_bind_int64 (stmt, 11, record->class_id);
  sqlite3_bind_int64 (stmt, 12, record->id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_schedule_cancel (CohortStore  *self,
                              gint64        class_id,
                              gint64        lesson_id,
                              gint64        updated_at,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE schedule_lessons SET cancelled = 1, updated_at = ? "
                                      "WHERE class_id = ? AND id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, updated_at);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, lesson_id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_schedule_add_exception (CohortStore        *self,
                                     gint64              class_id,
                                     gint64              lesson_id,
                                     CohortScheduleDate  date,
                                     gint64              updated_at,
                                     GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR IGNORE INTO schedule_exceptions (lesson_id, date) "
                                      "SELECT id, ? FROM schedule_lessons WHERE class_id = ? AND id = ?", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, date);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, lesson_id);
  if (!_cohort_store_step_done (self, stmt, error))
    return FALSE;

  if (!(stmt = _cohort_store_prepare (self, "UPDATE schedule_lessons SET updated_at = ? "
                                      "WHERE class_id = ? AND id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, updated_at);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, lesson_id);
  return _cohort_store_step_done (self, stmt, error);
}

static int
by_start (gconstpointer a,
          gconstpointer b)
{
  const CohortScheduleOccurrenceRecord *ra = *(CohortScheduleOccurrenceRecord * const *) a;
  const CohortScheduleOccurrenceRecord *rb = *(CohortScheduleOccurrenceRecord * const *) b;

  if (ra->start_ms != rb->start_ms)
    return ra->start_ms < rb->start_ms ? -1 : 1;
  return ra->lesson_id < rb->lesson_id ? -1 : ra->lesson_id > rb->lesson_id;
}

GPtrArray *
cohort_store_schedule_upcoming (CohortStore  *self,
                                gint64        class_id,
                                gint64        from_ms,
                                gint64        to_ms,
                                guint         max,
                                GError      **error)
{
  g_autoptr(GPtrArray) lessons = NULL;
  g_autoptr(GArray) occurrences = g_array_new (FALSE, FALSE, sizeof (CohortScheduleInstance));
  GPtrArray *out;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(lessons = cohort_store_schedule_list (self, class_id, error)))
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_schedule_occurrence_record_free);
  for (guint i = 0; i < lessons->len; i++)
    {
      CohortScheduleLessonRecord *lesson = g_ptr_array_index (lessons, i);
      g_autoptr(GTimeZone) zone = cohort_schedule_zone_new (lesson->zone);
      CohortScheduleRule rule;

      /* A zone the tz database dropped after it was stored: the lesson
       * cannot be placed, so it is not shown rather than shown wrong. */
      if (zone == NULL)
        {
          g_warning ("Scheduled lesson %" G_GINT64_FORMAT " has an unknown zone “%s”", lesson->id, lesson->zone);
          continue;
        }
      cohort_schedule_lesson_record_rule (lesson, &rule);
      g_array_set_size (occurrences, 0);
      /* Each series gives at most @max; the merge below keeps the first @max. */
      cohort_schedule_rule_expand (&rule, zone, from_ms, to_ms, max, occurrences);
      for (guint j = 0; j < occurrences->len; j++)
        {
          CohortScheduleInstance *o = &g_array_index (occurrences, CohortScheduleInstance, j);
          CohortScheduleOccurrenceRecord *record = g_new0 (CohortScheduleOccurrenceRecord, 1);

          record->lesson_id = lesson->id;
          record->title = g_strdup (lesson->title);
          record->date = o->date;
          record->start_ms = o->start_ms;
          record->duration_min = lesson->duration_min;
          record->zone = g_strdup (lesson->zone);
          record->hour = lesson->hour;
          record->minute = lesson->minute;
          g_ptr_array_add (out, record);
        }
    }

  g_ptr_array_sort (out, by_start);
  if (out->len > max)
    g_ptr_array_set_size (out, max);
  return out;
}

CohortScheduleOccurrenceRecord *
cohort_store_schedule_next (CohortStore  *self,
                            gint64        class_id,
                            gint64        now_utc,
                            GError      **error)
{
  g_autoptr(GPtrArray) upcoming = NULL;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(upcoming = cohort_store_schedule_upcoming (self, class_id, now_utc, G_MAXINT64, 1, error)) ||
      upcoming->len == 0)
    return NULL;
  return g_ptr_array_steal_index (upcoming, 0);
}

gboolean
cohort_store_schedule_set_calendar_key (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        const char   *key_hash,
                                        gint64        created_at,
                                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (key_hash != NULL, FALSE);

  if (!cohort_store_schedule_revoke_calendar_key (self, class_id, participant_id, error) ||
      !(stmt = _cohort_store_prepare (self, "INSERT INTO schedule_calendar_keys (hash, class_id, "
                                      "participant_id, created_at) VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, participant_id);
  sqlite3_bind_int64 (stmt, 4, created_at);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_schedule_revoke_calendar_key (CohortStore  *self,
                                           gint64        class_id,
                                           gint64        participant_id,
                                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "DELETE FROM schedule_calendar_keys "
                                      "WHERE class_id = ? AND participant_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_store_step_done (self, stmt, error);
}

gint64
cohort_store_schedule_calendar_member (CohortStore  *self,
                                       gint64        class_id,
                                       const char   *key_hash,
                                       GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 participant_id = 0;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  g_return_val_if_fail (key_hash != NULL, -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT participant_id FROM schedule_calendar_keys "
                                      "WHERE hash = ? AND class_id = ?", error)))
    return -1;
  sqlite3_bind_text (stmt, 1, key_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, class_id);
  if (_cohort_store_step_row (self, stmt, &local_error))
    participant_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return participant_id;
}
