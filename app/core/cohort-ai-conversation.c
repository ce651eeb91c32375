/* cohort-ai-conversation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-array-model-private.h"
#include "cohort-ai-conversation.h"
#include "cohort-ai-conversation-item.h"
#include "cohort-ai-protocol.h"
#include "cohort-enums.h"
#include "cohort-json-private.h"
#include "cohort-protocol.h"
#include "cohort-session-private.h"
#include "cohort-notify-private.h"

#define HISTORY_PAGE 20

struct _CohortAiConversation
{
  GObject                    parent_instance;

  CohortSession             *session;
  GPtrArray                 *messages;     /* CohortAiMessage */
  GCancellable              *cancellable;  /* cancelled on welcome and dispose */

  CohortAiConversationState  state;
  gboolean                   configured;
  char                      *mode;
  char                      *topic;
  char                      *notes;
  char                      *answer_key;
  gint64                     daily_quota;
  gint64                     max_daily_quota;
  gint64                     used_today;
  char                      *error_code;
  char                      *error_message;
  gboolean                   has_more_history;
  gint64                     oldest_exchange;
  gboolean                   loading_history;

  /* The open conversation: its id (0: a new one, stored with its first
   * answer), title, and whether the next question starts a new one
   * (FALSE with id 0: the server's latest, for a class just joined). */
  gint64                     conversation_id;
  char                      *title;
  gboolean                   fresh;
  GListStore                *conversations; /* CohortAiConversationItem */

  /* Nudges: the class's switch, the student's opt-in, the nudge shown
   * (0: none), and whether this welcome's was asked for. */
  gboolean                   nudges;
  gboolean                   nudges_enabled;
  gint64                     nudge_id;
  char                      *nudge_text;
  gboolean                   nudge_checked;

  /* The server's quiz lock (welcome, ai.history, ai.lock). */
  gboolean                   quiz_locked;

  /* The question being answered */
  char                      *request_id;
  CohortAiMessage           *answer;
  CohortAiMessage           *question;
  char                      *last_question;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortAiConversation, cohort_ai_conversation, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_AI_MESSAGE,
                                                              G_STRUCT_OFFSET (CohortAiConversation, messages)))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_STATE,
  PROP_CONFIGURED,
  PROP_MODE,
  PROP_TOPIC,
  PROP_NOTES,
  PROP_DAILY_QUOTA,
  PROP_MAX_DAILY_QUOTA,
  PROP_USED_TODAY,
  PROP_ERROR_CODE,
  PROP_ERROR_MESSAGE,
  PROP_HAS_MORE_HISTORY,
  PROP_CONVERSATION_ID,
  PROP_TITLE,
  PROP_NUDGES,
  PROP_NUDGES_ENABLED,
  PROP_NUDGE_TEXT,
  PROP_ANSWER_KEY,
  PROP_QUIZ_LOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NUDGE_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_boolean (CohortAiConversation *self,
             gboolean             *field,
             gboolean              value,
             GParamSpec           *pspec)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* State */

