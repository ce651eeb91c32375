/* cohort-practice-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-practice-page.h"
#include "cohort-template.h"

struct _CohortPracticePage
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  AdwStatusPage      *start_status;
  AdwStatusPage      *done_status;
  GtkScrolledWindow  *question_scroll;
  GtkLabel           *counter_label;
  GtkLabel           *reason_label;
  GtkLabel           *point_label;
  GtkLabel           *prompt_label;
  GtkBox             *answer_box;
  GtkWidget          *check_button;
  GtkRevealer        *feedback_revealer;
  GtkWidget          *feedback_box;
  GtkLabel           *verdict_label;
  GtkLabel           *key_label;
  GtkLabel           *explanation_label;
  GtkWidget          *why_button;
  GtkWidget          *why_box;
  GtkSpinner         *why_spinner;
  GtkLabel           *why_label;
  GtkWidget          *next_button;

  CohortPractice     *practice;
  CohortPracticeItem *item;        /* the question shown */
  GSignalGroup       *item_signals;
  GPtrArray          *inputs;      /* GtkCheckButton per choice, or the GtkEntry */
  GCancellable       *cancellable;
  guint               position;
  guint               n_correct;
  gboolean            busy;
};

enum {
  PROP_0,
  PROP_PRACTICE,
  PROP_POSITION,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CohortPracticePage, cohort_practice_page, GTK_TYPE_WIDGET)

static guint
set_length (CohortPracticePage *self)
{
  return g_list_model_get_n_items (cohort_practice_get_set (self->practice));
}

static void
set_page (CohortPracticePage *self,
          const char         *page)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), page) == 0)
    return;
  gtk_stack_set_visible_child_name (self->stack, page);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static gboolean
has_answer (CohortPracticePage *self)
{
  for (guint i = 0; i < self->inputs->len; i++)
    {
      GtkWidget *input = g_ptr_array_index (self->inputs, i);

      if (GTK_IS_CHECK_BUTTON (input) && gtk_check_button_get_active (GTK_CHECK_BUTTON (input)))
        return TRUE;
      if (GTK_IS_EDITABLE (input))
        {
          g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (input))));

          return *text != '\0';
        }
    }
  return FALSE;
}

static void
update_actions (CohortPracticePage *self)
{
  gboolean answered = self->item != NULL && cohort_practice_item_get_answered (self->item);
  gboolean wrong = answered && !cohort_practice_item_get_correct (self->item);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.start", !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.check",
                                 !self->busy && self->item != NULL && !answered && has_answer (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.why",
                                 wrong && !cohort_practice_item_get_why_busy (self->item) &&
                                 cohort_practice_item_get_why_text (self->item) == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "practice.next-question", answered);
  gtk_widget_set_visible (self->why_button, wrong);
}

static void
on_input_changed (CohortPracticePage *self)
{
  update_actions (self);
}

static void
on_entry_activate (CohortPracticePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "practice.check", NULL);
}

static GtkWidget *
add_choice (CohortPracticePage *self,
            const char         *text,
            GtkCheckButton     *group)
{
  GtkWidget *check = gtk_check_button_new_with_label (text);
  GtkWidget *label = gtk_check_button_get_child (GTK_CHECK_BUTTON (check));

  /* The choice's text comes from the network: plain, and wrapped. */
  if (GTK_IS_LABEL (label))
    {
      gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  gtk_widget_add_css_class (check, "practice-choice");
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_input_changed), self);
  gtk_box_append (self->answer_box, check);
  g_ptr_array_add (self->inputs, check);
  return check;
}

static void
build_inputs (CohortPracticePage *self)
{
  CohortQuizType type = cohort_practice_item_get_question_type (self->item);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->answer_box))) != NULL)
    gtk_box_remove (self->answer_box, child);
  g_ptr_array_set_size (self->inputs, 0);

  if (type == COHORT_QUIZ_SINGLE || type == COHORT_QUIZ_MULTIPLE)
    {
      g_auto(GStrv) choices = cohort_practice_item_dup_choices (self->item);
      GtkCheckButton *group = NULL;

      for (guint i = 0; choices[i] != NULL; i++)
        {
          GtkWidget *check = add_choice (self, choices[i], group);

          if (type == COHORT_QUIZ_SINGLE && group == NULL)
            group = GTK_CHECK_BUTTON (check);
        }
    }
  else if (type == COHORT_QUIZ_TRUE_FALSE)
    {
      GtkWidget *truth = add_choice (self, _("True"), NULL);

      add_choice (self, _("False"), GTK_CHECK_BUTTON (truth));
    }
  else
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Your answer"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Your answer"), -1);
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (on_input_changed), self);
      g_signal_connect_swapped (entry, "activate", G_CALLBACK (on_entry_activate), self);
      gtk_box_append (self->answer_box, entry);
      g_ptr_array_add (self->inputs, entry);
    }
}

