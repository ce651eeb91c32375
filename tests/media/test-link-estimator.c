/* test-link-estimator.c: the student's link estimator against hand-computed cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

  return g_test_run ();
}
