/* cohort-ai-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-ai-nudge.h"
#include "cohort-ai-prompt.h"
#include "cohort-ai-protocol.h"
#include "cohort-ai-service.h"
#include "cohort-ai-upstream.h"
#include "cohort-identity-service.h"
#include "cohort-server-private.h"
#include "cohort-store-groups.h"
#include "cohort-store-schedule.h"
#include "cohort-streak.h"

#define DEFAULT_MODE          COHORT_AI_MODE_HINTS
#define DEFAULT_DAILY_QUOTA   20
#define MAX_ANSWER_BYTES      (48 * 1024)
#define TOPICS_SHOWN          30
#define RATE_WINDOW_US        (60 * G_USEC_PER_SEC)
/* How long a nudge stays on show (the home, the pane) until opened. */
#define NUDGE_SHOWN_MS        ((gint64) 24 * 3600 * 1000)


typedef struct _Stream Stream;

struct _CohortAiService
{
  CohortService         parent_instance;

  CohortServer         *server;      /* unowned: the server owns us */
  CohortAiConfig       *config;
  SoupSession          *soup;
  /* participant id → Stream: one answer at a time per participant */
  GHashTable           *streams;
  /* participant id → GArray of gint64 monotonic start times */
  GHashTable           *recent;
  /* class id → the same, and the whole server's */
  GHashTable           *class_recent;
  GArray               *server_recent;
  CohortAiQuizLockFunc  quiz_lock;
  gpointer              quiz_lock_data;
  /* class ids whose last ai.lock said locked */
  GHashTable           *locked_classes;
  CohortAiWeakPointFunc weak_point;
  gpointer              weak_point_data;
  /* participant id → NudgeJob: a nudge the model is writing */
  GHashTable           *nudge_jobs;
};

G_DEFINE_FINAL_TYPE (CohortAiService, cohort_ai_service, COHORT_TYPE_SERVICE)

struct _Stream
{
  CohortAiService  *service;
  CohortConnection *conn;
  CohortMessage    *request;
  gint64            class_id;
  gint64            participant_id;
  gboolean          is_teacher;
  char             *question;
  char             *context;     /* practice.why: the question and answers; NULL for ai.ask */
  gint64            asked_at;
  /* The conversation (0: a new one, made when the answer is stored) and
   * the exchange this answer replaces with the exchanges after it (0:
   * none): a regenerated answer or an edited question. */
  gint64            conversation_id;
  gint64            replaces;
  GString          *answer;
  gboolean          truncated;
  gboolean          thinking;    /* told the student; no answer text yet */
  CohortAiUpstream *upstream;
};

static void
stream_free (Stream *stream)
{
  if (stream->upstream != NULL)
    {
      g_signal_handlers_disconnect_by_data (stream->upstream, stream);
      cohort_ai_upstream_cancel (stream->upstream);
      g_clear_object (&stream->upstream);
    }
  g_clear_object (&stream->conn);
  g_clear_pointer (&stream->request, cohort_message_unref);
  g_free (stream->question);
  g_free (stream->context);
  g_string_free (stream->answer, TRUE);
  g_free (stream);
}

static CohortAiService *
get_service (CohortServer *server)
{
  return COHORT_AI_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_AI_SERVICE));
}

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

/* Policy */

static CohortAiPolicyRecord *
load_policy (CohortAiService  *self,
             gint64            class_id,
             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  CohortAiPolicyRecord *policy;

  policy = cohort_store_ai_get_policy (_cohort_server_get_store (self->server), class_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (policy == NULL)
    {
      policy = g_new0 (CohortAiPolicyRecord, 1);
      policy->mode = g_strdup (DEFAULT_MODE);
      policy->topic = g_strdup ("");
      policy->notes = g_strdup ("");
      policy->answer_key = g_strdup ("");
      policy->daily_quota = DEFAULT_DAILY_QUOTA;
      policy->nudges = TRUE;
    }

  return policy;
}

/* The per-student quota that holds: the teacher's, which can only lower
 * the server's max-questions-per-student-per-day (0 there: none; 0 from
 * the teacher: the server's). */
static gint64
effective_daily_quota (CohortAiService            *self,
                       const CohortAiPolicyRecord *policy)
{
  gint64 ceiling = self->config != NULL ? self->config->max_per_student_per_day : 0;

  if (ceiling == 0)
    return policy->daily_quota;
  if (policy->daily_quota <= 0 || policy->daily_quota > ceiling)
    return ceiling;
  return policy->daily_quota;
}

static JsonObject *
policy_to_json (CohortAiService            *self,
                const CohortAiPolicyRecord *policy,
                gboolean                    with_notes)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "mode", policy->mode);
  json_object_set_string_member (object, "topic", policy->topic != NULL ? policy->topic : "");
  json_object_set_int_member (object, "daily_quota", effective_daily_quota (self, policy));
  json_object_set_boolean_member (object, "nudges", policy->nudges);
  /* The notes and the answer key are the teacher's: never a student's. */
  if (with_notes)
    {
      json_object_set_string_member (object, "notes", policy->notes != NULL ? policy->notes : "");
      json_object_set_string_member (object, "answer_key",
                                     policy->answer_key != NULL ? policy->answer_key : "");
    }

  return object;
}

static gint64
start_of_today_ms (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);

  return g_date_time_to_unix (midnight) * 1000;
}

static gboolean
quiz_locked (CohortAiService *self,
             gint64           class_id)
{
  if (self->quiz_lock != NULL)
    return self->quiz_lock (self->server, class_id, self->quiz_lock_data);
  return FALSE;
}

/* Topics: a few content words per question, counted per class with no
 * trace of who asked. */

static const char * const stop_words[] = {
  "about", "after", "again", "also", "because", "been", "before", "being", "could",
  "does", "doing", "down", "each", "explain", "from", "give", "have", "help", "here",
  "into", "just", "know", "like", "make", "mean", "means", "more", "most", "much",
  "need", "only", "other", "please", "quiz", "really", "same", "should", "show",
  "simpler", "simply", "some", "such", "tell", "than", "that", "their", "them",
  "then", "there", "these", "they", "thing", "this", "those", "understand", "very",
  "want", "what", "when", "where", "which", "while", "will", "with", "would",
  "example", "your", "you", "how", "why", "the", "and", "for", "are", "can", "not",
  NULL
};

static const char * const cjk_fillers[] = {
  "为什么", "什么是", "什么", "怎么样", "怎么", "如何", "请问", "请", "解释一下", "解释",
  "一下", "是不是", "吗", "呢", "吧", "的", "了", "是", "我", "你", "和", "给我", "举个例子",
  "例子", "测验", NULL
};

GStrv
_cohort_ai_service_topic_words (const char *question)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  const char *p = question;

  while (p != NULL && *p != '\0' && seen->len < 3)
    {
      gunichar c = g_utf8_get_char (p);
      const char *start;
      gboolean wide;

      if (!g_unichar_isalnum (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }

      start = p;
      wide = g_unichar_iswide (c);
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)) &&
             g_unichar_iswide (g_utf8_get_char (p)) == wide)
        p = g_utf8_next_char (p);

      {
        g_autofree char *raw = g_strndup (start, p - start);
        g_autofree char *word = g_utf8_strdown (raw, -1);
        gboolean keep;

        if (wide)
          {
            g_autoptr(GString) stripped = g_string_new (word);

            for (guint i = 0; cjk_fillers[i] != NULL; i++)
              g_string_replace (stripped, cjk_fillers[i], "", 0);
            g_free (word);
            word = g_utf8_substring (stripped->str, 0, MIN (6, g_utf8_strlen (stripped->str, -1)));
            keep = g_utf8_strlen (word, -1) >= 2;
          }
        else
          keep = g_utf8_strlen (word, -1) >= 4 && !g_strv_contains (stop_words, word) &&
                 !g_ascii_isdigit (word[0]);

        if (keep)
          {
            gboolean dup = FALSE;

            for (guint i = 0; i < seen->len; i++)
              dup |= g_str_equal (g_ptr_array_index (seen, i), word);
            if (!dup)
              g_ptr_array_add (seen, g_steal_pointer (&word));
          }
      }
    }

  for (guint i = 0; i < seen->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (seen, i));

  return g_strv_builder_end (builder);
}

/* The prompt */

static JsonObject *
chat_message (const char *role,
              const char *content)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "role", role);
  json_object_set_string_member (object, "content", content);

  return object;
}

/* Returns the messages, or NULL with @error when the question alone does
 * not fit the prompt size limit. */
