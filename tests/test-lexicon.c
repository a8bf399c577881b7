/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The word lists of data/ as matching and extraction use them: region
 * groups and their members, the sector hierarchy and STIX names, actors'
 * names, the marks of the lists ('=' as written, '!' never looked for),
 * KEV products under the hand-written ones, and the names a text gives
 * for an actor. Runs on the shipped data ($SHIRASE_DATADIR). */
#include <string.h>

#include "shr-campaign.h"
#include "shr-lexicon.h"
#include "shr-vocab.h"

static ShrLexicon *
lexicon (void)
{
  g_autoptr (GError) error = NULL;
  ShrLexicon *lex = shr_lexicon_get_default (&error);
  g_assert_no_error (error);
  g_assert_nonnull (lex);
  return lex;
}

/* The entries of @kind that scanning @text finds, as "key,key". */
static gchar *
scan_keys (ShrLexiconKind kind, const gchar *text)
{
  g_autoptr (GArray) hits = shr_lexicon_scan (lexicon (), kind, text);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < hits->len; i++)
    {
      const ShrLexiconHit *h = &g_array_index (hits, ShrLexiconHit, i);
      const gchar *key = kind == SHR_LEXICON_ACTOR     ? ((const ShrActorEntry *)h->entry)->name
                         : kind == SHR_LEXICON_PRODUCT ? ((const ShrProductEntry *)h->entry)->product
                                                       : ((const ShrLabelEntry *)h->entry)->key;
      g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "", key);
    }
  return g_string_free (out, FALSE);
}

static void
test_region_groups (void)
{
  ShrLexicon *lex = lexicon ();
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lex);
  const ShrVocabulary *v = &vocab;
  /* An organisation in JP is inside "Asia", through East Asia too. */
  g_assert_true (shr_vocabulary_region_within (v, "JP", "ASIA"));
  g_assert_true (shr_vocabulary_region_within (v, "JP", "EAST-ASIA"));
  g_assert_true (shr_vocabulary_region_within (v, "JP", "APAC"));
  g_assert_true (shr_vocabulary_region_within (v, "jp", "JP"));
  g_assert_false (shr_vocabulary_region_within (v, "JP", "EUROPE"));
  g_assert_false (shr_vocabulary_region_within (v, "JP", "SOUTHEAST-ASIA"));
  g_assert_true (shr_vocabulary_region_within (v, "VN", "SOUTHEAST-ASIA"));
  g_assert_true (shr_vocabulary_region_within (v, "SA", "MIDDLE-EAST"));
  g_assert_true (shr_vocabulary_region_within (v, "DE", "EU"));
  g_assert_false (shr_vocabulary_region_within (v, "NO", "EU"));
  g_assert_true (shr_vocabulary_region_within (v, "NO", "EUROPE"));
  g_assert_true (shr_vocabulary_region_within (v, "BR", "LATAM"));
  /* UK is another code for GB. */
  g_assert_cmpstr (shr_lexicon_find_region (lex, "UK")->key, ==, "GB");
  g_assert_true (shr_vocabulary_region_within (v, "UK", "GB"));
  g_assert_true (shr_vocabulary_region_within (v, "UK", "WESTERN-EUROPE"));
  /* A code no list knows is within itself only. */
  g_assert_true (shr_vocabulary_region_within (v, "XX", "XX"));
  g_assert_false (shr_vocabulary_region_within (v, "XX", "ASIA"));
}

