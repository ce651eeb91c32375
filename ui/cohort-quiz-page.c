/* cohort-quiz-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-enums.h"
#include "cohort-protocol.h"
#include "cohort-quiz-entry.h"
#include "cohort-quiz-protocol.h"
#include "cohort-quiz-question.h"
#include "cohort-quiz-score.h"

#include "cohort-class-window.h"
#include "cohort-error-message.h"
#include "cohort-quiz-chart.h"
#include "cohort-quiz-editor.h"
#include "cohort-quiz-page.h"
#include "cohort-sound-player.h"

#define COUNTDOWN_TICK_MS 250

/* The launch time-limit row's items, in seconds; -1: each question's own. */
static const gint64 time_limits[] = { -1, 0, 10, 20, 30, 60, 120 };

struct _CohortQuizPage
{
  GtkWidget            parent_instance;

  /* Template children */
  GtkWidget           *scroller;
  AdwStatusPage       *empty_status;
  GtkWidget           *question_card;
  GtkLabel            *meta_label;
  GtkLabel            *countdown_label;
  GtkLabel            *prompt_label;
  GtkBox              *choices_box;
  GtkWidget           *text_answer_box;
  GtkEntry            *answer_entry;
  GtkWidget           *submit_button;
  GtkLabel            *status_label;
  GtkLabel            *stats_label;
  CohortQuizChart     *chart;
  GtkWidget           *result_box;
  GtkLabel            *result_label;
  GtkLabel            *explanation_label;
  GtkWidget           *teacher_controls;
  GtkWidget           *answers_group;
  GtkListBox          *answers_list;
  GtkWidget           *bank_group;
  GtkListBox          *bank_list;
  GtkWidget           *launch_group;
  AdwComboRow         *time_limit_row;
  GtkSwitch           *allow_change_switch;
  GtkWidget           *scores_group;
  GtkListBox          *scores_list;
  GtkWidget           *history_group;
  GtkListBox          *history_list;

  CohortQuizModel     *model;
  GSignalGroup        *model_signals;
  GCancellable        *cancellable;
  guint                countdown_source;

  /* The choice widgets of the question shown (students) */
  GPtrArray           *choice_widgets;
  gint64               built_run_id;
  /* Multiple choice: the student toggled choices not sent yet. */
  gboolean             draft;
  gboolean             syncing;
  /* Keys 1–9 anywhere in the window, on the window we are rooted in */
  GtkEventController  *root_keys;
};

G_DEFINE_FINAL_TYPE (CohortQuizPage, cohort_quiz_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Formatting */

static const char *
kind_label (CohortQuizType type)
{
  switch (type)
    {
    case COHORT_QUIZ_SINGLE:
      return _("Single choice");
    case COHORT_QUIZ_MULTIPLE:
      return _("Multiple choice");
    case COHORT_QUIZ_TRUE_FALSE:
      return _("True or false");
    case COHORT_QUIZ_SHORT:
      return _("Short answer");
    case COHORT_QUIZ_OPEN:
    default:
      return _("Open answer");
    }
}

static gboolean
is_text_type (CohortQuizType type)
{
  return type == COHORT_QUIZ_SHORT || type == COHORT_QUIZ_OPEN;
}

static void
toast (CohortQuizPage *self,
       const char     *title)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), COHORT_TYPE_CLASS_WINDOW);

  if (window != NULL)
    cohort_class_window_add_toast (COHORT_CLASS_WINDOW (window), title);
}

static void
show_error (CohortQuizPage *self,
            const GError   *error)
{
  g_autofree char *message = NULL;
  CohortSession *session;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  session = self->model != NULL ? cohort_quiz_model_get_session (self->model) : NULL;
  if (error->domain == COHORT_PROTOCOL_ERROR)
    message = g_strdup (error->message);
  else
    message = cohort_error_message_for_user (error, session ? cohort_session_get_server_url (session) : NULL,
                                             NULL, NULL);
  toast (self, message);
}

/* Rows */

