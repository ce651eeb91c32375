/* cohort-janus-launcher.c: runs a private Janus as a child process
 *
 * Writes a private configuration directory (only the VideoRoom and
 * AudioBridge plugins and the WebSockets transport, WS bound to 127.0.0.1,
 * random API secret and one random admin key for both plugins, ICE restricted to given interfaces, no STUN/TURN, no event
 * handlers or loggers; the Admin API only on request, on 127.0.0.1 with a
 * random secret), starts `janus` with -C/-F/-P so that /etc/janus is
 * never read, waits until the WebSocket port accepts connections and restarts
 * the child (with back-off) whenever it dies unexpectedly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cohort-janus-launcher"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cohort-janus-launcher.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>

#ifndef COHORT_JANUS_LIBDIR
#define COHORT_JANUS_LIBDIR "/usr/lib/x86_64-linux-gnu/janus"
#endif

#define PORT_POLL_INTERVAL_MS   25
#define PORT_WAIT_TIMEOUT_MS    15000
#define RESTART_BACKOFF_MIN_MS  250
#define RESTART_BACKOFF_MAX_MS  8000

struct _CohortJanusLauncher
{
  GObject        parent_instance;

  char          *ice_enforce_list;
  guint16        ws_port;
  char          *janus_binary;
  char          *libdir;
  gboolean       admin_api;
  guint16        admin_port;

  char          *config_dir;
  char          *api_secret;
  char          *admin_key;

  GSubprocess   *child;
  GCancellable  *child_cancellable;   /* cancelled on stop() */
  GTask         *start_task;          /* pending start_async() */
  gint64         spawn_time;          /* monotonic, µs */
  gint64         startup_usec;        /* spawn → port accepts, last start */
  guint          poll_source;
  guint          restart_source;
  guint          restart_backoff_ms;
  guint          n_restarts;
  gboolean       stopping;
};

enum {
  PROP_0,
  PROP_ICE_ENFORCE_LIST,
  PROP_WS_PORT,
  PROP_JANUS_BINARY,
  PROP_ADMIN_API,
  N_PROPS
};

enum {
  SIGNAL_READY,
  SIGNAL_EXITED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortJanusLauncher, cohort_janus_launcher, G_TYPE_OBJECT)

static void spawn_child (CohortJanusLauncher *self);

/* ---------------------------------------------------------------------- */
/* Helpers                                                                  */

static char *
random_hex (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);
  GString *str = g_string_sized_new (n_bytes * 2);
  gsize off = 0;

  while (off < n_bytes)
    {
      gssize r = getrandom (buf + off, n_bytes - off, 0);
      if (r < 0)
        g_error ("getrandom() failed: %s", g_strerror (errno));
      off += r;
    }

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (str, "%02x", buf[i]);

  return g_string_free (str, FALSE);
}

/* Pick a currently free TCP port on 127.0.0.1 (racy by nature, good enough
 * for a private child that we start right away). */
