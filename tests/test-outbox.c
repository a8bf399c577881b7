/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-outbox.c — the outbox runner against a scripted sender: grouping by
 * message, per-recipient outcomes, backoff, a server that is down, a
 * sender that crashed mid-run (lease), giving up. The same runner against
 * the real Postfix is in tests/send-smtp.sh. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shr-outbox.h"
#include "shr-store.h"
#include "shr-test-hooks.h"
#include "test-util.h"

#define T0 1772500000

typedef struct
{
  gchar *dir;
  ShrStore *store;
  /* The scripted server. */
  gboolean down;               /* every transaction fails to connect */
  const gchar *refused_sender; /* MAIL FROM refused with this reply */
  gulong slow_us;              /* each transaction takes this long */
  gint64 run_start;            /* monotonic time the run began (slow runs) */
  guint rival_claims;          /* rows a second sender managed to claim meanwhile */
  GHashTable *refuse;          /* recipient -> "5xx text" or "4xx text" */
  GHashTable *delivered;       /* "message-id recipient" -> count */
  guint calls;
  GPtrArray *call_rcpts; /* one joined string per call */
} Fixture;

static void
set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  f->dir = g_dir_make_tmp ("shr-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = shr_store_open (f->dir, &error);
  g_assert_no_error (error);
  f->refuse = g_hash_table_new (g_str_hash, g_str_equal);
  f->delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->call_rcpts = g_ptr_array_new_with_free_func (g_free);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  shr_store_close (f->store);
  g_hash_table_unref (f->refuse);
  g_hash_table_unref (f->delivered);
  g_ptr_array_unref (f->call_rcpts);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

static gchar *
header_value (GBytes *message, const gchar *name)
{
  g_autofree gchar *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_autofree gchar *key = g_strdup_printf ("%s: ", name);
  const gchar *p = strstr (text, key);
  if (p == NULL)
    return NULL;
  p += strlen (key);
  return g_strndup (p, strcspn (p, "\r\n"));
}

/* A ShrOutboxSendFunc with the contract of shr_sender_send. */
static gboolean
fake_send (gpointer data, const gchar *from, const gchar *const *rcpts, GBytes *message, GPtrArray **results,
           GError **error)
{
  Fixture *f = data;
  f->calls++;
  if (f->slow_us > 0)
    {
      g_usleep (f->slow_us);
      /* A second sender looks for due rows at the same clock. */
      gint64 at = T0 + (g_get_monotonic_time () - f->run_start) / G_USEC_PER_SEC;
      g_autoptr (GPtrArray) rival = NULL;
      g_autoptr (GError) claim_error = NULL;
      g_assert_true (shr_store_outbox_claim (f->store, at, at + 900, 100, &rival, &claim_error));
      f->rival_claims += rival->len;
    }
  g_ptr_array_add (f->call_rcpts, g_strjoinv (",", (gchar **)rcpts));
  g_assert_cmpstr (from, ==, "shirase@example.test");
  g_autofree gchar *mid = header_value (message, "Message-ID");
  g_assert_nonnull (mid);
  GPtrArray *res = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_send_result_free);
  for (guint i = 0; rcpts[i] != NULL; i++)
    {
      ShrSendResult *r = g_new0 (ShrSendResult, 1);
      r->recipient = g_strdup (rcpts[i]);
      const gchar *refusal = g_hash_table_lookup (f->refuse, rcpts[i]);
      if (f->down || f->refused_sender != NULL)
        {
          r->outcome = SHR_SEND_TEMPORARY;
          /* As shr_sender_send: the whole failure's text in each. */
          r->reply
              = g_strdup (f->down ? "smtp://127.0.0.1:1: Couldn't connect to server" : f->refused_sender);
        }
      else if (refusal != NULL)
        {
          r->code = g_ascii_strtoull (refusal, NULL, 10);
          r->outcome = r->code >= 500 ? SHR_SEND_PERMANENT : SHR_SEND_TEMPORARY;
          r->reply = g_strdup (refusal);
        }
      else
        {
          r->outcome = SHR_SEND_ACCEPTED;
          r->code = 250;
          r->reply = g_strdup ("250 2.0.0 Ok: queued");
          g_autofree gchar *k = g_strdup_printf ("%s %s", mid, rcpts[i]);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (f->delivered, k));
          g_hash_table_insert (f->delivered, g_steal_pointer (&k), GUINT_TO_POINTER (n + 1));
        }
      g_ptr_array_add (res, r);
    }
  *results = res;
  if (f->refused_sender != NULL)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_SENDER,
                   "smtp://127.0.0.1:1 refused MAIL FROM:<%s>: %s", from, f->refused_sender);
      return FALSE;
    }
  if (f->down)
    {
      g_set_error (error, SHR_SEND_ERROR, SHR_SEND_ERROR_CONNECT,
                   "smtp://127.0.0.1:1: Couldn't connect to server");
      return FALSE;
    }
  return TRUE;
}

