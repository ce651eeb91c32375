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
/* A bin from raw video (ghost "sink") to RTP (ghost "src"): leaky queue,
 * valve (named "lvalve"), scale, rate, then @encoder_description (an
 * encoder and payloader chain in gst-launch syntax). */
GstElement *cohort_media_layer_bin_new     (const CohortLayerSpec  *spec,
                                            const char             *encoder_description,
                                            GError                **error);
void        cohort_media_layer_set_muted   (GstElement             *layer_bin,
                                            gboolean                muted);

G_END_DECLS
