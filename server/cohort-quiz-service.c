/* cohort-quiz-service.c: question banks, live quizzes, grading and scores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-quiz-format.h"
#include "cohort-quiz-grade.h"
#include "cohort-quiz-protocol.h"
#include "cohort-quiz-service.h"
#include "cohort-server-private.h"

/* docs/architecture-quiz.md explains the design; docs/protocol-quiz.md the
 * messages. In short: the store is the truth; each class with quiz activity
 * has a ClassQuiz cache holding its current run and every answer to it, so
 * that an answer costs one insert and one commit, and live results are
 * computed from memory and sent to the teacher at most every
 * COHORT_QUIZ_PROGRESS_MS. */



struct _CohortQuizService
{
  CohortService parent_instance;

  /* Not owned: the server owns the service. */
  CohortServer *server;
  /* class id → ClassQuiz */
  GHashTable   *classes;
  guint         startup_source;
  CohortQuizLockChangedFunc lock_changed;
  gpointer                  lock_changed_data;
  /* How long a sequence left between two questions still locks the helper. */
  gint64                    sequence_gap_ms;
};

G_DEFINE_FINAL_TYPE (CohortQuizService, cohort_quiz_service, COHORT_TYPE_SERVICE)

typedef struct
{
  CohortQuizAnswerRecord  record;
  JsonNode               *node;
} Answer;

typedef struct
{
  CohortQuizRunRecord *record;
  JsonObject          *question;
  JsonArray           *sequence;
  CohortQuizType       type;
  /* participant id → Answer */
  GHashTable          *answers;
  /* participant ids whose answer the teacher has not seen yet */
  GArray              *dirty;
} Run;

typedef struct
{
  CohortQuizService *service;
  gint64             class_id;
  gint64             teacher_id;
  Run               *run;
  guint              flush_source;
  gint64             last_flush_us;
  guint              deadline_source;
  /* Answers applied in memory, waiting for their group commit
   * (PendingAnswer), and the idle that commits them. */
  GPtrArray         *batch;
  guint              batch_source;
  /* The teacher's connections that asked for live results (Watcher) */
  GPtrArray         *watchers;
  /* The launched sequence's tally for quiz.finished: the id of its first
   * run (0: this process did not see it start), participant id → gint64
   * [answered, correct], and the run ids already counted. */
  gint64             tally_sequence_id;
  GHashTable        *tally;
  GHashTable        *tallied_runs;
  /* The helper lock's check after a change (idle, so it runs once the
   * change is committed and broadcast), and its end by the sequence gap. */
  guint              lock_check_source;
  guint              gap_source;
} ClassQuiz;

/* Live results go to a teacher connection as `progress` messages whose
 * "re" is its latest quiz.sync: not logged, so a 50 ms stream of them
 * does not fill the event log; the sync reply and the event at the close
 * carry the durable picture. */
typedef struct
{
  CohortConnection *conn;
  char             *re;
} Watcher;

static void
watcher_free (Watcher *w)
{
  g_clear_object (&w->conn);
  g_free (w->re);
  g_free (w);
}

/* One accepted answer (or a repeat of one) not committed yet. */
typedef struct
{
  /* deferred: answered once the batch is committed */
  CohortRequest          *req;
  gint64                  participant_id;
  char                   *reply_json;
  gboolean                has_record;
  CohortQuizAnswerRecord  record;
  /* The answer it replaced in memory (NULL: none), for a failed commit. */
  Answer                 *previous;
  gboolean                was_dirty;
  /* A resend of a request already in the batch: only the reply is sent. */
  gboolean                repeat;
} PendingAnswer;

static void
answer_free (Answer *answer)
{
  g_free (answer->record.answer);
  g_clear_pointer (&answer->node, json_node_unref);
  g_free (answer);
}

static void
run_free (Run *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->record, cohort_quiz_run_record_free);
  g_clear_pointer (&run->question, json_object_unref);
  g_clear_pointer (&run->sequence, json_array_unref);
  g_clear_pointer (&run->answers, g_hash_table_unref);
  g_clear_pointer (&run->dirty, g_array_unref);
  g_free (run);
}

static void
pending_answer_free (PendingAnswer *pa)
{
  g_clear_object (&pa->req);
  g_free (pa->reply_json);
  g_free (pa->record.answer);
  g_clear_pointer (&pa->previous, answer_free);
  g_free (pa);
}

static void
class_quiz_free (ClassQuiz *cq)
{
  g_clear_handle_id (&cq->batch_source, g_source_remove);
  g_clear_pointer (&cq->batch, g_ptr_array_unref);
  g_clear_pointer (&cq->watchers, g_ptr_array_unref);
  g_clear_handle_id (&cq->flush_source, g_source_remove);
  g_clear_handle_id (&cq->deadline_source, g_source_remove);
  g_clear_handle_id (&cq->lock_check_source, g_source_remove);
  g_clear_handle_id (&cq->gap_source, g_source_remove);
  g_clear_pointer (&cq->run, run_free);
  g_clear_pointer (&cq->tally, g_hash_table_unref);
  g_clear_pointer (&cq->tallied_runs, g_hash_table_unref);
  g_free (cq);
}

/* JSON helpers */

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static char *
node_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static JsonNode *
node_from_string (const char *json)
{
  return json != NULL ? json_from_string (json, NULL) : NULL;
}

static JsonObject *
object_from_string (const char *json)
{
  g_autoptr(JsonNode) node = node_from_string (json);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static const char *
grade_name (int grade)
{
  switch (grade)
    {
    case COHORT_QUIZ_GRADE_CORRECT:
      return "correct";
    case COHORT_QUIZ_GRADE_UNGRADED:
      return "ungraded";
    case COHORT_QUIZ_GRADE_WRONG:
    default:
      return "wrong";
    }
}

/* Runs */

static Run *
run_new (CohortQuizRunRecord *record)
{
  g_autoptr(JsonNode) sequence = node_from_string (record->sequence);
  Run *run = g_new0 (Run, 1);

  run->record = record;
  run->question = object_from_string (record->question);
  if (run->question == NULL)
    {
      g_critical ("Quiz run %" G_GINT64_FORMAT " has a corrupt question", record->id);
      run->question = json_object_new ();
    }
  run->sequence = sequence != NULL && JSON_NODE_HOLDS_ARRAY (sequence)
                  ? json_array_ref (json_node_get_array (sequence)) : json_array_new ();
  run->type = COHORT_QUIZ_OPEN;
  cohort_quiz_type_from_string (json_object_get_string_member_with_default (run->question, "type", ""),
                                &run->type);
  run->answers = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                        (GDestroyNotify) answer_free);
  run->dirty = g_array_new (FALSE, FALSE, sizeof (gint64));
  return run;
}

static void
run_put_answer (Run                          *run,
                const CohortQuizAnswerRecord *record,
                JsonNode                     *node)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->record = *record;
  answer->record.answer = g_strdup (record->answer);
  answer->node = json_node_ref (node);
  g_hash_table_replace (run->answers, &answer->record.participant_id, answer);
}

static gboolean
run_is_open (Run    *run,
             gint64  now)
{
  return run != NULL && run->record->closed_at == 0 &&
         (run->record->deadline == 0 || now < run->record->deadline);
}

static guint
run_n_options (Run *run)
{
  switch (run->type)
    {
    case COHORT_QUIZ_SINGLE:
    case COHORT_QUIZ_MULTIPLE:
      return json_array_get_length (json_object_get_array_member (run->question, "choices"));
    case COHORT_QUIZ_TRUE_FALSE:
      return 2;
    case COHORT_QUIZ_SHORT:
    case COHORT_QUIZ_OPEN:
    default:
      return 0;
    }
}

/* answered, graded, correct, median_ms and counts (per choice; true then
 * false for true/false; none for text answers). */
