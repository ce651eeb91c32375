/* cohort-video-gl.c: decoded video into GDK's GL context through GstGL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-video-gl"

#include "config.h"

#include <gtk/gtk.h>
#include <gst/gl/gl.h>
#include <gst/gl/gstglfuncs.h>
#include <gst/video/video.h>
#include <string.h>

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#include <gst/gl/x11/gstgldisplay_x11.h>
#endif
#ifdef GDK_WINDOWING_WAYLAND
#include <gdk/wayland/gdkwayland.h>
#include <gst/gl/wayland/gstgldisplay_wayland.h>
#endif
#include <gst/gl/egl/gstgldisplay_egl.h>

#include "cohort-video-gl.h"

/* The process's one GL sharing, made on the main thread the first time a
 * sink asks, and kept: every GL sink shares these. */
typedef struct
{
  GdkGLContext *gdk;       /* ours, shared with GDK's renderer */
  GstGLDisplay *display;   /* over GDK's native display */
  GstGLContext *wrapped;   /* GstGL's view of @gdk */
  gboolean      software;
} Sharing;

static Sharing *sharing;

CohortVideoPath
cohort_video_path_choose (const CohortVideoPathInputs *in)
{
  gboolean possible = in->gl_elements && in->shared_context;

  if (g_strcmp0 (in->override, "memory") == 0)
    return COHORT_VIDEO_PATH_MEMORY;
  if (g_strcmp0 (in->override, "gl") == 0)
    return possible ? COHORT_VIDEO_PATH_GL : COHORT_VIDEO_PATH_MEMORY;

  /* cairo (and vulkan in GTK 4.8) download a GL texture to draw it:
   * worse than converting on the CPU in the first place. */
  if (in->gsk_renderer != NULL && *in->gsk_renderer != '\0' &&
      g_strcmp0 (in->gsk_renderer, "gl") != 0 && g_strcmp0 (in->gsk_renderer, "opengl") != 0 &&
      g_strcmp0 (in->gsk_renderer, "ngl") != 0)
    return COHORT_VIDEO_PATH_MEMORY;

  /* On software GL, conversion in a shader costs more than the CPU's
   * converter scaling straight to the tile's size. */
  if (in->software_gl)
    return COHORT_VIDEO_PATH_MEMORY;

  return possible ? COHORT_VIDEO_PATH_GL : COHORT_VIDEO_PATH_MEMORY;
}

void
cohort_video_renderer_choose (const CohortRendererInputs *in,
                              char                      **gsk_renderer,
                              char                      **gdk_debug)
{
  const char *renderer = in->gsk_renderer;
  g_auto(GStrv) flags = NULL;

  *gsk_renderer = NULL;
  *gdk_debug = NULL;

  if (renderer == NULL || *renderer == '\0')
    {
      if (in->gpu)
        return;
      renderer = "cairo";
      *gsk_renderer = g_strdup (renderer);
    }
  if (g_strcmp0 (renderer, "cairo") != 0)
    return;

  /* cairo never draws with GL, and nothing else in the app does: GDK on
   * X11 would still load the GL driver at start to pick a visual. */
  flags = g_strsplit_set (in->gdk_debug != NULL ? in->gdk_debug : "", ",: ", -1);
  if (g_strv_contains ((const char * const *) flags, "gl-disable"))
    return;
  if (in->gdk_debug == NULL || *in->gdk_debug == '\0')
    *gdk_debug = g_strdup ("gl-disable");
  else
    *gdk_debug = g_strconcat (in->gdk_debug, ",gl-disable", NULL);
}

static gboolean
have_gpu (void)
{
  g_autoptr(GDir) dri = NULL;
  const char *name;

  if (g_strcmp0 (g_getenv ("LIBGL_ALWAYS_SOFTWARE"), "1") == 0 ||
      g_strcmp0 (g_getenv ("LIBGL_ALWAYS_SOFTWARE"), "true") == 0)
    return FALSE;
  /* The proprietary NVIDIA driver may come without a render node. */
  if (g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS))
    return TRUE;
  dri = g_dir_open ("/dev/dri", 0, NULL);
  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

void
cohort_video_gl_setup_process (void)
{
  CohortRendererInputs inputs = {
    .gsk_renderer = g_getenv ("GSK_RENDERER"),
    .gdk_debug = g_getenv ("GDK_DEBUG"),
    .gpu = have_gpu (),
  };
  g_autofree char *renderer = NULL;
  g_autofree char *debug = NULL;

  cohort_video_renderer_choose (&inputs, &renderer, &debug);
  if (renderer != NULL)
    g_setenv ("GSK_RENDERER", renderer, TRUE);
  if (debug != NULL)
    g_setenv ("GDK_DEBUG", debug, TRUE);
}

