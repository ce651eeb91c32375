/* cohort-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COHORT_TYPE_APPLICATION (cohort_application_get_type ())
G_DECLARE_FINAL_TYPE (CohortApplication, cohort_application, COHORT, APPLICATION, AdwApplication)

CohortApplication *cohort_application_new (void);

G_END_DECLS
