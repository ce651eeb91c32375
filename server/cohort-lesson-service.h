/* cohort-lesson-service.h: the class's life cycle: a lesson starts, is
 * live and ends; its attendance and a student's summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"
#include "cohort-store.h"

G_BEGIN_DECLS

#define COHORT_TYPE_LESSON_SERVICE (cohort_lesson_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortLessonService, cohort_lesson_service, COHORT, LESSON_SERVICE, CohortService)

/* The points a participant earned since @since_ts (ms); -1: unknown. */
typedef gint64 (*CohortLessonPointsFunc) (CohortServer *server,
                                          gint64        class_id,
                                          gint64        participant_id,
                                          gint64        since_ts,
                                          gpointer      user_data);

/* A lesson of @class_id ended (after its lesson.end was committed). */
typedef void   (*CohortLessonEndedFunc)  (CohortServer *server,
                                          gint64        class_id,
                                          gpointer      user_data);

CohortLessonService *cohort_lesson_service_new      (CohortServer             *server);
/* Where lesson.summary reads a student's points (the groups ledger). */
void                 cohort_lesson_service_set_points_func (CohortLessonService    *self,
                                                            CohortLessonPointsFunc  func,
                                                            gpointer                user_data);
/* Who hears that a lesson ended (the insights fold its figures then). */
void                 cohort_lesson_service_set_ended_func  (CohortLessonService    *self,
                                                            CohortLessonEndedFunc   func,
                                                            gpointer                user_data);
/* The wire form of @lesson (docs/protocol-lesson.md, "The lesson"). */
JsonObject          *cohort_lesson_service_to_json  (const CohortLessonRecord *lesson);

G_END_DECLS
