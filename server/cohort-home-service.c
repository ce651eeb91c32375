/* cohort-home-service.c: GET /api/v1/home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-home-service"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cohort-home-service.h"
#include "cohort-identity-service.h"
#include "cohort-lesson-service.h"
#include "cohort-secret.h"
#include "cohort-server-private.h"
#include "cohort-store-home.h"

/* The largest position a client may send: the protocol's id range. */
#define MAX_POSITION  ((gint64) 9007199254740991)  /* 2^53 − 1 */
/* A query longer than two positions and their names is not ours. */
#define MAX_QUERY     COHORT_HOME_MAX_QUERY

struct _CohortHomeService
{
  CohortService           parent_instance;

  CohortHomeProgressFunc  progress_func;
  gpointer                progress_data;
  CohortHomeNudgeFunc     nudge_func;
  gpointer                nudge_data;
};

G_DEFINE_FINAL_TYPE (CohortHomeService, cohort_home_service, COHORT_TYPE_SERVICE)

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  char *text = json_to_string (node, FALSE);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* A class's figures are the student's own: no cache keeps them. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

/* {"error": code, "message": …, "field"?: …} and nothing else. */
static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *field,
             const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", code);
  if (field != NULL)
    json_object_set_string_member (object, "field", field);
  json_object_set_string_member (object, "message", message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"cohort\"");
  reply_json (msg, status, object);
}

/* The token from "Authorization: Bearer <token>", exactly one such
 * header, the scheme in any case (RFC 9110), one space; NULL otherwise.
 * Never from the URL: a URL ends up in logs and proxies' histories. */
static const char *
bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  /* libsoup joins repeated headers with ", ": a second one breaks the form. */
  const char *value = soup_message_headers_get_list (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  return cohort_protocol_is_secret (value) ? value : NULL;
}

/* since_chat and since_group, each at most once, decimal digits without a
 * sign or leading zero, 0 … 2^53 − 1; any other parameter is refused, so
 * that a typo is an error and not a silent zero. */
gboolean
cohort_home_parse_query (const char  *query,
             gint64      *out_since_chat,
             gint64      *out_since_group,
             const char **out_field)
{
  g_auto(GStrv) params = NULL;
  gboolean seen_chat = FALSE;
  gboolean seen_group = FALSE;

  *out_since_chat = 0;
  *out_since_group = 0;
  *out_field = NULL;
  if (query == NULL || *query == '\0')
    return TRUE;
  if (strlen (query) > MAX_QUERY)
    {
      *out_field = "query";
      return FALSE;
    }

  params = g_strsplit (query, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *eq = strchr (params[i], '=');
      g_autofree char *name = eq ? g_strndup (params[i], eq - params[i]) : g_strdup (params[i]);
      const char *value = eq ? eq + 1 : NULL;
      gboolean *seen;
      gint64 *out;
      guint64 number = 0;

      if (g_str_equal (name, "since_chat"))
        seen = &seen_chat, out = out_since_chat;
      else if (g_str_equal (name, "since_group"))
        seen = &seen_group, out = out_since_group;
      else
        {
          *out_field = "query";
          return FALSE;
        }
      *out_field = g_str_equal (name, "since_chat") ? "since_chat" : "since_group";
      if (*seen || value == NULL || *value == '\0' || strlen (value) > 16 ||
          (value[0] == '0' && value[1] != '\0'))
        return FALSE;
      for (const char *p = value; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          number = number * 10 + (guint64) (*p - '0');
        }
      if (number > (guint64) MAX_POSITION)
        return FALSE;
      *seen = TRUE;
      *out = (gint64) number;
    }
  *out_field = NULL;
  return TRUE;
}

/* The reply for @you, read in one (read) transaction. NULL with @error
 * set on a store failure. */
