/* cohort-ledger.c: the points ledger reducer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ledger"

#include "config.h"

#include <string.h>

#include "cohort-ledger.h"

typedef struct
{
  gint64        id;
  char         *name;
  gboolean      student;
  gint64        group_id;
  gint64        online_since;    /* 0: offline */
  guint         credited_blocks; /* of the current online stretch */
  CohortStreak  streak;
  char         *tz;              /* zone of the last check-in */
  GHashTable   *day_minutes;     /* local day → minutes studied */
  gboolean      had_correct;
} Member;

typedef struct
{
  gint64      id;
  char       *name;
  guint       size;
  GHashTable *day_checkins;      /* class day → GHashTable (pid set) */
} Group;

struct _CohortLedger
{
  gint64      seq;
  gint64      clock;
  char       *class_tz;
  GHashTable *members;           /* id → Member */
  GHashTable *groups;            /* id → Group */
  GArray     *entries;           /* CohortLedgerEntry */
  GPtrArray  *badges;            /* CohortBadgeAward */
  GHashTable *badge_keys;        /* "pid:badge:detail" */
  GHashTable *seen;              /* dedupe keys of counted actions */
  GHashTable *upvotes;           /* "question id" → points given so far */
  guint       week;              /* class ISO week of the clock; 0: none yet */
  GHashTable *week_helpful;      /* pid → helpful answers this week */
  CohortPk    pk;
  gboolean    has_pk;
  /* Counts the events and clock moves that changed anything, so that a
   * caller can tell a log that only grew (chat, say) from new totals. */
  guint64     version;
  /* The clock at which the next online member earns an attendance block;
   * 0: unknown, look at every member. Saves a pass over every member on
   * each of the many events that earn nothing. */
  gint64      next_credit_at;
};

static const char * const badge_names[] = {
  "streak-3", "streak-7", "streak-30", "first-correct", "study-2h", "helper-of-week",
  "perfect-quiz", "first-mastery", "mastery-5",
};

G_STATIC_ASSERT (G_N_ELEMENTS (badge_names) == COHORT_N_BADGES);

const char *
cohort_badge_kind_to_string (CohortBadgeKind kind)
{
  g_return_val_if_fail (kind < COHORT_N_BADGES, NULL);
  return badge_names[kind];
}

gboolean
cohort_badge_kind_from_string (const char      *str,
                               CohortBadgeKind *out_kind)
{
  for (guint i = 0; i < COHORT_N_BADGES; i++)
    if (g_strcmp0 (str, badge_names[i]) == 0)
      {
        *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

static void
member_free (Member *m)
{
  g_free (m->name);
  g_free (m->tz);
  cohort_streak_clear (&m->streak);
  g_clear_pointer (&m->day_minutes, g_hash_table_unref);
  g_free (m);
}

static void
group_free (Group *g)
{
  g_free (g->name);
  g_clear_pointer (&g->day_checkins, g_hash_table_unref);
  g_free (g);
}

static void
badge_award_free (CohortBadgeAward *award)
{
  g_free (award->detail);
  g_free (award);
}

CohortLedger *
cohort_ledger_new (void)
{
  CohortLedger *self = g_new0 (CohortLedger, 1);

  self->class_tz = g_strdup ("UTC");
  self->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) member_free);
  self->groups = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                        (GDestroyNotify) group_free);
  self->entries = g_array_new (FALSE, FALSE, sizeof (CohortLedgerEntry));
  self->badges = g_ptr_array_new_with_free_func ((GDestroyNotify) badge_award_free);
  self->badge_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->upvotes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->week_helpful = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return self;
}

void
cohort_ledger_free (CohortLedger *self)
{
  if (self == NULL)
    return;
  g_free (self->class_tz);
  g_hash_table_unref (self->members);
  g_hash_table_unref (self->groups);
  g_array_unref (self->entries);
  g_ptr_array_unref (self->badges);
  g_hash_table_unref (self->badge_keys);
  g_hash_table_unref (self->seen);
  g_hash_table_unref (self->upvotes);
  g_hash_table_unref (self->week_helpful);
  g_free (self);
}

static Member *
lookup_member (CohortLedger *self,
               gint64        id)
{
  return g_hash_table_lookup (self->members, &id);
}

static Member *
lookup_student (CohortLedger *self,
                gint64        id)
{
  Member *m = lookup_member (self, id);

  return m != NULL && m->student ? m : NULL;
}

static Group *
lookup_group (CohortLedger *self,
              gint64        id)
{
  return g_hash_table_lookup (self->groups, &id);
}

/* TRUE the first time @key is seen: how a duplicated event never counts
 * twice. */
static gboolean
first_time (CohortLedger *self,
            char         *key)
{
  if (g_hash_table_contains (self->seen, key))
    {
      g_free (key);
      return FALSE;
    }
  g_hash_table_add (self->seen, key);
  return TRUE;
}

static guint32
day_in (const char *tz,
        gint64      ts)
{
  guint32 day = 0;

  if (!cohort_streak_local_day (ts, tz, &day, NULL))
    cohort_streak_local_day (ts, "UTC", &day, NULL);
  return day;
}

