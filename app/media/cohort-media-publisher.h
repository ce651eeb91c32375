/* cohort-media-publisher.h: one send-only webrtcbin (camera + mic, or a screen)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum
{
  COHORT_VIDEO_PRESET_360P,
  COHORT_VIDEO_PRESET_720P,
  COHORT_VIDEO_PRESET_1080P,
} CohortVideoPreset;

typedef enum
{
  COHORT_VIDEO_CODEC_AUTO,
  COHORT_VIDEO_CODEC_VP8,
  COHORT_VIDEO_CODEC_H264,
} CohortVideoCodec;

/* Sends one feed to Janus: VP8 (or H.264) and Opus with in-band FEC and
 * DTX, SENDONLY transceivers, max-bundle, NACK. The encoder's target is
 * min (preset's ceiling and room's cap, Janus's REMB, the publisher's own
 * estimate from the loss and round-trip time in Janus's receiver
 * reports); a screen share lowers its frame rate before its quality.
 *
 * Every signal is emitted on the main context the publisher was made on:
 * offer (const char *sdp), ice-candidate (guint mline, const char *cand),
 * ice-gathering-done, failed (const char *message) when the pipeline or
 * ICE fails, first-frame-sent. Properties: kind, has-audio, has-video,
 * audio-muted, video-muted, bitrate (the encoder's target, bit/s). */
#define COHORT_TYPE_PUBLISHER (cohort_publisher_get_type ())
G_DECLARE_FINAL_TYPE (CohortPublisher, cohort_publisher, COHORT, PUBLISHER, GObject)

/* @video_source and @audio_source (floating or owned refs, taken) may be
 * NULL: no camera means no video m-line, never a test pattern. A source is
 * a GstElement with one "src" pad. @preview_sink, if set, gets the raw
 * video too (the local self view). @max_bitrate 0: the preset's. */
CohortPublisher   *cohort_publisher_new               (const char          *kind,
                                                       GstElement          *video_source,
                                                       GstElement          *audio_source,
                                                       GstElement          *preview_sink,
                                                       CohortVideoPreset    preset,
                                                       CohortVideoCodec     codec,
                                                       guint                max_bitrate,
                                                       const char * const  *ice_addresses,
                                                       GError             **error);
gboolean           cohort_publisher_start             (CohortPublisher     *self,
                                                       GError             **error);
gboolean           cohort_publisher_set_answer        (CohortPublisher     *self,
                                                       const char          *sdp,
                                                       GError             **error);
void               cohort_publisher_stop              (CohortPublisher     *self);

const char        *cohort_publisher_get_kind          (CohortPublisher     *self);
gboolean           cohort_publisher_get_has_audio     (CohortPublisher     *self);
gboolean           cohort_publisher_get_has_video     (CohortPublisher     *self);
gboolean           cohort_publisher_get_audio_muted   (CohortPublisher     *self);
void               cohort_publisher_set_audio_muted   (CohortPublisher     *self,
                                                       gboolean             muted);
gboolean           cohort_publisher_get_video_muted   (CohortPublisher     *self);
void               cohort_publisher_set_video_muted   (CohortPublisher     *self,
                                                       gboolean             muted);
guint              cohort_publisher_get_bitrate       (CohortPublisher     *self);
/* Video layers sent (the full picture and the lower ones); 0 without video. */
guint              cohort_publisher_get_n_layers      (CohortPublisher     *self);
/* The encoder names this build would use for @codec (for diagnostics). */
const char        *cohort_publisher_pick_encoder      (CohortVideoCodec     codec);
/* The encoder element this publisher runs ("x264enc", "vp8enc", ...). */
const char        *cohort_publisher_get_encoder       (CohortPublisher     *self);
void               cohort_video_preset_get_size       (CohortVideoPreset    preset,
                                                       guint               *width,
                                                       guint               *height,
                                                       guint               *bitrate);

/* One video layer: raw video of any size in (its "sink" pad), RTP out (its
 * "src" pad, payload type @payload_type, with the TWCC header extension).
 * It scales to @width x @height (borders, aspect kept), drops to @fps and
 * runs @encoder ("vp8enc", "x264enc", "openh264enc", "vaapih264enc", as
 * cohort_publisher_pick_encoder() names them) with real-time CBR settings
 * that hold @bitrate (bit/s); @screen tunes for text (sharper, fewer
 * frames). The publisher builds its own video with this; a low layer sent
 * beside it is one more call. Returns a floating GstBin. */
GstElement        *cohort_video_layer_new             (const char          *encoder,
                                                       gboolean             screen,
                                                       guint                width,
                                                       guint                height,
                                                       guint                fps,
                                                       guint                bitrate,
                                                       guint                payload_type,
                                                       GError             **error);
/* The encoder's target (bit/s, at least 30000), from any thread. */
void               cohort_video_layer_set_bitrate     (GstElement          *layer,
                                                       guint                bitrate);
/* Passes at most @fps frames a second to the encoder (0: all), from any
 * thread; the size and the caps stay as they are. */
void               cohort_video_layer_set_max_fps     (GstElement          *layer,
                                                       guint                fps);
guint              cohort_video_layer_get_max_fps     (GstElement          *layer);

G_END_DECLS
