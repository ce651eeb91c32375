/* test-identity.c: staff accounts and admission against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cohort-identity-protocol.h"
#include "cohort-protocol.h"
#include "cohort-secret.h"
#include "cohort-test-client.h"
#include "cohort-test-db.h"
#include "cohort-test-server.h"
#include "cohort-test-stages.h"

/* Every request type of every feature, for "nothing else is allowed". */
static const char * const all_request_types[] = {
  "ai.ask", "ai.stop", "ai.history", "ai.policy.set", "ai.topics",
  "chat.send", "chat.edit", "chat.delete", "chat.history", "chat.vote", "chat.question",
  "chat.settings", "chat.mute", "chat.react", "chat.pace", "chat.mark_helpful",
  "groups.create", "groups.assign", "groups.balance", "groups.pick", "groups.settings",
  "groups.check_in", "groups.react", "groups.star", "groups.board", "groups.pk_start",
  "groups.pk_stop", "groups.recompute", "groups.sync",
  "staff.classes", "staff.archive", "staff.unarchive",
  "class.settings", "admission.admit", "admission.deny", "participant.remove",
  "roster.import", "roster.reissue", "roster.list",
  "media.publish", "media.unpublish", "media.subscribe", "media.unsubscribe", "media.answer",
  "media.trickle", "media.mute", "media.mute_all", "media.mute_student", "media.allow_unmute",
  "media.state", "stage.invite", "stage.accept",
  "stage.decline", "stage.remove",
  "class.create", "class.join",
  "hand.raise", "hand.lower", "hand.lower_all",
  "lesson.start", "lesson.end", "lesson.attendance", "lesson.summary",
  "quiz.question.create", "quiz.question.update", "quiz.question.delete", "quiz.question.move",
  "quiz.import", "quiz.export", "quiz.launch", "quiz.next", "quiz.close", "quiz.reveal",
  "quiz.show_results", "quiz.sync", "quiz.answer",
};

/* The teacher's requests added by admission, with a body that would be
 * valid for them. */
static const char * const teacher_admission_types[] = {
  "class.settings", "admission.admit", "admission.deny", "participant.remove",
  "roster.import", "roster.reissue", "roster.list",
};

/* The shared check, under the name these tests have always used. */
#define assert_error cohort_test_client_assert_error

static char *
run_server_cli (CohortTestServer *server,
                int              *out_status,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  va_list args;
  const char *arg;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("COHORT_SERVER"));
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, (gpointer) cohort_test_server_get_db_path (server));
  va_start (args, out_status);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  *out_status = g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  return g_steal_pointer (&out);
}

/* class.create with @credential (NULL: none) and a waiting room or not. */
static CohortMessage *
create_class (CohortTestClient *c,
              const char       *credential,
              gboolean          waiting_room)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "title", "Physics");
  json_object_set_string_member (body, "name", "Ms Li");
  if (credential != NULL)
    json_object_set_string_member (body, "staff_credential", credential);
  json_object_set_boolean_member (body, "waiting_room", waiting_room);
  return cohort_test_client_request (c, COHORT_REQ_CLASS_CREATE, NULL, body);
}

static CohortMessage *
join (CohortTestClient *c,
      const char       *code,
      const char       *name)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "code", code);
  if (name != NULL)
    json_object_set_string_member (body, "name", name);
  return cohort_test_client_request (c, COHORT_REQ_CLASS_JOIN, NULL, body);
}

static CohortMessage *
resume (CohortTestClient *c,
        const char       *token,
        gint64            last_seq)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", token);
  json_object_set_int_member (body, "last_seq", last_seq);
  return cohort_test_client_request (c, COHORT_REQ_RESUME, NULL, body);
}

static CohortMessage *
staff_request (CohortTestClient *c,
               const char       *type,
               const char       *credential,
               const char       *code)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "staff_credential", credential);
  if (code != NULL)
    json_object_set_string_member (body, "code", code);
  return cohort_test_client_request (c, type, NULL, body);
}

static const char *
class_code (CohortMessage *reply)
{
  return json_object_get_string_member (json_object_get_object_member (cohort_message_get_body (reply),
                                                                        "class"), "code");
}

static gint64
you_id (CohortMessage *reply)
{
  return json_object_get_int_member (json_object_get_object_member (cohort_message_get_body (reply),
                                                                     "you"), "id");
}

static CohortMessage *
participant_request (CohortTestClient *c,
                     const char       *type,
                     gint64            participant_id,
                     gboolean          block)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "participant_id", participant_id);
  if (g_str_equal (type, COHORT_REQ_PARTICIPANT_REMOVE))
    json_object_set_boolean_member (body, "block", block);
  return cohort_test_client_request (c, type, NULL, body);
}

static CohortMessage *
settings (CohortTestClient *c,
          const char       *member,
          gboolean          value)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_boolean_member (body, member, value);
  return cohort_test_client_request (c, COHORT_REQ_CLASS_SETTINGS, NULL, body);
}

/* Who may start a class */

static void
test_create_needs_staff (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) c = cohort_test_client_new (url);
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *other = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *out = NULL;
  int status;

  /* The hole this closes: no credential, no class. */
  reply = create_class (c, NULL, TRUE);
  assert_error (reply, "unauthorized", "staff_credential");
  g_clear_pointer (&reply, cohort_message_unref);

  wrong = cohort_secret_new (NULL);
  reply = create_class (c, wrong, TRUE);
  assert_error (reply, "unauthorized", "staff_credential");
  g_assert_cmpint (cohort_message_get_reason (reply), ==, COHORT_INVALID_NONE);
  g_clear_pointer (&reply, cohort_message_unref);

  /* A revoked credential stops working at once. */
  other = cohort_test_staff_add (cohort_test_server_get_db_path (server), "Mr Wu");
  reply = create_class (c, other, TRUE);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);
  out = run_server_cli (server, &status, "--revoke-staff", "Mr Wu", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(CohortTestClient) c2 = cohort_test_client_new (url);

    reply = create_class (c2, other, TRUE);
    assert_error (reply, "unauthorized", "staff_credential");
    g_clear_pointer (&reply, cohort_message_unref);
  }

  /* Nobody left: the app is told there is no staff at all. */
  g_free (out);
  out = run_server_cli (server, &status, "--revoke-staff", "Test staff", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(CohortTestClient) c3 = cohort_test_client_new (url);

    reply = create_class (c3, cohort_test_server_get_staff_credential (server), TRUE);
    assert_error (reply, "unauthorized", "staff_credential");
    g_assert_cmpint (cohort_message_get_reason (reply), ==, COHORT_INVALID_NO_STAFF);
  }
}

