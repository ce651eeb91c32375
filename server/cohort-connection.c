/* cohort-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-connection"

#include "config.h"

#include "cohort-connection.h"
#include "cohort-protocol.h"

/* The flood counter resets once the bucket could have refilled completely. */
#define REFILL_WINDOW_US ((gint64) G_USEC_PER_SEC * COHORT_RATE_BURST / COHORT_RATE_PER_SECOND)

struct _CohortConnection
{
  GObject                  parent_instance;

  SoupWebsocketConnection *ws;

  double                   tokens;
  gint64                   refilled_at;
  guint                    over_limit;
  gint64                   over_limit_since;
  gint64                   last_activity;

  gint64                   class_id;
  gint64                   participant_id;
  gint64                   last_sent_seq;
  gboolean                 joined;
  gboolean                 is_teacher;
  /* the client reads batch frames (docs/protocol.md, "Batch frames") */
  gboolean                 batch;
};

G_DEFINE_FINAL_TYPE (CohortConnection, cohort_connection, G_TYPE_OBJECT)

static void
cohort_connection_finalize (GObject *object)
{
  CohortConnection *self = COHORT_CONNECTION (object);

  g_clear_object (&self->ws);

  G_OBJECT_CLASS (cohort_connection_parent_class)->finalize (object);
}

static void
cohort_connection_class_init (CohortConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_connection_finalize;
}

static void
cohort_connection_init (CohortConnection *self)
{
  self->tokens = COHORT_RATE_BURST;
  self->refilled_at = g_get_monotonic_time ();
  self->last_activity = self->refilled_at;
}

CohortConnection *
cohort_connection_new (SoupWebsocketConnection *ws)
{
  CohortConnection *self = g_object_new (COHORT_TYPE_CONNECTION, NULL);

  self->ws = g_object_ref (ws);
  return self;
}

SoupWebsocketConnection *
cohort_connection_get_websocket (CohortConnection *self)
{
  return self->ws;
}

gboolean
cohort_connection_is_open (CohortConnection *self)
{
  return soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

void
cohort_connection_send (CohortConnection *self,
                        const char       *json)
{
  if (cohort_connection_is_open (self))
    soup_websocket_connection_send_text (self->ws, json);
}

void
cohort_connection_close (CohortConnection *self,
                         gushort           code,
                         const char       *reason)
{
  if (cohort_connection_is_open (self))
    soup_websocket_connection_close (self->ws, code, reason);
}

CohortRateResult
cohort_connection_take_frame (CohortConnection *self,
                              gint64            now_us)
{
  double elapsed = (double) (now_us - self->refilled_at) / G_USEC_PER_SEC;

  self->tokens = MIN (COHORT_RATE_BURST, self->tokens + elapsed * COHORT_RATE_PER_SECOND);
  self->refilled_at = now_us;

  if (self->tokens >= 1.0)
    {
      self->tokens -= 1.0;
      return COHORT_RATE_OK;
    }

  if (self->over_limit == 0 || now_us - self->over_limit_since > REFILL_WINDOW_US)
    {
      self->over_limit = 0;
      self->over_limit_since = now_us;
    }

  if (++self->over_limit >= COHORT_FLOOD_LIMIT)
    return COHORT_RATE_FLOOD;

  return COHORT_RATE_LIMITED;
}

void
cohort_connection_touch (CohortConnection *self,
                         gint64            now_us)
{
  self->last_activity = now_us;
}

gint64
cohort_connection_get_last_activity (CohortConnection *self)
{
  return self->last_activity;
}

gboolean
cohort_connection_is_joined (CohortConnection *self)
{
  return self->joined;
}

void
cohort_connection_set_joined (CohortConnection *self,
                              gint64            class_id,
                              gint64            participant_id,
                              gboolean          is_teacher)
{
  self->joined = TRUE;
  self->class_id = class_id;
  self->participant_id = participant_id;
  self->is_teacher = is_teacher;
}

void
cohort_connection_clear_joined (CohortConnection *self)
{
  self->joined = FALSE;
}

gint64
cohort_connection_get_class_id (CohortConnection *self)
{
  return self->class_id;
}

gint64
cohort_connection_get_participant_id (CohortConnection *self)
{
  return self->participant_id;
}

gboolean
cohort_connection_is_teacher (CohortConnection *self)
{
  return self->is_teacher;
}

gint64
cohort_connection_get_last_sent_seq (CohortConnection *self)
{
  return self->last_sent_seq;
}

void
cohort_connection_set_last_sent_seq (CohortConnection *self,
                                     gint64            seq)
{
  self->last_sent_seq = seq;
}

gboolean
cohort_connection_get_batch (CohortConnection *self)
{
  return self->batch;
}

void
cohort_connection_set_batch (CohortConnection *self,
                             gboolean          batch)
{
  self->batch = batch;
}
