/* cohort-practice-service.c: knowledge.*, practice.* and mastery.*
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-json-strict.h"
#include "cohort-practice-protocol.h"
#include "cohort-quiz-format.h"
#include "cohort-quiz-grade.h"
#include "cohort-quiz-protocol.h"

#include "cohort-mastery.h"
#include "cohort-practice-service.h"
#include "cohort-practice-set.h"
#include "cohort-server-private.h"

#define DAY_MS (24 * 3600 * (gint64) 1000)
#define EVENTS_PAGE 500

typedef enum
{
  USE_NORMAL,
  USE_PRACTICE_ONLY,
  USE_AFTER_LIVE,
} Use;

/* One bank question as practice sees it. */
typedef struct
{
  gint64          question_id;
  JsonObject     *question;      /* the bank's copy */
  CohortQuizType  type;
  Use             use;
  gint64          point_ids[COHORT_PRACTICE_MAX_QUESTION_POINTS];
  guint           n_points;
} BankQuestion;

/* What practice keeps of a class between requests: the bank with its tags
 * resolved to point ids, the points, the questions' difficulty and their
 * live runs. Rebuilt from the store when the bank, the points or a run
 * changed (the log says so); the difficulty is kept up to date in place. */
typedef struct
{
  gint64      class_id;
  gboolean    valid;
  GArray     *bank;              /* BankQuestion */
  GHashTable *by_id;             /* question id → index + 1 into bank */
  GPtrArray  *points;            /* CohortPracticePointRecord, by name */
  GHashTable *point_index;       /* point id → index + 1 into points */
  GHashTable *items;             /* question id → CohortMasteryItem* */
  GHashTable *runs;              /* question id → CohortPracticeRunState* */
  /* The log's seq read up to. The stored cursor moves only when a
   * quiz.scored was folded (what must never fold twice); the rest of the
   * log is read again after a restart, harmlessly, and a read that only
   * passes over it writes nothing (no commit to wait for). */
  gint64      seen_seq;
} ClassCache;

struct _CohortPracticeService
{
  CohortService      parent_instance;

  CohortQuizService *quiz;       /* unowned: the server owns every service */
  CohortAiService   *ai;
  GHashTable        *classes;    /* class id → ClassCache */
  /* practice.answer requests waiting for their group commit (deferred
   * CohortRequest), and the idle that applies them. */
  GPtrArray         *queued_answers;
  guint              answers_source;
};

G_DEFINE_FINAL_TYPE (CohortPracticeService, cohort_practice_service, COHORT_TYPE_SERVICE)

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static void
class_cache_clear (ClassCache *cc)
{
  for (guint i = 0; cc->bank != NULL && i < cc->bank->len; i++)
    json_object_unref (g_array_index (cc->bank, BankQuestion, i).question);
  g_clear_pointer (&cc->bank, g_array_unref);
  g_clear_pointer (&cc->by_id, g_hash_table_unref);
  g_clear_pointer (&cc->points, g_ptr_array_unref);
  g_clear_pointer (&cc->point_index, g_hash_table_unref);
  g_clear_pointer (&cc->items, g_hash_table_unref);
  g_clear_pointer (&cc->runs, g_hash_table_unref);
  cc->valid = FALSE;
}

static void
class_cache_free (ClassCache *cc)
{
  class_cache_clear (cc);
  g_free (cc);
}

static Use
use_from_string (const char *use)
{
  if (g_strcmp0 (use, COHORT_PRACTICE_USE_PRACTICE_ONLY) == 0)
    return USE_PRACTICE_ONLY;
  if (g_strcmp0 (use, COHORT_PRACTICE_USE_AFTER_LIVE) == 0)
    return USE_AFTER_LIVE;
  return USE_NORMAL;
}

static const CohortPracticePointRecord *
cache_point (ClassCache *cc,
             gint64      point_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (cc->point_index, &point_id));

  return index > 0 ? g_ptr_array_index (cc->points, index - 1) : NULL;
}

static const char *
point_name (ClassCache *cc,
            gint64      point_id)
{
  const CohortPracticePointRecord *p = cache_point (cc, point_id);

  return p != NULL ? p->name : "";
}

static BankQuestion *
cache_question (ClassCache *cc,
                gint64      question_id)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (cc->by_id, &question_id));

  return index > 0 ? &g_array_index (cc->bank, BankQuestion, index - 1) : NULL;
}

static CohortMasteryItem *
cache_item (ClassCache *cc,
            gint64      question_id)
{
  CohortMasteryItem *item = g_hash_table_lookup (cc->items, &question_id);

  if (item == NULL)
    {
      gint64 *key = g_memdup2 (&question_id, sizeof question_id);

      item = g_new0 (CohortMasteryItem, 1);
      g_hash_table_insert (cc->items, key, item);
    }
  return item;
}

static const CohortPracticeRunState *
cache_runs (ClassCache *cc,
            gint64      question_id)
{
  return g_hash_table_lookup (cc->runs, &question_id);
}

/* Whether a live run of the question waits for its reveal: its key must
 * not reach a student through practice before. */
static gboolean
question_locked (ClassCache   *cc,
                 BankQuestion *q)
{
  const CohortPracticeRunState *runs = cache_runs (cc, q->question_id);

  return runs != NULL && runs->unrevealed;
}

/* Self-paced practice may ask @q (its points' switches aside). */
static gboolean
question_practisable (ClassCache   *cc,
                      BankQuestion *q)
{
  const CohortPracticeRunState *runs = cache_runs (cc, q->question_id);

  if (q->type == COHORT_QUIZ_OPEN || q->n_points == 0 || question_locked (cc, q))
    return FALSE;
  if (q->use == USE_AFTER_LIVE && (runs == NULL || !runs->revealed))
    return FALSE;
  return TRUE;
}

static gboolean
point_on (ClassCache *cc,
          gint64      point_id)
{
  const CohortPracticePointRecord *p = cache_point (cc, point_id);

  return p != NULL && p->practice;
}

/* The point named @name in the class, created when missing: a question's
 * tags name points, and saving or importing one brings its points. */
static gint64
resolve_point (CohortStore  *store,
               gint64        class_id,
               const char   *name,
               gboolean     *created,
               GError      **error)
{
  g_autofree char *key = cohort_quiz_normalize_text (name);
  gint64 id;

  if (key == NULL)
    return 0;
  id = cohort_store_practice_find_point (store, class_id, key, error);
  if (id > 0 || (error != NULL && *error != NULL))
    return id;
  *created = TRUE;
  return cohort_store_practice_add_point (store, class_id, name, key, now_ms (), error);
}

/* Loads the class's bank, points, difficulties and runs. Inside the
 * caller's transaction: it may create points. */
