/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase once -c CONF — handle what waits in the watched mailbox, exit.
 * shirase watch -c CONF — the daemon: handle mail as it arrives.
 *
 * Both check the state (a database lost or damaged fails the start, see
 * shr-store.h; --init starts a new one), then run the watcher (shr-watch)
 * with the pipeline (shr-pipeline) as its handler. watch runs the watcher
 * in a worker thread and its timers (the outbox, reminders, expiry, the
 * digest) in another, while the main thread runs a GMainLoop for the
 * signals: SIGTERM/SIGINT let the current message finish and exit 0;
 * SIGHUP reloads the configuration (an invalid one is refused with the
 * reason logged, and the old one stays). A damaged state ends either with
 * exit status 1. */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "shr-cli.h"
#include "shr-log.h"
#include "shr-notify.h"
#include "shr-outbox.h"
#include "shr-pipeline.h"
#include "shr-sdnotify.h"
#include "shr-service.h"
#include "shr-store.h"
#include "shr-test-hooks.h"
#include "shr-time.h"

/* ---- what one run needs ----------------------------------------------------- */

typedef struct
{
  ShrService *service;
  ShrStore *store;
  ShrPipeline *pipeline;
  ShrWatch *watch;
  ShrNotify *notify;       /* NULL without [smtp] and [approval]: ingest only */
  gboolean batch_txn;      /* one transaction per fetched batch */
  void (*kick) (gpointer); /* watch: wakes the timers after a batch */
  gpointer kick_data;
  guint counts[SHR_OUTCOME_REPLY + 1];
  guint duplicates;
  guint digests;           /* handled mails that carried several advisories */
  guint digest_advisories; /* and how many */
} Run;

