/* SPDX-License-Identifier: GPL-3.0-or-later */
/* send-smtp-cases.c — shr-send and the outbox against the real Postfix and
 * Dovecot started by tests/send-smtp.sh (which exports the stack's
 * variables). Run by hand without them, every case skips. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "shr-approve.h"
#include "shr-compose.h"
#include "shr-outbox.h"
#include "shr-send.h"
#include "shr-store.h"
#include "test-util.h"

static const gchar *
env (const gchar *name)
{
  return g_getenv (name);
}

static gboolean
have_stack (void)
{
  if (env ("MAILSTACK_DIR") != NULL && env ("SMTP_PORT") != NULL && env ("CA_FILE") != NULL
      && env ("SEND_SMTP_SCRIPT") != NULL)
    return TRUE;
  g_test_skip ("no mail stack (run through tests/send-smtp.sh)");
  return FALSE;
}

static ShrSmtpConfig *
smtp_config (const gchar *user, const gchar *password)
{
  ShrSmtpConfig *c = shr_smtp_config_new ();
  c->url = g_strdup_printf ("smtp://127.0.0.1:%s/localhost", env ("SMTP_PORT"));
  c->ca_file = g_strdup (env ("CA_FILE"));
  c->user = g_strdup (user);
  c->password = g_strdup (password);
  c->from = g_strdup ("shirase@example.test");
  c->timeout_seconds = 10;
  return c;
}

static gchar *
run_out (const gchar *const *argv)
{
  gchar *out = NULL;
  gint status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static guint
count (const gchar *user)
{
  const gchar *argv[] = { "/bin/bash", env ("MAILSTACK_COUNT"), user, NULL };
  g_autofree gchar *out = run_out (argv);
  return (guint)g_ascii_strtoull (out, NULL, 10);
}

/* Waits (up to @seconds) for @user's INBOX to hold @n messages, then a
 * little longer to catch a duplicate arriving late. */
static guint
wait_count (const gchar *user, guint n, gint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint got = 0;
  while ((got = count (user)) < n && g_get_monotonic_time () < end)
    g_usleep (50000);
  g_usleep (300000);
  return count (user);
}

/* The Message-IDs in @user's INBOX, as "id -> times seen". */
static GHashTable *
mailbox_ids (const gchar *user)
{
  const gchar *argv[] = { "doveadm", "-c", env ("DOVECOT_CONF"), "-f",      "flow",  "fetch",
                          "-u",      user, "hdr.message-id",     "mailbox", "INBOX", "all",
                          NULL };
  g_autofree gchar *out = run_out (argv);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const gchar *lt = strchr (lines[i], '<');
      const gchar *gt = lt != NULL ? strchr (lt, '>') : NULL;
      if (gt == NULL)
        continue;
      gchar *id = g_strndup (lt + 1, gt - lt - 1);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (ids, id));
      g_hash_table_insert (ids, id, GUINT_TO_POINTER (n + 1));
    }
  return ids;
}

static void
script (const gchar *what)
{
  const gchar *argv[] = { "/bin/bash", env ("SEND_SMTP_SCRIPT"), what, NULL };
  g_autofree gchar *out = run_out (argv);
}

static GBytes *
compose (const gchar *mid, const gchar *to, const gchar *subject)
{
  g_autofree gchar *text = g_strdup_printf ("From: shirase <shirase@example.test>\r\n"
                                            "To: %s\r\n"
                                            "Subject: %s\r\n"
                                            "Date: Thu, 26 Nov 2026 09:00:00 +0900\r\n"
                                            "Message-ID: <%s>\r\n"
                                            "MIME-Version: 1.0\r\n"
                                            "Content-Type: text/plain; charset=utf-8\r\n"
                                            "Content-Transfer-Encoding: 8bit\r\n"
                                            "\r\n"
                                            "【共有】テスト通知です。\r\n"
                                            ".a line starting with a dot\r\n",
                                            to, subject, mid);
  return g_bytes_new (text, strlen (text));
}

