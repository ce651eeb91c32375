/* cohort-quiz-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-practice-protocol.h"
#include "cohort-quiz-format.h"
#include "cohort-quiz-protocol.h"

#include "cohort-knowledge-point.h"
#include "cohort-quiz-editor.h"
#include "cohort-template.h"

/* The order of the type row's items. */
/* The type row lists the types in CohortQuizType's order. */
G_STATIC_ASSERT (COHORT_QUIZ_SINGLE == 0 && COHORT_QUIZ_MULTIPLE == 1 && COHORT_QUIZ_TRUE_FALSE == 2 &&
                 COHORT_QUIZ_SHORT == 3 && COHORT_QUIZ_OPEN == 4);

struct _CohortQuizEditor
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  AdwComboRow          *type_row;
  GtkTextView          *prompt_view;
  AdwPreferencesGroup  *choices_group;
  GtkListBox           *choices_list;
  AdwPreferencesGroup  *truth_group;
  GtkSwitch            *truth_switch;
  AdwPreferencesGroup  *short_group;
  AdwEntryRow          *accepted_row;
  AdwEntryRow          *numeric_row;
  AdwEntryRow          *tolerance_row;
  AdwEntryRow          *explanation_row;
  GtkSpinButton        *time_spin;
  AdwEntryRow          *points_row;
  GtkMenuButton        *points_menu;
  GtkListBox           *points_list;
  /* the Use group's radio buttons, in practice_uses's order */
  GtkCheckButton       *use_normal;
  GtkCheckButton       *use_practice_only;
  GtkCheckButton       *use_after_live;

  CohortQuizModel      *model;
  GListModel           *known;          /* CohortKnowledgePoint: the menu's */
  gint64                question_id;
  GCancellable         *cancellable;
  /* AdwEntryRow, one per choice, with a GtkCheckButton as "correct" */
  GPtrArray            *choice_rows;
};

G_DEFINE_FINAL_TYPE (CohortQuizEditor, cohort_quiz_editor, ADW_TYPE_WINDOW)

/* The knowledge points typed in the row: split at semicolons (the
 * Chinese full-width one too), trimmed, without empties or a second
 * spelling of the same name (case folded, as the server compares). */
static char **
typed_points (CohortQuizEditor *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->points_row)));
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *fullwidth;

  while ((fullwidth = strstr (text, "；")) != NULL)
    {
      /* "；" is three bytes: a semicolon and two spaces, trimmed below. */
      memcpy (fullwidth, ";  ", 3);
    }
  parts = g_strsplit_set (text, ";\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);
      char *folded;

      if (*name == '\0')
        continue;
      folded = g_utf8_casefold (name, -1);
      if (g_hash_table_add (seen, folded))
        g_strv_builder_add (names, name);
    }
  return g_strv_builder_end (names);
}

static void
set_typed_points (CohortQuizEditor   *self,
                  const char * const *names)
{
  g_autofree char *text = g_strjoinv ("; ", (GStrv) names);

  gtk_editable_set_text (GTK_EDITABLE (self->points_row), text);
}

static void
update_choice_titles (CohortQuizEditor *self)
{
  for (guint i = 0; i < self->choice_rows->len; i++)
    {
      /* Translators: the title of a choice's entry in the question editor. */
      g_autofree char *title = g_strdup_printf (_("Choice %u"), i + 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (g_ptr_array_index (self->choice_rows, i)), title);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-choice",
                                 self->choice_rows->len < COHORT_QUIZ_MAX_CHOICES);
}

/* A single-choice question ticks one answer: its boxes are radio buttons
 * (one group, none ticked until the teacher picks). */
static void
group_correct_checks (CohortQuizEditor *self)
{
  gboolean single = adw_combo_row_get_selected (self->type_row) == COHORT_QUIZ_SINGLE;
  GtkCheckButton *first = NULL;

  for (guint i = 0; i < self->choice_rows->len; i++)
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (g_ptr_array_index (self->choice_rows, i)), "correct");

      if (!single)
        gtk_check_button_set_group (check, NULL);
      else if (first == NULL)
        first = check;
      else
        gtk_check_button_set_group (check, first);
    }
}

