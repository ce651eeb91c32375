/* test-ai-units.c: the SSE parser, chunk parsing and topic words
 * (the answer's Markdown: tests/core/test-ai-markdown.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-ai-chunk.h"
#include "cohort-ai-config.h"
#include "cohort-ai-nudge.h"
#include "cohort-ai-prompt.h"
#include "cohort-ai-protocol.h"
#include "cohort-ai-service.h"
#include "cohort-protocol.h"
#include "cohort-sse-parser.h"

/* Feeds @stream in pieces of @step bytes and returns the events' data,
 * joined with "|". */
static char *
parse_in_steps (const char *stream,
                gsize       step,
                guint      *out_comments)
{
  g_autoptr(CohortSseParser) parser = cohort_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gsize length = strlen (stream);
  char *data;

  for (gsize offset = 0; offset < length; offset += step)
    {
      g_assert_true (cohort_sse_parser_feed (parser, stream + offset, MIN (step, length - offset), &error));
      g_assert_no_error (error);
    }
  g_assert_true (cohort_sse_parser_finish (parser, &error));
  g_assert_no_error (error);

  while ((data = cohort_sse_parser_pop (parser, NULL)) != NULL)
    {
      if (out->len > 0)
        g_string_append_c (out, '|');
      g_string_append (out, data);
      g_free (data);
    }

  if (out_comments != NULL)
    *out_comments = cohort_sse_parser_get_n_comments (parser);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_sse_split_anywhere (void)
{
  /* LF, CR LF and lone CR line ends, a comment, a BOM, a two-line data
   * field, an event field, no space after the colon, and 你好 (split at
   * every byte when step is 1). */
  const char *stream = "\xef\xbb\xbf: keep-alive\n\n"
                       "data: one\n\n"
                       "event: delta\r\ndata:two\r\n\r\n"
                       "data: 你好\rdata: second line\r\r"
                       ": another comment\n"
                       "id: 7\nretry: 100\ndata: three\n\n";

  for (gsize step = 1; step <= 9; step++)
    {
      guint comments = 0;
      g_autofree char *events = parse_in_steps (stream, step, &comments);

      g_assert_cmpstr (events, ==, "one|two|你好\nsecond line|three");
      g_assert_cmpuint (comments, ==, 2);
    }
}

static void
test_sse_missing_blank_line (void)
{
  g_autofree char *events = parse_in_steps ("data: a\n\ndata: last", 3, NULL);

  /* End of stream dispatches the pending event. */
  g_assert_cmpstr (events, ==, "a|last");
}

static void
test_sse_event_name (void)
{
  g_autoptr(CohortSseParser) parser = cohort_sse_parser_new (0);
  g_autofree char *event = NULL;
  g_autofree char *data = NULL;

  g_assert_true (cohort_sse_parser_feed (parser, "event: ping\ndata: x\n\n", 21, NULL));
  data = cohort_sse_parser_pop (parser, &event);
  g_assert_cmpstr (data, ==, "x");
  g_assert_cmpstr (event, ==, "ping");
  g_assert_null (cohort_sse_parser_pop (parser, NULL));
}

static void
test_sse_rejects (void)
{
  g_autoptr(CohortSseParser) parser = cohort_sse_parser_new (16);
  g_autoptr(CohortSseParser) parser2 = cohort_sse_parser_new (0);
  g_autoptr(GError) error = NULL;

  /* A long line that is neither data nor a comment is an error. */
  g_assert_false (cohort_sse_parser_feed (parser, "event: 0123456789abcdef\n", 24, &error));
  g_assert_error (error, COHORT_SSE_ERROR, COHORT_SSE_ERROR_LINE_TOO_LONG);
  g_clear_error (&error);

  /* A UTF-8 character split across chunks is fine; a broken one is not. */
  g_assert_true (cohort_sse_parser_feed (parser2, "data: \xe4\xbd", 8, &error));
  g_assert_true (cohort_sse_parser_feed (parser2, "\xa0\n\n", 3, &error));
  g_assert_no_error (error);
  g_free (cohort_sse_parser_pop (parser2, NULL));
  g_assert_false (cohort_sse_parser_feed (parser2, "data: \xe4\n\n", 9, &error));
  g_assert_error (error, COHORT_SSE_ERROR, COHORT_SSE_ERROR_BAD_UTF8);
}

/* A data line, a comment or an event over the limit keeps its start (cut
 * at a character) and drops the rest: the parser never holds more than
 * the limit, and the event is marked truncated. */
static void
test_sse_bounded (void)
{
  const gsize limit = 1024;
  g_autoptr(CohortSseParser) parser = cohort_sse_parser_new (limit);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new ("data: ");
  g_autofree char *data = NULL;
  g_autofree char *second = NULL;
  gboolean truncated = FALSE;

  /* 1 MiB of 你 (3 bytes each), fed in 8 KiB reads like the upstream. */
  for (guint i = 0; i < 1024 * 1024 / 3; i++)
    g_string_append (big, "你");
  g_string_append (big, "\n\n: ");
  for (guint i = 0; i < 4 * limit; i++)
    g_string_append_c (big, 'c');
  g_string_append (big, "\n");
  /* Many data lines without a blank line between them. */
  for (guint i = 0; i < 4 * limit; i++)
    g_string_append (big, "data: y\n");
  g_string_append (big, "\ndata: after\n\n");

  for (gsize offset = 0; offset < big->len; offset += 8192)
    g_assert_true (cohort_sse_parser_feed (parser, big->str + offset, MIN (8192, big->len - offset), &error));
  g_assert_no_error (error);

  data = cohort_sse_parser_pop_full (parser, NULL, &truncated);
  g_assert_true (truncated);
  g_assert_cmpuint (strlen (data), <=, limit);
  g_assert_cmpuint (strlen (data), >=, limit - 16);
  g_assert_true (g_utf8_validate (data, -1, NULL));
  g_assert_true (g_str_has_prefix (data, "你你你"));

  second = cohort_sse_parser_pop_full (parser, NULL, &truncated);
  g_assert_true (truncated);
  g_assert_cmpuint (strlen (second), <=, limit);
  g_assert_cmpuint (cohort_sse_parser_get_n_comments (parser), ==, 1);
  g_free (g_steal_pointer (&second));

  second = cohort_sse_parser_pop_full (parser, NULL, &truncated);
  g_assert_cmpstr (second, ==, "after");
  g_assert_false (truncated);
}

/* The start of the content of JSON cut anywhere. */
static void
test_content_prefix (void)
{
  const char *json = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                     "\"content\":\"Hi \\\"you\\\" \\u4f60\\ud83d\\ude00 and more\"}}]}";
  g_autofree char *whole = cohort_ai_chunk_content_prefix (json, strlen (json), "delta");
  g_autofree char *message = NULL;
  g_autofree char *none = NULL;

  g_assert_cmpstr (whole, ==, "Hi \"you\" 你😀 and more");

  /* Every cut gives a valid UTF-8 start of it. */
  for (gsize cut = 0; cut < strlen (json); cut++)
    {
      g_autofree char *prefix = cohort_ai_chunk_content_prefix (json, cut, "delta");

      if (prefix != NULL)
        {
          g_assert_true (g_utf8_validate (prefix, -1, NULL));
          g_assert_true (g_str_has_prefix (whole, prefix));
        }
    }

  message = cohort_ai_chunk_content_prefix ("{\"choices\":[{\"message\":{\"content\":\"abc",
                                            strlen ("{\"choices\":[{\"message\":{\"content\":\"abc"), "message");
  g_assert_cmpstr (message, ==, "abc");
  /* Content elsewhere than choices[0].delta is not it. */
  none = cohort_ai_chunk_content_prefix ("{\"choices\":[{},{\"delta\":{\"content\":\"no",
                                         strlen ("{\"choices\":[{},{\"delta\":{\"content\":\"no"), "delta");
  g_assert_null (none);

  /* Malformed JSON ends the scan; a stray ':' in an array used to be
   * taken as an empty value, again and again. */
  {
    const char *bad[] = { "{\"choices\":[:", "[:]", "{\"choices\":[{\"delta\":{\"content\":[:,:]" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      g_assert_null (cohort_ai_chunk_content_prefix (bad[i], strlen (bad[i]), "delta"));
  }
}

/* Found by fuzz/fuzz-sse-parser.c: a field line without a colon ("data",
 * "event") measured its value from the line to a string literal, and
 * appended gigabytes (cohort-server aborted). The WHATWG rules make it a
 * field with an empty value. */
static void
test_sse_field_without_colon (void)
{
  g_autoptr(CohortSseParser) parser = cohort_sse_parser_new (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *event = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const char *stream = "data\n\nevent\ndata: x\ndata\n\n";

  g_assert_true (cohort_sse_parser_feed (parser, stream, strlen (stream), &error));
  g_assert_no_error (error);
  first = cohort_sse_parser_pop (parser, NULL);
  g_assert_cmpstr (first, ==, "");
  second = cohort_sse_parser_pop (parser, &event);
  g_assert_cmpstr (second, ==, "x\n");
  g_assert_cmpstr (event, ==, "");
}

/* Found by fuzz/fuzz-sse-parser.c: each line was bounded, but the data
 * lines of an event that never ends (no blank line) piled up without
 * limit. The event's data is bounded like a line (what does not fit is
 * dropped, and the event is popped as truncated), so what the parser
 * holds stays under twice that. */
static void
test_sse_event_bounded (void)
{
  g_autoptr(CohortSseParser) parser = cohort_sse_parser_new (64);
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < 100; i++)
    {
      g_assert_true (cohort_sse_parser_feed (parser, "data: 0123456789\n", 17, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (cohort_sse_parser_get_pending_bytes (parser), <=, 2 * 64);
    }
}

static void
test_chunks (void)
{
  CohortAiChunk chunk;
  g_autoptr(GError) error = NULL;

  g_assert_true (cohort_ai_chunk_parse ("[DONE]", &chunk, &error));
  g_assert_true (chunk.done);
  cohort_ai_chunk_clear (&chunk);

  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi \\u4f60\"},"
                                        "\"finish_reason\":null}]}", &chunk, &error));
  g_assert_cmpstr (chunk.content, ==, "Hi 你");
  g_assert_null (chunk.finish_reason);
  cohort_ai_chunk_clear (&chunk);

  /* Servers that write the field from a plain string (Go structs without
   * omitempty) send "finish_reason": "" on every token: that is no
   * finish, or a stream broken mid-answer would pass as whole. */
  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[{\"delta\":{\"content\":\"a\"},"
                                        "\"finish_reason\":\"\"}]}", &chunk, &error));
  g_assert_cmpstr (chunk.content, ==, "a");
  g_assert_null (chunk.finish_reason);
  cohort_ai_chunk_clear (&chunk);

  /* Role-only and finish chunks carry no content. */
  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}", &chunk, &error));
  g_assert_null (chunk.content);
  cohort_ai_chunk_clear (&chunk);
  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}", &chunk, &error));
  g_assert_cmpstr (chunk.finish_reason, ==, "length");
  cohort_ai_chunk_clear (&chunk);

  /* A usage chunk (choices empty or absent). */
  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9}}",
                                        &chunk, &error));
  g_assert_true (chunk.has_usage);
  g_assert_cmpint (chunk.completion_tokens, ==, 9);
  g_assert_null (chunk.content);
  cohort_ai_chunk_clear (&chunk);

  /* Error objects, OpenAI style and Ollama style. */
  g_assert_true (cohort_ai_chunk_parse ("{\"error\":{\"message\":\"m\",\"type\":\"rate_limit_exceeded\"}}",
                                        &chunk, &error));
  g_assert_true (chunk.is_error);
  g_assert_cmpstr (chunk.error_type, ==, "rate_limit_exceeded");
  cohort_ai_chunk_clear (&chunk);
  g_assert_true (cohort_ai_chunk_parse ("{\"error\":\"model not found\"}", &chunk, &error));
  g_assert_true (chunk.is_error);
  g_assert_cmpstr (chunk.error_message, ==, "model not found");
  cohort_ai_chunk_clear (&chunk);
  /* vLLM's. */
  g_assert_true (cohort_ai_chunk_parse ("{\"object\":\"error\",\"message\":\"boom\",\"type\":\"BadRequestError\","
                                        "\"code\":400}", &chunk, &error));
  g_assert_true (chunk.is_error);
  g_assert_cmpstr (chunk.error_message, ==, "boom");
  g_assert_cmpstr (chunk.error_type, ==, "BadRequestError");
  cohort_ai_chunk_clear (&chunk);

  /* Reasoning: a sign of life, its text not kept. */
  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}", &chunk, &error));
  g_assert_true (chunk.reasoning);
  g_assert_null (chunk.content);
  cohort_ai_chunk_clear (&chunk);
  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[{\"delta\":{\"reasoning\":\"hmm\",\"content\":\"\"}}]}", &chunk, &error));
  g_assert_true (chunk.reasoning);
  cohort_ai_chunk_clear (&chunk);
  g_assert_true (cohort_ai_chunk_parse ("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}", &chunk, &error));
  g_assert_false (chunk.reasoning);
  cohort_ai_chunk_clear (&chunk);

  /* A whole, non-streamed answer. */
  g_assert_true (cohort_ai_chunk_parse_completion ("{\"object\":\"chat.completion\",\"choices\":[{\"message\":"
                                                   "{\"role\":\"assistant\",\"content\":\"All of it\"},"
                                                   "\"finish_reason\":\"stop\"}]}", &chunk, &error));
  g_assert_cmpstr (chunk.content, ==, "All of it");
  g_assert_cmpstr (chunk.finish_reason, ==, "stop");
  cohort_ai_chunk_clear (&chunk);
  g_assert_no_error (error);

  /* Invalid JSON and wrong types. */
  g_assert_false (cohort_ai_chunk_parse ("{not json", &chunk, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (cohort_ai_chunk_parse ("[1,2]", &chunk, &error));
  g_clear_error (&error);
  g_assert_false (cohort_ai_chunk_parse ("{\"choices\":[{\"delta\":{\"content\":5}}]}", &chunk, &error));
  g_clear_error (&error);
  g_assert_false (cohort_ai_chunk_parse ("{\"choices\":{}}", &chunk, &error));
  g_clear_error (&error);
}

static void
test_topic_words (void)
{
  g_auto(GStrv) en = _cohort_ai_service_topic_words ("What is photosynthesis and why do plants need chlorophyll?");
  g_auto(GStrv) zh = _cohort_ai_service_topic_words ("什么是光合作用？");
  g_auto(GStrv) none = _cohort_ai_service_topic_words ("why? how?");

  g_assert_cmpstr (en[0], ==, "photosynthesis");
  g_assert_cmpstr (en[1], ==, "plants");
  g_assert_cmpstr (en[2], ==, "chlorophyll");
  g_assert_null (en[3]);
  g_assert_cmpstr (zh[0], ==, "光合作用");
  g_assert_null (none[0]);
}

static void
test_multiline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = cohort_ai_normalize_multiline ("  line one\r\n\tline two  ", 1, 100, &error);
  g_autofree char *bad = NULL;
  g_autofree char *empty = NULL;

  g_assert_cmpstr (ok, ==, "line one\n\tline two");
  bad = cohort_ai_normalize_multiline ("bell \a", 1, 100, &error);
  g_assert_null (bad);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);
  empty = cohort_ai_normalize_multiline (" \n ", 1, 100, &error);
  g_assert_null (empty);
  g_clear_error (&error);
}

