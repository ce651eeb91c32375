/* cohort-class-window-notices.c: the class window's toasts, desktop notifications and sounds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-class-window-private.h"
#include "cohort-sound-player.h"
#include "cohort-stage.h"
#include "cohort-toast.h"
#include "cohort-template.h"

/* AdwToastWidget's close button has no name for screen readers (1.2). */
static gboolean
name_toast_controls (gpointer overlay)
{
  cohort_template_name_controls (GTK_WIDGET (overlay));
  return G_SOURCE_REMOVE;
}

/* Seconds a toast stays: long enough to read a question's prompt; chatter
 * goes quickly, so that a class of 40 does not keep the strip busy. */
#define URGENT_TIMEOUT  6
#define NORMAL_TIMEOUT  4
#define CHATTER_TIMEOUT 3

static const char * const places[] = { "people", "chat", "quiz", "groups", "helper", "stage", "schedule", NULL };

static gboolean
is_place (const char *place)
{
  return place != NULL && g_strv_contains (places, place);
}

/* Toasts */

/* In the class, toasts show at the foot of the stage's picture, clear of
 * the controls and the side panel; on the waiting page, over the window. */
static AdwToastOverlay *
toast_overlay (CohortClassWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "class") == 0)
    return cohort_stage_get_toast_overlay (COHORT_STAGE (self->stage));
  return self->toast_overlay;
}

static CohortNoticePriority
shown_priority (CohortClassWindow *self)
{
  CohortNoticePriority priority = COHORT_NOTICE_PRIORITY_CHATTER;

  for (guint i = 0; i < self->shown_toasts->len; i++)
    {
      CohortNoticePriority p = GPOINTER_TO_INT (g_object_get_data (g_ptr_array_index (self->shown_toasts, i),
                                                                   "cohort-priority"));
      priority = MAX (priority, p);
    }
  return priority;
}

static void show_next (CohortClassWindow *self);

static gboolean
drop_toast (gpointer toast)
{
  return G_SOURCE_REMOVE;
}

static void
on_toast_dismissed (AdwToast          *toast,
                    CohortClassWindow *self)
{
  guint index;

  if (self->shown_toasts == NULL || !g_ptr_array_find (self->shown_toasts, toast, &index))
    return;
  /* The toast is still emitting: our reference goes once it is done. */
  g_idle_add_full (G_PRIORITY_DEFAULT, drop_toast,
                   g_ptr_array_steal_index (self->shown_toasts, index), g_object_unref);
  show_next (self);
}

/* One of our toasts at a time, so that what comes next is chosen when
 * there is room, not when it arrived. An urgent notice does not wait: it
 * goes on screen at once, and the toast it pushes aside comes back after
 * it. */
static void
show_next (CohortClassWindow *self)
{
  while (self->notices != NULL &&
         cohort_notice_queue_get_n_pending (self->notices) > 0 &&
         (self->shown_toasts->len == 0 ||
          (cohort_notice_queue_get_top_priority (self->notices) == COHORT_NOTICE_PRIORITY_URGENT &&
           shown_priority (self) < COHORT_NOTICE_PRIORITY_URGENT)))
    {
      g_autofree char *text = NULL;
      CohortNoticeKind kind;
      CohortNoticePriority priority;
      AdwToast *toast;

      cohort_notice_queue_pop (self->notices, &kind, &text, NULL);
      priority = cohort_notice_kind_get_priority (kind);

      toast = cohort_toast_new (text);
      adw_toast_set_timeout (toast, priority == COHORT_NOTICE_PRIORITY_URGENT ? URGENT_TIMEOUT
                                    : priority == COHORT_NOTICE_PRIORITY_NORMAL ? NORMAL_TIMEOUT
                                    : CHATTER_TIMEOUT);
      if (priority == COHORT_NOTICE_PRIORITY_URGENT)
        adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      g_object_set_data (G_OBJECT (toast), "cohort-priority", GINT_TO_POINTER (priority));
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
      g_ptr_array_add (self->shown_toasts, g_object_ref (toast));
      adw_toast_overlay_add_toast (toast_overlay (self), toast);
      /* The overlay builds the toast's widget when it shows it. */
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, name_toast_controls,
                       g_object_ref (toast_overlay (self)), g_object_unref);
    }
}

void
cohort_class_window_add_notice (CohortClassWindow *self,
                                CohortNoticeKind   kind,
                                const char        *text)
{
  g_return_if_fail (COHORT_IS_CLASS_WINDOW (self));

  if (self->notices == NULL)
    return;
  cohort_notice_queue_push (self->notices, kind, text != NULL ? text : "");
  show_next (self);
}

