/* cohort-bench-proc.h: a process's CPU time and memory, and the load, from /proc
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* utime + stime of @pid, in clock ticks (sysconf (_SC_CLK_TCK)); 0 if gone. */
guint64 cohort_bench_proc_ticks  (GPid pid);
/* The resident set of @pid in MB; -1 if gone. */
double  cohort_bench_proc_rss_mb (GPid pid);

/* Appends the 1-minute load average ("null" if unknown): a figure taken
 * on a shared machine says how shared it was. */
void    cohort_bench_append_load_avg (GString *out);

G_END_DECLS
