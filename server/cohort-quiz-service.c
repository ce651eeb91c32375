/* cohort-quiz-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz"

#include "config.h"

#include "cohort-server-private.h"

void
_cohort_quiz_service_register (CohortServer *server)
{
}
