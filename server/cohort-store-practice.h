/* cohort-store-practice.h: knowledge points, the log of graded answers the
 * mastery model folds, and its cached state (docs/architecture-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-mastery.h"
#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64    id;
  char     *name;
  gboolean  practice;
} CohortPracticePointRecord;

/* One graded answer the model folds: a practice answer, or a live quiz
 * answer once its run was revealed. */
typedef enum
{
  COHORT_PRACTICE_SOURCE_PRACTICE,
  COHORT_PRACTICE_SOURCE_QUIZ,
} CohortPracticeSource;

typedef struct
{
  gint64               id;
  gint64               participant_id;
  gint64               question_id;
  GArray              *point_ids;     /* gint64 */
  gboolean             correct;
  char                *answer;        /* JSON value; NULL for quiz answers */
  gint64               at;
  CohortPracticeSource source;
} CohortPracticeAnswerRecord;

typedef struct
{
  gint64             participant_id;
  gint64             point_id;
  CohortMasterySkill skill;
} CohortPracticeSkillRecord;

typedef struct
{
  gint64            question_id;
  CohortMasteryItem item;
} CohortPracticeItemRecord;

/* A bank question's live runs: has one been revealed, is one not yet. */
typedef struct
{
  gint64   question_id;
  gboolean revealed;
  gboolean unrevealed;
} CohortPracticeRunState;

void cohort_practice_point_record_free  (CohortPracticePointRecord  *record);
void cohort_practice_answer_record_free (CohortPracticeAnswerRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortPracticePointRecord, cohort_practice_point_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortPracticeAnswerRecord, cohort_practice_answer_record_free)

/* Knowledge points, by name (case folded). */
GPtrArray *cohort_store_practice_list_points   (CohortStore  *self,
                                                gint64        class_id,
                                                GError      **error);
/* The point whose folded name is @key, or 0. */
gint64     cohort_store_practice_find_point    (CohortStore  *self,
                                                gint64        class_id,
                                                const char   *key,
                                                GError      **error);
gint64     cohort_store_practice_add_point     (CohortStore  *self,
                                                gint64        class_id,
                                                const char   *name,
                                                const char   *key,
                                                gint64        created_at,
                                                GError      **error);
/* @name NULL keeps the name; @practice < 0 keeps the switch. */
gboolean   cohort_store_practice_update_point  (CohortStore  *self,
                                                gint64        point_id,
                                                const char   *name,
                                                const char   *key,
                                                int           practice,
                                                GError      **error);
gboolean   cohort_store_practice_delete_point  (CohortStore  *self,
                                                gint64        point_id,
                                                GError      **error);

/* The answer log, append only. Returns the new id or 0. */
gint64     cohort_store_practice_log_answer    (CohortStore                      *self,
                                                gint64                            class_id,
                                                const CohortPracticeAnswerRecord *record,
                                                GError                          **error);
/* The whole log of @class_id, oldest first (the recompute). */
GPtrArray *cohort_store_practice_list_log      (CohortStore  *self,
                                                gint64        class_id,
                                                GError      **error);
/* @participant_id's last @limit answers, newest first. */
GPtrArray *cohort_store_practice_list_history  (CohortStore  *self,
                                                gint64        class_id,
                                                gint64        participant_id,
                                                guint         limit,
                                                GError      **error);
/* Question ids @participant_id answered right since @since (a set of
 * gint64*, owned by the table). */
GHashTable *cohort_store_practice_recent_correct (CohortStore *self,
                                                  gint64       class_id,
                                                  gint64       participant_id,
                                                  gint64       since,
                                                  GError     **error);
/* Whether @participant_id's last practice answer to @question_id was
 * wrong; FALSE with no answer. */
gboolean   cohort_store_practice_last_wrong    (CohortStore  *self,
                                                gint64        class_id,
                                                gint64        participant_id,
                                                gint64        question_id,
                                                char        **out_answer,
                                                GError      **error);

/* The model's cache. @participant_id 0: every student of the class. */
GArray    *cohort_store_practice_list_skills   (CohortStore  *self,
                                                gint64        class_id,
                                                gint64        participant_id,
                                                GError      **error);
gboolean   cohort_store_practice_put_skill     (CohortStore                     *self,
                                                gint64                           class_id,
                                                const CohortPracticeSkillRecord *record,
                                                GError                         **error);
GArray    *cohort_store_practice_list_items    (CohortStore  *self,
                                                gint64        class_id,
                                                GError      **error);
gboolean   cohort_store_practice_put_item      (CohortStore                    *self,
                                                gint64                          class_id,
                                                const CohortPracticeItemRecord *record,
                                                GError                        **error);
/* The event seq up to which quiz.scored events were folded into the log. */
gint64     cohort_store_practice_get_cursor    (CohortStore  *self,
                                                gint64        class_id,
                                                GError      **error);
gboolean   cohort_store_practice_set_cursor    (CohortStore  *self,
                                                gint64        class_id,
                                                gint64        seq,
                                                GError      **error);
/* Each bank question's live runs (CohortPracticeRunState), from the quiz
 * module's quiz_runs: read only. */
GArray    *cohort_store_practice_list_run_states (CohortStore *self,
                                                  gint64       class_id,
                                                  GError     **error);

G_END_DECLS
