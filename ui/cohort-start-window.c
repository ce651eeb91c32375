/* cohort-start-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-start-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-identity-protocol.h"
#include "cohort-protocol.h"
#include "cohort-session.h"

#include "cohort-application.h"
#include "cohort-error-message.h"
#include "cohort-start-window.h"
#include "cohort-token-store.h"
#include "cohort-template.h"

typedef enum
{
  MODE_JOIN,
  MODE_CREATE,
  MODE_STAFF,     /* listing, opening or archiving the staff's classes */
} StartMode;

struct _CohortStartWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  GtkWidget            *join_page;
  AdwEntryRow          *join_server_row;
  AdwEntryRow          *code_row;
  AdwEntryRow          *join_name_row;
  AdwEntryRow          *teacher_key_row;
  GtkLabel             *join_error_label;
  GtkSpinner           *join_spinner;
  GtkWidget            *start_page;
  AdwEntryRow          *start_server_row;
  AdwEntryRow          *staff_row;
  GtkSpinner           *classes_spinner;
  GtkLabel             *staff_error_label;
  AdwPreferencesGroup  *classes_group;
  GtkListBox           *classes_list;
  AdwEntryRow          *title_row;
  AdwEntryRow          *start_name_row;
  GtkSwitch            *waiting_room_switch;
  GtkLabel             *start_error_label;
  GtkSpinner           *start_spinner;

  GSettings            *settings;
  GCancellable         *cancellable;

  /* The attempt in progress. */
  CohortSession        *session;
  StartMode             mode;
  char                 *server_url;
  char                 *code;
  char                 *name;
  char                 *teacher_key;
  char                 *staff_credential;
  char                 *error_message;
  GListModel           *classes;          /* CohortClassSummary, once listed */
  char                 *stored_credential; /* what the staff row was filled with */
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (CohortStartWindow, cohort_start_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  CLASS_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (CohortStartWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start.join", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start.create", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start.list-classes", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start.open-class", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start.archive-class", !self->busy);
}

static void
set_busy (CohortStartWindow *self,
          gboolean           busy)
{
  GtkSpinner *spinner = self->mode == MODE_JOIN ? self->join_spinner
                        : self->mode == MODE_STAFF ? self->classes_spinner : self->start_spinner;

  self->busy = busy;
  /* A focused entry that turns insensitive never gets its focus-out: move
   * the focus off the fields first. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_visible (GTK_WIDGET (spinner), busy);
  gtk_spinner_set_spinning (spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->join_server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->join_name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->teacher_key_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->staff_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->classes_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->title_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_name_row), !busy);
  update_actions (self);
}

static void
clear_errors (CohortStartWindow *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->join_server_row), GTK_WIDGET (self->code_row),
    GTK_WIDGET (self->join_name_row), GTK_WIDGET (self->teacher_key_row),
    GTK_WIDGET (self->start_server_row), GTK_WIDGET (self->title_row),
    GTK_WIDGET (self->start_name_row), GTK_WIDGET (self->staff_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");

  gtk_widget_set_visible (GTK_WIDGET (self->join_error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->start_error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_error_label), FALSE);
  g_clear_pointer (&self->error_message, g_free);
}

static void
show_error (CohortStartWindow *self,
            CohortErrorField   field,
            const char        *message)
{
  GtkLabel *label = self->mode == MODE_JOIN ? self->join_error_label
                    : self->mode == MODE_STAFF ? self->staff_error_label : self->start_error_label;
  GtkWidget *row = NULL;

  clear_errors (self);

  switch (field)
    {
    case COHORT_ERROR_FIELD_SERVER:
      row = GTK_WIDGET (self->mode == MODE_JOIN ? self->join_server_row : self->start_server_row);
      break;
    case COHORT_ERROR_FIELD_CODE:
      row = GTK_WIDGET (self->code_row);
      break;
    case COHORT_ERROR_FIELD_NAME:
      row = GTK_WIDGET (self->mode == MODE_JOIN ? self->join_name_row : self->start_name_row);
      break;
    case COHORT_ERROR_FIELD_TITLE:
      row = GTK_WIDGET (self->title_row);
      break;
    case COHORT_ERROR_FIELD_TEACHER_KEY:
      row = GTK_WIDGET (self->mode == MODE_JOIN ? self->teacher_key_row : self->staff_row);
      break;
    case COHORT_ERROR_FIELD_STAFF_CREDENTIAL:
      row = GTK_WIDGET (self->staff_row);
      break;
    case COHORT_ERROR_FIELD_NONE:
    default:
      break;
    }

  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }

  self->error_message = g_strdup (message);
  gtk_label_set_label (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static void
on_entry_changed (CohortStartWindow *self,
                  GtkEditable       *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
reset_attempt (CohortStartWindow *self)
{
  g_clear_object (&self->session);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->teacher_key, g_free);
  g_clear_pointer (&self->staff_credential, g_free);
}

static void
fail_attempt (CohortStartWindow *self,
              const GError      *error)
{
  g_autofree char *message = NULL;
  CohortErrorField field = COHORT_ERROR_FIELD_NONE;

  message = cohort_error_message_for_user (error, self->server_url,
                                           self->mode == MODE_JOIN ? self->code : NULL, &field);
  g_debug ("Could not open the class: %s", error->message);
  /* A refused credential is forgotten, and asked for again. */
  if (g_error_matches (error, COHORT_SESSION_ERROR, COHORT_SESSION_ERROR_UNAUTHORIZED) &&
      self->server_url != NULL)
    {
      cohort_token_store_forget_staff (self->server_url, NULL);
      g_clear_pointer (&self->stored_credential, g_free);
      gtk_editable_set_text (GTK_EDITABLE (self->staff_row), "");
    }
  set_busy (self, FALSE);
  show_error (self, field, message);
  reset_attempt (self);
}

static void
open_class (CohortStartWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  CohortParticipant *me = cohort_session_get_self (self->session);
  gboolean teacher = me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;
  const char *teacher_key = cohort_session_get_teacher_key (self->session);
  const char *code = cohort_session_get_class_code (self->session);
  CohortClassWindow *window;

  if (teacher_key == NULL)
    teacher_key = self->teacher_key;
  if (code == NULL)
    code = self->code;

  if (cohort_session_get_token (self->session) != NULL && code != NULL &&
      !cohort_token_store_save (self->server_url, code, teacher,
                                cohort_session_get_token (self->session),
                                teacher ? teacher_key : NULL,
                                me != NULL ? cohort_participant_get_name (me) : self->name,
                                &error))
    g_warning ("Could not store the participant token: %s", error->message);

  if (self->staff_credential != NULL)
    {
      g_autoptr(GError) staff_error = NULL;

      if (!cohort_token_store_save_staff (self->server_url, self->staff_credential, &staff_error))
        g_warning ("Could not store the staff credential: %s", staff_error->message);
    }

  if (code != NULL)
    g_settings_set_string (self->settings, "last-code", code);

  /* The application navigates; this window only says where to. */
  window = cohort_application_open_class (COHORT_IS_APPLICATION (app) ? COHORT_APPLICATION (app) : NULL,
                                          self->session);
  set_busy (self, FALSE);
  reset_attempt (self);

  g_signal_emit (self, signals[CLASS_OPENED], 0, window);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
join_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CohortStartWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_session_join_finish (COHORT_SESSION (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_attempt (self, error);
      return;
    }

  open_class (self);
}

static void
start_join (CohortStartWindow *self)
{
  g_clear_object (&self->session);
  self->session = cohort_session_new ();
  cohort_session_join_async (self->session, self->server_url, self->code, self->name,
                             self->teacher_key, self->cancellable,
                             join_cb, g_object_ref (self));
}

static void
resume_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortStartWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_session_resume_finish (COHORT_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_UNAUTHORIZED))
        {
          /* The server forgot us (or the token was revoked): join anew. */
          g_debug ("Stored token rejected, joining anew");
          cohort_token_store_forget (self->server_url, self->code,
                                     self->teacher_key != NULL, NULL);
          start_join (self);
          return;
        }

      fail_attempt (self, error);
      return;
    }

  open_class (self);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortStartWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_session_create_class_finish (COHORT_SESSION (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_attempt (self, error);
      return;
    }

  open_class (self);
}

