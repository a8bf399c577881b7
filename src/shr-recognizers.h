/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-recognizers.h — what the extractor shares with the recognisers of
 * structured sources (internal to extract; not a public stage API).
 *
 * A recogniser knows one family of advisories (Debian DSA/DLA, Ubuntu USN,
 * JPCERT/CC …): detect() says whether a message is one of them from its
 * identifiers, sender and layout; extract() fills what the layout states
 * exactly (ids, title, packages, fixed versions). The generic passes of
 * shr-extract.c then fill the rest from prose. */
#pragma once

#include "shr-extract.h"
#include "shr-pattern.h"
#include "shr-sources.h"
#include "shr-structure.h"

G_BEGIN_DECLS

typedef struct
{
  const ShrMessage *message;
  const ShrLexicon *lexicon;
  ShrRecord *record;
  const gchar *subject; /* original subject, list tags and Fwd: removed */
  const gchar *from;    /* original sender, "" when unknown */
  const gchar *body;    /* original advisory text */
  gchar *head;          /* first lines of the body, for detection */
  gchar *ids;           /* subject and head: where advisory ids stand */
  gchar *ids_lower;     /* the same, ASCII letters lower-cased */
  /* Whether ids holds a letter a caseless 's' or 'k' matches besides
   * the ASCII ones (0: not looked yet, 1: no, 2: yes). */
  guint8 ids_folds;
  /* Set by a recogniser whose layout names the affected packages exactly:
   * the generic product scan is then not run. */
  gboolean products_exact;
  /* The sentences of the subject and body, one per line, and where each
   * starts: a pattern is run once over all of them to find the few
   * sentences worth a closer look. */
  gchar *sentence_text;
  gchar *sentence_lower;    /* the same, ASCII letters lower-cased */
  gboolean sentences_ascii; /* sentence_text is all ASCII */
  GArray *sentence_starts;  /* (element-type gsize) */
  gsize sentence_len;       /* of sentence_text (and sentence_lower) */
  /* Every place of sentence_lower chained by a hash of its first two
   * bytes (place + 1; 0 ends a chain), in order: shr_sentences_holding()
   * looks a word up where it may start instead of scanning the whole
   * text once per word. */
  guint32 *pair_head;
  guint32 *pair_next;
  /* The vendors named anywhere in the subject or body (interned strings),
   * made on first need: an everyday product word counts only with its
   * vendor named. */
  GHashTable *named_vendors;
  /* The body's sections, fields and tables. */
  ShrDocument *doc;
  /* Where the body starts in the text the lexicon scan reads (the subject,
   * a blank line, the body). */
  gsize body_offset;
  const gchar *scan_text;
  /* The PSIRT or distribution of data/sources.tsv the mail is from. */
  const ShrSource *source;
  gboolean source_looked_up;
} ShrExtractContext;

typedef struct
{
  const gchar *name;
  gboolean (*detect) (ShrExtractContext *ctx);
  void (*extract) (ShrExtractContext *ctx);
} ShrRecognizer;

/* The recognisers, most specific first, NULL-terminated. */
const ShrRecognizer *const *shr_recognizers (void);

/* Helpers for recognisers (shr-extract.c). */

/* (transfer full) Which of the @n sentences of the mail hold one of
 * @words, as written or, with @lower, in their ASCII lower-cased copy
 * (@words then in lower case): one strstr per word over all the sentences
 * at once, far cheaper than a pattern at every position. NULL when none
 * does. */
gboolean *shr_sentences_holding (const ShrExtractContext *ctx, guint n, const gchar *const *words,
                                 gboolean lower);

/* (transfer full) The value of a "Key : value" line (any spacing around
 * the colon), with continuation lines that are indented, or NULL. */
gchar *shr_field_value (const gchar *text, const gchar *key);

/* (transfer full) The @len bytes at @s with ASCII letters lower-cased (as
 * g_ascii_strdown (@s, @len) gives them, faster). */
gchar *shr_ascii_lower_len (const gchar *s, gsize len);

/* (transfer full) The sentence of @text around byte offset @offset. */
gchar *shr_sentence_at (const gchar *text, gsize offset);

/* (transfer full) The text from @from to @to with its lines joined: every
 * run of white space one space, none at the ends. */
gchar *shr_text_joined (const gchar *from, const gchar *to);

/* Adds the products named in @text according to the lexicon. Returns how
 * many were added. */
guint shr_add_lexicon_products (ShrExtractContext *ctx, const gchar *text);

G_END_DECLS
