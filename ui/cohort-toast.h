/* cohort-toast.h: toasts that show text, never markup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A toast that shows @text exactly as given. AdwToast titles are Pango
 * markup in libadwaita 1.2 (use-markup arrives in 1.4), and toasts carry
 * names, titles and error messages from the network. */
AdwToast *cohort_toast_new (const char *text);

/* @text with every "_" doubled, for labels that read "_" as a mnemonic
 * (menu items, buttons with use-underline). */
char     *cohort_escape_mnemonic (const char *text);

G_END_DECLS
