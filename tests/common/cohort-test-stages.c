/* cohort-test-stages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-test-stages.h"

struct _CohortTestStages
{
  gpointer                   state;
  CohortTestStageFunc        setup;
  CohortTestStageFunc        teardown;
  const CohortTestStageFunc *stages;
  guint                      n_stages;
  /* How many stages have run. */
  guint                      reached;
  gboolean                   set_up;
};

typedef struct
{
  CohortTestStages *stages;
  guint             n_stages;
} Case;

CohortTestStages *
cohort_test_stages_new (gpointer                   state,
                        CohortTestStageFunc        setup,
                        CohortTestStageFunc        teardown,
                        const CohortTestStageFunc *stages,
                        guint                      n_stages)
{
  CohortTestStages *self = g_new0 (CohortTestStages, 1);

  self->state = state;
  self->setup = setup;
  self->teardown = teardown;
  self->stages = stages;
  self->n_stages = n_stages;
  return self;
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  CohortTestStages *self = c->stages;

  if (!self->set_up)
    {
      self->setup (self->state);
      self->set_up = TRUE;
    }
  for (guint i = self->reached; i < c->n_stages; i++)
    self->stages[i] (self->state);
  self->reached = MAX (self->reached, c->n_stages);
}

void
cohort_test_stages_add (CohortTestStages *self,
                        const char       *path,
                        guint             n_stages)
{
  Case *c = g_new0 (Case, 1);

  g_assert_cmpuint (n_stages, >, 0);
  g_assert_cmpuint (n_stages, <=, self->n_stages);
  c->stages = self;
  c->n_stages = n_stages;
  g_test_add_data_func_full (path, c, run_case, g_free);
}

void
cohort_test_stages_add_each (CohortTestStages  *self,
                             const char        *prefix,
                             const char *const *names)
{
  for (guint i = 0; i < self->n_stages; i++)
    {
      g_autofree char *path = g_strconcat (prefix, "/", names[i], NULL);

      cohort_test_stages_add (self, path, i + 1);
    }
}

void
cohort_test_stages_free (CohortTestStages *self)
{
  if (self->set_up && self->teardown != NULL)
    self->teardown (self->state);
  g_free (self);
}
