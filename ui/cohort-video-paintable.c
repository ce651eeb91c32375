/* cohort-video-paintable.c: a GdkPaintable showing the newest frame of a video sink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-video-paintable"

#include "config.h"

#include <gst/app/app.h>
#include <gst/gl/gl.h>
#include <gst/video/video.h>
#include <unistd.h>

#include "cohort-video-gl.h"
#include "cohort-video-paintable.h"

/* Shared by the paintable (main thread) and one appsink (its streaming
 * thread). Reference counted: a sink may outlive the paintable. */
typedef struct
{
  GMutex        lock;
  GstSample    *pending;    /* the newest frame not shown yet */
  gboolean      scheduled;  /* an upload idle is pending */
  GWeakRef      paintable;
  GMainContext *context;
  gboolean      detached;   /* a newer sink replaced this one */
  gboolean      gl;         /* GL memory: needs a sync point per frame */
  GstElement   *size;       /* the capsfilter that sets the output size */
  int           source_width;   /* of the decoded picture, pixel aspect applied */
  int           source_height;
  int           target_width;   /* what the size capsfilter asks for, 0: any */
  int           target_height;

  /* Frames the screen cannot show are dropped before conversion: once
   * the paintable was drawn, a frame passes only if the one before it was
   * drawn (or a second went by, so a hidden paintable keeps its state). */
  gint          armed;      /* atomic: drawn at least once */
  gint          wanted;     /* atomic: the last frame passed was drawn */
  gint64        passed_us;  /* streaming thread only */
  gint          skipped;    /* atomic: frames dropped before conversion */
} Slot;

struct _CohortVideoPaintable
{
  GObject     parent_instance;

  Slot       *slot;
  GdkTexture *texture;
  cairo_surface_t *surface;          /* cairo: the same frame, to blit */
  cairo_surface_t *previous_surface; /* the frame before, still in a node */
  int         width;        /* display size: pixel aspect applied */
  int         height;
  guint       frames;
  guint       presented;    /* frames drawn at least once */
  gboolean    sharp;        /* text: a sharper scaling filter */
  CohortVideoPath path;     /* of the newest sink */
  gboolean    drawn;        /* the current texture was drawn */
  double      drawn_width;  /* the largest size it was drawn at */
  double      drawn_height;
};

enum {
  PROP_0,
  PROP_HAS_FRAME,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_FRAMES,
  PROP_FRAMES_PRESENTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cohort_video_paintable_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortVideoPaintable, cohort_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      cohort_video_paintable_paintable_init))

/* Display statistics for bench/ (COHORT_DISPLAY_STATS=FILE): once a
 * second, the process id and the frames every paintable presented, so a
 * benchmark can measure the real app from outside. */

static gint presented_total;
/* Frames that reached a sink, drawn or not: presented over arrived is
 * what the display itself loses, whatever the sender managed. */
static gint arrived_total;
/* The largest size a paintable was drawn at since the last write (main
 * thread only). */
static int drawn_width, drawn_height;

static gboolean
stats_write (gpointer data)
{
  const char *path = data;
  g_autofree char *text = g_strdup_printf ("pid=%d presented=%u arrived=%u tile=%dx%d\n", (int) getpid (),
                                           (guint) g_atomic_int_get (&presented_total),
                                           (guint) g_atomic_int_get (&arrived_total),
                                           drawn_width, drawn_height);

  drawn_width = drawn_height = 0;

  g_file_set_contents (path, text, -1, NULL);
  return G_SOURCE_CONTINUE;
}

static void
stats_start (void)
{
  const char *path = g_getenv ("COHORT_DISPLAY_STATS");

  if (path != NULL && *path != '\0')
    g_timeout_add_seconds_full (G_PRIORITY_LOW, 1, stats_write, g_strdup (path), g_free);
}

/* Slot */

static Slot *
slot_new (CohortVideoPaintable *paintable)
{
  Slot *slot = g_atomic_rc_box_new0 (Slot);

  g_mutex_init (&slot->lock);
  g_weak_ref_init (&slot->paintable, paintable);
  slot->context = g_main_context_ref_thread_default ();
  return slot;
}

static void
slot_clear (gpointer data)
{
  Slot *slot = data;

  g_clear_pointer (&slot->pending, gst_sample_unref);
  gst_clear_object (&slot->size);
  g_weak_ref_clear (&slot->paintable);
  g_main_context_unref (slot->context);
  g_mutex_clear (&slot->lock);
}

