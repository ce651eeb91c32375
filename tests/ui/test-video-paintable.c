/* test-video-paintable.c: the stage's latest-frame slot and its textures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "cohort-test-ui.h"
#include "cohort-video-paintable.h"

static GstElement *
pipeline_into (CohortVideoPaintable *paintable,
               const char           *source)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_parse_bin_from_description (source, TRUE, NULL);
  GstElement *sink = cohort_video_paintable_create_sink (paintable);

  g_assert_nonnull (src);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  g_assert_true (gst_element_link (src, sink));
  return pipeline;
}

static void
run_to_eos (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = NULL;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
}

/* Frames that arrive while the main loop is busy replace each other: one
 * upload shows the newest, the older ones are never shown. */
static void
test_latest_frame_only (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  GdkTexture *texture;

  /* 10 frames, the first nine red, the last one blue. */
  pipeline = pipeline_into (paintable,
                            "videotestsrc num-buffers=9 pattern=red "
                            "! video/x-raw,format=I420,width=320,height=180,framerate=30/1 "
                            "! concat name=c ! identity "
                            "videotestsrc num-buffers=1 pattern=blue "
                            "! video/x-raw,format=I420,width=320,height=180,framerate=30/1 ! c.");
  g_assert_false (cohort_video_paintable_get_has_frame (paintable));
  run_to_eos (pipeline);

  /* Nothing is shown until the main loop runs… */
  g_assert_cmpuint (cohort_video_paintable_get_frames (paintable), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* …then exactly one upload, of the newest frame. */
  g_assert_cmpuint (cohort_video_paintable_get_frames (paintable), ==, 1);
  g_assert_true (cohort_video_paintable_get_has_frame (paintable));
  texture = cohort_video_paintable_get_texture (paintable);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 180);
  g_assert_cmphex (cohort_test_ui_texture_pixel (texture, 160, 90) & 0xf0f0f0, ==, 0x0000f0);
  g_assert_cmpfloat_with_epsilon (gdk_paintable_get_intrinsic_aspect_ratio (GDK_PAINTABLE (paintable)),
                                  320.0 / 180.0, 0.001);

  gst_element_set_state (pipeline, GST_STATE_NULL);

  /* Cleared: no picture (the tile shows its avatar). */
  cohort_video_paintable_clear (paintable);
  g_assert_false (cohort_video_paintable_get_has_frame (paintable));
}

/* A main loop that keeps up shows (nearly) every frame, at the frame's
 * size. */
static void
test_frames_and_aspect (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  gboolean eos = FALSE;

  pipeline = pipeline_into (paintable,
                            "videotestsrc num-buffers=15 is-live=true "
                            "! capsfilter caps=video/x-raw,format=I420,width=320,height=240,framerate=30/1");
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!eos)
    {
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

      if (message != NULL)
        {
          g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
          eos = TRUE;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gst_element_set_state (pipeline, GST_STATE_NULL);

  /* Nearly all 15 (a frame may land while the previous upload waits). */
  g_assert_cmpuint (cohort_video_paintable_get_frames (paintable), >=, 10);
  g_assert_cmpuint (cohort_video_paintable_get_frames (paintable), <=, 15);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (paintable)), ==, 240);
}

/* A sink made later replaces the earlier one: frames from the old sink
 * are not shown. */
static void
test_new_sink_detaches_old (void)
{
  g_autoptr(CohortVideoPaintable) paintable = cohort_video_paintable_new ();
  g_autoptr(GstElement) old_pipeline = NULL;
  g_autoptr(GstElement) new_pipeline = NULL;

  old_pipeline = pipeline_into (paintable,
                                "videotestsrc num-buffers=3 pattern=red "
                                "! capsfilter caps=video/x-raw,format=I420,width=64,height=64");
  new_pipeline = pipeline_into (paintable,
                                "videotestsrc num-buffers=1 pattern=green "
                                "! capsfilter caps=video/x-raw,format=I420,width=32,height=32");
  run_to_eos (old_pipeline);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (cohort_video_paintable_get_has_frame (paintable));

  run_to_eos (new_pipeline);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (cohort_video_paintable_get_has_frame (paintable));
  g_assert_cmpint (gdk_texture_get_width (cohort_video_paintable_get_texture (paintable)), ==, 32);

  gst_element_set_state (old_pipeline, GST_STATE_NULL);
  gst_element_set_state (new_pipeline, GST_STATE_NULL);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/media/video-paintable/latest-frame-only", test_latest_frame_only);
  g_test_add_func ("/media/video-paintable/frames-and-aspect", test_frames_and_aspect);
  g_test_add_func ("/media/video-paintable/new-sink-detaches-old", test_new_sink_detaches_old);

  return g_test_run ();
}
