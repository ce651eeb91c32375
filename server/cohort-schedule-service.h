/* cohort-schedule-service.h: the class's lesson schedule: the teacher
 * plans lessons, everyone sees the upcoming ones, and members subscribe
 * to a calendar feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"
#include "cohort-store.h"

G_BEGIN_DECLS

#define COHORT_TYPE_SCHEDULE_SERVICE (cohort_schedule_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortScheduleService, cohort_schedule_service, COHORT, SCHEDULE_SERVICE, CohortService)

/* Adds the schedule.* handlers and serves
 * GET /classes/<class id>/schedule.ics?key=<calendar key>. */
CohortScheduleService *cohort_schedule_service_new (CohortServer *server);

G_END_DECLS
