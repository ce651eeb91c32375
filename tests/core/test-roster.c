/* test-roster.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-roster.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   index,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change;

  g_assert_cmpuint (index, <, changes->len);
  change = &g_array_index (changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static gboolean
apply (CohortRoster *roster,
       const char   *event,
       const char   *body_json)
{
  g_autoptr(JsonNode) node = parse (body_json);

  return cohort_roster_apply_event (roster, event, json_node_get_object (node));
}

static void
reset (CohortRoster *roster,
       const char   *participants_json,
       gint64        self_id)
{
  g_autoptr(JsonNode) node = parse (participants_json);

  cohort_roster_reset (roster, json_node_get_array (node), self_id);
}

static void
count_notify (guint *n)
{
  (*n)++;
}

static gint64
id_at (GListModel *model,
       guint       position)
{
  g_autoptr(CohortParticipant) participant = g_list_model_get_item (model, position);

  g_assert_nonnull (participant);
  return cohort_participant_get_id (participant);
}

#define SNAPSHOT \
  "[{\"id\": 5, \"name\": \"Ana\", \"role\": \"student\", \"online\": true, \"hand_raised_at\": null}," \
  " {\"id\": 2, \"name\": \"Bo\", \"role\": \"student\", \"online\": false, \"hand_raised_at\": 300}," \
  " {\"id\": 9, \"name\": \"Ms Li\", \"role\": \"teacher\", \"online\": true, \"hand_raised_at\": null}]"

static void
test_reset (void)
{
  g_autoptr(CohortRoster) roster = cohort_roster_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  GListModel *model = G_LIST_MODEL (roster);
  CohortParticipant *p;

  g_assert_true (g_list_model_get_item_type (model) == COHORT_TYPE_PARTICIPANT);
  g_signal_connect (roster, "items-changed", G_CALLBACK (on_items_changed), changes);

  reset (roster, SNAPSHOT, 5);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 3);

  /* The teacher first, then students by id. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpint (id_at (model, 0), ==, 9);
  g_assert_cmpint (id_at (model, 1), ==, 2);
  g_assert_cmpint (id_at (model, 2), ==, 5);
  g_assert_null (g_list_model_get_item (model, 3));
  g_assert_cmpuint (cohort_roster_get_n_online (roster), ==, 2);

  p = cohort_roster_lookup (roster, 9);
  g_assert_cmpstr (cohort_participant_get_name (p), ==, "Ms Li");
  g_assert_cmpint (cohort_participant_get_role (p), ==, COHORT_ROLE_TEACHER);
  g_assert_false (cohort_participant_get_is_self (p));

  p = cohort_roster_lookup (roster, 5);
  g_assert_true (cohort_participant_get_is_self (p));
  g_assert_true (cohort_participant_get_online (p));
  g_assert_false (cohort_participant_get_hand_raised (p));

  p = cohort_roster_lookup (roster, 2);
  g_assert_true (cohort_participant_get_hand_raised (p));
  g_assert_cmpint (cohort_participant_get_hand_raised_at (p), ==, 300);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_roster_get_hands (roster)), ==, 1);

  /* A second snapshot replaces everything in one change. */
  reset (roster, "[{\"id\": 9, \"name\": \"Ms Li\", \"role\": \"teacher\", \"online\": true}]", 9);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 0, 3, 1);
  g_assert_true (cohort_participant_get_is_self (cohort_roster_lookup (roster, 9)));
  g_assert_null (cohort_roster_lookup (roster, 2));
  g_assert_cmpuint (g_list_model_get_n_items (cohort_roster_get_hands (roster)), ==, 0);
}