static JsonArray *
build_messages (CohortAiService             *self,
                Stream                      *stream,
                const CohortAiPolicyRecord  *policy,
                GError                     **error)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *system = NULL;
  JsonArray *messages;
  glong budget;
  glong token_budget;
  guint n_history = 0;

  klass = cohort_store_get_class (store, stream->class_id, error);
  if (klass == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND, "no class");
      return NULL;
    }

  {
    CohortAiPromptInput input = {
      .class_title = klass->title,
      .mode = policy->mode,
      .topic = policy->topic,
      .notes = policy->notes,
      .answer_key = policy->answer_key,
      .for_teacher = stream->is_teacher,
    };

    system = cohort_ai_prompt_system (&input);
  }
  if (stream->context != NULL)
    {
      /* The practice question rides in the system prompt, under the
       * class's policy above: hints stay hints. */
      g_autofree char *with = g_strconcat (system, "\n\n", stream->context, NULL);

      g_free (system);
      system = g_steal_pointer (&with);
    }
  budget = (glong) self->config->max_prompt_chars - g_utf8_strlen (system, -1) -
           g_utf8_strlen (stream->question, -1);
  if (budget < 0)
    {
      g_set_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                   _("The question is too long for the helper. Shorten it and ask again."));
      return NULL;
    }

  /* Only this conversation's exchanges, and those before the one a
   * regenerated answer replaces: a new conversation starts afresh. */
  if (self->config->history_messages > 0 && stream->conversation_id > 0)
    {
      history = cohort_store_ai_list_conversation_exchanges (store, stream->conversation_id,
                                                             stream->replaces,
                                                             (self->config->history_messages + 1) / 2,
                                                             error);
      if (history == NULL)
        return NULL;

      /* The system prompt and the question always go; then whole
       * exchanges, newest first, while they fit both the characters and
       * the estimated tokens left, stopping at the first that does not
       * (the context stays one unbroken run up to the question). */
      token_budget = (glong) self->config->context_tokens -
                     cohort_ai_estimate_tokens (system) - cohort_ai_estimate_tokens (stream->question) -
                     2 * COHORT_AI_MESSAGE_TOKENS;
      for (; n_history < history->len; n_history++)
        {
          CohortAiExchangeRecord *record = g_ptr_array_index (history, n_history);
          glong size = g_utf8_strlen (record->question, -1) + g_utf8_strlen (record->answer, -1);
          glong tokens = cohort_ai_estimate_tokens (record->question) +
                         cohort_ai_estimate_tokens (record->answer) + 2 * COHORT_AI_MESSAGE_TOKENS;

          if (size > budget || tokens > token_budget)
            break;
          budget -= size;
          token_budget -= tokens;
        }
    }

  messages = json_array_new ();
  json_array_add_object_element (messages, chat_message ("system", system));
  for (guint i = n_history; i > 0; i--)
    {
      CohortAiExchangeRecord *record = g_ptr_array_index (history, i - 1);

      json_array_add_object_element (messages, chat_message ("user", record->question));
      if (*record->answer != '\0')
        json_array_add_object_element (messages, chat_message ("assistant", record->answer));
    }
  json_array_add_object_element (messages, chat_message ("user", stream->question));

  return messages;
}

/* Streams */

static JsonObject *
exchange_to_json (const CohortAiExchangeRecord *record)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", record->id);
  json_object_set_string_member (object, "question", record->question);
  json_object_set_string_member (object, "answer", record->answer);
  json_object_set_string_member (object, "finish", record->finish);
  json_object_set_int_member (object, "asked_at", record->asked_at);
  json_object_set_int_member (object, "answered_at", record->answered_at);
  json_object_set_int_member (object, "conversation_id", record->conversation_id);

  return object;
}

static JsonObject *
conversation_to_json (const CohortAiConversationRecord *record)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", record->id);
  json_object_set_string_member (object, "title", record->title);
  json_object_set_int_member (object, "created_at", record->created_at);
  json_object_set_int_member (object, "updated_at", record->updated_at);
  json_object_set_int_member (object, "exchanges", record->n_exchanges);

  return object;
}

/* A new conversation's title: its first question's first line. */
static char *
title_for (const char *question)
{
  const char *newline = strchr (question, '\n');
  g_autofree char *line = g_strndup (question, newline != NULL ? (gsize) (newline - question)
                                                               : strlen (question));

  if (g_utf8_strlen (line, -1) <= COHORT_AI_TITLE_CHARS)
    return g_steal_pointer (&line);
  {
    g_autofree char *cut = g_utf8_substring (line, 0, COHORT_AI_TITLE_CHARS - 1);

    return g_strconcat (cut, "…", NULL);
  }
}

/* The asker's own conversation @id, or NULL (no error) when it is not
 * theirs or not in this class: a student only ever sees their own. */
static CohortAiConversationRecord *
own_conversation (CohortStore  *store,
                  gint64        id,
                  gint64        class_id,
                  gint64        participant_id,
                  GError      **error)
{
  g_autoptr(CohortAiConversationRecord) record = cohort_store_ai_get_conversation (store, id, error);

  if (record == NULL || record->participant_id != participant_id || record->class_id != class_id)
    return NULL;
  return g_steal_pointer (&record);
}

/* The question goes back to the quotas it was counted in (the upstream
 * failed it, or, @whole FALSE, cut the answer short: the student's only). */
static void
return_question (CohortAiService *self,
                 Stream          *stream,
                 gboolean         whole)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(GError) error = NULL;

  if (!cohort_store_begin (store, &error) ||
      !cohort_store_ai_return_question (store, stream->participant_id,
                                        cohort_message_get_id (stream->request), whole, &error) ||
      !cohort_store_commit (store, &error))
    {
      cohort_store_rollback (store);
      g_warning ("Could not give a question back to the helper's quota in class %" G_GINT64_FORMAT
                 ": %s", stream->class_id, error->message);
    }
}

/* Inside the answer's transaction: the conversation it goes to (made
 * now for a new one, or again when it was deleted meanwhile), without
 * the exchanges it replaces. */
static gboolean
store_conversation (CohortAiService         *self,
                    Stream                  *stream,
                    CohortAiExchangeRecord  *record,
                    GError                 **error)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(CohortAiConversationRecord) conversation = NULL;
  g_autoptr(GError) local_error = NULL;

  if (stream->conversation_id > 0)
    {
      conversation = cohort_store_ai_get_conversation (store, stream->conversation_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (conversation == NULL)
    {
      g_autofree char *title = title_for (stream->question);

      stream->replaces = 0;
      stream->conversation_id = cohort_store_ai_create_conversation (store, stream->class_id,
                                                                     stream->participant_id, title,
                                                                     record->answered_at, error);
      if (stream->conversation_id == 0)
        return FALSE;
    }
  else if (!cohort_store_ai_touch_conversation (store, stream->conversation_id,
                                                record->answered_at, error))
    return FALSE;

  if (stream->replaces > 0 &&
      !cohort_store_ai_delete_exchanges_from (store, stream->conversation_id, stream->replaces, error))
    return FALSE;

  record->conversation_id = stream->conversation_id;
  return TRUE;
}

/* Stores the exchange and sends the ok reply; frees the stream. */
static void
stream_complete (CohortAiService *self,
                 Stream          *stream,
                 const char      *finish)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortAiPolicyRecord) policy = NULL;
  g_auto(GStrv) words = NULL;
  CohortAiExchangeRecord record = { 0 };
  gint64 used;

  g_hash_table_steal (self->streams, &stream->participant_id);

  record.question = stream->question;
  record.answer = stream->answer->str;
  record.finish = (char *) (stream->truncated ? COHORT_AI_FINISH_LENGTH : finish);
  if (g_str_equal (record.finish, COHORT_AI_FINISH_CUT_SHORT))
    g_warning ("AI answer in class %" G_GINT64_FORMAT " was cut short after %" G_GSIZE_FORMAT
               " bytes: %s", stream->class_id, stream->answer->len,
               (stream->upstream != NULL ? cohort_ai_upstream_get_cut_reason (stream->upstream) : NULL)
               ?: "no reason given");
  record.asked_at = stream->asked_at;
  record.answered_at = _cohort_server_next_ts (self->server);

  words = _cohort_ai_service_topic_words (stream->question);

  if (!cohort_store_begin (store, &error) ||
      !store_conversation (self, stream, &record, &error) ||
      (record.id = cohort_store_ai_add_exchange (store, stream->class_id, stream->participant_id,
                                                 &record, &error)) == 0 ||
      !cohort_store_ai_add_topic_words (store, stream->class_id, (const char * const *) words,
                                        record.answered_at, &error) ||
      (g_str_equal (record.finish, COHORT_AI_FINISH_CUT_SHORT) &&
       !cohort_store_ai_return_question (store, stream->participant_id,
                                         cohort_message_get_id (stream->request), FALSE, &error)) ||
      (used = cohort_store_ai_count_questions (store, stream->class_id, stream->participant_id,
                                               start_of_today_ms (), &error)) < 0 ||
      !(policy = load_policy (self, stream->class_id, &error)))
    {
      _cohort_server_send_internal (self->server, stream->conn,
                                    cohort_message_get_id (stream->request), error);
      stream_free (stream);
      return;
    }

  json_object_set_object_member (body, "exchange", exchange_to_json (&record));
  {
    g_autoptr(CohortAiConversationRecord) conversation =
      cohort_store_ai_get_conversation (store, record.conversation_id, NULL);

    if (conversation != NULL)
      json_object_set_object_member (body, "conversation", conversation_to_json (conversation));
  }
  json_object_set_int_member (body, "used_today", used);
  json_object_set_int_member (body, "daily_quota",
                              stream->is_teacher ? 0 : effective_daily_quota (self, policy));

  _cohort_server_finish_request (self->server, stream->conn, stream->request,
                                 g_steal_pointer (&body), pending);
  stream_free (stream);
}

