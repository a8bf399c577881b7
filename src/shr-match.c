/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-match.c — verdict, grade, deadline and checklist for one record. */
#include "config.h"

#include "shr-match.h"

#include "shr-builds.h"

#include <string.h>

#include "shr-version.h"

static void
criterion_free (gpointer data)
{
  ShrCriterion *c = data;
  g_free (c->subject);
  g_free (c->text_ja);
  g_free (c->text_en);
  g_ptr_array_unref (c->assets);
  g_free (c);
}

static ShrCriterion *
criterion_new (ShrCriterionKind kind, const gchar *subject)
{
  ShrCriterion *c = g_new0 (ShrCriterion, 1);
  c->kind = kind;
  c->subject = g_strdup (subject);
  c->matched = SHR_TRISTATE_FALSE;
  c->assets = g_ptr_array_new_with_free_func (g_free);
  return c;
}

void
shr_match_free (ShrMatch *m)
{
  if (m == NULL)
    return;
  g_free (m->deadline);
  g_ptr_array_unref (m->checklist);
  g_ptr_array_unref (m->owners);
  g_ptr_array_unref (m->reasons_ja);
  g_ptr_array_unref (m->reasons_en);
  g_free (m);
}

static void G_GNUC_PRINTF (3, 4) reason (ShrMatch *m, const gchar *ja, const gchar *en_format, ...)
{
  va_list ap;
  va_start (ap, en_format);
  g_ptr_array_add (m->reasons_en, g_strdup_vprintf (en_format, ap));
  va_end (ap);
  g_ptr_array_add (m->reasons_ja, g_strdup (ja));
}

/* "Microsoft Exchange Server": the vendor in front unless the product
 * name already starts with it ("OpenSSL", "Apache Tomcat"). */
static gchar *
display_name (const gchar *vendor, const gchar *product)
{
  if (vendor == NULL || *vendor == '\0' || g_ascii_strncasecmp (product, vendor, strlen (vendor)) == 0)
    return g_strdup (product);
  return g_strdup_printf ("%s %s", vendor, product);
}

static gchar *
join (const GPtrArray *a, const gchar *sep)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < a->len; i++)
    {
      if (i > 0)
        g_string_append (s, sep);
      g_string_append (s, a->pdata[i]);
    }
  return g_string_free (s, FALSE);
}

/* What the advisory says about versions, for the row and the reasons. */
static void
version_words (const ShrProduct *p, gchar **ja, gchar **en)
{
  if (p->affected != NULL && p->affected->len > 0)
    {
      *en = join (p->affected, ", ");
      *ja = g_strdup (*en);
    }
  else if (p->fixed != NULL && p->fixed->len > 0)
    {
      g_autofree gchar *list = join (p->fixed, ", ");
      *en = g_strdup_printf ("fixed in %s", list);
      *ja = g_strdup_printf ("修正版: %s", list);
    }
  else
    *ja = *en = NULL;
}

/* Whether @a's version is affected by what the advisory says of @p. */
static ShrTristate
asset_affected (const ShrAsset *a, const ShrProduct *p)
{
  gboolean has_affected = p->affected != NULL && p->affected->len > 0;
  gboolean has_fixed = p->fixed != NULL && p->fixed->len > 0;
  if (!has_affected && !has_fixed)
    return SHR_TRISTATE_TRUE;
  if (a->version == NULL)
    return SHR_TRISTATE_UNKNOWN;

  ShrTristate result = SHR_TRISTATE_UNKNOWN;
  if (has_affected)
    {
      gboolean any_false = FALSE;
      for (guint i = 0; i < p->affected->len; i++)
        {
          g_autoptr (ShrRange) r = shr_range_parse (p->affected->pdata[i], NULL);
          if (r == NULL)
            continue;
          ShrTristate t = shr_range_contains (r, a->scheme, a->version);
          if (t == SHR_TRISTATE_TRUE)
            return SHR_TRISTATE_TRUE;
          any_false |= t == SHR_TRISTATE_FALSE;
        }
      if (any_false)
        result = SHR_TRISTATE_FALSE;
    }
  /* The fixed versions decide when the affected phrases could not; fixes
   * written as release names ("2019 CU15 SU3") are placed by their builds. */
  if (result == SHR_TRISTATE_UNKNOWN && has_fixed)
    {
      const ShrBuilds *builds = shr_builds_get_default ();
      if (a->scheme == SHR_VERSION_SCHEME_GENERIC && shr_builds_names_release (builds, p->product, p->fixed))
        result = shr_builds_affected (builds, p->product, p->fixed, a->version);
      else
        result = shr_version_affected_by_fixed (p->fixed, a->scheme, a->version);
    }
  return result;
}

