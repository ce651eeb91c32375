/* cohort-class-events.c: the class's own events, typed, for windows to announce
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-events"

#include "config.h"

#include "cohort-class-events.h"
#include "cohort-identity-protocol.h"
#include "cohort-json-private.h"
#include "cohort-protocol.h"

struct _CohortClassEvents
{
  GObject        parent_instance;

  CohortSession *session;
};

G_DEFINE_FINAL_TYPE (CohortClassEvents, cohort_class_events, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

enum {
  PARTICIPANT_JOINED,
  PARTICIPANT_WAITING,
  HAND_RAISED,
  HAND_LOWERED,
  ALL_HANDS_LOWERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The protocol table checked each event body's fields and their types;
 * the _cohort_json_ readers only read what is there. */
static void
on_event_received (CohortSession     *session,
                   const char        *event,
                   JsonObject        *body,
                   gint64             seq,
                   CohortClassEvents *self)
{
  if (body == NULL)
    return;

  if (g_strcmp0 (event, COHORT_EV_PARTICIPANT_JOINED) == 0 || g_strcmp0 (event, COHORT_EV_PARTICIPANT_WAITING) == 0)
    {
      JsonObject *participant = _cohort_json_object (body, "participant");
      const char *name = _cohort_json_string (participant, "name");

      if (name != NULL)
        g_signal_emit (self, signals[g_str_equal (event, COHORT_EV_PARTICIPANT_WAITING) ? PARTICIPANT_WAITING
                                                                                 : PARTICIPANT_JOINED],
                       0, _cohort_json_int (participant, "id", 0), name);
    }
  else if (g_strcmp0 (event, COHORT_EV_HAND_RAISED) == 0)
    g_signal_emit (self, signals[HAND_RAISED], 0, _cohort_json_int (body, "participant_id", 0));
  else if (g_strcmp0 (event, COHORT_EV_HAND_LOWERED) == 0)
    g_signal_emit (self, signals[HAND_LOWERED], 0, _cohort_json_int (body, "participant_id", 0),
                   _cohort_json_int (body, "by", 0));
  else if (g_strcmp0 (event, COHORT_EV_HAND_LOWERED_ALL) == 0)
    g_signal_emit (self, signals[ALL_HANDS_LOWERED], 0, _cohort_json_int (body, "by", 0));
}

static void
cohort_class_events_dispose (GObject *object)
{
  CohortClassEvents *self = COHORT_CLASS_EVENTS (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_class_events_parent_class)->dispose (object);
}

static void
cohort_class_events_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortClassEvents *self = COHORT_CLASS_EVENTS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_class_events_class_init (CohortClassEventsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_class_events_dispose;
  object_class->get_property = cohort_class_events_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PARTICIPANT_JOINED] =
    g_signal_new ("participant-joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[PARTICIPANT_WAITING] =
    g_signal_new ("participant-waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[HAND_RAISED] =
    g_signal_new ("hand-raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[HAND_LOWERED] =
    g_signal_new ("hand-lowered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[ALL_HANDS_LOWERED] =
    g_signal_new ("all-hands-lowered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
cohort_class_events_init (CohortClassEvents *self)
{
}

CohortClassEvents *
cohort_class_events_new (CohortSession *session)
{
  CohortClassEvents *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_CLASS_EVENTS, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "event-received", G_CALLBACK (on_event_received), self, 0);
  return self;
}

CohortSession *
cohort_class_events_get_session (CohortClassEvents *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_EVENTS (self), NULL);

  return self->session;
}
