/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-family.c — data/families.tsv: one product under several names. */
#include "config.h"

#include "shr-family.h"

#include <string.h>

#include "shr-error.h"
#include "shr-lexicon.h"

struct _ShrFamilies
{
  GPtrArray *members; /* (element-type ShrFamilyMember) owning the strings below */
  GStringChunk *strings;
  GHashTable *by_key; /* shr_family_key (NULL, member) → ShrFamilyMember* */
};

static const gchar *const relation_names[]
    = { "self", "edition", "appliance", "former", "feature", "package" };

const gchar *
shr_family_relation_to_string (ShrFamilyRelation relation)
{
  return (guint)relation < G_N_ELEMENTS (relation_names) ? relation_names[relation] : "self";
}

void
shr_families_free (ShrFamilies *families)
{
  if (families == NULL)
    return;
  g_ptr_array_unref (families->members);
  g_string_chunk_free (families->strings);
  g_hash_table_unref (families->by_key);
  g_free (families);
}

gchar *
shr_family_key (const gchar *vendor, const gchar *name)
{
  if (name == NULL)
    return g_strdup ("");
  g_autofree gchar *norm = shr_lexicon_normalize (name);
  GString *s = g_string_new (norm);
  /* Platforms and installation kinds Microsoft appends to every product. */
  static GRegex *noise;
  if (g_once_init_enter (&noise))
    g_once_init_leave (&noise, g_regex_new ("\\s*\\((?:server core installation|core installation)\\)"
                                            "|\\s+for\\s+(?:x64|x86|32-bit|64-bit|arm64|arm|itanium)(?:[- "
                                            "]based)?\\s+systems?(?:\\s+service pack \\d+)?"
                                            "|\\s+service pack \\d+|\\s+sp\\d\\b"
                                            "|\\s+version\\s+\\d{2}h\\d\\b|\\s+\\d{2}h\\d\\b"
                                            "|[®™]",
                                            G_REGEX_OPTIMIZE, 0, NULL));
  g_autofree gchar *clean = g_regex_replace_literal (noise, s->str, -1, 0, "", 0, NULL);
  g_string_assign (s, clean);
  /* Runs of white space are one space. */
  g_auto (GStrv) words = g_strsplit_set (s->str, " \t", -1);
  g_string_truncate (s, 0);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        if (s->len > 0)
          g_string_append_c (s, ' ');
        g_string_append (s, words[i]);
      }
  if (vendor != NULL && *vendor != '\0')
    {
      g_autofree gchar *v = shr_lexicon_normalize (vendor);
      gsize vl = strlen (v);
      if (g_str_has_prefix (s->str, v) && s->str[vl] == ' ')
        g_string_erase (s, 0, vl + 1);
    }
  return g_string_free (s, FALSE);
}

static ShrFamilyRelation
relation_parse (const gchar *word, gboolean *ok)
{
  for (guint i = 1; i < G_N_ELEMENTS (relation_names); i++)
    if (strcmp (word, relation_names[i]) == 0)
      {
        *ok = TRUE;
        return i;
      }
  *ok = FALSE;
  return SHR_FAMILY_SELF;
}

static void
add_member (ShrFamilies *f, const gchar *family, const gchar *member, ShrFamilyRelation relation)
{
  g_autofree gchar *key = shr_family_key (NULL, member);
  if (*key == '\0' || g_hash_table_contains (f->by_key, key))
    return; /* the first line that names it wins */
  ShrFamilyMember *m = g_new0 (ShrFamilyMember, 1);
  m->family = g_string_chunk_insert_const (f->strings, family);
  m->member = g_string_chunk_insert_const (f->strings, member);
  m->relation = relation;
  g_ptr_array_add (f->members, m);
  g_hash_table_insert (f->by_key, g_steal_pointer (&key), m);
}

static gpointer
families_new_empty (void)
{
  ShrFamilies *f = g_new0 (ShrFamilies, 1);
  f->members = g_ptr_array_new_with_free_func (g_free);
  f->strings = g_string_chunk_new (4096);
  f->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return f;
}