static void
set_state (CohortAiConversation      *self,
           CohortAiConversationState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (CohortAiConversation *self,
           const char           *code,
           const char           *message)
{
  _cohort_set_string (self, &self->error_code, code, properties[PROP_ERROR_CODE]);
  _cohort_set_string (self, &self->error_message, message, properties[PROP_ERROR_MESSAGE]);
}

static void
append_message (CohortAiConversation *self,
                CohortAiMessage      *message)
{
  g_ptr_array_add (self->messages, g_object_ref (message));
  g_list_model_items_changed (G_LIST_MODEL (self), self->messages->len - 1, 0, 1);
}

static void
remove_all (CohortAiConversation *self)
{
  guint n = self->messages->len;

  if (n == 0)
    return;
  g_ptr_array_set_size (self->messages, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

static CohortAiMessageState
state_for_finish (const char *finish)
{
  if (g_strcmp0 (finish, COHORT_AI_FINISH_STOPPED) == 0)
    return COHORT_AI_MESSAGE_STOPPED;
  if (g_strcmp0 (finish, COHORT_AI_FINISH_LENGTH) == 0)
    return COHORT_AI_MESSAGE_TRUNCATED;
  if (g_strcmp0 (finish, COHORT_AI_FINISH_CUT_SHORT) == 0)
    return COHORT_AI_MESSAGE_CUT_SHORT;
  return COHORT_AI_MESSAGE_DONE;
}

static gboolean
int_member (JsonObject *object,
            const char *name,
            gint64     *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static void
apply_policy (CohortAiConversation *self,
              JsonObject           *policy)
{
  const char *mode = _cohort_json_string (policy, "mode");
  gint64 quota;

  if (mode != NULL)
    _cohort_set_string (self, &self->mode, mode, properties[PROP_MODE]);
  if (_cohort_json_string (policy, "topic") != NULL)
    _cohort_set_string (self, &self->topic, _cohort_json_string (policy, "topic"), properties[PROP_TOPIC]);
  if (_cohort_json_string (policy, "notes") != NULL)
    _cohort_set_string (self, &self->notes, _cohort_json_string (policy, "notes"), properties[PROP_NOTES]);
  if (_cohort_json_string (policy, "answer_key") != NULL)
    _cohort_set_string (self, &self->answer_key, _cohort_json_string (policy, "answer_key"),
                        properties[PROP_ANSWER_KEY]);
  if (int_member (policy, "daily_quota", &quota))
    _cohort_set_int64 (self, &self->daily_quota, quota, properties[PROP_DAILY_QUOTA]);
  if (json_object_has_member (policy, "nudges"))
    set_boolean (self, &self->nudges, json_object_get_boolean_member (policy, "nudges"),
                 properties[PROP_NUDGES]);
}

/* The quiz is over: the answers it cut off show again. */
static void
release_withheld (CohortAiConversation *self)
{
  for (guint i = 0; i < self->messages->len; i++)
    cohort_ai_message_set_withheld (self->messages->pdata[i], FALSE);
}

static void
set_quiz_locked (CohortAiConversation *self,
                 gboolean              locked)
{
  set_boolean (self, &self->quiz_locked, locked, properties[PROP_QUIZ_LOCKED]);
  if (!locked)
    release_withheld (self);
}

/* The "ai" member of a welcome or an ai.history reply. */
static void
apply_state (CohortAiConversation *self,
             JsonObject           *ai)
{
  gboolean configured = ai != NULL && json_object_has_member (ai, "configured") &&
                        json_object_get_boolean_member (ai, "configured");
  gint64 used = 0;

  if (configured != self->configured)
    {
      self->configured = configured;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIGURED]);
    }

  if (ai == NULL)
    return;

  apply_policy (self, ai);
  if (int_member (ai, "used_today", &used))
    _cohort_set_int64 (self, &self->used_today, used, properties[PROP_USED_TODAY]);
  if (int_member (ai, "max_daily_quota", &used))
    _cohort_set_int64 (self, &self->max_daily_quota, used, properties[PROP_MAX_DAILY_QUOTA]);
  if (json_object_has_member (ai, "nudges_enabled"))
    set_boolean (self, &self->nudges_enabled, json_object_get_boolean_member (ai, "nudges_enabled"),
                 properties[PROP_NUDGES_ENABLED]);
  if (json_object_has_member (ai, "quiz_lock"))
    set_quiz_locked (self, json_object_get_boolean_member (ai, "quiz_lock"));
}

/* Conversations */

static void
set_conversation (CohortAiConversation *self,
                  gint64                id,
                  const char           *title)
{
  _cohort_set_int64 (self, &self->conversation_id, id, properties[PROP_CONVERSATION_ID]);
  _cohort_set_string (self, &self->title, title, properties[PROP_TITLE]);
}

/* The "conversation" member of an ai.history or ai.ask reply. */
static void
apply_conversation (CohortAiConversation *self,
                    JsonObject           *body)
{
  JsonNode *node = json_object_get_member (body, "conversation");
  JsonObject *conversation;
  gint64 id;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  conversation = json_node_get_object (node);
  if (!int_member (conversation, "id", &id))
    return;
  self->fresh = FALSE;
  set_conversation (self, id, _cohort_json_string (conversation, "title"));
}

/* History */

static void check_nudge (CohortAiConversation *self);

static void
on_history (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CohortAiConversation) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) older = NULL;
  JsonNode *node;
  JsonArray *exchanges;
  guint n;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading_history = FALSE;
  if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND))
    {
      /* Deleted on another device: what comes next is a new one. */
      self->fresh = TRUE;
      set_conversation (self, 0, NULL);
      return;
    }
  if (body == NULL)
    {
      g_debug ("Could not load the helper history: %s", error->message);
      return;
    }

  node = json_object_get_member (body, "ai");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    apply_state (self, json_node_get_object (node));
  apply_conversation (self, body);
  check_nudge (self);

  node = json_object_get_member (body, "exchanges");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  exchanges = json_node_get_array (node);
  n = json_array_get_length (exchanges);

  older = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (exchanges, i);
      JsonObject *exchange;
      const char *question, *answer;
      gint64 id = 0;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      exchange = json_node_get_object (element);
      question = _cohort_json_string (exchange, "question");
      answer = _cohort_json_string (exchange, "answer");
      if (question == NULL || answer == NULL || !int_member (exchange, "id", &id))
        continue;

      if (self->oldest_exchange == 0 || id < self->oldest_exchange)
        self->oldest_exchange = id;
      g_ptr_array_add (older, cohort_ai_message_new (COHORT_AI_ROLE_USER, question,
                                                     COHORT_AI_MESSAGE_DONE));
      cohort_ai_message_set_exchange_id (g_ptr_array_index (older, older->len - 1), id);
      g_ptr_array_add (older, cohort_ai_message_new (COHORT_AI_ROLE_ASSISTANT, answer,
                                                     state_for_finish (_cohort_json_string (exchange, "finish"))));
      cohort_ai_message_set_exchange_id (g_ptr_array_index (older, older->len - 1), id);
    }

  if (older->len > 0)
    {
      guint added = older->len;

      /* Older exchanges go before what is already shown. */
      for (guint i = 0; i < self->messages->len; i++)
        g_ptr_array_add (older, g_object_ref (g_ptr_array_index (self->messages, i)));
      g_ptr_array_unref (self->messages);
      self->messages = g_steal_pointer (&older);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, added);
    }

  {
    JsonNode *more = json_object_get_member (body, "has_more");
    gboolean has_more = more != NULL && JSON_NODE_HOLDS_VALUE (more) && json_node_get_boolean (more);

    if (has_more != self->has_more_history)
      {
        self->has_more_history = has_more;
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE_HISTORY]);
      }
  }
}

