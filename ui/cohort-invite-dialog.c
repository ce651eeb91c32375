/* cohort-invite-dialog.c: the teacher's invitation, with a QR code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-invite-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-invite-dialog.h"
#include "cohort-qr-code.h"
#include "cohort-roster-codes-dialog.h"
#include "cohort-toast.h"

struct _CohortInviteDialog
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  CohortQrCode    *qr_code;
  AdwActionRow    *link_row;
  AdwActionRow    *server_row;
  AdwActionRow    *code_row;

  char            *link;
};

G_DEFINE_FINAL_TYPE (CohortInviteDialog, cohort_invite_dialog, ADW_TYPE_WINDOW)

/* invite.copy (s): "link", "server" or "code". */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortInviteDialog *self = COHORT_INVITE_DIALOG (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  const char *text;
  const char *toast;

  if (g_str_equal (what, "link"))
    {
      text = self->link;
      toast = _("Link copied");
    }
  else if (g_str_equal (what, "server"))
    {
      text = adw_action_row_get_subtitle (self->server_row);
      toast = _("Server address copied");
    }
  else if (g_str_equal (what, "code"))
    {
      text = adw_action_row_get_subtitle (self->code_row);
      toast = _("Class code copied");
    }
  else
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (toast));
}

static void
cohort_invite_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), COHORT_TYPE_INVITE_DIALOG);

  G_OBJECT_CLASS (cohort_invite_dialog_parent_class)->dispose (object);
}

static void
cohort_invite_dialog_finalize (GObject *object)
{
  CohortInviteDialog *self = COHORT_INVITE_DIALOG (object);

  g_free (self->link);

  G_OBJECT_CLASS (cohort_invite_dialog_parent_class)->finalize (object);
}

static void
cohort_invite_dialog_class_init (CohortInviteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_invite_dialog_dispose;
  object_class->finalize = cohort_invite_dialog_finalize;

  g_type_ensure (COHORT_TYPE_QR_CODE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-invite-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortInviteDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortInviteDialog, qr_code);
  gtk_widget_class_bind_template_child (widget_class, CohortInviteDialog, link_row);
  gtk_widget_class_bind_template_child (widget_class, CohortInviteDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, CohortInviteDialog, code_row);

  gtk_widget_class_install_action (widget_class, "invite.copy", "s", copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_invite_dialog_init (CohortInviteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CohortInviteDialog *
cohort_invite_dialog_new (GtkWindow  *parent,
                          const char *server_url,
                          const char *code)
{
  CohortInviteDialog *self;

  g_return_val_if_fail (server_url != NULL && code != NULL, NULL);

  self = g_object_new (COHORT_TYPE_INVITE_DIALOG, "transient-for", parent, NULL);
  self->link = cohort_join_link_new (server_url, code);
  cohort_qr_code_set_text (self->qr_code, self->link);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_code), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QR code of the class’s link"), -1);
  adw_action_row_set_subtitle (self->link_row, self->link);
  adw_action_row_set_subtitle (self->server_row, server_url);
  adw_action_row_set_subtitle (self->code_row, code);
  return self;
}

const char *
cohort_invite_dialog_get_link (CohortInviteDialog *self)
{
  g_return_val_if_fail (COHORT_IS_INVITE_DIALOG (self), NULL);

  return self->link;
}