static Slot *
slot_ref (Slot *slot)
{
  return g_atomic_rc_box_acquire (slot);
}

static void
slot_unref (gpointer slot)
{
  g_atomic_rc_box_release_full (slot, slot_clear);
}

/* Upload (main thread) */

/* A mapped frame, shared by its texture and (cairo) its surface: the
 * buffer goes back to its pool when the last of them is dropped. */
typedef struct
{
  GstBuffer  *buffer;
  GstMapInfo  map;
} Mapping;

static void
mapping_clear (gpointer data)
{
  Mapping *m = data;

  gst_buffer_unmap (m->buffer, &m->map);
  gst_buffer_unref (m->buffer);
}

static void
mapping_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, mapping_clear);
}

static const cairo_user_data_key_t mapping_key;

/* Whether GSK draws with cairo: GSK_RENDERER=cairo, or GDK without GL
 * (GTK then falls back to cairo). GTK 4.8 draws a memory texture in
 * cairo by converting every pixel to floats and back (gdk_memory_convert
 * has no same-format shortcut): 7–15 ms for a 954×537 frame here, more
 * than decoding it. A cairo image surface over the frame is blitted. */
static gboolean
renderer_is_cairo (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0)
    return TRUE;
  return display != NULL && !gdk_display_prepare_gl (display, NULL);
}

/* A memory texture over the mapped buffer (no copy: the texture holds
 * the decoded buffer until it is replaced) and, for cairo, an image
 * surface over the same bytes. */
static GdkTexture *
memory_texture (GstSample        *sample,
                GstVideoInfo     *info,
                cairo_surface_t **surface)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  g_autoptr(GBytes) bytes = NULL;
  GstVideoMeta *meta;
  Mapping *m;
  gsize stride, offset;
  int width = GST_VIDEO_INFO_WIDTH (info);
  int height = GST_VIDEO_INFO_HEIGHT (info);

  if (GST_VIDEO_INFO_FORMAT (info) != GST_VIDEO_FORMAT_BGRA)
    return NULL;

  stride = GST_VIDEO_INFO_PLANE_STRIDE (info, 0);
  offset = GST_VIDEO_INFO_PLANE_OFFSET (info, 0);
  meta = gst_buffer_get_video_meta (buffer);
  if (meta != NULL)
    {
      stride = meta->stride[0];
      offset = meta->offset[0];
    }

  m = g_atomic_rc_box_new0 (Mapping);
  m->buffer = gst_buffer_ref (buffer);
  if (!gst_buffer_map (m->buffer, &m->map, GST_MAP_READ) ||
      m->map.size < offset + stride * height)
    {
      gst_buffer_unref (m->buffer);
      g_atomic_rc_box_release (m);
      return NULL;
    }

  if (surface != NULL && stride % 4 == 0 && stride <= G_MAXINT)
    {
      /* RGB24 is BGRx in memory: opaque, so cairo blits it instead of
       * blending. Read only, whatever the type says. */
      *surface = cairo_image_surface_create_for_data (m->map.data + offset, CAIRO_FORMAT_RGB24,
                                                      width, height, (int) stride);
      if (cairo_surface_status (*surface) == CAIRO_STATUS_SUCCESS)
        cairo_surface_set_user_data (*surface, &mapping_key, g_atomic_rc_box_acquire (m), mapping_unref);
      else
        g_clear_pointer (surface, cairo_surface_destroy);
    }

  bytes = g_bytes_new_with_free_func (m->map.data + offset, stride * height, mapping_unref, m);
  /* GStreamer's BGRA is B, G, R, A in memory, like GDK's B8G8R8A8; the
   * alpha is opaque, so premultiplied or not is the same picture. */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);
}

