/* cohort-store-lesson.h: a lesson's life cycle and attendance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_STORE_LESSON_NOT_STARTED,
  COHORT_STORE_LESSON_LIVE,
  COHORT_STORE_LESSON_ENDED,
} CohortStoreLessonState;

/* A class's lesson: the identity module numbers them (a new one opens
 * when staff come back to a class whose lesson is not live); this module
 * keeps when the teacher started and ended it. */
typedef struct
{
  gint64             class_id;
  gint64             number;       /* 0: a class from before lessons were numbered */
  CohortStoreLessonState state;
  gint64             started_at;   /* ms; 0: not started */
  gint64             ended_at;     /* ms; 0: not ended */
} CohortLessonRecord;

/* One student's attendance of one lesson, from their presence events. */
typedef struct
{
  gint64  participant_id;
  char   *name;
  gint64  first_joined_at;         /* ms: came (or was there at the start) */
  gint64  last_left_at;            /* ms; 0: still there */
  gint64  present_ms;              /* every stretch online during the lesson, summed */
  guint   visits;                  /* stretches online */
} CohortAttendanceRecord;

/* What one student did during one lesson. */
typedef struct
{
  guint    quiz_answered;
  guint    quiz_correct;
  double   quiz_points;
  GStrv    badges;                 /* badge kinds earned, oldest first */
} CohortLessonSummaryRecord;

void cohort_lesson_record_free         (CohortLessonRecord        *record);
void cohort_attendance_record_free     (CohortAttendanceRecord    *record);
void cohort_lesson_summary_record_free (CohortLessonSummaryRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortLessonRecord, cohort_lesson_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAttendanceRecord, cohort_attendance_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortLessonSummaryRecord, cohort_lesson_summary_record_free)

/* Lesson @number of @class_id, 0: the current (newest) one. NULL without
 * error when the class has no such lesson. */
CohortLessonRecord        *cohort_store_lesson_get        (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        number,
                                                           GError      **error);
gboolean                   cohort_store_lesson_set_started (CohortStore *self,
                                                           gint64        class_id,
                                                           gint64        number,
                                                           gint64        started_at,
                                                           GError      **error);
gboolean                   cohort_store_lesson_set_ended  (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        number,
                                                           gint64        ended_at,
                                                           GError      **error);
/* CohortAttendanceRecord of the students who were online during @lesson
 * (up to @now while it is live), in name order; empty before it started. */
GPtrArray                 *cohort_store_lesson_attendance (CohortStore              *self,
                                                           const CohortLessonRecord *lesson,
                                                           gint64                    now,
                                                           GError                  **error);
/* @participant_id's quiz answers and badges between @from and @to (ms). */
CohortLessonSummaryRecord *cohort_store_lesson_summary    (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           gint64        from,
                                                           gint64        to,
                                                           GError      **error);

G_END_DECLS
