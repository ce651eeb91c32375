/* test-protocol.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"

#define VALID_SECRET "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static CohortMessage *
parse_ok (const char *frame)
{
  g_autoptr(CohortMessage) error_reply = NULL;
  CohortMessage *message;

  message = cohort_protocol_parse_request (frame, strlen (frame), &error_reply);
  if (message == NULL)
    g_error ("expected %s to parse, got %s", frame,
             cohort_message_get_error_message (error_reply));
  g_assert_null (error_reply);

  return message;
}

static void
assert_rejected (const char          *frame,
                 gsize                length,
                 CohortErrorCode      code,
                 CohortInvalidReason  reason,
                 const char          *field,
                 const char          *re)
{
  g_autoptr(CohortMessage) error_reply = NULL;
  g_autoptr(CohortMessage) message = NULL;

  message = cohort_protocol_parse_request (frame, length, &error_reply);
  g_assert_null (message);
  g_assert_nonnull (error_reply);
  g_assert_cmpint (cohort_message_get_kind (error_reply), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpstr (cohort_error_code_to_string (cohort_message_get_error_code (error_reply)), ==,
                   cohort_error_code_to_string (code));
  g_assert_cmpstr (cohort_invalid_reason_to_string (cohort_message_get_reason (error_reply)), ==,
                   cohort_invalid_reason_to_string (reason));
  g_assert_cmpstr (cohort_message_get_field (error_reply), ==, field);
  g_assert_cmpstr (cohort_message_get_id (error_reply), ==, re);
  g_assert_nonnull (cohort_message_get_error_message (error_reply));
  g_assert_cmpstr (cohort_message_get_error_message (error_reply), !=, "");
}

#define REJECT(frame, code, reason, field, re) \
  assert_rejected (frame, strlen (frame), COHORT_ERROR_##code, COHORT_INVALID_##reason, field, re)

static void
test_parse_valid_requests (void)
{
  g_autoptr(CohortMessage) create = NULL;
  g_autoptr(CohortMessage) join = NULL;
  g_autoptr(CohortMessage) lower = NULL;
  g_autoptr(CohortMessage) ping = NULL;
  JsonObject *body;

  create = parse_ok ("{\"type\":\"class.create\",\"id\":\"r1\",\"body\":"
                     "{\"protocol\":2,\"title\":\"  Physics 101 \",\"name\":\"\\u00a0Ms Li\\t\"}}");
  g_assert_cmpint (cohort_message_get_kind (create), ==, COHORT_MESSAGE_REQUEST);
  g_assert_cmpstr (cohort_message_get_name (create), ==, "class.create");
  g_assert_cmpstr (cohort_message_get_id (create), ==, "r1");
  body = cohort_message_get_body (create);
  /* Text comes back trimmed, Unicode white space included. */
  g_assert_cmpstr (json_object_get_string_member (body, "title"), ==, "Physics 101");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Ms Li");

  join = parse_ok ("{\"type\":\"class.join\",\"id\":\"r2\",\"body\":"
                   "{\"protocol\":2,\"code\":\"k7qm-2xpa\",\"name\":\"梅 🌸\"}}");
  body = cohort_message_get_body (join);
  g_assert_cmpstr (json_object_get_string_member (body, "code"), ==, "K7QM2XPA");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "梅 🌸");
  g_assert_false (json_object_has_member (body, "teacher_key"));

  lower = parse_ok ("{\"type\":\"hand.lower\",\"id\":\"r3\",\"body\":{\"participant_id\":7}}");
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (lower), "participant_id"), ==, 7);

  /* A missing body counts as {}. */
  ping = parse_ok ("{\"type\":\"ping\",\"id\":\"r4\"}");
  g_assert_cmpuint (json_object_get_size (cohort_message_get_body (ping)), ==, 0);
}

