/* cohort-link-estimator.c: how much video a student's own link carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure arithmetic on webrtcbin's inbound counters, so that its rules can be
 * tested against hand-computed cases (tests/core/test-link-estimator.c).
 * Steps down fast (two bad seconds: a stalled picture loses students) and
 * up carefully (a probe after a clean spell, undone and the spell doubled
 * when the probe hurts), because every upward mistake costs a freeze.
 */

#define G_LOG_DOMAIN "cohort-link"

#include "config.h"

#include "cohort-link-estimator.h"

/* One second counts as bad above 5 % loss (the measurements: from
 * 5 % on, corruption and freezes dominate) or 80 ms jitter with some loss
 * (a queue on a capped link, which drops once full). Not on jitter alone:
 * the sender's encoder and a busy machine delay frames unevenly for every
 * student alike (bench `clean` at load 22: 127 ms jitter, no loss, 30 fps,
 * and two needless steps down, each a keyframe wait). Not on stalled
 * frames or keyframe requests alone: one lost packet stalls the picture
 * until the next keyframe on any link, a switch would only add another
 * keyframe wait, and a teacher's weak uplink stalls every student alike. */
#define BAD_LOSS          0.05
/* Loss this heavy is a link that cannot carry the layer (a capped link
 * drops what its queue cannot hold: 41–85 % of the full layer under a
 * 1 Mbit/s cap), not bad luck: one such second steps down at once, so the
 * picture is back within three seconds of the cap. Not lower: the second
 * after the settling one still drains the old layer's queue (15.7 % on
 * 640×360 under that cap, which then carried it). */
#define CAPPED_LOSS       0.25
/* Random loss (Wi-Fi, a busy router) is repaired by retransmission and
 * keyframes, and a smaller layer suffers less of it; it pauses the video
 * only beyond this, where even the lowest layer cannot be repaired.
 * Stalled frames and jitter never pause it: a teacher's weak uplink
 * shows the same to every student, and a paused picture is worse than
 * a slow one. */
#define HEAVY_LOSS        0.30
#define BAD_JITTER_MS     80.0
#define BOGUS_JITTER_MS   10000.0
/* Clean: what a probe up may start from. */
#define CLEAN_LOSS        0.01
#define CLEAN_JITTER_MS   30.0

#define BAD_TO_STEP_DOWN  2
#define CLEAN_TO_PROBE    8
#define CLEAN_TO_PROBE_MAX 64
/* Seconds after a probe up in which two bad ones undo it. */
#define PROBE_WINDOW      4
/* After a silence (a cut, a new subscription) the stream restarts from a
 * keyframe, and its first seconds look bad on any link: up to this many
 * are not judged, unless one is clean. */
#define WARMUP            3


struct _CohortLinkEstimator
{
  gboolean           have_prev;
  CohortLinkSample   prev;
  CohortLinkInterval last;

  guint              layer;
  gboolean           audio_only;
  guint              bad_run;
  guint              clean_run;
  guint              clean_needed;
  /* Seconds since the last probe up; > PROBE_WINDOW when none runs. */
  guint              since_probe;
  /* The interval after a switch mixes both layers: not judged. */
  gboolean           settling;
  guint              warmup;
  /* FALSE for the second after a capped link's step down. */
  gboolean           no_retransmit;
  /* Why the layer last changed, for the debug overlay. */
  const char        *reason;
};

CohortLinkEstimator *
cohort_link_estimator_new (void)
{
  CohortLinkEstimator *self = g_new0 (CohortLinkEstimator, 1);

  self->clean_needed = CLEAN_TO_PROBE;
  self->since_probe = PROBE_WINDOW + 1;
  return self;
}

void
cohort_link_estimator_free (CohortLinkEstimator *self)
{
  g_free (self);
}

void
cohort_link_estimator_restart (CohortLinkEstimator *self)
{
  self->have_prev = FALSE;
  self->no_retransmit = FALSE;
  self->bad_run = 0;
  self->clean_run = 0;
  self->warmup = WARMUP;
}

