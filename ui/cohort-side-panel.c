/* cohort-side-panel.c: the class window's side panel, with a handle to resize it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-side-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cohort-side-panel.h"

/* One arrow key press; with Ctrl, a larger step. */
#define KEY_STEP       16
#define KEY_STEP_LARGE 64

struct _CohortSidePanel
{
  GtkWidget  parent_instance;

  GtkWidget *handle;
  GtkWidget *child;
  int        width;
  int        drag_start_width;
};

G_DEFINE_FINAL_TYPE (CohortSidePanel, cohort_side_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The handle is on the edge that faces the stage: the panel's start. */
static gboolean
handle_at_left (CohortSidePanel *self)
{
  return gtk_widget_get_direction (GTK_WIDGET (self)) != GTK_TEXT_DIR_RTL;
}

static gboolean
folded (CohortSidePanel *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  return ADW_IS_FLAP (parent) && adw_flap_get_folded (ADW_FLAP (parent));
}

/* The widest the panel may be now: beside the stage, the stage keeps
 * more than half the window, and its natural width (or the panel would
 * fold over it mid-drag). */
static int
max_width (CohortSidePanel *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  int limit = COHORT_SIDE_PANEL_MAX_WIDTH;

  if (ADW_IS_FLAP (parent) && !adw_flap_get_folded (ADW_FLAP (parent)) &&
      adw_flap_get_content (ADW_FLAP (parent)) != NULL && gtk_widget_get_width (parent) > 0)
    {
      int content_nat = 0;

      gtk_widget_measure (adw_flap_get_content (ADW_FLAP (parent)), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &content_nat, NULL, NULL);
      /* The stage gets most of the window, and never less than it needs. */
      limit = MIN (limit, gtk_widget_get_width (parent) * 45 / 100);
      limit = MIN (limit, gtk_widget_get_width (parent) - content_nat - 1);
    }
  return MAX (limit, COHORT_SIDE_PANEL_MIN_WIDTH);
}

static void
update_accessible (CohortSidePanel *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->handle),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, (double) COHORT_SIDE_PANEL_MIN_WIDTH,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) COHORT_SIDE_PANEL_MAX_WIDTH,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) self->width,
                                  -1);
}

static void
resize_to (CohortSidePanel *self,
           int              width)
{
  cohort_side_panel_set_width (self, CLAMP (width, COHORT_SIDE_PANEL_MIN_WIDTH, max_width (self)));
}

static void
on_drag_begin (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               CohortSidePanel *self)
{
  self->drag_start_width = self->width;
}

static void
on_drag_update (GtkGestureDrag  *gesture,
                double           offset_x,
                double           offset_y,
                CohortSidePanel *self)
{
  int delta = (int) round (offset_x);

  resize_to (self, self->drag_start_width + (handle_at_left (self) ? -delta : delta));
}

/* Left and Right move the handle, as they would a GtkPaned's. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CohortSidePanel       *self)
{
  int step = (state & GDK_CONTROL_MASK) ? KEY_STEP_LARGE : KEY_STEP;
  int current = self->width;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      resize_to (self, current + (handle_at_left (self) ? step : -step));
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      resize_to (self, current + (handle_at_left (self) ? -step : step));
      return TRUE;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      resize_to (self, COHORT_SIDE_PANEL_MIN_WIDTH);
      return TRUE;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      resize_to (self, COHORT_SIDE_PANEL_MAX_WIDTH);
      return TRUE;
    default:
      return FALSE;
    }
}

/* The handle only resizes the panel beside the stage; folded over it,
 * the panel has the window's width to work with and no edge to drag. */
