/* cohort-lesson.h: where the class's lesson is: not started, live or ended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  COHORT_LESSON_STATE_NOT_STARTED,
  COHORT_LESSON_STATE_LIVE,
  COHORT_LESSON_STATE_ENDED,
} CohortLessonState;

/* One student's attendance of one lesson (lesson.attendance). */
typedef struct
{
  gint64  participant_id;
  char   *name;
  gint64  joined_at;       /* ms since the epoch */
  gint64  left_at;         /* ms; 0: still in the class */
  gint64  present_ms;      /* every stretch in the class, summed */
  guint   visits;
} CohortAttendanceRow;

void cohort_attendance_row_free (CohortAttendanceRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAttendanceRow, cohort_attendance_row_free)

/* What the student did during a lesson (lesson.summary). */
typedef struct
{
  gint64   duration_ms;    /* from the start to the end (or to now) */
  gint64   points;         /* points earned since the start; -1: unknown */
  guint    quiz_answered;
  guint    quiz_correct;
  double   quiz_points;
  GStrv    badges;         /* badge kinds (cohort_badge_kind_get_title) */
  gint64   next_at;        /* ms; 0: no next lesson known */
} CohortLessonSummary;

void cohort_lesson_summary_free (CohortLessonSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortLessonSummary, cohort_lesson_summary_free)

/* The rows as CSV (RFC 4180, UTF-8, a header line): student, joined,
 * left (empty while still there), minutes (one decimal) and visits; times
 * as "YYYY-MM-DD HH:MM:SS" in @tz (NULL: local). */
char *cohort_attendance_to_csv (GPtrArray *rows,
                                GTimeZone *tz);

/* The session's lesson (cohort_session_get_lesson()), fed by its welcome
 * and its lesson.changed events; a server that sends no lesson counts as
 * live, so that its classes open as before.
 *
 * Properties (all notify): state (CohortLessonState), number, started-at,
 * ended-at, next-at (ms; 0: none or unknown). */
#define COHORT_TYPE_LESSON (cohort_lesson_get_type ())
G_DECLARE_FINAL_TYPE (CohortLesson, cohort_lesson, COHORT, LESSON, GObject)

CohortLessonState    cohort_lesson_get_state         (CohortLesson         *self);
gint64               cohort_lesson_get_number        (CohortLesson         *self);
gint64               cohort_lesson_get_started_at    (CohortLesson         *self);
gint64               cohort_lesson_get_ended_at      (CohortLesson         *self);
gint64               cohort_lesson_get_next_at       (CohortLesson         *self);

/* Teacher: lesson.start (after the end: the next lesson) or lesson.end,
 * through the outbox; the reply's lesson is applied at once. */
void                 cohort_lesson_start_async       (CohortLesson         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
void                 cohort_lesson_end_async         (CohortLesson         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean             cohort_lesson_change_finish     (CohortLesson         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* Teacher: the attendance of lesson @number (0: this one). Returns a
 * GPtrArray of CohortAttendanceRow (free func set), in name order. */
void                 cohort_lesson_attendance_async  (CohortLesson         *self,
                                                      gint64                number,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray           *cohort_lesson_attendance_finish (CohortLesson         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* The viewer's own summary of this lesson. */
void                 cohort_lesson_summary_async     (CohortLesson         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CohortLessonSummary *cohort_lesson_summary_finish    (CohortLesson         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
