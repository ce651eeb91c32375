/* test-groups-server.c: groups against a real cohort-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-groups-server"

#include "config.h"

#include <string.h>

#include "cohort-groups-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"
#include "cohort-test-stages.h"

typedef struct
{
  CohortTestClient *c;
  gint64            id;
} Person;

typedef struct
{
  CohortTestServer *server;
  char             *code;
  Person            teacher;
  Person            s[4];
} Class;

static gint64
int_of (JsonObject *o, const char *m)
{
  g_assert_true (json_object_has_member (o, m));
  return json_object_get_int_member (o, m);
}

static Class *
class_new (guint n_students)
{
  Class *k = g_new0 (Class, 1);
  g_autoptr(JsonObject) body = NULL;

  k->server = cohort_test_server_start (NULL);
  k->teacher.c = cohort_test_client_new (cohort_test_server_get_url (k->server));
  body = cohort_test_client_create_class (k->teacher.c, "Physics", "Teacher");
  k->teacher.id = int_of (json_object_get_object_member (body, "you"), "id");
  k->code = g_strdup (json_object_get_string_member (json_object_get_object_member (body, "class"), "code"));
  g_assert_true (json_object_has_member (body, "groups"));

  for (guint i = 0; i < n_students; i++)
    {
      g_autoptr(JsonObject) jb = NULL;
      g_autofree char *name = g_strdup_printf ("Student %c", 'A' + i);

      k->s[i].c = cohort_test_client_new (cohort_test_server_get_url (k->server));
      jb = cohort_test_client_join (k->s[i].c, k->code, name, NULL);
      k->s[i].id = int_of (json_object_get_object_member (jb, "you"), "id");
      g_assert_true (json_object_has_member (jb, "groups"));
    }
  return k;
}

static void
class_free (Class *k)
{
  for (guint i = 0; i < G_N_ELEMENTS (k->s); i++)
    g_clear_pointer (&k->s[i].c, cohort_test_client_free);
  g_clear_pointer (&k->teacher.c, cohort_test_client_free);
  g_clear_pointer (&k->server, cohort_test_server_free);
  g_free (k->code);
  g_free (k);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Class, class_free)

static CohortMessage *
req (CohortTestClient *c, const char *type, const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json ? json : "{}", NULL);

  g_assert_nonnull (node);
  return cohort_test_client_request (c, type, NULL, json_node_get_object (node));
}

static JsonObject *
req_ok (CohortTestClient *c, const char *type, const char *json)
{
  g_autoptr(CohortMessage) reply = req (c, type, json);

  g_assert_nonnull (reply);
  if (cohort_message_get_kind (reply) != COHORT_MESSAGE_OK)
    g_error ("%s failed: %s", type, cohort_message_get_error_message (reply));
  return json_object_ref (cohort_message_get_body (reply));
}

static void
req_err (CohortTestClient *c, const char *type, const char *json, CohortErrorCode code)
{
  g_autoptr(CohortMessage) reply = req (c, type, json);

  g_assert_nonnull (reply);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpstr (cohort_error_code_to_string (cohort_message_get_error_code (reply)), ==,
                   cohort_error_code_to_string (code));
}

static gint64
create_group (Class *k, const char *name, int size)
{
  g_autofree char *json = g_strdup_printf ("{\"name\":\"%s\",\"size\":%d,\"topic\":\"Mechanics\","
                                           "\"goal_points\":100}", name, size);
  g_autoptr(JsonObject) body = req_ok (k->teacher.c, "groups.create", json);

  return int_of (json_object_get_object_member (body, "group"), "id");
}

static void
assign (Class *k, gint64 pid, gint64 gid)
{
  g_autofree char *json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT
                                           ",\"group_id\":%" G_GINT64_FORMAT "}", pid, gid);
  g_autoptr(JsonObject) body = req_ok (k->teacher.c, "groups.assign", json);
}

/* Every event name @c received until quiet, in order. */
static GPtrArray *
drain_names (CohortTestClient *c)
{
  g_autoptr(GPtrArray) all = cohort_test_client_drain (c, 300);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < all->len; i++)
    {
      CohortMessage *m = g_ptr_array_index (all, i);

      if (cohort_message_get_kind (m) == COHORT_MESSAGE_EVENT)
        g_ptr_array_add (names, g_strdup (cohort_message_get_name (m)));
    }
  return names;
}

static gboolean
has_name (GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

static void
drain_all (Class *k)
{
  g_ptr_array_unref (cohort_test_client_drain (k->teacher.c, 200));
  for (guint i = 0; i < G_N_ELEMENTS (k->s); i++)
    if (k->s[i].c)
      g_ptr_array_unref (cohort_test_client_drain (k->s[i].c, 50));
}

static void
test_forming_groups (void)
{
  g_autoptr(Class) k = class_new (4);
  g_autoptr(JsonObject) balance = NULL;
  g_autoptr(JsonObject) picked = NULL;
  g_autoptr(CohortMessage) ev = NULL;
  gint64 owls, bees;

  req_err (k->s[0].c, "groups.create", "{\"name\":\"X\",\"size\":3}", COHORT_ERROR_FORBIDDEN);
  req_err (k->teacher.c, "groups.create", "{\"name\":\"\",\"size\":3}", COHORT_ERROR_INVALID);
  req_err (k->teacher.c, "groups.create", "{\"name\":\"X\",\"size\":0}", COHORT_ERROR_INVALID);
  req_err (k->teacher.c, "groups.create", "{\"name\":\"X\",\"size\":51}", COHORT_ERROR_INVALID);

  owls = create_group (k, "Owls", 2);
  bees = create_group (k, "Bees", 2);
  ev = cohort_test_client_next_event (k->s[0].c, "groups.created");
  g_assert_nonnull (ev);

  /* By hand, with the size enforced. */
  assign (k, k->s[0].id, owls);
  assign (k, k->s[1].id, owls);
  {
    g_autofree char *json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"group_id\":%"
                                             G_GINT64_FORMAT "}", k->s[2].id, owls);
    req_err (k->teacher.c, "groups.assign", json, COHORT_ERROR_INVALID);
    req_err (k->s[2].c, "groups.assign", json, COHORT_ERROR_FORBIDDEN);
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT
                                             ",\"group_id\":999}", k->s[2].id);
    req_err (k->teacher.c, "groups.assign", json, COHORT_ERROR_NOT_FOUND);
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT
                                             ",\"group_id\":%" G_GINT64_FORMAT "}", k->teacher.id, bees);
    req_err (k->teacher.c, "groups.assign", json, COHORT_ERROR_NOT_FOUND);
  }

  /* Picking is closed until the teacher opens it. */
  {
    g_autofree char *json = g_strdup_printf ("{\"group_id\":%" G_GINT64_FORMAT "}", bees);
    g_autoptr(JsonObject) s = NULL;

    req_err (k->s[2].c, "groups.pick", json, COHORT_ERROR_FORBIDDEN);
    s = req_ok (k->teacher.c, "groups.settings", "{\"pick_open\":true}");
    picked = req_ok (k->s[2].c, "groups.pick", json);
  }

  /* Auto-balance places the last student in the group with room. */
  balance = req_ok (k->teacher.c, "groups.balance", "{}");
  g_assert_cmpint (int_of (balance, "moved"), ==, 1);
  g_assert_cmpint (int_of (balance, "unplaced"), ==, 0);

  /* Rejoining shows the membership in the welcome. */
  {
    g_autoptr(CohortTestClient) again = cohort_test_client_new (cohort_test_server_get_url (k->server));
    g_autoptr(JsonObject) jb = cohort_test_client_join (again, k->code, "Late", NULL);
    JsonObject *groups = json_object_get_object_member (jb, "groups");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (groups, "groups")), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (groups, "members")), ==, 4);
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (groups, "settings"),
                                                   "pick_open"));
    /* Both groups are full now. */
    {
      g_autofree char *json = g_strdup_printf ("{\"group_id\":%" G_GINT64_FORMAT "}", bees);
      req_err (again, "groups.pick", json, COHORT_ERROR_INVALID);
    }
  }
}

