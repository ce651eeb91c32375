/* cohort-class-window-admission.c: who is in the class
 *
 * The teacher's waiting list (Admit, Deny, Admit All), removing a
 * participant (and blocking them), the class's joining settings, and the
 * student's side of it: waiting to be let in, or removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-identity-protocol.h"
#include "cohort-protocol.h"
#include "cohort-roster-csv.h"

#include "cohort-class-window-private.h"
#include "cohort-error-message.h"
#include "cohort-roster-codes-dialog.h"
#include "cohort-waiting-page.h"

static CohortParticipant *
find_participant (CohortClassWindow *self,
                  gint64             id)
{
  GListModel *roster = G_LIST_MODEL (cohort_session_get_roster (self->session));

  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);

      if (cohort_participant_get_id (p) == id)
        return p;
    }
  return NULL;
}

static gboolean
is_live (CohortClassWindow *self)
{
  CohortSessionState state = self->session != NULL ? cohort_session_get_state (self->session)
                                                   : COHORT_SESSION_STATE_DISCONNECTED;

  return state == COHORT_SESSION_STATE_JOINED || state == COHORT_SESSION_STATE_RECONNECTING;
}

void
_cohort_class_window_admission_update_actions (CohortClassWindow *self)
{
  gboolean teacher = is_live (self) && self->is_teacher;
  guint n_waiting = g_list_model_get_n_items (G_LIST_MODEL (self->waiting_selection));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.admit", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.deny", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.admit-all", teacher && n_waiting > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.remove-participant", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.block-participant", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.import-roster", teacher);
}

/* ---- the teacher's waiting list ---- */

static void
update_waiting (CohortClassWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->waiting_selection));
  g_autofree char *count = n > 0 ? g_strdup_printf ("%u", n) : g_strdup ("");
  AdwViewStackPage *people = adw_view_stack_get_page (self->side_stack,
                                                      adw_view_stack_get_child_by_name (self->side_stack, "people"));

  gtk_label_set_text (self->waiting_count_label, count);
  gtk_widget_set_visible (self->waiting_box, self->is_teacher && n > 0);
  /* A badge on People while someone waits, even with another tab open. */
  adw_view_stack_page_set_badge_number (people, self->is_teacher ? n : 0);
  adw_view_stack_page_set_needs_attention (people, self->is_teacher && n > 0);
  _cohort_class_window_admission_update_actions (self);
}

static void
admit_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  cohort_session_admit_async (self->session, g_variant_get_int64 (param), self->cancellable,
                              _cohort_class_window_request_cb, g_object_ref (self));
}

static void
deny_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  cohort_session_deny_async (self->session, g_variant_get_int64 (param), self->cancellable,
                             _cohort_class_window_request_cb, g_object_ref (self));
}

static void
admit_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  /* 0: everyone waiting */
  cohort_session_admit_async (self->session, 0, self->cancellable,
                              _cohort_class_window_request_cb, g_object_ref (self));
}

/* ---- removing a participant ---- */

typedef struct
{
  CohortClassWindow *self;
  gint64             participant_id;
  gboolean           block;
} Removal;

static void
removal_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Removal          *removal)
{
  CohortClassWindow *self = removal->self;

  if (g_strcmp0 (response, "remove") != 0)
    return;

  cohort_session_remove_participant_async (self->session, removal->participant_id, removal->block,
                                           self->cancellable, _cohort_class_window_request_cb,
                                           g_object_ref (self));
}