static guint16
pick_free_port (GError **error)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GInetAddress) lo = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return 0;

  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (lo, 0);
  if (!g_socket_bind (sock, addr, FALSE, error))
    return 0;

  bound = g_socket_get_local_address (sock, error);
  if (bound == NULL)
    return 0;

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            const char  *contents,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
link_module (const char  *src_dir,
             const char  *dst_dir,
             const char  *name,
             GError     **error)
{
  g_autofree char *src = g_build_filename (src_dir, name, NULL);
  g_autofree char *dst = g_build_filename (dst_dir, name, NULL);

  if (!g_file_test (src, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Janus module %s not found", src);
      return FALSE;
    }

  if (symlink (src, dst) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot link %s: %s", dst, g_strerror (errsv));
      return FALSE;
    }

  return TRUE;
}

/* Janus' folder options make it dlopen() *every* module found there, and
 * there is no "enable only" list, just "disable". So each module kind gets
 * its own private folder containing only the modules we want. */
static gboolean
write_config (CohortJanusLauncher  *self,
              GError              **error)
{
  g_autofree char *plugins = NULL;
  g_autofree char *transports = NULL;
  g_autofree char *events = NULL;
  g_autofree char *loggers = NULL;
  g_autofree char *src_plugins = g_build_filename (self->libdir, "plugins", NULL);
  g_autofree char *src_transports = g_build_filename (self->libdir, "transports", NULL);
  g_autofree char *janus_jcfg = NULL;
  g_autofree char *ws_jcfg = NULL;
  g_autofree char *videoroom_jcfg = NULL;
  g_autofree char *audiobridge_jcfg = NULL;
  g_autofree char *tmpl = NULL;
  /* Only in this directory: a client never sees it. */
  g_autofree char *admin_secret = random_hex (16);
  g_autofree char *enforce_line = NULL;
  g_autofree char *admin_section = NULL;

  /* Interface names or address prefixes: letters, digits, '.', ':', ',', '-', '_' */
  if (self->ice_enforce_list != NULL && self->ice_enforce_list[0] != '\0')
    {
      for (const char *p = self->ice_enforce_list; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && strchr (".:,-_/", *p) == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "ice_enforce_list “%s” may only hold interface names and addresses",
                         self->ice_enforce_list);
            return FALSE;
          }
      enforce_line = g_strdup_printf ("\tice_enforce_list = \"%s\"\n", self->ice_enforce_list);
    }
  else
    enforce_line = g_strdup ("");

  /* The directory holds the API secret and the admin key: 0700, and its
   * name carries our pid, so that a later start can tell a dead server's
   * directory (SIGKILL) from a running one's (see
   * cohort_janus_launcher_sweep_stale). */
  {
    g_autofree char *name = g_strdup_printf ("cohort-janus-%d-XXXXXX", (int) getpid ());

    tmpl = g_build_filename (g_get_tmp_dir (), name, NULL);
  }
  self->config_dir = g_mkdtemp_full (tmpl, 0700) ? g_steal_pointer (&tmpl) : NULL;
  if (self->config_dir == NULL)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot create Janus config dir: %s", g_strerror (errsv));
      return FALSE;
    }

  plugins = g_build_filename (self->config_dir, "plugins", NULL);
  transports = g_build_filename (self->config_dir, "transports", NULL);
  events = g_build_filename (self->config_dir, "events", NULL);
  loggers = g_build_filename (self->config_dir, "loggers", NULL);
  g_mkdir (plugins, 0700);
  g_mkdir (transports, 0700);
  g_mkdir (events, 0700);
  g_mkdir (loggers, 0700);

  /* VideoRoom for the stage, AudioBridge for the groups' voice rooms. */
  if (!link_module (src_plugins, plugins, "libjanus_videoroom.so", error) ||
      !link_module (src_plugins, plugins, "libjanus_audiobridge.so", error) ||
      !link_module (src_transports, transports, "libjanus_websockets.so", error))
    return FALSE;

  janus_jcfg = g_strdup_printf (
    "general: {\n"
    "\tconfigs_folder = \"%s\"\n"
    "\tplugins_folder = \"%s\"\n"
    "\ttransports_folder = \"%s\"\n"
    "\tevents_folder = \"%s\"\n"
    "\tloggers_folder = \"%s\"\n"
    "\tlog_to_stdout = true\n"
    "\tdebug_level = 4\n"
    "\tdebug_timestamps = true\n"
    "\tdebug_colors = false\n"
    "\tserver_name = \"cohort\"\n"
    "\tsession_timeout = 60\n"
    "\tapi_secret = \"%s\"\n"
    "\tadmin_secret = \"%s\"\n"
    "\thide_dependencies = true\n"
    "\texit_on_dl_error = true\n"
    "\tprotected_folders = [ \"/bin\", \"/boot\", \"/dev\", \"/etc\", \"/lib\",\n"
    "\t\t\"/lib64\", \"/proc\", \"/sbin\", \"/sys\", \"/usr\", \"/var\" ]\n"
    "}\n"
    "certificates: {\n"
    "}\n"
    "media: {\n"
    "\tipv6 = false\n"
    "\trtp_port_range = \"20000-40000\"\n"
    "\tno_media_timer = 2\n"
    "\ttwcc_period = 100\n"
    /* Janus keeps a subscriber's video for retransmission RTT + 100 ms,
     * at least this long, and answers a NACK for the same packet only
     * once in 200 ms: with 200 ms (its default) a lost retransmission is
     * never repaired. 600 ms leaves room for two more (the subscriber's
     * jitter buffer grows to match: cohort-media-subscriber.c). */
    "\tmin_nack_queue = 600\n"
    "}\n"
    "nat: {\n"
    "\tnice_debug = false\n"
    "\tice_lite = false\n"
    "\tice_tcp = false\n"
    "\tfull_trickle = false\n"
    "\tignore_mdns = true\n"
    "%s"
    "}\n"
    "plugins: {\n"
    "}\n"
    "transports: {\n"
    "}\n"
    "loggers: {\n"
    "}\n"
    "events: {\n"
    "\tbroadcast = false\n"
    "}\n",
    self->config_dir, plugins, transports, events, loggers,
    self->api_secret, admin_secret,
    enforce_line);

  /* The Admin API (handle_info: RTT, NACK buffer, RTCP stats) is for
   * diagnostics and the media tests; loopback only, and it wants the
   * admin secret above. Its port stays the same across restarts. */
  if (self->admin_api && self->admin_port == 0)
    {
      self->admin_port = pick_free_port (error);
      if (self->admin_port == 0)
        return FALSE;
    }
  if (self->admin_api)
    admin_section = g_strdup_printf ("\tadmin_ws = true\n"
                                     "\tadmin_ws_port = %u\n"
                                     "\tadmin_ws_ip = \"127.0.0.1\"\n",
                                     self->admin_port);
  else
    admin_section = g_strdup ("\tadmin_ws = false\n");

  ws_jcfg = g_strdup_printf (
    "general: {\n"
    "\tjson = \"compact\"\n"
    "\tws = true\n"
    "\tws_port = %u\n"
    "\tws_ip = \"127.0.0.1\"\n"
    "\twss = false\n"
    "\tws_logging = \"err,warn\"\n"
    "}\n"
    "admin: {\n"
    "%s"
    "\tadmin_wss = false\n"
    "}\n"
    "cors: {\n"
    "}\n"
    "certificates: {\n"
    "}\n",
    self->ws_port, admin_section);

  videoroom_jcfg = g_strdup_printf (
    "general: {\n"
    "\tadmin_key = \"%s\"\n"
    "\tlock_rtp_forward = true\n"
    "\tevents = false\n"
    "\tstring_ids = false\n"
    "}\n",
    self->admin_key);

  /* The same admin key guards room creation; nothing is ever recorded
   * (each room also says record = false), and no room is kept on disk. */
  audiobridge_jcfg = g_strdup_printf (
    "general: {\n"
    "\tadmin_key = \"%s\"\n"
    "\tlock_rtp_forward = true\n"
    "\tlock_play_file = true\n"
    "\tevents = false\n"
    "\tstring_ids = false\n"
    "}\n",
    self->admin_key);

  return write_file (self->config_dir, "janus.jcfg", janus_jcfg, error) &&
         write_file (self->config_dir, "janus.transport.websockets.jcfg", ws_jcfg, error) &&
         write_file (self->config_dir, "janus.plugin.videoroom.jcfg", videoroom_jcfg, error) &&
         write_file (self->config_dir, "janus.plugin.audiobridge.jcfg", audiobridge_jcfg, error);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) ||
      !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      rm_rf (child);
    }
  g_rmdir (path);
}