static void
load_history (CohortAiConversation *self,
              gint64                before)
{
  g_autoptr(JsonObject) body = json_object_new ();

  if (self->loading_history)
    return;
  self->loading_history = TRUE;

  json_object_set_int_member (body, "limit", HISTORY_PAGE);
  if (before > 0)
    json_object_set_int_member (body, "before", before);
  if (self->conversation_id > 0)
    json_object_set_int_member (body, "conversation_id", self->conversation_id);
  cohort_session_request_async (self->session, COHORT_REQ_AI_HISTORY, body, self->cancellable,
                                on_history, g_object_ref (self));
}

void
cohort_ai_conversation_load_more (CohortAiConversation *self)
{
  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  if (self->has_more_history && self->oldest_exchange > 0)
    load_history (self, self->oldest_exchange);
}

/* Session */

static void
on_welcome (CohortSession        *session,
            JsonObject           *body,
            CohortAiConversation *self)
{
  JsonNode *node = json_object_get_member (body, "ai");
  JsonObject *ai;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading_history = FALSE;
  self->oldest_exchange = 0;
  g_clear_pointer (&self->request_id, g_free);
  g_clear_object (&self->answer);
  self->nudge_checked = FALSE;
  remove_all (self);
  /* The open conversation comes back (new on a fresh join: id 0). */
  set_state (self, COHORT_AI_CONVERSATION_IDLE);
  set_error (self, NULL, NULL);

  ai = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  apply_state (self, ai);

  if (self->configured)
    load_history (self, 0);
}

static void
on_event (CohortSession        *session,
          const char           *event,
          JsonObject           *body,
          gint64                seq,
          CohortAiConversation *self)
{
  if (g_str_equal (event, COHORT_EV_AI_POLICY))
    apply_policy (self, body);
  else if (g_str_equal (event, COHORT_EV_AI_LOCK))
    set_quiz_locked (self, json_object_get_boolean_member (body, "locked"));
}

static void
on_progress (CohortSession        *session,
             const char           *re,
             JsonObject           *body,
             CohortAiConversation *self)
{
  const char *delta;

  if (self->request_id == NULL || g_strcmp0 (re, self->request_id) != 0 || self->answer == NULL ||
      cohort_ai_message_get_state (self->answer) != COHORT_AI_MESSAGE_STREAMING)
    return;

  /* Before the first token only: a late one is stale. */
  if (g_strcmp0 (_cohort_json_string (body, "phase"), COHORT_AI_PHASE_THINKING) == 0)
    {
      if (*cohort_ai_message_get_text (self->answer) == '\0')
        cohort_ai_message_set_thinking (self->answer, TRUE);
      return;
    }

  delta = _cohort_json_string (body, "delta");
  if (delta == NULL)
    return;

  if (json_object_has_member (body, "reset") && json_object_get_boolean_member (body, "reset"))
    cohort_ai_message_set_text (self->answer, delta);
  else
    cohort_ai_message_append (self->answer, delta);
}

/* Asking */

typedef struct
{
  CohortAiConversation *self;
  CohortAiMessage      *question;
  CohortAiMessage      *answer;
  char                 *request_id;
} AskData;

static void
ask_data_free (AskData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->answer);
  g_object_unref (data->question);
  g_free (data->request_id);
  g_free (data);
}

static void
on_asked (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AskData *data = user_data;
  CohortAiConversation *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  gboolean current;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  current = self->answer == data->answer;

  if (body != NULL)
    {
      JsonNode *node = json_object_get_member (body, "exchange");
      JsonObject *exchange = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *answer = _cohort_json_string (exchange, "answer");
      gint64 value;

      /* The stored answer is the authority (it also covers progress lost
       * to a reconnect). */
      if (answer != NULL)
        cohort_ai_message_set_text (data->answer, answer);
      if (int_member (exchange, "id", &value))
        {
          cohort_ai_message_set_exchange_id (data->answer, value);
          cohort_ai_message_set_exchange_id (data->question, value);
        }
      /* The conversation it went to, unless the student moved on. */
      if (current)
        apply_conversation (self, body);
      cohort_ai_message_set_state (data->answer, state_for_finish (_cohort_json_string (exchange, "finish")));
      if (int_member (body, "used_today", &value))
        _cohort_set_int64 (self, &self->used_today, value, properties[PROP_USED_TODAY]);
      if (int_member (body, "daily_quota", &value) && value > 0)
        _cohort_set_int64 (self, &self->daily_quota, value, properties[PROP_DAILY_QUOTA]);
      if (current)
        {
          set_error (self, NULL, NULL);
          set_state (self, COHORT_AI_CONVERSATION_IDLE);
        }
      /* The helper answered: no quiz holds it any more. */
      release_withheld (self);
    }
  else
    {
      const char *code = error->domain == COHORT_PROTOCOL_ERROR
                         ? cohort_error_code_to_string (error->code) : "network";
      const char *message = error->domain == COHORT_PROTOCOL_ERROR
                            ? error->message
                            : _("The helper could not be reached. Check your connection and try again.");

      cohort_ai_message_set_error_message (data->answer, message);
      /* A quiz started mid-answer: what came is not for reading during
       * the quiz. */
      if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_AI_QUIZ_LOCK) &&
          *cohort_ai_message_get_text (data->answer) != '\0')
        cohort_ai_message_set_withheld (data->answer, TRUE);
      cohort_ai_message_set_state (data->answer, COHORT_AI_MESSAGE_FAILED);
      if (current)
        {
          set_error (self, code, message);
          set_state (self, COHORT_AI_CONVERSATION_ERROR);
        }
    }

  if (current)
    {
      g_clear_pointer (&self->request_id, g_free);
      g_clear_object (&self->answer);
    }

  ask_data_free (data);
}

