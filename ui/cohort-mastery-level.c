/* cohort-mastery-level.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-mastery-level"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cohort-mastery-level.h"

CohortMasteryLevel
cohort_mastery_level_of (double mastery)
{
  if (isnan (mastery) || mastery < 0)
    return COHORT_MASTERY_LEVEL_NONE;
  if (mastery >= COHORT_MASTERY_MASTERED_FROM)
    return COHORT_MASTERY_LEVEL_MASTERED;
  if (mastery >= COHORT_MASTERY_LEARNING_FROM)
    return COHORT_MASTERY_LEVEL_LEARNING;
  return COHORT_MASTERY_LEVEL_WEAK;
}

const char *
cohort_mastery_level_name (CohortMasteryLevel level)
{
  switch (level)
    {
    case COHORT_MASTERY_LEVEL_WEAK:
      /* Translators: a mastery band: the student gets this wrong often. */
      return _("Needs practice");
    case COHORT_MASTERY_LEVEL_LEARNING:
      /* Translators: a mastery band, between weak and mastered. */
      return _("Learning");
    case COHORT_MASTERY_LEVEL_MASTERED:
      /* Translators: a mastery band. */
      return _("Mastered");
    case COHORT_MASTERY_LEVEL_NONE:
    default:
      /* Translators: a mastery band: no graded answer on this point yet. */
      return _("Not started");
    }
}

char *
cohort_mastery_level_range (CohortMasteryLevel level)
{
  int learning = (int) (COHORT_MASTERY_LEARNING_FROM * 100);
  int mastered = (int) (COHORT_MASTERY_MASTERED_FROM * 100);

  switch (level)
    {
    case COHORT_MASTERY_LEVEL_WEAK:
      /* Translators: the range of a mastery band, "Under 50 %". */
      return g_strdup_printf (_("Under %d %%"), learning);
    case COHORT_MASTERY_LEVEL_LEARNING:
      /* Translators: the range of a mastery band, "50 % to 80 %". */
      return g_strdup_printf (_("%d %% to %d %%"), learning, mastered);
    case COHORT_MASTERY_LEVEL_MASTERED:
      /* Translators: the range of a mastery band, "80 % or more". */
      return g_strdup_printf (_("%d %% or more"), mastered);
    case COHORT_MASTERY_LEVEL_NONE:
    default:
      return g_strdup (_("No answers yet"));
    }
}

const char *
cohort_mastery_level_symbol (CohortMasteryLevel level)
{
  switch (level)
    {
    case COHORT_MASTERY_LEVEL_WEAK:
      return "!";
    case COHORT_MASTERY_LEVEL_LEARNING:
      return "◐";
    case COHORT_MASTERY_LEVEL_MASTERED:
      return "✓";
    case COHORT_MASTERY_LEVEL_NONE:
    default:
      return "–";
    }
}

const char *
cohort_mastery_level_css_class (CohortMasteryLevel level)
{
  switch (level)
    {
    case COHORT_MASTERY_LEVEL_WEAK:
      return "weak";
    case COHORT_MASTERY_LEVEL_LEARNING:
      return "learning";
    case COHORT_MASTERY_LEVEL_MASTERED:
      return "mastered";
    case COHORT_MASTERY_LEVEL_NONE:
    default:
      return "none";
    }
}

void
cohort_mastery_level_color (CohortMasteryLevel  level,
                            GdkRGBA            *color)
{
  /* Mid-tone colours (libadwaita's orange, blue and green) that keep
   * their contrast on the light and the dark window background alike. */
  static const GdkRGBA colors[COHORT_MASTERY_N_LEVELS] = {
    [COHORT_MASTERY_LEVEL_NONE] = { 0.55, 0.55, 0.55, 1.0 },
    [COHORT_MASTERY_LEVEL_WEAK] = { 0.90, 0.38, 0.00, 1.0 },
    [COHORT_MASTERY_LEVEL_LEARNING] = { 0.21, 0.52, 0.89, 1.0 },
    [COHORT_MASTERY_LEVEL_MASTERED] = { 0.15, 0.64, 0.41, 1.0 },
  };

  *color = colors[level < COHORT_MASTERY_N_LEVELS ? level : COHORT_MASTERY_LEVEL_NONE];
}

char *
cohort_mastery_format_percent (double mastery)
{
  if (cohort_mastery_level_of (mastery) == COHORT_MASTERY_LEVEL_NONE)
    return g_strdup ("–");
  /* Down, not to the nearest: 0.795 is still "learning", and must not
   * read "80 %" next to the learning mark. */
  /* Translators: a mastery estimate, "45 %". */
  return g_strdup_printf (_("%d %%"), (int) floor (CLAMP (mastery, 0, 1) * 100 + 1e-9));
}
