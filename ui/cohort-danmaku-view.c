/* cohort-danmaku-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-danmaku-view"

#include "config.h"

#include <math.h>

#include "cohort-danmaku-view.h"

#define MAX_ON_SCREEN     50
#define MAX_QUEUED        30
#define LANE_GAP_PX       24
#define BASE_SPEED        110.0     /* px/s for a short comment */
#define SPEED_PER_CHAR    2.5       /* extra px/s per character */
#define MAX_SPEED         320.0
#define MAX_CHARS         60
#define REACTION_MS       2600
#define MAX_REACTIONS     40

typedef struct
{
  PangoLayout *layout;
  int          width;
  int          height;
  guint        lane;
  double       x;              /* left edge, px from the widget's left */
  double       speed;          /* px/s */
  gboolean     own;
} Comment;

typedef struct
{
  PangoLayout *layout;
  double       x_frac;
  double       age_ms;
  double       drift;
} Reaction;

struct _CohortDanmakuView
{
  GtkWidget  parent_instance;

  GPtrArray *comments;         /* Comment */
  GQueue    *queue;            /* char *, "1" or "0" prefix for own */
  GPtrArray *reactions;        /* Reaction */
  /* per lane: the right edge of the last comment that entered it */
  GArray    *lane_tail;
  guint      tick_id;
  gint64     last_frame_us;
  gboolean   show_comments;
  double     density;
  guint      max_on_screen;
};

G_DEFINE_FINAL_TYPE (CohortDanmakuView, cohort_danmaku_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_COMMENTS,
  PROP_DENSITY,
  PROP_MAX_ON_SCREEN,
  PROP_N_ON_SCREEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
comment_free (Comment *c)
{
  g_clear_object (&c->layout);
  g_free (c);
}

static void
reaction_free (Reaction *r)
{
  g_clear_object (&r->layout);
  g_free (r);
}

static int
line_height (CohortDanmakuView *self)
{
  g_autoptr(PangoLayout) probe = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");
  int h = 0;

  pango_layout_get_pixel_size (probe, NULL, &h);
  return MAX (h, 12) + 8;
}

static guint
n_lanes (CohortDanmakuView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint all;

  if (height <= 0)
    return 0;
  /* The lower fifth stays free for captions and controls. */
  all = MAX (1, (guint) ((height * 0.8) / line_height (self)));
  return MAX (1, (guint) (all * self->density + 0.5));
}

static guint
cap (CohortDanmakuView *self)
{
  return MAX (1, (guint) (self->max_on_screen * self->density + 0.5));
}

static void
ensure_ticking (CohortDanmakuView *self);

/* Puts the next queued comment in a free lane, if one is free. */
static gboolean
launch (CohortDanmakuView *self,
        const char        *text,
        gboolean           own)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  guint lanes = n_lanes (self);
  g_autofree char *shown = NULL;
  Comment *c;
  glong n_chars;

  if (width <= 0 || lanes == 0 || self->comments->len >= cap (self))
    return FALSE;

  if (self->lane_tail->len < lanes)
    {
      guint old = self->lane_tail->len;

      g_array_set_size (self->lane_tail, lanes);
      for (guint i = old; i < lanes; i++)
        g_array_index (self->lane_tail, double, i) = -1;
    }

  n_chars = g_utf8_strlen (text, -1);
  if (n_chars > MAX_CHARS)
    {
      g_autofree char *head = g_utf8_substring (text, 0, MAX_CHARS - 1);

      shown = g_strconcat (head, "…", NULL);
      n_chars = MAX_CHARS;
    }
  else
    shown = g_strdup (text);

  /* Newlines fly as spaces. */
  g_strdelimit (shown, "\n", ' ');

  c = g_new0 (Comment, 1);
  c->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_text (c->layout, shown, -1);   /* text, never markup */
  pango_layout_get_pixel_size (c->layout, &c->width, &c->height);
  c->speed = MIN (MAX_SPEED, BASE_SPEED + SPEED_PER_CHAR * n_chars + c->width * 0.05);
  c->own = own;
  c->x = width;

  /* The first lane whose last comment has fully entered and will not be
   * caught: the new one, faster or not, must not reach it before it
   * leaves. */
  for (guint lane = 0; lane < lanes; lane++)
    {
      double tail = g_array_index (self->lane_tail, double, lane);
      gboolean free = TRUE;

      for (guint i = 0; i < self->comments->len && free; i++)
        {
          Comment *o = g_ptr_array_index (self->comments, i);
          double gap, catch_time, leave_time;

          if (o->lane != lane)
            continue;
          gap = width - (o->x + o->width);
          if (gap < LANE_GAP_PX)
            free = FALSE;
          else if (c->speed > o->speed)
            {
              catch_time = (gap - LANE_GAP_PX) / (c->speed - o->speed);
              leave_time = (o->x + o->width) / o->speed;
              if (catch_time < leave_time)
                free = FALSE;
            }
        }
      (void) tail;

      if (free)
        {
          c->lane = lane;
          g_ptr_array_add (self->comments, c);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ON_SCREEN]);
          ensure_ticking (self);
          return TRUE;
        }
    }

  comment_free (c);
  return FALSE;
}

