/* test-rtcp.c: the subscriber's RTCP, one compound packet per source
 *
 * Janus (1.1) reads only the first report block of a receiver report and
 * files the whole compound packet under that block's source; a PLI or
 * FIR filed under the audio is dropped. cohort_webrtc_split_rtcp() is
 * checked here on packets built like webrtcbin's bundled RTP session's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/rtp/rtp.h>

#include "cohort-media-webrtc.h"

#define OWN   0x11111111u
#define AUDIO 0x22222222u
#define VIDEO 0x33333333u

typedef enum {
  FEEDBACK_NONE,
  FEEDBACK_NACK,
  FEEDBACK_PLI,
  FEEDBACK_FIR,
} Feedback;

/* RR (with blocks for @blocks, 0-terminated) + SDES + @feedback about @about. */
static GstBuffer *
compound (const guint32 *blocks,
          Feedback       feedback,
          guint32        about)
{
  GstBuffer *buffer = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;

  g_assert_true (gst_rtcp_buffer_map (buffer, GST_MAP_READWRITE, &rtcp));
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
  gst_rtcp_packet_rr_set_ssrc (&packet, OWN);
  for (guint i = 0; blocks[i] != 0; i++)
    g_assert_true (gst_rtcp_packet_add_rb (&packet, blocks[i], 3, 17, 1000 + i, 5, 0x12345678, 0x1000));
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_SDES, &packet));
  g_assert_true (gst_rtcp_packet_sdes_add_item (&packet, OWN));
  g_assert_true (gst_rtcp_packet_sdes_add_entry (&packet, GST_RTCP_SDES_CNAME, 4, (const guint8 *) "user"));

  if (feedback == FEEDBACK_NACK)
    {
      guint8 *fci;

      g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RTPFB, &packet));
      gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_RTPFB_TYPE_NACK);
      gst_rtcp_packet_fb_set_sender_ssrc (&packet, OWN);
      gst_rtcp_packet_fb_set_media_ssrc (&packet, about);
      g_assert_true (gst_rtcp_packet_fb_set_fci_length (&packet, 1));
      fci = gst_rtcp_packet_fb_get_fci (&packet);
      GST_WRITE_UINT32_BE (fci, 1234u << 16);
    }
  else if (feedback == FEEDBACK_PLI)
    {
      g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_PSFB, &packet));
      gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_PSFB_TYPE_PLI);
      gst_rtcp_packet_fb_set_sender_ssrc (&packet, OWN);
      gst_rtcp_packet_fb_set_media_ssrc (&packet, about);
    }
  else if (feedback == FEEDBACK_FIR)
    {
      guint8 *fci;

      /* RFC 5104 §4.3.1: the header's media SSRC is 0, the FCI names it. */
      g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_PSFB, &packet));
      gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_PSFB_TYPE_FIR);
      gst_rtcp_packet_fb_set_sender_ssrc (&packet, OWN);
      gst_rtcp_packet_fb_set_media_ssrc (&packet, 0);
      g_assert_true (gst_rtcp_packet_fb_set_fci_length (&packet, 2));
      fci = gst_rtcp_packet_fb_get_fci (&packet);
      GST_WRITE_UINT32_BE (fci, about);
      GST_WRITE_UINT32_BE (fci + 4, 1u << 24);
    }
  gst_rtcp_buffer_unmap (&rtcp);

  return buffer;
}

/* What Janus looks at in one part: the report's single block's source,
 * whether a CNAME and which feedback travel with it. */
typedef struct
{
  guint   n_blocks;
  guint32 block_ssrc;
  gint32  block_lost;
  guint32 block_lsr;
  guint32 block_dlsr;
  gboolean sdes;
  GstRTCPType feedback_type;
  guint32 feedback_about;
} Part;