static void
test_reject_envelope (void)
{
  REJECT ("not json", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("[1,2,3]", INVALID, NOT_OBJECT, NULL, NULL);
  REJECT ("\"ping\"", INVALID, NOT_OBJECT, NULL, NULL);
  REJECT ("{\"type\":\"ping\"}", INVALID, MISSING_FIELD, "id", NULL);
  REJECT ("{\"type\":\"ping\",\"id\":5}", INVALID, WRONG_TYPE, "id", NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"\"}", INVALID, OUT_OF_RANGE, "id", NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"has space\"}", INVALID, OUT_OF_RANGE, "id", NULL);
  REJECT ("{\"id\":\"x\"}", INVALID, MISSING_FIELD, "type", "x");
  REJECT ("{\"id\":\"x\",\"type\":[]}", INVALID, WRONG_TYPE, "type", "x");
  REJECT ("{\"id\":\"x\",\"type\":\"chat.explode\"}", INVALID, UNKNOWN_TYPE, "type", "x");
  REJECT ("{\"id\":\"x\",\"type\":\"ping\",\"body\":[]}", INVALID, WRONG_TYPE, "body", "x");
}

/* Found by fuzz/fuzz-protocol-request.c: json-glib's message for a broken
 * string holding a lone surrogate escape carried bytes that are not UTF-8
 * into the error reply, which goes out as a WebSocket text frame. */
static void
test_error_message_utf8 (void)
{
  static const char * const frames[] = {
    "{\"type\": \"ping\",\"id\":\"1\",\"body\":{\"text\":\"a\\ud800b\"e\"}}",
    "{\"type\": \"ping\",\"id\":\"1\",\"body\":{\"text\":\"\\udfff\" \"x\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(CohortMessage) error_reply = NULL;
      g_autoptr(CohortMessage) message = NULL;
      g_autofree char *json = NULL;
      gsize length;

      message = cohort_protocol_parse_request (frames[i], strlen (frames[i]), &error_reply);
      g_assert_null (message);
      g_assert_cmpint (cohort_message_get_reason (error_reply), ==, COHORT_INVALID_BAD_JSON);
      g_assert_true (g_utf8_validate (cohort_message_get_error_message (error_reply), -1, NULL));
      json = cohort_message_to_json (error_reply, &length);
      g_assert_true (g_utf8_validate (json, length, NULL));
    }
}

/* Found by fuzz/fuzz-protocol-request.c: json-glib decodes a lone
 * surrogate escape to bytes that are not UTF-8, so a frame that is UTF-8
 * gave a request holding a string that is not, which no longer parsed once
 * written out. Refused wherever it is, member names included; a field the
 * type knows still names itself (test-chat's bad-input), and the reply
 * names the request. */
static void
test_reject_lone_surrogate (void)
{
  g_autoptr(CohortMessage) ok = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) event = NULL;
  const char *server_frame = "{\"type\":\"event\",\"seq\":1,\"event\":\"x\",\"body\":{\"t\":\"a\\udfffb\"}}";

  /* The strict check refuses them before anything reads the frame, so the
   * reply names no request (docs/protocol.md, "Strict JSON"). */
  REJECT ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":\"a\\ud800b\"}}",
          INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":[[{\"a\\ud800b\":1}]]}}",
          INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"1\",\"extra\":\"a\\udc00b\"}",
          INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"class.join\",\"id\":\"2\",\"body\":{\"protocol\":2,\"code\":\"ABCD-EFGH\","
          "\"name\":\"a\\ud800b\"}}",
          INVALID, BAD_JSON, NULL, NULL);

  /* A surrogate pair is one character, and fine. */
  ok = parse_ok ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":\"\\ud83d\\ude00\"}}");

  /* The client refuses it from a server as well. */
  event = cohort_protocol_parse_server (server_frame, strlen (server_frame), &error);
  g_assert_null (event);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
}

/* Found by fuzz/fuzz-protocol-request.c: json-glib reads 1e999 as
 * infinity and writes it back as "inf", which is not JSON. */
static void
test_reject_infinite_number (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) event = NULL;
  const char *server_frame = "{\"type\":\"event\",\"seq\":1,\"event\":\"x\",\"body\":{\"n\":-1e999}}";

  REJECT ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":[1, 1e999]}}",
          INVALID, OUT_OF_RANGE, NULL, "1");
  /* json-glib would write 2e198 back as "2e+198.0" (fuzz-json-strict). */
  REJECT ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":2e198}}",
          INVALID, OUT_OF_RANGE, NULL, "1");
  REJECT ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":-9007199254740992.0}}",
          INVALID, OUT_OF_RANGE, NULL, "1");
  /* …and 5e-91 as "5e-91.0". */
  REJECT ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":[5e-91]}}",
          INVALID, OUT_OF_RANGE, NULL, "1");
  {
    g_autoptr(CohortMessage) fine = parse_ok ("{\"type\":\"ping\",\"id\":\"1\",\"body\":{\"x\":1.5e15,\"y\":-0.0001,\"z\":0.0}}");
  }
  g_assert_false (cohort_protocol_double_writable (9.99e-5));
  g_assert_true (cohort_protocol_double_writable (-0.0));

  event = cohort_protocol_parse_server (server_frame, strlen (server_frame), &error);
  g_assert_null (event);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
}

static void
test_reject_long_id (void)
{
  g_autofree char *id = g_strnfill (COHORT_MAX_ID_CHARS + 1, 'a');
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"ping\",\"id\":\"%s\"}", id);
  g_autofree char *ok_id = g_strnfill (COHORT_MAX_ID_CHARS, 'a');
  g_autofree char *ok_frame = g_strdup_printf ("{\"type\":\"ping\",\"id\":\"%s\"}", ok_id);
  g_autoptr(CohortMessage) message = NULL;

  REJECT (frame, INVALID, OUT_OF_RANGE, "id", NULL);
  message = parse_ok (ok_frame);
  g_assert_cmpstr (cohort_message_get_id (message), ==, ok_id);
}

static void
test_reject_oversize (void)
{
  g_autoptr(GString) frame = g_string_new ("{\"type\":\"ping\",\"id\":\"big\",\"body\":{\"pad\":\"");

  while (frame->len <= COHORT_MAX_FRAME_BYTES)
    g_string_append (frame, "xxxxxxxxxxxxxxxx");
  g_string_append (frame, "\"}}");

  assert_rejected (frame->str, frame->len, COHORT_ERROR_INVALID, COHORT_INVALID_TOO_LARGE,
                   NULL, NULL);
}