static void
test_config (void)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(CohortAiConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redacted = NULL;

  g_setenv ("COHORT_TEST_AI_KEY", "sk-secret-123", TRUE);
  g_assert_true (g_key_file_load_from_data (keyfile,
                                            "[ai]\nbase-url=http://127.0.0.1:11434/v1/\nmodel=llama3.2\n"
                                            "api-key-env=COHORT_TEST_AI_KEY\nfirst-token-timeout=2.5\n",
                                            -1, G_KEY_FILE_NONE, &error));
  config = cohort_ai_config_load (keyfile, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->base_url, ==, "http://127.0.0.1:11434");
  g_assert_cmpstr (config->model, ==, "llama3.2");
  g_assert_cmpstr (config->api_key, ==, "sk-secret-123");
  g_assert_cmpuint (config->first_token_timeout_ms, ==, 2500);
  /* The limits' defaults. */
  g_assert_cmpuint (config->questions_per_minute, ==, 6);
  g_assert_cmpuint (config->questions_per_minute_per_class, ==, 200);
  g_assert_cmpuint (config->questions_per_minute_per_server, ==, 1000);
  g_assert_cmpuint (config->max_per_student_per_day, ==, 100);
  g_assert_cmpuint (config->max_per_class_per_day, ==, 2000);
  g_assert_cmpuint (config->max_per_server_per_day, ==, 20000);
  redacted = cohort_ai_config_redact (config, "key sk-secret-123 here");
  g_assert_cmpstr (redacted, ==, "key [redacted] here");

  /* No [ai] group: not configured, no error. */
  g_key_file_remove_group (keyfile, "ai", NULL);
  g_assert_null (cohort_ai_config_load (keyfile, &error));
  g_assert_no_error (error);

  /* Bad values are errors that never quote the key. */
  g_key_file_set_string (keyfile, "ai", "base-url", "ftp://x");
  g_key_file_set_string (keyfile, "ai", "model", "m");
  g_assert_null (cohort_ai_config_load (keyfile, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_key_file_set_string (keyfile, "ai", "base-url", "http://x");
  g_key_file_set_string (keyfile, "ai", "api-key-env", "COHORT_TEST_NO_SUCH_VAR");
  g_assert_null (cohort_ai_config_load (keyfile, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "sk-secret"));
}

/* Milliseconds of a local wall-clock time in @zone. */
static gint64
local_ms (const char *zone,
          int         year,
          int         month,
          int         day,
          int         hour,
          int         minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) time = NULL;

  g_assert_nonnull (tz);
  time = g_date_time_new (tz, year, month, day, hour, minute, 0);
  return g_date_time_to_unix (time) * 1000;
}

/* The helper speaks first only by day in the student's own zone, once a
 * local day, never after three unopened nudges in a row, and about a
 * streak about to break, a lesson tomorrow or a milestone. */
static void
test_nudge_rules (void)
{
  CohortAiNudgeInput in = { 0 };

  /* 18:00 in Shanghai, a 5-day streak not kept today: evening reminder. */
  in.now = local_ms ("Asia/Shanghai", 2026, 3, 10, 18, 0);
  in.tz = "Asia/Shanghai";
  in.streak = 5;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_STREAK);
  /* The same instant is 03:00 in Los Angeles: quiet hours. */
  in.tz = "America/Los_Angeles";
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
  /* Before the evening the streak can wait. */
  in.tz = "Asia/Shanghai";
  in.now = local_ms ("Asia/Shanghai", 2026, 3, 10, 16, 59);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);

  /* Quiet hours, 21:00 to 08:00 local, edges included and excluded. */
  in.streak = 0;
  in.next_lesson = local_ms ("Asia/Shanghai", 2026, 3, 11, 9, 0);
  in.now = local_ms ("Asia/Shanghai", 2026, 3, 10, 20, 59);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_LESSON);
  in.now = local_ms ("Asia/Shanghai", 2026, 3, 10, 21, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
  in.now = local_ms ("Asia/Shanghai", 2026, 3, 10, 7, 59);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
  in.now = local_ms ("Asia/Shanghai", 2026, 3, 10, 8, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_LESSON);

  /* The lesson is tomorrow by the student's calendar only: 09:00 in
   * Shanghai is 18:00 today in Los Angeles. */
  in.tz = "America/Los_Angeles";
  in.now = local_ms ("America/Los_Angeles", 2026, 3, 10, 9, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
  in.now = local_ms ("America/Los_Angeles", 2026, 3, 9, 9, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_LESSON);
  /* Two days ahead: not yet. */
  in.now = local_ms ("America/Los_Angeles", 2026, 3, 8, 12, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);

  /* One a local day: 20:00 yesterday in Los Angeles is the same UTC day
   * as 09:00 today there, and still allows today's. */
  in.tz = "America/Los_Angeles";
  in.now = local_ms ("America/Los_Angeles", 2026, 3, 10, 9, 0);
  in.next_lesson = local_ms ("America/Los_Angeles", 2026, 3, 11, 10, 0);
  in.last_sent = local_ms ("America/Los_Angeles", 2026, 3, 9, 20, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_LESSON);
  in.last_sent = local_ms ("America/Los_Angeles", 2026, 3, 10, 8, 30);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
  /* Flying west, "today" moves back: still none. */
  in.tz = "Pacific/Honolulu";
  in.now = local_ms ("America/Los_Angeles", 2026, 3, 10, 13, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);

  /* Three unopened in a row: nothing until the student comes back. */
  in.tz = "America/Los_Angeles";
  in.last_sent = local_ms ("America/Los_Angeles", 2026, 3, 9, 9, 0);
  in.unopened_in_row = 2;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_LESSON);
  in.unopened_in_row = 3;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
  in.unopened_in_row = 0;

  /* A milestone reached today comes first. */
  in.streak = 7;
  in.checked_in_today = TRUE;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_MILESTONE);
  in.streak = 8;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_LESSON);

  /* An unknown zone is UTC, not the server's. */
  memset (&in, 0, sizeof in);
  in.tz = "Mars/Olympus";
  in.now = local_ms ("UTC", 2026, 3, 10, 22, 0);
  in.streak = 3;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
  in.now = local_ms ("UTC", 2026, 3, 10, 18, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_STREAK);
  g_assert_cmpstr (cohort_ai_nudge_kind_name (COHORT_AI_NUDGE_STREAK), ==, "streak");

  /* A weak practice point comes last: only when nothing else holds. */
  in.weak_point = TRUE;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_STREAK);
  in.streak = 0;
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_PRACTICE);
  g_assert_cmpstr (cohort_ai_nudge_kind_name (COHORT_AI_NUDGE_PRACTICE), ==, "practice");
  /* and never at night */
  in.now = local_ms ("UTC", 2026, 3, 10, 22, 0);
  g_assert_cmpint (cohort_ai_nudge_decide (&in), ==, COHORT_AI_NUDGE_NONE);
}

