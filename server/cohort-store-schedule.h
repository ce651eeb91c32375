/* cohort-store-schedule.h: the class's planned lessons, their cancelled
 * occurrences and the members' calendar keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-schedule-rule.h"
#include "cohort-store.h"

G_BEGIN_DECLS

/* One planned lesson series (a one-off lesson is a series of one), in
 * the teacher's zone: docs/architecture-schedule.md. */
typedef struct
{
  gint64              id;
  gint64              class_id;
  char               *title;
  CohortScheduleDate  first;          /* the first lesson's local date */
  guint               hour;
  guint               minute;
  char               *zone;           /* IANA name, checked on the way in */
  guint               duration_min;
  gboolean            weekly;
  guint               count;          /* weekly: 0 no limit */
  CohortScheduleDate  until;          /* weekly: 0 none */
  gboolean            cancelled;      /* the whole series */
  GArray             *exceptions;     /* CohortScheduleDate: cancelled occurrences, in order */
  gint64              updated_at;     /* ms */
} CohortScheduleLessonRecord;

/* One occurrence of a series, ready to show. */
typedef struct
{
  gint64              lesson_id;
  char               *title;
  CohortScheduleDate  date;           /* local date in @zone */
  gint64              start_ms;       /* UTC */
  guint               duration_min;
  char               *zone;
  guint               hour;           /* the teacher's wall clock */
  guint               minute;
} CohortScheduleOccurrenceRecord;

CohortScheduleLessonRecord     *cohort_schedule_lesson_record_new     (void);
void                            cohort_schedule_lesson_record_free     (CohortScheduleLessonRecord     *record);
void                            cohort_schedule_occurrence_record_free (CohortScheduleOccurrenceRecord *record);
/* @record's rule; points into @record, which must outlive it. */
void                            cohort_schedule_lesson_record_rule     (const CohortScheduleLessonRecord *record,
                                                                        CohortScheduleRule               *out_rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortScheduleLessonRecord, cohort_schedule_lesson_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortScheduleOccurrenceRecord, cohort_schedule_occurrence_record_free)

/* CohortScheduleLessonRecord of @class_id, by id, cancelled ones too. */
GPtrArray                  *cohort_store_schedule_list       (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
/* NULL without error when @class_id has no lesson @lesson_id. */
CohortScheduleLessonRecord *cohort_store_schedule_get        (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        lesson_id,
                                                              GError      **error);
/* -1 on error. */
gint64                      cohort_store_schedule_count      (CohortStore  *self,
                                                              gint64        class_id,
                                                              GError      **error);
/* Stores a new series (its id and exceptions are ignored); its id, 0 on error. */
gint64                      cohort_store_schedule_insert     (CohortStore                      *self,
                                                              const CohortScheduleLessonRecord *record,
                                                              GError                          **error);
/* Replaces every field of @record's series but its exceptions and cancelled flag. */
gboolean                    cohort_store_schedule_update     (CohortStore                      *self,
                                                              const CohortScheduleLessonRecord *record,
                                                              GError                          **error);
gboolean                    cohort_store_schedule_cancel     (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        lesson_id,
                                                              gint64        updated_at,
                                                              GError      **error);
/* Cancels one occurrence; a date already cancelled is no error. */
gboolean                    cohort_store_schedule_add_exception (CohortStore        *self,
                                                                 gint64              class_id,
                                                                 gint64              lesson_id,
                                                                 CohortScheduleDate  date,
                                                                 gint64              updated_at,
                                                                 GError            **error);
/* CohortScheduleOccurrenceRecord: @class_id's held occurrences that end
 * after @from_ms and start before @to_ms (UTC ms), in start order, at
 * most @max. NULL only on error. */
GPtrArray                  *cohort_store_schedule_upcoming   (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        from_ms,
                                                              gint64        to_ms,
                                                              guint         max,
                                                              GError      **error);
/* The class's next lesson that is not cancelled and has not ended at
 * @now_utc (ms since the epoch): a lesson under way counts. NULL without
 * error when none is planned; NULL with @error on error. */
CohortScheduleOccurrenceRecord *cohort_store_schedule_next   (CohortStore  *self,
                                                              gint64        class_id,
                                                              gint64        now_utc,
                                                              GError      **error);

/* Calendar keys: one per member, stored hashed; setting a new one
 * replaces (revokes) the old. */
gboolean                    cohort_store_schedule_set_calendar_key    (CohortStore  *self,
                                                                       gint64        class_id,
                                                                       gint64        participant_id,
                                                                       const char   *key_hash,
                                                                       gint64        created_at,
                                                                       GError      **error);
gboolean                    cohort_store_schedule_revoke_calendar_key (CohortStore  *self,
                                                                       gint64        class_id,
                                                                       gint64        participant_id,
                                                                       GError      **error);
/* The member of @class_id whose key hashes to @key_hash; 0 (no error)
 * when none, -1 on error. */
gint64                      cohort_store_schedule_calendar_member     (CohortStore  *self,
                                                                       gint64        class_id,
                                                                       const char   *key_hash,
                                                                       GError      **error);

G_END_DECLS
