/* cohort-link-step.c: one decision of a subscription's link estimator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-link"

#include "config.h"

#include "cohort-link-step.h"

struct _CohortLinkStep
{
  GObject             parent_instance;

  gint64              feed_id;
  gint64              time_us;
  guint               from_layer;
  guint               layer;
  CohortLinkQuality   quality;
  CohortLinkInterval  interval;
  char               *reason;
};

enum {
  PROP_0,
  PROP_FEED_ID,
  PROP_TIME,
  PROP_FROM_LAYER,
  PROP_LAYER,
  PROP_QUALITY,
  PROP_LOSS,
  PROP_KBPS,
  PROP_FPS,
  PROP_JITTER_MS,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CohortLinkStep, cohort_link_step, G_TYPE_OBJECT)

static void
cohort_link_step_finalize (GObject *object)
{
  CohortLinkStep *self = COHORT_LINK_STEP (object);

  g_free (self->reason);

  G_OBJECT_CLASS (cohort_link_step_parent_class)->finalize (object);
}

static void
cohort_link_step_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CohortLinkStep *self = COHORT_LINK_STEP (object);

  switch (prop_id)
    {
    case PROP_FEED_ID: g_value_set_int64 (value, self->feed_id); break;
    case PROP_TIME: g_value_set_int64 (value, self->time_us); break;
    case PROP_FROM_LAYER: g_value_set_uint (value, self->from_layer); break;
    case PROP_LAYER: g_value_set_uint (value, self->layer); break;
    case PROP_QUALITY: g_value_set_int (value, self->quality); break;
    case PROP_LOSS: g_value_set_double (value, self->interval.loss); break;
    case PROP_KBPS: g_value_set_double (value, self->interval.kbps); break;
    case PROP_FPS: g_value_set_double (value, self->interval.fps); break;
    case PROP_JITTER_MS: g_value_set_double (value, self->interval.jitter_ms); break;
    case PROP_REASON: g_value_set_string (value, self->reason); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_link_step_class_init (CohortLinkStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_link_step_finalize;
  object_class->get_property = cohort_link_step_get_property;

  properties[PROP_FEED_ID] = g_param_spec_int64 ("feed-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TIME] = g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FROM_LAYER] = g_param_spec_uint ("from-layer", NULL, NULL, 0, COHORT_LINK_LAYER_PAUSED, 0, flags);
  properties[PROP_LAYER] = g_param_spec_uint ("layer", NULL, NULL, 0, COHORT_LINK_LAYER_PAUSED, 0, flags);
  properties[PROP_QUALITY] = g_param_spec_int ("quality", NULL, NULL, COHORT_LINK_QUALITY_GOOD,
                                               COHORT_LINK_QUALITY_POOR, COHORT_LINK_QUALITY_GOOD, flags);
  properties[PROP_LOSS] = g_param_spec_double ("loss", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_KBPS] = g_param_spec_double ("kbps", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_FPS] = g_param_spec_double ("fps", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_JITTER_MS] = g_param_spec_double ("jitter-ms", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_link_step_init (CohortLinkStep *self)
{
}

CohortLinkStep *
cohort_link_step_new (gint64                    feed_id,
                      gint64                    time_us,
                      guint                     from_layer,
                      guint                     layer,
                      CohortLinkQuality         quality,
                      const CohortLinkInterval *interval,
                      const char               *reason)
{
  CohortLinkStep *self = g_object_new (COHORT_TYPE_LINK_STEP, NULL);

  self->feed_id = feed_id;
  self->time_us = time_us;
  self->from_layer = from_layer;
  self->layer = layer;
  self->quality = quality;
  if (interval != NULL)
    self->interval = *interval;
  /* The property's range: a figure from a broken counter stays readable. */
  self->interval.loss = CLAMP (self->interval.loss, 0.0, 1.0);
  self->interval.kbps = MAX (self->interval.kbps, 0.0);
  self->interval.fps = MAX (self->interval.fps, 0.0);
  self->interval.jitter_ms = MAX (self->interval.jitter_ms, 0.0);
  self->reason = g_strdup (reason != NULL ? reason : "");
  return self;
}

gint64
cohort_link_step_get_feed_id (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), 0);
  return self->feed_id;
}

gint64
cohort_link_step_get_time (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), 0);
  return self->time_us;
}

guint
cohort_link_step_get_from_layer (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), 0);
  return self->from_layer;
}

guint
cohort_link_step_get_layer (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), 0);
  return self->layer;
}

CohortLinkQuality
cohort_link_step_get_quality (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), COHORT_LINK_QUALITY_GOOD);
  return self->quality;
}

double
cohort_link_step_get_loss (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), 0);
  return self->interval.loss;
}

double
cohort_link_step_get_kbps (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), 0);
  return self->interval.kbps;
}

const char *
cohort_link_step_get_reason (CohortLinkStep *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), NULL);
  return self->reason;
}

char *
cohort_link_step_describe (CohortLinkStep *self)
{
  const CohortLinkInterval *i;

  g_return_val_if_fail (COHORT_IS_LINK_STEP (self), NULL);

  i = &self->interval;
  return g_strdup_printf ("feed %" G_GINT64_FORMAT ": layer %u → %u (%s; %s, loss %.1f %%, %.0f kbit/s, "
                          "%.0f fps, jitter %.0f ms)",
                          self->feed_id, self->from_layer, self->layer, self->reason,
                          cohort_link_quality_to_string (self->quality), i->loss * 100, i->kbps, i->fps,
                          i->jitter_ms);
}
