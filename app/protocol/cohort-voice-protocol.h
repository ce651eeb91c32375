/* cohort-voice-protocol.h: names and limits of the voice room messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* docs/protocol-media.md ("Voice rooms") is the reference for every
 * constant here. */

/* Requests (client → server). */
#define COHORT_REQ_VOICE_JOIN      "voice.join"
#define COHORT_REQ_VOICE_TRICKLE   "voice.trickle"
#define COHORT_REQ_VOICE_LEAVE     "voice.leave"
#define COHORT_REQ_VOICE_MUTE      "voice.mute"
#define COHORT_REQ_VOICE_STATE     "voice.state"
/* The teacher follows every room of the class: answered like voice.state,
 * then voice.talking progress for every room (with its group_id) on this
 * request's id while the connection lasts. */
#define COHORT_REQ_VOICE_WATCH     "voice.watch"
/* The teacher sends every group to its room for N minutes, or calls them back. */
#define COHORT_REQ_VOICE_BREAKOUT     "voice.breakout"
#define COHORT_REQ_VOICE_BREAKOUT_END "voice.breakout_end"
#define COHORT_VOICE_MAX_BREAKOUT_MINUTES 120
#define COHORT_VOICE_CLASS_AUDIO_PAUSE "pause"
#define COHORT_VOICE_CLASS_AUDIO_LOW   "low"

/* Events (logged, seen by the group's members and the teacher). */
#define COHORT_EV_VOICE_JOINED     "voice.joined"
#define COHORT_EV_VOICE_LEFT       "voice.left"
#define COHORT_EV_VOICE_MUTED      "voice.muted"
/* Each group's members get their group_id; the teacher gets group_id 0. */
#define COHORT_EV_VOICE_BREAKOUT_STARTED "voice.breakout_started"
#define COHORT_EV_VOICE_BREAKOUT_ENDED   "voice.breakout_ended"

/* Why someone left a voice room (voice.left's "reason"). */
#define COHORT_VOICE_LEFT_LEFT     "left"       /* voice.leave, or joined another room */
#define COHORT_VOICE_LEFT_GONE     "gone"       /* the connection closed or dropped */
#define COHORT_VOICE_LEFT_REMOVED  "removed"    /* no longer a member of the group */
#define COHORT_VOICE_LEFT_RESTART  "restart"    /* the media server restarted: rejoin */

/* "progress" bodies the server sends to the joined connection, not logged,
 * with "re" the voice.join's id: {"signal": "voice.talking", "pc_id": N,
 * "group_id": N, "participant_id": N, "talking": bool} (also to a
 * voice.watch's id, without pc_id) and {"signal": "voice.hangup",
 * "pc_id": N, "reason": "…"} (one of the reasons above, or Janus's). */
#define COHORT_SIGNAL_VOICE_TALKING "voice.talking"
#define COHORT_SIGNAL_VOICE_HANGUP  "voice.hangup"

G_END_DECLS
