/* cohort-mastery-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-mastery-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-practice-protocol.h"
#include "cohort-protocol.h"
#include "cohort-quiz-grade.h"

#include "cohort-heatmap-view.h"
#include "cohort-mastery-legend.h"
#include "cohort-mastery-level.h"
#include "cohort-mastery-window.h"
#include "cohort-template.h"
#include "cohort-toast.h"

struct _CohortMasteryWindow
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkDropDown          *sort_dropdown;
  GtkStack             *heatmap_stack;
  AdwStatusPage        *empty_status;
  GtkWidget            *view;
  GtkListBox           *points_list;

  CohortMasteryHeatmap *heatmap;
  GCancellable         *cancellable;
  /* a rename in flight shows its own error, in the user's language */
  guint                 renaming;
};

G_DEFINE_FINAL_TYPE (CohortMasteryWindow, cohort_mastery_window, ADW_TYPE_WINDOW)

static double
fraction (int permille)
{
  return permille < 0 ? -1 : permille / 1000.0;
}

static CohortKnowledgePoint *
find_point (CohortMasteryWindow *self,
            gint64               point_id)
{
  GListModel *points = cohort_mastery_heatmap_get_points (self->heatmap);

  for (guint i = 0; i < g_list_model_get_n_items (points); i++)
    {
      g_autoptr(CohortKnowledgePoint) point = g_list_model_get_item (points, i);

      if (cohort_knowledge_point_get_point_id (point) == point_id)
        return g_steal_pointer (&point);
    }
  return NULL;
}

/* The heatmap: the model's columns become the view's rows. */
static void
update_view (CohortMasteryWindow *self)
{
  GListModel *points = cohort_mastery_heatmap_get_points (self->heatmap);
  GListModel *students = cohort_mastery_heatmap_get_students (self->heatmap);
  guint n_points = g_list_model_get_n_items (points);
  guint n_students = g_list_model_get_n_items (students);
  g_autofree gint64 *ids = g_new0 (gint64, MAX (n_points, 1));
  g_autofree double *means = g_new0 (double, MAX (n_points, 1));
  g_autofree double *mastery = g_new0 (double, MAX (n_points * n_students, 1));
  g_autoptr(GPtrArray) point_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) student_names = g_ptr_array_new_with_free_func (g_free);

  gtk_stack_set_visible_child_name (self->heatmap_stack, n_points > 0 ? "map" : "empty");
  for (guint p = 0; p < n_points; p++)
    {
      g_autoptr(CohortKnowledgePoint) point = g_list_model_get_item (points, p);

      ids[p] = cohort_knowledge_point_get_point_id (point);
      means[p] = fraction (cohort_knowledge_point_get_mastery (point));
      g_ptr_array_add (point_names, g_strdup (cohort_knowledge_point_get_name (point)));
    }
  for (guint s = 0; s < n_students; s++)
    {
      g_autoptr(CohortMasteryRow) row = g_list_model_get_item (students, s);

      g_ptr_array_add (student_names, g_strdup (cohort_mastery_row_get_name (row)));
      for (guint p = 0; p < n_points; p++)
        mastery[p * n_students + s] = p < cohort_mastery_row_get_n_cells (row)
                                      ? fraction (cohort_mastery_row_get_cell (row, p)) : -1;
    }
  g_ptr_array_add (point_names, NULL);
  g_ptr_array_add (student_names, NULL);
  cohort_heatmap_view_set_data (COHORT_HEATMAP_VIEW (self->view), ids, (const char * const *) point_names->pdata,
                                means, n_points, (const char * const *) student_names->pdata, n_students, mastery);
}

static void
set_point_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CohortMasteryWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_mastery_heatmap_set_point_finish (COHORT_MASTERY_HEATMAP (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 cohort_toast_new (cohort_mastery_heatmap_get_error_message (self->heatmap)
                                                   ?: error->message));
}

static void
on_switch_active (GtkSwitch           *toggle,
                  GParamSpec          *pspec,
                  CohortMasteryWindow *self)
{
  cohort_mastery_heatmap_set_point_async (self->heatmap,
                                          GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toggle), "point-id")),
                                          NULL, gtk_switch_get_active (toggle), self->cancellable,
                                          set_point_done, g_object_ref (self));
}

/* ---- renaming a point ---- */

/* A write on a point, with the name it shows in its toast. */
typedef struct
{
  CohortMasteryWindow *self;
  char                *name;
  guint                count;   /* a launch's questions */
} PointOp;

static void
point_op_free (PointOp *op)
{
  g_object_unref (op->self);
  g_free (op->name);
  g_free (op);
}

