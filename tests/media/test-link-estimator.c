/* test-link-estimator.c: the student's link estimator against hand-computed cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-jitter-room.h"
#include "cohort-link-estimator.h"

/* One second of a subscription's video, by letter:
 *   c  clean: 100 packets, no loss, 30 fps, 1,800 kbit/s, jitter 5 ms
 *   b  bad: 10 % loss (90 received, 10 lost), 30 fps
 *   B  bad and capped: 40 % loss (60 received, 40 lost), 30 fps
 *   j  no loss but 120 ms jitter (the sender's encoder, a busy machine)
 *   k  bad: 120 ms jitter and 2 % loss (a queue that drops)
 *   S  a stalled machine: 30 % given up on in a burst, 500 ms jitter,
 *      no frames (bad, but not a capped link)
 *   J  clean, but a bogus jitter of 26 minutes (right after a switch)
 *   p  two PLIs in the second, nothing else wrong
 *   f  stalled: 40 packets, no loss, 2 frames (a keyframe wait, or a
 *      sender's capped uplink)
 *   m  middling: 2 % loss, neither bad nor clean
 *   q  quiet: nothing arrives (the teacher's camera is off)
 *   g  given up: no loss in webrtcbin's count (late retransmissions
 *      count as received), but the jitter buffer gave up on 30 packets
 */
static void
advance (CohortLinkSample *s,
         char              what)
{
  guint received = 100, lost = 0, frames = 30, plis = 0, given_up = 0;
  double jitter = 0.005;

  switch (what)
    {
    case 'c': break;
    case 'b': received = 90; lost = 10; break;
    case 'B': received = 60; lost = 40; break;
    case 'j': jitter = 0.120; break;
    case 'k': jitter = 0.120; received = 98; lost = 2; break;
    case 'S': jitter = 0.500; received = 70; given_up = 30; frames = 0; break;
    case 'J': jitter = 1564.264; break;
    case 'p': plis = 2; break;
    case 'f': received = 40; frames = 2; break;
    case 'm': received = 98; lost = 2; break;
    case 'q': received = 0; frames = 0; break;
    case 'g': given_up = 30; frames = 5; break;
    default: g_assert_not_reached ();
    }

  s->time_ms += 1000;
  s->packets_received += received;
  s->packets_lost += lost;
  s->bytes_received += received * 1200;
  s->frames_decoded += frames;
  s->pli_count += plis;
  s->nack_count += lost;
  s->jitter_s = jitter;
  s->packets_given_up += given_up;
}

typedef struct
{
  const char *name;
  const char *seconds;
  /* The layer after each second ('3' = video paused). */
  const char *layers;
} Case;

static const Case cases[] = {
  { "clean stays full", "cccccccccc", "0000000000" },
  { "one bad second is not enough", "bcbcbcjcjc", "0000000000" },
  /* Two bad seconds a step; the second after a switch mixes layers and
   * is not judged. Random loss stops at the lowest layer: the video stays. */
  { "loss steps down to the lowest layer", "bbbbbbbbbbbbb", "0111222222222" },
  /* A capped link's loss steps down between video layers at once (the
   * second after a switch is still not judged); pausing the video takes
   * two seconds of loss no retransmission repairs, and it stays paused. */
  { "heavy loss steps down at once, pauses in two", "BBBBBBBBBBB", "11222333333" },
  /* Jitter alone is the sender's or the machine's, not the link's. */
  { "jitter alone does not step down", "jjjjj", "00000" },
  { "jitter with loss steps down", "kk", "01" },
  /* A capped link: Janus answers every NACK, late; the jitter buffer
   * gives up on what comes too late (23 % of what came: bad, not yet
   * capped). */
  { "packets given up on step down", "ggggg", "01112" },
  /* A stall is bad, but not a cap: two seconds, as for random loss. */
  { "a stall steps down in two seconds", "SSS", "011" },
  /* A probe up into a link that cannot carry it is undone on its first
   * second, not after the settling one. */
  { "capped probe undone at once", "Bccccccccc" "B" "cc", "1111111110" "1" "11" },
  { "bogus jitter is ignored", "JJJJ", "0000" },
  /* A stall is a keyframe wait (any link) or the sender's weak uplink:
   * switching would not help. */
  { "PLIs alone do not step down", "ppp", "000" },
  { "stalled frames alone do not step down", "fff", "000" },
  { "middling neither steps down nor up", "bbmmmmmmmmmmmmmmmmmm", "01111111111111111111" },
  { "a quiet feed is not a bad link", "qqqqqq", "000000" },
  /* After a silence (a cut) the stream restarts from a keyframe: three
   * seconds are not judged, unless one is clean. */
  { "a restart is not a weak link", "qbbcbcb", "0000000" },
  { "a weak link after the warm-up steps down", "qbbbbb", "000001" },
  /* Silence is never clean: no probe up during a cut. */
  { "no probe up on silence", "bb" "qqqqqqqqqqqq", "01" "111111111111" },
  /* Settle, then eight clean seconds: a probe up. */
  { "probe up after eight clean seconds", "bbccccccccc", "01111111110" },
  /* The probe hurts within its window: undone, and the next probe waits
   * sixteen clean seconds. */
  { "failed probe doubles the wait",
    "bbccccccccc" "cbb" "ccccccccccccccccc",
    "01111111110" "001" "11111111111111110" },
  /* A probe that lasts its window resets the wait to eight. */
  { "held probe resets the wait",
    "bbccccccccc" "cbb" "ccccccccccccccccc" "ccccc" "bb" "ccccccccc",
    "01111111110" "001" "11111111111111110" "00000" "01" "111111110" },
  /* From paused, clean seconds bring the lowest layer back. */
  { "paused comes back to the lowest layer",
    "BBBBBBBBBB" "ccccccccc",
    "1122233333" "333333322" },
};

