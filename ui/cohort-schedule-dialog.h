/* cohort-schedule-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-schedule.h"

G_BEGIN_DECLS

#define COHORT_TYPE_SCHEDULE_DIALOG (cohort_schedule_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CohortScheduleDialog, cohort_schedule_dialog, COHORT, SCHEDULE_DIALOG, AdwWindow)

/* The class's upcoming lessons in the viewer's own zone, with a
 * countdown when one is close; the teacher adds, changes and cancels
 * them. Copy Calendar Link and Export .ics… give the calendar feed. */
CohortScheduleDialog *cohort_schedule_dialog_new       (GtkWindow            *parent,
                                                        CohortSchedule       *schedule,
                                                        gboolean              is_teacher);
/* Rows shown. */
guint                 cohort_schedule_dialog_get_n_rows (CohortScheduleDialog *self);
/* Row @index's subtitle (when, how long, countdown), or NULL. */
const char           *cohort_schedule_dialog_get_row_subtitle (CohortScheduleDialog *self,
                                                               guint                 index);

/* @start_at (ms, UTC) on the viewer's clock, "Mon 2 Mar, 22:00". */
char *cohort_schedule_format_start     (gint64 start_at);
/* "in 25 minutes", "in 3 hours", "now" (between @start_at and @end_at),
 * or NULL when the lesson is more than a day away or over. */
char *cohort_schedule_format_countdown (gint64 start_at,
                                        gint64 end_at,
                                        gint64 now);

G_END_DECLS