/* Balancing places the students who are here, and counts only them as not
 * fitting: those who left keep their group (or none), with reset too. */
static void
test_balance_present_only (void)
{
  g_autoptr(Class) k = class_new (4);
  g_autoptr(JsonObject) balance = NULL;
  g_autoptr(JsonObject) reset = NULL;
  g_autoptr(JsonObject) rejoined = NULL;
  gint64 owls;

  owls = create_group (k, "Owls", 2);
  assign (k, k->s[3].id, owls);

  /* Two leave: one without a group, one in the Owls. */
  g_clear_pointer (&k->s[2].c, cohort_test_client_free);
  g_clear_pointer (&k->s[3].c, cohort_test_client_free);
  for (guint gone = 0; gone < 2;)
    {
      g_autoptr(CohortMessage) ev = cohort_test_client_next_event (k->teacher.c, COHORT_EV_PARTICIPANT_PRESENCE);

      g_assert_nonnull (ev);
      if (!json_object_get_boolean_member (cohort_message_get_body (ev), "online"))
        gone++;
    }

  /* One place is left for the two who are here, and only one of them
   * does not fit: the absent student without a group is not counted. */
  balance = req_ok (k->teacher.c, "groups.balance", "{}");
  g_assert_cmpint (int_of (balance, "moved"), ==, 1);
  g_assert_cmpint (int_of (balance, "unplaced"), ==, 1);

  /* A reset draft keeps the absent Owl where she is. */
  reset = req_ok (k->teacher.c, "groups.balance", "{\"reset\":true}");
  g_assert_cmpint (int_of (reset, "unplaced"), ==, 1);
  {
    g_autoptr(CohortTestClient) again = cohort_test_client_new (cohort_test_server_get_url (k->server));
    JsonArray *members;
    gboolean absent_owl = FALSE;

    rejoined = cohort_test_client_join (again, k->code, "Late", NULL);
    members = json_object_get_array_member (json_object_get_object_member (rejoined, "groups"), "members");
    for (guint i = 0; i < json_array_get_length (members); i++)
      {
        JsonObject *m = json_array_get_object_element (members, i);

        if (int_of (m, "participant_id") == k->s[3].id)
          absent_owl = int_of (m, "group_id") == owls;
      }
    g_assert_true (absent_owl);
  }
}

/* A teacher of a full class makes several groups in one step, numbered
 * after the groups the class has, and fills them with the students who
 * are here; absent students are neither placed nor counted. The limit of
 * 50 groups and the name's length hold for the numbered names too. */
static void
test_create_many_and_fill (void)
{
  g_autoptr(Class) k = class_new (4);
  g_autoptr(JsonObject) many = NULL;
  g_autoptr(GPtrArray) names = NULL;
  JsonArray *groups;
  guint created = 0;

  create_group (k, "Owls", 2);
  g_clear_pointer (&k->s[3].c, cohort_test_client_free);
  for (gboolean gone = FALSE; !gone;)
    {
      g_autoptr(CohortMessage) ev = cohort_test_client_next_event (k->teacher.c, COHORT_EV_PARTICIPANT_PRESENCE);

      g_assert_nonnull (ev);
      gone = !json_object_get_boolean_member (cohort_message_get_body (ev), "online");
    }
  drain_all (k);

  req_err (k->s[0].c, "groups.create", "{\"name\":\"G\",\"size\":2,\"count\":2}", COHORT_ERROR_FORBIDDEN);
  req_err (k->teacher.c, "groups.create", "{\"name\":\"G\",\"size\":2,\"count\":0}", COHORT_ERROR_INVALID);
  req_err (k->teacher.c, "groups.create", "{\"name\":\"G\",\"size\":2,\"count\":50}", COHORT_ERROR_INVALID);
  req_err (k->teacher.c, "groups.create", "{\"name\":\"G\",\"size\":2,\"fill\":\"yes\"}",
           COHORT_ERROR_INVALID);
  /* 40 characters are a valid name, but not once numbered. */
  req_err (k->teacher.c, "groups.create",
           "{\"name\":\"ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJ\",\"size\":2,\"count\":2}",
           COHORT_ERROR_INVALID);

  many = req_ok (k->teacher.c, "groups.create", "{\"name\":\"Group\",\"size\":2,\"count\":2,\"fill\":true}");
  groups = json_object_get_array_member (many, "groups");
  g_assert_cmpuint (json_array_get_length (groups), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (groups, 0), "name"), ==, "Group 2");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (groups, 1), "name"), ==, "Group 3");
  /* Three students are here and all fit (the absent fourth is not counted). */
  g_assert_cmpint (int_of (many, "moved"), ==, 3);
  g_assert_cmpint (int_of (many, "unplaced"), ==, 0);

  /* Every other client learns of both groups and of the placements. */
  names = drain_names (k->s[0].c);
  for (guint i = 0; i < names->len; i++)
    created += g_str_equal (g_ptr_array_index (names, i), COHORT_EV_GROUPS_CREATED);
  g_assert_cmpuint (created, ==, 2);
  g_assert_true (has_name (names, COHORT_EV_GROUPS_ASSIGNED));

  /* The placements are stored: a late joiner sees the three present
   * students in groups, each within its size. */
  {
    g_autoptr(CohortTestClient) late = cohort_test_client_new (cohort_test_server_get_url (k->server));
    g_autoptr(JsonObject) joined = cohort_test_client_join (late, k->code, "Late", NULL);
    JsonArray *members = json_object_get_array_member (json_object_get_object_member (joined, "groups"), "members");
    g_autoptr(GArray) gids = g_array_new (FALSE, FALSE, sizeof (gint64));

    for (guint i = 0; i < json_array_get_length (members); i++)
      {
        JsonObject *m = json_array_get_object_element (members, i);
        gint64 gid = int_of (m, "group_id");
        gint64 pid = int_of (m, "participant_id");
        guint same = 0;

        if (gid == 0)
          continue;
        g_assert_true (pid == k->s[0].id || pid == k->s[1].id || pid == k->s[2].id);
        for (guint j = 0; j < gids->len; j++)
          same += g_array_index (gids, gint64, j) == gid;
        g_assert_cmpuint (same, <, 2);
        g_array_append_val (gids, gid);
      }
    g_assert_cmpuint (gids->len, ==, 3);
  }
}

