/* shirase status -c CONF — what the state holds: messages by outcome, last
 * sync, pending drafts, outbox backlog, last error. */
#include "config.h"

#include <stdio.h>

#include "shr-cli.h"
#include "shr-notify.h"
#include "shr-service.h"
#include "shr-store.h"

/* "2026-03-16T00:01:00Z (in 42 s)", "… (due)", or "none". (transfer full) */
static gchar *
when (gint64 at, gint64 now)
{
  if (at <= 0)
    return g_strdup ("none");
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (at);
  g_autofree gchar *iso = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
  if (at <= now)
    return g_strdup_printf ("%s (due)", iso);
  gint64 s = at - now;
  return s < 120 ? g_strdup_printf ("%s (in %" G_GINT64_FORMAT " s)", iso, s)
       : s < 7200 ? g_strdup_printf ("%s (in %" G_GINT64_FORMAT " min)", iso, s / 60)
                  : g_strdup_printf ("%s (in %" G_GINT64_FORMAT " h)", iso, s / 3600);
}

/* What the timers of watch will do next, one line per kind. */
static void
print_schedule (ShrStore *store, ShrService *service)
{
  GKeyFile *kf = service->config->keyfile;
  if (!shr_notify_configured (kf))
    {
      printf ("scheduled:      nothing (no [smtp] url and [approval] approvers: mail is taken in only)\n");
      return;
    }
  g_autoptr (GError) error = NULL;
  ShrNotifySchedule s;
  if (!shr_notify_schedule_for_config (store, kf, service->config->path, &s, &error))
    {
      printf ("scheduled:      unknown (%s)\n", error->message);
      return;
    }
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree gchar *retry = when (s.outbox_retry_at, now);
  g_autofree gchar *lease = when (s.lease_end_at, now);
  g_autofree gchar *remind = when (s.reminder_at, now);
  g_autofree gchar *expire = when (s.expiry_at, now);
  g_autofree gchar *digest = when (s.digest_at, now);
  printf ("drafts to mail: %" G_GINT64_FORMAT "%s\n", s.drafts_to_mail, s.drafts_to_mail > 0 ? " (due)" : "");
  g_autofree gchar *queued
      = s.outbox_queued > 0 ? g_strdup_printf (", %" G_GINT64_FORMAT " mails queued", s.outbox_queued) : g_strdup ("");
  printf ("next send:      %s%s\n", retry, queued);
  printf ("next lease end: %s\n", lease);
  printf ("next reminder:  %s\n", remind);
  printf ("next expiry:    %s\n", expire);
  printf ("next digest at: %s\n", digest);
}

/* The state's own health: damage SQLite reported to any run (recorded
 * beside the database), and with @check the full integrity check. Returns
 * the exit status: 1 when the state is damaged. */
static int
print_state_health (ShrStore *store, const gchar *state_dir, gboolean check)
{
  g_autoptr (GError) error = NULL;
  gboolean checked_ok = !check || shr_store_check_integrity (store, &error);
  g_autofree gchar *damage = shr_store_damage_report (state_dir);
  if (check)
    printf ("state check:    %s\n", checked_ok ? "ok (integrity_check)" : error->message);
  if (damage != NULL)
    printf ("state DAMAGED:  %s — restore shirase.db from a backup (or move it away and run "
            "shirase once --init)\n",
            damage);
  return checked_ok && damage == NULL ? 0 : 1;
}

int
shr_cmd_status (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  gboolean check = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      "Also check every page and index of the state database (PRAGMA integrity_check; slow on a large one)",
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Prints what the state holds: messages by outcome, last sync, pending\n"
                                "drafts, outbox backlog and the last error. Exit status 1 when the state\n"
                                "cannot be read or is damaged.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shirase status: %s\n", error->message);
      return 2;
    }
  g_autoptr (ShrService) service = NULL;
  g_autoptr (ShrStore) store = NULL;
  if (!shr_cli_open_state ("status", conf, &service, &store))
    return 1;
  ShrStoreStatus st = { 0 };
  if (!shr_store_get_status (store, &st, &error))
    {
      g_printerr ("shirase status: %s\n", error->message);
      print_state_health (store, service->state_dir, FALSE);
      return 1;
    }
  g_autofree gchar *last_sync = NULL;
  if (st.last_sync_at > 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (st.last_sync_at);
      last_sync = g_date_time_format_iso8601 (t);
    }
  printf ("state:          %s\n", shr_store_get_path (store));
  printf ("messages:       %" G_GINT64_FORMAT " handled, %" G_GINT64_FORMAT " failed, %" G_GINT64_FORMAT
          " ignored, %" G_GINT64_FORMAT " replies\n",
          st.messages[SHR_OUTCOME_HANDLED], st.messages[SHR_OUTCOME_FAILED], st.messages[SHR_OUTCOME_IGNORED],
          st.messages[SHR_OUTCOME_REPLY]);
  printf ("records:        %" G_GINT64_FORMAT " in %" G_GINT64_FORMAT " cases\n", st.records, st.cases);
  printf ("drafts pending: %" G_GINT64_FORMAT "\n", st.drafts_pending);
  gint64 edited = 0, latest_edited = 0;
  if (shr_store_count_edited (store, &edited, &latest_edited, &error))
    {
      if (edited > 0)
        printf ("approved with edits: %" G_GINT64_FORMAT " drafts (latest: draft %" G_GINT64_FORMAT ")\n",
                edited, latest_edited);
      else
        printf ("approved with edits: none\n");
    }
  else
    g_clear_error (&error);
  printf ("outbox:         %" G_GINT64_FORMAT " waiting, %" G_GINT64_FORMAT " failed\n", st.outbox_backlog,
          st.outbox_failed);
  g_autofree gchar *last_digest = shr_store_setting_get (store, "digest.last_date", NULL);
  printf ("next digest:    %" G_GINT64_FORMAT " not-applicable advisories, %" G_GINT64_FORMAT
          " held-back notices (digest done for: %s)\n",
          st.digest_waiting, st.digest_folded, last_digest != NULL && *last_digest ? last_digest : "never");
  printf ("last sync:      %s\n", last_sync != NULL ? last_sync : "never");
  printf ("last error:     %s\n", st.last_error != NULL ? st.last_error : "none");
  g_autofree gchar *imap_error = shr_store_setting_get (store, "imap.last_error", NULL);
  printf ("IMAP:           %s\n",
          imap_error != NULL && *imap_error ? imap_error : "no error since the last login");
  shr_store_status_clear (&st);
  print_schedule (store, service);
  return print_state_health (store, service->state_dir, check);
}
