/* test-media-moderation.c: media.mute_all's, media.mute_student's and
 * media.allow_unmute's roles and validation, and who is kept muted in the
 * welcome across a rejoin and a restart, against
 * a real cohort-server (no Janus here: tests/media mutes real feeds)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cohort-media-protocol.h"
#include "cohort-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"

/* Students are refused; a bad body is refused by field; the teacher of a
 * class nobody publishes in mutes nobody, and the connection goes on. */
static void
test_roles_and_validation (void)
{
  CohortTestClassroom p = { 0 };
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  cohort_test_classroom_open (&p, "Physics", "Ms Li", "Mei");

  reply = cohort_test_client_request (p.student, COHORT_REQ_MEDIA_MUTE_ALL, NULL, body);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  json_object_set_string_member (body, "keep_muted", "yes");
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_MEDIA_MUTE_ALL, NULL, body);
  cohort_test_client_assert_error (reply, "invalid", "keep_muted");
  g_clear_pointer (&reply, cohort_message_unref);

  json_object_set_boolean_member (body, "keep_muted", TRUE);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_MUTE_ALL, body);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "muted"), ==, 0);
  g_clear_pointer (&reply, cohort_message_unref);

  reply = cohort_test_client_request_ok (p.student, COHORT_REQ_PING, NULL);

  cohort_test_classroom_close (&p);
}

/* media.mute_student and media.allow_unmute: the teacher's only, for a
 * student of the class; a student kept muted before they publish is told
 * at once, and told again when the teacher lets them unmute. */
static void
test_one_student (void)
{
  CohortTestClassroom p = { 0 };
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *ev;

  cohort_test_classroom_open (&p, "Physics", "Ms Li", "Mei");

  /* Validation: the student is required, and must be a student here. */
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, NULL, body);
  cohort_test_client_assert_error (reply, "invalid", "participant_id");
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_string_member (body, "participant_id", "Mei");
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, NULL, body);
  cohort_test_client_assert_error (reply, "invalid", "participant_id");
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_int_member (body, "participant_id", p.teacher_id);
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, NULL, body);
  cohort_test_client_assert_error (reply, "not_found", "participant_id");
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_int_member (body, "participant_id", p.student_id + 1000);
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, NULL, body);
  cohort_test_client_assert_error (reply, "not_found", "participant_id");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Students may neither mute nor lift a mute. */
  json_object_set_int_member (body, "participant_id", p.student_id);
  reply = cohort_test_client_request (p.student, COHORT_REQ_MEDIA_MUTE_STUDENT, NULL, body);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request (p.student, COHORT_REQ_MEDIA_ALLOW_UNMUTE, NULL, body);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Muting a student who publishes nothing mutes nothing and says nothing. */
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, body);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "muted"), ==, 0);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Kept muted: told now, before any publication. */
  json_object_set_boolean_member (body, "keep_muted", TRUE);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, body);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "muted"), ==, 0);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (p.student, COHORT_EV_MEDIA_MUTED_BY_TEACHER);
  g_assert_nonnull (event);
  ev = cohort_message_get_body (event);
  g_assert_cmpint (json_object_get_int_member (ev, "participant_id"), ==, p.student_id);
  g_assert_cmpint (json_object_get_int_member (ev, "by"), ==, p.teacher_id);
  g_assert_true (json_object_get_boolean_member (ev, "keep_muted"));
  g_clear_pointer (&event, cohort_message_unref);

  /* Lifted for her: she is told; lifting again releases nobody. */
  json_object_remove_member (body, "keep_muted");
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_ALLOW_UNMUTE, body);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "released"), ==, 1);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (p.student, COHORT_EV_MEDIA_UNMUTE_ALLOWED);
  g_assert_nonnull (event);
  ev = cohort_message_get_body (event);
  g_assert_cmpint (json_object_get_int_member (ev, "participant_id"), ==, p.student_id);
  g_assert_cmpint (json_object_get_int_member (ev, "by"), ==, p.teacher_id);
  g_clear_pointer (&event, cohort_message_unref);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_ALLOW_UNMUTE, body);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "released"), ==, 0);
  g_clear_pointer (&reply, cohort_message_unref);

  /* For everyone (no participant_id): she was kept again, and is let go. */
  json_object_set_boolean_member (body, "keep_muted", TRUE);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, body);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_ALLOW_UNMUTE, NULL);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "released"), ==, 1);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (p.student, COHORT_EV_MEDIA_UNMUTE_ALLOWED);
  g_assert_nonnull (event);
  g_clear_pointer (&event, cohort_message_unref);

  reply = cohort_test_client_request_ok (p.student, COHORT_REQ_PING, NULL);

  cohort_test_classroom_close (&p);
}

/* A snapshot resume (what a client that reopens the class asks for):
 * media.kept_muted of its welcome, as participant ids. */
