/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render-bench — notices rendered per second: for each fixture advisory,
 * the view, the Japanese and English text and HTML, and the composed mail
 * (both languages, multipart/alternative, serialised with CR LF), on one
 * thread. Extraction and matching are done once, outside the timing.
 *
 *   bench/render-bench [-n ROUNDS] [-c CONF] [FILE.eml…]
 * Defaults: 2000 rounds over the four render fixtures of tests/data/mail. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shr-compose.h"
#include "shr-config.h"
#include "shr-extract.h"
#include "shr-match.h"
#include "shr-notice.h"
#include "shr-render.h"

int
main (int argc, char **argv)
{
  gint rounds = 2000;
  g_autofree gchar *conf = NULL;
  g_auto (GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "rounds", 'n', 0, G_OPTION_ARG_INT, &rounds, "Rounds over the inputs (default 2000)", "N" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf, "Config (default tests/data/render/org.conf)", "CONF" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— notices rendered per second");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_mime_init ();
  if (conf == NULL)
    conf = g_build_filename (SHR_SRCDIR, "tests", "data", "render", "org.conf", NULL);
  if (files == NULL)
    {
      const gchar *names[] = { "dsa_5901_1_libxml2", "jpcert_at_2026_0012", "cisa_kev_2026_03_10",
                               "news_en_exchange_oilgas_silk_typhoon" };
      files = g_new0 (gchar *, G_N_ELEMENTS (names) + 1);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree gchar *base = g_strconcat (names[i], ".eml", NULL);
          files[i] = g_build_filename (SHR_SRCDIR, "tests", "data", "mail", base, NULL);
        }
    }
  ShrLexicon *lexicon = shr_lexicon_get_default (&error);
  if (lexicon == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lexicon);
  g_autoptr (ShrConfig) config = shr_config_load (conf, &vocab, &error);
  if (config == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_autofree gchar *dir = shr_render_dir_for_config (config->keyfile, conf);
  g_autoptr (ShrRenderer) renderer = shr_renderer_new (dir, &error);
  if (renderer == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_autoptr (GDateTime) now = g_date_time_new_from_iso8601 ("2026-03-16T10:00:00+09:00", NULL);
  guint n = g_strv_length (files);
  ShrRecord **records = g_new0 (ShrRecord *, n);
  ShrMatch **matches = g_new0 (ShrMatch *, n);
  for (guint i = 0; i < n; i++)
    {
      records[i] = shr_extract_file (files[i], lexicon, &error);
      if (records[i] == NULL)
        {
          g_printerr ("%s: %s\n", files[i], error->message);
          return 1;
        }
      matches[i] = shr_match_record (config->profile, &vocab, records[i], now);
    }
  const gchar *to[] = { "it-admins@example.co.jp", NULL };
  gsize bytes = 0;
  guint notices = 0;
  gint64 t_view = 0, t_render = 0, t_mail = 0;
  gint64 t0 = g_get_monotonic_time ();
  for (gint r = 0; r < rounds; r++)
    for (guint i = 0; i < n; i++)
      {
        gint64 a = g_get_monotonic_time ();
        g_autoptr (JsonNode) view
            = shr_notice_view_new (records[i], matches[i], config->profile, lexicon, now);
        gint64 b = g_get_monotonic_time ();
        g_autoptr (ShrRendered) out = shr_renderer_notice (renderer, view, SHR_RENDER_LANG_BOTH, &error);
        gint64 c = g_get_monotonic_time ();
        t_view += b - a;
        t_render += c - b;
        if (out == NULL)
          {
            g_printerr ("%s\n", error->message);
            return 1;
          }
        ShrComposeOptions o = {
          .from = "shirase <shirase@example.co.jp>",
          .to = to,
          .date = now,
          .grade = shr_grade_to_string (matches[i]->grade),
          .case_id = records[i]->id,
          .message_id = "bench@example.co.jp",
        };
        g_autoptr (GMimeMessage) m = shr_compose_message (&o, out->subject, out->text, out->html, &error);
        if (m == NULL)
          {
            g_printerr ("%s\n", error->message);
            return 1;
          }
        g_autofree gchar *mail = shr_compose_to_string (m, TRUE);
        t_mail += g_get_monotonic_time () - c;
        bytes += strlen (mail);
        notices++;
      }
  gdouble secs = (g_get_monotonic_time () - t0) / 1e6;
  printf ("render-bench: %u notices (view + ja/en text + HTML + mail) in %.2f s: %.0f notices/s, "
          "%.1f µs each, %.1f KB of mail each\n",
          notices, secs, notices / secs, secs * 1e6 / notices, bytes / 1024.0 / notices);
  printf ("  per notice: view %.1f µs, templates (subjects, text, HTML) %.1f µs, mail %.1f µs\n",
          (gdouble)t_view / notices, (gdouble)t_render / notices, (gdouble)t_mail / notices);
  for (guint i = 0; i < n; i++)
    {
      shr_match_free (matches[i]);
      shr_record_free (records[i]);
    }
  g_free (matches);
  g_free (records);
  return 0;
}