static void
stream_fail (CohortAiService *self,
             Stream          *stream,
             CohortErrorCode  code,
             const char      *message)
{
  g_hash_table_steal (self->streams, &stream->participant_id);
  return_question (self, stream, TRUE);
  _cohort_server_send_error (stream->conn, cohort_message_get_id (stream->request),
                             code, COHORT_INVALID_NONE, NULL, message);
  stream_free (stream);
}

static void
send_progress (Stream     *stream,
               const char *delta,
               gboolean    reset)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) progress = NULL;

  json_object_set_string_member (body, "delta", delta);
  if (reset)
    json_object_set_boolean_member (body, "reset", TRUE);
  progress = cohort_message_new_progress (cohort_message_get_id (stream->request), body);
  _cohort_server_send_message (stream->conn, progress);
}

static void
send_thinking (Stream *stream)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) progress = NULL;

  json_object_set_string_member (body, "phase", COHORT_AI_PHASE_THINKING);
  progress = cohort_message_new_progress (cohort_message_get_id (stream->request), body);
  _cohort_server_send_message (stream->conn, progress);
}

/* The model reasons before answering. Its reasoning is not forwarded: in
 * "hints" mode it often works out the very answer the student must not
 * be given, it is neither shaped for a student nor bounded like the
 * answer, so the student only learns that the helper is thinking. */
static void
on_upstream_thinking (CohortAiUpstream *upstream,
                      Stream           *stream)
{
  if (stream->answer->len > 0)
    return;
  stream->thinking = TRUE;
  send_thinking (stream);
}

static void
on_upstream_delta (CohortAiUpstream *upstream,
                   const char       *text,
                   Stream           *stream)
{
  CohortAiService *self = stream->service;
  gsize room;
  g_autofree char *piece = NULL;

  if (quiz_locked (self, stream->class_id))
    {
      stream_fail (self, stream, COHORT_ERROR_AI_QUIZ_LOCK,
                   _("A quiz has started, so the helper is paused until it ends."));
      return;
    }

  room = MAX_ANSWER_BYTES - MIN (stream->answer->len, MAX_ANSWER_BYTES);
  if (strlen (text) > room)
    {
      /* Cut at a character boundary and end the answer here. */
      const char *end = text + room;

      while (end > text && !g_utf8_validate (text, end - text, NULL))
        end--;
      piece = g_strndup (text, end - text);
      stream->truncated = TRUE;
    }
  else
    piece = g_strdup (text);

  if (*piece != '\0')
    {
      g_string_append (stream->answer, piece);
      send_progress (stream, piece, FALSE);
    }

  if (stream->truncated)
    stream_complete (self, stream, COHORT_AI_FINISH_LENGTH);
}

static void
on_upstream_finished (CohortAiUpstream *upstream,
                      const char       *finish_reason,
                      const GError     *error,
                      Stream           *stream)
{
  CohortAiService *self = stream->service;

  if (error != NULL)
    {
      stream_fail (self, stream, error->code, error->message);
      return;
    }

  if (g_strcmp0 (finish_reason, "length") == 0)
    stream_complete (self, stream, COHORT_AI_FINISH_LENGTH);
  else if (g_strcmp0 (finish_reason, "cut_short") == 0)
    stream_complete (self, stream, COHORT_AI_FINISH_CUT_SHORT);
  else
    stream_complete (self, stream, COHORT_AI_FINISH_STOP);
}

/* Handlers */

static JsonObject *state_for (CohortAiService   *self,
                              CohortConnection  *conn,
                              GError           **error);

static void
send_error (CohortConnection *conn,
            CohortMessage    *request,
            CohortErrorCode   code,
            const char       *message)
{
  _cohort_server_send_error (conn, cohort_message_get_id (request), code,
                             COHORT_INVALID_NONE, NULL, message);
}

/* Limits: per-minute rates (in memory: a restart forgets at most a
 * minute) and daily quotas (counted in the store: a restart keeps them),
 * per student, per class and for the whole server. A question counts
 * against the daily quotas when it goes upstream (ai_usage), answers
 * still streaming and answers abandoned by a student who left included,
 * so neither a burst nor leaving mid-answer gets round them. */

/* How often one request id may go upstream: the outbox resends it after
 * each reconnect, which is no new question; beyond this it is one. */
#define MAX_STARTS_PER_QUESTION 3

static gboolean
window_full (GArray *times,
             guint   limit,
             gint64  now)
{
  while (times->len > 0 && now - g_array_index (times, gint64, 0) > RATE_WINDOW_US)
    g_array_remove_index (times, 0);

  return limit > 0 && times->len >= limit;
}

static GArray *
window_for (GHashTable *table,
            gint64      id)
{
  GArray *times = g_hash_table_lookup (table, &id);

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (table, int64_key (id), times);
    }
  return times;
}

/* Takes one question from each per-minute rate, or none and sends the
 * error of the first that is used up. */
static gboolean
take_rates (CohortAiService  *self,
            CohortConnection *conn,
            CohortMessage    *request,
            gint64            class_id,
            gint64            participant_id)
{
  GArray *mine = window_for (self->recent, participant_id);
  GArray *class = window_for (self->class_recent, class_id);
  gint64 now = g_get_monotonic_time ();
  const char *message = NULL;

  if (window_full (mine, self->config->questions_per_minute, now))
    message = _("You are asking the helper very quickly. Wait a minute and ask again.");
  else if (window_full (class, self->config->questions_per_minute_per_class, now))
    message = _("Your class is asking the helper very quickly. Wait a minute and ask again.");
  else if (window_full (self->server_recent, self->config->questions_per_minute_per_server, now))
    message = _("The helper is busy for the whole school right now. Wait a minute and ask again.");

  if (message != NULL)
    {
      _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_RATE_LIMITED,
                                 COHORT_INVALID_NONE, NULL, message);
      return FALSE;
    }

  g_array_append_val (mine, now);
  g_array_append_val (class, now);
  g_array_append_val (self->server_recent, now);
  return TRUE;
}

typedef enum
{
  QUOTA_OK,
  QUOTA_STUDENT,
  QUOTA_CLASS,
  QUOTA_SERVER,
  QUOTA_ERROR,
} QuotaCheck;

static QuotaCheck
check_quotas (CohortAiService             *self,
              const CohortAiPolicyRecord  *policy,
              gint64                       class_id,
              gint64                       participant_id,
              gboolean                     is_teacher,
              GError                     **error)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  gint64 since = start_of_today_ms ();
  gint64 quota = effective_daily_quota (self, policy);
  gint64 used;

  /* The teacher has no quota of their own, but spends the class's and
   * the school's. */
  if (!is_teacher && quota > 0)
    {
      used = cohort_store_ai_count_questions (store, class_id, participant_id, since, error);
      if (used < 0)
        return QUOTA_ERROR;
      if (used >= quota)
        return QUOTA_STUDENT;
    }

  if (self->config->max_per_class_per_day > 0)
    {
      used = cohort_store_ai_count_all_questions (store, class_id, since, error);
      if (used < 0)
        return QUOTA_ERROR;
      if (used >= self->config->max_per_class_per_day)
        return QUOTA_CLASS;
    }

  if (self->config->max_per_server_per_day > 0)
    {
      used = cohort_store_ai_count_all_questions (store, 0, since, error);
      if (used < 0)
        return QUOTA_ERROR;
      if (used >= self->config->max_per_server_per_day)
        return QUOTA_SERVER;
    }

  return QUOTA_OK;
}

/* FALSE when a daily quota is used up (or the store failed), with the
 * error sent: ai_quota, its field naming the scope. */
static gboolean
within_quotas (CohortAiService             *self,
               CohortConnection            *conn,
               CohortMessage               *request,
               const CohortAiPolicyRecord  *policy)
{
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  const char *message = NULL;
  gint64 starts;

  /* The same question again after a reconnect was counted already. */
  starts = cohort_store_ai_question_starts (_cohort_server_get_store (self->server),
                                            cohort_connection_get_participant_id (conn),
                                            cohort_message_get_id (request), &error);
  if (starts < 0)
    {
      _cohort_server_send_internal (self->server, conn, cohort_message_get_id (request), error);
      return FALSE;
    }
  if (starts > 0 && starts < MAX_STARTS_PER_QUESTION)
    return TRUE;

  switch (check_quotas (self, policy, cohort_connection_get_class_id (conn),
                        cohort_connection_get_participant_id (conn),
                        cohort_connection_is_teacher (conn), &error))
    {
    case QUOTA_OK:
      return TRUE;
    case QUOTA_ERROR:
      _cohort_server_send_internal (self->server, conn, cohort_message_get_id (request), error);
      return FALSE;
    case QUOTA_STUDENT:
      field = "student";
      message = _("You have used all of today’s questions to the helper. They come back tomorrow.");
      break;
    case QUOTA_CLASS:
      field = "class";
      message = _("Your class has used all of today’s questions to the helper. They come back tomorrow.");
      break;
    case QUOTA_SERVER:
    default:
      field = "server";
      message = _("The helper is busy for the whole school: it has answered all the questions it may today. It is back tomorrow.");
      break;
    }

  _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_AI_QUOTA,
                             COHORT_INVALID_NONE, field, message);
  return FALSE;
}

