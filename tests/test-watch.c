/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-watch.c — the watcher against a scripted IMAP peer on loopback, for
 * what a real Dovecot will not do on request: XOAUTH2, a server without
 * MOVE and UIDPLUS (UID COPY + \Deleted and no EXPUNGE at all), refusals
 * quoted in the error. The peer asserts each command the watcher sends. */
#include "config.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shr-watch.h"

typedef struct
{
  const gchar *expect; /* the command after the tag (a prefix) */
  const gchar *reply;  /* lines to send; "$T" stands for the tag */
} Step;

typedef struct
{
  int listen_fd;
  guint port;
  const Step *steps;
  GPtrArray *seen; /* every command received, tag removed */
  gchar *mismatch; /* the first unexpected command, or NULL */
  GThread *thread;
} Peer;

static gchar *
read_line (int fd)
{
  GString *s = g_string_new (NULL);
  char c;
  while (read (fd, &c, 1) == 1)
    {
      if (c == '\n')
        {
          if (s->len > 0 && s->str[s->len - 1] == '\r')
            g_string_truncate (s, s->len - 1);
          return g_string_free (s, FALSE);
        }
      g_string_append_c (s, c);
    }
  g_string_free (s, TRUE);
  return NULL;
}

static void
send_text (int fd, const gchar *text)
{
  gsize len = strlen (text);
  while (len > 0)
    {
      ssize_t w = write (fd, text, len);
      if (w <= 0)
        return;
      text += w;
      len -= (gsize)w;
    }
}

static gpointer
peer_run (gpointer data)
{
  Peer *p = data;
  int fd = accept (p->listen_fd, NULL, NULL);
  if (fd < 0)
    return NULL;
  send_text (fd, "* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 AUTH=PLAIN IDLE] fake ready\r\n");
  for (const Step *s = p->steps; s->expect != NULL; s++)
    {
      g_autofree gchar *line = read_line (fd);
      if (line == NULL)
        break;
      const gchar *sp = strchr (line, ' ');
      g_autofree gchar *tag = sp != NULL ? g_strndup (line, (gsize)(sp - line)) : g_strdup (line);
      const gchar *cmd = sp != NULL ? sp + 1 : "";
      g_ptr_array_add (p->seen, g_strdup (cmd));
      if (g_getenv ("PEER_DEBUG") != NULL)
        g_printerr ("peer got: %s\n", cmd);
      if (!g_str_has_prefix (cmd, s->expect))
        {
          p->mismatch = g_strdup_printf ("expected \"%s\", got \"%s\"", s->expect, cmd);
          break;
        }
      g_auto (GStrv) parts = g_strsplit (s->reply, "$T", -1);
      g_autofree gchar *reply = g_strjoinv (tag, parts);
      send_text (fd, reply);
    }
  close (fd);
  return NULL;
}

static Peer *
peer_start (const Step *steps)
{
  Peer *p = g_new0 (Peer, 1);
  p->steps = steps;
  p->seen = g_ptr_array_new_with_free_func (g_free);
  p->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (p->listen_fd, >=, 0);
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (p->listen_fd, (struct sockaddr *)&a, sizeof a), ==, 0);
  g_assert_cmpint (listen (p->listen_fd, 1), ==, 0);
  socklen_t len = sizeof a;
  g_assert_cmpint (getsockname (p->listen_fd, (struct sockaddr *)&a, &len), ==, 0);
  p->port = ntohs (a.sin_port);
  p->thread = g_thread_new ("peer", peer_run, p);
  return p;
}

/* Waits for the peer to end its script or see the connection close. */
static void
peer_join (Peer *p)
{
  if (p->thread != NULL)
    g_thread_join (p->thread);
  p->thread = NULL;
}

static void
peer_finish (Peer *p)
{
  peer_join (p);
  close (p->listen_fd);
  g_ptr_array_unref (p->seen);
  g_free (p->mismatch);
  g_free (p);
}

static ShrWatchConfig *
config_for (guint port, const gchar *secret_line)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree gchar *text
      = g_strdup_printf ("[imap]\nhost = 127.0.0.1\nport = %u\nsecurity = none\nuser = u@example.test\n"
                         "%s\n",
                         port, secret_line);
  g_assert_true (g_key_file_load_from_data (kf, text, (gsize)-1, G_KEY_FILE_NONE, NULL));
  g_autoptr (GError) error = NULL;
  ShrWatchConfig *c = shr_watch_config_new (kf, NULL, &error);
  g_assert_no_error (error);
  return c;
}

static guint handled_uid;

