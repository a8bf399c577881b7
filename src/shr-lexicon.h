/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-lexicon.h — the word lists of data/: products, threat actors,
 * sectors, regions. Loaded once; read-only afterwards, so one lexicon can
 * be shared by every stage and thread.
 *
 * Data file formats (UTF-8, '#' starts a comment line, fields by TAB):
 *   products.tsv  vendor  product  aliases ('|'-separated; spellings,
 *                 Japanese names, package names, "cpe:vendor:product";
 *                 a leading '~' on the product or an alias: an everyday
 *                 word, counted only with the vendor named)
 *   actors.tsv    canonical-name  aliases ('|'-separated)  country-or-empty
 *   sectors.tsv   key  label_ja  label_en  words ('|'-separated, en and ja)
 *   regions.tsv   code  label_ja  label_en  words ('|'-separated, en and ja)
 * Matching is case- and width-insensitive (NFKC + casefold) and, for words
 * in Latin script, only at word boundaries. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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
  const gchar *name;    /* canonical: "APT41" */
  const gchar *country; /* "CN" or NULL */
} ShrActorEntry;

/* What a scan found: the entry and where in the text (byte offsets). */
typedef enum
{
  SHR_LEXICON_PRODUCT,
  SHR_LEXICON_ACTOR,
  SHR_LEXICON_SECTOR,
  SHR_LEXICON_REGION,
} ShrLexiconKind;

typedef struct
{
  ShrLexiconKind kind;
  gconstpointer entry; /* ShrProductEntry*, ShrActorEntry* or ShrLabelEntry* */
  gsize start;
  gsize end;
  /* The words are also everyday English ("office", "edge", "HTTP server"):
   * they name the product only where its vendor is named too. */
  gboolean needs_vendor;
  /* Another product written the same way (ShrProductEntry*), or NULL:
   * "iOS" is Apple's where Apple is named, "IOS" Cisco's where Cisco is. */
  gconstpointer homonym;
} ShrLexiconHit;

/* (transfer full) Loads the four files from @datadir. Errors name the file
 * and line (SHR_LEXICON_ERROR). */
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

/* Sector or region labels by key (transfer none), or NULL. */
const ShrLabelEntry *shr_lexicon_find_sector (const ShrLexicon *lexicon, const gchar *key);
const ShrLabelEntry *shr_lexicon_find_region (const ShrLexicon *lexicon, const gchar *key);

/* (transfer full) NFKC + casefold: the form all matching compares. */
gchar *shr_lexicon_normalize (const gchar *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrLexicon, shr_lexicon_free)

G_END_DECLS