static void
test_join_and_presence (void)
{
  g_autoptr(CohortRoster) roster = cohort_roster_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  GListModel *model = G_LIST_MODEL (roster);
  guint n_online_notifies = 0;

  reset (roster, SNAPSHOT, 5);
  g_signal_connect (roster, "items-changed", G_CALLBACK (on_items_changed), changes);
  g_signal_connect_swapped (roster, "notify::n-online", G_CALLBACK (count_notify),
                            &n_online_notifies);

  g_assert_true (apply (roster, "participant.joined",
                        "{\"participant\": {\"id\": 3, \"name\": \"Cy\", \"role\": \"student\","
                        " \"online\": true, \"hand_raised_at\": null}}"));
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 2, 0, 1);
  g_assert_cmpint (id_at (model, 2), ==, 3);
  g_assert_cmpuint (cohort_roster_get_n_online (roster), ==, 3);

  /* Joining twice updates, it does not duplicate. */
  g_assert_true (apply (roster, "participant.joined",
                        "{\"participant\": {\"id\": 3, \"name\": \"Cy\", \"role\": \"student\","
                        " \"online\": false}}"));
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_false (cohort_participant_get_online (cohort_roster_lookup (roster, 3)));

  g_assert_true (apply (roster, "participant.presence", "{\"participant_id\": 2, \"online\": true}"));
  g_assert_true (cohort_participant_get_online (cohort_roster_lookup (roster, 2)));
  g_assert_true (apply (roster, "participant.presence", "{\"participant_id\": 5, \"online\": false}"));
  g_assert_false (cohort_participant_get_online (cohort_roster_lookup (roster, 5)));
  g_assert_cmpuint (cohort_roster_get_n_online (roster), ==, 2);
  /* Presence changes a row, not the list. */
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (n_online_notifies, >=, 2);

  /* Presence for someone unknown is not applied. */
  g_assert_false (apply (roster, "participant.presence", "{\"participant_id\": 77, \"online\": true}"));
}

static void
test_hand_order (void)
{
  g_autoptr(CohortRoster) roster = cohort_roster_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  GListModel *hands;

  reset (roster,
         "[{\"id\": 1, \"name\": \"T\", \"role\": \"teacher\", \"online\": true},"
         " {\"id\": 2, \"name\": \"A\", \"role\": \"student\", \"online\": true},"
         " {\"id\": 3, \"name\": \"B\", \"role\": \"student\", \"online\": true},"
         " {\"id\": 4, \"name\": \"C\", \"role\": \"student\", \"online\": true},"
         " {\"id\": 5, \"name\": \"D\", \"role\": \"student\", \"online\": true}]", 1);
  hands = cohort_roster_get_hands (roster);
  g_assert_true (g_list_model_get_item_type (hands) == COHORT_TYPE_PARTICIPANT);
  g_signal_connect (hands, "items-changed", G_CALLBACK (on_items_changed), changes);

  g_assert_true (apply (roster, "hand.raised", "{\"participant_id\": 4, \"raised_at\": 2000}"));
  assert_change (changes, 0, 0, 0, 1);
  g_assert_true (apply (roster, "hand.raised", "{\"participant_id\": 3, \"raised_at\": 1000}"));
  assert_change (changes, 1, 0, 0, 1);
  /* A tie on raised_at: the lower id first. */
  g_assert_true (apply (roster, "hand.raised", "{\"participant_id\": 5, \"raised_at\": 2000}"));
  assert_change (changes, 2, 2, 0, 1);
  g_assert_true (apply (roster, "hand.raised", "{\"participant_id\": 2, \"raised_at\": 2000}"));
  assert_change (changes, 3, 1, 0, 1);

  g_assert_cmpuint (g_list_model_get_n_items (hands), ==, 4);
  g_assert_cmpint (id_at (hands, 0), ==, 3);
  g_assert_cmpint (id_at (hands, 1), ==, 2);
  g_assert_cmpint (id_at (hands, 2), ==, 4);
  g_assert_cmpint (id_at (hands, 3), ==, 5);
  g_assert_true (cohort_participant_get_hand_raised (cohort_roster_lookup (roster, 2)));

  /* Raising a raised hand again with the same time changes nothing. */
  g_assert_true (apply (roster, "hand.raised", "{\"participant_id\": 2, \"raised_at\": 2000}"));
  g_assert_cmpuint (changes->len, ==, 4);

  g_assert_true (apply (roster, "hand.lowered", "{\"participant_id\": 2, \"by\": 1}"));
  assert_change (changes, 4, 1, 1, 0);
  g_assert_false (cohort_participant_get_hand_raised (cohort_roster_lookup (roster, 2)));
  g_assert_cmpuint (g_list_model_get_n_items (hands), ==, 3);

  /* Lowering a lowered hand changes nothing. */
  g_assert_true (apply (roster, "hand.lowered", "{\"participant_id\": 2, \"by\": 1}"));
  g_assert_cmpuint (changes->len, ==, 5);

  g_assert_true (apply (roster, "hand.lowered_all", "{\"participant_ids\": [3, 4, 5], \"by\": 1}"));
  g_assert_cmpuint (g_list_model_get_n_items (hands), ==, 0);
  g_assert_cmpuint (changes->len, ==, 8);
  for (guint i = 0; i < 4; i++)
    g_assert_false (cohort_participant_get_hand_raised (cohort_roster_lookup (roster, i + 2)));

  /* A direct change to a participant is followed as well. */
  cohort_participant_set_hand_raised_at (cohort_roster_lookup (roster, 5), 10);
  g_assert_cmpuint (g_list_model_get_n_items (hands), ==, 1);
  g_assert_cmpint (id_at (hands, 0), ==, 5);
}

