/* cohort-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store.h"

G_DEFINE_QUARK (cohort-store-error-quark, cohort_store_error)

G_DEFINE_INTERFACE (CohortStore, cohort_store, G_TYPE_OBJECT)

static void
cohort_store_default_init (CohortStoreInterface *iface)
{
}

void
cohort_class_record_free (CohortClassRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->code);
  g_free (record->title);
  g_free (record->teacher_key_hash);
  g_free (record);
}

void
cohort_participant_record_free (CohortParticipantRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record->role);
  g_free (record);
}

void
cohort_event_record_free (CohortEventRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record->body);
  g_free (record->audience);
  g_free (record);
}

#define IFACE(self) (COHORT_STORE_GET_IFACE (self))

gboolean
cohort_store_begin (CohortStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->begin (self, error);
}

gboolean
cohort_store_begin_group (CohortStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->begin_group (self, error);
}

gboolean
cohort_store_commit_group (CohortStore  *self,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->commit_group (self, error);
}

gboolean
cohort_store_commit (CohortStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->commit (self, error);
}

void
cohort_store_rollback (CohortStore *self)
{
  g_return_if_fail (COHORT_IS_STORE (self));
  IFACE (self)->rollback (self);
}

gboolean
cohort_store_close (CohortStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->close (self, error);
}

gint64
cohort_store_create_class (CohortStore  *self,
                           const char   *code,
                           const char   *title,
                           const char   *teacher_key_hash,
                           gint64        created_at,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->create_class (self, code, title, teacher_key_hash, created_at, error);
}

CohortClassRecord *
cohort_store_find_class_by_code (CohortStore  *self,
                                 const char   *code,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->find_class_by_code (self, code, error);
}

CohortClassRecord *
cohort_store_get_class (CohortStore  *self,
                        gint64        class_id,
                        GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->get_class (self, class_id, error);
}

gint64
cohort_store_add_participant (CohortStore  *self,
                              gint64        class_id,
                              const char   *name,
                              const char   *role,
                              gboolean      online,
                              gint64        created_at,
                              GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->add_participant (self, class_id, name, role, online, created_at, error);
}

CohortParticipantRecord *
cohort_store_get_participant (CohortStore  *self,
                              gint64        participant_id,
                              GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->get_participant (self, participant_id, error);
}

CohortParticipantRecord *
cohort_store_find_teacher (CohortStore  *self,
                           gint64        class_id,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->find_teacher (self, class_id, error);
}

GPtrArray *
cohort_store_list_participants (CohortStore  *self,
                                gint64        class_id,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->list_participants (self, class_id, error);
}

GPtrArray *
cohort_store_list_online (CohortStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->list_online (self, error);
}

gboolean
cohort_store_set_online (CohortStore  *self,
                         gint64        participant_id,
                         gboolean      online,
                         GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->set_online (self, participant_id, online, error);
}

gboolean
cohort_store_set_hand (CohortStore  *self,
                       gint64        participant_id,
                       gint64        raised_at,
                       GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->set_hand (self, participant_id, raised_at, error);
}

gboolean
cohort_store_add_token (CohortStore  *self,
                        gint64        participant_id,
                        const char   *token_hash,
                        gint64        created_at,
                        GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->add_token (self, participant_id, token_hash, created_at, error);
}

CohortParticipantRecord *
cohort_store_find_participant_by_token (CohortStore  *self,
                                        const char   *token_hash,
                                        GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->find_participant_by_token (self, token_hash, error);
}

gint64
cohort_store_append_event (CohortStore  *self,
                           gint64        class_id,
                           gint64        ts,
                           const char   *name,
                           const char   *body,
                           const char   *audience,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->append_event (self, class_id, ts, name, body, audience, error);
}

gint64
cohort_store_get_last_seq (CohortStore  *self,
                           gint64        class_id,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->get_last_seq (self, class_id, error);
}

GPtrArray *
cohort_store_list_events_after (CohortStore  *self,
                                gint64        class_id,
                                gint64        after_seq,
                                guint         limit,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->list_events_after (self, class_id, after_seq, limit, error);
}

char *
cohort_store_lookup_reply (CohortStore  *self,
                           gint64        participant_id,
                           const char   *request_id,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->lookup_reply (self, participant_id, request_id, error);
}

gboolean
cohort_store_save_reply (CohortStore  *self,
                         gint64        participant_id,
                         const char   *request_id,
                         const char   *reply,
                         gint64        created_at,
                         GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->save_reply (self, participant_id, request_id, reply, created_at, error);
}

gboolean
cohort_store_prune_replies (CohortStore  *self,
                            gint64        before,
                            guint        *out_removed,
                            GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->prune_replies (self, before, out_removed, error);
}

/* media */

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
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->media_set_stage (self, class_id, participant_id, state, error);
}

