/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-send.c — shr-send against a scripted SMTP peer on loopback (clear
 * text, so no root and no servers needed): the exact commands we send, the
 * outcome per recipient for every kind of reply (multi-line, 4xx, 5xx at
 * each stage), one connection for a batch, CRLF and dot-stuffing, XOAUTH2,
 * secrets kept out of errors, and the [smtp] checks. The same against the
 * real Postfix is tests/send-smtp.sh. */
#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shr-send.h"

/* ---- the scripted peer ------------------------------------------------------ */

typedef struct
{
  int listen_fd;
  guint16 port;
  GThread *thread;
  gint stop;
  GMutex lock;
  /* Script (set before sending). */
  GHashTable *rcpt_replies; /* address -> reply (may hold CRLF for multi-line) */
  const gchar *mail_reply;
  const gchar *data_reply; /* the reply after the body */
  const gchar *auth_methods;
  const gchar *auth_reply;
  /* What happened. */
  GString *log; /* every command line, one per line */
  GPtrArray *bodies;
  guint connections;
} Peer;

typedef struct
{
  int fd;
  gchar buf[65536];
  gsize len;
} Conn;

static gboolean
conn_send (Conn *c, const gchar *text)
{
  g_autofree gchar *t = g_strdup_printf ("%s\r\n", text);
  gsize n = strlen (t);
  return write (c->fd, t, n) == (ssize_t)n;
}

/* One line without CRLF (transfer full), or NULL at EOF. */
static gchar *
conn_line (Conn *c)
{
  for (;;)
    {
      gchar *nl = memchr (c->buf, '\n', c->len);
      if (nl != NULL)
        {
          gsize n = nl - c->buf;
          gchar *line = g_strndup (c->buf, n > 0 && c->buf[n - 1] == '\r' ? n - 1 : n);
          memmove (c->buf, nl + 1, c->len - n - 1);
          c->len -= n + 1;
          return line;
        }
      if (c->len == sizeof c->buf)
        return NULL;
      ssize_t r = read (c->fd, c->buf + c->len, sizeof c->buf - c->len);
      if (r <= 0)
        return NULL;
      c->len += r;
    }
}

static void
peer_log (Peer *p, const gchar *line)
{
  g_mutex_lock (&p->lock);
  g_string_append_printf (p->log, "%s\n", line);
  g_mutex_unlock (&p->lock);
}

static void
serve (Peer *p, int fd)
{
  Conn c = { fd, { 0 }, 0 };
  conn_send (&c, "220 peer.test ESMTP scripted");
  gchar *line;
  while ((line = conn_line (&c)) != NULL)
    {
      g_autofree gchar *l = line;
      peer_log (p, l);
      if (g_ascii_strncasecmp (l, "EHLO", 4) == 0)
        {
          g_autofree gchar *auth
              = g_strdup_printf ("250-AUTH %s", p->auth_methods != NULL ? p->auth_methods : "PLAIN LOGIN");
          conn_send (&c, "250-peer.test");
          conn_send (&c, auth);
          conn_send (&c, "250 8BITMIME");
        }
      else if (g_ascii_strncasecmp (l, "AUTH", 4) == 0)
        {
          /* No initial response on the line: ask for it (as Postfix does). */
          if (strchr (l + 5, ' ') == NULL)
            {
              conn_send (&c, "334 ");
              g_autofree gchar *resp = conn_line (&c);
              if (resp == NULL)
                break;
              peer_log (p, resp);
            }
          conn_send (&c, p->auth_reply != NULL ? p->auth_reply : "235 2.7.0 Authentication successful");
        }
      else if (g_ascii_strncasecmp (l, "MAIL FROM:", 10) == 0)
        conn_send (&c, p->mail_reply != NULL ? p->mail_reply : "250 2.1.0 Ok");
      else if (g_ascii_strncasecmp (l, "RCPT TO:", 8) == 0)
        {
          const gchar *lt = strchr (l, '<'), *gt = strchr (l, '>');
          g_autofree gchar *addr = lt != NULL && gt != NULL ? g_strndup (lt + 1, gt - lt - 1) : g_strdup ("");
          const gchar *r = g_hash_table_lookup (p->rcpt_replies, addr);
          conn_send (&c, r != NULL ? r : "250 2.1.5 Ok");
        }
      else if (g_ascii_strcasecmp (l, "DATA") == 0)
        {
          conn_send (&c, "354 End data with <CR><LF>.<CR><LF>");
          GString *body = g_string_new (NULL);
          gchar *d;
          while ((d = conn_line (&c)) != NULL)
            {
              if (g_str_equal (d, "."))
                {
                  g_free (d);
                  break;
                }
              /* Undo the dot-stuffing. */
              g_string_append_printf (body, "%s\r\n", d[0] == '.' ? d + 1 : d);
              g_free (d);
            }
          g_mutex_lock (&p->lock);
          g_ptr_array_add (p->bodies, g_string_free (body, FALSE));
          g_mutex_unlock (&p->lock);
          conn_send (&c, p->data_reply != NULL ? p->data_reply : "250 2.0.0 Ok: queued as 1");
        }
      else if (g_ascii_strcasecmp (l, "QUIT") == 0)
        {
          conn_send (&c, "221 2.0.0 Bye");
          break;
        }
      else if (g_ascii_strcasecmp (l, "RSET") == 0 || g_ascii_strcasecmp (l, "NOOP") == 0)
        conn_send (&c, "250 2.0.0 Ok");
      else
        conn_send (&c, "502 5.5.2 Error: command not recognized");
    }
  close (fd);
}

