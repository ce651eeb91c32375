/* cohort-home-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-home-entry.h"

G_BEGIN_DECLS

/* One kept class on the home: title, teacher, "Live now" with Join, the
 * next lesson (a countdown when it is close), unread messages, streak,
 * today's check-in, points this week, or why it is offline. Activating
 * the row (or Join) runs "home.open-class" with the row's index. */
#define COHORT_TYPE_HOME_ROW (cohort_home_row_get_type ())
G_DECLARE_FINAL_TYPE (CohortHomeRow, cohort_home_row, COHORT, HOME_ROW, GtkListBoxRow)

CohortHomeRow   *cohort_home_row_new        (CohortHomeEntry *entry);
CohortHomeEntry *cohort_home_row_get_entry  (CohortHomeRow   *self);
/* The countdown moves with the clock: the home calls this every 30 s. */
void             cohort_home_row_update     (CohortHomeRow   *self);
GtkButton       *cohort_home_row_get_join_button (CohortHomeRow *self);
/* The figures line and the status line as shown (for tests). */
const char      *cohort_home_row_get_figures (CohortHomeRow  *self);
const char      *cohort_home_row_get_status  (CohortHomeRow  *self);
/* The helper's nudge as shown, or NULL (for tests). */
const char      *cohort_home_row_get_nudge   (CohortHomeRow  *self);

G_END_DECLS