static void
add_owners (ShrMatch *m, const ShrAsset *a)
{
  for (guint i = 0; i < a->owners->len; i++)
    shr_strv_add_unique (m->owners, a->owners->pdata[i]);
}

static ShrTristate
match_product (ShrMatch *m, const ShrProfile *profile, const ShrVocabulary *vocab, const ShrProduct *p)
{
  const gchar *vendor = p->vendor, *product = p->product;
  const ShrProductEntry *e = shr_vocabulary_find_named (vocab, vendor, product);
  g_autofree gchar *name = e != NULL ? display_name (e->vendor, e->product) : display_name (vendor, product);

  ShrCriterion *c = criterion_new (SHR_CRITERION_PRODUCT, name);
  g_autofree gchar *vja = NULL, *ven = NULL;
  version_words (p, &vja, &ven);
  if (ven == NULL)
    {
      c->text_ja = g_strdup_printf ("自社で『%s』を運用している", name);
      c->text_en = g_strdup_printf ("We run %s", name);
    }
  else
    {
      c->text_ja = g_strdup_printf ("自社で『%s』の影響を受けるバージョン（%s）を運用している", name, vja);
      c->text_en = g_strdup_printf ("We run an affected version of %s (%s)", name, ven);
    }
  g_ptr_array_add (m->checklist, c);

  g_autoptr (GPtrArray) assets = shr_profile_find_assets (profile, vocab, vendor, product);
  gboolean any_true = FALSE, any_unknown = FALSE;
  g_autoptr (GPtrArray) st = g_ptr_array_new ();
  for (guint i = 0; i < assets->len; i++)
    {
      const ShrAsset *a = assets->pdata[i];
      ShrTristate t = asset_affected (a, p);
      g_ptr_array_add (st, GINT_TO_POINTER (t));
      any_true |= t == SHR_TRISTATE_TRUE;
      any_unknown |= t == SHR_TRISTATE_UNKNOWN;

      g_autofree gchar *ja = NULL;
      if (t == SHR_TRISTATE_TRUE && ven == NULL)
        {
          ja = g_strdup_printf ("%s: 『%s』を運用しており、勧告は影響バージョンを限定していない", a->name,
                                name);
          reason (m, ja, "%s: runs %s and the advisory does not limit the affected versions", a->name, name);
        }
      else if (t == SHR_TRISTATE_TRUE)
        {
          ja = g_strdup_printf ("%s: 『%s』%s は影響を受ける（%s）", a->name, name, a->version, vja);
          reason (m, ja, "%s: %s %s is affected (%s)", a->name, name, a->version, ven);
        }
      else if (t == SHR_TRISTATE_FALSE)
        {
          ja = g_strdup_printf ("%s: 『%s』%s は影響を受けない（%s）", a->name, name, a->version, vja);
          reason (m, ja, "%s: %s %s is not affected (%s)", a->name, name, a->version, ven);
        }
      else if (a->version == NULL)
        {
          ja = g_strdup_printf ("%s: 『%s』のバージョンが不明のため要確認（%s）", a->name, name, vja);
          reason (m, ja, "%s: the version of %s is unknown; check whether it is affected (%s)", a->name, name,
                  ven);
        }
      else
        {
          ja = g_strdup_printf ("%s: 『%s』%s を勧告の表記（%s）と比較できないため要確認", a->name, name,
                                a->version, vja);
          reason (m, ja, "%s: %s %s cannot be compared with \"%s\"; check it", a->name, name, a->version,
                  ven);
        }
    }

  ShrTristate want = any_true ? SHR_TRISTATE_TRUE : any_unknown ? SHR_TRISTATE_UNKNOWN : SHR_TRISTATE_FALSE;
  c->matched = want;
  for (guint i = 0; i < assets->len; i++)
    {
      const ShrAsset *a = assets->pdata[i];
      ShrTristate t = GPOINTER_TO_INT (st->pdata[i]);
      if (t == want)
        g_ptr_array_add (c->assets, g_strdup (a->name));
      if (t != SHR_TRISTATE_FALSE)
        add_owners (m, a);
    }
  return want;
}