static void
run_free (Run *r)
{
  if (r == NULL)
    return;
  shr_watch_free (r->watch);
  shr_notify_free (r->notify);
  shr_pipeline_free (r->pipeline);
  shr_store_close (r->store);
  shr_service_free (r->service);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static ShrVocabulary vocab;
static ShrLexicon *lexicon;

static gboolean
init_lexicon (GError **error)
{
  if (lexicon != NULL)
    return TRUE;
  lexicon = shr_lexicon_get_default (error);
  if (lexicon == NULL)
    return FALSE;
  vocab = shr_vocabulary_for_lexicon (lexicon);
  return TRUE;
}

static void on_watch_event (const GError *error, gpointer data);

/* SHIRASE_TEST_POISON=WHAT:MARKER (test builds): a message containing
 * MARKER aborts (abort), hangs (hang) or fails its state step (apply). */
static void
set_test_poison (ShrPipeline *pipeline, const gchar *spec)
{
  static const struct
  {
    const gchar *name;
    ShrPipelineFault fault;
  } kinds[] = { { "abort:", SHR_PIPELINE_FAULT_ABORT },
                { "hang:", SHR_PIPELINE_FAULT_HANG },
                { "apply:", SHR_PIPELINE_FAULT_APPLY } };
  for (guint i = 0; spec != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (spec, kinds[i].name))
      shr_pipeline_set_fault (pipeline, kinds[i].fault, spec + strlen (kinds[i].name));
}

/* (transfer full) Loads @conf and opens the state (with @flags), checked
 * page by page (PRAGMA quick_check): a damaged database fails the start,
 * loudly, instead of a run that moves mail and sends nothing. NULL +
 * error. */
static Run *
run_new (const gchar *conf, ShrStoreOpenFlags flags, GError **error)
{
  g_autoptr (Run) r = g_new0 (Run, 1);
  r->service = shr_service_load (conf, &vocab, TRUE, error);
  if (r->service == NULL)
    return NULL;
  r->store = shr_store_open_full (r->service->state_dir, flags, error);
  if (r->store == NULL || !shr_store_check_at_start (r->store, error))
    return NULL;
  r->pipeline
      = shr_pipeline_new (r->store, lexicon, r->service->config->profile, &vocab, r->service->own_address);
  if (shr_notify_configured (r->service->config->keyfile))
    {
      r->notify = shr_notify_new (r->store, r->service->config->keyfile, conf, r->service->state_dir, error);
      if (r->notify == NULL)
        return NULL;
      shr_pipeline_set_approvers (r->pipeline, shr_notify_get_approvers (r->notify));
      shr_pipeline_set_keep_text (
          r->pipeline, g_key_file_has_key (r->service->config->keyfile, "summary", "command", NULL));
    }
  r->watch = shr_watch_new (r->service->imap);
  shr_watch_set_event_func (r->watch, on_watch_event, r);
  const gchar *batch = g_getenv ("SHIRASE_BATCH");
  if (batch != NULL && atoi (batch) > 0)
    shr_watch_set_batch_size (r->watch, (guint)atoi (batch));
  if (shr_test_env ("SHIRASE_TEST_NO_MOVE") != NULL)
    shr_watch_set_disable_move (r->watch, TRUE);
  set_test_poison (r->pipeline, shr_test_env ("SHIRASE_TEST_POISON"));
  /* [state] commit = batch (the default): one transaction per fetched
   * batch. As safe as one per message: nothing is moved before its commit,
   * and a crash rolls the batch back, to be read again and deduplicated.
   * A backlog goes about half again as fast (issue 5's figures). In watch
   * mode a batch is what arrived together, so latency does not change.
   * SHIRASE_TXN overrides it for tests and bench. */
  g_autofree gchar *commit = g_key_file_get_string (r->service->config->keyfile, "state", "commit", NULL);
  const gchar *txn = g_getenv ("SHIRASE_TXN");
  if (txn == NULL)
    txn = commit != NULL ? g_strstrip (commit) : "batch";
  r->batch_txn = strcmp (txn, "batch") == 0;
  return g_steal_pointer (&r);
}

/* The state keeps the last connection error (with its time) for shirase
 * status, until a login succeeds again. Written only when it changes, so a
 * healthy run adds no transaction. */
#define IMAP_ERROR_SETTING "imap.last_error"

/* The last time the mailbox was read without error (Unix seconds), for
 * shirase status: a quiet mailbox is not a stale one. Written at most once
 * a minute. */
#define IMAP_OK_SETTING "imap.last_ok_at"

/* When the mailbox worker last showed life (a login, a pass over the
 * folder, or a failed attempt), in monotonic seconds: the watchdog pings
 * only while it is recent. */
static gint worker_alive_at;

static void
worker_alive (void)
{
  g_atomic_int_set (&worker_alive_at, (gint)(g_get_monotonic_time () / G_USEC_PER_SEC));
}

static void
on_watch_event (const GError *error, gpointer data)
{
  Run *r = data;
  g_autoptr (GError) local = NULL;
  worker_alive ();
  if (error != NULL)
    shr_sd_notifyf ("STATUS=IMAP: %s", error->message);
  else
    shr_sd_notifyf ("STATUS=watching %s on %s:%u", r->service->imap->folder, r->service->imap->host,
                    r->service->imap->port);
  if (error == NULL)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      g_autofree gchar *last = shr_store_setting_get (r->store, IMAP_OK_SETTING, NULL);
      if (last == NULL || now - g_ascii_strtoll (last, NULL, 10) >= 60)
        {
          g_autofree gchar *value = g_strdup_printf ("%" G_GINT64_FORMAT, now);
          if (!shr_store_setting_set (r->store, IMAP_OK_SETTING, value, &local))
            {
              g_warning ("cannot record the last sync in the state: %s", local->message);
              g_clear_error (&local);
            }
        }
    }
  g_autofree gchar *old = shr_store_setting_get (r->store, IMAP_ERROR_SETTING, &local);
  if (error == NULL && (old == NULL || *old == '\0'))
    return;
  g_autofree gchar *value = NULL;
  if (error != NULL)
    {
      g_autofree gchar *when = shr_time_rfc3339_unix (g_get_real_time () / G_USEC_PER_SEC);
      value = g_strdup_printf ("%s %s", when, error->message);
    }
  if (!shr_store_setting_set (r->store, IMAP_ERROR_SETTING, value != NULL ? value : "", &local))
    g_warning ("cannot record the IMAP error in the state: %s", local->message);
}