static void
test_reject_binary_junk (void)
{
  const char frame[] = "{\"type\":\"ping\",\"id\":\"a\"}\0garbage";
  const char latin1[] = "{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":\"\xe9\"}}";

  assert_rejected (frame, sizeof frame - 1, COHORT_ERROR_INVALID, COHORT_INVALID_BAD_JSON,
                   NULL, NULL);
  assert_rejected (latin1, strlen (latin1), COHORT_ERROR_INVALID, COHORT_INVALID_BAD_JSON,
                   NULL, NULL);
}

static void
test_reject_fields (void)
{
  /* missing */
  REJECT ("{\"type\":\"class.create\",\"id\":\"a\",\"body\":{\"protocol\":2,\"name\":\"x\"}}",
          INVALID, MISSING_FIELD, "title", "a");
  REJECT ("{\"type\":\"resume\",\"id\":\"a\",\"body\":{\"protocol\":2,\"last_seq\":0}}",
          INVALID, MISSING_FIELD, "token", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"code\":\"K7QM2XPA\",\"name\":\"x\"}}",
          INVALID, MISSING_FIELD, "protocol", "a");
  /* wrongly typed */
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":\"7\"}}",
          INVALID, WRONG_TYPE, "participant_id", "a");
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":7.5}}",
          INVALID, WRONG_TYPE, "participant_id", "a");
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":true}}",
          INVALID, WRONG_TYPE, "participant_id", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":12345678,\"name\":\"x\"}}",
          INVALID, WRONG_TYPE, "code", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":\"1\",\"code\":\"K7QM2XPA\",\"name\":\"x\"}}",
          INVALID, WRONG_TYPE, "protocol", "a");
  /* out of range */
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":0}}",
          INVALID, OUT_OF_RANGE, "participant_id", "a");
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":9007199254740992}}",
          INVALID, OUT_OF_RANGE, "participant_id", "a");
  REJECT ("{\"type\":\"resume\",\"id\":\"a\",\"body\":{\"protocol\":2,\"token\":\"" VALID_SECRET "\",\"last_seq\":-1}}",
          INVALID, OUT_OF_RANGE, "last_seq", "a");
  REJECT ("{\"type\":\"resume\",\"id\":\"a\",\"body\":{\"protocol\":2,\"token\":\"short\",\"last_seq\":0}}",
          INVALID, OUT_OF_RANGE, "token", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XP\",\"name\":\"x\"}}",
          INVALID, OUT_OF_RANGE, "code", "a");
  /* 0, 1, I and O are not in the code alphabet: they are easy to misread. */
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XP0\",\"name\":\"x\"}}",
          INVALID, OUT_OF_RANGE, "code", "a");
  /* versions: 1 (events without "prev") and one from the future */
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":1,\"code\":\"K7QM2XPA\",\"name\":\"x\"}}",
          UNSUPPORTED_VERSION, NONE, "protocol", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":3,\"code\":\"K7QM2XPA\",\"name\":\"x\"}}",
          UNSUPPORTED_VERSION, NONE, "protocol", "a");
}

static void
test_reject_names (void)
{
  g_autofree char *name64 = g_strnfill (64, 'n');
  g_autofree char *name65 = g_strnfill (65, 'n');
  g_autofree char *ok = g_strdup_printf ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":"
                                         "{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"%s\"}}", name64);
  g_autofree char *too_long = g_strdup_printf ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":"
                                               "{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"%s\"}}", name65);
  g_autoptr(CohortMessage) message = NULL;
  g_autoptr(GString) cjk = g_string_new (NULL);
  g_autofree char *cjk_frame = NULL;
  g_autoptr(CohortMessage) cjk_message = NULL;

  message = parse_ok (ok);
  REJECT (too_long, INVALID, OUT_OF_RANGE, "name", "a");

  /* The limit counts characters, not bytes. */
  for (guint i = 0; i < 64; i++)
    g_string_append (cjk, "学");
  cjk_frame = g_strdup_printf ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":"
                               "{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"%s\"}}", cjk->str);
  cjk_message = parse_ok (cjk_frame);

  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"   \"}}",
          INVALID, OUT_OF_RANGE, "name", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"\"}}",
          INVALID, OUT_OF_RANGE, "name", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"a\\u0007b\"}}",
          INVALID, BAD_TEXT, "name", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"a\\nb\"}}",
          INVALID, BAD_TEXT, "name", "a");
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":\"a\\u2028b\"}}",
          INVALID, BAD_TEXT, "name", "a");
}

static void
test_normalize_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *control = NULL;
  g_autofree char *long_text = NULL;

  trimmed = cohort_protocol_normalize_text ("  Mei Chen \u3000", 64, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trimmed, ==, "Mei Chen");

  empty = cohort_protocol_normalize_text (" \t ", 64, &error);
  g_assert_null (empty);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);

  control = cohort_protocol_normalize_text ("Mei\x1b[31m", 64, &error);
  g_assert_null (control);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);

  long_text = cohort_protocol_normalize_text ("abcdef", 5, &error);
  g_assert_null (long_text);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
}

static void
test_normalize_code (void)
{
  g_autofree char *a = cohort_protocol_normalize_code ("k7qm-2xpa");
  g_autofree char *b = cohort_protocol_normalize_code (" K7QM 2XPA ");
  g_autofree char *c = cohort_protocol_normalize_code ("K7QM2XPAA");
  g_autofree char *d = cohort_protocol_normalize_code ("K7QM2XPI");
  g_autofree char *e = cohort_protocol_normalize_code ("");

  g_assert_cmpstr (a, ==, "K7QM2XPA");
  g_assert_cmpstr (b, ==, "K7QM2XPA");
  g_assert_null (c);
  g_assert_null (d);
  g_assert_null (e);
}