static void
judge (CohortLinkEstimator      *self,
       const CohortLinkSample   *s,
       CohortLinkInterval       *out)
{
  const CohortLinkSample *p = &self->prev;
  double dt = (s->time_ms - p->time_ms) / 1000.0;
  gint64 received = (gint64) (s->packets_received - p->packets_received);
  /* webrtcbin counts a retransmission that came too late as received:
   * on a capped link, where Janus answers every NACK into the same full
   * queue, its loss stayed near 0 while the jitter buffer gave up on
   * 3,526 packets in 30 s and the picture froze on the full layer. What
   * the jitter buffer gave up on is lost to the viewer. */
  gint64 lost = MAX (MAX (0, s->packets_lost - p->packets_lost),
                     (gint64) (s->packets_given_up - MIN (s->packets_given_up, p->packets_given_up)));

  *out = (CohortLinkInterval) { 0 };
  if (dt <= 0)
    return;

  out->loss = received + lost > 0 ? (double) lost / (double) (received + lost) : 0.0;
  out->kbps = (double) (s->bytes_received - p->bytes_received) * 8.0 / 1000.0 / dt;
  out->fps = (double) (s->frames_decoded - p->frames_decoded) / dt;
  out->jitter_ms = s->jitter_s * 1000.0;
  /* After a layer switch webrtcbin's jitter estimate sees the new layer's
   * timestamps as one huge delay and reports minutes for a while: a
   * figure no real link produces is no evidence. */
  if (out->jitter_ms > BOGUS_JITTER_MS)
    out->jitter_ms = 0;
  out->nacks = (guint) (s->nack_count - p->nack_count);
  out->plis = (guint) (s->pli_count - p->pli_count);

  out->bad = out->loss > BAD_LOSS || (out->jitter_ms > BAD_JITTER_MS && out->loss >= CLEAN_LOSS);
  /* A full tbf queue drops steadily with little jitter (7–72 ms in the
   * capped seconds measured); a stalled machine (the receiving process,
   * or the teacher starting a 1080p screen share on a loaded 2-core
   * box) gives up on packets in a burst, with 435–1,294 ms of jitter.
   * Such a second is bad, but takes the two-second rule. */
  out->capped = out->loss > CAPPED_LOSS && out->jitter_ms <= BAD_JITTER_MS;
  out->unrepairable = out->loss > HEAVY_LOSS;
  out->clean = !out->bad && out->loss < CLEAN_LOSS && out->jitter_ms < CLEAN_JITTER_MS &&
               out->plis == 0;
  /* Nothing at all (a camera turned off, or a cut): no verdict, and no
   * clean second to probe up on either. */
  out->quiet = received == 0 && lost == 0;
  if (out->quiet)
    out->bad = out->capped = out->unrepairable = out->clean = FALSE;
}

static void
set_layer (CohortLinkEstimator *self,
           guint                layer,
           const char          *why)
{
  const CohortLinkInterval *i = &self->last;

  g_message ("layer %u → %u (%s; loss %.1f %%, %.0f kbit/s, %.1f fps, jitter %.0f ms, "
             "%u NACK, %u PLI)",
             self->layer, layer, why, i->loss * 100, i->kbps, i->fps, i->jitter_ms,
             i->nacks, i->plis);
  self->layer = layer;
  self->reason = why;
  self->bad_run = 0;
  self->clean_run = 0;
  self->settling = TRUE;
}

