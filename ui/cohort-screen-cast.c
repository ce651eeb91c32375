/* cohort-screen-cast.c: what the screen share records (portal or X11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-screen-cast"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#ifdef COHORT_HAVE_PORTAL
#include <libportal-gtk4/portal-gtk4.h>
#endif
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "cohort-screen-cast.h"

typedef enum
{
  SOURCE_NONE,
  SOURCE_PIPEWIRE,
  SOURCE_XIMAGE,
} SourceKind;

struct _CohortScreenCast
{
  GObject     parent_instance;

  SourceKind  kind;
  int         pipewire_fd;
  guint32     node_id;
#ifdef COHORT_HAVE_PORTAL
  XdpPortal  *portal;
  XdpSession *session;
#endif
};

G_DEFINE_FINAL_TYPE (CohortScreenCast, cohort_screen_cast, G_TYPE_OBJECT)

static gboolean
have_element (const char *name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (name);

  return factory != NULL;
}

/* Without a portal: X11 can be recorded directly. */
static gboolean
start_x11 (CohortScreenCast  *self,
           GtkWindow         *parent,
           GError           **error)
{
#ifdef GDK_WINDOWING_X11
  GdkDisplay *display = parent != NULL ? gtk_widget_get_display (GTK_WIDGET (parent)) : gdk_display_get_default ();

  if (GDK_IS_X11_DISPLAY (display) && have_element ("ximagesrc"))
    {
      self->kind = SOURCE_XIMAGE;
      return TRUE;
    }
#endif
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Screen sharing needs the desktop’s screen sharing service (xdg-desktop-portal)."));
  return FALSE;
}

#ifdef COHORT_HAVE_PORTAL
static void
on_session_started (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortScreenCast *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) streams = NULL;
  GVariantIter iter;
  guint32 node = 0;
  int fd;

  if (!xdp_session_start_finish (XDP_SESSION (source), result, &error))
    {
      g_clear_object (&self->session);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  streams = xdp_session_get_streams (self->session);
  if (streams != NULL)
    {
      g_variant_iter_init (&iter, streams);
      g_variant_iter_next (&iter, "(u@a{sv})", &node, NULL);
    }
  fd = xdp_session_open_pipewire_remote (self->session);
  if (node == 0 || fd < 0)
    {
      if (fd >= 0)
        close (fd);
      xdp_session_close (self->session);
      g_clear_object (&self->session);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _("The desktop did not give a screen to share."));
      return;
    }

  self->pipewire_fd = fd;
  self->node_id = node;
  self->kind = SOURCE_PIPEWIRE;
  g_task_return_boolean (task, TRUE);
}

static void
on_session_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortScreenCast *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = g_object_get_data (G_OBJECT (task), "parent");
  XdpParent *xdp_parent;

  self->session = xdp_portal_create_screencast_session_finish (XDP_PORTAL (source), result, &error);
  if (self->session == NULL)
    {
      /* No portal (or no ScreenCast in it): X11 still works directly. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("No ScreenCast portal: %s", error->message);
      g_clear_error (&error);
      if (start_x11 (self, parent, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  xdp_parent = parent != NULL ? xdp_parent_new_gtk (parent) : NULL;
  xdp_session_start (self->session, xdp_parent, g_task_get_cancellable (task),
                     on_session_started, g_object_ref (task));
  if (xdp_parent != NULL)
    xdp_parent_free (xdp_parent);
}
#endif

void
cohort_screen_cast_start_async (CohortScreenCast    *self,
                                GtkWindow           *parent,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (COHORT_IS_SCREEN_CAST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_screen_cast_start_async);
  cohort_screen_cast_stop (self);

#ifdef COHORT_HAVE_PORTAL
  if (have_element ("pipewiresrc") && g_getenv ("COHORT_NO_PORTAL") == NULL)
    {
      if (self->portal == NULL)
        self->portal = xdp_portal_new ();
      if (self->portal != NULL)
        {
          if (parent != NULL)
            g_object_set_data_full (G_OBJECT (task), "parent", g_object_ref (parent), g_object_unref);
          xdp_portal_create_screencast_session (self->portal,
                                                XDP_OUTPUT_MONITOR | XDP_OUTPUT_WINDOW,
                                                XDP_SCREENCAST_FLAG_NONE,
                                                XDP_CURSOR_MODE_EMBEDDED,
                                                XDP_PERSIST_MODE_NONE, NULL,
                                                cancellable, on_session_created,
                                                g_steal_pointer (&task));
          return;
        }
    }
#endif

  if (start_x11 (self, parent, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

gboolean
cohort_screen_cast_start_finish (CohortScreenCast  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GstElement *
cohort_screen_cast_create_source (CohortScreenCast *self)
{
  g_autofree char *desc = NULL;

  g_return_val_if_fail (COHORT_IS_SCREEN_CAST (self), NULL);

  switch (self->kind)
    {
    case SOURCE_PIPEWIRE:
      /* pipewiresrc takes the fd over: give it its own copy. Portals
       * stream at a variable rate (framerate=0/1: a frame when the screen
       * changes), which the publisher's drop-only videorate cannot take:
       * videorate here turns it into a fixed rate, repeating frames. */
      desc = g_strdup_printf ("pipewiresrc fd=%d path=%u do-timestamp=true keepalive-time=1000 "
                              "! videorate ! video/x-raw,framerate=[1/1,2147483647/1] ! videoconvert",
                              dup (self->pipewire_fd), self->node_id);
      break;
    case SOURCE_XIMAGE:
      desc = g_strdup ("ximagesrc use-damage=false show-pointer=true ! videoconvert");
      break;
    case SOURCE_NONE:
    default:
      return NULL;
    }

  return gst_parse_bin_from_description (desc, TRUE, NULL);
}

gboolean
cohort_screen_cast_get_active (CohortScreenCast *self)
{
  g_return_val_if_fail (COHORT_IS_SCREEN_CAST (self), FALSE);

  return self->kind != SOURCE_NONE;
}

void
cohort_screen_cast_stop (CohortScreenCast *self)
{
  g_return_if_fail (COHORT_IS_SCREEN_CAST (self));

#ifdef COHORT_HAVE_PORTAL
  if (self->session != NULL)
    xdp_session_close (self->session);
  g_clear_object (&self->session);
#endif
  if (self->pipewire_fd >= 0)
    close (self->pipewire_fd);
  self->pipewire_fd = -1;
  self->node_id = 0;
  self->kind = SOURCE_NONE;
}

static void
cohort_screen_cast_dispose (GObject *object)
{
  CohortScreenCast *self = COHORT_SCREEN_CAST (object);

  cohort_screen_cast_stop (self);
#ifdef COHORT_HAVE_PORTAL
  g_clear_object (&self->portal);
#endif

  G_OBJECT_CLASS (cohort_screen_cast_parent_class)->dispose (object);
}

static void
cohort_screen_cast_class_init (CohortScreenCastClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_screen_cast_dispose;
}

static void
cohort_screen_cast_init (CohortScreenCast *self)
{
  self->pipewire_fd = -1;
}

CohortScreenCast *
cohort_screen_cast_new (void)
{
  return g_object_new (COHORT_TYPE_SCREEN_CAST, NULL);
}