static void
test_check_in_and_reactions (void)
{
  g_autoptr(Class) k = class_new (3);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GPtrArray) mate = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GPtrArray) self_events = NULL;
  gint64 owls = create_group (k, "Owls", 3);
  gint64 bees = create_group (k, "Bees", 3);
  gint64 checkin_id;

  assign (k, k->s[0].id, owls);
  assign (k, k->s[1].id, owls);
  assign (k, k->s[2].id, bees);
  drain_all (k);

  /* Validation. */
  req_err (k->s[0].c, "groups.check_in", "{\"note\":\"x\",\"tz\":\"Mars/Base\"}", COHORT_ERROR_INVALID);
  req_err (k->s[0].c, "groups.check_in", "{\"note\":\"x\",\"tz\":\"/etc/localtime\"}", COHORT_ERROR_INVALID);
  req_err (k->s[0].c, "groups.check_in", "{\"note\":\"x\"}", COHORT_ERROR_INVALID);
  req_err (k->s[0].c, "groups.check_in", "{\"note\":\"   \",\"tz\":\"UTC\"}", COHORT_ERROR_INVALID);
  req_err (k->s[0].c, "groups.check_in", "{\"note\":\"x\",\"tz\":\"UTC\",\"minutes\":1441}",
           COHORT_ERROR_INVALID);
  req_err (k->s[0].c, "groups.check_in", "{\"note\":\"a\\u0007b\",\"tz\":\"UTC\"}", COHORT_ERROR_INVALID);
  {
    g_autofree char *long_note = g_strnfill (281, 'x');
    g_autofree char *json = g_strdup_printf ("{\"note\":\"%s\",\"tz\":\"UTC\"}", long_note);
    req_err (k->s[0].c, "groups.check_in", json, COHORT_ERROR_INVALID);
  }
  req_err (k->teacher.c, "groups.check_in", "{\"note\":\"x\",\"tz\":\"UTC\"}", COHORT_ERROR_FORBIDDEN);

  /* A check-in with a multi-line note (280 characters of CJK is fine). */
  first = req_ok (k->s[0].c, "groups.check_in",
                  "{\"note\":\"学到了牛顿第二定律\\n明天：做练习\",\"minutes\":45,\"tz\":\"Asia/Shanghai\"}");
  g_assert_false (json_object_get_boolean_member (first, "already"));
  checkin_id = int_of (json_object_get_object_member (first, "checkin"), "id");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "checkin"), "note"),
                   ==, "学到了牛顿第二定律\n明天：做练习");

  /* Once per local day: the same day again changes nothing. */
  second = req_ok (k->s[0].c, "groups.check_in", "{\"note\":\"again\",\"tz\":\"Asia/Shanghai\"}");
  g_assert_true (json_object_get_boolean_member (second, "already"));
  g_assert_cmpint (int_of (json_object_get_object_member (second, "checkin"), "id"), ==, checkin_id);

  /* The group sees it; the other group does not. */
  mate = drain_names (k->s[1].c);
  other = drain_names (k->s[2].c);
  self_events = drain_names (k->s[0].c);
  g_assert_true (has_name (mate, "groups.checked_in"));
  g_assert_false (has_name (other, "groups.checked_in"));
  /* Progress goes to its student only. */
  g_assert_true (has_name (self_events, "groups.progress"));
  g_assert_false (has_name (mate, "groups.progress"));
  g_assert_true (has_name (mate, "groups.standings"));

  /* Reactions: not to oneself, not from another group, once each. */
  {
    g_autofree char *json = g_strdup_printf ("{\"checkin_id\":%" G_GINT64_FORMAT ",\"reaction\":\"clap\"}",
                                             checkin_id);
    g_autoptr(JsonObject) ok = NULL;
    g_autoptr(JsonObject) again = NULL;
    g_autoptr(CohortMessage) ev = NULL;
    g_autoptr(GPtrArray) names = NULL;

    req_err (k->s[0].c, "groups.react", json, COHORT_ERROR_FORBIDDEN);
    req_err (k->s[2].c, "groups.react", json, COHORT_ERROR_FORBIDDEN);
    req_err (k->s[1].c, "groups.react", "{\"checkin_id\":999,\"reaction\":\"clap\"}", COHORT_ERROR_NOT_FOUND);
    req_err (k->s[1].c, "groups.react", "{\"checkin_id\":1,\"reaction\":\"poop\"}", COHORT_ERROR_INVALID);
    ok = req_ok (k->s[1].c, "groups.react", json);
    ev = cohort_test_client_next_event (k->s[0].c, "groups.reacted");
    g_assert_nonnull (ev);
    g_assert_cmpint (int_of (cohort_message_get_body (ev), "participant_id"), ==, k->s[1].id);
    again = req_ok (k->s[1].c, "groups.react", json);
    names = drain_names (k->s[0].c);
    g_assert_false (has_name (names, "groups.reacted"));
  }
}

static gint64
progress_points (CohortTestClient *c)
{
  g_autoptr(CohortMessage) ev = cohort_test_client_next_event (c, "groups.progress");

  g_assert_nonnull (ev);
  return int_of (cohort_message_get_body (ev), "points_all");
}