static void
test_anonymous_table (void)
{
  g_assert_true (cohort_protocol_is_anonymous_request ("class.create"));
  g_assert_true (cohort_protocol_is_anonymous_request ("class.join"));
  g_assert_true (cohort_protocol_is_anonymous_request ("resume"));
  g_assert_true (cohort_protocol_is_anonymous_request ("ping"));
  g_assert_false (cohort_protocol_is_anonymous_request ("hand.raise"));
  g_assert_false (cohort_protocol_is_anonymous_request ("nope"));
  g_assert_true (cohort_protocol_is_known_request ("hand.lower_all"));
  g_assert_false (cohort_protocol_is_known_request ("hand.lower-all"));
}

/* Serialise with the builders, parse with the other side's parser. */
static void
test_round_trip (void)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) request = NULL;
  g_autoptr(CohortMessage) parsed = NULL;
  g_autoptr(CohortMessage) ok = NULL;
  g_autoptr(CohortMessage) ok_parsed = NULL;
  g_autoptr(CohortMessage) error_reply = NULL;
  g_autoptr(CohortMessage) error_parsed = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(CohortMessage) event_parsed = NULL;
  g_autoptr(CohortMessage) no_reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_json = NULL;
  g_autofree char *ok_json = NULL;
  g_autofree char *error_json = NULL;
  g_autofree char *event_json = NULL;
  g_autoptr(JsonObject) ev_body = json_object_new ();
  gsize length;

  json_object_set_int_member (body, "participant_id", 42);
  request = cohort_message_new_request ("hand.lower", "id-1", body);
  request_json = cohort_message_to_json (request, &length);
  g_assert_cmpuint (length, ==, strlen (request_json));
  parsed = cohort_protocol_parse_request (request_json, length, &no_reply);
  g_assert_nonnull (parsed);
  g_assert_cmpstr (cohort_message_get_name (parsed), ==, "hand.lower");
  g_assert_cmpstr (cohort_message_get_id (parsed), ==, "id-1");
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (parsed), "participant_id"), ==, 42);

  ok = cohort_message_new_ok ("id-1", body);
  ok_json = cohort_message_to_json (ok, &length);
  ok_parsed = cohort_protocol_parse_server (ok_json, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_kind (ok_parsed), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (cohort_message_get_id (ok_parsed), ==, "id-1");
  g_assert_true (cohort_message_check (ok_parsed, &error));
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (ok_parsed), "participant_id"), ==, 42);

  error_reply = cohort_message_new_error ("id-2", COHORT_ERROR_INVALID, COHORT_INVALID_MISSING_FIELD,
                                          "name", "The field “name” is required.");
  error_json = cohort_message_to_json (error_reply, &length);
  g_assert_nonnull (strstr (error_json, "\"reason\":\"missing_field\""));
  g_assert_nonnull (strstr (error_json, "\"code\":\"invalid\""));
  error_parsed = cohort_protocol_parse_server (error_json, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_kind (error_parsed), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpint (cohort_message_get_reason (error_parsed), ==, COHORT_INVALID_MISSING_FIELD);
  g_assert_cmpstr (cohort_message_get_field (error_parsed), ==, "name");
  g_assert_false (cohort_message_check (error_parsed, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The field “name” is required.");
  g_clear_error (&error);

  json_object_set_int_member (ev_body, "participant_id", 3);
  json_object_set_int_member (ev_body, "raised_at", 1764297600000);
  event = cohort_message_new_event (17, 1764297600123, "hand.raised", ev_body);
  event_json = cohort_message_to_json (event, &length);
  event_parsed = cohort_protocol_parse_server (event_json, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_kind (event_parsed), ==, COHORT_MESSAGE_EVENT);
  g_assert_cmpstr (cohort_message_get_name (event_parsed), ==, "hand.raised");
  g_assert_cmpint (cohort_message_get_seq (event_parsed), ==, 17);
  g_assert_cmpint (cohort_message_get_ts (event_parsed), ==, 1764297600123);
}

static void
assert_server_rejected (const char *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) message = cohort_protocol_parse_server (frame, strlen (frame), &error);

  g_assert_null (message);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
}

static void
test_server_frames_validated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) future = NULL;
  g_autoptr(CohortMessage) unknown_code = NULL;
  const char *future_event = "{\"type\":\"event\",\"seq\":3,\"ts\":1,\"event\":\"confetti.launch\",\"body\":{}}";
  const char *strange_error = "{\"type\":\"error\",\"re\":\"a\",\"code\":\"exploded\",\"message\":\"boom\"}";

  assert_server_rejected ("[]");
  assert_server_rejected ("{\"type\":\"nonsense\"}");
  assert_server_rejected ("{\"seq\":1}");
  assert_server_rejected ("{\"type\":\"event\",\"event\":\"hand.raised\",\"body\":{}}");
  assert_server_rejected ("{\"type\":\"event\",\"seq\":0,\"event\":\"hand.raised\",\"body\":{\"participant_id\":1,\"raised_at\":1}}");
  assert_server_rejected ("{\"type\":\"event\",\"seq\":2,\"event\":\"hand.raised\",\"body\":{\"participant_id\":\"1\",\"raised_at\":1}}");
  assert_server_rejected ("{\"type\":\"event\",\"seq\":2,\"event\":\"participant.presence\",\"body\":{\"participant_id\":1}}");
  assert_server_rejected ("{\"type\":\"event\",\"seq\":2,\"event\":\"participant.joined\",\"body\":"
                          "{\"participant\":{\"id\":1,\"name\":\"x\",\"role\":\"admin\",\"online\":true}}}");
  assert_server_rejected ("{\"type\":\"event\",\"seq\":2,\"event\":\"participant.joined\",\"body\":"
                          "{\"participant\":{\"id\":1,\"name\":\"\\u0007\",\"role\":\"student\",\"online\":true}}}");
  assert_server_rejected ("{\"type\":\"event\",\"seq\":2,\"event\":\"hand.lowered_all\",\"body\":"
                          "{\"participant_ids\":[1,\"2\"],\"by\":1}}");
  assert_server_rejected ("{\"type\":\"ok\",\"re\":5}");

  /* Newer servers may send events this client does not know: keep them. */
  future = cohort_protocol_parse_server (future_event, strlen (future_event), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cohort_message_get_name (future), ==, "confetti.launch");

  unknown_code = cohort_protocol_parse_server (strange_error, strlen (strange_error), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_error_code (unknown_code), ==, COHORT_ERROR_INTERNAL);
  g_assert_cmpstr (cohort_message_get_error_message (unknown_code), ==, "boom");
}