static void
confirm_removal (CohortClassWindow *self,
                 gint64             participant_id,
                 gboolean           block)
{
  CohortParticipant *p = find_participant (self, participant_id);
  const char *name = p != NULL ? cohort_participant_get_name (p) : _("This participant");
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  Removal *removal;

  /* Headings and bodies of AdwMessageDialog are plain text: names are safe. */
  if (block)
    {
      /* Translators: %s is a participant's name. */
      heading = g_strdup_printf (_("Remove and Block %s?"), name);
      /* Translators: %s is a participant's name. */
      body = g_strdup_printf (_("%s leaves the class now and cannot join it again, with the class code or a personal code."),
                              name);
    }
  else
    {
      /* Translators: %s is a participant's name. */
      heading = g_strdup_printf (_("Remove %s?"), name);
      /* Translators: %s is a participant's name. */
      body = g_strdup_printf (_("%s leaves the class now. They can join again later."), name);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", block ? _("Remove and _Block") : _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  removal = g_new0 (Removal, 1);
  removal->self = self;
  removal->participant_id = participant_id;
  removal->block = block;
  g_signal_connect_data (dialog, "response", G_CALLBACK (removal_response_cb), removal,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  confirm_removal (COHORT_CLASS_WINDOW (widget), g_variant_get_int64 (param), FALSE);
}

static void
block_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  confirm_removal (COHORT_CLASS_WINDOW (widget), g_variant_get_int64 (param), TRUE);
}

/* ---- the class's joining settings ---- */

static const struct { const char *property; CohortClassSetting setting; } settings[] = {
  { "waiting-room", COHORT_CLASS_SETTING_WAITING_ROOM },
  { "locked", COHORT_CLASS_SETTING_LOCKED },
  { "anonymous-join", COHORT_CLASS_SETTING_ANONYMOUS_JOIN },
};

static GtkSwitch *
settings_switch (CohortClassWindow *self,
                 guint              i)
{
  GtkSwitch *switches[] = { self->waiting_room_switch, self->lock_switch, self->anonymous_switch };

  return switches[i];
}

static void
sync_settings (CohortClassWindow *self)
{
  self->syncing_settings = TRUE;
  gtk_switch_set_active (self->waiting_room_switch, cohort_session_get_waiting_room (self->session));
  gtk_switch_set_active (self->lock_switch, cohort_session_get_locked (self->session));
  gtk_switch_set_active (self->anonymous_switch, cohort_session_get_anonymous_join (self->session));
  self->syncing_settings = FALSE;
}

static void
on_switch_active (GtkSwitch         *sw,
                  GParamSpec        *pspec,
                  CohortClassWindow *self)
{
  if (self->syncing_settings)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (settings_switch (self, i) == sw)
      cohort_session_set_class_setting_async (self->session, settings[i].setting, gtk_switch_get_active (sw),
                                              self->cancellable, _cohort_class_window_request_cb,
                                              g_object_ref (self));
}

/* ---- importing a roster ---- */

static void
show_import_error (CohortClassWindow *self,
                   const char        *message)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                         _("Could Not Import the Roster"),
                                                                         message));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortClassWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = cohort_session_import_roster_finish (COHORT_SESSION (object), result, &error);
  CohortRosterCodesDialog *dialog;

  if (codes == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = cohort_error_message_for_user (error, cohort_session_get_server_url (self->session), NULL, NULL);
      show_import_error (self, message);
      return;
    }

  dialog = cohort_roster_codes_dialog_new (GTK_WINDOW (self), cohort_session_get_server_url (self->session),
                                           codes);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
_cohort_class_window_import_roster_csv (CohortClassWindow *self,
                                        const char        *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = cohort_roster_csv_parse (text, &error);

  if (entries == NULL)
    {
      show_import_error (self, error->message);
      return FALSE;
    }
  if (entries->len == 0 || entries->len > COHORT_MAX_ROSTER_IMPORT)
    {
      g_autofree char *message =
        /* Translators: %d is the most students one import takes, 1,000. */
        g_strdup_printf (_("A roster has 1 to %d students, one per line: a name, and a student number if you like."),
                         COHORT_MAX_ROSTER_IMPORT);
      show_import_error (self, message);
      return FALSE;
    }

  cohort_session_import_roster_async (self->session, entries, self->cancellable, import_done, g_object_ref (self));
  return TRUE;
}

static void
roster_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CohortClassWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_import_error (self, error->message);
      return;
    }
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      show_import_error (self, _("The file is not UTF-8 text. Save the roster as CSV (UTF-8) and try again."));
      return;
    }
  _cohort_class_window_import_roster_csv (self, contents);
}

