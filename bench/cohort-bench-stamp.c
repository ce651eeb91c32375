/* cohort-bench-stamp.c: the capture-time stamp the media benchmarks draw
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gst/video/video.h>

#include "cohort-bench-stamp.h"
#include "cohort-media-call.h"

#define BAR_BITS   32
#define BAR_BLOCK  40     /* pixels, at 1280×720 */
#define REF_WIDTH  1280
#define REF_HEIGHT 720

/* 24 bits of the capture time in ms, 8 bits of check. */
static guint32
stamp_value (guint32 ms)
{
  guint32 v = ms & 0xffffff;
  guint8 check = ((v >> 16) ^ (v >> 8) ^ v ^ 0x5a) & 0xff;

  return (v << 8) | check;
}

guint32
cohort_bench_stamp_now_ms (void)
{
  return (guint32) (g_get_monotonic_time () / 1000) & 0xffffff;
}

double
cohort_bench_stamp_age_ms (guint32 stamped_ms)
{
  return (double) ((cohort_bench_stamp_now_ms () - stamped_ms) & 0xffffff);
}

static GstPadProbeReturn
stamp_probe (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstVideoInfo vinfo;
  GstVideoFrame frame;
  guint32 word = stamp_value (cohort_bench_stamp_now_ms ());

  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (caps == NULL || !gst_video_info_from_caps (&vinfo, caps) ||
      !gst_video_frame_map (&frame, &vinfo, buffer, GST_MAP_WRITE))
    return GST_PAD_PROBE_OK;

  for (guint bit = 0; bit < BAR_BITS; bit++)
    {
      guint8 luma = (word >> (BAR_BITS - 1 - bit)) & 1 ? 235 : 16;
      guint8 *plane = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
      guint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

      for (guint y = 0; y < BAR_BLOCK; y++)
        memset (plane + y * stride + bit * BAR_BLOCK, luma, BAR_BLOCK);
    }
  gst_video_frame_unmap (&frame);

  return GST_PAD_PROBE_OK;
}

GstElement *
cohort_bench_stamped_camera (void)
{
  GstElement *bin = gst_parse_bin_from_description ("videotestsrc is-live=true pattern=smpte "
                                                    "! video/x-raw,format=I420,width=1280,height=720,framerate=30/1 "
                                                    "! identity name=stamp", TRUE, NULL);
  g_autoptr(GstElement) identity = gst_bin_get_by_name (GST_BIN (bin), "stamp");
  g_autoptr(GstPad) pad = gst_element_get_static_pad (identity, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_probe, NULL, NULL);
  return bin;
}

gboolean
cohort_bench_stamp_read (GstSample *sample,
                         guint32   *ms)
{
  GstVideoInfo vinfo;
  GstVideoFrame frame;
  guint32 word = 0;
  guint block_w, block_h;

  if (!gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample)) ||
      GST_VIDEO_INFO_FORMAT (&vinfo) != GST_VIDEO_FORMAT_I420)
    return FALSE;
  /* A lower layer is the same picture scaled down: so are the blocks. */
  block_w = BAR_BLOCK * GST_VIDEO_INFO_WIDTH (&vinfo) / REF_WIDTH;
  block_h = BAR_BLOCK * GST_VIDEO_INFO_HEIGHT (&vinfo) / REF_HEIGHT;
  if (block_w < 4 || block_h < 4 ||
      !gst_video_frame_map (&frame, &vinfo, gst_sample_get_buffer (sample), GST_MAP_READ))
    return FALSE;

  for (guint bit = 0; bit < BAR_BITS; bit++)
    {
      const guint8 *plane = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
      guint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

      word = (word << 1) | (plane[(block_h / 2) * stride + bit * block_w + block_w / 2] > 128);
    }
  gst_video_frame_unmap (&frame);

  if (stamp_value (word >> 8) != word)
    return FALSE;
  *ms = word >> 8;
  return TRUE;
}

static GstElement *
on_teacher_source (CohortCall *call,
                   const char *what,
                   gpointer    user_data)
{
  if (g_str_equal (what, "camera"))
    return cohort_bench_stamped_camera ();
  if (g_str_equal (what, "microphone"))
    return gst_parse_bin_from_description ("audiotestsrc is-live=true wave=sine volume=0.2 samplesperbuffer=960",
                                           TRUE, NULL);
  return NULL;
}

void
cohort_bench_answer_teacher (CohortCall *call)
{
  g_signal_connect (call, "create-source", G_CALLBACK (on_teacher_source), NULL);
}
