/* cohort-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-connection"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "cohort-connection.h"
#include "cohort-protocol.h"
#include "cohort-token-bucket.h"
#include "cohort-ws-frame.h"

/* The flood counter resets once the bucket could have refilled completely. */
#define REFILL_WINDOW_US ((gint64) G_USEC_PER_SEC * COHORT_RATE_BURST / COHORT_RATE_PER_SECOND)
/* A peer that does not answer our close frame in time is cut off. */
#define CLOSE_TIMEOUT_MS 2000
/* A client this far behind on reading is cut off; it resumes from its
 * last seq when it reconnects. */
#define MAX_UNSENT_BYTES ((gsize) 8 * 1024 * 1024)
#define READ_CHUNK       (16 * 1024)
/* Frames per sendmsg() call; well under IOV_MAX. (sendmsg() is writev()
 * with flags: MSG_NOSIGNAL, so a vanished peer is an error, not SIGPIPE.) */
#define FRAMES_PER_WRITE 64

/* The server's end of one WebSocket (RFC 6455), framed here rather than by
 * libsoup: libsoup's HTTP server does the handshake and hands over the
 * socket, and from then on the connection reads and writes it directly
 * through the server's CohortSocketHub. A frame to a client goes out in
 * one sendmsg() of its header and the payload every client shares, with
 * no copy unless the socket is full. (docs/architecture-chat.md) */

typedef enum
{
  STATE_OPEN,
  /* we sent a close frame and wait for the peer's */
  STATE_CLOSING,
  STATE_CLOSED,
} State;

struct _CohortConnection
{
  GObject             parent_instance;

  /* request id → reply JSON ("" in flight): see cohort_request_begin_volatile() */
  GHashTable         *volatile_replies;

  GIOStream          *stream;
  int                 fd;
  CohortSocketHub    *hub;
  CohortSocketWatch  *watch;
  State               state;
  gboolean            close_sent;
  gboolean            close_received;
  /* a protocol error: our close frame goes out, then input is discarded
   * until the peer hangs up */
  gboolean            failing;
  gboolean            write_shut;
  /* a write failed: ::closed follows from an idle, never from inside a
   * send, where the caller (a service) may still hold on to what the
   * services' connection_left hooks free */
  gboolean            broken;
  guint               close_timeout;
  /* the last ping of a read, answered once at its end (RFC 6455, 5.5.3) */
  gboolean            pong_due;
  guint8              pong[COHORT_WS_MAX_CONTROL_PAYLOAD];
  gsize               pong_length;
  guint64             max_payload;

  GByteArray         *in;
  gsize               in_offset;
  /* a fragmented message being put together */
  GByteArray         *message;
  CohortWsOpcode      message_opcode;
  GByteArray         *out;
  gsize               out_offset;

  CohortTokenBucket   frames;
  guint               over_limit;
  gint64              over_limit_since;
  gint64              last_activity;
  gint64              last_ping;
  gint64              connected_at;

  gint64              class_id;
  gint64              participant_id;
  gint64              last_sent_seq;
  gboolean            joined;
  gboolean            is_teacher;
  /* the client reads batch frames (docs/protocol.md, "Batch frames") */
  gboolean            batch;
  char               *remote_host;

  /* scale: frames wait for their commit to reach PostgreSQL
   * (cohort-durability.h); HeldFrame, in order, and a close behind them */
  CohortDurability   *durability;
  GPtrArray          *held;
  gboolean            close_held;
  gushort             held_close_code;
  char               *held_close_reason;
};

typedef struct
{
  guint64  ticket;
  GBytes  *text;
} HeldFrame;

static void
held_frame_free (gpointer data)
{
  HeldFrame *frame = data;

  g_bytes_unref (frame->text);
  g_free (frame);
}

G_DEFINE_FINAL_TYPE (CohortConnection, cohort_connection, G_TYPE_OBJECT)

enum {
  MESSAGE,
  PONG,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CohortWsOpcode  opcode;
  const guint8   *data;
  gsize           length;
} Frame;

static void on_socket_ready (gpointer data,
                             guint32  events);

