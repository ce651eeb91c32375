/* cohort-voice-room.h: this client in a study group's voice room
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-classroom.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* The receive jitter buffer: what a conversation can afford (webrtcbin's
 * default is 200 ms); bench/cohort-bench-voice.c's floor uses it too. */
#define COHORT_VOICE_LATENCY_MS 60

typedef enum
{
  COHORT_VOICE_STATE_IDLE,        /* in no room */
  COHORT_VOICE_STATE_JOINING,     /* asked, or rejoining after a drop or a restart */
  COHORT_VOICE_STATE_JOINED,      /* the server let us in */
} CohortVoiceState;

/* One webrtcbin: the microphone up (Opus, in-band FEC, DTX, RFC 6464
 * audio levels), the room's mix down. GTK-free.
 *
 * Properties: session (construct-only), group-id (the room wanted, 0:
 * none), state (CohortVoiceState), muted (read-write: the user's choice),
 * push-to-talk (read-write: the microphone is open only while
 * talk-pressed), talk-pressed (read-write), receiving (the mix has
 * decoded audio since the last join), breakout-ends-at (a breakout the
 * teacher started ends then, ms since the epoch; 0: none; a student's
 * room joins their group's for it and leaves at its end) and class-audio
 * ("pause" or "low": what the class's sound does meanwhile, applied to
 * the classroom given to cohort_voice_room_set_classroom).
 *
 * Signals: create-source ("microphone") and create-sink ("voice") are
 * request signals as in CohortCall (the first handler to return an
 * element wins; nobody: autoaudiosrc, and a fakesink as the call engine
 * plays into without a speaker; the app answers with its devices); members-changed
 * (gint64 group_id) when who is in a room or muted changed;
 * talking-changed (gint64 participant_id, gboolean talking); voice-error
 * (const char *message). */
#define COHORT_TYPE_VOICE_ROOM (cohort_voice_room_get_type ())
G_DECLARE_FINAL_TYPE (CohortVoiceRoom, cohort_voice_room, COHORT, VOICE_ROOM, GObject)

CohortVoiceRoom  *cohort_voice_room_new              (CohortSession   *session);
/* Joins @group_id's room (leaving another); it is rejoined by itself
 * after a network drop or a media server restart until left. */
void              cohort_voice_room_join             (CohortVoiceRoom *self,
                                                      gint64           group_id);
void              cohort_voice_room_leave            (CohortVoiceRoom *self);
gint64            cohort_voice_room_get_group_id     (CohortVoiceRoom *self);
CohortVoiceState  cohort_voice_room_get_state        (CohortVoiceRoom *self);
gboolean          cohort_voice_room_get_muted        (CohortVoiceRoom *self);
void              cohort_voice_room_set_muted        (CohortVoiceRoom *self,
                                                      gboolean         muted);
gboolean          cohort_voice_room_get_push_to_talk (CohortVoiceRoom *self);
void              cohort_voice_room_set_push_to_talk (CohortVoiceRoom *self,
                                                      gboolean         push_to_talk);
void              cohort_voice_room_set_talk_pressed (CohortVoiceRoom *self,
                                                      gboolean         pressed);
gboolean          cohort_voice_room_get_receiving    (CohortVoiceRoom *self);
gint64            cohort_voice_room_get_breakout_ends_at (CohortVoiceRoom *self);
const char       *cohort_voice_room_get_class_audio  (CohortVoiceRoom *self);
/* The participant ids in @group_id's room, as the server last said. */
GArray           *cohort_voice_room_dup_members      (CohortVoiceRoom *self,
                                                      gint64           group_id);
gboolean          cohort_voice_room_is_member_muted  (CohortVoiceRoom *self,
                                                      gint64           group_id,
                                                      gint64           participant_id);
gboolean          cohort_voice_room_is_talking       (CohortVoiceRoom *self,
                                                      gint64           participant_id);
/* Someone in @group_id's room talks: the teacher hears of every room
 * (voice.watch), a student of their own. */
gboolean          cohort_voice_room_is_room_talking  (CohortVoiceRoom *self,
                                                      gint64           group_id);
/* A student's class sound (@classroom's) pauses or stays low during a
 * breakout, as the teacher chose, and comes back after. */
void              cohort_voice_room_set_classroom    (CohortVoiceRoom *self,
                                                      CohortClassroom *classroom);

G_END_DECLS
