/* cohort-test-ui.h: helpers the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* cohort_test_wait_for(): iterates until @condition (@data) holds or
 * @timeout_ms (scaled) pass; returns the condition's last value. */
gboolean cohort_test_ui_wait_for        (GSourceFunc  condition,
                                         gpointer     data,
                                         guint        timeout_ms);
/* Lets windows lay themselves out and paint for @ms. */
void     cohort_test_ui_settle          (guint        ms);
/* Renders @widget (any widget, once it is mapped and painted) into
 * @file_name next to the test binary, and asserts that it worked. */
void     cohort_test_ui_save_screenshot (GtkWidget   *widget,
                                         const char  *file_name);

G_END_DECLS
