/* cohort-store-home.c: the home module of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-home.h"
#include "cohort-store-private.h"

/* The messages a viewer may read (?1) are the class channel's and those
 * whose audience lists them: the same rule as the chat module's
 * VISIBLE_TO_VIEWER, so the home never counts what the chat would hide. */
#define IN_AUDIENCE \
  "EXISTS (SELECT 1 FROM chat_audience a WHERE a.participant_id = ?1 AND a.message_id = m.id)"

gboolean
cohort_store_home_unread (CohortStore             *self,
                          gint64                   class_id,
                          gint64                   participant_id,
                          gint64                   teacher_id,
                          gint64                   since_chat,
                          gint64                   since_group,
                          CohortHomeUnreadRecord  *out_unread,
                          GError                 **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_unread != NULL, FALSE);

  *out_unread = (CohortHomeUnreadRecord) { 0 };

  /* The class channel and private messages: counted when the teacher
   * wrote them after the client's position; the newest one any author
   * wrote is the position once everything is seen. */
  if (!(stmt = _cohort_store_prepare (self,
          "SELECT COALESCE (SUM (m.id > ?3 AND m.author_id = ?4 AND m.deleted = 0), 0),"
          "       COALESCE (MAX (m.id), 0)"
          " FROM chat_messages m"
          " WHERE m.class_id = ?2 AND m.channel IN ('class', 'private')"
          "   AND (m.channel = 'class' OR " IN_AUDIENCE ")", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, since_chat);
  sqlite3_bind_int64 (stmt, 4, teacher_id);
  if (!_cohort_store_step_row (self, stmt, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
    }
  else
    {
      out_unread->from_teacher = sqlite3_column_int64 (stmt, 0);
      out_unread->last_chat_id = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  /* The group channel reaches the members of the author's group at the
   * time: its audience. A student who changed groups sees the new one's. */
  if (!(stmt = _cohort_store_prepare (self,
          "SELECT COALESCE (SUM (m.id > ?3 AND m.author_id != ?1 AND m.deleted = 0), 0),"
          "       COALESCE (MAX (m.id), 0)"
          " FROM chat_messages m"
          " WHERE m.class_id = ?2 AND m.channel = 'group' AND " IN_AUDIENCE, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, since_group);
  if (!_cohort_store_step_row (self, stmt, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
    }
  else
    {
      out_unread->from_group = sqlite3_column_int64 (stmt, 0);
      out_unread->last_group_id = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  return TRUE;
}
