/* cohort-insights-page.c: per student attendance, participation, quizzes,
 * check-ins and AI use; the at-risk first, each with its reasons and a
 * Nudge button; the thresholds and the template; CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-insights-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-insights-protocol.h"

#include "cohort-error-message.h"
#include "cohort-export.h"
#include "cohort-insights-page.h"
#include "cohort-toast.h"

enum {
  SORT_RISK,
  SORT_NAME,
  SORT_ATTENDANCE,
  SORT_PARTICIPATION,
  SORT_ACCURACY,
  SORT_STREAK,
};

struct _CohortInsightsPage
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkLabel             *summary_label;
  GtkDropDown          *sort_dropdown;
  GtkListBox           *list;
  GtkPopover           *settings_popover;
  GtkSpinButton        *absent_spin;
  GtkSpinButton        *streak_spin;
  GtkSpinButton        *drop_spin;
  GtkSpinButton        *drop_lessons_spin;
  GtkSpinButton        *silent_spin;
  AdwEntryRow          *template_row;

  CohortInsights       *insights;
  GtkSortListModel     *sorted;
  GtkCustomSorter      *sorter;
  CohortExport          export;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (CohortInsightsPage, cohort_insights_page, ADW_TYPE_WINDOW)

static gint64
participation (CohortInsightsRow *row)
{
  return cohort_insights_row_get_figure (row, "messages") + cohort_insights_row_get_figure (row, "hands") +
         cohort_insights_row_get_figure (row, "reactions") + cohort_insights_row_get_figure (row, "helpful");
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  CohortInsightsPage *self = user_data;
  CohortInsightsRow *ra = COHORT_INSIGHTS_ROW ((gpointer) a);
  CohortInsightsRow *rb = COHORT_INSIGHTS_ROW ((gpointer) b);
  gint64 va = 0, vb = 0;

  switch (gtk_drop_down_get_selected (self->sort_dropdown))
    {
    case SORT_NAME:
      return g_utf8_collate (cohort_insights_row_get_name (ra), cohort_insights_row_get_name (rb));
    /* The lowest first: who to look at. */
    case SORT_ATTENDANCE:
      va = cohort_insights_row_get_figure (ra, "present_ms");
      vb = cohort_insights_row_get_figure (rb, "present_ms");
      break;
    case SORT_PARTICIPATION:
      va = participation (ra);
      vb = participation (rb);
      break;
    case SORT_ACCURACY:
      va = cohort_insights_row_get_figure (ra, "accuracy");
      vb = cohort_insights_row_get_figure (rb, "accuracy");
      break;
    case SORT_STREAK:
      va = cohort_insights_row_get_figure (ra, "streak");
      vb = cohort_insights_row_get_figure (rb, "streak");
      break;
    case SORT_RISK:
    default:
      /* The server's order: the most reasons first, then by name. */
      va = -(gint64) g_strv_length ((GStrv) cohort_insights_row_get_risks (ra));
      vb = -(gint64) g_strv_length ((GStrv) cohort_insights_row_get_risks (rb));
      if (va == vb)
        return g_utf8_collate (cohort_insights_row_get_name (ra), cohort_insights_row_get_name (rb));
      break;
    }
  return (va > vb) - (va < vb);
}

