/* cohort-media-decoder.c: which video decoder a subscriber uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-decoder"

#include "config.h"

#include "cohort-media-decoder.h"

enum {
  PREFER_VA = 0,
  PREFER_VAAPI = 1,
  PREFER_SOFTWARE = 10,
};

static gboolean
is_vaapi (const char *name)
{
  return g_str_has_prefix (name, "vaapi");
}

static gboolean
is_va (const char *name)
{
  /* vah264dec, vavp8dec, varenderD129vp8dec: "va", a decoder, not vaapi. */
  return g_str_has_prefix (name, "va") && !is_vaapi (name) && g_str_has_suffix (name, "dec");
}

int
cohort_decoder_preference (const char *factory_name,
                           const char *override)
{
  gboolean hardware;

  g_return_val_if_fail (factory_name != NULL, -1);

  hardware = is_va (factory_name) || is_vaapi (factory_name);
  if (hardware && g_strcmp0 (override, "software") == 0)
    return -1;
  if (is_va (factory_name))
    return g_strcmp0 (override, "vaapi") == 0 ? PREFER_VAAPI : PREFER_VA;
  if (is_vaapi (factory_name))
    return g_strcmp0 (override, "vaapi") == 0 ? PREFER_VA : PREFER_VAAPI;
  return PREFER_SOFTWARE;
}

typedef struct
{
  const char *name;
  int         preference;
  guint       index;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->preference != y->preference)
    return x->preference < y->preference ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

GStrv
cohort_decoder_order (const char * const *factories,
                      const char         *override)
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; factories != NULL && factories[i] != NULL; i++)
    {
      Ranked r = { factories[i], cohort_decoder_preference (factories[i], override), i };

      if (r.preference >= 0)
        g_array_append_val (ranked, r);
    }
  /* Stable: the index breaks ties, so decodebin's rank order stands
   * within each group. */
  g_array_sort (ranked, compare_ranked);
  for (guint i = 0; i < ranked->len; i++)
    g_strv_builder_add (builder, g_array_index (ranked, Ranked, i).name);
  return g_strv_builder_end (builder);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

/* decodebin's autoplug-sort (streaming thread): its factories, reordered.
 * Parsers, depayloaders and other non-decoders all rank "software" and
 * keep their order. */
static GValueArray *
on_autoplug_sort (GstElement  *decodebin,
                  GstPad      *pad,
                  GstCaps     *caps,
                  GValueArray *factories,
                  gpointer     user_data)
{
  const char *override = g_getenv ("COHORT_DECODER");
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_auto(GStrv) order = NULL;
  GValueArray *result;

  for (guint i = 0; i < factories->n_values; i++)
    g_ptr_array_add (names, (gpointer) gst_plugin_feature_get_name (g_value_get_object (g_value_array_get_nth (factories, i))));
  g_ptr_array_add (names, NULL);

  order = cohort_decoder_order ((const char * const *) names->pdata, override);
  result = g_value_array_new (g_strv_length (order));
  for (guint i = 0; order[i] != NULL; i++)
    for (guint j = 0; j < factories->n_values; j++)
      {
        GValue *value = g_value_array_get_nth (factories, j);

        if (g_str_equal (gst_plugin_feature_get_name (g_value_get_object (value)), order[i]))
          {
            g_value_array_append (result, value);
            break;
          }
      }
  if (order[0] != NULL)
    g_debug ("Decoding %" GST_PTR_FORMAT " with %s first", caps, order[0]);
  return result;
}

G_GNUC_END_IGNORE_DEPRECATIONS

void
cohort_decoder_attach (GstElement *decodebin)
{
  g_return_if_fail (GST_IS_ELEMENT (decodebin));

  g_signal_connect (decodebin, "autoplug-sort", G_CALLBACK (on_autoplug_sort), NULL);
}
