/* cohort-ai-service.h: the AI helper's proxy to the school's LLM endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-ai-config.h"
#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_AI_SERVICE (cohort_ai_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiService, cohort_ai_service, COHORT, AI_SERVICE, CohortService)

CohortAiService *cohort_ai_service_new (CohortServer *server);

/* Turns the helper on with @config (copied), or off with NULL. Call after
 * cohort_assembly_new_server(); main.c does it from the keyfile's [ai] group. */
void cohort_ai_service_configure             (CohortServer         *server,
                                              const CohortAiConfig *config);

/* The quiz lock: while it returns TRUE for a class, ai.ask is refused with
 * ai_quiz_lock and answers being streamed stop. The assembly
 * (cohort_assembly_new_server()) sets the quiz service's; without one,
 * nothing locks. */
typedef gboolean (*CohortAiQuizLockFunc) (CohortServer *server,
                                          gint64        class_id,
                                          gpointer      user_data);

void cohort_ai_service_set_quiz_lock_func    (CohortAiService      *self,
                                              CohortAiQuizLockFunc  func,
                                              gpointer              user_data);

/* The quiz lock of @class_id may have changed: sends the class ai.lock
 * {"locked"} when it differs from the last one sent. The assembly calls
 * it from the quiz service's CohortQuizLockChangedFunc. */
void cohort_ai_service_quiz_lock_changed     (CohortAiService      *self,
                                              gint64                class_id);

/* practice.why: asks @text for @req's student as ai.ask does (same
 * checks, quotas, policy, streaming and reply), with @context (the
 * practice question, the student's answer, the explanation) added to the
 * system prompt. */
gboolean cohort_ai_service_ask_about         (CohortAiService      *self,
                                              CohortRequest        *req,
                                              const char           *text,
                                              const char           *context,
                                              GError              **error);

/* Where nudges find a weak knowledge point: the name of @participant_id's
 * weakest point from their own practice in @class_id, or NULL (none, or
 * an error in @error). The assembly sets the practice service's
 * cohort_practice_service_weak_point(); without one, no such nudge. */
typedef char *(*CohortAiWeakPointFunc) (CohortServer  *server,
                                        gint64         class_id,
                                        gint64         participant_id,
                                        gpointer       user_data,
                                        GError       **error);

void cohort_ai_service_set_weak_point_func   (CohortAiService       *self,
                                              CohortAiWeakPointFunc  func,
                                              gpointer               user_data);

/* The student is back in the class (practised, asked, opened its
 * window): the nudges of the 24 hours before count as "came back". */
gboolean cohort_ai_service_came_back         (CohortAiService      *self,
                                              gint64                class_id,
                                              gint64                participant_id,
                                              GError              **error);

/* GET /api/v1/home's nudge (a CohortHomeProgressFunc, @user_data the
 * service): decides one now when it is due (stored at once from the
 * template, or once the school's model has written it: a later poll
 * shows it), and returns the student's newest nudge of the last 24 hours
 * while they and the teacher allow nudges, or NULL. */
JsonObject *cohort_ai_service_home_nudge     (CohortServer         *server,
                                              gint64                class_id,
                                              gint64                participant_id,
                                              gpointer              user_data);

/* The anonymous topic words of one question (at most 3; for tests). */
GStrv _cohort_ai_service_topic_words         (const char           *question);

G_END_DECLS