static ClassCache *
class_cache (CohortPracticeService  *self,
             gint64                  class_id,
             GError                **error)
{
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GArray) items = NULL;
  g_autoptr(GArray) runs = NULL;
  ClassCache *cc = g_hash_table_lookup (self->classes, &class_id);
  gboolean created = FALSE;

  if (cc == NULL)
    {
      cc = g_new0 (ClassCache, 1);
      cc->class_id = class_id;
      g_hash_table_insert (self->classes, &cc->class_id, cc);
    }
  if (cc->valid)
    return cc;
  class_cache_clear (cc);

  cc->bank = g_array_new (FALSE, TRUE, sizeof (BankQuestion));
  cc->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  cc->point_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  cc->items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  cc->runs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  if (!(records = cohort_store_quiz_list_questions (store, class_id, error)))
    return NULL;
  for (guint i = 0; i < records->len; i++)
    {
      CohortQuizQuestionRecord *r = g_ptr_array_index (records, i);
      g_autoptr(JsonNode) node = json_from_string (r->data, NULL);
      BankQuestion q = { 0 };
      JsonArray *tags;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      q.question_id = r->id;
      q.question = json_object_ref (json_node_get_object (node));
      if (!cohort_quiz_type_from_string (json_object_get_string_member_with_default (q.question, "type", ""),
                                         &q.type))
        q.type = COHORT_QUIZ_OPEN;
      q.use = use_from_string (json_object_get_string_member_with_default (q.question, "practice", NULL));
      tags = json_object_has_member (q.question, "knowledge_points")
             ? json_object_get_array_member (q.question, "knowledge_points") : NULL;
      for (guint t = 0; tags != NULL && t < json_array_get_length (tags) &&
           q.n_points < COHORT_PRACTICE_MAX_QUESTION_POINTS; t++)
        {
          const char *name = json_array_get_string_element (tags, t);
          gint64 id;

          if (name == NULL)
            continue;
          id = resolve_point (store, class_id, name, &created, error);
          if (error != NULL && *error != NULL)
            {
              json_object_unref (q.question);
              return NULL;
            }
          if (id > 0)
            q.point_ids[q.n_points++] = id;
        }
      g_array_append_val (cc->bank, q);
      g_hash_table_insert (cc->by_id, g_memdup2 (&q.question_id, sizeof (gint64)),
                           GUINT_TO_POINTER (cc->bank->len));
    }

  if (!(cc->points = cohort_store_practice_list_points (store, class_id, error)))
    return NULL;
  for (guint i = 0; i < cc->points->len; i++)
    {
      CohortPracticePointRecord *p = g_ptr_array_index (cc->points, i);

      g_hash_table_insert (cc->point_index, g_memdup2 (&p->id, sizeof (gint64)), GUINT_TO_POINTER (i + 1));
    }

  if (!(items = cohort_store_practice_list_items (store, class_id, error)))
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      CohortPracticeItemRecord *r = &g_array_index (items, CohortPracticeItemRecord, i);

      g_hash_table_insert (cc->items, g_memdup2 (&r->question_id, sizeof (gint64)),
                           g_memdup2 (&r->item, sizeof r->item));
    }

  if (!(runs = cohort_store_practice_list_run_states (store, class_id, error)))
    return NULL;
  for (guint i = 0; i < runs->len; i++)
    {
      CohortPracticeRunState *r = &g_array_index (runs, CohortPracticeRunState, i);

      g_hash_table_insert (cc->runs, g_memdup2 (&r->question_id, sizeof (gint64)),
                           g_memdup2 (r, sizeof *r));
    }

  cc->valid = TRUE;
  return cc;
}

/* Folds one graded answer into the model and its log, in that order for
 * every answer, so that a fold of the log gives the same state. Fills
 * @out_skills (CohortPracticeSkillRecord, the question's points after the
 * answer) and *@out_mastered (points the student has mastered). */
static gboolean
apply_answer (CohortPracticeService  *self,
              ClassCache             *cc,
              gint64                  participant_id,
              BankQuestion           *q,
              gboolean                correct,
              const char             *answer_json,
              gint64                  at,
              CohortPracticeSource    source,
              GArray                 *out_skills,
              guint                  *out_mastered,
              GError                **error)
{
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  g_autoptr(GArray) skills = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  CohortPracticeSkillRecord records[COHORT_PRACTICE_MAX_QUESTION_POINTS];
  CohortMasterySkill *pointers[COHORT_PRACTICE_MAX_QUESTION_POINTS];
  CohortPracticeAnswerRecord log = { 0 };
  CohortPracticeItemRecord item_record;
  CohortMasteryItem *item;
  guint mastered = 0;

  if (q->n_points == 0)
    return TRUE;

  if (!(skills = cohort_store_practice_list_skills (store, cc->class_id, participant_id, error)))
    return FALSE;
  for (guint i = 0; i < q->n_points; i++)
    {
      records[i].participant_id = participant_id;
      records[i].point_id = q->point_ids[i];
      memset (&records[i].skill, 0, sizeof records[i].skill);
      for (guint s = 0; s < skills->len; s++)
        {
          CohortPracticeSkillRecord *r = &g_array_index (skills, CohortPracticeSkillRecord, s);

          if (r->point_id == q->point_ids[i])
            records[i].skill = r->skill;
        }
      pointers[i] = &records[i].skill;
      g_array_append_val (ids, q->point_ids[i]);
    }

  item = cache_item (cc, q->question_id);
  cohort_mastery_update (pointers, q->n_points, item, correct, at);

  log.participant_id = participant_id;
  log.question_id = q->question_id;
  log.point_ids = ids;
  log.correct = correct;
  log.answer = (char *) answer_json;
  log.at = at;
  log.source = source;
  item_record.question_id = q->question_id;
  item_record.item = *item;
  if (!cohort_store_practice_log_answer (store, cc->class_id, &log, error) ||
      !cohort_store_practice_put_item (store, cc->class_id, &item_record, error))
    return FALSE;
  for (guint i = 0; i < q->n_points; i++)
    {
      if (!cohort_store_practice_put_skill (store, cc->class_id, &records[i], error))
        return FALSE;
      if (out_skills != NULL)
        g_array_append_val (out_skills, records[i]);
    }

  /* Mastered points after this answer: the stored ones, with this
   * answer's points as they are now. */
  for (guint s = 0; s < skills->len; s++)
    {
      CohortPracticeSkillRecord *r = &g_array_index (skills, CohortPracticeSkillRecord, s);
      gboolean updated = FALSE;

      for (guint i = 0; i < q->n_points; i++)
        updated |= r->point_id == q->point_ids[i];
      if (!updated && cohort_mastery_is_mastered (&r->skill))
        mastered++;
    }
  for (guint i = 0; i < q->n_points; i++)
    if (cohort_mastery_is_mastered (&records[i].skill))
      mastered++;
  if (out_mastered != NULL)
    *out_mastered = mastered;
  return TRUE;
}

