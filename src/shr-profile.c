/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-profile.c — the organisation profile and its asset index. */
#include "config.h"

#include "shr-profile.h"

#include <string.h>

#include "shr-family.h"

ShrAsset *
shr_asset_new (const gchar *name, const gchar *product)
{
  g_return_val_if_fail (name != NULL, NULL);
  ShrAsset *a = g_new0 (ShrAsset, 1);
  a->name = g_strdup (name);
  a->product = g_strdup (product);
  a->owners = g_ptr_array_new_with_free_func (g_free);
  a->aliases = g_ptr_array_new_with_free_func (g_free);
  return a;
}

void
shr_asset_free (ShrAsset *a)
{
  if (a == NULL)
    return;
  g_free (a->name);
  g_free (a->vendor);
  g_free (a->product);
  g_free (a->version);
  g_free (a->platform);
  g_ptr_array_unref (a->owners);
  g_ptr_array_unref (a->aliases);
  g_free (a);
}

ShrProfile *
shr_profile_new (const gchar *name)
{
  ShrProfile *p = g_new0 (ShrProfile, 1);
  p->name = g_strdup (name);
  p->self_ja = g_strdup ("自組織");
  p->self_en = g_strdup ("our organisation");
  p->sectors = g_ptr_array_new_with_free_func (g_free);
  p->regions = g_ptr_array_new_with_free_func (g_free);
  p->assets = g_ptr_array_new_with_free_func ((GDestroyNotify)shr_asset_free);
  p->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  p->policy.grade_a_cvss = 9.0;
  p->policy.grade_b_cvss = 7.0;
  p->policy.deadline_days[0] = 0;
  p->policy.deadline_days[1] = 7;
  p->policy.deadline_days[2] = 30;
  shr_profile_set_timezone (p, "Asia/Tokyo");
  return p;
}

void
shr_profile_free (ShrProfile *p)
{
  if (p == NULL)
    return;
  g_free (p->name);
  g_free (p->self_ja);
  g_free (p->self_en);
  g_ptr_array_unref (p->sectors);
  g_ptr_array_unref (p->regions);
  g_free (p->timezone_id);
  if (p->timezone != NULL)
    g_time_zone_unref (p->timezone);
  g_hash_table_unref (p->index);
  g_ptr_array_unref (p->assets);
  g_free (p);
}

void
shr_profile_add_asset (ShrProfile *profile, ShrAsset *asset)
{
  g_return_if_fail (profile != NULL && asset != NULL);
  g_ptr_array_add (profile->assets, asset);
}

gboolean
shr_profile_set_timezone (ShrProfile *profile, const gchar *identifier)
{
  g_return_val_if_fail (profile != NULL && identifier != NULL, FALSE);
  GTimeZone *tz = g_time_zone_new_identifier (identifier);
  if (tz == NULL)
    return FALSE;
  if (profile->timezone != NULL)
    g_time_zone_unref (profile->timezone);
  profile->timezone = tz;
  g_free (profile->timezone_id);
  profile->timezone_id = g_strdup (identifier);
  return TRUE;
}

/* The key of a product the vocabulary knows: its canonical vendor and
 * name, which no written name can collide with ('\x1f' never occurs in
 * normalised text from a config or an advisory). */
static gchar *
canonical_key (const ShrProductEntry *e)
{
  g_autofree gchar *v = shr_vocab_normalize (e->vendor ? e->vendor : "");
  g_autofree gchar *p = shr_vocab_normalize (e->product);
  return g_strdup_printf ("\x1f%s\x1f%s", v, p);
}

static void
index_add (GHashTable *index, gchar *key /* transfer full */, ShrAsset *asset)
{
  if (key == NULL || *key == '\0')
    {
      g_free (key);
      return;
    }
  GPtrArray *list = g_hash_table_lookup (index, key);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (index, key, list);
    }
  else
    g_free (key);
  /* An asset indexed twice under one key (its product equals an alias)
   * is listed once: it is always the last one added. */
  if (list->len == 0 || list->pdata[list->len - 1] != asset)
    g_ptr_array_add (list, asset);
}

static gchar *
family_key (const gchar *family)
{
  g_autofree gchar *n = shr_vocab_normalize (family);
  return g_strdup_printf ("\x1e%s", n);
}

/* The words of a name that can tell one product from another: not the
 * vendor's, not generic ones ("server", "software", "series", 「製品」),
 * not versions. (transfer full) */