/* "prev": the previous event this connection was sent, when events for
 * others came in between. */
static void
test_event_prev (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) plain = NULL;
  g_autoptr(CohortMessage) chained = NULL;
  g_autoptr(CohortMessage) parsed = NULL;
  g_autoptr(CohortMessage) spliced_back = NULL;
  g_autofree char *plain_json = NULL;
  g_autofree char *chained_json = NULL;
  g_autofree char *spliced = NULL;
  const char *first = "{\"type\":\"event\",\"prev\":0,\"seq\":4,\"event\":\"confetti.launch\",\"body\":{}}";

  assert_server_rejected ("{\"type\":\"event\",\"prev\":4,\"seq\":4,\"event\":\"x.y\",\"body\":{}}");
  assert_server_rejected ("{\"type\":\"event\",\"prev\":9,\"seq\":4,\"event\":\"x.y\",\"body\":{}}");
  assert_server_rejected ("{\"type\":\"event\",\"prev\":-1,\"seq\":4,\"event\":\"x.y\",\"body\":{}}");
  assert_server_rejected ("{\"type\":\"event\",\"prev\":\"2\",\"seq\":4,\"event\":\"x.y\",\"body\":{}}");
  assert_server_rejected ("{\"type\":\"event\",\"prev\":1.5,\"seq\":4,\"event\":\"x.y\",\"body\":{}}");

  /* Without "prev" the previous event is seq - 1, and none is written. */
  plain = cohort_message_new_event (7, 1, "confetti.launch", NULL);
  g_assert_cmpint (cohort_message_get_prev (plain), ==, 6);
  plain_json = cohort_message_to_json (plain, NULL);
  g_assert_null (strstr (plain_json, "prev"));
  cohort_message_set_prev (plain, 6);
  g_assert_cmpint (cohort_message_get_prev (plain), ==, 6);

  chained = cohort_message_new_event (7, 1, "confetti.launch", NULL);
  cohort_message_set_prev (chained, 3);
  chained_json = cohort_message_to_json (chained, NULL);
  parsed = cohort_protocol_parse_server (chained_json, strlen (chained_json), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_prev (parsed), ==, 3);
  g_assert_cmpint (cohort_message_get_seq (parsed), ==, 7);

  /* The server's splice says the same as set_prev. */
  spliced = cohort_event_json_with_prev (plain_json, 3);
  spliced_back = cohort_protocol_parse_server (spliced, strlen (spliced), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_prev (spliced_back), ==, 3);
  g_assert_cmpint (cohort_message_get_seq (spliced_back), ==, 7);
  g_assert_cmpstr (cohort_message_get_name (spliced_back), ==, "confetti.launch");

  /* prev 0: the first event after an empty log's baseline. */
  g_clear_pointer (&parsed, cohort_message_unref);
  parsed = cohort_protocol_parse_server (first, strlen (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_prev (parsed), ==, 0);
}