static void
upload (CohortVideoPaintable *self,
        GstSample            *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstCapsFeatures *features;
  GdkTexture *texture;
  cairo_surface_t *surface = NULL;
  GstVideoInfo info;
  int width, height;
  gboolean size_changed;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps))
    return;

  features = gst_caps_get_features (caps, 0);
  if (features != NULL && gst_caps_features_contains (features, GST_CAPS_FEATURE_MEMORY_GL_MEMORY))
    texture = cohort_video_gl_texture (sample);
  else
    texture = memory_texture (sample, &info, renderer_is_cairo () ? &surface : NULL);
  if (texture == NULL)
    return;

  g_clear_object (&self->texture);
  self->texture = texture;
  /* The node drawn last still shows the surface before: a recording of
   * it holds a copy-on-write snapshot, which would copy the frame if the
   * surface went first. Kept until GTK has drawn a newer one. */
  g_clear_pointer (&self->previous_surface, cairo_surface_destroy);
  self->previous_surface = g_steal_pointer (&self->surface);
  self->surface = surface;

  /* The intrinsic size is the decoded picture's, not the size the sink
   * scaled it to for the tile: the layout must not follow the scaling. */
  width = GST_VIDEO_INFO_WIDTH (&info);
  height = GST_VIDEO_INFO_HEIGHT (&info);
  if (GST_VIDEO_INFO_PAR_N (&info) > 0 && GST_VIDEO_INFO_PAR_D (&info) > 0)
    width = (int) gst_util_uint64_scale_int (width, GST_VIDEO_INFO_PAR_N (&info), GST_VIDEO_INFO_PAR_D (&info));
  if (self->slot != NULL)
    {
      g_mutex_lock (&self->slot->lock);
      if (self->slot->source_width > 0 && self->slot->source_height > 0)
        {
          width = self->slot->source_width;
          height = self->slot->source_height;
        }
      g_mutex_unlock (&self->slot->lock);
    }

  size_changed = width != self->width || height != self->height;
  self->width = width;
  self->height = height;
  self->frames++;
  self->drawn = FALSE;
  self->drawn_width = self->drawn_height = 0;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->frames == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FRAME]);
  if (size_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
      gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMES]);
  g_object_thaw_notify (G_OBJECT (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

static gboolean
upload_idle (gpointer data)
{
  Slot *slot = data;
  g_autoptr(CohortVideoPaintable) self = g_weak_ref_get (&slot->paintable);
  GstSample *sample;
  gboolean detached;

  g_mutex_lock (&slot->lock);
  sample = g_steal_pointer (&slot->pending);
  slot->scheduled = FALSE;
  detached = slot->detached;
  g_mutex_unlock (&slot->lock);

  if (self != NULL && sample != NULL && !detached)
    upload (self, sample);
  g_clear_pointer (&sample, gst_sample_unref);

  return G_SOURCE_REMOVE;
}

/* Streaming thread */

/* On the sink's input, before any conversion: the source size, and the
 * frames nobody will see. */
static GstPadProbeReturn
on_sink_input (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  Slot *slot = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
      GstCaps *caps;
      GstVideoInfo vinfo;

      if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS)
        {
          gst_event_parse_caps (event, &caps);
          if (gst_video_info_from_caps (&vinfo, caps))
            {
              int width = GST_VIDEO_INFO_WIDTH (&vinfo);

              if (GST_VIDEO_INFO_PAR_N (&vinfo) > 0 && GST_VIDEO_INFO_PAR_D (&vinfo) > 0)
                width = (int) gst_util_uint64_scale_int (width, GST_VIDEO_INFO_PAR_N (&vinfo),
                                                         GST_VIDEO_INFO_PAR_D (&vinfo));
              g_mutex_lock (&slot->lock);
              slot->source_width = width;
              slot->source_height = GST_VIDEO_INFO_HEIGHT (&vinfo);
              g_mutex_unlock (&slot->lock);
            }
        }
      return GST_PAD_PROBE_OK;
    }

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      gint64 now = g_get_monotonic_time ();

      g_atomic_int_inc (&arrived_total);
      /* Not drawn since the last frame passed: the tile is hidden, the
       * window minimised, or the screen slower than the feed. Converting
       * this frame would be wasted; one a second still passes. */
      if (g_atomic_int_get (&slot->armed) && !g_atomic_int_get (&slot->wanted) &&
          now - slot->passed_us < G_USEC_PER_SEC)
        {
          g_atomic_int_inc (&slot->skipped);
          return GST_PAD_PROBE_DROP;
        }
      g_atomic_int_set (&slot->wanted, FALSE);
      slot->passed_us = now;
    }

  return GST_PAD_PROBE_OK;
}

