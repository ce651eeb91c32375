/* cohort-schedule-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-schedule-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "cohort-export.h"
#include "cohort-schedule-dialog.h"
#include "cohort-schedule-editor.h"
#include "cohort-toast.h"

#define MS_PER_MINUTE ((gint64) 60 * 1000)
/* How often the countdowns are written again. */
#define TICK_SECONDS 30

struct _CohortScheduleDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkListBox           *list;
  GtkWidget            *add_button;
  AdwStatusPage        *empty_status;

  CohortSchedule       *schedule;
  gboolean              is_teacher;
  GBytes               *ics;        /* fetched for Export .ics… */
  CohortExport          export;
  SoupSession          *http;
  GCancellable         *cancellable;
  guint                 tick_id;
};

G_DEFINE_FINAL_TYPE (CohortScheduleDialog, cohort_schedule_dialog, ADW_TYPE_WINDOW)

char *
cohort_schedule_format_start (gint64 start_at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (start_at / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  /* Translators: a lesson's start on the viewer's clock: see strftime. */
  return local != NULL ? g_date_time_format (local, _("%a %-d %b, %H:%M")) : g_strdup ("");
}

char *
cohort_schedule_format_countdown (gint64 start_at,
                                  gint64 end_at,
                                  gint64 now)
{
  gint64 minutes;

  if (now >= end_at)
    return NULL;
  if (now >= start_at)
    return g_strdup (_("now"));
  minutes = (start_at - now + MS_PER_MINUTE - 1) / MS_PER_MINUTE;
  if (minutes < 60)
    /* Translators: how soon a lesson starts. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", minutes), (int) minutes);
  if (minutes < 24 * 60)
    /* Translators: how soon a lesson starts. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d hour", "in %d hours", minutes / 60),
                            (int) (minutes / 60));
  return NULL;
}

static char *
row_subtitle (CohortScheduleOccurrence *o)
{
  g_autofree char *when = cohort_schedule_format_start (cohort_schedule_occurrence_get_start_at (o));
  g_autofree char *countdown = cohort_schedule_format_countdown (cohort_schedule_occurrence_get_start_at (o),
                                                                 cohort_schedule_occurrence_get_end_at (o),
                                                                 g_get_real_time () / 1000);
  /* Translators: a lesson's length. */
  g_autofree char *length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                          cohort_schedule_occurrence_get_duration (o)),
                                             cohort_schedule_occurrence_get_duration (o));
  const char *weekly = cohort_schedule_occurrence_get_weekly (o) ? _("weekly") : NULL;
  GString *text = g_string_new (when);

  g_string_append_printf (text, " · %s", length);
  if (weekly != NULL)
    g_string_append_printf (text, " · %s", weekly);
  if (countdown != NULL)
    g_string_append_printf (text, " · %s", countdown);
  return g_string_free (text, FALSE);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CohortScheduleDialog *self = user_data;
  CohortScheduleOccurrence *o = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = row_subtitle (o);

  /* The teacher's text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_schedule_occurrence_get_title (o));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "cohort-occurrence", g_object_ref (o), g_object_unref);

  if (self->is_teacher)
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenuItem) one = g_menu_item_new (_("Cancel This Lesson"), NULL);
      GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
      GtkWidget *cancel = gtk_menu_button_new ();

      gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (edit, "flat");
      gtk_widget_set_tooltip_text (edit, _("Change Lesson"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Change Lesson"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "schedule.edit");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "(xs)", cohort_schedule_occurrence_get_lesson_id (o),
                                        cohort_schedule_occurrence_get_date (o));

      g_menu_item_set_action_and_target (one, "schedule.cancel", "(xs)", cohort_schedule_occurrence_get_lesson_id (o),
                                         cohort_schedule_occurrence_get_date (o));
      g_menu_append_item (menu, one);
      if (cohort_schedule_occurrence_get_weekly (o))
        {
          g_autoptr(GMenuItem) all = g_menu_item_new (_("Cancel Every Lesson"), NULL);

          g_menu_item_set_action_and_target (all, "schedule.cancel", "(xs)",
                                             cohort_schedule_occurrence_get_lesson_id (o), "");
          g_menu_append_item (menu, all);
        }
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (cancel), "edit-delete-symbolic");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (cancel), G_MENU_MODEL (menu));
      gtk_widget_set_valign (cancel, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (cancel, "flat");
      gtk_widget_set_tooltip_text (cancel, _("Cancel Lesson"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (cancel), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cancel Lesson"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), cancel);
    }
  return row;
}

static void
update_stack (CohortScheduleDialog *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->schedule)) > 0 ? "list" : "empty");
}

static gboolean
on_tick (gpointer user_data)
{
  CohortScheduleDialog *self = user_data;
  GtkWidget *row;

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      CohortScheduleOccurrence *o = g_object_get_data (G_OBJECT (row), "cohort-occurrence");
      g_autofree char *subtitle = NULL;

      if (o == NULL)
        continue;
      subtitle = row_subtitle (o);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  return G_SOURCE_CONTINUE;
}

static CohortScheduleOccurrence *
find_occurrence (CohortScheduleDialog *self,
                 gint64                lesson_id,
                 const char           *date)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->schedule)); i++)
    {
      g_autoptr(CohortScheduleOccurrence) o = g_list_model_get_item (G_LIST_MODEL (self->schedule), i);

      if (cohort_schedule_occurrence_get_lesson_id (o) == lesson_id &&
          g_strcmp0 (cohort_schedule_occurrence_get_date (o), date) == 0)
        return o;
    }
  return NULL;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  CohortScheduleDialog *self = COHORT_SCHEDULE_DIALOG (widget);

  gtk_window_present (GTK_WINDOW (cohort_schedule_editor_new (GTK_WINDOW (self), self->schedule, NULL)));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CohortScheduleDialog *self = COHORT_SCHEDULE_DIALOG (widget);
  CohortScheduleOccurrence *o;
  const char *date;
  gint64 lesson_id;

  g_variant_get (param, "(x&s)", &lesson_id, &date);
  if ((o = find_occurrence (self, lesson_id, date)) != NULL)
    gtk_window_present (GTK_WINDOW (cohort_schedule_editor_new (GTK_WINDOW (self), self->schedule, o)));
}

static void
cancelled_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CohortScheduleDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_schedule_change_finish (COHORT_SCHEDULE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (error->message));
}

static void
cancel_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    CohortScheduleDialog *self)
{
  const char *date = g_object_get_data (G_OBJECT (dialog), "cohort-date");
  gint64 lesson_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "cohort-lesson-id"));

  if (g_strcmp0 (response, "cancel-lesson") != 0)
    return;
  cohort_schedule_cancel_async (self->schedule, lesson_id, *date != '\0' ? date : NULL, self->cancellable,
                                cancelled_cb, g_object_ref (self));
}

/* (xs): the lesson and the date of one occurrence; an empty date, the
 * whole series. Asks first: every student is told. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CohortScheduleDialog *self = COHORT_SCHEDULE_DIALOG (widget);
  AdwMessageDialog *dialog;
  const char *date;
  gint64 lesson_id;

  g_variant_get (param, "(x&s)", &lesson_id, &date);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       *date != '\0' ? _("Cancel This Lesson?")
                                                                      : _("Cancel Every Lesson?"),
                                                       _("Every student is told, and it leaves their calendars.")));
  adw_message_dialog_add_responses (dialog, "keep", _("_Keep"), "cancel-lesson", _("C_ancel Lesson"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel-lesson", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data_full (G_OBJECT (dialog), "cohort-date", g_strdup (date), g_free);
  g_object_set_data (G_OBJECT (dialog), "cohort-lesson-id", GSIZE_TO_POINTER ((gsize) lesson_id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_url_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortScheduleDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = cohort_schedule_calendar_url_finish (COHORT_SCHEDULE (object), result, &error);

  if (url == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (error->message));
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), url);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               cohort_toast_new (_("Calendar link copied. Add it to your calendar app as a subscription; "
                                                   "copying a new link turns the old one off.")));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CohortScheduleDialog *self = COHORT_SCHEDULE_DIALOG (widget);

  cohort_schedule_calendar_url_async (self->schedule, self->cancellable, copy_url_cb, g_object_ref (self));
}

static GBytes *
schedule_ics (gpointer owner)
{
  CohortScheduleDialog *self = owner;

  return self->ics != NULL ? g_bytes_ref (self->ics) : NULL;
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CohortScheduleDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  if (bytes == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     cohort_toast_new (_("Could not download the schedule. Try again.")));
      return;
    }
  g_clear_pointer (&self->ics, g_bytes_unref);
  self->ics = g_steal_pointer (&bytes);
  cohort_export_open (&self->export, GTK_WINDOW (self), _("Export Schedule"),
                      /* Translators: the file name offered for the calendar export. */
                      _("schedule.ics"),
                      self->toast_overlay, _("Schedule saved"), schedule_ics, self);
}

