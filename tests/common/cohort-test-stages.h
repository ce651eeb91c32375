/* cohort-test-stages.h: named cases over one scenario's ordered stages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Some scenarios are expensive to set up (windows to open, a class to
 * take through many steps) and each step needs the ones before it. Their
 * cases share one set-up and one run of the stages: a full run goes
 * through each stage once, in order, and a case run alone (-p) first runs
 * the stages before its own. */
typedef struct _CohortTestStages CohortTestStages;
typedef void (*CohortTestStageFunc) (gpointer state);

/* @setup runs on @state before the first stage, @teardown (may be NULL)
 * from cohort_test_stages_free() once set up. @stages is not copied. */
CohortTestStages *cohort_test_stages_new  (gpointer                   state,
                                           CohortTestStageFunc        setup,
                                           CohortTestStageFunc        teardown,
                                           const CohortTestStageFunc *stages,
                                           guint                      n_stages);
/* Adds the case @path, which runs the first @n_stages stages. Add the
 * cases in the order of their stages. */
void              cohort_test_stages_add  (CohortTestStages          *self,
                                           const char                *path,
                                           guint                      n_stages);
/* Adds one case a stage: "@prefix/@names[i]" runs the first i + 1
 * stages. @names has as many entries as there are stages. */
void              cohort_test_stages_add_each (CohortTestStages      *self,
                                               const char            *prefix,
                                               const char *const     *names);
void              cohort_test_stages_free (CohortTestStages          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortTestStages, cohort_test_stages_free)

G_END_DECLS