static void
test_validate_objects (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser,
    "{\"id\":7,\"name\":\"Mei\",\"role\":\"student\",\"online\":true,\"hand_raised_at\":null}", -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (cohort_protocol_validate_participant (object, &error));
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_data (parser,
    "{\"id\":7,\"name\":\"Mei\",\"online\":true}", -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (cohort_protocol_validate_participant (object, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (json_parser_load_from_data (parser,
    "{\"id\":1,\"code\":\"K7QM2XPA\",\"title\":\"Physics\"}", -1, NULL));
  g_assert_true (cohort_protocol_validate_class (json_node_get_object (json_parser_get_root (parser)), &error));
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_data (parser,
    "{\"id\":1,\"code\":\"nope\",\"title\":\"Physics\"}", -1, NULL));
  g_assert_false (cohort_protocol_validate_class (json_node_get_object (json_parser_get_root (parser)), &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
}

static void
test_error_codes (void)
{
  CohortErrorCode code;

  for (guint i = COHORT_ERROR_INVALID; i <= COHORT_ERROR_INTERNAL; i++)
    {
      g_assert_true (cohort_error_code_from_string (cohort_error_code_to_string (i), &code));
      g_assert_cmpint (code, ==, i);
    }
  g_assert_false (cohort_error_code_from_string ("nope", &code));
  g_assert_cmpstr (cohort_error_code_to_string (COHORT_ERROR_FORBIDDEN), ==, "forbidden");
}

/* scale: `moved` names the node that owns the class; a frame without a
 * usable ws:// or wss:// address is refused, so a client is never sent
 * elsewhere by a malformed reply. */
static void
test_moved (void)
{
  g_autoptr(CohortMessage) moved = cohort_message_new_moved ("id-1", "ws://10.0.0.2:8765/ws");
  g_autoptr(CohortMessage) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char * const bad[] = {
    "{\"type\":\"error\",\"re\":\"id-1\",\"code\":\"moved\",\"message\":\"m\"}",
    "{\"type\":\"error\",\"re\":\"id-1\",\"code\":\"moved\",\"message\":\"m\",\"url\":\"http://a/ws\"}",
    "{\"type\":\"error\",\"re\":\"id-1\",\"code\":\"moved\",\"message\":\"m\",\"url\":\"ws://a b/ws\"}",
    "{\"type\":\"error\",\"re\":\"id-1\",\"code\":\"moved\",\"message\":\"m\",\"url\":3}",
  };
  gsize length;

  json = cohort_message_to_json (moved, &length);
  g_assert_nonnull (strstr (json, "\"code\":\"moved\""));
  g_assert_nonnull (strstr (json, "\"url\":\"ws://10.0.0.2:8765/ws\""));
  parsed = cohort_protocol_parse_server (json, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_kind (parsed), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpint (cohort_message_get_error_code (parsed), ==, COHORT_ERROR_MOVED);
  g_assert_cmpstr (cohort_message_get_url (parsed), ==, "ws://10.0.0.2:8765/ws");
  g_assert_cmpstr (cohort_message_get_id (parsed), ==, "id-1");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CohortMessage) refused = cohort_protocol_parse_server (bad[i], strlen (bad[i]), &error);

      g_assert_null (refused);
      g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_request_ids_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      char *id = cohort_protocol_new_request_id ();

      g_assert_cmpuint (strlen (id), <=, COHORT_MAX_ID_CHARS);
      g_assert_true (g_hash_table_add (seen, id));
    }
}

static void
test_strict_json (void)
{
  /* The last of two keys used to win: this raised a hand. */
  REJECT ("{\"type\":\"ping\",\"type\":\"hand.raise\",\"id\":\"a\"}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"id\":\"b\"}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":1,\"participant_id\":2}}",
          INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":[{\"k\":1,\"k\":2}]}}", INVALID, BAD_JSON, NULL, NULL);
  /* The second object used to be dropped without a word. */
  REJECT ("{\"type\":\"ping\",\"id\":\"a\"}{\"type\":\"hand.raise\",\"id\":\"b\"}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\"}\n{\"type\":\"ping\",\"id\":\"b\"}", INVALID, BAD_JSON, NULL, NULL);
  /* What json-glib reads and RFC 8259 does not. */
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":0x10}}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"hand.lower\",\"id\":\"a\",\"body\":{\"participant_id\":010}}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{'type':'ping','id':'a'}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",/* hi */\"id\":\"a\"}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\"} // hi", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("\xef\xbb\xbf{\"type\":\"ping\",\"id\":\"a\"}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":NaN}}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":Infinity}}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":\"tab\there\"}}", INVALID, BAD_JSON, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":\"\\udc00\"}}", INVALID, BAD_JSON, NULL, NULL);
  /* Still fine: white space around, escapes, a pair of surrogates. */
  {
    g_autoptr(CohortMessage) ok = parse_ok (" \r\n{\"type\":\"p\\u0069ng\",\"id\":\"\\u0061\",\"body\":"
                                             "{\"x\":\"\\ud83c\\udf38\"}}\n ");

    g_assert_cmpstr (cohort_message_get_name (ok), ==, "ping");
    g_assert_cmpstr (cohort_message_get_id (ok), ==, "a");
  }
  /* Deep nesting stops early, without recursing through it all. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":");

    for (guint i = 0; i < 10000; i++)
      g_string_append_c (deep, '[');
    assert_rejected (deep->str, deep->len, COHORT_ERROR_INVALID, COHORT_INVALID_BAD_JSON, NULL, NULL);
  }
}

static void
test_reject_nul (void)
{
  /* An escaped NUL used to cut the string short: the name was stored as
   * "Eve", the type ran as "ping", the reply's "re" could not be matched. */
  REJECT ("{\"type\":\"class.join\",\"id\":\"a\",\"body\":{\"protocol\":2,\"code\":\"K7QM2XPA\","
          "\"name\":\"Eve\\u0000 (Teacher)\"}}", INVALID, BAD_TEXT, NULL, NULL);
  REJECT ("{\"type\":\"ping\\u0000evil\",\"id\":\"a\"}", INVALID, BAD_TEXT, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\\u0000b\"}", INVALID, BAD_TEXT, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"k\\u0000\":1}}", INVALID, BAD_TEXT, NULL, NULL);
  REJECT ("{\"type\":\"ping\",\"id\":\"a\",\"body\":{\"x\":[\"\\u0000\"]}}", INVALID, BAD_TEXT, NULL, NULL);
}

static void
test_server_frames_strict (void)
{
  const char *bad[] = {
    "{\"type\":\"ok\",\"re\":\"a\",\"re\":\"b\",\"body\":{}}",
    "{\"type\":\"ok\",\"re\":\"a\",\"body\":{}}{\"type\":\"ok\",\"re\":\"b\",\"body\":{}}",
    "{\"type\":\"ok\",\"re\":\"a\\u0000b\",\"body\":{}}",
    "{\"type\":\"event\",\"seq\":1,\"event\":\"hand.raised\",\"body\":"
      "{\"participant_id\":1,\"raised_at\":0x1}}",
    "\xef\xbb\xbf{\"type\":\"ok\",\"re\":\"a\",\"body\":{}}",
  };
  g_autoptr(CohortMessage) good = NULL;
  g_autoptr(GError) error = NULL;
  const char *ok = "{\"type\":\"ok\",\"re\":\"a\",\"body\":{\"x\":\"\\u00e9\"}}";

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CohortMessage) message = cohort_protocol_parse_server (bad[i], strlen (bad[i]), &error);

      g_test_message ("server frame %u", i);
      g_assert_null (message);
      g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
      g_clear_error (&error);
    }

  good = cohort_protocol_parse_server (ok, strlen (ok), &error);
  g_assert_no_error (error);
  g_assert_nonnull (good);

  /* A name stored before the text rules (one Hangul filler) still reads,
   * so that an old class stays usable; an override in one is cleaned. */
  {
    const char *legacy = "{\"type\":\"event\",\"seq\":1,\"event\":\"participant.joined\",\"body\":"
                         "{\"participant\":{\"id\":2,\"name\":\"\\u3164\",\"role\":\"student\",\"online\":true}}}";
    const char *override = "{\"type\":\"event\",\"seq\":1,\"event\":\"participant.joined\",\"body\":"
                           "{\"participant\":{\"id\":2,\"name\":\"Eve\\u202e\",\"role\":\"student\",\"online\":true}}}";
    g_autoptr(CohortMessage) a = cohort_protocol_parse_server (legacy, strlen (legacy), &error);
    g_autoptr(CohortMessage) b = NULL;
    JsonObject *participant;

    g_assert_no_error (error);
    g_assert_nonnull (a);
    b = cohort_protocol_parse_server (override, strlen (override), &error);
    g_assert_no_error (error);
    participant = json_object_get_object_member (cohort_message_get_body (b), "participant");
    g_assert_cmpstr (json_object_get_string_member (participant, "name"), ==, "Eve");
  }
}