static gpointer
peer_thread (gpointer data)
{
  Peer *p = data;
  while (!g_atomic_int_get (&p->stop))
    {
      struct pollfd pfd = { p->listen_fd, POLLIN, 0 };
      if (poll (&pfd, 1, 50) <= 0)
        continue;
      int fd = accept (p->listen_fd, NULL, NULL);
      if (fd < 0)
        continue;
      g_atomic_int_inc (&p->connections);
      serve (p, fd);
    }
  return NULL;
}

static Peer *
peer_new (void)
{
  Peer *p = g_new0 (Peer, 1);
  g_mutex_init (&p->lock);
  p->rcpt_replies = g_hash_table_new (g_str_hash, g_str_equal);
  p->log = g_string_new (NULL);
  p->bodies = g_ptr_array_new_with_free_func (g_free);
  p->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (p->listen_fd, >=, 0);
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (p->listen_fd, (struct sockaddr *)&a, sizeof a), ==, 0);
  g_assert_cmpint (listen (p->listen_fd, 4), ==, 0);
  socklen_t len = sizeof a;
  g_assert_cmpint (getsockname (p->listen_fd, (struct sockaddr *)&a, &len), ==, 0);
  p->port = ntohs (a.sin_port);
  p->thread = g_thread_new ("peer", peer_thread, p);
  return p;
}

