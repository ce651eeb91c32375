/* cohort-ai-service.h: the AI helper's proxy to the school's LLM endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-ai-config.h"
#include "cohort-server.h"

G_BEGIN_DECLS

/* Turns the helper on with @config (copied), or off with NULL. Call after
 * cohort_server_new(); main.c does it from the keyfile's [ai] group. */
void cohort_ai_service_configure             (CohortServer         *server,
                                              const CohortAiConfig *config);

/* The quiz lock: while it returns TRUE for a class, ai.ask is refused with
 * ai_quiz_lock and answers being streamed stop. Without a function set
 * here, the service asks _cohort_quiz_service_is_running() when the quiz
 * service provides it. */
typedef gboolean (*CohortAiQuizLockFunc) (CohortServer *server,
                                          gint64        class_id,
                                          gpointer      user_data);

void _cohort_ai_service_set_quiz_lock_func   (CohortServer         *server,
                                              CohortAiQuizLockFunc  func,
                                              gpointer              user_data);

/* The anonymous topic words of one question (at most 3; for tests). */
GStrv _cohort_ai_service_topic_words         (const char           *question);

G_END_DECLS