static Part
read_part (GstBuffer *buffer)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  Part part = { 0, 0, 0, 0, 0, FALSE, GST_RTCP_TYPE_INVALID, 0 };
  gboolean more;

  g_assert_true (gst_rtcp_buffer_validate (buffer));
  g_assert_true (gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp));
  g_assert_true (gst_rtcp_buffer_get_first_packet (&rtcp, &packet));
  /* A compound packet starts with the report. */
  g_assert_cmpint (gst_rtcp_packet_get_type (&packet), ==, GST_RTCP_TYPE_RR);
  g_assert_cmpuint (gst_rtcp_packet_rr_get_ssrc (&packet), ==, OWN);
  part.n_blocks = gst_rtcp_packet_get_rb_count (&packet);
  if (part.n_blocks > 0)
    {
      guint32 ssrc, exthighestseq, jitter;
      guint8 fractionlost;

      gst_rtcp_packet_get_rb (&packet, 0, &ssrc, &fractionlost, &part.block_lost, &exthighestseq,
                              &jitter, &part.block_lsr, &part.block_dlsr);
      part.block_ssrc = ssrc;
    }
  for (more = gst_rtcp_packet_move_to_next (&packet); more; more = gst_rtcp_packet_move_to_next (&packet))
    {
      GstRTCPType type = gst_rtcp_packet_get_type (&packet);

      if (type == GST_RTCP_TYPE_SDES)
        part.sdes = TRUE;
      else if (type == GST_RTCP_TYPE_RTPFB || type == GST_RTCP_TYPE_PSFB)
        {
          g_assert_cmpint (part.feedback_type, ==, GST_RTCP_TYPE_INVALID);
          part.feedback_type = type;
          part.feedback_about = gst_rtcp_packet_fb_get_media_ssrc (&packet);
          if (part.feedback_about == 0)
            part.feedback_about = GST_READ_UINT32_BE (gst_rtcp_packet_fb_get_fci (&packet));
        }
    }
  gst_rtcp_buffer_unmap (&rtcp);

  return part;
}

/* Audio's block first, a NACK about the video: two parts, the video's
 * (with the NACK) first, each with its own block and the CNAME. */
static void
test_split_bundled_report (void)
{
  const guint32 blocks[] = { AUDIO, VIDEO, 0 };
  g_autoptr(GstBuffer) buffer = compound (blocks, FEEDBACK_NACK, VIDEO);
  g_autoptr(GPtrArray) parts = cohort_webrtc_split_rtcp (buffer);
  Part video, audio;

  g_assert_nonnull (parts);
  g_assert_cmpuint (parts->len, ==, 2);
  video = read_part (g_ptr_array_index (parts, 0));
  audio = read_part (g_ptr_array_index (parts, 1));

  g_assert_cmpuint (video.n_blocks, ==, 1);
  g_assert_cmpuint (video.block_ssrc, ==, VIDEO);
  g_assert_cmpint (video.block_lost, ==, 17);
  /* Janus's RTT comes from these: the delay since the sender report is
   * reported 1 ms (and a little) short, so that a LAN's round trip is
   * not taken for none. */
  g_assert_cmpuint (video.block_lsr, ==, 0x12345678);
  g_assert_cmpuint (video.block_dlsr, ==, 0x1000 - 70);
  g_assert_true (video.sdes);
  g_assert_cmpint (video.feedback_type, ==, GST_RTCP_TYPE_RTPFB);
  g_assert_cmpuint (video.feedback_about, ==, VIDEO);

  g_assert_cmpuint (audio.n_blocks, ==, 1);
  g_assert_cmpuint (audio.block_ssrc, ==, AUDIO);
  g_assert_cmpuint (audio.block_lsr, ==, 0x12345678);
  g_assert_true (audio.sdes);
  g_assert_cmpint (audio.feedback_type, ==, GST_RTCP_TYPE_INVALID);
}

/* One block, and a FIR about that source: they stay together (the FIR's
 * header names no source, its FCI does). */