static gboolean
take_all (const ShrWatchMessage *msgs, guint n, ShrWatchDisposition *disp, guint *n_done, gpointer data,
          GError **error)
{
  (void)data;
  (void)error;
  for (guint i = 0; i < n; i++)
    {
      gsize len;
      const gchar *raw = g_bytes_get_data (msgs[i].raw, &len);
      g_autofree gchar *text = g_strndup (raw, len);
      g_assert_cmpstr (text, ==, "Subject: x\r\n\r\nhello\r\n");
      handled_uid = msgs[i].uid;
      disp[i] = SHR_WATCH_DONE;
    }
  *n_done = n;
  return TRUE;
}

/* XOAUTH2 (the SASL string of RFC 7628 style: user, Bearer token), no MOVE
 * and no UIDPLUS: COPY, then \Deleted, and never an EXPUNGE. */
static void
test_xoauth2_no_move (void)
{
  /* base64 ("user=u@example.test\1auth=Bearer tok-123\1\1") */
  const gchar *plain = "user=u@example.test\001auth=Bearer tok-123\001\001";
  g_autofree gchar *sasl = g_base64_encode ((const guchar *)plain, strlen (plain));
  g_autofree gchar *auth = g_strdup_printf ("AUTHENTICATE XOAUTH2 %s", sasl);
  const Step steps[] = {
    { auth, "$T OK [CAPABILITY IMAP4rev1 IDLE] logged in\r\n" },
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 IDLE\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/done\"", "* LIST () \"/\" shirase/done\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/failed\"", "$T OK done\r\n" },
    { "CREATE \"shirase/failed\"", "$T OK created\r\n" },
    { "SELECT INBOX", "* 1 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\n$T OK [READ-WRITE] selected\r\n" },
    { "UID FETCH 1:* (UID FLAGS RFC822.SIZE)",
      "* 1 FETCH (UID 7 FLAGS () RFC822.SIZE 21)\r\n$T OK done\r\n" },
    { "UID FETCH 7 (UID BODY.PEEK[])",
      "* 1 FETCH (UID 7 BODY[] {21}\r\nSubject: x\r\n\r\nhello\r\n)\r\n$T OK done\r\n" },
    { "UID COPY 7 \"shirase/done\"", "$T OK copied\r\n" },
    { "UID STORE 7 +FLAGS.SILENT (\\Deleted)", "$T OK stored\r\n" },
    { "LOGOUT", "* BYE bye\r\n$T OK bye\r\n" },
    { NULL, NULL },
  };
  Peer *p = peer_start (steps);
  g_autoptr (ShrWatchConfig) c = config_for (p->port, "oauth2_token_command = echo tok-123");
  g_autoptr (ShrWatch) w = shr_watch_new (c);
  g_autoptr (GError) error = NULL;
  gboolean ok = shr_watch_connect (w, &error);
  if (!ok)
    {
      peer_join (p);
      g_test_message ("peer: %s", p->mismatch != NULL ? p->mismatch : "(no mismatch)");
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  guint handled = 0;
  ok = shr_watch_sync (w, take_all, NULL, &handled, &error);
  if (!ok)
    {
      peer_join (p);
      g_test_message ("peer: %s", p->mismatch != NULL ? p->mismatch : "(no mismatch)");
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (handled, ==, 1);
  g_assert_cmpuint (handled_uid, ==, 7);
  shr_watch_disconnect (w);
  peer_join (p);
  g_assert_cmpstr (p->mismatch, ==, NULL);
  g_assert_cmpuint (p->seen->len, ==, 11);
  peer_finish (p);
}

/* A handler that cannot write the state: each call's time; the third
 * asks the watcher to stop. */
typedef struct
{
  ShrWatch *watch;
  gint64 at[3];
  guint calls;
} Failing;

static gboolean
state_fails (const ShrWatchMessage *msgs, guint n, ShrWatchDisposition *disp, guint *n_done, gpointer data,
             GError **error)
{
  (void)msgs;
  (void)n;
  (void)disp;
  Failing *f = data;
  f->at[f->calls++] = g_get_monotonic_time ();
  if (f->calls == 3)
    shr_watch_request_stop (f->watch);
  *n_done = 0;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "the state could not be written: disk full");
  return FALSE;
}

/* The retries' warnings are expected here. */
static gboolean
retry_not_fatal (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  (void)domain;
  (void)level;
  (void)data;
  return strstr (message, "disk full; retrying in") == NULL;
}

static void
note_retry (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  if (strstr (message, "disk full; retrying in") != NULL)
    g_test_message ("%s", message);
  else
    g_log_default_handler (domain, level, message, data);
}

/* A state that cannot be written is retried with the backoff of a
 * connection error (1 s, 2 s, …), on the same connection: one login, not
 * a new one every second. */
