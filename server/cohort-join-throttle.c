/* cohort-join-throttle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-join-throttle"

#include "config.h"

#include <string.h>

#include "cohort-join-throttle.h"
#include "cohort-token-bucket.h"

/* Wrong class codes per network address. A class code is the class's
 * invitation: 8 characters from 31, so one guess in ~10¹² finds a given
 * class, but a school has many classes and a script many connections. The
 * per-connection rate limit does not stop a guesser that opens more
 * sockets; this does. Each address has a bucket of `burst` wrong guesses
 * that refills one every `refill_us`; right codes cost nothing, so a class
 * joining from one school network is never slowed by it. */

#define MAX_HOSTS_BEFORE_SWEEP 4096
/* Addresses past the table's size share one bucket (see bucket_for()). */
#define OVERFLOW_KEY           "(overflow)"


struct _CohortJoinThrottle
{
  GObject     parent_instance;

  guint       burst;
  gint64      refill_us;
  /* host → CohortTokenBucket; only hosts with a recent wrong guess */
  GHashTable *hosts;
  guint       max_hosts;
  gint64      swept_at;
};

G_DEFINE_FINAL_TYPE (CohortJoinThrottle, cohort_join_throttle, G_TYPE_OBJECT)

static void
cohort_join_throttle_finalize (GObject *object)
{
  CohortJoinThrottle *self = COHORT_JOIN_THROTTLE (object);

  g_hash_table_unref (self->hosts);

  G_OBJECT_CLASS (cohort_join_throttle_parent_class)->finalize (object);
}

static void
cohort_join_throttle_class_init (CohortJoinThrottleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_join_throttle_finalize;
}

static void
cohort_join_throttle_init (CohortJoinThrottle *self)
{
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * cohort_join_throttle_new:
 * @max_hosts: how many addresses get a bucket of their own; memory stays
 *   bounded against a guesser with endless addresses
 */
CohortJoinThrottle *
cohort_join_throttle_new (guint  burst,
                          gint64 refill_us,
                          guint  max_hosts)
{
  CohortJoinThrottle *self = g_object_new (COHORT_TYPE_JOIN_THROTTLE, NULL);

  g_return_val_if_fail (burst > 0 && refill_us > 0 && max_hosts > 0, NULL);

  self->max_hosts = max_hosts;
  self->burst = burst;
  self->refill_us = refill_us;
  return self;
}

/* Brings @bucket up to @now_us; TRUE if it is full again. */
static gboolean
refill (CohortJoinThrottle *self,
        CohortTokenBucket  *bucket,
        gint64              now_us)
{
  return cohort_token_bucket_refill (bucket, self->burst, self->refill_us, now_us);
}

/* @host's bucket, NULL if it has none. Once the table is full, an address
 * without a bucket of its own is counted in the shared overflow bucket: a
 * guesser who filled the table with partly used buckets (an IPv6 /48 holds
 * 65,536 /64s) gains nothing from more addresses. */
static CohortTokenBucket *
bucket_for (CohortJoinThrottle *self,
            const char         *host)
{
  CohortTokenBucket *bucket = g_hash_table_lookup (self->hosts, host);

  if (bucket == NULL && g_hash_table_size (self->hosts) >= self->max_hosts)
    bucket = g_hash_table_lookup (self->hosts, OVERFLOW_KEY);
  return bucket;
}

gint64
cohort_join_throttle_check (CohortJoinThrottle *self,
                            const char         *host,
                            gint64              now_us)
{
  CohortTokenBucket *bucket;

  g_return_val_if_fail (COHORT_IS_JOIN_THROTTLE (self), 0);

  if (host == NULL || (bucket = bucket_for (self, host)) == NULL)
    return 0;

  return cohort_token_bucket_wait (bucket, self->burst, self->refill_us, now_us);
}

static void
sweep (CohortJoinThrottle *self,
       gint64              now_us)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->hosts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (refill (self, value, now_us))
      g_hash_table_iter_remove (&iter);
}

void
cohort_join_throttle_failed (CohortJoinThrottle *self,
                             const char         *host,
                             gint64              now_us)
{
  CohortTokenBucket *bucket;

  g_return_if_fail (COHORT_IS_JOIN_THROTTLE (self));

  if (host == NULL)
    return;

  bucket = g_hash_table_lookup (self->hosts, host);
  if (bucket == NULL)
    {
      /* A sweep walks the whole table: at most one per refill interval. */
      if (g_hash_table_size (self->hosts) >= MIN (MAX_HOSTS_BEFORE_SWEEP, self->max_hosts) &&
          now_us - self->swept_at >= self->refill_us)
        {
          sweep (self, now_us);
          self->swept_at = now_us;
        }
      /* Full of addresses still guessing: the newcomer shares the overflow
       * bucket (the one entry allowed past the limit), and no bucket that
       * holds a guesser back is freed. */
      if (g_hash_table_size (self->hosts) >= self->max_hosts)
        host = OVERFLOW_KEY;
      bucket = g_hash_table_lookup (self->hosts, host);
    }
  if (bucket == NULL)
    {
      bucket = g_new0 (CohortTokenBucket, 1);
      cohort_token_bucket_init (bucket, self->burst, now_us);
      g_hash_table_insert (self->hosts, g_strdup (host), bucket);
    }

  refill (self, bucket, now_us);
  bucket->tokens = MAX (0.0, bucket->tokens - 1.0);
}

guint
cohort_join_throttle_get_n_hosts (CohortJoinThrottle *self)
{
  return g_hash_table_size (self->hosts);
}

/* How the throttle names an address: IPv4 as it is, IPv6 by its /64
 * (one home or one phone gets a whole /64 and may use any address in it). */
char *
cohort_join_throttle_address_key (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);
  guint8 prefix[16] = { 0 };
  g_autoptr(GInetAddress) network = NULL;
  g_autofree char *text = NULL;

  if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return g_inet_address_to_string (address);

  /* ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket. */
  if (memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
    {
      g_autoptr(GInetAddress) v4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);

      return g_inet_address_to_string (v4);
    }

  memcpy (prefix, bytes, 8);
  network = g_inet_address_new_from_bytes (prefix, G_SOCKET_FAMILY_IPV6);
  text = g_inet_address_to_string (network);
  return g_strconcat (text, "/64", NULL);
}

/* One X-Forwarded-For entry as an address: "1.2.3.4", "1.2.3.4:5678",
 * "2001:db8::1" or "[2001:db8::1]:443". NULL if it is none of these. */
GInetAddress *
cohort_join_throttle_parse_forwarded (const char *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (entry));
  char *end;

  if (text[0] == '[' && (end = strchr (text, ']')) != NULL)
    {
      *end = '\0';
      return g_inet_address_new_from_string (text + 1);
    }
  /* One colon: IPv4 with a port. More: a bare IPv6 address. */
  if ((end = strchr (text, ':')) != NULL && strchr (end + 1, ':') == NULL)
    *end = '\0';
  return g_inet_address_new_from_string (text);
}