static void
queue (Fixture *f, const gchar *mid, const gchar *kind, gint64 draft, const gchar *lang,
       const gchar *const *rcpts, guint expect_rows)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text
      = g_strdup_printf ("From: shirase@example.test\r\nMessage-ID: <%s>\r\nSubject: t\r\n\r\n"
                         "body\r\n",
                         mid);
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  guint n = 99;
  g_assert_true (shr_store_outbox_add_message (f->store, draft, kind, lang, mid, "shirase@example.test",
                                               rcpts, bytes, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expect_rows);
}

static gboolean
run (Fixture *f, gint64 now, const ShrOutboxOptions *o, ShrOutboxReport *rep)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = shr_outbox_run_with (f->store, fake_send, f, now, o, rep, &error);
  g_assert_no_error (error);
  return ok;
}

/* The rows, as "recipient status attempts next_attempt_at-T0 [error]". */
static gchar *
rows_summary (Fixture *f)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_outbox_list (f->store, &rows, &error));
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      ShrOutboxRow *r = rows->pdata[i];
      g_string_append_printf (s, "%s %s %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "%s%s\n", r->message_id,
                              r->recipient, r->status, r->attempts,
                              r->next_attempt_at > 0 ? r->next_attempt_at - T0 : 0,
                              r->last_error != NULL ? " " : "", r->last_error != NULL ? r->last_error : "");
    }
  return g_string_free (s, FALSE);
}

static guint
delivered (Fixture *f, const gchar *mid, const gchar *rcpt)
{
  g_autofree gchar *k = g_strdup_printf ("<%s> %s", mid, rcpt);
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->delivered, k));
}

static const gchar *const admins[] = { "admin@example.test", "admin2@example.test", NULL };
static const gchar *const approvers[] = { "approver@example.test", "approver2@example.test", NULL };

static void
test_grouped (Fixture *f, gconstpointer data)
{
  queue (f, "draft.1@x", "draft", 0, NULL, approvers, 2);
  queue (f, "n.1.ja@x", "notice", 0, "ja", admins, 2);
  queue (f, "n.1.en@x", "notice", 0, "en", admins, 2);
  /* Queued again (a replayed approval): nothing added. */
  queue (f, "n.1.en@x", "notice", 0, "en", admins, 0);
  ShrOutboxReport rep = { 0 };
  g_assert_true (run (f, T0, NULL, &rep));
  /* One SMTP transaction per message, all its recipients at once. */
  g_assert_cmpuint (f->calls, ==, 3);
  g_assert_cmpstr (f->call_rcpts->pdata[0], ==, "approver@example.test,approver2@example.test");
  g_assert_cmpuint (rep.messages, ==, 3);
  g_assert_cmpuint (rep.sent, ==, 6);
  g_assert_cmpuint (rep.failed, ==, 0);
  g_assert_cmpuint (rep.retry, ==, 0);
  shr_outbox_report_clear (&rep);
  g_autofree gchar *s = rows_summary (f);
  g_assert_cmpstr (s, ==,
                   "draft.1@x approver@example.test sent 1 0\n"
                   "draft.1@x approver2@example.test sent 1 0\n"
                   "n.1.ja@x admin@example.test sent 1 0\n"
                   "n.1.ja@x admin2@example.test sent 1 0\n"
                   "n.1.en@x admin@example.test sent 1 0\n"
                   "n.1.en@x admin2@example.test sent 1 0\n");
  /* A second run finds nothing to do. */
  g_assert_true (run (f, T0 + 10000, NULL, NULL));
  g_assert_cmpuint (f->calls, ==, 3);
}

