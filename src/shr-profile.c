/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-profile.c — the organisation profile and its asset index. */
#include "config.h"

#include "shr-profile.h"

#include <string.h>

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
  g_ptr_array_unref (a->owners);
  g_ptr_array_unref (a->aliases);
  g_free (a);
}

ShrProfile *
shr_profile_new (const gchar *name)
{
  ShrProfile *p = g_new0 (ShrProfile, 1);
  p->name = g_strdup (name);
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
    }
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
