/* cohort-lesson-summary-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-lesson-summary-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-groups-badge.h"

#include "cohort-lesson-summary-dialog.h"

struct _CohortLessonSummaryDialog
{
  AdwWindow     parent_instance;

  GtkLabel     *class_label;
  AdwActionRow *duration_row;
  AdwActionRow *points_row;
  AdwActionRow *badges_row;
  AdwActionRow *quiz_row;
  AdwActionRow *next_row;
};

G_DEFINE_FINAL_TYPE (CohortLessonSummaryDialog, cohort_lesson_summary_dialog, ADW_TYPE_WINDOW)

static char *
format_duration (gint64 ms)
{
  gint64 minutes = (ms + 30000) / 60000;

  if (minutes == 0)
    return g_strdup (_("Less than a minute"));
  if (minutes >= 60)
    /* Translators: a lesson's length in hours (%d) and minutes (%02d). */
    return g_strdup_printf (_("%d h %02d min"), (int) (minutes / 60), (int) (minutes % 60));
  /* Translators: a lesson's length in minutes. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", minutes), (int) minutes);
}

static char *
format_badges (GStrv badges)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; badges != NULL && badges[i] != NULL; i++)
    {
      const char *title = cohort_badge_kind_get_title (badges[i]);

      if (title == NULL)
        continue;
      if (text->len > 0)
        /* Translators: between two names in a list. */
        g_string_append (text, _(", "));
      g_string_append (text, title);
    }
  if (text->len == 0)
    return g_strdup (_("None this time"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_next (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  /* Translators: the next lesson's day and time, in strftime format. */
  return local != NULL ? g_date_time_format (local, _("%A %e %B, %H:%M")) : NULL;
}

static void
cohort_lesson_summary_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), COHORT_TYPE_LESSON_SUMMARY_DIALOG);

  G_OBJECT_CLASS (cohort_lesson_summary_dialog_parent_class)->dispose (object);
}

static void
cohort_lesson_summary_dialog_class_init (CohortLessonSummaryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_lesson_summary_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-lesson-summary-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortLessonSummaryDialog, class_label);
  gtk_widget_class_bind_template_child (widget_class, CohortLessonSummaryDialog, duration_row);
  gtk_widget_class_bind_template_child (widget_class, CohortLessonSummaryDialog, points_row);
  gtk_widget_class_bind_template_child (widget_class, CohortLessonSummaryDialog, badges_row);
  gtk_widget_class_bind_template_child (widget_class, CohortLessonSummaryDialog, quiz_row);
  gtk_widget_class_bind_template_child (widget_class, CohortLessonSummaryDialog, next_row);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_lesson_summary_dialog_init (CohortLessonSummaryDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CohortLessonSummaryDialog *
cohort_lesson_summary_dialog_new (GtkWindow                 *parent,
                                  const char                *class_title,
                                  const CohortLessonSummary *summary)
{
  CohortLessonSummaryDialog *self;
  g_autofree char *duration = NULL;
  g_autofree char *points = NULL;
  g_autofree char *badges = NULL;
  g_autofree char *quiz = NULL;
  g_autofree char *next = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (summary != NULL, NULL);

  self = g_object_new (COHORT_TYPE_LESSON_SUMMARY_DIALOG, "transient-for", parent, NULL);
  gtk_label_set_text (self->class_label, class_title != NULL ? class_title : "");

  duration = format_duration (summary->duration_ms);
  /* The ledger's points; a server without them: the quizzes' (whole
   * points unless a quiz gave part of one). */
  if (summary->points >= 0)
    g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, summary->points);
  else
    g_ascii_formatd (number, sizeof number,
                     summary->quiz_points == (gint64) summary->quiz_points ? "%.0f" : "%.1f",
                     summary->quiz_points);
  /* Translators: %s is a number of points. */
  points = g_strdup_printf (_("%s points"), number);
  badges = format_badges (summary->badges);
  if (summary->quiz_answered > 0)
    /* Translators: quiz answers right (first %u) of those given (second %u). */
    quiz = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u answer right", "%u of %u answers right",
                                         summary->quiz_answered),
                            summary->quiz_correct, summary->quiz_answered);
  else
    quiz = g_strdup (_("No quiz answers this time"));

  adw_action_row_set_subtitle (self->duration_row, duration);
  adw_action_row_set_subtitle (self->points_row, points);
  adw_action_row_set_subtitle (self->badges_row, badges);
  adw_action_row_set_subtitle (self->quiz_row, quiz);
  /* No schedule known: the line is left out. */
  if (summary->next_at > 0 && (next = format_next (summary->next_at)) != NULL)
    {
      adw_action_row_set_subtitle (self->next_row, next);
      gtk_widget_set_visible (GTK_WIDGET (self->next_row), TRUE);
    }
  return self;
}

const char *
cohort_lesson_summary_dialog_get_line (CohortLessonSummaryDialog *self,
                                       const char                *name)
{
  const struct { const char *name; AdwActionRow *row; } rows[] = {
    { "duration", self->duration_row },
    { "points", self->points_row },
    { "badges", self->badges_row },
    { "quiz", self->quiz_row },
    { "next", self->next_row },
  };

  g_return_val_if_fail (COHORT_IS_LESSON_SUMMARY_DIALOG (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_strcmp0 (rows[i].name, name) == 0)
      return gtk_widget_get_visible (GTK_WIDGET (rows[i].row)) ? adw_action_row_get_subtitle (rows[i].row) : NULL;
  return NULL;
}
