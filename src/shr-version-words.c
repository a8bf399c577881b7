/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-version-words.c — a product's affected versions in each notice
 * language's words. */
#include "config.h"

#include "shr-version-words.h"

#include <string.h>

#include "shr-text.h"

void
shr_version_words_free (gpointer data)
{
  ShrVersionWords *w = data;
  if (w == NULL)
    return;
  g_free (w->ja);
  g_free (w->en);
  g_free (w);
}

typedef struct
{
  GRegex *range, *before, *up_to, *from, *single, *ja_up_to, *ja_before, *ja_range, *ja_from;
} VersionPatterns;

#define V "([0-9][0-9A-Za-z._+~-]*(?:\\([0-9A-Za-z.]+\\))?)"

static const VersionPatterns *
version_patterns (void)
{
  static VersionPatterns p;
  static gsize done;
  if (g_once_init_enter (&done))
    {
      GRegexCompileFlags f = G_REGEX_CASELESS | G_REGEX_OPTIMIZE;
      p.range = g_regex_new ("^(?:from\\s+)?" V "\\s*(?:through|to|thru|-|–|~)\\s*" V "(?:\\s+inclusive)?$",
                             f, 0, NULL);
      p.before = g_regex_new ("^(?:before|prior\\s+to|earlier\\s+than|older\\s+than|below|<)\\s*" V "$", f, 0,
                              NULL);
      p.up_to = g_regex_new (
          "^(?:" V "\\s*(?:and|or)\\s*(?:earlier|prior|older|below|before)|(?:<=|up\\s+to(?:\\s+and\\s+"
          "including)?|through)\\s*" V ")$",
          f, 0, NULL);
      p.from = g_regex_new ("^(?:" V "\\s*(?:and|or)\\s*(?:later|newer|above)|(?:>=)\\s*" V ")$", f, 0, NULL);
      p.single = g_regex_new ("^" V "$", f, 0, NULL);
      p.ja_up_to = g_regex_new ("^" V "\\s*(?:(?:および|と|ならびに)?それ)?以前(?:の(?:全ての)?バージョン)?$",
                                f, 0, NULL);
      p.ja_before = g_regex_new ("^" V "\\s*(?:より前|未満)(?:の(?:全ての)?バージョン)?$", f, 0, NULL);
      p.ja_range = g_regex_new (
          "^" V "\\s*(?:から|〜|～|-)\\s*" V "\\s*(?:まで)?(?:の(?:全ての)?バージョン)?$", f, 0, NULL);
      p.ja_from
          = g_regex_new ("^" V "\\s*(?:(?:および|と)?それ)?以降(?:の(?:全ての)?バージョン)?$", f, 0, NULL);
      g_once_init_leave (&done, 1);
    }
  return &p;
}

#undef V

/* @t matches @a or else @b; @m is the match of the one that did. */
static gboolean
match_either (GRegex *a, GRegex *b, const gchar *t, GMatchInfo **m)
{
  if (g_regex_match (a, t, 0, m))
    return TRUE;
  g_clear_pointer (m, g_match_info_free);
  return g_regex_match (b, t, 0, m);
}

/* The group of @m that matched (one of two alternatives). */
static gchar *
either (GMatchInfo *m, gint a, gint b)
{
  gchar *s = g_match_info_fetch (m, a);
  if (s != NULL && *s != '\0')
    return s;
  g_free (s);
  return g_match_info_fetch (m, b);
}

/* @phrase (a version phrase as the source wrote it: "FortiOS 7.4.0
 * through 7.4.7", "4.2.0 およびそれ以前") in both languages' words
 * ("7.4.0〜7.4.7" / "7.4.0 to 7.4.7"); FALSE when it is not one of the
 * shapes known here, and the notice then shows it as written. */
