/* cohort-session-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-backoff"

#include "config.h"

#include "cohort-session-backoff.h"

struct _CohortBackoff
{
  GRand *rand;
  guint  base_ms;
  guint  max_ms;
  guint  attempt;
};

CohortBackoff *
cohort_backoff_new (guint  base_ms,
                    guint  max_ms,
                    GRand *rand)
{
  CohortBackoff *self = g_new0 (CohortBackoff, 1);

  self->base_ms = MAX (base_ms, 1);
  self->max_ms = MAX (max_ms, self->base_ms);
  self->rand = rand != NULL ? rand : g_rand_new ();

  return self;
}

void
cohort_backoff_free (CohortBackoff *self)
{
  if (self == NULL)
    return;

  g_rand_free (self->rand);
  g_free (self);
}

guint
cohort_backoff_get_ceiling (CohortBackoff *self)
{
  guint64 ceiling = self->base_ms;

  g_return_val_if_fail (self != NULL, 0);

  /* Stop doubling once over the cap so the shift never overflows. */
  for (guint i = 0; i < self->attempt && ceiling < self->max_ms; i++)
    ceiling *= 2;

  return (guint) MIN (ceiling, (guint64) self->max_ms);
}

guint
cohort_backoff_next_delay (CohortBackoff *self)
{
  guint ceiling;

  g_return_val_if_fail (self != NULL, 0);

  ceiling = cohort_backoff_get_ceiling (self);
  if (self->attempt < G_MAXUINT)
    self->attempt++;

  /* g_rand_int_range's end is exclusive; the ceiling itself is allowed. */
  return (guint) g_rand_int_range (self->rand, 0, (gint32) ceiling + 1);
}

guint
cohort_backoff_get_attempt (CohortBackoff *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->attempt;
}

guint
cohort_backoff_get_max_ms (CohortBackoff *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_ms;
}

void
cohort_backoff_reset (CohortBackoff *self)
{
  g_return_if_fail (self != NULL);

  self->attempt = 0;
}
