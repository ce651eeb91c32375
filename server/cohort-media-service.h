/* cohort-media-service.h: live media through Janus VideoRoom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cohort-janus-client.h"
#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_MEDIA_SERVICE (cohort_media_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortMediaService, cohort_media_service, COHORT, MEDIA_SERVICE, CohortService)

CohortMediaService *cohort_media_service_new (CohortServer *server);

/* Applies the [janus] group of a cohort-server key file (see
 * docs/janus.md): mode (embedded, external or off), url, api_secret,
 * admin_key, ice_enforce_list, binary, admin_api, stage_size, bitrate_cap.
 * Call before the server listens. @keyfile may be NULL for the defaults. */
gboolean cohort_media_service_configure (CohortServer  *server,
                                         GKeyFile      *keyfile,
                                         GError       **error);

/* The voice service's way into the same Janus. get_janus: the connected
 * session, NULL while there is none ("janus-changed" is emitted when it
 * becomes ready and when it is lost); want_janus starts or reconnects one
 * (embedded or external) and keeps it wanted; is_enabled: mode is not off.
 * The admin key is that of every plugin room (NULL: none). */
CohortJanusClient *cohort_media_service_get_janus     (CohortMediaService *self);
void               cohort_media_service_want_janus    (CohortMediaService *self);
const char        *cohort_media_service_get_admin_key (CohortMediaService *self);
gboolean           cohort_media_service_is_enabled    (CohortMediaService *self);

G_END_DECLS
