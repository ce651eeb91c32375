/* cohort-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-export.h"
#include "cohort-toast.h"

void
cohort_export_save (CohortExport *export,
                    GFile        *file)
{
  g_autoptr(GBytes) contents = export->contents (export->owner);
  g_autoptr(GError) error = NULL;

  if (contents == NULL)
    return;
  if (!g_file_set_contents_full (g_file_peek_path (file), g_bytes_get_data (contents, NULL),
                                 g_bytes_get_size (contents), G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    adw_toast_overlay_add_toast (export->toasts, cohort_toast_new (error->message));
  else
    adw_toast_overlay_add_toast (export->toasts, cohort_toast_new (export->saved));
}

static void
on_response (GtkNativeDialog *chooser,
             int              response,
             CohortExport    *export)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    cohort_export_save (export, file);
  g_clear_object (&export->chooser);
}

void
cohort_export_open (CohortExport         *export,
                    GtkWindow            *parent,
                    const char           *title,
                    const char           *file_name,
                    AdwToastOverlay      *toasts,
                    const char           *saved,
                    CohortExportContents  contents,
                    gpointer              owner)
{
  if (export->chooser != NULL)
    return;
  export->toasts = toasts;
  export->saved = saved;
  export->contents = contents;
  export->owner = owner;
  /* GtkFileDialog is GTK 4.10; the app is held to 4.8. */
  export->chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                                 _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (export->chooser), file_name);
  g_signal_connect (export->chooser, "response", G_CALLBACK (on_response), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (export->chooser));
}

void
cohort_export_close (CohortExport *export)
{
  if (export->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (export->chooser));
  g_clear_object (&export->chooser);
}

GBytes *
cohort_export_text (char *text)
{
  return g_bytes_new_take (text, strlen (text));
}
