/* cohort-bench-stats.h: figures the benchmarks report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The @q quantile (0…1) of @values (doubles), by rank: sorts @values in
 * place; -1 when it is empty. */
double cohort_bench_quantile (GArray *values,
                              double  q);

G_END_DECLS
