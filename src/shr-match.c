/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-match.c — verdict, grade, deadline and checklist for one record. */
#include "config.h"

#include "shr-match.h"

#include <string.h>

#include "shr-family.h"
#include "shr-scope.h"
#include "shr-version-words.h"
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
  g_ptr_array_unref (m->context);
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

/* A reason whose Japanese names the organisation as it calls itself. */
static void
reason_self (ShrMatch *m, const ShrProfile *profile, const gchar *ja_after_self, const gchar *en)
{
  g_autofree gchar *ja = g_strconcat (profile->self_ja, ja_after_self, NULL);
  g_ptr_array_add (m->reasons_ja, g_steal_pointer (&ja));
  g_ptr_array_add (m->reasons_en, g_strdup (en));
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

static void
add_owners (ShrMatch *m, const ShrAsset *a)
{
  for (guint i = 0; i < a->owners->len; i++)
    shr_strv_add_unique (m->owners, a->owners->pdata[i]);
}

/* ---- which assets run an advisory's product -------------------------------- */

typedef struct
{
  const ShrAsset *asset;
  ShrConcerns how;
} Candidate;

static void
add_candidate (GArray *out, const ShrAsset *a, ShrConcerns how)
{
  for (guint i = 0; i < out->len; i++)
    {
      Candidate *c = &g_array_index (out, Candidate, i);
      if (c->asset == a)
        {
          /* The closest relation wins: the same product over a family. */
          if (how == SHR_CONCERNS_SAME)
            c->how = how;
          return;
        }
    }
  Candidate c = { a, how };
  g_array_append_val (out, c);
}

/* What one match looks up again and again, each answer kept for the rest
 * of the match: every product of a record is compared with every other
 * (siblings_of, names_family_itself) and with the assets, and a family
 * lookup normalises and rewrites the name (about 12,000 instructions). */
typedef struct
{
  const ShrVocabulary *vocab;
  const ShrRecord *record;
  GHashTable *families; /* name_key () → ShrFamilyMember*, or &no_family */
  GHashTable *flaws;    /* feature → GINT_TO_POINTER (1 + flaw_is_in) */
} Lookups;

static const ShrFamilyMember no_family;

static void
lookups_init (Lookups *l, const ShrVocabulary *vocab, const ShrRecord *record)
{
  l->vocab = vocab;
  l->record = record;
  l->families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  l->flaws = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
lookups_clear (Lookups *l)
{
  g_hash_table_unref (l->families);
  g_hash_table_unref (l->flaws);
}

/* One key per (vendor, product), a NULL vendor apart from an empty one. */
static gchar *
name_key (const gchar *vendor, const gchar *product)
{
  if (vendor == NULL)
    return g_strconcat ("-", product, NULL);
  return g_strdup_printf ("%zu:%s%s", strlen (vendor), vendor, product);
}

static const ShrFamilyMember *
family_lookup (const ShrVocabulary *vocab, const gchar *vendor, const gchar *product)
{
  const ShrFamilies *families = shr_families_get_default ();
  const ShrFamilyMember *m = shr_families_find (families, vendor, product);
  if (m == NULL)
    {
      const ShrProductEntry *e = shr_vocabulary_find_named (vocab, vendor, product);
      if (e != NULL)
        m = shr_families_find (families, e->vendor, e->product);
    }
  return m;
}

static const ShrFamilyMember *
family_of (Lookups *l, const gchar *vendor, const gchar *product)
{
  if (product == NULL)
    return family_lookup (l->vocab, vendor, product);
  gchar *key = name_key (vendor, product);
  const ShrFamilyMember *m = g_hash_table_lookup (l->families, key);
  if (m == NULL)
    {
      m = family_lookup (l->vocab, vendor, product);
      g_hash_table_insert (l->families, key, (gpointer)(m != NULL ? m : &no_family));
    }
  else
    g_free (key);
  return m == &no_family ? NULL : m;
}

/* Whether the advisory says its flaw is in @feature: the title names it, or
 * the summary says "a vulnerability in the GlobalProtect feature", "a flaw
 * impacting its PAN-OS software used in its GlobalProtect gateways". */
static gboolean
flaw_named_in (const ShrRecord *record, const gchar *feature)
{
  if (record->title != NULL && strcasestr (record->title, feature) != NULL)
    return TRUE;
  if (record->summary == NULL || strcasestr (record->summary, feature) == NULL)
    return FALSE;
  g_autofree gchar *name = g_regex_escape_string (feature, -1);
  g_autofree gchar *pattern
      = g_strdup_printf ("(?i)\\b(?:vulnerabilit(?:y|ies)|flaws?|bugs?|weakness(?:es)?|issues?)"
                         "\\s+(?:[^.\\s]+\\s+){0,3}?(?:in|impacting|affecting|of)\\s+"
                         "(?:[^.\\s]+\\s+){0,8}?%s\\b",
                         name);
  g_autoptr (GRegex) re = g_regex_new (pattern, 0, 0, NULL);
  return re != NULL && g_regex_match (re, record->summary, 0, NULL);
}

/* flaw_named_in () of the match's record, once per feature: the pattern is
 * compiled for the feature's name. */
static gboolean
flaw_is_in (Lookups *l, const gchar *feature)
{
  gpointer known = g_hash_table_lookup (l->flaws, feature);
  if (known != NULL)
    return GPOINTER_TO_INT (known) - 1;
  gboolean in = flaw_named_in (l->record, feature);
  g_hash_table_insert (l->flaws, g_strdup (feature), GINT_TO_POINTER (1 + in));
  return in;
}

/* Whether the record names a product of @pm's family other than a
 * feature (Windows itself, beside "Windows Defender"). */
static gboolean
names_family_itself (Lookups *l, const ShrRecord *record, const ShrFamilyMember *pm)
{
  for (guint i = 0; i < record->products->len; i++)
    {
      const ShrProduct *o = record->products->pdata[i];
      const ShrFamilyMember *om = family_of (l, o->vendor, o->product);
      if (om != NULL && om != pm && om->relation != SHR_FAMILY_FEATURE
          && strcmp (om->family, pm->family) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The assets an advisory's product concerns, and how: by name (and the
 * lexicon's aliases), through the product's family (editions, appliances,
 * former names, features, packages), and, for a product no list knows, by
 * its distinctive words. (transfer full) */
static GArray *
find_candidates (Lookups *l, const ShrProfile *profile, const ShrVocabulary *vocab, const ShrRecord *record,
                 const ShrProduct *p)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Candidate));
  /* "Cisco devices": any of the vendor's products may be meant. */
  if (p->vendor != NULL && shr_family_is_equipment_kind (p->product))
    {
      g_autofree gchar *vendor = shr_vocab_normalize (p->vendor);
      for (guint i = 0; *vendor != '\0' && i < profile->assets->len; i++)
        {
          const ShrAsset *a = profile->assets->pdata[i];
          g_autofree gchar *own = a->vendor != NULL ? shr_vocab_normalize (a->vendor) : NULL;
          if (own != NULL && *own != '\0' && (strstr (own, vendor) != NULL || strstr (vendor, own) != NULL))
            add_candidate (out, a, SHR_CONCERNS_VENDOR);
        }
      return out;
    }
  const ShrFamilyMember *pm = family_of (l, p->vendor, p->product);
  g_autoptr (GPtrArray) named = shr_profile_find_assets (profile, vocab, p->vendor, p->product);
  for (guint i = 0; i < named->len; i++)
    {
      const ShrAsset *a = named->pdata[i];
      /* A name the asset shares with an edition the advisory does not
       * name is checked through the family below. */
      const ShrFamilyMember *am = pm != NULL ? family_of (l, a->vendor, a->product) : NULL;
      ShrConcerns how = am != NULL ? shr_families_relate (pm, am) : SHR_CONCERNS_SAME;
      if (how != SHR_CONCERNS_NO)
        add_candidate (out, a, how == SHR_CONCERNS_COVERS && am == pm ? SHR_CONCERNS_SAME : how);
    }
  /* A feature named in an article but not in its title ("moved laterally
   * over RDP") is context; an advisory about the feature names it up front. */
  gboolean feature_in_passing
      = pm != NULL && pm->relation == SHR_FAMILY_FEATURE && !flaw_is_in (l, p->product)
        && (g_strcmp0 (record->source_kind, "news") == 0 || names_family_itself (l, record, pm));
  if (pm != NULL && !feature_in_passing)
    {
      const GPtrArray *family = shr_profile_family_assets (profile, pm->family);
      for (guint i = 0; family != NULL && i < family->len; i++)
        {
          const ShrAsset *a = family->pdata[i];
          const ShrFamilyMember *am = family_of (l, a->vendor, a->product);
          ShrConcerns how = shr_families_relate (pm, am);
          if (how != SHR_CONCERNS_NO)
            add_candidate (out, a, how);
        }
    }
  if (out->len == 0 && shr_vocabulary_find_named (vocab, p->vendor, p->product) == NULL)
    {
      g_autoptr (GPtrArray) words = shr_profile_word_assets (profile, p->vendor, p->product);
      for (guint i = 0; i < words->len; i++)
        add_candidate (out, words->pdata[i], SHR_CONCERNS_SAME);
    }
  return out;
}

/* ---- products --------------------------------------------------------------- */

/* What the advisory says about versions, for the row. */
static void
version_words (const ShrProduct *p, gchar **ja, gchar **en)
{
  if (p->affected != NULL && p->affected->len > 0)
    {
      gboolean all_known = FALSE;
      g_autoptr (GPtrArray) words = shr_version_words_affected (p, &all_known, NULL);
      *en = shr_version_words_join (words, FALSE, ", ");
      *ja = shr_version_words_join (words, TRUE, "、");
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

static gboolean
says_versions (const ShrProduct *p)
{
  return p->ranges->len > 0 || p->affected->len > 0 || p->fixed->len > 0;
}

/* What the record's other products say of this one's family: whether one
 * of them is the same product with versions (then this one, named without
 * versions, adds nothing: "FortiGate" beside "FortiOS 7.0.0 through
 * 7.0.16"), and which feature of it is named ("GlobalProtect" beside
 * "PAN-OS": the flaw is in the feature). */
typedef struct
{
  gboolean sibling_has_versions;
  const gchar *feature; /* borrowed, or NULL */
} Siblings;

static Siblings
siblings_of (Lookups *l, const ShrRecord *record, const ShrProduct *p)
{
  Siblings s = { FALSE, NULL };
  const ShrFamilyMember *pm = family_of (l, p->vendor, p->product);
  if (pm == NULL)
    return s;
  for (guint i = 0; i < record->products->len; i++)
    {
      const ShrProduct *o = record->products->pdata[i];
      if (o == p)
        continue;
      const ShrFamilyMember *om = family_of (l, o->vendor, o->product);
      if (om == NULL || strcmp (om->family, pm->family) != 0)
        continue;
      /* The flaw is in a feature the title names ("GlobalProtect" in
       * "PAN-OS: … in GlobalProtect"); one named in the body beside the
       * product is context ("customers using Windows Defender"). */
      if (om->relation == SHR_FAMILY_FEATURE && pm->relation != SHR_FAMILY_FEATURE)
        {
          if (flaw_is_in (l, o->product))
            s.feature = o->product;
        }
      else if (shr_families_relate (om, pm) == SHR_CONCERNS_SAME && says_versions (o))
        s.sibling_has_versions = TRUE;
    }
  return s;
}

static ShrTristate
match_product (Lookups *l, ShrMatch *m, const ShrProfile *profile, const ShrVocabulary *vocab,
               const ShrRecord *record, const ShrProduct *p, gboolean *internet)
{
  Siblings sib = siblings_of (l, record, p);
  if (sib.sibling_has_versions && !says_versions (p))
    return SHR_TRISTATE_FALSE;
  /* A record made elsewhere than by extraction may give versions only as
   * words: read them into ranges here. */
  g_autoptr (ShrProduct) derived = NULL;
  if (p->ranges->len == 0 && says_versions (p))
    {
      derived = shr_product_copy (p);
      shr_product_derive_ranges (derived);
      p = derived;
    }
  const ShrProductEntry *e = shr_vocabulary_find_named (vocab, p->vendor, p->product);
  const gchar *vendor = e != NULL ? e->vendor : p->vendor, *product = e != NULL ? e->product : p->product;
  g_autofree gchar *name = shr_product_display_name (vendor, product, FALSE);
  g_autofree gchar *name_en = shr_product_display_name (vendor, product, TRUE);
  ShrCriterion *c = criterion_new (SHR_CRITERION_PRODUCT, name);
  g_autofree gchar *vja = NULL, *ven = NULL;
  version_words (p, &vja, &ven);
  if (ven == NULL)
    {
      c->text_ja = g_strdup_printf ("%sで『%s』を運用している", profile->self_ja, name);
      c->text_en = g_strdup_printf ("We run %s", name_en);
    }
  else
    {
      c->versioned = TRUE;
      c->text_ja = g_strdup_printf ("%sで『%s』の影響を受けるバージョン（%s）を運用している",
                                    profile->self_ja, name, vja);
      c->text_en = g_strdup_printf ("We run an affected version of %s (%s)", name_en, ven);
    }
  g_ptr_array_add (m->checklist, c);

  g_autoptr (GArray) candidates = find_candidates (l, profile, vocab, record, p);
  gboolean any_true = FALSE, any_unknown = FALSE;
  g_autoptr (GArray) states = g_array_new (FALSE, FALSE, sizeof (ShrTristate));
  for (guint i = 0; i < candidates->len; i++)
    {
      const Candidate *cand = &g_array_index (candidates, Candidate, i);
      const ShrAsset *a = cand->asset;
      g_autofree gchar *why_en = NULL, *why_ja = NULL;
      gboolean unlimited = FALSE;
      ShrTristate t = shr_scope_decide (profile, a, p, record, &why_en, &why_ja, &unlimited);
      g_autofree gchar *cond_en = NULL, *cond_ja = NULL;
      /* Named without a flaw or a version (a round-up, an article that
       * mentions the product): which of its versions is concerned is
       * not said. A breach of a service is about the service itself. */
      if (t == SHR_TRISTATE_TRUE && unlimited && record->cves->len == 0
          && g_strcmp0 (record->category, "incident") != 0)
        {
          t = SHR_TRISTATE_UNKNOWN;
          g_free (why_en);
          g_free (why_ja);
          why_en = g_strdup ("the advisory names the product but no vulnerability or version of it");
          why_ja = g_strdup ("勧告は製品を挙げているが、脆弱性やバージョンを特定していない");
        }
      if (t == SHR_TRISTATE_TRUE && cand->how == SHR_CONCERNS_VENDOR)
        {
          t = SHR_TRISTATE_UNKNOWN;
          g_free (why_en);
          g_free (why_ja);
          why_en = g_strdup_printf ("the advisory names %s %s, not which product", p->vendor, p->product);
          why_ja
              = g_strdup_printf ("勧告は %s の%sとしか書いておらず、どの製品かは不明", p->vendor, p->product);
        }
      if (t == SHR_TRISTATE_TRUE && sib.feature != NULL && cand->how != SHR_CONCERNS_FEATURE)
        {
          cond_en = g_strdup_printf ("if it uses %s", sib.feature);
          cond_ja = g_strdup_printf ("『%s』を使っている場合", sib.feature);
        }
      /* A feature of the product, or a condition the text attaches: what
       * would make the asset affected is not known here. */
      if (cond_en != NULL)
        ;
      else if (t == SHR_TRISTATE_TRUE && cand->how == SHR_CONCERNS_FEATURE)
        {
          cond_en = g_strdup_printf ("if it uses %s, a feature of %s", p->product, a->product);
          cond_ja = g_strdup_printf ("『%s』の機能『%s』を使っている場合", a->product, p->product);
        }
      else if (t == SHR_TRISTATE_TRUE && p->conditions->len > 0)
        {
          g_autofree gchar *all = join (p->conditions, " / ");
          cond_en = g_strdup_printf ("only under the condition the advisory states (\"%s\")", all);
          cond_ja = g_strdup_printf ("勧告が示す条件（「%s」）に当てはまる場合", all);
        }
      if (cond_en != NULL)
        t = SHR_TRISTATE_UNKNOWN;
      g_array_append_val (states, t);
      any_true |= t == SHR_TRISTATE_TRUE;
      any_unknown |= t == SHR_TRISTATE_UNKNOWN;
      if (t != SHR_TRISTATE_FALSE && a->exposure == SHR_EXPOSURE_INTERNET)
        *internet = TRUE;

      g_autofree gchar *asset_name
          = shr_product_display_name (a->vendor, a->product ? a->product : name, FALSE);
      g_autofree gchar *asset_name_en
          = shr_product_display_name (a->vendor, a->product ? a->product : name, TRUE);
      g_autofree gchar *what
          = a->version != NULL ? g_strdup_printf ("%s %s", asset_name, a->version) : g_strdup (asset_name);
      g_autofree gchar *what_en = a->version != NULL ? g_strdup_printf ("%s %s", asset_name_en, a->version)
                                                     : g_strdup (asset_name_en);
      g_autofree gchar *ja = NULL;
      if (t == SHR_TRISTATE_TRUE)
        {
          ja = g_strdup_printf ("%s: 『%s』は影響を受ける（%s）", a->name, what, why_ja);
          reason (m, ja, "%s: %s is affected (%s)", a->name, what_en, why_en);
        }
      else if (t == SHR_TRISTATE_FALSE)
        {
          ja = g_strdup_printf ("%s: 『%s』は影響を受けない（%s）", a->name, what, why_ja);
          reason (m, ja, "%s: %s is not affected (%s)", a->name, what_en, why_en);
        }
      else if (cond_en != NULL)
        {
          ja = g_strdup_printf ("%s: 『%s』は%sに影響を受けるため要確認（%s）", a->name, what, cond_ja,
                                why_ja);
          reason (m, ja, "%s: %s is affected %s; check it (%s)", a->name, what_en, cond_en, why_en);
        }
      else
        {
          ja = g_strdup_printf ("%s: 『%s』は要確認（%s）", a->name, what, why_ja);
          reason (m, ja, "%s: check %s (%s)", a->name, what_en, why_en);
        }
    }

  ShrTristate want = any_true ? SHR_TRISTATE_TRUE : any_unknown ? SHR_TRISTATE_UNKNOWN : SHR_TRISTATE_FALSE;
  c->matched = want;
  for (guint i = 0; i < candidates->len; i++)
    {
      const ShrAsset *a = g_array_index (candidates, Candidate, i).asset;
      ShrTristate t = g_array_index (states, ShrTristate, i);
      if (t == want)
        g_ptr_array_add (c->assets, g_strdup (a->name));
      if (t != SHR_TRISTATE_FALSE)
        add_owners (m, a);
    }
  return want;
}

/* ---- stated targets ------------------------------------------------------------ */

static gchar *
labels (const ShrVocabulary *vocab, const GPtrArray *keys, gboolean sectors, gboolean ja)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < keys->len; i++)
    {
      const gchar *key = keys->pdata[i];
      const ShrLabelEntry *e
          = sectors ? shr_vocabulary_find_sector (vocab, key) : shr_vocabulary_find_region (vocab, key);
      const gchar *label = e != NULL ? (ja ? e->label_ja : e->label_en) : key;
      if (ja)
        g_string_append_printf (s, "『%s』", label);
      else
        {
          if (i > 0)
            g_string_append (s, i + 1 == keys->len ? (keys->len > 2 ? ", or " : " or ") : ", ");
          g_string_append (s, label);
        }
    }
  return g_string_free (s, FALSE);
}

/* Whether the organisation is in @sector or under it: an advisory about
 * "critical infrastructure" concerns a water utility, one about "Asia" an
 * office in Japan. */
static gboolean
profile_in_sector (const ShrProfile *profile, const ShrVocabulary *vocab, const gchar *sector)
{
  for (guint i = 0; i < profile->sectors->len; i++)
    if (shr_vocabulary_sector_within (vocab, profile->sectors->pdata[i], sector))
      return TRUE;
  return shr_profile_has_sector (profile, sector);
}

static gboolean
profile_in_region (const ShrProfile *profile, const ShrVocabulary *vocab, const gchar *region)
{
  for (guint i = 0; i < profile->regions->len; i++)
    if (shr_vocabulary_region_within (vocab, profile->regions->pdata[i], region))
      return TRUE;
  return shr_profile_has_region (profile, region);
}

/* Whether the organisation is a stated target: one of its sectors is named
 * and, when the advisory names regions, one of its regions too. One row of
 * the checklist says it; a region named without a sector raises nothing
 * and is shown as context only. */
static gboolean
match_targets (ShrMatch *m, const ShrProfile *profile, const ShrVocabulary *vocab, const ShrRecord *r)
{
  if (r->sectors->len == 0)
    {
      if (r->regions->len > 0)
        {
          ShrCriterion *c = criterion_new (SHR_CRITERION_REGION, NULL);
          g_autofree gchar *ja = labels (vocab, r->regions, FALSE, TRUE);
          g_autofree gchar *en = labels (vocab, r->regions, FALSE, FALSE);
          c->text_ja
              = g_strdup_printf ("攻撃・被害の地域として%sが挙げられている（地域だけでは該当としない）", ja);
          c->text_en = g_strdup_printf (
              "The advisory names %s as a place of attacks (a region alone does not make it concern us)", en);
          gboolean here = FALSE;
          for (guint i = 0; i < r->regions->len; i++)
            here |= profile_in_region (profile, vocab, r->regions->pdata[i]);
          c->matched = here ? SHR_TRISTATE_TRUE : SHR_TRISTATE_FALSE;
          g_ptr_array_add (m->context, c);
        }
      return FALSE;
    }
  gboolean sector = FALSE, region = r->regions->len == 0;
  for (guint i = 0; i < r->sectors->len; i++)
    sector |= profile_in_sector (profile, vocab, r->sectors->pdata[i]);
  for (guint i = 0; i < r->regions->len; i++)
    region |= profile_in_region (profile, vocab, r->regions->pdata[i]);

  ShrCriterion *c = criterion_new (SHR_CRITERION_SECTOR, NULL);
  g_autofree gchar *sja = labels (vocab, r->sectors, TRUE, TRUE);
  g_autofree gchar *sen = labels (vocab, r->sectors, TRUE, FALSE);
  if (r->regions->len == 0)
    {
      c->text_ja = g_strdup_printf ("%sが%s%sに該当する", profile->self_ja, sja,
                                    r->sectors->len > 1 ? "のいずれか" : "");
      c->text_en = g_strdup_printf ("We are in %s", sen);
    }
  else
    {
      g_autofree gchar *rja = labels (vocab, r->regions, FALSE, TRUE);
      g_autofree gchar *ren = labels (vocab, r->regions, FALSE, FALSE);
      c->text_ja = g_strdup_printf ("%sが%s%sに該当し、%s%sで事業を行っている", profile->self_ja, sja,
                                    r->sectors->len > 1 ? "のいずれか" : "", rja,
                                    r->regions->len > 1 ? "のいずれか" : "");
      c->text_en = g_strdup_printf ("We are in %s and operate in %s", sen, ren);
    }
  c->matched = sector && region ? SHR_TRISTATE_TRUE : SHR_TRISTATE_FALSE;
  g_ptr_array_add (m->checklist, c);
  if (sector && region)
    {
      g_autofree gchar *ja
          = g_strdup_printf ("%sの業界%sが攻撃の標的として挙げられている", profile->self_ja, sja);
      reason (m, ja, "The advisory names our sector (%s)%s as a target", sen,
              r->regions->len > 0 ? " in a region where we operate" : "");
    }
  else if (sector)
    reason_self (m, profile, "の業界は挙げられているが、挙げられた地域では事業を行っていない",
                 "Our sector is named, but only in regions where we do not operate");
  return sector && region;
}

/* ---- grades -------------------------------------------------------------------- */

/* A flaw an attacker can use over the network without logging in: a CVSS
 * vector with AV:N and PR:N, or the text saying so. */
static gboolean
pre_auth_network (const ShrRecord *r)
{
  for (guint i = 0; i < r->cves->len; i++)
    {
      const ShrCve *c = r->cves->pdata[i];
      if (c->vector != NULL && strstr (c->vector, "AV:N") != NULL && strstr (c->vector, "PR:N") != NULL)
        return TRUE;
    }
  const gchar *texts[] = { r->title, r->summary };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL
        && g_regex_match_simple (
            "\\bunauthenticated\\b|\\bpre-?auth|without (?:prior )?authentication|\\bremote(?:ly)?,? "
            "unauthenticated|認証(?:不要|なし|を必要としない|されていない)|未認証の",
            texts[i], G_REGEX_CASELESS, 0))
      return TRUE;
  return FALSE;
}

static ShrGrade
grade_for (const ShrProfile *profile, const ShrRecord *r, ShrVerdict v, gboolean internet)
{
  gboolean exploited = r->exploited == SHR_TRISTATE_TRUE || r->kev;
  gboolean cvss_a = r->cvss_max >= 0 && r->cvss_max >= profile->policy.grade_a_cvss;
  gboolean cvss_b = r->cvss_max >= 0 && r->cvss_max >= profile->policy.grade_b_cvss;
  gint rank = shr_severity_rank (r->severity);
  gboolean critical = cvss_a || (r->cvss_max < 0 && rank >= shr_severity_rank ("critical"));
  gboolean high = cvss_b || (r->cvss_max < 0 && rank >= shr_severity_rank ("high"));
  switch (v)
    {
    case SHR_VERDICT_APPLICABLE:
      if (exploited || critical || (internet && high && pre_auth_network (r)))
        return SHR_GRADE_A;
      if (high)
        return SHR_GRADE_B;
      return SHR_GRADE_C;
    case SHR_VERDICT_CHECK:
      return exploited ? SHR_GRADE_B : SHR_GRADE_C;
    case SHR_VERDICT_NOT_APPLICABLE:
    default:
      return SHR_GRADE_NONE;
    }
}

static const gchar *
severity_ja (const gchar *severity)
{
  return g_strcmp0 (severity, "critical") == 0 ? "緊急"
         : g_strcmp0 (severity, "high") == 0   ? "重要"
         : g_strcmp0 (severity, "medium") == 0 ? "警告"
                                               : "注意";
}

static void
grade_reason (ShrMatch *m, const ShrProfile *profile, const ShrRecord *r, gboolean internet)
{
  gboolean exploited = r->exploited == SHR_TRISTATE_TRUE;
  g_autofree gchar *ja = NULL;
  gboolean scored = r->cvss_max >= 0;
  switch (m->grade)
    {
    case SHR_GRADE_A:
      if (r->kev)
        reason (m, "A: 該当し、CISA の KEV カタログに掲載されている（悪用確認済み）",
                "Grade A: applicable and listed in CISA's KEV catalogue (exploited)");
      else if (exploited)
        reason (m, "A: 該当し、悪用が確認されている", "Grade A: applicable and exploited");
      else if (scored && r->cvss_max >= profile->policy.grade_a_cvss)
        {
          ja = g_strdup_printf ("A: 該当し、CVSS %.1f（%.1f 以上）", r->cvss_max,
                                profile->policy.grade_a_cvss);
          reason (m, ja, "Grade A: applicable and CVSS %.1f (at least %.1f)", r->cvss_max,
                  profile->policy.grade_a_cvss);
        }
      else if (!scored && g_strcmp0 (r->severity, "critical") == 0)
        reason (m, "A: 該当し、深刻度「緊急」", "Grade A: applicable and rated critical");
      else
        reason (m,
                "A: "
                "インターネットに公開された資産が、認証なしでネットワークから攻撃できる深刻な脆弱性の影響を受"
                "ける",
                "Grade A: an internet-facing asset is affected by a severe flaw exploitable over the network "
                "without "
                "authentication");
      break;
    case SHR_GRADE_B:
      if (m->verdict == SHR_VERDICT_CHECK)
        reason (m, "B: 要確認で、悪用が確認されている", "Grade B: to check, and exploited");
      else if (scored)
        {
          ja = g_strdup_printf ("B: 該当し、CVSS %.1f（%.1f 以上）", r->cvss_max,
                                profile->policy.grade_b_cvss);
          reason (m, ja, "Grade B: applicable and CVSS %.1f (at least %.1f)", r->cvss_max,
                  profile->policy.grade_b_cvss);
        }
      else
        {
          ja = g_strdup_printf ("B: 該当し、深刻度「%s」", severity_ja (r->severity));
          reason (m, ja, "Grade B: applicable and rated %s", r->severity);
        }
      break;
    case SHR_GRADE_C:
      if (m->verdict == SHR_VERDICT_CHECK)
        reason (m, "C: 要確認で、悪用や高い深刻度の記載はない",
                "Grade C: to check, with no exploitation or high severity stated");
      else
        reason (m, "C: 該当するが、悪用や高い深刻度の記載はない",
                "Grade C: applicable, with no exploitation or high severity stated");
      break;
    case SHR_GRADE_NONE:
    default:
      break;
    }
  (void)internet;
}

ShrMatch *
shr_match_record (const ShrProfile *profile, const ShrVocabulary *vocab, const ShrRecord *record,
                  GDateTime *now)
{
  g_return_val_if_fail (profile != NULL && record != NULL && now != NULL, NULL);
  ShrMatch *m = g_new0 (ShrMatch, 1);
  m->checklist = g_ptr_array_new_with_free_func (criterion_free);
  m->context = g_ptr_array_new_with_free_func (criterion_free);
  m->owners = g_ptr_array_new_with_free_func (g_free);
  m->reasons_ja = g_ptr_array_new_with_free_func (g_free);
  m->reasons_en = g_ptr_array_new_with_free_func (g_free);

  gboolean any_true = FALSE, any_unknown = FALSE, internet = FALSE;
  Lookups lookups;
  lookups_init (&lookups, vocab, record);
  for (guint i = 0; i < record->products->len; i++)
    {
      const ShrProduct *p = record->products->pdata[i];
      if (p->product == NULL || *p->product == '\0')
        continue;
      ShrTristate t = match_product (&lookups, m, profile, vocab, record, p, &internet);
      any_true |= t == SHR_TRISTATE_TRUE;
      any_unknown |= t == SHR_TRISTATE_UNKNOWN;
    }
  lookups_clear (&lookups);
  gboolean targeted = match_targets (m, profile, vocab, record);

  /* A stated target of attacks whose entry point is a product it runs is
   * concerned, whatever the advisory says of versions. */
  if (any_true || (targeted && any_unknown))
    m->verdict = SHR_VERDICT_APPLICABLE;
  else if (any_unknown || targeted)
    m->verdict = SHR_VERDICT_CHECK;
  else
    m->verdict = SHR_VERDICT_NOT_APPLICABLE;

  if (!any_true && targeted && any_unknown)
    for (guint i = 0; i < m->checklist->len; i++)
      {
        /* "We run X" holds, which is what the row says. */
        ShrCriterion *c = m->checklist->pdata[i];
        if (c->kind == SHR_CRITERION_PRODUCT && c->matched == SHR_TRISTATE_UNKNOWN && !c->versioned)
          c->matched = SHR_TRISTATE_TRUE;
      }
  if (!any_true && targeted && any_unknown)
    reason_self (m, profile, "の業界が標的とされ、その侵入口の製品を運用している",
                 "Our sector is a stated target, and we run the product that is the entry point");
  if (m->verdict == SHR_VERDICT_CHECK && targeted && !any_unknown)
    reason_self (
        m, profile, "の業界が標的とされているが、侵入口の製品は資産にない（または不明）ため要確認",
        "Our sector is a stated target, but the entry point is unknown or not among our assets: check");
  if (m->verdict == SHR_VERDICT_NOT_APPLICABLE)
    {
      if (m->checklist->len == 0)
        reason (m, "勧告は製品も標的の業界も挙げていない",
                "The advisory names no product and no targeted sector");
      else
        reason (m, "勧告が挙げる製品・標的のいずれにも該当しない",
                "None of the products or targets the advisory names concerns us");
    }

  m->grade = grade_for (profile, record, m->verdict, internet);
  grade_reason (m, profile, record, internet);
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
