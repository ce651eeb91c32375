/* cohort-token-bucket.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A token bucket: up to @burst tokens, one more every @refill_us. The
 * server's limits (frames per connection, chat messages and reactions per
 * participant, wrong class codes per address) are each one of these. Times
 * are monotonic µs. */
typedef struct
{
  double tokens;
  gint64 refilled_at;
} CohortTokenBucket;

void     cohort_token_bucket_init      (CohortTokenBucket *bucket,
                                        double             burst,
                                        gint64             now_us);
/* Adds what has refilled since the last call; TRUE if the bucket is full. */
gboolean cohort_token_bucket_refill    (CohortTokenBucket *bucket,
                                        double             burst,
                                        gint64             refill_us,
                                        gint64             now_us);
/* 0 if a token is there, else the µs until one is. Takes nothing. */
gint64   cohort_token_bucket_wait      (CohortTokenBucket *bucket,
                                        double             burst,
                                        gint64             refill_us,
                                        gint64             now_us);
/* Takes a token: 0, or (taking nothing) the µs until one is there. */
gint64   cohort_token_bucket_take      (CohortTokenBucket *bucket,
                                        double             burst,
                                        gint64             refill_us,
                                        gint64             now_us);
void     cohort_token_bucket_give_back (CohortTokenBucket *bucket,
                                        double             burst);

G_END_DECLS