static void
rename_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PointOp *rename = user_data;
  CohortMasteryWindow *self = rename->self;
  g_autoptr(GError) error = NULL;

  self->renaming--;
  if (!cohort_mastery_heatmap_set_point_finish (COHORT_MASTERY_HEATMAP (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The server refuses a name as invalid only when another point has
       * it (case-folded), which the dialog checks too but a rename from
       * elsewhere can beat; its own words are in the server's language. */
      /* Translators: a toast; %s is the name the teacher typed. */
      g_autofree char *text = g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID)
                              ? g_strdup_printf (_("The name “%s” is taken."), rename->name)
                              : g_strdup (error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (text));
    }
  point_op_free (rename);
}

static char *
rename_entry_text (AdwMessageDialog *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  return g_strstrip (g_strdup (gtk_editable_get_text (entry)));
}

/* Another point of the class has @name, compared as the server does. */
static gboolean
name_taken (CohortMasteryWindow *self,
            gint64               point_id,
            const char          *name)
{
  GListModel *points = cohort_mastery_heatmap_get_points (self->heatmap);
  g_autofree char *key = cohort_quiz_normalize_text (name);

  for (guint i = 0; i < g_list_model_get_n_items (points); i++)
    {
      g_autoptr(CohortKnowledgePoint) point = g_list_model_get_item (points, i);
      g_autofree char *other = cohort_quiz_normalize_text (cohort_knowledge_point_get_name (point));

      if (cohort_knowledge_point_get_point_id (point) != point_id && g_strcmp0 (key, other) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
on_rename_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  CohortMasteryWindow *self = COHORT_MASTERY_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkWidget *taken_label = g_object_get_data (G_OBJECT (dialog), "taken");
  gint64 point_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "point-id"));
  g_autofree char *name = rename_entry_text (dialog);
  const char *old = g_object_get_data (G_OBJECT (dialog), "name");
  gboolean taken = name[0] != '\0' && name_taken (self, point_id, name);

  gtk_widget_set_visible (taken_label, taken);
  adw_message_dialog_set_response_enabled (dialog, "rename", name[0] != '\0' && !taken && g_strcmp0 (name, old) != 0);
}

static void
on_rename_response (AdwMessageDialog    *dialog,
                    const char          *response,
                    CohortMasteryWindow *self)
{
  g_autoptr(CohortKnowledgePoint) point = NULL;
  gint64 point_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "point-id"));
  PointOp *rename;

  if (g_strcmp0 (response, "rename") != 0 || !(point = find_point (self, point_id)))
    return;
  rename = g_new0 (PointOp, 1);
  rename->self = g_object_ref (self);
  rename->name = rename_entry_text (dialog);
  self->renaming++;
  cohort_mastery_heatmap_set_point_async (self->heatmap, point_id, rename->name,
                                          cohort_knowledge_point_get_practice (point), self->cancellable,
                                          rename_done, rename);
}

GtkWidget *
cohort_mastery_window_rename_point (CohortMasteryWindow *self,
                                    gint64               point_id)
{
  g_autoptr(CohortKnowledgePoint) point = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;
  GtkWidget *taken;
  GtkWidget *box;

  g_return_val_if_fail (COHORT_IS_MASTERY_WINDOW (self), NULL);

  if (!(point = find_point (self, point_id)))
    return NULL;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Knowledge Point"),
                                   _("The questions tagged with it are retagged, and the students keep their mastery."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "rename", FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  taken = gtk_label_new (_("Another knowledge point has this name."));
  gtk_label_set_wrap (GTK_LABEL (taken), TRUE);
  gtk_label_set_xalign (GTK_LABEL (taken), 0);
  gtk_widget_add_css_class (taken, "error");
  gtk_widget_add_css_class (taken, "caption");
  gtk_widget_set_visible (taken, FALSE);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), taken);
  gtk_entry_set_max_length (GTK_ENTRY (entry), COHORT_PRACTICE_MAX_POINT_CHARS);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), cohort_knowledge_point_get_name (point));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "taken", taken);
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (cohort_knowledge_point_get_name (point)), g_free);
  g_object_set_data (G_OBJECT (dialog), "point-id", GSIZE_TO_POINTER (point_id));
  g_signal_connect (entry, "changed", G_CALLBACK (on_rename_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
  return dialog;
}

static void
on_rename_clicked (GtkButton           *button,
                   CohortMasteryWindow *self)
{
  cohort_mastery_window_rename_point (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "point-id")));
}

