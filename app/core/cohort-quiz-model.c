/* cohort-quiz-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-model"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-enums.h"
#include "cohort-json-private.h"
#include "cohort-protocol.h"
#include "cohort-quiz-entry.h"
#include "cohort-quiz-model.h"
#include "cohort-roster-csv.h"
#include "cohort-quiz-protocol.h"
#include "cohort-quiz-question.h"
#include "cohort-quiz-question-private.h"
#include "cohort-quiz-score.h"
#include "cohort-session-private.h"

struct _CohortQuizModel
{
  GObject          parent_instance;

  CohortSession   *session;
  GSignalGroup    *session_signals;

  gboolean         is_teacher;

  /* The current run */
  gint64           run_id;
  gint64           question_id;
  JsonObject      *question;
  char           **choices;
  guint            index;
  guint            count;
  gint64           launched_at;
  gint64           deadline;
  gint64           closed_at;
  gboolean         revealed;
  gboolean         allow_change;
  gboolean         results_shown;
  JsonObject      *key;

  /* Own answer (students) */
  JsonNode        *answer;
  gboolean         answer_pending;
  guint            answer_serial;
  char            *grade;
  double           points;

  /* Stats */
  guint            n_answered;
  guint            n_graded;
  guint            n_correct;
  gint64           median_ms;
  GArray          *counts;

  /* The id of the latest quiz.sync (teacher): live results come as
   * progress to it. */
  char            *sync_id;
  int              last_session_state;

  GListStore      *bank;
  GListStore      *answers;
  GListStore      *history;
  GListStore      *scores;
};

G_DEFINE_FINAL_TYPE (CohortQuizModel, cohort_quiz_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_IS_TEACHER,
  PROP_STATE,
  PROP_RUN_ID,
  PROP_KIND,
  PROP_PROMPT,
  PROP_INDEX,
  PROP_COUNT,
  PROP_LAUNCHED_AT,
  PROP_DEADLINE,
  PROP_ALLOW_CHANGE,
  PROP_RESULTS_SHOWN,
  PROP_ANSWER_PENDING,
  PROP_GRADE,
  PROP_POINTS,
  PROP_EXPLANATION,
  PROP_N_ANSWERED,
  PROP_N_GRADED,
  PROP_N_CORRECT,
  PROP_MEDIAN_MS,
  /* Derived from the above and the wire JSON; they notify with "changed". */
  PROP_QUESTION_TYPE,
  PROP_OUTCOME,
  PROP_HAS_ANSWER,
  PROP_HAS_KEY,
  PROP_KEY_TEXT,
  PROP_CHOSEN,
  PROP_CORRECT_CHOICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  QUESTION_ARRIVED,
  REVEALED,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* JSON helpers: bodies passed the protocol table, but a member the table
 * does not cover is read defensively. */

static gboolean
get_bool (JsonObject *object,
          const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
notify (CohortQuizModel *self,
        guint            prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* The "changed" signal, after the derived properties: views bound to them
 * see one consistent state. */
static void
emit_changed (CohortQuizModel *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop = PROP_QUESTION_TYPE; prop < N_PROPS; prop++)
    notify (self, prop);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

static gint64
self_id (CohortQuizModel *self)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  return me != NULL ? cohort_participant_get_id (me) : 0;
}

static const char *
name_of (CohortQuizModel *self,
         gint64           participant_id)
{
  CohortParticipant *p = cohort_roster_lookup (cohort_session_get_roster (self->session),
                                               participant_id);

  return p != NULL ? cohort_participant_get_name (p) : NULL;
}

/* State */

CohortQuizState
cohort_quiz_model_get_state (CohortQuizModel *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), COHORT_QUIZ_STATE_NONE);

  if (self->run_id == 0)
    return COHORT_QUIZ_STATE_NONE;
  if (self->revealed)
    return COHORT_QUIZ_STATE_REVEALED;
  if (self->closed_at != 0)
    return COHORT_QUIZ_STATE_CLOSED;
  return COHORT_QUIZ_STATE_OPEN;
}

static void
set_stats (CohortQuizModel *self,
           JsonObject      *stats)
{
  JsonArray *counts = _cohort_json_array (stats, "counts");

  self->n_answered = _cohort_json_int (stats, "answered", 0);
  self->n_graded = _cohort_json_int (stats, "graded", 0);
  self->n_correct = _cohort_json_int (stats, "correct", 0);
  self->median_ms = _cohort_json_int (stats, "median_ms", 0);
  g_array_set_size (self->counts, 0);
  for (guint i = 0; counts != NULL && i < json_array_get_length (counts); i++)
    {
      gint64 n = json_array_get_int_element (counts, i);

      g_array_append_val (self->counts, n);
    }

  notify (self, PROP_N_ANSWERED);
  notify (self, PROP_N_GRADED);
  notify (self, PROP_N_CORRECT);
  notify (self, PROP_MEDIAN_MS);
}

static void
clear_answer (CohortQuizModel *self)
{
  g_clear_pointer (&self->answer, json_node_unref);
  g_clear_pointer (&self->grade, g_free);
  self->points = 0;
  self->answer_pending = FALSE;
  self->answer_serial++;
  notify (self, PROP_ANSWER_PENDING);
  notify (self, PROP_GRADE);
  notify (self, PROP_POINTS);
}

static void
set_answer (CohortQuizModel *self,
            JsonNode        *answer)
{
  JsonNode *copy = answer != NULL && !JSON_NODE_HOLDS_NULL (answer) ? json_node_copy (answer) : NULL;

  g_clear_pointer (&self->answer, json_node_unref);
  self->answer = copy;
}