static void
test_staff_cli (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *db = cohort_test_server_get_db_path (server);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *db_bytes = NULL;
  g_auto(GStrv) lines = NULL;
  const char *credential;
  JsonObject *added;
  gsize db_length = 0;
  int status;

  out = run_server_cli (server, &status, "--add-staff", "  Ms Chen ", NULL);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  added = json_node_get_object (json_parser_get_root (parser));
  credential = json_object_get_string_member (added, "credential");
  g_assert_cmpuint (strlen (credential), ==, COHORT_SECRET_CHARS);
  g_assert_cmpstr (json_object_get_string_member (added, "name"), ==, "Ms Chen");

  /* Only the hash is kept, nowhere the credential itself. */
  hash = cohort_secret_hash (credential);
  sql = g_strdup_printf ("SELECT credential_hash FROM staff WHERE id = %" G_GINT64_FORMAT,
                         json_object_get_int_member (added, "staff_id"));
  stored = cohort_test_db_query_text (db, sql);
  g_assert_cmpstr (stored, ==, hash);
  cohort_test_server_stop (server);
  g_assert_true (g_file_get_contents (db, &db_bytes, &db_length, NULL));
  g_assert_null (g_strstr_len (db_bytes, db_length, credential));

  g_free (out);
  out = run_server_cli (server, &status, "--list-staff", NULL);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_null (strstr (out, credential));
  g_assert_nonnull (strstr (out, "\"name\":\"Ms Chen\""));
  g_assert_nonnull (strstr (out, "\"revoked\":false"));

  g_free (out);
  out = run_server_cli (server, &status, "--revoke-staff", "Nobody", NULL);
  g_assert_cmpint (status, !=, 0);

  /* --create-class needs an active staff account. */
  g_free (out);
  out = run_server_cli (server, &status, "--create-class", "Maths", "--teacher-name", "T", NULL);
  g_assert_cmpint (status, !=, 0);
  g_free (out);
  out = run_server_cli (server, &status, "--create-class", "Maths", "--teacher-name", "T",
                        "--staff", "Nobody", NULL);
  g_assert_cmpint (status, !=, 0);
  g_free (out);
  out = run_server_cli (server, &status, "--create-class", "Maths", "--teacher-name", "T",
                        "--staff", "Ms Chen", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"code\""));

  g_free (out);
  out = run_server_cli (server, &status, "--revoke-staff", "Ms Chen", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = run_server_cli (server, &status, "--list-staff", NULL);
  g_assert_nonnull (strstr (out, "\"revoked\":true"));
}

/* A careless admin: two accounts with one name, or a name that reads as
 * another account's id, would make --revoke-staff and --staff act on more
 * than one account, or the wrong one. */
static void
test_staff_cli_ambiguous (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *db = cohort_test_server_get_db_path (server);
  g_autofree char *out = NULL;
  g_autofree char *revoked = NULL;
  g_autofree char *id = NULL;
  int status;

  cohort_test_server_stop (server);

  /* The server's own staff account has id 1. */
  out = run_server_cli (server, &status, "--add-staff", "1", NULL);
  g_assert_cmpint (status, !=, 0);
  g_free (out);
  out = run_server_cli (server, &status, "--add-staff", "Ms Li", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = run_server_cli (server, &status, "--add-staff", " Ms Li", NULL);
  g_assert_cmpint (status, ==, 0);
  id = cohort_test_db_query_text (db, "SELECT max(id) FROM staff");

  /* By the shared name: refused, nobody revoked, no class made. */
  g_free (out);
  out = run_server_cli (server, &status, "--revoke-staff", "Ms Li", NULL);
  g_assert_cmpint (status, !=, 0);
  revoked = cohort_test_db_query_text (db, "SELECT count(*) FROM staff WHERE revoked_at IS NOT NULL");
  g_assert_cmpstr (revoked, ==, "0");
  g_clear_pointer (&revoked, g_free);
  g_free (out);
  out = run_server_cli (server, &status, "--create-class", "Maths", "--teacher-name", "T",
                        "--staff", "Ms Li", NULL);
  g_assert_cmpint (status, !=, 0);

  /* By the id: that one alone. */
  g_free (out);
  out = run_server_cli (server, &status, "--revoke-staff", id, NULL);
  g_assert_cmpint (status, ==, 0);
  revoked = cohort_test_db_query_text (db, "SELECT group_concat (id) FROM staff WHERE revoked_at IS NOT NULL");
  g_assert_cmpstr (revoked, ==, id);
}

/* A teacher who left: once their staff account is revoked, neither the
 * teacher key of their class nor a device they signed in brings them back
 * as its teacher. */
static void
test_revoked_staff_loses_classes (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *db = cohort_test_server_get_db_path (server);
  g_autofree char *credential = cohort_test_staff_add (db, "Mr Gone");
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) by_key = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) by_token = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) other = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) other_back = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, credential, FALSE);
  g_autoptr(CohortMessage) other_created = create_class (other, cohort_test_server_get_staff_credential (server),
                                                         FALSE);
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *out = NULL;
  int status;

  out = run_server_cli (server, &status, "--revoke-staff", "Mr Gone", NULL);
  g_assert_cmpint (status, ==, 0);

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "code", class_code (created));
  json_object_set_string_member (body, "teacher_key",
                                 json_object_get_string_member (cohort_message_get_body (created), "teacher_key"));
  reply = cohort_test_client_request (by_key, COHORT_REQ_CLASS_JOIN, NULL, body);
  assert_error (reply, "unauthorized", "teacher_key");
  g_clear_pointer (&reply, cohort_message_unref);

  reply = resume (by_token, json_object_get_string_member (cohort_message_get_body (created), "token"), 0);
  assert_error (reply, "unauthorized", "token");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Another account's teacher is not affected. */
  reply = resume (other_back, json_object_get_string_member (cohort_message_get_body (other_created), "token"), 0);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
}

/* A server with no staff account says so when it starts. */
static void
test_no_staff_logged (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cohort-identity-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "cohort.db", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  char *line;

  g_assert_no_error (error);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                              g_getenv ("COHORT_SERVER"), "--listen", "127.0.0.1", "--port", "0",
                              "--database", db, NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error)) != NULL)
    {
      gboolean listening = g_str_has_prefix (line, "cohort-server listening on ");

      g_string_append_printf (seen, "%s\n", line);
      g_free (line);
      if (listening)
        break;
    }
  g_assert_no_error (error);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);

  g_assert_nonnull (strstr (seen->str, "No staff accounts yet: nobody can start a class. "
                                       "Create one with cohort-server --add-staff NAME"));
  g_assert_nonnull (strstr (seen->str, "listening on"));
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

/* Wrong credentials count in the join throttle like wrong class codes. */
static void
test_staff_guessing_throttled (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *wrong = cohort_secret_new (NULL);
  guint n_refused = 0;

  /* 100 may be wrong; spread over sockets so that the per-socket frame
   * limit is not what stops them. */
  for (guint s = 0; s < 4 && n_refused == 0; s++)
    {
      g_autoptr(CohortTestClient) c = cohort_test_client_new (url);

      for (guint i = 0; i < 30; i++)
        {
          g_autoptr(CohortMessage) r = staff_request (c, COHORT_REQ_STAFF_CLASSES, wrong, NULL);

          g_assert_cmpint (cohort_message_get_kind (r), ==, COHORT_MESSAGE_ERROR);
          if (cohort_message_get_error_code (r) == COHORT_ERROR_RATE_LIMITED)
            {
              g_assert_cmpstr (cohort_message_get_field (r), ==, "staff_credential");
              n_refused++;
            }
        }
    }
  g_assert_cmpuint (n_refused, >, 0);

  /* While the address waits, the right credential waits too. */
  {
    g_autoptr(CohortTestClient) c = cohort_test_client_new (url);

    reply = staff_request (c, COHORT_REQ_STAFF_CLASSES, cohort_test_server_get_staff_credential (server), NULL);
    assert_error (reply, "rate_limited", "staff_credential");
  }
}

static JsonArray *
list_classes (CohortTestClient *c,
              const char       *credential,
              gboolean          include_archived,
              CohortMessage   **out_reply)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "staff_credential", credential);
  json_object_set_boolean_member (body, "include_archived", include_archived);
  *out_reply = cohort_test_client_request_ok (c, COHORT_REQ_STAFF_CLASSES, body);
  return json_object_get_array_member (cohort_message_get_body (*out_reply), "classes");
}