static void
test_stars_privacy_and_recompute (void)
{
  g_autoptr(Class) k = class_new (3);
  gint64 owls = create_group (k, "Owls", 3);
  gint64 bees = create_group (k, "Bees", 3);

  assign (k, k->s[0].id, owls);
  assign (k, k->s[1].id, bees);
  assign (k, k->s[2].id, bees);
  drain_all (k);

  /* Stars: the teacher only, to students only, with a reason. */
  {
    g_autofree char *json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"reason\":\"Great question\"}",
                                             k->s[1].id);
    g_autofree char *self_json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"reason\":\"me\"}",
                                                  k->s[0].id);
    g_autofree char *teacher_json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"reason\":\"me\"}",
                                                     k->teacher.id);
    g_autoptr(JsonObject) a = NULL;
    g_autoptr(JsonObject) b = NULL;

    req_err (k->s[0].c, "groups.star", self_json, COHORT_ERROR_FORBIDDEN);
    req_err (k->s[0].c, "groups.star", json, COHORT_ERROR_FORBIDDEN);
    req_err (k->teacher.c, "groups.star", teacher_json, COHORT_ERROR_NOT_FOUND);
    req_err (k->teacher.c, "groups.star", "{\"participant_id\":2}", COHORT_ERROR_INVALID);
    a = req_ok (k->teacher.c, "groups.star", json);
    g_assert_cmpint (progress_points (k->s[1].c), ==, 5);
    b = req_ok (k->teacher.c, "groups.star", json);
    g_assert_cmpint (progress_points (k->s[1].c), ==, 10);
  }
  {
    g_autoptr(JsonObject) c1 = req_ok (k->s[0].c, "groups.check_in", "{\"note\":\"n\",\"tz\":\"UTC\"}");
    g_autoptr(JsonObject) c2 = req_ok (k->s[2].c, "groups.check_in", "{\"note\":\"n\",\"tz\":\"America/New_York\"}");
    g_autoptr(JsonObject) c3 = req_ok (k->s[1].c, "groups.check_in", "{\"note\":\"n\",\"tz\":\"Asia/Tokyo\"}");
  }
  drain_all (k);

  /* Board "all": everyone sees every row, ties share a rank. */
  {
    g_autoptr(JsonObject) board = req_ok (k->s[0].c, "groups.board",
                                          "{\"scope\":\"individual\",\"period\":\"all\"}");
    JsonArray *rows = json_object_get_array_member (board, "rows");

    g_assert_cmpuint (json_array_get_length (rows), ==, 3);
    g_assert_cmpint (int_of (json_array_get_object_element (rows, 0), "id"), ==, k->s[1].id);
    g_assert_cmpint (int_of (json_array_get_object_element (rows, 1), "rank"), ==, 2);
    g_assert_cmpint (int_of (json_array_get_object_element (rows, 2), "rank"), ==, 2);
    g_assert_cmpint (int_of (json_object_get_object_member (board, "you"), "rank"), ==, 2);
  }

  /* Top 1: one row, plus the student's own rank. */
  {
    g_autoptr(JsonObject) s = req_ok (k->teacher.c, "groups.settings", "{\"board\":\"top\",\"top_n\":1}");
    g_autoptr(JsonObject) board = req_ok (k->s[2].c, "groups.board",
                                          "{\"scope\":\"individual\",\"period\":\"week\"}");
    g_autoptr(JsonObject) full = req_ok (k->teacher.c, "groups.board",
                                         "{\"scope\":\"individual\",\"period\":\"week\"}");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (board, "rows")), ==, 1);
    g_assert_cmpint (int_of (json_object_get_object_member (board, "you"), "id"), ==, k->s[2].id);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (full, "rows")), ==, 3);
  }

  /* Groups only: the individual board is hidden from students, not from
   * the teacher; the group board stays. */
  {
    g_autoptr(JsonObject) s = req_ok (k->teacher.c, "groups.settings", "{\"board\":\"groups\"}");
    g_autoptr(JsonObject) board = req_ok (k->s[1].c, "groups.board",
                                          "{\"scope\":\"individual\",\"period\":\"all\"}");
    g_autoptr(JsonObject) groups = req_ok (k->s[1].c, "groups.board",
                                           "{\"scope\":\"group\",\"period\":\"all\"}");
    g_autoptr(JsonObject) full = req_ok (k->teacher.c, "groups.board",
                                         "{\"scope\":\"individual\",\"period\":\"all\"}");
    g_autofree char *json = NULL;
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), board);

    g_assert_true (json_object_get_boolean_member (board, "hidden"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (board, "rows")), ==, 0);
    g_assert_false (json_object_has_member (board, "you"));
    /* Nothing about anybody's points in what the student received. */
    json = json_to_string (node, FALSE);
    g_assert_null (strstr (json, "Student"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (groups, "rows")), ==, 2);
    g_assert_cmpint (int_of (json_array_get_object_element (json_object_get_array_member (groups, "rows"), 0),
                             "id"), ==, bees);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (full, "rows")), ==, 3);
    (void) owls;
  }

  /* Recompute from the log equals the live totals, before and after a
   * restart. */
  {
    g_autoptr(JsonObject) r = req_ok (k->teacher.c, "groups.recompute", "{}");

    if (!json_object_get_boolean_member (r, "equal"))
      g_error ("recompute differs: %s",
               json_object_get_string_member_with_default (r, "difference", "stored totals"));
    g_assert_cmpint (int_of (r, "events"), >, 10);
    req_err (k->s[0].c, "groups.recompute", "{}", COHORT_ERROR_FORBIDDEN);
  }
}

static gint64
run_id_of (JsonObject *ok)
{
  return int_of (json_object_get_object_member (ok, "run"), "run_id");
}

static void
answer_run (CohortTestClient *c, gint64 run, int choice)
{
  g_autofree char *json = g_strdup_printf ("{\"run_id\":%" G_GINT64_FORMAT ",\"answer\":%d}", run,
                                           choice);
  g_autoptr(JsonObject) ok = req_ok (c, "quiz.answer", json);
}

/* Returns the one @name event @c received, or NULL; counts them. */
static JsonObject *
event_body (CohortTestClient *c, const char *name, guint *n_out)
{
  g_autoptr(GPtrArray) all = cohort_test_client_drain (c, 300);
  JsonObject *found = NULL;
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    {
      CohortMessage *m = g_ptr_array_index (all, i);

      if (cohort_message_get_kind (m) == COHORT_MESSAGE_EVENT &&
          g_str_equal (cohort_message_get_name (m), name))
        {
          n++;
          if (found == NULL)
            found = json_object_ref (cohort_message_get_body (m));
        }
    }
  *n_out = n;
  return found;
}

/* Chat's votes and helpful marks and the quiz's whole-sequence result
 * reach the ledger from the log, count once, and recompute equals live. */
