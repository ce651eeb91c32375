/* cohort-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cohort-store.h"

G_BEGIN_DECLS

#define COHORT_TYPE_SERVER (cohort_server_get_type ())
G_DECLARE_FINAL_TYPE (CohortServer, cohort_server, COHORT, SERVER, GObject)

typedef void (*CohortServerDoneFunc) (gpointer user_data);

CohortServer *cohort_server_new                (CohortStore          *store);
/* Marks everyone the store still holds online (after a crash) offline, with
 * presence events. Call before listening. */
void          cohort_server_set_join_timeout   (CohortServer         *self,
                                                guint                 seconds);
gboolean      cohort_server_set_trusted_proxies (CohortServer        *self,
                                                 const char * const  *proxies,
                                                 GError             **error);
void          cohort_server_set_handshake_limits (CohortServer      *self,
                                                  guint              timeout_seconds,
                                                  guint              per_address,
                                                  guint              total);
gboolean      cohort_server_recover            (CohortServer         *self,
                                                GError              **error);
gboolean      cohort_server_listen             (CohortServer         *self,
                                                const char           *address,
                                                guint                 port,
                                                guint                *out_port,
                                                GError              **error);
/* Marks everyone offline (events stored), closes every socket with 1001 and
 * calls @callback once they are closed or after a short grace period. */
void          cohort_server_shutdown           (CohortServer         *self,
                                                CohortServerDoneFunc  callback,
                                                gpointer              user_data);
/* Stops what the services run beside the server (an embedded Janus).
 * Call before the last reference goes: a Janus still starting holds one. */
void          cohort_server_stop               (CohortServer         *self);

/* The admin path (--create-class): a class with an offline teacher,
 * owned by the active staff account @staff (name or id). */
gboolean      cohort_server_admin_create_class (CohortStore          *store,
                                                const char           *title,
                                                const char           *teacher_name,
                                                const char           *staff,
                                                gboolean              waiting_room,
                                                char                **out_code,
                                                char                **out_teacher_key,
                                                GError              **error);

G_END_DECLS