static void
drain_queue (CohortDanmakuView *self)
{
  while (!g_queue_is_empty (self->queue))
    {
      char *item = g_queue_peek_head (self->queue);

      if (!launch (self, item + 1, item[0] == '1'))
        break;
      g_free (g_queue_pop_head (self->queue));
    }
}

static void
step (CohortDanmakuView *self,
      double             dt_ms)
{
  gboolean removed = FALSE;

  for (guint i = 0; i < self->comments->len;)
    {
      Comment *c = g_ptr_array_index (self->comments, i);

      c->x -= c->speed * dt_ms / 1000.0;
      if (c->x + c->width < 0)
        {
          g_ptr_array_remove_index (self->comments, i);
          removed = TRUE;
          continue;
        }
      i++;
    }

  for (guint i = 0; i < self->reactions->len;)
    {
      Reaction *r = g_ptr_array_index (self->reactions, i);

      r->age_ms += dt_ms;
      if (r->age_ms > REACTION_MS)
        {
          g_ptr_array_remove_index (self->reactions, i);
          continue;
        }
      i++;
    }

  drain_queue (self);
  if (removed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ON_SCREEN]);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  CohortDanmakuView *self = COHORT_DANMAKU_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double dt_ms = self->last_frame_us > 0 ? (now - self->last_frame_us) / 1000.0 : 0;

  self->last_frame_us = now;
  step (self, MIN (dt_ms, 100.0));
  gtk_widget_queue_draw (widget);

  if (self->comments->len == 0 && self->reactions->len == 0 && g_queue_is_empty (self->queue))
    {
      self->tick_id = 0;
      self->last_frame_us = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ensure_ticking (CohortDanmakuView *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

static void
cohort_danmaku_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  CohortDanmakuView *self = COHORT_DANMAKU_VIEW (widget);
  int height = gtk_widget_get_height (widget);
  int width = gtk_widget_get_width (widget);
  int lh = line_height (self);
  GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA shadow = { 0, 0, 0, 0.75 };
  GdkRGBA own_bg = { 0.21, 0.52, 0.89, 0.55 };

  if (self->show_comments)
    for (guint i = 0; i < self->comments->len; i++)
      {
        Comment *c = g_ptr_array_index (self->comments, i);
        float y = 8 + c->lane * lh;

        if (c->own)
          {
            GskRoundedRect rect;

            gsk_rounded_rect_init_from_rect (&rect,
                                             &GRAPHENE_RECT_INIT (c->x - 6, y - 2, c->width + 12,
                                                                  c->height + 4),
                                             (c->height + 4) / 2.0);
            gtk_snapshot_push_rounded_clip (snapshot, &rect);
            gtk_snapshot_append_color (snapshot, &own_bg, &rect.bounds);
            gtk_snapshot_pop (snapshot);
          }

        /* A soft shadow keeps the text readable on any video. */
        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (c->x + 1, y + 1));
        gtk_snapshot_append_layout (snapshot, c->layout, &shadow);
        gtk_snapshot_restore (snapshot);
        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (c->x, y));
        gtk_snapshot_append_layout (snapshot, c->layout, &white);
        gtk_snapshot_restore (snapshot);
      }

  for (guint i = 0; i < self->reactions->len; i++)
    {
      Reaction *r = g_ptr_array_index (self->reactions, i);
      double t = r->age_ms / REACTION_MS;
      double x = width * r->x_frac + sin (t * 6.0 + r->drift) * 12.0;
      double y = height - 40 - t * height * 0.55;
      GdkRGBA color = { 1, 1, 1, t < 0.7 ? 1.0 : (1.0 - t) / 0.3 };
      int w = 0, h = 0;

      pango_layout_get_pixel_size (r->layout, &w, &h);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - w / 2.0, y - h / 2.0));
      gtk_snapshot_append_layout (snapshot, r->layout, &color);
      gtk_snapshot_restore (snapshot);
    }
}