static GtkWidget *
create_bank_row (gpointer item,
                 gpointer user_data)
{
  CohortQuizQuestion *q = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *launch = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  GtkWidget *more = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autofree char *subtitle = NULL;
  gint64 id = cohort_quiz_question_get_id (q);
  const char *items[][2] = {
    { N_("_Edit"), "quiz.edit" },
    { N_("Move _Up"), "quiz.move-up" },
    { N_("Move _Down"), "quiz.move-down" },
  };

  /* Markup off first: a prompt that is not valid markup warns when set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_quiz_question_get_prompt (q));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  if (cohort_quiz_question_get_time_limit (q) > 0)
    /* Translators: a bank row's subtitle: the type and the time limit, "Single choice · 20 s". */
    subtitle = g_strdup_printf (_("%s · %d s"), kind_label (cohort_quiz_question_get_question_type (q)),
                                (int) cohort_quiz_question_get_time_limit (q));
  else
    subtitle = g_strdup (kind_label (cohort_quiz_question_get_question_type (q)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (launch, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (launch, "flat");
  gtk_widget_set_tooltip_text (launch, _("Launch This Question"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (launch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Launch This Question"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (launch), "quiz.launch");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (launch), g_variant_new_int64 (id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), launch);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) mi = g_menu_item_new (_(items[i][0]), NULL);

      g_menu_item_set_action_and_target_value (mi, items[i][1], g_variant_new_int64 (id));
      g_menu_append_item (menu, mi);
    }
  {
    g_autoptr(GMenuItem) mi = g_menu_item_new (_("_Delete"), NULL);

    g_menu_item_set_action_and_target_value (mi, "quiz.delete", g_variant_new_int64 (id));
    g_menu_append_item (section, mi);
    g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (more, "flat");
  gtk_widget_set_tooltip_text (more, _("More Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("More Actions"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), more);

  return row;
}

static void
update_score_row (CohortQuizScore *score,
                  GParamSpec      *pspec,
                  GtkWidget       *row)
{
  GtkLabel *points = g_object_get_data (G_OBJECT (row), "points");
  g_autofree char *subtitle = NULL;
  g_autofree char *points_text = NULL;
  const char *name = cohort_quiz_score_get_name (score);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : _("Former participant"));
  /* Translators: a score row's subtitle, "3 of 4 correct". */
  subtitle = g_strdup_printf (_("%d of %d correct"),
                              (int) cohort_quiz_score_get_correct (score), (int) cohort_quiz_score_get_answered (score));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Translators: points in the score table, "4.35 pts". */
  points_text = g_strdup_printf (_("%.2f pts"), cohort_quiz_score_get_points (score));
  gtk_label_set_label (points, points_text);
}

static GtkWidget *
create_score_row (gpointer item,
                  gpointer user_data)
{
  CohortQuizScore *score = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *points = gtk_label_new (NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (points, "numeric");
  gtk_widget_add_css_class (points, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), points);
  g_object_set_data (G_OBJECT (row), "points", points);
  update_score_row (score, NULL, row);
  g_signal_connect_object (score, "notify", G_CALLBACK (update_score_row), row, 0);
  return row;
}

static GtkWidget *
grade_icon (CohortQuizOutcome outcome)
{
  GtkWidget *icon;

  if (outcome == COHORT_QUIZ_OUTCOME_CORRECT)
    {
      icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Correct"), -1);
    }
  else if (outcome == COHORT_QUIZ_OUTCOME_WRONG)
    {
      icon = gtk_image_new_from_icon_name ("window-close-symbolic");
      gtk_widget_add_css_class (icon, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Wrong"), -1);
    }
  else
    {
      icon = gtk_image_new_from_icon_name ("document-edit-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not graded"), -1);
    }
  return icon;
}

static GtkWidget *
create_answer_row (gpointer item,
                   gpointer user_data)
{
  CohortQuizEntry *entry = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *answer = cohort_quiz_entry_dup_answer_text (entry);
  const char *name = cohort_quiz_entry_get_name (entry);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : _("Former participant"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), answer);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), grade_icon (cohort_quiz_entry_get_outcome (entry)));
  return row;
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  CohortQuizEntry *entry = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *answer = cohort_quiz_entry_dup_answer_text (entry);
  g_autofree char *subtitle = NULL;
  CohortQuizOutcome outcome = cohort_quiz_entry_get_outcome (entry);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_quiz_entry_get_prompt (entry));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  if (outcome == COHORT_QUIZ_OUTCOME_CORRECT)
    /* Translators: a history row: the student's answer and the points it earned. */
    subtitle = g_strdup_printf (_("%s · %.2f points"), answer, cohort_quiz_entry_get_points (entry));
  else
    subtitle = g_strdup (answer);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (cohort_quiz_entry_get_answered (entry))
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), grade_icon (outcome));
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("action-unavailable-symbolic");

      gtk_widget_add_css_class (icon, "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("No answer"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  return row;
}

/* The question */

static gboolean
is_open (CohortQuizPage *self)
{
  return cohort_quiz_model_get_state (self->model) == COHORT_QUIZ_STATE_OPEN;
}

static gboolean
can_answer (CohortQuizPage *self)
{
  return is_open (self) && !cohort_quiz_model_get_is_teacher (self->model) &&
         (!cohort_quiz_model_get_has_answer (self->model) ||
          cohort_quiz_model_get_allow_change (self->model));
}

static void
answer_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortQuizPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_quiz_model_answer_finish (COHORT_QUIZ_MODEL (source), result, &error))
    show_error (self, error);
}

static void
send_choices (CohortQuizPage *self,
              guint64         chosen)
{
  if (!can_answer (self))
    return;
  cohort_quiz_model_answer_choices_async (self->model, chosen, self->cancellable, answer_done,
                                          g_object_ref (self));
}

static void
on_choice_clicked (GtkButton      *button,
                   CohortQuizPage *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  /* True is choice 0 and false choice 1, as in the model's bit sets. */
  send_choices (self, G_GUINT64_CONSTANT (1) << index);
}

static void
on_choice_toggled (GtkToggleButton *button,
                   CohortQuizPage  *self)
{
  if (!self->syncing)
    self->draft = TRUE;
}

