/* cohort-store-media.c: the media part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* Numbered migrations of the media module: append only. */
static const char * const migrations[] = {
  /* 1: who is invited to or on each class's stage, and the feeds Janus
   * carries (so that a restarted server can announce that they are gone). */
  "CREATE TABLE media_stage ("
  "  class_id INTEGER NOT NULL REFERENCES classes (id),"
  "  participant_id INTEGER NOT NULL REFERENCES participants (id),"
  "  state TEXT NOT NULL CHECK (state IN ('invited', 'on_stage')),"
  "  PRIMARY KEY (class_id, participant_id));"
  "CREATE TABLE media_feeds ("
  "  feed_id INTEGER PRIMARY KEY,"
  "  class_id INTEGER NOT NULL REFERENCES classes (id),"
  "  participant_id INTEGER NOT NULL REFERENCES participants (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('camera', 'screen')),"
  "  audio INTEGER NOT NULL, video INTEGER NOT NULL,"
  "  audio_muted INTEGER NOT NULL, video_muted INTEGER NOT NULL);"
  "CREATE INDEX media_feeds_class ON media_feeds (class_id);",
  NULL,
};

gboolean
_cohort_store_media_migrate (CohortStore  *self,
                             GError      **error)
{
  return _cohort_store_migrate_module (self, "media", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

void
cohort_media_stage_record_free (CohortMediaStageRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->state);
  g_free (record);
}

void
cohort_media_feed_record_free (CohortMediaFeedRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->kind);
  g_free (record);
}

gboolean
cohort_store_media_set_stage (CohortStore  *self,
                              gint64        class_id,
                              gint64        participant_id,
                              const char   *state,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (state == NULL)
    {
      if (!(stmt = _cohort_store_prepare (self, "DELETE FROM media_stage "
                                          "WHERE class_id = ? AND participant_id = ?",
                                          error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, class_id);
      sqlite3_bind_int64 (stmt, 2, participant_id);
      return _cohort_store_step_done (self, stmt, error);
    }

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO media_stage "
                                      "(class_id, participant_id, state) VALUES (?, ?, ?)",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_text (stmt, 3, state, -1, SQLITE_TRANSIENT);
  return _cohort_store_step_done (self, stmt, error);
}

static gpointer
stage_from_row (sqlite3_stmt *stmt)
{
  CohortMediaStageRecord *record = g_new0 (CohortMediaStageRecord, 1);

  record->participant_id = sqlite3_column_int64 (stmt, 0);
  record->state = _cohort_store_column_text (stmt, 1);
  return record;
}

GPtrArray *
cohort_store_media_list_stage (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT participant_id, state FROM media_stage "
                                      "WHERE class_id = ? ORDER BY participant_id",
                                      error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, stage_from_row,
                                  (GDestroyNotify) cohort_media_stage_record_free, error);
}

gboolean
cohort_store_media_put_feed (CohortStore                  *self,
                             const CohortMediaFeedRecord  *record,
                             GError                      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO media_feeds "
                                      "(feed_id, class_id, participant_id, kind, audio, video, "
                                      "audio_muted, video_muted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->feed_id);
  sqlite3_bind_int64 (stmt, 2, record->class_id);
  sqlite3_bind_int64 (stmt, 3, record->participant_id);
  sqlite3_bind_text (stmt, 4, record->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, !!record->audio);
  sqlite3_bind_int (stmt, 6, !!record->video);
  sqlite3_bind_int (stmt, 7, !!record->audio_muted);
  sqlite3_bind_int (stmt, 8, !!record->video_muted);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_media_remove_feed (CohortStore  *self,
                                gint64        feed_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "DELETE FROM media_feeds WHERE feed_id = ?",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, feed_id);
  return _cohort_store_step_done (self, stmt, error);
}

static gpointer
feed_from_row (sqlite3_stmt *stmt)
{
  CohortMediaFeedRecord *record = g_new0 (CohortMediaFeedRecord, 1);

  record->feed_id = sqlite3_column_int64 (stmt, 0);
  record->class_id = sqlite3_column_int64 (stmt, 1);
  record->participant_id = sqlite3_column_int64 (stmt, 2);
  record->kind = _cohort_store_column_text (stmt, 3);
  record->audio = sqlite3_column_int (stmt, 4) != 0;
  record->video = sqlite3_column_int (stmt, 5) != 0;
  record->audio_muted = sqlite3_column_int (stmt, 6) != 0;
  record->video_muted = sqlite3_column_int (stmt, 7) != 0;
  return record;
}

GPtrArray *
cohort_store_media_list_feeds (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT feed_id, class_id, participant_id, kind, "
                                      "audio, video, audio_muted, video_muted FROM media_feeds "
                                      "WHERE ? = 0 OR class_id = ? ORDER BY feed_id",
                                      error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  return _cohort_store_read_rows (self, stmt, feed_from_row,
                                  (GDestroyNotify) cohort_media_feed_record_free, error);
}
