/* cohort-ai-upstream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-ai-chunk.h"
#include "cohort-ai-upstream.h"
#include "cohort-protocol.h"
#include "cohort-sse-parser.h"

#define READ_SIZE 8192
/* Answers stream below the class's own traffic: when a chat message and
 * an answer's next token are both ready, the main loop takes the chat
 * message first, so a hundred streaming answers do not slow the class
 * down. A token waits at most one dispatch. (docs/architecture-ai.md) */
#define AI_IO_PRIORITY (G_PRIORITY_DEFAULT + 10)
/* The most of one SSE line or event the parser holds (a longer token is
 * cut there, and then at the answer's own 48 KiB), and of a non-streamed
 * JSON answer. */
#define MAX_EVENT_LINE (256 * 1024)
#define MAX_JSON_BODY  (256 * 1024)

/* Answer bodies being read, in this process (see wait_for_data()). */
static guint n_streaming;

typedef enum
{
  TIMEOUT_NONE,
  TIMEOUT_CONNECT,
  TIMEOUT_FIRST_TOKEN,
  TIMEOUT_TOTAL,
} TimeoutKind;

struct _CohortAiUpstream
{
  GObject          parent_instance;

  SoupSession     *session;
  CohortAiConfig  *config;
  SoupMessage     *message;
  GInputStream    *stream;
  GCancellable    *cancellable;
  CohortSseParser *parser;

  guint            connect_timer;
  guint            first_token_timer;
  guint            total_timer;
  TimeoutKind      timed_out;

  char            *finish_reason;
  char            *cut_reason;  /* why it was cut short, for the log */
  gint64           last_alive;  /* monotonic µs of the last sign of life */
  guint            n_comments;  /* SSE comments seen (keep-alives) */
  gboolean         thinking;    /* ::thinking emitted */
  gboolean         json_body;   /* a whole application/json answer */
  GByteArray      *body;        /* json_body: what came so far */
  gint64           first_token_time;
  gint64           completion_tokens;
  gboolean         got_content;
  gboolean         started;
  gboolean         done;       /* ::finished emitted or cancelled */
  gboolean         streaming;  /* counted in n_streaming */
};

G_DEFINE_FINAL_TYPE (CohortAiUpstream, cohort_ai_upstream, G_TYPE_OBJECT)

enum {
  DELTA,
  THINKING,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_timers (CohortAiUpstream *self)
{
  g_clear_handle_id (&self->connect_timer, g_source_remove);
  g_clear_handle_id (&self->first_token_timer, g_source_remove);
  g_clear_handle_id (&self->total_timer, g_source_remove);
}

static void
close_stream (CohortAiUpstream *self)
{
  /* Closing a body that was not read to its end makes libsoup drop the
   * connection, which is what tells the upstream to stop generating. */
  if (self->stream != NULL)
    {
      g_input_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&self->stream);
    }
  if (self->streaming)
    {
      self->streaming = FALSE;
      n_streaming--;
    }
}

static void
finish (CohortAiUpstream *self,
        GError           *error)
{
  g_autoptr(GError) owned = error;

  if (self->done)
    return;
  self->done = TRUE;

  clear_timers (self);
  if (error != NULL)
    g_cancellable_cancel (self->cancellable);
  close_stream (self);

  g_object_ref (self);
  g_signal_emit (self, signals[FINISHED], 0,
                 error == NULL ? (self->finish_reason ?: "stop") : NULL,
                 error);
  g_object_unref (self);
}

static void
fail (CohortAiUpstream *self,
      CohortErrorCode   code,
      const char       *message)
{
  finish (self, g_error_new_literal (COHORT_PROTOCOL_ERROR, code, message));
}

static void
fail_timeout (CohortAiUpstream *self)
{
  if (self->timed_out == TIMEOUT_CONNECT)
    fail (self, COHORT_ERROR_AI_TIMEOUT,
          _("The school’s AI service did not answer in time. Try again in a moment."));
  else if (self->timed_out == TIMEOUT_FIRST_TOKEN)
    fail (self, COHORT_ERROR_AI_TIMEOUT,
          _("The school’s AI service is taking too long to start answering. Try again in a moment."));
  else
    fail (self, COHORT_ERROR_AI_TIMEOUT,
          _("The answer took too long and was cut off. Ask a shorter question or try again."));
}

