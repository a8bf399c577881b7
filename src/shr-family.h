/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-family.h — products that are the same product under other names.
 *
 * data/families.tsv groups the names of one product: its editions
 * (Windows Server 2022 of Windows), the appliances that run it (FortiGate
 * of FortiOS), its former names (Pulse Connect Secure of Ivanti Connect
 * Secure), its features (GlobalProtect of PAN-OS) and the names
 * distributions package it under (tomcat10 of Tomcat). Matching asks two
 * things of it: which family a name belongs to, and how an advisory's
 * product stands to an asset's. Loaded once, read-only afterwards. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SHR_FAMILY_SELF, /* the family's own name */
  SHR_FAMILY_EDITION,
  SHR_FAMILY_APPLIANCE,
  SHR_FAMILY_FORMER,
  SHR_FAMILY_FEATURE,
  SHR_FAMILY_PACKAGE,
} ShrFamilyRelation;

typedef struct
{
  const gchar *family; /* the family's name as the file writes it */
  const gchar *member; /* the member's name as the file writes it */
  ShrFamilyRelation relation;
} ShrFamilyMember;

/* How an advisory's product concerns an asset's. */
typedef enum
{
  SHR_CONCERNS_NO,      /* other products, or another edition */
  SHR_CONCERNS_SAME,    /* the same product under any of its names */
  SHR_CONCERNS_COVERS,  /* the advisory names the family, the asset runs one edition of it */
  SHR_CONCERNS_FEATURE, /* the advisory names a feature of the asset's product */
  SHR_CONCERNS_VENDOR,  /* the advisory names the vendor's equipment, not which product */
} ShrConcerns;

typedef struct _ShrFamilies ShrFamilies;

/* (transfer full) Errors name the file and line (SHR_LEXICON_ERROR). */
ShrFamilies *shr_families_load (const gchar *path, GError **error);
void shr_families_free (ShrFamilies *families);

/* (transfer none) data/families.tsv of the data dir, loaded on first use;
 * empty (logged once) when it cannot be read. */
const ShrFamilies *shr_families_get_default (void);

/* (transfer full) The form names are compared in: NFKC, casefold, the
 * vendor's name in front, a platform ("for x64-based Systems"), an
 * installation kind ("(Server Core installation)") and a version line
 * ("Version 22H2") removed. */
gchar *shr_family_key (const gchar *vendor, const gchar *name);

/* The family that @name (written by @vendor, which may be NULL) belongs to,
 * trying the whole name and then the name without its last words ("FortiGate
 * 200F" is a FortiGate, "Exchange Server 2019 CU15" an Exchange Server
 * 2019). (transfer none) NULL when none. */
const ShrFamilyMember *shr_families_find (const ShrFamilies *families, const gchar *vendor,
                                          const gchar *name);

/* How the advisory's product @advisory stands to the asset's @asset, both
 * members found by shr_families_find(). */
ShrConcerns shr_families_relate (const ShrFamilyMember *advisory, const ShrFamilyMember *asset);

const gchar *shr_family_relation_to_string (ShrFamilyRelation relation);

/* TRUE when @name says only what kind of equipment it is ("devices",
 * "edge devices", "firewalls", 「VPN装置」, 「製品」): an article's "Cisco
 * devices" names a vendor's equipment, not one of its products. */
gboolean shr_family_is_equipment_kind (const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrFamilies, shr_families_free)

G_END_DECLS
