/* test-video-display.c: the stage's display path: sizing, skipped frames, GL textures, the choices
 *
 * Runs under Xvfb, whose GL is Mesa's llvmpipe: the GL path is the real
 * one (GstGL sharing GDK's context), on a software GPU.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "cohort-media-decoder.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"
#include "cohort-video-paintable.h"

static GstElement *
pipeline_into (CohortVideoPaintable *paintable,
               const char           *source)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_parse_bin_from_description (source, TRUE, NULL);
  GstElement *sink = cohort_video_paintable_create_sink (paintable);

  g_assert_nonnull (src);
  g_assert_nonnull (sink);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  g_assert_true (gst_element_link (src, sink));
  return pipeline;
}

#define LIVE_720P "videotestsrc is-live=true pattern=smpte " \
                  "! capsfilter caps=video/x-raw,format=I420,width=1280,height=720,framerate=30/1"

/* Draws @paintable at @width x @height, as a GtkPicture would. */
static void
draw (CohortVideoPaintable *paintable,
      double                width,
      double                height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;

  gdk_paintable_snapshot (GDK_PAINTABLE (paintable), GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
}

static int
texture_width (CohortVideoPaintable *paintable)
{
  GdkTexture *texture = cohort_video_paintable_get_texture (paintable);

  return texture != NULL ? gdk_texture_get_width (texture) : 0;
}

/* The size a picture is converted at: fitted into the drawn box in
 * device pixels, never above the source, whole pixels. */
static void
test_fit (void)
{
  const struct {
    int source_width, source_height;
    double width, height;
    gboolean scaled;
    int out_width, out_height;
  } cases[] = {
    { 1280, 720, 480, 270, TRUE, 480, 270 },
    { 1280, 720, 320, 180, TRUE, 320, 180 },
    { 1280, 720, 954, 537, TRUE, 954, 537 },     /* the widget's whole pixels */
    { 1280, 720, 500, 500, TRUE, 500, 281 },     /* width bound */
    { 1280, 720, 2000, 180, TRUE, 320, 180 },    /* height bound */
    { 1280, 720, 1280, 720, FALSE, 0, 0 },       /* the source itself */
    { 1280, 720, 2560, 1440, FALSE, 0, 0 },      /* never upscaled */
    { 1920, 1080, 1919, 1080, FALSE, 0, 0 },     /* a pixel less is not worth it */
    { 1920, 1080, 1280, 720, TRUE, 1280, 720 },  /* a 1080p screen on a 720 px tile */
    { 0, 0, 320, 180, FALSE, 0, 0 },             /* no source yet */
    { 1280, 720, 0, 0, FALSE, 0, 0 },            /* never drawn */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int w = 0, h = 0;
      gboolean scaled = cohort_video_paintable_fit (cases[i].source_width, cases[i].source_height,
                                                    cases[i].width, cases[i].height, &w, &h);

      g_test_message ("case %u: %dx%d in %.0fx%.0f", i, cases[i].source_width, cases[i].source_height,
                      cases[i].width, cases[i].height);
      g_assert_cmpint (scaled, ==, cases[i].scaled);
      if (scaled)
        {
          g_assert_cmpint (w, ==, cases[i].out_width);
          g_assert_cmpint (h, ==, cases[i].out_height);
        }
    }
}

/* The fallback order: GL textures when GDK's context can be shared and
 * the renderer draws them, memory textures otherwise. */
static void
test_path_choice (void)
{
  const struct {
    const char *override, *renderer;
    gboolean elements, shared, software;
    CohortVideoPath want;
  } cases[] = {
    { NULL, NULL, TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_GL },
    { NULL, "gl", TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_GL },
    { NULL, "ngl", TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_GL },
    { NULL, NULL, FALSE, TRUE, FALSE, COHORT_VIDEO_PATH_MEMORY },   /* no gstreamer1.0-gl */
    { NULL, NULL, TRUE, FALSE, FALSE, COHORT_VIDEO_PATH_MEMORY },   /* no shared context */
    { NULL, "cairo", TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_MEMORY }, /* would download */
    { NULL, "vulkan", TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_MEMORY },
    { NULL, NULL, TRUE, TRUE, TRUE, COHORT_VIDEO_PATH_MEMORY },     /* llvmpipe */
    { "gl", NULL, TRUE, TRUE, TRUE, COHORT_VIDEO_PATH_GL },
    { "gl", "cairo", TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_GL },
    { "gl", NULL, TRUE, FALSE, FALSE, COHORT_VIDEO_PATH_MEMORY },   /* impossible: falls back */
    { "gl", NULL, FALSE, TRUE, FALSE, COHORT_VIDEO_PATH_MEMORY },
    { "memory", NULL, TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_MEMORY },
    { "bogus", NULL, TRUE, TRUE, FALSE, COHORT_VIDEO_PATH_GL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CohortVideoPathInputs in = {
        .override = cases[i].override,
        .gsk_renderer = cases[i].renderer,
        .gl_elements = cases[i].elements,
        .shared_context = cases[i].shared,
        .software_gl = cases[i].software,
      };

      g_test_message ("case %u", i);
      g_assert_cmpint (cohort_video_path_choose (&in), ==, cases[i].want);
    }
}

/* Once drawn, the feed is converted at the drawn size, not the source's;
 * the layout still sees the source's size. */
static void
test_scales_to_drawn_size (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;

  g_setenv ("COHORT_VIDEO_PATH", "memory", TRUE);
  pipeline = pipeline_into (paintable, LIVE_720P);
  g_assert_cmpint (cohort_video_paintable_get_path (paintable), ==, COHORT_VIDEO_PATH_MEMORY);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  /* Not drawn yet: full size. */
  COHORT_TEST_WAIT_UNTIL (cohort_video_paintable_get_frames (paintable) >= 1);
  g_assert_cmpint (texture_width (paintable), ==, 1280);

  /* Drawn in a 320x180 tile: the next frames are 320x180 BGRA. */
  draw (paintable, 320, 180);
  COHORT_TEST_WAIT_UNTIL ((draw (paintable, 320, 180), texture_width (paintable) == 320));
  g_assert_cmpint (gdk_texture_get_height (cohort_video_paintable_get_texture (paintable)), ==, 180);
  g_assert_true (GDK_IS_MEMORY_TEXTURE (cohort_video_paintable_get_texture (paintable)));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 1280);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (paintable)), ==, 720);
  /* Scaled, still the picture: the bars. */
  cohort_test_ui_assert_smpte_bars (cohort_video_paintable_get_texture (paintable));

  /* GtkPicture's fractional box in a whole-pixel widget: the texture is
   * drawn pixel for pixel over the widget, not resampled into the box. */
  {
    GtkSnapshot *snapshot = gtk_snapshot_new ();
    g_autoptr(GskRenderNode) node = NULL;
    graphene_rect_t bounds;

    gdk_paintable_snapshot (GDK_PAINTABLE (paintable), GDK_SNAPSHOT (snapshot), 320, 179.6);
    node = gtk_snapshot_free_to_node (snapshot);
    gsk_render_node_get_bounds (node, &bounds);
    g_assert_cmpfloat_with_epsilon (bounds.size.width, 320, 0.001);
    g_assert_cmpfloat_with_epsilon (bounds.size.height, 180, 0.001);
    g_assert_cmpfloat_with_epsilon (bounds.origin.y, -0.2, 0.001);
  }

  /* A larger tile: back up, never beyond the source. */
  COHORT_TEST_WAIT_UNTIL ((draw (paintable, 2560, 1440), texture_width (paintable) == 1280));

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unsetenv ("COHORT_VIDEO_PATH");
}