/* quiz.scored: every graded answer of a revealed run counts. */
static gboolean
fold_scored (CohortPracticeService  *self,
             ClassCache             *cc,
             CohortEventRecord      *event,
             GError                **error)
{
  g_autoptr(JsonNode) node = json_from_string (event->body, NULL);
  JsonObject *body = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *scores;
  BankQuestion *q;

  if (body == NULL || !json_object_has_member (body, "scores") ||
      !(q = cache_question (cc, json_object_get_int_member_with_default (body, "question_id", 0))))
    return TRUE;
  scores = json_object_get_array_member (body, "scores");
  for (guint i = 0; scores != NULL && i < json_array_get_length (scores); i++)
    {
      JsonObject *s = json_array_get_object_element (scores, i);
      const char *grade = s ? json_object_get_string_member_with_default (s, "grade", "") : "";
      gint64 pid = s ? json_object_get_int_member_with_default (s, "participant_id", 0) : 0;

      if (pid <= 0 || (!g_str_equal (grade, "correct") && !g_str_equal (grade, "wrong")))
        continue;
      if (!apply_answer (self, cc, pid, q, g_str_equal (grade, "correct"), NULL, event->ts,
                         COHORT_PRACTICE_SOURCE_QUIZ, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* Reads the class's log since the last look, inside the caller's
 * transaction: revealed quiz answers join the model; a change to the
 * bank, the points or a run makes the cache load again. */
static ClassCache *
sync_class (CohortPracticeService  *self,
            gint64                  class_id,
            GError                **error)
{
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  gint64 cursor, last;
  gboolean folded = FALSE;
  ClassCache *cc = g_hash_table_lookup (self->classes, &class_id);

  if ((cursor = cohort_store_practice_get_cursor (store, class_id, error)) < 0 ||
      (last = cohort_store_get_last_seq (store, class_id, error)) < 0)
    return NULL;
  if (cc != NULL)
    cursor = MAX (cursor, cc->seen_seq);

  while (cursor < last)
    {
      g_autoptr(GPtrArray) events = cohort_store_list_events_after (store, class_id, cursor,
                                                                    EVENTS_PAGE, error);

      if (events == NULL)
        return NULL;
      if (events->len == 0)
        {
          cursor = last;
          break;
        }
      for (guint i = 0; i < events->len; i++)
        {
          CohortEventRecord *e = g_ptr_array_index (events, i);

          cursor = e->seq;
          if (g_str_has_prefix (e->name, "quiz.question.") || g_str_equal (e->name, COHORT_EV_QUIZ_BANK) ||
              g_str_equal (e->name, COHORT_EV_QUIZ_LAUNCHED) || g_str_equal (e->name, COHORT_EV_QUIZ_REVEALED) ||
              g_str_equal (e->name, COHORT_EV_KNOWLEDGE_CHANGED))
            {
              cc = g_hash_table_lookup (self->classes, &class_id);
              if (cc != NULL)
                cc->valid = FALSE;
            }
          else if (g_str_equal (e->name, COHORT_EV_QUIZ_SCORED))
            {
              if (!(cc = class_cache (self, class_id, error)) || !fold_scored (self, cc, e, error))
                return NULL;
              folded = TRUE;
            }
        }
    }
  if (folded && !cohort_store_practice_set_cursor (store, class_id, cursor, error))
    return NULL;
  if (!(cc = class_cache (self, class_id, error)))
    return NULL;
  cc->seen_seq = cursor;
  return cc;
}

/* A read: its own transaction for the catch-up, committed before the
 * answer is built. */
static ClassCache *
sync_read (CohortPracticeService  *self,
           gint64                  class_id,
           GError                **error)
{
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  ClassCache *cc = g_hash_table_lookup (self->classes, &class_id);
  gint64 cursor, last;

  /* Nothing new in the log and the cache loaded: no transaction at all. */
  if ((cursor = cohort_store_practice_get_cursor (store, class_id, error)) < 0 ||
      (last = cohort_store_get_last_seq (store, class_id, error)) < 0)
    return NULL;
  if (cc != NULL && cc->valid && MAX (cursor, cc->seen_seq) >= last)
    return cc;

  if (!cohort_store_begin (store, error))
    return NULL;
  if (!(cc = sync_class (self, class_id, error)) || !cohort_store_commit (store, error))
    {
      cohort_store_rollback (store);
      g_hash_table_remove (self->classes, &class_id);
      return NULL;
    }
  return cc;
}

/* A write that failed rolls its transaction back: the cache may hold what
 * it did in memory (a difficulty, a point), so it loads again. */
static gboolean
forget_class (CohortPracticeService *self,
              gint64                 class_id)
{
  g_hash_table_remove (self->classes, &class_id);
  return FALSE;
}

/* Refuses @req after its transaction began: what the catch-up did is kept. */
static gboolean
refuse (CohortRequest    *req,
        CohortErrorCode   code,
        const char       *field,
        const char       *message,
        GError          **error)
{
  CohortStore *store = _cohort_server_get_store (cohort_request_get_server (req));

  if (!cohort_store_commit (store, error))
    return FALSE;
  if (code == COHORT_ERROR_FORBIDDEN)
    cohort_request_error (req, code, COHORT_INVALID_NONE, field, message);
  else
    cohort_request_refuse (req, code, field, message);
  return TRUE;
}

static JsonObject *
point_json (ClassCache                      *cc,
            const CohortPracticePointRecord *p)
{
  JsonObject *o = json_object_new ();
  guint n = 0;

  for (guint i = 0; i < cc->bank->len; i++)
    {
      BankQuestion *q = &g_array_index (cc->bank, BankQuestion, i);

      if (!question_practisable (cc, q))
        continue;
      for (guint t = 0; t < q->n_points; t++)
        if (q->point_ids[t] == p->id)
          n++;
    }
  json_object_set_int_member (o, "point_id", p->id);
  json_object_set_string_member (o, "name", p->name);
  json_object_set_boolean_member (o, "practice", p->practice);
  json_object_set_int_member (o, "questions", n);
  return o;
}

static JsonObject *
mastery_json (const CohortPracticePointRecord *p,
              const CohortMasterySkill        *skill)
{
  static const CohortMasterySkill none = { 0 };
  JsonObject *o = json_object_new ();

  if (skill == NULL)
    skill = &none;
  json_object_set_int_member (o, "point_id", p->id);
  json_object_set_string_member (o, "name", p->name);
  json_object_set_int_member (o, "mastery", cohort_mastery_permille (skill));
  json_object_set_int_member (o, "answered", skill->answered);
  json_object_set_int_member (o, "correct", skill->correct);
  json_object_set_string_member (o, "state", cohort_mastery_state (skill));
  json_object_set_int_member (o, "due_at", skill->due_at);
  json_object_set_boolean_member (o, "practice", p->practice);
  return o;
}

static const CohortMasterySkill *
find_skill (GArray *skills,
            gint64  point_id)
{
  for (guint i = 0; i < skills->len; i++)
    {
      CohortPracticeSkillRecord *r = &g_array_index (skills, CohortPracticeSkillRecord, i);

      if (r->point_id == point_id)
        return &r->skill;
    }
  return NULL;
}

/* The candidates and points a student may practise, and the set. */
static GArray *
build_set (CohortPracticeService  *self,
           ClassCache             *cc,
           gint64                  participant_id,
           gint64                  focus_point_id,
           GError                **error)
{
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  g_autoptr(GArray) skills = NULL;
  g_autoptr(GHashTable) recent = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CohortPracticePointState));
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (CohortPracticeCandidate));
  g_autofree gint64 *on_ids = g_new (gint64, MAX (cc->bank->len, 1) * COHORT_PRACTICE_MAX_QUESTION_POINTS);
  gint64 now = now_ms ();
  guint n_on = 0;

  if (!(skills = cohort_store_practice_list_skills (store, cc->class_id, participant_id, error)) ||
      !(recent = cohort_store_practice_recent_correct (store, cc->class_id, participant_id,
                                                       now - COHORT_PRACTICE_RECENT_DAYS * DAY_MS,
                                                       error)))
    return NULL;

  for (guint i = 0; i < cc->points->len; i++)
    {
      CohortPracticePointRecord *p = g_ptr_array_index (cc->points, i);
      CohortPracticePointState state = { p->id, find_skill (skills, p->id) };

      if (p->practice)
        g_array_append_val (points, state);
    }
  for (guint i = 0; i < cc->bank->len; i++)
    {
      BankQuestion *q = &g_array_index (cc->bank, BankQuestion, i);
      CohortPracticeCandidate c = { q->question_id, &on_ids[n_on], 0, 0.0 };
      CohortMasteryItem *item = g_hash_table_lookup (cc->items, &q->question_id);

      if (!question_practisable (cc, q))
        continue;
      for (guint t = 0; t < q->n_points; t++)
        if (point_on (cc, q->point_ids[t]))
          on_ids[n_on + c.n_points++] = q->point_ids[t];
      if (c.n_points == 0)
        continue;
      n_on += c.n_points;
      c.difficulty = item != NULL ? item->difficulty : 0.0;
      g_array_append_val (candidates, c);
    }

  return cohort_practice_set_build ((CohortPracticePointState *) points->data, points->len,
                                    (CohortPracticeCandidate *) candidates->data, candidates->len,
                                    recent, now, focus_point_id, COHORT_PRACTICE_SET_SIZE);
}

/* What the set will be mostly about: the point with the most picks. */
static JsonNode *
next_up_json (ClassCache *cc,
              GArray     *picks)
{
  gint64 best = 0;
  guint best_n = 0;
  JsonObject *o;
  JsonNode *node;

  for (guint i = 0; i < picks->len; i++)
    {
      gint64 pid = g_array_index (picks, CohortPracticePick, i).point_id;
      guint n = 0;

      for (guint j = 0; j < picks->len; j++)
        n += g_array_index (picks, CohortPracticePick, j).point_id == pid;
      if (n > best_n)
        {
          best = pid;
          best_n = n;
        }
    }
  if (best_n == 0)
    return json_node_new (JSON_NODE_NULL);
  o = json_object_new ();
  json_object_set_int_member (o, "point_id", best);
  json_object_set_string_member (o, "name", point_name (cc, best));
  json_object_set_int_member (o, "count", best_n);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static gboolean
require_student (CohortRequest *req,
                 const char    *message)
{
  if (!cohort_connection_is_teacher (cohort_request_get_connection (req)))
    return TRUE;
  cohort_request_forbidden (req, message);
  return FALSE;
}

/* ---- knowledge.* ---- */

static gboolean
handle_knowledge_list (CohortService  *service,
                       CohortRequest  *req,
                       GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  gboolean teacher = cohort_connection_is_teacher (conn);
  JsonArray *array = json_array_new ();
  JsonObject *reply = json_object_new ();
  ClassCache *cc;

  if (!(cc = sync_read (COHORT_PRACTICE_SERVICE (service), cohort_connection_get_class_id (conn), error)))
    {
      json_array_unref (array);
      json_object_unref (reply);
      return FALSE;
    }
  for (guint i = 0; i < cc->points->len; i++)
    {
      CohortPracticePointRecord *p = g_ptr_array_index (cc->points, i);

      if (teacher || p->practice)
        json_array_add_object_element (array, point_json (cc, p));
    }
  json_object_set_array_member (reply, "points", array);
  cohort_request_reply (req, reply);
  return TRUE;
}

/* @question (the bank's data) with every tag naming @old_key (folded)
 * renamed to @name; NULL when no tag names it. */
static JsonObject *
retag_question (JsonObject *question,
                const char *old_key,
                const char *name)
{
  JsonArray *tags = json_object_has_member (question, "knowledge_points")
                    ? json_object_get_array_member (question, "knowledge_points") : NULL;
  g_autoptr(JsonArray) renamed = json_array_new ();
  JsonObject *copy;
  gboolean changed = FALSE;

  for (guint t = 0; tags != NULL && t < json_array_get_length (tags); t++)
    {
      JsonNode *element = json_array_get_element (tags, t);
      const char *tag = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_string (element) : NULL;
      g_autofree char *key = tag != NULL ? cohort_quiz_normalize_text (tag) : NULL;

      if (key != NULL && g_str_equal (key, old_key))
        {
          json_array_add_string_element (renamed, name);
          changed |= !g_str_equal (tag, name);
        }
      else
        json_array_add_element (renamed, json_node_copy (json_array_get_element (tags, t)));
    }
  if (!changed)
    return NULL;

  copy = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (question);

    for (GList *m = members; m != NULL; m = m->next)
      if (g_str_equal (m->data, "knowledge_points"))
        json_object_set_array_member (copy, m->data, json_array_ref (renamed));
      else
        json_object_set_member (copy, m->data, json_node_copy (json_object_get_member (question, m->data)));
  }
  return copy;
}

/* Renames @point to @name (*@taken: another point has that name).
 * Questions name their points (a bank file carries the names to another
 * class), so every question tagged with the old name is retagged in the
 * same transaction, and the teacher's bank gets each as
 * quiz.question.saved. */
static gboolean
rename_point (CohortPracticeService            *self,
              CohortRequest                    *req,
              ClassCache                       *cc,
              const CohortPracticePointRecord  *point,
              const char                       *name,
              gboolean                         *taken,
              GError                          **error)
{
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 teacher_id = cohort_connection_get_participant_id (conn);
  g_autofree char *key = cohort_quiz_normalize_text (name);
  g_autofree char *old_key = cohort_quiz_normalize_text (point->name);
  gint64 other;

  other = cohort_store_practice_find_point (store, cc->class_id, key, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (other > 0 && other != point->id)
    {
      *taken = TRUE;
      return TRUE;
    }
  if (!cohort_store_practice_update_point (store, point->id, name, key, -1, error))
    return FALSE;

  for (guint i = 0; i < cc->bank->len; i++)
    {
      BankQuestion *q = &g_array_index (cc->bank, BankQuestion, i);
      g_autoptr(JsonObject) retagged = NULL;
      g_autoptr(CohortQuizQuestionRecord) record = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *data = NULL;
      JsonObject *saved, *event;
      gboolean tagged = FALSE;

      for (guint t = 0; t < q->n_points; t++)
        tagged |= q->point_ids[t] == point->id;
      if (!tagged || !(retagged = retag_question (q->question, old_key, name)))
        continue;

      node = json_node_init_object (json_node_alloc (), retagged);
      data = json_to_string (node, FALSE);
      if (!cohort_store_quiz_update_question (store, q->question_id, data, error) ||
          !(record = cohort_store_quiz_get_question (store, q->question_id, error)))
        return FALSE;

      /* The bank's own event, as quiz.question.update sends it. */
      saved = json_object_ref (retagged);
      json_object_set_int_member (saved, "id", record->id);
      json_object_set_int_member (saved, "position", record->position);
      event = json_object_new ();
      json_object_set_object_member (event, "question", saved);
      if (!cohort_request_emit_for (req, cc->class_id, COHORT_EV_QUIZ_QUESTION_SAVED, event,
                                    &teacher_id, 1, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
handle_knowledge_set (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  JsonObject *body = cohort_request_get_body (req);
  gint64 point_id = json_object_get_int_member_with_default (body, "point_id", 0);
  const char *name = json_object_get_string_member_with_default (body, "name", NULL);
  int practice = json_object_has_member (body, "practice")
                 ? json_object_get_boolean_member (body, "practice") : -1;
  JsonObject *reply;
  ClassCache *cc;

  if (!cohort_request_require_teacher (req, _("Only the teacher can change the knowledge points.")))
    return TRUE;
  if (!cohort_request_begin (req, error) || !(cc = sync_class (self, class_id, error)))
    return forget_class (self, class_id);

  if (point_id == 0)
    {
      g_autofree char *key = NULL;

      if (name == NULL)
        return refuse (req, COHORT_ERROR_INVALID, "name", _("A new knowledge point needs a name."), error);
      if (cc->points->len >= COHORT_PRACTICE_MAX_POINTS)
        return refuse (req, COHORT_ERROR_INVALID, "point_id",
                       _("This class already has 200 knowledge points. Delete one first."), error);
      key = cohort_quiz_normalize_text (name);
      if (cohort_store_practice_find_point (store, class_id, key, error) > 0)
        return refuse (req, COHORT_ERROR_INVALID, "name",
                       _("This class already has a knowledge point of that name."), error);
      if (error != NULL && *error != NULL)
        return forget_class (self, class_id);
      if (!(point_id = cohort_store_practice_add_point (store, class_id, name, key, now_ms (), error)))
        return forget_class (self, class_id);
    }
  else
    {
      const CohortPracticePointRecord *point = cache_point (cc, point_id);
      gboolean taken = FALSE;

      if (point == NULL)
        return refuse (req, COHORT_ERROR_NOT_FOUND, "point_id",
                       _("This knowledge point is not in the class."), error);
      if (name != NULL && !rename_point (self, req, cc, point, name, &taken, error))
        return forget_class (self, class_id);
      if (taken)
        return refuse (req, COHORT_ERROR_INVALID, "name",
                       _("This class already has a knowledge point of that name."), error);
    }
  if (practice >= 0 &&
      !cohort_store_practice_update_point (store, point_id, NULL, NULL, practice, error))
    return forget_class (self, class_id);

  cc->valid = FALSE;
  if (!(cc = class_cache (self, class_id, error)) ||
      !cohort_request_emit (req, class_id, COHORT_EV_KNOWLEDGE_CHANGED, json_object_new (), error))
    return forget_class (self, class_id);
  reply = json_object_new ();
  json_object_set_object_member (reply, "point", point_json (cc, cache_point (cc, point_id)));
  if (!cohort_request_finish (req, reply))
    forget_class (self, class_id);
  return TRUE;
}

static gboolean
handle_knowledge_delete (CohortService  *service,
                         CohortRequest  *req,
                         GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 point_id = json_object_get_int_member (cohort_request_get_body (req), "point_id");
  ClassCache *cc;

  if (!cohort_request_require_teacher (req, _("Only the teacher can change the knowledge points.")))
    return TRUE;
  if (!cohort_request_begin (req, error) || !(cc = sync_class (self, class_id, error)))
    return forget_class (self, class_id);
  if (cache_point (cc, point_id) == NULL)
    return refuse (req, COHORT_ERROR_NOT_FOUND, "point_id",
                   _("This knowledge point is not in the class."), error);
  for (guint i = 0; i < cc->bank->len; i++)
    {
      BankQuestion *q = &g_array_index (cc->bank, BankQuestion, i);

      for (guint t = 0; t < q->n_points; t++)
        if (q->point_ids[t] == point_id)
          return refuse (req, COHORT_ERROR_INVALID, "point_id",
                         _("Questions are still tagged with this knowledge point. Remove the tag from them first."),
                         error);
    }
  cc->valid = FALSE;
  if (!cohort_store_practice_delete_point (store, point_id, error) ||
      !cohort_request_emit (req, class_id, COHORT_EV_KNOWLEDGE_CHANGED, json_object_new (), error))
    return forget_class (self, class_id);
  cohort_request_finish (req, json_object_new ());
  return TRUE;
}

/* ---- practice.* ---- */

static gboolean
handle_practice_next (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 focus = json_object_get_int_member_with_default (cohort_request_get_body (req), "point_id", 0);
  g_autoptr(GArray) picks = NULL;
  JsonArray *array;
  JsonObject *reply;
  ClassCache *cc;

  if (!require_student (req, _("Practice sets are for students.")))
    return TRUE;
  if (!(cc = sync_read (self, cohort_connection_get_class_id (conn), error)))
    return FALSE;
  if (focus != 0 && !point_on (cc, focus))
    {
      cohort_request_refuse (req, COHORT_ERROR_NOT_FOUND, "point_id",
                             _("This knowledge point is not open for practice."));
      return TRUE;
    }
  if (!(picks = build_set (self, cc, cohort_connection_get_participant_id (conn), focus, error)))
    return FALSE;

  array = json_array_new ();
  for (guint i = 0; i < picks->len; i++)
    {
      CohortPracticePick *pick = &g_array_index (picks, CohortPracticePick, i);
      BankQuestion *q = cache_question (cc, pick->question_id);
      JsonObject *o;

      /* picks come from the bank */
      if (q == NULL)
        continue;
      o = json_object_new ();
      json_object_set_int_member (o, "question_id", pick->question_id);
      json_object_set_object_member (o, "question", cohort_quiz_question_public (q->question));
      json_object_set_int_member (o, "point_id", pick->point_id);
      json_object_set_string_member (o, "point", point_name (cc, pick->point_id));
      json_object_set_string_member (o, "reason", cohort_practice_pick_reason_to_string (pick->reason));
      json_array_add_object_element (array, o);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "questions", array);
  json_object_set_member (reply, "next_up", next_up_json (cc, picks));
  cohort_request_reply (req, reply);
  return TRUE;
}

/* The question @req names, if the student may practise it; otherwise
 * answers (forbidden for a question of an unrevealed run, not_found for
 * the rest) and returns NULL. */
static BankQuestion *
practice_question (ClassCache     *cc,
                   CohortRequest  *req,
                   gboolean       *answered,
                   GError        **error)
{
  gint64 question_id = json_object_get_int_member (cohort_request_get_body (req), "question_id");
  BankQuestion *q = cache_question (cc, question_id);
  gboolean on = FALSE;

  *answered = TRUE;
  if (q != NULL && question_locked (cc, q))
    {
      *answered = refuse (req, COHORT_ERROR_FORBIDDEN, "question_id",
                          _("This question is part of a quiz that has not been revealed yet."), error);
      return NULL;
    }
  for (guint t = 0; q != NULL && t < q->n_points; t++)
    on |= point_on (cc, q->point_ids[t]);
  if (q == NULL || !on || !question_practisable (cc, q))
    {
      *answered = refuse (req, COHORT_ERROR_NOT_FOUND, "question_id",
                          _("This question is not open for practice."), error);
      return NULL;
    }
  return q;
}

static gboolean
apply_practice_answer (CohortPracticeService  *self,
                       CohortRequest          *req,
                       GError                **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  JsonNode *answer = json_object_get_member (cohort_request_get_body (req), "answer");
  g_autoptr(GError) check_error = NULL;
  g_autoptr(GArray) skills = g_array_new (FALSE, FALSE, sizeof (CohortPracticeSkillRecord));
  g_autofree char *answer_json = NULL;
  JsonObject *reply, *event;
  JsonArray *points, *ids;
  CohortQuizGrade grade;
  BankQuestion *q;
  ClassCache *cc;
  gboolean answered;
  guint mastered = 0;
  gint64 at;

  if (!cohort_request_begin (req, error) || !(cc = sync_class (self, class_id, error)))
    return forget_class (self, class_id);
  if (!(q = practice_question (cc, req, &answered, error)))
    return answered || forget_class (self, class_id);
  if (!cohort_quiz_check_answer (q->question, answer, &check_error))
    return refuse (req, COHORT_ERROR_INVALID, "answer", check_error->message, error) ||
           forget_class (self, class_id);

  grade = cohort_quiz_grade (q->question, answer);
  answer_json = json_to_string (answer, FALSE);
  at = _cohort_server_next_ts (cohort_request_get_server (req));
  if (!apply_answer (self, cc, participant_id, q, grade == COHORT_QUIZ_GRADE_CORRECT, answer_json, at,
                     COHORT_PRACTICE_SOURCE_PRACTICE, skills, &mastered, error) ||
      /* The helper's nudges count who came back to practise. */
      !cohort_ai_service_came_back (self->ai, class_id, participant_id, error))
    return forget_class (self, class_id);

  ids = json_array_new ();
  points = json_array_new ();
  for (guint i = 0; i < skills->len; i++)
    {
      CohortPracticeSkillRecord *r = &g_array_index (skills, CohortPracticeSkillRecord, i);

      json_array_add_int_element (ids, r->point_id);
      json_array_add_object_element (points, mastery_json (cache_point (cc, r->point_id), &r->skill));
    }
  event = json_object_new ();
  json_object_set_int_member (event, "participant_id", participant_id);
  json_object_set_int_member (event, "question_id", q->question_id);
  json_object_set_boolean_member (event, "correct", grade == COHORT_QUIZ_GRADE_CORRECT);
  json_object_set_array_member (event, "point_ids", ids);
  json_object_set_int_member (event, "mastered", mastered);
  if (!cohort_request_emit_for (req, class_id, COHORT_EV_PRACTICE_ANSWERED, event, &participant_id, 1,
                                error))
    {
      json_array_unref (points);
      return forget_class (self, class_id);
    }

  reply = json_object_new ();
  json_object_set_int_member (reply, "question_id", q->question_id);
  json_object_set_string_member (reply, "grade", grade == COHORT_QUIZ_GRADE_CORRECT ? "correct" : "wrong");
  json_object_set_object_member (reply, "key", cohort_quiz_question_key (q->question));
  json_object_set_array_member (reply, "points", points);
  /* FALSE: the commit failed, the client got `internal`, nothing stayed. */
  if (!cohort_request_finish (req, reply))
    forget_class (self, class_id);
  return TRUE;
}

/* Group commit of practice.answer, as chat.send has: a class practising
 * at once sends many answers per main-loop turn, and one commit (with
 * its fsync) each kept the server's one thread waiting. The turn's
 * answers are applied together at its end, in arrival order, each in a
 * savepoint of one transaction; each is acknowledged, and its event
 * sent, only after that commit. */
static gboolean
run_answers (gpointer user_data)
{
  CohortPracticeService *self = user_data;
  CohortServer *server = cohort_service_get_server (COHORT_SERVICE (self));
  g_autoptr(GPtrArray) answers = g_steal_pointer (&self->queued_answers);
  g_autoptr(GError) error = NULL;

  self->answers_source = 0;
  self->queued_answers = g_ptr_array_new_with_free_func (g_object_unref);

  if (!_cohort_server_group_begin (server, &error))
    {
      for (guint i = 0; i < answers->len; i++)
        cohort_request_fail (g_ptr_array_index (answers, i), error);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < answers->len; i++)
    {
      CohortRequest *req = g_ptr_array_index (answers, i);
      g_autoptr(GError) answer_error = NULL;

      /* A resend queued behind its original, which this group applied. */
      if (_cohort_server_group_replay (server, cohort_request_get_connection (req),
                                       cohort_request_get_message (req)))
        continue;
      if (!apply_practice_answer (self, req, &answer_error))
        cohort_request_fail (req, answer_error);
    }

  /* The commit failed: nothing was stored, and the caches hold what the
   * answers did in memory (difficulties), so they load again. */
  if (!_cohort_server_group_end (server))
    g_hash_table_remove_all (self->classes);
  return G_SOURCE_REMOVE;
}

/* Any other request, a connection leaving or shutdown: the queued answers
 * first, so that a student's requests take effect in the order sent (a
 * practice.next after an answer sees it). */
static void
cohort_practice_service_barrier (CohortService *service,
                                 const char    *type)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);

  if (self->queued_answers->len == 0 || g_strcmp0 (type, COHORT_REQ_PRACTICE_ANSWER) == 0)
    return;
  g_clear_handle_id (&self->answers_source, g_source_remove);
  run_answers (self);
}

static gboolean
handle_practice_answer (CohortService  *service,
                        CohortRequest  *req,
                        GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);

  if (!require_student (req, _("Practice is for students.")))
    return TRUE;
  g_ptr_array_add (self->queued_answers, cohort_request_defer (req));
  if (self->answers_source == 0)
    self->answers_source = g_idle_add_full (G_PRIORITY_DEFAULT, run_answers, self, NULL);
  return TRUE;
}

/* What the helper is told about a practice question: the question, the
 * student's answer, the key and the explanation. The class's policy in
 * the prompt above it decides whether it hints or explains. */
static char *
why_context (BankQuestion *q,
             const char   *answer_json)
{
  /* json_node_init_object() takes its own reference. */
  g_autoptr(JsonObject) key = cohort_quiz_question_key (q->question);
  g_autoptr(JsonObject) public = cohort_quiz_question_public (q->question);
  g_autoptr(JsonNode) public_node = json_node_init_object (json_node_alloc (), public);
  g_autoptr(JsonNode) key_node = json_node_init_object (json_node_alloc (), key);
  g_autofree char *public_text = json_to_string (public_node, FALSE);
  g_autofree char *key_text = json_to_string (key_node, FALSE);

  return g_strdup_printf ("The student is practising and answered this question wrong. "
                          "Help them see why, following the rules above.\n"
                          "Question (JSON; choices count from 0): %s\n"
                          "The student's answer (JSON): %s\n"
                          "The answer key and the teacher's explanation (JSON): %s",
                          public_text, answer_json != NULL ? answer_json : "null", key_text);
}

static gboolean
handle_practice_why (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  g_autofree char *answer_json = NULL;
  g_autofree char *context = NULL;
  g_autofree char *text = NULL;
  const char *prompt;
  BankQuestion *q;
  ClassCache *cc;
  gboolean answered;

  if (!require_student (req, _("The helper explains practice answers to students.")))
    return TRUE;
  if (!cohort_store_begin (store, error) || !(cc = sync_class (self, class_id, error)))
    return forget_class (self, class_id);
  if (!(q = practice_question (cc, req, &answered, error)))
    return answered;
  if (!cohort_store_practice_last_wrong (store, class_id, cohort_connection_get_participant_id (conn),
                                         q->question_id, &answer_json, error))
    {
      if (error != NULL && *error != NULL)
        return forget_class (self, class_id);
      return refuse (req, COHORT_ERROR_NOT_FOUND, "question_id",
                     _("Ask why after a wrong answer to this question."), error);
    }
  if (!cohort_store_commit (store, error))
    return forget_class (self, class_id);

  prompt = json_object_get_string_member_with_default (q->question, "prompt", "");
  /* What the student's helper history shows as their question. */
  text = g_strdup_printf (_("Why is my answer to “%s” wrong?"), prompt);
  context = why_context (q, answer_json);
  return cohort_ai_service_ask_about (self->ai, req, text, context, error);
}

static gboolean
handle_practice_launch (CohortService  *service,
                        CohortRequest  *req,
                        GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  JsonObject *body = cohort_request_get_body (req);
  gint64 point_id = json_object_get_int_member (body, "point_id");
  guint count = json_object_get_int_member_with_default (body, "count", COHORT_PRACTICE_SET_SIZE);
  g_autoptr(GArray) skills = NULL;
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (CohortPracticeCandidate));
  g_autoptr(GArray) picks = NULL;
  CohortMasterySkill mean = { 0 };
  CohortPracticePointState state = { point_id, &mean };
  JsonArray *ids;
  ClassCache *cc;

  if (!cohort_request_require_teacher (req, _("Only the teacher can launch a quiz.")))
    return TRUE;
  if (!(cc = sync_read (self, class_id, error)))
    return FALSE;
  if (cache_point (cc, point_id) == NULL)
    {
      cohort_request_refuse (req, COHORT_ERROR_NOT_FOUND, "point_id",
                             _("This knowledge point is not in the class."));
      return TRUE;
    }
  if (!(skills = cohort_store_practice_list_skills (store, class_id, 0, error)))
    return FALSE;

  /* The class's mean ability on the point aims the questions, as a
   * student's own does in practice. */
  for (guint i = 0; i < skills->len; i++)
    {
      CohortPracticeSkillRecord *r = &g_array_index (skills, CohortPracticeSkillRecord, i);

      if (r->point_id == point_id)
        {
          mean.theta += r->skill.theta;
          mean.answered++;
        }
    }
  if (mean.answered > 0)
    mean.theta /= mean.answered;

  for (guint i = 0; i < cc->bank->len; i++)
    {
      BankQuestion *q = &g_array_index (cc->bank, BankQuestion, i);
      CohortMasteryItem *item = g_hash_table_lookup (cc->items, &q->question_id);
      CohortPracticeCandidate c = { q->question_id, &point_id, 1, item ? item->difficulty : 0.0 };
      gboolean tagged = FALSE;

      for (guint t = 0; t < q->n_points; t++)
        tagged |= q->point_ids[t] == point_id;
      if (tagged && q->use != USE_PRACTICE_ONLY)
        g_array_append_val (candidates, c);
    }
  picks = cohort_practice_set_build (&state, 1, (CohortPracticeCandidate *) candidates->data,
                                     candidates->len, NULL, now_ms (), point_id, count);
  if (picks->len == 0)
    {
      cohort_request_refuse (req, COHORT_ERROR_NOT_FOUND, "point_id",
                             _("No question of this knowledge point can go live."));
      return TRUE;
    }

  /* The quiz's own launch, with quiz.launch's members. */
  ids = json_array_new ();
  for (guint i = 0; i < picks->len; i++)
    json_array_add_int_element (ids, g_array_index (picks, CohortPracticePick, i).question_id);
  json_object_set_array_member (body, "question_ids", ids);
  return cohort_quiz_service_launch (self->quiz, req, error);
}

/* ---- mastery.* ---- */

static gboolean
handle_mastery_get (CohortService  *service,
                    CohortRequest  *req,
                    GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gboolean teacher = cohort_connection_is_teacher (conn);
  gint64 pid = json_object_get_int_member_with_default (cohort_request_get_body (req), "participant_id",
                                                        0);
  g_autoptr(GArray) skills = NULL;
  g_autoptr(GArray) picks = NULL;
  g_autoptr(GPtrArray) history = NULL;
  JsonArray *points, *attempts;
  JsonObject *reply;
  ClassCache *cc;

  if (pid == 0 && teacher)
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, "participant_id",
                             _("Choose the student whose mastery to show."));
      return TRUE;
    }
  if (pid == 0)
    pid = cohort_connection_get_participant_id (conn);
  if (!teacher && pid != cohort_connection_get_participant_id (conn))
    {
      cohort_request_forbidden (req, _("Students see only their own mastery."));
      return TRUE;
    }
  if (teacher)
    {
      g_autoptr(CohortParticipantRecord) student = cohort_store_get_participant (store, pid, error);

      if (student == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (student == NULL || student->class_id != class_id || !g_str_equal (student->role, "student"))
        {
          cohort_request_refuse (req, COHORT_ERROR_NOT_FOUND, "participant_id",
                                 _("This student is not in the class."));
          return TRUE;
        }
    }

  if (!(cc = sync_read (self, class_id, error)) ||
      !(skills = cohort_store_practice_list_skills (store, class_id, pid, error)) ||
      !(picks = build_set (self, cc, pid, 0, error)) ||
      !(history = cohort_store_practice_list_history (store, class_id, pid, COHORT_PRACTICE_HISTORY,
                                                      error)))
    return FALSE;

  points = json_array_new ();
  for (guint i = 0; i < cc->points->len; i++)
    {
      CohortPracticePointRecord *p = g_ptr_array_index (cc->points, i);

      if (teacher || p->practice)
        json_array_add_object_element (points, mastery_json (p, find_skill (skills, p->id)));
    }
  attempts = json_array_new ();
  for (guint i = 0; i < history->len; i++)
    {
      CohortPracticeAnswerRecord *r = g_ptr_array_index (history, i);
      BankQuestion *q = cache_question (cc, r->question_id);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "at", r->at);
      json_object_set_int_member (o, "question_id", r->question_id);
      json_object_set_string_member (o, "prompt",
                                     q ? json_object_get_string_member_with_default (q->question, "prompt", "")
                                       : "");
      json_object_set_boolean_member (o, "correct", r->correct);
      json_object_set_string_member (o, "source", r->source == COHORT_PRACTICE_SOURCE_QUIZ ? "quiz" : "practice");
      json_array_add_object_element (attempts, o);
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "points", points);
  json_object_set_member (reply, "next_up", next_up_json (cc, picks));
  json_object_set_array_member (reply, "history", attempts);
  cohort_request_reply (req, reply);
  return TRUE;
}

