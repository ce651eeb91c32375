/* cohort-video-tile.h: one video on the stage, with a name and mute overlay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-link-estimator.h"

G_BEGIN_DECLS

/* A GtkPicture (aspect ratio kept, letterboxed on black) with the
 * person's name and a muted-microphone badge over it. Without a picture
 * (camera off, no camera, not live yet) it shows the person's avatar and
 * a short state, never a test pattern.
 *
 * Properties: paintable, name, audio-muted, video-off, status (the text
 * under the avatar, e.g. "Camera off"), compact (small overlay, for the
 * picture-in-picture and the strip), link-quality (CohortLinkQuality as
 * int: this client's link to the video; fair and poor show a signal
 * symbol in the top corner, with a tooltip and an accessible name, and
 * become the tile's accessible description; good shows nothing). */
#define COHORT_TYPE_VIDEO_TILE (cohort_video_tile_get_type ())
G_DECLARE_FINAL_TYPE (CohortVideoTile, cohort_video_tile, COHORT, VIDEO_TILE, GtkWidget)

GtkWidget    *cohort_video_tile_new           (void);
void          cohort_video_tile_set_paintable (CohortVideoTile *self,
                                               GdkPaintable    *paintable);
GdkPaintable *cohort_video_tile_get_paintable (CohortVideoTile *self);
void          cohort_video_tile_set_name      (CohortVideoTile *self,
                                               const char      *name);
const char   *cohort_video_tile_get_name      (CohortVideoTile *self);
void          cohort_video_tile_set_audio_muted (CohortVideoTile *self,
                                                 gboolean         muted);
void          cohort_video_tile_set_video_off (CohortVideoTile *self,
                                               gboolean         off);
void          cohort_video_tile_set_status    (CohortVideoTile *self,
                                               const char      *status);
void          cohort_video_tile_set_compact   (CohortVideoTile *self,
                                               gboolean         compact);
void          cohort_video_tile_set_link_quality (CohortVideoTile   *self,
                                                  CohortLinkQuality  quality);
CohortLinkQuality cohort_video_tile_get_link_quality (CohortVideoTile *self);
/* Shows the picture (TRUE) or the avatar. */
gboolean      cohort_video_tile_get_showing_video (CohortVideoTile *self);
/* An icon button in the top corner (e.g. "Remove from Stage"); NULL
 * @action_name hides it. */
void          cohort_video_tile_set_action    (CohortVideoTile *self,
                                               const char      *icon_name,
                                               const char      *tooltip,
                                               const char      *action_name,
                                               GVariant        *target);

G_END_DECLS