static GtkWidget *
choice_button_new (CohortQuizPage *self,
                   guint           index,
                   const char     *text,
                   gboolean        multiple)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *number = g_strdup_printf ("%u", index + 1);
  GtkWidget *badge = gtk_label_new (number);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *button;

  gtk_widget_add_css_class (badge, "quiz-key");
  gtk_widget_add_css_class (badge, "numeric");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_box_append (GTK_BOX (box), label);

  if (multiple)
    {
      button = gtk_toggle_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), box);
      g_signal_connect (button, "toggled", G_CALLBACK (on_choice_toggled), self);
    }
  else
    {
      button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), box);
      g_signal_connect (button, "clicked", G_CALLBACK (on_choice_clicked), self);
    }
  gtk_widget_add_css_class (button, "quiz-choice");
  /* Translators: a choice's tooltip: its key. */
  {
    g_autofree char *tooltip = g_strdup_printf (_("Press %u"), index + 1);

    gtk_widget_set_tooltip_text (button, tooltip);
  }
  /* Built after the page's template was named: a screen reader reads the
   * answer (the tooltip, its key, is the description). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (index));
  return button;
}

static void
rebuild_choices (CohortQuizPage *self)
{
  CohortQuizType type = cohort_quiz_model_get_question_type (self->model);
  gboolean multiple = type == COHORT_QUIZ_MULTIPLE;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->choices_box))) != NULL)
    gtk_box_remove (self->choices_box, child);
  g_ptr_array_set_size (self->choice_widgets, 0);

  if (type == COHORT_QUIZ_TRUE_FALSE)
    {
      const char *labels[] = { _("True"), _("False") };

      for (guint i = 0; i < 2; i++)
        {
          GtkWidget *button = choice_button_new (self, i, labels[i], FALSE);

          gtk_box_append (self->choices_box, button);
          g_ptr_array_add (self->choice_widgets, button);
        }
    }
  else if (type == COHORT_QUIZ_SINGLE || multiple)
    {
      const char * const *choices = cohort_quiz_model_get_choices (self->model);

      for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
        {
          GtkWidget *button = choice_button_new (self, i, choices[i], multiple);

          gtk_box_append (self->choices_box, button);
          g_ptr_array_add (self->choice_widgets, button);
        }
    }
}

static void
sync_choices (CohortQuizPage *self)
{
  guint64 chosen = cohort_quiz_model_get_chosen (self->model);
  guint64 correct = cohort_quiz_model_get_correct_choices (self->model);
  gboolean revealed = cohort_quiz_model_get_state (self->model) == COHORT_QUIZ_STATE_REVEALED;
  gboolean multiple = cohort_quiz_model_get_question_type (self->model) == COHORT_QUIZ_MULTIPLE;
  gboolean answerable = can_answer (self);

  for (guint i = 0; i < self->choice_widgets->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->choice_widgets, i);
      gboolean is_chosen = (chosen >> i) & 1;

      if (multiple)
        {
          /* The toggles are the student's draft until they send it. */
          if (!self->draft || !answerable)
            {
              self->syncing = TRUE;
              gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), is_chosen);
              self->syncing = FALSE;
            }
        }
      else if (is_chosen)
        gtk_widget_add_css_class (button, "chosen");
      else
        gtk_widget_remove_css_class (button, "chosen");

      if (revealed && ((correct >> i) & 1))
        gtk_widget_add_css_class (button, "correct");
      else
        gtk_widget_remove_css_class (button, "correct");
      if (revealed && is_chosen && !((correct >> i) & 1))
        gtk_widget_add_css_class (button, "wrong");
      else
        gtk_widget_remove_css_class (button, "wrong");

      gtk_widget_set_sensitive (button, answerable || is_chosen || revealed);
      if (!answerable)
        gtk_widget_add_css_class (button, "locked");
      else
        gtk_widget_remove_css_class (button, "locked");
    }
}

static void
update_countdown (CohortQuizPage *self)
{
  gint64 deadline = cohort_quiz_model_get_deadline (self->model);
  gint64 remaining;
  g_autofree char *text = NULL;

  if (deadline == 0 || !is_open (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), FALSE);
      return;
    }

  remaining = deadline - g_get_real_time () / 1000;
  gtk_widget_set_visible (GTK_WIDGET (self->countdown_label), TRUE);
  if (remaining <= 0)
    text = g_strdup (_("Time is up"));
  else
    {
      gint64 seconds = (remaining + 999) / 1000;

      text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, seconds / 60, seconds % 60);
    }
  gtk_label_set_label (self->countdown_label, text);
  if (remaining <= 5000)
    gtk_widget_add_css_class (GTK_WIDGET (self->countdown_label), "urgent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->countdown_label), "urgent");
}

