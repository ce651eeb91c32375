/* cohort-protocol-groups.c: the groups requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol-private.h"

const CohortProtocolTable _cohort_protocol_groups_table = {
  NULL, 0,
  NULL, 0,
};
