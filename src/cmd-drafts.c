/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase drafts | approve ID | reject ID --reason TEXT — the approval step
 * from a shell: list the drafts waiting for a decision, or decide one as a
 * reply would (the shell user counts as one approver). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "shr-cli.h"
#include "shr-notify.h"
#include "shr-service.h"
#include "shr-store.h"

typedef struct
{
  ShrService *service;
  ShrStore *store;
} Opened;

static gboolean
open_state (const gchar *verb, const gchar *conf, Opened *o)
{
  return shr_cli_open_state (verb, conf, &o->service, &o->store);
}

static void
close_state (Opened *o)
{
  shr_store_close (o->store);
  shr_service_free (o->service);
}

/* A draft's status as shown: approved with edits says so, and a pending
 * draft whose approvals so far are of an edited text too. */
static gchar *
status_text (const ShrStoreDraft *d)
{
  if (d->edited == NULL)
    return g_strdup (d->status);
  if (g_strcmp0 (d->status, "pending") == 0)
    return g_strdup ("pending (approved with edits, awaiting the quorum)");
  if (g_strcmp0 (d->status, "approved") == 0 || g_strcmp0 (d->status, "sent") == 0)
    return g_strdup_printf ("%s (approved with edits)", d->status);
  return g_strdup (d->status);
}

static int
list_drafts (const gchar *conf, gboolean all)
{
  Opened o;
  if (!open_state ("drafts", conf, &o))
    return 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = NULL;
  /* Every pending draft: created before the end of time, reminded or not. */
  if (!(all ? shr_store_drafts_all (o.store, &ids, &error)
            : shr_store_drafts_pending (o.store, G_MAXINT64, FALSE, &ids, &error)))
    {
      g_printerr ("shirase drafts: %s\n", error->message);
      close_state (&o);
      return 1;
    }
  if (ids->len == 0)
    printf (all ? "no draft\n" : "no draft is waiting for a decision\n");
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (ShrStoreDraft) d = shr_store_draft_get (o.store, g_array_index (ids, gint64, i), &error);
      if (d == NULL)
        {
          g_printerr ("shirase drafts: %s\n", error->message);
          close_state (&o);
          return 1;
        }
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (d->created_at);
      g_autofree gchar *when = g_date_time_format_iso8601 (t);
      g_autofree gchar *status = status_text (d);
      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s%s\n", d->id, status, when, d->token ? d->token : "-",
              g_strcmp0 (d->kind, "update") == 0 ? "[続報 / update] " : "", d->subject ? d->subject : "");
    }
  close_state (&o);
  return 0;
}

static int
decide (const gchar *verb, const gchar *conf, const gchar *id_text, ShrCommand command, const gchar *reason)
{
  gchar *end = NULL;
  gint64 id = g_ascii_strtoll (id_text, &end, 10);
  if (end == id_text || *end != '\0' || id <= 0)
    {
      g_printerr ("shirase %s: \"%s\" is not a draft id (see shirase drafts)\n", verb, id_text);
      return 2;
    }
  Opened o;
  if (!open_state (verb, conf, &o))
    return 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrNotify) notify = shr_notify_new (
      o.store, o.service->config->keyfile, conf ? conf : SHR_DEFAULT_CONFIG, o.service->state_dir, &error);
  if (notify == NULL)
    {
      g_printerr ("shirase %s: %s\n", verb, error->message);
      close_state (&o);
      return 1;
    }
  g_autofree gchar *who = g_strdup_printf ("shell:%s", g_get_user_name ());
  ShrDecisionOutcome outcome;
  gboolean ok = shr_notify_decide (notify, id, who, command, reason, &outcome, &error);
  g_clear_pointer (&notify, shr_notify_free);
  close_state (&o);
  if (!ok)
    {
      g_printerr ("shirase %s: draft %" G_GINT64_FORMAT ": %s\n", verb, id, error->message);
      return 1;
    }
  printf ("draft %" G_GINT64_FORMAT ": %s\n", id, shr_decision_outcome_to_string (outcome));
  if (outcome == SHR_DECISION_APPROVED)
    printf ("the notices are queued; shirase once (or the running watch) sends them\n");
  if (outcome == SHR_DECISION_EDIT_CONFLICT)
    printf ("approvals of an edited text are recorded: approve that text by replying with it (approve with "
            "edits), or reject the draft\n");
  return outcome == SHR_DECISION_NOT_PENDING || outcome == SHR_DECISION_EDIT_CONFLICT ? 1 : 0;
}

int
shr_cmd_drafts (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  g_autofree gchar *reason = NULL;
  g_auto (GStrv) rest = NULL;
  gboolean all = FALSE;
  const gchar *verb = argv[0];
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, "Why the draft is rejected (reject)", "TEXT" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Every draft, decided ones too (drafts)", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, "[ID]" },
    { NULL },
  };
  g_autofree gchar *prgname = g_strdup_printf ("shirase %s", verb);
  g_set_prgname (prgname);
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (
      context, "shirase drafts: the drafts waiting for a decision (id, status, created,\n"
               "token, subject; an update of a case already notified is marked [続報 / update];\n"
               "a draft approved with edits says so); --all: every draft, decided ones too.\n"
               "shirase approve ID / shirase reject ID --reason TEXT:\n"
               "decide one from a shell, as an approver's reply would.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shirase %s: %s\n", verb, error->message);
      return 2;
    }
  guint n = rest ? g_strv_length (rest) : 0;
  if (g_strcmp0 (verb, "drafts") == 0)
    {
      if (n != 0)
        {
          g_printerr ("shirase drafts: takes no argument\n");
          return 2;
        }
      return list_drafts (conf, all);
    }
  if (n != 1)
    {
      g_printerr ("shirase %s: one draft id expected (see shirase drafts)\n", verb);
      return 2;
    }
  if (g_strcmp0 (verb, "reject") == 0)
    {
      if (reason == NULL || *reason == '\0')
        {
          g_printerr ("shirase reject: --reason TEXT is required\n");
          return 2;
        }
      return decide (verb, conf, rest[0], SHR_COMMAND_REJECT, reason);
    }
  return decide (verb, conf, rest[0], SHR_COMMAND_APPROVE, NULL);
}