static void
test_staff_classes_and_archive (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *credential = cohort_test_server_get_staff_credential (server);
  g_autofree char *other = cohort_test_staff_add (cohort_test_server_get_db_path (server), "Mr Wu");
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) teacher2 = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) student = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) admin = cohort_test_client_new (url);
  g_autoptr(CohortMessage) first = create_class (teacher, credential, FALSE);
  g_autoptr(CohortMessage) second = create_class (teacher2, credential, FALSE);
  g_autoptr(CohortMessage) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) listed = NULL;
  g_autofree char *token = NULL;
  JsonArray *classes;
  JsonObject *row;

  joined = join (student, class_code (first), "Mei");
  g_assert_cmpint (cohort_message_get_kind (joined), ==, COHORT_MESSAGE_OK);
  token = g_strdup (json_object_get_string_member (cohort_message_get_body (joined), "token"));

  classes = list_classes (admin, credential, FALSE, &listed);
  g_assert_cmpuint (json_array_get_length (classes), ==, 2);
  /* Newest first. */
  row = json_array_get_object_element (classes, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "code"), ==, class_code (first));
  g_assert_cmpint (json_object_get_int_member (row, "lessons"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (row, "participants"), ==, 1);
  g_assert_false (json_object_get_boolean_member (row, "archived"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cohort_message_get_body (listed),
                                                                                  "staff"), "name"),
                   ==, "Test staff");
  g_clear_pointer (&listed, cohort_message_unref);

  /* Someone else's class cannot be archived, nor seen. */
  reply = staff_request (admin, COHORT_REQ_STAFF_ARCHIVE, other, class_code (first));
  assert_error (reply, "not_found", "code");
  g_clear_pointer (&reply, cohort_message_unref);
  classes = list_classes (admin, other, TRUE, &listed);
  g_assert_cmpuint (json_array_get_length (classes), ==, 0);
  g_clear_pointer (&listed, cohort_message_unref);

  reply = staff_request (admin, COHORT_REQ_STAFF_ARCHIVE, credential, class_code (first));
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  classes = list_classes (admin, credential, FALSE, &listed);
  g_assert_cmpuint (json_array_get_length (classes), ==, 1);
  g_clear_pointer (&listed, cohort_message_unref);
  classes = list_classes (admin, credential, TRUE, &listed);
  g_assert_cmpuint (json_array_get_length (classes), ==, 2);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (classes, 1), "archived"));
  g_clear_pointer (&listed, cohort_message_unref);

  /* Archived: no joining, no resuming. */
  {
    g_autoptr(CohortTestClient) late = cohort_test_client_new (url);
    g_autoptr(CohortTestClient) back = cohort_test_client_new (url);

    reply = join (late, class_code (first), "Late");
    assert_error (reply, "forbidden", "code");
    g_clear_pointer (&reply, cohort_message_unref);
    reply = resume (back, token, 0);
    assert_error (reply, "forbidden", NULL);
    g_clear_pointer (&reply, cohort_message_unref);
  }

  reply = staff_request (admin, COHORT_REQ_STAFF_UNARCHIVE, credential, class_code (first));
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);
  {
    g_autoptr(CohortTestClient) back = cohort_test_client_new (url);

    reply = resume (back, token, 0);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  }
}

static void
test_new_lesson (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *credential = cohort_test_server_get_staff_credential (server);
  g_autofree char *other = cohort_test_staff_add (cohort_test_server_get_db_path (server), "Mr Wu");
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) student = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, credential, FALSE);
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(CohortMessage) listed = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *code = g_strdup (class_code (created));
  JsonArray *classes;

  reply = join (student, code, "Mei");
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  /* The lesson ends: the teacher leaves. */
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_CLASS_LEAVE, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  g_clear_pointer (&teacher, cohort_test_client_free);

  /* Another staff member's credential does not open it. */
  teacher = cohort_test_client_new (url);
  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "code", code);
  json_object_set_string_member (body, "staff_credential", other);
  reply = cohort_test_client_request (teacher, COHORT_REQ_CLASS_JOIN, NULL, body);
  assert_error (reply, "forbidden", "staff_credential");
  g_clear_pointer (&reply, cohort_message_unref);

  /* The owner's does, as the teacher, and lesson 2 starts. */
  json_object_set_string_member (body, "staff_credential", credential);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_CLASS_JOIN, body);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cohort_message_get_body (reply),
                                                                                  "you"), "role"),
                   ==, "teacher");
  g_assert_nonnull (json_object_get_string_member (cohort_message_get_body (reply), "token"));
  event = cohort_test_client_next_event (student, COHORT_EV_LESSON_STARTED);
  g_assert_nonnull (event);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (event), "number"), ==, 2);

  {
    g_autoptr(CohortTestClient) admin = cohort_test_client_new (url);

    classes = list_classes (admin, credential, FALSE, &listed);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (classes, 0), "lessons"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (classes, 0), "last_lesson_at"),
                     >, 0);
  }
}

/* Admission */

/* test_waiting_room: the scenario's state, taken through the stages below. */
typedef struct
{
  CohortTestServer   *server;
  const char         *url;
  CohortTestClient   *teacher;
  CohortTestClient   *mei;
  CohortTestClient   *waiter;
  CohortMessage      *created;
  CohortMessage      *reply;
  CohortMessage      *event;
  GPtrArray          *drained;
  char               *code;
  char               *token;
  JsonObject         *body;
  gint64             waiter_id;
} WaitingRoom;

static void
waiting_room_setup (WaitingRoom *st)
{
  st->server = cohort_test_server_start (NULL);
  st->url = cohort_test_server_get_url (st->server);
  st->teacher = cohort_test_client_new (st->url);
  st->mei = cohort_test_client_new (st->url);
  st->waiter = cohort_test_client_new (st->url);
  st->created = create_class (st->teacher, cohort_test_server_get_staff_credential (st->server), TRUE);
  st->code = g_strdup (class_code (st->created));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (cohort_message_get_body (st->created),
                                                                                 "class"), "waiting_room"));

  st->reply = join (st->waiter, st->code, "Wan");
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  st->body = cohort_message_get_body (st->reply);
  g_assert_cmpstr (json_object_get_string_member (st->body, "admission"), ==, "waiting");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (st->body, "participants")), ==, 1);
  st->token = g_strdup (json_object_get_string_member (st->body, "token"));
  st->waiter_id = you_id (st->reply);
  g_clear_pointer (&st->reply, cohort_message_unref);

  st->event = cohort_test_client_next_event (st->teacher, COHORT_EV_PARTICIPANT_WAITING);
  g_assert_nonnull (st->event);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cohort_message_get_body (st->event),
                                                                                  "participant"), "admission"),
                   ==, "waiting");
  g_clear_pointer (&st->event, cohort_message_unref);
}

static void
waiting_room_teardown (WaitingRoom *st)
{
  g_clear_pointer (&st->token, g_free);
  g_clear_pointer (&st->code, g_free);
  g_clear_pointer (&st->drained, g_ptr_array_unref);
  g_clear_pointer (&st->event, cohort_message_unref);
  g_clear_pointer (&st->reply, cohort_message_unref);
  g_clear_pointer (&st->created, cohort_message_unref);
  g_clear_pointer (&st->waiter, cohort_test_client_free);
  g_clear_pointer (&st->mei, cohort_test_client_free);
  g_clear_pointer (&st->teacher, cohort_test_client_free);
  g_clear_pointer (&st->server, cohort_test_server_free);
}

