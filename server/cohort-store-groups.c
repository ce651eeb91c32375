/* cohort-store-groups.c: the groups part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* Numbered migrations of the groups module: append only. The event log is
 * the source of truth for points, streaks and badges; these tables hold the
 * current state so that requests and joins need not fold the log. */
static const char * const migrations[] = {
  "CREATE TABLE groups_groups ("
  "  id          INTEGER PRIMARY KEY,"
  "  class_id    INTEGER NOT NULL REFERENCES classes (id),"
  "  name        TEXT NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  topic       TEXT NOT NULL DEFAULT '',"
  "  goal_points INTEGER NOT NULL DEFAULT 0,"
  "  created_at  INTEGER NOT NULL"
  ");"
  "CREATE INDEX groups_groups_class ON groups_groups (class_id);"
  /* One group per student per class: the primary key. */
  "CREATE TABLE groups_members ("
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL REFERENCES participants (id),"
  "  group_id       INTEGER NOT NULL REFERENCES groups_groups (id),"
  "  PRIMARY KEY (class_id, participant_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE groups_state ("
  "  class_id INTEGER NOT NULL,"
  "  key      TEXT NOT NULL,"
  "  value    TEXT NOT NULL,"
  "  PRIMARY KEY (class_id, key)"
  ") WITHOUT ROWID;"
  "CREATE TABLE groups_counters ("
  "  class_id INTEGER NOT NULL,"
  "  name     TEXT NOT NULL,"
  "  value    INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, name)"
  ") WITHOUT ROWID;"
  /* Once per local day: (participant, day) is unique. */
  "CREATE TABLE groups_checkins ("
  "  id             INTEGER PRIMARY KEY,"
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL REFERENCES participants (id),"
  "  group_id       INTEGER NOT NULL DEFAULT 0,"
  "  day            TEXT NOT NULL,"
  "  tz             TEXT NOT NULL,"
  "  note           TEXT NOT NULL,"
  "  minutes        INTEGER NOT NULL DEFAULT 0,"
  "  at             INTEGER NOT NULL,"
  "  UNIQUE (participant_id, day)"
  ");"
  "CREATE INDEX groups_checkins_class ON groups_checkins (class_id, at);"
  "CREATE TABLE groups_reactions ("
  "  checkin_id     INTEGER NOT NULL REFERENCES groups_checkins (id),"
  "  participant_id INTEGER NOT NULL,"
  "  reaction       TEXT NOT NULL,"
  "  at             INTEGER NOT NULL,"
  "  PRIMARY KEY (checkin_id, participant_id, reaction)"
  ") WITHOUT ROWID;"
  "CREATE TABLE groups_totals ("
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL,"
  "  points_all     INTEGER NOT NULL,"
  "  streak         INTEGER NOT NULL,"
  "  best_streak    INTEGER NOT NULL,"
  "  progress       TEXT NOT NULL,"
  "  PRIMARY KEY (class_id, participant_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE groups_badges ("
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL,"
  "  badge          TEXT NOT NULL,"
  "  detail         TEXT NOT NULL,"
  "  earned_at      INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, participant_id, badge, detail)"
  ") WITHOUT ROWID;",
  NULL,
};

gboolean
_cohort_store_groups_migrate (CohortStore  *self,
                              GError      **error)
{
  return _cohort_store_migrate_module (self, "groups", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

void
cohort_group_record_free (CohortGroupRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record->topic);
  g_free (record);
}

void
cohort_checkin_record_free (CohortCheckinRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->day);
  g_free (record->tz);
  g_free (record->note);
  g_free (record);
}

void
cohort_checkin_reaction_record_free (CohortCheckinReactionRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->reaction);
  g_free (record);
}

void
cohort_groups_total_record_free (CohortGroupsTotalRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->progress);
  g_free (record);
}

void
cohort_badge_record_free (CohortBadgeRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->badge);
  g_free (record->detail);
  g_free (record);
}

