/* cohort-token-bucket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-token-bucket.h"

void
cohort_token_bucket_init (CohortTokenBucket *bucket,
                          double             burst,
                          gint64             now_us)
{
  bucket->tokens = burst;
  bucket->refilled_at = now_us;
}

gboolean
cohort_token_bucket_refill (CohortTokenBucket *bucket,
                            double             burst,
                            gint64             refill_us,
                            gint64             now_us)
{
  if (now_us > bucket->refilled_at)
    {
      bucket->tokens = MIN (burst, bucket->tokens + (double) (now_us - bucket->refilled_at) / refill_us);
      bucket->refilled_at = now_us;
    }
  return bucket->tokens >= burst;
}

gint64
cohort_token_bucket_wait (CohortTokenBucket *bucket,
                          double             burst,
                          gint64             refill_us,
                          gint64             now_us)
{
  cohort_token_bucket_refill (bucket, burst, refill_us, now_us);
  if (bucket->tokens >= 1.0)
    return 0;
  return (gint64) ((1.0 - bucket->tokens) * refill_us) + 1;
}

gint64
cohort_token_bucket_take (CohortTokenBucket *bucket,
                          double             burst,
                          gint64             refill_us,
                          gint64             now_us)
{
  gint64 wait_us = cohort_token_bucket_wait (bucket, burst, refill_us, now_us);

  if (wait_us == 0)
    bucket->tokens -= 1.0;
  return wait_us;
}

void
cohort_token_bucket_give_back (CohortTokenBucket *bucket,
                               double             burst)
{
  bucket->tokens = MIN (burst, bucket->tokens + 1.0);
}
