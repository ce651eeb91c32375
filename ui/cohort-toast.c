/* cohort-toast.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-toast"

#include "config.h"

#include "cohort-toast.h"

AdwToast *
cohort_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}

char *
cohort_escape_mnemonic (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", "_", -1);

  return g_strjoinv ("__", parts);
}