static JsonObject *
run_stats (Run *run)
{
  JsonObject *stats = json_object_new ();
  JsonArray *counts = json_array_new ();
  guint n_options = run_n_options (run);
  g_autofree gint64 *per_option = g_new0 (gint64, MAX (n_options, 1));
  g_autofree gint64 *times = g_new (gint64, MAX (g_hash_table_size (run->answers), 1));
  GHashTableIter iter;
  gpointer value;
  guint n = 0;
  gint64 graded = 0;
  gint64 correct = 0;

  g_hash_table_iter_init (&iter, run->answers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Answer *a = value;

      times[n++] = a->record.elapsed_ms;
      if (a->record.grade != COHORT_QUIZ_GRADE_UNGRADED)
        graded++;
      if (a->record.grade == COHORT_QUIZ_GRADE_CORRECT)
        correct++;

      if (run->type == COHORT_QUIZ_TRUE_FALSE)
        per_option[json_node_get_boolean (a->node) ? 0 : 1]++;
      else if (run->type == COHORT_QUIZ_SINGLE)
        {
          gint64 i = json_node_get_int (a->node);

          if (i >= 0 && i < n_options)
            per_option[i]++;
        }
      else if (run->type == COHORT_QUIZ_MULTIPLE)
        {
          JsonArray *array = json_node_get_array (a->node);

          for (guint k = 0; k < json_array_get_length (array); k++)
            {
              gint64 i = json_array_get_int_element (array, k);

              if (i >= 0 && i < n_options)
                per_option[i]++;
            }
        }
    }

  for (guint i = 0; i < n_options; i++)
    json_array_add_int_element (counts, per_option[i]);

  json_object_set_int_member (stats, "run_id", run->record->id);
  json_object_set_int_member (stats, "answered", n);
  json_object_set_int_member (stats, "graded", graded);
  json_object_set_int_member (stats, "correct", correct);
  json_object_set_int_member (stats, "median_ms", cohort_quiz_median (times, n));
  json_object_set_array_member (stats, "counts", counts);
  return stats;
}

/* The run as students see it: never the key before the reveal. */
static JsonObject *
run_public_json (Run *run)
{
  CohortQuizRunRecord *r = run->record;
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "run_id", r->id);
  json_object_set_int_member (object, "question_id", r->question_id);
  json_object_set_object_member (object, "question", cohort_quiz_question_public (run->question));
  json_object_set_int_member (object, "index", r->seq_index);
  json_object_set_int_member (object, "count", json_array_get_length (run->sequence));
  json_object_set_int_member (object, "launched_at", r->launched_at);
  if (r->deadline > 0)
    json_object_set_int_member (object, "deadline", r->deadline);
  else
    json_object_set_null_member (object, "deadline");
  json_object_set_int_member (object, "time_limit", r->time_limit_ms / 1000);
  json_object_set_boolean_member (object, "allow_change", r->allow_change);
  return object;
}

/* The run in a welcome body: its state, and the key and results once they
 * are public; @teacher gets the whole question. */
static JsonObject *
run_state_json (Run      *run,
                gboolean  teacher)
{
  CohortQuizRunRecord *r = run->record;
  JsonObject *object = run_public_json (run);
  gint64 closed_at = r->closed_at;

  if (closed_at == 0 && r->deadline > 0 && now_ms () >= r->deadline)
    closed_at = r->deadline;

  if (closed_at > 0)
    json_object_set_int_member (object, "closed_at", closed_at);
  else
    json_object_set_null_member (object, "closed_at");
  json_object_set_boolean_member (object, "revealed", r->revealed_at > 0);
  json_object_set_boolean_member (object, "results_shown", r->results_shown);
  if (teacher)
    json_object_set_object_member (object, "question", json_object_ref (run->question));
  if (teacher || r->revealed_at > 0)
    json_object_set_object_member (object, "key", cohort_quiz_question_key (run->question));
  if (teacher || r->results_shown)
    json_object_set_object_member (object, "results", run_stats (run));
  return object;
}

static JsonObject *
answer_json (Answer   *a,
             gboolean  with_grade)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "participant_id", a->record.participant_id);
  json_object_set_member (object, "answer", json_node_copy (a->node));
  json_object_set_int_member (object, "answered_at", a->record.answered_at);
  json_object_set_int_member (object, "elapsed_ms", a->record.elapsed_ms);
  if (with_grade)
    {
      json_object_set_string_member (object, "grade", grade_name (a->record.grade));
      json_object_set_double_member (object, "points", a->record.points);
    }
  return object;
}

/* Class state */

static void queue_lock_check (ClassQuiz *cq);

static ClassQuiz *
class_quiz_get (CohortQuizService  *self,
                gint64              class_id,
                GError            **error)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(CohortQuizRunRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  ClassQuiz *cq;

  cq = g_hash_table_lookup (self->classes, &class_id);
  if (cq != NULL)
    return cq;

  teacher = cohort_store_find_teacher (store, class_id, &local_error);
  if (local_error == NULL)
    record = cohort_store_quiz_get_last_run (store, class_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  cq = g_new0 (ClassQuiz, 1);
  cq->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_answer_free);
  cq->watchers = g_ptr_array_new_with_free_func ((GDestroyNotify) watcher_free);
  cq->service = self;
  cq->class_id = class_id;
  cq->teacher_id = teacher != NULL ? teacher->id : 0;

  if (record != NULL)
    {
      g_autoptr(GPtrArray) answers = cohort_store_quiz_list_answers (store, record->id, &local_error);

      if (answers == NULL)
        {
          g_ptr_array_unref (cq->batch);
          g_ptr_array_unref (cq->watchers);
          g_free (cq);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      cq->run = run_new (g_steal_pointer (&record));
      for (guint i = 0; i < answers->len; i++)
        {
          CohortQuizAnswerRecord *a = g_ptr_array_index (answers, i);
          g_autoptr(JsonNode) node = node_from_string (a->answer);

          if (node != NULL)
            run_put_answer (cq->run, a, node);
        }
    }

  g_hash_table_insert (self->classes, g_memdup2 (&class_id, sizeof class_id), cq);
  /* A run from before a restart may still lock the helper: the hook
   * hears of it, and a sequence's gap gets its timer. */
  if (cq->run != NULL)
    queue_lock_check (cq);
  return cq;
}

static gboolean
emit_to_teacher (ClassQuiz   *cq,
                 GPtrArray   *pending,
                 const char  *name,
                 JsonObject  *body,
                 GError     **error)
{
  return _cohort_server_emit_event_for (cq->service->server, pending, cq->class_id, name, body,
                                        &cq->teacher_id, 1, error);
}

/* Stats plus the answers the teacher has not seen (@all: every answer). */
static JsonObject *
progress_body (Run      *run,
               gboolean  all)
{
  JsonObject *body = run_stats (run);
  JsonArray *answers = json_array_new ();

  if (all)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, run->answers);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        json_array_add_object_element (answers, answer_json (value, TRUE));
    }
  else
    for (guint i = 0; i < run->dirty->len; i++)
      {
        gint64 id = g_array_index (run->dirty, gint64, i);
        Answer *a = g_hash_table_lookup (run->answers, &id);

        if (a != NULL)
          json_array_add_object_element (answers, answer_json (a, TRUE));
      }
  json_object_set_array_member (body, "answers", answers);
  return body;
}

/* Sends the live results of the committed answers the teacher has not
 * seen to every watching teacher connection, and marks them seen. */
static void
send_live_progress (ClassQuiz *cq)
{
  g_autoptr(JsonObject) body = NULL;

  cq->last_flush_us = g_get_monotonic_time ();
  if (cq->run == NULL || cq->run->dirty->len == 0)
    return;

  body = progress_body (cq->run, FALSE);
  for (guint i = 0; i < cq->watchers->len; i++)
    {
      Watcher *w = g_ptr_array_index (cq->watchers, i);
      g_autoptr(CohortMessage) message = cohort_message_new_progress (w->re, body);

      if (cohort_connection_is_open (w->conn))
        _cohort_server_send_message (w->conn, message);
    }
  g_array_set_size (cq->run->dirty, 0);
}

/* The final results with every answer, as a teacher-only event in the
 * caller's transaction (when the run closes): what a teacher replaying
 * the log sees. */
static gboolean
queue_progress (ClassQuiz  *cq,
                GPtrArray  *pending,
                GError    **error)
{
  if (cq->run == NULL)
    return TRUE;
  return emit_to_teacher (cq, pending, COHORT_EV_QUIZ_PROGRESS, progress_body (cq->run, TRUE), error);
}

static void schedule_progress (ClassQuiz *cq);

/* Group commit: every answer of the batch, its stored reply (for
 * idempotency) and, when due or @with_progress, the teacher's live results
 * go into one transaction; the replies go out after the commit. A failed
 * commit takes the answers back out of memory and answers `internal`:
 * nothing was acknowledged. Returns FALSE on failure. */