static ShrWatchDisposition
disposition_for (ShrOutcome outcome, gboolean approving)
{
  switch (outcome)
    {
    case SHR_OUTCOME_FAILED:
      return SHR_WATCH_FAILED;
    case SHR_OUTCOME_REPLY:
      /* Until its decision commits, a reply is read again on every pass;
       * without an approval step configured it is kept for a person. */
      return approving ? SHR_WATCH_RETRY : SHR_WATCH_KEEP;
    case SHR_OUTCOME_HANDLED:
    case SHR_OUTCOME_IGNORED:
    default:
      return SHR_WATCH_DONE;
    }
}

/* @item: "2/4" for an advisory of a digest mail, else NULL. */
static void
log_entry (const ShrWatchMessage *m, const ShrPipelineResult *res, gint64 case_id, const gchar *item,
           const gchar *what)
{
  g_autofree gchar *uid = g_strdup_printf ("%u", m->uid);
  g_autofree gchar *case_text = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
  const gchar *outcome = shr_outcome_to_string (res->outcome);
  GLogLevelFlags level
      = res->outcome == SHR_OUTCOME_FAILED && !res->duplicate ? G_LOG_LEVEL_WARNING : G_LOG_LEVEL_INFO;
  if (item != NULL)
    g_log_structured (G_LOG_DOMAIN, level, "SHR_FOLDER", m->folder, "SHR_UID", uid, "SHR_OUTCOME", outcome,
                      "SHR_CASE", case_text, "SHR_ITEM", item, "MESSAGE", "%s UID %u %s", m->folder, m->uid,
                      what);
  else
    g_log_structured (G_LOG_DOMAIN, level, "SHR_FOLDER", m->folder, "SHR_UID", uid, "SHR_OUTCOME", outcome,
                      "SHR_CASE", case_text, "MESSAGE", "%s UID %u %s", m->folder, m->uid, what);
}

/* One entry per message; a digest mail's, one per advisory it carries
 * (each with its own case). */
static void
log_result (const ShrWatchMessage *m, const ShrPipelineResult *res)
{
  const gchar *outcome = shr_outcome_to_string (res->outcome);
  if (!res->duplicate && res->outcome == SHR_OUTCOME_HANDLED)
    {
      for (guint i = 0; i < res->advisories->len; i++)
        {
          const ShrPipelineAdvisory *a = &g_array_index (res->advisories, ShrPipelineAdvisory, i);
          g_autofree gchar *item = a->items > 0 ? g_strdup_printf ("%u/%u", a->item, a->items) : NULL;
          g_autofree gchar *described = shr_pipeline_advisory_describe (a);
          g_autofree gchar *what = g_strdup_printf ("handled: %s", described);
          log_entry (m, res, a->case_id, item, what);
        }
      return;
    }
  g_autofree gchar *what = NULL;
  if (res->duplicate)
    what = g_strdup_printf ("seen before (%s); moved by its recorded outcome", outcome);
  else
    what = g_strdup_printf ("%s: %s", outcome, res->reason != NULL ? res->reason : "");
  log_entry (m, res, res->case_id, NULL, what);
}

static gboolean
stop_requested (gpointer data)
{
  return shr_watch_stop_requested (data);
}

static guint
env_uint (const gchar *value)
{
  return value != NULL && atoi (value) > 0 ? (guint)atoi (value) : 0;
}

/* The state was found damaged: once fails; watch stops and exits 1
 * (systemd then restarts it, and the check at start refuses loudly). */
static gint state_damaged;

/* After the messages of a batch are recorded: drafts out and notices out.
 * In watch the timers do it (kicked here); once does it at once. */
static void
after_batch (Run *r)
{
  if (r->kick != NULL)
    {
      r->kick (r->kick_data);
      return;
    }
  if (r->notify != NULL)
    shr_cli_send_pending (r->notify);
}

/* The watcher's handler: the batch through the pipeline, which isolates a
 * message that crashes, hangs or fails its state step
 * (shr_pipeline_handle_batch), then each reply through the approval step
 * (a decision is its own transaction, after the batch's commit). */