/* What a reason's chip says. */
static char *
chip_text (CohortInsightsRow *row,
           const char        *risk)
{
  if (g_str_equal (risk, COHORT_INSIGHTS_RISK_STR_ABSENT))
    {
      int n = cohort_insights_row_get_why (row, "absent_lessons");

      /* Translators: a reason a student is at risk. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Absent from the last lesson",
                                           "Absent from the last %d lessons", n), n);
    }
  if (g_str_equal (risk, COHORT_INSIGHTS_RISK_STR_STREAK_BROKEN))
    {
      int n = cohort_insights_row_get_why (row, "streak_run");

      /* Translators: a reason a student is at risk: their check-in streak ended. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Broke a %d-day streak",
                                           "Broke a %d-day streak", n), n);
    }
  if (g_str_equal (risk, COHORT_INSIGHTS_RISK_STR_ACCURACY_DROP))
    /* Translators: a reason a student is at risk: quiz accuracy fell from one percentage to another. */
    return g_strdup_printf (_("Quiz accuracy %d%% → %d%%"), (int) cohort_insights_row_get_why (row, "accuracy_from"),
                            (int) cohort_insights_row_get_why (row, "accuracy_to"));
  if (g_str_equal (risk, COHORT_INSIGHTS_RISK_STR_SILENT))
    {
      int n = cohort_insights_row_get_why (row, "silent_lessons");

      /* Translators: a reason a student is at risk: nothing said in class. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Silent for %d lesson", "Silent for %d lessons", n), n);
    }
  return g_strdup (risk);
}

static char *
figures_text (CohortInsightsRow *row)
{
  int lessons = cohort_insights_row_get_figure (row, "lessons_attended");
  int minutes = (cohort_insights_row_get_figure (row, "present_ms") + 30000) / 60000;
  int messages = cohort_insights_row_get_figure (row, "messages");
  int questions = cohort_insights_row_get_figure (row, "questions");
  int hands = cohort_insights_row_get_figure (row, "hands");
  int helpful = cohort_insights_row_get_figure (row, "helpful");
  int reactions = cohort_insights_row_get_figure (row, "reactions");
  int stage = (cohort_insights_row_get_figure (row, "stage_ms") + 30000) / 60000;
  int accuracy = cohort_insights_row_get_figure (row, "accuracy");
  int answered = cohort_insights_row_get_figure (row, "quiz_answered");
  int streak = cohort_insights_row_get_figure (row, "streak");
  int checkins = cohort_insights_row_get_figure (row, "checkins");
  int ai = cohort_insights_row_get_figure (row, "ai_questions");
  GArray *trend = cohort_insights_row_get_trend (row);
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: attendance: lessons and minutes present. */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%d lesson, %d min", "%d lessons, %d min", lessons),
                          lessons, minutes);
  g_string_append (text, " · ");
  /* Translators: participation. */
  g_string_append_printf (text, _("%d messages (%d questions), %d hands, %d helpful, %d reactions, %d min on stage"),
                          messages, questions, hands, helpful, reactions, stage);
  g_string_append (text, "\n");
  if (accuracy >= 0)
    {
      /* Translators: quiz answers and the share right. */
      g_string_append_printf (text, _("Quiz %d%% of %d"), accuracy, answered);
      if (trend->len > 1)
        {
          g_string_append (text, " (");
          for (guint i = 0; i < trend->len; i++)
            g_string_append_printf (text, "%s%d%%", i > 0 ? " → " : "", g_array_index (trend, int, i));
          g_string_append (text, ")");
        }
    }
  else
    g_string_append (text, _("No quiz answers"));
  g_string_append (text, " · ");
  /* Translators: the check-in streak in days, and how many check-ins. */
  g_string_append_printf (text, _("Streak %d, %d check-ins"), streak, checkins);
  g_string_append (text, " · ");
  /* Translators: how many questions the student asked the AI helper (never what). */
  g_string_append_printf (text, _("%d AI questions"), ai);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
nudge_text (CohortInsightsRow *row)
{
  gint64 at = cohort_insights_row_get_figure (row, "last_nudge_at");
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;

  if (at <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (at / 1000);
  local = g_date_time_to_local (utc);
  /* Translators: a date and time, as in "Nudged 12-04 14:30". */
  when = g_date_time_format (local, _("%m-%d %H:%M"));
  if (cohort_insights_row_get_came_back (row))
    /* Translators: %s is when the teacher nudged the student. */
    return g_strdup_printf (_("Nudged %s · came back since"), when);
  /* Translators: %s is when the teacher nudged the student. */
  return g_strdup_printf (_("Nudged %s · not back yet"), when);
}

/* A toast for a request's outcome: @done, or what went wrong. */
static void
toast_outcome (CohortInsightsPage *self,
               gboolean            ok,
               const GError       *error,
               const char         *done)
{
  g_autofree char *message = NULL;

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  message = ok ? g_strdup (done) : cohort_error_message_for_user (error, NULL, NULL, NULL);
  adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (message));
}

static void
nudge_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CohortInsightsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cohort_insights_nudge_finish (COHORT_INSIGHTS (object), result, &error);

  toast_outcome (self, ok, error, _("Nudge sent"));
}

static void
on_nudge_clicked (GtkButton          *button,
                  CohortInsightsPage *self)
{
  CohortInsightsRow *row = g_object_get_data (G_OBJECT (button), "row");

  cohort_insights_nudge_async (self->insights, cohort_insights_row_get_participant_id (row), self->cancellable,
                               nudge_cb, g_object_ref (self));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CohortInsightsPage *self = user_data;
  CohortInsightsRow *row = item;
  const char * const *risks = cohort_insights_row_get_risks (row);
  g_autofree char *figures = figures_text (row);
  g_autofree char *nudged = nudge_text (row);
  g_autofree char *tooltip = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (cohort_insights_row_get_name (row));
  GtkWidget *button = gtk_button_new_with_label (_("Nudge"));
  GtkWidget *label;
  GtkWidget *list_row = gtk_list_box_row_new ();

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (top), name);

  /* Translators: %s is a student's name. */
  tooltip = g_strdup_printf (_("Send %s the nudge message privately"), cohort_insights_row_get_name (row));
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (risks[0] != NULL)
    gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data_full (G_OBJECT (button), "row", g_object_ref (row), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_nudge_clicked), self);
  gtk_box_append (GTK_BOX (top), button);
  gtk_box_append (GTK_BOX (box), top);

  if (risks[0] != NULL)
    {
      GtkWidget *chips = gtk_flow_box_new ();

      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (chips), GTK_SELECTION_NONE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (chips), 4);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (chips), 6);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (chips), 6);
      gtk_widget_set_halign (chips, GTK_ALIGN_START);
      for (guint i = 0; risks[i] != NULL; i++)
        {
          g_autofree char *text = chip_text (row, risks[i]);
          GtkWidget *chip = gtk_label_new (text);

          gtk_widget_add_css_class (chip, "insights-chip");
          gtk_flow_box_append (GTK_FLOW_BOX (chips), chip);
        }
      gtk_box_append (GTK_BOX (box), chips);
    }

  label = gtk_label_new (figures);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), label);

  if (nudged != NULL)
    {
      label = gtk_label_new (nudged);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, cohort_insights_row_get_came_back (row) ? "success" : "warning");
      gtk_box_append (GTK_BOX (box), label);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  return list_row;
}