static void
on_parent_folded (CohortSidePanel *self)
{
  gtk_widget_set_visible (self->handle, !folded (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
cohort_side_panel_root (GtkWidget *widget)
{
  CohortSidePanel *self = COHORT_SIDE_PANEL (widget);
  GtkWidget *parent = gtk_widget_get_parent (widget);

  GTK_WIDGET_CLASS (cohort_side_panel_parent_class)->root (widget);

  if (ADW_IS_FLAP (parent))
    {
      g_signal_connect_object (parent, "notify::folded", G_CALLBACK (on_parent_folded), self,
                               G_CONNECT_SWAPPED);
      on_parent_folded (self);
    }
}

static void
cohort_side_panel_unroot (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (parent != NULL)
    g_signal_handlers_disconnect_by_func (parent, on_parent_folded, widget);

  GTK_WIDGET_CLASS (cohort_side_panel_parent_class)->unroot (widget);
}

/* The handle lies over the edge of the child (whose content has margins
 * there), so the panel is as wide as the width chosen, handle included. */
static void
cohort_side_panel_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CohortSidePanel *self = COHORT_SIDE_PANEL (widget);
  int handle_min = 0, handle_nat = 0, child_min = 0, child_nat = 0;

  if (gtk_widget_should_layout (self->handle))
    gtk_widget_measure (self->handle, orientation, -1, &handle_min, &handle_nat, NULL, NULL);
  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_measure (self->child, orientation, -1, &child_min, &child_nat, NULL, NULL);

  *minimum = MAX (handle_min, child_min);
  *natural = MAX (handle_nat, child_nat);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    return;

  /* Beside the stage, AdwFlap gives the panel its minimum and the stage
   * the rest: the chosen width is the minimum there. Folded over the
   * stage it is not, so that the window can still be 360 px wide; the
   * natural width (AdwFlap's reason to fold) stays the same either way,
   * or the panel would fold and unfold in turn. */
  if (!folded (self))
    *minimum = MAX (*minimum, self->width);
  *natural = MAX (*minimum, self->width);
}

static void
cohort_side_panel_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  CohortSidePanel *self = COHORT_SIDE_PANEL (widget);
  int handle_width = 0;

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_size_allocate (self->child, &(GtkAllocation) { 0, 0, width, height }, -1);
  if (gtk_widget_should_layout (self->handle))
    {
      gtk_widget_measure (self->handle, GTK_ORIENTATION_HORIZONTAL, -1, &handle_width, NULL, NULL, NULL);
      gtk_widget_size_allocate (self->handle,
                                &(GtkAllocation) { handle_at_left (self) ? 0 : width - handle_width, 0,
                                                   handle_width, height },
                                -1);
    }
}

static void
cohort_side_panel_dispose (GObject *object)
{
  CohortSidePanel *self = COHORT_SIDE_PANEL (object);

  g_clear_pointer (&self->handle, gtk_widget_unparent);
  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (cohort_side_panel_parent_class)->dispose (object);
}

static void
cohort_side_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortSidePanel *self = COHORT_SIDE_PANEL (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_side_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CohortSidePanel *self = COHORT_SIDE_PANEL (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      cohort_side_panel_set_child (self, g_value_get_object (value));
      break;
    case PROP_WIDTH:
      cohort_side_panel_set_width (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_side_panel_class_init (CohortSidePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_side_panel_dispose;
  object_class->get_property = cohort_side_panel_get_property;
  object_class->set_property = cohort_side_panel_set_property;
  widget_class->measure = cohort_side_panel_measure;
  widget_class->size_allocate = cohort_side_panel_size_allocate;
  widget_class->root = cohort_side_panel_root;
  widget_class->unroot = cohort_side_panel_unroot;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL,
                      COHORT_SIDE_PANEL_MIN_WIDTH, COHORT_SIDE_PANEL_MAX_WIDTH, 360,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sidepanel");
}

static void
cohort_side_panel_init (CohortSidePanel *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->width = 360;

  /* A separator the user can grab and focus, as GtkPaned's handle is. */
  self->handle = g_object_new (GTK_TYPE_SEPARATOR,
                               "orientation", GTK_ORIENTATION_VERTICAL,
                               "focusable", TRUE,
                               "tooltip-text", _("Drag or use the arrow keys to resize the side panel"),
                               NULL);
  gtk_widget_set_cursor_from_name (self->handle, "col-resize");
  gtk_widget_add_css_class (self->handle, "side-panel-handle");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->handle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Side Panel Width"),
                                  -1);
  gtk_widget_set_parent (self->handle, GTK_WIDGET (self));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (drag), FALSE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (self->handle, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (self->handle, keys);

  update_accessible (self);
}

GtkWidget *
cohort_side_panel_new (void)
{
  return g_object_new (COHORT_TYPE_SIDE_PANEL, NULL);
}

GtkWidget *
cohort_side_panel_get_child (CohortSidePanel *self)
{
  g_return_val_if_fail (COHORT_IS_SIDE_PANEL (self), NULL);

  return self->child;
}

void
cohort_side_panel_set_child (CohortSidePanel *self,
                             GtkWidget       *child)
{
  g_return_if_fail (COHORT_IS_SIDE_PANEL (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      /* Below the handle, which is drawn and picked over it. */
      gtk_widget_insert_before (child, GTK_WIDGET (self), self->handle);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

int
cohort_side_panel_get_width (CohortSidePanel *self)
{
  g_return_val_if_fail (COHORT_IS_SIDE_PANEL (self), 0);

  return self->width;
}

void
cohort_side_panel_set_width (CohortSidePanel *self,
                             int              width)
{
  g_return_if_fail (COHORT_IS_SIDE_PANEL (self));

  width = CLAMP (width, COHORT_SIDE_PANEL_MIN_WIDTH, COHORT_SIDE_PANEL_MAX_WIDTH);
  if (self->width == width)
    return;

  self->width = width;
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
}

GtkWidget *
cohort_side_panel_get_handle (CohortSidePanel *self)
{
  g_return_val_if_fail (COHORT_IS_SIDE_PANEL (self), NULL);

  return self->handle;
}