static gchar *
state_dir (void)
{
  g_autoptr (GError) error = NULL;
  gchar *dir = g_dir_make_tmp ("shr-send-smtp-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
queue_notice (ShrStore *store, const gchar *mid, const gchar *const *rcpts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) msg = compose (mid, rcpts[0], mid);
  guint n = 0;
  g_assert_true (shr_store_outbox_add_message (store, 0, "notice", "ja", mid, "shirase@example.test", rcpts,
                                               msg, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, g_strv_length ((gchar **)rcpts));
}

/* ---- cases ---------------------------------------------------------------- */

static void
test_batch_1000 (void)
{
  if (!have_stack ())
    return;
  g_autofree gchar *dir = state_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
  g_assert_no_error (error);
  const gchar *const rcpt[] = { "admin@example.test", NULL };
  for (int i = 0; i < 1000; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("batch.%d@shirase.test", i);
      queue_notice (store, mid, rcpt);
    }
  g_autoptr (ShrSmtpConfig) c = smtp_config ("shirase", "pw-shirase");
  g_autoptr (ShrSender) sender = shr_sender_new (c, &error);
  g_assert_no_error (error);
  ShrOutboxReport rep = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  g_assert_true (shr_outbox_run (store, sender, g_get_real_time () / G_USEC_PER_SEC, NULL, &rep, &error));
  g_assert_no_error (error);
  gdouble secs = (g_get_monotonic_time () - t0) / 1e6;
  g_test_message ("1000 notices accepted in %.2f s (%.0f/s), %u connection(s)", secs, 1000 / secs,
                  shr_sender_get_connections (sender));
  g_assert_cmpuint (rep.sent, ==, 1000);
  g_assert_cmpuint (rep.failed, ==, 0);
  g_assert_cmpuint (rep.retry, ==, 0);
  shr_outbox_report_clear (&rep);
  /* One connection for the whole batch. */
  g_assert_cmpuint (shr_sender_get_connections (sender), ==, 1);

  g_assert_cmpuint (wait_count ("admin", 1000, 60), ==, 1000);
  g_autoptr (GHashTable) ids = mailbox_ids ("admin");
  g_assert_cmpuint (g_hash_table_size (ids), ==, 1000);
  for (int i = 0; i < 1000; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("batch.%d@shirase.test", i);
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (ids, mid)), ==, 1);
    }
  test_remove_tree (dir);
}

