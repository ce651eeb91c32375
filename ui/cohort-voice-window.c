/* cohort-voice-window.c: a study group's voice room from the home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-voice-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-groups.h"
#include "cohort-voice-window.h"

struct _CohortVoiceWindow
{
  AdwApplicationWindow  parent_instance;

  CohortSession        *session;
  CohortGroups         *groups;
  gboolean              joined_once;

  AdwWindowTitle       *window_title;
  CohortVoicePanel     *panel;
  GtkWidget            *no_group_page;
  GtkWidget            *panel_page;
};

G_DEFINE_FINAL_TYPE (CohortVoiceWindow, cohort_voice_window, ADW_TYPE_APPLICATION_WINDOW)

static void
on_my_group (CohortVoiceWindow *self)
{
  CohortGroup *group = cohort_groups_get_my_group (self->groups);
  gint64 group_id = group != NULL ? cohort_group_get_id (group) : 0;
  gboolean synced = cohort_groups_get_synced (self->groups);

  g_object_set (self->panel, "group-id", group_id, NULL);
  gtk_widget_set_visible (self->no_group_page, synced && group_id == 0);
  gtk_widget_set_visible (self->panel_page, group_id != 0);
  if (group != NULL)
    adw_window_title_set_subtitle (self->window_title, cohort_group_get_name (group));

  /* Opening this window was the click on Join: once, so that Leave
   * stays left. */
  if (group_id != 0 && !self->joined_once)
    {
      self->joined_once = TRUE;
      cohort_voice_room_join (cohort_voice_panel_get_room (self->panel), group_id);
    }
}

static void
cohort_voice_window_dispose (GObject *object)
{
  CohortVoiceWindow *self = COHORT_VOICE_WINDOW (object);

  if (self->groups != NULL)
    g_signal_handlers_disconnect_by_data (self->groups, self);
  /* The panel owns the room: disposing it leaves the room. */
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_VOICE_WINDOW);
  g_clear_object (&self->groups);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_voice_window_parent_class)->dispose (object);
}

static void
cohort_voice_window_class_init (CohortVoiceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_voice_window_dispose;

  g_type_ensure (COHORT_TYPE_VOICE_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-voice-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortVoiceWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CohortVoiceWindow, panel);
  gtk_widget_class_bind_template_child (widget_class, CohortVoiceWindow, no_group_page);
  gtk_widget_class_bind_template_child (widget_class, CohortVoiceWindow, panel_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
cohort_voice_window_init (CohortVoiceWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CohortVoiceWindow *
cohort_voice_window_new (GtkApplication *application,
                         CohortSession  *session)
{
  CohortVoiceWindow *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_VOICE_WINDOW, "application", application, NULL);
  self->session = g_object_ref (session);
  if (cohort_session_get_class_title (session) != NULL)
    adw_window_title_set_title (self->window_title, cohort_session_get_class_title (session));
  self->groups = cohort_groups_new (session);
  g_signal_connect_object (self->groups, "notify::my-group", G_CALLBACK (on_my_group), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify::synced", G_CALLBACK (on_my_group), self, G_CONNECT_SWAPPED);
  cohort_voice_panel_set_groups (self->panel, self->groups);
  on_my_group (self);
  return self;
}

CohortVoicePanel *
cohort_voice_window_get_panel (CohortVoiceWindow *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_WINDOW (self), NULL);
  return self->panel;
}
