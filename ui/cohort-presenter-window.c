/* cohort-presenter-window.c: the teacher's compact view while sharing the screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-presenter-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-chat-message.h"
#include "cohort-presenter-window.h"
#include "cohort-video-tile.h"

#define CHAT_LINES 30

struct _CohortPresenterWindow
{
  AdwWindow          parent_instance;

  CohortVideoTile   *self_tile;
  GtkStack          *hands_stack;
  GtkListBox        *hands_list;
  GtkListBox        *chat_list;
  GtkScrolledWindow *chat_scroller;
  GtkWidget         *chat_button;
  GtkWidget         *quiz_button;

  CohortClassroom   *classroom;
  GListModel        *hands;
  GtkSliceListModel *chat;
  /* The chat list stays at its newest message unless the teacher
   * scrolled up to read. */
  gboolean           chat_follows;
  guint              chat_tick;
};

G_DEFINE_FINAL_TYPE (CohortPresenterWindow, cohort_presenter_window, ADW_TYPE_WINDOW)

static GtkWidget *
create_hand_row (gpointer item,
                 gpointer user_data)
{
  CohortParticipant *p = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Invite"));
  /* Translators: %s is a student's name. */
  g_autofree char *tooltip = g_strdup_printf (_("Invite %s to the Stage"), cohort_participant_get_name (p));

  /* Markup off first: a name that is not valid markup warns when set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_participant_get_name (p));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "stage.invite");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", cohort_participant_get_id (p));
  gtk_widget_add_css_class (button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
create_chat_row (gpointer item,
                 gpointer user_data)
{
  CohortChatMessage *message = item;
  g_autofree char *markup = NULL;
  GtkWidget *label;

  markup = g_markup_printf_escaped ("<b>%s</b>  %s", cohort_chat_message_get_author_name (message),
                                    cohort_chat_message_get_deleted (message) ? _("(deleted)")
                                                                              : cohort_chat_message_get_text (message));
  label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 3);
  gtk_widget_set_margin_bottom (label, 3);
  return label;
}

static void
on_hands_changed (CohortPresenterWindow *self)
{
  gtk_stack_set_visible_child_name (self->hands_stack,
                                    g_list_model_get_n_items (self->hands) > 0 ? "list" : "empty");
}

static void
on_chat_changed (GListModel            *model,
                 guint                  position,
                 guint                  removed,
                 guint                  added,
                 CohortPresenterWindow *self)
{
  guint n = g_list_model_get_n_items (model);

  gtk_slice_list_model_set_offset (self->chat, n > CHAT_LINES ? n - CHAT_LINES : 0);
}

static void
on_chat_scrolled (GtkAdjustment         *adjustment,
                  CohortPresenterWindow *self)
{
  self->chat_follows = gtk_adjustment_get_value (adjustment) >=
                       gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1;
}

static gboolean
scroll_to_newest (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  CohortPresenterWindow *self = COHORT_PRESENTER_WINDOW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->chat_scroller);

  self->chat_tick = 0;
  if (self->chat_follows)
    gtk_adjustment_set_value (adjustment,
                              gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

/* More rows, or a new height: back to the newest message at the bottom,
 * on the next frame (a value set while the list is being laid out moves
 * the scrollbar but not the rows). */
static void
on_chat_resized (GtkAdjustment         *adjustment,
                 CohortPresenterWindow *self)
{
  if (self->chat_follows && self->chat_tick == 0)
    self->chat_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_newest, NULL, NULL);
}

static void
on_screen_on_changed (CohortPresenterWindow *self)
{
  if (!cohort_classroom_get_screen_on (self->classroom))
    gtk_window_close (GTK_WINDOW (self));
}

static void
invite_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CohortPresenterWindow *self = COHORT_PRESENTER_WINDOW (widget);

  cohort_classroom_invite (self->classroom, g_variant_get_int64 (parameter));
}

static void
on_stop_clicked (CohortPresenterWindow *self)
{
  cohort_classroom_set_screen_on (self->classroom, FALSE);
}

static void
cohort_presenter_window_dispose (GObject *object)
{
  CohortPresenterWindow *self = COHORT_PRESENTER_WINDOW (object);

  if (self->chat_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->chat_tick);
  self->chat_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_PRESENTER_WINDOW);
  g_clear_object (&self->chat);
  g_clear_object (&self->hands);
  if (self->classroom != NULL)
    g_signal_handlers_disconnect_by_data (self->classroom, self);
  g_clear_object (&self->classroom);

  G_OBJECT_CLASS (cohort_presenter_window_parent_class)->dispose (object);
}