/* Which conversation the question goes to: the one named, a new one
 * (new_conversation), or the asker's latest (the behaviour of clients
 * that know no conversations); with `replaces`, the conversation of that
 * exchange. FALSE with the error sent (a conversation or exchange that
 * is not the asker's is not_found), or with @error set. */
static gboolean
resolve_conversation (CohortRequest  *req,
                      Stream         *stream,
                      GError        **error)
{
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (stream->service));
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(CohortAiConversationRecord) conversation = NULL;
  g_autoptr(GError) local_error = NULL;

  if (json_object_has_member (body, "replaces"))
    {
      g_autoptr(CohortAiExchangeRecord) exchange =
        cohort_store_ai_get_exchange (store, json_object_get_int_member (body, "replaces"), &local_error);

      if (exchange != NULL)
        conversation = own_conversation (store, exchange->conversation_id, stream->class_id,
                                         stream->participant_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (conversation == NULL ||
          (json_object_has_member (body, "conversation_id") &&
           json_object_get_int_member (body, "conversation_id") != conversation->id))
        {
          cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "replaces",
                                _("That answer is no longer there. Ask the question again."));
          return FALSE;
        }
      stream->conversation_id = conversation->id;
      stream->replaces = exchange->id;
      return TRUE;
    }

  if (json_object_has_member (body, "new_conversation") &&
      json_object_get_boolean_member (body, "new_conversation"))
    return TRUE;

  if (json_object_has_member (body, "conversation_id"))
    {
      conversation = own_conversation (store, json_object_get_int_member (body, "conversation_id"),
                                       stream->class_id, stream->participant_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (conversation == NULL)
        {
          cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "conversation_id",
                                _("That conversation is no longer there. Start a new one."));
          return FALSE;
        }
      stream->conversation_id = conversation->id;
      return TRUE;
    }

  {
    g_autoptr(GPtrArray) latest = cohort_store_ai_list_conversations (store, stream->class_id,
                                                                      stream->participant_id, 1, error);

    if (latest == NULL)
      return FALSE;
    if (latest->len > 0)
      stream->conversation_id = ((CohortAiConversationRecord *) g_ptr_array_index (latest, 0))->id;
  }
  return TRUE;
}

static gboolean
ask (CohortAiService  *self,
     CohortRequest    *req,
     const char       *text,
     const char       *context,
     GError          **error);

static gboolean
handle_ask (CohortService  *service,
            CohortRequest  *req,
            GError        **error)
{
  JsonObject *body = cohort_request_get_body (req);

  return ask (COHORT_AI_SERVICE (service), req, json_object_get_string_member (body, "text"), NULL,
              error);
}

void
cohort_ai_service_quiz_lock_changed (CohortAiService *self,
                                     gint64           class_id)
{
  CohortStore *store;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  gboolean locked;

  g_return_if_fail (COHORT_IS_AI_SERVICE (self));

  locked = quiz_locked (self, class_id);
  if (locked == g_hash_table_contains (self->locked_classes, &class_id))
    return;

  store = _cohort_server_get_store (self->server);
  pending = _cohort_server_pending_new ();
  body = json_object_new ();
  json_object_set_boolean_member (body, "locked", locked);
  if (!cohort_store_begin (store, &error) ||
      !_cohort_server_emit_event (self->server, pending, class_id, COHORT_EV_AI_LOCK, body, &error) ||
      !cohort_store_commit (store, &error))
    {
      /* The next change tries again; asks are refused by the lock all the same. */
      g_warning ("Could not send the helper lock of class %" G_GINT64_FORMAT ": %s",
                 class_id, error->message);
      cohort_store_rollback (store);
      return;
    }
  if (locked)
    g_hash_table_add (self->locked_classes, g_memdup2 (&class_id, sizeof class_id));
  else
    g_hash_table_remove (self->locked_classes, &class_id);
  _cohort_server_broadcast (self->server, pending);
}

gboolean
cohort_ai_service_ask_about (CohortAiService  *self,
                             CohortRequest    *req,
                             const char       *text,
                             const char       *context,
                             GError          **error)
{
  g_return_val_if_fail (COHORT_IS_AI_SERVICE (self), FALSE);

  return ask (self, req, text, context, error);
}

/* ai.ask, and practice.why's question with its @context. */
static gboolean
ask (CohortAiService  *self,
     CohortRequest    *req,
     const char       *text,
     const char       *context,
     GError          **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  gboolean is_teacher = cohort_connection_is_teacher (conn);
  g_autoptr(CohortAiPolicyRecord) policy = NULL;
  g_autoptr(JsonArray) messages = NULL;
  Stream *stream;

  if (self->config == NULL)
    {
      send_error (conn, request, COHORT_ERROR_AI_NOT_CONFIGURED,
                  _("The helper is not set up on this class server. Your school can turn it on in the server’s settings."));
      return TRUE;
    }

  /* identity: the school's AI key is spent only on classes staff started. */
  if (!_cohort_identity_class_has_staff (server, class_id))
    {
      send_error (conn, request, COHORT_ERROR_AI_DISABLED,
                  _("The helper works only in classes started by school staff."));
      return TRUE;
    }

  stream = g_hash_table_lookup (self->streams, &participant_id);
  if (stream != NULL)
    {
      if (g_str_equal (cohort_message_get_id (stream->request), cohort_request_get_id (req)))
        {
          /* The same question again after a reconnect: follow it here. */
          g_set_object (&stream->conn, conn);
          send_progress (stream, stream->answer->str, TRUE);
          if (stream->thinking && stream->answer->len == 0)
            send_thinking (stream);
          return TRUE;
        }
      send_error (conn, request, COHORT_ERROR_RATE_LIMITED,
                  _("The helper is still answering your last question. Wait for it or stop it first."));
      return TRUE;
    }

  if (!(policy = load_policy (self, class_id, error)))
    return FALSE;

  if (g_str_equal (policy->mode, COHORT_AI_MODE_OFF))
    {
      send_error (conn, request, COHORT_ERROR_AI_DISABLED,
                  _("Your teacher has turned the helper off for this class."));
      return TRUE;
    }

  if (quiz_locked (self, class_id))
    {
      send_error (conn, request, COHORT_ERROR_AI_QUIZ_LOCK,
                  _("The helper is paused while a quiz is running."));
      return TRUE;
    }

  if (!within_quotas (self, conn, request, policy))
    return TRUE;

  stream = g_new0 (Stream, 1);
  stream->service = self;
  stream->conn = g_object_ref (conn);
  stream->request = cohort_message_ref (request);
  stream->class_id = class_id;
  stream->participant_id = participant_id;
  stream->is_teacher = is_teacher;
  stream->question = g_strdup (text);
  stream->context = g_strdup (context);
  stream->asked_at = _cohort_server_next_ts (server);
  stream->answer = g_string_new (NULL);

  if (!resolve_conversation (req, stream, error))
    {
      stream_free (stream);
      return *error == NULL;
    }

  messages = build_messages (self, stream, policy, error);
  if (messages == NULL)
    {
      stream_free (stream);
      if (!g_error_matches (*error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID))
        return FALSE;
      cohort_request_error (req, COHORT_ERROR_INVALID,
                            COHORT_INVALID_TOO_LARGE, "text", (*error)->message);
      return TRUE;
    }

  if (!take_rates (self, conn, request, class_id, participant_id))
    {
      stream_free (stream);
      return TRUE;
    }

  if (!cohort_store_begin (store, error) ||
      !cohort_store_ai_start_question (store, class_id, participant_id,
                                       cohort_request_get_id (req), stream->asked_at, error) ||
      (!is_teacher && !cohort_ai_service_came_back (self, class_id, participant_id, error)) ||
      !cohort_store_commit (store, error))
    {
      stream_free (stream);
      return FALSE;
    }

  stream->upstream = cohort_ai_upstream_new (self->soup, self->config);
  g_signal_connect (stream->upstream, "thinking", G_CALLBACK (on_upstream_thinking), stream);
  g_signal_connect (stream->upstream, "delta", G_CALLBACK (on_upstream_delta), stream);
  g_signal_connect (stream->upstream, "finished", G_CALLBACK (on_upstream_finished), stream);
  g_hash_table_insert (self->streams, &stream->participant_id, stream);

  cohort_ai_upstream_start (stream->upstream, messages);

  return TRUE;
}