static gboolean
commit_answers (ClassQuiz *cq,
                gboolean   with_progress)
{
  CohortServer *server = cq->service->server;
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(GPtrArray) batch = cq->batch;
  g_autoptr(GError) error = NULL;
  gint64 now = now_ms ();
  gboolean progress;

  g_clear_handle_id (&cq->batch_source, g_source_remove);
  cq->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_answer_free);
  if (batch->len == 0)
    return TRUE;

  progress = cq->run != NULL && cq->run->dirty->len > 0 &&
             (with_progress ||
              g_get_monotonic_time () - cq->last_flush_us >= COHORT_QUIZ_PROGRESS_MS * 1000);

  if (!cohort_store_begin (store, &error))
    goto failed;
  for (guint i = 0; i < batch->len; i++)
    {
      PendingAnswer *pa = g_ptr_array_index (batch, i);

      if (pa->has_record && !cohort_store_quiz_save_answer (store, &pa->record, &error))
        goto failed;
      /* A repeat of a request in this batch has no reply of its own to store. */
      if (!pa->repeat &&
          !cohort_store_save_reply (store, pa->participant_id, cohort_request_get_id (pa->req),
                                    pa->reply_json, now, &error))
        goto failed;
    }
  if (!cohort_store_commit (store, &error))
    goto failed;

  for (guint i = 0; i < batch->len; i++)
    {
      PendingAnswer *pa = g_ptr_array_index (batch, i);

      if (cohort_connection_is_open (cohort_request_get_connection (pa->req)))
        cohort_request_complete (pa->req, pa->reply_json);
    }
  if (progress)
    {
      g_clear_handle_id (&cq->flush_source, g_source_remove);
      send_live_progress (cq);
    }
  else
    schedule_progress (cq);
  return TRUE;

failed:
  g_warning ("Store failure, %u quiz answers not applied: %s", batch->len, error ? error->message : "unknown");
  cohort_store_rollback (store);
  for (guint i = batch->len; i > 0; i--)
    {
      PendingAnswer *pa = g_ptr_array_index (batch, i - 1);

      if (pa->has_record && cq->run != NULL && cq->run->record->id == pa->record.run_id)
        {
          if (pa->previous != NULL)
            {
              Answer *previous = g_steal_pointer (&pa->previous);

              g_hash_table_replace (cq->run->answers, &previous->record.participant_id, previous);
            }
          else
            g_hash_table_remove (cq->run->answers, &pa->participant_id);
        }
      cohort_request_fail_not_saved (pa->req);
    }
  return FALSE;
}

static gboolean
commit_answers_idle (gpointer user_data)
{
  ClassQuiz *cq = user_data;

  cq->batch_source = 0;
  commit_answers (cq, FALSE);
  return G_SOURCE_REMOVE;
}

static void
schedule_commit (ClassQuiz *cq)
{
  /* At the default priority: it runs once the frames already read in this
   * turn of the main loop are handled, and frames that arrive while it
   * commits make the next batch. */
  if (cq->batch_source == 0)
    cq->batch_source = g_idle_add_full (G_PRIORITY_DEFAULT, commit_answers_idle, cq, NULL);
}

static gboolean
flush_progress (gpointer user_data)
{
  ClassQuiz *cq = user_data;

  cq->flush_source = 0;

  /* Uncommitted answers go out with their batch, never before it. */
  if (cq->batch->len > 0)
    commit_answers (cq, TRUE);
  else
    send_live_progress (cq);
  return G_SOURCE_REMOVE;
}

static void
schedule_progress (ClassQuiz *cq)
{
  gint64 since_ms;

  if (cq->flush_source != 0)
    return;

  /* The first answer after a quiet spell goes out at once; a stream of
   * answers is batched, so the teacher's results stay within
   * COHORT_QUIZ_PROGRESS_MS at a bounded cost. */
  since_ms = (g_get_monotonic_time () - cq->last_flush_us) / 1000;
  if (since_ms >= COHORT_QUIZ_PROGRESS_MS)
    cq->flush_source = g_idle_add (flush_progress, cq);
  else
    cq->flush_source = g_timeout_add (COHORT_QUIZ_PROGRESS_MS - since_ms, flush_progress, cq);
}

/* Closes the open run inside the caller's transaction, with the teacher's
 * last live results first. */
/* Counts a closed run into the sequence's tally (once per run); at the
 * close of the sequence's last question, emits quiz.finished to the
 * teacher: per student answered, correct and total, for the groups
 * ledger's perfect-quiz badge. A sequence whose start this process did not
 * see (a restart in between) has no complete tally and no event. */
static gboolean
tally_run (ClassQuiz   *cq,
           GPtrArray   *pending,
           GError     **error)
{
  Run *run = cq->run;
  guint total = json_array_get_length (run->sequence);
  GHashTableIter iter;
  gpointer key, value;
  JsonArray *results;
  JsonObject *body;

  if (cq->tally == NULL)
    {
      cq->tally = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      cq->tallied_runs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    }
  if (g_hash_table_contains (cq->tallied_runs, &run->record->id))
    return TRUE;
  if (run->record->seq_index == 0)
    {
      g_hash_table_remove_all (cq->tally);
      g_hash_table_remove_all (cq->tallied_runs);
      cq->tally_sequence_id = run->record->id;
    }
  g_hash_table_add (cq->tallied_runs, g_memdup2 (&run->record->id, sizeof (gint64)));

  g_hash_table_iter_init (&iter, run->answers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Answer *a = value;
      gint64 *counts = g_hash_table_lookup (cq->tally, &a->record.participant_id);

      if (counts == NULL)
        {
          counts = g_new0 (gint64, 2);
          g_hash_table_insert (cq->tally, g_memdup2 (&a->record.participant_id, sizeof (gint64)),
                               counts);
        }
      counts[0]++;
      if (a->record.grade == COHORT_QUIZ_GRADE_CORRECT)
        counts[1]++;
    }

  if (run->record->seq_index + 1 < total || cq->tally_sequence_id == 0 ||
      g_hash_table_size (cq->tallied_runs) != total)
    return TRUE;

  results = json_array_new ();
  g_hash_table_iter_init (&iter, cq->tally);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *r = json_object_new ();
      gint64 *counts = value;

      json_object_set_int_member (r, "participant_id", *(gint64 *) key);
      json_object_set_int_member (r, "answered", counts[0]);
      json_object_set_int_member (r, "correct", counts[1]);
      json_object_set_int_member (r, "total", total);
      json_array_add_object_element (results, r);
    }
  body = json_object_new ();
  json_object_set_int_member (body, "sequence_id", cq->tally_sequence_id);
  json_object_set_int_member (body, "run_id", run->record->id);
  json_object_set_int_member (body, "total", total);
  json_object_set_array_member (body, "results", results);
  cq->tally_sequence_id = 0;
  g_hash_table_remove_all (cq->tally);
  g_hash_table_remove_all (cq->tallied_runs);
  if (cq->teacher_id == 0)
    {
      json_object_unref (body);
      return TRUE;
    }
  return _cohort_server_emit_event_for (cq->service->server, pending, cq->class_id,
                                        COHORT_EV_QUIZ_FINISHED, body, &cq->teacher_id, 1, error);
}

/* How long the launched sequence still locks the helper between its
 * questions: 0 while a question is open, after its last one, or once the
 * gap has passed. */
static gint64
sequence_gap_left (ClassQuiz *cq,
                   gint64     now)
{
  gint64 closed;

  if (cq->run == NULL || run_is_open (cq->run, now) ||
      cq->run->record->seq_index + 1 >= json_array_get_length (cq->run->sequence))
    return 0;
  closed = cq->run->record->closed_at != 0 ? cq->run->record->closed_at : cq->run->record->deadline;
  return MAX (closed + cq->service->sequence_gap_ms - now, 0);
}

static gboolean
on_sequence_gap (gpointer user_data)
{
  ClassQuiz *cq = user_data;

  cq->gap_source = 0;
  queue_lock_check (cq);
  return G_SOURCE_REMOVE;
}

static gboolean
check_lock (gpointer user_data)
{
  ClassQuiz *cq = user_data;
  gint64 left;

  cq->lock_check_source = 0;
  g_clear_handle_id (&cq->gap_source, g_source_remove);
  cq->service->lock_changed (cq->service->server, cq->class_id, cq->service->lock_changed_data);

  /* Nothing else happens when the gap runs out: this timer tells. */
  left = sequence_gap_left (cq, now_ms ());
  if (left > 0)
    cq->gap_source = g_timeout_add ((guint) MIN (left + 1, G_MAXUINT), on_sequence_gap, cq);
  return G_SOURCE_REMOVE;
}

/* The lock may have changed (a run launched or closed): tells the hook
 * once the current change is committed and its events sent. */
static void
queue_lock_check (ClassQuiz *cq)
{
  if (cq->service->lock_changed != NULL && cq->lock_check_source == 0)
    cq->lock_check_source = g_idle_add (check_lock, cq);
}

