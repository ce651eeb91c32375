/* cohort-schedule.h: the class's upcoming lessons, and the teacher's
 * edits of the schedule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-schedule-occurrence.h"

G_BEGIN_DECLS

/* A lesson series as the teacher describes it (schedule.create and
 * schedule.update, docs/protocol-schedule.md). */
typedef struct
{
  const char *title;
  const char *start;      /* "YYYY-MM-DDTHH:MM", the first lesson in @zone */
  const char *zone;       /* IANA name */
  guint       duration;   /* minutes */
  gboolean    weekly;
  guint       count;      /* weekly: how many lessons; 0: no limit */
  const char *until;      /* weekly: "YYYY-MM-DD", the last date; NULL: none */
} CohortScheduleLessonSpec;

/* The session's schedule (cohort_session_get_schedule()): a GListModel
 * of CohortScheduleOccurrence, the next lessons in start order, fed by
 * the welcome and schedule.changed; lessons drop out once they ended.
 *
 * Properties: next (CohortScheduleOccurrence, nullable: the first lesson
 * that has not ended).
 * Signals: changed (const char *change, const char *title, gint64
 * start_at): the teacher created, updated or cancelled a lesson
 * (COHORT_SCHEDULE_STR_*); @start_at is the lesson's next start, or the
 * cancelled one's, 0 when none is known (a whole series cancelled). */
#define COHORT_TYPE_SCHEDULE (cohort_schedule_get_type ())
G_DECLARE_FINAL_TYPE (CohortSchedule, cohort_schedule, COHORT, SCHEDULE, GObject)

CohortScheduleOccurrence *cohort_schedule_get_next        (CohortSchedule                 *self);

void      cohort_schedule_create_async       (CohortSchedule                 *self,
                                              const CohortScheduleLessonSpec *spec,
                                              GCancellable                   *cancellable,
                                              GAsyncReadyCallback             callback,
                                              gpointer                        user_data);
void      cohort_schedule_update_async       (CohortSchedule                 *self,
                                              gint64                          lesson_id,
                                              const CohortScheduleLessonSpec *spec,
                                              GCancellable                   *cancellable,
                                              GAsyncReadyCallback             callback,
                                              gpointer                        user_data);
/* One occurrence (@date, "YYYY-MM-DD" in the teacher's zone) or, with
 * @date NULL, the whole series. */
void      cohort_schedule_cancel_async       (CohortSchedule                 *self,
                                              gint64                          lesson_id,
                                              const char                     *date,
                                              GCancellable                   *cancellable,
                                              GAsyncReadyCallback             callback,
                                              gpointer                        user_data);
/* For create, update and cancel: the server's error, or TRUE. */
gboolean  cohort_schedule_change_finish      (CohortSchedule                 *self,
                                              GAsyncResult                   *result,
                                              GError                        **error);

/* A new calendar key for this member (revoking the previous one): the
 * feed's http(s) URL to subscribe to or download. */
void      cohort_schedule_calendar_url_async (CohortSchedule                 *self,
                                              GCancellable                   *cancellable,
                                              GAsyncReadyCallback             callback,
                                              gpointer                        user_data);
char     *cohort_schedule_calendar_url_finish (CohortSchedule                *self,
                                               GAsyncResult                  *result,
                                               GError                       **error);

G_END_DECLS
