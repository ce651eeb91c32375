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
                            const char             *encoder_description,
                            GError                **error)
{
  g_autofree char *desc = NULL;

  /* The leaky one-buffer queue keeps a slow layer encoder from holding
   * the full picture's branch back at the tee. The description ends in
   * caps, which gst-launch syntax cannot leave dangling: identity closes it. */
  desc = g_strdup_printf ("queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream "
                          "! valve name=lvalve ! videoscale add-borders=true "
                          "! videorate drop-only=true "
                          "! video/x-raw,width=%u,height=%u,framerate=%u/1,pixel-aspect-ratio=1/1 "
                          "! %s ! identity name=lout",
                          spec->width, spec->height, spec->fps, encoder_description);

  return gst_parse_bin_from_description_full (desc, TRUE, NULL, GST_PARSE_FLAG_NONE, error);
}

void
cohort_media_layer_set_muted (GstElement *layer_bin,
                              gboolean    muted)
{
  g_autoptr(GstElement) valve = gst_bin_get_by_name (GST_BIN (layer_bin), "lvalve");

  if (valve != NULL)
    g_object_set (valve, "drop", muted, NULL);
}