ShrFamilies *
shr_families_load (const gchar *path, GError **error)
{
  g_autofree gchar *contents = shr_lexicon_read_data (path, error);
  if (contents == NULL)
    return NULL;
  g_autoptr (ShrFamilies) f = families_new_empty ();
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  /* Own names first, so a family's name is its own whatever line lists it. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint n = 0; lines[n] != NULL; n++)
      {
        g_autofree gchar *line = g_strchomp (g_strdup (lines[n]));
        if (line[0] == '#' || line[0] == '\0')
          continue;
        g_auto (GStrv) cols = g_strsplit (line, "\t", -1);
        gboolean ok = FALSE;
        ShrFamilyRelation relation
            = g_strv_length (cols) == 3 ? relation_parse (cols[1], &ok) : SHR_FAMILY_SELF;
        if (!ok || *cols[0] == '\0')
          {
            g_set_error (
                error, SHR_LEXICON_ERROR, SHR_LEXICON_ERROR_PARSE,
                "%s:%u: expected a family, a relation (edition, appliance, former, feature, package) and "
                "its members, TAB-separated",
                path, n + 1);
            return NULL;
          }
        if (pass == 0)
          {
            add_member (f, cols[0], cols[0], SHR_FAMILY_SELF);
            continue;
          }
        g_auto (GStrv) names = g_strsplit (cols[2], "|", -1);
        for (guint i = 0; names[i] != NULL; i++)
          {
            g_strstrip (names[i]);
            if (*names[i] != '\0')
              add_member (f, cols[0], names[i], relation);
          }
      }
  return g_steal_pointer (&f);
}

const ShrFamilies *
shr_families_get_default (void)
{
  static gsize once;
  static gpointer table;
  return shr_data_table_once (&once, &table, "families.tsv", "the product families",
                              (ShrDataLoadFunc)shr_families_load, families_new_empty);
}

const ShrFamilyMember *
shr_families_find (const ShrFamilies *families, const gchar *vendor, const gchar *name)
{
  g_return_val_if_fail (families != NULL, NULL);
  if (name == NULL)
    return NULL;
  /* As written first (a former name keeps its old vendor's word: "Citrix
   * ADC"), then without the vendor's name in front. */
  const gchar *vendors[] = { NULL, vendor };
  for (guint v = 0; v < G_N_ELEMENTS (vendors); v++)
    {
      if (v > 0 && (vendor == NULL || *vendor == '\0'))
        break;
      g_autofree gchar *key = shr_family_key (vendors[v], name);
      /* The whole name, then without its last words: a model number, a
       * release, a cumulative update. Never down to one generic word. */
      for (;;)
        {
          const ShrFamilyMember *m = g_hash_table_lookup (families->by_key, key);
          if (m != NULL)
            return m;
          gchar *space = strrchr (key, ' ');
          if (space == NULL)
            break;
          *space = '\0';
        }
    }
  return NULL;
}

ShrConcerns
shr_families_relate (const ShrFamilyMember *advisory, const ShrFamilyMember *asset)
{
  if (advisory == NULL || asset == NULL || strcmp (advisory->family, asset->family) != 0)
    return SHR_CONCERNS_NO;
  if (advisory == asset)
    return SHR_CONCERNS_SAME;
  /* Names that are the product itself: the family's own, an appliance
   * running it, a former name, a package of it. */
  gboolean adv_whole = advisory->relation != SHR_FAMILY_EDITION && advisory->relation != SHR_FAMILY_FEATURE;
  gboolean asset_whole = asset->relation != SHR_FAMILY_EDITION && asset->relation != SHR_FAMILY_FEATURE;
  if (advisory->relation == SHR_FAMILY_FEATURE)
    /* An asset that is the feature itself runs it; one that is the product
     * may or may not use it. */
    return asset->relation == SHR_FAMILY_FEATURE ? SHR_CONCERNS_NO : SHR_CONCERNS_FEATURE;
  if (adv_whole && asset_whole)
    return SHR_CONCERNS_SAME;
  if (adv_whole)
    /* The advisory names the family, the asset one edition of it, or a
     * feature of it (an asset "Active Directory" is Windows). */
    return SHR_CONCERNS_COVERS;
  /* The advisory names one edition: an asset of another edition is not
   * concerned, an asset known only by the family's name may be. */
  if (asset->relation == SHR_FAMILY_SELF)
    return SHR_CONCERNS_COVERS;
  return SHR_CONCERNS_NO;
}

gboolean
shr_family_is_equipment_kind (const gchar *name)
{
  if (name == NULL)
    return FALSE;
  static gsize once;
  static GRegex *kind;
  if (g_once_init_enter (&once))
    {
      kind = g_regex_new (
          "^(?:(?:edge|network|networking|security|industrial|ICS|OT|VPN|SSL[- ]VPN|perimeter)\\s+)?"
          "(?:devices?|routers?|switch(?:es)?|firewalls?|appliances?|equipment|gateways?|PLCs?"
          "|controllers?|VPNs?|products?)$"
          "|^[A-Za-z0-9-]{0,12}(?:[(（][^)）]{1,12}[)）])?[^\\s、。A-Za-z0-9]{0,6}?(?:装置|機器|製品|"
          "ルーター|ルータ|ファイアウォール"
          "|ゲートウェイ|VPN)$",
          G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&once, 1);
    }
  return g_regex_match (kind, name, 0, NULL);
}