typedef struct
{
  const CohortPracticePointRecord *point;
  gint64                           sum;
  guint                            answered;     /* students with an answer */
  int                              column;       /* place once sorted */
} Column;

static int
compare_columns (gconstpointer a,
                 gconstpointer b)
{
  const Column *ca = a, *cb = b;

  /* Weakest first; points nobody answered last. */
  if ((ca->answered == 0) != (cb->answered == 0))
    return ca->answered == 0 ? 1 : -1;
  if (ca->answered > 0)
    {
      double ma = (double) ca->sum / ca->answered, mb = (double) cb->sum / cb->answered;

      if (ma != mb)
        return ma < mb ? -1 : 1;
    }
  return g_utf8_collate (ca->point->name, cb->point->name);
}

static gboolean
handle_mastery_class (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  g_autoptr(GArray) skills = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GHashTable) rows = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) columns = NULL;
  g_autofree int *order = NULL;
  g_autoptr(GString) body = NULL;
  ClassCache *cc;
  guint n;

  if (!cohort_request_require_teacher (req, _("Only the teacher sees the class's mastery.")))
    return TRUE;
  if (!(cc = sync_read (self, class_id, error)) ||
      !(skills = cohort_store_practice_list_skills (store, class_id, 0, error)) ||
      !(people = cohort_store_list_participants (store, class_id, error)))
    return FALSE;

  n = cc->points->len;
  columns = g_array_sized_new (FALSE, TRUE, sizeof (Column), n);
  g_array_set_size (columns, n);
  for (guint i = 0; i < n; i++)
    g_array_index (columns, Column, i).point = g_ptr_array_index (cc->points, i);

  /* One row of cells per student, by the points' stored order. */
  for (guint i = 0; i < people->len; i++)
    {
      CohortParticipantRecord *p = g_ptr_array_index (people, i);
      int *cells;

      if (!g_str_equal (p->role, "student"))
        continue;
      cells = g_new (int, MAX (n, 1));
      for (guint c = 0; c < n; c++)
        cells[c] = -1;
      g_hash_table_insert (rows, &p->id, cells);
    }
  for (guint i = 0; i < skills->len; i++)
    {
      CohortPracticeSkillRecord *r = &g_array_index (skills, CohortPracticeSkillRecord, i);
      int *cells = g_hash_table_lookup (rows, &r->participant_id);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (cc->point_index, &r->point_id));
      Column *col;

      if (cells == NULL || index == 0 || r->skill.answered == 0)
        continue;
      col = &g_array_index (columns, Column, index - 1);
      cells[index - 1] = cohort_mastery_permille (&r->skill);
      col->sum += cells[index - 1];
      col->answered++;
    }

  /* Columns sorted weakest first; order[k] is the stored index of column
   * k. The reply is written by hand: 200,000 cells as JsonNode trees and
   * the generator cost several times the rest. */
  body = g_string_sized_new (64 * n + 128 * people->len);
  g_string_append (body, "{\"points\":[");
  {
    g_autoptr(GArray) sorted = g_array_copy (columns);

    for (guint i = 0; i < n; i++)
      g_array_index (sorted, Column, i).column = i;
    g_array_sort (sorted, compare_columns);
    order = g_new (int, MAX (n, 1));
    for (guint k = 0; k < n; k++)
      {
        Column *col = &g_array_index (sorted, Column, k);

        order[k] = col->column;
        g_string_append_printf (body, "%s{\"point_id\":%" G_GINT64_FORMAT ",\"name\":", k ? "," : "",
                                col->point->id);
        cohort_json_append_string (body, col->point->name);
        g_string_append_printf (body, ",\"practice\":%s,\"mean\":%" G_GINT64_FORMAT ",\"answered\":%u}",
                                col->point->practice ? "true" : "false",
                                col->answered ? (gint64) (col->sum / col->answered) : -1, col->answered);
      }
  }

  /* people come by name from the store */
  g_string_append (body, "],\"students\":[");
  for (guint i = 0, written = 0; i < people->len; i++)
    {
      CohortParticipantRecord *p = g_ptr_array_index (people, i);
      int *cells = g_hash_table_lookup (rows, &p->id);

      if (cells == NULL)
        continue;
      g_string_append_printf (body, "%s{\"participant_id\":%" G_GINT64_FORMAT ",\"name\":",
                              written++ ? "," : "", p->id);
      cohort_json_append_string (body, p->name);
      /* Only the cells with an estimate, as [column, permille] pairs:
       * students work on a few points each, so a class of 1,000 in 200
       * points has a few thousand of its 200,000 cells, and the client's
       * parser pays for every node. */
      g_string_append (body, ",\"cells\":[");
      for (guint k = 0, sent = 0; k < n; k++)
        {
          if (cells[order[k]] < 0)
            continue;
          g_string_append_printf (body, "%s[%u,", sent++ ? "," : "", k);
          cohort_json_append_int (body, cells[order[k]]);
          g_string_append_c (body, ']');
        }
      g_string_append (body, "]}");
      g_free (cells);
    }
  g_string_append (body, "]}");
  cohort_request_reply_raw (req, body);
  return TRUE;
}

