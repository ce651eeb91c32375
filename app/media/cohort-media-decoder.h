/* cohort-media-decoder.h: which video decoder a subscriber uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Hardware first: the VA plugin's decoders (vah264dec, vavp8dec, and
 * varenderD129…dec on a second GPU), then gstreamer-vaapi's (vaapi…dec),
 * then software. GStreamer registers VA decoders only where a device and
 * its driver answer, so a listed one is a usable one.
 *
 * @override: $COHORT_DECODER ("software" leaves hardware out, "vaapi"
 * puts gstreamer-vaapi before VA), or NULL.
 * Returns the preference of @factory_name, lower first; -1 to leave it
 * out. */
int      cohort_decoder_preference (const char         *factory_name,
                                    const char         *override);

/* Pure: @factories (decoder names, in decodebin's rank order) sorted by
 * preference, stable, with the left-out ones removed. */
GStrv    cohort_decoder_order      (const char * const *factories,
                                    const char         *override);

/* Makes @decodebin try decoders in that order. */
void     cohort_decoder_attach     (GstElement         *decodebin);

G_END_DECLS