/* Fills the current run from a run (event) or run state (welcome). */
static void
set_run (CohortQuizModel *self,
         JsonObject      *run)
{
  JsonObject *question = _cohort_json_object (run, "question");
  JsonArray *choices = _cohort_json_array (question, "choices");
  GStrvBuilder *builder = g_strv_builder_new ();

  self->run_id = _cohort_json_int (run, "run_id", 0);
  self->question_id = _cohort_json_int (run, "question_id", 0);
  g_clear_pointer (&self->question, json_object_unref);
  self->question = question != NULL ? json_object_ref (question) : json_object_new ();
  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonNode *c = json_array_get_element (choices, i);

      if (JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (c));
    }
  g_strfreev (self->choices);
  self->choices = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  self->index = _cohort_json_int (run, "index", 0);
  self->count = _cohort_json_int (run, "count", 1);
  self->launched_at = _cohort_json_int (run, "launched_at", 0);
  self->deadline = _cohort_json_int (run, "deadline", 0);
  self->closed_at = _cohort_json_int (run, "closed_at", 0);
  self->revealed = get_bool (run, "revealed");
  self->allow_change = get_bool (run, "allow_change");
  self->results_shown = get_bool (run, "results_shown");

  g_clear_pointer (&self->key, json_object_unref);
  if (_cohort_json_object (run, "key") != NULL)
    self->key = json_object_ref (_cohort_json_object (run, "key"));
  else if (self->is_teacher)
    {
      /* The teacher's launch event is the public one; the bank has the key. */
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->bank)); i++)
        {
          g_autoptr(CohortQuizQuestion) q = g_list_model_get_item (G_LIST_MODEL (self->bank), i);

          if (cohort_quiz_question_get_id (q) == self->question_id)
            {
              JsonObject *full = cohort_quiz_question_get_json (q);
              JsonObject *key = json_object_new ();
              const char *members[] = { "correct", "accepted", "numeric", "explanation" };

              for (guint m = 0; m < G_N_ELEMENTS (members); m++)
                if (json_object_has_member (full, members[m]))
                  json_object_set_member (key, members[m],
                                          json_node_copy (json_object_get_member (full, members[m])));
              self->key = key;
            }
        }
    }

  if (_cohort_json_object (run, "results") != NULL)
    set_stats (self, _cohort_json_object (run, "results"));
  else
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      set_stats (self, empty);
    }

  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_STATE);
  notify (self, PROP_RUN_ID);
  notify (self, PROP_KIND);
  notify (self, PROP_PROMPT);
  notify (self, PROP_INDEX);
  notify (self, PROP_COUNT);
  notify (self, PROP_LAUNCHED_AT);
  notify (self, PROP_DEADLINE);
  notify (self, PROP_ALLOW_CHANGE);
  notify (self, PROP_RESULTS_SHOWN);
  notify (self, PROP_EXPLANATION);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_run (CohortQuizModel *self)
{
  g_autoptr(JsonObject) empty = json_object_new ();

  set_run (self, empty);
  self->run_id = 0;
  clear_answer (self);
  notify (self, PROP_STATE);
  notify (self, PROP_RUN_ID);
}

static CohortQuizEntry *
entry_from_answer (CohortQuizModel *self,
                   JsonObject      *a)
{
  gint64 pid = _cohort_json_int (a, "participant_id", 0);

  return cohort_quiz_entry_new (self->run_id, pid, name_of (self, pid), self->question,
                                json_object_get_member (a, "answer"), NULL, _cohort_json_string (a, "grade"),
                                _cohort_json_double (a, "points"), _cohort_json_int (a, "elapsed_ms", 0));
}

/* Teacher: puts an answer in the list, replacing the student's previous. */
static void
put_answer_entry (CohortQuizModel *self,
                  JsonObject      *a)
{
  g_autoptr(CohortQuizEntry) entry = entry_from_answer (self, a);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->answers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortQuizEntry) old = g_list_model_get_item (G_LIST_MODEL (self->answers), i);

      if (cohort_quiz_entry_get_participant_id (old) == cohort_quiz_entry_get_participant_id (entry))
        {
          g_list_store_splice (self->answers, i, 1, (gpointer *) &entry, 1);
          return;
        }
    }
  g_list_store_append (self->answers, entry);
}

static CohortQuizScore *
find_score (CohortQuizModel *self,
            gint64           participant_id,
            gboolean         create)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->scores));
  g_autoptr(CohortQuizScore) score = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortQuizScore) s = g_list_model_get_item (G_LIST_MODEL (self->scores), i);

      if (cohort_quiz_score_get_participant_id (s) == participant_id)
        return s;
    }

  if (!create)
    return NULL;
  score = cohort_quiz_score_new (participant_id, name_of (self, participant_id));
  g_list_store_append (self->scores, score);
  return score;
}

static void
reset_bank (CohortQuizModel *self,
            JsonArray       *questions)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; questions != NULL && i < json_array_get_length (questions); i++)
    {
      JsonNode *node = json_array_get_element (questions, i);
      CohortQuizQuestion *q = JSON_NODE_HOLDS_OBJECT (node)
                              ? cohort_quiz_question_new_from_json (json_node_get_object (node)) : NULL;

      if (q != NULL)
        g_ptr_array_add (items, q);
    }
  g_list_store_splice (self->bank, 0, g_list_model_get_n_items (G_LIST_MODEL (self->bank)),
                       items->pdata, items->len);
}