static gboolean
handle_stop (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortAiService *self = COHORT_AI_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  g_autoptr(JsonObject) reply_body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  const char *request_id = NULL;
  Stream *stream;
  gboolean stopped = FALSE;

  if (json_object_has_member (body, "request_id"))
    request_id = json_object_get_string_member (body, "request_id");

  stream = g_hash_table_lookup (self->streams, &participant_id);
  if (stream != NULL &&
      (request_id == NULL || g_str_equal (request_id, cohort_message_get_id (stream->request))))
    {
      /* Abort upstream first, so the model stops generating at once. */
      g_signal_handlers_disconnect_by_data (stream->upstream, stream);
      cohort_ai_upstream_cancel (stream->upstream);
      stream_complete (self, stream, COHORT_AI_FINISH_STOPPED);
      stopped = TRUE;
    }

  json_object_set_boolean_member (reply_body, "stopped", stopped);
  reply = cohort_message_new_ok (cohort_request_get_id (req), reply_body);
  _cohort_server_send_message (conn, reply);

  return TRUE;
}

static gboolean
handle_history (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  g_autoptr(GPtrArray) exchanges = NULL;
  g_autoptr(CohortAiConversationRecord) conversation = NULL;
  g_autoptr(JsonObject) reply_body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;
  gint64 before = 0;
  guint limit = 20;
  guint n;

  if (json_object_has_member (body, "before"))
    before = json_object_get_int_member (body, "before");
  if (json_object_has_member (body, "limit"))
    limit = (guint) json_object_get_int_member (body, "limit");

  /* Only the asker's own conversations in this class: private to them.
   * Without conversation_id: the latest. */
  if (json_object_has_member (body, "conversation_id"))
    {
      conversation = own_conversation (store, json_object_get_int_member (body, "conversation_id"),
                                       class_id, participant_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (conversation == NULL)
        {
          cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "conversation_id",
                                _("That conversation is no longer there."));
          return TRUE;
        }
    }
  else
    {
      g_autoptr(GPtrArray) latest = cohort_store_ai_list_conversations (store, class_id, participant_id,
                                                                        1, error);

      if (latest == NULL)
        return FALSE;
      if (latest->len > 0)
        conversation = g_ptr_array_steal_index (latest, 0);
    }

  if (conversation != NULL)
    exchanges = cohort_store_ai_list_conversation_exchanges (store, conversation->id,
                                                             before, limit + 1, error);
  else
    exchanges = g_ptr_array_new ();
  if (exchanges == NULL)
    return FALSE;

  {
    JsonObject *ai = state_for (COHORT_AI_SERVICE (service), conn, error);

    if (ai == NULL)
      return FALSE;
    json_object_set_object_member (reply_body, "ai", ai);
  }

  array = json_array_new ();
  n = MIN (exchanges->len, limit);
  for (guint i = n; i > 0; i--)
    json_array_add_object_element (array, exchange_to_json (g_ptr_array_index (exchanges, i - 1)));

  json_object_set_array_member (reply_body, "exchanges", array);
  json_object_set_boolean_member (reply_body, "has_more", exchanges->len > limit);
  if (conversation != NULL)
    json_object_set_object_member (reply_body, "conversation", conversation_to_json (conversation));
  else
    json_object_set_null_member (reply_body, "conversation");
  reply = cohort_message_new_ok (cohort_request_get_id (req), reply_body);
  _cohort_server_send_message (conn, reply);

  return TRUE;
}

static gboolean
handle_conversations (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(JsonObject) reply_body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonArray *array;
  guint limit = 50;

  if (json_object_has_member (body, "limit"))
    limit = (guint) json_object_get_int_member (body, "limit");

  /* The asker's own, in this class; the teacher's are the teacher's. */
  conversations = cohort_store_ai_list_conversations (store, cohort_connection_get_class_id (conn),
                                                      cohort_connection_get_participant_id (conn),
                                                      limit, error);
  if (conversations == NULL)
    return FALSE;

  array = json_array_new ();
  for (guint i = 0; i < conversations->len; i++)
    json_array_add_object_element (array, conversation_to_json (g_ptr_array_index (conversations, i)));
  json_object_set_array_member (reply_body, "conversations", array);
  reply = cohort_message_new_ok (cohort_request_get_id (req), reply_body);
  _cohort_server_send_message (conn, reply);

  return TRUE;
}

static gboolean
handle_conversation_delete (CohortService  *service,
                            CohortRequest  *req,
                            GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortAiService *self = COHORT_AI_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  g_autoptr(CohortAiConversationRecord) conversation = NULL;
  g_autoptr(JsonObject) reply_body = NULL;
  g_autoptr(GError) local_error = NULL;
  Stream *stream;

  conversation = own_conversation (store, json_object_get_int_member (body, "conversation_id"),
                                   cohort_connection_get_class_id (conn), participant_id,
                                   &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (conversation == NULL)
    {
      cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "conversation_id",
                            _("That conversation is no longer there."));
      return TRUE;
    }

  if (!cohort_request_begin (req, error) ||
      !cohort_store_ai_delete_conversation (store, conversation->id, error))
    return FALSE;

  reply_body = json_object_new ();
  json_object_set_int_member (reply_body, "conversation_id", conversation->id);
  if (!cohort_request_finish (req, g_steal_pointer (&reply_body)))
    return TRUE;

  /* An answer still streaming into it would bring it back: it ends. */
  stream = g_hash_table_lookup (self->streams, &participant_id);
  if (stream != NULL && stream->conversation_id == conversation->id)
    stream_fail (self, stream, COHORT_ERROR_NOT_FOUND,
                 _("The conversation was deleted, so the answer was stopped."));

  return TRUE;
}

static void
stop_class_streams (CohortAiService *self,
                    gint64           class_id,
                    CohortErrorCode  code,
                    const char      *message)
{
  GHashTableIter iter;
  Stream *stream;
  g_autoptr(GPtrArray) victims = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    if (stream->class_id == class_id)
      g_ptr_array_add (victims, stream);

  for (guint i = 0; i < victims->len; i++)
    stream_fail (self, g_ptr_array_index (victims, i), code, message);
}

static gboolean
handle_policy_set (CohortService  *service,
                   CohortRequest  *req,
                   GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortAiService *self = COHORT_AI_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  g_autoptr(CohortAiPolicyRecord) policy = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonObject) reply_body = json_object_new ();

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req,
                                _("Only the teacher can change the helper’s settings."));
      return TRUE;
    }

  /* The teacher can lower the server's per-student quota, not raise it. */
  if (self->config != NULL && self->config->max_per_student_per_day > 0 &&
      json_object_has_member (body, "daily_quota") &&
      json_object_get_int_member (body, "daily_quota") > self->config->max_per_student_per_day)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "This server allows at most %u question per student per day.",
                                      "This server allows at most %u questions per student per day.",
                                      self->config->max_per_student_per_day),
                         self->config->max_per_student_per_day);

      cohort_request_error (req, COHORT_ERROR_INVALID,
                            COHORT_INVALID_OUT_OF_RANGE, "daily_quota", message);
      return TRUE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;

  if (!(policy = load_policy (self, class_id, error)))
    return FALSE;

  g_free (policy->mode);
  policy->mode = g_strdup (json_object_get_string_member (body, "mode"));
  if (json_object_has_member (body, "topic"))
    {
      g_free (policy->topic);
      policy->topic = g_strdup (json_object_get_string_member (body, "topic"));
    }
  if (json_object_has_member (body, "notes"))
    {
      g_free (policy->notes);
      policy->notes = g_strdup (json_object_get_string_member (body, "notes"));
    }
  if (json_object_has_member (body, "daily_quota"))
    policy->daily_quota = json_object_get_int_member (body, "daily_quota");
  if (json_object_has_member (body, "nudges"))
    policy->nudges = json_object_get_boolean_member (body, "nudges");
  if (json_object_has_member (body, "answer_key"))
    {
      g_free (policy->answer_key);
      policy->answer_key = g_strdup (json_object_get_string_member (body, "answer_key"));
    }

  pending = _cohort_server_pending_new ();
  if (!cohort_store_ai_set_policy (store, class_id, policy, error) ||
      !_cohort_server_emit_event (server, pending, class_id, COHORT_EV_AI_POLICY,
                                  policy_to_json (self, policy, FALSE), error))
    return FALSE;

  json_object_set_object_member (reply_body, "policy", policy_to_json (self, policy, TRUE));
  if (!_cohort_server_finish_request (server, conn, request, g_steal_pointer (&reply_body), pending))
    return TRUE;

  if (g_str_equal (policy->mode, COHORT_AI_MODE_OFF))
    stop_class_streams (self, class_id, COHORT_ERROR_AI_DISABLED,
                        _("Your teacher has turned the helper off for this class."));

  return TRUE;
}

static gboolean
handle_topics (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(GPtrArray) topics = NULL;
  g_autoptr(JsonObject) reply_body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonArray *array;

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req,
                                _("Only the teacher can see what the class asks about."));
      return TRUE;
    }

  topics = cohort_store_ai_list_topics (store, cohort_connection_get_class_id (conn),
                                        TOPICS_SHOWN, error);
  if (topics == NULL)
    return FALSE;

  array = json_array_new ();
  for (guint i = 0; i < topics->len; i++)
    {
      CohortAiTopicRecord *record = g_ptr_array_index (topics, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "word", record->word);
      json_object_set_int_member (object, "count", record->count);
      json_array_add_object_element (array, object);
    }

  json_object_set_array_member (reply_body, "topics", array);
  reply = cohort_message_new_ok (cohort_request_get_id (req), reply_body);
  _cohort_server_send_message (conn, reply);

  return TRUE;
}

