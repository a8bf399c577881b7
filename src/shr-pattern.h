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

G_END_DECLS
