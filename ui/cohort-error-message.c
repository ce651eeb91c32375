/* cohort-error-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-error-message"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "cohort-protocol.h"
#include "cohort-session.h"

#include "cohort-error-message.h"

/* A bare https://cohort.school.org means the server's socket at /ws, as
 * host:port does: a school gives out its address, not the path. */
static char *
with_default_path (char *url)
{
  /* ENCODED: the query goes back out exactly as typed. */
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *path;

  if (uri == NULL)
    return url;
  path = g_uri_get_path (uri);
  if (*path != '\0' && !g_str_equal (path, "/"))
    return url;

  g_free (url);
  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                     g_uri_get_host (uri), g_uri_get_port (uri), "/ws",
                     g_uri_get_query (uri), g_uri_get_fragment (uri));
}

char *
cohort_normalize_server_url (const char *raw)
{
  g_autofree char *trimmed = NULL;

  if (raw == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (raw));
  if (*trimmed == '\0')
    return NULL;

  if (g_ascii_strncasecmp (trimmed, "http://", 7) == 0)
    return with_default_path (g_strconcat ("ws://", trimmed + strlen ("http://"), NULL));
  if (g_ascii_strncasecmp (trimmed, "https://", 8) == 0)
    return with_default_path (g_strconcat ("wss://", trimmed + strlen ("https://"), NULL));
  if (g_ascii_strncasecmp (trimmed, "ws://", 5) == 0)
    return with_default_path (g_strconcat ("ws://", trimmed + strlen ("ws://"), NULL));
  if (g_ascii_strncasecmp (trimmed, "wss://", 6) == 0)
    return with_default_path (g_strconcat ("wss://", trimmed + strlen ("wss://"), NULL));

  /* host:port, host:port/ or host:port/path */
  return with_default_path (g_strconcat ("ws://", trimmed, NULL));
}

static char *
display_server (const char *server_url)
{
  g_autoptr(GUri) uri = NULL;

  if (server_url == NULL)
    return g_strdup (_("the given address"));

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      if (g_uri_get_port (uri) > 0)
        return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
      return g_strdup (g_uri_get_host (uri));
    }

  return g_strdup (server_url);
}

char *
cohort_error_message_for_user (const GError     *error,
                               const char       *server_url,
                               const char       *code,
                               CohortErrorField *out_field)
{
  CohortErrorField field = COHORT_ERROR_FIELD_NONE;
  char *message = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == COHORT_PROTOCOL_ERROR)
    {
      switch ((CohortErrorCode) error->code)
        {
        case COHORT_ERROR_NOT_FOUND:
          field = COHORT_ERROR_FIELD_CODE;
          if (code != NULL)
            /* Translators: %s is a class code such as K7QM2XPA. */
            message = g_strdup_printf (_("There is no class with the code %s. Check the code with your teacher and try again."), code);
          else
            message = g_strdup (_("That class or person is not there any more."));
          break;

        case COHORT_ERROR_UNAUTHORIZED:
          field = COHORT_ERROR_FIELD_TEACHER_KEY;
          message = g_strdup (_("The teacher key does not match this class. Check the key, or leave it empty to join as a student."));
          break;

        case COHORT_ERROR_UNSUPPORTED_VERSION:
          field = COHORT_ERROR_FIELD_SERVER;
          message = g_strdup (_("The class server runs a different version of Cohort. Update the app, or ask your school to update the server."));
          break;

        case COHORT_ERROR_FORBIDDEN:
          if (code != NULL)
            {
              /* identity: joining a locked class, or by class code where
               * only personal codes are allowed. */
              field = COHORT_ERROR_FIELD_CODE;
              message = g_strdup (_("This class does not let you in now: the teacher locked it, lets students join only with a personal code, or blocked you. Ask your teacher."));
            }
          else
            message = g_strdup (_("Only the teacher can do that."));
          break;

        case COHORT_ERROR_NOT_JOINED:
          message = g_strdup (_("You are no longer in the class. Join it again to continue."));
          break;

        case COHORT_ERROR_RATE_LIMITED:
          /* Joining with a code: the server's limit on wrong codes per
           * network, which others on a shared network may have used up. */
          if (code != NULL)
            {
              field = COHORT_ERROR_FIELD_CODE;
              message = g_strdup (_("Too many wrong class codes came from your network. Wait a minute and try again."));
            }
          else
            message = g_strdup (_("That was too many requests at once. Wait a moment and try again."));
          break;

        case COHORT_ERROR_INTERNAL:
          message = g_strdup (_("The class server had a problem and nothing was changed. Try again in a moment."));
          break;

        case COHORT_ERROR_INVALID:
        default:
          message = g_strdup (_("The class server did not accept the request. Check what you entered and try again."));
          break;
        }
    }
  else if (error->domain == COHORT_SESSION_ERROR)
    {
      switch ((CohortSessionError) error->code)
        {
        case COHORT_SESSION_ERROR_NO_STAFF:
          field = COHORT_ERROR_FIELD_SERVER;
          message = g_strdup (_("This server has no staff accounts yet. Ask its administrator to run cohort-server --add-staff NAME."));
          break;
        case COHORT_SESSION_ERROR_UNAUTHORIZED:
          field = COHORT_ERROR_FIELD_STAFF_CREDENTIAL;
          message = g_strdup (_("The server did not accept this staff credential. Check it with your administrator and enter it again."));
          break;
        case COHORT_SESSION_ERROR_NOT_OWNER:
          /* The credential is right (the start page keeps it); only the
           * class is someone else's. */
          message = g_strdup (_("This class belongs to another staff account."));
          break;
        case COHORT_SESSION_ERROR_REMOVED:
        default:
          message = g_strdup (_("The teacher removed you from the class."));
          break;
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      message = g_strdup (_("The request was cancelled."));
    }
  else
    {
      g_autofree char *server = display_server (server_url);

      field = COHORT_ERROR_FIELD_SERVER;
      /* Translators: %s is a server address such as school.example.org:8080. */
      message = g_strdup_printf (_("Could not reach the class server at %s. Check the address or try again."), server);
    }

  if (out_field != NULL)
    *out_field = field;

  return message;
}

gboolean
cohort_parse_join_link (const char  *text,
                        char       **out_server,
                        char       **out_code)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *server;
  const char *code;

  g_return_val_if_fail (out_server != NULL && out_code != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (text));
  if (g_ascii_strncasecmp (trimmed, "cohort:", 7) != 0)
    return FALSE;
  uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_query (uri) == NULL)
    return FALSE;
  if (g_strcmp0 (g_uri_get_host (uri), "join") != 0 && g_strcmp0 (g_uri_get_path (uri), "join") != 0)
    return FALSE;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return FALSE;
  server = g_hash_table_lookup (params, "server");
  code = g_hash_table_lookup (params, "code");
  if (server == NULL || *server == '\0' || code == NULL || *code == '\0')
    return FALSE;

  *out_server = g_strdup (server);
  *out_code = g_strdup (code);
  return TRUE;
}