static gboolean
on_countdown_tick (gpointer user_data)
{
  CohortQuizPage *self = user_data;

  update_countdown (self);
  if (cohort_quiz_model_get_deadline (self->model) == 0 || !is_open (self))
    {
      self->countdown_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
update_chart (CohortQuizPage *self,
              gboolean        teacher)
{
  CohortQuizType type = cohort_quiz_model_get_question_type (self->model);
  gboolean revealed = cohort_quiz_model_get_state (self->model) == COHORT_QUIZ_STATE_REVEALED;
  gboolean key_known = cohort_quiz_model_get_has_key (self->model) && (teacher || revealed);
  guint n = 0;
  const gint64 *counts = cohort_quiz_model_get_counts (self->model, &n);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree gboolean *correct = NULL;
  gint64 two[2];

  if (type == COHORT_QUIZ_SHORT)
    {
      /* Text answers: right against wrong. */
      two[0] = cohort_quiz_model_get_n_correct (self->model);
      two[1] = cohort_quiz_model_get_n_graded (self->model) - two[0];
      counts = two;
      n = 2;
      g_ptr_array_add (labels, g_strdup (_("Correct")));
      g_ptr_array_add (labels, g_strdup (_("Wrong")));
      correct = g_new0 (gboolean, 2);
      correct[0] = TRUE;
      key_known = TRUE;
    }
  else if (type == COHORT_QUIZ_TRUE_FALSE)
    {
      g_ptr_array_add (labels, g_strdup (_("True")));
      g_ptr_array_add (labels, g_strdup (_("False")));
    }
  else
    {
      const char * const *choices = cohort_quiz_model_get_choices (self->model);

      for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
        g_ptr_array_add (labels, g_strdup_printf ("%u. %s", i + 1, choices[i]));
    }

  n = MIN (n, labels->len);
  if (key_known && correct == NULL)
    {
      guint64 bits = cohort_quiz_model_get_correct_choices (self->model);

      correct = g_new0 (gboolean, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        correct[i] = (bits >> i) & 1;
    }
  cohort_quiz_chart_set_data (self->chart, (const char * const *) labels->pdata, counts,
                              key_known ? correct : NULL, n);
}

/* Template closures: the question card's state as functions of the
 * model's properties (cohort-quiz-page.ui binds them). The first argument
 * is the expression's this object, unused. */

static gboolean
quiz_show_empty (gpointer        instance,
                 gboolean        teacher,
                 CohortQuizState state)
{
  return !teacher && state == COHORT_QUIZ_STATE_NONE;
}

static gboolean
quiz_has_run (gpointer        instance,
              CohortQuizState state)
{
  return state != COHORT_QUIZ_STATE_NONE;
}

static char *
quiz_meta_text (gpointer       instance,
                guint          index,
                guint          count,
                CohortQuizType type)
{
  if (count > 1)
    /* Translators: above the question: "Question 2 of 5 · Single choice". */
    return g_strdup_printf (_("Question %u of %u · %s"), index + 1, count, kind_label (type));
  return g_strdup (kind_label (type));
}

static gboolean
quiz_show_choices (gpointer        instance,
                   gboolean        teacher,
                   CohortQuizState state,
                   CohortQuizType  type)
{
  return !teacher && state != COHORT_QUIZ_STATE_NONE && !is_text_type (type);
}

static gboolean
quiz_show_text_answer (gpointer        instance,
                       gboolean        teacher,
                       CohortQuizState state,
                       CohortQuizType  type)
{
  return !teacher && is_text_type (type) && state == COHORT_QUIZ_STATE_OPEN;
}

static gboolean
quiz_show_submit (gpointer        instance,
                  gboolean        teacher,
                  CohortQuizState state,
                  CohortQuizType  type)
{
  return !teacher && state == COHORT_QUIZ_STATE_OPEN && (is_text_type (type) || type == COHORT_QUIZ_MULTIPLE);
}

static gboolean
quiz_is_nonempty (gpointer    instance,
                  const char *text)
{
  return text != NULL && *text != '\0';
}

static char *
quiz_status_text (gpointer           instance,
                  gboolean           teacher,
                  CohortQuizState    state,
                  CohortQuizType     type,
                  gboolean           pending,
                  gboolean           has_answer,
                  gboolean           allow_change,
                  CohortSessionState session_state)
{
  const char *status = NULL;

  if (teacher)
    status = state == COHORT_QUIZ_STATE_OPEN ? NULL
             : state == COHORT_QUIZ_STATE_CLOSED ? _("Closed. Reveal the answer when you are ready.")
             : _("Revealed to everyone.");
  else if (pending)
    status = session_state == COHORT_SESSION_STATE_JOINED
             ? _("Sending your answer…")
             : _("Your answer will be sent when the connection is back.");
  else if (state == COHORT_QUIZ_STATE_OPEN && has_answer)
    status = allow_change
             ? _("Answer sent. You can change it until the time is up.")
             : _("Answer sent. It is final.");
  else if (state == COHORT_QUIZ_STATE_OPEN)
    status = !is_text_type (type) ? _("Pick an answer with the mouse or the keys 1 to 9.") : NULL;
  else if (state == COHORT_QUIZ_STATE_CLOSED)
    status = has_answer ? _("Time is up. Wait for the teacher to reveal the answer.")
                        : _("Time is up. You did not answer this question.");
  return g_strdup (status != NULL ? status : "");
}

static gboolean
quiz_show_result_box (gpointer        instance,
                      gboolean        teacher,
                      CohortQuizState state,
                      gboolean        has_key,
                      CohortQuizType  type)
{
  return state == COHORT_QUIZ_STATE_REVEALED || (teacher && has_key && type != COHORT_QUIZ_OPEN);
}

static char *
quiz_result_text (gpointer          instance,
                  gboolean          teacher,
                  CohortQuizState   state,
                  CohortQuizOutcome outcome,
                  double            points,
                  const char       *key_text)
{
  if (teacher)
    return g_strdup_printf (_("Correct answer: %s"), key_text != NULL ? key_text : "");
  switch (outcome)
    {
    case COHORT_QUIZ_OUTCOME_CORRECT:
      return g_strdup_printf (_("Correct! You earned %.2f points."), points);
    case COHORT_QUIZ_OUTCOME_WRONG:
      return key_text != NULL ? g_strdup_printf (_("Not quite. The answer is %s."), key_text)
                              : g_strdup (_("Not quite."));
    case COHORT_QUIZ_OUTCOME_UNGRADED:
      return g_strdup (_("Your teacher will read your answer."));
    case COHORT_QUIZ_OUTCOME_NONE:
    default:
      if (state != COHORT_QUIZ_STATE_REVEALED)
        return g_strdup ("");
      return key_text != NULL ? g_strdup_printf (_("You did not answer. The answer is %s."), key_text)
                              : g_strdup (_("You did not answer."));
    }
}

static gboolean
quiz_show_result (gpointer    instance,
                  gboolean    teacher,
                  const char *key_text,
                  const char *result)
{
  /* The teacher's line needs the key; a student's needs a sentence. */
  return teacher ? key_text != NULL : quiz_is_nonempty (instance, result);
}

static gboolean
quiz_show_explanation (gpointer        instance,
                       gboolean        teacher,
                       CohortQuizState state,
                       const char     *explanation)
{
  return explanation != NULL && (state == COHORT_QUIZ_STATE_REVEALED || teacher);
}

/* What the bindings cannot express: the lists' lengths, the choice
 * widgets, live results, the actions and the countdown. */

static void
update_lists (CohortQuizPage *self)
{
  CohortQuizModel *m = self->model;
  gboolean teacher = cohort_quiz_model_get_is_teacher (m);
  gboolean has_run = cohort_quiz_model_get_state (m) != COHORT_QUIZ_STATE_NONE;

  gtk_widget_set_visible (self->history_group,
                          !teacher && g_list_model_get_n_items (cohort_quiz_model_get_history (m)) > 0);
  gtk_widget_set_visible (self->answers_group,
                          teacher && has_run && is_text_type (cohort_quiz_model_get_question_type (m)) &&
                          g_list_model_get_n_items (cohort_quiz_model_get_answers (m)) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.launch-all",
                                 g_list_model_get_n_items (cohort_quiz_model_get_bank (m)) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.export-scores",
                                 g_list_model_get_n_items (cohort_quiz_model_get_scores (m)) > 0);
}

static void
update_choices (CohortQuizPage *self)
{
  CohortQuizModel *m = self->model;

  if (cohort_quiz_model_get_is_teacher (m))
    return;
  if (self->built_run_id != cohort_quiz_model_get_run_id (m))
    {
      self->built_run_id = cohort_quiz_model_get_run_id (m);
      self->draft = FALSE;
      rebuild_choices (self);
      gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), "");
    }
  sync_choices (self);
  gtk_widget_set_sensitive (self->text_answer_box, can_answer (self));
}

static void
update_results (CohortQuizPage *self)
{
  CohortQuizModel *m = self->model;
  gboolean teacher = cohort_quiz_model_get_is_teacher (m);
  guint answered = cohort_quiz_model_get_n_answered (m);
  guint graded = cohort_quiz_model_get_n_graded (m);
  int rate = graded > 0 ? (int) (100.0 * cohort_quiz_model_get_n_correct (m) / graded + 0.5) : 0;
  double median = cohort_quiz_model_get_median_ms (m) / 1000.0;
  gboolean show = teacher || cohort_quiz_model_get_results_shown (m);
  g_autofree char *stats = NULL;

  /* Not a binding: "present" counts the roster, which has no property. */
  if (teacher && graded > 0)
    /* Translators: live results: answered out of present, correct rate, median time. */
    stats = g_strdup_printf (_("%u of %u answered · %d %% correct · median %.1f s"), answered,
                             MAX (cohort_quiz_model_get_n_present (m), answered), rate, median);
  else if (teacher)
    stats = g_strdup_printf (_("%u of %u answered · median %.1f s"), answered,
                             MAX (cohort_quiz_model_get_n_present (m), answered), median);
  else if (show && graded > 0)
    stats = g_strdup_printf (_("%u answered · %d %% correct"), answered, rate);
  else if (show)
    stats = g_strdup_printf (_("%u answered"), answered);

  gtk_label_set_label (self->stats_label, stats != NULL ? stats : "");
  gtk_widget_set_visible (GTK_WIDGET (self->stats_label), stats != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->chart),
                          show && cohort_quiz_model_get_question_type (m) != COHORT_QUIZ_OPEN);
  if (show)
    update_chart (self, teacher);
}

