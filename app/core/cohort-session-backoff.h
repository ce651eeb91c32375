/* cohort-session-backoff.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define COHORT_BACKOFF_BASE_MS 500
#define COHORT_BACKOFF_MAX_MS  10000

/* Exponential backoff with "full jitter": attempt n waits a uniformly random
 * time in [0, min (max, base × 2^n)] milliseconds. After a server restart a
 * whole class reconnects at the same moment; full jitter spreads those
 * clients over the entire window, which keeps the herd smallest, and unlike
 * "decorrelated" jitter each delay depends only on the attempt number, so the
 * bounds are easy to state and to test. */
typedef struct _CohortBackoff CohortBackoff;

/* @rand: (transfer full) (nullable): the random source; NULL seeds one from
 * the system. Tests pass g_rand_new_with_seed() to get a fixed sequence. */
CohortBackoff *cohort_backoff_new           (guint          base_ms,
                                             guint          max_ms,
                                             GRand         *rand);
void           cohort_backoff_free          (CohortBackoff *self);
/* The delay before the next attempt; counts one attempt. */
guint          cohort_backoff_next_delay    (CohortBackoff *self);
/* The upper bound the next call to cohort_backoff_next_delay() draws from. */
guint          cohort_backoff_get_ceiling   (CohortBackoff *self);
guint          cohort_backoff_get_attempt   (CohortBackoff *self);
guint          cohort_backoff_get_max_ms    (CohortBackoff *self);
/* Call after a successful connection. */
void           cohort_backoff_reset         (CohortBackoff *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortBackoff, cohort_backoff_free)

G_END_DECLS