static gboolean
version_phrase (const gchar *phrase, const ShrProduct *product, gchar **ja, gchar **en)
{
  const VersionPatterns *p = version_patterns ();
  g_autofree gchar *text = shr_text_one_line (phrase);
  /* The product's name and "version(s)" before the numbers say nothing. */
  const gchar *t = text;
  const gchar *names[] = { product->vendor, product->product };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i] != NULL && g_ascii_strncasecmp (t, names[i], strlen (names[i])) == 0)
      for (t += strlen (names[i]); *t == ' '; t++)
        ;
  static const gchar *const noise[] = { "versions ", "version ", "バージョン" };
  for (guint i = 0; i < G_N_ELEMENTS (noise); i++)
    if (g_ascii_strncasecmp (t, noise[i], strlen (noise[i])) == 0)
      for (t += strlen (noise[i]); *t == ' '; t++)
        ;
  g_autoptr (GMatchInfo) m = NULL;
  if (match_either (p->range, p->ja_range, t, &m))
    {
      g_autofree gchar *a = g_match_info_fetch (m, 1), *b = g_match_info_fetch (m, 2);
      *ja = g_strdup_printf ("%s〜%s", a, b);
      *en = g_strdup_printf ("%s to %s", a, b);
      return TRUE;
    }
  g_clear_pointer (&m, g_match_info_free);
  if (match_either (p->before, p->ja_before, t, &m))
    {
      g_autofree gchar *a = g_match_info_fetch (m, 1);
      *ja = g_strdup_printf ("%s より前", a);
      *en = g_strdup_printf ("before %s", a);
      return TRUE;
    }
  g_clear_pointer (&m, g_match_info_free);
  if (match_either (p->up_to, p->ja_up_to, t, &m))
    {
      g_autofree gchar *a = either (m, 1, 2);
      *ja = g_strdup_printf ("%s 以前", a);
      *en = g_strdup_printf ("%s and earlier", a);
      return TRUE;
    }
  g_clear_pointer (&m, g_match_info_free);
  if (match_either (p->from, p->ja_from, t, &m))
    {
      g_autofree gchar *a = either (m, 1, 2);
      *ja = g_strdup_printf ("%s 以降", a);
      *en = g_strdup_printf ("%s and later", a);
      return TRUE;
    }
  g_clear_pointer (&m, g_match_info_free);
  if (g_regex_match (p->single, t, 0, &m))
    {
      *ja = g_match_info_fetch (m, 1);
      *en = g_strdup (*ja);
      return TRUE;
    }
  return FALSE;
}

/* One release train's range in both languages' words, or FALSE when the
 * range says nothing to show (an empty one). */
static gboolean
range_words (const ShrProductRange *g, gboolean vendor_trains, gchar **ja, gchar **en)
{
  gboolean from = g->introduced != NULL && strcmp (g->introduced, "0") != 0;
  /* "before 17.9.6a" alone would take in 16.x too: name the train. */
  if (!from && vendor_trains && g->train != NULL && (g->fixed != NULL || g->last_affected != NULL))
    {
      gboolean upto = g->last_affected != NULL;
      *ja = g_strdup_printf ("%s 系の %s %s", g->train, upto ? g->last_affected : g->fixed,
                             upto ? "以前" : "より前");
      *en = g_strdup_printf ("%s.x %s %s", g->train, upto ? "up to" : "before",
                             upto ? g->last_affected : g->fixed);
      return TRUE;
    }
  if (from && g->last_affected != NULL)
    {
      *ja = g_strdup_printf ("%s〜%s", g->introduced, g->last_affected);
      *en = g_strdup_printf ("%s to %s", g->introduced, g->last_affected);
    }
  else if (from && g->fixed != NULL)
    {
      *ja = g_strdup_printf ("%s 以上 %s 未満", g->introduced, g->fixed);
      *en = g_strdup_printf ("%s and later before %s", g->introduced, g->fixed);
    }
  else if (g->last_affected != NULL)
    {
      *ja = g_strdup_printf ("%s 以前", g->last_affected);
      *en = g_strdup_printf ("%s and earlier", g->last_affected);
    }
  else if (g->fixed != NULL)
    {
      *ja = g_strdup_printf ("%s より前", g->fixed);
      *en = g_strdup_printf ("before %s", g->fixed);
    }
  else if (from)
    {
      *ja = g_strdup_printf ("%s 以降", g->introduced);
      *en = g_strdup_printf ("%s and later", g->introduced);
    }
  else if (g->train != NULL)
    {
      *ja = g_strdup_printf ("%s 系の全バージョン", g->train);
      *en = g_strdup_printf ("all %s versions", g->train);
    }
  else
    {
      *ja = g_strdup ("全バージョン");
      *en = g_strdup ("all versions");
    }
  /* A distribution's release ("Debian:12"): the package of that release. */
  if (g->train != NULL && strchr (g->train, ':') != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (g->train, ":", 2);
      g_autofree gchar *release = g_strjoinv (" ", parts);
      gchar *ja_release = g_strdup_printf ("%s の %s", release, *ja);
      gchar *en_release = g_strdup_printf ("%s (%s)", *en, release);
      g_free (*ja);
      g_free (*en);
      *ja = ja_release;
      *en = en_release;
    }
  return TRUE;
}

