/* test-background-portal.c: "Run in background" through the Background
 * portal, against a stand-in for org.freedesktop.portal.Background on the
 * test's private session bus (the portal is outside the project): the
 * request the app sends (autostart, the command line, the reason), the
 * hold, and a refusal turning the setting off again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-background-portal"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cohort-background-private.h"
#include "cohort-test-wait.h"

#define PORTAL_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_PATH    "/org/freedesktop/portal/desktop"
#define BACKGROUND_IF  "org.freedesktop.portal.Background"
#define REQUEST_IF     "org.freedesktop.portal.Request"

static const char introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

/* The stand-in: its own connection to the bus (so its replies and
 * signals come from another peer, as the real portal's do), the requests
 * it got, and what it answers. */
typedef struct
{
  GDBusConnection *bus;
  guint            registration;
  guint            owner;
  gboolean         owned;
  GPtrArray       *requests;   /* GVariant (sa{sv}) */
  gboolean         grant;
} Portal;

static void
portal_method (GDBusConnection       *bus,
               const char            *sender,
               const char            *object_path,
               const char            *interface_name,
               const char            *method_name,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  Portal *portal = user_data;
  g_autoptr(GVariant) options = g_variant_get_child_value (parameters, 1);
  g_autofree char *token = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *handle = NULL;
  GVariantBuilder results;
  gboolean autostart = FALSE;

  g_assert_cmpstr (method_name, ==, "RequestBackground");
  g_ptr_array_add (portal->requests, g_variant_ref (parameters));

  /* The handle the portal API defines: the caller's unique name without
   * ':' and with '.' as '_', and the caller's token. */
  g_assert_true (g_variant_lookup (options, "handle_token", "s", &token));
  peer = g_strdup (sender + 1);
  g_strdelimit (peer, ".", '_');
  handle = g_strdup_printf (PORTAL_PATH "/request/%s/%s", peer, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));

  g_variant_lookup (options, "autostart", "b", &autostart);
  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (portal->grant));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (portal->grant && autostart));
  g_dbus_connection_emit_signal (bus, sender, handle, REQUEST_IF, "Response",
                                 g_variant_new ("(ua{sv})", 0, &results), NULL);
}

static GVariant *
portal_property (GDBusConnection  *bus,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

static const GDBusInterfaceVTable portal_vtable = { portal_method, portal_property, NULL, { 0 } };

static void
on_name_acquired (GDBusConnection *bus,
                  const char      *name,
                  gpointer         user_data)
{
  ((Portal *) user_data)->owned = TRUE;
}

static void
portal_start (Portal *portal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, &error);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  portal->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  portal->bus = g_dbus_connection_new_for_address_sync (address,
                                                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                        NULL, NULL, &error);
  g_assert_no_error (error);
  portal->registration = g_dbus_connection_register_object (portal->bus, PORTAL_PATH, info->interfaces[0],
                                                            &portal_vtable, portal, NULL, &error);
  g_assert_no_error (error);
  portal->owner = g_bus_own_name_on_connection (portal->bus, PORTAL_NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                                                on_name_acquired, NULL, portal, NULL);
  COHORT_TEST_WAIT_UNTIL (portal->owned);
}

static void
portal_stop (Portal *portal)
{
  g_bus_unown_name (portal->owner);
  g_dbus_connection_unregister_object (portal->bus, portal->registration);
  g_dbus_connection_close_sync (portal->bus, NULL, NULL);
  g_clear_object (&portal->bus);
  g_clear_pointer (&portal->requests, g_ptr_array_unref);
}

static GVariant *
option (GVariant   *request,
        const char *name)
{
  g_autoptr(GVariant) options = g_variant_get_child_value (request, 1);

  return g_variant_lookup_value (options, name, NULL);
}

static gboolean
option_boolean (GVariant   *request,
                const char *name)
{
  g_autoptr(GVariant) value = option (request, name);

  g_assert_nonnull (value);
  return g_variant_get_boolean (value);
}