/* test_chat_and_quiz_hooks: the scenario's state, taken through the stages below. */
typedef struct
{
  Class        *k;
  JsonObject   *sent;
  JsonObject   *finished;
  JsonObject   *r;
  char         *json;
  gint64       owls;
  gint64       qid;
  gint64       aid;
  gint64       q1;
  gint64       q2;
  gint64       run1;
  gint64       run2;
  guint        n;
} Hooks;

static void
chat_and_quiz_hooks_setup (Hooks *st)
{
  st->k = class_new (3);
  st->owls = create_group (st->k, "Owls", 3);
  for (guint i = 0; i < 3; i++)
    assign (st->k, st->k->s[i].id, st->owls);
}

static void
chat_and_quiz_hooks_teardown (Hooks *st)
{
  g_clear_pointer (&st->json, g_free);
  g_clear_pointer (&st->r, json_object_unref);
  g_clear_pointer (&st->finished, json_object_unref);
  g_clear_pointer (&st->sent, json_object_unref);
  g_clear_pointer (&st->k, class_free);
}

/* A asks; B and C upvote (B twice, and takes it back in between); B
 * answers, the teacher marks it helpful twice. */
static void
chat_and_quiz_hooks_question_votes (Hooks *st)
{
  st->sent = req_ok (st->k->s[0].c, "chat.send", "{\"text\":\"Why?\",\"question\":true}");
  st->qid = int_of (json_object_get_object_member (st->sent, "message"), "id");
  g_clear_pointer (&st->sent, json_object_unref);
  st->json = g_strdup_printf ("{\"message_id\":%" G_GINT64_FORMAT "}", st->qid);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->s[1].c, "chat.vote", st->json);
  g_clear_pointer (&st->json, g_free);
  st->json = g_strdup_printf ("{\"message_id\":%" G_GINT64_FORMAT ",\"vote\":false}", st->qid);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->s[1].c, "chat.vote", st->json);
  g_clear_pointer (&st->json, g_free);
  st->json = g_strdup_printf ("{\"message_id\":%" G_GINT64_FORMAT "}", st->qid);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->s[1].c, "chat.vote", st->json);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->s[2].c, "chat.vote", st->json);
  req_err (st->k->s[0].c, "chat.vote", st->json, COHORT_ERROR_FORBIDDEN);
  g_clear_pointer (&st->json, g_free);
  st->json = g_strdup_printf ("{\"text\":\"Because.\",\"reply_to\":%" G_GINT64_FORMAT "}", st->qid);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->s[1].c, "chat.send", st->json);
  st->aid = int_of (json_object_get_object_member (st->sent, "message"), "id");
  g_clear_pointer (&st->json, g_free);
  st->json = g_strdup_printf ("{\"message_id\":%" G_GINT64_FORMAT "}", st->aid);
  req_err (st->k->s[0].c, "chat.mark_helpful", st->json, COHORT_ERROR_FORBIDDEN);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "chat.mark_helpful", st->json);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "chat.mark_helpful", st->json);
}

/* A two-question quiz: B gets both right, C one of two, A answers one. */
static void
chat_and_quiz_hooks_quiz_answers (Hooks *st)
{
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "quiz.question.create",
                 "{\"question\":{\"type\":\"single\",\"prompt\":\"One?\",\"choices\":[\"a\",\"b\"],"
                 "\"correct\":[1]}}");
  st->q1 = int_of (json_object_get_object_member (st->sent, "question"), "id");
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "quiz.question.create",
                 "{\"question\":{\"type\":\"single\",\"prompt\":\"Two?\",\"choices\":[\"a\",\"b\"],"
                 "\"correct\":[0]}}");
  st->q2 = int_of (json_object_get_object_member (st->sent, "question"), "id");
  g_clear_pointer (&st->json, g_free);
  st->json = g_strdup_printf ("{\"question_ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]}", st->q1, st->q2);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "quiz.launch", st->json);
  st->run1 = run_id_of (st->sent);
  answer_run (st->k->s[0].c, st->run1, 1);
  answer_run (st->k->s[1].c, st->run1, 1);
  answer_run (st->k->s[2].c, st->run1, 0);
}

/* Revealed (quiz.scored counts the points), then the next question. */
static void
chat_and_quiz_hooks_revealed (Hooks *st)
{
  g_clear_pointer (&st->json, g_free);
  st->json = g_strdup_printf ("{\"run_id\":%" G_GINT64_FORMAT "}", st->run1);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "quiz.reveal", st->json);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "quiz.next", "{}");
  st->run2 = run_id_of (st->sent);
  answer_run (st->k->s[1].c, st->run2, 0);
  answer_run (st->k->s[2].c, st->run2, 0);
  drain_all (st->k);
  g_clear_pointer (&st->json, g_free);
  st->json = g_strdup_printf ("{\"run_id\":%" G_GINT64_FORMAT "}", st->run2);
  g_clear_pointer (&st->sent, json_object_unref);
  st->sent = req_ok (st->k->teacher.c, "quiz.reveal", st->json);
}

/* quiz.finished goes to the teacher only (students get a skip). */
static void
chat_and_quiz_hooks_finished_to_teacher (Hooks *st)
{
  st->finished = event_body (st->k->teacher.c, "quiz.finished", &st->n);
  g_assert_cmpuint (st->n, ==, 1);
  g_assert_cmpint (int_of (st->finished, "total"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (st->finished, "results")), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *row = json_array_get_object_element (json_object_get_array_member (st->finished, "results"), i);
      gint64 pid = int_of (row, "participant_id");

      if (pid == st->k->s[1].id)
        g_assert_cmpint (int_of (row, "correct"), ==, 2);
      else if (pid == st->k->s[2].id)
        g_assert_cmpint (int_of (row, "correct"), ==, 1);
      else
        g_assert_cmpint (int_of (row, "answered"), ==, 1);
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) none = event_body (st->k->s[i].c, "quiz.finished", &st->n);

      g_assert_null (none);
    }
}

