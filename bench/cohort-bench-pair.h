/* cohort-bench-pair.h: two webrtcbins of this process connected to each other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#ifndef GST_USE_UNSTABLE_API
#define GST_USE_UNSTABLE_API 1
#endif
#include <gst/webrtc/webrtc.h>

G_BEGIN_DECLS

/* The benchmarks' floors: @send offers when it needs to, @recv answers,
 * and their ICE candidates are handed across, like two machines with no
 * server between them. The caller configures ICE and handles @recv's
 * pads; the pair keeps both webrtcbins until freed. */
typedef struct _CohortBenchPair CohortBenchPair;

CohortBenchPair *cohort_bench_pair_connect (GstElement      *send,
                                            GstElement      *recv);
void             cohort_bench_pair_free    (CohortBenchPair *pair);

G_END_DECLS
