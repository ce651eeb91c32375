/* cohort-home-service.h: GET /api/v1/home, a class as a student's home
 * shows it between lessons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_HOME_SERVICE (cohort_home_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortHomeService, cohort_home_service, COHORT, HOME_SERVICE, CohortService)

#define COHORT_HOME_PATH "/api/v1/home"

/* A student's progress now (the groups.progress body); NULL: unknown. */
typedef JsonObject *(*CohortHomeProgressFunc) (CohortServer *server,
                                               gint64        class_id,
                                               gint64        participant_id,
                                               gpointer      user_data);

/* The query of GET /api/v1/home: since_chat and since_group, each at
 * most once, decimal digits without a sign or leading zero, 0 … 2^53 − 1,
 * nothing else, at most COHORT_HOME_MAX_QUERY bytes. A pure function over
 * text (fuzz/fuzz-home-query.c). FALSE with *@out_field naming what is at
 * fault ("since_chat", "since_group" or "query"). */
#define COHORT_HOME_MAX_QUERY 128
gboolean           cohort_home_parse_query               (const char   *query,
                                                          gint64       *out_since_chat,
                                                          gint64       *out_since_group,
                                                          const char  **out_field);

CohortHomeService *cohort_home_service_new               (CohortServer           *server);
/* Where the home reads streaks and points (the groups ledger). */
void               cohort_home_service_set_progress_func (CohortHomeService      *self,
                                                          CohortHomeProgressFunc  func,
                                                          gpointer                user_data);

/* The helper's nudge for a student's home (docs/protocol-home.md,
 * `nudge`): the same form, NULL for none. */
typedef CohortHomeProgressFunc CohortHomeNudgeFunc;

/* Where the home gets a student's due nudge (the helper). */
void               cohort_home_service_set_nudge_func    (CohortHomeService      *self,
                                                          CohortHomeNudgeFunc     func,
                                                          gpointer                user_data);

G_END_DECLS
