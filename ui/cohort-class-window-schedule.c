/* cohort-class-window-schedule.c: the class's schedule in the class
 * window: the Schedule row and dialog, the notice when the teacher
 * changes a lesson
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-class-window-private.h"
#include "cohort-schedule-dialog.h"
#include "cohort-schedule-protocol.h"

static CohortSchedule *
schedule_of (CohortClassWindow *self)
{
  return cohort_session_get_schedule (self->session);
}

static void
show_schedule_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  if (self->session == NULL)
    return;
  gtk_window_present (GTK_WINDOW (cohort_schedule_dialog_new (GTK_WINDOW (self), schedule_of (self),
                                                              self->is_teacher)));
}

char *
_cohort_class_window_schedule_next_text (CohortClassWindow *self)
{
  CohortScheduleOccurrence *next = cohort_schedule_get_next (schedule_of (self));
  g_autofree char *when = NULL;
  g_autofree char *countdown = NULL;

  if (next == NULL)
    return g_strdup (_("No lessons planned"));
  when = cohort_schedule_format_start (cohort_schedule_occurrence_get_start_at (next));
  countdown = cohort_schedule_format_countdown (cohort_schedule_occurrence_get_start_at (next),
                                                cohort_schedule_occurrence_get_end_at (next),
                                                g_get_real_time () / 1000);
  if (countdown != NULL)
    /* Translators: the next lesson: its title, when (on the viewer's clock) and how soon. */
    return g_strdup_printf (_("Next: %s, %s (%s)"), cohort_schedule_occurrence_get_title (next), when, countdown);
  /* Translators: the next lesson: its title and when (on the viewer's clock). */
  return g_strdup_printf (_("Next: %s, %s"), cohort_schedule_occurrence_get_title (next), when);
}

static void
update_row (CohortClassWindow *self)
{
  g_autofree char *text = _cohort_class_window_schedule_next_text (self);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->schedule_row), text);
}

/* ---- the countdown ---- */

/* The row's countdown moves on its own. The reminder before the lesson
 * is not the window's: CohortLessonReminders, in the application, sends
 * it for every kept class, so a class with its window open gets one, not
 * two. */
static gboolean
on_tick (gpointer user_data)
{
  update_row (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_next (CohortClassWindow *self)
{
  update_row (self);
  if (self->schedule_tick == 0)
    self->schedule_tick = g_timeout_add_seconds_full (G_PRIORITY_LOW, 60, on_tick, self, NULL);
}

/* ---- changes ---- */

static void
on_changed (CohortSchedule    *schedule,
            const char        *change,
            const char        *title,
            gint64             start_at,
            CohortClassWindow *self)
{
  g_autofree char *when = start_at > 0 ? cohort_schedule_format_start (start_at) : NULL;
  g_autofree char *text = NULL;

  /* The teacher made the change. */
  if (self->is_teacher)
    return;

  if (g_str_equal (change, COHORT_SCHEDULE_STR_CANCELLED))
    text = when != NULL
           /* Translators: a lesson's title and its start on the viewer's clock. */
           ? g_strdup_printf (_("Cancelled: %s on %s"), title, when)
           /* Translators: %s is a lesson series' title. */
           : g_strdup_printf (_("Cancelled: every %s lesson"), title);
  else if (g_str_equal (change, COHORT_SCHEDULE_STR_CREATED))
    text = when != NULL
           /* Translators: a lesson's title and its start on the viewer's clock. */
           ? g_strdup_printf (_("New lesson: %s on %s"), title, when)
           /* Translators: %s is a lesson's title. */
           : g_strdup_printf (_("New lesson: %s"), title);
  else
    text = when != NULL
           /* Translators: a lesson's title and its (new) start on the viewer's clock. */
           ? g_strdup_printf (_("Lesson changed: %s, now on %s"), title, when)
           /* Translators: %s is a lesson's title. */
           : g_strdup_printf (_("Lesson changed: %s"), title);

  cohort_class_window_call_attention (self, COHORT_NOTICE_ACTION, "schedule", -1, text,
                                      _("Open the schedule to see the class's next lessons."));
}

void
_cohort_class_window_schedule_setup (CohortClassWindow *self)
{
  CohortSchedule *schedule = schedule_of (self);

  g_signal_connect_object (schedule, "notify::next", G_CALLBACK (on_next), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (schedule, "changed", G_CALLBACK (on_changed), self, 0);
  on_next (self);
}

void
_cohort_class_window_schedule_dispose (CohortClassWindow *self)
{
  g_clear_handle_id (&self->schedule_tick, g_source_remove);
}

void
_cohort_class_window_schedule_class_init (CohortClassWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, schedule_row);
  gtk_widget_class_install_action (widget_class, "class.show-schedule", NULL, show_schedule_action);
}
