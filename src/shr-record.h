/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-record.h — the advisory record that passes between the stages.
 *
 * A plain struct with public fields: extract fills it, match/render read it.
 * Every string is UTF-8 and owned by the record; every GPtrArray owns its
 * elements (strings, ShrCve or ShrProduct). Unknown numbers are negative,
 * unknown strings NULL. See DESIGN.md "Advisory record" for the meaning of
 * each field and shr_record_to_json() for the JSON contract. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SHR_TRISTATE_UNKNOWN = 0,
  SHR_TRISTATE_FALSE,
  SHR_TRISTATE_TRUE,
} ShrTristate;

typedef struct
{
  gchar *id;       /* "CVE-2024-3400" */
  gdouble cvss;    /* < 0 when the text gives no score */
  gchar *vector;   /* "CVSS:3.1/AV:N/..." or NULL */
  gchar *severity; /* critical|high|medium|low or NULL */
} ShrCve;

/* What the text says of one release train (or of the whole product when
 * it names none), in the terms of the OSV schema's events: versions from
 * @introduced up to @last_affected (inclusive) or @fixed (exclusive) are
 * affected. A NULL bound is open; all three NULL with !@unaffected means
 * every version. */
typedef struct
{
  gchar *train; /* "7.4", "10.2", "22.04" (a distribution release), or NULL */
  gchar *introduced;
  gchar *last_affected;
  gchar *fixed;
  gboolean unaffected; /* the text says this train is not affected */
  gchar *text;         /* the words it was read from */
} ShrProductRange;

typedef struct
{
  gchar *vendor;       /* canonical vendor name, or NULL */
  gchar *product;      /* canonical product name */
  GPtrArray *affected; /* (element-type utf8) version phrases as written */
  GPtrArray *fixed;    /* (element-type utf8) versions given as fixed */
  GPtrArray *ranges;   /* (element-type ShrProductRange) per train */
  /* Where the versions belong: NULL for the vendor's own releases, else the
   * distribution and its release ("Debian:12", "Ubuntu:22.04",
   * "Red Hat:8", "Amazon Linux:2023", "Gentoo"): a package version is
   * compared only with the same distribution release. */
  gchar *ecosystem;
  /* Conditions the text attaches ("DNS Security logging must be enabled"). */
  GPtrArray *conditions; /* (element-type utf8) */
  /* The text says versions it does not list are not affected. */
  gboolean others_unaffected;
} ShrProduct;

/* One actor the record names, with its other names. */
typedef struct
{
  gchar *name; /* as the mail first writes it: "Forest Blizzard" */
  /* (element-type utf8) the other names: those the text itself gives
   * ("also known as", "aka", "(別名 …)", "tracked as", a parenthesis)
   * first, then the other names the lexicon knows, as it writes them. */
  GPtrArray *aliases;
  guint named_in_text; /* how many of the aliases, from the first, the text gives */
} ShrActorNames;

typedef struct
{
  gchar *id;

  gchar *source_kind; /* dsa|usn|rhsa|cisa|jpcert|ipa|jvn|msrc|psirt|news|other */
  gchar *source_name;
  gchar *advisory_id;
  gchar *source_url;

  gchar *message_id; /* of the original advisory mail when recovered */
  gchar *date;       /* ISO 8601 */
  gchar *from;
  gchar *forwarded_by; /* NULL when the mail came straight from the source */

  gchar *lang; /* en|ja */
  gchar *title;
  gchar *summary;
  gchar *category; /* vulnerability|campaign|incident|patch|information */

  GPtrArray *cves;     /* (element-type ShrCve) sorted by id, unique */
  gdouble cvss_max;    /* < 0 when unknown */
  gchar *severity;     /* critical|high|medium|low or NULL */
  GPtrArray *products; /* (element-type ShrProduct) */

  ShrTristate exploited;
  gchar *exploited_evidence;
  gboolean kev;

  GPtrArray *threat_actors; /* (element-type utf8) names as the mail writes them */
  GPtrArray *actor_aliases; /* (element-type ShrActorNames) one per threat_actors
                             * entry, in the same order */
  GPtrArray *reported_by;   /* (element-type utf8) firms and agencies that report
                             * the campaign or research, as written */
  GPtrArray *sectors;       /* (element-type utf8) sector keys of sectors.tsv */
  GPtrArray *regions;       /* (element-type utf8) ISO 3166-1 alpha-2 codes of
                             * countries, and region group codes (ASIA…) */
  GPtrArray *mitigations;   /* (element-type utf8) */
  GPtrArray *references;    /* (element-type utf8) URLs */

  /* One advisory of a digest (a JVN feed, a weekly report, a KEV alert
   * naming several flaws): its place, from 1, among @items. Both 0 for a
   * mail that is one advisory. */
  guint item;
  guint items;
  gchar *digest_title; /* the digest mail's own title, or NULL */

  GHashTable *evidence; /* field name -> sentence (both utf8, owned) */
  GPtrArray *warnings;  /* (element-type utf8) what could not be read */
} ShrRecord;