static void
test_country_labels (void)
{
  ShrLexicon *lex = lexicon ();
  /* Every ISO 3166-1 country has labels, in the names in use; English
   * labels as a sentence writes them ("operate in the United States"). */
  static const struct
  {
    const gchar *code, *ja, *en;
  } countries[] = {
    { "TW", "台湾", "Taiwan" },
    { "KR", "韓国", "South Korea" },
    { "BR", "ブラジル", "Brazil" },
    { "ZA", "南アフリカ", "South Africa" },
    { "VN", "ベトナム", "Vietnam" },
    { "AQ", "南極大陸", "Antarctica" },
    { "SX", "シント・マールテン（オランダ領）", "Sint Maarten (Dutch part)" },
    { "US", "米国", "the United States" },
    { "NL", "オランダ", "the Netherlands" },
    { "KY", "ケイマン諸島", "the Cayman Islands" },
    { "MIDDLE-EAST", "中東", "the Middle East" },
    { "ASIA", "アジア", "Asia" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      const ShrLabelEntry *e = shr_lexicon_find_region (lex, countries[i].code);
      g_assert_nonnull (e);
      g_assert_cmpstr (e->label_ja, ==, countries[i].ja);
      g_assert_cmpstr (e->label_en, ==, countries[i].en);
    }
}

static void
test_region_words (void)
{
  /* Names, demonyms and Japanese spellings; katakana words are whole
   * words (タイ is not in タイトル); "US" is the country only in capitals. */
  g_autofree gchar *a = scan_keys (SHR_LEXICON_REGION, "Taiwanese and South Korean firms, 台湾 and ベトナム");
  g_assert_cmpstr (a, ==, "TW,KR,TW,VN");
  g_autofree gchar *b = scan_keys (SHR_LEXICON_REGION, "タイトルのタイムゾーン; send us the US report");
  g_assert_cmpstr (b, ==, "US");
  g_autofree gchar *c = scan_keys (SHR_LEXICON_REGION, "タイの工場、インドネシアとインド");
  g_assert_cmpstr (c, ==, "TH,ID,IN");
  /* Phrases that hold a region word and name no region. */
  g_autofree gchar *d
      = scan_keys (SHR_LEXICON_REGION, "US-CERT published it at 10:00 米国時間 in Japanese language");
  g_assert_cmpstr (d, ==, "");
  /* A prefecture is a place in Japan. */
  g_autofree gchar *e = scan_keys (SHR_LEXICON_REGION, "愛知県の病院、Southeast Asia and the Middle East");
  g_assert_cmpstr (e, ==, "JP,SOUTHEAST-ASIA,MIDDLE-EAST");
}

static void
test_sector_hierarchy (void)
{
  ShrLexicon *lex = lexicon ();
  ShrVocabulary vocab = shr_vocabulary_for_lexicon (lex);
  const ShrVocabulary *v = &vocab;
  const gchar *const *water = shr_lexicon_sector_parents (lex, "water");
  g_assert_nonnull (water);
  g_assert_cmpstr (water[0], ==, "utilities");
  g_assert_cmpstr (water[1], ==, "critical-infrastructure");
  g_assert_null (water[2]);
  g_assert_null (shr_lexicon_sector_parents (lex, "no-such-sector"));
  g_assert_nonnull (shr_lexicon_sector_parents (lex, "energy"));
  g_assert_true (shr_vocabulary_sector_within (v, "water", "energy")); /* through utilities */
  g_assert_true (shr_vocabulary_sector_within (v, "semiconductor", "manufacturing"));
  g_assert_true (shr_vocabulary_sector_within (v, "aerospace", "defense"));
  g_assert_true (shr_vocabulary_sector_within (v, "cryptocurrency", "finance"));
  g_assert_false (shr_vocabulary_sector_within (v, "finance", "cryptocurrency"));
  g_assert_false (shr_vocabulary_sector_within (v, "energy", "water"));
  /* STIX names stand for their keys; the record's old keys stay. */
  g_assert_cmpstr (shr_lexicon_find_sector (lex, "financial-services")->key, ==, "finance");
  g_assert_cmpstr (shr_lexicon_find_sector (lex, "technology")->key, ==, "it");
  g_assert_cmpstr (shr_lexicon_find_sector (lex, "telecommunications")->key, ==, "telecom");
  static const gchar *const old_keys[] = { "energy",     "government",    "telecom",
                                           "it",         "finance",       "cryptocurrency",
                                           "healthcare", "manufacturing", "education",
                                           "transport",  "retail",        "defense",
                                           "media",      "water",         "critical-infrastructure",
                                           NULL };
  for (guint i = 0; old_keys[i] != NULL; i++)
    g_assert_cmpstr (shr_lexicon_find_sector (lex, old_keys[i])->key, ==, old_keys[i]);
}

static void
test_sector_words (void)
{
  g_autofree gchar *a
      = scan_keys (SHR_LEXICON_SECTOR, "大学・研究機関、シンクタンク、航空宇宙、自動車メーカー");
  g_assert_cmpstr (a, ==, "education,think-tanks,aerospace,automotive");
  /* A STIX name alone is marked as naming the sector only in a list. */
  g_autoptr (GArray) hits = shr_lexicon_scan (lexicon (), SHR_LEXICON_SECTOR, "technology");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_true (g_array_index (hits, ShrLexiconHit, 0).needs_vendor);
  /* Phrases that hold a sector word and name none. */
  g_autofree gchar *b
      = scan_keys (SHR_LEXICON_SECTOR, "Transport Layer Security for financial gain on social media");
  g_assert_cmpstr (b, ==, "");
}

static void
test_actor_names (void)
{
  ShrLexicon *lex = lexicon ();
  /* One actor under several vendors' names. */
  g_assert_true (shr_lexicon_same_actor (lex, "Salt Typhoon", "GhostEmperor"));
  g_assert_true (shr_lexicon_same_actor (lex, "Forest Blizzard", "fancy bear"));
  g_assert_false (shr_lexicon_same_actor (lex, "Volt Typhoon", "UAT-5918"));
  g_autoptr (GPtrArray) names = shr_lexicon_actor_names (lex, "Mint Sandstorm");
  gboolean phosphorus = FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      g_assert_cmpstr (names->pdata[i], !=, "Mint Sandstorm");
      phosphorus |= g_ascii_strcasecmp (names->pdata[i], "PHOSPHORUS") == 0;
    }
  g_assert_true (phosphorus);
  g_autoptr (GPtrArray) rows = shr_lexicon_find_actors (lex, "LockBit");
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (((const ShrActorEntry *)rows->pdata[0])->ransomware);
  g_autoptr (GPtrArray) none = shr_lexicon_find_actors (lex, "North Korean hackers");
  g_assert_cmpuint (none->len, ==, 0); /* a description has no row */
}

