/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "shr-pattern.h"

/* The extractor's patterns run through PCRE2 directly where GRegex's
 * allocations cost more than the match; what they find must not change.
 * Each pattern is a literal (the cache's key). */
static const gchar *const patterns[] = {
  "\\bCVE[-‐‑–]\\s?(\\d{4})[-‐‑–]\\s?(\\d{4,7})\\b",
  "(critical|high)|(medium)",
  "x*",
  "(?:^|\\n)\\s*",
  "\\b",
  "(?<=、)\\w+",
  "^(\\S+)\\s*[:：]\\s*(.*)$",
  "(脆弱性)(が)?(存在)",
  "cvss\\s*(?:v?3(?:\\.\\d)?)?\\s*(?:base score)?\\s*[:：]?\\s*(\\d{1,2}\\.\\d)",
};

static const gchar *const texts[] = {
  "",
  "CVE-2026-1234, cve‐2026‐98765 and CVE-2026-2760、CVE-2026-2761。",
  "Severity: Critical\nImpact: High\nMEDIUM",
  "aaxaxx",
  "\n\n  \n x",
  "概要、脆弱性が存在します。対策、アップデート",
  "Key: value\nキー：値\nno colon here\n",
  "CVSS v3.1 Base Score: 9.8 (Critical); cvss 7.5",
};

/* Every match and every group of a walk, as GRegex gives them. */
static void
assert_walks_alike (const gchar *pattern, const gchar *text)
{
  g_autoptr (GMatchInfo) gm = NULL;
  g_regex_match (shr_regex (pattern), text, 0, &gm);
  g_auto (ShrMatches) m = { 0 };
  gboolean ours = shr_matches_first (&m, pattern, text);
  guint n = 0;
  for (; g_match_info_matches (gm); g_match_info_next (gm, NULL), ours = shr_matches_next (&m), n++)
    {
      g_assert_true (ours);
      gint groups = g_match_info_get_match_count (gm);
      for (gint g = 0; g <= groups + 2; g++)
        {
          gint gs = 0, ge = 0, s = 0, e = 0;
          gboolean gfound = g_match_info_fetch_pos (gm, g, &gs, &ge);
          g_assert_cmpint (shr_matches_pos (&m, g, &s, &e), ==, gfound);
          if (gfound)
            {
              g_assert_cmpint (s, ==, gs);
              g_assert_cmpint (e, ==, ge);
            }
          g_autofree gchar *expected = g_match_info_fetch (gm, g);
          g_autofree gchar *got = shr_matches_fetch (&m, g);
          g_assert_cmpstr (got, ==, expected);
        }
    }
  g_assert_false (ours);
  /* The first match answers the one-shot forms too. */
  g_assert_cmpint (shr_regex_test (pattern, text), ==, n > 0);
  g_autoptr (GMatchInfo) first = NULL;
  g_regex_match (shr_regex (pattern), text, 0, &first);
  g_autofree gchar *group1 = g_match_info_fetch (first, 1);
  if (group1 != NULL)
    g_strstrip (group1);
  g_autofree gchar *ours1 = shr_match_group (pattern, text, 1);
  g_assert_cmpstr (ours1, ==, group1 != NULL && *group1 != '\0' ? group1 : NULL);
}

static void
test_like_gregex (void)
{
  for (gsize p = 0; p < G_N_ELEMENTS (patterns); p++)
    for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
      assert_walks_alike (patterns[p], texts[t]);
}

/* A walk inside a walk (a loop body that runs another pattern) keeps its
 * own place. */
static void
test_nested_walks (void)
{
  const gchar *text = "CVE-2026-0001 high\nCVE-2026-0002 medium\n";
  guint outer = 0, inner = 0;
  g_auto (ShrMatches) m = { 0 };
  for (gboolean ok = shr_matches_first (&m, patterns[0], text); ok; ok = shr_matches_next (&m), outer++)
    {
      g_auto (ShrMatches) w = { 0 };
      for (gboolean in = shr_matches_first (&w, patterns[1], text); in; in = shr_matches_next (&w))
        inner++;
      g_autofree gchar *year = shr_matches_fetch (&m, 1);
      g_assert_cmpstr (year, ==, "2026");
    }
  g_assert_cmpuint (outer, ==, 2);
  g_assert_cmpuint (inner, ==, 4);
}

/* Lookbehind sees before the start of a range, as with
 * g_regex_match_full (…, end, start, …). */
static void
test_range (void)
{
  const gchar *text = "概要、脆弱性";
  gsize at = strlen ("概要、");
  g_assert_true (shr_regex_test_range (patterns[5], text, at, strlen (text)));
  g_assert_false (shr_regex_test_range (patterns[5], text, 0, strlen ("概要")));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pattern/like-gregex", test_like_gregex);
  g_test_add_func ("/pattern/nested-walks", test_nested_walks);
  g_test_add_func ("/pattern/range", test_range);
  return g_test_run ();
}
