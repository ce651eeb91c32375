/* cohort-janus-launcher.h: runs a private Janus as a child process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define COHORT_TYPE_JANUS_LAUNCHER (cohort_janus_launcher_get_type ())
G_DECLARE_FINAL_TYPE (CohortJanusLauncher, cohort_janus_launcher, COHORT, JANUS_LAUNCHER, GObject)

CohortJanusLauncher *cohort_janus_launcher_new            (const char           *ice_enforce_list,
                                                           guint16               ws_port);

void                 cohort_janus_launcher_start_async    (CohortJanusLauncher  *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             cohort_janus_launcher_start_finish   (CohortJanusLauncher  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                 cohort_janus_launcher_stop           (CohortJanusLauncher  *self);

const char          *cohort_janus_launcher_get_config_dir (CohortJanusLauncher  *self);
const char          *cohort_janus_launcher_get_api_secret (CohortJanusLauncher  *self);
const char          *cohort_janus_launcher_get_admin_key  (CohortJanusLauncher  *self);
guint16              cohort_janus_launcher_get_ws_port    (CohortJanusLauncher  *self);
char                *cohort_janus_launcher_dup_ws_uri     (CohortJanusLauncher  *self);
const char          *cohort_janus_launcher_get_pid        (CohortJanusLauncher  *self);
gint64               cohort_janus_launcher_get_startup_usec (CohortJanusLauncher *self);

guint                cohort_janus_launcher_sweep_stale    (const char           *tmp_dir);

G_END_DECLS