/* Adds the words to @a unless the same Japanese words are there already
 * (two phrases of one range: "ExampleCMS 4.2.0 以前" and "4.2.0 以前").
 * Takes @ja and @en. */
static void
add_words (GPtrArray *a, gchar *ja, gchar *en, gboolean as_written)
{
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (((ShrVersionWords *)a->pdata[i])->ja, ja) == 0)
      {
        g_free (ja);
        g_free (en);
        return;
      }
  ShrVersionWords *w = g_new0 (ShrVersionWords, 1);
  w->ja = ja;
  w->en = en;
  w->as_written = as_written;
  g_ptr_array_add (a, w);
}

GPtrArray *
shr_version_words_affected (const ShrProduct *p, gboolean *all_known, GPtrArray *unaffected)
{
  g_return_val_if_fail (p != NULL && all_known != NULL, NULL);
  GPtrArray *a = g_ptr_array_new_with_free_func (shr_version_words_free);
  for (guint i = 0; p->ranges != NULL && i < p->ranges->len; i++)
    {
      const ShrProductRange *g = p->ranges->pdata[i];
      gchar *ja = NULL, *en = NULL;
      if (g->unaffected)
        {
          if (g->train != NULL && unaffected != NULL)
            add_words (unaffected, g_strdup_printf ("%s 系", g->train), g_strdup (g->train), FALSE);
          continue;
        }
      /* Several trains of the vendor's releases: each bound is of its train. */
      if (range_words (g, p->ecosystem == NULL && p->ranges->len > 1, &ja, &en))
        add_words (a, ja, en, FALSE);
    }
  if (a->len > 0)
    {
      *all_known = TRUE;
      return a;
    }
  *all_known = p->affected != NULL && p->affected->len > 0;
  for (guint i = 0; p->affected != NULL && i < p->affected->len; i++)
    {
      gchar *ja = NULL, *en = NULL;
      if (version_phrase (p->affected->pdata[i], p, &ja, &en))
        add_words (a, ja, en, FALSE);
      else
        {
          *all_known = FALSE;
          add_words (a, g_strdup (p->affected->pdata[i]), g_strdup (p->affected->pdata[i]), TRUE);
        }
    }
  return a;
}

gchar *
shr_version_words_join (const GPtrArray *words, gboolean japanese, const gchar *separator)
{
  g_return_val_if_fail (words != NULL && separator != NULL, NULL);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    {
      const ShrVersionWords *w = words->pdata[i];
      g_autofree gchar *line = shr_text_one_line (japanese ? w->ja : w->en);
      g_string_append_printf (s, "%s%s", i > 0 ? separator : "", line);
    }
  return g_string_free (s, FALSE);
}
