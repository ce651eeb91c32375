/* cohort-schedule-protocol.h: the class's lesson schedule: lessons the
 * teacher plans, their occurrences, and the calendar feed
 * (docs/protocol-schedule.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Requests */
#define COHORT_REQ_SCHEDULE_LIST            "schedule.list"
#define COHORT_REQ_SCHEDULE_CREATE          "schedule.create"
#define COHORT_REQ_SCHEDULE_UPDATE          "schedule.update"
#define COHORT_REQ_SCHEDULE_CANCEL          "schedule.cancel"
#define COHORT_REQ_SCHEDULE_CALENDAR_KEY    "schedule.calendar_key"
#define COHORT_REQ_SCHEDULE_CALENDAR_REVOKE "schedule.calendar_revoke"

/* Events */
#define COHORT_EV_SCHEDULE_CHANGED          "schedule.changed"

/* The "recurrence" member of a lesson. */
#define COHORT_SCHEDULE_STR_NONE            "none"
#define COHORT_SCHEDULE_STR_WEEKLY          "weekly"

/* The "change" member of schedule.changed. */
#define COHORT_SCHEDULE_STR_CREATED         "created"
#define COHORT_SCHEDULE_STR_UPDATED         "updated"
#define COHORT_SCHEDULE_STR_CANCELLED       "cancelled"

#define COHORT_SCHEDULE_MAX_TITLE_CHARS     120
#define COHORT_SCHEDULE_MIN_DURATION        5      /* minutes */
#define COHORT_SCHEDULE_MAX_DURATION        600
#define COHORT_SCHEDULE_MAX_COUNT           520    /* ten years of weeks */
#define COHORT_SCHEDULE_MAX_LESSONS         200    /* series per class, cancelled ones included */
#define COHORT_SCHEDULE_MAX_LIST_DAYS       366
#define COHORT_SCHEDULE_DEFAULT_LIST_DAYS   28
#define COHORT_SCHEDULE_MAX_LIST            200    /* occurrences in a schedule.list reply */
/* What the welcome and schedule.changed carry: the next few lessons. */
#define COHORT_SCHEDULE_UPCOMING_DAYS       60
#define COHORT_SCHEDULE_UPCOMING_MAX        10

G_END_DECLS
