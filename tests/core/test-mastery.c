/* test-mastery.c: the mastery model and the practice set builder against
 * hand-computed values (docs/architecture-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cohort-mastery.h"
#include "cohort-practice-protocol.h"
#include "cohort-practice-set.h"

#define DAY_MS (24 * 3600 * (gint64) 1000)

/* σ(x) = 1 / (1 + e^−x), K(n) = 1 / (1 + 0.05 n). Computed by hand (a
 * pocket calculator), step by step:
 *   answer 1, correct, θ = 0, d = 0: P = 0.5, θ = 0 + 1 × 0.5 = 0.5,
 *   d = 0 − 1 × 0.5 = −0.5, permille round (1000 σ (0.5)) = 622;
 *   answer 2, correct, fresh question: P = σ(0.5) = 0.622459,
 *   θ = 0.5 + (1 / 1.05) × 0.377541 = 0.859563; … */
static const struct
{
  double theta;
  int    permille;
} correct_run[] = {
  { 0.5, 622 },
  { 0.8595625417125194, 703 },
  { 1.1299541338315058, 756 },
  { 1.342275495086681, 793 },
  { 1.5148889144832878, 820 },
  { 1.6590612233992832, 840 },
  { 1.782052036312568, 856 },
  { 1.888755691187602, 869 },
};