static const char *
reason_text (CohortPracticeReason reason)
{
  switch (reason)
    {
    case COHORT_PRACTICE_REASON_KIND_REVIEW:
      /* Translators: why a question is in the set: spaced review. */
      return _("Review");
    case COHORT_PRACTICE_REASON_KIND_NEW:
      /* Translators: why a question is in the set: a point not started. */
      return _("New");
    case COHORT_PRACTICE_REASON_KIND_WEAK:
    default:
      /* Translators: why a question is in the set. */
      return _("Weak point");
    }
}

static void
update_why (CohortPracticePage *self)
{
  const char *text = self->item != NULL ? cohort_practice_item_get_why_text (self->item) : NULL;
  gboolean busy = self->item != NULL && cohort_practice_item_get_why_busy (self->item);

  gtk_widget_set_visible (self->why_box, busy || text != NULL);
  gtk_spinner_set_spinning (self->why_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->why_spinner), busy);
  gtk_label_set_label (self->why_label, text != NULL && *text != '\0' ? text : _("Asking the helper…"));
  update_actions (self);
}

/* What came back: right or not (in words, not colour alone), the key,
 * the explanation; the choices that were right marked. */
static void
show_result (CohortPracticePage *self)
{
  gboolean answered = cohort_practice_item_get_answered (self->item);
  gboolean correct = cohort_practice_item_get_correct (self->item);
  const char *key = cohort_practice_item_get_key_text (self->item);
  const char *explanation = cohort_practice_item_get_explanation (self->item);
  guint64 right = cohort_practice_item_get_correct_choices (self->item);
  CohortQuizType type = cohort_practice_item_get_question_type (self->item);

  gtk_revealer_set_reveal_child (self->feedback_revealer, answered);
  gtk_widget_set_visible (self->check_button, !answered);
  if (!answered)
    return;

  gtk_label_set_label (self->verdict_label, correct ? _("✓ Right!") : _("✗ Not quite"));
  gtk_widget_remove_css_class (self->feedback_box, correct ? "wrong" : "right");
  gtk_widget_add_css_class (self->feedback_box, correct ? "right" : "wrong");
  if (key != NULL && *key != '\0')
    {
      /* Translators: the correct answer after a practice question. */
      g_autofree char *text = g_strdup_printf (_("Answer: %s"), key);

      gtk_label_set_label (self->key_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->key_label), key != NULL && *key != '\0');
  gtk_label_set_label (self->explanation_label, explanation != NULL ? explanation : "");
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), explanation != NULL && *explanation != '\0');

  for (guint i = 0; i < self->inputs->len; i++)
    {
      GtkWidget *input = g_ptr_array_index (self->inputs, i);

      gtk_widget_set_sensitive (input, FALSE);
      if (GTK_IS_CHECK_BUTTON (input) && (type == COHORT_QUIZ_SINGLE || type == COHORT_QUIZ_MULTIPLE) &&
          i < 64 && ((right >> i) & 1) && !gtk_widget_has_css_class (input, "right-choice"))
        {
          /* A mark as well as the colour: the right choice reads "1/2 ✓". */
          g_autofree char *marked = g_strdup_printf ("%s ✓", gtk_check_button_get_label (GTK_CHECK_BUTTON (input)));

          gtk_check_button_set_label (GTK_CHECK_BUTTON (input), marked);
          gtk_widget_add_css_class (input, "right-choice");
        }
    }
  gtk_widget_grab_focus (!correct ? self->why_button : self->next_button);
  update_why (self);
}