static gboolean
close_run (ClassQuiz   *cq,
           GPtrArray   *pending,
           gint64       closed_at,
           const char  *reason,
           GError     **error)
{
  Run *run = cq->run;
  CohortStore *store = _cohort_server_get_store (cq->service->server);
  JsonObject *body;

  if (run == NULL || run->record->closed_at != 0)
    return TRUE;

  if (!queue_progress (cq, pending, error))
    return FALSE;

  run->record->closed_at = closed_at;
  if (!cohort_store_quiz_update_run (store, run->record, error))
    {
      run->record->closed_at = 0;
      return FALSE;
    }

  queue_lock_check (cq);
  body = json_object_new ();
  json_object_set_int_member (body, "run_id", run->record->id);
  json_object_set_int_member (body, "closed_at", closed_at);
  json_object_set_string_member (body, "reason", reason);
  return _cohort_server_emit_event (cq->service->server, pending, cq->class_id,
                                    COHORT_EV_QUIZ_CLOSED, body, error) &&
         tally_run (cq, pending, error);
}

static void schedule_deadline (ClassQuiz *cq);

static gboolean
on_deadline (gpointer user_data)
{
  ClassQuiz *cq = user_data;
  CohortServer *server = cq->service->server;
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;

  cq->deadline_source = 0;
  if (cq->run == NULL || cq->run->record->closed_at != 0 || cq->run->record->deadline == 0)
    return G_SOURCE_REMOVE;

  commit_answers (cq, TRUE);

  /* A timer may fire a little early; come back at the deadline. */
  if (now_ms () < cq->run->record->deadline)
    {
      schedule_deadline (cq);
      return G_SOURCE_REMOVE;
    }

  if (!cohort_store_begin (store, &error) ||
      !close_run (cq, pending, cq->run->record->deadline, "deadline", &error) ||
      !cohort_store_commit (store, &error))
    {
      g_warning ("Could not close quiz run %" G_GINT64_FORMAT " at its deadline: %s",
                 cq->run->record->id, error->message);
      cohort_store_rollback (store);
      if (cq->run != NULL)
        cq->run->record->closed_at = 0;
      /* Answers are refused after the deadline anyway; try again soon. */
      cq->deadline_source = g_timeout_add_seconds (1, on_deadline, cq);
      return G_SOURCE_REMOVE;
    }

  g_array_set_size (cq->run->dirty, 0);
  _cohort_server_broadcast (server, pending);
  return G_SOURCE_REMOVE;
}

static void
schedule_deadline (ClassQuiz *cq)
{
  gint64 delay;

  g_clear_handle_id (&cq->deadline_source, g_source_remove);
  if (cq->run == NULL || cq->run->record->closed_at != 0 || cq->run->record->deadline == 0)
    return;

  delay = MAX (cq->run->record->deadline - now_ms (), 0);
  cq->deadline_source = g_timeout_add ((guint) MIN (delay, G_MAXUINT), on_deadline, cq);
}

/* Handlers */

#define GET_CLASS_QUIZ(self, conn, request, cq)                                         \
  G_STMT_START {                                                                        \
    g_autoptr(GError) _error = NULL;                                                    \
    cq = class_quiz_get (self, cohort_connection_get_class_id (conn), &_error);         \
    if (cq == NULL)                                                                     \
      {                                                                                 \
        _cohort_server_send_internal (self->server, conn, cohort_message_get_id (request), \
                                      _error);                                          \
        return;                                                                         \
      }                                                                                 \
  } G_STMT_END

static CohortQuizService *
get_service (CohortServer *server)
{
  return COHORT_QUIZ_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_QUIZ_SERVICE));
}

static gboolean
require_teacher (CohortRequest *req)
{
  return cohort_request_require_teacher (req, _("Only the teacher can change or run quizzes."));
}

static void
send_invalid (CohortRequest       *req,
              CohortInvalidReason  reason,
              const char          *field,
              const char          *message)
{
  cohort_request_error (req, COHORT_ERROR_INVALID, reason, field, message);
}

static void
send_not_found (CohortRequest *req,
                const char    *field,
                const char    *message)
{
  cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, field, message);
}

static JsonObject *
question_json (CohortQuizQuestionRecord *record)
{
  JsonObject *object = object_from_string (record->data);

  if (object == NULL)
    object = json_object_new ();
  json_object_set_int_member (object, "id", record->id);
  json_object_set_int_member (object, "position", record->position);
  return object;
}

static JsonArray *
bank_json (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < records->len; i++)
    json_array_add_object_element (array, question_json (g_ptr_array_index (records, i)));
  return array;
}

/* Parses request member "question"; answers `invalid` naming the member. */
static JsonObject *
parse_question (CohortRequest *req)
{
  JsonObject *raw = json_object_get_object_member (cohort_request_get_body (req), "question");
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  JsonObject *clean;

  clean = cohort_quiz_question_parse (raw, "question", &field, &error);
  if (clean == NULL)
    send_invalid (req, COHORT_INVALID_OUT_OF_RANGE, field, error->message);
  return clean;
}

/* Looks up a question of the connection's class (inside a transaction);
 * answers not_found (and rolls back) when it is not there. */
static CohortQuizQuestionRecord *
find_question (CohortQuizService *self,
               CohortRequest     *req,
               gint64             question_id,
               const char        *field)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(GError) error = NULL;
  CohortQuizQuestionRecord *record;

  record = cohort_store_quiz_get_question (store, question_id, &error);
  if (error != NULL)
    {
      cohort_request_fail (req, error);
      return NULL;
    }
  if (record == NULL || record->class_id != cohort_connection_get_class_id (conn))
    {
      g_clear_pointer (&record, cohort_quiz_question_record_free);
      cohort_store_rollback (store);
      send_not_found (req, field, _("This question is not in the class’s question bank."));
      return NULL;
    }
  return record;
}

/* The quiz state of @req's class. */
static ClassQuiz *
request_quiz (CohortQuizService  *self,
              CohortRequest      *req,
              GError            **error)
{
  return class_quiz_get (self, cohort_connection_get_class_id (cohort_request_get_connection (req)),
                         error);
}

/* quiz.question.saved to the teacher, and the question as the reply. */
static gboolean
finish_question_saved (CohortRequest             *req,
                       ClassQuiz                 *cq,
                       CohortQuizQuestionRecord  *record,
                       GError                   **error)
{
  JsonObject *event_body = json_object_new ();
  JsonObject *ok_body;

  json_object_set_object_member (event_body, "question", question_json (record));
  if (!emit_to_teacher (cq, cohort_request_get_pending (req), COHORT_EV_QUIZ_QUESTION_SAVED,
                        event_body, error))
    return FALSE;

  ok_body = json_object_new ();
  json_object_set_object_member (ok_body, "question", question_json (record));
  cohort_request_finish (req, ok_body);
  return TRUE;
}

static gboolean
handle_question_create (CohortService  *service,
                        CohortRequest  *req,
                        GError        **error)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(JsonObject) question = NULL;
  g_autoptr(GPtrArray) bank = NULL;
  g_autoptr(CohortQuizQuestionRecord) record = NULL;
  g_autofree char *data = NULL;
  ClassQuiz *cq;
  gint64 question_id;

  if (!require_teacher (req) || !(question = parse_question (req)))
    return TRUE;
  if (!(cq = request_quiz (self, req, error)))
    return FALSE;

  if (!cohort_store_begin (store, error) ||
      !(bank = cohort_store_quiz_list_questions (store, cq->class_id, error)))
    return FALSE;

  if (bank->len >= COHORT_QUIZ_MAX_QUESTIONS)
    {
      cohort_store_rollback (store);
      send_invalid (req, COHORT_INVALID_OUT_OF_RANGE, "question",
                    _("The question bank is full (100 questions). Delete a question first."));
      return TRUE;
    }

  data = object_to_string (question);
  if ((question_id = cohort_store_quiz_add_question (store, cq->class_id, data, now_ms (), error)) == 0 ||
      !(record = cohort_store_quiz_get_question (store, question_id, error)))
    return FALSE;

  return finish_question_saved (req, cq, record, error);
}

static gboolean
handle_question_update (CohortService  *service,
                        CohortRequest  *req,
                        GError        **error)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(JsonObject) question = NULL;
  g_autoptr(CohortQuizQuestionRecord) record = NULL;
  JsonObject *body = cohort_request_get_body (req);
  ClassQuiz *cq;

  if (!require_teacher (req) || !(question = parse_question (req)))
    return TRUE;
  if (!(cq = request_quiz (self, req, error)))
    return FALSE;

  if (!cohort_store_begin (store, error))
    return FALSE;
  if (!(record = find_question (self, req,
                                json_object_get_int_member (body, "question_id"), "question_id")))
    return TRUE;

  g_free (record->data);
  record->data = object_to_string (question);
  if (!cohort_store_quiz_update_question (store, record->id, record->data, error))
    return FALSE;

  return finish_question_saved (req, cq, record, error);
}

