/* cohort-protocol-ai.c: the ai requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol-private.h"

const CohortProtocolTable _cohort_protocol_ai_table = {
  NULL, 0,
  NULL, 0,
};
