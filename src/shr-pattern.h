/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The extractor's built-in patterns. Each is a string literal, compiled
 * once per process (caseless, multi-line, UTF-8 with Unicode classes, as
 * GRegex compiles them) and found again by the literal's address. */

/* The pattern as a GRegex, for callers that iterate over matches.
 * (transfer none): owned by the cache of the calling thread. */
GRegex *shr_regex (const gchar *pattern);

/* Whether @pattern matches somewhere in @text. The same answer as
 * g_regex_match (shr_regex (@pattern), @text, 0, NULL), without a
 * GMatchInfo: most of the extractor's matches only ask this. */
gboolean shr_regex_test (const gchar *pattern, const gchar *text);

/* Like shr_regex_test() over the bytes [@start, @end) of @text (@text
 * itself stays the subject, so lookbehinds see before @start, as with
 * g_regex_match_full()). */
gboolean shr_regex_test_range (const gchar *pattern, const gchar *text, gsize start, gsize end);

/* (transfer full) Group @group of the first match of @pattern in @text,
 * stripped of surrounding spaces; NULL when there is no match or the group
 * is empty. */
gchar *shr_match_group (const gchar *pattern, const gchar *text, gint group);

/* A walk over the matches of a built-in pattern: the matches, in order,
 * that g_regex_match() and g_match_info_next() give, without GRegex's
 * allocations per match. Start it zeroed:
 *
 *   g_auto (ShrMatches) m = { 0 };
 *   for (gboolean ok = shr_matches_first (&m, PATTERN, text); ok; ok = shr_matches_next (&m))
 *     … shr_matches_fetch (&m, 1) …
 */
typedef struct
{
  const gchar *text;
  gsize len;
  gsize pos;          /* where the next search starts */
  gint start, end;    /* of the current match; -1 before the first */
  gint pairs;         /* offset pairs set by the current match; 0: none */
  gconstpointer code; /* private */
  gpointer data;      /* private: the match block */
} ShrMatches;

/* Finds the first match of @pattern in @text; FALSE when there is none. */
gboolean shr_matches_first (ShrMatches *m, const gchar *pattern, const gchar *text);

/* Whether the walk stands on a match. */
static inline gboolean
shr_matches_found (const ShrMatches *m)
{
  return m->pairs > 0;
}

/* Moves to the next match; FALSE when there are no more. */
gboolean shr_matches_next (ShrMatches *m);

/* Where group @group of the current match is, as g_match_info_fetch_pos()
 * says it: FALSE when there is no match or the pattern has no such group,
 * -1 for a group that took no part in the match. */
gboolean shr_matches_pos (const ShrMatches *m, gint group, gint *start, gint *end);

/* (transfer full) Group @group of the current match, as
 * g_match_info_fetch() gives it: "" for a group that took no part, NULL
 * when there is no match or no such group. */
gchar *shr_matches_fetch (const ShrMatches *m, gint group);

void shr_matches_clear (ShrMatches *m);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ShrMatches, shr_matches_clear)

G_END_DECLS