static GskRenderNode *
find_node (GskRenderNode  *node,
           GskRenderNodeType type)
{
  GskRenderNode *found = NULL;

  if (gsk_render_node_get_node_type (node) == type)
    return node;
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; found == NULL && i < gsk_container_node_get_n_children (node); i++)
        found = find_node (gsk_container_node_get_child (node, i), type);
      return found;
    case GSK_TRANSFORM_NODE:
      return find_node (gsk_transform_node_get_child (node), type);
    default:
      return NULL;
    }
}

/* With cairo the frame is blitted from an image surface over the
 * decoded buffer, not drawn as a texture: GTK 4.8's cairo renderer turns
 * every pixel of a memory texture into floats and back, each frame.
 * What it draws is still the picture. */
static void
test_cairo_blits_frame (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) drawn = NULL;
  g_autoptr(GError) error = NULL;
  GtkSnapshot *snapshot;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  pipeline = pipeline_into (paintable, LIVE_720P);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  COHORT_TEST_WAIT_UNTIL ((draw (paintable, 320, 180), texture_width (paintable) == 320));

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (GDK_PAINTABLE (paintable), GDK_SNAPSHOT (snapshot), 320, 180);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (find_node (node, GSK_CAIRO_NODE));
  g_assert_null (find_node (node, GSK_TEXTURE_NODE));

  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  drawn = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, 320, 180));
  g_assert_cmpint (gdk_texture_get_width (drawn), ==, 320);
  cohort_test_ui_assert_smpte_bars (drawn);
  gsk_renderer_unrealize (renderer);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unsetenv ("GSK_RENDERER");
}