static void
cohort_practice_service_finalize (GObject *object)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (object);

  g_clear_handle_id (&self->answers_source, g_source_remove);
  g_clear_pointer (&self->queued_answers, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_hash_table_unref);
  G_OBJECT_CLASS (cohort_practice_service_parent_class)->finalize (object);
}

static void
cohort_practice_service_class_init (CohortPracticeServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_practice_service_finalize;
  COHORT_SERVICE_CLASS (klass)->barrier = cohort_practice_service_barrier;
}

static void
cohort_practice_service_init (CohortPracticeService *self)
{
  self->classes = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) class_cache_free);
  self->queued_answers = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The helper's nudges (a CohortAiWeakPointFunc): a point counts as weak
 * after at least WEAK_MIN_ANSWERS answers, not mastered, under
 * WEAK_PERMILLE (less than an even chance on an average question). */
#define WEAK_MIN_ANSWERS 2
#define WEAK_PERMILLE    500

char *
cohort_practice_service_weak_point (CohortServer  *server,
                                    gint64         class_id,
                                    gint64         participant_id,
                                    gpointer       user_data,
                                    GError       **error)
{
  CohortPracticeService *self = COHORT_PRACTICE_SERVICE (user_data);
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  const CohortPracticePointRecord *weakest = NULL;
  g_autoptr(GArray) skills = NULL;
  int weakest_permille = WEAK_PERMILLE;
  ClassCache *cc;

  if (!(cc = sync_read (self, class_id, error)) ||
      !(skills = cohort_store_practice_list_skills (store, class_id, participant_id, error)))
    return NULL;

  /* Only points open for practice: the nudge invites practice on it. */
  for (guint i = 0; i < cc->points->len; i++)
    {
      const CohortPracticePointRecord *p = g_ptr_array_index (cc->points, i);
      const CohortMasterySkill *skill = find_skill (skills, p->id);
      int permille;

      if (!p->practice || skill == NULL || skill->answered < WEAK_MIN_ANSWERS ||
          cohort_mastery_is_mastered (skill))
        continue;
      permille = cohort_mastery_permille (skill);
      if (permille < weakest_permille)
        {
          weakest = p;
          weakest_permille = permille;
        }
    }
  return weakest != NULL ? g_strdup (weakest->name) : NULL;
}

