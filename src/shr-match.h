/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-match.h — does an advisory concern this organisation, and how
 * urgently.
 *
 * The verdict (DESIGN.md "match", issue 3):
 *   applicable      an asset runs a product the advisory names and its
 *                   version is affected, or the advisory gives no version;
 *   check (要確認)   a product matches but the asset's version is unknown or
 *                   cannot be compared; or no product matches but the
 *                   advisory targets the organisation's sectors/regions
 *                   (every kind of target it names: an advisory about
 *                   energy firms in Japan does not target a bank in Japan);
 *   not_applicable  otherwise (静観).
 * The grade and deadline follow DESIGN.md's priority table with the
 * thresholds of [policy]; the deadline is a date in the organisation's
 * time zone. The checklist has one row per product, sector and region the
 * advisory names, with whether it holds for the organisation. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "shr-profile.h"
#include "shr-record.h"
#include "shr-vocab.h"

G_BEGIN_DECLS

typedef enum
{
  SHR_VERDICT_NOT_APPLICABLE,
  SHR_VERDICT_CHECK,
  SHR_VERDICT_APPLICABLE,
} ShrVerdict;

typedef enum
{
  SHR_GRADE_NONE,
  SHR_GRADE_C,
  SHR_GRADE_B,
  SHR_GRADE_A,
} ShrGrade;

typedef enum
{
  SHR_CRITERION_PRODUCT,
  SHR_CRITERION_SECTOR,
  SHR_CRITERION_REGION,
} ShrCriterionKind;

typedef struct
{
  ShrCriterionKind kind;
  gchar *subject;      /* product display name, sector key or region code */
  gchar *text_ja;      /* 自社で『Microsoft Exchange Server』を運用している */
  gchar *text_en;      /* We run Microsoft Exchange Server */
  ShrTristate matched; /* UNKNOWN: a product is run, its version unknown */
  GPtrArray *assets;   /* (element-type utf8) names of the assets concerned */
  gboolean versioned;  /* a product row that names the affected versions */
} ShrCriterion;

typedef struct
{
  ShrVerdict verdict;
  ShrGrade grade;
  gchar *deadline; /* YYYY-MM-DD, NULL when not applicable */
  /* The criteria, each sufficient alone: any row that holds (✓) makes the
   * verdict at least check; none holding is not applicable. */
  GPtrArray *checklist; /* (element-type ShrCriterion) */
  /* What the advisory names that cannot raise the verdict alone (a region
   * without a sector): shown as context, never as a criterion. */
  GPtrArray *context;    /* (element-type ShrCriterion) */
  GPtrArray *owners;     /* (element-type utf8) of the assets concerned */
  GPtrArray *reasons_ja; /* (element-type utf8) */
  GPtrArray *reasons_en; /* (element-type utf8) same order as _ja */
} ShrMatch;

/* (transfer full) Never NULL. @now is the time of the decision (its date
 * in the profile's time zone starts the deadline). @vocab may be NULL
 * (then products match by their written names only). */
ShrMatch *shr_match_record (const ShrProfile *profile, const ShrVocabulary *vocab, const ShrRecord *record,
                            GDateTime *now);

void shr_match_free (ShrMatch *match);

const gchar *shr_verdict_to_string (ShrVerdict verdict); /* applicable|check|not_applicable */
const gchar *shr_verdict_label_ja (ShrVerdict verdict);  /* 該当|要確認|静観 */
const gchar *shr_grade_to_string (ShrGrade grade);       /* A|B|C|none */
const gchar *shr_grade_priority_ja (ShrGrade grade);     /* 緊急|高|中|静観 */
const gchar *shr_grade_priority_en (ShrGrade grade);     /* Critical|High|Medium|No action */
const gchar *shr_grade_deadline_ja (ShrGrade grade);     /* 即日|今週中|今月中, NULL */
const gchar *shr_grade_deadline_en (ShrGrade grade);

/* The "schema" of the match JSON (doc/json.md): changes only when a
 * field is removed or changes meaning. */
#define SHR_MATCH_SCHEMA "shirase.match/1"

/* (transfer full) The match JSON (doc/json.md): {"schema", "record",
 * "verdict", "grade", "priority", "deadline", "checklist", "owners",
 * "reasons", "reasons_ja"}. */
JsonNode *shr_match_to_json (const ShrMatch *match, const ShrRecord *record);

/* (transfer full) A short readable summary, Japanese then English. */
gchar *shr_match_summary (const ShrMatch *match, const ShrRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrMatch, shr_match_free)

G_END_DECLS