static gboolean
handle_batch (const ShrWatchMessage *msgs, guint n, ShrWatchDisposition *disp, guint *n_done, gpointer data,
              GError **error)
{
  Run *r = data;
  g_autofree ShrPipelineItem *items = g_new (ShrPipelineItem, n);
  for (guint i = 0; i < n; i++)
    items[i] = (ShrPipelineItem){ msgs[i].folder, msgs[i].uidvalidity, msgs[i].uid, msgs[i].raw };
  g_autofree ShrPipelineResult *results = g_new0 (ShrPipelineResult, n);
  ShrPipelineBatchOptions options = {
    .batch_txn = r->batch_txn,
    .threads = env_uint (g_getenv ("SHIRASE_THREADS")),
    .budget_seconds = env_uint (shr_test_env ("SHIRASE_TEST_HANDLING_SECONDS")),
    .stop = stop_requested,
    .stop_data = r->watch,
  };
  gboolean ok = shr_pipeline_handle_batch (r->pipeline, items, n, &options, results, n_done, error);
  for (guint k = 0; k < *n_done; k++)
    {
      ShrPipelineResult *res = &results[k];
      disp[k] = disposition_for (res->outcome, r->notify != NULL);
      log_result (&msgs[k], res);
      if (res->duplicate)
        r->duplicates++;
      else
        r->counts[res->outcome]++;
      if (!res->duplicate && res->advisories != NULL && res->advisories->len > 1)
        {
          r->digests++;
          r->digest_advisories += res->advisories->len;
        }
      /* Seen-before replies too, in case we stopped between the two: a
       * decision already made is a replay and changes nothing. Only a
       * reply whose decision is committed leaves the folder. */
      if (res->message != NULL && r->notify != NULL)
        {
          g_autoptr (GError) local = NULL;
          if (shr_notify_reply (r->notify, res->message, &local))
            disp[k] = SHR_WATCH_DONE;
          else
            g_warning ("%s UID %u: the reply could not be decided: %s; left in the folder, read again on the "
                       "next pass",
                       msgs[k].folder, msgs[k].uid, local->message);
        }
    }
  for (guint k = 0; k < n; k++)
    shr_pipeline_result_clear (&results[k]);
  if (ok)
    after_batch (r);
  if (shr_store_is_damaged (r->store))
    {
      g_atomic_int_set (&state_damaged, 1);
      shr_watch_request_stop (r->watch);
      if (ok)
        g_set_error (error, SHR_STORE_ERROR, SHR_STORE_ERROR_CORRUPT, "the state database is damaged");
      return FALSE;
    }
  return ok;
}

/* ---- options ------------------------------------------------------------------ */

typedef struct
{
  gchar *conf;
  gchar *log_level;
  gboolean init;
} Options;

static int
parse_options (const gchar *verb, const gchar *summary, int *argc, char ***argv, Options *o)
{
  /* A write on a connection the server (or shr_watch_abort_io) closed must
   * be an error to handle, not SIGPIPE killing the process. */
  signal (SIGPIPE, SIG_IGN);
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->conf,
      "Configuration file (default " SHR_DEFAULT_CONFIG ")", "CONF" },
    { "log-level", 'l', 0, G_OPTION_ARG_STRING, &o->log_level,
      "Least severe entries logged: error, warning, message, info, debug (default: info)", "LEVEL" },
    { "init", 0, 0, G_OPTION_ARG_NONE, &o->init,
      "Start a new state database where the state dir shows one existed (it was lost or replaced): "
      "drafts of the old one can no longer be approved",
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("shirase %s: %s\n", verb, error->message);
      return 2;
    }
  if (*argc > 1)
    {
      g_printerr ("shirase %s: unexpected argument '%s'\n", verb, (*argv)[1]);
      return 2;
    }
  GLogLevelFlags level = G_LOG_LEVEL_INFO;
  if (o->log_level != NULL && !shr_log_parse_level (o->log_level, &level))
    {
      g_printerr ("shirase %s: --log-level: unknown level \"%s\" (error, warning, message, info, debug)\n",
                  verb, o->log_level);
      return 2;
    }
  shr_log_setup (level);
  if (o->conf == NULL)
    o->conf = g_strdup (SHR_DEFAULT_CONFIG);
  return 0;
}

static void
options_clear (Options *o)
{
  g_free (o->conf);
  g_free (o->log_level);
}

/* ---- once ----------------------------------------------------------------------- */