static void
add_history (CohortQuizModel *self,
             JsonObject      *item)
{
  g_autoptr(CohortQuizEntry) entry = NULL;

  entry = cohort_quiz_entry_new (_cohort_json_int (item, "run_id", 0), self_id (self), NULL,
                                 _cohort_json_object (item, "question"), json_object_get_member (item, "answer"),
                                 _cohort_json_object (item, "key"), _cohort_json_string (item, "grade"),
                                 _cohort_json_double (item, "points"), _cohort_json_int (item, "elapsed_ms", 0));
  g_list_store_append (self->history, entry);
}

static void request_sync (CohortQuizModel *self);

/* Resets everything from the "quiz" member of a welcome (or a sync). */
static void
apply_quiz (CohortQuizModel *self,
            JsonObject      *quiz,
            gboolean         is_teacher)
{
  JsonObject *run = _cohort_json_object (quiz, "run");
  JsonArray *array;

  g_object_freeze_notify (G_OBJECT (self));

  self->is_teacher = is_teacher;
  notify (self, PROP_IS_TEACHER);

  reset_bank (self, _cohort_json_array (quiz, "bank"));
  g_list_store_remove_all (self->answers);
  g_list_store_remove_all (self->history);
  g_list_store_remove_all (self->scores);

  clear_answer (self);
  if (run != NULL)
    set_run (self, run);
  else
    clear_run (self);

  array = _cohort_json_array (quiz, "answers");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      put_answer_entry (self, json_array_get_object_element (array, i));

  array = _cohort_json_array (quiz, "scores");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *s = JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i))
                      ? json_array_get_object_element (array, i) : NULL;

      if (s != NULL)
        cohort_quiz_score_add (find_score (self, _cohort_json_int (s, "participant_id", 0), TRUE),
                               _cohort_json_double (s, "points"), _cohort_json_int (s, "correct", 0),
                               _cohort_json_int (s, "answered", 0));
    }

  array = _cohort_json_array (quiz, "history");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      add_history (self, json_array_get_object_element (array, i));

  if (_cohort_json_object (quiz, "you") != NULL)
    {
      JsonObject *mine = _cohort_json_object (quiz, "you");

      set_answer (self, json_object_get_member (mine, "answer"));
      g_free (self->grade);
      self->grade = g_strdup (_cohort_json_string (mine, "grade"));
      self->points = _cohort_json_double (mine, "points");
      notify (self, PROP_GRADE);
      notify (self, PROP_POINTS);
    }

  g_object_thaw_notify (G_OBJECT (self));
  emit_changed (self);
}

static void
on_welcome (CohortSession   *session,
            JsonObject      *body,
            CohortQuizModel *self)
{
  JsonObject *you = _cohort_json_object (body, "you");

  apply_quiz (self, _cohort_json_object (body, COHORT_QUIZ_WELCOME_MEMBER),
              g_strcmp0 (_cohort_json_string (you, "role"), "teacher") == 0);
  if (self->is_teacher)
    request_sync (self);
}

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortQuizModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  CohortParticipant *me;

  if (body == NULL)
    {
      g_debug ("Could not fetch the quiz state: %s", error->message);
      return;
    }
  if (self->session == NULL)
    return;

  me = cohort_session_get_self (self->session);
  apply_quiz (self, _cohort_json_object (body, COHORT_QUIZ_WELCOME_MEMBER),
              me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER);
}

static void sync_done (GObject *source, GAsyncResult *result, gpointer user_data);

/* Asks for the whole quiz state; for the teacher it also (re)starts the
 * stream of live results. */
static void
request_sync (CohortQuizModel *self)
{
  g_free (self->sync_id);
  self->sync_id = cohort_session_request_with_id_async (self->session, COHORT_REQ_QUIZ_SYNC, NULL, NULL,
                                                        sync_done, g_object_ref (self));
}

static void
apply_progress (CohortQuizModel *self,
                JsonObject      *body)
{
  JsonArray *answers = _cohort_json_array (body, "answers");

  if (_cohort_json_int (body, "run_id", 0) != self->run_id)
    return;
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (answers, i)))
      put_answer_entry (self, json_array_get_object_element (answers, i));
  set_stats (self, body);
  emit_changed (self);
}

static void
on_progress_received (CohortSession   *session,
                      const char      *re,
                      JsonObject      *body,
                      CohortQuizModel *self)
{
  if (self->sync_id != NULL && g_strcmp0 (re, self->sync_id) == 0)
    apply_progress (self, body);
}

static void
on_session_state (CohortSession   *session,
                  GParamSpec      *pspec,
                  CohortQuizModel *self)
{
  int state = cohort_session_get_state (session);

  /* Back after a drop: the live results sent meanwhile were not logged. */
  if (state == COHORT_SESSION_STATE_JOINED && self->last_session_state == COHORT_SESSION_STATE_RECONNECTING &&
      self->is_teacher)
    request_sync (self);
  self->last_session_state = state;
}

static void
apply_question_saved (CohortQuizModel *self,
                      JsonObject      *body)
{
  g_autoptr(CohortQuizQuestion) q =
    cohort_quiz_question_new_from_json (_cohort_json_object (body, "question"));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->bank));

  if (q == NULL)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortQuizQuestion) old = g_list_model_get_item (G_LIST_MODEL (self->bank), i);

      if (cohort_quiz_question_get_id (old) == cohort_quiz_question_get_id (q))
        {
          g_list_store_splice (self->bank, i, 1, (gpointer *) &q, 1);
          return;
        }
    }
  g_list_store_append (self->bank, q);
}