static GstFlowReturn
on_new_sample (GstAppSink *appsink,
               gpointer    user_data)
{
  Slot *slot = user_data;
  GstSample *sample = gst_app_sink_pull_sample (appsink);
  GstSample *dropped;
  gboolean schedule;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (slot->gl)
    sample = cohort_video_gl_prepare (sample);

  g_mutex_lock (&slot->lock);
  /* The latest-frame slot: a frame the main thread has not taken yet is
   * replaced, never queued behind. */
  dropped = g_steal_pointer (&slot->pending);
  slot->pending = sample;
  schedule = !slot->scheduled && !slot->detached;
  if (schedule)
    slot->scheduled = TRUE;
  g_mutex_unlock (&slot->lock);

  g_clear_pointer (&dropped, gst_sample_unref);

  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      /* Above GTK's redraw, so the frame is there when the clock ticks. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, upload_idle, slot_ref (slot), slot_unref);
      g_source_set_static_name (source, "[cohort] video frame");
      g_source_attach (source, slot->context);
      g_source_unref (source);
    }

  return GST_FLOW_OK;
}

/* Sizing (main thread) */

static int
display_scale (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  GListModel *monitors = display != NULL ? gdk_display_get_monitors (display) : NULL;
  int scale = 1;

  /* The largest monitor scale: a tile on a HiDPI screen needs its
   * device pixels, and a picture a bit too big costs little. */
  for (guint i = 0; monitors != NULL && i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);

      scale = MAX (scale, gdk_monitor_get_scale_factor (monitor));
    }
  return scale;
}

/* The output size for a picture of @source_width x @source_height drawn
 * in a @width x @height box of device pixels: the picture fitted into
 * the box, never larger than the source, in whole pixels.
 * Returns FALSE when the source itself is the answer (no scaling). */
gboolean
cohort_video_paintable_fit (int     source_width,
                            int     source_height,
                            double  width,
                            double  height,
                            int    *out_width,
                            int    *out_height)
{
  double ratio;
  int w, h;

  if (source_width <= 0 || source_height <= 0 || width < 1 || height < 1)
    return FALSE;

  ratio = MIN (width / source_width, height / source_height);
  if (ratio >= 1.0)
    return FALSE;

  /* The nearest whole pixels (BGRA has no chroma subsampling to want
   * even sizes): the widget's own size, so the texture is copied, not
   * resampled, when drawn. */
  w = (int) (source_width * ratio + 0.5);
  h = (int) (source_height * ratio + 0.5);
  w = CLAMP (w, 2, source_width);
  h = CLAMP (h, 2, source_height);
  if (w >= source_width - 1 && h >= source_height - 1)
    return FALSE;
  *out_width = w;
  *out_height = h;
  return TRUE;
}

/* @width x @height: device pixels. */
static void
fit_to (CohortVideoPaintable *self,
        double                width,
        double                height)
{
  Slot *slot = self->slot;
  int w = 0, h = 0;
  gboolean changed;
  GstElement *size = NULL;

  g_mutex_lock (&slot->lock);
  if (!cohort_video_paintable_fit (slot->source_width, slot->source_height, width, height, &w, &h))
    w = h = 0;
  /* A pixel of rounding either way is not worth a renegotiation; more
   * is, as the texture is then resampled when drawn. */
  changed = (w == 0) != (slot->target_width == 0) ||
            ABS (w - slot->target_width) > 1 || ABS (h - slot->target_height) > 1;
  if (changed)
    {
      slot->target_width = w;
      slot->target_height = h;
      if (slot->size != NULL)
        size = gst_object_ref (slot->size);
    }
  g_mutex_unlock (&slot->lock);

  if (size != NULL)
    {
      g_autoptr(GstCaps) caps = NULL;

      if (w > 0)
        caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "BGRA",
                                    "width", G_TYPE_INT, w, "height", G_TYPE_INT, h,
                                    "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
      else
        caps = gst_caps_from_string ("video/x-raw,format=BGRA");
      /* capsfilter asks upstream to renegotiate: the next frame is
       * converted and scaled in one pass at this size. */
      g_object_set (size, "caps", caps, NULL);
      gst_object_unref (size);
    }
}

/* GdkPaintable */