/* One request of each feature with a hostile text in @field. */
typedef struct
{
  const char *type;
  const char *body_format;    /* "%s" stands for the JSON string */
  const char *field;
} TextField;

static const TextField text_fields[] = {
  { "class.create", "{\"protocol\":2,\"title\":\"Physics\",\"name\":%s}", "name" },
  { "class.create", "{\"protocol\":2,\"title\":%s,\"name\":\"Li\"}", "title" },
  { "class.join", "{\"protocol\":2,\"code\":\"K7QM2XPA\",\"name\":%s}", "name" },
  { "groups.create", "{\"name\":%s,\"size\":4}", "name" },
  { "groups.create", "{\"name\":\"Owls\",\"size\":4,\"topic\":%s}", "topic" },
  { "groups.check_in", "{\"note\":%s,\"tz\":\"UTC\"}", "note" },
  { "groups.star", "{\"participant_id\":2,\"reason\":%s}", "reason" },
  { "quiz.answer", "{\"run_id\":1,\"answer\":%s}", "answer" },
  { "ai.ask", "{\"text\":%s}", "text" },
  { "ai.policy.set", "{\"mode\":\"hints\",\"topic\":%s}", "topic" },
  { "ai.policy.set", "{\"mode\":\"hints\",\"notes\":%s}", "notes" },
  { "chat.send", "{\"text\":%s}", "text" },
};

static char *
text_frame (const TextField *f,
            const char      *json_string)
{
  g_autoptr(GString) body = g_string_new (f->body_format);

  g_string_replace (body, "%s", json_string, 1);
  return g_strdup_printf ("{\"type\":\"%s\",\"id\":\"t\",\"body\":%s}", f->type, body->str);
}

