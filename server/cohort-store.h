/* cohort-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-store-identity.h"

G_BEGIN_DECLS

#define COHORT_STORE_ERROR (cohort_store_error_quark ())
GQuark cohort_store_error_quark (void);

typedef enum
{
  COHORT_STORE_ERROR_FAILED,
  /* A unique value (class code, token hash) is already taken. */
  COHORT_STORE_ERROR_EXISTS,
  /* The database is newer than this build understands. */
  COHORT_STORE_ERROR_VERSION,
} CohortStoreError;

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

/* media */
typedef struct
{
  gint64  participant_id;
  char   *state;             /* "invited" or "on_stage" */
} CohortMediaStageRecord;

typedef struct
{
  gint64    feed_id;
  gint64    class_id;
  gint64    participant_id;
  char     *kind;            /* "camera" or "screen" */
  gboolean  audio;
  gboolean  video;
  gboolean  audio_muted;
  gboolean  video_muted;
} CohortMediaFeedRecord;

void cohort_media_stage_record_free (CohortMediaStageRecord *record);
void cohort_media_feed_record_free  (CohortMediaFeedRecord  *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortMediaStageRecord, cohort_media_stage_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortMediaFeedRecord, cohort_media_feed_record_free)

/* ai */

typedef struct
{
  char   *mode;                /* "off", "hints" or "full" */
  char   *topic;
  char   *notes;
  gint64  daily_quota;         /* questions per student per day; 0: no limit */
} CohortAiPolicyRecord;

typedef struct
{
  gint64  id;
  char   *question;
  char   *answer;
  char   *finish;              /* "stop", "length" or "stopped" */
  gint64  asked_at;
  gint64  answered_at;
} CohortAiExchangeRecord;

typedef struct
{
  char   *word;
  gint64  count;
} CohortAiTopicRecord;

void cohort_ai_policy_record_free   (CohortAiPolicyRecord   *record);
void cohort_ai_exchange_record_free (CohortAiExchangeRecord *record);
void cohort_ai_topic_record_free    (CohortAiTopicRecord    *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiPolicyRecord, cohort_ai_policy_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiExchangeRecord, cohort_ai_exchange_record_free)

/* chat (docs/architecture-chat.md) */

typedef struct
{
  gint64    id;
  gint64    class_id;
  gint64    author_id;
  char     *author_name;     /* filled in by reads */
  char     *channel;         /* "class", "private" or "group" */
  gint64    to_id;           /* private: the other participant; else 0 */
  gint64    group_id;        /* group: the group; else 0 */
  char     *text;            /* "" once deleted */
  gint64    ts;
  char     *client_id;       /* may be NULL */
  gint64    reply_to;        /* 0: none */
  char     *question;        /* "none", "open", "answered" or "done" */
  gint64    votes;
  gboolean  voted;           /* reads for a viewer: the viewer voted */
  gboolean  danmaku;
  gint64    edited_at;       /* 0: never */
  gboolean  deleted;
  gboolean  helpful;         /* the teacher marked this answer helpful */
} CohortChatMessageRecord;

typedef struct
{
  gboolean private_enabled;
  gboolean muted;
  gboolean danmaku_enabled;
} CohortChatSettingsRecord;

typedef struct
{
  gint64  participant_id;
  char   *pace;
  gint64  at;
} CohortChatPaceRecord;

void cohort_chat_message_record_free (CohortChatMessageRecord *record);
void cohort_chat_pace_record_free    (CohortChatPaceRecord    *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortChatMessageRecord, cohort_chat_message_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortChatPaceRecord, cohort_chat_pace_record_free)

/* quiz (docs/architecture-quiz.md) */

typedef struct
{
  gint64  id;
  gint64  class_id;
  gint64  position;          /* 0-based order in the class's bank */
  char   *data;              /* the question, JSON (docs/quiz-format.md) */
} CohortQuizQuestionRecord;

typedef struct
{
  gint64    id;
  gint64    class_id;
  gint64    question_id;     /* the bank question it was launched from */
  char     *question;        /* JSON copy of the question at launch */
  char     *sequence;        /* JSON array of the question ids launched together */
  gint64    seq_index;       /* this run's place in @sequence */
  gint64    time_limit_ms;   /* 0: no limit */
  gint64    limit_override;  /* seconds the teacher asked for the sequence; -1: each question's own */
  gboolean  allow_change;
  gint64    launched_at;
  gint64    deadline;        /* 0: none */
  gint64    closed_at;       /* 0: open */
  gint64    revealed_at;     /* 0: not yet */
  gboolean  results_shown;
} CohortQuizRunRecord;

