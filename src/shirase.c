/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase — turns security advisories received by mail into checked
 * notices for administrators. This file only parses the global options and
 * dispatches to one cmd-<verb>.c per verb. */
#include "config.h"

#include <gmime/gmime.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "shr-alloc.h"
#include "shr-cli.h"

typedef struct
{
  const gchar *name;
  int (*run) (int argc, char **argv);
  const gchar *summary;
} ShrVerb;

static const ShrVerb verbs[] = {
  { "extract", shr_cmd_extract, "Read advisory mails and print their records" },
  { "match", shr_cmd_match, "Judge advisory mails against the organisation profile" },
  { "check-config", shr_cmd_check_config, "Check the configuration file" },
  { "assets", shr_cmd_assets, "Import an inventory (dpkg, rpm, CSV) as asset groups" },
  { "render", shr_cmd_render, "Render the notice (text, HTML or mail) for an advisory mail" },
  { "once", shr_cmd_once, "Handle the mail waiting in the watched mailbox, then exit" },
  { "watch", shr_cmd_watch, "Watch the mailbox and handle advisories as they arrive" },
  { "status", shr_cmd_status, "Show what the state holds: counts, last sync, backlog, last error" },
  { "drafts", shr_cmd_drafts, "List the drafts waiting for a decision" },
  { "approve", shr_cmd_drafts, "Approve a draft from a shell (ID)" },
  { "reject", shr_cmd_drafts, "Reject a draft from a shell (ID --reason TEXT)" },
  { "outbox", shr_cmd_outbox, "Mail not yet delivered; --retry-failed queues failed mail again" },
  { "deliver", shr_cmd_deliver, "Take in one mail from an MTA, Sieve pipe or procmail (FILE or stdin)" },
  { "reprocess", shr_cmd_reprocess, "Run a message taken in before through the pipeline again" },
  { "show", shr_cmd_show, "Show a case: records, verdict and reasons, drafts, decisions, what was sent" },
  { NULL, NULL, NULL },
};

/* Everything shirase prints is UTF-8 (JSON by its RFC, notices because they
 * are Japanese). g_print would convert to the locale's charset, which in
 * the C locale of cron, `env -i` or a minimal unit turns every Japanese
 * character into '?': the bytes go out as they are. */
static void
print_stdout (const gchar *text)
{
  fputs (text, stdout);
}

static void
print_stderr (const gchar *text)
{
  fputs (text, stderr);
}

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: shirase [--version] [--help] COMMAND [ARGS…]\n"
                "\n"
                "Turns security advisories received by mail into checked notices.\n"
                "\n"
                "Commands:\n");
  for (gsize i = 0; verbs[i].name != NULL; i++)
    fprintf (out, "  %-13s %s\n", verbs[i].name, verbs[i].summary);
  fprintf (out, "\nRun 'shirase COMMAND --help' for the options of a command.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  shr_alloc_tune ();
  g_set_print_handler (print_stdout);
  g_set_printerr_handler (print_stderr);
  g_mime_init ();

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0)
    {
      printf ("shirase %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }
  for (gsize i = 0; verbs[i].name != NULL; i++)
    if (strcmp (argv[1], verbs[i].name) == 0)
      {
        int status = verbs[i].run (argc - 1, argv + 1);
        g_mime_shutdown ();
        return status;
      }
  fprintf (stderr, "shirase: unknown command '%s'\n\n", argv[1]);
  print_usage (stderr);
  return 2;
}
