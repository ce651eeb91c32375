/* cohort-socket-hub.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-socket-hub"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "cohort-socket-hub.h"

/* All the class sockets behind one epoll descriptor, which is the only
 * thing the main loop polls. A GSource per socket would make every
 * main-loop iteration walk (prepare, check, poll) a thousand sources for
 * a full class; with the hub an iteration costs the same for three
 * sockets or three thousand, and a wake-up reports only the sockets that
 * are ready. (docs/architecture-chat.md, "Fan-out") */

#define MAX_EVENTS 256

struct _CohortSocketWatch
{
  int              fd;
  guint32          events;
  CohortSocketFunc func;
  gpointer         data;
  gboolean         removed;
};

struct _CohortSocketHub
{
  GObject    parent_instance;

  int        epfd;
  GSource   *source;
  /* unwatched during a dispatch: freed once it is over, since the batch
   * of ready events may still point at them */
  GPtrArray *dead;
  gboolean   dispatching;
};

G_DEFINE_FINAL_TYPE (CohortSocketHub, cohort_socket_hub, G_TYPE_OBJECT)

static gboolean
on_ready (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  /* A callback may drop the last other reference (a server disposed from
   * a socket's handler). */
  g_autoptr(CohortSocketHub) self = g_object_ref (user_data);
  struct epoll_event events[MAX_EVENTS];
  int n = epoll_wait (self->epfd, events, MAX_EVENTS, 0);

  if (n < 0 && errno != EINTR)
    g_warning ("epoll_wait: %s", g_strerror (errno));

  self->dispatching = TRUE;
  for (int i = 0; i < n; i++)
    {
      CohortSocketWatch *watch = events[i].data.ptr;

      if (!watch->removed)
        watch->func (watch->data, events[i].events);
    }
  self->dispatching = FALSE;
  g_ptr_array_set_size (self->dead, 0);

  return G_SOURCE_CONTINUE;
}

static void
cohort_socket_hub_finalize (GObject *object)
{
  CohortSocketHub *self = COHORT_SOCKET_HUB (object);

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_source_unref (self->source);
    }
  g_ptr_array_unref (self->dead);
  if (self->epfd >= 0)
    close (self->epfd);

  G_OBJECT_CLASS (cohort_socket_hub_parent_class)->finalize (object);
}

static void
cohort_socket_hub_class_init (CohortSocketHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_socket_hub_finalize;
}

static void
cohort_socket_hub_init (CohortSocketHub *self)
{
  self->epfd = -1;
  self->dead = g_ptr_array_new_with_free_func (g_free);
}

/**
 * cohort_socket_hub_new:
 *
 * Creates a hub whose readiness callbacks run in the thread-default
 * main context of the caller.
 */
CohortSocketHub *
cohort_socket_hub_new (GError **error)
{
  g_autoptr(CohortSocketHub) self = g_object_new (COHORT_TYPE_SOCKET_HUB, NULL);

  self->epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (self->epfd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "epoll_create1: %s", g_strerror (saved));
      return NULL;
    }

  self->source = g_unix_fd_source_new (self->epfd, G_IO_IN);
  g_source_set_static_name (self->source, "CohortSocketHub");
  g_source_set_callback (self->source, G_SOURCE_FUNC (on_ready), self, NULL);
  g_source_attach (self->source, g_main_context_get_thread_default ());
  return g_steal_pointer (&self);
}

/**
 * cohort_socket_hub_watch:
 * @events: EPOLLIN, EPOLLOUT… (level-triggered unless EPOLLET is among them)
 *
 * Calls func (data, events) whenever @fd is ready, until
 * cohort_socket_hub_unwatch(). @data must live until then.
 */
CohortSocketWatch *
cohort_socket_hub_watch (CohortSocketHub  *self,
                         int               fd,
                         guint32           events,
                         CohortSocketFunc  func,
                         gpointer          data,
                         GError          **error)
{
  CohortSocketWatch *watch = g_new0 (CohortSocketWatch, 1);
  struct epoll_event ev = { .events = events, .data.ptr = watch };

  watch->fd = fd;
  watch->events = events;
  watch->func = func;
  watch->data = data;

  if (epoll_ctl (self->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "epoll_ctl: %s", g_strerror (saved));
      g_free (watch);
      return NULL;
    }
  return watch;
}

void
cohort_socket_hub_modify (CohortSocketHub   *self,
                          CohortSocketWatch *watch,
                          guint32            events)
{
  struct epoll_event ev = { .events = events, .data.ptr = watch };

  if (watch->removed || watch->events == events)
    return;

  watch->events = events;
  if (epoll_ctl (self->epfd, EPOLL_CTL_MOD, watch->fd, &ev) < 0)
    g_warning ("epoll_ctl (MOD): %s", g_strerror (errno));
}

/* Call before closing the descriptor. */
void
cohort_socket_hub_unwatch (CohortSocketHub   *self,
                           CohortSocketWatch *watch)
{
  g_return_if_fail (!watch->removed);

  watch->removed = TRUE;
  epoll_ctl (self->epfd, EPOLL_CTL_DEL, watch->fd, NULL);
  if (self->dispatching)
    g_ptr_array_add (self->dead, watch);
  else
    g_free (watch);
}