/* Points and badges from the board, and recompute equals live. */
static void
chat_and_quiz_hooks_points_and_badges (Hooks *st)
{
  st->r = req_ok (st->k->teacher.c, "groups.recompute", "{}");
  if (!json_object_get_boolean_member (st->r, "equal"))
    g_error ("recompute differs: %s",
             json_object_get_string_member_with_default (st->r, "difference", "stored totals"));
  {
    g_autoptr(JsonObject) board = req_ok (st->k->teacher.c, "groups.board",
                                          "{\"scope\":\"individual\",\"period\":\"all\"}");
    JsonArray *rows = json_object_get_array_member (board, "rows");
    gint64 pa = -1, pb = -1, pc = -1;

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);
        gint64 id = int_of (row, "id");

        if (id == st->k->s[0].id)
          pa = int_of (row, "points");
        else if (id == st->k->s[1].id)
          pb = int_of (row, "points");
        else if (id == st->k->s[2].id)
          pc = int_of (row, "points");
      }
    g_test_message ("points A %" G_GINT64_FORMAT " B %" G_GINT64_FORMAT " C %" G_GINT64_FORMAT,
                    pa, pb, pc);
    /* Points (server/cohort-ledger.h): upvote 2, helpful 8, quiz answer
     * 2, correct 5. A: two upvotes (B once, C once) + one correct; B:
     * helpful once + two correct; C: one correct + one wrong. */
    g_assert_cmpint (pa, ==, 2 * 2 + 5);
    g_assert_cmpint (pb, ==, 8 + 2 * 5);
    g_assert_cmpint (pc, ==, 2 + 5);
  }
  {
    g_autoptr(JsonObject) badges = req_ok (st->k->s[1].c, "groups.sync", "{}");
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), badges);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_nonnull (strstr (text, "perfect-quiz"));
  }
  {
    g_autoptr(JsonObject) badges = req_ok (st->k->s[2].c, "groups.sync", "{}");
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), badges);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_null (strstr (text, "perfect-quiz"));
  }
}

static const CohortTestStageFunc chat_and_quiz_hooks_stages[] = {
  (CohortTestStageFunc) chat_and_quiz_hooks_question_votes,
  (CohortTestStageFunc) chat_and_quiz_hooks_quiz_answers,
  (CohortTestStageFunc) chat_and_quiz_hooks_revealed,
  (CohortTestStageFunc) chat_and_quiz_hooks_finished_to_teacher,
  (CohortTestStageFunc) chat_and_quiz_hooks_points_and_badges,
};

static const char *chat_and_quiz_hooks_cases[] = {
  "question-votes",
  "quiz-answers",
  "revealed",
  "finished-to-teacher",
  "points-and-badges",
};

static void
test_pk (void)
{
  g_autoptr(Class) k = class_new (2);
  gint64 owls = create_group (k, "Owls", 3);
  gint64 bees = create_group (k, "Bees", 3);
  g_autoptr(JsonObject) started = NULL;
  g_autoptr(JsonObject) stopped = NULL;
  g_autoptr(CohortMessage) score = NULL;
  g_autoptr(CohortMessage) ended = NULL;
  JsonArray *scores;

  assign (k, k->s[0].id, owls);
  assign (k, k->s[1].id, bees);
  req_err (k->s[0].c, "groups.pk_start", "{\"minutes\":5}", COHORT_ERROR_FORBIDDEN);
  req_err (k->teacher.c, "groups.pk_start", "{\"minutes\":0}", COHORT_ERROR_INVALID);
  req_err (k->teacher.c, "groups.pk_start", "{\"minutes\":5,\"group_ids\":[1]}", COHORT_ERROR_INVALID);
  started = req_ok (k->teacher.c, "groups.pk_start", "{\"minutes\":5}");
  req_err (k->teacher.c, "groups.pk_start", "{\"minutes\":5}", COHORT_ERROR_INVALID);
  drain_all (k);

  {
    g_autoptr(JsonObject) c = req_ok (k->s[1].c, "groups.check_in", "{\"note\":\"n\",\"tz\":\"UTC\"}");
  }
  score = cohort_test_client_next_event (k->s[0].c, "groups.pk_score");
  g_assert_nonnull (score);
  scores = json_object_get_array_member (cohort_message_get_body (score), "scores");
  g_assert_cmpint (int_of (json_array_get_object_element (scores, 1), "group_id"), ==, bees);
  g_assert_cmpint (int_of (json_array_get_object_element (scores, 1), "points"), ==, 10);
  g_assert_cmpint (int_of (json_array_get_object_element (scores, 0), "points"), ==, 0);

  stopped = req_ok (k->teacher.c, "groups.pk_stop", "{}");
  ended = cohort_test_client_next_event (k->s[0].c, "groups.pk_ended");
  g_assert_nonnull (ended);
  g_assert_cmpint (json_array_get_int_element (
                     json_object_get_array_member (cohort_message_get_body (ended), "winner_ids"), 0),
                   ==, bees);
}

/* 50 students check in at the same moment on real sockets. */
static void
test_fifty_concurrent (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (cohort_test_server_get_url (server));
  g_autoptr(JsonObject) created = cohort_test_client_create_class (teacher, "Big class", "Teacher");
  const char *code = json_object_get_string_member (json_object_get_object_member (created, "class"), "code");
  CohortTestClient *students[50];
  char *ids[50];
  g_autoptr(JsonObject) r = NULL;
  g_autoptr(JsonObject) board = NULL;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("S%02u", i);
      g_autoptr(JsonObject) jb = NULL;

      students[i] = cohort_test_client_new (cohort_test_server_get_url (server));
      jb = cohort_test_client_join (students[i], code, name, NULL);
    }
  for (guint i = 0; i < 50; i++)
    {
      ids[i] = g_strdup_printf ("checkin-%u", i);
    }
  /* Send every request first, then read the replies. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *frame = g_strdup_printf (
        "{\"type\":\"groups.check_in\",\"id\":\"%s\",\"body\":{\"note\":\"day one\",\"minutes\":%u,"
        "\"tz\":\"%s\"}}", ids[i], i, i % 2 ? "Asia/Shanghai" : "America/New_York");
      cohort_test_client_send_text (students[i], frame);
    }
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (students[i], ids[i]);

      g_assert_nonnull (reply);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_assert_false (json_object_get_boolean_member (cohort_message_get_body (reply), "already"));
    }
  /* The same ids again: the stored replies, nothing applied twice. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (
        "{\"note\":\"a retry\",\"tz\":\"America/New_York\"}", NULL);
      g_autoptr(CohortMessage) reply =
        cohort_test_client_request (students[i], "groups.check_in", ids[i], json_node_get_object (node));

      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_assert_false (json_object_get_boolean_member (cohort_message_get_body (reply), "already"));
    }

  board = req_ok (teacher, "groups.board", "{\"scope\":\"individual\",\"period\":\"all\"}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (board, "rows")), ==, 50);
  for (guint i = 0; i < 50; i++)
    {
      JsonObject *row = json_array_get_object_element (json_object_get_array_member (board, "rows"), i);

      g_assert_cmpint (int_of (row, "points"), ==, 10);
      g_assert_cmpint (int_of (row, "rank"), ==, 1);
    }
  r = req_ok (teacher, "groups.recompute", "{}");
  g_assert_true (json_object_get_boolean_member (r, "equal"));

  for (guint i = 0; i < 50; i++)
    {
      g_assert_cmpuint (cohort_test_client_get_n_bad_frames (students[i]), ==, 0);
      cohort_test_client_free (students[i]);
      g_free (ids[i]);
    }
}

/* The ledger is rebuilt from the log after a restart: recompute still
 * equals the stored totals, and groups.sync gives a late model the same
 * state a welcome gives. */