static void
test_one_refused (void)
{
  if (!have_stack ())
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSmtpConfig) c = smtp_config ("shirase", "pw-shirase");
  g_autoptr (ShrSender) sender = shr_sender_new (c, &error);
  g_assert_no_error (error);

  /* Directly: the outcome of each recipient, with the server's words. */
  const gchar *const rcpts[] = { "admin2@example.test", "gone@example.test", "approver@example.test", NULL };
  g_autoptr (GBytes) msg = compose ("refused.1@shirase.test", rcpts[0], "r1");
  g_autoptr (GPtrArray) results = NULL;
  g_assert_true (shr_sender_send (sender, NULL, rcpts, msg, &results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  ShrSendResult *r0 = results->pdata[0], *r1 = results->pdata[1], *r2 = results->pdata[2];
  g_assert_cmpstr (r0->recipient, ==, "admin2@example.test");
  g_assert_cmpint (r0->outcome, ==, SHR_SEND_ACCEPTED);
  g_assert_cmpuint (r0->code, ==, 250);
  g_assert_cmpint (r1->outcome, ==, SHR_SEND_PERMANENT);
  g_assert_cmpuint (r1->code, ==, 550);
  g_assert_cmpstr (r1->reply, ==,
                   "550 5.1.1 <gone@example.test>: Recipient address "
                   "rejected: <gone@example.test>: no such user here");
  g_assert_cmpint (r2->outcome, ==, SHR_SEND_ACCEPTED);
  g_assert_cmpuint (wait_count ("admin2", 1, 10), ==, 1);
  g_assert_cmpuint (wait_count ("approver", 1, 10), ==, 1);

  /* Through the outbox: the refused row is failed with the reply text and
   * reported; the others are sent. */
  g_autofree gchar *dir = state_dir ();
  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
  g_assert_no_error (error);
  queue_notice (store, "refused.2@shirase.test", rcpts);
  ShrOutboxReport rep = { 0 };
  g_assert_true (shr_outbox_run (store, sender, g_get_real_time () / G_USEC_PER_SEC, NULL, &rep, &error));
  g_assert_cmpuint (rep.sent, ==, 2);
  g_assert_cmpuint (rep.failed, ==, 1);
  ShrOutboxFailure *f = rep.failures->pdata[0];
  g_assert_cmpstr (f->recipient, ==, "gone@example.test");
  g_assert_cmpstr (f->error, ==, r1->reply);
  shr_outbox_report_clear (&rep);
  g_assert_cmpuint (wait_count ("admin2", 2, 10), ==, 2);
  g_assert_cmpuint (wait_count ("approver", 2, 10), ==, 2);
  /* Both messages over the one connection. */
  g_assert_cmpuint (shr_sender_get_connections (sender), ==, 1);
  test_remove_tree (dir);
}

static void
test_server_down (void)
{
  if (!have_stack ())
    return;
  g_autofree gchar *dir = state_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
  g_assert_no_error (error);
  g_autoptr (ShrSmtpConfig) c = smtp_config ("shirase", "pw-shirase");
  g_autoptr (ShrSender) sender = shr_sender_new (c, &error);
  g_assert_no_error (error);
  const gchar *const rcpt[] = { "approver2@example.test", NULL };
  /* A connection is open when the server goes away. */
  queue_notice (store, "down.0@shirase.test", rcpt);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_true (shr_outbox_run (store, sender, now, NULL, NULL, &error));
  g_assert_cmpuint (wait_count ("approver2", 1, 10), ==, 1);

  script ("postfix-stop");
  for (int i = 1; i <= 3; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("down.%d@shirase.test", i);
      queue_notice (store, mid, rcpt);
    }
  ShrOutboxReport rep = { 0 };
  g_assert_true (shr_outbox_run (store, sender, now, NULL, &rep, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rep.sent, ==, 0);
  g_assert_cmpuint (rep.retry, ==, 3);
  g_test_message ("while down: %s", rep.last_error);
  g_assert_nonnull (rep.last_error);
  shr_outbox_report_clear (&rep);
  g_autoptr (GPtrArray) rows = NULL;
  g_assert_true (shr_store_outbox_list (store, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint i = 1; i < rows->len; i++)
    {
      ShrOutboxRow *r = rows->pdata[i];
      g_assert_cmpstr (r->status, ==, "queued");
      g_assert_cmpint (r->next_attempt_at, ==, now + 60);
      g_assert_nonnull (r->last_error);
    }
  /* Not due before the backoff, even with the server back. */
  script ("postfix-start");
  g_assert_true (shr_outbox_run (store, sender, now + 59, NULL, &rep, &error));
  g_assert_cmpuint (rep.messages, ==, 0);
  shr_outbox_report_clear (&rep);
  g_assert_true (shr_outbox_run (store, sender, now + 60, NULL, &rep, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rep.sent, ==, 3);
  shr_outbox_report_clear (&rep);
  g_assert_cmpuint (wait_count ("approver2", 4, 20), ==, 4);
  g_autoptr (GHashTable) ids = mailbox_ids ("approver2");
  for (int i = 0; i <= 3; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("down.%d@shirase.test", i);
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (ids, mid)), ==, 1);
    }

  /* The server restarts between two messages: the kept connection is dead,
   * and the next message goes over a new one without an error. */
  guint conns = shr_sender_get_connections (sender);
  script ("postfix-stop");
  script ("postfix-start");
  g_autoptr (GBytes) msg = compose ("down.5@shirase.test", rcpt[0], "d5");
  g_autoptr (GPtrArray) results = NULL;
  g_assert_true (shr_sender_send (sender, NULL, rcpt, msg, &results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (shr_sender_get_connections (sender), ==, conns + 1);
  g_assert_cmpuint (wait_count ("approver2", 5, 20), ==, 5);
  test_remove_tree (dir);
}

static void
test_wrong_password (void)
{
  if (!have_stack ())
    return;
  guint before = count ("admin2");
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSmtpConfig) c = smtp_config ("shirase", "Wr0ng-Secret-Do-Not-Print");
  g_autoptr (ShrSender) sender = shr_sender_new (c, &error);
  g_assert_no_error (error);
  const gchar *const rcpt[] = { "admin2@example.test", NULL };
  g_autoptr (GBytes) msg = compose ("pw.1@shirase.test", rcpt[0], "pw");
  g_autoptr (GPtrArray) results = NULL;
  g_assert_false (shr_sender_send (sender, NULL, rcpt, msg, &results, &error));
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "535"));
  g_assert_null (strstr (error->message, "Wr0ng"));
  /* The base64 of "\0shirase\0Wr0ng…" (AUTH PLAIN) is not there either. */
  g_assert_null (strstr (error->message, "AHNoaXJhc2UA"));
  ShrSendResult *r = results->pdata[0];
  g_assert_cmpint (r->outcome, ==, SHR_SEND_TEMPORARY);
  g_assert_null (strstr (r->reply, "Wr0ng"));
  g_clear_error (&error);

  /* The password from a command and from a file (mode 0600) work; a file
   * others can read is refused before any connection. */
  g_autofree gchar *dir = state_dir ();
  g_autofree gchar *pwfile = g_build_filename (dir, "pw", NULL);
  g_assert_true (g_file_set_contents (pwfile, "pw-shirase\n", -1, NULL));
  g_assert_cmpint (g_chmod (pwfile, 0600), ==, 0);
  g_autoptr (ShrSmtpConfig) c2 = smtp_config ("shirase", NULL);
  c2->password_file = g_strdup (pwfile);
  g_autoptr (ShrSender) s2 = shr_sender_new (c2, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) res2 = NULL;
  g_assert_true (shr_sender_send (s2, NULL, rcpt, msg, &res2, &error));
  g_assert_no_error (error);

  g_autoptr (ShrSmtpConfig) c3 = smtp_config ("shirase", NULL);
  c3->password_command = g_strdup ("printf 'pw-shirase\\n'");
  g_autoptr (ShrSender) s3 = shr_sender_new (c3, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) res3 = NULL;
  g_autoptr (GBytes) msg3 = compose ("pw.3@shirase.test", rcpt[0], "pw3");
  g_assert_true (shr_sender_send (s3, NULL, rcpt, msg3, &res3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wait_count ("admin2", before + 2, 10), ==, before + 2);

  g_assert_cmpint (g_chmod (pwfile, 0644), ==, 0);
  g_autoptr (ShrSender) s4 = shr_sender_new (c2, &error);
  g_assert_null (s4);
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "readable by others"));
  g_clear_error (&error);

  /* A failing command: its stderr is shown, never its output. */
  g_autoptr (ShrSmtpConfig) c5 = smtp_config ("shirase", NULL);
  c5->password_command = g_strdup ("echo Wr0ngOut; echo vault locked >&2; exit 3");
  g_autoptr (ShrSender) s5 = shr_sender_new (c5, &error);
  g_assert_null (s5);
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CREDENTIALS);
  g_assert_cmpstr (error->message, ==, "[smtp] password_command failed: vault locked");
  g_clear_error (&error);
  g_unlink (pwfile);
  test_remove_tree (dir);
}

