/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-structure.h — the sections, fields and tables an advisory is made of.
 *
 * Advisories from every kind of source are built from the same parts:
 * headed sections (Summary, Affected Products, Solution, 概要, 対策 …),
 * "Key: value" fields (Severity: Critical, CVSSv3 Score: 9.8), and tables
 * (Version | Affected | Solution). This module finds them in the plain text
 * that shr-read makes of a mail (HTML tables arrive with their cells
 * separated by " | "), so that an unfamiliar source with familiar headings
 * is read like a familiar one. The roles of headings come from
 * data/headings.tsv; a heading it does not know still ends the section
 * before it, unless it is a sub-heading inside a known section.
 *
 * Offsets are byte offsets into the text given to shr_document_parse(),
 * which must outlive the document. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SHR_ROLE_NONE = 0,
  SHR_ROLE_SUMMARY,
  SHR_ROLE_DESCRIPTION,
  SHR_ROLE_AFFECTED,
  SHR_ROLE_UNAFFECTED,
  SHR_ROLE_FIXED,
  SHR_ROLE_SOLUTION,
  SHR_ROLE_WORKAROUND,
  SHR_ROLE_SEVERITY,
  SHR_ROLE_SCORE,
  SHR_ROLE_EXPLOITATION,
  SHR_ROLE_IMPACT,
  SHR_ROLE_CONDITIONS,
  SHR_ROLE_REFERENCES,
  SHR_ROLE_BACKGROUND,
  SHR_ROLE_ACKNOWLEDGEMENTS,
  SHR_ROLE_HISTORY,
  SHR_ROLE_CONTACT,
  SHR_ROLE_COUNT
} ShrRole;

typedef struct
{
  ShrRole role;
  gchar *heading;      /* as written, decoration removed; "" for the text before the first heading */
  gsize heading_start; /* where the heading line starts */
  gsize start;         /* the section's text: after the heading line … */
  gsize end;           /* … up to the next heading (exclusive) */
} ShrSection;

typedef struct
{
  ShrRole role;  /* of the key, when it is a heading phrase; else NONE */
  gchar *key;    /* as written: "CVSSv3 Score" */
  gchar *value;  /* continuation lines joined with one space */
  gsize offset;  /* where the line starts */
  guint section; /* index of the section it stands in */
} ShrField;

typedef enum
{
  SHR_COLUMN_OTHER = 0,
  SHR_COLUMN_PRODUCT,  /* Product, Version (as a train label), Package, Platform, Branch, 製品 */
  SHR_COLUMN_AFFECTED, /* Affected, Vulnerable, Affected Versions, 影響を受けるバージョン */
  SHR_COLUMN_FIXED,    /* Solution, Fixed, Unaffected, First Fixed Release, 修正版, 対策版 */
  SHR_COLUMN_CVE,
  SHR_COLUMN_SCORE,
  SHR_COLUMN_SEVERITY,
  SHR_COLUMN_RELEASE, /* Release, Distribution, OS: "Ubuntu 22.04", "bookworm" */
} ShrColumn;

typedef struct
{
  GPtrArray *header; /* (element-type utf8) cells of the header row; empty when none */
  GArray *columns;   /* (element-type ShrColumn) one per header cell */
  GPtrArray *rows;   /* (element-type GPtrArray of utf8) the body rows' cells */
  gsize start;
  gsize end;
  guint section;
} ShrTable;

typedef struct
{
  const gchar *text;   /* borrowed */
  GPtrArray *sections; /* (element-type ShrSection) in order; [0] is the text before any heading */
  GPtrArray *fields;   /* (element-type ShrField) */
  GPtrArray *tables;   /* (element-type ShrTable) */
} ShrDocument;

/* (transfer full) Never NULL: a text with no structure is one section. */
ShrDocument *shr_document_parse (const gchar *text);
void shr_document_free (ShrDocument *doc);

/* (transfer full) The text of section @i, without its heading. */
gchar *shr_document_section_text (const ShrDocument *doc, guint i);

/* (transfer full) The text of every section of @role, in order, separated
 * by blank lines; NULL when there is none. */
gchar *shr_document_role_text (const ShrDocument *doc, ShrRole role);

/* The first field whose key is a heading of @role (transfer none), or NULL. */
const ShrField *shr_document_field (const ShrDocument *doc, ShrRole role);

/* The role of the section that contains byte @offset. */
ShrRole shr_document_role_at (const ShrDocument *doc, gsize offset);

/* The role a heading phrase names ("3.1 AFFECTED PRODUCTS" → AFFECTED),
 * NONE when data/headings.tsv does not know it. */
ShrRole shr_heading_role (const gchar *heading);

const gchar *shr_role_to_string (ShrRole role);

/* Replaces the heading table (tests; the default is data/headings.tsv of
 * the data dir, loaded on first use). FALSE + error when @path cannot be
 * read or a line is malformed (file and line named). */
gboolean shr_headings_load (const gchar *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrDocument, shr_document_free)

G_END_DECLS
