/* cohort-practice-set.c: the practice set builder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cohort-practice-protocol.h"
#include "cohort-practice-set.h"

typedef struct
{
  const CohortPracticePointState *state;
  GPtrArray                      *candidates;   /* const CohortPracticeCandidate*, unused ones */
  CohortPracticePickReason        reason;
  int                             permille;
} PointQueue;

const char *
cohort_practice_pick_reason_to_string (CohortPracticePickReason reason)
{
  switch (reason)
    {
    case COHORT_PRACTICE_PICK_REVIEW:
      return COHORT_PRACTICE_REASON_REVIEW;
    case COHORT_PRACTICE_PICK_NEW:
      return COHORT_PRACTICE_REASON_NEW;
    case COHORT_PRACTICE_PICK_WEAK:
    default:
      return COHORT_PRACTICE_REASON_WEAK;
    }
}

static int
compare_queues (gconstpointer a,
                gconstpointer b)
{
  const PointQueue *qa = *(PointQueue * const *) a;
  const PointQueue *qb = *(PointQueue * const *) b;

  if (qa->reason != qb->reason)
    return qa->reason == COHORT_PRACTICE_PICK_REVIEW ? -1
         : qb->reason == COHORT_PRACTICE_PICK_REVIEW ? 1
         : qa->reason == COHORT_PRACTICE_PICK_WEAK ? -1 : 1;
  if (qa->reason == COHORT_PRACTICE_PICK_REVIEW && qa->state->skill->due_at != qb->state->skill->due_at)
    return qa->state->skill->due_at < qb->state->skill->due_at ? -1 : 1;
  if (qa->reason == COHORT_PRACTICE_PICK_WEAK && qa->permille != qb->permille)
    return qa->permille < qb->permille ? -1 : 1;
  return qa->state->point_id < qb->state->point_id ? -1 : qa->state->point_id > qb->state->point_id;
}

/* Takes the point's unused question nearest the target success. */
static gboolean
pick_one (PointQueue *queue,
          GHashTable *used,
          GArray     *picks,
          CohortPracticePickReason reason)
{
  double theta = queue->state->skill ? queue->state->skill->theta : 0.0;
  const CohortPracticeCandidate *best = NULL;
  double best_gap = 0.0, best_p = 0.0;
  CohortPracticePick pick;

  for (guint i = 0; i < queue->candidates->len; i++)
    {
      const CohortPracticeCandidate *c = g_ptr_array_index (queue->candidates, i);
      double p, gap;

      if (g_hash_table_contains (used, &c->question_id))
        continue;
      p = cohort_mastery_expected (theta, c->difficulty);
      gap = fabs (p - COHORT_PRACTICE_TARGET);
      if (best == NULL || gap < best_gap || (gap == best_gap && c->question_id < best->question_id))
        {
          best = c;
          best_gap = gap;
          best_p = p;
        }
    }
  if (best == NULL)
    return FALSE;

  g_hash_table_add (used, (gpointer) &best->question_id);
  pick.question_id = best->question_id;
  pick.point_id = queue->state->point_id;
  pick.reason = reason;
  pick.expected = best_p;
  g_array_append_val (picks, pick);
  return TRUE;
}

GArray *
cohort_practice_set_build (const CohortPracticePointState *points,
                           guint                           n_points,
                           const CohortPracticeCandidate  *candidates,
                           guint                           n_candidates,
                           GHashTable                     *recent_correct,
                           gint64                          now,
                           gint64                          focus_point_id,
                           guint                           size)
{
  g_autoptr(GHashTable) by_point = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) used = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) queues = g_ptr_array_new ();
  g_autoptr(GPtrArray) later = g_ptr_array_new ();   /* mastered, not due */
  g_autofree PointQueue *storage = g_new0 (PointQueue, MAX (n_points, 1));
  GArray *picks = g_array_new (FALSE, FALSE, sizeof (CohortPracticePick));
  guint n_review = 0;

  for (guint i = 0; i < n_points; i++)
    {
      PointQueue *q = &storage[i];
      const CohortMasterySkill *skill = points[i].skill;

      if (focus_point_id != 0 && points[i].point_id != focus_point_id)
        continue;
      q->state = &points[i];
      q->candidates = g_ptr_array_new ();
      q->permille = skill ? cohort_mastery_permille (skill) : 500;
      if (skill == NULL || skill->answered == 0)
        q->reason = COHORT_PRACTICE_PICK_NEW;
      else if (!cohort_mastery_is_mastered (skill))
        q->reason = COHORT_PRACTICE_PICK_WEAK;
      else
        q->reason = COHORT_PRACTICE_PICK_REVIEW;
      g_hash_table_insert (by_point, (gpointer) &points[i].point_id, q);
    }

  for (guint i = 0; i < n_candidates; i++)
    {
      const CohortPracticeCandidate *c = &candidates[i];

      if (recent_correct != NULL && g_hash_table_contains (recent_correct, &c->question_id))
        continue;
      for (guint j = 0; j < c->n_points; j++)
        {
          PointQueue *q = g_hash_table_lookup (by_point, &c->point_ids[j]);

          if (q != NULL)
            g_ptr_array_add (q->candidates, (gpointer) c);
        }
    }

  for (guint i = 0; i < n_points; i++)
    {
      PointQueue *q = &storage[i];

      if (q->state == NULL || q->candidates->len == 0)
        continue;
      /* A mastered point waits for its review date unless asked for. */
      if (q->reason == COHORT_PRACTICE_PICK_REVIEW && q->state->skill->due_at > now &&
          focus_point_id == 0)
        g_ptr_array_add (later, q);
      else
        g_ptr_array_add (queues, q);
    }
  g_ptr_array_sort (queues, compare_queues);
  g_ptr_array_sort (later, compare_queues);

  /* The first pass keeps the proportions: review a little, weak points
   * most; the second fills what is left from any point. */
  for (guint i = 0; i < queues->len && picks->len < size; i++)
    {
      PointQueue *q = g_ptr_array_index (queues, i);
      guint quota = COHORT_PRACTICE_PER_POINT;

      if (q->reason == COHORT_PRACTICE_PICK_REVIEW && focus_point_id == 0)
        {
          if (n_review >= COHORT_PRACTICE_REVIEW_SLOTS)
            continue;
          quota = 1;
          n_review++;
        }
      for (guint k = 0; k < quota && picks->len < size; k++)
        if (!pick_one (q, used, picks, q->reason))
          break;
    }
  g_ptr_array_extend (queues, later, NULL, NULL);
  for (gboolean progress = TRUE; progress && picks->len < size;)
    {
      progress = FALSE;
      for (guint i = 0; i < queues->len && picks->len < size; i++)
        {
          PointQueue *q = g_ptr_array_index (queues, i);

          if (pick_one (q, used, picks, q->reason))
            progress = TRUE;
        }
    }

  for (guint i = 0; i < n_points; i++)
    g_clear_pointer (&storage[i].candidates, g_ptr_array_unref);
  return picks;
}