/* Nudges: the helper speaks first between lessons */

/* The student's streak from their check-ins in the class, as of today in
 * @tz; *@out_today: whether today counted. */
static gboolean
student_streak (CohortStore  *store,
                gint64        class_id,
                gint64        participant_id,
                const char   *tz,
                gint64        now,
                guint        *out_streak,
                gboolean     *out_today,
                char        **out_last_tz,
                GError      **error)
{
  g_autoptr(GPtrArray) checkins = cohort_store_groups_list_checkins (store, class_id, 0, error);
  CohortStreak streak;
  guint32 today = 0;

  if (checkins == NULL)
    return FALSE;

  cohort_streak_init (&streak);
  for (guint i = 0; i < checkins->len; i++)
    {
      CohortCheckinRecord *checkin = g_ptr_array_index (checkins, i);
      guint32 day;

      if (checkin->participant_id != participant_id ||
          !cohort_streak_local_day (checkin->at, checkin->tz, &day, NULL))
        continue;
      cohort_streak_check_in (&streak, day);
      g_free (*out_last_tz);
      *out_last_tz = g_strdup (checkin->tz);
    }
  if (!cohort_streak_local_day (now, tz != NULL ? tz : "UTC", &today, NULL))
    cohort_streak_local_day (now, "UTC", &today, NULL);
  *out_streak = cohort_streak_length_on (&streak, today);
  *out_today = streak.last_day >= today && streak.last_day > 0;
  cohort_streak_clear (&streak);
  return TRUE;
}

/* Fixed templates: the words of a nudge when no model writes them (none
 * configured, or it failed), from the student's own data only. */
static char *
nudge_text (CohortAiNudgeKind  kind,
            guint              streak,
            const char        *lesson_title,
            const char        *point_name)
{
  switch (kind)
    {
    case COHORT_AI_NUDGE_STREAK:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Your %u-day streak ends tonight. A short check-in keeps it going: what did you study today?",
                                           "Your %u-day streak ends tonight. A short check-in keeps it going: what did you study today?",
                                           streak), streak);
    case COHORT_AI_NUDGE_LESSON:
      return g_strdup_printf (_("Hi! “%s” is tomorrow. Ten minutes with your notes from last time will make it easier. Want me to quiz you on them?"),
                              lesson_title);
    case COHORT_AI_NUDGE_MILESTONE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u day in a row: well done! Keep it up.",
                                           "%u days in a row: well done! Keep it up.",
                                           streak), streak);
    case COHORT_AI_NUDGE_PRACTICE:
      return g_strdup_printf (_("“%s” is still tricky in your practice. Five questions on it today would make a real difference. Shall we try?"),
                              point_name);
    case COHORT_AI_NUDGE_NONE:
    default:
      return NULL;
    }
}

/* What the student's own data says to nudge about now. */
typedef struct
{
  gboolean           allowed;       /* the teacher's switch and the student's opt-in */
  CohortAiNudgeKind  kind;
  guint              streak;
  char              *class_title;
  char              *lesson_title;
  char              *point_name;
} NudgeFacts;

static void
nudge_facts_clear (NudgeFacts *facts)
{
  g_clear_pointer (&facts->class_title, g_free);
  g_clear_pointer (&facts->lesson_title, g_free);
  g_clear_pointer (&facts->point_name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NudgeFacts, nudge_facts_clear)

static gboolean
decide_nudge (CohortAiService  *self,
              gint64            class_id,
              gint64            participant_id,
              NudgeFacts       *facts,
              GError          **error)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(CohortAiPolicyRecord) policy = NULL;
  g_autoptr(CohortScheduleOccurrenceRecord) lesson = NULL;
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *tz = NULL;
  g_autofree char *checkin_tz = NULL;
  CohortAiNudgeInput input = { 0 };
  gboolean enabled;

  facts->kind = COHORT_AI_NUDGE_NONE;
  if (!(policy = load_policy (self, class_id, error)) ||
      !cohort_store_ai_get_nudge_prefs (store, participant_id, &enabled, &tz, error))
    return FALSE;
  facts->allowed = policy->nudges && enabled;
  if (!facts->allowed)
    return TRUE;

  input.now = g_get_real_time () / 1000;
  if (!student_streak (store, class_id, participant_id, tz != NULL && *tz != '\0' ? tz : NULL,
                       input.now, &input.streak, &input.checked_in_today, &checkin_tz, error) ||
      !cohort_store_ai_nudge_state (store, participant_id, &input.last_sent,
                                    &input.unopened_in_row, error))
    return FALSE;
  /* The zone the student set, else their last check-in's. */
  input.tz = tz != NULL && *tz != '\0' ? tz : checkin_tz;
  lesson = cohort_store_schedule_next (store, class_id, input.now, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  input.next_lesson = lesson != NULL ? lesson->start_ms : 0;
  facts->kind = cohort_ai_nudge_decide (&input);

  /* The practice's weak point comes last in line, so it is read only
   * when nothing before it holds. */
  if (facts->kind == COHORT_AI_NUDGE_NONE && self->weak_point != NULL)
    {
      facts->point_name = self->weak_point (self->server, class_id, participant_id,
                                            self->weak_point_data, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      input.weak_point = facts->point_name != NULL;
      facts->kind = cohort_ai_nudge_decide (&input);
    }
  if (facts->kind == COHORT_AI_NUDGE_NONE)
    return TRUE;

  if (!(klass = cohort_store_get_class (store, class_id, error)))
    return FALSE;
  facts->class_title = g_strdup (klass->title);
  facts->streak = input.streak;
  facts->lesson_title = g_strdup (lesson != NULL ? lesson->title : "");
  return TRUE;
}

static JsonObject *
nudge_to_json (gint64      id,
               const char *kind,
               const char *text,
               gint64      sent_at)
{
  JsonObject *nudge = json_object_new ();

  json_object_set_int_member (nudge, "id", id);
  json_object_set_string_member (nudge, "kind", kind);
  json_object_set_string_member (nudge, "text", text);
  json_object_set_int_member (nudge, "sent_at", sent_at);
  return nudge;
}

/* The student's newest nudge of the last 24 hours, with "opened"; NULL
 * when there is none (or on error, in @error). */
static JsonObject *
latest_nudge (CohortAiService  *self,
              gint64            class_id,
              gint64            participant_id,
              GError          **error)
{
  g_autoptr(CohortAiNudgeRecord) latest = NULL;
  JsonObject *nudge;

  latest = cohort_store_ai_latest_nudge (_cohort_server_get_store (self->server), class_id, participant_id,
                                         g_get_real_time () / 1000 - NUDGE_SHOWN_MS, error);
  if (latest == NULL)
    return NULL;
  nudge = nudge_to_json (latest->id, latest->kind, latest->text, latest->sent_at);
  json_object_set_boolean_member (nudge, "opened", latest->opened_at > 0);
  return nudge;
}

/* Stored before it is sent: the one-a-day rule holds even when the reply
 * is lost. */
static JsonObject *
store_nudge (CohortAiService  *self,
             gint64            class_id,
             gint64            participant_id,
             CohortAiNudgeKind kind,
             const char       *text,
             GError          **error)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  gint64 now = g_get_real_time () / 1000;
  gint64 id;

  if (!cohort_store_begin (store, error))
    return NULL;
  if (!(id = cohort_store_ai_add_nudge (store, class_id, participant_id,
                                        cohort_ai_nudge_kind_name (kind), text, now, error)) ||
      !cohort_store_commit (store, error))
    {
      cohort_store_rollback (store);
      return NULL;
    }
  return nudge_to_json (id, cohort_ai_nudge_kind_name (kind), text, now);
}

/* A nudge the school's model is writing; who waits for it. */
typedef struct
{
  CohortAiService  *service;
  gint64            class_id;
  gint64            participant_id;
  CohortAiNudgeKind kind;
  char             *fallback;      /* the template, sent when the model fails */
  GString          *text;
  CohortAiUpstream *upstream;
  /* ai.nudge requests to answer: CohortConnection, CohortMessage pairs */
  GPtrArray        *waiters;
} NudgeJob;

/* A model's nudge longer than this is not read further: it is refused. */
#define NUDGE_MAX_BYTES 4096

static void
nudge_job_free (NudgeJob *job)
{
  if (job->upstream != NULL)
    {
      g_signal_handlers_disconnect_by_data (job->upstream, job);
      cohort_ai_upstream_cancel (job->upstream);
      g_clear_object (&job->upstream);
    }
  g_free (job->fallback);
  g_string_free (job->text, TRUE);
  g_ptr_array_unref (job->waiters);
  g_free (job);
}

static void
waiter_free (gpointer data)
{
  gpointer *pair = data;

  g_object_unref (pair[0]);
  cohort_message_unref (pair[1]);
  g_free (pair);
}

static void
reply_nudge (CohortConnection *conn,
             CohortMessage    *request,
             JsonObject       *nudge)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  if (nudge != NULL)
    json_object_set_object_member (body, "nudge", json_object_ref (nudge));
  else
    json_object_set_null_member (body, "nudge");
  reply = cohort_message_new_ok (cohort_message_get_id (request), body);
  _cohort_server_send_message (conn, reply);
}