static void
on_remove_choice (GtkButton        *button,
                  CohortQuizEditor *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "row");

  if (self->choice_rows->len <= COHORT_QUIZ_MIN_CHOICES)
    return;
  g_ptr_array_remove (self->choice_rows, row);
  gtk_list_box_remove (self->choices_list, row);
  update_choice_titles (self);
  group_correct_checks (self);
}

static AdwEntryRow *
add_choice (CohortQuizEditor *self,
            const char       *text,
            gboolean          correct)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), correct);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _("Correct answer"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Correct answer"), -1);
  adw_entry_row_add_prefix (row, check);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Choice"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Choice"), -1);
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_choice), self);
  adw_entry_row_add_suffix (row, remove);

  g_object_set_data (G_OBJECT (row), "correct", check);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_list_box_append (self->choices_list, GTK_WIDGET (row));
  g_ptr_array_add (self->choice_rows, row);
  update_choice_titles (self);
  group_correct_checks (self);
  return row;
}

static CohortQuizType
selected_type (CohortQuizEditor *self)
{
  guint i = adw_combo_row_get_selected (self->type_row);

  return i <= COHORT_QUIZ_OPEN ? (CohortQuizType) i : COHORT_QUIZ_SINGLE;
}

static void
update_sections (CohortQuizEditor *self)
{
  CohortQuizType type = selected_type (self);
  gboolean choices = type == COHORT_QUIZ_SINGLE || type == COHORT_QUIZ_MULTIPLE;

  gtk_widget_set_visible (GTK_WIDGET (self->choices_group), choices);
  gtk_widget_set_visible (GTK_WIDGET (self->truth_group), type == COHORT_QUIZ_TRUE_FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->short_group), type == COHORT_QUIZ_SHORT);
  group_correct_checks (self);
  adw_preferences_group_set_description (self->choices_group,
                                         type == COHORT_QUIZ_SINGLE
                                         ? _("Tick the one correct answer. Students pick a choice with the keys 1 to 9.")
                                         : _("Tick every correct answer. Students pick choices with the keys 1 to 9."));
}

static char *
prompt_text (CohortQuizEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdelimit (g_strdup (text), ",", '.'));
  char *end = NULL;

  if (*copy == '\0')
    return FALSE;
  *out = g_ascii_strtod (copy, &end);
  return end != NULL && *end == '\0';
}

CohortQuizQuestion *
cohort_quiz_editor_build_question (CohortQuizEditor *self)
{
  CohortQuizType type = selected_type (self);
  g_autofree char *prompt = prompt_text (self);
  CohortQuizQuestion *q = cohort_quiz_question_new (type, prompt);

  if (type == COHORT_QUIZ_SINGLE || type == COHORT_QUIZ_MULTIPLE)
    {
      g_autoptr(GStrvBuilder) choices = g_strv_builder_new ();
      g_auto(GStrv) texts = NULL;
      guint64 correct = 0;

      for (guint i = 0; i < self->choice_rows->len; i++)
        {
          GtkWidget *row = g_ptr_array_index (self->choice_rows, i);
          GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "correct");

          g_strv_builder_add (choices, gtk_editable_get_text (GTK_EDITABLE (row)));
          if (gtk_check_button_get_active (check) && i < 64)
            correct |= G_GUINT64_CONSTANT (1) << i;
        }
      texts = g_strv_builder_end (choices);
      cohort_quiz_question_set_choices (q, (const char * const *) texts, correct);
    }
  else if (type == COHORT_QUIZ_TRUE_FALSE)
    cohort_quiz_question_set_truth (q, gtk_switch_get_active (self->truth_switch));
  else if (type == COHORT_QUIZ_SHORT)
    {
      g_auto(GStrv) parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->accepted_row)),
                                            ";\n", -1);
      double value;

      for (guint i = 0; parts[i] != NULL; i++)
        g_strstrip (parts[i]);
      cohort_quiz_question_set_accepted (q, (const char * const *) parts);

      if (parse_number (gtk_editable_get_text (GTK_EDITABLE (self->numeric_row)), &value))
        {
          double tolerance = 0;

          parse_number (gtk_editable_get_text (GTK_EDITABLE (self->tolerance_row)), &tolerance);
          cohort_quiz_question_set_numeric (q, value, tolerance);
        }
    }

  cohort_quiz_question_set_explanation (q, gtk_editable_get_text (GTK_EDITABLE (self->explanation_row)));
  cohort_quiz_question_set_time_limit (q, gtk_spin_button_get_value_as_int (self->time_spin));
  {
    g_auto(GStrv) points = typed_points (self);
    const char *use = gtk_check_button_get_active (self->use_practice_only) ? COHORT_PRACTICE_USE_PRACTICE_ONLY
                      : gtk_check_button_get_active (self->use_after_live) ? COHORT_PRACTICE_USE_AFTER_LIVE
                      : COHORT_PRACTICE_USE_NORMAL;

    cohort_quiz_question_set_knowledge_points (q, (const char * const *) points);
    cohort_quiz_question_set_practice_use (q, use);
  }
  return q;
}