typedef struct
{
  gint64  run_id;
  gint64  participant_id;
  char   *answer;            /* JSON value */
  gint64  answered_at;
  gint64  elapsed_ms;
  gint    grade;             /* CohortQuizGrade */
  double  points;
} CohortQuizAnswerRecord;

typedef struct
{
  gint64  participant_id;
  double  points;
  gint64  n_correct;
  gint64  n_answered;
} CohortQuizScoreRecord;

void cohort_quiz_question_record_free (CohortQuizQuestionRecord *record);
void cohort_quiz_run_record_free      (CohortQuizRunRecord      *record);
void cohort_quiz_answer_record_free   (CohortQuizAnswerRecord   *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortQuizQuestionRecord, cohort_quiz_question_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortQuizRunRecord, cohort_quiz_run_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortQuizAnswerRecord, cohort_quiz_answer_record_free)

/* groups (docs/architecture-groups.md) */

typedef struct
{
  gint64  id;
  gint64  class_id;
  char   *name;
  gint64  size;
  char   *topic;               /* "" when none */
  gint64  goal_points;         /* weekly goal; 0: none */
  gint64  n_members;           /* filled in by reads */
} CohortGroupRecord;

typedef struct
{
  gint64  participant_id;
  gint64  group_id;
} CohortGroupMemberRecord;

typedef struct
{
  gint64  id;
  gint64  class_id;
  gint64  participant_id;
  gint64  group_id;            /* the author's group at the time; 0: none */
  char   *day;                 /* local date, "YYYY-MM-DD" */
  char   *tz;                  /* IANA id */
  char   *note;
  gint64  minutes;
  gint64  at;                  /* ms since the epoch */
} CohortCheckinRecord;

typedef struct
{
  gint64  checkin_id;
  gint64  participant_id;
  char   *reaction;
} CohortCheckinReactionRecord;

typedef struct
{
  gint64  participant_id;
  gint64  points_all;
  gint64  streak;
  gint64  best_streak;
  char   *progress;            /* the last groups.progress body sent, JSON */
} CohortGroupsTotalRecord;

typedef struct
{
  gint64  participant_id;
  char   *badge;
  char   *detail;
  gint64  earned_at;
} CohortBadgeRecord;

void cohort_group_record_free            (CohortGroupRecord           *record);
void cohort_checkin_record_free          (CohortCheckinRecord         *record);
void cohort_checkin_reaction_record_free (CohortCheckinReactionRecord *record);
void cohort_groups_total_record_free     (CohortGroupsTotalRecord     *record);
void cohort_badge_record_free            (CohortBadgeRecord           *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortGroupRecord, cohort_group_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortCheckinRecord, cohort_checkin_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortCheckinReactionRecord, cohort_checkin_reaction_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortGroupsTotalRecord, cohort_groups_total_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortBadgeRecord, cohort_badge_record_free)

#define COHORT_TYPE_STORE (cohort_store_get_type ())
G_DECLARE_INTERFACE (CohortStore, cohort_store, COHORT, STORE, GObject)

/* Every method that writes is meant to run between begin() and commit();
 * on any error the caller calls rollback() and nothing is applied.
 * begin_group() opens a transaction inside which begin() starts a savepoint
 * that commit() releases and rollback() undoes; only the group's own
 * commit() makes anything durable (the server's group commit). Outside a
 * group, begin() inside an open transaction is a programming error. Lookups
 * that find nothing return NULL (or 0) without setting @error. Hashes are
 * lower-case hex SHA-256 strings; the store never sees a secret. */
struct _CohortStoreInterface
{
  GTypeInterface parent_iface;

  gboolean   (*begin)                  (CohortStore  *self,
                                        GError      **error);
  gboolean   (*begin_group)            (CohortStore  *self,
                                        GError      **error);
  gboolean   (*commit_group)           (CohortStore  *self,
                                        GError      **error);
  gboolean   (*commit)                 (CohortStore  *self,
                                        GError      **error);
  void       (*rollback)               (CohortStore  *self);
  gboolean   (*close)                  (CohortStore  *self,
                                        GError      **error);