static void
test_recompute_after_restart (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (cohort_test_server_get_url (server));
  g_autoptr(JsonObject) created = cohort_test_client_create_class (teacher, "Restart", "Teacher");
  g_autofree char *code = g_strdup (json_object_get_string_member (
                                      json_object_get_object_member (created, "class"), "code"));
  g_autofree char *key = g_strdup (json_object_get_string_member (created, "teacher_key"));
  CohortTestClient *students[3];
  gint64 ids[3];
  g_autofree char *token0 = NULL;
  gint64 gid;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) sync = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(CohortTestClient) again = NULL;
  g_autoptr(CohortTestClient) student_again = NULL;
  JsonArray *tb, *ta;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("R%u", i);
      g_autoptr(JsonObject) jb = NULL;

      students[i] = cohort_test_client_new (cohort_test_server_get_url (server));
      jb = cohort_test_client_join (students[i], code, name, NULL);
      ids[i] = int_of (json_object_get_object_member (jb, "you"), "id");
      if (i == 0)
        token0 = g_strdup (json_object_get_string_member (jb, "token"));
    }
  {
    g_autoptr(JsonObject) g = req_ok (teacher, "groups.create", "{\"name\":\"Owls\",\"size\":3}");
    g_autoptr(JsonObject) b = NULL;

    gid = int_of (json_object_get_object_member (g, "group"), "id");
    b = req_ok (teacher, "groups.balance", "{}");
    g_assert_cmpint (int_of (b, "moved"), ==, 3);
  }
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) c = req_ok (students[i], "groups.check_in",
                                        "{\"note\":\"before the restart\",\"minutes\":30,\"tz\":\"Europe/London\"}");
      g_autofree char *star = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"reason\":\"Kind\"}",
                                               ids[i]);
      g_autoptr(JsonObject) s = NULL;

      if (i == 0)
        s = req_ok (teacher, "groups.star", star);
    }
  /* Let the tick store the totals. */
  g_usleep (1500 * 1000);
  before = req_ok (teacher, "groups.recompute", "{}");
  g_assert_true (json_object_get_boolean_member (before, "equal"));

  for (guint i = 0; i < 3; i++)
    cohort_test_client_free (students[i]);
  cohort_test_server_restart (server);

  again = cohort_test_client_new (cohort_test_server_get_url (server));
  welcome = cohort_test_client_join (again, code, "Teacher", key);
  after = req_ok (again, "groups.recompute", "{}");
  if (!json_object_get_boolean_member (after, "equal"))
    g_error ("recompute after a restart differs: %s",
             json_object_get_string_member_with_default (after, "difference", "stored totals"));
  g_assert_cmpint (int_of (after, "entries"), ==, int_of (before, "entries"));
  g_assert_cmpint (int_of (after, "badges"), ==, int_of (before, "badges"));
  tb = json_object_get_array_member (before, "totals");
  ta = json_object_get_array_member (after, "totals");
  g_assert_cmpuint (json_array_get_length (ta), ==, json_array_get_length (tb));
  for (guint i = 0; i < json_array_get_length (ta); i++)
    {
      JsonObject *a = json_array_get_object_element (ta, i);
      JsonObject *b = json_array_get_object_element (tb, i);

      g_assert_cmpint (int_of (a, "participant_id"), ==, int_of (b, "participant_id"));
      g_assert_cmpint (int_of (a, "points_all"), ==, int_of (b, "points_all"));
      g_assert_cmpint (int_of (a, "points_all"), ==, int_of (a, "stored_points_all"));
      g_assert_cmpint (int_of (a, "streak"), ==, 1);
      /* A check-in, plus a star for the first student. */
      g_assert_cmpint (int_of (a, "points_all"), ==, int_of (a, "participant_id") == ids[0] ? 15 : 10);
    }

  /* groups.sync equals the welcome's groups state. */
  sync = req_ok (again, "groups.sync", "{}");
  g_assert_cmpint (int_of (sync, "seq"), >, 0);
  {
    JsonObject *w = json_object_get_object_member (welcome, "groups");
    JsonObject *s = json_object_get_object_member (sync, "groups");

    g_assert_nonnull (w);
    g_assert_nonnull (s);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "groups")), ==, 1);
    g_assert_cmpint (int_of (json_array_get_object_element (json_object_get_array_member (s, "groups"), 0), "id"),
                     ==, gid);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "members")), ==, 3);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "checkins")), ==, 3);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "checkins")), ==,
                      json_array_get_length (json_object_get_array_member (w, "checkins")));
    g_assert_false (json_object_has_member (s, "progress"));
  }

  /* A student's sync: their own progress, the group's check-ins. */
  student_again = cohort_test_client_new (cohort_test_server_get_url (server));
  {
    g_autofree char *resume = g_strdup_printf ("{\"protocol\":2,\"token\":\"%s\",\"last_seq\":0}", token0);
    g_autoptr(JsonObject) jb = req_ok (student_again, "resume", resume);
    g_autoptr(JsonObject) s = NULL;
    JsonObject *progress;

    g_assert_cmpint (int_of (json_object_get_object_member (jb, "you"), "id"), ==, ids[0]);
    g_ptr_array_unref (cohort_test_client_drain (student_again, 200));

    s = req_ok (student_again, "groups.sync", "{}");
    progress = json_object_get_object_member (json_object_get_object_member (s, "groups"), "progress");
    g_assert_nonnull (progress);
    g_assert_cmpint (int_of (progress, "participant_id"), ==, ids[0]);
    g_assert_cmpint (int_of (progress, "points_all"), ==, 15);
    g_assert_cmpint (int_of (progress, "streak"), ==, 1);
    g_assert_true (json_object_get_boolean_member (progress, "checked_in_today"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_object_get_object_member (s, "groups"), "checkins")), ==, 3);
  }
}