static JsonObject *
home_body (CohortHomeService        *self,
           CohortParticipantRecord  *you,
           gint64                    since_chat,
           gint64                    since_group,
           GError                  **error)
{
  CohortServer *server = cohort_service_get_server (COHORT_SERVICE (self));
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(CohortLessonRecord) lesson = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  gboolean student = g_strcmp0 (you->role, "student") == 0;
  JsonObject *o;

  if (!(klass = cohort_store_get_class (store, you->class_id, error)) ||
      !(access = _cohort_identity_get_access (server, you->class_id, error)))
    return NULL;
  teacher = cohort_store_find_teacher (store, you->class_id, error);
  if (teacher == NULL && *error != NULL)
    return NULL;
  lesson = cohort_store_lesson_get (store, you->class_id, 0, error);
  if (lesson == NULL && *error != NULL)
    return NULL;

  o = json_object_new ();
  json_object_set_string_member (o, "code", klass->code);
  json_object_set_string_member (o, "title", klass->title);
  json_object_set_boolean_member (o, "archived", access->archived);
  json_object_set_object_member (body, "class", o);

  if (teacher != NULL)
    {
      o = json_object_new ();
      json_object_set_string_member (o, "name", teacher->name);
      json_object_set_object_member (body, "teacher", o);
    }
  else
    json_object_set_null_member (body, "teacher");

  o = json_object_new ();
  json_object_set_int_member (o, "id", you->id);
  json_object_set_string_member (o, "name", you->name);
  json_object_set_string_member (o, "role", you->role);
  json_object_set_object_member (body, "you", o);

  if (lesson != NULL)
    json_object_set_object_member (body, "lesson", cohort_lesson_service_to_json (lesson));
  else
    json_object_set_null_member (body, "lesson");

  /* The next lesson of the schedule that is not cancelled and not over
   * (one under way counts); null when none is planned. */
  {
    g_autoptr(CohortScheduleOccurrenceRecord) next = NULL;

    next = cohort_store_schedule_next (store, you->class_id, g_get_real_time () / 1000, error);
    if (next == NULL && *error != NULL)
      return NULL;
    if (next != NULL)
      {
        o = json_object_new ();
        json_object_set_int_member (o, "lesson_id", next->lesson_id);
        json_object_set_string_member (o, "title", next->title);
        json_object_set_int_member (o, "starts_at", next->start_ms);
        json_object_set_int_member (o, "duration_min", next->duration_min);
        json_object_set_string_member (o, "zone", next->zone);
        json_object_set_object_member (body, "next_lesson", o);
      }
    else
      json_object_set_null_member (body, "next_lesson");
  }

  /* A student's own figures only; a teacher's home has none. */
  o = student && self->progress_func != NULL
      ? self->progress_func (server, you->class_id, you->id, self->progress_data)
      : NULL;
  if (o != NULL)
    json_object_set_object_member (body, "progress", o);
  else
    json_object_set_null_member (body, "progress");

  if (student)
    {
      CohortHomeUnreadRecord unread;

      if (!cohort_store_home_unread (store, you->class_id, you->id, teacher ? teacher->id : 0,
                                     since_chat, since_group, &unread, error))
        return NULL;
      o = json_object_new ();
      json_object_set_int_member (o, "from_teacher", unread.from_teacher);
      json_object_set_int_member (o, "from_group", unread.from_group);
      json_object_set_int_member (o, "last_chat_id", unread.last_chat_id);
      json_object_set_int_member (o, "last_group_id", unread.last_group_id);
      json_object_set_object_member (body, "unread", o);
    }
  else
    json_object_set_null_member (body, "unread");

  return g_steal_pointer (&body);
}

