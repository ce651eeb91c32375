/* cohort-bench-coldjoin.h: a join measured as a student experiences it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

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

/* Reading a child's line while the main context runs: pass
 * cohort_bench_line_cb to g_data_input_stream_read_line_async with a
 * char ** set to NULL, and wait until cohort_bench_line_ready (it) holds;
 * the end of the stream gives "". */
void     cohort_bench_line_cb         (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data);
gboolean cohort_bench_line_ready      (gpointer      data);

G_END_DECLS
