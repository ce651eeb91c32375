/* cohort-store-ai.h: the helper's policy, exchanges, quotas and topics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  char   *mode;                /* "off", "hints" or "full" */
  char   *topic;
  char   *notes;
  gint64  daily_quota;         /* questions per student per day; 0: no limit */
  gboolean nudges;             /* the helper may speak first to students who opt in */
  char   *answer_key;          /* "do not reveal": the prompt only, never a student */
} CohortAiPolicyRecord;

typedef struct
{
  gint64  id;
  char   *question;
  char   *answer;
  char   *finish;              /* "stop", "length" or "stopped" */
  gint64  asked_at;
  gint64  answered_at;
  gint64  conversation_id;
} CohortAiExchangeRecord;

/* One of a participant's conversations with the helper in a class. */
typedef struct
{
  gint64  id;
  gint64  class_id;
  gint64  participant_id;
  char   *title;               /* the first question's first 60 characters */
  gint64  created_at;
  gint64  updated_at;
  gint64  n_exchanges;
} CohortAiConversationRecord;

typedef struct
{
  char   *word;
  gint64  count;
} CohortAiTopicRecord;

void cohort_ai_policy_record_free   (CohortAiPolicyRecord   *record);
void cohort_ai_exchange_record_free (CohortAiExchangeRecord *record);
void cohort_ai_topic_record_free    (CohortAiTopicRecord    *record);
void cohort_ai_conversation_record_free (CohortAiConversationRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiPolicyRecord, cohort_ai_policy_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiExchangeRecord, cohort_ai_exchange_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiConversationRecord, cohort_ai_conversation_record_free)

/* NULL without error when the class has no stored policy. */
CohortAiPolicyRecord *cohort_store_ai_get_policy          (CohortStore  *self,
                                                           gint64        class_id,
                                                           GError      **error);
gboolean              cohort_store_ai_set_policy          (CohortStore                 *self,
                                                           gint64                       class_id,
                                                           const CohortAiPolicyRecord  *policy,
                                                           GError                     **error);
/* One question and its answer; returns the exchange id, 0 on error. */
gint64                cohort_store_ai_add_exchange        (CohortStore                   *self,
                                                           gint64                         class_id,
                                                           gint64                         participant_id,
                                                           const CohortAiExchangeRecord  *exchange,
                                                           GError                       **error);
/* Questions the participant sent upstream in the class at or after
 * @since, but those the upstream cut short; -1 on error. */
gint64                cohort_store_ai_count_questions     (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           gint64        since,
                                                           GError      **error);
/* Every question sent upstream in the class (@class_id 0: in every
 * class) at or after @since; -1 on error. */
gint64                cohort_store_ai_count_all_questions (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        since,
                                                           GError      **error);
/* How often the question @request_id was sent upstream (0: never; -1
 * on error): a resend after a reconnect is not a new question. */
gint64                cohort_store_ai_question_starts     (CohortStore  *self,
                                                           gint64        participant_id,
                                                           const char   *request_id,
                                                           GError      **error);
/* Counts the question (once per @request_id) as it goes upstream. */
gboolean              cohort_store_ai_start_question      (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           const char   *request_id,
                                                           gint64        asked_at,
                                                           GError      **error);
/* The upstream failed: @whole gives the question back to everyone's
 * quota; else only to the student's (an answer cut short). */
gboolean              cohort_store_ai_return_question     (CohortStore  *self,
                                                           gint64        participant_id,
                                                           const char   *request_id,
                                                           gboolean      whole,
                                                           GError      **error);
/* Newest first, ids below @before_id (0: from the newest), at most @limit. */
GPtrArray            *cohort_store_ai_list_exchanges      (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           gint64        before_id,
                                                           guint         limit,
                                                           GError      **error);
/* The same, within one conversation. */
GPtrArray            *cohort_store_ai_list_conversation_exchanges (CohortStore  *self,
                                                                   gint64        conversation_id,
                                                                   gint64        before_id,
                                                                   guint         limit,
                                                                   GError      **error);
/* NULL without error when there is no such exchange. */
CohortAiExchangeRecord *cohort_store_ai_get_exchange      (CohortStore  *self,
                                                           gint64        exchange_id,
                                                           GError      **error);
