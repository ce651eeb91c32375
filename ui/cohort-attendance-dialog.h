/* cohort-attendance-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-lesson.h"

G_BEGIN_DECLS

#define COHORT_TYPE_ATTENDANCE_DIALOG (cohort_attendance_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CohortAttendanceDialog, cohort_attendance_dialog, COHORT, ATTENDANCE_DIALOG, AdwWindow)

/* The teacher's attendance of @lesson's current lesson: who came, when,
 * for how long; Refresh asks again, Export CSV… saves it
 * (cohort_attendance_to_csv) through a GtkFileChooserNative. */
CohortAttendanceDialog *cohort_attendance_dialog_new        (GtkWindow              *parent,
                                                             CohortLesson           *lesson);
/* Rows shown, once the answer came (-1 before). */
int                     cohort_attendance_dialog_get_n_rows (CohortAttendanceDialog *self);
/* What Export CSV… writes (NULL before the answer came). */
char                   *cohort_attendance_dialog_to_csv     (CohortAttendanceDialog *self);

G_END_DECLS