static guint32
class_day (CohortLedger *self,
           gint64        ts)
{
  return day_in (self->class_tz, ts);
}

static void
award (CohortLedger    *self,
       Member          *m,
       CohortBadgeKind  badge,
       const char      *detail,
       gint64           ts)
{
  char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%u:%s", m->id, badge, detail);
  CohortBadgeAward *a;

  if (!g_hash_table_add (self->badge_keys, key))
    return;

  a = g_new0 (CohortBadgeAward, 1);
  a->participant_id = m->id;
  a->badge = badge;
  a->earned_at = ts;
  a->seq = self->seq;
  a->detail = g_strdup (detail);
  g_ptr_array_add (self->badges, a);
}

static void
add_points (CohortLedger     *self,
            Member           *m,
            gint64            ts,
            int               points,
            CohortPointsKind  kind)
{
  CohortLedgerEntry e = { self->seq, ts, m->id, m->group_id, points, kind };

  g_array_append_val (self->entries, e);
}

static void
add_study_minutes (CohortLedger *self,
                   Member       *m,
                   guint32       day,
                   guint         minutes,
                   gint64        ts)
{
  guint total = GPOINTER_TO_UINT (g_hash_table_lookup (m->day_minutes, GUINT_TO_POINTER (day)));

  total += minutes;
  g_hash_table_insert (m->day_minutes, GUINT_TO_POINTER (day), GUINT_TO_POINTER (total));
  if (total >= COHORT_STUDY_DAY_MINUTES)
    award (self, m, COHORT_BADGE_STUDY_2H, "", ts);
}

static int compare_ids (gconstpointer a,
                        gconstpointer b);

static char *
week_label (guint week)
{
  return g_strdup_printf ("%04u-W%02u", week / 100, week % 100);
}

/* Helper of the week: the students with the most answers the teacher
 * marked helpful during a class week (at least one), once it is over. */
static void
finish_week (CohortLedger *self,
             gint64        ts)
{
  g_autofree char *label = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint best = 0;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (self->week == 0 || g_hash_table_size (self->week_helpful) == 0)
    return;

  g_hash_table_iter_init (&iter, self->week_helpful);
  while (g_hash_table_iter_next (&iter, &key, &value))
    best = MAX (best, GPOINTER_TO_UINT (value));

  g_hash_table_iter_init (&iter, self->week_helpful);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) == best)
      g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, compare_ids);

  label = week_label (self->week);
  for (guint i = 0; i < ids->len; i++)
    {
      Member *m = lookup_student (self, g_array_index (ids, gint64, i));

      if (m != NULL)
        award (self, m, COHORT_BADGE_HELPER_OF_WEEK, label, ts);
    }
  g_hash_table_remove_all (self->week_helpful);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

static GArray *
sorted_keys (GHashTable *table,
             gboolean    students_only)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!students_only || ((Member *) value)->student)
      g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, compare_ids);
  return ids;
}

/* Moves the ledger's clock to @ts: credits full 10-minute blocks of
 * presence up to it, and closes a finished class week. Every event moves
 * the clock, so totals depend on the log only. */
static void
advance_clock (CohortLedger *self,
               gint64        ts)
{
  g_autoptr(GArray) ids = NULL;
  gint64 next_credit_at = G_MAXINT64;
  guint week;

  if (ts <= self->clock)
    return;
  self->clock = ts;

  if (self->next_credit_at == 0 || ts >= self->next_credit_at)
    {
      ids = sorted_keys (self->members, TRUE);
      for (guint i = 0; i < ids->len; i++)
        {
          Member *m = lookup_member (self, g_array_index (ids, gint64, i));
          guint blocks;

          if (m->online_since == 0)
            continue;
          blocks = (ts - m->online_since) / COHORT_ATTENDANCE_BLOCK_MS;
          while (m->credited_blocks < blocks)
            {
              gint64 at;

              m->credited_blocks++;
              at = m->online_since + (gint64) m->credited_blocks * COHORT_ATTENDANCE_BLOCK_MS;
              add_points (self, m, at, COHORT_POINTS_ATTENDANCE, COHORT_POINTS_KIND_ATTENDANCE);
              add_study_minutes (self, m, day_in (m->tz ? m->tz : self->class_tz, at - 1),
                                 COHORT_ATTENDANCE_BLOCK_MS / 60000, at);
              self->version++;
            }
          next_credit_at = MIN (next_credit_at,
                                m->online_since +
                                (gint64) (m->credited_blocks + 1) * COHORT_ATTENDANCE_BLOCK_MS);
        }
      self->next_credit_at = next_credit_at;
    }

  week = cohort_streak_iso_week (class_day (self, ts));
  if (self->week != 0 && week != self->week)
    {
      finish_week (self, ts);
      self->version++;
    }
  self->week = week;
}

/* ---- reducers: one per logged event that counts ---- */

typedef struct
{
  gint64      seq;
  gint64      ts;
  JsonObject *body;
} Event;

