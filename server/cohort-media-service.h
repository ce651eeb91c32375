/* cohort-media-service.h: live media through Janus VideoRoom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cohort-server.h"

G_BEGIN_DECLS

/* Applies the [janus] group of a cohort-server key file (see
 * docs/janus.md): mode (embedded, external or off), url, api_secret,
 * admin_key, ice_enforce_list, binary, stage_size, bitrate_cap. Call before
 * the server listens. @keyfile may be NULL for the defaults. */
gboolean cohort_media_service_configure (CohortServer  *server,
                                         GKeyFile      *keyfile,
                                         GError       **error);
/* Ends the embedded Janus (if one runs) and removes its private
 * configuration directory. For the server's exit: whatever still holds
 * the service (a start in progress) must not keep the secrets on disk. */
void     cohort_media_service_stop      (CohortServer  *server);

G_END_DECLS
