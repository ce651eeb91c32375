/* cohort-voice-protocol.c: the voice room requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol-private.h"
#include "cohort-voice-protocol.h"

static const char * const left_reasons[] = {
  COHORT_VOICE_LEFT_LEFT,
  COHORT_VOICE_LEFT_GONE,
  COHORT_VOICE_LEFT_REMOVED,
  COHORT_VOICE_LEFT_RESTART,
  NULL
};

static const char * const class_audio[] = {
  COHORT_VOICE_CLASS_AUDIO_PAUSE,
  COHORT_VOICE_CLASS_AUDIO_LOW,
  NULL
};

static const CohortFieldSpec no_fields[] = { COHORT_END_FIELDS };

static const CohortFieldSpec breakout_fields[] = {
  { "minutes", COHORT_FIELD_INT, TRUE, 1, COHORT_VOICE_MAX_BREAKOUT_MINUTES },
  { "class_audio", COHORT_FIELD_ENUM, FALSE, 0, 0, NULL, class_audio },
  COHORT_END_FIELDS
};

/* The SDP and candidate rules are the media requests' own. */
static const CohortFieldSpec join_fields[] = {
  { "group_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "sdp", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_sdp },
  { "muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec trickle_fields[] = {
  { "pc_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "candidates", COHORT_FIELD_CUSTOM, FALSE, 0, 0, _cohort_protocol_validate_candidates },
  { "completed", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec mute_fields[] = {
  { "muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortMessageSpec requests[] = {
  { COHORT_REQ_VOICE_JOIN, FALSE, join_fields },
  { COHORT_REQ_VOICE_TRICKLE, FALSE, trickle_fields },
  { COHORT_REQ_VOICE_LEAVE, FALSE, no_fields },
  { COHORT_REQ_VOICE_MUTE, FALSE, mute_fields },
  { COHORT_REQ_VOICE_STATE, FALSE, no_fields },
  { COHORT_REQ_VOICE_WATCH, FALSE, no_fields },
  { COHORT_REQ_VOICE_BREAKOUT, FALSE, breakout_fields },
  { COHORT_REQ_VOICE_BREAKOUT_END, FALSE, no_fields },
};

static const CohortFieldSpec ev_breakout_fields[] = {
  { "group_id", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "ends_at", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "class_audio", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, class_audio },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_joined_fields[] = {
  { "group_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_left_fields[] = {
  { "group_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "reason", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, left_reasons },
  COHORT_END_FIELDS
};

static const CohortMessageSpec events[] = {
  { COHORT_EV_VOICE_JOINED, FALSE, ev_joined_fields },
  { COHORT_EV_VOICE_LEFT, FALSE, ev_left_fields },
  { COHORT_EV_VOICE_MUTED, FALSE, ev_joined_fields },
  { COHORT_EV_VOICE_BREAKOUT_STARTED, FALSE, ev_breakout_fields },
  { COHORT_EV_VOICE_BREAKOUT_ENDED, FALSE, no_fields },
};

const CohortProtocolTable _cohort_protocol_voice_table = {
  requests, G_N_ELEMENTS (requests),
  events, G_N_ELEMENTS (events),
};