static gboolean
bus_eos (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  if (message != NULL)
    g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  return message != NULL;
}

/* A paintable that was drawn and then no longer is (a hidden tile, a
 * minimised window) stops converting frames: they are dropped before the
 * converter, but for one a second. Drawn again, it shows the next one. */
static void
test_skips_undrawn_frames (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  guint frames;

  g_setenv ("COHORT_VIDEO_PATH", "memory", TRUE);
  /* One second of 30 fps, then EOS. */
  pipeline = pipeline_into (paintable, "videotestsrc is-live=true num-buffers=30 "
                                       "! capsfilter caps=video/x-raw,format=I420,width=640,height=360,framerate=30/1");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  COHORT_TEST_WAIT_UNTIL (cohort_video_paintable_get_frames (paintable) >= 1);
  draw (paintable, 640, 360);

  /* Never drawn again. */
  COHORT_TEST_WAIT_UNTIL (bus_eos (pipeline));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  frames = cohort_video_paintable_get_frames (paintable);
  g_test_message ("shown %u, skipped %u", frames, cohort_video_paintable_get_frames_skipped (paintable));
  g_assert_cmpuint (frames, <=, 4);
  g_assert_cmpuint (cohort_video_paintable_get_frames_skipped (paintable), >=, 30 - frames - 1);
  g_assert_cmpuint (cohort_video_paintable_get_frames_presented (paintable), ==, 1);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_clear_object (&pipeline);

  /* A drawn paintable takes every frame. */
  pipeline = pipeline_into (paintable, "videotestsrc is-live=true num-buffers=15 "
                                       "! capsfilter caps=video/x-raw,format=I420,width=640,height=360,framerate=30/1");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  frames = cohort_video_paintable_get_frames (paintable);
  /* Polled: nothing on this main context wakes up at EOS. */
  while (!bus_eos (pipeline))
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      draw (paintable, 640, 360);
      g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_message ("shown %u", cohort_video_paintable_get_frames (paintable) - frames);
  g_assert_cmpuint (cohort_video_paintable_get_frames (paintable) - frames, >=, 10);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unsetenv ("COHORT_VIDEO_PATH");
}

/* The GL path, forced on this software GL: GstGL converts into a texture
 * of a context shared with GDK; the texture shows the bars. */
static void
test_gl_colour_bars (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  CohortVideoPathInputs inputs;
  GdkTexture *texture;

  g_setenv ("COHORT_VIDEO_PATH", "gl", TRUE);
  if (cohort_video_gl_probe (&inputs) != COHORT_VIDEO_PATH_GL)
    {
      g_test_skip ("no GL context to share on this display");
      g_unsetenv ("COHORT_VIDEO_PATH");
      return;
    }
  pipeline = pipeline_into (paintable, LIVE_720P);
  g_assert_cmpint (cohort_video_paintable_get_path (paintable), ==, COHORT_VIDEO_PATH_GL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  COHORT_TEST_WAIT_UNTIL ((draw (paintable, 640, 360), cohort_video_paintable_get_frames (paintable) >= 10));

  texture = cohort_video_paintable_get_texture (paintable);
  g_assert_true (GDK_IS_GL_TEXTURE (texture));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1280);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 720);
  cohort_test_ui_assert_smpte_bars (texture);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unsetenv ("COHORT_VIDEO_PATH");
}

/* GL where it serves; memory textures where the renderer would download
 * GL textures (cairo) or GL is refused. */
static void
test_gl_falls_back (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  CohortVideoPathInputs inputs;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_assert_cmpint (cohort_video_gl_probe (&inputs), ==, COHORT_VIDEO_PATH_MEMORY);
  pipeline = pipeline_into (paintable, LIVE_720P);
  g_assert_cmpint (cohort_video_paintable_get_path (paintable), ==, COHORT_VIDEO_PATH_MEMORY);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  COHORT_TEST_WAIT_UNTIL (cohort_video_paintable_get_frames (paintable) >= 1);
  g_assert_true (GDK_IS_MEMORY_TEXTURE (cohort_video_paintable_get_texture (paintable)));
  cohort_test_ui_assert_smpte_bars (cohort_video_paintable_get_texture (paintable));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_unsetenv ("GSK_RENDERER");
}

