/* cohort-fake-llm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fake-llm"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cohort-fake-llm.h"

#define LEAKY_KEY_TEXT "Incorrect API key provided: "

struct _CohortFakeLlm
{
  GThread               *thread;
  GMainContext          *context;
  GMainLoop             *loop;
  SoupServer            *server;
  char                  *base_url;
  char                  *api_key_echo;

  GMutex                 lock;
  GCond                  cond;
  gboolean               ready;
  CohortFakeLlmScenario  scenario;
  guint                  interval_ms;
  guint                  n_tokens;
  gboolean               stamp_tokens;
  guint                  n_requests;
  guint                  n_active;
  guint64                n_tokens_sent;
  char                  *last_auth;
  char                  *last_body;
  gint64                 last_abort_time;
  GArray                *token_times;
};

typedef struct
{
  guint   delay_ms;
  GBytes *data;       /* NULL: end of the body */
  gint    token;      /* ≥ 0: record the send time of this token */
  gboolean close;     /* with data NULL: drop the connection instead */
} Step;

typedef struct
{
  CohortFakeLlm     *fake;
  SoupServerMessage *msg;
  GArray            *steps;
  guint              next;
  guint              timer;
  gboolean           ended;
  /* TOKENS: generated as they go, not up front */
  guint              n_lazy;
  guint              lazy_interval;
  guint              lazy_next;
  gboolean           stamp;
} Reply;

static const char hello_text[] = "Hello, wörld 你好! Use `x = 1`.\n\n- one\n- two";

const char *
cohort_fake_llm_hello_text (void)
{
  return hello_text;
}

/* On the fake's own context, not the global default one. */
static guint
add_timeout (guint       ms,
             GSourceFunc func,
             gpointer    data)
{
  g_autoptr(GSource) source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  return g_source_attach (source, g_main_context_get_thread_default ());
}

static void
step_clear (Step *step)
{
  g_clear_pointer (&step->data, g_bytes_unref);
}

static void
add_step (Reply      *reply,
          guint       delay_ms,
          const char *data,
          gssize      length,
          gint        token)
{
  Step step = { delay_ms, NULL, token, FALSE };

  if (data != NULL)
    step.data = g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);
  g_array_append_val (reply->steps, step);
}

/* Ends the reply by closing the TCP connection: no chunked terminator. */
static void
add_close_step (Reply *reply,
                guint  delay_ms)
{
  Step step = { delay_ms, NULL, -1, TRUE };

  g_array_append_val (reply->steps, step);
}

/* {"choices":[{"index":0,"delta":{@member: @text},"finish_reason":null}]} */
static char *
delta_json (const char *member,
            const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
chunk_json (const char *content,
            const char *finish_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "chatcmpl-fake");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion.chunk");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
  if (content != NULL)
    {
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, content);
    }
  else if (finish_reason == NULL)
    {
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "assistant");
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  if (finish_reason != NULL)
    json_builder_add_string_value (builder, finish_reason);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
add_event (GString    *out,
           const char *json,
           gboolean    crlf)
{
  g_string_append_printf (out, "data: %s%s%s", json, crlf ? "\r\n" : "\n", crlf ? "\r\n" : "\n");
}

/* The awkward stream: a whole SSE text cut into pieces of 1..7 bytes. */
static void
build_hello (Reply *reply)
{
  g_autoptr(GString) sse = g_string_new ("\xef\xbb\xbf: keep-alive\n\n");
  const char *pieces[] = { "Hello", ", w", "ö", "rld ", "你好", "! Use `x = 1`.", "\n\n- one\n- two" };
  gsize offset = 0;
  guint cut = 0;

  add_event (sse, "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}",
             FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autofree char *json = chunk_json (pieces[i], NULL);

      /* Multi-line data and CR LF line ends now and then. */
      add_event (sse, json, i % 3 == 1);
      if (i == 3)
        g_string_append (sse, ": still thinking\r\n\r\n");
    }
  {
    g_autofree char *json = chunk_json (NULL, "stop");

    add_event (sse, json, FALSE);
  }
  add_event (sse, "{\"id\":\"chatcmpl-fake\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,"
             "\"completion_tokens\":12,\"total_tokens\":54}}", FALSE);
  g_string_append (sse, "data: [DONE]\n\n");

  while (offset < sse->len)
    {
      gsize size = MIN ((gsize) (cut % 7) + 1, sse->len - offset);

      add_step (reply, 2, sse->str + offset, size, -1);
      offset += size;
      cut++;
    }
  add_step (reply, 0, NULL, 0, -1);
}