static GtkWidget *
create_point_row (gpointer item,
                  gpointer user_data)
{
  CohortMasteryWindow *self = user_data;
  CohortKnowledgePoint *point = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  guint questions = cohort_knowledge_point_get_questions (point);
  g_autofree char *mean = cohort_mastery_format_percent (fraction (cohort_knowledge_point_get_mastery (point)));
  /* mastery.class does not count the questions (0): then the mean alone. */
  /* Translators: a knowledge point's line: "12 questions · class mean 45 %". */
  g_autofree char *subtitle = questions > 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                            "%u question · class mean %s",
                                                                            "%u questions · class mean %s",
                                                                            questions),
                                                               questions, mean)
                                            /* Translators: a knowledge point's line: "class mean 45 %". */
                                            : g_strdup_printf (_("Class mean %s"), mean);
  /* Translators: the accessible name of a point's practice switch. */
  g_autofree char *label = g_strdup_printf (_("Practice on %s"), cohort_knowledge_point_get_name (point));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_knowledge_point_get_name (point));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (toggle), cohort_knowledge_point_get_practice (point));
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (toggle), "point-id", GSIZE_TO_POINTER (cohort_knowledge_point_get_point_id (point)));
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_switch_active), self, 0);
  /* Translators: the accessible name of a point's rename button. */
  g_autofree char *rename_label = g_strdup_printf (_("Rename %s"), cohort_knowledge_point_get_name (point));
  GtkWidget *rename = gtk_button_new_from_icon_name ("document-edit-symbolic");

  gtk_widget_set_valign (rename, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (rename, "flat");
  gtk_widget_set_tooltip_text (rename, _("Rename"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (rename), GTK_ACCESSIBLE_PROPERTY_LABEL, rename_label, -1);
  g_object_set_data (G_OBJECT (rename), "point-id", GSIZE_TO_POINTER (cohort_knowledge_point_get_point_id (point)));
  g_signal_connect_object (rename, "clicked", G_CALLBACK (on_rename_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), rename);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_object_set_data (G_OBJECT (row), "switch", toggle);
  return row;
}

static void
on_sort_changed (CohortMasteryWindow *self)
{
  cohort_heatmap_view_set_by_name (COHORT_HEATMAP_VIEW (self->view),
                                   gtk_drop_down_get_selected (self->sort_dropdown) == 1);
}

static void
on_error_message (CohortMasteryWindow *self)
{
  const char *message = cohort_mastery_heatmap_get_error_message (self->heatmap);

  if (message != NULL && self->renaming == 0)
    adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (message));
}

/* ---- a point's practice set, live ---- */

static void
launch_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PointOp *launch = user_data;
  CohortMasteryWindow *self = launch->self;
  g_autoptr(GError) error = NULL;

  if (cohort_mastery_heatmap_launch_finish (COHORT_MASTERY_HEATMAP (object), result, &error))
    {
      /* Translators: a toast: "The practice set on Fractions is live as a quiz." */
      g_autofree char *text = g_strdup_printf (_("The practice set on %s is live as a quiz."), launch->name);

      adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (text));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 cohort_toast_new (cohort_mastery_heatmap_get_error_message (self->heatmap)
                                                   ?: error->message));
  point_op_free (launch);
}

static void
on_set_response (AdwMessageDialog *dialog,
                 const char       *response,
                 PointOp          *launch)
{
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (dialog), "count");
  gint64 point_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "point-id"));

  if (g_strcmp0 (response, "launch") != 0)
    {
      point_op_free (launch);
      return;
    }
  launch->count = gtk_spin_button_get_value_as_int (spin);
  cohort_mastery_heatmap_launch_async (launch->self->heatmap, point_id, launch->count, -1,
                                       launch->self->cancellable, launch_done, launch);
}