static void
test_per_recipient (Fixture *f, gconstpointer data)
{
  g_hash_table_insert (f->refuse, "admin2@example.test",
                       "550 5.1.1 <admin2@example.test>: Recipient address "
                       "rejected: no such user");
  queue (f, "n.2@x", "notice", 0, "ja", admins, 2);
  ShrOutboxReport rep = { 0 };
  g_assert_true (run (f, T0, NULL, &rep));
  g_assert_cmpuint (rep.sent, ==, 1);
  g_assert_cmpuint (rep.failed, ==, 1);
  g_assert_cmpuint (rep.failures->len, ==, 1);
  ShrOutboxFailure *fail = rep.failures->pdata[0];
  g_assert_cmpstr (fail->recipient, ==, "admin2@example.test");
  g_assert_cmpstr (fail->message_id, ==, "n.2@x");
  g_assert_cmpstr (fail->error, ==,
                   "550 5.1.1 <admin2@example.test>: Recipient address "
                   "rejected: no such user");
  shr_outbox_report_clear (&rep);
  g_autofree gchar *s = rows_summary (f);
  g_assert_cmpstr (s, ==,
                   "n.2@x admin@example.test sent 1 0\n"
                   "n.2@x admin2@example.test failed 1 0 550 5.1.1 "
                   "<admin2@example.test>: Recipient address rejected: no "
                   "such user\n");
  g_assert_cmpuint (delivered (f, "n.2@x", "admin@example.test"), ==, 1);
}

static void
test_backoff (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (shr_outbox_backoff (NULL, 0), ==, 60);
  g_assert_cmpint (shr_outbox_backoff (NULL, 1), ==, 120);
  g_assert_cmpint (shr_outbox_backoff (NULL, 5), ==, 1920);
  g_assert_cmpint (shr_outbox_backoff (NULL, 6), ==, 3600);
  g_assert_cmpint (shr_outbox_backoff (NULL, 1000), ==, 3600);

  g_hash_table_insert (f->refuse, "admin2@example.test", "452 4.2.2 Mailbox full");
  queue (f, "n.3@x", "notice", 0, "ja", admins, 2);
  g_assert_true (run (f, T0, NULL, NULL));
  g_autofree gchar *s1 = rows_summary (f);
  g_assert_cmpstr (s1, ==,
                   "n.3@x admin@example.test sent 1 0\n"
                   "n.3@x admin2@example.test queued 1 60 452 4.2.2 "
                   "Mailbox full\n");
  /* Not due yet. */
  g_assert_true (run (f, T0 + 59, NULL, NULL));
  g_assert_cmpuint (f->calls, ==, 1);
  /* Due: only the deferred recipient is tried again; the delay doubles. */
  g_assert_true (run (f, T0 + 60, NULL, NULL));
  g_assert_cmpuint (f->calls, ==, 2);
  g_assert_cmpstr (f->call_rcpts->pdata[1], ==, "admin2@example.test");
  g_autofree gchar *s2 = rows_summary (f);
  g_assert_cmpstr (s2, ==,
                   "n.3@x admin@example.test sent 1 0\n"
                   "n.3@x admin2@example.test queued 2 180 452 4.2.2 "
                   "Mailbox full\n");
  /* The mailbox has room again. */
  g_hash_table_remove (f->refuse, "admin2@example.test");
  g_assert_true (run (f, T0 + 180, NULL, NULL));
  g_autofree gchar *s3 = rows_summary (f);
  g_assert_cmpstr (s3, ==,
                   "n.3@x admin@example.test sent 1 0\n"
                   "n.3@x admin2@example.test sent 3 180\n");
  g_assert_cmpuint (delivered (f, "n.3@x", "admin@example.test"), ==, 1);
  g_assert_cmpuint (delivered (f, "n.3@x", "admin2@example.test"), ==, 1);
}