static void
on_nudge_delta (CohortAiUpstream *upstream,
                const char       *text,
                NudgeJob         *job)
{
  if (job->text->len < NUDGE_MAX_BYTES)
    g_string_append (job->text, text);
}

static void
on_nudge_finished (CohortAiUpstream *upstream,
                   const char       *finish_reason,
                   const GError     *error,
                   NudgeJob         *job)
{
  CohortAiService *self = job->service;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(JsonObject) nudge = NULL;
  g_autofree char *written = NULL;

  /* Only a whole answer that reads as one short message; anything else
   * (an error, a cut answer, too long) and the template goes instead. */
  if (error == NULL && g_strcmp0 (finish_reason, "length") != 0 &&
      g_strcmp0 (finish_reason, "cut_short") != 0)
    written = cohort_ai_prompt_clean_nudge (job->text->str);
  if (written == NULL)
    g_debug ("The model did not write a usable nudge (%s); the template goes instead",
             error != NULL ? error->message : finish_reason);

  nudge = store_nudge (self, job->class_id, job->participant_id, job->kind,
                       written != NULL ? written : job->fallback, &store_error);
  if (nudge == NULL)
    g_warning ("Could not store a nudge: %s", store_error->message);
  for (guint i = 0; i < job->waiters->len; i++)
    {
      gpointer *pair = g_ptr_array_index (job->waiters, i);

      reply_nudge (pair[0], pair[1], nudge);
    }
  g_hash_table_remove (self->nudge_jobs, &job->participant_id);
}

static void
wait_for_nudge (NudgeJob         *job,
                CohortConnection *conn,
                CohortMessage    *request)
{
  gpointer *pair = g_new (gpointer, 2);

  pair[0] = g_object_ref (conn);
  pair[1] = cohort_message_ref (request);
  g_ptr_array_add (job->waiters, pair);
}

/* Starts the nudge @facts call for: written by the school's model when
 * there is one (*@out_nudge NULL; the job stores it and answers @conn's
 * @request, if any, when the model is done), else the template, stored
 * at once and returned in *@out_nudge. */
static gboolean
start_nudge (CohortAiService   *self,
             gint64             class_id,
             gint64             participant_id,
             const NudgeFacts  *facts,
             CohortConnection  *conn,
             CohortMessage     *request,
             JsonObject       **out_nudge,
             GError           **error)
{
  g_autofree char *fallback = nudge_text (facts->kind, facts->streak, facts->lesson_title,
                                          facts->point_name);
  g_autofree char *system = NULL;
  g_autofree char *user = NULL;
  g_autoptr(JsonArray) messages = NULL;
  NudgeJob *job;
  CohortAiNudgePromptInput input = {
    .class_title = facts->class_title,
    .kind = facts->kind,
    .streak = facts->streak,
    .lesson_title = facts->lesson_title,
    .point_name = facts->point_name,
    .example = fallback,
  };

  /* The school's key is spent only on classes staff started. */
  *out_nudge = NULL;
  if (self->config == NULL || !_cohort_identity_class_has_staff (self->server, class_id))
    return (*out_nudge = store_nudge (self, class_id, participant_id, facts->kind, fallback,
                                      error)) != NULL;

  cohort_ai_prompt_nudge (&input, &system, &user);
  messages = json_array_new ();
  json_array_add_object_element (messages, chat_message ("system", system));
  json_array_add_object_element (messages, chat_message ("user", user));

  job = g_new0 (NudgeJob, 1);
  job->service = self;
  job->class_id = class_id;
  job->participant_id = participant_id;
  job->kind = facts->kind;
  job->fallback = g_steal_pointer (&fallback);
  job->text = g_string_new (NULL);
  job->waiters = g_ptr_array_new_with_free_func (waiter_free);
  if (conn != NULL)
    wait_for_nudge (job, conn, request);
  job->upstream = cohort_ai_upstream_new (self->soup, self->config);
  g_signal_connect (job->upstream, "delta", G_CALLBACK (on_nudge_delta), job);
  g_signal_connect (job->upstream, "finished", G_CALLBACK (on_nudge_finished), job);
  g_hash_table_insert (self->nudge_jobs, &job->participant_id, job);
  cohort_ai_upstream_start (job->upstream, messages);
  return TRUE;
}


static gboolean
require_student (CohortRequest *req)
{
  if (!cohort_connection_is_teacher (cohort_request_get_connection (req)))
    return TRUE;
  cohort_request_forbidden (req, _("Reminders from the helper are for students."));
  return FALSE;
}

static gboolean
handle_nudges_set (CohortService  *service,
                   CohortRequest  *req,
                   GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  const char *tz = json_object_has_member (body, "tz") ? json_object_get_string_member (body, "tz") : NULL;
  gboolean enabled = json_object_get_boolean_member (body, "enabled");
  g_autoptr(JsonObject) reply_body = NULL;

  if (!require_student (req))
    return TRUE;
  /* Quiet hours are the student's: the zone must be one the server knows. */
  if (tz != NULL && !cohort_streak_tz_is_valid (tz))
    {
      cohort_request_error (req, COHORT_ERROR_INVALID, COHORT_INVALID_BAD_TEXT, "tz",
                            _("That time zone is unknown. Choose a zone such as Asia/Shanghai."));
      return TRUE;
    }

  if (!cohort_request_begin (req, error) ||
      !cohort_store_ai_set_nudge_prefs (store, cohort_connection_get_class_id (conn),
                                        cohort_connection_get_participant_id (conn), enabled, tz, error))
    return FALSE;

  reply_body = json_object_new ();
  json_object_set_boolean_member (reply_body, "enabled", enabled);
  cohort_request_finish (req, g_steal_pointer (&reply_body));
  return TRUE;
}

