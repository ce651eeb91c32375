/* cohort-protocol-quiz.c: the quiz requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol-private.h"

const CohortProtocolTable _cohort_protocol_quiz_table = {
  NULL, 0,
  NULL, 0,
};
