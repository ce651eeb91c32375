/* cohort-join-throttle.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define COHORT_TYPE_JOIN_THROTTLE (cohort_join_throttle_get_type ())
G_DECLARE_FINAL_TYPE (CohortJoinThrottle, cohort_join_throttle, COHORT, JOIN_THROTTLE, GObject)

CohortJoinThrottle *cohort_join_throttle_new    (guint               burst,
                                                 gint64              refill_us,
                                                 guint               max_hosts);
/* 0 if @host may try a class code now, else the µs until it may. */
gint64              cohort_join_throttle_check  (CohortJoinThrottle *self,
                                                 const char         *host,
                                                 gint64              now_us);
/* @host tried a code (or teacher key) that was wrong. */
void                cohort_join_throttle_failed (CohortJoinThrottle *self,
                                                 const char         *host,
                                                 gint64              now_us);
guint               cohort_join_throttle_get_n_hosts (CohortJoinThrottle *self);

/* The key an address is throttled under: IPv4 as written, IPv6 by /64. */
char               *cohort_join_throttle_address_key     (GInetAddress *address);
GInetAddress       *cohort_join_throttle_parse_forwarded (const char   *entry);

G_END_DECLS