static void
show_position (CohortPracticePage *self)
{
  g_autoptr(CohortPracticeItem) item = NULL;
  guint n = set_length (self);

  if (self->position >= n)
    {
      g_autofree char *summary = NULL;

      g_clear_object (&self->item);
      g_signal_group_set_target (self->item_signals, NULL);
      /* Translators: the end of a practice set: "You got 7 of 10 right." */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "You got %u of %u right. Your progress is up to date.",
                                              "You got %u of %u right. Your progress is up to date.", n),
                                 self->n_correct, n);
      adw_status_page_set_description (self->done_status, summary);
      set_page (self, n > 0 ? "done" : "start");
      update_actions (self);
      return;
    }

  item = g_list_model_get_item (cohort_practice_get_set (self->practice), self->position);
  g_set_object (&self->item, item);
  g_signal_group_set_target (self->item_signals, item);
  {
    /* Translators: where the student is in a practice set. */
    g_autofree char *counter = g_strdup_printf (_("Question %u of %u"), self->position + 1, n);

    gtk_label_set_label (self->counter_label, counter);
  }
  gtk_label_set_label (self->reason_label, reason_text (cohort_practice_item_get_reason (item)));
  gtk_label_set_label (self->point_label, cohort_practice_item_get_point_name (item));
  gtk_label_set_label (self->prompt_label, cohort_practice_item_get_prompt (item));
  gtk_widget_set_visible (self->why_box, FALSE);
  build_inputs (self);
  show_result (self);
  set_page (self, "question");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->question_scroll), 0);
  if (self->inputs->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->inputs, 0));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  update_actions (self);
}

static void
next_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortPracticePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_practice_next_finish (COHORT_PRACTICE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  self->position = 0;
  self->n_correct = 0;
  if (error == NULL && set_length (self) == 0)
    adw_status_page_set_description (self->start_status,
                                     _("Nothing to practise right now: your teacher has no questions on for practice yet, or you answered them all lately. Come back later."));
  else if (error != NULL)
    adw_status_page_set_description (self->start_status, cohort_practice_get_error_message (self->practice));
  show_position (self);
}

void
cohort_practice_page_start (CohortPracticePage *self,
                            gint64              point_id)
{
  g_return_if_fail (COHORT_IS_PRACTICE_PAGE (self));

  if (self->busy)
    return;
  self->busy = TRUE;
  update_actions (self);
  cohort_practice_next_async (self->practice, point_id, self->cancellable, next_done, g_object_ref (self));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  cohort_practice_page_start (COHORT_PRACTICE_PAGE (widget), g_variant_get_int64 (parameter));
}

static void
answer_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortPracticePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_practice_answer_finish (COHORT_PRACTICE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (error != NULL)
    {
      /* The answer stays: the student can check again. */
      gtk_label_set_label (self->verdict_label, cohort_practice_get_error_message (self->practice));
      gtk_revealer_set_reveal_child (self->feedback_revealer, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->key_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), FALSE);
      update_actions (self);
      return;
    }
  if (self->item != NULL && cohort_practice_item_get_correct (self->item))
    self->n_correct++;
  show_result (self);
  update_actions (self);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CohortPracticePage *self = COHORT_PRACTICE_PAGE (widget);
  CohortQuizType type;

  if (self->item == NULL || self->busy || !has_answer (self))
    return;
  type = cohort_practice_item_get_question_type (self->item);
  if (type == COHORT_QUIZ_SINGLE || type == COHORT_QUIZ_MULTIPLE)
    {
      guint64 chosen = 0;

      for (guint i = 0; i < self->inputs->len && i < 64; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (self->inputs, i)))
          chosen |= G_GUINT64_CONSTANT (1) << i;
      cohort_practice_item_set_chosen (self->item, chosen);
    }
  else if (type == COHORT_QUIZ_TRUE_FALSE)
    cohort_practice_item_set_truth (self->item, gtk_check_button_get_active (g_ptr_array_index (self->inputs, 0)));
  else
    cohort_practice_item_set_text (self->item, gtk_editable_get_text (g_ptr_array_index (self->inputs, 0)));

  self->busy = TRUE;
  update_actions (self);
  cohort_practice_answer_async (self->practice, self->item, self->cancellable, answer_done, g_object_ref (self));
}

