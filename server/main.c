/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-server"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "cohort-ai-service.h"
#include "cohort-assembly.h"
#include "cohort-http-gate.h"
#include "cohort-janus-launcher.h"
#include "cohort-media-service.h"
#include "cohort-protocol.h"
#include "cohort-scale.h"
#include "cohort-server.h"
#include "cohort-store.h"
#include "cohort-staff-admin.h"

#define DEFAULT_LISTEN "127.0.0.1"
#define DEFAULT_PORT   8765
/* scale: how long a node's hold on a class lasts unless renewed */
#define DEFAULT_LEASE_SECONDS 10

typedef struct
{
  GMainLoop    *loop;
  CohortServer *server;
  gboolean      stopping;
} App;

static void
on_shutdown_done (gpointer user_data)
{
  App *app = user_data;

  g_main_loop_quit (app->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  App *app = user_data;

  if (!app->stopping)
    {
      app->stopping = TRUE;
      g_message ("Shutting down");
      cohort_server_shutdown (app->server, on_shutdown_done, app);
    }
  return G_SOURCE_CONTINUE;
}

/* [server] listen, port and database, where the command line left them unset. */
static gboolean
load_config (GKeyFile    *keyfile,
             const char  *path,
             char       **listen,
             int         *port,
             char       **database,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int value;

  if (*listen == NULL)
    *listen = g_key_file_get_string (keyfile, "server", "listen", NULL);
  if (*database == NULL)
    *database = g_key_file_get_string (keyfile, "server", "database", NULL);

  if (*port < 0 && g_key_file_has_key (keyfile, "server", "port", NULL))
    {
      value = g_key_file_get_integer (keyfile, "server", "port", &local_error);
      if (local_error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
          return FALSE;
        }
      *port = value;
    }

  return TRUE;
}

/* A [server] integer of at least @min, or @fallback where it is unset. */
static gboolean
get_count (GKeyFile    *keyfile,
           const char  *key,
           int          min,
           int          fallback,
           int         *out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int value;

  *out = fallback;
  if (!g_key_file_has_key (keyfile, "server", key, NULL))
    return TRUE;
  value = g_key_file_get_integer (keyfile, "server", key, &local_error);
  if (local_error != NULL || value < min)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: %s", key,
                   local_error != NULL ? local_error->message : "must be at least 1");
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* The rest of [server]: join-timeout (seconds a socket may stay without
 * joining), trusted-proxies (whose X-Forwarded-For names the client, a
 * list separated by ; or ,), and the limits before the WebSocket upgrade:
 * handshake-timeout, max-pending-per-address and max-pending
 * (docs/deploy.md). */
static gboolean
configure_server (CohortServer  *server,
                  GKeyFile      *keyfile,
                  GError       **error)
{
  g_autofree char *proxies = NULL;
  int handshake_timeout, per_address, total;

  if (!get_count (keyfile, "handshake-timeout", 1, COHORT_HTTP_GATE_DEFAULT_TIMEOUT,
                  &handshake_timeout, error) ||
      !get_count (keyfile, "max-pending-per-address", 1, COHORT_HTTP_GATE_DEFAULT_PER_ADDRESS,
                  &per_address, error) ||
      !get_count (keyfile, "max-pending", 1, COHORT_HTTP_GATE_DEFAULT_TOTAL, &total, error))
    return FALSE;
  cohort_server_set_handshake_limits (server, handshake_timeout, per_address, total);

  if (g_key_file_has_key (keyfile, "server", "join-timeout", NULL))
    {
      g_autoptr(GError) local_error = NULL;
      int seconds = g_key_file_get_integer (keyfile, "server", "join-timeout", &local_error);

      if (local_error != NULL || seconds < 0)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "join-timeout: %s",
                       local_error != NULL ? local_error->message : "must be 0 or more seconds");
          return FALSE;
        }
      cohort_server_set_join_timeout (server, seconds);
    }

  proxies = g_key_file_get_string (keyfile, "server", "trusted-proxies", NULL);
  if (proxies != NULL)
    {
      g_auto(GStrv) list = g_strsplit_set (proxies, ";,", -1);

      if (!cohort_server_set_trusted_proxies (server, (const char * const *) list, error))
        return FALSE;
    }
  return TRUE;
}