static void
add_token (Reply      *reply,
           guint       delay_ms,
           const char *text,
           gint        token)
{
  g_autofree char *json = chunk_json (text, NULL);
  g_autofree char *event = g_strdup_printf ("data: %s\n\n", json);

  add_step (reply, delay_ms, event, -1, token);
}

static void
build_reply (Reply                 *reply,
             CohortFakeLlmScenario  scenario,
             guint                  interval_ms,
             guint                  n_tokens,
             const char            *key_echo)
{
  switch (scenario)
    {
    case COHORT_FAKE_LLM_HELLO:
      build_hello (reply);
      break;

    case COHORT_FAKE_LLM_ERROR_OBJECT:
      {
        g_autofree char *error = g_strdup_printf ("data: {\"error\":{\"message\":\"" LEAKY_KEY_TEXT
                                                  "%s\",\"type\":\"server_error\"}}\n\n", key_echo);

        add_token (reply, 5, "Partial ", -1);
        add_token (reply, 5, "answer", -1);
        add_step (reply, 5, error, -1, -1);
        add_step (reply, 0, NULL, 0, -1);
      }
      break;

    case COHORT_FAKE_LLM_SLOW_FIRST_TOKEN:
      add_step (reply, 0, ": waiting\n\n", -1, -1);
      add_token (reply, 3000, "Late", -1);
      add_step (reply, 5, "data: [DONE]\n\n", -1, -1);
      add_step (reply, 0, NULL, 0, -1);
      break;

    case COHORT_FAKE_LLM_NO_DONE:
      add_token (reply, 5, "No ", -1);
      add_token (reply, 5, "done", -1);
      add_step (reply, 5, NULL, 0, -1);
      break;

    case COHORT_FAKE_LLM_BAD_JSON:
      add_token (reply, 5, "Broken", -1);
      add_step (reply, 5, "data: {not json\n\n", -1, -1);
      add_token (reply, 5, " more", -1);
      add_step (reply, 5, "data: [DONE]\n\n", -1, -1);
      add_step (reply, 0, NULL, 0, -1);
      break;

    case COHORT_FAKE_LLM_TOKENS:
      reply->n_lazy = n_tokens;
      reply->lazy_interval = interval_ms;
      {
        g_autofree char *text = g_strdup_printf ("tok%u ", 0u);

        add_token (reply, interval_ms, text, 0);
      }
      reply->lazy_next = 1;
      break;

    case COHORT_FAKE_LLM_REASONING:
    case COHORT_FAKE_LLM_KEEPALIVE:
      add_step (reply, 0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},"
                "\"finish_reason\":null}]}\n\n", -1, -1);
      for (guint i = 0; i < 8; i++)
        {
          if (scenario == COHORT_FAKE_LLM_KEEPALIVE)
            add_step (reply, 250, ": keep-alive\n\n", -1, -1);
          else
            {
              /* DeepSeek and vLLM say reasoning_content, OpenRouter and
               * Ollama say reasoning. */
              g_autofree char *json = delta_json (i % 2 == 0 ? "reasoning_content" : "reasoning",
                                                  "Let me think about this step. ");
              g_autofree char *event = g_strdup_printf ("data: %s\n\n", json);

              add_step (reply, 250, event, -1, -1);
            }
        }
      add_token (reply, 5, COHORT_FAKE_LLM_LATE_ANSWER, -1);
      {
        g_autofree char *json = chunk_json (NULL, "stop");
        g_autofree char *event = g_strdup_printf ("data: %s\n\n", json);

        add_step (reply, 5, event, -1, -1);
      }
      add_step (reply, 5, "data: [DONE]\n\n", -1, -1);
      add_step (reply, 0, NULL, 0, -1);
      break;

    case COHORT_FAKE_LLM_CLOSE_MID_ANSWER:
      add_token (reply, 5, "Half ", -1);
      add_token (reply, 5, "an answer", -1);
      /* Long enough for both tokens to leave before the cut. */
      add_close_step (reply, 100);
      break;

    case COHORT_FAKE_LLM_ERROR_EVENT:
      {
        g_autofree char *error = g_strdup_printf ("event: error\ndata: {\"message\":\"" LEAKY_KEY_TEXT
                                                  "%s\"}\n\n", key_echo);

        add_token (reply, 5, "Half ", -1);
        add_token (reply, 5, "an answer", -1);
        add_step (reply, 5, error, -1, -1);
        add_step (reply, 0, NULL, 0, -1);
      }
      break;

    case COHORT_FAKE_LLM_OBJECT_ERROR:
      {
        g_autofree char *error = g_strdup_printf ("data: {\"object\":\"error\",\"message\":\"" LEAKY_KEY_TEXT
                                                  "%s\",\"type\":\"InternalServerError\",\"code\":500}\n\n",
                                                  key_echo);

        add_token (reply, 5, "Half ", -1);
        add_token (reply, 5, "an answer", -1);
        add_step (reply, 5, error, -1, -1);
        add_step (reply, 5, "data: [DONE]\n\n", -1, -1);
        add_step (reply, 0, NULL, 0, -1);
      }
      break;

    case COHORT_FAKE_LLM_ERROR_BEFORE_ANSWER:
      {
        g_autofree char *error = g_strdup_printf ("data: {\"error\":{\"message\":\"" LEAKY_KEY_TEXT
                                                  "%s\",\"type\":\"server_error\"}}\n\n", key_echo);

        add_step (reply, 5, error, -1, -1);
        add_step (reply, 0, NULL, 0, -1);
      }
      break;

    case COHORT_FAKE_LLM_HUGE_TOKEN:
      {
        g_autofree char *token = g_strnfill (COHORT_FAKE_LLM_HUGE_BYTES, 'x');
        g_autofree char *json = chunk_json (token, NULL);
        g_autofree char *event = g_strdup_printf ("data: %s\n\n", json);
        g_autofree char *finish = chunk_json (NULL, "stop");
        g_autofree char *finish_event = g_strdup_printf ("data: %s\n\n", finish);

        add_step (reply, 5, event, -1, -1);
        add_step (reply, 5, finish_event, -1, -1);
        add_step (reply, 5, "data: [DONE]\n\n", -1, -1);
        add_step (reply, 0, NULL, 0, -1);
      }
      break;

    case COHORT_FAKE_LLM_FINISH_NO_DONE:
      {
        g_autofree char *finish = chunk_json (NULL, "stop");
        g_autofree char *finish_event = g_strdup_printf ("data: %s\n\n", finish);

        add_token (reply, 5, "Whole ", -1);
        add_token (reply, 5, "answer", -1);
        add_step (reply, 5, finish_event, -1, -1);
        add_step (reply, 5, NULL, 0, -1);
      }
      break;

    case COHORT_FAKE_LLM_STATUS_401:
    case COHORT_FAKE_LLM_STATUS_429:
    case COHORT_FAKE_LLM_STATUS_500:
    case COHORT_FAKE_LLM_JSON_ANSWER:
    default:
      g_assert_not_reached ();
    }
}

