/* cohort-media-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-media"

#include "config.h"

#include "cohort-server-private.h"

void
_cohort_media_service_register (CohortServer *server)
{
}