static void
test_expected_and_k (void)
{
  g_assert_cmpfloat_with_epsilon (cohort_mastery_expected (0, 0), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (cohort_mastery_expected (1, 0), 0.7310585786300049, 1e-12);
  g_assert_cmpfloat_with_epsilon (cohort_mastery_expected (0, 2), 0.11920292202211755, 1e-12);
  g_assert_cmpfloat_with_epsilon (cohort_mastery_k (0), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cohort_mastery_k (20), 0.5, 1e-12);
}

/* Eight right answers in a row, each to a question nobody answered yet
 * (d = 0), one day apart: θ and the permille after each, the state, and
 * spaced review: mastered at the fifth answer (820 ≥ 800, 5 answers), due
 * a day later, then 2 and 4 and 8 days; a wrong answer starts again at a
 * day, or leaves review when it drops below mastery. */
static void
test_correct_run (void)
{
  CohortMasterySkill skill = { 0 };
  CohortMasterySkill *skills[] = { &skill };

  g_assert_cmpstr (cohort_mastery_state (&skill), ==, COHORT_PRACTICE_STATE_NEW);
  for (guint i = 0; i < G_N_ELEMENTS (correct_run); i++)
    {
      CohortMasteryItem item = { 0 };
      gint64 at = (i + 1) * DAY_MS;

      cohort_mastery_update (skills, 1, &item, TRUE, at);
      g_assert_cmpfloat_with_epsilon (skill.theta, correct_run[i].theta, 1e-12);
      g_assert_cmpint (cohort_mastery_permille (&skill), ==, correct_run[i].permille);
      g_assert_cmpuint (skill.answered, ==, i + 1);
      g_assert_cmpuint (skill.correct, ==, i + 1);
      g_assert_cmpint (skill.last_at, ==, at);
      if (i == 0)
        g_assert_cmpfloat_with_epsilon (item.difficulty, -0.5, 1e-12);
      if (i < 4)
        {
          g_assert_cmpstr (cohort_mastery_state (&skill), ==, COHORT_PRACTICE_STATE_LEARNING);
          g_assert_cmpint (skill.due_at, ==, 0);
        }
      else
        {
          g_assert_cmpstr (cohort_mastery_state (&skill), ==, COHORT_PRACTICE_STATE_MASTERED);
          g_assert_cmpint (skill.interval_ms, ==, DAY_MS << (i - 4));
          g_assert_cmpint (skill.due_at, ==, at + (DAY_MS << (i - 4)));
        }
    }

  /* A wrong answer to an easy question (d = −2): θ = 1.888756 +
   * (1 / 1.4) × (0 − σ(3.888756) = 0.979938) = 1.888756 − 0.699956 =
   * 1.188799: 767 permille, no longer mastered, out of review. */
  {
    CohortMasteryItem easy = { -2.0, 0 };

    cohort_mastery_update (skills, 1, &easy, FALSE, 9 * DAY_MS);
    g_assert_cmpfloat_with_epsilon (skill.theta, 1.888755691187602 - (1 / 1.4) * cohort_mastery_expected (1.888755691187602, -2.0), 1e-12);
    g_assert_cmpfloat_with_epsilon (skill.theta, 1.1887987, 1e-6);
    g_assert_cmpint (cohort_mastery_permille (&skill), ==, 767);
    g_assert_cmpuint (skill.correct, ==, 8);
    g_assert_cmpstr (cohort_mastery_state (&skill), ==, COHORT_PRACTICE_STATE_LEARNING);
    g_assert_cmpint (skill.due_at, ==, 0);
    g_assert_cmpint (skill.interval_ms, ==, 0);
  }
}

/* A wrong answer to a question tagged with two points: θa = 0.5 (one
 * answer), θb = −0.3 (none), d = 0.2 after 3 answers.
 *   d' = 0.2 − K(3) (0 − σ(0.1 − 0.2)) = 0.2 + 0.869565 × 0.475021 = 0.613062
 *   θa' = 0.5 − K(1) σ(0.3) = 0.5 − 0.952381 × 0.574443 = −0.047088
 *   θb' = −0.3 − K(0) σ(−0.5) = −0.3 − 0.377541 = −0.677541 */
static void
test_two_points (void)
{
  CohortMasterySkill a = { .theta = 0.5, .answered = 1, .correct = 1 };
  CohortMasterySkill b = { .theta = -0.3 };
  CohortMasterySkill *skills[] = { &a, &b };
  CohortMasteryItem item = { 0.2, 3 };

  cohort_mastery_update (skills, 2, &item, FALSE, 1000);
  g_assert_cmpfloat_with_epsilon (item.difficulty, 0.6130615761052696, 1e-12);
  g_assert_cmpuint (item.answered, ==, 4);
  g_assert_cmpfloat_with_epsilon (a.theta, -0.047088111249199094, 1e-12);
  g_assert_cmpfloat_with_epsilon (b.theta, -0.6775406687981453, 1e-12);
  g_assert_cmpuint (a.answered, ==, 2);
  g_assert_cmpuint (a.correct, ==, 1);
  g_assert_cmpuint (b.answered, ==, 1);
  g_assert_cmpuint (b.correct, ==, 0);
}

/* Points: 1 weak (θ −1), 2 weak (θ 0.2), 3 mastered and due, 4 mastered
 * and not due, 5 not started. Each has six questions (ids p01..p06) of
 * difficulty −3, −2.2, −1, 0, 1, 2. */
static const double difficulties[] = { -3, -2.2, -1, 0, 1, 2 };

typedef struct
{
  CohortMasterySkill        skills[5];
  CohortPracticePointState  points[5];
  gint64                    point_ids[5];
  CohortPracticeCandidate   candidates[30];
} Bank;

static void
bank_init (Bank  *bank,
           gint64 now)
{
  memset (bank, 0, sizeof *bank);
  bank->skills[0] = (CohortMasterySkill) { .theta = -1.0, .answered = 3 };
  bank->skills[1] = (CohortMasterySkill) { .theta = 0.2, .answered = 3 };
  bank->skills[2] = (CohortMasterySkill) { .theta = 2.0, .answered = 10, .interval_ms = DAY_MS, .due_at = now - 1 };
  bank->skills[3] = (CohortMasterySkill) { .theta = 2.5, .answered = 10, .interval_ms = DAY_MS, .due_at = now + DAY_MS };
  for (guint p = 0; p < 5; p++)
    {
      bank->point_ids[p] = p + 1;
      bank->points[p].point_id = p + 1;
      bank->points[p].skill = p < 4 ? &bank->skills[p] : NULL;
      for (guint q = 0; q < 6; q++)
        {
          CohortPracticeCandidate *c = &bank->candidates[p * 6 + q];

          c->question_id = (p + 1) * 100 + q + 1;
          c->point_ids = &bank->point_ids[p];
          c->n_points = 1;
          c->difficulty = difficulties[q];
        }
    }
}

/* θ −1 aims at d = −1 − logit (0.775) = −2.237: σ(−1 + 2.2) = 0.769 is
 * nearest (102), then σ(2) = 0.881 (101), σ(0) = 0.5 (103), σ(−1) =
 * 0.269 (104). θ 0.2: σ(0.2 + 1) = 0.769 (203), then σ(2.4) = 0.917 (202),
 * σ(3.2) = 0.961 (201, gap 0.186) before σ(0.2) = 0.550 (204, gap 0.225). θ 2, due: one
 * review question, σ(2 − 1) = 0.731 (305). Not started (θ 0): σ(1) =
 * 0.731 (503). */
static void
test_set_proportions (void)
{
  gint64 now = 100 * DAY_MS;
  Bank bank;
  g_autoptr(GArray) picks = NULL;
  static const struct { gint64 id; CohortPracticePickReason reason; } expected[] = {
    { 305, COHORT_PRACTICE_PICK_REVIEW },
    { 102, COHORT_PRACTICE_PICK_WEAK }, { 101, COHORT_PRACTICE_PICK_WEAK },
    { 103, COHORT_PRACTICE_PICK_WEAK }, { 104, COHORT_PRACTICE_PICK_WEAK },
    { 203, COHORT_PRACTICE_PICK_WEAK }, { 202, COHORT_PRACTICE_PICK_WEAK },
    { 201, COHORT_PRACTICE_PICK_WEAK }, { 204, COHORT_PRACTICE_PICK_WEAK },
    { 503, COHORT_PRACTICE_PICK_NEW },
  };

  bank_init (&bank, now);
  picks = cohort_practice_set_build (bank.points, 5, bank.candidates, 30, NULL, now, 0,
                                     COHORT_PRACTICE_SET_SIZE);
  g_assert_cmpuint (picks->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < picks->len; i++)
    {
      CohortPracticePick *pick = &g_array_index (picks, CohortPracticePick, i);

      g_assert_cmpint (pick->question_id, ==, expected[i].id);
      g_assert_cmpint (pick->reason, ==, expected[i].reason);
      g_assert_cmpint (pick->point_id, ==, expected[i].id / 100);
    }
  /* The first pick of each point is in the 70–85 % band. */
  g_assert_cmpfloat (g_array_index (picks, CohortPracticePick, 1).expected, >=, COHORT_PRACTICE_BAND_LOW);
  g_assert_cmpfloat (g_array_index (picks, CohortPracticePick, 1).expected, <=, COHORT_PRACTICE_BAND_HIGH);
}

/* A question answered right in the last days is never asked: without 102
 * the weakest point's picks are 101, 103, 104, 105. */
static void
test_set_recent (void)
{
  gint64 now = 100 * DAY_MS;
  static gint64 recent_id = 102;
  g_autoptr(GHashTable) recent = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) picks = NULL;
  Bank bank;

  bank_init (&bank, now);
  g_hash_table_add (recent, &recent_id);
  picks = cohort_practice_set_build (bank.points, 5, bank.candidates, 30, recent, now, 0,
                                     COHORT_PRACTICE_SET_SIZE);
  g_assert_cmpint (g_array_index (picks, CohortPracticePick, 1).question_id, ==, 101);
  g_assert_cmpint (g_array_index (picks, CohortPracticePick, 2).question_id, ==, 103);
  g_assert_cmpint (g_array_index (picks, CohortPracticePick, 3).question_id, ==, 104);
  g_assert_cmpint (g_array_index (picks, CohortPracticePick, 4).question_id, ==, 105);
  for (guint i = 0; i < picks->len; i++)
    g_assert_cmpint (g_array_index (picks, CohortPracticePick, i).question_id, !=, 102);
}

