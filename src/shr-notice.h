/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-notice.h — the view a notice is rendered from.
 *
 * A notice's templates see one JSON object built here from the record, the
 * match result and the profile. It carries facts and flags, never
 * sentences: every word a reader sees is in templates/ (the checklist rows
 * and reasons come worded from the matcher, the priority labels from
 * shr-match.c's table, the sector/region labels from data/). The kinds of
 * flaw are named from data/flaws.tsv. Nothing is invented: a field the
 * record lacks is absent from the view, so a template's {{#x}} leaves it
 * out.
 *
 * The keys (templates/README.md lists them with examples):
 *   org.name
 *   grade      {letter, a|b|c|none (one true), priority_ja, priority_en,
 *               deadline_ja, deadline_en}   — the one source of the grade
 *   verdict    {key, applicable|check|not_applicable, label_ja}
 *   deadline   {date, ja, en}               (absent when no action)
 *   category   {key, <key>: true}
 *   source     {kind, name, advisory_id, url, lang, lang_en|lang_ja,
 *               forwarded_by}
 *   date       {iso, ja, en}  the advisory's date in the organisation's
 *                             time zone (else the time of rendering)
 *   now        {iso, ja, en}
 *   title, summary, quote_original (an English source: summary is 原文)
 *   products   [{name, vendor, product, affected[], fixed[], has_fixed,
 *               first, last}]  (lists of strings are [{v, last}])
 *   primary_product, products_more, has_fixed
 *   flaws      [{key, ja, en, last}]
 *   cves       [{id, cvss, severity, last}], cves_head (first 3),
 *              cves_more, cve_count, cves_many, cvss_max, severity
 *   exploited, not_exploited, kev, exploited_evidence
 *   campaign, actors [{name, last}], sectors [{key, ja, en, last}],
 *              regions [{code, ja, en, last}]
 *   checklist  [{text_ja, text_en, matched, unknown, unmatched, assets}],
 *              has_checklist, none_matched
 *   owners [{v, last}], reasons_ja [{v}], reasons_en [{v}]
 *   mitigations [{n, text}], references [{n, url}]
 * shr-render.c adds subject_ja / subject_en (rendered from
 * templates/subject-*.txt) and, for a draft, approval {token, id}. */
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

/* (transfer full) The view of the digest: @items is a JSON array of
 * notice views or digest items (each as made above), @now the time of the
 * digest. Keys: org, now, items, count, empty. */
JsonNode *shr_notice_digest_view_new (const ShrProfile *profile, JsonArray *items, GDateTime *now);

/* "2026年5月14日(木)" and "Thu 14 May 2026" for @dt in its own time zone
 * (caller frees). Fixed tables, not the locale: a notice reads the same
 * whatever LANG the daemon runs under. */
gchar *shr_notice_format_date_ja (GDateTime *dt);
gchar *shr_notice_format_date_en (GDateTime *dt);

/* A copy of @text fit for one header line: CR, LF, TAB and other control
 * characters become one space, runs of spaces collapse, the ends are
 * trimmed, invalid UTF-8 is replaced. (transfer full) */
gchar *shr_notice_one_line (const gchar *text);

G_END_DECLS
