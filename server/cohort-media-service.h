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

G_END_DECLS