static void
peer_free (Peer *p)
{
  g_atomic_int_set (&p->stop, 1);
  g_thread_join (p->thread);
  close (p->listen_fd);
  g_hash_table_unref (p->rcpt_replies);
  g_string_free (p->log, TRUE);
  g_ptr_array_unref (p->bodies);
  g_mutex_clear (&p->lock);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

static ShrSmtpConfig *
peer_config (Peer *p)
{
  ShrSmtpConfig *c = shr_smtp_config_new ();
  c->url = g_strdup_printf ("smtp://127.0.0.1:%u/client.test", p->port);
  c->security = SHR_SMTP_SECURITY_NONE;
  c->security_set = TRUE;
  c->from = g_strdup ("shirase@example.test");
  c->timeout_seconds = 5;
  return c;
}

static ShrSender *
peer_sender (Peer *p, const gchar *user, const gchar *password)
{
  g_autoptr (ShrSmtpConfig) c = peer_config (p);
  c->user = g_strdup (user);
  c->password = g_strdup (password);
  g_autoptr (GError) error = NULL;
  ShrSender *s = shr_sender_new (c, &error);
  g_assert_no_error (error);
  return s;
}

static GBytes *
message (const gchar *mid)
{
  gchar *t = g_strdup_printf ("From: shirase@example.test\r\nMessage-ID: <%s>\r\n"
                              "Subject: t\r\n\r\nbody\r\n",
                              mid);
  return g_bytes_new_take (t, strlen (t));
}

static gchar *
peer_log_text (Peer *p)
{
  g_mutex_lock (&p->lock);
  gchar *t = g_strdup (p->log->str);
  g_mutex_unlock (&p->lock);
  return t;
}

#define RESULT(res, i) ((ShrSendResult *)(res)->pdata[i])

/* ---- cases -------------------------------------------------------------------- */

static void
test_per_recipient (void)
{
  g_autoptr (Peer) p = peer_new ();
  g_hash_table_insert (p->rcpt_replies, "gone@x.test", "550 5.1.1 <gone@x.test>: no such user");
  g_hash_table_insert (p->rcpt_replies, "full@x.test",
                       "452-4.2.2 <full@x.test>: mailbox full\r\n452 4.2.2 try again later");
  g_autoptr (ShrSender) s = peer_sender (p, NULL, NULL);
  const gchar *const rcpts[] = { "a@x.test", "gone@x.test", "full@x.test", "b@x.test", NULL };
  g_autoptr (GBytes) m = message ("m1@x");
  g_autoptr (GPtrArray) res = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_sender_send (s, NULL, rcpts, m, &res, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (res->len, ==, 4);
  g_assert_cmpstr (RESULT (res, 0)->recipient, ==, "a@x.test");
  g_assert_cmpint (RESULT (res, 0)->outcome, ==, SHR_SEND_ACCEPTED);
  g_assert_cmpuint (RESULT (res, 0)->code, ==, 250);
  g_assert_cmpstr (RESULT (res, 0)->reply, ==, "250 2.0.0 Ok: queued as 1");
  g_assert_cmpint (RESULT (res, 1)->outcome, ==, SHR_SEND_PERMANENT);
  g_assert_cmpuint (RESULT (res, 1)->code, ==, 550);
  g_assert_cmpstr (RESULT (res, 1)->reply, ==, "550 5.1.1 <gone@x.test>: no such user");
  /* Multi-line: the final line decides and is kept. */
  g_assert_cmpint (RESULT (res, 2)->outcome, ==, SHR_SEND_TEMPORARY);
  g_assert_cmpuint (RESULT (res, 2)->code, ==, 452);
  g_assert_cmpstr (RESULT (res, 2)->reply, ==, "452 4.2.2 try again later");
  g_assert_cmpint (RESULT (res, 3)->outcome, ==, SHR_SEND_ACCEPTED);
  g_clear_pointer (&s, shr_sender_free); /* QUIT */
  g_autofree gchar *log = peer_log_text (p);
  /* The exact conversation: EHLO name from the URL path, no AUTH without a
   * user, every RCPT though some were refused, then QUIT. */
  g_assert_cmpstr (log, ==,
                   "EHLO client.test\n"
                   "MAIL FROM:<shirase@example.test>\n"
                   "RCPT TO:<a@x.test>\n"
                   "RCPT TO:<gone@x.test>\n"
                   "RCPT TO:<full@x.test>\n"
                   "RCPT TO:<b@x.test>\n"
                   "DATA\n"
                   "QUIT\n");
}

static void
test_refusals (void)
{
  const gchar *const rcpts[] = { "a@x.test", "b@x.test", NULL };
  g_autoptr (GBytes) m = message ("m2@x");
  {
    g_autoptr (Peer) p = peer_new ();
    p->mail_reply = "553 5.7.1 <shirase@example.test>: Sender address rejected";
    g_autoptr (ShrSender) s = peer_sender (p, NULL, NULL);
    g_autoptr (GPtrArray) res = NULL;
    g_autoptr (GError) error = NULL;
    g_assert_false (shr_sender_send (s, NULL, rcpts, m, &res, &error));
    /* About us, not the message: to retry once the config is fixed. */
    g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_SENDER);
    g_autofree gchar *want
        = g_strdup_printf ("smtp://127.0.0.1:%u/client.test refused MAIL FROM:<shirase@example.test>: 553 "
                           "5.7.1 <shirase@example.test>: Sender address rejected",
                           p->port);
    g_assert_cmpstr (error->message, ==, want);
    g_assert_cmpint (RESULT (res, 0)->outcome, ==, SHR_SEND_TEMPORARY);
    g_assert_cmpint (RESULT (res, 1)->outcome, ==, SHR_SEND_TEMPORARY);
  }
  {
    g_autoptr (Peer) p = peer_new ();
    p->data_reply = "451 4.3.0 Error: queue file write error";
    g_autoptr (ShrSender) s = peer_sender (p, NULL, NULL);
    g_autoptr (GPtrArray) res = NULL;
    g_autoptr (GError) error = NULL;
    g_assert_false (shr_sender_send (s, NULL, rcpts, m, &res, &error));
    g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_TEMPORARY);
    g_assert_cmpint (RESULT (res, 0)->outcome, ==, SHR_SEND_TEMPORARY);
    g_assert_cmpstr (RESULT (res, 1)->reply, ==, "451 4.3.0 Error: queue file write error");
  }
  {
    g_autoptr (Peer) p = peer_new ();
    g_hash_table_insert (p->rcpt_replies, "a@x.test", "550 5.1.1 no a");
    g_hash_table_insert (p->rcpt_replies, "b@x.test", "550 5.1.1 no b");
    g_autoptr (ShrSender) s = peer_sender (p, NULL, NULL);
    g_autoptr (GPtrArray) res = NULL;
    g_autoptr (GError) error = NULL;
    g_assert_false (shr_sender_send (s, NULL, rcpts, m, &res, &error));
    g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_REFUSED);
    g_assert_cmpstr (RESULT (res, 0)->reply, ==, "550 5.1.1 no a");
    g_assert_cmpstr (RESULT (res, 1)->reply, ==, "550 5.1.1 no b");
    g_assert_cmpint (RESULT (res, 1)->outcome, ==, SHR_SEND_PERMANENT);
    /* Nothing was sent as DATA. */
    g_autofree gchar *log = peer_log_text (p);
    g_assert_null (strstr (log, "DATA"));
  }
}