static void
apply_question_deleted (CohortQuizModel *self,
                        gint64           question_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->bank));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortQuizQuestion) q = g_list_model_get_item (G_LIST_MODEL (self->bank), i);

      if (cohort_quiz_question_get_id (q) == question_id)
        {
          g_list_store_remove (self->bank, i);
          return;
        }
    }
}

static void
apply_scored (CohortQuizModel *self,
              JsonObject      *body)
{
  JsonArray *scores = _cohort_json_array (body, "scores");
  gint64 me = self_id (self);
  gboolean mine = FALSE;

  if (_cohort_json_int (body, "run_id", 0) != self->run_id)
    return;

  for (guint i = 0; scores != NULL && i < json_array_get_length (scores); i++)
    {
      JsonObject *s = JSON_NODE_HOLDS_OBJECT (json_array_get_element (scores, i))
                      ? json_array_get_object_element (scores, i) : NULL;
      gint64 pid = _cohort_json_int (s, "participant_id", 0);

      if (s == NULL)
        continue;
      if (self->is_teacher)
        cohort_quiz_score_add (find_score (self, pid, TRUE), _cohort_json_double (s, "points"),
                               g_strcmp0 (_cohort_json_string (s, "grade"), "correct") == 0 ? 1 : 0, 1);
      else if (pid == me)
        {
          mine = TRUE;
          g_free (self->grade);
          self->grade = g_strdup (_cohort_json_string (s, "grade"));
          self->points = _cohort_json_double (s, "points");
          notify (self, PROP_GRADE);
          notify (self, PROP_POINTS);
        }
    }

  if (!self->is_teacher)
    {
      g_autoptr(CohortQuizEntry) entry = NULL;
      JsonObject *question = self->question;

      /* Newest first; a question with no answer still belongs there. */
      entry = cohort_quiz_entry_new (self->run_id, me, NULL, question, mine ? self->answer : NULL,
                                     self->key, mine ? self->grade : NULL, mine ? self->points : 0,
                                     0);
      g_list_store_insert (self->history, 0, entry);
    }
}

static void
on_event_received (CohortSession   *session,
                   const char      *event,
                   JsonObject      *body,
                   gint64           seq,
                   CohortQuizModel *self)
{
  if (!g_str_has_prefix (event, "quiz."))
    return;

  if (g_str_equal (event, COHORT_EV_QUIZ_QUESTION_SAVED))
    apply_question_saved (self, body);
  else if (g_str_equal (event, COHORT_EV_QUIZ_QUESTION_DELETED))
    apply_question_deleted (self, _cohort_json_int (body, "question_id", 0));
  else if (g_str_equal (event, COHORT_EV_QUIZ_BANK))
    reset_bank (self, _cohort_json_array (body, "questions"));
  else if (g_str_equal (event, COHORT_EV_QUIZ_LAUNCHED))
    {
      g_list_store_remove_all (self->answers);
      clear_answer (self);
      set_run (self, body);
      emit_changed (self);
      g_signal_emit (self, signals[QUESTION_ARRIVED], 0, self->run_id);
    }
  else if (g_str_equal (event, COHORT_EV_QUIZ_PROGRESS))
    apply_progress (self, body);
  else if (g_str_equal (event, COHORT_EV_QUIZ_CLOSED))
    {
      if (_cohort_json_int (body, "run_id", 0) != self->run_id)
        return;
      self->closed_at = _cohort_json_int (body, "closed_at", 1);
      notify (self, PROP_STATE);
      emit_changed (self);
    }
  else if (g_str_equal (event, COHORT_EV_QUIZ_REVEALED))
    {
      if (_cohort_json_int (body, "run_id", 0) != self->run_id)
        return;
      g_clear_pointer (&self->key, json_object_unref);
      if (_cohort_json_object (body, "key") != NULL)
        self->key = json_object_ref (_cohort_json_object (body, "key"));
      self->revealed = TRUE;
      if (self->closed_at == 0)
        self->closed_at = 1;
      notify (self, PROP_STATE);
      notify (self, PROP_EXPLANATION);
      emit_changed (self);
      g_signal_emit (self, signals[REVEALED], 0, self->run_id);
    }
  else if (g_str_equal (event, COHORT_EV_QUIZ_SCORED))
    {
      apply_scored (self, body);
      emit_changed (self);
    }
  else if (g_str_equal (event, COHORT_EV_QUIZ_RESULTS))
    {
      if (_cohort_json_int (body, "run_id", 0) != self->run_id)
        return;
      set_stats (self, body);
      self->results_shown = TRUE;
      notify (self, PROP_RESULTS_SHOWN);
      emit_changed (self);
    }
}

/* Answering */

typedef struct
{
  gint64    run_id;
  guint     serial;
  JsonNode *previous;
} AnswerData;

static void
answer_data_free (AnswerData *data)
{
  g_clear_pointer (&data->previous, json_node_unref);
  g_free (data);
}

