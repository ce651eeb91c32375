/* cohort-media-stamp.c: a capture-time barcode drawn into test video
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-media-stamp"

#include "config.h"

#include <string.h>

#include <gst/video/video.h>

#include "cohort-media-stamp.h"

#define BAR_BITS  32
#define BAR_BLOCK 40

G_STATIC_ASSERT (BAR_BITS * BAR_BLOCK == COHORT_MEDIA_STAMP_MIN_WIDTH);

static guint32
stamp_value (guint32 ms)
{
  guint32 v = ms & 0xffffff;
  guint8 check = ((v >> 16) ^ (v >> 8) ^ v ^ 0x5a) & 0xff;

  return (v << 8) | check;
}

static gboolean
stamp_decode (guint32  word,
              guint32 *ms)
{
  guint32 v = word >> 8;

  if (stamp_value (v) != word)
    return FALSE;
  *ms = v;
  return TRUE;
}

guint32
cohort_media_stamp_now_ms (void)
{
  return (guint32) (g_get_monotonic_time () / 1000) & 0xffffff;
}

double
cohort_media_stamp_age_ms (guint32 stamped_ms)
{
  return (double) ((cohort_media_stamp_now_ms () - stamped_ms) & 0xffffff);
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
  guint32 word = stamp_value (cohort_media_stamp_now_ms ());

  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (caps == NULL || !gst_video_info_from_caps (&vinfo, caps) ||
      GST_VIDEO_INFO_WIDTH (&vinfo) < COHORT_MEDIA_STAMP_MIN_WIDTH ||
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

gboolean
cohort_media_stamp_read (GstSample *sample,
                         guint32   *ms)
{
  GstVideoInfo vinfo;
  GstVideoFrame frame;
  guint32 word = 0;
  guint block;

  if (!gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample)) ||
      GST_VIDEO_INFO_FORMAT (&vinfo) != GST_VIDEO_FORMAT_I420)
    return FALSE;
  /* A lower simulcast layer is the same picture scaled down: so are the
   * blocks. */
  block = BAR_BLOCK * MIN (GST_VIDEO_INFO_WIDTH (&vinfo), COHORT_MEDIA_STAMP_MIN_WIDTH) /
          COHORT_MEDIA_STAMP_MIN_WIDTH;
  if (block < 4 || (guint) GST_VIDEO_INFO_HEIGHT (&vinfo) < block ||
      !gst_video_frame_map (&frame, &vinfo, gst_sample_get_buffer (sample), GST_MAP_READ))
    return FALSE;

  for (guint bit = 0; bit < BAR_BITS; bit++)
    {
      const guint8 *plane = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
      guint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

      word = (word << 1) | (plane[(block / 2) * stride + bit * block + block / 2] > 128);
    }
  gst_video_frame_unmap (&frame);

  return stamp_decode (word, ms);
}

GstElement *
cohort_media_stamp_camera_new (guint width,
                               guint height)
{
  g_autofree char *desc = g_strdup_printf ("videotestsrc is-live=true pattern=smpte "
                                           "! video/x-raw,format=I420,width=%u,height=%u,framerate=30/1 "
                                           "! identity name=stamp", width, height);
  GstElement *bin = gst_parse_bin_from_description (desc, TRUE, NULL);
  g_autoptr(GstElement) identity = gst_bin_get_by_name (GST_BIN (bin), "stamp");
  g_autoptr(GstPad) pad = gst_element_get_static_pad (identity, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_probe, NULL, NULL);
  return bin;
}

static GstElement *
on_teacher_source (CohortCall *call,
                   const char *what,
                   gpointer    user_data)
{
  if (g_str_equal (what, "camera"))
    return cohort_media_stamp_camera_new (1280, 720);
  if (g_str_equal (what, "microphone"))
    return gst_parse_bin_from_description ("audiotestsrc is-live=true wave=sine volume=0.2 samplesperbuffer=960",
                                           TRUE, NULL);
  return NULL;
}

void
cohort_media_stamp_answer_teacher (CohortCall *call)
{
  g_signal_connect (call, "create-source", G_CALLBACK (on_teacher_source), NULL);
}