int
shr_cmd_once (int argc, char **argv)
{
  Options o = { 0 };
  int status = parse_options ("once",
                              "Handles every message waiting in the watched folder, then exits.\n"
                              "Exit status: 0 done, 1 an error (logged), 2 usage.",
                              &argc, &argv, &o);
  if (status != 0)
    {
      options_clear (&o);
      return status;
    }
  g_autoptr (GError) error = NULL;
  ShrStoreOpenFlags flags = o.init ? SHR_STORE_OPEN_INIT : SHR_STORE_OPEN_DEFAULT;
  g_autoptr (Run) r = init_lexicon (&error) ? run_new (o.conf, flags, &error) : NULL;
  options_clear (&o);
  if (r == NULL)
    {
      g_printerr ("shirase once: %s\n", error->message);
      return 1;
    }
  /* A sender killed mid-send left its rows leased for 15 minutes. */
  if (r->notify != NULL
      && !shr_outbox_reclaim_dead_leases (r->store, g_get_real_time () / G_USEC_PER_SEC, NULL, &error))
    {
      g_printerr ("shirase once: %s\n", error->message);
      return 1;
    }
  guint handled = 0;
  gboolean ok = shr_watch_run (r->watch, TRUE, handle_batch, r, &handled, &error);
  /* What an earlier run left in the outbox (a retry) goes out even when no
   * mail came. */
  if (ok && r->notify != NULL)
    {
      g_autoptr (GError) local = NULL;
      if (!shr_notify_run (r->notify, NULL, NULL, &local))
        g_warning ("sending drafts and notices: %s", local->message);
    }
  g_print ("shirase once: %u messages: %u handled, %u failed, %u ignored, %u replies, %u seen before",
           handled, r->counts[SHR_OUTCOME_HANDLED], r->counts[SHR_OUTCOME_FAILED],
           r->counts[SHR_OUTCOME_IGNORED], r->counts[SHR_OUTCOME_REPLY], r->duplicates);
  /* Digest mails were judged advisory by advisory, each its own case. */
  if (r->digests > 0)
    g_print ("; %u digest mail%s: %u advisories", r->digests, r->digests == 1 ? "" : "s",
             r->digest_advisories);
  g_print ("\n");
  if (!ok)
    {
      g_printerr ("shirase once: %s\n", error->message);
      return 1;
    }
  /* A damaged state fails the run even where the step that met it went
   * on (the outbox, say): nobody reads warnings from a cron job. */
  if (shr_store_is_damaged (r->store))
    {
      g_autofree gchar *report = shr_store_damage_report (r->service->state_dir);
      g_printerr ("shirase once: the state database is damaged: %s\n",
                  report != NULL ? report : "(see the log)");
      return 1;
    }
  return 0;
}

/* ---- the timers of watch ------------------------------------------------------------ */

/* The daemon keeps time itself: drafts out, the outbox at its rows'
 * next-attempt times (backoff) and lease ends, reminders, expiry and the
 * daily digest, whether mail arrives or not. The timers run on a thread
 * of their own with their own connection to the state, as a second
 * process would (leases and transactions keep the two apart); a batch,
 * a reload and a stop wake them early. */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean kicked, reload, quit;
  const gchar *conf;
  void (*fatal) (gpointer); /* the state is damaged: stop the daemon */
  gpointer fatal_data;
  GThread *thread;
} Timers;

/* The longest sleep (a clock moved by hand is noticed within it), and the
 * longest backoff after a state error. */
#define TIMERS_MAX_SLEEP_SECONDS 3600
#define TIMERS_MAX_BACKOFF_SECONDS 300

/* Sets @flag (one of @t's) and wakes the timers. */
static void
timers_wake (Timers *t, gboolean *flag)
{
  g_mutex_lock (&t->lock);
  *flag = TRUE;
  g_cond_signal (&t->cond);
  g_mutex_unlock (&t->lock);
}

static void
timers_kick (gpointer data)
{
  Timers *t = data;
  timers_wake (t, &t->kicked);
}

static void
timers_reload (Timers *t)
{
  timers_wake (t, &t->reload);
}

/* What the timers thread holds: the configuration, its own state
 * connection and notify loop. */
typedef struct
{
  ShrService *service;
  ShrStore *store;
  ShrNotify *notify; /* NULL: ingest only, nothing to time */
} TimersState;

