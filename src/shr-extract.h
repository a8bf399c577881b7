/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shr-extract.h — from a read message to the advisory record. */
#pragma once

#include "shr-lexicon.h"
#include "shr-read.h"
#include "shr-record.h"

G_BEGIN_DECLS

/* (transfer full) Never NULL: what could not be recognised is left empty
 * and, where it matters, noted in record->warnings. */
ShrRecord *shr_extract_message (const ShrMessage *message, const ShrLexicon *lexicon);

/* (transfer full) Reads @path ("-" = stdin) and extracts; NULL + error only
 * when the file is not mail (see shr_message_read_file()). */
ShrRecord *shr_extract_file (const gchar *path, const ShrLexicon *lexicon, GError **error);

/* (transfer full) One record per advisory @message carries: a digest (a JVN
 * or JVN iPedia feed, JPCERT/CC's weekly report, a KEV alert naming several
 * flaws, a list's digest) gives one per item, each with item and items set
 * and what the digest says of all (its source; for KEV, exploitation);
 * any other mail gives one record, as shr_extract_message(). */
GPtrArray *shr_extract_items (const ShrMessage *message, const ShrLexicon *lexicon);

/* The same, and with @texts (may be NULL; transfer full, element-type
 * utf8) the text each record was read from: a digest item's own part of
 * the mail, else the mail's body. */
GPtrArray *shr_extract_items_with_text (const ShrMessage *message, const ShrLexicon *lexicon,
                                        GPtrArray **texts);

/* (transfer full) The same from a file; NULL + error when it is not mail. */
GPtrArray *shr_extract_file_items (const gchar *path, const ShrLexicon *lexicon, GError **error);

G_END_DECLS