static GPtrArray *
distinctive_words (const gchar *vendor, const gchar *product)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  if (product == NULL)
    return out;
  g_autofree gchar *norm = shr_vocab_normalize (product);
  g_autofree gchar *v = vendor ? shr_vocab_normalize (vendor) : NULL;
  static const gchar *const generic[]
      = { "server",       "servers",  "software",    "series",     "system",
          "systems",      "service",  "services",    "the",        "for",
          "and",          "of",       "edition",     "enterprise", "standard",
          "professional", "pro",      "client",      "gateway",    "appliance",
          "platform",     "suite",    "manager",     "management", "cloud",
          "web",          "app",      "application", "device",     "devices",
          "firmware",     "os",       "version",     "release",    "update",
          "security",     "network",  "networks",    "data",       "center",
          "model",        "models",   "microsoft",   "windows",    "linux",
          "apple",        "google",   "cisco",       "oracle",     "ibm",
          "シリーズ",     "モデル",   "製品",        "サービス",   "ソフトウェア",
          "サーバ",       "サーバー", NULL };
  /* Compiled once: every candidate asset's name is split again per match. */
  static GRegex *separators;
  if (g_once_init_enter (&separators))
    g_once_init_leave (&separators, g_regex_new ("[\\s/,()・（）「」]+", 0, 0, NULL));
  g_auto (GStrv) words = g_regex_split (separators, norm, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const gchar *w = words[i];
      if (g_utf8_strlen (w, -1) < 3 && !(g_utf8_strlen (w, -1) >= 2 && (guchar)w[0] >= 0x80))
        continue;
      if (g_strv_contains (generic, w) || (v != NULL && strcmp (w, v) == 0))
        continue;
      /* Versions and numbers alone say nothing of which product. */
      gboolean digits = TRUE;
      for (const gchar *c = w; *c && digits; c++)
        digits = g_ascii_isdigit (*c) || *c == '.' || *c == '-';
      if (digits)
        continue;
      g_ptr_array_add (out, g_strdup (w));
    }
  return out;
}

static const ShrProductEntry *
asset_entry (const ShrAsset *a, const ShrVocabulary *vocab)
{
  const ShrProductEntry *e = shr_vocabulary_find_named (vocab, a->vendor, a->product);
  for (guint i = 0; e == NULL && i < a->aliases->len; i++)
    e = shr_vocabulary_find_named (vocab, a->vendor, a->aliases->pdata[i]);
  return e;
}

void
shr_profile_build_index (ShrProfile *profile, const ShrVocabulary *vocab)
{
  g_return_if_fail (profile != NULL);
  g_hash_table_remove_all (profile->index);
  for (guint i = 0; i < profile->assets->len; i++)
    {
      ShrAsset *a = profile->assets->pdata[i];
      if (a->product == NULL)
        continue;
      index_add (profile->index, shr_vocab_normalize (a->product), a);
      if (a->vendor != NULL)
        {
          g_autofree gchar *full = g_strdup_printf ("%s %s", a->vendor, a->product);
          index_add (profile->index, shr_vocab_normalize (full), a);
        }
      for (guint j = 0; j < a->aliases->len; j++)
        index_add (profile->index, shr_vocab_normalize (a->aliases->pdata[j]), a);
      const ShrProductEntry *e = asset_entry (a, vocab);
      if (e != NULL)
        index_add (profile->index, canonical_key (e), a);
      /* Its family, under the name the asset gives and the lexicon's. */
      const ShrFamilies *families = shr_families_get_default ();
      const ShrFamilyMember *m = shr_families_find (families, a->vendor, a->product);
      if (m == NULL && e != NULL)
        m = shr_families_find (families, e->vendor, e->product);
      for (guint j = 0; m == NULL && j < a->aliases->len; j++)
        m = shr_families_find (families, a->vendor, a->aliases->pdata[j]);
      if (m != NULL)
        index_add (profile->index, family_key (m->family), a);
      /* Its distinctive words, for products no list knows. */
      g_autoptr (GPtrArray) words = distinctive_words (a->vendor, a->product);
      for (guint j = 0; j < words->len; j++)
        index_add (profile->index, g_strdup_printf ("\x1d%s", (gchar *)words->pdata[j]), a);
    }
}

const GPtrArray *
shr_profile_family_assets (const ShrProfile *profile, const gchar *family)
{
  g_return_val_if_fail (profile != NULL && family != NULL, NULL);
  g_autofree gchar *key = family_key (family);
  return g_hash_table_lookup (profile->index, key);
}

/* Whether every word of @small is in @big. */
static gboolean
words_within (const GPtrArray *small, const GPtrArray *big)
{
  for (guint i = 0; i < small->len; i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < big->len && !found; j++)
        found = strcmp (small->pdata[i], big->pdata[j]) == 0;
      if (!found)
        return FALSE;
    }
  return small->len > 0;
}

