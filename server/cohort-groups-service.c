/* cohort-groups-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-groups"

#include "config.h"

#include "cohort-server-private.h"

void
_cohort_groups_service_register (CohortServer *server)
{
}
