/* cohort-knowledge-point.h: one knowledge point of a class, with one
 * student's mastery of it or the class's mean (docs/protocol-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  COHORT_MASTERY_NEW,
  COHORT_MASTERY_LEARNING,
  COHORT_MASTERY_MASTERED,
} CohortMasteryState;

/* Properties (read-only): point-id, name, practice (the teacher's switch),
 * questions (eligible bank questions), mastery (permille 0–1000, -1: no
 * answer; the student's own on CohortPractice, the class mean on
 * CohortMasteryHeatmap), answered, correct, state (CohortMasteryState),
 * due-at (ms; spaced review, 0: not mastered). */
#define COHORT_TYPE_KNOWLEDGE_POINT (cohort_knowledge_point_get_type ())
G_DECLARE_FINAL_TYPE (CohortKnowledgePoint, cohort_knowledge_point, COHORT, KNOWLEDGE_POINT, GObject)

/* From a point, mastery or heatmap column object as the server sends it;
 * NULL without an integer "point_id" and a "name". */
CohortKnowledgePoint *_cohort_knowledge_point_new_from_json (JsonObject           *object);

gint64                cohort_knowledge_point_get_point_id  (CohortKnowledgePoint *self);
const char           *cohort_knowledge_point_get_name      (CohortKnowledgePoint *self);
gboolean              cohort_knowledge_point_get_practice  (CohortKnowledgePoint *self);
guint                 cohort_knowledge_point_get_questions (CohortKnowledgePoint *self);
int                   cohort_knowledge_point_get_mastery   (CohortKnowledgePoint *self);
guint                 cohort_knowledge_point_get_answered  (CohortKnowledgePoint *self);
guint                 cohort_knowledge_point_get_correct   (CohortKnowledgePoint *self);
CohortMasteryState    cohort_knowledge_point_get_state     (CohortKnowledgePoint *self);
gint64                cohort_knowledge_point_get_due_at    (CohortKnowledgePoint *self);

G_END_DECLS
