/* cohort-practice-service.h: knowledge points, adaptive practice and
 * mastery (docs/protocol-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-ai-service.h"
#include "cohort-quiz-service.h"
#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_PRACTICE_SERVICE (cohort_practice_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortPracticeService, cohort_practice_service, COHORT, PRACTICE_SERVICE, CohortService)

/* Adds the knowledge.*, practice.* and mastery.* handlers. practice.launch
 * goes through @quiz's launch, practice.why through @ai's ask (the
 * assembly passes both; the server owns all three). */
CohortPracticeService *cohort_practice_service_new (CohortServer      *server,
                                                    CohortQuizService *quiz,
                                                    CohortAiService   *ai);

/* The helper's nudges: @participant_id's weakest knowledge point from
 * their own practice (a CohortAiWeakPointFunc; @user_data the service),
 * or NULL: none, or an error in @error. */
char                  *cohort_practice_service_weak_point (CohortServer  *server,
                                                           gint64         class_id,
                                                           gint64         participant_id,
                                                           gpointer       user_data,
                                                           GError       **error);

G_END_DECLS