static void
update_state (CohortInsightsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->insights));
  guint at_risk = cohort_insights_get_n_at_risk (self->insights);
  g_autofree char *students = NULL;
  g_autofree char *summary = NULL;
  const GError *error = cohort_insights_get_error (self->insights);

  if (error != NULL)
    {
      g_autofree char *message = cohort_error_message_for_user (error, NULL, NULL, NULL);

      adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (message));
    }

  /* Translators: how many students the table lists. */
  students = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u student", "%u students", n), n);
  /* Translators: %s is "N students", %u how many of them are at risk. */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u at risk", "%s, %u at risk", at_risk),
                             students, at_risk);
  gtk_label_set_text (self->summary_label, summary);
  adw_window_title_set_subtitle (self->window_title,
                                 cohort_insights_get_live (self->insights) ? _("Live: updates as the lesson goes")
                                                                          : _("Across all lessons"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "insights.export", n > 0);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (!cohort_insights_get_loading (self->insights))
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
on_items_changed (GListModel         *model,
                  guint               position,
                  guint               removed,
                  guint               added,
                  CohortInsightsPage *self)
{
  update_state (self);
}

static void
on_notify (GObject            *object,
           GParamSpec         *pspec,
           CohortInsightsPage *self)
{
  update_state (self);
}

static void
on_settings (GObject            *object,
             GParamSpec         *pspec,
             CohortInsightsPage *self)
{
  CohortInsightsSettings *settings = cohort_insights_get_settings (self->insights);

  if (settings == NULL || gtk_widget_get_visible (GTK_WIDGET (self->settings_popover)))
    return;
  gtk_spin_button_set_value (self->absent_spin, cohort_insights_settings_get_absent_lessons (settings));
  gtk_spin_button_set_value (self->streak_spin, cohort_insights_settings_get_streak_days (settings));
  gtk_spin_button_set_value (self->drop_spin, cohort_insights_settings_get_accuracy_drop (settings));
  gtk_spin_button_set_value (self->drop_lessons_spin, cohort_insights_settings_get_accuracy_lessons (settings));
  gtk_spin_button_set_value (self->silent_spin, cohort_insights_settings_get_silent_lessons (settings));
  gtk_editable_set_text (GTK_EDITABLE (self->template_row), cohort_insights_settings_get_template (settings));
}

static void
on_sort_changed (GObject            *object,
                 GParamSpec         *pspec,
                 CohortInsightsPage *self)
{
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  cohort_insights_refresh (COHORT_INSIGHTS_PAGE (widget)->insights);
}

static void
settings_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortInsightsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cohort_insights_set_settings_finish (COHORT_INSIGHTS (object), result, &error);

  toast_outcome (self, ok, error, _("Settings saved"));
}

