/* cohort-home-entry.h: one kept class on the student's home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-lesson.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_HOME_STATUS_LOADING,     /* never heard from yet */
  COHORT_HOME_STATUS_READY,
  COHORT_HOME_STATUS_OFFLINE,     /* the last fetch failed: figures may be old */
  COHORT_HOME_STATUS_SIGNED_OUT,  /* the server no longer knows the token */
} CohortHomeStatus;

/* A class the app keeps a token of, as GET /api/v1/home last told
 * (docs/protocol-home.md). CohortHomeModel fills it in.
 *
 * Properties (read-only, all notify): server-url, code, status
 * (CohortHomeStatus), error-message, title (the code until loaded),
 * teacher-name, student-name, lesson-state (CohortLessonState), live
 * (lesson-state is live), archived, has-progress, streak,
 * checked-in-today, points-week, unread-teacher, unread-group,
 * last-chat-id, last-group-id, next-lesson-at (ms; 0: none known),
 * next-lesson-id (0: none), next-lesson-title, teacher (the token is
 * the class's teacher's: no progress, no unread counts), nudge-id and
 * nudge-text (the helper's message between lessons while it is not
 * opened; 0 and NULL: none).
 * Read-write: since-chat, since-group, the positions the student has
 * seen the chat up to (the next fetch counts after them). */
#define COHORT_TYPE_HOME_ENTRY (cohort_home_entry_get_type ())
G_DECLARE_FINAL_TYPE (CohortHomeEntry, cohort_home_entry, COHORT, HOME_ENTRY, GObject)

CohortHomeEntry   *cohort_home_entry_new               (const char      *server_url,
                                                        const char      *code,
                                                        const char      *token);
const char        *cohort_home_entry_get_server_url    (CohortHomeEntry *self);
const char        *cohort_home_entry_get_code          (CohortHomeEntry *self);
/* The participant token the entry signs in with. */
const char        *cohort_home_entry_get_token         (CohortHomeEntry *self);
CohortHomeStatus   cohort_home_entry_get_status        (CohortHomeEntry *self);
const char        *cohort_home_entry_get_error_message (CohortHomeEntry *self);
const char        *cohort_home_entry_get_title         (CohortHomeEntry *self);
const char        *cohort_home_entry_get_teacher_name  (CohortHomeEntry *self);
const char        *cohort_home_entry_get_student_name  (CohortHomeEntry *self);
CohortLessonState  cohort_home_entry_get_lesson_state  (CohortHomeEntry *self);
gboolean           cohort_home_entry_get_live          (CohortHomeEntry *self);
gboolean           cohort_home_entry_get_archived      (CohortHomeEntry *self);
gboolean           cohort_home_entry_get_has_progress  (CohortHomeEntry *self);
gint64             cohort_home_entry_get_streak        (CohortHomeEntry *self);
gboolean           cohort_home_entry_get_checked_in_today (CohortHomeEntry *self);
gint64             cohort_home_entry_get_points_week   (CohortHomeEntry *self);
gint64             cohort_home_entry_get_unread_teacher (CohortHomeEntry *self);
gint64             cohort_home_entry_get_unread_group  (CohortHomeEntry *self);
gint64             cohort_home_entry_get_last_chat_id  (CohortHomeEntry *self);
gint64             cohort_home_entry_get_last_group_id (CohortHomeEntry *self);
gint64             cohort_home_entry_get_next_lesson_at (CohortHomeEntry *self);
gint64             cohort_home_entry_get_next_lesson_id (CohortHomeEntry *self);
const char        *cohort_home_entry_get_next_lesson_title (CohortHomeEntry *self);
gboolean           cohort_home_entry_get_teacher       (CohortHomeEntry *self);
gint64             cohort_home_entry_get_since_chat    (CohortHomeEntry *self);
gint64             cohort_home_entry_get_since_group   (CohortHomeEntry *self);
gint64             cohort_home_entry_get_nudge_id      (CohortHomeEntry *self);
const char        *cohort_home_entry_get_nudge_text    (CohortHomeEntry *self);
/* The student saw the chat up to these ids: the unread counts drop at
 * once (to 0 when they reach the last ids), and later fetches count
 * after them. */
void               cohort_home_entry_set_seen          (CohortHomeEntry *self,
                                                        gint64           since_chat,
                                                        gint64           since_group);

G_END_DECLS
