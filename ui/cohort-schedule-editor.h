/* cohort-schedule-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-schedule.h"

G_BEGIN_DECLS

#define COHORT_TYPE_SCHEDULE_EDITOR (cohort_schedule_editor_get_type ())
G_DECLARE_FINAL_TYPE (CohortScheduleEditor, cohort_schedule_editor, COHORT, SCHEDULE_EDITOR, AdwWindow)

/* The teacher plans a lesson of @schedule (@occurrence NULL) or changes
 * @occurrence's series: title, date, time, duration, weekly (with a
 * number of lessons or a last date) and the time zone, the system's by default. Save
 * sends schedule.create or schedule.update and closes once the server
 * took it; a refusal stays on screen as a toast. */
CohortScheduleEditor *cohort_schedule_editor_new      (GtkWindow                *parent,
                                                       CohortSchedule           *schedule,
                                                       CohortScheduleOccurrence *occurrence);
/* What Save would send (for tests); the strings live as long as @self
 * is unchanged. */
void                  cohort_schedule_editor_get_spec (CohortScheduleEditor     *self,
                                                       CohortScheduleLessonSpec *out_spec);
void                  cohort_schedule_editor_set_fields (CohortScheduleEditor   *self,
                                                         const char             *title,
                                                         const char             *start,
                                                         const char             *zone,
                                                         guint                   duration,
                                                         gboolean                weekly,
                                                         guint                   count,
                                                         const char             *until);

G_END_DECLS