static char *
check_server (CohortStartWindow *self,
              AdwEntryRow       *row)
{
  char *server_url = cohort_normalize_server_url (gtk_editable_get_text (GTK_EDITABLE (row)));

  if (server_url == NULL)
    show_error (self, COHORT_ERROR_FIELD_SERVER,
                _("Enter the address of the class server, such as school.example.org:8080."));
  return server_url;
}

static char *
check_name (CohortStartWindow *self,
            AdwEntryRow       *row)
{
  g_autoptr(GError) error = NULL;
  char *name = cohort_protocol_normalize_text (gtk_editable_get_text (GTK_EDITABLE (row)),
                                               COHORT_MAX_NAME_CHARS, &error);

  if (name == NULL)
    {
      g_autofree char *message =
        /* Translators: %d is the maximum length, 64. */
        g_strdup_printf (_("Enter a name of 1 to %d characters, without tabs or line breaks."),
                         COHORT_MAX_NAME_CHARS);
      show_error (self, COHORT_ERROR_FIELD_NAME, message);
    }
  return name;
}

/* ---- staff: the credential and the classes ---- */

/* The staff credential typed, or stored for the server typed. */
static char *
check_staff_credential (CohortStartWindow *self)
{
  g_autofree char *credential = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->staff_row))));

  if (*credential == '\0')
    {
      show_error (self, COHORT_ERROR_FIELD_STAFF_CREDENTIAL,
                  _("Enter your staff credential. Your school’s administrator gives it to you."));
      return NULL;
    }
  return g_steal_pointer (&credential);
}

