/* cohort-schedule-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-schedule-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-protocol.h"
#include "cohort-schedule-editor.h"
#include "cohort-schedule-rule.h"
#include "cohort-toast.h"

struct _CohortScheduleEditor
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwEntryRow     *title_row;
  GtkCalendar     *calendar;
  GtkMenuButton   *date_button;
  GtkSpinButton   *hour_spin;
  GtkSpinButton   *minute_spin;
  GtkSpinButton   *duration_spin;
  GtkSwitch       *weekly_switch;
  AdwActionRow    *count_row;
  GtkSpinButton   *count_spin;
  AdwActionRow    *until_row;
  GtkSwitch       *until_switch;
  GtkMenuButton   *until_button;
  GtkCalendar     *until_calendar;
  AdwEntryRow     *zone_row;

  CohortSchedule  *schedule;
  gint64           lesson_id;   /* 0: a new lesson */
  char            *start;       /* what get_spec last built */
  char            *title;
  char            *zone;
  char            *until;       /* "YYYY-MM-DD" */
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (CohortScheduleEditor, cohort_schedule_editor, ADW_TYPE_WINDOW)

static void
update_date_label (CohortScheduleEditor *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  g_autoptr(GDateTime) until = gtk_calendar_get_date (self->until_calendar);
  /* Translators: a lesson's date on the editor's button: see strftime. */
  g_autofree char *label = g_date_time_format (date, _("%a %-d %b %Y"));
  /* Translators: a lesson's date on the editor's button: see strftime. */
  g_autofree char *until_label = g_date_time_format (until, _("%a %-d %b %Y"));

  gtk_menu_button_set_label (self->date_button, label);
  gtk_menu_button_set_label (self->until_button, until_label);
}

static void
select_day (GtkCalendar *calendar,
            guint        date)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (date / 10000, (date / 100) % 100, date % 100, 12, 0, 0);

  gtk_calendar_select_day (calendar, day);
}

void
cohort_schedule_editor_get_spec (CohortScheduleEditor     *self,
                                 CohortScheduleLessonSpec *out_spec)
{
  g_autoptr(GDateTime) date = NULL;
  gboolean weekly;
  gboolean ends_on_date;

  g_return_if_fail (COHORT_IS_SCHEDULE_EDITOR (self));
  g_return_if_fail (out_spec != NULL);

  weekly = gtk_switch_get_active (self->weekly_switch);
  ends_on_date = gtk_switch_get_active (self->until_switch);

  date = gtk_calendar_get_date (self->calendar);
  g_free (self->start);
  self->start = cohort_schedule_local_format (g_date_time_get_year (date) * 10000 +
                                              g_date_time_get_month (date) * 100 +
                                              g_date_time_get_day_of_month (date),
                                              gtk_spin_button_get_value_as_int (self->hour_spin),
                                              gtk_spin_button_get_value_as_int (self->minute_spin));
  g_free (self->title);
  self->title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  g_free (self->zone);
  self->zone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->zone_row))));

  g_clear_pointer (&self->until, g_free);
  if (weekly && ends_on_date)
    {
      g_autoptr(GDateTime) until = gtk_calendar_get_date (self->until_calendar);

      self->until = g_date_time_format (until, "%Y-%m-%d");
    }

  /* A series ends after a number of lessons or on a date, not both. */
  *out_spec = (CohortScheduleLessonSpec) {
    .title = self->title,
    .start = self->start,
    .zone = self->zone,
    .duration = gtk_spin_button_get_value_as_int (self->duration_spin),
    .weekly = weekly,
    .count = weekly && !ends_on_date ? gtk_spin_button_get_value_as_int (self->count_spin) : 0,
    .until = self->until,
  };
}