static void
test_server_down (Fixture *f, gconstpointer data)
{
  for (int i = 0; i < 5; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("n.down.%d@x", i);
      queue (f, mid, "notice", 0, "ja", admins, 2);
    }
  f->down = TRUE;
  ShrOutboxReport rep = { 0 };
  g_assert_true (run (f, T0, NULL, &rep));
  /* One attempt, then the run stops: the other four wait too. */
  g_assert_cmpuint (f->calls, ==, 1);
  g_assert_cmpuint (rep.retry, ==, 10);
  g_assert_cmpuint (rep.sent, ==, 0);
  g_assert_cmpstr (rep.last_error, ==, "smtp://127.0.0.1:1: Couldn't connect to server");
  shr_outbox_report_clear (&rep);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_outbox_list (f->store, &rows, &error));
  for (guint i = 0; i < rows->len; i++)
    {
      ShrOutboxRow *r = rows->pdata[i];
      g_assert_cmpstr (r->status, ==, "queued");
      g_assert_cmpint (r->next_attempt_at, ==, T0 + 60);
      g_assert_cmpint (r->attempts, ==, i < 2 ? 1 : 0);
    }
  /* Still down a minute later. */
  g_assert_true (run (f, T0 + 60, NULL, NULL));
  g_assert_cmpuint (f->calls, ==, 2);
  /* Back: everything goes, each once. */
  f->down = FALSE;
  g_assert_true (run (f, T0 + 600, NULL, &rep));
  g_assert_cmpuint (rep.sent, ==, 10);
  shr_outbox_report_clear (&rep);
  for (int i = 0; i < 5; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("n.down.%d@x", i);
      g_assert_cmpuint (delivered (f, mid, "admin@example.test"), ==, 1);
      g_assert_cmpuint (delivered (f, mid, "admin2@example.test"), ==, 1);
    }
  g_assert_cmpuint (g_hash_table_size (f->delivered), ==, 10);
}

static void
test_crash_lease (Fixture *f, gconstpointer data)
{
  queue (f, "n.4@x", "notice", 0, "ja", admins, 2);
  /* A sender claims the rows and dies before finishing them. */
  g_autoptr (GPtrArray) claimed = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (shr_store_outbox_claim (f->store, T0, T0 + 900, 10, &claimed, &error));
  g_assert_cmpuint (claimed->len, ==, 2);
  /* Another run during the lease leaves them alone... */
  g_assert_true (run (f, T0 + 899, NULL, NULL));
  g_assert_cmpuint (f->calls, ==, 0);
  /* ...and takes them after it, with the same Message-ID. */
  g_assert_true (run (f, T0 + 900, NULL, NULL));
  g_assert_cmpuint (f->calls, ==, 1);
  g_assert_cmpuint (delivered (f, "n.4@x", "admin@example.test"), ==, 1);
  g_autofree gchar *s = rows_summary (f);
  g_assert_cmpstr (s, ==,
                   "n.4@x admin@example.test sent 1 900\n"
                   "n.4@x admin2@example.test sent 1 900\n");
  /* The dead sender's late finish changes nothing now. */
  g_assert_true (shr_store_outbox_finish (f->store, ((ShrOutboxRow *)claimed->pdata[0])->id, "queued", 1,
                                          T0 + 2000, "late", &error));
  g_autofree gchar *s2 = rows_summary (f);
  g_assert_cmpstr (s2, ==, s);
}

/* Rows leased by a process that is gone (its pid unused, or used again by
 * a process started at another time) go back to the queue at once when
 * the next once or watch starts; a live process's leases, and another
 * host's, run their course. */
