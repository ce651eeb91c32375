/* cohort-export.h: saving a window's data to a file the teacher picks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What is saved, made when the teacher accepts the dialog (so it is the
 * latest); NULL saves nothing. */
typedef GBytes *(*CohortExportContents) (gpointer owner);

/* Embedded in the widget that exports: one "Save" dialog at a time. The
 * file is written private (0600), since what the app exports names
 * students; the outcome is a toast on @toasts. */
typedef struct
{
  GtkFileChooserNative *chooser;
  AdwToastOverlay      *toasts;     /* not owned */
  const char           *saved;      /* the toast once written */
  CohortExportContents  contents;
  gpointer              owner;
} CohortExport;

/* Opens the dialog over @parent, offering @file_name, unless one is open. */
void cohort_export_open  (CohortExport         *export,
                          GtkWindow            *parent,
                          const char           *title,
                          const char           *file_name,
                          AdwToastOverlay      *toasts,
                          const char           *saved,
                          CohortExportContents  contents,
                          gpointer              owner);
/* What an accepted dialog does: writes the owner's contents to @file and
 * shows the outcome. */
void cohort_export_save  (CohortExport         *export,
                          GFile                *file);
/* For the owner's dispose. */
void cohort_export_close (CohortExport         *export);

/* Contents for a NUL-terminated text, which it takes. */
GBytes *cohort_export_text (char *text);

G_END_DECLS