/* Asks @text in the open conversation; @replaces (an exchange id, 0:
 * none) is replaced by this exchange, with those after it. */
static gboolean
ask_full (CohortAiConversation *self,
          const char           *text,
          gint64                replaces)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(CohortAiMessage) question = NULL;
  g_autofree char *trimmed = NULL;
  AskData *data;

  if (self->state == COHORT_AI_CONVERSATION_STREAMING || text == NULL)
    return FALSE;

  trimmed = cohort_ai_normalize_multiline (text, 1, COHORT_AI_MAX_QUESTION_CHARS, NULL);
  if (trimmed == NULL)
    return FALSE;

  g_free (self->last_question);
  self->last_question = g_strdup (trimmed);

  question = cohort_ai_message_new (COHORT_AI_ROLE_USER, trimmed, COHORT_AI_MESSAGE_DONE);
  append_message (self, question);
  self->answer = cohort_ai_message_new (COHORT_AI_ROLE_ASSISTANT, NULL, COHORT_AI_MESSAGE_STREAMING);
  append_message (self, self->answer);

  set_error (self, NULL, NULL);
  set_state (self, COHORT_AI_CONVERSATION_STREAMING);

  body = json_object_new ();
  json_object_set_string_member (body, "text", trimmed);
  if (replaces > 0)
    json_object_set_int_member (body, "replaces", replaces);
  else if (self->conversation_id > 0)
    json_object_set_int_member (body, "conversation_id", self->conversation_id);
  else if (self->fresh)
    json_object_set_boolean_member (body, "new_conversation", TRUE);

  data = g_new0 (AskData, 1);
  data->self = g_object_ref (self);
  data->question = g_object_ref (question);
  data->answer = g_object_ref (self->answer);
  self->request_id = cohort_session_request_with_id_async (self->session, COHORT_REQ_AI_ASK, body,
                                                           NULL, on_asked, data);
  data->request_id = g_strdup (self->request_id);

  return TRUE;
}

gboolean
cohort_ai_conversation_ask (CohortAiConversation *self,
                            const char           *text)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);

  return ask_full (self, text, 0);
}

void
cohort_ai_conversation_stop (CohortAiConversation *self)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  if (self->state != COHORT_AI_CONVERSATION_STREAMING || self->request_id == NULL)
    return;

  body = json_object_new ();
  json_object_set_string_member (body, "request_id", self->request_id);
  cohort_session_request_async (self->session, COHORT_REQ_AI_STOP, body, NULL, NULL, NULL);

  /* Stopped for the student at once; the ask's reply brings the stored
   * partial answer. */
  if (self->answer != NULL)
    cohort_ai_message_set_state (self->answer, COHORT_AI_MESSAGE_STOPPED);
}

gboolean
cohort_ai_conversation_can_retry (CohortAiConversation *self)
{
  CohortAiMessage *last;

  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);

  if (self->state == COHORT_AI_CONVERSATION_STREAMING || self->last_question == NULL ||
      self->messages->len == 0)
    return FALSE;

  last = g_ptr_array_index (self->messages, self->messages->len - 1);
  return cohort_ai_message_get_role (last) == COHORT_AI_ROLE_ASSISTANT &&
         cohort_ai_message_get_state (last) != COHORT_AI_MESSAGE_DONE;
}

/* Drops the messages from @position on and asks @text in their place;
 * the server replaces the stored exchange too (its id: @replaces). */
static gboolean
replace_from (CohortAiConversation *self,
              guint                 position,
              const char           *text,
              gint64                replaces)
{
  g_autofree char *question = cohort_ai_normalize_multiline (text, 1, COHORT_AI_MAX_QUESTION_CHARS, NULL);
  guint n = self->messages->len;

  /* Checked before anything is dropped: nothing changes on refusal. */
  if (self->state == COHORT_AI_CONVERSATION_STREAMING || position >= n || question == NULL)
    return FALSE;

  g_ptr_array_remove_range (self->messages, position, n - position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, n - position, 0);

  return ask_full (self, question, replaces);
}

