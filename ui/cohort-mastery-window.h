/* cohort-mastery-window.h: the teacher's view of a class's mastery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-mastery-heatmap.h"

G_BEGIN_DECLS

/* Two pages. Heatmap: every student's mastery of every knowledge point
 * (a CohortHeatmapView with its legend), the class's weakest points on
 * top or by name; a point activated opens its practice set, which the
 * teacher launches live as a quiz. Knowledge Points: each point with its
 * practice switch, its eligible questions and the class's mean. */
#define COHORT_TYPE_MASTERY_WINDOW (cohort_mastery_window_get_type ())
G_DECLARE_FINAL_TYPE (CohortMasteryWindow, cohort_mastery_window, COHORT, MASTERY_WINDOW, AdwWindow)

CohortMasteryWindow  *cohort_mastery_window_new         (GtkWindow            *parent,
                                                         CohortMasteryHeatmap *heatmap);
CohortMasteryHeatmap *cohort_mastery_window_get_model   (CohortMasteryWindow  *self);
/* The CohortHeatmapView. */
GtkWidget            *cohort_mastery_window_get_view    (CohortMasteryWindow  *self);
/* "heatmap" or "points". */
void                  cohort_mastery_window_set_page    (CohortMasteryWindow  *self,
                                                         const char           *page);
/* The practice switch of the point @point_id on the Knowledge Points page. */
GtkWidget            *cohort_mastery_window_get_switch  (CohortMasteryWindow  *self,
                                                         gint64                point_id);
/* Opens the practice set dialog of @point_id (as activating it does);
 * returns the AdwMessageDialog. */
GtkWidget            *cohort_mastery_window_open_point  (CohortMasteryWindow  *self,
                                                         gint64                point_id);
/* Opens the rename dialog of @point_id (as its Rename button does);
 * returns the AdwMessageDialog. */
GtkWidget            *cohort_mastery_window_rename_point (CohortMasteryWindow *self,
                                                          gint64               point_id);

G_END_DECLS