static gint64
get_int (JsonObject *o,
         const char *member)
{
  JsonNode *node;

  if (o == NULL || !(node = json_object_get_member (o, member)) ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static const char *
get_str (JsonObject *o,
         const char *member)
{
  JsonNode *node;

  if (o == NULL || !(node = json_object_get_member (o, member)) ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *o,
          const char *member)
{
  JsonNode *node;

  if (o == NULL || !(node = json_object_get_member (o, member)) ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (node);
}

static JsonObject *
get_obj (JsonObject *o,
         const char *member)
{
  JsonNode *node;

  if (o == NULL || !(node = json_object_get_member (o, member)) || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static void
reduce_joined (CohortLedger *self,
               const Event  *ev)
{
  JsonObject *p = get_obj (ev->body, "participant");
  gint64 id = get_int (p, "id");
  Member *m;

  if (id <= 0 || lookup_member (self, id) != NULL)
    return;

  m = g_new0 (Member, 1);
  m->id = id;
  m->name = g_strdup (get_str (p, "name") ? get_str (p, "name") : "");
  m->student = g_strcmp0 (get_str (p, "role"), "student") == 0;
  cohort_streak_init (&m->streak);
  m->day_minutes = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (self->members, &m->id, m);

  /* A new student is online from the moment they join. */
  if (m->student && get_bool (p, "online"))
    m->online_since = ev->ts;
}

static void
reduce_presence (CohortLedger *self,
                 const Event  *ev)
{
  Member *m = lookup_student (self, get_int (ev->body, "participant_id"));
  gboolean online = get_bool (ev->body, "online");

  if (m == NULL)
    return;
  /* A repeated "online" keeps the stretch that started first. */
  if (online && m->online_since == 0)
    {
      m->online_since = ev->ts;
      m->credited_blocks = 0;
    }
  else if (!online)
    m->online_since = 0;
}

static void
reduce_group_created (CohortLedger *self,
                      const Event  *ev)
{
  JsonObject *g = get_obj (ev->body, "group");
  gint64 id = get_int (g, "id");
  Group *group;

  if (id <= 0 || lookup_group (self, id) != NULL)
    return;
  group = g_new0 (Group, 1);
  group->id = id;
  group->name = g_strdup (get_str (g, "name") ? get_str (g, "name") : "");
  group->size = get_int (g, "size");
  group->day_checkins = g_hash_table_new_full (NULL, NULL, NULL,
                                               (GDestroyNotify) g_hash_table_unref);
  g_hash_table_insert (self->groups, &group->id, group);
}

static void
reduce_assigned (CohortLedger *self,
                 const Event  *ev)
{
  JsonNode *node = json_object_get_member (ev->body, "assignments");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      Member *m = lookup_student (self, get_int (a, "participant_id"));
      gint64 group_id = get_int (a, "group_id");

      if (m != NULL && (group_id == 0 || lookup_group (self, group_id) != NULL))
        m->group_id = group_id;
    }
}

static void
reduce_settings (CohortLedger *self,
                 const Event  *ev)
{
  const char *tz = get_str (get_obj (ev->body, "settings"), "tz");

  if (tz != NULL && cohort_streak_tz_is_valid (tz))
    {
      g_free (self->class_tz);
      self->class_tz = g_strdup (tz);
      self->week = cohort_streak_iso_week (class_day (self, ev->ts));
    }
}

static void ledger_check_in (CohortLedger *self,
                             Member       *m,
                             const Event  *ev,
                             const char   *tz,
                             gint64        minutes);

static void
reduce_checked_in (CohortLedger *self,
                   const Event  *ev)
{
  JsonObject *c = get_obj (ev->body, "checkin");
  Member *m = lookup_student (self, get_int (c, "participant_id"));
  const char *tz = get_str (c, "tz");
  gint64 minutes = CLAMP (get_int (c, "minutes"), 0, 24 * 60);

  if (m == NULL || tz == NULL)
    return;
  ledger_check_in (self, m, ev, tz, minutes);
}

/* A check-in on @m's local day in @tz, counted once per day (a
 * groups.check_in or, practice, the day's first practice answer). */
static void
ledger_check_in (CohortLedger *self,
                 Member       *m,
                 const Event  *ev,
                 const char   *tz,
                 gint64        minutes)
{
  guint32 day;
  guint length;
  Group *group;

  if (!cohort_streak_local_day (ev->ts, tz, &day, NULL))
    return;

  /* Once per local day: the streak refuses a day it already counted. */
  if (cohort_streak_check_in (&m->streak, day) != COHORT_STREAK_COUNTED)
    return;

  if (m->tz != tz)
    {
      g_free (m->tz);
      m->tz = g_strdup (tz);
    }
  add_points (self, m, ev->ts, COHORT_POINTS_CHECK_IN, COHORT_POINTS_KIND_CHECK_IN);

  length = m->streak.length;
  if (length >= 3)
    award (self, m, COHORT_BADGE_STREAK_3, "", ev->ts);
  if (length >= 7)
    award (self, m, COHORT_BADGE_STREAK_7, "", ev->ts);
  if (length >= 30)
    award (self, m, COHORT_BADGE_STREAK_30, "", ev->ts);
  if (minutes > 0)
    add_study_minutes (self, m, day, minutes, ev->ts);

  if ((group = lookup_group (self, m->group_id)) != NULL)
    {
      guint32 cday = class_day (self, ev->ts);
      GHashTable *set = g_hash_table_lookup (group->day_checkins, GUINT_TO_POINTER (cday));

      if (set == NULL)
        {
          set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
          g_hash_table_insert (group->day_checkins, GUINT_TO_POINTER (cday), set);
        }
      g_hash_table_add (set, g_memdup2 (&m->id, sizeof m->id));
    }
}

static void
reduce_starred (CohortLedger *self,
                const Event  *ev)
{
  Member *m = lookup_student (self, get_int (ev->body, "participant_id"));
  Member *by = lookup_member (self, get_int (ev->body, "by"));
  gint64 star_id = get_int (ev->body, "star_id");

  /* Only the teacher awards stars, and never to themselves. */
  if (m == NULL || by == NULL || by->student || by == m || star_id <= 0 ||
      !first_time (self, g_strdup_printf ("star:%" G_GINT64_FORMAT, star_id)))
    return;
  add_points (self, m, ev->ts, COHORT_POINTS_STAR, COHORT_POINTS_KIND_STAR);
}

static void
reduce_pk_started (CohortLedger *self,
                   const Event  *ev)
{
  JsonObject *pk = get_obj (ev->body, "pk");
  JsonNode *node = pk ? json_object_get_member (pk, "group_ids") : NULL;
  JsonArray *ids;

  if (get_int (pk, "id") <= 0 || node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  ids = json_node_get_array (node);
  memset (&self->pk, 0, sizeof self->pk);
  self->pk.id = get_int (pk, "id");
  self->pk.starts_at = get_int (pk, "starts_at");
  self->pk.ends_at = get_int (pk, "ends_at");
  for (guint i = 0; i < json_array_get_length (ids) && i < COHORT_PK_MAX_GROUPS; i++)
    self->pk.group_ids[self->pk.n_groups++] = json_array_get_int_element (ids, i);
  self->has_pk = TRUE;
}

static void
reduce_pk_ended (CohortLedger *self,
                 const Event  *ev)
{
  if (!self->has_pk || get_int (ev->body, "pk_id") != self->pk.id)
    return;
  self->pk.stopped = TRUE;
  self->pk.ends_at = MIN (self->pk.ends_at, MAX (get_int (ev->body, "ended_at"), self->pk.starts_at));
}

/* ---- the normalised actions other features' events map to ---- */

/* A student's answer to one quiz question; only the first answer to a
 * question counts. */
static void
ledger_quiz_answer (CohortLedger *self,
                    const Event  *ev,
                    gint64        participant_id,
                    const char   *quiz_id,
                    const char   *question_id,
                    gboolean      correct)
{
  Member *m = lookup_student (self, participant_id);

  if (m == NULL ||
      !first_time (self, g_strdup_printf ("quiz:%s:%s:%" G_GINT64_FORMAT, quiz_id, question_id,
                                          participant_id)))
    return;
  add_points (self, m, ev->ts, correct ? COHORT_POINTS_QUIZ_CORRECT : COHORT_POINTS_QUIZ_ANSWER,
              COHORT_POINTS_KIND_QUIZ);
  if (correct)
    award (self, m, COHORT_BADGE_FIRST_CORRECT, "", ev->ts);
}

/* A student's result over a whole quiz (for the perfect-quiz badge). */
static void
ledger_quiz_result (CohortLedger *self,
                    const Event  *ev,
                    gint64        participant_id,
                    const char   *quiz_id,
                    gint64        n_correct,
                    gint64        n_questions)
{
  Member *m = lookup_student (self, participant_id);

  if (m != NULL && n_questions > 0 && n_correct == n_questions)
    award (self, m, COHORT_BADGE_PERFECT_QUIZ, "", ev->ts);
}

/* A peer upvoted a student's question: points once per (question, voter),
 * never for one's own question, at most COHORT_POINTS_UPVOTE_MAX a question. */
static void
ledger_question_upvote (CohortLedger *self,
                        const Event  *ev,
                        const char   *question_id,
                        gint64        author_id,
                        gint64        voter_id)
{
  Member *m = lookup_student (self, author_id);
  guint given;

  if (m == NULL || voter_id == author_id || lookup_student (self, voter_id) == NULL ||
      !first_time (self, g_strdup_printf ("upvote:%s:%" G_GINT64_FORMAT, question_id, voter_id)))
    return;
  given = GPOINTER_TO_UINT (g_hash_table_lookup (self->upvotes, question_id));
  if (given + COHORT_POINTS_UPVOTE > COHORT_POINTS_UPVOTE_MAX)
    return;
  g_hash_table_insert (self->upvotes, g_strdup (question_id),
                       GUINT_TO_POINTER (given + COHORT_POINTS_UPVOTE));
  add_points (self, m, ev->ts, COHORT_POINTS_UPVOTE, COHORT_POINTS_KIND_UPVOTE);
}

/* The teacher marked a student's answer to a peer's question helpful. */
static void
ledger_answer_helpful (CohortLedger *self,
                       const Event  *ev,
                       const char   *answer_id,
                       gint64        author_id,
                       gint64        asker_id,
                       gint64        by_id)
{
  Member *m = lookup_student (self, author_id);
  Member *by = lookup_member (self, by_id);
  gint64 id;
  guint count;

  if (m == NULL || by == NULL || by->student || author_id == asker_id ||
      !first_time (self, g_strdup_printf ("helpful:%s", answer_id)))
    return;
  add_points (self, m, ev->ts, COHORT_POINTS_HELPFUL, COHORT_POINTS_KIND_HELPFUL);

  id = m->id;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->week_helpful, &id));
  g_hash_table_insert (self->week_helpful, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (count + 1));
}

/* Hook points for the chat (issue 4) and quiz (issue 5) events. Each maps
 * one logged event onto the actions above; wiring a new event is one line
 * in the table below. The shapes are documented in
 * docs/architecture-groups.md. */

static char *
id_string (JsonObject *o,
           const char *member)
{
  const char *s = get_str (o, member);

  return s != NULL ? g_strdup (s) : g_strdup_printf ("%" G_GINT64_FORMAT, get_int (o, member));
}

/* {"participant_id", "quiz_id", "question_id", "correct"} per answer. */
static void
reduce_quiz_answer (CohortLedger *self,
                    const Event  *ev)
{
  g_autofree char *quiz = id_string (ev->body, "quiz_id");
  g_autofree char *question = id_string (ev->body, "question_id");

  ledger_quiz_answer (self, ev, get_int (ev->body, "participant_id"), quiz, question,
                      get_bool (ev->body, "correct"));
}

/* {"quiz_id", "results": [{"participant_id", "answers": [{"question_id",
 * "correct"}], "correct", "total"}]}: a quiz's scored results. */
static void
reduce_quiz_results (CohortLedger *self,
                     const Event  *ev)
{
  g_autofree char *quiz = id_string (ev->body, "quiz_id");
  JsonNode *node = json_object_get_member (ev->body, "results");
  JsonArray *results;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  results = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *answers_node = r ? json_object_get_member (r, "answers") : NULL;
      gint64 pid = get_int (r, "participant_id");

      if (answers_node != NULL && JSON_NODE_HOLDS_ARRAY (answers_node))
        {
          JsonArray *answers = json_node_get_array (answers_node);

          for (guint j = 0; j < json_array_get_length (answers); j++)
            {
              JsonNode *an = json_array_get_element (answers, j);
              JsonObject *a = JSON_NODE_HOLDS_OBJECT (an) ? json_node_get_object (an) : NULL;
              g_autofree char *question = id_string (a, "question_id");

              ledger_quiz_answer (self, ev, pid, quiz, question, get_bool (a, "correct"));
            }
        }
      ledger_quiz_result (self, ev, pid, quiz, get_int (r, "correct"), get_int (r, "total"));
    }
}

/* {"question_id", "author_id", "voter_id"}: one peer upvote. */
static void
reduce_question_upvote (CohortLedger *self,
                        const Event  *ev)
{
  g_autofree char *question = id_string (ev->body, "question_id");

  ledger_question_upvote (self, ev, question, get_int (ev->body, "author_id"),
                          get_int (ev->body, "voter_id"));
}

/* {"answer_id", "author_id", "asker_id", "by"}: marked helpful. */
static void
reduce_answer_helpful (CohortLedger *self,
                       const Event  *ev)
{
  g_autofree char *answer = id_string (ev->body, "answer_id");

  ledger_answer_helpful (self, ev, answer, get_int (ev->body, "author_id"),
                         get_int (ev->body, "asker_id"), get_int (ev->body, "by"));
}

/* quiz (issue 5): quiz.scored, once per run at its reveal:
 * {"run_id", "question_id", "scores": [{"participant_id", "grade", …}]}
 * with grade "correct", "wrong" or "ungraded" (open answers: they count
 * as answered, never as correct). */
static void
reduce_quiz_scored (CohortLedger *self,
                    const Event  *ev)
{
  g_autofree char *run = id_string (ev->body, "run_id");
  g_autofree char *question = id_string (ev->body, "question_id");
  JsonNode *node = json_object_get_member (ev->body, "scores");
  JsonArray *scores;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  scores = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (scores); i++)
    {
      JsonNode *item = json_array_get_element (scores, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

      if (o == NULL || get_int (o, "participant_id") <= 0)
        continue;
      ledger_quiz_answer (self, ev, get_int (o, "participant_id"), run, question,
                          g_strcmp0 (get_str (o, "grade"), "correct") == 0);
    }
}

/* chat (issue 4): chat.votes {"message_id", "votes", "participant_id",
 * "vote", "voter_id", "author_id"}; an upvote counts once per (question,
 * voter), and taking a vote back does not take the point back (the
 * vote counted when given; a re-vote is the same key). Events logged
 * before voter_id/author_id existed carry no author and count nothing. */
static void
reduce_chat_votes (CohortLedger *self,
                   const Event  *ev)
{
  g_autofree char *question = id_string (ev->body, "message_id");
  gint64 voter = get_int (ev->body, "voter_id");
  gint64 author = get_int (ev->body, "author_id");

  if (!get_bool (ev->body, "vote") || voter <= 0 || author <= 0)
    return;
  ledger_question_upvote (self, ev, question, author, voter);
}

/* chat.helpful {"message_id", "question_id", "author_id", "asker_id",
 * "by", "at"}: the teacher marked a student's answer helpful. */
static void
reduce_chat_helpful (CohortLedger *self,
                     const Event  *ev)
{
  g_autofree char *answer = id_string (ev->body, "message_id");

  ledger_answer_helpful (self, ev, answer, get_int (ev->body, "author_id"),
                         get_int (ev->body, "asker_id"), get_int (ev->body, "by"));
}

/* quiz.finished {"sequence_id", "results": [{"participant_id",
 * "answered", "correct", "total"}]}: a launched sequence ended. Every
 * question answered and correct earns the perfect-quiz badge. */
static void
reduce_quiz_finished (CohortLedger *self,
                      const Event  *ev)
{
  g_autofree char *quiz = id_string (ev->body, "sequence_id");
  JsonNode *node = json_object_get_member (ev->body, "results");
  JsonArray *results;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  results = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *item = json_array_get_element (results, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      gint64 total = get_int (r, "total");

      if (r == NULL || get_int (r, "answered") != total)
        continue;
      ledger_quiz_result (self, ev, get_int (r, "participant_id"), quiz,
                          get_int (r, "correct"), total);
    }
}

/* practice (issue 14): practice.answered {"participant_id",
 * "question_id", "correct", "point_ids", "mastered"}: a graded practice
 * answer. It checks the student in for the day (in their last check-in's
 * zone, UTC before any), earns COHORT_POINTS_PRACTICE_CORRECT for a right
 * answer once per question and day (so repeating one question earns
 * nothing), and "mastered", the points the student has mastered after it,
 * earns the mastery badges: they reward what is learnt, not how much is
 * answered. */
static void
reduce_practice_answered (CohortLedger *self,
                          const Event  *ev)
{
  Member *m = lookup_student (self, get_int (ev->body, "participant_id"));
  gint64 mastered = get_int (ev->body, "mastered");
  const char *tz;

  if (m == NULL)
    return;
  tz = m->tz != NULL ? m->tz : "UTC";
  ledger_check_in (self, m, ev, tz, 0);
  if (get_bool (ev->body, "correct") &&
      first_time (self, g_strdup_printf ("practice:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%u",
                                         m->id, get_int (ev->body, "question_id"),
                                         day_in (tz, ev->ts))))
    add_points (self, m, ev->ts, COHORT_POINTS_PRACTICE_CORRECT, COHORT_POINTS_KIND_PRACTICE);
  if (mastered >= 1)
    award (self, m, COHORT_BADGE_FIRST_MASTERY, "", ev->ts);
  if (mastered >= COHORT_MASTERY_BADGE_POINTS)
    award (self, m, COHORT_BADGE_MASTERY_5, "", ev->ts);
}

typedef void (*Reducer) (CohortLedger *self,
                         const Event  *ev);

static const struct
{
  const char *event;
  Reducer     reduce;
} reducers[] = {
  /* core */
  { "participant.joined",   reduce_joined },
  { "participant.presence", reduce_presence },
  /* groups (this feature) */
  { "groups.created",       reduce_group_created },
  { "groups.assigned",      reduce_assigned },
  { "groups.settings",      reduce_settings },
  { "groups.checked_in",    reduce_checked_in },
  { "groups.starred",       reduce_starred },
  { "groups.pk_started",    reduce_pk_started },
  { "groups.pk_ended",      reduce_pk_ended },
  /* quiz (issue 5) */
  { "quiz.scored",          reduce_quiz_scored },
  { "quiz.finished",        reduce_quiz_finished },
  /* practice (issue 14) */
  { "practice.answered",    reduce_practice_answered },
  /* chat (issue 4) */
  { "chat.votes",           reduce_chat_votes },
  { "chat.helpful",         reduce_chat_helpful },
  /* normalised test/hook events, in the shapes above; see
   * docs/architecture-groups.md for wiring chat and quiz events. */
  { "ledger.quiz_answer",   reduce_quiz_answer },
  { "ledger.quiz_results",  reduce_quiz_results },
  { "ledger.upvote",        reduce_question_upvote },
  { "ledger.helpful",       reduce_answer_helpful },
};

gboolean
cohort_ledger_handles (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (reducers); i++)
    if (g_strcmp0 (reducers[i].event, name) == 0)
      return TRUE;
  return FALSE;
}

void
cohort_ledger_apply (CohortLedger *self,
                     gint64        seq,
                     gint64        ts,
                     const char   *name,
                     JsonObject   *body)
{
  Event ev = { seq, ts, body };

  if (seq <= self->seq)
    return;
  self->seq = seq;
  advance_clock (self, ts);

  if (body == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (reducers); i++)
    if (g_strcmp0 (reducers[i].event, name) == 0)
      {
        reducers[i].reduce (self, &ev);
        /* Presence or membership may have changed: find the next
         * attendance block again. */
        self->next_credit_at = 0;
        self->version++;
        break;
      }
}

void
cohort_ledger_apply_json (CohortLedger *self,
                          gint64        seq,
                          gint64        ts,
                          const char   *name,
                          const char   *body_json)
{
  g_autoptr(JsonNode) node = NULL;

  /* Most of a class's log (chat, say) counts for nothing: only its seq
   * and time matter, and parsing it would cost more than all the rest. */
  if (body_json != NULL && cohort_ledger_handles (name))
    node = json_from_string (body_json, NULL);
  cohort_ledger_apply (self, seq, ts, name,
                       node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL);
}

gint64
cohort_ledger_get_seq (CohortLedger *self)
{
  return self->seq;
}

guint64
cohort_ledger_get_version (CohortLedger *self)
{
  return self->version;
}

gint64
cohort_ledger_get_clock (CohortLedger *self)
{
  return self->clock;
}

/* ---- queries ---- */

gint64
cohort_ledger_points (CohortLedger *self,
                      gint64        participant_id,
                      gint64        since_ts)
{
  gint64 total = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const CohortLedgerEntry *e = &g_array_index (self->entries, CohortLedgerEntry, i);

      if (e->participant_id == participant_id && e->ts >= since_ts)
        total += e->points;
    }
  return total;
}

gint64
cohort_ledger_group_points (CohortLedger *self,
                            gint64        group_id,
                            gint64        since_ts,
                            gint64        until_ts)
{
  gint64 total = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const CohortLedgerEntry *e = &g_array_index (self->entries, CohortLedgerEntry, i);

      if (e->group_id == group_id && e->ts >= since_ts && (until_ts == 0 || e->ts < until_ts))
        total += e->points;
    }
  return total;
}

