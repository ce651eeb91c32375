/* cohort-pg-schema.c: the PostgreSQL tables of the multi-node mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-pg"

#include "config.h"

#include "cohort-pg-schema.h"

/* Numbered as the SQLite modules' are: entry N - 1 takes the `scale`
 * module from version N - 1 to N (cohort_schema). Append only; never edit
 * one that has shipped. docs/architecture-scale.md explains the tables. */
static const char * const migrations[] = {
  /* 1: nodes, leases with fencing, the change log, the routing indexes */
  "CREATE TABLE cohort_nodes ("
  "  id         bigserial   PRIMARY KEY,"
  "  started_at timestamptz NOT NULL DEFAULT now()"
  ");"
  "CREATE SEQUENCE cohort_id_ranges;"
  "CREATE TABLE class_leases ("
  "  class_id   bigint      PRIMARY KEY,"
  "  node       bigint      NOT NULL,"
  "  address    text        NOT NULL,"
  "  epoch      bigint      NOT NULL,"
  "  expires_at timestamptz NOT NULL"
  ");"
  "CREATE TABLE class_codes ("
  "  code     text   PRIMARY KEY,"
  "  class_id bigint NOT NULL"
  ");"
  "CREATE TABLE class_tokens ("
  "  hash     text   PRIMARY KEY,"
  "  class_id bigint NOT NULL"
  ");"
  "CREATE TABLE cohort_changes ("
  "  lsn        bigserial   PRIMARY KEY,"
  "  node       bigint      NOT NULL,"
  "  classes    bigint[]    NOT NULL,"
  "  epochs     bigint[]    NOT NULL,"
  "  changes    bytea       NOT NULL,"
  "  created_at timestamptz NOT NULL DEFAULT now()"
  ");"
  "CREATE INDEX cohort_changes_classes ON cohort_changes USING gin (classes);"
  /* Fencing: a change is written only under the lease it names. FOR
   * SHARE makes a take-over (an UPDATE of the lease) wait for a write in
   * flight, so the taker reads the log after it. */
  "CREATE FUNCTION cohort_fence () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  "DECLARE\n"
  "  lease record;\n"
  "BEGIN\n"
  "  IF cardinality (NEW.classes) <> cardinality (NEW.epochs) THEN\n"
  "    RAISE EXCEPTION 'a change names % classes and % epochs',\n"
  "      cardinality (NEW.classes), cardinality (NEW.epochs);\n"
  "  END IF;\n"
  "  FOR i IN 1 .. coalesce (cardinality (NEW.classes), 0) LOOP\n"
  "    SELECT node, epoch INTO lease FROM class_leases\n"
  "      WHERE class_id = NEW.classes[i] FOR SHARE;\n"
  "    IF NOT FOUND OR lease.node <> NEW.node OR lease.epoch <> NEW.epochs[i] THEN\n"
  "      RAISE EXCEPTION 'stale epoch % of node % for class %',\n"
  "        NEW.epochs[i], NEW.node, NEW.classes[i] USING ERRCODE = 'CH001';\n"
  "    END IF;\n"
  "  END LOOP;\n"
  "  RETURN NEW;\n"
  "END\n"
  "$$;"
  "CREATE TRIGGER cohort_changes_fence BEFORE INSERT ON cohort_changes"
  "  FOR EACH ROW EXECUTE FUNCTION cohort_fence ();",
};

gboolean
cohort_pg_schema_migrate (CohortPg  *pg,
                          GError   **error)
{
  g_autoptr(CohortPgBatch) read = cohort_pg_batch_new ();
  g_autoptr(GPtrArray) results = NULL;
  gint64 version;

  /* The lock holds until COMMIT: one node migrates, the others wait. */
  if (!cohort_pg_exec_sync (pg, "BEGIN", error) ||
      !cohort_pg_exec_sync (pg, "SELECT pg_advisory_xact_lock (4242020)", error) ||
      !cohort_pg_exec_sync (pg, "CREATE TABLE IF NOT EXISTS cohort_schema ("
                                "  module  text PRIMARY KEY,"
                                "  version int  NOT NULL)", error))
    goto fail;

  cohort_pg_batch_add (read, "SELECT version FROM cohort_schema WHERE module = 'scale'", 0, NULL);
  if (!(results = cohort_pg_run_sync (pg, read, error)))
    goto fail;
  version = cohort_pg_result_int (g_ptr_array_index (results, 0), 0, 0);
  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, COHORT_PG_ERROR, COHORT_PG_ERROR_FAILED,
                   "The PostgreSQL database is at version %" G_GINT64_FORMAT
                   " of the scale module; this build knows %u", version,
                   (guint) G_N_ELEMENTS (migrations));
      goto fail;
    }

  for (gint64 i = version; i < (gint64) G_N_ELEMENTS (migrations); i++)
    if (!cohort_pg_exec_sync (pg, migrations[i], error))
      goto fail;

  if (version < (gint64) G_N_ELEMENTS (migrations))
    {
      g_autoptr(CohortPgBatch) write = cohort_pg_batch_new ();
      g_autofree char *n = g_strdup_printf ("%u", (guint) G_N_ELEMENTS (migrations));
      const char *values[] = { n };
      g_autoptr(GPtrArray) written = NULL;

      cohort_pg_batch_add (write, "INSERT INTO cohort_schema (module, version) VALUES ('scale', $1) "
                                  "ON CONFLICT (module) DO UPDATE SET version = EXCLUDED.version",
                           1, values);
      if (!(written = cohort_pg_run_sync (pg, write, error)))
        goto fail;
    }
  return cohort_pg_exec_sync (pg, "COMMIT", error);

fail:
  cohort_pg_exec_sync (pg, "ROLLBACK", NULL);
  return FALSE;
}
