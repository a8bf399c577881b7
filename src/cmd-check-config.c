/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shirase check-config -c CONF — validate the whole configuration file and
 * print every problem (file:line: [group] key: what is wrong). */
#include "config.h"

#include <stdio.h>

#include "shr-cli.h"
#include "shr-config.h"
#include "shr-lexicon.h"

int
shr_cmd_check_config (int argc, char **argv)
{
  g_autofree gchar *conf = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Configuration file (default " SHR_DEFAULT_CONFIG ")",
      "CONF" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— check the configuration file");
  g_option_context_set_summary (context,
                                "Checks every group and key of the configuration (and the assets file it\n"
                                "names); prints each problem with its file, line and key. Exit status 1\n"
                                "when there is any.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1)
    {
      g_printerr ("shirase check-config: %s\n", error ? error->message : "unexpected argument");
      return 2;
    }
  const gchar *path = conf != NULL ? conf : SHR_DEFAULT_CONFIG;

  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("shirase check-config: %s\n", error->message);
      return 1;
    }
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  g_autoptr (GPtrArray) problems = shr_config_check (path, &vocab);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", ((ShrConfigProblem *)problems->pdata[i])->message);
  if (problems->len > 0)
    {
      g_printerr ("shirase check-config: %u problem%s\n", problems->len, problems->len == 1 ? "" : "s");
      return 1;
    }
  g_autoptr (ShrConfig) config = shr_config_load (path, &vocab, NULL);
  g_print ("%s: OK (%u asset%s)\n", path, config->profile->assets->len,
           config->profile->assets->len == 1 ? "" : "s");
  return 0;
}