static void
test_security (void)
{
  if (!have_stack ())
    return;
  g_autoptr (GError) error = NULL;
  /* Clear text only towards loopback. */
  g_autoptr (ShrSmtpConfig) c = smtp_config (NULL, NULL);
  g_free (c->url);
  c->url = g_strdup ("smtp://192.0.2.25:25");
  c->security = SHR_SMTP_SECURITY_NONE;
  c->security_set = TRUE;
  g_autoptr (ShrSender) s = shr_sender_new (c, &error);
  g_assert_null (s);
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "[smtp] security = none is only allowed towards a loopback "
                   "address (127.0.0.1, ::1, or a name that resolves only to loopback "
                   "addresses), not 192.0.2.25; use starttls or tls");
  g_clear_error (&error);
  /* tls with smtp:// is a mistake, said so. */
  g_autoptr (ShrSmtpConfig) c1 = smtp_config (NULL, NULL);
  c1->security = SHR_SMTP_SECURITY_TLS;
  c1->security_set = TRUE;
  g_autoptr (ShrSender) s1 = shr_sender_new (c1, &error);
  g_assert_null (s1);
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONFIG);
  g_clear_error (&error);

  /* Towards the local Postfix in clear text, no AUTH: allowed. */
  g_autoptr (ShrSmtpConfig) c2 = smtp_config (NULL, NULL);
  c2->security = SHR_SMTP_SECURITY_NONE;
  c2->security_set = TRUE;
  g_autoptr (ShrSender) s2 = shr_sender_new (c2, &error);
  g_assert_no_error (error);
  const gchar *const rcpt[] = { "shirase@example.test", NULL };
  g_autoptr (GBytes) msg = compose ("clear.1@shirase.test", rcpt[0], "clear");
  g_autoptr (GPtrArray) res = NULL;
  g_assert_true (shr_sender_send (s2, NULL, rcpt, msg, &res, &error));
  g_assert_no_error (error);

  /* A certificate we cannot verify: a clear connection error. */
  g_autoptr (ShrSmtpConfig) c3 = smtp_config ("shirase", "pw-shirase");
  g_free (c3->ca_file);
  c3->ca_file = g_strdup ("/etc/ssl/certs/ca-certificates.crt");
  g_autoptr (ShrSender) s3 = shr_sender_new (c3, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) res3 = NULL;
  g_assert_false (shr_sender_send (s3, NULL, rcpt, msg, &res3, &error));
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONNECT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (wait_count ("shirase", 1, 10), ==, 1);
}

