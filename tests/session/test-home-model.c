/* test-home-model.c: CohortHomeModel against two real servers and one
 * that is not there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cohort-chat-protocol.h"
#include "cohort-groups-protocol.h"
#include "cohort-home-fetch.h"
#include "cohort-home-model.h"
#include "cohort-lesson-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"
#include "cohort-test-wait.h"

typedef CohortTestClassroom Class;

/* A request that must succeed, its reply dropped. */
#define request_ok(c, type, body_json) json_object_unref (cohort_test_client_ok_json ((c), (type), (body_json)))

static void
class_open (Class      *k,
            const char *title,
            const char *teacher)
{
  cohort_test_classroom_open (k, title, teacher, "Mei");
}

#define class_close cohort_test_classroom_close

static void
test_url (void)
{
  g_autofree char *a = cohort_home_url_for_server ("ws://127.0.0.1:8080/ws");
  g_autofree char *b = cohort_home_url_for_server ("wss://school.example.org/ws");
  g_autofree char *c = cohort_home_url_for_server ("ftp://x/ws");

  g_assert_cmpstr (a, ==, "http://127.0.0.1:8080/api/v1/home");
  g_assert_cmpstr (b, ==, "https://school.example.org/api/v1/home");
  g_assert_null (c);
}

/* Two classes on two servers with their own figures; a server that is
 * not there makes its entry offline and the others still load; a token
 * the server no longer knows is signed out. */
static void
test_two_servers (void)
{
  Class physics = { 0 }, chemistry = { 0 };
  g_autoptr(CohortHomeModel) model = cohort_home_model_new ();
  CohortHomeEntry *a, *b, *gone, *stranger;

  class_open (&physics, "Physics", "Ms Li");
  class_open (&chemistry, "Chemistry", "Mr Wang");

  request_ok (physics.teacher, COHORT_REQ_LESSON_START, "{}");
  request_ok (physics.student, COHORT_REQ_GROUPS_CHECK_IN, "{\"note\":\"Done\",\"tz\":\"Europe/London\"}");
  request_ok (chemistry.teacher, COHORT_REQ_CHAT_SEND, "{\"text\":\"Read page 12\"}");
  request_ok (chemistry.teacher, COHORT_REQ_CHAT_SEND, "{\"text\":\"And page 13\"}");

  a = cohort_home_model_add (model, cohort_test_server_get_url (physics.server), "PHYSICS1", physics.token);
  b = cohort_home_model_add (model, cohort_test_server_get_url (chemistry.server), "CHEMISTR", chemistry.token);
  /* Port 1 on loopback: nothing listens. */
  gone = cohort_home_model_add (model, "ws://127.0.0.1:1/ws", "GONE2345",
                                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  stranger = cohort_home_model_add (model, cohort_test_server_get_url (physics.server), "OTHER234",
                                    "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_cmpint (cohort_home_entry_get_status (a), ==, COHORT_HOME_STATUS_LOADING);
  g_assert_cmpstr (cohort_home_entry_get_title (a), ==, "PHYSICS1");

  cohort_home_model_refresh (model);
  g_assert_true (cohort_home_model_get_loading (model));
  COHORT_TEST_WAIT_UNTIL (!cohort_home_model_get_loading (model));

  g_assert_cmpint (cohort_home_entry_get_status (a), ==, COHORT_HOME_STATUS_READY);
  g_assert_cmpstr (cohort_home_entry_get_title (a), ==, "Physics");
  g_assert_cmpstr (cohort_home_entry_get_teacher_name (a), ==, "Ms Li");
  g_assert_true (cohort_home_entry_get_live (a));
  g_assert_true (cohort_home_entry_get_checked_in_today (a));
  g_assert_cmpint (cohort_home_entry_get_streak (a), ==, 1);
  g_assert_cmpint (cohort_home_entry_get_points_week (a), ==, 10);
  g_assert_cmpint (cohort_home_entry_get_unread_teacher (a), ==, 0);

  g_assert_cmpint (cohort_home_entry_get_status (b), ==, COHORT_HOME_STATUS_READY);
  g_assert_cmpstr (cohort_home_entry_get_title (b), ==, "Chemistry");
  g_assert_cmpstr (cohort_home_entry_get_teacher_name (b), ==, "Mr Wang");
  g_assert_false (cohort_home_entry_get_live (b));
  g_assert_cmpint (cohort_home_entry_get_lesson_state (b), ==, COHORT_LESSON_STATE_NOT_STARTED);
  g_assert_false (cohort_home_entry_get_checked_in_today (b));
  g_assert_cmpint (cohort_home_entry_get_unread_teacher (b), ==, 2);
  g_assert_cmpint (cohort_home_entry_get_next_lesson_at (b), ==, 0);

  g_assert_cmpint (cohort_home_entry_get_status (gone), ==, COHORT_HOME_STATUS_OFFLINE);
  g_assert_cmpint (cohort_home_entry_get_status (stranger), ==, COHORT_HOME_STATUS_SIGNED_OUT);

  /* Seen up to the newest: nothing unread now, nor after a refresh. */
  cohort_home_entry_set_seen (b, cohort_home_entry_get_last_chat_id (b), 0);
  g_assert_cmpint (cohort_home_entry_get_unread_teacher (b), ==, 0);
  request_ok (chemistry.teacher, COHORT_REQ_LESSON_START, "{}");
  cohort_home_model_refresh (model);
  COHORT_TEST_WAIT_UNTIL (!cohort_home_model_get_loading (model));
  g_assert_cmpint (cohort_home_entry_get_unread_teacher (b), ==, 0);
  g_assert_true (cohort_home_entry_get_live (b));

  /* A server that goes away: offline, its last figures kept. */
  cohort_test_server_stop (physics.server);
  cohort_home_model_refresh (model);
  COHORT_TEST_WAIT_UNTIL (!cohort_home_model_get_loading (model));
  g_assert_cmpint (cohort_home_entry_get_status (a), ==, COHORT_HOME_STATUS_OFFLINE);
  g_assert_cmpstr (cohort_home_entry_get_title (a), ==, "Physics");
  g_assert_cmpint (cohort_home_entry_get_status (b), ==, COHORT_HOME_STATUS_READY);

  class_close (&physics);
  class_close (&chemistry);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/home-model/url", test_url);
  g_test_add_func ("/cohort/home-model/two-servers", test_two_servers);

  return g_test_run ();
}