/* A point of the class picked from the menu joins those typed. */
static void
on_point_picked (CohortQuizEditor *self,
                 GtkListBoxRow    *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "name");
  g_auto(GStrv) points = typed_points (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;

  gtk_menu_button_popdown (self->points_menu);
  if (name == NULL || g_strv_contains ((const char * const *) points, name))
    return;
  g_strv_builder_addv (builder, (const char **) points);
  g_strv_builder_add (builder, name);
  joined = g_strv_builder_end (builder);
  set_typed_points (self, (const char * const *) joined);
}

static void
show_error (CohortQuizEditor *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

/* What is missing, said in the teacher's language and naming the field,
 * with the widget to focus; NULL when the form is complete. The
 * protocol's own check (English, field paths) is the last resort. */
static char *
check_form (CohortQuizEditor  *self,
            GtkWidget        **focus)
{
  CohortQuizType type = selected_type (self);
  g_autofree char *prompt = prompt_text (self);
  double value;

  g_strstrip (prompt);
  if (*prompt == '\0')
    {
      *focus = GTK_WIDGET (self->prompt_view);
      return g_strdup (_("Write the question first."));
    }

  if (type == COHORT_QUIZ_SINGLE || type == COHORT_QUIZ_MULTIPLE)
    {
      guint ticked = 0;

      for (guint i = 0; i < self->choice_rows->len; i++)
        {
          GtkWidget *row = g_ptr_array_index (self->choice_rows, i);
          g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

          if (*text == '\0')
            {
              *focus = row;
              /* Translators: %u is the number of the choice, from 1. */
              return g_strdup_printf (_("Choice %u is empty: write it, or remove it."), i + 1);
            }
          if (gtk_check_button_get_active (g_object_get_data (G_OBJECT (row), "correct")))
            ticked++;
        }
      if (ticked == 0)
        {
          *focus = self->choice_rows->len > 0 ? g_object_get_data (G_OBJECT (g_ptr_array_index (self->choice_rows, 0)),
                                                                   "correct")
                                              : NULL;
          return g_strdup (type == COHORT_QUIZ_SINGLE ? _("Tick the correct answer.")
                                                      : _("Tick at least one correct answer."));
        }
    }
  else if (type == COHORT_QUIZ_SHORT)
    {
      g_autofree char *accepted = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->accepted_row))));
      const char *number = gtk_editable_get_text (GTK_EDITABLE (self->numeric_row));
      const char *tolerance = gtk_editable_get_text (GTK_EDITABLE (self->tolerance_row));

      if (*number != '\0' && !parse_number (number, &value))
        {
          *focus = GTK_WIDGET (self->numeric_row);
          return g_strdup (_("“Number” must be a number, such as 3.14."));
        }
      if (*tolerance != '\0' && (!parse_number (tolerance, &value) || value < 0))
        {
          *focus = GTK_WIDGET (self->tolerance_row);
          return g_strdup (_("“Tolerance” must be a number of 0 or more, such as 0.01."));
        }
      if (strspn (accepted, "; \n") == strlen (accepted) && *number == '\0')
        {
          *focus = GTK_WIDGET (self->accepted_row);
          return g_strdup (_("Give at least one accepted answer, or a number."));
        }
    }

  {
    g_auto(GStrv) points = typed_points (self);

    if (g_strv_length (points) > COHORT_PRACTICE_MAX_QUESTION_POINTS)
      {
        *focus = GTK_WIDGET (self->points_row);
        /* Translators: %d is the most knowledge points a question has (5). */
        return g_strdup_printf (_("A question practises at most %d knowledge points: remove some."),
                                COHORT_PRACTICE_MAX_QUESTION_POINTS);
      }
    for (guint i = 0; points[i] != NULL; i++)
      if (g_utf8_strlen (points[i], -1) > COHORT_PRACTICE_MAX_POINT_CHARS)
        {
          *focus = GTK_WIDGET (self->points_row);
          /* Translators: a knowledge point's name is too long; %d is 80. */
          return g_strdup_printf (_("“%s” is too long for a knowledge point: keep it to %d characters."),
                                  points[i], COHORT_PRACTICE_MAX_POINT_CHARS);
        }
  }

  *focus = NULL;
  return NULL;
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortQuizEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved = cohort_quiz_model_action_finish (COHORT_QUIZ_MODEL (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  if (!saved)
    {
      show_error (self, error->message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortQuizEditor *self = COHORT_QUIZ_EDITOR (widget);
  g_autoptr(CohortQuizQuestion) question = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  GtkWidget *focus = NULL;

  missing = check_form (self, &focus);
  if (missing != NULL)
    {
      show_error (self, missing);
      if (focus != NULL)
        gtk_widget_grab_focus (focus);
      return;
    }

  /* The same checks the server makes, for an answer without a round trip. */
  question = cohort_quiz_editor_build_question (self);
  if (!cohort_quiz_question_check (question, &error))
    {
      g_autofree char *message = g_strdup_printf (_("This question cannot be saved: %s"), error->message);

      show_error (self, message);
      return;
    }

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  /* GTK 4.8's entries warn ("did not receive a focus-out event") when the
   * form goes insensitive under them, as after Ctrl+S in a field. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);

  cohort_quiz_model_save_question_async (self->model, self->question_id, question, self->cancellable,
                                         save_done, g_object_ref (self));
}

static void
add_choice_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CohortQuizEditor *self = COHORT_QUIZ_EDITOR (widget);

  if (self->choice_rows->len < COHORT_QUIZ_MAX_CHOICES)
    gtk_widget_grab_focus (GTK_WIDGET (add_choice (self, NULL, FALSE)));
}

static void
load_question (CohortQuizEditor   *self,
               CohortQuizQuestion *question)
{
  CohortQuizType type = cohort_quiz_question_get_question_type (question);
  g_auto(GStrv) choices = cohort_quiz_question_dup_choices (question);
  g_auto(GStrv) accepted = cohort_quiz_question_dup_accepted (question);
  guint64 correct = cohort_quiz_question_get_correct_choices (question);
  const char *explanation = cohort_quiz_question_get_explanation (question);
  double value = 0;
  double tolerance = 0;

  self->question_id = cohort_quiz_question_get_id (question);
  adw_combo_row_set_selected (self->type_row, type);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view),
                            cohort_quiz_question_get_prompt (question), -1);

  if (choices[0] != NULL)
    {
      /* Replace the two blank default choices. */
      while (self->choice_rows->len > 0)
        {
          GtkWidget *row = g_ptr_array_index (self->choice_rows, 0);

          g_ptr_array_remove_index (self->choice_rows, 0);
          gtk_list_box_remove (self->choices_list, row);
        }
      for (guint i = 0; choices[i] != NULL; i++)
        add_choice (self, choices[i], i < 64 && ((correct >> i) & 1));
    }
  if (type == COHORT_QUIZ_TRUE_FALSE)
    gtk_switch_set_active (self->truth_switch, cohort_quiz_question_get_truth (question));
  if (accepted[0] != NULL)
    {
      g_autofree char *text = g_strjoinv ("; ", accepted);

      gtk_editable_set_text (GTK_EDITABLE (self->accepted_row), text);
    }
  if (cohort_quiz_question_get_numeric (question, &value, &tolerance))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      /* 15 digits: 3.14 reads "3.14", not the double's "3.1400000000000001". */
      gtk_editable_set_text (GTK_EDITABLE (self->numeric_row),
                             g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
      gtk_editable_set_text (GTK_EDITABLE (self->tolerance_row),
                             g_ascii_formatd (buffer, sizeof buffer, "%.15g", tolerance));
    }
  gtk_editable_set_text (GTK_EDITABLE (self->explanation_row), explanation != NULL ? explanation : "");
  gtk_spin_button_set_value (self->time_spin, cohort_quiz_question_get_time_limit (question));
  {
    g_auto(GStrv) points = cohort_quiz_question_dup_knowledge_points (question);
    const char *use = cohort_quiz_question_get_practice_use (question);

    set_typed_points (self, (const char * const *) points);
    if (g_strcmp0 (use, COHORT_PRACTICE_USE_PRACTICE_ONLY) == 0)
      gtk_check_button_set_active (self->use_practice_only, TRUE);
    else if (g_strcmp0 (use, COHORT_PRACTICE_USE_AFTER_LIVE) == 0)
      gtk_check_button_set_active (self->use_after_live, TRUE);
    else
      gtk_check_button_set_active (self->use_normal, TRUE);
  }
}

static GtkWidget *
create_known_row (gpointer item,
                  gpointer user_data)
{
  const char *name = cohort_knowledge_point_get_name (item);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);
  return row;
}

static void
update_points_menu (CohortQuizEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->points_menu),
                          self->known != NULL && g_list_model_get_n_items (self->known) > 0);
}