static void
test_reuse_and_bytes (void)
{
  g_autoptr (Peer) p = peer_new ();
  g_autoptr (ShrSender) s = peer_sender (p, NULL, NULL);
  const gchar *const rcpt[] = { "a@x.test", NULL };
  for (int i = 0; i < 5; i++)
    {
      g_autofree gchar *t = g_strdup_printf ("From: shirase@example.test\nMessage-ID: <r%d@x>\nSubject: t\n\n"
                                             ".leading dot\n..two dots\nlast line\n",
                                             i);
      g_autoptr (GBytes) m = g_bytes_new (t, strlen (t));
      g_autoptr (GPtrArray) res = NULL;
      g_autoptr (GError) error = NULL;
      g_assert_true (shr_sender_send (s, NULL, rcpt, m, &res, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (shr_sender_get_connections (s), ==, 1);
  g_assert_cmpuint (g_atomic_int_get (&p->connections), ==, 1);
  g_mutex_lock (&p->lock);
  g_assert_cmpuint (p->bodies->len, ==, 5);
  /* Bare LF became CRLF; dots were stuffed on the wire and arrive intact. */
  g_assert_cmpstr (p->bodies->pdata[4], ==,
                   "From: shirase@example.test\r\nMessage-ID: <r4@x>\r\nSubject: t\r\n\r\n"
                   ".leading dot\r\n..two dots\r\nlast line\r\n");
  g_mutex_unlock (&p->lock);

  /* Without reuse (the benchmark's comparison): one connection each. The
   * peer serves one connection at a time: the first sender quits first. */
  g_clear_pointer (&s, shr_sender_free);
  g_autoptr (ShrSender) s2 = peer_sender (p, NULL, NULL);
  shr_sender_set_reuse (s2, FALSE);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (GBytes) m = message ("n@x");
      g_autoptr (GPtrArray) res = NULL;
      g_autoptr (GError) error = NULL;
      g_assert_true (shr_sender_send (s2, NULL, rcpt, m, &res, &error));
    }
  g_assert_cmpuint (shr_sender_get_connections (s2), ==, 3);
}

static void
test_auth_secret (void)
{
  g_autoptr (Peer) p = peer_new ();
  p->auth_methods = "PLAIN";
  p->auth_reply = "535 5.7.8 Error: authentication failed";
  g_autoptr (ShrSender) s = peer_sender (p, "shirase", "S3cret-Pass");
  const gchar *const rcpt[] = { "a@x.test", NULL };
  g_autoptr (GBytes) m = message ("a@x");
  g_autoptr (GPtrArray) res = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_false (shr_sender_send (s, NULL, rcpt, m, &res, &error));
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_AUTH);
  g_autofree gchar *want = g_strdup_printf ("smtp://127.0.0.1:%u/client.test: login as the configured user "
                                            "refused: 535 5.7.8 Error: authentication failed",
                                            p->port);
  g_assert_cmpstr (error->message, ==, want);
  g_assert_cmpint (RESULT (res, 0)->outcome, ==, SHR_SEND_TEMPORARY);
  g_assert_cmpstr (RESULT (res, 0)->reply, ==, want);
  /* The peer did get the credentials (AUTH PLAIN base64 of
   * "\0shirase\0S3cret-Pass"); our error has neither form. */
  g_autofree gchar *log = peer_log_text (p);
  g_assert_cmpstr (log, ==, "EHLO client.test\nAUTH PLAIN\nAHNoaXJhc2UAUzNjcmV0LVBhc3M=\n");
  g_assert_null (strstr (error->message, "S3cret"));
  g_assert_null (strstr (error->message, "AHNoaXJhc2UAUzNjcmV0LVBhc3M="));
}

static void
test_xoauth2 (void)
{
  g_autoptr (Peer) p = peer_new ();
  p->auth_methods = "XOAUTH2 PLAIN";
  g_autoptr (ShrSmtpConfig) c = peer_config (p);
  c->user = g_strdup ("shirase@example.test");
  c->oauth2_token_command = g_strdup ("echo ya29.token-from-command");
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSender) s = shr_sender_new (c, &error);
  g_assert_no_error (error);
  const gchar *const rcpt[] = { "a@x.test", NULL };
  g_autoptr (GBytes) m = message ("o@x");
  g_autoptr (GPtrArray) res = NULL;
  g_assert_true (shr_sender_send (s, NULL, rcpt, m, &res, &error));
  g_assert_no_error (error);
  g_autofree gchar *log = peer_log_text (p);
  const gchar *auth = strstr (log, "AUTH XOAUTH2\n");
  g_assert_nonnull (auth);
  auth += strlen ("AUTH XOAUTH2\n");
  g_autofree gchar *b64 = g_strndup (auth, strcspn (auth, "\n"));
  gsize len;
  g_autofree guchar *raw = g_base64_decode (b64, &len);
  g_assert_cmpmem (raw, len, "user=shirase@example.test\001auth=Bearer ya29.token-from-command\001\001",
                   strlen ("user=shirase@example.test\001auth=Bearer ya29.token-from-command\001\001"));
}

