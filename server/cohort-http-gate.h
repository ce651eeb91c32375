/* cohort-http-gate.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cohort-socket-hub.h"

G_BEGIN_DECLS

#define COHORT_HTTP_GATE_DEFAULT_TIMEOUT      10
#define COHORT_HTTP_GATE_DEFAULT_PER_ADDRESS  64
#define COHORT_HTTP_GATE_DEFAULT_TOTAL        1024

#define COHORT_TYPE_HTTP_GATE (cohort_http_gate_get_type ())
G_DECLARE_FINAL_TYPE (CohortHttpGate, cohort_http_gate, COHORT, HTTP_GATE, GObject)

CohortHttpGate *cohort_http_gate_new             (SoupServer          *soup,
                                                  CohortSocketHub     *hub);
void            cohort_http_gate_set_limits      (CohortHttpGate      *self,
                                                  guint                timeout_seconds,
                                                  guint                per_address,
                                                  guint                total);
void            cohort_http_gate_set_exempt      (CohortHttpGate      *self,
                                                  const char * const  *addresses);
gboolean        cohort_http_gate_listen          (CohortHttpGate      *self,
                                                  GSocketAddress      *address,
                                                  guint               *out_port,
                                                  GError             **error);
GSocket        *cohort_http_gate_take            (CohortHttpGate      *self,
                                                  GSocketAddress      *remote);
void            cohort_http_gate_close           (CohortHttpGate      *self);
guint           cohort_http_gate_get_n_pending   (CohortHttpGate      *self);
guint           cohort_http_gate_get_n_head_parses (CohortHttpGate    *self);

G_END_DECLS