/* The token estimate the context budget counts in: ASCII by fours
 * (rounded up, per run), any other character one token. */
static void
test_token_estimate (void)
{
  g_assert_cmpuint (cohort_ai_estimate_tokens (NULL), ==, 0);
  g_assert_cmpuint (cohort_ai_estimate_tokens (""), ==, 0);
  g_assert_cmpuint (cohort_ai_estimate_tokens ("abcd"), ==, 1);
  g_assert_cmpuint (cohort_ai_estimate_tokens ("abcde"), ==, 2);
  g_assert_cmpuint (cohort_ai_estimate_tokens ("光合作用"), ==, 4);
  /* "Hi " (1) + 你 (1) + 好 (1) + "!" (1) */
  g_assert_cmpuint (cohort_ai_estimate_tokens ("Hi 你好!"), ==, 4);
}

/* A nudge the model wrote is used only as one short paragraph. */
static void
test_clean_nudge (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *one = cohort_ai_prompt_clean_nudge ("  Keep going!\n\nFive minutes today.\n");

  g_assert_cmpstr (one, ==, "Keep going! Five minutes today.");
  g_assert_null (cohort_ai_prompt_clean_nudge (""));
  g_assert_null (cohort_ai_prompt_clean_nudge ("   \n  "));
  g_assert_null (cohort_ai_prompt_clean_nudge ("bad \xff utf-8"));
  while (long_text->len <= COHORT_AI_NUDGE_MAX_CHARS)
    g_string_append (long_text, "word ");
  g_assert_null (cohort_ai_prompt_clean_nudge (long_text->str));
}

