/* cohort-practice-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-mastery-chart.h"
#include "cohort-mastery-legend.h"
#include "cohort-practice-page.h"
#include "cohort-practice-window.h"
#include "cohort-template.h"
#include "cohort-toast.h"

struct _CohortPracticeWindow
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwViewStack    *view_stack;
  GtkStack        *progress_stack;
  AdwStatusPage   *empty_status;
  GtkLabel        *next_label;
  AdwPreferencesGroup *mastery_group;
  GtkWidget       *chart;
  GtkStack        *history_stack;
  GtkListBox      *history_list;
  GtkWidget       *practice_box;
  GtkWidget       *practice_page;

  CohortPractice  *practice;
};

G_DEFINE_FINAL_TYPE (CohortPracticeWindow, cohort_practice_window, ADW_TYPE_WINDOW)

static void
update_progress (CohortPracticeWindow *self)
{
  GListModel *points = cohort_practice_get_points (self->practice);
  guint n = g_list_model_get_n_items (points);
  guint count = cohort_practice_get_next_up_count (self->practice);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *mastery = g_new0 (double, MAX (n, 1));
  g_autofree char *mastered = NULL;

  if (n == 0)
    {
      gtk_stack_set_visible_child_name (self->progress_stack,
                                        cohort_practice_get_loading (self->practice) ? "loading" : "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->progress_stack, "content");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortKnowledgePoint) point = g_list_model_get_item (points, i);
      int permille = cohort_knowledge_point_get_mastery (point);

      g_ptr_array_add (names, g_strdup (cohort_knowledge_point_get_name (point)));
      mastery[i] = permille < 0 ? -1 : permille / 1000.0;
    }
  g_ptr_array_add (names, NULL);
  cohort_mastery_chart_set_data (COHORT_MASTERY_CHART (self->chart), (const char * const *) names->pdata, mastery, n);

  /* Translators: how many of the student's knowledge points are mastered. */
  mastered = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u knowledge point mastered",
                                           "%u of %u knowledge points mastered", n),
                              cohort_practice_get_n_mastered (self->practice), n);
  adw_preferences_group_set_description (self->mastery_group, mastered);

  if (count > 0 && cohort_practice_get_next_up_name (self->practice) != NULL)
    {
      /* Translators: what the next practice set is mostly about:
       * "Next up: 10 questions on Fractions". */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Next up: %u question on %s",
                                                            "Next up: %u questions on %s", count),
                                               count, cohort_practice_get_next_up_name (self->practice));

      gtk_label_set_label (self->next_label, text);
    }
  else
    gtk_label_set_label (self->next_label, _("Nothing is due right now. Practise anyway to keep what you know."));
}

static void
on_error_message (CohortPracticeWindow *self)
{
  const char *message = cohort_practice_get_error_message (self->practice);

  if (message != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (message));
}

static void
update_history (CohortPracticeWindow *self)
{
  guint n = g_list_model_get_n_items (cohort_practice_get_history (self->practice));

  gtk_stack_set_visible_child_name (self->history_stack, n > 0 ? "list" : "empty");
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  CohortPracticeAttempt *attempt = item;
  gboolean correct = cohort_practice_attempt_get_correct (attempt);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *verdict = gtk_label_new (correct ? _("✓ Right") : _("✗ Wrong"));
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (cohort_practice_attempt_get_at (attempt) / 1000);
  g_autofree char *when = at != NULL ? g_date_time_format (at, "%x %H:%M") : g_strdup ("");
  /* Translators: where and when an answer was given: "Practice · 12/05/26 14:02". */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"),
                                               cohort_practice_attempt_get_from_quiz (attempt) ? _("Live quiz")
                                                                                               : _("Practice"),
                                               when);

  /* The prompt comes from the network: plain text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_practice_attempt_get_prompt (attempt));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (verdict, correct ? "success" : "error");
  gtk_widget_add_css_class (verdict, "caption-heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), verdict);
  return row;
}

static void
practise_next_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CohortPracticeWindow *self = COHORT_PRACTICE_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "practice");
  cohort_practice_page_start (COHORT_PRACTICE_PAGE (self->practice_page),
                              cohort_practice_get_next_up_point_id (self->practice));
}

CohortPracticeWindow *
cohort_practice_window_new (GtkWindow      *parent,
                            CohortPractice *practice)
{
  CohortPracticeWindow *self;

  g_return_val_if_fail (COHORT_IS_PRACTICE (practice), NULL);

  self = g_object_new (COHORT_TYPE_PRACTICE_WINDOW, "transient-for", parent, NULL);
  self->practice = g_object_ref (practice);
  self->practice_page = cohort_practice_page_new (practice);
  gtk_widget_set_hexpand (self->practice_page, TRUE);
  gtk_widget_set_vexpand (self->practice_page, TRUE);
  gtk_box_append (GTK_BOX (self->practice_box), self->practice_page);

  g_signal_connect_object (cohort_practice_get_points (practice), "items-changed",
                           G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (practice, "notify::loading", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (practice, "notify::next-up-count", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (practice, "notify::next-up-name", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (practice, "notify::n-mastered", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (practice, "notify::error-message", G_CALLBACK (on_error_message), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_practice_get_history (practice), "items-changed",
                           G_CALLBACK (update_history), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->history_list, cohort_practice_get_history (practice), create_history_row, NULL,
                           NULL);
  update_progress (self);
  update_history (self);
  return self;
}

CohortPractice *
cohort_practice_window_get_practice (CohortPracticeWindow *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_WINDOW (self), NULL);

  return self->practice;
}

const char *
cohort_practice_window_get_page (CohortPracticeWindow *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
cohort_practice_window_set_page (CohortPracticeWindow *self,
                                 const char           *page)
{
  g_return_if_fail (COHORT_IS_PRACTICE_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, page);
}

GtkWidget *
cohort_practice_window_get_practice_page (CohortPracticeWindow *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_WINDOW (self), NULL);

  return self->practice_page;
}

GtkWidget *
cohort_practice_window_get_chart (CohortPracticeWindow *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_WINDOW (self), NULL);

  return self->chart;
}

static void
cohort_practice_window_dispose (GObject *object)
{
  CohortPracticeWindow *self = COHORT_PRACTICE_WINDOW (object);

  g_clear_object (&self->practice);

  G_OBJECT_CLASS (cohort_practice_window_parent_class)->dispose (object);
}

static void
cohort_practice_window_class_init (CohortPracticeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_practice_window_dispose;

  g_type_ensure (COHORT_TYPE_MASTERY_CHART);
  g_type_ensure (COHORT_TYPE_MASTERY_LEGEND);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-practice-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, progress_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, next_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, mastery_group);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, history_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, history_list);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticeWindow, practice_box);

  gtk_widget_class_install_action (widget_class, "practice-window.practise-next", NULL, practise_next_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_practice_window_init (CohortPracticeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_name_controls (GTK_WIDGET (self));
  cohort_template_fit_status_page (GTK_WIDGET (self->empty_status));
}
