/* cohort-insights-service.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_INSIGHTS_SERVICE (cohort_insights_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortInsightsService, cohort_insights_service, COHORT, INSIGHTS_SERVICE, CohortService)

CohortInsightsService *cohort_insights_service_new          (CohortServer *server);
/* A CohortLessonEndedFunc: the lesson's figures are folded when idle. */
void                   cohort_insights_service_lesson_ended (CohortServer *server,
                                                             gint64        class_id,
                                                             gpointer      user_data);

G_END_DECLS