static void
why_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CohortPracticePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_practice_why_finish (COHORT_PRACTICE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: the helper could not answer "why?"; %s says why. */
      g_autofree char *text = g_strdup_printf (_("The helper could not answer: %s"), error->message);

      gtk_widget_set_visible (self->why_box, TRUE);
      gtk_label_set_label (self->why_label, text);
    }
}

static void
why_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CohortPracticePage *self = COHORT_PRACTICE_PAGE (widget);

  if (self->item == NULL)
    return;
  cohort_practice_why_async (self->practice, self->item, self->cancellable, why_done, g_object_ref (self));
  update_why (self);
}

static void
next_question_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CohortPracticePage *self = COHORT_PRACTICE_PAGE (widget);

  self->position++;
  show_position (self);
}

GtkWidget *
cohort_practice_page_new (CohortPractice *practice)
{
  return g_object_new (COHORT_TYPE_PRACTICE_PAGE, "practice", practice, NULL);
}

CohortPractice *
cohort_practice_page_get_practice (CohortPracticePage *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_PAGE (self), NULL);

  return self->practice;
}

const char *
cohort_practice_page_get_page (CohortPracticePage *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

guint
cohort_practice_page_get_position (CohortPracticePage *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_PAGE (self), 0);

  return self->position;
}

CohortPracticeItem *
cohort_practice_page_get_item (CohortPracticePage *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_PAGE (self), NULL);

  return self->item;
}

guint
cohort_practice_page_get_n_correct (CohortPracticePage *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_PAGE (self), 0);

  return self->n_correct;
}

static void
cohort_practice_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CohortPracticePage *self = COHORT_PRACTICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_PRACTICE:
      g_value_set_object (value, self->practice);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_PAGE:
      g_value_set_string (value, cohort_practice_page_get_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_practice_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CohortPracticePage *self = COHORT_PRACTICE_PAGE (object);

  switch (prop_id)
    {
    case PROP_PRACTICE:
      self->practice = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_practice_page_dispose (GObject *object)
{
  CohortPracticePage *self = COHORT_PRACTICE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->item_signals != NULL)
    g_signal_group_set_target (self->item_signals, NULL);
  cohort_template_dispose (GTK_WIDGET (self), COHORT_TYPE_PRACTICE_PAGE);
  g_clear_object (&self->item);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->practice);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_practice_page_parent_class)->dispose (object);
}

static void
cohort_practice_page_finalize (GObject *object)
{
  CohortPracticePage *self = COHORT_PRACTICE_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_practice_page_parent_class)->finalize (object);
}

static void
cohort_practice_page_class_init (CohortPracticePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cohort_practice_page_get_property;
  object_class->set_property = cohort_practice_page_set_property;
  object_class->dispose = cohort_practice_page_dispose;
  object_class->finalize = cohort_practice_page_finalize;

  properties[PROP_PRACTICE] =
    g_param_spec_object ("practice", NULL, NULL, COHORT_TYPE_PRACTICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-practice-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, start_status);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, done_status);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, question_scroll);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, counter_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, point_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, answer_box);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, check_button);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, feedback_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, feedback_box);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, key_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, why_button);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, why_box);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, why_spinner);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, why_label);
  gtk_widget_class_bind_template_child (widget_class, CohortPracticePage, next_button);

  gtk_widget_class_install_action (widget_class, "practice.start", "x", start_action);
  gtk_widget_class_install_action (widget_class, "practice.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "practice.why", NULL, why_action);
  gtk_widget_class_install_action (widget_class, "practice.next-question", NULL, next_question_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "practice.check", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "practicepage");
}

static void
cohort_practice_page_init (CohortPracticePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_name_controls (GTK_WIDGET (self));
  cohort_template_fit_status_page (GTK_WIDGET (self->start_status));
  cohort_template_fit_status_page (GTK_WIDGET (self->done_status));

  self->cancellable = g_cancellable_new ();
  self->inputs = g_ptr_array_new ();
  self->item_signals = g_signal_group_new (COHORT_TYPE_PRACTICE_ITEM);
  g_signal_group_connect_swapped (self->item_signals, "notify::why-text", G_CALLBACK (update_why), self);
  g_signal_group_connect_swapped (self->item_signals, "notify::why-busy", G_CALLBACK (update_why), self);
  update_actions (self);
}