static gboolean
handle_question_delete (CohortService  *service,
                        CohortRequest  *req,
                        GError        **error)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(CohortQuizQuestionRecord) record = NULL;
  JsonObject *body = cohort_request_get_body (req);
  JsonObject *event_body;
  ClassQuiz *cq;

  if (!require_teacher (req))
    return TRUE;
  if (!(cq = request_quiz (self, req, error)))
    return FALSE;

  if (!cohort_store_begin (store, error))
    return FALSE;
  if (!(record = find_question (self, req,
                                json_object_get_int_member (body, "question_id"), "question_id")))
    return TRUE;

  if (!cohort_store_quiz_delete_question (store, record->id, error))
    return FALSE;

  event_body = json_object_new ();
  json_object_set_int_member (event_body, "question_id", record->id);
  if (!emit_to_teacher (cq, pending, COHORT_EV_QUIZ_QUESTION_DELETED, event_body, error))
    return FALSE;

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

static gboolean
emit_bank (ClassQuiz   *cq,
           GPtrArray   *pending,
           JsonArray  **out_ids,
           GError     **error)
{
  CohortStore *store = _cohort_server_get_store (cq->service->server);
  g_autoptr(GPtrArray) bank = NULL;
  JsonObject *body;

  if (!(bank = cohort_store_quiz_list_questions (store, cq->class_id, error)))
    return FALSE;

  if (out_ids != NULL)
    {
      *out_ids = json_array_new ();
      for (guint i = 0; i < bank->len; i++)
        json_array_add_int_element (*out_ids,
                                    ((CohortQuizQuestionRecord *) g_ptr_array_index (bank, i))->id);
    }

  body = json_object_new ();
  json_object_set_array_member (body, "questions", bank_json (bank));
  return emit_to_teacher (cq, pending, COHORT_EV_QUIZ_BANK, body, error);
}

static gboolean
handle_question_move (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) bank = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonObject *body = cohort_request_get_body (req);
  gint64 question_id = json_object_get_int_member (body, "question_id");
  gint64 position = json_object_get_int_member (body, "position");
  JsonArray *order = NULL;
  JsonObject *ok_body;
  ClassQuiz *cq;
  gboolean found = FALSE;

  if (!require_teacher (req))
    return TRUE;
  if (!(cq = request_quiz (self, req, error)))
    return FALSE;

  if (!cohort_store_begin (store, error) ||
      !(bank = cohort_store_quiz_list_questions (store, cq->class_id, error)))
    return FALSE;

  for (guint i = 0; i < bank->len; i++)
    {
      CohortQuizQuestionRecord *q = g_ptr_array_index (bank, i);

      if (q->id == question_id)
        found = TRUE;
      else
        g_array_append_val (ids, q->id);
    }
  if (!found)
    {
      cohort_store_rollback (store);
      send_not_found (req, "question_id",
                      _("This question is not in the class’s question bank."));
      return TRUE;
    }
  if (position >= bank->len)
    {
      cohort_store_rollback (store);
      send_invalid (req, COHORT_INVALID_OUT_OF_RANGE, "position",
                    _("The position is past the end of the question bank."));
      return TRUE;
    }
  g_array_insert_val (ids, position, question_id);

  if (!cohort_store_quiz_set_order (store, cq->class_id, (gint64 *) ids->data, ids->len, error) ||
      !emit_bank (cq, pending, &order, error))
    return FALSE;

  ok_body = json_object_new ();
  json_object_set_array_member (ok_body, "question_ids", order);
  cohort_request_finish (req, ok_body);

  return TRUE;
}

static gboolean
handle_import (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) questions = NULL;
  g_autoptr(GPtrArray) bank = NULL;
  g_autofree char *field = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonObject *body = cohort_request_get_body (req);
  gboolean replace = json_object_get_boolean_member_with_default (body, "replace", FALSE);
  JsonArray *ids = json_array_new ();
  JsonObject *ok_body;
  ClassQuiz *cq;

  if (!require_teacher (req))
    {
      json_array_unref (ids);
      return TRUE;
    }

  questions = cohort_quiz_file_parse (json_object_get_member (body, "file"), &field, &parse_error);
  if (questions == NULL)
    {
      json_array_unref (ids);
      /* The path inside the file: "questions[2].correct[0]". */
      send_invalid (req, COHORT_INVALID_OUT_OF_RANGE,
                    field != NULL && *field != '\0' ? field : "file", parse_error->message);
      return TRUE;
    }

  if (!(cq = request_quiz (self, req, error)))
    {
      json_array_unref (ids);
      return FALSE;
    }

  if (!cohort_store_begin (store, error) ||
      !(bank = cohort_store_quiz_list_questions (store, cq->class_id, error)))
    {
      json_array_unref (ids);
      return FALSE;
    }

  if ((replace ? 0 : bank->len) + questions->len > COHORT_QUIZ_MAX_QUESTIONS)
    {
      json_array_unref (ids);
      cohort_store_rollback (store);
      send_invalid (req, COHORT_INVALID_OUT_OF_RANGE, "questions",
                    _("The question bank would hold more than 100 questions. Import fewer "
                      "questions or replace the bank."));
      return TRUE;
    }

  for (guint i = 0; replace && i < bank->len; i++)
    if (!cohort_store_quiz_delete_question (store,
                                            ((CohortQuizQuestionRecord *) g_ptr_array_index (bank, i))->id,
                                            error))
      {
        json_array_unref (ids);
        return FALSE;
      }

  for (guint i = 0; i < questions->len; i++)
    {
      g_autofree char *data = object_to_string (g_ptr_array_index (questions, i));
      gint64 question_id = cohort_store_quiz_add_question (store, cq->class_id, data, now_ms (), error);

      if (question_id == 0)
        {
          json_array_unref (ids);
          return FALSE;
        }
      json_array_add_int_element (ids, question_id);
    }

  if (!emit_bank (cq, pending, NULL, error))
    {
      json_array_unref (ids);
      return FALSE;
    }

  ok_body = json_object_new ();
  json_object_set_int_member (ok_body, "count", questions->len);
  json_object_set_array_member (ok_body, "question_ids", ids);
  cohort_request_finish (req, ok_body);

  return TRUE;
}

static gboolean
handle_export (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(GPtrArray) bank = NULL;
  g_autoptr(GPtrArray) questions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) ok_body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  if (!require_teacher (req))
    return TRUE;

  /* Changes nothing, so it is answered without a transaction and not kept
   * for idempotency: a resent export gets the bank as it is now. */
  if (!(bank = cohort_store_quiz_list_questions (store, cohort_connection_get_class_id (conn), error)))
    return FALSE;

  for (guint i = 0; i < bank->len; i++)
    {
      JsonObject *q = object_from_string (((CohortQuizQuestionRecord *) g_ptr_array_index (bank, i))->data);

      if (q != NULL)
        g_ptr_array_add (questions, q);
    }

  json_object_set_object_member (ok_body, "file", cohort_quiz_file_new (questions));
  reply = cohort_message_new_ok (cohort_request_get_id (req), ok_body);
  _cohort_server_send_message (conn, reply);

  return TRUE;
}

/* Starts @sequence[@index] as the class's new run, inside the caller's
 * transaction. The new run is returned; the caller installs it once the
 * transaction is committed. */
static Run *
start_run (ClassQuiz   *cq,
           GPtrArray   *pending,
           JsonArray   *sequence,
           guint        index,
           gint64       limit_override,
           gboolean     allow_change,
           GError     **error)
{
  CohortServer *server = cq->service->server;
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(CohortQuizQuestionRecord) question = NULL;
  g_autoptr(JsonObject) q = NULL;
  g_autoptr(JsonNode) sequence_node = json_node_init_array (json_node_alloc (), sequence);
  CohortQuizRunRecord *record;
  gint64 seconds;
  Run *run;

  question = cohort_store_quiz_get_question (store, json_array_get_int_element (sequence, index), error);
  if (question == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                     "Question %" G_GINT64_FORMAT " vanished", json_array_get_int_element (sequence, index));
      return NULL;
    }
  q = object_from_string (question->data);
  if (q == NULL)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED, "Question %" G_GINT64_FORMAT
                   " is corrupt", question->id);
      return NULL;
    }

  seconds = limit_override >= 0 ? limit_override
                                : json_object_get_int_member_with_default (q, "time_limit", 0);

  record = g_new0 (CohortQuizRunRecord, 1);
  record->class_id = cq->class_id;
  record->question_id = question->id;
  record->question = g_strdup (question->data);
  record->sequence = node_to_string (sequence_node);
  record->seq_index = index;
  record->time_limit_ms = seconds * 1000;
  record->limit_override = limit_override;
  record->allow_change = allow_change;
  record->launched_at = _cohort_server_next_ts (server);
  record->deadline = seconds > 0 ? record->launched_at + seconds * 1000 : 0;

  if (!cohort_store_quiz_add_run (store, record, error))
    {
      cohort_quiz_run_record_free (record);
      return NULL;
    }

  run = run_new (record);
  if (!_cohort_server_emit_event (server, pending, cq->class_id, COHORT_EV_QUIZ_LAUNCHED,
                                  run_public_json (run), error))
    {
      run_free (run);
      return NULL;
    }
  return run;
}