/* Retransmission requests stop for the second after a capped link's step
 * down (the old layer's holes are worth nothing, and asking for them fills
 * the link), and only then: a random loss that never steps further down
 * keeps them, as does a random-loss step. */
static void
test_retransmit (void)
{
  static const struct { const char *seconds; const char *retransmit; } retransmit_cases[] = {
    { "cccc", "1111" },
    { "Bccc", "0111" },
    { "BcBcB", "01011" },
    { "bbbb", "1111" },
    { "SSSS", "1111" },
    { "Bccccccccc" "B" "c", "0111111111" "0" "1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (retransmit_cases); i++)
    {
      g_autoptr(CohortLinkEstimator) estimator = cohort_link_estimator_new ();
      CohortLinkSample sample = { 0 };
      g_autoptr(GString) got = g_string_new (NULL);

      cohort_link_estimator_add_sample (estimator, &sample);
      for (const char *p = retransmit_cases[i].seconds; *p != '\0'; p++)
        {
          advance (&sample, *p);
          cohort_link_estimator_add_sample (estimator, &sample);
          g_string_append_c (got, cohort_link_estimator_get_retransmit (estimator) ? '1' : '0');
        }
      g_assert_cmpstr (got->str, ==, retransmit_cases[i].retransmit);
    }
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(CohortLinkEstimator) estimator = cohort_link_estimator_new ();
  CohortLinkSample sample = { 0 };
  g_autoptr(GString) got = g_string_new (NULL);

  g_assert_cmpuint (strlen (c->seconds), ==, strlen (c->layers));

  g_assert_false (cohort_link_estimator_add_sample (estimator, &sample));
  for (const char *p = c->seconds; *p != '\0'; p++)
    {
      guint before = cohort_link_estimator_get_layer (estimator);
      gboolean changed;

      advance (&sample, *p);
      changed = cohort_link_estimator_add_sample (estimator, &sample);
      g_string_append_printf (got, "%u", cohort_link_estimator_get_layer (estimator));
      g_assert_cmpint (changed, ==, cohort_link_estimator_get_layer (estimator) != before);
    }

  g_assert_cmpstr (got->str, ==, c->layers);
}

static void
test_interval (void)
{
  g_autoptr(CohortLinkEstimator) estimator = cohort_link_estimator_new ();
  CohortLinkSample sample = { 0 };
  const CohortLinkInterval *i;

  cohort_link_estimator_add_sample (estimator, &sample);
  advance (&sample, 'b');
  cohort_link_estimator_add_sample (estimator, &sample);
  i = cohort_link_estimator_get_last (estimator);

  /* 10 lost of 100 sent; 90 × 1200 bytes × 8 = 864 kbit in one second. */
  g_assert_cmpfloat_with_epsilon (i->loss, 0.10, 1e-9);
  g_assert_cmpfloat_with_epsilon (i->kbps, 864.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (i->fps, 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (i->jitter_ms, 5.0, 1e-9);
  g_assert_cmpuint (i->nacks, ==, 10);
  g_assert_true (i->bad);
  g_assert_false (i->clean);
}

static void
test_quality (void)
{
  g_autoptr(CohortLinkEstimator) estimator = cohort_link_estimator_new ();
  CohortLinkSample sample = { 0 };

  cohort_link_estimator_add_sample (estimator, &sample);
  g_assert_cmpint (cohort_link_estimator_get_quality (estimator), ==, COHORT_LINK_QUALITY_GOOD);
  g_assert_null (cohort_link_estimator_get_reason (estimator));

  advance (&sample, 'b');
  cohort_link_estimator_add_sample (estimator, &sample);
  /* One bad second: not yet a step, but no longer good. */
  g_assert_cmpint (cohort_link_estimator_get_quality (estimator), ==, COHORT_LINK_QUALITY_FAIR);
  advance (&sample, 'b');
  cohort_link_estimator_add_sample (estimator, &sample);
  g_assert_cmpuint (cohort_link_estimator_get_layer (estimator), ==, 1);
  g_assert_cmpint (cohort_link_estimator_get_quality (estimator), ==, COHORT_LINK_QUALITY_FAIR);
  /* Why, for the debug overlay. */
  g_assert_cmpstr (cohort_link_estimator_get_reason (estimator), ==, "step down");

  for (guint n = 0; n < 3; n++)
    {
      advance (&sample, 'b');
      cohort_link_estimator_add_sample (estimator, &sample);
    }
  g_assert_cmpuint (cohort_link_estimator_get_layer (estimator), ==, 2);
  g_assert_cmpint (cohort_link_estimator_get_quality (estimator), ==, COHORT_LINK_QUALITY_POOR);
  g_assert_cmpstr (cohort_link_quality_to_string (COHORT_LINK_QUALITY_POOR), ==, "poor");
}

static void
test_audio_only (void)
{
  g_autoptr(CohortLinkEstimator) estimator = cohort_link_estimator_new ();
  CohortLinkSample sample = { 0 };

  cohort_link_estimator_add_sample (estimator, &sample);
  cohort_link_estimator_set_audio_only (estimator, TRUE);
  g_assert_cmpuint (cohort_link_estimator_get_layer (estimator), ==, COHORT_LINK_LAYER_PAUSED);
  g_assert_cmpstr (cohort_link_estimator_get_reason (estimator), ==, "audio only");

  /* Pinned: twenty clean seconds do not bring the video back. */
  for (guint n = 0; n < 20; n++)
    {
      advance (&sample, 'c');
      g_assert_false (cohort_link_estimator_add_sample (estimator, &sample));
    }
  g_assert_cmpuint (cohort_link_estimator_get_layer (estimator), ==, COHORT_LINK_LAYER_PAUSED);

  /* Released: the full picture again, as good until shown otherwise. */
  cohort_link_estimator_set_audio_only (estimator, FALSE);
  g_assert_cmpuint (cohort_link_estimator_get_layer (estimator), ==, 0);
  g_assert_cmpint (cohort_link_estimator_get_quality (estimator), ==, COHORT_LINK_QUALITY_GOOD);
  g_assert_cmpstr (cohort_link_estimator_get_reason (estimator), ==, "video again");

  /* A new subscription starts its counters at 0 again: no verdict. */
  cohort_link_estimator_restart (estimator);
  sample = (CohortLinkSample) { .time_ms = 50000 };
  g_assert_false (cohort_link_estimator_add_sample (estimator, &sample));
}

/* The jitter buffers' room for retransmissions (CohortJitterRoom), base
 * 50 ms. Each tick is half a second's change in the video jitter
 * buffers' counts, and the latency the room asks for after it. */
typedef struct
{
  guint pushed;     /* packets out of the buffer this tick */
  guint asked;      /* retransmissions asked for */
  guint given_up;   /* packets given up on */
  guint rtt_ms;     /* the buffers' retransmission round trip, 0 unknown */
  guint latency_ms; /* expected after the tick */
} JitterTick;

static void
run_jitter_ticks (const JitterTick *ticks,
                  guint             n_ticks)
{
  CohortJitterRoom room;
  CohortJitterStats view = { .found = TRUE };

  cohort_jitter_room_init (&room, 50);
  for (guint i = 0; i < n_ticks; i++)
    {
      view.pushed += ticks[i].pushed;
      view.rtx_count += ticks[i].asked;
      view.lost += ticks[i].given_up;
      view.rtx_rtt_ns = (guint64) ticks[i].rtt_ms * 1000000;
      g_test_message ("tick %u", i);
      g_assert_cmpuint (cohort_jitter_room_tick (&room, &view), ==, ticks[i].latency_ms);
    }
}

#define CLEAN(ms) { 80, 0, 0, 10, ms }

static void
test_jitter_room (void)
{
  /* One stray request on a clean link, repaired in time: the picture is
   * not delayed for it (it was: +230 ms for 15 s). */
  const JitterTick stray[] = { CLEAN (50), { 80, 1, 0, 1, 50 }, CLEAN (50), CLEAN (50) };
  /* A link that keeps losing: two ticks with requests within three
   * seconds grow the buffers to a round trip, Janus's 200 ms repeat gap,
   * another round trip and a 60 ms margin. */
  const JitterTick lossy[] = { { 80, 3, 0, 10, 50 }, CLEAN (50), { 80, 2, 0, 10, 280 }, CLEAN (280) };
  /* A loss the buffers gave up on grows them at once, and again by one
   * more answer (200 ms and a round trip) while losses still get
   * through; an unknown round trip counts as 50 ms. */
  const JitterTick given_up[] = { { 80, 1, 1, 10, 280 }, { 80, 1, 1, 10, 490 }, { 80, 1, 1, 10, 700 },
                                  { 80, 1, 1, 10, 700 } };
  const JitterTick unknown_rtt[] = { { 80, 1, 1, 0, 360 } };
  /* Requests further apart than the window (six ticks) stay strays. */
  const JitterTick apart[] = { { 80, 1, 0, 10, 50 }, CLEAN (50), CLEAN (50), CLEAN (50), CLEAN (50),
                               CLEAN (50), { 80, 1, 0, 10, 50 } };
  /* A cut link asks for everything while nothing flows: no growth. */
  const JitterTick cut[] = { { 3, 40, 0, 10, 50 }, { 2, 40, 5, 10, 50 }, { 0, 40, 5, 10, 50 } };
  JitterTick back[2 + 10];

  run_jitter_ticks (stray, G_N_ELEMENTS (stray));
  run_jitter_ticks (lossy, G_N_ELEMENTS (lossy));
  run_jitter_ticks (given_up, G_N_ELEMENTS (given_up));
  run_jitter_ticks (unknown_rtt, G_N_ELEMENTS (unknown_rtt));
  run_jitter_ticks (apart, G_N_ELEMENTS (apart));
  run_jitter_ticks (cut, G_N_ELEMENTS (cut));

  /* Back to the base after five seconds without a request, not
   * before. */
  back[0] = (JitterTick) { 80, 1, 0, 10, 50 };
  back[1] = (JitterTick) { 80, 1, 0, 10, 280 };
  for (guint i = 0; i < 10; i++)
    back[2 + i] = (JitterTick) CLEAN (i < 9 ? 280 : 50);
  run_jitter_ticks (back, G_N_ELEMENTS (back));
}

static void
test_jitter_room_reset (void)
{
  CohortJitterRoom room;
  CohortJitterStats view = { .found = TRUE, .pushed = 80, .rtx_count = 1, .lost = 1, .rtx_rtt_ns = 10000000 };

  cohort_jitter_room_init (&room, 50);
  g_assert_cmpuint (cohort_jitter_room_tick (&room, &view), ==, 280);
  /* The counts of a hold move on without a decision... */
  view.pushed += 80;
  view.rtx_count += 5;
  view.lost += 5;
  cohort_jitter_room_skip (&room, &view);
  view.pushed += 80;
  g_assert_cmpuint (cohort_jitter_room_tick (&room, &view), ==, 280);
  /* ...and a reset goes back to the base and forgets the requests. */
  cohort_jitter_room_reset (&room, &view);
  g_assert_cmpuint (room.latency_ms, ==, 50);
  view.pushed += 80;
  view.rtx_count += 1;
  g_assert_cmpuint (cohort_jitter_room_tick (&room, &view), ==, 50);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cohort/media/link-estimator/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], run_case);
    }
  g_test_add_func ("/cohort/media/link-estimator/retransmit", test_retransmit);
  g_test_add_func ("/cohort/media/link-estimator/interval", test_interval);
  g_test_add_func ("/cohort/media/link-estimator/quality", test_quality);
  g_test_add_func ("/cohort/media/link-estimator/audio-only", test_audio_only);
  g_test_add_func ("/cohort/media/jitter-room/ticks", test_jitter_room);
  g_test_add_func ("/cohort/media/jitter-room/reset", test_jitter_room_reset);

  return g_test_run ();
}