/* The secrets go with the directory, on every way out: stop() (the
 * server's shutdown on SIGTERM or SIGINT, or a failed start) and
 * finalize. COHORT_KEEP_JANUS_DIR keeps it, for debugging Janus. */
static void
remove_config_dir (CohortJanusLauncher *self)
{
  if (self->config_dir == NULL)
    return;
  if (g_getenv ("COHORT_KEEP_JANUS_DIR") == NULL)
    rm_rf (self->config_dir);
  g_clear_pointer (&self->config_dir, g_free);
}

/* ---------------------------------------------------------------------- */
/* Waiting for the WebSocket port                                           */

static void poll_port (CohortJanusLauncher *self);

static gboolean
poll_port_timeout_cb (gpointer user_data)
{
  CohortJanusLauncher *self = user_data;

  self->poll_source = 0;
  poll_port (self);
  return G_SOURCE_REMOVE;
}

static void
fail_start (CohortJanusLauncher *self,
            GError              *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  if (task != NULL)
    g_task_return_error (task, error);
  else
    {
      g_warning ("Janus: %s", error->message);
      g_error_free (error);
    }
}

static void
port_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CohortJanusLauncher) self = user_data;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;

  conn = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (self->child == NULL || self->stopping)
    return;

  if (conn == NULL)
    {
      if (g_get_monotonic_time () - self->spawn_time > PORT_WAIT_TIMEOUT_MS * 1000)
        {
          fail_start (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                         "Janus did not open port %u in time",
                                         self->ws_port));
          g_subprocess_force_exit (self->child);
          return;
        }
      self->poll_source = g_timeout_add (PORT_POLL_INTERVAL_MS, poll_port_timeout_cb, self);
      return;
    }

  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  self->startup_usec = g_get_monotonic_time () - self->spawn_time;
  self->restart_backoff_ms = RESTART_BACKOFF_MIN_MS;
  g_debug ("Janus is accepting on 127.0.0.1:%u after %" G_GINT64_FORMAT " ms",
           self->ws_port, self->startup_usec / 1000);

  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);
      g_task_return_boolean (task, TRUE);
    }

  g_signal_emit (self, signals[SIGNAL_READY], 0);
}

