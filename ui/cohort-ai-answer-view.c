/* cohort-ai-answer-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai-answer-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cohort-ai-answer-view.h"
#include "cohort-ai-list-item.h"
#include "cohort-ai-markup.h"

struct _CohortAiAnswerView
{
  GtkWidget  parent_instance;

  char      *markdown;
  GPtrArray *blocks;    /* of CohortAiBlock, as shown */
  GPtrArray *widgets;   /* one per block */
};

G_DEFINE_FINAL_TYPE (CohortAiAnswerView, cohort_ai_answer_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MARKDOWN,
  N_PROPS
};

enum {
  OPEN_URI,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define LIST_INDENT 18
#define MIN_CHARS 12
#define CELL_MIN_CHARS 3
#define QUOTE_INDENT 12

/* Links */

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_message ("Could not open the link: %s", error->message);
}

static gboolean
cohort_ai_answer_view_real_open_uri (CohortAiAnswerView *self,
                                     const char         *uri)
{
  g_autoptr(GdkAppLaunchContext) context =
    gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));

  /* GtkUriLauncher is GTK 4.10; in a sandbox GIO goes through the portal. */
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched, NULL);
  return TRUE;
}

static void
on_link_response (AdwMessageDialog   *dialog,
                  const char         *response,
                  CohortAiAnswerView *self)
{
  const char *uri = g_object_get_data (G_OBJECT (dialog), "uri");
  gboolean handled = FALSE;

  if (g_strcmp0 (response, "open") == 0)
    g_signal_emit (self, signals[OPEN_URI], 0, uri, &handled);
}

/* An answer is written by a model: its links could lead anywhere, and a
 * link's text need not be its address. The student sees the address and
 * decides. */
static gboolean
on_activate_link (GtkLabel           *label,
                  const char         *uri,
                  CohortAiAnswerView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Open This Link?"), NULL);
  /* The address as plain text: the body is not markup. */
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), uri);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open in Browser"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "uri", g_strdup (uri), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_link_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* Blocks */

static GtkWidget *
markup_label (CohortAiAnswerView *self,
              const char         *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* GtkLabel measures a wrapping label's minimum width with a layout of
   * width 0 unless it has a width in characters: with WORD_CHAR that is
   * a Pango line per character, shaped one by one, which was most of
   * the pane's layout time. */
  gtk_label_set_width_chars (GTK_LABEL (label), MIN_CHARS);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  g_signal_connect_object (label, "activate-link", G_CALLBACK (on_activate_link), self, 0);
  return label;
}

static void
on_copy_clicked (GtkButton *button)
{
  const char *code = g_object_get_data (G_OBJECT (button), "code");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), code);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Copied"));
}

static GtkWidget *
code_widget (CohortAiBlock *block)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *language = gtk_label_new (NULL);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (block->code);

  gtk_widget_add_css_class (box, "ai-code");
  gtk_label_set_text (GTK_LABEL (language),
                      g_strcmp0 (block->language, "math") == 0 ? _("Math") : block->language);
  gtk_label_set_xalign (GTK_LABEL (language), 0);
  gtk_label_set_ellipsize (GTK_LABEL (language), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (language, TRUE);
  gtk_widget_add_css_class (language, "dim-label");
  gtk_widget_add_css_class (language, "caption");
  gtk_widget_set_tooltip_text (copy, _("Copy the Code"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy the code"), -1);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_add_css_class (copy, "ai-code-copy");
  g_object_set_data_full (G_OBJECT (copy), "code", g_strdup (block->code), g_free);
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_clicked), NULL);
  gtk_box_append (GTK_BOX (header), language);
  gtk_box_append (GTK_BOX (header), copy);
  gtk_widget_add_css_class (header, "ai-code-header");

  /* Long lines scroll sideways instead of wrapping: code keeps its shape. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "ai-code-text");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scroller);
  g_object_set_data (G_OBJECT (box), "label", label);
  g_object_set_data (G_OBJECT (box), "copy", copy);
  return box;
}

/* The cells of @block from row @first_row on. */
static void
add_cells (CohortAiAnswerView *self,
           GtkWidget          *grid,
           CohortAiBlock      *block,
           guint               first_row)
{
  for (guint r = first_row; r < block->n_rows; r++)
    for (guint c = 0; c < block->n_columns; c++)
      {
        GtkWidget *label = markup_label (self, block->cells->pdata[r * block->n_columns + c]);
        GtkWidget *cell = cohort_ai_list_item_new (NULL, label);
        CohortAiAlign align = block->align[c];

        gtk_label_set_width_chars (GTK_LABEL (label), CELL_MIN_CHARS);
        gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
        gtk_label_set_xalign (GTK_LABEL (label), align == COHORT_AI_ALIGN_CENTER ? 0.5f
                                                 : align == COHORT_AI_ALIGN_END ? 1.0f : 0.0f);
        g_object_set_data (G_OBJECT (cell), "label", label);
        gtk_widget_set_hexpand (cell, TRUE);
        gtk_widget_add_css_class (cell, "ai-cell");
        if (r == 0)
          gtk_widget_add_css_class (cell, "ai-header-cell");
        gtk_grid_attach (GTK_GRID (grid), cell, c, r, 1, 1);
      }
}

/* A table that grows as it streams keeps its grid: changed cells get
 * their text, new rows their cells. */
static gboolean
update_table (CohortAiAnswerView *self,
              GtkWidget          *grid,
              CohortAiBlock      *old,
              CohortAiBlock      *block)
{
  if (old->n_columns != block->n_columns || old->n_rows > block->n_rows ||
      memcmp (old->align, block->align, block->n_columns * sizeof (CohortAiAlign)) != 0)
    return FALSE;

  for (guint i = 0; i < old->cells->len; i++)
    if (g_strcmp0 (old->cells->pdata[i], block->cells->pdata[i]) != 0)
      gtk_label_set_markup (g_object_get_data (G_OBJECT (gtk_grid_get_child_at (GTK_GRID (grid),
                                                                                i % block->n_columns,
                                                                                i / block->n_columns)),
                                               "label"),
                            block->cells->pdata[i]);
  add_cells (self, grid, block, old->n_rows);
  return TRUE;
}

/* A grid in the answer's width: its cells wrap. (In a sideways scroller
 * the wrapped cells would ask for the height of their narrowest layout.) */
static GtkWidget *
table_widget (CohortAiAnswerView *self,
              CohortAiBlock      *block)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_widget_add_css_class (grid, "ai-table");
  gtk_widget_set_halign (grid, GTK_ALIGN_START);
  gtk_widget_set_overflow (grid, GTK_OVERFLOW_HIDDEN);
  add_cells (self, grid, block, 0);
  return grid;
}