static void
install_run (ClassQuiz *cq,
             Run       *run)
{
  g_clear_handle_id (&cq->flush_source, g_source_remove);
  g_clear_pointer (&cq->run, run_free);
  cq->run = run;
  schedule_deadline (cq);
  queue_lock_check (cq);
}

static void
launch_reply (CohortServer     *server,
              CohortConnection *conn,
              CohortMessage    *request,
              ClassQuiz        *cq,
              Run              *run,
              GPtrArray        *pending,
              gboolean          had_open)
{
  JsonObject *ok_body = json_object_new ();
  Run *previous = cq->run;

  json_object_set_object_member (ok_body, "run", run_state_json (run, TRUE));
  if (!_cohort_server_finish_request (server, conn, request, ok_body, pending))
    {
      /* Rolled back: the previous run is as it was. */
      if (previous != NULL && had_open)
        previous->record->closed_at = 0;
      run_free (run);
      return;
    }
  if (previous != NULL)
    g_array_set_size (previous->dirty, 0);
  install_run (cq, run);
}

static gboolean
handle_launch (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  JsonObject *body = cohort_request_get_body (req);
  JsonArray *ids = json_object_get_array_member (body, "question_ids");
  gint64 limit = json_object_has_member (body, "time_limit") &&
                 !json_object_get_null_member (body, "time_limit")
                 ? json_object_get_int_member (body, "time_limit") : -1;
  gboolean allow_change = json_object_get_boolean_member_with_default (body, "allow_change", TRUE);
  gboolean had_open;
  ClassQuiz *cq;
  Run *run;

  if (!require_teacher (req))
    return TRUE;
  if (limit > 0 && limit < COHORT_QUIZ_MIN_TIME_LIMIT)
    {
      send_invalid (req, COHORT_INVALID_OUT_OF_RANGE, "time_limit",
                    _("A time limit is 0 (none) or at least 5 seconds."));
      return TRUE;
    }
  if (!(cq = request_quiz (self, req, error)))
    return FALSE;
  /* Answers waiting for their group commit come first. */
  commit_answers (cq, TRUE);

  if (!cohort_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      g_autoptr(CohortQuizQuestionRecord) q = find_question (self, req,
                                                             json_array_get_int_element (ids, i),
                                                             "question_ids");
      if (q == NULL)
        return TRUE;
    }

  had_open = cq->run != NULL && cq->run->record->closed_at == 0;
  if (!close_run (cq, pending, _cohort_server_next_ts (server), "replaced", error) ||
      !(run = start_run (cq, pending, ids, 0, limit, allow_change, error)))
    {
      if (had_open)
        cq->run->record->closed_at = 0;
      return FALSE;
    }

  launch_reply (server, conn, request, cq, run, pending, had_open);

  return TRUE;
}

gboolean
cohort_quiz_service_launch (CohortQuizService  *self,
                            CohortRequest      *req,
                            GError            **error)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_SERVICE (self), FALSE);

  return handle_launch (COHORT_SERVICE (self), req, error);
}

static gboolean
handle_next (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  gboolean had_open;
  ClassQuiz *cq;
  Run *run;

  if (!require_teacher (req))
    return TRUE;
  if (!(cq = request_quiz (self, req, error)))
    return FALSE;
  /* Answers waiting for their group commit come first. */
  commit_answers (cq, TRUE);

  if (cq->run == NULL || cq->run->record->seq_index + 1 >= json_array_get_length (cq->run->sequence))
    {
      send_not_found (req, NULL, _("There is no next question in this quiz."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;

  had_open = cq->run->record->closed_at == 0;
  if (!close_run (cq, pending, _cohort_server_next_ts (server), "next", error) ||
      !(run = start_run (cq, pending, cq->run->sequence, cq->run->record->seq_index + 1,
                         cq->run->record->limit_override, cq->run->record->allow_change, error)))
    {
      if (had_open)
        cq->run->record->closed_at = 0;
      return FALSE;
    }

  launch_reply (server, conn, request, cq, run, pending, had_open);

  return TRUE;
}

/* The run a teacher request names, or NULL after answering not_found. */
static Run *
requested_run (ClassQuiz     *cq,
               CohortRequest *req)
{
  gint64 run_id = json_object_get_int_member (cohort_request_get_body (req), "run_id");

  if (cq->run == NULL || cq->run->record->id != run_id)
    {
      send_not_found (req, "run_id", _("This question is no longer the current one."));
      return NULL;
    }
  return cq->run;
}

typedef enum
{
  RUN_CLOSE,
  RUN_REVEAL,
  RUN_SHOW_RESULTS,
} RunAction;

static gboolean
reveal_run (ClassQuiz   *cq,
            GPtrArray   *pending,
            GError     **error)
{
  Run *run = cq->run;
  JsonObject *body;
  JsonArray *scores;
  GHashTableIter iter;
  gpointer value;

  body = json_object_new ();
  json_object_set_int_member (body, "run_id", run->record->id);
  json_object_set_object_member (body, "key", cohort_quiz_question_key (run->question));
  if (!_cohort_server_emit_event (cq->service->server, pending, cq->class_id,
                                  COHORT_EV_QUIZ_REVEALED, body, error))
    return FALSE;

  /* For the points and leaderboards of groups: one event, every answer. */
  scores = json_array_new ();
  g_hash_table_iter_init (&iter, run->answers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Answer *a = value;
      JsonObject *score = json_object_new ();

      json_object_set_int_member (score, "participant_id", a->record.participant_id);
      json_object_set_string_member (score, "grade", grade_name (a->record.grade));
      json_object_set_double_member (score, "points", a->record.points);
      json_object_set_int_member (score, "elapsed_ms", a->record.elapsed_ms);
      json_array_add_object_element (scores, score);
    }
  body = json_object_new ();
  json_object_set_int_member (body, "run_id", run->record->id);
  json_object_set_int_member (body, "question_id", run->record->question_id);
  json_object_set_array_member (body, "scores", scores);
  return _cohort_server_emit_event (cq->service->server, pending, cq->class_id,
                                    COHORT_EV_QUIZ_SCORED, body, error);
}

static void
handle_run_action (CohortRequest *req,
                   RunAction     action)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortQuizService *self = get_service (server);
  CohortStore *store = _cohort_server_get_store (server);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GError) error = NULL;
  CohortQuizRunRecord saved;
  gboolean was_closed;
  ClassQuiz *cq;
  Run *run;

  if (!require_teacher (req))
    return;
  GET_CLASS_QUIZ (self, conn, request, cq);
  /* Answers waiting for their group commit come first. */
  commit_answers (cq, TRUE);
  if (!(run = requested_run (cq, req)))
    return;

  saved = *run->record;
  was_closed = run->record->closed_at != 0;

  if (!cohort_store_begin (store, &error))
    {
      cohort_request_fail (req, error);
      return;
    }

  /* Revealing or showing results closes the question first. */
  if (!close_run (cq, pending, _cohort_server_next_ts (server), "teacher", &error))
    goto failed;

  if (action == RUN_REVEAL && run->record->revealed_at == 0)
    {
      run->record->revealed_at = _cohort_server_next_ts (server);
      if (!cohort_store_quiz_update_run (store, run->record, &error) ||
          !reveal_run (cq, pending, &error))
        goto failed;
    }
  else if (action == RUN_SHOW_RESULTS && !run->record->results_shown)
    {
      run->record->results_shown = TRUE;
      if (!cohort_store_quiz_update_run (store, run->record, &error) ||
          !cohort_request_emit (req, cq->class_id, COHORT_EV_QUIZ_RESULTS,
                                      run_stats (run), &error))
        goto failed;
    }

  if (!cohort_request_finish (req, json_object_new ()))
    {
      run->record->closed_at = saved.closed_at;
      run->record->revealed_at = saved.revealed_at;
      run->record->results_shown = saved.results_shown;
      return;
    }

  if (!was_closed)
    {
      g_array_set_size (run->dirty, 0);
      g_clear_handle_id (&cq->flush_source, g_source_remove);
      g_clear_handle_id (&cq->deadline_source, g_source_remove);
    }
  return;

failed:
  run->record->closed_at = saved.closed_at;
  run->record->revealed_at = saved.revealed_at;
  run->record->results_shown = saved.results_shown;
  cohort_request_fail (req, error);
}

static gboolean
handle_close (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  handle_run_action (req, RUN_CLOSE);

  return TRUE;
}

static gboolean
handle_reveal (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  handle_run_action (req, RUN_REVEAL);

  return TRUE;
}

static gboolean
handle_show_results (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  handle_run_action (req, RUN_SHOW_RESULTS);

  return TRUE;
}

static void
send_quiz_closed (CohortRequest *req)
{
  cohort_request_error (req, COHORT_ERROR_QUIZ_CLOSED, COHORT_INVALID_NONE, "run_id",
                        _("This question is closed. Answers are no longer accepted."));
}

static Answer *
answer_copy (Answer *a)
{
  Answer *copy = g_new0 (Answer, 1);

  copy->record = a->record;
  copy->record.answer = g_strdup (a->record.answer);
  copy->node = json_node_ref (a->node);
  return copy;
}

/* Puts @record (and its reply) in the class's batch, applied in memory at
 * once, committed by commit_answers() with every other answer that came
 * in the same turn of the main loop. */
static void schedule_commit (ClassQuiz *cq);

static gboolean
handle_answer (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  g_autoptr(GError) answer_error = NULL;
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  g_autoptr(JsonObject) ok_body = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body = cohort_request_get_body (req);
  const char *id = cohort_request_get_id (req);
  gint64 run_id = json_object_get_int_member (body, "run_id");
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  JsonNode *answer = json_object_get_member (body, "answer");
  gint64 now = now_ms ();
  PendingAnswer *pa;
  Answer *existing;
  ClassQuiz *cq;
  Run *run;

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only students answer quiz questions."));
      return TRUE;
    }
  if (!(cq = request_quiz (self, req, error)))
    return FALSE;

  /* The same request again before its first copy is committed: it gets
   * the same reply, once that is stored. */
  for (guint i = 0; i < cq->batch->len; i++)
    {
      PendingAnswer *other = g_ptr_array_index (cq->batch, i);

      if (other->participant_id == participant_id &&
          g_str_equal (cohort_request_get_id (other->req), id))
        {
          pa = g_new0 (PendingAnswer, 1);
          pa->req = cohort_request_defer (req);
          pa->participant_id = participant_id;
          pa->reply_json = g_strdup (other->reply_json);
          pa->repeat = TRUE;
          g_ptr_array_add (cq->batch, pa);
          return TRUE;
        }
    }

  run = cq->run;
  if (run == NULL || run_id > run->record->id)
    {
      send_not_found (req, "run_id", _("There is no such question."));
      return TRUE;
    }
  /* An earlier question, or this one past its deadline or closed. */
  if (run_id != run->record->id || !run_is_open (run, now))
    {
      send_quiz_closed (req);
      return TRUE;
    }

  if (!cohort_quiz_check_answer (run->question, answer, &answer_error))
    {
      send_invalid (req, COHORT_INVALID_OUT_OF_RANGE, "answer", answer_error->message);
      return TRUE;
    }

  existing = g_hash_table_lookup (run->answers, &participant_id);
  if (existing != NULL && !cohort_quiz_answers_equal (existing->node, answer) &&
      !run->record->allow_change)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_FORBIDDEN, COHORT_INVALID_NONE, "answer",
                                 _("Your first answer is final for this question."));
      return TRUE;
    }

  pa = g_new0 (PendingAnswer, 1);
  pa->req = cohort_request_defer (req);
  pa->participant_id = participant_id;

  ok_body = json_object_new ();
  json_object_set_int_member (ok_body, "run_id", run->record->id);

  if (existing != NULL && cohort_quiz_answers_equal (existing->node, answer))
    {
      /* The same answer again (another request id): nothing changes. */
      json_object_set_member (ok_body, "answer", json_node_copy (existing->node));
      json_object_set_int_member (ok_body, "answered_at", existing->record.answered_at);
      json_object_set_int_member (ok_body, "elapsed_ms", existing->record.elapsed_ms);
      json_object_set_boolean_member (ok_body, "changed", FALSE);
    }
  else
    {
      pa->has_record = TRUE;
      pa->record.run_id = run->record->id;
      pa->record.participant_id = participant_id;
      pa->record.answer = node_to_string (answer);
      pa->record.answered_at = now;
      pa->record.elapsed_ms = MAX (now - run->record->launched_at, 0);
      pa->record.grade = cohort_quiz_grade (run->question, answer);
      pa->record.points = cohort_quiz_points (pa->record.grade, pa->record.elapsed_ms,
                                              run->record->time_limit_ms);

      json_object_set_member (ok_body, "answer", json_node_copy (answer));
      json_object_set_int_member (ok_body, "answered_at", pa->record.answered_at);
      json_object_set_int_member (ok_body, "elapsed_ms", pa->record.elapsed_ms);
      json_object_set_boolean_member (ok_body, "changed", existing != NULL);

      /* Applied in memory now, so that the next answer in this batch sees
       * it; taken back if the commit fails. */
      pa->previous = existing != NULL ? answer_copy (existing) : NULL;
      for (guint i = 0; i < run->dirty->len; i++)
        if (g_array_index (run->dirty, gint64, i) == participant_id)
          pa->was_dirty = TRUE;
      run_put_answer (run, &pa->record, answer);
      if (!pa->was_dirty)
        g_array_append_val (run->dirty, participant_id);
    }

  reply = cohort_message_new_ok (id, ok_body);
  pa->reply_json = cohort_message_to_json (reply, NULL);
  g_ptr_array_add (cq->batch, pa);
  schedule_commit (cq);

  return TRUE;
}