static gboolean
on_timeout (CohortAiUpstream *self,
            TimeoutKind       kind)
{
  if (self->done)
    return G_SOURCE_REMOVE;

  g_message ("AI request timed out (%s)",
             kind == TIMEOUT_CONNECT ? "connect" :
             kind == TIMEOUT_FIRST_TOKEN ? "first token" : "total");
  self->timed_out = kind;
  g_cancellable_cancel (self->cancellable);
  fail_timeout (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  CohortAiUpstream *self = user_data;

  self->connect_timer = 0;
  return on_timeout (self, TIMEOUT_CONNECT);
}

static gboolean
on_first_token_timeout (gpointer user_data)
{
  CohortAiUpstream *self = user_data;
  gint64 quiet_ms = (g_get_monotonic_time () - self->last_alive) / 1000;

  self->first_token_timer = 0;

  /* The timeout counts silence: a reasoning chunk or a keep-alive came
   * since, so wait for the rest of the time from that one on. */
  if (quiet_ms < self->config->first_token_timeout_ms)
    {
      self->first_token_timer = g_timeout_add (self->config->first_token_timeout_ms - quiet_ms + 1,
                                               on_first_token_timeout, self);
      return G_SOURCE_REMOVE;
    }

  return on_timeout (self, TIMEOUT_FIRST_TOKEN);
}

/* Anything the upstream sends before the first answer token (a reasoning
 * chunk, a keep-alive comment, a role chunk) shows it is still working on
 * the answer. Reasoning and keep-alives also mean it takes its time:
 * ::thinking, once, so the student is told. */
static void
alive (CohortAiUpstream *self,
       gboolean          thinking)
{
  self->last_alive = g_get_monotonic_time ();

  if (thinking && !self->thinking && !self->got_content)
    {
      self->thinking = TRUE;
      g_object_ref (self);
      g_signal_emit (self, signals[THINKING], 0);
      g_object_unref (self);
    }
}

static gboolean
on_total_timeout (gpointer user_data)
{
  CohortAiUpstream *self = user_data;

  self->total_timer = 0;
  return on_timeout (self, TIMEOUT_TOTAL);
}

static void cut_short (CohortAiUpstream *self,
                       const char       *reason,
                       CohortErrorCode   code,
                       const char       *message);

static void
fail_io (CohortAiUpstream *self,
         const GError     *error)
{
  if (self->done)
    return;

  if (self->timed_out != TIMEOUT_NONE)
    {
      fail_timeout (self);
      return;
    }

  /* Mid-answer: what came is kept, cut short (whole when the model had
   * said it finished). GIO's messages name the host and the OS error,
   * never the headers. */
  if (self->streaming && !self->json_body && self->finish_reason != NULL)
    {
      finish (self, NULL);
      return;
    }
  if (self->streaming && self->got_content)
    {
      g_autofree char *reason = g_strdup_printf ("the connection broke mid-answer: %s", error->message);

      cut_short (self, reason, COHORT_ERROR_AI_UNAVAILABLE, NULL);
      return;
    }

  g_message ("AI service unreachable: %s", error->message);
  fail (self, COHORT_ERROR_AI_UNAVAILABLE,
        _("The school’s AI service cannot be reached right now. Try again later."));
}

static void
fail_malformed (CohortAiUpstream *self,
                const char       *what)
{
  g_message ("AI service sent a malformed stream: %s", what);
  fail (self, COHORT_ERROR_AI_UNAVAILABLE,
        _("The school’s AI service sent an answer Cohort could not read. Try again."));
}

/* The upstream broke off. With part of an answer, that part is the
 * answer, finished as "cut_short" (the service stores it as such and logs
 * @reason); without, the error @code. */
static void
cut_short (CohortAiUpstream *self,
           const char       *reason,
           CohortErrorCode   code,
           const char       *message)
{
  if (!self->got_content)
    {
      g_message ("AI service failed before answering: %s", reason);
      fail (self, code, message);
      return;
    }

  g_free (self->cut_reason);
  self->cut_reason = g_strdup (reason);
  g_free (self->finish_reason);
  self->finish_reason = g_strdup ("cut_short");
  finish (self, NULL);
}

static void
emit_delta (CohortAiUpstream *self,
            const char       *content)
{
  if (!self->got_content)
    {
      self->got_content = TRUE;
      self->first_token_time = g_get_monotonic_time ();
      g_clear_handle_id (&self->first_token_timer, g_source_remove);
    }
  g_object_ref (self);
  g_signal_emit (self, signals[DELTA], 0, content);
  g_object_unref (self);
}

/* An error object or event from the upstream; @message (may quote the
 * key) is only logged, redacted. */
static void
upstream_error (CohortAiUpstream *self,
                const char       *what,
                const char       *type,
                const char       *message)
{
  g_autofree char *redacted = cohort_ai_config_redact (self->config, message);
  gboolean busy = type != NULL && (strstr (type, "rate") != NULL || strstr (type, "overloaded") != NULL);

  g_message ("AI service sent %s (%s): %.200s", what, type ?: "no type", redacted ?: "no message");
  if (busy)
    cut_short (self, what, COHORT_ERROR_AI_BUSY,
               _("The school’s AI service is busy. Try again in a minute."));
  else
    cut_short (self, what, COHORT_ERROR_AI_UNAVAILABLE,
               _("The school’s AI service could not answer this question. Try again later."));
}

/* Returns FALSE once finished. */
static gboolean
process_events (CohortAiUpstream *self)
{
  char *data;
  char *event_name = NULL;
  gboolean truncated = FALSE;

  if (cohort_sse_parser_get_n_comments (self->parser) != self->n_comments)
    {
      self->n_comments = cohort_sse_parser_get_n_comments (self->parser);
      alive (self, TRUE);
    }

  while (!self->done &&
         (data = cohort_sse_parser_pop_full (self->parser, &event_name, &truncated)) != NULL)
    {
      g_autofree char *owned = data;
      g_autofree char *event = event_name;
      g_autoptr(GError) error = NULL;
      CohortAiChunk chunk;

      alive (self, FALSE);

      if (g_strcmp0 (event, "error") == 0)
        {
          upstream_error (self, "an error event", NULL, owned);
          return FALSE;
        }

      /* One event over the line limit (a huge token): its start, then the
       * answer ends there, cut at the limit. */
      if (truncated)
        {
          g_autofree char *prefix = cohort_ai_chunk_content_prefix (owned, strlen (owned), "delta");

          if (prefix == NULL)
            {
              fail_malformed (self, "an event over the size limit without content");
              return FALSE;
            }
          g_message ("AI service sent an event over %u bytes: the answer is cut there",
                     MAX_EVENT_LINE);
          if (*prefix != '\0')
            emit_delta (self, prefix);
          if (!self->done)
            {
              g_free (self->finish_reason);
              self->finish_reason = g_strdup ("length");
              finish (self, NULL);
            }
          return FALSE;
        }

      if (!cohort_ai_chunk_parse (owned, &chunk, &error))
        {
          fail_malformed (self, error->message);
          return FALSE;
        }

      if (chunk.done)
        {
          cohort_ai_chunk_clear (&chunk);
          finish (self, NULL);
          return FALSE;
        }

      if (chunk.is_error)
        {
          upstream_error (self, "an error object", chunk.error_type, chunk.error_message);
          cohort_ai_chunk_clear (&chunk);
          return FALSE;
        }

      if (chunk.reasoning)
        alive (self, TRUE);

      if (chunk.has_usage)
        self->completion_tokens = chunk.completion_tokens;

      if (chunk.finish_reason != NULL)
        {
          g_free (self->finish_reason);
          self->finish_reason = g_strdup (chunk.finish_reason);
        }

      if (chunk.content != NULL && *chunk.content != '\0')
        emit_delta (self, chunk.content);

      cohort_ai_chunk_clear (&chunk);
    }

  return !self->done;
}

/* A whole application/json answer (the upstream ignored "stream": true),
 * once its body has come; @cut: it went over MAX_JSON_BODY. */
static void
take_json_answer (CohortAiUpstream *self,
                  gboolean          cut)
{
  g_autoptr(GError) error = NULL;
  CohortAiChunk chunk;

  if (cut)
    {
      g_autofree char *prefix = cohort_ai_chunk_content_prefix ((const char *) self->body->data,
                                                                self->body->len, "message");

      if (prefix == NULL || *prefix == '\0')
        {
          fail_malformed (self, "a JSON answer over the size limit without content");
          return;
        }
      emit_delta (self, prefix);
      if (!self->done)
        {
          g_free (self->finish_reason);
          self->finish_reason = g_strdup ("length");
          finish (self, NULL);
        }
      return;
    }

  g_byte_array_append (self->body, (const guint8 *) "", 1);
  if (!g_utf8_validate ((const char *) self->body->data, self->body->len - 1, NULL) ||
      !cohort_ai_chunk_parse_completion ((const char *) self->body->data, &chunk, &error))
    {
      fail_malformed (self, error != NULL ? error->message : "a JSON answer that is not UTF-8");
      return;
    }

  if (chunk.is_error)
    upstream_error (self, "an error object", chunk.error_type, chunk.error_message);
  else if (chunk.content == NULL || *chunk.content == '\0')
    fail_malformed (self, "a JSON answer without content");
  else
    {
      g_message ("AI service answered with one JSON object, not a stream");
      if (chunk.finish_reason != NULL)
        {
          g_free (self->finish_reason);
          self->finish_reason = g_strdup (chunk.finish_reason);
        }
      emit_delta (self, chunk.content);
      if (!self->done)
        finish (self, NULL);
    }
  cohort_ai_chunk_clear (&chunk);
}

static void read_next (CohortAiUpstream *self);

/* Feeds one piece of the body (empty: its end). Returns TRUE while the
 * answer goes on. */
static gboolean
take_body (CohortAiUpstream *self,
           const char       *data,
           gsize             length)
{
  g_autoptr(GError) error = NULL;

  if (self->json_body)
    {
      gboolean cut = self->body->len + length > MAX_JSON_BODY;

      g_byte_array_append (self->body, (const guint8 *) data,
                           MIN (length, MAX_JSON_BODY - self->body->len));
      if (length == 0 || cut)
        {
          take_json_answer (self, cut);
          return FALSE;
        }
      return TRUE;
    }

  if (length == 0)
    {
      /* End of the body. Without [DONE], the model's finish reason says
       * the answer is whole; without either, it was cut short. */
      if (!cohort_sse_parser_finish (self->parser, &error))
        {
          fail_malformed (self, error->message);
          return FALSE;
        }
      if (!process_events (self))
        return FALSE;
      if (self->finish_reason != NULL)
        finish (self, NULL);
      else if (self->got_content)
        cut_short (self, "the stream ended without [DONE] or a finish reason",
                   COHORT_ERROR_AI_UNAVAILABLE, NULL);
      else
        fail_malformed (self, "the stream ended without an answer");
      return FALSE;
    }

  if (!cohort_sse_parser_feed (self->parser, data, length, &error))
    {
      fail_malformed (self, error->message);
      return FALSE;
    }
  return process_events (self);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CohortAiUpstream) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize length;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (self->done)
    return;
  if (bytes == NULL)
    {
      fail_io (self, error);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  if (take_body (self, data, length))
    read_next (self);
}

/* The body is read without blocking for as long as data is there.
 *
 * Few answers streaming: one pollable source per answer waits for more, so
 * a token reaches its student at once.
 *
 * Many answers streaming (more than AI_POLL_FROM): each token waking the
 * main loop costs a pass over all of its sources, and a hundred answers at
 * 50 tokens/s made that a third of the server's work. Then one timer every
 * AI_TICK_MS reads every waiting answer instead: a token waits up to a
 * tick, and the loop wakes 500 times a second, not 5,000.
 *
 * Either way the reading happens in a low-priority idle that works for at
 * most AI_SLICE_US per main-loop turn, so a chat message that arrives
 * meanwhile waits one slice at most. (docs/architecture-ai.md) */
#define AI_SLICE_US   100
#define AI_POLL_FROM  8
#define AI_TICK_MS    2

static GQueue pump_queue = G_QUEUE_INIT;   /* CohortAiUpstream, one ref each */
static guint  pump_source;
static GQueue tick_queue = G_QUEUE_INIT;   /* waiting for the next tick */
static guint  tick_source;

static gboolean
pump_run (gpointer user_data)
{
  gint64 until = g_get_monotonic_time () + AI_SLICE_US;

  while (!g_queue_is_empty (&pump_queue))
    {
      g_autoptr(CohortAiUpstream) self = g_queue_pop_head (&pump_queue);

      read_next (self);
      if (g_get_monotonic_time () >= until)
        break;
    }
  if (!g_queue_is_empty (&pump_queue))
    return G_SOURCE_CONTINUE;
  pump_source = 0;
  return G_SOURCE_REMOVE;
}

static void
pump_push (CohortAiUpstream *self)
{
  g_queue_push_tail (&pump_queue, g_object_ref (self));
  if (pump_source == 0)
    pump_source = g_idle_add_full (AI_IO_PRIORITY, pump_run, NULL, NULL);
}

static gboolean
on_readable (GObject  *stream,
             gpointer  user_data)
{
  pump_push (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer user_data)
{
  while (!g_queue_is_empty (&tick_queue))
    {
      g_autoptr(CohortAiUpstream) self = g_queue_pop_head (&tick_queue);

      if (!self->done)
        pump_push (self);
    }
  tick_source = 0;
  return G_SOURCE_REMOVE;
}

static void
wait_for_data (CohortAiUpstream *self)
{
  g_autoptr(GSource) source = NULL;

  if (n_streaming > AI_POLL_FROM)
    {
      g_queue_push_tail (&tick_queue, g_object_ref (self));
      if (tick_source == 0)
        tick_source = g_timeout_add_full (AI_IO_PRIORITY, AI_TICK_MS, on_tick, NULL, NULL);
      return;
    }

  source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->stream),
                                                  self->cancellable);
  g_source_set_priority (source, AI_IO_PRIORITY);
  g_source_set_callback (source, G_SOURCE_FUNC (on_readable), g_object_ref (self),
                         g_object_unref);
  g_source_attach (source, NULL);
}