/* The server takes every RCPT and refuses the message at the end of DATA:
 * every recipient is refused, with the server's words, and the connection
 * stays usable. */
static void
test_refused_after_data (void)
{
  if (!have_stack ())
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrSmtpConfig) c = smtp_config ("shirase", "pw-shirase");
  g_autoptr (ShrSender) sender = shr_sender_new (c, &error);
  g_assert_no_error (error);
  const gchar *const rcpts[] = { "admin@example.test", "admin2@example.test", NULL };
  guint before = count ("admin2");
  g_autoptr (GBytes) bad = compose ("data.1@shirase.test", rcpts[0], "please REJECTME");
  g_autoptr (GPtrArray) results = NULL;
  g_assert_false (shr_sender_send (sender, NULL, rcpts, bad, &results, &error));
  g_assert_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_REFUSED);
  g_test_message ("%s", error->message);
  g_autofree gchar *want
      = g_strdup_printf ("smtp://127.0.0.1:%s/localhost refused the message after DATA: 550 "
                         "5.7.1 refused by header_checks",
                         env ("SMTP_PORT"));
  g_assert_cmpstr (error->message, ==, want);
  g_clear_error (&error);
  for (guint i = 0; i < 2; i++)
    {
      ShrSendResult *r = results->pdata[i];
      g_assert_cmpint (r->outcome, ==, SHR_SEND_PERMANENT);
      g_assert_cmpuint (r->code, ==, 550);
      g_assert_cmpstr (r->reply, ==, "550 5.7.1 refused by header_checks");
    }
  g_autoptr (GBytes) good = compose ("data.2@shirase.test", rcpts[0], "fine");
  g_autoptr (GPtrArray) res2 = NULL;
  g_assert_true (shr_sender_send (sender, NULL, rcpts, good, &res2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (((ShrSendResult *)res2->pdata[1])->outcome, ==, SHR_SEND_ACCEPTED);
  g_assert_cmpuint (shr_sender_get_connections (sender), ==, 1);
  g_assert_cmpuint (wait_count ("admin2", before + 1, 10), ==, before + 1);
}

/* ---- the approval loop over the real servers --------------------------------- */

#define FROM "shirase <shirase@example.test>"

/* (transfer full) CRLF bytes of a composed message. */
static GBytes *
composed (const ShrComposeOptions *o, const gchar *subject, const gchar *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMimeMessage) m = shr_compose_message (o, subject, text, NULL, &error);
  g_assert_no_error (error);
  gchar *s = shr_compose_to_string (m, TRUE);
  return g_bytes_new_take (s, strlen (s));
}

typedef struct
{
  gint64 draft_id;
  gint calls;
} Notices;

/* on_approved: the Japanese and English notices to the administrators,
 * queued in the transaction that approves. */