/* Every client is a descriptor, and the usual soft limit (1,024; systemd
 * gives services the same) would turn students away once a school's
 * classes hold about a thousand; accept() would fail. The hard limit is
 * the administrator's; the soft one is ours to raise. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur < limit.rlim_max)
    {
      /* The kernel refuses "infinity" here (its own cap, nr_open, is 2^20). */
      limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? 1048576 : limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_warning ("Could not raise the open file limit: %s", g_strerror (errno));
      getrlimit (RLIMIT_NOFILE, &limit);
    }
  if (limit.rlim_cur < 4096)
    g_warning ("At most %lu open files: about as many students can connect. "
               "Raise the limit (LimitNOFILE= in the service).", (unsigned long) limit.rlim_cur);
}

/* What the command line and the settings file asked for. */
typedef struct
{
  char     *config;
  GKeyFile *keyfile;
  char     *listen;
  int       port;
  char     *database;
  char     *create_class;
  char     *teacher_name;
  char     *staff;
  char     *add_staff;
  char     *revoke_staff;
  gboolean  list_staff;
  gboolean  no_waiting_room;
  char     *advertise;
  int       lease_seconds;
  /* scale: --database postgresql://… (docs/architecture-scale.md) */
  CohortScale *scale;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->config);
  g_clear_pointer (&options->keyfile, g_key_file_unref);
  g_free (options->listen);
  g_free (options->database);
  g_free (options->create_class);
  g_free (options->teacher_name);
  g_free (options->staff);
  g_free (options->add_staff);
  g_free (options->revoke_staff);
  g_free (options->advertise);
  g_clear_object (&options->scale);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* Fills @options from the command line, then from the settings file for
 * what the command line left out; FALSE (with @error) on a usage error. */