static void
read_next (CohortAiUpstream *self)
{
  g_autoptr(CohortAiUpstream) hold = g_object_ref (self);
  char buffer[READ_SIZE];

  /* Finished or stopped while it waited (its source fires on cancel). */
  if (self->done || self->stream == NULL)
    return;

  if (!G_IS_POLLABLE_INPUT_STREAM (self->stream) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->stream)))
    {
      g_input_stream_read_bytes_async (self->stream, READ_SIZE, AI_IO_PRIORITY,
                                       self->cancellable, on_read, g_object_ref (self));
      return;
    }

  while (!self->done)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->stream),
                                                    buffer, sizeof buffer, self->cancellable,
                                                    &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          wait_for_data (self);
          return;
        }
      if (n < 0)
        {
          fail_io (self, error);
          return;
        }
      if (!take_body (self, buffer, n))
        return;
    }
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CohortAiUpstream) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (self->done)
    {
      if (stream != NULL)
        g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  if (stream == NULL)
    {
      fail_io (self, error);
      return;
    }

  g_clear_handle_id (&self->connect_timer, g_source_remove);
  self->stream = g_steal_pointer (&stream);

  status = soup_message_get_status (self->message);
  if (status == SOUP_STATUS_OK)
    {
      const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (self->message),
                                                                NULL);

      /* An upstream that ignores "stream": true answers with one JSON
       * object at the end: no first token before it, only the total
       * timeout holds. */
      if (type != NULL && (g_ascii_strcasecmp (type, "application/json") == 0 ||
                           g_str_has_suffix (type, "+json")))
        {
          self->json_body = TRUE;
          self->body = g_byte_array_new ();
          g_clear_handle_id (&self->first_token_timer, g_source_remove);
        }
      self->streaming = TRUE;
      n_streaming++;
      read_next (self);
      return;
    }

  g_message ("AI service answered HTTP %u", status);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    fail (self, COHORT_ERROR_AI_UNAVAILABLE,
          _("The school’s AI service refused this server’s key. Ask your school to check the helper’s settings."));
  else if (status == 429)
    fail (self, COHORT_ERROR_AI_BUSY,
          _("The school’s AI service is busy. Try again in a minute."));
  else if (status >= 500)
    fail (self, COHORT_ERROR_AI_UNAVAILABLE,
          _("The school’s AI service has a problem right now. Try again later."));
  else
    fail (self, COHORT_ERROR_AI_UNAVAILABLE,
          _("The school’s AI service did not accept the question. Ask your school to check the helper’s settings."));
}