/* A waiting socket may do nothing but ping, leave and wait. */
static void
waiting_room_waiting_socket_limited (WaitingRoom *st)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_request_types); i++)
    {
      g_autoptr(JsonObject) any = json_object_new ();

      json_object_set_int_member (any, "protocol", COHORT_PROTOCOL_VERSION);
      st->reply = cohort_test_client_request (st->waiter, all_request_types[i], NULL, any);
      g_assert_nonnull (st->reply);
      /* Forbidden, or refused by the protocol tables before anything
       * looks at who sends it (a body this test leaves empty). */
      if (cohort_message_get_kind (st->reply) != COHORT_MESSAGE_ERROR ||
          (cohort_message_get_error_code (st->reply) != COHORT_ERROR_FORBIDDEN &&
           !(cohort_message_get_error_code (st->reply) == COHORT_ERROR_INVALID &&
             (cohort_message_get_reason (st->reply) == COHORT_INVALID_MISSING_FIELD ||
              cohort_message_get_reason (st->reply) == COHORT_INVALID_OUT_OF_RANGE ||
              cohort_message_get_reason (st->reply) == COHORT_INVALID_WRONG_TYPE))))
        g_error ("%s from the waiting room: %s", all_request_types[i],
                 cohort_message_get_error_message (st->reply));
      g_clear_pointer (&st->reply, cohort_message_unref);
    }
  st->reply = cohort_test_client_request_ok (st->waiter, COHORT_REQ_PING, NULL);
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* The class goes on without them: they hear none of it, and students
 * do not see them. */
static void
waiting_room_class_goes_on (WaitingRoom *st)
{
  st->reply = settings (st->teacher, "waiting_room", FALSE);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = join (st->mei, st->code, "Mei");
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (st->reply), "admission"), ==, "admitted");
  {
    JsonArray *participants = json_object_get_array_member (cohort_message_get_body (st->reply), "participants");

    for (guint i = 0; i < json_array_get_length (participants); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (participants, i), "id"),
                       !=, st->waiter_id);
  }
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->mei, COHORT_REQ_HAND_RAISE, NULL);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->event = cohort_test_client_next_event (st->teacher, COHORT_EV_HAND_RAISED);
  g_assert_nonnull (st->event);
  g_clear_pointer (&st->event, cohort_message_unref);
  st->drained = cohort_test_client_drain (st->waiter, 300);
  g_assert_cmpuint (st->drained->len, ==, 0);
}

/* Admitted: told so, then resumes on the same socket and is in. */
static void
waiting_room_admitted (WaitingRoom *st)
{
  st->reply = participant_request (st->teacher, COHORT_REQ_ADMISSION_ADMIT, st->waiter_id, FALSE);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->event = cohort_test_client_next_event (st->waiter, COHORT_EV_ADMISSION_GRANTED);
  g_assert_nonnull (st->event);
  g_clear_pointer (&st->event, cohort_message_unref);
  st->event = cohort_test_client_next_event (st->mei, COHORT_EV_PARTICIPANT_JOINED);
  g_assert_nonnull (st->event);
  g_clear_pointer (&st->event, cohort_message_unref);
  st->reply = resume (st->waiter, st->token, COHORT_MAX_SAFE_INT);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (st->reply), "admission"), ==, "admitted");
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (st->reply), "mode"), ==, "snapshot");
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->waiter, COHORT_REQ_HAND_RAISE, NULL);
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* Once admitted, the token comes back without waiting, even with the
 * waiting room on again. */
static void
waiting_room_token_returns (WaitingRoom *st)
{
  st->reply = settings (st->teacher, "waiting_room", TRUE);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&st->reply, cohort_message_unref);
  cohort_test_client_drop (st->waiter);
  {
    g_autoptr(CohortTestClient) again = cohort_test_client_new (st->url);

    st->reply = resume (again, st->token, 0);
    g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
    g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (st->reply), "admission"), ==, "admitted");
  }
}

static const CohortTestStageFunc waiting_room_stages[] = {
  (CohortTestStageFunc) waiting_room_waiting_socket_limited,
  (CohortTestStageFunc) waiting_room_class_goes_on,
  (CohortTestStageFunc) waiting_room_admitted,
  (CohortTestStageFunc) waiting_room_token_returns,
};

static const char *waiting_room_cases[] = {
  "waiting-socket-limited",
  "class-goes-on",
  "admitted",
  "token-returns",
};

/* Someone with the class code cannot fill the waiting room without end:
 * past COHORT_MAX_WAITING the join is refused, and a waiting room the
 * teacher emptied takes students again. */
static void
test_waiting_room_full (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *db = cohort_test_server_get_db_path (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) last = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) later = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), TRUE);
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) first = NULL;
  g_autoptr(JsonObject) all = json_object_new ();
  g_autofree char *sql = NULL;

  /* Every place taken by strangers who came and went: they wait no more,
   * so they neither fill the room nor get let in by "admit all". */
  sql = g_strdup_printf ("WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
                         "INSERT INTO participants (class_id, name, role, online, created_at) "
                         "SELECT c.id, 'Spam ' || n.i, 'student', 0, 0 FROM n, classes c WHERE c.code = '%s';"
                         "INSERT INTO members (participant_id, class_id, admitted) "
                         "SELECT p.id, p.class_id, 0 FROM participants p "
                         "WHERE p.name LIKE 'Spam %%';",
                         COHORT_MAX_WAITING, class_code (created));
  cohort_test_db_exec (db, sql);

  first = join (last, class_code (created), "Last");
  g_assert_cmpint (cohort_message_get_kind (first), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (first), "admission"), ==, "waiting");

  json_object_set_boolean_member (all, "all", TRUE);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_ADMISSION_ADMIT, all);
  {
    JsonArray *ids = json_object_get_array_member (cohort_message_get_body (reply), "participant_ids");

    g_assert_cmpuint (json_array_get_length (ids), ==, 1);
    g_assert_cmpint (json_array_get_int_element (ids, 0), ==, you_id (first));
  }
  g_clear_pointer (&reply, cohort_message_unref);

  reply = join (later, class_code (created), "Later");
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
}

static void
test_admit_all_and_deny (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) a = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) b = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) c = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), TRUE);
  g_autoptr(CohortMessage) ra = join (a, class_code (created), "A");
  g_autoptr(CohortMessage) rb = join (b, class_code (created), "B");
  g_autoptr(CohortMessage) rc = join (c, class_code (created), "C");
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(JsonObject) all = json_object_new ();

  reply = participant_request (teacher, COHORT_REQ_ADMISSION_DENY, you_id (rc), FALSE);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (c, COHORT_EV_PARTICIPANT_REMOVED);
  g_assert_nonnull (event);
  g_assert_true (cohort_test_client_wait_closed (c, 5000));
  g_clear_pointer (&event, cohort_message_unref);

  json_object_set_boolean_member (all, "all", TRUE);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_ADMISSION_ADMIT, all);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (reply),
                                                                         "participant_ids")), ==, 2);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (a, COHORT_EV_ADMISSION_GRANTED);
  g_assert_nonnull (event);
  g_clear_pointer (&event, cohort_message_unref);
  event = cohort_test_client_next_event (b, COHORT_EV_ADMISSION_GRANTED);
  g_assert_nonnull (event);

  /* A denied token is gone; admitting someone not waiting is not_found. */
  {
    g_autoptr(CohortTestClient) back = cohort_test_client_new (url);

    g_clear_pointer (&reply, cohort_message_unref);
    reply = resume (back, json_object_get_string_member (cohort_message_get_body (rc), "token"), 0);
    assert_error (reply, "unauthorized", NULL);
  }
  g_clear_pointer (&reply, cohort_message_unref);
  reply = participant_request (teacher, COHORT_REQ_ADMISSION_ADMIT, you_id (ra), FALSE);
  assert_error (reply, "not_found", "participant_id");
}

