/* cohort-qr-code.c: a QR code, drawn from libqrencode's modules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-qr-code"

#include "config.h"

#include <qrencode.h>

#include "cohort-qr-code.h"

/* ISO/IEC 18004 asks for four modules of light margin around the code. */
#define QUIET_ZONE 4

struct _CohortQrCode
{
  GtkWidget  parent_instance;

  char      *text;
  QRcode    *code;
};

G_DEFINE_FINAL_TYPE (CohortQrCode, cohort_qr_code, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_qr_code_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  CohortQrCode *self = COHORT_QR_CODE (widget);
  int side = self->code != NULL ? self->code->width + 2 * QUIET_ZONE : 0;

  /* Two pixels a module at least, so that a phone's camera can read it
   * off the screen; five when there is room. */
  *minimum = side * 2;
  *natural = side * 5;
}

static void
cohort_qr_code_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  CohortQrCode *self = COHORT_QR_CODE (widget);
  const GdkRGBA light = { 1, 1, 1, 1 };
  const GdkRGBA dark = { 0, 0, 0, 1 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int side, module, x0, y0;

  if (self->code == NULL)
    return;

  /* Whole pixels a module: a blurred edge is what scanners fail on. */
  side = self->code->width + 2 * QUIET_ZONE;
  module = MAX (1, MIN (width, height) / side);
  x0 = (width - module * side) / 2;
  y0 = (height - module * side) / 2;
  gtk_snapshot_append_color (snapshot, &light, &GRAPHENE_RECT_INIT (x0, y0, module * side, module * side));
  for (int y = 0; y < self->code->width; y++)
    for (int x = 0; x < self->code->width; x++)
      if (self->code->data[y * self->code->width + x] & 1)
        gtk_snapshot_append_color (snapshot, &dark,
                                   &GRAPHENE_RECT_INIT (x0 + (x + QUIET_ZONE) * module,
                                                        y0 + (y + QUIET_ZONE) * module, module, module));
}

static void
cohort_qr_code_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CohortQrCode *self = COHORT_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_qr_code_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CohortQrCode *self = COHORT_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      cohort_qr_code_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_qr_code_finalize (GObject *object)
{
  CohortQrCode *self = COHORT_QR_CODE (object);

  g_free (self->text);
  g_clear_pointer (&self->code, QRcode_free);

  G_OBJECT_CLASS (cohort_qr_code_parent_class)->finalize (object);
}

static void
cohort_qr_code_class_init (CohortQrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cohort_qr_code_finalize;
  object_class->get_property = cohort_qr_code_get_property;
  object_class->set_property = cohort_qr_code_set_property;
  widget_class->measure = cohort_qr_code_measure;
  widget_class->snapshot = cohort_qr_code_snapshot;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "qrcode");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cohort_qr_code_init (CohortQrCode *self)
{
}

GtkWidget *
cohort_qr_code_new (void)
{
  return g_object_new (COHORT_TYPE_QR_CODE, NULL);
}

const char *
cohort_qr_code_get_text (CohortQrCode *self)
{
  g_return_val_if_fail (COHORT_IS_QR_CODE (self), NULL);

  return self->text;
}

void
cohort_qr_code_set_text (CohortQrCode *self,
                         const char   *text)
{
  g_return_if_fail (COHORT_IS_QR_CODE (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->code, QRcode_free);
  /* Version 0: the smallest that holds the text. NULL (errno EINVAL or
   * ERANGE) when it does not fit: nothing is drawn. */
  if (text != NULL && *text != '\0')
    self->code = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

guint
cohort_qr_code_get_width (CohortQrCode *self)
{
  g_return_val_if_fail (COHORT_IS_QR_CODE (self), 0);

  return self->code != NULL ? self->code->width : 0;
}

gboolean
cohort_qr_code_get_module (CohortQrCode *self,
                           guint         x,
                           guint         y)
{
  g_return_val_if_fail (COHORT_IS_QR_CODE (self), FALSE);

  if (self->code == NULL || x >= (guint) self->code->width || y >= (guint) self->code->width)
    return FALSE;
  return self->code->data[y * self->code->width + x] & 1;
}