static void
save_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CohortInsightsPage *self = COHORT_INSIGHTS_PAGE (widget);
  g_autoptr(CohortInsightsSettings) changes = cohort_insights_settings_new ();
  const char *template = gtk_editable_get_text (GTK_EDITABLE (self->template_row));

  if (strstr (template, "{name}") == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   cohort_toast_new (_("Put {name} in the message, where the student’s name goes.")));
      return;
    }
  cohort_insights_settings_set_absent_lessons (changes, gtk_spin_button_get_value_as_int (self->absent_spin));
  cohort_insights_settings_set_streak_days (changes, gtk_spin_button_get_value_as_int (self->streak_spin));
  cohort_insights_settings_set_accuracy_drop (changes, gtk_spin_button_get_value_as_int (self->drop_spin));
  cohort_insights_settings_set_accuracy_lessons (changes,
                                                 gtk_spin_button_get_value_as_int (self->drop_lessons_spin));
  cohort_insights_settings_set_silent_lessons (changes, gtk_spin_button_get_value_as_int (self->silent_spin));
  cohort_insights_settings_set_template (changes, template);
  gtk_popover_popdown (self->settings_popover);
  cohort_insights_set_settings_async (self->insights, changes, self->cancellable, settings_cb, g_object_ref (self));
}

static GBytes *
insights_csv (gpointer owner)
{
  CohortInsightsPage *self = owner;

  return cohort_export_text (cohort_insights_to_csv (self->insights));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CohortInsightsPage *self = COHORT_INSIGHTS_PAGE (widget);

  cohort_export_open (&self->export, GTK_WINDOW (self), _("Export Insights"),
                      /* Translators: the file name offered for the insights table. */
                      _("insights.csv"),
                      self->toast_overlay, _("Insights saved"), insights_csv, self);
}

static void
cohort_insights_page_dispose (GObject *object)
{
  CohortInsightsPage *self = COHORT_INSIGHTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  cohort_export_close (&self->export);
  if (self->insights != NULL)
    g_signal_handlers_disconnect_by_data (self->insights, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_INSIGHTS_PAGE);
  g_clear_object (&self->sorted);
  g_clear_object (&self->insights);

  G_OBJECT_CLASS (cohort_insights_page_parent_class)->dispose (object);
}

static void
cohort_insights_page_finalize (GObject *object)
{
  CohortInsightsPage *self = COHORT_INSIGHTS_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_insights_page_parent_class)->finalize (object);
}

static void
cohort_insights_page_class_init (CohortInsightsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_insights_page_dispose;
  object_class->finalize = cohort_insights_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-insights-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, list);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, settings_popover);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, absent_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, streak_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, drop_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, drop_lessons_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, silent_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortInsightsPage, template_row);

  gtk_widget_class_install_action (widget_class, "insights.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "insights.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "insights.save-settings", NULL, save_settings_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "insights.refresh", NULL);
}

static void
cohort_insights_page_init (CohortInsightsPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

CohortInsightsPage *
cohort_insights_page_new (GtkWindow      *parent,
                          CohortInsights *insights)
{
  CohortInsightsPage *self;

  g_return_val_if_fail (COHORT_IS_INSIGHTS (insights), NULL);

  self = g_object_new (COHORT_TYPE_INSIGHTS_PAGE, "transient-for", parent, NULL);
  self->insights = g_object_ref (insights);
  self->sorter = gtk_custom_sorter_new (compare_rows, self, NULL);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (insights)), GTK_SORTER (self->sorter));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->sorted), create_row, self, NULL);
  g_signal_connect (insights, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (insights, "notify::loading", G_CALLBACK (on_notify), self);
  g_signal_connect (insights, "notify::live", G_CALLBACK (on_notify), self);
  g_signal_connect (insights, "notify::settings", G_CALLBACK (on_settings), self);
  g_signal_connect (self->sort_dropdown, "notify::selected", G_CALLBACK (on_sort_changed), self);
  on_settings (NULL, NULL, self);
  update_state (self);
  return self;
}

CohortInsights *
cohort_insights_page_get_model (CohortInsightsPage *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_PAGE (self), NULL);

  return self->insights;
}