CohortPracticeService *
cohort_practice_service_new (CohortServer      *server,
                             CohortQuizService *quiz,
                             CohortAiService   *ai)
{
  CohortPracticeService *self = g_object_new (COHORT_TYPE_PRACTICE_SERVICE, "server", server, NULL);
  CohortService *service = COHORT_SERVICE (self);

  self->quiz = quiz;
  self->ai = ai;
  cohort_service_add_handler (service, COHORT_REQ_KNOWLEDGE_LIST, handle_knowledge_list);
  cohort_service_add_handler (service, COHORT_REQ_KNOWLEDGE_SET, handle_knowledge_set);
  cohort_service_add_handler (service, COHORT_REQ_KNOWLEDGE_DELETE, handle_knowledge_delete);
  cohort_service_add_handler (service, COHORT_REQ_PRACTICE_NEXT, handle_practice_next);
  cohort_service_add_handler (service, COHORT_REQ_PRACTICE_ANSWER, handle_practice_answer);
  cohort_service_add_handler (service, COHORT_REQ_PRACTICE_WHY, handle_practice_why);
  cohort_service_add_handler (service, COHORT_REQ_PRACTICE_LAUNCH, handle_practice_launch);
  cohort_service_add_handler (service, COHORT_REQ_MASTERY_GET, handle_mastery_get);
  cohort_service_add_handler (service, COHORT_REQ_MASTERY_CLASS, handle_mastery_class);
  return self;
}
