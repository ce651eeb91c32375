/* cohort-connection.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cohort-durability.h"
#include "cohort-socket-hub.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_RATE_OK,
  COHORT_RATE_LIMITED,
  COHORT_RATE_FLOOD,
} CohortRateResult;

#define COHORT_TYPE_CONNECTION (cohort_connection_get_type ())
G_DECLARE_FINAL_TYPE (CohortConnection, cohort_connection, COHORT, CONNECTION, GObject)

CohortConnection        *cohort_connection_new                 (GIOStream               *stream,
                                                                GSocket                 *socket,
                                                                CohortSocketHub         *hub,
                                                                guint64                  max_payload,
                                                                GError                 **error);
gboolean                 cohort_connection_is_open             (CohortConnection        *self);
void                     cohort_connection_send                (CohortConnection        *self,
                                                                const char              *json);
void                     cohort_connection_send_bytes          (CohortConnection        *self,
                                                                GBytes                  *frame);
void                     cohort_connection_send_run            (CohortConnection        *self,
                                                                GPtrArray               *frames);
/* scale: text frames and closes wait while @durability has a commit
 * outstanding (docs/architecture-scale.md); NULL (the default) sends at
 * once. */
void                     cohort_connection_set_durability      (CohortConnection        *self,
                                                                CohortDurability        *durability);
/* Sends the held frames of tickets up to @acked (and a close held behind
 * them); TRUE while frames are still held. */
gboolean                 _cohort_connection_release            (CohortConnection        *self,
                                                                guint64                  acked);
/* Forgets the held frames and closes the connection ("going away"). */
void                     _cohort_connection_drop_held          (CohortConnection        *self);
void                     cohort_connection_ping                (CohortConnection        *self,
                                                                gint64                   now_us);
gint64                   cohort_connection_get_last_ping       (CohortConnection        *self);
gint64                   cohort_connection_get_connected_at    (CohortConnection        *self);
void                     cohort_connection_close               (CohortConnection        *self,
                                                                gushort                  code,
                                                                const char              *reason);
void                     cohort_connection_abort               (CohortConnection        *self);
void                     cohort_connection_detach              (CohortConnection        *self);

/* Takes one frame from the token bucket at @now_us (monotonic). */
CohortRateResult         cohort_connection_take_frame          (CohortConnection        *self,
                                                                gint64                   now_us);
void                     cohort_connection_touch               (CohortConnection        *self,
                                                                gint64                   now_us);
gint64                   cohort_connection_get_last_activity   (CohortConnection        *self);

/* Identity once joined (class.create, class.join or resume). */
gboolean                 cohort_connection_is_joined           (CohortConnection        *self);
void                     cohort_connection_set_joined          (CohortConnection        *self,
                                                                gint64                   class_id,
                                                                gint64                   participant_id,
                                                                gboolean                 is_teacher);
void                     cohort_connection_clear_joined        (CohortConnection        *self);
gint64                   cohort_connection_get_class_id        (CohortConnection        *self);
gint64                   cohort_connection_get_participant_id  (CohortConnection        *self);
gboolean                 cohort_connection_is_teacher          (CohortConnection        *self);
/* The highest seq this connection has been sent; broadcasts skip older events. */
gint64                   cohort_connection_get_last_sent_seq   (CohortConnection        *self);
void                     cohort_connection_set_last_sent_seq   (CohortConnection        *self,
                                                                gint64                   seq);

const char              *cohort_connection_get_remote_host     (CohortConnection        *self);
void                     cohort_connection_set_remote_host     (CohortConnection        *self,
                                                                const char              *host);

/* Replies this connection was sent that the store does not keep (request
 * id → reply JSON, "" while in flight); see cohort_request_begin_volatile(). */
GHashTable              *cohort_connection_get_volatile_replies (CohortConnection       *self);
gboolean                 cohort_connection_get_batch           (CohortConnection        *self);
void                     cohort_connection_set_batch           (CohortConnection        *self,
                                                                gboolean                 batch);

G_END_DECLS