static void
test_connect_refused (void)
{
  /* A port nobody listens on: bind one, note it, close it. */
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *)&a, sizeof a), ==, 0);
  socklen_t len = sizeof a;
  getsockname (fd, (struct sockaddr *)&a, &len);
  close (fd);
  g_autoptr (ShrSmtpConfig) c = shr_smtp_config_new ();
  c->url = g_strdup_printf ("smtp://127.0.0.1:%u", ntohs (a.sin_port));
  c->security = SHR_SMTP_SECURITY_NONE;
  c->security_set = TRUE;
  c->from = g_strdup ("shirase@example.test");
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSender) s = shr_sender_new (c, &error);
  g_assert_no_error (error);
  const gchar *const rcpt[] = { "a@x.test", NULL };
  g_autoptr (GBytes) m = message ("c@x");
  g_autoptr (GPtrArray) res = NULL;
  g_assert_false (shr_sender_send (s, NULL, rcpt, m, &res, &error));
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONNECT);
  g_autofree gchar *want
      = g_strdup_printf ("smtp://127.0.0.1:%u: Couldn't connect to server", ntohs (a.sin_port));
  g_assert_cmpstr (error->message, ==, want);
  g_assert_cmpint (RESULT (res, 0)->outcome, ==, SHR_SEND_TEMPORARY);
}

static ShrSmtpConfig *
config_from (const gchar *text, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (kf, text, -1, 0, NULL));
  return shr_smtp_config_from_keyfile (kf, "t.conf", error);
}

