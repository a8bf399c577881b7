/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase outbox -c CONF [--retry-failed] — the mail not yet delivered:
 * what waits for a retry and what failed for good (with the server's
 * reply); --retry-failed puts the failed mail back in the queue once its
 * cause is fixed. */
#include "config.h"

#include <stdio.h>

#include "shr-cli.h"

int
shr_cmd_outbox (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  gboolean retry = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "retry-failed", 0, 0, G_OPTION_ARG_NONE, &retry, "Put the mail that failed for good back in the queue",
      NULL },
    { NULL },
  };
  g_set_prgname ("shirase outbox");
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Lists the mail not yet delivered (id, kind, status, attempts, recipient,\n"
                                "last error): waiting for a retry, or failed for good. --retry-failed puts\n"
                                "the failed mail back in the queue (after fixing its cause); shirase once\n"
                                "or the running watch then sends it.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shirase outbox: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("shirase outbox: takes no argument\n");
      return 2;
    }
  g_autoptr (ShrService) service = NULL;
  g_autoptr (ShrStore) store = NULL;
  if (!shr_cli_open_state ("outbox", conf, &service, &store))
    return 1;
  if (retry)
    {
      guint count = 0;
      if (!shr_store_outbox_requeue_failed (store, &count, &error))
        {
          g_printerr ("shirase outbox: %s\n", error->message);
          return 1;
        }
      printf ("%u failed mail(s) queued again\n", count);
    }
  g_autoptr (GPtrArray) rows = NULL;
  if (!shr_store_outbox_list (store, &rows, &error))
    {
      g_printerr ("shirase outbox: %s\n", error->message);
      return 1;
    }
  guint shown = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const ShrOutboxRow *r = rows->pdata[i];
      if (g_strcmp0 (r->status, "sent") == 0)
        continue;
      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\n", r->id, r->kind, r->status,
              r->attempts, r->recipient, r->last_error != NULL ? r->last_error : "");
      shown++;
    }
  if (shown == 0)
    printf ("nothing waits: every mail was delivered\n");
  return 0;
}
