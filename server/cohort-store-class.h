/* cohort-store-class.h: classes, participants, tokens, the event log and saved replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *code;
  char   *title;
  char   *teacher_key_hash;
  gint64  created_at;
} CohortClassRecord;

typedef struct
{
  gint64    id;
  gint64    class_id;
  char     *name;
  char     *role;            /* "teacher" or "student" */
  gboolean  online;
  gint64    hand_raised_at;  /* 0: hand down */
} CohortParticipantRecord;

typedef struct
{
  gint64  class_id;
  gint64  seq;
  gint64  ts;
  char   *name;
  char   *body;              /* JSON object */
  char   *audience;          /* JSON array of participant ids; NULL: everyone */
} CohortEventRecord;

void cohort_class_record_free       (CohortClassRecord       *record);
void cohort_participant_record_free (CohortParticipantRecord *record);
void cohort_event_record_free       (CohortEventRecord       *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortClassRecord, cohort_class_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortParticipantRecord, cohort_participant_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortEventRecord, cohort_event_record_free)

gint64                   cohort_store_create_class              (CohortStore  *self,
                                                                 const char   *code,
                                                                 const char   *title,
                                                                 const char   *teacher_key_hash,
                                                                 gint64        created_at,
                                                                 GError      **error);
CohortClassRecord       *cohort_store_find_class_by_code        (CohortStore  *self,
                                                                 const char   *code,
                                                                 GError      **error);
CohortClassRecord       *cohort_store_get_class                 (CohortStore  *self,
                                                                 gint64        class_id,
                                                                 GError      **error);
gint64                   cohort_store_add_participant           (CohortStore  *self,
                                                                 gint64        class_id,
                                                                 const char   *name,
                                                                 const char   *role,
                                                                 gboolean      online,
                                                                 gint64        created_at,
                                                                 GError      **error);
CohortParticipantRecord *cohort_store_get_participant           (CohortStore  *self,
                                                                 gint64        participant_id,
                                                                 GError      **error);
CohortParticipantRecord *cohort_store_find_teacher              (CohortStore  *self,
                                                                 gint64        class_id,
                                                                 GError      **error);
/* Ordered by id. */
GPtrArray               *cohort_store_list_participants         (CohortStore  *self,
                                                                 gint64        class_id,
                                                                 GError      **error);
/* Every participant marked online, in every class, by class then id. */
GPtrArray               *cohort_store_list_online               (CohortStore  *self,
                                                                 GError      **error);
gboolean                 cohort_store_set_online                (CohortStore  *self,
                                                                 gint64        participant_id,
                                                                 gboolean      online,
                                                                 GError      **error);
/* @raised_at 0 lowers the hand. */
gboolean                 cohort_store_set_hand                  (CohortStore  *self,
                                                                 gint64        participant_id,
                                                                 gint64        raised_at,
                                                                 GError      **error);
gboolean                 cohort_store_add_token                 (CohortStore  *self,
                                                                 gint64        participant_id,
                                                                 const char   *token_hash,
                                                                 gint64        created_at,
                                                                 GError      **error);
CohortParticipantRecord *cohort_store_find_participant_by_token (CohortStore  *self,
                                                                 const char   *token_hash,
                                                                 GError      **error);
/* @audience: NULL for everyone in the class, or a JSON array of the
 * participant ids who may see the event (nobody else is sent it). */
gint64                   cohort_store_append_event              (CohortStore  *self,
                                                                 gint64        class_id,
                                                                 gint64        ts,
                                                                 const char   *name,
                                                                 const char   *body,
                                                                 const char   *audience,
                                                                 GError      **error);
/* The class's current (highest) seq, 0 when it has no event; -1 on error. */
gint64                   cohort_store_get_last_seq              (CohortStore  *self,
                                                                 gint64        class_id,
                                                                 GError      **error);
/* Events with seq > @after_seq in order, at most @limit. */
GPtrArray               *cohort_store_list_events_after         (CohortStore  *self,
                                                                 gint64        class_id,
                                                                 gint64        after_seq,
                                                                 guint         limit,
                                                                 GError      **error);
/* The stored reply JSON for (@participant_id, @request_id), or NULL. */
char                    *cohort_store_lookup_reply              (CohortStore  *self,
                                                                 gint64        participant_id,
                                                                 const char   *request_id,
                                                                 GError      **error);
gboolean                 cohort_store_save_reply                (CohortStore  *self,
                                                                 gint64        participant_id,
                                                                 const char   *request_id,
                                                                 const char   *reply,
                                                                 gint64        created_at,
                                                                 GError      **error);
/* Forgets the replies saved before @before (ms, real time). */
gboolean                 cohort_store_prune_replies             (CohortStore  *self,
                                                                 gint64        before,
                                                                 guint        *out_removed,
                                                                 GError      **error);

G_END_DECLS
