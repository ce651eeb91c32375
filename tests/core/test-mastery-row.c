/* test-mastery-row.c: a student's line of mastery.class as the client
 * reads it: only the cells with an estimate, as [column, permille]; a
 * line that does not fit the reply's points is refused whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-mastery-row.h"

static CohortMasteryRow *
row_from (const char *json,
          guint       n_points)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return _cohort_mastery_row_new_from_json (json_node_get_object (node), n_points);
}

static void
test_cells (void)
{
  g_autoptr(CohortMasteryRow) row = row_from ("{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,378],[2,1000]]}", 4);
  g_autoptr(CohortMasteryRow) none = row_from ("{\"participant_id\":8,\"name\":\"Bo\",\"cells\":[]}", 4);

  g_assert_nonnull (row);
  g_assert_cmpint (cohort_mastery_row_get_participant_id (row), ==, 7);
  g_assert_cmpstr (cohort_mastery_row_get_name (row), ==, "Ann");
  g_assert_cmpuint (cohort_mastery_row_get_n_cells (row), ==, 4);
  g_assert_cmpint (cohort_mastery_row_get_cell (row, 0), ==, 378);
  g_assert_cmpint (cohort_mastery_row_get_cell (row, 1), ==, -1);
  g_assert_cmpint (cohort_mastery_row_get_cell (row, 2), ==, 1000);
  g_assert_cmpint (cohort_mastery_row_get_cell (row, 3), ==, -1);
  /* the mean over the answered points only */
  g_assert_cmpint (cohort_mastery_row_get_mean (row), ==, 689);

  g_assert_nonnull (none);
  g_assert_cmpuint (cohort_mastery_row_get_n_cells (none), ==, 4);
  g_assert_cmpint (cohort_mastery_row_get_cell (none, 3), ==, -1);
  g_assert_cmpint (cohort_mastery_row_get_mean (none), ==, -1);
}

static void
test_refused (void)
{
  static const char * const unfit[] = {
    "{\"name\":\"Ann\",\"cells\":[]}",                                  /* no id */
    "{\"participant_id\":0,\"name\":\"Ann\",\"cells\":[]}",             /* id out of range */
    "{\"participant_id\":7,\"cells\":[]}",                              /* no name */
    "{\"participant_id\":7,\"name\":\"Ann\"}",                          /* no cells */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":{}}",             /* cells not an array */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[378]}",          /* the old dense form */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0]]}",          /* a pair too short */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,1,2]]}",      /* too long */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,\"5\"]]}",    /* a text */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,0.5]]}",      /* a fraction */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,null]]}",
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,-1]]}",       /* below 0 */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,1001]]}",     /* above 1000 */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[-1,5]]}",       /* no such column */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[4,5]]}",
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[1,5],[1,6]]}",  /* a column twice */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[2,5],[1,6]]}",  /* out of order */
    "{\"participant_id\":7,\"name\":\"Ann\",\"cells\":[[0,1],[1,1],[2,1],[3,1],[3,1]]}", /* more than the points */
  };

  for (guint i = 0; i < G_N_ELEMENTS (unfit); i++)
    {
      g_autoptr(CohortMasteryRow) row = row_from (unfit[i], 4);

      if (row != NULL)
        g_error ("accepted: %s", unfit[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cohort/mastery-row/cells", test_cells);
  g_test_add_func ("/cohort/mastery-row/refused", test_refused);
  return g_test_run ();
}
