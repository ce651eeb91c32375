/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <glib/gstdio.h>

#include "cohort-secret.h"
#include "cohort-store-private.h"
#include "cohort-test-db.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cohort-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
test_fresh (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) store = cohort_store_open (f->path, &error);
  g_autofree char *mode = NULL;
  g_autofree char *tables = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (cohort_store_get_schema_version (store), ==, COHORT_STORE_SCHEMA_VERSION);

  mode = cohort_test_db_query_text (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  /* The core's tables; feature modules add their own beside them. */
  tables = cohort_test_db_query_text (f->path, "SELECT group_concat(name, ',') FROM "
                       "(SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
                       " ('classes', 'events', 'module_schema', 'participants', 'requests', 'tokens')"
                       " ORDER BY name)");
  g_assert_cmpstr (tables, ==, "classes,events,module_schema,participants,requests,tokens");
  g_assert_true (cohort_store_close (COHORT_STORE (store), &error));
  g_assert_no_error (error);
}

static gint64
make_class (CohortStore *store,
            const char  *code)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_true (cohort_store_begin (store, &error));
  id = cohort_store_create_class (store, code, "Title", "hash", 1, &error);
  g_assert_no_error (error);
  g_assert_true (cohort_store_commit (store, &error));
  return id;
}

static void
test_existing (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) store = cohort_store_open (f->path, &error);
  g_autoptr(CohortClassRecord) klass = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = make_class (COHORT_STORE (store), "ABCDEFGH");
  g_assert_true (cohort_store_close (COHORT_STORE (store), &error));
  g_clear_object (&store);

  /* Reopening migrates nothing and keeps the data. */
  store = cohort_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_store_get_schema_version (store), ==, COHORT_STORE_SCHEMA_VERSION);
  klass = cohort_store_find_class_by_code (COHORT_STORE (store), "ABCDEFGH", &error);
  g_assert_no_error (error);
  g_assert_nonnull (klass);
  g_assert_cmpint (klass->id, ==, id);
  g_assert_true (cohort_store_close (COHORT_STORE (store), &error));
}

static void
test_legacy_empty (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) store = NULL;
  g_autofree char *other = NULL;

  /* A database at version 0 that already holds something else. */
  cohort_test_db_exec (f->path, "CREATE TABLE unrelated (x); INSERT INTO unrelated VALUES (42);");

  store = cohort_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_store_get_schema_version (store), ==, COHORT_STORE_SCHEMA_VERSION);
  g_assert_true (cohort_store_close (COHORT_STORE (store), &error));
  other = cohort_test_db_query_text (f->path, "SELECT x FROM unrelated");
  g_assert_cmpstr (other, ==, "42");
}

static void
test_newer_schema (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) store = NULL;

  cohort_test_db_exec (f->path, "PRAGMA user_version = 99");
  store = cohort_store_open (f->path, &error);
  g_assert_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_VERSION);
  g_assert_null (store);
}

