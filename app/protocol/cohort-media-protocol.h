/* cohort-media-protocol.h: names and limits of the media messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* docs/protocol-media.md is the reference for every constant here. */
#define COHORT_MEDIA_MAX_SDP_CHARS        16000
#define COHORT_MEDIA_MAX_CANDIDATE_CHARS  512
#define COHORT_MEDIA_MAX_CANDIDATES       16
#define COHORT_MEDIA_MAX_MLINE            15
#define COHORT_MEDIA_DEFAULT_STAGE_LIMIT  6
#define COHORT_MEDIA_MAX_STAGE_LIMIT      16
/* A camera feed's video layers, best first (0 = 1280×720, 1 = 640×360,
 * 2 = 320×180); media.layer's LAYER_PAUSED stops the video, not the sound. */
#define COHORT_MEDIA_MAX_LAYERS           3
#define COHORT_MEDIA_LAYER_PAUSED         COHORT_MEDIA_MAX_LAYERS

/* Requests (client → server). */
#define COHORT_REQ_MEDIA_PUBLISH      "media.publish"
#define COHORT_REQ_MEDIA_UNPUBLISH    "media.unpublish"
#define COHORT_REQ_MEDIA_SUBSCRIBE    "media.subscribe"
#define COHORT_REQ_MEDIA_UNSUBSCRIBE  "media.unsubscribe"
#define COHORT_REQ_MEDIA_ANSWER       "media.answer"
#define COHORT_REQ_MEDIA_TRICKLE      "media.trickle"
#define COHORT_REQ_MEDIA_MUTE         "media.mute"
#define COHORT_REQ_MEDIA_MUTE_ALL     "media.mute_all"
#define COHORT_REQ_MEDIA_MUTE_STUDENT "media.mute_student"
#define COHORT_REQ_MEDIA_ALLOW_UNMUTE "media.allow_unmute"
#define COHORT_REQ_MEDIA_STATE       "media.state"
#define COHORT_REQ_MEDIA_LAYER        "media.layer"
#define COHORT_REQ_MEDIA_QUALITY      "media.quality"
#define COHORT_REQ_STAGE_INVITE       "stage.invite"
#define COHORT_REQ_STAGE_ACCEPT       "stage.accept"
#define COHORT_REQ_STAGE_DECLINE      "stage.decline"
#define COHORT_REQ_STAGE_REMOVE       "stage.remove"

/* Events (server → class, logged with a seq). */
#define COHORT_EV_MEDIA_FEED_ADDED    "media.feed_added"
#define COHORT_EV_MEDIA_FEED_UPDATED  "media.feed_updated"
#define COHORT_EV_MEDIA_FEED_REMOVED  "media.feed_removed"
#define COHORT_EV_STAGE_INVITED       "stage.invited"
#define COHORT_EV_STAGE_DECLINED      "stage.declined"
#define COHORT_EV_STAGE_JOINED        "stage.joined"
#define COHORT_EV_STAGE_LEFT          "stage.left"
/* The teacher muted a student's microphone at the SFU (media.mute_all,
 * media.mute_student). */
#define COHORT_EV_MEDIA_MUTED_BY_TEACHER "media.muted_by_teacher"
/* The teacher lifted keep_muted: the student may unmute (media.allow_unmute). */
#define COHORT_EV_MEDIA_UNMUTE_ALLOWED "media.unmute_allowed"
/* Seen by the teacher only. */
#define COHORT_EV_MEDIA_LINK_QUALITY  "media.link_quality"

/* media.quality levels, as the student's link estimator names them. */
#define COHORT_MEDIA_QUALITY_GOOD     "good"
#define COHORT_MEDIA_QUALITY_FAIR     "fair"
#define COHORT_MEDIA_QUALITY_POOR     "poor"

/* "progress" bodies the server sends to one connection, not logged:
 * {"signal": "media.hangup", "pc_id": N, "reason": "…"}. */
#define COHORT_SIGNAL_MEDIA_HANGUP    "media.hangup"

#define COHORT_MEDIA_KIND_CAMERA      "camera"
#define COHORT_MEDIA_KIND_SCREEN      "screen"

G_END_DECLS
