/* cohort-notify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-notify-private.h"

gboolean
_cohort_set_string (gpointer     object,
                    char       **field,
                    const char  *value,
                    GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
  return TRUE;
}

gboolean
_cohort_set_text (gpointer     object,
                  char       **field,
                  const char  *value,
                  GParamSpec  *pspec)
{
  return _cohort_set_string (object, field, value != NULL ? value : "", pspec);
}

gboolean
_cohort_set_int64 (gpointer     object,
                   gint64      *field,
                   gint64       value,
                   GParamSpec  *pspec)
{
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
  return TRUE;
}

gboolean
_cohort_set_uint (gpointer     object,
                  guint       *field,
                  guint        value,
                  GParamSpec  *pspec)
{
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
  return TRUE;
}

gboolean
_cohort_set_boolean (gpointer     object,
                     gboolean    *field,
                     gboolean     value,
                     GParamSpec  *pspec)
{
  value = !!value;
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
  return TRUE;
}