static void
export_url_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CohortScheduleDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = cohort_schedule_calendar_url_finish (COHORT_SCHEDULE (object), result, &error);
  g_autoptr(SoupMessage) msg = NULL;

  if (url == NULL || !(msg = soup_message_new (SOUP_METHOD_GET, url)))
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (error->message));
      return;
    }
  if (self->http == NULL)
    self->http = soup_session_new ();
  soup_session_send_and_read_async (self->http, msg, G_PRIORITY_DEFAULT, self->cancellable, fetched_cb,
                                    g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CohortScheduleDialog *self = COHORT_SCHEDULE_DIALOG (widget);

  cohort_schedule_calendar_url_async (self->schedule, self->cancellable, export_url_cb, g_object_ref (self));
}

static void
cohort_schedule_dialog_dispose (GObject *object)
{
  CohortScheduleDialog *self = COHORT_SCHEDULE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  cohort_export_close (&self->export);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_SCHEDULE_DIALOG);
  g_clear_object (&self->schedule);
  g_clear_object (&self->http);
  g_clear_pointer (&self->ics, g_bytes_unref);
  G_OBJECT_CLASS (cohort_schedule_dialog_parent_class)->dispose (object);
}

static void
cohort_schedule_dialog_finalize (GObject *object)
{
  CohortScheduleDialog *self = COHORT_SCHEDULE_DIALOG (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (cohort_schedule_dialog_parent_class)->finalize (object);
}

static void
cohort_schedule_dialog_class_init (CohortScheduleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_schedule_dialog_dispose;
  object_class->finalize = cohort_schedule_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-schedule-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleDialog, list);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleDialog, empty_status);

  gtk_widget_class_install_action (widget_class, "schedule.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "schedule.edit", "(xs)", edit_action);
  gtk_widget_class_install_action (widget_class, "schedule.cancel", "(xs)", cancel_action);
  gtk_widget_class_install_action (widget_class, "schedule.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "schedule.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_schedule_dialog_init (CohortScheduleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

CohortScheduleDialog *
cohort_schedule_dialog_new (GtkWindow      *parent,
                            CohortSchedule *schedule,
                            gboolean        is_teacher)
{
  CohortScheduleDialog *self;

  g_return_val_if_fail (COHORT_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (COHORT_TYPE_SCHEDULE_DIALOG, "transient-for", parent, NULL);
  self->schedule = g_object_ref (schedule);
  self->is_teacher = is_teacher;
  gtk_widget_set_visible (self->add_button, is_teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.add", is_teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.edit", is_teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.cancel", is_teacher);
  if (is_teacher)
    adw_status_page_set_description (self->empty_status, _("Add a lesson, once or every week, and your students "
                                                           "see it in their own time zone."));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (schedule), create_row, self, NULL);
  g_signal_connect_object (schedule, "items-changed", G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  update_stack (self);
  self->tick_id = g_timeout_add_seconds (TICK_SECONDS, on_tick, self);
  return self;
}

guint
cohort_schedule_dialog_get_n_rows (CohortScheduleDialog *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_DIALOG (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->schedule));
}

const char *
cohort_schedule_dialog_get_row_subtitle (CohortScheduleDialog *self,
                                         guint                 index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (COHORT_IS_SCHEDULE_DIALOG (self), NULL);

  row = gtk_list_box_get_row_at_index (self->list, index);
  return row != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}
