/* cohort-media-layers.h: a camera's lower video layers, for weak links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* One lower layer of a camera feed: a picture of its own size and rate,
 * encoded by its own encoder, sent on its own m-line beside the full one
 * (docs/architecture-media.md, "Per-student adaptation"). */
typedef struct
{
  guint width;
  guint height;
  guint fps;
  guint bitrate;   /* bit/s */
} CohortLayerSpec;

/* The layers below a full picture @height lines high, best first; none
 * below 720 lines (a 360p camera is already its own low layer). */
guint       cohort_media_layers_for        (guint                   height,
                                            const CohortLayerSpec **specs);
/* A bin from raw video (ghost "sink") to RTP (ghost "src"): a leaky
 * queue, a valve, and a cohort_video_layer_new() of @encoder at the
 * spec's size, rate and bitrate. */
GstElement *cohort_media_layer_bin_new     (const CohortLayerSpec  *spec,
                                            const char             *encoder,
                                            guint                   payload_type,
                                            GError                **error);
void        cohort_media_layer_set_muted   (GstElement             *layer_bin,
                                            gboolean                muted);
void        cohort_media_layer_set_bitrate (GstElement             *layer_bin,
                                            guint                   bitrate);
/* Splits the publisher's @budget (bit/s) between the full picture and the
 * @n lower layers of @specs: fills @layer_bitrates (n entries) and returns
 * the full picture's share. */
guint       cohort_media_layers_split      (const CohortLayerSpec  *specs,
                                            guint                   n,
                                            guint                   budget,
                                            guint                  *layer_bitrates);

G_END_DECLS