static void
draw_frame (CohortVideoPaintable *self,
            GdkSnapshot          *snapshot,
            double                width,
            double                height)
{
  cairo_t *cr;

  if (self->surface == NULL)
    {
      gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
      return;
    }

  /* cairo: the frame's own surface, blitted when it is drawn at its
   * size, scaled (as GSK would scale a texture) otherwise. */
  cr = gtk_snapshot_append_cairo (GTK_SNAPSHOT (snapshot), &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_scale (cr, width / cairo_image_surface_get_width (self->surface),
               height / cairo_image_surface_get_height (self->surface));
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_destroy (cr);
}

static void
cohort_video_paintable_snapshot (GdkPaintable *paintable,
                                 GdkSnapshot  *snapshot,
                                 double        width,
                                 double        height)
{
  CohortVideoPaintable *self = COHORT_VIDEO_PAINTABLE (paintable);
  double texture_width, texture_height;
  int scale;

  if (self->texture == NULL)
    return;

  scale = display_scale ();
  texture_width = (double) gdk_texture_get_width (self->texture) / scale;
  texture_height = (double) gdk_texture_get_height (self->texture) / scale;
  if ((texture_width != width || texture_height != height) &&
      ABS (texture_width - width) <= 1.0 && ABS (texture_height - height) <= 1.0)
    {
      /* Converted for this box: drawn pixel for pixel, centred on it, so
       * the renderer copies instead of resampling (cairo's bilinear pass
       * costs as much as the conversion). GtkPicture centres a fractional
       * box in a whole-pixel widget; the texture covers the widget. */
      gtk_snapshot_save (GTK_SNAPSHOT (snapshot));
      gtk_snapshot_translate (GTK_SNAPSHOT (snapshot),
                              &GRAPHENE_POINT_INIT ((width - texture_width) / 2, (height - texture_height) / 2));
      draw_frame (self, snapshot, texture_width, texture_height);
      gtk_snapshot_restore (GTK_SNAPSHOT (snapshot));
    }
  else
    draw_frame (self, snapshot, width, height);

  if (self->slot != NULL)
    {
      g_atomic_int_set (&self->slot->armed, TRUE);
      g_atomic_int_set (&self->slot->wanted, TRUE);
      /* Drawn twice (a tile and a thumbnail): the larger one decides. */
      self->drawn_width = MAX (self->drawn_width, width);
      self->drawn_height = MAX (self->drawn_height, height);
      fit_to (self, self->drawn_width * scale, self->drawn_height * scale);
    }
  if (width * height > drawn_width * drawn_height)
    {
      drawn_width = (int) width;
      drawn_height = (int) height;
    }
  if (!self->drawn)
    {
      self->drawn = TRUE;
      self->presented++;
      g_atomic_int_inc (&presented_total);
    }
}

static GdkPaintable *
cohort_video_paintable_get_current_image (GdkPaintable *paintable)
{
  CohortVideoPaintable *self = COHORT_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (self->width, self->height);
}

static int
cohort_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return COHORT_VIDEO_PAINTABLE (paintable)->width;
}

static int
cohort_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return COHORT_VIDEO_PAINTABLE (paintable)->height;
}

static double
cohort_video_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  CohortVideoPaintable *self = COHORT_VIDEO_PAINTABLE (paintable);

  if (self->width <= 0 || self->height <= 0)
    return 0;
  return (double) self->width / self->height;
}

static void
cohort_video_paintable_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = cohort_video_paintable_snapshot;
  iface->get_current_image = cohort_video_paintable_get_current_image;
  iface->get_intrinsic_width = cohort_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = cohort_video_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = cohort_video_paintable_get_intrinsic_aspect_ratio;
}

/* GObject */

static void
detach_slot (CohortVideoPaintable *self)
{
  if (self->slot == NULL)
    return;

  g_mutex_lock (&self->slot->lock);
  self->slot->detached = TRUE;
  g_clear_pointer (&self->slot->pending, gst_sample_unref);
  g_mutex_unlock (&self->slot->lock);
  g_clear_pointer (&self->slot, slot_unref);
}

static void
cohort_video_paintable_dispose (GObject *object)
{
  CohortVideoPaintable *self = COHORT_VIDEO_PAINTABLE (object);

  detach_slot (self);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_pointer (&self->previous_surface, cairo_surface_destroy);

  G_OBJECT_CLASS (cohort_video_paintable_parent_class)->dispose (object);
}

