/* cohort-media-protocol.c: the media requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-media-protocol.h"
#include "cohort-protocol-private.h"

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* An SDP blob: a string of at most COHORT_MEDIA_MAX_SDP_CHARS bytes that
 * starts with "v=0". What is inside is Janus's or webrtcbin's business. */
gboolean
_cohort_protocol_validate_sdp (JsonObject            *body,
              const CohortFieldSpec *spec,
              JsonNode              *node,
              CohortProtocolFailure *failure)
{
  const char *sdp;

  if (!node_is_string (node))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be a string.", spec->name);

  sdp = json_node_get_string (node);
  if (strlen (sdp) > COHORT_MEDIA_MAX_SDP_CHARS)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                  spec->name, "The session description is longer than %d bytes.",
                                  COHORT_MEDIA_MAX_SDP_CHARS);

  if (!g_str_has_prefix (sdp, "v=0"))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                  spec->name, "The field “%s” is not a session description.",
                                  spec->name);

  return TRUE;
}

/* [{"candidate": "candidate:…", "sdpMLineIndex": 0}, …] */
gboolean
_cohort_protocol_validate_candidates (JsonObject            *body,
                     const CohortFieldSpec *spec,
                     JsonNode              *node,
                     CohortProtocolFailure *failure)
{
  JsonArray *array;
  guint n;

  if (!(array = _cohort_protocol_require_array (spec, node, failure)))
    return FALSE;
  n = json_array_get_length (array);
  if (n > COHORT_MEDIA_MAX_CANDIDATES)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                  spec->name, "At most %d candidates fit in one message.",
                                  COHORT_MEDIA_MAX_CANDIDATES);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *candidate;
      JsonNode *mline;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                      spec->name, "Each candidate must be an object.");

      object = json_node_get_object (element);
      candidate = json_object_get_member (object, "candidate");
      mline = json_object_get_member (object, "sdpMLineIndex");

      if (candidate == NULL || mline == NULL)
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_MISSING_FIELD,
                                      spec->name,
                                      "Each candidate needs “candidate” and “sdpMLineIndex”.");
      if (!node_is_string (candidate) || !node_is_int (mline))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                      spec->name,
                                      "A candidate has a string “candidate” and an integer “sdpMLineIndex”.");

      if (!g_str_has_prefix (json_node_get_string (candidate), "candidate:") ||
          strlen (json_node_get_string (candidate)) > COHORT_MEDIA_MAX_CANDIDATE_CHARS ||
          strpbrk (json_node_get_string (candidate), "\r\n") != NULL)
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                      spec->name, "A candidate is not a well-formed ICE candidate.");

      if (json_node_get_int (mline) < 0 || json_node_get_int (mline) > COHORT_MEDIA_MAX_MLINE)
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                      spec->name, "“sdpMLineIndex” must be between 0 and %d.",
                                      COHORT_MEDIA_MAX_MLINE);
    }

  return TRUE;
}

static const char * const kinds[] = {
  COHORT_MEDIA_KIND_CAMERA,
  COHORT_MEDIA_KIND_SCREEN,
  NULL
};

static const CohortFieldSpec no_fields[] = { COHORT_END_FIELDS };

static const char * const qualities[] = {
  COHORT_MEDIA_QUALITY_GOOD,
  COHORT_MEDIA_QUALITY_FAIR,
  COHORT_MEDIA_QUALITY_POOR,
  NULL
};