static void
timers_state_clear (TimersState *s)
{
  g_clear_pointer (&s->notify, shr_notify_free);
  g_clear_pointer (&s->store, shr_store_close);
  g_clear_pointer (&s->service, shr_service_free);
}

static gboolean
timers_state_load (TimersState *s, const gchar *conf, GError **error)
{
  s->service = shr_service_load (conf, &vocab, FALSE, error);
  if (s->service == NULL)
    return FALSE;
  if (!shr_notify_configured (s->service->config->keyfile))
    return TRUE;
  s->store = shr_store_open (s->service->state_dir, error);
  if (s->store == NULL)
    return FALSE;
  s->notify = shr_notify_new (s->store, s->service->config->keyfile, conf, s->service->state_dir, error);
  if (s->notify == NULL)
    return FALSE;
  /* A sender killed mid-send left its rows leased for 15 minutes. */
  return shr_outbox_reclaim_dead_leases (s->store, g_get_real_time () / G_USEC_PER_SEC, NULL, error);
}

/* One round: what is due, then how long until the next thing is.
 * Returns the seconds to sleep (-1: until woken). */
static gint64
timers_round (TimersState *s, guint *backoff, guint *idle)
{
  g_autoptr (GError) error = NULL;
  guint queued = 0, sent = 0;
  ShrNotifySchedule next;
  if (!shr_notify_run (s->notify, &queued, &sent, &error) || !shr_notify_schedule (s->notify, &next, &error))
    {
      /* State write errors back off like connection errors. */
      g_warning ("timers: %s; trying again in %u s", error->message, *backoff);
      gint64 wait = *backoff;
      *backoff = MIN (*backoff * 2, TIMERS_MAX_BACKOFF_SECONDS);
      return wait;
    }
  *backoff = 1;
  if (queued > 0 || sent > 0)
    g_message ("%u drafts queued, %u mails sent", queued, sent);
  gint64 wait = shr_notify_seconds_to_next (s->notify, &next);
  if (wait < 0)
    return TIMERS_MAX_SLEEP_SECONDS;
  if (wait > 0)
    {
      *idle = 0;
      return MIN (wait, TIMERS_MAX_SLEEP_SECONDS);
    }
  /* Due now right after a round: something that fails each time (a
   * draft whose template is missing); it is retried, less often. */
  *idle = *idle == 0 ? 1 : MIN (*idle * 2, TIMERS_MAX_BACKOFF_SECONDS);
  return *idle;
}

static gpointer
timers_thread (gpointer data)
{
  Timers *t = data;
  TimersState s = { 0 };
  gboolean loaded = FALSE;
  guint backoff = 1, idle = 0;
  for (;;)
    {
      g_mutex_lock (&t->lock);
      gboolean quit = t->quit, reload = t->reload;
      t->reload = FALSE;
      t->kicked = FALSE;
      g_mutex_unlock (&t->lock);
      if (quit)
        break;
      if (reload)
        {
          timers_state_clear (&s);
          loaded = FALSE;
        }
      gint64 wait = -1;
      if (!loaded)
        {
          g_autoptr (GError) error = NULL;
          loaded = timers_state_load (&s, t->conf, &error);
          if (!loaded)
            {
              g_warning ("timers: %s; trying again in %u s", error->message, backoff);
              timers_state_clear (&s);
              wait = backoff;
              backoff = MIN (backoff * 2, TIMERS_MAX_BACKOFF_SECONDS);
            }
        }
      if (loaded && s.notify != NULL)
        {
          wait = timers_round (&s, &backoff, &idle);
          if (shr_store_is_damaged (s.store))
            t->fatal (t->fatal_data);
        }
      g_mutex_lock (&t->lock);
      gint64 until = g_get_monotonic_time () + wait * G_USEC_PER_SEC;
      while (!t->kicked && !t->reload && !t->quit)
        if (wait < 0)
          g_cond_wait (&t->cond, &t->lock);
        else if (!g_cond_wait_until (&t->cond, &t->lock, until))
          break;
      g_mutex_unlock (&t->lock);
    }
  timers_state_clear (&s);
  return NULL;
}

