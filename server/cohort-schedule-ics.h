/* cohort-schedule-ics.h: a class's schedule as an iCalendar (RFC 5545)
 * feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text escaped as an RFC 5545 TEXT value (backslash, semicolon, comma,
 * line breaks), not yet folded. */
char *cohort_schedule_ics_escape (const char *text);

/* The feed of @lessons (CohortScheduleLessonRecord) of class @class_id,
 * named @class_title: one VEVENT per series; weekly ones carry an RRULE
 * in the teacher's TZID and an EXDATE per cancelled occurrence, one-offs
 * a UTC DTSTART; cancelled series are STATUS:CANCELLED. CRLF lines
 * folded at 75 octets. */
char *cohort_schedule_ics_build  (gint64      class_id,
                                  const char *class_title,
                                  GPtrArray  *lessons);

G_END_DECLS
