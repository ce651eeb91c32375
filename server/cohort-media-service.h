/* cohort-media-service.h: live media through Janus VideoRoom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

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

G_END_DECLS