/* A group's chat channel reaches its members and the teacher, nobody else. */
static void
test_group_chat_channel (void)
{
  g_autoptr(Class) k = class_new (3);
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(GPtrArray) member_names = NULL;
  g_autoptr(GPtrArray) teacher_names = NULL;
  g_autoptr(GPtrArray) outsider_names = NULL;
  g_autofree char *to_group = NULL;
  g_autofree char *to_missing = NULL;
  gint64 gid = create_group (k, "Falcons", 4);
  gint64 other = create_group (k, "Owls", 4);

  assign (k, k->s[0].id, gid);
  assign (k, k->s[1].id, gid);
  assign (k, k->s[2].id, other);
  drain_all (k);

  to_group = g_strdup_printf ("{\"text\":\"Meet at eight?\",\"channel\":\"group\","
                              "\"group_id\":%" G_GINT64_FORMAT "}", gid);
  sent = req_ok (k->s[0].c, "chat.send", to_group);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sent, "message"),
                                                  "channel"), ==, "group");

  member_names = drain_names (k->s[1].c);
  teacher_names = drain_names (k->teacher.c);
  outsider_names = drain_names (k->s[2].c);
  g_assert_true (has_name (member_names, "chat.message"));
  g_assert_true (has_name (teacher_names, "chat.message"));
  g_assert_false (has_name (outsider_names, "chat.message"));

  /* Someone from another group may not write there; a group that does
   * not exist is not found. */
  req_err (k->s[2].c, "chat.send", to_group, COHORT_ERROR_FORBIDDEN);
  to_missing = g_strdup_printf ("{\"text\":\"Hello\",\"channel\":\"group\","
                                "\"group_id\":%" G_GINT64_FORMAT "}", other + 100);
  req_err (k->s[0].c, "chat.send", to_missing, COHORT_ERROR_NOT_FOUND);
}

static void
req_bad_text (CohortTestClient *c, const char *type, const char *json, const char *field)
{
  g_autoptr(CohortMessage) reply = req (c, type, json);

  g_assert_nonnull (reply);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpstr (cohort_error_code_to_string (cohort_message_get_error_code (reply)), ==, "invalid");
  g_assert_cmpstr (cohort_invalid_reason_to_string (cohort_message_get_reason (reply)), ==, "bad_text");
  g_assert_cmpstr (cohort_message_get_field (reply), ==, field);
}

/* docs/protocol.md, "Text rules": group names, topics, notes and star
 * reasons lose bidi overrides and zero-width characters; with nothing
 * visible left they are refused. */
static void
test_hostile_text (void)
{
  g_autoptr(Class) k = class_new (2);
  g_autoptr(JsonObject) group = NULL;
  g_autoptr(JsonObject) checkin = NULL;
  g_autoptr(JsonObject) star = NULL;
  g_autofree char *star_json = NULL;
  g_autofree char *bad_star = NULL;
  g_autofree char *reason = NULL;
  gint64 gid;

  req_bad_text (k->teacher.c, "groups.create", "{\"name\":\"\\u3164\",\"size\":3}", "name");
  req_bad_text (k->teacher.c, "groups.create", "{\"name\":\"\\u200b\\u2800\",\"size\":3}", "name");
  req_bad_text (k->teacher.c, "groups.create", "{\"name\":\"Owls\",\"size\":3,\"topic\":\"\\u115f\"}", "topic");
  group = req_ok (k->teacher.c, "groups.create",
                  "{\"name\":\"\\u202eOwls\\u200b\\u2066\",\"size\":3,\"topic\":\"Mech\\u202danics\"}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (group, "group"), "name"),
                   ==, "Owls");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (group, "group"), "topic"),
                   ==, "Mechanics");
  gid = int_of (json_object_get_object_member (group, "group"), "id");
  assign (k, k->s[0].id, gid);

  req_bad_text (k->s[0].c, "groups.check_in", "{\"note\":\"\\u3164\",\"tz\":\"UTC\"}", "note");
  req_bad_text (k->s[0].c, "groups.check_in", "{\"note\":\"\\u200b\\n\\u200b\",\"tz\":\"UTC\"}", "note");
  checkin = req_ok (k->s[0].c, "groups.check_in",
                    "{\"note\":\"Read \\u202echapter\\u202c 3\\r\\nDone\\u200b\",\"tz\":\"UTC\"}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (checkin, "checkin"), "note"),
                   ==, "Read chapter 3\nDone");

  bad_star = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"reason\":\"\\uffa0\"}", k->s[1].id);
  req_bad_text (k->teacher.c, "groups.star", bad_star, "reason");
  star_json = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"reason\":\"Great\\u2067 work\"}",
                               k->s[1].id);
  star = req_ok (k->teacher.c, "groups.star", star_json);
  {
    /* The starred student reads the clean reason. */
    g_autoptr(CohortMessage) ev = cohort_test_client_next_event (k->s[1].c, "groups.starred");

    g_assert_nonnull (ev);
    reason = g_strdup (json_object_get_string_member (cohort_message_get_body (ev), "reason"));
  }
  g_assert_cmpstr (reason, ==, "Great work");
}

int
main (int argc, char *argv[])
{
  Hooks chat_and_quiz_hooks_state = { 0 };
  g_autoptr(CohortTestStages) chat_and_quiz_hooks_run = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/groups/server/forming-groups", test_forming_groups);
  g_test_add_func ("/cohort/groups/server/balance-present-only", test_balance_present_only);
  g_test_add_func ("/cohort/groups/server/create-many-and-fill", test_create_many_and_fill);
  g_test_add_func ("/cohort/groups/server/check-in-and-reactions", test_check_in_and_reactions);
  g_test_add_func ("/cohort/groups/server/stars-privacy-recompute", test_stars_privacy_and_recompute);
  g_test_add_func ("/cohort/groups/server/pk", test_pk);
  chat_and_quiz_hooks_run =
    cohort_test_stages_new (&chat_and_quiz_hooks_state,
                            (CohortTestStageFunc) chat_and_quiz_hooks_setup,
                            (CohortTestStageFunc) chat_and_quiz_hooks_teardown,
                            chat_and_quiz_hooks_stages,
                            G_N_ELEMENTS (chat_and_quiz_hooks_stages));
  cohort_test_stages_add_each (chat_and_quiz_hooks_run, "/cohort/groups/server/chat-and-quiz-hooks",
                               chat_and_quiz_hooks_cases);
  g_test_add_func ("/cohort/groups/server/group-chat-channel", test_group_chat_channel);
  g_test_add_func ("/cohort/groups/server/recompute-after-restart", test_recompute_after_restart);
  g_test_add_func ("/cohort/groups/server/fifty-concurrent-check-ins", test_fifty_concurrent);
  g_test_add_func ("/cohort/groups/server/hostile-text", test_hostile_text);

  return g_test_run ();
}