static void
update_actions (CohortQuizPage *self)
{
  CohortQuizModel *m = self->model;
  gboolean teacher = cohort_quiz_model_get_is_teacher (m);
  CohortQuizState state = cohort_quiz_model_get_state (m);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.submit", can_answer (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.close", teacher && state == COHORT_QUIZ_STATE_OPEN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.reveal", teacher && state != COHORT_QUIZ_STATE_REVEALED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.show-results",
                                 teacher && !cohort_quiz_model_get_results_shown (m));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quiz.next",
                                 teacher && cohort_quiz_model_get_index (m) + 1 < cohort_quiz_model_get_count (m));
  /* A style class has no property to bind. */
  if (!teacher && cohort_quiz_model_get_outcome (m) == COHORT_QUIZ_OUTCOME_CORRECT)
    gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "success");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
}

static void
refresh (CohortQuizPage *self)
{
  if (self->model == NULL)
    return;

  update_lists (self);
  if (cohort_quiz_model_get_state (self->model) == COHORT_QUIZ_STATE_NONE)
    {
      g_clear_handle_id (&self->countdown_source, g_source_remove);
      return;
    }
  update_choices (self);
  update_results (self);
  update_actions (self);
  update_countdown (self);
  if (self->countdown_source == 0 && cohort_quiz_model_get_deadline (self->model) != 0 && is_open (self))
    self->countdown_source = g_timeout_add (COUNTDOWN_TICK_MS, on_countdown_tick, self);
}