static void
test_text_rules_every_table (void)
{
  /* One-line fields refuse every kind of line break. */
  REJECT ("{\"type\":\"ai.policy.set\",\"id\":\"t\",\"body\":{\"mode\":\"hints\",\"topic\":\"a\\u2028b\"}}",
          INVALID, BAD_TEXT, "topic", "t");
  REJECT ("{\"type\":\"groups.create\",\"id\":\"t\",\"body\":{\"name\":\"a\\rb\",\"size\":2}}",
          INVALID, BAD_TEXT, "name", "t");

  /* Cleaned: the bidi override and the zero-width space go. */
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      g_autofree char *frame = text_frame (&text_fields[i], "\"Eve\\u202e\\u200b rehcaeT\"");
      g_autoptr(CohortMessage) message = NULL;

      g_test_message ("%s.%s", text_fields[i].type, text_fields[i].field);
      message = parse_ok (frame);
      g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (message),
                                                      text_fields[i].field), ==, "Eve rehcaeT");
    }

  /* Refused: nothing visible is left. */
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      const char *hostile[] = { "\"\\u3164\"", "\"\\u115f\"", "\"\\uffa0\"", "\"\\u200b\"",
                                "\"\\u2800\"", "\"\\u202e\\u2066\"", "\" \\u3164 \"" };

      for (guint h = 0; h < G_N_ELEMENTS (hostile); h++)
        {
          g_autofree char *frame = text_frame (&text_fields[i], hostile[h]);

          g_test_message ("%s.%s = %s", text_fields[i].type, text_fields[i].field, hostile[h]);
          assert_rejected (frame, strlen (frame), COHORT_ERROR_INVALID, COHORT_INVALID_BAD_TEXT,
                           text_fields[i].field, "t");
        }
    }
}

/* practice (issue 14): one accepted and the refused frames of each kind
 * of rule in the practice table. */
static void
test_practice_requests (void)
{
  g_autoptr(CohortMessage) next = parse_ok ("{\"type\":\"practice.next\",\"id\":\"p1\",\"body\":{}}");
  g_autoptr(CohortMessage) answer = parse_ok ("{\"type\":\"practice.answer\",\"id\":\"p2\","
                                              "\"body\":{\"question_id\":3,\"answer\":[0,2]}}");
  g_autoptr(CohortMessage) set = parse_ok ("{\"type\":\"knowledge.set\",\"id\":\"p3\","
                                           "\"body\":{\"name\":\" Fractions \",\"practice\":false}}");

  /* the name comes back clean */
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (set), "name"), ==, "Fractions");
  REJECT ("{\"type\":\"practice.answer\",\"id\":\"p4\",\"body\":{\"question_id\":3}}",
          INVALID, MISSING_FIELD, "answer", "p4");
  REJECT ("{\"type\":\"practice.answer\",\"id\":\"p5\",\"body\":{\"question_id\":3,\"answer\":{}}}",
          INVALID, WRONG_TYPE, "answer", "p5");
  REJECT ("{\"type\":\"practice.answer\",\"id\":\"p6\",\"body\":{\"question_id\":0,\"answer\":1}}",
          INVALID, OUT_OF_RANGE, "question_id", "p6");
  REJECT ("{\"type\":\"practice.launch\",\"id\":\"p7\",\"body\":{\"point_id\":1,\"count\":21}}",
          INVALID, OUT_OF_RANGE, "count", "p7");
  REJECT ("{\"type\":\"knowledge.set\",\"id\":\"p8\",\"body\":{\"practice\":\"yes\"}}",
          INVALID, WRONG_TYPE, "practice", "p8");
  REJECT ("{\"type\":\"mastery.get\",\"id\":\"p9\",\"body\":{\"participant_id\":\"me\"}}",
          INVALID, WRONG_TYPE, "participant_id", "p9");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/protocol/parse-valid", test_parse_valid_requests);
  g_test_add_func ("/cohort/protocol/reject-envelope", test_reject_envelope);
  g_test_add_func ("/cohort/protocol/reject-long-id", test_reject_long_id);
  g_test_add_func ("/cohort/protocol/error-message-utf8", test_error_message_utf8);
  g_test_add_func ("/cohort/protocol/reject-lone-surrogate", test_reject_lone_surrogate);
  g_test_add_func ("/cohort/protocol/reject-infinite-number", test_reject_infinite_number);
  g_test_add_func ("/cohort/protocol/reject-oversize", test_reject_oversize);
  g_test_add_func ("/cohort/protocol/reject-binary-junk", test_reject_binary_junk);
  g_test_add_func ("/cohort/protocol/reject-fields", test_reject_fields);
  g_test_add_func ("/cohort/protocol/reject-names", test_reject_names);
  g_test_add_func ("/cohort/protocol/normalize-text", test_normalize_text);
  g_test_add_func ("/cohort/protocol/normalize-code", test_normalize_code);
  g_test_add_func ("/cohort/protocol/anonymous-table", test_anonymous_table);
  g_test_add_func ("/cohort/protocol/round-trip", test_round_trip);
  g_test_add_func ("/cohort/protocol/server-frames-validated", test_server_frames_validated);
  g_test_add_func ("/cohort/protocol/event-prev", test_event_prev);
  g_test_add_func ("/cohort/protocol/validate-objects", test_validate_objects);
  g_test_add_func ("/cohort/protocol/error-codes", test_error_codes);
  g_test_add_func ("/cohort/protocol/request-ids-unique", test_request_ids_unique);
  g_test_add_func ("/cohort/protocol/strict-json", test_strict_json);
  g_test_add_func ("/cohort/protocol/reject-nul", test_reject_nul);
  g_test_add_func ("/cohort/protocol/server-frames-strict", test_server_frames_strict);
  g_test_add_func ("/cohort/protocol/text-rules-every-table", test_text_rules_every_table);
  g_test_add_func ("/cohort/protocol/practice-requests", test_practice_requests);
  g_test_add_func ("/cohort/protocol/moved", test_moved);

  return g_test_run ();
}