static void
cohort_video_paintable_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CohortVideoPaintable *self = COHORT_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_HAS_FRAME:
      g_value_set_boolean (value, self->texture != NULL);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_FRAMES:
      g_value_set_uint (value, self->frames);
      break;
    case PROP_FRAMES_PRESENTED:
      g_value_set_uint (value, self->presented);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_video_paintable_class_init (CohortVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_video_paintable_dispose;
  object_class->get_property = cohort_video_paintable_get_property;

  properties[PROP_HAS_FRAME] =
    g_param_spec_boolean ("has-frame", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMES] =
    g_param_spec_uint ("frames", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMES_PRESENTED] =
    g_param_spec_uint ("frames-presented", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  stats_start ();
}

static void
cohort_video_paintable_init (CohortVideoPaintable *self)
{
}

CohortVideoPaintable *
cohort_video_paintable_new (void)
{
  return g_object_new (COHORT_TYPE_VIDEO_PAINTABLE, NULL);
}

static GstElement *
make_memory_bin (CohortVideoPaintable *self,
                 GstElement           *appsink)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-raw,format=BGRA");
  GstElement *bin = gst_bin_new (NULL);
  GstElement *convert = gst_element_factory_make ("videoconvertscale", NULL);
  GstElement *size = gst_element_factory_make ("capsfilter", NULL);
  g_autoptr(GstPad) pad = NULL;

  self->slot->size = gst_object_ref (size);

  /* Conversion and scaling in one pass, straight to the tile's size
   * (fit_to() sets it from the size the paintable is drawn at). Screen
   * shares keep their text legible with a sharper, wider filter. */
  g_object_set (convert,
                "n-threads", CLAMP (g_get_num_processors (), 1, 4),
                "method", self->sharp ? 8 /* catrom */ : 1 /* bilinear */,
                "dither", 0 /* none: 8 bits in, 8 bits out */,
                "add-borders", FALSE,
                NULL);
  g_object_set (size, "caps", caps, NULL);
  g_object_set (appsink, "caps", caps, NULL);

  gst_bin_add_many (GST_BIN (bin), convert, size, appsink, NULL);
  gst_element_link_many (convert, size, appsink, NULL);
  pad = gst_element_get_static_pad (convert, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  return bin;
}

GstElement *
cohort_video_paintable_create_sink (CohortVideoPaintable *self)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  CohortVideoPathInputs inputs;
  GstElement *appsink = gst_element_factory_make ("appsink", NULL);
  GstElement *bin = NULL;
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstPad) target = NULL;

  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), NULL);

  detach_slot (self);
  self->slot = slot_new (self);

  /* Not synchronised to the clock: the newest decoded frame is shown as
   * soon as the main loop takes it (webrtcbin's jitter buffer already
   * paced it). One buffer, dropping: nothing waits in the sink. */
  g_object_set (appsink, "sync", FALSE, "max-buffers", 1, "drop", TRUE,
                "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (appsink), &callbacks, slot_ref (self->slot), slot_unref);

  /* GL first, memory textures when GL cannot serve. */
  self->path = cohort_video_gl_probe (&inputs);
  if (self->path == COHORT_VIDEO_PATH_GL)
    {
      bin = cohort_video_gl_make_bin (gst_object_ref (appsink));
      if (bin == NULL)
        self->path = COHORT_VIDEO_PATH_MEMORY;
      else
        self->slot->gl = TRUE;
      gst_object_unref (appsink);
    }
  if (bin == NULL)
    bin = make_memory_bin (self, appsink);

  pad = gst_element_get_static_pad (bin, "sink");
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     on_sink_input, slot_ref (self->slot), slot_unref);

  return bin;
}

void
cohort_video_paintable_clear (CohortVideoPaintable *self)
{
  g_return_if_fail (COHORT_IS_VIDEO_PAINTABLE (self));

  if (self->texture == NULL)
    return;
  g_clear_object (&self->texture);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_pointer (&self->previous_surface, cairo_surface_destroy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FRAME]);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

gboolean
cohort_video_paintable_get_has_frame (CohortVideoPaintable *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), FALSE);

  return self->texture != NULL;
}

guint
cohort_video_paintable_get_frames (CohortVideoPaintable *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), 0);

  return self->frames;
}

GdkTexture *
cohort_video_paintable_get_texture (CohortVideoPaintable *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), NULL);

  return self->texture;
}

guint
cohort_video_paintable_get_frames_presented (CohortVideoPaintable *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), 0);

  return self->presented;
}

guint
cohort_video_paintable_get_frames_skipped (CohortVideoPaintable *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), 0);

  return self->slot != NULL ? (guint) g_atomic_int_get (&self->slot->skipped) : 0;
}

void
cohort_video_paintable_set_sharp (CohortVideoPaintable *self,
                                  gboolean              sharp)
{
  g_return_if_fail (COHORT_IS_VIDEO_PAINTABLE (self));

  self->sharp = !!sharp;
}

CohortVideoPath
cohort_video_paintable_get_path (CohortVideoPaintable *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), COHORT_VIDEO_PATH_MEMORY);

  return self->path;
}
