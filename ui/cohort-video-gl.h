/* cohort-video-gl.h: decoded video into GDK's GL context through GstGL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How the stage's paintables receive frames, in the order they are tried:
 * GL textures that GstGL converted on the GPU in a context shared with
 * GDK, then memory textures converted and scaled on the CPU. */
typedef enum
{
  COHORT_VIDEO_PATH_MEMORY,
  COHORT_VIDEO_PATH_GL,
} CohortVideoPath;

/* What the choice depends on, gathered by cohort_video_gl_probe(). */
typedef struct
{
  const char *override;      /* $COHORT_VIDEO_PATH: "gl", "memory" or NULL */
  const char *gsk_renderer;  /* $GSK_RENDERER, or NULL */
  gboolean    gl_elements;   /* glupload and glcolorconvert are installed */
  gboolean    shared_context;/* GstGL wraps a GL context of GDK's */
  gboolean    software_gl;   /* that context renders on the CPU (llvmpipe) */
} CohortVideoPathInputs;

/* Pure: the path for @inputs. GL needs the elements and the shared
 * context, and a GSK renderer that draws GL textures without a download
 * (not cairo or vulkan). An override wins when it is possible. */
CohortVideoPath cohort_video_path_choose  (const CohortVideoPathInputs *inputs);

/* Fills @inputs for this process (sets GL up once, main thread only) and
 * returns the choice. */
CohortVideoPath cohort_video_gl_probe     (CohortVideoPathInputs *inputs);

/* The GL sink front: glupload ! glcolorconvert to RGBA GLMemory, sharing
 * GDK's context; floating, NULL without GL. @appsink is linked after it
 * and given its caps. */
GstElement     *cohort_video_gl_make_bin  (GstElement *appsink);

/* Streaming thread: marks where the GPU has finished @sample's texture
 * (GstGLSyncMeta). Returns @sample or a new sample that carries the
 * sync meta; consumes @sample. */
GstSample      *cohort_video_gl_prepare   (GstSample *sample);

/* Main thread: a GdkGLTexture over @sample's texture, valid until GTK
 * releases it (the frame stays mapped and the buffer referenced until
 * then); waits on the GPU for the sync point first. NULL if @sample is
 * not GL memory. */
GdkTexture     *cohort_video_gl_texture   (GstSample *sample);

G_END_DECLS