static void
poll_port (CohortJanusLauncher *self)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_timeout (client, 1);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", self->ws_port,
                                         self->child_cancellable,
                                         port_connected_cb, g_object_ref (self));
}

/* ---------------------------------------------------------------------- */
/* Child supervision                                                        */

static gboolean
restart_timeout_cb (gpointer user_data)
{
  CohortJanusLauncher *self = user_data;

  self->restart_source = 0;
  self->n_restarts++;
  spawn_child (self);
  return G_SOURCE_REMOVE;
}

static void
child_exited_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CohortJanusLauncher) self = user_data;
  GSubprocess *child = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;
  gboolean will_restart;
  int status;

  if (!g_subprocess_wait_finish (child, result, &error))
    return;   /* cancelled: stop() owns the shutdown */

  if (child != self->child)
    return;

  status = g_subprocess_get_status (child);
  g_clear_object (&self->child);
  g_clear_handle_id (&self->poll_source, g_source_remove);

  if (self->start_task != NULL)
    {
      g_autofree char *log_path = g_build_filename (self->config_dir, "janus.log", NULL);
      fail_start (self, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                     "Janus exited during startup (status %d), see %s",
                                     status, log_path));
      return;
    }

  will_restart = !self->stopping;
  g_warning ("Janus exited (status %d)%s", status,
             will_restart ? ", restarting" : "");
  g_signal_emit (self, signals[SIGNAL_EXITED], 0, status, will_restart);

  if (!will_restart)
    return;

  self->restart_source = g_timeout_add (self->restart_backoff_ms, restart_timeout_cb, self);
  self->restart_backoff_ms = MIN (self->restart_backoff_ms * 2, RESTART_BACKOFF_MAX_MS);
}

/* Janus goes when the server goes, even on SIGKILL: an orphan would hold
 * its port, and the next start's sweep removes its directory. */
static void
die_with_server (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
spawn_child (CohortJanusLauncher *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *jcfg = NULL;
  g_autofree char *plugins = NULL;
  g_autofree char *debug_level = NULL;
  g_autoptr(GError) error = NULL;
  const char *level = g_getenv ("COHORT_JANUS_DEBUG_LEVEL");
  guint64 n = 4;

  g_assert (self->child == NULL);

  /* Janus's own log (janus.log in the private directory, kept with
   * COHORT_KEEP_JANUS_DIR=1): 4 by default; 6 shows every NACK it
   * answers or skips and every round trip it measures. */
  if (level != NULL && !g_ascii_string_to_unsigned (level, 10, 0, 7, &n, NULL))
    n = 4;
  debug_level = g_strdup_printf ("--debug-level=%u", (guint) n);

  log_path = g_build_filename (self->config_dir, "janus.log", NULL);
  jcfg = g_build_filename (self->config_dir, "janus.jcfg", NULL);
  plugins = g_build_filename (self->config_dir, "plugins", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  /* Janus logs to stdout; keep it in the private dir (appending across
   * restarts) rather than interleaving it with ours. */
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, self->config_dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_server, NULL, NULL);

  self->spawn_time = g_get_monotonic_time ();
  self->child = g_subprocess_launcher_spawn (launcher, &error,
                                             self->janus_binary,
                                             "-C", jcfg,
                                             "-F", self->config_dir,
                                             "-P", plugins,
                                             debug_level,
                                             "--disable-colors",
                                             NULL);
  if (self->child == NULL)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }

  g_debug ("Spawned %s (pid %s), config in %s", self->janus_binary,
           g_subprocess_get_identifier (self->child), self->config_dir);

  g_subprocess_wait_async (self->child, self->child_cancellable,
                           child_exited_cb, g_object_ref (self));
  poll_port (self);
}

