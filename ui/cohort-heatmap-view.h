/* cohort-heatmap-view.h: a class's mastery, students × knowledge points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One row per knowledge point, the class's weakest (lowest average) at
 * the top, or by name; one column for the class's average, then one per
 * student (the weakest first, or by name). Each cell shows its band's
 * mark and the estimate ("! 45"), is coloured by band, and is a button
 * named for screen readers ("Ana, Fractions: 45 %, needs practice").
 * Arrow keys move between cells, Home and End to a row's ends,
 * Ctrl+Home and Ctrl+End to the corners. A point's name, or any of its
 * cells, activated emits ::point-activated with the point's id.
 *
 * Properties: by-name (sort both ways by name instead of weakest first). */
#define COHORT_TYPE_HEATMAP_VIEW (cohort_heatmap_view_get_type ())
G_DECLARE_FINAL_TYPE (CohortHeatmapView, cohort_heatmap_view, COHORT, HEATMAP_VIEW, GtkWidget)

GtkWidget  *cohort_heatmap_view_new            (void);
/* @point_ids, @point_names: @n_points; @student_names: @n_students;
 * @mastery: @n_points × @n_students estimates, point by point (the
 * estimate of student s on point p at [p * @n_students + s]), from 0 to
 * 1, below 0 where the student has no answer on the point.
 * @point_means: the class's mean per point (as the server counts it), or
 * NULL for the mean of the estimates shown. */
void        cohort_heatmap_view_set_data       (CohortHeatmapView  *self,
                                                const gint64       *point_ids,
                                                const char * const *point_names,
                                                const double       *point_means,
                                                guint               n_points,
                                                const char * const *student_names,
                                                guint               n_students,
                                                const double       *mastery);
gboolean    cohort_heatmap_view_get_by_name    (CohortHeatmapView *self);
void        cohort_heatmap_view_set_by_name    (CohortHeatmapView *self,
                                                gboolean           by_name);
guint       cohort_heatmap_view_get_n_points   (CohortHeatmapView *self);
guint       cohort_heatmap_view_get_n_students (CohortHeatmapView *self);
/* The point shown in row @row (from 0, top), as sorted now. */
gint64      cohort_heatmap_view_get_point_at   (CohortHeatmapView *self,
                                                guint              row);
/* The name of the student shown in column @column (from 0, left). */
const char *cohort_heatmap_view_get_student_at (CohortHeatmapView *self,
                                                guint              column);
/* The class's average on the point in row @row (below 0: no answers). */
double      cohort_heatmap_view_get_average_at (CohortHeatmapView *self,
                                                guint              row);
/* The button of a cell: @column -1 is the point's name, 0 the class
 * average, 1 and on the students in their order. NULL out of range. */
GtkWidget  *cohort_heatmap_view_get_cell       (CohortHeatmapView *self,
                                                guint              row,
                                                int                column);
/* Where the keyboard focus is among the cells (FALSE: not on a cell). */
gboolean    cohort_heatmap_view_get_cursor     (CohortHeatmapView *self,
                                                guint             *row,
                                                int               *column);

G_END_DECLS
