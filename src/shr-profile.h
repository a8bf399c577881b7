/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-profile.h — the organisation as matching sees it: sectors, regions,
 * time zone, policy thresholds and the assets it runs, with an index from
 * every name an asset goes by to the assets.
 *
 * Built by shr-config.c from the config file (or by hand in tests);
 * read-only once shr_profile_build_index() has run. */
#pragma once

#include <glib.h>

#include "shr-version.h"
#include "shr-vocab.h"

G_BEGIN_DECLS

typedef enum
{
  SHR_EXPOSURE_UNKNOWN,
  SHR_EXPOSURE_INTERNET,
  SHR_EXPOSURE_INTERNAL,
  SHR_EXPOSURE_ISOLATED,
} ShrExposure;

typedef struct
{
  gchar *name;   /* the NAME of [asset NAME] */
  gchar *vendor; /* or NULL */
  gchar *product;
  gchar *version; /* NULL when unknown */
  ShrVersionScheme scheme;
  ShrExposure exposure;
  GPtrArray *owners;  /* (element-type utf8) mail addresses */
  GPtrArray *aliases; /* (element-type utf8) other names: a source
                       * package, "cpe:vendor:product" */
  /* The distribution and release a package comes from ("Ubuntu 24.04",
   * "Debian 12"), or NULL: then read from the version ("+deb12u1",
   * ".el8") or from the profile's one asset of that distribution. */
  gchar *platform;
} ShrAsset;

typedef struct
{
  gdouble grade_a_cvss;  /* default 9.0 */
  gdouble grade_b_cvss;  /* default 7.0 */
  gint deadline_days[3]; /* A, B, C: default 0, 7, 30 */
} ShrPolicy;

typedef struct
{
  gchar *name;
  /* How the organisation calls itself in notices and checklists: 当院,
   * 本学, 当社; "our hospital". Defaults 自組織 and "our organisation". */
  gchar *self_ja;
  gchar *self_en;
  GPtrArray *sectors; /* (element-type utf8) English keys */
  GPtrArray *regions; /* (element-type utf8) region codes */
  gchar *timezone_id; /* "Asia/Tokyo" */
  GTimeZone *timezone;
  ShrPolicy policy;
  GPtrArray *assets; /* (element-type ShrAsset) owned */
  GHashTable *index; /* key → GPtrArray of ShrAsset* (borrowed) */
} ShrProfile;

ShrAsset *shr_asset_new (const gchar *name, const gchar *product);
void shr_asset_free (ShrAsset *asset);

/* (transfer full) No assets, Asia/Tokyo, the default policy. */
ShrProfile *shr_profile_new (const gchar *name);
void shr_profile_free (ShrProfile *profile);

/* Takes ownership of @asset. */
void shr_profile_add_asset (ShrProfile *profile, ShrAsset *asset);

/* Sets the time zone; FALSE when @identifier is not one GLib knows. */
gboolean shr_profile_set_timezone (ShrProfile *profile, const gchar *identifier);

/* (Re)builds the index: each asset under its normalised product name, its
 * vendor-prefixed name, its aliases and, where @vocab knows the product,
 * the product's canonical identity (so "Exchange 2019" in the config finds
 * "Microsoft Exchange Server" in an advisory). @vocab may be NULL. */
void shr_profile_build_index (ShrProfile *profile, const ShrVocabulary *vocab);

/* Every asset whose product is in the family named @family (see
 * shr-family.h), as the index filed them. (transfer none) NULL when none. */
const GPtrArray *shr_profile_family_assets (const ShrProfile *profile, const gchar *family);

/* Assets whose vendor and product, word by word, contain every distinctive
 * word of @vendor @product or are contained in them: the comparison of last
 * resort, for products no word list knows ("MXsecurity Series" and an asset
 * "Moxa MXsecurity"). (transfer container) possibly empty. */
GPtrArray *shr_profile_word_assets (const ShrProfile *profile, const gchar *vendor, const gchar *product);

/* The assets that run the product an advisory calls @vendor @product
 * (@vendor may be NULL), without scanning the asset list: a few hash
 * lookups. (transfer container) possibly empty, each asset once. */
GPtrArray *shr_profile_find_assets (const ShrProfile *profile, const ShrVocabulary *vocab,
                                    const gchar *vendor, const gchar *product);

gboolean shr_profile_has_sector (const ShrProfile *profile, const gchar *key);
gboolean shr_profile_has_region (const ShrProfile *profile, const gchar *code);

gboolean shr_exposure_parse (const gchar *word, ShrExposure *exposure);
const gchar *shr_exposure_to_string (ShrExposure exposure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrAsset, shr_asset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrProfile, shr_profile_free)

G_END_DECLS