static void
test_config (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSmtpConfig) c = config_from ("[smtp]\nurl = smtps://mail.example.test\n"
                                             "user = shirase\npassword_file = /nonexistent\n"
                                             "from = shirase@example.test\n",
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->url, ==, "smtps://mail.example.test");
  g_assert_false (c->security_set);
  g_assert_cmpstr (c->password_file, ==, "/nonexistent");
  /* The secret is fetched when the sender is made. */
  g_autoptr (ShrSender) s = shr_sender_new (c, &error);
  g_assert_null (s);
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CREDENTIALS);
  g_assert_cmpstr (error->message, ==, "[smtp] password_file /nonexistent: No such file or directory");
  g_clear_error (&error);

  g_autoptr (ShrSmtpConfig) none = config_from ("[smtp]\nfrom = a@b\n", &error);
  g_assert_null (none);
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, "t.conf: [smtp] url: missing");
  g_clear_error (&error);

  g_autoptr (ShrSmtpConfig) bad = config_from ("[smtp]\nurl = smtp://h\nsecurity = ssl\n", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "t.conf: [smtp] security: \"ssl\" is not starttls, tls or none");
  g_clear_error (&error);

  static const struct
  {
    const gchar *text, *message;
  } refused[] = {
    { "[smtp]\nurl = smtp://mail.example.test\nsecurity = none\n",
      "[smtp] security = none is only allowed towards a loopback address (127.0.0.1, ::1, "
      "or a name that resolves only to loopback addresses), not mail.example.test; use starttls or tls" },
    /* Names are judged by what they resolve to, never by how they look. */
    { "[smtp]\nurl = smtp://127.0.0.1.example.test\nsecurity = none\n",
      "[smtp] security = none is only allowed towards a loopback address (127.0.0.1, ::1, "
      "or a name that resolves only to loopback addresses), not 127.0.0.1.example.test; use starttls or "
      "tls" },
    { "[smtp]\nurl = smtp://127.evil.example\nsecurity = none\n",
      "[smtp] security = none is only allowed towards a loopback address (127.0.0.1, ::1, "
      "or a name that resolves only to loopback addresses), not 127.evil.example; use starttls or tls" },
    { "[smtp]\nurl = smtp://127.0.0.1.nip.io\nsecurity = none\n",
      "[smtp] security = none is only allowed towards a loopback address (127.0.0.1, ::1, "
      "or a name that resolves only to loopback addresses), not 127.0.0.1.nip.io; use starttls or tls" },
    { "[smtp]\nurl = smtp://192.0.2.127\nsecurity = none\n",
      "[smtp] security = none is only allowed towards a loopback address (127.0.0.1, ::1, "
      "or a name that resolves only to loopback addresses), not 192.0.2.127; use starttls or tls" },
    { "[smtp]\nurl = smtp://[::ffff:192.0.2.1]\nsecurity = none\n",
      "[smtp] security = none is only allowed towards a loopback address (127.0.0.1, ::1, "
      "or a name that resolves only to loopback addresses), not [::ffff:192.0.2.1]; use starttls or tls" },
    { "[smtp]\nurl = smtp://mail.example.test\nsecurity = tls\n",
      "[smtp] security = tls does not fit the url smtp://mail.example.test (tls needs "
      "smtps://, starttls and none need smtp://)" },
    { "[smtp]\nurl = smtps://mail.example.test\nsecurity = starttls\n",
      "[smtp] security = starttls does not fit the url smtps://mail.example.test (tls "
      "needs smtps://, starttls and none need smtp://)" },
    { "[smtp]\nurl = http://mail.example.test\n",
      "[smtp] url: \"http://mail.example.test\" is not smtp:// or smtps://" },
    { "[smtp]\nurl = smtp://h.test\nuser = u\npassword_file = /a\npassword_command = b\n",
      "[smtp] give only one of password, password_file, password_command, "
      "oauth2_token_command" },
    { "[smtp]\nurl = smtp://h.test\npassword_command = b\n",
      "[smtp] user: missing (a password or token is set)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (ShrSmtpConfig) rc = config_from (refused[i].text, &error);
      g_assert_no_error (error);
      g_autoptr (ShrSender) rs = shr_sender_new (rc, &error);
      g_assert_null (rs);
      g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG);
      g_assert_cmpstr (error->message, ==, refused[i].message);
      g_clear_error (&error);
    }
  /* Loopback in any spelling may be clear text: literal addresses, and
   * names whose every address is loopback. */
  static const gchar *const loopback[] = { "smtp://127.0.0.1:25", "smtp://127.1.2.3", "smtp://localhost:2525",
                                           "smtp://[::1]:25", "smtp://[::ffff:127.0.0.1]:25" };
  for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
    {
      g_autofree gchar *text = g_strdup_printf ("[smtp]\nurl = %s\nsecurity = none\n", loopback[i]);
      g_autoptr (ShrSmtpConfig) lc = config_from (text, &error);
      g_autoptr (ShrSender) ls = shr_sender_new (lc, &error);
      g_assert_no_error (error);
      g_assert_nonnull (ls);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/send/peer/per-recipient", test_per_recipient);
  g_test_add_func ("/send/peer/refusals", test_refusals);
  g_test_add_func ("/send/peer/reuse-and-bytes", test_reuse_and_bytes);
  g_test_add_func ("/send/peer/auth-secret", test_auth_secret);
  g_test_add_func ("/send/peer/xoauth2", test_xoauth2);
  g_test_add_func ("/send/connect-refused", test_connect_refused);
  g_test_add_func ("/send/config", test_config);
  return g_test_run ();
}