GPtrArray *
cohort_store_media_list_stage (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->media_list_stage (self, class_id, error);
}

gboolean
cohort_store_media_put_feed (CohortStore                 *self,
                             const CohortMediaFeedRecord *record,
                             GError                     **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->media_put_feed (self, record, error);
}

gboolean
cohort_store_media_remove_feed (CohortStore  *self,
                                gint64        feed_id,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->media_remove_feed (self, feed_id, error);
}

GPtrArray *
cohort_store_media_list_feeds (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->media_list_feeds (self, class_id, error);
}

/* ai */

void
cohort_ai_policy_record_free (CohortAiPolicyRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->mode);
  g_free (record->topic);
  g_free (record->notes);
  g_free (record);
}

void
cohort_ai_exchange_record_free (CohortAiExchangeRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->question);
  g_free (record->answer);
  g_free (record->finish);
  g_free (record);
}

void
cohort_ai_topic_record_free (CohortAiTopicRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->word);
  g_free (record);
}

CohortAiPolicyRecord *
cohort_store_ai_get_policy (CohortStore  *self,
                            gint64        class_id,
                            GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->ai_get_policy (self, class_id, error);
}

gboolean
cohort_store_ai_set_policy (CohortStore                *self,
                            gint64                      class_id,
                            const CohortAiPolicyRecord *policy,
                            GError                    **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->ai_set_policy (self, class_id, policy, error);
}

gint64
cohort_store_ai_add_exchange (CohortStore                  *self,
                              gint64                        class_id,
                              gint64                        participant_id,
                              const CohortAiExchangeRecord *exchange,
                              GError                      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->ai_add_exchange (self, class_id, participant_id, exchange, error);
}

gint64
cohort_store_ai_count_questions (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        participant_id,
                                 gint64        since,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->ai_count_questions (self, class_id, participant_id, since, error);
}

gint64
cohort_store_ai_count_all_questions (CohortStore  *self,
                                     gint64        class_id,
                                     gint64        since,
                                     GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->ai_count_all_questions (self, class_id, since, error);
}

gint64
cohort_store_ai_question_starts (CohortStore  *self,
                                 gint64        participant_id,
                                 const char   *request_id,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->ai_question_starts (self, participant_id, request_id, error);
}

gboolean
cohort_store_ai_start_question (CohortStore  *self,
                                gint64        class_id,
                                gint64        participant_id,
                                const char   *request_id,
                                gint64        asked_at,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->ai_start_question (self, class_id, participant_id, request_id, asked_at,
                                          error);
}

gboolean
cohort_store_ai_return_question (CohortStore  *self,
                                 gint64        participant_id,
                                 const char   *request_id,
                                 gboolean      whole,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->ai_return_question (self, participant_id, request_id, whole, error);
}

GPtrArray *
cohort_store_ai_list_exchanges (CohortStore  *self,
                                gint64        class_id,
                                gint64        participant_id,
                                gint64        before_id,
                                guint         limit,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->ai_list_exchanges (self, class_id, participant_id, before_id, limit, error);
}

gboolean
cohort_store_ai_add_topic_words (CohortStore         *self,
                                 gint64               class_id,
                                 const char * const  *words,
                                 gint64               ts,
                                 GError             **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->ai_add_topic_words (self, class_id, words, ts, error);
}

GPtrArray *
cohort_store_ai_list_topics (CohortStore  *self,
                             gint64        class_id,
                             guint         limit,
                             GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->ai_list_topics (self, class_id, limit, error);
}

/* chat */

void
cohort_chat_message_record_free (CohortChatMessageRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->author_name);
  g_free (record->channel);
  g_free (record->text);
  g_free (record->client_id);
  g_free (record->question);
  g_free (record);
}

void
cohort_chat_pace_record_free (CohortChatPaceRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->pace);
  g_free (record);
}

gint64
cohort_store_chat_add_message (CohortStore              *self,
                               CohortChatMessageRecord  *record,
                               const gint64             *audience,
                               guint                     n_audience,
                               GError                  **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->chat_add_message (self, record, audience, n_audience, error);
}

CohortChatMessageRecord *
cohort_store_chat_get_message (CohortStore  *self,
                               gint64        class_id,
                               gint64        message_id,
                               gint64        viewer_id,
                               GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->chat_get_message (self, class_id, message_id, viewer_id, error);
}