static void
test_actor_marks (void)
{
  /* ZINC is Lazarus' older name written so, zinc the metal; "Mirage" is
   * a known name never looked for; "Cobalt Strike" is a tool. */
  g_autofree gchar *a = scan_keys (SHR_LEXICON_ACTOR, "zinc and ZINC; Mirage; Cobalt Strike");
  g_assert_true (strlen (a) > 0);
  g_assert_null (strchr (a, ','));
  g_autoptr (GPtrArray) rows = shr_lexicon_find_actors (lexicon (), "ZINC");
  g_assert_cmpuint (rows->len, >, 0);
  g_autofree gchar *b = scan_keys (SHR_LEXICON_ACTOR, "the group lied to the RTM team about Tick marks");
  g_assert_cmpstr (b, ==, "");
}

static void
test_kev_products (void)
{
  ShrLexicon *lex = lexicon ();
  /* products.tsv wins: a name it gives is the hand-written row's. */
  const ShrProductEntry *adc = shr_lexicon_find_product (lex, "Citrix Application Delivery Controller");
  g_assert_nonnull (adc);
  g_assert_cmpstr (adc->product, ==, "Citrix ADC");
  /* A vendor and product only the KEV catalogue names. */
  const ShrProductEntry *mi = shr_lexicon_find_product (lex, "Mitel MiCollab");
  g_assert_nonnull (mi);
  g_assert_cmpstr (mi->vendor, ==, "Mitel");
  g_autofree gchar *found = scan_keys (SHR_LEXICON_PRODUCT, "Attackers exploit Mitel MiCollab servers");
  g_assert_cmpstr (found, ==, "MiCollab");
}