static const char *
heading_class (guint level)
{
  switch (level)
    {
    case 1:
      return "title-2";
    case 2:
      return "title-3";
    case 3:
      return "title-4";
    default:
      return "heading";
    }
}

static GtkWidget *
block_widget (CohortAiAnswerView *self,
              CohortAiBlock      *block)
{
  GtkWidget *widget = NULL;

  switch (block->kind)
    {
    case COHORT_AI_BLOCK_TEXT:
      {
        GtkWidget *label = markup_label (self, block->markup);

        if (block->depth > 0)
          {
            /* The bullet column: a continuation paragraph lines up with
             * the item's text. */
            GtkWidget *bullet = gtk_label_new (block->bullet);

            gtk_label_set_width_chars (GTK_LABEL (bullet), 2);
            gtk_label_set_xalign (GTK_LABEL (bullet), 1);
            gtk_widget_add_css_class (bullet, "ai-bullet");
            widget = cohort_ai_list_item_new (bullet, label);
            g_object_set_data (G_OBJECT (widget), "bullet", bullet);
          }
        else
          widget = label;
        g_object_set_data (G_OBJECT (widget), "label", label);
      }
      break;
    case COHORT_AI_BLOCK_HEADING:
      widget = markup_label (self, block->markup);
      gtk_widget_add_css_class (widget, heading_class (block->level));
      g_object_set_data (G_OBJECT (widget), "label", widget);
      break;
    case COHORT_AI_BLOCK_CODE:
      widget = code_widget (block);
      break;
    case COHORT_AI_BLOCK_TABLE:
      widget = table_widget (self, block);
      break;
    case COHORT_AI_BLOCK_RULE:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_widget_set_margin_start (widget, (block->depth > 0 ? (block->depth - 1) * LIST_INDENT : 0) +
                                       block->quote * QUOTE_INDENT);
  if (block->quote > 0)
    gtk_widget_add_css_class (widget, "ai-quote");
  return widget;
}

/* While an answer streams, mostly its last block grows: that one keeps its
 * widget and only gets the new text. */
static gboolean
update_block_widget (CohortAiAnswerView *self,
                     GtkWidget          *widget,
                     CohortAiBlock      *old,
                     CohortAiBlock      *block)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (widget), "label");

  if (old->kind != block->kind || old->depth != block->depth || old->quote != block->quote ||
      old->level != block->level)
    return FALSE;

  switch (block->kind)
    {
    case COHORT_AI_BLOCK_TEXT:
    case COHORT_AI_BLOCK_HEADING:
      if (g_strcmp0 (old->bullet, block->bullet) != 0)
        return FALSE;
      gtk_label_set_markup (label, block->markup);
      return TRUE;
    case COHORT_AI_BLOCK_CODE:
      if (g_strcmp0 (old->language, block->language) != 0)
        return FALSE;
      gtk_label_set_text (label, block->code);
      g_object_set_data_full (g_object_get_data (G_OBJECT (widget), "copy"), "code",
                              g_strdup (block->code), g_free);
      return TRUE;
    case COHORT_AI_BLOCK_TABLE:
      return update_table (self, widget, old, block);
    default:
      return FALSE;
    }
}

