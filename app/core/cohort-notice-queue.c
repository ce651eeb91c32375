/* cohort-notice-queue.c: the class's notices, in order of importance, with chatter summarised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-notice-queue"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-notice-queue.h"
#include "cohort-notify-private.h"

#define N_PRIORITIES (COHORT_NOTICE_PRIORITY_URGENT + 1)
#define N_KINDS (COHORT_NOTICE_WAITING + 1)

typedef struct
{
  CohortNoticeKind  kind;
  char             *text;
  guint             count;
} Notice;

struct _CohortNoticeQueue
{
  GObject  parent_instance;

  GQueue   pending[N_PRIORITIES];   /* of Notice, oldest first */
  Notice  *summary[N_KINDS];        /* the waiting notice of a summarised kind, in pending */
  guint    n_pending;
};

G_DEFINE_FINAL_TYPE (CohortNoticeQueue, cohort_notice_queue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notice_free (Notice *notice)
{
  g_free (notice->text);
  g_free (notice);
}

static gboolean
kind_is_summarised (CohortNoticeKind kind)
{
  return kind == COHORT_NOTICE_HAND || kind == COHORT_NOTICE_JOINED || kind == COHORT_NOTICE_BADGE ||
         kind == COHORT_NOTICE_WAITING;
}

CohortNoticePriority
cohort_notice_kind_get_priority (CohortNoticeKind kind)
{
  switch (kind)
    {
    case COHORT_NOTICE_ACTION:
    case COHORT_NOTICE_HAND:
      return COHORT_NOTICE_PRIORITY_URGENT;
    case COHORT_NOTICE_JOINED:
    case COHORT_NOTICE_BADGE:
      return COHORT_NOTICE_PRIORITY_CHATTER;
    case COHORT_NOTICE_INFO:
    case COHORT_NOTICE_WAITING:
    default:
      return COHORT_NOTICE_PRIORITY_NORMAL;
    }
}

static char *
summary_text (CohortNoticeKind kind,
              guint            count)
{
  switch (kind)
    {
    case COHORT_NOTICE_HAND:
      /* Translators: a toast for the teacher; %u is how many students raised their hand. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u student raised their hand",
                                           "%u students raised their hands", count), count);
    case COHORT_NOTICE_JOINED:
      /* Translators: a toast; %u is how many people joined the class since the last toast. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u student joined", "%u students joined", count),
                              count);
    case COHORT_NOTICE_BADGE:
      /* Translators: a toast for the teacher; %u is how many badges students earned. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u badge earned", "%u badges earned", count),
                              count);
    case COHORT_NOTICE_WAITING:
      /* Translators: a toast for the teacher; %u is how many students wait in the waiting room to be let in. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u student is waiting to join",
                                           "%u students are waiting to join", count), count);
    case COHORT_NOTICE_INFO:
    case COHORT_NOTICE_ACTION:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
set_n_pending (CohortNoticeQueue *self,
               guint              n_pending)
{
  _cohort_set_uint (self, &self->n_pending, n_pending, properties[PROP_N_PENDING]);
}

void
cohort_notice_queue_push (CohortNoticeQueue *self,
                          CohortNoticeKind   kind,
                          const char        *text)
{
  Notice *notice;

  g_return_if_fail (COHORT_IS_NOTICE_QUEUE (self));
  g_return_if_fail ((guint) kind < N_KINDS);
  g_return_if_fail (text != NULL);

  /* Only the count grows: a class of 40 joining is one notice. */
  if (kind_is_summarised (kind) && self->summary[kind] != NULL)
    {
      self->summary[kind]->count++;
      return;
    }

  notice = g_new0 (Notice, 1);
  notice->kind = kind;
  notice->text = g_strdup (text);
  notice->count = 1;
  g_queue_push_tail (&self->pending[cohort_notice_kind_get_priority (kind)], notice);
  if (kind_is_summarised (kind))
    self->summary[kind] = notice;

  set_n_pending (self, self->n_pending + 1);
}

gboolean
cohort_notice_queue_pop (CohortNoticeQueue *self,
                         CohortNoticeKind  *kind,
                         char             **text,
                         guint             *count)
{
  Notice *notice = NULL;

  g_return_val_if_fail (COHORT_IS_NOTICE_QUEUE (self), FALSE);

  for (int p = COHORT_NOTICE_PRIORITY_URGENT; p >= 0 && notice == NULL; p--)
    notice = g_queue_pop_head (&self->pending[p]);
  if (notice == NULL)
    return FALSE;

  if (self->summary[notice->kind] == notice)
    self->summary[notice->kind] = NULL;

  if (kind != NULL)
    *kind = notice->kind;
  if (count != NULL)
    *count = notice->count;
  if (text != NULL)
    *text = notice->count > 1 ? summary_text (notice->kind, notice->count) : g_steal_pointer (&notice->text);
  notice_free (notice);

  set_n_pending (self, self->n_pending - 1);
  return TRUE;
}

guint
cohort_notice_queue_get_n_pending (CohortNoticeQueue *self)
{
  g_return_val_if_fail (COHORT_IS_NOTICE_QUEUE (self), 0);

  return self->n_pending;
}

CohortNoticePriority
cohort_notice_queue_get_top_priority (CohortNoticeQueue *self)
{
  g_return_val_if_fail (COHORT_IS_NOTICE_QUEUE (self), COHORT_NOTICE_PRIORITY_CHATTER);

  for (int p = COHORT_NOTICE_PRIORITY_URGENT; p > 0; p--)
    if (!g_queue_is_empty (&self->pending[p]))
      return p;
  return COHORT_NOTICE_PRIORITY_CHATTER;
}

void
cohort_notice_queue_clear (CohortNoticeQueue *self)
{
  g_return_if_fail (COHORT_IS_NOTICE_QUEUE (self));

  for (guint p = 0; p < N_PRIORITIES; p++)
    g_queue_clear_full (&self->pending[p], (GDestroyNotify) notice_free);
  memset (self->summary, 0, sizeof self->summary);
  set_n_pending (self, 0);
}

static void
cohort_notice_queue_finalize (GObject *object)
{
  CohortNoticeQueue *self = COHORT_NOTICE_QUEUE (object);

  for (guint p = 0; p < N_PRIORITIES; p++)
    g_queue_clear_full (&self->pending[p], (GDestroyNotify) notice_free);

  G_OBJECT_CLASS (cohort_notice_queue_parent_class)->finalize (object);
}

static void
cohort_notice_queue_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortNoticeQueue *self = COHORT_NOTICE_QUEUE (object);

  switch (prop_id)
    {
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_notice_queue_class_init (CohortNoticeQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cohort_notice_queue_finalize;
  object_class->get_property = cohort_notice_queue_get_property;

  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_notice_queue_init (CohortNoticeQueue *self)
{
  for (guint p = 0; p < N_PRIORITIES; p++)
    g_queue_init (&self->pending[p]);
}

CohortNoticeQueue *
cohort_notice_queue_new (void)
{
  return g_object_new (COHORT_TYPE_NOTICE_QUEUE, NULL);
}
