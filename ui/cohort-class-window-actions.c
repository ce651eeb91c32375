/* cohort-class-window-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-protocol.h"

#include "cohort-application.h"
#include "cohort-chat-page.h"
#include "cohort-class-window-private.h"
#include "cohort-invite-dialog.h"

/* The one place that decides which class actions are enabled. */
void
_cohort_class_window_update_actions (CohortClassWindow *self)
{
  CohortSessionState state = COHORT_SESSION_STATE_DISCONNECTED;
  gboolean live;
  guint n_hands = 0;

  if (self->session != NULL)
    {
      state = cohort_session_get_state (self->session);
      n_hands = g_list_model_get_n_items (cohort_roster_get_hands (cohort_session_get_roster (self->session)));
    }

  /* Requests made while reconnecting wait in the outbox. */
  live = state == COHORT_SESSION_STATE_JOINED || state == COHORT_SESSION_STATE_RECONNECTING;

  /* Between lessons there is nobody to raise a hand to. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.raise-hand",
                                 live && !self->is_teacher && self->session != NULL &&
                                 cohort_lesson_get_state (cohort_session_get_lesson (self->session)) ==
                                 COHORT_LESSON_STATE_LIVE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.lower-hand", live && self->is_teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.lower-all-hands",
                                 live && self->is_teacher && n_hands > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.copy-code", self->is_teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.copy-teacher-key",
                                 self->is_teacher && self->session != NULL &&
                                 cohort_session_get_teacher_key (self->session) != NULL);
  _cohort_class_window_admission_update_actions (self);
  _cohort_class_window_lesson_update_actions (self);
  _cohort_class_window_practice_update_actions (self);
}

void
_cohort_class_window_request_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(CohortClassWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_session_class_request_finish (COHORT_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("Request failed: %s", error->message);
      _cohort_class_window_show_error (self, error);
    }

  /* Whatever happened, show what the roster says. */
  {
    CohortParticipant *me = cohort_session_get_self (self->session);
    if (me != NULL)
      _cohort_class_window_set_hand_raised (self, cohort_participant_get_hand_raised (me), FALSE);
  }
}

void
_cohort_class_window_set_hand_raised (CohortClassWindow *self,
                                      gboolean           raised,
                                      gboolean           from_user)
{
  raised = !!raised;

  if (self->hand_raised == raised)
    return;

  self->hand_raised = raised;
  g_object_notify (G_OBJECT (self), "hand-raised");

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->raise_hand_button),
                               raised ? _("Lower your hand (Ctrl+H)") : _("Raise your hand (Ctrl+H)"));
  adw_button_content_set_label (self->raise_hand_content,
                                raised ? _("Lowe_r Hand") : _("_Raise Hand"));
  if (raised)
    gtk_widget_add_css_class (GTK_WIDGET (self->raise_hand_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->raise_hand_button), "accent");

  if (from_user && self->session != NULL && !self->is_teacher)
    cohort_session_set_hand_raised_async (self->session, raised, self->cancellable,
                                          _cohort_class_window_request_cb, g_object_ref (self));
}

static void
lower_hand_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  cohort_session_lower_hand_async (self->session, g_variant_get_int64 (param), self->cancellable,
                                   _cohort_class_window_request_cb, g_object_ref (self));
}

static void
lower_all_hands_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  cohort_session_lower_all_hands_async (self->session, self->cancellable,
                                        _cohort_class_window_request_cb, g_object_ref (self));
}

static void
copy_text (CohortClassWindow *self,
           const char        *text,
           const char        *toast)
{
  if (text == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  cohort_class_window_add_toast (self, toast);
}

static void
copy_code_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  copy_text (self, cohort_session_get_class_code (self->session), _("Class code copied"));
}

/* class.show-invite: the link, the QR code, the server and the code. */
static void
show_invite_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  CohortInviteDialog *dialog;

  if (self->session == NULL || cohort_session_get_class_code (self->session) == NULL)
    return;
  dialog = cohort_invite_dialog_new (GTK_WINDOW (self), cohort_session_get_server_url (self->session),
                                     cohort_session_get_class_code (self->session));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_teacher_key_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  copy_text (self, cohort_session_get_teacher_key (self->session), _("Teacher key copied"));
}