static gboolean
find_message (CohortAiConversation *self,
              CohortAiMessage      *message,
              guint                *out_position)
{
  return g_ptr_array_find (self->messages, message, out_position);
}

gboolean
cohort_ai_conversation_retry (CohortAiConversation *self)
{
  CohortAiMessage *last;

  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);

  if (!cohort_ai_conversation_can_retry (self))
    return FALSE;

  last = g_ptr_array_index (self->messages, self->messages->len - 1);
  return cohort_ai_conversation_regenerate (self, last);
}

gboolean
cohort_ai_conversation_regenerate (CohortAiConversation *self,
                                   CohortAiMessage      *answer)
{
  CohortAiMessage *question;
  guint position;

  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (answer), FALSE);

  if (!find_message (self, answer, &position) || position == 0 ||
      cohort_ai_message_get_role (answer) != COHORT_AI_ROLE_ASSISTANT)
    return FALSE;
  question = g_ptr_array_index (self->messages, position - 1);

  /* A failed answer was never stored: there is nothing to replace. */
  return replace_from (self, position - 1, cohort_ai_message_get_text (question),
                       cohort_ai_message_get_exchange_id (answer));
}

gboolean
cohort_ai_conversation_edit (CohortAiConversation *self,
                             CohortAiMessage      *question,
                             const char           *text)
{
  guint position;

  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (question), FALSE);

  if (text == NULL || !find_message (self, question, &position) ||
      cohort_ai_message_get_role (question) != COHORT_AI_ROLE_USER)
    return FALSE;

  return replace_from (self, position, text, cohort_ai_message_get_exchange_id (question));
}

static void
clear_open (CohortAiConversation *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading_history = FALSE;
  self->oldest_exchange = 0;
  if (self->has_more_history)
    {
      self->has_more_history = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE_HISTORY]);
    }
  g_clear_pointer (&self->last_question, g_free);
  remove_all (self);
  set_error (self, NULL, NULL);
  set_state (self, COHORT_AI_CONVERSATION_IDLE);
}

gboolean
cohort_ai_conversation_start_new (CohortAiConversation *self)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);

  if (self->state == COHORT_AI_CONVERSATION_STREAMING)
    return FALSE;

  clear_open (self);
  self->fresh = TRUE;
  set_conversation (self, 0, NULL);
  return TRUE;
}

gboolean
cohort_ai_conversation_open (CohortAiConversation *self,
                             gint64                conversation_id)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);
  g_return_val_if_fail (conversation_id > 0, FALSE);

  if (self->state == COHORT_AI_CONVERSATION_STREAMING)
    return FALSE;

  clear_open (self);
  self->fresh = FALSE;
  set_conversation (self, conversation_id, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->conversations)); i++)
    {
      g_autoptr(CohortAiConversationItem) item = g_list_model_get_item (G_LIST_MODEL (self->conversations), i);

      if (cohort_ai_conversation_item_get_id (item) == conversation_id)
        set_conversation (self, conversation_id, cohort_ai_conversation_item_get_title (item));
    }
  load_history (self, 0);
  return TRUE;
}

GListModel *
cohort_ai_conversation_get_conversations (CohortAiConversation *self)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), NULL);

  return G_LIST_MODEL (self->conversations);
}

static void
on_conversations (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortAiConversation *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *node;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node = json_object_get_member (body, "conversations");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          gint64 id = 0, updated_at = 0, n = 0;

          if (object == NULL || !int_member (object, "id", &id) || id <= 0)
            continue;
          int_member (object, "updated_at", &updated_at);
          int_member (object, "exchanges", &n);
          g_ptr_array_add (items, cohort_ai_conversation_item_new (id, _cohort_json_string (object, "title"),
                                                                   updated_at, n));
        }
    }

  g_list_store_splice (self->conversations, 0, g_list_model_get_n_items (G_LIST_MODEL (self->conversations)),
                       items->pdata, items->len);
  g_task_return_boolean (task, TRUE);
}

void
cohort_ai_conversation_refresh_conversations_async (CohortAiConversation *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_ai_conversation_refresh_conversations_async);
  cohort_session_request_async (self->session, COHORT_REQ_AI_CONVERSATIONS, NULL, cancellable,
                                on_conversations, task);
}

gboolean
cohort_ai_conversation_refresh_conversations_finish (CohortAiConversation  *self,
                                                     GAsyncResult          *result,
                                                     GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortAiConversation *self = g_task_get_source_object (task);
  gint64 id = *(gint64 *) g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (body == NULL && !g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Gone (or already gone): from the list, and from the pane if open. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->conversations)); i++)
    {
      g_autoptr(CohortAiConversationItem) item = g_list_model_get_item (G_LIST_MODEL (self->conversations), i);

      if (cohort_ai_conversation_item_get_id (item) == id)
        {
          g_list_store_remove (self->conversations, i);
          break;
        }
    }
  if (self->conversation_id == id)
    {
      if (self->state == COHORT_AI_CONVERSATION_STREAMING)
        {
          g_clear_pointer (&self->request_id, g_free);
          g_clear_object (&self->answer);
          set_state (self, COHORT_AI_CONVERSATION_IDLE);
        }
      cohort_ai_conversation_start_new (self);
    }
  g_task_return_boolean (task, TRUE);
}