static GstGLDisplay *
gst_display_for (GdkDisplay    *display,
                 GstGLPlatform *platform)
{
#ifdef GDK_WINDOWING_WAYLAND
  if (GDK_IS_WAYLAND_DISPLAY (display))
    {
      *platform = GST_GL_PLATFORM_EGL;
      return GST_GL_DISPLAY (gst_gl_display_wayland_new_with_display (gdk_wayland_display_get_wl_display (display)));
    }
#endif
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (display))
    {
      gpointer egl = gdk_x11_display_get_egl_display (display);

      /* GDK on X11 uses EGL where it can, GLX otherwise. */
      if (egl != NULL)
        {
          *platform = GST_GL_PLATFORM_EGL;
          return GST_GL_DISPLAY (gst_gl_display_egl_new_with_egl_display (egl));
        }
      *platform = GST_GL_PLATFORM_GLX;
      return GST_GL_DISPLAY (gst_gl_display_x11_new_with_display (gdk_x11_display_get_xdisplay (display)));
    }
#endif
  return NULL;
}

static Sharing *
sharing_new (GError **error)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GdkGLContext) gdk = NULL;
  g_autoptr(GstGLDisplay) gst_display = NULL;
  g_autoptr(GstGLContext) wrapped = NULL;
  GstGLPlatform platform = GST_GL_PLATFORM_NONE;
  GstGLAPI api;
  guintptr handle;
  const GstGLFuncs *gl;
  const char *renderer;
  Sharing *s;

  if (display == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no display");
      return NULL;
    }
  gdk = gdk_display_create_gl_context (display, error);
  if (gdk == NULL || !gdk_gl_context_realize (gdk, error))
    return NULL;

  gst_display = gst_display_for (display, &platform);
  if (gst_display == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no GstGL display for this GDK backend");
      return NULL;
    }

  gdk_gl_context_make_current (gdk);
  handle = gst_gl_context_get_current_gl_context (platform);
  api = gst_gl_context_get_current_gl_api (platform, NULL, NULL);
  if (handle == 0 || api == GST_GL_API_NONE)
    {
      gdk_gl_context_clear_current ();
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "GDK's GL context is not current");
      return NULL;
    }

  wrapped = gst_gl_context_new_wrapped (gst_display, handle, platform, api);
  if (wrapped == NULL || !gst_gl_context_activate (wrapped, TRUE) ||
      !gst_gl_context_fill_info (wrapped, error))
    {
      gdk_gl_context_clear_current ();
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GstGL cannot wrap GDK's context");
      return NULL;
    }

  gl = wrapped->gl_vtable;
  renderer = gl->GetString != NULL ? (const char *) gl->GetString (GL_RENDERER) : NULL;

  s = g_new0 (Sharing, 1);
  s->software = renderer != NULL && (strstr (renderer, "llvmpipe") != NULL ||
                                     strstr (renderer, "softpipe") != NULL ||
                                     strstr (renderer, "Software") != NULL);
  g_debug ("GL sharing ready: %s, %s", platform == GST_GL_PLATFORM_EGL ? "EGL" : "GLX",
           renderer != NULL ? renderer : "?");
  s->gdk = g_steal_pointer (&gdk);
  s->display = g_steal_pointer (&gst_display);
  s->wrapped = g_steal_pointer (&wrapped);
  /* The wrapped context stays active on this thread: GstGL then runs the
   * sync waits right here, in GDK's context. */
  return s;
}

static Sharing *
sharing_get (void)
{
  static gboolean tried;

  /* GDK is single-threaded: only the thread that can own the default
   * main context may make the context (another thread fails to acquire
   * it while the main loop runs). */
  if (!tried && g_main_context_acquire (g_main_context_default ()))
    {
      g_autoptr(GError) error = NULL;

      g_main_context_release (g_main_context_default ());

      tried = TRUE;
      sharing = sharing_new (&error);
      if (sharing == NULL)
        g_debug ("No GL video path: %s", error != NULL ? error->message : "?");
    }
  return sharing;
}

static gboolean
have_gl_elements (void)
{
  g_autoptr(GstElementFactory) upload = gst_element_factory_find ("glupload");
  g_autoptr(GstElementFactory) convert = gst_element_factory_find ("glcolorconvert");

  return upload != NULL && convert != NULL;
}

CohortVideoPath
cohort_video_gl_probe (CohortVideoPathInputs *in)
{
  Sharing *s;

  in->override = g_getenv ("COHORT_VIDEO_PATH");
  in->gsk_renderer = g_getenv ("GSK_RENDERER");
  in->gl_elements = have_gl_elements ();
  /* Cheap answers first: no GL context is made where it cannot serve. */
  in->shared_context = FALSE;
  in->software_gl = FALSE;
  if (in->gl_elements && cohort_video_path_choose (&(CohortVideoPathInputs) {
                                                     .override = in->override,
                                                     .gsk_renderer = in->gsk_renderer,
                                                     .gl_elements = TRUE,
                                                     .shared_context = TRUE,
                                                   }) == COHORT_VIDEO_PATH_GL &&
      (s = sharing_get ()) != NULL)
    {
      in->shared_context = TRUE;
      in->software_gl = s->software;
    }
  return cohort_video_path_choose (in);
}

