/* cohort-class-service.h: leaving a class, and raised hands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_CLASS_SERVICE (cohort_class_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortClassService, cohort_class_service, COHORT, CLASS_SERVICE, CohortService)

CohortClassService *cohort_class_service_new (CohortServer *server);

G_END_DECLS