static void
test_word_tables (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ShrWordTables) t = shr_word_tables_load (shr_lexicon_default_dir (), &error);
  g_assert_no_error (error);
  ShrVocabulary v = shr_word_tables_vocabulary (t);
  g_assert_true (shr_vocabulary_region_within (&v, "JP", "ASIA"));
  g_assert_true (shr_vocabulary_region_within (&v, "UK", "EUROPE"));
  g_assert_false (shr_vocabulary_region_within (&v, "JP", "LATAM"));
  g_assert_cmpstr (shr_vocabulary_find_sector (&v, "financial-services")->key, ==, "finance");
  g_assert_true (shr_vocabulary_sector_within (&v, "water", "critical-infrastructure"));
  g_assert_true (shr_vocabulary_sector_within (&v, "utilities", "energy"));
  g_assert_false (shr_vocabulary_sector_within (&v, "retail", "energy"));
  const ShrProductEntry *mi = shr_vocabulary_find_product (&v, "Mitel MiCollab");
  g_assert_nonnull (mi);
  /* The lexicon gives the same answers. */
  ShrVocabulary lv = shr_vocabulary_for_lexicon (lexicon ());
  g_assert_true (shr_vocabulary_region_within (&lv, "JP", "ASIA"));
  g_assert_true (shr_vocabulary_sector_within (&lv, "semiconductor", "manufacturing"));
  /* Without data only equal codes are within each other. */
  g_assert_true (shr_vocabulary_region_within (NULL, "jp", "JP"));
  g_assert_false (shr_vocabulary_region_within (NULL, "JP", "ASIA"));
}

