/* cohort-services.c: the list of feature services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-server"

#include "config.h"

#include "cohort-server-private.h"

void
_cohort_server_register_services (CohortServer *self)
{
  _cohort_media_service_register (self);
  _cohort_chat_service_register (self);
  _cohort_quiz_service_register (self);
  _cohort_groups_service_register (self);
  _cohort_ai_service_register (self);
  _cohort_identity_service_register (self);
}