/* Welcome: the quiz part of a join, create or snapshot reply */

static JsonArray *
history_json (ClassQuiz   *cq,
              gint64       participant_id,
              GError     **error)
{
  CohortStore *store = _cohort_server_get_store (cq->service->server);
  g_autoptr(GPtrArray) runs = NULL;
  JsonArray *history;

  if (!(runs = cohort_store_quiz_list_revealed_runs (store, cq->class_id, COHORT_QUIZ_HISTORY_LIMIT,
                                                     error)))
    return NULL;

  history = json_array_new ();
  for (guint i = 0; i < runs->len; i++)
    {
      CohortQuizRunRecord *r = g_ptr_array_index (runs, i);
      g_autoptr(CohortQuizAnswerRecord) a = NULL;
      g_autoptr(JsonObject) question = object_from_string (r->question);
      JsonObject *item;

      if (question == NULL)
        continue;
      a = cohort_store_quiz_get_answer (store, r->id, participant_id, error);
      if (a == NULL && error != NULL && *error != NULL)
        {
          json_array_unref (history);
          return NULL;
        }

      item = json_object_new ();
      json_object_set_int_member (item, "run_id", r->id);
      json_object_set_int_member (item, "launched_at", r->launched_at);
      json_object_set_object_member (item, "question", cohort_quiz_question_public (question));
      json_object_set_object_member (item, "key", cohort_quiz_question_key (question));
      if (a != NULL)
        {
          g_autoptr(JsonNode) node = node_from_string (a->answer);

          json_object_set_member (item, "answer", node ? json_node_copy (node) : json_node_new (JSON_NODE_NULL));
          json_object_set_string_member (item, "grade", grade_name (a->grade));
          json_object_set_double_member (item, "points", a->points);
          json_object_set_int_member (item, "elapsed_ms", a->elapsed_ms);
        }
      else
        {
          json_object_set_null_member (item, "answer");
          json_object_set_null_member (item, "grade");
          json_object_set_double_member (item, "points", 0);
        }
      json_array_add_object_element (history, item);
    }
  return history;
}

static JsonObject *
welcome_json (ClassQuiz         *cq,
              CohortConnection  *conn,
              GError           **error)
{
  CohortStore *store = _cohort_server_get_store (cq->service->server);
  g_autoptr(JsonObject) quiz = json_object_new ();
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  Run *run = cq->run;

  if (cohort_connection_is_teacher (conn))
    {
      g_autoptr(GPtrArray) bank = NULL;
      g_autoptr(GPtrArray) scores = NULL;
      JsonArray *answers = json_array_new ();
      JsonArray *score_array = json_array_new ();

      json_object_set_array_member (quiz, "answers", answers);
      json_object_set_array_member (quiz, "scores", score_array);
      if (!(bank = cohort_store_quiz_list_questions (store, cq->class_id, error)) ||
          !(scores = cohort_store_quiz_list_scores (store, cq->class_id, error)))
        return NULL;

      json_object_set_array_member (quiz, "bank", bank_json (bank));
      if (run != NULL)
        {
          GHashTableIter iter;
          gpointer value;

          json_object_set_object_member (quiz, "run", run_state_json (run, TRUE));
          g_hash_table_iter_init (&iter, run->answers);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            json_array_add_object_element (answers, answer_json (value, TRUE));
        }
      else
        json_object_set_null_member (quiz, "run");

      for (guint i = 0; i < scores->len; i++)
        {
          CohortQuizScoreRecord *s = g_ptr_array_index (scores, i);
          JsonObject *score = json_object_new ();

          json_object_set_int_member (score, "participant_id", s->participant_id);
          json_object_set_double_member (score, "points", s->points);
          json_object_set_int_member (score, "correct", s->n_correct);
          json_object_set_int_member (score, "answered", s->n_answered);
          json_array_add_object_element (score_array, score);
        }
    }
  else
    {
      JsonArray *history;

      if (run != NULL)
        {
          Answer *mine = g_hash_table_lookup (run->answers, &participant_id);

          json_object_set_object_member (quiz, "run", run_state_json (run, FALSE));
          if (mine != NULL)
            json_object_set_object_member (quiz, "you", answer_json (mine, run->record->revealed_at > 0));
          else
            json_object_set_null_member (quiz, "you");
        }
      else
        {
          json_object_set_null_member (quiz, "run");
          json_object_set_null_member (quiz, "you");
        }

      if (!(history = history_json (cq, participant_id, error)))
        return NULL;
      json_object_set_array_member (quiz, "history", history);
    }

  return g_steal_pointer (&quiz);
}