static void
on_question_arrived (CohortQuizModel *model,
                     gint64           run_id,
                     CohortQuizPage  *self)
{
  GtkWidget *window;
  GtkWidget *stack;
  GtkWidget *flap;
  g_autofree char *title = NULL;

  if (cohort_quiz_model_get_is_teacher (model))
    return;

  /* Translators: the toast when the teacher launches a question. */
  title = g_strdup_printf (_("New question: %s"), cohort_quiz_model_get_prompt (model));
  /* A class action: first in line, with a sound, and from the desktop
   * when the window is in the background. */
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), COHORT_TYPE_CLASS_WINDOW);
  if (window != NULL)
    cohort_class_window_call_attention (COHORT_CLASS_WINDOW (window), COHORT_NOTICE_ACTION, "quiz",
                                        COHORT_SOUND_QUIZ, title, NULL);

  /* Bring the Quiz tab forward. */
  stack = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);
  if (stack != NULL)
    adw_view_stack_set_visible_child (ADW_VIEW_STACK (stack), GTK_WIDGET (self));
  flap = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_FLAP);
  if (flap != NULL)
    adw_flap_set_reveal_flap (ADW_FLAP (flap), TRUE);
}

static void
on_revealed (CohortQuizModel *model,
             gint64           run_id,
             CohortQuizPage  *self)
{
  if (!cohort_quiz_model_get_is_teacher (model))
    toast (self, _("The answer is revealed"));
}

/* Keys 1–9 */

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CohortQuizPage        *self)
{
  guint index;
  GtkWidget *button;

  if (self->model == NULL || cohort_quiz_model_get_is_teacher (self->model) || !can_answer (self))
    return GDK_EVENT_PROPAGATE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

    /* Typing elsewhere (the answer, a chat message) is typing. */
    if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) ||
                          gtk_widget_get_ancestor (focus, GTK_TYPE_EDITABLE) != NULL))
      return GDK_EVENT_PROPAGATE;
  }

  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    index = keyval - GDK_KEY_1;
  else if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    index = keyval - GDK_KEY_KP_1;
  else
    return GDK_EVENT_PROPAGATE;

  if (index >= self->choice_widgets->len)
    return GDK_EVENT_PROPAGATE;

  button = g_ptr_array_index (self->choice_widgets, index);
  if (GTK_IS_TOGGLE_BUTTON (button))
    {
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                    !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
    }
  else
    on_choice_clicked (GTK_BUTTON (button), self);
  return GDK_EVENT_STOP;
}

static void
cohort_quiz_page_root (GtkWidget *widget)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);

  GTK_WIDGET_CLASS (cohort_quiz_page_parent_class)->root (widget);

  /* The keys work wherever the focus is in the window, unless a widget
   * before us (an entry, say) takes them. */
  self->root_keys = gtk_event_controller_key_new ();
  g_signal_connect (self->root_keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (gtk_widget_get_root (widget)), self->root_keys);
}

static void
cohort_quiz_page_unroot (GtkWidget *widget)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);

  if (self->root_keys != NULL)
    {
      gtk_widget_remove_controller (GTK_WIDGET (gtk_widget_get_root (widget)), self->root_keys);
      self->root_keys = NULL;
    }

  GTK_WIDGET_CLASS (cohort_quiz_page_parent_class)->unroot (widget);
}

/* Actions */

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);

  if (cohort_quiz_model_get_question_type (self->model) == COHORT_QUIZ_MULTIPLE)
    {
      guint64 chosen = 0;

      for (guint i = 0; i < self->choice_widgets->len && i < 64; i++)
        {
          GtkWidget *button = g_ptr_array_index (self->choice_widgets, i);

          if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)))
            chosen |= G_GUINT64_CONSTANT (1) << i;
        }
      self->draft = FALSE;
      send_choices (self, chosen);
    }
  else
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->answer_entry))));

      if (*text == '\0')
        {
          toast (self, _("Type an answer first."));
          return;
        }
      if (can_answer (self))
        cohort_quiz_model_answer_text_async (self->model, text, self->cancellable, answer_done,
                                             g_object_ref (self));
    }
}

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CohortQuizPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_quiz_model_action_finish (COHORT_QUIZ_MODEL (source), result, &error))
    show_error (self, error);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);
  const char *type = NULL;

  if (g_str_equal (action_name, "quiz.close"))
    type = COHORT_REQ_QUIZ_CLOSE;
  else if (g_str_equal (action_name, "quiz.reveal"))
    type = COHORT_REQ_QUIZ_REVEAL;
  else if (g_str_equal (action_name, "quiz.show-results"))
    type = COHORT_REQ_QUIZ_SHOW_RESULTS;

  if (type != NULL)
    cohort_quiz_model_run_action_async (self->model, type, self->cancellable, request_done, g_object_ref (self));
  else
    cohort_quiz_model_next_async (self->model, self->cancellable, request_done, g_object_ref (self));
}

static gint64
chosen_time_limit (CohortQuizPage *self)
{
  guint i = adw_combo_row_get_selected (self->time_limit_row);

  return i < G_N_ELEMENTS (time_limits) ? time_limits[i] : -1;
}

static void
launch_ids (CohortQuizPage *self,
            const gint64   *ids,
            guint           n)
{
  cohort_quiz_model_launch_async (self->model, ids, n, chosen_time_limit (self),
                                  gtk_switch_get_active (self->allow_change_switch),
                                  self->cancellable, request_done, g_object_ref (self));
}

static void
launch_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);

  launch_ids (self, &id, 1);
}

static void
launch_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);
  GListModel *bank = cohort_quiz_model_get_bank (self->model);
  guint n = MIN (g_list_model_get_n_items (bank), COHORT_QUIZ_MAX_SEQUENCE);
  g_autofree gint64 *ids = g_new (gint64, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortQuizQuestion) q = g_list_model_get_item (bank, i);

      ids[i] = cohort_quiz_question_get_id (q);
    }
  if (n > 0)
    launch_ids (self, ids, n);
}

