/* cohort-media-layers.c: a camera's lower video layers, for weak links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * webrtcbin 1.22 cannot send simulcast (no rid), so a camera publishes its
 * lower layers as extra video m-lines of the same PeerConnection, each
 * with its own encoder, and Janus's "switch" moves a subscriber between
 * them. The publisher keeps the full layer; this file builds the others.
 */

#define G_LOG_DOMAIN "cohort-media-layers"

#include "config.h"

#include "cohort-media-layers.h"
#include "cohort-media-publisher.h"

/* 640×360 at 30 fps fits a 1 Mbit/s link with room for sound and
 * retransmissions; 320×180 at 15 fps a 500 kbit/s one. */
static const CohortLayerSpec layers_720[] = {
  { 640, 360, 30, 450000 },
  { 320, 180, 15, 150000 },
};

guint
cohort_media_layers_for (guint                   height,
                         const CohortLayerSpec **specs)
{
  if (height < 720)
    {
      *specs = NULL;
      return 0;
    }

  *specs = layers_720;
  return G_N_ELEMENTS (layers_720);
}

GstElement *
cohort_media_layer_bin_new (const CohortLayerSpec  *spec,
                            const char             *encoder,
                            guint                   payload_type,
                            GError                **error)
{
  g_autoptr(GstElement) bin = NULL;
  GstElement *queue, *valve, *layer;
  g_autoptr(GstPad) sink = NULL;
  g_autoptr(GstPad) src = NULL;

  layer = cohort_video_layer_new (encoder, FALSE, spec->width, spec->height, spec->fps,
                                  spec->bitrate, payload_type, error);
  if (layer == NULL)
    return NULL;
  bin = gst_object_ref_sink (gst_bin_new (NULL));
  queue = gst_element_factory_make ("queue", NULL);
  valve = gst_element_factory_make ("valve", "lvalve");
  gst_object_set_name (GST_OBJECT (layer), "layer");

  /* The leaky one-buffer queue keeps a slow layer encoder from holding
   * the full picture's branch back at the tee. */
  g_object_set (queue, "max-size-buffers", 1, "max-size-bytes", 0, "max-size-time", (guint64) 0,
                "leaky", 2 /* downstream */, NULL);
  gst_bin_add_many (GST_BIN (bin), queue, valve, layer, NULL);
  if (!gst_element_link_many (queue, valve, layer, NULL))
    {
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                           "A lower video layer cannot be linked");
      return NULL;
    }
  sink = gst_element_get_static_pad (queue, "sink");
  src = gst_element_get_static_pad (layer, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", sink));
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", src));

  return g_steal_pointer (&bin);
}

static GstElement *
layer_child (GstElement *layer_bin,
             const char *name)
{
  return gst_bin_get_by_name (GST_BIN (layer_bin), name);
}

void
cohort_media_layer_set_muted (GstElement *layer_bin,
                              gboolean    muted)
{
  g_autoptr(GstElement) valve = layer_child (layer_bin, "lvalve");

  if (valve != NULL)
    g_object_set (valve, "drop", muted, NULL);
}

void
cohort_media_layer_set_bitrate (GstElement *layer_bin,
                                guint       bitrate)
{
  g_autoptr(GstElement) layer = layer_child (layer_bin, "layer");

  if (layer != NULL)
    cohort_video_layer_set_bitrate (layer, bitrate);
}

/* Below this the full picture is not worth its pixels. */
#define FULL_MIN_BITRATE 300000

guint
cohort_media_layers_split (const CohortLayerSpec *specs,
                           guint                  n,
                           guint                  budget,
                           guint                 *layer_bitrates)
{
  guint64 lower = 0;
  double share;

  for (guint i = 0; i < n; i++)
    lower += specs[i].bitrate;

  /* The lower layers are what the weakest students watch: they keep
   * their rates while the full picture keeps its minimum; below that
   * every layer gives up the same fraction, so that what the sender's
   * link carries stays within its budget. */
  if (budget >= lower + FULL_MIN_BITRATE)
    {
      for (guint i = 0; i < n; i++)
        layer_bitrates[i] = specs[i].bitrate;
      return budget - (guint) lower;
    }

  share = (double) budget / (double) (lower + FULL_MIN_BITRATE);
  for (guint i = 0; i < n; i++)
    layer_bitrates[i] = (guint) (specs[i].bitrate * share);
  return (guint) (FULL_MIN_BITRATE * share);
}