const GArray *
cohort_ledger_get_entries (CohortLedger *self)
{
  return self->entries;
}

const GPtrArray *
cohort_ledger_get_badges (CohortLedger *self)
{
  return self->badges;
}

const CohortStreak *
cohort_ledger_get_streak (CohortLedger *self,
                          gint64        participant_id)
{
  Member *m = lookup_member (self, participant_id);

  return m ? &m->streak : NULL;
}

const char *
cohort_ledger_get_class_tz (CohortLedger *self)
{
  return self->class_tz;
}

const char *
cohort_ledger_get_member_tz (CohortLedger *self,
                             gint64        participant_id)
{
  Member *m = lookup_member (self, participant_id);

  return m && m->tz ? m->tz : self->class_tz;
}

guint32
cohort_ledger_member_day (CohortLedger *self,
                          gint64        participant_id,
                          gint64        ts)
{
  return day_in (cohort_ledger_get_member_tz (self, participant_id), ts);
}

guint
cohort_ledger_study_minutes (CohortLedger *self,
                             gint64        participant_id,
                             guint32       day)
{
  Member *m = lookup_member (self, participant_id);

  return m ? GPOINTER_TO_UINT (g_hash_table_lookup (m->day_minutes, GUINT_TO_POINTER (day))) : 0;
}

