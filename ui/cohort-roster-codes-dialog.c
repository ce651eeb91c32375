/* cohort-roster-codes-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-roster-codes-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-export.h"
#include "cohort-roster-codes-dialog.h"
#include "cohort-toast.h"

struct _CohortRosterCodesDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkListBox           *list;

  char                 *server_url;
  GPtrArray            *rows;       /* char *[4]: name, number, code, link */
  CohortExport          export;
};

G_DEFINE_FINAL_TYPE (CohortRosterCodesDialog, cohort_roster_codes_dialog, ADW_TYPE_WINDOW)

char *
cohort_join_link_new (const char *server_url,
                      const char *code)
{
  g_autofree char *server = g_uri_escape_string (server_url, NULL, FALSE);
  g_autofree char *escaped_code = g_uri_escape_string (code, NULL, FALSE);

  return g_strdup_printf ("cohort://join?server=%s&code=%s", server, escaped_code);
}

static void
copy_text (CohortRosterCodesDialog *self,
           const char              *text,
           const char              *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (toast));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CohortRosterCodesDialog *self = COHORT_ROSTER_CODES_DIALOG (widget);
  guint i = g_variant_get_uint32 (param);
  char **row;
  g_autofree char *toast = NULL;

  if (i >= self->rows->len)
    return;
  row = g_ptr_array_index (self->rows, i);
  /* Translators: a toast; %s is a student's name. */
  toast = g_strdup_printf (_("Join link for %s copied"), row[0]);
  copy_text (self, row[3], toast);
}

char *
cohort_roster_codes_dialog_to_csv (CohortRosterCodesDialog *self)
{
  GString *csv = g_string_new ("name,number,code,link\n");

  g_return_val_if_fail (COHORT_IS_ROSTER_CODES_DIALOG (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      char **row = g_ptr_array_index (self->rows, i);

      for (guint f = 0; f < 4; f++)
        {

          /* Quoted when needed, "" for a quote (RFC 4180). */
          if (strpbrk (row[f], ",;\"\n\r") != NULL)
            {
              g_auto(GStrv) pieces = g_strsplit (row[f], "\"", -1);
              g_autofree char *doubled = g_strjoinv ("\"\"", pieces);

              g_string_append_printf (csv, "\"%s\"", doubled);
            }
          else
            g_string_append (csv, row[f]);
          g_string_append_c (csv, f < 3 ? ',' : '\n');
        }
    }
  return g_string_free (csv, FALSE);
}

static void
copy_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  CohortRosterCodesDialog *self = COHORT_ROSTER_CODES_DIALOG (widget);
  g_autofree char *csv = cohort_roster_codes_dialog_to_csv (self);

  copy_text (self, csv, _("Every code and link copied"));
}

static GBytes *
codes_csv (gpointer owner)
{
  return cohort_export_text (cohort_roster_codes_dialog_to_csv (owner));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CohortRosterCodesDialog *self = COHORT_ROSTER_CODES_DIALOG (widget);

  cohort_export_open (&self->export, GTK_WINDOW (self), _("Export Personal Codes"),
                      _("personal-codes.csv"), self->toast_overlay, _("Codes saved"), codes_csv,
                      self);
}

static GtkWidget *
create_row (CohortRosterCodesDialog *self,
            guint                    i)
{
  char **row = g_ptr_array_index (self->rows, i);
  GtkWidget *action_row = adw_action_row_new ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  g_autofree char *title = NULL;
  g_autofree char *tooltip = NULL;

  title = *row[1] != '\0' ? g_strdup_printf ("%s (%s)", row[0], row[1]) : g_strdup (row[0]);
  /* Names are the teacher's text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), row[2]);
  gtk_widget_add_css_class (action_row, "property");
  gtk_widget_add_css_class (action_row, "class-code");

  /* Translators: %s is a student's name. */
  tooltip = g_strdup_printf (_("Copy the Join Link for %s"), row[0]);
  gtk_widget_set_tooltip_text (copy, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "codes.copy");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "u", i);
  adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), copy);
  return action_row;
}

static void
cohort_roster_codes_dialog_dispose (GObject *object)
{
  CohortRosterCodesDialog *self = COHORT_ROSTER_CODES_DIALOG (object);

  cohort_export_close (&self->export);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_ROSTER_CODES_DIALOG);

  G_OBJECT_CLASS (cohort_roster_codes_dialog_parent_class)->dispose (object);
}

static void
cohort_roster_codes_dialog_finalize (GObject *object)
{
  CohortRosterCodesDialog *self = COHORT_ROSTER_CODES_DIALOG (object);

  g_free (self->server_url);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (cohort_roster_codes_dialog_parent_class)->finalize (object);
}

static void
cohort_roster_codes_dialog_class_init (CohortRosterCodesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_roster_codes_dialog_dispose;
  object_class->finalize = cohort_roster_codes_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-roster-codes-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortRosterCodesDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortRosterCodesDialog, list);

  gtk_widget_class_install_action (widget_class, "codes.copy", "u", copy_action);
  gtk_widget_class_install_action (widget_class, "codes.copy-all", NULL, copy_all_action);
  gtk_widget_class_install_action (widget_class, "codes.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_roster_codes_dialog_init (CohortRosterCodesDialog *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gtk_widget_init_template (GTK_WIDGET (self));
}

CohortRosterCodesDialog *
cohort_roster_codes_dialog_new (GtkWindow  *parent,
                                const char *server_url,
                                GPtrArray  *codes)
{
  CohortRosterCodesDialog *self = g_object_new (COHORT_TYPE_ROSTER_CODES_DIALOG,
                                                "transient-for", parent,
                                                NULL);

  self->server_url = g_strdup (server_url);
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      CohortRosterCode *code = g_ptr_array_index (codes, i);
      char **row = g_new0 (char *, 5);

      row[0] = g_strdup (code->name);
      row[1] = g_strdup (code->number != NULL ? code->number : "");
      row[2] = g_strdup (code->personal_code);
      row[3] = cohort_join_link_new (server_url, code->personal_code);
      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (self->list, create_row (self, self->rows->len - 1));
    }
  return self;
}

guint
cohort_roster_codes_dialog_get_n_codes (CohortRosterCodesDialog *self)
{
  g_return_val_if_fail (COHORT_IS_ROSTER_CODES_DIALOG (self), 0);

  return self->rows->len;
}