/* Read only, like a welcome; not stored for idempotency. */
static gboolean
handle_sync (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  g_autoptr(JsonObject) ok_body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *quiz;
  ClassQuiz *cq;

  if (!(cq = request_quiz (self, req, error)))
    return FALSE;
  /* Answers waiting for their group commit come first. */
  commit_answers (cq, TRUE);
  if (!(quiz = welcome_json (cq, conn, error)))
    return FALSE;

  json_object_set_object_member (ok_body, COHORT_QUIZ_WELCOME_MEMBER, quiz);
  reply = cohort_message_new_ok (cohort_request_get_id (req), ok_body);
  _cohort_server_send_message (conn, reply);

  /* The teacher's live results follow as progress to this request. */
  if (cohort_connection_is_teacher (conn))
    {
      Watcher *w = g_new0 (Watcher, 1);

      for (guint i = cq->watchers->len; i > 0; i--)
        if (((Watcher *) g_ptr_array_index (cq->watchers, i - 1))->conn == conn)
          g_ptr_array_remove_index (cq->watchers, i - 1);
      w->conn = g_object_ref (conn);
      w->re = g_strdup (cohort_request_get_id (req));
      g_ptr_array_add (cq->watchers, w);
    }

  return TRUE;
}

static void
cohort_quiz_service_connection_left (CohortService    *service,
                                     CohortConnection *conn)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  gint64 class_id = cohort_connection_get_class_id (conn);
  ClassQuiz *cq = g_hash_table_lookup (self->classes, &class_id);

  if (cq == NULL)
    return;
  for (guint i = cq->watchers->len; i > 0; i--)
    if (((Watcher *) g_ptr_array_index (cq->watchers, i - 1))->conn == conn)
      g_ptr_array_remove_index (cq->watchers, i - 1);
}

static void
cohort_quiz_service_welcome (CohortService    *service,
                             CohortConnection *conn,
                             JsonObject       *body)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (service);
  g_autoptr(GError) error = NULL;
  ClassQuiz *cq;
  JsonObject *quiz;

  cq = class_quiz_get (self, cohort_connection_get_class_id (conn), &error);
  if (cq != NULL)
    commit_answers (cq, TRUE);
  if (cq == NULL || !(quiz = welcome_json (cq, conn, &error)))
    {
      /* The join still works; the quiz shows up with the next event. */
      g_warning ("Could not add the quiz to a welcome: %s", error ? error->message : "unknown");
      return;
    }
  json_object_set_object_member (body, COHORT_QUIZ_WELCOME_MEMBER, quiz);
}

/* Restart: deadlines that passed while the server was down close now, the
 * others get their timers back. */
static gboolean
resume_deadlines (gpointer user_data)
{
  CohortQuizService *self = user_data;
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(GPtrArray) open_runs = NULL;
  g_autoptr(GError) error = NULL;

  self->startup_source = 0;

  if (!(open_runs = cohort_store_quiz_list_open_runs (store, &error)))
    {
      g_warning ("Could not list open quiz questions: %s", error->message);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < open_runs->len; i++)
    {
      CohortQuizRunRecord *r = g_ptr_array_index (open_runs, i);
      g_autoptr(GError) local_error = NULL;
      ClassQuiz *cq;

      if (r->deadline == 0)
        continue;
      cq = class_quiz_get (self, r->class_id, &local_error);
      if (cq == NULL)
        g_warning ("Could not load the quiz of class %" G_GINT64_FORMAT ": %s",
                   r->class_id, local_error->message);
      else
        schedule_deadline (cq);
    }
  return G_SOURCE_REMOVE;
}

gboolean
_cohort_quiz_service_is_running (CohortServer *server,
                                 gint64        class_id)
{
  CohortQuizService *self;

  g_return_val_if_fail (COHORT_IS_SERVER (server), FALSE);

  self = get_service (server);
  return self != NULL && cohort_quiz_service_is_running (self, class_id);
}

gboolean
cohort_quiz_service_is_running (CohortQuizService *self,
                                gint64             class_id)
{
  g_autoptr(GError) error = NULL;
  ClassQuiz *cq;

  g_return_val_if_fail (COHORT_IS_QUIZ_SERVICE (self), FALSE);

  cq = class_quiz_get (self, class_id, &error);
  if (cq == NULL)
    {
      g_warning ("Could not load the quiz of class %" G_GINT64_FORMAT ": %s", class_id, error->message);
      return FALSE;
    }
  return run_is_open (cq->run, now_ms ());
}

gboolean
cohort_quiz_service_locks_helper (CohortQuizService *self,
                                  gint64             class_id)
{
  g_autoptr(GError) error = NULL;
  ClassQuiz *cq;
  gint64 now = now_ms ();

  g_return_val_if_fail (COHORT_IS_QUIZ_SERVICE (self), FALSE);

  cq = class_quiz_get (self, class_id, &error);
  if (cq == NULL)
    {
      g_warning ("Could not load the quiz of class %" G_GINT64_FORMAT ": %s", class_id, error->message);
      return FALSE;
    }
  return run_is_open (cq->run, now) || sequence_gap_left (cq, now) > 0;
}

void
cohort_quiz_service_set_lock_changed_func (CohortQuizService         *self,
                                           CohortQuizLockChangedFunc  func,
                                           gpointer                   user_data)
{
  g_return_if_fail (COHORT_IS_QUIZ_SERVICE (self));

  self->lock_changed = func;
  self->lock_changed_data = user_data;
}

static void
cohort_quiz_service_dispose (GObject *object)
{
  CohortQuizService *self = COHORT_QUIZ_SERVICE (object);

  g_clear_handle_id (&self->startup_source, g_source_remove);
  g_clear_pointer (&self->classes, g_hash_table_unref);

  G_OBJECT_CLASS (cohort_quiz_service_parent_class)->dispose (object);
}

static void
cohort_quiz_service_class_init (CohortQuizServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_quiz_service_dispose;
  COHORT_SERVICE_CLASS (klass)->welcome = cohort_quiz_service_welcome;
  COHORT_SERVICE_CLASS (klass)->connection_left = cohort_quiz_service_connection_left;
}

static void
cohort_quiz_service_init (CohortQuizService *self)
{
  const char *gap = g_getenv ("COHORT_QUIZ_SEQUENCE_GAP_MS");

  self->classes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) class_quiz_free);
  /* A sequence left between two questions this long (the teacher went on
   * with the lesson without quiz.next) counts as ended. The variable is
   * for tests, which cannot wait 15 minutes. */
  self->sequence_gap_ms = gap != NULL ? g_ascii_strtoll (gap, NULL, 10) : 0;
  if (self->sequence_gap_ms <= 0)
    self->sequence_gap_ms = 15 * 60 * 1000;
}

CohortQuizService *
cohort_quiz_service_new (CohortServer *server)
{
  CohortQuizService *self = g_object_new (COHORT_TYPE_QUIZ_SERVICE, "server", server, NULL);

  self->server = server;

  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_QUESTION_CREATE, handle_question_create);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_QUESTION_UPDATE, handle_question_update);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_QUESTION_DELETE, handle_question_delete);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_QUESTION_MOVE, handle_question_move);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_IMPORT, handle_import);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_EXPORT, handle_export);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_LAUNCH, handle_launch);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_NEXT, handle_next);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_CLOSE, handle_close);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_REVEAL, handle_reveal);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_SHOW_RESULTS, handle_show_results);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_ANSWER, handle_answer);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_QUIZ_SYNC, handle_sync);

  self->startup_source = g_idle_add (resume_deadlines, self);
  return self;
}