void
cohort_ai_conversation_delete_async (CohortAiConversation *self,
                                     gint64                conversation_id,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));
  g_return_if_fail (conversation_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_ai_conversation_delete_async);
  g_task_set_task_data (task, g_memdup2 (&conversation_id, sizeof conversation_id), g_free);
  json_object_set_int_member (body, "conversation_id", conversation_id);
  cohort_session_request_async (self->session, COHORT_REQ_AI_CONVERSATION_DELETE, body, cancellable,
                                on_deleted, task);
}

gboolean
cohort_ai_conversation_delete_finish (CohortAiConversation  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Nudges */

static void
set_nudge (CohortAiConversation *self,
           gint64                id,
           const char           *text)
{
  self->nudge_id = id;
  _cohort_set_string (self, &self->nudge_text, text, properties[PROP_NUDGE_TEXT]);
}

static void
on_nudge (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CohortAiConversation) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonNode *node;
  JsonObject *nudge;
  const char *text;
  gint64 id;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not ask for the helper's reminder: %s", error->message);
      return;
    }

  node = json_object_get_member (body, "nudge");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  nudge = json_node_get_object (node);
  text = _cohort_json_string (nudge, "text");
  if (text == NULL || !int_member (nudge, "id", &id) || id <= 0)
    return;

  set_nudge (self, id, text);
  g_signal_emit (self, signals[NUDGE_RECEIVED], 0, text);
}

/* Once a welcome, for a student who opted in, in a class that allows
 * it: the server decides whether there is anything to say (and keeps
 * it to one a day). */
static void
check_nudge (CohortAiConversation *self)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  if (self->nudge_checked || !self->nudges || !self->nudges_enabled || !self->configured ||
      me == NULL || cohort_participant_get_role (me) == COHORT_ROLE_TEACHER)
    return;
  self->nudge_checked = TRUE;
  cohort_session_request_async (self->session, COHORT_REQ_AI_NUDGE, NULL, self->cancellable,
                                on_nudge, g_object_ref (self));
}

void
cohort_ai_conversation_open_nudge (CohortAiConversation *self)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  if (self->nudge_id == 0)
    return;
  body = json_object_new ();
  json_object_set_int_member (body, "nudge_id", self->nudge_id);
  cohort_session_request_async (self->session, COHORT_REQ_AI_NUDGE_OPENED, body, NULL, NULL, NULL);
  set_nudge (self, 0, NULL);
}

static void
on_nudges_set (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortAiConversation *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (json_object_has_member (body, "enabled"))
    set_boolean (self, &self->nudges_enabled, json_object_get_boolean_member (body, "enabled"),
                 properties[PROP_NUDGES_ENABLED]);
  g_task_return_boolean (task, TRUE);
}

void
cohort_ai_conversation_set_nudges_enabled_async (CohortAiConversation *self,
                                                 gboolean              enabled,
                                                 const char           *tz,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_ai_conversation_set_nudges_enabled_async);
  json_object_set_boolean_member (body, "enabled", enabled);
  if (tz != NULL && *tz != '\0')
    json_object_set_string_member (body, "tz", tz);
  cohort_session_request_async (self->session, COHORT_REQ_AI_NUDGES_SET, body, cancellable,
                                on_nudges_set, task);
}

gboolean
cohort_ai_conversation_set_nudges_enabled_finish (CohortAiConversation  *self,
                                                  GAsyncResult          *result,
                                                  GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cohort_ai_conversation_set_class_nudges_async (CohortAiConversation *self,
                                               gboolean              enabled,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_ai_conversation_set_class_nudges_async);
  /* The mode is required; the rest of the rules keep their values. */
  json_object_set_string_member (body, "mode", self->mode != NULL ? self->mode : COHORT_AI_MODE_HINTS);
  json_object_set_boolean_member (body, "nudges", enabled);
  _cohort_session_request_for_task (self->session, COHORT_REQ_AI_POLICY_SET, body, cancellable, task);
}

gboolean
cohort_ai_conversation_set_class_nudges_finish (CohortAiConversation  *self,
                                                GAsyncResult          *result,
                                                GError               **error)
{
  g_autoptr(JsonObject) body = NULL;
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  body = g_task_propagate_pointer (G_TASK (result), error);
  if (body == NULL)
    return FALSE;
  node = json_object_get_member (body, "policy");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    apply_policy (self, json_node_get_object (node));
  return TRUE;
}

void
cohort_ai_conversation_nudge_stats_async (CohortAiConversation *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_ai_conversation_nudge_stats_async);
  _cohort_session_request_for_task (self->session, COHORT_REQ_AI_NUDGES_STATS, NULL, cancellable, task);
}