/* Without a GPU the app starts with cairo (GL would be llvmpipe, which
 * draws on the CPU); a renderer asked for is kept; with cairo, GDK loads
 * no GL driver. */
static void
test_renderer_choice (void)
{
  const struct {
    const char *gsk_renderer, *gdk_debug;
    gboolean gpu;
    const char *want_renderer, *want_debug;   /* NULL: left as it is */
  } cases[] = {
    { NULL, NULL, TRUE, NULL, NULL },                          /* GTK's default (GL) */
    { NULL, NULL, FALSE, "cairo", "gl-disable" },
    { "", NULL, FALSE, "cairo", "gl-disable" },
    { "gl", NULL, FALSE, NULL, NULL },                         /* asked for: kept */
    { "ngl", NULL, TRUE, NULL, NULL },
    { "cairo", NULL, TRUE, NULL, "gl-disable" },
    { "cairo", "misc", TRUE, NULL, "misc,gl-disable" },
    { "cairo", "misc,gl-disable", TRUE, NULL, NULL },
    { NULL, "gl-disable:misc", FALSE, "cairo", NULL },
    { "vulkan", NULL, TRUE, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CohortRendererInputs inputs = { cases[i].gsk_renderer, cases[i].gdk_debug, cases[i].gpu };
      g_autofree char *renderer = NULL;
      g_autofree char *debug = NULL;

      cohort_video_renderer_choose (&inputs, &renderer, &debug);
      g_test_message ("case %u: %s, %s", i, renderer, debug);
      g_assert_cmpstr (renderer, ==, cases[i].want_renderer);
      g_assert_cmpstr (debug, ==, cases[i].want_debug);
    }
}

static gboolean
mapped (const char *library)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, library) != NULL;
}

/* The real set-up, in a process of its own that makes it before GTK
 * starts (main() below): with GSK_RENDERER=cairo no GL driver is loaded
 * (under Xvfb it was llvmpipe and LLVM, 59 MB of a bare window's 87),
 * and the stage takes memory textures. */
static void
test_cairo_loads_no_gl (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GtkWidget) window = g_object_ref_sink (gtk_window_new ());
      CohortVideoPathInputs inputs;

      gtk_window_present (GTK_WINDOW (window));
      COHORT_TEST_WAIT_UNTIL (gtk_widget_get_mapped (window));
      g_assert_false (gdk_display_prepare_gl (gdk_display_get_default (), &error));
      g_assert_false (mapped ("_dri.so"));
      g_assert_false (mapped ("libLLVM"));
      g_assert_cmpint (cohort_video_gl_probe (&inputs), ==, COHORT_VIDEO_PATH_MEMORY);
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  g_setenv ("COHORT_TEST_SETUP_PROCESS", "cairo", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("COHORT_TEST_SETUP_PROCESS");
  g_test_trap_assert_passed ();
}

static int
scaling_method (GstElement *sink)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (sink));
  GValue item = G_VALUE_INIT;
  int method = -1;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *element = g_value_get_object (&item);

      if (g_str_has_prefix (GST_OBJECT_NAME (element), "videoconvertscale"))
        g_object_get (element, "method", &method, NULL);
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return method;
}

/* A screen share scales with Catmull-Rom (text stays legible), a camera
 * with bilinear; both only down to the tile's size (test_fit). */
static void
test_screen_share_sharp (void)
{
  g_autoptr(CohortVideoPaintable) camera = cohort_video_paintable_new ();
  g_autoptr(CohortVideoPaintable) screen = cohort_video_paintable_new ();
  g_autoptr(GstElement) camera_sink = NULL;
  g_autoptr(GstElement) screen_sink = NULL;

  g_setenv ("COHORT_VIDEO_PATH", "memory", TRUE);
  cohort_video_paintable_set_sharp (screen, TRUE);
  camera_sink = gst_object_ref_sink (cohort_video_paintable_create_sink (camera));
  screen_sink = gst_object_ref_sink (cohort_video_paintable_create_sink (screen));
  g_assert_cmpint (scaling_method (camera_sink), ==, 1 /* bilinear */);
  g_assert_cmpint (scaling_method (screen_sink), ==, 8 /* catrom */);
  g_unsetenv ("COHORT_VIDEO_PATH");
}

