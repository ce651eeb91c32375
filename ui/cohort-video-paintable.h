/* cohort-video-paintable.h: a GdkPaintable showing the newest frame of a video sink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

#include "cohort-video-gl.h"

G_BEGIN_DECLS

/* A GdkPaintable fed by an appsink through a latest-frame slot: the
 * streaming thread only stores the newest sample (dropping the one before
 * it if the main thread has not taken it yet) and schedules one idle on
 * the main context, which wraps it in a GdkMemoryTexture or, on the GL
 * path, a GdkGLTexture (cohort-video-gl.h). Frames are never queued, so a
 * slow main loop shows fewer frames, never older ones.
 *
 * Properties: has-frame (a frame arrived since the sink was made),
 * width, height (of the decoded picture, whatever size the sink
 * converts at), frames (shown so far),
 * frames-presented (frames drawn on screen at least once). */
#define COHORT_TYPE_VIDEO_PAINTABLE (cohort_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (CohortVideoPaintable, cohort_video_paintable, COHORT, VIDEO_PAINTABLE, GObject)

CohortVideoPaintable *cohort_video_paintable_new          (void);
/* A new sink element that feeds this paintable; floating. Making a new
 * one detaches the previous one. GL (glupload ! glcolorconvert ! appsink)
 * where cohort_video_gl_probe() chooses it, else memory
 * (videoconvertscale ! capsfilter ! appsink): once the paintable is
 * drawn, that one converts at the size it is drawn at (never larger than
 * the source). Both drop, before converting, the frames that come while
 * the screen has not drawn the one before. Main thread. */
GstElement           *cohort_video_paintable_create_sink  (CohortVideoPaintable *self);
/* Forgets the shown frame (e.g. the feed ended). */
void                  cohort_video_paintable_clear        (CohortVideoPaintable *self);
gboolean              cohort_video_paintable_get_has_frame (CohortVideoPaintable *self);
guint                 cohort_video_paintable_get_frames   (CohortVideoPaintable *self);
/* The newest frame as a texture, or NULL. */
GdkTexture           *cohort_video_paintable_get_texture  (CohortVideoPaintable *self);
/* Frames drawn on screen at least once. */
guint                 cohort_video_paintable_get_frames_presented (CohortVideoPaintable *self);
/* Frames dropped before conversion because the screen did not show the
 * one before (hidden, minimised, or slower than the feed). */
guint                 cohort_video_paintable_get_frames_skipped   (CohortVideoPaintable *self);
/* The path the newest sink takes (GL textures or memory textures). */
CohortVideoPath       cohort_video_paintable_get_path     (CohortVideoPaintable *self);
/* Text content (a screen share): scale with a sharper filter. Applies to
 * sinks made afterwards. */
void                  cohort_video_paintable_set_sharp    (CohortVideoPaintable *self,
                                                           gboolean              sharp);

/* The output size of a @source_width x @source_height picture drawn in
 * a @width x @height box of device pixels: fitted, never upscaled, in
 * whole pixels.
 * FALSE: show the source size unscaled. */
gboolean              cohort_video_paintable_fit          (int                   source_width,
                                                           int                   source_height,
                                                           double                width,
                                                           double                height,
                                                           int                  *out_width,
                                                           int                  *out_height);

G_END_DECLS
