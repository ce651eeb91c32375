/* cohort-store-insights.h: the teacher's insights: per-student figures
 * gathered from the class's records, the thresholds and the nudge log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"
#include "cohort-streak.h"

G_BEGIN_DECLS

/* A lesson the teacher started, oldest first. */
typedef struct
{
  gint64 number;
  gint64 started_at;               /* ms */
  gint64 ended_at;                 /* ms; 0: live */
  gboolean folded;                 /* its figures were read from insights_cells */
} CohortInsightsLesson;

/* What one student did during one lesson. */
typedef struct
{
  gint64 present_ms;
  gint64 stage_ms;
  guint  messages;                 /* chat messages sent, every channel */
  guint  questions;                /* of which asked as questions */
  guint  helpful;                  /* their answers the teacher marked helpful */
  guint  hands;                    /* hands raised */
  guint  reactions;                /* chat reactions */
  guint  quiz_answered;
  guint  quiz_correct;
} CohortInsightsCell;

typedef struct
{
  gint64              participant_id;
  char               *name;
  gint64              created_at;   /* ms: when they first joined the class */
  CohortInsightsCell *cells;        /* one per lesson, in the lessons' order */
  CohortStreak        streak;       /* folded from their check-ins, like the groups ledger */
  char               *tz;           /* their last check-in's zone; NULL: none */
  gint64              last_checkin_at;
  gint64              last_attended_at;  /* ms: last seen present during a lesson; 0: never */
  gboolean            online;            /* in the class now */
  guint               ai_questions;
  gint64              last_nudge_at;     /* 0: never nudged */
} CohortInsightsStudentRecord;

typedef struct
{
  GArray    *lessons;              /* CohortInsightsLesson */
  GPtrArray *students;             /* CohortInsightsStudentRecord, by participant id */
} CohortInsightsRecord;

typedef struct
{
  guint  absent_lessons;
  guint  streak_days;
  guint  accuracy_drop;
  guint  accuracy_lessons;
  guint  silent_lessons;
  char  *template;                 /* NULL: the default (translated by the service) */
} CohortInsightsSettingsRecord;

void cohort_insights_record_free          (CohortInsightsRecord         *record);
void cohort_insights_settings_record_free (CohortInsightsSettingsRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortInsightsRecord, cohort_insights_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortInsightsSettingsRecord, cohort_insights_settings_record_free)

/* Every student of @class_id with their figures per started lesson, up to
 * @now for a live one. Writes (the figures of lessons that ended since the
 * last call, folded once into insights_cells), so it runs inside the
 * caller's transaction. @previous, when not NULL, is an earlier result for
 * the same class: when the same lessons are folded and no student is new,
 * their cells are copied from it instead of read again (what a live
 * refresh saves). NULL with @error set on error. */
CohortInsightsRecord         *cohort_store_insights_collect      (CohortStore                *self,
                                                                  gint64                      class_id,
                                                                  gint64                      now,
                                                                  const CohortInsightsRecord *previous,
                                                                  GError                    **error);
/* Folds every ended lesson of @class_id not folded yet (and the check-ins
 * made since the last fold), as the next collect would: the lesson's end
 * pays for it, not the teacher's next look. */
gboolean                      cohort_store_insights_fold         (CohortStore  *self,
                                                                  gint64        class_id,
                                                                  gint64        now,
                                                                  GError      **error);
/* The classes with an ended lesson not folded yet (a store written before
 * lessons were folded at their end). */
GArray                       *cohort_store_insights_classes_to_fold (CohortStore  *self,
                                                                     GError      **error);
/* The class's thresholds; the defaults when it never set them. */
CohortInsightsSettingsRecord *cohort_store_insights_get_settings (CohortStore  *self,
                                                                  gint64        class_id,
                                                                  GError      **error);
gboolean                      cohort_store_insights_set_settings (CohortStore                        *self,
                                                                  gint64                              class_id,
                                                                  const CohortInsightsSettingsRecord *settings,
                                                                  GError                            **error);
/* Logs a nudge; returns its id, 0 on error. */
gint64                        cohort_store_insights_add_nudge    (CohortStore  *self,
                                                                  gint64        class_id,
                                                                  gint64        participant_id,
                                                                  gint64        by,
                                                                  gint64        message_id,
                                                                  gint64        at,
                                                                  GError      **error);
/* How many nudges @participant_id was sent; -1 on error. */
gint64                        cohort_store_insights_count_nudges (CohortStore  *self,
                                                                  gint64        class_id,
                                                                  gint64        participant_id,
                                                                  GError      **error);

G_END_DECLS