static void
reply_free (Reply *reply)
{
  if (reply->timer != 0)
    {
      GSource *source = g_main_context_find_source_by_id (g_main_context_get_thread_default (), reply->timer);

      if (source != NULL)
        g_source_destroy (source);
      reply->timer = 0;
    }
  g_array_unref (reply->steps);
  g_clear_object (&reply->msg);
  g_free (reply);
}

static void
reply_end (Reply    *reply,
           gboolean  aborted)
{
  CohortFakeLlm *fake = reply->fake;

  if (reply->ended)
    return;
  reply->ended = TRUE;
  if (reply->timer != 0)
    {
      GSource *source = g_main_context_find_source_by_id (g_main_context_get_thread_default (), reply->timer);

      if (source != NULL)
        g_source_destroy (source);
      reply->timer = 0;
    }

  g_mutex_lock (&fake->lock);
  fake->n_active--;
  if (aborted)
    fake->last_abort_time = g_get_monotonic_time ();
  g_mutex_unlock (&fake->lock);
}

static gboolean
on_step (gpointer user_data)
{
  Reply *reply = user_data;
  Step *step;
  SoupMessageBody *body;

  reply->timer = 0;
  if (reply->ended)
    return G_SOURCE_REMOVE;

  body = soup_server_message_get_response_body (reply->msg);
  step = &g_array_index (reply->steps, Step, reply->next++);

  if (step->data == NULL && step->close)
    {
      /* What a crashing upstream or a cut proxy does. */
      g_socket_shutdown (soup_server_message_get_socket (reply->msg), TRUE, TRUE, NULL);
      return G_SOURCE_REMOVE;
    }

  if (step->data == NULL)
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (reply->msg);
      return G_SOURCE_REMOVE;
    }

  /* TOKENS with stamps: "tokN@T ", T the monotonic µs of this write. */
  if (reply->stamp && reply->n_lazy > 0 && step->token >= 0)
    {
      g_autofree char *text = g_strdup_printf ("tok%d@%" G_GINT64_FORMAT " ", step->token,
                                               g_get_monotonic_time ());
      g_autofree char *json = chunk_json (text, NULL);

      g_bytes_unref (step->data);
      step->data = g_bytes_new_take (g_strdup_printf ("data: %s\n\n", json), strlen (json) + 8);
    }
  soup_message_body_append_bytes (body, step->data);
  if (step->token >= 0)
    {
      gint64 now = g_get_monotonic_time ();

      g_mutex_lock (&reply->fake->lock);
      reply->fake->n_tokens_sent++;
      if ((guint) step->token >= reply->fake->token_times->len)
        g_array_set_size (reply->fake->token_times, step->token + 1);
      g_array_index (reply->fake->token_times, gint64, step->token) = now;
      g_mutex_unlock (&reply->fake->lock);
    }
  soup_server_message_unpause (reply->msg);

  /* TOKENS: the next token, then [DONE], then the end. */
  if (reply->n_lazy > 0 && reply->next >= reply->steps->len)
    {
      if (reply->lazy_next < reply->n_lazy)
        {
          g_autofree char *text = g_strdup_printf ("tok%u ", reply->lazy_next);

          add_token (reply, reply->lazy_interval, text, (gint) reply->lazy_next);
        }
      else if (reply->lazy_next == reply->n_lazy)
        add_step (reply, reply->lazy_interval, "data: [DONE]\n\n", -1, -1);
      else if (reply->lazy_next == reply->n_lazy + 1)
        add_step (reply, 0, NULL, 0, -1);
      reply->lazy_next++;
    }

  if (reply->next < reply->steps->len)
    {
      Step *next = &g_array_index (reply->steps, Step, reply->next);

      reply->timer = add_timeout (next->delay_ms, on_step, reply);
    }

  return G_SOURCE_REMOVE;
}

