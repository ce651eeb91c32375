/* cohort-ai-answer-view.h: one helper answer, its Markdown as widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COHORT_TYPE_AI_ANSWER_VIEW (cohort_ai_answer_view_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiAnswerView, cohort_ai_answer_view, COHORT, AI_ANSWER_VIEW, GtkWidget)

/* Paragraphs, headings and list items are labels; tables are GtkGrids and
 * code blocks scroll sideways with a Copy button. A link asks before it
 * opens ("open-uri" is emitted once the student agreed). Setting the text
 * again while an answer streams keeps the widgets of unchanged blocks. */
GtkWidget  *cohort_ai_answer_view_new          (void);
void        cohort_ai_answer_view_set_markdown (CohortAiAnswerView *self,
                                                const char         *markdown);
const char *cohort_ai_answer_view_get_markdown (CohortAiAnswerView *self);

G_END_DECLS
