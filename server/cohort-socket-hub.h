/* cohort-socket-hub.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef void (*CohortSocketFunc) (gpointer data,
                                  guint32  events);

typedef struct _CohortSocketWatch CohortSocketWatch;

#define COHORT_TYPE_SOCKET_HUB (cohort_socket_hub_get_type ())
G_DECLARE_FINAL_TYPE (CohortSocketHub, cohort_socket_hub, COHORT, SOCKET_HUB, GObject)

CohortSocketHub   *cohort_socket_hub_new     (GError           **error);
CohortSocketWatch *cohort_socket_hub_watch   (CohortSocketHub   *self,
                                              int                fd,
                                              guint32            events,
                                              CohortSocketFunc   func,
                                              gpointer           data,
                                              GError           **error);
void               cohort_socket_hub_modify  (CohortSocketHub   *self,
                                              CohortSocketWatch *watch,
                                              guint32            events);
void               cohort_socket_hub_unwatch (CohortSocketHub   *self,
                                              CohortSocketWatch *watch);

G_END_DECLS