static void
answer_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortQuizModel *self = g_task_get_source_object (task);
  AnswerData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);

  /* Only the latest answer to the current question settles the state. */
  if (data->run_id == self->run_id && data->serial == self->answer_serial)
    {
      if (body != NULL)
        set_answer (self, json_object_get_member (body, "answer"));
      else
        set_answer (self, data->previous);
      self->answer_pending = FALSE;
      notify (self, PROP_ANSWER_PENDING);
      emit_changed (self);
    }

  if (body == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
cohort_quiz_model_answer_async (CohortQuizModel     *self,
                                JsonNode            *answer,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  AnswerData *data;

  g_return_if_fail (COHORT_IS_QUIZ_MODEL (self));
  g_return_if_fail (answer != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_quiz_model_answer_async);

  if (self->run_id == 0 || self->is_teacher)
    {
      g_task_return_new_error (task, COHORT_PROTOCOL_ERROR, COHORT_ERROR_QUIZ_CLOSED,
                               "There is no question to answer.");
      return;
    }

  data = g_new0 (AnswerData, 1);
  data->run_id = self->run_id;
  data->previous = self->answer != NULL ? json_node_copy (self->answer) : NULL;
  data->serial = ++self->answer_serial;
  g_task_set_task_data (task, data, (GDestroyNotify) answer_data_free);

  /* Shown at once, also while offline; the reply settles it. */
  set_answer (self, answer);
  self->answer_pending = TRUE;
  notify (self, PROP_ANSWER_PENDING);
  emit_changed (self);

  body = json_object_new ();
  json_object_set_int_member (body, "run_id", self->run_id);
  json_object_set_member (body, "answer", json_node_copy (answer));
  cohort_session_request_async (self->session, COHORT_REQ_QUIZ_ANSWER, body, cancellable,
                                answer_done, g_steal_pointer (&task));
}

gboolean
cohort_quiz_model_answer_finish (CohortQuizModel  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cohort_quiz_model_request_async (CohortQuizModel     *self,
                                 const char          *type,
                                 JsonObject          *body,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) owned = body;
  GTask *task;

  g_return_if_fail (COHORT_IS_QUIZ_MODEL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_quiz_model_request_async);
  _cohort_session_request_for_task (self->session, type, owned, cancellable, task);
}

JsonObject *
cohort_quiz_model_request_finish (CohortQuizModel  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cohort_quiz_model_launch_async (CohortQuizModel     *self,
                                const gint64        *question_ids,
                                guint                n_ids,
                                gint64               time_limit,
                                gboolean             allow_change,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  JsonObject *body = json_object_new ();
  JsonArray *ids = json_array_new ();

  for (guint i = 0; i < n_ids; i++)
    json_array_add_int_element (ids, question_ids[i]);
  json_object_set_array_member (body, "question_ids", ids);
  if (time_limit >= 0)
    json_object_set_int_member (body, "time_limit", time_limit);
  json_object_set_boolean_member (body, "allow_change", allow_change);
  cohort_quiz_model_request_async (self, COHORT_REQ_QUIZ_LAUNCH, body, cancellable, callback,
                                   user_data);
}

void
cohort_quiz_model_run_action_async (CohortQuizModel     *self,
                                    const char          *type,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "run_id", self->run_id);
  cohort_quiz_model_request_async (self, type, body, cancellable, callback, user_data);
}

/* Typed requests: what the views call, so that no wire JSON reaches them */

void
cohort_quiz_model_answer_choices_async (CohortQuizModel     *self,
                                        guint64              chosen,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(JsonNode) answer = NULL;

  g_return_if_fail (COHORT_IS_QUIZ_MODEL (self));

  answer = _cohort_quiz_answer_new_choices (cohort_quiz_model_get_question_type (self), chosen);
  cohort_quiz_model_answer_async (self, answer, cancellable, callback, user_data);
}

void
cohort_quiz_model_answer_text_async (CohortQuizModel     *self,
                                     const char          *text,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonNode) answer = NULL;

  g_return_if_fail (COHORT_IS_QUIZ_MODEL (self));
  g_return_if_fail (text != NULL);

  answer = json_node_init_string (json_node_alloc (), text);
  cohort_quiz_model_answer_async (self, answer, cancellable, callback, user_data);
}

gboolean
cohort_quiz_model_action_finish (CohortQuizModel  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_autoptr(JsonObject) body = cohort_quiz_model_request_finish (self, result, error);

  return body != NULL;
}

void
cohort_quiz_model_next_async (CohortQuizModel     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  cohort_quiz_model_request_async (self, COHORT_REQ_QUIZ_NEXT, json_object_new (), cancellable, callback,
                                   user_data);
}

void
cohort_quiz_model_move_question_async (CohortQuizModel     *self,
                                       gint64               question_id,
                                       guint                position,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "question_id", question_id);
  json_object_set_int_member (body, "position", position);
  cohort_quiz_model_request_async (self, COHORT_REQ_QUIZ_QUESTION_MOVE, body, cancellable, callback,
                                   user_data);
}

void
cohort_quiz_model_delete_question_async (CohortQuizModel     *self,
                                         gint64               question_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "question_id", question_id);
  cohort_quiz_model_request_async (self, COHORT_REQ_QUIZ_QUESTION_DELETE, body, cancellable, callback,
                                   user_data);
}

void
cohort_quiz_model_save_question_async (CohortQuizModel     *self,
                                       gint64               question_id,
                                       CohortQuizQuestion  *question,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  JsonObject *body = json_object_new ();
  JsonObject *json = cohort_quiz_question_get_json (question);
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (json);

  /* The bank's "id" and "position" are not part of a question. */
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "id") && !g_str_equal (l->data, "position"))
      json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (json, l->data)));
  json_object_set_object_member (body, "question", copy);
  if (question_id != 0)
    json_object_set_int_member (body, "question_id", question_id);
  cohort_quiz_model_request_async (self,
                                   question_id != 0 ? COHORT_REQ_QUIZ_QUESTION_UPDATE
                                                    : COHORT_REQ_QUIZ_QUESTION_CREATE,
                                   body, cancellable, callback, user_data);
}