/* The other names a text gives right after an actor's name. */
static void
test_aliases_given (void)
{
  static const struct
  {
    const gchar *text; /* the name, then what follows it */
    const gchar *name;
    const gchar *aliases;
  } cases[] = {
    { "Soft Cell (aka Gallium), a group", "Soft Cell", "Gallium" },
    { "Kimsuky, a state-sponsored APT also known as Thallium, Black Banshee and Velvet Chollima, has",
      "Kimsuky", "Thallium,Black Banshee,Velvet Chollima" },
    { "Forest Blizzard, more commonly known as Fancy Bear or APT 28, continues", "Forest Blizzard",
      "Fancy Bear,APT 28" },
    { "Naikon APT (aka APT30 or Lotus Panda), and", "Naikon", "APT30,Lotus Panda" },
    /* The wordings in capitals read as in lower case. */
    { "Soft Cell (AKA Gallium), a group", "Soft Cell", "Gallium" },
    { "Kimsuky, Also Known As Thallium, has", "Kimsuky", "Thallium" },
    { "Blackcat/AlphV ransomware group", "Blackcat", "AlphV" },
    { "RedMike (Salt Typhoon) exploits", "RedMike", "Salt Typhoon" },
    { "「MirrorFace」(別名 Earth Kasha)と呼ばれる", "「MirrorFace", "Earth Kasha" },
    { "Aqua Blizzard（旧称 ACTINIUM）は", "Aqua Blizzard", "ACTINIUM" },
    /* A parenthesis that holds no actor's name, and no alias at all. */
    { "Lazarus (North Korea) struck", "Lazarus", "" },
    { "APT41 (CVE-2026-1234) was", "APT41", "" },
    { "Sandworm remains a threat", "Sandworm", "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      gsize offset = strlen (cases[i].name);
      gsize end = shr_campaign_parse_aliases (lexicon (), cases[i].text, offset, names);
      g_autoptr (GString) got = g_string_new (NULL);
      for (guint k = 0; k < names->len; k++)
        g_string_append_printf (got, "%s%s", k > 0 ? "," : "", (gchar *)names->pdata[k]);
      g_assert_cmpstr (got->str, ==, cases[i].aliases);
      g_assert_true (names->len > 0 ? end > offset : end == offset);
    }
}

/* Every spelling of every name in the shipped lists is found where a
 * sentence writes it: the scan dismisses most places of a text before it
 * walks its trie (first bytes, first word), and none of that may ever
 * dismiss a real name. */
static void
check_spellings_found (const gchar *file, ShrLexiconKind kind, guint name_field, guint words_field)
{
  g_autofree gchar *path = g_build_filename (shr_lexicon_default_dir (), file, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *data = shr_lexicon_read_data (path, &error);
  g_assert_no_error (error);
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  guint checked = 0;
  for (guint l = 0; lines[l] != NULL; l++)
    {
      if (lines[l][0] == '#' || lines[l][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[l], "\t", -1);
      guint n = g_strv_length (f);
      if (n <= name_field || f[name_field][0] == '\0')
        continue;
      /* A row keyed "-" holds phrases that name nothing and hide the
       * words in them ("US-CERT" is not the US): found, they give no hit. */
      gboolean nothing = strcmp (f[0], "-") == 0;
      g_autoptr (GPtrArray) spellings = g_ptr_array_new ();
      if (name_field != words_field)
        g_ptr_array_add (spellings, f[name_field]);
      g_auto (GStrv) aliases = n > words_field ? g_strsplit (f[words_field], "|", -1) : g_new0 (gchar *, 1);
      for (guint i = 0; aliases[i] != NULL; i++)
        if (!g_str_has_prefix (aliases[i], "cpe:") && !g_str_has_prefix (aliases[i], "pkg:"))
          g_ptr_array_add (spellings, aliases[i]);
      for (guint i = 0; i < spellings->len; i++)
        {
          const gchar *name = spellings->pdata[i];
          name += name[0] == '~';
          if (name[0] == '!')
            continue;
          name += name[0] == '=';
          static const gchar lead[] = "Fixed: ";
          g_autofree gchar *text = g_strconcat (lead, name, ", now.", NULL);
          g_autoptr (GArray) hits = shr_lexicon_scan (lexicon (), kind, text);
          gboolean found = FALSE;
          for (guint h = 0; h < hits->len && !found; h++)
            found = g_array_index (hits, ShrLexiconHit, h).start == strlen (lead);
          if (found == nothing)
            g_test_message ("%s: \"%s\" %s in \"%s\"", file, name, nothing ? "named something" : "not found",
                            text);
          g_assert_true (found != nothing);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 100);
}

static void
test_every_spelling_found (void)
{
  check_spellings_found ("products.tsv", SHR_LEXICON_PRODUCT, 1, 2);
  check_spellings_found ("products-kev.tsv", SHR_LEXICON_PRODUCT, 1, 2);
  check_spellings_found ("actors.tsv", SHR_LEXICON_ACTOR, 0, 1);
  check_spellings_found ("regions.tsv", SHR_LEXICON_REGION, 3, 3);
  check_spellings_found ("sectors.tsv", SHR_LEXICON_SECTOR, 3, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lexicon/regions/groups", test_region_groups);
  g_test_add_func ("/lexicon/regions/labels", test_country_labels);
  g_test_add_func ("/lexicon/regions/words", test_region_words);
  g_test_add_func ("/lexicon/sectors/hierarchy", test_sector_hierarchy);
  g_test_add_func ("/lexicon/sectors/words", test_sector_words);
  g_test_add_func ("/lexicon/actors/names", test_actor_names);
  g_test_add_func ("/lexicon/actors/marks", test_actor_marks);
  g_test_add_func ("/lexicon/products/kev", test_kev_products);
  g_test_add_func ("/lexicon/every-spelling-found", test_every_spelling_found);
  g_test_add_func ("/lexicon/vocabulary", test_word_tables);
  g_test_add_func ("/campaign/aliases-given", test_aliases_given);
  return g_test_run ();
}
