/* cohort-jitter-room.h: how long a subscription's jitter buffers wait for
 * retransmissions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The video jitter buffers' own counts in a subscriber's webrtcbin
 * (rtpjitterbuffer "stats", summed; rtx_rtt_ns the largest). */
typedef struct
{
  gboolean found;        /* a video jitter buffer was there */
  guint64  lost;         /* packets given up on */
  guint64  pushed;
  guint64  late;         /* packets that came after that */
  guint64  rtx_count;    /* retransmissions asked for, repeats included */
  guint64  rtx_success;  /* retransmissions that came in time */
  guint64  rtx_rtt_ns;
} CohortJitterStats;

/* The jitter buffers' latency, decided every half second from those
 * counts (docs/architecture-media.md, "Room for retransmissions"). A
 * value: the subscriber keeps one. */
typedef struct
{
  guint   base_ms;
  guint   latency_ms;
  guint64 last_pushed;
  guint64 last_rtx_count;
  guint64 last_lost;
  guint   clean_ticks;
  guint   rtx_ticks;     /* bit i: retransmissions were asked for i ticks ago */
} CohortJitterRoom;

#define COHORT_JITTER_ROOM_TICK_MS 500

void  cohort_jitter_room_init  (CohortJitterRoom        *room,
                                guint                    base_ms);
/* Back to the base latency at once, the counts taken as they are (the
 * repair of an old layer is given up). */
void  cohort_jitter_room_reset (CohortJitterRoom        *room,
                                const CohortJitterStats *view);
/* The counts move on without a decision (while repair is held). */
void  cohort_jitter_room_skip  (CohortJitterRoom        *room,
                                const CohortJitterStats *view);
/* One tick: returns the latency the buffers should have now. */
guint cohort_jitter_room_tick  (CohortJitterRoom        *room,
                                const CohortJitterStats *view);

G_END_DECLS