static void
on_home (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  CohortHomeService *self = COHORT_HOME_SERVICE (user_data);
  CohortServer *server = cohort_service_get_server (COHORT_SERVICE (self));
  CohortStore *store = cohort_service_get_store (COHORT_SERVICE (self));
  g_autofree char *host = NULL;
  g_autofree char *token_hash = NULL;
  g_autoptr(CohortParticipantRecord) you = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *token;
  const char *field = NULL;
  gint64 since_chat, since_group;
  gint64 wait_us;

  if (_cohort_server_is_shutting_down (server))
    {
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", NULL,
                   _("The class server is shutting down. Try again in a moment."));
      return;
    }
  /* libsoup hands this handler every path under it too. */
  if (!g_str_equal (path, COHORT_HOME_PATH))
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NULL, _("There is nothing at this address."));
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
      reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid", NULL, _("Only GET is allowed here."));
      return;
    }

  /* A wrong token costs the address what a wrong class code does, and
   * while it waits every request waits (docs/protocol-home.md). */
  host = _cohort_server_http_client_host (server, msg);
  if ((wait_us = _cohort_server_host_throttled (server, host)) > 0)
    {
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry);
      reply_error (msg, 429 /* Too Many Requests: libsoup 3.2 names no such status */, "rate_limited", NULL,
                   _("Too many wrong sign-ins came from this network. Wait a moment and try again."));
      return;
    }

  if (!(token = bearer_token (msg)))
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                   _("This device is no longer signed in to the class. Join the class again."));
      return;
    }

  if (soup_server_message_get_request_body (msg)->length > 0)
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", NULL, _("This request takes no body."));
      return;
    }
  if (!cohort_home_parse_query (g_uri_get_query (soup_server_message_get_uri (msg)), &since_chat, &since_group, &field))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", field,
                   _("The query may hold since_chat and since_group, each a message id from 0 to 2⁵³ − 1."));
      return;
    }

  token_hash = cohort_secret_hash (token);
  if (!cohort_store_begin (store, &error))
    goto failed;
  you = cohort_store_find_participant_by_token (store, token_hash, &error);
  if (you == NULL)
    {
      cohort_store_rollback (store);
      if (error != NULL)
        goto failed;
      _cohort_server_host_guess_failed (server, host);
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                   _("This device is no longer signed in to the class. Join the class again."));
      return;
    }

  body = home_body (self, you, since_chat, since_group, &error);
  /* Reads only: nothing to keep. */
  cohort_store_rollback (store);
  if (body == NULL)
    goto failed;

  /* The helper's nudge between lessons, in its own transactions (one it
   * decides now is stored). A student's only; null when none. */
  if (g_strcmp0 (you->role, "student") == 0 && self->nudge_func != NULL)
    {
      JsonObject *nudge = self->nudge_func (server, you->class_id, you->id, self->nudge_data);

      if (nudge != NULL)
        json_object_set_object_member (body, "nudge", nudge);
      else
        json_object_set_null_member (body, "nudge");
    }
  else
    json_object_set_null_member (body, "nudge");

  reply_json (msg, SOUP_STATUS_OK, body);
  return;

failed:
  g_warning ("Could not read a home: %s", error ? error->message : "unknown");
  reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", NULL,
               _("The class server could not read the class. Try again later."));
}

void
cohort_home_service_set_progress_func (CohortHomeService      *self,
                                       CohortHomeProgressFunc  func,
                                       gpointer                user_data)
{
  g_return_if_fail (COHORT_IS_HOME_SERVICE (self));

  self->progress_func = func;
  self->progress_data = user_data;
}

void
cohort_home_service_set_nudge_func (CohortHomeService   *self,
                                    CohortHomeNudgeFunc  func,
                                    gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_HOME_SERVICE (self));

  self->nudge_func = func;
  self->nudge_data = user_data;
}

static void
cohort_home_service_class_init (CohortHomeServiceClass *klass)
{
}

static void
cohort_home_service_init (CohortHomeService *self)
{
}

CohortHomeService *
cohort_home_service_new (CohortServer *server)
{
  CohortHomeService *self = g_object_new (COHORT_TYPE_HOME_SERVICE, "server", server, NULL);

  _cohort_server_add_http_handler (server, COHORT_HOME_PATH, on_home, self);
  return self;
}
