/* cohort-quiz-protocol.c: the quiz requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol-private.h"
#include "cohort-quiz-format.h"
#include "cohort-quiz-protocol.h"
#include "cohort-text-rules.h"

/* An answer is an int (single), an int array (multiple), a bool
 * (true_false) or a string (short, open); which one the question wants is
 * checked by the server against the question (cohort_quiz_check_answer). */
gboolean
_cohort_protocol_validate_quiz_answer (JsonObject            *body,
                                       const CohortFieldSpec *spec,
                                       JsonNode              *node,
                                       CohortProtocolFailure *failure)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64 || type == G_TYPE_BOOLEAN)
        return TRUE;
      if (type == G_TYPE_STRING)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *clean = NULL;
          int reason = COHORT_INVALID_BAD_TEXT;

          /* A free-text answer is shown to the teacher and the class: the
           * shared text rules, on several lines (open answers). */
          clean = cohort_text_clean (json_node_get_string (node), COHORT_TEXT_LINES, 1,
                                     COHORT_QUIZ_MAX_ANSWER_CHARS, &reason, &error);
          if (clean == NULL)
            return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, reason, spec->name,
                                          "The field “%s” was refused: %s", spec->name,
                                          error->message);
          json_object_set_string_member (body, spec->name, clean);
          return TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) > COHORT_QUIZ_MAX_CHOICES)
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                      spec->name, "The field “%s” lists more than %d choices.",
                                      spec->name, COHORT_QUIZ_MAX_CHOICES);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64)
            return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                          spec->name, "The field “%s” must list choice numbers.",
                                          spec->name);
        }
      return TRUE;
    }

  return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                                "The field “%s” must be a number, a list of numbers, true or false, "
                                "or a text.", spec->name);
}

/* 1..COHORT_QUIZ_MAX_SEQUENCE question ids. */
static gboolean
validate_id_list (JsonObject            *body,
                  const CohortFieldSpec *spec,
                  JsonNode              *node,
                  CohortProtocolFailure *failure)
{
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                                  "The field “%s” must be a list of question ids.", spec->name);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < (guint) spec->min || n > (guint) spec->max)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                                  "The field “%s” must hold %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                                  " question ids.", spec->name, spec->min, spec->max);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64 ||
          json_node_get_int (element) < 1 || json_node_get_int (element) > COHORT_MAX_SAFE_INT)
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                      spec->name, "The field “%s” must list question ids.",
                                      spec->name);
    }
  return TRUE;
}

/* null or a non-negative integer (a deadline, say). */
static gboolean
validate_optional_time (JsonObject            *body,
                        const CohortFieldSpec *spec,
                        JsonNode              *node,
                        CohortProtocolFailure *failure)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                                  "The field “%s” must be a time in milliseconds or null.",
                                  spec->name);
  return TRUE;
}

/* Requests */

static const CohortFieldSpec no_fields[] = { COHORT_END_FIELDS };

/* Questions are checked member by member (with the path of the wrong one)
 * by cohort_quiz_question_parse() on the server. */
