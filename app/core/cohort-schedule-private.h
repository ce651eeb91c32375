/* cohort-schedule-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-schedule.h"

G_BEGIN_DECLS

/* An occurrence object of the wire (docs/protocol-schedule.md), or NULL
 * when it is not one. */
CohortScheduleOccurrence *_cohort_schedule_occurrence_new_from_json (JsonObject *object);

G_END_DECLS