/* A focus on the mastered point not due gives its six questions, nearest
 * the target first (θ 2.5: σ(2.5 − 1) = 0.818 (305)...). */
static void
test_set_focus (void)
{
  gint64 now = 100 * DAY_MS;
  g_autoptr(GArray) picks = NULL;
  Bank bank;

  bank_init (&bank, now);
  picks = cohort_practice_set_build (bank.points, 5, bank.candidates, 30, NULL, now, 4,
                                     COHORT_PRACTICE_SET_SIZE);
  g_assert_cmpuint (picks->len, ==, 6);
  g_assert_cmpint (g_array_index (picks, CohortPracticePick, 0).question_id, ==, 405);
  for (guint i = 0; i < picks->len; i++)
    g_assert_cmpint (g_array_index (picks, CohortPracticePick, i).point_id, ==, 4);
}

/* Without a due review, the mastered point not due fills only what the
 * others leave: a bank of two points (1 weak, 4 mastered not due) gives
 * 4 weak, then round-robin fill: 1's last two and 4's. */
static void
test_set_fill (void)
{
  gint64 now = 100 * DAY_MS;
  g_autoptr(GArray) picks = NULL;
  CohortPracticePointState points[2];
  Bank bank;
  guint n_four = 0;

  bank_init (&bank, now);
  points[0] = bank.points[0];
  points[1] = bank.points[3];
  picks = cohort_practice_set_build (points, 2, bank.candidates, 30, NULL, now, 0,
                                     COHORT_PRACTICE_SET_SIZE);
  g_assert_cmpuint (picks->len, ==, 10);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (picks, CohortPracticePick, i).point_id, ==, 1);
  for (guint i = 0; i < picks->len; i++)
    if (g_array_index (picks, CohortPracticePick, i).point_id == 4)
      n_four++;
  g_assert_cmpuint (n_four, ==, 4);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/mastery/expected-and-k", test_expected_and_k);
  g_test_add_func ("/cohort/mastery/correct-run", test_correct_run);
  g_test_add_func ("/cohort/mastery/two-points", test_two_points);
  g_test_add_func ("/cohort/practice-set/proportions", test_set_proportions);
  g_test_add_func ("/cohort/practice-set/recent-correct", test_set_recent);
  g_test_add_func ("/cohort/practice-set/focus", test_set_focus);
  g_test_add_func ("/cohort/practice-set/fill", test_set_fill);

  return g_test_run ();
}