gboolean
cohort_ledger_is_student (CohortLedger *self,
                          gint64        participant_id)
{
  return lookup_student (self, participant_id) != NULL;
}

const char *
cohort_ledger_get_name (CohortLedger *self,
                        gint64        participant_id)
{
  Member *m = lookup_member (self, participant_id);

  return m ? m->name : NULL;
}

gint64
cohort_ledger_get_group (CohortLedger *self,
                         gint64        participant_id)
{
  Member *m = lookup_member (self, participant_id);

  return m ? m->group_id : 0;
}

GArray *
cohort_ledger_list_students (CohortLedger *self)
{
  return sorted_keys (self->members, TRUE);
}

GArray *
cohort_ledger_list_members (CohortLedger *self,
                            gint64        group_id)
{
  g_autoptr(GArray) all = sorted_keys (self->members, TRUE);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < all->len; i++)
    if (lookup_member (self, g_array_index (all, gint64, i))->group_id == group_id)
      g_array_append_val (ids, g_array_index (all, gint64, i));
  return ids;
}

GArray *
cohort_ledger_list_groups (CohortLedger *self)
{
  return sorted_keys (self->groups, FALSE);
}

const char *
cohort_ledger_get_group_name (CohortLedger *self,
                              gint64        group_id)
{
  Group *g = lookup_group (self, group_id);

  return g ? g->name : NULL;
}

