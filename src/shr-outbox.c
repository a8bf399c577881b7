/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-outbox.c — see shr-outbox.h. */
#include "shr-outbox.h"

#include <string.h>
#include <unistd.h>

#define DEFAULT_BATCH 200
#define DEFAULT_LEASE 900
#define DEFAULT_BACKOFF_BASE 60
#define DEFAULT_BACKOFF_CAP 3600
#define DEFAULT_MAX_ATTEMPTS 72

static void
failure_free (ShrOutboxFailure *f)
{
  g_free (f->kind);
  g_free (f->recipient);
  g_free (f->message_id);
  g_free (f->error);
  g_free (f);
}

void
shr_outbox_report_clear (ShrOutboxReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->failures, g_ptr_array_unref);
  g_clear_pointer (&report->last_error, g_free);
  memset (report, 0, sizeof *report);
}

static ShrOutboxOptions
options_or_defaults (const ShrOutboxOptions *o)
{
  ShrOutboxOptions d = { 0 };
  if (o != NULL)
    d = *o;
  if (d.batch == 0)
    d.batch = DEFAULT_BATCH;
  if (d.lease_seconds <= 0)
    d.lease_seconds = DEFAULT_LEASE;
  if (d.backoff_base <= 0)
    d.backoff_base = DEFAULT_BACKOFF_BASE;
  if (d.backoff_cap <= 0)
    d.backoff_cap = DEFAULT_BACKOFF_CAP;
  if (d.max_attempts == 0)
    d.max_attempts = DEFAULT_MAX_ATTEMPTS;
  return d;
}

gint64
shr_outbox_backoff (const ShrOutboxOptions *options, gint64 attempts)
{
  ShrOutboxOptions o = options_or_defaults (options);
  gint64 delay = o.backoff_base;
  for (gint64 i = 0; i < attempts && delay < o.backoff_cap; i++)
    delay *= 2;
  return MIN (delay, o.backoff_cap);
}

typedef struct
{
  GPtrArray *rows;    /* ShrOutboxRow, of one message */
  GPtrArray *results; /* ShrSendResult per row, or NULL */
  const gchar *whole; /* the reason for every row, when no results */
  gboolean whole_temporary;
  gint64 now;
  const ShrOutboxOptions *options;
  ShrOutboxReport *report;
} Finish;

static void
note_failure (ShrOutboxReport *report, const ShrOutboxRow *row, const gchar *error)
{
  if (report == NULL)
    return;
  if (report->failures == NULL)
    report->failures = g_ptr_array_new_with_free_func ((GDestroyNotify)failure_free);
  ShrOutboxFailure *f = g_new0 (ShrOutboxFailure, 1);
  f->row_id = row->id;
  f->draft_id = row->draft_id;
  f->kind = g_strdup (row->kind);
  f->recipient = g_strdup (row->recipient);
  f->message_id = g_strdup (row->message_id);
  f->error = g_strdup (error);
  g_ptr_array_add (report->failures, f);
}

static gboolean
finish_rows (ShrStore *store, gpointer data, GError **error)
{
  Finish *fin = data;
  for (guint i = 0; i < fin->rows->len; i++)
    {
      ShrOutboxRow *row = fin->rows->pdata[i];
      ShrSendOutcome outcome = SHR_SEND_TEMPORARY;
      const gchar *why = fin->whole;
      if (fin->results != NULL)
        {
          ShrSendResult *r = fin->results->pdata[i];
          outcome = r->outcome;
          why = r->reply;
        }
      else if (!fin->whole_temporary)
        outcome = SHR_SEND_PERMANENT;

      const gchar *status;
      gint64 attempts = row->attempts + 1;
      gint64 next = fin->now;
      g_autofree gchar *gave_up = NULL;
      if (outcome == SHR_SEND_ACCEPTED)
        {
          status = "sent";
          why = NULL;
        }
      else if (outcome == SHR_SEND_PERMANENT)
        status = "failed";
      else if (attempts >= (gint64)fin->options->max_attempts)
        {
          status = "failed";
          gave_up = g_strdup_printf ("gave up after %" G_GINT64_FORMAT " attempts: %s", attempts,
                                     why != NULL ? why : "");
          why = gave_up;
        }
      else
        {
          status = "queued";
          next = fin->now + shr_outbox_backoff (fin->options, row->attempts);
        }
      if (!shr_store_outbox_finish (store, row->id, status, attempts, next, why, error))
        return FALSE;
      if (fin->report == NULL)
        continue;
      if (g_str_equal (status, "sent"))
        fin->report->sent++;
      else if (g_str_equal (status, "failed"))
        {
          fin->report->failed++;
          note_failure (fin->report, row, why);
        }
      else
        {
          fin->report->retry++;
          g_free (fin->report->last_error);
          fin->report->last_error = g_strdup (why);
        }
    }
  return TRUE;
}