static gboolean
parse_options (Options   *options,
               int       *argc,
               char    ***argv,
               GError   **error)
{
  g_autoptr(GOptionContext) context = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options->config,
      "Read settings from FILE (group [server]: listen, port, database; "
      "group [ai]: the AI helper's base-url, model, api-key-file or api-key-env, "
      "timeouts and limits, see docs/architecture-ai.md); "
      "options given here override it", "FILE" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &options->listen,
      "Listen on ADDR (default " DEFAULT_LISTEN ")", "ADDR" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &options->port,
      "Listen on port N (default 8765; 0 picks a free port)", "N" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &options->database,
      "SQLite database file (default $XDG_DATA_HOME/cohort-server/cohort.db), or "
      "postgresql://… to run as one node of several sharing that database "
      "(docs/architecture-scale.md)", "PATH|URL" },
    { "advertise", 0, 0, G_OPTION_ARG_STRING, &options->advertise,
      "With postgresql://: the address other nodes send this node's clients to "
      "(default ws://ADDR:PORT/ws)", "URL" },
    { "lease-seconds", 0, 0, G_OPTION_ARG_INT, &options->lease_seconds,
      "With postgresql://: how long this node holds a class without renewing "
      "(default 10; another node takes it over after that)", "N" },
    { "create-class", 0, 0, G_OPTION_ARG_STRING, &options->create_class,
      "Create a class titled TITLE, print {\"code\", \"teacher_key\", \"title\"} "
      "as one JSON line and exit (needs --teacher-name and --staff)", "TITLE" },
    { "teacher-name", 0, 0, G_OPTION_ARG_STRING, &options->teacher_name,
      "The teacher's display name for --create-class", "NAME" },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &options->staff,
      "The staff account (name or id) that owns the class made by --create-class", "NAME|ID" },
    { "no-waiting-room", 0, 0, G_OPTION_ARG_NONE, &options->no_waiting_room,
      "The class made by --create-class lets students in without a waiting room", NULL },
    { "add-staff", 0, 0, G_OPTION_ARG_STRING, &options->add_staff,
      "Create a staff account, print {\"staff_id\", \"name\", \"credential\"} as one JSON line "
      "and exit; the credential is shown only this once", "NAME" },
    { "revoke-staff", 0, 0, G_OPTION_ARG_STRING, &options->revoke_staff,
      "Revoke the staff account NAME (or with id ID) and exit", "NAME|ID" },
    { "list-staff", 0, 0, G_OPTION_ARG_NONE, &options->list_staff,
      "Print the staff accounts (no credentials) as JSON lines and exit", NULL },
    { NULL }
  };

  options->port = -1;
  options->lease_seconds = DEFAULT_LEASE_SECONDS;
  context = g_option_context_new ("- the Cohort class server");
  g_option_context_set_summary (context,
                                "Serves Cohort classes over WebSocket at ws://ADDR:PORT/ws "
                                "and answers GET /health.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  /* The one read of the settings file: every group later comes from it. */
  if (options->config != NULL)
    {
      options->keyfile = g_key_file_new ();
      if (!g_key_file_load_from_file (options->keyfile, options->config, G_KEY_FILE_NONE, error) ||
          !load_config (options->keyfile, options->config, &options->listen, &options->port,
                        &options->database, error))
        return FALSE;
    }

  if (options->listen == NULL)
    options->listen = g_strdup (DEFAULT_LISTEN);
  if (options->port < 0)
    options->port = DEFAULT_PORT;
  if (options->port > G_MAXUINT16)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%d is not a port number", options->port);
      return FALSE;
    }
  if (options->database == NULL)
    options->database = g_build_filename (g_get_user_data_dir (), "cohort-server", "cohort.db", NULL);
  if (options->lease_seconds < 1 || options->lease_seconds > 3600)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--lease-seconds must be from 1 to 3600");
      return FALSE;
    }

  if (options->create_class != NULL && options->teacher_name == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--create-class needs --teacher-name");
      return FALSE;
    }
  if (options->create_class != NULL && options->staff == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--create-class needs --staff (see --add-staff)");
      return FALSE;
    }
  return TRUE;
}

/* On PostgreSQL the admin commands' changes are shipped as they commit;
 * one that did not arrive fails the command. */
static gboolean
close_store (const Options  *options,
             CohortStore    *store,
             GError        **error)
{
  if (options->scale != NULL)
    {
      cohort_scale_stop (options->scale);
      if (!cohort_scale_check (options->scale, error))
        return FALSE;
    }
  return cohort_store_close (store, error);
}

/* --add-staff, --revoke-staff, --list-staff. */
static gboolean
run_staff_admin (const Options  *options,
                 CohortStore    *store,
                 GError        **error)
{
  return (options->add_staff == NULL || cohort_staff_admin_add (store, options->add_staff, error)) &&
         (options->revoke_staff == NULL || cohort_staff_admin_revoke (store, options->revoke_staff, error)) &&
         (!options->list_staff || cohort_staff_admin_list (store, error)) &&
         close_store (options, store, error);
}

