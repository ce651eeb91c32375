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

/* What GTK is asked for before it starts, from the environment. */
typedef struct
{
  const char *gsk_renderer;  /* $GSK_RENDERER, or NULL */
  const char *gdk_debug;     /* $GDK_DEBUG, or NULL */
  gboolean    gpu;           /* a GPU answers: a DRM render node or NVIDIA's
                              * device, and no LIBGL_ALWAYS_SOFTWARE */
} CohortRendererInputs;

/* Pure: the GSK renderer and GDK_DEBUG this process should start with;
 * each is a new string, or NULL to leave the variable as it is. Without
 * a GPU GL is software (llvmpipe), which draws the window on the CPU at
 * twice cairo's cost: cairo, unless a renderer was asked for. With cairo,
 * GDK is told not to load GL at all (LLVM alone is 40 MB resident). */
void            cohort_video_renderer_choose (const CohortRendererInputs *inputs,
                                              char                      **gsk_renderer,
                                              char                      **gdk_debug);

/* Before gtk_init(): applies cohort_video_renderer_choose() to this
 * process's environment. */
void            cohort_video_gl_setup_process (void);

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