/* media.link_quality: the teacher's view of each student's link; it ends
 * when the student goes offline. */
static void
test_link_quality (void)
{
  g_autoptr(CohortRoster) roster = cohort_roster_new ();
  CohortParticipant *ana;
  guint n_notifies = 0;

  reset (roster, SNAPSHOT, 9);
  ana = cohort_roster_lookup (roster, 5);
  g_signal_connect_swapped (ana, "notify::connection-quality", G_CALLBACK (count_notify), &n_notifies);
  g_assert_cmpint (cohort_participant_get_connection_quality (ana), ==, COHORT_CONNECTION_QUALITY_GOOD);

  g_assert_true (apply (roster, "media.link_quality", "{\"participant_id\": 5, \"level\": \"poor\"}"));
  g_assert_cmpint (cohort_participant_get_connection_quality (ana), ==, COHORT_CONNECTION_QUALITY_POOR);
  g_assert_true (apply (roster, "media.link_quality", "{\"participant_id\": 5, \"level\": \"fair\"}"));
  g_assert_cmpint (cohort_participant_get_connection_quality (ana), ==, COHORT_CONNECTION_QUALITY_FAIR);
  g_assert_true (apply (roster, "media.link_quality", "{\"participant_id\": 5, \"level\": \"good\"}"));
  g_assert_cmpint (cohort_participant_get_connection_quality (ana), ==, COHORT_CONNECTION_QUALITY_GOOD);
  g_assert_cmpuint (n_notifies, ==, 3);

  g_assert_true (apply (roster, "media.link_quality", "{\"participant_id\": 5, \"level\": \"poor\"}"));
  g_assert_true (apply (roster, "participant.presence", "{\"participant_id\": 5, \"online\": false}"));
  g_assert_cmpint (cohort_participant_get_connection_quality (ana), ==, COHORT_CONNECTION_QUALITY_GOOD);
}