static void
timers_start (Timers *t, const gchar *conf, void (*fatal) (gpointer), gpointer fatal_data)
{
  g_mutex_init (&t->lock);
  g_cond_init (&t->cond);
  t->conf = conf;
  t->fatal = fatal;
  t->fatal_data = fatal_data;
  t->thread = g_thread_new ("timers", timers_thread, t);
}

static void
timers_stop (Timers *t)
{
  timers_wake (t, &t->quit);
  g_thread_join (t->thread);
  g_mutex_clear (&t->lock);
  g_cond_clear (&t->cond);
}

/* ---- watch ------------------------------------------------------------------------ */

typedef struct
{
  GMutex lock;
  GMainLoop *loop;
  gchar *conf;
  Run *current;      /* owned by the worker; read under lock */
  Run *pending;      /* a reloaded configuration waiting to be taken */
  gboolean quitting; /* a stop signal came */
  int status;
  Timers timers;
} Daemon;

/* The timers found the state damaged: stop, and exit 1. */
static void
daemon_fatal (gpointer data)
{
  Daemon *d = data;
  g_atomic_int_set (&state_damaged, 1);
  g_mutex_lock (&d->lock);
  d->quitting = TRUE;
  if (d->current != NULL)
    shr_watch_request_stop (d->current->watch);
  g_mutex_unlock (&d->lock);
}

/* A server that stops answering would hold a stop up for the network
 * timeout: after this grace the connection is cut. */
#define STOP_GRACE_SECONDS 10