static void
test_state_error_backoff (void)
{
  const gchar *list = "* 1 FETCH (UID 7 FLAGS () RFC822.SIZE 21)\r\n$T OK done\r\n";
  const gchar *body = "* 1 FETCH (UID 7 BODY[] {21}\r\nSubject: x\r\n\r\nhello\r\n)\r\n$T OK done\r\n";
  const Step steps[] = {
    { "LOGIN", "$T OK logged in\r\n" },
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 MOVE UIDPLUS\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/done\"", "* LIST () \"/\" shirase/done\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/failed\"", "* LIST () \"/\" shirase/failed\r\n$T OK done\r\n" },
    { "SELECT INBOX", "* 1 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\n$T OK [READ-WRITE] selected\r\n" },
    { "UID FETCH 1:* (UID FLAGS RFC822.SIZE)", list },
    { "UID FETCH 7 (UID BODY.PEEK[])", body },
    { "UID FETCH 1:* (UID FLAGS RFC822.SIZE)", list },
    { "UID FETCH 7 (UID BODY.PEEK[])", body },
    { "UID FETCH 1:* (UID FLAGS RFC822.SIZE)", list },
    { "UID FETCH 7 (UID BODY.PEEK[])", body },
    { "LOGOUT", "* BYE bye\r\n$T OK bye\r\n" },
    { NULL, NULL },
  };
  Peer *p = peer_start (steps);
  g_autoptr (ShrWatchConfig) c = config_for (p->port, "password = pw");
  g_autoptr (ShrWatch) w = shr_watch_new (c);
  Failing f = { w, { 0 }, 0 };
  g_autoptr (GError) error = NULL;
  g_test_log_set_fatal_handler (retry_not_fatal, NULL);
  guint handler = g_log_set_handler (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, note_retry, NULL);
  g_assert_true (shr_watch_run (w, FALSE, state_fails, &f, NULL, &error));
  g_log_remove_handler (G_LOG_DOMAIN, handler);
  peer_join (p);
  g_assert_cmpstr (p->mismatch, ==, NULL);
  g_assert_cmpuint (f.calls, ==, 3);
  guint logins = 0;
  for (guint i = 0; i < p->seen->len; i++)
    logins += g_str_has_prefix (p->seen->pdata[i], "LOGIN");
  g_assert_cmpuint (logins, ==, 1);
  /* 1 s, then 2 s (less a little for the clock's rounding). */
  g_assert_cmpint (f.at[1] - f.at[0], >=, 900 * 1000);
  g_assert_cmpint (f.at[2] - f.at[1], >=, 1900 * 1000);
  peer_finish (p);
}

/* A refused SELECT is an error quoting the server's words. */
static void
test_select_refused (void)
{
  const Step steps[] = {
    { "LOGIN", "$T OK logged in\r\n" },
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 MOVE UIDPLUS\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/done\"", "* LIST () \"/\" shirase/done\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/failed\"", "* LIST () \"/\" shirase/failed\r\n$T OK done\r\n" },
    { "SELECT INBOX", "$T NO [SERVERBUG] Mailbox is being rebuilt, try later\r\n" },
    { "LOGOUT", "* BYE bye\r\n$T OK bye\r\n" },
    { NULL, NULL },
  };
  Peer *p = peer_start (steps);
  g_autofree gchar *dir = g_dir_make_tmp ("shr-watch-XXXXXX", NULL);
  g_autofree gchar *pw = g_build_filename (dir, "pw", NULL);
  g_assert_true (g_file_set_contents (pw, "s3cret\n", -1, NULL));
  g_assert_cmpint (g_chmod (pw, 0600), ==, 0);
  g_autofree gchar *line = g_strdup_printf ("password_file = %s", pw);
  g_autoptr (ShrWatchConfig) c = config_for (p->port, line);
  g_autoptr (ShrWatch) w = shr_watch_new (c);
  g_autoptr (GError) error = NULL;
  g_assert_false (shr_watch_connect (w, &error));
  g_assert_error (error, SHR_WATCH_ERROR, SHR_WATCH_ERROR_PROTOCOL);
  g_autofree gchar *want = g_strdup_printf (
      "IMAP SELECT INBOX on 127.0.0.1:%u refused: \"Mailbox is being rebuilt, try later\"", p->port);
  g_assert_cmpstr (error->message, ==, want);
  peer_finish (p);
  g_assert_cmpstr (strstr (error->message, "s3cret"), ==, NULL);
  g_unlink (pw);
  g_rmdir (dir);
}