static gboolean
lists_participant (CohortMessage *reply,
                   gint64         id)
{
  JsonArray *participants = json_object_get_array_member (cohort_message_get_body (reply), "participants");

  for (guint i = 0; i < json_array_get_length (participants); i++)
    if (json_object_get_int_member (json_array_get_object_element (participants, i), "id") == id)
      return TRUE;
  return FALSE;
}

/* A waiter who closes the app leaves the teacher's list (event, and the
 * teacher's snapshot), is not let in by "admit all", and is listed again
 * when they come back still waiting. */
static void
test_waiting_left (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) a = cohort_test_client_new (url);
  CohortTestClient *b = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), TRUE);
  g_autoptr(CohortMessage) ra = join (a, class_code (created), "A");
  g_autoptr(CohortMessage) rb = join (b, class_code (created), "B");
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(JsonObject) all = json_object_new ();
  const char *teacher_token = json_object_get_string_member (cohort_message_get_body (created), "token");
  g_autofree char *b_token = g_strdup (json_object_get_string_member (cohort_message_get_body (rb), "token"));

  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (rb), "admission"), ==, "waiting");
  for (guint i = 0; i < 2; i++)
    {
      event = cohort_test_client_next_event (teacher, COHORT_EV_PARTICIPANT_WAITING);
      g_assert_nonnull (event);
      g_clear_pointer (&event, cohort_message_unref);
    }

  /* B closes the app: the teacher is told, and A is not. */
  cohort_test_client_close (b);
  g_clear_pointer (&b, cohort_test_client_free);
  event = cohort_test_client_next_event (teacher, COHORT_EV_WAITING_LEFT);
  g_assert_nonnull (event);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (event), "participant_id"), ==, you_id (rb));
  g_clear_pointer (&event, cohort_message_unref);

  /* The teacher's snapshot lists A waiting, not B. */
  {
    g_autoptr(CohortTestClient) device = cohort_test_client_new (url);

    reply = resume (device, teacher_token, G_MAXINT32);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (reply), "mode"), ==, "snapshot");
    g_assert_true (lists_participant (reply, you_id (ra)));
    g_assert_false (lists_participant (reply, you_id (rb)));
    g_clear_pointer (&reply, cohort_message_unref);
  }

  /* "Admit all" lets in those waiting now; B by id is not waiting now. */
  reply = participant_request (teacher, COHORT_REQ_ADMISSION_ADMIT, you_id (rb), FALSE);
  assert_error (reply, "not_found", "participant_id");
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_boolean_member (all, "all", TRUE);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_ADMISSION_ADMIT, all);
  {
    JsonArray *ids = json_object_get_array_member (cohort_message_get_body (reply), "participant_ids");

    g_assert_cmpuint (json_array_get_length (ids), ==, 1);
    g_assert_cmpint (json_array_get_int_element (ids, 0), ==, you_id (ra));
  }
  g_clear_pointer (&reply, cohort_message_unref);

  /* B comes back with the token: waiting again, and listed again. */
  b = cohort_test_client_new (url);
  reply = resume (b, b_token, 0);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (reply), "admission"), ==, "waiting");
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (teacher, COHORT_EV_PARTICIPANT_WAITING);
  g_assert_nonnull (event);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cohort_message_get_body (event),
                                                                              "participant"), "id"), ==, you_id (rb));
  g_clear_pointer (&event, cohort_message_unref);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_ADMISSION_ADMIT, all);
  {
    JsonArray *ids = json_object_get_array_member (cohort_message_get_body (reply), "participant_ids");

    g_assert_cmpuint (json_array_get_length (ids), ==, 1);
    g_assert_cmpint (json_array_get_int_element (ids, 0), ==, you_id (rb));
  }
  event = cohort_test_client_next_event (b, COHORT_EV_ADMISSION_GRANTED);
  g_assert_nonnull (event);
  cohort_test_client_free (b);
}

static void
test_lock_and_anonymous (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) mei = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), FALSE);
  g_autoptr(CohortMessage) joined = join (mei, class_code (created), "Mei");
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(JsonObject) import = json_object_new ();
  g_autofree char *personal = NULL;
  JsonArray *students = json_array_new ();
  JsonObject *sam = json_object_new ();

  json_object_set_string_member (sam, "name", "Sam");
  json_array_add_object_element (students, sam);
  json_object_set_array_member (import, "students", students);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_ROSTER_IMPORT, import);
  personal = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (cohort_message_get_body (reply), "students"), 0),
    "personal_code"));
  g_clear_pointer (&reply, cohort_message_unref);

  reply = settings (teacher, "locked", TRUE);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (cohort_message_get_body (reply),
                                                                                 "class"), "locked"));
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (mei, COHORT_EV_CLASS_UPDATED);
  g_assert_nonnull (event);
  g_clear_pointer (&event, cohort_message_unref);

  {
    g_autoptr(CohortTestClient) stranger = cohort_test_client_new (url);
    g_autoptr(CohortTestClient) back = cohort_test_client_new (url);

    reply = join (stranger, class_code (created), "Eve");
    assert_error (reply, "forbidden", "code");
    g_clear_pointer (&reply, cohort_message_unref);
    /* Those already in come back. */
    reply = resume (back, json_object_get_string_member (cohort_message_get_body (joined), "token"), 0);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    g_clear_pointer (&reply, cohort_message_unref);
  }

  reply = settings (teacher, "locked", FALSE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = settings (teacher, "anonymous_join", FALSE);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);
  {
    g_autoptr(CohortTestClient) stranger = cohort_test_client_new (url);
    g_autoptr(CohortTestClient) known = cohort_test_client_new (url);

    reply = join (stranger, class_code (created), "Eve");
    assert_error (reply, "forbidden", "code");
    g_clear_pointer (&reply, cohort_message_unref);
    reply = join (known, personal, NULL);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  }
}

static void
test_remove_and_block (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *credential = cohort_test_server_get_staff_credential (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) teacher2 = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) eve = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) mei = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, credential, FALSE);
  g_autoptr(CohortMessage) elsewhere = create_class (teacher2, credential, FALSE);
  g_autoptr(CohortMessage) joined = join (eve, class_code (created), "Eve");
  g_autoptr(CohortMessage) mei_joined = join (mei, class_code (created), "Mei");
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  gint64 eve_id = you_id (joined);

  /* Removed without a block: told, closed, token revoked; may come back
   * as someone new. */
  reply = participant_request (teacher, COHORT_REQ_PARTICIPANT_REMOVE, eve_id, FALSE);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (eve, COHORT_EV_PARTICIPANT_REMOVED);
  g_assert_nonnull (event);
  g_assert_false (json_object_get_boolean_member (cohort_message_get_body (event), "blocked"));
  g_clear_pointer (&event, cohort_message_unref);
  g_assert_true (cohort_test_client_wait_closed (eve, 5000));
  event = cohort_test_client_next_event (mei, COHORT_EV_PARTICIPANT_REMOVED);
  g_assert_nonnull (event);
  g_clear_pointer (&event, cohort_message_unref);
  {
    g_autoptr(CohortTestClient) back = cohort_test_client_new (url);
    g_autoptr(CohortTestClient) again = cohort_test_client_new (url);

    reply = resume (back, json_object_get_string_member (cohort_message_get_body (joined), "token"), 0);
    assert_error (reply, "unauthorized", NULL);
    g_clear_pointer (&reply, cohort_message_unref);
    reply = join (again, class_code (created), "Eve");
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    eve_id = you_id (reply);
    g_clear_pointer (&reply, cohort_message_unref);

    /* Removed with a block: her address may not join this class again. */
    reply = participant_request (teacher, COHORT_REQ_PARTICIPANT_REMOVE, eve_id, TRUE);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    g_clear_pointer (&reply, cohort_message_unref);
    g_assert_true (cohort_test_client_wait_closed (again, 5000));
  }
  {
    g_autoptr(CohortTestClient) blocked = cohort_test_client_new (url);
    g_autoptr(CohortTestClient) other_class = cohort_test_client_new (url);

    reply = join (blocked, class_code (created), "Evelyn");
    assert_error (reply, "forbidden", "code");
    g_clear_pointer (&reply, cohort_message_unref);
    reply = join (other_class, class_code (elsewhere), "Eve");
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    g_clear_pointer (&reply, cohort_message_unref);
  }

  /* Removed participants are gone from new snapshots. */
  {
    g_autoptr(CohortTestClient) back = cohort_test_client_new (url);
    JsonArray *participants;

    reply = resume (back, json_object_get_string_member (cohort_message_get_body (mei_joined), "token"),
                    COHORT_MAX_SAFE_INT);
    participants = json_object_get_array_member (cohort_message_get_body (reply), "participants");
    g_assert_cmpuint (json_array_get_length (participants), ==, 2);
  }
}

