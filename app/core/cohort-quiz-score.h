/* cohort-quiz-score.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One student's line in the teacher's score table: totals over the
 * class's revealed questions. Properties: participant-id, name, points,
 * correct, answered (all notify when they change). */
#define COHORT_TYPE_QUIZ_SCORE (cohort_quiz_score_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizScore, cohort_quiz_score, COHORT, QUIZ_SCORE, GObject)

CohortQuizScore *cohort_quiz_score_new                (gint64           participant_id,
                                                       const char      *name);
gint64           cohort_quiz_score_get_participant_id (CohortQuizScore *self);
const char      *cohort_quiz_score_get_name           (CohortQuizScore *self);
void             cohort_quiz_score_set_name           (CohortQuizScore *self,
                                                       const char      *name);
double           cohort_quiz_score_get_points         (CohortQuizScore *self);
gint64           cohort_quiz_score_get_correct        (CohortQuizScore *self);
gint64           cohort_quiz_score_get_answered       (CohortQuizScore *self);
/* Adds one scored answer (or a total, from a welcome). */
void             cohort_quiz_score_add                (CohortQuizScore *self,
                                                       double           points,
                                                       gint64           correct,
                                                       gint64           answered);

G_END_DECLS
