/* cohort-mastery-heatmap.h: the teacher's mastery view: students ×
 * knowledge points, weakest points first (docs/protocol-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-knowledge-point.h"
#include "cohort-mastery-row.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* Properties (read-only): loading, error-message.
 *
 * Lists: points (CohortKnowledgePoint, the heatmap's columns, weakest
 * class mean first; mastery is the class mean), students (CohortMasteryRow,
 * by name; cell i is column i of points). */
#define COHORT_TYPE_MASTERY_HEATMAP (cohort_mastery_heatmap_get_type ())
G_DECLARE_FINAL_TYPE (CohortMasteryHeatmap, cohort_mastery_heatmap, COHORT, MASTERY_HEATMAP, GObject)

/* Asks mastery.class at once, and again on knowledge.changed. */
CohortMasteryHeatmap *cohort_mastery_heatmap_new            (CohortSession        *session);
void                  cohort_mastery_heatmap_refresh        (CohortMasteryHeatmap *self);
gboolean              cohort_mastery_heatmap_get_loading    (CohortMasteryHeatmap *self);
const char           *cohort_mastery_heatmap_get_error_message (CohortMasteryHeatmap *self);
GListModel           *cohort_mastery_heatmap_get_points     (CohortMasteryHeatmap *self);
GListModel           *cohort_mastery_heatmap_get_students   (CohortMasteryHeatmap *self);
/* Sorts students by their mastery of column @index (weakest first), or by
 * name when @index is -1. */
void                  cohort_mastery_heatmap_sort_by        (CohortMasteryHeatmap *self,
                                                             int                   index);

/* knowledge.set: @point_id 0 creates a point named @name; otherwise @name
 * (NULL: keep) renames it and @practice switches its practice. */
void                  cohort_mastery_heatmap_set_point_async  (CohortMasteryHeatmap *self,
                                                               gint64                point_id,
                                                               const char           *name,
                                                               gboolean              practice,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean              cohort_mastery_heatmap_set_point_finish (CohortMasteryHeatmap *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* practice.launch: @count questions of the point, live as a quiz
 * (@time_limit seconds, -1: each question's own). */
void                  cohort_mastery_heatmap_launch_async   (CohortMasteryHeatmap *self,
                                                             gint64                point_id,
                                                             guint                 count,
                                                             gint64                time_limit,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean              cohort_mastery_heatmap_launch_finish  (CohortMasteryHeatmap *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

G_END_DECLS
