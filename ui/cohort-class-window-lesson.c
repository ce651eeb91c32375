/* cohort-class-window-lesson.c: the class's life cycle in the class window
 *
 * The teacher's Start Lesson and End Class (with a confirmation) and the
 * attendance; a student's stage before the start (who else waits) and
 * after the end (a summary); the teacher who dropped out shown as
 * reconnecting; and closing the window during a live lesson asking first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-protocol.h"

#include "cohort-attendance-dialog.h"
#include "cohort-insights-page.h"
#include "cohort-class-window-private.h"
#include "cohort-lesson-summary-dialog.h"
#include "cohort-waiting-page.h"
#include "cohort-template.h"

static CohortLesson *
lesson_of (CohortClassWindow *self)
{
  return cohort_session_get_lesson (self->session);
}

static gboolean
in_class (CohortClassWindow *self)
{
  CohortSessionState state = cohort_session_get_state (self->session);

  return !self->removed && (state == COHORT_SESSION_STATE_JOINED || state == COHORT_SESSION_STATE_RECONNECTING);
}

/* The teacher, NULL when the roster has none. */
static CohortParticipant *
find_teacher (CohortClassWindow *self)
{
  GListModel *roster = G_LIST_MODEL (cohort_session_get_roster (self->session));

  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);

      if (cohort_participant_get_role (p) == COHORT_ROLE_TEACHER)
        return p;
    }
  return NULL;
}

/* The other students in the class now, for "Waiting with you". */
static GStrv
companions (CohortClassWindow *self)
{
  GListModel *roster = G_LIST_MODEL (cohort_session_get_roster (self->session));
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);

      if (cohort_participant_get_role (p) == COHORT_ROLE_STUDENT && cohort_participant_get_online (p) &&
          !cohort_participant_get_waiting (p) && !cohort_participant_get_is_self (p))
        g_strv_builder_add (names, cohort_participant_get_name (p));
    }
  return g_strv_builder_end (names);
}

gboolean
_cohort_class_window_lesson_teacher_away (CohortClassWindow *self)
{
  CohortParticipant *teacher;

  if (self->session == NULL || self->is_teacher ||
      cohort_lesson_get_state (lesson_of (self)) != COHORT_LESSON_STATE_LIVE)
    return FALSE;
  teacher = find_teacher (self);
  return teacher != NULL && !cohort_participant_get_online (teacher);
}

/* A student's stage: the lesson not started yet or ended covers it; the
 * teacher who dropped out during the lesson is "reconnecting", which is
 * neither the end nor the "waiting for video" of a teacher who is there. */
void
_cohort_class_window_lesson_update (CohortClassWindow *self)
{
  CohortWaitingPage *page = COHORT_WAITING_PAGE (self->lesson_waiting_page);
  CohortLessonState state;
  gboolean student_in = !self->is_teacher && !self->removed &&
                        cohort_session_get_admission (self->session) == COHORT_ADMISSION_ADMITTED;
  gboolean away;

  if (self->session == NULL)
    return;
  state = cohort_lesson_get_state (lesson_of (self));
  away = _cohort_class_window_lesson_teacher_away (self);

  if (student_in && state != COHORT_LESSON_STATE_LIVE)
    {
      g_auto(GStrv) names = companions (self);

      cohort_waiting_page_set_class_title (page, cohort_session_get_class_title (self->session));
      cohort_waiting_page_set_mode (page, state == COHORT_LESSON_STATE_ENDED ? COHORT_WAITING_PAGE_ENDED
                                                                          : COHORT_WAITING_PAGE_NOT_STARTED);
      cohort_waiting_page_set_companions (page, (const char * const *) names);
    }
  gtk_widget_set_visible (self->lesson_waiting_page, student_in && state != COHORT_LESSON_STATE_LIVE);
  /* The student's Raise Hand is for a lesson: not on the waiting state
   * before it nor after it (class.raise-hand is off then too). */
  gtk_widget_set_visible (self->controls, !self->is_teacher && state == COHORT_LESSON_STATE_LIVE);

  gtk_widget_set_visible (self->start_lesson_button, self->is_teacher && state != COHORT_LESSON_STATE_LIVE);
  gtk_button_set_label (GTK_BUTTON (self->start_lesson_button),
                        state == COHORT_LESSON_STATE_ENDED ? _("_Start a New Lesson") : _("_Start Lesson"));
  cohort_template_name_controls (self->start_lesson_button);
  gtk_widget_set_visible (self->end_lesson_button, self->is_teacher && state == COHORT_LESSON_STATE_LIVE);
  gtk_widget_set_visible (self->lesson_group, self->is_teacher);

  if (!self->is_teacher)
    {
      adw_status_page_set_icon_name (self->stage_status, away ? "network-wireless-acquiring-symbolic"
                                                              : "camera-video-symbolic");
      adw_status_page_set_title (self->stage_status, away ? _("The Teacher Is Reconnecting…")
                                                          : _("Waiting for the Teacher’s Video"));
      adw_status_page_set_description (self->stage_status,
                                       away ? _("The teacher’s connection dropped. The lesson goes on as soon as they are back: stay in the class.")
                                            : _("You are in the class. The teacher’s video will appear here."));
      if (away && !self->removed && cohort_session_get_state (self->session) == COHORT_SESSION_STATE_JOINED)
        adw_window_title_set_subtitle (self->window_title, _("Teacher reconnecting…"));
    }

  /* Every action that depends on the lesson (Raise Hand too). */
  _cohort_class_window_update_actions (self);
}