static void
cohort_presenter_window_class_init (CohortPresenterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_presenter_window_dispose;

  g_type_ensure (COHORT_TYPE_VIDEO_TILE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-presenter-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortPresenterWindow, self_tile);
  gtk_widget_class_bind_template_child (widget_class, CohortPresenterWindow, hands_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortPresenterWindow, hands_list);
  gtk_widget_class_bind_template_child (widget_class, CohortPresenterWindow, chat_list);
  gtk_widget_class_bind_template_child (widget_class, CohortPresenterWindow, chat_scroller);
  gtk_widget_class_bind_template_child (widget_class, CohortPresenterWindow, chat_button);
  gtk_widget_class_bind_template_child (widget_class, CohortPresenterWindow, quiz_button);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);

  /* The raised hands' Invite buttons, as on the class window. */
  gtk_widget_class_install_action (widget_class, "stage.invite", "x", invite_action);
}

static void
cohort_presenter_window_init (CohortPresenterWindow *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->chat_follows = TRUE;
  adjustment = gtk_scrolled_window_get_vadjustment (self->chat_scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_chat_scrolled), self, 0);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (on_chat_resized), self, 0);
}

GtkWidget *
cohort_presenter_window_new (CohortClassroom *classroom,
                             GdkPaintable    *camera_preview,
                             GListModel      *chat)
{
  CohortPresenterWindow *self;
  CohortSession *session;

  g_return_val_if_fail (COHORT_IS_CLASSROOM (classroom), NULL);
  g_return_val_if_fail (camera_preview == NULL || GDK_IS_PAINTABLE (camera_preview), NULL);
  g_return_val_if_fail (chat == NULL || G_IS_LIST_MODEL (chat), NULL);

  self = g_object_new (COHORT_TYPE_PRESENTER_WINDOW, NULL);
  self->classroom = g_object_ref (classroom);
  session = cohort_classroom_get_session (classroom);
  g_signal_connect_object (classroom, "notify::screen-on", G_CALLBACK (on_screen_on_changed), self,
                           G_CONNECT_SWAPPED);

  cohort_video_tile_set_paintable (self->self_tile, camera_preview);
  cohort_video_tile_set_name (self->self_tile, _("You"));
  cohort_video_tile_set_status (self->self_tile, _("Camera off"));

  self->hands = g_object_ref (cohort_roster_get_hands (cohort_session_get_roster (session)));
  gtk_list_box_bind_model (self->hands_list, self->hands, create_hand_row, NULL, NULL);
  g_signal_connect_object (self->hands, "items-changed", G_CALLBACK (on_hands_changed), self, G_CONNECT_SWAPPED);
  on_hands_changed (self);

  {
    GtkWidget *placeholder = gtk_label_new (_("No messages yet"));

    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_label_set_xalign (GTK_LABEL (placeholder), 0);
    gtk_list_box_set_placeholder (self->chat_list, placeholder);
  }

  /* The newest messages of the class's chat, read-only. */
  if (chat != NULL)
    {
      self->chat = gtk_slice_list_model_new (g_object_ref (chat), 0, CHAT_LINES);
      g_signal_connect_object (chat, "items-changed", G_CALLBACK (on_chat_changed), self, 0);
      on_chat_changed (chat, 0, 0, 0, self);
      gtk_list_box_bind_model (self->chat_list, G_LIST_MODEL (self->chat), create_chat_row, NULL, NULL);
    }

  return GTK_WIDGET (self);
}

/* The class window (its gtk_application_window_get_id ()) whose Chat and
 * Quiz the header's buttons open (app.show-class-place). */
void
cohort_presenter_window_set_class_window_id (CohortPresenterWindow *self,
                                             guint                  window_id)
{
  g_return_if_fail (COHORT_IS_PRESENTER_WINDOW (self));

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->chat_button), "(us)", window_id, "chat");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->quiz_button), "(us)", window_id, "quiz");
  gtk_widget_set_visible (self->chat_button, window_id != 0);
  gtk_widget_set_visible (self->quiz_button, window_id != 0);
}