GPtrArray *
shr_profile_word_assets (const ShrProfile *profile, const gchar *vendor, const gchar *product)
{
  g_return_val_if_fail (profile != NULL, NULL);
  GPtrArray *out = g_ptr_array_new ();
  if (product == NULL)
    return out;
  g_autoptr (GPtrArray) words = distinctive_words (NULL, product);
  if (words->len == 0)
    return out;
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < words->len; i++)
    {
      g_autofree gchar *key = g_strdup_printf ("\x1d%s", (gchar *)words->pdata[i]);
      const GPtrArray *list = g_hash_table_lookup (profile->index, key);
      for (guint j = 0; list != NULL && j < list->len; j++)
        {
          ShrAsset *a = list->pdata[j];
          if (!g_hash_table_add (seen, a) || shr_vendors_conflict (a->vendor, vendor))
            continue;
          /* The product's distinctive words all in the asset's, or the
           * asset's all in the product's: "MXsecurity" and "MXsecurity
           * Series" are one; "Exchange Server" and "SQL Server" are not
           * ("server" is not distinctive). */
          g_autoptr (GPtrArray) asset_words = distinctive_words (NULL, a->product);
          if (words_within (words, asset_words) || words_within (asset_words, words))
            g_ptr_array_add (out, a);
        }
    }
  return out;
}

static void
collect (GPtrArray *out, GHashTable *seen, const GPtrArray *list, const gchar *vendor, gboolean check_vendor)
{
  if (list == NULL)
    return;
  for (guint i = 0; i < list->len; i++)
    {
      ShrAsset *a = list->pdata[i];
      if (check_vendor && shr_vendors_conflict (a->vendor, vendor))
        continue;
      if (g_hash_table_add (seen, a))
        g_ptr_array_add (out, a);
    }
}

static const GPtrArray *
lookup_name (const ShrProfile *p, const gchar *name)
{
  g_autofree gchar *key = shr_vocab_normalize (name);
  return g_hash_table_lookup (p->index, key);
}

GPtrArray *
shr_profile_find_assets (const ShrProfile *profile, const ShrVocabulary *vocab, const gchar *vendor,
                         const gchar *product)
{
  g_return_val_if_fail (profile != NULL, NULL);
  GPtrArray *out = g_ptr_array_new ();
  if (product == NULL || *product == '\0')
    return out;
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autofree gchar *full = vendor != NULL ? g_strdup_printf ("%s %s", vendor, product) : NULL;

  const ShrProductEntry *e = shr_vocabulary_find_named (vocab, vendor, product);
  if (e != NULL)
    {
      /* A known product: every asset known under the same identity, and
       * those whose names are among its aliases. */
      g_autofree gchar *key = canonical_key (e);
      collect (out, seen, g_hash_table_lookup (profile->index, key), NULL, FALSE);
      collect (out, seen, lookup_name (profile, e->product), e->vendor, TRUE);
      for (const gchar *const *al = e->aliases; al != NULL && *al != NULL; al++)
        {
          const gchar *name = *al[0] == '~' ? *al + 1 : *al; /* an everyday word (products.tsv) */
          if (g_str_has_prefix (name, "pkg:"))
            name += 4;
          collect (out, seen, lookup_name (profile, name), e->vendor, TRUE);
        }
    }
  if (full != NULL)
    collect (out, seen, lookup_name (profile, full), vendor, TRUE);
  collect (out, seen, lookup_name (profile, product), vendor, TRUE);
  return out;
}

static gboolean
array_has (const GPtrArray *a, const gchar *s, gboolean fold)
{
  for (guint i = 0; i < a->len; i++)
    if (fold ? g_ascii_strcasecmp (a->pdata[i], s) == 0 : strcmp (a->pdata[i], s) == 0)
      return TRUE;
  return FALSE;
}

gboolean
shr_profile_has_sector (const ShrProfile *profile, const gchar *key)
{
  g_return_val_if_fail (profile != NULL && key != NULL, FALSE);
  return array_has (profile->sectors, key, FALSE);
}

gboolean
shr_profile_has_region (const ShrProfile *profile, const gchar *code)
{
  g_return_val_if_fail (profile != NULL && code != NULL, FALSE);
  return array_has (profile->regions, code, TRUE);
}

static const gchar *const exposure_words[] = { "unknown", "internet", "internal", "isolated", NULL };

gboolean
shr_exposure_parse (const gchar *word, ShrExposure *exposure)
{
  g_return_val_if_fail (exposure != NULL, FALSE);
  for (gint i = 0; word != NULL && exposure_words[i] != NULL; i++)
    if (g_ascii_strcasecmp (word, exposure_words[i]) == 0)
      {
        *exposure = (ShrExposure)i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
shr_exposure_to_string (ShrExposure exposure)
{
  if ((guint)exposure >= G_N_ELEMENTS (exposure_words) - 1)
    return "unknown";
  return exposure_words[exposure];
}