static void
test_fir_stays_with_its_source (void)
{
  const guint32 blocks[] = { VIDEO, 0 };
  g_autoptr(GstBuffer) buffer = compound (blocks, FEEDBACK_FIR, VIDEO);
  g_autoptr(GPtrArray) parts = cohort_webrtc_split_rtcp (buffer);
  const guint32 both[] = { AUDIO, VIDEO, 0 };
  g_autoptr(GstBuffer) bundled = compound (both, FEEDBACK_FIR, VIDEO);
  g_autoptr(GPtrArray) bundled_parts = cohort_webrtc_split_rtcp (bundled);
  Part video;

  g_assert_nonnull (parts);
  g_assert_cmpuint (parts->len, ==, 1);
  video = read_part (g_ptr_array_index (parts, 0));
  g_assert_cmpuint (video.block_ssrc, ==, VIDEO);
  g_assert_cmpint (video.feedback_type, ==, GST_RTCP_TYPE_PSFB);
  g_assert_cmpuint (video.feedback_about, ==, VIDEO);

  /* With the audio's block first, the FIR goes with the video's. */
  g_assert_nonnull (bundled_parts);
  g_assert_cmpuint (bundled_parts->len, ==, 2);
  video = read_part (g_ptr_array_index (bundled_parts, 0));
  g_assert_cmpuint (video.block_ssrc, ==, VIDEO);
  g_assert_cmpint (video.feedback_type, ==, GST_RTCP_TYPE_PSFB);
  g_assert_cmpuint (video.feedback_about, ==, VIDEO);
}

/* No block yet (nothing received), a PLI: an empty block for the PLI's
 * source, which Janus files it by. */
static void
test_pli_without_report (void)
{
  const guint32 blocks[] = { 0 };
  g_autoptr(GstBuffer) buffer = compound (blocks, FEEDBACK_PLI, VIDEO);
  g_autoptr(GPtrArray) parts = cohort_webrtc_split_rtcp (buffer);
  Part part;

  g_assert_nonnull (parts);
  g_assert_cmpuint (parts->len, ==, 1);
  part = read_part (g_ptr_array_index (parts, 0));
  g_assert_cmpuint (part.n_blocks, ==, 1);
  g_assert_cmpuint (part.block_ssrc, ==, VIDEO);
  g_assert_cmpuint (part.block_dlsr, ==, 0);
  g_assert_cmpint (part.feedback_type, ==, GST_RTCP_TYPE_PSFB);
}

/* A sender report as Janus sends it: SR (NTP time, no blocks) + SDES. */
static GstBuffer *
sender_report (guint32 ssrc,
               guint64 ntp)
{
  GstBuffer *buffer = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;

  g_assert_true (gst_rtcp_buffer_map (buffer, GST_MAP_READWRITE, &rtcp));
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_SR, &packet));
  gst_rtcp_packet_sr_set_sender_info (&packet, ssrc, ntp, 90000, 100, 100000);
  g_assert_true (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_SDES, &packet));
  g_assert_true (gst_rtcp_packet_sdes_add_item (&packet, ssrc));
  gst_rtcp_buffer_unmap (&rtcp);

  return buffer;
}

/* rtpsession's early feedback packets carry no report block, and while
 * NACKs flow it sends nothing else: a student who joined into 10 % loss
 * never gave Janus a round trip, so Janus kept nothing to retransmit.
 * The part made for the NACK gets the last sender report's time and the
 * delay since (less the 1 ms bias); a real block keeps its own. */