static gboolean
on_stop_overdue (gpointer data)
{
  Daemon *d = data;
  g_warning ("the current IMAP command did not finish within %d s of the stop; cutting the connection",
             STOP_GRACE_SECONDS);
  g_mutex_lock (&d->lock);
  if (d->current != NULL)
    shr_watch_abort_io (d->current->watch);
  g_mutex_unlock (&d->lock);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop (gpointer data)
{
  Daemon *d = data;
  g_message ("stop requested; finishing the current message");
  shr_sd_notify ("STOPPING=1");
  g_mutex_lock (&d->lock);
  if (!d->quitting)
    g_timeout_add_seconds (STOP_GRACE_SECONDS, on_stop_overdue, d);
  d->quitting = TRUE;
  if (d->current != NULL)
    shr_watch_request_stop (d->current->watch);
  g_mutex_unlock (&d->lock);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_reload (gpointer data)
{
  Daemon *d = data;
  g_autoptr (GError) error = NULL;
  shr_sd_notify ("RELOADING=1");
  /* The new configuration is validated in full, state included, before
   * the running one is let go. */
  Run *r = run_new (d->conf, SHR_STORE_OPEN_DEFAULT, &error);
  if (r == NULL)
    {
      g_warning ("reload: %s; keeping the previous configuration", error->message);
      shr_sd_notifyf ("READY=1\nSTATUS=reload refused (%s); the previous configuration runs", error->message);
      return G_SOURCE_CONTINUE;
    }
  shr_sd_notify ("READY=1");
  g_message ("reload: %s is valid; switching to it", d->conf);
  r->kick = timers_kick;
  r->kick_data = &d->timers;
  timers_reload (&d->timers);
  g_mutex_lock (&d->lock);
  run_free (d->pending);
  d->pending = r;
  if (d->current != NULL)
    shr_watch_request_stop (d->current->watch);
  g_mutex_unlock (&d->lock);
  return G_SOURCE_CONTINUE;
}

/* How long the worker may be quiet: an IDLE refresh or a poll interval,
 * plus the longest backoff and network timeouts. */
#define WORKER_QUIET_SECONDS (28 * 60 + 10 * 60)

/* Pings the service manager's watchdog (WatchdogSec=) while both this loop
 * and the mailbox worker are alive; when the worker is stuck the pings
 * stop and the service manager restarts the service. */
static gboolean
on_watchdog (gpointer data)
{
  Daemon *d = data;
  gint now = (gint)(g_get_monotonic_time () / G_USEC_PER_SEC);
  g_mutex_lock (&d->lock);
  guint poll = d->current != NULL ? d->current->service->imap->poll_seconds : 0;
  g_mutex_unlock (&d->lock);
  gint quiet = now - g_atomic_int_get (&worker_alive_at);
  static gboolean warned;
  if (quiet <= (gint)MAX (WORKER_QUIET_SECONDS, poll + 10 * 60))
    {
      shr_sd_notify ("WATCHDOG=1");
      warned = FALSE;
    }
  else if (!warned)
    {
      g_warning ("the mailbox worker has shown no sign of life for %d s; the watchdog is no longer pinged",
                 quiet);
      warned = TRUE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (((Daemon *)data)->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
worker (gpointer data)
{
  Daemon *d = data;
  for (;;)
    {
      g_mutex_lock (&d->lock);
      Run *r = d->current;
      gboolean quitting = d->quitting;
      g_mutex_unlock (&d->lock);
      if (quitting)
        break;
      g_autoptr (GError) error = NULL;
      shr_watch_run (r->watch, FALSE, handle_batch, r, NULL, &error);
      g_mutex_lock (&d->lock);
      if (!d->quitting && d->pending != NULL)
        {
          d->current = g_steal_pointer (&d->pending);
          g_mutex_unlock (&d->lock);
          run_free (r);
          continue;
        }
      g_mutex_unlock (&d->lock);
      break;
    }
  g_main_context_invoke (NULL, quit_loop, d);
  return NULL;
}

int
shr_cmd_watch (int argc, char **argv)
{
  Options o = { 0 };
  int status
      = parse_options ("watch",
                       "Watches the mailbox and handles each advisory as it arrives (IDLE, or polling).\n"
                       "SIGTERM or SIGINT: finish the current message and exit 0.\n"
                       "SIGHUP: reload the configuration (an invalid one is refused and logged).",
                       &argc, &argv, &o);
  if (status != 0)
    {
      options_clear (&o);
      return status;
    }
  Daemon d = { 0 };
  g_mutex_init (&d.lock);
  d.conf = g_steal_pointer (&o.conf);
  ShrStoreOpenFlags flags = o.init ? SHR_STORE_OPEN_INIT : SHR_STORE_OPEN_DEFAULT;
  options_clear (&o);
  g_autoptr (GError) error = NULL;
  d.current = init_lexicon (&error) ? run_new (d.conf, flags, &error) : NULL;
  if (d.current == NULL)
    {
      g_printerr ("shirase watch: %s\n", error->message);
      g_free (d.conf);
      return 1;
    }
  d.current->kick = timers_kick;
  d.current->kick_data = &d.timers;
  timers_start (&d.timers, d.conf, daemon_fatal, &d);
  d.loop = g_main_loop_new (NULL, FALSE);
  guint s1 = g_unix_signal_add (SIGTERM, on_stop, &d);
  guint s2 = g_unix_signal_add (SIGINT, on_stop, &d);
  guint s3 = g_unix_signal_add (SIGHUP, on_reload, &d);
  g_message ("watching %s on %s:%u (state in %s)", d.current->service->imap->folder,
             d.current->service->imap->host, d.current->service->imap->port, d.current->service->state_dir);
  worker_alive ();
  GThread *t = g_thread_new ("watch", worker, &d);
  /* Ready once the configuration and the state are loaded: a mail server
   * that is down is retried, reported in STATUS=, not a failed start. */
  shr_sd_notifyf ("READY=1\nSTATUS=watching %s on %s:%u", d.current->service->imap->folder,
                  d.current->service->imap->host, d.current->service->imap->port);
  guint64 watchdog = shr_sd_watchdog_usec ();
  guint s4 = watchdog > 0 ? g_timeout_add (MAX (watchdog / 2000, 1), on_watchdog, &d) : 0;
  g_main_loop_run (d.loop);
  g_thread_join (t);
  timers_stop (&d.timers);
  g_source_remove (s1);
  g_source_remove (s2);
  g_source_remove (s3);
  if (s4 != 0)
    g_source_remove (s4);
  run_free (d.current);
  run_free (d.pending);
  g_main_loop_unref (d.loop);
  g_free (d.conf);
  g_mutex_clear (&d.lock);
  if (g_atomic_int_get (&state_damaged))
    {
      g_printerr ("shirase watch: the state database is damaged: stopped (see shirase status)\n");
      return 1;
    }
  g_message ("stopped");
  return 0;
}
