/* cohort-link-overlay.c: the link estimators' steps over the stage (debug)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-link-overlay"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-link-overlay.h"
#include "cohort-template.h"

struct _CohortLinkOverlay
{
  GtkWidget          parent_instance;

  GtkLabel          *now_label;
  GtkStack          *steps_stack;
  GtkScrolledWindow *steps_scroller;
  GtkSortListModel  *sorted;

  CohortCall        *call;
  guint              refresh_source;
};

enum {
  PROP_0,
  PROP_CALL,
  PROP_N_STEPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CohortLinkOverlay, cohort_link_overlay, GTK_TYPE_WIDGET)

/* Who a feed is, for a line of the overlay: "Ms Li (camera)", or its id
 * when the feed has gone. */
static char *
feed_label (CohortLinkOverlay *self,
            gint64             feed_id)
{
  CohortFeed *feed = self != NULL && self->call != NULL ? cohort_call_lookup_feed (self->call, feed_id) : NULL;
  CohortParticipant *p;

  if (feed == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, feed_id);
  p = cohort_roster_lookup (cohort_session_get_roster (cohort_call_get_session (self->call)),
                            cohort_feed_get_participant_id (feed));
  return g_strdup_printf ("%s (%s)", p != NULL ? cohort_participant_get_name (p) : "?", cohort_feed_get_kind (feed));
}

static char *
layer_label (guint layer)
{
  return layer == COHORT_LINK_LAYER_PAUSED ? g_strdup ("paused") : g_strdup_printf ("%u", layer);
}

/* One step, for the list's label (the .ui's closure; @instance is the
 * GtkListItem). The figures are for whoever debugs, in the estimator's
 * own terms; the column names above them are translated. */
static char *
link_overlay_step_line (gpointer        instance,
                        CohortLinkStep *step)
{
  GtkWidget *child = GTK_IS_LIST_ITEM (instance) ? gtk_list_item_get_child (instance) : NULL;
  GtkWidget *overlay = child != NULL ? gtk_widget_get_ancestor (child, COHORT_TYPE_LINK_OVERLAY) : NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (step == NULL)
    return g_strdup ("");

  when = g_date_time_new_from_unix_local (cohort_link_step_get_time (step) / G_USEC_PER_SEC);
  time = when != NULL ? g_date_time_format (when, "%H:%M:%S") : g_strdup ("--:--:--");
  feed = feed_label (overlay != NULL ? COHORT_LINK_OVERLAY (overlay) : NULL, cohort_link_step_get_feed_id (step));
  from = layer_label (cohort_link_step_get_from_layer (step));
  to = layer_label (cohort_link_step_get_layer (step));

  return g_strdup_printf ("%s · %s · %s → %s · %s · %.1f %% · %.0f kbit/s · %s",
                          time, feed, from, to,
                          cohort_link_quality_to_string (cohort_link_step_get_quality (step)),
                          cohort_link_step_get_loss (step) * 100, cohort_link_step_get_kbps (step),
                          cohort_link_step_get_reason (step));
}

/* Each subscription's last second. */
static void
refresh_now (CohortLinkOverlay *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GListModel *feeds;

  if (self->call == NULL)
    {
      gtk_label_set_label (self->now_label, "");
      return;
    }

  feeds = cohort_call_get_feeds (self->call);
  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);
      gint64 feed_id = cohort_feed_get_feed_id (feed);
      g_autofree char *summary = cohort_call_dup_link_summary (self->call, feed_id);
      g_autofree char *label = NULL;

      if (summary == NULL)
        continue;
      label = feed_label (self, feed_id);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s: %s", label, summary);
    }
  if (text->len == 0)
    g_string_append (text, _("No video is received yet."));
  gtk_label_set_label (self->now_label, text->str);
}

