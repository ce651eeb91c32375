/* cohort-background.c: running on for lesson reminders after the last
 * window closes, when the user allows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-background"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>

#include <glib/gstdio.h>

#ifdef COHORT_HAVE_PORTAL
#include <libportal/portal.h>
#endif

#include "cohort-background-private.h"

struct _CohortBackground
{
  GObject       parent_instance;

  GApplication *application;  /* weak */
  GSettings    *settings;
  GCancellable *cancellable;
  gboolean      held;
  int           sandboxed;    /* -1: as libportal says; else forced (tests) */
#ifdef COHORT_HAVE_PORTAL
  XdpPortal    *portal;
#endif
};

G_DEFINE_FINAL_TYPE (CohortBackground, cohort_background, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
cohort_background_autostart_path (void)
{
  g_autofree char *name = g_strconcat (APP_ID, ".desktop", NULL);

  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

static void
set_held (CohortBackground *self,
          gboolean          held)
{
  if (self->held == held || self->application == NULL)
    return;
  self->held = held;
  if (held)
    g_application_hold (self->application);
  else
    g_application_release (self->application);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
}

/* The fallback outside a sandbox: what a session manager reads at login
 * (the XDG Autostart spec). Written with the app's own Exec, quietly. */
static void
write_autostart (gboolean enabled)
{
  g_autofree char *path = cohort_background_autostart_path ();
  g_autoptr(GError) error = NULL;

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", path, g_strerror (errno));
      return;
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *contents =
        g_strdup_printf ("[Desktop Entry]\n"
                         "Type=Application\n"
                         "Name=%s\n"
                         "Comment=%s\n"
                         "Exec=cohort --background\n"
                         "Icon=%s\n"
                         "NoDisplay=true\n"
                         "X-GNOME-Autostart-enabled=true\n",
                         _("Cohort"), _("Reminds you of your lessons"), APP_ID);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        g_warning ("Could not create %s: %s", dir, g_strerror (errno));
      else if (!g_file_set_contents (path, contents, -1, &error))
        g_warning ("Could not write %s: %s", path, error->message);
    }
}

#ifdef COHORT_HAVE_PORTAL
static void
request_background_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CohortBackground) self = user_data;
  g_autoptr(GError) error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The user (or the portal's policy) said no: the switch says so too. */
  g_message ("The Background portal refused: %s", error != NULL ? error->message : "no reason");
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "run-in-background"))
    g_settings_set_boolean (self->settings, "run-in-background", FALSE);
}
#endif

static void
apply (CohortBackground *self)
{
  gboolean enabled = g_settings_get_boolean (self->settings, "run-in-background");

  set_held (self, enabled);
#ifdef COHORT_HAVE_PORTAL
  if (self->sandboxed > 0 || (self->sandboxed < 0 && xdp_portal_running_under_sandbox ()))
    {
      g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);

      if (self->portal == NULL)
        self->portal = xdp_portal_new ();
      g_ptr_array_add (commandline, g_strdup ("cohort"));
      g_ptr_array_add (commandline, g_strdup ("--background"));
      xdp_portal_request_background (self->portal, NULL,
                                     enabled ? _("Cohort reminds you of your lessons when its window is closed.")
                                             : NULL,
                                     commandline,
                                     enabled ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                     self->cancellable, request_background_cb, g_object_ref (self));
      return;
    }
#endif
  write_autostart (enabled);
}

static void
cohort_background_dispose (GObject *object)
{
  CohortBackground *self = COHORT_BACKGROUND (object);

  g_cancellable_cancel (self->cancellable);
  set_held (self, FALSE);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->settings);
#ifdef COHORT_HAVE_PORTAL
  g_clear_object (&self->portal);
#endif

  G_OBJECT_CLASS (cohort_background_parent_class)->dispose (object);
}

static void
cohort_background_finalize (GObject *object)
{
  CohortBackground *self = COHORT_BACKGROUND (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_background_parent_class)->finalize (object);
}

static void
cohort_background_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortBackground *self = COHORT_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_background_class_init (CohortBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_background_dispose;
  object_class->finalize = cohort_background_finalize;
  object_class->get_property = cohort_background_get_property;

  properties[PROP_HELD] =
    g_param_spec_boolean ("held", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_background_init (CohortBackground *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->sandboxed = -1;
}

CohortBackground *
cohort_background_new (GApplication *application)
{
  CohortBackground *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  self = g_object_new (COHORT_TYPE_BACKGROUND, NULL);
  g_set_weak_pointer (&self->application, application);
  g_signal_connect_object (self->settings, "changed::run-in-background", G_CALLBACK (apply), self,
                           G_CONNECT_SWAPPED);
  /* Only a setting that is on asks at startup: off is the default, and
   * there is no autostart file or portal grant to take back then. */
  if (g_settings_get_boolean (self->settings, "run-in-background"))
    apply (self);
  return self;
}

gboolean
cohort_background_get_held (CohortBackground *self)
{
  g_return_val_if_fail (COHORT_IS_BACKGROUND (self), FALSE);

  return self->held;
}

void
_cohort_background_set_sandboxed (CohortBackground *self,
                                  gboolean          sandboxed)
{
  g_return_if_fail (COHORT_IS_BACKGROUND (self));

  self->sandboxed = sandboxed ? 1 : 0;
}
