/* cohort-qr-code.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define COHORT_TYPE_QR_CODE (cohort_qr_code_get_type ())
G_DECLARE_FINAL_TYPE (CohortQrCode, cohort_qr_code, COHORT, QR_CODE, GtkWidget)

/* A QR code of @text (libqrencode, error correction M), drawn as crisp
 * squares at any size, dark on white whatever the theme, with the quiet
 * zone scanners need. */
GtkWidget  *cohort_qr_code_new        (void);
const char *cohort_qr_code_get_text   (CohortQrCode *self);
void        cohort_qr_code_set_text   (CohortQrCode *self,
                                       const char   *text);
/* The modules per side (quiet zone excluded); 0 with no text or when the
 * text is too long to encode. */
guint       cohort_qr_code_get_width  (CohortQrCode *self);
/* Whether the module at (@x, @y) is dark. */
gboolean    cohort_qr_code_get_module (CohortQrCode *self,
                                       guint         x,
                                       guint         y);

G_END_DECLS