static guint
day_count (Group   *g,
           guint32  day)
{
  GHashTable *set = g_hash_table_lookup (g->day_checkins, GUINT_TO_POINTER (day));

  return set ? g_hash_table_size (set) : 0;
}

guint
cohort_ledger_group_streak (CohortLedger *self,
                            gint64        group_id,
                            gint64        now)
{
  Group *g = lookup_group (self, group_id);
  g_autoptr(GArray) members = NULL;
  guint threshold;
  guint32 day;
  guint streak = 0;

  if (g == NULL)
    return 0;
  members = cohort_ledger_list_members (self, group_id);
  threshold = MAX (1, (members->len + 1) / 2);

  day = class_day (self, now);
  if (day_count (g, day) < threshold)
    day--;
  while (day > 0 && day_count (g, day) >= threshold)
    {
      streak++;
      day--;
    }
  return streak;
}

gint64
cohort_ledger_week_start (CohortLedger *self,
                          gint64        now)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (self->class_tz);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / 1000);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) monday = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  int y, m, d;

  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (utc, tz);
  monday = g_date_time_add_days (local, 1 - g_date_time_get_day_of_week (local));
  g_date_time_get_ymd (monday, &y, &m, &d);
  midnight = g_date_time_new (tz, y, m, d, 0, 0, 0);
  return g_date_time_to_unix (midnight) * 1000;
}

