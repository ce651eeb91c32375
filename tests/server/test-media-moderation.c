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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/server/media/mute-all-roles", test_roles_and_validation);

  return g_test_run ();
}