static void
test_unknown_and_malformed (void)
{
  g_autoptr(CohortRoster) roster = cohort_roster_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  const struct { const char *event; const char *body; } bad[] = {
    { "chat.message", "{\"text\": \"hi\"}" },
    { "participant.joined", "{}" },
    { "participant.joined", "{\"participant\": 3}" },
    { "participant.joined", "{\"participant\": {\"id\": \"3\", \"name\": \"x\", \"role\": \"student\"}}" },
    { "participant.joined", "{\"participant\": {\"id\": 0, \"name\": \"x\", \"role\": \"student\"}}" },
    { "participant.joined", "{\"participant\": {\"id\": 3, \"name\": null, \"role\": \"student\"}}" },
    { "participant.joined", "{\"participant\": {\"id\": 3, \"name\": \"x\", \"role\": \"admin\"}}" },
    { "participant.joined", "{\"participant\": {\"id\": 3, \"name\": \"x\", \"role\": \"student\", \"online\": 1}}" },
    { "participant.joined", "{\"participant\": {\"id\": 3, \"name\": \"x\", \"role\": \"student\", \"hand_raised_at\": \"now\"}}" },
    { "participant.joined", "{\"participant\": {\"id\": 1e300, \"name\": \"x\", \"role\": \"student\"}}" },
    { "participant.presence", "{\"participant_id\": 2}" },
    { "participant.presence", "{\"participant_id\": 2, \"online\": \"yes\"}" },
    { "participant.presence", "{\"participant_id\": [], \"online\": true}" },
    { "hand.raised", "{\"participant_id\": 2}" },
    { "hand.raised", "{\"participant_id\": 2, \"raised_at\": -5}" },
    { "hand.raised", "{\"participant_id\": 2.5, \"raised_at\": 5}" },
    { "hand.raised", "{\"participant_id\": 99, \"raised_at\": 5}" },
    { "hand.lowered", "{\"participant_id\": null}" },
    { "hand.lowered_all", "{\"participant_ids\": 2}" },
    { "hand.lowered_all", "{\"participant_ids\": [2, \"3\"]}" },
    { "hand.lowered_all", "{}" },
    { "media.link_quality", "{\"participant_id\": 5, \"level\": \"awful\"}" },
    { "media.link_quality", "{\"participant_id\": 5, \"level\": 2}" },
    { "media.link_quality", "{\"participant_id\": 5}" },
    { "media.link_quality", "{\"participant_id\": 99, \"level\": \"poor\"}" },
  };

  reset (roster, SNAPSHOT, 5);
  apply (roster, "hand.raised", "{\"participant_id\": 5, \"raised_at\": 100}");
  g_signal_connect (roster, "items-changed", G_CALLBACK (on_items_changed), changes);
  g_signal_connect (cohort_roster_get_hands (roster), "items-changed",
                    G_CALLBACK (on_items_changed), changes);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (apply (roster, bad[i].event, bad[i].body));

  g_assert_false (cohort_roster_apply_event (roster, NULL, NULL));
  g_assert_false (cohort_roster_apply_event (roster, "hand.raised", NULL));

  /* Nothing changed, not even half of the bad lowered_all. */
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (roster)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_roster_get_hands (roster)), ==, 2);

  /* A snapshot with junk in it keeps the good entries. */
  reset (roster,
         "[1, null, {\"id\": 4}, {\"id\": 7, \"name\": \"Ok\", \"role\": \"student\"},"
         " {\"id\": 7, \"name\": \"Dup\", \"role\": \"student\"}]", 7);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (roster)), ==, 1);
  g_assert_cmpstr (cohort_participant_get_name (cohort_roster_lookup (roster, 7)), ==, "Ok");
  cohort_roster_reset (roster, NULL, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (roster)), ==, 0);
}

static void
test_participant_from_json (void)
{
  g_autoptr(JsonNode) node = parse ("{\"id\": 7, \"name\": \"Mei\", \"role\": \"student\","
                                    " \"online\": true, \"hand_raised_at\": 1764297600000}");
  g_autoptr(CohortParticipant) p = cohort_participant_new_from_json (json_node_get_object (node));
  gint64 raised_at = 0;
  gboolean hand_raised = FALSE;

  g_assert_nonnull (p);
  g_object_get (p, "hand-raised-at", &raised_at, "hand-raised", &hand_raised, NULL);
  g_assert_cmpint (raised_at, ==, G_GINT64_CONSTANT (1764297600000));
  g_assert_true (hand_raised);
  g_assert_null (cohort_participant_new_from_json (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/roster/participant-from-json", test_participant_from_json);
  g_test_add_func ("/cohort/roster/reset", test_reset);
  g_test_add_func ("/cohort/roster/join-and-presence", test_join_and_presence);
  g_test_add_func ("/cohort/roster/hand-order", test_hand_order);
  g_test_add_func ("/cohort/roster/unknown-and-malformed", test_unknown_and_malformed);
  g_test_add_func ("/cohort/roster/link-quality", test_link_quality);

  return g_test_run ();
}