/* A student who joined before admission existed has no member row, so no
 * recorded address: "Remove and Block" blocks the address they are on. */
static void
test_block_student_from_before (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *db = cohort_test_server_get_db_path (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) eve = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) back = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), FALSE);
  g_autoptr(CohortMessage) joined = join (eve, class_code (created), "Eve");
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("DELETE FROM members WHERE participant_id = %" G_GINT64_FORMAT, you_id (joined));
  cohort_test_db_exec (db, sql);

  reply = participant_request (teacher, COHORT_REQ_PARTICIPANT_REMOVE, you_id (joined), TRUE);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_true (json_object_get_boolean_member (cohort_message_get_body (reply), "blocked"));
  g_clear_pointer (&reply, cohort_message_unref);
  g_assert_true (cohort_test_client_wait_closed (eve, 5000));

  reply = join (back, class_code (created), "Eve again");
  assert_error (reply, "forbidden", "code");
}

/* A student from before who is not connected has no address to block:
 * the reply says they were removed, not blocked. */
static void
test_block_offline_student_from_before (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *db = cohort_test_server_get_db_path (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) eve = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), FALSE);
  g_autoptr(CohortMessage) joined = join (eve, class_code (created), "Eve");
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autofree char *sql = NULL;

  cohort_test_client_close (eve);
  g_assert_true (cohort_test_client_wait_closed (eve, 5000));
  /* Offline for the server too. */
  for (;;)
    {
      event = cohort_test_client_next_event (teacher, COHORT_EV_PARTICIPANT_PRESENCE);
      g_assert_nonnull (event);
      if (!json_object_get_boolean_member (cohort_message_get_body (event), "online"))
        break;
      g_clear_pointer (&event, cohort_message_unref);
    }
  sql = g_strdup_printf ("DELETE FROM members WHERE participant_id = %" G_GINT64_FORMAT, you_id (joined));
  cohort_test_db_exec (db, sql);

  reply = participant_request (teacher, COHORT_REQ_PARTICIPANT_REMOVE, you_id (joined), TRUE);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_false (json_object_get_boolean_member (cohort_message_get_body (reply), "blocked"));
}

/* test_roster_personal_codes: the scenario's state, taken through the stages below. */
typedef struct
{
  CohortTestServer   *server;
  const char         *url;
  const char         *db;
  CohortTestClient   *teacher;
  CohortTestClient   *phone;
  CohortTestClient   *laptop;
  CohortMessage      *created;
  CohortMessage      *imported;
  CohortMessage      *reply;
  CohortMessage      *again;
  CohortMessage      *reply_lin;
  CohortTestClient   *fresh;
  JsonObject         *import;
  JsonObject         *reissue;
  char               *sam_code;
  char               *lin_code;
  char               *stored;
  char               *dashed;
  JsonArray          *students;
  JsonArray          *rows;
  JsonObject         *row;
  gint64             sam_id;
  gint64             lin_id;
  const char         *id;
} RosterCodes;

static void
roster_personal_codes_setup (RosterCodes *st)
{
  st->server = cohort_test_server_start (NULL);
  st->url = cohort_test_server_get_url (st->server);
  st->db = cohort_test_server_get_db_path (st->server);
  st->teacher = cohort_test_client_new (st->url);
  st->phone = cohort_test_client_new (st->url);
  st->laptop = cohort_test_client_new (st->url);
  st->created = create_class (st->teacher, cohort_test_server_get_staff_credential (st->server), TRUE);
  st->import = json_object_new ();
  st->reissue = json_object_new ();
  st->students = json_array_new ();
  st->id = "import-1";
  st->row = json_object_new ();
  json_object_set_string_member (st->row, "name", "Sam");
  json_object_set_string_member (st->row, "number", "S-001");
  json_array_add_object_element (st->students, st->row);
  st->row = json_object_new ();
  json_object_set_string_member (st->row, "name", "  Lin  ");
  json_array_add_object_element (st->students, st->row);
  json_object_set_array_member (st->import, "students", st->students);

  st->imported = cohort_test_client_request (st->teacher, COHORT_REQ_ROSTER_IMPORT, st->id, st->import);
  g_assert_cmpint (cohort_message_get_kind (st->imported), ==, COHORT_MESSAGE_OK);
  st->rows = json_object_get_array_member (cohort_message_get_body (st->imported), "students");
  g_assert_cmpuint (json_array_get_length (st->rows), ==, 2);
  st->sam_code = g_strdup (json_object_get_string_member (json_array_get_object_element (st->rows, 0), "personal_code"));
  st->sam_id = json_object_get_int_member (json_array_get_object_element (st->rows, 0), "participant_id");
  st->lin_code = g_strdup (json_object_get_string_member (json_array_get_object_element (st->rows, 1), "personal_code"));
  st->lin_id = json_object_get_int_member (json_array_get_object_element (st->rows, 1), "participant_id");
  g_assert_cmpuint (strlen (st->sam_code), ==, COHORT_PERSONAL_CODE_CHARS);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (st->rows, 1), "name"), ==, "Lin");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (st->rows, 0), "number"), ==, "S-001");
}

static void
roster_personal_codes_teardown (RosterCodes *st)
{
  g_clear_pointer (&st->dashed, g_free);
  g_clear_pointer (&st->stored, g_free);
  g_clear_pointer (&st->lin_code, g_free);
  g_clear_pointer (&st->sam_code, g_free);
  g_clear_pointer (&st->reissue, json_object_unref);
  g_clear_pointer (&st->import, json_object_unref);
  g_clear_pointer (&st->fresh, cohort_test_client_free);
  g_clear_pointer (&st->reply_lin, cohort_message_unref);
  g_clear_pointer (&st->again, cohort_message_unref);
  g_clear_pointer (&st->reply, cohort_message_unref);
  g_clear_pointer (&st->imported, cohort_message_unref);
  g_clear_pointer (&st->created, cohort_message_unref);
  g_clear_pointer (&st->laptop, cohort_test_client_free);
  g_clear_pointer (&st->phone, cohort_test_client_free);
  g_clear_pointer (&st->teacher, cohort_test_client_free);
  g_clear_pointer (&st->server, cohort_test_server_free);
}

/* Codes are shown once: the store keeps hashes, and a resend of the
 * request gets the reply without them. */
