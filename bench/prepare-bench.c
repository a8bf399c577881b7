/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prepare-bench — the CPU part of ingest on one thread.
 *
 *   bench/prepare-bench -c CONF [--iterations N | --seconds S] DIR…
 *
 * Loads every *.eml of each DIR into memory, then runs
 * shr_pipeline_prepare() over the set again and again: what each prepare
 * thread of `shirase once` and `shirase watch` does per mail (read, extract
 * every advisory of it, match against the profile of CONF, build the JSON
 * the state writer stores: the record, and the draft's view or the
 * digest's item). No IMAP and no SQLite: ingest-bench measures those on
 * the real mail stack. Prints one key=value line like extract-bench. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shr-alloc.h"
#include "shr-pipeline.h"
#include "shr-service.h"
#include "shr-store.h"

static GPtrArray *
load_mails (gchar **dirs, gsize *bytes)
{
  GPtrArray *mails = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  for (gsize d = 0; dirs[d] != NULL; d++)
    {
      g_autoptr (GDir) dir = g_dir_open (dirs[d], 0, NULL);
      if (dir == NULL)
        {
          g_printerr ("prepare-bench: cannot open %s\n", dirs[d]);
          exit (2);
        }
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      for (const gchar *n; (n = g_dir_read_name (dir)) != NULL;)
        if (g_str_has_suffix (n, ".eml"))
          g_ptr_array_add (names, g_build_filename (dirs[d], n, NULL));
      g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        {
          gchar *data = NULL;
          gsize len = 0;
          if (!g_file_get_contents (names->pdata[i], &data, &len, NULL))
            continue;
          g_ptr_array_add (mails, g_bytes_new_take (data, len));
          *bytes += len;
        }
    }
  return mails;
}

int
main (int argc, char **argv)
{
  /* As shirase sets its allocator up: the figures are its own. */
  shr_alloc_tune ();
  const gchar *conf = NULL;
  gint iterations = 0;
  gdouble seconds = 3.0;
  g_auto (GStrv) dirs = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "the configuration (its profile is matched)", "CONF" },
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "passes over the mails (instead of --seconds)",
      "N" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "run for this long (default 3)", "S" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, "DIR…" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) options
      = g_option_context_new ("DIR… — shr_pipeline_prepare() per mail, one thread");
  g_option_context_add_main_entries (options, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || conf == NULL || dirs == NULL)
    {
      g_printerr ("prepare-bench: %s\n",
                  error != NULL ? error->message : "usage: prepare-bench -c CONF DIR…");
      return 2;
    }
  /* As `shirase once` sets the pipeline up (src/cmd-common.c), without
   * the approval loop: prepare does not use it. */
  const ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  static ShrVocabulary vocab;
  ShrService *service = NULL;
  ShrStore *store = NULL;
  if (lexicon != NULL)
    {
      vocab = shr_vocabulary_for_lexicon (lexicon);
      service = shr_service_load (conf, &vocab, FALSE, &error);
    }
  if (service != NULL)
    store = shr_store_open (service->state_dir, &error);
  if (store == NULL)
    {
      g_printerr ("prepare-bench: %s\n", error->message);
      return 1;
    }
  ShrPipeline *pipeline
      = shr_pipeline_new (store, lexicon, service->config->profile, &vocab, service->own_address);
  gsize bytes = 0;
  g_autoptr (GPtrArray) mails = load_mails (dirs, &bytes);
  if (mails->len == 0)
    {
      g_printerr ("prepare-bench: no .eml in the folders given\n");
      return 2;
    }
  /* One pass to warm up: patterns compile on first use. */
  for (guint i = 0; i < mails->len; i++)
    shr_prepared_free (shr_pipeline_prepare (pipeline, mails->pdata[i]));
  guint64 done = 0, done_bytes = 0;
  gint64 start = g_get_monotonic_time ();
  clock_t c0 = clock ();
  for (gint pass = 0;; pass++)
    {
      if (iterations > 0 ? pass >= iterations : g_get_monotonic_time () - start >= seconds * G_USEC_PER_SEC)
        break;
      for (guint i = 0; i < mails->len; i++)
        {
          shr_prepared_free (shr_pipeline_prepare (pipeline, mails->pdata[i]));
          done_bytes += g_bytes_get_size (mails->pdata[i]);
        }
      done += mails->len;
    }
  gdouble wall = (g_get_monotonic_time () - start) / (gdouble)G_USEC_PER_SEC;
  gdouble cpu = (gdouble)(clock () - c0) / CLOCKS_PER_SEC;
  printf ("prepare messages=%" G_GUINT64_FORMAT " files=%u seconds=%.3f msgs_per_s=%.1f mb_per_s=%.3f "
          "cpu_seconds=%.3f msgs_per_cpu_s=%.1f\n",
          done, mails->len, wall, done / wall, done_bytes / wall / 1e6, cpu, cpu > 0 ? done / cpu : 0.0);
  shr_pipeline_free (pipeline);
  shr_store_close (store);
  shr_service_free (service);
  return 0;
}
