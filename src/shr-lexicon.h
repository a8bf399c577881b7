/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-lexicon.h — the word lists of data/: products, threat actors,
 * sectors, regions, reporters. Loaded once; read-only afterwards, so one
 * lexicon can be shared by every stage and thread.
 *
 * Data file formats (UTF-8, '#' starts a comment line, fields by TAB;
 * data/README says where each comes from):
 *   products.tsv, products-kev.tsv
 *                 vendor  product  aliases ('|'-separated; spellings,
 *                 Japanese names, package names, "cpe:vendor:product";
 *                 a leading '~' on the product or an alias: an everyday
 *                 word, counted only with the vendor named). A name
 *                 products.tsv gives is never taken from products-kev.tsv.
 *   actors.tsv    name  aliases  country-or-empty  kind ("ransomware" or
 *                 empty). Rows that share a name are one actor.
 *   sectors.tsv   key  label_ja  label_en  words  noun_ja  noun_en  parents
 *                 stix (the nouns are the notices')
 *   regions.tsv   code[=other-code]  label_ja  label_en  words  members
 *                 (in both, the row keyed '-' lists phrases that hold a
 *                 word of the list and name nothing: "transport layer")
 *   reporters.tsv name  aliases
 * Lists are '|'-separated. In names and words, a leading '=' matches only
 * as written (letter case included), a leading '!' is a name that is known
 * but never looked for in text, and a leading '~' a word that names its
 * entry only in context (see ShrLexiconHit.needs_vendor). Matching is otherwise case- and
 * width-insensitive (NFKC + casefold); words in Latin script match only at
 * word boundaries, and region, sector and actor words in katakana only
 * where no katakana touches them (タイ is not in タイトル). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Columns (from 0) of sectors.tsv and regions.tsv that the lexicon and the
 * vocabulary read beyond the first four. */
#define SHR_SECTOR_PARENTS_COL 6
#define SHR_SECTOR_STIX_COL 7
#define SHR_REGION_MEMBERS_COL 4

typedef struct _ShrLexicon ShrLexicon;

typedef struct
{
  const gchar *vendor;
  const gchar *product;
  const gchar *const *aliases; /* NULL-terminated, as written in the file */
} ShrProductEntry;

typedef struct
{
  const gchar *key; /* English key: "energy", or region code "JP" */
  const gchar *label_ja;
  const gchar *label_en;
} ShrLabelEntry;

typedef struct
{
  const gchar *name;    /* as the list writes it: "APT41" */
  const gchar *country; /* the actor's home, "CN", or NULL */
  /* The other names this row gives, as written, without marks
   * (NULL-terminated). */
  const gchar *const *aliases;
  /* The name is also a ransomware family's: it names an attacker only
   * where the text says the group attacks. */
  gboolean ransomware;
} ShrActorEntry;

typedef struct
{
  const gchar *name; /* "Cisco Talos", "National Police Agency" */
} ShrReporterEntry;

/* What a scan found: the entry and where in the text (byte offsets). */
typedef enum
{
  SHR_LEXICON_PRODUCT,
  SHR_LEXICON_ACTOR,
  SHR_LEXICON_SECTOR,
  SHR_LEXICON_REGION,
  SHR_LEXICON_REPORTER,
  /* A phrase that contains a word of another kind and names nothing
   * ("financial gain", "transport layer"): found so the shorter word is
   * not. Its entry is NULL. */
  SHR_LEXICON_NOTHING,
} ShrLexiconKind;

typedef struct
{
  ShrLexiconKind kind;
  gconstpointer entry; /* ShrProductEntry*, ShrActorEntry*, ShrLabelEntry*,
                        * ShrReporterEntry*, or NULL (SHR_LEXICON_NOTHING) */
  gsize start;
  gsize end;
  /* The words are also everyday English, marked '~' in the list: a product
   * ("office", "edge", "HTTP server") is named only where its vendor is
   * named too; a sector ("technology", "legal") only in a list of sectors. */
  gboolean needs_vendor;
  /* Another product written the same way (ShrProductEntry*), or NULL:
   * "iOS" is Apple's where Apple is named, "IOS" Cisco's where Cisco is. */
  gconstpointer homonym;
} ShrLexiconHit;

/* (transfer full) Loads the files from @datadir (products-kev.tsv and
 * reporters.tsv may be missing). Errors name the file and line
 * (SHR_LEXICON_ERROR). */
ShrLexicon *shr_lexicon_load (const gchar *datadir, GError **error);

/* (transfer none) The lexicon from $SHIRASE_DATADIR, else the installed
 * data dir; loaded on first use and kept for the process. */
ShrLexicon *shr_lexicon_get_default (GError **error);

/* (transfer none) The data directory: $SHIRASE_DATADIR, else the installed
 * one (never a build tree's: tests set SHIRASE_DATADIR). */
const gchar *shr_lexicon_default_dir (void);

/* (transfer full) The text of data file @path, checked to be UTF-8; NULL
 * with SHR_LEXICON_ERROR_IO when it cannot be read, _PARSE ("PATH: not
 * valid UTF-8") when it is not text. */
gchar *shr_lexicon_read_data (const gchar *path, GError **error);

typedef gpointer (*ShrDataLoadFunc) (const gchar *path, GError **error);
typedef gpointer (*ShrDataEmptyFunc) (void);

/* (transfer none) The table @load makes of data file @file of the data
 * dir, made on the first call and kept for the process in *@table (a
 * static of the caller, as is @once); when the file cannot be read, the
 * table @empty makes, and a warning names @what and why. */
gpointer shr_data_table_once (gsize *once, gpointer *table, const gchar *file, const gchar *what,
                              ShrDataLoadFunc load, ShrDataEmptyFunc empty);

void shr_lexicon_free (ShrLexicon *lexicon);

/* Every hit of @kind in @text, leftmost-longest, non-overlapping.
 * (transfer container): free with g_array_unref. */
GArray *shr_lexicon_scan (const ShrLexicon *lexicon, ShrLexiconKind kind, const gchar *text);

/* Every hit of every kind in one pass over @text (the extractor needs
 * them all, and normalising the text is most of a scan's cost).
 * (transfer container): free with g_array_unref. */
GArray *shr_lexicon_scan_all (const ShrLexicon *lexicon, const gchar *text);

/* The product whose name or alias equals @name after normalisation
 * (transfer none), or NULL. Vendor-prefixed forms ("Microsoft Exchange
 * Server") are found too. */
const ShrProductEntry *shr_lexicon_find_product (const ShrLexicon *lexicon, const gchar *name);

/* Sector or region labels by key (transfer none), or NULL. A sector is
 * also found by its STIX 2.1 name ("financial-services" is "finance"), a
 * region by the other codes regions.tsv gives ("UK" is "GB"); the entry's
 * key is the record's. Every ISO 3166-1 country has labels. */
const ShrLabelEntry *shr_lexicon_find_sector (const ShrLexicon *lexicon, const gchar *key);
const ShrLabelEntry *shr_lexicon_find_region (const ShrLexicon *lexicon, const gchar *key);

/* The members of region group @code as regions.tsv lists them (transfer
 * none, NULL-terminated: countries and groups), or NULL for a country or
 * an unknown code. "EAST-ASIA" → {"CN", "HK", "JP", …}. Whether one region
 * lies inside another is shr_vocabulary_region_within(). */
const gchar *const *shr_lexicon_region_members (const ShrLexicon *lexicon, const gchar *code);

/* The broader sectors of @key as sectors.tsv lists them (transfer none,
 * NULL-terminated, empty for a sector with none), or NULL when @key is
 * unknown. "water" → {"utilities", "critical-infrastructure"}. Whether one
 * sector lies under another is shr_vocabulary_sector_within(). */
const gchar *const *shr_lexicon_sector_parents (const ShrLexicon *lexicon, const gchar *key);

/* Every actors.tsv row that gives @name as its name or an alias, compared
 * after normalisation (transfer container; empty when none). */
GPtrArray *shr_lexicon_find_actors (const ShrLexicon *lexicon, const gchar *name);

/* The other names of the actor called @name: every name and alias of the
 * rows find_actors() gives, as written, each once, none equal to @name
 * after normalisation, in the rows' order (transfer container: the strings
 * belong to the lexicon). */
GPtrArray *shr_lexicon_actor_names (const ShrLexicon *lexicon, const gchar *name);

/* TRUE when @a and @b are names of one actor: some actors.tsv row gives
 * both. */
gboolean shr_lexicon_same_actor (const ShrLexicon *lexicon, const gchar *a, const gchar *b);

/* (transfer full) NFKC + casefold: the form all matching compares. */
gchar *shr_lexicon_normalize (const gchar *text);

/* (transfer full) The same for a name, stripped; an ASCII name (all but a
 * few) skips the Unicode tables. */
gchar *shr_lexicon_normalize_name (const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrLexicon, shr_lexicon_free)

G_END_DECLS