static gboolean
queue_notices (ShrStore *store, ShrDecisionOutcome outcome, const gchar *reason, gpointer data,
               GError **error)
{
  Notices *n = data;
  (void)reason;
  if (outcome != SHR_DECISION_APPROVED)
    return TRUE;
  n->calls++;
  const gchar *const admins[] = { "admin@example.test", "admin2@example.test", NULL };
  static const gchar *const langs[][3] = {
    { "ja", "【要対応・A 即日】Exchange Server: CVE-2026-21001 (悪用確認済み)",
      "■ 概要\n認証なしでコードが実行される脆弱性です。\n" },
    { "en", "[Action Required - A today] Exchange Server: CVE-2026-21001 (exploited)",
      "Overview\nUnauthenticated remote code execution.\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree gchar *mid
          = g_strdup_printf ("notice.%" G_GINT64_FORMAT ".%s@shirase.test", n->draft_id, langs[i][0]);
      ShrComposeOptions o = { .from = FROM, .to = admins, .message_id = mid };
      g_autoptr (GBytes) bytes = composed (&o, langs[i][1], langs[i][2]);
      if (!shr_store_outbox_add_message (store, n->draft_id, "notice", langs[i][0], mid,
                                         "shirase@example.test", admins, bytes, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* The messages in @user's Maildir (new/), as parsed replies. */
static GPtrArray *
maildir_replies (const gchar *user)
{
  g_autofree gchar *dir = g_build_filename (env ("MAILSTACK_DIR"), "mail", user, "Maildir", "new", NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_reply_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrMessage) m = shr_message_read_file (path, &error);
      g_assert_no_error (error);
      g_ptr_array_add (out, shr_reply_new_from_message (m));
    }
  return out;
}

/* A reply as a person's mail client writes it (no Auto-Submitted, which
 * every message shr_compose makes carries, rightly). */
static GBytes *
human_reply (const gchar *from, const gchar *mid, const gchar *in_reply_to, const gchar *subject,
             const gchar *body)
{
  g_autofree gchar *subj = shr_compose_encode_header (subject, NULL, 9);
  g_autofree gchar *subj_crlf = NULL;
  {
    g_auto (GStrv) parts = g_strsplit (subj, "\n", -1);
    subj_crlf = g_strjoinv ("\r\n", parts);
  }
  gchar *t = g_strdup_printf ("From: %s\r\nTo: watch@example.test\r\nSubject: %s\r\n"
                              "Date: Thu, 26 Nov 2026 10:00:00 +0900\r\nMessage-ID: <%s>\r\n"
                              "In-Reply-To: <%s>\r\nReferences: <%s>\r\nMIME-Version: 1.0\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: 8bit\r\n\r\n%s",
                              from, subj_crlf, mid, in_reply_to, in_reply_to, body);
  return g_bytes_new_take (t, strlen (t));
}

static void
test_approval_loop (void)
{
  if (!have_stack ())
    return;
  g_autofree gchar *dir = state_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
  g_assert_no_error (error);
  g_autoptr (GBytes) secret = shr_approve_load_or_create_secret (dir, &error);
  g_assert_no_error (error);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (
      kf, "[approval]\napprovers = approver@example.test, approver2@example.test\n", -1, 0, NULL));
  g_autoptr (ShrApprovalConfig) approval = shr_approval_config_from_keyfile (kf, "t.conf", &error);
  g_assert_no_error (error);
  g_autoptr (ShrSmtpConfig) c = smtp_config ("shirase", "pw-shirase");
  g_autoptr (ShrSender) sender = shr_sender_new (c, &error);
  g_assert_no_error (error);

  /* 1. The draft: added, given its token and Message-ID from its id, and
   *    queued to both approvers, in one transaction. */
  const gchar *keys[] = { "CVE-2026-21001", NULL };
  gint64 case_id, draft_id;
  g_assert_true (shr_store_case_for_keys (store, keys, "Exchange", &case_id, NULL, &error));
  g_assert_true (shr_store_begin (store, &error));
  g_assert_true (shr_store_add_draft (store, case_id, NULL, NULL, NULL, NULL, NULL, &draft_id, &error));
  g_autofree gchar *token = shr_approve_token (secret, shr_store_get_instance_id (store), draft_id, 0);
  g_autofree gchar *draft_mid
      = g_strdup_printf ("draft.%" G_GINT64_FORMAT ".%s@shirase.test", draft_id, token);
  g_assert_true (shr_store_draft_set_ids (store, draft_id, token, draft_mid, &error));
  const gchar *const approvers[] = { "approver@example.test", "approver2@example.test", NULL };
  g_autofree gchar *draft_subject
      = g_strdup_printf ("[承認依頼 #%s] 【要対応・A 即日】Exchange Server: CVE-2026-21001", token);
  ShrComposeOptions o
      = { .from = FROM, .to = approvers, .reply_to = "watch@example.test", .message_id = draft_mid };
  g_autoptr (GBytes) draft = composed (&o, draft_subject,
                                       "この通知を送ってよければ「承認」と返信してください。\n"
                                       "承認 / approve で送信、却下 / reject で破棄します。\n");
  g_assert_true (shr_store_outbox_add_message (store, draft_id, "draft", "ja", draft_mid,
                                               "shirase@example.test", approvers, draft, NULL, &error));
  g_assert_true (shr_store_commit (store, &error));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_true (shr_outbox_run (store, sender, now, NULL, NULL, &error));
  guint approver_before = count ("approver");
  g_assert_cmpuint (wait_count ("approver2", 1, 10), >=, 1);

  /* 2. The approver replies 「承認します」 above the quoted draft, and a
   *    stranger replies too; both reach the watched mailbox. */
  g_autoptr (ShrSmtpConfig) ca = smtp_config ("approver", "pw-approver");
  g_free (ca->from);
  ca->from = g_strdup ("approver@example.test");
  g_autoptr (ShrSender) as = shr_sender_new (ca, &error);
  g_assert_no_error (error);
  const gchar *const watch[] = { "watch@example.test", NULL };
  g_autofree gchar *re = g_strdup_printf ("Re: %s", draft_subject);
  g_autoptr (GBytes) reply
      = human_reply ("Approver <approver@example.test>", "reply.1@example.test", draft_mid, re,
                     "承認します。\r\n\r\n"
                     "2026年3月3日 10:00 shirase <shirase@example.test>さんは書きました:\r\n"
                     "> 承認 / approve で送信、却下 / reject で破棄します。\r\n");
  g_autoptr (GPtrArray) res = NULL;
  g_assert_true (shr_sender_send (as, NULL, watch, reply, &res, &error));
  g_autoptr (GBytes) stranger
      = human_reply ("Mallory <admin2@example.test>", "reply.2@example.test", draft_mid, re, "承認\r\n");
  g_autoptr (GPtrArray) res2 = NULL;
  g_assert_true (shr_sender_send (sender, NULL, watch, stranger, &res2, &error));
  g_assert_cmpuint (wait_count ("watch", 2, 10), ==, 2);

  /* 3. The watcher's step, twice over (a reply read twice): one approval,
   *    the notices queued once, the stranger refused and not answered. */
  Notices n = { draft_id, 0 };
  guint approved = 0, refused = 0;
  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr (GPtrArray) replies = maildir_replies ("watch");
      g_assert_cmpuint (replies->len, ==, 2);
      for (guint i = 0; i < replies->len; i++)
        {
          ShrReplyResult r;
          g_assert_true (shr_approve_handle_reply (store, approval, replies->pdata[i], now, queue_notices, &n,
                                                   &r, &error));
          g_assert_no_error (error);
          g_test_message ("pass %d: %s", pass, r.message);
          approved += r.decided && r.outcome == SHR_DECISION_APPROVED;
          if (r.verdict == SHR_REPLY_NOT_APPROVER)
            {
              refused++;
              g_assert_false (r.answer);
            }
          shr_reply_result_clear (&r);
        }
    }
  g_assert_cmpuint (approved, ==, 1);
  g_assert_cmpuint (refused, ==, 2);
  g_assert_cmpint (n.calls, ==, 1);

  /* 4. The notices go out: each administrator gets the Japanese and the
   *    English one, once. */
  guint admin_before = count ("admin"), admin2_before = count ("admin2");
  ShrOutboxReport rep = { 0 };
  g_assert_true (shr_outbox_run (store, sender, now, NULL, &rep, &error));
  g_assert_cmpuint (rep.sent, ==, 4);
  shr_outbox_report_clear (&rep);
  g_assert_true (shr_outbox_run (store, sender, now + 3600, NULL, &rep, &error));
  g_assert_cmpuint (rep.messages, ==, 0);
  g_assert_cmpuint (wait_count ("admin", admin_before + 2, 10), ==, admin_before + 2);
  g_assert_cmpuint (wait_count ("admin2", admin2_before + 2, 10), ==, admin2_before + 2);
  g_autoptr (GHashTable) ids = mailbox_ids ("admin");
  g_autofree gchar *ja = g_strdup_printf ("notice.%" G_GINT64_FORMAT ".ja@shirase.test", draft_id);
  g_autofree gchar *en = g_strdup_printf ("notice.%" G_GINT64_FORMAT ".en@shirase.test", draft_id);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (ids, ja)), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (ids, en)), ==, 1);
  g_assert_cmpuint (count ("approver"), ==, approver_before);
  test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/send-smtp/batch-1000-one-connection", test_batch_1000);
  g_test_add_func ("/send-smtp/one-recipient-refused", test_one_refused);
  g_test_add_func ("/send-smtp/refused-after-data", test_refused_after_data);
  g_test_add_func ("/send-smtp/server-down-then-back", test_server_down);
  g_test_add_func ("/send-smtp/wrong-password", test_wrong_password);
  g_test_add_func ("/send-smtp/security", test_security);
  g_test_add_func ("/send-smtp/approval-loop", test_approval_loop);
  return g_test_run ();
}
