/* cohort-bench-coldjoin.h: a join measured as a student experiences it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The child: `PROGRAM --cold-student URL CODE`. Call it before gst_init()
 * (gst_init is part of what it measures). Joins as a student with a
 * CohortSession and a CohortCall, like the app, and prints one JSON line
 * of monotonic µs marks on stdout at the first decoded frame. */
gboolean cohort_bench_is_cold_student (int    argc,
                                       char **argv);
int      cohort_bench_cold_student    (int    argc,
                                       char **argv);

/* The parent: @n fresh `@program --cold-student` processes, one after the
 * other, each timed from its spawn. Appends
 * "cold_join_to_first_frame_ms": {median, p95, n, min, max} and
 * "cold_join_breakdown_ms": {mark: median ms since spawn, …}, each
 * followed by ", ", to @out. Iterates the default main context meanwhile. */
void     cohort_bench_cold_joins      (GString    *out,
                                       const char *program,
                                       const char *url,
                                       const char *code,
                                       guint       n);

G_END_DECLS