void
cohort_ai_upstream_start (CohortAiUpstream *self,
                          JsonArray        *messages)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) messages_node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  gsize body_length;

  g_return_if_fail (COHORT_IS_AI_UPSTREAM (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;

  json_node_set_array (messages_node, messages);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, self->config->model);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "max_tokens");
  json_builder_add_int_value (builder, self->config->max_tokens);
  json_builder_set_member_name (builder, "messages");
  json_builder_add_value (builder, g_steal_pointer (&messages_node));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &body_length);

  url = g_strconcat (self->config->base_url, "/v1/chat/completions", NULL);
  self->message = soup_message_new (SOUP_METHOD_POST, url);
  if (self->message == NULL)
    {
      fail (self, COHORT_ERROR_AI_NOT_CONFIGURED,
            _("The AI helper’s address is not valid. Ask your school to check the helper’s settings."));
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (self->message),
                                "Accept", "text/event-stream");
  if (self->config->api_key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->config->api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (self->message),
                                    "Authorization", auth);
    }
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), body_length);

    soup_message_set_request_body_from_bytes (self->message, "application/json", bytes);
  }

  self->last_alive = g_get_monotonic_time ();
  self->connect_timer = g_timeout_add (self->config->connect_timeout_ms, on_connect_timeout, self);
  self->first_token_timer = g_timeout_add (self->config->first_token_timeout_ms,
                                           on_first_token_timeout, self);
  self->total_timer = g_timeout_add (self->config->total_timeout_ms, on_total_timeout, self);

  soup_session_send_async (self->session, self->message, AI_IO_PRIORITY,
                           self->cancellable, on_sent, g_object_ref (self));
}

