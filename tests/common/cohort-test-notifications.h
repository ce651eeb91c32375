/* cohort-test-notifications.h: a notification server on the test's own
 * session bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A notification server on the test's own session bus, as the shell
 * is: it records what the app sends (org.gtk.Notifications, GLib's
 * "gtk" backend, chosen when the name has an owner). */
typedef struct
{
  guint      owner_id;
  guint      object_id;
  GPtrArray *sent;      /* GVariant (ssa{sv}) */
  GPtrArray *removed;   /* char *: the ids withdrawn */
} CohortTestNotifications;

/* Owns org.gtk.Notifications (waits until it does). */
void cohort_test_notifications_start (CohortTestNotifications *s);
void cohort_test_notifications_stop  (CohortTestNotifications *s);
/* Calls org.gtk.Actions.@method on @app over the bus, as the shell does
 * when a notification is clicked, and returns the reply. */
GVariant *cohort_test_notifications_call_app (GApplication *app,
                                              const char   *method,
                                              GVariant     *parameters);
/* Clicks a notification whose default action is app.@action with
 * @target, as the shell does: over the bus. */
void      cohort_test_notifications_click    (GApplication *app,
                                              const char   *action,
                                              GVariant     *target);

G_END_DECLS