static void
test_feedback_carries_sender_report_time (void)
{
  const guint32 none[] = { 0 };
  const guint32 blocks[] = { VIDEO, 0 };
  g_autoptr(GstBuffer) sr_video = sender_report (VIDEO, G_GUINT64_CONSTANT (0x0102030405060708));
  g_autoptr(GstBuffer) sr_audio = sender_report (AUDIO, G_GUINT64_CONSTANT (0x1112131415161718));
  g_autoptr(GstBuffer) nack = compound (none, FEEDBACK_NACK, VIDEO);
  g_autoptr(GstBuffer) report = compound (blocks, FEEDBACK_NONE, 0);
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) report_parts = NULL;
  CohortRtcpSenderReport srs[4];
  guint n_srs = 0;
  Part part;

  n_srs = cohort_webrtc_note_sender_reports (sr_audio, srs, n_srs, G_N_ELEMENTS (srs), 1000000);
  n_srs = cohort_webrtc_note_sender_reports (sr_video, srs, n_srs, G_N_ELEMENTS (srs), 2000000);
  /* A newer report of the same source replaces the older. */
  n_srs = cohort_webrtc_note_sender_reports (sr_video, srs, n_srs, G_N_ELEMENTS (srs), 3000000);
  g_assert_cmpuint (n_srs, ==, 2);

  /* Half a second after the video's last report: 32768/65536 s. */
  parts = cohort_webrtc_split_rtcp_at (nack, srs, n_srs, 3500000);
  g_assert_nonnull (parts);
  g_assert_cmpuint (parts->len, ==, 1);
  part = read_part (g_ptr_array_index (parts, 0));
  g_assert_cmpuint (part.n_blocks, ==, 1);
  g_assert_cmpuint (part.block_ssrc, ==, VIDEO);
  g_assert_cmpuint (part.block_lsr, ==, 0x03040506);
  g_assert_cmpuint (part.block_dlsr, ==, 32768 - 70);
  g_assert_cmpint (part.feedback_type, ==, GST_RTCP_TYPE_RTPFB);

  /* rtpsession's own block keeps its own figures. */
  report_parts = cohort_webrtc_split_rtcp_at (report, srs, n_srs, 3500000);
  g_assert_nonnull (report_parts);
  part = read_part (g_ptr_array_index (report_parts, 0));
  g_assert_cmpuint (part.block_lsr, ==, 0x12345678);
  g_assert_cmpuint (part.block_dlsr, ==, 0x1000 - 70);
}

/* A source no sender report came from keeps an empty block. */
static void
test_feedback_without_sender_report (void)
{
  const guint32 none[] = { 0 };
  g_autoptr(GstBuffer) sr_audio = sender_report (AUDIO, G_GUINT64_CONSTANT (0x1112131415161718));
  g_autoptr(GstBuffer) nack = compound (none, FEEDBACK_NACK, VIDEO);
  g_autoptr(GPtrArray) parts = NULL;
  CohortRtcpSenderReport srs[1];
  guint n_srs;
  Part part;

  n_srs = cohort_webrtc_note_sender_reports (sr_audio, srs, 0, G_N_ELEMENTS (srs), 1000000);
  /* Full: a report of another source is not noted. */
  g_assert_cmpuint (cohort_webrtc_note_sender_reports (nack, srs, n_srs, G_N_ELEMENTS (srs), 1000000), ==, 1);
  parts = cohort_webrtc_split_rtcp_at (nack, srs, n_srs, 2000000);
  part = read_part (g_ptr_array_index (parts, 0));
  g_assert_cmpuint (part.block_ssrc, ==, VIDEO);
  g_assert_cmpuint (part.block_lsr, ==, 0);
  g_assert_cmpuint (part.block_dlsr, ==, 0);
}

/* What it does not understand goes as it came: a truncated packet. */
static void
test_malformed_untouched (void)
{
  const guint32 blocks[] = { AUDIO, VIDEO, 0 };
  g_autoptr(GstBuffer) buffer = compound (blocks, FEEDBACK_NACK, VIDEO);
  g_autoptr(GstBuffer) cut = gst_buffer_copy_region (buffer, GST_BUFFER_COPY_ALL, 0,
                                                     gst_buffer_get_size (buffer) - 6);
  g_autoptr(GPtrArray) parts = cohort_webrtc_split_rtcp (cut);

  g_assert_null (parts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/media/rtcp/split-bundled-report", test_split_bundled_report);
  g_test_add_func ("/media/rtcp/fir-stays-with-its-source", test_fir_stays_with_its_source);
  g_test_add_func ("/media/rtcp/pli-without-report", test_pli_without_report);
  g_test_add_func ("/media/rtcp/malformed-untouched", test_malformed_untouched);
  g_test_add_func ("/media/rtcp/feedback-carries-sender-report-time", test_feedback_carries_sender_report_time);
  g_test_add_func ("/media/rtcp/feedback-without-sender-report", test_feedback_without_sender_report);

  return g_test_run ();
}