GtkWidget *
cohort_mastery_window_open_point (CohortMasteryWindow *self,
                                  gint64               point_id)
{
  g_autoptr(CohortKnowledgePoint) point = NULL;
  g_autofree char *mean = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *row;
  GtkWidget *spin;
  GtkWidget *list;
  PointOp *launch;
  guint questions;

  g_return_val_if_fail (COHORT_IS_MASTERY_WINDOW (self), NULL);

  if (!(point = find_point (self, point_id)))
    return NULL;
  questions = cohort_knowledge_point_get_questions (point);
  mean = cohort_mastery_format_percent (fraction (cohort_knowledge_point_get_mastery (point)));
  /* Translators: the practice set dialog's text: the class mean, then
   * the questions there are; "45 %", "12". */
  if (questions == 0)
    /* Translators: the practice set dialog's text; %s is the class mean, "45 %". */
    body = g_strdup_printf (_("The class’s mean mastery is %s. Launch a practice set of its questions live as a quiz: the answers count towards everyone’s mastery."),
                            mean);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The class’s mean mastery is %s. The bank has %u question on this point for a practice set. Launch a set live as a quiz: the answers count towards everyone’s mastery.",
                                       "The class’s mean mastery is %s. The bank has %u questions on this point for a practice set. Launch a set live as a quiz: the answers count towards everyone’s mastery.",
                                       questions),
                          mean, questions);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), cohort_knowledge_point_get_name (point), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "launch", _("_Launch Live"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "launch", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "launch");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  /* How many questions go live: up to the protocol's 20 and the bank's
   * count when known, 10 unless there are fewer; the server sends what
   * there is. */
  spin = gtk_spin_button_new_with_range (1, questions > 0 ? MIN (questions, COHORT_PRACTICE_MAX_LAUNCH)
                                                          : COHORT_PRACTICE_MAX_LAUNCH, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), questions > 0 ? MIN (COHORT_PRACTICE_SET_SIZE, questions)
                                                                   : COHORT_PRACTICE_SET_SIZE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Questions"), -1);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Questions"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  g_object_set_data (G_OBJECT (dialog), "count", spin);
  g_object_set_data (G_OBJECT (dialog), "point-id", GSIZE_TO_POINTER (point_id));

  launch = g_new0 (PointOp, 1);
  launch->self = g_object_ref (self);
  launch->name = g_strdup (cohort_knowledge_point_get_name (point));
  g_signal_connect (dialog, "response", G_CALLBACK (on_set_response), launch);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_point_activated (CohortMasteryWindow *self,
                    gint64               point_id)
{
  cohort_mastery_window_open_point (self, point_id);
}

/* ---- the window ---- */

CohortMasteryWindow *
cohort_mastery_window_new (GtkWindow            *parent,
                           CohortMasteryHeatmap *heatmap)
{
  CohortMasteryWindow *self;

  g_return_val_if_fail (COHORT_IS_MASTERY_HEATMAP (heatmap), NULL);

  self = g_object_new (COHORT_TYPE_MASTERY_WINDOW, "transient-for", parent, NULL);
  self->heatmap = g_object_ref (heatmap);
  g_signal_connect_object (cohort_mastery_heatmap_get_points (heatmap), "items-changed",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_mastery_heatmap_get_students (heatmap), "items-changed",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (heatmap, "notify::error-message", G_CALLBACK (on_error_message), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->points_list, cohort_mastery_heatmap_get_points (heatmap), create_point_row, self,
                           NULL);
  update_view (self);
  return self;
}

CohortMasteryHeatmap *
cohort_mastery_window_get_model (CohortMasteryWindow *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_WINDOW (self), NULL);

  return self->heatmap;
}

GtkWidget *
cohort_mastery_window_get_view (CohortMasteryWindow *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_WINDOW (self), NULL);

  return self->view;
}

void
cohort_mastery_window_set_page (CohortMasteryWindow *self,
                                const char          *page)
{
  g_return_if_fail (COHORT_IS_MASTERY_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, page);
}

GtkWidget *
cohort_mastery_window_get_switch (CohortMasteryWindow *self,
                                  gint64               point_id)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_WINDOW (self), NULL);

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->points_list, i);
      GtkWidget *toggle;

      if (row == NULL)
        return NULL;
      toggle = g_object_get_data (G_OBJECT (row), "switch");
      if (toggle != NULL && (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toggle), "point-id")) == point_id)
        return toggle;
    }
}

static void
cohort_mastery_window_dispose (GObject *object)
{
  CohortMasteryWindow *self = COHORT_MASTERY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->heatmap);

  G_OBJECT_CLASS (cohort_mastery_window_parent_class)->dispose (object);
}

static void
cohort_mastery_window_finalize (GObject *object)
{
  CohortMasteryWindow *self = COHORT_MASTERY_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_mastery_window_parent_class)->finalize (object);
}

static void
cohort_mastery_window_class_init (CohortMasteryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_mastery_window_dispose;
  object_class->finalize = cohort_mastery_window_finalize;

  g_type_ensure (COHORT_TYPE_HEATMAP_VIEW);
  g_type_ensure (COHORT_TYPE_MASTERY_LEGEND);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-mastery-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortMasteryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortMasteryWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortMasteryWindow, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CohortMasteryWindow, heatmap_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortMasteryWindow, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CohortMasteryWindow, view);
  gtk_widget_class_bind_template_child (widget_class, CohortMasteryWindow, points_list);
  gtk_widget_class_bind_template_callback (widget_class, on_point_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cohort_mastery_window_init (CohortMasteryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_name_controls (GTK_WIDGET (self));
  cohort_template_fit_status_page (GTK_WIDGET (self->empty_status));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->sort_dropdown, "notify::selected", G_CALLBACK (on_sort_changed), self);
}