/* Lets the socket go. @clean: the closing handshake completed. */
static void
finish (CohortConnection *self,
        gboolean          clean)
{
  if (self->state == STATE_CLOSED)
    return;

  self->state = STATE_CLOSED;
  g_clear_handle_id (&self->close_timeout, g_source_remove);
  if (self->watch != NULL)
    {
      cohort_socket_hub_unwatch (self->hub, self->watch);
      self->watch = NULL;
    }
  if (self->stream != NULL)
    g_io_stream_close (self->stream, NULL, NULL);
  g_clear_object (&self->stream);
  self->fd = -1;
  g_byte_array_set_size (self->out, 0);
  self->out_offset = 0;

  g_debug ("connection closed (%s)", clean ? "clean" : "dropped");
  g_signal_emit (self, signals[CLOSED], 0);
}

static guint32
wanted_events (CohortConnection *self)
{
  return EPOLLIN | (self->out->len > self->out_offset ? EPOLLOUT : 0);
}

/* After a burst (a lagging client, one large message) the buffer would
 * keep its peak allocation for the life of the connection. */
static void
empty_buffer (GByteArray **buffer)
{
  if ((*buffer)->len > 64 * 1024)
    {
      g_byte_array_unref (*buffer);
      *buffer = g_byte_array_new ();
    }
  else
    g_byte_array_set_size (*buffer, 0);
}

static gboolean
finish_broken (gpointer user_data)
{
  finish (user_data, FALSE);
  return G_SOURCE_REMOVE;
}

static void
break_connection (CohortConnection *self)
{
  if (self->broken || self->state == STATE_CLOSED)
    return;

  self->broken = TRUE;
  shutdown (self->fd, SHUT_RDWR);
  empty_buffer (&self->out);
  self->out_offset = 0;
  g_idle_add_full (G_PRIORITY_DEFAULT, finish_broken, g_object_ref (self), g_object_unref);
}

/* Writes what is waiting in self->out; FALSE if the socket failed. */
static gboolean
flush_out (CohortConnection *self)
{
  while (self->out_offset < self->out->len)
    {
      ssize_t n = send (self->fd, self->out->data + self->out_offset,
                        self->out->len - self->out_offset, MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          return FALSE;
        }
      self->out_offset += n;
    }

  if (self->out_offset == self->out->len)
    {
      empty_buffer (&self->out);
      self->out_offset = 0;
    }
  else if (self->out_offset > self->out->len / 2)
    {
      g_byte_array_remove_range (self->out, 0, self->out_offset);
      self->out_offset = 0;
    }

  cohort_socket_hub_modify (self->hub, self->watch, wanted_events (self));
  return TRUE;
}

static void
append_frame (GByteArray  *out,
              const Frame *frame)
{
  guint8 header[10];
  gsize header_length = cohort_ws_server_header (header, frame->opcode, frame->length);

  g_byte_array_append (out, header, header_length);
  g_byte_array_append (out, frame->data, frame->length);
}

/* Sends @frames in order: straight to the socket while it takes them,
 * the rest into self->out for when it can take more. */