static gboolean
match_label (ShrMatch *m, const ShrProfile *profile, const ShrVocabulary *vocab, ShrCriterionKind kind,
             const gchar *key)
{
  const ShrLabelEntry *e = kind == SHR_CRITERION_SECTOR ? shr_vocabulary_find_sector (vocab, key)
                                                        : shr_vocabulary_find_region (vocab, key);
  const gchar *ja = e != NULL ? e->label_ja : key;
  const gchar *en = e != NULL ? e->label_en : key;
  ShrCriterion *c = criterion_new (kind, key);
  gboolean hit;
  if (kind == SHR_CRITERION_SECTOR)
    {
      c->text_ja = g_strdup_printf ("自社が『%s』業界に関連する事業を行っている", ja);
      c->text_en = g_strdup_printf ("We operate in the %s sector", en);
      hit = shr_profile_has_sector (profile, key);
      if (hit)
        {
          g_autofree gchar *r = g_strdup_printf ("標的とされた『%s』業界は自社の業界", ja);
          reason (m, r, "The advisory names the %s sector as a target, which is ours", en);
        }
    }
  else
    {
      c->text_ja = g_strdup_printf ("自社が『%s』で事業を行っている", ja);
      c->text_en = g_strdup_printf ("We operate in %s", en);
      hit = shr_profile_has_region (profile, key);
      if (hit)
        {
          g_autofree gchar *r = g_strdup_printf ("標的とされた地域『%s』で自社が事業を行っている", ja);
          reason (m, r, "The advisory names %s as a target region, where we operate", en);
        }
    }
  c->matched = hit ? SHR_TRISTATE_TRUE : SHR_TRISTATE_FALSE;
  g_ptr_array_add (m->checklist, c);
  return hit;
}

static ShrGrade
grade_for (const ShrProfile *profile, const ShrRecord *r, ShrVerdict v)
{
  gboolean exploited = r->exploited == SHR_TRISTATE_TRUE || r->kev;
  gboolean cvss_a = r->cvss_max >= 0 && r->cvss_max >= profile->policy.grade_a_cvss;
  gboolean cvss_b = r->cvss_max >= 0 && r->cvss_max >= profile->policy.grade_b_cvss;
  gboolean severe = shr_severity_rank (r->severity) >= shr_severity_rank ("high");
  switch (v)
    {
    case SHR_VERDICT_APPLICABLE:
      if (exploited || cvss_a)
        return SHR_GRADE_A;
      if (cvss_b || severe)
        return SHR_GRADE_B;
      return SHR_GRADE_C;
    case SHR_VERDICT_CHECK:
      return exploited ? SHR_GRADE_B : SHR_GRADE_C;
    case SHR_VERDICT_NOT_APPLICABLE:
    default:
      return SHR_GRADE_NONE;
    }
}