/* The system prompts: hints with the key held back and a question back,
 * full without the key, the teacher's own. */
static void
test_system_prompts (void)
{
  CohortAiPromptInput in = {
    .class_title = "Physics", .mode = "hints", .topic = "Forces",
    .notes = "Use the lift example.", .answer_key = "F = ma gives 20 N",
  };
  g_autofree char *hints = cohort_ai_prompt_system (&in);
  g_autofree char *full = NULL;
  g_autofree char *teacher = NULL;

  g_assert_nonnull (strstr (hints, "Never give the final answer"));
  g_assert_nonnull (strstr (hints, "<answer_key>\nF = ma gives 20 N\n</answer_key>"));
  g_assert_nonnull (strstr (hints, "Never reveal it"));
  g_assert_nonnull (strstr (hints, "End each answer with one short question"));
  in.mode = "full";
  full = cohort_ai_prompt_system (&in);
  g_assert_null (strstr (full, "20 N"));
  g_assert_nonnull (strstr (full, "Use the lift example."));
  in.mode = "hints";
  in.for_teacher = TRUE;
  teacher = cohort_ai_prompt_system (&in);
  g_assert_nonnull (strstr (teacher, "teaching assistant"));
  g_assert_nonnull (strstr (teacher, "20 N"));
  g_assert_null (strstr (teacher, "Never give the final answer"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/ai/sse/split-anywhere", test_sse_split_anywhere);
  g_test_add_func ("/cohort/ai/sse/missing-blank-line", test_sse_missing_blank_line);
  g_test_add_func ("/cohort/ai/sse/event-name", test_sse_event_name);
  g_test_add_func ("/cohort/ai/sse/rejects", test_sse_rejects);
  g_test_add_func ("/cohort/ai/sse/bounded", test_sse_bounded);
  g_test_add_func ("/cohort/ai/sse/field-without-colon", test_sse_field_without_colon);
  g_test_add_func ("/cohort/ai/sse/event-bounded", test_sse_event_bounded);
  g_test_add_func ("/cohort/ai/chunks", test_chunks);
  g_test_add_func ("/cohort/ai/content-prefix", test_content_prefix);
  g_test_add_func ("/cohort/ai/topic-words", test_topic_words);
  g_test_add_func ("/cohort/ai/multiline", test_multiline);
  g_test_add_func ("/cohort/ai/config", test_config);
  g_test_add_func ("/cohort/ai/nudge-rules", test_nudge_rules);
  g_test_add_func ("/cohort/ai/token-estimate", test_token_estimate);
  g_test_add_func ("/cohort/ai/clean-nudge", test_clean_nudge);
  g_test_add_func ("/cohort/ai/system-prompts", test_system_prompts);

  return g_test_run ();
}
