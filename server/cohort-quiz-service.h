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
/* Whether the AI helper is paused in @class_id: a question is open, or
 * a launched sequence is between its questions until it ends (its last
 * question closed, or 15 minutes with none open). */
gboolean cohort_quiz_service_locks_helper (CohortQuizService *self,
                                           gint64             class_id);
/* The same, for the service of @server (FALSE without one). */
gboolean _cohort_quiz_service_is_running (CohortServer     *server,
                                          gint64            class_id);
/* Called on the main loop when the helper lock of @class_id may have
 * changed (a run launched or closed, or the sequence gap ran out), once
 * the change is committed and its events sent. */
typedef void (*CohortQuizLockChangedFunc) (CohortServer *server,
                                           gint64        class_id,
                                           gpointer      user_data);
void cohort_quiz_service_set_lock_changed_func (CohortQuizService         *self,
                                                CohortQuizLockChangedFunc  func,
                                                gpointer                   user_data);

/* quiz.launch for @req, whose body holds quiz.launch's members
 * (question_ids, time_limit, allow_change): practice.launch sends a
 * knowledge point's set live through the quiz's own path. */
gboolean cohort_quiz_service_launch (CohortQuizService  *self,
                                     CohortRequest      *req,
                                     GError            **error);

G_END_DECLS