/* ---------------------------------------------------------------------- */
/* Public API                                                               */

void
cohort_janus_launcher_start_async (CohortJanusLauncher *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (COHORT_IS_JANUS_LAUNCHER (self));
  g_return_if_fail (self->start_task == NULL && self->child == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_janus_launcher_start_async);

  if (self->ws_port == 0 && (self->ws_port = pick_free_port (&error)) == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->config_dir == NULL && !write_config (self, &error))
    {
      /* It may have got as far as the secrets. */
      remove_config_dir (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->stopping = FALSE;
  g_clear_object (&self->child_cancellable);
  self->child_cancellable = g_cancellable_new ();
  self->start_task = g_steal_pointer (&task);
  spawn_child (self);
}

gboolean
cohort_janus_launcher_start_finish (CohortJanusLauncher  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cohort_janus_launcher_stop:
 *
 * Stops supervision and terminates the child (SIGTERM). Synchronous
 * wait for the child is bounded by Janus' own shutdown, which is quick.
 */
void
cohort_janus_launcher_stop (CohortJanusLauncher *self)
{
  g_return_if_fail (COHORT_IS_JANUS_LAUNCHER (self));

  self->stopping = TRUE;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->restart_source, g_source_remove);
  g_cancellable_cancel (self->child_cancellable);

  if (self->start_task != NULL)
    fail_start (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "Janus launcher stopped"));

  if (self->child != NULL)
    {
      g_autoptr(GSubprocess) child = g_steal_pointer (&self->child);
      g_subprocess_send_signal (child, SIGTERM);
      g_subprocess_wait (child, NULL, NULL);
    }

  /* Not left to finalize: a pending wait or a port probe may hold a
   * reference past the main loop's end, and the server stopped on SIGTERM
   * left its secrets in /tmp that way. */
  remove_config_dir (self);
}

/**
 * cohort_janus_launcher_sweep_stale:
 * @tmp_dir: (nullable): where to look (NULL: g_get_tmp_dir())
 *
 * Removes the configuration directories (and so the secrets) that servers
 * killed with SIGKILL left behind: those named cohort-janus-PID-… whose PID
 * no longer runs, and which belong to us. A running server's directory
 * (its pid is alive, ours included) and anything else are left alone.
 *
 * Returns: how many were removed
 */
guint
cohort_janus_launcher_sweep_stale (const char *tmp_dir)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint removed = 0;

  if (tmp_dir == NULL)
    tmp_dir = g_get_tmp_dir ();
  if (!(dir = g_dir_open (tmp_dir, 0, NULL)))
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      const char *digits;
      char *end = NULL;
      struct stat st;
      long pid;

      if (!g_str_has_prefix (name, "cohort-janus-"))
        continue;
      digits = name + strlen ("cohort-janus-");
      if (!g_ascii_isdigit (*digits))
        continue;
      errno = 0;
      pid = strtol (digits, &end, 10);
      if (errno != 0 || end == NULL || *end != '-' || pid <= 0 || pid > G_MAXINT ||
          pid == (long) getpid ())
        continue;

      path = g_build_filename (tmp_dir, name, NULL);
      if (lstat (path, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != getuid ())
        continue;
      /* EPERM: alive, someone else's; only ESRCH says it is gone. */
      if (kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;

      g_message ("Removing %s, left by a Janus of a server (pid %ld) that no longer runs",
                 path, pid);
      rm_rf (path);
      removed++;
    }
  return removed;
}

const char *
cohort_janus_launcher_get_config_dir (CohortJanusLauncher *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_LAUNCHER (self), NULL);
  return self->config_dir;
}

const char *
cohort_janus_launcher_get_api_secret (CohortJanusLauncher *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_LAUNCHER (self), NULL);
  return self->api_secret;
}

const char *
cohort_janus_launcher_get_admin_key (CohortJanusLauncher *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_LAUNCHER (self), NULL);
  return self->admin_key;
}

guint16
cohort_janus_launcher_get_ws_port (CohortJanusLauncher *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_LAUNCHER (self), 0);
  return self->ws_port;
}

