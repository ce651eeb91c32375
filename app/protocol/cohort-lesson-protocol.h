/* cohort-lesson-protocol.h: the class's life cycle: starting and ending a
 * lesson, its attendance and a student's summary (docs/protocol-lesson.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Requests */
#define COHORT_REQ_LESSON_START      "lesson.start"
#define COHORT_REQ_LESSON_END        "lesson.end"
#define COHORT_REQ_LESSON_ATTENDANCE "lesson.attendance"
#define COHORT_REQ_LESSON_SUMMARY    "lesson.summary"

/* Events */
#define COHORT_EV_LESSON_CHANGED     "lesson.changed"

/* The "state" member of a lesson object. */
#define COHORT_LESSON_STR_NOT_STARTED "not_started"
#define COHORT_LESSON_STR_LIVE        "live"
#define COHORT_LESSON_STR_ENDED       "ended"

G_END_DECLS