/* Fills the staff row from the token store when the server changes, and
 * keeps what the teacher typed otherwise. */
static void
on_start_server_changed (CohortStartWindow *self,
                         GtkEditable       *editable)
{
  g_autofree char *server_url = cohort_normalize_server_url (gtk_editable_get_text (editable));
  g_autofree char *stored = server_url != NULL ? cohort_token_store_lookup_staff (server_url) : NULL;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->staff_row));

  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  if (*typed != '\0' && g_strcmp0 (typed, self->stored_credential) != 0)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->staff_row), stored != NULL ? stored : "");
  g_free (self->stored_credential);
  self->stored_credential = g_steal_pointer (&stored);
}

static char *
format_day (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  /* Translators: a date in the class list, see g_date_time_format(). */
  return local != NULL ? g_date_time_format (local, _("%-d %b %Y")) : g_strdup ("");
}

static GtkWidget *
create_class_row (gpointer item,
                  gpointer user_data)
{
  GObject *summary = item;
  g_autofree char *code = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *lessons_text = NULL;
  g_autofree char *open_tooltip = NULL;
  g_autofree char *archive_tooltip = NULL;
  gint64 lessons = 0;
  gint64 last_lesson_at = 0;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));
  GtkWidget *archive = gtk_button_new_from_icon_name ("folder-symbolic");

  g_object_get (summary, "code", &code, "title", &title, "lessons", &lessons,
                "last-lesson-at", &last_lesson_at, NULL);

  lessons_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d lesson", "%d lessons", lessons), (int) lessons);
  if (last_lesson_at > 0)
    {
      g_autofree char *day = format_day (last_lesson_at);

      /* Translators: a class in the list: its code, its number of lessons, the day of its last lesson. */
      subtitle = g_strdup_printf (_("%s · %s · last on %s"), code, lessons_text, day);
    }
  else
    subtitle = g_strdup_printf ("%s · %s", code, lessons_text);

  /* Titles are the staff's own text: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  /* Translators: %s is a class title. */
  open_tooltip = g_strdup_printf (_("Start a New Lesson in %s"), title);
  gtk_widget_set_tooltip_text (open, open_tooltip);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "start.open-class");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", code);

  /* Translators: %s is a class title. */
  archive_tooltip = g_strdup_printf (_("Archive %s"), title);
  gtk_widget_set_tooltip_text (archive, archive_tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (archive), GTK_ACCESSIBLE_PROPERTY_LABEL, archive_tooltip, -1);
  gtk_widget_set_valign (archive, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (archive, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (archive), "start.archive-class");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (archive), "s", code);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), archive);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);
  return row;
}

