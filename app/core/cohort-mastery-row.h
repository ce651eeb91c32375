/* cohort-mastery-row.h: one student's line of the teacher's mastery
 * heatmap (mastery.class "students")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Properties (read-only): participant-id, name, mean (permille over the
 * points they answered, -1: none). */
#define COHORT_TYPE_MASTERY_ROW (cohort_mastery_row_get_type ())
G_DECLARE_FINAL_TYPE (CohortMasteryRow, cohort_mastery_row, COHORT, MASTERY_ROW, GObject)

CohortMasteryRow *_cohort_mastery_row_new_from_json (JsonObject       *object,
                                                     guint             n_points);

gint64            cohort_mastery_row_get_participant_id (CohortMasteryRow *self);
const char       *cohort_mastery_row_get_name           (CohortMasteryRow *self);
int               cohort_mastery_row_get_mean           (CohortMasteryRow *self);
guint             cohort_mastery_row_get_n_cells        (CohortMasteryRow *self);
/* The mastery (permille, -1: no answer) at column @index of the heatmap's
 * points (CohortMasteryHeatmap's points model, same order). */
int               cohort_mastery_row_get_cell           (CohortMasteryRow *self,
                                                         guint             index);

G_END_DECLS