gint64
cohort_store_groups_create (CohortStore  *self,
                            gint64        class_id,
                            const char   *name,
                            gint64        size,
                            const char   *topic,
                            gint64        goal_points,
                            gint64        created_at,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self,
          "INSERT INTO groups_groups (class_id, name, size, topic, goal_points, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, size);
  sqlite3_bind_text (stmt, 4, topic ? topic : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, goal_points);
  sqlite3_bind_int64 (stmt, 6, created_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

static gpointer
group_from_row (sqlite3_stmt *stmt)
{
  CohortGroupRecord *r = g_new0 (CohortGroupRecord, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->class_id = sqlite3_column_int64 (stmt, 1);
  r->name = _cohort_store_column_text (stmt, 2);
  r->size = sqlite3_column_int64 (stmt, 3);
  r->topic = _cohort_store_column_text (stmt, 4);
  r->goal_points = sqlite3_column_int64 (stmt, 5);
  r->n_members = sqlite3_column_int64 (stmt, 6);
  return r;
}

GPtrArray *
cohort_store_groups_list (CohortStore  *self,
                          gint64        class_id,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT g.id, g.class_id, g.name, g.size, g.topic, g.goal_points, "
          "  (SELECT COUNT(*) FROM groups_members m WHERE m.group_id = g.id) "
          "FROM groups_groups g WHERE g.class_id = ? ORDER BY g.id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, group_from_row,
                                  (GDestroyNotify) cohort_group_record_free, error);
}

gboolean
cohort_store_groups_set_member (CohortStore  *self,
                                gint64        class_id,
                                gint64        participant_id,
                                gint64        group_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (group_id == 0)
    stmt = _cohort_store_prepare (self,
      "DELETE FROM groups_members WHERE class_id = ?1 AND participant_id = ?2", error);
  else
    stmt = _cohort_store_prepare (self,
      "INSERT INTO groups_members (class_id, participant_id, group_id) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (class_id, participant_id) DO UPDATE SET group_id = excluded.group_id",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  if (group_id != 0)
    sqlite3_bind_int64 (stmt, 3, group_id);
  return _cohort_store_step_done (self, stmt, error);
}

static gpointer
member_from_row (sqlite3_stmt *stmt)
{
  CohortGroupMemberRecord *r = g_new0 (CohortGroupMemberRecord, 1);

  r->participant_id = sqlite3_column_int64 (stmt, 0);
  r->group_id = sqlite3_column_int64 (stmt, 1);
  return r;
}

GPtrArray *
cohort_store_groups_list_members (CohortStore  *self,
                                  gint64        class_id,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT participant_id, group_id FROM groups_members WHERE class_id = ? "
          "ORDER BY participant_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, member_from_row, g_free, error);
}

char *
cohort_store_groups_get_state (CohortStore  *self,
                               gint64        class_id,
                               const char   *key,
                               GError      **error)
{
  sqlite3_stmt *stmt;
  char *value;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT value FROM groups_state WHERE class_id = ? AND key = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;
  value = _cohort_store_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
cohort_store_groups_set_state (CohortStore  *self,
                               gint64        class_id,
                               const char   *key,
                               const char   *json,
                               GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self,
          "INSERT INTO groups_state (class_id, key, value) VALUES (?, ?, ?) "
          "ON CONFLICT (class_id, key) DO UPDATE SET value = excluded.value", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  return _cohort_store_step_done (self, stmt, error);
}

gint64
cohort_store_groups_next_id (CohortStore  *self,
                             gint64        class_id,
                             const char   *counter,
                             GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 value;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self,
          "INSERT INTO groups_counters (class_id, name, value) VALUES (?, ?, 1) "
          "ON CONFLICT (class_id, name) DO UPDATE SET value = value + 1 RETURNING value", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, counter, -1, SQLITE_TRANSIENT);
  if (!_cohort_store_step_row (self, stmt, error))
    {
      if (error != NULL && *error == NULL)
        _cohort_store_set_error (self, error, "next id");
      return 0;
    }
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
cohort_store_groups_add_checkin (CohortStore          *self,
                                 CohortCheckinRecord  *r,
                                 GError              **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self,
          "INSERT INTO groups_checkins (class_id, participant_id, group_id, day, tz, note, minutes, at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->class_id);
  sqlite3_bind_int64 (stmt, 2, r->participant_id);
  sqlite3_bind_int64 (stmt, 3, r->group_id);
  sqlite3_bind_text (stmt, 4, r->day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, r->tz, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, r->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, r->minutes);
  sqlite3_bind_int64 (stmt, 8, r->at);
  if (!_cohort_store_step_done (self, stmt, error))
    return FALSE;
  r->id = sqlite3_last_insert_rowid (_cohort_store_get_db (self));
  return TRUE;
}

#define CHECKIN_COLUMNS "id, class_id, participant_id, group_id, day, tz, note, minutes, at"

static gpointer
checkin_from_row (sqlite3_stmt *stmt)
{
  CohortCheckinRecord *r = g_new0 (CohortCheckinRecord, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->class_id = sqlite3_column_int64 (stmt, 1);
  r->participant_id = sqlite3_column_int64 (stmt, 2);
  r->group_id = sqlite3_column_int64 (stmt, 3);
  r->day = _cohort_store_column_text (stmt, 4);
  r->tz = _cohort_store_column_text (stmt, 5);
  r->note = _cohort_store_column_text (stmt, 6);
  r->minutes = sqlite3_column_int64 (stmt, 7);
  r->at = sqlite3_column_int64 (stmt, 8);
  return r;
}

CohortCheckinRecord *
cohort_store_groups_get_checkin (CohortStore  *self,
                                 gint64        checkin_id,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT " CHECKIN_COLUMNS " FROM groups_checkins WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, checkin_id);
  return _cohort_store_read_row (self, stmt, checkin_from_row, error);
}

CohortCheckinRecord *
cohort_store_groups_last_checkin (CohortStore  *self,
                                  gint64        participant_id,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT " CHECKIN_COLUMNS " FROM groups_checkins WHERE participant_id = ? "
          "ORDER BY at DESC LIMIT 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  return _cohort_store_read_row (self, stmt, checkin_from_row, error);
}

GPtrArray *
cohort_store_groups_list_checkins (CohortStore  *self,
                                   gint64        class_id,
                                   gint64        since,
                                   GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT " CHECKIN_COLUMNS " FROM groups_checkins WHERE class_id = ? AND at >= ? "
          "ORDER BY at, id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, since);
  return _cohort_store_read_rows (self, stmt, checkin_from_row,
                                  (GDestroyNotify) cohort_checkin_record_free, error);
}

gboolean
cohort_store_groups_add_reaction (CohortStore  *self,
                                  gint64        checkin_id,
                                  gint64        participant_id,
                                  const char   *reaction,
                                  gint64        at,
                                  gboolean     *out_added,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self,
          "INSERT OR IGNORE INTO groups_reactions (checkin_id, participant_id, reaction, at) "
          "VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, checkin_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_text (stmt, 3, reaction, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, at);
  if (!_cohort_store_step_done (self, stmt, error))
    return FALSE;
  *out_added = sqlite3_changes (_cohort_store_get_db (self)) > 0;
  return TRUE;
}

static gpointer
reaction_from_row (sqlite3_stmt *stmt)
{
  CohortCheckinReactionRecord *r = g_new0 (CohortCheckinReactionRecord, 1);

  r->checkin_id = sqlite3_column_int64 (stmt, 0);
  r->participant_id = sqlite3_column_int64 (stmt, 1);
  r->reaction = _cohort_store_column_text (stmt, 2);
  return r;
}

GPtrArray *
cohort_store_groups_list_reactions (CohortStore  *self,
                                    gint64        class_id,
                                    gint64        since,
                                    GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT r.checkin_id, r.participant_id, r.reaction FROM groups_reactions r "
          "JOIN groups_checkins c ON c.id = r.checkin_id "
          "WHERE c.class_id = ? AND c.at >= ? ORDER BY r.at", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, since);
  return _cohort_store_read_rows (self, stmt, reaction_from_row,
                                  (GDestroyNotify) cohort_checkin_reaction_record_free, error);
}

gboolean
cohort_store_groups_save_total (CohortStore              *self,
                                gint64                    class_id,
                                CohortGroupsTotalRecord  *r,
                                GError                  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self,
          "INSERT INTO groups_totals (class_id, participant_id, points_all, streak, best_streak, progress) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (class_id, participant_id) DO UPDATE SET "
          "points_all = excluded.points_all, streak = excluded.streak, "
          "best_streak = excluded.best_streak, progress = excluded.progress", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, r->participant_id);
  sqlite3_bind_int64 (stmt, 3, r->points_all);
  sqlite3_bind_int64 (stmt, 4, r->streak);
  sqlite3_bind_int64 (stmt, 5, r->best_streak);
  sqlite3_bind_text (stmt, 6, r->progress ? r->progress : "{}", -1, SQLITE_TRANSIENT);
  return _cohort_store_step_done (self, stmt, error);
}

static gpointer
total_from_row (sqlite3_stmt *stmt)
{
  CohortGroupsTotalRecord *r = g_new0 (CohortGroupsTotalRecord, 1);

  r->participant_id = sqlite3_column_int64 (stmt, 0);
  r->points_all = sqlite3_column_int64 (stmt, 1);
  r->streak = sqlite3_column_int64 (stmt, 2);
  r->best_streak = sqlite3_column_int64 (stmt, 3);
  r->progress = _cohort_store_column_text (stmt, 4);
  return r;
}

GPtrArray *
cohort_store_groups_list_totals (CohortStore  *self,
                                 gint64        class_id,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT participant_id, points_all, streak, best_streak, progress FROM groups_totals "
          "WHERE class_id = ? ORDER BY participant_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, total_from_row,
                                  (GDestroyNotify) cohort_groups_total_record_free, error);
}

gboolean
cohort_store_groups_add_badge (CohortStore        *self,
                               gint64              class_id,
                               CohortBadgeRecord  *r,
                               gboolean           *out_added,
                               GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self,
          "INSERT OR IGNORE INTO groups_badges (class_id, participant_id, badge, detail, earned_at) "
          "VALUES (?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, r->participant_id);
  sqlite3_bind_text (stmt, 3, r->badge, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, r->detail ? r->detail : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, r->earned_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return FALSE;
  *out_added = sqlite3_changes (_cohort_store_get_db (self)) > 0;
  return TRUE;
}

static gpointer
badge_from_row (sqlite3_stmt *stmt)
{
  CohortBadgeRecord *r = g_new0 (CohortBadgeRecord, 1);

  r->participant_id = sqlite3_column_int64 (stmt, 0);
  r->badge = _cohort_store_column_text (stmt, 1);
  r->detail = _cohort_store_column_text (stmt, 2);
  r->earned_at = sqlite3_column_int64 (stmt, 3);
  return r;
}

GPtrArray *
cohort_store_groups_list_badges (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        participant_id,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT participant_id, badge, detail, earned_at FROM groups_badges "
          "WHERE class_id = ?1 AND (?2 = 0 OR participant_id = ?2) ORDER BY earned_at, badge", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_store_read_rows (self, stmt, badge_from_row,
                                  (GDestroyNotify) cohort_badge_record_free, error);
}