void
_cohort_class_window_lesson_update_actions (CohortClassWindow *self)
{
  CohortLessonState state = self->session != NULL ? cohort_lesson_get_state (lesson_of (self))
                                                  : COHORT_LESSON_STATE_NOT_STARTED;
  gboolean teacher = self->session != NULL && self->is_teacher && in_class (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.start-lesson", teacher && state != COHORT_LESSON_STATE_LIVE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.end-lesson", teacher && state == COHORT_LESSON_STATE_LIVE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.show-attendance", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.show-insights", teacher);
}

/* ---- a student's summary when the lesson ends ---- */

static void
summary_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CohortClassWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortLessonSummary) summary = cohort_lesson_summary_finish (COHORT_LESSON (object), result, &error);
  CohortLessonSummaryDialog *dialog;

  if (summary == NULL)
    {
      _cohort_class_window_show_error (self, error);
      return;
    }
  if (self->removed)
    return;
  dialog = cohort_lesson_summary_dialog_new (GTK_WINDOW (self), cohort_session_get_class_title (self->session),
                                             summary);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_lesson_state (CohortClassWindow *self)
{
  CohortLessonState state = cohort_lesson_get_state (lesson_of (self));

  /* Seen ending (not joined after the end): the student's summary. */
  if (!self->is_teacher && state == COHORT_LESSON_STATE_ENDED &&
      self->lesson_state_seen == COHORT_LESSON_STATE_LIVE)
    cohort_lesson_summary_async (lesson_of (self), self->cancellable, summary_cb, g_object_ref (self));
  if (self->is_teacher && state == COHORT_LESSON_STATE_LIVE && self->lesson_state_seen != COHORT_LESSON_STATE_LIVE &&
      self->lesson_state_seen != -1)
    cohort_class_window_add_toast (self, _("The lesson has started"));
  self->lesson_state_seen = state;
  _cohort_class_window_lesson_update (self);
}

/* ---- the teacher's actions ---- */

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortClassWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_lesson_change_finish (COHORT_LESSON (object), result, &error))
    _cohort_class_window_show_error (self, error);
}

static void
start_lesson_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  cohort_lesson_start_async (lesson_of (self), self->cancellable, change_cb, g_object_ref (self));
}

static void
end_response_cb (AdwMessageDialog  *dialog,
                 const char        *response,
                 CohortClassWindow *self)
{
  if (g_strcmp0 (response, "end") == 0)
    cohort_lesson_end_async (lesson_of (self), self->cancellable, change_cb, g_object_ref (self));
}

static void
end_lesson_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("End the Class for Everyone?"),
                                                       _("The lesson ends for every student, and each sees a summary of it. Attendance stops counting.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "end", _("_End Class"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (end_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_attendance_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (cohort_attendance_dialog_new (GTK_WINDOW (self), lesson_of (self))));
}

/* The Insights page: open during a lesson and between lessons; its model
 * asks the server again on each insights.changed while the page lives. */
static void
show_insights_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  g_autoptr(CohortInsights) insights = cohort_insights_new (self->session);

  gtk_window_present (GTK_WINDOW (cohort_insights_page_new (GTK_WINDOW (self), insights)));
}

/* ---- leaving ---- */

const char *
_cohort_class_window_lesson_leave_body (CohortClassWindow *self)
{
  if (!self->is_teacher)
    return _("You can join again later with the same class code.");
  if (cohort_lesson_get_state (lesson_of (self)) == COHORT_LESSON_STATE_LIVE)
    return _("The lesson goes on: students see that you are reconnecting until you come back. To end it for everyone, use End Class.");
  return _("You can open the class again later from Your Classes, or with the teacher key.");
}

gboolean
_cohort_class_window_lesson_close_request (CohortClassWindow *self)
{
  if (self->session == NULL || !in_class (self) ||
      cohort_lesson_get_state (lesson_of (self)) != COHORT_LESSON_STATE_LIVE)
    return FALSE;

  /* The same question as the Leave button; leaving closes the window. */
  gtk_widget_activate_action (GTK_WIDGET (self), "class.leave", NULL);
  return TRUE;
}

void
_cohort_class_window_lesson_setup (CohortClassWindow *self)
{
  CohortLesson *lesson = lesson_of (self);

  self->lesson_state_seen = -1;
  g_signal_connect_object (lesson, "notify::state", G_CALLBACK (on_lesson_state), self, G_CONNECT_SWAPPED);
  /* Presence, a snapshot or an admission change who waits and whether
   * the teacher is there. */
  g_signal_connect_object (self->session, "event-received", G_CALLBACK (_cohort_class_window_lesson_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_session_get_roster (self->session), "items-changed",
                           G_CALLBACK (_cohort_class_window_lesson_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::admission", G_CALLBACK (_cohort_class_window_lesson_update), self,
                           G_CONNECT_SWAPPED);
  on_lesson_state (self);
}

void
_cohort_class_window_lesson_class_init (CohortClassWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (COHORT_TYPE_WAITING_PAGE);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, lesson_waiting_page);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, start_lesson_button);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, end_lesson_button);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, end_lesson_icon);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, lesson_group);

  gtk_widget_class_install_action (widget_class, "class.start-lesson", NULL, start_lesson_action);
  gtk_widget_class_install_action (widget_class, "class.end-lesson", NULL, end_lesson_action);
  gtk_widget_class_install_action (widget_class, "class.show-attendance", NULL, show_attendance_action);
  gtk_widget_class_install_action (widget_class, "class.show-insights", NULL, show_insights_action);
}