static void
board_row_free (CohortBoardRow *row)
{
  g_free (row->name);
  g_free (row);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const CohortBoardRow *x = *(CohortBoardRow **) a;
  const CohortBoardRow *y = *(CohortBoardRow **) b;
  int c;

  if (x->points != y->points)
    return x->points > y->points ? -1 : 1;
  if ((c = g_utf8_collate (x->name, y->name)) != 0)
    return c;
  return x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
}

GPtrArray *
cohort_ledger_board (CohortLedger *self,
                     gboolean      groups,
                     gint64        since_ts)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) board_row_free);
  g_autoptr(GArray) ids = groups ? cohort_ledger_list_groups (self)
                                 : cohort_ledger_list_students (self);

  for (guint i = 0; i < ids->len; i++)
    {
      CohortBoardRow *row = g_new0 (CohortBoardRow, 1);

      row->id = g_array_index (ids, gint64, i);
      if (groups)
        {
          row->name = g_strdup (cohort_ledger_get_group_name (self, row->id));
          row->points = cohort_ledger_group_points (self, row->id, since_ts, 0);
        }
      else
        {
          row->name = g_strdup (cohort_ledger_get_name (self, row->id));
          row->points = cohort_ledger_points (self, row->id, since_ts);
        }
      g_ptr_array_add (rows, row);
    }

  g_ptr_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      CohortBoardRow *row = g_ptr_array_index (rows, i);
      CohortBoardRow *prev = i > 0 ? g_ptr_array_index (rows, i - 1) : NULL;

      row->rank = prev != NULL && prev->points == row->points ? prev->rank : i + 1;
    }
  return rows;
}