gboolean
cohort_link_estimator_add_sample (CohortLinkEstimator    *self,
                                  const CohortLinkSample *sample)
{
  guint before = self->layer;

  g_return_val_if_fail (self != NULL && sample != NULL, FALSE);

  if (!self->have_prev || sample->time_ms <= self->prev.time_ms ||
      sample->packets_received < self->prev.packets_received)
    {
      /* First sample, or counters that went back (a new subscription). */
      self->prev = *sample;
      self->have_prev = TRUE;
      return FALSE;
    }

  judge (self, sample, &self->last);
  self->prev = *sample;
  self->no_retransmit = FALSE;

  if (self->since_probe <= PROBE_WINDOW)
    self->since_probe++;

  if (self->settling)
    {
      self->settling = FALSE;
      /* The second after a step down still carries the old layer's loss;
       * after a probe up, loss that heavy can only be the new layer's:
       * undo it now, every second on a layer that does not fit is a
       * frozen picture. */
      if (!(self->since_probe == 1 && self->last.capped && !self->last.quiet))
        return FALSE;
    }

  g_debug ("loss %.1f %%, %.0f kbit/s, %.1f fps, jitter %.0f ms: %s",
           self->last.loss * 100, self->last.kbps, self->last.fps, self->last.jitter_ms,
           self->last.quiet ? "quiet" : self->last.bad ? "bad" : self->last.clean ? "clean" : "fair");

  if (self->last.quiet)
    {
      self->warmup = WARMUP;
      self->bad_run = 0;
      self->clean_run = 0;
      return FALSE;
    }
  if (self->warmup > 0)
    {
      if (!self->last.clean)
        {
          self->warmup--;
          return FALSE;
        }
      self->warmup = 0;
    }

  if (self->audio_only)
    return FALSE;

  if (self->last.bad)
    {
      self->clean_run = 0;
      /* A capped link steps down between video layers at once; pausing
       * the video still takes two seconds. */
      if (++self->bad_run < BAD_TO_STEP_DOWN &&
          !(self->last.capped && self->layer < COHORT_LINK_LAYER_PAUSED - 1))
        return FALSE;

      /* A probe that hurts is undone, and the next waits twice as long. */
      if (self->since_probe <= PROBE_WINDOW)
        {
          self->clean_needed = MIN (self->clean_needed * 2, CLEAN_TO_PROBE_MAX);
          self->since_probe = PROBE_WINDOW + 1;
          set_layer (self, MIN (self->layer + 1, COHORT_LINK_LAYER_PAUSED), "probe failed");
        }
      else if (self->layer < COHORT_LINK_LAYER_PAUSED - 1 ||
               (self->layer == COHORT_LINK_LAYER_PAUSED - 1 && self->last.unrepairable))
        set_layer (self, self->layer + 1, "step down");
      else
        self->bad_run = 0;

      /* What the old layer still misses is worth nothing once the picture
       * restarts from the new layer's keyframe, and asking for it fills the
       * capped link with the old layer's retransmissions (bench cap_1mbit:
       * Janus got 1,916 NACKs in 30 s and the first 640×360 frame came
       * 5 s after the step). The subscriber holds them until the new
       * layer's first packet. Only across a step: on the lowest layer a
       * random loss that retransmission keeps under 25 % would otherwise
       * rise over it once asking stopped, and never let it start again. */
      if (self->layer != before && self->last.capped)
        self->no_retransmit = TRUE;
    }
  else
    {
      self->bad_run = 0;
      if (!self->last.clean)
        {
          self->clean_run = 0;
          return FALSE;
        }

      /* A probe that lasted its window without harm: the link carries it. */
      if (self->since_probe == PROBE_WINDOW)
        self->clean_needed = CLEAN_TO_PROBE;

      if (self->layer > 0 && ++self->clean_run >= self->clean_needed)
        {
          set_layer (self, self->layer - 1, "probe up");
          self->since_probe = 0;
        }
    }

  return self->layer != before;
}

void
cohort_link_estimator_set_audio_only (CohortLinkEstimator *self,
                                      gboolean             audio_only)
{
  if (self->audio_only == !!audio_only)
    return;

  self->audio_only = !!audio_only;
  if (audio_only)
    {
      g_message ("audio only, asked for");
      self->layer = COHORT_LINK_LAYER_PAUSED;
      self->reason = "audio only";
    }
  else
    {
      /* Back from the user's audio only: the full picture, like a new
       * subscription. A weak link shows within two seconds and steps down;
       * starting low would call a good link poor for half a minute. */
      g_message ("video again, asked for");
      self->layer = 0;
      self->reason = "video again";
      self->since_probe = PROBE_WINDOW + 1;
      self->warmup = WARMUP;
    }
  self->bad_run = 0;
  self->clean_run = 0;
  self->settling = TRUE;
}

gboolean
cohort_link_estimator_get_audio_only (CohortLinkEstimator *self)
{
  return self->audio_only;
}

gboolean
cohort_link_estimator_get_retransmit (CohortLinkEstimator *self)
{
  return !self->no_retransmit;
}

guint
cohort_link_estimator_get_layer (CohortLinkEstimator *self)
{
  return self->layer;
}

CohortLinkQuality
cohort_link_estimator_get_quality (CohortLinkEstimator *self)
{
  if (self->layer >= COHORT_LINK_N_LAYERS - 1)
    return COHORT_LINK_QUALITY_POOR;
  if (self->layer > 0 || self->bad_run > 0)
    return COHORT_LINK_QUALITY_FAIR;
  return COHORT_LINK_QUALITY_GOOD;
}

const char *
cohort_link_estimator_get_reason (CohortLinkEstimator *self)
{
  return self->reason;
}

const CohortLinkInterval *
cohort_link_estimator_get_last (CohortLinkEstimator *self)
{
  return &self->last;
}

const char *
cohort_link_quality_to_string (CohortLinkQuality quality)
{
  switch (quality)
    {
    case COHORT_LINK_QUALITY_GOOD:
      return "good";
    case COHORT_LINK_QUALITY_FAIR:
      return "fair";
    case COHORT_LINK_QUALITY_POOR:
    default:
      return "poor";
    }
}
