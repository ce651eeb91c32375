/* cohort-identity-service.h: staff, access, waiting rooms and rosters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-protocol.h"
#include "cohort-server.h"
#include "cohort-service.h"
#include "cohort-store.h"

G_BEGIN_DECLS

#define COHORT_TYPE_IDENTITY_SERVICE (cohort_identity_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortIdentityService, cohort_identity_service, COHORT, IDENTITY_SERVICE, CohortService)

CohortIdentityService *cohort_identity_service_new (CohortServer *server);

/* Queries the server and the other services make of identity. */

/* Checks the request's staff_credential; answers the error itself. */
gboolean     _cohort_identity_authorize_staff  (CohortServer         *server,
                                                CohortConnection     *conn,
                                                CohortMessage        *request,
                                                CohortStaffRecord   **out_staff);
gboolean     _cohort_identity_class_created    (CohortServer         *server,
                                                gint64                class_id,
                                                gint64                staff_id,
                                                gboolean              waiting_room,
                                                GError              **error);
/* Whether staff created the class (the AI helper serves only those). */
gboolean     _cohort_identity_class_has_staff  (CohortServer         *server,
                                                gint64                class_id);
/* Never NULL without @error: a class from before has open defaults. */
CohortClassAccessRecord *
             _cohort_identity_get_access       (CohortServer         *server,
                                                gint64                class_id,
                                                GError              **error);
/* 1: the class's staff owner was revoked; 0: not, or no owner; -1: error. */
int          _cohort_identity_owner_revoked    (CohortServer         *server,
                                                const CohortClassAccessRecord *access,
                                                GError              **error);
void         _cohort_identity_add_class_fields (JsonObject           *class_json,
                                                const CohortClassAccessRecord *access);
/* A participant as the roster shows it (id, name, role, online,
 * hand_raised_at); the _participant_ form adds its "admission". */
JsonObject  *_cohort_identity_roster_json      (CohortParticipantRecord *record);
JsonObject  *_cohort_identity_participant_json (CohortParticipantRecord *record,
                                                gboolean              waiting);
/* NULL: the student may come in; else why not (`forbidden`). NULL with
 * @error set on a store failure. */
const char  *_cohort_identity_refuse_student   (CohortServer         *server,
                                                CohortConnection     *conn,
                                                CohortClassAccessRecord *access,
                                                CohortMemberRecord   *member,
                                                gboolean              personal,
                                                GError              **error);
void         _cohort_identity_set_waiting      (CohortServer         *server,
                                                CohortConnection     *conn,
                                                gint64                class_id,
                                                gint64                participant_id);
gboolean     _cohort_identity_waiting_now      (CohortServer         *server,
                                                gint64                participant_id,
                                                CohortConnection     *except);
gboolean     _cohort_identity_is_waiting       (CohortServer         *server,
                                                CohortConnection     *conn);
/* TRUE when it answered @request (a connection in a waiting room). */
gboolean     _cohort_identity_filter_request   (CohortServer         *server,
                                                CohortConnection     *conn,
                                                CohortMessage        *request);


G_END_DECLS
