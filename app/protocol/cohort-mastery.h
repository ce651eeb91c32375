/* cohort-mastery.h: the mastery model, an Elo-style rating of each student
 * against each question, per knowledge point (docs/architecture-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The model's parameters; docs/architecture-practice.md explains them. */
#define COHORT_MASTERY_ALPHA           1.0    /* K(n) = ALPHA / (1 + BETA n) */
#define COHORT_MASTERY_BETA            0.05
#define COHORT_MASTERY_REVIEW_FIRST_MS (24 * 3600 * (gint64) 1000)
#define COHORT_MASTERY_REVIEW_MAX_MS   (64 * 24 * 3600 * (gint64) 1000)

/* One student's estimate for one knowledge point. Zeroed: never answered. */
typedef struct
{
  double theta;        /* ability on the logit scale; 0: an average question is 50/50 */
  guint  answered;
  guint  correct;
  gint64 last_at;      /* ms of the last answer */
  gint64 interval_ms;  /* spaced review: 0 unless mastered */
  gint64 due_at;       /* last_at + interval_ms; 0 unless mastered */
} CohortMasterySkill;

/* One question's difficulty, learned from the class's answers. Zeroed:
 * never answered (average). */
typedef struct
{
  double difficulty;   /* logit scale */
  guint  answered;
} CohortMasteryItem;

/* σ(θ − d): the chance a student of ability @theta answers a question of
 * @difficulty right. */
double   cohort_mastery_expected  (double                    theta,
                                   double                    difficulty);
/* The step size after @n earlier answers: ALPHA / (1 + BETA n). */
double   cohort_mastery_k         (guint                     n);
/* Folds one graded answer given at @at to a question (@item) tagged with
 * the @n_skills points whose estimates are @skills (the same student).
 * Each point's θ moves by K(its answers) × (r − σ(θ − d)); the question's
 * difficulty by −K(its answers) × (r − σ(mean θ − d)), with the θ before
 * this answer. The order of the arguments is the whole state: the same
 * answers in the same order give the same bits. */
void     cohort_mastery_update    (CohortMasterySkill * const *skills,
                                   guint                     n_skills,
                                   CohortMasteryItem        *item,
                                   gboolean                  correct,
                                   gint64                    at);
/* round (1000 σ(θ)): the chance on an average question, in permille. */
int      cohort_mastery_permille  (const CohortMasterySkill *skill);
/* At least COHORT_PRACTICE_MASTERED permille after at least
 * COHORT_PRACTICE_MASTERED_ANSWERS answers. */
gboolean cohort_mastery_is_mastered (const CohortMasterySkill *skill);
/* "new", "learning" or "mastered" (COHORT_PRACTICE_STATE_*). */
const char *cohort_mastery_state  (const CohortMasterySkill *skill);

G_END_DECLS