static void
show_classes (CohortStartWindow *self,
              GListModel        *classes)
{
  g_set_object (&self->classes, classes);
  gtk_list_box_bind_model (self->classes_list, classes, create_class_row, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->classes_group), TRUE);
  adw_preferences_group_set_description (self->classes_group,
                                         g_list_model_get_n_items (classes) == 0
                                         ? _("No classes yet. Start your first one below.")
                                         : NULL);
}

static void
list_classes_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CohortStartWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) classes = NULL;

  classes = cohort_session_list_staff_classes_finish (COHORT_SESSION (object), result, &error);
  if (classes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_attempt (self, error);
      return;
    }

  /* The server took the credential: keep it, once, for this server. */
  if (!cohort_token_store_save_staff (self->server_url, self->staff_credential, &error))
    g_warning ("Could not store the staff credential: %s", error->message);
  g_free (self->stored_credential);
  self->stored_credential = g_strdup (self->staff_credential);

  set_busy (self, FALSE);
  reset_attempt (self);
  show_classes (self, classes);
}

static gboolean
begin_staff_attempt (CohortStartWindow *self)
{
  g_autofree char *server_url = NULL;
  g_autofree char *credential = NULL;

  if (self->busy)
    return FALSE;
  self->mode = MODE_STAFF;
  clear_errors (self);
  if (!(server_url = check_server (self, self->start_server_row)))
    return FALSE;
  if (!(credential = check_staff_credential (self)))
    return FALSE;

  g_settings_set_string (self->settings, "last-server",
                         gtk_editable_get_text (GTK_EDITABLE (self->start_server_row)));
  reset_attempt (self);
  self->server_url = g_steal_pointer (&server_url);
  self->staff_credential = g_steal_pointer (&credential);
  set_busy (self, TRUE);
  self->session = cohort_session_new ();
  return TRUE;
}

static void
list_classes_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CohortStartWindow *self = COHORT_START_WINDOW (widget);

  if (!begin_staff_attempt (self))
    return;
  cohort_session_list_staff_classes_async (self->session, self->server_url, self->staff_credential,
                                           self->cancellable, list_classes_cb, g_object_ref (self));
}

static void
open_class_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CohortStartWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_session_open_class_finish (COHORT_SESSION (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_attempt (self, error);
      return;
    }
  open_class (self);
}

static void
open_class_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CohortStartWindow *self = COHORT_START_WINDOW (widget);

  if (!begin_staff_attempt (self))
    return;
  self->code = g_variant_dup_string (param, NULL);
  cohort_session_open_class_async (self->session, self->server_url, self->code, self->staff_credential,
                                   self->cancellable, open_class_cb, g_object_ref (self));
}

typedef struct
{
  CohortStartWindow *self;
  char              *code;
  gboolean           archived;
} Archiving;

static void
archiving_free (Archiving *a)
{
  g_object_unref (a->self);
  g_free (a->code);
  g_free (a);
}

static void archive_class (CohortStartWindow *self,
                           const char        *code,
                           gboolean           archived);

static void
on_undo_archive (AdwToast  *toast,
                 Archiving *a)
{
  archive_class (a->self, a->code, FALSE);
}

