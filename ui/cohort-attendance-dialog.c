/* cohort-attendance-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-attendance-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-attendance-dialog.h"
#include "cohort-error-message.h"
#include "cohort-export.h"
#include "cohort-toast.h"

struct _CohortAttendanceDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkLabel             *summary_label;
  GtkListBox           *list;

  CohortLesson         *lesson;
  GPtrArray            *rows;       /* CohortAttendanceRow; NULL until answered */
  CohortExport          export;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (CohortAttendanceDialog, cohort_attendance_dialog, ADW_TYPE_WINDOW)

static char *
format_clock (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%H:%M") : g_strdup ("");
}

static GtkWidget *
create_row (CohortAttendanceRow *row)
{
  GtkWidget *action_row = adw_action_row_new ();
  g_autofree char *came = format_clock (row->joined_at);
  g_autofree char *left = row->left_at > 0 ? format_clock (row->left_at) : NULL;
  g_autofree char *times = NULL;
  g_autofree char *minutes = NULL;
  g_autofree char *visits = NULL;
  g_autofree char *subtitle = NULL;
  gint64 n_minutes = (row->present_ms + 30000) / 60000;

  if (left != NULL)
    /* Translators: when a student came and last left, as HH:MM. */
    times = g_strdup_printf (_("came %s, left %s"), came, left);
  else
    /* Translators: %s is when a student came, as HH:MM. */
    times = g_strdup_printf (_("came %s, still here"), came);
  if (n_minutes == 0)
    minutes = g_strdup (_("less than a minute"));
  else
    /* Translators: how long a student was in the lesson. */
    minutes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", n_minutes), (int) n_minutes);
  /* Translators: how many times a student came into the lesson. */
  visits = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u visit", "%u visits", row->visits), row->visits);
  subtitle = g_strdup_printf ("%s · %s · %s", times, minutes, visits);

  /* Names are the students' text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), row->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle);
  return action_row;
}

static void
show_rows (CohortAttendanceDialog *self)
{
  GtkWidget *child;
  g_autofree char *summary = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_append (self->list, create_row (g_ptr_array_index (self->rows, i)));

  /* Translators: %u is how many students came to the lesson. */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u student came to this lesson.",
                                          "%u students came to this lesson.", self->rows->len),
                             self->rows->len);
  gtk_label_set_text (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, self->rows->len > 0 ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "attendance.export", self->rows->len > 0);
}

static void
attendance_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CohortAttendanceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = cohort_lesson_attendance_finish (COHORT_LESSON (object), result, &error);

  if (rows == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = cohort_error_message_for_user (error, NULL, NULL, NULL);
      adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (message));
      return;
    }
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = g_steal_pointer (&rows);
  show_rows (self);
}

static void
refresh (CohortAttendanceDialog *self)
{
  cohort_lesson_attendance_async (self->lesson, 0, self->cancellable, attendance_cb, g_object_ref (self));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  refresh (COHORT_ATTENDANCE_DIALOG (widget));
}

static GBytes *
attendance_csv (gpointer owner)
{
  return cohort_export_text (cohort_attendance_dialog_to_csv (owner));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CohortAttendanceDialog *self = COHORT_ATTENDANCE_DIALOG (widget);
  g_autofree char *name = NULL;

  if (self->rows == NULL)
    return;
  /* Translators: the file name offered for the attendance; %d is the lesson's number. */
  name = g_strdup_printf (_("attendance-lesson-%d.csv"), (int) cohort_lesson_get_number (self->lesson));
  cohort_export_open (&self->export, GTK_WINDOW (self), _("Export Attendance"), name,
                      self->toast_overlay, _("Attendance saved"), attendance_csv, self);
}

static void
cohort_attendance_dialog_dispose (GObject *object)
{
  CohortAttendanceDialog *self = COHORT_ATTENDANCE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  cohort_export_close (&self->export);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_ATTENDANCE_DIALOG);
  g_clear_object (&self->lesson);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_attendance_dialog_parent_class)->dispose (object);
}

static void
cohort_attendance_dialog_finalize (GObject *object)
{
  CohortAttendanceDialog *self = COHORT_ATTENDANCE_DIALOG (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_attendance_dialog_parent_class)->finalize (object);
}

static void
cohort_attendance_dialog_class_init (CohortAttendanceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_attendance_dialog_dispose;
  object_class->finalize = cohort_attendance_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-attendance-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortAttendanceDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortAttendanceDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortAttendanceDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CohortAttendanceDialog, list);

  gtk_widget_class_install_action (widget_class, "attendance.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "attendance.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "attendance.refresh", NULL);
}

static void
cohort_attendance_dialog_init (CohortAttendanceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "attendance.export", FALSE);
}

CohortAttendanceDialog *
cohort_attendance_dialog_new (GtkWindow    *parent,
                              CohortLesson *lesson)
{
  CohortAttendanceDialog *self;

  g_return_val_if_fail (COHORT_IS_LESSON (lesson), NULL);

  self = g_object_new (COHORT_TYPE_ATTENDANCE_DIALOG, "transient-for", parent, NULL);
  self->lesson = g_object_ref (lesson);
  refresh (self);
  return self;
}

int
cohort_attendance_dialog_get_n_rows (CohortAttendanceDialog *self)
{
  g_return_val_if_fail (COHORT_IS_ATTENDANCE_DIALOG (self), -1);

  return self->rows != NULL ? (int) self->rows->len : -1;
}

char *
cohort_attendance_dialog_to_csv (CohortAttendanceDialog *self)
{
  g_return_val_if_fail (COHORT_IS_ATTENDANCE_DIALOG (self), NULL);

  return self->rows != NULL ? cohort_attendance_to_csv (self->rows, NULL) : NULL;
}