static void
roster_personal_codes_shown_once (RosterCodes *st)
{
  st->stored = cohort_test_db_query_text (st->db, "SELECT group_concat (reply) FROM requests");
  g_assert_null (strstr (st->stored, st->sam_code));
  st->again = cohort_test_client_request (st->teacher, COHORT_REQ_ROSTER_IMPORT, st->id, st->import);
  g_assert_cmpint (cohort_message_get_kind (st->again), ==, COHORT_MESSAGE_OK);
  g_assert_false (json_object_has_member (json_array_get_object_element (
    json_object_get_array_member (cohort_message_get_body (st->again), "students"), 0), "personal_code"));
  {
    g_autofree char *n = cohort_test_db_query_text (st->db, "SELECT count(*) FROM members WHERE known = 1");

    g_assert_cmpstr (n, ==, "2");
  }
}

/* The code is the student: any name typed, any device, no waiting room. */
static void
roster_personal_codes_code_is_student (RosterCodes *st)
{
  st->dashed = g_strdup_printf ("%.4s-%.4s-%s", st->sam_code, st->sam_code + 4, st->sam_code + 8);
  st->reply = join (st->phone, st->dashed, "whatever");
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpint (you_id (st->reply), ==, st->sam_id);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (st->reply), "admission"), ==, "admitted");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cohort_message_get_body (st->reply),
                                                                                  "you"), "name"), ==, "Sam");
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = join (st->laptop, st->sam_code, NULL);
  g_assert_cmpint (you_id (st->reply), ==, st->sam_id);
  g_clear_pointer (&st->reply, cohort_message_unref);

  st->reply = cohort_test_client_request_ok (st->teacher, COHORT_REQ_ROSTER_LIST, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (st->reply),
                                                                         "students")), ==, 2);
  {
    g_autofree char *listed = cohort_message_to_json (st->reply, NULL);

    g_assert_null (strstr (listed, "personal_code"));
  }
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* A new code replaces the old one. */
static void
roster_personal_codes_new_code_replaces (RosterCodes *st)
{
  json_object_set_int_member (st->reissue, "participant_id", st->lin_id);
  st->reply_lin = cohort_test_client_request_ok (st->teacher, COHORT_REQ_ROSTER_REISSUE, st->reissue);
  {
    g_autoptr(CohortTestClient) old = cohort_test_client_new (st->url);
    g_autoptr(CohortMessage) r = join (old, st->lin_code, NULL);

    assert_error (r, "not_found", "code");
    g_clear_pointer (&r, cohort_message_unref);
    st->fresh = cohort_test_client_new (st->url);
    r = join (st->fresh, json_object_get_string_member (cohort_message_get_body (st->reply_lin), "personal_code"), NULL);
    g_assert_cmpint (you_id (r), ==, st->lin_id);
  }
}

/* Removed without a block: the code brings them back, and everyone's
 * roster gets them again. */
static void
roster_personal_codes_removed_returns (RosterCodes *st)
{
  st->reply = participant_request (st->teacher, COHORT_REQ_PARTICIPANT_REMOVE, st->lin_id, FALSE);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&st->reply, cohort_message_unref);
  {
    g_autoptr(CohortMessage) issued = NULL;
    g_autoptr(CohortMessage) event = NULL;
    g_autoptr(CohortTestClient) back = cohort_test_client_new (st->url);
    g_autoptr(CohortMessage) r = NULL;

    json_object_set_int_member (st->reissue, "participant_id", st->lin_id);
    issued = cohort_test_client_request (st->teacher, COHORT_REQ_ROSTER_REISSUE, NULL, st->reissue);
    /* Not a student of the class while removed. */
    assert_error (issued, "not_found", "participant_id");
    r = join (back, json_object_get_string_member (cohort_message_get_body (st->reply_lin), "personal_code"), NULL);
    g_assert_cmpint (you_id (r), ==, st->lin_id);
    /* The import's own participant.joined events come first. */
    for (;;)
      {
        g_clear_pointer (&event, cohort_message_unref);
        event = cohort_test_client_next_event (st->teacher, COHORT_EV_PARTICIPANT_JOINED);
        g_assert_nonnull (event);
        JsonObject *participant = json_object_get_object_member (cohort_message_get_body (event),
                                                                 "participant");

        /* The import's says offline; the return, online. */
        if (json_object_get_int_member (participant, "id") == st->lin_id &&
            json_object_get_boolean_member (participant, "online"))
          break;
      }
  }
}

/* Blocked: the code no longer opens the class. */
static void
roster_personal_codes_blocked (RosterCodes *st)
{
  st->reply = participant_request (st->teacher, COHORT_REQ_PARTICIPANT_REMOVE, st->sam_id, TRUE);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&st->reply, cohort_message_unref);
  g_assert_true (cohort_test_client_wait_closed (st->phone, 5000));
  g_assert_true (cohort_test_client_wait_closed (st->laptop, 5000));
  {
    g_autoptr(CohortTestClient) back = cohort_test_client_new (st->url);

    st->reply = join (back, st->sam_code, NULL);
    assert_error (st->reply, "forbidden", "code");
  }
}

static const CohortTestStageFunc roster_personal_codes_stages[] = {
  (CohortTestStageFunc) roster_personal_codes_shown_once,
  (CohortTestStageFunc) roster_personal_codes_code_is_student,
  (CohortTestStageFunc) roster_personal_codes_new_code_replaces,
  (CohortTestStageFunc) roster_personal_codes_removed_returns,
  (CohortTestStageFunc) roster_personal_codes_blocked,
};

static const char *roster_personal_codes_cases[] = {
  "shown-once",
  "code-is-student",
  "new-code-replaces",
  "removed-returns",
  "blocked",
};

/* A reissued code is the remedy for a leaked one: whoever came in with the
 * old code (another student, say) is signed out, and their token no
 * longer brings them back. */
static void
test_reissue_signs_out (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) impostor = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) again = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) real = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), TRUE);
  g_autoptr(CohortMessage) imported = NULL;
  g_autoptr(CohortMessage) joined = NULL;
  g_autoptr(CohortMessage) reissued = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) import = json_object_new ();
  g_autoptr(JsonObject) reissue = json_object_new ();
  JsonArray *students = json_array_new ();
  JsonObject *row = json_object_new ();
  JsonObject *first;
  g_autofree char *token = NULL;
  gint64 lin_id;

  json_object_set_string_member (row, "name", "Lin");
  json_array_add_object_element (students, row);
  json_object_set_array_member (import, "students", students);
  imported = cohort_test_client_request_ok (teacher, COHORT_REQ_ROSTER_IMPORT, import);
  first = json_array_get_object_element (json_object_get_array_member (cohort_message_get_body (imported),
                                                                       "students"), 0);
  lin_id = json_object_get_int_member (first, "participant_id");

  joined = join (impostor, json_object_get_string_member (first, "personal_code"), NULL);
  g_assert_cmpint (you_id (joined), ==, lin_id);
  token = g_strdup (json_object_get_string_member (cohort_message_get_body (joined), "token"));

  json_object_set_int_member (reissue, "participant_id", lin_id);
  reissued = cohort_test_client_request_ok (teacher, COHORT_REQ_ROSTER_REISSUE, reissue);

  g_assert_true (cohort_test_client_wait_closed (impostor, 5000));
  reply = resume (again, token, 0);
  assert_error (reply, "unauthorized", "token");
  g_clear_pointer (&reply, cohort_message_unref);

  /* The new code works, and the student is in the class as before. */
  reply = join (real, json_object_get_string_member (cohort_message_get_body (reissued), "personal_code"), NULL);
  g_assert_cmpint (you_id (reply), ==, lin_id);
}

/* Chat's rate limit is the participant's: coming back by personal code on
 * another socket does not refill it. */
