/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match-bench — time shr_match_record() against a large inventory.
 *
 *   bench/match-bench [--assets N] [--rounds R] [DIR…]
 *
 * Builds a profile of N generated assets (default 10,000): every product of
 * data/products.tsv once, the rest Debian-style packages, all with
 * versions. Extracts every *.eml of each DIR (default: ../shared/corpus when
 * it exists, and tests/data/mail) — extraction is not timed — then matches
 * every record R times and prints the median and 99th percentile of the
 * time per advisory, in microseconds. For contrast it also times a naive
 * matcher that compares each named product with every asset. */
#include "config.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shr-extract.h"
#include "shr-match.h"

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
  return (x > y) - (x < y);
}

static gdouble
percentile (GArray *v, gdouble p)
{
  g_array_sort (v, cmp_double);
  if (v->len == 0)
    return 0;
  guint i = (guint)(p * (v->len - 1) + 0.5);
  return g_array_index (v, gdouble, i);
}

static void
add_products (ShrProfile *profile, const gchar *datadir, guint *count, guint max)
{
  g_autofree gchar *path = g_build_filename (datadir, "products.tsv", NULL);
  g_autofree gchar *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *count < max; i++)
    {
      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (f) < 2 || f[1][0] == '\0')
        continue;
      g_autofree gchar *name = g_strdup_printf ("p%u", *count);
      ShrAsset *a = shr_asset_new (name, f[1][0] == '~' ? f[1] + 1 : f[1]);
      a->vendor = g_strdup (f[0]);
      a->version = g_strdup_printf ("%u.%u.%u", g_random_int_range (1, 20), g_random_int_range (0, 10),
                                    g_random_int_range (0, 30));
      g_ptr_array_add (a->owners, g_strdup ("owner@example.co.jp"));
      shr_profile_add_asset (profile, a);
      (*count)++;
    }
}

static void
collect_records (const gchar *dir, const ShrLexicon *lexicon, GPtrArray *records)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree gchar *path = g_build_filename (dir, names->pdata[i], NULL);
      ShrRecord *r = shr_extract_file (path, lexicon, NULL);
      if (r != NULL)
        g_ptr_array_add (records, r);
    }
}

/* What matching would cost without the index: every named product
 * compared with every asset's normalised names. */
static guint
naive_match (const ShrProfile *profile, const ShrRecord *r)
{
  guint hits = 0;
  for (guint i = 0; i < r->products->len; i++)
    {
      const ShrProduct *p = r->products->pdata[i];
      g_autofree gchar *want = shr_vocab_normalize (p->product);
      for (guint j = 0; j < profile->assets->len; j++)
        {
          const ShrAsset *a = profile->assets->pdata[j];
          g_autofree gchar *have = shr_vocab_normalize (a->product);
          hits += strcmp (want, have) == 0;
        }
    }
  return hits;
}

int
main (int argc, char **argv)
{
  gint n_assets = 10000, rounds = 200;
  g_auto (GStrv) dirs = NULL;
  GOptionEntry entries[] = {
    { "assets", 'n', 0, G_OPTION_ARG_INT, &n_assets, "Assets in the profile (10000)", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Times each record is matched (200)", "R" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, "DIR…" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[DIR…] — time matching");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_assets < 1 || rounds < 1)
    {
      g_printerr ("match-bench: %s\n", error ? error->message : "bad option");
      return 2;
    }
  g_mime_init ();
  g_random_set_seed (42);

  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("match-bench: %s\n", error->message);
      return 1;
    }
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  const gchar *datadir = g_getenv ("SHIRASE_DATADIR");
  g_autofree gchar *srcdata = g_build_filename (SHR_SRCDIR, "data", NULL);

  g_autoptr (ShrProfile) profile = shr_profile_new ("bench");
  g_ptr_array_add (profile->sectors, g_strdup ("energy"));
  g_ptr_array_add (profile->regions, g_strdup ("JP"));
  guint count = 0;
  add_products (profile, datadir != NULL ? datadir : srcdata, &count, n_assets);
  guint from_list = count;
  for (; count < (guint)n_assets; count++)
    {
      g_autofree gchar *name = g_strdup_printf ("dpkg-lib%u", count);
      ShrAsset *a = shr_asset_new (name, name + 5);
      a->scheme = SHR_VERSION_SCHEME_DPKG;
      a->version = g_strdup_printf ("%u.%u-%u", g_random_int_range (0, 9), g_random_int_range (0, 99),
                                    g_random_int_range (1, 5));
      shr_profile_add_asset (profile, a);
    }
  gint64 t0 = g_get_monotonic_time ();
  shr_profile_build_index (profile, &vocab);
  gint64 t1 = g_get_monotonic_time ();

  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_record_free);
  if (dirs != NULL)
    for (guint i = 0; dirs[i] != NULL; i++)
      collect_records (dirs[i], lexicon, records);
  else
    {
      g_autofree gchar *corpus = g_build_filename (SHR_SRCDIR, "..", "shared", "corpus", NULL);
      g_autofree gchar *fixtures = g_build_filename (SHR_SRCDIR, "tests", "data", "mail", NULL);
      collect_records (corpus, lexicon, records);
      collect_records (fixtures, lexicon, records);
    }
  if (records->len == 0)
    {
      g_printerr ("match-bench: no advisory mails found\n");
      return 1;
    }

  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint verdicts[3] = { 0 };
  guint products = 0;
  for (gint round = 0; round < rounds; round++)
    for (guint i = 0; i < records->len; i++)
      {
        const ShrRecord *r = records->pdata[i];
        gint64 a = g_get_monotonic_time ();
        ShrMatch *m = shr_match_record (profile, &vocab, r, now);
        gint64 b = g_get_monotonic_time ();
        gdouble us = (gdouble)(b - a);
        g_array_append_val (times, us);
        if (round == 0)
          {
            verdicts[m->verdict]++;
            products += r->products->len;
          }
        shr_match_free (m);
      }

  /* The naive matcher, a few rounds only: it is slow. */
  g_autoptr (GArray) naive = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint sink = 0;
  for (gint round = 0; round < 3; round++)
    for (guint i = 0; i < records->len; i++)
      {
        gint64 a = g_get_monotonic_time ();
        sink += naive_match (profile, records->pdata[i]);
        gint64 b = g_get_monotonic_time ();
        gdouble us = (gdouble)(b - a);
        g_array_append_val (naive, us);
      }

  printf ("assets: %u (%u named products, %u packages); index built in %.1f ms\n", profile->assets->len,
          from_list, profile->assets->len - from_list, (t1 - t0) / 1000.0);
  printf ("advisories: %u (%u products named); verdicts: %u applicable, %u check, "
          "%u not applicable\n",
          records->len, products, verdicts[SHR_VERDICT_APPLICABLE], verdicts[SHR_VERDICT_CHECK],
          verdicts[SHR_VERDICT_NOT_APPLICABLE]);
  printf ("match (indexed): median %.1f us, p99 %.1f us per advisory (%u runs)\n", percentile (times, 0.5),
          percentile (times, 0.99), times->len);
  printf ("naive scan:      median %.1f us, p99 %.1f us per advisory (%u runs, %u hits)\n",
          percentile (naive, 0.5), percentile (naive, 0.99), naive->len, sink);
  return 0;
}
