/* shirase status -c CONF — what the state holds: messages by outcome, last
 * sync, pending drafts, outbox backlog, last error. */
#include "config.h"

#include <stdio.h>

#include "shr-cli.h"
#include "shr-service.h"
#include "shr-store.h"

int
shr_cmd_status (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Prints what the state holds: messages by outcome, last sync, pending\n"
                                "drafts, outbox backlog and the last error. Exit status 1 when the state\n"
                                "cannot be read.");
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
  return 0;
}