void
cohort_quiz_model_import_async (CohortQuizModel     *self,
                                const char          *contents,
                                gsize                length,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;

  g_return_if_fail (COHORT_IS_QUIZ_MODEL (self));

  /* The whole file travels in one frame. */
  if (length > COHORT_MAX_FRAME_BYTES - 256)
    {
      g_task_report_new_error (self, callback, user_data, cohort_quiz_model_import_async,
                               COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                               _("The file is larger than 64 KiB. Split it into smaller files."));
      return;
    }
  root = json_from_string (contents, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_report_new_error (self, callback, user_data, cohort_quiz_model_import_async,
                               COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                               _("The file is not a Cohort question bank (JSON). See docs/quiz-format.md."));
      return;
    }

  body = json_object_new ();
  json_object_set_object_member (body, "file", json_object_ref (json_node_get_object (root)));
  cohort_quiz_model_request_async (self, COHORT_REQ_QUIZ_IMPORT, body, cancellable, callback, user_data);
}

gboolean
cohort_quiz_model_import_finish (CohortQuizModel  *self,
                                 GAsyncResult     *result,
                                 guint            *out_count,
                                 GError          **error)
{
  g_autoptr(JsonObject) body = NULL;

  if (g_async_result_is_tagged (result, cohort_quiz_model_import_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  body = cohort_quiz_model_request_finish (self, result, error);
  if (body == NULL)
    return FALSE;
  if (out_count != NULL)
    *out_count = MAX (_cohort_json_int (body, "count", 0), 0);
  return TRUE;
}

void
cohort_quiz_model_export_async (CohortQuizModel     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  cohort_quiz_model_request_async (self, COHORT_REQ_QUIZ_EXPORT, json_object_new (), cancellable, callback,
                                   user_data);
}

char *
cohort_quiz_model_export_finish (CohortQuizModel  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_autoptr(JsonObject) body = cohort_quiz_model_request_finish (self, result, error);
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *file;

  if (body == NULL)
    return NULL;
  file = _cohort_json_object (body, "file");
  if (file == NULL)
    {
      g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                           _("The server sent no question bank."));
      return NULL;
    }
  generator = json_generator_new ();
  node = json_node_init_object (json_node_alloc (), file);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* CSV */

char *
cohort_quiz_model_scores_to_csv (CohortQuizModel *self)
{
  GString *csv = g_string_new ("student,points,correct,answered\r\n");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->scores));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortQuizScore) s = g_list_model_get_item (G_LIST_MODEL (self->scores), i);
      char points[G_ASCII_DTOSTR_BUF_SIZE];
      const char *name = cohort_quiz_score_get_name (s);
      g_autofree char *fallback = g_strdup_printf ("#%" G_GINT64_FORMAT,
                                                   cohort_quiz_score_get_participant_id (s));

      cohort_csv_append_field (csv, name != NULL ? name : fallback);
      g_ascii_formatd (points, sizeof points, "%.2f", cohort_quiz_score_get_points (s));
      g_string_append_printf (csv, ",%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\r\n", points,
                              cohort_quiz_score_get_correct (s), cohort_quiz_score_get_answered (s));
    }

  return g_string_free (csv, FALSE);
}

/* Getters */

CohortSession *
cohort_quiz_model_get_session (CohortQuizModel *self)
{
  return self->session;
}

gboolean
cohort_quiz_model_get_is_teacher (CohortQuizModel *self)
{
  return self->is_teacher;
}

gint64
cohort_quiz_model_get_run_id (CohortQuizModel *self)
{
  return self->run_id;
}

JsonObject *
cohort_quiz_model_get_question (CohortQuizModel *self)
{
  return self->run_id != 0 ? self->question : NULL;
}

const char *
cohort_quiz_model_get_kind (CohortQuizModel *self)
{
  return _cohort_json_string (self->question, "type");
}

const char *
cohort_quiz_model_get_prompt (CohortQuizModel *self)
{
  return _cohort_json_string (self->question, "prompt");
}

const char * const *
cohort_quiz_model_get_choices (CohortQuizModel *self)
{
  return (const char * const *) self->choices;
}

guint
cohort_quiz_model_get_index (CohortQuizModel *self)
{
  return self->index;
}

guint
cohort_quiz_model_get_count (CohortQuizModel *self)
{
  return self->count;
}

gint64
cohort_quiz_model_get_launched_at (CohortQuizModel *self)
{
  return self->launched_at;
}

gint64
cohort_quiz_model_get_deadline (CohortQuizModel *self)
{
  return self->deadline;
}

gboolean
cohort_quiz_model_get_allow_change (CohortQuizModel *self)
{
  return self->allow_change;
}

gboolean
cohort_quiz_model_get_results_shown (CohortQuizModel *self)
{
  return self->results_shown;
}

JsonObject *
cohort_quiz_model_get_key (CohortQuizModel *self)
{
  return self->key;
}

const char *
cohort_quiz_model_get_explanation (CohortQuizModel *self)
{
  return _cohort_json_string (self->key, "explanation");
}

JsonNode *
cohort_quiz_model_get_answer (CohortQuizModel *self)
{
  return self->answer;
}

gboolean
cohort_quiz_model_get_answer_pending (CohortQuizModel *self)
{
  return self->answer_pending;
}

const char *
cohort_quiz_model_get_grade (CohortQuizModel *self)
{
  return self->grade;
}