static void
grade_reason (ShrMatch *m, const ShrProfile *profile, const ShrRecord *r)
{
  gboolean exploited = r->exploited == SHR_TRISTATE_TRUE;
  g_autofree gchar *ja = NULL;
  switch (m->grade)
    {
    case SHR_GRADE_A:
      if (exploited || r->kev)
        reason (m, r->kev ? "A: 該当し、KEV に掲載（悪用確認済み）" : "A: 該当し、悪用が確認されている",
                r->kev ? "Grade A: applicable and listed in CISA KEV (exploited)"
                       : "Grade A: applicable and exploited");
      else
        {
          ja = g_strdup_printf ("A: 該当し、CVSS %.1f（%.1f 以上）", r->cvss_max,
                                profile->policy.grade_a_cvss);
          reason (m, ja, "Grade A: applicable and CVSS %.1f (at least %.1f)", r->cvss_max,
                  profile->policy.grade_a_cvss);
        }
      break;
    case SHR_GRADE_B:
      if (m->verdict == SHR_VERDICT_CHECK)
        reason (m, "B: 要確認で、悪用が確認されている", "Grade B: to check, and exploited");
      else if (r->cvss_max >= profile->policy.grade_b_cvss)
        {
          ja = g_strdup_printf ("B: 該当し、CVSS %.1f（%.1f 以上）", r->cvss_max,
                                profile->policy.grade_b_cvss);
          reason (m, ja, "Grade B: applicable and CVSS %.1f (at least %.1f)", r->cvss_max,
                  profile->policy.grade_b_cvss);
        }
      else
        {
          ja = g_strdup_printf ("B: 該当し、深刻度 %s", r->severity);
          reason (m, ja, "Grade B: applicable and severity %s", r->severity);
        }
      break;
    case SHR_GRADE_C:
      reason (m, "C: 該当または要確認で、悪用・高い深刻度の記載なし",
              "Grade C: applicable or to check, with no exploitation or high severity stated");
      break;
    case SHR_GRADE_NONE:
    default:
      break;
    }
}

ShrMatch *
shr_match_record (const ShrProfile *profile, const ShrVocabulary *vocab, const ShrRecord *record,
                  GDateTime *now)
{
  g_return_val_if_fail (profile != NULL && record != NULL && now != NULL, NULL);
  ShrMatch *m = g_new0 (ShrMatch, 1);
  m->checklist = g_ptr_array_new_with_free_func (criterion_free);
  m->owners = g_ptr_array_new_with_free_func (g_free);
  m->reasons_ja = g_ptr_array_new_with_free_func (g_free);
  m->reasons_en = g_ptr_array_new_with_free_func (g_free);

  gboolean any_true = FALSE, any_unknown = FALSE;
  for (guint i = 0; i < record->products->len; i++)
    {
      const ShrProduct *p = record->products->pdata[i];
      if (p->product == NULL || *p->product == '\0')
        continue;
      ShrTristate t = match_product (m, profile, vocab, p);
      any_true |= t == SHR_TRISTATE_TRUE;
      any_unknown |= t == SHR_TRISTATE_UNKNOWN;
    }

  gboolean sector_hit = FALSE, region_hit = FALSE;
  for (guint i = 0; i < record->sectors->len; i++)
    sector_hit |= match_label (m, profile, vocab, SHR_CRITERION_SECTOR, record->sectors->pdata[i]);
  for (guint i = 0; i < record->regions->len; i++)
    region_hit |= match_label (m, profile, vocab, SHR_CRITERION_REGION, record->regions->pdata[i]);
  gboolean names_targets = record->sectors->len > 0 || record->regions->len > 0;
  gboolean targeted = names_targets && (record->sectors->len == 0 || sector_hit)
                      && (record->regions->len == 0 || region_hit);

  if (any_true)
    m->verdict = SHR_VERDICT_APPLICABLE;
  else if (any_unknown || targeted)
    m->verdict = SHR_VERDICT_CHECK;
  else
    m->verdict = SHR_VERDICT_NOT_APPLICABLE;

  if (m->verdict == SHR_VERDICT_CHECK && !any_unknown)
    reason (m, "該当製品はないが、自社の業界・地域が標的とされている",
            "No product of ours is named, but our sector/region is a stated target");
  if (m->verdict == SHR_VERDICT_NOT_APPLICABLE)
    {
      if (m->checklist->len == 0)
        reason (m, "勧告は製品・業界・地域を挙げていない", "The advisory names no product, sector or region");
      else
        reason (m, "勧告が挙げる製品・業界・地域のいずれにも該当しない",
                "None of the products, sectors or regions the advisory names concerns us");
    }

  m->grade = grade_for (profile, record, m->verdict);
  grade_reason (m, profile, record);
  if (m->grade != SHR_GRADE_NONE)
    {
      gint days = profile->policy.deadline_days[SHR_GRADE_A - m->grade];
      g_autoptr (GDateTime) local = g_date_time_to_timezone (now, profile->timezone);
      g_autoptr (GDateTime) due = g_date_time_add_days (local, days);
      m->deadline = g_date_time_format (due, "%Y-%m-%d");
    }
  return m;
}