static void
test_chat_limit_follows_identity (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) first = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) second = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), FALSE);
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) import = json_object_new ();
  g_autofree char *code = NULL;
  JsonArray *students = json_array_new ();
  JsonObject *sam = json_object_new ();
  guint n_limited = 0;

  json_object_set_string_member (sam, "name", "Sam");
  json_array_add_object_element (students, sam);
  json_object_set_array_member (import, "students", students);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_ROSTER_IMPORT, import);
  code = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (cohort_message_get_body (reply), "students"), 0),
    "personal_code"));
  g_clear_pointer (&reply, cohort_message_unref);

  reply = join (first, code, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  /* Spend the burst (5), until refused. */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_string_member (body, "text", "spam");
      reply = cohort_test_client_request (first, "chat.send", NULL, body);
      if (cohort_message_get_error_code (reply) == COHORT_ERROR_RATE_LIMITED &&
          cohort_message_get_kind (reply) == COHORT_MESSAGE_ERROR)
        n_limited++;
      g_clear_pointer (&reply, cohort_message_unref);
    }
  g_assert_cmpuint (n_limited, >, 0);

  /* Five more at once from the other device: a fresh participant would
   * get all five through; the same one gets at most the few refilled
   * since (one a second). */
  reply = join (second, code, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  n_limited = 0;
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_string_member (body, "text", "more spam");
      reply = cohort_test_client_request (second, "chat.send", NULL, body);
      if (cohort_message_get_kind (reply) == COHORT_MESSAGE_ERROR &&
          cohort_message_get_error_code (reply) == COHORT_ERROR_RATE_LIMITED)
        n_limited++;
      g_clear_pointer (&reply, cohort_message_unref);
    }
  g_assert_cmpuint (n_limited, >, 0);
}

/* A hostile student sends every teacher action of admission and staff:
 * all refused, nothing changed. */
static void
test_student_cannot_manage (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) eve = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) mei = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) waiter = cohort_test_client_new (url);
  g_autoptr(CohortMessage) created = create_class (teacher, cohort_test_server_get_staff_credential (server), FALSE);
  g_autoptr(CohortMessage) eve_joined = join (eve, class_code (created), "Eve");
  g_autoptr(CohortMessage) mei_joined = join (mei, class_code (created), "Mei");
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) waiting = NULL;
  g_autofree char *n_before = NULL;
  g_autofree char *n_after = NULL;
  const char *db = cohort_test_server_get_db_path (server);

  reply = settings (teacher, "waiting_room", TRUE);
  g_clear_pointer (&reply, cohort_message_unref);
  waiting = join (waiter, class_code (created), "Wan");
  n_before = cohort_test_db_query_text (db, "SELECT count(*) || '/' || (SELECT count(*) FROM tokens) || '/' || "
                                            "(SELECT group_concat (admitted || removed) FROM members) || '/' || "
                                            "(SELECT waiting_room || locked || anonymous_join FROM class_access) "
                                            "FROM participants");

  for (guint i = 0; i < G_N_ELEMENTS (teacher_admission_types); i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      JsonArray *students = json_array_new ();
      JsonObject *student = json_object_new ();

      /* Bodies that would be valid from the teacher. */
      json_object_set_int_member (body, "participant_id",
                                  g_str_equal (teacher_admission_types[i], COHORT_REQ_ADMISSION_ADMIT) ||
                                  g_str_equal (teacher_admission_types[i], COHORT_REQ_ADMISSION_DENY)
                                  ? you_id (waiting) : you_id (mei_joined));
      json_object_set_boolean_member (body, "block", TRUE);
      json_object_set_boolean_member (body, "locked", TRUE);
      json_object_set_boolean_member (body, "anonymous_join", FALSE);
      json_object_set_string_member (student, "name", "Ghost");
      json_array_add_object_element (students, student);
      json_object_set_array_member (body, "students", students);

      reply = cohort_test_client_request (eve, teacher_admission_types[i], NULL, body);
      assert_error (reply, "forbidden", NULL);
      g_clear_pointer (&reply, cohort_message_unref);
    }

  /* Staff requests need no class, so a joined socket cannot send them. */
  reply = staff_request (eve, COHORT_REQ_STAFF_ARCHIVE, cohort_test_server_get_staff_credential (server),
                         class_code (created));
  assert_error (reply, "invalid", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  n_after = cohort_test_db_query_text (db, "SELECT count(*) || '/' || (SELECT count(*) FROM tokens) || '/' || "
                                           "(SELECT group_concat (admitted || removed) FROM members) || '/' || "
                                           "(SELECT waiting_room || locked || anonymous_join FROM class_access) "
                                           "FROM participants");
  g_assert_cmpstr (n_before, ==, n_after);
  g_assert_false (cohort_test_client_is_closed (mei));
}

int
main (int   argc,
      char *argv[])
{
  RosterCodes roster_personal_codes_state = { 0 };
  g_autoptr(CohortTestStages) roster_personal_codes_run = NULL;
  WaitingRoom waiting_room_state = { 0 };
  g_autoptr(CohortTestStages) waiting_room_run = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/identity/staff/create-needs-staff", test_create_needs_staff);
  g_test_add_func ("/cohort/identity/staff/cli", test_staff_cli);
  g_test_add_func ("/cohort/identity/staff/cli-ambiguous", test_staff_cli_ambiguous);
  g_test_add_func ("/cohort/identity/staff/revoked-staff-loses-classes", test_revoked_staff_loses_classes);
  g_test_add_func ("/cohort/identity/staff/no-staff-logged", test_no_staff_logged);
  g_test_add_func ("/cohort/identity/staff/guessing-throttled", test_staff_guessing_throttled);
  g_test_add_func ("/cohort/identity/staff/classes-and-archive", test_staff_classes_and_archive);
  g_test_add_func ("/cohort/identity/staff/new-lesson", test_new_lesson);
  waiting_room_run = cohort_test_stages_new (&waiting_room_state,
                                             (CohortTestStageFunc) waiting_room_setup,
                                             (CohortTestStageFunc) waiting_room_teardown,
                                             waiting_room_stages,
                                             G_N_ELEMENTS (waiting_room_stages));
  cohort_test_stages_add_each (waiting_room_run, "/cohort/identity/admission/waiting-room",
                               waiting_room_cases);
  g_test_add_func ("/cohort/identity/admission/waiting-room-full", test_waiting_room_full);
  g_test_add_func ("/cohort/identity/admission/admit-all-and-deny", test_admit_all_and_deny);
  g_test_add_func ("/cohort/identity/admission/waiting-left", test_waiting_left);
  g_test_add_func ("/cohort/identity/admission/lock-and-anonymous", test_lock_and_anonymous);
  g_test_add_func ("/cohort/identity/admission/remove-and-block", test_remove_and_block);
  g_test_add_func ("/cohort/identity/admission/block-student-from-before", test_block_student_from_before);
  g_test_add_func ("/cohort/identity/admission/block-offline-student-from-before",
                   test_block_offline_student_from_before);
  roster_personal_codes_run =
    cohort_test_stages_new (&roster_personal_codes_state,
                            (CohortTestStageFunc) roster_personal_codes_setup,
                            (CohortTestStageFunc) roster_personal_codes_teardown,
                            roster_personal_codes_stages,
                            G_N_ELEMENTS (roster_personal_codes_stages));
  cohort_test_stages_add_each (roster_personal_codes_run, "/cohort/identity/roster/personal-codes",
                               roster_personal_codes_cases);
  g_test_add_func ("/cohort/identity/roster/reissue-signs-out", test_reissue_signs_out);
  g_test_add_func ("/cohort/identity/limits/chat-follows-identity", test_chat_limit_follows_identity);
  g_test_add_func ("/cohort/identity/student-cannot-manage", test_student_cannot_manage);

  return g_test_run ();
}
