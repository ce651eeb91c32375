/* cohort-ai-test-server.h: a real cohort-server with an [ai] group
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cohort-test-client.h"

G_BEGIN_DECLS

#define COHORT_AI_TEST_KEY "sk-cohort-test-7f3a9c51e2d84b06a1c5"

typedef struct _CohortAiTestServer CohortAiTestServer;

/* Spawns $COHORT_SERVER --config with @ai_group (the body of an [ai]
 * group, NULL for none; "@KEYFILE@" is replaced by the path of a file
 * holding COHORT_AI_TEST_KEY) and G_MESSAGES_DEBUG=all. Everything it
 * prints is kept for cohort_ai_test_server_get_log(). */
CohortAiTestServer *cohort_ai_test_server_start   (const char         *ai_group);
const char         *cohort_ai_test_server_get_url (CohortAiTestServer *s);
/* The server's SQLite file (free with g_free). */
char               *cohort_ai_test_server_get_db_path (CohortAiTestServer *s);
/* Stops the server (SIGTERM) and starts it again on the same database
 * and settings; returns its new URL (the port changes). */
const char         *cohort_ai_test_server_restart (CohortAiTestServer *s);
/* Stops the server (SIGTERM) and returns all it printed. */
const char         *cohort_ai_test_server_stop    (CohortAiTestServer *s);
void                cohort_ai_test_server_free    (CohortAiTestServer *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiTestServer, cohort_ai_test_server_free)

/* An Etc zone whose local time now is about 13:00: daytime whatever the
 * hour a test runs, so the helper's quiet hours never hold (g_free). */
char               *cohort_ai_test_daytime_zone   (void);

/* ai.nudge as @client: the reply's nudge (a new reference), or NULL. */
JsonObject         *cohort_ai_test_nudge_of       (CohortTestClient   *client);
/* practice.answer: @answer (JSON text) to @question_id, which must succeed. */
void                cohort_ai_test_practice_answer (CohortTestClient  *client,
                                                    gint64             question_id,
                                                    const char        *answer);

G_END_DECLS
