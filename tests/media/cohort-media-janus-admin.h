/* cohort-media-janus-admin.h: the rig's Janus, read through its Admin API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The embedded Janus of a server started with [janus] admin_api=true (the
 * media rig does): its admin port and secret are read from the private
 * configuration directory named on its command line, as only a process of
 * the same user on the same host can. Every call is synchronous (it
 * iterates the thread-default main context) and asserts success. */
typedef struct _CohortJanusAdmin CohortJanusAdmin;

CohortJanusAdmin *cohort_janus_admin_connect      (GPid              janus_pid);
void              cohort_janus_admin_free         (CohortJanusAdmin *admin);
/* Sends {"janus": @request} (with the session and handle ids when not 0)
 * and returns the success reply. */
JsonObject       *cohort_janus_admin_request      (CohortJanusAdmin *admin,
                                                   const char       *request,
                                                   gint64            session_id,
                                                   gint64            handle_id);
/* The handle_info "info" object of every handle of every session. */
GPtrArray        *cohort_janus_admin_handle_infos (CohortJanusAdmin *admin);

/* The medium of @type ("audio", "video") of the subscriber handle whose
 * PeerConnection reaches the client at @address (NULL if none);
 * @n_handles counts such handles. */
JsonObject       *cohort_janus_admin_subscriber_medium (CohortJanusAdmin *admin,
                                                        const char       *address,
                                                        const char       *type,
                                                        guint            *n_handles);
/* A figure of a medium: @section "rtcp" (its rtcp.main), "in" or "out"
 * (its stats.in, stats.out: "in" is what Janus received from the peer,
 * NACKs included), or "" (the medium itself); 0 when absent. */
gint64            cohort_janus_admin_medium_stat       (JsonObject       *medium,
                                                        const char       *section,
                                                        const char       *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortJanusAdmin, cohort_janus_admin_free)

G_END_DECLS