/* Puts rows that were claimed but not tried back in the queue at @next,
 * without counting an attempt. */
static gboolean
release_rows (ShrStore *store, gpointer data, GError **error)
{
  Finish *fin = data;
  for (guint i = 0; i < fin->rows->len; i++)
    {
      ShrOutboxRow *row = fin->rows->pdata[i];
      gint64 next = fin->now + shr_outbox_backoff (fin->options, row->attempts);
      if (!shr_store_outbox_finish (store, row->id, "queued", row->attempts, next, fin->whole, error))
        return FALSE;
      if (fin->report != NULL)
        fin->report->retry++;
    }
  return TRUE;
}

/* Gives claimed rows back as they were, due at once, for a fresh claim. */
static gboolean
requeue_rows (ShrStore *store, gpointer data, GError **error)
{
  GPtrArray *rows = data;
  for (guint i = 0; i < rows->len; i++)
    {
      ShrOutboxRow *row = rows->pdata[i];
      if (!shr_store_outbox_finish (store, row->id, "queued", row->attempts, 0, row->last_error, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
shr_outbox_run_with (ShrStore *store, ShrOutboxSendFunc send, gpointer send_data, gint64 now,
                     const ShrOutboxOptions *options, ShrOutboxReport *report, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (send != NULL, FALSE);
  ShrOutboxOptions o = options_or_defaults (options);
  shr_store_set_lease_owner (store, shr_outbox_lease_owner ());
  /* @now is the run's start; a run may last long (a slow server, a large
   * backlog), so each claim takes its lease from the time it is made, and
   * rows still unsent when half their lease is gone are given back and
   * claimed anew: another process never finds a row of ours free while we
   * still mean to send it. */
  gint64 started = g_get_monotonic_time ();
#define ELAPSED ((g_get_monotonic_time () - started) / G_USEC_PER_SEC)

  for (;;)
    {
      g_autoptr (GPtrArray) rows = NULL;
      gint64 claimed_at = now + ELAPSED;
      gint64 claimed_us = g_get_monotonic_time ();
      if (!shr_store_outbox_claim (store, claimed_at, claimed_at + o.lease_seconds, o.batch, &rows, error))
        return FALSE;
      if (rows->len == 0)
        return TRUE;

      guint i = 0;
      while (i < rows->len)
        {
          /* Times are whole seconds: the lease may end up to one second
           * sooner than it seems. */
          if (g_get_monotonic_time () - claimed_us > (o.lease_seconds / 2 - 1) * G_USEC_PER_SEC)
            {
              g_autoptr (GPtrArray) rest = g_ptr_array_new ();
              while (i < rows->len)
                g_ptr_array_add (rest, rows->pdata[i++]);
              if (!shr_store_transaction (store, requeue_rows, rest, error))
                return FALSE;
              break;
            }
          /* The rows of one message are adjacent (claimed by message). */
          gint64 ref = ((ShrOutboxRow *)rows->pdata[i])->message_ref;
          g_autoptr (GPtrArray) group = g_ptr_array_new ();
          while (i < rows->len && ((ShrOutboxRow *)rows->pdata[i])->message_ref == ref)
            g_ptr_array_add (group, rows->pdata[i++]);

          g_autofree gchar *sender = NULL;
          g_autoptr (GBytes) bytes = NULL;
          if (!shr_store_outbox_message (store, ref, &sender, &bytes, error))
            return FALSE;
          g_autoptr (GPtrArray) rcpts = g_ptr_array_new ();
          for (guint k = 0; k < group->len; k++)
            g_ptr_array_add (rcpts, ((ShrOutboxRow *)group->pdata[k])->recipient);
          g_ptr_array_add (rcpts, NULL);

          g_autoptr (GPtrArray) results = NULL;
          g_autoptr (GError) send_error = NULL;
          gboolean sent
              = send (send_data, sender, (const gchar *const *)rcpts->pdata, bytes, &results, &send_error);
          if (report != NULL)
            report->messages++;
          Finish fin = { group, results, NULL, TRUE, now + ELAPSED, &o, report };
          if (results == NULL || results->len != group->len)
            {
              fin.results = NULL;
              fin.whole = send_error != NULL ? send_error->message : "the sender gave no outcome";
            }
          if (!shr_store_transaction (store, finish_rows, &fin, error))
            return FALSE;

          gboolean stop
              = !sent && send_error != NULL
                && (send_error->domain != SHR_SEND_ERROR || send_error->code == SHR_SEND_ERROR_CONNECT
                    || send_error->code == SHR_SEND_ERROR_AUTH || send_error->code == SHR_SEND_ERROR_SENDER
                    || send_error->code == SHR_SEND_ERROR_CONFIG
                    || send_error->code == SHR_SEND_ERROR_CREDENTIALS);
          if (stop)
            {
              /* The server is unreachable or refuses us: the rest waits
               * for the next run instead of failing one by one. */
              g_autoptr (GPtrArray) rest = g_ptr_array_new ();
              while (i < rows->len)
                g_ptr_array_add (rest, rows->pdata[i++]);
              Finish rel = { rest, NULL, send_error->message, TRUE, now + ELAPSED, &o, report };
              if (rest->len > 0 && !shr_store_transaction (store, release_rows, &rel, error))
                return FALSE;
              return TRUE;
            }
        }
    }
#undef ELAPSED
}

static gboolean
sender_send (gpointer data, const gchar *envelope_from, const gchar *const *recipients, GBytes *message,
             GPtrArray **results, GError **error)
{
  return shr_sender_send (data, envelope_from, recipients, message, results, error);
}

gboolean
shr_outbox_run (ShrStore *store, ShrSender *sender, gint64 now, const ShrOutboxOptions *options,
                ShrOutboxReport *report, GError **error)
{
  g_return_val_if_fail (sender != NULL, FALSE);
  return shr_outbox_run_with (store, sender_send, sender, now, options, report, error);
}

/* ---- leases of dead processes ------------------------------------------------ */

/* The start time of process @pid in clock ticks since boot (field 22 of
 * /proc/PID/stat), or 0 when it does not exist or cannot be read. With
 * the pid it names one process: a pid used again gets another start. */
static guint64
process_start (gint64 pid)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  g_autofree gchar *stat = NULL;
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return 0;
  /* The command name (field 2) may hold spaces and parentheses: the
   * fields are counted from its last ')'. */
  const gchar *p = strrchr (stat, ')');
  if (p == NULL)
    return 0;
  g_auto (GStrv) fields = g_strsplit (p + 2, " ", 0);
  /* fields[0] is field 3 (state): field 22 is fields[19]. */
  if (g_strv_length (fields) < 20)
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

const gchar *
shr_outbox_lease_owner (void)
{
  static gchar *owner;
  if (g_once_init_enter (&owner))
    {
      gint64 pid = getpid ();
      gchar *o = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT, g_get_host_name (), pid,
                                  process_start (pid));
      g_once_init_leave (&owner, o);
    }
  return owner;
}

/* Whether the process @owner names ("HOST:PID:START") is known to be gone:
 * it ran on this host, and no process has that pid and start time now. */
static gboolean
owner_is_gone (const gchar *owner)
{
  if (strcmp (owner, shr_outbox_lease_owner ()) == 0)
    return FALSE;
  const gchar *last = strrchr (owner, ':');
  if (last == NULL || last == owner)
    return FALSE;
  g_autofree gchar *head = g_strndup (owner, (gsize)(last - owner));
  const gchar *mid = strrchr (head, ':');
  if (mid == NULL)
    return FALSE;
  g_autofree gchar *host = g_strndup (head, (gsize)(mid - head));
  if (strcmp (host, g_get_host_name ()) != 0)
    return FALSE; /* another machine's: its lease runs out */
  gint64 pid = g_ascii_strtoll (mid + 1, NULL, 10);
  guint64 start = g_ascii_strtoull (last + 1, NULL, 10);
  if (pid <= 0)
    return FALSE;
  guint64 now_start = process_start (pid);
  return now_start == 0 || now_start != start;
}

gboolean
shr_outbox_reclaim_dead_leases (ShrStore *store, gint64 now, guint *count, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  if (count != NULL)
    *count = 0;
  g_autoptr (GPtrArray) owners = NULL;
  if (!shr_store_outbox_lease_owners (store, now, &owners, error))
    return FALSE;
  for (guint i = 0; i < owners->len; i++)
    {
      const gchar *owner = owners->pdata[i];
      if (!owner_is_gone (owner))
        continue;
      guint n = 0;
      if (!shr_store_outbox_release_leases (store, owner, now, &n, error))
        return FALSE;
      if (n > 0)
        g_message ("outbox: %u rows leased by %s, which is gone, are queued again", n, owner);
      if (count != NULL)
        *count += n;
    }
  return TRUE;
}