/* Deletes the exchanges of @conversation_id from @from_id on (a
 * regenerated answer or an edited question replaces them). */
gboolean              cohort_store_ai_delete_exchanges_from (CohortStore  *self,
                                                             gint64        conversation_id,
                                                             gint64        from_id,
                                                             GError      **error);
/* Returns the new conversation's id, 0 on error. */
gint64                cohort_store_ai_create_conversation (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           const char   *title,
                                                           gint64        ts,
                                                           GError      **error);
/* NULL without error when there is no such conversation. */
CohortAiConversationRecord *cohort_store_ai_get_conversation (CohortStore  *self,
                                                              gint64        conversation_id,
                                                              GError      **error);
/* The participant's conversations in the class, last used first. */
GPtrArray            *cohort_store_ai_list_conversations  (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           guint         limit,
                                                           GError      **error);
gboolean              cohort_store_ai_touch_conversation  (CohortStore  *self,
                                                           gint64        conversation_id,
                                                           gint64        ts,
                                                           GError      **error);
/* The conversation and all its exchanges. */
gboolean              cohort_store_ai_delete_conversation (CohortStore  *self,
                                                           gint64        conversation_id,
                                                           GError      **error);
/* Anonymous: counts words per class, never who asked. */
gboolean              cohort_store_ai_add_topic_words     (CohortStore         *self,
                                                           gint64               class_id,
                                                           const char * const  *words,
                                                           gint64               ts,
                                                           GError             **error);
/* Most asked first, at most @limit. */
GPtrArray            *cohort_store_ai_list_topics         (CohortStore  *self,
                                                           gint64        class_id,
                                                           guint         limit,
                                                           GError      **error);

/* Nudges: the student's opt-in and zone (FALSE/NULL when never set). */
gboolean              cohort_store_ai_get_nudge_prefs     (CohortStore  *self,
                                                           gint64        participant_id,
                                                           gboolean     *out_enabled,
                                                           char        **out_tz,
                                                           GError      **error);
/* @tz NULL or "": keeps the stored zone. */
gboolean              cohort_store_ai_set_nudge_prefs     (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           gboolean      enabled,
                                                           const char   *tz,
                                                           GError      **error);
/* When the newest nudge was sent (0: never), and how many were sent
 * since the student last opened one. */
gboolean              cohort_store_ai_nudge_state         (CohortStore  *self,
                                                           gint64        participant_id,
                                                           gint64       *out_last_sent,
                                                           guint        *out_unopened_in_row,
                                                           GError      **error);
/* Returns the nudge's id, 0 on error. */
gint64                cohort_store_ai_add_nudge           (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           const char   *kind,
                                                           const char   *text,
                                                           gint64        sent_at,
                                                           GError      **error);
/* Marks the participant's own nudge opened: 1, or 0 when it is not
 * theirs or was opened already; -1 on error. */
gint64                cohort_store_ai_open_nudge          (CohortStore  *self,
                                                           gint64        participant_id,
                                                           gint64        nudge_id,
                                                           gint64        ts,
                                                           GError      **error);
/* Nudges sent in the class since @since, how many were opened, and
 * after how many the student came back. */
gboolean              cohort_store_ai_count_nudges        (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        since,
                                                           gint64       *out_sent,
                                                           gint64       *out_opened,
                                                           gint64       *out_came_back,
                                                           GError      **error);
/* The student came back at @ts: marks their nudges in the class sent
 * in the @within_ms before it (and not marked yet). */
gboolean              cohort_store_ai_nudges_came_back    (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           gint64        ts,
                                                           gint64        within_ms,
                                                           GError      **error);
typedef struct
{
  gint64  id;
  char   *kind;
  char   *text;
  gint64  sent_at;
  gint64  opened_at;           /* 0: not opened */
} CohortAiNudgeRecord;
void cohort_ai_nudge_record_free (CohortAiNudgeRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiNudgeRecord, cohort_ai_nudge_record_free)
/* The student's newest nudge in the class sent at or after @since; NULL
 * without error when there is none. */
CohortAiNudgeRecord  *cohort_store_ai_latest_nudge        (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           gint64        since,
                                                           GError      **error);

G_END_DECLS
