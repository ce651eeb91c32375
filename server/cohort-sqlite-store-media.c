/* cohort-sqlite-store-media.c: the media part of the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-sqlite-store"

#include "config.h"

#include "cohort-sqlite-store-private.h"

/* Numbered migrations of the media module: append only. */
static const char * const migrations[] = {
  NULL,
};

gboolean
_cohort_sqlite_store_media_migrate (CohortSqliteStore  *self,
                                   GError            **error)
{
  return _cohort_sqlite_store_migrate_module (self, "media", migrations,
                                              G_N_ELEMENTS (migrations) - 1, error);
}

void
_cohort_sqlite_store_media_iface_init (CohortStoreInterface *iface)
{
}
