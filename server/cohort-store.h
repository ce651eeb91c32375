/* cohort-store.h: the server's database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define COHORT_STORE_ERROR (cohort_store_error_quark ())
GQuark cohort_store_error_quark (void);

typedef enum
{
  COHORT_STORE_ERROR_FAILED,
  /* A unique value (class code, token hash) is already taken. */
  COHORT_STORE_ERROR_EXISTS,
  /* The database is newer than this build understands. */
  COHORT_STORE_ERROR_VERSION,
} CohortStoreError;

/* The core schema version this build migrates to (PRAGMA user_version);
 * each feature module counts its own in the module_schema table. */
#define COHORT_STORE_SCHEMA_VERSION 3

/* One SQLite database, used on the server's one thread. Its methods are
 * declared by feature in cohort-store-<feature>.h, all included below.
 *
 * Every method that writes is meant to run between begin() and commit();
 * on any error the caller calls rollback() and nothing is applied.
 * begin_group() opens a transaction inside which begin() starts a savepoint
 * that commit() releases and rollback() undoes; only the group's own
 * commit() makes anything durable (the server's group commit). Outside a
 * group, begin() inside an open transaction is a programming error. Lookups
 * that find nothing return NULL (or 0) without setting @error. Hashes are
 * lower-case hex SHA-256 strings; the store never sees a secret. */
#define COHORT_TYPE_STORE (cohort_store_get_type ())
G_DECLARE_FINAL_TYPE (CohortStore, cohort_store, COHORT, STORE, GObject)

/* Opens (creating it if needed) and migrates the database at @path. */
CohortStore *cohort_store_open               (const char   *path,
                                              GError      **error);
int          cohort_store_get_schema_version (CohortStore  *self);

gboolean     cohort_store_begin              (CohortStore  *self,
                                              GError      **error);
gboolean     cohort_store_begin_group        (CohortStore  *self,
                                              GError      **error);
/* Commits the group; fails (and rolls everything back) unless every
 * savepoint inside it was released or rolled back. */
gboolean     cohort_store_commit_group       (CohortStore  *self,
                                              GError      **error);
gboolean     cohort_store_commit             (CohortStore  *self,
                                              GError      **error);
void         cohort_store_rollback           (CohortStore  *self);
/* Called after each outermost commit, with the transaction durable in
 * SQLite (the multi-node mode ships it on: docs/architecture-scale.md). */
typedef void (*CohortStoreCommitHook) (CohortStore *store,
                                       gpointer     user_data);
void         cohort_store_set_commit_hook    (CohortStore           *self,
                                              CohortStoreCommitHook  hook,
                                              gpointer               user_data);
/* Rolls back what is open, checkpoints the WAL and closes the database. */
gboolean     cohort_store_close              (CohortStore  *self,
                                              GError      **error);

G_END_DECLS

#include "cohort-store-class.h"
#include "cohort-store-media.h"
#include "cohort-store-chat.h"
#include "cohort-store-quiz.h"
#include "cohort-store-groups.h"
#include "cohort-store-ai.h"
#include "cohort-store-identity.h"
#include "cohort-store-lesson.h"
#include "cohort-store-insights.h"
#include "cohort-store-schedule.h"
#include "cohort-store-practice.h"
