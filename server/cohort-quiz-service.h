/* cohort-quiz-service.h: quizzes, live answers and results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_QUIZ_SERVICE (cohort_quiz_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizService, cohort_quiz_service, COHORT, QUIZ_SERVICE, CohortService)

CohortQuizService *cohort_quiz_service_new (CohortServer *server);

/* Whether a question of @class_id is open for answers now. */
gboolean cohort_quiz_service_is_running (CohortQuizService *self,
                                         gint64             class_id);
/* The same, for the service of @server (FALSE without one). */
gboolean _cohort_quiz_service_is_running (CohortServer     *server,
                                          gint64            class_id);

/* quiz.launch for @req, whose body holds quiz.launch's members
 * (question_ids, time_limit, allow_change): practice.launch sends a
 * knowledge point's set live through the quiz's own path. */
gboolean cohort_quiz_service_launch (CohortQuizService  *self,
                                     CohortRequest      *req,
                                     GError            **error);

G_END_DECLS