GPtrArray *
cohort_store_chat_list_messages (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        viewer_id,
                                 gint64        before_id,
                                 guint         limit,
                                 gsize         max_bytes,
                                 gboolean     *out_has_more,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->chat_list_messages (self, class_id, viewer_id, before_id, limit,
                                           max_bytes, out_has_more, error);
}

GArray *
cohort_store_chat_get_audience (CohortStore  *self,
                                gint64        message_id,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->chat_get_audience (self, message_id, error);
}

gboolean
cohort_store_chat_edit_message (CohortStore  *self,
                                gint64        message_id,
                                const char   *text,
                                gint64        edited_at,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->chat_edit_message (self, message_id, text, edited_at, error);
}

gboolean
cohort_store_chat_delete_message (CohortStore  *self,
                                  gint64        message_id,
                                  gint64        by,
                                  GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->chat_delete_message (self, message_id, by, error);
}

gboolean
cohort_store_chat_set_question (CohortStore  *self,
                                gint64        message_id,
                                const char   *state,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->chat_set_question (self, message_id, state, error);
}

gint64
cohort_store_chat_set_vote (CohortStore  *self,
                            gint64        message_id,
                            gint64        participant_id,
                            gboolean      vote,
                            GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->chat_set_vote (self, message_id, participant_id, vote, error);
}

gboolean
cohort_store_chat_get_settings (CohortStore               *self,
                                gint64                     class_id,
                                CohortChatSettingsRecord  *out_settings,
                                GError                   **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->chat_get_settings (self, class_id, out_settings, error);
}

gboolean
cohort_store_chat_set_settings (CohortStore                     *self,
                                gint64                           class_id,
                                const CohortChatSettingsRecord  *settings,
                                GError                         **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->chat_set_settings (self, class_id, settings, error);
}

gboolean
cohort_store_chat_set_muted (CohortStore  *self,
                             gint64        class_id,
                             gint64        participant_id,
                             gboolean      muted,
                             GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->chat_set_muted (self, class_id, participant_id, muted, error);
}

GArray *
cohort_store_chat_list_muted (CohortStore  *self,
                              gint64        class_id,
                              GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->chat_list_muted (self, class_id, error);
}

gboolean
cohort_store_chat_set_pace (CohortStore  *self,
                            gint64        class_id,
                            gint64        participant_id,
                            const char   *pace,
                            gint64        at,
                            GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->chat_set_pace (self, class_id, participant_id, pace, at, error);
}

GPtrArray *
cohort_store_chat_list_pace (CohortStore  *self,
                             gint64        class_id,
                             gint64        since,
                             GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->chat_list_pace (self, class_id, since, error);
}

int
cohort_store_chat_mark_helpful (CohortStore  *self,
                                gint64        message_id,
                                gint64        by,
                                gint64        ts,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->chat_mark_helpful (self, message_id, by, ts, error);
}

/* quiz */

void
cohort_quiz_question_record_free (CohortQuizQuestionRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->data);
  g_free (record);
}

void
cohort_quiz_run_record_free (CohortQuizRunRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->question);
  g_free (record->sequence);
  g_free (record);
}

void
cohort_quiz_answer_record_free (CohortQuizAnswerRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->answer);
  g_free (record);
}

GPtrArray *
cohort_store_quiz_list_questions (CohortStore  *self,
                                  gint64        class_id,
                                  GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_list_questions (self, class_id, error);
}

CohortQuizQuestionRecord *
cohort_store_quiz_get_question (CohortStore  *self,
                                gint64        question_id,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_get_question (self, question_id, error);
}

gint64
cohort_store_quiz_add_question (CohortStore  *self,
                                gint64        class_id,
                                const char   *data,
                                gint64        created_at,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->quiz_add_question (self, class_id, data, created_at, error);
}

gboolean
cohort_store_quiz_update_question (CohortStore  *self,
                                   gint64        question_id,
                                   const char   *data,
                                   GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->quiz_update_question (self, question_id, data, error);
}

gboolean
cohort_store_quiz_delete_question (CohortStore  *self,
                                   gint64        question_id,
                                   GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->quiz_delete_question (self, question_id, error);
}

gboolean
cohort_store_quiz_set_order (CohortStore  *self,
                             gint64        class_id,
                             const gint64 *ids,
                             guint         n_ids,
                             GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->quiz_set_order (self, class_id, ids, n_ids, error);
}

