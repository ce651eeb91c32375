/* cohort-sqlite-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

#define COHORT_TYPE_SQLITE_STORE (cohort_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (CohortSqliteStore, cohort_sqlite_store, COHORT, SQLITE_STORE, GObject)

/* The schema version this build migrates to (PRAGMA user_version). */
#define COHORT_SQLITE_SCHEMA_VERSION 3

CohortSqliteStore *cohort_sqlite_store_open               (const char         *path,
                                                           GError            **error);
int                cohort_sqlite_store_get_schema_version (CohortSqliteStore  *self);

G_END_DECLS