/* A password file others can read is refused: nothing is sent. */
static void
test_password_file_mode (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("shr-watch-XXXXXX", NULL);
  g_autofree gchar *pw = g_build_filename (dir, "pw", NULL);
  g_assert_true (g_file_set_contents (pw, "s3cret\n", -1, NULL));
  g_assert_cmpint (g_chmod (pw, 0644), ==, 0);
  const Step steps[] = { { "LOGOUT", "* BYE bye\r\n$T OK bye\r\n" }, { NULL, NULL } };
  Peer *p = peer_start (steps);
  g_autofree gchar *line = g_strdup_printf ("password_file = %s", pw);
  g_autoptr (ShrWatchConfig) c = config_for (p->port, line);
  g_autoptr (ShrWatch) w = shr_watch_new (c);
  g_autoptr (GError) error = NULL;
  g_assert_false (shr_watch_connect (w, &error));
  peer_join (p);
  g_assert_error (error, SHR_WATCH_ERROR, SHR_WATCH_ERROR_AUTH);
  g_autofree gchar *want
      = g_strdup_printf ("[imap] password_file %s: readable by others (mode 644); chmod 600 it", pw);
  g_assert_cmpstr (error->message, ==, want);
  /* No LOGIN: the secret was never sent; only the polite LOGOUT. */
  g_assert_cmpuint (p->seen->len, ==, 1);
  g_assert_cmpstr (p->seen->pdata[0], ==, "LOGOUT");
  peer_finish (p);
  g_unlink (pw);
  g_rmdir (dir);
}

/* A server that stops answering mid-command: a stop plus shr_watch_abort_io
 * from another thread ends the blocked UID FETCH at once, not after the
 * 60-second network timeout. */
static gpointer
stop_later (gpointer data)
{
  g_usleep (200 * 1000);
  shr_watch_request_stop (data);
  shr_watch_abort_io (data);
  return NULL;
}

static void
test_abort_io (void)
{
  const Step steps[] = {
    { "LOGIN", "$T OK logged in\r\n" },
    { "CAPABILITY", "* CAPABILITY IMAP4rev1 MOVE UIDPLUS IDLE\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/done\"", "* LIST () \"/\" shirase/done\r\n$T OK done\r\n" },
    { "LIST \"\" \"shirase/failed\"", "* LIST () \"/\" shirase/failed\r\n$T OK done\r\n" },
    { "SELECT INBOX", "* 1 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\n$T OK [READ-WRITE] selected\r\n" },
    { "UID FETCH 1:* (UID FLAGS RFC822.SIZE)",
      "* 1 FETCH (UID 7 FLAGS () RFC822.SIZE 21)\r\n$T OK done\r\n" },
    { "UID FETCH 7 (UID BODY.PEEK[])", "" }, /* and then silence */
    { "LOGOUT", "" },
    { NULL, NULL },
  };
  Peer *p = peer_start (steps);
  g_autofree gchar *dir = g_dir_make_tmp ("shr-watch-XXXXXX", NULL);
  g_autofree gchar *pw = g_build_filename (dir, "pw", NULL);
  g_assert_true (g_file_set_contents (pw, "s3cret\n", -1, NULL));
  g_assert_cmpint (g_chmod (pw, 0600), ==, 0);
  g_autofree gchar *line = g_strdup_printf ("password_file = %s", pw);
  g_autoptr (ShrWatchConfig) c = config_for (p->port, line);
  g_autoptr (ShrWatch) w = shr_watch_new (c);
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_watch_connect (w, &error));
  g_assert_no_error (error);
  GThread *t = g_thread_new ("stop", stop_later, w);
  gint64 start = g_get_monotonic_time ();
  guint handled = 0;
  g_assert_false (shr_watch_sync (w, take_all, NULL, &handled, &error));
  gint64 took = g_get_monotonic_time () - start;
  g_thread_join (t);
  g_assert_error (error, SHR_WATCH_ERROR, SHR_WATCH_ERROR_CONNECT);
  g_assert_cmpuint (handled, ==, 0);
  g_assert_cmpint (took, <, 5 * G_USEC_PER_SEC);
  shr_watch_disconnect (w);
  peer_finish (p);
  g_unlink (pw);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN); /* as shirase once/watch do */
  g_test_add_func ("/watch/peer/xoauth2-no-move", test_xoauth2_no_move);
  g_test_add_func ("/watch/peer/select-refused", test_select_refused);
  g_test_add_func ("/watch/peer/password-file-mode", test_password_file_mode);
  g_test_add_func ("/watch/peer/abort-io", test_abort_io);
  g_test_add_func ("/watch/peer/state-error-backoff", test_state_error_backoff);
  return g_test_run ();
}
