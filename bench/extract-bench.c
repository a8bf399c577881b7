/* SPDX-License-Identifier: GPL-3.0-or-later */
/* extract-bench — read+extract throughput on one thread.
 *
 * Usage: bench/extract-bench [--seconds N] [--iterations N] [DIR]
 *
 * Loads every .eml file of DIR (default ../shared/corpus) into memory once, then
 * for N seconds (default 3) runs shr_message_read_bytes() and
 * shr_extract_message() over the set again and again, and prints messages/s
 * and MB/s. File reading is outside the timed loop: what is measured is the
 * work shirase does per message once it has the bytes (as `shirase watch`
 * has them from IMAP). --iterations runs that many passes instead of a
 * duration (for callgrind, where wall time means nothing).
 *
 * Output (one line, key=value, for scripts):
 *   extract messages=M bytes=B seconds=S msgs_per_s=X mb_per_s=Y
 * and, before it, what loading the word lists costs (`shirase extract` loads
 * them once per run, so they bound how fast one file can be handled):
 *   lexicon load_ms=L (the median of 21 loads) */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "shr-alloc.h"
#include "shr-extract.h"

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *)a, *(const gchar *const *)b);
}

static GPtrArray *
load_folder (const gchar *dir, gsize *total, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (names, g_strdup (name));
  /* The same order every run. */
  g_ptr_array_sort (names, compare_names);
  GPtrArray *mails = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  *total = 0;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree gchar *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      gchar *data = NULL;
      gsize len = 0;
      if (!g_file_get_contents (path, &data, &len, error))
        {
          g_ptr_array_unref (mails);
          return NULL;
        }
      g_ptr_array_add (mails, g_bytes_new_take (data, len));
      *total += len;
    }
  return mails;
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *)a, y = *(const gdouble *)b;
  return (x > y) - (x < y);
}

/* The median of several loads: the first pays for cold caches, and a
 * shared machine adds noise to any one. */
static gboolean
print_load_time (GError **error)
{
  gdouble ms[21];
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (ShrLexicon) lexicon = shr_lexicon_load (shr_lexicon_default_dir (), error);
      if (lexicon == NULL)
        return FALSE;
      ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  qsort (ms, G_N_ELEMENTS (ms), sizeof ms[0], compare_doubles);
  printf ("lexicon load_ms=%.2f\n", ms[G_N_ELEMENTS (ms) / 2]);
  return TRUE;
}

int
main (int argc, char **argv)
{
  /* As shirase sets its allocator up: the figures are its own. */
  shr_alloc_tune ();
  gdouble seconds = 3.0;
  gint iterations = 0;
  g_auto (GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "Run for N seconds (default 3)", "N" },
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Run N passes over the set instead", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "[DIR]" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[DIR] — extract throughput on one thread");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("extract-bench: %s\n", error->message);
      return 2;
    }
  const gchar *dir = rest && rest[0] ? rest[0] : "../shared/corpus";

  g_mime_init ();
  if (!print_load_time (&error))
    {
      g_printerr ("extract-bench: %s\n", error->message);
      return 1;
    }
  const ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("extract-bench: %s\n", error->message);
      return 1;
    }
  gsize set_bytes = 0;
  g_autoptr (GPtrArray) mails = load_folder (dir, &set_bytes, &error);
  if (mails == NULL)
    {
      g_printerr ("extract-bench: %s\n", error->message);
      return 1;
    }
  if (mails->len == 0)
    {
      g_printerr ("extract-bench: no .eml file in %s\n", dir);
      return 1;
    }

  /* One untimed pass: regexes compiled, lexicon warm, every mail readable. */
  guint failed = 0;
  for (guint i = 0; i < mails->len; i++)
    {
      g_autoptr (ShrMessage) m = shr_message_read_bytes (g_ptr_array_index (mails, i), "bench", NULL);
      if (m == NULL)
        {
          failed++;
          continue;
        }
      g_autoptr (ShrRecord) r = shr_extract_message (m, lexicon);
    }

  guint64 messages = 0, bytes = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64)(seconds * G_USEC_PER_SEC);
  gint64 now = start;
  /* The thread's CPU time too: on a machine shared with other work the
   * wall clock also counts the time this thread waited for a core. */
  struct timespec cpu0, cpu1;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu0);
  for (gint pass = 0; iterations > 0 ? pass < iterations : now < deadline; pass++)
    {
      for (guint i = 0; i < mails->len; i++)
        {
          GBytes *b = g_ptr_array_index (mails, i);
          g_autoptr (ShrMessage) m = shr_message_read_bytes (b, "bench", NULL);
          if (m != NULL)
            {
              g_autoptr (ShrRecord) r = shr_extract_message (m, lexicon);
            }
          messages++;
          bytes += g_bytes_get_size (b);
        }
      now = g_get_monotonic_time ();
    }
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu1);
  gdouble elapsed = (now - start) / (gdouble)G_USEC_PER_SEC;
  gdouble cpu = (cpu1.tv_sec - cpu0.tv_sec) + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e9;
  printf ("extract messages=%" G_GUINT64_FORMAT " bytes=%" G_GUINT64_FORMAT
          " files=%u failed=%u seconds=%.3f msgs_per_s=%.1f mb_per_s=%.3f"
          " cpu_seconds=%.3f msgs_per_cpu_s=%.1f\n",
          messages, bytes, mails->len, failed, elapsed, messages / elapsed, bytes / elapsed / 1e6, cpu,
          messages / cpu);
  g_mime_shutdown ();
  return 0;
}