static void
archive_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Archiving *a = user_data;
  CohortStartWindow *self = a->self;
  g_autoptr(GError) error = NULL;

  if (!cohort_session_archive_class_finish (COHORT_SESSION (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_attempt (self, error);
      archiving_free (a);
      return;
    }

  set_busy (self, FALSE);
  if (a->archived)
    {
      AdwToast *toast = adw_toast_new (_("Class archived. Students can no longer join it."));

      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_archive),
                             a, (GClosureNotify) (void (*) (void)) archiving_free, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else
    archiving_free (a);

  /* The list again, as the server has it now. */
  gtk_widget_activate_action (GTK_WIDGET (self), "start.list-classes", NULL);
}

static void
archive_class (CohortStartWindow *self,
               const char        *code,
               gboolean           archived)
{
  Archiving *a;

  if (!begin_staff_attempt (self))
    return;
  a = g_new0 (Archiving, 1);
  a->self = g_object_ref (self);
  a->code = g_strdup (code);
  a->archived = archived;
  cohort_session_archive_class_async (self->session, self->server_url, code, self->staff_credential,
                                      archived, self->cancellable, archive_cb, a);
}

static void
archive_class_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  archive_class (COHORT_START_WINDOW (widget), g_variant_get_string (param, NULL), TRUE);
}

static void
on_staff_entry_activated (CohortStartWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "start.list-classes", NULL);
}

static void
join_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CohortStartWindow *self = COHORT_START_WINDOW (widget);
  g_autoptr(CohortStoredToken) stored = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  g_autofree char *teacher_key = NULL;

  if (self->busy)
    return;

  self->mode = MODE_JOIN;
  clear_errors (self);

  /* A personal join link pasted as the code fills in both fields. */
  {
    g_autofree char *link_server = NULL;
    g_autofree char *link_code = NULL;

    if (cohort_parse_join_link (gtk_editable_get_text (GTK_EDITABLE (self->code_row)), &link_server, &link_code))
      {
        gtk_editable_set_text (GTK_EDITABLE (self->join_server_row), link_server);
        gtk_editable_set_text (GTK_EDITABLE (self->code_row), link_code);
      }
  }

  if (!(server_url = check_server (self, self->join_server_row)))
    return;

  code = cohort_protocol_normalize_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  /* identity: or a student's own 12-character personal code. */
  if (code == NULL)
    code = cohort_protocol_normalize_personal_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  if (code == NULL)
    {
      show_error (self, COHORT_ERROR_FIELD_CODE,
                  _("A class code has 8 letters and digits, such as K7QM-2XPA; a personal code has 12. Check the code with your teacher."));
      return;
    }

  if (!(name = check_name (self, self->join_name_row)))
    return;

  teacher_key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->teacher_key_row))));
  if (*teacher_key == '\0')
    g_clear_pointer (&teacher_key, g_free);

  g_settings_set_string (self->settings, "last-server",
                         gtk_editable_get_text (GTK_EDITABLE (self->join_server_row)));
  g_settings_set_string (self->settings, "last-code", code);
  g_settings_set_string (self->settings, "last-name", name);

  reset_attempt (self);
  self->server_url = g_steal_pointer (&server_url);
  self->code = g_steal_pointer (&code);
  self->name = g_steal_pointer (&name);
  self->teacher_key = g_steal_pointer (&teacher_key);
  set_busy (self, TRUE);

  /* One stored identity per (server, code, role). A student who types a
   * different name is someone else on this computer, and joins anew. */
  stored = cohort_token_store_lookup (self->server_url, self->code, self->teacher_key != NULL);
  if (stored != NULL &&
      (self->teacher_key != NULL || g_strcmp0 (stored->name, self->name) == 0))
    {
      g_debug ("Resuming with the stored token for %s", self->code);
      self->session = cohort_session_new ();
      cohort_session_resume_async (self->session, self->server_url, stored->token,
                                   self->cancellable, resume_cb, g_object_ref (self));
    }
  else
    start_join (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CohortStartWindow *self = COHORT_START_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *credential = NULL;

  if (self->busy)
    return;

  self->mode = MODE_CREATE;
  clear_errors (self);

  if (!(server_url = check_server (self, self->start_server_row)))
    return;

  title = cohort_protocol_normalize_text (gtk_editable_get_text (GTK_EDITABLE (self->title_row)),
                                          COHORT_MAX_TITLE_CHARS, &error);
  if (title == NULL)
    {
      g_autofree char *message =
        /* Translators: %d is the maximum length, 120. */
        g_strdup_printf (_("Enter a class title of 1 to %d characters, without tabs or line breaks."),
                         COHORT_MAX_TITLE_CHARS);
      show_error (self, COHORT_ERROR_FIELD_TITLE, message);
      return;
    }

  if (!(name = check_name (self, self->start_name_row)))
    return;

  if (!(credential = check_staff_credential (self)))
    return;

  g_settings_set_string (self->settings, "last-server",
                         gtk_editable_get_text (GTK_EDITABLE (self->start_server_row)));
  g_settings_set_string (self->settings, "last-title", title);
  g_settings_set_string (self->settings, "last-name", name);

  reset_attempt (self);
  self->server_url = g_steal_pointer (&server_url);
  self->name = g_steal_pointer (&name);
  self->staff_credential = g_steal_pointer (&credential);
  set_busy (self, TRUE);

  self->session = cohort_session_new ();
  g_object_set (self->session, "create-waiting-room", gtk_switch_get_active (self->waiting_room_switch), NULL);
  cohort_session_create_class_async (self->session, self->server_url, title, self->name,
                                     self->staff_credential, self->cancellable, create_cb, g_object_ref (self));
}