/* ---- words ------------------------------------------------------------- */

const gchar *
shr_verdict_to_string (ShrVerdict v)
{
  static const gchar *const w[] = { "not_applicable", "check", "applicable" };
  return (guint)v < G_N_ELEMENTS (w) ? w[v] : "not_applicable";
}

const gchar *
shr_verdict_label_ja (ShrVerdict v)
{
  static const gchar *const w[] = { "静観", "要確認", "該当" };
  return (guint)v < G_N_ELEMENTS (w) ? w[v] : "静観";
}

const gchar *
shr_grade_to_string (ShrGrade g)
{
  static const gchar *const w[] = { "none", "C", "B", "A" };
  return (guint)g < G_N_ELEMENTS (w) ? w[g] : "none";
}

const gchar *
shr_grade_priority_ja (ShrGrade g)
{
  static const gchar *const w[] = { "静観", "中", "高", "緊急" };
  return (guint)g < G_N_ELEMENTS (w) ? w[g] : "静観";
}

const gchar *
shr_grade_priority_en (ShrGrade g)
{
  static const gchar *const w[] = { "No action", "Medium", "High", "Critical" };
  return (guint)g < G_N_ELEMENTS (w) ? w[g] : "No action";
}

const gchar *
shr_grade_deadline_ja (ShrGrade g)
{
  static const gchar *const w[] = { NULL, "今月中", "今週中", "即日" };
  return (guint)g < G_N_ELEMENTS (w) ? w[g] : NULL;
}

const gchar *
shr_grade_deadline_en (ShrGrade g)
{
  static const gchar *const w[] = { NULL, "within 30 days", "within 7 days", "same day" };
  return (guint)g < G_N_ELEMENTS (w) ? w[g] : NULL;
}

/* ---- output ------------------------------------------------------------ */

static void
add_strings (JsonBuilder *b, const gchar *name, const GPtrArray *a)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < a->len; i++)
    json_builder_add_string_value (b, a->pdata[i]);
  json_builder_end_array (b);
}

static const gchar *
criterion_kind (ShrCriterionKind k)
{
  return k == SHR_CRITERION_PRODUCT ? "product" : k == SHR_CRITERION_SECTOR ? "sector" : "region";
}

JsonNode *
shr_match_to_json (const ShrMatch *m, const ShrRecord *record)
{
  g_return_val_if_fail (m != NULL && record != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_string_value (b, SHR_MATCH_SCHEMA);
  json_builder_set_member_name (b, "record");
  json_builder_add_value (b, shr_record_to_json (record));
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, shr_verdict_to_string (m->verdict));
  json_builder_set_member_name (b, "grade");
  json_builder_add_string_value (b, shr_grade_to_string (m->grade));
  json_builder_set_member_name (b, "priority");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "label_ja");
  json_builder_add_string_value (b, shr_grade_priority_ja (m->grade));
  json_builder_set_member_name (b, "label_en");
  json_builder_add_string_value (b, shr_grade_priority_en (m->grade));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "deadline");
  if (m->deadline == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, m->deadline);
      json_builder_set_member_name (b, "label_ja");
      json_builder_add_string_value (b, shr_grade_deadline_ja (m->grade));
      json_builder_set_member_name (b, "label_en");
      json_builder_add_string_value (b, shr_grade_deadline_en (m->grade));
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "checklist");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->checklist->len; i++)
    {
      const ShrCriterion *c = m->checklist->pdata[i];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, criterion_kind (c->kind));
      json_builder_set_member_name (b, "text_ja");
      json_builder_add_string_value (b, c->text_ja);
      json_builder_set_member_name (b, "text_en");
      json_builder_add_string_value (b, c->text_en);
      /* null: a product we run whose version could not be decided. */
      json_builder_set_member_name (b, "matched");
      if (c->matched == SHR_TRISTATE_UNKNOWN)
        json_builder_add_null_value (b);
      else
        json_builder_add_boolean_value (b, c->matched == SHR_TRISTATE_TRUE);
      json_builder_set_member_name (b, "asset");
      if (c->assets->len > 0)
        json_builder_add_string_value (b, c->assets->pdata[0]);
      else
        json_builder_add_null_value (b);
      add_strings (b, "assets", c->assets);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_strings (b, "owners", m->owners);
  add_strings (b, "reasons", m->reasons_en);
  add_strings (b, "reasons_ja", m->reasons_ja);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gchar *
