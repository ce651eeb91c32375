/* cohort-mastery-level.h: how the UI reads a mastery estimate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The bands the progress chart, the heatmap and their legends share. A
 * band has a colour, a symbol and a name, so that nothing is told by
 * colour alone. */
typedef enum
{
  COHORT_MASTERY_LEVEL_NONE,      /* no graded answer yet */
  COHORT_MASTERY_LEVEL_WEAK,      /* under 50 % */
  COHORT_MASTERY_LEVEL_LEARNING,  /* 50 % to 80 % */
  COHORT_MASTERY_LEVEL_MASTERED,  /* 80 % or more */
} CohortMasteryLevel;

#define COHORT_MASTERY_N_LEVELS 4
/* Where "learning" and "mastered" start (fractions of 1). */
#define COHORT_MASTERY_LEARNING_FROM 0.5
#define COHORT_MASTERY_MASTERED_FROM 0.8

/* @mastery: 0 to 1; below 0 (or NaN) means no answers yet. */
CohortMasteryLevel cohort_mastery_level_of         (double             mastery);
/* "Needs practice", "Learning", "Mastered", "Not started" (translated). */
const char        *cohort_mastery_level_name       (CohortMasteryLevel level);
/* The band as a range: "Under 50 %", "80 % or more" (translated). */
char              *cohort_mastery_level_range      (CohortMasteryLevel level);
/* A one-character mark drawn with the value: "!", "◐", "✓", "–". */
const char        *cohort_mastery_level_symbol     (CohortMasteryLevel level);
/* "weak", "learning", "mastered", "none": the style class of a cell. */
const char        *cohort_mastery_level_css_class  (CohortMasteryLevel level);
/* The fill colour, readable on light and dark backgrounds. */
void               cohort_mastery_level_color      (CohortMasteryLevel level,
                                                    GdkRGBA           *color);
/* "45 %", or "–" with no answers. */
char              *cohort_mastery_format_percent   (double             mastery);

G_END_DECLS
