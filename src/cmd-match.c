/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase match -c CONF [--json] FILE.eml… — extract each advisory and
 * judge it against the organisation profile. */
#include "config.h"

#include <stdio.h>

#include "shr-cli.h"
#include "shr-config.h"
#include "shr-extract.h"
#include "shr-match.h"

int
shr_cmd_match (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  g_autofree gchar *now_text = NULL;
  gboolean json = FALSE;
  g_auto (GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one JSON object per input, one per line", NULL },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, "Judge as at this ISO 8601 time (default: now)", "TIME" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("FILE… — does an advisory concern us?");
  g_option_context_set_summary (
      context, "Reads each advisory mail ('-' is standard input), applies the organisation\n"
               "profile and prints the verdict, grade, deadline and checklist: a summary in\n"
               "Japanese and English, or with --json one JSON object per input.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("shirase match: %s\n", error->message);
      return 2;
    }
  if (files == NULL || files[0] == NULL)
    {
      g_printerr ("shirase match: no input file (see shirase match --help)\n");
      return 2;
    }
  g_autoptr (GDateTime) now = shr_cli_now ("match", now_text);
  if (now == NULL)
    return 2;

  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("shirase match: %s\n", error->message);
      return 1;
    }
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  g_autoptr (ShrConfig) config
      = shr_config_load_for_judging (conf != NULL ? conf : SHR_DEFAULT_CONFIG, &vocab, &error);
  if (config == NULL)
    {
      g_printerr ("shirase match: %s\n", error->message);
      return 1;
    }

  int status = 0;
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (GPtrArray) records = shr_extract_file_items (files[i], lexicon, &local);
      if (records == NULL)
        {
          g_printerr ("shirase match: %s: %s\n", files[i], local->message);
          status = 1;
          continue;
        }
      /* Each advisory of a digest is judged on its own. */
      for (guint k = 0; k < records->len; k++)
        {
          const ShrRecord *record = g_ptr_array_index (records, k);
          g_autoptr (ShrMatch) m = shr_match_record (config->profile, &vocab, record, now);
          if (json)
            {
              g_autoptr (JsonNode) node = shr_match_to_json (m, record);
              shr_cli_print_json (node, FALSE);
            }
          else
            {
              g_autofree gchar *text = shr_match_summary (m, record);
              if (files[1] != NULL || records->len > 1)
                {
                  if (records->len > 1)
                    g_print ("== %s (advisory %u of %u)\n", files[i], record->item, record->items);
                  else
                    g_print ("== %s\n", files[i]);
                }
              g_print ("%s%s", text, files[i + 1] != NULL || k + 1 < records->len ? "\n" : "");
            }
        }
    }
  return status;
}