static void
remove_from (CohortAiAnswerView *self,
             guint               index)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* GTK 4.8 trips over a focused label that goes away mid-frame (a
   * selectable label takes the focus when the window shows): hand the
   * focus back first. */
  for (guint i = index; focus != NULL && i < self->widgets->len; i++)
    if (focus == self->widgets->pdata[i] || gtk_widget_is_ancestor (focus, self->widgets->pdata[i]))
      {
        gtk_root_set_focus (root, NULL);
        break;
      }

  while (self->widgets->len > index)
    {
      gtk_widget_unparent (self->widgets->pdata[self->widgets->len - 1]);
      g_ptr_array_set_size (self->widgets, self->widgets->len - 1);
    }
}

void
cohort_ai_answer_view_set_markdown (CohortAiAnswerView *self,
                                    const char         *markdown)
{
  g_autoptr(GPtrArray) blocks = NULL;
  guint i = 0;

  g_return_if_fail (COHORT_IS_AI_ANSWER_VIEW (self));

  if (markdown == NULL)
    markdown = "";
  if (g_strcmp0 (self->markdown, markdown) == 0)
    return;
  g_free (self->markdown);
  self->markdown = g_strdup (markdown);

  blocks = cohort_ai_markdown_parse (markdown);
  while (i < blocks->len && i < self->blocks->len &&
         cohort_ai_block_equal (blocks->pdata[i], self->blocks->pdata[i]))
    i++;
  for (; i < blocks->len && i < self->blocks->len; i++)
    if (!update_block_widget (self, self->widgets->pdata[i], self->blocks->pdata[i], blocks->pdata[i]))
      break;
  remove_from (self, i);
  for (; i < blocks->len; i++)
    {
      GtkWidget *widget = block_widget (self, blocks->pdata[i]);

      gtk_widget_insert_before (widget, GTK_WIDGET (self), NULL);
      g_ptr_array_add (self->widgets, widget);
    }

  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  self->blocks = g_steal_pointer (&blocks);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARKDOWN]);
}

const char *
cohort_ai_answer_view_get_markdown (CohortAiAnswerView *self)
{
  g_return_val_if_fail (COHORT_IS_AI_ANSWER_VIEW (self), NULL);
  return self->markdown;
}

GtkWidget *
cohort_ai_answer_view_new (void)
{
  return g_object_new (COHORT_TYPE_AI_ANSWER_VIEW, NULL);
}

/* GObject */

static void
cohort_ai_answer_view_dispose (GObject *object)
{
  CohortAiAnswerView *self = COHORT_AI_ANSWER_VIEW (object);

  remove_from (self, 0);
  G_OBJECT_CLASS (cohort_ai_answer_view_parent_class)->dispose (object);
}

static void
cohort_ai_answer_view_finalize (GObject *object)
{
  CohortAiAnswerView *self = COHORT_AI_ANSWER_VIEW (object);

  g_free (self->markdown);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->widgets, g_ptr_array_unref);
  G_OBJECT_CLASS (cohort_ai_answer_view_parent_class)->finalize (object);
}

static void
cohort_ai_answer_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CohortAiAnswerView *self = COHORT_AI_ANSWER_VIEW (object);

  switch (prop_id)
    {
    case PROP_MARKDOWN:
      g_value_set_string (value, self->markdown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_ai_answer_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CohortAiAnswerView *self = COHORT_AI_ANSWER_VIEW (object);

  switch (prop_id)
    {
    case PROP_MARKDOWN:
      cohort_ai_answer_view_set_markdown (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_ai_answer_view_class_init (CohortAiAnswerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_ai_answer_view_dispose;
  object_class->finalize = cohort_ai_answer_view_finalize;
  object_class->get_property = cohort_ai_answer_view_get_property;
  object_class->set_property = cohort_ai_answer_view_set_property;

  properties[PROP_MARKDOWN] =
    g_param_spec_string ("markdown", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CohortAiAnswerView::open-uri:
   * @uri: a link's address, http(s) or mailto
   *
   * The student agreed to open @uri. The default handler opens it in the
   * default browser; a handler that returns %TRUE stops it.
   */
  signals[OPEN_URI] =
    g_signal_new_class_handler ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (cohort_ai_answer_view_real_open_uri),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ai-answer-view");
}

static void
cohort_ai_answer_view_init (CohortAiAnswerView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
  self->markdown = g_strdup ("");
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_ai_block_free);
  self->widgets = g_ptr_array_new ();
}