double
cohort_quiz_model_get_points (CohortQuizModel *self)
{
  return self->points;
}

guint
cohort_quiz_model_get_n_answered (CohortQuizModel *self)
{
  return self->n_answered;
}

guint
cohort_quiz_model_get_n_graded (CohortQuizModel *self)
{
  return self->n_graded;
}

guint
cohort_quiz_model_get_n_correct (CohortQuizModel *self)
{
  return self->n_correct;
}

gint64
cohort_quiz_model_get_median_ms (CohortQuizModel *self)
{
  return self->median_ms;
}

const gint64 *
cohort_quiz_model_get_counts (CohortQuizModel *self,
                              guint           *n_counts)
{
  if (n_counts != NULL)
    *n_counts = self->counts->len;
  return (const gint64 *) self->counts->data;
}

guint
cohort_quiz_model_get_n_present (CohortQuizModel *self)
{
  CohortRoster *roster = cohort_session_get_roster (self->session);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (roster));
  guint present = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (G_LIST_MODEL (roster), i);

      if (cohort_participant_get_online (p) && cohort_participant_get_role (p) == COHORT_ROLE_STUDENT)
        present++;
    }
  return present;
}

GListModel *
cohort_quiz_model_get_bank (CohortQuizModel *self)
{
  return G_LIST_MODEL (self->bank);
}

GListModel *
cohort_quiz_model_get_answers (CohortQuizModel *self)
{
  return G_LIST_MODEL (self->answers);
}

GListModel *
cohort_quiz_model_get_history (CohortQuizModel *self)
{
  return G_LIST_MODEL (self->history);
}

GListModel *
cohort_quiz_model_get_scores (CohortQuizModel *self)
{
  return G_LIST_MODEL (self->scores);
}

/* GObject */

CohortQuizModel *
cohort_quiz_model_new (CohortSession *session)
{
  CohortQuizModel *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_QUIZ_MODEL, NULL);
  self->session = g_object_ref (session);
  g_signal_group_set_target (self->session_signals, session);

  /* Made after the join: the welcome went by, ask for the same state.
   * Events that arrive before the reply are overwritten by it, those after
   * it build on it (the server answers in order). */
  if (cohort_session_get_state (session) != COHORT_SESSION_STATE_DISCONNECTED &&
      cohort_session_get_self (session) != NULL)
    request_sync (self);
  self->last_session_state = cohort_session_get_state (session);
  return self;
}

static void
cohort_quiz_model_dispose (GObject *object)
{
  CohortQuizModel *self = COHORT_QUIZ_MODEL (object);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_quiz_model_parent_class)->dispose (object);
}

static void
cohort_quiz_model_finalize (GObject *object)
{
  CohortQuizModel *self = COHORT_QUIZ_MODEL (object);

  g_clear_pointer (&self->question, json_object_unref);
  g_clear_pointer (&self->key, json_object_unref);
  g_clear_pointer (&self->answer, json_node_unref);
  g_clear_pointer (&self->choices, g_strfreev);
  g_clear_pointer (&self->counts, g_array_unref);
  g_free (self->grade);
  g_free (self->sync_id);
  g_clear_object (&self->bank);
  g_clear_object (&self->answers);
  g_clear_object (&self->history);
  g_clear_object (&self->scores);

  G_OBJECT_CLASS (cohort_quiz_model_parent_class)->finalize (object);
}

CohortQuizType
cohort_quiz_model_get_question_type (CohortQuizModel *self)
{
  CohortQuizType type = COHORT_QUIZ_SINGLE;

  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), COHORT_QUIZ_SINGLE);
  if (self->run_id != 0 && !cohort_quiz_type_from_string (cohort_quiz_model_get_kind (self), &type))
    type = COHORT_QUIZ_OPEN;
  return type;
}

CohortQuizOutcome
cohort_quiz_model_get_outcome (CohortQuizModel *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), COHORT_QUIZ_OUTCOME_NONE);
  return cohort_quiz_outcome_from_grade (self->grade);
}

gboolean
cohort_quiz_model_get_has_answer (CohortQuizModel *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), FALSE);
  return self->answer != NULL;
}

guint64
cohort_quiz_model_get_chosen (CohortQuizModel *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), 0);
  return _cohort_quiz_answer_bits (self->answer);
}

gboolean
cohort_quiz_model_get_has_key (CohortQuizModel *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), FALSE);
  return self->key != NULL;
}

guint64
cohort_quiz_model_get_correct_choices (CohortQuizModel *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), 0);
  return self->key != NULL ? _cohort_quiz_answer_bits (json_object_get_member (self->key, "correct")) : 0;
}

char *
cohort_quiz_model_dup_key_text (CohortQuizModel *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (self), NULL);
  return _cohort_quiz_format_key (self->question, self->key);
}