static void
on_join_entry_activated (CohortStartWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "start.join", NULL);
}

static void
on_start_entry_activated (CohortStartWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "start.create", NULL);
}

static gboolean
cohort_start_window_close_request (GtkWindow *window)
{
  CohortStartWindow *self = COHORT_START_WINDOW (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (cohort_start_window_parent_class)->close_request (window);
}

static void
cohort_start_window_dispose (GObject *object)
{
  CohortStartWindow *self = COHORT_START_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  reset_attempt (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_START_WINDOW);

  G_OBJECT_CLASS (cohort_start_window_parent_class)->dispose (object);
}

static void
cohort_start_window_finalize (GObject *object)
{
  CohortStartWindow *self = COHORT_START_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->stored_credential, g_free);
  g_clear_object (&self->classes);

  G_OBJECT_CLASS (cohort_start_window_parent_class)->finalize (object);
}

static void
cohort_start_window_class_init (CohortStartWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cohort_start_window_dispose;
  object_class->finalize = cohort_start_window_finalize;
  window_class->close_request = cohort_start_window_close_request;

  /**
   * CohortStartWindow::class-opened:
   * @window: the new #CohortClassWindow
   *
   * Emitted after joining or creating a class, right before the start
   * window closes itself.
   */
  signals[CLASS_OPENED] =
    g_signal_new ("class-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, COHORT_TYPE_CLASS_WINDOW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-start-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, staff_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, classes_spinner);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, staff_error_label);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, classes_group);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, classes_list);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, join_page);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, join_server_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, code_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, join_name_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, teacher_key_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, join_error_label);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, join_spinner);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, start_server_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, title_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, start_name_row);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, waiting_room_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, start_error_label);
  gtk_widget_class_bind_template_child (widget_class, CohortStartWindow, start_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_join_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_start_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_start_server_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_staff_entry_activated);

  gtk_widget_class_install_action (widget_class, "start.join", NULL, join_action);
  gtk_widget_class_install_action (widget_class, "start.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "start.list-classes", NULL, list_classes_action);
  gtk_widget_class_install_action (widget_class, "start.open-class", "s", open_class_action);
  gtk_widget_class_install_action (widget_class, "start.archive-class", "s", archive_class_action);
}

static void
prefill (AdwEntryRow *row,
         GSettings   *settings,
         const char  *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

static void
cohort_start_window_init (CohortStartWindow *self)
{
  g_autofree char *server = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_name_controls (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new ("org.cohortclass.Cohort");

  /* Both pages share one server address. */
  g_object_bind_property (self->join_server_row, "text",
                          self->start_server_row, "text",
                          G_BINDING_BIDIRECTIONAL);

  /* Prefill once from the last values; they are saved when used. */
  server = g_settings_get_string (self->settings, "last-server");
  gtk_editable_set_text (GTK_EDITABLE (self->join_server_row), server);
  prefill (self->code_row, self->settings, "last-code");
  prefill (self->join_name_row, self->settings, "last-name");
  prefill (self->start_name_row, self->settings, "last-name");
  prefill (self->title_row, self->settings, "last-title");

  update_actions (self);
}

CohortStartWindow *
cohort_start_window_new (GtkApplication *application)
{
  return g_object_new (COHORT_TYPE_START_WINDOW,
                       "application", application,
                       NULL);
}

static void
set_text_if (AdwEntryRow *row,
             const char  *text)
{
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
}

void
cohort_start_window_set_fields (CohortStartWindow *self,
                                const char        *server,
                                const char        *code,
                                const char        *name,
                                const char        *teacher_key,
                                const char        *title)
{
  g_return_if_fail (COHORT_IS_START_WINDOW (self));

  set_text_if (self->join_server_row, server);
  set_text_if (self->code_row, code);
  set_text_if (self->join_name_row, name);
  set_text_if (self->start_name_row, name);
  set_text_if (self->teacher_key_row, teacher_key);
  set_text_if (self->title_row, title);

  if (title != NULL)
    adw_view_stack_set_visible_child_name (self->stack, "start");
}

gboolean
cohort_start_window_open_link (CohortStartWindow *self,
                               const char        *link)
{
  g_autofree char *server = NULL;
  g_autofree char *code = NULL;

  g_return_val_if_fail (COHORT_IS_START_WINDOW (self), FALSE);

  adw_view_stack_set_visible_child_name (self->stack, "join");
  clear_errors (self);

  /* A link only fills in the form: the student sees which server it names
   * and presses Join, so a link from a stranger connects nowhere by itself. */
  if (!cohort_parse_join_link (link, &server, &code))
    {
      show_error (self, COHORT_ERROR_FIELD_CODE,
                  _("This link is not a Cohort class link. Ask your teacher for a new one, or type the class code."));
      return FALSE;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->join_server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
  gtk_widget_grab_focus (GTK_WIDGET (self->join_name_row));
  return TRUE;
}

void
cohort_start_window_join (CohortStartWindow *self)
{
  g_return_if_fail (COHORT_IS_START_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->stack, "join");
  gtk_widget_activate_action (GTK_WIDGET (self), "start.join", NULL);
}

void
cohort_start_window_start_class (CohortStartWindow *self)
{
  g_return_if_fail (COHORT_IS_START_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->stack, "start");
  gtk_widget_activate_action (GTK_WIDGET (self), "start.create", NULL);
}

void
cohort_start_window_set_staff_credential (CohortStartWindow *self,
                                          const char        *credential)
{
  g_return_if_fail (COHORT_IS_START_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->staff_row), credential != NULL ? credential : "");
}

const char *
cohort_start_window_get_staff_credential (CohortStartWindow *self)
{
  g_return_val_if_fail (COHORT_IS_START_WINDOW (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->staff_row));
}

void
cohort_start_window_set_waiting_room (CohortStartWindow *self,
                                      gboolean           waiting_room)
{
  g_return_if_fail (COHORT_IS_START_WINDOW (self));

  gtk_switch_set_active (self->waiting_room_switch, waiting_room);
}

void
cohort_start_window_list_classes (CohortStartWindow *self)
{
  g_return_if_fail (COHORT_IS_START_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->stack, "start");
  gtk_widget_activate_action (GTK_WIDGET (self), "start.list-classes", NULL);
}

GListModel *
cohort_start_window_get_classes (CohortStartWindow *self)
{
  g_return_val_if_fail (COHORT_IS_START_WINDOW (self), NULL);

  return self->classes;
}

GtkListBox *
cohort_start_window_get_classes_list (CohortStartWindow *self)
{
  g_return_val_if_fail (COHORT_IS_START_WINDOW (self), NULL);

  return self->classes_list;
}

gboolean
cohort_start_window_get_busy (CohortStartWindow *self)
{
  g_return_val_if_fail (COHORT_IS_START_WINDOW (self), FALSE);

  return self->busy;
}

const char *
cohort_start_window_get_error_message (CohortStartWindow *self)
{
  g_return_val_if_fail (COHORT_IS_START_WINDOW (self), NULL);

  return self->error_message;
}