gboolean
cohort_store_quiz_add_run (CohortStore         *self,
                           CohortQuizRunRecord *run,
                           GError             **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->quiz_add_run (self, run, error);
}

gboolean
cohort_store_quiz_update_run (CohortStore         *self,
                              CohortQuizRunRecord *run,
                              GError             **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->quiz_update_run (self, run, error);
}

CohortQuizRunRecord *
cohort_store_quiz_get_last_run (CohortStore  *self,
                                gint64        class_id,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_get_last_run (self, class_id, error);
}

GPtrArray *
cohort_store_quiz_list_open_runs (CohortStore  *self,
                                  GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_list_open_runs (self, error);
}

GPtrArray *
cohort_store_quiz_list_revealed_runs (CohortStore  *self,
                                      gint64        class_id,
                                      guint         limit,
                                      GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_list_revealed_runs (self, class_id, limit, error);
}

gboolean
cohort_store_quiz_save_answer (CohortStore            *self,
                               CohortQuizAnswerRecord *answer,
                               GError                **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->quiz_save_answer (self, answer, error);
}

GPtrArray *
cohort_store_quiz_list_answers (CohortStore  *self,
                                gint64        run_id,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_list_answers (self, run_id, error);
}

CohortQuizAnswerRecord *
cohort_store_quiz_get_answer (CohortStore  *self,
                              gint64        run_id,
                              gint64        participant_id,
                              GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_get_answer (self, run_id, participant_id, error);
}

GPtrArray *
cohort_store_quiz_list_scores (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->quiz_list_scores (self, class_id, error);
}

/* groups */

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
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->groups_create (self, class_id, name, size, topic, goal_points, created_at, error);
}

GPtrArray *
cohort_store_groups_list (CohortStore  *self,
                          gint64        class_id,
                          GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_list (self, class_id, error);
}

gboolean
cohort_store_groups_set_member (CohortStore  *self,
                                gint64        class_id,
                                gint64        participant_id,
                                gint64        group_id,
                                GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->groups_set_member (self, class_id, participant_id, group_id, error);
}

GPtrArray *
cohort_store_groups_list_members (CohortStore  *self,
                                  gint64        class_id,
                                  GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_list_members (self, class_id, error);
}

char *
cohort_store_groups_get_state (CohortStore  *self,
                               gint64        class_id,
                               const char   *key,
                               GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_get_state (self, class_id, key, error);
}

gboolean
cohort_store_groups_set_state (CohortStore  *self,
                               gint64        class_id,
                               const char   *key,
                               const char   *json,
                               GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->groups_set_state (self, class_id, key, json, error);
}

gint64
cohort_store_groups_next_id (CohortStore  *self,
                             gint64        class_id,
                             const char   *counter,
                             GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->groups_next_id (self, class_id, counter, error);
}

gboolean
cohort_store_groups_add_checkin (CohortStore          *self,
                                 CohortCheckinRecord  *record,
                                 GError              **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->groups_add_checkin (self, record, error);
}

CohortCheckinRecord *
cohort_store_groups_get_checkin (CohortStore  *self,
                                 gint64        checkin_id,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_get_checkin (self, checkin_id, error);
}

CohortCheckinRecord *
cohort_store_groups_last_checkin (CohortStore  *self,
                                  gint64        participant_id,
                                  GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_last_checkin (self, participant_id, error);
}

GPtrArray *
cohort_store_groups_list_checkins (CohortStore  *self,
                                   gint64        class_id,
                                   gint64        since,
                                   GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_list_checkins (self, class_id, since, error);
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
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->groups_add_reaction (self, checkin_id, participant_id, reaction, at, out_added, error);
}

GPtrArray *
cohort_store_groups_list_reactions (CohortStore  *self,
                                    gint64        class_id,
                                    gint64        since,
                                    GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_list_reactions (self, class_id, since, error);
}

gboolean
cohort_store_groups_save_total (CohortStore              *self,
                                gint64                    class_id,
                                CohortGroupsTotalRecord  *record,
                                GError                  **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->groups_save_total (self, class_id, record, error);
}

GPtrArray *
cohort_store_groups_list_totals (CohortStore  *self,
                                 gint64        class_id,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_list_totals (self, class_id, error);
}

gboolean
cohort_store_groups_add_badge (CohortStore        *self,
                               gint64              class_id,
                               CohortBadgeRecord  *record,
                               gboolean           *out_added,
                               GError            **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->groups_add_badge (self, class_id, record, out_added, error);
}

GPtrArray *
cohort_store_groups_list_badges (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        participant_id,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->groups_list_badges (self, class_id, participant_id, error);
}
