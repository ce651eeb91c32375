/* fuzz-quiz-format.c: the question bank file a teacher imports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "cohort-quiz-format.h"
#include "fuzz-common.h"
#include "fuzz-json.h"

static void
check_same_questions (GPtrArray *a,
                      GPtrArray *b)
{
  FUZZ_CHECK (a->len == b->len, "same number of questions");
  for (guint i = 0; i < a->len; i++)
    FUZZ_CHECK (fuzz_objects_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)),
                "same question");
}

/* Invariants:
 * - a file is accepted with 0..100 questions (docs/quiz-format.md), or refused with an
 *   COHORT_ERROR_INVALID error naming a field;
 * - each clean question is accepted again as it is (parsing is
 *   idempotent);
 * - the exported file, written out as text and read back, gives the same
 *   questions (what Cohort exports, it imports);
 * - what students see before the reveal never holds the answer. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) questions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  JsonNode *root;

  fuzz_init_once ();

  /* As the import reads a file: UTF-8 without NUL, then JSON. */
  if (memchr (data, '\0', size) != NULL || !g_utf8_validate ((const char *) data, size, NULL))
    return 0;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL)
    return 0;

  questions = cohort_quiz_file_parse (root, &field, &error);
  if (questions == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID),
                  "refused as invalid");
      FUZZ_CHECK (field != NULL, "names a field");
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "message is UTF-8");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "no error when accepted");
  FUZZ_CHECK (questions->len <= COHORT_QUIZ_MAX_QUESTIONS, "at most 100 questions");

  for (guint i = 0; i < questions->len; i++)
    {
      JsonObject *question = g_ptr_array_index (questions, i);
      g_autoptr(JsonObject) again = NULL;
      g_autoptr(JsonObject) shown = NULL;
      g_autofree char *again_field = NULL;
      g_autoptr(GError) again_error = NULL;

      again = cohort_quiz_question_parse (question, "q", &again_field, &again_error);
      FUZZ_CHECK (again != NULL, "a clean question is accepted again");
      FUZZ_CHECK (fuzz_objects_equal (again, question), "a clean question stays the same");

      shown = cohort_quiz_question_public (question);
      FUZZ_CHECK (!json_object_has_member (shown, "correct") &&
                  !json_object_has_member (shown, "accepted") &&
                  !json_object_has_member (shown, "numeric") &&
                  !json_object_has_member (shown, "explanation"),
                  "no answer before the reveal");
    }

  {
    g_autoptr(JsonObject) exported = cohort_quiz_file_new (questions);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), exported);
    g_autofree char *text = json_to_string (node, FALSE);
    g_autoptr(JsonNode) read_back = NULL;
    g_autoptr(GPtrArray) again = NULL;
    g_autoptr(GError) again_error = NULL;

    read_back = json_from_string (text, &again_error);
    FUZZ_CHECK (read_back != NULL, "the exported file is JSON");
    again = cohort_quiz_file_parse (read_back, NULL, &again_error);
    FUZZ_CHECK (again != NULL, "the exported file imports");
    check_same_questions (questions, again);
  }

  return 0;
}
