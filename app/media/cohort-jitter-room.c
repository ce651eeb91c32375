/* cohort-jitter-room.c: how long a subscription's jitter buffers wait for
 * retransmissions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure arithmetic on the jitter buffers' counts, so that its rules can be
 * tested against hand-written cases (tests/media/test-link-estimator.c).
 * The buffers start at the base latency (50 ms: a LAN's first frame, and
 * room for one retransmission over a short round trip). They grow to
 * room for Janus's repeat when the link keeps losing, and every added
 * millisecond is added to what the student sees late (pace_video in
 * cohort-media-subscriber.c), so they do not grow for one stray loss
 * that the base latency repaired.
 */

#include "config.h"

#include "cohort-jitter-room.h"

#define MAX_MS         700
#define RTT_UNKNOWN_MS 50
#define MARGIN_MS      60
/* Five seconds without a retransmission: the loss has gone (a join's
 * first seconds, a burst). Every grown millisecond is a millisecond of
 * delay in the picture and the sound, so the room does not outstay the
 * loss; a loss that comes back grows it again at its first packet given
 * up, or its second half-second of requests. */
#define CLEAN_TICKS    10
/* Janus answers a NACK for the same packet again only after this. */
#define JANUS_NACK_IGNORE_MS 200
/* Retransmissions asked for in this many of the last WINDOW ticks make a
 * lossy link; one tick alone is a stray loss (a reordered packet, the
 * first packets of a stream), repaired within the base latency. */
#define LOSSY_TICKS    2
#define WINDOW         6
/* A cut link asks for everything again and again: only losses among
 * packets that arrive count (half a second at 30 fps brings well over
 * 15). */
#define FLOWING_PACKETS 15

static guint
count_bits (guint bits)
{
  guint n = 0;

  for (; bits != 0; bits &= bits - 1)
    n++;
  return n;
}

void
cohort_jitter_room_init (CohortJitterRoom *room,
                         guint             base_ms)
{
  *room = (CohortJitterRoom) { .base_ms = base_ms, .latency_ms = base_ms };
}

void
cohort_jitter_room_skip (CohortJitterRoom        *room,
                         const CohortJitterStats *view)
{
  room->last_pushed = view->pushed;
  room->last_rtx_count = view->rtx_count;
  room->last_lost = view->lost;
}

void
cohort_jitter_room_reset (CohortJitterRoom        *room,
                          const CohortJitterStats *view)
{
  cohort_jitter_room_skip (room, view);
  room->latency_ms = room->base_ms;
  room->clean_ticks = 0;
  room->rtx_ticks = 0;
}

guint
cohort_jitter_room_tick (CohortJitterRoom        *room,
                         const CohortJitterStats *view)
{
  gboolean flowing = view->pushed > room->last_pushed + FLOWING_PACKETS;
  gboolean asked = flowing && view->rtx_count > room->last_rtx_count;
  gboolean given_up = flowing && view->lost > room->last_lost;

  room->rtx_ticks = ((room->rtx_ticks << 1) | (asked ? 1 : 0)) & ((1u << WINDOW) - 1);

  if (asked)
    {
      room->clean_ticks = 0;
      /* Grown only for a link that keeps losing, or a loss the current
       * latency could not repair. */
      if (given_up || count_bits (room->rtx_ticks) >= LOSSY_TICKS)
        {
          guint rtt_ms = view->rtx_rtt_ns > 0 ? (guint) (view->rtx_rtt_ns / 1000000) : RTT_UNKNOWN_MS;
          guint room_ms = rtt_ms + JANUS_NACK_IGNORE_MS + rtt_ms + MARGIN_MS;

          /* Unrepaired losses at this size: room for one more answer. */
          if (given_up)
            while (room_ms <= room->latency_ms && room_ms < MAX_MS)
              room_ms += JANUS_NACK_IGNORE_MS + rtt_ms;
          room->latency_ms = MAX (room->latency_ms, CLAMP (room_ms, room->base_ms, MAX_MS));
        }
    }
  else if (++room->clean_ticks >= CLEAN_TICKS)
    room->latency_ms = room->base_ms;

  room->last_pushed = view->pushed;
  room->last_rtx_count = view->rtx_count;
  room->last_lost = view->lost;
  return room->latency_ms;
}