GstElement *
cohort_video_gl_make_bin (GstElement *appsink)
{
  Sharing *s = sharing_get ();
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstContext) display_context = NULL;
  g_autoptr(GstContext) app_context = NULL;
  g_autoptr(GstPad) pad = NULL;
  GstElement *bin, *upload, *convert;

  if (s == NULL)
    return NULL;

  bin = gst_bin_new (NULL);
  upload = gst_element_factory_make ("glupload", NULL);
  convert = gst_element_factory_make ("glcolorconvert", NULL);
  caps = gst_caps_from_string ("video/x-raw(memory:GLMemory),format=RGBA,texture-target=2D");
  g_object_set (appsink, "caps", caps, NULL);
  gst_bin_add_many (GST_BIN (bin), upload, convert, appsink, NULL);
  if (!gst_element_link_many (upload, convert, appsink, NULL))
    {
      gst_object_unref (gst_object_ref_sink (bin));
      return NULL;
    }

  /* GstGL's elements make their own context, sharing with GDK's through
   * the app context, on the same native display. */
  display_context = gst_context_new (GST_GL_DISPLAY_CONTEXT_TYPE, TRUE);
  gst_context_set_gl_display (display_context, s->display);
  app_context = gst_context_new ("gst.gl.app_context", TRUE);
  gst_structure_set (gst_context_writable_structure (app_context),
                     "context", GST_TYPE_GL_CONTEXT, s->wrapped, NULL);
  gst_element_set_context (bin, display_context);
  gst_element_set_context (bin, app_context);

  pad = gst_element_get_static_pad (upload, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  return bin;
}

GstSample *
cohort_video_gl_prepare (GstSample *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstMemory *memory = buffer != NULL && gst_buffer_n_memory (buffer) > 0 ? gst_buffer_peek_memory (buffer, 0) : NULL;
  GstGLContext *context;
  GstGLSyncMeta *meta;

  if (memory == NULL || !gst_is_gl_memory (memory))
    return sample;

  context = ((GstGLBaseMemory *) memory)->context;
  meta = gst_buffer_get_gl_sync_meta (buffer);
  if (meta == NULL)
    {
      /* A shallow copy (same texture) that can carry the meta. */
      g_autoptr(GstBuffer) copy = gst_buffer_copy (buffer);
      GstSample *carrier;

      meta = gst_buffer_add_gl_sync_meta (context, copy);
      carrier = gst_sample_new (copy, gst_sample_get_caps (sample), gst_sample_get_segment (sample),
                                gst_sample_get_info (sample) ? gst_structure_copy (gst_sample_get_info (sample)) : NULL);
      gst_sample_unref (sample);
      sample = carrier;
    }
  /* In GstGL's thread: a fence after the conversion that drew it. */
  gst_gl_sync_meta_set_sync_point (meta, context);
  return sample;
}

typedef struct
{
  GstVideoFrame frame;
} Mapped;

static void
mapped_free (gpointer data)
{
  Mapped *m = data;

  gst_video_frame_unmap (&m->frame);
  g_free (m);
}

GdkTexture *
cohort_video_gl_texture (GstSample *sample)
{
  Sharing *s = sharing;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstMemory *memory = buffer != NULL && gst_buffer_n_memory (buffer) > 0 ? gst_buffer_peek_memory (buffer, 0) : NULL;
  GstVideoInfo info;
  GstGLSyncMeta *meta;
  Mapped *m;
  guint id;

  if (s == NULL || memory == NULL || !gst_is_gl_memory (memory) ||
      !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return NULL;

  m = g_new0 (Mapped, 1);
  if (!gst_video_frame_map (&m->frame, &info, buffer, GST_MAP_READ | GST_MAP_GL))
    {
      g_free (m);
      return NULL;
    }
  id = *(guint *) m->frame.data[0];

  /* GDK's context, and GstGL's view of it, current here: the wait is a
   * GPU-side wait in the context that will draw the texture. */
  gdk_gl_context_make_current (s->gdk);
  gst_gl_context_activate (s->wrapped, TRUE);
  meta = gst_buffer_get_gl_sync_meta (buffer);
  if (meta != NULL)
    gst_gl_sync_meta_wait (meta, s->wrapped);

  /* The frame (and so the texture) is GDK's until it calls mapped_free:
   * GstGL's pool cannot reuse the texture while GTK still draws it. */
  return gdk_gl_texture_new (s->gdk, id, GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                             mapped_free, m);
}