char *
cohort_janus_launcher_dup_ws_uri (CohortJanusLauncher *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_LAUNCHER (self), NULL);
  return g_strdup_printf ("ws://127.0.0.1:%u/", self->ws_port);
}

/* (nullable): pid of the running child, as a string */
const char *
cohort_janus_launcher_get_pid (CohortJanusLauncher *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_LAUNCHER (self), NULL);
  return self->child ? g_subprocess_get_identifier (self->child) : NULL;
}

gint64
cohort_janus_launcher_get_startup_usec (CohortJanusLauncher *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_LAUNCHER (self), 0);
  return self->startup_usec;
}

CohortJanusLauncher *
cohort_janus_launcher_new (const char *ice_enforce_list,
                           guint16     ws_port)
{
  return g_object_new (COHORT_TYPE_JANUS_LAUNCHER,
                       "ice-enforce-list", ice_enforce_list,
                       "ws-port", (guint) ws_port,
                       NULL);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                  */

static void
cohort_janus_launcher_dispose (GObject *object)
{
  CohortJanusLauncher *self = COHORT_JANUS_LAUNCHER (object);

  cohort_janus_launcher_stop (self);

  G_OBJECT_CLASS (cohort_janus_launcher_parent_class)->dispose (object);
}

static void
cohort_janus_launcher_finalize (GObject *object)
{
  CohortJanusLauncher *self = COHORT_JANUS_LAUNCHER (object);

  remove_config_dir (self);

  g_clear_object (&self->child_cancellable);
  g_free (self->ice_enforce_list);
  g_free (self->janus_binary);
  g_free (self->libdir);
  g_free (self->api_secret);
  g_free (self->admin_key);

  G_OBJECT_CLASS (cohort_janus_launcher_parent_class)->finalize (object);
}

static void
cohort_janus_launcher_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CohortJanusLauncher *self = COHORT_JANUS_LAUNCHER (object);

  switch (prop_id)
    {
    case PROP_ICE_ENFORCE_LIST:
      g_value_set_string (value, self->ice_enforce_list);
      break;
    case PROP_WS_PORT:
      g_value_set_uint (value, self->ws_port);
      break;
    case PROP_JANUS_BINARY:
      g_value_set_string (value, self->janus_binary);
      break;
    case PROP_ADMIN_API:
      g_value_set_boolean (value, self->admin_api);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_janus_launcher_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CohortJanusLauncher *self = COHORT_JANUS_LAUNCHER (object);

  switch (prop_id)
    {
    case PROP_ICE_ENFORCE_LIST:
      g_free (self->ice_enforce_list);
      self->ice_enforce_list = g_value_dup_string (value);
      break;
    case PROP_WS_PORT:
      self->ws_port = g_value_get_uint (value);
      break;
    case PROP_JANUS_BINARY:
      g_free (self->janus_binary);
      self->janus_binary = g_value_dup_string (value);
      if (self->janus_binary == NULL)
        self->janus_binary = g_strdup ("janus");
      break;
    case PROP_ADMIN_API:
      self->admin_api = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_janus_launcher_class_init (CohortJanusLauncherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_janus_launcher_dispose;
  object_class->finalize = cohort_janus_launcher_finalize;
  object_class->get_property = cohort_janus_launcher_get_property;
  object_class->set_property = cohort_janus_launcher_set_property;

  properties[PROP_ICE_ENFORCE_LIST] =
    g_param_spec_string ("ice-enforce-list", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WS_PORT] =
    g_param_spec_uint ("ws-port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JANUS_BINARY] =
    g_param_spec_string ("janus-binary", NULL, NULL, "janus",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /* Janus's Admin API on 127.0.0.1 (port and secret in the config
   * directory only). Set before the first start. */
  properties[PROP_ADMIN_API] =
    g_param_spec_boolean ("admin-api", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted every time the WebSocket port accepts (first start and after
   * each automatic restart): clients must reconnect and re-create state. */
  signals[SIGNAL_READY] =
    g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_EXITED] =
    g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_BOOLEAN);
}

static void
cohort_janus_launcher_init (CohortJanusLauncher *self)
{
  self->libdir = g_strdup (COHORT_JANUS_LIBDIR);
  self->api_secret = random_hex (16);
  self->admin_key = random_hex (16);
  self->restart_backoff_ms = RESTART_BACKOFF_MIN_MS;
}
