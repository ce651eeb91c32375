/* cohort-schedule-occurrence.h: one upcoming lesson of the class's
 * schedule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An occurrence of a planned lesson series, as the server expanded it:
 * when it starts in UTC, and the series it belongs to (for the teacher's
 * edits). Immutable: a change replaces the items.
 *
 * Properties (read-only): lesson-id, title, date ("YYYY-MM-DD" in the
 * teacher's zone: what schedule.cancel names), start-at (ms since the
 * epoch, UTC), end-at, duration (minutes), zone (the teacher's IANA
 * zone), weekly, series-start ("YYYY-MM-DDTHH:MM", the series' first
 * lesson in its zone), count (0: none), until ("YYYY-MM-DD" or NULL). */
#define COHORT_TYPE_SCHEDULE_OCCURRENCE (cohort_schedule_occurrence_get_type ())
G_DECLARE_FINAL_TYPE (CohortScheduleOccurrence, cohort_schedule_occurrence, COHORT, SCHEDULE_OCCURRENCE, GObject)

gint64      cohort_schedule_occurrence_get_lesson_id    (CohortScheduleOccurrence *self);
const char *cohort_schedule_occurrence_get_title        (CohortScheduleOccurrence *self);
const char *cohort_schedule_occurrence_get_date         (CohortScheduleOccurrence *self);
gint64      cohort_schedule_occurrence_get_start_at     (CohortScheduleOccurrence *self);
gint64      cohort_schedule_occurrence_get_end_at       (CohortScheduleOccurrence *self);
guint       cohort_schedule_occurrence_get_duration     (CohortScheduleOccurrence *self);
const char *cohort_schedule_occurrence_get_zone         (CohortScheduleOccurrence *self);
gboolean    cohort_schedule_occurrence_get_weekly       (CohortScheduleOccurrence *self);
const char *cohort_schedule_occurrence_get_series_start (CohortScheduleOccurrence *self);
guint       cohort_schedule_occurrence_get_count        (CohortScheduleOccurrence *self);
const char *cohort_schedule_occurrence_get_until        (CohortScheduleOccurrence *self);

G_END_DECLS
