/* cohort-test-notifications.c: a notification server on the test's own
 * session bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-test-notifications.h"
#include "cohort-test-ui.h"

static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *object_path,
                       const char            *interface_name,
                       const char            *method_name,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  CohortTestNotifications *s = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    g_ptr_array_add (s->sent, g_variant_ref (parameters));
  else if (g_str_equal (method_name, "RemoveNotification"))
    {
      const char *id;

      g_variant_get (parameters, "(&s&s)", NULL, &id);
      g_ptr_array_add (s->removed, g_strdup (id));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { on_notifications_call, NULL, NULL, { 0 } };

static gboolean
name_owned (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         data)
{
  *(gboolean *) data = TRUE;
}

void
cohort_test_notifications_start (CohortTestNotifications *s)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  static gboolean owned;

  g_assert_nonnull (bus);
  s->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  s->removed = g_ptr_array_new_with_free_func (g_free);
  s->object_id = g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                                    &notifications_vtable, s, NULL, NULL);
  g_assert_cmpuint (s->object_id, >, 0);
  s->owner_id = g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                              on_name_acquired, NULL, &owned, NULL);
  g_assert_true (cohort_test_ui_wait_for (name_owned, &owned, 5000));
}

void
cohort_test_notifications_stop (CohortTestNotifications *s)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_dbus_connection_unregister_object (bus, s->object_id);
  g_bus_unown_name (s->owner_id);
  g_clear_pointer (&s->sent, g_ptr_array_unref);
  g_clear_pointer (&s->removed, g_ptr_array_unref);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Calls org.gtk.Actions.@method on the app over the bus, as the shell
 * does, and returns the reply. */
GVariant *
cohort_test_notifications_call_app (GApplication *app,
                                    const char   *method,
                                    GVariant     *parameters)
{
  GDBusConnection *bus = g_application_get_dbus_connection (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  /* The unique name: a test's application is not unique, so owns no well-known name. */
  g_dbus_connection_call (bus, g_dbus_connection_get_unique_name (bus), g_application_get_dbus_object_path (app),
                          "org.gtk.Actions", method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_call_done, &result);
  g_assert_true (cohort_test_ui_wait_for (has_result, &result, 5000));
  reply = g_dbus_connection_call_finish (bus, result, &error);
  g_assert_no_error (error);
  return reply;
}

void
cohort_test_notifications_click (GApplication *app,
                                 const char   *action,
                                 GVariant     *target)
{
  g_autoptr(GVariant) reply = NULL;

  reply = cohort_test_notifications_call_app (app, "Activate",
                                              g_variant_new ("(s@av@a{sv})", action,
                                                             g_variant_new_array (G_VARIANT_TYPE_VARIANT,
                                                                                  (GVariant *[]) { g_variant_new_variant (target) }, 1),
                                                             g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)));
}
