/* cohort-lesson-reminders.h: the reminder before each kept class's next
 * lesson, from the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-home-model.h"

G_BEGIN_DECLS

/* The one place that reminds of lessons: a CohortHomeModel of every kept
 * class (student and teacher tokens), polled as the home is, and a
 * GNotification "lesson-reminder-minutes" (GSettings) before each class's
 * next lesson, whether a class window is open or not. Once per
 * occurrence (lesson id and start), remembered in the token store so a
 * restart does not repeat it; withdrawn when the lesson moves or is
 * cancelled. Its default action is app.open-class ((ss): the server and
 * the class code), which resumes with the kept token.
 *
 * Properties: n-sent (reminders sent since it was made). */
#define COHORT_TYPE_LESSON_REMINDERS (cohort_lesson_reminders_get_type ())
G_DECLARE_FINAL_TYPE (CohortLessonReminders, cohort_lesson_reminders, COHORT, LESSON_REMINDERS, GObject)

CohortLessonReminders *cohort_lesson_reminders_new       (GApplication          *application);
/* Takes the kept classes from the token store again, and asks their
 * servers now. */
void                   cohort_lesson_reminders_reload    (CohortLessonReminders *self);
CohortHomeModel       *cohort_lesson_reminders_get_model (CohortLessonReminders *self);
/* The occurrence ("<lesson id>@<start ms>") whose reminder is on screen
 * for the class, or NULL. */
const char            *cohort_lesson_reminders_get_shown (CohortLessonReminders *self,
                                                          const char            *server_url,
                                                          const char            *code);
guint                  cohort_lesson_reminders_get_n_sent (CohortLessonReminders *self);
/* The notification id of the class's reminder (free it). */
char                  *cohort_lesson_reminders_notification_id (const char *server_url,
                                                                const char *code);

G_END_DECLS