void
cohort_ai_upstream_cancel (CohortAiUpstream *self)
{
  g_return_if_fail (COHORT_IS_AI_UPSTREAM (self));

  if (self->done)
    return;
  self->done = TRUE;

  clear_timers (self);
  g_cancellable_cancel (self->cancellable);
  close_stream (self);
}

gint64
cohort_ai_upstream_get_first_token_time (CohortAiUpstream *self)
{
  return self->first_token_time;
}

gint64
cohort_ai_upstream_get_completion_tokens (CohortAiUpstream *self)
{
  return self->completion_tokens;
}

const char *
cohort_ai_upstream_get_cut_reason (CohortAiUpstream *self)
{
  return self->cut_reason;
}

static void
cohort_ai_upstream_dispose (GObject *object)
{
  CohortAiUpstream *self = COHORT_AI_UPSTREAM (object);

  clear_timers (self);
  g_cancellable_cancel (self->cancellable);
  close_stream (self);

  G_OBJECT_CLASS (cohort_ai_upstream_parent_class)->dispose (object);
}

static void
cohort_ai_upstream_finalize (GObject *object)
{
  CohortAiUpstream *self = COHORT_AI_UPSTREAM (object);

  g_clear_object (&self->session);
  g_clear_object (&self->message);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->parser);
  g_clear_pointer (&self->config, cohort_ai_config_free);
  g_free (self->finish_reason);
  g_free (self->cut_reason);
  g_clear_pointer (&self->body, g_byte_array_unref);

  G_OBJECT_CLASS (cohort_ai_upstream_parent_class)->finalize (object);
}

