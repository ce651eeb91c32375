/* cohort-video-paintable.c: a GdkPaintable showing the newest frame of a video sink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-video-paintable"

#include "config.h"

#include <gst/app/app.h>
#include <gst/video/video.h>
#include <unistd.h>

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
} Slot;

struct _CohortVideoPaintable
{
  GObject     parent_instance;

  Slot       *slot;
  GdkTexture *texture;
  int         width;        /* display size: pixel aspect applied */
  int         height;
  guint       frames;
  guint       presented;    /* frames drawn at least once */
  gboolean    drawn;        /* the current texture was drawn */
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
/* The largest size a paintable was drawn at since the last write (main
 * thread only). */
static int drawn_width, drawn_height;

static gboolean
stats_write (gpointer data)
{
  const char *path = data;
  g_autofree char *text = g_strdup_printf ("pid=%d presented=%u tile=%dx%d\n", (int) getpid (),
                                           (guint) g_atomic_int_get (&presented_total),
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

typedef struct
{
  GstBuffer  *buffer;
  GstMapInfo  map;
} Mapping;

static void
mapping_free (gpointer data)
{
  Mapping *m = data;

  gst_buffer_unmap (m->buffer, &m->map);
  gst_buffer_unref (m->buffer);
  g_free (m);
}

static void
upload (CohortVideoPaintable *self,
        GstSample            *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  g_autoptr(GBytes) bytes = NULL;
  GstVideoMeta *meta;
  GstVideoInfo info;
  Mapping *m;
  gsize stride, offset;
  int width, height;
  gboolean size_changed;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_BGRA)
    return;

  stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  offset = GST_VIDEO_INFO_PLANE_OFFSET (&info, 0);
  meta = gst_buffer_get_video_meta (buffer);
  if (meta != NULL)
    {
      stride = meta->stride[0];
      offset = meta->offset[0];
    }

  m = g_new0 (Mapping, 1);
  m->buffer = gst_buffer_ref (buffer);
  if (!gst_buffer_map (m->buffer, &m->map, GST_MAP_READ) ||
      m->map.size < offset + stride * GST_VIDEO_INFO_HEIGHT (&info))
    {
      gst_buffer_unref (m->buffer);
      g_free (m);
      return;
    }

  /* No copy: the texture holds the decoded buffer until it is replaced. */
  bytes = g_bytes_new_with_free_func (m->map.data + offset,
                                      stride * GST_VIDEO_INFO_HEIGHT (&info),
                                      mapping_free, m);
  g_clear_object (&self->texture);
  /* GStreamer's BGRA is B, G, R, A in memory, like GDK's B8G8R8A8; the
   * alpha is opaque, so premultiplied or not is the same picture. */
  self->texture = gdk_memory_texture_new (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                                          GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);

  width = GST_VIDEO_INFO_WIDTH (&info);
  height = GST_VIDEO_INFO_HEIGHT (&info);
  if (GST_VIDEO_INFO_PAR_N (&info) > 0 && GST_VIDEO_INFO_PAR_D (&info) > 0)
    width = (int) gst_util_uint64_scale_int (width, GST_VIDEO_INFO_PAR_N (&info), GST_VIDEO_INFO_PAR_D (&info));

  size_changed = width != self->width || height != self->height;
  self->width = width;
  self->height = height;
  self->frames++;
  self->drawn = FALSE;

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

/* GdkPaintable */

static void
cohort_video_paintable_snapshot (GdkPaintable *paintable,
                                 GdkSnapshot  *snapshot,
                                 double        width,
                                 double        height)
{
  CohortVideoPaintable *self = COHORT_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return;

  gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
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

GstElement *
cohort_video_paintable_create_sink (CohortVideoPaintable *self)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-raw,format=BGRA");
  GstElement *bin = gst_bin_new (NULL);
  GstElement *convert = gst_element_factory_make ("videoconvert", NULL);
  GstElement *appsink = gst_element_factory_make ("appsink", NULL);
  g_autoptr(GstPad) pad = NULL;

  g_return_val_if_fail (COHORT_IS_VIDEO_PAINTABLE (self), NULL);

  detach_slot (self);
  self->slot = slot_new (self);

  /* Not synchronised to the clock: the newest decoded frame is shown as
   * soon as the main loop takes it (webrtcbin's jitter buffer already
   * paced it). One buffer, dropping: nothing waits in the sink. */
  g_object_set (appsink, "sync", FALSE, "max-buffers", 1, "drop", TRUE, "caps", caps,
                "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (appsink), &callbacks, slot_ref (self->slot), slot_unref);

  gst_bin_add_many (GST_BIN (bin), convert, appsink, NULL);
  gst_element_link (convert, appsink);
  pad = gst_element_get_static_pad (convert, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));

  return bin;
}

void
cohort_video_paintable_clear (CohortVideoPaintable *self)
{
  g_return_if_fail (COHORT_IS_VIDEO_PAINTABLE (self));

  if (self->texture == NULL)
    return;
  g_clear_object (&self->texture);
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