const CohortPk *
cohort_ledger_get_pk (CohortLedger *self)
{
  return self->has_pk ? &self->pk : NULL;
}

void
cohort_ledger_pk_scores (CohortLedger *self,
                         gint64       *out_scores)
{
  for (guint i = 0; self->has_pk && i < self->pk.n_groups; i++)
    out_scores[i] = cohort_ledger_group_points (self, self->pk.group_ids[i], self->pk.starts_at,
                                                self->pk.ends_at);
}

char *
cohort_ledger_diff (CohortLedger *a,
                    CohortLedger *b)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) ids_a = sorted_keys (a->members, FALSE);
  g_autoptr(GArray) ids_b = sorted_keys (b->members, FALSE);

  if (a->entries->len != b->entries->len)
    g_string_append_printf (out, "%u ledger entries against %u; ", a->entries->len, b->entries->len);
  else if (a->entries->len > 0 &&
           memcmp (a->entries->data, b->entries->data,
                   a->entries->len * sizeof (CohortLedgerEntry)) != 0)
    g_string_append (out, "ledger entries differ; ");

  if (a->badges->len != b->badges->len)
    g_string_append_printf (out, "%u badges against %u; ", a->badges->len, b->badges->len);
  else
    for (guint i = 0; i < a->badges->len; i++)
      {
        CohortBadgeAward *x = g_ptr_array_index (a->badges, i);
        CohortBadgeAward *y = g_ptr_array_index (b->badges, i);

        if (x->participant_id != y->participant_id || x->badge != y->badge ||
            x->earned_at != y->earned_at || g_strcmp0 (x->detail, y->detail) != 0)
          {
            g_string_append_printf (out, "badge %u differs; ", i);
            break;
          }
      }

  if (ids_a->len != ids_b->len)
    g_string_append_printf (out, "%u participants against %u; ", ids_a->len, ids_b->len);
  else
    for (guint i = 0; i < ids_a->len; i++)
      {
        gint64 id = g_array_index (ids_a, gint64, i);
        Member *x = lookup_member (a, id);
        Member *y = lookup_member (b, id);

        if (y == NULL || x->group_id != y->group_id || !cohort_streak_equal (&x->streak, &y->streak))
          g_string_append_printf (out, "participant %" G_GINT64_FORMAT " differs; ", id);
      }

  if (g_hash_table_size (a->groups) != g_hash_table_size (b->groups))
    g_string_append (out, "groups differ; ");

  return out->len > 0 ? g_strdup (out->str) : NULL;
}