void
cohort_quiz_editor_set_known_points (CohortQuizEditor *self,
                                     GListModel       *points)
{
  g_return_if_fail (COHORT_IS_QUIZ_EDITOR (self));
  g_return_if_fail (points == NULL || G_IS_LIST_MODEL (points));

  if (self->known != NULL)
    g_signal_handlers_disconnect_by_data (self->known, self);
  g_set_object (&self->known, points);
  gtk_list_box_bind_model (self->points_list, points, points != NULL ? create_known_row : NULL, NULL, NULL);
  if (points != NULL)
    g_signal_connect_object (points, "items-changed", G_CALLBACK (update_points_menu), self, G_CONNECT_SWAPPED);
  update_points_menu (self);
}

CohortQuizEditor *
cohort_quiz_editor_new (CohortQuizModel    *model,
                        CohortQuizQuestion *question)
{
  CohortQuizEditor *self;

  g_return_val_if_fail (COHORT_IS_QUIZ_MODEL (model), NULL);

  self = g_object_new (COHORT_TYPE_QUIZ_EDITOR, NULL);
  self->model = g_object_ref (model);
  if (question != NULL)
    {
      load_question (self, question);
      adw_window_title_set_title (self->window_title, _("Edit Question"));
    }
  else
    adw_window_title_set_title (self->window_title, _("New Question"));
  update_sections (self);
  return self;
}

static void
cohort_quiz_editor_dispose (GObject *object)
{
  CohortQuizEditor *self = COHORT_QUIZ_EDITOR (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->known);
  g_clear_pointer (&self->choice_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_quiz_editor_parent_class)->dispose (object);
}

static void
cohort_quiz_editor_class_init (CohortQuizEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_quiz_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-quiz-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, choices_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, choices_list);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, truth_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, truth_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, short_group);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, accepted_row);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, numeric_row);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, tolerance_row);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, explanation_row);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, time_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, points_row);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, points_menu);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, points_list);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, use_normal);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, use_practice_only);
  gtk_widget_class_bind_template_child (widget_class, CohortQuizEditor, use_after_live);
  gtk_widget_class_bind_template_callback (widget_class, on_point_picked);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-choice", NULL, add_choice_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_quiz_editor_init (CohortQuizEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_name_controls (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->choice_rows = g_ptr_array_new ();
  add_choice (self, NULL, FALSE);
  add_choice (self, NULL, FALSE);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (update_sections), self);
}
