/* cohort-protocol-media.c: the media requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol-private.h"

const CohortProtocolTable _cohort_protocol_media_table = {
  NULL, 0,
  NULL, 0,
};