/* Hardware decoders first (VA, then gstreamer-vaapi), software after;
 * COHORT_DECODER=software leaves hardware out. */
static void
test_decoder_order (void)
{
  const struct {
    const char *factories;   /* decodebin's order, by rank */
    const char *override;
    const char *want;
  } cases[] = {
    { "vp8dec", NULL, "vp8dec" },
    { "vp8dec vavp8dec", NULL, "vavp8dec vp8dec" },
    { "vaapivp8dec vp8dec vavp8dec", NULL, "vavp8dec vaapivp8dec vp8dec" },
    { "avdec_h264 openh264dec vah264dec", NULL, "vah264dec avdec_h264 openh264dec" },
    { "avdec_h264 varenderD129h264dec vah264dec", NULL, "varenderD129h264dec vah264dec avdec_h264" },
    { "vaapivp8dec vp8dec vavp8dec", "vaapi", "vaapivp8dec vavp8dec vp8dec" },
    { "vaapivp8dec vp8dec vavp8dec", "software", "vp8dec" },
    { "vaapidecodebin vp8dec", NULL, "vaapidecodebin vp8dec" },  /* a bin, not a "…dec" */
    { "rtpvp8depay", NULL, "rtpvp8depay" },                      /* not a decoder: untouched */
    { "vavp8dec", "software", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) factories = g_strsplit (cases[i].factories, " ", -1);
      g_auto(GStrv) order = cohort_decoder_order ((const char * const *) factories, cases[i].override);
      g_autofree char *got = g_strjoinv (" ", order);

      g_test_message ("case %u: %s → %s", i, cases[i].factories, got);
      g_assert_cmpstr (got, ==, cases[i].want);
    }
}

static void
on_deep_element_added (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory != NULL && gst_element_factory_list_is_type (factory, GST_ELEMENT_FACTORY_TYPE_DECODER))
    g_atomic_pointer_set ((gpointer *) user_data, g_strdup (gst_plugin_feature_get_name (factory)));
}

/* A real decodebin with the choice attached decodes with what this
 * machine has: VA where its driver answers, vp8dec otherwise. */
static void
test_decoder_in_decodebin (void)
{
  g_autoptr(GstElement) pipeline = gst_parse_launch ("videotestsrc num-buffers=5 "
                                                     "! capsfilter caps=video/x-raw,width=320,height=180 "
                                                     "! vp8enc deadline=1 ! decodebin name=d ! fakesink", NULL);
  g_autoptr(GstElement) decodebin = gst_bin_get_by_name (GST_BIN (pipeline), "d");
  g_autoptr(GstElementFactory) va = gst_element_factory_find ("vavp8dec");
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = NULL;
  char *decoder = NULL;

  cohort_decoder_attach (decodebin);
  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (on_deep_element_added), &decoder);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_test_message ("decoder: %s", decoder);
  g_assert_cmpstr (decoder, ==, va != NULL ? "vavp8dec" : "vp8dec");
  g_free (decoder);
}

int
main (int   argc,
      char *argv[])
{
  /* test_cairo_loads_no_gl's own process: the app's set-up, before GTK. */
  if (g_getenv ("COHORT_TEST_SETUP_PROCESS") != NULL)
    {
      g_setenv ("GSK_RENDERER", g_getenv ("COHORT_TEST_SETUP_PROCESS"), TRUE);
      cohort_video_gl_setup_process ();
    }
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/video-display/fit", test_fit);
  g_test_add_func ("/video-display/path-choice", test_path_choice);
  g_test_add_func ("/video-display/scales-to-drawn-size", test_scales_to_drawn_size);
  g_test_add_func ("/video-display/skips-undrawn-frames", test_skips_undrawn_frames);
  g_test_add_func ("/video-display/renderer-choice", test_renderer_choice);
  g_test_add_func ("/video-display/cairo-loads-no-gl", test_cairo_loads_no_gl);
  g_test_add_func ("/video-display/cairo-blits-frame", test_cairo_blits_frame);
  g_test_add_func ("/video-display/screen-share-sharp", test_screen_share_sharp);
  g_test_add_func ("/video-display/gl-colour-bars", test_gl_colour_bars);
  g_test_add_func ("/video-display/gl-falls-back", test_gl_falls_back);
  g_test_add_func ("/video-display/decoder-order", test_decoder_order);
  g_test_add_func ("/video-display/decoder-in-decodebin", test_decoder_in_decodebin);

  return g_test_run ();
}