static gboolean
handle_nudge (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortAiService *self = COHORT_AI_SERVICE (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  g_auto(NudgeFacts) facts = { 0 };
  g_autoptr(JsonObject) nudge = NULL;
  NudgeJob *job;

  if (!require_student (req))
    return TRUE;

  /* Being written already (a second window, or the home's poll): this
   * request gets the same nudge when it is done. */
  if ((job = g_hash_table_lookup (self->nudge_jobs, &participant_id)) != NULL)
    {
      wait_for_nudge (job, conn, cohort_request_get_message (req));
      return TRUE;
    }

  if (!decide_nudge (self, class_id, participant_id, &facts, error))
    return FALSE;
  if (facts.kind != COHORT_AI_NUDGE_NONE)
    {
      if (!start_nudge (self, class_id, participant_id, &facts, conn, cohort_request_get_message (req),
                        &nudge, error))
        return FALSE;
      /* The model writes it: the job answers. */
      if (nudge == NULL)
        return TRUE;
    }
  else if (facts.allowed)
    {
      g_autoptr(GError) local_error = NULL;

      /* None due: the one already sent (say, shown on the home) stays in
       * the pane until the student opens it. */
      nudge = latest_nudge (self, class_id, participant_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (nudge != NULL && json_object_get_boolean_member (nudge, "opened"))
        g_clear_pointer (&nudge, json_object_unref);
    }

  reply_nudge (conn, cohort_request_get_message (req), nudge);
  return TRUE;
}

static gboolean
handle_nudge_opened (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(JsonObject) reply_body = NULL;
  gint64 changed;

  if (!require_student (req))
    return TRUE;
  if (!cohort_request_begin (req, error))
    return FALSE;
  changed = cohort_store_ai_open_nudge (store, cohort_connection_get_participant_id (conn),
                                       json_object_get_int_member (body, "nudge_id"),
                                       g_get_real_time () / 1000, error);
  if (changed < 0)
    return FALSE;

  reply_body = json_object_new ();
  json_object_set_boolean_member (reply_body, "opened", changed > 0);
  cohort_request_finish (req, g_steal_pointer (&reply_body));
  return TRUE;
}

#define NUDGE_STATS_DAYS 30
/* A student "came back" after a nudge when, within this many hours of
 * it, they opened the class (a join or resume of its window), asked the
 * helper or answered a practice question. */
#define NUDGE_CAME_BACK_HOURS 24

static gboolean
handle_nudges_stats (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(JsonObject) reply_body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  gint64 sent, opened, came_back;

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only the teacher can see how the helper’s reminders do."));
      return TRUE;
    }
  /* Counts only: never which student got what. */
  if (!cohort_store_ai_count_nudges (cohort_service_get_store (service), cohort_connection_get_class_id (conn),
                                     g_get_real_time () / 1000 - (gint64) NUDGE_STATS_DAYS * 86400000,
                                     &sent, &opened, &came_back, error))
    return FALSE;

  json_object_set_int_member (reply_body, "days", NUDGE_STATS_DAYS);
  json_object_set_int_member (reply_body, "sent", sent);
  json_object_set_int_member (reply_body, "opened", opened);
  json_object_set_int_member (reply_body, "came_back", came_back);
  json_object_set_int_member (reply_body, "came_back_hours", NUDGE_CAME_BACK_HOURS);
  reply = cohort_message_new_ok (cohort_request_get_id (req), reply_body);
  _cohort_server_send_message (conn, reply);
  return TRUE;
}

/* Signals */

/* The helper's state for one connection: the welcome's "ai" member, also
 * in every ai.history reply (a window opened after the join asks for it). */
static JsonObject *
state_for (CohortAiService   *self,
           CohortConnection  *conn,
           GError           **error)
{
  g_autoptr(CohortAiPolicyRecord) policy = NULL;
  gint64 class_id = cohort_connection_get_class_id (conn);
  JsonObject *ai;
  gint64 used;

  policy = load_policy (self, class_id, error);
  if (policy == NULL)
    return NULL;

  used = cohort_store_ai_count_questions (_cohort_server_get_store (self->server), class_id,
                                          cohort_connection_get_participant_id (conn),
                                          start_of_today_ms (), error);
  if (used < 0)
    return NULL;

  ai = policy_to_json (self, policy, cohort_connection_is_teacher (conn));
  json_object_set_boolean_member (ai, "configured", self->config != NULL);
  json_object_set_int_member (ai, "max_daily_quota",
                              self->config != NULL ? self->config->max_per_student_per_day : 0);
  json_object_set_int_member (ai, "used_today", used);
  json_object_set_boolean_member (ai, "quiz_lock", quiz_locked (self, class_id));

  if (!cohort_connection_is_teacher (conn))
    {
      g_autofree char *tz = NULL;
      gboolean enabled;

      if (!cohort_store_ai_get_nudge_prefs (_cohort_server_get_store (self->server),
                                            cohort_connection_get_participant_id (conn),
                                            &enabled, &tz, error))
        {
          json_object_unref (ai);
          return NULL;
        }
      json_object_set_boolean_member (ai, "nudges_enabled", enabled);
    }

  return ai;
}

static void
cohort_ai_service_welcome (CohortService    *service,
                           CohortConnection *conn,
                           JsonObject       *body)
{
  CohortAiService *self = COHORT_AI_SERVICE (service);
  g_autoptr(GError) error = NULL;
  JsonObject *ai = state_for (self, conn, &error);

  if (ai == NULL)
    {
      g_warning ("Could not read the helper's state: %s", error->message);
      return;
    }
  json_object_set_object_member (body, "ai", ai);

  if (!cohort_connection_is_teacher (conn) &&
      !cohort_ai_service_came_back (self, cohort_connection_get_class_id (conn),
                                    cohort_connection_get_participant_id (conn), &error))
    g_warning ("Could not note a student's return after a nudge: %s", error->message);
}

static void
cohort_ai_service_connection_left (CohortService    *service,
                                   CohortConnection *conn)
{
  CohortAiService *self = COHORT_AI_SERVICE (service);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  Stream *stream = g_hash_table_lookup (self->streams, &participant_id);
  NudgeJob *job = g_hash_table_lookup (self->nudge_jobs, &participant_id);

  /* A nudge being written is stored all the same (the home shows it);
   * only the answer to this connection is dropped. */
  if (job != NULL)
    for (guint i = job->waiters->len; i > 0; i--)
      if (((gpointer *) g_ptr_array_index (job->waiters, i - 1))[0] == (gpointer) conn)
        g_ptr_array_remove_index (job->waiters, i - 1);

  /* Nobody is listening: stop generating. A resend after the reconnect
   * asks again. */
  if (stream != NULL && stream->conn == conn)
    {
      g_hash_table_steal (self->streams, &participant_id);
      stream_free (stream);
    }
}

static void
cohort_ai_service_dispose (GObject *object)
{
  CohortAiService *self = COHORT_AI_SERVICE (object);

  if (self->streams != NULL)
    g_hash_table_remove_all (self->streams);
  if (self->nudge_jobs != NULL)
    g_hash_table_remove_all (self->nudge_jobs);

  G_OBJECT_CLASS (cohort_ai_service_parent_class)->dispose (object);
}

static void
cohort_ai_service_finalize (GObject *object)
{
  CohortAiService *self = COHORT_AI_SERVICE (object);

  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->nudge_jobs, g_hash_table_unref);
  g_clear_pointer (&self->recent, g_hash_table_unref);
  g_clear_pointer (&self->class_recent, g_hash_table_unref);
  g_clear_pointer (&self->server_recent, g_array_unref);
  g_clear_pointer (&self->locked_classes, g_hash_table_unref);
  g_clear_pointer (&self->config, cohort_ai_config_free);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (cohort_ai_service_parent_class)->finalize (object);
}

static void
cohort_ai_service_class_init (CohortAiServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_ai_service_dispose;
  COHORT_SERVICE_CLASS (klass)->welcome = cohort_ai_service_welcome;
  COHORT_SERVICE_CLASS (klass)->connection_left = cohort_ai_service_connection_left;
  G_OBJECT_CLASS (klass)->finalize = cohort_ai_service_finalize;
}

static void
cohort_ai_service_init (CohortAiService *self)
{
  self->streams = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) stream_free);
  self->nudge_jobs = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                            (GDestroyNotify) nudge_job_free);
  self->recent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        (GDestroyNotify) g_array_unref);
  self->class_recent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) g_array_unref);
  self->server_recent = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->locked_classes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  /* Timeouts are ours (CohortAiUpstream); libsoup's would cut slow streams. */
  self->soup = soup_session_new_with_options ("timeout", 0, "idle-timeout", 60,
                                              "max-conns-per-host", 512, "max-conns", 1024,
                                              "user-agent", "cohort-server/" PACKAGE_VERSION,
                                              NULL);
}

void
cohort_ai_service_configure (CohortServer         *server,
                             const CohortAiConfig *config)
{
  CohortAiService *self = get_service (server);

  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->config, cohort_ai_config_free);
  if (config != NULL)
    {
      self->config = cohort_ai_config_copy (config);
      g_message ("AI helper: %s, model %s%s", config->base_url, config->model,
                 config->api_key != NULL ? ", with an API key" : "");
    }
}

void
cohort_ai_service_set_quiz_lock_func (CohortAiService      *self,
                                      CohortAiQuizLockFunc  func,
                                      gpointer              user_data)
{
  g_return_if_fail (COHORT_IS_AI_SERVICE (self));

  self->quiz_lock = func;
  self->quiz_lock_data = user_data;
}

void
cohort_ai_service_set_weak_point_func (CohortAiService       *self,
                                       CohortAiWeakPointFunc  func,
                                       gpointer               user_data)
{
  g_return_if_fail (COHORT_IS_AI_SERVICE (self));

  self->weak_point = func;
  self->weak_point_data = user_data;
}

gboolean
cohort_ai_service_came_back (CohortAiService  *self,
                             gint64            class_id,
                             gint64            participant_id,
                             GError          **error)
{
  g_return_val_if_fail (COHORT_IS_AI_SERVICE (self), FALSE);

  return cohort_store_ai_nudges_came_back (_cohort_server_get_store (self->server), class_id,
                                           participant_id, g_get_real_time () / 1000,
                                           (gint64) NUDGE_CAME_BACK_HOURS * 3600 * 1000, error);
}

JsonObject *
cohort_ai_service_home_nudge (CohortServer *server,
                              gint64        class_id,
                              gint64        participant_id,
                              gpointer      user_data)
{
  CohortAiService *self = COHORT_AI_SERVICE (user_data);
  g_auto(NudgeFacts) facts = { 0 };
  g_autoptr(JsonObject) started = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *nudge;

  /* Decided here as for ai.nudge, unless the model is still writing one. */
  if (g_hash_table_lookup (self->nudge_jobs, &participant_id) == NULL)
    {
      if (!decide_nudge (self, class_id, participant_id, &facts, &error) ||
          (facts.kind != COHORT_AI_NUDGE_NONE &&
           !start_nudge (self, class_id, participant_id, &facts, NULL, NULL, &started, &error)))
        {
          g_warning ("Could not decide a nudge for the home: %s", error->message);
          return NULL;
        }
      if (!facts.allowed)
        return NULL;
    }

  /* The newest of the last day, so every poll shows it, saying whether
   * it was opened (the home shows it until then). */
  nudge = latest_nudge (self, class_id, participant_id, &error);
  if (nudge == NULL && error != NULL)
    g_warning ("Could not read a nudge for the home: %s", error->message);
  return nudge;
}

CohortAiService *
cohort_ai_service_new (CohortServer *server)
{
  CohortAiService *self = g_object_new (COHORT_TYPE_AI_SERVICE, "server", server, NULL);

  self->server = server;

  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_ASK, handle_ask);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_STOP, handle_stop);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_HISTORY, handle_history);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_POLICY_SET, handle_policy_set);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_TOPICS, handle_topics);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_CONVERSATIONS,
                              handle_conversations);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_CONVERSATION_DELETE,
                              handle_conversation_delete);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_NUDGES_SET, handle_nudges_set);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_NUDGE, handle_nudge);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_NUDGE_OPENED, handle_nudge_opened);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_AI_NUDGES_STATS, handle_nudges_stats);

  return self;
}