static void
test_operations (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) sqlite = cohort_store_open (f->path, &error);
  CohortStore *store = COHORT_STORE (sqlite);
  g_autoptr(CohortParticipantRecord) by_token = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) online = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *missing = NULL;
  gint64 a, b, p1, p2;

  g_assert_no_error (error);
  a = make_class (store, "AAAAAAAA");
  b = make_class (store, "BBBBBBBB");

  /* Codes are unique. */
  g_assert_true (cohort_store_begin (store, &error));
  g_assert_cmpint (cohort_store_create_class (store, "AAAAAAAA", "Dup", "h", 1, &error), ==, 0);
  g_assert_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  cohort_store_rollback (store);

  g_assert_true (cohort_store_begin (store, &error));
  p1 = cohort_store_add_participant (store, a, "T", "teacher", TRUE, 1, &error);
  p2 = cohort_store_add_participant (store, a, "S", "student", FALSE, 1, &error);
  g_assert_no_error (error);
  g_assert_true (cohort_store_add_token (store, p2, "tok1", 1, &error));
  g_assert_true (cohort_store_add_token (store, p2, "tok2", 1, &error));
  /* seq is per class. */
  g_assert_cmpint (cohort_store_append_event (store, a, 1, "e", "{}", NULL, &error), ==, 1);
  g_assert_cmpint (cohort_store_append_event (store, a, 2, "e", "{}", NULL, &error), ==, 2);
  g_assert_cmpint (cohort_store_append_event (store, b, 3, "e", "{}", NULL, &error), ==, 1);
  g_assert_true (cohort_store_save_reply (store, p2, "req", "{\"ok\":1}", 1, &error));
  g_assert_true (cohort_store_commit (store, &error));

  /* Several tokens per participant. */
  by_token = cohort_store_find_participant_by_token (store, "tok2", &error);
  g_assert_nonnull (by_token);
  g_assert_cmpint (by_token->id, ==, p2);
  g_assert_null (cohort_store_find_participant_by_token (store, "nope", &error));
  g_assert_no_error (error);

  teacher = cohort_store_find_teacher (store, a, &error);
  g_assert_cmpint (teacher->id, ==, p1);

  online = cohort_store_list_online (store, &error);
  g_assert_cmpuint (online->len, ==, 1);

  reply = cohort_store_lookup_reply (store, p2, "req", &error);
  g_assert_cmpstr (reply, ==, "{\"ok\":1}");
  missing = cohort_store_lookup_reply (store, p1, "req", &error);
  g_assert_null (missing);

  /* A rollback applies nothing. */
  g_assert_true (cohort_store_begin (store, &error));
  g_assert_cmpint (cohort_store_append_event (store, a, 4, "e", "{}", NULL, &error), ==, 3);
  g_assert_true (cohort_store_set_hand (store, p2, 1234, &error));
  cohort_store_rollback (store);
  g_assert_cmpint (cohort_store_get_last_seq (store, a, &error), ==, 2);
  g_clear_pointer (&by_token, cohort_participant_record_free);
  by_token = cohort_store_get_participant (store, p2, &error);
  g_assert_cmpint (by_token->hand_raised_at, ==, 0);

  events = cohort_store_list_events_after (store, a, 1, 10, &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (((CohortEventRecord *) g_ptr_array_index (events, 0))->seq, ==, 2);

  /* Replies are pruned by age, and only the old ones. */
  {
    g_autofree char *recent = NULL;
    g_autofree char *old = NULL;
    guint removed = 0;

    g_assert_true (cohort_store_begin (store, &error));
    g_assert_true (cohort_store_save_reply (store, p2, "recent", "{\"ok\":2}", 5000, &error));
    g_assert_true (cohort_store_commit (store, &error));
    g_assert_true (cohort_store_prune_replies (store, 4000, &removed, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (removed, ==, 1);
    old = cohort_store_lookup_reply (store, p2, "req", &error);
    g_assert_null (old);
    recent = cohort_store_lookup_reply (store, p2, "recent", &error);
    g_assert_cmpstr (recent, ==, "{\"ok\":2}");
    g_assert_true (cohort_store_prune_replies (store, 4000, &removed, &error));
    g_assert_cmpuint (removed, ==, 0);
  }

  g_assert_true (cohort_store_close (store, &error));
  g_assert_no_error (error);
}

static void
test_secrets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = cohort_secret_new (&error);
  g_autofree char *s2 = cohort_secret_new (&error);
  g_autofree char *hash = cohort_secret_hash (s1);
  g_autofree char *code = cohort_secret_new_code (&error);

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (s1), ==, 43);
  g_assert_cmpstr (s1, !=, s2);
  for (const char *p = s1; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_cmpuint (strlen (code), ==, 8);
}

static void
test_module_migrations (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) store = cohort_store_open (f->path, &error);
  const char * const v2[] = {
    "CREATE TABLE feature_a (x INTEGER);",
    "ALTER TABLE feature_a ADD COLUMN y INTEGER;",
  };
  const char * const v3[] = {
    "CREATE TABLE feature_a (x INTEGER);",
    "ALTER TABLE feature_a ADD COLUMN y INTEGER;",
    "INSERT INTO feature_a (x, y) VALUES (1, 2);",
  };
  g_autofree char *version = NULL;
  g_autofree char *row = NULL;

  g_assert_no_error (error);
  g_assert_true (_cohort_store_migrate_module (store, "feature", v2, 2, &error));
  g_assert_no_error (error);
  /* Running again applies nothing: a second CREATE TABLE would fail. */
  g_assert_true (_cohort_store_migrate_module (store, "feature", v2, 2, &error));
  g_assert_no_error (error);
  g_assert_true (_cohort_store_migrate_module (store, "feature", v3, 3, &error));
  g_assert_no_error (error);
  /* An older build refuses a newer module schema. */
  g_assert_false (_cohort_store_migrate_module (store, "feature", v2, 2, &error));
  g_assert_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_VERSION);
  g_clear_error (&error);
  /* A failing migration leaves the version where it was. */
  {
    const char * const broken[] = { v3[0], v3[1], v3[2], "THIS IS NOT SQL;" };

    g_assert_false (_cohort_store_migrate_module (store, "feature", broken, 4, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_true (cohort_store_close (COHORT_STORE (store), &error));

  version = cohort_test_db_query_text (f->path, "SELECT version FROM module_schema WHERE module = 'feature'");
  g_assert_cmpstr (version, ==, "3");
  row = cohort_test_db_query_text (f->path, "SELECT x || ',' || y FROM feature_a");
  g_assert_cmpstr (row, ==, "1,2");
}

/* A group commit: savepoints inside one transaction. A savepoint rolled
 * back leaves the others; nothing is durable before the outer commit, and
 * an outer rollback takes everything back. */
static void
test_nested (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStore) sqlite = cohort_store_open (f->path, &error);
  CohortStore *store = COHORT_STORE (sqlite);
  g_autofree char *kept = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *seen_outside = NULL;
  g_autofree char *lost = NULL;
  gint64 a, p;

  g_assert_no_error (error);
  a = make_class (store, "AAAAAAAA");
  g_assert_true (cohort_store_begin (store, &error));
  p = cohort_store_add_participant (store, a, "S", "student", FALSE, 1, &error);
  g_assert_true (cohort_store_commit (store, &error));

  g_assert_true (cohort_store_begin_group (store, &error));    /* the group */
  g_assert_true (cohort_store_begin (store, &error));          /* request 1 */
  g_assert_true (cohort_store_save_reply (store, p, "r1", "{\"one\":1}", 1, &error));
  g_assert_true (cohort_store_commit (store, &error));
  g_assert_true (cohort_store_begin (store, &error));          /* request 2 fails */
  g_assert_true (cohort_store_save_reply (store, p, "r2", "{\"two\":2}", 1, &error));
  cohort_store_rollback (store);
  g_assert_true (cohort_store_begin (store, &error));          /* request 3 */
  g_assert_true (cohort_store_save_reply (store, p, "r3", "{\"three\":3}", 1, &error));
  g_assert_true (cohort_store_commit (store, &error));

  /* Inside the group the work so far is visible; outside, none of it yet. */
  kept = cohort_store_lookup_reply (store, p, "r1", &error);
  g_assert_cmpstr (kept, ==, "{\"one\":1}");
  undone = cohort_store_lookup_reply (store, p, "r2", &error);
  g_assert_null (undone);
  seen_outside = cohort_test_db_query_text (f->path, "SELECT count(*) FROM requests");
  g_assert_cmpstr (seen_outside, ==, "0");

  g_assert_true (cohort_store_commit_group (store, &error));
  g_clear_pointer (&seen_outside, g_free);
  seen_outside = cohort_test_db_query_text (f->path, "SELECT group_concat(request_id) FROM "
                                      "(SELECT request_id FROM requests ORDER BY request_id)");
  g_assert_cmpstr (seen_outside, ==, "r1,r3");

  /* An outer rollback undoes released savepoints too. */
  g_assert_true (cohort_store_begin_group (store, &error));
  g_assert_true (cohort_store_begin (store, &error));
  g_assert_true (cohort_store_save_reply (store, p, "r4", "{}", 1, &error));
  g_assert_true (cohort_store_commit (store, &error));
  cohort_store_rollback (store);
  lost = cohort_store_lookup_reply (store, p, "r4", &error);
  g_assert_no_error (error);
  g_assert_null (lost);

  /* A savepoint left open (a handler that forgot its commit or rollback)
   * must not turn the group's commit into a mere release: nothing of the
   * group is kept. */
  g_assert_true (cohort_store_begin_group (store, &error));
  g_assert_true (cohort_store_begin (store, &error));
  g_assert_true (cohort_store_save_reply (store, p, "r5", "{}", 1, &error));
  g_assert_false (cohort_store_commit_group (store, &error));
  g_assert_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_pointer (&lost, g_free);
  lost = cohort_store_lookup_reply (store, p, "r5", &error);
  g_assert_no_error (error);
  g_assert_null (lost);
  /* and the store is usable again */
  g_assert_true (cohort_store_begin (store, &error));
  g_assert_true (cohort_store_commit (store, &error));
  g_assert_true (cohort_store_close (store, &error));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cohort/server/store/migrate-fresh", Fixture, NULL,
              fixture_set_up, test_fresh, fixture_tear_down);
  g_test_add ("/cohort/server/store/migrate-existing", Fixture, NULL,
              fixture_set_up, test_existing, fixture_tear_down);
  g_test_add ("/cohort/server/store/migrate-version-0", Fixture, NULL,
              fixture_set_up, test_legacy_empty, fixture_tear_down);
  g_test_add ("/cohort/server/store/newer-schema", Fixture, NULL,
              fixture_set_up, test_newer_schema, fixture_tear_down);
  g_test_add ("/cohort/server/store/operations", Fixture, NULL,
              fixture_set_up, test_operations, fixture_tear_down);
  g_test_add ("/cohort/server/store/module-migrations", Fixture, NULL,
              fixture_set_up, test_module_migrations, fixture_tear_down);
  g_test_add ("/cohort/server/store/nested", Fixture, NULL,
              fixture_set_up, test_nested, fixture_tear_down);
  g_test_add_func ("/cohort/server/store/secrets", test_secrets);

  return g_test_run ();
}