static void
on_wrote_body (SoupServerMessage *msg,
               Reply             *reply)
{
  reply_end (reply, FALSE);
}

static void
on_finished (SoupServerMessage *msg,
             Reply             *reply)
{
  /* Finished before the whole body was written: the client went away. */
  reply_end (reply, TRUE);
  g_signal_handlers_disconnect_by_data (msg, reply);
  reply_free (reply);
}

static void
on_disconnected (SoupServerMessage *msg,
                 Reply             *reply)
{
  reply_end (reply, TRUE);
}

static void
send_status (SoupServerMessage *msg,
             guint              status,
             const char        *key_echo)
{
  g_autofree char *body = g_strdup_printf ("{\"error\":{\"message\":\"" LEAKY_KEY_TEXT "%s\","
                                           "\"type\":\"%s\"}}", key_echo,
                                           status == 429 ? "rate_limit_exceeded" : "error");

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  CohortFakeLlm *self = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *auth;
  CohortFakeLlmScenario scenario;
  guint interval_ms, n_tokens;
  gboolean stamp;
  g_autofree char *key_echo = NULL;
  Reply *reply;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 ||
      g_strcmp0 (path, "/v1/chat/completions") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  g_mutex_lock (&self->lock);
  self->n_requests++;
  g_free (self->last_auth);
  self->last_auth = g_strdup (auth);
  g_free (self->last_body);
  self->last_body = g_strndup (request_body->data, request_body->length);
  scenario = self->scenario;
  interval_ms = self->interval_ms;
  n_tokens = self->n_tokens;
  stamp = self->stamp_tokens;
  g_mutex_unlock (&self->lock);

  /* What a careless upstream does: quote the key it was given. */
  key_echo = g_strdup (auth != NULL && g_str_has_prefix (auth, "Bearer ") ? auth + 7 : "none");

  switch (scenario)
    {
    case COHORT_FAKE_LLM_STATUS_401:
      return send_status (msg, 401, key_echo);
    case COHORT_FAKE_LLM_STATUS_429:
      return send_status (msg, 429, key_echo);
    case COHORT_FAKE_LLM_STATUS_500:
      return send_status (msg, 500, key_echo);
    case COHORT_FAKE_LLM_JSON_ANSWER:
      {
        const char *json = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"choices\":"
                           "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                           COHORT_FAKE_LLM_JSON_TEXT "\"},\"finish_reason\":\"stop\"}],"
                           "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6}}";

        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, json,
                                          strlen (json));
        return;
      }
    default:
      break;
    }

  reply = g_new0 (Reply, 1);
  reply->fake = self;
  reply->stamp = stamp;
  reply->msg = g_object_ref (msg);
  reply->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (reply->steps, (GDestroyNotify) step_clear);
  build_reply (reply, scenario, interval_ms, n_tokens, key_echo);

  g_mutex_lock (&self->lock);
  self->n_active++;
  g_mutex_unlock (&self->lock);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  /* Forget chunks once written: an accumulating body finds the next chunk
   * by walking all earlier ones, which made a long stream quadratic and
   * took the bench's load process a third of a core. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  g_signal_connect (msg, "wrote-body", G_CALLBACK (on_wrote_body), reply);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), reply);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), reply);

  soup_server_message_pause (msg);
  reply->timer = add_timeout (g_array_index (reply->steps, Step, 0).delay_ms, on_step, reply);
}

static gpointer
fake_thread (gpointer user_data)
{
  CohortFakeLlm *self = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);

  g_mutex_lock (&self->lock);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);

  return NULL;
}

CohortFakeLlm *
cohort_fake_llm_new (void)
{
  CohortFakeLlm *self = g_new0 (CohortFakeLlm, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->interval_ms = 10;
  self->n_tokens = 3000;
  self->token_times = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("fake-llm", fake_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  return self;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
cohort_fake_llm_free (CohortFakeLlm *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_array_unref (self->token_times);
  g_free (self->base_url);
  g_free (self->last_auth);
  g_free (self->last_body);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
cohort_fake_llm_get_base_url (CohortFakeLlm *self)
{
  return self->base_url;
}

void
cohort_fake_llm_set_scenario (CohortFakeLlm         *self,
                              CohortFakeLlmScenario  scenario)
{
  g_mutex_lock (&self->lock);
  self->scenario = scenario;
  g_array_set_size (self->token_times, 0);
  self->last_abort_time = 0;
  g_mutex_unlock (&self->lock);
}

void
cohort_fake_llm_set_interval (CohortFakeLlm *self,
                              guint          interval_ms)
{
  g_mutex_lock (&self->lock);
  self->interval_ms = interval_ms;
  g_mutex_unlock (&self->lock);
}

void
cohort_fake_llm_set_n_tokens (CohortFakeLlm *self,
                              guint          n_tokens)
{
  g_mutex_lock (&self->lock);
  self->n_tokens = n_tokens;
  g_mutex_unlock (&self->lock);
}

void
cohort_fake_llm_set_stamp_tokens (CohortFakeLlm *self,
                                  gboolean       stamp)
{
  g_mutex_lock (&self->lock);
  self->stamp_tokens = stamp;
  g_mutex_unlock (&self->lock);
}

guint
cohort_fake_llm_get_n_requests (CohortFakeLlm *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_requests;
  g_mutex_unlock (&self->lock);
  return n;
}

char *
cohort_fake_llm_dup_last_auth (CohortFakeLlm *self)
{
  char *s;

  g_mutex_lock (&self->lock);
  s = g_strdup (self->last_auth);
  g_mutex_unlock (&self->lock);
  return s;
}

char *
cohort_fake_llm_dup_last_body (CohortFakeLlm *self)
{
  char *s;

  g_mutex_lock (&self->lock);
  s = g_strdup (self->last_body);
  g_mutex_unlock (&self->lock);
  return s;
}

guint
cohort_fake_llm_get_n_active (CohortFakeLlm *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_active;
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
cohort_fake_llm_get_n_tokens_sent (CohortFakeLlm *self)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = self->n_tokens_sent;
  g_mutex_unlock (&self->lock);
  return n;
}

gint64
cohort_fake_llm_get_last_abort_time (CohortFakeLlm *self)
{
  gint64 t;

  g_mutex_lock (&self->lock);
  t = self->last_abort_time;
  g_mutex_unlock (&self->lock);
  return t;
}

gint64
cohort_fake_llm_get_token_time (CohortFakeLlm *self,
                                guint          index)
{
  gint64 t = 0;

  g_mutex_lock (&self->lock);
  if (index < self->token_times->len)
    t = g_array_index (self->token_times, gint64, index);
  g_mutex_unlock (&self->lock);
  return t;
}
