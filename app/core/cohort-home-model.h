/* cohort-home-model.h: every kept class, across servers, for the home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-home-entry.h"

G_BEGIN_DECLS

/* A GListModel of CohortHomeEntry, one per kept class, in the order they
 * were added. cohort_home_model_refresh() asks each entry's server
 * (GET /api/v1/home) at once, side by side; a server that does not answer
 * makes its entries OFFLINE (their last figures kept) and holds up no
 * other. While refresh-interval is not 0 (60 s by default) it refreshes
 * again that often, after the first refresh.
 *
 * Properties: loading (a refresh is under way), refresh-interval
 * (seconds). */
#define COHORT_TYPE_HOME_MODEL (cohort_home_model_get_type ())
G_DECLARE_FINAL_TYPE (CohortHomeModel, cohort_home_model, COHORT, HOME_MODEL, GObject)

CohortHomeModel *cohort_home_model_new                  (void);
/* Adds the class @code on @server_url (or, when kept already, takes the
 * new token). Returns the entry (transfer none). */
CohortHomeEntry *cohort_home_model_add                  (CohortHomeModel *self,
                                                         const char      *server_url,
                                                         const char      *code,
                                                         const char      *token);
void             cohort_home_model_remove               (CohortHomeModel *self,
                                                         CohortHomeEntry *entry);
/* The entry of (@server_url, @code), or NULL. */
CohortHomeEntry *cohort_home_model_lookup               (CohortHomeModel *self,
                                                         const char      *server_url,
                                                         const char      *code);
void             cohort_home_model_refresh              (CohortHomeModel *self);
gboolean         cohort_home_model_get_loading          (CohortHomeModel *self);
guint            cohort_home_model_get_refresh_interval (CohortHomeModel *self);
void             cohort_home_model_set_refresh_interval (CohortHomeModel *self,
                                                         guint            seconds);

G_END_DECLS
