/* cohort-janus-handle.h: one plugin handle inside a Janus session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Signals (main context): event (JsonObject *data, JsonObject *jsep or
 * NULL) for plugin events not tied to a request; webrtcup; media (type,
 * receiving); slowlink (uplink, lost); hangup (reason); detached. */
#define COHORT_TYPE_JANUS_HANDLE (cohort_janus_handle_get_type ())
G_DECLARE_FINAL_TYPE (CohortJanusHandle, cohort_janus_handle, COHORT, JANUS_HANDLE, GObject)

guint64     cohort_janus_handle_get_id               (CohortJanusHandle   *self);
/* Completes when the plugin answered, synchronously ("success") or through
 * the event for this transaction ("ack" then "event"). */
void        cohort_janus_handle_send_message_async   (CohortJanusHandle   *self,
                                                      JsonObject          *body,
                                                      const char          *jsep_type,
                                                      const char          *jsep_sdp,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Returns the plugin's data ("plugindata.data"); @out_jsep gets the JSEP
 * that came with it, if any. Plugin errors become COHORT_JANUS_ERROR. */
JsonObject *cohort_janus_handle_send_message_finish  (CohortJanusHandle   *self,
                                                      GAsyncResult        *result,
                                                      JsonObject         **out_jsep,
                                                      GError             **error);
void        cohort_janus_handle_trickle              (CohortJanusHandle   *self,
                                                      guint                mline_index,
                                                      const char          *candidate);
void        cohort_janus_handle_trickle_completed    (CohortJanusHandle   *self);
void        cohort_janus_handle_detach               (CohortJanusHandle   *self);
gboolean    cohort_janus_handle_is_detached          (CohortJanusHandle   *self);

G_END_DECLS
