/* cohort-notify-private.h: set a property's field and notify when it changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Every model keeps its state in plain fields and notifies only on a
 * real change, so that bindings and "notify" handlers run once per
 * change. Each returns TRUE when the value changed. @object is the
 * GObject that owns @field, @pspec its property. */
gboolean _cohort_set_string  (gpointer     object,
                              char       **field,
                              const char  *value,
                              GParamSpec  *pspec);
/* The same, with NULL stored as "" (for getters that never return NULL). */
gboolean _cohort_set_text    (gpointer     object,
                              char       **field,
                              const char  *value,
                              GParamSpec  *pspec);
gboolean _cohort_set_int64   (gpointer     object,
                              gint64      *field,
                              gint64       value,
                              GParamSpec  *pspec);
gboolean _cohort_set_uint    (gpointer     object,
                              guint       *field,
                              guint        value,
                              GParamSpec  *pspec);
/* @value is folded to TRUE or FALSE first. */
gboolean _cohort_set_boolean (gpointer     object,
                              gboolean    *field,
                              gboolean     value,
                              GParamSpec  *pspec);

G_END_DECLS