static void
on_roster_chosen (GtkNativeDialog   *chooser,
                  int                response,
                  CohortClassWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        g_file_load_contents_async (file, self->cancellable, roster_loaded, g_object_ref (self));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_roster_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();

  gtk_file_filter_set_name (csv, _("Rosters (CSV)"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.txt");
  chooser = gtk_file_chooser_native_new (_("Import Roster"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  g_signal_connect (chooser, "response", G_CALLBACK (on_roster_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the student's side ---- */

static void
update_admission (CohortClassWindow *self)
{
  gboolean waiting = cohort_session_get_admission (self->session) == COHORT_ADMISSION_WAITING;

  if (self->removed)
    return;
  if (waiting)
    self->was_waiting = TRUE;

  cohort_waiting_page_set_class_title (COHORT_WAITING_PAGE (self->waiting_page),
                                       cohort_session_get_class_title (self->session));
  cohort_waiting_page_set_mode (COHORT_WAITING_PAGE (self->waiting_page), COHORT_WAITING_PAGE_WAITING);
  gtk_stack_set_visible_child_name (self->main_stack, waiting ? "waiting" : "class");
  gtk_widget_set_visible (self->sidebar_button, !waiting);
  if (!waiting)
    _cohort_class_window_attach_pages (self);
}

static void
on_removed (CohortSession     *session,
            gboolean           blocked,
            CohortClassWindow *self)
{
  self->removed = TRUE;
  cohort_waiting_page_set_class_title (COHORT_WAITING_PAGE (self->waiting_page),
                                       cohort_session_get_class_title (self->session));
  /* Turned away before being let in: that is a denial, not a removal. */
  cohort_waiting_page_set_mode (COHORT_WAITING_PAGE (self->waiting_page),
                                blocked ? COHORT_WAITING_PAGE_BLOCKED
                                : self->was_waiting ? COHORT_WAITING_PAGE_DENIED
                                : COHORT_WAITING_PAGE_REMOVED);
  gtk_stack_set_visible_child_name (self->main_stack, "waiting");
  gtk_revealer_set_reveal_child (self->reconnect_revealer, FALSE);
  gtk_widget_set_visible (self->leave_button, FALSE);
  gtk_widget_set_visible (self->sidebar_button, FALSE);
  adw_window_title_set_subtitle (self->window_title, _("Removed"));
}

static void
on_participant_waiting (CohortClassEvents *events,
                        gint64             participant_id,
                        const char        *name,
                        CohortClassWindow *self)
{
  g_autofree char *text = NULL;

  if (!self->is_teacher)
    return;
  /* Translators: a toast for the teacher; %s is a student's name. */
  text = g_strdup_printf (_("%s is waiting to join"), name);
  cohort_class_window_add_notice (self, COHORT_NOTICE_WAITING, text);
}

/* GtkFilterListModel does not watch its items: a participant let in (or
 * back to waiting) refilters both lists. */
static void
on_waiting_changed (CohortClassWindow *self)
{
  GListModel *waiting = gtk_no_selection_get_model (self->waiting_selection);
  GListModel *admitted = gtk_no_selection_get_model (self->roster_selection);

  gtk_filter_changed (gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (waiting)), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (admitted)), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_roster_items_changed (CohortClassWindow *self,
                         guint              position,
                         guint              removed,
                         guint              added,
                         GListModel        *roster)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);

      g_signal_connect_object (p, "notify::waiting", G_CALLBACK (on_waiting_changed), self, G_CONNECT_SWAPPED);
    }
}

void
_cohort_class_window_admission_setup (CohortClassWindow *self)
{
  CohortRoster *roster = cohort_session_get_roster (self->session);

  gtk_widget_set_visible (self->settings_box, self->is_teacher);
  /* A student's main menu has no class settings, nor the empty section
   * they would leave. The box is kept (out of the menu) for the window's
   * life, as the template's pointer to it stays. */
  if (!self->is_teacher && self->detached_settings == NULL)
    {
      self->detached_settings = g_object_ref (self->settings_box);
      gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->main_menu_button))),
                                       self->student_menu);
    }

  /* Waiting participants are in the roster with "waiting" set; the
   * teacher sees them apart, and nobody sees them among everyone. */
  {
      GtkBoolFilter *waiting = gtk_bool_filter_new (gtk_property_expression_new (COHORT_TYPE_PARTICIPANT, NULL,
                                                                                  "waiting"));
      GtkBoolFilter *admitted = gtk_bool_filter_new (gtk_property_expression_new (COHORT_TYPE_PARTICIPANT, NULL,
                                                                                   "waiting"));
      g_autoptr(GtkFilterListModel) waiting_model = NULL;
      g_autoptr(GtkFilterListModel) admitted_model = NULL;

      gtk_bool_filter_set_invert (admitted, TRUE);
      waiting_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (roster)), GTK_FILTER (waiting));
      admitted_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (roster)), GTK_FILTER (admitted));
      gtk_no_selection_set_model (self->waiting_selection, G_LIST_MODEL (waiting_model));
      gtk_no_selection_set_model (self->roster_selection, G_LIST_MODEL (admitted_model));
      g_signal_connect_object (self->waiting_selection, "items-changed", G_CALLBACK (update_waiting), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (roster, "items-changed", G_CALLBACK (on_roster_items_changed), self,
                               G_CONNECT_SWAPPED);
      on_roster_items_changed (self, 0, 0, g_list_model_get_n_items (G_LIST_MODEL (roster)), G_LIST_MODEL (roster));
  }
  update_waiting (self);

  if (self->is_teacher)
    {
      sync_settings (self);
      for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
        {
          g_autofree char *detailed = g_strdup_printf ("notify::%s", settings[i].property);

          g_signal_connect_object (self->session, detailed, G_CALLBACK (sync_settings), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (settings_switch (self, i), "notify::active", G_CALLBACK (on_switch_active), self, 0);
        }
    }

  g_signal_connect_object (self->events, "participant-waiting", G_CALLBACK (on_participant_waiting), self, 0);
  g_signal_connect_object (self->session, "notify::admission", G_CALLBACK (update_admission), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "removed", G_CALLBACK (on_removed), self, 0);
  update_admission (self);
}

void
_cohort_class_window_admission_class_init (CohortClassWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "class.admit", "x", admit_action);
  gtk_widget_class_install_action (widget_class, "class.deny", "x", deny_action);
  gtk_widget_class_install_action (widget_class, "class.admit-all", NULL, admit_all_action);
  gtk_widget_class_install_action (widget_class, "class.remove-participant", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "class.block-participant", "x", block_action);
  gtk_widget_class_install_action (widget_class, "class.import-roster", NULL, import_roster_action);
}