static gboolean
refresh_cb (gpointer user_data)
{
  refresh_now (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_steps_changed (CohortLinkOverlay *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));

  gtk_stack_set_visible_child_name (self->steps_stack, n > 0 ? "list" : "empty");
  /* The newest step is the first row: keep it in view. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->steps_scroller), 0);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STEPS]);
}

/* Only while shown: a hidden overlay costs nothing. */
static void
cohort_link_overlay_map (GtkWidget *widget)
{
  CohortLinkOverlay *self = COHORT_LINK_OVERLAY (widget);

  GTK_WIDGET_CLASS (cohort_link_overlay_parent_class)->map (widget);
  refresh_now (self);
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_seconds (1, refresh_cb, self);
}

static void
cohort_link_overlay_unmap (GtkWidget *widget)
{
  CohortLinkOverlay *self = COHORT_LINK_OVERLAY (widget);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  GTK_WIDGET_CLASS (cohort_link_overlay_parent_class)->unmap (widget);
}

void
cohort_link_overlay_set_call (CohortLinkOverlay *self,
                              CohortCall        *call)
{
  g_return_if_fail (COHORT_IS_LINK_OVERLAY (self));
  g_return_if_fail (call == NULL || COHORT_IS_CALL (call));

  if (self->call == call)
    return;

  g_set_object (&self->call, call);
  gtk_sort_list_model_set_model (self->sorted, call != NULL ? cohort_call_get_link_steps (call) : NULL);
  on_steps_changed (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL]);
}

CohortCall *
cohort_link_overlay_get_call (CohortLinkOverlay *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_OVERLAY (self), NULL);

  return self->call;
}

guint
cohort_link_overlay_get_n_steps (CohortLinkOverlay *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_OVERLAY (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

static void
cohort_link_overlay_dispose (GObject *object)
{
  CohortLinkOverlay *self = COHORT_LINK_OVERLAY (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->sorted != NULL)
    g_signal_handlers_disconnect_by_data (self->sorted, self);
  g_clear_object (&self->call);
  cohort_template_dispose (GTK_WIDGET (self), COHORT_TYPE_LINK_OVERLAY);

  G_OBJECT_CLASS (cohort_link_overlay_parent_class)->dispose (object);
}

static void
cohort_link_overlay_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortLinkOverlay *self = COHORT_LINK_OVERLAY (object);

  switch (prop_id)
    {
    case PROP_CALL:
      g_value_set_object (value, self->call);
      break;
    case PROP_N_STEPS:
      g_value_set_uint (value, cohort_link_overlay_get_n_steps (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_link_overlay_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CohortLinkOverlay *self = COHORT_LINK_OVERLAY (object);

  switch (prop_id)
    {
    case PROP_CALL:
      cohort_link_overlay_set_call (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_link_overlay_class_init (CohortLinkOverlayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_link_overlay_dispose;
  object_class->get_property = cohort_link_overlay_get_property;
  object_class->set_property = cohort_link_overlay_set_property;
  widget_class->map = cohort_link_overlay_map;
  widget_class->unmap = cohort_link_overlay_unmap;

  properties[PROP_CALL] =
    g_param_spec_object ("call", NULL, NULL, COHORT_TYPE_CALL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_STEPS] =
    g_param_spec_uint ("n-steps", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (COHORT_TYPE_LINK_STEP);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-link-overlay.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortLinkOverlay, now_label);
  gtk_widget_class_bind_template_child (widget_class, CohortLinkOverlay, steps_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortLinkOverlay, steps_scroller);
  gtk_widget_class_bind_template_child (widget_class, CohortLinkOverlay, sorted);
  gtk_widget_class_bind_template_callback (widget_class, link_overlay_step_line);
  gtk_widget_class_set_css_name (widget_class, "linkoverlay");
}

static void
cohort_link_overlay_init (CohortLinkOverlay *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (on_steps_changed), self, G_CONNECT_SWAPPED);
  on_steps_changed (self);
}

GtkWidget *
cohort_link_overlay_new (void)
{
  return g_object_new (COHORT_TYPE_LINK_OVERLAY, NULL);
}