/* --create-class: one JSON line on stdout. */
static gboolean
run_create_class (const Options  *options,
                  CohortStore    *store,
                  GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *code = NULL;
  g_autofree char *teacher_key = NULL;
  g_autofree char *title = cohort_protocol_normalize_text (options->create_class,
                                                           COHORT_MAX_TITLE_CHARS, NULL);
  g_autofree char *json = NULL;

  if (!cohort_server_admin_create_class (store, options->create_class, options->teacher_name,
                                         options->staff, !options->no_waiting_room,
                                         &code, &teacher_key, error) ||
      !close_store (options, store, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "teacher_key");
  json_builder_add_string_value (builder, teacher_key);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  g_print ("%s\n", json);
  return TRUE;
}

/* The settings file's groups for a running server: [ai], [server], [janus].
 * Errors name the file. */
static gboolean
configure (const Options  *options,
           CohortServer   *server,
           GError        **error)
{
  if (options->keyfile != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(CohortAiConfig) ai_config = cohort_ai_config_load (options->keyfile, &local_error);

      /* No [ai] group is no helper, not an error. */
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      cohort_ai_service_configure (server, ai_config);
      if (!configure_server (server, options->keyfile, error))
        return FALSE;
    }
  /* media: the [janus] group (docs/janus.md) */
  return cohort_media_service_configure (server, options->keyfile, error);
}

/* Serves until SIGINT or SIGTERM; returns the exit status. */
static int
serve (const Options *options,
       CohortStore   *store)
{
  g_autoptr(CohortServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint bound_port = 0;
  App app = { 0 };

  raise_fd_limit ();
  server = cohort_assembly_new_server (store);
  /* Secrets a SIGKILLed server's Janus left in the temporary directory. */
  cohort_janus_launcher_sweep_stale (NULL);
  if (!configure (options, server, &error))
    {
      g_printerr ("cohort-server: %s: %s\n", options->config, error->message);
      return 2;
    }
  cohort_staff_admin_check (store);
  if (!cohort_server_recover (server, &error) ||
      !cohort_server_listen (server, options->listen, (guint) options->port, &bound_port, &error))
    {
      g_printerr ("cohort-server: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  app.loop = loop;
  app.server = server;
  g_unix_signal_add (SIGINT, on_signal, &app);
  g_unix_signal_add (SIGTERM, on_signal, &app);

  if (options->scale != NULL)
    {
      g_autofree char *address = options->advertise != NULL ? g_strdup (options->advertise) :
        strchr (options->listen, ':') != NULL ?
          g_strdup_printf ("ws://[%s]:%u/ws", options->listen, bound_port) :
          g_strdup_printf ("ws://%s:%u/ws", options->listen, bound_port);

      if (!cohort_scale_attach (options->scale, server, address, &error))
        {
          g_printerr ("cohort-server: %s\n", error->message);
          return 1;
        }
    }

  if (strchr (options->listen, ':') != NULL)
    g_print ("cohort-server listening on ws://[%s]:%u/ws\n", options->listen, bound_port);
  else
    g_print ("cohort-server listening on ws://%s:%u/ws\n", options->listen, bound_port);
  fflush (stdout);

  g_main_loop_run (loop);

  /* Before the last reference goes: a Janus still starting holds one. */
  cohort_server_stop (server);
  g_clear_object (&server);
  if (!close_store (options, store, &error))
    {
      g_printerr ("cohort-server: %s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) store = NULL;
  g_autofree char *dir = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!parse_options (&options, &argc, &argv, &error))
    {
      g_printerr ("cohort-server: %s\n", error->message);
      return 2;
    }

  if (cohort_scale_is_database_url (options.database))
    {
      /* An admin command holds no class: what it creates is free at once. */
      gboolean admin = options.add_staff != NULL || options.revoke_staff != NULL ||
                       options.list_staff || options.create_class != NULL;

      if (!(options.scale = cohort_scale_open (options.database,
                                               admin ? 0 : (guint) options.lease_seconds, &error)))
        {
          g_printerr ("cohort-server: %s\n", error->message);
          return 1;
        }
      store = g_object_ref (cohort_scale_get_store (options.scale));
    }
  else
    {
      dir = g_path_get_dirname (options.database);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_printerr ("cohort-server: could not create %s: %s\n", dir, g_strerror (errno));
          return 1;
        }
      if (!(store = cohort_store_open (options.database, &error)))
        {
          g_printerr ("cohort-server: %s\n", error->message);
          return 1;
        }
    }

  if (options.add_staff != NULL || options.revoke_staff != NULL || options.list_staff)
    {
      if (!run_staff_admin (&options, store, &error))
        {
          g_printerr ("cohort-server: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (options.create_class != NULL)
    {
      if (!run_create_class (&options, store, &error))
        {
          g_printerr ("cohort-server: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  return serve (&options, store);
}