  gint64     (*create_class)           (CohortStore  *self,
                                        const char   *code,
                                        const char   *title,
                                        const char   *teacher_key_hash,
                                        gint64        created_at,
                                        GError      **error);
  CohortClassRecord *
             (*find_class_by_code)     (CohortStore  *self,
                                        const char   *code,
                                        GError      **error);
  CohortClassRecord *
             (*get_class)              (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);

  gint64     (*add_participant)        (CohortStore  *self,
                                        gint64        class_id,
                                        const char   *name,
                                        const char   *role,
                                        gboolean      online,
                                        gint64        created_at,
                                        GError      **error);
  CohortParticipantRecord *
             (*get_participant)        (CohortStore  *self,
                                        gint64        participant_id,
                                        GError      **error);
  CohortParticipantRecord *
             (*find_teacher)           (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* Ordered by id. */
  GPtrArray *(*list_participants)      (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* Every participant marked online, in every class, by class then id. */
  GPtrArray *(*list_online)            (CohortStore  *self,
                                        GError      **error);
  gboolean   (*set_online)             (CohortStore  *self,
                                        gint64        participant_id,
                                        gboolean      online,
                                        GError      **error);
  /* @raised_at 0 lowers the hand. */
  gboolean   (*set_hand)               (CohortStore  *self,
                                        gint64        participant_id,
                                        gint64        raised_at,
                                        GError      **error);

  gboolean   (*add_token)              (CohortStore  *self,
                                        gint64        participant_id,
                                        const char   *token_hash,
                                        gint64        created_at,
                                        GError      **error);
  CohortParticipantRecord *
             (*find_participant_by_token) (CohortStore *self,
                                        const char   *token_hash,
                                        GError      **error);

  /* Takes the class's next seq; returns it, or 0 with @error set. */
  /* @audience: NULL for everyone in the class, or a JSON array of the
   * participant ids who may see the event (nobody else is sent it). */
  gint64     (*append_event)           (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        ts,
                                        const char   *name,
                                        const char   *body,
                                        const char   *audience,
                                        GError      **error);
  /* The class's current (highest) seq, 0 when it has no event; -1 on error. */
  gint64     (*get_last_seq)           (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* Events with seq > @after_seq in order, at most @limit. */
  GPtrArray *(*list_events_after)      (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        after_seq,
                                        guint         limit,
                                        GError      **error);

  /* The stored reply JSON for (@participant_id, @request_id), or NULL. */
  char      *(*lookup_reply)           (CohortStore  *self,
                                        gint64        participant_id,
                                        const char   *request_id,
                                        GError      **error);
  gboolean   (*save_reply)             (CohortStore  *self,
                                        gint64        participant_id,
                                        const char   *request_id,
                                        const char   *reply,
                                        gint64        created_at,
                                        GError      **error);
  /* Forgets the replies saved before @before (ms, real time). */
  gboolean   (*prune_replies)          (CohortStore  *self,
                                        gint64        before,
                                        guint        *out_removed,
                                        GError      **error);
  /* media (docs/architecture-media.md) */
  /* @state NULL takes the participant off the stage list. */
  gboolean   (*media_set_stage)        (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        const char   *state,
                                        GError      **error);
  /* CohortMediaStageRecord, ordered by participant id. */
  GPtrArray *(*media_list_stage)       (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* Inserts or replaces the feed with @record's feed_id. */
  gboolean   (*media_put_feed)         (CohortStore  *self,
                                        const CohortMediaFeedRecord *record,
                                        GError      **error);
  gboolean   (*media_remove_feed)      (CohortStore  *self,
                                        gint64        feed_id,
                                        GError      **error);
  /* CohortMediaFeedRecord of @class_id (0: every class), by feed id. */
  GPtrArray *(*media_list_feeds)       (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);

  /* identity: staff accounts, class access, admission (cohort-store-identity.h) */
  COHORT_STORE_IDENTITY_VFUNCS

  /* ai */
  /* NULL without error when the class has no stored policy. */
  CohortAiPolicyRecord *
             (*ai_get_policy)          (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  gboolean   (*ai_set_policy)          (CohortStore  *self,
                                        gint64        class_id,
                                        const CohortAiPolicyRecord *policy,
                                        GError      **error);
  /* One question and its answer; returns the exchange id, 0 on error. */
  gint64     (*ai_add_exchange)        (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        const CohortAiExchangeRecord *exchange,
                                        GError      **error);
  /* Questions the participant asked in the class at or after @since; -1 on error. */
  gint64     (*ai_count_questions)     (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        gint64        since,
                                        GError      **error);
  /* Newest first, ids below @before_id (0: from the newest), at most @limit. */
  GPtrArray *(*ai_list_exchanges)      (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        gint64        before_id,
                                        guint         limit,
                                        GError      **error);
  /* Anonymous: counts words per class, never who asked. */
  gboolean   (*ai_add_topic_words)     (CohortStore  *self,
                                        gint64        class_id,
                                        const char * const *words,
                                        gint64        ts,
                                        GError      **error);
  /* Most asked first, at most @limit. */
  GPtrArray *(*ai_list_topics)         (CohortStore  *self,
                                        gint64        class_id,
                                        guint         limit,
                                        GError      **error);

  /* chat (docs/architecture-chat.md) */
  /* Fills in @record->id. @audience: NULL for the whole class, else the
   * participants who may read it (kept with the message). */
  gint64     (*chat_add_message)       (CohortStore  *self,
                                        CohortChatMessageRecord *record,
                                        const gint64 *audience,
                                        guint         n_audience,
                                        GError      **error);
  /* NULL without error when there is no such message in @class_id or
   * @viewer_id (0: anyone) may not read it. */
  CohortChatMessageRecord *
             (*chat_get_message)       (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        message_id,
                                        gint64        viewer_id,
                                        GError      **error);
  /* The newest @limit messages @viewer_id may read with id < @before_id
   * (0: no bound), oldest first; stops early past @max_bytes of text.
   * *@out_has_more tells whether older ones exist. */
  GPtrArray *(*chat_list_messages)     (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        viewer_id,
                                        gint64        before_id,
                                        guint         limit,
                                        gsize         max_bytes,
                                        gboolean     *out_has_more,
                                        GError      **error);
  /* NULL array: the message is for the whole class. */
  GArray    *(*chat_get_audience)      (CohortStore  *self,
                                        gint64        message_id,
                                        GError      **error);
  gboolean   (*chat_edit_message)      (CohortStore  *self,
                                        gint64        message_id,
                                        const char   *text,
                                        gint64        edited_at,
                                        GError      **error);
  gboolean   (*chat_delete_message)    (CohortStore  *self,
                                        gint64        message_id,
                                        gint64        by,
                                        GError      **error);
  gboolean   (*chat_set_question)      (CohortStore  *self,
                                        gint64        message_id,
                                        const char   *state,
                                        GError      **error);
  /* Returns the new vote count, or -1 with @error set. */
  gint64     (*chat_set_vote)          (CohortStore  *self,
                                        gint64        message_id,
                                        gint64        participant_id,
                                        gboolean      vote,
                                        GError      **error);
  gboolean   (*chat_get_settings)      (CohortStore  *self,
                                        gint64        class_id,
                                        CohortChatSettingsRecord *out_settings,
                                        GError      **error);
  gboolean   (*chat_set_settings)      (CohortStore  *self,
                                        gint64        class_id,
                                        const CohortChatSettingsRecord *settings,
                                        GError      **error);
  gboolean   (*chat_set_muted)         (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        gboolean      muted,
                                        GError      **error);
  /* Participant ids (gint64), ordered. */
  GArray    *(*chat_list_muted)        (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  gboolean   (*chat_set_pace)          (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        const char   *pace,
                                        gint64        at,
                                        GError      **error);
  /* CohortChatPaceRecord with at >= @since, by participant. */
  GPtrArray *(*chat_list_pace)         (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        since,
                                        GError      **error);
  /* Marks @message_id helpful once: 1 when newly marked, 0 when it already
   * was, -1 with @error set. */
  int        (*chat_mark_helpful)      (CohortStore  *self,
                                        gint64        message_id,
                                        gint64        by,
                                        gint64        ts,
                                        GError      **error);

  /* quiz */
  /* The class's bank, by position. */
  GPtrArray *(*quiz_list_questions)    (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  CohortQuizQuestionRecord *
             (*quiz_get_question)      (CohortStore  *self,
                                        gint64        question_id,
                                        GError      **error);
  /* Appends at the end of the bank; returns the new id or 0. */
  gint64     (*quiz_add_question)      (CohortStore  *self,
                                        gint64        class_id,
                                        const char   *data,
                                        gint64        created_at,
                                        GError      **error);
  gboolean   (*quiz_update_question)   (CohortStore  *self,
                                        gint64        question_id,
                                        const char   *data,
                                        GError      **error);
  /* Deletes and closes the gap in the positions. */
  gboolean   (*quiz_delete_question)   (CohortStore  *self,
                                        gint64        question_id,
                                        GError      **error);
  /* @ids, every question of the class, in their new order. */
  gboolean   (*quiz_set_order)         (CohortStore  *self,
                                        gint64        class_id,
                                        const gint64 *ids,
                                        guint         n_ids,
                                        GError      **error);
  /* Sets @run->id. */
  gboolean   (*quiz_add_run)           (CohortStore         *self,
                                        CohortQuizRunRecord *run,
                                        GError             **error);
  /* Writes closed_at, revealed_at and results_shown. */
  gboolean   (*quiz_update_run)        (CohortStore         *self,
                                        CohortQuizRunRecord *run,
                                        GError             **error);
  /* The class's most recent run, or NULL. */
  CohortQuizRunRecord *
             (*quiz_get_last_run)      (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* Runs not closed yet, in every class. */
  GPtrArray *(*quiz_list_open_runs)    (CohortStore  *self,
                                        GError      **error);
  /* Revealed runs of a class, newest first, at most @limit. */
  GPtrArray *(*quiz_list_revealed_runs) (CohortStore *self,
                                        gint64        class_id,
                                        guint         limit,
                                        GError      **error);
  /* Inserts or replaces the participant's answer to the run. */
  gboolean   (*quiz_save_answer)       (CohortStore            *self,
                                        CohortQuizAnswerRecord *answer,
                                        GError                **error);
  GPtrArray *(*quiz_list_answers)      (CohortStore  *self,
                                        gint64        run_id,
                                        GError      **error);
  CohortQuizAnswerRecord *
             (*quiz_get_answer)        (CohortStore  *self,
                                        gint64        run_id,
                                        gint64        participant_id,
                                        GError      **error);
  /* Totals over the class's revealed runs, by participant id
   * (CohortQuizScoreRecord, g_free). */
  GPtrArray *(*quiz_list_scores)       (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* groups */
  gint64     (*groups_create)          (CohortStore  *self,
                                        gint64        class_id,
                                        const char   *name,
                                        gint64        size,
                                        const char   *topic,
                                        gint64        goal_points,
                                        gint64        created_at,
                                        GError      **error);
  /* CohortGroupRecord by id, with n_members. */
  GPtrArray *(*groups_list)            (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* @group_id 0 takes the participant out of their group. */
  gboolean   (*groups_set_member)      (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        gint64        group_id,
                                        GError      **error);
  /* CohortGroupMemberRecord (g_free) of every grouped participant. */
  GPtrArray *(*groups_list_members)    (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  /* Small per-class JSON documents by @key ("settings", "standings",
   * "pk_score"); NULL when unset. */
  char      *(*groups_get_state)       (CohortStore  *self,
                                        gint64        class_id,
                                        const char   *key,
                                        GError      **error);
  gboolean   (*groups_set_state)       (CohortStore  *self,
                                        gint64        class_id,
                                        const char   *key,
                                        const char   *json,
                                        GError      **error);
  /* Takes the next value of the class's named counter (star, pk): 1, 2, … */
  gint64     (*groups_next_id)         (CohortStore  *self,
                                        gint64        class_id,
                                        const char   *counter,
                                        GError      **error);
  /* Fills @record->id. */
  gboolean   (*groups_add_checkin)     (CohortStore         *self,
                                        CohortCheckinRecord *record,
                                        GError             **error);
  CohortCheckinRecord *
             (*groups_get_checkin)     (CohortStore  *self,
                                        gint64        checkin_id,
                                        GError      **error);
  CohortCheckinRecord *
             (*groups_last_checkin)    (CohortStore  *self,
                                        gint64        participant_id,
                                        GError      **error);
  /* Check-ins of the class at or after @since, oldest first. */
  GPtrArray *(*groups_list_checkins)   (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        since,
                                        GError      **error);
  /* *@out_added is FALSE when the same reaction was there already. */
  gboolean   (*groups_add_reaction)    (CohortStore  *self,
                                        gint64        checkin_id,
                                        gint64        participant_id,
                                        const char   *reaction,
                                        gint64        at,
                                        gboolean     *out_added,
                                        GError      **error);
  /* Reactions to the class's check-ins at or after @since. */
  GPtrArray *(*groups_list_reactions)  (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        since,
                                        GError      **error);
  gboolean   (*groups_save_total)      (CohortStore  *self,
                                        gint64        class_id,
                                        CohortGroupsTotalRecord *record,
                                        GError      **error);
  GPtrArray *(*groups_list_totals)     (CohortStore  *self,
                                        gint64        class_id,
                                        GError      **error);
  gboolean   (*groups_add_badge)       (CohortStore  *self,
                                        gint64        class_id,
                                        CohortBadgeRecord *record,
                                        gboolean     *out_added,
                                        GError      **error);
  /* @participant_id 0: everyone's. */
  GPtrArray *(*groups_list_badges)     (CohortStore  *self,
                                        gint64        class_id,
                                        gint64        participant_id,
                                        GError      **error);
};

gboolean                 cohort_store_begin                  (CohortStore  *self,
                                                              GError      **error);
gboolean                 cohort_store_begin_group            (CohortStore  *self,
                                                              GError      **error);
/* Commits the group; fails (and rolls everything back) unless every
 * savepoint inside it was released or rolled back. */
gboolean                 cohort_store_commit_group           (CohortStore  *self,
                                                              GError      **error);
gboolean                 cohort_store_commit                 (CohortStore  *self,
                                                              GError      **error);
void                     cohort_store_rollback               (CohortStore  *self);
gboolean                 cohort_store_close                  (CohortStore  *self,
                                                              GError      **error);
gint64                   cohort_store_create_class           (CohortStore  *self,
                                                              const char   *code,
                                                              const char   *title,
                                                              const char   *teacher_key_hash,
                                                              gint64        created_at,
                                                              GError      **error);
CohortClassRecord       *cohort_store_find_class_by_code     (CohortStore  *self,
                                                              const char   *code,
                                                              GError      **error);
CohortClassRecord       *cohort_store_get_class              (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
gint64                   cohort_store_add_participant        (CohortStore  *self,
                                                              gint64        class_id,
                                                              const char   *name,
                                                              const char   *role,
                                                              gboolean      online,
                                                              gint64        created_at,
                                                              GError      **error);
CohortParticipantRecord *cohort_store_get_participant        (CohortStore  *self,
                                                              gint64        participant_id,
                                                              GError      **error);
CohortParticipantRecord *cohort_store_find_teacher           (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
GPtrArray               *cohort_store_list_participants      (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
GPtrArray               *cohort_store_list_online            (CohortStore  *self,
                                                              GError      **error);
gboolean                 cohort_store_set_online             (CohortStore  *self,
                                                              gint64        participant_id,
                                                              gboolean      online,
                                                              GError      **error);
gboolean                 cohort_store_set_hand               (CohortStore  *self,
                                                              gint64        participant_id,
                                                              gint64        raised_at,
                                                              GError      **error);
gboolean                 cohort_store_add_token              (CohortStore  *self,
                                                              gint64        participant_id,
                                                              const char   *token_hash,
                                                              gint64        created_at,
                                                              GError      **error);
CohortParticipantRecord *cohort_store_find_participant_by_token (CohortStore *self,
                                                              const char   *token_hash,
                                                              GError      **error);
gint64                   cohort_store_append_event           (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        ts,
                                                              const char   *name,
                                                              const char   *body,
                                                              const char   *audience,
                                                              GError      **error);
gint64                   cohort_store_get_last_seq           (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
GPtrArray               *cohort_store_list_events_after      (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        after_seq,
                                                              guint         limit,
                                                              GError      **error);
char                    *cohort_store_lookup_reply           (CohortStore  *self,
                                                              gint64        participant_id,
                                                              const char   *request_id,
                                                              GError      **error);
gboolean                 cohort_store_save_reply             (CohortStore  *self,
                                                              gint64        participant_id,
                                                              const char   *request_id,
                                                              const char   *reply,
                                                              gint64        created_at,
                                                              GError      **error);
gboolean                 cohort_store_prune_replies          (CohortStore  *self,
                                                              gint64        before,
                                                              guint        *out_removed,
                                                              GError      **error);

/* media */
gboolean                 cohort_store_media_set_stage        (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              const char   *state,
                                                              GError      **error);
GPtrArray               *cohort_store_media_list_stage       (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
gboolean                 cohort_store_media_put_feed         (CohortStore  *self,
                                                              const CohortMediaFeedRecord *record,
                                                              GError      **error);
gboolean                 cohort_store_media_remove_feed      (CohortStore  *self,
                                                              gint64        feed_id,
                                                              GError      **error);
GPtrArray               *cohort_store_media_list_feeds       (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);

/* ai */
CohortAiPolicyRecord    *cohort_store_ai_get_policy          (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
gboolean                 cohort_store_ai_set_policy          (CohortStore  *self,
                                                              gint64        class_id,
                                                              const CohortAiPolicyRecord *policy,
                                                              GError      **error);
gint64                   cohort_store_ai_add_exchange        (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              const CohortAiExchangeRecord *exchange,
                                                              GError      **error);
gint64                   cohort_store_ai_count_questions     (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              gint64        since,
                                                              GError      **error);
GPtrArray               *cohort_store_ai_list_exchanges      (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              gint64        before_id,
                                                              guint         limit,
                                                              GError      **error);
gboolean                 cohort_store_ai_add_topic_words     (CohortStore  *self,
                                                              gint64        class_id,
                                                              const char * const *words,
                                                              gint64        ts,
                                                              GError      **error);
GPtrArray               *cohort_store_ai_list_topics         (CohortStore  *self,
                                                              gint64        class_id,
                                                              guint         limit,
                                                              GError      **error);

/* chat */
gint64                   cohort_store_chat_add_message       (CohortStore  *self,
                                                              CohortChatMessageRecord *record,
                                                              const gint64 *audience,
                                                              guint         n_audience,
                                                              GError      **error);
CohortChatMessageRecord *cohort_store_chat_get_message       (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        message_id,
                                                              gint64        viewer_id,
                                                              GError      **error);
GPtrArray               *cohort_store_chat_list_messages     (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        viewer_id,
                                                              gint64        before_id,
                                                              guint         limit,
                                                              gsize         max_bytes,
                                                              gboolean     *out_has_more,
                                                              GError      **error);
GArray                  *cohort_store_chat_get_audience      (CohortStore  *self,
                                                              gint64        message_id,
                                                              GError      **error);
gboolean                 cohort_store_chat_edit_message      (CohortStore  *self,
                                                              gint64        message_id,
                                                              const char   *text,
                                                              gint64        edited_at,
                                                              GError      **error);
gboolean                 cohort_store_chat_delete_message    (CohortStore  *self,
                                                              gint64        message_id,
                                                              gint64        by,
                                                              GError      **error);
gboolean                 cohort_store_chat_set_question      (CohortStore  *self,
                                                              gint64        message_id,
                                                              const char   *state,
                                                              GError      **error);
gint64                   cohort_store_chat_set_vote          (CohortStore  *self,
                                                              gint64        message_id,
                                                              gint64        participant_id,
                                                              gboolean      vote,
                                                              GError      **error);
gboolean                 cohort_store_chat_get_settings      (CohortStore  *self,
                                                              gint64        class_id,
                                                              CohortChatSettingsRecord *out_settings,
                                                              GError      **error);
gboolean                 cohort_store_chat_set_settings      (CohortStore  *self,
                                                              gint64        class_id,
                                                              const CohortChatSettingsRecord *settings,
                                                              GError      **error);
gboolean                 cohort_store_chat_set_muted         (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              gboolean      muted,
                                                              GError      **error);
GArray                  *cohort_store_chat_list_muted        (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
gboolean                 cohort_store_chat_set_pace          (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              const char   *pace,
                                                              gint64        at,
                                                              GError      **error);
GPtrArray               *cohort_store_chat_list_pace         (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        since,
                                                              GError      **error);
int                      cohort_store_chat_mark_helpful      (CohortStore  *self,
                                                              gint64        message_id,
                                                              gint64        by,
                                                              gint64        ts,
                                                              GError      **error);

/* quiz */
GPtrArray               *cohort_store_quiz_list_questions    (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
CohortQuizQuestionRecord *cohort_store_quiz_get_question     (CohortStore  *self,
                                                              gint64        question_id,
                                                              GError      **error);
gint64                   cohort_store_quiz_add_question      (CohortStore  *self,
                                                              gint64        class_id,
                                                              const char   *data,
                                                              gint64        created_at,
                                                              GError      **error);
gboolean                 cohort_store_quiz_update_question   (CohortStore  *self,
                                                              gint64        question_id,
                                                              const char   *data,
                                                              GError      **error);
gboolean                 cohort_store_quiz_delete_question   (CohortStore  *self,
                                                              gint64        question_id,
                                                              GError      **error);
gboolean                 cohort_store_quiz_set_order         (CohortStore  *self,
                                                              gint64        class_id,
                                                              const gint64 *ids,
                                                              guint         n_ids,
                                                              GError      **error);
gboolean                 cohort_store_quiz_add_run           (CohortStore         *self,
                                                              CohortQuizRunRecord *run,
                                                              GError             **error);
gboolean                 cohort_store_quiz_update_run        (CohortStore         *self,
                                                              CohortQuizRunRecord *run,
                                                              GError             **error);
CohortQuizRunRecord     *cohort_store_quiz_get_last_run      (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
GPtrArray               *cohort_store_quiz_list_open_runs    (CohortStore  *self,
                                                              GError      **error);
GPtrArray               *cohort_store_quiz_list_revealed_runs (CohortStore *self,
                                                              gint64        class_id,
                                                              guint         limit,
                                                              GError      **error);
gboolean                 cohort_store_quiz_save_answer       (CohortStore            *self,
                                                              CohortQuizAnswerRecord *answer,
                                                              GError                **error);
GPtrArray               *cohort_store_quiz_list_answers      (CohortStore  *self,
                                                              gint64        run_id,
                                                              GError      **error);
CohortQuizAnswerRecord  *cohort_store_quiz_get_answer        (CohortStore  *self,
                                                              gint64        run_id,
                                                              gint64        participant_id,
                                                              GError      **error);
GPtrArray               *cohort_store_quiz_list_scores       (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);

/* groups */
gint64                   cohort_store_groups_create          (CohortStore  *self,
                                                              gint64        class_id,
                                                              const char   *name,
                                                              gint64        size,
                                                              const char   *topic,
                                                              gint64        goal_points,
                                                              gint64        created_at,
                                                              GError      **error);
GPtrArray               *cohort_store_groups_list            (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
gboolean                 cohort_store_groups_set_member      (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              gint64        group_id,
                                                              GError      **error);
GPtrArray               *cohort_store_groups_list_members    (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
char                    *cohort_store_groups_get_state       (CohortStore  *self,
                                                              gint64        class_id,
                                                              const char   *key,
                                                              GError      **error);
gboolean                 cohort_store_groups_set_state       (CohortStore  *self,
                                                              gint64        class_id,
                                                              const char   *key,
                                                              const char   *json,
                                                              GError      **error);
gint64                   cohort_store_groups_next_id         (CohortStore  *self,
                                                              gint64        class_id,
                                                              const char   *counter,
                                                              GError      **error);
gboolean                 cohort_store_groups_add_checkin     (CohortStore         *self,
                                                              CohortCheckinRecord *record,
                                                              GError             **error);
CohortCheckinRecord     *cohort_store_groups_get_checkin     (CohortStore  *self,
                                                              gint64        checkin_id,
                                                              GError      **error);
CohortCheckinRecord     *cohort_store_groups_last_checkin    (CohortStore  *self,
                                                              gint64        participant_id,
                                                              GError      **error);
GPtrArray               *cohort_store_groups_list_checkins   (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        since,
                                                              GError      **error);
gboolean                 cohort_store_groups_add_reaction    (CohortStore  *self,
                                                              gint64        checkin_id,
                                                              gint64        participant_id,
                                                              const char   *reaction,
                                                              gint64        at,
                                                              gboolean     *out_added,
                                                              GError      **error);
GPtrArray               *cohort_store_groups_list_reactions  (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        since,
                                                              GError      **error);
gboolean                 cohort_store_groups_save_total      (CohortStore  *self,
                                                              gint64        class_id,
                                                              CohortGroupsTotalRecord *record,
                                                              GError      **error);
GPtrArray               *cohort_store_groups_list_totals     (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
gboolean                 cohort_store_groups_add_badge       (CohortStore  *self,
                                                              gint64        class_id,
                                                              CohortBadgeRecord *record,
                                                              gboolean     *out_added,
                                                              GError      **error);
GPtrArray               *cohort_store_groups_list_badges     (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        participant_id,
                                                              GError      **error);

G_END_DECLS