shr_match_summary (const ShrMatch *m, const ShrRecord *record)
{
  g_return_val_if_fail (m != NULL && record != NULL, NULL);
  GString *s = g_string_new (NULL);
  const gchar *title = record->title != NULL ? record->title : "(無題 / untitled)";

  g_string_append_printf (s, "%s\n", title);
  if (m->grade != SHR_GRADE_NONE)
    g_string_append_printf (s, "判定: %s — 優先度 %s %s（%s、期限 %s）\n", shr_verdict_label_ja (m->verdict),
                            shr_grade_to_string (m->grade), shr_grade_deadline_ja (m->grade),
                            shr_grade_priority_ja (m->grade), m->deadline);
  else
    g_string_append (s, "判定: 静観\n");
  g_string_append (s, "該当判定:\n");
  for (guint i = 0; i < m->checklist->len; i++)
    {
      const ShrCriterion *c = m->checklist->pdata[i];
      const gchar *mark = c->matched == SHR_TRISTATE_TRUE    ? "✓"
                          : c->matched == SHR_TRISTATE_FALSE ? "✗"
                                                             : "?";
      g_string_append_printf (s, "  %s %s", mark, c->text_ja);
      if (c->assets->len > 0)
        g_string_append_printf (s, " [%s]", (gchar *)c->assets->pdata[0]);
      g_string_append_c (s, '\n');
    }
  if (m->verdict == SHR_VERDICT_NOT_APPLICABLE)
    g_string_append (s, "  上記いずれにも該当しない → 静観でOK\n");
  g_string_append (s, "理由:\n");
  for (guint i = 0; i < m->reasons_ja->len; i++)
    g_string_append_printf (s, "  - %s\n", (gchar *)m->reasons_ja->pdata[i]);
  if (m->owners->len > 0)
    {
      g_autofree gchar *o = join (m->owners, ", ");
      g_string_append_printf (s, "担当: %s\n", o);
    }

  g_string_append_c (s, '\n');
  if (m->grade != SHR_GRADE_NONE)
    g_string_append_printf (s, "Verdict: %s — priority %s, %s (%s, due %s)\n",
                            shr_verdict_to_string (m->verdict), shr_grade_to_string (m->grade),
                            shr_grade_deadline_en (m->grade), shr_grade_priority_en (m->grade), m->deadline);
  else
    g_string_append (s, "Verdict: not applicable — no action\n");
  g_string_append (s, "Applicability:\n");
  for (guint i = 0; i < m->checklist->len; i++)
    {
      const ShrCriterion *c = m->checklist->pdata[i];
      const gchar *mark = c->matched == SHR_TRISTATE_TRUE    ? "[x]"
                          : c->matched == SHR_TRISTATE_FALSE ? "[ ]"
                                                             : "[?]";
      g_string_append_printf (s, "  %s %s", mark, c->text_en);
      if (c->assets->len > 0)
        g_string_append_printf (s, " (%s)", (gchar *)c->assets->pdata[0]);
      g_string_append_c (s, '\n');
    }
  if (m->verdict == SHR_VERDICT_NOT_APPLICABLE)
    g_string_append (s, "  None of the above applies → no action needed\n");
  g_string_append (s, "Reasons:\n");
  for (guint i = 0; i < m->reasons_en->len; i++)
    g_string_append_printf (s, "  - %s\n", (gchar *)m->reasons_en->pdata[i]);
  if (m->owners->len > 0)
    {
      g_autofree gchar *o = join (m->owners, ", ");
      g_string_append_printf (s, "Owners: %s\n", o);
    }
  return g_string_free (s, FALSE);
}