static const CohortFieldSpec question_create_fields[] = {
  { "question", COHORT_FIELD_OBJECT, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec question_update_fields[] = {
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "question", COHORT_FIELD_OBJECT, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec question_delete_fields[] = {
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec question_move_fields[] = {
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "position", COHORT_FIELD_INT, TRUE, 0, COHORT_QUIZ_MAX_QUESTIONS - 1 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec import_fields[] = {
  { "file", COHORT_FIELD_OBJECT, TRUE, 0, 0 },
  { "replace", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec launch_fields[] = {
  { "question_ids", COHORT_FIELD_CUSTOM, TRUE, 1, COHORT_QUIZ_MAX_SEQUENCE, validate_id_list },
  { "time_limit", COHORT_FIELD_INT, FALSE, 0, COHORT_QUIZ_MAX_TIME_LIMIT },
  { "allow_change", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec run_fields[] = {
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec answer_fields[] = {
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "answer", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_quiz_answer },
  COHORT_END_FIELDS
};

static const CohortMessageSpec requests[] = {
  { COHORT_REQ_QUIZ_QUESTION_CREATE, FALSE, question_create_fields },
  { COHORT_REQ_QUIZ_QUESTION_UPDATE, FALSE, question_update_fields },
  { COHORT_REQ_QUIZ_QUESTION_DELETE, FALSE, question_delete_fields },
  { COHORT_REQ_QUIZ_QUESTION_MOVE, FALSE, question_move_fields },
  { COHORT_REQ_QUIZ_IMPORT, FALSE, import_fields },
  { COHORT_REQ_QUIZ_EXPORT, FALSE, no_fields },
  { COHORT_REQ_QUIZ_LAUNCH, FALSE, launch_fields },
  { COHORT_REQ_QUIZ_NEXT, FALSE, no_fields },
  { COHORT_REQ_QUIZ_CLOSE, FALSE, run_fields },
  { COHORT_REQ_QUIZ_REVEAL, FALSE, run_fields },
  { COHORT_REQ_QUIZ_SHOW_RESULTS, FALSE, run_fields },
  { COHORT_REQ_QUIZ_ANSWER, FALSE, answer_fields },
  { COHORT_REQ_QUIZ_SYNC, FALSE, no_fields },
};

/* Events (what a client checks before its models look at them) */

static const CohortFieldSpec ev_question_saved_fields[] = {
  { "question", COHORT_FIELD_OBJECT, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_question_deleted_fields[] = {
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_bank_fields[] = {
  { "questions", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_object_array },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_launched_fields[] = {
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "question", COHORT_FIELD_OBJECT, TRUE, 0, 0 },
  { "index", COHORT_FIELD_INT, TRUE, 0, COHORT_QUIZ_MAX_SEQUENCE - 1 },
  { "count", COHORT_FIELD_INT, TRUE, 1, COHORT_QUIZ_MAX_SEQUENCE },
  { "launched_at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "deadline", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_optional_time },
  { "time_limit", COHORT_FIELD_INT, TRUE, 0, COHORT_QUIZ_MAX_TIME_LIMIT },
  { "allow_change", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_stats_fields[] = {
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "answered", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "graded", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "correct", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "median_ms", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "counts", COHORT_FIELD_INT_ARRAY, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_closed_fields[] = {
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "closed_at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_revealed_fields[] = {
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "key", COHORT_FIELD_OBJECT, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_scored_fields[] = {
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "scores", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_object_array },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_finished_fields[] = {
  { "sequence_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "run_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "total", COHORT_FIELD_INT, TRUE, 1, COHORT_MAX_SAFE_INT },
  { "results", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_object_array },
  COHORT_END_FIELDS
};

static const CohortMessageSpec events[] = {
  { COHORT_EV_QUIZ_QUESTION_SAVED, FALSE, ev_question_saved_fields },
  { COHORT_EV_QUIZ_QUESTION_DELETED, FALSE, ev_question_deleted_fields },
  { COHORT_EV_QUIZ_BANK, FALSE, ev_bank_fields },
  { COHORT_EV_QUIZ_LAUNCHED, FALSE, ev_launched_fields },
  { COHORT_EV_QUIZ_PROGRESS, FALSE, ev_stats_fields },
  { COHORT_EV_QUIZ_CLOSED, FALSE, ev_closed_fields },
  { COHORT_EV_QUIZ_REVEALED, FALSE, ev_revealed_fields },
  { COHORT_EV_QUIZ_SCORED, FALSE, ev_scored_fields },
  { COHORT_EV_QUIZ_FINISHED, FALSE, ev_finished_fields },
  { COHORT_EV_QUIZ_RESULTS, FALSE, ev_stats_fields },
};

const CohortProtocolTable _cohort_protocol_quiz_table = {
  requests, G_N_ELEMENTS (requests),
  events, G_N_ELEMENTS (events),
};