static void
leave_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CohortClassWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!cohort_session_leave_finish (COHORT_SESSION (object), result, &error))
    g_debug ("Leaving failed: %s", error->message);

  /* Back home (the join form while no class is kept), so there is
   * always a way in again. */
  if (COHORT_IS_APPLICATION (app))
    cohort_application_show_home (COHORT_APPLICATION (app));

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
leave_response_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   CohortClassWindow *self)
{
  if (g_strcmp0 (response, "leave") != 0)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  cohort_session_leave_async (self->session, NULL, leave_cb, g_object_ref (self));
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Leave the Class?"),
                                                       _cohort_class_window_lesson_leave_body (self)));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Stay"),
                                    "leave", _("_Leave"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toggle_side_panel_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* The side panel's tabs that show now, in order: a student has fewer. */
static GPtrArray *
shown_tabs (CohortClassWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->side_stack);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (adw_view_stack_page_get_visible (page) && adw_view_stack_page_get_name (page) != NULL)
        g_ptr_array_add (names, g_strdup (adw_view_stack_page_get_name (page)));
    }
  return names;
}

/* Opens the side panel on @index (from 0, wrapping) of the shown tabs;
 * nothing while the class is not on screen (a waiting room). */
static void
show_tab (CohortClassWindow *self,
          int                index)
{
  g_autoptr(GPtrArray) names = shown_tabs (self);

  if (names->len == 0 || g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "class") != 0)
    return;
  index = ((index % (int) names->len) + (int) names->len) % (int) names->len;
  adw_view_stack_set_visible_child_name (self->side_stack, g_ptr_array_index (names, index));
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

static int
current_tab (CohortClassWindow *self)
{
  g_autoptr(GPtrArray) names = shown_tabs (self);
  const char *current = adw_view_stack_get_visible_child_name (self->side_stack);

  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), current) == 0)
      return i;
  return 0;
}

/* class.show-tab (i): Alt+1…9, the Nth tab from 1. */
static void
show_tab_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  g_autoptr(GPtrArray) names = shown_tabs (self);
  int n = g_variant_get_int32 (parameter);

  if (n >= 1 && n <= (int) names->len)
    show_tab (self, n - 1);
}

/* class.next-tab, class.previous-tab: Ctrl+Page Down, Ctrl+Page Up. */
static void
step_tab_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  show_tab (self, current_tab (self) + (g_str_equal (action_name, "class.next-tab") ? 1 : -1));
}

/* class.focus-chat: Ctrl+L, the chat composer from anywhere in the class
 * (it took 26 Tabs with six messages). */
static void
focus_chat_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  GtkWidget *chat = adw_view_stack_get_child_by_name (self->side_stack, "chat");

  if (chat == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "class") != 0)
    return;
  adw_view_stack_set_visible_child (self->side_stack, chat);
  adw_flap_set_reveal_flap (self->flap, TRUE);
  cohort_chat_page_focus_composer (COHORT_CHAT_PAGE (chat));
}

/* class.show-page (s): the side panel, open on the named page (the
 * Chat and Quiz buttons over a shared screen). */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->side_stack, name) == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "class") != 0)
    return;
  adw_view_stack_set_visible_child_name (self->side_stack, name);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

void
_cohort_class_window_actions_class_init (CohortClassWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_property_action (widget_class, "class.raise-hand", "hand-raised");
  gtk_widget_class_install_action (widget_class, "class.lower-hand", "x", lower_hand_action);
  gtk_widget_class_install_action (widget_class, "class.lower-all-hands", NULL, lower_all_hands_action);
  gtk_widget_class_install_action (widget_class, "class.copy-code", NULL, copy_code_action);
  gtk_widget_class_install_action (widget_class, "class.copy-teacher-key", NULL, copy_teacher_key_action);
  gtk_widget_class_install_action (widget_class, "class.show-invite", NULL, show_invite_action);
  gtk_widget_class_install_action (widget_class, "class.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "class.toggle-side-panel", NULL, toggle_side_panel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "class.raise-hand", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "class.toggle-side-panel", NULL);
  /* The stage's action (its group is on the window too). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "stage.link-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  gtk_widget_class_install_action (widget_class, "class.show-tab", "i", show_tab_action);
  gtk_widget_class_install_action (widget_class, "class.next-tab", NULL, step_tab_action);
  gtk_widget_class_install_action (widget_class, "class.previous-tab", NULL, step_tab_action);
  gtk_widget_class_install_action (widget_class, "class.focus-chat", NULL, focus_chat_action);
  gtk_widget_class_install_action (widget_class, "class.show-page", "s", show_page_action);
  for (int i = 1; i <= 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, GDK_ALT_MASK, "class.show-tab", "i", i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "class.next-tab", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "class.previous-tab", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "class.focus-chat", NULL);
}