static void
write_frames (CohortConnection *self,
              const Frame      *frames,
              guint             n_frames)
{
  guint done = 0;

  if (self->state == STATE_CLOSED || self->close_sent || self->broken)
    return;

  while (done < n_frames && self->out->len == self->out_offset)
    {
      struct iovec iov[2 * FRAMES_PER_WRITE];
      guint8 headers[FRAMES_PER_WRITE][10];
      guint count = MIN (n_frames - done, FRAMES_PER_WRITE);
      gsize total = 0;
      ssize_t n;

      for (guint i = 0; i < count; i++)
        {
          const Frame *frame = &frames[done + i];

          iov[2 * i].iov_base = headers[i];
          iov[2 * i].iov_len = cohort_ws_server_header (headers[i], frame->opcode, frame->length);
          iov[2 * i + 1].iov_base = (void *) frame->data;
          iov[2 * i + 1].iov_len = frame->length;
          total += iov[2 * i].iov_len + frame->length;
        }

      do
        n = sendmsg (self->fd, &(struct msghdr) { .msg_iov = iov, .msg_iovlen = 2 * count }, MSG_NOSIGNAL);
      while (n < 0 && errno == EINTR);

      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        {
          break_connection (self);
          return;
        }
      if (n < 0)
        n = 0;

      if ((gsize) n == total)
        {
          done += count;
          continue;
        }

      /* The socket is full: keep the unsent tail of this batch. */
      for (guint i = 0; i < 2 * count; i++)
        {
          if ((gsize) n >= iov[i].iov_len)
            {
              n -= iov[i].iov_len;
              continue;
            }
          g_byte_array_append (self->out, (guint8 *) iov[i].iov_base + n, iov[i].iov_len - n);
          n = 0;
        }
      done += count;
    }

  for (; done < n_frames; done++)
    append_frame (self->out, &frames[done]);

  if (self->out->len - self->out_offset > MAX_UNSENT_BYTES)
    {
      g_message ("Dropping a connection that stopped reading (%" G_GSIZE_FORMAT " bytes unsent)",
                 (gsize) (self->out->len - self->out_offset));
      break_connection (self);
      return;
    }

  cohort_socket_hub_modify (self->hub, self->watch, wanted_events (self));
}

static void
write_control (CohortConnection *self,
               CohortWsOpcode    opcode,
               const guint8     *data,
               gsize             length)
{
  Frame frame = { opcode, data, length };

  write_frames (self, &frame, 1);
}

