/* cohort-janus-client.h: one Janus API session over a WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-janus-handle.h"

G_BEGIN_DECLS

#define COHORT_JANUS_ERROR (cohort_janus_error_quark ())
GQuark cohort_janus_error_quark (void);

/* Janus core errors keep their numeric codes (403 unauthorized, 458 session
 * not found, …); plugin errors use the plugin's error_code. */
typedef enum
{
  COHORT_JANUS_ERROR_PROTOCOL = 1,   /* a malformed or unexpected reply */
  COHORT_JANUS_ERROR_CLOSED   = 2,   /* the socket closed, request aborted */
} CohortJanusErrorEnum;

/* One CohortJanusClient is one WebSocket carrying one Janus session, kept
 * alive every 25 s. Requests are matched to replies by transaction id. The
 * "closed" signal fires once when the socket goes away (Janus died, say);
 * every pending request then fails with COHORT_JANUS_ERROR_CLOSED. */
#define COHORT_TYPE_JANUS_CLIENT (cohort_janus_client_get_type ())
G_DECLARE_FINAL_TYPE (CohortJanusClient, cohort_janus_client, COHORT, JANUS_CLIENT, GObject)

CohortJanusClient *cohort_janus_client_new             (const char          *uri,
                                                        const char          *api_secret);
void               cohort_janus_client_connect_async   (CohortJanusClient   *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           cohort_janus_client_connect_finish  (CohortJanusClient   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void               cohort_janus_client_attach_async    (CohortJanusClient   *self,
                                                        const char          *plugin,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
CohortJanusHandle *cohort_janus_client_attach_finish   (CohortJanusClient   *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
gboolean           cohort_janus_client_is_connected    (CohortJanusClient   *self);
void               cohort_janus_client_close           (CohortJanusClient   *self);
guint64            cohort_janus_client_get_session_id  (CohortJanusClient   *self);

G_END_DECLS