static void
test_reclaim_dead_leases (Fixture *f, gconstpointer data)
{
  const gchar *owners[] = {
    "",   /* ours */
    NULL, /* a pid that runs, started at another time */
    NULL, /* a pid no process has */
    "elsewhere.example.test:1:1",
  };
  g_autofree gchar *reused = g_strdup_printf ("%s:1:12345678901", g_get_host_name ());
  g_autofree gchar *gone = g_strdup_printf ("%s:%d:1", g_get_host_name (), G_MAXINT32);
  owners[0] = shr_outbox_lease_owner ();
  owners[1] = reused;
  owners[2] = gone;
  g_autoptr (GError) error = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("n.lease.%u@x", i);
      const gchar *one[] = { "admin@example.test", NULL };
      queue (f, mid, "notice", 0, "ja", one, 1);
      shr_store_set_lease_owner (f->store, owners[i]);
      g_autoptr (GPtrArray) claimed = NULL;
      g_assert_true (shr_store_outbox_claim (f->store, T0, T0 + 900, 1, &claimed, &error));
      g_assert_cmpuint (claimed->len, ==, 1);
    }
  guint count = 0;
  g_assert_true (shr_outbox_reclaim_dead_leases (f->store, T0 + 10, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
  g_autofree gchar *s = rows_summary (f);
  g_assert_cmpstr (s, ==,
                   "n.lease.0@x admin@example.test sending 0 900\n"
                   "n.lease.1@x admin@example.test queued 0 10\n"
                   "n.lease.2@x admin@example.test queued 0 10\n"
                   "n.lease.3@x admin@example.test sending 0 900\n");
}

/* The server refuses us as a sender (553 to MAIL FROM: an [smtp] from the
 * account may not use): nothing is failed for good, the run stops at the
 * first message, and all of it goes once the config is fixed. */
static void
test_sender_refused (Fixture *f, gconstpointer data)
{
  for (int i = 0; i < 5; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("n.sender.%d@x", i);
      queue (f, mid, "notice", 0, "ja", admins, 2);
    }
  f->refused_sender = "553 5.7.1 <shirase@example.test>: Sender address rejected: not owned by user shirase";
  ShrOutboxReport rep = { 0 };
  g_assert_true (run (f, T0, NULL, &rep));
  g_assert_cmpuint (f->calls, ==, 1);
  g_assert_cmpuint (rep.failed, ==, 0);
  g_assert_cmpuint (rep.retry, ==, 10);
  g_assert_nonnull (strstr (rep.last_error, "Sender address rejected"));
  shr_outbox_report_clear (&rep);
  f->refused_sender = NULL;
  g_assert_true (run (f, T0 + 600, NULL, &rep));
  g_assert_cmpuint (rep.sent, ==, 10);
  g_assert_cmpuint (rep.failed, ==, 0);
  shr_outbox_report_clear (&rep);
  g_assert_cmpuint (g_hash_table_size (f->delivered), ==, 10);
}

/* A run that outlasts its lease: a 4-second lease, 0.7 s per message.
 * The rows not yet sent are given back and claimed again before half the
 * lease is gone, so a second sender never takes one of them; each goes
 * once. */
static void
test_long_run_lease (Fixture *f, gconstpointer data)
{
  for (int i = 0; i < 8; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("n.slow.%d@x", i);
      queue (f, mid, "notice", 0, "ja", admins, 2);
    }
  f->slow_us = 700000;
  f->run_start = g_get_monotonic_time ();
  ShrOutboxOptions o = { .lease_seconds = 4 };
  ShrOutboxReport rep = { 0 };
  g_assert_true (run (f, T0, &o, &rep));
  g_assert_cmpuint (rep.sent, ==, 16);
  shr_outbox_report_clear (&rep);
  g_assert_cmpuint (f->rival_claims, ==, 0);
  g_assert_cmpuint (f->calls, ==, 8);
  for (int i = 0; i < 8; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("n.slow.%d@x", i);
      g_assert_cmpuint (delivered (f, mid, "admin@example.test"), ==, 1);
    }
}

static void
test_give_up (Fixture *f, gconstpointer data)
{
  g_hash_table_insert (f->refuse, "admin@example.test", "421 4.3.2 Service shutting down");
  const gchar *const one[] = { "admin@example.test", NULL };
  queue (f, "n.5@x", "notice", 0, "ja", one, 1);
  ShrOutboxOptions o = { .max_attempts = 3, .backoff_base = 10 };
  ShrOutboxReport rep = { 0 };
  g_assert_true (run (f, T0, &o, NULL));
  g_assert_true (run (f, T0 + 10, &o, NULL));
  g_assert_true (run (f, T0 + 30, &o, &rep));
  g_assert_cmpuint (f->calls, ==, 3);
  g_assert_cmpuint (rep.failed, ==, 1);
  shr_outbox_report_clear (&rep);
  g_autofree gchar *s = rows_summary (f);
  g_assert_cmpstr (s, ==,
                   "n.5@x admin@example.test failed 3 30 gave up after 3 "
                   "attempts: 421 4.3.2 Service shutting down\n");
}

static void
test_batches (Fixture *f, gconstpointer data)
{
  /* More rows than one claim takes: the run goes on until none is due. */
  for (int i = 0; i < 25; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("n.b.%d@x", i);
      queue (f, mid, "notice", 0, "ja", admins, 2);
    }
  ShrOutboxOptions o = { .batch = 7 };
  ShrOutboxReport rep = { 0 };
  g_assert_true (run (f, T0, &o, &rep));
  g_assert_cmpuint (rep.sent, ==, 50);
  /* A claim may split a message's recipients; never twice to one. */
  g_assert_cmpuint (g_hash_table_size (f->delivered), ==, 50);
  shr_outbox_report_clear (&rep);
}

/* ---- crashes ------------------------------------------------------------------ */

/* A sender that writes each delivery to the file named by
 * SHR_TEST_DELIVERIES ("<message-id> recipient" per line) and, with
 * SHR_TEST_CRASH_IN_SEND set, dies right after the server "accepted": the
 * window DESIGN.md allows a resend in. */
static gboolean
file_send (gpointer data, const gchar *from, const gchar *const *rcpts, GBytes *message, GPtrArray **results,
           GError **error)
{
  g_autofree gchar *mid = header_value (message, "Message-ID");
  FILE *fp = fopen (g_getenv ("SHR_TEST_DELIVERIES"), "a");
  g_assert_nonnull (fp);
  GPtrArray *res = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_send_result_free);
  for (guint i = 0; rcpts[i] != NULL; i++)
    {
      fprintf (fp, "%s %s\n", mid, rcpts[i]);
      ShrSendResult *r = g_new0 (ShrSendResult, 1);
      r->recipient = g_strdup (rcpts[i]);
      r->outcome = SHR_SEND_ACCEPTED;
      r->code = 250;
      r->reply = g_strdup ("250 ok");
      g_ptr_array_add (res, r);
    }
  fclose (fp);
  if (g_getenv ("SHR_TEST_CRASH_IN_SEND") != NULL)
    {
      g_printerr ("crashing after the server accepted\n");
      abort ();
    }
  *results = res;
  return TRUE;
}