static GArray *
kept_after_resume (CohortTestClient *c,
                   const char       *token)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *kept;

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", token);
  json_object_set_int_member (body, "last_seq", G_MAXINT32);
  reply = cohort_test_client_request_ok (c, COHORT_REQ_RESUME, body);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (reply), "mode"), ==, "snapshot");
  kept = json_object_get_array_member (json_object_get_object_member (cohort_message_get_body (reply), "media"),
                                       "kept_muted");
  g_assert_nonnull (kept);
  for (guint i = 0; i < json_array_get_length (kept); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (kept, i), "participant_id");

      g_array_append_val (ids, id);
    }
  return ids;
}

static CohortTestClient *
reconnect (CohortTestClassroom *p,
           CohortTestClient   **client)
{
  g_clear_pointer (client, cohort_test_client_free);
  *client = cohort_test_client_new (cohort_test_server_get_url (p->server));
  return *client;
}

/* keep_muted is class state: the welcome of a student who comes back says
 * they are kept muted (and nobody else), the teacher's says who is, and
 * both hold after the server restarts; Allow Microphone after the restart
 * releases her, and its resend gets the same answer. */
static void
test_kept_across_rejoin_and_restart (void)
{
  CohortTestClassroom p = { 0 };
  g_autoptr(CohortTestClient) bo = NULL;
  g_autoptr(JsonObject) bo_joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) again = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GArray) kept = NULL;
  g_autofree char *bo_token = NULL;

  cohort_test_classroom_open (&p, "Physics", "Ms Li", "Mei");
  bo = cohort_test_client_new (cohort_test_server_get_url (p.server));
  bo_joined = cohort_test_client_join (bo, p.code, "Bo", NULL);
  bo_token = g_strdup (json_object_get_string_member (bo_joined, "token"));

  json_object_set_int_member (body, "participant_id", p.student_id);
  json_object_set_boolean_member (body, "keep_muted", TRUE);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_MEDIA_MUTE_STUDENT, body);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Mei's connection drops; she comes back by her token. */
  cohort_test_client_drop (p.student);
  kept = kept_after_resume (reconnect (&p, &p.student), p.token);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpint (g_array_index (kept, gint64, 0), ==, p.student_id);
  g_clear_pointer (&kept, g_array_unref);
  /* Bo is told of nobody; the teacher of Mei. */
  kept = kept_after_resume (reconnect (&p, &bo), bo_token);
  g_assert_cmpuint (kept->len, ==, 0);
  g_clear_pointer (&kept, g_array_unref);
  kept = kept_after_resume (reconnect (&p, &p.teacher), p.teacher_token);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpint (g_array_index (kept, gint64, 0), ==, p.student_id);
  g_clear_pointer (&kept, g_array_unref);

  /* A restarted server still keeps her muted. */
  g_clear_pointer (&p.teacher, cohort_test_client_free);
  g_clear_pointer (&p.student, cohort_test_client_free);
  g_clear_pointer (&bo, cohort_test_client_free);
  cohort_test_server_restart (p.server);
  kept = kept_after_resume (reconnect (&p, &p.student), p.token);
  g_assert_cmpuint (kept->len, ==, 1);
  g_clear_pointer (&kept, g_array_unref);
  kept = kept_after_resume (reconnect (&p, &p.teacher), p.teacher_token);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpint (g_array_index (kept, gint64, 0), ==, p.student_id);
  g_clear_pointer (&kept, g_array_unref);

  /* Released after the restart (the store is what holds her); a resend
   * of the same request id is answered as the first was. */
  json_object_remove_member (body, "keep_muted");
  reply = cohort_test_client_request (p.teacher, COHORT_REQ_MEDIA_ALLOW_UNMUTE, "allow-mei", body);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "released"), ==, 1);
  again = cohort_test_client_request (p.teacher, COHORT_REQ_MEDIA_ALLOW_UNMUTE, "allow-mei", body);
  g_assert_cmpint (cohort_message_get_kind (again), ==, COHORT_MESSAGE_OK);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (again), "released"), ==, 1);
  event = cohort_test_client_next_event (p.student, COHORT_EV_MEDIA_UNMUTE_ALLOWED);
  g_assert_nonnull (event);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (event), "participant_id"), ==,
                   p.student_id);

  kept = kept_after_resume (reconnect (&p, &p.student), p.token);
  g_assert_cmpuint (kept->len, ==, 0);
  g_clear_pointer (&kept, g_array_unref);

  cohort_test_classroom_close (&p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/server/media/mute-all-roles", test_roles_and_validation);
  g_test_add_func ("/cohort/server/media/mute-student", test_one_student);
  g_test_add_func ("/cohort/server/media/kept-muted-rejoin-restart", test_kept_across_rejoin_and_restart);

  return g_test_run ();
}