static const CohortFieldSpec publish_fields[] = {
  { "kind", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, kinds },
  { "sdp", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_sdp },
  { "audio", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "video", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "audio_muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "video_muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec pc_fields[] = {
  { "pc_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec subscribe_fields[] = {
  { "feed_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec answer_fields[] = {
  { "pc_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "sdp", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_sdp },
  COHORT_END_FIELDS
};

static const CohortFieldSpec trickle_fields[] = {
  { "pc_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "candidates", COHORT_FIELD_CUSTOM, FALSE, 0, 0, _cohort_protocol_validate_candidates },
  { "completed", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec mute_fields[] = {
  { "pc_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "audio_muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "video_muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec mute_all_fields[] = {
  { "keep_muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec mute_student_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "keep_muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec layer_fields[] = {
  { "pc_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "layer", COHORT_FIELD_INT, TRUE, 0, COHORT_MEDIA_LAYER_PAUSED },
  COHORT_END_FIELDS
};

static const CohortFieldSpec quality_fields[] = {
  { "level", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, qualities },
  COHORT_END_FIELDS
};

static const CohortFieldSpec participant_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec optional_participant_fields[] = {
  { "participant_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec requests[] = {
  { COHORT_REQ_MEDIA_PUBLISH, FALSE, publish_fields },
  { COHORT_REQ_MEDIA_UNPUBLISH, FALSE, pc_fields },
  { COHORT_REQ_MEDIA_SUBSCRIBE, FALSE, subscribe_fields },
  { COHORT_REQ_MEDIA_UNSUBSCRIBE, FALSE, pc_fields },
  { COHORT_REQ_MEDIA_ANSWER, FALSE, answer_fields },
  { COHORT_REQ_MEDIA_TRICKLE, FALSE, trickle_fields },
  { COHORT_REQ_MEDIA_MUTE, FALSE, mute_fields },
  { COHORT_REQ_MEDIA_MUTE_ALL, FALSE, mute_all_fields },
  { COHORT_REQ_MEDIA_MUTE_STUDENT, FALSE, mute_student_fields },
  /* participant_id absent: every student the teacher keeps muted. */
  { COHORT_REQ_MEDIA_ALLOW_UNMUTE, FALSE, optional_participant_fields },
  { COHORT_REQ_MEDIA_STATE, FALSE, no_fields },
  { COHORT_REQ_MEDIA_LAYER, FALSE, layer_fields },
  { COHORT_REQ_MEDIA_QUALITY, FALSE, quality_fields },
  { COHORT_REQ_STAGE_INVITE, FALSE, participant_fields },
  { COHORT_REQ_STAGE_ACCEPT, FALSE, no_fields },
  { COHORT_REQ_STAGE_DECLINE, FALSE, no_fields },
  { COHORT_REQ_STAGE_REMOVE, FALSE, optional_participant_fields },
};

static const CohortFieldSpec ev_feed_added_fields[] = {
  { "feed_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "kind", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, kinds },
  { "audio", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "video", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "audio_muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "video_muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_feed_updated_fields[] = {
  { "feed_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "audio_muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "video_muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_feed_removed_fields[] = {
  { "feed_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "kind", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, kinds },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_by_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "by", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_muted_by_teacher_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "by", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "keep_muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_link_quality_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "level", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, qualities },
  COHORT_END_FIELDS
};

static const CohortMessageSpec events[] = {
  { COHORT_EV_MEDIA_FEED_ADDED, FALSE, ev_feed_added_fields },
  { COHORT_EV_MEDIA_FEED_UPDATED, FALSE, ev_feed_updated_fields },
  { COHORT_EV_MEDIA_FEED_REMOVED, FALSE, ev_feed_removed_fields },
  { COHORT_EV_STAGE_INVITED, FALSE, ev_by_fields },
  { COHORT_EV_STAGE_DECLINED, FALSE, participant_fields },
  { COHORT_EV_STAGE_JOINED, FALSE, participant_fields },
  { COHORT_EV_STAGE_LEFT, FALSE, ev_by_fields },
  { COHORT_EV_MEDIA_LINK_QUALITY, FALSE, ev_link_quality_fields },
  { COHORT_EV_MEDIA_MUTED_BY_TEACHER, FALSE, ev_muted_by_teacher_fields },
  { COHORT_EV_MEDIA_UNMUTE_ALLOWED, FALSE, ev_by_fields },
};

const CohortProtocolTable _cohort_protocol_media_table = {
  requests, G_N_ELEMENTS (requests),
  events, G_N_ELEMENTS (events),
};