gboolean
cohort_ai_conversation_nudge_stats_finish (CohortAiConversation  *self,
                                           GAsyncResult          *result,
                                           gint64               *out_sent,
                                           gint64               *out_opened,
                                           gint64               *out_came_back,
                                           GError              **error)
{
  g_autoptr(JsonObject) body = NULL;
  gint64 sent = 0, opened = 0, came_back = 0;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  body = g_task_propagate_pointer (G_TASK (result), error);
  if (body == NULL)
    return FALSE;
  int_member (body, "sent", &sent);
  int_member (body, "opened", &opened);
  int_member (body, "came_back", &came_back);
  if (out_came_back != NULL)
    *out_came_back = came_back;
  if (out_sent != NULL)
    *out_sent = sent;
  if (out_opened != NULL)
    *out_opened = opened;
  return TRUE;
}

/* Teacher */

void
cohort_ai_conversation_set_policy_async (CohortAiConversation *self,
                                         const char           *mode,
                                         const char           *topic,
                                         const char           *notes,
                                         const char           *answer_key,
                                         gint64                daily_quota,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));
  g_return_if_fail (mode != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_ai_conversation_set_policy_async);

  json_object_set_string_member (body, "mode", mode);
  json_object_set_string_member (body, "topic", topic != NULL ? topic : "");
  json_object_set_string_member (body, "notes", notes != NULL ? notes : "");
  /* NULL: the stored key is kept. */
  if (answer_key != NULL)
    json_object_set_string_member (body, "answer_key", answer_key);
  json_object_set_int_member (body, "daily_quota", CLAMP (daily_quota, 0, COHORT_AI_MAX_DAILY_QUOTA));
  _cohort_session_request_for_task (self->session, COHORT_REQ_AI_POLICY_SET, body, cancellable, task);
}

gboolean
cohort_ai_conversation_set_policy_finish (CohortAiConversation  *self,
                                          GAsyncResult          *result,
                                          GError               **error)
{
  g_autoptr(JsonObject) body = NULL;
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  body = g_task_propagate_pointer (G_TASK (result), error);
  if (body == NULL)
    return FALSE;

  node = json_object_get_member (body, "policy");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    apply_policy (self, json_node_get_object (node));

  return TRUE;
}

void
cohort_ai_conversation_list_topics_async (CohortAiConversation *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (COHORT_IS_AI_CONVERSATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_ai_conversation_list_topics_async);
  _cohort_session_request_for_task (self->session, COHORT_REQ_AI_TOPICS, NULL, cancellable, task);
}

gboolean
cohort_ai_conversation_list_topics_finish (CohortAiConversation  *self,
                                           GAsyncResult          *result,
                                           char                ***out_words,
                                           gint64               **out_counts,
                                           GError               **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GStrvBuilder) words = NULL;
  g_autoptr(GArray) counts = NULL;
  JsonArray *topics;
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  body = g_task_propagate_pointer (G_TASK (result), error);
  if (body == NULL)
    return FALSE;

  node = json_object_get_member (body, "topics");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                           "The server sent topics in an unknown form.");
      return FALSE;
    }

  /* Topics without a word are skipped, as the page always did. */
  topics = json_node_get_array (node);
  words = g_strv_builder_new ();
  counts = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < json_array_get_length (topics); i++)
    {
      JsonNode *element = json_array_get_element (topics, i);
      JsonObject *topic = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *word = topic != NULL ? json_object_get_member (topic, "word") : NULL;
      gint64 count;

      if (word == NULL || !JSON_NODE_HOLDS_VALUE (word) || json_node_get_value_type (word) != G_TYPE_STRING)
        continue;
      count = json_object_get_int_member_with_default (topic, "count", 0);
      g_strv_builder_add (words, json_node_get_string (word));
      g_array_append_val (counts, count);
    }
  if (out_words != NULL)
    *out_words = g_strv_builder_end (words);
  if (out_counts != NULL)
    *out_counts = (gint64 *) g_array_free (g_steal_pointer (&counts), FALSE);
  return TRUE;
}

/* GObject */