void
cohort_schedule_editor_set_fields (CohortScheduleEditor *self,
                                   const char           *title,
                                   const char           *start,
                                   const char           *zone,
                                   guint                 duration,
                                   gboolean              weekly,
                                   guint                 count,
                                   const char           *until)
{
  CohortScheduleDate date;
  CohortScheduleDate last;
  guint hour, minute;

  g_return_if_fail (COHORT_IS_SCHEDULE_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title != NULL ? title : "");
  if (cohort_schedule_local_parse (start, &date, &hour, &minute))
    {
      select_day (self->calendar, date);
      /* Until one is chosen, the end date offered is the start's. */
      select_day (self->until_calendar, date);
      gtk_spin_button_set_value (self->hour_spin, hour);
      gtk_spin_button_set_value (self->minute_spin, minute);
    }
  if (zone != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->zone_row), zone);
  gtk_spin_button_set_value (self->duration_spin, duration);
  gtk_switch_set_active (self->weekly_switch, weekly);
  gtk_spin_button_set_value (self->count_spin, count);
  gtk_switch_set_active (self->until_switch, until != NULL && cohort_schedule_date_parse (until, &last));
  if (gtk_switch_get_active (self->until_switch))
    select_day (self->until_calendar, last);
  update_date_label (self);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CohortScheduleEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (cohort_schedule_change_finish (COHORT_SCHEDULE (object), result, &error))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", TRUE);
  /* The server's sentence says which field and why. */
  adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (error->message));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CohortScheduleEditor *self = COHORT_SCHEDULE_EDITOR (widget);
  g_autoptr(GTimeZone) zone = NULL;
  CohortScheduleLessonSpec spec;

  cohort_schedule_editor_get_spec (self, &spec);
  if (*spec.title == '\0')
    {
      adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (_("Give the lesson a title.")));
      return;
    }
  if (!(zone = cohort_schedule_zone_new (spec.zone)))
    {
      /* The row turns red; the toast is short enough not to be cut. */
      gtk_widget_add_css_class (GTK_WIDGET (self->zone_row), "error");
      adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (_("Unknown time zone")));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->zone_row), "error");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
  if (self->lesson_id > 0)
    cohort_schedule_update_async (self->schedule, self->lesson_id, &spec, self->cancellable, saved_cb,
                                  g_object_ref (self));
  else
    cohort_schedule_create_async (self->schedule, &spec, self->cancellable, saved_cb, g_object_ref (self));
}

static void
on_weekly (CohortScheduleEditor *self)
{
  gboolean weekly = gtk_switch_get_active (self->weekly_switch);
  gboolean ends_on_date = gtk_switch_get_active (self->until_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->count_row), weekly && !ends_on_date);
  gtk_widget_set_sensitive (GTK_WIDGET (self->until_row), weekly);
  gtk_widget_set_sensitive (GTK_WIDGET (self->until_button), ends_on_date);
}

static void
cohort_schedule_editor_dispose (GObject *object)
{
  CohortScheduleEditor *self = COHORT_SCHEDULE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_SCHEDULE_EDITOR);
  g_clear_object (&self->schedule);
  G_OBJECT_CLASS (cohort_schedule_editor_parent_class)->dispose (object);
}

static void
cohort_schedule_editor_finalize (GObject *object)
{
  CohortScheduleEditor *self = COHORT_SCHEDULE_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_free (self->start);
  g_free (self->title);
  g_free (self->zone);
  g_free (self->until);
  G_OBJECT_CLASS (cohort_schedule_editor_parent_class)->finalize (object);
}

static void
cohort_schedule_editor_class_init (CohortScheduleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_schedule_editor_dispose;
  object_class->finalize = cohort_schedule_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-schedule-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, calendar);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, date_button);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, weekly_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, count_row);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, count_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, until_row);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, until_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, until_button);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, until_calendar);
  gtk_widget_class_bind_template_child (widget_class, CohortScheduleEditor, zone_row);
  gtk_widget_class_bind_template_callback (widget_class, update_date_label);
  gtk_widget_class_bind_template_callback (widget_class, on_weekly);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_schedule_editor_init (CohortScheduleEditor *self)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* The system's zone, as the teacher's; "UTC" when it has no name. */
  gtk_editable_set_text (GTK_EDITABLE (self->zone_row),
                         cohort_schedule_zone_new (g_time_zone_get_identifier (local)) != NULL
                         ? g_time_zone_get_identifier (local) : "UTC");
  gtk_calendar_select_day (self->calendar, tomorrow);
  gtk_calendar_select_day (self->until_calendar, tomorrow);
  update_date_label (self);
  on_weekly (self);
}

CohortScheduleEditor *
cohort_schedule_editor_new (GtkWindow                *parent,
                            CohortSchedule           *schedule,
                            CohortScheduleOccurrence *occurrence)
{
  CohortScheduleEditor *self;

  g_return_val_if_fail (COHORT_IS_SCHEDULE (schedule), NULL);

  self = g_object_new (COHORT_TYPE_SCHEDULE_EDITOR, "transient-for", parent, NULL);
  self->schedule = g_object_ref (schedule);
  if (occurrence != NULL)
    {
      self->lesson_id = cohort_schedule_occurrence_get_lesson_id (occurrence);
      gtk_window_set_title (GTK_WINDOW (self), _("Change Lesson"));
      cohort_schedule_editor_set_fields (self, cohort_schedule_occurrence_get_title (occurrence),
                                         cohort_schedule_occurrence_get_series_start (occurrence),
                                         cohort_schedule_occurrence_get_zone (occurrence),
                                         cohort_schedule_occurrence_get_duration (occurrence),
                                         cohort_schedule_occurrence_get_weekly (occurrence),
                                         cohort_schedule_occurrence_get_count (occurrence),
                                         cohort_schedule_occurrence_get_until (occurrence));
    }
  return self;
}