static gboolean
autostart_exists (void)
{
  g_autofree char *path = cohort_background_autostart_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* On: one request asking for autostart with "cohort --background" and a
 * reason, and the application held; granted, it stays on. Off: a request
 * without autostart, released. No autostart file either way: the portal
 * does that in a sandbox. */
static void
test_request (void)
{
  g_autoptr(GApplication) app = g_application_new ("org.cohortclass.Cohort.TestBackgroundPortal",
                                                   G_APPLICATION_DEFAULT_FLAGS);
  g_autoptr(GSettings) settings = g_settings_new ("org.cohortclass.Cohort");
  g_autoptr(CohortBackground) background = NULL;
  g_autoptr(GVariant) commandline = NULL;
  g_autoptr(GVariant) reason = NULL;
  g_autofree const char **argv = NULL;
  Portal portal = { .grant = TRUE };

  portal_start (&portal);
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  background = cohort_background_new (app);
  _cohort_background_set_sandboxed (background, TRUE);

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  COHORT_TEST_WAIT_UNTIL (portal.requests->len == 1);
  g_assert_true (cohort_background_get_held (background));
  g_assert_cmpstr (g_variant_get_type_string (g_ptr_array_index (portal.requests, 0)), ==, "(sa{sv})");
  g_assert_true (option_boolean (g_ptr_array_index (portal.requests, 0), "autostart"));
  g_assert_false (option_boolean (g_ptr_array_index (portal.requests, 0), "dbus-activatable"));
  commandline = option (g_ptr_array_index (portal.requests, 0), "commandline");
  g_assert_nonnull (commandline);
  argv = g_variant_get_strv (commandline, NULL);
  g_assert_cmpuint (g_strv_length ((char **) argv), ==, 2);
  g_assert_cmpstr (argv[0], ==, "cohort");
  g_assert_cmpstr (argv[1], ==, "--background");
  reason = option (g_ptr_array_index (portal.requests, 0), "reason");
  g_assert_nonnull (reason);
  g_assert_cmpuint (strlen (g_variant_get_string (reason, NULL)), >, 0);
  g_assert_false (autostart_exists ());
  /* Granted: nothing changes on its answer. */
  cohort_test_iterate_for (200);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  COHORT_TEST_WAIT_UNTIL (portal.requests->len == 2);
  g_assert_false (option_boolean (g_ptr_array_index (portal.requests, 1), "autostart"));
  g_assert_false (cohort_background_get_held (background));
  g_assert_false (autostart_exists ());

  g_clear_object (&background);
  portal_stop (&portal);
}

/* Refused (by the user or the portal's policy): the switch goes off
 * again, the hold with it. */
static void
test_refused (void)
{
  g_autoptr(GApplication) app = g_application_new ("org.cohortclass.Cohort.TestBackgroundRefused",
                                                   G_APPLICATION_DEFAULT_FLAGS);
  g_autoptr(GSettings) settings = g_settings_new ("org.cohortclass.Cohort");
  g_autoptr(CohortBackground) background = NULL;
  Portal portal = { .grant = FALSE };

  portal_start (&portal);
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  background = cohort_background_new (app);
  _cohort_background_set_sandboxed (background, TRUE);

  g_settings_set_boolean (settings, "run-in-background", TRUE);
  COHORT_TEST_WAIT_UNTIL (portal.requests->len >= 1);
  COHORT_TEST_WAIT_UNTIL (!g_settings_get_boolean (settings, "run-in-background"));
  COHORT_TEST_WAIT_UNTIL (!cohort_background_get_held (background));
  g_assert_true (option_boolean (g_ptr_array_index (portal.requests, 0), "autostart"));

  g_clear_object (&background);
  portal_stop (&portal);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config_home = g_dir_make_tmp ("cohort-background-config-XXXXXX", NULL);
  int status;

  /* The autostart fallback must not be what runs: a folder of our own to
   * look in. */
  g_assert_nonnull (config_home);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cohort/background/portal-request", test_request);
  g_test_add_func ("/cohort/background/portal-refused", test_refused);
  status = g_test_run ();
  g_rmdir (config_home);
  return status;
}
