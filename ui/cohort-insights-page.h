/* cohort-insights-page.h: the teacher's Insights page of a class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-insights.h"

G_BEGIN_DECLS

#define COHORT_TYPE_INSIGHTS_PAGE (cohort_insights_page_get_type ())
G_DECLARE_FINAL_TYPE (CohortInsightsPage, cohort_insights_page, COHORT, INSIGHTS_PAGE, AdwWindow)

CohortInsightsPage *cohort_insights_page_new       (GtkWindow          *parent,
                                                    CohortInsights     *insights);
CohortInsights     *cohort_insights_page_get_model (CohortInsightsPage *self);

G_END_DECLS
