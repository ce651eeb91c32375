/* test-media-moderation.c: media.mute_all's roles and validation against
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

typedef struct
{
  CohortTestServer *server;
  CohortTestClient *teacher;
  CohortTestClient *student;
  JsonObject       *created;
  JsonObject       *joined;
} Physics;

static void
physics_open (Physics *p)
{
  const char *code;

  p->server = cohort_test_server_start (NULL);
  p->teacher = cohort_test_client_new (cohort_test_server_get_url (p->server));
  p->student = cohort_test_client_new (cohort_test_server_get_url (p->server));
  p->created = cohort_test_client_create_class (p->teacher, "Physics", "Ms Li");
  code = json_object_get_string_member (json_object_get_object_member (p->created, "class"), "code");
  p->joined = cohort_test_client_join (p->student, code, "Mei", NULL);
}

static void
physics_close (Physics *p)
{
  g_clear_pointer (&p->teacher, cohort_test_client_free);
  g_clear_pointer (&p->student, cohort_test_client_free);
  g_clear_pointer (&p->joined, json_object_unref);
  g_clear_pointer (&p->created, json_object_unref);
  g_clear_pointer (&p->server, cohort_test_server_free);
}

/* Students are refused; a bad body is refused by field; the teacher of a
 * class nobody publishes in mutes nobody, and the connection goes on. */
static void
test_roles_and_validation (void)
{
  Physics p = { 0 };
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  physics_open (&p);

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

  physics_close (&p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/server/media/mute-all-roles", test_roles_and_validation);

  return g_test_run ();
}
