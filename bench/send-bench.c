/* SPDX-License-Identifier: GPL-3.0-or-later */
/* send-bench.c — notices/s through the real SMTP server into Dovecot.
 *
 *   bench/send-bench [-n 1000]
 *
 * Starts the test mail stack (tests/mailstack, needs root) unless
 * MAILSTACK_DIR names a running one, then sends N small notices with
 * STARTTLS + AUTH and the certificate verified:
 *   reuse     one ShrSender, one connection for all N
 *   new       one connection per message (TCP + STARTTLS + AUTH each)
 *   outbox    N queued notices through shr_outbox_run (SQLite state,
 *             two synchronous commits per message) over one connection
 * For each: time until the server accepted all N, and until all N were in
 * the recipient's Dovecot INBOX. Prints the rates and the reuse/new ratio. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "shr-outbox.h"
#include "shr-send.h"
#include "shr-store.h"

static gchar *srcdir;
static GHashTable *stack_env;

static const gchar *
senv (const gchar *key)
{
  const gchar *v = g_hash_table_lookup (stack_env, key);
  return v != NULL ? v : g_getenv (key);
}

static gchar *
run_out (const gchar *const *argv, gchar **const envp)
{
  gchar *out = NULL;
  gint status = 0;
  g_autoptr (GError) error = NULL;
  if (!g_spawn_sync (NULL, (gchar **)argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("send-bench: %s: %s\n", argv[1], error != NULL ? error->message : "failed");
      exit (1);
    }
  return out;
}

static void
parse_env (const gchar *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gchar *eq = strchr (lines[i], '=');
      if (eq == NULL || g_str_has_prefix (lines[i], "export"))
        continue;
      g_autofree gchar *val = g_strdup (eq + 1);
      gsize n = strlen (val);
      if (n >= 2 && val[0] == '\'' && val[n - 1] == '\'')
        {
          val[n - 1] = '\0';
          memmove (val, val + 1, n - 1);
        }
      g_hash_table_insert (stack_env, g_strndup (lines[i], eq - lines[i]), g_steal_pointer (&val));
    }
}

static guint
count (const gchar *user)
{
  g_autofree gchar *script = g_build_filename (srcdir, "tests", "mailstack", "count.sh", NULL);
  const gchar *argv[] = { "/bin/bash", script, user, NULL };
  g_auto (GStrv) envp = g_get_environ ();
  envp = g_environ_setenv (envp, "DOVECOT_CONF", senv ("DOVECOT_CONF"), TRUE);
  envp = g_environ_setenv (envp, "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", TRUE);
  g_autofree gchar *out = run_out (argv, envp);
  return (guint)g_ascii_strtoull (out, NULL, 10);
}

static gdouble
wait_count (const gchar *user, guint n, gint64 since)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (count (user) < n)
    {
      if (g_get_monotonic_time () > end)
        {
          g_printerr ("send-bench: %s has %u of %u after 120 s\n", user, count (user), n);
          exit (1);
        }
      g_usleep (20000);
    }
  return (g_get_monotonic_time () - since) / 1e6;
}

static GBytes *
compose (const gchar *mid, const gchar *to)
{
  g_autofree gchar *text = g_strdup_printf ("From: shirase <shirase@example.test>\r\nTo: %s\r\n"
                                            "Subject: =?UTF-8?B?44CQ5YWx5pyJ44CR44OZ44Oz44OB?=\r\n"
                                            "Date: Thu, 26 Nov 2026 09:00:00 +0900\r\nMessage-ID: <%s>\r\n"
                                            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                            "Content-Transfer-Encoding: 8bit\r\n\r\n"
                                            "■ 概要\r\nベンチマーク用の通知です。\r\n"
                                            "■ 対応手順\r\n1. 何もしない\r\n",
                                            to, mid);
  return g_bytes_new (text, strlen (text));
}

static ShrSender *
new_sender (void)
{
  g_autoptr (ShrSmtpConfig) c = shr_smtp_config_new ();
  c->url = g_strdup_printf ("smtp://127.0.0.1:%s/localhost", senv ("SMTP_PORT"));
  c->ca_file = g_strdup (senv ("CA_FILE"));
  c->user = g_strdup ("shirase");
  c->password = g_strdup ("pw-shirase");
  c->from = g_strdup ("shirase@example.test");
  g_autoptr (GError) error = NULL;
  ShrSender *s = shr_sender_new (c, &error);
  if (s == NULL)
    {
      g_printerr ("send-bench: %s\n", error->message);
      exit (1);
    }
  return s;
}

typedef struct
{
  gdouble accepted, delivered;
  guint connections;
} Figures;

static Figures
run_direct (const gchar *tag, const gchar *user, guint n, gboolean reuse)
{
  g_autoptr (ShrSender) s = new_sender ();
  shr_sender_set_reuse (s, reuse);
  g_autofree gchar *to = g_strdup_printf ("%s@example.test", user);
  const gchar *rcpt[] = { to, NULL };
  guint before = count (user);
  gint64 t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("bench.%s.%u@shirase.test", tag, i);
      g_autoptr (GBytes) msg = compose (mid, to);
      g_autoptr (GPtrArray) res = NULL;
      g_autoptr (GError) error = NULL;
      if (!shr_sender_send (s, NULL, rcpt, msg, &res, &error))
        {
          g_printerr ("send-bench: %s\n", error->message);
          exit (1);
        }
    }
  Figures f;
  f.accepted = (g_get_monotonic_time () - t0) / 1e6;
  f.delivered = wait_count (user, before + n, t0);
  f.connections = shr_sender_get_connections (s);
  return f;
}

static Figures
run_outbox (const gchar *user, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("send-bench-XXXXXX", &error);
  g_autoptr (ShrStore) store = shr_store_open (dir, &error);
  if (store == NULL)
    {
      g_printerr ("send-bench: %s\n", error->message);
      exit (1);
    }
  g_autofree gchar *to = g_strdup_printf ("%s@example.test", user);
  const gchar *rcpt[] = { to, NULL };
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *mid = g_strdup_printf ("bench.outbox.%u@shirase.test", i);
      g_autoptr (GBytes) msg = compose (mid, to);
      if (!shr_store_outbox_add_message (store, 0, "notice", "ja", mid, "shirase@example.test", rcpt, msg,
                                         NULL, &error))
        {
          g_printerr ("send-bench: %s\n", error->message);
          exit (1);
        }
    }
  g_autoptr (ShrSender) s = new_sender ();
  guint before = count (user);
  gint64 t0 = g_get_monotonic_time ();
  ShrOutboxReport rep = { 0 };
  if (!shr_outbox_run (store, s, g_get_real_time () / G_USEC_PER_SEC, NULL, &rep, &error) || rep.sent != n)
    {
      g_printerr ("send-bench: outbox sent %u of %u: %s\n", rep.sent, n,
                  error != NULL ? error->message : rep.last_error);
      exit (1);
    }
  shr_outbox_report_clear (&rep);
  Figures f;
  f.accepted = (g_get_monotonic_time () - t0) / 1e6;
  f.delivered = wait_count (user, before + n, t0);
  f.connections = shr_sender_get_connections (s);
  g_autofree gchar *db = g_build_filename (dir, SHR_STORE_FILE_NAME, NULL);
  g_autofree gchar *wal = g_strconcat (db, "-wal", NULL);
  g_autofree gchar *shm = g_strconcat (db, "-shm", NULL);
  shr_store_close (g_steal_pointer (&store));
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return f;
}

static void
print (const gchar *what, guint n, Figures f)
{
  g_print ("%-34s %6.2f s %7.0f/s accepted   %6.2f s %7.0f/s in Dovecot   "
           "%u connection(s)\n",
           what, f.accepted, n / f.accepted, f.delivered, n / f.delivered, f.connections);
}

int
main (int argc, char **argv)
{
  gint n = 1000;
  GOptionEntry entries[] = { { "count", 'n', 0, G_OPTION_ARG_INT, &n, "notices per run", "N" }, { NULL } };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || n <= 0)
    {
      g_printerr ("send-bench: %s\n", error != NULL ? error->message : "bad -n");
      return 2;
    }
  srcdir = g_strdup (g_getenv ("SHR_TOP_SRCDIR") != NULL ? g_getenv ("SHR_TOP_SRCDIR") : SHR_SRCDIR);
  stack_env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree gchar *ms = g_build_filename (srcdir, "tests", "mailstack", "mailstack.sh", NULL);
  gboolean started = FALSE;
  if (g_getenv ("MAILSTACK_DIR") == NULL)
    {
      g_autofree gchar *pid = g_strdup_printf ("%d", (int)getpid ());
      g_auto (GStrv) envp = g_get_environ ();
      envp = g_environ_setenv (envp, "MAILSTACK_OWNER_PID", pid, TRUE);
      const gchar *start[] = { "/bin/bash", ms, "start", NULL };
      g_autofree gchar *out = run_out (start, envp);
      parse_env (out);
      started = TRUE;
    }

  g_print ("send-bench: %d notices, STARTTLS + AUTH, Postfix -> LMTP -> "
           "Dovecot on loopback\n",
           n);
  Figures reuse = run_direct ("reuse", "admin", n, TRUE);
  print ("one connection reused", n, reuse);
  Figures fresh = run_direct ("new", "admin2", n, FALSE);
  print ("one connection per message", n, fresh);
  Figures outbox = run_outbox ("approver", n);
  print ("outbox (state + one connection)", n, outbox);
  g_print ("ratio reused/new (accepted): %.1fx; (in Dovecot): %.1fx\n", fresh.accepted / reuse.accepted,
           fresh.delivered / reuse.delivered);

  if (started)
    {
      const gchar *stop[] = { "/bin/bash", ms, "stop", senv ("MAILSTACK_DIR"), NULL };
      g_autofree gchar *out = run_out (stop, NULL);
    }
  g_hash_table_unref (stack_env);
  g_free (srcdir);
  return 0;
}