static void
cohort_ai_upstream_class_init (CohortAiUpstreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_ai_upstream_dispose;
  object_class->finalize = cohort_ai_upstream_finalize;

  /**
   * CohortAiUpstream::delta:
   * @text: the next piece of the answer (valid UTF-8)
   */
  signals[DELTA] =
    g_signal_new ("delta",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * CohortAiUpstream::thinking:
   *
   * Once, before the first ::delta, when the model shows it is working
   * (reasoning chunks or keep-alive comments) but has no answer text yet.
   */
  signals[THINKING] =
    g_signal_new ("thinking",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CohortAiUpstream::finished:
   * @finish_reason: "stop", "length", "cut_short" (broke off mid-answer;
   *   see cohort_ai_upstream_get_cut_reason()), … (NULL on error)
   * @error: (nullable): why it failed
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR);
}

static void
cohort_ai_upstream_init (CohortAiUpstream *self)
{
  self->cancellable = g_cancellable_new ();
  self->parser = cohort_sse_parser_new (MAX_EVENT_LINE);
}

CohortAiUpstream *
cohort_ai_upstream_new (SoupSession          *session,
                        const CohortAiConfig *config)
{
  CohortAiUpstream *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (COHORT_TYPE_AI_UPSTREAM, NULL);
  self->session = g_object_ref (session);
  self->config = cohort_ai_config_copy (config);

  return self;
}