static gboolean
on_close_timeout (gpointer user_data)
{
  CohortConnection *self = user_data;

  self->close_timeout = 0;
  g_debug ("peer did not finish the closing handshake");
  finish (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
send_close (CohortConnection *self,
            gushort           code,
            const char       *reason)
{
  guint8 payload[COHORT_WS_MAX_CONTROL_PAYLOAD];
  gsize length = 0;

  if (self->close_sent || self->state == STATE_CLOSED)
    return;

  if (code != COHORT_WS_CLOSE_NO_STATUS)
    {
      const char *end = reason;

      payload[0] = code >> 8;
      payload[1] = code & 0xFF;
      length = 2;

      /* The reason is cut to fit, at a character boundary. */
      if (reason != NULL)
        {
          const char *p = reason;

          while (*p != '\0' && (gsize) (g_utf8_next_char (p) - reason) <= sizeof payload - 2)
            p = g_utf8_next_char (p);
          end = p;
          memcpy (payload + 2, reason, end - reason);
          length += end - reason;
        }
    }

  write_control (self, COHORT_WS_OP_CLOSE, payload, length);
  /* After the write: write_frames() sends nothing once this is set. */
  self->close_sent = TRUE;
  if (self->state != STATE_CLOSED)
    {
      self->state = STATE_CLOSING;
      if (self->close_timeout == 0)
        self->close_timeout = g_timeout_add (CLOSE_TIMEOUT_MS, on_close_timeout, self);
    }
}

/* A protocol error: tells the peer why, then lets it hang up (closing at
 * once, with its data unread, would reset the connection, and the peer
 * might never read the close frame). */
static void
fail (CohortConnection *self,
      gushort           code,
      const char       *reason)
{
  g_debug ("closing a connection: %s", reason);
  self->failing = TRUE;
  send_close (self, code, reason);
}

/* At the end of a dispatch: what the closing handshake still waits for. */
static void
maybe_finish (CohortConnection *self)
{
  if (self->state == STATE_CLOSED || !self->close_sent || self->out->len > self->out_offset)
    return;

  /* Both close frames are through: the server closes TCP first. */
  if (self->close_received)
    {
      finish (self, TRUE);
      return;
    }

  if (self->failing && !self->write_shut)
    {
      shutdown (self->fd, SHUT_WR);
      self->write_shut = TRUE;
    }
}

/* UTF-8 as RFC 6455 wants it: NUL is a character like any other. */
static gboolean
text_is_valid (const guint8 *data,
               gsize         length)
{
  const char *p = (const char *) data;
  const char *end = p + length;

  while (p < end)
    {
      const char *stop;

      if (g_utf8_validate_len (p, end - p, &stop))
        return TRUE;
      if (*stop != '\0')
        return FALSE;
      p = stop + 1;
    }
  return TRUE;
}

static void
on_close_frame (CohortConnection *self,
                const guint8     *payload,
                gsize             length)
{
  gushort code = COHORT_WS_CLOSE_NO_STATUS;

  if (length == 1)
    {
      fail (self, COHORT_WS_CLOSE_PROTOCOL_ERROR, "bad close frame");
      return;
    }
  if (length >= 2)
    {
      code = (payload[0] << 8) | payload[1];
      if (!cohort_ws_close_code_is_valid (code))
        {
          fail (self, COHORT_WS_CLOSE_PROTOCOL_ERROR, "bad close code");
          return;
        }
      if (!text_is_valid (payload + 2, length - 2))
        {
          fail (self, COHORT_WS_CLOSE_BAD_DATA, "bad close reason");
          return;
        }
    }

  /* Echo the code; maybe_finish() closes once it is out. */
  self->close_received = TRUE;
  send_close (self, code, NULL);
}

static void
emit_message (CohortConnection *self,
              CohortWsOpcode    opcode,
              const guint8     *data,
              gsize             length)
{
  g_autoptr(GBytes) bytes = NULL;

  if (opcode == COHORT_WS_OP_TEXT && !text_is_valid (data, length))
    {
      fail (self, COHORT_WS_CLOSE_BAD_DATA, "invalid UTF-8");
      return;
    }

  bytes = g_bytes_new (data, length);
  g_signal_emit (self, signals[MESSAGE], 0, (int) opcode, bytes);
}

/* One complete frame, unmasked. */
static void
on_frame (CohortConnection          *self,
          const CohortWsFrameHeader *header,
          guint8                    *payload)
{
  gsize length = header->payload_length;
  gboolean completes_message = header->fin && (header->opcode == COHORT_WS_OP_TEXT ||
                                                header->opcode == COHORT_WS_OP_BINARY ||
                                                header->opcode == COHORT_WS_OP_CONTINUATION);

  /* Every frame takes a token from the connection's frame limit. The frame
   * that completes a message is counted by the server, which answers one
   * over the limit with rate_limited; the others (pings, pongs, fragments,
   * empty ones too) are counted here, where nothing can be answered: one
   * over the limit is dropped (a ping goes unanswered), and a flood of them
   * closes with 1008 as a flood of messages does. Uncounted, one socket
   * sent 61 M pings in 15 s. */
  if (!completes_message)
    {
      CohortRateResult rate = cohort_connection_take_frame (self, g_get_monotonic_time ());

      if (rate == COHORT_RATE_FLOOD)
        {
          g_message ("Closing a connection that floods the server with control frames or fragments");
          fail (self, COHORT_WS_CLOSE_POLICY, "flood");
          return;
        }
      if (rate == COHORT_RATE_LIMITED && header->opcode == COHORT_WS_OP_PING)
        return;
    }

  switch (header->opcode)
    {
    case COHORT_WS_OP_PING:
      self->pong_due = TRUE;
      self->pong_length = length;
      memcpy (self->pong, payload, length);
      return;

    case COHORT_WS_OP_PONG:
      g_signal_emit (self, signals[PONG], 0);
      return;

    case COHORT_WS_OP_CLOSE:
      on_close_frame (self, payload, length);
      return;

    case COHORT_WS_OP_TEXT:
    case COHORT_WS_OP_BINARY:
      if (self->message != NULL)
        {
          fail (self, COHORT_WS_CLOSE_PROTOCOL_ERROR, "expected a continuation frame");
          return;
        }
      if (header->fin)
        {
          /* Once we sent close, what else arrives is dropped unread. */
          if (self->state == STATE_OPEN)
            emit_message (self, header->opcode, payload, length);
          return;
        }
      self->message = g_byte_array_sized_new (length);
      self->message_opcode = header->opcode;
      g_byte_array_append (self->message, payload, length);
      return;

    case COHORT_WS_OP_CONTINUATION:
      if (self->message == NULL)
        {
          fail (self, COHORT_WS_CLOSE_PROTOCOL_ERROR, "unexpected continuation frame");
          return;
        }
      if (self->message->len + length > self->max_payload)
        {
          fail (self, COHORT_WS_CLOSE_TOO_BIG, "message too big");
          return;
        }
      g_byte_array_append (self->message, payload, length);
      if (header->fin)
        {
          g_autoptr(GByteArray) message = g_steal_pointer (&self->message);

          if (self->state == STATE_OPEN)
            emit_message (self, self->message_opcode, message->data, message->len);
        }
      return;

    default:
      g_assert_not_reached ();
    }
}

static void
answer_ping (CohortConnection *self)
{
  if (!self->pong_due)
    return;
  self->pong_due = FALSE;
  if (self->state == STATE_OPEN)
    write_control (self, COHORT_WS_OP_PONG, self->pong, self->pong_length);
}

static void
process_input (CohortConnection *self)
{
  /* Nothing is read after the peer's close frame, or after ours for a
   * protocol error. */
  while (self->state != STATE_CLOSED && !self->close_received && !self->failing)
    {
      guint8 *data = self->in->data + self->in_offset;
      gsize available = self->in->len - self->in_offset;
      CohortWsFrameHeader header;
      gushort code;

      switch (cohort_ws_parse_client_header (data, available, self->max_payload, &header, &code))
        {
        case COHORT_WS_PARSE_NEED_MORE:
          goto compact;
        case COHORT_WS_PARSE_ERROR:
          fail (self, code, code == COHORT_WS_CLOSE_TOO_BIG ? "frame too big" : "bad frame");
          return;
        case COHORT_WS_PARSE_OK:
        default:
          break;
        }

      if (available - header.header_length < header.payload_length)
        goto compact;

      self->in_offset += header.header_length + header.payload_length;
      cohort_ws_unmask (data + header.header_length, header.payload_length, header.mask);
      on_frame (self, &header, data + header.header_length);
    }
  return;

compact:
  if (self->in_offset == self->in->len)
    {
      empty_buffer (&self->in);
      self->in_offset = 0;
    }
  else if (self->in_offset > 0)
    {
      g_byte_array_remove_range (self->in, 0, self->in_offset);
      self->in_offset = 0;
    }
}

static void
read_input (CohortConnection *self)
{
  /* A few reads per wake-up, so one busy client cannot hold up the rest. */
  for (guint i = 0; i < 4 && self->state != STATE_CLOSED; i++)
    {
      /* Read on the stack: a thousand idle clients keep no buffers. */
      guint8 chunk[READ_CHUNK];
      ssize_t n;

      do
        n = recv (self->fd, chunk, sizeof chunk, 0);
      while (n < 0 && errno == EINTR);
      if (n > 0)
        g_byte_array_append (self->in, chunk, n);

      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        {
          finish (self, FALSE);
          return;
        }
      if (n < 0)
        break;

      if (self->failing || self->close_received)
        g_byte_array_set_size (self->in, 0);
      else
        process_input (self);
      if (n < (ssize_t) sizeof chunk)
        break;
    }

  answer_ping (self);
}

static void
on_socket_ready (gpointer data,
                 guint32  events)
{
  g_autoptr(CohortConnection) self = g_object_ref (data);

  if (self->broken)
    return;

  if ((events & EPOLLOUT) && !flush_out (self))
    {
      finish (self, FALSE);
      return;
    }

  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
    read_input (self);

  maybe_finish (self);
}

static void
cohort_connection_dispose (GObject *object)
{
  CohortConnection *self = COHORT_CONNECTION (object);

  if (self->state != STATE_CLOSED)
    cohort_connection_detach (self);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (cohort_connection_parent_class)->dispose (object);
}

static void
cohort_connection_finalize (GObject *object)
{
  CohortConnection *self = COHORT_CONNECTION (object);

  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_clear_pointer (&self->message, g_byte_array_unref);
  g_free (self->remote_host);
  g_clear_pointer (&self->volatile_replies, g_hash_table_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_free (self->held_close_reason);
  g_clear_object (&self->durability);

  G_OBJECT_CLASS (cohort_connection_parent_class)->finalize (object);
}

static void
cohort_connection_class_init (CohortConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_connection_dispose;
  G_OBJECT_CLASS (klass)->finalize = cohort_connection_finalize;

  /**
   * CohortConnection::message:
   * @opcode: COHORT_WS_OP_TEXT or COHORT_WS_OP_BINARY
   * @data: the whole message
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_INT,
                  G_TYPE_BYTES);

  /**
   * CohortConnection::pong:
   *
   * The client answered a ping.
   */
  signals[PONG] =
    g_signal_new ("pong",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CohortConnection::closed:
   *
   * The socket is closed, whichever side closed it, cleanly or not.
   * Emitted once; never after cohort_connection_detach().
   */
  signals[CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cohort_connection_init (CohortConnection *self)
{
  self->fd = -1;
  self->state = STATE_CLOSED;
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  cohort_token_bucket_init (&self->frames, COHORT_RATE_BURST, g_get_monotonic_time ());
  self->last_activity = self->frames.refilled_at;
  self->connected_at = self->frames.refilled_at;
}

static gboolean
process_buffered (gpointer user_data)
{
  CohortConnection *self = user_data;

  if (self->state != STATE_CLOSED && !self->broken)
    {
      process_input (self);
      answer_ping (self);
      maybe_finish (self);
    }
  return G_SOURCE_REMOVE;
}

/**
 * cohort_connection_new:
 * @stream: the upgraded HTTP connection, its handshake done
 * @socket: the socket under @stream
 * @hub: where the socket is watched
 * @max_payload: the largest message a client may send
 *
 * Takes over @socket; @stream is only kept (and closed at the end) so
 * that whatever it had read ahead is not lost.
 */
CohortConnection *
cohort_connection_new (GIOStream        *stream,
                       GSocket          *socket,
                       CohortSocketHub  *hub,
                       guint64           max_payload,
                       GError          **error)
{
  g_autoptr(CohortConnection) self = NULL;
  GInputStream *input;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);

  self = g_object_new (COHORT_TYPE_CONNECTION, NULL);
  self->stream = g_object_ref (stream);
  self->fd = g_socket_get_fd (socket);
  self->hub = g_object_ref (hub);
  self->max_payload = max_payload;

  /* GSocket keeps its descriptor non-blocking; make sure of it. */
  fcntl (self->fd, F_SETFL, fcntl (self->fd, F_GETFL) | O_NONBLOCK);

  self->watch = cohort_socket_hub_watch (hub, self->fd, EPOLLIN, on_socket_ready, self, error);
  if (self->watch == NULL)
    return NULL;

  self->state = STATE_OPEN;

  /* Frames a client sent right behind its handshake may sit in the HTTP
   * server's read-ahead buffer rather than in the socket. Only a little is
   * taken here: the rest waits in the socket, for read_input(), which
   * handles it frame by frame (and so closes on an oversized message
   * before reading all of it). */
  input = g_io_stream_get_input_stream (stream);
  if (G_IS_POLLABLE_INPUT_STREAM (input))
    while (self->in->len < READ_CHUNK)
      {
        guint8 buffer[4096];
        gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input),
                                                             buffer, sizeof buffer, NULL, NULL);
        if (n <= 0)
          break;
        g_byte_array_append (self->in, buffer, n);
      }
  if (self->in->len > 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, process_buffered, g_object_ref (self), g_object_unref);

  return g_steal_pointer (&self);
}

gboolean
cohort_connection_is_open (CohortConnection *self)
{
  return self->state == STATE_OPEN && !self->broken;
}

/* While a commit is on its way to PostgreSQL, text frames queue behind
 * it (and behind frames already queued). */
static gboolean
hold_frames (CohortConnection *self,
             const Frame      *frames,
             guint             n_frames)
{
  guint64 ticket;

  if (self->durability == NULL ||
      (ticket = cohort_durability_get_pending (self->durability)) == 0)
    return FALSE;

  if (self->held == NULL)
    self->held = g_ptr_array_new_with_free_func (held_frame_free);
  if (self->held->len == 0)
    cohort_durability_track (self->durability, self);
  for (guint i = 0; i < n_frames; i++)
    {
      HeldFrame *held = g_new0 (HeldFrame, 1);

      held->ticket = ticket;
      held->text = g_bytes_new (frames[i].data, frames[i].length);
      g_ptr_array_add (self->held, held);
    }
  return TRUE;
}

void
cohort_connection_set_durability (CohortConnection *self,
                                  CohortDurability *durability)
{
  g_return_if_fail (COHORT_IS_CONNECTION (self));

  g_set_object (&self->durability, durability);
}

gboolean
_cohort_connection_release (CohortConnection *self,
                            guint64           acked)
{
  g_autofree Frame *run = NULL;
  guint n = 0;

  if (self->held == NULL)
    return FALSE;

  while (n < self->held->len && ((HeldFrame *) g_ptr_array_index (self->held, n))->ticket <= acked)
    n++;
  if (n > 0)
    {
      run = g_new (Frame, n);
      for (guint i = 0; i < n; i++)
        {
          HeldFrame *held = g_ptr_array_index (self->held, i);

          run[i].opcode = COHORT_WS_OP_TEXT;
          run[i].data = g_bytes_get_data (held->text, &run[i].length);
        }
      write_frames (self, run, n);
      g_ptr_array_remove_range (self->held, 0, n);
    }

  if (self->held->len > 0)
    return TRUE;
  if (self->close_held)
    {
      g_autofree char *reason = g_steal_pointer (&self->held_close_reason);

      self->close_held = FALSE;
      cohort_connection_close (self, self->held_close_code, reason);
    }
  return FALSE;
}

void
_cohort_connection_drop_held (CohortConnection *self)
{
  if (self->held != NULL)
    g_ptr_array_set_size (self->held, 0);
  self->close_held = FALSE;
  g_clear_pointer (&self->held_close_reason, g_free);
  cohort_connection_close (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "moved");
}

void
cohort_connection_send_bytes (CohortConnection *self,
                              GBytes           *frame)
{
  Frame f;

  if (self->state != STATE_OPEN)
    return;

  f.opcode = COHORT_WS_OP_TEXT;
  f.data = g_bytes_get_data (frame, &f.length);
  if (!hold_frames (self, &f, 1))
    write_frames (self, &f, 1);
}

void
cohort_connection_send (CohortConnection *self,
                        const char       *json)
{
  Frame f = { COHORT_WS_OP_TEXT, (const guint8 *) json, strlen (json) };

  if (self->state == STATE_OPEN && !hold_frames (self, &f, 1))
    write_frames (self, &f, 1);
}

/**
 * cohort_connection_send_run:
 * @frames: (element-type utf8): text frames to send back to back
 *
 * Sends them in one sendmsg() (so, as a rule, one TCP segment).
 */
void
cohort_connection_send_run (CohortConnection *self,
                            GPtrArray        *frames)
{
  g_autofree Frame *run = NULL;

  if (self->state != STATE_OPEN)
    return;

  run = g_new (Frame, frames->len);
  for (guint i = 0; i < frames->len; i++)
    {
      run[i].opcode = COHORT_WS_OP_TEXT;
      run[i].data = g_ptr_array_index (frames, i);
      run[i].length = strlen (g_ptr_array_index (frames, i));
    }
  if (!hold_frames (self, run, frames->len))
    write_frames (self, run, frames->len);
}

/* Asks for a pong (the server's keepalive); @now_us is monotonic. */
void
cohort_connection_ping (CohortConnection *self,
                        gint64            now_us)
{
  static const guint8 payload[] = "cohort";

  self->last_ping = now_us;
  if (self->state == STATE_OPEN)
    write_control (self, COHORT_WS_OP_PING, payload, sizeof payload - 1);
}

gint64
cohort_connection_get_last_ping (CohortConnection *self)
{
  return self->last_ping;
}

/* Starts the closing handshake. */
void
cohort_connection_close (CohortConnection *self,
                         gushort           code,
                         const char       *reason)
{
  if (!cohort_connection_is_open (self))
    return;

  /* A reply held for its commit goes out before the close. */
  if (self->held != NULL && self->held->len > 0)
    {
      if (!self->close_held)
        {
          self->close_held = TRUE;
          self->held_close_code = code;
          self->held_close_reason = g_strdup (reason);
        }
      return;
    }
  send_close (self, code, reason);
}

/* Drops the socket without a closing handshake: the peer is gone. */
void
cohort_connection_abort (CohortConnection *self)
{
  finish (self, FALSE);
}

/**
 * cohort_connection_detach:
 *
 * Drops the socket without a closing handshake and without ::closed;
 * for a server going away.
 */
void
cohort_connection_detach (CohortConnection *self)
{
  g_signal_handlers_disconnect_matched (self, G_SIGNAL_MATCH_ID, signals[CLOSED], 0, NULL, NULL, NULL);
  finish (self, FALSE);
}

CohortRateResult
cohort_connection_take_frame (CohortConnection *self,
                              gint64            now_us)
{
  if (cohort_token_bucket_take (&self->frames, COHORT_RATE_BURST,
                                G_USEC_PER_SEC / COHORT_RATE_PER_SECOND, now_us) == 0)
    return COHORT_RATE_OK;

  if (self->over_limit == 0 || now_us - self->over_limit_since > REFILL_WINDOW_US)
    {
      self->over_limit = 0;
      self->over_limit_since = now_us;
    }

  if (++self->over_limit >= COHORT_FLOOD_LIMIT)
    return COHORT_RATE_FLOOD;

  return COHORT_RATE_LIMITED;
}

void
cohort_connection_touch (CohortConnection *self,
                         gint64            now_us)
{
  self->last_activity = now_us;
}

gint64
cohort_connection_get_last_activity (CohortConnection *self)
{
  return self->last_activity;
}

gboolean
cohort_connection_is_joined (CohortConnection *self)
{
  return self->joined;
}

void
cohort_connection_set_joined (CohortConnection *self,
                              gint64            class_id,
                              gint64            participant_id,
                              gboolean          is_teacher)
{
  self->joined = TRUE;
  self->class_id = class_id;
  self->participant_id = participant_id;
  self->is_teacher = is_teacher;
}

void
cohort_connection_clear_joined (CohortConnection *self)
{
  self->joined = FALSE;
}

gint64
cohort_connection_get_class_id (CohortConnection *self)
{
  return self->class_id;
}

gint64
cohort_connection_get_participant_id (CohortConnection *self)
{
  return self->participant_id;
}

gboolean
cohort_connection_is_teacher (CohortConnection *self)
{
  return self->is_teacher;
}

gint64
cohort_connection_get_last_sent_seq (CohortConnection *self)
{
  return self->last_sent_seq;
}

void
cohort_connection_set_last_sent_seq (CohortConnection *self,
                                     gint64            seq)
{
  self->last_sent_seq = seq;
}

gboolean
cohort_connection_get_batch (CohortConnection *self)
{
  return self->batch;
}

void
cohort_connection_set_batch (CohortConnection *self,
                             gboolean          batch)
{
  self->batch = batch;
}

/* The client's network address, as far as the server can tell: see
 * on_upgraded() in cohort-server.c. */
const char *
cohort_connection_get_remote_host (CohortConnection *self)
{
  return self->remote_host;
}

void
cohort_connection_set_remote_host (CohortConnection *self,
                                   const char       *host)
{
  g_free (self->remote_host);
  self->remote_host = g_strdup (host);
}

/* When the socket was taken over (monotonic µs). */
gint64
cohort_connection_get_connected_at (CohortConnection *self)
{
  return self->connected_at;
}

GHashTable *
cohort_connection_get_volatile_replies (CohortConnection *self)
{
  g_return_val_if_fail (COHORT_IS_CONNECTION (self), NULL);

  if (self->volatile_replies == NULL)
    self->volatile_replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self->volatile_replies;
}