static void
cohort_quiz_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortQuizModel *self = COHORT_QUIZ_MODEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_IS_TEACHER:
      g_value_set_boolean (value, self->is_teacher);
      break;
    case PROP_STATE:
      g_value_set_enum (value, cohort_quiz_model_get_state (self));
      break;
    case PROP_RUN_ID:
      g_value_set_int64 (value, self->run_id);
      break;
    case PROP_KIND:
      g_value_set_string (value, cohort_quiz_model_get_kind (self));
      break;
    case PROP_PROMPT:
      g_value_set_string (value, cohort_quiz_model_get_prompt (self));
      break;
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PROP_LAUNCHED_AT:
      g_value_set_int64 (value, self->launched_at);
      break;
    case PROP_DEADLINE:
      g_value_set_int64 (value, self->deadline);
      break;
    case PROP_ALLOW_CHANGE:
      g_value_set_boolean (value, self->allow_change);
      break;
    case PROP_RESULTS_SHOWN:
      g_value_set_boolean (value, self->results_shown);
      break;
    case PROP_ANSWER_PENDING:
      g_value_set_boolean (value, self->answer_pending);
      break;
    case PROP_GRADE:
      g_value_set_string (value, self->grade);
      break;
    case PROP_POINTS:
      g_value_set_double (value, self->points);
      break;
    case PROP_EXPLANATION:
      g_value_set_string (value, cohort_quiz_model_get_explanation (self));
      break;
    case PROP_N_ANSWERED:
      g_value_set_uint (value, self->n_answered);
      break;
    case PROP_N_GRADED:
      g_value_set_uint (value, self->n_graded);
      break;
    case PROP_N_CORRECT:
      g_value_set_uint (value, self->n_correct);
      break;
    case PROP_MEDIAN_MS:
      g_value_set_int64 (value, self->median_ms);
      break;
    case PROP_QUESTION_TYPE:
      g_value_set_enum (value, cohort_quiz_model_get_question_type (self));
      break;
    case PROP_OUTCOME:
      g_value_set_enum (value, cohort_quiz_model_get_outcome (self));
      break;
    case PROP_HAS_ANSWER:
      g_value_set_boolean (value, self->answer != NULL);
      break;
    case PROP_HAS_KEY:
      g_value_set_boolean (value, self->key != NULL);
      break;
    case PROP_KEY_TEXT:
      g_value_take_string (value, cohort_quiz_model_dup_key_text (self));
      break;
    case PROP_CHOSEN:
      g_value_set_uint64 (value, cohort_quiz_model_get_chosen (self));
      break;
    case PROP_CORRECT_CHOICES:
      g_value_set_uint64 (value, cohort_quiz_model_get_correct_choices (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_quiz_model_class_init (CohortQuizModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cohort_quiz_model_dispose;
  object_class->finalize = cohort_quiz_model_finalize;
  object_class->get_property = cohort_quiz_model_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_TEACHER] = g_param_spec_boolean ("is-teacher", NULL, NULL, FALSE, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, COHORT_TYPE_QUIZ_STATE, COHORT_QUIZ_STATE_NONE, ro);
  properties[PROP_RUN_ID] = g_param_spec_int64 ("run-id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, ro);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, ro);
  properties[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LAUNCHED_AT] = g_param_spec_int64 ("launched-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DEADLINE] = g_param_spec_int64 ("deadline", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ALLOW_CHANGE] = g_param_spec_boolean ("allow-change", NULL, NULL, FALSE, ro);
  properties[PROP_RESULTS_SHOWN] = g_param_spec_boolean ("results-shown", NULL, NULL, FALSE, ro);
  properties[PROP_ANSWER_PENDING] = g_param_spec_boolean ("answer-pending", NULL, NULL, FALSE, ro);
  properties[PROP_GRADE] = g_param_spec_string ("grade", NULL, NULL, NULL, ro);
  properties[PROP_POINTS] = g_param_spec_double ("points", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_EXPLANATION] = g_param_spec_string ("explanation", NULL, NULL, NULL, ro);
  properties[PROP_N_ANSWERED] = g_param_spec_uint ("n-answered", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_GRADED] = g_param_spec_uint ("n-graded", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_CORRECT] = g_param_spec_uint ("n-correct", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_MEDIAN_MS] = g_param_spec_int64 ("median-ms", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_QUESTION_TYPE] =
    g_param_spec_enum ("question-type", NULL, NULL, COHORT_TYPE_QUIZ_TYPE, COHORT_QUIZ_SINGLE, ro);
  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL, COHORT_TYPE_QUIZ_OUTCOME, COHORT_QUIZ_OUTCOME_NONE, ro);
  properties[PROP_HAS_ANSWER] = g_param_spec_boolean ("has-answer", NULL, NULL, FALSE, ro);
  properties[PROP_HAS_KEY] = g_param_spec_boolean ("has-key", NULL, NULL, FALSE, ro);
  properties[PROP_KEY_TEXT] = g_param_spec_string ("key-text", NULL, NULL, NULL, ro);
  properties[PROP_CHOSEN] = g_param_spec_uint64 ("chosen", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_CORRECT_CHOICES] =
    g_param_spec_uint64 ("correct-choices", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[QUESTION_ARRIVED] =
    g_signal_new ("question-arrived", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[REVEALED] =
    g_signal_new ("revealed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_quiz_model_init (CohortQuizModel *self)
{
  self->counts = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->choices = g_new0 (char *, 1);
  self->question = json_object_new ();
  self->bank = g_list_store_new (COHORT_TYPE_QUIZ_QUESTION);
  self->answers = g_list_store_new (COHORT_TYPE_QUIZ_ENTRY);
  self->history = g_list_store_new (COHORT_TYPE_QUIZ_ENTRY);
  self->scores = g_list_store_new (COHORT_TYPE_QUIZ_SCORE);

  self->session_signals = g_signal_group_new (COHORT_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "welcome",
                                 G_CALLBACK (on_welcome), self, 0);
  g_signal_group_connect_object (self->session_signals, "event-received",
                                 G_CALLBACK (on_event_received), self, 0);
  g_signal_group_connect_object (self->session_signals, "progress-received",
                                 G_CALLBACK (on_progress_received), self, 0);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (on_session_state), self, 0);
}