static void
cohort_ai_conversation_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CohortAiConversation *self = COHORT_AI_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_CONFIGURED:
      g_value_set_boolean (value, self->configured);
      break;
    case PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_ANSWER_KEY:
      g_value_set_string (value, self->answer_key);
      break;
    case PROP_DAILY_QUOTA:
      g_value_set_int64 (value, self->daily_quota);
      break;
    case PROP_MAX_DAILY_QUOTA:
      g_value_set_int64 (value, self->max_daily_quota);
      break;
    case PROP_USED_TODAY:
      g_value_set_int64 (value, self->used_today);
      break;
    case PROP_ERROR_CODE:
      g_value_set_string (value, self->error_code);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_HAS_MORE_HISTORY:
      g_value_set_boolean (value, self->has_more_history);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_int64 (value, self->conversation_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_NUDGES:
      g_value_set_boolean (value, self->nudges);
      break;
    case PROP_NUDGES_ENABLED:
      g_value_set_boolean (value, self->nudges_enabled);
      break;
    case PROP_NUDGE_TEXT:
      g_value_set_string (value, self->nudge_text);
      break;
    case PROP_QUIZ_LOCKED:
      g_value_set_boolean (value, self->quiz_locked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_ai_conversation_dispose (GObject *object)
{
  CohortAiConversation *self = COHORT_AI_CONVERSATION (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->answer);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_ai_conversation_parent_class)->dispose (object);
}

static void
cohort_ai_conversation_finalize (GObject *object)
{
  CohortAiConversation *self = COHORT_AI_CONVERSATION (object);

  g_ptr_array_unref (self->messages);
  g_free (self->mode);
  g_free (self->topic);
  g_free (self->notes);
  g_free (self->answer_key);
  g_free (self->error_code);
  g_free (self->error_message);
  g_free (self->request_id);
  g_free (self->last_question);
  g_free (self->title);
  g_free (self->nudge_text);
  g_clear_object (&self->conversations);

  G_OBJECT_CLASS (cohort_ai_conversation_parent_class)->finalize (object);
}

static void
cohort_ai_conversation_class_init (CohortAiConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cohort_ai_conversation_get_property;
  object_class->dispose = cohort_ai_conversation_dispose;
  object_class->finalize = cohort_ai_conversation_finalize;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, COHORT_TYPE_AI_CONVERSATION_STATE,
                       COHORT_AI_CONVERSATION_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIGURED] =
    g_param_spec_boolean ("configured", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANSWER_KEY] =
    g_param_spec_string ("answer-key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DAILY_QUOTA] =
    g_param_spec_int64 ("daily-quota", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_DAILY_QUOTA] =
    g_param_spec_int64 ("max-daily-quota", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USED_TODAY] =
    g_param_spec_int64 ("used-today", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_CODE] =
    g_param_spec_string ("error-code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MORE_HISTORY] =
    g_param_spec_boolean ("has-more-history", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CONVERSATION_ID] =
    g_param_spec_int64 ("conversation-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NUDGES] =
    g_param_spec_boolean ("nudges", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUDGES_ENABLED] =
    g_param_spec_boolean ("nudges-enabled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUDGE_TEXT] =
    g_param_spec_string ("nudge-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The helper is paused for a quiz (the server's word: a question is
   * open, or a launched sequence is between its questions). */
  properties[PROP_QUIZ_LOCKED] =
    g_param_spec_boolean ("quiz-locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The helper spoke first (the text is also in nudge-text). */
  signals[NUDGE_RECEIVED] =
    g_signal_new ("nudge-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cohort_ai_conversation_init (CohortAiConversation *self)
{
  self->conversations = g_list_store_new (COHORT_TYPE_AI_CONVERSATION_ITEM);
  self->nudges = TRUE;
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

CohortAiConversation *
cohort_ai_conversation_new (CohortSession *session)
{
  CohortAiConversation *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_AI_CONVERSATION, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "welcome", G_CALLBACK (on_welcome), self, 0);
  g_signal_connect_object (session, "event-received", G_CALLBACK (on_event), self, 0);
  g_signal_connect_object (session, "progress-received", G_CALLBACK (on_progress), self, 0);

  /* Made after the join (a class window): the history reply brings the
   * state the welcome carried. */
  if (cohort_session_get_state (session) == COHORT_SESSION_STATE_JOINED)
    load_history (self, 0);
  return self;
}

CohortSession *
cohort_ai_conversation_get_session (CohortAiConversation *self)
{
  return self->session;
}

CohortAiConversationState
cohort_ai_conversation_get_state (CohortAiConversation *self)
{
  return self->state;
}

gboolean
cohort_ai_conversation_get_configured (CohortAiConversation *self)
{
  return self->configured;
}

const char *
cohort_ai_conversation_get_mode (CohortAiConversation *self)
{
  return self->mode;
}

const char *
cohort_ai_conversation_get_topic (CohortAiConversation *self)
{
  return self->topic;
}

const char *
cohort_ai_conversation_get_notes (CohortAiConversation *self)
{
  return self->notes;
}

const char *
cohort_ai_conversation_get_answer_key (CohortAiConversation *self)
{
  return self->answer_key;
}

gint64
cohort_ai_conversation_get_daily_quota (CohortAiConversation *self)
{
  return self->daily_quota;
}

gint64
cohort_ai_conversation_get_max_daily_quota (CohortAiConversation *self)
{
  return self->max_daily_quota;
}

gint64
cohort_ai_conversation_get_used_today (CohortAiConversation *self)
{
  return self->used_today;
}

const char *
cohort_ai_conversation_get_error_code (CohortAiConversation *self)
{
  return self->error_code;
}

const char *
cohort_ai_conversation_get_error_message (CohortAiConversation *self)
{
  return self->error_message;
}

const char *
cohort_ai_conversation_get_request_id (CohortAiConversation *self)
{
  return self->request_id;
}

gint64
cohort_ai_conversation_get_conversation_id (CohortAiConversation *self)
{
  return self->conversation_id;
}

const char *
cohort_ai_conversation_get_title (CohortAiConversation *self)
{
  return self->title;
}

const char *
cohort_ai_conversation_get_nudge_text (CohortAiConversation *self)
{
  return self->nudge_text;
}

gboolean
cohort_ai_conversation_get_nudges (CohortAiConversation *self)
{
  return self->nudges;
}

gboolean
cohort_ai_conversation_get_nudges_enabled (CohortAiConversation *self)
{
  return self->nudges_enabled;
}

gboolean
cohort_ai_conversation_get_quiz_locked (CohortAiConversation *self)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION (self), FALSE);
  return self->quiz_locked;
}