void
cohort_danmaku_view_add_comment (CohortDanmakuView *self,
                                 const char        *text,
                                 gboolean           own)
{
  g_return_if_fail (COHORT_IS_DANMAKU_VIEW (self));
  g_return_if_fail (text != NULL);

  if (!self->show_comments)
    return;
  if (launch (self, text, own))
    return;

  if (g_queue_get_length (self->queue) >= MAX_QUEUED)
    g_free (g_queue_pop_head (self->queue));       /* the oldest waits longest: drop it */
  g_queue_push_tail (self->queue, g_strconcat (own ? "1" : "0", text, NULL));
  ensure_ticking (self);
}

void
cohort_danmaku_view_add_reaction (CohortDanmakuView *self,
                                  const char        *emoji)
{
  Reaction *r;
  PangoFontDescription *font;

  g_return_if_fail (COHORT_IS_DANMAKU_VIEW (self));

  if (self->reactions->len >= MAX_REACTIONS)
    g_ptr_array_remove_index (self->reactions, 0);

  r = g_new0 (Reaction, 1);
  r->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_text (r->layout, emoji, -1);
  font = pango_font_description_from_string ("28px");
  pango_layout_set_font_description (r->layout, font);
  pango_font_description_free (font);
  r->x_frac = 0.72 + g_random_double_range (0, 0.22);
  r->drift = g_random_double_range (0, G_PI * 2);
  g_ptr_array_add (self->reactions, r);
  ensure_ticking (self);
}

guint
cohort_danmaku_view_get_n_on_screen (CohortDanmakuView *self)
{
  return self->comments->len;
}

void
cohort_danmaku_view_advance (CohortDanmakuView *self,
                             guint              ms)
{
  for (guint done = 0; done < ms; done += 16)
    step (self, MIN (16, ms - done));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_show_comments (CohortDanmakuView *self,
                   gboolean           show)
{
  show = !!show;
  if (self->show_comments == show)
    return;
  self->show_comments = show;
  if (!show)
    {
      g_ptr_array_set_size (self->comments, 0);
      g_queue_clear_full (self->queue, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ON_SCREEN]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_COMMENTS]);
}

static void
cohort_danmaku_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortDanmakuView *self = COHORT_DANMAKU_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_COMMENTS: g_value_set_boolean (value, self->show_comments); break;
    case PROP_DENSITY: g_value_set_double (value, self->density); break;
    case PROP_MAX_ON_SCREEN: g_value_set_uint (value, self->max_on_screen); break;
    case PROP_N_ON_SCREEN: g_value_set_uint (value, self->comments->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_danmaku_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CohortDanmakuView *self = COHORT_DANMAKU_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_COMMENTS:
      set_show_comments (self, g_value_get_boolean (value));
      break;
    case PROP_DENSITY:
      if (self->density != g_value_get_double (value))
        {
          self->density = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_MAX_ON_SCREEN:
      self->max_on_screen = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_danmaku_view_dispose (GObject *object)
{
  CohortDanmakuView *self = COHORT_DANMAKU_VIEW (object);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_pointer (&self->comments, g_ptr_array_unref);
  g_clear_pointer (&self->reactions, g_ptr_array_unref);
  if (self->queue != NULL)
    {
      g_queue_free_full (self->queue, g_free);
      self->queue = NULL;
    }
  g_clear_pointer (&self->lane_tail, g_array_unref);

  G_OBJECT_CLASS (cohort_danmaku_view_parent_class)->dispose (object);
}

static void
cohort_danmaku_view_class_init (CohortDanmakuViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_danmaku_view_dispose;
  object_class->get_property = cohort_danmaku_view_get_property;
  object_class->set_property = cohort_danmaku_view_set_property;
  widget_class->snapshot = cohort_danmaku_view_snapshot;

  properties[PROP_SHOW_COMMENTS] =
    g_param_spec_boolean ("show-comments", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DENSITY] =
    g_param_spec_double ("density", NULL, NULL, 0.1, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_ON_SCREEN] =
    g_param_spec_uint ("max-on-screen", NULL, NULL, 1, 500, MAX_ON_SCREEN,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ON_SCREEN] =
    g_param_spec_uint ("n-on-screen", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "danmaku");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
cohort_danmaku_view_init (CohortDanmakuView *self)
{
  self->comments = g_ptr_array_new_with_free_func ((GDestroyNotify) comment_free);
  self->reactions = g_ptr_array_new_with_free_func ((GDestroyNotify) reaction_free);
  self->queue = g_queue_new ();
  self->lane_tail = g_array_new (FALSE, TRUE, sizeof (double));
  self->show_comments = TRUE;
  self->density = 1.0;
  self->max_on_screen = MAX_ON_SCREEN;
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
cohort_danmaku_view_new (void)
{
  return g_object_new (COHORT_TYPE_DANMAKU_VIEW, NULL);
}
