/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-notice.h — the view a notice is rendered from.
 *
 * A notice's templates see one JSON object built here from the record, the
 * match result and the profile. It carries facts and flags, never
 * sentences of its own: every word a reader sees is in templates/ or in
 * data/ (the checklist rows and reasons come worded from the matcher, the
 * priority labels from shr-match.c's table, the sector/region labels and
 * the sectors' nouns from data/sectors.tsv and regions.tsv, the kinds of
 * flaw from data/flaws.tsv, shirase's standard steps from data/steps.tsv).
 * Nothing is invented: a field the record lacks is absent from the view,
 * so a template's {{#x}} leaves it out.
 *
 * templates/README.md lists every key with an example. Besides the
 * record's facts: kind (what the sentences speak of), org.self_ja /
 * self_en ([organization] self_ja, default 自組織 / our organisation),
 * CVSS as text with one decimal, the CVEs grouped by score, what the CVSS
 * vectors say, affected versions in each language's words, list markers
 * (first, last, penult) for joining lists, and the response steps
 * numbered on: the fix, the source's (shr_steps_from_source), shirase's
 * (shr_steps_standard). shr-render.c adds the worded keys (topic, title,
 * in-short, subject) and, for a draft, approval {token, id}. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "shr-lexicon.h"
#include "shr-match.h"
#include "shr-profile.h"
#include "shr-record.h"

G_BEGIN_DECLS

/* (transfer full) The view of one notice. @lexicon may be NULL (then
 * sectors and regions show their keys and no kind of flaw is named).
 * @now is the time of rendering (its date appears in the notice and is
 * the fallback for a record without a date). */
JsonNode *shr_notice_view_new (const ShrRecord *record, const ShrMatch *match, const ShrProfile *profile,
                               const ShrLexicon *lexicon, GDateTime *now);

/* (transfer full) One not-applicable advisory as the digest lists it:
 * the keys of a notice's view that digest.txt reads (title, source, date,
 * cve_first, cve_count, cves_others, exploited, kev, reasons_ja,
 * reasons_en), each made as in shr_notice_view_new. Made for every
 * not-applicable mail, so it is far cheaper than the whole view. */
JsonNode *shr_notice_digest_item_new (const ShrRecord *record, const ShrMatch *match,
                                      const ShrProfile *profile, GDateTime *now);

/* (transfer full) json_to_string () of shr_notice_digest_item_new (),
 * without the tree: written directly, it costs a fraction of building the
 * tree and printing it (what ingest stores for every not-applicable
 * advisory). */
gchar *shr_notice_digest_item_to_string (const ShrRecord *record, const ShrMatch *match,
                                         const ShrProfile *profile, GDateTime *now);

/* (transfer full) The view of the digest: @items is a JSON array of
 * notice views or digest items (each as made above), @now the time of the
 * digest. Keys: org, now, items, count, empty. */
JsonNode *shr_notice_digest_view_new (const ShrProfile *profile, JsonArray *items, GDateTime *now);

/* One line of a data file of data/ (the directory of
 * shr_lexicon_default_dir), split at TABs. */
typedef struct
{
  const gchar *path;
  guint line;
  gchar **fields;
  guint n_fields;
} ShrDataRow;

/* (transfer none) The rows of data file @name (comment and empty lines
 * left out), read once and kept for the process. A file that cannot be
 * read is logged (g_warning) and has no rows. */
const GPtrArray *shr_notice_data_rows (const gchar *name);

/* "2026年5月14日(木)" and "Thu 14 May 2026" for @dt in its own time zone
 * (caller frees). Fixed tables, not the locale: a notice reads the same
 * whatever LANG the daemon runs under. */
gchar *shr_notice_format_date_ja (GDateTime *dt);
gchar *shr_notice_format_date_en (GDateTime *dt);

G_END_DECLS