ShrCve *shr_cve_new (const gchar *id);
void shr_cve_free (ShrCve *cve);
ShrProduct *shr_product_new (const gchar *vendor, const gchar *product);
void shr_product_free (ShrProduct *product);
void shr_actor_names_free (ShrActorNames *names);

/* Names an actor as @name (a copy), unless a name equal to it after
 * normalisation is there already; returns its entry either way (borrowed),
 * whose aliases the caller fills, or NULL past SHR_MAX_ACTORS. */
ShrActorNames *shr_record_add_actor (ShrRecord *record, const gchar *name);

/* Adds a range to @product unless an equal one is there (strings copied;
 * any may be NULL). Returns the range in the product (borrowed), or NULL
 * past SHR_MAX_RANGES. */
ShrProductRange *shr_product_add_range (ShrProduct *product, const gchar *train, const gchar *introduced,
                                        const gchar *last_affected, const gchar *fixed, gboolean unaffected,
                                        const gchar *text);
void shr_product_range_free (ShrProductRange *range);

/* (transfer full) A deep copy. */
ShrProduct *shr_product_copy (const ShrProduct *product);

/* (transfer full) The name a notice or a checklist row gives a product:
 * "Microsoft Exchange Server", the vendor in front unless the product's
 * name starts with it ("OpenSSL", "Apache Tomcat"). With @english, the
 * name an English reader can read: a vendor written only in Japanese is
 * left out when the product's name has Latin letters of its own, and a
 * trailing 「シリーズ」「モデル」 is " series", " model" ("Sample Router
 * シリーズ" of サンプルネットワークス株式会社 → "Sample Router series"). */
gchar *shr_product_display_name (const gchar *vendor, const gchar *product, gboolean english);

/* (transfer full): an empty record, every array allocated. */
ShrRecord *shr_record_new (void);
void shr_record_free (ShrRecord *record);

/* Returns the existing entry for @id or adds one (borrowed pointer).
 * Returns NULL when SHR_MAX_CVES is reached (a warning is added once). */
ShrCve *shr_record_add_cve (ShrRecord *record, const gchar *id);
ShrCve *shr_record_find_cve (const ShrRecord *record, const gchar *id);

/* Returns the product with the same (vendor, product), adding it if new
 * (borrowed pointer), or NULL past SHR_MAX_PRODUCTS. */
ShrProduct *shr_record_add_product (ShrRecord *record, const gchar *vendor, const gchar *product);

/* Adds @value to a string array unless an equal string is already there. */
gboolean shr_strv_add_unique (GPtrArray *array, const gchar *value);

/* Keeps the first sentence given for @field; cut to SHR_MAX_EVIDENCE_BYTES. */
void shr_record_set_evidence (ShrRecord *record, const gchar *field, const gchar *sentence);

void shr_record_add_warning (ShrRecord *record, const gchar *format, ...) G_GNUC_PRINTF (2, 3);

/* Sorts CVEs by id, recomputes cvss_max and severity from the CVEs where
 * the text gave none for the whole advisory, and computes the id. */
void shr_record_finish (ShrRecord *record);

/* The "schema" of the record's JSON (doc/json.md); its number changes
 * only when a field is removed or changes meaning, never when one is
 * added. */
#define SHR_RECORD_SCHEMA "shirase.record/1"

/* (transfer full): the record as the JSON object of the contract
 * (doc/json.md). */
JsonNode *shr_record_to_json (const ShrRecord *record);

/* (transfer full): the JSON on one line. */
gchar *shr_record_to_json_string (const ShrRecord *record, gboolean pretty);

/* Normalises a severity word in English or Japanese (Critical, 緊急, 重大,
 * Important, 重要, Moderate, 警告, Low, 注意 …) to critical|high|medium|low;
 * NULL when the word is not one. (transfer none) */
const gchar *shr_severity_normalize (const gchar *word);

/* Rank for comparing severities: critical 4 … low 1, NULL 0. */
gint shr_severity_rank (const gchar *severity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrCve, shr_cve_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrProduct, shr_product_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrRecord, shr_record_free)

G_END_DECLS
