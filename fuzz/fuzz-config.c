/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: any bytes as the configuration file, through the loader
 * (shr_config_load) and the checker (shr_config_check), then the groups
 * the stages read themselves ([approval], [imap], [smtp]). It must never
 * crash, hang or leak; a file the loader takes has no problem the checker
 * reports; every problem names the file. */
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shr-approve.h"
#include "shr-config.h"
#include "shr-lexicon.h"
#include "shr-send.h"
#include "shr-watch.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gchar *path;
  static ShrVocabulary vocab;
  if (path == NULL)
    {
      ShrLexicon *lexicon = shr_lexicon_get_default (NULL);
      if (lexicon == NULL)
        abort ();
      vocab = shr_vocabulary_for_lexicon (lexicon);
      g_autofree gchar *dir = g_dir_make_tmp ("shirase-fuzz-config-XXXXXX", NULL);
      if (dir == NULL)
        abort ();
      path = g_build_filename (dir, "shirase.conf", NULL);
    }
  if (!g_file_set_contents_full (path, (const gchar *)data, (gssize)size, G_FILE_SET_CONTENTS_NONE, 0600,
                                 NULL))
    abort ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrConfig) config = shr_config_load (path, &vocab, &error);
  g_autoptr (GPtrArray) problems = shr_config_check (path, &vocab);
  if ((config == NULL) == (error == NULL))
    abort ();
  if (config != NULL && problems->len > 0)
    abort ();
  if (error != NULL && strstr (error->message, "shirase.conf") == NULL)
    abort ();
  if (config == NULL)
    return 0;
  g_autoptr (ShrApprovalConfig) approval = shr_approval_config_from_keyfile (config->keyfile, path, NULL);
  g_autofree gchar *dir = g_path_get_dirname (path);
  /* security = none resolves the host name (shr-net.h): no DNS queries
   * from a fuzzer. */
  g_autofree gchar *security = g_key_file_get_string (config->keyfile, "imap", "security", NULL);
  g_autoptr (ShrWatchConfig) imap = security != NULL && strstr (security, "none") != NULL
                                        ? NULL
                                        : shr_watch_config_new (config->keyfile, dir, NULL);
  g_autoptr (ShrSmtpConfig) smtp = shr_smtp_config_from_keyfile (config->keyfile, path, NULL);
  return 0;
}