static CohortQuizQuestion *
find_question (CohortQuizPage *self,
               gint64          id,
               guint          *out_position)
{
  GListModel *bank = cohort_quiz_model_get_bank (self->model);

  for (guint i = 0; i < g_list_model_get_n_items (bank); i++)
    {
      g_autoptr(CohortQuizQuestion) q = g_list_model_get_item (bank, i);

      if (cohort_quiz_question_get_id (q) == id)
        {
          if (out_position != NULL)
            *out_position = i;
          return g_steal_pointer (&q);
        }
    }
  return NULL;
}

static void
open_editor (CohortQuizPage     *self,
             CohortQuizQuestion *question)
{
  CohortQuizEditor *editor = cohort_quiz_editor_new (self->model, question);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_question_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_editor (COHORT_QUIZ_PAGE (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);
  g_autoptr(CohortQuizQuestion) q = find_question (self, g_variant_get_int64 (parameter), NULL);

  if (q != NULL)
    open_editor (self, q);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);
  guint position = 0;
  g_autoptr(CohortQuizQuestion) q = find_question (self, id, &position);
  guint n = g_list_model_get_n_items (cohort_quiz_model_get_bank (self->model));
  gboolean up = g_str_equal (action_name, "quiz.move-up");

  if (q == NULL || (up && position == 0) || (!up && position + 1 >= n))
    return;

  cohort_quiz_model_move_question_async (self->model, id, up ? position - 1 : position + 1, self->cancellable,
                                         request_done, g_object_ref (self));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CohortQuizPage   *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "question-id"));

  if (g_strcmp0 (response, "delete") != 0 || self->model == NULL)
    return;
  cohort_quiz_model_delete_question_async (self->model, id, self->cancellable, request_done,
                                           g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(CohortQuizQuestion) q = find_question (self, id, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (q == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Question?"), cohort_quiz_question_get_prompt (q));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "question-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import and export (GtkFileChooserNative: GtkFileDialog is GTK 4.10) */

static void
show_message (CohortQuizPage *self,
              const char     *heading,
              const char     *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortQuizPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint count = 0;

  if (!cohort_quiz_model_import_finish (COHORT_QUIZ_MODEL (source), result, &count, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, _("Could Not Import the Questions"), error->message);
      return;
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u question", "Imported %u questions", count),
                           count);
  toast (self, title);
}

static void
import_file_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CohortQuizPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      show_message (self, _("Could Not Import the Questions"), error->message);
      return;
    }
  /* The model refuses a file too large for a frame, or not JSON. */
  cohort_quiz_model_import_async (self->model, contents, length, self->cancellable, import_done,
                                  g_object_ref (self));
}

static void
on_import_response (GtkNativeDialog *dialog,
                    int              response,
                    CohortQuizPage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_load_contents_async (file, self->cancellable, import_file_loaded, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static GtkFileFilter *
filter_new (const char *name,
            const char *pattern,
            const char *mime)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_add_mime_type (filter, mime);
  return filter;
}

static GtkFileChooserNative *
chooser_new (CohortQuizPage       *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
                                      accept, _("_Cancel"));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);
  GtkFileChooserNative *chooser = chooser_new (self, _("Import Questions"), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Import"));
  g_autoptr(GtkFileFilter) filter = filter_new (_("Question banks"), "*.json", "application/json");

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortQuizPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    show_message (self, _("Could Not Save the File"), error->message);
  else
    toast (self, _("Saved"));
}

/* Asks where to save, then writes @contents (taken) there. */
static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  CohortQuizPage  *self)
{
  GBytes *bytes = g_object_get_data (G_OBJECT (dialog), "contents");

  if (response == GTK_RESPONSE_ACCEPT && bytes != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                           self->cancellable, save_done, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
save_as (CohortQuizPage *self,
         const char     *title,
         const char     *file_name,
         char           *contents)
{
  GtkFileChooserNative *chooser = chooser_new (self, title, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  g_object_set_data_full (G_OBJECT (chooser), "contents",
                          g_bytes_new_take (contents, strlen (contents)), (GDestroyNotify) g_bytes_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortQuizPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *file = cohort_quiz_model_export_finish (COHORT_QUIZ_MODEL (source), result, &error);

  if (file == NULL)
    {
      show_error (self, error);
      return;
    }
  save_as (self, _("Export Questions"), _("questions.json"), file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);

  cohort_quiz_model_export_async (self->model, self->cancellable, export_done, g_object_ref (self));
}

static void
export_scores_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (widget);

  save_as (self, _("Export Scores"), _("scores.csv"), cohort_quiz_model_scores_to_csv (self->model));
}

/* Setup */

static void
on_entry_activate (GtkEntry       *entry,
                   CohortQuizPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "quiz.submit", NULL);
}

void
cohort_quiz_page_set_session (CohortQuizPage *self,
                              CohortSession  *session)
{
  g_autoptr(CohortQuizModel) model = NULL;
  GtkWidget *placeholder;

  g_return_if_fail (COHORT_IS_QUIZ_PAGE (self));
  g_return_if_fail (COHORT_IS_SESSION (session));

  if (self->model != NULL && cohort_quiz_model_get_session (self->model) == session)
    return;

  model = cohort_quiz_model_new (session);
  g_set_object (&self->model, model);
  g_signal_group_set_target (self->model_signals, self->model);
  self->built_run_id = 0;
  /* The template's bindings follow the model from here. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);

  gtk_list_box_bind_model (self->bank_list, cohort_quiz_model_get_bank (model), create_bank_row, self, NULL);
  /* The model's "changed" is about the run; the lists change on their own
   * (a question added or imported), and the actions follow them. */
  g_signal_connect_object (cohort_quiz_model_get_bank (model), "items-changed",
                           G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_quiz_model_get_scores (model), "items-changed",
                           G_CALLBACK (update_lists), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->scores_list, cohort_quiz_model_get_scores (model), create_score_row, self, NULL);
  gtk_list_box_bind_model (self->answers_list, cohort_quiz_model_get_answers (model), create_answer_row, self, NULL);
  gtk_list_box_bind_model (self->history_list, cohort_quiz_model_get_history (model), create_history_row, self,
                           NULL);

  placeholder = gtk_label_new (_("No questions yet. Add one, or import a question bank."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->bank_list, placeholder);

  placeholder = gtk_label_new (_("Scores appear once you reveal an answer."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->scores_list, placeholder);

  refresh (self);
}

CohortQuizModel *
cohort_quiz_page_get_model (CohortQuizPage *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_PAGE (self), NULL);

  return self->model;
}

static void
cohort_quiz_page_dispose (GObject *object)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  if (self->model_signals != NULL)
    g_signal_group_set_target (self->model_signals, NULL);
  g_clear_object (&self->model_signals);
  g_clear_object (&self->model);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->choice_widgets, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_QUIZ_PAGE);

  G_OBJECT_CLASS (cohort_quiz_page_parent_class)->dispose (object);
}

static void
cohort_quiz_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CohortQuizPage *self = COHORT_QUIZ_PAGE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_quiz_page_class_init (CohortQuizPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_quiz_page_dispose;
  object_class->get_property = cohort_quiz_page_get_property;

  /* The quiz model of the session (NULL before cohort_quiz_page_set_session()). */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, COHORT_TYPE_QUIZ_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->root = cohort_quiz_page_root;
  widget_class->unroot = cohort_quiz_page_unroot;

  g_type_ensure (COHORT_TYPE_QUIZ_CHART);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quizpage");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-quiz-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, question_card);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, choices_box);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, text_answer_box);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, answer_entry);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, stats_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, chart);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, teacher_controls);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, answers_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, answers_list);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, bank_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, bank_list);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, launch_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, time_limit_row);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, allow_change_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, scores_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, scores_list);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizPage, history_list);
  gtk_widget_class_bind_template_callback (widget_class, quiz_show_empty);
  gtk_widget_class_bind_template_callback (widget_class, quiz_has_run);
  gtk_widget_class_bind_template_callback (widget_class, quiz_meta_text);
  gtk_widget_class_bind_template_callback (widget_class, quiz_show_choices);
  gtk_widget_class_bind_template_callback (widget_class, quiz_show_text_answer);
  gtk_widget_class_bind_template_callback (widget_class, quiz_show_submit);
  gtk_widget_class_bind_template_callback (widget_class, quiz_is_nonempty);
  gtk_widget_class_bind_template_callback (widget_class, quiz_status_text);
  gtk_widget_class_bind_template_callback (widget_class, quiz_show_result_box);
  gtk_widget_class_bind_template_callback (widget_class, quiz_result_text);
  gtk_widget_class_bind_template_callback (widget_class, quiz_show_result);
  gtk_widget_class_bind_template_callback (widget_class, quiz_show_explanation);

  gtk_widget_class_install_action (widget_class, "quiz.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "quiz.close", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "quiz.reveal", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "quiz.show-results", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "quiz.next", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "quiz.launch", "x", launch_action);
  gtk_widget_class_install_action (widget_class, "quiz.launch-all", NULL, launch_all_action);
  gtk_widget_class_install_action (widget_class, "quiz.add-question", NULL, add_question_action);
  gtk_widget_class_install_action (widget_class, "quiz.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "quiz.move-up", "x", move_action);
  gtk_widget_class_install_action (widget_class, "quiz.move-down", "x", move_action);
  gtk_widget_class_install_action (widget_class, "quiz.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "quiz.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "quiz.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "quiz.export-scores", NULL, export_scores_action);
}

static void
cohort_quiz_page_init (CohortQuizPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->choice_widgets = g_ptr_array_new ();

  self->model_signals = g_signal_group_new (COHORT_TYPE_QUIZ_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "changed", G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->model_signals, "notify::is-teacher", G_CALLBACK (refresh), self);
  g_signal_group_connect_swapped (self->model_signals, "notify::answer-pending", G_CALLBACK (refresh), self);
  g_signal_group_connect (self->model_signals, "question-arrived", G_CALLBACK (on_question_arrived), self);
  g_signal_group_connect (self->model_signals, "revealed", G_CALLBACK (on_revealed), self);

  g_signal_connect (self->answer_entry, "activate", G_CALLBACK (on_entry_activate), self);

  gtk_widget_set_visible (self->question_card, FALSE);
  gtk_widget_set_visible (self->bank_group, FALSE);
  gtk_widget_set_visible (self->launch_group, FALSE);
  gtk_widget_set_visible (self->scores_group, FALSE);
  gtk_widget_set_visible (self->history_group, FALSE);
  gtk_widget_set_visible (self->answers_group, FALSE);
}