void
cohort_class_window_add_toast (CohortClassWindow *self,
                               const char        *title)
{
  cohort_class_window_add_notice (self, COHORT_NOTICE_INFO, title);
}

GPtrArray *
cohort_class_window_get_shown_toasts (CohortClassWindow *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), NULL);

  return self->shown_toasts;
}

/* Places */

void
cohort_class_window_show_place (CohortClassWindow *self,
                                const char        *place)
{
  g_return_if_fail (COHORT_IS_CLASS_WINDOW (self));

  gtk_window_present (GTK_WINDOW (self));

  /* The stage is always in view; its invitation is a dialog over it. */
  if (!is_place (place) || g_str_equal (place, "stage"))
    return;
  /* The schedule is a dialog of its own. */
  if (g_str_equal (place, "schedule"))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "class.show-schedule", NULL);
      return;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "class") != 0 ||
      adw_view_stack_get_child_by_name (self->side_stack, place) == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->side_stack, place);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

/* Desktop notifications */

static char *
notification_id (CohortClassWindow *self,
                 const char        *place)
{
  return g_strdup_printf ("cohort-%u-%s", gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self)), place);
}

gboolean
cohort_class_window_send_notification (CohortClassWindow *self,
                                       const char        *id,
                                       const char        *place,
                                       const char        *title,
                                       const char        *body)
{
  GtkApplication *app;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *own_id = NULL;
  guint window_id;

  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), FALSE);
  g_return_val_if_fail (is_place (place), FALSE);

  app = gtk_window_get_application (GTK_WINDOW (self));
  window_id = gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self));
  if (app == NULL || window_id == 0)
    return FALSE;

  /* Clicked, it runs app.show-class-place, which the application exports
   * on the bus like every app action: the shell calls it by name, with
   * the window and the place to show. */
  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-class-place", "(us)", window_id, place);
  if (id == NULL)
    id = own_id = notification_id (self, place);
  g_application_send_notification (G_APPLICATION (app), id, notification);
  return TRUE;
}

/* Once the user is back, the notifications of this window are old news. */
static void
on_is_active (CohortClassWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (!gtk_window_is_active (GTK_WINDOW (self)) || app == NULL ||
      gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self)) == 0)
    return;
  for (guint i = 0; places[i] != NULL; i++)
    {
      g_autofree char *id = notification_id (self, places[i]);

      g_application_withdraw_notification (app, id);
    }
}

void
cohort_class_window_call_attention (CohortClassWindow *self,
                                    CohortNoticeKind   kind,
                                    const char        *place,
                                    int                sound,
                                    const char        *title,
                                    const char        *body)
{
  g_return_if_fail (COHORT_IS_CLASS_WINDOW (self));
  g_return_if_fail (is_place (place));
  g_return_if_fail (title != NULL);

  cohort_class_window_add_notice (self, kind, title);
  if (sound >= 0 && self->sounds != NULL)
    cohort_sound_player_play (COHORT_SOUND_PLAYER (self->sounds), sound);
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    cohort_class_window_send_notification (self, NULL, place, title, body);
}

GObject *
cohort_class_window_get_sound_player (CohortClassWindow *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), NULL);

  return self->sounds;
}

/* An invitation to the stage is a dialog over the window; away from it,
 * the user hears of it from the desktop. */
static void
on_invited (CohortClassWindow *self)
{
  if (self->is_teacher || !cohort_classroom_get_invited (self->classroom))
    return;
  cohort_class_window_call_attention (self, COHORT_NOTICE_ACTION, "stage", -1,
                                      _("The teacher invites you to the stage"),
                                      _("Everyone in the class will see and hear you."));
}

void
_cohort_class_window_notices_attach (CohortClassWindow *self)
{
  g_signal_connect_object (self->classroom, "notify::invited", G_CALLBACK (on_invited), self,
                           G_CONNECT_SWAPPED);
}

void
_cohort_class_window_notices_init (CohortClassWindow *self)
{
  self->notices = cohort_notice_queue_new ();
  self->shown_toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->sounds = G_OBJECT (cohort_sound_player_new ());
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active), NULL);
}

/* Before the overlays go: their toasts are dismissed as they are
 * destroyed, and nothing may take their place. */
void
_cohort_class_window_notices_dispose (CohortClassWindow *self)
{
  g_clear_object (&self->notices);
  g_clear_pointer (&self->shown_toasts, g_ptr_array_unref);
  g_clear_object (&self->sounds);
}
