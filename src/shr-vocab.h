/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-vocab.h — what matching needs to know about words: product names
 * and their aliases, sector and region labels, which region lies in which
 * (JP in ASIA) and which sector in which (water under utilities).
 *
 * Matching and config validation take a ShrVocabulary (a small table of
 * lookup functions) rather than the lexicon itself, so they can be tested
 * with small word lists and stay independent of how the lexicon is built.
 * shr_word_tables_load() reads files in the formats of data/ (see
 * shr-lexicon.h) into a plain implementation. */
#pragma once

#include <glib.h>

#include "shr-lexicon.h"

G_BEGIN_DECLS

typedef struct
{
  /* The product whose name, vendor-prefixed name or alias equals @name
   * after normalisation, or NULL. (transfer none) */
  const ShrProductEntry *(*find_product) (gconstpointer data, const gchar *name);
  /* Labels of a sector key ("energy") or region code ("JP"), or NULL. */
  const ShrLabelEntry *(*find_sector) (gconstpointer data, const gchar *key);
  const ShrLabelEntry *(*find_region) (gconstpointer data, const gchar *key);
  /* Every sector key, in file order (transfer container); may be NULL. */
  GPtrArray *(*list_sectors) (gconstpointer data);
  gconstpointer data;
  /* The members of region group @code (transfer none, NULL-terminated),
   * or NULL for a country or an unknown code; may be NULL (then only
   * equal codes are within each other). */
  const gchar *const *(*region_members) (gconstpointer data, const gchar *code);
  /* The broader sectors of @key (transfer none, NULL-terminated), or NULL;
   * may be NULL. */
  const gchar *const *(*sector_parents) (gconstpointer data, const gchar *key);
} ShrVocabulary;

/* (transfer full) NFKC + casefold, runs of white space made one space and
 * trimmed: the form every name comparison uses. */
gchar *shr_vocab_normalize (const gchar *text);

const ShrProductEntry *shr_vocabulary_find_product (const ShrVocabulary *vocab, const gchar *name);
const ShrLabelEntry *shr_vocabulary_find_sector (const ShrVocabulary *vocab, const gchar *key);
const ShrLabelEntry *shr_vocabulary_find_region (const ShrVocabulary *vocab, const gchar *key);

/* TRUE when region @code is @group or lies in it, directly or through
 * another group: "JP" within "ASIA", "EAST-ASIA" and "APAC"; "UK" within
 * "GB" (another code for it). Without group data, only equal codes (case
 * aside) are. */
gboolean shr_vocabulary_region_within (const ShrVocabulary *vocab, const gchar *code, const gchar *group);

/* The broader sectors of @key as sectors.tsv lists them (transfer none,
 * NULL-terminated; empty for a sector with none), or NULL when unknown. */
const gchar *const *shr_vocabulary_sector_parents (const ShrVocabulary *vocab, const gchar *key);

/* TRUE when sector @key is @broader or lies under it through parents
 * ("water" within "critical-infrastructure"); a STIX name stands for its
 * key ("financial-services" is "finance"). */
gboolean shr_vocabulary_sector_within (const ShrVocabulary *vocab, const gchar *key, const gchar *broader);

/* The product an advisory or an asset calls @vendor @product (@vendor may
 * be NULL): tried as "vendor product", then as @product alone unless the
 * entry's vendor is plainly another company ("IBM" "HTTP Server" is not
 * Apache's), then as a package name ("pkg:apache2"). (transfer none) */
const ShrProductEntry *shr_vocabulary_find_named (const ShrVocabulary *vocab, const gchar *vendor,
                                                  const gchar *product);

/* TRUE when two vendor names cannot be the same company: neither contains
 * the other after normalisation ("Microsoft" / "Microsoft Corporation"
 * agree). NULL or empty agrees with anything. */
gboolean shr_vendors_conflict (const gchar *a, const gchar *b);

/* Every sector key the vocabulary knows, for error messages (transfer
 * container; NULL when the vocabulary cannot list them). */
GPtrArray *shr_vocabulary_sector_keys (const ShrVocabulary *vocab);

/* A vocabulary backed by the lexicon (which must outlive it). It cannot
 * list sector keys (error messages then name none). */
ShrVocabulary shr_vocabulary_for_lexicon (const ShrLexicon *lexicon);

typedef struct _ShrWordTables ShrWordTables;

/* (transfer full) Reads products.tsv (then products-kev.tsv, whose names
 * give way to products.tsv's), sectors.tsv and regions.tsv from @dir; a
 * file that is missing leaves its table empty. Errors (a malformed line)
 * name the file and line: SHR_LEXICON_ERROR_PARSE. */
ShrWordTables *shr_word_tables_load (const gchar *dir, GError **error);

/* (transfer full) The same from three paths, any of which may be NULL. */
ShrWordTables *shr_word_tables_load_files (const gchar *products, const gchar *sectors, const gchar *regions,
                                           GError **error);
void shr_word_tables_free (ShrWordTables *tables);

/* A vocabulary backed by @tables, which must outlive it. */
ShrVocabulary shr_word_tables_vocabulary (const ShrWordTables *tables);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrWordTables, shr_word_tables_free)

G_END_DECLS