static void
crash_child (void)
{
  const gchar *dir = g_getenv ("SHR_TEST_OUTBOX_DIR");
  if (dir == NULL)
    {
      g_test_skip ("only run as the subprocess of /outbox/crash/points");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
  g_assert_no_error (error);
  shr_outbox_run_with (store, file_send, NULL, T0, NULL, NULL, &error);
  g_assert_no_error (error);
}

static gchar *
read_deliveries (const gchar *path)
{
  gchar *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static void
test_crash_points (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const gchar *name;
    const gchar *abort_after; /* commits, or NULL */
    gboolean in_send;
    const gchar *child_sent; /* deliveries made by the crashed process */
    const gchar *after;      /* all deliveries once the next run is done */
  } points[] = {
    /* Died after claiming, before sending: sent once, after the lease. */
    { "after-claim", "1", FALSE, "", "<n.c@x> admin@example.test\n<n.c@x> admin2@example.test\n" },
    /* Died after the server accepted, before recording it: sent again,
     * with the same Message-ID (the only duplicate DESIGN.md allows). */
    { "in-send", NULL, TRUE, "<n.c@x> admin@example.test\n<n.c@x> admin2@example.test\n",
      "<n.c@x> admin@example.test\n<n.c@x> admin2@example.test\n"
      "<n.c@x> admin@example.test\n<n.c@x> admin2@example.test\n" },
    /* Died after recording it: never sent again. */
    { "after-finish", "2", FALSE, "<n.c@x> admin@example.test\n<n.c@x> admin2@example.test\n",
      "<n.c@x> admin@example.test\n<n.c@x> admin2@example.test\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      if (points[i].abort_after != NULL && !SHR_TEST_HOOKS_ENABLED)
        {
          g_test_message ("crash point %s: skipped (SHIRASE_TEST_ABORT_AFTER needs --enable-test-hooks)",
                          points[i].name);
          continue;
        }
      g_test_message ("crash point %s", points[i].name);
      g_autofree gchar *dir = g_build_filename (f->dir, points[i].name, NULL);
      g_autofree gchar *file = g_build_filename (f->dir, "deliveries", NULL);
      g_unlink (file);
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (ShrStore) store = shr_store_open (dir, &error);
        g_assert_no_error (error);
        ShrStore *keep = f->store;
        f->store = store;
        queue (f, "n.c@x", "notice", 0, "ja", admins, 2);
        f->store = keep;
      }
      g_setenv ("SHR_TEST_OUTBOX_DIR", dir, TRUE);
      g_setenv ("SHR_TEST_DELIVERIES", file, TRUE);
      if (points[i].abort_after != NULL)
        g_setenv ("SHIRASE_TEST_ABORT_AFTER", points[i].abort_after, TRUE);
      if (points[i].in_send)
        g_setenv ("SHR_TEST_CRASH_IN_SEND", "1", TRUE);
      g_test_trap_subprocess ("/outbox/crash/child", 0, G_TEST_SUBPROCESS_DEFAULT);
      g_unsetenv ("SHIRASE_TEST_ABORT_AFTER");
      g_unsetenv ("SHR_TEST_CRASH_IN_SEND");
      g_unsetenv ("SHR_TEST_OUTBOX_DIR");
      g_test_trap_assert_failed ();
      g_autofree gchar *child = read_deliveries (file);
      g_assert_cmpstr (child, ==, points[i].child_sent);

      /* The next run, once the crashed sender's lease is over. */
      g_autoptr (GError) error = NULL;
      g_autoptr (ShrStore) store = shr_store_open (dir, &error);
      g_assert_no_error (error);
      g_assert_true (shr_outbox_run_with (store, file_send, NULL, T0 + 899, NULL, NULL, &error));
      g_autofree gchar *during = read_deliveries (file);
      g_assert_cmpstr (during, ==, points[i].child_sent);
      g_assert_true (shr_outbox_run_with (store, file_send, NULL, T0 + 900, NULL, NULL, &error));
      g_assert_no_error (error);
      g_autofree gchar *after = read_deliveries (file);
      g_assert_cmpstr (after, ==, points[i].after);
      g_autoptr (GPtrArray) rows = NULL;
      g_assert_true (shr_store_outbox_list (store, &rows, &error));
      for (guint k = 0; k < rows->len; k++)
        g_assert_cmpstr (((ShrOutboxRow *)rows->pdata[k])->status, ==, "sent");
      g_unsetenv ("SHR_TEST_DELIVERIES");
      g_unlink (file);
      shr_store_close (g_steal_pointer (&store));
      test_remove_tree (dir);
    }
}

/* ---- schema step 2 on a database with v1 outbox rows ---------------------------- */

static void
v1_child (void)
{
  const gchar *dir = g_getenv ("SHR_TEST_OUTBOX_DIR");
  if (dir == NULL)
    {
      g_test_skip ("only run as the subprocess of /outbox/migrate/v1");
      return;
    }
  g_autoptr (GError) error = NULL;
  /* SHIRASE_TEST_ABORT_AFTER=1: dies right after schema step 1. */
  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
}

static void
test_migrate_v1 (Fixture *f, gconstpointer data)
{
  if (!SHR_TEST_HOOKS_ENABLED)
    {
      g_test_skip ("SHIRASE_TEST_ABORT_AFTER needs a build configured with --enable-test-hooks");
      return;
    }
  g_autofree gchar *sqlite = g_find_program_in_path ("sqlite3");
  if (sqlite == NULL)
    {
      g_test_skip ("the sqlite3 command is not installed");
      return;
    }
  g_autofree gchar *dir = g_build_filename (f->dir, "v1", NULL);
  g_setenv ("SHR_TEST_OUTBOX_DIR", dir, TRUE);
  g_setenv ("SHIRASE_TEST_ABORT_AFTER", "1", TRUE);
  g_test_trap_subprocess ("/outbox/migrate/v1-child", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("SHIRASE_TEST_ABORT_AFTER");
  g_unsetenv ("SHR_TEST_OUTBOX_DIR");
  g_test_trap_assert_failed ();

  /* A version-1 state with one queued notice, written as version 1 did. */
  g_autofree gchar *db = g_build_filename (dir, SHR_STORE_FILE_NAME, NULL);
  const gchar *argv[] = { sqlite, db,
                          "PRAGMA user_version;"
                          "INSERT INTO cases (id, title, created_at, updated_at)"
                          " VALUES (1, 't', 1, 1);"
                          "INSERT INTO drafts (id, case_id, token, message_id, created_at,"
                          " updated_at) VALUES (1, 1, 'T', 'd@x', 1, 1);"
                          "INSERT INTO outbox (draft_id, recipient, lang, message_id, attempts,"
                          " next_attempt_at, last_error, created_at, updated_at)"
                          " VALUES (1, 'admin@example.test', 'ja', 'old@x', 2, 5, '451 later',"
                          " 1, 1);",
                          NULL };
  gchar *out = NULL;
  gint status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (
      g_spawn_sync (NULL, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "1\n");
  g_free (out);

  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (shr_store_get_schema_version (store), ==, SHR_STORE_SCHEMA_VERSION);
  g_autoptr (GPtrArray) rows = NULL;
  g_assert_true (shr_store_outbox_list (store, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  ShrOutboxRow *r = rows->pdata[0];
  g_assert_cmpstr (r->kind, ==, "notice");
  g_assert_cmpstr (r->status, ==, "queued");
  g_assert_cmpint (r->attempts, ==, 2);
  g_assert_cmpstr (r->last_error, ==, "451 later");
  g_assert_cmpint (r->message_ref, ==, 0);
  /* Still once per (draft, recipient, lang). */
  gboolean queued = TRUE;
  g_assert_true (shr_store_outbox_add (store, 1, "admin@example.test", "ja", "new@x", &queued, &error));
  g_assert_false (queued);
  /* A row without its bytes is never claimed. */
  shr_store_close (f->store);
  f->store = g_steal_pointer (&store);
  g_assert_true (run (f, T0, NULL, NULL));
  g_assert_cmpuint (f->calls, ==, 0);
  g_autoptr (ShrStoreDraft) d = shr_store_draft_get (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (d->reminded_at, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, set_up, fn, tear_down)
  ADD ("/outbox/grouped", test_grouped);
  ADD ("/outbox/per-recipient", test_per_recipient);
  ADD ("/outbox/backoff", test_backoff);
  ADD ("/outbox/server-down", test_server_down);
  ADD ("/outbox/crash-lease", test_crash_lease);
  ADD ("/outbox/reclaim-dead-leases", test_reclaim_dead_leases);
  ADD ("/outbox/give-up", test_give_up);
  ADD ("/outbox/sender-refused", test_sender_refused);
  ADD ("/outbox/long-run-lease", test_long_run_lease);
  ADD ("/outbox/batches", test_batches);
  ADD ("/outbox/crash/points", test_crash_points);
  g_test_add_func ("/outbox/crash/child", crash_child);
  ADD ("/outbox/migrate/v1", test_migrate_v1);
  g_test_add_func ("/outbox/migrate/v1-child", v1_child);
  return g_test_run ();
}
