/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-sources.h — the advisory sources known by their identifiers and
 * senders: vendor PSIRTs and Linux distributions (data/sources.tsv).
 *
 * Adding a source is adding a line there: its kind, name, vendor, the
 * pattern of its advisory ids, of its senders, of the distribution release
 * its packages are for, and of its advisory pages. Loaded once, read-only
 * afterwards (shared by every thread). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ShrSource
{
  gchar *kind;              /* psirt | other */
  gchar *name;              /* "Fortinet PSIRT", "Amazon Linux" */
  gchar *vendor;            /* "Fortinet", "Amazon" */
  GRegex *id;               /* group 1 (or the first group that matched): the id; NULL when none */
  gboolean id_needs_sender; /* the id alone is too plain to name the source */
  gchar *id_literal;        /* what every id starts with, lower-cased, or NULL */
  gchar **id_words;         /* else one of which every id holds, lower-cased, or NULL */
  gchar **from_literals;    /* one of which every sender holds, or NULL */
  GRegex *from;             /* NULL when none */
  GRegex *release;          /* a distribution's release; NULL for a PSIRT */
  GRegex *url;
} ShrSource;

typedef struct _ShrSources ShrSources;

/* (transfer full) Reads a sources file; errors name the file, line and
 * what is wrong (SHR_LEXICON_ERROR_PARSE, a pattern that does not compile
 * included). */
ShrSources *shr_sources_load (const gchar *path, GError **error);
void shr_sources_free (ShrSources *sources);

/* (transfer none) data/sources.tsv of the data dir, loaded on first use;
 * an empty table (logged once) when it cannot be read. */
const ShrSources *shr_sources_get_default (void);

/* The source a mail comes from: the first row whose sender pattern
 * matches @from, else whose id is in @subject, else (unless @newsy: a news
 * article quoting an id further down is not the advisory) in @head.
 * @head_lower is @head with its ASCII letters lower-cased when the caller
 * has it, else NULL. (transfer none) NULL when none. */
const ShrSource *shr_sources_find (const ShrSources *sources, const gchar *from, const gchar *subject,
                                   const gchar *head, const gchar *head_lower, gboolean newsy);

/* (transfer full) The first match of @re's first group that matched in
 * @text, stripped; NULL when none. */
gchar *shr_sources_match (GRegex *re, const gchar *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShrSources, shr_sources_free)

G_END_DECLS
